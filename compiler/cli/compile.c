/* SPDX-License-Identifier: MIT */
/*
 * compile.c - 'leash compile' and 'leash explain'.
 *
 * compile builds every artifact of every policy in memory first and
 * writes only when all of them succeeded, each through a temporary file
 * and rename(): bad input never leaves a partial or stale-looking set.
 *
 * explain runs the compiled BPF, not the source, in the built-in
 * interpreter: what it prints is what the kernel would do.  The rule it
 * names comes from the IR, and the two are cross-checked.
 */
#include "pipeline/driver.h"
#include "seccomp/bpf.h"
#include "seccomp/emit-bpf.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int usage(const char *cmd, const char *msg)
{
	fprintf(stderr, "leash %s: %s\nTry 'leash --help' for more information.\n",
		cmd, msg);
	return EXIT_USAGE;
}

/* The policies a command works on: -p NAME, else the root file's own. */
static int pick_policies(struct leash_ctx *ctx, const char *only,
			 struct policy_vec *out)
{
	struct ast_file *root = ctx->files.v[0];
	size_t i;

	if (only) {
		struct ast_policy *p = res_find_policy(ctx, only);

		if (!p) {
			diag_plain_error(&ctx->diag, "no policy '%s' in %s",
					 only, root->src->name);
			return -ENOENT;
		}
		VEC_PUSH(out, p);
		return 0;
	}
	for (i = 0; i < root->policies.n; i++)
		VEC_PUSH(out, root->policies.v[i]);
	if (out->n == 0) {
		diag_plain_error(&ctx->diag, "%s defines no policy",
				 root->src->name);
		return -ENOENT;
	}
	return 0;
}

/* Policy names become file names: refuse what would escape the dir. */
static bool safe_file_name(const char *s)
{
	if (!s[0] || s[0] == '.' || strlen(s) > 200)
		return false;
	for (; *s; s++)
		if (*s == '/' || (unsigned char)*s < 0x20)
			return false;
	return true;
}

static bool parse_targets(const char *list, unsigned *out)
{
	_cleanup_free_ char *copy = xstrdup(list);
	char *tok, *save = NULL;

	*out = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "bpf") == 0)
			*out |= TARGET_BPF;
		else if (strcmp(tok, "json") == 0)
			*out |= TARGET_JSON;
		else if (strcmp(tok, "pfc") == 0)
			*out |= TARGET_PFC;
		else if (strcmp(tok, "seccomp") == 0)
			*out |= TARGET_SECCOMP;
		else if (strcmp(tok, "apparmor") == 0)
			*out |= TARGET_APPARMOR;
		else if (strcmp(tok, "oci") == 0)
			*out |= TARGET_OCI;
		else if (strcmp(tok, "docker") == 0)
			*out |= TARGET_DOCKER | TARGET_JSON;
		else if (strcmp(tok, "bundle") == 0)
			*out |= TARGET_BUNDLE;
		else if (strcmp(tok, "all") == 0)
			*out |= TARGET_DEFAULT;
		else
			return false;
	}
	return *out != 0;
}

static bool parse_backend(const char *s, enum backend *b)
{
	if (strcmp(s, "native") == 0)
		*b = BACKEND_NATIVE;
	else if (strcmp(s, "libseccomp") == 0)
		*b = BACKEND_LIBSECCOMP;
	else
		return false;
	return true;
}

struct built {
	const struct ast_policy *p;
	struct artifacts a;
};

static int write_all(struct leash_ctx *ctx, const char *dir,
		     struct built *b, size_t n, unsigned targets)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		const char *name = b[i].p->name.s;
		struct {
			unsigned target;
			const char *ext;
			const void *data;
			size_t len;
		} files[] = {
			{ TARGET_JSON, "seccomp.json", b[i].a.sc.json.s,
			  b[i].a.sc.json.len },
			{ TARGET_BPF, "bpf", b[i].a.sc.bpf,
			  b[i].a.sc.bpf_len * sizeof(*b[i].a.sc.bpf) },
			{ TARGET_PFC, "pfc", b[i].a.sc.pfc.s,
			  b[i].a.sc.pfc.len },
			{ TARGET_APPARMOR, "apparmor", b[i].a.apparmor.s,
			  b[i].a.apparmor.len },
			{ TARGET_OCI, "oci.json", b[i].a.oci.s, b[i].a.oci.len },
			{ TARGET_DOCKER, "docker", b[i].a.docker.s,
			  b[i].a.docker.len },
			{ TARGET_BUNDLE, "bundle", b[i].a.bundle.s,
			  b[i].a.bundle.len },
		};
		size_t f;

		for (f = 0; f < ARRAY_SIZE(files); f++) {
			_cleanup_free_ char *fn = NULL;

			if (!(targets & files[f].target))
				continue;
			fn = xasprintf("%s.%s", name, files[f].ext);
			rc = write_atomic(dir, fn, files[f].data ? files[f].data : "",
					  files[f].len);
			if (rc < 0) {
				diag_plain_error(&ctx->diag, "writing %s/%s: %s",
						 dir, fn, strerror(-rc));
				return rc;
			}
		}
	}
	return 0;
}

