/* SPDX-License-Identifier: MIT */
/*
 * complain.h - complain mode (complain.c): run a command under a policy
 * with everything it says enforced by leash-exec, except that what the
 * seccomp filter, Landlock's paths and its ports would deny is allowed,
 * said on stderr as it happens and kept as observations.  'leash run
 * --complain' and 'leash record --base' use it.
 */
#ifndef LEASH_CLI_COMPLAIN_H
#define LEASH_CLI_COMPLAIN_H

#include "cli/cli.h"
#include "record/trace.h"
#include "targets/landlock.h"

/* run.c: the bundle in a descriptor for leash-exec, where that is, and
 * its command line: SHIM SHIM_ARGS /proc/self/fd/FD -- CMD..., a new
 * NULL-terminated array of borrowed strings (@fdpath, the caller's,
 * holds the descriptor's path). */
int bundle_fd(const void *data, size_t len);
char *find_shim(void);
char **shim_argv(char *shim, const struct str_vec *shim_args, int fd,
		 char **cmd, int n_cmd, char fdpath[32]);

struct complain {
	const char *prog;		/* "leash run --complain" */
	struct leash_ctx ctx;
	const struct ast_policy *policy;
	struct flat_policy fp;
	bool have_fp;
	struct seccomp_out sc;		/* the policy's own filter: what it
					 * decides, and by which rule */
	struct ll_ruleset ll;		/* what Landlock would allow, its
					 * paths resolved */
	int fd;				/* the complain bundle, or -1 */
	struct str_vec said;		/* the denials said, once each */
	struct rec_obs *obs;		/* complain_run()'s, for the socket
					 * families the network section
					 * refuses */
	size_t n_denials;		/* every one, repeats included */
};

/*
 * Compile policy file @file (-p @o->policy) for complain mode into @c:
 * the seccomp filter with every action but allow and log turned into
 * SECCOMP_RET_TRACE, the calls that use a path or a TCP port traced
 * too when the policy has Landlock rules, and no Landlock ruleset.
 * Returns 0, or EXIT_INPUT after the errors went to stderr.  Release
 * with complain_fini() either way.
 */
int complain_build(struct complain *c, const char *prog,
		   const struct cli_opts *o, const char *file);
/* The same, for 'leash record --verify': the policy's own bundle, its
 * filter and Landlock ruleset as they are. */
int complain_build_real(struct complain *c, const char *prog,
			const struct cli_opts *o, const char *file);

/*
 * --verify's second run: @cmd under leash-exec with the real bundle,
 * every call of the program traced to its exit; each that fails with
 * EPERM or EACCES while its key is in @ok (it succeeded while
 * recording) is said on stderr, with whether the policy's filter
 * refuses it.  Returns as complain_run(); c->n_denials counts them.
 */
int complain_verify(struct complain *c, char **cmd, int n_cmd,
		    struct rec_keys *ok, bool *ran);

/*
 * Run @cmd through leash-exec (with @shim_args) under the tracer;
 * what would be denied is said on stderr and counted in @obs.  Returns
 * the exit status as a shell gives it (*ran set), or -1 when the tracer
 * cannot run here (said why).
 */
int complain_run(struct complain *c, const struct str_vec *shim_args,
		 char **cmd, int n_cmd, struct rec_obs *obs,
		 rec_flush_fn flush, void *arg, bool *ran);

void complain_fini(struct complain *c);

#endif
