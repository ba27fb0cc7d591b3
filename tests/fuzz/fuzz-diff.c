/* SPDX-License-Identifier: MIT */
/*
 * fuzz-diff.c - differential fuzz target for the seccomp backends.
 *
 * The input bytes drive a generator that writes a small random policy in
 * leash's language: some of x86_64, x86, x32 and aarch64; random default
 * and unknown actions; rules on syscalls from a small set (socket and
 * semget multiplexed on x86, open missing on aarch64) with random
 * actions and random conditions -- ==, !=, <, <=, >, >=, 'in', masks,
 * 32- and 64-bit argument widths, &&, || and !, 'when arch' blocks.  The
 * front end checks it (most inputs are valid policies; the rest stop
 * there), lower_seccomp() makes the IR, and then three answers must agree
 * on every call tried:
 *
 *   ir_eval()            the reference semantics
 *   emit_bpf()           the native backend, run by bpf_exec()
 *   emit_scmp()          the libseccomp backend (optimize level 0 or 2,
 *                        from the input), when it accepts the IR and
 *                        needs at most SCMP_MAX_BOXES rules per arch
 *
 * Calls tried: on x86_64, x86 (i386), aarch64 and arm (a foreign arch),
 * every number 0..max+2 of the arch (x32's biased ones under x86_64's
 * audit arch; arm's sampled) with one argument vector each, in turn, and
 * a few odd numbers; the numbers of the generated syscalls on every
 * arch, their neighbours and socketcall()/ipc() with all the vectors
 * (a quarter of them for another arch's numbers).  Vectors come from the
 * policy's constants (each, +-1, with and without upper-half bits, the
 * complement) and a PRNG seeded by the input.  Any difference, a filter
 * bpf_check() refuses, or the native backend failing on a valid IR
 * prints the policy, the call and the three answers, then abort()s.
 *
 * FUZZ_DIFF_PRINT=1 in the environment prints every generated policy and
 * the front end's diagnostics on stderr.
 *
 * One file, two builds, as fuzz-parser.c:
 *
 *   clang -fsanitize=fuzzer,... -DLEASH_LIBFUZZER   (tests/fuzz/run-fuzz.sh)
 *   $(CC) (make check): with file arguments, replays them (libFuzzer's
 *       crash-* artifacts); without, runs a fixed set of pseudo-random
 *       inputs.  Prints TAP.
 */
#include "pipeline/driver.h"
#include "seccomp/lower.h"
#include "seccomp/bpf.h"
#include "seccomp/emit-bpf.h"
#include "seccomp/emit-scmp.h"
#include "front/flat.h"

#include <errno.h>
#include <linux/audit.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/*
 * libseccomp 2.5.4 itself leaks nodes of its rule tree when a rule makes
 * earlier, narrower ones redundant and they compare a 64-bit argument
 * with different upper halves.  With the native arch x86_64, one syscall:
 *     seccomp_rule_add_exact(ctx, ALLOW, nr, 2, A0(EQ, 1), A3(EQ, 0x100000001))
 *     seccomp_rule_add_exact(ctx, ALLOW, nr, 2, A0(EQ, 1), A3(EQ, 1))
 *     seccomp_rule_add_exact(ctx, ALLOW, nr, 1, A0(EQ, 1))
 *     seccomp_release(ctx)   -> 8 blocks (768 bytes) leaked
 * emit_scmp() makes such rules from ordinary policies, so leaks whose
 * allocation is inside libseccomp are not reported here; leash's own
 * are.  (LeakSanitizer calls this hook when it is linked in: it must be
 * visible despite -fvisibility=hidden.)
 */
__attribute__((visibility("default"), used))
const char *__lsan_default_suppressions(void)
{
	return "leak:libseccomp.so\n";
}

