/* SPDX-License-Identifier: MIT */
/*
 * sim-bpf.c - ask a seccomp filter questions by running it.
 *
 * A filter is a program, not a rule list: a .bpf file has no rules to
 * read, and a JSON profile means what libseccomp and runc make of it.
 * So diff and audit never reason about rules; they run the programs on
 * every syscall number and on argument vectors built from the constants
 * the programs compare against.  Two filters that agree there agree on
 * every input, as far as each comparison's outcome is decided by a value
 * on one side of its constant: the vectors hold each constant, its
 * neighbours, every bit of each mask, and the same with the upper half
 * of the register set (a 64-bit comparison of a 32-bit argument).
 */
#include "seccomp/sim-bpf.h"
#include "common/sigs.h"
#include "front/flat.h"
#include "seccomp/ir.h"
#include "seccomp/bpf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LOW32 0xffffffffull
/* Most combined vectors per syscall, on top of the one-argument ones. */
#define MAX_COMBOS 1024
/* Most values tried per argument word and per argument: a hostile filter
 * with thousands of distinct constants must not make the vectors grow
 * without bound.  Real filters stay far below (Docker's: a dozen). */
#define MAX_WORD_VALUES 512
#define MAX_ARG_VALUES 2048
/* Instructions run before sim_over_budget() says stop: about a second
 * here, 400 times what a diff of Docker's profile needs. */
#define STEP_BUDGET 200000000ull

static uint64_t steps;
#define ARG_WORDS (SIG_MAX_ARGS * 2)

uint32_t sim_action(const struct sim_filter *f, enum leash_arch arch,
		    int64_t nr, const uint64_t args[6], uint16_t *loaded)
{
	struct seccomp_data d = { 0 };
	struct bpf_trace tr = { 0 };
	uint32_t ret = SECCOMP_RET_KILL_PROCESS;

	if (loaded)
		*loaded = 0;
	if (!f->bpf)
		return SECCOMP_RET_ALLOW;
	d.nr = (int)nr;
	d.arch = arch_info(arch)->audit_arch;
	memcpy(d.args, args, sizeof(d.args));
	/* The program passed bpf_check() when it was loaded, and the
	 * interpreter refuses what the kernel would not run: an error is
	 * the kernel's kill. */
	if (bpf_exec(f->bpf, f->len, &d, &ret, &tr) < 0)
		return SECCOMP_RET_KILL_PROCESS;
	if (loaded)
		*loaded = tr.loaded;
	steps += tr.steps;
	return ret;
}

bool sim_over_budget(void)
{
	return steps > STEP_BUDGET;
}

size_t sim_numbers(enum leash_arch arch, int64_t **out)
{
	const struct arch_info *ai = arch_info(arch);
	int64_t max = syscall_max_nr(arch), nr;
	size_t n = 0;

	*out = xcalloc((size_t)(max - ai->nr_bias) + 3, sizeof(**out));
	for (nr = ai->nr_bias; nr <= max; nr++)
		if (syscall_name(arch, nr))
			(*out)[n++] = nr;
	(*out)[n++] = max + 1;
	(*out)[n++] = max + 64;
	return n;
}

static bool is_kill(uint32_t a)
{
	a &= SECCOMP_RET_ACTION_FULL;
	return a == SECCOMP_RET_KILL_PROCESS || a == SECCOMP_RET_KILL_THREAD;
}

uint32_t sim_arches(const struct sim_filter *f)
{
	static const uint64_t zero[6];
	uint32_t arches = 0;
	int a;

	for (a = 0; a < ARCH_COUNT; a++) {
		_cleanup_free_ int64_t *nrs = NULL;
		size_t n = sim_numbers((enum leash_arch)a, &nrs), i;
		uint32_t first = sim_action(f, (enum leash_arch)a, nrs[0],
					    zero, NULL);
		bool same = true;

		for (i = 1; i < n && same; i++)
			same = sim_action(f, (enum leash_arch)a, nrs[i], zero,
					  NULL) == first;
		/* An arch whose every call is killed alike is one the
		 * filter does not accept. */
		if (!same || !is_kill(first))
			arches |= FLAT_ARCH_BIT(a);
	}
	return arches;
}

