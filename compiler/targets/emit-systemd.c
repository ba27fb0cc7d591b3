/* SPDX-License-Identifier: MIT */
/*
 * emit-systemd.c - NAME.service.d/zz-leash.conf: a drop-in that
 * confines a systemd service (systemd 252) as the policy says, as far
 * as systemd's directives can say it.
 *
 * The drop-in is defence in depth (docs/language.md section 8): what
 * systemd says exactly becomes a directive; what it cannot say is a
 * fidelity note naming the rule (an error under --strict), and the
 * drop-in's comments show how to run the command under leash-exec with
 * NAME.bundle, which enforces all of it.  Rules beyond the one-to-one
 * settings:
 *
 *  - Named "zz-" so it sorts after the unit's other drop-ins, and every
 *    list directive it sets starts with an empty assignment: lists
 *    merge across the unit and its drop-ins, and a policy's list must
 *    not be widened by the unit's.
 *  - Directives are in two groups: resources (cgroup limits, rlimits),
 *    which stay right when the command runs under leash-exec, and the
 *    confinement systemd applies itself, which leash-exec replaces
 *    (it needs root and the capabilities it drops to set it up).
 *  - SystemCallFilter= lists whole calls, for every arch alike, with one
 *    action for what an allow-list denies.  The rule when a call's
 *    action depends on its arguments (or on the arch) is: the drop-in
 *    is never NARROWER than the policy, and where it is wider it says
 *    so in a note at the rule.
 *      allow-list (default denies): such a call is listed, so allowed
 *        whatever its arguments;
 *      deny-list (default allows): such a call is not listed, so
 *        allowed whatever its arguments.
 *    Narrower would break the service, and most of all the exact
 *    filter leash-exec stacks under it; wider is what a note is for.
 *    systemd also always allows its own @default set under an
 *    allow-list (SYSTEMD_DEFAULT below, systemd 252's list); a note
 *    names those the policy denies.  A call systemd denies with another
 *    errno than the policy (one SystemCallErrorNumber= for a whole
 *    allow-list) is noted too: not wider, but a program may react to
 *    the errno (ENOSYS for clone3 makes glibc fall back to clone).
 *  - read_only_root is ProtectSystem=strict plus ReadOnlyPaths=/, as
 *    leash-exec mounts it: everything read-only, then /proc, /dev/pts,
 *    /dev/shm and the fixed paths the policy's allow rules write
 *    writable again (ReadWritePaths=, "-": a missing path is skipped,
 *    as leash-exec skips it).  mask is InaccessiblePaths=, readonly is
 *    ReadOnlyPaths=; a deny with a fixed path is InaccessiblePaths= for
 *    'r', else ReadOnlyPaths= for 'w' and NoExecPaths= for 'x'.
 *  - The network families the section allows are
 *    RestrictAddressFamilies=; socket types and ports have no directive.
 *  - Commands prefixed with '+' in the unit run without any of this:
 *    the comments say so (a drop-in cannot see the unit's commands).
 */
#include "targets/emit-systemd.h"
#include "targets/emit-apparmor.h"
#include "targets/landlock.h"
#include "common/tables.h"

#include <ctype.h>
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

struct es {
	struct leash_ctx *ctx;
	const struct flat_policy *f;
	const struct ir_filter *ir;
	struct diag *d;
	struct note_vec notes;
	bool allow_list;
	char dflt[24];		/* SystemCallErrorNumber= of an allow-list */
	int rc;
};

/* ---- small helpers ------------------------------------------------------- */

static bool eval(struct es *e, const struct expr *x, uint64_t *v)
{
	if (x && res_eval_const(e->ctx, x, v))
		return true;
	e->rc = -EINVAL;	/* check.c evaluated it: only a bug */
	return false;
}

/*
 * A path or name as one word of a directive: systemd splits values on
 * whitespace, reads quotes and backslashes, and expands %-specifiers;
 * refuse what it would read differently rather than guess its quoting.
 */
static bool sd_word(struct es *e, const struct leash_loc *loc,
		    const char *what, const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("\"'\\%", *p) ||
		    *p == 0x7f)
			break;
	if (*p == '\0' && *s)
		return true;
	diag_error(e->d, loc,
		   "cannot write %s '%s' in a systemd unit: it holds a "
		   "character systemd would split, unquote or expand "
		   "(whitespace, quotes, '\\', '%%')",
		   what, s);
	e->rc = -EINVAL;
	return false;
}

