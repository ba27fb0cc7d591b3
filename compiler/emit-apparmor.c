/* SPDX-License-Identifier: MIT */
/* emit-apparmor.c - NOT BUILT YET: refuses with an error. */
#include "emit-apparmor.h"

#include <errno.h>

int emit_apparmor(struct leash_ctx *ctx, const struct flat_policy *f,
		  struct strbuf *out, struct note_vec *notes)
{
	(void)out;
	(void)notes;
	diag_error(&ctx->diag, &f->policy->name.loc,
		   "the AppArmor target is not built in this version");
	return -ENOSYS;
}
