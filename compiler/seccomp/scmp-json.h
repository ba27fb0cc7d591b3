/* SPDX-License-Identifier: MIT */
/*
 * scmp-json.h - read a Docker/OCI seccomp profile and compile it the way
 * runc does (libseccomp plus runc's -ENOSYS stub).
 *
 * Two steps with a plain data structure between them, so that
 * 'leash import' can read a profile without compiling it:
 *
 *   sj_parse()    JSON text -> struct sj_profile (everything the Docker
 *                 and OCI formats define, nothing interpreted yet)
 *   sj_compile()  struct sj_profile -> raw BPF, as runc 1.1 builds it;
 *                 SJ_DOCKER first resolves what dockerd resolves
 *                 (includes/excludes, archMap, 'name').
 *
 * The tests use the pair as the oracle for emit-json.c: "what a container
 * actually gets from this profile".
 */
#ifndef LEASH_SCMP_JSON_H
#define LEASH_SCMP_JSON_H

#include "common/diag.h"

#include <linux/filter.h>
#include <seccomp.h>

enum sj_action {
	SJ_ACT_NONE,		/* absent or "" */
	SJ_ACT_KILL,		/* kills the thread, as in libseccomp */
	SJ_ACT_KILL_PROCESS,
	SJ_ACT_KILL_THREAD,
	SJ_ACT_TRAP,
	SJ_ACT_ERRNO,
	SJ_ACT_TRACE,
	SJ_ACT_ALLOW,
	SJ_ACT_LOG,
	SJ_ACT_NOTIFY,
	SJ_ACT_INVALID,		/* a string no runtime knows */
};

struct sj_arg {
	unsigned int index;
	uint64_t value;		/* MASKED_EQ: the mask */
	uint64_t value_two;	/* MASKED_EQ: the value */
	enum scmp_compare op;	/* _SCMP_CMP_MIN: unknown operator */
	char *op_str;		/* as written, for messages */
	int line, col;		/* the argument object */
	int op_line, op_col;	/* its "op" value */
};

struct sj_strs {
	char **v;
	size_t n;
	int (*loc)[2];		/* line and column of each string */
};

/* Docker's "includes" / "excludes": resolved by dockerd, not runc. */
struct sj_filter {
	struct sj_strs arches;	/* moby's host arch names: "amd64" ... */
	struct sj_strs caps;	/* "CAP_SYS_ADMIN" ... */
	char *min_kernel;	/* "4.8" */
};

struct sj_syscall {
	struct sj_strs names;
	char *name;		/* Docker's older single "name" */
	enum sj_action action;
	char *action_str;	/* as written, for messages */
	bool has_errno_ret;
	uint64_t errno_ret;	/* SCMP_ACT_ERRNO's errno, TRACE's data */
	char *errno_name;	/* podman's symbolic "errno": "EPERM" */
	struct sj_arg *args;
	size_t n_args;
	struct sj_filter includes, excludes;
	char *comment;
	int line, col;
	int action_line, action_col;
};

struct sj_arch_map {
	char *arch;
	struct sj_strs sub;
};

struct sj_profile {
	enum sj_action default_action;
	char *default_action_str;
	bool has_default_errno_ret;
	uint64_t default_errno_ret;
	char *default_errno_name;	/* podman's "defaultErrno": "ENOSYS" */
	int default_line, default_col;	/* "defaultAction"'s value */
	struct sj_strs arches;	/* "SCMP_ARCH_X86_64" ... */
	struct sj_arch_map *arch_map;	/* Docker only */
	size_t n_arch_map;
	struct sj_strs flags;
	char *listener_path;
	struct sj_syscall *sys;
	size_t n_sys;
};

/*
 * Parse @src (JSON; libyaml reads it, so YAML flow syntax is accepted
 * too).  A whole OCI config.json is accepted: its linux.seccomp is read.
 * Field names match as Go's encoding/json matches them (any case, Unicode
 * folding), unknown fields are ignored, and a repeated field takes the
 * last value; a whole config with "linux" or "seccomp" twice is refused.
 * Returns 0, or -EINVAL after a located error to @d.
 *
 * containers/common's symbolic "errno" / "defaultErrno" are read into
 * errno_name / default_errno_name; sj_compile() uses them in SJ_PODMAN
 * mode where the number is missing, and ignores them otherwise.
 */
int sj_parse(const struct src_file *src, struct sj_profile **out,
	     struct diag *d);
/* sj_parse() of node @n of a document loaded with rd_load() (oci-read.c:
 * a config's linux.seccomp, as it found it); errors go to @r. */
struct rd;
struct yaml_node_s;
int sj_parse_node(struct rd *r, const struct yaml_node_s *n,
		  struct sj_profile **out);
void sj_profile_destroy(struct sj_profile **p);

enum sj_action sj_action_by_name(const char *s);
const char *sj_action_name(enum sj_action a);
/* runc's getAction(): SCMP_ACT_KILL kills the thread; an errno or trace
 * action without errnoRet gets EPERM; the data is truncated to int16. */
uint32_t sj_action_value(enum sj_action a, bool has_ret, uint64_t ret);

enum sj_mode {
	SJ_RUNC,		/* the profile is an OCI linux.seccomp */
	SJ_DOCKER,		/* dockerd 20.10 resolves it first */
	SJ_PODMAN,		/* containers/common: as dockerd, but it
				 * passes defaultErrnoRet on */
};

struct sj_opts {
	enum sj_mode mode;
	bool no_enosys_stub;	/* leave out runc's stub (inspection only) */
	/*
	 * Resolve the names this libseccomp lacks (mseal, statmount, ...)
	 * from leash's tables instead of dropping them, as a runtime with
	 * a current libseccomp does: the profile as written.  Their rules
	 * go into a prologue; a rule with arguments for such a name is an
	 * error (-EOPNOTSUPP).
	 */
	bool leash_names;
	/* Optional, out: "name, name" of the names this libseccomp lacks
	 * that the kept entries use (taken from leash's tables with
	 * leash_names, dropped as runc drops them without). */
	struct strbuf *lacking;
	/* SJ_DOCKER: the host that dockerd resolves the profile for. */
	const char *host_arch;	/* moby's name ("amd64"); NULL: this host */
	const char *const *caps;	/* the bounding set, "CAP_..." */
	size_t n_caps;
	const char *kernel;	/* "6.1"; NULL: the running kernel */
};

/*
 * Build the filter runc would load for @p: *@prog / *@len (free() it),
 * or with @o->leash_names and @o->no_enosys_stub, the profile's own
 * meaning with every name resolved.
 * A profile with neither a default action nor syscalls disables seccomp
 * in runc: that returns 0 with *@prog NULL.  Whatever runc refuses is an
 * error here too (-EINVAL, reported to @d, at the diag's scope).  @o may
 * be NULL (SJ_RUNC).
 */
int sj_compile(const struct sj_profile *p, const struct sj_opts *o,
	       struct sock_filter **prog, size_t *len, struct diag *d);

/*
 * A profile's minKernel test as moby makes it: whether @kernel ("6.1",
 * "5.10.0-8-amd64"; NULL: the running kernel) is at least @min,
 * comparing kernel, major and minor.
 */
bool sj_kernel_ge(const char *kernel, const char *min);
/* Whether @x is one of the strings of @s. */
bool sj_strs_has(const struct sj_strs *s, const char *x);

#endif
