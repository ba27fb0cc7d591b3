/* SPDX-License-Identifier: MIT */
/*
 * explain.c - 'leash explain FILE CALL': one call through the compiled
 * filter, and the rule that decided it.
 *
 * explain runs the compiled BPF, not the source, in the built-in
 * interpreter: what it prints is what the kernel would do.  The rule it
 * names comes from the IR, and the two are cross-checked.
 */
#include "cli/call.h"
#include "cli/cli.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_cmd explain_cmd = {
	.name = "explain",
	.opts = CLI_INCLUDE | CLI_POLICY | CLI_ARCH,
	.synopsis = "[-p NAME] [-a ARCH] [-I DIR] FILE "
		    "'CALL(ARG, ...)'",
	.min_args = 2,
	.max_args = 2,
	.help = "Run one call, e.g. 'socket(AF_INET, SOCK_STREAM, 0)' or "
		"'41(2, 1)', through the\npolicy's compiled filter and show "
		"the action and the rule that decided it.\nArguments are "
		"constant expressions: numbers, constants, the policy's "
		"defines.\n"
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
	uint64_t args[CALL_MAX_ARGS];
};

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The deciding statement, every line of it (a rule may span several),
 * without the indentation its lines share: the rule as the reader wrote
 * it, not its first line cut off in the middle.
 */
static void print_rule_source(const struct leash_loc *loc)
{
	const char *line, *first = NULL;
	size_t len, i, k, indent = 0;
	int l;

	printf("  decided by %s:%d:%d\n", loc->file->name, loc->first_line,
	       loc->first_column);
	for (l = loc->first_line; l <= loc->last_line; l++) {
		line = src_line(loc->file, l, &len);
		for (i = 0; line && i < len && blank(line[i]); i++)
			;
		if (!line || i == len || line[i] == '\r')
			continue;
		if (!first) {
			first = line;
			indent = i;
			continue;
		}
		for (k = 0; k < indent && k < i && line[k] == first[k]; k++)
			;
		indent = k;
	}
	for (l = loc->first_line; first && l <= loc->last_line; l++) {
		line = src_line(loc->file, l, &len);
		if (!line)
			continue;
		while (len && (line[len - 1] == '\r' || blank(line[len - 1])))
			len--;
		if (len <= indent)
			printf("\n");
		else
			printf("    %.*s\n", (int)(len - indent),
			       line + indent);
	}
}

static void explain_result(const struct subject *sj, uint32_t ret)
{
	const struct sc_stmt *stmt;
	const struct leash_loc *net;
	char act[32];

	printf("action: %s\n", call_action_str(sj->arch, ret, act, sizeof(act)));
	switch (call_decider(sj->sc.ir, &sj->fp, sj->arch, sj->nr, sj->args,
			     &stmt, &net)) {
	case CALL_BAD_ARCH:
		printf("  arch %s is not in the policy: any other arch gets "
		       "%s\n", arch_info(sj->arch)->name,
		       call_action_str(sj->arch, sj->sc.ir->bad_arch_action, act,
				       sizeof(act)));
		return;
	case CALL_UNKNOWN:
		printf("  nr %lld is above the highest syscall leash knows on "
		       "%s (%lld): the 'unknown' action\n",
		       (long long)sj->nr, arch_info(sj->arch)->name,
		       (long long)syscall_max_nr(sj->arch));
		break;
	case CALL_DEFAULT:
		printf("  no rule matches: the default action\n");
		break;
	case CALL_NETWORK:
		printf("  the network section does not allow this socket "
		       "(checked before the seccomp section)\n");
		if (net)
			print_rule_source(net);
		return;
	case CALL_RULE:
	default:
		break;
	}
	if (stmt)
		print_rule_source(&stmt->loc);
}

/*
 * The call's arguments, evaluated in the policy's namespace: constant
 * expressions that may use its defines, with the built-in constants of
 * the arch explained (-a: O_DIRECTORY is 0x4000 on aarch64).  Their
 * errors point into the
 * call as typed, shown as the file "<call>".
 */
static bool eval_args(struct leash_ctx *ctx, enum leash_arch arch,
		      const struct src_file *text, const struct call *call,
		      uint64_t args[CALL_MAX_ARGS])
{
	bool ok = true;
	unsigned i;

	for (i = 0; i < call->n_args; i++) {
		struct leash_loc at = call_loc(text, call->arg_off[i],
					       strlen(call->args[i]));

		ok = call_eval(ctx, arch, call->args[i], &at, &args[i]) && ok;
	}
	return ok;
}

