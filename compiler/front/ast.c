/* SPDX-License-Identifier: MIT */
/*
 * ast.c - constructors and destructors of the syntax tree (ast.h).
 *
 * The parser (grammar/parser.y) is the only producer of trees; every
 * other pass borrows them.  Constructors abort on OOM (util.h).
 *
 * Recursion: ast_expr_free(), ast_cond_free() and ast_sc_stmt_free() recurse.  That
 * is safe because the parser refuses trees deeper than
 * LEASH_MAX_EXPR_DEPTH (expressions, 'when' conditions) and 'when'
 * blocks nested deeper than LEASH_MAX_NEST, so the recursion is bounded
 * by a few hundred frames whatever the input.
 */
#include "front/ast.h"

#include <stdlib.h>
#include <string.h>

/* ---- expressions ----------------------------------------------------- */

static struct expr *expr_new(enum expr_kind kind, const struct leash_loc *loc)
{
	struct expr *e = xcalloc(1, sizeof(*e));

	e->kind = kind;
	e->op = OP_NONE;
	e->loc = *loc;
	e->op_loc = *loc;
	e->depth = 1;
	return e;
}

struct expr *ast_expr_num(uint64_t v, const struct leash_loc *loc)
{
	struct expr *e = expr_new(EX_NUM, loc);

	e->num = v;
	return e;
}

/* Takes ownership of @name. */
struct expr *ast_expr_name(char *name, const struct leash_loc *loc)
{
	struct expr *e = expr_new(EX_NAME, loc);

	e->name = name;
	return e;
}

/*
 * Unary operators are one character written first, so the operator's
 * location is the first column of the whole expression.
 */
struct expr *ast_expr_unary(enum expr_op op, struct expr *sub,
			const struct leash_loc *loc)
{
	struct expr *e = expr_new(EX_UNARY, loc);

	e->op = op;
	e->lhs = sub;
	e->depth = sub->depth + 1;
	e->op_loc.last_line = e->op_loc.first_line;
	e->op_loc.last_column = e->op_loc.first_column + 1;
	return e;
}

struct expr *ast_expr_binary(enum expr_op op, struct expr *l, struct expr *r,
			 const struct leash_loc *loc,
			 const struct leash_loc *op_loc)
{
	struct expr *e = expr_new(EX_BINARY, loc);

	e->op = op;
	e->lhs = l;
	e->rhs = r;
	e->op_loc = *op_loc;
	e->depth = (l->depth > r->depth ? l->depth : r->depth) + 1;
	return e;
}

/*
 * Takes the elements of @items; *items is left empty.  The caller sets
 * op_loc to the 'in' keyword (the constructor does not know where it is).
 */
struct expr *ast_expr_in(struct expr *l, struct expr_vec *items,
		     const struct leash_loc *loc)
{
	struct expr *e = expr_new(EX_IN, loc);
	unsigned d = l->depth;
	size_t i;

	e->lhs = l;
	e->items = *items;
	memset(items, 0, sizeof(*items));
	for (i = 0; i < e->items.n; i++)
		if (e->items.v[i]->depth > d)
			d = e->items.v[i]->depth;
	e->depth = d + 1;
	return e;
}

void ast_expr_free(struct expr *e)
{
	size_t i;

	if (!e)
		return;
	ast_expr_free(e->lhs);
	ast_expr_free(e->rhs);
	for (i = 0; i < e->items.n; i++)
		ast_expr_free(e->items.v[i]);
	VEC_FREE(&e->items);
	free(e->name);
	free(e);
}

/* ---- 'when' conditions ------------------------------------------------ */

struct ast_cond *ast_cond_new(enum cond_kind k, struct ast_cond *l,
			  struct ast_cond *r, const struct leash_loc *loc)
{
	struct ast_cond *c = xcalloc(1, sizeof(*c));
	unsigned d = 0;

	c->kind = k;
	c->lhs = l;
	c->rhs = r;
	c->loc = *loc;
	if (l)
		d = l->depth;
	if (r && r->depth > d)
		d = r->depth;
	c->depth = d + 1;
	return c;
}

void ast_cond_free(struct ast_cond *c)
{
	if (!c)
		return;
	ast_cond_free(c->lhs);
	ast_cond_free(c->rhs);
	free(c->name.s);
	free(c);
}

/* ---- names ------------------------------------------------------------ */

void ast_name_free(struct ast_name *n)
{
	free(n->s);
	n->s = NULL;
}

void ast_name_vec_free(struct name_vec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		ast_name_free(&v->v[i]);
	VEC_FREE(v);
}

/* ---- seccomp ------------------------------------------------------------ */

static void target_fini(struct ast_target *t)
{
	size_t i;

	ast_name_free(&t->name);
	for (i = 0; i < t->args.n; i++)
		ast_name_free(&t->args.v[i].name);
	VEC_FREE(&t->args);
}

void ast_sc_stmt_free(struct sc_stmt *s)
{
	size_t i;

	if (!s)
		return;
	ast_expr_free(s->action.value);
	ast_name_vec_free(&s->arches);
	for (i = 0; i < s->targets.n; i++)
		target_fini(&s->targets.v[i]);
	VEC_FREE(&s->targets);
	ast_expr_free(s->cond);
	ast_cond_free(s->when);
	for (i = 0; i < s->body.n; i++)
		ast_sc_stmt_free(s->body.v[i]);
	VEC_FREE(&s->body);
	free(s);
}

