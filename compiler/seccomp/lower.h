/* SPDX-License-Identifier: MIT */
/*
 * lower.h - from the checked policy to the seccomp IR (ir.h).
 */
#ifndef LEASH_LOWER_H
#define LEASH_LOWER_H

#include "seccomp/ir.h"
#include "front/flat.h"

/* The SECCOMP_RET value of an action on @arch; false (reported) if
 * invalid. */
bool lower_action(struct leash_ctx *ctx, const struct ast_action *a,
		  enum leash_arch arch, uint32_t *ret);

/*
 * Lower the seccomp part of @fp into a new IR filter.  Errors (a
 * constant that cannot be compared at an argument's width on some arch)
 * and fidelity notes go to ctx->diag.  Returns 0 or -EINVAL.
 */
int lower_seccomp(struct leash_ctx *ctx, const struct flat_policy *fp,
		  struct ir_filter **out);

#endif
