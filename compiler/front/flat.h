/* SPDX-License-Identifier: MIT */
/*
 * policy.h - the flattened view of one policy (docs/language.md section 3).
 *
 * A policy that extends others means "the bases, with my sections on
 * top".  flat_build() works that out once, so that the checks and every
 * backend (seccomp IR, capabilities, AppArmor, OCI, docker flags) read
 * the same answer:
 *
 *   chain     every contributing policy once, most derived first
 *             ('c extends a, b' with 'a extends x': c, b, a, x)
 *   seccomp   rules in match order (c's, then b's, then a's, then x's),
 *             each with its 'when' stack and the arches it applies to;
 *             default/unknown/arch from the most derived policy that
 *             sets them
 *   caps      statements run base first (x, a, b, c) into bitmasks
 *   fs, net   statements, derived first
 *   settings  apparmor/process/limits: the most derived one of each;
 *             apparmor 'raw' rules add up instead (bases first), and
 *             read_only_root holds when any contributing policy says so
 *
 * Within one policy a setting (default, unknown, arch, apparmor name,
 * a limit, ...) is given once: check.c reports a repeat, and the view
 * takes the first.  default/unknown/arch inside 'when' are errors too
 * (check.c) and the view ignores them.
 *
 * The view borrows the AST: it points into the trees the context owns
 * and copies nothing, so it must not outlive the leash_ctx.  It is built
 * from whatever the tree holds: names that do not resolve (an unknown
 * arch or capability) are skipped here and reported by check.c, and the
 * backends only run when the checks passed.
 */
#ifndef LEASH_POLICY_H
#define LEASH_POLICY_H

#include "front/front.h"

/* A set of arches as a bitmask of enum leash_arch. */
#define FLAT_ARCH_BIT(a) (UINT32_C(1) << (unsigned)(a))
#define FLAT_CAP_BIT(c) (UINT64_C(1) << (unsigned)(c))
#define FLAT_ALL_CAPS (FLAT_CAP_BIT(CAP_COUNT) - 1)

/*
 * One 'when' block a rule sits in.  Frames link outwards, so rules in
 * the same block share them; @arches is decided once, when the view is
 * built, from the final capability set.
 */
struct flat_when {
	const struct sc_stmt *stmt;	/* the SC_WHEN statement */
	const struct flat_when *up;	/* the enclosing block, or NULL */
	unsigned depth;			/* 1 for an outermost block */
	uint32_t arches;		/* selected arches where this block and
					 * every enclosing one hold */
};

struct flat_rule {
	const struct sc_stmt *stmt;	/* SC_RULE: action, targets, 'if';
					 * 'explain' points at stmt->loc */
	const struct ast_policy *owner;	/* the policy that wrote it */
	const struct flat_when *when;	/* innermost 'when', or NULL */
	uint32_t arches;		/* selected arches where it applies */
};
VEC(flat_rule_vec, struct flat_rule);
VEC(flat_when_vec, struct flat_when *);

/* The limits a policy can set (docs/language.md section 7). */
enum flat_limit {
	FL_MEMORY, FL_CPUS, FL_PIDS,	/* cgroup resources */
	FL_AS, FL_CORE, FL_CPU, FL_DATA, FL_FSIZE, FL_LOCKS, FL_MEMLOCK,
	FL_MSGQUEUE, FL_NICE, FL_NOFILE, FL_NPROC, FL_RSS, FL_RTPRIO,
	FL_RTTIME, FL_SIGPENDING, FL_STACK,	/* rlimits */
	FL_COUNT
};

struct flat_limit_info {
	const char *name;	/* as written in 'limits' */
	int resource;		/* RLIMIT_*, or -1 for a cgroup limit */
	const char *oci_name;	/* "RLIMIT_NOFILE", or NULL */
};

struct flat_policy {
	const struct ast_policy *policy;
	/* Every contributing policy once, most derived first: chain[0] is
	 * the policy itself. */
	const struct ast_policy **chain;
	size_t n_chain;

