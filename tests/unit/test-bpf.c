/* SPDX-License-Identifier: MIT */
/*
 * test-bpf.c - unit tests for bpf.c and emit-bpf.c.
 *
 * The interpreter must refuse what the kernel refuses (checked against
 * the kernel itself), the builder must lay out long jumps, and every
 * filter emit_bpf() writes must give what ir_eval() gives for every
 * (arch, nr, args) tried: hand-built IRs over nr 0..600, the same with
 * the x32 bit and 0xffffffff, arguments around every constant of the
 * IR; thousands of random IRs; and two filters loaded into the kernel.
 */
#include "seccomp/emit-bpf.h"
#include "seccomp-common.h"

#include <check.h>
#include <errno.h>
#include <linux/audit.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define X32 0x40000000u
#define ALLOW IR_RET_ALLOW
#define KILL IR_RET_KILL_PROCESS
#define ERRNO(e) (IR_RET_ERRNO | (uint32_t)(e))
#define ONES UINT64_MAX
#define LO32 UINT64_C(0xffffffff)

/* ---- random numbers: xorshift64*, seeded per test --------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * UINT64_C(0x2545f4914f6cdd1d);
}

static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

/* ---- building IRs ----------------------------------------------------- */

#define MAX_ARCHES 8

static struct ir_filter *filter_new(uint32_t bad_arch)
{
	struct ir_filter *f = xcalloc(1, sizeof(*f));

	/* allocated once, so arch pointers stay valid */
	f->arches = xcalloc(MAX_ARCHES, sizeof(*f->arches));
	f->bad_arch_action = bad_arch;
	return f;
}

static struct ir_arch *arch_add(struct ir_filter *f, enum leash_arch arch,
				uint32_t dflt, uint32_t unknown, int64_t max_nr)
{
	struct ir_arch *a;

	ck_assert_uint_lt(f->n_arches, MAX_ARCHES);
	a = &f->arches[f->n_arches++];
	a->arch = arch;
	a->default_action = dflt;
	a->unknown_action = unknown;
	a->max_nr = max_nr;
	return a;
}

/* Syscall @nr of @a, inserted in order when new. */
static struct ir_syscall *sys_get(struct ir_arch *a, int64_t nr)
{
	size_t i;

	for (i = 0; i < a->n_sys && a->sys[i].nr < nr; i++)
		;
	if (i < a->n_sys && a->sys[i].nr == nr)
		return &a->sys[i];
	a->sys = xrealloc(a->sys, (a->n_sys + 1) * sizeof(*a->sys));
	memmove(&a->sys[i + 1], &a->sys[i], (a->n_sys - i) * sizeof(*a->sys));
	memset(&a->sys[i], 0, sizeof(a->sys[i]));
	a->sys[i].nr = nr;
	a->n_sys++;
	return &a->sys[i];
}

static void rule_add(struct ir_arch *a, int64_t nr, struct ir_cond *c,
		     uint32_t action)
{
	struct ir_syscall *s = sys_get(a, nr);

	s->rules = xrealloc(s->rules, (s->n_rules + 1) * sizeof(*s->rules));
	s->rules[s->n_rules].cond = c;
	s->rules[s->n_rules].action = action;
	s->rules[s->n_rules].src = NULL;
	s->n_rules++;
}

static struct ir_cond *cmp(unsigned arg, unsigned width, enum ir_op op,
			   uint64_t mask, uint64_t value)
{
	struct ir_cmp c = { .arg = (uint8_t)arg, .width = (uint8_t)width,
			    .op = op, .mask = mask, .value = value };

	return ir_cond_cmp(&c);
}

/* AND / OR of a NULL-terminated list. */
static struct ir_cond *group_of(enum ir_cond_kind kind, struct ir_cond *first,
				va_list ap)
{
	struct ir_cond *g = ir_cond_new(kind), *k;

	for (k = first; k; k = va_arg(ap, struct ir_cond *))
		ir_cond_add(g, k);
	return g;
}

static struct ir_cond *all(struct ir_cond *first, ...)
{
	struct ir_cond *g;
	va_list ap;

	va_start(ap, first);
	g = group_of(IRC_AND, first, ap);
	va_end(ap);
	return g;
}

static struct ir_cond *any(struct ir_cond *first, ...)
{
	struct ir_cond *g;
	va_list ap;

	va_start(ap, first);
	g = group_of(IRC_OR, first, ap);
	va_end(ap);
	return g;
}

/* ---- the reference side ----------------------------------------------- */

/* The syscall ir_eval() looks at for (audit, nr), or NULL: find_arch(). */
static const struct ir_syscall *ref_sys(const struct ir_filter *f,
					uint32_t audit, uint32_t nr)
{
	const struct ir_arch *a = NULL;
	size_t i, lo = 0, hi;

	for (i = 0; i < f->n_arches && !a; i++) {
		const struct ir_arch *c = &f->arches[i];

		if (arch_info(c->arch)->audit_arch != audit)
			continue;
		if ((c->arch == ARCH_X32) != ((nr & X32) != 0) &&
		    (c->arch == ARCH_X32 || c->arch == ARCH_X86_64))
			continue;
		a = c;
	}
	/* An entry above max_nr is live (a private syscall, ir_eval()). */
	if (!a)
		return NULL;
	hi = a->n_sys;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((uint32_t)a->sys[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == a->n_sys || (uint32_t)a->sys[lo].nr != nr)
		return NULL;
	return &a->sys[lo];
}

/* A rule that looks at an argument: the path may load it. */
static bool has_arg_rules(const struct ir_syscall *s)
{
	size_t r;

	for (r = 0; s && r < s->n_rules; r++)
		if (s->rules[r].cond && s->rules[r].cond->kind != IRC_TRUE &&
		    s->rules[r].cond->kind != IRC_FALSE)
			return true;
	return false;
}

/* ---- argument vectors ------------------------------------------------- */

VEC(u64_vec, uint64_t);

static void cand_add(struct u64_vec *c, uint64_t v)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i] == v)
			return;
	VEC_PUSH(c, v);
}

/* Values around a comparison's constant, its mask, and the word split. */
static void cmp_cands(struct u64_vec *c, const struct ir_cmp *p)
{
	uint64_t m = p->width == 32 ? p->mask & LO32 : p->mask;
	uint64_t base[4] = { p->value, p->value & m, m, p->value | ~m };
	size_t i;

	for (i = 0; i < 4; i++) {
		uint64_t b = base[i];

		cand_add(c, b);
		cand_add(c, b - 1);
		cand_add(c, b + 1);
		cand_add(c, b ^ (UINT64_C(1) << 32));	/* high word +-1 */
		cand_add(c, b + (UINT64_C(1) << 32));
		cand_add(c, b - (UINT64_C(1) << 32));
		/* what a caller leaves in the upper half of a 32-bit arg */
		cand_add(c, (b & LO32) | UINT64_C(0xdeadbeef00000000));
		cand_add(c, b ^ 0xffffffff00000000u);
	}
}

static void cond_cands(const struct ir_cond *c, struct u64_vec cand[6])
{
	size_t i;

	if (!c)
		return;
	if (c->kind == IRC_CMP && c->cmp.arg < 6)
		cmp_cands(&cand[c->cmp.arg], &c->cmp);
	for (i = 0; i < c->n_kids; i++)
		cond_cands(c->kids[i], cand);
}

struct args {
	uint64_t a[6];
};
VEC(args_vec, struct args);

/*
 * Argument vectors for @s: every combination of the candidates when
 * there are at most @cap; else @cap random ones, plus each candidate of
 * each argument once with the others random.
 */
static void make_vectors(const struct ir_syscall *s, size_t cap,
			 struct args_vec *out)
{
	struct u64_vec cand[6] = { { 0 } };
	struct args x;
	size_t i, j, k, r, product = 1;

	out->n = 0;
	for (r = 0; s && r < s->n_rules; r++)
		cond_cands(s->rules[r].cond, cand);
	for (i = 0; i < 6; i++) {
		if (cand[i].n == 0) {
			cand_add(&cand[i], UINT64_C(0x5a5a5a5a5a5a5a5a));
		} else {
			cand_add(&cand[i], 0);
			cand_add(&cand[i], ONES);
		}
		product = product > cap ? product : product * cand[i].n;
	}
	for (j = 0; j < (product <= cap ? product : cap); j++) {
		size_t idx = j;

		for (i = 0; i < 6; i++) {
			if (product <= cap) {
				x.a[i] = cand[i].v[idx % cand[i].n];
				idx /= cand[i].n;
			} else {
				x.a[i] = cand[i].v[rnd_below(cand[i].n)];
			}
		}
		VEC_PUSH(out, x);
	}
	for (i = 0; i < 6 && product > cap; i++) {
		for (k = 0; k < cand[i].n; k++) {
			for (j = 0; j < 6; j++)
				x.a[j] = cand[j].v[rnd_below(cand[j].n)];
			x.a[i] = cand[i].v[k];
			VEC_PUSH(out, x);
		}
	}
	for (i = 0; i < 6; i++)
		VEC_FREE(&cand[i]);
}

