/* SPDX-License-Identifier: MIT */
/*
 * check-expr.c - the argument condition of a seccomp rule ('if').
 *
 * The parser reads conditions and constant expressions with one grammar
 * (ast.h), so this pass gives every node its type: a condition (|| && !
 * and comparisons), an argument (argN or a declared name, optionally
 * masked once as '(ARG & CONST)') or a constant.  docs/language.md
 * section 4 then asks for exactly one argument side per comparison, a
 * mask that is a name, a number or in parentheses, constants that fit
 * the argument's width, and a warning when a condition can never be
 * true or is always true.
 *
 * The always/never analysis is deliberately modest and sound: each
 * comparison is judged against the range of its (masked) argument, and
 * the comparisons directly under one &&/|| chain are combined per
 * argument as intervals (empty intersection: never true; union covering
 * the whole range: always true).  It never claims more than is true;
 * lowering normalizes everything else.
 */
#include "front/check-int.h"

#include <stdlib.h>
#include <string.h>

enum tv { TV_UNKNOWN, TV_TRUE, TV_FALSE };
/* O_BARE: '(a & X | Y)', reported once the whole mask is known. */
enum okind { O_BAD, O_CONST, O_ARG, O_BARE };

#define MAX_ARGS 6
#define U32_MAX_ UINT64_C(0xffffffff)

struct argref {
	const struct expr *node;	/* the name as written */
	int key;		/* identity: 0..5 for argN, 6.. for a name
				 * that sits at different places */
	unsigned width;		/* 32 or 64 */
	bool masked;
	uint64_t mask;
};

/* An unparenthesized mask: its text runs from @from to @to (NULL when
 * it is not contiguous), @grow says which end the parent extends. */
struct bare {
	const struct leash_loc *where;	/* the operator after the mask */
	const char *arg;
	const struct expr *from, *to;
	int grow;			/* 1: right, -1: left */
};

struct operand {
	enum okind kind;
	const struct expr *node;	/* O_CONST: evaluate on use */
	struct argref arg;		/* O_ARG */
	struct bare bare;		/* O_BARE */
};

/* One comparison as the interval analysis sees it: (arg & mask) op v,
 * negation already applied, the argument on the left. */
struct lit {
	int key;
	unsigned width;
	uint64_t mask;		/* all ones when unmasked */
	enum expr_op op;
	uint64_t v;
};
VEC(lit_vec, struct lit);

enum group_kind { G_NONE, G_AND, G_OR };

VEC(cstr_vec, const char *);

struct cx {
	struct leash_ctx *ctx;
	const struct sc_stmt *rule;
	struct cstr_vec undeclared;	/* reported once per rule */
};

static bool is_cmp(enum expr_op op)
{
	return op >= OP_EQ && op <= OP_GE;
}

static bool is_cond_node(const struct expr *e)
{
	if (e->kind == EX_IN)
		return true;
	if (e->kind == EX_UNARY)
		return e->op == OP_NOT;
	if (e->kind == EX_BINARY)
		return e->op == OP_LOR || e->op == OP_LAND || is_cmp(e->op);
	return false;
}

static uint64_t width_max(unsigned width)
{
	return width == 32 ? U32_MAX_ : UINT64_MAX;
}

/* ---- arguments ----------------------------------------------------------- */

/* "arg0".."arg5" -> 0..5, else -1. */
static int argn_index(const char *s)
{
	if (strlen(s) == 4 && strncmp(s, "arg", 3) == 0 && s[3] >= '0' &&
	    s[3] < '0' + MAX_ARGS)
		return s[3] - '0';
	return -1;
}

/* Where @t declares @name, or -1. */
static int decl_index(const struct ast_target *t, const char *name)
{
	size_t i;

	if (t->is_group)
		return -1;
	for (i = 0; i < t->args.n && i < MAX_ARGS; i++) {
		const char *n = t->args.v[i].name.s;

		if (n && strcmp(n, name) == 0)
			return (int)i;
	}
	return -1;
}

/* An explicit ':32' on any target makes the comparison 32-bit: it is
 * checked against the strictest declaration. */
static unsigned decl_width(const struct ast_target *t, int idx)
{
	if (t->is_group || idx < 0 || (size_t)idx >= t->args.n)
		return 0;
	return t->args.v[idx].width;
}

