/* SPDX-License-Identifier: MIT */
/*
 * test-trust.c - leash-exec's trust checks (runtime-shim/trust.c) on real
 * files, with a double of die.c as in test-shim.c: die() and
 * die_errno() record the step and the message and jump back to the
 * test.
 *
 *   bundle     who could have written the bundle file: its owner and
 *              mode, the directories above it (sticky or not), memfds
 *              sealed or not, pipes, unlinked files, a name replaced
 *              after the open
 *   trust-dir  the system trust directory (root's alone, writable by
 *              no one else, sticky or not, under root's directories) and
 *              its key files (root's, not group- or other-writable)
 *   paths      the policy's paths: links of root, of the caller and of
 *              someone else, at the end, in the middle and nested; "..",
 *              loops, the 40-link limit, missing paths
 *   exec-env   privileges raised at exec: real and effective ids that
 *              differ, capabilities beyond the ambient ones; and, for
 *              AT_SECURE, which only exec sets, copies of this program
 *              made set-user-ID, set-group-ID or given file
 *              capabilities, run as "test-trust --exec-env"
 *
 * Runs as root (chown, lchown, setresuid, set-ID files); as anyone
 * else the whole program is skipped.  Files live in a directory of
 * their own per test, under /tmp.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include "trust.h"
#include "die.h"
#include "tests/unit/die-double.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Someone else: neither root nor the caller of any test. */
#define NOBODY 65534
#define CALLER 1000

/* ---- the double of die.c -------------------------------------------- */

/* die(), die_errno(), warn(): tests/unit/die-double.c */

/* ---- helpers ---------------------------------------------------------- */

static pid_t runner_pid;

/* The tests that change their ids must run in check's forked child. */
static void assert_forked(void)
{
	ck_assert_msg(getpid() != runner_pid,
		      "this test changes the process: it must run forked");
}

/*
 * @base: made by each tcase's unchecked fixture, in the runner, so that
 * it is removed even when a test fails or changed its uid; @dir: one
 * per test, inside it, made by the checked fixture in check's child.
 * Root's, 0755, under /tmp: a directory chain the bundle checks trust.
 */
static char base[PATH_MAX / 2], dir[PATH_MAX];

static void at(char *buf, const char *name)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s", dir, name);

	ck_assert(n > 0 && n < PATH_MAX);
}