/* ---- the differential check ------------------------------------------- */

static void dump(const char *what, const struct sock_filter *prog, size_t len)
{
	fprintf(stderr, "---- %s: %zu instructions\n", what, len);
	bpf_disasm(stderr, prog, len);
}

static unsigned long n_runs;	/* filter runs compared, for the log */

static void run_one(const struct ir_filter *f, const struct sock_filter *prog,
		    size_t len, uint32_t audit, uint32_t nr,
		    const uint64_t args[6], bool args_free, const char *what)
{
	struct seccomp_data d;
	struct bpf_trace tr;
	uint32_t got = 0, want;
	int r;

	memset(&d, 0, sizeof(d));
	memcpy(&d.nr, &nr, sizeof(nr));
	d.arch = audit;
	d.instruction_pointer = rnd();
	memcpy(d.args, args, sizeof(d.args));
	r = bpf_exec(prog, len, &d, &got, &tr);
	want = ir_eval(f, audit, nr, args);
	n_runs++;
	if (r != 0 || got != want ||
	    (args_free && (tr.loaded & ~3u) != 0)) {
		dump(what, prog, len);
		ck_abort_msg("%s: arch 0x%08x nr 0x%x args %#llx %#llx %#llx "
			     "%#llx %#llx %#llx: bpf %d 0x%08x (loads 0x%x), "
			     "ir_eval 0x%08x", what, audit, nr,
			     (unsigned long long)args[0],
			     (unsigned long long)args[1],
			     (unsigned long long)args[2],
			     (unsigned long long)args[3],
			     (unsigned long long)args[4],
			     (unsigned long long)args[5], r, got, tr.loaded,
			     want);
	}
}

static void nr_add_near(struct u64_vec *nrs, uint64_t nr)
{
	cand_add(nrs, (uint32_t)(nr - 1));
	cand_add(nrs, (uint32_t)nr);
	cand_add(nrs, (uint32_t)(nr + 1));
	cand_add(nrs, (uint32_t)(nr ^ X32));
}

/*
 * Compile @f and compare with ir_eval() on every arch it names plus two
 * it does not, over nr 0..600 and X32 + 0..600 (@full) or 0..64 and
 * X32 + 0..64, the numbers near every syscall and max_nr, and the edges
 * of the 32-bit space.  Arguments: around every constant for syscalls
 * with argument rules (at most @cap vectors), three vectors otherwise, on
 * whose paths no argument may be loaded.  Returns the program.
 */
static struct sock_filter *check_filter(const struct ir_filter *f, bool full,
					size_t cap, const char *what,
					size_t *len_out)
{
	static const uint32_t edges[] = {
		0x3fffffff, 0x40000000, 0x7fffffff, 0x80000000, 0xbfffffff,
		0xc0000000, 0xfffffffe, 0xffffffff,
	};
	struct u64_vec nrs = { 0 }, audits = { 0 };
	struct args_vec vec = { 0 };
	struct sock_filter *prog = NULL;
	size_t len = 0, i, j, a, s, v, span = full ? 601 : 65;
	int r;

	r = emit_bpf(f, &prog, &len);
	ck_assert_msg(r == 0, "%s: emit_bpf() = %d", what, r);
	if (bpf_check(prog, len) != 0) {
		dump(what, prog, len);
		ck_abort_msg("%s: the kernel would refuse the program", what);
	}
	for (i = 0; i < span; i++) {
		cand_add(&nrs, i);
		cand_add(&nrs, X32 + i);
	}
	for (i = 0; i < ARRAY_SIZE(edges); i++)
		cand_add(&nrs, edges[i]);
	for (a = 0; a < f->n_arches; a++) {
		const struct ir_arch *ar = &f->arches[a];

		cand_add(&audits, arch_info(ar->arch)->audit_arch);
		nr_add_near(&nrs, (uint64_t)ar->max_nr);
		for (s = 0; s < ar->n_sys; s++)
			nr_add_near(&nrs, (uint64_t)ar->sys[s].nr);
	}
	cand_add(&audits, AUDIT_ARCH_AARCH64);
	cand_add(&audits, 0x12345678);

	for (a = 0; a < audits.n; a++) {
		for (j = 0; j < nrs.n; j++) {
			uint32_t audit = (uint32_t)audits.v[a];
			uint32_t nr = (uint32_t)nrs.v[j];
			const struct ir_syscall *sc = ref_sys(f, audit, nr);
			bool args_free = !has_arg_rules(sc);

			if (args_free) {
				struct args x;

				vec.n = 0;
				for (i = 0; i < 3; i++) {
					for (v = 0; v < 6; v++)
						x.a[v] = i == 0 ? 0 :
							 i == 1 ? ONES : rnd();
					VEC_PUSH(&vec, x);
				}
			} else {
				make_vectors(sc, cap, &vec);
			}
			for (v = 0; v < vec.n; v++)
				run_one(f, prog, len, audit, nr, vec.v[v].a,
					args_free, what);
			/* what the kernel's cache makes of it */
			if (args_free && (audit == AUDIT_ARCH_X86_64 ||
					  audit == AUDIT_ARCH_I386) &&
			    ir_eval(f, audit, nr, vec.v[0].a) == ALLOW &&
			    !tc_cache_allows(prog, len, audit, nr)) {
				dump(what, prog, len);
				ck_abort_msg("%s: arch 0x%08x nr %u is allowed "
					     "but not cacheable", what, audit,
					     nr);
			}
		}
	}
	VEC_FREE(&nrs);
	VEC_FREE(&audits);
	VEC_FREE(&vec);
	if (len_out) {
		*len_out = len;
		return prog;
	}
	free(prog);
	return NULL;
}

/* ---- interpreter ------------------------------------------------------ */

#define STMT(c, k) ((struct sock_filter)BPF_STMT((c), (k)))
#define JUMP(c, k, t, f) ((struct sock_filter)BPF_JUMP((c), (k), (t), (f)))

static uint32_t run_prog(const struct sock_filter *p, size_t len,
			 uint32_t nr, uint64_t arg0, uint32_t *steps)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = AUDIT_ARCH_X86_64,
				  .args = { arg0 } };
	struct bpf_trace tr;
	uint32_t ret = 0xdeadbeef;

	ck_assert_int_eq(bpf_run(p, len, &d, &ret, &tr), 0);
	if (steps)
		*steps = tr.steps;
	return ret;
}

