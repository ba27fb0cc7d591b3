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
 */
#include "targets/emit-bundle.h"

#include "runtime-shim/bundle.h"
#include "targets/landlock.h"
#include "runtime-shim/sha256.h"

#include <errno.h>
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

/* A limit value: bytes, a count, thousandths of a CPU for 'cpus', or
 * all ones for 'unlimited'. */
static int limit_value(struct leash_ctx *ctx, const struct limit_value *v,
		       enum flat_limit l, uint64_t *out)
{
	switch (v->kind) {
	case LV_UNLIMITED:
		*out = UINT64_MAX;
		return 0;
	case LV_SIZE:
		*out = v->num;
		return 0;
	case LV_DECIMAL:
		if (l == FL_CPUS && v->text &&
		    flat_limit_millis(v->text, out, NULL))
			return 0;
		break;
	case LV_EXPR:
		if (!v->expr || !res_eval_const(ctx, v->expr, out))
			return -EINVAL;
		if (l != FL_CPUS)
			return 0;
		if (*out <= UINT64_MAX / 1000) {
			*out *= 1000;
			return 0;
		}
		break;
	default:
		break;
	}
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

/* What the bundle has no section for: said, not dropped silently. */
static void bundle_notes(struct diag *d, const struct flat_policy *f,
			 bool aa)
{
	size_t i, j;

	/* The flat view keeps only a flag: find the statement to point at. */
	for (i = 0; f->read_only_root && i < f->n_chain; i++) {
		const struct fs_stmt_vec *v = &f->chain[i]->fs;

		for (j = 0; j < v->n; j++)
			if (v->v[j].kind == FS_READ_ONLY_ROOT)
				break;
		if (j < v->n) {
			diag_fidelity(d, &v->v[j].loc,
				      "leash-exec mounts nothing: "
				      "'read_only_root' is enforced by the OCI "
				      "and docker artifacts only");
			break;
		}
	}
	for (i = 0; i < f->n_fs; i++) {
		const struct fs_stmt *s = f->fs[i];

		if (s->kind == FS_MASK || s->kind == FS_READONLY)
			diag_fidelity(d, &s->loc,
				      "leash-exec mounts nothing: '%s' paths "
				      "are enforced by the OCI, docker and "
				      "AppArmor artifacts, not by the bundle's "
				      "Landlock rules",
				      s->kind == FS_MASK ? "mask" : "readonly");
	}
	if (aa)
		return;
	for (i = 0; i < f->n_net; i++)
		if (f->net[i]->kind == NET_RULE)
			diag_fidelity(d, &f->net[i]->loc,
				      "no AppArmor profile (no 'apparmor' "
				      "section), so leash-exec does not "
				      "restrict socket families");
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
	put32(b, !f->nnp || !f->nnp->nnp_value.s ||
		 strcmp(f->nnp->nnp_value.s, "off") != 0);
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
	if (rc == 0)
		sec_landlock(b, &ll, n);
	ll_ruleset_free(&ll);
	if (rc == 0)
		rc = sec_user(ctx, b, f, n);
	if (rc == 0)
		rc = sec_rlimits(ctx, b, f, n);
	if (rc == 0)
		sec_namespaces(b, f, n);
	if (rc == 0)
		rc = sec_cgroup(ctx, b, f, n);
	if (rc == 0)
		bundle_notes(&ctx->diag, f, has_apparmor(f));
	return rc;
}

int emit_bundle(struct leash_ctx *ctx, const struct flat_policy *f,
		const struct seccomp_out *sc, struct strbuf *out)
{
	struct strbuf body = { 0 };
	uint8_t digest[SHA256_LEN];
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
	sha256(body.s, body.len, digest);
	sb_putn(out, LB_MAGIC, 8);
	put32(out, LB_VERSION);
	put32(out, nsec);
	put64(out, body.len + LB_HEADER_SIZE);
	put64(out, 0);
	sb_putn(out, (const char *)digest, SHA256_LEN);
	sb_putn(out, body.s, body.len);
	sb_free(&body);
	return 0;
}
