/* SPDX-License-Identifier: MIT */
/*
 * test-shim.c - the steps of leash-exec (runtime-shim/shim-steps.c),
 * linked without leash-exec.c and with a double of die.c: die() and
 * die_errno() record the step and the message and jump back to the
 * test, so a step's failure path is seen as well as its success.
 *
 *   machine    landlock_abi() agrees with the kernel; the Landlock
 *              masks per ABI (as documented, and as the kernel
 *              accepts); cgroup_plan() places each limit exactly once
 *              and creates nothing
 *   steps      each step applied for real, in check's forked child:
 *              rlimits, no_new_privs, a seccomp filter, a Landlock
 *              ruleset, the ID maps of a new user namespace; an empty
 *              plan changes nothing
 *   failures   a step that cannot do what the plan says dies, with its
 *              own step name and the reason
 *
 * Every test that changes the process asserts that it runs in a child
 * of the runner: nothing reaches the runner or the host.
 */
#include "shim.h"
#include "tests/unit/die-double.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the double of die.c -------------------------------------------- */

/* die(), die_errno(), warn(): tests/unit/die-double.c */

/* ---- helpers ---------------------------------------------------------- */

static pid_t runner_pid;

/* The tests that change the process (limits, filters, rulesets) must
 * run in check's forked child, never in the runner. */
static void assert_forked(void)
{
	ck_assert_msg(getpid() != runner_pid,
		      "this test changes the process: it must run forked");
}

/* A plan of @b with nothing to apply. */
static void empty_plan(struct plan *p, struct lb_bundle *b)
{
	memset(b, 0, sizeof(*b));
	memset(p, 0, sizeof(*p));
	b->name = (char *)"test";
	p->b = b;
}

static long ll_create(uint64_t fs, uint64_t net)
{
	struct {
		uint64_t fs, net;
	} attr = { fs, net };

	return syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
}

/* ---- machine ------------------------------------------------------------ */

START_TEST(test_landlock_abi)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);

	ck_assert_int_eq(landlock_abi(), abi < 0 ? 0 : (int)abi);
}
END_TEST

/* The rights of each ABI, from the kernel's Landlock documentation:
 * ABI 1 has 13 fs rights (EXECUTE .. MAKE_SYM), 2 adds REFER, 3
 * TRUNCATE, 4 the network rules (BIND_TCP, CONNECT_TCP), 5 IOCTL_DEV;
 * 6 (scopes) and 7 (audit flags) add no access right. */
START_TEST(test_landlock_masks)
{
	static const struct {
		int abi, n_fs;
		uint64_t fs, net;
	} want[] = {
		{ -1, 0, 0, 0 },
		{ 0, 0, 0, 0 },
		{ 1, 13, 0x1fff, 0 },
		{ 2, 14, 0x3fff, 0 },
		{ 3, 15, 0x7fff, 0 },
		{ 4, 15, 0x7fff, 0x3 },
		{ 5, 16, 0xffff, 0x3 },
		{ 6, 16, 0xffff, 0x3 },
		{ 7, 16, 0xffff, 0x3 },
	};
	int abi = landlock_abi();
	size_t i;
	long fd;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		uint64_t fs = landlock_fs_mask(want[i].abi);
		uint64_t net = landlock_net_mask(want[i].abi);

		ck_assert_msg(fs == want[i].fs, "ABI %d: fs 0x%llx, want 0x%llx",
			      want[i].abi, (unsigned long long)fs,
			      (unsigned long long)want[i].fs);
		ck_assert_int_eq(__builtin_popcountll(fs), want[i].n_fs);
		ck_assert_msg(net == want[i].net,
			      "ABI %d: net 0x%llx, want 0x%llx", want[i].abi,
			      (unsigned long long)net,
			      (unsigned long long)want[i].net);
	}
	/* What plan_landlock() takes for "every right this shim knows". */
	ck_assert_uint_eq(landlock_fs_mask(99), 0xffff);
	ck_assert_uint_eq(landlock_net_mask(99), 0x3);

	if (!abi)
		return;
	/* The running kernel accepts exactly its ABI's mask: all of it,
	 * and (for an ABI documented above) not one right more. */
	fd = ll_create(landlock_fs_mask(abi), landlock_net_mask(abi));
	ck_assert_msg(fd >= 0, "ABI %d: the kernel refuses its own mask: %s",
		      abi, strerror(errno));
	close((int)fd);
	if (abi > 7)
		return;
	fd = ll_create(landlock_fs_mask(abi) << 1 | 1, 0);
	ck_assert_msg(fd < 0 && errno == EINVAL,
		      "ABI %d: the kernel takes an fs right past the mask", abi);
	if (landlock_net_mask(abi)) {
		fd = ll_create(0, landlock_net_mask(abi) << 1 | 1);
		ck_assert_msg(fd < 0 && errno == EINVAL, "ABI %d: the kernel "
			      "takes a net right past the mask", abi);
	}
}
END_TEST

