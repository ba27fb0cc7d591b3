/* SPDX-License-Identifier: MIT */
/*
 * systemd-filter.c - the seccomp section as systemd 252's
 * SystemCallFilter=, SystemCallErrorNumber= and
 * SystemCallArchitectures= (the rule that decides what goes in is in
 * emit-systemd.c's header).
 *
 * It reads the IR, where inheritance, groups, 'when' and the network
 * section's socket checks are already rules in first-match order per
 * arch and call.  Each call is summed up over the arches: which
 * outcomes its rules and the default can reach (allow; log, trace or
 * notify; a denial, as systemd would write it).  A call with one
 * outcome maps exactly; a call with several is one whose arguments (or
 * arch) decide, and systemd cannot say that: it goes where the drop-in
 * stays at least as wide as the policy, with a note at every rule
 * whose condition decides.  Notes are gathered per rule and kind, so
 * one note names all the calls of a statement.
 */
#include "targets/systemd-filter.h"
#include "common/tables.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

/*
 * What systemd 252 adds to every allow-list SystemCallFilter= (its
 * "@default" set; `systemd-analyze syscall-filter @default` prints it,
 * Debian 12's 252.38 included).
 */
static const char *const systemd_default[] = {
	"arch_prctl", "brk", "cacheflush", "clock_getres",
	"clock_getres_time64", "clock_gettime", "clock_gettime64",
	"clock_nanosleep", "clock_nanosleep_time64", "execve", "exit",
	"exit_group", "futex", "futex_time64", "futex_waitv",
	"get_robust_list", "get_thread_area", "getegid", "getegid32",
	"geteuid", "geteuid32", "getgid", "getgid32", "getgroups",
	"getgroups32", "getpgid", "getpgrp", "getpid", "getppid", "getrandom",
	"getresgid", "getresgid32", "getresuid", "getresuid32", "getrlimit",
	"getsid", "gettid", "gettimeofday", "getuid", "getuid32", "membarrier",
	"mmap", "mmap2", "mprotect", "munmap", "nanosleep", "pause",
	"prlimit64", "restart_syscall", "riscv_flush_icache", "riscv_hwprobe",
	"rseq", "rt_sigreturn", "sched_getaffinity", "sched_yield",
	"set_robust_list", "set_thread_area", "set_tid_address", "set_tls",
	"sigreturn", "time", "ugetrlimit", "uretprobe",
};

/* systemd's names for leash's arches (ConditionArchitecture=). */
static const char *const systemd_arch[ARCH_COUNT] = {
	[ARCH_X86_64] = "x86-64", [ARCH_X86] = "x86", [ARCH_X32] = "x32",
	[ARCH_AARCH64] = "arm64", [ARCH_ARM] = "arm",
	[ARCH_RISCV64] = "riscv64", [ARCH_PPC64LE] = "ppc64-le",
	[ARCH_PPC64] = "ppc64", [ARCH_PPC] = "ppc", [ARCH_S390X] = "s390x",
	[ARCH_S390] = "s390", [ARCH_MIPS] = "mips", [ARCH_MIPSEL] = "mips-le",
	[ARCH_MIPS64] = "mips64", [ARCH_MIPS64EL] = "mips64-le",
	/* ARCH_LOONGARCH64: systemd 252 refuses "loongarch64". */
};

/* The notes about the filter, one per rule and kind, naming the calls. */
enum sd_note {
	N_COND,		/* arguments decide: the drop-in is wider */
	N_ARCH,		/* the arch decides: one list for every arch */
	N_ACTION,	/* denied with another action */
	N_DEFAULT_SET,	/* systemd's @default stays allowed */
	N_LOOSE,	/* log, trace, notify: not carried */
	N_UNKNOWN_NAME,	/* libseccomp does not know the name */
};

struct note_acc {
	enum sd_note kind;
	const struct leash_loc *loc;	/* NULL: the scope's place */
	const char *extra;		/* the action the rule says */
	struct strbuf names;
};
VEC(note_vec, struct note_acc);

