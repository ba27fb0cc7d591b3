/* SPDX-License-Identifier: MIT */
/*
 * test-equiv.c - whole-filter equivalence, syscall by syscall.
 *
 * docker-default: profiles/docker-default.leash against Docker's own
 * tests/data/docker-default.json as dockerd and runc build it for an
 * amd64 host (scmp-json.c: archMap, includes/excludes with Docker's
 * default capabilities, libseccomp, runc's -ENOSYS stub).  On every
 * number of x86_64, x86 and x32 and on argument vectors around every
 * constant of both profiles, both filters must agree, except where the
 * difference is listed below with its reason and runc's answer there is
 * asserted.  Then the one place where leash is meant to differ: a
 * 32-bit argument with its upper half set.
 *
 * round trip: every policy of tests/valid, tests/vectors and profiles,
 * through every target -- native BPF, the libseccomp backend, the JSON
 * profile as runc loads it, and ir_eval() -- on every number of every
 * arch it selects and on argument vectors built from the constants of
 * its IR, with and without upper halves.  The JSON answer is compared
 * with a model of what runc does (its stub, libseccomp's tables, its
 * bad-arch action, the multiplexer rules emit_json() notes), not
 * skipped.  Policies a target refuses are listed with the reason.
 *
 * Every filter is checked once with bpf_check() and then run with
 * bpf_exec(), so the hundreds of thousands of runs stay fast under ASan.
 */
#include "pipeline/driver.h"
#include "seccomp/bpf.h"
#include "seccomp/emit-json.h"
#include "seccomp/emit-scmp.h"
#include "seccomp/scmp-json.h"
#include "seccomp-common.h"
#include "tests/common/first-error.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <linux/audit.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define X32_BIT 0x40000000u
#define RET_ENOSYS (IR_RET_ERRNO | ENOSYS)
#define RET_EPERM (IR_RET_ERRNO | EPERM)
#define LOW32 0xffffffffull

/* Most cross products of argument values a syscall gets. */
#define MAX_COMBOS 2048
/* Most differences listed in a failure message (libcheck caps its
 * messages at a few KiB; stderr gets them all). */
#define MAX_REPORT 12

/* ---- small helpers ---------------------------------------------------------- */

struct prog {
	struct sock_filter *insns;
	size_t len;
};

static uint32_t run(const struct prog *p, uint32_t audit, uint32_t nr,
		    const uint64_t args[6])
{
	struct seccomp_data d = { 0 };
	uint32_t ret = 0;

	d.nr = (int)nr;
	d.arch = audit;
	memcpy(d.args, args, sizeof(d.args));
	ck_assert_int_eq(bpf_exec(p->insns, p->len, &d, &ret, NULL), 0);
	return ret;
}

/* Own @insns/@len as a checked program. */
static void prog_set(struct prog *p, struct sock_filter *insns, size_t len,
		     const char *what)
{
	p->insns = insns;
	p->len = len;
	ck_assert_msg(bpf_check(insns, len) == 0,
		      "%s: the kernel would refuse this filter", what);
}

static const char *act(uint32_t a, char *buf, size_t n)
{
	return bpf_ret_str(a, buf, n);
}

/* A set of 64-bit values, kept sorted and unique on demand. */
VEC(u64_vec, uint64_t);

static void uniq(struct u64_vec *v)
{
	v->n = u64_sort_uniq(v->v, v->n);
}

/* Argument values for six positions; vectors are built from them. */
struct argvals {
	struct u64_vec pos[6];
};

static void argvals_free(struct argvals *av)
{
	int i;

	for (i = 0; i < 6; i++)
		VEC_FREE(&av->pos[i]);
}

/*
 * The boundary values of one comparison: the constant and its
 * neighbours, every bit of a mask on its own and the bits outside it,
 * and -- unless @zero_hi -- the same with upper halves set, which a
 * 32-bit comparison must ignore and a 64-bit one must not.
 */
static void add_boundary(struct u64_vec *out, uint64_t value, uint64_t mask,
			 bool zero_hi)
{
	uint64_t base[8];
	size_t n = 0, i;
	int b;

	base[n++] = value;
	base[n++] = value - 1;
	base[n++] = value + 1;
	base[n++] = mask;
	base[n++] = value | ~mask;
	base[n++] = value & mask;
	base[n++] = ~value;
	for (b = 0; b < 64; b++)
		if (mask != ~0ull && mask != LOW32 && (mask >> b & 1))
			VEC_PUSH(out, (value ^ (1ull << b)) &
				 (zero_hi ? LOW32 : ~0ull));
	for (i = 0; i < n; i++) {
		if (zero_hi) {
			VEC_PUSH(out, base[i] & LOW32);
			continue;
		}
		VEC_PUSH(out, base[i]);
		VEC_PUSH(out, base[i] & LOW32);
		VEC_PUSH(out, (base[i] & LOW32) | 1ull << 32);
		VEC_PUSH(out, (base[i] & LOW32) | 0xdead000000000000ull);
		VEC_PUSH(out, base[i] ^ 1ull << 63);
	}
}

/* Values every argument gets, whatever the rules say. */
static void add_generic(struct u64_vec *out, bool zero_hi)
{
	static const uint64_t g[] = {
		0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ull, 0xffffffffffffffffull, 0x8000000000000000ull,
		0x100000028ull, 0x100000026ull,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(g); i++)
		VEC_PUSH(out, zero_hi ? g[i] & LOW32 : g[i]);
}

static void walk_cond(const struct ir_cond *c, struct argvals *av,
		      bool zero_hi)
{
	size_t i;

	if (!c)
		return;
	if (c->kind == IRC_CMP) {
		const struct ir_cmp *m = &c->cmp;
		uint64_t full = m->width == 32 ? LOW32 : ~0ull;

		add_boundary(&av->pos[m->arg], m->value,
			     m->mask == full ? ~0ull : m->mask, zero_hi);
		return;
	}
	for (i = 0; i < c->n_kids; i++)
		walk_cond(c->kids[i], av, zero_hi);
}

