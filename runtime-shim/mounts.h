/* SPDX-License-Identifier: MIT */
/*
 * mounts.h - the private mount tree of leash-exec.
 *
 * Landlock says what the program may open; it cannot make a file
 * system read-only for a program that keeps uid 0 on the host, and it
 * has no notion of hiding a path whose parent is allowed.  Bind mounts
 * in a mount namespace of the program's own can, as runc and bubblewrap
 * do:
 *
 *   host_root   /proc/sys, /proc/sysrq-trigger, /proc/irq, /proc/bus,
 *               /sys and every cgroup and sysfs mount read-only; every
 *               mount nodev; a minimal /dev of its own.  Without this,
 *               uid 0 writes /proc/sys/kernel/core_pattern (the kernel
 *               then runs a program of its choice as full root on the
 *               host) or raises its own cgroup limits.
 *   mounts      the policy's mask, readonly and noexec rules, in order
 *   flags       LB_MNT_READ_ONLY_ROOT: everything read-only but /proc,
 *               /dev/pts, /dev/shm and a /dev of our own
 *
 * Every target is opened first, one component at a time, and the
 * mount goes onto that file descriptor, never onto a path looked up
 * again: a symbolic link swapped in meanwhile cannot redirect it (the
 * class of runc's CVE-2021-30465).  Each step applies exactly or dies
 * (die.h), with "mounts" as its step name.
 *
 * What this cannot do: a program that keeps CAP_SYS_ADMIN undoes any
 * of it (umount, remount); with host_root and no pid namespace,
 * /proc/PID/root of a host process still leads to the host's own tree
 * for whoever passes the ptrace access check on that process.
 */
#ifndef LEASH_MOUNTS_H
#define LEASH_MOUNTS_H

#include "bundle.h"

#include <stdbool.h>
#include <sys/types.h>

/*
 * What apply_mounts() will do, decided without changing anything, so
 * that leash-exec can build it with the rest of its plan before the
 * namespaces exist.
 */
struct mount_plan {
	const struct lb_bundle *b;
	bool host_root;		/* the program may be uid 0 on the host */
	bool new_proc;		/* /proc is the pid namespace's own */
	/* open_tree, move_mount, fsopen/fsmount and mount_setattr (Linux
	 * 5.12): attributes set on a detached tree before it is attached,
	 * and recursively in one call.  Else mount(2) onto /proc/self/fd/N
	 * and a remount per mount (what runc did before). */
	bool new_api;
	/* How an owner the user namespace does not map shows up (the
	 * host's root, for an unprivileged caller): see link_trusted(). */
	uid_t overflow_uid;
};

/* Whether the run needs a mount namespace of its own: the bundle has
 * mounts, or @host_root. */
bool mounts_needed(const struct lb_bundle *b, bool host_root);

/* Fill @mp for apply_mounts(); no change to the process or the system. */
void mount_plan_init(struct mount_plan *mp, const struct lb_bundle *b,
		     bool host_root, bool new_proc);

/* What apply_mounts() does, with the plan given. */
void mount_plan_apply(const struct mount_plan *mp);

/*
 * Called in the child after unshare/clone(CLONE_NEWNS) and after / was
 * made MS_SLAVE|MS_REC (already done by the caller: propagation to the
 * host is cut), before Landlock, capabilities and seccomp; the process
 * still has CAP_SYS_ADMIN over its mount namespace (it is root, or root
 * in its own user namespace).  @host_root: the program may hold uid 0
 * in the initial user namespace.  @new_proc: the caller mounted a fresh
 * /proc already (pid namespace).
 */
void apply_mounts(const struct lb_bundle *b, bool host_root, bool new_proc);

#endif
