/* SPDX-License-Identifier: MIT */
/*
 * test-mounts.c - leash-exec's private mount tree (runtime-shim/
 * mounts.c), linked with a double of die.c as test-shim.c is: die()
 * and die_errno() record the step and jump back to the test.
 *
 *   plan       mounts_needed() and mount_plan_init() change nothing
 *   host       with host_root: /proc/sys, /sys and every cgroup mount
 *              read-only (core_pattern cannot be opened for writing),
 *              a /dev of exactly the expected entries that work, and
 *              every other mount nodev
 *   rules      mask, readonly and noexec over a temporary tree;
 *              read_only_root; a missing target warns and goes on
 *   links      a symbolic link as the last component is refused; one
 *              on the way is followed when root or the caller owns it,
 *              and refused when someone else does
 *
 * Every test runs in check's forked child, which enters a mount
 * namespace of its own first (and a user namespace when not root) and
 * cuts propagation to the runner's, as leash-exec does before it calls
 * apply_mounts().  The tests that mount take a loop index: bit 0 forces
 * the mount(2) fallback instead of the new mount API, so both are run
 * on a kernel that has the new one.  main() checks that the runner's
 * own mount table is the same after all tests as before.
 *
 * No test ever writes to a file of /proc/sys or /sys: a test that can
 * open one for writing fails without writing.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include "mounts.h"
#include "die.h"
#include "tests/unit/die-double.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the double of die.c -------------------------------------------- */

/* die(), die_errno(), warn(): tests/unit/die-double.c */

/* ---- helpers ------------------------------------------------------------- */

static pid_t runner_pid;
static bool runner_root;		/* uid 0 of the initial namespace */

/* Made by the unchecked fixture, in the runner, so that it is removed
 * even when a forked test fails:
 *   dir/a, dir/sub/   file ("secret")   bin/true (a copy)
 *   link -> dir       ldir -> dir       other/
 *   foreign -> dir    (owned by uid 12345; only when run as root) */
static char tmp_dir[PATH_MAX];
static bool have_foreign;

