/* SPDX-License-Identifier: MIT */
/*
 * emit-bpf.c - the native code generator: seccomp IR -> classic BPF.
 *
 * The program must give exactly what ir_eval() gives for every (arch,
 * nr, args), numbers outside every table and argument words with high
 * bits set included.  Layout of the emitted program:
 *
 *	ld   arch
 *	jeq  AUDIT_ARCH_1  -> tree 1     one test per distinct AUDIT_ARCH,
 *	jeq  AUDIT_ARCH_2  -> tree 2     in the policy's order
 *	...                -> RET bad_arch
 *   tree 1:
 *	ld   nr
 *	jge  #lo_k         -> ...        search over the runs of nr (below)
 *	jeq  #nr           -> ...        a one-number run between equals
 *   tree 2: ...
 *   rule blocks:                       one per distinct rule list
 *	ld   args[i].hi    -> ...        each rule's condition as
 *	...                                short-circuit jumps: true -> RET
 *	                                   action, false -> next rule, after
 *	                                   the last -> RET default
 *   RETs:                              one RET per distinct action,
 *	ret  ALLOW                      every jump to that action shares it
 *	ret  ERRNO(1) ...
 *
 * Runs.  Per AUDIT_ARCH value, every 32-bit nr has an outcome: a plain
 * action (a syscall without argument rules, the default for gaps, the
 * unknown action above max_nr, bad_arch) or "this rule block".  Maximal
 * runs of consecutive numbers with one outcome are the leaves of a
 * binary search on nr.  x86_64 and x32 share AUDIT_ARCH_X86_64 and x32
 * calls carry bit 30 (0x40000000) of nr; that bit needs no test of its
 * own: the regions [0x40000000, 0x80000000) and [0xc0000000, 2^32) are
 * just more runs, of x32's outcomes, or bad_arch when the policy lacks
 * x32 (and the other way round without x86_64).
 *
 * The search tree is the alphabetic tree with the least expected number
 * of tests, each run weighted by the syscall numbers it holds, plus a
 * price per instruction the kernel makes of it when it loads the filter
 * (a dynamic program over intervals of runs; see W_NATIVE, UNIT).  Big
 * runs (a hundred allowed calls in a row) end up near the root; the huge
 * but unused regions above max_nr sink to the bottom.  A single number
 * between two runs of one outcome (ptrace denied between allowed calls)
 * costs one "jeq" instead of two boundaries.
 *
 * NOTE: a path decided by arch and nr alone loads nothing else and uses
 * only JEQ/JGE/JGT/JSET with K and RET: the kernel's constant-action
 * cache (seccomp_cache_prepare(), Linux 5.11) emulates exactly those
 * instructions over the syscall numbers and skips the filter for every
 * call it proves allowed.  Argument words are loaded only in rule blocks.
 */
#include "seccomp/emit-bpf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define X32_BIT 0x40000000u
#define NR_SPACE (UINT64_C(1) << 32)

/*
 * Tree weights, for the cost of attaching the filter (see the NOTE at the
 * top).  Each native number up to max_nr weighs W_NATIVE per test on its
 * path: the kernel's action cache emulates the path of every one of them
 * when the filter is loaded (x86_64 and i386 on an x86_64 kernel).  x32
 * numbers are never emulated, and x32 is off in most kernels, so they
 * weigh much less; not nothing: the cache never serves an x32 call, each
 * one runs the filter (weight 0 would save three eBPF instructions on
 * docker-default and make its x32 paths 17% longer).  Every run also
 * weighs a little, so runs without a single known number do not drift
 * arbitrarily deep.
 */
#define W_NATIVE 16u
#define W_X32 1u
#define W_RUN 1u
/*
 * What the kernel charges per instruction held, in weight x depth.  It
 * converts each classic instruction (bpf_convert_filter(), three passes)
 * and JITs the eBPF that comes out (several passes); measured on Linux
 * 6.18, each classic and each eBPF instruction costs about as much as
 * 21 emulated ones (UNIT = 21 x W_NATIVE; bench/attach-model.c).  A
 * test whose two targets are both somewhere else becomes two eBPF
 * instructions (Jxx and JA), one with a target right behind it becomes
 * one: a node with a leaf on each side (a "bottom" node) costs 3 units,
 * any other node 2.  The optimum is flat: 384 or 512 give other trees
 * of the same modelled cost.
 */
#define UNIT 336u
/* Dynamic program (cubic) up to this many runs, halving weight above. */
#define DP_MAX 400u
#define SPLIT_CHAIN 0xffffffffu

