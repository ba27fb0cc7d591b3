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
 * policy has errors) and 2 (usage).
 */
#include "pipeline/driver.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* What leash-exec returns for its own failures. */
#define EXIT_SHIM 125

static int usage(const char *msg)
{
	fprintf(stderr, "leash run: %s\n"
		"Usage: leash run FILE [-p POLICY] [-I DIR] [--dry-run] "
		"[--apparmor=optional] [--cgroup=optional] -- CMD [ARG...]\n",
		msg);
	return EXIT_USAGE;
}

static struct ast_policy *pick_policy(struct leash_ctx *ctx, const char *only)
{
	struct ast_file *root = ctx->files.v[0];
	struct ast_policy *p;

	if (only) {
		p = res_find_policy(ctx, only);
		if (!p)
			diag_plain_error(&ctx->diag, "no policy '%s' in %s",
					 only, root->src->name);
		return p;
	}
	if (root->policies.n == 1)
		return root->policies.v[0];
	diag_plain_error(&ctx->diag, root->policies.n ?
			 "%s defines several policies: choose one with -p" :
			 "%s defines no policy", root->src->name);
	return NULL;
}

/*
 * A descriptor holding @len bytes of @data, open across exec: a sealed
 * memfd, else an unlinked temporary file.  Returns it or -errno.
 */
static int bundle_fd(const void *data, size_t len)
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
static char *find_shim(void)
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

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "include", required_argument, NULL, 'I' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "apparmor", required_argument, NULL, 'A' },
		{ "cgroup", required_argument, NULL, 'C' },
		{ "werror", no_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct front_opts o = { 0 };
	struct note_vec notes = { 0 };
	struct str_vec shim_args = { 0 };
	const char *only = NULL, *file;
	struct leash_ctx ctx;
	struct ast_policy *p;
	struct artifacts a;
	char **cmd, *shim, fdpath[32];
	int c, i, dash, fd, n_cmd, err;

	/* Everything after '--' is the command's, options included. */
	for (dash = 1; dash < argc && strcmp(argv[dash], "--") != 0; dash++)
		;
	if (dash >= argc || dash + 1 >= argc)
		return usage("expected '--' and a command after the policy "
			     "file");
	cmd = argv + dash + 1;
	n_cmd = argc - dash - 1;

	optind = 1;
	while ((c = getopt_long(dash, argv, "p:I:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': only = optarg; break;
		case 'I': VEC_PUSH(&o.include_dirs, optarg); break;
		case 'E': o.werror = true; break;
		case 'n': VEC_PUSH(&shim_args, "--dry-run"); break;
		case 'A':
		case 'C': {
			static const char *const flag[2][2] = {
				{ "--apparmor=optional",
				  "--apparmor=required" },
				{ "--cgroup=optional", "--cgroup=required" },
			};
			int req = strcmp(optarg, "required") == 0;

			if (!req && strcmp(optarg, "optional") != 0) {
				VEC_FREE(&o.include_dirs);
				VEC_FREE(&shim_args);
				return usage("--apparmor and --cgroup take "
					     "'optional' or 'required'");
			}
			VEC_PUSH(&shim_args, (char *)flag[c == 'C'][req]);
			break;
		}
		case 'h':
			VEC_FREE(&o.include_dirs);
			VEC_FREE(&shim_args);
			printf("Usage: leash run FILE [-p POLICY] [-I DIR] "
			       "[--dry-run] [--apparmor=optional] "
			       "[--cgroup=optional] -- CMD [ARG...]\n");
			return 0;
		default:
			VEC_FREE(&o.include_dirs);
			VEC_FREE(&shim_args);
			return usage("bad option");
		}
	}
	if (optind + 1 != dash) {
		VEC_FREE(&o.include_dirs);
		VEC_FREE(&shim_args);
		return usage("expected exactly one policy file before '--'");
	}
	file = argv[optind];

	leash_ctx_init(&ctx, stderr);
	memset(&a, 0, sizeof(a));
	fd = -1;
	if (front_run(&ctx, &o, file) == 0 &&
	    (p = pick_policy(&ctx, only)) != NULL)
		build_artifacts(&ctx, p, BACKEND_NATIVE, TARGET_BUNDLE, ".",
				&a, &notes);
	/* What the kernel will not enforce is worth seeing when trying a
	 * policy: the notes go out before the command runs. */
	notes_print(&ctx.diag, &notes);
	if (!diag_failed(&ctx.diag)) {
		fd = bundle_fd(a.bundle.s, a.bundle.len);
		if (fd < 0)
			diag_plain_error(&ctx.diag, "bundle in memory: %s",
					 strerror(-fd));
	}
	diag_summary(&ctx.diag);
	err = diag_failed(&ctx.diag);
	artifacts_free(&a);
	notes_free(&notes);
	leash_ctx_fini(&ctx);
	VEC_FREE(&o.include_dirs);
	if (err) {
		VEC_FREE(&shim_args);
		if (fd >= 0)
			close(fd);
		return EXIT_INPUT;
	}

	shim = find_shim();
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	{
		/* leash-exec OPTIONS /proc/self/fd/N -- CMD... NULL */
		char **args = xcalloc(shim_args.n + (size_t)n_cmd + 4,
				      sizeof(*args));
		size_t k = 0;

		args[k++] = shim;
		for (i = 0; i < (int)shim_args.n; i++)
			args[k++] = (char *)shim_args.v[i];
		args[k++] = fdpath;
		args[k++] = (char *)"--";
		for (i = 0; i < n_cmd; i++)
			args[k++] = cmd[i];
		args[k] = NULL;
		fflush(NULL);
		if (strchr(shim, '/'))
			execv(shim, args);
		else
			execvp(shim, args);
		fprintf(stderr, "leash run: cannot run leash-exec '%s': %s\n",
			shim, strerror(errno));
		free(args);
	}
	free(shim);
	VEC_FREE(&shim_args);
	close(fd);
	return EXIT_SHIM;
}