static const char *suggest_name(struct cx *cx, const char *name)
{
	const struct sc_stmt *r = cx->rule;
	size_t i, d, best = 3;
	const char *found = NULL;

	if (r->targets.n) {
		const struct ast_target *t = &r->targets.v[0];

		for (i = 0; i < t->args.n; i++) {
			const char *n = t->args.v[i].name.s;

			if (!n)
				continue;
			d = edit_distance(name, n, 2);
			if (d < best) {
				best = d;
				found = n;
			}
		}
	}
	if (found)
		return found;
	for (i = 0; i < cx->ctx->defines.n; i++) {
		const char *n = cx->ctx->defines.v[i]->name.s;

		d = edit_distance(name, n, 2);
		if (d < best && !(d > 1 && strlen(name) <= 4)) {
			best = d;
			found = n;
		}
	}
	return found ? found : const_suggest(name);
}

static struct operand name_operand(struct cx *cx, const struct expr *e)
{
	const struct sc_stmt *r = cx->rule;
	struct operand o = { .kind = O_BAD, .node = e };
	const struct ast_target *missing = NULL;
	int idx = argn_index(e->name), first = -1;
	bool same = true;
	size_t i, n_decl = 0;
	const char *hint;

	o.arg.node = e;
	o.arg.width = 64;
	o.arg.mask = UINT64_MAX;
	if (idx >= 0) {
		o.kind = O_ARG;
		o.arg.key = idx;
		for (i = 0; i < r->targets.n; i++)
			if (decl_width(&r->targets.v[i], idx) == 32)
				o.arg.width = 32;
		return o;
	}
	/* A declared name applies to its own syscall: on a target list,
	 * every target must declare it (docs/language.md section 4). */
	for (i = 0; i < r->targets.n; i++) {
		const struct ast_target *t = &r->targets.v[i];
		int at = decl_index(t, e->name);

		if (at < 0) {
			if (!missing)
				missing = t;
			continue;
		}
		n_decl++;
		if (decl_width(t, at) == 32)
			o.arg.width = 32;
		if (first < 0)
			first = at;
		else if (first != at)
			same = false;
	}
	if (n_decl && missing) {
		for (i = 0; i < cx->undeclared.n; i++)
			if (strcmp(cx->undeclared.v[i], e->name) == 0)
				return o;
		VEC_PUSH(&cx->undeclared, e->name);
		diag_error(&cx->ctx->diag, &e->loc,
			   "argument '%s' is not declared by '%s'", e->name,
			   missing->name.s);
		diag_note(&cx->ctx->diag, &missing->name.loc,
			  "argument names apply to their own syscall: on a list, every syscall must declare '%s'",
			  e->name);
		return o;
	}
	if (n_decl) {
		/* A name at different places on different syscalls is an
		 * argument of its own for the analysis: no argN equals it.
		 * Two names cannot share a place on the first syscall, so
		 * MAX_ARGS + first is unique. */
		o.arg.key = same ? first : MAX_ARGS + first;
		o.kind = O_ARG;
		return o;
	}
	if (res_find_define(cx->ctx, e->name) || const_known(e->name)) {
		o.kind = O_CONST;
		return o;
	}
	hint = suggest_name(cx, e->name);
	if (hint)
		diag_error(&cx->ctx->diag, &e->loc,
			   "unknown argument or constant '%s' (did you mean '%s'?)",
			   e->name, hint);
	else
		diag_error(&cx->ctx->diag, &e->loc,
			   "unknown argument or constant '%s'", e->name);
	return o;
}

/* ---- operands ------------------------------------------------------------ */

static void not_a_number(struct cx *cx, const struct expr *e)
{
	diag_error(&cx->ctx->diag, &e->loc, "%s used as a number",
		   e->kind == EX_BINARY && is_cmp(e->op) ? "a comparison" :
							   "a condition");
}

static void arithmetic_on_arg(struct cx *cx, const struct expr *e,
			      const struct argref *a)
{
	diag_error(&cx->ctx->diag, &e->op_loc,
		   "argument '%s' used in arithmetic: only a mask '(%s & VALUE)' is allowed",
		   a->node->name, a->node->name);
}

/* The value of a constant operand; false after reporting. */
static bool const_value(struct cx *cx, const struct expr *e, uint64_t *v)
{
	return res_eval_const(cx->ctx, e, v);
}

/*
 * Fit @v to the argument's width.  docs/language.md: a negative constant
 * counts as its 32-bit two's complement, any other value must fit in 32
 * bits.  "Negative" is judged on the value, so a define of -1 works as
 * well as a literal -1.
 */
