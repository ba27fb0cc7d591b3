/* SPDX-License-Identifier: MIT */
/*
 * disjoint.c - first-match-wins rules into disjoint ternary boxes.
 *
 * Owns the rewrite that the unordered targets (emit-json.c, emit-scmp.c)
 * need; see disjoint.h for what a box is.  The method:
 *
 *  1. Each comparison (x & m) OP v becomes a union of disjoint patterns
 *     on one argument (dj_cmp_patterns(): EQ is one pattern, NE and the
 *     orderings one per bit of m, found by the highest bit where the
 *     masked value and v differ).
 *  2. A condition tree becomes a box list: AND intersects lists
 *     pairwise, OR concatenates them (its boxes may overlap: they will
 *     all carry one action).
 *  3. The rules are walked in order with the region no earlier rule has
 *     matched: rule i gets remaining ∩ cond_i, and remaining becomes
 *     remaining \ cond_i (box difference, one cond box at a time).  So
 *     rule i's boxes never meet an earlier rule's, and where two rules
 *     have different actions their boxes are disjoint.
 *
 * Box difference A \ B peels one argument bit at a time: for every bit B
 * fixes and A leaves free, one piece of A takes the other value of that
 * bit, and the rest of A goes on agreeing with B.  The pieces are
 * disjoint, and their number is the count of those bits (at most 64 per
 * argument), so every list stays finite; DJ_BUDGET bounds them all.
 */
#include "seccomp/disjoint.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LOW32 0xffffffffull

/*
 * Past this many boxes the quadratic containment pass is skipped: it only
 * makes the output smaller, never more exact.
 */
#define CONTAIN_MAX 1024

struct dj_ctx {
	size_t budget;
	int err;
};

/* ---- patterns ------------------------------------------------------------ */

bool dj_pat_match(const struct dj_pat *p, uint64_t x)
{
	return (x & p->mask) == p->value;
}

static void put(struct dj_pat *out, size_t *n, uint64_t mask, uint64_t value)
{
	out[*n].mask = mask;
	out[*n].value = value & mask;
	(*n)++;
}

/* (x & m) == v: empty when v has bits outside m (docs/language.md 4). */
static void pat_eq(uint64_t m, uint64_t v, struct dj_pat *out, size_t *n)
{
	if (v & ~m)
		return;
	put(out, n, m, v);
}

/*
 * (x & m) != v: x differs from v in at least one bit of m; piece b says
 * "the highest such bit is b" (bits of m above b equal v, bit b not).
 */
static void pat_ne(uint64_t m, uint64_t v, struct dj_pat *out, size_t *n)
{
	uint64_t fixed = 0;
	int b;

	if (v & ~m) {
		put(out, n, 0, 0);	/* the masked value never equals v */
		return;
	}
	for (b = 63; b >= 0; b--) {
		uint64_t bit = 1ull << b;

		if (!(m & bit))
			continue;
		put(out, n, fixed | bit, (v & fixed) | (~v & bit));
		fixed |= bit;
	}
}

/*
 * (x & m) < v.  With y = x & m, y < v when at the highest bit b where
 * they differ, y has 0 and v has 1.  Above b they agree: a bit of m must
 * equal v's bit, and a bit outside m is 0 in y, so v must have 0 there.
 * Walking down from bit 63, the first bit outside m where v has a 1 makes
 * y smaller whatever the bits below it are: that piece ends the list.
 */
static void pat_lt(uint64_t m, uint64_t v, struct dj_pat *out, size_t *n)
{
	uint64_t fixed = 0;	/* bits of m above b: they equal v's */
	int b;

	for (b = 63; b >= 0; b--) {
		uint64_t bit = 1ull << b;

		if (v & bit) {
			if (!(m & bit)) {
				put(out, n, fixed, v & fixed);
				return;
			}
			put(out, n, fixed | bit, v & fixed);	/* y_b = 0 */
		}
		if (m & bit)
			fixed |= bit;
	}
}

/*
 * (x & m) > v: the highest differing bit b has 1 in y, so b is in m and
 * v has 0 there.  A bit outside m where v has 1 makes y smaller at that
 * position already, so nothing below it can be greater.
 */
static void pat_gt(uint64_t m, uint64_t v, struct dj_pat *out, size_t *n)
{
	uint64_t fixed = 0;
	int b;

	for (b = 63; b >= 0; b--) {
		uint64_t bit = 1ull << b;

		if (!(m & bit)) {
			if (v & bit)
				return;
			continue;
		}
		if (!(v & bit))
			put(out, n, fixed | bit, (v & fixed) | bit);
		fixed |= bit;
	}
}