START_TEST(test_interp_ops)
{
	/* A = ((((10 + 5 - 3) * 3 / 5) | 0x100) & 0x10f) ^ 1, <<2, >>1, neg */
	const struct sock_filter alu[] = {
		STMT(BPF_LD | BPF_IMM, 10),
		STMT(BPF_ALU | BPF_ADD | BPF_K, 5),
		STMT(BPF_ALU | BPF_SUB | BPF_K, 3),
		STMT(BPF_ALU | BPF_MUL | BPF_K, 3),
		STMT(BPF_ALU | BPF_DIV | BPF_K, 5),
		STMT(BPF_ALU | BPF_OR | BPF_K, 0x100),
		STMT(BPF_ALU | BPF_AND | BPF_K, 0x10f),
		STMT(BPF_ALU | BPF_XOR | BPF_K, 1),
		STMT(BPF_ALU | BPF_LSH | BPF_K, 2),
		STMT(BPF_ALU | BPF_RSH | BPF_K, 1),
		STMT(BPF_ALU | BPF_NEG, 0),
		STMT(BPF_RET | BPF_A, 0),
	};
	/* X ops, scratch memory, TAX/TXA, LEN */
	const struct sock_filter xops[] = {
		STMT(BPF_LDX | BPF_IMM, 3),			/* X = 3 */
		STMT(BPF_LD | BPF_W | BPF_LEN, 0),		/* A = 64 */
		STMT(BPF_ALU | BPF_ADD | BPF_X, 0),		/* 67 */
		STMT(BPF_ST, 5),				/* M5 = 67 */
		STMT(BPF_ALU | BPF_LSH | BPF_X, 0),		/* 536 */
		STMT(BPF_MISC | BPF_TAX, 0),			/* X = 536 */
		STMT(BPF_LD | BPF_MEM, 5),			/* A = 67 */
		STMT(BPF_ALU | BPF_SUB | BPF_X, 0),		/* -469 */
		STMT(BPF_STX, 2),				/* M2 = 536 */
		STMT(BPF_LDX | BPF_MEM, 2),
		STMT(BPF_ALU | BPF_XOR | BPF_X, 0),
		STMT(BPF_LDX | BPF_W | BPF_LEN, 0),		/* X = 64 */
		STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
		STMT(BPF_MISC | BPF_TXA, 0),			/* A = 64 */
		STMT(BPF_RET | BPF_A, 0),
	};
	/* every conditional jump with K and X, on nr and on args[0] */
	const struct sock_filter jumps[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		STMT(BPF_LDX | BPF_IMM, 7),
		JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1),
		STMT(BPF_RET | BPF_K, 1),			/* nr == 7 */
		JUMP(BPF_JMP | BPF_JGT | BPF_K, 100, 1, 0),
		STMT(BPF_RET | BPF_K, 2),			/* <= 100 */
		JUMP(BPF_JMP | BPF_JGE | BPF_X, 0, 2, 0),	/* always */
		STMT(BPF_RET | BPF_K, 98),
		STMT(BPF_RET | BPF_K, 98),
		JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x100, 0, 1),
		STMT(BPF_JMP | BPF_JA, 1),
		STMT(BPF_RET | BPF_K, 99),			/* no 0x100 */
		STMT(BPF_LD | BPF_W | BPF_ABS, bpf_arg_off(0, true)),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 5, 0, 1),
		STMT(BPF_RET | BPF_K, 3),			/* hi >= 5 */
		STMT(BPF_LD | BPF_W | BPF_ABS, bpf_arg_off(0, false)),
		STMT(BPF_LDX | BPF_IMM, 0xf0),
		JUMP(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1),
		STMT(BPF_RET | BPF_K, 4),			/* lo & 0xf0 */
		JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 1),
		STMT(BPF_RET | BPF_K, 5),			/* lo > 0xf0 */
		STMT(BPF_RET | BPF_K, 6),
	};
	/* division by X == 0 ends the cBPF program with 0 */
	const struct sock_filter div0[] = {
		STMT(BPF_LD | BPF_IMM, 10),
		STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
		STMT(BPF_RET | BPF_K, ALLOW),
	};
	uint32_t a = ((((10 + 5 - 3) * 3 / 5) | 0x100) & 0x10f) ^ 1, steps;

	a = -((a << 2) >> 1);
	ck_assert_uint_eq(run_prog(alu, ARRAY_SIZE(alu), 0, 0, &steps), a);
	ck_assert_uint_eq(steps, ARRAY_SIZE(alu));
	ck_assert_uint_eq(run_prog(xops, ARRAY_SIZE(xops), 0, 0, NULL), 64);
	ck_assert_uint_eq(run_prog(jumps, 22, 7, 0, &steps), 1);
	ck_assert_uint_eq(steps, 4);
	ck_assert_uint_eq(run_prog(jumps, 22, 50, 0, NULL), 2);
	ck_assert_uint_eq(run_prog(jumps, 22, 0x200, 0, NULL), 99);
	ck_assert_uint_eq(run_prog(jumps, 22, 0x1ff, UINT64_C(5) << 32, NULL),
			  3);
	ck_assert_uint_eq(run_prog(jumps, 22, 0x101, 0x10, &steps), 4);
	ck_assert_uint_eq(steps, 13);
	ck_assert_uint_eq(run_prog(jumps, 22, 0x101, 0x100, NULL), 5);
	ck_assert_uint_eq(run_prog(jumps, 22, 0x101, 0x0f, NULL), 6);
	ck_assert_uint_eq(run_prog(div0, 3, 0, 0, NULL), 0);
}
END_TEST

/* Programs the kernel refuses, each for one reason. */
static const struct {
	const char *why;
	struct sock_filter p[4];
	size_t len;
} bad_progs[] = {
	{ "no RET at the end", { STMT(BPF_LD | BPF_W | BPF_ABS, 0) }, 1 },
	{ "load past seccomp_data",
	  { STMT(BPF_LD | BPF_W | BPF_ABS, 64), STMT(BPF_RET | BPF_K, 0) }, 2 },
	{ "unaligned load",
	  { STMT(BPF_LD | BPF_W | BPF_ABS, 2), STMT(BPF_RET | BPF_K, 0) }, 2 },
	{ "half-word load",
	  { STMT(BPF_LD | BPF_H | BPF_ABS, 0), STMT(BPF_RET | BPF_K, 0) }, 2 },
	{ "indirect load",
	  { STMT(BPF_LD | BPF_W | BPF_IND, 0), STMT(BPF_RET | BPF_K, 0) }, 2 },
	{ "ldx msh", { STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		       STMT(BPF_RET | BPF_K, 0) }, 2 },
	{ "mod is not for seccomp",
	  { STMT(BPF_ALU | BPF_MOD | BPF_K, 3), STMT(BPF_RET | BPF_K, 0) }, 2 },
	{ "unknown opcode",
	  { STMT(0x00ff, 0), STMT(BPF_RET | BPF_K, 0) }, 2 },
	{ "opcode past the table",
	  { STMT(0x1006, 0), STMT(BPF_RET | BPF_K, 0) }, 2 },
	{ "division by constant zero",
	  { STMT(BPF_ALU | BPF_DIV | BPF_K, 0), STMT(BPF_RET | BPF_K, 0) }, 2 },
	{ "shift by 32",
	  { STMT(BPF_ALU | BPF_LSH | BPF_K, 32), STMT(BPF_RET | BPF_K, 0) },
	  2 },
	{ "scratch cell 16",
	  { STMT(BPF_ST, 16), STMT(BPF_RET | BPF_K, 0) }, 2 },
	{ "scratch read before write",
	  { STMT(BPF_LD | BPF_MEM, 3), STMT(BPF_RET | BPF_K, 0) }, 2 },
	{ "scratch written on one path only",
	  { JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), STMT(BPF_ST, 1),
	    STMT(BPF_LD | BPF_MEM, 1), STMT(BPF_RET | BPF_A, 0) }, 4 },
	{ "conditional jump out",
	  { JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
	    STMT(BPF_RET | BPF_K, 0) }, 2 },
	{ "ja out", { STMT(BPF_JMP | BPF_JA, 1), STMT(BPF_RET | BPF_K, 0) },
	  2 },
	{ "empty", { STMT(BPF_RET | BPF_K, 0) }, 0 },
};

/* Try to load @p into the kernel in a child: 0, or the errno. */
static int kernel_load(const struct sock_filter *p, size_t len)
{
	struct sock_fprog fp = { .len = (unsigned short)len,
				 .filter = (struct sock_filter *)p };
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(200);
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
			_exit(errno < 200 ? errno : 201);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(test_interp_rejects)
{
	const struct seccomp_data d = { 0 };
	struct sock_filter big[BPF_MAXINSNS + 1];
	uint32_t ret;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_progs); i++) {
		const char *why = bad_progs[i].why;

		ck_assert_msg(bpf_check(bad_progs[i].p, bad_progs[i].len) ==
			      -EINVAL, "bpf_check accepts: %s", why);
		ck_assert_msg(bpf_run(bad_progs[i].p, bad_progs[i].len, &d,
				      &ret, NULL) == -EINVAL,
			      "bpf_run accepts: %s", why);
		/* the interpreter alone must not guess either */
		if (bad_progs[i].len > 0 &&
		    strcmp(why, "scratch written on one path only") != 0)
			ck_assert_msg(bpf_exec(bad_progs[i].p, bad_progs[i].len,
					       &d, &ret, NULL) == -EINVAL,
				      "bpf_exec runs: %s", why);
		ck_assert_msg(kernel_load(bad_progs[i].p, bad_progs[i].len) ==
			      EINVAL, "the kernel accepts: %s", why);
	}
	for (i = 0; i < ARRAY_SIZE(big); i++)
		big[i] = STMT(BPF_RET | BPF_K, ALLOW);
	ck_assert_int_eq(bpf_check(big, BPF_MAXINSNS), 0);
	ck_assert_int_eq(kernel_load(big, BPF_MAXINSNS), 0);
	ck_assert_int_eq(bpf_check(big, BPF_MAXINSNS + 1), -EINVAL);
	ck_assert_int_eq(kernel_load(big, BPF_MAXINSNS + 1), EINVAL);
}
END_TEST

/* ---- builder, listing, files ------------------------------------------ */

