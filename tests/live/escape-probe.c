/* SPDX-License-Identifier: MIT */
/*
 * escape-probe.c - one attempt of tests/live/run-escape.sh, and how it
 * went.
 *
 * Usage: escape-probe ACTION [ARG...]
 *
 *   open-r PATH            open(PATH, O_RDONLY), then close
 *   open-w PATH            open(PATH, O_WRONLY): no O_CREAT, no O_TRUNC,
 *                          and closed without a single write, so that it
 *                          asks the question of a sysctl or cgroup file
 *                          (/proc/sys/kernel/core_pattern) and never
 *                          changes anything
 *   write PATH             open(PATH, O_WRONLY|O_CREAT|O_TRUNC) and write
 *                          one line (a file of the test's own)
 *   kill PID SIG           kill(PID, SIG); the tests use signal 0
 *   connect-abstract NAME  connect a unix stream socket to the abstract
 *                          address "\0NAME"
 *   listen-abstract NAME SECONDS
 *                          bind and listen there, print "listening",
 *                          then stay for SECONDS (the peer for the above)
 *   tiocsti                ioctl(0, TIOCSTI, "x"): push one byte into the
 *                          input of the terminal on standard input;
 *                          prints "tiocsti: RESULT" (a terminal may echo
 *                          the byte next to it)
 *   statvfs PATH           "ro" or "rw": is the mount of PATH read-only
 *   ids                    "RUID EUID CAPEFF": real and effective uid,
 *                          the effective capability set in hex
 *   landlock-abi           the kernel's Landlock ABI version (0: none)
 *
 * Every action but listen-abstract, statvfs, ids and landlock-abi
 * prints "ok" when the call worked, else the errno's name ("EPERM"), and
 * exits 0.  Exit 2 is a usage error.  Built statically and without sanitizers, like
 * try-syscall (Makefile.am), so that it runs under an allow-list
 * Landlock ruleset that grants nothing but its own directory, and as a
 * set-user-ID or file-capability copy without a dynamic loader's say.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1	/* strerrorname_np() */
#endif

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif

#define EXIT_USAGE 2

static int usage(const char *msg)
{
	fprintf(stderr, "escape-probe: %s\n"
		"usage: escape-probe open-r|open-w|write PATH | kill PID SIG |\n"
		"       connect-abstract NAME | listen-abstract NAME SECONDS |\n"
		"       tiocsti | statvfs PATH | ids | landlock-abi\n", msg);
	return EXIT_USAGE;
}

static const char *err_name(int err)
{
	static char buf[32];
	const char *name;

	if (err == 0)
		return "ok";
	name = strerrorname_np(err);
	if (name)
		return name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static int say(const char *prefix, int err)
{
	printf("%s%s\n", prefix, err_name(err));
	return fflush(stdout) == 0 ? 0 : 1;
}

static int parse_int(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno == 0 && end != s && *end == '\0';
}

static int open_close(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int write_line(const char *path)
{
	static const char line[] = "escape-probe was here\n";
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	int err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, line, sizeof(line) - 1) != (ssize_t)sizeof(line) - 1)
		err = errno ? errno : EIO;
	if (close(fd) < 0 && !err)
		err = errno;
	return err;
}

/* An abstract address: sun_path starts with a NUL; the length counts
 * the name exactly, no terminating NUL. */
static int abstract_addr(const char *name, struct sockaddr_un *sun,
			 socklen_t *len)
{
	size_t n = strlen(name);

	if (n == 0 || n + 1 > sizeof(sun->sun_path))
		return -1;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path + 1, name, n);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
	return 0;
}

static int connect_abstract(const char *name)
{
	struct sockaddr_un sun;
	socklen_t len;
	int fd, err = 0;

	if (abstract_addr(name, &sun, &len) < 0)
		return usage("bad abstract socket name");
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return say("", errno);
	if (connect(fd, (struct sockaddr *)&sun, len) < 0)
		err = errno;
	close(fd);
	return say("", err);
}

static int listen_abstract(const char *name, long secs)
{
	struct sockaddr_un sun;
	socklen_t len;
	int fd;

	if (abstract_addr(name, &sun, &len) < 0)
		return usage("bad abstract socket name");
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, len) < 0 ||
	    listen(fd, 16) < 0)
		return say("", errno);
	if (say("listening: ", 0))
		return 1;
	/* Connections wait in the backlog: connect() succeeds without an
	 * accept(). */
	sleep((unsigned)secs);
	close(fd);
	return 0;
}

static int print_ids(void)
{
	struct __user_cap_header_struct hdr = {
		_LINUX_CAPABILITY_VERSION_3, 0
	};
	struct __user_cap_data_struct data[2];
	unsigned long long eff;

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return say("", errno);
	eff = data[0].effective | (unsigned long long)data[1].effective << 32;
	printf("%u %u %016llx\n", (unsigned)getuid(), (unsigned)geteuid(),
	       eff);
	return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct statvfs sv;
	long a, b;

	if (argc < 2)
		return usage("no action given");
	if (argc == 3 && strcmp(argv[1], "open-r") == 0)
		return say("", open_close(argv[2], O_RDONLY));
	if (argc == 3 && strcmp(argv[1], "open-w") == 0)
		return say("", open_close(argv[2], O_WRONLY));
	if (argc == 3 && strcmp(argv[1], "write") == 0)
		return say("", write_line(argv[2]));
	if (argc == 4 && strcmp(argv[1], "kill") == 0) {
		if (!parse_int(argv[2], &a) || !parse_int(argv[3], &b) ||
		    a <= 0 || b < 0 || b > 64)
			return usage("kill takes a pid and a signal number");
		return say("", kill((pid_t)a, (int)b) < 0 ? errno : 0);
	}
	if (argc == 3 && strcmp(argv[1], "connect-abstract") == 0)
		return connect_abstract(argv[2]);
	if (argc == 4 && strcmp(argv[1], "listen-abstract") == 0) {
		if (!parse_int(argv[3], &a) || a < 0 || a > 3600)
			return usage("listen-abstract takes a number of seconds");
		return listen_abstract(argv[2], a);
	}
	if (argc == 2 && strcmp(argv[1], "tiocsti") == 0) {
		char c = 'x';

		return say("tiocsti: ",
			   ioctl(0, TIOCSTI, &c) < 0 ? errno : 0);
	}
	if (argc == 3 && strcmp(argv[1], "statvfs") == 0) {
		if (statvfs(argv[2], &sv) < 0)
			return say("", errno);
		printf("%s\n", sv.f_flag & ST_RDONLY ? "ro" : "rw");
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (argc == 2 && strcmp(argv[1], "ids") == 0)
		return print_ids();
	if (argc == 2 && strcmp(argv[1], "landlock-abi") == 0) {
		/* landlock_create_ruleset(NULL, 0, ..._VERSION): a query. */
		a = syscall(SYS_landlock_create_ruleset, NULL, 0, 1L);
		printf("%ld\n", a < 0 ? 0L : a);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	return usage("unknown action or wrong number of arguments");
}
