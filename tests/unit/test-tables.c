/* SPDX-License-Identifier: MIT */
/*
 * test-tables.c - unit tests for the facts in tables.h: the arch table,
 * syscall numbers on every arch (libseccomp, the generated loongarch64
 * table and our table of newer syscalls), built-in constants, errno and
 * capability names.
 *
 * Expected numbers are written out by hand from the kernel's syscall
 * tables, not computed with libseccomp, so a test can catch libseccomp
 * and leash agreeing on a wrong answer.
 */
#include "common/syscalls-scan.h"
#include "common/tables.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define X32_BIT INT64_C(0x40000000)

/* ---- arches ------------------------------------------------------------ */

START_TEST(test_arch_names)
{
	const struct arch_info *ai;
	int a;

	for (a = 0; a < ARCH_COUNT; a++) {
		ai = arch_info(a);
		ck_assert_ptr_nonnull(ai);
		ck_assert_int_eq(ai->id, a);
		ck_assert_ptr_eq(arch_by_name(ai->name), ai);
		ck_assert_ptr_eq(arch_by_docker_name(ai->docker_name), ai);
		ck_assert_uint_ne(ai->audit_arch, 0);
	}
	ck_assert_ptr_null(arch_info(ARCH_COUNT));

	ck_assert_int_eq(arch_by_name("x86_64")->id, ARCH_X86_64);
	ck_assert_int_eq(arch_by_name("mips64el")->id, ARCH_MIPS64EL);
	ck_assert_int_eq(arch_by_name("loongarch64")->id, ARCH_LOONGARCH64);
	ck_assert_ptr_eq(arch_by_name("native"), arch_info(arch_native()));
#if defined(__x86_64__) && !defined(__ILP32__)
	ck_assert_int_eq(arch_native(), ARCH_X86_64);
#endif
	ck_assert_ptr_null(arch_by_name("amd64"));
	ck_assert_ptr_null(arch_by_name("X86_64"));
	ck_assert_ptr_null(arch_by_name(""));

	ck_assert_int_eq(arch_by_docker_name("SCMP_ARCH_MIPSEL64")->id,
			 ARCH_MIPS64EL);
	ck_assert_int_eq(arch_by_docker_name("SCMP_ARCH_X32")->id, ARCH_X32);
	ck_assert_ptr_null(arch_by_docker_name("SCMP_ARCH_MIPS64N32"));
	ck_assert_ptr_null(arch_by_docker_name("x86_64"));
}
END_TEST

START_TEST(test_arch_values)
{
	/* AUDIT_ARCH_*: EM_* | 64-bit 0x80000000 | little-endian 0x40000000 */
	ck_assert_uint_eq(arch_info(ARCH_X86_64)->audit_arch, 0xc000003e);
	ck_assert_uint_eq(arch_info(ARCH_X86)->audit_arch, 0x40000003);
	ck_assert_uint_eq(arch_info(ARCH_X32)->audit_arch, 0xc000003e);
	ck_assert_uint_eq(arch_info(ARCH_AARCH64)->audit_arch, 0xc00000b7);
	ck_assert_uint_eq(arch_info(ARCH_ARM)->audit_arch, 0x40000028);
	ck_assert_uint_eq(arch_info(ARCH_RISCV64)->audit_arch, 0xc00000f3);
	ck_assert_uint_eq(arch_info(ARCH_PPC64LE)->audit_arch, 0xc0000015);
	ck_assert_uint_eq(arch_info(ARCH_PPC64)->audit_arch, 0x80000015);
	ck_assert_uint_eq(arch_info(ARCH_PPC)->audit_arch, 0x00000014);
	ck_assert_uint_eq(arch_info(ARCH_S390X)->audit_arch, 0x80000016);
	ck_assert_uint_eq(arch_info(ARCH_S390)->audit_arch, 0x00000016);
	ck_assert_uint_eq(arch_info(ARCH_MIPS)->audit_arch, 0x00000008);
	ck_assert_uint_eq(arch_info(ARCH_MIPSEL)->audit_arch, 0x40000008);
	ck_assert_uint_eq(arch_info(ARCH_MIPS64)->audit_arch, 0x80000008);
	ck_assert_uint_eq(arch_info(ARCH_MIPS64EL)->audit_arch, 0xc0000008);
	ck_assert_uint_eq(arch_info(ARCH_LOONGARCH64)->audit_arch,
			  0xc0000102);

	ck_assert_uint_eq(arch_info(ARCH_X32)->nr_bias, 0x40000000);
	ck_assert_uint_eq(arch_info(ARCH_X86_64)->nr_bias, 0);
	ck_assert_uint_ne(arch_info(ARCH_X86_64)->scmp_token, 0);
	ck_assert_uint_ne(arch_info(ARCH_X32)->scmp_token, 0);
	ck_assert_uint_ne(arch_info(ARCH_X32)->scmp_token,
			  arch_info(ARCH_X86_64)->scmp_token);
}
END_TEST