/* One call over every arch of the filter. */
struct sys_sum {
	const char *name;
	bool allow, loose, deny;	/* reachable outcomes */
	bool by_arch;			/* arches differ, no condition */
	char deny_as[24];		/* the first denying action, systemd's
					 * way: "EPERM", "kill" */
	char deny_says[32];		/* the policy's words for it */
	bool deny_inexact;		/* trap, kill_thread, another errno
					 * on another arch */
	const struct leash_loc *cond_loc;	/* first rule with arguments */
	const struct leash_loc *rule_loc;	/* first rule reached */
	const char *loose_says;
	uint32_t arches;		/* arches with an entry in the IR */
};
VEC(sum_vec, struct sys_sum);

struct sf {
	const struct flat_policy *f;
	const struct ir_filter *ir;
	struct diag *d;
	struct note_vec notes;
	bool allow_list;
	char dflt[24];		/* an allow-list's SystemCallErrorNumber= */
};

static const struct leash_loc *rule_loc(const struct ir_rule *r)
{
	return r->src ? &r->src->loc : r->net_loc;
}

static void note_add(struct sf *e, enum sd_note kind,
		     const struct leash_loc *loc, const char *extra,
		     const char *name)
{
	struct note_acc *n = NULL;
	size_t i;

	for (i = 0; i < e->notes.n; i++)
		if (e->notes.v[i].kind == kind && e->notes.v[i].loc == loc &&
		    (e->notes.v[i].extra == extra ||
		     (extra && e->notes.v[i].extra &&
		      !strcmp(extra, e->notes.v[i].extra))))
			n = &e->notes.v[i];
	if (!n) {
		VEC_PUSH(&e->notes, ((struct note_acc){ kind, loc, extra,
							{ 0 } }));
		n = &e->notes.v[e->notes.n - 1];
	}
	/* The same rule on several arches names a call once. */
	if (n->names.len) {
		_cleanup_free_ char *all = xasprintf(", %s,", n->names.s);
		_cleanup_free_ char *one = xasprintf(", %s,", name);

		if (strstr(all, one))
			return;
		sb_puts(&n->names, ", ");
	}
	sb_puts(&n->names, name);
}

/*
 * A note at every rule whose condition decides @name's action, on any
 * arch: each of them is what the drop-in does not enforce.
 */
static void cond_notes(struct sf *e, const char *name)
{
	size_t i, j, k;

	for (i = 0; i < e->ir->n_arches; i++) {
		const struct ir_arch *a = &e->ir->arches[i];

		for (j = 0; j < a->n_sys; j++) {
			if (strcmp(a->sys[j].name, name))
				continue;
			for (k = 0; k < a->sys[j].n_rules; k++) {
				const struct ir_rule *r = &a->sys[j].rules[k];

				if (!r->cond || r->cond->kind == IRC_TRUE)
					break;
				if (r->cond->kind != IRC_FALSE)
					note_add(e, N_COND, rule_loc(r), NULL,
						 name);
			}
		}
	}
}

/* ---- the filter: one summary per call ------------------------------------ */

/* "EPERM" / "kill" for a denying action; false for one that lets the
 * call run (allow, log, trace, notify). */
static bool deny_word(enum leash_arch arch, uint32_t action, char *buf,
		      size_t len, bool *inexact)
{
	const char *n;

	*inexact = false;
	switch (action & IR_RET_ACTION_MASK) {
	case IR_RET_ERRNO:
		n = errno_name(arch, action & IR_RET_DATA_MASK);
		if (n)
			snprintf(buf, len, "%s", n);
		else
			snprintf(buf, len, "%u", action & IR_RET_DATA_MASK);
		return true;
	case IR_RET_KILL_PROCESS:
		snprintf(buf, len, "kill");
		return true;
	case IR_RET_KILL_THREAD:
	case IR_RET_TRAP:
		/* The call does not run either way; systemd has only
		 * killing the process for it. */
		snprintf(buf, len, "kill");
		*inexact = true;
		return true;
	default:
		return false;
	}
}

static const char *says(uint32_t action)
{
	switch (action & IR_RET_ACTION_MASK) {
	case IR_RET_ALLOW:
		return "allow";
	case IR_RET_LOG:
		return "log";
	case IR_RET_TRACE:
		return "trace";
	case IR_RET_NOTIFY:
		return "notify";
	case IR_RET_TRAP:
		return "trap";
	case IR_RET_KILL_THREAD:
		return "kill_thread";
	case IR_RET_KILL_PROCESS:
		return "kill";
	default:
		return "errno";
	}
}

