/* SPDX-License-Identifier: MIT */
/*
 * call.c - one system call as explain and test read it (call.h).
 */
#include "cli/call.h"
#include "seccomp/bpf.h"
#include "seccomp/sim-bpf.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void call_free(struct call *c)
{
	unsigned i;

	free(c->name);
	for (i = 0; i < c->n_args; i++)
		free(c->args[i]);
	memset(c, 0, sizeof(*c));
}

static void push_arg(struct call *c, const char *s, const char *start,
		     const char *end)
{
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	c->arg_off[c->n_args] = (size_t)(start - s);
	c->args[c->n_args++] = xstrndup(start, (size_t)(end - start));
}

#define FAIL(msg, at) \
	do { *why = (msg); *where = (size_t)((at) - s); return false; } \
	while (0)

bool call_parse(const char *s, struct call *c, const char **why,
		size_t *where)
{
	const char *p = s, *start;
	int depth = 0;

	memset(c, 0, sizeof(*c));
	while (isspace((unsigned char)*p))
		p++;
	start = p;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	if (p == start)
		FAIL("expected a system call name, as in 'socket(AF_INET, "
		     "SOCK_STREAM, 0)'", p);
	c->name_off = (size_t)(start - s);
	c->name = xstrndup(start, (size_t)(p - start));
	while (isspace((unsigned char)*p))
		p++;
	if (!*p)
		return true;
	if (*p != '(')
		FAIL("expected '(' after the system call name", p);
	start = ++p;
	for (;; p++) {
		if (!*p)
			FAIL("missing ')'", p);
		/* What would end a define: an argument is one expression. */
		if (strchr(";{}\"#@", *p))
			FAIL("an argument must be a constant expression", p);
		if (*p == '(') {
			depth++;
		} else if ((*p == ',' || *p == ')') && depth == 0) {
			while (start < p && isspace((unsigned char)*start))
				start++;
			if (start == p && !(*p == ')' && c->n_args == 0))
				FAIL("empty argument", p);
			if (start < p) {
				if (c->n_args == CALL_MAX_ARGS)
					FAIL("a system call has at most 6 "
					     "arguments", start);
				push_arg(c, s, start, p);
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
	if (*p)
		FAIL("unexpected text after ')'", p);
	return true;
}

#undef FAIL

struct leash_loc call_loc(const struct src_file *f, size_t off, size_t len)
{
	size_t lo = 0, hi = f->n_lines;
	struct leash_loc l;

	/* the last line that starts at or before @off */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	l.file = f;
	l.first_line = l.last_line = (int)lo + 1;
	l.first_column = (int)(off - f->lines[lo]) + 1;
	l.last_column = l.first_column + (int)(len ? len : 1);
	return l;
}

static void report(struct diag *d, const struct leash_loc *loc,
		   const char *fmt, ...) LEASH_PRINTF(3, 4);
static void report(struct diag *d, const struct leash_loc *loc,
		   const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (loc)
		diag_error(d, loc, "%s", msg);
	else
		diag_plain_error(d, "%s", msg);
}

bool call_nr(struct diag *d, const struct leash_loc *loc, const char *name,
	     enum leash_arch arch, int64_t *nr)
{
	const struct arch_info *ai = arch_info(arch);
	const char *hint;
	bool mux = false;

	if (isdigit((unsigned char)name[0])) {
		unsigned long long v;
		char *end;

		errno = 0;
		v = strtoull(name, &end, 0);
		if (errno || *end || v > UINT32_MAX) {
			report(d, loc, "'%s' is not a system call number",
			       name);
			return false;
		}
		/* x32's bit 30, unless the number already carries it. */
		if (!(v & ai->nr_bias))
			v += ai->nr_bias;
		if (v > UINT32_MAX) {
			report(d, loc, "'%s' is not a system call number on "
			       "arch %s", name, ai->name);
			return false;
		}
		*nr = (int64_t)v;
		return true;
	}
	*nr = syscall_nr(arch, name, &mux);
	if (*nr >= 0)
		return true;
	if (mux) {
		/* x86's socket calls and SysV IPC before their own numbers */
		report(d, loc, "'%s' is not a system call of its own on arch "
		       "%s: it is reached through socketcall or ipc", name,
		       ai->name);
		return false;
	}
	/* A name that exists elsewhere is no misspelling. */
	hint = syscall_known_anywhere(name) ? NULL : syscall_suggest(name);
	if (hint && syscall_nr(arch, hint, NULL) >= 0)
		report(d, loc, "'%s' is not a system call on arch %s (did you "
		       "mean '%s'?)", name, ai->name, hint);
	else
		report(d, loc, "'%s' is not a system call on arch %s", name,
		       ai->name);
	return false;
}

/* ---- constant expressions ------------------------------------------------ */

#define EVAL_HEAD "define __leash_call_value = "

/* Move @e's locations from the scratch text into @at's file. */
static void relocate(struct expr *e, const struct src_file *scratch,
		     const struct leash_loc *at)
{
	struct leash_loc *locs[2] = { &e->loc, &e->op_loc };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(locs); i++) {
		struct leash_loc *l = locs[i];
		int shift = at->first_column - 1 - (int)strlen(EVAL_HEAD);

		if (l->file != scratch)
			continue;
		l->file = at->file;
		if (l->first_line == 1)
			l->first_column += shift;
		if (l->last_line == 1)
			l->last_column += shift;
		l->first_line += at->first_line - 1;
		l->last_line += at->first_line - 1;
	}
	if (e->lhs)
		relocate(e->lhs, scratch, at);
	if (e->rhs)
		relocate(e->rhs, scratch, at);
	for (i = 0; i < e->items.n; i++)
		relocate(e->items.v[i], scratch, at);
}

/* A syntax error of the scratch text, said where @text is written. */
static void syntax_error(struct leash_ctx *ctx, const struct diag *quiet,
			 const char *text, const struct leash_loc *at)
{
	const char *first = diag_first_error(quiet);
	struct leash_loc loc = *at;
	int line = 0, col = 0, skip = 0, off;

	/* diag_first_error() is "LINE:COL: TEXT" for a located error. */
	if (first && sscanf(first, "%d:%d: %n", &line, &col, &skip) == 2 &&
	    skip > 0) {
		off = col - 1 - (int)strlen(EVAL_HEAD);
		if (line == 1 && off >= 0 && (size_t)off < strlen(text)) {
			loc.first_column += off;
			loc.last_column = loc.first_column + 1;
			diag_error(&ctx->diag, &loc, "'%s' is not a constant "
				   "expression: %s", text, first + skip);
			return;
		}
	}
	diag_error(&ctx->diag, &loc, "'%s' is not a constant expression",
		   text);
}

bool call_eval(struct leash_ctx *ctx, enum leash_arch arch, const char *text,
	       const struct leash_loc *at, uint64_t *out)
{
	char *buf = xasprintf(EVAL_HEAD "%s;\n", text);
	struct leash_ctx scratch;
	struct src_file *src;
	struct ast_file *f;
	bool ok = false;

	/*
	 * The grammar parses @text as the value of a define, in a context
	 * of its own that prints nothing; the expression, moved to where
	 * @text is written, is then evaluated in the policy's namespace,
	 * whose errors thus point into the user's text, not into ours.
	 */
	leash_ctx_init(&scratch, NULL);
	src = src_file_new("<call>", "<call>", buf, strlen(buf));
	f = grammar_parse(&scratch, src);
	if (diag_failed(&scratch.diag) || f->defines.n != 1 ||
	    f->includes.n || f->groups.n || f->policies.n ||
	    f->has_version || !f->defines.v[0]->value) {
		syntax_error(ctx, &scratch.diag, text, at);
	} else {
		relocate(f->defines.v[0]->value, src, at);
		ok = res_eval_const_arch(ctx, f->defines.v[0]->value, arch,
					 out);
	}
	ast_file_free(f);
	src_file_free(src);
	leash_ctx_fini(&scratch);
	return ok;
}

/* ---- actions and runs ---------------------------------------------------- */

const char *call_action_str(enum leash_arch arch, uint32_t action, char *buf,
			    size_t len)
{
	uint32_t data = action & IR_RET_DATA_MASK;

	switch (action & IR_RET_ACTION_MASK) {
	case IR_RET_ERRNO:
	case IR_RET_TRACE:
		return sim_action_str(arch, action, buf, len);
	default:
		if (!data)
			return sim_action_str(arch, action, buf, len);
		/* the name alone would hide it */
		snprintf(buf, len, "0x%08x", action);
		return buf;
	}
}

int call_run(struct diag *d, const struct seccomp_out *sc,
	     enum leash_arch arch, int64_t nr, const uint64_t args[6],
	     uint32_t *ret)
{
	struct seccomp_data sd = { 0 };

	sd.nr = (int)(uint32_t)nr;
	sd.arch = arch_info(arch)->audit_arch;
	memcpy(sd.args, args, sizeof(sd.args));
	if (bpf_run(sc->bpf, sc->bpf_len, &sd, ret, NULL) < 0) {
		diag_plain_error(d, "internal error: the compiled filter does "
				 "not run");
		return -EPROTO;
	}
	/* The BPF decides; the IR only names the rule.  They must agree. */
	if (ir_eval(sc->ir, sd.arch, nr, args) != *ret) {
		diag_plain_error(d, "internal error: the compiled filter and "
				 "the IR disagree");
		return -EPROTO;
	}
	return 0;
}

/* The IR's arch for the call, found as ir_eval() finds it. */
static const struct ir_arch *find_ir_arch(const struct ir_filter *f,
					  enum leash_arch arch, int64_t nr)
{
	uint32_t audit = arch_info(arch)->audit_arch;
	uint32_t x32_bit = arch_info(ARCH_X32)->nr_bias;
	size_t i;

	for (i = 0; i < f->n_arches; i++) {
		const struct ir_arch *a = &f->arches[i];

		if (arch_info(a->arch)->audit_arch != audit)
			continue;
		/* x86_64 and x32 share an audit arch; bit 30 tells them
		 * apart. */
		if ((a->arch == ARCH_X32 || a->arch == ARCH_X86_64) &&
		    (a->arch == ARCH_X32) != (((uint32_t)nr & x32_bit) != 0))
			continue;
		return a;
	}
	return NULL;
}

enum call_why call_decider(const struct ir_filter *ir,
			   const struct flat_policy *fp, enum leash_arch arch,
			   int64_t nr, const uint64_t args[6],
			   const struct sc_stmt **stmt,
			   const struct leash_loc **net)
{
	const struct ir_arch *a = find_ir_arch(ir, arch, nr);
	size_t i, r;

	*stmt = NULL;
	*net = NULL;
	if (!a)
		return CALL_BAD_ARCH;
	for (i = 0; i < a->n_sys; i++) {
		const struct ir_syscall *s = &a->sys[i];

		if ((uint32_t)s->nr != (uint32_t)nr)
			continue;
		for (r = 0; r < s->n_rules; r++) {
			if (ir_cond_eval(s->rules[r].cond, args)) {
				*stmt = s->rules[r].src;
				*net = s->rules[r].net_loc;
				return *stmt ? CALL_RULE : CALL_NETWORK;
			}
		}
		*stmt = fp->default_stmt;
		return CALL_DEFAULT;	/* a private syscall, say */
	}
	if ((uint32_t)nr > (uint32_t)a->max_nr) {
		/* without 'unknown', such numbers get the default */
		*stmt = fp->unknown_stmt ? fp->unknown_stmt : fp->default_stmt;
		return CALL_UNKNOWN;
	}
	*stmt = fp->default_stmt;
	return CALL_DEFAULT;
}

int call_givers(const struct ir_filter *ir, const struct flat_policy *fp,
		enum leash_arch arch, int64_t nr, uint32_t action,
		call_giver_fn *fn, void *opaque)
{
	const struct ir_arch *a = find_ir_arch(ir, arch, nr);
	const struct ir_syscall *s = NULL;
	bool covered = false;
	int n = 0;
	size_t i;

	if (!a)
		return -1;
	for (i = 0; i < a->n_sys && !s; i++)
		if ((uint32_t)a->sys[i].nr == (uint32_t)nr)
			s = &a->sys[i];
	for (i = 0; s && i < s->n_rules; i++) {
		const struct ir_rule *r = &s->rules[i];

		covered |= !r->cond;
		if (r->action != action)
			continue;
		fn(opaque, r->src ? CALL_RULE : CALL_NETWORK, r->src,
		   r->net_loc);
		n++;
	}
	/* The default is reached unless a rule matches every call. */
	if (!s && (uint32_t)nr > (uint32_t)a->max_nr) {
		if (a->unknown_action == action) {
			fn(opaque, CALL_UNKNOWN, fp->unknown_stmt ?
			   fp->unknown_stmt : fp->default_stmt, NULL);
			n++;
		}
	} else if (!covered && a->default_action == action) {
		fn(opaque, CALL_DEFAULT, fp->default_stmt, NULL);
		n++;
	}
	return n;
}

/* ---- input check --------------------------------------------------------- */

bool call_file_is_binary(const char *path)
{
	unsigned char buf[1024];
	ssize_t n;
	size_t got = 0;
	int fd;

	if (strcmp(path, "-") == 0)
		return false;	/* cannot look without taking it away */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return false;
	while (got < sizeof(buf)) {
		n = read(fd, buf + got, sizeof(buf) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	/* A character cut by the end of the buffer (not of the file)
	 * is no error. */
	return !utf8_valid(buf, got, UTF8_NO_NUL | UTF8_STRICT |
			   (got == sizeof(buf) ? UTF8_CUT_OK : 0));
}
