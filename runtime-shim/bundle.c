/* SPDX-License-Identifier: MIT */
/*
 * bundle.c - the bundle reader: verify, then decode, refusing anything
 * this version does not fully understand.
 *
 * The input is hostile until the digest matches and still untrusted after
 * (anyone who can write the file can also recompute the digest), so every
 * field is range-checked against the limits in bundle.h.  Reads go through
 * a cursor that never moves past its end; lengths are compared by
 * subtraction, never by adding to an offset, so no check can overflow.
 * Allocation is bounded by the limits: at most a few MiB for any input.
 */
#include "bundle.h"
#include "crypto.h"

#include <stdlib.h>
#include <string.h>

/* Landlock rights as of ABI 7 (fs: EXECUTE .. IOCTL_DEV; net: BIND_TCP,
 * CONNECT_TCP).  A right beyond these is a restriction this shim cannot
 * apply, so it is refused like an unknown section. */
#define LB_LL_FS_KNOWN ((UINT64_C(1) << 16) - 1)
#define LB_LL_NET_KNOWN UINT64_C(3)

/* CLONE_NEW*: NS, CGROUP, UTS, IPC, USER, PID, NET, TIME.  Spelled out
 * because older libcs lack CLONE_NEWTIME. */
#define LB_NS_KNOWN (UINT64_C(0x00020000) | UINT64_C(0x02000000) | \
		     UINT64_C(0x04000000) | UINT64_C(0x08000000) | \
		     UINT64_C(0x10000000) | UINT64_C(0x20000000) | \
		     UINT64_C(0x40000000) | UINT64_C(0x00000080))

/* The kernel's bounds for cpu.max (1 ms .. 1 s period, quota >= 1 ms). */
#define LB_CPU_MIN_US 1000u
#define LB_CPU_MAX_PERIOD_US 1000000u

struct cur {
	const uint8_t *p;
	size_t left;
	bool bad;		/* a read ran past the end */
};

static const uint8_t *take(struct cur *c, size_t n)
{
	const uint8_t *q;

	if (c->bad || n > c->left) {
		c->bad = true;
		return NULL;
	}
	q = c->p;
	c->p += n;
	c->left -= n;
	return q;
}

