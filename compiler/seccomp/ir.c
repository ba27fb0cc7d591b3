/* SPDX-License-Identifier: MIT */
/*
 * ir.c - IR constructors and the reference evaluator.
 *
 * ir_eval() is the meaning of a compiled policy, written as plainly as
 * possible: the native BPF, the JSON compiled by libseccomp and the
 * explain command are all tested against it.
 */
#include "seccomp/ir.h"

#include <stdlib.h>

#define X32_BIT 0x40000000u

struct ir_cond *ir_cond_new(enum ir_cond_kind kind)
{
	struct ir_cond *c = xcalloc(1, sizeof(*c));

	c->kind = kind;
	return c;
}

struct ir_cond *ir_cond_cmp(const struct ir_cmp *cmp)
{
	struct ir_cond *c = ir_cond_new(IRC_CMP);

	c->cmp = *cmp;
	return c;
}

void ir_cond_add(struct ir_cond *parent, struct ir_cond *kid)
{
	parent->kids = xrealloc(parent->kids,
				(parent->n_kids + 1) * sizeof(*parent->kids));
	parent->kids[parent->n_kids++] = kid;
}

void ir_cond_free(struct ir_cond *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n_kids; i++)
		ir_cond_free(c->kids[i]);
	free(c->kids);
	free(c);
}

void ir_filter_free(struct ir_filter *f)
{
	size_t a, s, r;

	if (!f)
		return;
	for (a = 0; a < f->n_arches; a++) {
		struct ir_arch *ar = &f->arches[a];

		for (s = 0; s < ar->n_sys; s++) {
			for (r = 0; r < ar->sys[s].n_rules; r++)
				ir_cond_free(ar->sys[s].rules[r].cond);
			free(ar->sys[s].rules);
		}
		free(ar->sys);
	}
	free(f->arches);
	free(f);
}

static bool cmp_eval(const struct ir_cmp *c, const uint64_t args[6])
{
	uint64_t v = args[c->arg];

	if (c->width == 32)
		v &= 0xffffffffu;
	v &= c->mask;
	switch (c->op) {
	case IR_EQ: return v == c->value;
	case IR_NE: return v != c->value;
	case IR_LT: return v < c->value;
	case IR_LE: return v <= c->value;
	case IR_GT: return v > c->value;
	case IR_GE: return v >= c->value;
	default: return false;
	}
}

bool ir_cond_eval(const struct ir_cond *c, const uint64_t args[6])
{
	size_t i;

	if (!c)
		return true;
	switch (c->kind) {
	case IRC_TRUE:
		return true;
	case IRC_FALSE:
		return false;
	case IRC_CMP:
		return cmp_eval(&c->cmp, args);
	case IRC_AND:
		for (i = 0; i < c->n_kids; i++)
			if (!ir_cond_eval(c->kids[i], args))
				return false;
		return true;
	case IRC_OR:
		for (i = 0; i < c->n_kids; i++)
			if (ir_cond_eval(c->kids[i], args))
				return true;
		return false;
	default:
		return false;
	}
}

static const struct ir_arch *find_arch(const struct ir_filter *f,
				       uint32_t audit_arch, uint32_t nr)
{
	size_t i;

	for (i = 0; i < f->n_arches; i++) {
		const struct ir_arch *a = &f->arches[i];
		const struct arch_info *ai = arch_info(a->arch);

		if (ai->audit_arch != audit_arch)
			continue;
		/*
		 * x86_64 and x32 share AUDIT_ARCH_X86_64; the kernel marks
		 * x32 calls with bit 30 of the number.
		 */
		if ((a->arch == ARCH_X32) != ((nr & X32_BIT) != 0) &&
		    (a->arch == ARCH_X32 || a->arch == ARCH_X86_64))
			continue;
		return a;
	}
	return NULL;
}

uint32_t ir_eval(const struct ir_filter *f, uint32_t audit_arch, int64_t nr,
		 const uint64_t args[6])
{
	uint32_t unr = (uint32_t)nr;
	const struct ir_arch *a = find_arch(f, audit_arch, unr);
	size_t lo, hi, r;

	if (!a)
		return f->bad_arch_action;
	lo = 0;
	hi = a->n_sys;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((uint32_t)a->sys[mid].nr < unr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* A number above the main table is unknown unless it is one of
	 * the arch's private syscalls, which lowering always lists. */
	if (lo == a->n_sys || (uint32_t)a->sys[lo].nr != unr)
		return unr > (uint32_t)a->max_nr ? a->unknown_action :
						   a->default_action;
	for (r = 0; r < a->sys[lo].n_rules; r++)
		if (ir_cond_eval(a->sys[lo].rules[r].cond, args))
			return a->sys[lo].rules[r].action;
	return a->default_action;
}

const char *ir_action_str(uint32_t action, char *buf, size_t len)
{
	uint32_t data = action & IR_RET_DATA_MASK;

	switch (action & IR_RET_ACTION_MASK) {
	case IR_RET_KILL_PROCESS: snprintf(buf, len, "kill_process"); break;
	case IR_RET_KILL_THREAD: snprintf(buf, len, "kill_thread"); break;
	case IR_RET_TRAP: snprintf(buf, len, "trap"); break;
	case IR_RET_ERRNO: snprintf(buf, len, "errno(%u)", data); break;
	case IR_RET_NOTIFY: snprintf(buf, len, "notify"); break;
	case IR_RET_TRACE: snprintf(buf, len, "trace(%u)", data); break;
	case IR_RET_LOG: snprintf(buf, len, "log"); break;
	case IR_RET_ALLOW: snprintf(buf, len, "allow"); break;
	default: snprintf(buf, len, "0x%08x", action); break;
	}
	return buf;
}