int sim_rank(uint32_t action)
{
	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
		return 6;
	case SECCOMP_RET_LOG:
		return 5;
	case SECCOMP_RET_USER_NOTIF:
	case SECCOMP_RET_TRACE:
		return 4;
	case SECCOMP_RET_ERRNO:
		return 3;
	case SECCOMP_RET_TRAP:
		return 2;
	case SECCOMP_RET_KILL_THREAD:
		return 1;
	default:
		return 0;
	}
}

const char *sim_action_str(enum leash_arch arch, uint32_t action, char *buf,
			   size_t len)
{
	uint32_t data = action & SECCOMP_RET_DATA;
	const char *e;

	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ERRNO:
		e = errno_name(arch, data);
		if (e)
			snprintf(buf, len, "errno(%s)", e);
		else
			snprintf(buf, len, "errno(%u)", data);
		return buf;
	case SECCOMP_RET_TRACE:
		snprintf(buf, len, "trace(%u)", data);
		return buf;
	default:
		return ir_action_str(action, buf, len);
	}
}

char *sim_call_str(const char *name, const uint64_t a[6])
{
	struct strbuf sb = { 0 };
	int last = -1, i;

	const struct syscall_sig *sig = sig_lookup(name);

	/* every argument the syscall takes, and any nonzero one past */
	if (sig)
		last = sig->nargs - 1;
	for (i = 0; i < 6; i++)
		if (a[i] && i > last)
			last = i;
	sb_printf(&sb, "%s(", name);
	for (i = 0; i <= last; i++)
		sb_printf(&sb, "%s0x%llx", i ? ", " : "",
			  (unsigned long long)a[i]);
	sb_putc(&sb, ')');
	return sb_steal(&sb);
}

const char *sim_nr_name(enum leash_arch arch, int64_t nr, char *buf,
			size_t len)
{
	const char *n = syscall_name(arch, nr);

	if (n)
		return n;
	snprintf(buf, len, "nr %lld",
		 (long long)(nr - (int64_t)arch_info(arch)->nr_bias));
	return buf;
}

/* ---- argument vectors ---------------------------------------------------- */

VEC(u64_vec, uint64_t);

struct words {
	struct u64_vec k[ARG_WORDS];	/* constants compared with */
	struct u64_vec m[ARG_WORDS];	/* masks applied */
};

/* Word index (arg * 2 + hi) of seccomp_data offset @off, or -1. */
static int word_of(uint32_t off)
{
	unsigned arg;

	if (off < BPF_SD_ARGS || off >= BPF_SD_SIZE || off % 4)
		return -1;
	arg = (off - BPF_SD_ARGS) / 8;
	return (int)(arg * 2 + (bpf_arg_off(arg, true) == off));
}

/* Every constant a program compares an argument word with.  A linear
 * scan: generated filters reload the word before each comparison. */
static void collect(const struct sock_filter *p, size_t len, struct words *w)
{
	int cur = -1;
	size_t i;

	for (i = 0; i < len; i++) {
		uint16_t c = p[i].code;

		switch (BPF_CLASS(c)) {
		case BPF_LD:
			cur = BPF_MODE(c) == BPF_ABS && BPF_SIZE(c) == BPF_W ?
				      word_of(p[i].k) :
				      -1;
			break;
		case BPF_ALU:
			if (cur < 0)
				break;
			if (BPF_OP(c) == BPF_AND && BPF_SRC(c) == BPF_K)
				VEC_PUSH(&w->m[cur], p[i].k);
			else
				cur = -1;
			break;
		case BPF_JMP:
			if (cur >= 0 && BPF_OP(c) != BPF_JA &&
			    BPF_SRC(c) == BPF_K) {
				if (BPF_OP(c) == BPF_JSET)
					VEC_PUSH(&w->m[cur], p[i].k);
				else
					VEC_PUSH(&w->k[cur], p[i].k);
			}
			break;
		case BPF_MISC:
		case BPF_LDX:
		case BPF_ST:
		case BPF_STX:
		case BPF_RET:
		default:
			if (BPF_CLASS(c) == BPF_MISC)
				cur = -1;
			break;
		}
	}
}

