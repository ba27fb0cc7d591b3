/* SPDX-License-Identifier: MIT */
/*
 * try-syscall.c - make one system call and say how it went.
 *
 * Usage: try-syscall [--filter FILE.bpf] [--abi x86_64|i386|x32]
 *                    SYSCALL [ARG...]
 *
 * SYSCALL is a name from the small table below or a number; each ARG is
 * an integer (decimal, 0x hex, 0 octal, or negative) passed as is, all
 * 64 bits of it.  The probe prints "ok" when the call returns anything
 * but an error, else the errno's name ("EPERM"), and exits 0.  A filter
 * whose action kills the process shows as death by SIGSYS.  Exit 2 is a
 * usage error, 3 a filter that could not be loaded.
 *
 * The idea is bubblewrap's tests/try-syscall.c: the live tests pass a
 * bad pointer or fd (NULL, -1) wherever they can, so that an allowed
 * call fails harmlessly with its natural error (EFAULT, EBADF) and a
 * call the filter refuses shows the policy's errno instead.
 *
 * --filter loads a raw struct sock_filter[] (leash's NAME.bpf, what
 * `bwrap --seccomp` reads) first: the smallest possible loader, so the
 * kernel test depends on no runtime.  After the filter is loaded the
 * probe makes exactly three system calls: the one under test, write()
 * and exit_group(); an allow-list policy for it needs only the last two.
 *
 * --abi i386 enters the kernel through int $0x80 (the 32-bit x86 ABI,
 * numbers from that ABI's table, five arguments at most); --abi x32
 * sets the x32 bit 0x40000000 in the number.  The filter sees a
 * different architecture, or the x32 bit, and must treat them as the
 * policy's `arch` line says.
 *
 * Two actions that are not one raw call, for Landlock tests, print the
 * same way:  "create PATH" opens PATH with O_CREAT|O_WRONLY (a write
 * inside or outside the allowed trees), "bind-tcp PORT" binds a TCP
 * socket to 127.0.0.1:PORT and "connect-tcp PORT" connects one to it
 * (ECONNREFUSED where nothing listens, EACCES where Landlock forbids).  They take no --filter or --abi.
 *
 * The probe is built without sanitizers and statically, so it also runs
 * in a busybox rootfs (Makefile.am says why).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1	/* strerrorname_np() */
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define EXIT_FILTER 3

#define X32_SYSCALL_BIT 0x40000000UL

enum abi {
	ABI_NATIVE,
	ABI_I386,
	ABI_X32,
};

struct name_nr {
	const char *name;
	long nr;
};

/* Native numbers of the calls the live tests use by name.  Anything
 * else can be given by number. */
static const struct name_nr native_table[] = {
	{ "read", SYS_read },
	{ "write", SYS_write },
	{ "close", SYS_close },
	{ "lseek", SYS_lseek },
	{ "ioctl", SYS_ioctl },
	{ "getpid", SYS_getpid },
	{ "getppid", SYS_getppid },
	{ "gettid", SYS_gettid },
	{ "mkdirat", SYS_mkdirat },
	{ "unlinkat", SYS_unlinkat },
	{ "socket", SYS_socket },
	{ "socketpair", SYS_socketpair },
	{ "clone", SYS_clone },
#ifdef SYS_clone3
	{ "clone3", SYS_clone3 },
#endif
	{ "unshare", SYS_unshare },
	{ "setns", SYS_setns },
	{ "personality", SYS_personality },
	{ "chroot", SYS_chroot },
	{ "mount", SYS_mount },
	{ "umount2", SYS_umount2 },
	{ "acct", SYS_acct },
	{ "ptrace", SYS_ptrace },
	{ "keyctl", SYS_keyctl },
	{ "add_key", SYS_add_key },
	{ "bpf", SYS_bpf },
	{ "syslog", SYS_syslog },
#if defined(__x86_64__)
	{ "mkdir", SYS_mkdir },
	{ "rmdir", SYS_rmdir },
	{ "uselib", SYS_uselib },
#endif
};

#if defined(__x86_64__)
/* The 32-bit x86 numbers (arch/x86/entry/syscalls/syscall_32.tbl) of
 * the few calls the tests make through int $0x80. */