START_TEST(test_builder_layout)
{
	struct bpf_builder b;
	struct sock_filter *p = NULL;
	int far, near, end, lbl[300];
	size_t len, i;

	/* one jump 300 instructions ahead, one just behind it */
	bpf_builder_init(&b);
	far = bpf_label(&b);
	near = bpf_label(&b);
	bpf_stmt(&b, BPF_LD | BPF_W | BPF_ABS, 0);
	bpf_jump(&b, BPF_JMP | BPF_JEQ | BPF_K, 1, far, near);
	bpf_bind(&b, near);
	for (i = 0; i < 300; i++)
		bpf_stmt(&b, BPF_LD | BPF_W | BPF_ABS, 4);
	bpf_stmt(&b, BPF_RET | BPF_K, ERRNO(2));
	bpf_bind(&b, far);
	bpf_stmt(&b, BPF_RET | BPF_K, ALLOW);
	ck_assert_int_eq(bpf_assemble(&b, &p, &len), 0);
	ck_assert_uint_eq(b.n_trampolines, 1);
	ck_assert_uint_eq(len, 305);
	ck_assert_uint_eq(run_prog(p, len, 1, 0, NULL), ALLOW);
	ck_assert_uint_eq(run_prog(p, len, 2, 0, NULL), ERRNO(2));
	free(p);
	bpf_builder_fini(&b);

	/*
	 * 300 jumps to one far RET: the trampolines of the first push the
	 * later ones past 255, so layout has to iterate.
	 */
	bpf_builder_init(&b);
	end = bpf_label(&b);
	bpf_stmt(&b, BPF_LD | BPF_W | BPF_ABS, 0);
	for (i = 0; i < 300; i++) {
		lbl[i] = bpf_label(&b);
		bpf_jump(&b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)i + 1, end,
			 lbl[i]);
		bpf_bind(&b, lbl[i]);
	}
	for (i = 0; i < 200; i++)
		bpf_stmt(&b, BPF_LD | BPF_W | BPF_ABS, 4);
	bpf_stmt(&b, BPF_RET | BPF_K, ERRNO(1));
	bpf_bind(&b, end);
	bpf_stmt(&b, BPF_RET | BPF_K, ALLOW);
	ck_assert_int_eq(bpf_assemble(&b, &p, &len), 0);
	ck_assert_uint_gt(b.n_trampolines, 0);
	ck_assert_int_eq(bpf_check(p, len), 0);
	for (i = 0; i <= 301; i++)
		ck_assert_uint_eq(run_prog(p, len, (uint32_t)i, 0, NULL),
				  i >= 1 && i <= 300 ? ALLOW : ERRNO(1));
	free(p);
	bpf_builder_fini(&b);

	/* both branches far, to different and to the same target */
	bpf_builder_init(&b);
	far = bpf_label(&b);
	near = bpf_label(&b);
	end = bpf_label(&b);
	bpf_stmt(&b, BPF_LD | BPF_W | BPF_ABS, 0);
	bpf_jump(&b, BPF_JMP | BPF_JEQ | BPF_K, 1, near, end);
	bpf_jump(&b, BPF_JMP | BPF_JEQ | BPF_K, 1, far, far);
	for (i = 0; i < 280; i++)
		bpf_stmt(&b, BPF_LD | BPF_W | BPF_ABS, 4);
	bpf_bind(&b, near);
	for (i = 0; i < 280; i++)
		bpf_stmt(&b, BPF_LD | BPF_W | BPF_ABS, 4);
	bpf_bind(&b, far);
	bpf_stmt(&b, BPF_RET | BPF_K, ERRNO(3));
	bpf_bind(&b, end);
	bpf_stmt(&b, BPF_RET | BPF_K, ERRNO(4));
	ck_assert_int_eq(bpf_assemble(&b, &p, &len), 0);
	ck_assert_uint_eq(b.n_trampolines, 3);
	ck_assert_uint_eq(run_prog(p, len, 1, 0, NULL), ERRNO(3));
	ck_assert_uint_eq(run_prog(p, len, 2, 0, NULL), ERRNO(4));
	free(p);
	bpf_builder_fini(&b);
}
END_TEST

/* Assemble one of a few small programs; returns bpf_assemble()'s verdict. */
static int assemble_case(int which, size_t *len)
{
	struct bpf_builder b;
	struct sock_filter *p = NULL;
	int l, r;
	size_t i;

	bpf_builder_init(&b);
	l = bpf_label(&b);
	switch (which) {
	case 0:		/* a JA to the next instruction disappears */
		bpf_goto(&b, l);
		bpf_bind(&b, l);
		break;
	case 1:		/* a label never bound */
		bpf_goto(&b, l);
		break;
	case 2:		/* backwards */
		bpf_bind(&b, l);
		bpf_stmt(&b, BPF_LD | BPF_W | BPF_ABS, 0);
		bpf_jump(&b, BPF_JMP | BPF_JEQ | BPF_K, 1, l, l);
		break;
	case 3:		/* bound twice */
		bpf_bind(&b, l);
		bpf_bind(&b, l);
		break;
	case 4:		/* too long */
		for (i = 0; i < BPF_MAXINSNS; i++)
			bpf_stmt(&b, BPF_RET | BPF_K, ALLOW);
		break;
	default:	/* bound past the end */
		bpf_goto(&b, l);
		bpf_stmt(&b, BPF_RET | BPF_K, ALLOW);
		bpf_bind(&b, l);
		break;
	}
	if (which != 5)
		bpf_stmt(&b, BPF_RET | BPF_K, ALLOW);
	r = bpf_assemble(&b, &p, len);
	free(p);
	bpf_builder_fini(&b);
	return r;
}

START_TEST(test_builder_errors)
{
	size_t len = 0;

	ck_assert_int_eq(assemble_case(0, &len), 0);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(assemble_case(1, &len), -EINVAL);
	ck_assert_int_eq(assemble_case(2, &len), -EINVAL);
	ck_assert_int_eq(assemble_case(3, &len), -EINVAL);
	ck_assert_int_eq(assemble_case(4, &len), -E2BIG);
	ck_assert_int_eq(assemble_case(5, &len), -EINVAL);
}
END_TEST

START_TEST(test_listing_and_files)
{
	struct ir_filter *f = filter_new(KILL);
	struct ir_arch *a = arch_add(f, ARCH_X86_64, ERRNO(1), ERRNO(38), 462);
	struct sock_filter *p = NULL, *q = NULL;
	char *text = NULL, path[] = "/tmp/test-bpf-XXXXXX", buf[32];
	size_t len, qlen, tlen;
	FILE *out;
	int fd;

	rule_add(a, 0, NULL, ALLOW);
	rule_add(a, 1, cmp(1, 64, IR_GT, ONES, UINT64_C(0x100000000)),
		 ERRNO(13));
	rule_add(a, 1, NULL, ALLOW);
	ck_assert_int_eq(emit_bpf(f, &p, &len), 0);

	out = open_memstream(&text, &tlen);
	bpf_disasm(out, p, len);
	fclose(out);
	ck_assert_msg(strstr(text, "   0: ld   arch\n") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "; x86_64") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "ld   nr") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "args[1].hi") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "args[1].lo") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "ret  ERRNO(13)") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "ret  ALLOW") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "ret  KILL_PROCESS") != NULL, "%s", text);
	free(text);
	ck_assert_str_eq(bpf_ret_str(IR_RET_TRACE | 7, buf, sizeof(buf)),
			 "TRACE(7)");
	ck_assert_str_eq(bpf_ret_str(IR_RET_KILL_THREAD, buf, sizeof(buf)),
			 "KILL_THREAD");
	ck_assert_str_eq(bpf_off_str(bpf_arg_off(5, true), buf, sizeof(buf)),
			 "args[5].hi");

	/* raw bytes round trip, as seccomp_export_bpf() writes them */
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bpf_write_raw(fd, p, len), 0);
	close(fd);
	ck_assert_int_eq(bpf_read_raw(path, &q, &qlen), 0);
	ck_assert_uint_eq(qlen, len);
	ck_assert(memcmp(p, q, len * sizeof(*p)) == 0);
	free(q);
	/* not a whole number of instructions */
	ck_assert_int_eq(bpf_from_bytes(p, 12, &q, &qlen), -EINVAL);
	ck_assert_int_eq(bpf_from_bytes(p, 0, &q, &qlen), -EINVAL);
	ck_assert_int_eq(truncate(path, 0), 0);
	ck_assert_int_eq(bpf_read_raw(path, &q, &qlen), -EINVAL);
	unlink(path);
	free(p);
	ir_filter_free(f);
}
END_TEST

/* ---- hand-built IRs --------------------------------------------------- */

