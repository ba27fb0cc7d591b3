/* SPDX-License-Identifier: MIT */
/*
 * import-write.c - the text half of 'leash import': the rules import.c
 * settled, written as seccomp and capabilities sections, with argument
 * values by name where one built-in name fits, lists wrapped at 78
 * columns, and comments for what was left out.
 */
#include "interop/import-int.h"
#include "common/sigs.h"
#include "seccomp/emit-scmp.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WRAP 78

/* ---- actions ---------------------------------------------------------------- */

/*
 * The arches of the statement being written, a bit per enum leash_arch:
 * a name is written only where it has the same value on every one of
 * them (docs/language.md section 2), since a profile's numbers are the
 * same on every arch.  Set by put_stmt1() and imp_put_seccomp(), which
 * all writing goes through: the one writer's state, rather than a
 * parameter of its eight helpers.
 */
static uint32_t stmt_arches;
static bool uniform_is(const char *name, uint64_t v);

static enum leash_arch first_arch(uint32_t set)
{
	int a;

	for (a = 0; a < ARCH_COUNT - 1 && !(set & (UINT32_C(1) << a)); a++)
		;
	return (enum leash_arch)a;
}

static void put_action(struct strbuf *sb, uint32_t act)
{
	uint32_t data = act & SECCOMP_RET_DATA;
	const char *n;

	switch (act & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS: sb_puts(sb, "kill"); return;
	case SECCOMP_RET_KILL_THREAD: sb_puts(sb, "kill_thread"); return;
	case SECCOMP_RET_TRAP: sb_puts(sb, "trap"); return;
	case SECCOMP_RET_LOG: sb_puts(sb, "log"); return;
	case SECCOMP_RET_ALLOW: sb_puts(sb, "allow"); return;
	case SECCOMP_RET_USER_NOTIF: sb_puts(sb, "notify"); return;
	case SECCOMP_RET_TRACE: sb_printf(sb, "trace(%u)", data); return;
	case SECCOMP_RET_ERRNO:
		/* A number where the name's value differs between the
		 * rule's arches: errno(ENOSYS) would be 89 on mips. */
		n = errno_name(first_arch(stmt_arches), data);
		if (n && !uniform_is(n, data))
			n = NULL;
		if (n)
			sb_printf(sb, "errno(%s)", n);
		else
			sb_printf(sb, "errno(%u)", data);
		return;
	default:
		break;
	}
	sb_printf(sb, "# unknown action 0x%x", act);
}

/* ---- constants by name ------------------------------------------------------ */

/* Which built-in names may stand for an argument's value. */
static const struct family {
	const char *sys;	/* syscall, "" for any */
	const char *arg;	/* the kernel's argument name */
	const char *prefix[4];
	bool flags;		/* a mask of one-bit names */
} families[] = {
	{ "socket", "family", { "AF_" }, false },
	{ "socketpair", "family", { "AF_" }, false },
	{ "socket", "type", { "SOCK_" }, false },
	{ "clone", "clone_flags", { "CLONE_" }, true },
	{ "unshare", "unshare_flags", { "CLONE_" }, true },
	{ "setns", "flags", { "CLONE_" }, true },
	{ "personality", "personality", { "PER_", "UNAME26" }, false },
	{ "prctl", "option", { "PR_" }, false },
	{ "fcntl", "cmd", { "F_" }, false },
	{ "fcntl64", "cmd", { "F_" }, false },
	{ "ioctl", "cmd", { "TIOC", "TC", "FIO" }, false },
	{ "mprotect", "prot", { "PROT_" }, true },
	{ "mmap", "prot", { "PROT_" }, true },
	{ "pkey_mprotect", "prot", { "PROT_" }, true },
};

/* Synonyms that would make every value of theirs ambiguous. */
static const char *const aliases[] = {
	"AF_LOCAL", "AF_FILE", "AF_ROUTE", "AF_MAX", "PR_SET_MM_MAP_SIZE",
};

static bool in_family(const struct family *f, const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(aliases); i++)
		if (!strcmp(aliases[i], name))
			return false;
	for (i = 0; i < ARRAY_SIZE(f->prefix) && f->prefix[i]; i++)
		if (!strncmp(name, f->prefix[i], strlen(f->prefix[i])))
			return true;
	return false;
}

