/* SPDX-License-Identifier: MIT */
/*
 * resolve.c - the res_ pass: files, includes and the global namespace.
 *
 * It loads the root file and follows includes (each file once, cycles
 * are errors), then builds the namespace every later pass reads:
 * defines (evaluated lazily, so order in the file does not matter),
 * groups (cycle-checked) and policies (extends linked, cycle-checked).
 * Lookups go through hash tables: a hostile file with 100,000 names must
 * not make the compiler quadratic.
 */
#include "front/front.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- a small string-keyed hash table ------------------------------------ */

struct symtab {
	struct sym {
		const char *key;
		void *val;
	} *slots;
	size_t cap, n;
};

static struct sym *symtab_slot(struct symtab *t, const char *key)
{
	size_t i = str_hash(key) & (t->cap - 1);

	while (t->slots[i].key && strcmp(t->slots[i].key, key) != 0)
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

static void *symtab_get(struct symtab *t, const char *key)
{
	if (!t || !t->cap)
		return NULL;
	return symtab_slot(t, key)->val;
}

/* Insert @key unless present; returns the value already there, or NULL. */
static void *symtab_add(struct symtab **tp, const char *key, void *val)
{
	struct symtab *t = *tp;
	struct sym *s;

	if (!t)
		t = *tp = xcalloc(1, sizeof(*t));
	if (2 * (t->n + 1) > t->cap) {
		struct symtab nt = { .cap = t->cap ? t->cap * 2 : 64 };
		size_t i;

		nt.slots = xcalloc(nt.cap, sizeof(*nt.slots));
		for (i = 0; i < t->cap; i++)
			if (t->slots[i].key)
				*symtab_slot(&nt, t->slots[i].key) = t->slots[i];
		free(t->slots);
		t->slots = nt.slots;
		t->cap = nt.cap;
	}
	s = symtab_slot(t, key);
	if (s->key)
		return s->val;
	s->key = key;
	s->val = val;
	t->n++;
	return NULL;
}

static void symtab_free(struct symtab **tp)
{
	if (*tp) {
		free((*tp)->slots);
		free(*tp);
		*tp = NULL;
	}
}

/* ---- context -------------------------------------------------------------- */

#ifdef LEASH_PROFILE_DIR
static const char *profile_dir = LEASH_PROFILE_DIR;
#else
static const char *profile_dir;
#endif

void leash_set_profile_dir(const char *dir)
{
	profile_dir = dir;
}

void leash_ctx_init(struct leash_ctx *ctx, FILE *diag_out)
{
	memset(ctx, 0, sizeof(*ctx));
	diag_init(&ctx->diag, diag_out);
	ctx->profile_dir = profile_dir;
}

void leash_ctx_fini(struct leash_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->files.n; i++) {
		struct src_file *src = ctx->files.v[i]->src;

		ast_file_free(ctx->files.v[i]);
		src_file_free(src);
	}
	VEC_FREE(&ctx->files);
	for (i = 0; i < ctx->include_dirs.n; i++)
		free(ctx->include_dirs.v[i]);
	VEC_FREE(&ctx->include_dirs);
	VEC_FREE(&ctx->defines);
	VEC_FREE(&ctx->groups);
	VEC_FREE(&ctx->policies);
	VEC_FREE(&ctx->include_stack);
	symtab_free(&ctx->define_tab);
	symtab_free(&ctx->group_tab);
	symtab_free(&ctx->policy_tab);
	diag_fini(&ctx->diag);
}

/* ---- loading files and includes ------------------------------------------ */

static void load_includes(struct leash_ctx *ctx, struct ast_file *file);

static struct ast_file *parse_src(struct leash_ctx *ctx, struct src_file *src)
{
	struct ast_file *f = grammar_parse(ctx, src);