#define X32_BIT 0x40000000u
#define N_VEC 12
#define MAX_POOL 64
/*
 * libseccomp's rule database is slow with many rules on 64-bit
 * arguments: the 2082 rules of a 2-rule lseek policy on x86_64 take
 * libseccomp 2.5.4 a minute (and then exceed 4096 instructions).  Past
 * this many disjoint boxes on one arch, the libseccomp backend is left
 * out, like a refusal, so that the fuzzer does not stall on it.
 * (Fewer can be slow too: 32 one-comparison MASKED_EQ rules on a 64-bit
 * argument, then one rule comparing three arguments, take libseccomp
 * 2.5.4 about 8 s to add, 64 of them 12 s -- and no time at all with
 * the three-argument rule added first.)
 */
#define SCMP_MAX_BOXES 256

/* ---- the input as a stream of choices ---------------------------------------- */

struct src {
	const uint8_t *d;
	size_t n, i;
};

/* A number in 0..max-1 (0 once the input is used up). */
static unsigned pick(struct src *s, unsigned max)
{
	unsigned v;

	if (max <= 1 || s->i >= s->n)
		return 0;
	v = s->d[s->i++];
	if (max > 256 && s->i < s->n)
		v = v << 8 | s->d[s->i++];
	return v % max;
}

static uint64_t take_u64(struct src *s, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes-- && s->i < s->n)
		v = v << 8 | s->d[s->i++];
	return v;
}

/* ---- the generator --------------------------------------------------------------- */

static const char *const syscalls[] = {
	"read", "write", "close", "openat", "socket", "lseek", "mmap",
	"clone", "personality", "kill", "ioctl", "getpid", "fchmod",
	"dup3", "semget", "open", "prctl", "futex",
};

static const char *const arch_names[] = { "x86_64", "x86", "x32", "aarch64" };

static const uint64_t interesting[] = {
	0, 1, 2, 3, 5, 7, 0x10, 0x20, 0xff, 0x100, 0x7fffffff, 0x80000000,
	0xfffffffe, 0xffffffff, 0x100000000ull, 0x100000005ull,
	0xffffffff00000000ull, 0x8000000000000000ull, 0xffffffffffffffffull,
	0x00ff00ff00ff00ffull,
};

struct gen {
	struct src *s;
	struct strbuf sb;
	uint64_t pool[MAX_POOL];
	size_t n_pool;
	unsigned depth;
};

static void pool_add(struct gen *g, uint64_t v)
{
	if (g->n_pool < MAX_POOL)
		g->pool[g->n_pool++] = v;
}

static void gen_action(struct gen *g)
{
	switch (pick(g->s, 10)) {
	case 0: sb_puts(&g->sb, "allow"); break;
	case 1: sb_puts(&g->sb, "deny"); break;
	case 2: sb_printf(&g->sb, "errno(%u)", pick(g->s, 4096)); break;
	case 3: sb_puts(&g->sb, "log"); break;
	case 4: sb_puts(&g->sb, "trap"); break;
	case 5: sb_puts(&g->sb, "kill"); break;
	case 6: sb_puts(&g->sb, "kill_thread"); break;
	case 7: sb_printf(&g->sb, "trace(%u)", pick(g->s, 65536)); break;
	case 8: sb_puts(&g->sb, "notify"); break;
	default: sb_puts(&g->sb, "allow"); break;
	}
}

/* A constant, mostly small so that it fits 32-bit arguments. */
static uint64_t gen_const(struct gen *g)
{
	uint64_t v;

	switch (pick(g->s, 8)) {
	case 0: case 1: case 2:
		v = pick(g->s, 24);
		break;
	case 3:
		v = take_u64(g->s, 4);
		break;
	case 4:
		v = take_u64(g->s, 8);
		break;
	default:
		v = interesting[pick(g->s, ARRAY_SIZE(interesting))];
		break;
	}
	pool_add(g, v);
	return v;
}

static void put_const(struct gen *g, uint64_t v)
{
	/* Sometimes negative: a 32-bit argument takes its two's complement. */
	if (v >= 0xffffffffffffff00ull && pick(g->s, 2))
		sb_printf(&g->sb, "-%llu", (unsigned long long)(0 - v));
	else
		sb_printf(&g->sb, "0x%llx", (unsigned long long)v);
}

