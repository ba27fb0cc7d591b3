/* SPDX-License-Identifier: MIT */
/*
 * emit-bundle.c - NAME.bundle: everything leash-exec applies, in the
 * format of runtime-shim/bundle.h (docs/bundle.md).
 *
 * The body is built first, section by section, each in ascending type
 * order; the header with the body's size and SHA-256 goes in front last.
 * Every integer is written byte by byte, little-endian, so the file is
 * the same whatever the host.  A value the format cannot carry is an
 * error here, never a bundle that the reader would refuse later.
 *
 * What leash-exec cannot enforce is a fidelity note: a deny Landlock
 * cannot say and no mount can (a glob), a path missing at start, what
 * Landlock leaves unchecked while the seccomp filter allows it.
 */
#include "targets/emit-bundle.h"

#include "runtime-shim/bundle.h"
#include "targets/landlock.h"

#include <sodium/crypto_hash_sha256.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CPU_PERIOD_US 100000u	/* docker --cpus uses the same */
#define CPU_MIN_QUOTA_US 1000u	/* the kernel refuses less */

/* CLONE_NEW* (older libcs lack CLONE_NEWTIME). */
static const struct {
	const char *name;
	uint64_t flag;
} ns_flags[] = {
	{ "mount", 0x00020000 }, { "cgroup", 0x02000000 },
	{ "uts", 0x04000000 }, { "ipc", 0x08000000 },
	{ "user", 0x10000000 }, { "pid", 0x20000000 },
	{ "net", 0x40000000 }, { "time", 0x00000080 },
};
#define NS_NET UINT64_C(0x40000000)

/* LANDLOCK_SCOPE_* (ABI 6; older kernel headers lack them). */
static const struct {
	const char *name;
	uint64_t flag;
} scope_flags[] = {
	{ "abstract_unix", 0x1 }, { "signal", 0x2 },
};

/* Calls that change a file's metadata, which Landlock does not check. */
static const char *const metadata_calls[] = {
	"chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown",
	"lchown", "fchownat", "setxattr", "lsetxattr", "fsetxattr",
	"setxattrat", "removexattr", "lremovexattr", "fremovexattr",
	"removexattrat", "utime", "utimes", "futimesat", "utimensat",
};

/* One entry of the MOUNTS section. */
struct mount_ent {
	uint32_t kind;		/* enum lb_mount_kind */
	char *path;		/* owned */
};
VEC(mount_vec, struct mount_ent);

static void put32(struct strbuf *b, uint32_t v)
{
	char c[4];
	int i;

	for (i = 0; i < 4; i++)
		c[i] = (char)(v >> (8 * i));
	sb_putn(b, c, 4);
}

static void put64(struct strbuf *b, uint64_t v)
{
	put32(b, (uint32_t)v);
	put32(b, (uint32_t)(v >> 32));
}

static void set64(struct strbuf *b, size_t off, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		b->s[off + i] = (char)(v >> (8 * i));
}

static void pad8(struct strbuf *b)
{
	while (b->len % 8)
		sb_putc(b, 0);
}

/* Section header with a length patched by end_section(). */
static size_t begin_section(struct strbuf *b, enum lb_section type,
			    uint32_t *count)
{
	put32(b, type);
	put32(b, 0);
	put64(b, 0);
	++*count;
	return b->len;
}

static void end_section(struct strbuf *b, size_t start)
{
	set64(b, start - 8, b->len - start);
	pad8(b);
}

static void put_string(struct strbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s) + 1);
}

static int check_string(struct leash_ctx *ctx, const struct leash_loc *loc,
			const char *what, const char *s)
{
	if (s && s[0] && strlen(s) < LB_MAX_STRING)
		return 0;
	diag_error(&ctx->diag, loc,
		   "%s must be 1 to %u bytes long to fit in a bundle", what,
		   LB_MAX_STRING - 1);
	return -EINVAL;
}

static bool has_apparmor(const struct flat_policy *f)
{
	size_t i;

	for (i = 0; i < f->n_chain; i++)
		if (f->chain[i]->apparmor.n)
			return true;
	return false;
}

