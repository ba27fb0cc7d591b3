/* SPDX-License-Identifier: MIT */
/*
 * trust.c - refuse a bundle, a policy path or a start-up that someone
 * other than root or the caller could have arranged (trust.h).
 *
 * Who may write a bundle.  leash-exec applies whatever the bundle says,
 * so whoever can change the bundle decides how the program is confined
 * (or not confined at all: a bundle with an empty filter is valid).
 * The caller can already run the program unconfined, and root can do
 * anything: a bundle of theirs gives nobody anything.  Anyone else who
 * could change it could loosen the caller's confinement, or point a
 * root caller's mounts at files of their choosing.  So a bundle must be
 * one that only root and the caller can write:
 *
 *   - owned by root or the caller: an owner can always chmod it;
 *   - no write bit for group or others.  With an ACL the group bits are
 *     the ACL's mask, which any named user's or group's write right
 *     needs: no bit, no ACL writer either;
 *   - under directories owned by root or the caller, which no one else
 *     may write to: whoever may write a directory may rename the
 *     bundle away and put another file in its place, between the
 *     caller's choice of name and our open().  A sticky directory
 *     (/tmp) is the exception: there only an entry's owner (and the
 *     directory's) may rename or delete it, so an entry owned by root
 *     or the caller stays put, as the kernel reasons in
 *     may_delete();
 *   - or a memfd sealed against writing, shrinking and growing, which
 *     nobody at all can change any more: 'leash run' passes the
 *     bundle that way, as /proc/self/fd/N.  F_SEAL_WRITE alone would
 *     still let the holder of a writable descriptor truncate it.
 *
 * The checks look at the open file, not at its name: the directories
 * are those of the path the kernel gives for the descriptor
 * (/proc/self/fd/N), walked with O_NOFOLLOW, and the last name must
 * still be the inode that was opened.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include "trust.h"
#include "die.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- the bundle ------------------------------------------------------ */

/* What makes a memfd's content final. */
#define TRUST_SEALS (F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW)

/*
 * "/memfd:NAME (deleted)" is how the kernel names a memfd.  A file on
 * disk can only have that link while unlinked, and then it has no
 * F_SEAL_WRITE to show (only memfds take seals).
 */
static bool memfd_link(const char *link)
{
	static const char del[] = " (deleted)";
	size_t n = strlen(link);

	return strncmp(link, "/memfd:", 7) == 0 && n >= 7 + sizeof(del) - 1 &&
	       strcmp(link + n - (sizeof(del) - 1), del) == 0;
}

/*
 * Directory @st, the first @len bytes of @link, must be one that only
 * root and @caller can change.  Every entry below it is owned by root
 * or @caller too (the bundle by trust_bundle_fd(), each directory
 * here), which is what makes a sticky directory safe.
 */
static void check_dir(const char *step, const struct stat *st,
		      const char *path, const char *link, size_t len,
		      uid_t caller)
{
	if (!trust_owner_ok(st->st_uid, caller))
		die(step, "%s: directory %.*s is owned by uid %u, neither "
		    "root nor uid %u, and its owner could replace the file",
		    path, (int)len, link, (unsigned int)st->st_uid,
		    (unsigned int)caller);
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX))
		die(step, "%s: directory %.*s is writable by group or "
		    "others (mode %04o), who could replace the file", path,
		    (int)len, link, (unsigned int)(st->st_mode & 07777));
}

