/* SPDX-License-Identifier: MIT */
/*
 * landlock.c - filesystem and network rules to a Landlock ruleset.
 *
 * A Landlock path rule grants rights on one file or one directory and
 * everything below it.  An AppArmor-style glob maps onto that exactly
 * only when it is a literal path or ends in one "**" component, which
 * then stands for the hierarchy of the literal path before it.  Braces
 * are expanded first, so "/usr/{bin,lib}" followed by a "**" component
 * is the two hierarchies "/usr/bin" and "/usr/lib".  Anything else is
 * widened to the glob's literal parent directory, with a fidelity note
 * (docs/language.md section 6).
 */
#include "targets/landlock.h"

#include "runtime-shim/bundle.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Brace expansion stops (and the rule is widened instead) beyond this
 * many alternatives, so "{a,b}{c,d}..." cannot blow up. */
#define MAX_EXPAND 64u
#define MAX_EXPAND_STEPS 256u

VEC(charp_vec, char *);

static void charp_vec_free(struct charp_vec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	VEC_FREE(v);
}

uint64_t ll_mode_access(const char *mode)
{
	uint64_t a = 0;

	for (; mode && *mode; mode++) {
		switch (*mode) {
		case 'r':
			a |= LL_FS_READ_FILE | LL_FS_READ_DIR;
			break;
		case 'w':
			/* create, delete, modify, truncate; a rename across
			 * directories is a delete plus a create, which
			 * Landlock calls REFER (and it never lets a move
			 * gain rights). */
			a |= LL_FS_WRITE_FILE | LL_FS_REMOVE_DIR |
			     LL_FS_REMOVE_FILE | LL_FS_MAKE_CHAR |
			     LL_FS_MAKE_DIR | LL_FS_MAKE_REG |
			     LL_FS_MAKE_SOCK | LL_FS_MAKE_FIFO |
			     LL_FS_MAKE_BLOCK | LL_FS_MAKE_SYM |
			     LL_FS_REFER | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV;
			break;
		case 'x':
			a |= LL_FS_EXECUTE;
			break;
		case 'l':
			a |= LL_FS_REFER;
			break;
		default:	/* 'm', 'k': no Landlock right */
			break;
		}
	}
	return a;
}

/* Skip a '[...]' class starting at @p; returns its ']' (or the NUL). */
static const char *skip_class(const char *p)
{
	for (p++; *p && *p != ']'; p++)
		if (*p == '\\' && p[1])
			p++;
	return p;
}

/* The '}' that closes the '{' at @open, or NULL. */
static const char *brace_end(const char *open)
{
	const char *p;
	size_t depth = 0;

	for (p = open + 1; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '[') {
			p = skip_class(p);
			if (!*p)
				return NULL;
		} else if (*p == '{') {
			depth++;
		} else if (*p == '}') {
			if (depth == 0)
				return p;
			depth--;
		}
	}
	return NULL;
}

/* Expand the braces of @s into @out; false beyond the bounds. */
static bool expand(const char *s, struct charp_vec *out, unsigned *steps)
{
	const char *p, *open = NULL, *close, *alt;
	size_t depth = 0;

	if (++*steps > MAX_EXPAND_STEPS)
		return false;
	for (p = s; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '[') {
			p = skip_class(p);
			if (!*p)
				break;
		} else if (*p == '{') {
			open = p;
			break;
		}
	}
	if (!open || !(close = brace_end(open))) {
		if (out->n >= MAX_EXPAND)
			return false;
		VEC_PUSH(out, xstrdup(s));
		return true;
	}
	for (alt = p = open + 1; p <= close; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '[') {
			p = skip_class(p);
		} else if (*p == '{') {
			depth++;
		} else if (*p == '}' && depth) {
			depth--;
		} else if ((*p == ',' && !depth) || p == close) {
			_cleanup_free_ char *one = xasprintf(
				"%.*s%.*s%s", (int)(open - s), s,
				(int)(p - alt), alt, close + 1);

			if (!expand(one, out, steps))
				return false;
			alt = p + 1;
		}
	}
	return true;
}

/* What follows the literal leading path of a glob (leading_path()). */
enum glob_rest { REST_NONE, REST_STARSTAR, REST_GLOB };

/*
 * The longest literal leading path of @s, unescaped, "/" at least; and
 * in *@rest whether nothing follows it, only a final "**", or another
 * glob.
 */
