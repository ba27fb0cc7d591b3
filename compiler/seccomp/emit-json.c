/* SPDX-License-Identifier: MIT */
/*
 * emit-json.c - the IR as a Docker/OCI seccomp profile.
 *
 * A profile has no rule order and no per-arch rules: every entry names
 * syscalls, and runc (through libseccomp) adds each entry's rule to every
 * listed arch on which libseccomp knows the name.  So the profile is
 * built from disjoint boxes (disjoint.c), one entry per distinct
 * (action, box) with all the names that share it, and before anything is
 * written the backend checks that libseccomp, fed this profile the way
 * runc feeds it (seccomp_linux.go matchCall(); scmp-json.c does the
 * same), ends up with exactly the policy on every arch:
 *
 *  - a name's boxes must be the same on every listed arch where the name
 *    exists (after the 32-bit truncation libseccomp does on 32-bit
 *    arches and x32).  Docker's "includes": {"arches": [...]} cannot
 *    help: moby resolves it against the *host's* GOARCH before runc sees
 *    the profile, so it picks rules per machine, not per syscall ABI;
 *    OCI runtimes have no includes at all;
 *  - socket and SysV IPC rules also land on socketcall()/ipc() where
 *    libseccomp multiplexes them (emit_scmp_mux()); where the policy treats
 *    those calls otherwise that is a note (check_mux());
 *  - the default action needs no rules (the boxes are disjoint, so
 *    leaving them out is exact, and runc drops such rules anyway).
 *
 * What the runtime decides and the profile cannot (NOTES): runc
 * prepends a stub returning ENOSYS for syscall numbers above the highest
 * one its libseccomp resolves among the profile's names, unless the
 * default action is allow, log or trace (patchbpf/enosys_linux.go).  An
 * extra entry with the default action (which runc never turns into a
 * rule) names the highest syscall of each arch, so that stub starts
 * where the runtime's table ends instead of at the policy's highest
 * rule.  Above that, the policy's 'unknown' action cannot be expressed,
 * and neither can rules for syscalls the runtime's libseccomp lacks:
 * each such fact becomes a note.
 */
#include "seccomp/emit-json.h"
#include "seccomp/emit-scmp.h"
#include "seccomp/scmp-json.h"
#include "seccomp/sim-bpf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>

#define ENOSYS_ACTION (IR_RET_ERRNO | ENOSYS)
/* How far below its table's end to look for libseccomp's highest name. */
#define SCAN_BACK 2048

/*
 * One profile rule's arguments.  A box says MASKED_EQ on every argument,
 * which is exact on a 64-bit arch but not what libseccomp keeps on a
 * 32-bit one: there it drops the upper halves of mask and value, so a
 * 64-bit range cut into ternary pieces widens (the piece "upper half not
 * zero" becomes "anything").  Where a name's pieces on one argument join
 * into a range open to the top, the rule says GE instead, as a person
 * would write it: libseccomp truncates that datum on a 32-bit arch into
 * the same range again.  check_name()
 * still proves, per arch, what libseccomp makes of it.
 */
struct jbox {
	struct dj_box box;		/* box.a[op_arg] has mask 0 */
	int op_arg;			/* -1: the box alone */
	enum ir_op op;			/* IR_GE */
	uint64_t datum;
};
VEC(jbox_vec, struct jbox);

struct name_ent {
	const char *name;
	struct dj_boxes plain;		/* the policy's boxes for it */
	struct jbox_vec rep;		/* the rules the profile gives it */
	const char *rep_arch;		/* where they came from */
	size_t order;			/* 64-bit arches first */
};

struct entry {
	struct jbox box;
	const char *name;
};

struct json_state {
	const struct ir_filter *f;
	struct diag *d;
	struct dj_boxes **boxes;	/* [arch][syscall index] */
	VEC(name_vec, struct name_ent) names;
	VEC(str_vec2, const char *) markers;
};


static const char *arch_name(const struct ir_arch *a)
{
	return arch_info(a->arch)->name;
}

static const char *sys_name(const struct ir_arch *a, const struct ir_syscall *s)
{
	const char *n = s->name ? s->name : syscall_name(a->arch, s->nr);

	return n ? n : "?";
}

