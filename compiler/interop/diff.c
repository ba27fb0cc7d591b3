/* SPDX-License-Identifier: MIT */
/*
 * diff.c - 'leash diff A B': the semantic difference of two
 * confinements.
 *
 * Each side is a .leash policy, a Docker/OCI seccomp profile, a raw .bpf,
 * an OCI config.json or one container of 'docker inspect' (model.h).
 * The filters are compared by running both (sim-bpf.c), arch by arch and
 * syscall by syscall, never by reading their rules: two spellings of the
 * same filter are equal, and a JSON profile means what runc loads.  An
 * arch neither filter accepts is not compared: each kills every call
 * there, whichever kill it picks.
 *
 * Everything else is compared as the model keeps it: statements (one
 * path or entry each, in one spelling) as multisets, settings by their
 * value's one spelling, each line with where A and where B say it.
 */
#include "interop/diff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum chg_kind { CHG_ACTION, CHG_WIDENED, CHG_NARROWED, CHG_CHANGED };

static const char *const chg_names[] = {
	[CHG_ACTION] = "action",
	[CHG_WIDENED] = "widened",
	[CHG_NARROWED] = "narrowed",
	[CHG_CHANGED] = "changed",
};

struct change {
	enum leash_arch arch;
	int64_t nr;
	enum chg_kind kind;
	uint32_t a, b;
	bool has_args;
	uint64_t args[6];
	char *where_a, *where_b;
};
VEC(change_vec, struct change);

/* A difference outside the filter: one line of text each. */
struct other {
	const char *section;	/* "arch", "seccomp", "capabilities", ... */
	const char *what;	/* "added", "removed", "changed", ... */
	char *text;
	char *where_a, *where_b;	/* where each side says it, or NULL */
	/* A setting: its name and each side's value (NULL: not set). */
	const char *setting;
	char *a, *b;
};
VEC(other_vec, struct other);

struct diff {
	const struct model *a, *b;
	struct change_vec chg;
	struct other_vec oth;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* One difference; @text is taken, the places copied. */
static struct other *other(struct diff *d, const char *section,
			   const char *what, char *text, const char *where_a,
			   const char *where_b)
{
	struct other o = { section, what, text, dup_or_null(where_a),
			   dup_or_null(where_b), NULL, NULL, NULL };

	VEC_PUSH(&d->oth, o);
	return &d->oth.v[d->oth.n - 1];
}

/* ---- the filters --------------------------------------------------------- */

static void add_change(struct diff *d, enum leash_arch arch, int64_t nr,
		       enum chg_kind kind, uint32_t a, uint32_t b,
		       const uint64_t *args)
{
	static const uint64_t zero[6];
	struct change c = { arch, nr, kind, a, b, args != NULL, { 0 },
			    NULL, NULL };

	if (args)
		memcpy(c.args, args, sizeof(c.args));
	c.where_a = model_where(d->a, arch, nr, args ? args : zero);
	c.where_b = model_where(d->b, arch, nr, args ? args : zero);
	VEC_PUSH(&d->chg, c);
}

static void diff_syscall(struct diff *d, enum leash_arch arch, int64_t nr,
			 struct sim_vec_list *vecs)
{
	static const uint64_t zero[6];
	const struct sim_filter *both[2] = { &d->a->sim, &d->b->sim };
	const struct sim_vec *ex[4] = { NULL };
	uint32_t a0, b0, ra, rb;
	bool uniform = true;
	size_t i;