int cmd_compile(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "include", required_argument, NULL, 'I' },
		{ "target", required_argument, NULL, 't' },
		{ "backend", required_argument, NULL, 'b' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "werror", no_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	struct front_opts o = { 0 };
	const char *only = NULL, *dir = ".";
	unsigned targets = TARGET_DEFAULT;
	enum backend backend = BACKEND_NATIVE;
	struct policy_vec pols = { 0 };
	struct note_vec notes = { 0 };
	struct leash_ctx ctx;
	struct built *b = NULL;
	struct stat st;
	size_t i;
	int c, rc = EXIT_INPUT;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:o:I:t:b:v", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'p': only = optarg; break;
		case 'o': dir = optarg; break;
		case 'I': VEC_PUSH(&o.include_dirs, optarg); break;
		case 'v': o.verbose = true; break;
		case 'E': o.werror = true; break;
		case 't':
			if (!parse_targets(optarg, &targets)) {
				VEC_FREE(&o.include_dirs);
				return usage("compile",
					     "--target takes a list of bpf, json, pfc, seccomp, apparmor, oci, docker, bundle, all");
			}
			break;
		case 'b':
			if (!parse_backend(optarg, &backend)) {
				VEC_FREE(&o.include_dirs);
				return usage("compile",
					     "--backend is native or libseccomp");
			}
			break;
		default:
			VEC_FREE(&o.include_dirs);
			return usage("compile", "bad option");
		}
	}
	if (optind + 1 != argc) {
		VEC_FREE(&o.include_dirs);
		return usage("compile", "expected exactly one input file");
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "leash compile: output directory '%s' does not exist\n",
			dir);
		VEC_FREE(&o.include_dirs);
		return EXIT_INPUT;
	}

	leash_ctx_init(&ctx, stderr);
	if (front_run(&ctx, &o, argv[optind]) < 0 ||
	    pick_policies(&ctx, only, &pols) < 0)
		goto out;
	b = xcalloc(pols.n, sizeof(*b));
	for (i = 0; i < pols.n; i++) {
		b[i].p = pols.v[i];
		if (!safe_file_name(pols.v[i]->name.s)) {
			diag_error(&ctx.diag, &pols.v[i]->name.loc,
				   "policy name '%s' cannot be a file name",
				   pols.v[i]->name.s);
			continue;
		}
		build_artifacts(&ctx, pols.v[i], backend, targets, dir,
				&b[i].a, &notes);
	}
	notes_print(&ctx.diag, &notes);
	/* All or nothing: one failed policy writes no artifact at all. */
	if (diag_failed(&ctx.diag))
		goto out;
	if (write_all(&ctx, dir, b, pols.n, targets) < 0)
		goto out;
	rc = 0;
out:
	diag_summary(&ctx.diag);
	for (i = 0; b && i < pols.n; i++)
		artifacts_free(&b[i].a);
	free(b);
	notes_free(&notes);
	VEC_FREE(&pols);
	VEC_FREE(&o.include_dirs);
	leash_ctx_fini(&ctx);
	return rc;
}

/* ---- explain ---------------------------------------------------------- */

struct call {
	char *name;
	char *args[6];
	unsigned n_args;
};

static void call_free(struct call *c)
{
	unsigned i;

	free(c->name);
	for (i = 0; i < c->n_args; i++)
		free(c->args[i]);
}

