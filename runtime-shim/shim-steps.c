/* SPDX-License-Identifier: MIT */
/*
 * shim-steps.c - the confinement steps of leash-exec, one function each.
 *
 * leash-exec.c calls them in the order that matters (its header comment
 * says why); each one applies exactly what the plan says or dies with
 * "leash-exec: STEP: REASON" and status 125.  Nothing here allocates
 * after the namespaces exist, except in cgroup setup, which runs in the
 * untouched parent.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/audit.h>
#include <linux/landlock.h>
#include <linux/magic.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* glibc exports capset() but declares it nowhere (libcap does). */
int capset(cap_user_header_t hdr, const cap_user_data_t data);

/* CAP_* order.  Kept with the steps that name them in messages, so
 * that the steps link without leash-exec.c (tests/unit/test-shim.c). */
const char *const cap_names[] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid",
	"kill", "setgid", "setuid", "setpcap", "linux_immutable",
	"net_bind_service", "net_broadcast", "net_admin", "net_raw",
	"ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot",
	"sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
	"sys_resource", "sys_time", "sys_tty_config", "mknod", "lease",
	"audit_write", "audit_control", "setfcap", "mac_override",
	"mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read",
	"perfmon", "bpf", "checkpoint_restore",
};
const unsigned n_cap_names = sizeof(cap_names) / sizeof(cap_names[0]);

const char *const cg_limit_names[CG_LIMITS] = { "memory", "cpu", "pids",
						 "devices" };

/* ---- small file helpers --------------------------------------------- */

static void write_text(const char *step, const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die_errno(step, "%s", path);
	n = write(fd, text, len);
	if (n < 0)
		die_errno(step, "writing '%s' to %s", text, path);
	if ((size_t)n != len)
		die(step, "short write of '%s' to %s", text, path);
	close(fd);
}

/* Like write_text(), but returns -errno instead of dying. */
static int try_write(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;
	close(fd);
	return rc;
}

/* Read a small file (a /proc or cgroup file) into @buf, NUL-terminated.
 * Returns the length or -1. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Is @word one of the words of @list (separated by any of @seps)? */
static bool has_word(const char *list, const char *word, const char *seps)
{
	size_t n = strlen(word);
	const char *s = list;

	while ((s = strstr(s, word)) != NULL) {
		bool start = s == list || strchr(seps, s[-1]);
		bool end = s[n] == '\0' || strchr(seps, s[n]);

		if (start && end)
			return true;
		s += n;
	}
	return false;
}

/* ---- user namespace --------------------------------------------------- */

/*
 * Map the caller, and only the caller, into the new user namespace of
 * @pid (0: ourselves): one uid and one gid, seen inside as the policy's
 * user (or root).  A single line mapping the writer's own IDs is what an
 * unprivileged process may write (user_namespaces(7)); root is held to
 * the same rule, so a namespace never maps more than the caller.
 */
/* One line for the primary group, one for each other group of the
 * policy, each to itself (the kernel refuses overlapping lines). */
static void write_gid_map(const struct plan *p, const char *path)
{
	const struct lb_bundle *b = p->b;
	char *map = malloc((b->n_groups + 1) * 36);
	size_t i, j, len;

	if (!map)
		die("user namespace", "out of memory");
	len = (size_t)sprintf(map, "%u %u 1\n", p->inner_gid,
			      (unsigned)p->outer_gid);
	for (i = 0; p->switch_ids && i < b->n_groups; i++) {
		for (j = 0; j < i && b->groups[j] != b->groups[i]; j++)
			;
		if (j < i || b->groups[i] == p->inner_gid)
			continue;
		len += (size_t)sprintf(map + len, "%u %u 1\n", b->groups[i],
				       b->groups[i]);
	}
	write_text("user namespace", path, map);
	free(map);
}