static const char *tpath(const char *name)
{
	static char buf[4][PATH_MAX + 64];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", tmp_dir, name);
	return p;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	ssize_t n;
	int in, out;

	in = open(from, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(in >= 0, "%s: %s", from, strerror(errno));
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	ck_assert_msg(out >= 0, "%s: %s", to, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	ck_assert_int_eq(n, 0);
	close(in);
	close(out);
}

static void tree_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(tmp_dir, sizeof(tmp_dir), "%s/test-mounts.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
	ck_assert_int_eq(chmod(tmp_dir, 0755), 0);
	ck_assert_int_eq(mkdir(tpath("dir"), 0755), 0);
	ck_assert_int_eq(mkdir(tpath("dir/sub"), 0755), 0);
	ck_assert_int_eq(mkdir(tpath("other"), 0755), 0);
	ck_assert_int_eq(mkdir(tpath("bin"), 0755), 0);
	write_file(tpath("dir/a"), "a", 0644);
	write_file(tpath("file"), "secret", 0644);
	copy_file("/bin/true", tpath("bin/true"), 0755);
	ck_assert_int_eq(symlink("dir", tpath("link")), 0);
	ck_assert_int_eq(symlink("dir", tpath("ldir")), 0);
	have_foreign = geteuid() == 0;
	if (have_foreign) {
		ck_assert_int_eq(symlink("dir", tpath("foreign")), 0);
		ck_assert_int_eq(lchown(tpath("foreign"), 12345, 12345), 0);
	}
}

static void tree_teardown(void)
{
	static const char *const names[] = {
		"dir/a", "dir/sub", "dir", "file", "bin/true", "bin", "link",
		"ldir", "foreign", "other",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		(void)remove(tpath(names[i]));
	rmdir(tmp_dir);
}

/* The tests change their mount namespace: never in the runner. */
static void assert_forked(void)
{
	ck_assert_msg(getpid() != runner_pid,
		      "this test changes the process: it must run forked");
}

static void write_proc(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/*
 * What leash-exec's child is in when it calls apply_mounts(): a mount
 * namespace of its own (and, not root, a user namespace where it is
 * uid 0), cut from the runner's propagation.  False when this machine
 * gives no user namespace to an unprivileged process: nothing to test.
 */
static bool enter_ns(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	assert_forked();
	if (uid == 0) {
		ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	} else {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
			ck_assert_msg(errno == EPERM || errno == EINVAL ||
				      errno == ENOSPC || errno == EUSERS,
				      "unshare: %s", strerror(errno));
			return false;
		}
		write_proc("/proc/self/setgroups", "deny");
		snprintf(map, sizeof(map), "0 %u 1", (unsigned int)uid);
		write_proc("/proc/self/uid_map", map);
		snprintf(map, sizeof(map), "0 %u 1", (unsigned int)gid);
		write_proc("/proc/self/gid_map", map);
	}
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL), 0);
	return true;
}

/* Bit 0 of a loop test's index: the mount(2) fallback. */
static void apply(const struct lb_bundle *b, bool host_root, int loop)
{
	struct mount_plan mp;

	mount_plan_init(&mp, b, host_root, false);
	if (loop & 1)
		mp.new_api = false;
	mount_plan_apply(&mp);
}

static void one_rule(struct lb_bundle *b, struct lb_mount *m, uint32_t kind,
		     const char *path)
{
	memset(b, 0, sizeof(*b));
	b->name = (char *)"test";
	b->has_mounts = true;
	m->kind = kind;
	m->path = (char *)path;
	b->mounts = m;
	b->n_mounts = 1;
}

/* errno of an open(), 0 when it succeeds; never writes. */
static int open_errno(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* errno of creating @path, 0 when it could (and then removed it). */
static int create_errno(const char *path)
{
	int err = open_errno(path, O_WRONLY | O_CREAT | O_EXCL);

	if (!err)
		unlink(path);
	return err;
}

static unsigned long vfs_flags(const char *path)
{
	struct statvfs sv;

	ck_assert_msg(statvfs(path, &sv) == 0, "%s: %s", path,
		      strerror(errno));
	return sv.f_flag;
}

/* The names in @path, sorted and space-separated, without . and .. */
static void list_dir(const char *path, char *out, size_t size)
{
	struct dirent **names;
	int n, i;

	n = scandir(path, &names, NULL, alphasort);
	ck_assert_msg(n >= 0, "%s: %s", path, strerror(errno));
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") &&
		    strcmp(names[i]->d_name, ".."))
			snprintf(out + strlen(out), size - strlen(out), "%s%s",
				 *out ? " " : "", names[i]->d_name);
		free(names[i]);
	}
	free(names);
}

/* All of @path, NUL-terminated; NULL on failure (main() uses it too,
 * outside any test). */
static char *read_all(const char *path)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap), *more;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (!buf || fd < 0)
		goto fail;
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 2) {
			cap *= 2;
			more = realloc(buf, cap);
			if (!more)
				goto fail;
			buf = more;
		}
	}
	if (n < 0)
		goto fail;
	close(fd);
	buf[len] = '\0';
	return buf;
