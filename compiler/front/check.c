/* SPDX-License-Identifier: MIT */
/*
 * check.c - chk_all(): the semantic checks of docs/language.md, per policy.
 *
 * res_names() has built the namespace and linked 'extends' (cycles,
 * redefinitions and unknown bases are its errors); this pass judges what
 * every statement means.  This file drives it and owns seccomp:
 * actions, arches, 'when' names, targets and argument declarations,
 * syscall names per selected arch and rules an earlier rule shadows.
 * A rule's 'if' is check-expr.c's; the other sections are
 * check-sections.c's (check-int.h).
 *
 * Each policy is judged through its flat view (policy.h), so inherited
 * rules are checked against the derived policy's arches and capability
 * set, as section 3 says.  Messages are lowercase, quote user text in
 * '...' and say what was expected; every one points at the offending
 * token.
 */
#include "front/check-int.h"
#include "common/sigs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 6
#define ERRNO_MAX 4095
#define TRACE_MAX 65535

/* ---- a string-keyed table: one slot per syscall name --------------------- */

/*
 * What the shadow analysis knows about one syscall name within one
 * policy's own rules.  Entry references are indexes into chk.entries.
 */
struct sys_slot {
	const char *name;
	uint32_t uncond;		/* arches an earlier unconditional rule
					 * already matches */
	uint32_t first[ARCH_COUNT];	/* that rule's entry, per arch */
	size_t direct_rule;		/* rule index + 1 that last named it
					 * directly (0: none) */
	uint32_t direct;		/* that entry */
};

struct sysmap {
	struct sys_slot *slots;
	size_t cap, n;
};

static struct sys_slot *sysmap_find(struct sysmap *m, const char *name)
{
	size_t i = (size_t)str_hash(name) & (m->cap - 1);

	while (m->slots[i].name && strcmp(m->slots[i].name, name) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static struct sys_slot *sysmap_get(struct sysmap *m, const char *name)
{
	struct sys_slot *s;
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		struct sysmap nm = { .cap = m->cap ? 2 * m->cap : 256 };

		nm.slots = xcalloc(nm.cap, sizeof(*nm.slots));
		for (i = 0; i < m->cap; i++)
			if (m->slots[i].name)
				*sysmap_find(&nm, m->slots[i].name) =
					m->slots[i];
		free(m->slots);
		*m = (struct sysmap){ nm.slots, nm.cap, m->n };
	}
	s = sysmap_find(m, name);
	if (!s->name) {
		s->name = name;
		m->n++;
	}
	return s;
}

/* ---- a set of pointers ------------------------------------------------- */

struct ptrset {
	const void **slots;
	size_t cap, n;
};

static size_t ptr_slot(const struct ptrset *s, const void *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h >> 17) & (s->cap - 1);

	while (s->slots[i] && s->slots[i] != p)
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* Add @p; returns false when it was there already. */
static bool ptrset_add(struct ptrset *s, const void *p)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct ptrset ns = { .cap = s->cap ? 2 * s->cap : 64 };

		ns.slots = xcalloc(ns.cap, sizeof(*ns.slots));
		for (i = 0; i < s->cap; i++)
			if (s->slots[i])
				ns.slots[ptr_slot(&ns, s->slots[i])] =
					s->slots[i];
		ns.n = s->n;
		free(s->slots);
		*s = ns;
	}
	i = ptr_slot(s, p);
	if (s->slots[i])
		return false;
	s->slots[i] = p;
	s->n++;
	return true;
}

/* ---- per-policy state ---------------------------------------------------- */

/* One syscall a rule names, directly or through a group. */
struct entry {
	const struct ast_name *name;	/* as written (a group member sits
					 * in the group) */
	const struct ast_target *target;	/* the target that named it */
	size_t rule;			/* index in flat.rules */
};
VEC(entry_vec, struct entry);

/* A rule's action, evaluated once, so shadowing can compare actions. */
struct act_val {
	bool ok;
	enum action_kind kind;
	uint64_t value;
};
VEC(act_vec, struct act_val);

/* An unconditional rule's entry, recorded once the rule is done. */
struct pending {
	const char *name;
	uint32_t live;
	uint32_t entry;
};
VEC(pending_vec, struct pending);

VEC(name_ptr_vec, const struct ast_name *);