/* "socket(AF_INET, SOCK_STREAM, 0)" -> name and argument texts. */
static bool parse_call(const char *s, struct call *c, const char **why)
{
	const char *p = s, *start;
	int depth = 0;

	memset(c, 0, sizeof(*c));
	while (isspace((unsigned char)*p))
		p++;
	start = p;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	if (p == start) {
		*why = "expected a system call name, as in 'socket(AF_INET, SOCK_STREAM, 0)'";
		return false;
	}
	c->name = xstrndup(start, (size_t)(p - start));
	while (isspace((unsigned char)*p))
		p++;
	if (!*p)
		return true;
	if (*p++ != '(') {
		*why = "expected '(' after the system call name";
		return false;
	}
	start = p;
	for (;; p++) {
		if (!*p) {
			*why = "missing ')'";
			return false;
		}
		if (strchr(";{}\"#@", *p)) {
			*why = "an argument must be a constant expression";
			return false;
		}
		if (*p == '(') {
			depth++;
		} else if ((*p == ',' || *p == ')') && depth == 0) {
			const char *e = p;

			while (start < e && isspace((unsigned char)*start))
				start++;
			if (start == e && !(*p == ')' && c->n_args == 0)) {
				*why = "empty argument";
				return false;
			}
			if (start < e) {
				if (c->n_args == 6) {
					*why = "a system call has at most 6 arguments";
					return false;
				}
				c->args[c->n_args++] =
					xstrndup(start, (size_t)(e - start));
			}
			start = p + 1;
			if (*p == ')')
				break;
		} else if (*p == ')') {
			depth--;
		}
	}
	for (p++; isspace((unsigned char)*p); p++)
		;
	if (*p) {
		*why = "unexpected text after ')'";
		return false;
	}
	return true;
}

static void print_rule_source(const struct leash_loc *loc)
{
	const char *line;
	size_t len;

	line = src_line(loc->file, loc->first_line, &len);
	printf("  decided by %s:%d:%d\n", loc->file->name, loc->first_line,
	       loc->first_column);
	if (line) {
		while (len && (*line == ' ' || *line == '\t')) {
			line++;
			len--;
		}
		printf("    %.*s\n", (int)len, line);
	}
}

static const struct ir_arch *find_ir_arch(const struct ir_filter *f,
					  enum leash_arch a)
{
	size_t i;

	for (i = 0; i < f->n_arches; i++)
		if (f->arches[i].arch == a)
			return &f->arches[i];
	return NULL;
}

static void explain_result(const struct seccomp_out *sc,
			   const struct flat_policy *fp, enum leash_arch arch,
			   int64_t nr, const uint64_t args[6], uint32_t ret)
{
	const struct ir_arch *a = find_ir_arch(sc->ir, arch);
	const struct ir_syscall *s = NULL;
	char act[32];
	size_t i, r;

	printf("action: %s\n", ir_action_str(ret, act, sizeof(act)));
	if (!a) {
		printf("  arch %s is not in the policy: any other arch gets %s\n",
		       arch_info(arch)->name,
		       ir_action_str(sc->ir->bad_arch_action, act,
				     sizeof(act)));
		return;
	}
	if ((uint32_t)nr > (uint32_t)a->max_nr) {
		printf("  nr %lld is above the highest syscall leash knows on %s (%lld): the 'unknown' action\n",
		       (long long)nr, arch_info(arch)->name,
		       (long long)a->max_nr);
		if (fp->unknown_stmt)
			print_rule_source(&fp->unknown_stmt->loc);
		return;
	}
	for (i = 0; i < a->n_sys; i++)
		if (a->sys[i].nr == nr)
			s = &a->sys[i];
	for (r = 0; s && r < s->n_rules; r++) {
		if (ir_cond_eval(s->rules[r].cond, args)) {
			print_rule_source(&s->rules[r].src->loc);
			return;
		}
	}
	printf("  no rule matches: the default action\n");
	if (fp->default_stmt)
		print_rule_source(&fp->default_stmt->loc);
}