START_TEST(test_emit_actions)
{
	static const uint32_t acts[] = {
		ALLOW, ERRNO(0), ERRNO(4095), KILL, IR_RET_KILL_THREAD,
		IR_RET_TRAP, IR_RET_LOG, IR_RET_TRACE | 7, IR_RET_NOTIFY,
	};
	struct ir_filter *f = filter_new(KILL);
	struct ir_arch *a64, *a86, *ax32;
	size_t i;

	a64 = arch_add(f, ARCH_X86_64, ERRNO(1), ERRNO(38), 462);
	a86 = arch_add(f, ARCH_X86, ERRNO(1), ERRNO(38), 462);
	ax32 = arch_add(f, ARCH_X32, ERRNO(1), ERRNO(38), X32 + 547);
	for (i = 0; i < ARRAY_SIZE(acts); i++) {
		rule_add(a64, (int64_t)i * 3, NULL, acts[i]);
		rule_add(a86, 100 + (int64_t)i, NULL, acts[i]);
		rule_add(ax32, X32 + 7 * (int64_t)i, NULL, acts[i]);
	}
	for (i = 400; i < 420; i++)
		rule_add(a64, (int64_t)i, NULL, ALLOW);
	rule_add(a64, 462, NULL, ALLOW);	/* the last known number */
	rule_add(a86, 0, NULL, ALLOW);
	check_filter(f, true, 4096, "actions", NULL);

	/* every action as default, unknown and bad-arch action */
	for (i = 0; i < ARRAY_SIZE(acts); i++) {
		f->bad_arch_action = acts[i];
		a64->default_action = acts[(i + 1) % ARRAY_SIZE(acts)];
		a64->unknown_action = acts[(i + 2) % ARRAY_SIZE(acts)];
		ax32->default_action = acts[(i + 3) % ARRAY_SIZE(acts)];
		ax32->unknown_action = acts[(i + 4) % ARRAY_SIZE(acts)];
		check_filter(f, false, 64, "actions rotated", NULL);
	}
	ir_filter_free(f);
}
END_TEST

/*
 * Every operator on masked and unmasked 32- and 64-bit arguments, with
 * constants at the edges of both words.
 */
START_TEST(test_emit_operators)
{
	static const struct {
		unsigned width;
		uint64_t mask, value;
	} v[] = {
		{ 64, ONES, UINT64_C(0x100000005) },
		{ 64, ONES, 5 },
		{ 64, ONES, 0 },
		{ 64, ONES, ONES },
		{ 64, ONES, UINT64_C(0xffffffff00000000) },
		{ 64, ONES, UINT64_C(0x00000000ffffffff) },
		{ 64, UINT64_C(0xff000000ff), UINT64_C(0x0500000005) },
		{ 64, UINT64_C(0xffffffff00000000), UINT64_C(0x700000000) },
		{ 64, UINT64_C(0xff), UINT64_C(0x100) },	/* never == */
		{ 64, UINT64_C(0xf0), UINT64_C(0x0f) },		/* never == */
		{ 64, UINT64_C(1) << 40, UINT64_C(1) << 40 },
		{ 64, UINT64_C(0x8000000000000001), 1 },
		{ 64, 0, 0 },
		{ 32, LO32, 7 },
		{ 32, 0xf0, 0x30 },
		{ 32, LO32, LO32 },
		{ 32, LO32, 0 },
		{ 32, 4, 4 },
		{ 32, 0x7e020000, 0 },
		{ 32, LO32, UINT64_C(0x100000000) },	/* beyond 32 bits */
	};
	struct ir_filter *f = filter_new(KILL);
	struct ir_arch *a = arch_add(f, ARCH_X86_64, ALLOW, ERRNO(38), 600);
	int64_t nr = 0;
	size_t i;
	int op;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		for (op = IR_EQ; op <= IR_GE; op++, nr++) {
			rule_add(a, nr, cmp((unsigned)nr % 6, v[i].width,
					    (enum ir_op)op, v[i].mask,
					    v[i].value),
				 ERRNO(1 + (uint32_t)nr));
		}
	}
	check_filter(f, true, 4096, "operators", NULL);
	ir_filter_free(f);
}
END_TEST

START_TEST(test_emit_conditions)
{
	struct ir_filter *f = filter_new(KILL);
	struct ir_arch *a = arch_add(f, ARCH_X86_64, ERRNO(1), ERRNO(38), 462);
	struct ir_arch *x32 = arch_add(f, ARCH_X32, ERRNO(2), ERRNO(38),
				       X32 + 547);
	struct emit_bpf_stats st;
	struct sock_filter *p;
	size_t len;
	int k;

	/* first match wins across rules with different actions */
	rule_add(a, 1, any(cmp(0, 32, IR_EQ, LO32, 1),
			   cmp(0, 32, IR_EQ, LO32, 2),
			   cmp(0, 32, IR_EQ, LO32, 3), NULL), ERRNO(11));
	rule_add(a, 1, all(cmp(1, 64, IR_GT, ONES, 10),
			   cmp(1, 64, IR_LT, ONES, UINT64_C(0x100000014)),
			   NULL), ERRNO(12));
	rule_add(a, 1, all(any(cmp(2, 64, IR_EQ, 1, 1),
			       cmp(3, 64, IR_GE, ONES, UINT64_C(1) << 40),
			       NULL),
			   cmp(4, 32, IR_NE, LO32, 0), NULL), IR_RET_TRAP);
	rule_add(a, 1, NULL, IR_RET_LOG);
	/* a 64-bit 'in' set */
	rule_add(a, 2, any(cmp(0, 64, IR_EQ, ONES, 1),
			   cmp(0, 64, IR_EQ, ONES, 2),
			   cmp(0, 64, IR_EQ, ONES, UINT64_C(0x100000001)),
			   cmp(0, 64, IR_EQ, ONES, ONES), NULL), ALLOW);
	/* constants: skipped, neutral, deciding */
	rule_add(a, 3, ir_cond_new(IRC_FALSE), ALLOW);
	rule_add(a, 3, all(ir_cond_new(IRC_TRUE), cmp(5, 32, IR_LE, LO32, 9),
			   NULL), ERRNO(13));
	rule_add(a, 3, all(any(ir_cond_new(IRC_FALSE), NULL),
			   cmp(0, 32, IR_EQ, LO32, 0), NULL), ERRNO(14));
	rule_add(a, 3, all(cmp(0, 64, IR_EQ, 0xff, 0x100), NULL), ERRNO(15));
	rule_add(a, 3, ir_cond_new(IRC_AND), ERRNO(16));	/* true */
	rule_add(a, 3, cmp(1, 32, IR_EQ, LO32, 1), ERRNO(17));	/* dead */
	/* a rule that changes nothing: only nr decides */
	rule_add(a, 4, cmp(0, 32, IR_EQ, LO32, 1), ERRNO(1));
	rule_add(a, 5, any(cmp(0, 32, IR_LT, LO32, 1), ir_cond_new(IRC_OR),
			   NULL), ERRNO(1));
	rule_add(a, 5, ir_cond_new(IRC_TRUE), ALLOW);
	/* the same rules on two syscalls and on x32 (at 32 bits): one block */
	for (k = 0; k < 3; k++) {
		struct ir_arch *ar = k < 2 ? a : x32;
		int64_t nr = k < 2 ? 10 + 2 * k : (int64_t)X32 + 10;

		rule_add(ar, nr, all(cmp(0, k < 2 ? 64 : 32, IR_EQ,
					 0x7e020000, 0),
				     cmp(2, 32, IR_GE, LO32, 3), NULL), ALLOW);
		rule_add(ar, nr, NULL, ERRNO(1));
	}
	/* one word, several masks: A is reused or re-masked */
	rule_add(a, 20, all(cmp(0, 32, IR_NE, 0xff00, 0x100),
			    cmp(0, 32, IR_EQ, 0x0f00, 0x200),
			    cmp(0, 32, IR_GE, 0xffff, 0x250),
			    cmp(0, 64, IR_LE, ONES, UINT64_C(0x300)), NULL),
		 ERRNO(20));
	/* every argument */
	rule_add(a, 21, all(cmp(0, 32, IR_EQ, LO32, 0),
			    cmp(1, 64, IR_NE, ONES, 1),
			    cmp(2, 32, IR_LT, LO32, 2),
			    cmp(3, 64, IR_LE, ONES, 3),
			    cmp(4, 32, IR_GT, LO32, 4),
			    cmp(5, 64, IR_GE, ONES, UINT64_C(5) << 32), NULL),
		 IR_RET_NOTIFY);
	check_filter(f, true, 4096, "conditions", NULL);

	ck_assert_int_eq(emit_bpf_ex(f, &p, &len, &st), 0);
	/* 1, 2, 3, 5, 10 + 12 + x32's 10, 20, 21; not 4 */
	ck_assert_uint_eq(st.n_blocks, 7);
	free(p);
	ir_filter_free(f);
}
END_TEST