static char *leading_path(const char *s, enum glob_rest *rest)
{
	struct strbuf sb = { 0 };
	const char *p = s, *end, *q;
	bool glob;

	*rest = REST_NONE;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		glob = false;
		for (end = p; *end && *end != '/'; end++) {
			if (*end == '\\' && end[1])
				end++;
			else if (strchr("*?[]{}", *end))
				glob = true;
		}
		if (glob) {
			*rest = end - p == 2 && p[0] == '*' && p[1] == '*' &&
				!*end ? REST_STARSTAR : REST_GLOB;
			break;
		}
		sb_putc(&sb, '/');
		for (q = p; q < end; q++) {
			if (*q == '\\' && q + 1 < end)
				q++;
			sb_putc(&sb, *q);
		}
		p = end;
	}
	if (!sb.len)
		sb_putc(&sb, '/');
	return sb_steal(&sb);
}

/*
 * The hierarchy Landlock can grant for the brace-free glob @s: its
 * longest literal leading path, unescaped.  *@exact tells whether that
 * hierarchy is exactly what @s matches.
 */
static char *hierarchy(const char *s, bool *exact)
{
	enum glob_rest rest;
	char *h = leading_path(s, &rest);

	/* "/tmp/" is the directory alone for AppArmor, its whole tree
	 * for Landlock. */
	*exact = rest == REST_STARSTAR ||
		 (rest == REST_NONE && s[0] && s[strlen(s) - 1] != '/');
	return h;
}

/* @path is @root or below it. */
static bool is_under(const char *path, const char *root)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return true;
	return strncmp(path, root, n) == 0 &&
	       (path[n] == '/' || path[n] == '\0');
}

static int add_path(struct leash_ctx *ctx, struct ll_ruleset *r,
		    const struct ast_name *n, char *path, uint64_t access)
{
	size_t i;

	for (i = 0; i < r->paths.n; i++) {
		if (strcmp(r->paths.v[i].path, path) == 0) {
			r->paths.v[i].access |= access;
			free(path);
			return 0;
		}
	}
	if (strlen(path) >= LB_MAX_STRING || r->paths.n >= LB_MAX_PATHS) {
		diag_error(&ctx->diag, &n->loc,
			   "'%s' is one Landlock rule too many or too long for a bundle (at most %u paths of %u bytes)",
			   n->s, LB_MAX_PATHS, LB_MAX_STRING - 1);
		free(path);
		return -E2BIG;
	}
	VEC_PUSH(&r->paths, ((struct ll_path){ access, path }));
	return 0;
}

/* One path of an allow rule: its hierarchies, widened with a note. */
static int allow_path(struct leash_ctx *ctx, struct ll_ruleset *r,
		      const struct fs_stmt *s, const struct ast_name *n,
		      uint64_t access)
{
	struct charp_vec alts = { 0 };
	unsigned steps = 0;
	size_t i;
	int rc = 0;
	bool exact;
	char *h;

	if (!expand(n->s, &alts, &steps)) {
		/* Too many alternatives: the braces count as a glob. */
		charp_vec_free(&alts);
		VEC_PUSH(&alts, xstrdup(n->s));
	}
	for (i = 0; i < alts.n && rc == 0; i++) {
		h = hierarchy(alts.v[i], &exact);
		if (!exact) {
			diag_fidelity(&ctx->diag, &n->loc,
				      "Landlock widens 'allow %s \"%s\"' to "
				      "the whole hierarchy '%s' (it has no "
				      "globs and no directory-only rules)",
				      s->mode.s, n->s, h);
		}
		rc = add_path(ctx, r, n, h, access);
	}
	charp_vec_free(&alts);
	return rc;
}

static const char *rights_word(uint64_t a)
{
	if (a & (LL_FS_WRITE_FILE | LL_FS_MAKE_REG | LL_FS_REMOVE_FILE))
		return "writable";
	if (a & (LL_FS_READ_FILE | LL_FS_READ_DIR))
		return "readable";
	if (a & LL_FS_EXECUTE)
		return "executable";
	return "accessible";
}

void ll_leak_note(struct diag *d, const struct ll_leak *l)
{
	diag_fidelity(d, &l->path->loc,
		      "Landlock cannot deny inside an allowed tree: under "
		      "'deny %s \"%s\"' paths stay %s through the Landlock "
		      "rule on '%s'",
		      l->stmt->mode.s, l->path->s, rights_word(l->access),
		      l->through);
}