static void walk_syscall(const struct ir_syscall *s, struct argvals *av,
			 bool zero_hi)
{
	size_t r;

	for (r = 0; r < s->n_rules; r++)
		walk_cond(s->rules[r].cond, av, zero_hi);
}

/* A tiny deterministic generator: the sample must not change between
 * runs, or a failure could not be reproduced. */
static uint64_t lcg(uint64_t *state)
{
	*state = *state * 6364136223846793005ull + 1442695040888963407ull;
	return *state >> 17;
}

struct argvec {
	uint64_t a[6];
};
VEC(argv_vec, struct argvec);

/* Whole vectors for a syscall whose rules do not look at arguments. */
static void plain_vectors(struct argv_vec *out)
{
	static const uint64_t fill[] = {
		0, ~0ull, LOW32, 1ull << 32, 1ull << 63, 0x7fffffff,
	};
	size_t i;
	int p;

	for (i = 0; i < ARRAY_SIZE(fill); i++) {
		struct argvec v;

		for (p = 0; p < 6; p++)
			v.a[p] = fill[i];
		VEC_PUSH(out, v);
	}
}

/*
 * Append the vectors of @av to @out: each value alone in its position
 * and, with @combos, the cross product of the positions that have
 * values (sampled down to MAX_COMBOS), so that conditions on several
 * arguments meet every combination of their boundaries.
 */
static void add_vectors(struct argvals *av, struct argv_vec *out,
			bool combos)
{
	struct argvec z = { { 0 } };
	size_t total = 1, i, k;
	int p, used = 0;
	uint64_t seed = 0x1ea5;

	for (p = 0; p < 6; p++) {
		uniq(&av->pos[p]);
		for (i = 0; i < av->pos[p].n; i++) {
			struct argvec v = z;

			v.a[p] = av->pos[p].v[i];
			VEC_PUSH(out, v);
		}
		if (av->pos[p].n > 1) {
			used++;
			total = total > MAX_COMBOS * 64 ? total :
				total * av->pos[p].n;
		}
	}
	if (!combos || used < 2)
		return;
	for (k = 0; k < (total < MAX_COMBOS ? total : MAX_COMBOS); k++) {
		struct argvec v = z;
		size_t idx = k;

		for (p = 0; p < 6; p++) {
			size_t n = av->pos[p].n;

			if (!n)
				continue;
			/* Every combination when they fit, else a sample. */
			v.a[p] = av->pos[p].v[total <= MAX_COMBOS ? idx % n :
					      lcg(&seed) % n];
			idx /= n;
		}
		VEC_PUSH(out, v);
	}
}

/* ---- loading policies and profiles -------------------------------------------- */

static struct ast_policy *policy_in(struct leash_ctx *ctx, const char *path,
				    const char *name, char **diag_out)
{
	struct front_opts o = { 0 };
	size_t len = 0;
	FILE *df = open_memstream(diag_out, &len);

	ck_assert_ptr_nonnull(df);
	leash_ctx_init(ctx, df);
	ctx->profile_dir = LEASH_SRC_PROFILE_DIR;
	VEC_PUSH(&o.include_dirs, (char *)LEASH_SRC_PROFILE_DIR);
	front_run(ctx, &o, path);
	VEC_FREE(&o.include_dirs);
	fflush(df);
	ck_assert_msg(!diag_failed(&ctx->diag), "%s:\n%s", path, *diag_out);
	return name ? res_find_policy(ctx, name) : NULL;
}

/* @diag_out is the memstream's buffer pointer: fclose() updates it. */
static void ctx_done(struct leash_ctx *ctx, char **diag_out)
{
	FILE *df = ctx->diag.out;

	leash_ctx_fini(ctx);
	if (df)
		fclose(df);
	free(*diag_out);
	*diag_out = NULL;
}

/* ======================================================================
 * docker-default
 * ====================================================================== */

/* What dockerd keeps of an entry on an amd64 host with Docker's default
 * capabilities and a kernel newer than every minKernel: a model of its
 * includes/excludes, checked against scmp-json.c's through the filters. */
static bool kept_amd64(const struct sj_syscall *s, const char *const *caps,
		       size_t n_caps)
{
	size_t i, k;
	bool has;

	for (i = 0; i < s->excludes.arches.n; i++)
		if (!strcmp(s->excludes.arches.v[i], "amd64"))
			return false;
	for (i = 0; i < s->excludes.caps.n; i++)
		for (k = 0; k < n_caps; k++)
			if (!strcmp(s->excludes.caps.v[i], caps[k]))
				return false;
	if (s->includes.arches.n) {
		for (i = 0, has = false; i < s->includes.arches.n; i++)
			has |= !strcmp(s->includes.arches.v[i], "amd64");
		if (!has)
			return false;
	}
	for (i = 0; i < s->includes.caps.n; i++) {
		for (k = 0, has = false; k < n_caps; k++)
			has |= !strcmp(s->includes.caps.v[i], caps[k]);
		if (!has)
			return false;
	}
	return true;
}

/*
 * runc's stub threshold on @token: the highest number libseccomp
 * resolves among the names of the entries that reach runc (0: no stub).
 */
static uint32_t stub_threshold(const struct sj_profile *p, uint32_t token,
			       const char *const *caps, size_t n_caps,
			       bool docker)
{
	uint32_t t = 0;
	size_t i, j;

	for (i = 0; i < p->n_sys; i++) {
		const struct sj_syscall *s = &p->sys[i];

		if (docker && !kept_amd64(s, caps, n_caps))
			continue;
		for (j = 0; j < s->names.n; j++) {
			int nr = seccomp_syscall_resolve_name_arch(
				token, s->names.v[j]);

			if (nr > 0 && (uint32_t)nr > t)
				t = (uint32_t)nr;
		}
	}
	return t;
}