static char *aa_profile_name(const struct flat_policy *f,
			     const struct leash_loc **loc)
{
	*loc = &f->policy->name.loc;
	if (f->aa_name && f->aa_name->values.n && f->aa_name->values.v[0].s) {
		*loc = &f->aa_name->values.v[0].loc;
		return xstrdup(f->aa_name->values.v[0].s);
	}
	return xasprintf("leash-%s", f->policy->name.s);
}

/* A limit value (flat_limit_value()), or an error at it. */
static int limit_value(struct leash_ctx *ctx, const struct limit_value *v,
		       enum flat_limit l, uint64_t *out)
{
	if (flat_limit_value(ctx, v, l, out))
		return 0;
	diag_error(&ctx->diag, &v->loc, "invalid value for '%s'",
		   flat_limit_info(l)->name);
	return -EINVAL;
}

static void sec_seccomp(struct strbuf *b, const struct seccomp_out *sc,
			uint32_t *n)
{
	size_t s = begin_section(b, LB_SEC_SECCOMP, n), i;

	for (i = 0; i < sc->bpf_len; i++) {
		char c[4] = {
			(char)sc->bpf[i].code, (char)(sc->bpf[i].code >> 8),
			(char)sc->bpf[i].jt, (char)sc->bpf[i].jf,
		};

		sb_putn(b, c, 4);
		put32(b, sc->bpf[i].k);
	}
	end_section(b, s);
}

static void sec_landlock(struct strbuf *b, const struct ll_ruleset *r,
			 uint32_t *n)
{
	size_t s, i;

	if (!r->handled_fs && !r->handled_net)
		return;
	s = begin_section(b, LB_SEC_LANDLOCK, n);
	put64(b, r->handled_fs);
	put64(b, r->handled_net);
	put32(b, (uint32_t)r->paths.n);
	put32(b, (uint32_t)r->ports.n);
	for (i = 0; i < r->paths.n; i++) {
		put64(b, r->paths.v[i].access);
		put32(b, (uint32_t)strlen(r->paths.v[i].path) + 1);
		put32(b, 0);
		put_string(b, r->paths.v[i].path);
		pad8(b);
	}
	for (i = 0; i < r->ports.n; i++) {
		put64(b, r->ports.v[i].access);
		put64(b, r->ports.v[i].port);
	}
	end_section(b, s);
}

static int sec_user(struct leash_ctx *ctx, struct strbuf *b,
		    const struct flat_policy *f, uint32_t *n)
{
	uint64_t uid = 0, gid = 0, g;
	uint32_t flags = 0;
	size_t s, i, ng = 0;

	if (f->user && f->user->uid) {
		if (!res_eval_const(ctx, f->user->uid, &uid))
			return -EINVAL;
		/* 'user UID' alone runs with GID = UID, as the OCI fragment
		 * and the docker flags say: group 0 would hand the program
		 * root's group. */
		flags |= LB_USER_UID | LB_USER_GID;
		gid = uid;
		if (f->user->gid && !res_eval_const(ctx, f->user->gid, &gid))
			return -EINVAL;
	}
	if (f->groups) {
		flags |= LB_USER_GROUPS;
		ng = f->groups->groups.n;
		if (ng > LB_MAX_GROUPS) {
			diag_error(&ctx->diag, &f->groups->loc,
				   "a bundle carries at most %u groups, not %zu",
				   LB_MAX_GROUPS, ng);
			return -E2BIG;
		}
	}
	if (!flags)
		return 0;
	if (uid >= UINT32_MAX || gid >= UINT32_MAX) {
		diag_error(&ctx->diag, &f->user->loc, "uid or gid out of range");
		return -EINVAL;
	}
	s = begin_section(b, LB_SEC_USER, n);
	put32(b, flags);
	put32(b, (uint32_t)uid);
	put32(b, (uint32_t)gid);
	put32(b, (uint32_t)ng);
	for (i = 0; i < ng; i++) {
		const struct expr *e = f->groups->groups.v[i];

		if (!res_eval_const(ctx, e, &g))
			return -EINVAL;
		if (g >= UINT32_MAX) {
			diag_error(&ctx->diag, &e->loc, "group id out of range");
			return -EINVAL;
		}
		put32(b, (uint32_t)g);
	}
	end_section(b, s);
	return 0;
}