	f->src = src;
	VEC_PUSH(&ctx->files, f);
	if (f->has_version && f->version != 1)
		diag_error(&ctx->diag, &f->version_loc,
			   "unsupported language version %llu (this compiler reads version 1)",
			   (unsigned long long)f->version);
	VEC_PUSH(&ctx->include_stack, f);
	load_includes(ctx, f);
	ctx->include_stack.n--;
	return f;
}

int res_load_buffer(struct leash_ctx *ctx, const char *name, const char *buf,
		    size_t len)
{
	char *copy = xmalloc(len + 1);
	struct src_file *src;

	memcpy(copy, buf, len);
	copy[len] = '\0';
	src = src_file_new(name, name, copy, len);
	parse_src(ctx, src);
	return diag_failed(&ctx->diag) ? -EINVAL : 0;
}

int res_load(struct leash_ctx *ctx, const char *path)
{
	struct src_file *src;
	struct stat st;
	char *buf;
	size_t len;
	int rc;

	rc = read_file(path, &buf, &len, LEASH_MAX_FILE_SIZE);
	if (rc < 0) {
		diag_plain_error(&ctx->diag, "%s: %s", path,
				 rc == -EFBIG ? "file too large" : strerror(-rc));
		return rc;
	}
	src = src_file_new(path, path, buf, len);
	if (stat(path, &st) == 0) {
		src->dev = st.st_dev;
		src->ino = st.st_ino;
	}
	parse_src(ctx, src);
	return diag_failed(&ctx->diag) ? -EINVAL : 0;
}

static struct ast_file *find_loaded(struct leash_ctx *ctx,
				    const struct stat *st)
{
	size_t i;

	for (i = 0; i < ctx->files.n; i++) {
		const struct src_file *s = ctx->files.v[i]->src;

		if (s->ino && s->dev == st->st_dev && s->ino == st->st_ino)
			return ctx->files.v[i];
	}
	return NULL;
}

/* "dir/of/includer" + "/" + rel, or rel itself when absolute. */
static char *join_relative(const char *includer, const char *rel)
{
	_cleanup_free_ char *copy = xstrdup(includer);
	const char *dir;

	if (rel[0] == '/')
		return xstrdup(rel);
	dir = dirname(copy);
	if (strcmp(dir, ".") == 0)
		return xstrdup(rel);
	return xasprintf("%s/%s", dir, rel);
}

/* Find <path> in the -I directories, then the installed profiles. */
static char *search_system(struct leash_ctx *ctx, const char *rel)
{
	struct stat st;
	size_t i;

	for (i = 0; i <= ctx->include_dirs.n; i++) {
		const char *dir = i < ctx->include_dirs.n ?
			ctx->include_dirs.v[i] : ctx->profile_dir;
		char *p;

		if (!dir)
			continue;
		p = xasprintf("%s/%s", dir, rel);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			return p;
		free(p);
	}
	return NULL;
}

/* "-I 'a', -I 'b', the profiles 'DIR'": where search_system() looked. */
static char *searched_dirs(const struct leash_ctx *ctx)
{
	struct strbuf sb = { 0 };
	size_t i;

	for (i = 0; i < ctx->include_dirs.n; i++)
		sb_printf(&sb, "%s-I '%s'", i ? ", " : "",
			  ctx->include_dirs.v[i]);
	if (ctx->profile_dir)
		sb_printf(&sb, "%sthe profiles '%s'", i ? ", " : "",
			  ctx->profile_dir);
	if (!sb.s)
		sb_printf(&sb, "no directory (no -I given)");
	return sb.s;
}