/*
 * Whether libseccomp 2.5.4 takes a rule for syscall @nr of @a by its
 * name: it resolves the name there, or it is a socket or IPC call that
 * it resolves to a pseudo number and puts on the direct syscall and on
 * the multiplexer both.
 */
static bool scmp_knows(enum leash_arch a, uint32_t nr)
{
	const char *name = syscall_name(a, nr);
	uint32_t token = arch_info(a)->scmp_token, call;
	int64_t mux_nr;

	return name && (seccomp_syscall_resolve_name_arch(token, name) ==
			(int)nr || emit_scmp_mux(token, name, &mux_nr, &call));
}

/*
 * The intentional differences between leash's docker-default and
 * Docker's, each with why, and with what Docker's filter must answer
 * there.  Anything else that differs is a failure.
 */
enum known_diff {
	KD_NONE,
	/* runc's stub: numbers above the highest syscall libseccomp 2.5.4
	 * resolves among the profile's names get ENOSYS, syscalls that
	 * newer kernels have and the profile allows included.  leash knows
	 * them (its own table) and applies the policy. */
	KD_STUB,
	/* A syscall libseccomp 2.5.4 does not know on this arch, below the
	 * stub's threshold (x32's table ends at 547, after the common
	 * numbers it lacks): runc skips its rule, the default (EPERM)
	 * applies.  leash applies the policy. */
	KD_UNKNOWN_TO_LIBSECCOMP,
	KD_COUNT
};

static const char *const kd_reason[KD_COUNT] = {
	[KD_STUB] = "runc's -ENOSYS stub above libseccomp 2.5.4's highest "
		    "known name",
	[KD_UNKNOWN_TO_LIBSECCOMP] = "a syscall libseccomp 2.5.4 does not "
				     "know: runc drops its rules",
};

static enum known_diff classify(enum leash_arch a, uint32_t nr,
				uint32_t threshold, uint32_t docker)
{
	if (threshold && nr > threshold)
		return docker == RET_ENOSYS ? KD_STUB : KD_NONE;
	if (syscall_name(a, nr) && !scmp_knows(a, nr))
		return docker == RET_EPERM ? KD_UNKNOWN_TO_LIBSECCOMP : KD_NONE;
	return KD_NONE;
}

/* Every constant of Docker's profile, as boundary values. */
static void docker_values(const struct sj_profile *p, struct argvals *av)
{
	size_t i, k;

	for (i = 0; i < p->n_sys; i++) {
		const struct sj_syscall *s = &p->sys[i];

		for (k = 0; k < s->n_args; k++) {
			const struct sj_arg *a = &s->args[k];

			if (a->index > 5)
				continue;
			if (a->op == SCMP_CMP_MASKED_EQ)
				add_boundary(&av->pos[a->index], a->value_two,
					     a->value, true);
			else
				add_boundary(&av->pos[a->index], a->value,
					     ~0ull, true);
		}
	}
}

struct diff_log {
	struct strbuf text;
	unsigned n;
};

static void diff_add(struct diff_log *d, const char *fmt, ...)
	LEASH_PRINTF(2, 3);
static void diff_add(struct diff_log *d, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		die_oom();
	va_end(ap);
	/* Every one goes to the log; the first few into the message. */
	fprintf(stderr, "%s\n", msg);
	if (d->n++ < MAX_REPORT)
		sb_printf(&d->text, "%s\n", msg);
	free(msg);
}

static void diff_done(struct diff_log *d, const char *what)
{
	char *msg = sb_steal(&d->text);

	if (strlen(msg) > 3000)
		strcpy(msg + 2980, "...\n");
	if (d->n)
		ck_abort_msg("%s: %u differences%s:\n%s", what, d->n,
			     d->n > MAX_REPORT ? " (all on stderr)" : "", msg);
	free(msg);
}

static void fmt_args(char *buf, size_t n, const uint64_t a[6])
{
	snprintf(buf, n, "0x%llx, 0x%llx, 0x%llx, 0x%llx, 0x%llx, 0x%llx",
		 (unsigned long long)a[0], (unsigned long long)a[1],
		 (unsigned long long)a[2], (unsigned long long)a[3],
		 (unsigned long long)a[4], (unsigned long long)a[5]);
}

struct docker_pair {
	struct leash_ctx ctx;
	char *diag;
	struct seccomp_out sc;
	struct tc_docker dk;
	struct prog leash, docker;
};

static void docker_pair_load(struct docker_pair *dp)
{
	struct ast_policy *pol;
	struct strbuf err = { 0 };
	struct sj_opts o = { 0 };
	struct sock_filter *insns = NULL;
	size_t len = 0;

	memset(dp, 0, sizeof(*dp));
	pol = policy_in(&dp->ctx, LEASH_SRC_PROFILE_DIR "/docker-default.leash",
			"docker-default", &dp->diag);
	ck_assert_ptr_nonnull(pol);
	ck_assert_int_eq(build_seccomp(&dp->ctx, pol, BACKEND_NATIVE, 0,
				       &dp->sc), 0);
	prog_set(&dp->leash, dp->sc.bpf, dp->sc.bpf_len, "docker-default.leash");

	ck_assert_msg(tc_docker_load(&dp->dk, LEASH_SRC_DIR, &err) == 0,
		      "docker-default.json: %s", err.s);
	tc_docker_opts(&dp->dk, &o);
	ck_assert_msg(tc_sj_compile(dp->dk.profile, &o, &insns, &len, &err) ==
				      0 &&
			      insns,
		      "docker-default.json: %s", err.s);
	prog_set(&dp->docker, insns, len, "docker-default.json");
	sb_free(&err);
}

static void docker_pair_free(struct docker_pair *dp)
{
	free(dp->docker.insns);
	build_seccomp_free(&dp->sc);	/* dp->leash borrowed its BPF */
	tc_docker_free(&dp->dk);
	ctx_done(&dp->ctx, &dp->diag);
}