START_TEST(test_arch_suggest)
{
	ck_assert_str_eq(arch_suggest("amd64"), "x86_64");
	ck_assert_str_eq(arch_suggest("arm64"), "aarch64");
	ck_assert_str_eq(arch_suggest("i386"), "x86");
	ck_assert_str_eq(arch_suggest("X86_64"), "x86_64");
	ck_assert_str_eq(arch_suggest("aarch46"), "aarch64");
	ck_assert_str_eq(arch_suggest("s390z"), "s390x");
	ck_assert_str_eq(arch_suggest("natve"), "native");
	ck_assert_ptr_null(arch_suggest("sparc64"));
	ck_assert_ptr_null(arch_suggest(""));
}
END_TEST

/* ---- syscalls ---------------------------------------------------------- */

static int64_t nr(enum leash_arch a, const char *name)
{
	return syscall_nr(a, name, NULL);
}

START_TEST(test_syscall_numbers)
{
	ck_assert_int_eq(nr(ARCH_X86_64, "read"), 0);
	ck_assert_int_eq(nr(ARCH_X86_64, "socket"), 41);
	ck_assert_int_eq(nr(ARCH_X86_64, "openat"), 257);
	ck_assert_int_eq(nr(ARCH_X86_64, "clone3"), 435);
	ck_assert_int_eq(nr(ARCH_X86, "read"), 3);
	ck_assert_int_eq(nr(ARCH_X86, "socketcall"), 102);
	ck_assert_int_eq(nr(ARCH_AARCH64, "openat"), 56);
	ck_assert_int_eq(nr(ARCH_AARCH64, "read"), 63);
	ck_assert_int_eq(nr(ARCH_ARM, "read"), 3);
	ck_assert_int_eq(nr(ARCH_ARM, "socket"), 281);
	ck_assert_int_eq(nr(ARCH_RISCV64, "openat"), 56);
	ck_assert_int_eq(nr(ARCH_PPC64LE, "socket"), 326);
	ck_assert_int_eq(nr(ARCH_S390X, "s390_pci_mmio_read"), 353);
	ck_assert_int_eq(nr(ARCH_MIPS, "read"), 4003);
	ck_assert_int_eq(nr(ARCH_MIPSEL, "socket"), 4183);
	ck_assert_int_eq(nr(ARCH_MIPS64, "read"), 5000);
	ck_assert_int_eq(nr(ARCH_MIPS64EL, "socket"), 5040);

	/* Architecture-private calls above the table. */
	ck_assert_int_eq(nr(ARCH_ARM, "cacheflush"), 0x0f0002);
	ck_assert_int_eq(nr(ARCH_ARM, "set_tls"), 0x0f0005);
	ck_assert_int_eq(nr(ARCH_X86_64, "arch_prctl"), 158);
	ck_assert_int_eq(nr(ARCH_AARCH64, "arch_prctl"), -1);
}
END_TEST