struct outcome {
	bool block;		/* rule block, else a plain action */
	uint32_t action;	/* plain: the action; block: the fallback */
	const struct ir_rule *rules;	/* block: the syscall's rules */
	size_t *keep;		/* block: indices of the rules to test */
	size_t n_keep;
	int label;		/* the RET or the block */
};

struct run {
	uint32_t lo;		/* first number */
	uint64_t n;		/* how many numbers */
	size_t out;		/* index into emitter.outs */
	uint64_t w;		/* weight for the search tree */
};

struct group {
	uint32_t audit;
	const struct ir_arch *cls[2];	/* nr without / with bit 30 */
	VEC(run_vec, struct run) runs;
	size_t *alt;		/* see find_chains() */
	uint32_t *split;	/* DP_MAX runs or fewer: the chosen roots */
	int label;
};

struct emitter {
	struct bpf_builder b;
	const struct ir_filter *f;
	VEC(outcome_vec, struct outcome) outs;
	VEC(group_vec, struct group) groups;
};

/*
 * What the accumulator holds where code joins: nothing known (ANY), one
 * argument word with a mask applied, or no path arrives at all (NONE).
 * Consecutive comparisons of the same word skip the reload.
 */
enum acc_kind { ACC_NONE, ACC_ANY, ACC_WORD };

struct acc {
	enum acc_kind kind;
	uint32_t off, mask;
};

static const struct acc acc_none = { ACC_NONE, 0, 0 };
static const struct acc acc_any = { ACC_ANY, 0, 0 };

/* The two targets of a condition and the accumulator on arrival. */
struct exits {
	int t, f;
	struct acc at, af;
};

/* ---- constant folding ------------------------------------------------- */

/*
 * The bits a comparison looks at.  A 64-bit comparison whose mask has no
 * high bits means the same as a 32-bit one (clone's flags are 64 bits on
 * x86_64 and 32 on x86): both compile to the same code and may share it.
 */
static uint64_t cmp_mask(const struct ir_cmp *c)
{
	return c->width == 32 ? c->mask & 0xffffffffu : c->mask;
}

/* -1: depends on the arguments; 0 or 1: always false or true. */
static int cmp_const(const struct ir_cmp *c)
{
	uint64_t m = cmp_mask(c);
	uint64_t v = c->value;
	bool eq_never = (v & ~m) != 0, eq_always = m == 0 && v == 0;

	/* (arg & m) ranges over 0 .. m and reaches both ends. */
	switch (c->op) {
	case IR_EQ: return eq_never ? 0 : eq_always ? 1 : -1;
	case IR_NE: return eq_never ? 1 : eq_always ? 0 : -1;
	case IR_GE: return v == 0 ? 1 : v > m ? 0 : -1;
	case IR_LT: return v == 0 ? 0 : v > m ? 1 : -1;
	case IR_GT: return v >= m ? 0 : -1;
	case IR_LE: return v >= m ? 1 : -1;
	default: return 0;	/* ir_eval(): an unknown op is false */
	}
}

static int cond_const(const struct ir_cond *c)
{
	bool is_and, open = false;
	size_t i;

	if (!c)
		return 1;
	switch (c->kind) {
	case IRC_TRUE: return 1;
	case IRC_FALSE: return 0;
	case IRC_CMP: return cmp_const(&c->cmp);
	case IRC_AND:
	case IRC_OR:
		is_and = c->kind == IRC_AND;
		for (i = 0; i < c->n_kids; i++) {
			int k = cond_const(c->kids[i]);

			if (k == (is_and ? 0 : 1))
				return k;	/* decides alone */
			if (k < 0)
				open = true;
		}
		return open ? -1 : is_and ? 1 : 0;
	default: return 0;
	}
}

/*
 * A copy of @c without constant parts, nested ANDs (ORs) flattened, so
 * code generation sees only comparisons, and ANDs and ORs of two or more.
 */
static struct ir_cond *simplify(const struct ir_cond *c)
{
	struct ir_cond *n, *k;
	int v = cond_const(c);
	size_t i, j;

	if (v >= 0)
		return ir_cond_new(v ? IRC_TRUE : IRC_FALSE);
	if (c->kind == IRC_CMP)
		return ir_cond_cmp(&c->cmp);
	n = ir_cond_new(c->kind);
	for (i = 0; i < c->n_kids; i++) {
		if (cond_const(c->kids[i]) >= 0)
			continue;	/* neutral: the other value decides */
		k = simplify(c->kids[i]);
		if (k->kind != c->kind) {
			ir_cond_add(n, k);
			continue;
		}
		for (j = 0; j < k->n_kids; j++)
			ir_cond_add(n, k->kids[j]);
		k->n_kids = 0;
		ir_cond_free(k);
	}
	if (n->n_kids == 1) {
		k = n->kids[0];
		n->n_kids = 0;
		ir_cond_free(n);
		return k;
	}
	return n;
}