static const struct leash_loc *rule_loc(const struct ir_rule *r)
{
	return r->src ? &r->src->loc : r->net_loc;
}

static void note_add(struct es *e, enum sd_note kind,
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
static void cond_notes(struct es *e, const char *name)
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
static void put_words_p(struct strbuf *out, const char *key,
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

static void put_words(struct strbuf *out, const char *key,
		      const struct str_vec *words)
{
	put_words_p(out, key, "", words);
}

static void str_vec_clear(struct str_vec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	VEC_FREE(v);
}

/* The default action as SystemCallErrorNumber= says it. */
static const char *default_word(struct es *e, char *buf, size_t len)
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

static void allow_list_entry(struct es *e, const struct sys_sum *s,
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

static void deny_list_entry(struct es *e, const struct sys_sum *s,
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
static void default_set_notes(struct es *e, struct sum_vec *sums)
{
	const struct leash_loc *dloc = e->f->default_stmt ?
				       &e->f->default_stmt->loc : NULL;
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(systemd_default); i++) {
		const char *n = systemd_default[i];
		struct sys_sum *s = find_sum(sums, n);
		bool exists = false;

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

static void flush_filter_notes(struct es *e)
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
		case N_UNKNOWN_NAME:
			diag_fidelity(e->d, n->loc,
				      "systemd's libseccomp does not know "
				      "%s: left out of SystemCallFilter=, so "
				      "systemd %s them",
				      c, e->allow_list ? "denies" : "allows");
			break;
		default:
			break;
		}
		sb_free(&n->names);
	}
	VEC_FREE(&e->notes);
}

static void sd_arches(struct es *e, struct strbuf *out)
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

/* SystemCallFilter=, SystemCallErrorNumber=, SystemCallArchitectures=. */
static void sd_seccomp(struct es *e, struct strbuf *out)
{
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
	put_words_p(out, "SystemCallFilter", e->allow_list ? "" : "~", &words);
	if (e->allow_list)
		sb_printf(out, "SystemCallErrorNumber=%s\n", dflt);
	sd_arches(e, out);
	str_vec_clear(&words);
	VEC_FREE(&sums);
}

/* ---- process: user, capabilities, no_new_privs, AppArmor ----------------- */

static void put_caps(struct strbuf *out, const char *key, uint64_t set)
{
	int c;

	sb_printf(out, "%s=\n", key);
	if (!set)
		return;
	sb_printf(out, "%s=", key);
	for (c = 0; c < CAP_COUNT; c++)
		if (set & FLAT_CAP_BIT(c))
			sb_printf(out, "%sCAP_%s",
				  (set & (FLAT_CAP_BIT(c) - 1)) ? " " : "",
				  cap_name(c));
	sb_putc(out, '\n');
}

/*
 * AppArmorProfile= takes the rest of the line as the name, with
 * %-specifiers expanded ("%%" is one '%'), surrounding whitespace
 * dropped, and a leading '-' read as "ignore errors".
 */
static void put_profile(struct es *e, struct strbuf *out,
			const struct leash_loc *loc, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = name; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			break;
	if (*p || !n || name[0] == '-' || name[0] == ' ' ||
	    name[n - 1] == ' ' || name[n - 1] == '\\') {
		diag_error(e->d, loc,
			   "cannot write the AppArmor profile name '%s' in a "
			   "systemd unit: systemd would read it differently "
			   "(a control character, a leading '-', surrounding "
			   "spaces or a final '\\')",
			   name);
		e->rc = -EINVAL;
		return;
	}
	sb_puts(out, "AppArmorProfile=");
	for (p = name; *p; p++)
		sb_puts(out, *p == '%' ? "%%" : (char[]){ *p, '\0' });
	sb_putc(out, '\n');
}

static void sd_process(struct es *e, struct strbuf *out)
{
	const struct flat_policy *f = e->f;
	uint64_t uid = 0, gid, g;
	size_t i;

	sb_printf(out, "NoNewPrivileges=%s\n", flat_nnp_on(f) ? "yes" : "no");
	/* An empty CapabilityBoundingSet= is the empty set, not a reset:
	 * with no capability the one line says all. */
	put_caps(out, "CapabilityBoundingSet", f->caps);
	put_caps(out, "AmbientCapabilities", f->ambient);
	if (f->user && eval(e, f->user->uid, &uid)) {
		gid = uid;
		if (f->user->gid)
			eval(e, f->user->gid, &gid);
		/* 'user UID' alone runs with GID = UID, as in the OCI
		 * target: systemd would take the passwd entry's group. */
		sb_printf(out, "User=%llu\nGroup=%llu\n",
			  (unsigned long long)uid, (unsigned long long)gid);
		if (uid != 0 && (f->caps & ~f->ambient))
			diag_fidelity(e->d, &f->user->loc,
				      "systemd gives a service of user %llu "
				      "only its AmbientCapabilities= as "
				      "effective: the policy's other "
				      "capabilities stay in the bounding set "
				      "only",
				      (unsigned long long)uid);
	}
	if (f->groups) {
		sb_puts(out, "SupplementaryGroups=\nSupplementaryGroups=");
		for (i = 0; i < f->groups->groups.n; i++)
			if (eval(e, f->groups->groups.v[i], &g))
				sb_printf(out, "%s%llu", i ? " " : "",
					  (unsigned long long)g);
		sb_putc(out, '\n');
	}
	if (f->aa_name || f->aa_template || f->aa_flags || f->n_aa_raw) {
		_cleanup_free_ char *name = emit_aa_profile_name(f);
		const struct leash_loc *loc = f->aa_name ?
			&f->aa_name->loc : NULL;

		put_profile(e, out, loc, name);
	}
}

/* ---- filesystem ---------------------------------------------------------- */

struct paths {
	struct str_vec ro, rw, hidden, noexec;
};

static void add_path(struct es *e, struct str_vec *v,
		     const struct leash_loc *loc, const char *p)
{
	size_t i;

	if (!sd_word(e, loc, "the path", p))
		return;
	/* systemd ignores such a path ("not normalized"), with only a
	 * warning: the restriction would be lost. */
	if (strstr(p, "/../") || (strlen(p) >= 3 &&
				 !strcmp(p + strlen(p) - 3, "/.."))) {
		diag_error(e->d, loc,
			   "cannot write the path '%s' in a systemd unit: "
			   "systemd ignores a path with a '..' component",
			   p);
		e->rc = -EINVAL;
		return;
	}
	for (i = 0; i < v->n; i++)
		if (!strcmp(v->v[i] + 1, p))
			return;
	/* "-": a path missing when the service starts is skipped, as
	 * leash-exec skips it, instead of failing the unit. */
	VEC_PUSH(v, xasprintf("-%s", p));
}

static void deny_paths(struct es *e, const struct fs_stmt *s,
		       struct paths *ps)
{
	const char *m = s->mode.s;
	size_t j;

	for (j = 0; j < s->paths.n; j++) {
		const struct ast_name *n = &s->paths.v[j];
		_cleanup_free_ char *p = ll_fixed_path(n->s);

		if (!p) {
			diag_fidelity(e->d, &n->loc,
				      "'deny %s \"%s\"' is not enforced: "
				      "systemd's path directives need a fixed "
				      "path, not a glob",
				      m, n->s);
			continue;
		}
		if (strchr(m, 'r')) {
			add_path(e, &ps->hidden, &n->loc, p);
			continue;
		}
		if (strchr(m, 'w'))
			add_path(e, &ps->ro, &n->loc, p);
		if (strchr(m, 'x'))
			add_path(e, &ps->noexec, &n->loc, p);
		if (strpbrk(m, "lkm") && !strchr(m, 'x'))
			diag_fidelity(e->d, &s->loc,
				      "'deny %s \"%s\"': systemd has no "
				      "directive that denies only links, locks "
				      "or mmap-exec of a path: those stay "
				      "allowed",
				      m, n->s);
	}
}

static void sd_filesystem(struct es *e, struct strbuf *out)
{
	const struct flat_policy *f = e->f;
	const struct fs_stmt *first_allow = NULL;
	struct paths ps = { { 0 }, { 0 }, { 0 }, { 0 } };
	size_t i, j, n_allow = 0;

	if (f->read_only_root) {
		static const char *const keep[] = {
			"/proc", "/dev/pts", "/dev/shm"
		};

		add_path(e, &ps.ro, NULL, "/");
		for (i = 0; i < ARRAY_SIZE(keep); i++)
			add_path(e, &ps.rw, NULL, keep[i]);
		/* leash-exec's /proc/sys keeps its own read-only mount. */
		add_path(e, &ps.ro, NULL, "/proc/sys");
	}
	for (i = 0; i < f->n_fs; i++) {
		const struct fs_stmt *s = f->fs[i];

		switch (s->kind) {
		case FS_MASK:
		case FS_READONLY:
			for (j = 0; j < s->paths.n; j++)
				add_path(e, s->kind == FS_MASK ? &ps.hidden :
					 &ps.ro, &s->paths.v[j].loc,
					 s->paths.v[j].s);
			break;
		case FS_DENY:
			deny_paths(e, s, &ps);
			break;
		case FS_ALLOW:
			first_allow = first_allow ? first_allow : s;
			n_allow++;
			if (!f->read_only_root || !strpbrk(s->mode.s, "wcd"))
				break;
			for (j = 0; j < s->paths.n; j++) {
				const struct ast_name *n = &s->paths.v[j];
				_cleanup_free_ char *p = ll_fixed_path(n->s);

				if (p)
					add_path(e, &ps.rw, &n->loc, p);
				else
					diag_fidelity(e->d, &n->loc,
						      "'allow %s \"%s\"' stays "
						      "read-only under "
						      "ProtectSystem=strict: "
						      "ReadWritePaths= needs a "
						      "fixed path",
						      s->mode.s, n->s);
			}
			break;
		case FS_READ_ONLY_ROOT:
		default:
			break;
		}
	}
	if (first_allow)
		diag_fidelity(e->d, &first_allow->loc,
			      "%zu filesystem allow rule%s not enforced: "
			      "systemd has no per-path allow-list; AppArmor "
			      "(AppArmorProfile=) and Landlock (leash-exec) "
			      "enforce them",
			      n_allow, n_allow == 1 ? " is" : "s are");
	if (f->read_only_root)
		sb_puts(out, "ProtectSystem=strict\n");
	if (ps.ro.n || ps.rw.n || ps.hidden.n || ps.noexec.n) {
		sb_puts(out, "ReadOnlyPaths=\nReadWritePaths=\n"
			     "InaccessiblePaths=\nNoExecPaths=\n");
		put_words(out, "ReadOnlyPaths", &ps.ro);
		put_words(out, "ReadWritePaths", &ps.rw);
		put_words(out, "InaccessiblePaths", &ps.hidden);
		put_words(out, "NoExecPaths", &ps.noexec);
	}
	str_vec_clear(&ps.ro);
	str_vec_clear(&ps.rw);
	str_vec_clear(&ps.hidden);
	str_vec_clear(&ps.noexec);
}

/* ---- network and namespaces ---------------------------------------------- */

/* "inet" -> "AF_INET" when the tables know it, else NULL. */
static char *af_name(const char *family)
{
	char *s = xasprintf("AF_%s", family);
	uint64_t v;
	char *p;

	for (p = s + 3; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	if (!const_lookup(arch_native(), s, &v)) {
		free(s);
		return NULL;
	}
	return s;
}

static bool push_unique(struct str_vec *v, char *s)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s)) {
			free(s);
			return false;
		}
	VEC_PUSH(v, s);
	return true;
}