static int sec_rlimits(struct leash_ctx *ctx, struct strbuf *b,
		       const struct flat_policy *f, uint32_t *n)
{
	struct lb_rlimit rl[FL_COUNT];
	size_t i, k = 0, s;

	for (i = 0; i < FL_COUNT; i++) {
		const struct limit_stmt *ls = f->limits[i];
		int res = flat_limit_info((enum flat_limit)i)->resource;

		if (!ls || res < 0)
			continue;
		if (res >= (int)LB_MAX_RLIMITS) {
			diag_error(&ctx->diag, &ls->loc,
				   "rlimit '%s' is beyond what a bundle carries",
				   ls->name.s);
			return -EINVAL;
		}
		rl[k].resource = (uint32_t)res;
		if (limit_value(ctx, &ls->soft, (enum flat_limit)i,
				&rl[k].soft) < 0)
			return -EINVAL;
		/* Soft only: the hard limit is the same (docker --ulimit). */
		rl[k].hard = rl[k].soft;
		if (ls->has_hard && limit_value(ctx, &ls->hard,
						(enum flat_limit)i,
						&rl[k].hard) < 0)
			return -EINVAL;
		if (rl[k].soft > rl[k].hard) {
			diag_error(&ctx->diag, &ls->loc,
				   "soft limit of '%s' above its hard limit",
				   ls->name.s);
			return -EINVAL;
		}
		k++;
	}
	if (!k)
		return 0;
	s = begin_section(b, LB_SEC_RLIMITS, n);
	put32(b, (uint32_t)k);
	put32(b, 0);
	for (i = 0; i < k; i++) {
		put32(b, rl[i].resource);
		put32(b, 0);
		put64(b, rl[i].soft);
		put64(b, rl[i].hard);
	}
	end_section(b, s);
	return 0;
}

static void sec_namespaces(struct strbuf *b, const struct flat_policy *f,
			   uint32_t *n)
{
	uint64_t flags = 0;
	size_t i, k, s;

	if (f->namespaces) {
		for (i = 0; i < f->namespaces->namespaces.n; i++) {
			const char *name = f->namespaces->namespaces.v[i].s;

			for (k = 0; k < ARRAY_SIZE(ns_flags); k++)
				if (name && strcmp(name, ns_flags[k].name) == 0)
					flags |= ns_flags[k].flag;
		}
	}
	/* 'network { none; }': a new, empty network namespace. */
	for (i = 0; i < f->n_net; i++)
		if (f->net[i]->kind == NET_NONE)
			flags |= NS_NET;
	if (!flags)
		return;
	s = begin_section(b, LB_SEC_NAMESPACES, n);
	put64(b, flags);
	end_section(b, s);
}

static int sec_cgroup(struct leash_ctx *ctx, struct strbuf *b,
		      const struct flat_policy *f, uint32_t *n)
{
	uint64_t mem = 0, millis = 0, quota = 0, period = 0, pids = 0;
	const struct limit_stmt *cpus = f->limits[FL_CPUS];
	size_t s;

	if (f->limits[FL_MEMORY] &&
	    limit_value(ctx, &f->limits[FL_MEMORY]->soft, FL_MEMORY, &mem) < 0)
		return -EINVAL;
	if (f->limits[FL_PIDS] &&
	    limit_value(ctx, &f->limits[FL_PIDS]->soft, FL_PIDS, &pids) < 0)
		return -EINVAL;
	if (cpus) {
		if (limit_value(ctx, &cpus->soft, FL_CPUS, &millis) < 0)
			return -EINVAL;
		/* quota = cpus * period: exact, as the text is thousandths
		 * and the period a multiple of 1000. */
		if (millis > UINT64_MAX / (CPU_PERIOD_US / 1000)) {
			diag_error(&ctx->diag, &cpus->soft.loc,
				   "'cpus' is too large");
			return -EINVAL;
		}
		quota = millis * (CPU_PERIOD_US / 1000);
		period = CPU_PERIOD_US;
		if (quota < CPU_MIN_QUOTA_US) {
			diag_error(&ctx->diag, &cpus->soft.loc,
				   "'cpus' below 0.01 cannot be enforced: the kernel's smallest CPU quota is 1 ms per 100 ms period");
			return -EINVAL;
		}
	}
	if (!mem && !quota && !pids)
		return 0;
	s = begin_section(b, LB_SEC_CGROUP, n);
	put64(b, mem);
	put64(b, quota);
	put64(b, period);
	put64(b, pids);
	end_section(b, s);
	return 0;
}

