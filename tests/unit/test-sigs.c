/* SPDX-License-Identifier: MIT */
/*
 * test-sigs.c - unit tests for the syscall signature table (sigs.h):
 * argument widths the filter must compare on, per-arch differences, and
 * that every syscall leash knows has a signature unless the kernel does
 * not define it.
 *
 * Expected widths are written out by hand from the SYSCALL_DEFINE lines
 * of Linux 6.1 (cited per test), not read back from the generator, so a
 * generator bug cannot agree with itself.
 */
#include "common/sigs.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* Argument @idx of @name is called @arg and is @width bits wide. */
static void expect_arg(const char *name, unsigned idx, const char *arg,
		       unsigned width)
{
	const struct syscall_sig *s = sig_lookup(name);

	ck_assert_msg(s != NULL, "no signature for %s", name);
	ck_assert_msg(idx < s->nargs, "%s has %u arguments, not %u", name,
		      (unsigned)s->nargs, idx + 1);
	ck_assert_str_eq(s->arg[idx], arg);
	ck_assert_msg(sig_arg_width(name, idx) == width,
		      "%s argument %u (%s): width %u, expected %u", name, idx,
		      arg, sig_arg_width(name, idx), width);
}

/* ---- generic signatures ------------------------------------------------ */

START_TEST(test_socket)
{
	/*
	 * net/socket.c: SYSCALL_DEFINE3(socket, int, family, int, type,
	 * int, protocol).  The reason for the whole table: Docker's profile
	 * compares family on 64 bits, and socket(0x100000028, ...) is an
	 * AF_VSOCK socket to the kernel.
	 */
	ck_assert_uint_eq(sig_lookup("socket")->nargs, 3);
	expect_arg("socket", 0, "family", 32);
	expect_arg("socket", 1, "type", 32);
	expect_arg("socket", 2, "protocol", 32);
}
END_TEST

START_TEST(test_file_io)
{
	/* fs/read_write.c: read(unsigned int fd, char *buf, size_t count) */
	expect_arg("read", 0, "fd", 32);
	expect_arg("read", 1, "buf", 64);
	expect_arg("read", 2, "count", 64);
	/* lseek(unsigned int fd, off_t offset, unsigned int whence) */
	expect_arg("lseek", 0, "fd", 32);
	expect_arg("lseek", 1, "offset", 64);
	expect_arg("lseek", 2, "whence", 32);
	/* fs/fcntl.c: fcntl(unsigned int fd, unsigned int cmd, ulong arg) */
	expect_arg("fcntl", 1, "cmd", 32);
	expect_arg("fcntl", 2, "arg", 64);
	/* fs/ioctl.c: ioctl(unsigned int fd, unsigned int cmd, ulong arg) */
	expect_arg("ioctl", 0, "fd", 32);
	expect_arg("ioctl", 1, "cmd", 32);
	expect_arg("ioctl", 2, "arg", 64);
	/* fs/read_write.c: pread64(unsigned int fd, ..., size_t, loff_t pos) */
	expect_arg("pread64", 3, "pos", 64);
}
END_TEST

START_TEST(test_modes)
{
	/* umode_t is an unsigned short: the kernel reads 16 bits. */
	expect_arg("chmod", 1, "mode", 16);		/* fs/open.c */
	expect_arg("fchmod", 1, "mode", 16);
	expect_arg("openat", 2, "flags", 32);
	expect_arg("openat", 3, "mode", 16);
	expect_arg("mkdir", 1, "mode", 16);		/* fs/namei.c */
	expect_arg("fchmodat2", 2, "mode", 16);		/* Linux 6.6 */
	expect_arg("fchmodat2", 3, "flags", 32);
}
END_TEST

