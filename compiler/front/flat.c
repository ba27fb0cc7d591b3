/* SPDX-License-Identifier: MIT */
/*
 * policy.c - flat_build(): one policy with everything it inherits.
 *
 * docs/language.md section 3 in code.  The only subtle part is the order of
 * several bases.  'policy c extends a, b' layers b on top of a and c on
 * top of both, so a post-order walk of the bases (left to right, each
 * policy once) lists the policies base first: a's bases, a, b's bases,
 * b, c.  Capability statements run in that order; the reverse is the
 * match order of rules and the lookup order of settings.  A policy
 * reached twice (a diamond) keeps its first, lowest place.
 */
#include "front/flat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* ---- a set of pointers, so a wide 'extends' stays linear ----------------- */

struct ptrset {
	const void **slots;
	size_t cap, n;
};

static size_t ptr_hash(const void *p, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 17) & (cap - 1);
}

/* Add @p; returns false when it was there already. */
static bool ptrset_add(struct ptrset *s, const void *p)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct ptrset ns = { .cap = s->cap ? s->cap * 2 : 16 };

		ns.slots = xcalloc(ns.cap, sizeof(*ns.slots));
		for (i = 0; i < s->cap; i++)
			if (s->slots[i])
				ptrset_add(&ns, s->slots[i]);
		free(s->slots);
		*s = ns;
	}
	for (i = ptr_hash(p, s->cap); s->slots[i]; i = (i + 1) & (s->cap - 1))
		if (s->slots[i] == p)
			return false;
	s->slots[i] = p;
	s->n++;
	return true;
}

/* ---- tables -------------------------------------------------------------- */

static const struct flat_limit_info limit_table[FL_COUNT] = {
	[FL_MEMORY] = { "memory", -1, NULL },
	[FL_CPUS] = { "cpus", -1, NULL },
	[FL_PIDS] = { "pids", -1, NULL },
	[FL_AS] = { "as", RLIMIT_AS, "RLIMIT_AS" },
	[FL_CORE] = { "core", RLIMIT_CORE, "RLIMIT_CORE" },
	[FL_CPU] = { "cpu", RLIMIT_CPU, "RLIMIT_CPU" },
	[FL_DATA] = { "data", RLIMIT_DATA, "RLIMIT_DATA" },
	[FL_FSIZE] = { "fsize", RLIMIT_FSIZE, "RLIMIT_FSIZE" },
	[FL_LOCKS] = { "locks", RLIMIT_LOCKS, "RLIMIT_LOCKS" },
	[FL_MEMLOCK] = { "memlock", RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK" },
	[FL_MSGQUEUE] = { "msgqueue", RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE" },
	[FL_NICE] = { "nice", RLIMIT_NICE, "RLIMIT_NICE" },
	[FL_NOFILE] = { "nofile", RLIMIT_NOFILE, "RLIMIT_NOFILE" },
	[FL_NPROC] = { "nproc", RLIMIT_NPROC, "RLIMIT_NPROC" },
	[FL_RSS] = { "rss", RLIMIT_RSS, "RLIMIT_RSS" },
	[FL_RTPRIO] = { "rtprio", RLIMIT_RTPRIO, "RLIMIT_RTPRIO" },
	[FL_RTTIME] = { "rttime", RLIMIT_RTTIME, "RLIMIT_RTTIME" },
	[FL_SIGPENDING] = { "sigpending", RLIMIT_SIGPENDING,
			    "RLIMIT_SIGPENDING" },
	[FL_STACK] = { "stack", RLIMIT_STACK, "RLIMIT_STACK" },
};

int flat_limit_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < FL_COUNT; i++)
		if (strcmp(limit_table[i].name, name) == 0)
			return (int)i;
	return -1;
}

const struct flat_limit_info *flat_limit_info(enum flat_limit l)
{
	return (unsigned)l < FL_COUNT ? &limit_table[l] : NULL;
}