static void gen_cond(struct gen *g, const char *const names[6],
		     unsigned n_args)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };
	unsigned k = g->depth >= 3 ? 0 : pick(g->s, 6);

	if (k >= 3) {
		g->depth++;
		if (k == 5) {
			sb_puts(&g->sb, "!(");
			gen_cond(g, names, n_args);
			sb_puts(&g->sb, ")");
		} else {
			sb_puts(&g->sb, "(");
			gen_cond(g, names, n_args);
			sb_puts(&g->sb, k == 3 ? " && " : " || ");
			gen_cond(g, names, n_args);
			sb_puts(&g->sb, ")");
		}
		g->depth--;
		return;
	}
	{
		const char *a = names[pick(g->s, n_args)];
		unsigned form = pick(g->s, 4);

		if (form == 1) {
			sb_printf(&g->sb, "(%s & ", a);
			put_const(g, gen_const(g));
			sb_puts(&g->sb, ") ");
		} else {
			sb_printf(&g->sb, "%s ", a);
		}
		if (form == 2) {
			unsigned i, n = 1 + pick(g->s, 4);

			sb_puts(&g->sb, "in {");
			for (i = 0; i < n; i++) {
				sb_puts(&g->sb, i ? ", " : " ");
				put_const(g, gen_const(g));
			}
			sb_puts(&g->sb, " }");
			return;
		}
		sb_printf(&g->sb, "%s ", ops[pick(g->s, ARRAY_SIZE(ops))]);
		put_const(g, gen_const(g));
	}
}

static void gen_rule(struct gen *g)
{
	static const char *const argn[6] = {
		"arg0", "arg1", "arg2", "arg3", "arg4", "arg5",
	};
	static const char *const xn[6] = { "x0", "x1", "x2", "x3", "x4", "x5" };
	unsigned form = pick(g->s, 4), i, n;

	gen_action(g);
	sb_putc(&g->sb, ' ');
	if (form == 0 || form == 1) {
		/* A list of syscalls, maybe with a condition on argN. */
		n = 1 + pick(g->s, 3);
		for (i = 0; i < n; i++)
			sb_printf(&g->sb, "%s%s", i ? ", " : "",
				  syscalls[pick(g->s, ARRAY_SIZE(syscalls))]);
		if (form == 1) {
			sb_puts(&g->sb, " if ");
			gen_cond(g, argn, 1 + pick(g->s, 6));
		}
	} else {
		/* One syscall with named arguments and explicit widths. */
		static const char *const widths[] = { "", ":32", ":64" };

		n = 1 + pick(g->s, 6);
		sb_printf(&g->sb, "%s(", syscalls[pick(g->s, ARRAY_SIZE(syscalls))]);
		for (i = 0; i < n; i++)
			sb_printf(&g->sb, "%sx%u%s", i ? ", " : "", i,
				  widths[pick(g->s, 3)]);
		sb_puts(&g->sb, ") if ");
		gen_cond(g, xn, n);
	}
	sb_puts(&g->sb, ";\n");
}

static void gen_policy(struct gen *g)
{
	unsigned mask, i, n_rules;

	sb_puts(&g->sb, "leash 1;\npolicy p {\n    seccomp {\n        default ");
	gen_action(g);
	sb_puts(&g->sb, ";\n");
	if (pick(g->s, 2)) {
		sb_puts(&g->sb, "        unknown ");
		gen_action(g);
		sb_puts(&g->sb, ";\n");
	}
	mask = 1 + pick(g->s, 15);
	sb_puts(&g->sb, "        arch");
	for (i = 0; i < 4; i++)
		if (mask >> i & 1)
			sb_printf(&g->sb, "%s %s", mask & ((1u << i) - 1) ? "," : "",
				  arch_names[i]);
	sb_puts(&g->sb, ";\n");
	n_rules = 1 + pick(g->s, 8);
	for (i = 0; i < n_rules; i++) {
		if (pick(g->s, 6) == 0) {
			unsigned a = pick(g->s, 4), b = pick(g->s, 4);

			sb_printf(&g->sb, "        when arch %s%s%s { ",
				  arch_names[a], a != b ? " || arch " : "",
				  a != b ? arch_names[b] : "");
			gen_rule(g);
			sb_puts(&g->sb, "        }\n");
			continue;
		}
		sb_puts(&g->sb, "        ");
		gen_rule(g);
	}
	sb_puts(&g->sb, "    }\n}\n");
}

