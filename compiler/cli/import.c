/* SPDX-License-Identifier: MIT */
/*
 * import.c - the 'leash import' command: options, then the import
 * (interop/import.h), then the policy written atomically or printed.
 */
#include "cli/cli.h"
#include "interop/import.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_cmd import_cmd = {
	.name = "import",
	.opts = CLI_POLICY | CLI_OUTPUT | CLI_IMPORT,
	.synopsis = "[-p NAME] [-o FILE] [--caps docker|none|CAP,...] "
		    "[--kernel VERSION] [--host HOST|all] "
		    "PROFILE.json|CONFIG.json",
	.min_args = 1,
	.max_args = 1,
	.help = "Turn a Docker, OCI or podman seccomp profile into a leash "
		"policy that\ncompiles to the same filter; from an OCI "
		"config.json, also its capabilities,\nnoNewPrivileges, user, "
		"namespaces, read-only root, masked and read-only\npaths, "
		"rlimits and resources (its capabilities then replace "
		"--caps).\n"
		"  -p, --policy NAME   the policy's name (default: the file's "
		"base name)\n"
		"  --caps SET          the capabilities that decide "
		"\"includes\"/\"excludes\"\n"
		"                      (default: docker, Docker's default "
		"set)\n"
		"  --kernel VERSION    the kernel that decides minKernel "
		"(default: this one)\n"
		"  --host HOST         the host that decides archMap and "
		"\"arches\" (moby's\n"
		"                      names: amd64, arm64, ...; default: "
		"this one; 'all':\n"
		"                      every arch, with `when arch`)\n"
		"  -o, --output FILE   write there (default: standard "
		"output)\n",
};

/* The policy to -o FILE, atomically, or to standard output. */
static int put(struct diag *d, const char *output, const struct strbuf *out)
{
	int rc;

	if (output) {
		_cleanup_free_ char *dd = xstrdup(output);
		_cleanup_free_ char *b = xstrdup(output);

		rc = write_atomic(dirname(dd), basename(b), out->s, out->len);
		if (rc < 0)
			diag_plain_error(d, "%s: %s", output, strerror(-rc));
		return rc;
	}
	fwrite(out->s, 1, out->len, stdout);
	return fflush(stdout) ? -EIO : 0;
}

int cmd_import(int argc, char **argv)
{
	struct strbuf out = { 0 };
	struct imp_opts io;
	struct cli_opts o;
	struct diag d;
	int rc = cli_parse(&import_cmd, argc, argv, &o);

	if (rc >= 0)
		goto done;
	io = (struct imp_opts){ o.policy, o.caps, o.kernel, o.host };
	diag_init(&d, stderr);
	d.prog = "leash import";
	rc = imp_run(o.args[0], &io, &out, &d);
	if (rc == 0)
		rc = put(&d, o.output, &out);
	diag_fini(&d);
	sb_free(&out);
	rc = rc == -EDOM ? EXIT_USAGE : rc < 0 ? EXIT_INPUT : 0;
done:
	cli_opts_free(&o);
	return rc;
}