static bool fit_width(struct cx *cx, const struct argref *a, uint64_t *v,
		      const struct expr *where, const char *what)
{
	if (a->width != 32 || *v <= U32_MAX_)
		return true;
	if (*v >= UINT64_C(0xffffffff80000000)) {
		*v &= U32_MAX_;
		return true;
	}
	diag_error(&cx->ctx->diag, &where->loc,
		   "%s 0x%llx does not fit in the 32-bit argument '%s'", what,
		   (unsigned long long)*v, a->node->name);
	return false;
}

static struct operand operand(struct cx *cx, const struct expr *e);

/* ---- masks --------------------------------------------------------------- */

static int loc_cmp(int la, int ca, int lb, int cb)
{
	if (la != lb)
		return la < lb ? -1 : 1;
	return (ca > cb) - (ca < cb);
}

/*
 * Whether @inner, a part of @outer, stands at its start (or end) with no
 * '(' (or ')') between: the parser keeps no parentheses, but a node's
 * location is its own text, without them.
 */
static bool starts_with(const struct expr *outer, const struct expr *inner)
{
	return loc_cmp(outer->loc.first_line, outer->loc.first_column,
		       inner->loc.first_line, inner->loc.first_column) == 0;
}

static bool ends_with(const struct expr *outer, const struct expr *inner)
{
	return loc_cmp(outer->loc.last_line, outer->loc.last_column,
		       inner->loc.last_line, inner->loc.last_column) == 0;
}

/* The source text from @from's start to @to's end, when it is on one
 * line and short; false otherwise. */
static bool src_text(const struct expr *from, const struct expr *to,
		     char *buf, size_t len)
{
	const struct src_file *f = from->loc.file;
	const char *line;
	size_t n;
	int a = from->loc.first_column, b = to->loc.last_column;

	if (!f || f != to->loc.file ||
	    from->loc.first_line != to->loc.last_line || a < 1 || b <= a)
		return false;
	line = src_line(f, from->loc.first_line, &n);
	if (!line || (size_t)(b - 1) > n || (size_t)(b - a) >= len)
		return false;
	memcpy(buf, line + a - 1, (size_t)(b - a));
	buf[b - a] = '\0';
	return true;
}

/*
 * docs/language.md section 4: the mask after '&' is a name, a number or
 * a parenthesized constant expression.  C would read '(a & X | Y)' as
 * '((a & X) | Y)', and a reader who does not know C's table cannot tell
 * that from '(a & X + Y)', which C reads as '(a & (X + Y))': leash
 * refuses both rather than guess, and shows the mask in parentheses.
 * The text from @from to @to is the mask as written (NULL: unknown).
 */
static void bare_mask(struct cx *cx, const struct leash_loc *where,
		      const char *arg, const struct expr *from,
		      const struct expr *to)
{
	char text[128];

	if (from && src_text(from, to, text, sizeof(text)))
		diag_error(&cx->ctx->diag, where,
			   "the mask after '&' must be a name, a number or in parentheses: write '(%s & (%s))'",
			   arg, text);
	else
		diag_error(&cx->ctx->diag, where,
			   "the mask after '&' must be a name, a number or in parentheses: write '(%s & (MASK))'",
			   arg);
}

/* Is @m, the constant side of the mask @e, a binary operation written
 * without parentheses?  '&' itself is exempt: 'a & M & N' means the
 * same however it is grouped. */
static bool mask_needs_parens(const struct expr *e, const struct expr *m)
{
	if (m->kind != EX_BINARY || m->op == OP_BAND)
		return false;
	return m == e->rhs ? ends_with(e, m) : starts_with(e, m);
}

static struct operand mask_operand(struct cx *cx, const struct expr *e)
{
	struct operand bad = { .kind = O_BAD, .node = e }, l, r, *a, *c;
	const struct expr *cmp = NULL, *m;
	uint64_t v;

