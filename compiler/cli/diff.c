/* SPDX-License-Identifier: MIT */
/*
 * diff.c - 'leash diff A B': the semantic difference of two
 * confinements (interop/diff.h).
 *
 * Exit status: 0 equal, 1 different, 2 usage error, 3 input error (1
 * is taken by "different", as for diff(1) and cmp(1)).
 */
#include "cli/cli.h"
#include "interop/diff.h"

#include <errno.h>

#define EXIT_DIFFER 1
#define EXIT_DIFF_INPUT 3

static const struct cli_cmd diff_cmd = {
	.name = "diff",
	.opts = CLI_INCLUDE | CLI_JSON | CLI_CAP_EDIT | CLI_AS,
	.synopsis = "[--json] [-I DIR] [--cap-add CAP] [--cap-drop CAP] "
		    "[--as profile|runtime] A B",
	.min_args = 2,
	.max_args = 2,
	.help = "Compare two confinements, each a policy (FILE or "
		"FILE:POLICY), a Docker/OCI\nseccomp profile, a raw .bpf, an "
		"OCI config.json or 'docker inspect' output,\nby running both "
		"filters over every syscall of every arch, and by every\n"
		"setting: capabilities, filesystem, network, process, "
		"namespaces, AppArmor,\nlimits and rlimits, each with where A "
		"and B say it.\n"
		"  --as profile   read a JSON profile as written (default)\n"
		"  --as runtime   read it as this host's dockerd and runc "
		"load it\n",
};

/* A 'docker inspect' output of several containers: which one? */
static bool one_target(struct model_file *f)
{
	if (f->n == 1)
		return true;
	diag_file_error(&f->diag, f->label, "holds %zu containers; diff "
			"compares one with one", f->n);
	return false;
}

int cmd_diff(int argc, char **argv)
{
	struct model_file fa = { 0 }, fb = { 0 };
	struct cli_opts o;
	int rc = cli_parse(&diff_cmd, argc, argv, &o);

	if (rc >= 0)
		goto done;
	rc = EXIT_DIFF_INPUT;
	if (model_load(o.args[0], &o.model, &fa) < 0 ||
	    model_load(o.args[1], &o.model, &fb) < 0 || !one_target(&fa) ||
	    !one_target(&fb))
		goto out;
	switch (diff_models(&fa.t[0], &fb.t[0], o.json)) {
	case 0:
		rc = 0;
		break;
	case 1:
		rc = EXIT_DIFFER;
		break;
	default:
		diag_plain_error(&fa.diag, "the filters take too long to "
				 "simulate; no answer");
		break;
	}
out:
	model_file_free(&fa);
	model_file_free(&fb);
done:
	cli_opts_free(&o);
	return rc;
}
