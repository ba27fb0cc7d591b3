/* SPDX-License-Identifier: MIT */
/*
 * check-int.h - private to the check pass: how check.c, check-expr.c and
 * check-sections.c share work.  Nothing outside the pass includes it;
 * the pass's entry point is chk_all() in front.h.
 *
 *   check.c           chk_all(): policies, seccomp statements, syscall
 *                     names per arch, shadowed rules
 *   check-expr.c      a rule's 'if' condition
 *   check-sections.c  capabilities, filesystem, network, apparmor,
 *                     process, limits; the helpers below
 */
#ifndef LEASH_CHECK_INT_H
#define LEASH_CHECK_INT_H

#include "front/flat.h"

/* Type-check and judge a seccomp rule's 'if' condition. */
void chk_condition(struct leash_ctx *ctx, const struct sc_stmt *rule);

/* One section of one policy: its own statements (inheritance is judged
 * by check.c through the flat view). */
void chk_caps(struct leash_ctx *ctx, const struct ast_policy *p);
void chk_fs(struct leash_ctx *ctx, const struct ast_policy *p);
void chk_net(struct leash_ctx *ctx, const struct ast_policy *p);
void chk_apparmor(struct leash_ctx *ctx, const struct ast_policy *p);
void chk_process(struct leash_ctx *ctx, const struct ast_policy *p);
void chk_limits(struct leash_ctx *ctx, const struct ast_policy *p);
/* Judged on the flat view, inheritance included: a root program that
 * nothing keeps from writing root's files. */
void chk_root_writes(struct leash_ctx *ctx, const struct flat_policy *f);

/* The nearest of @words to @name for a "did you mean", or NULL. */
const char *chk_nearest(const char *name, const char *const *words,
			size_t n);
#define CHK_NEAREST(name, words) chk_nearest((name), (words), ARRAY_SIZE(words))
bool chk_in_list(const char *name, const char *const *words, size_t n);
/* "unknown WHAT 'name' (did you mean 'hint'?); tail" */
void chk_unknown(struct diag *d, const struct leash_loc *loc,
		 const char *what, const char *name, const char *hint,
		 const char *tail);
/* A setting given twice in one policy, with a note at the first. */
void chk_repeated(struct diag *d, const struct ast_policy *p,
		  const struct leash_loc *now, const struct leash_loc *before,
		  const char *what);

#endif