/* 'unscoped signal, abstract_unix;': the scopes leash-exec leaves open. */
static void sec_scope(struct strbuf *b, const struct flat_policy *f,
		      uint32_t *n)
{
	uint64_t open = 0;
	size_t i, k, s;

	for (i = 0; f->unscoped && i < f->unscoped->scopes.n; i++) {
		const char *name = f->unscoped->scopes.v[i].s;

		for (k = 0; k < ARRAY_SIZE(scope_flags); k++)
			if (name && strcmp(name, scope_flags[k].name) == 0)
				open |= scope_flags[k].flag;
	}
	if (!open)
		return;
	s = begin_section(b, LB_SEC_SCOPE, n);
	put64(b, open);
	end_section(b, s);
}

/* ---- mounts -------------------------------------------------------------- */

/* A 'mask' or 'readonly' path is a plain path (check-sections.c): only a
 * trailing '/' goes, as for a deny's directory. */
static char *plain_path(const char *s)
{
	size_t len = strlen(s);

	while (len > 1 && s[len - 1] == '/')
		len--;
	return xasprintf("%.*s", (int)len, s);
}

static int add_mount(struct leash_ctx *ctx, struct mount_vec *v,
		     const struct ast_name *n, uint32_t kind, const char *path)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->v[i].kind == kind && strcmp(v->v[i].path, path) == 0)
			return 0;
	if (strlen(path) >= LB_MAX_STRING || v->n >= LB_MAX_MOUNTS) {
		diag_error(&ctx->diag, &n->loc,
			   "'%s' is one mount too many or too long for a bundle (at most %u paths of %u bytes)",
			   n->s, LB_MAX_MOUNTS, LB_MAX_STRING - 1);
		return -E2BIG;
	}
	VEC_PUSH(v, ((struct mount_ent){ kind, xstrdup(path) }));
	return 0;
}

/*
 * The mounts that enforce a deny of @mode where Landlock cannot, as a
 * bitmask of enum lb_mount_kind: a mask hides the path whole, so 'r'
 * needs nothing else; a read-only mount still lets files execute, so
 * 'wx' is two mounts.
 */
static unsigned deny_kinds(const char *mode)
{
	unsigned kinds = 0;

	if (strchr(mode, 'r'))
		return 1u << LB_MNT_MASK;
	if (strchr(mode, 'w'))
		kinds |= 1u << LB_MNT_READONLY;
	if (strchr(mode, 'x'))
		kinds |= 1u << LB_MNT_NOEXEC;
	return kinds;
}

static const struct ll_leak *find_leak(const struct ll_ruleset *ll,
				       const struct ast_name *n)
{
	size_t i;

	for (i = 0; i < ll->leaks.n; i++)
		if (ll->leaks.v[i].path == n)
			return &ll->leaks.v[i];
	return NULL;
}

/* The entries of one path of @s; *@added tells whether there were any. */
static int mount_path(struct leash_ctx *ctx, const struct ll_ruleset *ll,
		      const struct fs_stmt *s, const struct ast_name *n,
		      struct mount_vec *v, bool *added)
{
	const struct ll_leak *leak = NULL;
	_cleanup_free_ char *path = NULL;
	unsigned kinds;
	uint32_t k;
	int rc;