fail:
	free(buf);
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* The exit status of @path run in a child: errno of a failed execve. */
static int exec_status(const char *path)
{
	char *const argv[] = { (char *)path, NULL };
	char *const envp[] = { NULL };
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execve(path, argv, envp);
		_exit(errno);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* ---- plan ---------------------------------------------------------------- */

START_TEST(test_needed)
{
	struct lb_mount m = { LB_MNT_READONLY, (char *)"/x" };
	struct lb_bundle b;
	struct mount_plan mp;

	memset(&b, 0, sizeof(b));
	ck_assert(!mounts_needed(&b, false));
	ck_assert(mounts_needed(&b, true));
	/* A section with nothing in it asks for nothing. */
	b.has_mounts = true;
	ck_assert(!mounts_needed(&b, false));
	b.mount_flags = LB_MNT_READ_ONLY_ROOT;
	ck_assert(mounts_needed(&b, false));
	b.mount_flags = 0;
	b.mounts = &m;
	b.n_mounts = 1;
	ck_assert(mounts_needed(&b, false));

	mount_plan_init(&mp, &b, true, true);
	ck_assert_ptr_eq(mp.b, &b);
	ck_assert(mp.host_root && mp.new_proc);
	ck_assert_uint_ne(mp.overflow_uid, 0);
}
END_TEST

/* Nothing asked, nothing done: the child's table is unchanged. */
START_TEST(test_nothing)
{
	struct lb_bundle b;
	char *before, *after;

	if (!enter_ns())
		return;
	memset(&b, 0, sizeof(b));
	b.has_mounts = true;
	before = read_all("/proc/self/mountinfo");
	ck_assert_ptr_nonnull(before);
	apply(&b, false, _i);
	after = read_all("/proc/self/mountinfo");
	ck_assert_ptr_nonnull(after);
	ck_assert_str_eq(before, after);
	ck_assert_int_eq(n_warned, 0);
	free(before);
	free(after);
}
END_TEST

/* ---- host ---------------------------------------------------------------- */

/*
 * Call @fn with the mount point and type of each cgroup, cgroup2 and
 * sysfs mount that a path reaches, until it returns true.  Mount points
 * with escaped characters (spaces) are none of this test's.
 */
static bool each_knob(bool (*fn)(const char *point, const char *type,
				 void *arg), void *arg)
{
	char *tab = read_all("/proc/self/mountinfo"), *line, *save = NULL;
	char point[PATH_MAX], type[64];
	struct stat st;
	bool done = false;

	ck_assert_ptr_nonnull(tab);
	for (line = strtok_r(tab, "\n", &save); line && !done;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *dash = strstr(line, " - ");

		if (!dash ||
		    sscanf(line, "%*d %*d %*s %*s %4095s", point) != 1 ||
		    sscanf(dash, " - %63s", type) != 1)
			continue;
		if (strcmp(type, "cgroup") && strcmp(type, "cgroup2") &&
		    strcmp(type, "sysfs"))
			continue;
		if (strchr(point, '\\') || stat(point, &st) < 0)
			continue;
		done = fn(point, type, arg);
	}
	free(tab);
	return done;
}

static bool knob_ro(const char *point, const char *type, void *arg)
{
	ck_assert_msg(vfs_flags(point) & ST_RDONLY, "%s (%s) writable",
		      point, type);
	return false;
}

static bool knob_cgroup(const char *point, const char *type, void *arg)
{
	char *out = arg;

	if (strcmp(type, "cgroup") && strcmp(type, "cgroup2"))
		return false;
	snprintf(out, PATH_MAX, "%s", point);
	return true;
}

/* The mount point of a cgroup file system into @out ("" if none). */
static bool first_cgroup(char *out, size_t size)
{
	ck_assert_uint_ge(size, PATH_MAX);
	out[0] = '\0';
	return each_knob(knob_cgroup, out);
}

/*
 * core_pattern is opened for writing, never written: a test that gets
 * it open fails there.  Root is refused by the read-only mount (EROFS);
 * a user namespace's root by the file's owner first (EACCES), so the
 * mount is checked on its own too.
 */
static void check_core_pattern(void)
{
	const char *path = "/proc/sys/kernel/core_pattern";
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		ck_abort_msg("%s opens for writing", path);
	}
	if (runner_root)
		ck_assert_int_eq(errno, EROFS);
	else
		ck_assert_msg(errno == EROFS || errno == EACCES, "%s: %s",
			      path, strerror(errno));
	ck_assert(vfs_flags("/proc/sys") & ST_RDONLY);
	ck_assert(vfs_flags(path) & ST_RDONLY);
}