static void remove_word(struct str_vec *v, const char *s)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s)) {
			free(v->v[i]);
			v->v[i] = v->v[--v->n];
			return;
		}
}

/*
 * RestrictAddressFamilies=: the families the section allows (or, with
 * only deny entries, a deny-list of the families it denies whole).
 * systemd checks socket()'s family only, never its type.
 */
static void sd_network(struct es *e, struct strbuf *out, bool *none)
{
	const struct flat_policy *f = e->f;
	struct str_vec allow = { 0 }, deny = { 0 };
	bool allow_mode = false, any_family = false;
	size_t i, j;

	*none = false;
	for (i = 0; i < f->n_net; i++) {
		const struct net_stmt *s = f->net[i];

		if (s->kind == NET_PORTS)
			diag_fidelity(e->d, &s->loc,
				      "%s port rules are not enforced: "
				      "systemd has no directive for them; "
				      "Landlock (leash-exec) enforces them",
				      s->op.s);
		if (s->kind == NET_NONE) {
			*none = true;
			allow_mode = true;
			push_unique(&allow, xstrdup("AF_UNIX"));
		}
		if (s->kind != NET_RULE)
			continue;
		allow_mode |= !s->deny;
		for (j = 0; j < s->entries.n; j++) {
			const struct net_entry *en = &s->entries.v[j];
			char *af = af_name(en->first.s);

			if (!af) {
				/* A type alone: of every family. */
				if (!s->deny)
					any_family = true;
				diag_fidelity(e->d, &en->loc,
					      "'%s %s' is not enforced: "
					      "RestrictAddressFamilies= has "
					      "no socket types",
					      s->deny ? "deny" : "allow",
					      en->first.s);
				continue;
			}
			if (en->second.s)
				diag_fidelity(e->d, &en->loc,
					      "the type in '%s %s %s' is not "
					      "enforced: RestrictAddressFamilies= "
					      "%s every type of %s",
					      s->deny ? "deny" : "allow",
					      en->first.s, en->second.s,
					      s->deny ? "leaves" : "allows", af);
			if (s->deny && !en->second.s)
				push_unique(&deny, af);
			else if (!s->deny)
				push_unique(&allow, af);
			else
				free(af);
		}
	}
	/* A deny entry refuses its family wherever it stands. */
	for (i = 0; allow_mode && i < deny.n; i++)
		remove_word(&allow, deny.v[i]);
	if (allow_mode && !any_family) {
		sb_puts(out, "RestrictAddressFamilies=\n");
		if (allow.n)
			put_words(out, "RestrictAddressFamilies", &allow);
		else
			sb_puts(out, "RestrictAddressFamilies=none\n");
	} else if (!allow_mode && deny.n) {
		sb_puts(out, "RestrictAddressFamilies=\n");
		put_words_p(out, "RestrictAddressFamilies", "~", &deny);
	}
	for (i = 0; i < e->ir->n_arches; i++)
		if (e->ir->arches[i].arch == ARCH_X86 &&
		    ((allow_mode && !any_family) || deny.n))
			diag_fidelity(e->d, f->n_net ? &f->net[0]->loc : NULL,
				      "on x86, socketcall() is not checked by "
				      "RestrictAddressFamilies=");
	str_vec_clear(&allow);
	str_vec_clear(&deny);
}

