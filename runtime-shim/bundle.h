/* SPDX-License-Identifier: MIT */
/*
 * bundle.h - the NAME.bundle format: everything leash-exec applies.
 *
 * Written by the compiler (compiler/emit-bundle.c), read by the shim
 * (runtime-shim/leash-exec.c) and by 'leash' itself for tests.  This
 * header is all the two sides share; it has no dependency on the
 * compiler, so the shim links no parser and no libyaml.
 *
 * Layout (every integer little-endian; docs/bundle.md is the reference):
 *
 *   header, 64 bytes:
 *     0  magic      "LEASHBDL"
 *     8  u32        format version (LB_VERSION)
 *    12  u32        number of sections
 *    16  u64        file size, header included
 *    24  u8[8]      zero
 *    32  u8[32]     SHA-256 of bytes [64, file size)
 *   sections, each:
 *     u32 type (enum lb_section), u32 zero, u64 payload length,
 *     payload, zero padding to a multiple of 8
 *
 * The reader refuses, before anything is applied: a wrong magic or
 * version, a size or digest mismatch, an unknown or repeated section
 * (a newer bundle may carry a restriction this shim does not know:
 * failing closed beats ignoring it), a missing required section, any
 * count or string beyond the limits below, non-zero padding.
 */
#ifndef LEASH_BUNDLE_H
#define LEASH_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LB_MAGIC "LEASHBDL"
#define LB_VERSION 1u
#define LB_HEADER_SIZE 64u
#define LB_DIGEST_LEN 32u	/* SHA-256 (lc_sha256() in the shim) */

/* Limits: a bundle beyond them is refused, so a reader never allocates
 * more than a few MiB whatever the input says. */
#define LB_MAX_FILE (4u << 20)
#define LB_MAX_BPF 4096u	/* BPF_MAXINSNS */
#define LB_MAX_STRING 4096u	/* PATH_MAX, NUL included */
#define LB_MAX_PATHS 1024u
#define LB_MAX_PORTS 256u
#define LB_MAX_GROUPS 256u
#define LB_MAX_RLIMITS 16u	/* RLIM_NLIMITS */

enum lb_section {
	LB_SEC_NAME = 1,	/* required: policy name, NUL-terminated */
	LB_SEC_SECCOMP = 2,	/* required: 1..LB_MAX_BPF sock_filters, each
				 * u16 code, u8 jt, u8 jf, u32 k */
	LB_SEC_CAPS = 3,	/* required: 5 x u64, enum lb_capset order */
	LB_SEC_NNP = 4,		/* required: u32, 0 or 1 */
	LB_SEC_APPARMOR = 5,	/* u32 flags (LB_AA_*), profile name NUL-
				 * terminated */
	LB_SEC_LANDLOCK = 6,	/* u64 handled_fs, u64 handled_net,
				 * u32 n_paths, u32 n_ports, then n_paths x
				 * { u64 access, u32 len (NUL included),
				 *   u32 zero, path, pad to 8 },
				 * then n_ports x { u64 access, u64 port } */
	LB_SEC_USER = 7,	/* u32 flags (LB_USER_*), u32 uid, u32 gid,
				 * u32 n_groups, n_groups x u32 */
	LB_SEC_RLIMITS = 8,	/* u32 n, u32 zero, then n x
				 * { u32 resource, u32 zero, u64 soft,
				 *   u64 hard } (RLIM_INFINITY = all ones) */
	LB_SEC_NAMESPACES = 9,	/* u64 CLONE_NEW* flags */
	LB_SEC_CGROUP = 10,	/* u64 memory.max bytes, u64 cpu quota us,
				 * u64 cpu period us, u64 pids.max;
				 * 0 = not limited */
	LB_SEC_SCOPE = 11,	/* u64 LANDLOCK_SCOPE_* the policy leaves
				 * open; absent: every scope is requested
				 * where the kernel has it */
	LB_SEC_MOUNTS = 12,	/* u32 flags (LB_MNT_*), u32 n, then n x
				 * { u32 kind (enum lb_mount_kind),
				 *   u32 len (NUL included), path, pad to 8 } */
	LB_SEC_MAX = LB_SEC_MOUNTS
};