static void uniq(struct u64_vec *v)
{
	v->n = u64_sort_uniq(v->v, v->n);
}

struct idx_val {
	uint64_t v;
	size_t i;
};

static int cmp_idx_val(const void *a, const void *b)
{
	const struct idx_val *x = a, *y = b;

	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int cmp_idx(const void *a, const void *b)
{
	const struct idx_val *x = a, *y = b;

	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Drop repeated values, keeping the first of each in place, then keep
 * the first @max: the values are pushed most telling first (the
 * constants themselves before their combinations), so a hostile filter's
 * thousands of constants cost coverage at the end, not the boundaries.
 */
static void uniq_first(struct u64_vec *v, size_t max)
{
	struct idx_val *t;
	size_t i, o = 0;

	if (!v->n)
		return;
	t = xcalloc(v->n, sizeof(*t));
	for (i = 0; i < v->n; i++)
		t[i] = (struct idx_val){ v->v[i], i };
	qsort(t, v->n, sizeof(*t), cmp_idx_val);
	for (i = 0; i < v->n; i++)
		if (!o || t[o - 1].v != t[i].v)
			t[o++] = t[i];
	qsort(t, o, sizeof(*t), cmp_idx);
	v->n = o < max ? o : max;
	for (i = 0; i < v->n; i++)
		v->v[i] = t[i].v;
	free(t);
}

/* The 32-bit values worth trying for one word. */
static void word_values(const struct words *w, int word, struct u64_vec *out)
{
	static const uint64_t g[] = { 0, 1, 2, 0x7fffffff, 0x80000000, LOW32 };
	size_t i;
	int b;

	for (i = 0; i < ARRAY_SIZE(g); i++)
		VEC_PUSH(out, g[i]);
	for (i = 0; i < w->k[word].n; i++) {
		uint64_t k = w->k[word].v[i];

		VEC_PUSH(out, k);
		VEC_PUSH(out, (k - 1) & LOW32);
		VEC_PUSH(out, (k + 1) & LOW32);
	}
	for (i = 0; i < w->m[word].n; i++) {
		uint64_t m = w->m[word].v[i];

		VEC_PUSH(out, m);
		VEC_PUSH(out, ~m & LOW32);
		for (b = 0; b < 32; b++)
			if (m >> b & 1)
				VEC_PUSH(out, 1ull << b);
		/* a constant under this mask, with the other bits set */
		for (size_t j = 0; j < w->k[word].n; j++)
			VEC_PUSH(out, (w->k[word].v[j] & m) | (~m & LOW32));
	}
	uniq_first(out, MAX_WORD_VALUES);
}

static void arg_values(const struct words *w, unsigned arg,
		       struct u64_vec *out)
{
	struct u64_vec lo = { 0 }, hi = { 0 };
	size_t i, j;

	word_values(w, (int)arg * 2, &lo);
	word_values(w, (int)arg * 2 + 1, &hi);
	/* the low word alone first, then with upper halves set (a 64-bit
	 * comparison of a 32-bit argument), then the upper word's own */
	for (i = 0; i < lo.n; i++)
		VEC_PUSH(out, lo.v[i]);
	for (i = 0; i < lo.n; i++) {
		VEC_PUSH(out, lo.v[i] | 1ull << 32);
		VEC_PUSH(out, lo.v[i] | LOW32 << 32);
	}
	for (j = 0; j < hi.n; j++)
		VEC_PUSH(out, hi.v[j] << 32);
	for (j = 0; j < hi.n; j++)
		for (i = 0; i < w->k[arg * 2].n; i++)
			VEC_PUSH(out, hi.v[j] << 32 | w->k[arg * 2].v[i]);
	uniq_first(out, MAX_ARG_VALUES);
	VEC_FREE(&lo);
	VEC_FREE(&hi);
}

/* A tiny deterministic generator: the same input gives the same output. */
static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 17;
}

/* Which arguments (bit i: args[i]) the programs read for @v. */
static unsigned args_read(const struct sim_filter *const *t, size_t n,
			  enum leash_arch arch, int64_t nr, const uint64_t v[6])
{
	unsigned used = 0;
	size_t i;
	int b;

	for (i = 0; i < n; i++) {
		uint16_t loaded;

		sim_action(t[i], arch, nr, v, &loaded);
		for (b = 0; b < ARG_WORDS; b++)
			if (loaded >> (BPF_SD_ARGS / 4 + (unsigned)b) & 1)
				used |= 1u << (b / 2);
	}
	return used;
}

static void build(const struct words *w, unsigned used,
		  struct sim_vec_list *out)
{
	struct u64_vec vals[6] = { { 0 } };
	struct sim_vec z = { { 0 } };
	size_t total = 1, k;
	uint64_t seed = 0x1ea5;
	unsigned a;
	int n_used = 0;

	VEC_PUSH(out, z);
	for (a = 0; a < 6; a++) {
		if (!(used >> a & 1))
			continue;
		arg_values(w, a, &vals[a]);
		for (k = 0; k < vals[a].n; k++) {
			struct sim_vec v = z;

			v.a[a] = vals[a].v[k];
			VEC_PUSH(out, v);
		}
		n_used++;
		if (total <= MAX_COMBOS)
			total *= vals[a].n;
	}
	if (n_used >= 2) {
		for (k = 0; k < (total < MAX_COMBOS ? total : MAX_COMBOS);
		     k++) {
			struct sim_vec v = z;
			size_t idx = k;

			for (a = 0; a < 6; a++) {
				size_t nv = vals[a].n;

				if (!nv)
					continue;
				v.a[a] = vals[a].v[total <= MAX_COMBOS ?
							   idx % nv :
							   lcg(&seed) % nv];
				idx /= nv;
			}
			VEC_PUSH(out, v);
		}
	}
	for (a = 0; a < 6; a++)
		VEC_FREE(&vals[a]);
}

void sim_vectors(const struct sim_filter *const *t, size_t n,
		 enum leash_arch arch, int64_t nr, struct sim_vec_list *out)
{
	static const uint64_t probes[][6] = {
		{ 0 },
		{ LOW32, LOW32, LOW32, LOW32, LOW32, LOW32 },
		{ ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull },
		{ 1, 1, 1, 1, 1, 1 },
	};
	struct words w;
	unsigned used = 0, seen;
	size_t i;
	int round;

	memset(&w, 0, sizeof(w));
	out->n = 0;
	for (i = 0; i < ARRAY_SIZE(probes); i++)
		used |= args_read(t, n, arch, nr, probes[i]);
	if (!used)
		return;
	for (i = 0; i < n; i++)
		if (t[i]->bpf)
			collect(t[i]->bpf, t[i]->len, &w);
	for (i = 0; i < ARG_WORDS; i++) {
		uniq(&w.k[i]);
		uniq(&w.m[i]);
	}
	/* A program may read an argument only after another one matched:
	 * widen the set until the vectors find no new one. */
	for (round = 0; round < 3; round++) {
		out->n = 0;
		build(&w, used, out);
		seen = used;
		for (i = 0; i < out->n; i++)
			seen |= args_read(t, n, arch, nr, out->v[i].a);
		if (seen == used)
			break;
		used = seen;
	}
	for (i = 0; i < ARG_WORDS; i++) {
		VEC_FREE(&w.k[i]);
		VEC_FREE(&w.m[i]);
	}
}
