/* SPDX-License-Identifier: MIT */
/*
 * model.h - one confinement, whatever it was written in, for 'leash
 * diff' and 'leash audit'.
 *
 * A .leash policy, a Docker/OCI seccomp profile, a raw .bpf, an OCI
 * config.json or 'docker inspect' output all load into struct model:
 * the seccomp filter as the kernel would run it (built by leash, or by
 * libseccomp the way runc does for a JSON profile) plus whatever else
 * the input says about capabilities, process settings (user, groups,
 * no_new_privileges, namespaces), filesystem, network, AppArmor and
 * limits (memory, cpus, pids, every rlimit), each with where it says it.
 * What an input does not set is "not set"; what it cannot tell (docker
 * inspect hides dockerd's daemon-wide defaults) is "unknown", never
 * guessed.
 *
 * Questions about the filter are answered by running it (seccomp/sim-bpf.h):
 * bpf_exec() on every syscall number of every arch, on argument vectors
 * built from the constants the programs themselves compare against.
 */
#ifndef LEASH_MODEL_H
#define LEASH_MODEL_H

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

/* A filesystem, network or AppArmor rule, as text. */
struct model_stmt {
	char *text;		/* one path or entry per statement, in one
				 * spelling: equal texts, equal rules */
	char *where;		/* "file:line", or NULL */
};
VEC(model_stmt_vec, struct model_stmt);

/*
 * What an input says of one setting.  "Unknown" is not "not set": a
 * config without rlimits runs without them, while 'docker inspect'
 * output does not show what dockerd's daemon-wide options add, and diff
 * must say it cannot tell rather than call the two equal.
 */
enum model_known {
	MK_NONE,		/* this kind of input has no such setting
				 * (a config's Landlock scopes): not compared */
	MK_UNSET,		/* the input does not set it */
	MK_SET,			/* @text */
	MK_UNKNOWN,		/* the input does not tell; @text says why */
};

struct model_val {
	enum model_known known;
	char *text;		/* MK_SET: the value in one spelling for
				 * every input ("1000:1000", "256M",
				 * "1024:4096"), "" when the setting is its
				 * own value (a namespace); MK_UNKNOWN: why */
	uint64_t num;		/* MK_SET limits: the soft value
				 * (UINT64_MAX: unlimited) */
	char *where;		/* "file:line" of the statement or field
				 * (for MK_UNSET, of the list that leaves
				 * it out), or NULL */
};

/* Process settings, in the order diff reports them. */
enum model_proc {
	MP_USER,		/* "UID:GID"; docker inspect: as written */
	MP_GROUPS,		/* "27, 1000": sorted */
	MP_NNP,			/* "on" | "off" */
	MP_PRIVILEGED,		/* docker inspect: "on" | "off" */
	MP_UNSCOPED,		/* a policy's Landlock scopes left open */
	MP_COUNT
};

/* Namespaces, by leash's names (OCI's "network" is "net"). */
enum model_ns {
	MN_USER, MN_PID, MN_IPC, MN_UTS, MN_MOUNT, MN_NET, MN_CGROUP,
	MN_TIME, MN_COUNT
};

/* AppArmor: the profile by name for every input, its rules for a
 * policy only (a config names a profile whose text is elsewhere). */
enum model_aa { MA_PROFILE, MA_TEMPLATE, MA_FLAGS, MA_COUNT };

/* The settings' names, as diff prints them. */
extern const char *const model_proc_names[MP_COUNT];
extern const char *const model_ns_names[MN_COUNT];
extern const char *const model_aa_names[MA_COUNT];

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
	/* Where the input asks for its filter and lists its arches
	 * ("file:line"), or NULL. */
	char *seccomp_where, *arch_where;

	/* ---- capabilities (FLAT_CAP_BIT sets) ---- */
	bool has_caps;
	uint64_t caps, ambient;
	char *caps_where;

	/* ---- what a policy or a container config says ---- */
	bool has_settings;	/* false for a bare seccomp profile / bpf */
	char *where;		/* a policy: its name; NULL otherwise */
	bool nnp, readonly_root, privileged;
	bool memory_limit, pids_limit;
	bool userns;		/* a user namespace with a remapping */
	bool userns_unknown;	/* docker inspect: daemon-wide remap hidden */
	bool apparmor;		/* an AppArmor profile (not unconfined) */
	bool nonroot;		/* runs as a uid other than 0 */
	/* A policy's filesystem allow-list, none of whose rules grants
	 * writes over all of /: Landlock and AppArmor keep the program's
	 * writes to the paths it lists. */
	bool fs_allowlist;
	char *nnp_where, *root_where, *apparmor_where;
	struct model_stmt_vec fs, net;

	/* ---- every setting, as diff compares them ---- */
	struct model_val proc[MP_COUNT];
	struct model_val ns[MN_COUNT];
	struct model_val limits[FL_COUNT];	/* enum flat_limit */
	struct model_val aa[MA_COUNT];
	bool aa_name_implied;	/* a policy without 'name': the profile is
				 * called after the policy */
	bool has_aa_rules;	/* @aa_raw, template and flags are known */
	struct model_stmt_vec aa_raw;
	/* The action of a syscall the filter does not name, when the
	 * input says it (a policy's default, a profile's defaultAction). */
	bool has_default;
	uint32_t default_action;
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
