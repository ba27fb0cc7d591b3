/* SPDX-License-Identifier: MIT */
/*
 * leash-exec - run one program confined by everything a leash policy
 * compiled to (NAME.bundle), then execve() it.
 *
 *   leash-exec [--dry-run] [--apparmor=optional] [--cgroup=optional]
 *              NAME.bundle [--] CMD [ARG...]
 *
 * The whole bundle is read and verified, the program looked up, and
 * every decision taken (struct plan) before anything changes; what
 * cannot be applied is refused there.  Then, in this order:
 *
 *   1. cgroups     create the program's cgroup and write its limits, in
 *                  the parent, with the caller's own credentials
 *   2. namespaces  one clone() or unshare() for all of them (the user
 *                  namespace owns the others); the caller's IDs mapped;
 *                  the parent moves the child into its cgroup, then the
 *                  cgroup namespace, a private /proc, lo up
 *   3. rlimits
 *   4. AppArmor    profile for the next execve() (before Landlock, which
 *                  would forbid the write to /proc/self/attr)
 *   5. Landlock    needs CAP_SYS_ADMIN or no_new_privs: we hold the first
 *   6. user, groups, capabilities (bounding, KEEPCAPS + IDs, capset,
 *                  ambient)
 *   7. no_new_privs
 *   8. seccomp     last: it judges every later call of ours, and only
 *                  execve() is left (with no_new_privs off the kernel
 *                  wants CAP_SYS_ADMIN, so the filter then goes before 6
 *                  unless the policy keeps CAP_SYS_ADMIN)
 *   9. execve
 *
 * Fail closed: any failure before execve prints "leash-exec: STEP:
 * REASON" and exits 125 without running the program; 126 and 127 mean
 * found but not executable, and not found, as in a shell.
 *
 * With a pid namespace or cgroup limits, leash-exec stays as the parent:
 * it forwards signals, exits with the program's status (128+N for a
 * signal) and removes the cgroup.  With a pid namespace a small init is
 * pid 1 and the program pid 2, because pid 1 only receives signals it
 * has handlers for; when the program exits, init exits and the kernel
 * kills what is left in the namespace.
 */
#include "shim.h"
#include "signature.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* glibc exports capget() but declares it nowhere (libcap does). */
int capget(cap_user_header_t hdr, cap_user_data_t data);

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#define KNOWN_NS (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | \
		  CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS | \
		  CLONE_NEWCGROUP | CLONE_NEWTIME)

/* What die() undoes in the parent: the cgroups it made, the child. */
static const struct plan *cleanup_plan;
static pid_t cleanup_owner, cleanup_child;

static int sync_pipe[2] = { -1, -1 };
static sigset_t fwd_signals, old_mask;
/* The stack of the clone()d child; it is a copy of our memory, not a
 * thread, so a static buffer is enough. */
static char child_stack[256 * 1024] __attribute__((aligned(16)));

/*
 * die()'s hook, registered once there is something to undo.  Only in
 * the process that made the cgroups: the clone()d child runs with a
 * copy of the hook, and must neither kill itself nor remove the cgroup
 * it is in.
 */
static void cleanup(void)
{
	if (getpid() != cleanup_owner)
		return;
	if (cleanup_child > 0) {
		kill(cleanup_child, SIGKILL);
		waitpid(cleanup_child, NULL, 0);
	}
	reap_leftovers(cleanup_plan);
	cgroup_remove(cleanup_plan);
}

#define USAGE "usage: leash-exec [--dry-run] [--apparmor=optional] " \
	"[--cgroup=optional] [--landlock=best-effort] [--trust KEY.pub] " \
	"NAME.bundle [--] CMD [ARG...]\n"

static void __attribute__((noreturn)) usage(const char *msg)
{
	fprintf(stderr, "leash-exec: usage: %s\n" USAGE, msg);
	exit(SHIM_EXIT_FAIL);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("setup", "out of memory");
	return p;
}

/* ---- step 0: read, verify, decide ------------------------------------ */

/* Whether @path is not named like a bundle of another policy than
 * @name: NAME.bundle must be policy NAME; other names say nothing. */
static bool bundle_named(const char *path, const char *name)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n <= 7 || strcmp(base + n - 7, ".bundle") != 0)
		return true;
	return n - 7 == strlen(name) && strncmp(base, name, n - 7) == 0;
}

/*
 * Read the bundle at @path once, into memory; check its signature
 * (signature.c: required with --trust @key, or when the system trust
 * directory exists) over exactly those bytes, then parse the same
 * bytes: what is verified is what is applied, whatever happens to the
 * file meanwhile.  "/proc/self/fd/N" is how 'leash run' hands over a
 * memfd: the program must not inherit that descriptor, so it is closed
 * once read.
 */
