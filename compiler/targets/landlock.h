/* SPDX-License-Identifier: MIT */
/*
 * landlock.h - filesystem and network rules as a Landlock ruleset
 * (docs/language.md section 6), for the bundle.
 *
 * Landlock grants rights on whole hierarchies (a directory and all below
 * it, or one file) and TCP ports; it has no globs and no deny rules.  So
 * "/usr" followed by a "**" component is exactly the hierarchy "/usr",
 * but a "*.conf" in "/etc" can only be widened to all of "/etc", and a
 * deny inside an allowed tree cannot be said at all.  A widened rule
 * becomes a fidelity note at the rule, never a silent change; such a
 * deny goes to the caller (struct ll_leak), which enforces it another
 * way or says that nothing does.
 */
#ifndef LEASH_LANDLOCK_H
#define LEASH_LANDLOCK_H

#include "front/flat.h"

/* Rights as in <linux/landlock.h>, spelled out because older kernel
 * headers lack the newer ones (TRUNCATE: ABI 3, IOCTL_DEV: ABI 5). */
#define LL_FS_EXECUTE (UINT64_C(1) << 0)
#define LL_FS_WRITE_FILE (UINT64_C(1) << 1)
#define LL_FS_READ_FILE (UINT64_C(1) << 2)
#define LL_FS_READ_DIR (UINT64_C(1) << 3)
#define LL_FS_REMOVE_DIR (UINT64_C(1) << 4)
#define LL_FS_REMOVE_FILE (UINT64_C(1) << 5)
#define LL_FS_MAKE_CHAR (UINT64_C(1) << 6)
#define LL_FS_MAKE_DIR (UINT64_C(1) << 7)
#define LL_FS_MAKE_REG (UINT64_C(1) << 8)
#define LL_FS_MAKE_SOCK (UINT64_C(1) << 9)
#define LL_FS_MAKE_FIFO (UINT64_C(1) << 10)
#define LL_FS_MAKE_BLOCK (UINT64_C(1) << 11)
#define LL_FS_MAKE_SYM (UINT64_C(1) << 12)
#define LL_FS_REFER (UINT64_C(1) << 13)
#define LL_FS_TRUNCATE (UINT64_C(1) << 14)
#define LL_FS_IOCTL_DEV (UINT64_C(1) << 15)
/* Every filesystem right of ABI 7: what a ruleset handles. */
#define LL_FS_ALL ((UINT64_C(1) << 16) - 1)
#define LL_NET_BIND_TCP (UINT64_C(1) << 0)
#define LL_NET_CONNECT_TCP (UINT64_C(1) << 1)

struct ll_path {
	uint64_t access;
	char *path;		/* owned; absolute, no glob, unescaped */
};
VEC(ll_path_vec, struct ll_path);

struct ll_port {
	uint64_t access;
	uint64_t port;
};
VEC(ll_port_vec, struct ll_port);

/*
 * A 'deny' path inside (or over) a tree an allow rule grants the denied
 * rights on.  Landlock only adds rights up, so it cannot enforce the
 * deny; whoever uses the ruleset either enforces it some other way (the
 * bundle: leash-exec's mount tree) or says so with ll_leak_note().
 */
struct ll_leak {
	const struct fs_stmt *stmt;	/* the FS_DENY statement */
	const struct ast_name *path;	/* one of its paths */
	const char *through;	/* the granting rule's path (in paths) */
	uint64_t access;	/* the denied rights it grants */
};
VEC(ll_leak_vec, struct ll_leak);

struct ll_ruleset {
	uint64_t handled_fs;	/* 0: no filesystem ruleset */
	uint64_t handled_net;	/* 0: no network ruleset */
	struct ll_path_vec paths;	/* one per path, rights merged */
	struct ll_port_vec ports;	/* one per port, rights merged */
	struct ll_leak_vec leaks;	/* deny paths, in policy order */
};

/* The Landlock rights of a mode such as "rwx" ('m' and 'k' have none). */
uint64_t ll_mode_access(const char *mode);

/*
 * Build the ruleset of @f into @out (always initialized; release with
 * ll_ruleset_free()).  What Landlock cannot express is a fidelity note
 * at the rule, except a deny inside an allowed tree: that goes to
 * out->leaks, for the caller to enforce or to pass to ll_leak_note().
 * Returns 0, or -errno after reporting a rule beyond the bundle's
 * limits (runtime-shim/bundle.h).
 */
int ll_build(struct leash_ctx *ctx, const struct flat_policy *f,
	      struct ll_ruleset *out);
void ll_ruleset_free(struct ll_ruleset *r);

/* "Landlock cannot deny inside an allowed tree ...", at the path. */
void ll_leak_note(struct diag *d, const struct ll_leak *l);

/*
 * The one fixed path @glob stands for, unescaped, or NULL: a literal
 * path, or one ending in '/' or in a "**" component, which both mean
 * the directory before them ("/srv/" is "/srv"; the root when nothing
 * is before them).  Any other glob matches paths that no single file
 * or directory holds.  Free the result.
 */
char *ll_fixed_path(const char *glob);

#endif
