/* SPDX-License-Identifier: MIT */
/*
 * opts.h - one option parser for every command.
 *
 * Each command names the options it takes (struct cli_cmd); cli_parse()
 * reads them all the same way, checks their values and the number of
 * operands, and prints --help and usage errors in one form:
 *
 *   leash compile: --backend is native or libseccomp
 *   usage: leash compile [-p NAME] [-o DIR] [-I DIR] ... FILE
 *   Try 'leash compile --help' for more.
 */
#ifndef LEASH_CLI_OPTS_H
#define LEASH_CLI_OPTS_H

#include "interop/model.h"
#include "pipeline/driver.h"

enum cli_opt {
	CLI_INCLUDE = 1u << 0,	/* -I DIR, repeatable */
	CLI_VERBOSE = 1u << 1,	/* -v, --verbose */
	CLI_WERROR = 1u << 2,	/* --werror */
	CLI_POLICY = 1u << 3,	/* -p, --policy NAME */
	CLI_OUTPUT = 1u << 4,	/* -o, --output PATH */
	CLI_TARGET = 1u << 5,	/* -t, --target LIST */
	CLI_BACKEND = 1u << 6,	/* -b, --backend native|libseccomp */
	CLI_ARCH = 1u << 7,	/* -a, --arch ARCH */
	CLI_JSON = 1u << 8,	/* --json */
	CLI_IMPORT = 1u << 9,	/* --caps, --kernel, --host */
	CLI_CAP_EDIT = 1u << 10,	/* --cap-add, --cap-drop */
	CLI_AS = 1u << 11,	/* --as profile|runtime */
	CLI_SHIM = 1u << 12,	/* --dry-run, --apparmor=, --cgroup= */
	CLI_STRICT = 1u << 13,	/* --strict */
	CLI_LOG = 1u << 14,	/* --log FILE */
	CLI_SECKEY = 1u << 15,	/* -s, --secret-key FILE (sign) */
	CLI_CONTAINER = 1u << 16,	/* --container NAME (k8s target) */
	CLI_RECORD = 1u << 20,	/* record: --force, --default, and what is
				 * not built yet */
	CLI_COMPLAIN = 1u << 21,	/* run: --complain */
};

struct cli_cmd {
	const char *name;	/* "compile" */
	unsigned opts;		/* the enum cli_opt it takes */
	const char *synopsis;	/* the usage line after "leash NAME " */
	int min_args, max_args;	/* operands; max_args -1: no limit */
	const char *help;	/* what --help prints after the usage line */
};

struct cli_opts {
	struct front_opts front;	/* -I (borrowed), -v, --werror,
					 * --strict */
	const char *policy, *output, *arch;
	const char *log;	/* explain: seccomp audit records */
	const char *seckey;	/* sign: a minisign secret key file */
	const char *container;	/* compile: the Pod patch's container */
	unsigned targets;	/* TARGET_*; TARGET_DEFAULT without -t */
	enum backend backend;
	bool json;
	const char *caps, *kernel, *host;	/* import */
	struct model_opts model;	/* diff, audit: --as and the caps
					 * --cap-add/--cap-drop make; its
					 * include_dirs are front's */
	struct str_vec shim_args;	/* run: leash-exec's own options */
	bool force;		/* record: replace -o FILE */
	const char *def;	/* record: --default ACTION */
	const char *merge;	/* record: --merge FILE */
	const char *not_built;	/* record: an option asked for that is
				 * not built yet */
	unsigned record_for;	/* record --for: TARGET_*, 0 without it */
	bool complain;		/* run --complain */
	const char *base;	/* record --base POLICY.leash */
	bool verify;		/* record --verify */
	char **args;		/* the operands */
	int n_args;
};

/*
 * Parse @argc/@argv (argv[0] is the command's name) for @cmd into @o.
 * Returns -1 to go on; otherwise the exit status to return at once: 0
 * after --help, EXIT_USAGE after saying what is wrong.  Release @o with
 * cli_opts_free() either way.
 */
int cli_parse(const struct cli_cmd *cmd, int argc, char **argv,
	      struct cli_opts *o);
void cli_opts_free(struct cli_opts *o);

/* "leash NAME: MSG", the usage line and a pointer to --help, on stderr;
 * EXIT_USAGE.  For what only the command can judge. */
int cli_usage(const struct cli_cmd *cmd, const char *fmt, ...)
	LEASH_PRINTF(2, 3);

#endif