static void read_bundle(const char *path, const char *key,
			struct lb_bundle *b)
{
	const char *why = NULL;
	char *signed_name;
	size_t len = 0, cap;
	struct stat st;
	char *buf, *end;
	ssize_t n;
	long handed = -1;
	int fd;

	if (strncmp(path, "/proc/self/fd/", 14) == 0) {
		handed = strtol(path + 14, &end, 10);
		if (*end || end == path + 14 || handed <= 2)
			handed = -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die_errno("bundle", "%s", path);
	/* Bundles are data, not authority: only root or the caller may
	 * be able to write the one we apply (trust.c). */
	trust_bundle_fd(fd, path, getuid());
	/* The buffer fits the file, one byte over to see it grow: a 4 MiB
	 * one cost an mmap() and munmap() at every start. */
	cap = LB_MAX_FILE + 1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size < (off_t)LB_MAX_FILE)
		cap = (size_t)st.st_size + 1;
	buf = xmalloc(cap);
	while (len < cap) {
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die_errno("bundle", "reading %s", path);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (handed >= 0)
		close((int)handed);
	if (len > LB_MAX_FILE)
		die("bundle", "%s: larger than %u bytes", path, LB_MAX_FILE);
	if (len == cap)
		die("bundle", "%s: changed while it was read", path);
	signed_name = sig_check_bundle(path, buf, len, key, getuid());
	if (lb_parse(buf, len, b, &why) < 0)
		die("bundle", "%s: %s", path, why);
	/* The signer named the policy: a bundle signed for another one,
	 * renamed into this one's place, is refused. */
	if (signed_name && strcmp(signed_name, b->name) != 0)
		die("signature", "%s: the signature is for policy '%s', but "
		    "the bundle is policy '%s'", path, signed_name, b->name);
	/* And the file's name too: another policy's signed bundle, with
	 * its signature, copied over NAME.bundle is still not NAME. */
	if (signed_name && !bundle_named(path, b->name))
		die("signature", "%s: holds policy '%s': a signed NAME.bundle "
		    "must be policy NAME", path, b->name);
	free(signed_name);
	free(buf);
}

/* Look @cmd up as a shell would; 127 when not found, 126 when found but
 * not executable.  Landlock may still refuse the execve() later. */
static char *find_program(const char *cmd)
{
	const char *path = getenv("PATH"), *s, *e;
	bool seen = false;
	struct stat st;

	if (!*cmd) {
		fprintf(stderr, "leash-exec: exec: '': command not found\n");
		exit(SHIM_EXIT_NOTFOUND);
	}
	if (strchr(cmd, '/')) {
		if (stat(cmd, &st) < 0) {
			fprintf(stderr, "leash-exec: exec: %s: %s\n", cmd,
				strerror(errno));
			exit(errno == ENOENT || errno == ENOTDIR ?
			     SHIM_EXIT_NOTFOUND : SHIM_EXIT_NOEXEC);
		}
		if (!S_ISREG(st.st_mode) || access(cmd, X_OK) < 0) {
			fprintf(stderr, "leash-exec: exec: %s: %s\n", cmd,
				S_ISDIR(st.st_mode) ? "is a directory" :
				"permission denied");
			exit(SHIM_EXIT_NOEXEC);
		}
		return strdup(cmd);
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (s = path; ; s = e + 1) {
		size_t n;
		char *full;

		e = strchr(s, ':');
		if (!e)
			e = s + strlen(s);
		n = (size_t)(e - s);
		full = xmalloc(n + strlen(cmd) + 3);
		sprintf(full, "%.*s/%s", (int)(n ? n : 1), n ? s : ".", cmd);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(full, X_OK) == 0)
				return full;
			seen = true;
		}
		free(full);
		if (!*e)
			break;
	}
	fprintf(stderr, "leash-exec: exec: %s: %s\n", cmd,
		seen ? "permission denied" : "command not found");
	exit(seen ? SHIM_EXIT_NOEXEC : SHIM_EXIT_NOTFOUND);
}

/* Our capabilities: effective set, bounding set, highest known cap. */
static void read_caps(struct plan *p, uint64_t *bounding)
{
	struct __user_cap_header_struct hdr = {
		_LINUX_CAPABILITY_VERSION_3, 0
	};
	struct __user_cap_data_struct data[2];
	const uint64_t need = (1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_SETUID) |
			      (1ULL << CAP_SETGID) | (1ULL << CAP_SETPCAP);
	uint64_t eff;
	int c, r;

	if (capget(&hdr, data) < 0)
		die_errno("capabilities", "capget");
	eff = data[0].effective | ((uint64_t)data[1].effective << 32);
	p->privileged = (eff & need) == need;
	*bounding = 0;
	p->last_cap = 0;
	/* Reading only: PR_CAPBSET_READ fails past the kernel's last
	 * capability, which is how we learn it. */
	for (c = 0; c < 64; c++) {
		r = prctl(PR_CAPBSET_READ, c, 0, 0, 0);
		if (r < 0)
			break;
		p->last_cap = (unsigned)c;
		if (r == 1)
			*bounding |= 1ULL << c;
	}
}