START_TEST(test_process)
{
	/* kernel/signal.c: kill(pid_t pid, int sig) */
	expect_arg("kill", 0, "pid", 32);
	expect_arg("kill", 1, "sig", 32);
	/* kernel/exec_domain.c: personality(unsigned int personality) */
	expect_arg("personality", 0, "personality", 32);
	/*
	 * kernel/fork.c, the !CONFIG_CLONE_BACKWARDS* definition (x86_64,
	 * loongarch64): clone(unsigned long clone_flags, unsigned long newsp,
	 * int *parent_tidptr, int *child_tidptr, unsigned long tls).
	 */
	ck_assert_uint_eq(sig_lookup("clone")->nargs, 5);
	expect_arg("clone", 0, "clone_flags", 64);
	expect_arg("clone", 3, "child_tidptr", 64);
	expect_arg("clone", 4, "tls", 64);
	/* kernel/sys.c: prctl(int option, unsigned long arg2, ...) */
	expect_arg("prctl", 0, "option", 32);
	expect_arg("prctl", 1, "arg2", 64);
	/* kernel/sys.c: setuid(uid_t uid): uid_t is 32 bits */
	expect_arg("setuid", 0, "uid", 32);
	/*
	 * kernel/seccomp.c: seccomp(unsigned int op, unsigned int flags,
	 * void __user *uargs)
	 */
	expect_arg("seccomp", 0, "op", 32);
	expect_arg("seccomp", 2, "uargs", 64);
	ck_assert_uint_eq(sig_lookup("getpid")->nargs, 0);
	ck_assert_uint_eq(sig_lookup("rt_sigreturn")->nargs, 0);
}
END_TEST

START_TEST(test_mmap)
{
	/*
	 * Every 64-bit arch's own mmap (arch/x86/kernel/sys_x86_64.c,
	 * arch/arm64/kernel/sys.c, ...) declares all six arguments
	 * 'unsigned long', and do_mmap() keeps prot and flags as unsigned
	 * long, so the kernel reads them whole: userspace's 'int prot' is
	 * not what the kernel sees.
	 */
	ck_assert_uint_eq(sig_lookup("mmap")->nargs, 6);
	expect_arg("mmap", 0, "addr", 64);
	expect_arg("mmap", 2, "prot", 64);
	expect_arg("mmap", 3, "flags", 64);
	/* mm/mprotect.c: mprotect(ulong start, size_t len, ulong prot) */
	expect_arg("mprotect", 2, "prot", 64);
}
END_TEST

START_TEST(test_newer)
{
	/* Syscalls newer than Linux 6.1, entered by hand in gen-sigs.py. */
	expect_arg("cachestat", 0, "fd", 32);
	expect_arg("cachestat", 3, "flags", 32);
	expect_arg("futex_wait", 1, "val", 64);
	expect_arg("futex_wait", 3, "flags", 32);
	expect_arg("futex_wait", 5, "clockid", 32);
	expect_arg("lsm_set_self_attr", 2, "size", 32);
	expect_arg("mseal", 2, "flags", 64);
	expect_arg("open_tree_attr", 2, "flags", 32);
	expect_arg("file_setattr", 4, "at_flags", 32);
	ck_assert_uint_eq(sig_lookup("uretprobe")->nargs, 0);
}
END_TEST

START_TEST(test_unknown)
{
	const struct syscall_sig *s;

	/* docs/language.md: an argument the table does not know is 64-bit. */
	ck_assert_ptr_null(sig_lookup("no_such_syscall"));
	ck_assert_ptr_null(sig_lookup(""));
	ck_assert_ptr_null(sig_lookup(NULL));
	ck_assert_uint_eq(sig_arg_width("no_such_syscall", 0), 64);
	ck_assert_uint_eq(sig_arg_width("socket", 3), 64); /* past nargs */
	ck_assert_uint_eq(sig_arg_width("socket", 6), 64);
	ck_assert_uint_eq(sig_arg_width("socket", 1000), 64);
	ck_assert_uint_eq(sig_arg_width_arch("nope", ARCH_X86, 0), 32);
	ck_assert_uint_eq(sig_arg_width_arch("nope", ARCH_AARCH64, 0), 64);
	/* Not implemented since 2.6 / compiled out in 6.1: no signature. */
	ck_assert_ptr_null(sig_lookup("afs_syscall"));
	ck_assert_ptr_null(sig_lookup("lookup_dcookie"));
	/* Case matters, as in syscall names. */
	ck_assert_ptr_null(sig_lookup("Socket"));
	s = sig_lookup_arch("no_such_syscall", ARCH_X86_64);
	ck_assert_ptr_null(s);
}
END_TEST

/* ---- per-arch signatures ----------------------------------------------- */

START_TEST(test_arch_clone)
{
	const struct syscall_sig *s;

	/* CONFIG_CLONE_BACKWARDS2 (s390): newsp comes first. */
	s = sig_lookup_arch("clone", ARCH_S390X);
	ck_assert_str_eq(s->arg[0], "newsp");
	ck_assert_str_eq(s->arg[1], "clone_flags");
	/* CONFIG_CLONE_BACKWARDS (arm64, riscv, ppc, mips): tls comes first. */
	s = sig_lookup_arch("clone", ARCH_AARCH64);
	ck_assert_str_eq(s->arg[0], "clone_flags");
	ck_assert_str_eq(s->arg[3], "tls");
	ck_assert_str_eq(sig_lookup_arch("clone", ARCH_PPC64LE)->arg[3], "tls");
	/* x86_64 has the generic order. */
	ck_assert_ptr_eq(sig_lookup_arch("clone", ARCH_X86_64),
			 sig_lookup("clone"));
	ck_assert_str_eq(sig_lookup_arch("clone", ARCH_X86_64)->arg[3],
			 "child_tidptr");
}
END_TEST

