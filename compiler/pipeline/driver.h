/* SPDX-License-Identifier: MIT */
/*
 * driver.h - what the commands share: running the front end on a file
 * and building a policy's seccomp artifacts in memory.
 */
#ifndef LEASH_DRIVER_H
#define LEASH_DRIVER_H

#include "front/front.h"
#include "seccomp/ir.h"
#include "seccomp/lower.h"

#include <linux/filter.h>

#define EXIT_INPUT 1
#define EXIT_USAGE 2

struct front_opts {
	struct str_vec include_dirs;	/* borrowed strings */
	bool verbose;
	bool werror;
};

/* Load @path ("-": stdin), resolve and check it.  Returns 0 when the
 * front end found no error. */
int front_run(struct leash_ctx *ctx, const struct front_opts *o,
	      const char *path);
/* The two halves of front_run(): load the root file (and its includes),
 * then resolve and check everything loaded. */
int front_load(struct leash_ctx *ctx, const struct front_opts *o,
	       const char *path);
int front_finish(struct leash_ctx *ctx);

enum backend { BACKEND_NATIVE, BACKEND_LIBSECCOMP };

/* Which artifacts to build. */
#define TARGET_BPF (1u << 0)
#define TARGET_JSON (1u << 1)
#define TARGET_PFC (1u << 2)
#define TARGET_SECCOMP (TARGET_BPF | TARGET_JSON | TARGET_PFC)
#define TARGET_APPARMOR (1u << 3)
#define TARGET_OCI (1u << 4)
#define TARGET_DOCKER (1u << 5)	/* names NAME.seccomp.json: implies JSON */
#define TARGET_BUNDLE (1u << 6)
/* What 'leash compile' writes without -t. */
#define TARGET_DEFAULT \
	(TARGET_SECCOMP | TARGET_APPARMOR | TARGET_OCI | TARGET_DOCKER | \
	 TARGET_BUNDLE)

struct seccomp_out {
	struct ir_filter *ir;
	struct sock_filter *bpf;	/* always built: pfc and explain need it */
	size_t bpf_len;
	struct strbuf json, pfc;
};

/*
 * Lower @p and build the artifacts in @targets.  Errors (located where
 * the policy allows) go to ctx->diag; what a target cannot enforce goes
 * to @notes.  Returns 0 or -errno; @out is released by seccomp_out_free()
 * either way.
 */
int build_seccomp(struct leash_ctx *ctx, const struct ast_policy *p,
		  enum backend backend, unsigned targets,
		  struct seccomp_out *out, struct note_vec *notes);
void seccomp_out_free(struct seccomp_out *out);

/* Every artifact of one policy, built in memory before any is written. */
struct artifacts {
	struct seccomp_out sc;
	struct strbuf apparmor, oci, docker, bundle;
};

/*
 * Build the artifacts in @targets for @p.  @out_dir is where they will
 * be written (NAME.docker names NAME.seccomp.json by its absolute path).
 * Errors go to ctx->diag, what a target cannot enforce to @notes.
 * Returns 0 or -errno; release @out with artifacts_free() either way.
 */
int build_artifacts(struct leash_ctx *ctx, const struct ast_policy *p,
		    enum backend backend, unsigned targets,
		    const char *out_dir, struct artifacts *out,
		    struct note_vec *notes);
void artifacts_free(struct artifacts *out);

/* Write @len bytes to DIR/NAME through a temporary file and rename(),
 * so a reader never sees half a file.  Returns 0 or -errno. */
int write_atomic(const char *dir, const char *name, const void *data,
		 size_t len);

/* The commands, one file each (main.c dispatches). */
int cmd_compile(int argc, char **argv);		/* compile.c */
int cmd_explain(int argc, char **argv);		/* compile.c */
int cmd_oci_merge(int argc, char **argv);	/* oci-merge.c */
int cmd_run(int argc, char **argv);		/* run.c */
int cmd_import(int argc, char **argv);		/* import.c */
int cmd_diff(int argc, char **argv);		/* diff.c */
int cmd_audit(int argc, char **argv);		/* audit.c */

#endif