	/* 'arg0 & 0xf == 1' parses as 'arg0 & (0xf == 1)', as in C; 'in'
	 * binds more tightly than '&' too. */
	if ((e->rhs->kind == EX_BINARY && is_cmp(e->rhs->op)) ||
	    e->rhs->kind == EX_IN)
		cmp = e->rhs;
	else if ((e->lhs->kind == EX_BINARY && is_cmp(e->lhs->op)) ||
		 e->lhs->kind == EX_IN)
		cmp = e->lhs;
	if (cmp && cmp->kind == EX_IN) {
		diag_error(&cx->ctx->diag, &e->op_loc,
			   "'&' binds more loosely than 'in': write '(ARG & MASK) in { ... }'");
		return bad;
	}
	if (cmp) {
		diag_error(&cx->ctx->diag, &e->op_loc,
			   "'&' binds more loosely than '%s': write '(ARG & MASK) %s VALUE'",
			   ast_expr_op_str(cmp->op), ast_expr_op_str(cmp->op));
		return bad;
	}
	l = operand(cx, e->lhs);
	r = operand(cx, e->rhs);
	if (l.kind == O_BAD || r.kind == O_BAD)
		return bad;
	if (l.kind == O_CONST && r.kind == O_CONST) {
		l.node = e;
		return l;
	}
	if (l.kind == O_ARG && r.kind == O_ARG) {
		diag_error(&cx->ctx->diag, &e->op_loc,
			   "argument '%s' masked with argument '%s': a mask must be a constant",
			   l.arg.node->name, r.arg.node->name);
		return bad;
	}
	a = l.kind == O_ARG ? &l : &r;
	c = l.kind == O_ARG ? &r : &l;
	m = l.kind == O_ARG ? e->rhs : e->lhs;
	if (mask_needs_parens(e, m)) {
		bare_mask(cx, &m->op_loc, a->arg.node->name, m, m);
		return bad;
	}
	if (!const_value(cx, c->node, &v) ||
	    !fit_width(cx, &a->arg, &v, c->node, "mask"))
		return bad;
	/* '((a & M) & N)' is one mask, M & N. */
	a->arg.mask = a->arg.masked ? a->arg.mask & v : v;
	a->arg.masked = true;
	return *a;
}

/*
 * '(a & X | Y)': C's '((a & X) | Y)', where the author meant a mask of
 * 'X | Y'.  @e is the operation, @a its masked argument, on the left
 * when @left.  Only a mask written without parentheses is read so: then
 * @out is the mask so far, which the operations around @e may extend
 * ('a & X | Y | Z'), and operand() reports it.
 */
static bool bare_mask_op(const struct expr *e, const struct argref *a,
			 bool left, struct operand *out)
{
	const struct expr *b = left ? e->lhs : e->rhs;
	struct bare *bm = &out->bare;

	if (!a->masked || b->kind != EX_BINARY || b->op != OP_BAND ||
	    !(left ? starts_with(e, b) : ends_with(e, b)))
		return false;
	*out = (struct operand){ .kind = O_BARE, .node = e };
	bm->where = &e->op_loc;
	bm->arg = a->node->name;
	if (left && a->node == b->lhs && ends_with(b, b->rhs))
		*bm = (struct bare){ &e->op_loc, a->node->name, b->rhs, e, 1 };
	else if (!left && a->node == b->rhs && starts_with(b, b->lhs))
		*bm = (struct bare){ &e->op_loc, a->node->name, e, b->lhs, -1 };
	return true;
}

/* An operation around an unparenthesized mask @o, on @e's left when
 * @left: the mask grows while no parenthesis closes it. */
static struct operand grow_bare(const struct expr *e, struct operand o,
				bool left)
{
	struct bare *bm = &o.bare;

	if (left && bm->grow == 1 && starts_with(e, e->lhs))
		bm->to = e;
	else if (!left && bm->grow == -1 && ends_with(e, e->rhs))
		bm->from = e;
	else
		bm->from = bm->to = NULL;
	o.node = e;
	return o;
}

static struct operand operand_raw(struct cx *cx, const struct expr *e);

/* Type a value position: a constant or a (masked) argument. */
static struct operand operand(struct cx *cx, const struct expr *e)
{
	struct operand o = operand_raw(cx, e);

	if (o.kind != O_BARE)
		return o;
	bare_mask(cx, o.bare.where, o.bare.arg, o.bare.from, o.bare.to);
	return (struct operand){ .kind = O_BAD, .node = e };
}

static struct operand operand_raw(struct cx *cx, const struct expr *e)
{
	struct operand bad = { .kind = O_BAD, .node = e }, l, r, o;

