/* SPDX-License-Identifier: MIT */
/*
 * lower.c - seccomp lowering: flat policy -> per-arch ordered IR rules.
 *
 * For each selected arch, rules are taken in match order (flat_build()
 * already put the derived policy's rules first and decided every 'when'
 * block for the final capability set), groups are expanded, names become
 * that arch's numbers (a name the arch lacks is skipped there, which
 * check.c allowed), and each 'if' condition becomes a negation-free
 * ir_cond at the right argument width:
 *
 *  - '!' is pushed down to the comparisons (De Morgan, flipped operators);
 *  - 'x in { a, b }' is 'x == a || x == b';
 *  - 'C op arg' is turned around into 'arg op' C';
 *  - a 32-bit argument compares its low 32 bits: the kernel ignores the
 *    upper half of the register, which the caller controls.  A negative
 *    constant counts as its 32-bit two's complement there.  On 32-bit
 *    arches every argument is 32 bits wide.  A 16-bit one (umode_t, the
 *    old uid calls) is a 32-bit comparison under a 16-bit mask, with
 *    its constants folded the same way at 16 bits.
 *
 * Nothing after a syscall's first unconditional rule can ever match, so
 * it is dropped here: backends see only rules that can decide something.
 */
#include "seccomp/lower.h"
#include "common/sigs.h"
#include "seccomp/net-gate.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

bool lower_action(struct leash_ctx *ctx, const struct ast_action *a,
		  enum leash_arch arch, uint32_t *ret)
{
	uint64_t v = 0;

	switch (a->kind) {
	case ACT_ALLOW: *ret = IR_RET_ALLOW; return true;
	case ACT_LOG: *ret = IR_RET_LOG; return true;
	case ACT_TRAP: *ret = IR_RET_TRAP; return true;
	case ACT_NOTIFY: *ret = IR_RET_NOTIFY; return true;
	case ACT_KILL_PROCESS: *ret = IR_RET_KILL_PROCESS; return true;
	case ACT_KILL_THREAD: *ret = IR_RET_KILL_THREAD; return true;
	case ACT_ERRNO:
		if (a->is_deny || !a->value) {
			*ret = IR_RET_ERRNO | 1;	/* EPERM */
			return true;
		}
		/* ENOSYS is 38 on x86_64 and 89 on mips. */
		if (!res_eval_const_arch(ctx, a->value, arch, &v))
			return false;
		if (v > 4095) {
			diag_error(&ctx->diag, &a->value->loc,
				   "errno value %llu is out of range 0..4095",
				   (unsigned long long)v);
			return false;
		}
		*ret = IR_RET_ERRNO | (uint32_t)v;
		return true;
	case ACT_TRACE:
		if (!a->value || !res_eval_const_arch(ctx, a->value, arch, &v))
			return false;
		if (v > 0xffff) {
			diag_error(&ctx->diag, &a->value->loc,
				   "trace value %llu is out of range 0..65535",
				   (unsigned long long)v);
			return false;
		}
		*ret = IR_RET_TRACE | (uint32_t)v;
		return true;
	default:
		return false;
	}
}

/* ---- conditions ------------------------------------------------------- */

/* What one rule's condition is lowered against: a syscall on an arch. */
struct lower_env {
	struct leash_ctx *ctx;
	const struct ast_target *target;	/* the '(...)' declaration */
	const char *syscall;
	enum leash_arch arch;
	bool ok;
};

/*
 * Argument index and width of the name @e, or false if it is none.
 * @width is the comparison's, 32 or 64; @bits what the kernel reads of
 * the register, 16 for a umode_t (the width constants must fit).
 */
static bool arg_of(struct lower_env *env, const struct expr *e,
		   unsigned *idx, unsigned *width, unsigned *bits)
{
	const struct ast_target *t = env->target;
	unsigned declared = 0, w;
	size_t i;

	if (e->kind != EX_NAME)
		return false;
	if (t && t->has_decl) {
		for (i = 0; i < t->args.n; i++) {
			if (strcmp(t->args.v[i].name.s, e->name) == 0) {
				*idx = (unsigned)i;
				declared = t->args.v[i].width;
				goto found;
			}
		}
	}
	if (strlen(e->name) == 4 && strncmp(e->name, "arg", 3) == 0 &&
	    e->name[3] >= '0' && e->name[3] <= '5') {
		*idx = (unsigned)(e->name[3] - '0');
		if (t && t->has_decl && *idx < t->args.n)
			declared = t->args.v[*idx].width;
		goto found;
	}
	return false;
found:
	w = declared ? declared :
		       sig_arg_width_arch(env->syscall, env->arch, *idx);
	*width = (w <= 32 || sig_abi_32bit(env->arch)) ? 32 : 64;
	*bits = w < 32 ? w : *width;
	return true;
}

