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
#include "interop/seclog.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_cmd explain_cmd = {
	.name = "explain",
	.opts = CLI_INCLUDE | CLI_POLICY | CLI_ARCH | CLI_LOG,
	.synopsis = "[-p NAME] [-a ARCH] [-I DIR] FILE "
		    "'CALL(ARG, ...)'\n       leash explain [-p NAME] [-I DIR] "
		    "FILE --log LOG",
	.min_args = 1,
	.max_args = 2,
	.help = "Run one call, e.g. 'socket(AF_INET, SOCK_STREAM, 0)' or "
		"'41(2, 1)', through the\npolicy's compiled filter and show "
		"the action and the rule that decided it.\nArguments are "
		"constant expressions: numbers, constants, the policy's "
		"defines.\n"
		"With --log, read the kernel's seccomp audit records "
		"(type=1326 in dmesg or\njournalctl -k, type=SECCOMP in "
		"auditd's log; '-' for standard input) and\nsay for each "
		"which call it was and which rules give it that action.\n"
		"  -a ARCH   the arch of the call (default: the policy's "
		"first)\n"
		"  --log LOG the records to explain\n",
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

/* ---- --log: the kernel's seccomp audit records ------------------------- */

struct giver {
	enum call_why why;
	const struct sc_stmt *stmt;
	const struct leash_loc *net;
};
VEC(giver_vec, struct giver);

static void add_giver(void *opaque, enum call_why why,
		      const struct sc_stmt *stmt, const struct leash_loc *net)
{
	VEC_PUSH((struct giver_vec *)opaque,
		 ((struct giver){ why, stmt, net }));
}

static void print_giver(const struct giver *g)
{
	if (g->why == CALL_DEFAULT)
		printf("  no rule matches: the default action\n");
	else if (g->why == CALL_UNKNOWN)
		printf("  above every syscall leash knows: the 'unknown' "
		       "action\n");
	else if (g->why == CALL_NETWORK)
		printf("  the network section does not allow this socket\n");
	if (g->why == CALL_NETWORK && g->net)
		print_rule_source(g->net);
	else if (g->stmt)
		print_rule_source(&g->stmt->loc);
}

/*
 * One record: the call by name, its arch and action, and the statements
 * of the policy that give the call that action.  False (after an error
 * at @at) when none does: the record comes from another filter.
 */
static bool explain_record(struct leash_ctx *ctx, const struct subject *sj,
			   const struct seclog_rec *r, const struct src_file *src,
			   size_t line_off)
{
	struct leash_loc at = call_loc(src, line_off + r->call_off,
				       r->call_len);
	struct giver_vec g = { 0 };
	enum leash_arch arch;
	const char *name;
	char act[32];
	size_t i;
	int n;

	if (!seclog_arch(r, &arch)) {
		diag_error(&ctx->diag, &at, "arch 0x%x is none leash knows",
			   r->audit_arch);
		return false;
	}
	name = syscall_name(arch, r->nr);
	printf("%s:%d: ", at.file->name, at.first_line);
	if (r->pid >= 0)
		printf("pid %ld (%s): ", r->pid, r->comm);
	printf("%s on %s (nr %lld): %s\n", name ? name : "?",
	       arch_info(arch)->name, (long long)r->nr,
	       call_action_str(arch, r->code, act, sizeof(act)));
	n = call_givers(sj->sc.ir, &sj->fp, arch, r->nr, r->code, add_giver,
			&g);
	if (n < 0 && r->code == sj->sc.ir->bad_arch_action) {
		printf("  arch %s is not in the policy: the action for any "
		       "other arch\n", arch_info(arch)->name);
		return true;
	}
	if (n == 1) {
		print_giver(&g.v[0]);
	} else if (n > 1) {
		printf("  one of these, as the arguments were (a record has "
		       "none):\n");
		for (i = 0; i < g.n; i++)
			print_giver(&g.v[i]);
	} else {
		diag_error(&ctx->diag, &at, "%s on %s got %s, which policy "
			   "'%s' never gives it: the record comes from another "
			   "filter", name ? name : "this call",
			   arch_info(arch)->name, act,
			   sj->fp.policy->name.s);
	}
	VEC_FREE(&g);
	return n > 0;
}

/* Every record of @path ("-": standard input) against the policy.  The
 * log's text goes to *@out, for the caller to free after the
 * diagnostics that quote it. */