static bool cond_equal(const struct ir_cond *a, const struct ir_cond *b)
{
	size_t i;

	if (!a || !b)
		return a == b;
	if (a->kind != b->kind || a->n_kids != b->n_kids)
		return false;
	if (a->kind == IRC_CMP)
		return a->cmp.arg == b->cmp.arg && a->cmp.op == b->cmp.op &&
		       cmp_mask(&a->cmp) == cmp_mask(&b->cmp) &&
		       a->cmp.value == b->cmp.value;
	for (i = 0; i < a->n_kids; i++)
		if (!cond_equal(a->kids[i], b->kids[i]))
			return false;
	return true;
}

static bool cond_valid(const struct ir_cond *c)
{
	size_t i;

	if (!c)
		return true;
	if (c->kind == IRC_CMP)
		return c->cmp.arg < 6;
	for (i = 0; i < c->n_kids; i++)
		if (!cond_valid(c->kids[i]))
			return false;
	return true;
}

/* ---- outcomes --------------------------------------------------------- */

static size_t intern_action(struct emitter *e, uint32_t action)
{
	struct outcome o = { .action = action };
	size_t i;

	for (i = 0; i < e->outs.n; i++)
		if (!e->outs.v[i].block && e->outs.v[i].action == action)
			return i;
	o.label = bpf_label(&e->b);
	VEC_PUSH(&e->outs, o);
	return e->outs.n - 1;
}

static int ret_label(struct emitter *e, uint32_t action)
{
	size_t i = intern_action(e, action);	/* may move outs.v */

	return e->outs.v[i].label;
}

/* Takes @keep.  Syscalls with the same rules share one block. */
static size_t intern_block(struct emitter *e, const struct ir_rule *rules,
			   size_t *keep, size_t n_keep, uint32_t fallback)
{
	struct outcome o = { .block = true, .action = fallback,
			     .rules = rules, .keep = keep, .n_keep = n_keep };
	size_t i, j;

	for (i = 0; i < e->outs.n; i++) {
		const struct outcome *p = &e->outs.v[i];

		if (!p->block || p->action != fallback || p->n_keep != n_keep)
			continue;
		for (j = 0; j < n_keep; j++) {
			const struct ir_rule *x = &rules[keep[j]];
			const struct ir_rule *y = &p->rules[p->keep[j]];

			if (x->action != y->action ||
			    !cond_equal(x->cond, y->cond))
				break;
		}
		if (j == n_keep) {
			free(keep);
			return i;
		}
	}
	o.label = bpf_label(&e->b);
	VEC_PUSH(&e->outs, o);
	return e->outs.n - 1;
}

/*
 * A syscall's outcome.  Rules that never match are dropped, a rule that
 * always matches ends the list, and trailing rules whose action is what
 * happens anyway are dropped: what is left either needs the arguments
 * or is one plain action, decided by nr alone.
 */
static size_t classify(struct emitter *e, const struct ir_arch *a,
		       const struct ir_syscall *s)
{
	size_t *keep = xcalloc(s->n_rules + 1, sizeof(*keep));
	uint32_t fallback = a->default_action;
	size_t r, n = 0;

	for (r = 0; r < s->n_rules; r++) {
		int k = cond_const(s->rules[r].cond);

		if (k == 0)
			continue;
		if (k == 1) {
			fallback = s->rules[r].action;
			break;
		}
		keep[n++] = r;
	}
	while (n > 0 && s->rules[keep[n - 1]].action == fallback)
		n--;
	if (n == 0) {
		free(keep);
		return intern_action(e, fallback);
	}
	return intern_block(e, s->rules, keep, n, fallback);
}

/* The outcome of number @nr in group @g, decided as ir_eval() does. */
static size_t outcome_at(struct emitter *e, const struct group *g,
			 uint32_t nr)
{
	const struct ir_arch *a = g->cls[(nr & X32_BIT) != 0];
	size_t lo = 0, hi;

	if (!a)
		return intern_action(e, e->f->bad_arch_action);
	hi = a->n_sys;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((uint32_t)a->sys[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == a->n_sys || (uint32_t)a->sys[lo].nr != nr)
		return intern_action(e, nr > (uint32_t)a->max_nr ?
					a->unknown_action : a->default_action);
	return classify(e, a, &a->sys[lo]);
}

/* ---- runs and the search tree ----------------------------------------- */

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

VEC(u64_vec, uint64_t);

static void arch_points(struct u64_vec *pts, const struct ir_arch *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n_sys; i++) {
		VEC_PUSH(pts, (uint64_t)(uint32_t)a->sys[i].nr);
		VEC_PUSH(pts, (uint64_t)(uint32_t)a->sys[i].nr + 1);
	}
	VEC_PUSH(pts, (uint64_t)(uint32_t)a->max_nr + 1);
}