void write_id_maps(const struct plan *p, pid_t pid)
{
	char dir[32], path[64], line[48];

	if (pid)
		snprintf(dir, sizeof(dir), "/proc/%d", (int)pid);
	else
		snprintf(dir, sizeof(dir), "/proc/self");
	/* NOTE: setgroups must be denied before an unprivileged gid_map
	 * can be written (CVE-2014-8989: dropping a group could grant
	 * access).  Root, which maps the policy's groups to themselves,
	 * keeps setgroups() for the child: it must shed root's own. */
	snprintf(path, sizeof(path), "%s/setgroups", dir);
	write_text("user namespace", path, p->switch_ids ? "allow" : "deny");
	snprintf(path, sizeof(path), "%s/uid_map", dir);
	snprintf(line, sizeof(line), "%u %u 1", p->inner_uid,
		 (unsigned)p->outer_uid);
	write_text("user namespace", path, line);
	snprintf(path, sizeof(path), "%s/gid_map", dir);
	write_gid_map(p, path);
}

/* ---- cgroups ---------------------------------------------------------- */

static bool is_fs(const char *path, long magic)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && (long)sf.f_type == magic;
}

/* Our own cgroup path in the hierarchy whose /proc/self/cgroup line
 * names @ctl ("" for the v2 line "0::"), copied to @out. */
static bool own_cgroup(const char *cgroups, const char *ctl, char *out,
		       size_t size)
{
	const char *line = cgroups;

	while (line && *line) {
		const char *c1 = strchr(line, ':');
		const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		const char *end = strchr(line, '\n');
		size_t n;

		if (!c2)
			return false;
		if (!end)
			end = line + strlen(line);
		if ((!*ctl && c2 == c1 + 1) ||
		    (*ctl && c2 > c1 + 1 && c2 < end)) {
			char ctls[128];

			n = (size_t)(c2 - c1 - 1);
			if (n < sizeof(ctls)) {
				memcpy(ctls, c1 + 1, n);
				ctls[n] = '\0';
				if (!*ctl || has_word(ctls, ctl, ",")) {
					n = (size_t)(end - c2 - 1);
					if (n >= size)
						return false;
					memcpy(out, c2 + 1, n);
					out[n] = '\0';
					return true;
				}
			}
		}
		line = *end ? end + 1 : NULL;
	}
	return false;
}

/* The directory for the program under @parent, once per parent (all
 * v2 limits share one; v1 has one hierarchy per controller). */
static struct cg_dir *cg_dir_for(struct plan *p, const char *parent, bool v2)
{
	char *path;
	size_t i;

	if (asprintf(&path, "%s/leash-exec.%d", parent, (int)getpid()) < 0)
		die("cgroup", "out of memory");
	for (i = 0; i < p->n_cg; i++) {
		if (strcmp(p->cg[i].path, path) == 0) {
			free(path);
			return &p->cg[i];
		}
	}
	p->cg[p->n_cg].v2 = v2;
	p->cg[p->n_cg].path = path;
	return &p->cg[p->n_cg++];
}

/*
 * Where each limit of the bundle can apply: a cgroup v2 hierarchy whose
 * controllers include it and whose directory we may write, else the
 * cgroup v1 hierarchy of that controller (root only, in practice: what
 * docker does on hybrid hosts).  Changes nothing.
 */
