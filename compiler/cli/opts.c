/* SPDX-License-Identifier: MIT */
/*
 * opts.c - one option parser for every command (opts.h).
 */
#include "cli/opts.h"
#include "interop/oci-read.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Long-only options get codes above any character. */
enum {
	LONG_WERROR = 0x100, LONG_JSON, LONG_CAPS, LONG_KERNEL, LONG_HOST,
	LONG_CAP_ADD, LONG_CAP_DROP, LONG_AS, LONG_DRY_RUN, LONG_APPARMOR,
	LONG_CGROUP, LONG_STRICT, LONG_LOG,
	LONG_CONTAINER,
	LONG_FORCE, LONG_DEFAULT, LONG_MERGE, LONG_BASE, LONG_VERIFY, LONG_FOR,
	LONG_COMPLAIN,
};

/* Every option of every command, and which enum cli_opt it belongs to. */
static const struct {
	struct option opt;
	unsigned group;
} table[] = {
	{ { "include", required_argument, NULL, 'I' }, CLI_INCLUDE },
	{ { "verbose", no_argument, NULL, 'v' }, CLI_VERBOSE },
	{ { "werror", no_argument, NULL, LONG_WERROR }, CLI_WERROR },
	{ { "strict", no_argument, NULL, LONG_STRICT }, CLI_STRICT },
	{ { "policy", required_argument, NULL, 'p' }, CLI_POLICY },
	{ { "output", required_argument, NULL, 'o' }, CLI_OUTPUT },
	{ { "target", required_argument, NULL, 't' }, CLI_TARGET },
	{ { "backend", required_argument, NULL, 'b' }, CLI_BACKEND },
	{ { "arch", required_argument, NULL, 'a' }, CLI_ARCH },
	{ { "json", no_argument, NULL, LONG_JSON }, CLI_JSON },
	{ { "caps", required_argument, NULL, LONG_CAPS }, CLI_IMPORT },
	{ { "kernel", required_argument, NULL, LONG_KERNEL }, CLI_IMPORT },
	{ { "host", required_argument, NULL, LONG_HOST }, CLI_IMPORT },
	{ { "cap-add", required_argument, NULL, LONG_CAP_ADD }, CLI_CAP_EDIT },
	{ { "cap-drop", required_argument, NULL, LONG_CAP_DROP },
	  CLI_CAP_EDIT },
	{ { "as", required_argument, NULL, LONG_AS }, CLI_AS },
	{ { "dry-run", no_argument, NULL, LONG_DRY_RUN }, CLI_SHIM },
	{ { "apparmor", required_argument, NULL, LONG_APPARMOR }, CLI_SHIM },
	{ { "cgroup", required_argument, NULL, LONG_CGROUP }, CLI_SHIM },
	{ { "log", required_argument, NULL, LONG_LOG }, CLI_LOG },
	{ { "secret-key", required_argument, NULL, 's' }, CLI_SECKEY },
	{ { "container", required_argument, NULL, LONG_CONTAINER },
	  CLI_CONTAINER },
	{ { "force", no_argument, NULL, LONG_FORCE }, CLI_RECORD },
	{ { "default", required_argument, NULL, LONG_DEFAULT }, CLI_RECORD },
	{ { "merge", required_argument, NULL, LONG_MERGE }, CLI_RECORD },
	{ { "base", required_argument, NULL, LONG_BASE }, CLI_RECORD },
	{ { "verify", no_argument, NULL, LONG_VERIFY }, CLI_RECORD },
	{ { "for", required_argument, NULL, LONG_FOR }, CLI_RECORD },
	{ { "complain", no_argument, NULL, LONG_COMPLAIN }, CLI_COMPLAIN },
};

static void vusage(const struct cli_cmd *cmd, const char *fmt, va_list ap)
{
	fprintf(stderr, "leash %s: ", cmd->name);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nusage: leash %s %s\nTry 'leash %s --help' for "
		"more.\n", cmd->name, cmd->synopsis, cmd->name);
}