static void load_one_include(struct leash_ctx *ctx, struct ast_file *from,
			     const struct ast_include *inc)
{
	_cleanup_free_ char *path = NULL;
	struct ast_file *done;
	struct src_file *src;
	struct stat st;
	char *buf;
	size_t len, i;
	int rc;

	if (!inc->path.s || !inc->path.s[0]) {
		diag_error(&ctx->diag, &inc->path.loc, "empty include path");
		return;
	}
	if (inc->system) {
		path = search_system(ctx, inc->path.s);
		if (!path) {
			_cleanup_free_ char *dirs = searched_dirs(ctx);

			diag_error(&ctx->diag, &inc->path.loc,
				   "cannot find include file <%s>: searched %s",
				   inc->path.s, dirs);
			return;
		}
	} else {
		path = join_relative(from->src->path, inc->path.s);
	}
	if (stat(path, &st) < 0) {
		diag_error(&ctx->diag, &inc->path.loc,
			   "cannot open include file '%s': %s", path,
			   strerror(errno));
		return;
	}
	/* A FIFO or a device would block or never end: files only. */
	if (!S_ISREG(st.st_mode)) {
		diag_error(&ctx->diag, &inc->path.loc,
			   "include file '%s' is not a regular file", path);
		return;
	}
	/* A file already on the include stack includes itself: a cycle. */
	for (i = 0; i < ctx->include_stack.n; i++) {
		const struct src_file *s = ctx->include_stack.v[i]->src;

		if (s->ino && s->dev == st.st_dev && s->ino == st.st_ino) {
			diag_error(&ctx->diag, &inc->path.loc,
				   "include cycle: '%s' is being included already, and it includes this file",
				   path);
			return;
		}
	}
	done = find_loaded(ctx, &st);
	if (done)
		return;	/* including a file twice is a no-op */
	if (ctx->include_stack.n >= LEASH_MAX_INCLUDE_DEPTH) {
		diag_error(&ctx->diag, &inc->path.loc,
			   "includes nested too deeply (more than %d levels)",
			   LEASH_MAX_INCLUDE_DEPTH);
		return;
	}
	rc = read_file(path, &buf, &len, LEASH_MAX_FILE_SIZE);
	if (rc < 0) {
		diag_error(&ctx->diag, &inc->path.loc,
			   "cannot read include file '%s': %s", path,
			   rc == -EFBIG ? "file too large" : strerror(-rc));
		return;
	}
	src = src_file_new(path, path, buf, len);
	src->dev = st.st_dev;
	src->ino = st.st_ino;
	parse_src(ctx, src);
}

static void load_includes(struct leash_ctx *ctx, struct ast_file *file)
{
	size_t i;

	for (i = 0; i < file->includes.n; i++)
		load_one_include(ctx, file, &file->includes.v[i]);
}

/* ---- lookups ----------------------------------------------------------- */

struct ast_define *res_find_define(struct leash_ctx *ctx, const char *name)
{
	return symtab_get(ctx->define_tab, name);
}

struct ast_group *res_find_group(struct leash_ctx *ctx, const char *name)
{
	return symtab_get(ctx->group_tab, name);
}

struct ast_policy *res_find_policy(struct leash_ctx *ctx, const char *name)
{
	return symtab_get(ctx->policy_tab, name);
}

/* Nearest key of @t to @name, for "did you mean". */
static const char *symtab_suggest(const struct symtab *t, const char *name)
{
	size_t i, best = 3, d;
	const char *found = NULL;

	if (!t)
		return NULL;
	for (i = 0; i < t->cap; i++) {
		if (!t->slots[i].key)
			continue;
		d = edit_distance(name, t->slots[i].key, 2);
		if (d < best && !(d > 1 && strlen(name) <= 4)) {
			best = d;
			found = t->slots[i].key;
		}
	}
	return found;
}

/* ---- constant expressions -------------------------------------------- */

/*
 * @arch is the arch to evaluate for, or ARCH_ANY: the native value where
 * the kernel defines the name there, else the value most arches give it
 * (front-end checks, and the places where a number is the same
 * everywhere: uids, ports, limits).
 */
#define ARCH_ANY (-1)

static bool eval(struct leash_ctx *ctx, const struct expr *e, uint64_t *out,
		 unsigned depth, int arch);

/* Whether @e names a built-in constant, itself or through defines
 * already evaluated. */