/* The policy's words for @action on @arch: "errno(ENOSYS)", "trap". */
static const char *says_buf(enum leash_arch arch, uint32_t action, char *buf,
			    size_t len)
{
	const char *n;

	if ((action & IR_RET_ACTION_MASK) != IR_RET_ERRNO) {
		snprintf(buf, len, "%s", says(action));
		return buf;
	}
	n = errno_name(arch, action & IR_RET_DATA_MASK);
	if (n)
		snprintf(buf, len, "errno(%s)", n);
	else
		snprintf(buf, len, "errno(%u)", action & IR_RET_DATA_MASK);
	return buf;
}

static void outcome(struct sys_sum *s, enum leash_arch arch, uint32_t action,
		    const struct leash_loc *loc)
{
	char buf[24];
	bool inexact;

	if (!s->rule_loc)
		s->rule_loc = loc;
	if (!deny_word(arch, action, buf, sizeof(buf), &inexact)) {
		if ((action & IR_RET_ACTION_MASK) == IR_RET_ALLOW) {
			s->allow = true;
		} else {
			s->loose = true;
			if (!s->loose_says)
				s->loose_says = says(action);
		}
		return;
	}
	if (!s->deny) {
		s->deny = true;
		snprintf(s->deny_as, sizeof(s->deny_as), "%s", buf);
		says_buf(arch, action, s->deny_says, sizeof(s->deny_says));
		s->deny_inexact = inexact;
		if (!s->rule_loc || loc)
			s->rule_loc = loc;
	} else if (inexact || strcmp(buf, s->deny_as) != 0) {
		s->deny_inexact = true;
	}
}

/* The outcomes one arch gives @sys, first match wins. */
static void walk_rules(struct sys_sum *s, const struct ir_arch *a,
		       const struct ir_syscall *sys)
{
	size_t i;

	for (i = 0; i < sys->n_rules; i++) {
		const struct ir_rule *r = &sys->rules[i];
		bool always = !r->cond || r->cond->kind == IRC_TRUE;

		if (r->cond && r->cond->kind == IRC_FALSE)
			continue;
		if (!always && !s->cond_loc)
			s->cond_loc = rule_loc(r);
		outcome(s, a->arch, r->action, rule_loc(r));
		if (always)
			return;
	}
	outcome(s, a->arch, a->default_action, NULL);
}

static int sum_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sys_sum *)a)->name,
		      ((const struct sys_sum *)b)->name);
}

static struct sys_sum *find_sum(struct sum_vec *v, const char *name)
{
	struct sys_sum key = { .name = name };

	return v->n ? bsearch(&key, v->v, v->n, sizeof(*v->v), sum_cmp) :
		      NULL;
}

/*
 * Every call a rule names, over every arch: the IR entries merged by
 * name, and the default action where an arch has the call but no rule.
 */
static void summarize(const struct ir_filter *ir, struct sum_vec *out)
{
	struct sum_vec all = { 0 };
	size_t i, j, k;

	for (i = 0; i < ir->n_arches; i++) {
		const struct ir_arch *a = &ir->arches[i];

		for (j = 0; j < a->n_sys; j++) {
			struct sys_sum s = { .name = a->sys[j].name };

			s.arches = FLAT_ARCH_BIT(a->arch);
			walk_rules(&s, a, &a->sys[j]);
			VEC_PUSH(&all, s);
		}
	}
	if (all.n)
		qsort(all.v, all.n, sizeof(*all.v), sum_cmp);
	for (i = 0; i < all.n; i = j) {
		struct sys_sum m = all.v[i];

		for (j = i + 1; j < all.n && !strcmp(all.v[j].name, m.name);
		     j++) {
			const struct sys_sum *o = &all.v[j];

			m.allow |= o->allow;
			m.loose |= o->loose;
			if (o->deny && !m.deny) {
				memcpy(m.deny_as, o->deny_as,
				       sizeof(m.deny_as));
				memcpy(m.deny_says, o->deny_says,
				       sizeof(m.deny_says));
				m.deny_inexact = o->deny_inexact;
			} else if (o->deny && (o->deny_inexact ||
				   strcmp(o->deny_as, m.deny_as))) {
				m.deny_inexact = true;
			}
			m.deny |= o->deny;
			m.cond_loc = m.cond_loc ? m.cond_loc : o->cond_loc;
			m.rule_loc = m.rule_loc ? m.rule_loc : o->rule_loc;
			m.loose_says = m.loose_says ? m.loose_says :
						      o->loose_says;
			m.arches |= o->arches;
		}
		/* Arches that have the call and no rule for it. */
		for (k = 0; k < ir->n_arches; k++) {
			const struct ir_arch *a = &ir->arches[k];

			if ((m.arches & FLAT_ARCH_BIT(a->arch)) ||
			    syscall_nr(a->arch, m.name, NULL) < 0)
				continue;
			outcome(&m, a->arch, a->default_action, NULL);
		}
		m.by_arch = !m.cond_loc && (m.allow || m.loose) && m.deny;
		VEC_PUSH(out, m);
	}
	VEC_FREE(&all);
}