static uint32_t get32(struct cur *c)
{
	const uint8_t *q = take(c, 4);

	if (!q)
		return 0;
	return (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 |
	       (uint32_t)q[3] << 24;
}

static uint64_t get64(struct cur *c)
{
	uint64_t lo = get32(c);

	return lo | (uint64_t)get32(c) << 32;
}

static bool all_zero(const uint8_t *q, size_t n)
{
	while (n--)
		if (*q++)
			return false;
	return true;
}

/* A NUL-terminated string of exactly @len bytes (NUL included), no NUL
 * inside, not empty.  Returns a copy, or NULL with *@why set. */
static char *get_string(struct cur *c, size_t len, const char **why)
{
	const uint8_t *q;
	char *s;

	if (len < 2 || len > LB_MAX_STRING) {
		*why = "string empty or beyond the length limit";
		return NULL;
	}
	q = take(c, len);
	if (!q) {
		*why = "string runs past its section";
		return NULL;
	}
	if (q[len - 1] != 0 || memchr(q, 0, len - 1)) {
		*why = "string not NUL-terminated or with an embedded NUL";
		return NULL;
	}
	s = malloc(len);
	if (!s) {
		*why = "out of memory";
		return NULL;
	}
	memcpy(s, q, len);
	return s;
}

/* The rest of a section payload must be consumed exactly. */
static int expect_end(const struct cur *c, const char **why)
{
	if (c->bad) {
		*why = "section payload too short";
		return -1;
	}
	if (c->left) {
		*why = "section payload too long";
		return -1;
	}
	return 0;
}

static int sec_name(struct cur *c, struct lb_bundle *b, const char **why)
{
	b->name = get_string(c, c->left, why);
	return b->name ? expect_end(c, why) : -1;
}

static int sec_seccomp(struct cur *c, struct lb_bundle *b, const char **why)
{
	size_t i, n = c->left / 8;

	if (c->left % 8 || n == 0 || n > LB_MAX_BPF) {
		*why = "seccomp program empty, ragged or beyond BPF_MAXINSNS";
		return -1;
	}
	b->bpf = calloc(n, sizeof(*b->bpf));
	if (!b->bpf) {
		*why = "out of memory";
		return -1;
	}
	b->bpf_len = n;
	for (i = 0; i < n; i++) {
		const uint8_t *q = take(c, 4);

		b->bpf[i].code = (uint16_t)(q[0] | q[1] << 8);
		b->bpf[i].jt = q[2];
		b->bpf[i].jf = q[3];
		b->bpf[i].k = get32(c);
	}
	return expect_end(c, why);
}

static int sec_caps(struct cur *c, struct lb_bundle *b, const char **why)
{
	int i;

	for (i = 0; i < LB_CAP_SETS; i++)
		b->caps[i] = get64(c);
	return expect_end(c, why);
}

static int sec_nnp(struct cur *c, struct lb_bundle *b, const char **why)
{
	uint32_t v = get32(c);

	if (expect_end(c, why) < 0)
		return -1;
	if (v > 1) {
		*why = "no_new_privs neither 0 nor 1";
		return -1;
	}
	b->nnp = v;
	return 0;
}

static int sec_apparmor(struct cur *c, struct lb_bundle *b, const char **why)
{
	b->apparmor_flags = get32(c);
	if (c->bad) {
		*why = "section payload too short";
		return -1;
	}
	if (b->apparmor_flags & ~LB_AA_REQUIRED) {
		*why = "unknown AppArmor flag";
		return -1;
	}
	b->apparmor = get_string(c, c->left, why);
	return b->apparmor ? expect_end(c, why) : -1;
}

static int ll_path(struct cur *c, struct lb_path *p, uint64_t handled,
		   const char **why)
{
	uint32_t len;
	size_t pad;

	p->access = get64(c);
	len = get32(c);
	if (get32(c) != 0 || c->bad) {
		*why = "Landlock path rule truncated or with non-zero reserved field";
		return -1;
	}
	if (!p->access || p->access & ~handled) {
		*why = "Landlock path rule with no right or one not handled";
		return -1;
	}
	p->path = get_string(c, len, why);
	if (!p->path)
		return -1;
	if (p->path[0] != '/') {
		*why = "Landlock path not absolute";
		return -1;
	}
	pad = (8 - len % 8) % 8;
	if (pad > c->left || !all_zero(take(c, pad), pad)) {
		*why = "Landlock path padding missing or not zero";
		return -1;
	}
	return 0;
}

static int sec_landlock(struct cur *c, struct lb_bundle *b, const char **why)
{
	uint32_t np, nq;
	size_t i;

	b->has_landlock = true;
	b->handled_fs = get64(c);
	b->handled_net = get64(c);
	np = get32(c);
	nq = get32(c);
	if (c->bad) {
		*why = "section payload too short";
		return -1;
	}
	if (b->handled_fs & ~LB_LL_FS_KNOWN ||
	    b->handled_net & ~LB_LL_NET_KNOWN) {
		*why = "unknown Landlock access right";
		return -1;
	}
	if (!b->handled_fs && !b->handled_net) {
		*why = "Landlock section that handles nothing";
		return -1;
	}
	if (np > LB_MAX_PATHS || nq > LB_MAX_PORTS) {
		*why = "too many Landlock rules";
		return -1;
	}
	b->paths = calloc(np ? np : 1, sizeof(*b->paths));
	b->ports = calloc(nq ? nq : 1, sizeof(*b->ports));
	if (!b->paths || !b->ports) {
		*why = "out of memory";
		return -1;
	}
	for (i = 0; i < np; i++) {
		b->n_paths = i + 1;	/* lb_free() frees what was read */
		if (ll_path(c, &b->paths[i], b->handled_fs, why) < 0)
			return -1;
	}
	for (i = 0; i < nq; i++) {
		b->ports[i].access = get64(c);
		b->ports[i].port = get64(c);
		if (c->bad)
			break;
		if (!b->ports[i].access ||
		    b->ports[i].access & ~b->handled_net) {
			*why = "Landlock port rule with no right or one not handled";
			return -1;
		}
		if (b->ports[i].port > 65535) {
			*why = "Landlock port beyond 65535";
			return -1;
		}
	}
	b->n_ports = nq;
	return expect_end(c, why);
}

static int sec_user(struct cur *c, struct lb_bundle *b, const char **why)
{
	uint32_t n;
	size_t i;

	b->user_flags = get32(c);
	b->uid = get32(c);
	b->gid = get32(c);
	n = get32(c);
	if (c->bad) {
		*why = "section payload too short";
		return -1;
	}
	if (b->user_flags & ~(LB_USER_UID | LB_USER_GID | LB_USER_GROUPS)) {
		*why = "unknown user flag";
		return -1;
	}
	/* -1 means "unchanged" to setresuid(): never a real id. */
	if ((!(b->user_flags & LB_USER_UID) && b->uid) ||
	    (!(b->user_flags & LB_USER_GID) && b->gid) ||
	    b->uid == UINT32_MAX || b->gid == UINT32_MAX) {
		*why = "uid or gid invalid or set without its flag";
		return -1;
	}
	if (n > LB_MAX_GROUPS ||
	    (n && !(b->user_flags & LB_USER_GROUPS))) {
		*why = "too many groups, or groups without their flag";
		return -1;
	}
	b->groups = calloc(n ? n : 1, sizeof(*b->groups));
	if (!b->groups) {
		*why = "out of memory";
		return -1;
	}
	b->n_groups = n;
	for (i = 0; i < n; i++) {
		b->groups[i] = get32(c);
		if (b->groups[i] == UINT32_MAX) {
			*why = "invalid group id";
			return -1;
		}
	}
	return expect_end(c, why);
}

static int sec_rlimits(struct cur *c, struct lb_bundle *b, const char **why)
{
	uint32_t n, seen = 0;
	size_t i;

	n = get32(c);
	if (get32(c) != 0 || c->bad) {
		*why = "rlimits section truncated or with non-zero reserved field";
		return -1;
	}
	if (n > LB_MAX_RLIMITS) {
		*why = "too many rlimits";
		return -1;
	}
	b->rlimits = calloc(n ? n : 1, sizeof(*b->rlimits));
	if (!b->rlimits) {
		*why = "out of memory";
		return -1;
	}
	b->n_rlimits = n;
	for (i = 0; i < n; i++) {
		struct lb_rlimit *r = &b->rlimits[i];

		r->resource = get32(c);
		if (get32(c) != 0) {
			*why = "rlimit with non-zero reserved field";
			return -1;
		}
		r->soft = get64(c);
		r->hard = get64(c);
		if (c->bad)
			break;
		if (r->resource >= LB_MAX_RLIMITS ||
		    seen & (UINT32_C(1) << r->resource)) {
			*why = "unknown or repeated rlimit resource";
			return -1;
		}
		seen |= UINT32_C(1) << r->resource;
		if (r->soft > r->hard) {
			*why = "rlimit soft value above hard value";
			return -1;
		}
	}
	return expect_end(c, why);
}

static int sec_namespaces(struct cur *c, struct lb_bundle *b,
			  const char **why)
{
	b->namespaces = get64(c);
	if (expect_end(c, why) < 0)
		return -1;
	if (b->namespaces & ~LB_NS_KNOWN) {
		*why = "unknown namespace flag";
		return -1;
	}
	return 0;
}

static int sec_cgroup(struct cur *c, struct lb_bundle *b, const char **why)
{
	b->memory_max = get64(c);
	b->cpu_quota = get64(c);
	b->cpu_period = get64(c);
	b->pids_max = get64(c);
	if (expect_end(c, why) < 0)
		return -1;
	if (!b->cpu_quota != !b->cpu_period ||
	    (b->cpu_period && (b->cpu_quota < LB_CPU_MIN_US ||
			       b->cpu_period < LB_CPU_MIN_US ||
			       b->cpu_period > LB_CPU_MAX_PERIOD_US))) {
		*why = "cpu quota and period out of the kernel's range";
		return -1;
	}
	return 0;
}

/* LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET and _SIGNAL (ABI 6). */
#define LB_SCOPE_KNOWN UINT64_C(3)

static int sec_scope(struct cur *c, struct lb_bundle *b, const char **why)
{
	b->scope_open = get64(c);
	if (expect_end(c, why) < 0)
		return -1;
	if (b->scope_open & ~LB_SCOPE_KNOWN) {
		*why = "unknown Landlock scope";
		return -1;
	}
	return 0;
}

static int mount_entry(struct cur *c, struct lb_mount *m, const char **why)
{
	uint32_t len;
	size_t pad;

	m->kind = get32(c);
	len = get32(c);
	if (c->bad || m->kind < LB_MNT_MASK || m->kind > LB_MNT_KIND_MAX) {
		*why = "mount entry truncated or of an unknown kind";
		return -1;
	}
	m->path = get_string(c, len, why);
	if (!m->path)
		return -1;
	if (m->path[0] != '/') {
		*why = "mount path not absolute";
		return -1;
	}
	pad = (8 - len % 8) % 8;
	if (pad > c->left || !all_zero(take(c, pad), pad)) {
		*why = "mount path padding missing or not zero";
		return -1;
	}
	return 0;
}

static int sec_mounts(struct cur *c, struct lb_bundle *b, const char **why)
{
	uint32_t n;
	size_t i;

	b->has_mounts = true;
	b->mount_flags = get32(c);
	n = get32(c);
	if (c->bad || (b->mount_flags & ~LB_MNT_READ_ONLY_ROOT) ||
	    n > LB_MAX_MOUNTS) {
		*why = "mount section truncated, with unknown flags or too "
		       "many entries";
		return -1;
	}
	if (n && !(b->mounts = calloc(n, sizeof(*b->mounts)))) {
		*why = "out of memory";
		return -1;
	}
	for (i = 0; i < n; i++) {
		b->n_mounts++;
		if (mount_entry(c, &b->mounts[i], why) < 0)
			return -1;
	}
	return expect_end(c, why);
}

typedef int (*sec_fn)(struct cur *c, struct lb_bundle *b, const char **why);

static const sec_fn sections[LB_SEC_MAX + 1] = {
	[LB_SEC_NAME] = sec_name,
	[LB_SEC_SECCOMP] = sec_seccomp,
	[LB_SEC_CAPS] = sec_caps,
	[LB_SEC_NNP] = sec_nnp,
	[LB_SEC_APPARMOR] = sec_apparmor,
	[LB_SEC_LANDLOCK] = sec_landlock,
	[LB_SEC_USER] = sec_user,
	[LB_SEC_RLIMITS] = sec_rlimits,
	[LB_SEC_NAMESPACES] = sec_namespaces,
	[LB_SEC_CGROUP] = sec_cgroup,
	[LB_SEC_SCOPE] = sec_scope,
	[LB_SEC_MOUNTS] = sec_mounts,
};

#define REQUIRED ((1u << LB_SEC_NAME) | (1u << LB_SEC_SECCOMP) | \
		  (1u << LB_SEC_CAPS) | (1u << LB_SEC_NNP))