/* x32: numbers as seccomp_data.nr carries them, with bit 30 set. */
START_TEST(test_syscall_x32)
{
	ck_assert_int_eq(nr(ARCH_X32, "read"), X32_BIT + 0);
	ck_assert_int_eq(nr(ARCH_X32, "socket"), X32_BIT + 41);
	/* x32's own entry points for calls with pointer-size arguments. */
	ck_assert_int_eq(nr(ARCH_X32, "rt_sigaction"), X32_BIT + 512);
	ck_assert_int_eq(nr(ARCH_X32, "execve"), X32_BIT + 520);
	ck_assert_int_eq(nr(ARCH_X32, "statmount"), X32_BIT + 457);
	/* 64-bit ABI only. */
	ck_assert_int_eq(nr(ARCH_X32, "map_shadow_stack"), -1);
	ck_assert_str_eq(syscall_name(ARCH_X32, X32_BIT + 0), "read");
	ck_assert_str_eq(syscall_name(ARCH_X32, X32_BIT + 512),
			 "rt_sigaction");
	ck_assert_ptr_null(syscall_name(ARCH_X32, 0));
	ck_assert_ptr_null(syscall_name(ARCH_X32, X32_BIT + 13));
	ck_assert_int_gt(syscall_max_nr(ARCH_X32), X32_BIT + 512);
}
END_TEST

/*
 * libseccomp returns pseudo numbers for the socketcall()/ipc() families
 * on arches that have those multiplexers; we want the direct numbers.
 */
START_TEST(test_syscall_multiplexed)
{
	bool mux = true;

	ck_assert_int_eq(syscall_nr(ARCH_X86, "socket", &mux), 359);
	ck_assert(!mux);
	ck_assert_int_eq(nr(ARCH_X86, "accept4"), 364);
	ck_assert_int_eq(nr(ARCH_X86, "semget"), 393);
	ck_assert_int_eq(nr(ARCH_S390X, "socket"), 359);
	ck_assert_int_eq(nr(ARCH_PPC, "accept"), 330);
	ck_assert_int_eq(nr(ARCH_MIPS, "accept"), 4168);

	/* Only through socketcall()/ipc(). */
	ck_assert_int_eq(syscall_nr(ARCH_X86, "accept", &mux), -1);
	ck_assert(mux);
	ck_assert_int_eq(syscall_nr(ARCH_X86, "semop", &mux), -1);
	ck_assert(mux);
	ck_assert_int_eq(syscall_nr(ARCH_S390X, "recv", &mux), -1);
	ck_assert(mux);
	ck_assert_int_eq(syscall_nr(ARCH_PPC64, "semop", &mux), -1);
	ck_assert(mux);

	/* Simply absent: no multiplexer on the arch. */
	ck_assert_int_eq(syscall_nr(ARCH_X86_64, "send", &mux), -1);
	ck_assert(!mux);
	ck_assert_int_eq(syscall_nr(ARCH_AARCH64, "recv", &mux), -1);
	ck_assert(!mux);
	ck_assert_int_eq(syscall_nr(ARCH_X86_64, "no_such_call", &mux), -1);
	ck_assert(!mux);
	ck_assert_int_eq(syscall_nr(ARCH_COUNT, "read", &mux), -1);
	ck_assert(!mux);
}
END_TEST