START_TEST(test_cgroup_plan)
{
	struct lb_bundle b;
	struct plan p;
	char suffix[32];
	unsigned l, placed;
	size_t i, n_v2 = 0;

	empty_plan(&p, &b);
	cgroup_plan(&p);
	ck_assert_uint_eq(p.n_cg, 0);
	ck_assert_uint_eq(p.cg_missing, 0);

	b.memory_max = 64 << 20;
	b.pids_max = 100;
	cgroup_plan(&p);
	snprintf(suffix, sizeof(suffix), "/leash-exec.%d", (int)getpid());
	for (l = 0; l < CG_LIMITS; l++) {
		placed = (p.cg_missing >> l) & 1;
		for (i = 0; i < p.n_cg; i++)
			placed += (p.cg[i].limits >> l) & 1;
		/* No cpu limit asked; devices only for a host-root run. */
		ck_assert_msg(placed == (l == CG_CPU || l == CG_DEVICES ? 0u :
					 1u),
			      "limit %s placed %u times", cg_limit_names[l],
			      placed);
	}
	for (i = 0; i < p.n_cg; i++) {
		const char *path = p.cg[i].path;
		size_t n = strlen(path), ns = strlen(suffix);
		struct stat st;
		char parent[4096];

		ck_assert_msg(n > ns && strcmp(path + n - ns, suffix) == 0,
			      "cgroup %s: not named after our pid", path);
		snprintf(parent, sizeof(parent), "%.*s", (int)(n - ns), path);
		ck_assert_msg(stat(parent, &st) == 0 && S_ISDIR(st.st_mode),
			      "cgroup %s: no parent directory", path);
		ck_assert_msg(stat(path, &st) < 0 && errno == ENOENT,
			      "cgroup_plan() created %s", path);
		n_v2 += p.cg[i].v2;
		free(p.cg[i].path);
	}
	ck_assert_uint_le(n_v2, 1);
}
END_TEST

/* ---- steps (forked) ------------------------------------------------------ */

START_TEST(test_empty_plan)
{
	struct lb_bundle b;
	struct plan p;
	struct rlimit before, after;
	int nnp;

	assert_forked();
	empty_plan(&p, &b);
	/* Nonsense Landlock rights, which ll_abi 0 must never look at. */
	p.ll_fs = ~0ULL;
	nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &before), 0);
	setup_inside(&p);
	apply_rlimits(&p);
	apply_apparmor(&p);
	apply_landlock(&p);
	apply_nnp(&p);
	ck_assert_int_eq(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), nnp);
	ck_assert_int_eq(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 0);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &after), 0);
	ck_assert_uint_eq(after.rlim_cur, before.rlim_cur);
	ck_assert_uint_eq(after.rlim_max, before.rlim_max);
	ck_assert_int_eq(n_warned, 0);
}
END_TEST

