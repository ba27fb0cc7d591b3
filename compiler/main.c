/* SPDX-License-Identifier: MIT */
/*
 * main.c - the leash command line: subcommand dispatch and options.
 *
 * Exit status (LANGUAGE.md section 9): 0 success, 1 the input has
 * errors, 2 usage error.  A subcommand this build does not have says so
 * with exit 2: it never pretends to succeed.
 */
#include "front.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_INPUT 1
#define EXIT_USAGE 2

static const char usage_text[] =
	"Usage: leash COMMAND [OPTIONS] FILE...\n"
	"\n"
	"Compile one policy language into every confinement a Linux runtime\n"
	"needs: seccomp filters, capabilities, AppArmor, OCI and docker flags.\n"
	"\n"
	"Commands:\n"
	"  check FILE...     parse and check policies; report every problem\n"
	"  compile FILE      write the artifacts of each policy (not yet)\n"
	"  explain FILE CALL show which rule decides a system call (not yet)\n"
	"  import PROFILE    turn a Docker/OCI profile into a policy (not yet)\n"
	"  diff A B          semantic difference of two policies (not yet)\n"
	"  audit TARGET      review a policy or profile for risks (not yet)\n"
	"\n"
	"Options for check:\n"
	"  -I DIR            search DIR for include <...> (repeatable)\n"
	"  -v, --verbose     also list syscalls skipped on some arches\n"
	"      --werror      treat warnings as errors\n"
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

struct check_opts {
	struct str_vec include_dirs;
	bool verbose;
	bool werror;
};

static int check_one(const struct check_opts *o, const char *path)
{
	struct leash_ctx ctx;
	size_t i;
	int rc;

	leash_ctx_init(&ctx, stderr);
	ctx.verbose = o->verbose;
	ctx.diag.werror = o->werror;
	for (i = 0; i < o->include_dirs.n; i++)
		VEC_PUSH(&ctx.include_dirs, xstrdup(o->include_dirs.v[i]));
	if (strcmp(path, "-") == 0) {
		char *buf;
		size_t len;

		rc = read_file("/dev/stdin", &buf, &len, LEASH_MAX_FILE_SIZE);
		if (rc < 0) {
			diag_plain_error(&ctx.diag, "<stdin>: %s",
					 strerror(-rc));
		} else {
			res_load_buffer(&ctx, "<stdin>", buf, len);
			free(buf);
		}
	} else {
		res_load(&ctx, path);
	}
	/* Stop between passes: later passes assume an intact tree. */
	if (!diag_failed(&ctx.diag))
		res_names(&ctx);
	if (!diag_failed(&ctx.diag))
		chk_all(&ctx);
	diag_summary(&ctx.diag);
	rc = diag_failed(&ctx.diag) ? EXIT_INPUT : 0;
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
	struct check_opts o = { 0 };
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

static const char *const later_commands[] = {
	"compile", "explain", "import", "diff", "audit",
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
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	for (i = 0; i < ARRAY_SIZE(later_commands); i++) {
		if (strcmp(cmd, later_commands[i]) == 0) {
			fprintf(stderr,
				"leash: '%s' is not available in this version of leash\n",
				cmd);
			return EXIT_USAGE;
		}
	}
	return usage_error("unknown command '%s'", cmd);
}