/* Header checks, cheapest first; the digest last, over the whole body. */
static int check_header(const uint8_t *d, size_t len, uint32_t *nsec,
			const char **why)
{
	struct cur c = { d + 8, LB_HEADER_SIZE - 8, false };
	uint8_t digest[LB_DIGEST_LEN];
	uint64_t size;

	if (len < LB_HEADER_SIZE) {
		*why = "truncated header";
		return -1;
	}
	if (memcmp(d, LB_MAGIC, 8) != 0) {
		*why = "not a leash bundle (bad magic)";
		return -1;
	}
	if (get32(&c) != LB_VERSION) {
		*why = "unsupported bundle format version";
		return -1;
	}
	*nsec = get32(&c);
	size = get64(&c);
	if (len > LB_MAX_FILE) {
		*why = "bundle larger than the size limit";
		return -1;
	}
	if (size != len) {
		*why = "size mismatch (truncated or extended bundle)";
		return -1;
	}
	if (!all_zero(take(&c, 8), 8)) {
		*why = "non-zero reserved header field";
		return -1;
	}
	lc_sha256(digest, d + LB_HEADER_SIZE, len - LB_HEADER_SIZE);
	if (memcmp(take(&c, LB_DIGEST_LEN), digest, LB_DIGEST_LEN) != 0) {
		*why = "digest mismatch (corrupted or tampered bundle)";
		return -1;
	}
	if (*nsec > LB_SEC_MAX) {
		*why = "more sections than there are section types";
		return -1;
	}
	return 0;
}