/* The one user nobody owns files as: where root asked for a user
 * namespace but named no user, the program is root inside and this on
 * the host. */
#define NOBODY_ID 65534u

/*
 * Who the program is inside its user namespace and on the host (the
 * table in leash-exec(1)).  A privileged caller (root) maps the policy's
 * user to itself, so the program is that user on the host too, and a
 * namespace without a user to nobody: the program never keeps host uid
 * 0 behind a uid the namespace shows.  An unprivileged caller can map
 * only itself: the program is the policy's user (or root) inside and
 * the caller on the host, never more than the caller has.
 */
/* Each group of the policy maps to itself: never to host group 0, and
 * never onto the host id the primary group already maps to. */
static void check_group_map(const struct plan *p)
{
	const struct lb_bundle *b = p->b;
	size_t i;

	for (i = 0; i < b->n_groups; i++) {
		if (b->groups[i] == 0)
			die("user", "group 0 in a user namespace would be the "
			    "host's root group");
		if (b->groups[i] == p->outer_gid &&
		    b->groups[i] != p->inner_gid)
			die("user", "group %u is where the namespace maps the "
			    "primary group %u: it cannot map to itself too",
			    b->groups[i], p->inner_gid);
	}
}

static void plan_id_maps(struct plan *p)
{
	const struct lb_bundle *b = p->b;
	bool has_uid = b->user_flags & LB_USER_UID;
	bool has_gid = b->user_flags & LB_USER_GID;

	if (p->privileged) {
		p->inner_uid = has_uid ? b->uid : 0;
		p->inner_gid = has_gid ? b->gid : 0;
		p->outer_uid = p->inner_uid ? p->inner_uid : NOBODY_ID;
		p->outer_gid = p->inner_gid ? p->inner_gid : NOBODY_ID;
		p->switch_ids = true;
		check_group_map(p);
		return;
	}
	if (b->user_flags & LB_USER_GROUPS)
		die("user", "the policy sets supplementary groups, which a "
		    "user namespace that maps only the caller cannot have "
		    "(setgroups is denied there); run as root");
	/* Root without CAP_SETUID: the only map it may write keeps host
	 * uid 0, which is not the user the policy names. */
	if (p->caller_uid == 0 && ((has_uid && b->uid) || (has_gid && b->gid)))
		die("user", "leash-exec runs as uid 0 without CAP_SETUID and "
		    "CAP_SETGID: the program would keep host uid 0 under the "
		    "policy's user %u", b->uid);
	p->inner_uid = has_uid ? b->uid : 0;
	p->inner_gid = has_gid ? b->gid : 0;
	p->outer_uid = p->caller_uid;
	p->outer_gid = p->caller_gid;
}

static void plan_caps_user(struct plan *p)
{
	const struct lb_bundle *b = p->b;
	uint64_t bounding, known, all = 0;
	int i;

	read_caps(p, &bounding);
	known = p->last_cap >= 63 ? ~0ULL : (1ULL << (p->last_cap + 1)) - 1;
	for (i = 0; i < LB_CAP_SETS; i++)
		all |= b->caps[i];
	if (all & ~known)
		die("capabilities", "the bundle names capability %d, which "
		    "this kernel does not know", __builtin_ctzll(all & ~known));

	/* An unprivileged caller gets a user namespace, like bwrap: only
	 * there can it drop its bounding set and set the others exactly. */
	p->userns = (b->namespaces & CLONE_NEWUSER) || !p->privileged;
	if (!p->userns && (all & ~bounding))
		die("capabilities", "the policy keeps %s, which leash-exec's "
		    "own bounding set lacks",
		    cap_names[__builtin_ctzll(all & ~bounding)]);
	p->caller_uid = geteuid();
	p->caller_gid = getegid();
	if (p->userns)
		plan_id_maps(p);
	p->host_root = !p->userns && (!(b->user_flags & LB_USER_UID) ||
				      b->uid == 0);
}