/* Newer than libseccomp 2.5.4: our own table. */
START_TEST(test_syscall_newer)
{
	ck_assert_int_eq(nr(ARCH_X86_64, "cachestat"), 451);
	ck_assert_int_eq(nr(ARCH_X86_64, "map_shadow_stack"), 453);
	ck_assert_int_eq(nr(ARCH_X86_64, "statmount"), 457);
	ck_assert_int_eq(nr(ARCH_X86_64, "mseal"), 462);
	ck_assert_int_eq(nr(ARCH_X86_64, "file_setattr"), 469);
	ck_assert_int_eq(nr(ARCH_X86_64, "uretprobe"), 335);
	ck_assert_int_eq(nr(ARCH_X86_64, "uprobe"), 336);
	ck_assert_int_eq(nr(ARCH_X86, "statmount"), 457);
	ck_assert_int_eq(nr(ARCH_X86, "map_shadow_stack"), 453);
	ck_assert_int_eq(nr(ARCH_X86, "uretprobe"), -1);
	ck_assert_int_eq(nr(ARCH_AARCH64, "listmount"), 458);
	ck_assert_int_eq(nr(ARCH_ARM, "lsm_list_modules"), 461);
	ck_assert_int_eq(nr(ARCH_PPC64LE, "futex_wake"), 454);
	ck_assert_int_eq(nr(ARCH_S390X, "removexattrat"), 466);
	ck_assert_int_eq(nr(ARCH_MIPS, "statmount"), 4457);
	ck_assert_int_eq(nr(ARCH_MIPS64EL, "statmount"), 5457);
	ck_assert_int_eq(nr(ARCH_LOONGARCH64, "open_tree_attr"), 467);
	ck_assert_int_eq(nr(ARCH_RISCV64, "riscv_hwprobe"), 258);
	ck_assert_int_eq(nr(ARCH_AARCH64, "riscv_hwprobe"), -1);
	ck_assert_str_eq(syscall_name(ARCH_X86_64, 457), "statmount");
	ck_assert_str_eq(syscall_name(ARCH_MIPS64, 5469), "file_setattr");
}
END_TEST

/* loongarch64: generated from the asm-generic table. */
START_TEST(test_syscall_loongarch)
{
	ck_assert_int_eq(nr(ARCH_LOONGARCH64, "read"), 63);
	ck_assert_int_eq(nr(ARCH_LOONGARCH64, "openat"), 56);
	ck_assert_int_eq(nr(ARCH_LOONGARCH64, "clone3"), 435);
	ck_assert_int_eq(nr(ARCH_LOONGARCH64, "prlimit64"), 261);
	ck_assert_int_eq(nr(ARCH_LOONGARCH64, "set_mempolicy_home_node"), 450);
	/* asm-generic without __ARCH_WANT_SET_GET_RLIMIT / RENAMEAT. */
	ck_assert_int_eq(nr(ARCH_LOONGARCH64, "getrlimit"), -1);
	ck_assert_int_eq(nr(ARCH_LOONGARCH64, "renameat"), -1);
	ck_assert_int_eq(nr(ARCH_LOONGARCH64, "open"), -1);
	ck_assert_str_eq(syscall_name(ARCH_LOONGARCH64, 198), "socket");
	ck_assert_int_ge(syscall_max_nr(ARCH_LOONGARCH64), 469);
}
END_TEST

START_TEST(test_syscall_reverse)
{
	ck_assert_str_eq(syscall_name(ARCH_X86_64, 0), "read");
	ck_assert_str_eq(syscall_name(ARCH_X86_64, 41), "socket");
	ck_assert_str_eq(syscall_name(ARCH_X86, 359), "socket");
	ck_assert_str_eq(syscall_name(ARCH_ARM, 0x0f0002), "cacheflush");
	ck_assert_ptr_null(syscall_name(ARCH_X86_64, 400));
	ck_assert_ptr_null(syscall_name(ARCH_X86_64, -1));
	ck_assert_ptr_null(syscall_name(ARCH_X86_64, 100000));
	ck_assert_ptr_null(syscall_name(ARCH_COUNT, 0));
}
END_TEST