void cgroup_plan(struct plan *p)
{
	const uint64_t val[CG_LIMITS] = { p->b->memory_max, p->b->cpu_quota,
					  p->b->pids_max, devices_needed(p) };
	char cgroups[4096], own[1024], dir[2048], file[2100], ctls[512];
	const char *v2 = NULL;
	unsigned l;

	if (read_small("/proc/self/cgroup", cgroups, sizeof(cgroups)) < 0)
		cgroups[0] = '\0';
	if (is_fs("/sys/fs/cgroup", CGROUP2_SUPER_MAGIC))
		v2 = "/sys/fs/cgroup";
	else if (is_fs("/sys/fs/cgroup/unified", CGROUP2_SUPER_MAGIC))
		v2 = "/sys/fs/cgroup/unified";

	for (l = 0; l < CG_LIMITS; l++) {
		const char *ctl = cg_limit_names[l];

		if (!val[l])
			continue;
		/* Devices: v1's controller where it is mounted (hybrid
		 * hosts), else a v2 device program, which needs no
		 * controller, only a cgroup of our own. */
		if (l == CG_DEVICES && !is_fs("/sys/fs/cgroup/devices",
					      CGROUP_SUPER_MAGIC) &&
		    v2 && own_cgroup(cgroups, "", own, sizeof(own))) {
			snprintf(dir, sizeof(dir), "%s%s", v2,
				 strcmp(own, "/") == 0 ? "" : own);
			if (access(dir, W_OK) == 0) {
				cg_dir_for(p, dir, true)->limits |= 1u << l;
				continue;
			}
		}
		if (l != CG_DEVICES && v2 &&
		    own_cgroup(cgroups, "", own, sizeof(own))) {
			snprintf(dir, sizeof(dir), "%s%s", v2,
				 strcmp(own, "/") == 0 ? "" : own);
			/* The controller must be enabled for our children
			 * already, or we are in the root cgroup, the one
			 * place we may enable it while holding processes
			 * (the no-internal-process rule). */
			snprintf(file, sizeof(file), "%s/%s", dir,
				 strcmp(own, "/") == 0 ? "cgroup.controllers" :
				 "cgroup.subtree_control");
			if (read_small(file, ctls, sizeof(ctls)) >= 0 &&
			    has_word(ctls, ctl, " \n") &&
			    access(dir, W_OK) == 0) {
				cg_dir_for(p, dir, true)->limits |= 1u << l;
				continue;
			}
		}
		snprintf(dir, sizeof(dir), "/sys/fs/cgroup/%s", ctl);
		if (is_fs(dir, CGROUP_SUPER_MAGIC) &&
		    own_cgroup(cgroups, ctl, own, sizeof(own))) {
			snprintf(dir, sizeof(dir), "/sys/fs/cgroup/%s%s", ctl,
				 strcmp(own, "/") == 0 ? "" : own);
			if (access(dir, W_OK) == 0) {
				cg_dir_for(p, dir, false)->limits |= 1u << l;
				continue;
			}
		}
		p->cg_missing |= 1u << l;
	}
}

void cgroup_remove(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n_cg; i++)
		if (rmdir(p->cg[i].path) < 0 && errno != ENOENT)
			warn("cgroup", "cannot remove %s: %s", p->cg[i].path,
			     strerror(errno));
}

/* On failure die() still removes the cgroups, through the hook
 * leash-exec.c registers (die_set_cleanup()). */
static void cg_write(const char *dir, const char *name, const char *text)
{
	char path[2200];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	rc = try_write(path, text);
	if (rc < 0)
		die("cgroup", "writing '%s' to %s: %s", text, path,
		    strerror(-rc));
}

/* Enable the v2 controllers we need for the children of @parent. */
static void cg_enable(const struct cg_dir *d)
{
	char parent[2100], have[512], path[2200], word[16];
	const char *slash = strrchr(d->path, '/');
	unsigned l;

	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - d->path),
		 d->path);
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", parent);
	if (read_small(path, have, sizeof(have)) < 0)
		have[0] = '\0';
	for (l = 0; l < CG_LIMITS; l++) {
		if (!(d->limits & (1u << l)) || l == CG_DEVICES ||
		    has_word(have, cg_limit_names[l], " \n"))
			continue;
		snprintf(word, sizeof(word), "+%s", cg_limit_names[l]);
		/* Only in the root cgroup (cgroup_plan() checked). */
		cg_write(parent, "cgroup.subtree_control", word);
	}
}

/*
 * Hold the new cgroup's directory locked as long as we live: another
 * run then knows it is not stale (reap.c).  The descriptor is closed at
 * exec (the program never holds it) and by the kernel when we exit.
 */
static void cg_hold(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0)
		die_errno("cgroup", "locking %s", path);
}

/*
 * Create the program's cgroups and write the limits.  Runs in the
 * parent, with the caller's own credentials, before any namespace.
 */
