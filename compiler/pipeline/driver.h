/* SPDX-License-Identifier: MIT */
/*
 * driver.h - what the commands share: running the front end on a file
 * and building a policy's seccomp artifacts in memory.
 */
#ifndef LEASH_DRIVER_H
#define LEASH_DRIVER_H

#include "front/front.h"
#include "seccomp/build.h"

#define EXIT_INPUT 1
#define EXIT_USAGE 2

struct front_opts {
	struct str_vec include_dirs;	/* borrowed strings */
	bool verbose;
	bool werror;
	bool strict;	/* what a target cannot enforce is an error */
};

/*
 * Load @path ("-": stdin), resolve and check it.  Returns 0 when the
 * front end found no error.  With o->strict, every fidelity note
 * reported after it (by the targets build_artifacts() builds) is an
 * error (diag_fidelity()).
 */
int front_run(struct leash_ctx *ctx, const struct front_opts *o,
	      const char *path);
/* The two halves of front_run(): load the root file (and its includes),
 * then resolve and check everything loaded. */
int front_load(struct leash_ctx *ctx, const struct front_opts *o,
	       const char *path);
int front_finish(struct leash_ctx *ctx);

/* Which artifacts to build. */
#define TARGET_BPF (1u << 0)
#define TARGET_JSON (1u << 1)
#define TARGET_PFC (1u << 2)
#define TARGET_SECCOMP (TARGET_BPF | TARGET_JSON | TARGET_PFC)
#define TARGET_APPARMOR (1u << 3)
#define TARGET_OCI (1u << 4)
#define TARGET_DOCKER (1u << 5)	/* names NAME.seccomp.json: implies JSON */
#define TARGET_BUNDLE (1u << 6)
/* NAME.podman: names NAME.seccomp.json (written with it; one that kills
 * every process when the JSON format cannot express the policy) and
 * carries NAME.bpf for crun. */
#define TARGET_PODMAN (1u << 9)
/* Opt-in: NAME.service.d/zz-leash.conf, not in TARGET_DEFAULT. */
#define TARGET_SYSTEMD (1u << 7)
/* Opt-in: NAME.spo.yaml and NAME.pod.yaml (Kubernetes, SPO). */
#define TARGET_K8S (1u << 8)
/* Set by -t: the targets were asked for by name, so what would keep
 * one from working is an error, not a warning (check_runtime_calls). */
#define TARGET_NAMED (1u << 30)
/* What 'leash compile' writes without -t. */
#define TARGET_DEFAULT \
	(TARGET_SECCOMP | TARGET_APPARMOR | TARGET_OCI | TARGET_DOCKER | \
	 TARGET_BUNDLE | TARGET_PODMAN)

/* Every artifact of one policy, built in memory before any is written. */
struct artifacts {
	struct seccomp_out sc;
	struct strbuf apparmor, oci, docker, bundle;
	struct strbuf podman;
	struct strbuf podman_json;	/* NAME.seccomp.json for NAME.podman
					 * when sc.json is refused */
	struct strbuf systemd;	/* TARGET_SYSTEMD */
	struct strbuf spo, pod;	/* TARGET_K8S */
};

/*
 * Build the artifacts in @targets for @p, and only what they need (the
 * seccomp filter not for AppArmor alone).  @out_dir is where they will
 * be written (NAME.docker names NAME.seccomp.json by its absolute path).
 * Errors and what a target cannot enforce go to ctx->diag, each target's
 * as concerning the policy and the target; a target that fails does not
 * stop the next one that does not read its output.  Returns 0 or the
 * first -errno; release @out with artifacts_free() either way.
 */
int build_artifacts(struct leash_ctx *ctx, const struct ast_policy *p,
		    enum backend backend, unsigned targets,
		    const char *out_dir, struct artifacts *out);
void artifacts_free(struct artifacts *out);

/* Write @len bytes to DIR/NAME through a temporary file and rename(),
 * so a reader never sees half a file.  Returns 0 or -errno. */
int write_atomic(const char *dir, const char *name, const void *data,
		 size_t len);

#endif