static void sd_namespaces(struct es *e, struct strbuf *out, bool net_none)
{
	static const struct {
		const char *ns, *directive;
	} map[] = {
		{ "user", "PrivateUsers" }, { "ipc", "PrivateIPC" },
		{ "uts", "ProtectHostname" }, { "net", "PrivateNetwork" },
		{ "mount", "PrivateMounts" },
	};
	const struct proc_stmt *ns = e->f->namespaces;
	bool net = net_none;
	size_t i, k;

	for (i = 0; ns && i < ns->namespaces.n; i++) {
		const struct ast_name *n = &ns->namespaces.v[i];

		for (k = 0; k < ARRAY_SIZE(map); k++)
			if (!strcmp(n->s, map[k].ns))
				break;
		if (k == ARRAY_SIZE(map)) {
			diag_fidelity(e->d, &n->loc,
				      "namespace '%s' is not unshared: systemd "
				      "252 has no directive for it",
				      n->s);
			continue;
		}
		if (!strcmp(n->s, "net")) {
			net = true;
			continue;
		}
		sb_printf(out, "%s=yes\n", map[k].directive);
	}
	if (net)
		sb_puts(out, "PrivateNetwork=yes\n");
}

/* ---- limits -------------------------------------------------------------- */

/* One value: bytes, a count, thousandths of a CPU; UINT64_MAX for
 * 'unlimited'. */