/* Walk the directories of @link, the kernel's name for @st. */
static void check_dirs(const char *step, const struct stat *st,
		       const char *path, const char *link, uid_t caller)
{
	char name[NAME_MAX + 1];
	const char *p = link + 1, *slash;
	struct stat ds;
	int dir, sub;

	dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0 || fstat(dir, &ds) < 0)
		die_errno(step, "%s: /", path);
	check_dir(step, &ds, path, link, 1, caller);
	while ((slash = strchr(p, '/')) != NULL) {
		size_t len = (size_t)(slash - p);

		if (len > NAME_MAX)
			die(step, "%s: a name of %s is too long", path,
			    link);
		memcpy(name, p, len);
		name[len] = '\0';
		/* A link here is a name that changed since the kernel
		 * made @link: that is no directory to trust. */
		sub = openat(dir, name, O_PATH | O_NOFOLLOW | O_DIRECTORY |
			     O_CLOEXEC);
		if (sub < 0 || fstat(sub, &ds) < 0)
			die_errno(step, "%s: %.*s", path,
				  (int)(slash - link), link);
		check_dir(step, &ds, path, link, (size_t)(slash - link),
			  caller);
		close(dir);
		dir = sub;
		p = slash + 1;
	}
	/* The last name must still be the file we read, or the
	 * directories checked are not the ones it was found in. */
	if (fstatat(dir, p, &ds, AT_SYMLINK_NOFOLLOW) < 0 ||
	    ds.st_dev != st->st_dev || ds.st_ino != st->st_ino)
		die(step, "%s: %s no longer names the file opened", path,
		    link);
	close(dir);
}

void trust_file_fd(int fd, const char *step, const char *path,
		   uid_t caller)
{
	char proc[32], link[PATH_MAX + 1];
	struct stat st;
	ssize_t n;
	int seals;

	if (fstat(fd, &st) < 0)
		die_errno(step, "%s", path);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, link, sizeof(link) - 1);
	if (n < 0)
		die_errno(step, "%s: where is it? %s", path, proc);
	if ((size_t)n >= sizeof(link) - 1)
		die(step, "%s: its path is too long to check", path);
	link[n] = '\0';

	/* A pipe, a socket or a device has no owner that wrote it: the
	 * writer is whoever holds the other end. */
	if (!S_ISREG(st.st_mode))
		die(step, "%s: not a regular file (%s): only a file or "
		    "a sealed memfd can be trusted", path, link);

	if (memfd_link(link)) {
		seals = fcntl(fd, F_GET_SEALS);
		if (seals < 0 || (seals & TRUST_SEALS) != TRUST_SEALS)
			die(step, "%s: a memfd not sealed against writing, "
			    "shrinking and growing (%s)", path, link);
		/* Sealed, its content is final; the owner only says
		 * who made it. */
		if (!trust_owner_ok(st.st_uid, caller))
			die(step, "%s: a memfd of uid %u, neither root "
			    "nor uid %u", path, (unsigned int)st.st_uid,
			    (unsigned int)caller);
		return;
	}

	if (!trust_owner_ok(st.st_uid, caller))
		die(step, "%s: owned by uid %u: only a file of root or "
		    "of uid %u is trusted", path, (unsigned int)st.st_uid,
		    (unsigned int)caller);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		die(step, "%s: writable by group or others (mode %04o)",
		    path, (unsigned int)(st.st_mode & 07777));
	/* Unlinked ('leash run' without memfd: an unlinked temporary
	 * file): no name left that anyone could point elsewhere, and the
	 * kernel's name for it ends in " (deleted)", which no walk finds. */
	if (st.st_nlink == 0)
		return;
	if (link[0] != '/')
		die(step, "%s: not reachable from / (%s)", path, link);
	check_dirs(step, &st, path, link, caller);
}

void trust_bundle_fd(int fd, const char *path, uid_t caller)
{
	trust_file_fd(fd, "bundle", path, caller);
}

/*
 * The system's trust directory says whose signatures every bundle
 * needs: whoever could add a key to it could sign anything.  So no
 * write bit for group or others at all (a sticky directory still lets
 * anyone add a file of their own), owned by root, under directories
 * only root can change.
 */
void trust_root_dir(int fd, const char *step, const char *path)
{
	char proc[32], link[PATH_MAX + 1];
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		die_errno(step, "%s", path);
	if (!S_ISDIR(st.st_mode))
		die(step, "%s: not a directory", path);
	if (st.st_uid != 0)
		die(step, "%s: owned by uid %u, not root: its keys cannot be "
		    "trusted", path, (unsigned int)st.st_uid);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		die(step, "%s: writable by group or others (mode %04o), who "
		    "could add a key", path,
		    (unsigned int)(st.st_mode & 07777));
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, link, sizeof(link) - 1);
	if (n < 0)
		die_errno(step, "%s: where is it? %s", path, proc);
	if ((size_t)n >= sizeof(link) - 1 || link[0] != '/')
		die(step, "%s: cannot check its path", path);
	link[n] = '\0';
	check_dirs(step, &st, path, link, 0);
}