static void plan_namespaces(struct plan *p)
{
	uint64_t ns = p->b->namespaces;

	if (ns & ~(uint64_t)KNOWN_NS)
		die("namespaces", "the bundle asks for namespace flags 0x%llx, "
		    "which this leash-exec does not know",
		    (unsigned long long)(ns & ~(uint64_t)KNOWN_NS));
	p->cgroup_ns = ns & CLONE_NEWCGROUP;
	/* clone() cannot take CLONE_NEWTIME (its bit is the exit signal's
	 * there): setup_inside() unshares it, and execve() or fork() moves
	 * the program in. */
	p->time_ns = ns & CLONE_NEWTIME;
	p->ns_flags = (int)(ns & ~(uint64_t)(CLONE_NEWCGROUP | CLONE_NEWTIME));
	if (p->userns)
		p->ns_flags |= CLONE_NEWUSER;
	/* A pid namespace hides nothing while /proc still shows the host's
	 * processes: it brings a mount namespace with a /proc of its own. */
	if (ns & CLONE_NEWPID) {
		p->ns_flags |= CLONE_NEWNS;
		p->new_proc = true;
		p->pid_init = true;
	}
}

static void plan_cgroups(struct plan *p)
{
	const struct lb_bundle *b = p->b;
	char missing[128] = "";
	unsigned l;

	if (!b->memory_max && !b->cpu_quota && !b->pids_max &&
	    !devices_needed(p))
		return;
	cgroup_plan(p);
	for (l = 0; l < CG_LIMITS; l++)
		if (p->cg_missing & (1u << l))
			snprintf(missing + strlen(missing),
				 sizeof(missing) - strlen(missing), "%s%s",
				 *missing ? ", " : "", cg_limit_names[l]);
	if (*missing && !p->cg_optional)
		die("cgroup", "no writable cgroup can apply the %s limit%s "
		    "(cgroup v2 with the controller, or cgroup v1 as root); "
		    "--cgroup=optional runs without them", missing,
		    strchr(missing, ',') ? "s" : "");
	if (*missing)
		warn("cgroup", "the %s limit%s NOT applied (no writable "
		     "cgroup with the controller)", missing,
		     strchr(missing, ',') ? "s are" : " is");
}

/*
 * Landlock: the bundle's rules, and the IPC scoping of ABI 6 (abstract
 * unix sockets and signals stay inside the sandbox) on every run where
 * the kernel has it, rules or not, unless the policy leaves a scope
 * open.  A right the kernel's ABI cannot enforce fails the run, as
 * AppArmor and the cgroups do; --landlock=best-effort runs without it
 * and says what stays allowed.
 */
static void plan_landlock(struct plan *p)
{
	const struct lb_bundle *b = p->b;
	uint64_t fs_all = landlock_fs_mask(99), net_all = landlock_net_mask(99);
	uint64_t want_fs = b->has_landlock ? b->handled_fs : 0;
	uint64_t want_net = b->has_landlock ? b->handled_net : 0;

	if ((want_fs & ~fs_all) || (want_net & ~net_all))
		die("landlock", "the bundle handles access rights this "
		    "leash-exec does not know (fs 0x%llx, net 0x%llx)",
		    (unsigned long long)(want_fs & ~fs_all),
		    (unsigned long long)(want_net & ~net_all));
	p->ll_abi = landlock_abi();
	p->ll_fs = want_fs & landlock_fs_mask(p->ll_abi);
	p->ll_net = want_net & landlock_net_mask(p->ll_abi);
	p->ll_scope = landlock_scope_mask(p->ll_abi) & ~b->scope_open;
	if (p->ll_fs != want_fs || p->ll_net != want_net) {
		if (!p->ll_best_effort)
			die("landlock", "the kernel's Landlock ABI %d cannot "
			    "restrict rights fs 0x%llx, net 0x%llx that the "
			    "policy asks for; --landlock=best-effort runs "
			    "without them", p->ll_abi,
			    (unsigned long long)(want_fs & ~p->ll_fs),
			    (unsigned long long)(want_net & ~p->ll_net));
		warn("landlock", "the kernel's Landlock ABI %d cannot restrict "
		     "rights fs 0x%llx, net 0x%llx: those stay allowed",
		     p->ll_abi, (unsigned long long)(want_fs & ~p->ll_fs),
		     (unsigned long long)(want_net & ~p->ll_net));
	}
	if (!p->ll_fs && !p->ll_net && !p->ll_scope)
		p->ll_abi = 0;
}

static void plan_apparmor(struct plan *p)
{
	const struct lb_bundle *b = p->b;

	if (!b->apparmor)
		return;
	if (apparmor_enabled()) {
		p->aa_apply = true;
		return;
	}
	if ((b->apparmor_flags & LB_AA_REQUIRED) && !p->aa_optional)
		die("apparmor", "the policy asks for profile '%s' and this "
		    "kernel has no AppArmor; --apparmor=optional runs without "
		    "it", b->apparmor);
	warn("apparmor", "this kernel has no AppArmor: profile '%s' is NOT "
	     "applied", b->apparmor);
}