/* @name has value @v on every arch of the statement. */
static bool uniform_is(const char *name, uint64_t v)
{
	uint64_t got;

	if (!stmt_arches || !const_uniform(name, stmt_arches))
		return false;
	return const_lookup(first_arch(stmt_arches), name, &got) && got == v;
}

/* The one name of @f with value @v, or NULL (none, or several). */
static const char *one_name(const struct family *f, uint64_t v)
{
	const char *found = NULL, *n;
	size_t i;

	for (i = 0; (n = const_name_at(i)) != NULL; i++) {
		if (!in_family(f, n) || !uniform_is(n, v))
			continue;
		if (found)
			return NULL;
		found = n;
	}
	return found;
}

static const struct family *family_of(const char *sys, const char *arg)
{
	size_t i;

	for (i = 0; arg && i < ARRAY_SIZE(families); i++)
		if (!strcmp(families[i].sys, sys) &&
		    !strcmp(families[i].arg, arg))
			return &families[i];
	return NULL;
}

static void put_num(struct strbuf *sb, uint64_t v)
{
	if (v < 10)
		sb_printf(sb, "%llu", (unsigned long long)v);
	else
		sb_printf(sb, "0x%llx", (unsigned long long)v);
}

/* @v by name where exactly one name of the family fits, else a number. */
static void put_value(struct strbuf *sb, const struct family *f, uint64_t v)
{
	struct strbuf t = { 0 };
	const char *n;
	int b;

	if (f && (n = one_name(f, v))) {
		sb_puts(sb, n);
		return;
	}
	if (!f || !f->flags || v == 0) {
		put_num(sb, v);
		return;
	}
	for (b = 0; b < 64; b++) {
		if (!(v >> b & 1))
			continue;
		n = one_name(f, 1ull << b);
		if (!n) {
			sb_free(&t);
			put_num(sb, v);
			return;
		}
		sb_printf(&t, "%s%s", t.len ? " | " : "", n);
	}
	sb_puts(sb, t.s);
	sb_free(&t);
}

/* ---- writing ------------------------------------------------------------------ */

struct out {
	struct strbuf sb;
	int col;
};

static void out_comment(struct strbuf *sb, const char *ind, const char *text)
{
	const char *p = text, *e;

	while (*p) {
		e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		sb_printf(sb, "%s#%s%.*s\n", ind, e > p ? " " : "",
			  (int)(e - p), p);
		p = *e ? e + 1 : e;
	}
}

/* "prefix a, b, c;" wrapped under the first item. */
static void put_list(struct strbuf *sb, const char *ind, const char *prefix,
		     char **items, size_t n, const char *suffix)
{
	size_t i, col, start = strlen(ind) + strlen(prefix);

	sb_printf(sb, "%s%s", ind, prefix);
	col = start;
	for (i = 0; i < n; i++) {
		size_t w = strlen(items[i]) + (i + 1 < n ? 1 : strlen(suffix));

		if (i && col + 1 + w > WRAP) {
			sb_printf(sb, "\n%*s", (int)start, "");
			col = start;
		} else if (i) {
			sb_putc(sb, ' ');
			col++;
		}
		sb_printf(sb, "%s%s", items[i], i + 1 < n ? "," : "");
		col += w;
	}
	sb_printf(sb, "%s\n", suffix);
}

/* @text after @first (already indented), wrapped after an operator or a
 * comma, continuation lines indented by @cont. */
static void put_wrapped(struct strbuf *sb, const char *first, int cont,
			const char *text, const char *end)
{
	size_t col = strlen(first), n;
	const char *p = text, *brk;

	sb_puts(sb, first);
	while (*p) {
		const char *q, *best = NULL;

		n = strlen(p);
		if (col + n + strlen(end) <= WRAP)
			break;
		/* The last break point that still fits. */
		for (q = p; *q && (size_t)(q - p) + col <= WRAP; q++) {
			if (*q != ' ' || q == p)
				continue;
			if (q[-1] == ',' || (q - p >= 2 &&
			    (!strncmp(q - 2, "||", 2) ||
			     !strncmp(q - 2, "&&", 2))) ||
			    (q[-1] == '|' && (q - p < 2 || q[-2] == ' ')))
				best = q;
		}
		if (!best)
			break;
		brk = best;
		sb_putn(sb, p, (size_t)(brk - p));
		sb_printf(sb, "\n%*s", cont, "");
		col = (size_t)cont;
		p = brk + 1;
	}
	sb_printf(sb, "%s%s", p, end);
}