	if (is_cond_node(e)) {
		not_a_number(cx, e);
		return bad;
	}
	switch (e->kind) {
	case EX_NUM:
		return (struct operand){ .kind = O_CONST, .node = e };
	case EX_NAME:
		return name_operand(cx, e);
	case EX_UNARY:
		l = operand(cx, e->lhs);
		if (l.kind == O_ARG) {
			arithmetic_on_arg(cx, e, &l.arg);
			return bad;
		}
		l.node = e;
		return l;
	case EX_BINARY:
		if (e->op == OP_BAND)
			return mask_operand(cx, e);
		l = operand_raw(cx, e->lhs);
		r = operand_raw(cx, e->rhs);
		if (l.kind == O_BARE && r.kind == O_CONST)
			return grow_bare(e, l, true);
		if (r.kind == O_BARE && l.kind == O_CONST)
			return grow_bare(e, r, false);
		if (l.kind == O_BARE)
			operand(cx, e->lhs);	/* report it */
		if (r.kind == O_BARE)
			operand(cx, e->rhs);
		if (l.kind == O_ARG || r.kind == O_ARG) {
			const struct argref *a = l.kind == O_ARG ? &l.arg :
								   &r.arg;

			if (bare_mask_op(e, a, l.kind == O_ARG, &o) &&
			    l.kind != O_BARE && r.kind != O_BARE &&
			    (l.kind != O_ARG || r.kind != O_ARG))
				return o;
			arithmetic_on_arg(cx, e, a);
			return bad;
		}
		if (l.kind != O_CONST || r.kind != O_CONST)
			return bad;
		l.node = e;
		return l;
	default:
		return bad;
	}
}

/* ---- one comparison ------------------------------------------------------ */

static enum expr_op swap_op(enum expr_op op)
{
	switch (op) {
	case OP_LT: return OP_GT;
	case OP_LE: return OP_GE;
	case OP_GT: return OP_LT;
	case OP_GE: return OP_LE;
	default: return op;
	}
}

static enum expr_op negate_op(enum expr_op op)
{
	switch (op) {
	case OP_EQ: return OP_NE;
	case OP_NE: return OP_EQ;
	case OP_LT: return OP_GE;
	case OP_LE: return OP_GT;
	case OP_GT: return OP_LE;
	case OP_GE: return OP_LT;
	default: return op;
	}
}

/* The largest value '(arg & mask)' can take. */
static uint64_t arg_max(const struct argref *a)
{
	return width_max(a->width) & (a->masked ? a->mask : UINT64_MAX);
}

static const char *max_what(const struct argref *a)
{
	if (a->masked)
		return "the masked value";
	return a->width == 32 ? "a 32-bit argument" : "an argument";
}

/*
 * Judge '(arg & mask) op v' alone, before any negation, and warn at
 * @where when it is decided.  docs/language.md: '(a & M) == V' with bits of V
 * outside M is never true (and libseccomp would mask V, so it matters).
 */
static enum tv judge_cmp(struct cx *cx, const struct argref *a,
			 enum expr_op op, uint64_t v,
			 const struct leash_loc *where, bool *expl)
{
	uint64_t max = arg_max(a);
	unsigned long long uv = v, um = max;
	enum tv t = TV_UNKNOWN;
	const char *why = NULL;
	char buf[96];

	if (a->masked && a->mask == 0) {
		bool r = (op == OP_EQ && v == 0) || (op == OP_NE && v != 0) ||
			 (op == OP_LT && v > 0) || op == OP_LE ||
			 (op == OP_GE && v == 0);

		t = r ? TV_TRUE : TV_FALSE;
		why = "the mask is 0, so the masked value is always 0";
	} else if ((op == OP_EQ || op == OP_NE) && (v & ~max)) {
		t = op == OP_EQ ? TV_FALSE : TV_TRUE;
		if (a->masked)
			snprintf(buf, sizeof(buf),
				 "0x%llx has bits outside the mask 0x%llx", uv,
				 um);
		else
			snprintf(buf, sizeof(buf), "%s is at most 0x%llx",
				 max_what(a), um);
		why = buf;
	} else if ((op == OP_LT && v == 0) || (op == OP_GE && v == 0)) {
		t = op == OP_LT ? TV_FALSE : TV_TRUE;
		why = "arguments are unsigned";
	} else if ((op == OP_LE && v >= max) || (op == OP_GT && v >= max) ||
		   (op == OP_LT && v > max) || (op == OP_GE && v > max)) {
		t = op == OP_LE || op == OP_LT ? TV_TRUE : TV_FALSE;
		snprintf(buf, sizeof(buf), "%s is at most 0x%llx", max_what(a),
			 um);
		why = buf;
	}
	if (t != TV_UNKNOWN) {
		diag_warning(&cx->ctx->diag, where,
			     "comparison is %s true: %s",
			     t == TV_TRUE ? "always" : "never", why);
		*expl = true;
	}
	return t;
}