/* A deny inside an allowed tree: Landlock only adds rights up. */
static void find_leaks(struct diag *dg, struct ll_ruleset *r,
		       const struct fs_stmt *s)
{
	uint64_t d = ll_mode_access(s->mode.s);
	size_t i, k;
	bool exact;

	for (i = 0; i < s->paths.n; i++) {
		const struct ast_name *n = &s->paths.v[i];
		_cleanup_free_ char *h = hierarchy(n->s, &exact);

		if (!r->handled_fs) {
			diag_fidelity(dg, &n->loc,
				      "Landlock has no deny rules and, with no "
				      "'allow' rule, no filesystem ruleset: "
				      "'deny %s \"%s\"' is not enforced by "
				      "Landlock",
				      s->mode.s, n->s);
			continue;
		}
		for (k = 0; k < r->paths.n; k++) {
			const struct ll_path *p = &r->paths.v[k];

			if (!(p->access & d) || (!is_under(h, p->path) &&
						 !is_under(p->path, h)))
				continue;
			VEC_PUSH(&r->leaks, ((struct ll_leak){
				.stmt = s, .path = n, .through = p->path,
				.access = p->access & d,
			}));
			break;
		}
	}
}

static int build_fs(struct leash_ctx *ctx, const struct flat_policy *f,
		    struct ll_ruleset *r)
{
	size_t i, j;
	int rc;

	for (i = 0; i < f->n_fs; i++)
		if (f->fs[i]->kind == FS_ALLOW)
			r->handled_fs = LL_FS_ALL;
	for (i = 0; i < f->n_fs; i++) {
		const struct fs_stmt *s = f->fs[i];
		uint64_t access;

		if (s->kind != FS_ALLOW)
			continue;
		if (strpbrk(s->mode.s, "mk"))
			diag_fidelity(&ctx->diag, &s->mode.loc,
				      "Landlock has no right for 'm' (map "
				      "executable) or 'k' (lock): under "
				      "leash-exec's Landlock ruleset any file "
				      "it may open can also be mapped "
				      "executable and locked");
		access = ll_mode_access(s->mode.s);
		if (!access)
			continue;	/* nothing Landlock can grant */
		for (j = 0; j < s->paths.n; j++) {
			rc = allow_path(ctx, r, s, &s->paths.v[j], access);
			if (rc < 0)
				return rc;
		}
	}
	for (i = 0; i < f->n_fs; i++)
		if (f->fs[i]->kind == FS_DENY)
			find_leaks(&ctx->diag, r, f->fs[i]);
	return 0;
}

static int build_net(struct leash_ctx *ctx, const struct flat_policy *f,
		     struct ll_ruleset *r)
{
	size_t i, j, k;

	for (i = 0; i < f->n_net; i++) {
		const struct net_stmt *s = f->net[i];
		uint64_t access;

		if (s->kind != NET_PORTS || s->deny || !s->op.s)
			continue;
		access = strcmp(s->op.s, "bind") == 0 ? LL_NET_BIND_TCP :
			 LL_NET_CONNECT_TCP;
		r->handled_net |= access;
		for (j = 0; j < s->ports.n; j++) {
			const struct net_port *pt = &s->ports.v[j];
			uint64_t port;

			if (!pt->value ||
			    !res_eval_const(ctx, pt->value, &port))
				return -EINVAL;
			for (k = 0; k < r->ports.n; k++)
				if (r->ports.v[k].port == port)
					break;
			if (k < r->ports.n) {
				r->ports.v[k].access |= access;
				continue;
			}
			if (r->ports.n >= LB_MAX_PORTS) {
				diag_error(&ctx->diag, &pt->loc,
					   "too many TCP ports for a bundle (at most %u)",
					   LB_MAX_PORTS);
				return -E2BIG;
			}
			VEC_PUSH(&r->ports, ((struct ll_port){ access, port }));
		}
	}
	return 0;
}

int ll_build(struct leash_ctx *ctx, const struct flat_policy *f,
	     struct ll_ruleset *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = build_fs(ctx, f, out);
	if (rc == 0)
		rc = build_net(ctx, f, out);
	return rc;
}

void ll_ruleset_free(struct ll_ruleset *r)
{
	size_t i;

	for (i = 0; i < r->paths.n; i++)
		free(r->paths.v[i].path);
	VEC_FREE(&r->paths);
	VEC_FREE(&r->ports);
	VEC_FREE(&r->leaks);
}

char *ll_fixed_path(const char *glob)
{
	enum glob_rest rest;
	char *path = leading_path(glob, &rest);

	/* Only a final "**" stands for the directory. */
	if (rest == REST_GLOB) {
		free(path);
		return NULL;
	}
	return path;
}