/*
 * Fit a constant to a comparison of @bits (16 or 32): a negative 64-bit
 * value (a sign-extended @bits-bit one) is its two's complement at that
 * width, so '-1' is 0xffff against a umode_t.  check.c rejects other
 * wide constants for declared widths; the table's widths and 32-bit
 * arches are per arch, so they are reported here.  @what is "constant"
 * or "mask".
 */
static bool fit_bits(struct lower_env *env, const struct expr *e,
		     uint64_t *v, unsigned idx, unsigned bits,
		     const char *what)
{
	uint64_t max;

	if (bits >= 64)
		return true;
	max = (UINT64_C(1) << bits) - 1;
	if (*v <= max)
		return true;
	if ((*v >> (bits - 1)) == (UINT64_MAX >> (bits - 1))) {
		*v &= max;
		return true;
	}
	diag_error(&env->ctx->diag, &e->loc,
		   "%s 0x%llx does not fit the %u-bit argument %u of '%s' on arch %s",
		   what, (unsigned long long)*v, bits, idx, env->syscall,
		   arch_info(env->arch)->name);
	env->ok = false;
	return false;
}

static enum ir_op flip_sides(enum ir_op op)
{
	switch (op) {
	case IR_LT: return IR_GT;
	case IR_LE: return IR_GE;
	case IR_GT: return IR_LT;
	case IR_GE: return IR_LE;
	default: return op;
	}
}

static enum ir_op negate_op(enum ir_op op)
{
	switch (op) {
	case IR_EQ: return IR_NE;
	case IR_NE: return IR_EQ;
	case IR_LT: return IR_GE;
	case IR_LE: return IR_GT;
	case IR_GT: return IR_LE;
	case IR_GE: return IR_LT;
	default: return op;
	}
}

static enum ir_op ast_op(enum expr_op op)
{
	switch (op) {
	case OP_EQ: return IR_EQ;
	case OP_NE: return IR_NE;
	case OP_LT: return IR_LT;
	case OP_LE: return IR_LE;
	case OP_GT: return IR_GT;
	default: return IR_GE;
	}
}

/*
 * The argument side: 'arg' or '(arg & M)'.  Fills idx, width, mask, and
 * @bits: what the kernel reads of the argument, which constants must fit.
 */
static bool arg_side(struct lower_env *env, const struct expr *e,
		     struct ir_cmp *c, unsigned *bits)
{
	unsigned idx, width;
	const struct expr *m = NULL;
	uint64_t mask = ~(uint64_t)0;

	if (arg_of(env, e, &idx, &width, bits)) {
		/* plain argument */
	} else if (e->kind == EX_BINARY && e->op == OP_BAND &&
		   arg_of(env, e->lhs, &idx, &width, bits)) {
		m = e->rhs;
	} else if (e->kind == EX_BINARY && e->op == OP_BAND &&
		   arg_of(env, e->rhs, &idx, &width, bits)) {
		m = e->lhs;
	} else {
		return false;
	}
	if (m && !res_eval_const_arch(env->ctx, m, env->arch, &mask)) {
		env->ok = false;
		return true;
	}
	if (m && !fit_bits(env, m, &mask, idx, *bits, "mask"))
		return true;
	/*
	 * The kernel reads a umode_t or an old 16-bit uid as 16 bits: a
	 * caller's bits above them change nothing, so the comparison must
	 * not see them either ('setuid(0x10000)' is 'setuid(0)' there).
	 */
	if (*bits < 64)
		mask &= (UINT64_C(1) << *bits) - 1;
	c->arg = (uint8_t)idx;
	c->width = (uint8_t)width;
	c->mask = mask;
	return true;
}

static struct ir_cond *lower_cond(struct lower_env *env, const struct expr *e,
				  bool neg);