/* Names for the arguments a statement compares: the kernel's where all
 * targets agree, else a0..a5. */
static void arg_names(const struct rule *r, char names[6][32])
{
	const struct syscall_sig *first = sig_lookup(r->names.v[0]);
	size_t i;
	int k;

	for (k = 0; k < 6; k++) {
		const char *n = first && k < first->nargs ? first->arg[k] :
							    NULL;

		for (i = 1; n && i < r->names.n; i++) {
			const struct syscall_sig *s = sig_lookup(r->names.v[i]);

			if (!s || k >= s->nargs || strcmp(s->arg[k], n))
				n = NULL;
		}
		/* s390's clone takes the stack first. */
		if (n && !strcmp(r->names.v[0], "clone") &&
		    (r->mask & ~(1u << ARCH_S390X | 1u << ARCH_S390)) == 0)
			n = k == 0 ? "newsp" : k == 1 ? "clone_flags" : n;
		if (n && strlen(n) < 32 && strncmp(n, "arg", 3) != 0)
			snprintf(names[k], 32, "%s", n);
		else
			snprintf(names[k], 32, "a%d", k);
	}
}

static void put_cmp(struct strbuf *sb, const struct family *f,
		    const char *an, const struct sj_arg *a)
{
	static const char *const op[] = {
		[SCMP_CMP_NE] = "!=", [SCMP_CMP_LT] = "<",
		[SCMP_CMP_LE] = "<=", [SCMP_CMP_EQ] = "==",
		[SCMP_CMP_GE] = ">=", [SCMP_CMP_GT] = ">",
	};

	if (a->op == SCMP_CMP_MASKED_EQ) {
		struct strbuf m = { 0 };

		put_value(&m, f, a->value);
		sb_printf(sb, strchr(m.s, '|') ? "(%s & (%s)) == " :
						 "(%s & %s) == ", an, m.s);
		sb_free(&m);
		put_value(sb, f, a->value_two & a->value);
		return;
	}
	sb_printf(sb, "%s %s ", an, op[a->op]);
	put_value(sb, f, a->value);
}

static const struct family *fam_at(const struct rule *r, char names[6][32],
				   unsigned idx)
{
	return r->names.n == 1 ? family_of(r->names.v[0], names[idx]) : NULL;
}

/* One entry's condition as runc applies it. */
static void put_entry_cond(struct strbuf *sb, const struct rule *r,
			   const struct sj_syscall *s, char names[6][32],
			   bool paren)
{
	const char *join = imp_repeats_index(s) ? " || " : " && ";
	size_t i;

	if (paren && s->n_args > 1)
		sb_putc(sb, '(');
	for (i = 0; i < s->n_args; i++) {
		const struct sj_arg *a = &s->args[i];

		if (i)
			sb_puts(sb, join);
		put_cmp(sb, fam_at(r, names, a->index), names[a->index], a);
	}
	if (paren && s->n_args > 1)
		sb_putc(sb, ')');
}

/* Whether all of @rs compare one and the same argument for equality. */
static bool all_eq_one(struct rule **rs, size_t n, unsigned *idx)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rs[i]->s->n_args != 1 ||
		    rs[i]->s->args[0].op != SCMP_CMP_EQ ||
		    rs[i]->s->args[0].index != rs[0]->s->args[0].index)
			return false;
	*idx = rs[0]->s->args[0].index;
	return n > 1;
}

static void warn_width(struct imp *im, const struct rule *r,
		       const struct sj_arg *a, const char *an)
{
	diag_warning(im->d, imp_at(im, a->line, a->col), "%s compares 32-bit "
	       "argument '%s' on 64 bits: imported as '%s:64' to mean the "
	       "same, but it is bypassable (a caller sets the upper half) "
	       "and can deny calls whose upper half holds garbage",
	       r->names.v[0], an, an);
}