/* x86_64 and x32 share AUDIT_ARCH_X86_64: every way to select them. */
START_TEST(test_emit_x32)
{
	static const struct {
		size_t n;
		enum leash_arch a[4];
	} sets[] = {
		{ 1, { ARCH_X86_64 } },
		{ 1, { ARCH_X32 } },
		{ 2, { ARCH_X32, ARCH_X86_64 } },
		{ 3, { ARCH_X86_64, ARCH_X86, ARCH_X32 } },
		{ 2, { ARCH_X86, ARCH_AARCH64 } },
		{ 4, { ARCH_X86_64, ARCH_X86_64, ARCH_X32, ARCH_X32 } },
		{ 3, { ARCH_AARCH64, ARCH_X86_64, ARCH_AARCH64 } },
	};
	size_t s, i;

	for (s = 0; s < ARRAY_SIZE(sets); s++) {
		struct ir_filter *f = filter_new(KILL);

		for (i = 0; i < sets[s].n; i++) {
			enum leash_arch ar = sets[s].a[i];
			uint32_t bias = ar == ARCH_X32 ? X32 : 0;
			struct ir_arch *a = arch_add(f, ar, ERRNO(1 + i),
						     ERRNO(38 + i),
						     bias + 300 + 10 * i);

			rule_add(a, bias + 0, NULL, ALLOW);
			rule_add(a, bias + 5 + i, NULL, IR_RET_LOG);
			rule_add(a, bias + 9, cmp(0, 32, IR_EQ, LO32, i),
				 ALLOW);
			rule_add(a, bias + 299, NULL, ALLOW);
		}
		check_filter(f, true, 256, "x32 variants", NULL);
		ir_filter_free(f);
	}
}
END_TEST

START_TEST(test_emit_edges)
{
	struct ir_filter *f = filter_new(ERRNO(99));
	struct ir_arch *a;
	int64_t i;

	/* no arch at all: everything is a bad arch */
	check_filter(f, true, 16, "no arches", NULL);
	/* max_nr at both ends of the number space */
	a = arch_add(f, ARCH_X86_64, ERRNO(1), ERRNO(2), -1);
	rule_add(a, 0, NULL, ALLOW);
	rule_add(a, 0xffffffff, NULL, IR_RET_LOG);
	a = arch_add(f, ARCH_X86, ERRNO(1), ERRNO(2), 0);
	rule_add(a, 0, cmp(0, 32, IR_EQ, LO32, 1), ALLOW);
	rule_add(a, 1, NULL, ALLOW);		/* above max_nr: a private
						 * syscall, live */
	a = arch_add(f, ARCH_AARCH64, ALLOW, ALLOW, 100);	/* one run */
	check_filter(f, true, 256, "edges", NULL);
	ir_filter_free(f);

	/* more runs than the dynamic program takes: split by weight */
	f = filter_new(KILL);
	a = arch_add(f, ARCH_X86_64, ERRNO(1), ERRNO(2), 1000);
	for (i = 0; i < 900; i += 2)
		rule_add(a, i, NULL, i % 6 ? ALLOW : IR_RET_LOG);
	rule_add(a, 901, cmp(0, 32, IR_LT, LO32, 3), ALLOW);
	check_filter(f, true, 256, "many runs", NULL);
	ir_filter_free(f);
}
END_TEST

/*
 * A rule block of over a thousand instructions: jumps out of it, and
 * from the search tree over it to the shared RETs, need trampolines.
 */
START_TEST(test_emit_huge_block)
{
	struct ir_filter *f = filter_new(KILL);
	struct ir_arch *a = arch_add(f, ARCH_X86_64, ERRNO(1), ERRNO(38), 462);
	struct ir_arch *b = arch_add(f, ARCH_X86, ERRNO(1), ERRNO(38), 462);
	struct ir_cond *c = ir_cond_new(IRC_AND), *o = ir_cond_new(IRC_OR);
	struct emit_bpf_stats st;
	struct sock_filter *p;
	size_t len, i;

	for (i = 0; i < 300; i++) {
		ir_cond_add(c, cmp(0, 64, IR_NE, ONES,
				   (UINT64_C(0x100000000) * (i % 3)) + i * 7));
		ir_cond_add(o, cmp(1, 32, IR_EQ, LO32, 1000 + i));
	}
	rule_add(a, 1, c, ERRNO(5));
	rule_add(a, 1, o, ERRNO(6));
	rule_add(a, 2, cmp(2, 32, IR_GT, LO32, 5), ERRNO(7));
	for (i = 3; i < 400; i += 2)
		rule_add(a, (int64_t)i, NULL, ALLOW);
	rule_add(b, 5, NULL, ALLOW);
	check_filter(f, false, 4096, "huge block", NULL);
	ck_assert_int_eq(emit_bpf_ex(f, &p, &len, &st), 0);
	ck_assert_uint_gt(len, 1000);
	ck_assert_uint_gt(st.n_trampolines, 0);
	free(p);

	/* too big for the kernel: -E2BIG, not a broken program */
	for (i = 0; i < 2000; i++)
		ir_cond_add(c, cmp(0, 64, IR_LT, ONES, i + 1));
	ck_assert_int_eq(emit_bpf(f, &p, &len), -E2BIG);
	ir_filter_free(f);
}
END_TEST

/* ---- random IRs ------------------------------------------------------- */

static const uint32_t rnd_actions[] = {
	ALLOW, ERRNO(1), ERRNO(13), KILL, IR_RET_KILL_THREAD, IR_RET_TRAP,
	IR_RET_LOG, IR_RET_TRACE | 5, IR_RET_NOTIFY,
};

static uint32_t rnd_action(void)
{
	/* mostly a few, so runs and blocks repeat */
	if (rnd_below(3) != 0)
		return rnd_below(2) ? ALLOW : ERRNO(1);
	return rnd_actions[rnd_below(ARRAY_SIZE(rnd_actions))];
}

static uint64_t rnd_mask(unsigned width)
{
	static const uint64_t masks[] = {
		ONES, ONES, ONES, 0xff, 0xf0f0, UINT64_C(0xffffffff00000000),
		UINT64_C(0x00ff00ff00ff00ff), 0, 0x7e020000,
	};
	uint64_t m;

	switch (rnd_below(4)) {
	case 0: m = UINT64_C(1) << rnd_below(64); break;
	case 1: m = rnd(); break;
	default: m = masks[rnd_below(ARRAY_SIZE(masks))]; break;
	}
	return width == 32 && rnd_below(32) != 0 ? m & LO32 : m;
}

static uint64_t rnd_value(unsigned width, uint64_t mask)
{
	uint64_t v;

	switch (rnd_below(9)) {
	case 0: v = 0; break;
	case 1: v = ONES; break;
	case 2: v = rnd(); break;
	case 3: v = rnd() & mask; break;
	case 4: v = mask; break;
	case 5: v = rnd_below(16); break;
	case 6: v = (rnd_below(4) << 32) | rnd_below(4); break;
	case 7: v = UINT64_C(1) << rnd_below(64); break;
	default: v = mask - rnd_below(3); break;
	}
	/* the IR promises 32-bit constants for 32-bit args; mostly keep it */
	return width == 32 && rnd_below(32) != 0 ? v & LO32 : v;
}

static struct ir_cond *rnd_cond(int depth)
{
	unsigned k = (unsigned)rnd_below(depth > 0 ? 12 : 7), width;
	struct ir_cond *c;
	uint64_t mask;
	size_t n;

	if (k < 6) {
		width = rnd_below(2) ? 32 : 64;
		mask = rnd_below(3) ? (width == 32 ? LO32 : ONES) :
		       rnd_mask(width);
		return cmp((unsigned)(rnd_below(4) ? rnd_below(3) :
				      rnd_below(6)),
			   width, (enum ir_op)rnd_below(6), mask,
			   rnd_value(width, mask));
	}
	if (k == 6)
		return ir_cond_new(rnd_below(2) ? IRC_TRUE : IRC_FALSE);
	c = ir_cond_new(k < 9 ? IRC_AND : IRC_OR);
	for (n = rnd_below(4); n > 0; n--)
		ir_cond_add(c, rnd_cond(depth - 1));
	return c;
}

static struct ir_filter *rnd_filter(void)
{
	static const enum leash_arch pool[] = {
		ARCH_X86_64, ARCH_X32, ARCH_X86, ARCH_AARCH64,
	};
	struct ir_filter *f = filter_new(rnd_action());
	size_t n_arches = rnd_below(4) + (rnd_below(8) == 0 ? 0 : 1);
	size_t i, j, r;

	for (i = 0; i < n_arches && i < MAX_ARCHES; i++) {
		enum leash_arch ar = pool[rnd_below(ARRAY_SIZE(pool))];
		uint32_t bias = ar == ARCH_X32 ? X32 : 0;
		int64_t max = bias + 5 + rnd_below(50);
		struct ir_arch *a;
		size_t n_sys = rnd_below(9);

		if (rnd_below(16) == 0)
			max = rnd_below(2) ? -1 : (int64_t)bias;
		a = arch_add(f, ar, rnd_action(), rnd_action(), max);
		for (j = 0; j < n_sys; j++) {
			int64_t nr = bias + rnd_below(60);
			size_t n_rules = 1 + rnd_below(3);

			for (r = 0; r < n_rules; r++)
				rule_add(a, nr, rnd_below(4) == 0 ? NULL :
					 rnd_cond(3), rnd_action());
		}
	}
	return f;
}