/* A group member an earlier rule shadows: entry and shadowing entry. */
struct shadowed {
	uint32_t entry, by;
};
VEC(shadowed_vec, struct shadowed);

struct chk {
	struct leash_ctx *ctx;
	struct diag *d;
	const struct ast_policy *p;
	struct flat_policy f;
	/* seccomp walk */
	size_t rule_idx;		/* next own rule in f.rules */
	const struct sc_stmt *first_default, *first_unknown, *first_arch;
	/* shadow analysis over the policy's own rules */
	struct sysmap sys;
	struct entry_vec entries;
	struct act_vec acts;		/* per own rule */
	struct pending_vec pending;
	struct name_ptr_vec members;	/* scratch: one group's expansion */
	struct shadowed_vec shadowed;	/* scratch: its shadowed members */
	/* Inherited names already reported as missing on every arch, so a
	 * base shared by several policies is reported once. */
	struct ptrset *reported;
};

/* "arch x32" / "arches x86, x32", in the policy's order. */
static const char *arch_list(const struct chk *c, uint32_t mask, char *buf,
			     size_t len)
{
	size_t i, n = 0, used;

	for (i = 0; i < c->f.n_arches; i++)
		n += (mask & FLAT_ARCH_BIT(c->f.arches[i])) != 0;
	used = (size_t)snprintf(buf, len, "%s", n == 1 ? "arch" : "arches");
	for (i = 0, n = 0; i < c->f.n_arches && used < len; i++) {
		if (!(mask & FLAT_ARCH_BIT(c->f.arches[i])))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 n++ ? ", " : " ",
					 arch_info(c->f.arches[i])->name);
	}
	return buf;
}

/* ---- seccomp: actions, arches, 'when' ------------------------------------ */

static struct act_val check_action(struct chk *c, const struct ast_action *a)
{
	struct act_val v = { .ok = true, .kind = a->kind };
	uint64_t n = 0;

	if (a->kind != ACT_ERRNO && a->kind != ACT_TRACE)
		return v;
	if (!a->value) {
		v.value = EPERM;	/* 'deny' */
		return v;
	}
	if (!res_eval_const(c->ctx, a->value, &n)) {
		v.ok = false;
		return v;
	}
	if (a->kind == ACT_ERRNO && n > ERRNO_MAX) {
		diag_error(c->d, &a->value->loc,
			   "errno value %llu out of range 0..%d",
			   (unsigned long long)n, ERRNO_MAX);
		v.ok = false;
	} else if (a->kind == ACT_TRACE && n > TRACE_MAX) {
		diag_error(c->d, &a->value->loc,
			   "trace value %llu out of range 0..%d",
			   (unsigned long long)n, TRACE_MAX);
		v.ok = false;
	}
	v.value = n;
	return v;
}

static bool same_action(const struct act_val *a, const struct act_val *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind != ACT_ERRNO && a->kind != ACT_TRACE)
		return true;
	/* An invalid value was reported already: do not add noise. */
	return !a->ok || !b->ok || a->value == b->value;
}

static void bad_arch(struct chk *c, const struct ast_name *n)
{
	chk_unknown(c->d, &n->loc, "arch", n->s, arch_suggest(n->s), NULL);
}

static void check_arch_stmt(struct chk *c, const struct sc_stmt *s)
{
	const struct ast_name *seen[ARCH_COUNT] = { NULL };
	size_t i;

	for (i = 0; i < s->arches.n; i++) {
		const struct ast_name *n = &s->arches.v[i];
		const struct arch_info *ai = arch_by_name(n->s);

		if (!ai) {
			bad_arch(c, n);
			continue;
		}
		if (seen[ai->id]) {
			if (strcmp(seen[ai->id]->s, n->s) == 0)
				diag_warning(c->d, &n->loc,
					     "arch '%s' is listed twice", n->s);
			else
				diag_warning(c->d, &n->loc,
					     "arch '%s' is the same as '%s', listed already",
					     n->s, seen[ai->id]->s);
			continue;
		}
		seen[ai->id] = n;
	}
}