bool flat_limit_millis(const char *s, uint64_t *out, bool *too_precise)
{
	uint64_t v = 0;
	int decimals = -1;

	if (too_precise)
		*too_precise = false;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (*s < '0' || *s > '9')
			return false;
		if (decimals >= 0 && ++decimals > 3) {
			if (too_precise)
				*too_precise = true;
			return false;
		}
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	for (decimals = decimals < 0 ? 0 : decimals; decimals < 3; decimals++) {
		if (v > UINT64_MAX / 10)
			return false;
		v *= 10;
	}
	*out = v;
	return true;
}

bool flat_limit_value(struct leash_ctx *ctx, const struct limit_value *lv,
		      enum flat_limit l, uint64_t *out)
{
	switch (lv->kind) {
	case LV_UNLIMITED:
		*out = UINT64_MAX;
		return true;
	case LV_SIZE:
		*out = lv->num;
		return true;
	case LV_DECIMAL:
		return lv->text && flat_limit_millis(lv->text, out, NULL);
	case LV_EXPR:
		if (!lv->expr || !res_eval_const(ctx, lv->expr, out))
			return false;
		if (l != FL_CPUS)
			return true;
		if (*out > UINT64_MAX / 1000)
			return false;
		*out *= 1000;
		return true;
	default:
		return false;
	}
}

bool flat_caps_base(const char *name, uint64_t *set)
{
	if (strcmp(name, "none") == 0)
		*set = 0;
	else if (strcmp(name, "docker") == 0)
		*set = caps_docker_default();
	else if (strcmp(name, "all") == 0)
		*set = FLAT_ALL_CAPS;
	else
		return false;
	return true;
}

/* ---- 'when' -------------------------------------------------------------- */

bool flat_cond_holds(const struct ast_cond *c, uint64_t caps,
		     enum leash_arch arch)
{
	const struct arch_info *ai;
	int cap;

	/* Recursion is bounded: the parser limits ast_cond.depth. */
	if (!c)
		return false;
	switch (c->kind) {
	case COND_CAP:
		cap = c->name.s ? cap_by_name(c->name.s) : -1;
		return cap >= 0 && cap < CAP_COUNT &&
		       (caps & FLAT_CAP_BIT(cap)) != 0;
	case COND_ARCH:
		ai = c->name.s ? arch_by_name(c->name.s) : NULL;
		return ai && ai->id == arch;
	case COND_NOT:
		return !flat_cond_holds(c->lhs, caps, arch);
	case COND_AND:
		return flat_cond_holds(c->lhs, caps, arch) &&
		       flat_cond_holds(c->rhs, caps, arch);
	case COND_OR:
		return flat_cond_holds(c->lhs, caps, arch) ||
		       flat_cond_holds(c->rhs, caps, arch);
	default:
		return false;
	}
}

bool flat_when_holds(const struct flat_when *w, uint64_t caps,
		     enum leash_arch arch)
{
	for (; w; w = w->up)
		if (!flat_cond_holds(w->stmt->when, caps, arch))
			return false;
	return true;
}

/* ---- building ------------------------------------------------------------ */

struct builder {
	struct flat_policy *f;
	struct ptrset seen;
	struct policy_ptr_vec post;	/* post-order: bases first */
	bool too_deep;
};

static void linearize(struct builder *b, const struct ast_policy *p,
		      unsigned depth)
{
	size_t i;

	if (!ptrset_add(&b->seen, p))
		return;
	if (depth > LEASH_MAX_NEST) {
		b->too_deep = true;
		return;
	}
	for (i = 0; i < p->base_ptrs.n; i++)
		linearize(b, p->base_ptrs.v[i], depth + 1);
	VEC_PUSH(&b->post, (struct ast_policy *)p);
}