int cli_usage(const struct cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vusage(cmd, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

static bool parse_targets(const char *list, unsigned *out)
{
	static const struct {
		const char *name;
		unsigned bits;
	} names[] = {
		{ "bpf", TARGET_BPF }, { "json", TARGET_JSON },
		{ "pfc", TARGET_PFC }, { "seccomp", TARGET_SECCOMP },
		{ "apparmor", TARGET_APPARMOR }, { "oci", TARGET_OCI },
		{ "docker", TARGET_DOCKER | TARGET_JSON },
		{ "bundle", TARGET_BUNDLE }, { "all", TARGET_DEFAULT },
		{ "podman", TARGET_PODMAN },
		{ "systemd", TARGET_SYSTEMD },
		{ "k8s", TARGET_K8S },
	};
	_cleanup_free_ char *copy = xstrdup(list);
	char *tok, *save = NULL;
	size_t i;

	*out = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (!strcmp(tok, names[i].name))
				break;
		if (i == ARRAY_SIZE(names))
			return false;
		*out |= names[i].bits;
	}
	if (*out == 0)
		return false;
	*out |= TARGET_NAMED;
	return true;
}

/* --cap-add/--cap-drop, as Docker applies them to its default set. */
static int cap_edits(const struct cli_cmd *cmd, struct cli_opts *o,
		     const struct str_vec *add, const struct str_vec *drop)
{
	struct oci_str_vec unknown = { 0 };
	size_t i;
	int rc = -1;

	if (!add->n && !drop->n)
		return -1;
	o->model.has_caps = true;
	o->model.caps = oci_docker_caps(false, (const char *const *)add->v,
					add->n, (const char *const *)drop->v,
					drop->n, &unknown);
	if (unknown.n)
		rc = cli_usage(cmd, "unknown capability '%s'", unknown.v[0]);
	for (i = 0; i < unknown.n; i++)
		free(unknown.v[i]);
	VEC_FREE(&unknown);
	return rc;
}

/* run's --apparmor= and --cgroup=, passed on to leash-exec. */
static int shim_flag(const struct cli_cmd *cmd, struct cli_opts *o,
		     const char *what, const char *value)
{
	if (strcmp(value, "optional") && strcmp(value, "required"))
		return cli_usage(cmd, "--%s takes 'optional' or 'required'",
				 what);
	VEC_PUSH(&o->shim_args, xasprintf("--%s=%s", what, value));
	return -1;
}

/* One option's value into @o; -1 to go on, else the exit status. */
static int take(const struct cli_cmd *cmd, struct cli_opts *o, int c,
		struct str_vec *add, struct str_vec *drop)
{
	switch (c) {
	case 'I': VEC_PUSH(&o->front.include_dirs, optarg); break;
	case 'v': o->front.verbose = true; break;
	case LONG_WERROR: o->front.werror = true; break;
	case LONG_STRICT: o->front.strict = true; break;
	case 'p': o->policy = optarg; break;
	case 'o': o->output = optarg; break;
	case 'a': o->arch = optarg; break;
	case LONG_JSON: o->json = true; break;
	case LONG_LOG: o->log = optarg; break;
	case 's': o->seckey = optarg; break;
	case LONG_CONTAINER: o->container = optarg; break;
	case LONG_FORCE: o->force = true; break;
	case LONG_DEFAULT: o->def = optarg; break;
	case LONG_MERGE: o->merge = optarg; break;
	case LONG_BASE: o->base = optarg; break;
	case LONG_VERIFY: o->verify = true; break;
	case LONG_FOR:
		if (!parse_targets(optarg, &o->record_for))
			return cli_usage(cmd, "--for takes a list of the "
					 "targets of 'compile -t': bpf, json, "
					 "pfc, seccomp, apparmor, oci, docker, "
					 "bundle, podman, all, systemd, k8s");
		break;
	case LONG_COMPLAIN: o->complain = true; break;
	case LONG_CAPS: o->caps = optarg; break;
	case LONG_KERNEL: o->kernel = optarg; break;
	case LONG_HOST: o->host = optarg; break;
	case LONG_CAP_ADD: VEC_PUSH(add, optarg); break;
	case LONG_CAP_DROP: VEC_PUSH(drop, optarg); break;
	case LONG_DRY_RUN:
		VEC_PUSH(&o->shim_args, xstrdup("--dry-run"));
		break;
	case LONG_APPARMOR: return shim_flag(cmd, o, "apparmor", optarg);
	case LONG_CGROUP: return shim_flag(cmd, o, "cgroup", optarg);
	case 't':
		if (!parse_targets(optarg, &o->targets))
			return cli_usage(cmd, "--target takes a list of bpf, "
					 "json, pfc, seccomp, apparmor, oci, "
					 "docker, bundle, podman, all, systemd, k8s");
		break;
	case 'b':
		if (!strcmp(optarg, "native"))
			o->backend = BACKEND_NATIVE;
		else if (!strcmp(optarg, "libseccomp"))
			o->backend = BACKEND_LIBSECCOMP;
		else
			return cli_usage(cmd, "--backend is native or "
					 "libseccomp");
		break;
	case LONG_AS:
		if (!strcmp(optarg, "profile"))
			o->model.model = MODEL_AS_PROFILE;
		else if (!strcmp(optarg, "runtime"))
			o->model.model = MODEL_AS_RUNTIME;
		else
			return cli_usage(cmd, "--as takes 'profile' or "
					 "'runtime', not '%s'", optarg);
		break;
	default:
		return cli_usage(cmd, "bad option");
	}
	return -1;
}

int cli_parse(const struct cli_cmd *cmd, int argc, char **argv,
	      struct cli_opts *o)
{
	struct option longopts[ARRAY_SIZE(table) + 2];
	struct str_vec add = { 0 }, drop = { 0 };
	char shortopts[32] = "h";
	size_t i, n = 0;
	int c, rc = -1;

	memset(o, 0, sizeof(*o));
	o->targets = TARGET_DEFAULT;
	/* record's operands are a command line: its options are CMD's. */
	if (cmd->opts & CLI_RECORD)
		shortopts[0] = '+', shortopts[1] = 'h';
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		const struct option *t = &table[i].opt;

		if (!(cmd->opts & table[i].group))
			continue;
		longopts[n++] = *t;
		if (t->val < 0x100) {
			size_t k = strlen(shortopts);

			shortopts[k++] = (char)t->val;
			if (t->has_arg == required_argument)
				shortopts[k++] = ':';
			shortopts[k] = '\0';
		}
	}
	longopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };

	optind = 1;
	opterr = 0;	/* said below, in the command's words */
	while (rc < 0 &&
	       (c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: leash %s %s\n%s", cmd->name,
			       cmd->synopsis, cmd->help);
			rc = 0;
		} else if (c == '?' || c == ':') {
			rc = cli_usage(cmd, "unknown option or missing value "
				       "'%s'", argv[optind - 1 < argc ?
						    optind - 1 : argc - 1]);
		} else {
			rc = take(cmd, o, c, &add, &drop);
		}
	}
	if (rc < 0)
		rc = cap_edits(cmd, o, &add, &drop);
	VEC_FREE(&add);
	VEC_FREE(&drop);
	if (rc >= 0)
		return rc;
	o->args = argv + optind;
	o->n_args = argc - optind;
	if (o->n_args < cmd->min_args ||
	    (cmd->max_args >= 0 && o->n_args > cmd->max_args))
		return cli_usage(cmd, cmd->max_args == cmd->min_args ?
				 "expected %d operand%s" :
				 "expected at least %d operand%s",
				 cmd->min_args, cmd->min_args == 1 ? "" : "s");
	o->model.include_dirs = o->front.include_dirs;
	return -1;
}

void cli_opts_free(struct cli_opts *o)
{
	size_t i;

	VEC_FREE(&o->front.include_dirs);
	for (i = 0; i < o->shim_args.n; i++)
		free(o->shim_args.v[i]);
	VEC_FREE(&o->shim_args);
	memset(o, 0, sizeof(*o));
}