START_TEST(test_arch_widths)
{
	const struct syscall_sig *s;

	/* arch/powerpc/kernel/syscalls.c: ppc64_personality(unsigned long) */
	ck_assert_uint_eq(sig_arg_width_arch("personality", ARCH_PPC64LE, 0),
			  64);
	ck_assert_uint_eq(sig_arg_width_arch("personality", ARCH_PPC64, 0), 64);
	ck_assert_uint_eq(sig_arg_width_arch("personality", ARCH_X86_64, 0),
			  32);
	/* x32 ioctl is compat_sys_ioctl(..., compat_ulong_t arg). */
	ck_assert_uint_eq(sig_arg_width_arch("ioctl", ARCH_X32, 2), 32);
	ck_assert_uint_eq(sig_arg_width_arch("ioctl", ARCH_X86_64, 2), 64);
	/* s390x mmap is the generic old_mmap(struct mmap_arg_struct *). */
	s = sig_lookup_arch("mmap", ARCH_S390X);
	ck_assert_uint_eq(s->nargs, 1);
	ck_assert_uint_eq(sig_lookup_arch("mmap", ARCH_AARCH64)->nargs, 6);
	/* mips n64 pipe returns both fds in registers: no argument. */
	ck_assert_uint_eq(sig_lookup_arch("pipe", ARCH_MIPS64EL)->nargs, 0);
	ck_assert_uint_eq(sig_lookup_arch("pipe", ARCH_X86_64)->nargs, 1);
}
END_TEST

START_TEST(test_arch_32bit)
{
	const struct syscall_sig *s;

	/* Every register of a 32-bit ABI is 32 bits. */
	ck_assert_uint_eq(sig_arg_width_arch("read", ARCH_X86, 2), 32);
	ck_assert_uint_eq(sig_arg_width_arch("read", ARCH_ARM, 1), 32);
	ck_assert_uint_eq(sig_arg_width_arch("read", ARCH_X86_64, 2), 64);
	ck_assert_uint_eq(sig_arg_width_arch("read", ARCH_X32, 2), 64);
	/*
	 * i386, arm and s390 keep the 16-bit uid calls under the old names
	 * (kernel/uid16.c: setuid16(old_uid_t uid)): setuid(0x10000) is
	 * setuid(0) to the kernel.
	 */
	ck_assert_uint_eq(sig_arg_width_arch("setuid", ARCH_X86, 0), 16);
	ck_assert_uint_eq(sig_arg_width_arch("setuid", ARCH_ARM, 0), 16);
	ck_assert_uint_eq(sig_arg_width_arch("setuid", ARCH_S390, 0), 16);
	ck_assert_uint_eq(sig_arg_width_arch("setuid32", ARCH_X86, 0), 32);
	ck_assert_uint_eq(sig_arg_width_arch("setuid", ARCH_X86_64, 0), 32);
	ck_assert_uint_eq(sig_arg_width_arch("setuid", ARCH_PPC, 0), 32);
	ck_assert_uint_eq(sig_arg_width_arch("chown", ARCH_X86, 1), 16);
	/* umode_t stays 16 bits everywhere. */
	ck_assert_uint_eq(sig_arg_width_arch("chmod", ARCH_MIPS, 1), 16);
	/*
	 * A 64-bit offset takes two registers on a 32-bit ABI
	 * (arch/x86/kernel/sys_ia32.c: ia32_pread64(fd, buf, count, poslo,
	 * poshi)); arm pads to an even register pair.
	 */
	s = sig_lookup_arch("pread64", ARCH_X86);
	ck_assert_uint_eq(s->nargs, 5);
	ck_assert_str_eq(s->arg[3], "poslo");
	s = sig_lookup_arch("pread64", ARCH_ARM);
	ck_assert_uint_eq(s->nargs, 6);
	ck_assert_str_eq(s->arg[3], "__pad");
	/* i386 mmap (90) is old_mmap(struct mmap_arg_struct *). */
	ck_assert_uint_eq(sig_lookup_arch("mmap", ARCH_X86)->nargs, 1);
	/*
	 * CONFIG_CLONE_BACKWARDS order on i386 too (arch/x86/kernel/
	 * sys_ia32.c: ia32_clone(..., parent_tidptr, tls_val, child_tidptr)).
	 */
	ck_assert_str_eq(sig_lookup_arch("clone", ARCH_X86)->arg[3], "tls_val");
}
END_TEST