START_TEST(test_docker_default)
{
	static const enum leash_arch arches[] = { ARCH_X86_64, ARCH_X86,
						  ARCH_X32 };
	struct docker_pair dp;
	struct argvals av = { 0 };
	struct argv_vec vecs = { 0 };
	struct diff_log diffs = { { 0 }, 0 };
	unsigned long n_cmp = 0, n_known[KD_COUNT] = { 0 };
	struct strbuf where[KD_COUNT] = { { 0 } };
	size_t a, i;
	int p, k;

	docker_pair_load(&dp);

	/* Boundaries around every constant of both profiles, upper halves
	 * zero, plus the values any argument gets and socketcall's and
	 * ipc's call numbers.  Every condition in both profiles looks at
	 * one argument: no cross product needed. */
	docker_values(dp.dk.profile, &av);
	for (a = 0; a < dp.sc.ir->n_arches; a++)
		for (i = 0; i < dp.sc.ir->arches[a].n_sys; i++)
			walk_syscall(&dp.sc.ir->arches[a].sys[i], &av, true);
	for (p = 0; p < 6; p++)
		add_generic(&av.pos[p], true);
	for (i = 0; i <= 24; i++)
		VEC_PUSH(&av.pos[0], i);
	VEC_PUSH(&vecs, ((struct argvec){ { 0 } }));
	add_vectors(&av, &vecs, false);
	argvals_free(&av);

	for (a = 0; a < ARRAY_SIZE(arches); a++) {
		const struct arch_info *ai = arch_info(arches[a]);
		uint32_t bias = ai->nr_bias;
		uint32_t max = (uint32_t)syscall_max_nr(arches[a]);
		uint32_t t = stub_threshold(dp.dk.profile, ai->scmp_token,
					    dp.dk.caps, dp.dk.n_caps, true);
		uint32_t nr;

		ck_assert_uint_gt(t, bias);
		for (nr = bias; nr <= max + 16; nr++) {
			const char *name = syscall_name(arches[a], nr);
			bool seen[KD_COUNT] = { false };

			for (i = 0; i < vecs.n; i++) {
				const uint64_t *args = vecs.v[i].a;
				uint32_t l = run(&dp.leash, ai->audit_arch, nr,
						 args);
				uint32_t d = run(&dp.docker, ai->audit_arch,
						 nr, args);
				enum known_diff kd;
				char b1[32], b2[32], b3[128];

				n_cmp++;
				if (l == d)
					continue;
				kd = classify(arches[a], nr, t, d);
				if (kd != KD_NONE) {
					/* Name each call once per category. */
					if (!seen[kd] && name)
						sb_printf(&where[kd], " %s:%s",
							  ai->name, name);
					else if (!seen[kd])
						sb_printf(&where[kd], " %s:%u",
							  ai->name, nr - bias);
					seen[kd] = true;
					n_known[kd]++;
					continue;
				}
				fmt_args(b3, sizeof(b3), args);
				diff_add(&diffs, "%s nr %u (%s) args %s: "
					 "leash %s, docker %s", ai->name,
					 nr - bias, name ? name : "?", b3,
					 act(l, b1, sizeof(b1)),
					 act(d, b2, sizeof(b2)));
			}
		}
		/* The stub covers everything above the threshold. */
		for (nr = t + 1; nr <= max + 16; nr++) {
			uint64_t z[6] = { 0 };

			ck_assert_uint_eq(run(&dp.docker, ai->audit_arch, nr,
					      z), RET_ENOSYS);
		}
	}
	printf("# docker-default: %lu comparisons (%zu argument vectors)\n",
	       n_cmp, vecs.n);
	for (k = KD_NONE + 1; k < KD_COUNT; k++) {
		printf("# known difference, %s: %lu comparisons at%s\n",
		       kd_reason[k], n_known[k], where[k].s ? where[k].s : "");
		sb_free(&where[k]);
	}
	fflush(stdout);	/* a failing test exits without flushing */
	VEC_FREE(&vecs);
	docker_pair_free(&dp);
	diff_done(&diffs, "docker-default.leash vs docker-default.json");
}
END_TEST

/*
 * Where leash is meant to differ: socket()'s domain is an int, the
 * kernel reads its low 32 bits.  Docker compares all 64, so AF_VSOCK
 * (40) and AF_ALG (38) with bit 32 set pass its "> 40" rule while the
 * kernel makes the socket Docker meant to forbid.  leash denies them.
 */
START_TEST(test_docker_upper_halves)
{
	static const uint64_t domains[] = {
		0x100000028ull, 0x100000026ull, 0xffffffff00000028ull,
		0x8000000000000026ull,
	};
	struct docker_pair dp;
	uint32_t sock = (uint32_t)syscall_nr(ARCH_X86_64, "socket", NULL);
	uint32_t x32_sock = (uint32_t)syscall_nr(ARCH_X32, "socket", NULL);
	uint32_t pers = (uint32_t)syscall_nr(ARCH_X86_64, "personality", NULL);
	size_t i;

	docker_pair_load(&dp);
	for (i = 0; i < ARRAY_SIZE(domains); i++) {
		uint64_t args[6] = { domains[i], 1, 0 };

		ck_assert_msg(run(&dp.leash, AUDIT_ARCH_X86_64, sock, args) ==
			      RET_EPERM, "leash allows socket(0x%llx)",
			      (unsigned long long)domains[i]);
		ck_assert_msg(run(&dp.docker, AUDIT_ARCH_X86_64, sock, args) ==
			      IR_RET_ALLOW, "docker denies socket(0x%llx): "
			      "the bypass this test documents is gone",
			      (unsigned long long)domains[i]);
		/* libseccomp reads x32's arguments as 32 bits: there the
		 * upper half is dropped by both. */
		ck_assert_uint_eq(run(&dp.leash, AUDIT_ARCH_X86_64, x32_sock,
				      args), RET_EPERM);
		ck_assert_uint_eq(run(&dp.docker, AUDIT_ARCH_X86_64, x32_sock,
				      args), RET_EPERM);
	}
	/* The other way round: personality(0x1ffffffff) is the kernel's
	 * 0xffffffff query, which both mean to allow; Docker's 64-bit
	 * comparison refuses it, leash's 32-bit one does not. */
	{
		uint64_t args[6] = { 0x1ffffffffull };

		ck_assert_uint_eq(run(&dp.leash, AUDIT_ARCH_X86_64, pers, args),
				  IR_RET_ALLOW);
		ck_assert_uint_eq(run(&dp.docker, AUDIT_ARCH_X86_64, pers,
				      args), RET_EPERM);
	}
	docker_pair_free(&dp);
}
END_TEST

