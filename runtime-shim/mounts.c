/* SPDX-License-Identifier: MIT */
/*
 * mounts.c - the private mount tree of leash-exec (mounts.h says what
 * and why).
 *
 * Two ways to mount, chosen once by mount_plan_init():
 *
 *   new API    (Linux 5.12: mount_setattr; the rest is from 5.2)
 *              open_tree(OPEN_TREE_CLONE) copies a tree, detached;
 *              mount_setattr() makes the copy read-only (or noexec)
 *              before move_mount() attaches it onto the target's file
 *              descriptor, so it is never visible writable; fsopen()
 *              and fsmount() do the same for a new file system.  No
 *              path is looked up again, and /proc is not needed.
 *   mount(2)   onto "/proc/self/fd/N", which the kernel resolves to
 *              exactly the opened target (runc's fix for
 *              CVE-2021-30465), then a read-only remount of each mount
 *              of the copy, found in /proc/self/mountinfo and opened
 *              and checked by mount ID before it is changed.
 *
 * The new API is preferred on 6.1 (Debian 12) and later because it has
 * no window and needs no path but the first: it is what the fallback
 * approximates.  Nothing is undone on failure: die() ends the process,
 * and the mount namespace goes with it.
 *
 * Memory: the mount table snapshot is malloc()ed; this runs in a
 * clone()d child that has its own copy of the address space and one
 * thread, and a failed allocation dies like any other step.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include "mounts.h"
#include "die.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* The new mount API has the same numbers on every architecture but
 * alpha (asm-generic, since 5.1): older kernel headers lack them. */
#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
#ifndef __NR_move_mount
#define __NR_move_mount 429
#endif
#ifndef __NR_fsopen
#define __NR_fsopen 430
#endif
#ifndef __NR_fsconfig
#define __NR_fsconfig 431
#endif
#ifndef __NR_fsmount
#define __NR_fsmount 432
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif

/* <linux/mount.h> clashes with <sys/mount.h> in some glibc releases,
 * and older glibc has neither: the UAPI values, where missing. */
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x04
#endif
#ifndef MOVE_MOUNT_T_EMPTY_PATH
#define MOVE_MOUNT_T_EMPTY_PATH 0x40
#endif
#ifndef FSOPEN_CLOEXEC
#define FSOPEN_CLOEXEC 0x01
#endif
#ifndef FSCONFIG_SET_FLAG
#define FSCONFIG_SET_FLAG 0
#endif
#ifndef FSCONFIG_SET_STRING
#define FSCONFIG_SET_STRING 1
#endif
#ifndef FSCONFIG_CMD_CREATE
#define FSCONFIG_CMD_CREATE 6
#endif
#ifndef FSMOUNT_CLOEXEC
#define FSMOUNT_CLOEXEC 0x01
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x01
#define MOUNT_ATTR_NOSUID 0x02
#define MOUNT_ATTR_NODEV 0x04
#define MOUNT_ATTR_NOEXEC 0x08
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x1000U
#endif

#define STEP "mounts"

/* The attributes this file sets or clears, MOUNT_ATTR_* bits. */
#define RO MOUNT_ATTR_RDONLY
#define NOSUID MOUNT_ATTR_NOSUID
#define NODEV MOUNT_ATTR_NODEV
#define NOEXEC MOUNT_ATTR_NOEXEC

/* The kernel's MAXSYMLINKS. */
#define MAX_HOPS 40
/* Passes over the mount table before giving up on one that keeps
 * changing under us (a rename on the host moves a mount point). */
#define MAX_PASSES 16
/* Beyond this, /proc/self/mountinfo is not a mount table we handle. */
#define MAX_MOUNTINFO (64u << 20)