void cgroup_create(const struct plan *p)
{
	const struct lb_bundle *b = p->b;
	char text[64];
	size_t i;

	for (i = 0; i < p->n_cg; i++) {
		const struct cg_dir *d = &p->cg[i];

		if (d->v2)
			cg_enable(d);
		/* A directory left by a killed run of the same pid is empty
		 * and can go. */
		if (mkdir(d->path, 0755) < 0 &&
		    (errno != EEXIST || rmdir(d->path) < 0 ||
		     mkdir(d->path, 0755) < 0))
			die_errno("cgroup", "mkdir %s", d->path);
		cg_hold(d->path);
		if (d->limits & (1u << CG_DEVICES))
			devices_apply(d);
		if (d->limits & (1u << CG_MEMORY)) {
			snprintf(text, sizeof(text), "%llu",
				 (unsigned long long)b->memory_max);
			cg_write(d->path, d->v2 ? "memory.max" :
				 "memory.limit_in_bytes", text);
			/* NOTE: swap is not limited (memory.swap.max,
			 * memory.memsw.*): docker's --memory alone does
			 * the same, and the files exist only with swap
			 * accounting. */
		}
		if (d->limits & (1u << CG_PIDS)) {
			snprintf(text, sizeof(text), "%llu",
				 (unsigned long long)b->pids_max);
			cg_write(d->path, "pids.max", text);
		}
		if (d->limits & (1u << CG_CPU)) {
			unsigned long long period = b->cpu_period ?
				b->cpu_period : 100000;

			if (d->v2) {
				snprintf(text, sizeof(text), "%llu %llu",
					 (unsigned long long)b->cpu_quota,
					 period);
				cg_write(d->path, "cpu.max", text);
			} else {
				snprintf(text, sizeof(text), "%llu", period);
				cg_write(d->path, "cpu.cfs_period_us", text);
				snprintf(text, sizeof(text), "%llu",
					 (unsigned long long)b->cpu_quota);
				cg_write(d->path, "cpu.cfs_quota_us", text);
			}
		}
	}
}

/* Move @pid into every cgroup of the plan (from the parent, which
 * still has the caller's credentials in the initial namespaces). */
void cgroup_join(const struct plan *p, pid_t pid)
{
	char text[16];
	size_t i;

	snprintf(text, sizeof(text), "%d", (int)pid);
	for (i = 0; i < p->n_cg; i++)
		cg_write(p->cg[i].path, "cgroup.procs", text);
}

/* ---- inside the namespaces ------------------------------------------- */

static void loopback_up(void)
{
	struct ifreq ifr;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die_errno("namespaces", "socket for the loopback device");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die_errno("namespaces", "reading the flags of lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		die_errno("namespaces", "bringing lo up");
	close(fd);
}

/*
 * What the new namespaces need before the program may run.  Called in a
 * process that is in all of them (pid 1 of a new pid namespace), with
 * every capability of the new user namespace, if any.
 */
void setup_inside(const struct plan *p)
{
	/* The cgroup namespace is created here, after the parent moved us
	 * into our cgroups: its root is the cgroup it is created in, so
	 * the program sees its own limited cgroup as '/'. */
	if (p->cgroup_ns && unshare(CLONE_NEWCGROUP) < 0)
		die_errno("namespaces", "unshare(CLONE_NEWCGROUP)");
	/* Takes effect for our children and at execve(), not for us. */
	if (p->time_ns && unshare(0x80 /* CLONE_NEWTIME */) < 0)
		die_errno("namespaces", "unshare(CLONE_NEWTIME)");
	if (p->ns_flags & CLONE_NEWNS) {
		/* NOTE: a new mount namespace shares the propagation of
		 * the old one: without this, the /proc mounted below
		 * would appear on the host too (bubblewrap does the
		 * same). */
		if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
			die_errno("namespaces", "making / a slave mount");
	}
	if (p->new_proc &&
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		die_errno("namespaces", "mounting a new /proc");
	/* After /proc, which the tree protects too, and before Landlock,
	 * which forbids changing mounts. */
	if (p->mount_tree)
		mount_plan_apply(&p->mounts);
	/* A new network namespace has lo down; programs expect 127.0.0.1
	 * to work (bubblewrap brings it up too). */
	if (p->ns_flags & CLONE_NEWNET)
		loopback_up();
}

/* ---- rlimits --------------------------------------------------------- */

const char *const rlimit_names[16] = {
	"cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile",
	"memlock", "as", "locks", "sigpending", "msgqueue", "nice", "rtprio",
	"rttime",
};

void apply_rlimits(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->b->n_rlimits; i++) {
		const struct lb_rlimit *r = &p->b->rlimits[i];
		struct rlimit rl = { r->soft, r->hard };

		/* Raising a hard limit needs CAP_SYS_RESOURCE in the
		 * initial namespace: a policy that asks for more than the
		 * caller has fails here rather than run with less. */
		/* int: glibc's prototype takes an enum, musl's an int. */
		if (setrlimit((int)r->resource, &rl) < 0)
			die_errno("rlimits", "%s %llu:%llu",
				  r->resource < 16 ?
				  rlimit_names[r->resource] : "?",
				  (unsigned long long)r->soft,
				  (unsigned long long)r->hard);
	}
}

/* ---- AppArmor --------------------------------------------------------- */

/*
 * The kernel's interface, not libapparmor: what aa_change_onexec() and
 * aa_stack_onexec() do is write "exec PROFILE" or "stack PROFILE" to the
 * task's attr/exec file, and aa_getcon() reads attr/current.  leash-exec
 * is built against musl where it can be (configure), and a musl process
 * cannot load Debian's glibc-built libapparmor.so.1; dlopen()ing it cost
 * about 50 us per start besides.  The AppArmor-specific directory
 * (attr/apparmor/, Linux 5.8, for LSM stacking) comes first; the shared
 * attr/exec is AppArmor's only where AppArmor is the displayed LSM,
 * which is the case on every kernel that lacks the directory.
 */
static int aa_attr_open(const char *attr, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/thread-self/attr/apparmor/%s",
		 attr);
	fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT) {
		snprintf(path, sizeof(path), "/proc/thread-self/attr/%s",
			 attr);
		fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW);
	}
	return fd;
}