static void check_when_cond(struct chk *c, const struct ast_cond *w)
{
	if (!w)
		return;
	switch (w->kind) {
	case COND_CAP:
		if (cap_by_name(w->name.s) < 0)
			chk_unknown(c->d, &w->name.loc, "capability", w->name.s,
				    cap_suggest(w->name.s), NULL);
		break;
	case COND_ARCH:
		if (!arch_by_name(w->name.s))
			bad_arch(c, &w->name);
		break;
	case COND_NOT:
		check_when_cond(c, w->lhs);
		break;
	case COND_AND:
	case COND_OR:
		check_when_cond(c, w->lhs);
		check_when_cond(c, w->rhs);
		break;
	default:
		break;
	}
}

/* default/unknown/arch: once per policy, at the top of 'seccomp'. */
static void check_setting(struct chk *c, const struct sc_stmt *s,
			  bool in_when)
{
	static const char *const names[] = {
		[SC_DEFAULT] = "default", [SC_UNKNOWN] = "unknown",
		[SC_ARCH] = "arch",
	};
	const struct sc_stmt **first = s->kind == SC_DEFAULT ?
		&c->first_default : s->kind == SC_UNKNOWN ?
		&c->first_unknown : &c->first_arch;

	if (s->kind == SC_ARCH)
		check_arch_stmt(c, s);
	else
		check_action(c, &s->action);
	if (in_when) {
		diag_error(c->d, &s->loc,
			   "'%s' cannot be used inside 'when': it applies to the whole policy",
			   names[s->kind]);
		return;
	}
	if (*first)
		chk_repeated(c->d, c->p, &s->loc, &(*first)->loc,
			     names[s->kind]);
	else
		*first = s;
}

/* ---- seccomp: targets and syscall names ---------------------------------- */

static void check_argdecls(struct chk *c, const struct ast_target *t)
{
	size_t i, j;

	for (i = 0; i < t->args.n; i++) {
		const struct ast_argdecl *a = &t->args.v[i];
		int n;

		if (i == MAX_ARGS) {
			diag_error(c->d, &a->name.loc,
				   "too many arguments for '%s': a syscall has at most %d",
				   t->name.s, MAX_ARGS);
			break;
		}
		if (a->width != 0 && a->width != 32 && a->width != 64)
			diag_error(c->d, &a->width_loc,
				   "argument width must be 32 or 64, not %u",
				   a->width);
		if (!a->name.s)
			continue;
		/* 'foo(arg1)' would make arg1 mean argument 0. */
		n = strlen(a->name.s) == 4 &&
		    strncmp(a->name.s, "arg", 3) == 0 &&
		    a->name.s[3] >= '0' && a->name.s[3] < '0' + MAX_ARGS ?
		    a->name.s[3] - '0' : -1;
		if (n >= 0 && (size_t)n != i)
			diag_error(c->d, &a->name.loc,
				   "'%s' would name argument %zu here: call it 'arg%zu' or choose another name",
				   a->name.s, i, i);
		for (j = 0; j < i; j++) {
			if (t->args.v[j].name.s &&
			    strcmp(t->args.v[j].name.s, a->name.s) == 0) {
				diag_error(c->d, &a->name.loc,
					   "argument '%s' is declared twice",
					   a->name.s);
				diag_note(c->d, &t->args.v[j].name.loc,
					  "previous declaration of '%s' was here",
					  a->name.s);
				break;
			}
		}
	}
}

/* "argN" (N < MAX_ARGS) -> N, else -1. */
static int argn_of(const char *s)
{
	if (strlen(s) == 4 && strncmp(s, "arg", 3) == 0 && s[3] >= '0' &&
	    s[3] < '0' + MAX_ARGS)
		return s[3] - '0';
	return -1;
}

/* "mmap(addr, len, prot)": @t's syscall with @sig's names up to @pos. */
static void decl_hint(char *buf, size_t len, const struct ast_target *t,
		      const struct syscall_sig *sig, unsigned pos)
{
	size_t used = (size_t)snprintf(buf, len, "%s(", t->name.s);
	unsigned k;

	for (k = 0; k <= pos && used < len; k++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 k ? ", " : "", sig->arg[k]);
	if (used < len)
		snprintf(buf + used, len - used, ")");
}

/*
 * What a declaration means on each arch the rule applies to
 * (docs/language.md section 4).  Declared names are positional, so a
 * name the kernel gives to another parameter of the syscall there would
 * compare the wrong register; clone's order differs between arches, so
 * each is judged on its own.  And a 32-bit ABI has no upper half to
 * compare: ':64' there would promise a comparison that cannot happen.
 */
