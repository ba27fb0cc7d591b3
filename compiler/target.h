/* SPDX-License-Identifier: MIT */
/*
 * target.h - one confinement, whatever it was written in, for 'leash
 * diff' and 'leash audit'.
 *
 * A .leash policy, a Docker/OCI seccomp profile, a raw .bpf, an OCI
 * config.json or 'docker inspect' output all load into struct target:
 * the seccomp filter as the kernel would run it (built by leash, or by
 * libseccomp the way runc does for a JSON profile) plus whatever else
 * the input says about capabilities, process settings, filesystem,
 * network and resources.  What an input does not say is marked unknown,
 * never guessed.
 *
 * Questions about the filter are answered by running it (sim-bpf.c):
 * bpf_exec() on every syscall number of every arch, on argument vectors
 * built from the constants the programs themselves compare against.
 */
#ifndef LEASH_TARGET_H
#define LEASH_TARGET_H

#include "driver.h"
#include "oci-read.h"
#include "policy.h"
#include "scmp-json.h"

enum tgt_kind {
	TGT_POLICY,		/* .leash */
	TGT_SECCOMP,		/* Docker/OCI seccomp JSON */
	TGT_BPF,		/* raw struct sock_filter[] */
	TGT_CONFIG,		/* OCI config.json */
	TGT_INSPECT,		/* one container of 'docker inspect' */
};

/* A filesystem or network statement, as text. */
struct tgt_stmt {
	char *text;		/* whitespace collapsed */
	char *where;		/* "file:line", or NULL */
};
VEC(tgt_stmt_vec, struct tgt_stmt);

enum tgt_seccomp {
	TGT_SC_NONE,		/* the input runs without seccomp */
	TGT_SC_FILTER,		/* @bpf is what the kernel runs */
	TGT_SC_UNSEEN,		/* docker inspect: dockerd's default
				 * profile, whose text is not there */
};

/* How a JSON seccomp profile becomes a filter (--as). */
enum tgt_model {
	TGT_AS_PROFILE,		/* as written: defaultErrnoRet kept,
				 * every name leash knows resolved, no
				 * runtime stub */
	TGT_AS_RUNTIME,		/* as this host's runtime loads it:
				 * dockerd 20.10 (a profile, docker
				 * inspect) or runc (a config.json) with
				 * libseccomp 2.5: names it lacks dropped,
				 * runc's -ENOSYS stub added */
};

struct target {
	enum tgt_kind kind;
	char *name;		/* the path, "path:POLICY", "path[/web]" */

	/* ---- seccomp ---- */
	enum tgt_seccomp seccomp;
	struct sock_filter *bpf;	/* passed bpf_check() */
	size_t bpf_len;
	uint32_t arches;	/* FLAT_ARCH_BIT()s the filter accepts */
	struct ir_filter *ir;	/* TGT_POLICY: for locations */
	const struct sj_profile *sj;	/* a JSON profile: for locations */
	char *sj_file;		/* where @sj was read */
	/* A JSON profile: the names it uses that this libseccomp lacks
	 * ("a, b"), resolved or dropped as the model says; or empty. */
	struct strbuf lacking;
	enum tgt_model model;	/* how @bpf was built from a profile */

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
	struct tgt_stmt_vec fs, net;
	const struct oci_container *oc;	/* TGT_CONFIG, TGT_INSPECT */
	const struct ast_policy *policy;	/* TGT_POLICY */
};

/* Everything one input file loaded into. */
struct tgt_file {
	struct target *t;
	size_t n;
	struct leash_ctx *ctx;	/* TGT_POLICY: owns the AST locations */
	struct sj_profile *sj;
	struct oci_doc doc;
	char *label;		/* the file name as given */
};

struct tgt_opts {
	struct str_vec include_dirs;	/* -I, borrowed */
	enum tgt_model model;
	/* A Docker JSON profile is resolved for this capability set
	 * (its includes.caps / excludes.caps): Docker's default unless
	 * set. */
	bool has_caps;
	uint64_t caps;
};