/* Capability statements run base first (docs/language.md section 5). */
static void run_caps(struct flat_policy *f, const struct ast_policy *p)
{
	size_t i, j;

	for (i = 0; i < p->caps.n; i++) {
		const struct cap_stmt *s = &p->caps.v[i];
		uint64_t set = 0;

		if (s->kind == CAPS_BASE) {
			/* A new base starts over, ambient included. */
			if (s->names.n &&
			    flat_caps_base(s->names.v[0].s, &set)) {
				f->caps = set;
				f->ambient = 0;
			}
			continue;
		}
		if (s->all) {
			if (s->kind == CAPS_DROP)
				f->caps = f->ambient = 0;
			continue;
		}
		for (j = 0; j < s->names.n; j++) {
			int cap = cap_by_name(s->names.v[j].s);

			if (cap < 0 || cap >= CAP_COUNT)
				continue;
			switch (s->kind) {
			case CAPS_DROP:
				f->caps &= ~FLAT_CAP_BIT(cap);
				f->ambient &= ~FLAT_CAP_BIT(cap);
				break;
			case CAPS_AMBIENT:
				/* Ambient implies add (docs/language.md 5). */
				f->ambient |= FLAT_CAP_BIT(cap);
				f->caps |= FLAT_CAP_BIT(cap);
				break;
			case CAPS_ADD:
				f->caps |= FLAT_CAP_BIT(cap);
				break;
			default:
				break;
			}
		}
	}
}

static void add_arch(struct flat_policy *f, enum leash_arch a)
{
	if (f->arch_mask & FLAT_ARCH_BIT(a))
		return;
	f->arch_mask |= FLAT_ARCH_BIT(a);
	f->arches[f->n_arches++] = a;
}

/* The first top-level default/unknown/arch, most derived policy first.
 * Inside 'when' they are errors (check.c), so only the top level counts. */
static void find_settings(struct flat_policy *f)
{
	size_t i, j;

	for (i = 0; i < f->n_chain; i++) {
		const struct ast_policy *p = f->chain[i];

		for (j = 0; j < p->seccomp.n; j++) {
			const struct sc_stmt *s = p->seccomp.v[j];

			if (s->kind == SC_DEFAULT && !f->default_stmt)
				f->default_stmt = s;
			else if (s->kind == SC_UNKNOWN && !f->unknown_stmt)
				f->unknown_stmt = s;
			else if (s->kind == SC_ARCH && !f->arch_stmt)
				f->arch_stmt = s;
		}
	}
	if (f->arch_stmt) {
		for (j = 0; j < f->arch_stmt->arches.n; j++) {
			const struct arch_info *ai =
				arch_by_name(f->arch_stmt->arches.v[j].s);

			if (ai)
				add_arch(f, ai->id);
		}
	} else {
		add_arch(f, arch_native());
	}
}

static uint32_t when_arches(const struct flat_policy *f,
			    const struct ast_cond *c, uint32_t outer)
{
	uint32_t m = 0;
	size_t i;

	for (i = 0; i < f->n_arches; i++)
		if ((outer & FLAT_ARCH_BIT(f->arches[i])) &&
		    flat_cond_holds(c, f->caps, f->arches[i]))
			m |= FLAT_ARCH_BIT(f->arches[i]);
	return m;
}

static void add_rules(struct builder *b, const struct ast_policy *owner,
		      const struct sc_stmt_vec *body,
		      const struct flat_when *up, unsigned depth)
{
	struct flat_policy *f = b->f;
	size_t i;

	for (i = 0; i < body->n; i++) {
		const struct sc_stmt *s = body->v[i];
		struct flat_when *w;

		if (s->kind == SC_RULE) {
			struct flat_rule r = {
				.stmt = s,
				.owner = owner,
				.when = up,
				.arches = up ? up->arches : f->arch_mask,
			};

			VEC_PUSH(&f->rules, r);
		} else if (s->kind == SC_WHEN) {
			if (depth >= LEASH_MAX_NEST) {
				b->too_deep = true;
				continue;
			}
			w = xcalloc(1, sizeof(*w));
			w->stmt = s;
			w->up = up;
			w->depth = depth + 1;
			w->arches = when_arches(f, s->when,
						up ? up->arches : f->arch_mask);
			VEC_PUSH(&f->whens, w);
			add_rules(b, owner, &s->body, w, depth + 1);
		}
	}
}