void dj_cmp_patterns(const struct ir_cmp *c, struct dj_pat out[DJ_CMP_MAX],
		     size_t *n)
{
	/* A 32-bit comparison never looks at the upper half. */
	uint64_t m = c->mask & (c->width == 32 ? LOW32 : ~0ull);
	uint64_t v = c->value;

	*n = 0;
	switch (c->op) {
	case IR_EQ:
		pat_eq(m, v, out, n);
		break;
	case IR_NE:
		pat_ne(m, v, out, n);
		break;
	case IR_LT:
		pat_lt(m, v, out, n);
		break;
	case IR_LE:
		/* LT and EQ are disjoint, and LT has at most 64 pieces. */
		pat_lt(m, v, out, n);
		pat_eq(m, v, out, n);
		break;
	case IR_GT:
		pat_gt(m, v, out, n);
		break;
	case IR_GE:
		pat_gt(m, v, out, n);
		pat_eq(m, v, out, n);
		break;
	default:
		break;
	}
}

static bool pat_and(const struct dj_pat *p, const struct dj_pat *q,
		    struct dj_pat *r)
{
	if ((p->value ^ q->value) & p->mask & q->mask)
		return false;
	r->mask = p->mask | q->mask;
	r->value = p->value | q->value;
	return true;
}

/* ---- boxes ---------------------------------------------------------------- */

bool dj_box_match(const struct dj_box *b, const uint64_t args[DJ_ARGS])
{
	int i;

	for (i = 0; i < DJ_ARGS; i++)
		if (!dj_pat_match(&b->a[i], args[i]))
			return false;
	return true;
}

uint32_t dj_eval(const struct dj_boxes *l, uint32_t dflt,
		 const uint64_t args[DJ_ARGS])
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (dj_box_match(&l->v[i], args))
			return l->v[i].action;
	return dflt;
}

bool dj_box_is32(const struct dj_box *b)
{
	int i;

	for (i = 0; i < DJ_ARGS; i++)
		if (b->a[i].mask & ~LOW32)
			return false;
	return true;
}

void dj_boxes_trunc32(struct dj_boxes *l)
{
	size_t i;
	int k;

	for (i = 0; i < l->n; i++)
		for (k = 0; k < DJ_ARGS; k++) {
			l->v[i].a[k].mask &= LOW32;
			l->v[i].a[k].value &= LOW32;
		}
}

static bool box_and(const struct dj_box *x, const struct dj_box *y,
		    struct dj_box *r)
{
	int i;

	for (i = 0; i < DJ_ARGS; i++)
		if (!pat_and(&x->a[i], &y->a[i], &r->a[i]))
			return false;
	r->action = x->action;
	return true;
}

static bool push(struct dj_ctx *ctx, struct dj_boxes *l, const struct dj_box *b)
{
	if (l->n >= ctx->budget) {
		ctx->err = -E2BIG;
		return false;
	}
	VEC_PUSH(l, *b);
	return true;
}

/* Append the pieces of @x \ @y to @out (see the header comment). */
static bool box_sub(struct dj_ctx *ctx, const struct dj_box *x,
		    const struct dj_box *y, struct dj_boxes *out)
{
	struct dj_box cur, piece;
	int i, b;

	if (!box_and(x, y, &cur))
		return push(ctx, out, x);
	cur = *x;
	for (i = 0; i < DJ_ARGS; i++) {
		uint64_t free_bits = y->a[i].mask & ~x->a[i].mask;

		for (b = 63; b >= 0 && free_bits; b--) {
			uint64_t bit = 1ull << b;

			if (!(free_bits & bit))
				continue;
			free_bits &= ~bit;
			piece = cur;
			piece.a[i].mask |= bit;
			piece.a[i].value |= ~y->a[i].value & bit;
			if (!push(ctx, out, &piece))
				return false;
			cur.a[i].mask |= bit;
			cur.a[i].value |= y->a[i].value & bit;
		}
	}
	return true;		/* what is left of cur is x ∩ y: dropped */
}

/* @l := @l \ @y. */
static bool list_sub_box(struct dj_ctx *ctx, struct dj_boxes *l,
			 const struct dj_box *y)
{
	struct dj_boxes out = { 0 };
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!box_sub(ctx, &l->v[i], y, &out)) {
			VEC_FREE(&out);
			return false;
		}
	VEC_FREE(l);
	*l = out;
	return true;
}