static void check_decl_arches(struct chk *c, const struct flat_rule *r,
			      const struct ast_target *t)
{
	bool own = flat_rule_is_own(&c->f, r);
	char buf[256], hint[256];
	size_t i, k;

	if (t->is_group || !t->has_decl || !r->arches)
		return;
	for (i = 0; i < t->args.n && i < MAX_ARGS; i++) {
		const struct ast_argdecl *a = &t->args.v[i];
		uint32_t wrong[MAX_ARGS] = { 0 }, narrow = 0;
		const struct syscall_sig *first[MAX_ARGS] = { NULL };
		bool told = false;

		for (k = 0; k < c->f.n_arches; k++) {
			enum leash_arch arch = c->f.arches[k];
			const struct syscall_sig *sig;
			bool mux = false;
			unsigned j;

			if (!(r->arches & FLAT_ARCH_BIT(arch)) ||
			    (syscall_nr(arch, t->name.s, &mux) < 0 && !mux))
				continue;
			if (a->width == 64 && sig_abi_32bit(arch))
				narrow |= FLAT_ARCH_BIT(arch);
			sig = sig_lookup_arch(t->name.s, arch);
			if (!sig || !a->name.s || argn_of(a->name.s) >= 0)
				continue;
			for (j = 0; j < sig->nargs && j < MAX_ARGS; j++) {
				if (j == i || !sig->arg[j] ||
				    strcmp(sig->arg[j], a->name.s) != 0)
					continue;
				wrong[j] |= FLAT_ARCH_BIT(arch);
				if (!first[j])
					first[j] = sig;
			}
		}
		/* An inherited rule: once, whichever policy finds it. */
		if ((narrow || wrong[0] || wrong[1] || wrong[2] || wrong[3] ||
		     wrong[4] || wrong[5]) &&
		    !ptrset_add(c->reported, a) && !own)
			continue;
		for (k = 0; k < MAX_ARGS; k++) {
			if (!wrong[k])
				continue;
			decl_hint(hint, sizeof(hint), t, first[k],
				  (unsigned)k);
			diag_error(c->d, &a->name.loc,
				   "'%s' is argument %zu of '%s' on %s, not argument %zu: write '%s' or use 'arg%zu'",
				   a->name.s, k, t->name.s,
				   arch_list(c, wrong[k], buf, sizeof(buf)),
				   i, hint, k);
			told = true;
		}
		if (narrow) {
			diag_error(c->d, &a->width_loc,
				   "'%s:64' on %s: every argument of a 32-bit ABI is 32 bits wide (drop ':64', or keep the rule to 64-bit arches with 'when arch')",
				   a->name.s ? a->name.s : "",
				   arch_list(c, narrow, buf, sizeof(buf)));
			told = true;
		}
		if (told && !own)
			diag_note(c->d, &c->p->name.loc,
				  "policy '%s' inherits the rule from '%s' and compiles it for its own arches",
				  c->p->name.s, r->owner->name.s);
	}
}

static const char *group_suggest(struct chk *c, const char *name)
{
	size_t i, d, best = 3;
	const char *found = NULL;

	for (i = 0; i < c->ctx->groups.n; i++) {
		const char *g = c->ctx->groups.v[i]->name.s;

		d = edit_distance(name, g, 2);
		if (d < best && !(d > 1 && strlen(name) <= 5)) {
			best = d;
			found = g;
		}
	}
	return found;
}

/* Arches of @mask where @name is a syscall (directly or multiplexed
 * through socketcall()/ipc(), which lowering resolves). */
static uint32_t live_arches(const struct chk *c, const char *name,
			    uint32_t mask)
{
	uint32_t live = 0;
	size_t i;

	for (i = 0; i < c->f.n_arches; i++) {
		enum leash_arch a = c->f.arches[i];
		bool mux = false;

		if (!(mask & FLAT_ARCH_BIT(a)))
			continue;
		if (syscall_nr(a, name, &mux) >= 0 || mux)
			live |= FLAT_ARCH_BIT(a);
	}
	return live;
}