/* How much the numbers [p, q) weigh for the tree. */
static uint64_t weight(const struct group *g, uint64_t p, uint64_t q)
{
	const struct ir_arch *a = g->cls[(p & X32_BIT) != 0];
	uint64_t max, known;

	if (!a || p > (uint32_t)a->max_nr)
		return W_RUN;
	max = (uint32_t)a->max_nr;
	known = (q - 1 < max ? q - 1 : max) - p + 1;
	return known * (a->arch == ARCH_X32 ? W_X32 : W_NATIVE) + W_RUN;
}

/*
 * Every point where the outcome may change: each syscall and the number
 * after it, max_nr + 1, and where bit 30 flips if it picks another arch.
 */
static void make_runs(struct emitter *e, struct group *g)
{
	struct u64_vec pts = { 0 };
	size_t i, n;

	VEC_PUSH(&pts, 0);
	arch_points(&pts, g->cls[0]);
	if (g->cls[1] != g->cls[0]) {
		arch_points(&pts, g->cls[1]);
		VEC_PUSH(&pts, (uint64_t)X32_BIT);
		VEC_PUSH(&pts, (uint64_t)2 * X32_BIT);
		VEC_PUSH(&pts, (uint64_t)3 * X32_BIT);
	}
	qsort(pts.v, pts.n, sizeof(*pts.v), cmp_u64);
	for (i = n = 0; i < pts.n && pts.v[i] < NR_SPACE; i++)
		if (n == 0 || pts.v[n - 1] != pts.v[i])
			pts.v[n++] = pts.v[i];
	for (i = 0; i < n; i++) {
		uint64_t p = pts.v[i], q = i + 1 < n ? pts.v[i + 1] : NR_SPACE;
		size_t out;

		out = outcome_at(e, g, (uint32_t)p);
		if (g->runs.n > 0 && g->runs.v[g->runs.n - 1].out == out) {
			g->runs.v[g->runs.n - 1].n += q - p;
			g->runs.v[g->runs.n - 1].w += weight(g, p, q);
		} else {
			struct run r = { (uint32_t)p, q - p, out,
					 weight(g, p, q) };

			VEC_PUSH(&g->runs, r);
		}
	}
	VEC_FREE(&pts);
}

/*
 * alt[i]: the last run j such that runs i, i+2, ..., j share one outcome
 * and every run between them is a single number (an "exception").
 */
static void find_chains(struct group *g)
{
	const struct run *r = g->runs.v;
	size_t m = g->runs.n, i;

	g->alt = xcalloc(m, sizeof(*g->alt));
	for (i = m; i-- > 0;)
		g->alt[i] = i + 2 < m && r[i + 1].n == 1 &&
			    r[i + 2].out == r[i].out ? g->alt[i + 2] : i;
}

static bool is_chain(const struct group *g, size_t i, size_t j)
{
	return j > i && j <= g->alt[i] && (j - i) % 2 == 0;
}

/*
 * Cost of runs i..j as a chain "jeq #x1; jeq #x2; ...; else base": the
 * t-th exception is t tests deep, the base runs are behind all of them;
 * every test falls through to the next but the last, a bottom node.
 */
static uint64_t chain_cost(const struct group *g, size_t i, size_t j)
{
	uint64_t cost = 0, e = (j - i) / 2, t;

	for (t = 1; t <= e; t++)
		cost += g->runs.v[i + 2 * t - 1].w * t +
			g->runs.v[i + 2 * t].w * e;
	return cost + g->runs.v[i].w * e + UNIT * (2 * e + 1);
}

/*
 * The search tree with the least sum of weight x depth + UNIT x kernel
 * instructions (dynamic program over intervals of runs).  A node is
 * "jge #lo_k" (k: first run of the right subtree) or, for an interval
 * that is a chain, the chain of JEQs (SPLIT_CHAIN): one test per
 * exception where a tree needs two boundaries.
 */