static void collect_sections(struct flat_policy *f)
{
	size_t i, j, n_fs = 0, n_net = 0;

	/* Count first so the arrays are allocated once. */
	for (i = 0; i < f->n_chain; i++) {
		n_fs += f->chain[i]->fs.n;
		n_net += f->chain[i]->net.n;
	}
	f->fs = xcalloc(n_fs + 1, sizeof(*f->fs));
	f->net = xcalloc(n_net + 1, sizeof(*f->net));
	for (i = 0; i < f->n_chain; i++) {
		const struct ast_policy *p = f->chain[i];

		for (j = 0; j < p->fs.n; j++) {
			if (p->fs.v[j].kind == FS_READ_ONLY_ROOT)
				f->read_only_root = true;
			else
				f->fs[f->n_fs++] = &p->fs.v[j];
		}
		for (j = 0; j < p->net.n; j++)
			f->net[f->n_net++] = &p->net.v[j];
	}
}

/* Settings: the first policy in the chain (most derived) that gives one;
 * within a policy the first statement (a repeat is an error). */
static void collect_settings(struct flat_policy *f)
{
	size_t i, j, n_raw;

	for (i = 0; i < f->n_chain; i++) {
		const struct ast_policy *p = f->chain[i];

		for (j = 0; j < p->apparmor.n; j++) {
			const struct aa_stmt *s = &p->apparmor.v[j];

			if (s->kind == AA_NAME && !f->aa_name)
				f->aa_name = s;
			else if (s->kind == AA_TEMPLATE && !f->aa_template)
				f->aa_template = s;
			else if (s->kind == AA_FLAGS && !f->aa_flags)
				f->aa_flags = s;
		}
		for (j = 0; j < p->process.n; j++) {
			const struct proc_stmt *s = &p->process.v[j];
			const struct proc_stmt **slot = NULL;

			switch (s->kind) {
			case PROC_NNP: slot = &f->nnp; break;
			case PROC_USER: slot = &f->user; break;
			case PROC_GROUPS: slot = &f->groups; break;
			case PROC_NAMESPACES: slot = &f->namespaces; break;
			case PROC_UNSCOPED: slot = &f->unscoped; break;
			default: break;
			}
			if (slot && !*slot)
				*slot = s;
		}
		for (j = 0; j < p->limits.n; j++) {
			const struct limit_stmt *s = &p->limits.v[j];
			int l = s->name.s ? flat_limit_by_name(s->name.s) : -1;

			if (l >= 0 && !f->limits[l])
				f->limits[l] = s;
		}
	}
	/* 'raw' rules add up rather than replace: a derived policy adds
	 * rules to its base's profile. */
	for (i = 0, n_raw = 0; i < f->n_chain; i++)
		n_raw += f->chain[i]->apparmor.n;
	f->aa_raw = xcalloc(n_raw + 1, sizeof(*f->aa_raw));
	for (i = f->n_chain; i-- > 0;) {
		const struct aa_stmt_vec *aa = &f->chain[i]->apparmor;

		for (j = 0; j < aa->n; j++)
			if (aa->v[j].kind == AA_RAW)
				f->aa_raw[f->n_aa_raw++] = &aa->v[j];
	}
}

/* ---- the order of 'extends' lists ---------------------------------------- */

struct pos_ent {
	const struct ast_policy *p;
	size_t pos;
};

static int cmp_pos(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct pos_ent *)a)->p;
	uintptr_t y = (uintptr_t)((const struct pos_ent *)b)->p;

	return x < y ? -1 : x > y;
}

static size_t pos_of(const struct pos_ent *v, size_t n,
		     const struct ast_policy *p)
{
	struct pos_ent key = { p, 0 };
	const struct pos_ent *e = bsearch(&key, v, n, sizeof(*v), cmp_pos);

	return e ? e->pos : 0;
}

/* Whether @from extends @to, directly or through its bases. */
static bool builds_on(const struct ast_policy *from,
		      const struct ast_policy *to, struct ptrset *seen)
{
	size_t i;

	for (i = 0; i < from->base_ptrs.n; i++) {
		const struct ast_policy *b = from->base_ptrs.v[i];

		if (b == to)
			return true;
		if (ptrset_add(seen, b) && builds_on(b, to, seen))
			return true;
	}
	return false;
}

static const struct leash_loc *base_loc(const struct ast_policy *q,
					const struct ast_policy *base)
{
	size_t i;

	for (i = 0; i < q->bases.n; i++)
		if (!strcmp(q->bases.v[i].s, base->name.s))
			return &q->bases.v[i].loc;
	return &q->name.loc;
}