/* Is this task confined?  attr/current reads "unconfined\n" or
 * "PROFILE (MODE)\n"; anything unreadable counts as confined, so the
 * caller stacks, which a confined task may do under no_new_privs and an
 * unconfined one may do as well. */
static bool aa_confined(void)
{
	char buf[256];
	ssize_t n;
	int fd = aa_attr_open("current", O_RDONLY);

	if (fd < 0)
		return true;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	return strcmp(buf, "unconfined\n") != 0 &&
	       strcmp(buf, "unconfined") != 0;
}

/* The kernel's word: without AppArmor (this machine, most non-Ubuntu/
 * Debian hosts) the module is not enabled. */
bool apparmor_enabled(void)
{
	char buf[8];

	return read_small("/sys/module/apparmor/parameters/enabled", buf,
			  sizeof(buf)) > 0 && buf[0] == 'Y';
}

/*
 * Ask for the profile at the next execve().  The change happens at exec,
 * so the position in the order only matters for access: this writes to
 * /proc/thread-self/attr, which the Landlock ruleset would forbid.  One
 * write() of the whole command: the kernel parses it as one request.
 */
void apply_apparmor(const struct plan *p)
{
	char cmd[4200];
	const char *verb;
	ssize_t n;
	int fd, len;

	if (!p->aa_apply)
		return;
	/* With no_new_privs a confined task may only stack a profile, not
	 * leave its own (crun does the same). */
	verb = p->b->nnp && aa_confined() ? "stack" : "exec";
	len = snprintf(cmd, sizeof(cmd), "%s %s", verb, p->b->apparmor);
	if (len < 0 || (size_t)len >= sizeof(cmd))
		die("apparmor", "profile name too long: '%.40s...'",
		    p->b->apparmor);
	fd = aa_attr_open("exec", O_WRONLY);
	if (fd < 0)
		die_errno("apparmor", "profile '%s' on exec: "
			  "/proc/thread-self/attr/exec", p->b->apparmor);
	n = write(fd, cmd, (size_t)len);
	if (n != len) {
		if (n >= 0)
			errno = EIO;
		die_errno("apparmor", "profile '%s' on exec", p->b->apparmor);
	}
	close(fd);
}

/* ---- Landlock --------------------------------------------------------- */

