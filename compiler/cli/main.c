/* SPDX-License-Identifier: MIT */
/*
 * main.c - the leash command line: subcommand dispatch and options.
 *
 * Exit status (LANGUAGE.md section 9): 0 success, 1 the input has
 * errors, 2 usage error.  A subcommand this build does not have says so
 * with exit 2: it never pretends to succeed.
 */
#include "pipeline/driver.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"Usage: leash COMMAND [OPTIONS] FILE...\n"
	"\n"
	"Compile one policy language into every confinement a Linux runtime\n"
	"needs: seccomp filters, capabilities, AppArmor, OCI and docker flags.\n"
	"\n"
	"Commands:\n"
	"  check FILE...     parse and check policies; report every problem\n"
	"  compile FILE      write each policy's artifacts: NAME.bpf,\n"
	"                    NAME.seccomp.json, NAME.pfc, NAME.apparmor,\n"
	"                    NAME.oci.json, NAME.docker, NAME.bundle\n"
	"  explain FILE CALL run CALL, e.g. 'socket(AF_INET, SOCK_STREAM, 0)',\n"
	"                    through the compiled filter; show the deciding rule\n"
	"  run FILE -- CMD   compile in memory and run CMD under leash-exec\n"
	"  oci-merge [-o FILE] CONFIG FRAGMENT...\n"
	"                    merge NAME.oci.json into an OCI config.json\n"
	"  import PROFILE    turn a Docker/OCI profile into a policy\n"
	"  diff A B          semantic difference of two policies or profiles\n"
	"  audit TARGET      review a policy or profile for risks\n"
	"\n"
	"Options:\n"
	"  -I DIR            search DIR for include <...> (repeatable)\n"
	"  -v, --verbose     check: also list syscalls skipped on some arches\n"
	"                    and what a target cannot enforce\n"
	"      --werror      treat warnings as errors\n"
	"  -p, --policy NAME compile/explain: only this policy (default: the\n"
	"                    policies the file itself defines)\n"
	"  -o, --output DIR  compile: write the artifacts into DIR (default .)\n"
	"  -t, --target LIST compile: some of bpf,json,pfc,apparmor,oci,docker,\n"
	"                    bundle (default all)\n"
	"  -b, --backend B   compile: 'native' (default) or 'libseccomp' for\n"
	"                    NAME.bpf\n"
	"  -a, --arch A      explain: the arch of the call (default: the\n"
	"                    policy's first)\n"
	"  -h, --help        show this help\n"
	"  -V, --version     show the version\n"
	"\n"
	"Exit status: 0 success, 1 errors in the input, 2 usage error.\n"
	"The language is described in leash(5); include <...> also searches\n"
	"the installed profiles in " LEASH_PROFILE_DIR ".\n";

static int usage_error(const char *fmt, ...) LEASH_PRINTF(1, 2);
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("leash: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'leash --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

/*
 * check runs everything compile runs, in memory: lowering and every
 * backend can find errors the front end cannot (a constant too wide for
 * an argument on one arch, a rule a target cannot express), and a
 * policy that checks cleanly must compile.
 */
static int check_one(const struct front_opts *o, const char *path)
{
	struct note_vec notes = { 0 };
	struct leash_ctx ctx;
	size_t i;
	int rc;

	leash_ctx_init(&ctx, stderr);
	if (front_run(&ctx, o, path) == 0) {
		for (i = 0; i < ctx.policies.n; i++) {
			struct artifacts a;

			build_artifacts(&ctx, ctx.policies.v[i], BACKEND_NATIVE,
					TARGET_DEFAULT, "/", &a, &notes);
			artifacts_free(&a);
		}
		if (o->verbose)
			notes_print(&ctx.diag, &notes);
	}
	diag_summary(&ctx.diag);
	rc = diag_failed(&ctx.diag) ? EXIT_INPUT : 0;
	notes_free(&notes);
	leash_ctx_fini(&ctx);
	return rc;
}

static int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "werror", no_argument, NULL, 'E' },
		{ "include", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct front_opts o = { 0 };
	int c, rc = 0, i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "vI:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'v':
			o.verbose = true;
			break;
		case 'E':
			o.werror = true;
			break;
		case 'I':
			VEC_PUSH(&o.include_dirs, optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			VEC_FREE(&o.include_dirs);
			return 0;
		default:
			VEC_FREE(&o.include_dirs);
			return usage_error("%s", "check: bad option");
		}
	}
	if (optind >= argc) {
		VEC_FREE(&o.include_dirs);
		return usage_error("%s", "check: no input files");
	}
	for (i = optind; i < argc; i++)
		if (check_one(&o, argv[i]) != 0)
			rc = EXIT_INPUT;
	VEC_FREE(&o.include_dirs);
	return rc;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "check", cmd_check },
	{ "compile", cmd_compile },
	{ "explain", cmd_explain },
	{ "oci-merge", cmd_oci_merge },
	{ "run", cmd_run },
	{ "import", cmd_import },
	{ "diff", cmd_diff },
	{ "audit", cmd_audit },
};

int main(int argc, char **argv)
{
	const char *cmd;
	size_t i;

	if (argc < 2)
		return usage_error("%s", "no command given");
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("leash %s (language version 1)\n", PACKAGE_VERSION);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	return usage_error("unknown command '%s'", cmd);
}