static bool list_sub(struct dj_ctx *ctx, struct dj_boxes *l,
		     const struct dj_boxes *m)
{
	size_t i;

	for (i = 0; i < m->n && l->n > 0; i++)
		if (!list_sub_box(ctx, l, &m->v[i]))
			return false;
	return true;
}

/* Every non-empty x ∩ y, x from @l, y from @m, with x's action. */
static bool list_and(struct dj_ctx *ctx, const struct dj_boxes *l,
		     const struct dj_boxes *m, struct dj_boxes *out)
{
	struct dj_box r;
	size_t i, j;

	for (i = 0; i < l->n; i++)
		for (j = 0; j < m->n; j++)
			if (box_and(&l->v[i], &m->v[j], &r) &&
			    !push(ctx, out, &r))
				return false;
	return true;
}

static void full_box(struct dj_box *b, uint32_t action)
{
	memset(b, 0, sizeof(*b));
	b->action = action;
}

/* ---- merging -------------------------------------------------------------- */

/*
 * Two boxes with the same action that differ only in one bit of one
 * argument's value (same masks) are one box with that bit free.  Pieces
 * of a peeled difference often pair up this way after later rules cut
 * them, and every merge is one libseccomp rule less.  A hash of the boxes
 * finds each box's siblings directly (at most 6 x 64 lookups per box), so
 * merging stays linear; merged boxes go back on the work list, since they
 * may have a sibling of their own.
 */
struct box_set {
	size_t *slot;		/* index + 1 into the list; 0: empty */
	size_t cap;		/* a power of two */
};

static uint64_t box_hash(const struct dj_box *b)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ b->action;
	int i;

	for (i = 0; i < DJ_ARGS; i++) {
		h = (h ^ b->a[i].mask) * 0xff51afd7ed558ccdull;
		h = (h ^ b->a[i].value) * 0xc4ceb9fe1a85ec53ull;
		h ^= h >> 29;
	}
	return h;
}

/* Field by field: the struct's padding is not copied reliably. */
bool dj_box_eq(const struct dj_box *x, const struct dj_box *y)
{
	int i;

	if (x->action != y->action)
		return false;
	for (i = 0; i < DJ_ARGS; i++)
		if (x->a[i].mask != y->a[i].mask ||
		    x->a[i].value != y->a[i].value)
			return false;
	return true;
}

/* The slot holding @b, or the empty slot where it would go. */
static size_t *set_find(const struct box_set *set, const struct dj_boxes *l,
			const struct dj_box *b)
{
	size_t i = (size_t)box_hash(b) & (set->cap - 1);

	while (set->slot[i] && !dj_box_eq(&l->v[set->slot[i] - 1], b))
		i = (i + 1) & (set->cap - 1);
	return &set->slot[i];
}

/* Dead entries stay in the set as tombstones: their slot is still taken. */
static void merge_siblings(struct dj_boxes *l)
{
	struct box_set set;
	size_t *work, n_work = 0, i, n0 = l->n, out;
	bool *dead;

	set.cap = 16;
	while (set.cap < 4 * n0 + 16)
		set.cap *= 2;
	set.slot = xcalloc(set.cap, sizeof(*set.slot));
	/* Each merge adds one box: at most n0 - 1 of them. */
	dead = xcalloc(2 * n0 + 1, sizeof(*dead));
	work = xcalloc(2 * n0 + 1, sizeof(*work));
	for (i = 0; i < n0; i++) {
		size_t *sl = set_find(&set, l, &l->v[i]);

		if (*sl) {
			dead[i] = true;		/* a duplicate */
			continue;
		}
		*sl = i + 1;
		work[n_work++] = i;
	}
	while (n_work > 0) {
		size_t x = work[--n_work];
		int k, b;
		bool merged = false;

		for (k = 0; k < DJ_ARGS && !dead[x] && !merged; k++)
			for (b = 63; b >= 0 && !merged; b--) {
				uint64_t bit = 1ull << b;
				struct dj_box sib = l->v[x], m;
				size_t *sl;

				if (!(sib.a[k].mask & bit))
					continue;
				sib.a[k].value ^= bit;
				sl = set_find(&set, l, &sib);
				if (!*sl || dead[*sl - 1])
					continue;
				dead[x] = dead[*sl - 1] = true;
				m = l->v[x];
				m.a[k].mask &= ~bit;
				m.a[k].value &= ~bit;
				merged = true;
				sl = set_find(&set, l, &m);
				if (*sl && !dead[*sl - 1])
					continue;	/* already there */
				VEC_PUSH(l, m);
				*sl = l->n;	/* empty, or a dead twin's */
				work[n_work++] = l->n - 1;
			}
	}
	for (i = 0, out = 0; i < l->n; i++)
		if (!dead[i])
			l->v[out++] = l->v[i];
	l->n = out;
	free(set.slot);
	free(dead);
	free(work);
}