/*
 * Every path the policy makes leash-exec open or mount over resolves
 * through no symlink a user other than root or the caller could have
 * planted (trust.c), judged now, with the caller's own credentials.
 */
static void trust_paths(const struct plan *p)
{
	const struct lb_bundle *b = p->b;
	size_t i;

	for (i = 0; b->has_landlock && i < b->n_paths; i++)
		trust_policy_path(b->paths[i].path, getuid());
	for (i = 0; i < b->n_mounts; i++)
		trust_policy_path(b->mounts[i].path, getuid());
}

static void make_plan(struct plan *p, char **cmd)
{
	const struct lb_bundle *b = p->b;
	struct sock_filter *f;
	size_t i;

	trust_paths(p);
	plan_caps_user(p);
	plan_namespaces(p);
	for (i = 0; i < b->n_rlimits; i++)
		if (b->rlimits[i].resource >= 16)
			die("rlimits", "unknown resource %u",
			    b->rlimits[i].resource);
	/* A private mount tree (mounts.c) for the policy's mounts, and to
	 * keep a program that may be host root off /proc/sys, /sys, the
	 * cgroups and the host's devices; decided now, built inside. */
	if (mounts_needed(b, p->host_root)) {
		p->mount_tree = true;
		p->ns_flags |= CLONE_NEWNS;
		mount_plan_init(&p->mounts, b, p->host_root, p->new_proc);
	}
	plan_cgroups(p);
	plan_landlock(p);
	plan_apparmor(p);

	f = xmalloc(b->bpf_len * sizeof(*f));
	for (i = 0; i < b->bpf_len; i++) {
		f[i].code = b->bpf[i].code;
		f[i].jt = b->bpf[i].jt;
		f[i].jf = b->bpf[i].jf;
		f[i].k = b->bpf[i].k;
	}
	p->prog.filter = f;
	p->prog.len = (unsigned short)b->bpf_len;
	p->seccomp_early = !b->nnp &&
		!(b->caps[LB_CAP_EFFECTIVE] & (1ULL << CAP_SYS_ADMIN));

	/* Root's user namespace maps ids other than its own: only a
	 * parent outside it may write such maps (write_id_maps()). */
	p->supervise = p->pid_init || p->n_cg > 0 || p->switch_ids;
	p->exe = find_program(cmd[0]);
	p->argv = cmd;
}

/* ---- --dry-run ------------------------------------------------------- */

static void print_caps(const char *set, uint64_t caps)
{
	unsigned c;
	bool any = false;

	printf("  %-12s", set);
	for (c = 0; c < 64; c++) {
		if (!(caps & (1ULL << c)))
			continue;
		if (c < n_cap_names)
			printf(" %s", cap_names[c]);
		else
			printf(" %u", c);
		any = true;
	}
	printf("%s\n", any ? "" : " (none)");
}