/* Every name/number pair reads back, and every number is <= the max. */
START_TEST(test_syscall_consistency)
{
	const char *name, *prev = NULL;
	size_t i, n_names = 0;
	int a;

	for (i = 0; (name = syscall_name_at(i)) != NULL; i++) {
		bool somewhere = false;

		if (prev)
			ck_assert_msg(strcmp(prev, name) < 0,
				      "'%s' before '%s'", prev, name);
		prev = name;
		ck_assert(syscall_known_anywhere(name));
		for (a = 0; a < ARCH_COUNT; a++) {
			bool mux;
			int64_t v = syscall_nr(a, name, &mux);
			const char *back;

			if (v < 0) {
				somewhere |= mux;
				continue;
			}
			somewhere = true;
			back = syscall_name(a, v);
			ck_assert_ptr_nonnull(back);
			ck_assert_int_eq(syscall_nr(a, back, NULL), v);
			ck_assert_int_ge(v, arch_info(a)->nr_bias);
			if (!(a == ARCH_ARM && v >= 0x0f0000))
				ck_assert_int_le(v, syscall_max_nr(a));
		}
		ck_assert_msg(somewhere, "'%s' is on no arch", name);
		n_names++;
	}
	ck_assert_uint_gt(n_names, 450);

	for (a = 0; a < ARCH_COUNT; a++) {
		int64_t max = syscall_max_nr(a);

		ck_assert_ptr_nonnull(syscall_name(a, max));
		/* Every arch has the newest calls of our own table. */
		ck_assert_int_ge(max, 469 + arch_info(a)->nr_bias);
	}
	/* ARM's private range does not count towards the max. */
	ck_assert_int_lt(syscall_max_nr(ARCH_ARM), 0x0f0000);
	ck_assert_int_ge(syscall_max_nr(ARCH_X86_64), 469);
	ck_assert_int_ge(syscall_max_nr(ARCH_MIPS), 4469);
	ck_assert_int_eq(syscall_max_nr(ARCH_COUNT), -1);
}
END_TEST

/*
 * The table compiled in (syscalls-table.h, made at build time) must be
 * what the installed libseccomp says now: a libseccomp upgrade without a
 * rebuild would otherwise go unnoticed.  Every name, every arch, both
 * directions.
 */
START_TEST(test_syscall_table_current)
{
	struct scan_index ix;
	size_t i, n = 0;
	int a;

	scan_syscalls(&ix);
	while (syscall_name_at(n))
		n++;
	ck_assert_uint_eq(n, ix.n);
	for (i = 0; i < ix.n; i++) {
		ck_assert_str_eq(syscall_name_at(i), ix.v[i].name);
		for (a = 0; a < ARCH_COUNT; a++) {
			bool mux;

			ck_assert_int_eq(syscall_nr(a, ix.v[i].name, &mux),
					 ix.v[i].nr[a]);
			ck_assert_int_eq(mux, ix.v[i].nr[a] < 0 &&
					 (ix.v[i].muxed & (1u << a)));
		}
	}
	for (a = 0; a < ARCH_COUNT; a++) {
		ck_assert_int_eq(syscall_max_nr(a), ix.max_nr[a]);
		for (i = 0; i < ix.n_by_nr[a]; i++) {
			const char *name = syscall_name(a, ix.by_nr[a][i].nr);

			/* The leftmost name for a number wins. */
			ck_assert_ptr_nonnull(name);
			if (i == 0 || ix.by_nr[a][i - 1].nr != ix.by_nr[a][i].nr)
				ck_assert_str_eq(name, ix.by_nr[a][i].name);
		}
	}
	scan_index_free(&ix);
}
END_TEST

START_TEST(test_syscall_suggest)
{
	ck_assert(syscall_known_anywhere("socket"));
	ck_assert(syscall_known_anywhere("s390_pci_mmio_write"));
	ck_assert(syscall_known_anywhere("statmount"));
	ck_assert(!syscall_known_anywhere("sokcet"));
	ck_assert(!syscall_known_anywhere(""));

	ck_assert_str_eq(syscall_suggest("sokcet"), "socket");
	ck_assert_str_eq(syscall_suggest("opne"), "open");
	ck_assert_str_eq(syscall_suggest("execev"), "execve");
	ck_assert_str_eq(syscall_suggest("pivotroot"), "pivot_root");
	ck_assert_str_eq(syscall_suggest("statmnt"), "statmount");
	ck_assert_ptr_null(syscall_suggest("frobnicate"));
	/* Short names get one edit only. */
	ck_assert_ptr_null(syscall_suggest("xyz"));
}
END_TEST

/* ---- constants --------------------------------------------------------- */

