/* SPDX-License-Identifier: MIT */
/*
 * complain-prog.c - the workload of run-complain.sh: what a policy may
 * deny, each step printing its outcome, so that a run that was denied
 * something prints otherwise than a bare one.
 *
 *   complain-prog DIR OUTSIDE [PORT]
 *     mkdir DIR/new, a socket(AF_INET6, SOCK_STREAM), a file written
 *     at OUTSIDE and read back, a TCP connect to 127.0.0.1:PORT (where
 *     nothing listens: refused, unless a policy denies it first), then
 *     a child process that does the same mkdir again (EEXIST) and
 *     exits 3, reaped.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void step(const char *what, int rc)
{
	printf("%s: %s\n", what, rc < 0 ? strerror(errno) : "ok");
}

int main(int argc, char **argv)
{
	char path[4096], buf[16] = { 0 };
	int fd, st;
	pid_t pid;

	if (argc != 3 && argc != 4)
		return 2;
	snprintf(path, sizeof(path), "%s/new", argv[1]);
	step("mkdir", mkdir(path, 0755));
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	step("socket inet6", fd);
	if (fd >= 0)
		close(fd);
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	step("create outside", fd);
	if (fd >= 0) {
		step("write outside", (int)write(fd, "hello\n", 6));
		close(fd);
		fd = open(argv[2], O_RDONLY);
		if (fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0)
			printf("read back: %s", buf);
		if (fd >= 0)
			close(fd);
	}
	if (argc == 4) {
		struct sockaddr_in sa = { .sin_family = AF_INET };

		sa.sin_port = htons((uint16_t)atoi(argv[3]));
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		step("connect", fd < 0 ? fd :
		     connect(fd, (struct sockaddr *)&sa, sizeof(sa)));
		if (fd >= 0)
			close(fd);
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		step("child mkdir", mkdir(path, 0755));
		fflush(stdout);
		_exit(3);
	}
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		printf("child exit %d\n", WEXITSTATUS(st));
	return 0;
}