/* ======================================================================
 * round trip
 * ====================================================================== */

/*
 * Policies some target refuses, and why.  A refusal is the compiler
 * saying "this target cannot express it" (docs/language.md: never a weaker
 * filter); an unlisted one fails the test, and so does a listed one
 * that no longer happens, so this list stays true.
 */
static const struct refusal {
	const char *file;	/* relative to the source tree */
	const char *policy;
	const char *target;	/* "json" or "scmp" */
	const char *reason;
} refusals[] = {
	{ "tests/valid/language-examples.leash", "web", "scmp",
	  "an x86 socket rule that socketcall() does not repeat" },
	{ "tests/vectors/arch.leash", "arch", "json",
	  "different rules per arch for one syscall" },
	{ "tests/vectors/arch.leash", "no_x32", "json",
	  "different rules per arch for one syscall" },
	{ "tests/vectors/consts.leash", "consts", "json",
	  "constants whose numbers differ per arch (ENOSYS on mips)" },
	{ "tests/vectors/consts.leash", "consts", "scmp",
	  "libseccomp cannot mix big-endian mips with little-endian arches" },
	{ "tests/vectors/actions.leash", "errno_max", "json",
	  "libseccomp 2.5.4 refuses errno 4095" },
	{ "tests/vectors/actions.leash", "errno_max", "scmp",
	  "libseccomp 2.5.4 refuses errno 4095" },
	{ "tests/vectors/actions.leash", "default_notify", "json",
	  "runc refuses notify as the default action" },
	{ "tests/vectors/mux.leash", "no_mux", "scmp",
	  "libseccomp would add socketcall(SYS_SOCKET) to an x86 filter "
	  "that denies it" },
	{ "tests/vectors/wide.leash", "wide_x32", "json",
	  "a 64-bit comparison on x32, which libseccomp reads as 32 bits" },
	{ "tests/vectors/wide.leash", "wide_x32", "scmp",
	  "a 64-bit comparison on x32, which libseccomp reads as 32 bits" },
	{ "tests/vectors/network.leash", "mips", "scmp",
	  "a mips socket rule that socketcall() does not repeat" },
	{ "tests/vectors/network.leash", "mips", "json",
	  "libseccomp's socketcall copy of a mips socket rule collides" },
};

struct rt_policy {
	const char *file;	/* relative */
	const char *name;
	struct seccomp_out sc;
	struct prog native, scmp, json;
	bool has_scmp, has_json;
	struct sj_profile *profile;	/* the JSON as runc reads it */
	struct strbuf json_notes;	/* what emit_json() told the user */
};

/*
 * On x86 & co, libseccomp copies a socket or IPC rule onto
 * socketcall()/ipc() for its call number, without the argument checks
 * (emit_scmp_mux()).  Where the policy gives the multiplexer other rules for
 * that call, emit_json() says so in a note and the profile allows more
 * there: runc may answer with the multiplexed syscall's action.
 */
struct mux_ent {
	uint32_t mux_nr, call;
	const struct ir_syscall *sys;	/* the multiplexed syscall */
	bool noted;			/* emit_json() said so */
};
VEC(mux_vec, struct mux_ent);

static void mux_table(const struct rt_policy *rp, const struct ir_arch *ar,
		      struct mux_vec *out)
{
	uint32_t token = arch_info(ar->arch)->scmp_token, call;
	int64_t mux_nr;
	size_t i;

	out->n = 0;
	for (i = 0; token && i < ar->n_sys; i++) {
		struct mux_ent e = { 0 };
		char *needle;

		if (!ar->sys[i].n_rules ||
		    !emit_scmp_mux(token, ar->sys[i].name, &mux_nr, &call))
			continue;
		e.mux_nr = (uint32_t)mux_nr;
		e.call = call;
		e.sys = &ar->sys[i];
		needle = xasprintf("rules for '%s' to", ar->sys[i].name);
		e.noted = rp->json_notes.s && strstr(rp->json_notes.s, needle);
		free(needle);
		VEC_PUSH(out, e);
	}
}

/* Whether runc's @json may stand for the policy's @ir on this call
 * because of a multiplexed rule that emit_json() has noted. */
static bool mux_explains(const struct mux_vec *mt, uint32_t nr,
			 const uint64_t args[6], uint32_t json,
			 unsigned long *n_mux)
{
	size_t i, r;

	for (i = 0; i < mt->n; i++) {
		const struct mux_ent *e = &mt->v[i];

		/* The multiplexers' arches read 32-bit arguments. */
		if (e->mux_nr != nr || (uint32_t)args[0] != e->call ||
		    !e->noted)
			continue;
		for (r = 0; r < e->sys->n_rules; r++)
			if (e->sys->rules[r].action == json) {
				(*n_mux)++;
				return true;
			}
	}
	return false;
}

static int refusal_index(const char *file, const char *policy,
			 const char *target)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(refusals); i++)
		if (!strcmp(refusals[i].file, file) &&
		    !strcmp(refusals[i].policy, policy) &&
		    !strcmp(refusals[i].target, target))
			return (int)i;
	return -1;
}

/* The IR arch that decides a call, as ir_eval() finds it. */
static const struct ir_arch *ir_arch_of(const struct ir_filter *f,
					enum leash_arch a)
{
	size_t i;

	for (i = 0; i < f->n_arches; i++)
		if (f->arches[i].arch == a)
			return &f->arches[i];
	return NULL;
}

