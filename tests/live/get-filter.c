/* SPDX-License-Identifier: MIT */
/*
 * get-filter.c - write the seccomp filter a running process has loaded,
 * as the kernel holds it, to a file: raw struct sock_filter[], the
 * format of NAME.bpf, which 'leash diff' reads.  For tests/live/run-k8s.sh,
 * which compares the filter runc and crun load from an SPO
 * SeccompProfile with the one they load from NAME.seccomp.json.
 *
 *   get-filter PID OUT
 *
 * PTRACE_SECCOMP_GET_FILTER (Linux 4.4) needs CAP_SYS_ADMIN and a
 * ptrace-stopped tracee: the process is seized, interrupted, read and
 * detached, and goes on as before.  Index 0 is the filter installed
 * last; a process with more than one is refused (a container gets one).
 * Exit status: 0, 1 on any failure (with a message), 2 on bad usage.
 */
#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

static int fail(const char *what)
{
	fprintf(stderr, "get-filter: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	struct sock_filter *prog;
	long n, more;
	pid_t pid;
	FILE *out;
	int st;

	if (argc != 3) {
		fprintf(stderr, "usage: get-filter PID OUT\n");
		return 2;
	}
	pid = (pid_t)strtol(argv[1], NULL, 10);
	if (pid <= 0) {
		fprintf(stderr, "get-filter: bad pid '%s'\n", argv[1]);
		return 2;
	}
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0)
		return fail("PTRACE_SEIZE");
	if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0)
		return fail("PTRACE_INTERRUPT");
	if (waitpid(pid, &st, __WALL) < 0)
		return fail("waitpid");
	n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, NULL);
	if (n <= 0)
		return fail("PTRACE_SECCOMP_GET_FILTER (no filter?)");
	/* A second filter (index 1) would mean two were stacked. */
	more = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 1, NULL);
	if (more >= 0) {
		fprintf(stderr, "get-filter: %d has more than one filter\n",
			(int)pid);
		return 1;
	}
	prog = calloc((size_t)n, sizeof(*prog));
	if (!prog)
		return fail("calloc");
	if (ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, prog) != n)
		return fail("PTRACE_SECCOMP_GET_FILTER");
	ptrace(PTRACE_DETACH, pid, 0, 0);
	out = fopen(argv[2], "wb");
	if (!out)
		return fail(argv[2]);
	if (fwrite(prog, sizeof(*prog), (size_t)n, out) != (size_t)n ||
	    fclose(out) != 0)
		return fail(argv[2]);
	free(prog);
	return 0;
}