static uint64_t limit_value(struct es *e, const struct limit_value *lv,
			    enum flat_limit l)
{
	uint64_t v = 0;

	switch (lv->kind) {
	case LV_UNLIMITED:
		return UINT64_MAX;
	case LV_SIZE:
		return lv->num;
	case LV_DECIMAL:
		if (!flat_limit_millis(lv->text, &v, NULL))
			e->rc = -EINVAL;
		return v;
	case LV_EXPR:
		if (!eval(e, lv->expr, &v))
			return 0;
		return l == FL_CPUS ? v * 1000 : v;
	default:
		e->rc = -EINVAL;
		return 0;
	}
}

static void put_num(struct strbuf *out, uint64_t v)
{
	if (v == UINT64_MAX)
		sb_puts(out, "infinity");
	else
		sb_printf(out, "%llu", (unsigned long long)v);
}

static void sd_limits(struct es *e, struct strbuf *out)
{
	static const char *const cg[] = {
		[FL_MEMORY] = "MemoryMax", [FL_PIDS] = "TasksMax",
	};
	int l;

	for (l = 0; l < FL_COUNT; l++) {
		const struct limit_stmt *s = e->f->limits[l];
		const struct flat_limit_info *li = flat_limit_info(l);
		uint64_t soft, hard;
		const char *p;

		if (!s)
			continue;
		soft = limit_value(e, &s->soft, l);
		hard = s->has_hard ? limit_value(e, &s->hard, l) : soft;
		if (l == FL_CPUS) {
			/* Thousandths of a CPU are tenths of a percent. */
			sb_printf(out, "CPUQuota=%llu", (unsigned long long)
				  (soft / 10));
			if (soft % 10)
				sb_printf(out, ".%llu",
					  (unsigned long long)(soft % 10));
			sb_puts(out, "%\n");
			continue;
		}
		if (li->resource < 0) {
			sb_printf(out, "%s=", cg[l]);
			put_num(out, soft);
			sb_putc(out, '\n');
			continue;
		}
		sb_puts(out, "Limit");
		for (p = li->name; *p; p++)
			sb_putc(out, (char)toupper((unsigned char)*p));
		sb_putc(out, '=');
		put_num(out, soft);
		sb_putc(out, ':');
		put_num(out, hard);
		sb_putc(out, '\n');
	}
}