START_TEST(test_host_root)
{
	const char *want = "fd full null ptmx pts random shm stderr stdin "
			   "stdout tty urandom zero";
	const char *cg = "/sys/fs/cgroup/leash-test-mounts";
	char names[512], buf[16], pts[64], link[64], cgroup[PATH_MAX];
	struct lb_bundle b;
	struct stat st;
	bool tty = access("/dev/tty", F_OK) == 0;
	unsigned int n;
	int fd, err;

	if (!enter_ns())
		return;
	/* A cgroup file system outside /sys, as a container manager may
	 * have one: read-only all the same. */
	if (first_cgroup(cgroup, sizeof(cgroup)))
		ck_assert_msg(mount(cgroup, tpath("other"), NULL, MS_BIND,
				    NULL) == 0, "bind of %s: %s", cgroup,
			      strerror(errno));
	memset(&b, 0, sizeof(b));
	b.name = (char *)"test";
	apply(&b, true, _i);

	if (*cgroup)
		ck_assert(vfs_flags(tpath("other")) & ST_RDONLY);
	check_core_pattern();
	ck_assert_int_eq(open_errno("/proc/sys/kernel/core_pattern",
				    O_RDONLY), 0);
	if (access("/proc/sysrq-trigger", F_OK) == 0)
		ck_assert_int_eq(open_errno("/proc/sysrq-trigger", O_WRONLY),
				 EROFS);
	ck_assert(vfs_flags("/proc/sys") & ST_RDONLY);
	if (access("/proc/irq", F_OK) == 0)
		ck_assert(vfs_flags("/proc/irq") & ST_RDONLY);
	if (access("/proc/bus", F_OK) == 0)
		ck_assert(vfs_flags("/proc/bus") & ST_RDONLY);
	/* /proc itself stays the writable proc it was. */
	ck_assert_int_eq(open_errno("/proc/self/comm", O_WRONLY), 0);

	/* /sys, its cgroup file systems, and any other. */
	ck_assert(vfs_flags("/sys") & ST_RDONLY);
	/* On the host's own file system if the mount did not take: a
	 * directory made is removed before the test fails. */
	if (stat("/sys/fs/cgroup", &st) == 0) {
		if (mkdir(cg, 0755) == 0) {
			rmdir(cg);
			ck_abort_msg("%s: made", cg);
		}
		ck_assert_int_eq(errno, EROFS);
	}
	each_knob(knob_ro, NULL);

	/* /dev: exactly these, and they work. */
	list_dir("/dev", names, sizeof(names));
	if (tty) {
		ck_assert_str_eq(names, want);
	} else {
		ck_assert_str_eq(names, "fd full null ptmx pts random shm "
			"stderr stdin stdout urandom zero");
	}
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "x", 1), 1);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 0);
	/* Read-only binds: the host's inode cannot be changed.  Tried with
	 * the mode it has, so that a bind that is not read-only changes
	 * nothing on the host either. */
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(fchmod(fd, st.st_mode & 07777) < 0 ? errno : 0,
			 EROFS);
	close(fd);
	fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buf, 4), 4);
	ck_assert_int_eq(buf[0] | buf[1] | buf[2] | buf[3], 0);
	close(fd);
	ck_assert_int_eq(open_errno("/dev/urandom", O_RDONLY), 0);
	ck_assert_int_eq(open_errno("/dev/full", O_WRONLY), 0);
	/* A terminal of the new devpts instance. */
	fd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "/dev/ptmx: %s", strerror(errno));
	ck_assert_int_eq(ioctl(fd, TIOCGPTN, &n), 0);
	snprintf(pts, sizeof(pts), "/dev/pts/%u", n);
	ck_assert_msg(stat(pts, &st) == 0 && S_ISCHR(st.st_mode), "%s", pts);
	close(fd);
	ck_assert_int_eq(readlink("/dev/fd", link, sizeof(link)), 13);
	ck_assert_int_eq(memcmp(link, "/proc/self/fd", 13), 0);
	ck_assert_int_eq(readlink("/dev/ptmx", link, sizeof(link)), 8);
	ck_assert_int_eq(memcmp(link, "pts/ptmx", 8), 0);
	ck_assert_int_eq(create_errno("/dev/shm/leash-test"), 0);

	/* nodev everywhere but the device binds and devpts. */
	ck_assert(vfs_flags("/") & ST_NODEV);
	ck_assert(vfs_flags("/dev") & ST_NODEV);
	ck_assert(vfs_flags("/dev/shm") & ST_NODEV);
	ck_assert(!(vfs_flags("/dev/null") & ST_NODEV));
	ck_assert(!(vfs_flags("/dev/pts") & ST_NODEV));
	ck_assert(vfs_flags("/dev") & ST_NOSUID);
	/* A node made by a uid 0 program opens nothing (the listing above
	 * said this /dev is ours; each node is removed all the same). */
	if (mknod("/dev/shm/mem", S_IFCHR | 0600, makedev(1, 1)) == 0) {
		err = open_errno("/dev/shm/mem", O_RDONLY);
		unlink("/dev/shm/mem");
		ck_assert_int_eq(err, EACCES);
	}
	if (mknod("/dev/disk0", S_IFCHR | 0600, makedev(1, 3)) == 0) {
		err = open_errno("/dev/disk0", O_RDONLY);
		unlink("/dev/disk0");
		ck_assert_int_eq(err, EACCES);
	}
	ck_assert_int_eq(n_warned, tty ? 0 : 1);
}
END_TEST

