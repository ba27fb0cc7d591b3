/* SPDX-License-Identifier: MIT */
/*
 * record-prog.c - a workload for tests/live/run-record.sh: three
 * threads and a short-lived child talking over a socketpair, then a
 * file written in the directory given.  With a second argument it also
 * tries one thing the recorded run never did, and prints how that
 * ended ("unshare: EPERM"), so the test can tell a denial from a crash.
 *
 *   record-prog DIR                 the workload
 *   record-prog DIR unshare         + unshare(CLONE_NEWUSER)
 *   record-prog DIR inet6           + socket(AF_INET6, SOCK_DGRAM)
 *   record-prog DIR write PATH      + create PATH
 *   record-prog DIR exec PROGRAM    + exec PROGRAM
 *
 * Built as a static 32-bit x86 program too (gcc -m32 -static), where
 * the same calls go through the i386 entry points.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int sv[2];

static void *worker(void *arg)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "thread %ld\n", (long)arg);

	sched_yield();
	/* One write per line: the order between threads may vary, the
	 * lines do not. */
	if (write(sv[0], line, (size_t)n) != n)
		perror("write");
	return NULL;
}

static const char *err_name(int e)
{
	switch (e) {
	case 0: return "ok";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case ENOSYS: return "ENOSYS";
	default: return strerror(e);
	}
}

static int evil(char **argv)
{
	int rc = 0;

	errno = 0;
	if (!strcmp(argv[2], "unshare")) {
		rc = unshare(CLONE_NEWUSER);
	} else if (!strcmp(argv[2], "inet6")) {
		rc = socket(AF_INET6, SOCK_DGRAM, 0);
	} else if (!strcmp(argv[2], "write") && argv[3]) {
		rc = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	} else if (!strcmp(argv[2], "exec") && argv[3]) {
		execl(argv[3], argv[3], "-c", "echo escaped", (char *)NULL);
		rc = -1;
	} else {
		fprintf(stderr, "record-prog: unknown '%s'\n", argv[2]);
		return 2;
	}
	printf("%s: %s\n", argv[2], rc < 0 ? err_name(errno) : "ok");
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t t[3];
	char buf[256], *path;
	long i;
	ssize_t k;
	pid_t pid;
	int st, fd;

	if (argc < 2) {
		fprintf(stderr, "usage: record-prog DIR [WHAT [ARG]]\n");
		return 2;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return perror("socketpair"), 1;
	for (i = 0; i < 3; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i))
			return 1;
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	pid = fork();
	if (pid < 0)
		return perror("fork"), 1;
	if (pid == 0) {
		/* The child: reads what the threads wrote, says how much. */
		int total = 0;

		shutdown(sv[0], SHUT_WR);
		while (total < 27 && (k = read(sv[1], buf, sizeof(buf))) > 0)
			total += (int)k;
		printf("child read %d bytes\n", total);
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 1;
	path = malloc(strlen(argv[1]) + 16);
	sprintf(path, "%s/out.txt", argv[1]);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "done\n", 5) != 5 || close(fd) < 0)
		return perror(path), 1;
	free(path);
	printf("parent: child exited %d\n", WEXITSTATUS(st));
	fflush(stdout);
	if (argc > 2)
		return evil(argv);
	return 0;
}