static void plan_tree(struct group *g)
{
	size_t m = g->runs.n, len, i, j, k;
	_cleanup_free_ uint64_t *cost = xcalloc(m * m, sizeof(*cost));
	_cleanup_free_ uint64_t *pre = xcalloc(m + 1, sizeof(*pre));
	uint32_t *split = xcalloc(m * m, sizeof(*split));

	for (i = 0; i < m; i++)
		pre[i + 1] = pre[i] + g->runs.v[i].w;
	for (len = 2; len <= m; len++) {
		for (i = 0; i + len <= m; i++) {
			uint64_t best = UINT64_MAX, c;
			size_t best_k = i + 1, lo = i + 1, hi;

			j = i + len - 1;
			hi = j;
			/*
			 * Knuth's bound for optimal search trees: the best
			 * root of i..j lies between those of i..j-1 and
			 * i+1..j, which makes the plan quadratic instead of
			 * cubic (a third of compile time went here).  A
			 * chain has no root to bound by: search everything.
			 */
			if (len > 2 && split[i * m + j - 1] != SPLIT_CHAIN &&
			    split[(i + 1) * m + j] != SPLIT_CHAIN &&
			    split[i * m + j - 1] <= split[(i + 1) * m + j]) {
				lo = split[i * m + j - 1];
				hi = split[(i + 1) * m + j];
			}
			for (k = lo; k <= hi; k++) {
				c = cost[i * m + k - 1] + cost[k * m + j];
				if (c < best) {
					best = c;
					best_k = k;
				}
			}
			split[i * m + j] = (uint32_t)best_k;
			cost[i * m + j] = best + pre[j + 1] - pre[i] +
					  UNIT * (len == 2 ? 3 : 2);
			if (is_chain(g, i, j) &&
			    (c = chain_cost(g, i, j)) <= cost[i * m + j]) {
				split[i * m + j] = SPLIT_CHAIN;
				cost[i * m + j] = c;
			}
		}
	}
	g->split = split;
}

/* Where to split runs i..j: from the plan, or halving their weight. */
static uint32_t split_at(const struct group *g, size_t i, size_t j)
{
	uint64_t total = 0, left = 0, diff, best = UINT64_MAX;
	size_t k, best_k = i + 1;

	if (g->split)
		return g->split[i * g->runs.n + j];
	if (is_chain(g, i, j) && j - i <= 4)
		return SPLIT_CHAIN;
	for (k = i; k <= j; k++)
		total += g->runs.v[k].w;
	for (k = i + 1; k <= j; k++) {
		left += g->runs.v[k - 1].w;
		diff = 2 * left > total ? 2 * left - total : total - 2 * left;
		if (diff < best) {
			best = diff;
			best_k = k;
		}
	}
	return (uint32_t)best_k;
}

static int subtree_label(struct emitter *e, const struct group *g, size_t i,
			 size_t j)
{
	if (i == j)
		return e->outs.v[g->runs.v[i].out].label;
	return bpf_label(&e->b);
}

static void emit_subtree(struct emitter *e, const struct group *g, size_t i,
			 size_t j)
{
	uint32_t k = split_at(g, i, j);
	int l, r;

	if (k == SPLIT_CHAIN) {
		for (k = i + 1; k < j; k += 2) {
			r = k + 1 == j ? subtree_label(e, g, i, i) :
			    bpf_label(&e->b);
			bpf_jump(&e->b, BPF_JMP | BPF_JEQ | BPF_K,
				 g->runs.v[k].lo, subtree_label(e, g, k, k), r);
			if (k + 1 < j)
				bpf_bind(&e->b, r);
		}
		return;
	}
	l = subtree_label(e, g, i, k - 1);
	r = subtree_label(e, g, k, j);
	bpf_jump(&e->b, BPF_JMP | BPF_JGE | BPF_K, g->runs.v[k].lo, r, l);
	if (k - 1 > i) {
		bpf_bind(&e->b, l);
		emit_subtree(e, g, i, k - 1);
	}
	if (j > k) {
		bpf_bind(&e->b, r);
		emit_subtree(e, g, k, j);
	}
}

/* ---- conditions ------------------------------------------------------- */

static struct acc merge(struct acc a, struct acc b)
{
	if (a.kind == ACC_NONE)
		return b;
	if (b.kind == ACC_NONE)
		return a;
	if (a.kind == ACC_WORD && b.kind == ACC_WORD && a.off == b.off &&
	    a.mask == b.mask)
		return a;
	return acc_any;
}

static void note(struct exits *x, int label, struct acc a)
{
	if (label == x->t)
		x->at = merge(x->at, a);
	if (label == x->f)
		x->af = merge(x->af, a);
}

