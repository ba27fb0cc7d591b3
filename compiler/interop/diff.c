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
	char *where;
};
VEC(other_vec, struct other);

struct diff {
	const struct model *a, *b;
	struct change_vec chg;
	struct other_vec oth;
};

static void other(struct diff *d, const char *section, const char *what,
		  char *text, const char *where)
{
	struct other o = { section, what, text, where ? xstrdup(where) : NULL };

	VEC_PUSH(&d->oth, o);
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
			      NULL);
		return;
	}
	if (a->seccomp != b->seccomp) {
		other(d, "seccomp", a->seccomp == MODEL_SC_NONE ? "added" :
								"removed",
		      xstrdup(a->seccomp == MODEL_SC_NONE ?
				      "B has a seccomp filter, A none" :
				      "A has a seccomp filter, B none"),
		      NULL);
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
			      NULL);
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
	uint64_t added = d->b->caps & ~d->a->caps;
	uint64_t dropped = d->a->caps & ~d->b->caps;
	int c;

	for (c = 0; c < CAP_COUNT; c++) {
		_cleanup_free_ char *wa = NULL, *wb = NULL;

		if (added & FLAT_CAP_BIT(c)) {
			wb = model_cap_where(d->b, c);
			other(d, "capabilities", "added", xstrdup(cap_name(c)),
			      wb);
		}
		if (dropped & FLAT_CAP_BIT(c)) {
			wa = model_cap_where(d->a, c);
			other(d, "capabilities", "dropped",
			      xstrdup(cap_name(c)), wa);
		}
	}
	added = d->b->ambient & ~d->a->ambient;
	dropped = d->a->ambient & ~d->b->ambient;
	for (c = 0; c < CAP_COUNT; c++) {
		if (added & FLAT_CAP_BIT(c))
			other(d, "capabilities", "added",
			      xasprintf("ambient %s", cap_name(c)),
			      d->b->caps_where);
		if (dropped & FLAT_CAP_BIT(c))
			other(d, "capabilities", "dropped",
			      xasprintf("ambient %s", cap_name(c)),
			      d->a->caps_where);
	}
}

/* Statements of @x that @y lacks, as a multiset. */
static void stmts_minus(struct diff *d, const char *section, const char *what,
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
		other(d, section, what, xstrdup(x->v[i].text), x->v[i].where);
	}
}

static void setting(struct diff *d, const char *name, bool a, bool b,
		    const char *where)
{
	if (a != b)
		other(d, "process", b ? "added" : "removed", xstrdup(name),
		      where);
}

static void diff_settings(struct diff *d)
{
	const struct model *a = d->a, *b = d->b;

	stmts_minus(d, "filesystem", "removed", &a->fs, &b->fs);
	stmts_minus(d, "filesystem", "added", &b->fs, &a->fs);
	stmts_minus(d, "network", "removed", &a->net, &b->net);
	stmts_minus(d, "network", "added", &b->net, &a->net);
	setting(d, "no_new_privileges", a->nnp, b->nnp, b->nnp_where);
	setting(d, "memory limit", a->memory_limit, b->memory_limit,
		b->limits_where);
	setting(d, "pids limit", a->pids_limit, b->pids_limit,
		b->limits_where);
	setting(d, "user namespace", a->userns, b->userns, NULL);
	setting(d, "apparmor", a->apparmor, b->apparmor, b->apparmor_where);
	setting(d, "privileged", a->privileged, b->privileged, NULL);
}

/* ---- output -------------------------------------------------------------- */

static char *change_text(const struct change *c)
{
	char nb[32], ab[48], bb[48];
	const char *name = sim_nr_name(c->arch, c->nr, nb, sizeof(nb));
	_cleanup_free_ char *call = NULL;

	sim_action_str(c->a, ab, sizeof(ab));
	sim_action_str(c->b, bb, sizeof(bb));
	if (c->kind == CHG_ACTION)
		return xasprintf("%s: %s -> %s", name, ab, bb);
	call = sim_call_str(name, c->args);
	return xasprintf("%s: argument rule %s: %s: %s -> %s", name,
			 chg_names[c->kind], call, ab, bb);
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

		printf("%s: %s: %s", o->section, o->what, o->text);
		if (o->where)
			printf("  [%s]", o->where);
		putchar('\n');
	}
	if (!d->chg.n && !d->oth.n)
		printf("no difference\n");
	else
		printf("%zu difference%s\n", d->chg.n + d->oth.n,
		       d->chg.n + d->oth.n == 1 ? "" : "s");
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
			  sim_action_str(c->a, ab, sizeof(ab)),
			  sim_action_str(c->b, bb, sizeof(bb)));
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
		sb_puts(&sb, ", \"where\": ");
		model_json_str(&sb, o->where);
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
		free(d->oth.v[i].where);
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
