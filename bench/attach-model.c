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
 *     attach-model [RUNS]
 */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Median attach time of prog[0..n), in microseconds. */
static double attach_us(unsigned n, unsigned runs)
{
	int64_t *t = calloc(runs, sizeof(*t));
	unsigned r;
	double m;

	if (!t)
		exit(1);
	for (r = 0; r < runs; r++) {
		int p[2];
		pid_t pid;

		if (pipe(p) < 0 || (pid = fork()) < 0)
			exit(1);
		if (pid == 0) {
			struct sock_fprog fp = { (unsigned short)n, prog };
			int64_t a, d;

			/* An unprivileged filter needs no_new_privs. */
			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
				_exit(1);
			a = now_ns();
			if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
				    &fp) < 0)
				_exit(1);
			d = now_ns() - a;
			_exit(write(p[1], &d, sizeof(d)) == sizeof(d) ? 0 : 1);
		}
		if (read(p[0], &t[r], sizeof(t[r])) != sizeof(t[r]))
			exit(1);
		close(p[0]);
		close(p[1]);
		waitpid(pid, NULL, 0);
	}
	qsort(t, runs, sizeof(*t), cmp64);
	m = (double)t[runs / 2] / 1e3;
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

int main(int argc, char **argv)
{
	static const unsigned sizes[] = { 3, 100, 230, 460, 1000 };
	static const unsigned paths[] = { 3, 10, 20, 40 };
	unsigned runs = argc > 1 ? (unsigned)atoi(argv[1]) : 200, i;
	double base = 0, big = 0, p0 = 0, p1 = 0;

	if (runs == 0)
		runs = 1;
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
	return 0;
}
