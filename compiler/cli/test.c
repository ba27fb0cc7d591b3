/* SPDX-License-Identifier: MIT */
/*
 * test.c - 'leash test POLICY VECTORS...': pin a policy's decisions.
 *
 * Each line of a VECTORS file is one call and the action the policy must
 * give it:
 *
 *     [@POLICY] ARCH CALL(ARG, ...) => ACTION     # comment
 *
 * Like explain, test runs the compiled BPF in the interpreter (what the
 * kernel would do), and with --json also the JSON profile as runc loads
 * it, so that CI catches an edit that changes what a container gets, in
 * whichever form it gets it.  Every failing or malformed line is a
 * located error of the VECTORS file.
 */
#include "cli/call.h"
#include "cli/cli.h"
#include "seccomp/bpf.h"
#include "seccomp/scmp-json.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_cmd test_cmd = {
	.name = "test",
	.opts = CLI_INCLUDE | CLI_POLICY | CLI_JSON,
	.synopsis = "[-p NAME] [--json] [-I DIR] POLICY VECTORS...",
	.min_args = 2,
	.max_args = -1,
	.help = "Check that the policy's compiled filter gives every call of "
		"the VECTORS files\nthe action they expect.  Each line reads\n"
		"  [@POLICY] ARCH CALL(ARG, ...) => ACTION\n"
		"as in 'x86_64 socket(AF_INET, SOCK_STREAM, 0) => errno(EPERM)'"
		";\n'#' starts a comment.  A failing or malformed line is an "
		"error at its place;\nthe exit status is 0 when every line "
		"held, 1 otherwise.\n"
		"  -p NAME   the policy of lines without @POLICY (default: "
		"the file's only one)\n"
		"  --json    also run each call through the JSON profile as "
		"runc loads it\n",
};

/* One policy the vectors name, built once, on first use. */
struct built {
	const struct ast_policy *policy;
	bool ok;
	struct seccomp_out sc;
	struct flat_policy fp;
	bool have_fp;
	struct sock_filter *json;	/* --json: what runc would load */
	size_t json_len;
};
VEC(built_vec, struct built *);

struct run {
	struct leash_ctx ctx;
	const struct cli_opts *o;
	const struct ast_policy *dflt;	/* of lines without @POLICY */
	struct built_vec built;
	unsigned held, failed, bad;	/* lines, this file */
};

/* The line being read: its text and where it starts in its file. */
struct line {
	const struct src_file *src;
	size_t base;
	char *s;	/* the line, its comment and trailing blanks cut */
};

static struct leash_loc at(const struct line *l, size_t off, size_t len)
{
	return call_loc(l->src, l->base + off, len);
}

/* ---- building ------------------------------------------------------------ */

/* The profile runc would load from the policy's NAME.seccomp.json. */
static bool build_json(struct run *r, struct built *b)
{
	const struct ast_policy *p = b->policy;
	_cleanup_free_ char *name = xasprintf("%s.seccomp.json", p->name.s);
	struct src_file *src = src_file_copy(name, b->sc.json.s,
					     b->sc.json.len);
	struct sj_profile *prof = NULL;
	struct diag_scope saved;
	struct diag quiet;
	int rc;

	diag_init(&quiet, NULL);
	rc = sj_parse(src, &prof, &quiet);
	if (rc == 0)
		rc = sj_compile(prof, NULL, &b->json, &b->json_len, &quiet);
	saved = diag_enter(&r->ctx.diag, p->name.s, "json", &p->name.loc);
	if (rc < 0)
		diag_error(&r->ctx.diag, NULL, "runc would refuse this "
			   "profile: %s", diag_first_error(&quiet) ?
			   diag_first_error(&quiet) : strerror(-rc));
	else if (!b->json)
		diag_error(&r->ctx.diag, NULL, "runc would run without "
			   "seccomp: the profile has no default action");
	diag_leave(&r->ctx.diag, saved);
	diag_fini(&quiet);
	sj_profile_destroy(&prof);
	src_file_free(src);
	return rc == 0 && b->json;
}

static const struct built *built_for(struct run *r,
				     const struct ast_policy *p)
{
	struct built *b;
	size_t i;

	for (i = 0; i < r->built.n; i++)
		if (r->built.v[i]->policy == p)
			return r->built.v[i];
	b = xcalloc(1, sizeof(*b));
	b->policy = p;
	VEC_PUSH(&r->built, b);
	if (build_seccomp(&r->ctx, p, BACKEND_NATIVE,
			  r->o->json ? BUILD_JSON : 0, &b->sc) < 0)
		return b;
	b->have_fp = flat_build(&r->ctx, p, &b->fp) == 0;
	b->ok = b->have_fp && (!r->o->json || build_json(r, b));
	return b;
}