/*
 * Make A hold (word @off & @m).  With @superset, any (word & m') with m'
 * covering @m will do: JSET #m looks only at the bits of m.
 */
static void need(struct emitter *e, struct acc *cur, uint32_t off,
		 uint32_t m, bool superset)
{
	if (cur->kind == ACC_WORD && cur->off == off &&
	    (cur->mask & m) == m) {
		if (superset || cur->mask == m)
			return;
		bpf_stmt(&e->b, BPF_ALU | BPF_AND | BPF_K, m);
		cur->mask = m;
		return;
	}
	bpf_stmt(&e->b, BPF_LD | BPF_W | BPF_ABS, off);
	*cur = (struct acc){ ACC_WORD, off, 0xffffffffu };
	if (!superset && m != 0xffffffffu) {
		bpf_stmt(&e->b, BPF_ALU | BPF_AND | BPF_K, m);
		cur->mask = m;
	}
}

static void jump(struct emitter *e, struct exits *x, const struct acc *cur,
		 uint16_t op, uint32_t k, int jt, int jf)
{
	bpf_jump(&e->b, BPF_JMP | op | BPF_K, k, jt, jf);
	note(x, jt, *cur);
	note(x, jf, *cur);
}

static bool one_bit(uint32_t m)
{
	return m && !(m & (m - 1));
}

/*
 * One 32-bit step of a comparison: (word @off & @m) against @v, to @lt,
 * @eq or @gt.  An outcome that cannot happen takes a neighbour's target,
 * which often leaves one test (or none).  Returns whether any jump goes
 * to @probe.
 */
static bool emit_stage(struct emitter *e, struct acc *cur, struct exits *x,
		       uint32_t off, uint32_t m, uint32_t v, int lt, int eq,
		       int gt, int probe)
{
	int l = v > 0 ? lt : -1;
	int q = (v & ~m) == 0 ? eq : -1;
	int g = m > v ? gt : -1;
	int mid;

	if (q < 0)
		q = g >= 0 ? g : l;
	if (l < 0)
		l = q;
	if (g < 0)
		g = q;
	if (l == q && q == g) {
		bpf_goto(&e->b, l);	/* dropped if it lands next */
		note(x, l, *cur);
		return l == probe;
	}
	if (l == q) {			/* (w & m) > v */
		if (v == 0 && m == 0xffffffffu) {
			/*
			 * w != 0.  "jset #0xffffffff" would cost the kernel
			 * one more eBPF instruction (a negative immediate
			 * goes through a register first).
			 */
			need(e, cur, off, m, false);
			jump(e, x, cur, BPF_JEQ, 0, l, g);
		} else if (v == 0) {
			need(e, cur, off, m, true);
			jump(e, x, cur, BPF_JSET, m, g, l);
		} else {
			need(e, cur, off, m, false);
			jump(e, x, cur, BPF_JGT, v, g, l);
		}
	} else if (q == g) {		/* (w & m) >= v */
		if (v == m && one_bit(m)) {
			need(e, cur, off, m, true);
			jump(e, x, cur, BPF_JSET, m, g, l);
		} else {
			need(e, cur, off, m, false);
			jump(e, x, cur, BPF_JGE, v, g, l);
		}
	} else if (l == g) {		/* (w & m) == v */
		if (v == m && one_bit(m)) {
			need(e, cur, off, m, true);
			jump(e, x, cur, BPF_JSET, m, q, l);
		} else {
			need(e, cur, off, m, false);
			jump(e, x, cur, BPF_JEQ, v, q, l);
		}
	} else {
		need(e, cur, off, m, false);
		mid = bpf_label(&e->b);
		jump(e, x, cur, BPF_JGT, v, g, mid);
		bpf_bind(&e->b, mid);
		jump(e, x, cur, BPF_JEQ, v, q, l);
	}
	return l == probe || q == probe || g == probe;
}

/*
 * (args[i] & mask) OP value.  On 64 bits the high words decide unless
 * they are equal, then the low words do; each word is a three-way step
 * sending "less", "equal" and "greater" where OP wants them.  For == and
 * != the order does not matter, so when A already holds the low word
 * that step goes first.
 */
static void gen_cmp(struct emitter *e, const struct ir_cmp *c,
		    struct acc *cur, struct exits *x)
{
	uint64_t m = cmp_mask(c);
	uint32_t ml = (uint32_t)m, mh = (uint32_t)(m >> 32);
	uint32_t vl = (uint32_t)c->value, vh = (uint32_t)(c->value >> 32);
	uint32_t lo = bpf_arg_off(c->arg, false);
	uint32_t hi = bpf_arg_off(c->arg, true);
	int t = x->t, f = x->f, lt, eq, gt, next;

