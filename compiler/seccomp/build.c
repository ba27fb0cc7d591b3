/* SPDX-License-Identifier: MIT */
/*
 * build.c - the seccomp stage as one call (build.h).
 */
#include "seccomp/build.h"
#include "front/flat.h"
#include "seccomp/emit-bpf.h"
#include "seccomp/emit-json.h"
#include "seccomp/emit-pfc.h"
#include "seccomp/emit-scmp.h"
#include "seccomp/lower.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void build_seccomp_free(struct seccomp_out *out)
{
	ir_filter_free(out->ir);
	free(out->bpf);
	sb_free(&out->json);
	sb_free(&out->pfc);
	free(out->json_refused);
	memset(out, 0, sizeof(*out));
}

static int build_program(struct diag *d, enum backend backend,
			 struct seccomp_out *out)
{
	unsigned before = d->n_errors;
	int rc;

	if (backend == BACKEND_LIBSECCOMP)
		rc = emit_scmp(out->ir, 2, &out->bpf, &out->bpf_len, d);
	else
		rc = emit_bpf(out->ir, &out->bpf, &out->bpf_len);
	/* The native generator fails only on size; say which limit. */
	if (rc < 0 && d->n_errors == before)
		diag_error(d, NULL, "%s", rc == -E2BIG ?
			   "the filter exceeds the kernel's 4096 instructions" :
			   strerror(-rc));
	return rc;
}

/*
 * BUILD_JSON_TRY: emit_json() into a diag of its own, with no scope, so
 * that a refusal is a reason to quote rather than an error, and the
 * notes of a profile that was built reach @d as if emit_json() had
 * written them there (under the "json" scope the caller entered): its
 * messages have no location of their own (emit-json.h).
 */
static int try_json(struct diag *d, struct seccomp_out *out)
{
	struct diag inner;
	size_t i;
	int rc;

	diag_init(&inner, NULL);
	rc = emit_json(out->ir, &out->json, &inner);
	if (rc < 0 || inner.n_errors > 0) {
		out->json_refused = xstrdup(diag_first_error(&inner) ?
					    diag_first_error(&inner) :
					    strerror(rc < 0 ? -rc : EINVAL));
		sb_free(&out->json);
	} else {
		for (i = 0; i < inner.pending.n; i++) {
			const struct diag_pending *n = &inner.pending.v[i];

			diag_fidelity(d, n->loc.file ? &n->loc : NULL, "%s",
				      n->text);
		}
	}
	diag_fini(&inner);
	return 0;
}

int build_seccomp(struct leash_ctx *ctx, const struct ast_policy *p,
		  enum backend backend, unsigned want,
		  struct seccomp_out *out)
{
	struct diag *d = &ctx->diag;
	struct flat_policy fp;
	struct diag_scope saved;
	unsigned before;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = flat_build(ctx, p, &fp);
	if (rc == 0)
		rc = lower_seccomp(ctx, &fp, &out->ir);
	flat_free(&fp);
	if (rc < 0)
		return rc;

	/* A generator's messages are not tied to one token: they concern
	 * the policy, and point at its name. */
	saved = diag_enter(d, p->name.s, backend == BACKEND_LIBSECCOMP ?
			   "libseccomp" : "bpf", &p->name.loc);
	rc = build_program(d, backend, out);
	if (rc == 0 && (want & BUILD_JSON)) {
		diag_enter(d, p->name.s, "json", &p->name.loc);
		before = d->n_errors;
		rc = emit_json(out->ir, &out->json, d);
		if (rc < 0 && d->n_errors == before)
			diag_error(d, NULL, "%s", strerror(-rc));
	} else if (rc == 0 && (want & BUILD_JSON_TRY)) {
		diag_enter(d, p->name.s, "json", &p->name.loc);
		rc = try_json(d, out);
	}
	if (rc == 0 && (want & BUILD_PFC))
		emit_pfc(out->ir, p->name.s, out->bpf, out->bpf_len,
			 &out->pfc);
	diag_leave(d, saved);
	return rc;
}