static void built_free(struct built *b)
{
	build_seccomp_free(&b->sc);
	if (b->have_fp)
		flat_free(&b->fp);
	free(b->json);
	free(b);
}

/* ---- reading a line ------------------------------------------------------ */

static const struct {
	const char *name;
	uint32_t ret;
	uint64_t max;		/* of its argument; 0: it takes none */
} actions[] = {
	{ "allow", IR_RET_ALLOW, 0 },
	{ "log", IR_RET_LOG, 0 },
	{ "trap", IR_RET_TRAP, 0 },
	{ "notify", IR_RET_NOTIFY, 0 },
	{ "kill", IR_RET_KILL_PROCESS, 0 },
	{ "kill_process", IR_RET_KILL_PROCESS, 0 },
	{ "kill_thread", IR_RET_KILL_THREAD, 0 },
	{ "deny", IR_RET_ERRNO | 1, 0 },	/* errno(EPERM) */
	{ "errno", IR_RET_ERRNO, 4095 },
	{ "trace", IR_RET_TRACE, 65535 },
};

static const char *action_suggest(const char *word)
{
	size_t i, d, best = 3;
	const char *hint = NULL;

	for (i = 0; i < ARRAY_SIZE(actions); i++) {
		d = edit_distance(word, actions[i].name, best);
		if (d < best) {
			best = d;
			hint = actions[i].name;
		}
	}
	return hint;
}

/* "errno(EPERM)" at @off of the line into *@want. */
static bool read_action(struct run *r, const struct line *l, size_t off,
			enum leash_arch arch, uint32_t *want)
{
	const char *s = l->s + off, *p = s, *open, *close;
	struct leash_loc loc;
	_cleanup_free_ char *word = NULL, *arg = NULL;
	uint64_t v, max;
	size_t i;

	while (islower((unsigned char)*p) || *p == '_')
		p++;
	word = xstrndup(s, (size_t)(p - s));
	for (i = 0; i < ARRAY_SIZE(actions); i++)
		if (!strcmp(word, actions[i].name))
			break;
	loc = at(l, off, strlen(s));
	if (!*word) {
		diag_error(&r->ctx.diag, &loc, "expected an action after "
			   "'=>', as in 'allow' or 'errno(EPERM)'");
		return false;
	}
	if (i == ARRAY_SIZE(actions)) {
		const char *hint = action_suggest(word);

		loc = at(l, off, strlen(word));
		if (hint)
			diag_error(&r->ctx.diag, &loc, "unknown action '%s' "
				   "(did you mean '%s'?)", word, hint);
		else
			diag_error(&r->ctx.diag, &loc, "unknown action '%s'",
				   word);
		return false;
	}
	*want = actions[i].ret;
	max = actions[i].max;
	while (isspace((unsigned char)*p))
		p++;
	if (!max) {
		if (!*p)
			return true;
		loc = at(l, off + (size_t)(p - s), strlen(p));
		diag_error(&r->ctx.diag, &loc, "unexpected text after '%s'",
			   word);
		return false;
	}
	open = p;
	close = s + strlen(s) - 1;
	if (*open != '(' || close <= open || *close != ')') {
		loc = at(l, off + (size_t)(p - s), strlen(p));
		diag_error(&r->ctx.diag, &loc, "expected '%s(VALUE)'", word);
		return false;
	}
	for (p = open + 1; p < close && isspace((unsigned char)*p); p++)
		;
	arg = xstrndup(p, (size_t)(close - p));
	for (i = strlen(arg); i && isspace((unsigned char)arg[i - 1]); i--)
		arg[i - 1] = '\0';
	loc = at(l, off + (size_t)(p - s), *arg ? strlen(arg) : 1);
	if (!*arg || strpbrk(arg, ";{}\"@")) {
		diag_error(&r->ctx.diag, &loc, "expected a constant "
			   "expression in '%s(...)'", word);
		return false;
	}
	if (!call_eval(&r->ctx, arch, arg, &loc, &v))
		return false;
	if (v > max) {
		diag_error(&r->ctx.diag, &loc, "%s value %llu is out of range "
			   "0..%llu", word, (unsigned long long)v,
			   (unsigned long long)max);
		return false;
	}
	*want |= (uint32_t)v;
	return true;
}