static bool uses_builtin(struct leash_ctx *ctx, const struct expr *e)
{
	const struct ast_define *d;

	if (!e)
		return false;
	switch (e->kind) {
	case EX_NAME:
		d = res_find_define(ctx, e->name);
		return d ? d->builtin : const_known(e->name);
	case EX_UNARY:
		return uses_builtin(ctx, e->lhs);
	case EX_BINARY:
		return uses_builtin(ctx, e->lhs) || uses_builtin(ctx, e->rhs);
	case EX_IN:
	case EX_NUM:
	default:
		return false;
	}
}

static bool eval_define(struct leash_ctx *ctx, struct ast_define *d,
			const struct expr *use, unsigned depth)
{
	switch (d->state) {
	case AST_DONE:
		return true;
	case AST_BROKEN:
		return false;	/* already reported */
	case AST_VISITING:
		diag_error(&ctx->diag, &use->loc,
			   "definition of '%s' refers to itself",
			   d->name.s);
		diag_note(&ctx->diag, &d->name.loc, "'%s' is defined here",
			  d->name.s);
		d->state = AST_BROKEN;
		return false;
	case AST_UNVISITED:
	default:
		break;
	}
	if (!d->value) {
		d->state = AST_BROKEN;
		return false;	/* a syntax error, reported by the parser */
	}
	if (depth > LEASH_MAX_NEST) {
		diag_error(&ctx->diag, &use->loc,
			   "definitions nested too deeply (more than %d levels)",
			   LEASH_MAX_NEST);
		return false;
	}
	d->state = AST_VISITING;
	if (!eval(ctx, d->value, &d->num, depth + 1, ARCH_ANY)) {
		d->state = AST_BROKEN;
		return false;
	}
	if (d->state == AST_VISITING) {
		d->state = AST_DONE;
		d->builtin = uses_builtin(ctx, d->value);
	}
	return d->state == AST_DONE;
}

/*
 * The value of @d on @arch: evaluated once per arch, and only for a
 * define that uses built-in names (the others are the same everywhere).
 * The ARCH_ANY evaluation runs first, so cycles and unknown names are
 * reported once, and a define evaluated here has none.
 */
static bool eval_define_arch(struct leash_ctx *ctx, struct ast_define *d,
			     const struct expr *use, unsigned depth, int arch,
			     uint64_t *out)
{
	uint32_t bit;

	if (!eval_define(ctx, d, use, depth))
		return false;
	if (arch == ARCH_ANY || !d->builtin) {
		*out = d->num;
		return true;
	}
	bit = UINT32_C(1) << arch;
	if (!(d->arch_done & bit)) {
		if (!eval(ctx, d->value, &d->arch_num[arch], depth + 1, arch))
			return false;
		d->arch_done |= bit;
	}
	*out = d->arch_num[arch];
	return true;
}

/* A built-in name: its value on @arch (see eval()). */
static bool builtin_value(struct leash_ctx *ctx, const struct expr *e,
			  int arch, uint64_t *out)
{
	if (arch == ARCH_ANY)
		return const_lookup(arch_native(), e->name, out) ||
		       const_any(e->name, out);
	if (const_lookup((enum leash_arch)arch, e->name, out))
		return true;
	/* check.c reports this for every rule before lowering runs. */
	diag_error(&ctx->diag, &e->loc,
		   "constant '%s' is not defined on arch %s", e->name,
		   arch_info((enum leash_arch)arch)->name);
	return false;
}

static bool eval_name(struct leash_ctx *ctx, const struct expr *e,
		      uint64_t *out, unsigned depth, int arch)
{
	struct ast_define *d = res_find_define(ctx, e->name);
	const char *hint;

	if (d)
		return eval_define_arch(ctx, d, e, depth, arch, out);
	if (const_known(e->name))
		return builtin_value(ctx, e, arch, out);
	if (strlen(e->name) == 4 && strncmp(e->name, "arg", 3) == 0 &&
	    e->name[3] >= '0' && e->name[3] <= '5') {
		diag_error(&ctx->diag, &e->loc,
			   "argument '%s' in a constant expression", e->name);
		return false;
	}
	hint = symtab_suggest(ctx->define_tab, e->name);
	if (!hint)
		hint = const_suggest(e->name);
	if (hint)
		diag_error(&ctx->diag, &e->loc,
			   "unknown constant '%s' (did you mean '%s'?)",
			   e->name, hint);
	else
		diag_error(&ctx->diag, &e->loc, "unknown constant '%s'",
			   e->name);
	return false;
}