static bool allowish(uint32_t action)
{
	uint32_t k = action & IR_RET_ACTION_MASK;

	return k == IR_RET_ALLOW || k == IR_RET_LOG || k == IR_RET_TRACE;
}

/*
 * What runc answers for a call on a selected arch, given the policy's
 * answer @ir: its stub above the threshold, then libseccomp's default
 * for what its tables lack, else the policy.
 */
static uint32_t runc_model(const struct rt_policy *rp,
			   const struct ir_arch *ar, uint32_t nr, uint32_t ir,
			   const char **why)
{
	uint32_t t = 0;

	*why = NULL;
	if (!allowish(ar->default_action))
		t = stub_threshold(rp->profile, arch_info(ar->arch)->scmp_token,
				   NULL, 0, false);
	if (t && nr > t) {
		*why = "runc's stub";
		return RET_ENOSYS;
	}
	if (nr > (uint32_t)ar->max_nr) {
		*why = "above leash's table, no stub";
		return ar->default_action;
	}
	if (syscall_name(ar->arch, nr) && !scmp_knows(ar->arch, nr)) {
		*why = "unknown to libseccomp";
		return ar->default_action;
	}
	return ir;
}

struct rt_stats {
	unsigned long n_cmp, n_model, n_mux;
	unsigned n_policies, n_refused;
};

static void compare_arch(struct rt_policy *rp, const struct ir_arch *ar,
			 struct rt_stats *st, struct diff_log *diffs)
{
	const struct ir_filter *f = rp->sc.ir;
	const struct arch_info *ai = arch_info(ar->arch);
	uint32_t bias = ai->nr_bias, max = (uint32_t)ar->max_nr, nr;
	struct argvals all = { 0 }, base = { 0 };
	struct argv_vec plain = { 0 }, muxv = { 0 }, own = { 0 };
	struct mux_vec mt = { 0 };
	int64_t sc_nr = syscall_nr(ar->arch, "socketcall", NULL);
	int64_t ipc_nr = syscall_nr(ar->arch, "ipc", NULL);
	size_t i, s = 0;
	int p;

	/* A syscall without conditions: a few whole vectors.  One with
	 * conditions: its own constants, combined, and the values any
	 * argument gets.  The multiplexers: every constant of the arch,
	 * since libseccomp copies socket and IPC rules onto them. */
	for (p = 0; p < 6; p++)
		add_generic(&base.pos[p], false);
	plain_vectors(&plain);
	for (i = 0; i < ar->n_sys; i++)
		walk_syscall(&ar->sys[i], &all, false);
	for (i = 0; i <= 24; i++)
		VEC_PUSH(&all.pos[0], i);
	muxv = plain;
	muxv.v = xcalloc(plain.n, sizeof(*plain.v));
	memcpy(muxv.v, plain.v, plain.n * sizeof(*plain.v));
	muxv.cap = plain.n;
	add_vectors(&all, &muxv, true);
	add_vectors(&base, &muxv, false);
	mux_table(rp, ar, &mt);

	for (nr = bias; nr <= max + 8; nr++) {
		const struct ir_syscall *sys = NULL;
		const struct argv_vec *vecs = &plain;
		const char *name = syscall_name(ar->arch, nr);

		while (s < ar->n_sys && (uint32_t)ar->sys[s].nr < nr)
			s++;
		if (s < ar->n_sys && (uint32_t)ar->sys[s].nr == nr)
			sys = &ar->sys[s];
		if ((int64_t)nr == sc_nr || (int64_t)nr == ipc_nr) {
			vecs = &muxv;
		} else if (sys && sys->n_rules &&
			   (sys->n_rules > 1 || sys->rules[0].cond)) {
			struct argvals av = { 0 };

			walk_syscall(sys, &av, false);
			own.n = 0;
			VEC_PUSH(&own, plain.v[0]);
			add_vectors(&av, &own, true);
			add_vectors(&base, &own, false);
			argvals_free(&av);
			vecs = &own;
		}
		for (i = 0; i < vecs->n; i++) {
			const uint64_t *args = vecs->v[i].a;
			uint32_t ir = ir_eval(f, ai->audit_arch, nr, args);
			uint32_t got[3], want[3];
			const char *tn[3] = { "native", "scmp", "json" };
			const char *why = NULL;
			char b1[32], b2[32], b3[128], b4[32];
			int k;

			got[0] = run(&rp->native, ai->audit_arch, nr, args);
			want[0] = ir;
			got[1] = rp->has_scmp ?
				 run(&rp->scmp, ai->audit_arch, nr, args) : ir;
			want[1] = ir;
			if (rp->has_json) {
				got[2] = run(&rp->json, ai->audit_arch, nr,
					     args);
				want[2] = runc_model(rp, ar, nr, ir, &why);
				st->n_model += why != NULL;
				if (got[2] != want[2] && !why &&
				    mux_explains(&mt, nr, args, got[2],
						 &st->n_mux))
					want[2] = got[2];
			} else {
				got[2] = want[2] = ir;
			}
			st->n_cmp++;
			for (k = 0; k < 3; k++) {
				if (got[k] == want[k])
					continue;
				fmt_args(b3, sizeof(b3), args);
				diff_add(diffs, "%s policy '%s' %s nr %u (%s) "
					 "args %s: ir %s, %s %s%s%s%s",
					 rp->file, rp->name, ai->name,
					 nr - bias, name ? name : "?", b3,
					 act(ir, b1, sizeof(b1)), tn[k],
					 act(got[k], b2, sizeof(b2)),
					 k == 2 ? " (runc model: " : "",
					 k == 2 ? act(want[k], b4,
						      sizeof(b4)) : "",
					 k == 2 ? ")" : "");
			}
		}
	}
	argvals_free(&all);
	argvals_free(&base);
	VEC_FREE(&plain);
	VEC_FREE(&mt);
	VEC_FREE(&muxv);
	VEC_FREE(&own);
}