START_TEST(test_emit_random)
{
	size_t i, n = 5000;

	rng = 0x5eed0000u + (uint64_t)_i;
	for (i = 0; i < n; i++) {
		struct ir_filter *f = rnd_filter();
		char what[64];

		snprintf(what, sizeof(what), "random IR %zu (seed %d)", i, _i);
		check_filter(f, false, 256, what, NULL);
		ir_filter_free(f);
	}
	fprintf(stderr, "random IRs (seed %d): %zu filters, %lu runs "
		"compared\n", _i, n, n_runs);
}
END_TEST

/* ---- Docker's default profile, synthesized ---------------------------- */

static const char *const docker_allow[] = {
	"access", "faccessat", "faccessat2", "chdir", "fchdir", "getcwd",
	"creat", "open", "openat", "openat2", "name_to_handle_at", "close",
	"close_range", "link", "linkat", "symlink", "symlinkat", "unlink",
	"unlinkat", "rename", "renameat", "renameat2", "mkdir", "mkdirat",
	"rmdir", "mknod", "mknodat", "readlink", "readlinkat", "getdents",
	"getdents64", "truncate", "truncate64", "ftruncate", "ftruncate64",
	"umask", "chmod", "fchmod", "fchmodat", "fchmodat2", "chown",
	"chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32",
	"utime", "utimes", "utimensat", "utimensat_time64", "futimesat",
	"stat", "stat64", "lstat", "lstat64", "fstat", "fstat64", "fstatat64",
	"newfstatat", "statx", "statfs", "statfs64", "fstatfs", "fstatfs64",
	"statmount", "listmount", "getxattr", "lgetxattr", "fgetxattr",
	"getxattrat", "setxattr", "lsetxattr", "fsetxattr", "setxattrat",
	"listxattr", "llistxattr", "flistxattr", "listxattrat", "removexattr",
	"lremovexattr", "fremovexattr", "removexattrat", "read", "write",
	"readv", "writev", "pread64", "pwrite64", "preadv", "pwritev",
	"preadv2", "pwritev2", "lseek", "_llseek", "dup", "dup2", "dup3",
	"fcntl", "fcntl64", "flock", "ioctl", "pipe", "pipe2", "splice", "tee",
	"vmsplice", "sendfile", "sendfile64", "copy_file_range", "fallocate",
	"fadvise64", "fadvise64_64", "readahead", "cachestat", "fsync",
	"fdatasync", "sync", "syncfs", "sync_file_range", "io_setup",
	"io_destroy", "io_submit", "io_cancel", "io_getevents",
	"io_pgetevents", "io_pgetevents_time64", "ioprio_get", "ioprio_set",
	"select", "_newselect", "pselect6", "pselect6_time64", "poll", "ppoll",
	"ppoll_time64", "epoll_create", "epoll_create1", "epoll_ctl",
	"epoll_ctl_old", "epoll_wait", "epoll_wait_old", "epoll_pwait",
	"epoll_pwait2", "eventfd", "eventfd2", "inotify_init", "inotify_init1",
	"inotify_add_watch", "inotify_rm_watch", "fanotify_mark", "signalfd",
	"signalfd4", "socketpair", "bind", "connect", "listen", "accept",
	"accept4", "shutdown", "getsockname", "getpeername", "getsockopt",
	"setsockopt", "send", "sendto", "sendmsg", "sendmmsg", "recv",
	"recvfrom", "recvmsg", "recvmmsg", "recvmmsg_time64", "socketcall",
	"ipc", "msgget", "msgctl", "msgsnd", "msgrcv", "semget", "semctl",
	"semop", "semtimedop", "semtimedop_time64", "shmget", "shmctl",
	"shmat", "shmdt", "mq_open", "mq_unlink", "mq_getsetattr", "mq_notify",
	"mq_timedsend", "mq_timedsend_time64", "mq_timedreceive",
	"mq_timedreceive_time64", "brk", "mmap", "mmap2", "munmap", "mremap",
	"mprotect", "madvise", "mincore", "msync", "remap_file_pages", "mlock",
	"mlock2", "mlockall", "munlock", "munlockall", "memfd_create",
	"memfd_secret", "membarrier", "pkey_alloc", "pkey_free",
	"pkey_mprotect", "map_shadow_stack", "mseal", "execve", "execveat",
	"fork", "vfork", "exit", "exit_group", "wait4", "waitid", "waitpid",
	"getpid", "getppid", "gettid", "getpgid", "getpgrp", "setpgid",
	"getsid", "setsid", "pidfd_open", "process_mrelease",
	"set_tid_address", "get_robust_list", "set_robust_list", "rseq",
	"futex", "futex_time64", "futex_waitv", "futex_wake", "futex_wait",
	"futex_requeue", "get_thread_area", "set_thread_area",
	"restart_syscall", "prctl", "sched_yield", "sched_getaffinity",
	"sched_setaffinity", "sched_getattr", "sched_setattr",
	"sched_getparam", "sched_setparam", "sched_getscheduler",
	"sched_setscheduler", "sched_get_priority_max",
	"sched_get_priority_min", "sched_rr_get_interval",
	"sched_rr_get_interval_time64", "getpriority", "setpriority",
	"getrlimit", "setrlimit", "ugetrlimit", "prlimit64", "getrusage",
	"times", "getcpu", "getrandom", "sysinfo", "uname", "uretprobe",
	"kill", "tkill", "tgkill", "pidfd_send_signal", "rt_sigaction",
	"rt_sigprocmask", "rt_sigpending", "rt_sigqueueinfo",
	"rt_tgsigqueueinfo", "rt_sigreturn", "rt_sigsuspend",
	"rt_sigtimedwait", "rt_sigtimedwait_time64", "sigaltstack",
	"sigprocmask", "sigreturn", "pause", "time", "gettimeofday",
	"clock_gettime", "clock_gettime64", "clock_getres",
	"clock_getres_time64", "adjtimex", "clock_adjtime", "clock_adjtime64",
	"nanosleep", "clock_nanosleep", "clock_nanosleep_time64", "alarm",
	"getitimer", "setitimer", "timer_create", "timer_delete",
	"timer_getoverrun", "timer_gettime", "timer_gettime64",
	"timer_settime", "timer_settime64", "timerfd_create",
	"timerfd_gettime", "timerfd_gettime64", "timerfd_settime",
	"timerfd_settime64", "getuid", "getuid32", "geteuid", "geteuid32",
	"getgid", "getgid32", "getegid", "getegid32", "getresuid",
	"getresuid32", "getresgid", "getresgid32", "getgroups", "getgroups32",
	"setuid", "setuid32", "setgid", "setgid32", "setreuid", "setreuid32",
	"setregid", "setregid32", "setresuid", "setresuid32", "setresgid",
	"setresgid32", "setfsuid", "setfsuid32", "setfsgid", "setfsgid32",
	"setgroups", "setgroups32", "capget", "capset", "seccomp",
	"landlock_create_ruleset", "landlock_add_rule",
	"landlock_restrict_self", "ptrace", "process_vm_readv",
	"process_vm_writev",
};

/*
 * profiles/docker-default.leash without extra capabilities, lowered by
 * hand: the allow list, socket, personality and clone argument rules,
 * clone3 ENOSYS, the x86 family's own calls.
 */
static struct ir_filter *docker_filter(bool unknown_enosys)
{
	static const struct {
		enum leash_arch arch;
		uint32_t token;
		int64_t max_nr;
	} arches[] = {
		{ ARCH_X86_64, SCMP_ARCH_X86_64, 462 },
		{ ARCH_X86, SCMP_ARCH_X86, 462 },
		{ ARCH_X32, SCMP_ARCH_X32, X32 + 547 },
	};
	static const uint64_t personas[] = { 0, 8, 0x20000, 0x20008, LO32 };
	struct ir_filter *f = filter_new(KILL);
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(arches); i++) {
		struct ir_arch *a = arch_add(f, arches[i].arch, ERRNO(EPERM),
					     unknown_enosys ? ERRNO(ENOSYS) :
					     ERRNO(EPERM), arches[i].max_nr);
		uint32_t t = arches[i].token;
		struct ir_cond *c;
		int nr;

#define NR(name) seccomp_syscall_resolve_name_arch(t, name)
		for (j = 0; j < ARRAY_SIZE(docker_allow); j++)
			if ((nr = NR(docker_allow[j])) >= 0)
				rule_add(a, nr, NULL, ALLOW);
		rule_add(a, NR("socket"),
			 all(cmp(0, 32, IR_NE, LO32, 38),
			     cmp(0, 32, IR_NE, LO32, 40), NULL), ALLOW);
		c = ir_cond_new(IRC_OR);
		for (j = 0; j < ARRAY_SIZE(personas); j++)
			ir_cond_add(c, cmp(0, 32, IR_EQ, LO32, personas[j]));
		rule_add(a, NR("personality"), c, ALLOW);
		rule_add(a, NR("clone"), cmp(0, 64, IR_EQ, 0x7e020000, 0),
			 ALLOW);
		if ((nr = NR("clone3")) >= 0)
			rule_add(a, nr, NULL, ERRNO(ENOSYS));
		if (arches[i].arch != ARCH_X86)
			rule_add(a, NR("arch_prctl"), NULL, ALLOW);
		rule_add(a, NR("modify_ldt"), NULL, ALLOW);
#undef NR
	}
	return f;
}