/* The policy @name, else the one of lines without @POLICY. */
static const struct ast_policy *read_policy(struct run *r,
					    const struct line *l,
					    const char *name, size_t off)
{
	const struct ast_file *root = r->ctx.files.v[0];
	struct leash_loc loc = at(l, off, name ? strlen(name) + 1 : 1);
	const char *hint = NULL;
	struct ast_policy *p;
	size_t i, d, best = 3;

	if (!name && r->dflt)
		return r->dflt;
	if (!name) {
		if (root->policies.n)
			diag_error(&r->ctx.diag, &loc, "%s defines %zu "
				   "policies: name one with @POLICY (or -p)",
				   root->src->name, root->policies.n);
		else
			diag_error(&r->ctx.diag, &loc, "%s defines no "
				   "policy", root->src->name);
		return NULL;
	}
	p = res_find_policy(&r->ctx, name);
	if (p)
		return p;
	for (i = 0; i < r->ctx.policies.n; i++) {
		d = edit_distance(name, r->ctx.policies.v[i]->name.s, best);
		if (d < best) {
			best = d;
			hint = r->ctx.policies.v[i]->name.s;
		}
	}
	if (hint)
		diag_error(&r->ctx.diag, &loc, "no policy '%s' in %s (did you "
			   "mean '%s'?)", name, root->src->name, hint);
	else
		diag_error(&r->ctx.diag, &loc, "no policy '%s' in %s", name,
			   root->src->name);
	return NULL;
}

static bool read_arch(struct run *r, const struct line *l, const char *name,
		      size_t off, enum leash_arch *arch)
{
	const struct arch_info *ai = arch_by_name(name);
	struct leash_loc loc = at(l, off, strlen(name));
	const char *hint;

	if (ai) {
		*arch = ai->id;
		return true;
	}
	hint = arch_suggest(name);
	if (hint)
		diag_error(&r->ctx.diag, &loc, "unknown arch '%s' (did you "
			   "mean '%s'?)", name, hint);
	else
		diag_error(&r->ctx.diag, &loc, "unknown arch '%s'", name);
	return false;
}

/* The next word at *@off: its text, *@off moved past it and the blanks
 * after it. */
static char *word_at(const struct line *l, size_t *off, size_t *start)
{
	const char *s = l->s + *off, *p = s;

	while (*p && !isspace((unsigned char)*p))
		p++;
	*start = *off;
	*off += (size_t)(p - s);
	while (isspace((unsigned char)l->s[*off]))
		(*off)++;
	return xstrndup(s, (size_t)(p - s));
}

/* ---- one vector -------------------------------------------------------- */

/* What the policy says about the answer: a note after the error. */
static void say_why(struct run *r, const struct built *b,
		    enum leash_arch arch, int64_t nr, const uint64_t *args)
{
	const struct sc_stmt *stmt;
	const struct leash_loc *net;
	struct diag *d = &r->ctx.diag;
	char act[32];

	switch (call_decider(b->sc.ir, &b->fp, arch, nr, args, &stmt,
			     &net)) {
	case CALL_BAD_ARCH:
		diag_note(d, &b->policy->name.loc, "arch %s is not in policy "
			  "'%s': any other arch gets %s", arch_info(arch)->name,
			  b->policy->name.s,
			  call_action_str(arch, b->sc.ir->bad_arch_action, act,
					  sizeof(act)));
		return;
	case CALL_UNKNOWN:
		if (stmt)
			diag_note(d, &stmt->loc, "nr %lld is above every "
				  "number leash knows: decided by the '%s' "
				  "action", (long long)nr,
				  stmt == b->fp.unknown_stmt ? "unknown" :
				  "default");
		else
			diag_note(d, &b->policy->name.loc, "nr %lld is above "
				  "every number leash knows, and policy '%s' "
				  "sets no default: errno(EPERM)",
				  (long long)nr, b->policy->name.s);
		return;
	case CALL_RULE:
		diag_note(d, &stmt->loc, "decided by this rule");
		return;
	case CALL_NETWORK:
		diag_note(d, net ? net : &b->policy->name.loc,
			  "decided by the network section, before the "
			  "seccomp section's rules");
		return;
	case CALL_DEFAULT:
	default:
		if (stmt)
			diag_note(d, &stmt->loc, "no rule matches: decided by "
				  "the default action");
		else
			diag_note(d, &b->policy->name.loc, "no rule matches, "
				  "and policy '%s' sets no default: "
				  "errno(EPERM)", b->policy->name.s);
		return;
	}
}