/* ---- rules --------------------------------------------------------------- */

START_TEST(test_readonly)
{
	struct lb_mount m[2];
	struct lb_bundle b;
	char buf[16];
	int fd;

	if (!enter_ns())
		return;
	/* A mount inside the directory must turn read-only with it. */
	ck_assert_int_eq(mount("tmpfs", tpath("dir/sub"), "tmpfs", 0,
			       "size=16k"), 0);
	ck_assert_int_eq(create_errno(tpath("dir/sub/x")), 0);
	one_rule(&b, &m[0], LB_MNT_READONLY, tpath("dir"));
	m[1].kind = LB_MNT_READONLY;
	m[1].path = (char *)tpath("file");
	b.n_mounts = 2;
	apply(&b, false, _i);

	ck_assert_int_eq(create_errno(tpath("dir/x")), EROFS);
	ck_assert_int_eq(create_errno(tpath("dir/sub/x")), EROFS);
	ck_assert_int_eq(open_errno(tpath("dir/a"), O_WRONLY), EROFS);
	ck_assert_int_eq(open_errno(tpath("file"), O_WRONLY), EROFS);
	fd = open(tpath("dir/a"), O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 1);
	close(fd);
	/* Next to it, unchanged. */
	ck_assert_int_eq(create_errno(tpath("other/x")), 0);
	ck_assert_int_eq(n_warned, 0);
}
END_TEST

/* Bit 1: with host_root, so with the new /dev's /dev/null. */
START_TEST(test_mask)
{
	struct lb_mount m[2];
	struct lb_bundle b;
	char names[256], buf[16];
	int fd;

	if (!enter_ns())
		return;
	one_rule(&b, &m[0], LB_MNT_MASK, tpath("dir"));
	m[1].kind = LB_MNT_MASK;
	m[1].path = (char *)tpath("file");
	b.n_mounts = 2;
	apply(&b, _i & 2, _i);

	list_dir(tpath("dir"), names, sizeof(names));
	ck_assert_str_eq(names, "");
	ck_assert_int_eq(open_errno(tpath("dir/a"), O_RDONLY), ENOENT);
	ck_assert_int_eq(create_errno(tpath("dir/x")), EROFS);
	ck_assert(vfs_flags(tpath("dir")) & ST_NOEXEC);
	fd = open(tpath("file"), O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 0);
	close(fd);
	ck_assert(vfs_flags(tpath("file")) & ST_RDONLY);
	ck_assert_int_eq(n_warned, 0);
}
END_TEST