static struct ir_cond *lower_cmp(struct lower_env *env, const struct expr *e,
				 enum ir_op op, const struct expr *lhs,
				 const struct expr *rhs, bool neg)
{
	struct ir_cmp c = { 0 };
	const struct expr *cst = rhs;
	unsigned bits = 64;
	uint64_t v = 0;

	if (!arg_side(env, lhs, &c, &bits)) {
		if (!arg_side(env, rhs, &c, &bits)) {
			env->ok = false;	/* check.c reported it */
			return ir_cond_new(IRC_FALSE);
		}
		cst = lhs;
		op = flip_sides(op);
	}
	if (!res_eval_const_arch(env->ctx, cst, env->arch, &v)) {
		env->ok = false;
		return ir_cond_new(IRC_FALSE);
	}
	if (!fit_bits(env, cst, &v, c.arg, bits, "constant"))
		return ir_cond_new(IRC_FALSE);
	(void)e;
	c.op = neg ? negate_op(op) : op;
	c.value = v;
	return ir_cond_cmp(&c);
}

static struct ir_cond *lower_cond(struct lower_env *env, const struct expr *e,
				  bool neg)
{
	struct ir_cond *c;
	size_t i;

	switch (e->kind) {
	case EX_UNARY:
		if (e->op == OP_NOT)
			return lower_cond(env, e->lhs, !neg);
		break;
	case EX_IN:
		/* x in {a, b}: x == a || x == b; negated: x != a && x != b */
		c = ir_cond_new(neg ? IRC_AND : IRC_OR);
		for (i = 0; i < e->items.n; i++)
			ir_cond_add(c, lower_cmp(env, e, IR_EQ, e->lhs,
						 e->items.v[i], neg));
		return c;
	case EX_BINARY:
		switch (e->op) {
		case OP_LOR:
		case OP_LAND:
			/* De Morgan: !(a || b) == !a && !b */
			c = ir_cond_new((e->op == OP_LAND) != neg ? IRC_AND :
								    IRC_OR);
			ir_cond_add(c, lower_cond(env, e->lhs, neg));
			ir_cond_add(c, lower_cond(env, e->rhs, neg));
			return c;
		case OP_EQ: case OP_NE: case OP_LT:
		case OP_LE: case OP_GT: case OP_GE:
			return lower_cmp(env, e, ast_op(e->op), e->lhs, e->rhs,
					 neg);
		default:
			break;
		}
		break;
	default:
		break;
	}
	env->ok = false;	/* not a condition: check.c reported it */
	return ir_cond_new(IRC_FALSE);
}

/* ---- rules -------------------------------------------------------------- */

struct sys_build {
	struct ir_syscall s;
	size_t cap;
	bool closed;	/* an unconditional rule was added: nothing follows */
};

struct arch_build {
	struct leash_ctx *ctx;
	enum leash_arch arch;
	struct sys_build *sys;	/* indexed by position in 'order' */
	size_t n, cap;
	struct symtab_lite {
		int64_t *nr;	/* open addressing: nr -> index + 1 */
		size_t *idx;
		size_t cap;
	} map;
	const struct flat_rule *rule;
	const struct ast_target *target;
	uint32_t action;
	bool ok;
};

static size_t map_find(struct arch_build *ab, int64_t nr, bool *found)
{
	size_t i = ((uint64_t)nr * 0x9e3779b97f4a7c15ull) >> 40;

	i &= ab->map.cap - 1;
	while (ab->map.idx[i]) {
		if (ab->map.nr[i] == nr) {
			*found = true;
			return i;
		}
		i = (i + 1) & (ab->map.cap - 1);
	}
	*found = false;
	return i;
}

static struct sys_build *sys_get(struct arch_build *ab, int64_t nr,
				 const char *name)
{
	bool found;
	size_t slot;

	if (2 * (ab->n + 1) > ab->map.cap) {
		struct symtab_lite old = ab->map;
		size_t i;

		ab->map.cap = old.cap ? old.cap * 2 : 1024;
		ab->map.nr = xcalloc(ab->map.cap, sizeof(*ab->map.nr));
		ab->map.idx = xcalloc(ab->map.cap, sizeof(*ab->map.idx));
		for (i = 0; i < old.cap; i++) {
			if (!old.idx[i])
				continue;
			slot = map_find(ab, old.nr[i], &found);
			ab->map.nr[slot] = old.nr[i];
			ab->map.idx[slot] = old.idx[i];
		}
		free(old.nr);
		free(old.idx);
	}
	slot = map_find(ab, nr, &found);
	if (found)
		return &ab->sys[ab->map.idx[slot] - 1];
	if (ab->n == ab->cap)
		vec_grow((void **)&ab->sys, &ab->cap, sizeof(*ab->sys));
	memset(&ab->sys[ab->n], 0, sizeof(ab->sys[ab->n]));
	ab->sys[ab->n].s.nr = nr;
	ab->sys[ab->n].s.name = name;
	ab->map.nr[slot] = nr;
	ab->map.idx[slot] = ++ab->n;
	return &ab->sys[ab->n - 1];
}

