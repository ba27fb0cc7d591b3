/* SPDX-License-Identifier: MIT */
/*
 * shim.h - what the two halves of leash-exec share.
 *
 * leash-exec.c decides (reads the bundle, looks at the machine, builds a
 * struct plan) and runs the processes; shim-steps.c holds one function
 * per confinement step.  Every step either succeeds or calls die()
 * (die.h): a one-shot program that confines itself has nothing of its
 * own to clean up, so the bubblewrap pattern is the simplest thing that
 * fails closed.
 */
#ifndef LEASH_SHIM_H
#define LEASH_SHIM_H

/* clone(), unshare(), pipe2(), setresuid(): included first by both
 * halves, before any system header. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include "bundle.h"
#include "die.h"
#include "mounts.h"
#include "trust.h"

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* After SHIM_EXIT_FAIL (die.h), as a shell reports a command found
 * but not executable, and not found. */
#define SHIM_EXIT_NOEXEC 126
#define SHIM_EXIT_NOTFOUND 127

/* The cgroup limits a bundle can carry. */
/* The cgroup limits a bundle can carry, and the device list leash-exec
 * adds for a program that may be host root (devices.c). */
enum cg_limit { CG_MEMORY, CG_CPU, CG_PIDS, CG_DEVICES, CG_LIMITS };

/* One cgroup directory leash-exec creates for the program. */
struct cg_dir {
	char *path;		/* .../leash-exec.PID */
	bool v2;
	unsigned limits;	/* 1 << enum cg_limit applied here */
};

/*
 * Everything decided before the first change: every allocation, every
 * lookup, every refusal happens while building this.
 */
struct plan {
	const struct lb_bundle *b;
	bool dry_run, aa_optional, cg_optional;

	/* Program. */
	char *exe;		/* resolved path */
	char **argv;

	/* Who runs us. */
	bool privileged;	/* CAP_SYS_ADMIN, SETUID, SETGID, SETPCAP */
	uid_t caller_uid;
	gid_t caller_gid;
	unsigned last_cap;

	/* Namespaces: all but the cgroup and time ones are created by one
	 * unshare() or clone(); those two come in setup_inside(). */
	int ns_flags;
	bool userns;		/* ns_flags has CLONE_NEWUSER */
	/* A user namespace maps one uid (and gid) from inside to outside;
	 * written by root (@switch_ids), also each of the policy's groups
	 * to itself, and the child sets all its ids itself: it starts as
	 * an unmapped uid, with root's supplementary groups. */
	uint32_t inner_uid, inner_gid;	/* the program's, inside */
	uint32_t outer_uid, outer_gid;	/* the same, on the host */
	bool switch_ids;
	/* The program may hold uid 0 in the initial user namespace: the
	 * mount tree then protects /proc/sys, /sys, /dev and the cgroups. */
	bool host_root;
	/* The private mount tree (mounts.h), when mounts_needed(). */
	bool mount_tree;
	struct mount_plan mounts;
	bool cgroup_ns, time_ns;
	bool new_proc;		/* pid namespace: mount a /proc of its own */

	/* Processes: with a pid namespace or a cgroup, leash-exec stays as
	 * the parent; with a pid namespace, a small init is pid 1 and the
	 * program pid 2 (signals to a pid 1 without handlers are lost). */
	bool supervise, pid_init;
	pid_t supervisor;	/* leash-exec, the program's parent */

	/* cgroups. */
	struct cg_dir cg[CG_LIMITS];
	size_t n_cg;
	unsigned cg_missing;	/* limits that cannot apply (optional) */

	/* Landlock, masked to the kernel's ABI. */
	int ll_abi;		/* 0: no ruleset */
	uint64_t ll_fs, ll_net;
	uint64_t ll_scope;	/* LANDLOCK_SCOPE_* requested (ABI 6) */
	bool ll_best_effort;	/* --landlock=best-effort */

	/* AppArmor: apply the profile (else the policy allowed skipping). */
	bool aa_apply;

	/* Seccomp: loaded before the user switch when no_new_privs is off
	 * and the final effective set lacks CAP_SYS_ADMIN (the kernel
	 * requires one or the other to install a filter). */
	struct sock_fprog prog;
	bool seccomp_early;
};

extern const char *const cap_names[];
extern const unsigned n_cap_names;
extern const char *const cg_limit_names[CG_LIMITS];
extern const char *const rlimit_names[16];	/* RLIMIT_* order */

/* shim-steps.c: reading what the machine offers (no change). */
int landlock_abi(void);
uint64_t landlock_fs_mask(int abi);
uint64_t landlock_net_mask(int abi);
uint64_t landlock_scope_mask(int abi);
bool apparmor_enabled(void);
void cgroup_plan(struct plan *p);

/* shim-steps.c: the steps, in the order leash-exec.c calls them. */
void write_id_maps(const struct plan *p, pid_t pid);
void cgroup_create(const struct plan *p);
void cgroup_join(const struct plan *p, pid_t pid);
void cgroup_remove(const struct plan *p);

/* reap.c: nothing the program starts outlives it. */
void reap_leftovers(const struct plan *p);

/* devices.c: whether the program needs a device cgroup; only the
 * minimal /dev's devices, in the cgroup @d. */
bool devices_needed(const struct plan *p);
void devices_apply(const struct cg_dir *d);
void reap_stale_cgroups(const struct plan *p);
void setup_inside(const struct plan *p);
void apply_rlimits(const struct plan *p);
void apply_apparmor(const struct plan *p);
void apply_landlock(const struct plan *p);
void apply_seccomp(const struct plan *p);
/* The shim's own filter against terminal input injection (TIOCSTI,
 * TIOCLINUX), stacked before the policy's; apply_seccomp() loads it. */
#define TTY_GUARD_LEN 13
void apply_tty_guard(void);
void apply_user_caps(const struct plan *p);
void apply_nnp(const struct plan *p);

#endif