int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "arch", required_argument, NULL, 'a' },
		{ "include", required_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	struct front_opts o = { 0 };
	const char *only = NULL, *arch_name = NULL, *why = NULL;
	struct policy_vec pols = { 0 };
	struct note_vec notes = { 0 };
	struct seccomp_out sc = { 0 };
	struct flat_policy fp;
	struct leash_ctx ctx;
	struct call call;
	struct seccomp_data d = { 0 };
	uint64_t args[6] = { 0 };
	enum leash_arch arch;
	bool have_fp = false;
	uint32_t ret;
	int64_t nr;
	unsigned i;
	int c, rc = EXIT_INPUT;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:a:I:", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'p': only = optarg; break;
		case 'a': arch_name = optarg; break;
		case 'I': VEC_PUSH(&o.include_dirs, optarg); break;
		default:
			VEC_FREE(&o.include_dirs);
			return usage("explain", "bad option");
		}
	}
	if (optind + 2 != argc) {
		VEC_FREE(&o.include_dirs);
		return usage("explain", "expected FILE and a call such as 'socket(AF_INET, SOCK_STREAM, 0)'");
	}
	if (!parse_call(argv[optind + 1], &call, &why)) {
		call_free(&call);
		VEC_FREE(&o.include_dirs);
		fprintf(stderr, "leash explain: '%s': %s\n", argv[optind + 1],
			why);
		return EXIT_USAGE;
	}

	leash_ctx_init(&ctx, stderr);
	front_load(&ctx, &o, argv[optind]);
	/* Arguments are constant expressions in the policy's namespace, so
	 * they may use its defines; their errors point into "<call>". */
	for (i = 0; i < call.n_args; i++) {
		char *text = xasprintf("define __leash_explain_arg%u = %s;\n",
				       i, call.args[i]);

		res_load_buffer(&ctx, "<call>", text, strlen(text));
		free(text);
	}
	if (front_finish(&ctx) < 0)
		goto out;
	for (i = 0; i < call.n_args; i++) {
		char name[40];
		struct ast_define *def;

		snprintf(name, sizeof(name), "__leash_explain_arg%u", i);
		def = res_find_define(&ctx, name);
		if (!def || def->state != AST_DONE)
			goto out;
		args[i] = def->num;
	}
	if (pick_policies(&ctx, only, &pols) < 0)
		goto out;
	if (pols.n != 1) {
		diag_plain_error(&ctx.diag,
				 "%s defines %zu policies: choose one with -p",
				 argv[optind], pols.n);
		goto out;
	}
	if (build_seccomp(&ctx, pols.v[0], BACKEND_NATIVE, TARGET_BPF, &sc,
			  &notes) < 0)
		goto out;
	flat_build(&ctx, pols.v[0], &fp);
	have_fp = true;
	if (arch_name) {
		const struct arch_info *ai = arch_by_name(arch_name);

		if (!ai) {
			diag_plain_error(&ctx.diag, "unknown arch '%s'",
					 arch_name);
			goto out;
		}
		arch = ai->id;
	} else {
		arch = fp.n_arches ? fp.arches[0] : arch_native();
	}
	if (isdigit((unsigned char)call.name[0])) {
		nr = strtoll(call.name, NULL, 0) +
		     arch_info(arch)->nr_bias;
	} else {
		nr = syscall_nr(arch, call.name, NULL);
		if (nr < 0) {
			diag_plain_error(&ctx.diag,
					 "'%s' is not a system call on arch %s",
					 call.name, arch_info(arch)->name);
			goto out;
		}
	}
	d.nr = (int)nr;
	d.arch = arch_info(arch)->audit_arch;
	memcpy(d.args, args, sizeof(args));
	if (bpf_run(sc.bpf, sc.bpf_len, &d, &ret, NULL) < 0) {
		diag_plain_error(&ctx.diag, "internal error: the compiled filter does not run");
		goto out;
	}
	/* The BPF decides; the IR only names the rule.  They must agree. */
	if (ir_eval(sc.ir, d.arch, nr, args) != ret) {
		diag_plain_error(&ctx.diag, "internal error: the compiled filter and the IR disagree");
		goto out;
	}
	printf("%s on %s (nr %lld", argv[optind + 1], arch_info(arch)->name,
	       (long long)nr);
	for (i = 0; i < call.n_args; i++)
		printf(", arg%u 0x%llx", i, (unsigned long long)args[i]);
	printf(")\n");
	explain_result(&sc, &fp, arch, nr, args, ret);
	rc = 0;
out:
	diag_summary(&ctx.diag);
	if (have_fp)
		flat_free(&fp);
	seccomp_out_free(&sc);
	notes_free(&notes);
	VEC_FREE(&pols);
	VEC_FREE(&o.include_dirs);
	call_free(&call);
	leash_ctx_fini(&ctx);
	return rc;
}