static const struct name_nr i386_table[] = {
	{ "getpid", 20 },
	{ "getppid", 64 },
	{ "mkdir", 39 },
	{ "rmdir", 40 },
	{ "personality", 136 },
	{ "socketcall", 102 },
	{ "socket", 359 },
	{ "unshare", 310 },
};
#endif

static int usage(const char *msg)
{
	fprintf(stderr, "try-syscall: %s\n"
		"usage: try-syscall [--filter FILE.bpf] [--abi x86_64|i386|x32] "
		"SYSCALL [ARG...]\n", msg);
	return EXIT_USAGE;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	bool neg = false;
	unsigned long long v;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0')
		return false;
	*out = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	return true;
}

static bool lookup(const struct name_nr *t, size_t n, const char *name,
		   long *nr)
{
	size_t i;
	uint64_t v;

	for (i = 0; i < n; i++) {
		if (strcmp(t[i].name, name) == 0) {
			*nr = t[i].nr;
			return true;
		}
	}
	if (!parse_u64(name, &v) || v > 0x7fffffffUL)
		return false;
	*nr = (long)v;
	return true;
}

/*
 * Read @path whole into a sock_fprog.  The file is what leash (or
 * seccomp_export_bpf()) writes: nothing but instructions, in host byte
 * order.  Returns 0, or -1 with a message printed.
 */
static int read_filter(const char *path, struct sock_fprog *prog)
{
	static struct sock_filter insns[BPF_MAXINSNS + 1];
	size_t got = 0;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "try-syscall: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		r = read(fd, (char *)insns + got, sizeof(insns) - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
		if (got == sizeof(insns))
			break;
	}
	close(fd);
	if (r < 0) {
		fprintf(stderr, "try-syscall: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (got == 0 || got % sizeof(insns[0]) != 0 ||
	    got / sizeof(insns[0]) > BPF_MAXINSNS) {
		fprintf(stderr, "try-syscall: %s: %zu bytes is no filter "
			"(a multiple of %zu, at most %d instructions)\n",
			path, got, sizeof(insns[0]), BPF_MAXINSNS);
		return -1;
	}
	prog->len = (unsigned short)(got / sizeof(insns[0]));
	prog->filter = insns;
	return 0;
}