/* ---- running the three --------------------------------------------------------- */

struct prog {
	struct sock_filter *insns;
	size_t len;
};

struct trial {
	const char *text;
	const struct ir_filter *ir;
	struct prog native, scmp;	/* scmp.insns NULL: refused */
	int scmp_opt;
	uint64_t vec[N_VEC][6];
};

static void report(const struct trial *t, uint32_t audit, uint32_t nr,
		   const uint64_t a[6], uint32_t want, uint32_t nat,
		   int nat_rc, uint32_t sc, int sc_rc, const char *what)
{
	char b1[64], b2[64], b3[64];

	fprintf(stderr,
		"fuzz-diff: %s\n--- policy ---\n%s--- call ---\n"
		"arch 0x%08x nr %u (0x%x) args 0x%llx 0x%llx 0x%llx 0x%llx "
		"0x%llx 0x%llx\n"
		"ir_eval: %s\nnative:  %s%s\nlibseccomp (optimize %d): %s%s\n",
		what, t->text, audit, nr, nr, (unsigned long long)a[0],
		(unsigned long long)a[1], (unsigned long long)a[2],
		(unsigned long long)a[3], (unsigned long long)a[4],
		(unsigned long long)a[5], bpf_ret_str(want, b1, sizeof(b1)),
		bpf_ret_str(nat, b2, sizeof(b2)),
		nat_rc ? " (the program failed)" : "", t->scmp_opt,
		t->scmp.insns ? bpf_ret_str(sc, b3, sizeof(b3)) : "(refused)",
		sc_rc ? " (the program failed)" : "");
	abort();
}

static void try_call(const struct trial *t, uint32_t audit, uint32_t nr,
		     const uint64_t a[6])
{
	struct seccomp_data d;
	uint32_t want, nat = 0, sc = 0;
	int nat_rc, sc_rc = 0;

	memset(&d, 0, sizeof(d));
	d.nr = (int)nr;
	d.arch = audit;
	memcpy(d.args, a, sizeof(d.args));
	want = ir_eval(t->ir, audit, (int64_t)nr, a);
	nat_rc = bpf_exec(t->native.insns, t->native.len, &d, &nat, NULL);
	if (t->scmp.insns)
		sc_rc = bpf_exec(t->scmp.insns, t->scmp.len, &d, &sc, NULL);
	if (nat_rc || nat != want || sc_rc || (t->scmp.insns && sc != want))
		report(t, audit, nr, a, want, nat, nat_rc, sc, sc_rc,
		       "the backends disagree");
}