/* systemd resolves names with its libseccomp: one it does not know is
 * skipped with a warning, so the drop-in must not hold it. */
static bool scmp_knows(const char *name)
{
	return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

/*
 * KEY=WORD WORD ... over lines of about 78 columns (the lines of a list
 * directive add up); @prefix starts every line ("~": systemd reads it
 * for the whole line, so a deny-list repeats it).
 */
void sd_put_words(struct strbuf *out, const char *key,
			const char *prefix, const struct str_vec *words)
{
	size_t i, col = 0;

	for (i = 0; i < words->n; i++) {
		size_t w = strlen(words->v[i]);

		if (col && col + 1 + w > 78) {
			sb_putc(out, '\n');
			col = 0;
		}
		if (!col) {
			sb_printf(out, "%s=%s", key, prefix);
			col = strlen(key) + 1 + strlen(prefix);
		} else {
			sb_putc(out, ' ');
			col++;
		}
		sb_puts(out, words->v[i]);
		col += w;
	}
	if (col)
		sb_putc(out, '\n');
}

void sd_str_vec_free(struct str_vec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	VEC_FREE(v);
}

/* The default action as SystemCallErrorNumber= says it. */
static const char *default_word(struct sf *e, char *buf, size_t len)
{
	const struct ir_arch *a = &e->ir->arches[0];
	const struct leash_loc *loc = e->f->default_stmt ?
				      &e->f->default_stmt->loc : NULL;
	bool inexact;

	deny_word(a->arch, a->default_action, buf, len, &inexact);
	if (inexact)
		diag_fidelity(e->d, loc,
			      "systemd has no '%s' action: calls the filter "
			      "denies kill the process "
			      "(SystemCallErrorNumber=kill)",
			      says(a->default_action));
	if ((a->default_action & IR_RET_ACTION_MASK) == IR_RET_ERRNO &&
	    (a->default_action & IR_RET_DATA_MASK) == 0) {
		diag_fidelity(e->d, loc,
			      "SystemCallErrorNumber= cannot be 0: calls the "
			      "filter denies kill the process instead of "
			      "returning 0");
		snprintf(buf, len, "kill");
	}
	return buf;
}

static bool in_systemd_default(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(systemd_default); i++)
		if (!strcmp(systemd_default[i], name))
			return true;
	return false;
}

static void allow_list_entry(struct sf *e, const struct sys_sum *s,
			     const char *dflt, struct str_vec *words)
{
	if (s->allow || s->loose) {
		if (!scmp_knows(s->name)) {
			note_add(e, N_UNKNOWN_NAME, s->rule_loc, NULL,
				 s->name);
			return;
		}
		VEC_PUSH(words, xstrdup(s->name));
		if (s->deny && s->by_arch)
			note_add(e, N_ARCH, s->rule_loc, NULL, s->name);
		else if (s->deny)
			cond_notes(e, s->name);
		if (s->loose)
			note_add(e, N_LOOSE, s->rule_loc, s->loose_says,
				 s->name);
		return;
	}
	/* One of systemd's @default calls is allowed, not denied: the
	 * note of default_set_notes() says so. */
	if ((s->deny_inexact || strcmp(s->deny_as, dflt)) &&
	    !in_systemd_default(s->name))
		note_add(e, N_ACTION, s->rule_loc, s->deny_says, s->name);
}