/* The comments and notes of @rs, above their statement. */
static void put_comments(struct strbuf *sb, const char *ind,
			 struct rule **rs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (rs[i]->s->comment && *rs[i]->s->comment)
			out_comment(sb, ind, rs[i]->s->comment);
		if (rs[i]->notes.len)
			out_comment(sb, ind, rs[i]->notes.s);
	}
}

/* The arguments any of @rs compares, a bit each. */
static unsigned args_used(struct rule **rs, size_t n)
{
	unsigned used = 0;
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < rs[i]->s->n_args; k++)
			used |= 1u << rs[i]->s->args[k].index;
	return used;
}

/*
 * "name(a0, a1:64)", with arguments up to @maxi; @widened gets those
 * compared on 64 bits though @name's are narrower.
 */
static char *stmt_target(const char *name, char names[6][32],
			 unsigned used, int maxi, bool narrow,
			 bool widened[6])
{
	struct strbuf t = { 0 };
	int a;

	sb_puts(&t, name);
	for (a = 0; a <= maxi; a++) {
		bool wide = !narrow && (used & 1u << a) &&
			    sig_arg_width(name, (unsigned)a) < 64;

		sb_printf(&t, "%s%s%s", a ? ", " : "(", names[a],
			  wide ? ":64" : "");
		widened[a] |= wide;
	}
	if (maxi >= 0)
		sb_putc(&t, ')');
	return sb_steal(&t);
}

/* Where the statement for @rs does not quite say what its JSON did. */
static void warn_args(struct imp *im, const struct rule *r,
		      struct rule **rs, size_t n, char names[6][32],
		      const bool widened[6])
{
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < rs[i]->s->n_args; k++) {
			const struct sj_arg *a = &rs[i]->s->args[k];

			if (widened[a->index])
				warn_width(im, r, a, names[a->index]);
			if (a->op == SCMP_CMP_MASKED_EQ &&
			    (a->value_two & ~a->value))
				diag_warning(im->d, imp_at(im, a->line, a->col),
				       "masked value 0x%llx has bits outside "
				       "mask 0x%llx: libseccomp ignores them, "
				       "and so does the import",
				       (unsigned long long)a->value_two,
				       (unsigned long long)a->value);
		}
}

/* The condition of @rs: "x in { ... }" where that says it all. */
static void put_cond(struct strbuf *cond, const struct rule *r,
		     struct rule **rs, size_t n, char names[6][32])
{
	unsigned idx;
	size_t i;

	if (all_eq_one(rs, n, &idx)) {
		const struct family *f = fam_at(r, names, idx);

		sb_printf(cond, "%s in { ", names[idx]);
		for (i = 0; i < n; i++) {
			if (i)
				sb_puts(cond, ", ");
			put_value(cond, f, rs[i]->s->args[0].value);
		}
		sb_puts(cond, " }");
		return;
	}
	for (i = 0; i < n; i++) {
		if (i)
			sb_puts(cond, " || ");
		put_entry_cond(cond, r, rs[i]->s, names, n > 1);
	}
}

/* "if COND;" on a line of its own below the targets, wrapped. */
static void put_if(struct strbuf *sb, const char *ind, const char *cond)
{
	_cleanup_free_ char *first = xasprintf("\n%s    if ", ind);

	sb_putc(sb, '\n');
	put_wrapped(sb, first + 1, (int)strlen(ind) + 7, cond, ";\n");
}

/* A statement for rules @rs (same action, `when` and targets); with
 * @narrow, 32-bit arguments stay 32-bit (libseccomp on x32). */
static void put_stmt1(struct imp *im, struct strbuf *sb, const char *ind,
		      struct rule **rs, size_t n, bool narrow)
{
	struct rule *r = rs[0];
	char names[6][32];
	unsigned used;
	struct strbuf pre = { 0 }, cond = { 0 };
	char **targets;
	size_t i, k, nt = 0;
	int maxi = -1;
	bool widened[6] = { false };