START_TEST(test_rlimits)
{
	struct lb_rlimit rl[3];
	struct lb_bundle b;
	struct plan p;
	struct rlimit cur;
	size_t i;

	assert_forked();
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &cur), 0);
	/* Only lowered (or kept) hard limits: no privilege needed. */
	rl[0].resource = RLIMIT_NOFILE;
	rl[0].hard = cur.rlim_max < 100 ? cur.rlim_max : 100;
	rl[0].soft = rl[0].hard / 2;
	rl[1].resource = RLIMIT_CORE;
	rl[1].soft = 0;
	rl[1].hard = 0;
	/* All ones in the bundle is RLIM_INFINITY. */
	ck_assert_int_eq(getrlimit(RLIMIT_RTTIME, &cur), 0);
	rl[2].resource = RLIMIT_RTTIME;
	rl[2].soft = cur.rlim_max == RLIM_INFINITY ? 5000000 :
		     cur.rlim_max / 2;
	rl[2].hard = cur.rlim_max == RLIM_INFINITY ? ~0ULL : cur.rlim_max;

	empty_plan(&p, &b);
	b.rlimits = rl;
	b.n_rlimits = 3;
	apply_rlimits(&p);
	for (i = 0; i < b.n_rlimits; i++) {
		ck_assert_int_eq(getrlimit((__rlimit_resource_t)rl[i].resource,
					   &cur), 0);
		ck_assert_msg(cur.rlim_cur == rl[i].soft &&
			      cur.rlim_max == rl[i].hard,
			      "%s: %llu:%llu, want %llu:%llu",
			      rlimit_names[rl[i].resource],
			      (unsigned long long)cur.rlim_cur,
			      (unsigned long long)cur.rlim_max,
			      (unsigned long long)rl[i].soft,
			      (unsigned long long)rl[i].hard);
	}
}
END_TEST

START_TEST(test_nnp)
{
	struct lb_bundle b;
	struct plan p;

	assert_forked();
	empty_plan(&p, &b);
	b.nnp = true;
	apply_nnp(&p);
	ck_assert_int_eq(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 1);
}
END_TEST

/*
 * One syscall refused with EDOM, which it never returns by itself.  Not
 * getppid(): LeakSanitizer's exit-time tracer calls it, and this child
 * exits under the filter.  No architecture check: only this process
 * runs under it, and only for the calls below.
 */
START_TEST(test_seccomp)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpgid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EDOM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct lb_bundle b;
	struct plan p;
	pid_t pid = getpid();
	long r;

	assert_forked();
	ck_assert_int_ge(syscall(SYS_getpgid, 0), 0);
	empty_plan(&p, &b);
	/* Unprivileged, the kernel wants no_new_privs for a filter; the
	 * shim orders the two steps the same way. */
	b.nnp = true;
	p.prog.filter = f;
	p.prog.len = sizeof(f) / sizeof(f[0]);
	apply_nnp(&p);
	apply_seccomp(&p);
	ck_assert_int_eq(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 2);
	errno = 0;
	r = syscall(SYS_getpgid, 0);
	ck_assert_msg(r == -1 && errno == EDOM,
		      "getpgid under the filter: %ld, errno %d", r, errno);
	ck_assert_int_eq(getpid(), pid);
}
END_TEST

/* Made by the landlock tcase's unchecked fixture, in the runner, so
 * that the files are removed even when the forked test fails. */
static char ll_dir[PATH_MAX];

static void ll_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", ll_dir, name);
}

static void ll_setup(void)
{
	static const char *const files[] = { "in/ok", "file", "other" };
	const char *tmp = getenv("TMPDIR");
	char path[PATH_MAX + 16];
	size_t i;
	int fd;

	snprintf(ll_dir, sizeof(ll_dir), "%s/test-shim.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(ll_dir));
	ll_path(path, sizeof(path), "in");
	ck_assert_int_eq(mkdir(path, 0700), 0);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		ll_path(path, sizeof(path), files[i]);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		ck_assert_int_ge(fd, 0);
		close(fd);
	}
}