	/* ---- seccomp ---- */
	struct flat_rule_vec rules;	/* match order: first match wins */
	size_t n_own_rules;		/* rules.v[0 .. n_own_rules) are the
					 * policy's own, in source order */
	/* The statements that set these, or NULL: 'default' is then
	 * errno(EPERM), 'unknown' is the default action, 'arch' native. */
	const struct sc_stmt *default_stmt, *unknown_stmt, *arch_stmt;
	enum leash_arch arches[ARCH_COUNT];	/* in the policy's order */
	size_t n_arches;
	uint32_t arch_mask;

	/* ---- capabilities (FLAT_CAP_BIT of CAP_* numbers) ---- */
	uint64_t caps;		/* bounding, permitted and effective */
	uint64_t ambient;	/* also the inheritable set */

	/* ---- filesystem and network: derived policy's first ---- */
	const struct fs_stmt **fs;	/* FS_ALLOW, FS_DENY, FS_MASK,
					 * FS_READONLY */
	size_t n_fs;
	bool read_only_root;
	const struct net_stmt **net;
	size_t n_net;

	/* ---- apparmor, process, limits: the most derived setting ---- */
	const struct aa_stmt *aa_name, *aa_template, *aa_flags;
	const struct aa_stmt **aa_raw;	/* every 'raw' rule, bases first */
	size_t n_aa_raw;
	const struct proc_stmt *nnp, *user, *groups, *namespaces;
	const struct proc_stmt *unscoped;	/* Landlock scopes left open */
	const struct limit_stmt *limits[FL_COUNT];

	/* Owned storage for the 'when' frames. */
	struct flat_when_vec whens;
};

/*
 * Whether the 'extends' list of @p can be layered as written (docs/
 * language.md section 3); an error at the base that contradicts it if
 * not.  The front end's checks call it once per policy.
 */
bool flat_check_order(struct leash_ctx *ctx, const struct ast_policy *p);

/* no_new_privileges: on unless the policy says 'no_new_privileges off'. */
bool flat_nnp_on(const struct flat_policy *f);

/*
 * Build the flat view of @p.  The bases must have been linked by
 * res_names() (ast_policy.base_ptrs).  @out is always initialized and
 * must be released with flat_free().
 *
 * Returns zero on success, or -ELOOP when 'extends' or 'when' nesting
 * exceeds LEASH_MAX_NEST (res_names() and chk_all() report that; the
 * view then lacks what lies deeper).
 */
int flat_build(struct leash_ctx *ctx, const struct ast_policy *p,
	       struct flat_policy *out);
void flat_free(struct flat_policy *f);

/*
 * Decide a 'when' condition at compile time: 'cap X' from @caps (the
 * policy's final set), 'arch A' against @arch.  A name that does not
 * resolve decides false (check.c reports it).
 */
bool flat_cond_holds(const struct ast_cond *c, uint64_t caps,
		     enum leash_arch arch);
/* Every frame of a 'when' stack holds (NULL: no 'when', true). */
bool flat_when_holds(const struct flat_when *w, uint64_t caps,
		     enum leash_arch arch);

static inline bool flat_rule_applies(const struct flat_rule *r,
				     enum leash_arch arch)
{
	return (r->arches & FLAT_ARCH_BIT(arch)) != 0;
}

static inline bool flat_rule_is_own(const struct flat_policy *f,
				    const struct flat_rule *r)
{
	return r->owner == f->policy;
}

/* 'base none|docker|all' to its set; false for any other name. */
bool flat_caps_base(const char *name, uint64_t *set);

/* Limits by name; -1 when @name is not one. */
int flat_limit_by_name(const char *name);
const struct flat_limit_info *flat_limit_info(enum flat_limit l);

/* A 'cpus' value in thousandths: "1.5" -> 1500.  False when @s is not a
 * decimal number that fits; *@too_precise (unless NULL) tells when it
 * has more than 3 decimals. */
bool flat_limit_millis(const char *s, uint64_t *out, bool *too_precise);

/*
 * A limit's value as every target reads it: bytes, a count, thousandths
 * of a CPU ('cpus'), or UINT64_MAX for 'unlimited'.  False when it
 * cannot be read, which check.c has refused already: only a bug.
 */
bool flat_limit_value(struct leash_ctx *ctx, const struct limit_value *lv,
		      enum flat_limit l, uint64_t *out);

#endif