static void deny_list_entry(struct sf *e, const struct sys_sum *s,
			    struct str_vec *words)
{
	if (!s->deny) {
		if (s->loose)
			note_add(e, N_LOOSE, s->rule_loc, s->loose_says,
				 s->name);
		return;
	}
	if (s->allow || s->loose) {
		if (s->by_arch)
			note_add(e, N_ARCH, s->rule_loc, NULL, s->name);
		else
			cond_notes(e, s->name);
		return;
	}
	if (!scmp_knows(s->name)) {
		note_add(e, N_UNKNOWN_NAME, s->rule_loc, NULL, s->name);
		return;
	}
	if (s->deny_inexact)
		note_add(e, N_ACTION, s->rule_loc, s->deny_says, s->name);
	VEC_PUSH(words, xasprintf("%s:%s", s->name, s->deny_as));
}

/* systemd's @default calls that the policy does not always allow. */
static void default_set_notes(struct sf *e, struct sum_vec *sums)
{
	const struct leash_loc *dloc = e->f->default_stmt ?
				       &e->f->default_stmt->loc : NULL;
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(systemd_default); i++) {
		const char *n = systemd_default[i];
		struct sys_sum *s = find_sum(sums, n);
		bool exists = false;

		/* A name its libseccomp lacks, systemd cannot allow. */
		if (!scmp_knows(n))
			continue;

		if (s) {
			if (!s->deny)
				continue;
			note_add(e, N_DEFAULT_SET, s->rule_loc ? s->rule_loc :
				 dloc, NULL, n);
			continue;
		}
		for (k = 0; k < e->ir->n_arches; k++)
			exists |= syscall_nr(e->ir->arches[k].arch, n,
					     NULL) >= 0;
		if (exists)
			note_add(e, N_DEFAULT_SET, dloc, NULL, n);
	}
}

static void flush_filter_notes(struct sf *e)
{
	const char *mode = e->allow_list ? "lists" : "denies";
	size_t i;

	for (i = 0; i < e->notes.n; i++) {
		struct note_acc *n = &e->notes.v[i];
		const char *c = n->names.s;
		bool plural = strchr(c, ',') != NULL;

		switch (n->kind) {
		case N_COND:
			diag_fidelity(e->d, n->loc,
				      "SystemCallFilter= %s whole calls, so "
				      "%s %s allowed whatever the arguments "
				      "(leash-exec with the bundle enforces "
				      "the conditions)",
				      mode, c, e->allow_list ?
				      (plural ? "are" : "is") :
				      (plural ? "stay" : "stays"));
			break;
		case N_ARCH:
			diag_fidelity(e->d, n->loc,
				      "SystemCallFilter= is one list for "
				      "every arch: %s %s allowed on every "
				      "arch of SystemCallArchitectures=",
				      c, e->allow_list ?
				      (plural ? "are" : "is") :
				      (plural ? "stay" : "stays"));
			break;
		case N_ACTION:
			diag_fidelity(e->d, n->loc,
				      "systemd denies %s with %s%s, not '%s' "
				      "as the policy says (one action for "
				      "%s)",
				      c, e->allow_list ?
				      "SystemCallErrorNumber=" :
				      "kill (its nearest action)",
				      e->allow_list ? e->dflt : "",
				      n->extra, e->allow_list ?
				      "every call an allow-list denies" :
				      "what it cannot say");
			break;
		case N_DEFAULT_SET:
			diag_fidelity(e->d, n->loc,
				      "systemd always allows its @default "
				      "calls under an allow-list "
				      "SystemCallFilter=: %s %s allowed",
				      c, plural ? "stay" : "stays");
			break;
		case N_LOOSE:
			diag_fidelity(e->d, n->loc,
				      "systemd has no '%s' action: %s %s "
				      "allowed without it",
				      n->extra, c, plural ? "are" : "is");
			break;
		case N_UNKNOWN_NAME: {
			const struct scmp_version *v = seccomp_version();

			/* leash's own libseccomp stands for systemd's: on
			 * Debian 12 both are 2.5.4. */
			diag_fidelity(e->d, n->loc,
				      "libseccomp %u.%u.%u, with which systemd "
				      "reads names, does not know %s: left out "
				      "of SystemCallFilter=, so systemd %s %s",
				      v ? v->major : 0, v ? v->minor : 0,
				      v ? v->micro : 0, c,
				      e->allow_list ? "denies" : "allows",
				      plural ? "them" : "it");
			break;
		}
		default:
			break;
		}
		sb_free(&n->names);
	}
	VEC_FREE(&e->notes);
}