	put_comments(sb, ind, rs, n);
	used = args_used(rs, n);
	targets = xcalloc(r->names.n + 1, sizeof(*targets));
	for (k = 0; k < 6; k++)
		if (used & 1u << k)
			maxi = (int)k;
	arg_names(r, names);
	for (i = 0; i < r->names.n; i++)
		if (!r->dead[i])
			targets[nt++] = stmt_target(r->names.v[i], names,
						    used, maxi, narrow,
						    widened);
	if (!nt) {
		free(targets);
		return;
	}
	if (!narrow)
		warn_args(im, r, rs, n, names, widened);
	stmt_arches = r->mask & im->selected;
	put_action(&pre, r->act);
	sb_putc(&pre, ' ');
	if (maxi < 0) {
		put_list(sb, ind, pre.s, targets, nt, ";");
	} else {
		put_list(sb, ind, pre.s, targets, nt, "");
		sb->len--;	/* the newline */
		put_cond(&cond, r, rs, n, names);
		put_if(sb, ind, cond.s);
	}
	for (i = 0; i < nt; i++)
		free(targets[i]);
	free(targets);
	sb_free(&pre);
	sb_free(&cond);
}

/* "arch A || arch B": the arches of @set, as a 'when' condition. */
static void arch_cond(const struct imp *im, struct strbuf *sb, uint32_t set)
{
	size_t i;
	bool first = true;

	for (i = 0; i < im->n_arch; i++) {
		if (!(set & 1u << im->arch[i]))
			continue;
		sb_printf(sb, "%sarch %s", first ? "" : " || ",
			  arch_info(im->arch[i])->name);
		first = false;
	}
}

/*
 * libseccomp compares all 64 bits on a 64-bit arch, the low half only
 * where it reads arguments as 32 bits (x32 and the 32-bit ABIs: x86,
 * arm, ...), and the policy language refuses ':64' on a 32-bit ABI: a
 * rule that widens an argument is written once for the 64-bit arches
 * and once, as it stands, for the others.
 */
static void put_stmt(struct imp *im, struct strbuf *sb, const char *ind,
		     struct rule **rs, size_t n)
{
	struct rule *r = rs[0];
	_cleanup_free_ char *in = xasprintf("%s    ", ind);
	uint32_t sel = r->mask & im->selected, narrow = 0;
	struct strbuf cond = { 0 };
	bool wide = false;
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < rs[i]->s->n_args; k++)
			wide |= sig_arg_width(r->names.v[0],
					      rs[i]->s->args[k].index) < 64;
	for (i = 0; i < im->n_arch; i++)
		if ((sel & 1u << im->arch[i]) &&
		    emit_scmp_arch_is32(im->arch[i]))
			narrow |= 1u << im->arch[i];
	if (!wide || !narrow || !(sel & ~narrow)) {
		put_stmt1(im, sb, ind, rs, n, !(sel & ~narrow));
		return;
	}
	arch_cond(im, &cond, narrow);
	sb_printf(sb, "%swhen !(%s) {\n", ind, cond.s);
	put_stmt1(im, sb, in, rs, n, false);
	sb_printf(sb, "%s}\n%swhen %s {\n", ind, ind, cond.s);
	put_stmt1(im, sb, in, rs, n, true);
	sb_printf(sb, "%s}\n", ind);
	sb_free(&cond);
}

static bool same_names(const struct rule *a, const struct rule *b)
{
	size_t i;

	if (a->names.n != b->names.n)
		return false;
	for (i = 0; i < a->names.n; i++)
		if (strcmp(a->names.v[i], b->names.v[i]) ||
		    a->dead[i] != b->dead[i])
			return false;
	return true;
}

static bool plain(const struct rule *r)
{
	return !r->s->n_args && !(r->s->comment && *r->s->comment) &&
	       !r->notes.len;
}

/* Every statement of action @act under `when` @when, in profile order;
 * rules that say the same are merged into one. */