/* Whether box @x lies inside box @y. */
static bool box_within(const struct dj_box *x, const struct dj_box *y)
{
	int i;

	for (i = 0; i < DJ_ARGS; i++)
		if ((y->a[i].mask & ~x->a[i].mask) ||
		    (x->a[i].value & y->a[i].mask) != y->a[i].value)
			return false;
	return true;
}

/*
 * Merge siblings, then (@overlaps: the list may come from an OR) drop a
 * box that lies inside another with the same action.  That pass is
 * quadratic: past CONTAIN_MAX boxes it is skipped, which only costs size.
 */
static void merge(struct dj_boxes *l, bool overlaps)
{
	size_t i, j, out;
	bool *gone;

	if (l->n < 2)
		return;
	merge_siblings(l);
	if (!overlaps || l->n < 2 || l->n > CONTAIN_MAX)
		return;
	gone = xcalloc(l->n, sizeof(*gone));
	for (i = 0; i < l->n; i++)
		for (j = 0; j < l->n && !gone[i]; j++)
			if (j != i && !gone[j] &&
			    l->v[i].action == l->v[j].action &&
			    box_within(&l->v[i], &l->v[j]))
				gone[i] = true;	/* no duplicates left */
	for (i = 0, out = 0; i < l->n; i++)
		if (!gone[i])
			l->v[out++] = l->v[i];
	l->n = out;
	free(gone);
}

/* Move every box of @acc to @out (freeing @acc); false on an error. */
static bool push_all(struct dj_ctx *ctx, struct dj_boxes *out,
		     struct dj_boxes *acc)
{
	size_t i;

	for (i = 0; i < acc->n; i++)
		if (!push(ctx, out, &acc->v[i]))
			break;
	VEC_FREE(acc);
	return ctx->err == 0;
}
/* ---- conditions ----------------------------------------------------------- */

static bool cond_boxes(struct dj_ctx *ctx, const struct ir_cond *c,
		       struct dj_boxes *out);

static bool cmp_boxes(struct dj_ctx *ctx, const struct ir_cmp *cmp,
		      struct dj_boxes *out)
{
	struct dj_pat pats[DJ_CMP_MAX];
	struct dj_box b;
	size_t n, i;

	if (cmp->arg >= DJ_ARGS) {
		ctx->err = -EINVAL;
		return false;
	}
	dj_cmp_patterns(cmp, pats, &n);
	for (i = 0; i < n; i++) {
		full_box(&b, 0);
		b.a[cmp->arg] = pats[i];
		if (!push(ctx, out, &b))
			return false;
	}
	return true;
}

static bool and_boxes(struct dj_ctx *ctx, const struct ir_cond *c,
		      struct dj_boxes *out)
{
	struct dj_boxes acc = { 0 }, kid, next;
	struct dj_box all;
	size_t i;

	full_box(&all, 0);
	VEC_PUSH(&acc, all);
	for (i = 0; i < c->n_kids && acc.n > 0; i++) {
		memset(&kid, 0, sizeof(kid));
		memset(&next, 0, sizeof(next));
		if (!cond_boxes(ctx, c->kids[i], &kid) ||
		    !list_and(ctx, &acc, &kid, &next)) {
			VEC_FREE(&kid);
			VEC_FREE(&next);
			VEC_FREE(&acc);
			return false;
		}
		VEC_FREE(&kid);
		VEC_FREE(&acc);
		acc = next;
		merge(&acc, true);
	}
	return push_all(ctx, out, &acc);
}

/*
 * An OR keeps its kids' boxes as they are, overlaps and all: they will
 * carry one action, and making them disjoint would multiply them by the
 * complement of every earlier kid.
 */
static bool or_boxes(struct dj_ctx *ctx, const struct ir_cond *c,
		     struct dj_boxes *out)
{
	struct dj_boxes acc = { 0 };
	size_t i;