/*
 * A name the rule writes itself is an error when it is a syscall on none
 * of the arches the rule applies to (docs/language.md section 4).  A rule
 * that applies nowhere ('when arch s390x' in an x86 policy) judges no
 * name; a typo is caught anyway, since it is unknown on every arch.
 */
static void missing_everywhere(struct chk *c, const struct flat_rule *r,
			       const struct ast_name *n)
{
	char buf[256];
	bool own = flat_rule_is_own(&c->f, r);

	/* An inherited name: once, whichever derived policy finds it. */
	if (!own && !ptrset_add(c->reported, n))
		return;
	diag_error(c->d, &n->loc, "unknown syscall '%s' on %s", n->s,
		   arch_list(c, r->arches, buf, sizeof(buf)));
	if (!own)
		diag_note(c->d, &c->p->name.loc,
			  "policy '%s' inherits the rule from '%s' and compiles it for its own arches",
			  c->p->name.s, r->owner->name.s);
}

static void skipped_note(struct chk *c, const struct ast_target *t,
			 const struct ast_name *n, uint32_t skipped)
{
	char buf[256];

	/* Said with 'check -v' only, among what the targets cannot
	 * enforce: a group meant for several arches has such names. */
	arch_list(c, skipped, buf, sizeof(buf));
	if (t->is_group)
		diag_fidelity(c->d, &t->name.loc,
			      "'%s' (from '%s') is not a syscall on %s; policy '%s' skips it there",
			      n->s, t->name.s, buf, c->p->name.s);
	else
		diag_fidelity(c->d, &n->loc,
			      "'%s' is not a syscall on %s; policy '%s' skips it there",
			      n->s, buf, c->p->name.s);
}

/* ---- seccomp: shadowed rules --------------------------------------------- */

static bool rule_unconditional(const struct flat_rule *r)
{
	return r->stmt->cond == NULL;
}

static uint32_t first_arch(const struct chk *c, uint32_t mask)
{
	size_t i;

	for (i = 0; i < c->f.n_arches; i++)
		if (mask & FLAT_ARCH_BIT(c->f.arches[i]))
			return (uint32_t)c->f.arches[i];
	return 0;
}

static void first_matched_note(struct chk *c, const struct entry *by)
{
	if (by->target->is_group)
		diag_note(c->d, &by->target->name.loc,
			  "'%s' first matched here (through '%s')",
			  by->name->s, by->target->name.s);
	else
		diag_note(c->d, &by->name->loc, "'%s' first matched here",
			  by->name->s);
}

/*
 * Record one entry of an own rule; returns the entry that shadows it on
 * every arch where it is live, or NULL.  First match wins, so an
 * earlier unconditional rule for the same syscall decides it; the same
 * name written twice in one rule is shadowed by its first spelling.
 */
static const struct entry *shadow_entry(struct chk *c, size_t ri,
					uint32_t ei, uint32_t live,
					bool direct)
{
	const struct flat_rule *r = &c->f.rules.v[ri];
	const struct entry *e = &c->entries.v[ei];
	struct sys_slot *s = sysmap_get(&c->sys, e->name->s);
	const struct entry *by = NULL;

	if (live && (s->uncond & live) == live)
		by = &c->entries.v[s->first[first_arch(c, live)]];
	else if (live && direct && s->direct_rule == ri + 1)
		by = &c->entries.v[s->direct];
	if (direct) {
		s->direct_rule = ri + 1;
		s->direct = ei;
	}
	/* Entries of one rule never shadow each other through 'uncond':
	 * 'allow read, @file-io' is one rule.  Apply after the rule. */
	if (live && rule_unconditional(r)) {
		struct pending pd = { e->name->s, live, ei };

		VEC_PUSH(&c->pending, pd);
	}
	return by;
}

static void apply_pending(struct chk *c)
{
	size_t i, k;

	for (i = 0; i < c->pending.n; i++) {
		const struct pending *pd = &c->pending.v[i];
		struct sys_slot *s = sysmap_get(&c->sys, pd->name);
		uint32_t add = pd->live & ~s->uncond;

		for (k = 0; k < ARCH_COUNT; k++)
			if (add & FLAT_ARCH_BIT(k))
				s->first[k] = pd->entry;
		s->uncond |= add;
	}
	c->pending.n = 0;
}

