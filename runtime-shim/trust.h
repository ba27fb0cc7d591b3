/* SPDX-License-Identifier: MIT */
/*
 * trust.h - what leash-exec believes, and from whom.
 *
 * leash-exec confines itself with what a bundle says.  A bundle is data,
 * not authority: it decides what the program may do only because the
 * person who runs leash-exec (the caller) or root wrote it.  Three
 * checks make that hold:
 *
 *   trust_bundle_fd()     the bundle file could only have been written
 *                         by root or the caller
 *   trust_policy_path()   a path of the policy (a Landlock rule, a mount)
 *                         does not lead through a symbolic link that
 *                         someone else planted
 *   trust_exec_env()      leash-exec was not started with privileges its
 *                         caller does not have (set-user-ID, file
 *                         capabilities): it must never be a way to gain
 *                         them
 *
 * Each one fails closed with die() (die.h).  The path walk of
 * trust_policy_path() is trust_walk(), which only reaches the file
 * system through struct trust_ops, so that tests/fuzz/fuzz-trust.c can
 * run it on a file system made of the fuzzer's bytes.
 */
#ifndef LEASH_TRUST_H
#define LEASH_TRUST_H

#include <stdbool.h>
#include <sys/types.h>

/* The kernel's MAXSYMLINKS: more links than this in one lookup is ELOOP. */
#define TRUST_MAX_HOPS 40

/* Root, or the one who runs leash-exec: nobody else may have a say. */
static inline bool trust_owner_ok(uid_t owner, uid_t caller)
{
	return owner == 0 || owner == caller;
}

/*
 * Refuse the open bundle @fd (named @path in messages) unless only root
 * and @caller could have written it: a regular file owned by either,
 * writable by no group and no other, in directories only they can
 * change (or sticky ones), or a memfd sealed against writing.  Call it
 * before reading the bundle.
 */
void trust_bundle_fd(int fd, const char *path, uid_t caller);

/* The same check for any file, failing as die(@step, ...): a public
 * key given with --trust, or one of the trust directory's (@caller 0). */
void trust_file_fd(int fd, const char *step, const char *path,
		   uid_t caller);

/*
 * Refuse the open directory @fd (named @path) unless only root could
 * have put files in it: owned by root, writable by no group and no
 * other (sticky or not), in directories only root can change.
 */
void trust_root_dir(int fd, const char *step, const char *path);

/*
 * Refuse the absolute @path of a policy if resolving it follows a
 * symbolic link owned by neither root nor @caller, anywhere: in the
 * middle, at the end, or inside another link's target.  A path that
 * does not resolve (missing, not a directory, not searchable) is left
 * to the caller, whose own open() fails the same way.
 */
void trust_policy_path(const char *path, uid_t caller);

/* Refuse to run with privileges raised at exec (set-ID, file caps). */
void trust_exec_env(void);

/* ---- the walk, apart from the system calls -------------------------- */

enum trust_verdict {
	TRUST_OK,		/* resolved; every link followed is trusted */
	TRUST_MISSING,		/* does not resolve: err is ENOENT,
				 * ENOTDIR or EACCES */
	TRUST_UNTRUSTED,	/* a link owned by someone else: owner */
	TRUST_LOOP,		/* more than TRUST_MAX_HOPS links */
	TRUST_TOO_LONG,		/* PATH_MAX or NAME_MAX exceeded */
	TRUST_ERROR,		/* anything else: err */
};

/* What the walk needs to know of an entry. */
struct trust_node {
	uid_t uid;
	mode_t mode;		/* S_IFMT bits decide; the rest is unused */
};

/*
 * A file system as trust_walk() sees it.  A handle names a directory
 * or, between open() and close(), any entry; handles are >= 0, and
 * every function returns a handle (or a length) or -errno.
 */
struct trust_ops {
	/* The root directory. */
	int (*root)(void *ctx);
	/* Directory @dir's entry @name (never "", "." or ".."), not
	 * followed if it is a link; its owner and type go to @node. */
	int (*open)(void *ctx, int dir, const char *name,
		    struct trust_node *node);
	/* The parent of directory @dir; the root's is the root. */
	int (*parent)(void *ctx, int dir);
	/* The target of link @h, NUL-terminated in @buf; its length, or
	 * -ENAMETOOLONG when it does not fit in @size bytes. */
	int (*readlink)(void *ctx, int h, char *buf, size_t size);
	void (*close)(void *ctx, int h);
};

/* The real file system: openat(O_PATH|O_NOFOLLOW) and friends. */
extern const struct trust_ops trust_fs_ops;

struct trust_result {
	enum trust_verdict verdict;
	int err;		/* TRUST_MISSING, TRUST_ERROR */
	uid_t owner;		/* TRUST_UNTRUSTED: the link's owner */
	unsigned int hops;	/* links followed */
	/* Where it stopped (the link refused, the entry that failed), as
	 * resolved so far; possibly cut short.  Empty for TRUST_OK. */
	char at[256];
};

/*
 * Resolve the absolute @path on @ops as the kernel would, following
 * every link, and stop at the first link not owned by root or @caller.
 * Returns @res->verdict.
 */
enum trust_verdict trust_walk(const struct trust_ops *ops, void *ctx,
			      const char *path, uid_t caller,
			      struct trust_result *res);

#endif