static void print_plan(const struct plan *p)
{
	static const struct { int flag; const char *name; } ns[] = {
		{ CLONE_NEWUSER, "user" }, { CLONE_NEWPID, "pid" },
		{ CLONE_NEWNET, "net" }, { CLONE_NEWIPC, "ipc" },
		{ CLONE_NEWUTS, "uts" }, { CLONE_NEWNS, "mount" },
	};
	static const char *const sets[] = {
		"bounding", "effective", "permitted", "inheritable", "ambient"
	};
	const struct lb_bundle *b = p->b;
	size_t i;
	char **a;

	printf("leash-exec: dry run of bundle '%s'; nothing is applied\n",
	       b->name);
	printf("namespaces:");
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		if (p->ns_flags & ns[i].flag)
			printf(" %s", ns[i].name);
	if (p->cgroup_ns)
		printf(" cgroup");
	if (p->time_ns)
		printf(" time");
	printf("%s\n", p->ns_flags || p->cgroup_ns || p->time_ns ? "" :
	       " (none)");
	if (p->userns)
		printf("  user namespace maps uid %u to %u, gid %u to %u%s%s\n",
		       p->inner_uid, p->outer_uid, p->inner_gid, p->outer_gid,
		       p->switch_ids && p->b->n_groups ?
		       ", each group to itself" : "",
		       p->privileged ? "" : " (the caller; needed as "
		       "leash-exec is unprivileged)");
	if (p->new_proc)
		printf("  /proc mounted anew; pid 1 is leash-exec's init, "
		       "the program pid 2\n");
	if (p->mount_tree)
		printf("  a private mount tree:%s %zu path rule%s%s\n",
		       p->host_root ? " /proc/sys, /sys and the cgroups "
		       "read-only, a minimal /dev, the rest nodev;" : "",
		       b->n_mounts, b->n_mounts == 1 ? "" : "s",
		       b->mount_flags & LB_MNT_READ_ONLY_ROOT ?
		       "; / read-only" : "");
	if (p->ns_flags & CLONE_NEWNET)
		printf("  network: only lo, brought up\n");
	printf("process: %s\n", p->supervise ? "leash-exec stays as the "
	       "parent, forwards signals and the exit status" :
	       "leash-exec becomes the program");
	for (i = 0; i < b->n_rlimits; i++)
		printf("rlimit: %s soft %llu hard %llu\n",
		       rlimit_names[b->rlimits[i].resource],
		       (unsigned long long)b->rlimits[i].soft,
		       (unsigned long long)b->rlimits[i].hard);
	for (i = 0; i < p->n_cg; i++) {
		unsigned l;

		printf("cgroup: %s (v%d):", p->cg[i].path, p->cg[i].v2 ? 2 : 1);
		for (l = 0; l < CG_LIMITS; l++)
			if (p->cg[i].limits & (1u << l))
				printf(" %s", cg_limit_names[l]);
		printf("\n");
	}
	if (b->memory_max || b->cpu_quota || b->pids_max)
		printf("cgroup limits: memory %llu bytes, cpu %llu/%llu us, "
		       "pids %llu (0: none)\n",
		       (unsigned long long)b->memory_max,
		       (unsigned long long)b->cpu_quota,
		       (unsigned long long)b->cpu_period,
		       (unsigned long long)b->pids_max);
	if (b->apparmor)
		printf("apparmor: profile '%s' %s\n", b->apparmor,
		       p->aa_apply ? "on exec" : "NOT applied (no AppArmor)");
	if (p->ll_abi) {
		printf("landlock: ABI %d, handled fs 0x%llx net 0x%llx, "
		       "scoped 0x%llx\n", p->ll_abi,
		       (unsigned long long)p->ll_fs,
		       (unsigned long long)p->ll_net,
		       (unsigned long long)p->ll_scope);
		for (i = 0; i < b->n_paths; i++)
			printf("  allow 0x%llx beneath %s\n",
			       (unsigned long long)(b->paths[i].access &
						    p->ll_fs),
			       b->paths[i].path);
		for (i = 0; i < b->n_ports; i++)
			printf("  allow 0x%llx on tcp port %llu\n",
			       (unsigned long long)(b->ports[i].access &
						    p->ll_net),
			       (unsigned long long)b->ports[i].port);
	} else {
		printf("landlock: none\n");
	}
	if (b->user_flags & LB_USER_UID)
		printf("user: uid %u\n", b->uid);
	if (b->user_flags & LB_USER_GID)
		printf("user: gid %u\n", b->gid);
	if (b->user_flags & LB_USER_GROUPS) {
		printf("user: groups");
		for (i = 0; i < b->n_groups; i++)
			printf(" %u", b->groups[i]);
		printf("\n");
	}
	printf("capabilities:\n");
	for (i = 0; i < LB_CAP_SETS; i++)
		print_caps(sets[i], b->caps[i]);
	printf("no_new_privs: %d\n", b->nnp ? 1 : 0);
	printf("seccomp: %zu instructions, loaded %s\n", b->bpf_len,
	       p->seccomp_early ? "before the capability switch "
	       "(no_new_privs is off)" : "last");
	printf("exec: %s", p->exe);
	for (a = p->argv + 1; *a; a++)
		printf(" %s", *a);
	printf("\n");
}

/* ---- processes ------------------------------------------------------- */

/*
 * Supervised, the program should die with leash-exec, whoever kills it.
 * Set after our last change of credentials where we can (a change
 * clears it) and always before the policy's filter, which may refuse
 * prctl() and getppid().  The kernel also clears it at an execve() that
 * changes capabilities and a filter loaded before the user switch moves
 * it in front of that switch, so this is a first line only: what
 * survives stays in the cgroup, which the next run empties
 * (reap_stale_cgroups()).  With the parent already gone, nothing would
 * clean up after the program: do not start it.
 */
static void die_with_parent(const struct plan *p)
{
	if (!p->supervise || p->pid_init)
		return;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		die_errno("setup", "PR_SET_PDEATHSIG");
	if (getppid() != p->supervisor)
		_exit(SHIM_EXIT_FAIL);
}