/* struct mount_attr, VER0 (32 bytes): glibc only has it from 2.36. */
struct mnt_attr {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

static int sys_open_tree(int dfd, const char *path, unsigned int flags)
{
	return (int)syscall(__NR_open_tree, dfd, path, flags);
}

static int sys_move_mount(int from, int to)
{
	return (int)syscall(__NR_move_mount, from, "", to, "",
			    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

static int sys_fsopen(const char *type)
{
	return (int)syscall(__NR_fsopen, type, FSOPEN_CLOEXEC);
}

static int sys_fsconfig(int fd, unsigned int cmd, const char *key,
			const char *value)
{
	return (int)syscall(__NR_fsconfig, fd, cmd, key, value, 0);
}

static int sys_fsmount(int fd, unsigned int attrs)
{
	return (int)syscall(__NR_fsmount, fd, FSMOUNT_CLOEXEC, attrs);
}

static int sys_mount_setattr(int fd, bool rec, unsigned int set,
			     unsigned int clr)
{
	struct mnt_attr a = { set, clr, 0, 0 };

	return (int)syscall(__NR_mount_setattr, fd, "",
			    AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &a,
			    sizeof(a));
}

/* ---- small helpers ---------------------------------------------------- */

static const char *fdpath(char buf[32], int fd)
{
	snprintf(buf, 32, "/proc/self/fd/%d", fd);
	return buf;
}

static void close_fd(int fd)
{
	int err = errno;

	if (fd >= 0)
		close(fd);
	errno = err;
}

static unsigned long ms_flags(unsigned int attrs)
{
	return (attrs & RO ? MS_RDONLY : 0) |
	       (attrs & NOSUID ? MS_NOSUID : 0) |
	       (attrs & NODEV ? MS_NODEV : 0) |
	       (attrs & NOEXEC ? MS_NOEXEC : 0);
}

/*
 * The head of the kernel's struct statx, as far as stx_mnt_id (a stable
 * ABI), under a name of our own: musl before 1.2.5 has no statx() and
 * no struct statx, and <linux/stat.h> clashes with its <sys/stat.h>.
 * The kernel writes at most the 256 bytes it documents.
 */
struct shim_statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	struct { int64_t sec; uint32_t nsec; int32_t spare; } t[4];
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t mnt_id;
	uint64_t spare[13];
};
_Static_assert(offsetof(struct shim_statx, mnt_id) == 144 &&
	       sizeof(struct shim_statx) == 256, "struct statx layout");
#define SHIM_STATX_MNT_ID 0x1000U

/* The mount ID of what @fd is on, as /proc/self/mountinfo numbers it. */
static int mnt_id(int fd)
{
	struct shim_statx stx;
	char path[64], buf[4096], *p;
	ssize_t n;
	int in;

	if (syscall(SYS_statx, fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
		    SHIM_STATX_MNT_ID, &stx) == 0 &&
	    (stx.mask & SHIM_STATX_MNT_ID))
		return (int)stx.mnt_id;
	/* Before 5.8: the descriptor's fdinfo has it (3.15). */
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		die_errno(STEP, "%s", path);
	n = read(in, buf, sizeof(buf) - 1);
	close(in);
	if (n < 0)
		die_errno(STEP, "%s", path);
	buf[n] = '\0';
	p = strstr(buf, "mnt_id:");
	if (!p)
		die(STEP, "%s: no mnt_id", path);
	return atoi(p + 7);
}

/* ---- the mount table -------------------------------------------------- */

struct mi_entry {
	int id, parent;
	unsigned int attrs;	/* RO, NOSUID, NODEV, NOEXEC it has */
	bool nosymfollow;
	char *root;		/* what of its file system it shows */
	char *point;		/* where, unescaped */
	char *fstype;
};

struct mi_table {
	char *buf;
	struct mi_entry *e;	/* sorted by id */
	size_t n;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die(STEP, "out of memory");
	return p;
}

/* The next space-separated field of a mountinfo line. */
static char *mi_field(char **cur)
{
	char *f = *cur, *sp;

	if (!f)
		return NULL;
	sp = strchr(f, ' ');
	if (sp) {
		*sp = '\0';
		*cur = sp + 1;
	} else {
		*cur = NULL;
	}
	return f;
}

/* The kernel writes space, tab, newline and backslash as \ooo. */
static void mi_unescape(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
					(s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

static void mi_opts(struct mi_entry *e, char *opts)
{
	char *o, *save = NULL;

	for (o = strtok_r(opts, ",", &save); o;
	     o = strtok_r(NULL, ",", &save)) {
		if (!strcmp(o, "ro"))
			e->attrs |= RO;
		else if (!strcmp(o, "nosuid"))
			e->attrs |= NOSUID;
		else if (!strcmp(o, "nodev"))
			e->attrs |= NODEV;
		else if (!strcmp(o, "noexec"))
			e->attrs |= NOEXEC;
		else if (!strcmp(o, "nosymfollow"))
			e->nosymfollow = true;
	}
}

/* One line: ID PARENT MAJ:MIN ROOT POINT OPTS [TAG...] - FSTYPE ... */
static bool mi_parse(char *line, struct mi_entry *e)
{
	char *cur = line, *id, *parent, *f;

	memset(e, 0, sizeof(*e));
	id = mi_field(&cur);
	parent = mi_field(&cur);
	if (!mi_field(&cur))
		return false;
	e->root = mi_field(&cur);
	e->point = mi_field(&cur);
	f = mi_field(&cur);
	if (!id || !parent || !e->root || !e->point || !f)
		return false;
	mi_opts(e, f);
	while ((f = mi_field(&cur)) && strcmp(f, "-"))
		;
	e->fstype = mi_field(&cur);
	if (!f || !e->fstype)
		return false;
	e->id = atoi(id);
	e->parent = atoi(parent);
	mi_unescape(e->root);
	mi_unescape(e->point);
	return true;
}

static int mi_cmp(const void *a, const void *b)
{
	const struct mi_entry *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* A snapshot: mounts change while we work, and the kernel's iterator
 * over a changing table may skip or repeat a line. */
static void mi_read(struct mi_table *t)
{
	size_t cap = 64u << 10, len = 0, n = 0;
	char *line, *nl;
	ssize_t r;
	int fd;

	memset(t, 0, sizeof(*t));
	fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die_errno(STEP, "/proc/self/mountinfo");
	t->buf = xrealloc(NULL, cap);
	for (;;) {
		if (cap - len < 2) {
			if (cap >= MAX_MOUNTINFO)
				die(STEP, "/proc/self/mountinfo: too large");
			cap *= 2;
			t->buf = xrealloc(t->buf, cap);
		}
		r = read(fd, t->buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die_errno(STEP, "/proc/self/mountinfo");
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	t->buf[len] = '\0';
	for (line = t->buf; (nl = strchr(line, '\n')); line = nl + 1)
		n++;
	t->e = xrealloc(NULL, n * sizeof(*t->e));
	for (line = t->buf; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		if (!mi_parse(line, &t->e[t->n]))
			die(STEP, "/proc/self/mountinfo: a line not "
			    "understood");
		t->n++;
	}
	qsort(t->e, t->n, sizeof(*t->e), mi_cmp);
}

static void mi_free(struct mi_table *t)
{
	free(t->e);
	free(t->buf);
}

static const struct mi_entry *mi_find(const struct mi_table *t, int id)
{
	struct mi_entry key = { .id = id };

	return bsearch(&key, t->e, t->n, sizeof(*t->e), mi_cmp);
}

/* Whether @e is the mount @root or one below it. */
static bool mi_below(const struct mi_table *t, const struct mi_entry *e,
		     int root)
{
	size_t hops;

	for (hops = 0; e && hops <= t->n; hops++) {
		if (e->id == root)
			return true;
		if (e->parent == e->id)
			break;
		e = mi_find(t, e->parent);
	}
	return false;
}

/* Open the root of mount @e where a path reaches it; -1 when none does
 * (covered by a later mount, or moved away since the snapshot). */
static int mi_open(const struct mi_entry *e)
{
	int fd = open(e->point, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP ||
		    errno == EACCES)
			return -1;
		die_errno(STEP, "opening the mount point %s", e->point);
	}
	/* Checked by ID: whatever the path led to, only that very mount
	 * is changed through this descriptor. */
	if (mnt_id(fd) != e->id) {
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- targets ------------------------------------------------------------ */

/* What a mount goes onto: the object, and where it was found, which
 * mount(2) needs to find the new mount on top of it. */
struct target {
	int fd;			/* O_PATH */
	int dir;		/* O_PATH, the directory holding it; -1: / */
	char name[NAME_MAX + 1];
	struct stat st;
};

static void target_close(struct target *t)
{
	close_fd(t->fd);
	close_fd(t->dir);
	t->fd = t->dir = -1;
}

/* @name in @dir, never through a symbolic link; -1 with errno. */
static int open_at(int dir, const char *name, struct target *t)
{
	t->fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (t->fd < 0)
		return -1;
	t->dir = fcntl(dir, F_DUPFD_CLOEXEC, 0);
	if (t->dir < 0 || fstat(t->fd, &t->st) < 0)
		die_errno(STEP, "%s", name);
	snprintf(t->name, sizeof(t->name), "%s", name);
	return 0;
}

/*
 * Whether the symbolic link @ln, in directory @dir, may take a policy
 * path elsewhere: owned by root or by the caller, who could have
 * written the policy anyway.  In a user namespace that does not map
 * the host's root (an unprivileged caller), root's links show up as
 * the overflow uid, like anyone else's: such a link is followed when
 * its directory has the same owner and nobody else may write there,
 * so that only that owner could have put it there, who could just as
 * well move what it leads to.  That keeps /lib -> usr/lib working on a
 * merged-/usr system, and still refuses a link another user planted in
 * /tmp.
 */
static bool link_trusted(const struct mount_plan *mp, const struct stat *ln,
			 const struct stat *dir)
{
	if (ln->st_uid == 0 || ln->st_uid == geteuid())
		return true;
	return ln->st_uid == mp->overflow_uid && dir->st_uid == ln->st_uid &&
	       !(dir->st_mode & (S_IWGRP | S_IWOTH));
}

/*
 * Open the absolute @path one component at a time, O_PATH and
 * O_NOFOLLOW each, into @t.  A link on the way is followed by hand, and
 * only when link_trusted(); a link as the last component is refused
 * (the mount would land on whatever it points to at the time).  No
 * magic link of /proc is ever jumped through: readlink() gives its text
 * and that is resolved like any path.  Returns -1 (errno ENOENT or
 * ENOTDIR) when the path does not exist; dies on anything else.
 */
static int resolve(const struct mount_plan *mp, const char *path,
		   struct target *t)
{
	char rest[2 * PATH_MAX], next[2 * PATH_MAX], link[PATH_MAX];
	char name[NAME_MAX + 1];
	struct stat st, dst;
	char *p = rest;
	int dir, fd, hops = 0;
	ssize_t n;
	size_t len;
	bool last;

	t->fd = t->dir = -1;
	if (path[0] != '/')
		die(STEP, "%s: not an absolute path", path);
	if (strlen(path) >= PATH_MAX)
		die(STEP, "%.64s...: path too long", path);
	strcpy(rest, path);
	dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		die_errno(STEP, "opening /");
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p) {
			/* Only "/" itself gets here: every other path
			 * returns at its last component. */
			t->fd = dir;
			strcpy(t->name, "/");
			if (fstat(dir, &t->st) < 0)
				die_errno(STEP, "/");
			return 0;
		}
		len = strcspn(p, "/");
		if (len > NAME_MAX)
			die(STEP, "%s: a component is too long", path);
		memcpy(name, p, len);
		name[len] = '\0';
		p += len;
		while (*p == '/')
			p++;
		last = !*p;
		if (last && (!strcmp(name, ".") || !strcmp(name, "..")))
			die(STEP, "%s: not a canonical path", path);
		fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
			close_fd(dir);
			return -1;
		}
		if (fd < 0 || fstat(fd, &st) < 0)
			die_errno(STEP, "%s: opening %s", path, name);
		if (!S_ISLNK(st.st_mode)) {
			if (last) {
				t->fd = fd;
				t->dir = dir;
				t->st = st;
				strcpy(t->name, name);
				return 0;
			}
			close(dir);
			dir = fd;
			continue;
		}
		if (last)
			die(STEP, "%s: a symbolic link; a mount never goes "
			    "onto what the last component links to", path);
		if (fstat(dir, &dst) < 0)
			die_errno(STEP, "%s", path);
		if (!link_trusted(mp, &st, &dst))
			die(STEP, "%s: the symbolic link %s is owned by "
			    "uid %u, neither root nor the caller", path,
			    name, (unsigned int)st.st_uid);
		if (++hops > MAX_HOPS)
			die(STEP, "%s: too many symbolic links", path);
		n = readlinkat(fd, "", link, sizeof(link));
		close(fd);
		if (n <= 0 || (size_t)n >= sizeof(link))
			die_errno(STEP, "%s: reading the link %s", path, name);
		link[n] = '\0';
		/* The link's text, then what is left of the path. */
		if ((size_t)n + 1 + strlen(p) >= sizeof(next))
			die(STEP, "%s: path too long", path);
		snprintf(next, sizeof(next), "%s/%s", link, p);
		strcpy(rest, next);
		p = rest;
		if (link[0] == '/') {
			close(dir);
			dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (dir < 0)
				die_errno(STEP, "opening /");
		}
	}
}

/* Whether @t is the root of a mount (and so takes mount attributes). */
static bool mount_root(const struct target *t)
{
	return t->dir < 0 || mnt_id(t->fd) != mnt_id(t->dir);
}

/* The mount now on top of @t, which a descriptor opened before the
 * mount does not see: looked up again from its directory, by name,
 * and checked to be a new mount. */
static int reopen(const struct target *t, const char *what)
{
	int fd = openat(t->dir, t->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		die_errno(STEP, "%s: reopening after the mount", what);
	if (mnt_id(fd) == mnt_id(t->fd))
		die(STEP, "%s: the new mount is not where it was made", what);
	return fd;
}

/* ---- changing attributes ------------------------------------------------ */

/* Through mount(2): a remount keeps the flags we do not change, as the
 * kernel refuses to drop one that a user namespace locked. */
static void remount(int fd, const struct mi_entry *e, unsigned int set,
		    unsigned int clr, const char *what)
{
	unsigned int want = (e->attrs | set) & ~clr;
	char p[32];

	if (mount(NULL, fdpath(p, fd), NULL, MS_REMOUNT | MS_BIND |
		  ms_flags(want) | (e->nosymfollow ? MS_NOSYMFOLLOW : 0),
		  NULL) < 0)
		die_errno(STEP, "%s: remounting %s", what, e->point);
}

/* One mount, found by a snapshot, changed through @fd on its root. */
static void change_one(const struct mount_plan *mp, int fd,
		       const struct mi_entry *e, unsigned int set,
		       unsigned int clr, const char *what)
{
	if (!mp->new_api)
		remount(fd, e, set, clr, what);
	else if (sys_mount_setattr(fd, false, set, clr) < 0)
		die_errno(STEP, "%s: changing %s", what, e->point);
}

typedef bool mi_pred(const struct mi_table *t, const struct mi_entry *e,
		     const void *arg);

/*
 * Give every mount that @pred selects the attributes @set and not
 * @clr, one by one, until a fresh snapshot shows nothing left to do:
 * a mount point moved by a rename on the host in the meantime is found
 * at its new place on the next pass.  A mount that no path reaches
 * (covered by another) is left alone: nothing can open it.
 */
static void converge(const struct mount_plan *mp, mi_pred *pred,
		     const void *arg, unsigned int set, unsigned int clr,
		     const char *what)
{
	struct mi_table t;
	size_t i, changed;
	int pass, fd;

	for (pass = 0; pass < MAX_PASSES; pass++) {
		mi_read(&t);
		changed = 0;
		for (i = 0; i < t.n; i++) {
			const struct mi_entry *e = &t.e[i];

			if (((e->attrs | set) & ~clr) == e->attrs ||
			    !pred(&t, e, arg))
				continue;
			fd = mi_open(e);
			if (fd < 0)
				continue;
			change_one(mp, fd, e, set, clr, what);
			close(fd);
			changed++;
		}
		mi_free(&t);
		if (!changed)
			return;
	}
	die(STEP, "%s: the mount table kept changing", what);
}

static bool in_subtree(const struct mi_table *t, const struct mi_entry *e,
		       const void *arg)
{
	return mi_below(t, e, *(const int *)arg);
}

/* The attributes of the mount whose root @fd is, and with @rec of every
 * mount below it. */
static void set_attr(const struct mount_plan *mp, int fd, bool rec,
		     unsigned int set, unsigned int clr, const char *what)
{
	int id;

	if (mp->new_api) {
		/* Recursive in one call, covered mounts included. */
		if (sys_mount_setattr(fd, rec, set, clr) < 0)
			die_errno(STEP, "%s: changing mount attributes", what);
		return;
	}
	id = mnt_id(fd);
	if (rec) {
		converge(mp, in_subtree, &id, set, clr, what);
	} else {
		struct mi_table t;
		const struct mi_entry *e;

		mi_read(&t);
		e = mi_find(&t, id);
		if (!e)
			die(STEP, "%s: mount %d not in the mount table", what,
			    id);
		remount(fd, e, set, clr, what);
		mi_free(&t);
	}
}

/* ---- making mounts ------------------------------------------------------ */

/* A copy of the tree at @src, every mount of it with @set and without
 * @clr, onto @dst.  Always recursive: a user namespace refuses to copy
 * a directory without the mounts locked below it, and a read-only
 * directory must not have a writable mount inside. */
static void bind_onto(const struct mount_plan *mp, int src,
		      const struct target *dst, unsigned int set,
		      unsigned int clr, const char *what)
{
	char s[32], d[32];
	int tree;

	if (mp->new_api) {
		tree = sys_open_tree(src, "", OPEN_TREE_CLONE |
				     OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
				     AT_RECURSIVE);
		if (tree < 0)
			die_errno(STEP, "%s: copying the mount tree", what);
		/* Still detached: never seen without its attributes. */
		if ((set || clr) && sys_mount_setattr(tree, true, set, clr) < 0)
			die_errno(STEP, "%s: setting mount attributes", what);
		if (sys_move_mount(tree, dst->fd) < 0)
			die_errno(STEP, "%s: attaching the bind mount", what);
		close(tree);
		return;
	}
	/* Both through /proc/self/fd/N: the kernel follows the magic
	 * links to exactly the opened objects, never a path again. */
	if (mount(fdpath(s, src), fdpath(d, dst->fd), NULL, MS_BIND | MS_REC,
		  NULL) < 0)
		die_errno(STEP, "%s: bind mount", what);
	tree = reopen(dst, what);
	set_attr(mp, tree, true, set, clr, what);
	close(tree);
}

/* A new file system @type with @opts ("key=value" or "flag", NULL-
 * terminated) and the mount attributes @attrs onto @dst; returns its
 * root, O_PATH, for the caller to fill or close. */
static int fs_new(const struct mount_plan *mp, const char *type,
		  const char *const *opts, unsigned int attrs,
		  const struct target *dst, const char *what)
{
	const char *const *o;
	char data[256] = "", key[64], d[32];
	const char *eq;
	int fs, mnt, r;

	if (!mp->new_api) {
		for (o = opts; *o; o++) {
			r = (int)strlen(data);
			snprintf(data + r, sizeof(data) - (size_t)r, "%s%s",
				 o == opts ? "" : ",", *o);
		}
		/* Onto /proc/self/fd/N: exactly what was opened. */
		if (mount(type, fdpath(d, dst->fd), type, ms_flags(attrs),
			  data) < 0)
			die_errno(STEP, "%s: mounting %s (%s)", what, type,
				  data);
		return reopen(dst, what);
	}
	fs = sys_fsopen(type);
	if (fs < 0)
		die_errno(STEP, "%s: fsopen(%s)", what, type);
	for (o = opts; *o; o++) {
		eq = strchr(*o, '=');
		if (eq) {
			snprintf(key, sizeof(key), "%.*s", (int)(eq - *o), *o);
			r = sys_fsconfig(fs, FSCONFIG_SET_STRING, key, eq + 1);
		} else {
			r = sys_fsconfig(fs, FSCONFIG_SET_FLAG, *o, NULL);
		}
		if (r < 0)
			die_errno(STEP, "%s: %s option %s", what, type, *o);
	}
	if (sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL) < 0)
		die_errno(STEP, "%s: creating the %s", what, type);
	/* The attributes come with the mount, before it is attached. */
	mnt = sys_fsmount(fs, attrs);
	close(fs);
	if (mnt < 0)
		die_errno(STEP, "%s: fsmount(%s)", what, type);
	if (sys_move_mount(mnt, dst->fd) < 0)
		die_errno(STEP, "%s: attaching the %s", what, type);
	return mnt;
}

/* ---- a uid 0 program: the host's knobs ------------------------------- */

/* What of /proc writes to the kernel for the whole host, as runc's
 * readonlyPaths: sysctls (core_pattern runs a program as root on the
 * host), SysRq, interrupt affinity, PCI and input devices. */
static const char *const proc_ro[] = { "sys", "sysrq-trigger", "irq", "bus" };

/* Whether the proc mount showing @root shows one of proc_ro, or lies
 * inside one (a bind of /proc/sys elsewhere). */
static bool proc_root_ro(const char *root)
{
	size_t i, n;

	for (i = 0; i < sizeof(proc_ro) / sizeof(proc_ro[0]); i++) {
		n = strlen(proc_ro[i]);
		if (root[0] == '/' && !strncmp(root + 1, proc_ro[i], n) &&
		    (root[n + 1] == '\0' || root[n + 1] == '/'))
			return true;
	}
	return false;
}

/* proc_ro of one proc mount, opened at @fd: each a read-only bind of
 * itself, on top, so it stays the same file system everyone else sees;
 * 1 if one was made. */
static int protect_proc_at(const struct mount_plan *mp, int fd,
			   const char *point)
{
	struct statvfs sv;
	struct target t;
	char what[PATH_MAX + 32];
	size_t i;
	int made = 0;

	for (i = 0; i < sizeof(proc_ro) / sizeof(proc_ro[0]); i++) {
		snprintf(what, sizeof(what), "%s/%s",
			 strcmp(point, "/") ? point : "", proc_ro[i]);
		if (open_at(fd, proc_ro[i], &t) < 0) {
			if (errno == ENOENT)
				continue;	/* not in this kernel */
			die_errno(STEP, "%s", what);
		}
		if (fstatvfs(t.fd, &sv) < 0)
			die_errno(STEP, "%s", what);
		if (!(sv.f_flag & ST_RDONLY)) {
			bind_onto(mp, t.fd, &t, RO | NOSUID | NODEV | NOEXEC,
				  0, what);
			made = 1;
		}
		target_close(&t);
	}
	return made;
}

/* Every proc mount a path reaches (/proc, whether the pid namespace's
 * own or the host's, and any other): until a pass finds nothing to do,
 * as in converge(). */
static void protect_proc(const struct mount_plan *mp)
{
	struct mi_table t;
	size_t i;
	int pass, fd, made;

	for (pass = 0; pass < MAX_PASSES; pass++) {
		mi_read(&t);
		made = 0;
		for (i = 0; i < t.n; i++) {
			const struct mi_entry *e = &t.e[i];

			if (strcmp(e->fstype, "proc"))
				continue;
			if (strcmp(e->root, "/") &&
			    (!proc_root_ro(e->root) || (e->attrs & RO)))
				continue;
			fd = mi_open(e);
			if (fd < 0)
				continue;
			if (strcmp(e->root, "/")) {
				/* Already a view of /proc/sys or the like. */
				change_one(mp, fd, e, RO, 0, e->point);
				made = 1;
			} else {
				made |= protect_proc_at(mp, fd, e->point);
			}
			close(fd);
		}
		mi_free(&t);
		if (!made)
			return;
	}
	die(STEP, "/proc: the mount table kept changing");
}

static bool host_knob(const struct mi_table *t, const struct mi_entry *e,
		      const void *arg)
{
	return !strcmp(e->fstype, "cgroup") || !strcmp(e->fstype, "cgroup2") ||
	       !strcmp(e->fstype, "sysfs");
}

/* /sys and all below it read-only: the cgroup files (a uid 0 program
 * would raise its own limits, or leave its cgroup), firmware and
 * device knobs; then every cgroup and sysfs mount wherever it is. */
static void protect_sys(const struct mount_plan *mp)
{
	struct target t;

	if (resolve(mp, "/sys", &t) == 0) {
		if (mount_root(&t))
			set_attr(mp, t.fd, true, RO, 0, "/sys");
		target_close(&t);
	}
	converge(mp, host_knob, NULL, RO, 0, "cgroup and sysfs mounts");
}

/* The devices a program may need, as bubblewrap's --dev: anything else
 * of the host's /dev (disks, memory, kmsg) is out of reach. */
static const struct {
	const char *name;
	unsigned int major, minor;
} dev_nodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static const char *const dev_links[][2] = {
	{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	{ "ptmx", "pts/ptmx" },
};

#define N_DEV_NODES (sizeof(dev_nodes) / sizeof(dev_nodes[0]))

/* Holds mount points and links only: small, so that a program cannot
 * fill memory through it. */
static const char *const dev_opts[] = {
	"mode=0755", "size=64k", "nr_inodes=64", NULL
};
/* A pseudo-terminal instance of our own: the host's ptys are not
 * listed, and /dev/ptmx opens in it.  No gid=5: that group may have no
 * mapping in a user namespace (bubblewrap leaves it out too). */
static const char *const pts_opts[] = {
	"newinstance", "ptmxmode=0666", "mode=0620", NULL
};
/* Docker's default size. */
static const char *const shm_opts[] = { "mode=1777", "size=64m", NULL };

/* An empty file or directory in the new /dev, opened for a mount. */
static void dev_point(int root, const char *name, bool is_dir,
		      struct target *t)
{
	int fd;

	if (is_dir) {
		if (mkdirat(root, name, 0755) < 0)
			die_errno(STEP, "/dev/%s", name);
	} else {
		fd = openat(root, name, O_WRONLY | O_CREAT | O_EXCL |
			    O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			die_errno(STEP, "/dev/%s", name);
		close(fd);
	}
	if (open_at(root, name, t) < 0)
		die_errno(STEP, "/dev/%s", name);
}

/*
 * A /dev of our own: a tmpfs with binds of the host's harmless nodes, a
 * devpts instance and a /dev/shm.  A uid 0 program with the host's /dev
 * could open the disks, /dev/mem or /dev/kmsg.  The tmpfs itself is
 * nodev (a node made with mknod there opens nothing); the binds are
 * mounts of their own that keep the host's devtmpfs usable, read-only
 * so that chmod or chown cannot reach the host's inodes (writing to a
 * device is not refused by a read-only mount).
 */
static void new_dev(const struct mount_plan *mp)
{
	struct target dev, t;
	struct stat st;
	char what[32];
	int host[N_DEV_NODES], root, fd;
	size_t i;

	if (resolve(mp, "/dev", &dev) < 0)
		die_errno(STEP, "/dev");
	if (!S_ISDIR(dev.st.st_mode))
		die(STEP, "/dev: not a directory");
	/* Opened before the new /dev hides them. */
	for (i = 0; i < N_DEV_NODES; i++) {
		host[i] = openat(dev.fd, dev_nodes[i].name,
				 O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (host[i] < 0 && errno == ENOENT) {
			warn(STEP, "/dev/%s: not on the host, not in the "
			     "program's /dev", dev_nodes[i].name);
			continue;
		}
		if (host[i] < 0 || fstat(host[i], &st) < 0)
			die_errno(STEP, "/dev/%s", dev_nodes[i].name);
		if (!S_ISCHR(st.st_mode) ||
		    st.st_rdev != makedev(dev_nodes[i].major,
					  dev_nodes[i].minor))
			die(STEP, "/dev/%s: not the character device %u:%u",
			    dev_nodes[i].name, dev_nodes[i].major,
			    dev_nodes[i].minor);
	}
	root = fs_new(mp, "tmpfs", dev_opts, NOSUID | NODEV | NOEXEC, &dev,
		      "/dev");
	for (i = 0; i < N_DEV_NODES; i++) {
		if (host[i] < 0)
			continue;
		snprintf(what, sizeof(what), "/dev/%s", dev_nodes[i].name);
		dev_point(root, dev_nodes[i].name, false, &t);
		/* nodev cleared: every mount got it before (nodev_all()),
		 * these are the ones that must open a device. */
		bind_onto(mp, host[i], &t, RO | NOSUID | NOEXEC, NODEV, what);
		target_close(&t);
		close(host[i]);
	}
	/* Not nodev: its ptmx and pts/N are the devices it serves. */
	dev_point(root, "pts", true, &t);
	fd = fs_new(mp, "devpts", pts_opts, NOSUID | NOEXEC, &t, "/dev/pts");
	close(fd);
	target_close(&t);
	dev_point(root, "shm", true, &t);
	fd = fs_new(mp, "tmpfs", shm_opts, NOSUID | NODEV, &t, "/dev/shm");
	close(fd);
	target_close(&t);
	for (i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++)
		if (symlinkat(dev_links[i][1], root, dev_links[i][0]) < 0)
			die_errno(STEP, "/dev/%s", dev_links[i][0]);
	close(root);
	target_close(&dev);
}

/* No device node opens through any mount we did not make: before the
 * new /dev goes on top, so that its own binds are made after and
 * clear it. */
static void nodev_all(const struct mount_plan *mp)
{
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (root < 0)
		die_errno(STEP, "opening /");
	set_attr(mp, root, true, NODEV, 0, "/");
	close(root);
}

/* What must hold for a uid 0 program, checked on a fresh lookup. */
static void check_host(const struct mount_plan *mp)
{
	static const char *const ro[] = { "/proc/sys", "/sys" };
	struct statvfs sv;
	struct target t;
	size_t i;

	for (i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		if (resolve(mp, ro[i], &t) < 0)
			continue;
		if (fstatvfs(t.fd, &sv) < 0)
			die_errno(STEP, "%s", ro[i]);
		if (!(sv.f_flag & ST_RDONLY))
			die(STEP, "%s: still writable", ro[i]);
		target_close(&t);
	}
}

/* ---- the policy's rules ------------------------------------------------- */

static const char *kind_name(uint32_t kind)
{
	switch (kind) {
	case LB_MNT_MASK:
		return "mask";
	case LB_MNT_READONLY:
		return "readonly";
	case LB_MNT_NOEXEC:
		return "noexec";
	case LB_MNT_WRITABLE:
		return "writable";
	default:
		return "?";
	}
}

/* /dev/null, checked: what masks a file (runc's maskedPaths).  After
 * new_dev(), that is our bind of it, which is not nodev. */
static int open_null(const struct mount_plan *mp)
{
	struct target t;
	int fd;

	if (resolve(mp, "/dev/null", &t) < 0)
		die_errno(STEP, "/dev/null");
	if (!S_ISCHR(t.st.st_mode) || t.st.st_rdev != makedev(1, 3))
		die(STEP, "/dev/null: not the character device 1:3");
	fd = t.fd;
	t.fd = -1;
	target_close(&t);
	return fd;
}

/* Empty, read-only, and a single inode: nothing can be put in it. */
static const char *const mask_opts[] = {
	"mode=0000", "size=4k", "nr_inodes=1", NULL
};

/* The attributes @kind must have given @path, on a fresh lookup: the
 * last word on what the program will find there. */
static void check_entry(const struct mount_plan *mp, const struct lb_mount *m)
{
	unsigned long want = m->kind == LB_MNT_NOEXEC ? ST_NOEXEC | ST_NOSUID :
				   ST_RDONLY;
	struct statvfs sv;
	struct target t;

	if (resolve(mp, m->path, &t) < 0)
		die_errno(STEP, "%s: gone after the %s mount", m->path,
			  kind_name(m->kind));
	if (fstatvfs(t.fd, &sv) < 0)
		die_errno(STEP, "%s", m->path);
	if ((sv.f_flag & want) != want)
		die(STEP, "%s: the %s mount did not take", m->path,
		    kind_name(m->kind));
	target_close(&t);
}

static void apply_entry(const struct mount_plan *mp, const struct lb_mount *m,
			int *null_fd)
{
	unsigned int set = m->kind == LB_MNT_NOEXEC ? NOEXEC | NOSUID : RO;
	struct target t;
	int fd;

	if (m->kind < LB_MNT_MASK || m->kind > LB_MNT_KIND_MAX)
		die(STEP, "%s: unknown mount kind %u", m->path, m->kind);
	if (resolve(mp, m->path, &t) < 0) {
		/* The compiler told the author already that a missing path
		 * cannot be mounted over; it may appear on another host. */
		warn(STEP, "%s: does not exist, no %s mount", m->path,
		     kind_name(m->kind));
		return;
	}
	if (m->kind == LB_MNT_WRITABLE) {
		/* A mount of its own now, so that read_only_root() can
		 * turn it writable again after the whole root. */
		if (t.dir >= 0 &&
		    (mp->b->mount_flags & LB_MNT_READ_ONLY_ROOT))
			bind_onto(mp, t.fd, &t, 0, 0, m->path);
		target_close(&t);
		return;
	}
	if (m->kind == LB_MNT_MASK && t.dir < 0)
		die(STEP, "/: refusing to mask the root");
	if (m->kind == LB_MNT_MASK && S_ISDIR(t.st.st_mode)) {
		fd = fs_new(mp, "tmpfs", mask_opts,
			    RO | NOSUID | NODEV | NOEXEC, &t, m->path);
		close(fd);
	} else if (m->kind == LB_MNT_MASK) {
		if (*null_fd < 0)
			*null_fd = open_null(mp);
		bind_onto(mp, *null_fd, &t, RO | NOSUID | NOEXEC, 0, m->path);
	} else if (t.dir < 0) {
		/* A mount on top of / would not be seen: lookups start at
		 * the root below it.  The root mount itself, then. */
		set_attr(mp, t.fd, true, set, 0, m->path);
	} else {
		bind_onto(mp, t.fd, &t, set, 0, m->path);
	}
	target_close(&t);
	check_entry(mp, m);
}

/*
 * The policy's writable paths, bound onto themselves by apply_entry():
 * writable again, each on its own, so the restricting mounts below them
 * (a deny inside the tree) stay as they are.
 */
static void writable_again(const struct mount_plan *mp)
{
	const struct lb_bundle *b = mp->b;
	struct target t;
	size_t i;

	for (i = 0; i < b->n_mounts; i++) {
		if (b->mounts[i].kind != LB_MNT_WRITABLE ||
		    resolve(mp, b->mounts[i].path, &t) < 0)
			continue;
		if (t.dir >= 0 && mount_root(&t))
			set_attr(mp, t.fd, false, 0, RO, b->mounts[i].path);
		target_close(&t);
	}
}

/*
 * Everything read-only, then back to writable, each on its own (not
 * what is mounted below it): /proc (the process's own files, not
 * storage; /proc/sys keeps its own read-only mount), /dev/pts (new
 * terminals), /dev/shm (POSIX shared memory), and with host_root the
 * new /dev, which is ours.  Only what was writable before: in a user
 * namespace a mount that came read-only cannot be made writable.
 */
static void read_only_root(const struct mount_plan *mp)
{
	static const char *const keep[] = {
		"/proc", "/dev/pts", "/dev/shm", "/dev"
	};
	size_t n_keep = sizeof(keep) / sizeof(keep[0]) - !mp->host_root;
	int fds[sizeof(keep) / sizeof(keep[0])], root;
	struct statvfs sv, rsv;
	struct target t;
	size_t i;

	for (i = 0; i < n_keep; i++) {
		fds[i] = -1;
		if (resolve(mp, keep[i], &t) < 0)
			continue;
		if (fstatvfs(t.fd, &sv) < 0)
			die_errno(STEP, "%s", keep[i]);
		if (mount_root(&t) && !(sv.f_flag & ST_RDONLY)) {
			fds[i] = t.fd;
			t.fd = -1;
		}
		target_close(&t);
	}
	root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		die_errno(STEP, "opening /");
	set_attr(mp, root, true, RO, 0, "read_only_root");
	if (fstatvfs(root, &rsv) < 0 || !(rsv.f_flag & ST_RDONLY))
		die(STEP, "read_only_root: / still writable");
	close(root);
	for (i = 0; i < n_keep; i++) {
		if (fds[i] < 0)
			continue;
		set_attr(mp, fds[i], false, 0, RO, keep[i]);
		close(fds[i]);
	}
	writable_again(mp);
}

/* ---- the interface ------------------------------------------------------ */

bool mounts_needed(const struct lb_bundle *b, bool host_root)
{
	return host_root || b->n_mounts ||
	       (b->mount_flags & LB_MNT_READ_ONLY_ROOT);
}

void mount_plan_init(struct mount_plan *mp, const struct lb_bundle *b,
		     bool host_root, bool new_proc)
{
	char buf[32];
	ssize_t n;
	int fd;

	memset(mp, 0, sizeof(*mp));
	mp->b = b;
	mp->host_root = host_root;
	mp->new_proc = new_proc;
	/* A call that changes nothing: ENOSYS where the kernel, or a
	 * container's seccomp filter, lacks it; the other calls of the
	 * API are older (5.2). */
	errno = 0;
	mp->new_api = !(syscall(__NR_mount_setattr, -1, "", AT_EMPTY_PATH,
				NULL, 0) < 0 && errno == ENOSYS);
	mp->overflow_uid = 65534;
	fd = open("/proc/sys/kernel/overflowuid", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = '\0';
			mp->overflow_uid = (uid_t)strtoul(buf, NULL, 10);
		}
		close(fd);
	}
}

/*
 * The order matters: the host's knobs first, while /proc and /sys are
 * the plain ones; nodev on everything, then the new /dev on top, whose
 * device binds come after and so escape it; the policy's rules on the
 * tree the program will see (a rule under /dev meets the new /dev);
 * read_only_root last, as it covers the rules' mounts too.
 */
void mount_plan_apply(const struct mount_plan *mp)
{
	const struct lb_bundle *b = mp->b;
	int null_fd = -1;
	size_t i;

	if (!mounts_needed(b, mp->host_root))
		return;
	if (mp->host_root) {
		protect_proc(mp);
		protect_sys(mp);
		nodev_all(mp);
		new_dev(mp);
	}
	for (i = 0; i < b->n_mounts; i++)
		apply_entry(mp, &b->mounts[i], &null_fd);
	close_fd(null_fd);
	if (b->mount_flags & LB_MNT_READ_ONLY_ROOT)
		read_only_root(mp);
	if (mp->host_root)
		check_host(mp);
}

void apply_mounts(const struct lb_bundle *b, bool host_root, bool new_proc)
{
	struct mount_plan mp;

	mount_plan_init(&mp, b, host_root, new_proc);
	mount_plan_apply(&mp);
}
