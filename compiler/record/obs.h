/* SPDX-License-Identifier: MIT */
/*
 * obs.h - what 'leash record' saw: every system call per arch with how
 * often it ran, the argument values that decide its risk, the paths the
 * processes used and how, the sockets and TCP ports, and the
 * capabilities the operations needed.
 *
 * The recorder (trace.c) fills it; the writer (write.c) turns it into a
 * policy.  Everything here is a set or a count, so the same run gives
 * the same observations whatever the order the kernel reported them in.
 */
#ifndef LEASH_RECORD_OBS_H
#define LEASH_RECORD_OBS_H

#include "common/tables.h"

#define REC_MAX_NR 1024	/* syscall numbers, the arch's bias taken off */
#define REC_MAX_VALS 64	/* distinct values of one argument kept */

/* How the writer names an argument's values. */
enum rec_kind {
	RK_FAMILY,	/* AF_* */
	RK_SOCKTYPE,	/* SOCK_*, type & 0xf */
	RK_IOCTL,	/* TC*, TIOC* requests */
	RK_PRCTL,	/* PR_* options */
	RK_NS,		/* CLONE_NEW* bits only */
	RK_PERSONA,	/* PER_* */
	RK_PROT,	/* PROT_EXEC bit only */
	RK_SIGNAL,	/* signal numbers */
	RK_FCNTL,	/* F_* commands */
	RK_SOCKETCALL,	/* x86's socketcall(): which call */
};

/* One argument of one call whose values the recorder keeps. */
struct rec_argspec {
	const char *call;
	unsigned idx;		/* argument index */
	enum rec_kind kind;
	uint64_t mask;		/* kept: value & mask */
	const char *mask_text;	/* how the policy spells the mask, or NULL */
};

/* The argument specs of syscall @name (at most 2), *n set. */
const struct rec_argspec *rec_argspecs(const char *name, unsigned *n);

struct rec_vals {
	uint64_t *v;
	size_t n, cap;
	bool overflow;		/* more than REC_MAX_VALS: no condition */
};

struct rec_call {
	uint64_t count;
	struct rec_vals vals[2];	/* rec_argspecs() order */
};

/* Path modes (docs: the writer's generalization rules). */
#define RP_READ 1u
#define RP_WRITE 2u	/* written, created, removed, renamed, truncated */
#define RP_EXEC 4u	/* executed (a program or a script) */
#define RP_DIR 8u	/* opened as a directory: its tree is walked */

struct rec_path {
	char *path;
	unsigned modes;
};

struct rec_obs {
	struct rec_call *calls[ARCH_COUNT];	/* REC_MAX_NR each, lazily */
	struct rec_path *paths;		/* open-addressing hash */
	size_t n_paths, cap_paths;
	struct rec_vals sockets;	/* family << 8 | (type & 0xf) */
	struct rec_vals bind_ports, connect_ports;	/* TCP */
	uint64_t caps;			/* needed, when run as root */
	char *cap_why[CAP_COUNT];	/* the first call that needed each */
	bool root;			/* CMD ran with euid 0 */
	bool dirty;			/* a new distinct observation */
};

void obs_init(struct rec_obs *o);
void obs_fini(struct rec_obs *o);

/* Count syscall @nr (bias taken off) of @arch; NULL when out of range. */
struct rec_call *obs_call(struct rec_obs *o, enum leash_arch arch,
			  uint64_t nr);
/* Add @v to a value set; marks the observations dirty when new. */
void obs_value(struct rec_obs *o, struct rec_vals *s, uint64_t v);
/* Add @modes to @path (an absolute, resolved path). */
void obs_path(struct rec_obs *o, const char *path, unsigned modes);
/* Capability @cap was needed by @why (kept: the first reason). */
void obs_cap(struct rec_obs *o, int cap, const char *why);

/* The paths in byte order, for the writer (borrowed pointers). */
struct rec_path **obs_paths_sorted(const struct rec_obs *o, size_t *n);

#endif