static void __attribute__((noreturn)) confine_and_exec(const struct plan *p)
{
	int err;

	apply_rlimits(p);
	apply_apparmor(p);
	apply_landlock(p);
	if (p->seccomp_early) {
		die_with_parent(p);
		apply_seccomp(p);
	}
	apply_user_caps(p);
	apply_nnp(p);
	if (!p->seccomp_early) {
		die_with_parent(p);
		apply_seccomp(p);
	}
	execve(p->exe, p->argv, environ);
	err = errno;
	fprintf(stderr, "leash-exec: exec: %s: %s\n", p->exe, strerror(err));
	_exit(err == ENOENT ? SHIM_EXIT_NOTFOUND : SHIM_EXIT_NOEXEC);
}

static int exit_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return SHIM_EXIT_FAIL;
}

/*
 * Wait for @child, forwarding signals; return its status as a shell
 * would report it.  As the pid namespace's init (@reap), also reap the
 * orphans the kernel hands us.  A signal from the terminal (SI_KERNEL)
 * already reached the whole process group, the child included: only
 * signals sent to us alone are passed on.
 */
static int supervise(pid_t child, bool reap)
{
	siginfo_t si;
	pid_t w;
	int st;

	for (;;) {
		if (sigwaitinfo(&fwd_signals, &si) < 0) {
			if (errno == EINTR)
				continue;
			die_errno("supervise", "sigwaitinfo");
		}
		if (si.si_signo != SIGCHLD) {
			if (si.si_code != SI_KERNEL)
				kill(child, si.si_signo);
			continue;
		}
		while ((w = waitpid(reap ? -1 : child, &st, WNOHANG)) > 0)
			if (w == child)
				return exit_status(st);
		if (w < 0 && errno != EINTR)
			die_errno("supervise", "waiting for pid %d", (int)child);
	}
}

static int program_main(void *arg)
{
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	confine_and_exec(arg);
}

/*
 * The program's process, from init: clone(CLONE_VM | CLONE_VFORK), as
 * posix_spawn() does, not fork().  fork() copied init's page tables and
 * then both took a copy-on-write fault for every page they touched,
 * about 100 us of leash-exec's 3 ms with every namespace (timed step by
 * step).  Sharing init's memory is safe because init sleeps until the
 * child has exec'd or _exit()ed (CLONE_VFORK), no signal handler can run
 * in the child (none is installed), and the child never returns into
 * init's frames: it runs on a stack of its own, with a guard page below,
 * and leaves by execve() or _exit() only (die() skips the parent's
 * cleanup in any process but the supervisor).
 */
static pid_t start_program(const struct plan *p)
{
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	const size_t size = 256 * 1024;
	char *stack;
	pid_t pid;

	stack = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		die_errno("namespaces", "a stack for the program's process");
	if (mprotect(stack, page, PROT_NONE) < 0)
		die_errno("namespaces", "the stack's guard page");
	pid = clone(program_main, stack + page + size,
		    CLONE_VM | CLONE_VFORK | SIGCHLD, (void *)p);
	if (pid < 0)
		die_errno("namespaces", "starting the program in the pid "
			  "namespace");
	/* Exec'd or gone: the stack is ours again. */
	munmap(stack, size + page);
	return pid;
}

/* The clone()d child: in every new namespace, pid 1 if there is a pid
 * namespace. */
