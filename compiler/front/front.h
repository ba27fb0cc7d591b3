/* SPDX-License-Identifier: MIT */
/*
 * front.h - the front end: a compilation context, the parser entry point
 * and the resolve/check passes.
 *
 *   leash_ctx_init()      one context per root file
 *   res_load(ctx, path)   parse the root file and its includes (res_)
 *   res_names(ctx)        symbol tables, defines, groups, extends
 *   chk_all(ctx)          every semantic check, per policy
 *
 * Each pass reports through ctx->diag and goes on where it can; callers
 * stop between passes when diag_failed(&ctx->diag).
 */
#ifndef LEASH_FRONT_H
#define LEASH_FRONT_H

#include "front/ast.h"
#include "common/tables.h"

VEC(file_vec, struct ast_file *);
VEC(str_vec, char *);
struct symtab;

/* Limits that keep hostile input from exhausting the compiler. */
#define LEASH_MAX_INCLUDE_DEPTH 32
#define LEASH_MAX_FILE_SIZE (16u << 20)
#define LEASH_MAX_NEST 64	/* group, extends, define and 'when' chains */

struct leash_ctx {
	struct diag diag;
	struct file_vec files;		/* every file parsed, root first */
	struct str_vec include_dirs;	/* -I, in order */
	const char *profile_dir;	/* installed profiles (include <...>) */
	bool verbose;			/* check -v: per-arch notes */
	const char *k8s_container;	/* compile --container (borrowed) */
	bool bundle_no_landlock;	/* run --complain: the tracer checks
					 * paths and ports (cli/complain.c) */
	/* Global namespace, filled by res_names(). */
	struct define_vec defines;
	struct group_vec groups;
	struct policy_vec policies;
	struct symtab *define_tab, *group_tab, *policy_tab;	/* resolve.c */
	/* Include state: files being loaded, for cycle detection. */
	struct file_vec include_stack;
};

void leash_ctx_init(struct leash_ctx *ctx, FILE *diag_out);
/* Where include <...> looks after -I in every context made from now on
 * (default: the installed profiles); the leash binary of a build tree
 * points it at the source tree's profiles/.  @dir is borrowed. */
void leash_set_profile_dir(const char *dir);
void leash_ctx_fini(struct leash_ctx *ctx);

/*
 * Parse one file already in memory.  The parser builds the tree only;
 * it reports syntax errors through ctx->diag and recovers at ';' and '}'.
 * Returns the file's tree (possibly partial after errors), never NULL.
 * Defined in grammar/lexer.l.
 */
struct ast_file *grammar_parse(struct leash_ctx *ctx, struct src_file *src);

/* Load, parse and follow includes from the root file @path. */
int res_load(struct leash_ctx *ctx, const char *path);
/* Same, from a buffer (fuzzer, tests, 'leash check -'). */
int res_load_buffer(struct leash_ctx *ctx, const char *name, const char *buf,
		    size_t len);
/* Build symbol tables, evaluate defines, expand groups, link extends. */
int res_names(struct leash_ctx *ctx);

struct ast_define *res_find_define(struct leash_ctx *ctx, const char *name);
struct ast_group *res_find_group(struct leash_ctx *ctx, const char *name);
struct ast_policy *res_find_policy(struct leash_ctx *ctx, const char *name);

/*
 * Evaluate a constant expression.  Names are defines or built-in
 * constants; an argument name here is an error.  Returns false (after
 * reporting) when it is not a valid constant.
 */
bool res_eval_const(struct leash_ctx *ctx, const struct expr *e,
		    uint64_t *out);
/*
 * The same on @arch: built-in names, and defines made of them, take the
 * value the kernel gives them there (docs/language.md section 2).  Used
 * where seccomp rules are lowered per arch; res_eval_const() is for
 * values that are the same everywhere (uids, ports, limits).
 */
bool res_eval_const_arch(struct leash_ctx *ctx, const struct expr *e,
			 enum leash_arch arch, uint64_t *out);
/*
 * The first built-in name @e uses (itself or through the define set in
 * *@via, NULL if directly) that the kernel lacks on @arch, or NULL.
 */
const char *res_const_missing(struct leash_ctx *ctx, const struct expr *e,
			      enum leash_arch arch,
			      const struct ast_define **via);

/*
 * Expand a group into syscall names, in member order, each once.
 * Calls @fn for every syscall with the location of the name as written.
 */
typedef void (*group_cb)(void *opaque, const struct ast_name *syscall);
void res_expand_group(struct leash_ctx *ctx, const struct ast_group *g,
		      group_cb fn, void *opaque);

/* Every semantic check of docs/language.md, on every policy. */
int chk_all(struct leash_ctx *ctx);

#endif
