/* SPDX-License-Identifier: MIT */
/*
 * policies.c - which policies of a file a command works on (cli.h).
 */
#include "cli/cli.h"

#include <errno.h>

int cli_policies(struct leash_ctx *ctx, const char *only, size_t max,
		 struct policy_vec *out)
{
	const struct ast_file *root = ctx->files.v[0];
	struct ast_policy *p;
	size_t i;

	if (only) {
		p = res_find_policy(ctx, only);
		if (!p) {
			diag_plain_error(&ctx->diag, "no policy '%s' in %s",
					 only, root->src->name);
			return -ENOENT;
		}
		VEC_PUSH(out, p);
		return 0;
	}
	for (i = 0; i < root->policies.n; i++)
		VEC_PUSH(out, root->policies.v[i]);
	if (out->n == 0) {
		diag_plain_error(&ctx->diag, "%s defines no policy",
				 root->src->name);
		return -ENOENT;
	}
	if (max && out->n > max) {
		diag_plain_error(&ctx->diag, "%s defines %zu policies: choose "
				 "one with -p", root->src->name, out->n);
		return -ENOENT;
	}
	return 0;
}