/* ---- the drop-in --------------------------------------------------------- */

static void header(const struct flat_policy *f, struct strbuf *out)
{
	const char *name = f->policy->name.s;
	const struct src_file *src = f->policy->loc.file;

	sb_printf(out,
		  "# %s" SYSTEMD_DIR_SUFFIX "/" SYSTEMD_DROPIN
		  ": policy '%s' of %s, written by leash.\n"
		  "#\n"
		  "# Install it as a drop-in of the service to confine:\n"
		  "#   cp -r %s" SYSTEMD_DIR_SUFFIX
		  " /etc/systemd/system/UNIT.service.d\n"
		  "#   systemctl daemon-reload && systemctl restart UNIT\n"
		  "# \"zz-\" sorts it after the unit's other drop-ins; each "
		  "list it sets starts\n"
		  "# empty, so the unit's own entries do not widen it.\n"
		  "#\n"
		  "# systemd cannot say all a policy says: argument "
		  "conditions, first-match\n"
		  "# order across allow and deny, per-call actions in an "
		  "allow-list, the\n"
		  "# calls systemd always allows (its @default set), socket "
		  "types, ports,\n"
		  "# file allow rules.  leash printed a note naming each rule "
		  "this drop-in\n"
		  "# does not enforce as written (an error with --strict).  "
		  "To enforce the\n"
		  "# whole policy, run the command under leash-exec with "
		  "%s.bundle, in a\n"
		  "# drop-in of yours that keeps only the first group of "
		  "lines below\n"
		  "# (leash-exec starts as root and sets the user, "
		  "capabilities, filter,\n"
		  "# mounts and Landlock itself; the second group would stop "
		  "it):\n"
		  "#   ExecStart=\n"
		  "#   ExecStart=leash-exec /etc/leash/%s.bundle -- "
		  "COMMAND ARGS...\n"
		  "#\n"
		  "# Commands prefixed with \"+\" (ExecStartPre=+..., ...) "
		  "run without any of\n"
		  "# this confinement: do not use them in a confined unit.\n"
		  "\n[Service]\n",
		  name, name, src ? src->name : "?", name, name, name);
}

int emit_systemd(struct leash_ctx *ctx, const struct flat_policy *f,
		 const struct seccomp_out *sc, struct strbuf *out)
{
	struct es e = { ctx, f, sc->ir, &ctx->diag, { 0 }, false, "", 0 };
	struct strbuf res = { 0 }, conf = { 0 };
	bool none;

	if (!sc->ir || !sc->ir->n_arches)
		return diag_fail(e.d, NULL, -EINVAL,
				 "no seccomp filter to write");
	header(f, out);
	sd_limits(&e, &res);
	sd_process(&e, &conf);
	sd_seccomp(&e, &conf);
	sd_filesystem(&e, &conf);
	sd_network(&e, &conf, &none);
	sd_namespaces(&e, &conf, none);
	if (res.len) {
		sb_puts(out, "# Resources: the same under leash-exec.\n");
		sb_putn(out, res.s, res.len);
		sb_putc(out, '\n');
	}
	sb_puts(out, "# Confinement systemd applies (leash-exec replaces it).\n");
	sb_putn(out, conf.s, conf.len);
	sb_free(&res);
	sb_free(&conf);
	return e.rc;
}