static void ll_teardown(void)
{
	static const char *const names[] = { "in/ok", "in", "file", "other" };
	char path[PATH_MAX + 16];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ll_path(path, sizeof(path), names[i]);
		(void)remove(path);
	}
	rmdir(ll_dir);
}

static int open_errno(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

START_TEST(test_landlock)
{
	const uint64_t rd = LANDLOCK_ACCESS_FS_READ_FILE |
			    LANDLOCK_ACCESS_FS_READ_DIR;
	char in[PATH_MAX + 16], file[PATH_MAX + 16], missing[PATH_MAX + 16];
	char ok[PATH_MAX + 16], other[PATH_MAX + 16];
	char proc[] = "/proc";
	struct lb_path paths[4];
	struct lb_bundle b;
	struct plan p;

	assert_forked();
	if (!landlock_abi())
		return;		/* nothing to apply on this kernel */
	ll_path(in, sizeof(in), "in");
	ll_path(file, sizeof(file), "file");
	ll_path(missing, sizeof(missing), "missing");
	ll_path(ok, sizeof(ok), "in/ok");
	ll_path(other, sizeof(other), "other");
	ck_assert_int_eq(open_errno(other, O_RDONLY), 0);

	/* A directory; a file given a directory right too, which the
	 * step must drop (the kernel refuses it on a file); a path that
	 * does not exist, skipped with a warning; /proc, for the
	 * sanitizer runtime, which reads it at exit. */
	paths[0] = (struct lb_path){ rd, in };
	paths[1] = (struct lb_path){ rd, file };
	paths[2] = (struct lb_path){ rd, missing };
	paths[3] = (struct lb_path){ rd, proc };
	empty_plan(&p, &b);
	b.has_landlock = true;
	b.handled_fs = rd;
	b.paths = paths;
	b.n_paths = 4;
	p.ll_abi = landlock_abi();
	p.ll_fs = rd;
	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	apply_landlock(&p);

	ck_assert_int_eq(n_warned, 1);
	ck_assert_str_eq(warned_step, "landlock");
	ck_assert_msg(strstr(warned_msg, missing) != NULL, "warning: %s",
		      warned_msg);
	ck_assert_int_eq(open_errno(ok, O_RDONLY), 0);
	ck_assert_int_eq(open_errno(in, O_RDONLY | O_DIRECTORY), 0);
	ck_assert_int_eq(open_errno(file, O_RDONLY), 0);
	ck_assert_int_eq(open_errno(other, O_RDONLY), EACCES);
	ck_assert_int_eq(open_errno(ll_dir, O_RDONLY | O_DIRECTORY), EACCES);
	ck_assert_int_eq(open_errno("/", O_RDONLY | O_DIRECTORY), EACCES);
	/* Writing is not handled, so still allowed. */
	ck_assert_int_eq(open_errno(other, O_WRONLY), 0);
}
END_TEST

START_TEST(test_id_maps)
{
	struct lb_bundle b;
	struct plan p;
	char buf[64];
	ssize_t n;
	int fd;

	assert_forked();
	empty_plan(&p, &b);
	p.caller_uid = geteuid();
	p.caller_gid = getegid();
	p.inner_uid = 42;
	p.inner_gid = 43;
	/* Not every machine lets us have a user namespace (sysctls,
	 * containers): then there is nothing to map. */
	if (unshare(CLONE_NEWUSER) < 0) {
		ck_assert_msg(errno == EPERM || errno == EINVAL ||
			      errno == ENOSPC || errno == EUSERS,
			      "unshare(CLONE_NEWUSER): %s", strerror(errno));
		return;
	}
	write_id_maps(&p, 0);
	ck_assert_int_eq(getuid(), 42);
	ck_assert_int_eq(getgid(), 43);
	fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "deny\n");
}
END_TEST