static uint64_t cval(const char *name)
{
	uint64_t v = 0xdeadbeef;

	ck_assert_msg(const_lookup(ARCH_X86_64, name, &v), "no constant '%s'", name);
	return v;
}

START_TEST(test_constants)
{
	uint64_t v = 7;

	ck_assert_uint_eq(cval("AF_UNIX"), 1);
	ck_assert_uint_eq(cval("AF_INET"), 2);
	ck_assert_uint_eq(cval("AF_INET6"), 10);
	ck_assert_uint_eq(cval("AF_NETLINK"), 16);
	ck_assert_uint_eq(cval("AF_ALG"), 38);
	ck_assert_uint_eq(cval("AF_VSOCK"), 40);
	ck_assert_uint_eq(cval("SOCK_STREAM"), 1);
	ck_assert_uint_eq(cval("SOCK_RAW"), 3);
	ck_assert_uint_eq(cval("SOCK_NONBLOCK"), 04000);
	ck_assert_uint_eq(cval("SOCK_CLOEXEC"), 02000000);
	ck_assert_uint_eq(cval("CLONE_NEWUSER"), 0x10000000);
	ck_assert_uint_eq(cval("CLONE_NEWNS"), 0x20000);
	ck_assert_uint_eq(cval("CLONE_NEWTIME"), 0x80);
	ck_assert_uint_eq(cval("CLONE_PIDFD"), 0x1000);
	ck_assert_uint_eq(cval("CLONE_INTO_CGROUP"), 0x200000000);
	ck_assert_uint_eq(cval("O_RDONLY"), 0);
	ck_assert_uint_eq(cval("O_CLOEXEC"), 02000000);
	ck_assert_uint_eq(cval("PROT_EXEC"), 4);
	ck_assert_uint_eq(cval("MAP_SHARED"), 1);
	ck_assert_uint_eq(cval("MAP_ANONYMOUS"), 0x20);
	ck_assert_uint_eq(cval("PR_SET_NO_NEW_PRIVS"), 38);
	ck_assert_uint_eq(cval("PR_CAPBSET_DROP"), 24);
	ck_assert_uint_eq(cval("F_SETFL"), 4);
	ck_assert_uint_eq(cval("F_DUPFD_CLOEXEC"), 1030);
	ck_assert_uint_eq(cval("TCSANOW"), 0);
	ck_assert_uint_eq(cval("PER_LINUX"), 0);
	ck_assert_uint_eq(cval("PER_LINUX32"), 8);
	ck_assert_uint_eq(cval("ADDR_NO_RANDOMIZE"), 0x40000);
	ck_assert_uint_eq(cval("UNAME26"), 0x20000);
	ck_assert_uint_eq(cval("READ_IMPLIES_EXEC"), 0x400000);
	ck_assert_uint_eq(cval("IPPROTO_TCP"), 6);
	ck_assert_uint_eq(cval("IPPROTO_UDP"), 17);
	ck_assert_uint_eq(cval("SOL_SOCKET"), 1);
	ck_assert_uint_eq(cval("SOL_TCP"), 6);
	ck_assert_uint_eq(cval("CAP_SYS_ADMIN"), 21);
	ck_assert_uint_eq(cval("CAP_CHECKPOINT_RESTORE"), 40);
	ck_assert_uint_eq(cval("EPERM"), 1);
	ck_assert_uint_eq(cval("ENOSYS"), 38);
#if defined(__x86_64__) || defined(__i386__)
	/* ioctl numbers and some flags differ on ppc, mips, sparc. */
	ck_assert_uint_eq(cval("TIOCSTI"), 0x5412);
	ck_assert_uint_eq(cval("TCGETS"), 0x5401);
	ck_assert_uint_eq(cval("O_LARGEFILE"), 0100000);
#endif

	ck_assert(!const_lookup(ARCH_X86_64, "AF_BOGUS", &v));
	ck_assert_uint_eq(v, 7);
	ck_assert(!const_lookup(ARCH_X86_64, "af_inet", NULL));
	ck_assert(!const_lookup(ARCH_X86_64, "CAP_LAST_CAP", NULL));
	ck_assert(!const_lookup(ARCH_X86_64, "", NULL));
	/* Not integers, or not in the promised families. */
	ck_assert(!const_lookup(ARCH_X86_64, "SIGKILL", NULL));
	ck_assert(!const_lookup(ARCH_X86_64, "O_TMPFILE_MASK_BOGUS", NULL));

	ck_assert_str_eq(const_suggest("AF_INTE"), "AF_INET");
	ck_assert_str_eq(const_suggest("af_inet"), "AF_INET");
	ck_assert_str_eq(const_suggest("CLONE_NEWUSR"), "CLONE_NEWUSER");
	ck_assert_str_eq(const_suggest("EPRM"), "EPERM");
	ck_assert_ptr_null(const_suggest("TOTALLY_UNKNOWN_NAME"));
}
END_TEST