static void add_syscall(void *opaque, const struct ast_name *name)
{
	struct arch_build *ab = opaque;
	const struct sc_stmt *st = ab->rule->stmt;
	struct lower_env env = {
		.ctx = ab->ctx, .target = ab->target, .syscall = name->s,
		.arch = ab->arch, .ok = true,
	};
	struct ir_cond *cond = NULL;
	struct sys_build *sb;
	int64_t nr;

	nr = syscall_nr(ab->arch, name->s, NULL);
	if (nr < 0)
		return;		/* not on this arch: skipped (check -v) */
	sb = sys_get(ab, nr, syscall_name(ab->arch, nr) ?
			     syscall_name(ab->arch, nr) : name->s);
	if (sb->closed)
		return;		/* shadowed: an earlier rule decides it */
	if (st->cond) {
		cond = lower_cond(&env, st->cond, false);
		if (!env.ok) {
			ab->ok = false;
			ir_cond_free(cond);
			return;
		}
	}
	if (sb->s.n_rules == sb->cap)
		vec_grow((void **)&sb->s.rules, &sb->cap,
			 sizeof(*sb->s.rules));
	sb->s.rules[sb->s.n_rules++] = (struct ir_rule){
		.cond = cond, .action = ab->action, .src = st,
	};
	if (!cond)
		sb->closed = true;
}

static int cmp_sys(const void *a, const void *b)
{
	const struct ir_syscall *x = a, *y = b;

	return (uint32_t)x->nr < (uint32_t)y->nr ? -1 :
	       (uint32_t)x->nr > (uint32_t)y->nr;
}

/*
 * The network section's families and types come before every rule of
 * the seccomp section (net-gate.h), so that none can widen them.
 */
static void add_net_gate(struct arch_build *ab, const struct flat_policy *fp)
{
	static const char *const calls[] = { "socket", "socketpair" };
	static const enum net_gate_kind kinds[] = {
		NET_GATE_FAMILY, NET_GATE_TYPE,
	};
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		int64_t nr = syscall_nr(ab->arch, calls[i], NULL);
		struct sys_build *sb;

		if (nr < 0)
			continue;
		for (k = 0; k < ARRAY_SIZE(kinds); k++) {
			const struct leash_loc *loc;
			struct ir_cond *c = net_gate_cond(fp, ab->arch,
							  kinds[k], &loc);

			if (!c)
				continue;
			sb = sys_get(ab, nr, syscall_name(ab->arch, nr));
			if (sb->s.n_rules == sb->cap)
				vec_grow((void **)&sb->s.rules, &sb->cap,
					 sizeof(*sb->s.rules));
			sb->s.rules[sb->s.n_rules++] = (struct ir_rule){
				.cond = c,
				.action = net_gate_action(ab->arch, kinds[k]),
				.net_loc = loc,
			};
		}
	}
}

/*
 * An arch's private syscalls (ARM's cacheflush, set_tls, ... at 0xf0000
 * and up) lie above its main table, where numbers are 'unknown'; they
 * are syscalls (docs/language.md section 4).  Each is listed, with no
 * rule when the policy names none, so that the backends give it its
 * rules or the default, never the unknown action.
 */
static void add_private(struct arch_build *ab)
{
	int64_t max = syscall_max_nr(ab->arch), nr;
	const char *name;
	size_t i;

	for (i = 0; (name = syscall_name_at(i)) != NULL; i++) {
		nr = syscall_nr(ab->arch, name, NULL);
		if (nr > max)
			sys_get(ab, nr, syscall_name(ab->arch, nr));
	}
}

static bool lower_arch(struct leash_ctx *ctx, const struct flat_policy *fp,
		       enum leash_arch arch, struct ir_arch *out)
{
	struct arch_build ab = { .ctx = ctx, .arch = arch, .ok = true };
	size_t r, t, i;