/* ---- failures ------------------------------------------------------------ */

START_TEST(test_rlimits_fail)
{
	struct lb_rlimit rl = { RLIMIT_NOFILE, 10, 5 };
	struct lb_rlimit unknown = { 16, 1, 1 };
	struct lb_bundle b;
	struct plan p;

	assert_forked();
	empty_plan(&p, &b);
	b.rlimits = &rl;
	b.n_rlimits = 1;
	EXPECT_DIE("rlimits", apply_rlimits(&p));
	ck_assert_str_eq(died_msg, "nofile 10:5");
	ck_assert_int_eq(died_err, EINVAL);

	/* make_plan() refuses it first; the step must still name it. */
	b.rlimits = &unknown;
	EXPECT_DIE("rlimits", apply_rlimits(&p));
	ck_assert_str_eq(died_msg, "? 1:1");
	ck_assert_int_eq(died_err, EINVAL);
}
END_TEST

START_TEST(test_landlock_fail)
{
	struct lb_bundle b;
	struct plan p;

	assert_forked();
	empty_plan(&p, &b);
	b.has_landlock = true;
	/* A right no kernel has: the ruleset cannot be created, or there
	 * is no Landlock at all; either way the step must not go on. */
	p.ll_abi = 1;
	p.ll_fs = 1ULL << 63;
	EXPECT_DIE("landlock", apply_landlock(&p));
	ck_assert_str_eq(died_msg, "creating the ruleset (ABI 1)");
	ck_assert_int_ne(died_err, 0);
}
END_TEST

START_TEST(test_seccomp_fail)
{
	struct lb_bundle b;
	struct plan p;

	assert_forked();
	empty_plan(&p, &b);
	EXPECT_DIE("seccomp", apply_seccomp(&p));
	ck_assert_str_eq(died_msg, "loading the filter (0 instructions)");
	ck_assert_int_eq(died_err, EINVAL);
	/* The terminal guard loads first; the process dies anyway. */
	ck_assert_int_eq(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 2);
}
END_TEST

/* The shim's own filter: TIOCSTI and TIOCLINUX refused before the
 * tty layer sees them (EPERM, not ENOTTY on a pipe), on their low 32
 * bits, and every other ioctl left alone. */
/*
 * The device cgroup of devices.c, on @dir (created and removed here): a
 * child moved into it opens /dev/null but not /dev/kmsg (1:11) nor a
 * loop device (block 7:0).  Root only.
 */
static void check_devices(const char *dir, bool v2)
{
	struct cg_dir d = { (char *)dir, v2, 1u << CG_DEVICES };
	char pid[16];
	pid_t child;
	int st, fd;

	if (mkdir(dir, 0755) < 0)
		ck_abort_msg("mkdir %s: %s", dir, strerror(errno));
	devices_apply(&d);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		snprintf(pid, sizeof(pid), "%d", (int)getpid());
		fd = open(strcat(strcpy((char[256]){ 0 }, dir),
				 "/cgroup.procs"), O_WRONLY);
		if (fd < 0 || write(fd, pid, strlen(pid)) < 0)
			_exit(10);
		close(fd);
		fd = open("/dev/null", O_RDWR);
		if (fd < 0)
			_exit(11);
		close(fd);
		if (open("/dev/kmsg", O_RDONLY) >= 0 || errno != EPERM)
			_exit(12);
		if (access("/dev/loop0", F_OK) == 0 &&
		    (open("/dev/loop0", O_RDONLY) >= 0 || errno != EPERM))
			_exit(13);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	rmdir(dir);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "%s: child status %d", dir, st);
}

