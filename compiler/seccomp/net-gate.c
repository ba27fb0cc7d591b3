/* SPDX-License-Identifier: MIT */
/*
 * net-gate.c - the network section's families and types as seccomp
 * conditions (net-gate.h).
 *
 * An entry is a family, a type (of any family) or both.  A deny entry
 * refuses what it matches, wherever it stands, as in AppArmor, which
 * enforces the same section; a section with an allow entry (or 'none',
 * which allows unix sockets) refuses everything no allow entry matches.
 * The family is checked first, so that a program that falls back from
 * AF_INET6 to AF_INET sees the errno the kernel gives for a family it
 * lacks.
 */
#include "seccomp/net-gate.h"
#include "common/tables.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ANY UINT64_MAX

struct entry {
	uint64_t family, type;	/* ANY: not said */
	const struct leash_loc *loc;
};

struct gate {
	struct entry *allow, *deny;
	size_t n_allow, n_deny, cap_allow, cap_deny;
};

/*
 * "inet" -> AF_INET, "stream" -> SOCK_STREAM, by the constant table, on
 * @arch (mips numbers SOCK_STREAM and SOCK_DGRAM the other way round).
 */
static uint64_t lookup(enum leash_arch arch, const char *prefix,
		       const char *name)
{
	char buf[64];
	uint64_t v;
	size_t i, n = strlen(prefix);

	if (n + strlen(name) >= sizeof(buf))
		return ANY;
	memcpy(buf, prefix, n);
	for (i = 0; name[i]; i++)
		buf[n + i] = (char)toupper((unsigned char)name[i]);
	buf[n + i] = '\0';
	return const_lookup(arch, buf, &v) ? v : ANY;
}

static void push(struct gate *g, bool deny, uint64_t family, uint64_t type,
		 const struct leash_loc *loc)
{
	struct entry **v = deny ? &g->deny : &g->allow;
	size_t *n = deny ? &g->n_deny : &g->n_allow;
	size_t *cap = deny ? &g->cap_deny : &g->cap_allow;

	if (*n == *cap)
		vec_grow((void **)v, cap, sizeof(**v));
	(*v)[(*n)++] = (struct entry){ family, type, loc };
}

static void gather(const struct flat_policy *fp, enum leash_arch arch,
		   struct gate *g)
{
	size_t i, j;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < fp->n_net; i++) {
		const struct net_stmt *s = fp->net[i];

		if (s->kind == NET_NONE)
			push(g, false, lookup(arch, "AF_", "unix"), ANY, &s->loc);
		if (s->kind != NET_RULE)
			continue;
		for (j = 0; j < s->entries.n; j++) {
			const struct net_entry *e = &s->entries.v[j];
			uint64_t fam = lookup(arch, "AF_", e->first.s), type = ANY;

			if (e->second.s)
				type = lookup(arch, "SOCK_", e->second.s);
			else if (fam == ANY)	/* a lone type */
				type = lookup(arch, "SOCK_", e->first.s);
			/* check.c refused what neither table knows */
			if (fam == ANY && type == ANY)
				continue;
			push(g, s->deny, fam, type, &e->loc);
		}
	}
}

static struct ir_cond *cmp(unsigned arg, enum ir_op op, uint64_t value)
{
	struct ir_cmp c = {
		.arg = (uint8_t)arg, .width = 32, .op = op,
		.mask = arg == 1 ? 0xf : 0xffffffffu, .value = value,
	};

	return ir_cond_cmp(&c);
}

/* @c, or its only kid, or NULL when it has none. */
static struct ir_cond *tidy(struct ir_cond *c)
{
	struct ir_cond *k;

	if (c->n_kids > 1)
		return c;
	k = c->n_kids ? c->kids[0] : NULL;
	c->n_kids = 0;
	ir_cond_free(c);
	return k;
}

/* The call matches @e (@negate: does not). */
static struct ir_cond *match(const struct entry *e, bool negate)
{
	struct ir_cond *c = ir_cond_new(negate ? IRC_OR : IRC_AND);
	enum ir_op op = negate ? IR_NE : IR_EQ;

	if (e->family != ANY)
		ir_cond_add(c, cmp(0, op, e->family));
	if (e->type != ANY)
		ir_cond_add(c, cmp(1, op, e->type));
	return tidy(c);
}

uint32_t net_gate_action(enum leash_arch arch, enum net_gate_kind kind)
{
	uint64_t v = EAFNOSUPPORT;

	/* The arch's own number: EAFNOSUPPORT is 124 on mips, not 97. */
	if (kind == NET_GATE_FAMILY) {
		(void)errno_lookup(arch, "EAFNOSUPPORT", &v);
		return IR_RET_ERRNO | (uint32_t)v;
	}
	return IR_RET_ERRNO | EPERM;
}

struct ir_cond *net_gate_cond(const struct flat_policy *fp,
			      enum leash_arch arch, enum net_gate_kind kind,
			      const struct leash_loc **loc)
{
	struct ir_cond *any = ir_cond_new(IRC_OR), *none;
	struct gate g;
	bool any_family = false, typed = false;
	size_t i;

	*loc = NULL;
	gather(fp, arch, &g);
	for (i = 0; i < g.n_allow; i++) {
		any_family |= g.allow[i].family == ANY;
		typed |= g.allow[i].type != ANY;
	}
	if (g.n_allow)
		*loc = g.allow[0].loc;
	for (i = 0; i < g.n_deny; i++) {
		/* A family denied whole is a family refused; a type, or a
		 * family's type, is a type refused. */
		if ((g.deny[i].type == ANY) == (kind == NET_GATE_FAMILY)) {
			ir_cond_add(any, match(&g.deny[i], false));
			if (!*loc)
				*loc = g.deny[i].loc;
		}
	}
	/*
	 * Not a family the allow entries name: refused as a family.  Every
	 * family may be, for a type, when an entry names a type alone; then
	 * what matches no entry is refused as a type.
	 */
	if (g.n_allow && kind == NET_GATE_FAMILY && !any_family) {
		none = ir_cond_new(IRC_AND);
		for (i = 0; i < g.n_allow; i++)
			ir_cond_add(none, cmp(0, IR_NE, g.allow[i].family));
		ir_cond_add(any, tidy(none));
	}
	if (g.n_allow && kind == NET_GATE_TYPE && typed) {
		none = ir_cond_new(IRC_AND);
		for (i = 0; i < g.n_allow; i++)
			ir_cond_add(none, match(&g.allow[i], true));
		ir_cond_add(any, tidy(none));
	}
	free(g.allow);
	free(g.deny);
	return tidy(any);
}