static void run_vector(struct run *r, const struct line *l,
		       const struct built *b, const char *call,
		       enum leash_arch arch, int64_t nr, const uint64_t *args,
		       uint32_t want, size_t act_off)
{
	struct leash_loc loc = at(l, act_off, strlen(l->s + act_off));
	struct seccomp_data sd = { 0 };
	char got[32], exp[32];
	uint32_t ret, jret;
	bool ok = true;

	if (call_run(&r->ctx.diag, &b->sc, arch, nr, args, &ret) < 0) {
		r->bad++;
		return;
	}
	call_action_str(arch, want, exp, sizeof(exp));
	if (ret != want) {
		diag_error(&r->ctx.diag, &loc, "%s on %s: expected %s, the "
			   "filter gives %s", call, arch_info(arch)->name,
			   exp, call_action_str(arch, ret, got, sizeof(got)));
		say_why(r, b, arch, nr, args);
		ok = false;
	}
	if (r->o->json) {
		sd.nr = (int)(uint32_t)nr;
		sd.arch = arch_info(arch)->audit_arch;
		memcpy(sd.args, args, sizeof(sd.args));
		if (bpf_run(b->json, b->json_len, &sd, &jret, NULL) < 0) {
			diag_plain_error(&r->ctx.diag, "internal error: the "
					 "JSON profile's filter does not run");
			r->bad++;
			return;
		}
		/* Said once when both give the same wrong answer. */
		if (jret != want && (ok || jret != ret)) {
			diag_error(&r->ctx.diag, &loc, "%s on %s: expected %s, "
				   "the JSON profile as runc loads it gives "
				   "%s", call, arch_info(arch)->name, exp,
				   call_action_str(arch, jret, got, sizeof(got)));
			ok = false;
		}
	}
	if (ok)
		r->held++;
	else
		r->failed++;
}

/* Read and run one line; false when it is malformed. */
static bool test_line(struct run *r, struct line *l)
{
	_cleanup_free_ char *pol = NULL, *arch_s = NULL, *call_s = NULL;
	const struct ast_policy *p;
	const struct built *b;
	struct call call = { 0 };
	struct leash_loc loc;
	size_t off = 0, pol_off = 0, arch_off, call_off, act_off, where, n;
	const char *arrow, *why;
	enum leash_arch arch = ARCH_X86_64;
	uint64_t args[CALL_MAX_ARGS] = { 0 };
	uint32_t want = 0;
	int64_t nr = 0;
	bool ok = true;
	unsigned i;

	while (isspace((unsigned char)l->s[off]))
		off++;
	if (l->s[off] == '@') {
		off++;
		pol = word_at(l, &off, &pol_off);
		pol_off--;	/* the '@' */
		/* @"docker-default", as the policy is written */
		n = strlen(pol);
		if (n >= 2 && pol[0] == '"' && pol[n - 1] == '"') {
			memmove(pol, pol + 1, n - 2);
			pol[n - 2] = '\0';
		}
		if (!*pol) {
			loc = at(l, pol_off, 1);
			diag_error(&r->ctx.diag, &loc, "expected a policy name "
				   "after '@'");
			return false;
		}
	}
	arch_s = word_at(l, &off, &arch_off);
	arrow = strstr(l->s + off, "=>");
	if (!*arch_s || !l->s[off] || l->s + off == arrow) {
		loc = at(l, off, 1);
		diag_error(&r->ctx.diag, &loc, "expected %s, as in 'x86_64 "
			   "read(0) => allow'", !*arch_s ? "an arch" :
			   "a call after the arch");
		return false;
	}
	if (!arrow) {
		loc = at(l, strlen(l->s), 1);
		diag_error(&r->ctx.diag, &loc, "expected '=> ACTION' after "
			   "the call");
		return false;
	}
	call_off = off;
	call_s = xstrndup(l->s + off, (size_t)(arrow - (l->s + off)));
	if (!call_parse(call_s, &call, &why, &where)) {
		loc = at(l, call_off + where, 1);
		diag_error(&r->ctx.diag, &loc, "%s", why);
		call_free(&call);
		return false;
	}
	/* The call as written, for messages. */
	for (i = (unsigned)strlen(call_s); i && isspace((unsigned char)
						       call_s[i - 1]); i--)
		call_s[i - 1] = '\0';
	act_off = (size_t)(arrow - l->s) + 2;
	while (isspace((unsigned char)l->s[act_off]))
		act_off++;

	/* Each part says what is wrong with it. */
	p = read_policy(r, l, pol, pol_off);
	ok = p != NULL;
	if (!read_arch(r, l, arch_s, arch_off, &arch)) {
		ok = false;
	} else {
		loc = at(l, call_off + call.name_off, strlen(call.name));
		ok = call_nr(&r->ctx.diag, &loc, call.name, arch, &nr) && ok;
	}
	for (i = 0; i < call.n_args; i++) {
		loc = at(l, call_off + call.arg_off[i], strlen(call.args[i]));
		ok = call_eval(&r->ctx, arch, call.args[i], &loc, &args[i]) &&
		     ok;
	}
	ok = read_action(r, l, act_off, arch, &want) && ok;
	if (ok) {
		b = built_for(r, p);
		/* a policy that does not build said so already */
		if (b->ok)
			run_vector(r, l, b, call_s + call.name_off, arch, nr,
				   args, want, act_off);
		else
			r->bad++;
	}
	call_free(&call);
	return ok;
}