static bool eval(struct leash_ctx *ctx, const struct expr *e, uint64_t *out,
		 unsigned depth, int arch)
{
	uint64_t a = 0, b = 0;
	bool ok;

	switch (e->kind) {
	case EX_NUM:
		*out = e->num;
		return true;
	case EX_NAME:
		return eval_name(ctx, e, out, depth, arch);
	case EX_IN:
		diag_error(&ctx->diag, &e->loc,
			   "a condition is not a constant value");
		return false;
	case EX_UNARY:
		if (!eval(ctx, e->lhs, &a, depth, arch))
			return false;
		switch (e->op) {
		case OP_BNOT:
			*out = ~a;
			return true;
		case OP_NEG:
			*out = (uint64_t)0 - a;
			return true;
		default:
			diag_error(&ctx->diag, &e->op_loc,
				   "'%s' makes a condition, not a constant value",
				   ast_expr_op_str(e->op));
			return false;
		}
	case EX_BINARY:
		break;
	default:
		return false;
	}
	switch (e->op) {
	case OP_LOR: case OP_LAND: case OP_EQ: case OP_NE:
	case OP_LT: case OP_LE: case OP_GT: case OP_GE:
		diag_error(&ctx->diag, &e->op_loc,
			   "'%s' makes a condition, not a constant value",
			   ast_expr_op_str(e->op));
		return false;
	default:
		break;
	}
	/* Evaluate both sides so that both report their errors. */
	ok = eval(ctx, e->lhs, &a, depth, arch);
	ok = eval(ctx, e->rhs, &b, depth, arch) && ok;
	if (!ok)
		return false;
	switch (e->op) {
	case OP_BOR: *out = a | b; return true;
	case OP_BXOR: *out = a ^ b; return true;
	case OP_BAND: *out = a & b; return true;
	case OP_ADD: *out = a + b; return true;
	case OP_SUB: *out = a - b; return true;
	case OP_MUL: *out = a * b; return true;
	case OP_SHL:
	case OP_SHR:
		if (b >= 64) {
			diag_error(&ctx->diag, &e->rhs->loc,
				   "shift count %llu is out of range 0..63",
				   (unsigned long long)b);
			return false;
		}
		*out = e->op == OP_SHL ? a << b : a >> b;
		return true;
	default:
		diag_error(&ctx->diag, &e->op_loc, "'%s' is not a constant operator",
			   ast_expr_op_str(e->op));
		return false;
	}
}

bool res_eval_const(struct leash_ctx *ctx, const struct expr *e,
		    uint64_t *out)
{
	uint64_t v = 0;

	if (!e)
		return false;
	if (!eval(ctx, e, &v, 0, ARCH_ANY))
		return false;
	*out = v;
	return true;
}

bool res_eval_const_arch(struct leash_ctx *ctx, const struct expr *e,
			 enum leash_arch arch, uint64_t *out)
{
	uint64_t v = 0;

	if (!e)
		return false;
	if (!eval(ctx, e, &v, 0, (int)arch))
		return false;
	*out = v;
	return true;
}

/*
 * The first built-in name @e uses, itself or through defines, that the
 * kernel does not define on @arch; NULL when there is none.  *@via is
 * set to the define through which it is used (NULL: directly).
 */
