/* SPDX-License-Identifier: MIT */
/*
 * lower.h - from the checked policy to the seccomp IR (ir.h).
 */
#ifndef LEASH_LOWER_H
#define LEASH_LOWER_H

#include "seccomp/ir.h"
#include "front/flat.h"

/*
 * A fidelity note: something a target cannot enforce as the policy says,
 * so that nobody believes in a protection that is not there.
 */
struct fidelity_note {
	struct leash_loc loc;	/* the rule concerned (file NULL: policy) */
	char *msg;
};
VEC(note_vec, struct fidelity_note);

void note_add(struct note_vec *v, const struct leash_loc *loc,
	      const char *fmt, ...) LEASH_PRINTF(3, 4);
void notes_free(struct note_vec *v);
/* Print as "file:line:col: note: ..." lines through @d. */
void notes_print(struct diag *d, const struct note_vec *v);

/* The SECCOMP_RET value of an action; false (reported) if invalid. */
bool lower_action(struct leash_ctx *ctx, const struct ast_action *a,
		  uint32_t *ret);

/*
 * Lower the seccomp part of @fp into a new IR filter.  Errors (a
 * constant that cannot be compared at an argument's width on some arch)
 * go to ctx->diag; fidelity notes to @notes.  Returns 0 or -EINVAL.
 */
int lower_seccomp(struct leash_ctx *ctx, const struct flat_policy *fp,
		  struct ir_filter **out, struct note_vec *notes);

#endif