#define LL_FS_ABI1 ((1ULL << 13) - 1)		/* EXECUTE .. MAKE_SYM */
#define LL_FS_REFER (1ULL << 13)		/* ABI 2 */
#define LL_FS_TRUNCATE (1ULL << 14)		/* ABI 3 */
#define LL_FS_IOCTL_DEV (1ULL << 15)		/* ABI 5 */
#define LL_NET_ALL 3ULL				/* ABI 4: bind, connect */
/* The rights a rule on a non-directory may carry. */
#define LL_FS_FILE (LANDLOCK_ACCESS_FS_EXECUTE | \
		    LANDLOCK_ACCESS_FS_WRITE_FILE | \
		    LANDLOCK_ACCESS_FS_READ_FILE | LL_FS_TRUNCATE | \
		    LL_FS_IOCTL_DEV)

/* The kernel headers of Debian 12 predate the network rules. */
struct ll_ruleset_attr {
	uint64_t handled_fs, handled_net;
	uint64_t scoped;	/* ABI 6 */
};

struct ll_path_attr {
	uint64_t allowed;
	int32_t parent_fd;
} __attribute__((packed));

struct ll_port_attr {
	uint64_t allowed;
	uint64_t port;
};

/* A query, changing nothing: the flag asks for the ABI version. */
int landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);

	return abi < 0 ? 0 : (int)abi;
}

uint64_t landlock_fs_mask(int abi)
{
	return (abi >= 1 ? LL_FS_ABI1 : 0) | (abi >= 2 ? LL_FS_REFER : 0) |
	       (abi >= 3 ? LL_FS_TRUNCATE : 0) |
	       (abi >= 5 ? LL_FS_IOCTL_DEV : 0);
}

uint64_t landlock_net_mask(int abi)
{
	return abi >= 4 ? LL_NET_ALL : 0;
}

/* LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET and _SIGNAL, from ABI 6. */
uint64_t landlock_scope_mask(int abi)
{
	return abi >= 6 ? UINT64_C(3) : 0;
}

/*
 * Build the ruleset and restrict ourselves.  A path of the bundle that
 * does not exist (or that we cannot reach) is skipped with a warning:
 * the rule could only allow access to it, so skipping it leaves the
 * program more confined, never less; a path created later stays denied.
 */
void apply_landlock(const struct plan *p)
{
	const struct lb_bundle *b = p->b;
	struct ll_ruleset_attr attr = { p->ll_fs, p->ll_net, p->ll_scope };
	/* The kernel refuses a size it does not know: before ABI 6 the
	 * attribute ends with handled_net (before ABI 4, handled_fs). */
	size_t size = p->ll_scope ? sizeof(attr) :
		      p->ll_net ? offsetof(struct ll_ruleset_attr, scoped) :
		      sizeof(attr.handled_fs);
	size_t i;
	int rs;

	if (!p->ll_abi)
		return;
	rs = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (rs < 0)
		die_errno("landlock", "creating the ruleset (ABI %d)",
			  p->ll_abi);
	for (i = 0; i < b->n_paths; i++) {
		struct ll_path_attr pa;
		struct stat st;
		int fd;

		fd = open(b->paths[i].path, O_PATH | O_CLOEXEC);
		if (fd < 0 && (errno == ENOENT || errno == ENOTDIR ||
			       errno == EACCES || errno == ELOOP)) {
			warn("landlock", "skipping the rule for '%s': %s",
			     b->paths[i].path, strerror(errno));
			continue;
		}
		if (fd < 0)
			die_errno("landlock", "%s", b->paths[i].path);
		if (fstat(fd, &st) < 0)
			die_errno("landlock", "%s", b->paths[i].path);
		pa.allowed = b->paths[i].access & p->ll_fs;
		/* Directory rights on a file are EINVAL: a file rule can
		 * only mean the rights a file has. */
		if (!S_ISDIR(st.st_mode))
			pa.allowed &= LL_FS_FILE;
		pa.parent_fd = fd;
		if (pa.allowed &&
		    syscall(SYS_landlock_add_rule, rs,
			    LANDLOCK_RULE_PATH_BENEATH, &pa, 0) < 0)
			die_errno("landlock", "rule for '%s'",
				  b->paths[i].path);
		close(fd);
	}
	for (i = 0; i < b->n_ports; i++) {
		struct ll_port_attr na = { b->ports[i].access & p->ll_net,
					   b->ports[i].port };

		if (na.allowed &&
		    syscall(SYS_landlock_add_rule, rs, 2 /* NET_PORT */, &na,
			    0) < 0)
			die_errno("landlock", "rule for port %llu",
				  (unsigned long long)na.port);
	}
	/* NOTE: landlock_restrict_self() needs no_new_privs or
	 * CAP_SYS_ADMIN; we still hold the latter (root, or the new user
	 * namespace), so this can come before the capability switch. */
	if (syscall(SYS_landlock_restrict_self, rs, 0) < 0)
		die_errno("landlock", "restricting self");
	close(rs);
}