static void put_group(struct imp *im, struct strbuf *sb, const char *ind,
		      uint32_t act, const char *when)
{
	size_t i, j, n;
	struct rule **rs = xcalloc(im->n_r + 1, sizeof(*rs));

	for (i = 0; i < im->n_r; i++) {
		struct rule *r = &im->r[i];

		if (r->done || r->skip || r->act != act ||
		    strcmp(r->when, when))
			continue;
		n = 0;
		rs[n++] = r;
		r->done = true;
		for (j = i + 1; j < im->n_r; j++) {
			struct rule *q = &im->r[j];

			if (q->done || q->skip || q->act != act ||
			    strcmp(q->when, when))
				continue;
			if (plain(r) && plain(q)) {
				/* One list: append q's names to r's. */
				size_t k;

				for (k = 0; k < q->names.n; k++)
					if (!imp_has_name(r, q->names.v[k],
							  NULL)) {
						imp_push_name(&r->names,
							      q->names.v[k]);
						r->dead = xrealloc(r->dead,
							r->names.n *
							sizeof(*r->dead));
						r->dead[r->names.n - 1] = false;
					}
				q->done = true;
			} else if (r->s->n_args && q->s->n_args &&
				   same_names(r, q)) {
				rs[n++] = q;
				q->done = true;
			}
		}
		if (!r->names.n && r->notes.len) {
			if (r->s->comment && *r->s->comment)
				out_comment(sb, ind, r->s->comment);
			out_comment(sb, ind, r->notes.s);
			continue;
		}
		put_stmt(im, sb, ind, rs, n);
	}
	free(rs);
}

void imp_put_seccomp(struct imp *im, struct strbuf *sb)
{
	size_t i, j;
	bool first;

	sb_puts(sb, "    seccomp {\n        default ");
	stmt_arches = im->selected;
	put_action(sb, im->def);
	sb_puts(sb, ";\n");
	{
		char **names = xcalloc(im->n_arch, sizeof(*names));

		for (i = 0; i < im->n_arch; i++)
			names[i] = (char *)arch_info(im->arch[i])->name;
		put_list(sb, "        ", "arch ", names, im->n_arch, ";");
		free(names);
	}
	/* Actions in order of first appearance; in each, the rules without
	 * `when`, then one block per condition. */
	for (i = 0; i < im->n_r; i++) {
		struct rule *r = &im->r[i];
		uint32_t act = r->act;

		if (r->skip)
			continue;
		for (j = 0; j < i; j++)
			if (!im->r[j].skip && im->r[j].act == act)
				break;
		if (j < i)
			continue;
		sb_putc(sb, '\n');
		put_group(im, sb, "        ", act, "");
		for (j = i; j < im->n_r; j++) {
			struct rule *q = &im->r[j];
			struct strbuf body = { 0 };

			if (q->skip || q->done || q->act != act || !*q->when)
				continue;
			put_group(im, &body, "            ", act, q->when);
			if (body.len) {
				put_wrapped(sb, "        when ", 13, q->when,
					    " {\n");
				sb_printf(sb, "%s        }\n", body.s);
			}
			sb_free(&body);
		}
	}
	for (i = 0, first = true; i < im->n_r; i++) {
		struct rule *r = &im->r[i];
		_cleanup_free_ char *what = NULL;

		if (!r->skip)
			continue;
		if (first)
			sb_puts(sb, "\n        # Left out of the profile:\n");
		first = false;
		what = xasprintf("line %d: %s (%s)", r->s->line,
				 r->names.n ? r->names.v[0] : "(no syscall)",
				 r->why_skip);
		if (r->names.n > 1) {
			char *w = xasprintf("line %d: %s and %zu more (%s)",
					    r->s->line, r->names.v[0],
					    r->names.n - 1, r->why_skip);
			free(what);
			what = w;
		}
		out_comment(sb, "        ", what);
	}
	sb_puts(sb, "    }\n");
}

void imp_put_caps(struct imp *im, struct strbuf *sb)
{
	char *names[CAP_COUNT];
	size_t n = 0;
	int c;

	sb_puts(sb, "\n    capabilities {\n");
	if (im->caps_docker) {
		sb_puts(sb, "        # Docker's default set: `when cap` is "
			"decided as dockerd decides\n        # \"includes\" "
			"and \"excludes\" for a default container.\n"
			"        base docker;\n    }\n");
		return;
	}
	sb_puts(sb, "        base none;\n");
	for (c = 0; c < CAP_COUNT; c++)
		if (im->caps >> c & 1)
			names[n++] = (char *)cap_name(c);
	if (n)
		put_list(sb, "        ", "add ", names, n, ";");
	for (c = 0, n = 0; c < CAP_COUNT; c++)
		if (im->ambient >> c & 1)
			names[n++] = (char *)cap_name(c);
	if (n)
		put_list(sb, "        ", "ambient ", names, n, ";");
	sb_puts(sb, "    }\n");
}

