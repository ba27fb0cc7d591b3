/* SPDX-License-Identifier: MIT */
/* emit-bundle.c - NOT BUILT YET: refuses with an error. */
#include "emit-bundle.h"

#include <errno.h>

int emit_bundle(struct leash_ctx *ctx, const struct flat_policy *f,
		const struct seccomp_out *sc, struct strbuf *out,
		struct note_vec *notes)
{
	(void)sc;
	(void)out;
	(void)notes;
	diag_error(&ctx->diag, &f->policy->name.loc,
		   "the bundle target is not built in this version");
	return -ENOSYS;
}
