/* SPDX-License-Identifier: MIT */
/*
 * disjoint.h - ordered seccomp rules turned into disjoint "boxes", for
 * the targets that have no rule order (Docker/OCI JSON, libseccomp).
 *
 * A box gives each of the six arguments a ternary pattern: (mask, value)
 * matches an argument x when (x & mask) == value, over all 64 bits of the
 * register; mask 0 matches anything.  A 32-bit argument simply never has
 * mask bits above 31, so the upper half the kernel ignores is ignored
 * here too.  A box matches a call when all six patterns match.
 *
 * dj_build() rewrites one syscall's first-match-wins rule list into
 * boxes that cover exactly the calls the rules give a non-default action,
 * each box carrying that action, where boxes with different actions are
 * disjoint (no call matches two of them).  Boxes with the same action may
 * overlap: that is still exact for an unordered consumer, and making the
 * parts of an OR disjoint would multiply them for nothing.  So a consumer
 * may apply the boxes in any order, and the default-action calls need no
 * rule at all.  One box is one libseccomp rule with at most one
 * comparison per argument: MASKED_EQ(mask, value), or EQ when the mask is
 * all ones.
 */
#ifndef LEASH_DISJOINT_H
#define LEASH_DISJOINT_H

#include "seccomp/ir.h"

#define DJ_ARGS 6
/*
 * Past this many boxes for one syscall (result or any intermediate
 * list), dj_build() gives up with -E2BIG and the caller reports the
 * syscall and target: a filter that large is a policy mistake or an
 * attack on the compiler, and it must never be replaced by a weaker one.
 */
#define DJ_BUDGET 4096

struct dj_pat {
	uint64_t mask;
	uint64_t value;			/* always a subset of mask */
};

struct dj_box {
	struct dj_pat a[DJ_ARGS];
	uint32_t action;		/* IR_RET_* | data */
};

VEC(dj_boxes, struct dj_box);

/*
 * The disjoint patterns whose union is exactly the calls where comparison
 * @c is true.  At most 65 patterns (NE: one per mask bit; LT/LE/GT/GE:
 * one per bit plus the equal case); writes their count to *n.
 */
#define DJ_CMP_MAX 65
void dj_cmp_patterns(const struct ir_cmp *c, struct dj_pat out[DJ_CMP_MAX],
		     size_t *n);

/*
 * Rewrite syscall @s into boxes (appended to @out, which the
 * caller initialised to empty).  Calls the rules leave to
 * @default_action, or give @default_action explicitly, get no box.
 * Adjacent boxes with the same action are merged where that is exact.
 * Returns 0, or -E2BIG past @budget boxes (0: DJ_BUDGET); on error @out
 * is emptied.
 */
int dj_build(const struct ir_syscall *s, uint32_t default_action,
		   size_t budget, struct dj_boxes *out);

bool dj_pat_match(const struct dj_pat *p, uint64_t x);
/* Same action and patterns (compare boxes with this, never memcmp()). */
bool dj_box_eq(const struct dj_box *x, const struct dj_box *y);
bool dj_box_match(const struct dj_box *b, const uint64_t args[DJ_ARGS]);
/* The action @l gives a call, or @dflt when no box matches (the first
 * match: in a list from dj_build() every match has that action). */
uint32_t dj_eval(const struct dj_boxes *l, uint32_t dflt,
		 const uint64_t args[DJ_ARGS]);

/* Whether @b has no pattern with mask bits above bit 31. */
bool dj_box_is32(const struct dj_box *b);
/* Drop mask and value bits above bit 31 from every box: what libseccomp
 * does to a comparison on an arch whose arguments it reads as 32 bits. */
void dj_boxes_trunc32(struct dj_boxes *l);

/*
 * Whether every call that some box of @a matches is matched by a box of
 * @b with the same action (the boxes of either list may overlap).
 * Returns 1 (yes), 0 (no) or -E2BIG when deciding it would take more than
 * @budget pieces.
 */
int dj_covered(const struct dj_boxes *a, const struct dj_boxes *b,
	       size_t budget);
/* dj_covered() both ways: the same action for every call. */
int dj_equal(const struct dj_boxes *a, const struct dj_boxes *b,
	     size_t budget);

/* Sort boxes into a canonical order (action, then patterns). */
void dj_sort(struct dj_boxes *l);

#endif