/*
 * Load @path: "FILE" or, for a .leash file defining several policies,
 * "FILE:POLICY".  Errors (located where the input allows) go to stderr.
 * Returns 0, or -EINVAL / -errno; release @out with tgt_file_free()
 * either way.
 */
int tgt_load(const char *path, const struct tgt_opts *o,
	     struct tgt_file *out);

void tgt_file_free(struct tgt_file *f);

/*
 * The options diff and audit share, into @o: --json (*@json), -I DIR,
 * --cap-add/--cap-drop (Docker's default set with the names dropped,
 * then added, as oci_docker_caps() reads them; o->has_caps when any is
 * given), --as profile|runtime and --help.  @cmd is "diff" or "audit",
 * @operands the rest of its usage line ("A B").  Returns true with the
 * operands at argv[optind...]; false with *@exit_code set after --help
 * (0) or after printing what is wrong (EXIT_USAGE).  Free
 * o->include_dirs either way.
 */
bool tgt_parse_opts(int argc, char **argv, const char *cmd,
		    const char *operands, struct tgt_opts *o, bool *json,
		    int *exit_code);
/* "leash @cmd: @msg" and the usage line to stderr; EXIT_USAGE. */
int tgt_usage(const char *cmd, const char *operands, const char *msg);
/* What the model did with the profile's names this libseccomp lacks,
 * as one sentence, or NULL when it uses none.  Free the result. */
char *tgt_model_note(const struct target *t);

/* Where capability @cap comes from ("file:line": the statement that
 * adds it, for a policy), or t->caps_where.  Free the result. */
char *tgt_cap_where(const struct target *t, int cap);

/* Where the rule deciding syscall @nr on @arch for @args comes from
 * ("file:line"), or NULL.  Free the result. */
char *tgt_where(const struct target *t, enum leash_arch arch, int64_t nr,
		const uint64_t args[6]);

/* Append @s to @sb as a JSON string, quotes included ("null" for NULL). */
void tgt_json_str(struct strbuf *sb, const char *s);

/* ---- simulation (sim-bpf.c) -------------------------------------------- */

/* The filter's answer; SECCOMP_RET_ALLOW without a filter. */
uint32_t sim_action(const struct target *t, enum leash_arch arch,
		    int64_t nr, const uint64_t args[6], uint16_t *loaded);

/* Whether the simulations so far ran more instructions than leash
 * allows itself: the callers then stop with an error rather than run
 * for hours on a hostile filter. */
bool sim_over_budget(void);

/* Which arches @t's filter accepts (sets t->arches). */
void sim_arches(struct target *t);

/* The syscall numbers worth asking about on @arch: every one leash
 * knows, then max + 1 and max + 64 (numbers newer than the tables). */
size_t sim_numbers(enum leash_arch arch, int64_t **out);

struct sim_vec {
	uint64_t a[6];
};
VEC(sim_vec_list, struct sim_vec);

/*
 * Argument vectors that exercise every comparison of @n filters for
 * syscall @nr on @arch: the zero vector first, then values around each
 * constant the programs compare the argument words with (with upper
 * halves set and not), alone and combined.  Only arguments the programs
 * read are varied.  Empty when no program reads an argument.
 */
void sim_vectors(const struct target *const *t, size_t n,
		 enum leash_arch arch, int64_t nr, struct sim_vec_list *out);

/* How much an action lets through: allow > log > notify/trace > errno >
 * trap > kill. */
int sim_rank(uint32_t action);
/* "allow", "errno(EPERM)", "kill_process", ... */
const char *sim_action_str(uint32_t action, char *buf, size_t len);
/* "socket(0x100000028, 0x1)": the arguments up to the last nonzero. */
char *sim_call_str(const char *name, const uint64_t a[6]);
/* The name of @nr on @arch, or "nr 1234" (unknown) into @buf. */
const char *sim_nr_name(enum leash_arch arch, int64_t nr, char *buf,
			size_t len);

#endif