/*
 * Numbers far above every table, on each selected arch: leash's targets
 * must agree.  From runc: its stub's ENOSYS, or the default when there
 * is no stub, where libseccomp sends the number to this arch.  That is
 * not quite where the kernel and leash do: x86_64 and x32 share
 * AUDIT_ARCH_X86_64, and leash (like the kernel) tells them apart by
 * bit 30 alone, while libseccomp takes every number from 0x40000000 up
 * for x32 (badarch.vectors shows the consequence).  Numbers on the
 * other side of that line are not compared with runc here.
 */
static void compare_extremes(struct rt_policy *rp, struct rt_stats *st,
			     struct diff_log *diffs)
{
	static const uint32_t nrs[] = {
		0x3fffffff, 0x40000000, 0x40000fff, 0x7fffffff, 0x80000000,
		0xbfffffff, 0xc0000000, 0xfffffffe, 0xffffffff,
	};
	const struct ir_filter *f = rp->sc.ir;
	uint64_t z[6] = { 0 };
	size_t a, i;

	for (a = 0; a < f->n_arches; a++) {
		const struct ir_arch *ar = &f->arches[a];
		const struct arch_info *ai = arch_info(ar->arch);

		for (i = 0; i < ARRAY_SIZE(nrs); i++) {
			uint32_t nr = nrs[i];
			uint32_t ir = ir_eval(f, ai->audit_arch, nr, z);
			uint32_t n = run(&rp->native, ai->audit_arch, nr, z);
			uint32_t s = rp->has_scmp ?
				     run(&rp->scmp, ai->audit_arch, nr, z) : ir;
			bool x32 = nr & X32_BIT;
			uint32_t t = 0, want, j;
			char b1[32], b2[32], b3[32];

			if (nr <= (uint32_t)ar->max_nr)
				continue;	/* compare_arch()'s */
			st->n_cmp++;
			if (n != ir || s != ir)
				diff_add(diffs, "%s policy '%s' arch %s's "
					 "AUDIT_ARCH, nr 0x%x: ir %s, native %s, "
					 "scmp %s", rp->file,
					 rp->name, ai->name, nr,
					 act(ir, b1, sizeof(b1)),
					 act(n, b2, sizeof(b2)),
					 act(s, b3, sizeof(b3)));
			if (!rp->has_json ||
			    (ar->arch == ARCH_X86_64 && nr >= X32_BIT) ||
			    (ar->arch == ARCH_X32 && (!x32 || nr >= 0x80000000)))
				continue;
			if (!allowish(ar->default_action))
				t = stub_threshold(rp->profile, ai->scmp_token,
						   NULL, 0, false);
			want = t && nr > t ? RET_ENOSYS : ar->default_action;
			j = run(&rp->json, ai->audit_arch, nr, z);
			if (j != want)
				diff_add(diffs, "%s policy '%s' %s nr 0x%x: "
					 "runc gives %s, the model %s",
					 rp->file, rp->name, ai->name, nr,
					 act(j, b1, sizeof(b1)),
					 act(want, b2, sizeof(b2)));
		}
	}
}

/*
 * Calls from arches the policy does not select: the bad-arch action
 * from leash's targets; from runc, libseccomp's kill_thread, except on
 * the host's own arch, which runc always adds (x86_64 here) and x32
 * numbers, which libseccomp lets through for nr -1 only.
 */
static void compare_foreign(struct rt_policy *rp, struct rt_stats *st,
			    struct diff_log *diffs)
{
	static const enum leash_arch probe[] = { ARCH_X86_64, ARCH_X86,
						 ARCH_X32, ARCH_AARCH64 };
	static const uint32_t nrs[] = { 0, 1, 59, 200, 0x200, 0x223 };
	const struct ir_filter *f = rp->sc.ir;
	uint64_t z[6] = { 0 };
	size_t a, i;

	for (a = 0; a < ARRAY_SIZE(probe); a++) {
		const struct arch_info *ai = arch_info(probe[a]);

		if (ir_arch_of(f, probe[a]))
			continue;
		for (i = 0; i < ARRAY_SIZE(nrs); i++) {
			uint32_t nr = nrs[i] + ai->nr_bias;
			uint32_t ir = ir_eval(f, ai->audit_arch, nr, z);
			uint32_t n = run(&rp->native, ai->audit_arch, nr, z);
			uint32_t s = rp->has_scmp ?
				     run(&rp->scmp, ai->audit_arch, nr, z) : ir;
			char b1[32], b2[32], b3[32], b4[32];

			st->n_cmp++;
			if (ir != f->bad_arch_action || n != ir || s != ir)
				diff_add(diffs, "%s policy '%s' foreign arch %s "
					 "nr %u: bad-arch %s, ir %s, native "
					 "%s, scmp %s", rp->file, rp->name,
					 ai->name, nrs[i],
					 act(f->bad_arch_action, b1, sizeof(b1)),
					 act(ir, b2, sizeof(b2)),
					 act(n, b3, sizeof(b3)),
					 act(s, b4, sizeof(b4)));
			if (!rp->has_json || probe[a] == arch_native())
				continue;
			/* An x86_64 host: x32 is foreign to runc's filter
			 * only when the profile does not list it. */
			n = run(&rp->json, ai->audit_arch, nr, z);
			if (n != IR_RET_KILL_THREAD)
				diff_add(diffs, "%s policy '%s' foreign arch %s "
					 "nr %u: runc gives %s, not "
					 "libseccomp's kill_thread", rp->file,
					 rp->name, ai->name, nrs[i],
					 act(n, b1, sizeof(b1)));
		}
	}
}

static void rt_build(struct leash_ctx *ctx, const struct ast_policy *pol,
		     struct rt_policy *rp, bool *refused, struct rt_stats *st,
		     struct diff_log *diffs)
{
	struct strbuf err = { 0 }, json = { 0 };
	struct sock_filter *insns = NULL;
	struct diag d;
	size_t len = 0, i;
	int rc, ri;

