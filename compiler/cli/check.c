/* SPDX-License-Identifier: MIT */
/*
 * check.c - 'leash check FILE...': every problem of every policy.
 *
 * check runs everything compile runs, in memory: lowering and every
 * backend can find errors the front end cannot (a constant too wide for
 * an argument on one arch, a rule a target cannot express), and a
 * policy that checks cleanly must compile.  With -t, only those targets
 * are built, as 'compile -t' would: a policy meant for the BPF filter
 * alone need not fit a JSON profile.
 */
#include "cli/cli.h"

static const struct cli_cmd check_cmd = {
	.name = "check",
	.opts = CLI_INCLUDE | CLI_VERBOSE | CLI_WERROR | CLI_TARGET |
		CLI_STRICT,
	.synopsis = "[-t LIST] [-I DIR] [-v] [--werror] [--strict] FILE...",
	.min_args = 1,
	.max_args = -1,
	.help = "Parse and check policies, and build every artifact in "
		"memory; report every\nproblem, GCC-style.\n"
		"  -t LIST    check only some of bpf, json, pfc, seccomp, "
		"apparmor, oci,\n             docker, bundle, podman, all "
		"(default: all)\n"
		"  -v         also list syscalls skipped on some arches and "
		"what a target\n             cannot enforce\n"
		"  --werror   treat warnings as errors\n"
		"  --strict   what a target cannot enforce is an error\n",
};

static int check_one(const struct cli_opts *o, const char *path)
{
	struct leash_ctx ctx;
	size_t i;
	int rc;

	leash_ctx_init(&ctx, stderr);
	ctx.diag.prog = "leash check";
	if (front_run(&ctx, &o->front, path) == 0) {
		for (i = 0; i < ctx.policies.n; i++) {
			struct artifacts a;

			build_artifacts(&ctx, ctx.policies.v[i], BACKEND_NATIVE,
					o->targets, "/", &a);
			artifacts_free(&a);
		}
		diag_flush_notes(&ctx.diag, o->front.verbose);
	}
	diag_summary(&ctx.diag);
	rc = diag_failed(&ctx.diag) ? EXIT_INPUT : 0;
	leash_ctx_fini(&ctx);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	struct cli_opts o;
	int i, rc = cli_parse(&check_cmd, argc, argv, &o);

	if (rc < 0) {
		rc = 0;
		for (i = 0; i < o.n_args; i++)
			if (check_one(&o, o.args[i]) != 0)
				rc = EXIT_INPUT;
	}
	cli_opts_free(&o);
	return rc;
}