	*added = false;
	if (s->kind == FS_MASK) {
		kinds = 1u << LB_MNT_MASK;
	} else if (s->kind == FS_READONLY) {
		kinds = 1u << LB_MNT_READONLY;
	} else {
		/* A deny Landlock enforces, or noted by ll_build(). */
		leak = find_leak(ll, n);
		if (!leak)
			return 0;
		kinds = deny_kinds(s->mode.s);
		if (!kinds) {
			/* Only 'l' (with 'm' or 'k'): no mount refuses
			 * links alone. */
			ll_leak_note(&ctx->diag, leak);
			return 0;
		}
	}
	path = s->kind == FS_DENY ? ll_fixed_path(n->s) : plain_path(n->s);
	if (!path) {
		if (leak)
			ll_leak_note(&ctx->diag, leak);
		diag_fidelity(&ctx->diag, &n->loc,
			      "'%s%s \"%s\"' is not enforced by leash-exec "
			      "for this glob: a bind mount needs a fixed path, "
			      "and files created later would escape it",
			      s->kind == FS_MASK ? "mask" :
			      s->kind == FS_READONLY ? "readonly" : "deny ",
			      s->kind == FS_DENY ? s->mode.s : "", n->s);
		return 0;
	}
	for (k = LB_MNT_MASK; k <= LB_MNT_KIND_MAX; k++) {
		if (!(kinds & (1u << k)))
			continue;
		rc = add_mount(ctx, v, n, k, path);
		if (rc < 0)
			return rc;
	}
	*added = true;
	return 0;
}

/*
 * An allow rule that writes (w, c, d) under read_only_root: its fixed
 * paths become writable binds; a glob cannot be bound, and stays
 * read-only with the rest of the root.
 */
static int writable_paths(struct leash_ctx *ctx, const struct fs_stmt *s,
			  struct mount_vec *v)
{
	size_t j;
	int rc;

