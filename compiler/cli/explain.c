/* SPDX-License-Identifier: MIT */
/*
 * explain.c - 'leash explain FILE CALL': one call through the compiled
 * filter, and the rule that decided it.
 *
 * explain runs the compiled BPF, not the source, in the built-in
 * interpreter: what it prints is what the kernel would do.  The rule it
 * names comes from the IR, and the two are cross-checked.
 */
#include "cli/cli.h"
#include "front/flat.h"
#include "seccomp/bpf.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_cmd explain_cmd = {
	.name = "explain",
	.opts = CLI_INCLUDE | CLI_POLICY | CLI_ARCH,
	.synopsis = "[-p NAME] [-a ARCH] [-I DIR] FILE "
		    "'CALL(ARG, ...)'",
	.min_args = 2,
	.max_args = 2,
	.help = "Run one call, e.g. 'socket(AF_INET, SOCK_STREAM, 0)', "
		"through the policy's compiled\nfilter and show the action "
		"and the rule that decided it.  Arguments are\nconstant "
		"expressions: numbers, constants, the policy's defines.\n"
		"  -a ARCH   the arch of the call (default: the policy's "
		"first)\n",
};

/* What one explanation needs, built from the policy and the call. */
struct subject {
	struct seccomp_out sc;
	struct flat_policy fp;
	bool have_fp;
	enum leash_arch arch;
	int64_t nr;
	uint64_t args[6];
};

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
		*why = "expected a system call name, as in 'socket(AF_INET, "
		       "SOCK_STREAM, 0)'";
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
					*why = "a system call has at most 6 "
					       "arguments";
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
		printf("  arch %s is not in the policy: any other arch gets "
		       "%s\n",
		       arch_info(arch)->name,
		       ir_action_str(sc->ir->bad_arch_action, act,
				     sizeof(act)));
		return;
	}
	if ((uint32_t)nr > (uint32_t)a->max_nr) {
		printf("  nr %lld is above the highest syscall leash knows on "
		       "%s (%lld): the 'unknown' action\n",
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


/*
 * Load the policy with the call's arguments as defines: they are
 * constant expressions in the policy's namespace, so they may use its
 * defines, and their errors point into "<call>".
 */
static bool load_with_args(struct leash_ctx *ctx, const struct cli_opts *o,
			   const struct call *call, uint64_t args[6])
{
	unsigned i;

	front_load(ctx, &o->front, o->args[0]);
	for (i = 0; i < call->n_args; i++) {
		char *text = xasprintf("define __leash_explain_arg%u = %s;\n",
				       i, call->args[i]);

		res_load_buffer(ctx, "<call>", text, strlen(text));
		free(text);
	}
	if (front_finish(ctx) < 0)
		return false;
	for (i = 0; i < call->n_args; i++) {
		char name[40];
		struct ast_define *def;

		snprintf(name, sizeof(name), "__leash_explain_arg%u", i);
		def = res_find_define(ctx, name);
		if (!def || def->state != AST_DONE)
			return false;
		args[i] = def->num;
	}
	return true;
}

/* The filter of the one policy, the arch and the call's number. */
static bool build_subject(struct leash_ctx *ctx, const struct cli_opts *o,
			  const struct call *call, struct subject *sj)
{
	struct policy_vec pols = { 0 };
	bool ok = false;

	if (cli_policies(ctx, o->policy, 1, &pols) < 0 ||
	    build_seccomp(ctx, pols.v[0], BACKEND_NATIVE, 0, &sj->sc) < 0)
		goto out;
	flat_build(ctx, pols.v[0], &sj->fp);
	sj->have_fp = true;
	if (o->arch) {
		const struct arch_info *ai = arch_by_name(o->arch);

		if (!ai) {
			diag_plain_error(&ctx->diag, "unknown arch '%s'",
					 o->arch);
			goto out;
		}
		sj->arch = ai->id;
	} else {
		sj->arch = sj->fp.n_arches ? sj->fp.arches[0] : arch_native();
	}
	if (isdigit((unsigned char)call->name[0])) {
		sj->nr = strtoll(call->name, NULL, 0) +
			 arch_info(sj->arch)->nr_bias;
	} else {
		sj->nr = syscall_nr(sj->arch, call->name, NULL);
		if (sj->nr < 0) {
			diag_plain_error(&ctx->diag, "'%s' is not a system "
					 "call on arch %s", call->name,
					 arch_info(sj->arch)->name);
			goto out;
		}
	}
	ok = true;
out:
	VEC_FREE(&pols);
	return ok;
}

/* Run the BPF, check it against the IR, and print both answers. */
static bool run_and_print(struct leash_ctx *ctx, const char *text,
			  const struct call *call, const struct subject *sj)
{
	struct seccomp_data d = { 0 };
	uint32_t ret;
	unsigned i;

	d.nr = (int)sj->nr;
	d.arch = arch_info(sj->arch)->audit_arch;
	memcpy(d.args, sj->args, sizeof(sj->args));
	if (bpf_run(sj->sc.bpf, sj->sc.bpf_len, &d, &ret, NULL) < 0) {
		diag_plain_error(&ctx->diag, "internal error: the compiled "
				 "filter does not run");
		return false;
	}
	/* The BPF decides; the IR only names the rule.  They must agree. */
	if (ir_eval(sj->sc.ir, d.arch, sj->nr, sj->args) != ret) {
		diag_plain_error(&ctx->diag, "internal error: the compiled "
				 "filter and the IR disagree");
		return false;
	}
	printf("%s on %s (nr %lld", text, arch_info(sj->arch)->name,
	       (long long)sj->nr);
	for (i = 0; i < call->n_args; i++)
		printf(", arg%u 0x%llx", i, (unsigned long long)sj->args[i]);
	printf(")\n");
	explain_result(&sj->sc, &sj->fp, sj->arch, sj->nr, sj->args, ret);
	return true;
}

int cmd_explain(int argc, char **argv)
{
	struct subject sj = { 0 };
	struct leash_ctx ctx;
	struct cli_opts o;
	struct call call = { 0 };
	const char *why = NULL;
	int rc = cli_parse(&explain_cmd, argc, argv, &o);

	if (rc >= 0)
		goto done;
	if (!parse_call(o.args[1], &call, &why)) {
		rc = cli_usage(&explain_cmd, "'%s': %s", o.args[1], why);
		goto done;
	}
	rc = EXIT_INPUT;
	leash_ctx_init(&ctx, stderr);
	ctx.diag.prog = "leash explain";
	if (load_with_args(&ctx, &o, &call, sj.args) &&
	    build_subject(&ctx, &o, &call, &sj) &&
	    run_and_print(&ctx, o.args[1], &call, &sj))
		rc = 0;
	diag_summary(&ctx.diag);
	if (sj.have_fp)
		flat_free(&sj.fp);
	build_seccomp_free(&sj.sc);
	leash_ctx_fini(&ctx);
done:
	call_free(&call);
	cli_opts_free(&o);
	return rc;
}