const char *res_const_missing(struct leash_ctx *ctx, const struct expr *e,
			      enum leash_arch arch,
			      const struct ast_define **via)
{
	struct ast_define *d;
	const char *n;

	if (!e)
		return NULL;
	switch (e->kind) {
	case EX_NAME:
		d = res_find_define(ctx, e->name);
		if (d) {
			if (!eval_define(ctx, d, e, 0) || !d->builtin)
				return NULL;
			n = res_const_missing(ctx, d->value, arch, via);
			if (n && !*via)
				*via = d;
			return n;
		}
		*via = NULL;
		return const_known(e->name) &&
		       !const_lookup(arch, e->name, NULL) ? e->name : NULL;
	case EX_UNARY:
		return res_const_missing(ctx, e->lhs, arch, via);
	case EX_BINARY:
		n = res_const_missing(ctx, e->lhs, arch, via);
		return n ? n : res_const_missing(ctx, e->rhs, arch, via);
	case EX_IN:
	case EX_NUM:
	default:
		return NULL;
	}
}

/* ---- groups -------------------------------------------------------------- */

static void check_group(struct leash_ctx *ctx, struct ast_group *g,
			unsigned depth)
{
	size_t i;

	if (g->visit == AST_DONE || g->visit == AST_BROKEN)
		return;
	g->visit = AST_VISITING;
	for (i = 0; i < g->members.n; i++) {
		const struct ast_name *m = &g->members.v[i];
		struct ast_group *sub;

		if (m->s[0] != '@')
			continue;
		sub = res_find_group(ctx, m->s);
		if (!sub) {
			const char *hint = symtab_suggest(ctx->group_tab, m->s);

			if (hint)
				diag_error(&ctx->diag, &m->loc,
					   "unknown group '%s' (did you mean '%s'?)",
					   m->s, hint);
			else
				diag_error(&ctx->diag, &m->loc,
					   "unknown group '%s'", m->s);
			continue;
		}
		if (sub->visit == AST_VISITING) {
			diag_error(&ctx->diag, &m->loc,
				   "group cycle: '%s' includes '%s', which includes it back",
				   g->name.s, m->s);
			diag_note(&ctx->diag, &sub->name.loc,
				  "'%s' is defined here", sub->name.s);
			g->visit = AST_BROKEN;
			continue;
		}
		if (depth + 1 > LEASH_MAX_NEST) {
			diag_error(&ctx->diag, &m->loc,
				   "groups nested too deeply (more than %d levels)",
				   LEASH_MAX_NEST);
			g->visit = AST_BROKEN;
			continue;
		}
		check_group(ctx, sub, depth + 1);
		if (sub->visit == AST_BROKEN)
			g->visit = AST_BROKEN;
	}
	if (g->visit == AST_VISITING)
		g->visit = AST_DONE;
}

struct expand_state {
	struct leash_ctx *ctx;
	struct symtab *seen_names, *seen_groups;
	group_cb fn;
	void *opaque;
};

static void expand(struct expand_state *st, const struct ast_group *g,
		   unsigned depth)
{
	size_t i;

	if (depth > LEASH_MAX_NEST ||
	    symtab_add(&st->seen_groups, g->name.s, (void *)g))
		return;
	for (i = 0; i < g->members.n; i++) {
		const struct ast_name *m = &g->members.v[i];

		if (m->s[0] == '@') {
			const struct ast_group *sub =
				res_find_group(st->ctx, m->s);

			if (sub)
				expand(st, sub, depth + 1);
		} else if (!symtab_add(&st->seen_names, m->s, (void *)m)) {
			st->fn(st->opaque, m);
		}
	}
}

void res_expand_group(struct leash_ctx *ctx, const struct ast_group *g,
		      group_cb fn, void *opaque)
{
	struct expand_state st = { .ctx = ctx, .fn = fn, .opaque = opaque };

	expand(&st, g, 0);
	symtab_free(&st.seen_names);
	symtab_free(&st.seen_groups);
}

/* ---- policies ---------------------------------------------------------- */