START_TEST(test_errno)
{
	uint64_t v = 0;

	ck_assert(errno_lookup(ARCH_X86_64, "EPERM", &v));
	ck_assert_uint_eq(v, 1);
	ck_assert(errno_lookup(ARCH_X86_64, "ENOSYS", &v));
	ck_assert_uint_eq(v, 38);
	ck_assert(errno_lookup(ARCH_X86_64, "EHWPOISON", &v));
	ck_assert_uint_eq(v, 133);
	ck_assert(errno_lookup(ARCH_X86_64, "ENOTSUP", &v));
	ck_assert_uint_eq(v, 95);
	ck_assert(errno_lookup(ARCH_X86_64, "EWOULDBLOCK", &v));
	ck_assert_uint_eq(v, 11);
	ck_assert(errno_lookup(ARCH_X86_64, "EDEADLOCK", &v));
	ck_assert_uint_eq(v, 35);
	ck_assert(!errno_lookup(ARCH_X86_64, "AF_INET", &v));
	ck_assert(!errno_lookup(ARCH_X86_64, "eperm", &v));
	ck_assert(!errno_lookup(ARCH_X86_64, "EBOGUS", NULL));

	ck_assert_str_eq(errno_name(ARCH_X86_64, 1), "EPERM");
	ck_assert_str_eq(errno_name(ARCH_X86_64, 13), "EACCES");
	ck_assert_str_eq(errno_name(ARCH_X86_64, 38), "ENOSYS");
	/* Canonical names, not aliases. */
	ck_assert_str_eq(errno_name(ARCH_X86_64, 11), "EAGAIN");
	ck_assert_str_eq(errno_name(ARCH_X86_64, 35), "EDEADLK");
	ck_assert_str_eq(errno_name(ARCH_X86_64, 95), "EOPNOTSUPP");
	ck_assert_str_eq(errno_name(ARCH_X86_64, 133), "EHWPOISON");
	ck_assert_ptr_null(errno_name(ARCH_X86_64, 0));
	ck_assert_ptr_null(errno_name(ARCH_X86_64, 41));	/* a gap in the numbering */
	ck_assert_ptr_null(errno_name(ARCH_X86_64, 4095));
	ck_assert_ptr_null(errno_name(ARCH_X86_64, UINT64_MAX));
	/* Per arch (docs/language.md section 2). */
	ck_assert(errno_lookup(ARCH_MIPS, "ENOSYS", &v));
	ck_assert_uint_eq(v, 89);
	ck_assert_str_eq(errno_name(ARCH_MIPS, 89), "ENOSYS");
	ck_assert_str_eq(errno_name(ARCH_PPC64LE, 58), "EDEADLOCK");
	ck_assert(const_lookup(ARCH_AARCH64, "O_DIRECTORY", &v));
	ck_assert_uint_eq(v, 0x4000);
	ck_assert(const_lookup(ARCH_MIPS, "SOCK_STREAM", &v));
	ck_assert_uint_eq(v, 2);
	ck_assert(!const_lookup(ARCH_AARCH64, "MAP_32BIT", NULL));
	ck_assert(const_known("MAP_32BIT"));
	ck_assert(const_uniform("AF_INET", UINT32_C(0xffff)));
	ck_assert(!const_uniform("ENOSYS", 1u << ARCH_X86_64 | 1u << ARCH_MIPS));
	ck_assert(const_uniform("ENOSYS", 1u << ARCH_X86_64 | 1u << ARCH_AARCH64));
}
END_TEST

