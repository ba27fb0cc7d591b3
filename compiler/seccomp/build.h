/* SPDX-License-Identifier: MIT */
/*
 * build.h - the seccomp stage as one call: a checked policy in, its
 * filter as IR, as a BPF program and, on request, as a Docker/OCI
 * profile and a PFC listing out.  The targets above this stage read
 * struct seccomp_out (the OCI fragment embeds the profile, the bundle
 * carries the program); the driver calls build_seccomp() for every
 * command.
 */
#ifndef LEASH_BUILD_H
#define LEASH_BUILD_H

#include "front/front.h"
#include "seccomp/ir.h"

#include <linux/filter.h>

/* Which generator builds the BPF program. */
enum backend { BACKEND_NATIVE, BACKEND_LIBSECCOMP };

/* What to build besides the BPF program, which pfc and explain need. */
#define BUILD_JSON (1u << 0)
#define BUILD_PFC (1u << 1)
/*
 * The profile if it can be built: the OCI fragment and the podman flags
 * carry leash's own filter for crun too, so a policy the JSON format
 * cannot express is no error for them.  On refusal json stays empty and
 * json_refused says why (the JSON target's error text, unprefixed); the
 * profile's notes reach the caller's diag only when it was built.
 */
#define BUILD_JSON_TRY (1u << 2)

struct seccomp_out {
	struct ir_filter *ir;
	struct sock_filter *bpf;
	size_t bpf_len;
	struct strbuf json, pfc;
	char *json_refused;	/* BUILD_JSON_TRY: why there is no json */
};

/*
 * Lower @p and build the program, and what @want asks for.  Errors and
 * fidelity notes go to ctx->diag, those of a generator as concerning
 * the policy and the generator ("policy 'web': json target: ...").  Returns 0
 * or -errno; release @out with build_seccomp_free() either way.
 */
int build_seccomp(struct leash_ctx *ctx, const struct ast_policy *p,
		  enum backend backend, unsigned want,
		  struct seccomp_out *out);
void build_seccomp_free(struct seccomp_out *out);

#endif
