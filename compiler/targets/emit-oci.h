/* SPDX-License-Identifier: MIT */
/*
 * emit-oci.h - NAME.oci.json (an OCI runtime-spec config fragment),
 * NAME.docker and NAME.podman (docker/podman run flags, one per line).
 */
#ifndef LEASH_EMIT_OCI_H
#define LEASH_EMIT_OCI_H

#include "seccomp/build.h"
#include "front/flat.h"

struct jt;

/* The fragment, with linux.seccomp from @sc (built with BUILD_JSON or
 * BUILD_JSON_TRY; a refused profile gives one that fails closed) and
 * @sc's program as the annotation run.oci.seccomp_bpf_data. */
int emit_oci(struct leash_ctx *ctx, const struct flat_policy *f,
	     const struct seccomp_out *sc, struct strbuf *out);

/* The flags; @seccomp_path is the absolute path of NAME.seccomp.json. */
int emit_docker(struct leash_ctx *ctx, const struct flat_policy *f,
		const char *seccomp_path, struct strbuf *out);

/*
 * NAME.docker's flags for podman, plus the annotation that hands crun
 * @sc's program.  When @sc holds no profile (BUILD_JSON_TRY: the format
 * cannot express the policy), @closed gets the one to write as
 * NAME.seccomp.json instead, which kills every process: podman with
 * runc fails closed.
 */
int emit_podman(struct leash_ctx *ctx, const struct flat_policy *f,
		const struct seccomp_out *sc, const char *seccomp_path,
		struct strbuf *out, struct strbuf *closed);

/* NAME.seccomp.json (@sc->json) as a tree, or NULL after an error in
 * @d (only a bug: the JSON target wrote it). */
struct jt *oci_profile_tree(struct diag *d, const struct seccomp_out *sc);

#endif