/* ---- the policy's paths -------------------------------------------- */

static enum trust_verdict stop(struct trust_result *res,
			       enum trust_verdict v, int err,
			       const char *dir, const char *name)
{
	int n;

	res->verdict = v;
	res->err = err;
	n = snprintf(res->at, sizeof(res->at), "%s/%s", dir, name);
	/* Only for messages: cut short, and say so. */
	if (n < 0 || (size_t)n >= sizeof(res->at))
		memcpy(res->at + sizeof(res->at) - 4, "...", 4);
	return v;
}

/* -errno of a failed lookup as a verdict. */
static enum trust_verdict lookup_verdict(int neg)
{
	switch (-neg) {
	/*
	 * The path does not resolve.  EACCES too: the caller's own
	 * open() of it runs with our credentials and fails the same way,
	 * so nothing we cannot see is ever followed.
	 */
	case ENOENT:
	case ENOTDIR:
	case EACCES:
		return TRUST_MISSING;
	case ENAMETOOLONG:
		return TRUST_TOO_LONG;
	default:
		return TRUST_ERROR;
	}
}

/*
 * The kernel's path walk, one name at a time, from the root: @rest
 * holds what is left to resolve; a link's target replaces the link's
 * name in it, so a relative target continues from the link's directory
 * and ".." in it climbs from there, physically, as in the kernel.
 * Links are checked before they are read, wherever they are: the
 * kernel's protected_symlinks only guards sticky world-writable
 * directories, but a policy path must not depend on anyone else's link
 * anywhere.  @done is the directory reached, for ".." and messages; it
 * and @rest never exceed PATH_MAX (TRUST_TOO_LONG).
 */
enum trust_verdict trust_walk(const struct trust_ops *ops, void *ctx,
			      const char *path, uid_t caller,
			      struct trust_result *res)
{
	char rest[PATH_MAX], link[PATH_MAX], done[PATH_MAX];
	char name[NAME_MAX + 1];
	struct trust_node node;
	size_t done_len = 0, len, tail;
	const char *p;
	int cur, h, n;

	memset(res, 0, sizeof(*res));
	done[0] = '\0';
	if (path[0] != '/')
		return stop(res, TRUST_ERROR, EINVAL, "", "");
	len = strnlen(path, sizeof(rest));
	if (len >= sizeof(rest))
		return stop(res, TRUST_TOO_LONG, ENAMETOOLONG, "", "");
	memcpy(rest, path, len + 1);
	p = rest;
	cur = ops->root(ctx);
	if (cur < 0)
		return stop(res, TRUST_ERROR, -cur, "", "");