/* ---- policies ----------------------------------------------------------- */

static void net_stmt_fini(struct net_stmt *n)
{
	size_t i;

	for (i = 0; i < n->entries.n; i++) {
		ast_name_free(&n->entries.v[i].first);
		ast_name_free(&n->entries.v[i].second);
	}
	VEC_FREE(&n->entries);
	ast_name_free(&n->op);
	ast_name_free(&n->proto);
	for (i = 0; i < n->ports.n; i++)
		ast_expr_free(n->ports.v[i].value);
	VEC_FREE(&n->ports);
}

static void proc_stmt_fini(struct proc_stmt *p)
{
	size_t i;

	ast_name_free(&p->nnp_value);
	ast_expr_free(p->uid);
	ast_expr_free(p->gid);
	for (i = 0; i < p->groups.n; i++)
		ast_expr_free(p->groups.v[i]);
	VEC_FREE(&p->groups);
	ast_name_vec_free(&p->namespaces);
	ast_name_vec_free(&p->scopes);
}

static void limit_value_fini(struct limit_value *v)
{
	ast_expr_free(v->expr);
	v->expr = NULL;
	free(v->text);
	v->text = NULL;
}

void ast_policy_free(struct ast_policy *p)
{
	size_t i;

	if (!p)
		return;
	ast_name_free(&p->name);
	ast_name_vec_free(&p->bases);
	for (i = 0; i < p->seccomp.n; i++)
		ast_sc_stmt_free(p->seccomp.v[i]);
	VEC_FREE(&p->seccomp);
	for (i = 0; i < p->caps.n; i++)
		ast_name_vec_free(&p->caps.v[i].names);
	VEC_FREE(&p->caps);
	for (i = 0; i < p->fs.n; i++) {
		ast_name_free(&p->fs.v[i].mode);
		ast_name_vec_free(&p->fs.v[i].paths);
	}
	VEC_FREE(&p->fs);
	for (i = 0; i < p->net.n; i++)
		net_stmt_fini(&p->net.v[i]);
	VEC_FREE(&p->net);
	for (i = 0; i < p->apparmor.n; i++)
		ast_name_vec_free(&p->apparmor.v[i].values);
	VEC_FREE(&p->apparmor);
	for (i = 0; i < p->process.n; i++)
		proc_stmt_fini(&p->process.v[i]);
	VEC_FREE(&p->process);
	for (i = 0; i < p->limits.n; i++) {
		ast_name_free(&p->limits.v[i].name);
		limit_value_fini(&p->limits.v[i].soft);
		limit_value_fini(&p->limits.v[i].hard);
	}
	VEC_FREE(&p->limits);
	/* base_ptrs borrow other policies. */
	VEC_FREE(&p->base_ptrs);
	free(p);
}

/* ---- files -------------------------------------------------------------- */

void ast_file_free(struct ast_file *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->includes.n; i++)
		ast_name_free(&f->includes.v[i].path);
	VEC_FREE(&f->includes);
	for (i = 0; i < f->defines.n; i++) {
		struct ast_define *d = f->defines.v[i];

		ast_name_free(&d->name);
		ast_expr_free(d->value);
		free(d);
	}
	VEC_FREE(&f->defines);
	for (i = 0; i < f->groups.n; i++) {
		struct ast_group *g = f->groups.v[i];

		ast_name_free(&g->name);
		ast_name_vec_free(&g->members);
		free(g);
	}
	VEC_FREE(&f->groups);
	for (i = 0; i < f->policies.n; i++)
		ast_policy_free(f->policies.v[i]);
	VEC_FREE(&f->policies);
	/* f->src belongs to the context (leash_ctx_fini frees it). */
	free(f);
}

/* ---- names for messages ------------------------------------------------- */

const char *ast_expr_op_str(enum expr_op op)
{
	switch (op) {
	case OP_LOR:	return "||";
	case OP_LAND:	return "&&";
	case OP_NOT:	return "!";
	case OP_EQ:	return "==";
	case OP_NE:	return "!=";
	case OP_LT:	return "<";
	case OP_LE:	return "<=";
	case OP_GT:	return ">";
	case OP_GE:	return ">=";
	case OP_BOR:	return "|";
	case OP_BXOR:	return "^";
	case OP_BAND:	return "&";
	case OP_SHL:	return "<<";
	case OP_SHR:	return ">>";
	case OP_ADD:	return "+";
	case OP_SUB:	return "-";
	case OP_MUL:	return "*";
	case OP_BNOT:	return "~";
	case OP_NEG:	return "-";
	case OP_NONE:
	default:
		return "?";
	}
}

/* The language's spelling; 'kill' is the documented name of KILL_PROCESS. */
const char *ast_action_name(enum action_kind k)
{
	switch (k) {
	case ACT_ALLOW:		return "allow";
	case ACT_LOG:		return "log";
	case ACT_TRAP:		return "trap";
	case ACT_NOTIFY:	return "notify";
	case ACT_KILL_PROCESS:	return "kill";
	case ACT_KILL_THREAD:	return "kill_thread";
	case ACT_ERRNO:		return "errno";
	case ACT_TRACE:		return "trace";
	default:
		return "?";
	}
}
