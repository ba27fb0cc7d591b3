/* SPDX-License-Identifier: MIT */
/*
 * emit-oci.h - NAME.oci.json (an OCI runtime-spec config fragment) and
 * NAME.docker (docker/podman run flags, one per line).
 */
#ifndef LEASH_EMIT_OCI_H
#define LEASH_EMIT_OCI_H

#include "seccomp/build.h"
#include "front/flat.h"

/* The fragment, with linux.seccomp from @sc (built with TARGET_JSON). */
int emit_oci(struct leash_ctx *ctx, const struct flat_policy *f,
	     const struct seccomp_out *sc, struct strbuf *out);

/* The flags; @seccomp_path is the absolute path of NAME.seccomp.json. */
int emit_docker(struct leash_ctx *ctx, const struct flat_policy *f,
		const char *seccomp_path, struct strbuf *out);

#endif