/* ---- the rest of a config.json ------------------------------------------- */

/* Where "@key" first appears in the config: oci-read.c keeps no position
 * for lists and rlimits. */
static void key_loc(const struct imp *im, const char *key, int *line,
		    int *col)
{
	size_t k = strlen(key), i;
	int l = 1, c = 1;

	*line = *col = 0;
	for (i = 0; i + k + 2 <= im->len; i++) {
		if (im->buf[i] == '"' && im->buf[i + k + 1] == '"' &&
		    !strncasecmp(im->buf + i + 1, key, k)) {
			*line = l;
			*col = c;
			return;
		}
		if (im->buf[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
}

/* @path as a leash string for `mask`/`readonly`, or NULL after a located
 * error: those take plain absolute paths (they become OCI paths). */
static char *plain_path(struct imp *im, const char *key, const char *path)
{
	struct strbuf sb = { 0 };
	const char *why = NULL, *p;
	int line, col;

	if (path[0] != '/')
		why = "is not absolute";
	else if (strpbrk(path, "*?[]{}"))
		why = "has glob characters, which leash reads as a pattern";
	else if (!strcmp(path, "/..") || strstr(path, "/../") ||
		 (strlen(path) >= 3 && !strcmp(path + strlen(path) - 3,
						"/..")))
		why = "has a '..' component";
	for (p = path; !why && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			why = "has a control character";
		else if (*p == '"')
			why = "has a double quote, which leash's AppArmor "
			      "profile cannot quote";
	if (why) {
		key_loc(im, key, &line, &col);
		diag_error(im->d, imp_at(im, line, col),
			   "%s: path '%s' %s: it cannot be written as a leash "
			   "path",
			   key, path, why);
		return NULL;
	}
	sb_putc(&sb, '"');
	for (p = path; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_putc(&sb, '\\');
		sb_putc(&sb, *p);
	}
	sb_putc(&sb, '"');
	return sb.s;
}

static void put_paths(struct imp *im, struct strbuf *sb, const char *key,
		      const char *prefix, const struct oci_str_vec *v)
{
	char **q;
	size_t i, n = 0;

	if (!v->n)
		return;
	q = xcalloc(v->n, sizeof(*q));
	for (i = 0; i < v->n; i++) {
		char *s = plain_path(im, key, v->v[i]);

		if (s)
			q[n++] = s;
	}
	if (n == v->n)
		put_list(sb, "        ", prefix, q, n, ";");
	for (i = 0; i < n; i++)
		free(q[i]);
	free(q);
}

static void put_process(struct imp *im, struct strbuf *sb)
{
	const struct oci_container *c = im->oci;
	struct strbuf body = { 0 };
	char *ns[7];
	size_t n = 0, i;

	if (!c->no_new_privileges)
		sb_puts(&body, "        no_new_privileges off;\n");
	if (c->has_user)
		sb_printf(&body, "        user %u:%u;\n", c->uid, c->gid);
	if (c->userns) {
		ns[n++] = "user";
		diag_warning(im->d, imp_at(im, c->ns_loc.line, c->ns_loc.col),
		       "linux.uidMappings/gidMappings have no leash form: "
		       "leash-exec maps the user namespace itself");
	}
	if (c->has_pidns)
		ns[n++] = "pid";
	if (c->has_ipcns)
		ns[n++] = "ipc";
	if (c->has_utsns)
		ns[n++] = "uts";
	if (c->has_mntns)
		ns[n++] = "mount";
	if (c->has_netns)
		ns[n++] = "net";
	if (c->has_cgroupns)
		ns[n++] = "cgroup";
	if (n)
		put_list(&body, "        ", "namespaces ", ns, n, ";");
	for (i = 0; i < c->ignored.n; i++)
		diag_warning(im->d, imp_at(im, 0, 0),
			     "%s is not imported: leash has no form for it",
			     c->ignored.v[i]);
	if (c->apparmor_profile)
		diag_warning(
			im->d,
			imp_at(im, c->apparmor_loc.line, c->apparmor_loc.col),
			"apparmorProfile '%s' is not imported: leash writes "
			"its own profile (the apparmor section)",
			c->apparmor_profile);
	if (body.len)
		sb_printf(sb, "\n    process {\n%s    }\n", body.s);
	sb_free(&body);
}

static void put_filesystem(struct imp *im, struct strbuf *sb)
{
	const struct oci_container *c = im->oci;
	struct strbuf body = { 0 };

	if (c->readonly_root)
		sb_puts(&body, "        read_only_root;\n");
	put_paths(im, &body, "maskedPaths", "mask ", &c->masked_paths);
	put_paths(im, &body, "readonlyPaths", "readonly ", &c->readonly_paths);
	if (body.len)
		sb_printf(sb, "\n    filesystem {\n%s    }\n", body.s);
	sb_free(&body);
}

static void put_rlimit_value(struct strbuf *sb, uint64_t v)
{
	if (v == UINT64_MAX)
		sb_puts(sb, "unlimited");
	else
		sb_printf(sb, "%llu", (unsigned long long)v);
}

static void put_rlimits(struct imp *im, struct strbuf *sb)
{
	const struct oci_container *c = im->oci;
	bool seen[FL_COUNT] = { false };
	size_t i;
	int line, col;

	key_loc(im, "rlimits", &line, &col);
	for (i = 0; i < c->rlimits.n; i++) {
		const struct oci_rlimit *r = &c->rlimits.v[i];
		const struct flat_limit_info *li = NULL;
		int l;

		for (l = 0; l < FL_COUNT; l++) {
			li = flat_limit_info(l);
			if (li->oci_name && !strcasecmp(li->oci_name, r->type))
				break;
		}
		if (l == FL_COUNT) {
			diag_warning(im->d, imp_at(im, line, col),
				     "rlimit %s has no leash form: left out",
				     r->type);
			continue;
		}
		if (seen[l]) {
			diag_error(im->d, imp_at(im, line, col),
				   "rlimit %s is given twice",
				   r->type);
			continue;
		}
		seen[l] = true;
		if (r->soft > r->hard) {
			diag_error(im->d, imp_at(im, line, col),
				   "rlimit %s: soft limit %llu is above the "
				   "hard limit %llu",
				   r->type, (unsigned long long)r->soft,
				   (unsigned long long)r->hard);
			continue;
		}
		sb_printf(sb, "        %s ", li->name);
		put_rlimit_value(sb, r->soft);
		if (r->hard != r->soft) {
			sb_putc(sb, ':');
			put_rlimit_value(sb, r->hard);
		}
		sb_puts(sb, ";\n");
	}
}

static void put_limits(struct imp *im, struct strbuf *sb)
{
	const struct oci_container *c = im->oci;
	struct strbuf body = { 0 };

	if (c->memory > 0)
		sb_printf(&body, "        memory %lld;\n",
			  (long long)c->memory);
	if (c->cpus > 0) {
		/* leash takes 3 decimals: rounded down, so that the limit
		 * is never looser than the config's. */
		unsigned long long m = (unsigned long long)(c->cpus * 1000 +
							     1e-9);
		int line, col;

		key_loc(im, "quota", &line, &col);
		if (!m) {
			diag_error(im->d, imp_at(im, line, col),
				   "cpu quota/period %g is below leash's 0.001 "
				   "cpus",
				   c->cpus);
		} else {
			if (c->cpus - m / 1000.0 > 1e-9)
				diag_warning(im->d, imp_at(im, line, col),
					     "cpus %g rounded down to "
					     "%llu.%03llu",
					     c->cpus, m / 1000, m % 1000);
			sb_printf(&body, "        cpus %llu.%03llu;\n",
				  m / 1000, m % 1000);
		}
	}
	if (c->pids > 0)
		sb_printf(&body, "        pids %lld;\n", (long long)c->pids);
	put_rlimits(im, &body);
	if (body.len)
		sb_printf(sb, "\n    limits {\n%s    }\n", body.s);
	sb_free(&body);
}

void imp_put_config(struct imp *im, struct strbuf *sb)
{
	put_process(im, sb);
	put_filesystem(im, sb);
	put_limits(im, sb);
}
