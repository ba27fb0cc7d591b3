/* SPDX-License-Identifier: MIT */
/*
 * seccomp-dump.c - write the seccomp filters a running process holds,
 * as the kernel keeps them, so a live test can compare them with the
 * NAME.bpf leash wrote.
 *
 * Usage: seccomp-dump PID
 *        seccomp-dump -o OUT PID
 *
 * Prints one line per filter, newest first: "filter N: LEN instructions
 * HEX", HEX being the filter's bytes as the kernel returns them (struct
 * sock_filter[], host order), which a test compares with
 * `od -An -v -tx1 NAME.bpf` (run-crun-bpf.sh).  With -o, the process
 * must hold exactly one filter (a container gets one), written raw to
 * OUT: the format of NAME.bpf, which 'leash diff' reads (run-k8s.sh).
 * Exit 0 when the process holds at least one filter (-o: exactly one),
 * 1 when it holds none (or more than one), 2 on a usage error, 3 when
 * the kernel would not say or OUT cannot be written.
 *
 * The kernel hands a filter out only to a tracer with CAP_SYS_ADMIN that
 * runs under no filter itself, and only while the tracee is stopped
 * (PTRACE_SECCOMP_GET_FILTER, ptrace(2)): so this attaches, waits for the
 * stop, reads every filter and detaches, and the tracee goes on as if
 * nothing happened.  A runtime loads the program it is given unchanged
 * (a classic BPF filter is not rewritten on load), so equal bytes mean
 * the runtime loaded exactly leash's filter.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

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

#define MAX_FILTERS 64	/* more than any runtime stacks */

static int dump(pid_t pid, const char *out)
{
	long i, n, found = 0;
	FILE *raw;

	for (i = 0; i < MAX_FILTERS; i++) {
		struct sock_filter *f;
		long k;

		/* With a NULL buffer the call returns the length. */
		n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)i, NULL);
		if (n < 0 && errno == ENOENT)
			break;	/* no filter at this depth */
		if (n < 0) {
			fprintf(stderr, "seccomp-dump: filter %ld: %s\n", i,
				strerror(errno));
			return 3;
		}
		f = calloc((size_t)n, sizeof(*f));
		if (!f) {
			fprintf(stderr, "seccomp-dump: out of memory\n");
			return 3;
		}
		if (ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)i, f) != n) {
			fprintf(stderr, "seccomp-dump: filter %ld: %s\n", i,
				strerror(errno));
			free(f);
			return 3;
		}
		found++;
		if (out && i > 0) {
			fprintf(stderr, "seccomp-dump: %d holds more than one "
				"filter\n", (int)pid);
			free(f);
			return 1;
		}
		if (out && ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)1,
				  NULL) >= 0) {
			fprintf(stderr, "seccomp-dump: %d holds more than one "
				"filter\n", (int)pid);
			free(f);
			return 1;
		}
		if (out) {
			raw = fopen(out, "wb");
			if (!raw ||
			    fwrite(f, sizeof(*f), (size_t)n, raw) != (size_t)n ||
			    fclose(raw) != 0) {
				fprintf(stderr, "seccomp-dump: %s: %s\n", out,
					strerror(errno));
				free(f);
				return 3;
			}
			free(f);
			return 0;
		}
		printf("filter %ld: %ld instructions ", i, n);
		for (k = 0; k < n * (long)sizeof(*f); k++)
			printf("%02x", ((const unsigned char *)f)[k]);
		printf("\n");
		free(f);
	}
	return found ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	pid_t pid;
	char *end;
	int status, rc;

	if (argc == 4 && strcmp(argv[1], "-o") == 0) {
		out = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: seccomp-dump [-o OUT] PID\n");
		return 2;
	}
	errno = 0;
	pid = (pid_t)strtol(argv[1], &end, 10);
	if (errno || *end || pid <= 0) {
		fprintf(stderr, "seccomp-dump: bad pid '%s'\n", argv[1]);
		return 2;
	}
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0) {
		fprintf(stderr, "seccomp-dump: attach %d: %s\n", (int)pid,
			strerror(errno));
		return 3;
	}
	if (waitpid(pid, &status, __WALL) < 0 || !WIFSTOPPED(status)) {
		fprintf(stderr, "seccomp-dump: %d did not stop\n", (int)pid);
		return 3;
	}
	rc = dump(pid, out);
	fflush(stdout);
	/* Detach; the SIGSTOP of the attach is consumed, not delivered. */
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return rc;
}