static void warn_shadowed(struct chk *c, const struct entry *e,
			  const struct entry *by)
{
	diag_warning(c->d, &e->name->loc,
		     "rule for '%s' is shadowed by an earlier rule (first match wins)",
		     e->name->s);
	first_matched_note(c, by);
}

/* ---- seccomp: one rule --------------------------------------------------- */

static void collect_member(void *opaque, const struct ast_name *n)
{
	struct chk *c = opaque;

	VEC_PUSH(&c->members, n);
}

/*
 * The syscalls of one target: names against arches, and for the policy's
 * own rules, shadowing.  Group members unknown everywhere were reported
 * at the group (check_groups()).
 */
static void warn_group_shadowed(struct chk *c, const struct ast_target *t,
				size_t ri, size_t n_live)
{
	size_t i;

	if (!c->shadowed.n)
		return;
	if (c->shadowed.n == n_live) {
		diag_warning(c->d, &t->name.loc,
			     "rule for '%s' is shadowed by earlier rules (first match wins)",
			     t->name.s);
		first_matched_note(c, &c->entries.v[c->shadowed.v[0].by]);
		return;
	}
	/* Overlapping groups with one action are harmless; a member whose
	 * action an earlier rule overrides is a surprise. */
	for (i = 0; i < c->shadowed.n; i++) {
		const struct entry *e = &c->entries.v[c->shadowed.v[i].entry];
		const struct entry *by = &c->entries.v[c->shadowed.v[i].by];

		if (same_action(&c->acts.v[by->rule], &c->acts.v[ri]))
			continue;
		diag_warning(c->d, &t->name.loc,
			     "rule for '%s' (from '%s') is shadowed by an earlier rule with another action (first match wins)",
			     e->name->s, t->name.s);
		first_matched_note(c, by);
	}
}

/*
 * The syscalls of one target: names against arches, and for the policy's
 * own rules, shadowing.  Group members unknown everywhere were reported
 * at the group (check_groups()).
 */
static void check_target_names(struct chk *c, size_t ri,
			       const struct ast_target *t)
{
	const struct flat_rule *r = &c->f.rules.v[ri];
	bool own = flat_rule_is_own(&c->f, r);
	size_t i, n_live = 0;

	c->members.n = 0;
	c->shadowed.n = 0;
	if (t->is_group) {
		const struct ast_group *g = res_find_group(c->ctx, t->name.s);

		if (!g)
			return;	/* reported by check_targets() */
		res_expand_group(c->ctx, g, collect_member, c);
	} else {
		VEC_PUSH(&c->members, &t->name);
	}
	for (i = 0; i < c->members.n; i++) {
		const struct ast_name *n = c->members.v[i];
		struct entry e = { n, t, ri };
		const struct entry *by;
		uint32_t live, ei;

		if (!syscall_known_anywhere(n->s)) {
			if (!t->is_group && own)
				chk_unknown(c->d, &n->loc, "syscall", n->s,
					    syscall_suggest(n->s), NULL);
			continue;
		}
		live = live_arches(c, n->s, r->arches);
		if (r->arches && !live && !t->is_group)
			missing_everywhere(c, r, n);
		else if (c->ctx->verbose && (r->arches & ~live))
			skipped_note(c, t, n, r->arches & ~live);
		if (!own)
			continue;
		ei = (uint32_t)c->entries.n;
		VEC_PUSH(&c->entries, e);
		by = shadow_entry(c, ri, ei, live, !t->is_group);
		n_live += live != 0;
		if (by && !t->is_group) {
			warn_shadowed(c, &c->entries.v[ei], by);
		} else if (by) {
			struct shadowed sh = {
				ei, (uint32_t)(by - c->entries.v)
			};

			VEC_PUSH(&c->shadowed, sh);
		}
	}
	if (t->is_group)
		warn_group_shadowed(c, t, ri, n_live);
}

static void check_targets(struct chk *c, const struct sc_stmt *s)
{
	size_t i;

	for (i = 0; i < s->targets.n; i++) {
		const struct ast_target *t = &s->targets.v[i];

		if (t->is_group && !res_find_group(c->ctx, t->name.s))
			chk_unknown(c->d, &t->name.loc, "group", t->name.s,
				    group_suggest(c, t->name.s), NULL);
		check_argdecls(c, t);
	}
}

