/* SPDX-License-Identifier: MIT */
/*
 * run.c - 'leash run FILE [-p POLICY] [-I DIR] -- CMD [ARG...]': compile
 * one policy in memory and run CMD under leash-exec, to try a policy
 * quickly.
 *
 * The bundle goes to a sealed memfd that leash-exec reads as
 * /proc/self/fd/N (and closes, so CMD does not inherit it); nothing is
 * written to disk.  leash-exec is looked for next to this leash (the
 * build tree, or the same bin directory), else $LEASH_EXEC, else PATH.
 * Exit status: CMD's, leash-exec's 125/126/127, or leash's own 1 (the
 * policy has errors) and 2 (usage).  Where the system trust directory
 * exists, 125 at once: its bundle is not signed.
 */
#include "cli/cli.h"
#include "cli/complain.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* What leash-exec returns for its own failures. */
#define EXIT_SHIM 125

static const struct cli_cmd run_cmd = {
	.name = "run",
	.opts = CLI_INCLUDE | CLI_WERROR | CLI_POLICY | CLI_SHIM | CLI_STRICT |
		CLI_COMPLAIN,
	.synopsis = "[-p NAME] [-I DIR] [--werror] [--strict] [--dry-run] "
		    "[--apparmor=optional] [--cgroup=optional] [--complain] "
		    "FILE -- CMD [ARG...]",
	.min_args = 1,
	.max_args = 1,
	.help = "Compile one policy in memory and run CMD under leash-exec "
		"with its bundle.\n"
		"  --strict             what the bundle cannot enforce is an "
		"error: run nothing\n"
		"  --dry-run            print what leash-exec would do, run "
		"nothing\n"
		"  --apparmor=optional  run even where AppArmor cannot apply "
		"the profile\n"
		"  --cgroup=optional    run even where the cgroup limits "
		"cannot apply\n"
		"  --complain           everything enforced, except that the "
		"calls, paths and\n"
		"                       ports the policy would deny are "
		"allowed, and each is\n"
		"                       said on stderr with the rule that "
		"denies it: a learning\n"
		"                       aid, not a sandbox (leash(1))\n",
};

/*
 * A descriptor holding @len bytes of @data, open across exec: a sealed
 * memfd, else an unlinked temporary file.  Returns it or -errno.
 */
int bundle_fd(const void *data, size_t len)
{
	const char *p = data;
	char tmpl[] = "/tmp/leash-run.XXXXXX";
	int fd, rc = 0;

	fd = memfd_create("leash-bundle", MFD_ALLOW_SEALING);
	if (fd < 0) {
		fd = mkstemp(tmpl);
		if (fd < 0)
			return -errno;
		unlink(tmpl);
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			close(fd);
			return rc;
		}
		p += n;
		len -= (size_t)n;
	}
	/* Sealed, the bundle cannot change between leash-exec's check and
	 * its use (memfd only; a temporary file has no seals). */
	(void)fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK |
		    F_SEAL_GROW | F_SEAL_WRITE);
	return fd;
}

/* leash-exec next to /proc/self/exe, else $LEASH_EXEC, else PATH. */
char *find_shim(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *env;

	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			char *path = xasprintf("%.*s/leash-exec",
					       (int)(slash - self), self);

			if (access(path, X_OK) == 0)
				return path;
			free(path);
		}
	}
	env = getenv("LEASH_EXEC");
	if (env && *env)
		return xstrdup(env);
	return xstrdup("leash-exec");
}

/* The policy's bundle in a descriptor for leash-exec; -1 on errors,
 * which went to ctx->diag. */
static int build_bundle(struct leash_ctx *ctx, const struct cli_opts *o)
{
	struct policy_vec pols = { 0 };
	struct artifacts a;
	int fd = -1;

	memset(&a, 0, sizeof(a));
	if (front_run(ctx, &o->front, o->args[0]) == 0 &&
	    cli_policies(ctx, o->policy, 1, &pols) == 0)
		build_artifacts(ctx, pols.v[0], BACKEND_NATIVE, TARGET_BUNDLE,
				".", &a);
	/* What the kernel will not enforce is worth seeing when trying a
	 * policy: the notes go out before the command runs. */
	diag_flush_notes(&ctx->diag, true);
	if (!diag_failed(&ctx->diag)) {
		fd = bundle_fd(a.bundle.s, a.bundle.len);
		if (fd < 0)
			diag_plain_error(&ctx->diag, "bundle in memory: %s",
					 strerror(-fd));
	}
	diag_summary(&ctx->diag);
	if (diag_failed(&ctx->diag) && fd >= 0) {
		close(fd);
		fd = -1;
	}
	artifacts_free(&a);
	VEC_FREE(&pols);
	return fd;
}