static ssize_t find_sys(const struct ir_arch *a, int64_t nr)
{
	size_t lo = 0, hi = a->n_sys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->sys[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < a->n_sys && a->sys[lo].nr == nr ? (ssize_t)lo : -1;
}

static const struct dj_boxes empty_boxes;

/* The IR's boxes for syscall @nr on arch @ai (index into f->arches). */
static const struct dj_boxes *ir_boxes(struct json_state *st, size_t ai,
				       int64_t nr)
{
	ssize_t i = find_sys(&st->f->arches[ai], nr);

	return i < 0 ? &empty_boxes : &st->boxes[ai][i];
}

/*
 * Whether runc's rule for @name lands on arch @a: libseccomp has a number
 * for it there, or multiplexes it.  (For a name another arch has, it
 * returns a negative pseudo number, and no rule can ever match that.)
 */
static bool libseccomp_knows(const struct ir_arch *a, const char *name)
{
	uint32_t token = arch_info(a->arch)->scmp_token;
	int64_t mux_nr;
	uint32_t call;

	return token && (seccomp_syscall_resolve_name_arch(token, name) >= 0 ||
			 emit_scmp_mux(token, name, &mux_nr, &call));
}

static bool allowish(uint32_t action)
{
	uint32_t k = action & IR_RET_ACTION_MASK;

	return k == IR_RET_ALLOW || k == IR_RET_LOG || k == IR_RET_TRACE;
}

/* ---- step 1: boxes per arch and syscall ----------------------------------- */

static int build_boxes(struct json_state *st)
{
	const struct ir_filter *f = st->f;
	size_t a, s, j;
	int rc;

	st->boxes = xcalloc(f->n_arches, sizeof(*st->boxes));
	for (a = 0; a < f->n_arches; a++) {
		const struct ir_arch *ar = &f->arches[a];

		st->boxes[a] = xcalloc(ar->n_sys ? ar->n_sys : 1,
				       sizeof(**st->boxes));
		for (s = 0; s < ar->n_sys; s++) {
			rc = dj_build(&ar->sys[s], ar->default_action, 0,
					    &st->boxes[a][s]);
			if (rc == -E2BIG)
				return diag_fail(st->d, NULL, rc,
						 "the rules for '%s' on %s "
						 "need more than %d disjoint "
						 "rules",
						 sys_name(ar, &ar->sys[s]),
						 arch_name(ar), DJ_BUDGET);
			if (rc < 0)
				return diag_fail(st->d, NULL, rc,
						 "cannot rewrite the rules for "
						 "'%s' on %s",
						 sys_name(ar, &ar->sys[s]),
						 arch_name(ar));
			if (!emit_scmp_arch_is32(ar->arch))
				continue;
			for (j = 0; j < st->boxes[a][s].n; j++)
				if (!dj_box_is32(&st->boxes[a][s].v[j]))
					return diag_fail(st->d, NULL, -EINVAL,
						    "libseccomp compares only "
						    "the low 32 bits of "
						    "arguments on %s, but the "
						    "rules for '%s' compare "
						    "all 64",
						    arch_name(ar),
						    sys_name(ar, &ar->sys[s]));
		}
	}
	return 0;
}

/*
 * Every box is at least one BPF instruction on its arch, so past
 * BPF_MAXINSNS boxes the filter cannot load, and libseccomp, which
 * slows down more than quadratically with rules on several arches,
 * need not be asked (check_size() decides the rest exactly).
 */
static int check_total(struct json_state *st)
{
	size_t a, s, total = 0;

	for (a = 0; a < st->f->n_arches; a++)
		for (s = 0; s < st->f->arches[a].n_sys; s++)
			total += st->boxes[a][s].n;
	if (total > BPF_MAXINSNS)
		return diag_fail(st->d, NULL, -E2BIG,
				 "the policy needs %zu rules, more than the "
				 "kernel's %d BPF instructions can hold",
				 total, BPF_MAXINSNS);
	return 0;
}

/* ---- step 2: one set of boxes per name ------------------------------------ */

static int name_cmp(const void *x, const void *y)
{
	const struct name_ent *a = x, *b = y;
	int r = strcmp(a->name, b->name);

	if (r)
		return r;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* The interval [*lo, *hi] that @p matches, when it is one (64 bits). */
static bool pat_interval(const struct dj_pat *p, uint64_t *lo, uint64_t *hi)
{
	uint64_t free_bits = ~p->mask;

	/* Free bits must be the low ones: 2^s - 1; mask 0 is everything. */
	if (free_bits & (free_bits + 1))
		return false;
	*lo = p->value;
	*hi = p->value | free_bits;
	return true;
}

/* Same action and patterns but on argument @k. */
static bool same_but(const struct dj_box *x, const struct dj_box *y, int k)
{
	int i;

	if (x->action != y->action)
		return false;
	for (i = 0; i < DJ_ARGS; i++)
		if (i != k && (x->a[i].mask != y->a[i].mask ||
			       x->a[i].value != y->a[i].value))
			return false;
	return true;
}

static void push_box(struct jbox_vec *v, const struct dj_box *b, int k,
		     uint64_t mask, uint64_t value)
{
	struct jbox j = { *b, -1, IR_EQ, 0 };

	j.box.a[k].mask = mask;
	j.box.a[k].value = value;
	VEC_PUSH(v, j);
}

static void push_op(struct jbox_vec *v, const struct dj_box *b, int k,
		    enum ir_op op, uint64_t datum)
{
	struct jbox j = { *b, k, op, datum };

	j.box.a[k].mask = 0;
	j.box.a[k].value = 0;
	VEC_PUSH(v, j);
}

/* [lo, hi] as the fewest aligned ternary pieces. */
static void push_range(struct jbox_vec *v, const struct dj_box *b, int k,
		       uint64_t lo, uint64_t hi)
{
	for (;;) {
		/* The largest aligned block at lo that stays within hi;
		 * size 0 stands for 2^64. */
		uint64_t size = lo & (~lo + 1);

		while (size == 0 || size - 1 > hi - lo)
			size = size ? size >> 1 : 1ull << 63;
		push_box(v, b, k, ~(size - 1), lo);
		if (size - 1 == hi - lo)
			return;
		lo += size;
	}
}

struct ival {
	uint64_t lo, hi;
};

static int ival_cmp(const void *x, const void *y)
{
	const struct ival *a = x, *b = y;

	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/*
 * Rewrite one group of boxes that differ only in argument @k, each an
 * interval there, as the union's intervals: GE for one open to the top,
 * a pattern or pieces otherwise.  Only GE: it is the piece "upper half
 * not zero" that a 32-bit arch widens, and libseccomp 2.5 builds wrong
 * filters from the ops it makes by swapping branches (LE, LT, NE) next
 * to other rules of the same syscall (test-equiv's ranges.leash:
 * "LE 0xffff" and "GE 0x800000000000" let 0x10000 through).
 */
static void group_ops(struct jbox_vec *out, const struct dj_box *b, int k,
		      struct ival *iv, size_t n)
{
	size_t i, m = 0;

	qsort(iv, n, sizeof(*iv), ival_cmp);
	for (i = 0; i < n; i++) {
		if (m && (iv[m - 1].hi == UINT64_MAX ||
			  iv[i].lo <= iv[m - 1].hi + 1)) {
			if (iv[i].hi > iv[m - 1].hi)
				iv[m - 1].hi = iv[i].hi;
			continue;
		}
		iv[m++] = iv[i];
	}
	for (i = 0; i < m; i++) {
		if (iv[i].lo == 0 && iv[i].hi == UINT64_MAX)
			push_box(out, b, k, 0, 0);
		else if (iv[i].lo == iv[i].hi)
			push_box(out, b, k, ~0ull, iv[i].lo);
		else if (iv[i].hi == UINT64_MAX)
			push_op(out, b, k, IR_GE, iv[i].lo);
		else
			push_range(out, b, k, iv[i].lo, iv[i].hi);
	}
}

/* @e->rep as one rule per box: form_ops() starts from it, check_name()
 * falls back to it. */
static void plain_ops(struct name_ent *e)
{
	size_t i;

	e->rep.n = 0;
	for (i = 0; i < e->plain.n; i++)
		VEC_PUSH(&e->rep,
			 ((struct jbox){ e->plain.v[i], -1, IR_EQ, 0 }));
}

/* @e->rep from @e->plain: comparisons where pieces join (struct jbox). */
static void form_ops(struct name_ent *e)
{
	struct jbox_vec cur;
	size_t i, j;
	int k;

	plain_ops(e);
	cur = e->rep;
	for (k = 0; k < DJ_ARGS; k++) {
		struct jbox_vec next = { 0 };
		_cleanup_free_ bool *taken = xcalloc(cur.n + 1, sizeof(bool));

		for (i = 0; i < cur.n; i++) {
			const struct jbox *x = &cur.v[i];
			struct jbox_vec tmp = { 0 };
			VEC(ival_vec, struct ival) iv = { 0 };
			VEC(idx_vec, size_t) idx = { 0 };
			struct ival one;

			if (taken[i])
				continue;
			if (x->op_arg >= 0 ||
			    !x->box.a[k].mask ||
			    !pat_interval(&x->box.a[k], &one.lo, &one.hi)) {
				VEC_PUSH(&next, *x);
				continue;
			}
			for (j = i; j < cur.n; j++) {
				const struct jbox *y = &cur.v[j];

				if (taken[j] || y->op_arg >= 0 ||
				    !same_but(&x->box, &y->box, k) ||
				    !pat_interval(&y->box.a[k], &one.lo,
						  &one.hi))
					continue;
				taken[j] = true;
				VEC_PUSH(&iv, one);
				VEC_PUSH(&idx, j);
			}
			group_ops(&tmp, &x->box, k, iv.v, iv.n);
			/* Never more rules than the pieces were. */
			if (tmp.n <= idx.n) {
				for (j = 0; j < tmp.n; j++)
					VEC_PUSH(&next, tmp.v[j]);
			} else {
				for (j = 0; j < idx.n; j++)
					VEC_PUSH(&next, cur.v[idx.v[j]]);
			}
			VEC_FREE(&tmp);
			VEC_FREE(&iv);
			VEC_FREE(&idx);
		}
		VEC_FREE(&cur);
		cur = next;
	}
	e->rep = cur;
}

static bool has_ops(const struct name_ent *e)
{
	size_t i;

	for (i = 0; i < e->rep.n; i++)
		if (e->rep.v[i].op_arg >= 0)
			return true;
	return false;
}

/*
 * What libseccomp makes of @e's rules on an arch, as boxes: a 32-bit
 * arch (and x32) keeps the low halves of masks, values and data.
 */
static void applied(const struct name_ent *e, bool is32, struct dj_boxes *out)
{
	struct dj_pat pats[DJ_CMP_MAX];
	size_t i, j, n;

	for (i = 0; i < e->rep.n; i++) {
		const struct jbox *x = &e->rep.v[i];
		struct dj_box b = x->box;
		struct ir_cmp c = { 0 };

		if (x->op_arg < 0) {
			VEC_PUSH(out, b);
			continue;
		}
		c.arg = (uint8_t)x->op_arg;
		c.width = is32 ? 32 : 64;
		c.op = x->op;
		c.mask = ~0ull;
		c.value = is32 ? x->datum & 0xffffffffull : x->datum;
		dj_cmp_patterns(&c, pats, &n);
		for (j = 0; j < n; j++) {
			b.a[x->op_arg] = pats[j];
			VEC_PUSH(out, b);
		}
	}
	if (is32)
		dj_boxes_trunc32(out);
}

/*
 * Every name with rules on some arch, with the boxes the profile will
 * give it: taken from a 64-bit arch when there is one, since a 32-bit
 * arch's boxes lost the upper halves (they still have to agree, below).
 */
static void collect_names(struct json_state *st)
{
	const struct ir_filter *f = st->f;
	size_t a, s, i, out;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (a = 0; a < f->n_arches; a++) {
			const struct ir_arch *ar = &f->arches[a];

			if (emit_scmp_arch_is32(ar->arch) != (pass == 1))
				continue;
			for (s = 0; s < ar->n_sys; s++) {
				struct name_ent e = { 0 };

				if (!st->boxes[a][s].n)
					continue;
				e.name = sys_name(ar, &ar->sys[s]);
				e.rep_arch = arch_name(ar);
				e.order = st->names.n;
				for (i = 0; i < st->boxes[a][s].n; i++)
					VEC_PUSH(&e.plain,
						 st->boxes[a][s].v[i]);
				VEC_PUSH(&st->names, e);
			}
		}
	if (st->names.n > 1)
		qsort(st->names.v, st->names.n, sizeof(*st->names.v),
		      name_cmp);
	/* Keep the first of each name: the 64-bit arch's if there is one. */
	for (i = 0, out = 0; i < st->names.n; i++) {
		if (out > 0 && !strcmp(st->names.v[out - 1].name,
				       st->names.v[i].name)) {
			VEC_FREE(&st->names.v[i].plain);
			continue;
		}
		st->names.v[out++] = st->names.v[i];
	}
	st->names.n = out;
	for (i = 0; i < st->names.n; i++)
		form_ops(&st->names.v[i]);
}

/*
 * Whether libseccomp, given @e's rules on every listed arch where it
 * knows the name, ends up with what the policy says there: 1 yes, 0 no
 * (*@bad: the first arch that differs), or a negative error already
 * reported.  The arches libseccomp lacks the name on go to @unknown_on.
 */
static int name_agrees(struct json_state *st, const struct name_ent *e,
		       const char **bad, struct strbuf *unknown_on)
{
	const struct ir_filter *f = st->f;
	size_t a;
	int r;

	for (a = 0; a < f->n_arches; a++) {
		const struct ir_arch *ar = &f->arches[a];
		struct dj_boxes got = { 0 };
		bool muxed = false;
		int64_t nr = syscall_nr(ar->arch, e->name, &muxed);
		int64_t mux_nr;
		uint32_t call;

		if (!libseccomp_knows(ar, e->name)) {
			/* One note per name, listing its arches. */
			if (unknown_on && nr >= 0 && ir_boxes(st, a, nr)->n)
				sb_printf(unknown_on, "%s%s",
					  unknown_on->len ? ", " : "",
					  arch_name(ar));
			continue;
		}
		if (nr < 0) {
			if (emit_scmp_mux(arch_info(ar->arch)->scmp_token, e->name,
				     &mux_nr, &call))
				continue;	/* only multiplexed: below */
			return diag_fail(st->d, NULL, -EINVAL,
				    "libseccomp knows '%s' on %s, leash does "
				    "not", e->name, arch_name(ar));
		}
		applied(e, emit_scmp_arch_is32(ar->arch), &got);
		r = dj_equal(&got, ir_boxes(st, a, nr), 0);
		VEC_FREE(&got);
		if (r < 0)
			return diag_fail(st->d, NULL, r,
					 "comparing the rules for '%s' on %s "
					 "and %s needs more than %d pieces",
					 e->name, e->rep_arch, arch_name(ar),
					 DJ_BUDGET);
		if (r == 0) {
			*bad = arch_name(ar);
			return 0;
		}
	}
	return 1;
}

/*
 * The profile gives @e's rules to every listed arch where libseccomp
 * knows the name: each must be what the policy says there.  Comparisons
 * (struct jbox) first; where they do not fit, one rule per box.
 */
static int check_name(struct json_state *st, struct name_ent *e)
{
	_cleanup_(sb_free) struct strbuf unknown_on = { 0 };
	const char *bad = NULL;
	int r = name_agrees(st, e, &bad, &unknown_on);

	if (r == 0 && has_ops(e)) {
		plain_ops(e);
		r = name_agrees(st, e, &bad, NULL);
	}
	if (r < 0)
		return r;
	if (r == 0)
		return diag_fail(st->d, NULL, -EINVAL,
			    "cannot express rules that differ by arch for "
			    "'%s' (%s and %s differ, in their rules or in "
			    "the value a constant has there): a profile "
			    "gives a syscall the same rules on every arch it "
			    "lists",
			    e->name, e->rep_arch, bad);
	if (unknown_on.len)
		diag_fidelity(st->d, NULL,
			      "libseccomp %u.%u.%u does not know '%s' on %s: "
			      "runtimes using it ignore its rules there",
			      seccomp_version()->major,
			      seccomp_version()->minor,
			      seccomp_version()->micro, e->name, unknown_on.s);
	return 0;
}

/*
 * On arches where libseccomp multiplexes, each socket/IPC entry also
 * becomes a socketcall()/ipc() rule, without the argument checks (the
 * multiplexed arguments sit in memory, out of seccomp's sight).  A
 * profile cannot prevent that, so where the policy says otherwise for
 * the multiplexer this is a fidelity note, as docs/language.md's own example
 * (socket rules with arch x86) must compile: the JSON is weaker there,
 * loudly, and NAME.bpf stays exact.
 */
static int check_mux(struct json_state *st)
{
	const struct ir_filter *f = st->f;
	size_t a, i;
	int r;

	for (a = 0; a < f->n_arches; a++) {
		const struct ir_arch *ar = &f->arches[a];
		uint32_t token = arch_info(ar->arch)->scmp_token;
		bool is32 = emit_scmp_arch_is32(ar->arch);

		for (i = 0; i < st->names.n; i++) {
			const struct name_ent *e = &st->names.v[i];
			struct dj_boxes rep = { 0 }, mux = { 0 };
			int64_t mux_nr;
			uint32_t call;

			if (!emit_scmp_mux(token, e->name, &mux_nr, &call))
				continue;
			applied(e, is32, &rep);
			emit_scmp_mux_boxes(&rep, call, is32, &mux);
			r = dj_covered(&mux, ir_boxes(st, a, mux_nr), 0);
			VEC_FREE(&rep);
			VEC_FREE(&mux);
			if (r == 1)
				continue;
			if (r < 0)
				return diag_fail(st->d, NULL, r, "%s",
						 strerror(-r));
			diag_fidelity(st->d, NULL,
				      "on %s, runtimes (libseccomp) also apply "
				      "the rules for '%s' to %s(%u, ...), "
				      "without their argument checks: there "
				      "this profile allows more than the "
				      "policy (NAME.bpf is exact); give %s the "
				      "same rules for that call, or leave %s "
				      "out, to make the profile exact",
				      arch_name(ar), e->name,
				      syscall_name(ar->arch, mux_nr) ?: "?",
				      call,
				      syscall_name(ar->arch, mux_nr) ?: "?",
				      arch_name(ar));
		}
	}
	return 0;
}

/* ---- step 3: what runc decides -------------------------------------------- */

static bool is_name(struct json_state *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->names.n; i++)
		if (!strcmp(st->names.v[i].name, name))
			return true;
	for (i = 0; i < st->markers.n; i++)
		if (!strcmp(st->markers.v[i], name))
			return true;
	return false;
}

/* The highest-numbered syscall libseccomp knows on @a, or NULL. */
static const char *scmp_highest(const struct ir_arch *a)
{
	uint32_t token = arch_info(a->arch)->scmp_token;
	int64_t nr, stop = a->max_nr - SCAN_BACK;

	for (nr = a->max_nr; token && nr >= 0 && nr > stop; nr--) {
		char *n = seccomp_syscall_resolve_num_arch(token, (int)nr);

		if (n) {
			/* libseccomp 2.5.4 returns a strdup()ed string;
			 * ours is stable, and the one the index shares. */
			free(n);
			return syscall_name(a->arch, nr);
		}
	}
	return NULL;
}

/*
 * runc's stub starts above the highest number among the profile's names
 * (default-action entries included): name the highest syscall of each
 * arch, leash's and libseccomp's, so it starts as late as it can.
 */
static void add_markers(struct json_state *st)
{
	const struct ir_filter *f = st->f;
	size_t a;

	for (a = 0; a < f->n_arches; a++) {
		const struct ir_arch *ar = &f->arches[a];
		const char *cand[2] = { syscall_name(ar->arch, ar->max_nr),
					scmp_highest(ar) };
		int k;

		for (k = 0; k < 2; k++)
			if (cand[k] && !is_name(st, cand[k]))
				VEC_PUSH(&st->markers, cand[k]);
	}
}

/* The highest number runc's stub lets through on @a (0: no stub). */
static int64_t stub_threshold(struct json_state *st, const struct ir_arch *a)
{
	uint32_t token = arch_info(a->arch)->scmp_token;
	int64_t t = 0;
	size_t i;
	int r;

	if (!token)
		return 0;
	for (i = 0; i < st->names.n + st->markers.n; i++) {
		const char *n = i < st->names.n ? st->names.v[i].name :
						  st->markers.v[i - st->names.n];

		r = seccomp_syscall_resolve_name_arch(token, n);
		if (r > t)
			t = r;
	}
	return t;
}

/*
 * On ARM libseccomp knows private syscalls (set_tls at 0xf0005), so
 * runc's stub starts inside the private range (@t): the numbers between
 * the main table and @t get the default action, not the unknown one.
 */
static void private_notes(struct json_state *st, const struct ir_arch *ar,
			  int64_t t, uint32_t def)
{
	const struct scmp_version *v = seccomp_version();
	char b1[32], b2[32];

	if (ar->unknown_action != def)
		diag_fidelity(st->d, NULL,
			      "on %s, runc's stub starts above %s (number "
			      "%lld), the last syscall libseccomp %u.%u.%u "
			      "knows: numbers from %lld to it that are no "
			      "syscall get %s, not the policy's unknown "
			      "action %s",
			      arch_name(ar), syscall_name(ar->arch, t) ?: "?",
			      (long long)t, v->major, v->minor, v->micro,
			      (long long)ar->max_nr + 1,
			      sim_action_str(ar->arch, def, b1, sizeof(b1)),
			      sim_action_str(ar->arch, ar->unknown_action, b2,
				      sizeof(b2)));
}

/* The syscalls of @ar above runc's stub (@t), such as ARM's private
 * ones: runc answers them ENOSYS, whatever the policy says. */
static void above_stub_notes(struct json_state *st, const struct ir_arch *ar,
			     int64_t t)
{
	static const uint64_t zero[6];
	struct strbuf list = { 0 };
	char b1[32];
	uint32_t act;
	size_t i;

	for (i = 0; i < ar->n_sys; i++) {
		if (ar->sys[i].nr <= t || ar->sys[i].nr <= ar->max_nr)
			continue;
		act = ir_eval(st->f, arch_info(ar->arch)->audit_arch,
			      ar->sys[i].nr, zero);
		if (act != ENOSYS_ACTION)
			sb_printf(&list, "%s%s (%s)", list.len ? ", " : "",
				  ar->sys[i].name,
				  sim_action_str(ar->arch, act, b1, sizeof(b1)));
	}
	if (list.len)
		diag_fidelity(st->d, NULL,
			      "on %s, runc's stub starts above %s (number "
			      "%lld) and answers ENOSYS to these private "
			      "syscalls, which this policy decides otherwise: "
			      "%s",
			      arch_name(ar), syscall_name(ar->arch, t) ?: "?",
			      (long long)t, list.s);
	sb_free(&list);
}

static void runtime_notes(struct json_state *st)
{
	const struct ir_filter *f = st->f;
	const struct scmp_version *v = seccomp_version();
	uint32_t def = f->arches[0].default_action;
	bool stub = !allowish(def);
	bool native = false, le = false, be = false;
	char b1[32], b2[32];
	size_t a;

	for (a = 0; a < f->n_arches; a++) {
		const struct ir_arch *ar = &f->arches[a];
		int64_t t = stub ? stub_threshold(st, ar) : 0;
		int64_t nr, n_known = 0;

		native |= ar->arch == arch_native();
		if (arch_info(ar->arch)->audit_arch & __AUDIT_ARCH_LE)
			le = true;
		else
			be = true;
		if (!arch_info(ar->arch)->scmp_token) {
			diag_fidelity(st->d, NULL,
				      "libseccomp %u.%u.%u lacks arch %s: runc "
				      "refuses this profile when linked with "
				      "it",
				      v->major, v->minor, v->micro,
				      arch_name(ar));
			continue;
		}
		if (t > 0 && t < ar->max_nr) {
			for (nr = t + 1; nr <= ar->max_nr; nr++)
				n_known += syscall_name(ar->arch, nr) != NULL;
			if (n_known && def != ENOSYS_ACTION)
				diag_fidelity(st->d, NULL,
					      "on %s, runc answers ENOSYS to "
					      "the %lld syscalls above %s "
					      "(number %lld), the last one "
					      "libseccomp %u.%u.%u knows; this "
					      "policy gives them %s",
					      arch_name(ar), (long long)n_known,
					      syscall_name(ar->arch, t) ?: "?",
					      (long long)t, v->major, v->minor,
					      v->micro,
					      sim_action_str(ar->arch, def, b1,
						      sizeof(b1)));
		}
		if (t > 0)
			above_stub_notes(st, ar, t);
		if (t > ar->max_nr) {
			private_notes(st, ar, t, def);
			continue;
		}
		if (ar->unknown_action == (t > 0 ? ENOSYS_ACTION : def))
			continue;
		diag_fidelity(st->d, NULL,
			      "on %s, syscall numbers above %lld get %s from "
			      "the runtime, not the policy's unknown action "
			      "%s: a profile cannot express it",
			      arch_name(ar), (long long)ar->max_nr,
			      t > 0 ? "ENOSYS (runc's stub)"
				    : sim_action_str(ar->arch, def, b1, sizeof(b1)),
			      sim_action_str(ar->arch, ar->unknown_action, b2,
				      sizeof(b2)));
	}
	if (le && be)
		diag_fidelity(st->d, NULL,
			      "libseccomp cannot put arches of both byte "
			      "orders in one filter: runc refuses this "
			      "profile");
	if (!native)
		diag_fidelity(st->d, NULL,
			      "runc always adds the host's own arch: on a %s "
			      "host this profile's rules apply to %s calls "
			      "too, which this policy gives the bad-arch "
			      "action",
			      arch_info(arch_native())->name,
			      arch_info(arch_native())->name);
	if (f->bad_arch_action != IR_RET_KILL_THREAD)
		diag_fidelity(st->d, NULL,
			      "runtimes give other arches libseccomp's default "
			      "kill_thread, not %s",
			      sim_action_str(f->arches[0].arch, f->bad_arch_action, b1,
				      sizeof(b1)));
	if ((def & IR_RET_ACTION_MASK) == IR_RET_ERRNO &&
	    (def & IR_RET_DATA_MASK) != EPERM)
		diag_fidelity(st->d, NULL,
			      "Docker 20.10 ignores defaultErrnoRet: unmatched "
			      "calls fail with EPERM there, not %s",
			      sim_action_str(f->arches[0].arch, def, b1, sizeof(b1)));
	if ((def & IR_RET_ACTION_MASK) == IR_RET_NOTIFY)
		diag_fidelity(st->d, NULL,
			      "runc refuses notify as the default action");
}

/* ---- step 4: writing ------------------------------------------------------ */

void emit_json_put_str(struct strbuf *sb, const char *s)
{
	sb_json_str(sb, s, strlen(s));
}

static bool action_json(uint32_t action, const char **name, bool *ret)
{
	*ret = false;
	switch (action & IR_RET_ACTION_MASK) {
	case IR_RET_KILL_PROCESS: *name = "SCMP_ACT_KILL_PROCESS"; break;
	/* Every runtime knows SCMP_ACT_KILL; it kills the thread. */
	case IR_RET_KILL_THREAD: *name = "SCMP_ACT_KILL"; break;
	case IR_RET_TRAP: *name = "SCMP_ACT_TRAP"; break;
	case IR_RET_ERRNO: *name = "SCMP_ACT_ERRNO"; *ret = true; break;
	case IR_RET_NOTIFY: *name = "SCMP_ACT_NOTIFY"; break;
	/* runc reads a trace rule's data from errnoRet (EPERM if absent). */
	case IR_RET_TRACE: *name = "SCMP_ACT_TRACE"; *ret = true; break;
	case IR_RET_LOG: *name = "SCMP_ACT_LOG"; break;
	case IR_RET_ALLOW: *name = "SCMP_ACT_ALLOW"; break;
	default: return false;
	}
	return true;
}

/* Rules first by action, then arguments (unconditional first). */
static int entry_cmp_args(const struct entry *a, const struct entry *b)
{
	int i;

	if (a->box.box.action != b->box.box.action)
		return a->box.box.action < b->box.box.action ? -1 : 1;
	if (a->box.op_arg != b->box.op_arg)
		return a->box.op_arg < b->box.op_arg ? -1 : 1;
	if (a->box.op != b->box.op)
		return a->box.op < b->box.op ? -1 : 1;
	if (a->box.datum != b->box.datum)
		return a->box.datum < b->box.datum ? -1 : 1;
	for (i = 0; i < DJ_ARGS; i++) {
		const struct dj_pat *p = &a->box.box.a[i];
		const struct dj_pat *q = &b->box.box.a[i];

		if (p->mask != q->mask)
			return p->mask < q->mask ? -1 : 1;
		if (p->value != q->value)
			return p->value < q->value ? -1 : 1;
	}
	return 0;
}

static int entry_cmp(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	int r = entry_cmp_args(a, b);

	return r ? r : strcmp(a->name, b->name);
}

static void write_args(struct strbuf *out, const struct jbox *j)
{
	static const char *const op_names[] = {
		[IR_GE] = "SCMP_CMP_GE",
	};
	bool first = true;
	int i;

	for (i = 0; i < DJ_ARGS; i++) {
		const struct dj_pat *p = &j->box.a[i];

		if (!p->mask && i != j->op_arg)
			continue;
		sb_puts(out, first ? ",\n      \"args\": [\n" : ",\n");
		first = false;
		/*
		 * EQ compares all 64 bits; MASKED_EQ, which libseccomp
		 * compares on the mask's halves only, lets a 32-bit
		 * pattern ignore the upper half as it must.
		 */
		if (i == j->op_arg)
			sb_printf(out, "        { \"index\": %d, \"value\": %llu, "
				  "\"valueTwo\": 0, \"op\": \"%s\" }",
				  i, (unsigned long long)j->datum,
				  op_names[j->op]);
		else if (p->mask == ~0ull)
			sb_printf(out, "        { \"index\": %d, \"value\": %llu, "
				  "\"valueTwo\": 0, \"op\": \"SCMP_CMP_EQ\" }",
				  i, (unsigned long long)p->value);
		else
			sb_printf(out, "        { \"index\": %d, \"value\": %llu, "
				  "\"valueTwo\": %llu, "
				  "\"op\": \"SCMP_CMP_MASKED_EQ\" }",
				  i, (unsigned long long)p->mask,
				  (unsigned long long)p->value);
	}
	if (!first)
		sb_puts(out, "\n      ]");
}

static void write_entry(struct strbuf *out, const struct entry *e, size_t n,
			uint32_t action, const char *comment, bool first)
{
	const char *act;
	bool ret;
	size_t i;

	action_json(action, &act, &ret);
	sb_puts(out, first ? "\n    {\n" : ",\n    {\n");
	if (comment) {
		sb_puts(out, "      \"comment\": ");
		emit_json_put_str(out, comment);
		sb_puts(out, ",\n");
	}
	sb_puts(out, "      \"names\": [\n");
	for (i = 0; i < n; i++) {
		sb_puts(out, "        ");
		emit_json_put_str(out, e[i].name);
		sb_puts(out, i + 1 < n ? ",\n" : "\n");
	}
	sb_printf(out, "      ],\n      \"action\": \"%s\"", act);
	if (ret)
		sb_printf(out, ",\n      \"errnoRet\": %u",
			  action & IR_RET_DATA_MASK);
	if (n)
		write_args(out, &e[0].box);
	sb_puts(out, "\n    }");
}

static void write_profile(struct json_state *st, struct strbuf *out)
{
	const struct ir_filter *f = st->f;
	uint32_t def = f->arches[0].default_action;
	VEC(entry_vec, struct entry) ents = { 0 };
	const char *act;
	bool ret, first = true;
	size_t i, j, k;

	action_json(def, &act, &ret);
	sb_printf(out, "{\n  \"defaultAction\": \"%s\",\n", act);
	if (ret)
		sb_printf(out, "  \"defaultErrnoRet\": %u,\n",
			  def & IR_RET_DATA_MASK);
	sb_puts(out, "  \"architectures\": [");
	for (i = 0; i < f->n_arches; i++) {
		sb_puts(out, i ? ",\n    " : "\n    ");
		emit_json_put_str(out, arch_info(f->arches[i].arch)->docker_name);
	}
	sb_puts(out, "\n  ],\n  \"syscalls\": [");

	for (i = 0; i < st->names.n; i++)
		for (k = 0; k < st->names.v[i].rep.n; k++)
			VEC_PUSH(&ents, ((struct entry){
						st->names.v[i].rep.v[k],
						st->names.v[i].name }));
	if (ents.n > 1)
		qsort(ents.v, ents.n, sizeof(*ents.v), entry_cmp);
	for (i = 0; i < ents.n; i = j) {
		for (j = i + 1; j < ents.n; j++)
			if (entry_cmp_args(&ents.v[j], &ents.v[i]))
				break;
		write_entry(out, &ents.v[i], j - i, ents.v[i].box.box.action,
			    NULL,
			    first);
		first = false;
	}
	VEC_FREE(&ents);

	if (st->markers.n) {
		struct entry *m = xcalloc(st->markers.n, sizeof(*m));

		for (i = 0; i < st->markers.n; i++)
			m[i] = (struct entry){ { .op_arg = -1 },
					       st->markers.v[i] };
		write_entry(out, m, st->markers.n, def,
			    "not a rule (the default action): names the "
			    "highest syscall of each arch, so that runc's "
			    "ENOSYS stub starts above them",
			    first);
		free(m);
	}
	sb_puts(out, first ? "]\n}\n" : "\n  ]\n}\n");
}

/* ---- entry point ---------------------------------------------------------- */

/*
 * The kernel takes at most BPF_MAXINSNS instructions, and a profile's
 * size in BPF is libseccomp's business: build it the way runc will and
 * count.  (A libseccomp that lacks a listed arch cannot: runtime_notes()
 * has said so.)
 */
static int check_size(struct json_state *st, const struct strbuf *text)
{
	struct src_file *src = src_file_copy("<profile>", text->s, text->len);
	struct sj_profile *p = NULL;
	struct sock_filter *prog = NULL;
	struct diag runc;	/* what runc would say, in our words below */
	size_t len = 0;
	int rc;

	diag_init(&runc, NULL);
	rc = sj_parse(src, &p, &runc);
	if (rc == 0)
		rc = sj_compile(p, NULL, &prog, &len, &runc);
	sj_profile_destroy(&p);
	free(prog);
	if (rc == 0 && len > BPF_MAXINSNS)
		rc = -E2BIG;
	if (rc == -E2BIG && runc.n_errors)	/* sj_compile()'s budget */
		rc = diag_fail(st->d, NULL, rc,
			       "runc would build more than the kernel's %d BPF "
			       "instructions from this profile: %s",
			       BPF_MAXINSNS, diag_first_error(&runc));
	else if (rc == -E2BIG)
		rc = diag_fail(st->d, NULL, rc,
			       "runc would build more than the kernel's %d BPF "
			       "instructions from this profile",
			       BPF_MAXINSNS);
	else if (rc == -EOPNOTSUPP)
		rc = 0;
	else if (rc < 0)
		rc = diag_fail(st->d, NULL, rc,
			       "runc would refuse this profile: %s",
			       diag_first_error(&runc));
	diag_fini(&runc);
	src_file_free(src);
	return rc;
}

static bool has_notify(const struct json_state *st)
{
	size_t i, k;

	for (i = 0; i < st->names.n; i++)
		for (k = 0; k < st->names.v[i].rep.n; k++)
			if ((st->names.v[i].rep.v[k].box.action &
			     IR_RET_ACTION_MASK) == IR_RET_NOTIFY)
				return true;
	return false;
}

static void state_free(struct json_state *st)
{
	size_t a, s;

	for (a = 0; st->boxes && a < st->f->n_arches; a++) {
		if (!st->boxes[a])
			continue;	/* build_boxes() stopped before it */
		for (s = 0; s < st->f->arches[a].n_sys; s++)
			VEC_FREE(&st->boxes[a][s]);
		free(st->boxes[a]);
	}
	free(st->boxes);
	for (a = 0; a < st->names.n; a++) {
		VEC_FREE(&st->names.v[a].plain);
		VEC_FREE(&st->names.v[a].rep);
	}
	VEC_FREE(&st->names);
	VEC_FREE(&st->markers);
}

int emit_json(const struct ir_filter *f, struct strbuf *out,
	      struct diag *d)
{
	struct json_state st = { .f = f, .d = d };
	const char *act;
	bool ret;
	size_t a, i;
	int rc = 0;

	if (f->n_arches == 0)
		return diag_fail(st.d, NULL, -EINVAL,
				 "the filter has no architecture");
	for (a = 0; a < f->n_arches; a++) {
		if (f->arches[a].default_action != f->arches[0].default_action)
			return diag_fail(st.d, NULL, -EINVAL,
					 "a profile has one default action, "
					 "but %s and %s differ",
					 arch_name(&f->arches[0]),
					 arch_name(&f->arches[a]));
		if (!action_json(f->arches[a].default_action, &act, &ret))
			return diag_fail(st.d, NULL, -EINVAL,
					 "no profile action for the default of "
					 "%s",
					 arch_name(&f->arches[a]));
	}
	rc = build_boxes(&st);
	if (rc == 0)
		rc = check_total(&st);
	if (rc == 0)
		collect_names(&st);
	for (i = 0; rc == 0 && i < st.names.n; i++)
		rc = check_name(&st, &st.names.v[i]);
	if (rc == 0)
		rc = check_mux(&st);
	if (rc == 0) {
		if (!allowish(f->arches[0].default_action))
			add_markers(&st);
		runtime_notes(&st);
		if (has_notify(&st))
			diag_fidelity(st.d, NULL,
				      "notify rules need a listenerPath, which "
				      "Docker drops and leash does not set");
		struct strbuf text = { 0 };

		write_profile(&st, &text);
		rc = check_size(&st, &text);
		if (rc == 0)
			sb_putn(out, text.s, text.len);
		sb_free(&text);
	}
	state_free(&st);
	return rc;
}