	switch (c->op) {
	case IR_EQ: lt = f; eq = t; gt = f; break;
	case IR_NE: lt = t; eq = f; gt = t; break;
	case IR_LT: lt = t; eq = f; gt = f; break;
	case IR_LE: lt = t; eq = t; gt = f; break;
	case IR_GT: lt = f; eq = f; gt = t; break;
	case IR_GE: lt = f; eq = t; gt = t; break;
	default: lt = eq = gt = f; break;
	}
	if (mh == 0 && vh == 0) {
		/* the high words always compare equal: low word only */
		emit_stage(e, cur, x, lo, ml, vl, lt, eq, gt, -1);
		return;
	}
	next = bpf_label(&e->b);
	if ((c->op == IR_EQ || c->op == IR_NE) && cur->kind == ACC_WORD &&
	    cur->off == lo) {
		if (emit_stage(e, cur, x, lo, ml, vl, lt, next, gt, next)) {
			bpf_bind(&e->b, next);
			emit_stage(e, cur, x, hi, mh, vh, lt, eq, gt, -1);
		}
		return;
	}
	if (emit_stage(e, cur, x, hi, mh, vh, lt, next, gt, next)) {
		bpf_bind(&e->b, next);
		emit_stage(e, cur, x, lo, ml, vl, lt, eq, gt, -1);
	}
}

/* Short-circuit code for @c: every path ends in a jump to @t or @f. */
static void gen_cond(struct emitter *e, const struct ir_cond *c,
		     struct acc in, int t, int f, struct acc *at,
		     struct acc *af)
{
	struct exits x = { t, f, acc_none, acc_none };
	struct acc cur = in, kt, kf, other = acc_none;
	bool is_and;
	size_t i;

	if (c->kind == IRC_CMP) {
		gen_cmp(e, &c->cmp, &cur, &x);
		*at = x.at;
		*af = x.af;
		return;
	}
	if ((c->kind != IRC_AND && c->kind != IRC_OR) || c->n_kids == 0) {
		/* constants; an empty AND is true, an empty OR false */
		is_and = c->kind == IRC_TRUE || c->kind == IRC_AND;
		bpf_goto(&e->b, is_and ? t : f);
		*at = is_and ? in : acc_none;
		*af = is_and ? acc_none : in;
		return;
	}
	/* AND: each kid's true exit leads to the next kid; OR: its false */
	is_and = c->kind == IRC_AND;
	for (i = 0; i < c->n_kids; i++) {
		bool last = i + 1 == c->n_kids;
		int next = last ? (is_and ? t : f) : bpf_label(&e->b);

		if (is_and)
			gen_cond(e, c->kids[i], cur, next, f, &kt, &kf);
		else
			gen_cond(e, c->kids[i], cur, t, next, &kt, &kf);
		other = merge(other, is_and ? kf : kt);
		cur = is_and ? kt : kf;
		if (!last)
			bpf_bind(&e->b, next);
	}
	*at = is_and ? cur : other;
	*af = is_and ? other : cur;
}

/* The rules of one block in order; falling through all: the fallback. */
static void emit_block(struct emitter *e, size_t idx)
{
	const struct outcome o = e->outs.v[idx];	/* outs may grow */
	struct acc cur = acc_any, at, af;
	size_t j;

	bpf_bind(&e->b, o.label);
	for (j = 0; j < o.n_keep; j++) {
		const struct ir_rule *r = &o.rules[o.keep[j]];
		bool last = j + 1 == o.n_keep;
		int t = ret_label(e, r->action);
		int f = last ? ret_label(e, o.action) : bpf_label(&e->b);
		struct ir_cond *c = simplify(r->cond);

		gen_cond(e, c, cur, t, f, &at, &af);
		ir_cond_free(c);
		if (!last)
			bpf_bind(&e->b, f);
		cur = af;
	}
}

/* ---- the program ------------------------------------------------------ */

static void make_groups(struct emitter *e)
{
	const struct ir_filter *f = e->f;
	size_t i, j;

	for (i = 0; i < f->n_arches; i++) {
		uint32_t audit = arch_info(f->arches[i].arch)->audit_arch;
		struct group g = { .audit = audit };

		for (j = 0; j < e->groups.n; j++)
			if (e->groups.v[j].audit == audit)
				break;
		if (j < e->groups.n)
			continue;
		/* the first arch find_arch() in ir.c accepts, per bit 30 */
		for (j = i; j < f->n_arches; j++) {
			const struct ir_arch *a = &f->arches[j];

			if (arch_info(a->arch)->audit_arch != audit)
				continue;
			if (!g.cls[0] && a->arch != ARCH_X32)
				g.cls[0] = a;
			if (!g.cls[1] && a->arch != ARCH_X86_64)
				g.cls[1] = a;
		}
		VEC_PUSH(&e->groups, g);
	}
}