static int parse_body(const uint8_t *d, size_t len, uint32_t nsec,
		      struct lb_bundle *b, const char **why)
{
	struct cur c = { d + LB_HEADER_SIZE, len - LB_HEADER_SIZE, false };
	uint32_t i, seen = 0;

	for (i = 0; i < nsec; i++) {
		struct cur pc;
		uint32_t type, zero;
		uint64_t plen;
		size_t pad;

		type = get32(&c);
		zero = get32(&c);
		plen = get64(&c);
		if (c.bad) {
			*why = "truncated section header";
			return -1;
		}
		if (zero) {
			*why = "non-zero reserved section field";
			return -1;
		}
		if (type == 0 || type > LB_SEC_MAX) {
			*why = "unknown section type";
			return -1;
		}
		if (seen & (1u << type)) {
			*why = "repeated section";
			return -1;
		}
		seen |= 1u << type;
		if (plen > c.left) {
			*why = "section runs past the end of the bundle";
			return -1;
		}
		pc.p = take(&c, (size_t)plen);
		pc.left = (size_t)plen;
		pc.bad = false;
		if (sections[type](&pc, b, why) < 0)
			return -1;
		pad = (8 - (size_t)(plen % 8)) % 8;
		if (pad > c.left || !all_zero(take(&c, pad), pad)) {
			*why = "section padding missing or not zero";
			return -1;
		}
	}
	if (c.left) {
		*why = "bytes after the last section";
		return -1;
	}
	if ((seen & REQUIRED) != REQUIRED) {
		*why = "a required section is missing";
		return -1;
	}
	return 0;
}

int lb_parse(const void *data, size_t len, struct lb_bundle *out,
	     const char **why)
{
	const uint8_t *d = data;
	uint32_t nsec;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (!d && len) {
		*why = "no data";
		return -1;
	}
	if (check_header(d, len, &nsec, why) < 0 ||
	    parse_body(d, len, nsec, out, why) < 0) {
		lb_free(out);
		return -1;
	}
	return 0;
}

void lb_free(struct lb_bundle *b)
{
	size_t i;

	free(b->name);
	free(b->bpf);
	free(b->apparmor);
	if (b->paths)
		for (i = 0; i < b->n_paths; i++)
			free(b->paths[i].path);
	free(b->paths);
	free(b->ports);
	free(b->groups);
	free(b->rlimits);
	for (i = 0; b->mounts && i < b->n_mounts; i++)
		free(b->mounts[i].path);
	free(b->mounts);
	memset(b, 0, sizeof(*b));
}