static void sd_arches(struct sf *e, struct strbuf *out)
{
	const struct ir_filter *ir = e->ir;
	const char *sep = "";
	bool native = false;
	size_t i;

	sb_puts(out, "SystemCallArchitectures=\nSystemCallArchitectures=");
	for (i = 0; i < ir->n_arches; i++) {
		enum leash_arch a = ir->arches[i].arch;

		native |= a == arch_native();
		if (!systemd_arch[a]) {
			diag_fidelity(e->d, e->f->arch_stmt ?
				      &e->f->arch_stmt->loc : NULL,
				      "systemd 252 does not know the arch %s: "
				      "it blocks every call of it",
				      arch_info(a)->name);
			continue;
		}
		sb_printf(out, "%s%s", sep, systemd_arch[a]);
		sep = " ";
	}
	sb_putc(out, '\n');
	if (!native)
		diag_fidelity(e->d, e->f->arch_stmt ? &e->f->arch_stmt->loc :
			      NULL,
			      "systemd always allows its native arch: %s "
			      "calls are filtered as the others, not killed",
			      arch_info(arch_native())->name);
}

void sd_filter(const struct flat_policy *f, const struct ir_filter *ir,
	       struct diag *d, struct strbuf *out)
{
	struct sf sf = { f, ir, d, { 0 }, false, "" }, *e = &sf;
	const struct ir_arch *a0 = &e->ir->arches[0];
	struct sum_vec sums = { 0 };
	struct str_vec words = { 0 };
	char dflt[24] = "";
	bool inexact;
	size_t i;

	e->allow_list = deny_word(a0->arch, a0->default_action, dflt,
				  sizeof(dflt), &inexact);
	summarize(e->ir, &sums);
	if (e->allow_list)
		default_word(e, dflt, sizeof(dflt));
	memcpy(e->dflt, dflt, sizeof(e->dflt));
	for (i = 0; i < sums.n; i++) {
		if (e->allow_list)
			allow_list_entry(e, &sums.v[i], dflt, &words);
		else
			deny_list_entry(e, &sums.v[i], &words);
	}
	if (e->allow_list)
		default_set_notes(e, &sums);
	else if ((a0->default_action & IR_RET_ACTION_MASK) != IR_RET_ALLOW)
		diag_fidelity(e->d, e->f->default_stmt ?
			      &e->f->default_stmt->loc : NULL,
			      "systemd has no '%s' action: calls no rule "
			      "denies are allowed without it",
			      says(a0->default_action));
	if (e->f->unknown_stmt &&
	    a0->unknown_action != a0->default_action) {
		char u[24];

		if (!e->allow_list && deny_word(a0->arch, a0->unknown_action,
						u, sizeof(u), &inexact))
			diag_fidelity(e->d, &e->f->unknown_stmt->loc,
				      "systemd allows calls newer than its "
				      "tables, which 'unknown' denies");
		else if (e->allow_list)
			diag_fidelity(e->d, &e->f->unknown_stmt->loc,
				      "systemd gives calls newer than its "
				      "tables SystemCallErrorNumber=%s, not "
				      "'unknown' %s",
				      dflt, says_buf(a0->arch,
						     a0->unknown_action, u,
						     sizeof(u)));
	}
	flush_filter_notes(e);

	if (e->allow_list && !words.n)
		/* Nothing but systemd's @default: still an allow-list. */
		VEC_PUSH(&words, xstrdup("@default"));
	/* A deny-list that denies nothing leaves the unit's filter be. */
	if (words.n)
		sb_puts(out, "SystemCallFilter=\n");
	sd_put_words(out, "SystemCallFilter", e->allow_list ? "" : "~", &words);
	if (e->allow_list)
		sb_printf(out, "SystemCallErrorNumber=%s\n", dflt);
	sd_arches(e, out);
	sd_str_vec_free(&words);
	VEC_FREE(&sums);
}