/*
 * Report every name in @e that the kernel lacks on an arch @r applies
 * to (docs/language.md section 2), once per name as written, listing
 * the arches.  Names that are no constant (arguments) were judged by
 * check-expr.c.
 */
static void check_const_arches(struct chk *c, const struct flat_rule *r,
			       const struct expr *e)
{
	const struct ast_define *via = NULL;
	const char *missing = NULL, *n;
	uint32_t lack = 0;
	char buf[256];
	size_t k;

	if (!e)
		return;
	if (e->kind != EX_NAME) {
		check_const_arches(c, r, e->lhs);
		check_const_arches(c, r, e->rhs);
		for (k = 0; e->kind == EX_IN && k < e->items.n; k++)
			check_const_arches(c, r, e->items.v[k]);
		return;
	}
	for (k = 0; k < c->f.n_arches; k++) {
		enum leash_arch arch = c->f.arches[k];

		if (!(r->arches & FLAT_ARCH_BIT(arch)))
			continue;
		n = res_const_missing(c->ctx, e, arch, &via);
		if (n) {
			missing = n;
			lack |= FLAT_ARCH_BIT(arch);
		}
	}
	if (!lack || !ptrset_add(c->reported, e))
		return;
	if (via)
		diag_error(c->d, &e->loc,
			   "'%s' uses '%s', which the kernel does not define on %s",
			   e->name, missing, arch_list(c, lack, buf, sizeof(buf)));
	else
		diag_error(c->d, &e->loc,
			   "constant '%s' is not defined on %s", missing,
			   arch_list(c, lack, buf, sizeof(buf)));
}

static void check_rule(struct chk *c, const struct sc_stmt *s)
{
	size_t ri = c->rule_idx, i;
	struct act_val v = check_action(c, &s->action);

	/* The walk visits own rules in the order flat_build() added them. */
	if (ri >= c->f.n_own_rules || c->f.rules.v[ri].stmt != s)
		return;
	c->rule_idx++;
	VEC_PUSH(&c->acts, v);
	check_targets(c, s);
	for (i = 0; i < s->targets.n; i++) {
		check_target_names(c, ri, &s->targets.v[i]);
		check_decl_arches(c, &c->f.rules.v[ri], &s->targets.v[i]);
	}
	check_const_arches(c, &c->f.rules.v[ri], s->action.value);
	check_const_arches(c, &c->f.rules.v[ri], s->cond);
	apply_pending(c);
	chk_condition(c->ctx, s);
}

static void check_seccomp_body(struct chk *c, const struct sc_stmt_vec *body,
			       unsigned depth)
{
	size_t i;

	for (i = 0; i < body->n; i++) {
		const struct sc_stmt *s = body->v[i];

		switch (s->kind) {
		case SC_DEFAULT:
		case SC_UNKNOWN:
		case SC_ARCH:
			check_setting(c, s, depth > 0);
			break;
		case SC_RULE:
			check_rule(c, s);
			break;
		case SC_WHEN:
			check_when_cond(c, s->when);
			/* flat_build() stops at the same depth. */
			if (depth >= LEASH_MAX_NEST) {
				diag_error(c->d, &s->loc,
					   "'when' blocks nested too deeply (more than %d levels)",
					   LEASH_MAX_NEST);
				break;
			}
			check_seccomp_body(c, &s->body, depth + 1);
			break;
		default:
			break;
		}
	}
}

/* Inherited rules: judged for this policy's arches (section 3). */
static void check_inherited(struct chk *c)
{
	size_t ri, i;

	for (ri = c->f.n_own_rules; ri < c->f.rules.n; ri++) {
		const struct sc_stmt *s = c->f.rules.v[ri].stmt;

		for (i = 0; i < s->targets.n; i++) {
			check_target_names(c, ri, &s->targets.v[i]);
			check_decl_arches(c, &c->f.rules.v[ri],
					  &s->targets.v[i]);
		}
		check_const_arches(c, &c->f.rules.v[ri], s->action.value);
		check_const_arches(c, &c->f.rules.v[ri], s->cond);
	}
}

/* Group members are syscall names wherever the group is used: a typo is
 * reported once, at the member, whether or not a rule uses the group. */