START_TEST(test_noexec)
{
	struct lb_mount m;
	struct lb_bundle b;

	if (!enter_ns())
		return;
	ck_assert_int_eq(exec_status(tpath("bin/true")), 0);
	one_rule(&b, &m, LB_MNT_NOEXEC, tpath("bin"));
	apply(&b, false, _i);
	ck_assert_int_eq(exec_status(tpath("bin/true")), EACCES);
	ck_assert(vfs_flags(tpath("bin")) & ST_NOSUID);
	/* Still readable and writable: only execution is refused. */
	ck_assert_int_eq(open_errno(tpath("bin/true"), O_RDONLY), 0);
	ck_assert_int_eq(create_errno(tpath("bin/x")), 0);
}
END_TEST

/* Bit 1: with host_root, so with a /dev/shm of our own. */
START_TEST(test_read_only_root)
{
	char shm[64];
	struct lb_bundle b;
	bool host_root = _i & 2;

	if (!enter_ns())
		return;
	memset(&b, 0, sizeof(b));
	b.name = (char *)"test";
	b.has_mounts = true;
	b.mount_flags = LB_MNT_READ_ONLY_ROOT;
	apply(&b, host_root, _i);

	ck_assert_int_eq(create_errno(tpath("x")), EROFS);
	ck_assert_int_eq(create_errno("/tmp/leash-test-mounts"), EROFS);
	ck_assert(vfs_flags("/") & ST_RDONLY);
	/* /dev/shm and /proc stay writable, /proc/sys does not. */
	snprintf(shm, sizeof(shm), "/dev/shm/leash-test-mounts.%d",
		 (int)getpid());
	ck_assert_int_eq(create_errno(shm), 0);
	ck_assert_int_eq(open_errno("/proc/self/comm", O_WRONLY), 0);
	ck_assert_int_eq(open_errno("/dev/null", O_WRONLY), 0);
	if (host_root) {
		check_core_pattern();
		ck_assert_int_eq(open_errno("/dev/ptmx", O_RDWR | O_NOCTTY),
				 0);
	}
}
END_TEST

START_TEST(test_missing)
{
	struct lb_mount m[2];
	struct lb_bundle b;

	if (!enter_ns())
		return;
	one_rule(&b, &m[0], LB_MNT_READONLY, tpath("missing/deeper"));
	m[1].kind = LB_MNT_READONLY;
	m[1].path = (char *)tpath("dir");
	b.n_mounts = 2;
	apply(&b, false, _i);
	ck_assert_int_eq(n_warned, 1);
	ck_assert_str_eq(warned_step, "mounts");
	ck_assert_msg(strstr(warned_msg, tpath("missing/deeper")) != NULL,
		      "warning: %s", warned_msg);
	/* And the next rule still applies. */
	ck_assert_int_eq(create_errno(tpath("dir/x")), EROFS);
}
END_TEST

/* ---- links --------------------------------------------------------------- */

/* The mount would land on what the link names at the time: refused,
 * and nothing is mounted on either side. */
START_TEST(test_link_last)
{
	struct lb_mount m;
	struct lb_bundle b;

	if (!enter_ns())
		return;
	one_rule(&b, &m, LB_MNT_READONLY, tpath("link"));
	EXPECT_DIE("mounts", apply(&b, false, _i));
	ck_assert_msg(strstr(died_msg, "symbolic link") != NULL, "%s",
		      died_msg);
	ck_assert_int_eq(create_errno(tpath("dir/x")), 0);
	ck_assert_int_eq(create_errno(tpath("link/x")), 0);

	one_rule(&b, &m, LB_MNT_MASK, tpath("link"));
	EXPECT_DIE("mounts", apply(&b, false, _i));
	ck_assert_int_eq(open_errno(tpath("dir/a"), O_RDONLY), 0);
}
END_TEST

