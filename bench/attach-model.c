/* SPDX-License-Identifier: MIT */
/*
 * attach-model.c - what the kernel charges for attaching a seccomp
 * filter, per instruction held and per instruction on the path that its
 * constant-action cache emulates (bench/run.sh runs it last).
 *
 * seccomp(SECCOMP_SET_MODE_FILTER) converts and JITs every instruction
 * (a static cost), then seccomp_cache_prepare() emulates the filter once
 * per syscall number of the native and the compat arch (x86_64 and
 * i386: some 940 runs) up to the first RET or argument load.  Two
 * families of synthetic filters separate the two costs:
 *   size N  ld nr; ja end; N-3 never-run jeq; ret ALLOW
 *           (the path is 3 instructions whatever N)
 *   path P  ld nr; P-2 jeq that all fall through; ret ALLOW
 * Each figure is the median of RUNS attaches, each in a fresh child,
 * timed around the one system call.
 *
 * Then, for each FILE (a raw filter, as bench/run.sh's leash native and
 * runc -O2 filters of docker-default), the same split on a real filter:
 * the filter as it is, and the filter behind a leading "ret ALLOW" (the
 * same instructions to convert and JIT, but the cache emulates one
 * instruction per number), interleaved.  The difference is what the
 * emulation of its paths costs.  Also printed: the eBPF instructions the
 * kernel makes of it (see ebpf_len()) and the instructions the cache
 * emulates over the numbers 0..462 of x86_64 and of i386.
 *
 *     attach-model [RUNS [FILE...]]
 */
#define _GNU_SOURCE
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct sock_filter prog[BPF_MAXINSNS];

static int64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Where the child puts its figure: -1 while it runs, -2 on failure. */
static volatile int64_t *slot;

/*
 * One attach of @f[0..n) in a fresh child, in nanoseconds.  The figure
 * comes back through shared memory and the parent kills the child: a
 * real filter may refuse whatever the child would do next, exit included.
 */
static int64_t attach_once(const struct sock_filter *f, unsigned n)
{
	int64_t start = now_ns(), t;
	pid_t pid;

	*slot = -1;
	pid = fork();
	if (pid < 0)
		exit(1);
	if (pid == 0) {
		struct sock_fprog fp = { (unsigned short)n,
					 (struct sock_filter *)f };
		int64_t a, d;

		/* An unprivileged filter needs no_new_privs. */
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
			*slot = -2;
			_exit(1);
		}
		a = now_ns();
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
			d = -2;
		else
			d = now_ns() - a;
		*slot = d;
		for (;;)
			;	/* killed by the parent */
	}
	while ((t = *slot) == -1) {
		if (now_ns() - start > 10000000000ll) {
			fprintf(stderr, "attach-model: the child hangs\n");
			kill(pid, SIGKILL);
			exit(1);
		}
		sched_yield();
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (t < 0) {
		fprintf(stderr, "attach-model: the filter did not load\n");
		exit(1);
	}
	return t;
}

static double median_us(int64_t *t, unsigned runs)
{
	qsort(t, runs, sizeof(*t), cmp64);
	return (double)t[runs / 2] / 1e3;
}

/* Median attach time of prog[0..n), in microseconds. */
static double attach_us(unsigned n, unsigned runs)
{
	int64_t *t = calloc(runs, sizeof(*t));
	unsigned r;
	double m;

	if (!t)
		exit(1);
	for (r = 0; r < runs; r++)
		t[r] = attach_once(prog, n);
	m = median_us(t, runs);
	free(t);
	return m;
}

static void fill(unsigned n, unsigned path)
{
	unsigned i;

	prog[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
				offsetof(struct seccomp_data, nr));
	for (i = 1; i + 1 < n; i++)
		prog[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						       0xffffffff, 0, 0);
	if (path < n)	/* skip the rest (JA: past 255 too): path 3 */
		prog[1] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, n - 3);
	prog[n - 1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						   SECCOMP_RET_ALLOW);
}

/*
 * How many eBPF instructions bpf_convert_filter() (net/core/filter.c)
 * makes of a seccomp filter: a 3-instruction prologue; RET K is a MOV
 * and an EXIT; a conditional jump with an immediate that is negative as
 * an s32 first moves it into a register; the jump itself is one
 * instruction when its false branch is the next one, or its true branch
 * for JEQ/JGT/JGE (inverted into JNE/JLE/JLT, JSET is not), else a Jxx
 * and a JA.
 */
static unsigned ebpf_len(const struct sock_filter *f, unsigned n)
{
	unsigned len = 3, i;

	for (i = 0; i < n; i++) {
		const struct sock_filter *in = &f[i];

		if (BPF_CLASS(in->code) == BPF_RET) {
			len += BPF_RVAL(in->code) == BPF_K ? 2 : 1;
		} else if (BPF_CLASS(in->code) != BPF_JMP ||
			   BPF_OP(in->code) == BPF_JA) {
			len += 1;
		} else {
			if (BPF_SRC(in->code) == BPF_K && (int32_t)in->k < 0)
				len++;
			if (in->jf == 0 || (in->jt == 0 &&
					    BPF_OP(in->code) != BPF_JSET))
				len += 1;
			else
				len += 2;
		}
	}
	return len;
}