static bool filter_valid(const struct ir_filter *f)
{
	size_t a, s, r;

	for (a = 0; a < f->n_arches; a++) {
		const struct ir_arch *ar = &f->arches[a];

		if (!arch_info(ar->arch))
			return false;
		for (s = 0; s < ar->n_sys; s++)
			for (r = 0; r < ar->sys[s].n_rules; r++)
				if (!cond_valid(ar->sys[s].rules[r].cond))
					return false;
	}
	return true;
}

static void emitter_fini(struct emitter *e)
{
	size_t i;

	for (i = 0; i < e->outs.n; i++)
		free(e->outs.v[i].keep);
	for (i = 0; i < e->groups.n; i++) {
		VEC_FREE(&e->groups.v[i].runs);
		free(e->groups.v[i].alt);
		free(e->groups.v[i].split);
	}
	VEC_FREE(&e->outs);
	VEC_FREE(&e->groups);
	bpf_builder_fini(&e->b);
}

static int emit(struct emitter *e, struct sock_filter **prog, size_t *len,
		struct emit_bpf_stats *st)
{
	struct bpf_builder *b = &e->b;
	size_t i, n_blocks = 0, n_runs = 0;
	int r;

	make_groups(e);
	for (i = 0; i < e->groups.n; i++) {
		struct group *g = &e->groups.v[i];

		make_runs(e, g);
		n_runs += g->runs.n;
		if (g->runs.n == 1) {
			g->label = e->outs.v[g->runs.v[0].out].label;
			continue;
		}
		find_chains(g);
		if (g->runs.n <= DP_MAX)
			plan_tree(g);
		g->label = bpf_label(b);
	}

	if (e->groups.n == 0) {
		bpf_stmt(b, BPF_RET | BPF_K, e->f->bad_arch_action);
	} else {
		bpf_stmt(b, BPF_LD | BPF_W | BPF_ABS, BPF_SD_ARCH);
		for (i = 0; i < e->groups.n; i++) {
			bool last = i + 1 == e->groups.n;
			int next = last ? ret_label(e, e->f->bad_arch_action) :
				   bpf_label(b);

			bpf_jump(b, BPF_JMP | BPF_JEQ | BPF_K,
				 e->groups.v[i].audit, e->groups.v[i].label,
				 next);
			if (!last)
				bpf_bind(b, next);
		}
	}
	/*
	 * The trees in reverse order: the last arch test then falls through
	 * into its tree, one eBPF instruction instead of two (Jxx + JA).
	 */
	for (i = e->groups.n; i-- > 0;) {
		const struct group *g = &e->groups.v[i];

		if (g->runs.n == 1)
			continue;
		bpf_bind(b, g->label);
		bpf_stmt(b, BPF_LD | BPF_W | BPF_ABS, BPF_SD_NR);
		emit_subtree(e, g, 0, g->runs.n - 1);
	}
	for (i = 0; i < e->outs.n; i++) {
		if (e->outs.v[i].block) {
			emit_block(e, i);
			n_blocks++;
		}
	}
	/* last: every jump into a RET is forward */
	for (i = 0; i < e->outs.n; i++) {
		if (e->outs.v[i].block)
			continue;
		bpf_bind(b, e->outs.v[i].label);
		bpf_stmt(b, BPF_RET | BPF_K, e->outs.v[i].action);
	}

	r = bpf_assemble(b, prog, len);
	if (r == 0 && st) {
		st->n_insns = *len;
		st->n_arch_groups = e->groups.n;
		st->n_runs = n_runs;
		st->n_blocks = n_blocks;
		st->n_rets = e->outs.n - n_blocks;
		st->n_trampolines = b->n_trampolines;
	}
	return r;
}

int emit_bpf_ex(const struct ir_filter *f, struct sock_filter **prog,
		size_t *len, struct emit_bpf_stats *st)
{
	struct emitter e = { .f = f };
	int r;

	if (!filter_valid(f))
		return -EINVAL;
	bpf_builder_init(&e.b);
	r = emit(&e, prog, len, st);
	emitter_fini(&e);
	return r;
}

int emit_bpf(const struct ir_filter *f, struct sock_filter **prog,
	     size_t *len)
{
	return emit_bpf_ex(f, prog, len, NULL);
}
