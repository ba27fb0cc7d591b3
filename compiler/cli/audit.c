/* SPDX-License-Identifier: MIT */
/*
 * audit.c - 'leash audit TARGET': findings against container hardening
 * practice and the known ways out of a container (interop/audit.h).
 *
 * Exit status: 0 nothing above info, 3 worst is low, 4 medium, 5 high;
 * 1 input error, 2 usage error.
 */
#include "cli/cli.h"
#include "interop/audit.h"

static const struct cli_cmd audit_cmd = {
	.name = "audit",
	.opts = CLI_INCLUDE | CLI_JSON | CLI_CAP_EDIT | CLI_AS,
	.synopsis = "[--json] [-I DIR] [--cap-add CAP] [--cap-drop CAP] "
		    "[--as profile|runtime] TARGET",
	.min_args = 1,
	.max_args = 1,
	.help = "Review a policy, a Docker/OCI seccomp profile, a raw .bpf, "
		"an OCI config.json\nor 'docker inspect' output against known "
		"escape routes: one line per finding,\nwith a severity and a "
		"reason.\n"
		"  --cap-add, --cap-drop   the capabilities a seccomp profile "
		"runs with\n                          (default: Docker's)\n",
};

int cmd_audit(int argc, char **argv)
{
	struct model_file f = { 0 };
	struct strbuf out = { 0 };
	struct cli_opts o;
	int worst, rc = cli_parse(&audit_cmd, argc, argv, &o);

	if (rc >= 0)
		goto done;
	rc = EXIT_INPUT;
	if (model_load(o.args[0], &o.model, &f) < 0)
		goto out;
	if (o.model.has_caps && f.t[0].kind != MODEL_SECCOMP) {
		rc = cli_usage(&audit_cmd, "--cap-add/--cap-drop apply to a "
			       "seccomp profile only: the other inputs say "
			       "their capabilities");
		goto out;
	}
	worst = audit_models(&f, o.json, &out);
	if (worst < 0) {
		diag_plain_error(&f.diag, "the filter takes too long to "
				 "simulate; no answer");
		goto out;
	}
	fputs(out.s, stdout);
	rc = worst == 0 ? 0 : 2 + worst;
out:
	sb_free(&out);
	model_file_free(&f);
done:
	cli_opts_free(&o);
	return rc;
}