/* ---- files ------------------------------------------------------------- */

static void test_file(struct run *r, const char *path,
		      struct src_file **out)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	struct line l = { 0 };
	size_t len, n;
	char *buf, *hash;
	int rc, i;

	r->held = r->failed = r->bad = 0;
	if (call_file_is_binary(path)) {
		diag_file_error(&r->ctx.diag, path, "not a vectors file "
				"(binary data); test reads lines such as "
				"'x86_64 read(0) => allow'");
		return;
	}
	rc = read_file(strcmp(path, "-") ? path : "/dev/stdin", &buf, &len,
		       LEASH_MAX_FILE_SIZE);
	if (rc < 0) {
		diag_file_error(&r->ctx.diag, name, "%s", rc == -EFBIG ?
				"file too large" : strerror(-rc));
		return;
	}
	*out = src_file_new(path, name, buf, len);
	l.src = *out;
	for (i = 1; (size_t)i <= l.src->n_lines; i++) {
		const char *text = src_line(l.src, i, &n);

		if (!text)
			continue;
		l.base = (size_t)(text - l.src->buf);
		l.s = xstrndup(text, n);
		hash = strchr(l.s, '#');
		if (hash)
			*hash = '\0';
		for (n = strlen(l.s); n && isspace((unsigned char)l.s[n - 1]);
		     n--)
			l.s[n - 1] = '\0';
		if (l.s[strspn(l.s, " \t")] && !test_line(r, &l))
			r->bad++;
		free(l.s);
	}
	printf("%s: %u of %u vectors held\n", name, r->held,
	       r->held + r->failed + r->bad);
	/* A file that tests nothing cannot fail: CI would pass on an
	 * empty or truncated file. */
	if (r->held + r->failed + r->bad == 0)
		diag_file_error(&r->ctx.diag, name, "no vectors: write lines "
				"such as 'x86_64 read(0) => allow'");
}

int cmd_test(int argc, char **argv)
{
	struct src_file **srcs = NULL;
	struct policy_vec pols = { 0 };
	struct run r = { 0 };
	struct cli_opts o;
	bool any_bad = false;
	size_t i;
	int rc = cli_parse(&test_cmd, argc, argv, &o);

	if (rc >= 0)
		goto done;
	for (i = 1; i < (size_t)o.n_args; i++)
		if (!strcmp(o.args[i], "-") && !strcmp(o.args[0], "-")) {
			rc = cli_usage(&test_cmd, "the policy and the vectors "
				       "cannot both be standard input");
			goto done;
		}
	rc = EXIT_INPUT;
	r.o = &o;
	leash_ctx_init(&r.ctx, stderr);
	r.ctx.diag.prog = "leash test";
	if (call_file_is_binary(o.args[0])) {
		diag_file_error(&r.ctx.diag, o.args[0], "not a leash policy "
				"(binary data); test reads the policy, e.g. "
				"web.leash");
		leash_ctx_fini(&r.ctx);
		goto done;
	}
	if (front_run(&r.ctx, &o.front, o.args[0]) < 0)
		goto out;
	if (o.policy) {
		if (cli_policies(&r.ctx, o.policy, 1, &pols) < 0)
			goto out;
		r.dflt = pols.v[0];
	} else if (r.ctx.files.v[0]->policies.n == 1) {
		r.dflt = r.ctx.files.v[0]->policies.v[0];
	}
	srcs = xcalloc((size_t)o.n_args, sizeof(*srcs));
	for (i = 1; i < (size_t)o.n_args; i++) {
		test_file(&r, o.args[i], &srcs[i]);
		any_bad |= r.failed || r.bad;
	}
	if (!any_bad && !diag_failed(&r.ctx.diag))
		rc = 0;
out:
	diag_summary(&r.ctx.diag);
	for (i = 0; i < r.built.n; i++)
		built_free(r.built.v[i]);
	VEC_FREE(&r.built);
	VEC_FREE(&pols);
	leash_ctx_fini(&r.ctx);
	/* after the context: its diagnostics point into them */
	for (i = 0; srcs && i < (size_t)o.n_args; i++)
		src_file_free(srcs[i]);
	free(srcs);
done:
	cli_opts_free(&o);
	return rc;
}