/* Instructions run for nr 0..462 on x86_64 with zero arguments. */
static void path_stats(const struct sock_filter *p, size_t len, uint32_t audit,
		       uint32_t bias, double *mean, uint32_t *max)
{
	struct seccomp_data d;
	struct bpf_trace tr;
	uint64_t sum = 0;
	uint32_t nr, ret;

	*max = 0;
	for (nr = 0; nr <= 462; nr++) {
		memset(&d, 0, sizeof(d));
		d.nr = (int)(nr + bias);
		d.arch = audit;
		ck_assert_int_eq(bpf_exec(p, len, &d, &ret, &tr), 0);
		sum += tr.steps;
		if (tr.steps > *max)
			*max = tr.steps;
	}
	*mean = (double)sum / 463;
}

/*
 * The eBPF instructions the kernel's bpf_convert_filter() makes of @p:
 * what it charges for loading the filter goes with these (and with the
 * classic ones).  A 3-instruction prologue; RET K: MOV and EXIT; a
 * negative immediate in a jump: a MOV first; a conditional jump: one
 * instruction when its false branch is the next one (or its true branch,
 * except for JSET), else Jxx and JA.
 */
static size_t ebpf_len(const struct sock_filter *p, size_t len)
{
	size_t n = 3, i;

	for (i = 0; i < len; i++) {
		uint16_t c = p[i].code;

		if (BPF_CLASS(c) == BPF_RET) {
			n += BPF_RVAL(c) == BPF_K ? 2 : 1;
		} else if (BPF_CLASS(c) != BPF_JMP || BPF_OP(c) == BPF_JA) {
			n++;
		} else {
			if (BPF_SRC(c) == BPF_K && (int32_t)p[i].k < 0)
				n++;
			if (p[i].jf == 0 ||
			    (p[i].jt == 0 && BPF_OP(c) != BPF_JSET))
				n += 1;
			else
				n += 2;
		}
	}
	return n;
}

START_TEST(test_emit_docker)
{
	struct ir_filter *f = docker_filter(_i == 1);
	struct emit_bpf_stats st;
	struct sock_filter *p;
	size_t len;
	double mean, mean86, mean32;
	uint32_t max, max86, max32;

	check_filter(f, true, 4096, "docker", NULL);
	ck_assert_int_eq(emit_bpf_ex(f, &p, &len, &st), 0);
	path_stats(p, len, AUDIT_ARCH_X86_64, 0, &mean, &max);
	path_stats(p, len, AUDIT_ARCH_I386, 0, &mean86, &max86);
	path_stats(p, len, AUDIT_ARCH_X86_64, X32, &mean32, &max32);
	fprintf(stderr, "docker%s: %zu insns, %zu in eBPF (%zu runs, %zu "
		"blocks, %zu rets, %zu trampolines); executed over nr "
		"0..462: x86_64 mean %.2f max %u, x86 mean %.2f max %u, x32 "
		"mean %.2f max %u\n", _i ? " (unknown ENOSYS)" : "", len,
		ebpf_len(p, len), st.n_runs, st.n_blocks, st.n_rets,
		st.n_trampolines, mean, max, mean86, max86, mean32, max32);
	if (getenv("TEST_BPF_DUMP"))
		dump("docker", p, len);
	ck_assert_uint_le(len, 250);
	/* 321 and 325 before the tree was priced in eBPF instructions */
	ck_assert_uint_le(ebpf_len(p, len), 300);
	ck_assert_msg(mean <= 10.0, "mean %.2f", mean);
	ck_assert_uint_le(max, 16);
	free(p);
	ir_filter_free(f);
}
END_TEST

/* ---- the kernel ------------------------------------------------------- */

static void set_filter_or_die(const struct sock_filter *p, size_t len)
{
	struct sock_fprog fp = { .len = (unsigned short)len,
				 .filter = (struct sock_filter *)p };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
		_exit(100);
}

/* 0 when the call failed with @err, else a bit */
static int expect_errno(long r, int err, int bit)
{
	return r == -1 && errno == err ? 0 : 1 << bit;
}

/*
 * getppid gets EACCES when its (32-bit) arg0 is 7; the kernel must see
 * 0x100000007 as 7, as leash compares int arguments on 32 bits.
 */
START_TEST(test_kernel_tiny)
{
	struct ir_filter *f = filter_new(KILL);
	struct ir_arch *a = arch_add(f, ARCH_X86_64, ALLOW, ALLOW, 1000);
	struct sock_filter *p;
	size_t len;
	pid_t pid, parent = getpid();
	int status;

	rule_add(a, SYS_getppid, cmp(0, 32, IR_EQ, LO32, 7), ERRNO(EACCES));
	ck_assert_int_eq(emit_bpf(f, &p, &len), 0);
	check_filter(f, false, 256, "kernel tiny", NULL);

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int bad = 0;

		set_filter_or_die(p, len);
		bad |= expect_errno(syscall(SYS_getppid, 0x100000007UL), EACCES,
				    0);
		bad |= expect_errno(syscall(SYS_getppid, 7UL), EACCES, 1);
		if (syscall(SYS_getppid, 8UL) != parent)
			bad |= 4;
		if (syscall(SYS_getppid, 0x100000008UL) != parent)
			bad |= 8;
		if (syscall(SYS_getpid) != getpid() || getpid() <= 0)
			bad |= 16;
		_exit(bad);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "child status 0x%x", status);

	/* no x32 in the policy: an x32 call kills the process */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);
		set_filter_or_die(p, len);
		syscall(X32 | SYS_getpid);
		_exit(1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,
		      "child status 0x%x", status);
	free(p);
	ir_filter_free(f);
}
END_TEST

START_TEST(test_kernel_docker)
{
	struct ir_filter *f = docker_filter(false);
	struct sock_filter *p;
	size_t len;
	pid_t pid;
	int status;

	ck_assert_int_eq(emit_bpf(f, &p, &len), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int bad = 0, fd;

		set_filter_or_die(p, len);
		bad |= expect_errno(syscall(SYS_socket, 40UL, SOCK_STREAM, 0),
				    EPERM, 0);
		bad |= expect_errno(syscall(SYS_socket, 0x100000028UL,
					    SOCK_STREAM, 0), EPERM, 1);
		bad |= expect_errno(syscall(SYS_socket, 38UL, SOCK_SEQPACKET,
					    0), EPERM, 2);
		fd = (int)syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0)
			bad |= 8;
		close(fd);
		bad |= expect_errno(syscall(SYS_acct, 0UL), EPERM, 4);
		bad |= expect_errno(syscall(SYS_personality, 0x0040000UL),
				    EPERM, 5);
		if (syscall(SYS_personality, 0xffffffffUL) < 0)
			bad |= 64;
		bad |= expect_errno(syscall(SYS_clone, (unsigned long)
					    (CLONE_NEWUSER | SIGCHLD), 0UL,
					    0UL, 0UL, 0UL), EPERM, 7);
		bad |= expect_errno(syscall(SYS_clone3, NULL, 0UL), ENOSYS, 8);
		/* numbers above every table: the unknown action */
		bad |= expect_errno(syscall(1000), EPERM, 9);
		_exit(bad & 0xff ? bad & 0xff : bad >> 8 ? 0xfe : 0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "child status 0x%x", status);
	free(p);
	ir_filter_free(f);
}
END_TEST

static Suite *bpf_suite(void)
{
	Suite *s = suite_create("bpf");
	TCase *tc = tcase_create("core");
	TCase *slow = tcase_create("differential");

	tcase_add_test(tc, test_interp_ops);
	tcase_add_test(tc, test_interp_rejects);
	tcase_add_test(tc, test_builder_layout);
	tcase_add_test(tc, test_builder_errors);
	tcase_add_test(tc, test_listing_and_files);
	tcase_add_test(tc, test_kernel_tiny);
	tcase_add_test(tc, test_kernel_docker);
	suite_add_tcase(s, tc);

	tcase_set_timeout(slow, 600);
	tcase_add_test(slow, test_emit_actions);
	tcase_add_test(slow, test_emit_operators);
	tcase_add_test(slow, test_emit_conditions);
	tcase_add_test(slow, test_emit_x32);
	tcase_add_test(slow, test_emit_edges);
	tcase_add_test(slow, test_emit_huge_block);
	tcase_add_loop_test(slow, test_emit_docker, 0, 2);
	tcase_add_loop_test(slow, test_emit_random, 0, 2);
	suite_add_tcase(s, slow);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(bpf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
