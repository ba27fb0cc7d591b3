/* SPDX-License-Identifier: MIT */
/*
 * target.h - one confinement, whatever it was written in, for 'leash
 * diff' and 'leash audit'.
 *
 * A .leash policy, a Docker/OCI seccomp profile, a raw .bpf, an OCI
 * config.json or 'docker inspect' output all load into struct model:
 * the seccomp filter as the kernel would run it (built by leash, or by
 * libseccomp the way runc does for a JSON profile) plus whatever else
 * the input says about capabilities, process settings, filesystem,
 * network and resources.  What an input does not say is marked unknown,
 * never guessed.
 *
 * Questions about the filter are answered by running it (seccomp/sim-bpf.h):
 * bpf_exec() on every syscall number of every arch, on argument vectors
 * built from the constants the programs themselves compare against.
 */
#ifndef LEASH_TARGET_H
#define LEASH_TARGET_H

#include "pipeline/driver.h"
#include "interop/oci-read.h"
#include "front/flat.h"
#include "seccomp/scmp-json.h"
#include "seccomp/sim-bpf.h"

enum model_kind {
	MODEL_POLICY,		/* .leash */
	MODEL_SECCOMP,		/* Docker/OCI seccomp JSON */
	MODEL_BPF,		/* raw struct sock_filter[] */
	MODEL_CONFIG,		/* OCI config.json */
	MODEL_INSPECT,		/* one container of 'docker inspect' */
};

/* A filesystem or network statement, as text. */
struct model_stmt {
	char *text;		/* whitespace collapsed */
	char *where;		/* "file:line", or NULL */
};
VEC(model_stmt_vec, struct model_stmt);

enum model_seccomp {
	MODEL_SC_NONE,		/* the input runs without seccomp */
	MODEL_SC_FILTER,		/* @bpf is what the kernel runs */
	MODEL_SC_UNSEEN,		/* docker inspect: dockerd's default
				 * profile, whose text is not there */
};

/* How a JSON seccomp profile becomes a filter (--as). */
enum model_as {
	MODEL_AS_PROFILE,		/* as written: defaultErrnoRet kept,
				 * every name leash knows resolved, no
				 * runtime stub */
	MODEL_AS_RUNTIME,		/* as this host's runtime loads it:
				 * dockerd 20.10 (a profile, docker
				 * inspect) or runc (a config.json) with
				 * libseccomp 2.5: names it lacks dropped,
				 * runc's -ENOSYS stub added */
};

struct model {
	enum model_kind kind;
	char *name;		/* the path, "path:POLICY", "path[/web]" */

	/* ---- seccomp ---- */
	enum model_seccomp seccomp;
	struct sock_filter *bpf;	/* passed bpf_check() */
	size_t bpf_len;
	struct sim_filter sim;	/* @bpf, or none: for sim-bpf.c */
	uint32_t arches;	/* FLAT_ARCH_BIT()s the filter accepts */
	struct ir_filter *ir;	/* MODEL_POLICY: for locations */
	const struct sj_profile *sj;	/* a JSON profile: for locations */
	char *sj_file;		/* where @sj was read */
	/* A JSON profile: the names it uses that this libseccomp lacks
	 * ("a, b"), resolved or dropped as the model says; or empty. */
	struct strbuf lacking;
	enum model_as model;	/* how @bpf was built from a profile */

	/* ---- capabilities (FLAT_CAP_BIT sets) ---- */
	bool has_caps;
	uint64_t caps, ambient;
	char *caps_where;

	/* ---- what a policy or a container config says ---- */
	bool has_settings;	/* false for a bare seccomp profile / bpf */
	bool nnp, readonly_root, privileged;
	bool memory_limit, pids_limit;
	bool userns;		/* a user namespace with a remapping */
	bool userns_unknown;	/* docker inspect: daemon-wide remap hidden */
	bool apparmor;		/* an AppArmor profile (not unconfined) */
	bool nonroot;		/* runs as a uid other than 0 */
	char *nnp_where, *root_where, *limits_where, *apparmor_where;
	struct model_stmt_vec fs, net;
	const struct oci_container *oc;	/* MODEL_CONFIG, MODEL_INSPECT */
	const struct ast_policy *policy;	/* MODEL_POLICY */
};

/* Everything one input file loaded into. */
struct model_file {
	struct model *t;
	size_t n;
	struct leash_ctx *ctx;	/* MODEL_POLICY: owns the AST locations */
	struct sj_profile *sj;
	struct oci_doc doc;
	struct src_file *src;	/* a JSON input's text */
	struct diag diag;	/* what loading it found (stderr); a
				 * policy's own go to ctx->diag */
	char *label;		/* the file name as given */
};

struct model_opts {
	struct str_vec include_dirs;	/* -I, borrowed */
	enum model_as model;
	/* A Docker JSON profile is resolved for this capability set
	 * (its includes.caps / excludes.caps): Docker's default unless
	 * set. */
	bool has_caps;
	uint64_t caps;
};

/*
 * Load @path: "FILE" or, for a .leash file defining several policies,
 * "FILE:POLICY".  Errors (located where the input allows) go to stderr.
 * Returns 0, or -EINVAL / -errno; release @out with model_file_free()
 * either way.
 */
int model_load(const char *path, const struct model_opts *o,
	     struct model_file *out);

void model_file_free(struct model_file *f);

/* What the model did with the profile's names this libseccomp lacks,
 * as one sentence, or NULL when it uses none.  Free the result. */
char *model_as_note(const struct model *t);

/* Where capability @cap comes from ("file:line": the statement that
 * adds it, for a policy), or t->caps_where.  Free the result. */
char *model_cap_where(const struct model *t, int cap);

/* Where the rule deciding syscall @nr on @arch for @args comes from
 * ("file:line"), or NULL.  Free the result. */
char *model_where(const struct model *t, enum leash_arch arch, int64_t nr,
		const uint64_t args[6]);

/* Append @s to @sb as a JSON string, quotes included ("null" for NULL). */
void model_json_str(struct strbuf *sb, const char *s);

#endif