	add_net_gate(&ab, fp);
	for (r = 0; r < fp->rules.n; r++) {
		const struct flat_rule *fr = &fp->rules.v[r];
		const struct sc_stmt *st = fr->stmt;

		if (!flat_rule_applies(fr, arch))
			continue;
		ab.rule = fr;
		if (!lower_action(ctx, &st->action, arch, &ab.action)) {
			ab.ok = false;
			continue;
		}
		for (t = 0; t < st->targets.n; t++) {
			const struct ast_target *tg = &st->targets.v[t];

			ab.target = tg;
			if (tg->is_group) {
				const struct ast_group *g =
					res_find_group(ctx, tg->name.s);

				if (g)
					res_expand_group(ctx, g, add_syscall,
							 &ab);
			} else {
				add_syscall(&ab, &tg->name);
			}
		}
	}
	add_private(&ab);
	out->arch = arch;
	out->max_nr = syscall_max_nr(arch);
	out->sys = xcalloc(ab.n ? ab.n : 1, sizeof(*out->sys));
	for (i = 0; i < ab.n; i++)
		out->sys[i] = ab.sys[i].s;
	out->n_sys = ab.n;
	qsort(out->sys, out->n_sys, sizeof(*out->sys), cmp_sys);
	free(ab.sys);
	free(ab.map.nr);
	free(ab.map.idx);
	return ab.ok;
}

/*
 * On 32-bit x86 (and s390) the socket calls are also reachable through
 * socketcall(), whose arguments sit in memory where seccomp cannot see
 * them: argument rules on socket() do not hold there if socketcall is
 * allowed.  Say so instead of letting the reader believe they do.
 */
static void note_multiplexed(struct diag *d, const struct ir_arch *a)
{
	static const char *const socket_calls[] = {
		"socket", "bind", "connect", "listen", "accept", "accept4",
		"getsockname", "getpeername", "socketpair", "send", "sendto",
		"recv", "recvfrom", "shutdown", "setsockopt", "getsockopt",
		"sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
	};
	int64_t mux = syscall_nr(a->arch, "socketcall", NULL);
	const struct ir_syscall *sc = NULL;
	size_t i, k;

	if (mux < 0)
		return;
	for (i = 0; i < a->n_sys; i++)
		if (a->sys[i].nr == mux)
			sc = &a->sys[i];
	if (!sc && (a->default_action & IR_RET_ACTION_MASK) != IR_RET_ALLOW)
		return;
	for (i = 0; i < a->n_sys; i++) {
		const struct ir_syscall *s = &a->sys[i];

		for (k = 0; k < ARRAY_SIZE(socket_calls); k++)
			if (strcmp(s->name, socket_calls[k]) == 0)
				break;
		if (k == ARRAY_SIZE(socket_calls) || s->n_rules == 0 ||
		    !s->rules[0].cond)
			continue;
		diag_fidelity(d, s->rules[0].src ? &s->rules[0].src->loc :
			      s->rules[0].net_loc,
			      "on arch %s, socketcall() reaches '%s' without "
			      "this rule's argument checks",
			      arch_info(a->arch)->name, s->name);
	}
}

int lower_seccomp(struct leash_ctx *ctx, const struct flat_policy *fp,
		  struct ir_filter **out)
{
	struct ir_filter *f = xcalloc(1, sizeof(*f));
	uint32_t dflt, unknown;
	bool ok = true;
	size_t i;

	f->bad_arch_action = IR_RET_KILL_PROCESS;
	f->arches = xcalloc(fp->n_arches ? fp->n_arches : 1,
			    sizeof(*f->arches));
	for (i = 0; i < fp->n_arches; i++) {
		struct ir_arch *a = &f->arches[f->n_arches++];

		/* Per arch: 'default errno(ENOSYS)' is 89 on mips. */
		dflt = IR_RET_ERRNO | 1;
		if (fp->default_stmt &&
		    !lower_action(ctx, &fp->default_stmt->action,
				  fp->arches[i], &dflt))
			ok = false;
		unknown = dflt;
		if (fp->unknown_stmt &&
		    !lower_action(ctx, &fp->unknown_stmt->action,
				  fp->arches[i], &unknown))
			ok = false;
		a->default_action = dflt;
		a->unknown_action = unknown;
		if (!lower_arch(ctx, fp, fp->arches[i], a))
			ok = false;
		note_multiplexed(&ctx->diag, a);
	}
	if (!ok) {
		ir_filter_free(f);
		return -EINVAL;
	}
	*out = f;
	return 0;
}