/* ---- user, groups, capabilities -------------------------------------- */

/*
 * Switch user and groups and set the five capability sets exactly.
 * Order inside: bounding set first (PR_CAPBSET_DROP needs CAP_SETPCAP,
 * which the sets below may not keep), then the IDs under KEEPCAPS, then
 * capset(), then ambient (raising needs the cap in permitted and
 * inheritable, which capset() just set).
 */
void apply_user_caps(const struct plan *p)
{
	const struct lb_bundle *b = p->b;
	struct __user_cap_header_struct hdr = {
		_LINUX_CAPABILITY_VERSION_3, 0
	};
	struct __user_cap_data_struct data[2];
	unsigned c;
	int i;

	for (c = 0; c <= p->last_cap; c++) {
		if (b->caps[LB_CAP_BOUNDING] & (1ULL << c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			die_errno("capabilities", "dropping %s from the "
				  "bounding set", c < n_cap_names ?
				  cap_names[c] : "?");
	}

	/* KEEPCAPS: setresuid() away from 0 would otherwise clear the
	 * permitted set before capset() could keep the policy's part. */
	if (((b->user_flags & (LB_USER_UID | LB_USER_GID | LB_USER_GROUPS)) ||
	     p->switch_ids) && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		die_errno("user", "PR_SET_KEEPCAPS");
	if (p->switch_ids) {
		/* In root's user namespace: the caller's supplementary
		 * groups (root's) would still count on the host. */
		if (setgroups(b->n_groups, b->groups) < 0)
			die_errno("user", "setgroups");
		if (setresgid(p->inner_gid, p->inner_gid, p->inner_gid) < 0)
			die_errno("user", "setresgid(%u)", p->inner_gid);
		if (setresuid(p->inner_uid, p->inner_uid, p->inner_uid) < 0)
			die_errno("user", "setresuid(%u)", p->inner_uid);
	} else if (!p->userns) {
		/* Groups first: setgroups() needs CAP_SETGID, which a
		 * switch to a non-root uid takes away from the effective
		 * set.  A new user drops the caller's groups unless the
		 * policy lists some. */
		if (b->user_flags & LB_USER_GROUPS) {
			if (setgroups(b->n_groups, b->groups) < 0)
				die_errno("user", "setgroups");
		} else if (b->user_flags & (LB_USER_UID | LB_USER_GID)) {
			if (setgroups(0, NULL) < 0)
				die_errno("user", "setgroups");
		}
	}
	if ((b->user_flags & LB_USER_GID) &&
	    setresgid(b->gid, b->gid, b->gid) < 0)
		die_errno("user", "setresgid(%u)", b->gid);
	if ((b->user_flags & LB_USER_UID) &&
	    setresuid(b->uid, b->uid, b->uid) < 0)
		die_errno("user", "setresuid(%u)", b->uid);

	memset(data, 0, sizeof(data));
	for (i = 0; i < 2; i++) {
		data[i].effective = (uint32_t)(b->caps[LB_CAP_EFFECTIVE] >>
					       (32 * i));
		data[i].permitted = (uint32_t)(b->caps[LB_CAP_PERMITTED] >>
					       (32 * i));
		data[i].inheritable =
			(uint32_t)(b->caps[LB_CAP_INHERITABLE] >> (32 * i));
	}
	/* capset() after the uid switch: setresuid() recomputes the sets
	 * (clears effective), so doing it earlier would be undone. */
	if (capset(&hdr, data) < 0)
		die_errno("capabilities", "capset");

	/* Ambient last: execve() keeps only these for a non-root user;
	 * clear first so none of the caller's survive. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		die_errno("capabilities", "clearing the ambient set");
	for (c = 0; c <= p->last_cap; c++) {
		if (!(b->caps[LB_CAP_AMBIENT] & (1ULL << c)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			die_errno("capabilities", "raising ambient %s",
				  c < n_cap_names ? cap_names[c] : "?");
	}
}

/* ---- no_new_privs and seccomp --------------------------------------- */

void apply_nnp(const struct plan *p)
{
	if (!p->b->nnp)
		return;
	/* After the capability switch (it needs no privilege) and before
	 * seccomp: with it set, installing a filter needs no
	 * CAP_SYS_ADMIN, and no set-uid or file-capability binary can
	 * regain what was dropped. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die_errno("no_new_privs", "PR_SET_NO_NEW_PRIVS");
}

/*
 * The terminal guard: the program shares the caller's terminal, and
 * ioctl(TIOCSTI) on it pushes input that the caller's shell reads after
 * we exit (bubblewrap's CVE-2017-5226); TIOCLINUX's selection paste
 * does the same on a virtual console.  A new session would cut the
 * terminal off but also job control and, with CAP_SYS_ADMIN, still lets
 * root inject into a terminal that is not its controlling one.  So a
 * filter of the shim's own, stacked next to the policy's, refuses those
 * two requests on every ABI this machine can run; the policy's filter
 * stays exactly what was compiled, and the stricter answer of the two
 * wins in the kernel.  The request is an unsigned int: compared on its
 * low 32 bits, as the kernel reads it.
 */
#define TIOCLINUX_REQ 0x541Cu	/* the same number on every arch */

/*
 * The guard for the native ABI (@native, its ioctl number @nr and, on
 * x86_64, x32's @nr2) and its compat ABI (@compat, ioctl @cnr): 13
 * instructions, laid out by hand and checked by test-shim.
 */
static void guard_prog(struct sock_filter *f, uint32_t native, uint32_t nr,
		       uint32_t nr2, uint32_t compat, uint32_t cnr)
{
	const struct sock_filter prog[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
				 offsetof(struct seccomp_data, arch)),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, native, 0, 3),
		/* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
				 offsetof(struct seccomp_data, nr)),
		/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 4, 0),
		/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr2, 3, 6),
		/* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, compat, 0, 5),
		/* 6 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
				 offsetof(struct seccomp_data, nr)),
		/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, cnr, 0, 3),
		/* 8: the request's low 32 bits (little-endian) */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[1])),
		/* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, 2, 0),
		/* 10 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX_REQ,
				  1, 0),
		/* 11 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* 12 */ BPF_STMT(BPF_RET | BPF_K,
				  SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
	};

	memcpy(f, prog, sizeof(prog));
}

void apply_tty_guard(void)
{
	struct sock_filter f[TTY_GUARD_LEN];
	struct sock_fprog prog = { TTY_GUARD_LEN, f };

#if defined(__x86_64__)
	guard_prog(f, AUDIT_ARCH_X86_64, 16, 0x40000000u | 514,
		   AUDIT_ARCH_I386, 54);
#elif defined(__aarch64__)
	guard_prog(f, AUDIT_ARCH_AARCH64, 29, 29, AUDIT_ARCH_ARM, 54);
#else
	/* No table for this ABI: cut the terminal off instead (a new
	 * session has no controlling terminal to push input into). */
	(void)prog;
	(void)f;
	(void)guard_prog;
	if (setsid() < 0)
		die_errno("terminal", "setsid");
	return;
#endif
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		die_errno("terminal", "loading the TIOCSTI guard");
}

void apply_seccomp(const struct plan *p)
{
	/* seccomp() has no glibc wrapper.  No TSYNC: we have one thread.
	 * The filter then governs every later call of ours too, which is
	 * why it comes last (only execve() follows). */
	apply_tty_guard();
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p->prog) < 0)
		die_errno("seccomp", "loading the filter (%u instructions)",
			  (unsigned)p->prog.len);
}