	for (;;) {
		while (*p == '/')
			p++;
		if (!*p) {
			res->verdict = TRUST_OK;
			break;
		}
		len = strcspn(p, "/");
		if (len > NAME_MAX) {
			stop(res, TRUST_TOO_LONG, ENAMETOOLONG, done, "");
			break;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		p += len;

		if (strcmp(name, ".") == 0)
			continue;
		if (strcmp(name, "..") == 0) {
			h = ops->parent(ctx, cur);
			if (h < 0) {
				stop(res, lookup_verdict(h), -h, done, name);
				break;
			}
			ops->close(ctx, cur);
			cur = h;
			/* "/a/b" -> "/a" -> ""; the root stays "". */
			while (done_len > 0 && done[--done_len] != '/')
				;
			done[done_len] = '\0';
			continue;
		}

		h = ops->open(ctx, cur, name, &node);
		if (h < 0) {
			stop(res, lookup_verdict(h), -h, done, name);
			break;
		}

		if (S_ISLNK(node.mode)) {
			if (res->hops >= TRUST_MAX_HOPS) {
				ops->close(ctx, h);
				stop(res, TRUST_LOOP, ELOOP, done, name);
				break;
			}
			res->hops++;
			if (!trust_owner_ok(node.uid, caller)) {
				ops->close(ctx, h);
				stop(res, TRUST_UNTRUSTED, 0, done, name);
				res->owner = node.uid;
				break;
			}
			/* @h is the link just checked: its target, not that
			 * of whatever has the name by now. */
			n = ops->readlink(ctx, h, link, sizeof(link));
			ops->close(ctx, h);
			if (n < 0 || (size_t)n >= sizeof(link)) {
				stop(res, n == -ENAMETOOLONG || n >= 0 ?
					  TRUST_TOO_LONG : TRUST_ERROR,
				     n < 0 ? -n : ENAMETOOLONG, done, name);
				break;
			}
			/* The kernel's answer to an empty target. */
			if (n == 0) {
				stop(res, TRUST_MISSING, ENOENT, done, name);
				break;
			}
			tail = strlen(p);
			if ((size_t)n + tail >= sizeof(link)) {
				stop(res, TRUST_TOO_LONG, ENAMETOOLONG, done,
				     name);
				break;
			}
			/* The target, then what followed the link's name
			 * ("" or "/..."). */
			memcpy(link + n, p, tail + 1);
			memcpy(rest, link, (size_t)n + tail + 1);
			p = rest;
			if (rest[0] == '/') {
				h = ops->root(ctx);
				if (h < 0) {
					stop(res, TRUST_ERROR, -h, "", "");
					break;
				}
				ops->close(ctx, cur);
				cur = h;
				done_len = 0;
				done[0] = '\0';
			}
			continue;
		}

		if (S_ISDIR(node.mode)) {
			if (done_len + 1 + len >= sizeof(done)) {
				ops->close(ctx, h);
				stop(res, TRUST_TOO_LONG, ENAMETOOLONG, done,
				     name);
				break;
			}
			done[done_len++] = '/';
			memcpy(done + done_len, name, len + 1);
			done_len += len;
			ops->close(ctx, cur);
			cur = h;
			continue;
		}

		/* Not a directory: the end, or ENOTDIR as the kernel says
		 * for "file/" and "file/x". */
		ops->close(ctx, h);
		if (*p)
			stop(res, TRUST_MISSING, ENOTDIR, done, name);
		else
			res->verdict = TRUST_OK;
		break;
	}
	ops->close(ctx, cur);
	if (res->verdict == TRUST_OK)
		res->at[0] = '\0';
	return res->verdict;
}

/*
 * The real file system.  Each entry is opened without following it
 * (O_PATH | O_NOFOLLOW) and then looked at through that descriptor:
 * what is checked is what is read and what the walk continues from,
 * whatever happens to the names meanwhile.
 */
static int fs_root(void *ctx)
{
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int fs_open(void *ctx, int dir, const char *name,
		   struct trust_node *node)
{
	struct stat st;
	int fd, err;

	fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstatat(fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0) {
		err = errno;
		close(fd);
		return -err;
	}
	node->uid = st.st_uid;
	node->mode = st.st_mode;
	return fd;
}

/* The kernel's "..": across mount points, and never above our root. */
static int fs_parent(void *ctx, int dir)
{
	int fd = openat(dir, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int fs_readlink(void *ctx, int h, char *buf, size_t size)
{
	ssize_t n = readlinkat(h, "", buf, size);

	if (n < 0)
		return -errno;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return (int)n;
}

static void fs_close(void *ctx, int h)
{
	close(h);
}

const struct trust_ops trust_fs_ops = {
	.root = fs_root,
	.open = fs_open,
	.parent = fs_parent,
	.readlink = fs_readlink,
	.close = fs_close,
};

/*
 * Why every link, and not only those in sticky directories as the
 * kernel's protected_symlinks: a Landlock rule or a mount of the policy
 * grants what the path names when leash-exec starts, so whoever owns a
 * link on the way chooses what is granted (a link in a directory of
 * theirs, /home/them/data -> /etc, would hand /etc to the rule).  Root's
 * links (/lib -> usr/lib, /proc/self) and the caller's own are the
 * caller's choice.  /proc's magic links (/proc/self/fd/N, cwd) belong to
 * the process owner; their targets are followed as text.
 */
/* die()'s message has 1024 bytes: a long path must leave room for why. */
#define SHOWN 200
#define SHOW(s) SHOWN, (s), strlen(s) > SHOWN ? "..." : ""

void trust_policy_path(const char *path, uid_t caller)
{
	struct trust_result r;

	if (path[0] != '/')
		die("paths", "%.*s%s: not an absolute path", SHOW(path));
	switch (trust_walk(&trust_fs_ops, NULL, path, caller, &r)) {
	case TRUST_OK:
	case TRUST_MISSING:
		/* The caller decides what a missing path means. */
		return;
	case TRUST_UNTRUSTED:
		die("paths", "%.*s%s: the symbolic link %s is owned by uid %u: "
		    "only links of root or of uid %u are followed", SHOW(path),
		    r.at, (unsigned int)r.owner, (unsigned int)caller);
	case TRUST_LOOP:
		die("paths", "%.*s%s: more than %d symbolic links, at %s",
		    SHOW(path), TRUST_MAX_HOPS, r.at);
	case TRUST_TOO_LONG:
		die("paths", "%.*s%s: a name or the resolved path is too long, "
		    "at %s", SHOW(path), r.at);
	case TRUST_ERROR:
	default:
		errno = r.err;
		die_errno("paths", "%.*s%s: %s", SHOW(path),
			  r.at[0] && strcmp(r.at, "/") ? r.at : "resolving");
	}
}

/* ---- the process ----------------------------------------------------- */

static uint64_t permitted_caps(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		die_errno("setup", "reading the capabilities");
	return data[0].permitted | (uint64_t)data[1].permitted << 32;
}

static uint64_t ambient_caps(void)
{
	uint64_t set = 0;
	int cap, r;

	for (cap = 0; cap < 64; cap++) {
		r = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET,
			  (unsigned long)cap, 0UL, 0UL);
		/* EINVAL: past the last capability, or a kernel without
		 * ambient ones (before 4.3), where the set is empty. */
		if (r < 0)
			break;
		if (r)
			set |= 1ULL << cap;
	}
	return set;
}

/*
 * Refuse to be a privilege gift.  Installed set-user-ID, set-group-ID
 * or with file capabilities, leash-exec would let anyone who runs it
 * apply a policy with rights they do not have: mounts, namespaces,
 * other uids, another program's confinement.  The kernel says it at
 * exec with AT_SECURE.
 *
 * The set-ID check repeats it in other words: execve() of a set-ID file
 * makes the effective id differ from the real one (and the saved one
 * equal to it), so AT_SECURE and unequal ids go together; each covers a
 * kernel or libc that would not report the other.
 *
 * File capabilities on a file without set-ID bits also raise AT_SECURE
 * (commoncap.c: a non-root real uid whose permitted set grew beyond its
 * ambient set), with equal ids.  The capability check is that rule,
 * asked of the result: a non-root process may hold exactly the
 * capabilities its caller gave it as ambient ones, which survive exec
 * into permitted without AT_SECURE and are legitimate (the caller had
 * them); anything more came from the file.  Root holds every
 * capability by being root, which is no gift either.
 */
void trust_exec_env(void)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	uint64_t extra;

	if (getauxval(AT_SECURE))
		die("setup", "started with privileges its caller does not "
		    "have (AT_SECURE: set-user-ID, set-group-ID or file "
		    "capabilities); leash-exec must be installed without "
		    "them");
	if (getresuid(&ruid, &euid, &suid) < 0 ||
	    getresgid(&rgid, &egid, &sgid) < 0)
		die_errno("setup", "reading the process ids");
	if (ruid != euid || ruid != suid)
		die("setup", "real, effective and saved uid differ (%u, %u, "
		    "%u); leash-exec must not be set-user-ID",
		    (unsigned int)ruid, (unsigned int)euid,
		    (unsigned int)suid);
	if (rgid != egid || rgid != sgid)
		die("setup", "real, effective and saved gid differ (%u, %u, "
		    "%u); leash-exec must not be set-group-ID",
		    (unsigned int)rgid, (unsigned int)egid,
		    (unsigned int)sgid);
	if (ruid == 0)
		return;
	extra = permitted_caps() & ~ambient_caps();
	if (extra)
		die("setup", "uid %u holds capabilities (0x%llx) that its "
		    "caller did not pass as ambient ones; leash-exec must "
		    "not have file capabilities", (unsigned int)ruid,
		    (unsigned long long)extra);
}