	rc = build_seccomp(ctx, pol, BACKEND_NATIVE, 0, &rp->sc);
	ck_assert_msg(rc == 0, "%s: policy '%s' does not build", rp->file,
		      rp->name);
	prog_set(&rp->native, rp->sc.bpf, rp->sc.bpf_len, rp->name);

	diag_init(&d, NULL);
	rc = emit_scmp(rp->sc.ir, 2, &insns, &len, &d);
	ri = refusal_index(rp->file, rp->name, "scmp");
	if (rc == 0) {
		prog_set(&rp->scmp, insns, len, rp->name);
		rp->has_scmp = true;
	} else if (ri < 0) {
		diff_add(diffs, "%s policy '%s': the libseccomp backend "
			 "refuses it: %s", rp->file, rp->name,
			 diag_first_error(&d));
	} else {
		refused[ri] = true;
		st->n_refused++;
	}
	diag_fini(&d);

	ri = refusal_index(rp->file, rp->name, "json");
	diag_init(&d, NULL);
	rc = emit_json(rp->sc.ir, &json, &d);
	for (i = 0; i < d.pending.n; i++)
		sb_printf(&rp->json_notes, "%s\n", d.pending.v[i].text);
	if (rc == 0) {
		insns = NULL;
		rc = tc_sj_parse(json.s, json.len, &rp->profile, &err);
		if (rc == 0)
			rc = tc_sj_compile(rp->profile, NULL, &insns, &len,
					&err);
		/* What emit_json() writes, runc must load. */
		if (rc < 0 || !insns)
			diff_add(diffs, "%s policy '%s': runc refuses the "
				 "JSON: %s", rp->file, rp->name,
				 err.s ? err.s : "no filter");
		else {
			prog_set(&rp->json, insns, len, rp->name);
			rp->has_json = true;
		}
	} else if (ri < 0) {
		diff_add(diffs, "%s policy '%s': the JSON target refuses it: "
			 "%s", rp->file, rp->name, diag_first_error(&d));
	} else {
		refused[ri] = true;
		st->n_refused++;
	}
	diag_fini(&d);
	sb_free(&err);
	sb_free(&json);
}

static void rt_free(struct rt_policy *rp)
{
	free(rp->scmp.insns);
	free(rp->json.insns);
	sj_profile_destroy(&rp->profile);
	sb_free(&rp->json_notes);
	build_seccomp_free(&rp->sc);
}

static void rt_file(const char *rel, bool *refused, struct rt_stats *st,
		    struct diff_log *diffs)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", LEASH_SRC_DIR, rel);
	struct leash_ctx ctx;
	char *diag = NULL;
	struct ast_file *root;
	size_t i, a;

	policy_in(&ctx, path, NULL, &diag);
	root = ctx.files.v[0];
	for (i = 0; i < root->policies.n; i++) {
		struct rt_policy rp = { .file = rel };

		rp.name = root->policies.v[i]->name.s;
		rt_build(&ctx, root->policies.v[i], &rp, refused, st, diffs);
		st->n_policies++;
		for (a = 0; a < rp.sc.ir->n_arches; a++)
			compare_arch(&rp, &rp.sc.ir->arches[a], st, diffs);
		compare_extremes(&rp, st, diffs);
		compare_foreign(&rp, st, diffs);
		rt_free(&rp);
	}
	ctx_done(&ctx, &diag);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "dir/NAME.leash" for every .leash in @dir, sorted. */
static void list_leash(const char *dir, struct str_vec *out)
{
	_cleanup_free_ char *abs = xasprintf("%s/%s", LEASH_SRC_DIR, dir);
	DIR *d = opendir(abs);
	struct dirent *e;
	size_t start = out->n;

	ck_assert_msg(d != NULL, "cannot open %s", abs);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (n > 6 && !strcmp(e->d_name + n - 6, ".leash"))
			VEC_PUSH(out, xasprintf("%s/%s", dir, e->d_name));
	}
	closedir(d);
	qsort(out->v + start, out->n - start, sizeof(*out->v), by_name);
}

START_TEST(test_round_trip)
{
	static const char *const dirs[] = { "tests/valid", "tests/vectors",
					    "profiles" };
	struct str_vec files = { 0 };
	bool refused[ARRAY_SIZE(refusals)] = { false };
	struct rt_stats st = { 0 };
	struct diff_log diffs = { { 0 }, 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++)
		list_leash(dirs[i], &files);
	for (i = 0; i < files.n; i++)
		rt_file(files.v[i], refused, &st, &diffs);
	for (i = 0; i < ARRAY_SIZE(refusals); i++)
		if (!refused[i])
			diff_add(&diffs, "%s policy '%s': listed as refused "
				 "by the %s target (%s), but it builds: "
				 "update the list", refusals[i].file,
				 refusals[i].policy, refusals[i].target,
				 refusals[i].reason);
	printf("# round trip: %zu files, %u policies, %u refusals (listed), "
	       "%lu call vectors x 4 targets; runc's answer from the model "
	       "%lu times, a noted multiplexer rule %lu times\n", files.n,
	       st.n_policies, st.n_refused, st.n_cmp, st.n_model, st.n_mux);
	fflush(stdout);	/* a failing test exits without flushing */
	ck_assert_uint_ge(st.n_policies, 20);
	for (i = 0; i < files.n; i++)
		free(files.v[i]);
	VEC_FREE(&files);
	diff_done(&diffs, "round trip");
}
END_TEST

static Suite *equiv_suite(void)
{
	Suite *s = suite_create("equiv");
	TCase *tc = tcase_create("docker");
	TCase *rt = tcase_create("round-trip");

	tcase_add_test(tc, test_docker_default);
	tcase_add_test(tc, test_docker_upper_halves);
	tcase_add_test(rt, test_round_trip);
	/* Runs a few hundred thousand filters: generous under ASan. */
	tcase_set_timeout(tc, 300);
	tcase_set_timeout(rt, 300);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, rt);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(equiv_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