static uint64_t prng(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A value near the policy's constants, or anything. */
static uint64_t vec_value(const struct gen *g, uint64_t *st)
{
	uint64_t r = prng(st), v;

	if (!g->n_pool || r % 8 == 0)
		return r % 3 == 0 ? prng(st) : r % 3 == 1 ? prng(st) & 0xffffffff :
							    (r >> 8) % 24;
	v = g->pool[(r >> 3) % g->n_pool];
	switch ((r >> 16) % 8) {
	case 0: return v - 1;
	case 1: return v + 1;
	case 2: return v | 0xdead000000000000ull;	/* upper half set */
	case 3: return v & 0xffffffff;
	case 4: return ~v;
	case 5: return v ^ (1ull << ((r >> 24) % 64));
	default: return v;
	}
}

static void make_vectors(struct trial *t, const struct gen *g, uint64_t seed)
{
	uint64_t st = seed;
	int i, k;

	memset(t->vec, 0, sizeof(t->vec));	/* vector 0: all zero */
	for (i = 1; i < N_VEC; i++)
		for (k = 0; k < 6; k++)
			t->vec[i][k] = vec_value(g, &st);
	/* socketcall()/ipc() call numbers in arg0 of a few vectors */
	t->vec[N_VEC - 1][0] = prng(&st) % 24;
	t->vec[N_VEC - 2][0] = 1 + prng(&st) % 3;
}

static const struct {
	enum leash_arch arch;
	uint32_t audit;
} tried[] = {
	{ ARCH_X86_64, AUDIT_ARCH_X86_64 },
	{ ARCH_X32, AUDIT_ARCH_X86_64 },
	{ ARCH_X86, AUDIT_ARCH_I386 },
	{ ARCH_AARCH64, AUDIT_ARCH_AARCH64 },
	{ ARCH_ARM, AUDIT_ARCH_ARM },
};

static void run_all(const struct trial *t)
{
	static const uint32_t odd[] = {
		0x3fffffff, 0x40000000, 0x7fffffff, 0x80000000, 0xbfffffff,
		0xc0000000, 0xfffffffe, 0xffffffff,
	};
	static const char *const mux[] = { "socketcall", "ipc" };
	size_t i, k, v;

	for (i = 0; i < ARRAY_SIZE(tried); i++) {
		uint32_t audit = tried[i].audit;
		uint32_t bias = tried[i].arch == ARCH_X32 ? X32_BIT : 0;
		uint32_t max = (uint32_t)syscall_max_nr(tried[i].arch);
		uint32_t nr;

		/* Every number (a foreign arch: a sample), one vector each,
		 * in turn. */
		for (nr = bias; nr <= max + 2;
		     nr += tried[i].arch == ARCH_ARM ? 37 : 1)
			try_call(t, audit, nr, t->vec[(nr + i) % N_VEC]);
		for (k = 0; k < ARRAY_SIZE(odd); k++)
			for (v = 0; v < N_VEC; v += 5)
				try_call(t, audit, odd[k], t->vec[v]);
		/* The numbers the policy may name, on any arch: all vectors. */
		for (k = 0; k < ARRAY_SIZE(syscalls) + ARRAY_SIZE(mux); k++) {
			const char *name = k < ARRAY_SIZE(syscalls) ?
				syscalls[k] : mux[k - ARRAY_SIZE(syscalls)];
			size_t j;

			for (j = 0; j < ARRAY_SIZE(tried); j++) {
				int64_t n = syscall_nr(tried[j].arch, name, NULL);
				int d;

				if (n < 0)
					continue;
				/* Another arch's numbers: fewer vectors. */
				for (d = -1; d <= 1; d++)
					for (v = 0; v < N_VEC;
					     v += tried[j].audit == audit ? 1 : 4)
						try_call(t, audit,
							 (uint32_t)(n + d), t->vec[v]);
			}
		}
	}
}

static unsigned n_valid, n_scmp;

/* Whether an arch of @ir needs more than SCMP_MAX_BOXES boxes. */
static bool too_big_for_scmp(const struct ir_filter *ir)
{
	size_t i, k, total;

	for (i = 0; i < ir->n_arches; i++) {
		const struct ir_arch *a = &ir->arches[i];

		for (k = 0, total = 0; k < a->n_sys; k++) {
			struct dj_boxes b = { 0 };
			int rc = dj_build(&a->sys[k], a->default_action,
						SCMP_MAX_BOXES + 1, &b);

			total += rc < 0 ? SCMP_MAX_BOXES + 1 : b.n;
			VEC_FREE(&b);
			if (total > SCMP_MAX_BOXES)
				return true;
		}
	}
	return false;
}

static void fuzz_one(const uint8_t *data, size_t size)
{
	struct src s = { data, size, 0 };
	struct gen g;
	struct leash_ctx ctx;
	struct ast_policy *pol;
	struct flat_policy fp;
	struct ir_filter *ir = NULL;
	struct diag quiet;	/* the libseccomp backend may refuse */
	struct trial t;
	uint64_t seed = 0x1ea5;
	size_t i;
	int rc;

	if (size < 2)
		return;
	memset(&g, 0, sizeof(g));
	memset(&t, 0, sizeof(t));
	g.s = &s;
	t.scmp_opt = (data[0] & 1) ? 2 : 0;
	s.i = 1;
	gen_policy(&g);
	t.text = g.sb.s;
	for (i = 0; i < size; i++)
		seed = (seed ^ data[i]) * 0x100000001b3ull;
	make_vectors(&t, &g, seed);

	if (getenv("FUZZ_DIFF_PRINT"))	/* show the policies (debugging) */
		fputs(g.sb.s, stderr);
	diag_init(&quiet, NULL);
	leash_ctx_init(&ctx, getenv("FUZZ_DIFF_PRINT") ? stderr : NULL);
	res_load_buffer(&ctx, "<fuzz>", g.sb.s, g.sb.len);
	if (!diag_failed(&ctx.diag))
		res_names(&ctx);
	if (!diag_failed(&ctx.diag))
		chk_all(&ctx);
	if (diag_failed(&ctx.diag))
		goto out;
	pol = res_find_policy(&ctx, "p");
	if (!pol)
		goto out;
	rc = flat_build(&ctx, pol, &fp);
	if (rc == 0)
		rc = lower_seccomp(&ctx, &fp, &ir);
	flat_free(&fp);	/* as build_seccomp() does */
	if (rc < 0 || diag_failed(&ctx.diag))
		goto out;	/* e.g. a constant too wide for an arch */
	t.ir = ir;
	n_valid++;

	rc = emit_bpf(ir, &t.native.insns, &t.native.len);
	if (rc < 0 && rc != -E2BIG) {
		fprintf(stderr, "fuzz-diff: emit_bpf() failed on a valid IR: "
			"%s\n--- policy ---\n%s", strerror(-rc), g.sb.s);
		abort();
	}
	if (rc < 0)
		goto out;
	if (bpf_check(t.native.insns, t.native.len) < 0) {
		fprintf(stderr, "fuzz-diff: the kernel would refuse the native "
			"filter\n--- policy ---\n%s", g.sb.s);
		abort();
	}
	if (!too_big_for_scmp(ir) && emit_scmp(ir, t.scmp_opt, &t.scmp.insns,
					       &t.scmp.len, &quiet) == 0) {
		if (bpf_check(t.scmp.insns, t.scmp.len) < 0) {
			fprintf(stderr, "fuzz-diff: the kernel would refuse the "
				"libseccomp filter\n--- policy ---\n%s", g.sb.s);
			abort();
		}
		n_scmp++;
	} else {
		free(t.scmp.insns);
		t.scmp.insns = NULL;	/* refused: fine, compare two */
	}
	run_all(&t);
out:
	free(t.native.insns);
	free(t.scmp.insns);
	diag_fini(&quiet);
	ir_filter_free(ir);
	leash_ctx_fini(&ctx);
	sb_free(&g.sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_one(data, size);
	return 0;
}

#ifndef LEASH_LIBFUZZER
/* ---- replay mode: a plain program for make check ------------------------------ */

/* Pseudo-random inputs when no file is named: the same every run. */
#define N_RANDOM 300

int main(int argc, char **argv)
{
	unsigned n_run = 0, n_failed = 0;
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++) {
			char *buf;
			size_t len;
			int rc = read_file(argv[i], &buf, &len, 1u << 20);

			n_run++;
			fflush(stdout);
			if (rc < 0) {
				n_failed++;
				printf("not ok %u - %s: %s\n", n_run, argv[i],
				       strerror(-rc));
				continue;
			}
			LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
			free(buf);
			printf("ok %u - %s\n", n_run, argv[i]);
		}
	} else {
		uint64_t st = 0x5eed;
		uint8_t buf[512];
		unsigned k;
		size_t j, len;

		for (k = 0; k < N_RANDOM; k++) {
			len = 16 + prng(&st) % (sizeof(buf) - 16);
			for (j = 0; j < len; j++)
				buf[j] = (uint8_t)prng(&st);
			LLVMFuzzerTestOneInput(buf, len);
		}
		n_run++;
		printf("ok %u - %u pseudo-random policies: %u valid, %u also "
		       "through libseccomp; the backends agree\n", n_run,
		       N_RANDOM, n_valid, n_scmp);
	}
	printf("1..%u\n", n_run);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
#endif /* !LEASH_LIBFUZZER */