static enum tv tv_not(enum tv t, bool neg)
{
	if (!neg || t == TV_UNKNOWN)
		return t;
	return t == TV_TRUE ? TV_FALSE : TV_TRUE;
}

/* @t is what @e itself evaluates to, before any '!' around it. */
static void warn_node(struct cx *cx, const struct expr *e, enum tv t)
{
	diag_warning(&cx->ctx->diag, &e->loc, "condition is %s true",
		     t == TV_TRUE ? "always" : "never");
}

static void push_lit(struct lit_vec *lits, const struct argref *a,
		     enum expr_op op, uint64_t v)
{
	struct lit l = {
		.key = a->key,
		.width = a->width,
		.mask = a->masked ? a->mask : UINT64_MAX,
		.op = op,
		.v = v,
	};

	if (lits)
		VEC_PUSH(lits, l);
}

/* Either side may hold the argument; returns false after reporting. */
static bool sides(struct cx *cx, const struct expr *e, struct argref *a,
		  const struct expr **cnode, enum expr_op *op)
{
	struct operand l = operand(cx, e->lhs), r = operand(cx, e->rhs);

	if (l.kind == O_BAD || r.kind == O_BAD)
		return false;
	if (l.kind == O_ARG && r.kind == O_ARG) {
		diag_error(&cx->ctx->diag, &e->op_loc,
			   "condition compares two arguments, '%s' and '%s': one side must be a constant",
			   l.arg.node->name, r.arg.node->name);
		return false;
	}
	if (l.kind != O_ARG && r.kind != O_ARG) {
		diag_error(&cx->ctx->diag, &e->op_loc,
			   "comparison has no argument: compare argN or a declared argument with a constant");
		return false;
	}
	*a = l.kind == O_ARG ? l.arg : r.arg;
	*cnode = l.kind == O_ARG ? r.node : l.node;
	*op = l.kind == O_ARG ? e->op : swap_op(e->op);
	return true;
}

static enum tv group_verdict(struct lit_vec *lits, enum group_kind k);

static enum tv cmp_cond(struct cx *cx, const struct expr *e, bool neg,
			struct lit_vec *lits, bool *expl)
{
	const struct expr *cnode;
	struct argref a;
	enum expr_op op;
	uint64_t v;
	enum tv t;

	if (!sides(cx, e, &a, &cnode, &op))
		return TV_UNKNOWN;
	if (!const_value(cx, cnode, &v) ||
	    !fit_width(cx, &a, &v, cnode, "constant"))
		return TV_UNKNOWN;
	t = judge_cmp(cx, &a, op, v, &e->op_loc, expl);
	if (t == TV_UNKNOWN)
		push_lit(lits, &a, neg ? negate_op(op) : op, v);
	return tv_not(t, neg);
}

/* 'a in { ... }' is an || of == (under '!', an && of !=). */
static enum tv in_cond(struct cx *cx, const struct expr *e, bool neg,
		       struct lit_vec *lits, enum group_kind pk, bool *expl)
{
	enum group_kind k = neg ? G_AND : G_OR;
	struct lit_vec own = { 0 }, *out = pk == k ? lits : &own;
	struct operand l = operand(cx, e->lhs);
	bool any_true = false, all_false = true, ok = true;
	size_t i;
	enum tv t;

	if (l.kind == O_BAD)
		return TV_UNKNOWN;
	if (l.kind != O_ARG) {
		diag_error(&cx->ctx->diag, &e->loc,
			   "comparison has no argument: 'in' needs an argument on its left");
		return TV_UNKNOWN;
	}
	for (i = 0; i < e->items.n; i++) {
		const struct expr *it = e->items.v[i];
		struct operand o = operand(cx, it);
		uint64_t v;

		if (o.kind == O_ARG)
			diag_error(&cx->ctx->diag, &it->loc,
				   "condition compares two arguments, '%s' and '%s': 'in' takes constants",
				   l.arg.node->name, o.arg.node->name);
		if (o.kind != O_CONST || !const_value(cx, o.node, &v) ||
		    !fit_width(cx, &l.arg, &v, it, "constant")) {
			ok = false;
			continue;
		}
		t = judge_cmp(cx, &l.arg, OP_EQ, v, &it->loc, expl);
		any_true |= t == TV_TRUE;
		all_false &= t == TV_FALSE;
		if (t == TV_UNKNOWN)
			push_lit(out, &l.arg, neg ? OP_NE : OP_EQ, v);
	}
	t = TV_UNKNOWN;
	if (ok && any_true)
		t = TV_TRUE;
	else if (ok && all_false && e->items.n)
		t = TV_FALSE;
	t = tv_not(t, neg);
	if (out == &own) {
		if (t == TV_UNKNOWN && ok) {
			t = group_verdict(&own, k);
			if (t != TV_UNKNOWN && !*expl) {
				warn_node(cx, e, tv_not(t, neg));
				*expl = true;
			}
		}
		VEC_FREE(&own);
	}
	return t;
}