	sim_vectors(both, 2, arch, nr, vecs);
	a0 = sim_action(&d->a->sim, arch, nr, zero, NULL);
	b0 = sim_action(&d->b->sim, arch, nr, zero, NULL);
	if (!vecs->n) {
		if (a0 != b0)
			add_change(d, arch, nr, CHG_ACTION, a0, b0, NULL);
		return;
	}
	for (i = 0; i < vecs->n; i++) {
		enum chg_kind k;

		ra = sim_action(&d->a->sim, arch, nr, vecs->v[i].a, NULL);
		rb = sim_action(&d->b->sim, arch, nr, vecs->v[i].a, NULL);
		if (ra != a0 || rb != b0)
			uniform = false;
		if (ra == rb)
			continue;
		k = sim_rank(rb) > sim_rank(ra) ? CHG_WIDENED :
		    sim_rank(rb) < sim_rank(ra) ? CHG_NARROWED :
						  CHG_CHANGED;
		if (!ex[k])
			ex[k] = &vecs->v[i];
	}
	if (uniform) {
		if (a0 != b0)
			add_change(d, arch, nr, CHG_ACTION, a0, b0, NULL);
		return;
	}
	for (i = CHG_WIDENED; i <= CHG_CHANGED; i++) {
		if (!ex[i])
			continue;
		add_change(d, arch, nr, (enum chg_kind)i,
			   sim_action(&d->a->sim, arch, nr, ex[i]->a, NULL),
			   sim_action(&d->b->sim, arch, nr, ex[i]->a, NULL),
			   ex[i]->a);
	}
}

static void diff_filters(struct diff *d)
{
	struct sim_vec_list vecs = { 0 };
	const struct model *a = d->a, *b = d->b;
	uint32_t both;
	int arch;

	if (a->seccomp == MODEL_SC_UNSEEN || b->seccomp == MODEL_SC_UNSEEN) {
		if (a->seccomp != b->seccomp)
			other(d, "seccomp", "unknown",
			      xasprintf("%s runs dockerd's default profile, "
					"which 'docker inspect' does not show",
					(a->seccomp == MODEL_SC_UNSEEN ? a : b)
						->name),
			      a->seccomp_where, b->seccomp_where);
		return;
	}
	if (a->seccomp != b->seccomp) {
		other(d, "seccomp", a->seccomp == MODEL_SC_NONE ? "added" :
								"removed",
		      xstrdup(a->seccomp == MODEL_SC_NONE ?
				      "B has a seccomp filter, A none" :
				      "A has a seccomp filter, B none"),
		      a->seccomp_where, b->seccomp_where);
		return;
	}
	if (a->seccomp == MODEL_SC_NONE)
		return;
	both = a->arches | b->arches;
	for (arch = 0; arch < ARCH_COUNT; arch++) {
		_cleanup_free_ int64_t *nrs = NULL;
		size_t n, i;

		if (!(both & FLAT_ARCH_BIT(arch)))
			continue;
		if ((a->arches ^ b->arches) & FLAT_ARCH_BIT(arch)) {
			bool in_a = a->arches & FLAT_ARCH_BIT(arch);

			other(d, "arch", in_a ? "removed" : "added",
			      xasprintf("%s: accepted by %s only",
					arch_info((enum leash_arch)arch)->name,
					in_a ? "A" : "B"),
			      a->arch_where, b->arch_where);
			continue;
		}
		n = sim_numbers((enum leash_arch)arch, &nrs);
		for (i = 0; i < n && !sim_over_budget(); i++)
			diff_syscall(d, (enum leash_arch)arch, nrs[i], &vecs);
	}
	VEC_FREE(&vecs);
}

/* ---- everything else ----------------------------------------------------- */

static void diff_caps(struct diff *d)
{
	const struct model *a = d->a, *b = d->b;
	uint64_t added = b->caps & ~a->caps;
	uint64_t dropped = a->caps & ~b->caps;
	int c;

	/* The side that lacks a capability is pointed at where it says its
	 * set; the side that has it, at the statement that grants it. */
	for (c = 0; c < CAP_COUNT; c++) {
		_cleanup_free_ char *wa = NULL, *wb = NULL;

		if (added & FLAT_CAP_BIT(c)) {
			wb = model_cap_where(b, c);
			other(d, "capabilities", "added", xstrdup(cap_name(c)),
			      a->caps_where, wb);
		}
		if (dropped & FLAT_CAP_BIT(c)) {
			wa = model_cap_where(a, c);
			other(d, "capabilities", "dropped",
			      xstrdup(cap_name(c)), wa, b->caps_where);
		}
	}
	added = b->ambient & ~a->ambient;
	dropped = a->ambient & ~b->ambient;
	for (c = 0; c < CAP_COUNT; c++) {
		if (added & FLAT_CAP_BIT(c))
			other(d, "capabilities", "added",
			      xasprintf("ambient %s", cap_name(c)),
			      a->caps_where, b->caps_where);
		if (dropped & FLAT_CAP_BIT(c))
			other(d, "capabilities", "dropped",
			      xasprintf("ambient %s", cap_name(c)),
			      a->caps_where, b->caps_where);
	}
}

/* Statements of @x that @y lacks, as a multiset; @x_is_a: @x is A's. */
static void stmts_minus(struct diff *d, const char *section, bool x_is_a,
			const struct model_stmt_vec *x,
			const struct model_stmt_vec *y)
{
	_cleanup_free_ bool *used = xcalloc(y->n + 1, sizeof(*used));
	size_t i, j;

	for (i = 0; i < x->n; i++) {
		for (j = 0; j < y->n; j++)
			if (!used[j] && !strcmp(x->v[i].text, y->v[j].text))
				break;
		if (j < y->n) {
			used[j] = true;
			continue;
		}
		other(d, section, x_is_a ? "removed" : "added",
		      xstrdup(x->v[i].text), x_is_a ? x->v[i].where : NULL,
		      x_is_a ? NULL : x->v[i].where);
	}
}

static void stmts(struct diff *d, const char *section,
		  const struct model_stmt_vec *a,
		  const struct model_stmt_vec *b)
{
	stmts_minus(d, section, true, a, b);
	stmts_minus(d, section, false, b, a);
}

/* A value as a line shows it: a namespace is its own value. */
static const char *shown(const char *v)
{
	return v && *v ? v : "new";
}

/* One side of a setting that one side cannot tell. */
static char *side(const struct model_val *v)
{
	switch (v->known) {
	case MK_UNKNOWN:
		return xasprintf("unknown (%s)", v->text ? v->text : "?");
	case MK_SET:
		return xstrdup(shown(v->text));
	default:
		return xstrdup("not set");
	}
}

/*
 * Compare one setting.  Both unknown: neither input tells, and there is
 * nothing to compare (two 'docker inspect' outputs hide the same
 * daemon's defaults); one unknown: a line saying so, never "equal".
 */
static void setting(struct diff *d, const char *section, const char *name,
		    const struct model_val *a, const struct model_val *b)
{
	const char *what;
	struct other *o;
	char *text;

	if (a->known == MK_NONE || b->known == MK_NONE)
		return;
	if (a->known == MK_UNKNOWN || b->known == MK_UNKNOWN) {
		_cleanup_free_ char *sa = NULL, *sb = NULL;

		if (a->known == b->known)
			return;
		sa = side(a);
		sb = side(b);
		what = "unknown";
		text = xasprintf("%s: A: %s; B: %s", name, sa, sb);
	} else if (a->known == MK_UNSET && b->known == MK_UNSET) {
		return;
	} else if (a->known == MK_SET && b->known == MK_SET) {
		if (!strcmp(a->text ? a->text : "", b->text ? b->text : ""))
			return;
		what = "changed";
		text = xasprintf("%s: %s -> %s", name, shown(a->text),
				 shown(b->text));
	} else {
		const struct model_val *v = a->known == MK_SET ? a : b;

		what = v == a ? "removed" : "added";
		text = v->text && *v->text ?
			       xasprintf("%s %s", name, v->text) :
			       xstrdup(name);
	}
	o = other(d, section, what, text, a->where, b->where);
	o->setting = name;
	o->a = a->known == MK_SET || a->known == MK_UNKNOWN ? side(a) : NULL;
	o->b = b->known == MK_SET || b->known == MK_UNKNOWN ? side(b) : NULL;
}

static void diff_settings(struct diff *d)
{
	const struct model *a = d->a, *b = d->b;
	int i;

	stmts(d, "filesystem", &a->fs, &b->fs);
	stmts(d, "network", &a->net, &b->net);
	for (i = 0; i < MP_COUNT; i++)
		setting(d, "process", model_proc_names[i], &a->proc[i],
			&b->proc[i]);
	for (i = 0; i < MN_COUNT; i++) {
		static const char *const ns[MN_COUNT] = {
			"namespace user", "namespace pid", "namespace ipc",
			"namespace uts", "namespace mount", "namespace net",
			"namespace cgroup", "namespace time",
		};

		setting(d, "process", ns[i], &a->ns[i], &b->ns[i]);
	}
	/* A policy's profile is called after the policy unless it says a
	 * name: two policies differ in the rules, not in their names. */
	if (!(a->kind == MODEL_POLICY && b->kind == MODEL_POLICY &&
	      a->aa_name_implied && b->aa_name_implied))
		setting(d, "apparmor", model_aa_names[MA_PROFILE],
			&a->aa[MA_PROFILE], &b->aa[MA_PROFILE]);
	for (i = MA_PROFILE + 1; i < MA_COUNT; i++)
		setting(d, "apparmor", model_aa_names[i], &a->aa[i],
			&b->aa[i]);
	if (a->has_aa_rules && b->has_aa_rules)
		stmts(d, "apparmor", &a->aa_raw, &b->aa_raw);
	for (i = 0; i < FL_COUNT; i++)
		setting(d, "limits", flat_limit_info((enum flat_limit)i)->name,
			&a->limits[i], &b->limits[i]);
}

/* ---- output -------------------------------------------------------------- */

static char *change_text(const struct change *c)
{
	char nb[32], ab[48], bb[48];
	const char *name = sim_nr_name(c->arch, c->nr, nb, sizeof(nb));
	_cleanup_free_ char *call = NULL;

	sim_action_str(c->arch, c->a, ab, sizeof(ab));
	sim_action_str(c->arch, c->b, bb, sizeof(bb));
	if (c->kind == CHG_ACTION)
		return xasprintf("%s: %s -> %s", name, ab, bb);
	call = sim_call_str(name, c->args);
	return xasprintf("%s: argument rule %s: %s: %s -> %s", name,
			 chg_names[c->kind], call, ab, bb);
}

/* The text of an "unknown" line after its setting's name. */
static const char *unknown_rest(const struct other *o)
{
	size_t n = o->setting ? strlen(o->setting) : 0;

	if (strcmp(o->what, "unknown") || !n || strncmp(o->text, o->setting, n))
		return NULL;
	return o->text + n;
}

static bool same_place(const char *x, const char *y)
{
	return (!x && !y) || (x && y && !strcmp(x, y));
}

/*
 * How many "unknown" lines from @i on say the same of different
 * settings (the rlimits that 'docker inspect' hides): the text shows
 * them as one line, --json one object each.
 */
static size_t same_unknown(const struct diff *d, size_t i)
{
	const struct other *o = &d->oth.v[i];
	const char *rest = unknown_rest(o);
	size_t n = 1;

	while (rest && i + n < d->oth.n) {
		const struct other *p = &d->oth.v[i + n];
		const char *r = unknown_rest(p);

		if (!r || strcmp(r, rest) || strcmp(p->section, o->section) ||
		    !same_place(p->where_a, o->where_a) ||
		    !same_place(p->where_b, o->where_b))
			break;
		n++;
	}
	return n;
}

static void print_where(const struct other *o)
{
	if (o->where_a && o->where_b)
		printf("  [A: %s, B: %s]", o->where_a, o->where_b);
	else if (o->where_a || o->where_b)
		printf("  [%s: %s]", o->where_a ? "A" : "B",
		       o->where_a ? o->where_a : o->where_b);
	putchar('\n');
}

static void print_unknowns(const struct diff *d, size_t i, size_t n)
{
	const struct other *o = &d->oth.v[i];

	printf("%s: unknown: ", o->section);
	for (size_t k = 0; k < n; k++)
		printf("%s%s", k ? ", " : "", d->oth.v[i + k].setting);
	printf("%s", unknown_rest(o));
	print_where(o);
}

static void print_text(const struct diff *d)
{
	int last = -1;
	size_t i;

	printf("--- %s\n+++ %s\n", d->a->name, d->b->name);
	if (d->a->kind == MODEL_SECCOMP || d->b->kind == MODEL_SECCOMP)
		printf("(a seccomp profile is resolved for Docker's default "
		       "capabilities unless --cap-add/--cap-drop say "
		       "otherwise)\n");
	for (i = 0; i < 2; i++) {
		_cleanup_free_ char *n = model_as_note(i ? d->b : d->a);

		if (n)
			printf("(%s)\n", n);
	}
	for (i = 0; i < d->chg.n; i++) {
		const struct change *c = &d->chg.v[i];
		_cleanup_free_ char *t = change_text(c);

		if ((int)c->arch != last) {
			printf("arch %s:\n", arch_info(c->arch)->name);
			last = (int)c->arch;
		}
		printf("  %s", t);
		if (c->where_a || c->where_b)
			printf("  [A: %s, B: %s]",
			       c->where_a ? c->where_a : "default",
			       c->where_b ? c->where_b : "default");
		putchar('\n');
	}
	for (i = 0; i < d->oth.n; i++) {
		const struct other *o = &d->oth.v[i];
		size_t n = same_unknown(d, i);

		if (n > 1) {
			print_unknowns(d, i, n);
			i += n - 1;
			continue;
		}
		printf("%s: %s: %s", o->section, o->what, o->text);
		print_where(o);
	}
	if (!d->chg.n && !d->oth.n)
		printf("no difference\n");
	else
		printf("%zu difference%s\n", d->chg.n + d->oth.n,
		       d->chg.n + d->oth.n == 1 ? "" : "s");
}

/* A removed or dropped line is about A, any other about B first. */
static const char *other_where(const struct other *o)
{
	if (!strcmp(o->what, "removed") || !strcmp(o->what, "dropped"))
		return o->where_a;
	return o->where_b ? o->where_b : o->where_a;
}

static void print_json(const struct diff *d)
{
	struct strbuf sb = { 0 };
	size_t i, k;

	sb_puts(&sb, "{\n  \"a\": ");
	model_json_str(&sb, d->a->name);
	sb_puts(&sb, ",\n  \"b\": ");
	model_json_str(&sb, d->b->name);
	sb_printf(&sb, ",\n  \"equal\": %s,\n  \"notes\": [",
		  d->chg.n || d->oth.n ? "false" : "true");
	for (i = 0, k = 0; i < 2; i++) {
		_cleanup_free_ char *n = model_as_note(i ? d->b : d->a);

		if (!n)
			continue;
		sb_puts(&sb, k++ ? ", " : "");
		model_json_str(&sb, n);
	}
	sb_puts(&sb, "],\n  \"syscalls\": [");
	for (i = 0; i < d->chg.n; i++) {
		const struct change *c = &d->chg.v[i];
		char nb[32], ab[48], bb[48];

		sb_puts(&sb, i ? ",\n    {" : "\n    {");
		sb_printf(&sb, "\"arch\": \"%s\", \"syscall\": ",
			  arch_info(c->arch)->name);
		model_json_str(&sb, sim_nr_name(c->arch, c->nr, nb, sizeof(nb)));
		sb_printf(&sb, ", \"nr\": %lld, \"change\": \"%s\", "
			  "\"a\": \"%s\", \"b\": \"%s\"",
			  (long long)c->nr, chg_names[c->kind],
			  sim_action_str(c->arch, c->a, ab, sizeof(ab)),
			  sim_action_str(c->arch, c->b, bb, sizeof(bb)));
		if (c->has_args) {
			sb_puts(&sb, ", \"args\": [");
			for (int m = 0; m < 6; m++)
				sb_printf(&sb, "%s\"0x%llx\"", m ? ", " : "",
					  (unsigned long long)c->args[m]);
			sb_putc(&sb, ']');
		}
		sb_puts(&sb, ", \"where_a\": ");
		model_json_str(&sb, c->where_a);
		sb_puts(&sb, ", \"where_b\": ");
		model_json_str(&sb, c->where_b);
		sb_putc(&sb, '}');
	}
	sb_puts(&sb, d->chg.n ? "\n  ],\n  \"other\": [" :
				"],\n  \"other\": [");
	for (i = 0; i < d->oth.n; i++) {
		const struct other *o = &d->oth.v[i];

		sb_puts(&sb, i ? ",\n    {" : "\n    {");
		sb_printf(&sb, "\"section\": \"%s\", \"change\": \"%s\", "
			  "\"text\": ", o->section, o->what);
		model_json_str(&sb, o->text);
		if (o->setting) {
			sb_puts(&sb, ", \"setting\": ");
			model_json_str(&sb, o->setting);
			sb_puts(&sb, ", \"a\": ");
			model_json_str(&sb, o->a);
			sb_puts(&sb, ", \"b\": ");
			model_json_str(&sb, o->b);
		}
		/* "where": the side the line is about, for scripts that
		 * read one place. */
		sb_puts(&sb, ", \"where\": ");
		model_json_str(&sb, other_where(o));
		sb_puts(&sb, ", \"where_a\": ");
		model_json_str(&sb, o->where_a);
		sb_puts(&sb, ", \"where_b\": ");
		model_json_str(&sb, o->where_b);
		sb_putc(&sb, '}');
	}
	sb_puts(&sb, d->oth.n ? "\n  ]\n}\n" : "]\n}\n");
	fputs(sb.s, stdout);
	sb_free(&sb);
}

/* ---- the entry point ----------------------------------------------------- */

static void diff_free(struct diff *d)
{
	size_t i;

	for (i = 0; i < d->chg.n; i++) {
		free(d->chg.v[i].where_a);
		free(d->chg.v[i].where_b);
	}
	VEC_FREE(&d->chg);
	for (i = 0; i < d->oth.n; i++) {
		free(d->oth.v[i].text);
		free(d->oth.v[i].where_a);
		free(d->oth.v[i].where_b);
		free(d->oth.v[i].a);
		free(d->oth.v[i].b);
	}
	VEC_FREE(&d->oth);
}

int diff_models(const struct model *a, const struct model *b, bool json)
{
	struct diff d = { .a = a, .b = b };
	int rc;

	diff_filters(&d);
	if (sim_over_budget()) {
		diff_free(&d);
		return -E2BIG;
	}
	if (a->has_caps && b->has_caps)
		diff_caps(&d);
	if (a->has_settings && b->has_settings)
		diff_settings(&d);
	if (json)
		print_json(&d);
	else
		print_text(&d);
	rc = d.chg.n || d.oth.n;
	diff_free(&d);
	return rc;
}