/*
 * @q's list is layered left to right, each base on top of the one
 * before it, and a base reached twice lies below every policy that
 * extends it (docs/language.md section 3).  The post-order walk @post
 * places each base as low as its first path asks; a list that then has
 * a later base below an earlier one asks for both orders at once: an
 * error naming both paths, rather than one order picked silently.
 */
static bool check_order(struct leash_ctx *ctx, const struct ast_policy *q,
			const struct policy_ptr_vec *post)
{
	struct pos_ent *v = xcalloc(post->n + 1, sizeof(*v));
	bool ok = true;
	size_t i, k;

	for (i = 0; i < post->n; i++)
		v[i] = (struct pos_ent){ post->v[i], i };
	qsort(v, post->n, sizeof(*v), cmp_pos);
	for (k = 1; k < q->base_ptrs.n && ok; k++) {
		const struct ast_policy *lo = q->base_ptrs.v[k - 1];
		const struct ast_policy *hi = q->base_ptrs.v[k];
		struct ptrset seen = { 0 };
		bool direct;

		if (pos_of(v, post->n, lo) < pos_of(v, post->n, hi))
			continue;
		direct = builds_on(lo, hi, &seen);
		free(seen.slots);
		if (direct)
			diag_error(&ctx->diag, base_loc(q, hi),
				   "policy '%s' lists '%s' after '%s', which layers '%s' on top of '%s'; but '%s' extends '%s', so '%s' lies below it",
				   q->name.s, hi->name.s, lo->name.s,
				   hi->name.s, lo->name.s, lo->name.s,
				   hi->name.s, hi->name.s);
		else
			diag_error(&ctx->diag, base_loc(q, hi),
				   "policy '%s' lists '%s' after '%s', which layers '%s' on top of '%s'; but an earlier base of the list extends '%s', so '%s' lies below '%s'",
				   q->name.s, hi->name.s, lo->name.s,
				   hi->name.s, lo->name.s, hi->name.s,
				   hi->name.s, lo->name.s);
		ok = false;
	}
	free(v);
	return ok;
}

bool flat_check_order(struct leash_ctx *ctx, const struct ast_policy *p)
{
	struct flat_policy unused = { 0 };
	struct builder b = { .f = &unused };
	bool ok;

	linearize(&b, p, 0);
	free(b.seen.slots);
	ok = b.too_deep || check_order(ctx, p, &b.post);
	VEC_FREE(&b.post);
	return ok;
}

bool flat_nnp_on(const struct flat_policy *f)
{
	return !f->nnp || !f->nnp->nnp_value.s ||
	       strcmp(f->nnp->nnp_value.s, "off") != 0;
}

int flat_build(struct leash_ctx *ctx, const struct ast_policy *p,
	       struct flat_policy *out)
{
	struct builder b = { .f = out };
	size_t i;

	(void)ctx;
	memset(out, 0, sizeof(*out));
	out->policy = p;
	linearize(&b, p, 0);
	free(b.seen.slots);

	/* Most derived first; the post-order ends with @p itself. */
	out->chain = xcalloc(b.post.n + 1, sizeof(*out->chain));
	for (i = 0; i < b.post.n; i++)
		out->chain[i] = b.post.v[b.post.n - 1 - i];
	out->n_chain = b.post.n;

	for (i = 0; i < b.post.n; i++)
		run_caps(out, b.post.v[i]);
	out->ambient &= out->caps;
	VEC_FREE(&b.post);

	find_settings(out);
	for (i = 0; i < out->n_chain; i++) {
		add_rules(&b, out->chain[i], &out->chain[i]->seccomp, NULL, 0);
		if (i == 0)
			out->n_own_rules = out->rules.n;
	}
	collect_sections(out);
	collect_settings(out);
	return b.too_deep ? -ELOOP : 0;
}

void flat_free(struct flat_policy *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->whens.n; i++)
		free(f->whens.v[i]);
	VEC_FREE(&f->whens);
	VEC_FREE(&f->rules);
	free(f->chain);
	free(f->fs);
	free(f->net);
	free(f->aa_raw);
	memset(f, 0, sizeof(*f));
}