static void check_groups(struct leash_ctx *ctx)
{
	size_t i, j;

	for (i = 0; i < ctx->groups.n; i++) {
		const struct ast_group *g = ctx->groups.v[i];

		for (j = 0; j < g->members.n; j++) {
			const struct ast_name *m = &g->members.v[j];
			const char *hint;

			if (m->s[0] == '@' || syscall_known_anywhere(m->s))
				continue;
			hint = syscall_suggest(m->s);
			if (hint)
				diag_error(&ctx->diag, &m->loc,
					   "unknown syscall '%s' (did you mean '%s'?)",
					   m->s, hint);
			else
				diag_error(&ctx->diag, &m->loc,
					   "unknown syscall '%s'", m->s);
		}
	}
}

/* ---- driver -------------------------------------------------------------- */

/* Sections run in the order they first appear, so that diagnostics
 * come out roughly in source order. */
enum section_kind { S_SECCOMP, S_CAPS, S_FS, S_NET, S_AA, S_PROC, S_LIMITS };

struct section {
	const struct leash_loc *first;
	enum section_kind kind;
};

static int section_cmp(const void *pa, const void *pb)
{
	const struct section *a = pa, *b = pb;

	if (a->first->first_line != b->first->first_line)
		return a->first->first_line < b->first->first_line ? -1 : 1;
	return (a->first->first_column > b->first->first_column) -
	       (a->first->first_column < b->first->first_column);
}

static void run_section(struct chk *c, enum section_kind k)
{
	switch (k) {
	case S_SECCOMP:
		check_seccomp_body(c, &c->p->seccomp, 0);
		break;
	case S_CAPS:
		chk_caps(c->ctx, c->p);
		break;
	case S_FS:
		chk_fs(c->ctx, c->p);
		break;
	case S_NET:
		chk_net(c->ctx, c->p);
		break;
	case S_AA:
		chk_apparmor(c->ctx, c->p);
		break;
	case S_PROC:
		chk_process(c->ctx, c->p);
		break;
	case S_LIMITS:
		chk_limits(c->ctx, c->p);
		break;
	default:
		break;
	}
}

static void check_policy(struct leash_ctx *ctx, struct ast_policy *p,
			 struct ptrset *reported)
{
	struct chk c = { .ctx = ctx, .d = &ctx->diag, .p = p,
			 .reported = reported };
	struct section sec[7];
	size_t n = 0, i;

#define SECTION(vec, loc_of, k)                                                \
	do {                                                                   \
		if (p->vec.n)                                                  \
			sec[n++] = (struct section){ &(loc_of), k };           \
	} while (0)
	SECTION(seccomp, p->seccomp.v[0]->loc, S_SECCOMP);
	SECTION(caps, p->caps.v[0].loc, S_CAPS);
	SECTION(fs, p->fs.v[0].loc, S_FS);
	SECTION(net, p->net.v[0].loc, S_NET);
	SECTION(apparmor, p->apparmor.v[0].loc, S_AA);
	SECTION(process, p->process.v[0].loc, S_PROC);
	SECTION(limits, p->limits.v[0].loc, S_LIMITS);
#undef SECTION
	qsort(sec, n, sizeof(*sec), section_cmp);

	flat_build(ctx, p, &c.f);
	/* At the policy's name, which comes before its sections; for the
	 * policies of the file being checked, which compile builds, not
	 * for the bases an include brings in. */
	if (p->name.loc.file == ctx->files.v[0]->src)
		chk_root_writes(ctx, &c.f);
	for (i = 0; i < n; i++)
		run_section(&c, sec[i].kind);
	/* Inherited rules, judged for this policy's arches (section 3). */
	check_inherited(&c);

	free(c.sys.slots);
	VEC_FREE(&c.entries);
	VEC_FREE(&c.acts);
	VEC_FREE(&c.pending);
	VEC_FREE(&c.members);
	VEC_FREE(&c.shadowed);
	flat_free(&c.f);
}

int chk_all(struct leash_ctx *ctx)
{
	struct ptrset reported = { 0 };
	size_t i;

	check_groups(ctx);
	for (i = 0; i < ctx->policies.n; i++) {
		flat_check_order(ctx, ctx->policies.v[i]);
		check_policy(ctx, ctx->policies.v[i], &reported);
	}
	free(reported.slots);
	return diag_failed(&ctx->diag) ? -EINVAL : 0;
}