static bool explain_log(struct leash_ctx *ctx, const char *path,
			const struct subject *sj, struct src_file **out)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	struct src_file *src;
	unsigned seen = 0, bad = 0;
	struct seclog_rec r;
	const char *line, *why;
	size_t len;
	char *buf;
	int rc, i;

	rc = read_file(strcmp(path, "-") ? path : "/dev/stdin", &buf, &len,
		       LEASH_MAX_FILE_SIZE);
	if (rc < 0) {
		diag_file_error(&ctx->diag, name, "%s", rc == -EFBIG ?
				"file too large" : strerror(-rc));
		return false;
	}
	src = *out = src_file_new(path, name, buf, len);
	for (i = 1; (size_t)i <= src->n_lines; i++) {
		struct leash_loc at;

		line = src_line(src, i, &len);
		if (!line)
			continue;
		at = call_loc(src, (size_t)(line - src->buf), len);
		rc = seclog_parse(line, len, &r, &why);
		if (rc == 0)
			continue;
		seen++;
		if (rc < 0) {
			diag_error(&ctx->diag, &at, "a seccomp record without "
				   "'%s='", why);
			bad++;
		} else if (!explain_record(ctx, sj, &r, src,
					   (size_t)(line - src->buf))) {
			bad++;
		}
	}
	if (!seen)
		diag_file_error(&ctx->diag, name, "no seccomp audit record: "
				"lines with type=1326 (dmesg, journalctl -k) or "
				"type=SECCOMP (auditd)");
	return seen && !bad;
}

/* The filter of the one policy, the arch, the call's number and its
 * arguments. */
static bool build_policy(struct leash_ctx *ctx, const struct cli_opts *o,
			 struct subject *sj)
{
	struct policy_vec pols = { 0 };
	bool ok = false;

	if (front_run(ctx, &o->front, o->args[0]) >= 0 &&
	    cli_policies(ctx, o->policy, 1, &pols) >= 0 &&
	    build_seccomp(ctx, pols.v[0], BACKEND_NATIVE, 0, &sj->sc) >= 0) {
		flat_build(ctx, pols.v[0], &sj->fp);
		sj->have_fp = true;
		ok = true;
	}
	VEC_FREE(&pols);
	return ok;
}

static bool build_subject(struct leash_ctx *ctx, const struct cli_opts *o,
			  const struct src_file *text,
			  const struct call *call, struct subject *sj)
{
	bool ok;

	if (!build_policy(ctx, o, sj))
		return false;
	/* Both say what is wrong: a bad arch and a bad argument. */
	ok = pick_arch(ctx, o->arch, &sj->fp, &sj->arch);
	ok = ok && eval_args(ctx, sj->arch, text, call, sj->args);
	return ok && call_nr(&ctx->diag, NULL, call->name, sj->arch, &sj->nr);
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

/*
 * A compiled filter given for its policy would make the front end print
 * a screen of stray bytes: one line says what happened.
 */
static bool policy_is_binary(struct leash_ctx *ctx, const char *path)
{
	if (!call_file_is_binary(path))
		return false;
	diag_file_error(&ctx->diag, path, "not a leash policy (binary data); "
			"explain reads the policy, e.g. web.leash");
	return true;
}

/* The summary line (not after a one-line refusal), then what the
 * subject and the context hold. */
static void finish(struct leash_ctx *ctx, struct subject *sj, bool summary)
{
	if (summary)
		diag_summary(&ctx->diag);
	if (sj->have_fp)
		flat_free(&sj->fp);
	build_seccomp_free(&sj->sc);
	leash_ctx_fini(ctx);
}

/* explain --log: the policy's filter, then every record. */
static int explain_log_cmd(const struct cli_opts *o)
{
	struct subject sj = { 0 };
	struct src_file *log = NULL;
	struct leash_ctx ctx;
	int rc = EXIT_INPUT;
	bool binary;

	leash_ctx_init(&ctx, stderr);
	ctx.diag.prog = "leash explain";
	binary = policy_is_binary(&ctx, o->args[0]);
	if (!binary && call_file_is_binary(o->log)) {
		diag_file_error(&ctx.diag, o->log, "not a log (binary data); "
				"--log reads the kernel's text records, as "
				"dmesg, journalctl -k or auditd write them");
		binary = true;
	}
	if (!binary && build_policy(&ctx, o, &sj) &&
	    explain_log(&ctx, o->log, &sj, &log))
		rc = 0;
	finish(&ctx, &sj, !binary);
	src_file_free(log);
	return rc;
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
	bool binary;
	int rc = cli_parse(&explain_cmd, argc, argv, &o);

	if (rc >= 0)
		goto done;
	if (o.log ? o.n_args != 1 : o.n_args != 2) {
		rc = cli_usage(&explain_cmd, o.log ? "with --log, only the "
			       "policy" : "a policy and a call, or --log");
		goto done;
	}
	if (o.log) {
		rc = explain_log_cmd(&o);
		goto done;
	}
	if (!call_parse(o.args[1], &call, &why, &where)) {
		rc = cli_usage(&explain_cmd, "'%s': %s", o.args[1], why);
		goto done;
	}
	rc = EXIT_INPUT;
	leash_ctx_init(&ctx, stderr);
	ctx.diag.prog = "leash explain";
	text = src_file_copy("<call>", o.args[1], strlen(o.args[1]));
	binary = policy_is_binary(&ctx, o.args[0]);
	if (!binary && build_subject(&ctx, &o, text, &call, &sj) &&
	    run_and_print(&ctx, o.args[1], &call, &sj))
		rc = 0;
	finish(&ctx, &sj, !binary);
done:
	src_file_free(text);
	call_free(&call);
	cli_opts_free(&o);
	return rc;
}