static void link_policy(struct leash_ctx *ctx, struct ast_policy *p,
			unsigned depth)
{
	size_t i;

	if (p->visit == AST_DONE || p->visit == AST_BROKEN)
		return;
	p->visit = AST_VISITING;
	for (i = 0; i < p->bases.n; i++) {
		const struct ast_name *b = &p->bases.v[i];
		struct ast_policy *base = res_find_policy(ctx, b->s);

		if (!base) {
			const char *hint = symtab_suggest(ctx->policy_tab, b->s);

			if (hint)
				diag_error(&ctx->diag, &b->loc,
					   "policy '%s' extends unknown policy '%s' (did you mean '%s'?)",
					   p->name.s, b->s, hint);
			else
				diag_error(&ctx->diag, &b->loc,
					   "policy '%s' extends unknown policy '%s'",
					   p->name.s, b->s);
			continue;
		}
		if (base->visit == AST_VISITING) {
			diag_error(&ctx->diag, &b->loc,
				   "inheritance cycle: policy '%s' extends '%s', which extends it back",
				   p->name.s, b->s);
			p->visit = AST_BROKEN;
			continue;
		}
		if (depth + 1 > LEASH_MAX_NEST) {
			diag_error(&ctx->diag, &b->loc,
				   "policies extended too deeply (more than %d levels)",
				   LEASH_MAX_NEST);
			p->visit = AST_BROKEN;
			continue;
		}
		link_policy(ctx, base, depth + 1);
		if (base->visit == AST_BROKEN)
			p->visit = AST_BROKEN;
		VEC_PUSH(&p->base_ptrs, base);
	}
	if (p->visit == AST_VISITING)
		p->visit = AST_DONE;
}

/* ---- the namespace ------------------------------------------------------- */

static void redefinition(struct leash_ctx *ctx, const char *what,
			 const struct ast_name *now,
			 const struct ast_name *before)
{
	diag_error(&ctx->diag, &now->loc, "redefinition of %s '%s'", what,
		   now->s);
	diag_note(&ctx->diag, &before->loc, "previous definition of '%s' was here",
		  before->s);
}

int res_names(struct leash_ctx *ctx)
{
	size_t i, j;

	for (i = 0; i < ctx->files.n; i++) {
		struct ast_file *f = ctx->files.v[i];

		for (j = 0; j < f->defines.n; j++) {
			struct ast_define *d = f->defines.v[j], *old;

			if (const_known(d->name.s)) {
				diag_error(&ctx->diag, &d->name.loc,
					   "redefinition of built-in constant '%s'",
					   d->name.s);
				d->state = AST_BROKEN;
				continue;
			}
			old = symtab_add(&ctx->define_tab, d->name.s, d);
			if (old) {
				redefinition(ctx, "constant", &d->name,
					     &old->name);
				d->state = AST_BROKEN;
				continue;
			}
			VEC_PUSH(&ctx->defines, d);
		}
		for (j = 0; j < f->groups.n; j++) {
			struct ast_group *g = f->groups.v[j], *old;

			old = symtab_add(&ctx->group_tab, g->name.s, g);
			if (old) {
				redefinition(ctx, "group", &g->name,
					     &old->name);
				continue;
			}
			VEC_PUSH(&ctx->groups, g);
		}
		for (j = 0; j < f->policies.n; j++) {
			struct ast_policy *p = f->policies.v[j], *old;

			old = symtab_add(&ctx->policy_tab, p->name.s, p);
			if (old) {
				redefinition(ctx, "policy", &p->name,
					     &old->name);
				continue;
			}
			VEC_PUSH(&ctx->policies, p);
		}
	}
	/* Evaluate every define now, so that an unused bad one is reported. */
	for (i = 0; i < ctx->defines.n; i++)
		if (ctx->defines.v[i]->value)
			eval_define(ctx, ctx->defines.v[i],
				    ctx->defines.v[i]->value, 0);
	for (i = 0; i < ctx->groups.n; i++)
		check_group(ctx, ctx->groups.v[i], 0);
	for (i = 0; i < ctx->policies.n; i++)
		link_policy(ctx, ctx->policies.v[i], 0);
	return diag_failed(&ctx->diag) ? -EINVAL : 0;
}