/* ---- intervals ----------------------------------------------------------- */

static int lit_cmp(const void *pa, const void *pb)
{
	const struct lit *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (a->width != b->width)
		return a->width < b->width ? -1 : 1;
	if (a->mask != b->mask)
		return a->mask < b->mask ? -1 : 1;
	if (a->v != b->v)
		return a->v < b->v ? -1 : 1;
	return 0;
}

struct ival {
	uint64_t lo, hi;
};

static int ival_cmp(const void *pa, const void *pb)
{
	const struct ival *a = pa, *b = pb;

	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return a->hi < b->hi ? -1 : a->hi > b->hi;
}

/* The values in [0, max] where one literal holds: up to two intervals. */
static size_t lit_ivals(const struct lit *l, uint64_t max, struct ival out[2])
{
	uint64_t v = l->v;

	switch (l->op) {
	case OP_EQ:
		if (v > max)
			return 0;
		out[0] = (struct ival){ v, v };
		return 1;
	case OP_NE: {
		size_t n = 0;

		if (v > max) {
			out[0] = (struct ival){ 0, max };
			return 1;
		}
		if (v > 0)
			out[n++] = (struct ival){ 0, v - 1 };
		if (v < max)
			out[n++] = (struct ival){ v + 1, max };
		return n;
	}
	case OP_LT:
		if (v == 0)
			return 0;
		out[0] = (struct ival){ 0, v - 1 < max ? v - 1 : max };
		return 1;
	case OP_LE:
		out[0] = (struct ival){ 0, v < max ? v : max };
		return 1;
	case OP_GT:
		if (v >= max)
			return 0;
		out[0] = (struct ival){ v + 1, max };
		return 1;
	case OP_GE:
		if (v > max)
			return 0;
		out[0] = (struct ival){ v, max };
		return 1;
	default:
		out[0] = (struct ival){ 0, max };
		return 1;
	}
}

/* An && of literals on one argument: is it empty? */
static bool and_empty(const struct lit *l, size_t n, uint64_t max)
{
	uint64_t lo = 0, hi = max, holes = 0, last = 0;
	bool have_last = false;
	size_t i;

	for (i = 0; i < n; i++) {
		struct ival iv[2];
		size_t k;

		if (l[i].op == OP_NE)
			continue;
		k = lit_ivals(&l[i], max, iv);
		if (k == 0)
			return true;
		if (iv[0].lo > lo)
			lo = iv[0].lo;
		if (iv[0].hi < hi)
			hi = iv[0].hi;
		if (lo > hi)
			return true;
	}
	/* The != points (sorted by value) may punch out all of [lo, hi]. */
	for (i = 0; i < n; i++) {
		if (l[i].op != OP_NE || l[i].v < lo || l[i].v > hi)
			continue;
		if (have_last && l[i].v == last)
			continue;
		last = l[i].v;
		have_last = true;
		holes++;
	}
	return holes > 0 && hi - lo < holes;
}

/* An || of literals on one argument: does it cover [0, max]? */
static bool or_covers(const struct lit *l, size_t n, uint64_t max)
{
	struct ival *iv = xcalloc(2 * n + 1, sizeof(*iv));
	uint64_t next = 0;	/* the smallest value not yet covered */
	size_t i, m = 0;
	bool covered = false;

	for (i = 0; i < n; i++)
		m += lit_ivals(&l[i], max, iv + m);
	qsort(iv, m, sizeof(*iv), ival_cmp);
	for (i = 0; i < m && !covered; i++) {
		if (iv[i].lo > next)
			break;
		if (iv[i].hi >= max)
			covered = true;
		else if (iv[i].hi + 1 > next)
			next = iv[i].hi + 1;
	}
	free(iv);
	return covered;
}

/* Decide an &&/|| chain from its undecided literals, argument by
 * argument. */
static enum tv group_verdict(struct lit_vec *lits, enum group_kind k)
{
	size_t i, j;

