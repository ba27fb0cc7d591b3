/* SPDX-License-Identifier: MIT */
/*
 * main.c - the leash command line: subcommand dispatch and options.
 *
 * Exit status (docs/language.md section 9): 0 success, 1 the input has
 * errors, 2 usage error.  A subcommand this build does not have says so
 * with exit 2: it never pretends to succeed.
 */
#include "cli/cli.h"

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
	"                    NAME.oci.json, NAME.docker, NAME.bundle,\n"
	"                    NAME.podman\n"
	"                    (opt-in: -t systemd, NAME.service.d/zz-leash.conf;\n"
	"                    -t k8s, NAME.spo.yaml and NAME.pod.yaml)\n"
	"  explain FILE CALL run CALL, e.g. 'socket(AF_INET, SOCK_STREAM, 0)',\n"
	"                    through the compiled filter; show the deciding rule\n"
	"  explain FILE --log LOG\n"
	"                    explain the kernel's seccomp audit records in LOG\n"
	"                    (dmesg, journalctl -k, auditd): each call and the\n"
	"                    rules that give it that action\n"
	"  test FILE VECTORS...\n"
	"                    check that each call of VECTORS, as in\n"
	"                    'x86_64 read(0) => allow', gets its action\n"
	"                    (--json: from the JSON profile too)\n"
	"  run FILE -- CMD   compile in memory and run CMD under leash-exec\n"
	"  run --complain FILE -- CMD\n"
	"                    the same, what the policy would deny allowed and said\n"
	"  oci-merge [-o FILE] CONFIG FRAGMENT...\n"
	"                    merge NAME.oci.json into an OCI config.json\n"
	"  import PROFILE    turn a Docker/OCI profile into a policy\n"
	"  diff A B          semantic difference of two policies or profiles\n"
	"  audit TARGET      review a policy or profile for risks\n"
	"  sign -s KEY FILE  sign a bundle for leash-exec --trust: FILE.minisig\n"
	"  record [-o FILE] [--merge FILE] -- CMD [ARGS...]\n"
	"                    run CMD and write the policy it needs\n"
	"  record [--for TARGETS] [--base POLICY] [--verify] -- CMD [ARGS...]\n"
	"                    ... for runtimes, grow POLICY, rerun under the result\n"
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
	"                    bundle,podman (default all); opt-in systemd (a\n"
	"                    drop-in) and k8s: NAME.spo.yaml (SPO\n"
	"                    SeccompProfile, AppArmorProfile) and\n"
	"                    NAME.pod.yaml (a Pod spec patch)\n"
	"      --container NAME\n"
	"                    compile -t k8s: the container NAME.pod.yaml\n"
	"                    patches (default: the policy's name)\n"
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

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "check", cmd_check },
	{ "compile", cmd_compile },
	{ "explain", cmd_explain },
	{ "test", cmd_test },
	{ "oci-merge", cmd_oci_merge },
	{ "run", cmd_run },
	{ "import", cmd_import },
	{ "diff", cmd_diff },
	{ "audit", cmd_audit },
	{ "sign", cmd_sign },
	{ "record", cmd_record },
};

#if defined(LEASH_BUILD_DIR) && defined(LEASH_SRC_PROFILE_DIR)
/*
 * The leash of a build tree, run before 'make install', finds
 * include <groups.leash> in the source tree: the installed profiles may
 * be missing or belong to another version.  An installed copy of this
 * binary is not in the build directory and keeps the installed ones.
 */
static void use_source_profiles(void)
{
	_cleanup_free_ char *self = realpath("/proc/self/exe", NULL);
	_cleanup_free_ char *built = realpath(LEASH_BUILD_DIR "/leash", NULL);

	/* Kept for the process's life: contexts borrow it. */
	static char *profiles;

	if (self && built && strcmp(self, built) == 0) {
		profiles = realpath(LEASH_SRC_PROFILE_DIR, NULL);
		leash_set_profile_dir(profiles ? profiles :
				      LEASH_SRC_PROFILE_DIR);
	}
}
#else
static void use_source_profiles(void)
{
}
#endif

int main(int argc, char **argv)
{
	const char *cmd;
	size_t i;

	use_source_profiles();

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