static int child_main(void *arg)
{
	const struct plan *p = arg;
	pid_t pid;
	char c;

	/* As pid 1, our death takes the whole namespace with it: die when
	 * the parent dies, so nothing outlives a killed leash-exec.  Set
	 * before the handshake, so a parent that is already gone shows as
	 * end-of-file below. */
	if (p->pid_init && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		die_errno("namespaces", "PR_SET_PDEATHSIG");
	close(sync_pipe[1]);
	/* Wait until the parent has written our ID maps and put us in our
	 * cgroups; end-of-file means it failed (and said why). */
	if (read(sync_pipe[0], &c, 1) != 1)
		_exit(SHIM_EXIT_FAIL);
	close(sync_pipe[0]);
	setup_inside(p);
	if (!p->pid_init) {
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		confine_and_exec(p);
	}
	/* Our init holds the user namespace's full capabilities (or
	 * root's): no core dumps, no ptrace by the program. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		die_errno("namespaces", "PR_SET_DUMPABLE");
	pid = start_program(p);
	return supervise(pid, true);
}

static int run_supervised(struct plan *p)
{
	static const int sigs[] = {
		SIGCHLD, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
		SIGALRM, SIGWINCH, SIGCONT,
	};
	size_t i;
	pid_t pid;
	int rc;

	cleanup_plan = p;
	cleanup_owner = getpid();
	p->supervisor = cleanup_owner;
	die_set_cleanup(cleanup);
	/* Every process the program leaves behind comes back to us, to
	 * be killed when it exits (reap.c). */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		die_errno("setup", "PR_SET_CHILD_SUBREAPER");
	reap_stale_cgroups(p);
	/* A SIGCHLD ignored by our caller (inherited across exec) would
	 * reap the child before we could read its status. */
	if (signal(SIGCHLD, SIG_DFL) == SIG_ERR)
		die_errno("setup", "SIGCHLD");
	cgroup_create(p);

	/* Blocked here, taken with sigwaitinfo(): no handler can run at a
	 * bad moment, and a signal that comes early waits for us. */
	sigemptyset(&fwd_signals);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&fwd_signals, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &fwd_signals, &old_mask) < 0)
		die_errno("setup", "sigprocmask");
	if (pipe2(sync_pipe, O_CLOEXEC) < 0)
		die_errno("setup", "pipe");
	/* clone(), not unshare() + fork(): the child is created in the
	 * new namespaces while we stay outside with the caller's
	 * credentials, to write its maps and move it into its cgroup.
	 * CLONE_NEWCGROUP waits for that move (setup_inside()). */
	pid = clone(child_main, child_stack + sizeof(child_stack),
		    p->ns_flags | SIGCHLD, p);
	if (pid < 0)
		die_errno("namespaces", "clone");
	cleanup_child = pid;
	close(sync_pipe[0]);
	if (p->userns)
		write_id_maps(p, pid);
	cgroup_join(p, pid);
	if (write(sync_pipe[1], "x", 1) != 1)
		die_errno("namespaces", "starting the child");
	close(sync_pipe[1]);
	rc = supervise(pid, false);
	cleanup_child = 0;
	reap_leftovers(p);
	cgroup_remove(p);
	return rc;
}

int main(int argc, char **argv)
{
	struct plan p;
	struct lb_bundle b;
	const char *key = NULL;
	int i;

	/* Never a privilege gift: refused if set-user-ID, set-group-ID
	 * or file capabilities raised us at exec (trust.c), before any
	 * option or file is looked at. */
	trust_exec_env();
	memset(&p, 0, sizeof(p));
	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0 &&
	     argv[i][2]; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			p.dry_run = true;
		else if (strcmp(argv[i], "--apparmor=optional") == 0)
			p.aa_optional = true;
		else if (strcmp(argv[i], "--apparmor=required") == 0)
			p.aa_optional = false;
		else if (strcmp(argv[i], "--cgroup=optional") == 0)
			p.cg_optional = true;
		else if (strcmp(argv[i], "--cgroup=required") == 0)
			p.cg_optional = false;
		else if (strcmp(argv[i], "--landlock=best-effort") == 0)
			p.ll_best_effort = true;
		else if (strcmp(argv[i], "--landlock=required") == 0)
			p.ll_best_effort = false;
		else if (strcmp(argv[i], "--trust") == 0 ||
			 strncmp(argv[i], "--trust=", 8) == 0) {
			if (key)
				usage("--trust given twice");
			if (argv[i][7] == '=')
				key = argv[i] + 8;
			else if (i + 1 < argc)
				key = argv[++i];
			if (!key || !*key)
				usage("--trust needs a public key file");
		} else if (strcmp(argv[i], "--help") == 0) {
			fputs(USAGE "Runs CMD confined by the bundle; see "
			      "leash-exec(1).\nSystem trust directory (when "
			      "it exists, every bundle must be signed by one "
			      "of its keys): " LEASH_TRUST_DIR "\n", stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("leash-exec %s (bundle format %u, C library: "
			       "%s)\n", PACKAGE_VERSION, LB_VERSION,
#ifdef __GLIBC__
			       "glibc");
#else
			       LEASH_SHIM_LIBC);
#endif
			return 0;
		} else
			usage("unknown option");
	}
	if (i >= argc)
		usage("no bundle given");
	read_bundle(argv[i++], key, &b);
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc)
		usage("no command given");
	p.b = &b;
	make_plan(&p, argv + i);
	if (p.dry_run) {
		print_plan(&p);
		return fflush(stdout) == 0 ? 0 : SHIM_EXIT_FAIL;
	}
	fflush(NULL);

	if (p.supervise)
		return run_supervised(&p);
	/* One process (no pid namespace, no cgroup): unshare() first, as
	 * every later step must happen inside the namespaces, and the new
	 * user namespace is what gives an unprivileged caller the
	 * capabilities the later steps need.  The cgroup and time
	 * namespaces come in setup_inside(), as for a child. */
	if (p.ns_flags && unshare(p.ns_flags) < 0)
		die_errno("namespaces", "unshare(0x%x)", (unsigned)p.ns_flags);
	if (p.userns)
		write_id_maps(&p, 0);
	setup_inside(&p);
	confine_and_exec(&p);
}