static void base_setup(void)
{
	snprintf(base, sizeof(base), "/tmp/test-trust.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	ck_assert_int_eq(chmod(base, 0755), 0);
}

static void fixture_setup(void)
{
	snprintf(dir, sizeof(dir), "%s/test.XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

static void base_teardown(void)
{
	(void)nftw(base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A file @name of the test directory: @uid's, with @mode, opened. */
static int make_file(const char *name, uid_t uid, mode_t mode)
{
	char path[PATH_MAX];
	int fd;

	at(path, name);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, "bundle", 6), 6);
	ck_assert_int_eq(fchown(fd, uid, 0), 0);
	/* After fchown(), which clears set-ID bits. */
	ck_assert_int_eq(fchmod(fd, mode), 0);
	return fd;
}

static void make_dir(const char *name, uid_t uid, mode_t mode)
{
	char path[PATH_MAX];

	at(path, name);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(chown(path, uid, 0), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* A link @name -> @target, owned by @uid. */
static void make_link(const char *name, const char *target, uid_t uid)
{
	char path[PATH_MAX];

	at(path, name);
	ck_assert_int_eq(symlink(target, path), 0);
	ck_assert_int_eq(lchown(path, uid, 0), 0);
}

/* Open @name read-only, as leash-exec opens a bundle. */
static int open_at(const char *name)
{
	char path[PATH_MAX];
	int fd;

	at(path, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	return fd;
}

static int memfd(unsigned int seals)
{
	int fd = memfd_create("leash-bundle", MFD_ALLOW_SEALING | MFD_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "bundle", 6), 6);
	if (seals)
		ck_assert_int_eq(fcntl(fd, F_ADD_SEALS, seals), 0);
	return fd;
}

/* ---- bundle ------------------------------------------------------------- */

START_TEST(test_bundle_root_file)
{
	int fd = make_file("b", 0, 0600);

	close(fd);
	/* Opened as leash-exec opens it. */
	fd = open_at("b");
	trust_bundle_fd(fd, "b", 0);
	/* Root's bundle is trusted by anyone. */
	trust_bundle_fd(fd, "b", CALLER);
	close(fd);
	/* Read-only for all is as good. */
	fd = make_file("r", 0, 0444);
	trust_bundle_fd(fd, "r", CALLER);
	close(fd);
}
END_TEST

START_TEST(test_bundle_caller_file)
{
	int fd = make_file("b", CALLER, 0644);

	trust_bundle_fd(fd, "b", CALLER);
	/* Root does not run a user's bundle. */
	EXPECT_DIE_MSG("bundle", "owned by uid 1000", trust_bundle_fd(fd, "b", 0));
	close(fd);
}
END_TEST

START_TEST(test_bundle_group_writable)
{
	int fd = make_file("g", 0, 0660);

	EXPECT_DIE_MSG("bundle", "writable by group or others (mode 0660)",
		   trust_bundle_fd(fd, "g", 0));
	close(fd);
	fd = make_file("o", 0, 0602);
	EXPECT_DIE_MSG("bundle", "writable by group or others (mode 0602)",
		   trust_bundle_fd(fd, "o", 0));
	close(fd);
}
END_TEST

START_TEST(test_bundle_other_owner)
{
	int fd = make_file("n", NOBODY, 0600);

	EXPECT_DIE_MSG("bundle", "owned by uid 65534",
		   trust_bundle_fd(fd, "n", CALLER));
	close(fd);
}
END_TEST

START_TEST(test_bundle_world_writable_dir)
{
	int fd;

	make_dir("ww", 0, 0777);
	fd = make_file("ww/b", 0, 0600);
	EXPECT_DIE_MSG("bundle", "writable by group or others (mode 0777)",
		   trust_bundle_fd(fd, "ww/b", 0));
	close(fd);
	/* Group-writable is the same. */
	make_dir("gw", 0, 0770);
	fd = make_file("gw/b", 0, 0600);
	EXPECT_DIE_MSG("bundle", "/gw is writable by group or others",
		   trust_bundle_fd(fd, "gw/b", 0));
	close(fd);
}
END_TEST

START_TEST(test_bundle_dir_other_owner)
{
	int fd;

	make_dir("theirs", NOBODY, 0755);
	fd = make_file("theirs/b", 0, 0600);
	EXPECT_DIE_MSG("bundle", "/theirs is owned by uid 65534",
		   trust_bundle_fd(fd, "theirs/b", 0));
	close(fd);
	/* Sticky, but its owner may still delete what is in it. */
	make_dir("their-tmp", NOBODY, 01777);
	fd = make_file("their-tmp/b", 0, 0600);
	EXPECT_DIE_MSG("bundle", "/their-tmp is owned by uid 65534",
		   trust_bundle_fd(fd, "their-tmp/b", 0));
	close(fd);
}
END_TEST

START_TEST(test_bundle_sticky_dir)
{
	char path[PATH_MAX];
	struct stat st;
	int fd;

	make_dir("st", 0, 01777);
	fd = make_file("st/b", 0, 0600);
	trust_bundle_fd(fd, "st/b", CALLER);
	close(fd);
	/* The caller's own file in a sticky directory. */
	fd = make_file("st/mine", CALLER, 0600);
	trust_bundle_fd(fd, "st/mine", CALLER);
	close(fd);

	/* /tmp itself, where it is the usual sticky directory. */
	ck_assert_int_eq(stat("/tmp", &st), 0);
	if (!(st.st_mode & S_ISVTX) || st.st_uid != 0)
		return;
	snprintf(path, sizeof(path), "/tmp/test-trust-bundle.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	/* Unlinked: accepted with no directory to look at ('leash run'
	 * without memfd).  Now with a name, in /tmp. */
	trust_bundle_fd(fd, path, 0);
	close(fd);
	snprintf(path, sizeof(path), "/tmp/test-trust-bundle.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	trust_bundle_fd(fd, path, 0);
	ck_assert_int_eq(fchown(fd, NOBODY, 0), 0);
	EXPECT_DIE_MSG("bundle", "owned by uid 65534",
		   trust_bundle_fd(fd, path, 0));
	close(fd);
	unlink(path);
}
END_TEST

START_TEST(test_bundle_memfd)
{
	int fd;

	fd = memfd(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
	trust_bundle_fd(fd, "/proc/self/fd/N", 0);
	trust_bundle_fd(fd, "/proc/self/fd/N", CALLER);
	/* The caller's is trusted too, someone else's is not. */
	ck_assert_int_eq(fchown(fd, CALLER, 0), 0);
	trust_bundle_fd(fd, "/proc/self/fd/N", CALLER);
	ck_assert_int_eq(fchown(fd, NOBODY, 0), 0);
	EXPECT_DIE_MSG("bundle", "a memfd of uid 65534",
		   trust_bundle_fd(fd, "/proc/self/fd/N", CALLER));
	close(fd);

	fd = memfd(0);
	EXPECT_DIE_MSG("bundle", "a memfd not sealed against writing",
		   trust_bundle_fd(fd, "/proc/self/fd/N", 0));
	close(fd);
	/* F_SEAL_WRITE alone still lets a writer truncate it. */
	fd = memfd(F_SEAL_WRITE);
	EXPECT_DIE_MSG("bundle", "a memfd not sealed against writing",
		   trust_bundle_fd(fd, "/proc/self/fd/N", 0));
	close(fd);
}
END_TEST

START_TEST(test_bundle_pipe)
{
	int p[2];

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	EXPECT_DIE_MSG("bundle", "not a regular file",
		   trust_bundle_fd(p[0], "/dev/stdin", 0));
	close(p[0]);
	close(p[1]);
	p[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(p[0], 0);
	EXPECT_DIE_MSG("bundle", "not a regular file",
		   trust_bundle_fd(p[0], "/dev/null", 0));
	close(p[0]);
}
END_TEST

/* The name now leads to another file than the one read. */
START_TEST(test_bundle_replaced)
{
	char b[PATH_MAX], keep[PATH_MAX], new[PATH_MAX];
	int fd;

	fd = make_file("b", 0, 0600);
	close(make_file("new", 0, 0600));
	at(b, "b");
	at(keep, "keep");
	at(new, "new");
	/* Another file renamed over "b"; the one opened keeps a name
	 * elsewhere, so it is not merely unlinked. */
	ck_assert_int_eq(link(b, keep), 0);
	ck_assert_int_eq(rename(new, b), 0);
	EXPECT_DIE_MSG("bundle", "no longer names the file opened",
		   trust_bundle_fd(fd, "b", 0));
	close(fd);
}
END_TEST

/* ---- paths -------------------------------------------------------------- */

static enum trust_verdict walk(const char *name, uid_t caller,
			       struct trust_result *res)
{
	char path[PATH_MAX];

	at(path, name);
	return trust_walk(&trust_fs_ops, NULL, path, caller, res);
}

START_TEST(test_path_root_link)
{
	char path[PATH_MAX];
	struct trust_result r;

	make_dir("target", 0, 0755);
	make_file("target/file", 0, 0644);
	at(path, "target");
	make_link("link", path, 0);
	at(path, "link/file");
	trust_policy_path(path, CALLER);
	ck_assert_int_eq(walk("link/file", CALLER, &r), TRUST_OK);
	ck_assert_uint_eq(r.hops, 1);
	/* The caller's own link. */
	make_link("mine", "target", CALLER);
	at(path, "mine/file");
	trust_policy_path(path, CALLER);
	/* Merged /usr (/lib -> usr/lib) or not, the system's paths pass. */
	trust_policy_path("/lib/x86_64-linux-gnu", CALLER);
	trust_policy_path("/bin/sh", CALLER);
	trust_policy_path("/proc/self/exe", CALLER);
}
END_TEST

START_TEST(test_path_other_link)
{
	char path[PATH_MAX], want[PATH_MAX];
	struct trust_result r;

	make_dir("target", 0, 0755);
	make_link("theirs", "target", NOBODY);
	at(path, "theirs/file");
	at(want, "theirs is owned by uid 65534");
	EXPECT_DIE_MSG("paths", want, trust_policy_path(path, CALLER));
	/* At the end as well, and for root. */
	at(path, "theirs");
	EXPECT_DIE_MSG("paths", want, trust_policy_path(path, 0));
	ck_assert_int_eq(walk("theirs", 0, &r), TRUST_UNTRUSTED);
	ck_assert_uint_eq(r.owner, NOBODY);
	/* Whether or not the target exists. */
	make_link("dangling", "nothing/here", NOBODY);
	at(path, "dangling/x");
	EXPECT_DIE_MSG("paths", "owned by uid 65534",
		   trust_policy_path(path, CALLER));
	/* Another user's link is no better than a stranger's. */
	make_link("users", "target", CALLER + 1);
	at(path, "users");
	EXPECT_DIE_MSG("paths", "owned by uid 1001",
		   trust_policy_path(path, CALLER));
}
END_TEST

/* Links in links: root's lead to someone else's, in the middle. */
START_TEST(test_path_nested)
{
	char path[PATH_MAX], abs[PATH_MAX];
	struct trust_result r;

	make_dir("a", 0, 0755);
	make_dir("a/b", 0, 0755);
	make_dir("c", 0, 0755);
	make_file("c/file", 0, 0644);
	make_link("a/b/up", "../../c", 0);
	make_link("a/to-up", "b/up", 0);
	at(abs, "a/to-up/file");
	make_link("start", abs, 0);
	at(path, "start");
	trust_policy_path(path, CALLER);
	ck_assert_int_eq(walk("start", CALLER, &r), TRUST_OK);
	ck_assert_uint_eq(r.hops, 3);

	/* The same chain with its innermost link someone else's. */
	make_link("a/b/up2", "../../c", NOBODY);
	make_link("a/to-up2", "b/up2", 0);
	at(abs, "a/to-up2/file");
	make_link("start2", abs, 0);
	at(path, "start2");
	EXPECT_DIE_MSG("paths", "/a/b/up2 is owned by uid 65534",
		   trust_policy_path(path, CALLER));
	ck_assert_int_eq(walk("start2", CALLER, &r), TRUST_UNTRUSTED);
	ck_assert_uint_eq(r.hops, 3);
}
END_TEST

/* ".." after a link climbs from where the link led, as the kernel. */
START_TEST(test_path_dotdot)
{
	struct trust_result r;

	make_dir("a", 0, 0755);
	make_dir("a/b", 0, 0755);
	make_file("a/x", 0, 0644);
	make_link("l", "a/b", 0);
	/* "l/../x" is "a/x", not "x" (which does not exist). */
	ck_assert_int_eq(walk("l/../x", CALLER, &r), TRUST_OK);
	ck_assert_int_eq(walk("l/./../x/", CALLER, &r), TRUST_MISSING);
	ck_assert_int_eq(r.err, ENOTDIR);
	ck_assert_int_eq(walk("a/b/../../a/x", CALLER, &r), TRUST_OK);
	ck_assert_int_eq(walk("a/b/../../../../../../../../../../../../../../"
			      "../../../../tmp", CALLER, &r), TRUST_OK);
}
END_TEST

START_TEST(test_path_loop)
{
	char path[PATH_MAX];
	struct trust_result r;

	make_link("a", "b", 0);
	make_link("b", "a", 0);
	at(path, "a");
	EXPECT_DIE_MSG("paths", "more than 40 symbolic links",
		   trust_policy_path(path, CALLER));
	ck_assert_int_eq(walk("a/x", CALLER, &r), TRUST_LOOP);
	ck_assert_uint_eq(r.hops, TRUST_MAX_HOPS);
}
END_TEST

/* The kernel's limit exactly: 40 links followed, not 41. */
START_TEST(test_path_hop_limit)
{
	char name[32], target[32];
	struct trust_result r;
	int i;

	make_dir("d", 0, 0755);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		snprintf(target, sizeof(target), "l%d", i + 1);
		make_link(name, target, 0);
	}
	make_link("l40", "d", 0);
	ck_assert_int_eq(walk("l1", CALLER, &r), TRUST_OK);
	ck_assert_uint_eq(r.hops, 40);
	ck_assert_int_eq(walk("l0", CALLER, &r), TRUST_LOOP);
}
END_TEST

START_TEST(test_path_missing)
{
	char path[PATH_MAX];
	struct trust_result r;

	at(path, "nothing/at/all");
	trust_policy_path(path, CALLER);
	ck_assert_int_eq(walk("nothing/at/all", CALLER, &r), TRUST_MISSING);
	ck_assert_int_eq(r.err, ENOENT);
	/* Through a trusted link to nowhere: left to the caller. */
	make_link("nowhere", "gone", 0);
	at(path, "nowhere/x");
	trust_policy_path(path, CALLER);
	/* A file in the middle. */
	make_file("f", 0, 0644);
	at(path, "f/x");
	trust_policy_path(path, CALLER);
	ck_assert_int_eq(walk("f/x", CALLER, &r), TRUST_MISSING);
	ck_assert_int_eq(r.err, ENOTDIR);
}
END_TEST

START_TEST(test_path_bad)
{
	char path[PATH_MAX + 16];
	size_t i;

	EXPECT_DIE_MSG("paths", "relative: not an absolute path",
		   trust_policy_path("relative", 0));
	memset(path, 'n', sizeof(path) - 1);
	path[0] = '/';
	path[300] = '\0';
	EXPECT_DIE_MSG("paths", "too long", trust_policy_path(path, 0));
	memset(path, 'n', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	for (i = 0; i < sizeof(path) - 1; i += 100)
		path[i] = '/';
	EXPECT_DIE_MSG("paths", "too long", trust_policy_path(path, 0));
}
END_TEST

/* ---- exec-env ----------------------------------------------------------- */

static int capget_raw(struct __user_cap_data_struct *d)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return (int)syscall(SYS_capget, &h, d);
}

static int capset_raw(uint64_t permitted, uint64_t effective,
		      uint64_t inheritable)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)effective, (uint32_t)permitted,
		  (uint32_t)inheritable },
		{ (uint32_t)(effective >> 32), (uint32_t)(permitted >> 32),
		  (uint32_t)(inheritable >> 32) },
	};

	return (int)syscall(SYS_capset, &h, d);
}

#define NET_BIND (1ULL << CAP_NET_BIND_SERVICE)

/* Become uid NOBODY with only CAP_NET_BIND_SERVICE, ambient or not. */
static void become_nobody(bool ambient)
{
	ck_assert_int_eq(prctl(PR_SET_KEEPCAPS, 1UL, 0UL, 0UL, 0UL), 0);
	ck_assert_int_eq(setresgid(NOBODY, NOBODY, NOBODY), 0);
	ck_assert_int_eq(setgroups(0, NULL), 0);
	ck_assert_int_eq(setresuid(NOBODY, NOBODY, NOBODY), 0);
	ck_assert_int_eq(capset_raw(NET_BIND, 0, NET_BIND), 0);
	if (ambient)
		ck_assert_int_eq(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE,
				       (unsigned long)CAP_NET_BIND_SERVICE,
				       0UL, 0UL), 0);
}

START_TEST(test_env_ok)
{
	trust_exec_env();
}
END_TEST

START_TEST(test_env_uids)
{
	assert_forked();
	ck_assert_int_eq(setresuid(NOBODY, 0, 0), 0);
	EXPECT_DIE_MSG("setup", "must not be set-user-ID", trust_exec_env());
}
END_TEST

START_TEST(test_env_gids)
{
	assert_forked();
	ck_assert_int_eq(setresgid(NOBODY, 0, 0), 0);
	EXPECT_DIE_MSG("setup", "must not be set-group-ID", trust_exec_env());
}
END_TEST

/* What file capabilities leave after exec, as the kernel checks it. */
START_TEST(test_env_caps)
{
	struct __user_cap_data_struct d[2];

	assert_forked();
	become_nobody(false);
	ck_assert_int_eq(capget_raw(d), 0);
	ck_assert_uint_eq(d[0].permitted, NET_BIND);
	EXPECT_DIE_MSG("setup", "capabilities (0x400)", trust_exec_env());
}
END_TEST

/* Ambient capabilities are the caller's to give. */
START_TEST(test_env_ambient)
{
	assert_forked();
	become_nobody(true);
	trust_exec_env();
}
END_TEST

/* ---- exec-env: copies of this program, exec'd ------------------------- */

/*
 * "test-trust --exec-env": call trust_exec_env() and print what
 * happened, "ok" or "died STEP: MESSAGE".  _exit(): a sanitized build's
 * leak check at exit() cannot stop a set-ID (non-dumpable) process.
 */
static void __attribute__((noreturn)) helper(void)
{
	jmp_buf jb;

	if (setjmp(jb) == 0) {
		die_jmp = &jb;
		trust_exec_env();
		printf("ok\n");
		fflush(stdout);
		_exit(0);
	}
	printf("died %s: %s\n", died_step, died_msg);
	fflush(stdout);
	_exit(SHIM_EXIT_FAIL);
}

/* Copy /proc/self/exe to @name in the test directory, mode 0755. */
static void copy_self(char *path, const char *name)
{
	char buf[65536];
	ssize_t n;
	int in, out;

	at(path, name);
	in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(in, 0);
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	ck_assert_int_ge(out, 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	ck_assert_int_eq(n, 0);
	close(in);
	ck_assert_int_eq(close(out), 0);
	/* Searchable by NOBODY, who runs some of the copies. */
	ck_assert_int_eq(chmod(dir, 0755), 0);
}

/*
 * Can exec here make a set-ID or file-capability program privileged?
 * Not under no_new_privs (a container's), nor on a nosuid mount.
 */
static bool can_raise(void)
{
	struct statvfs sv;

	if (prctl(PR_GET_NO_NEW_PRIVS, 0UL, 0UL, 0UL, 0UL) != 0) {
		fprintf(stderr, "# skipped: no_new_privs is set\n");
		return false;
	}
	if (statvfs(dir, &sv) == 0 && (sv.f_flag & ST_NOSUID)) {
		fprintf(stderr, "# skipped: %s is on a nosuid mount\n", dir);
		return false;
	}
	return true;
}

/* Run @path --exec-env (as NOBODY with @ambient capabilities when
 * @as_nobody); its output goes to @out. */
static int run_helper(const char *path, bool as_nobody, bool ambient,
		      char *out, size_t size)
{
	int p[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(p[1], 1);
		if (as_nobody) {
			prctl(PR_SET_KEEPCAPS, 1UL, 0UL, 0UL, 0UL);
			if (setresgid(NOBODY, NOBODY, NOBODY) < 0 ||
			    setgroups(0, NULL) < 0 ||
			    setresuid(NOBODY, NOBODY, NOBODY) < 0)
				_exit(90);
			if (ambient &&
			    (capset_raw(NET_BIND, 0, NET_BIND) < 0 ||
			     prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE,
				   (unsigned long)CAP_NET_BIND_SERVICE, 0UL,
				   0UL) < 0))
				_exit(91);
		}
		execl(path, path, "--exec-env", (char *)NULL);
		_exit(92);
	}
	close(p[1]);
	while (len + 1 < size &&
	       (n = read(p[0], out + len, size - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "helper: status 0x%x", status);
	return WEXITSTATUS(status);
}

START_TEST(test_exec_setuid)
{
	char path[PATH_MAX], out[2048];

	if (!can_raise())
		return;
	copy_self(path, "setuid");
	ck_assert_int_eq(chown(path, NOBODY, 0), 0);
	ck_assert_int_eq(chmod(path, 04755), 0);
	ck_assert_int_eq(run_helper(path, false, false, out, sizeof(out)),
			 SHIM_EXIT_FAIL);
	ck_assert_msg(strstr(out, "died setup: ") && strstr(out, "AT_SECURE"),
		      "helper said: %s", out);
}
END_TEST

START_TEST(test_exec_setgid)
{
	char path[PATH_MAX], out[2048];

	if (!can_raise())
		return;
	copy_self(path, "setgid");
	ck_assert_int_eq(chown(path, 0, NOBODY), 0);
	ck_assert_int_eq(chmod(path, 02755), 0);
	ck_assert_int_eq(run_helper(path, false, false, out, sizeof(out)),
			 SHIM_EXIT_FAIL);
	ck_assert_msg(strstr(out, "died setup: ") && strstr(out, "AT_SECURE"),
		      "helper said: %s", out);
}
END_TEST

/* File capabilities, no set-ID bit, equal ids: AT_SECURE all the same. */
START_TEST(test_exec_filecaps)
{
	struct vfs_cap_data cap;
	char path[PATH_MAX], out[2048];

	if (!can_raise())
		return;
	copy_self(path, "filecaps");
	memset(&cap, 0, sizeof(cap));
	cap.magic_etc = VFS_CAP_REVISION_2;
	cap.data[0].permitted = (uint32_t)NET_BIND;
	if (setxattr(path, "security.capability", &cap, sizeof(cap), 0) < 0) {
		fprintf(stderr, "# skipped: file capabilities: %s\n",
			strerror(errno));
		return;
	}
	ck_assert_int_eq(run_helper(path, true, false, out, sizeof(out)),
			 SHIM_EXIT_FAIL);
	ck_assert_msg(strstr(out, "died setup: ") && strstr(out, "AT_SECURE"),
		      "helper said: %s", out);
}
END_TEST

/* What the last two are not: plain, and with the caller's ambient
 * capabilities, which arrive in the permitted set without AT_SECURE. */
START_TEST(test_exec_plain)
{
	char path[PATH_MAX], out[2048];

	copy_self(path, "plain");
	ck_assert_int_eq(run_helper(path, false, false, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "ok\n");
	ck_assert_int_eq(run_helper(path, true, false, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "ok\n");
	ck_assert_int_eq(run_helper(path, true, true, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "ok\n");
}
END_TEST

/* ---- the system trust directory and its keys ---------------------------- */

START_TEST(test_root_dir)
{
	char path[PATH_MAX];
	int fd;

	make_dir("td", 0, 0755);
	fd = open_at("td");
	trust_root_dir(fd, "signature", "td");
	at(path, "td");
	/* Sticky or not, a group or others could add a key. */
	ck_assert_int_eq(chmod(path, 0775), 0);
	EXPECT_DIE_MSG("signature", "writable by group or others (mode 0775)",
		       trust_root_dir(fd, "signature", "td"));
	ck_assert_int_eq(chmod(path, 01777), 0);
	EXPECT_DIE_MSG("signature", "writable by group or others (mode 1777)",
		       trust_root_dir(fd, "signature", "td"));
	ck_assert_int_eq(chmod(path, 0755), 0);
	/* Only root's: the caller's own directory is not trusted. */
	ck_assert_int_eq(chown(path, CALLER, 0), 0);
	EXPECT_DIE_MSG("signature", "owned by uid 1000, not root",
		       trust_root_dir(fd, "signature", "td"));
	close(fd);
	/* Nor one under a directory of someone else's. */
	make_dir("cd", CALLER, 0755);
	make_dir("cd/td", 0, 0755);
	fd = open_at("cd/td");
	EXPECT_DIE_MSG("signature", "/cd is owned by uid 1000",
		       trust_root_dir(fd, "signature", "cd/td"));
	close(fd);
	fd = make_file("f", 0, 0644);
	EXPECT_DIE_MSG("signature", "not a directory",
		       trust_root_dir(fd, "signature", "f"));
	close(fd);
}
END_TEST

START_TEST(test_key_file)
{
	int fd;

	make_dir("td", 0, 0755);
	fd = make_file("td/k.pub", 0, 0644);
	trust_file_fd(fd, "signature", "td/k.pub", 0);
	close(fd);
	/* A key of the caller's is no key of root's. */
	fd = make_file("td/c.pub", CALLER, 0644);
	EXPECT_DIE_MSG("signature", "owned by uid 1000",
		       trust_file_fd(fd, "signature", "td/c.pub", 0));
	close(fd);
	fd = make_file("td/w.pub", 0, 0664);
	EXPECT_DIE_MSG("signature", "writable by group or others (mode 0664)",
		       trust_file_fd(fd, "signature", "td/w.pub", 0));
	close(fd);
}
END_TEST

static Suite *trust_suite(void)
{
	Suite *s = suite_create("trust");
	TCase *tc;

	tc = tcase_create("bundle");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, fixture_setup, NULL);
	tcase_add_test(tc, test_bundle_root_file);
	tcase_add_test(tc, test_bundle_caller_file);
	tcase_add_test(tc, test_bundle_group_writable);
	tcase_add_test(tc, test_bundle_other_owner);
	tcase_add_test(tc, test_bundle_world_writable_dir);
	tcase_add_test(tc, test_bundle_dir_other_owner);
	tcase_add_test(tc, test_bundle_sticky_dir);
	tcase_add_test(tc, test_bundle_memfd);
	tcase_add_test(tc, test_bundle_pipe);
	tcase_add_test(tc, test_bundle_replaced);
	suite_add_tcase(s, tc);

	tc = tcase_create("trust-dir");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, fixture_setup, NULL);
	tcase_add_test(tc, test_root_dir);
	tcase_add_test(tc, test_key_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("paths");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, fixture_setup, NULL);
	tcase_add_test(tc, test_path_root_link);
	tcase_add_test(tc, test_path_other_link);
	tcase_add_test(tc, test_path_nested);
	tcase_add_test(tc, test_path_dotdot);
	tcase_add_test(tc, test_path_loop);
	tcase_add_test(tc, test_path_hop_limit);
	tcase_add_test(tc, test_path_missing);
	tcase_add_test(tc, test_path_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("exec-env");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, fixture_setup, NULL);
	tcase_add_test(tc, test_env_ok);
	tcase_add_test(tc, test_env_uids);
	tcase_add_test(tc, test_env_gids);
	tcase_add_test(tc, test_env_caps);
	tcase_add_test(tc, test_env_ambient);
	tcase_add_test(tc, test_exec_setuid);
	tcase_add_test(tc, test_exec_setgid);
	tcase_add_test(tc, test_exec_filecaps);
	tcase_add_test(tc, test_exec_plain);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	if (argc == 2 && strcmp(argv[1], "--exec-env") == 0)
		helper();
	if (geteuid() != 0) {
		printf("1..0 # SKIP test-trust makes files of other users: "
		       "run it as root\n");
		return EXIT_SUCCESS;
	}
	runner_pid = getpid();
	sr = srunner_create(trust_suite());
	/* Whatever CK_FORK says: tests change their ids, and the double
	 * of die() may abort a test midway. */
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