/* ---- capabilities ------------------------------------------------------ */

START_TEST(test_caps)
{
	uint64_t set, expect = 0;
	int i;

	ck_assert_int_eq(cap_by_name("SYS_ADMIN"), 21);
	ck_assert_int_eq(cap_by_name("CAP_SYS_ADMIN"), 21);
	ck_assert_int_eq(cap_by_name("sys_admin"), 21);
	ck_assert_int_eq(cap_by_name("cap_sys_admin"), 21);
	ck_assert_int_eq(cap_by_name("Cap_Sys_Admin"), 21);
	ck_assert_int_eq(cap_by_name("CHOWN"), 0);
	ck_assert_int_eq(cap_by_name("NET_BIND_SERVICE"), 10);
	ck_assert_int_eq(cap_by_name("CHECKPOINT_RESTORE"), 40);
	ck_assert_int_eq(cap_by_name("CAP_"), -1);
	ck_assert_int_eq(cap_by_name(""), -1);
	ck_assert_int_eq(cap_by_name("LAST_CAP"), -1);
	ck_assert_int_eq(cap_by_name("CAP_CAP_CHOWN"), -1);
	ck_assert_int_eq(cap_by_name("SYS_ADMINX"), -1);

	for (i = 0; i < CAP_COUNT; i++) {
		ck_assert_ptr_nonnull(cap_name(i));
		ck_assert_int_eq(cap_by_name(cap_name(i)), i);
	}
	ck_assert_str_eq(cap_name(21), "SYS_ADMIN");
	ck_assert_str_eq(cap_name(40), "CHECKPOINT_RESTORE");
	ck_assert_ptr_null(cap_name(CAP_COUNT));
	ck_assert_ptr_null(cap_name(-1));

	ck_assert_str_eq(cap_suggest("SYS_ADMN"), "SYS_ADMIN");
	ck_assert_str_eq(cap_suggest("cap_net_admn"), "NET_ADMIN");
	ck_assert_str_eq(cap_suggest("CAP_SYSADMIN"), "SYS_ADMIN");
	ck_assert_ptr_null(cap_suggest("EVERYTHING"));
	ck_assert_ptr_null(cap_suggest("CAP_"));

	/* Docker's default set: the well-known CapEff 00000000a80425fb. */
	set = caps_docker_default();
	ck_assert_uint_eq(set, 0xa80425fb);
	ck_assert_int_eq(__builtin_popcountll(set), 14);
	expect |= UINT64_C(1) << cap_by_name("AUDIT_WRITE");
	expect |= UINT64_C(1) << cap_by_name("NET_RAW");
	ck_assert_uint_eq(set & expect, expect);
	ck_assert_uint_eq(set & (UINT64_C(1) << cap_by_name("SYS_ADMIN")), 0);
}
END_TEST

static Suite *tables_suite(void)
{
	Suite *s = suite_create("tables");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_arch_names);
	tcase_add_test(tc, test_arch_values);
	tcase_add_test(tc, test_arch_suggest);
	tcase_add_test(tc, test_syscall_numbers);
	tcase_add_test(tc, test_syscall_x32);
	tcase_add_test(tc, test_syscall_multiplexed);
	tcase_add_test(tc, test_syscall_newer);
	tcase_add_test(tc, test_syscall_loongarch);
	tcase_add_test(tc, test_syscall_reverse);
	tcase_add_test(tc, test_syscall_consistency);
	tcase_add_test(tc, test_syscall_table_current);
	tcase_add_test(tc, test_syscall_suggest);
	tcase_add_test(tc, test_constants);
	tcase_add_test(tc, test_errno);
	tcase_add_test(tc, test_caps);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tables_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