	if (lits->n == 0)
		return TV_UNKNOWN;
	qsort(lits->v, lits->n, sizeof(*lits->v), lit_cmp);
	for (i = 0; i < lits->n; i = j) {
		const struct lit *l = &lits->v[i];
		uint64_t max = width_max(l->width) & l->mask;

		for (j = i + 1; j < lits->n && lits->v[j].key == l->key &&
				lits->v[j].width == l->width &&
				lits->v[j].mask == l->mask;
		     j++)
			;
		if (k == G_AND && and_empty(l, j - i, max))
			return TV_FALSE;
		if (k == G_OR && or_covers(l, j - i, max))
			return TV_TRUE;
	}
	return TV_UNKNOWN;
}

/* ---- conditions ---------------------------------------------------------- */

static enum tv cond(struct cx *cx, const struct expr *e, bool neg,
		    struct lit_vec *lits, enum group_kind pk, bool *expl);

static enum tv combine(enum group_kind k, enum tv a, enum tv b)
{
	enum tv absorb = k == G_AND ? TV_FALSE : TV_TRUE;
	enum tv unit = k == G_AND ? TV_TRUE : TV_FALSE;

	if (a == absorb || b == absorb)
		return absorb;
	if (a == unit && b == unit)
		return unit;
	return TV_UNKNOWN;
}

/* '||' and '&&'.  A chain of the same kind (after pushing '!' inwards)
 * shares one literal list, so 'a > 5 && x == 1 && a < 3' is seen whole. */
static enum tv group_cond(struct cx *cx, const struct expr *e, bool neg,
			  struct lit_vec *lits, enum group_kind pk, bool *expl)
{
	enum group_kind k = (e->op == OP_LAND) != neg ? G_AND : G_OR;
	struct lit_vec own = { 0 }, *use = k == pk ? lits : &own;
	bool el = false, er = false;
	enum tv a, b, t;

	a = cond(cx, e->lhs, neg, use, k, &el);
	b = cond(cx, e->rhs, neg, use, k, &er);
	t = combine(k, a, b);
	/* A part that warned explains the chain: one warning is enough. */
	*expl |= el || er;
	if (use == &own) {
		if (t == TV_UNKNOWN) {
			t = group_verdict(&own, k);
			if (t != TV_UNKNOWN) {
				warn_node(cx, e, tv_not(t, neg));
				*expl = true;
			}
		}
		VEC_FREE(&own);
	}
	return t;
}

static enum tv cond(struct cx *cx, const struct expr *e, bool neg,
		    struct lit_vec *lits, enum group_kind pk, bool *expl)
{
	struct operand o;

	if (e->kind == EX_UNARY && e->op == OP_NOT)
		return cond(cx, e->lhs, !neg, lits, pk, expl);
	if (e->kind == EX_BINARY && (e->op == OP_LAND || e->op == OP_LOR))
		return group_cond(cx, e, neg, lits, pk, expl);
	if (e->kind == EX_BINARY && is_cmp(e->op))
		return cmp_cond(cx, e, neg, pk != G_NONE ? lits : NULL, expl);
	if (e->kind == EX_IN)
		return in_cond(cx, e, neg, lits, pk, expl);
	/* A value where a condition belongs. */
	o = operand(cx, e);
	if (o.kind == O_ARG)
		diag_error(&cx->ctx->diag, &e->loc,
			   "argument '%s' used as a condition: compare it, as in '%s != 0'",
			   o.arg.node->name, o.arg.node->name);
	else if (o.kind == O_CONST)
		diag_error(&cx->ctx->diag, &e->loc,
			   "a number used as a condition: compare an argument with it");
	return TV_UNKNOWN;
}

void chk_condition(struct leash_ctx *ctx, const struct sc_stmt *rule)
{
	struct cx cx = { .ctx = ctx, .rule = rule };
	const struct expr *e = rule->cond;
	bool expl = false;
	enum tv t;

	if (!e)
		return;
	if (e->depth > LEASH_MAX_EXPR_DEPTH) {
		/* The parser refuses these; never recurse unbounded. */
		diag_error(&ctx->diag, &e->loc, "condition nested too deeply");
		return;
	}
	t = cond(&cx, e, false, NULL, G_NONE, &expl);
	if (t != TV_UNKNOWN && !expl)
		diag_warning(&ctx->diag, &e->loc, "condition is %s true",
			     t == TV_TRUE ? "always" : "never");
	VEC_FREE(&cx.undeclared);
}
