/* SPDX-License-Identifier: MIT */
/* emit-oci.c - NOT BUILT YET: refuses with an error. */
#include "emit-oci.h"

#include <errno.h>

int emit_oci(struct leash_ctx *ctx, const struct flat_policy *f,
	     const struct seccomp_out *sc, struct strbuf *out,
	     struct note_vec *notes)
{
	(void)sc;
	(void)out;
	(void)notes;
	diag_error(&ctx->diag, &f->policy->name.loc,
		   "the OCI target is not built in this version");
	return -ENOSYS;
}

int emit_docker(struct leash_ctx *ctx, const struct flat_policy *f,
		const char *seccomp_path, struct strbuf *out,
		struct note_vec *notes)
{
	(void)seccomp_path;
	(void)out;
	(void)notes;
	diag_error(&ctx->diag, &f->policy->name.loc,
		   "the docker target is not built in this version");
	return -ENOSYS;
}