/* What leash-exec's private mount tree does to one path. */
enum lb_mount_kind {
	LB_MNT_MASK = 1,	/* unreadable: an empty, read-only tmpfs over a
				 * directory, /dev/null over a file */
	LB_MNT_READONLY = 2,	/* a read-only bind mount of itself */
	LB_MNT_NOEXEC = 3,	/* a noexec bind mount of itself */
	LB_MNT_WRITABLE = 4,	/* with LB_MNT_READ_ONLY_ROOT: stays
				 * writable (a write allow rule); before
				 * the entries that restrict below it */
	LB_MNT_KIND_MAX = LB_MNT_WRITABLE
};

#define LB_MNT_READ_ONLY_ROOT (1u << 0)	/* '/' read-only, as a whole */
#define LB_MAX_MOUNTS 1024u

enum lb_capset {
	LB_CAP_BOUNDING, LB_CAP_EFFECTIVE, LB_CAP_PERMITTED,
	LB_CAP_INHERITABLE, LB_CAP_AMBIENT, LB_CAP_SETS
};

#define LB_AA_REQUIRED (1u << 0)	/* refuse to run without AppArmor
					 * unless --apparmor=optional */
/* The Landlock rights that apply to a file that is not a directory
 * (EXECUTE, WRITE_FILE, READ_FILE, TRUNCATE, IOCTL_DEV): a path rule
 * on such a file keeps only these, as the kernel refuses the others. */
#define LB_LL_FILE_ACCESS UINT64_C(0xc007)

#define LB_USER_UID (1u << 0)
#define LB_USER_GID (1u << 1)
#define LB_USER_GROUPS (1u << 2)

struct lb_insn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

struct lb_path {
	uint64_t access;	/* LANDLOCK_ACCESS_FS_* */
	char *path;
};

struct lb_port {
	uint64_t access;	/* LANDLOCK_ACCESS_NET_* */
	uint64_t port;
};

struct lb_rlimit {
	uint32_t resource;	/* RLIMIT_* */
	uint64_t soft, hard;
};

struct lb_mount {
	uint32_t kind;		/* enum lb_mount_kind */
	char *path;		/* absolute */
};

/* A parsed bundle.  Every pointer is owned (lb_free()). */
struct lb_bundle {
	char *name;
	struct lb_insn *bpf;
	size_t bpf_len;
	uint64_t caps[LB_CAP_SETS];
	bool nnp;

	char *apparmor;		/* NULL: no section */
	uint32_t apparmor_flags;

	bool has_landlock;
	uint64_t handled_fs, handled_net;
	struct lb_path *paths;
	size_t n_paths;
	struct lb_port *ports;
	size_t n_ports;

	uint32_t user_flags;	/* 0: no section, or nothing to switch */
	uint32_t uid, gid;
	uint32_t *groups;
	size_t n_groups;

	struct lb_rlimit *rlimits;
	size_t n_rlimits;

	uint64_t namespaces;	/* CLONE_NEW* */

	uint64_t memory_max, cpu_quota, cpu_period, pids_max;

	uint64_t scope_open;	/* LANDLOCK_SCOPE_* not to request */

	bool has_mounts;	/* a LB_SEC_MOUNTS section */
	uint32_t mount_flags;	/* LB_MNT_READ_ONLY_ROOT */
	struct lb_mount *mounts;
	size_t n_mounts;
};

/*
 * Parse and verify @len bytes at @data.  On error returns -1 with a
 * static, human-readable reason in *@why (e.g. "digest mismatch") and
 * @out left empty; nothing allocated survives.  Returns 0 on success.
 */
int lb_parse(const void *data, size_t len, struct lb_bundle *out,
	     const char **why);
void lb_free(struct lb_bundle *b);

#endif