static int load_filter(const struct sock_fprog *prog)
{
	/* NOTE: without no_new_privs only CAP_SYS_ADMIN may install a
	 * filter; setting it first makes the probe work for any user,
	 * exactly as bwrap and runc do it. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) != 0) {
		fprintf(stderr, "try-syscall: PR_SET_NO_NEW_PRIVS: %s\n",
			strerror(errno));
		return -1;
	}
	/* seccomp() rather than prctl(PR_SET_SECCOMP): the same in the
	 * kernel, and glibc has no wrapper for either.  No flags: a plain
	 * filter for this thread, inherited by nothing since the probe
	 * never creates another thread. */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0UL, prog) != 0) {
		fprintf(stderr, "try-syscall: seccomp(SECCOMP_SET_MODE_FILTER): %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

#if defined(__x86_64__)
/*
 * The 32-bit x86 entry from a 64-bit process: the kernel takes the
 * number in eax, arguments in ebx, ecx, edx, esi, edi (ebp, the sixth,
 * is left out: the compiler may need rbp).  Seccomp sees
 * AUDIT_ARCH_I386.  The kernel preserves r8-r11 here since Linux 4.17;
 * they are listed as clobbered for older ones.
 */
static long syscall_i386(long nr, const uint64_t *a)
{
	unsigned int eax = (unsigned int)nr;

	__asm__ volatile("int $0x80"
			 : "+a"(eax)
			 : "b"((unsigned int)a[0]), "c"((unsigned int)a[1]),
			   "d"((unsigned int)a[2]), "S"((unsigned int)a[3]),
			   "D"((unsigned int)a[4])
			 : "memory", "cc", "r8", "r9", "r10", "r11");
	return (long)(int)eax;
}
#endif

static void say(const char *s)
{
	size_t len = strlen(s);
	ssize_t r;

	while (len > 0) {
		r = write(STDOUT_FILENO, s, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		s += r;
		len -= (size_t)r;
	}
}

static void say_result(int err)
{
	char out[64];

	if (err == 0) {
		say("ok\n");
	} else {
		const char *ename = strerrorname_np(err);

		if (ename != NULL)
			snprintf(out, sizeof(out), "%s\n", ename);
		else
			snprintf(out, sizeof(out), "E%d\n", err);
		say(out);
	}
}

/* "create PATH", "bind-tcp PORT", "connect-tcp PORT": see the header.
 * Returns the exit status, or -1 when @argv names no such action. */
static int action(int argc, char **argv)
{
	struct sockaddr_in sin;
	uint64_t port;
	int fd, err = 0;

	if (argc == 3 && strcmp(argv[1], "create") == 0) {
		fd = open(argv[2], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			err = errno;
		else
			close(fd);
		say_result(err);
		return 0;
	}
	if (argc == 3 && (strcmp(argv[1], "bind-tcp") == 0 ||
			  strcmp(argv[1], "connect-tcp") == 0)) {
		bool bind_it = argv[1][0] == 'b';

		if (!parse_u64(argv[2], &port) || port > 65535)
			return usage("bind-tcp and connect-tcp take a port "
				     "number");
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			say_result(errno);
			return 0;
		}
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)port);
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if ((bind_it ? bind(fd, (struct sockaddr *)&sin, sizeof(sin)) :
			       connect(fd, (struct sockaddr *)&sin,
				       sizeof(sin))) < 0)
			err = errno;
		close(fd);
		say_result(err);
		return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	const char *filter = NULL;
	struct sock_fprog prog = { 0 };
	enum abi abi = ABI_NATIVE;
	uint64_t a[6] = { 0 };
	const char *name;
	long nr = -1, ret;
	int i, nargs, err = 0;

	if ((i = action(argc, argv)) >= 0)
		return i;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc) {
			filter = argv[++i];
		} else if (strcmp(argv[i], "--abi") == 0 && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "x86_64") == 0)
				abi = ABI_NATIVE;
			else if (strcmp(argv[i], "i386") == 0)
				abi = ABI_I386;
			else if (strcmp(argv[i], "x32") == 0)
				abi = ABI_X32;
			else
				return usage("unknown --abi");
		} else {
			return usage("unknown option");
		}
	}
	if (i >= argc)
		return usage("no syscall given");
	name = argv[i++];
	nargs = argc - i;
	if (nargs > 6)
		return usage("at most 6 arguments");
	for (int k = 0; k < nargs; k++)
		if (!parse_u64(argv[i + k], &a[k]))
			return usage("an argument is not an integer");

#if !defined(__x86_64__)
	if (abi != ABI_NATIVE)
		return usage("--abi i386 and x32 need an x86_64 build");
#endif
	if (abi == ABI_I386) {
#if defined(__x86_64__)
		if (nargs > 5)
			return usage("--abi i386: at most 5 arguments");
		if (!lookup(i386_table, sizeof(i386_table) / sizeof(i386_table[0]),
			    name, &nr))
			return usage("unknown i386 syscall (give its number)");
#endif
	} else if (!lookup(native_table,
			   sizeof(native_table) / sizeof(native_table[0]),
			   name, &nr)) {
		return usage("unknown syscall (give its number)");
	}
	if (abi == ABI_X32)
		nr |= (long)X32_SYSCALL_BIT;

	if (filter != NULL && read_filter(filter, &prog) != 0)
		return EXIT_FILTER;

	/* No core file when the filter kills the probe on purpose (the
	 * kernel's core_pattern here is a plain "core" in the cwd).
	 * Failure does not matter: it only risks a stray file. */
	(void)prctl(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L);

	if (filter != NULL && load_filter(&prog) != 0)
		return EXIT_FILTER;

	/* From here on: the call, write(), exit_group(). */
#if defined(__x86_64__)
	if (abi == ABI_I386) {
		ret = syscall_i386(nr, a);
		if (ret < 0 && ret >= -4095) {
			err = (int)-ret;
			ret = -1;
		}
	} else
#endif
	{
		errno = 0;
		ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		err = ret == -1 ? errno : 0;
	}

	/* A clone() or fork() that worked: the child (its syscall()
	 * returns 0; the parent's returns a pid) has nothing to say. */
	if (ret == 0 && err == 0 && abi == ABI_NATIVE &&
	    (nr == SYS_clone
#ifdef SYS_fork
	     || nr == SYS_fork
#endif
#ifdef SYS_clone3
	     || nr == SYS_clone3
#endif
	    ))
		_exit(0);

	say_result(err);
	_exit(0);
}