/* ---- the table as a whole ---------------------------------------------- */

START_TEST(test_table_shape)
{
	const struct syscall_sig *s, *prev = NULL;
	size_t i;
	unsigned k;

	for (i = 0; (s = sig_at(i)); i++) {
		ck_assert_ptr_nonnull(s->name);
		/* sorted, no duplicates: the lookup is a binary search */
		if (prev)
			ck_assert_msg(strcmp(prev->name, s->name) < 0,
				      "%s before %s", prev->name, s->name);
		ck_assert_uint_le(s->nargs, SIG_MAX_ARGS);
		for (k = 0; k < SIG_MAX_ARGS; k++) {
			if (k < s->nargs) {
				ck_assert_ptr_nonnull(s->arg[k]);
				ck_assert_msg(s->width[k] == 8 ||
					      s->width[k] == 16 ||
					      s->width[k] == 32 ||
					      s->width[k] == 64,
					      "%s arg %u width %u", s->name, k,
					      (unsigned)s->width[k]);
			} else {
				ck_assert_ptr_null(s->arg[k]);
				ck_assert_uint_eq(s->width[k], 0);
			}
		}
		ck_assert_ptr_eq(sig_lookup(s->name), s);
		prev = s;
	}
	ck_assert_uint_gt(i, 400);
	ck_assert_ptr_null(sig_at(i));
}
END_TEST

/*
 * Syscalls leash knows that have no signature, and why.  Anything else
 * without one means tools/gen-sigs.py needs a new entry (a syscall newer
 * than its kernel source goes in NEWER_SIGNATURES).
 */
static const char *const no_signature[] = {
	/* sys_ni_syscall on every arch in Linux 6.1 */
	"_sysctl", "afs_syscall", "bdflush", "break", "create_module",
	"epoll_ctl_old", "epoll_wait_old", "ftime", "get_kernel_syms",
	"getpmsg", "gtty", "idle", "lock", "mpx", "multiplexer",
	"nfsservctl", "prof", "profil", "putpmsg", "query_module",
	"security", "stty", "timerfd", "tuxcall", "ulimit", "vserver",
	/* only COND_SYSCALL left in 6.1: always ENOSYS */
	"lookup_dcookie",
	/*
	 * arm private calls (__ARM_NR_*), dispatched by arm_syscall()
	 * (arm's cacheflush is one too, but mips defines a cacheflush)
	 */
	"breakpoint", "get_tls", "set_tls", "usr26", "usr32",
	/* mips o32 indirect syscall, an assembly entry point */
	"syscall",
};

static bool expected_missing(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(no_signature); i++)
		if (strcmp(no_signature[i], name) == 0)
			return true;
	return false;
}

START_TEST(test_every_known_syscall)
{
	const char *name;
	size_t i, missing = 0;

	for (i = 0; (name = syscall_name_at(i)); i++) {
		if (sig_lookup(name) || expected_missing(name))
			continue;
		fprintf(stderr, "no signature for syscall '%s'\n", name);
		missing++;
	}
	ck_assert_uint_gt(i, 400);
	ck_assert_uint_eq(missing, 0);
	/* and the list above stays true */
	for (i = 0; i < ARRAY_SIZE(no_signature); i++)
		ck_assert_msg(sig_lookup(no_signature[i]) == NULL,
			      "%s has a signature now", no_signature[i]);
}
END_TEST

static Suite *sigs_suite(void)
{
	Suite *s = suite_create("sigs");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_socket);
	tcase_add_test(tc, test_file_io);
	tcase_add_test(tc, test_modes);
	tcase_add_test(tc, test_process);
	tcase_add_test(tc, test_mmap);
	tcase_add_test(tc, test_newer);
	tcase_add_test(tc, test_unknown);
	tcase_add_test(tc, test_arch_clone);
	tcase_add_test(tc, test_arch_widths);
	tcase_add_test(tc, test_arch_32bit);
	tcase_add_test(tc, test_table_shape);
	tcase_add_test(tc, test_every_known_syscall);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sigs_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