char **shim_argv(char *shim, const struct str_vec *shim_args, int fd,
		 char **cmd, int n_cmd, char fdpath[32])
{
	char **args = xcalloc(shim_args->n + (size_t)n_cmd + 4,
			      sizeof(*args));
	size_t k = 0, i;

	snprintf(fdpath, 32, "/proc/self/fd/%d", fd);
	args[k++] = shim;
	for (i = 0; i < shim_args->n; i++)
		args[k++] = shim_args->v[i];
	args[k++] = fdpath;
	args[k++] = (char *)"--";
	for (i = 0; i < (size_t)n_cmd; i++)
		args[k++] = cmd[i];
	args[k] = NULL;
	return args;
}

/* leash-exec OPTIONS /proc/self/fd/N -- CMD...; returns only on error. */
static void exec_shim(struct diag *d, const struct str_vec *shim_args,
		      int fd, char **cmd, int n_cmd)
{
	_cleanup_free_ char *shim = find_shim();
	char fdpath[32];
	char **args = shim_argv(shim, shim_args, fd, cmd, n_cmd, fdpath);

	fflush(NULL);
	if (strchr(shim, '/'))
		execv(shim, args);
	else
		execvp(shim, args);
	diag_plain_error(d, "cannot run leash-exec '%s': %s", shim,
			 strerror(errno));
	free(args);
}

/* --complain: CMD under the tracer, what would be denied said as it
 * happens (complain.c).  The exit status is CMD's, or leash-exec's. */
static int run_complain(const struct cli_opts *o, char **cmd, int n_cmd)
{
	struct complain c;
	struct rec_obs obs;
	bool ran = false;
	int rc = complain_build(&c, "leash run --complain", o, o->args[0]);

	if (rc == 0) {
		obs_init(&obs);
		rc = complain_run(&c, &o->shim_args, cmd, n_cmd, &obs, NULL,
				  NULL, &ran);
		if (rc < 0)
			rc = EXIT_SHIM;
		obs_fini(&obs);
	}
	complain_fini(&c);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct leash_ctx ctx;
	struct cli_opts o;
	int dash, fd, rc;

	/* Everything after '--' is the command's, options included. */
	for (dash = 1; dash < argc && strcmp(argv[dash], "--") != 0; dash++)
		;
	/* Options first, so that 'leash run --help' is help. */
	rc = cli_parse(&run_cmd, dash, argv, &o);
	if (rc >= 0)
		goto done;
	if (dash + 1 >= argc) {
		rc = cli_usage(&run_cmd, "expected '--' and a command after "
				       "the policy file");
		goto done;
	}
	leash_ctx_init(&ctx, stderr);
	ctx.diag.prog = "leash run";
	/* With the system trust directory, leash-exec runs signed bundles
	 * only (runtime-shim/signature.h), and the one built here in
	 * memory is not: say so at once.  leash-exec would refuse it
	 * anyway, after the compile; a directory we cannot look at counts
	 * as there, as it does for leash-exec. */
	if (access(LEASH_TRUST_DIR, F_OK) == 0 || errno != ENOENT) {
		diag_plain_error(&ctx.diag, "signatures are mandatory on this "
				 "machine (%s exists), and 'leash run' builds "
				 "an unsigned bundle in memory: compile it "
				 "with 'leash compile -t bundle', sign it with "
				 "'leash sign', run it with leash-exec",
				 LEASH_TRUST_DIR);
		leash_ctx_fini(&ctx);
		rc = EXIT_SHIM;
		goto done;
	}
	if (o.complain) {
		leash_ctx_fini(&ctx);
		rc = run_complain(&o, argv + dash + 1, argc - dash - 1);
		goto done;
	}
	fd = build_bundle(&ctx, &o);
	rc = EXIT_INPUT;
	if (fd >= 0) {
		exec_shim(&ctx.diag, &o.shim_args, fd, argv + dash + 1,
			  argc - dash - 1);
		close(fd);
		rc = EXIT_SHIM;
	}
	leash_ctx_fini(&ctx);
done:
	cli_opts_free(&o);
	return rc;
}