/*
 * Instructions seccomp_is_const_allow() runs for (@arch, @nr): up to the
 * first RET or the first instruction it does not emulate (any load but
 * nr and arch, any ALU but AND K, jumps with X).
 */
static unsigned emulated(const struct sock_filter *f, unsigned n,
			 uint32_t arch, uint32_t nr)
{
	uint32_t a = 0;
	unsigned pc, steps = 0;
	bool taken;

	for (pc = 0; pc < n; pc++) {
		const struct sock_filter *in = &f[pc];

		steps++;
		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (in->k == offsetof(struct seccomp_data, nr))
				a = nr;
			else if (in->k == offsetof(struct seccomp_data, arch))
				a = arch;
			else
				return steps;
			continue;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= in->k;
			continue;
		case BPF_JMP | BPF_JA:
			pc += in->k;
			continue;
		case BPF_JMP | BPF_JEQ | BPF_K:
			taken = a == in->k;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			taken = a > in->k;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			taken = a >= in->k;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			taken = (a & in->k) != 0;
			break;
		default:	/* RET, or not emulated */
			return steps;
		}
		pc += taken ? in->jt : in->jf;
	}
	return steps;
}

/* The split of one real filter's attach time; see the top. */
static void split_file(const char *path, unsigned runs)
{
	static struct sock_filter f[BPF_MAXINSNS + 1];
	int64_t *t = calloc(2 * (size_t)runs, sizeof(*t));
	unsigned long e64 = 0, e32 = 0;
	double whole, held;
	unsigned n, r, nr;
	FILE *in = fopen(path, "rb");
	size_t got;

	if (!in || !t) {
		perror(path);
		exit(1);
	}
	got = fread(f + 1, sizeof(*f), BPF_MAXINSNS, in);
	fclose(in);
	if (got == 0 || got == BPF_MAXINSNS) {
		fprintf(stderr, "attach-model: %s: not a filter of 1..%d "
			"instructions\n", path, BPF_MAXINSNS - 1);
		exit(1);
	}
	n = (unsigned)got;
	f[0] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					    SECCOMP_RET_ALLOW);
	/* t[0..runs): the filter, t[runs..): behind "ret ALLOW" */
	for (r = 0; r < runs; r++) {	/* alternate which goes first */
		if (r % 2)
			t[runs + r] = attach_once(f, n + 1);
		t[r] = attach_once(f + 1, n);
		if (!(r % 2))
			t[runs + r] = attach_once(f, n + 1);
	}
	whole = median_us(t, runs);
	held = median_us(t + runs, runs);
	for (nr = 0; nr <= 462; nr++) {
		e64 += emulated(f + 1, n, AUDIT_ARCH_X86_64, nr);
		e32 += emulated(f + 1, n, AUDIT_ARCH_I386, nr);
	}
	printf("| %s | %u | %u | %.2f | %.2f | %.1f | %.1f | %.1f |\n",
	       path, n, ebpf_len(f + 1, n), e64 / 463.0, e32 / 463.0, whole,
	       held, whole - held);
	free(t);
}

int main(int argc, char **argv)
{
	static const unsigned sizes[] = { 3, 100, 230, 460, 1000 };
	static const unsigned paths[] = { 3, 10, 20, 40 };
	unsigned runs = argc > 1 ? (unsigned)atoi(argv[1]) : 200, i;
	double base = 0, big = 0, p0 = 0, p1 = 0;

	if (runs == 0)
		runs = 1;
	slot = mmap(NULL, sizeof(*slot), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (slot == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("| filter | instructions | path | attach µs (median) |\n"
	       "|---|--:|--:|--:|\n");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fill(sizes[i], 3);
		big = attach_us(sizes[i], runs);
		if (i == 0)
			base = big;
		printf("| size | %u | 3 | %.1f |\n", sizes[i], big);
	}
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		fill(paths[i], paths[i]);
		p1 = attach_us(paths[i], runs);
		if (i == 0)
			p0 = p1;
		printf("| path | %u | %u | %.1f |\n", paths[i], paths[i], p1);
	}
	printf("\nAbout %.2f µs per instruction held and %.2f µs per "
	       "instruction on the emulated path (the path figure includes "
	       "its own instructions' static cost).\n",
	       (big - base) / (1000 - 3), (p1 - p0) / (40 - 3));
	if (argc > 2)
		printf("\n| filter | instructions | eBPF | emulated per "
		       "x86_64 nr | per i386 nr | attach µs | instructions "
		       "held only | emulation |\n"
		       "|---|--:|--:|--:|--:|--:|--:|--:|\n");
	for (i = 2; i < (unsigned)argc; i++)
		split_file(argv[i], runs);
	return 0;
}