static bool pick_arch(struct leash_ctx *ctx, const char *name,
		      const struct flat_policy *fp, enum leash_arch *arch)
{
	const struct arch_info *ai;
	const char *hint;

	if (!name) {
		*arch = fp->n_arches ? fp->arches[0] : arch_native();
		return true;
	}
	ai = arch_by_name(name);
	if (ai) {
		*arch = ai->id;
		return true;
	}
	hint = arch_suggest(name);
	if (hint)
		diag_plain_error(&ctx->diag, "unknown arch '%s' (did you mean "
				 "'%s'?)", name, hint);
	else
		diag_plain_error(&ctx->diag, "unknown arch '%s'", name);
	return false;
}

/* The filter of the one policy, the arch, the call's number and its
 * arguments. */
static bool build_subject(struct leash_ctx *ctx, const struct cli_opts *o,
			  const struct src_file *text,
			  const struct call *call, struct subject *sj)
{
	struct policy_vec pols = { 0 };
	bool ok = false;

	if (front_run(ctx, &o->front, o->args[0]) < 0 ||
	    cli_policies(ctx, o->policy, 1, &pols) < 0 ||
	    build_seccomp(ctx, pols.v[0], BACKEND_NATIVE, 0, &sj->sc) < 0)
		goto out;
	flat_build(ctx, pols.v[0], &sj->fp);
	sj->have_fp = true;
	/* Both say what is wrong: a bad arch and a bad argument. */
	ok = pick_arch(ctx, o->arch, &sj->fp, &sj->arch);
	ok = ok && eval_args(ctx, sj->arch, text, call, sj->args);
	ok = ok && call_nr(&ctx->diag, NULL, call->name, sj->arch, &sj->nr);
out:
	VEC_FREE(&pols);
	return ok;
}

/* Run the BPF, check it against the IR, and print both answers. */
static bool run_and_print(struct leash_ctx *ctx, const char *text,
			  const struct call *call, const struct subject *sj)
{
	const char *name;
	uint32_t ret;
	unsigned i;

	if (call_run(&ctx->diag, &sj->sc, sj->arch, sj->nr, sj->args,
		     &ret) < 0)
		return false;
	printf("%s on %s", text, arch_info(sj->arch)->name);
	/* A call given by number: say which it is. */
	if (isdigit((unsigned char)call->name[0])) {
		name = syscall_name(sj->arch, sj->nr);
		if (name)
			printf(" is %s", name);
		else
			printf(" is no system call leash knows");
	}
	printf(" (nr %lld", (long long)sj->nr);
	for (i = 0; i < call->n_args; i++)
		printf(", arg%u 0x%llx", i, (unsigned long long)sj->args[i]);
	printf(")\n");
	explain_result(sj, ret);
	return true;
}

int cmd_explain(int argc, char **argv)
{
	struct subject sj = { 0 };
	struct src_file *text = NULL;
	struct leash_ctx ctx;
	struct cli_opts o;
	struct call call = { 0 };
	const char *why = NULL;
	size_t where = 0;
	int rc = cli_parse(&explain_cmd, argc, argv, &o);

	if (rc >= 0)
		goto done;
	if (!call_parse(o.args[1], &call, &why, &where)) {
		rc = cli_usage(&explain_cmd, "'%s': %s", o.args[1], why);
		goto done;
	}
	rc = EXIT_INPUT;
	leash_ctx_init(&ctx, stderr);
	ctx.diag.prog = "leash explain";
	/*
	 * A compiled filter given for its policy would make the front end
	 * print a screen of stray bytes: one line says what happened.
	 */
	if (call_file_is_binary(o.args[0])) {
		diag_file_error(&ctx.diag, o.args[0], "not a leash policy "
				"(binary data); explain reads the policy, e.g. "
				"web.leash");
		leash_ctx_fini(&ctx);
		goto done;
	}
	text = src_file_copy("<call>", o.args[1], strlen(o.args[1]));
	if (build_subject(&ctx, &o, text, &call, &sj) &&
	    run_and_print(&ctx, o.args[1], &call, &sj))
		rc = 0;
	diag_summary(&ctx.diag);
	if (sj.have_fp)
		flat_free(&sj.fp);
	build_seccomp_free(&sj.sc);
	leash_ctx_fini(&ctx);
done:
	src_file_free(text);
	call_free(&call);
	cli_opts_free(&o);
	return rc;
}