START_TEST(test_link_middle)
{
	struct lb_mount m;
	struct lb_bundle b;

	if (!enter_ns())
		return;
	/* Ours: followed, and the mount is on dir/sub itself. */
	one_rule(&b, &m, LB_MNT_READONLY, tpath("ldir/sub"));
	apply(&b, false, _i);
	ck_assert_int_eq(create_errno(tpath("dir/sub/x")), EROFS);
	ck_assert_int_eq(create_errno(tpath("dir/x")), 0);

	if (!have_foreign)
		return;
	one_rule(&b, &m, LB_MNT_MASK, tpath("foreign/a"));
	EXPECT_DIE("mounts", apply(&b, false, _i));
	ck_assert_msg(strstr(died_msg, "owned by uid 12345") != NULL, "%s",
		      died_msg);
	ck_assert_int_eq(open_errno(tpath("dir/a"), O_RDONLY), 0);
}
END_TEST

/* Merged /usr: /bin -> usr/bin is root's, also when a user namespace
 * shows root as the overflow uid (run unprivileged). */
START_TEST(test_link_system)
{
	struct lb_mount m;
	struct lb_bundle b;
	struct stat st;

	if (lstat("/bin", &st) < 0 || !S_ISLNK(st.st_mode) ||
	    access("/usr/bin/true", X_OK) < 0)
		return;
	if (!enter_ns())
		return;
	one_rule(&b, &m, LB_MNT_NOEXEC, "/bin/true");
	apply(&b, false, _i);
	ck_assert_int_eq(exec_status("/usr/bin/true"), EACCES);
	ck_assert(!(vfs_flags("/usr/bin") & ST_NOEXEC));
}
END_TEST

static Suite *mounts_suite(void)
{
	Suite *s = suite_create("mounts");
	TCase *tc;

	tc = tcase_create("plan");
	tcase_add_test(tc, test_needed);
	tcase_add_loop_test(tc, test_nothing, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("host");
	tcase_add_unchecked_fixture(tc, tree_setup, tree_teardown);
	tcase_add_loop_test(tc, test_host_root, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_unchecked_fixture(tc, tree_setup, tree_teardown);
	tcase_add_loop_test(tc, test_readonly, 0, 2);
	tcase_add_loop_test(tc, test_mask, 0, 4);
	tcase_add_loop_test(tc, test_noexec, 0, 2);
	tcase_add_loop_test(tc, test_read_only_root, 0, 4);
	tcase_add_loop_test(tc, test_missing, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("links");
	tcase_add_unchecked_fixture(tc, tree_setup, tree_teardown);
	tcase_add_loop_test(tc, test_link_last, 0, 2);
	tcase_add_loop_test(tc, test_link_middle, 0, 2);
	tcase_add_loop_test(tc, test_link_system, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mounts_suite());
	char *before, *after;
	int failed;

	runner_pid = getpid();
	runner_root = geteuid() == 0;
	/*
	 * As root, the runner's table is its own: cut from the host (where
	 * other tests run containers meanwhile, make -j2 check) and then
	 * shared again within, so a test that failed to cut its own
	 * propagation would still reach it and be caught below.
	 */
	if (runner_root &&
	    (unshare(CLONE_NEWNS) < 0 ||
	     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	     mount(NULL, "/", NULL, MS_REC | MS_SHARED, NULL) < 0)) {
		fprintf(stderr, "test-mounts: a mount namespace of its own: "
			"%s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	before = read_all("/proc/self/mountinfo");
	/* Whatever CK_FORK says: every test changes its mount namespace,
	 * and the double of die() may abort a test mid-step. */
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	/* Nothing reached the runner's mount table. */
	after = read_all("/proc/self/mountinfo");
	if (!before || !after || strcmp(before, after)) {
		fprintf(stderr, "test-mounts: the runner's mount table "
			"changed (or could not be read):\n--- before\n%s"
			"--- after\n%s", before ? before : "",
			after ? after : "");
		failed++;
	}
	free(before);
	free(after);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