START_TEST(test_devices)
{
	char dir[128];

	if (geteuid() != 0)
		return;
	snprintf(dir, sizeof(dir), "/sys/fs/cgroup/devices/test-shim.%d",
		 (int)getpid());
	if (access("/sys/fs/cgroup/devices/devices.allow", F_OK) == 0)
		check_devices(dir, false);
	snprintf(dir, sizeof(dir), "/sys/fs/cgroup/unified/test-shim.%d",
		 (int)getpid());
	if (access("/sys/fs/cgroup/unified/cgroup.procs", F_OK) == 0)
		check_devices(dir, true);
	snprintf(dir, sizeof(dir), "/sys/fs/cgroup/test-shim.%d",
		 (int)getpid());
	if (access("/sys/fs/cgroup/cgroup.subtree_control", F_OK) == 0)
		check_devices(dir, true);
}
END_TEST

START_TEST(test_tty_guard)
{
	int fds[2], n = -1;

	assert_forked();
	ck_assert_int_eq(pipe(fds), 0);
	errno = 0;
	ck_assert_int_eq(ioctl(fds[0], TIOCSTI, "x"), -1);
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	apply_tty_guard();
	ck_assert_int_eq(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 2);
	errno = 0;
	ck_assert_int_eq(ioctl(fds[0], TIOCSTI, "x"), -1);
	ck_assert_int_eq(errno, EPERM);
	errno = 0;
	ck_assert_int_eq(syscall(SYS_ioctl, fds[0],
				 0xffffffff00000000ul | TIOCSTI, "x"), -1);
	ck_assert_int_eq(errno, EPERM);
	errno = 0;
	ck_assert_int_eq(ioctl(fds[0], 0x541C, "x"), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(ioctl(fds[0], FIONREAD, &n), 0);
	ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(test_id_maps_fail)
{
	struct lb_bundle b;
	struct plan p;

	assert_forked();
	empty_plan(&p, &b);
	/* Beyond PID_MAX_LIMIT: never a process. */
	EXPECT_DIE("user namespace", write_id_maps(&p, INT_MAX));
	ck_assert_str_eq(died_msg, "/proc/2147483647/setgroups");
	ck_assert_int_eq(died_err, ENOENT);
}
END_TEST

START_TEST(test_apparmor_fail)
{
	struct lb_bundle b;
	struct plan p;

	assert_forked();
	empty_plan(&p, &b);
	b.apparmor = (char *)"leash-test-no-such-profile";
	p.aa_apply = true;
	EXPECT_DIE("apparmor", apply_apparmor(&p));
	ck_assert_msg(strstr(died_msg, "leash-test-no-such-profile") != NULL,
		      "message: %s", died_msg);
}
END_TEST

static Suite *shim_suite(void)
{
	Suite *s = suite_create("shim");
	TCase *tc;

	tc = tcase_create("machine");
	tcase_add_test(tc, test_landlock_abi);
	tcase_add_test(tc, test_landlock_masks);
	tcase_add_test(tc, test_cgroup_plan);
	suite_add_tcase(s, tc);

	tc = tcase_create("steps");
	tcase_add_test(tc, test_empty_plan);
	tcase_add_test(tc, test_rlimits);
	tcase_add_test(tc, test_nnp);
	tcase_add_test(tc, test_seccomp);
	tcase_add_test(tc, test_tty_guard);
	tcase_add_test(tc, test_devices);
	tcase_add_test(tc, test_id_maps);
	suite_add_tcase(s, tc);

	tc = tcase_create("landlock");
	tcase_add_unchecked_fixture(tc, ll_setup, ll_teardown);
	tcase_add_test(tc, test_landlock);
	suite_add_tcase(s, tc);

	tc = tcase_create("failures");
	tcase_add_test(tc, test_rlimits_fail);
	tcase_add_test(tc, test_landlock_fail);
	tcase_add_test(tc, test_seccomp_fail);
	tcase_add_test(tc, test_id_maps_fail);
	tcase_add_test(tc, test_apparmor_fail);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(shim_suite());
	int failed;

	runner_pid = getpid();
	/* Whatever CK_FORK says: the steps change the process they run
	 * in, and the double of die() may abort a test mid-step. */
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