	for (i = 0; i < c->n_kids; i++)
		if (!cond_boxes(ctx, c->kids[i], &acc)) {
			VEC_FREE(&acc);
			return false;
		}
	merge(&acc, true);
	return push_all(ctx, out, &acc);
}

/* Append to @out boxes whose union is where @c is true. */
static bool cond_boxes(struct dj_ctx *ctx, const struct ir_cond *c,
		       struct dj_boxes *out)
{
	struct dj_box all;

	if (!c || c->kind == IRC_TRUE) {
		full_box(&all, 0);
		return push(ctx, out, &all);
	}
	switch (c->kind) {
	case IRC_FALSE:
		return true;
	case IRC_CMP:
		return cmp_boxes(ctx, &c->cmp, out);
	case IRC_AND:
		return and_boxes(ctx, c, out);
	case IRC_OR:
		return or_boxes(ctx, c, out);
	default:
		ctx->err = -EINVAL;
		return false;
	}
}

/* ---- rules ---------------------------------------------------------------- */

int dj_build(const struct ir_syscall *s, uint32_t default_action,
		   size_t budget, struct dj_boxes *out)
{
	struct dj_ctx ctx = { budget ? budget : DJ_BUDGET, 0 };
	struct dj_boxes remaining = { 0 }, cond, matched;
	struct dj_box all;
	size_t r, i;

	full_box(&all, 0);
	VEC_PUSH(&remaining, all);
	for (r = 0; r < s->n_rules && remaining.n > 0; r++) {
		const struct ir_rule *rule = &s->rules[r];
		bool last = r + 1 == s->n_rules;

		memset(&cond, 0, sizeof(cond));
		memset(&matched, 0, sizeof(matched));
		if (!cond_boxes(&ctx, rule->cond, &cond))
			goto fail;
		if (rule->action != default_action) {
			if (!list_and(&ctx, &remaining, &cond, &matched))
				goto fail;
			for (i = 0; i < matched.n; i++) {
				matched.v[i].action = rule->action;
				if (!push(&ctx, out, &matched.v[i]))
					goto fail;
			}
		}
		/* The last rule's remainder is the default: not needed. */
		if (!last) {
			if (!list_sub(&ctx, &remaining, &cond))
				goto fail;
			/* differences of disjoint pieces: no overlaps */
			merge(&remaining, false);
		}
		VEC_FREE(&cond);
		VEC_FREE(&matched);
	}
	VEC_FREE(&remaining);
	merge(out, true);
	return 0;
fail:
	VEC_FREE(&cond);
	VEC_FREE(&matched);
	VEC_FREE(&remaining);
	VEC_FREE(out);
	return ctx.err ? ctx.err : -EINVAL;
}

/* ---- comparing lists ------------------------------------------------------ */

int dj_covered(const struct dj_boxes *a, const struct dj_boxes *b,
	       size_t budget)
{
	struct dj_ctx ctx = { budget ? budget : DJ_BUDGET, 0 };
	struct dj_boxes pieces;
	size_t i, j;
	int ret = 1;

	for (i = 0; i < a->n && ret == 1; i++) {
		memset(&pieces, 0, sizeof(pieces));
		VEC_PUSH(&pieces, a->v[i]);
		for (j = 0; j < b->n && pieces.n > 0; j++) {
			if (b->v[j].action != a->v[i].action)
				continue;
			if (!list_sub_box(&ctx, &pieces, &b->v[j])) {
				ret = ctx.err;
				break;
			}
		}
		if (ret == 1 && pieces.n > 0)
			ret = 0;
		VEC_FREE(&pieces);
	}
	return ret;
}

int dj_equal(const struct dj_boxes *a, const struct dj_boxes *b, size_t budget)
{
	int r = dj_covered(a, b, budget);

	if (r != 1)
		return r;
	return dj_covered(b, a, budget);
}

static int cmp_u64(uint64_t x, uint64_t y)
{
	return x < y ? -1 : x > y;
}

static int box_cmp(const void *pa, const void *pb)
{
	const struct dj_box *x = pa, *y = pb;
	int i, r;

	if ((r = cmp_u64(x->action, y->action)))
		return r;
	for (i = 0; i < DJ_ARGS; i++) {
		if ((r = cmp_u64(x->a[i].mask, y->a[i].mask)))
			return r;
		if ((r = cmp_u64(x->a[i].value, y->a[i].value)))
			return r;
	}
	return 0;
}

void dj_sort(struct dj_boxes *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), box_cmp);
}