	if (s->kind != FS_ALLOW || !strpbrk(s->mode.s, "wcd"))
		return 0;
	for (j = 0; j < s->paths.n; j++) {
		const struct ast_name *n = &s->paths.v[j];
		_cleanup_free_ char *path = ll_fixed_path(n->s);

		if (!path) {
			diag_fidelity(&ctx->diag, &n->loc,
				      "'allow %s \"%s\"' stays read-only "
				      "under leash-exec's read_only_root: "
				      "only a fixed path or a tree ending "
				      "in '/**' can be made writable again",
				      s->mode.s, n->s);
			continue;
		}
		rc = add_mount(ctx, v, n, LB_MNT_WRITABLE, path);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * leash-exec's private mount tree: 'mask', 'readonly', 'read_only_root'
 * with the paths the policy writes kept writable, and the denies
 * Landlock cannot enforce inside an allowed tree, in policy order.
 */
static int sec_mounts(struct leash_ctx *ctx, struct strbuf *b,
		      const struct flat_policy *f,
		      const struct ll_ruleset *ll, uint32_t *n)
{
	struct mount_vec v = { 0 };
	const struct fs_stmt *first = NULL;
	size_t i, j, s;
	bool added;
	int rc = 0;

	/* Under read_only_root, what the policy allows writing stays
	 * writable: first, so that a deny below it still applies. */
	for (i = 0; f->read_only_root && i < f->n_fs && rc == 0; i++)
		rc = writable_paths(ctx, f->fs[i], &v);
	for (i = 0; i < f->n_fs && rc == 0; i++) {
		const struct fs_stmt *st = f->fs[i];

		if (st->kind != FS_MASK && st->kind != FS_READONLY &&
		    st->kind != FS_DENY)
			continue;
		for (j = 0; j < st->paths.n && rc == 0; j++) {
			rc = mount_path(ctx, ll, st, &st->paths.v[j], &v,
					&added);
			if (added && !first)
				first = st;
		}
	}
	if (rc == 0 && first)
		diag_fidelity(&ctx->diag, &first->loc,
			      "leash-exec mounts over this policy's 'mask', "
			      "'readonly' and 'deny' paths when the program "
			      "starts: a path that does not exist then cannot "
			      "be mounted over and stays as it is, even if "
			      "created later");
	if (rc == 0 && (v.n || f->read_only_root)) {
		s = begin_section(b, LB_SEC_MOUNTS, n);
		put32(b, f->read_only_root ? LB_MNT_READ_ONLY_ROOT : 0);
		put32(b, (uint32_t)v.n);
		for (i = 0; i < v.n; i++) {
			put32(b, v.v[i].kind);
			put32(b, (uint32_t)strlen(v.v[i].path) + 1);
			put_string(b, v.v[i].path);
			pad8(b);
		}
		end_section(b, s);
	}
	for (i = 0; i < v.n; i++)
		free(v.v[i].path);
	VEC_FREE(&v);
	return rc;
}

/* ---- notes --------------------------------------------------------------- */

/* The filter lets @name do nothing on any of its arches: every rule for
 * it, and the action when none matches, refuses the call. */
static bool refused(uint32_t action)
{
	switch (action & IR_RET_ACTION_MASK) {
	case IR_RET_ERRNO:
	case IR_RET_KILL_PROCESS:
	case IR_RET_KILL_THREAD:
	case IR_RET_TRAP:
		return true;
	default:
		return false;
	}
}

static bool denied_everywhere(const struct ir_filter *ir, const char *name)
{
	static const uint64_t zero[6];
	size_t i, k;

	for (i = 0; i < ir->n_arches; i++) {
		const struct ir_arch *a = &ir->arches[i];
		int64_t nr = syscall_nr(a->arch, name, NULL);

		/* Not a call of this arch (a multiplexed one is its
		 * multiplexer's, which the caller asks about). */
		if (nr < 0)
			continue;
		if (!refused(ir_eval(ir, arch_info(a->arch)->audit_arch, nr,
				     zero)))
			return false;
		/* Zero arguments are one case: a rule with a condition
		 * may allow the call for others. */
		for (k = 0; k < a->n_sys; k++) {
			const struct ir_syscall *sy = &a->sys[k];
			size_t r;

			if (sy->nr != nr)
				continue;
			for (r = 0; r < sy->n_rules; r++)
				if (!refused(sy->rules[r].action) &&
				    !(sy->rules[r].cond &&
				      sy->rules[r].cond->kind == IRC_FALSE))
					return false;
		}
	}
	return true;
}

/*
 * What a Landlock allow-list leaves open, unless the filter closes it:
 * Landlock checks no metadata change (mode, owner, extended attributes,
 * times) and no connect() to a unix socket by its path.
 */
static void landlock_gaps(struct diag *d, const struct flat_policy *f,
			  const struct ll_ruleset *ll,
			  const struct seccomp_out *sc)
{
	const struct fs_stmt *first = NULL;
	struct strbuf names = { 0 };
	bool conn, mux;
	size_t i;

	for (i = 0; i < f->n_fs && !first; i++)
		if (f->fs[i]->kind == FS_ALLOW)
			first = f->fs[i];
	if (!ll->handled_fs || !first || !sc->ir)
		return;
	for (i = 0; i < ARRAY_SIZE(metadata_calls); i++)
		if (!denied_everywhere(sc->ir, metadata_calls[i]))
			sb_printf(&names, "%s%s", names.len ? ", " : "",
				  metadata_calls[i]);
	if (names.len)
		diag_fidelity(d, &first->loc,
			      "Landlock does not check changes to file "
			      "metadata: the program can still call %s on "
			      "files outside the filesystem allow-list (as far "
			      "as file permissions allow); deny these calls in "
			      "the seccomp section to close this", names.s);
	sb_free(&names);
	/* x86 also connects through socketcall(), which has no number
	 * on the other arches and so counts as denied there. */
	conn = !denied_everywhere(sc->ir, "connect");
	mux = !denied_everywhere(sc->ir, "socketcall");
	if (conn || mux)
		diag_fidelity(d, &first->loc,
			      "Landlock does not check connect() to a unix "
			      "socket by its path: the program can connect to "
			      "sockets outside the filesystem allow-list (as "
			      "far as file permissions allow); deny %s in the "
			      "seccomp section to close this",
			      conn && mux ? "'connect' and 'socketcall'" :
			      conn ? "'connect'" : "'socketcall'");
}

static int build_body(struct leash_ctx *ctx, const struct flat_policy *f,
		      const struct seccomp_out *sc, struct strbuf *b,
		      uint32_t *n)
{
	const struct leash_loc *loc = &f->policy->name.loc;
	struct ll_ruleset ll;
	size_t s;
	int rc, i;

	if (check_string(ctx, loc, "the policy name", f->policy->name.s) < 0)
		return -EINVAL;
	if (!sc->bpf || sc->bpf_len == 0 || sc->bpf_len > LB_MAX_BPF) {
		diag_error(&ctx->diag, loc,
			   "the seccomp program has %zu instructions; a bundle carries 1 to %u",
			   sc->bpf_len, LB_MAX_BPF);
		return -E2BIG;
	}
	s = begin_section(b, LB_SEC_NAME, n);
	put_string(b, f->policy->name.s);
	end_section(b, s);
	sec_seccomp(b, sc, n);

	s = begin_section(b, LB_SEC_CAPS, n);
	for (i = 0; i < LB_CAP_SETS; i++)
		put64(b, i == LB_CAP_INHERITABLE || i == LB_CAP_AMBIENT ?
			 f->ambient : f->caps);
	end_section(b, s);

	s = begin_section(b, LB_SEC_NNP, n);
	put32(b, flat_nnp_on(f));
	end_section(b, s);

	if (has_apparmor(f)) {
		_cleanup_free_ char *name = aa_profile_name(f, &loc);

		if (check_string(ctx, loc, "the AppArmor profile name",
				 name) < 0)
			return -EINVAL;
		s = begin_section(b, LB_SEC_APPARMOR, n);
		put32(b, LB_AA_REQUIRED);
		put_string(b, name);
		end_section(b, s);
	}

	rc = ll_build(ctx, f, &ll);
	/* Complain mode: Landlock has no permissive mode, so its tracer
	 * checks paths and ports itself; the mount tree stays. */
	if (rc == 0 && !ctx->bundle_no_landlock)
		sec_landlock(b, &ll, n);
	if (rc == 0)
		rc = sec_user(ctx, b, f, n);
	if (rc == 0)
		rc = sec_rlimits(ctx, b, f, n);
	if (rc == 0)
		sec_namespaces(b, f, n);
	if (rc == 0)
		rc = sec_cgroup(ctx, b, f, n);
	if (rc == 0)
		sec_scope(b, f, n);
	if (rc == 0)
		rc = sec_mounts(ctx, b, f, &ll, n);
	/* Socket families and types need no AppArmor profile: the
	 * bundle's filter holds them (seccomp/net-gate.c). */
	if (rc == 0 && !ctx->bundle_no_landlock)
		landlock_gaps(&ctx->diag, f, &ll, sc);
	ll_ruleset_free(&ll);
	return rc;
}

int emit_bundle(struct leash_ctx *ctx, const struct flat_policy *f,
		const struct seccomp_out *sc, struct strbuf *out)
{
	struct strbuf body = { 0 };
	uint8_t digest[LB_DIGEST_LEN];
	uint32_t nsec = 0;
	int rc;

	rc = build_body(ctx, f, sc, &body, &nsec);
	if (rc == 0 && body.len > LB_MAX_FILE - LB_HEADER_SIZE) {
		diag_error(&ctx->diag, &f->policy->name.loc,
			   "the bundle would be %zu bytes; the limit is %u",
			   body.len + LB_HEADER_SIZE, LB_MAX_FILE);
		rc = -E2BIG;
	}
	if (rc < 0) {
		sb_free(&body);
		return rc;
	}
	crypto_hash_sha256(digest, (const unsigned char *)body.s, body.len);
	sb_putn(out, LB_MAGIC, 8);
	put32(out, LB_VERSION);
	put32(out, nsec);
	put64(out, body.len + LB_HEADER_SIZE);
	put64(out, 0);
	sb_putn(out, (const char *)digest, LB_DIGEST_LEN);
	sb_putn(out, body.s, body.len);
	sb_free(&body);
	return 0;
}
