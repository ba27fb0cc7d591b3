/* SPDX-License-Identifier: MIT */
/*
 * model.c - load a policy, a seccomp profile, a raw filter, an OCI
 * config or 'docker inspect' output into struct model (model.h).
 */
#include "interop/model.h"
#include "common/jtree.h"
#include "seccomp/bpf.h"
#include "targets/emit-apparmor.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_INPUT (16u << 20)

const char *const model_proc_names[MP_COUNT] = {
	[MP_USER] = "user",
	[MP_GROUPS] = "groups",
	[MP_NNP] = "no_new_privileges",
	[MP_PRIVILEGED] = "privileged",
	[MP_UNSCOPED] = "unscoped",
};

const char *const model_ns_names[MN_COUNT] = {
	[MN_USER] = "user", [MN_PID] = "pid", [MN_IPC] = "ipc",
	[MN_UTS] = "uts", [MN_MOUNT] = "mount", [MN_NET] = "net",
	[MN_CGROUP] = "cgroup", [MN_TIME] = "time",
};

const char *const model_aa_names[MA_COUNT] = {
	[MA_PROFILE] = "profile",
	[MA_TEMPLATE] = "template",
	[MA_FLAGS] = "flags",
};

/* A namespace by leash's name or OCI's ("network"); -1 if neither. */
static int ns_by_name(const char *s)
{
	if (!strcmp(s, "network"))
		return MN_NET;
	for (int i = 0; i < MN_COUNT; i++)
		if (!strcmp(s, model_ns_names[i]))
			return i;
	return -1;
}

static char *where_loc(const struct leash_loc *l)
{
	if (!l || !l->file)
		return NULL;
	return xasprintf("%s:%d", l->file->name, l->first_line);
}

static char *where_oci(const char *file, struct oci_loc l)
{
	return l.line ? xasprintf("%s:%d", file, l.line) : NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void add_stmt(struct model_stmt_vec *v, char *text, char *where)
{
	struct model_stmt s = { text, where };

	VEC_PUSH(v, s);
}

/* ---- settings in one spelling ------------------------------------------- */

/* @v takes @text and @where (either may be NULL). */
static void set_val(struct model_val *v, enum model_known known, char *text,
		    char *where)
{
	free(v->text);
	free(v->where);
	v->known = known;
	v->text = text;
	v->where = where;
}

/* Bytes: with the largest unit that divides them ("256M"), so that a
 * policy's 256M and a config's 268435456 read alike. */
static char *fmt_bytes(uint64_t v)
{
	static const char units[] = "KMGT";
	int u = -1;

	if (v == UINT64_MAX)
		return xstrdup("unlimited");
	while (u < 3 && v && !(v & 1023)) {
		v >>= 10;
		u++;
	}
	if (u < 0)
		return xasprintf("%llu", (unsigned long long)v);
	return xasprintf("%llu%c", (unsigned long long)v, units[u]);
}

/* Thousandths of a CPU as a decimal number: 1250 -> "1.25". */
static char *fmt_millis(uint64_t m)
{
	char frac[8];
	size_t n;

	if (m % 1000 == 0)
		return xasprintf("%llu", (unsigned long long)(m / 1000));
	snprintf(frac, sizeof(frac), "%03u", (unsigned)(m % 1000));
	for (n = strlen(frac); n > 0 && frac[n - 1] == '0'; n--)
		frac[n - 1] = 0;
	return xasprintf("%llu.%s", (unsigned long long)(m / 1000), frac);
}

static bool is_bytes(enum flat_limit l)
{
	switch (l) {
	case FL_MEMORY: case FL_AS: case FL_CORE: case FL_DATA:
	case FL_FSIZE: case FL_MEMLOCK: case FL_MSGQUEUE: case FL_RSS:
	case FL_STACK:
		return true;
	default:
		return false;
	}
}

static char *fmt_one(enum flat_limit l, uint64_t v)
{
	if (v == UINT64_MAX)
		return xstrdup("unlimited");
	if (l == FL_CPUS)
		return fmt_millis(v);
	if (is_bytes(l))
		return fmt_bytes(v);
	return xasprintf("%llu", (unsigned long long)v);
}

/* A limit: "SOFT", or "SOFT:HARD" when they differ (an rlimit). */
static void set_limit(struct model *t, enum flat_limit l, uint64_t soft,
		      uint64_t hard, char *where)
{
	char *text = fmt_one(l, soft);

	if (hard != soft) {
		_cleanup_free_ char *s = text, *h = fmt_one(l, hard);

		text = xasprintf("%s:%s", s, h);
	}
	set_val(&t->limits[l], MK_SET, text, where);
	t->limits[l].num = soft;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* Ids sorted, each once: "27, 1000". */
static char *fmt_ids(uint64_t *v, size_t n)
{
	struct strbuf sb = { 0 };
	size_t i;

	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 0; i < n; i++)
		if (!i || v[i] != v[i - 1])
			sb_printf(&sb, "%s%llu", sb.len ? ", " : "",
				  (unsigned long long)v[i]);
	return sb.s ? sb_steal(&sb) : xstrdup("");
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Names sorted, each once: "attach_disconnected, mediate_deleted". */
static char *fmt_names(const struct name_vec *v)
{
	_cleanup_free_ const char **s = xcalloc(v->n + 1, sizeof(*s));
	struct strbuf sb = { 0 };
	size_t i, n = 0;

	for (i = 0; i < v->n; i++)
		if (v->v[i].s)
			s[n++] = v->v[i].s;
	qsort(s, n, sizeof(*s), cmp_str);
	for (i = 0; i < n; i++)
		if (!i || strcmp(s[i], s[i - 1]))
			sb_printf(&sb, "%s%s", sb.len ? ", " : "", s[i]);
	return sb.s ? sb_steal(&sb) : xstrdup("");
}

/* Mode letters in one order: "wr" and "rw" are one mode. */
static char *fmt_mode(const char *m)
{
	static const char order[] = "rwxmlk";
	struct strbuf sb = { 0 };

	for (const char *o = order; *o; o++)
		if (m && strchr(m, *o))
			sb_putc(&sb, *o);
	return sb.s ? sb_steal(&sb) : xstrdup("");
}

static int take_filter(struct diag *d, struct model *t, const char *file,
		       struct sock_filter *prog, size_t len)
{
	if (!prog) {
		t->seccomp = MODEL_SC_NONE;
		return 0;
	}
	t->bpf = prog;
	t->bpf_len = len;
	if (bpf_check(prog, len) < 0) {
		diag_file_error(d, file,
				"the kernel would refuse this seccomp filter "
				"(%zu instructions)",
				len);
		return -EINVAL;
	}
	t->seccomp = MODEL_SC_FILTER;
	t->sim.bpf = prog;
	t->sim.len = len;
	t->arches = sim_arches(&t->sim);
	return 0;
}

/* ---- .leash -------------------------------------------------------------- */

static const struct ast_policy *pick(struct leash_ctx *ctx, const char *file,
				     const char *name)
{
	const struct ast_file *root = ctx->files.v[0];
	const struct ast_policy *p;

	if (name) {
		p = res_find_policy(ctx, name);
		if (!p)
			diag_file_error(&ctx->diag, file, "no policy '%s'",
					name);
		return p;
	}
	if (root->policies.n == 1)
		return root->policies.v[0];
	if (root->policies.n == 0)
		diag_file_error(&ctx->diag, file, "defines no policy");
	else
		diag_file_error(&ctx->diag, file,
				"defines %zu policies: name one as '%s:%s'",
				root->policies.n, file,
				root->policies.v[0]->name.s);
	return NULL;
}

static void policy_limits(struct leash_ctx *ctx, struct model *t,
			  const struct flat_policy *fp)
{
	for (int l = 0; l < FL_COUNT; l++) {
		const struct limit_stmt *s = fp->limits[l];
		uint64_t soft, hard;

		if (!s) {
			set_val(&t->limits[l], MK_UNSET, NULL, NULL);
			continue;
		}
		if (!flat_limit_value(ctx, &s->soft, (enum flat_limit)l, &soft))
			continue;
		hard = soft;
		if (s->has_hard &&
		    !flat_limit_value(ctx, &s->hard, (enum flat_limit)l, &hard))
			continue;
		set_limit(t, (enum flat_limit)l, soft, hard,
			  where_loc(&s->loc));
	}
	t->memory_limit = t->limits[FL_MEMORY].known == MK_SET &&
			  t->limits[FL_MEMORY].num != UINT64_MAX;
	t->pids_limit = t->limits[FL_PIDS].known == MK_SET &&
			t->limits[FL_PIDS].num != UINT64_MAX;
}

static void policy_process(struct leash_ctx *ctx, struct model *t,
			   const struct flat_policy *fp)
{
	const struct proc_stmt *ns = fp->namespaces;
	uint64_t uid = 0, gid;
	size_t i;

	if (fp->user && fp->user->uid &&
	    res_eval_const(ctx, fp->user->uid, &uid)) {
		/* 'user UID' alone runs with GID = UID in every target. */
		gid = uid;
		if (!fp->user->gid || res_eval_const(ctx, fp->user->gid, &gid))
			set_val(&t->proc[MP_USER], MK_SET,
				xasprintf("%llu:%llu", (unsigned long long)uid,
					  (unsigned long long)gid),
				where_loc(&fp->user->loc));
		t->nonroot = uid != 0;
	} else {
		set_val(&t->proc[MP_USER], MK_UNSET, NULL, NULL);
	}
	if (fp->groups) {
		_cleanup_free_ uint64_t *ids =
			xcalloc(fp->groups->groups.n + 1, sizeof(*ids));
		size_t n = 0;

		for (i = 0; i < fp->groups->groups.n; i++)
			if (res_eval_const(ctx, fp->groups->groups.v[i],
					   &ids[n]))
				n++;
		set_val(&t->proc[MP_GROUPS], MK_SET, fmt_ids(ids, n),
			where_loc(&fp->groups->loc));
	} else {
		set_val(&t->proc[MP_GROUPS], MK_UNSET, NULL, NULL);
	}
	t->nnp = !fp->nnp || !fp->nnp->nnp_value.s ||
		 strcmp(fp->nnp->nnp_value.s, "off") != 0;
	t->nnp_where = fp->nnp ? where_loc(&fp->nnp->loc) : NULL;
	set_val(&t->proc[MP_NNP], MK_SET, xstrdup(t->nnp ? "on" : "off"),
		fp->nnp ? where_loc(&fp->nnp->loc) : NULL);
	if (fp->unscoped)
		set_val(&t->proc[MP_UNSCOPED], MK_SET,
			fmt_names(&fp->unscoped->scopes),
			where_loc(&fp->unscoped->loc));
	else
		set_val(&t->proc[MP_UNSCOPED], MK_UNSET, NULL, NULL);

	/* The namespaces leash-exec unshares: the list, and net for
	 * 'network { none; }'.  One left out points at the list. */
	for (i = 0; i < MN_COUNT; i++)
		set_val(&t->ns[i], MK_UNSET, NULL,
			ns ? where_loc(&ns->loc) : NULL);
	for (i = 0; ns && i < ns->namespaces.n; i++) {
		const struct ast_name *n = &ns->namespaces.v[i];
		int k = n->s ? ns_by_name(n->s) : -1;

		if (k >= 0)
			set_val(&t->ns[k], MK_SET, xstrdup(""),
				where_loc(&n->loc));
	}
	for (i = 0; i < fp->n_net; i++)
		if (fp->net[i]->kind == NET_NONE &&
		    t->ns[MN_NET].known != MK_SET)
			set_val(&t->ns[MN_NET], MK_SET, xstrdup(""),
				where_loc(&fp->net[i]->loc));
	t->userns = t->ns[MN_USER].known == MK_SET;
}

static void policy_apparmor(struct model *t, const struct flat_policy *fp)
{
	const struct aa_stmt *tpl = fp->aa_template, *fl = fp->aa_flags;
	size_t i, j;

	/* leash compiles an AppArmor profile for every policy. */
	t->apparmor = true;
	t->has_aa_rules = true;
	t->aa_name_implied = !fp->aa_name;
	/* Without 'name', the profile is called after the policy. */
	set_val(&t->aa[MA_PROFILE], MK_SET, emit_aa_profile_name(fp),
		where_loc(fp->aa_name ? &fp->aa_name->loc :
					&fp->policy->name.loc));
	t->apparmor_where = dup_or_null(t->aa[MA_PROFILE].where);
	set_val(&t->aa[MA_TEMPLATE], MK_SET,
		xstrdup(tpl && tpl->values.n && tpl->values.v[0].s ?
				tpl->values.v[0].s : "docker-default"),
		tpl ? where_loc(&tpl->loc) : NULL);
	if (fl)
		set_val(&t->aa[MA_FLAGS], MK_SET, fmt_names(&fl->values),
			where_loc(&fl->loc));
	else
		set_val(&t->aa[MA_FLAGS], MK_UNSET, NULL, NULL);
	for (i = 0; i < fp->n_aa_raw; i++)
		for (j = 0; j < fp->aa_raw[i]->values.n; j++)
			add_stmt(&t->aa_raw,
				 xasprintf("raw \"%s\";",
					   fp->aa_raw[i]->values.v[j].s),
				 where_loc(&fp->aa_raw[i]->loc));
}

/* Does an allow rule with @mode on @path let the program write all
 * over the root filesystem: "/", or a glob right after it? */
static bool writes_root(const char *mode, const char *path)
{
	return mode && strchr(mode, 'w') && path && path[0] == '/' &&
	       (!path[1] || strchr("*?[{", path[1]));
}

/* One statement per path and per entry, in one spelling, so that two
 * spellings of a rule compare equal and a config's maskedPaths match a
 * policy's 'mask' statement path by path. */
static void policy_fs_net(struct leash_ctx *ctx, struct model *t,
			  const struct flat_policy *fp)
{
	static const char *const fs_kw[] = {
		[FS_ALLOW] = "allow", [FS_DENY] = "deny",
		[FS_MASK] = "mask", [FS_READONLY] = "readonly",
	};
	bool allows = false, root_w = false;
	size_t i, j;

	if (fp->read_only_root) {
		const struct leash_loc *at = NULL;

		for (i = 0; i < fp->n_chain && !at; i++)
			for (j = 0; j < fp->chain[i]->fs.n && !at; j++)
				if (fp->chain[i]->fs.v[j].kind ==
				    FS_READ_ONLY_ROOT)
					at = &fp->chain[i]->fs.v[j].loc;
		add_stmt(&t->fs, xstrdup("read_only_root;"), where_loc(at));
		t->root_where = where_loc(at);
	}
	for (i = 0; i < fp->n_fs; i++) {
		const struct fs_stmt *f = fp->fs[i];
		bool moded = f->kind == FS_ALLOW || f->kind == FS_DENY;
		_cleanup_free_ char *mode = moded ? fmt_mode(f->mode.s) : NULL;

		if (f->kind < FS_ALLOW || f->kind > FS_READONLY)
			continue;
		for (j = 0; j < f->paths.n; j++) {
			const char *path = f->paths.v[j].s;

			if (f->kind == FS_ALLOW) {
				allows = true;
				root_w |= writes_root(mode, path);
			}
			add_stmt(&t->fs,
				 moded ? xasprintf("%s %s \"%s\";",
						   fs_kw[f->kind], mode, path) :
					 xasprintf("%s \"%s\";",
						   fs_kw[f->kind], path),
				 where_loc(&f->loc));
		}
	}
	t->fs_allowlist = allows && !root_w;
	for (i = 0; i < fp->n_net; i++) {
		const struct net_stmt *n = fp->net[i];
		const char *verb = n->deny ? "deny" : "allow";

		switch (n->kind) {
		case NET_NONE:
			add_stmt(&t->net, xstrdup("none;"), where_loc(&n->loc));
			break;
		case NET_RULE:
			for (j = 0; j < n->entries.n; j++) {
				const struct net_entry *e = &n->entries.v[j];

				add_stmt(&t->net,
					 xasprintf("%s %s%s%s;", verb,
						   e->first.s ? e->first.s : "",
						   e->second.s ? " " : "",
						   e->second.s ? e->second.s :
								 ""),
					 where_loc(&n->loc));
			}
			break;
		case NET_PORTS:
			for (j = 0; j < n->ports.n; j++) {
				uint64_t port = 0;

				if (!n->ports.v[j].value ||
				    !res_eval_const(ctx, n->ports.v[j].value,
						    &port))
					continue;
				add_stmt(&t->net,
					 xasprintf("%s %s %s %llu;", verb,
						   n->op.s ? n->op.s : "?",
						   n->proto.s ? n->proto.s :
								"?",
						   (unsigned long long)port),
					 where_loc(&n->loc));
			}
			break;
		default:
			break;
		}
	}
}

static int load_policy(struct model_file *f, const char *file,
		       const char *name, const struct model_opts *o)
{
	struct front_opts fo = { 0 };
	struct seccomp_out sc = { 0 };
	struct flat_policy fp;
	const struct ast_policy *p;
	struct model *t;
	size_t i;
	int rc;

	f->ctx = xcalloc(1, sizeof(*f->ctx));
	leash_ctx_init(f->ctx, stderr);
	fo.include_dirs = o->include_dirs;
	if (front_run(f->ctx, &fo, file) < 0)
		return -EINVAL;
	p = pick(f->ctx, file, name);
	if (!p)
		return -EINVAL;
	f->t = xcalloc(1, sizeof(*f->t));
	f->n = 1;
	t = &f->t[0];
	t->kind = MODEL_POLICY;
	t->name = name ? xasprintf("%s:%s", file, name) : xstrdup(file);
	rc = build_seccomp(f->ctx, p, BACKEND_NATIVE, 0, &sc);
	if (rc < 0 || diag_failed(&f->ctx->diag)) {
		diag_summary(&f->ctx->diag);
		build_seccomp_free(&sc);
		return -EINVAL;
	}
	t->policy = p;
	t->ir = TAKE_PTR(sc.ir);
	rc = take_filter(&f->ctx->diag, t, file, TAKE_PTR(sc.bpf),
			 sc.bpf_len);
	build_seccomp_free(&sc);
	if (rc < 0)
		return rc;

	flat_build(f->ctx, p, &fp);
	t->has_caps = true;
	t->caps = fp.caps;
	t->ambient = fp.ambient;
	t->caps_where = where_loc(&p->name.loc);
	t->has_settings = true;
	t->where = where_loc(&p->name.loc);
	t->seccomp_where = where_loc(&p->name.loc);
	if (fp.arch_stmt)
		t->arch_where = where_loc(&fp.arch_stmt->loc);
	t->readonly_root = fp.read_only_root;
	/* The IR's default: what a syscall no rule names gets. */
	for (i = 0; t->ir && i < t->ir->n_arches && !t->has_default; i++) {
		t->has_default = true;
		t->default_action = t->ir->arches[i].default_action;
	}
	policy_process(f->ctx, t, &fp);
	policy_limits(f->ctx, t, &fp);
	policy_apparmor(t, &fp);
	policy_fs_net(f->ctx, t, &fp);
	if (!t->root_where)
		t->root_where = where_loc(&p->name.loc);
	flat_free(&fp);
	return 0;
}

/* ---- JSON ---------------------------------------------------------------- */

char *model_as_note(const struct model *t)
{
	const struct scmp_version *v = seccomp_version();

	if (!t->lacking.len)
		return NULL;
	if (t->model == MODEL_AS_PROFILE)
		return xasprintf("%s names syscalls libseccomp %u.%u.%u lacks "
				 "(%s): read as written; the runtimes on this "
				 "host ignore their rules (see --as runtime)",
				 t->name, v->major, v->minor, v->micro,
				 t->lacking.s);
	return xasprintf("%s: the runtimes on this host ignore the rules "
			 "for syscalls their libseccomp %u.%u.%u lacks (%s), "
			 "and so does this reading (--as runtime)", t->name,
			 v->major, v->minor, v->micro, t->lacking.s);
}

/* "CAP_..." names of @set for dockerd's includes/excludes. */
static const char **cap_names(uint64_t set, size_t *n)
{
	const char **v = xcalloc(CAP_COUNT, sizeof(*v));
	int c;

	*n = 0;
	for (c = 0; c < CAP_COUNT; c++)
		if (set & FLAT_CAP_BIT(c))
			v[(*n)++] = xasprintf("CAP_%s", cap_name(c));
	return v;
}

static void cap_names_free(const char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)v[i]);
	free(v);
}

static int compile_json(struct model_file *f, struct model *t,
			const char *file, const struct sj_profile *p,
			enum sj_mode mode, uint64_t caps,
			const struct model_opts *o)
{
	struct leash_loc whole = src_loc(f->src, 0, 0);
	struct diag_scope saved;
	struct sj_opts so = { 0 };
	struct sock_filter *prog = NULL;
	size_t len = 0, n;
	const char **names = cap_names(caps, &n);
	int rc;

	/* As written, defaultErrnoRet counts, as runc, crun and podman
	 * honour it; only dockerd 20.10 drops it. */
	so.mode = o->model == MODEL_AS_PROFILE && mode == SJ_DOCKER ? SJ_PODMAN :
								     mode;
	so.leash_names = o->model == MODEL_AS_PROFILE;
	so.no_enosys_stub = o->model == MODEL_AS_PROFILE;
	so.lacking = &t->lacking;
	t->model = o->model;
	so.caps = names;
	so.n_caps = n;
	/* What runc refuses concerns the whole profile. */
	saved = diag_enter(&f->diag, NULL, NULL, &whole);
	rc = sj_compile(p, &so, &prog, &len, &f->diag);
	diag_leave(&f->diag, saved);
	cap_names_free(names, n);
	if (rc < 0)
		return rc;
	t->sj = p;
	t->sj_file = xstrdup(file);
	if (p->arches.n && p->arches.loc)
		t->arch_where = xasprintf("%s:%d", file, p->arches.loc[0][0]);
	t->has_default = true;
	t->default_action = sj_action_value(p->default_action,
					    p->has_default_errno_ret,
					    p->default_errno_ret);
	return take_filter(&f->diag, t, file, prog, len);
}

static int load_seccomp(struct model_file *f, const char *file,
			const struct model_opts *o)
{
	struct model *t;

	if (sj_parse(f->src, &f->sj, &f->diag) < 0)
		return -EINVAL;
	f->t = xcalloc(1, sizeof(*f->t));
	f->n = 1;
	t = &f->t[0];
	t->kind = MODEL_SECCOMP;
	t->name = xstrdup(file);
	/* A profile alone says nothing about capabilities; the set it is
	 * resolved for is an assumption, shown as such by the callers. */
	t->caps = o->has_caps ? o->caps : caps_docker_default();
	if (f->sj->default_line)
		t->seccomp_where = xasprintf("%s:%d", file,
					     f->sj->default_line);
	return compile_json(f, t, file, f->sj, SJ_DOCKER, t->caps, o);
}

/* ---- where a config says what ------------------------------------------ */

/*
 * oci-read.c keeps values, not where each came from, nor a few fields
 * diff compares (additionalGids, docker inspect's Ulimits, GroupAdd,
 * UTSMode, CgroupnsMode).  The input's JSON tree (jtree.h) holds both:
 * every key with its line.  A document jtree refuses (YAML that
 * oci-read.c accepts) leaves these NULL: no line, and the fields read
 * as unknown.
 */

/* Member @key of @o in any case, as Go (runc, dockerd) and oci-read.c
 * match field names. */
static const struct jt_member *jmem(const struct jt *o, const char *key)
{
	size_t i;

	if (!o || o->kind != JT_OBJ)
		return NULL;
	for (i = 0; i < o->members.n; i++)
		if (o->members.v[i].key &&
		    !strcasecmp(o->members.v[i].key, key))
			return &o->members.v[i];
	return NULL;
}

/* The value of @key, or NULL when absent or null. */
static const struct jt *jget(const struct jt *o, const char *key)
{
	const struct jt_member *m = jmem(o, key);

	return m && m->val && m->val->kind != JT_NULL ? m->val : NULL;
}

static char *jwhere(const char *file, const struct jt_member *m)
{
	return m && m->line ? xasprintf("%s:%u", file, m->line) : NULL;
}

/* Where an object in an array starts: its first key's line. */
static char *jwhere_item(const char *file, const struct jt *v)
{
	if (!v || v->kind != JT_OBJ || !v->members.n)
		return NULL;
	return jwhere(file, &v->members.v[0]);
}

static bool jint(const struct jt *v, int64_t *out)
{
	char *end;
	long long n;

	if (!v || v->kind != JT_NUM || !v->s)
		return false;
	errno = 0;
	n = strtoll(v->s, &end, 10);
	if (errno || *end)
		return false;
	*out = n;
	return true;
}

static bool ignored(const struct oci_container *c, const char *what)
{
	for (size_t i = 0; i < c->ignored.n; i++)
		if (!strcmp(c->ignored.v[i], what))
			return true;
	return false;
}

static void container_user(struct model *t, const char *file,
			   const struct oci_container *c, const struct jt *jc)
{
	const struct jt *user;
	const struct jt_member *m;

	if (c->kind == OCI_KIND_INSPECT) {
		m = jmem(jget(jc, "Config"), "User");
		/* As written: "1000" takes its group from the image. */
		if (c->user && *c->user)
			set_val(&t->proc[MP_USER], MK_SET, xstrdup(c->user),
				jwhere(file, m));
		else
			set_val(&t->proc[MP_USER], MK_UNSET, NULL,
				jwhere(file, m));
		m = jmem(jget(jc, "HostConfig"), "GroupAdd");
		if (m && m->val && m->val->kind == JT_ARR && m->val->items.n) {
			struct strbuf sb = { 0 };

			for (size_t i = 0; i < m->val->items.n; i++) {
				const struct jt *g = m->val->items.v[i];

				sb_printf(&sb, "%s%s", i ? ", " : "",
					  g->s ? g->s : "?");
			}
			set_val(&t->proc[MP_GROUPS], MK_SET, sb_steal(&sb),
				jwhere(file, m));
		} else {
			set_val(&t->proc[MP_GROUPS], MK_UNSET, NULL,
				jwhere(file, m));
		}
		return;
	}
	m = jmem(jget(jc, "process"), "user");
	if (c->has_user)
		set_val(&t->proc[MP_USER], MK_SET,
			xasprintf("%u:%u", c->uid, c->gid), jwhere(file, m));
	else
		set_val(&t->proc[MP_USER], MK_UNSET, NULL, NULL);
	user = m ? m->val : NULL;
	m = jmem(user, "additionalGids");
	if (m && m->val && m->val->kind == JT_ARR) {
		_cleanup_free_ uint64_t *ids =
			xcalloc(m->val->items.n + 1, sizeof(*ids));
		size_t n = 0;

		for (size_t i = 0; i < m->val->items.n; i++) {
			int64_t v;

			if (jint(m->val->items.v[i], &v) && v >= 0)
				ids[n++] = (uint64_t)v;
		}
		set_val(&t->proc[MP_GROUPS], MK_SET, fmt_ids(ids, n),
			jwhere(file, m));
	} else if (m && m->val && m->val->kind != JT_NULL) {
		set_val(&t->proc[MP_GROUPS], MK_UNKNOWN,
			xstrdup("additionalGids is not a list of ids"),
			jwhere(file, m));
	} else if (!jc && ignored(c, "process.user.additionalGids")) {
		set_val(&t->proc[MP_GROUPS], MK_UNKNOWN,
			xstrdup("additionalGids not read from this input"),
			NULL);
	} else {
		set_val(&t->proc[MP_GROUPS], MK_UNSET, NULL, NULL);
	}
}

/* A user namespace in words: "" for a remapping, else what it is. */
static const char *userns_text(const struct oci_container *c)
{
	if (c->uid_maps_root)
		return "maps uid 0 to host uid 0";
	return c->userns ? "" : "without uidMappings";
}

static void container_ns(struct model *t, const char *file,
			 const struct oci_container *c, const struct jt *jc)
{
	const struct jt_member *list;
	size_t i;

	if (c->kind == OCI_KIND_INSPECT) {
		static const struct {
			int ns;
			const char *key;
		} modes[] = {
			{ MN_NET, "NetworkMode" }, { MN_PID, "PidMode" },
			{ MN_IPC, "IpcMode" }, { MN_UTS, "UTSMode" },
			{ MN_USER, "UsernsMode" },
			{ MN_CGROUP, "CgroupnsMode" },
		};
		const struct jt *hc = jget(jc, "HostConfig");

		for (i = 0; i < MN_COUNT; i++)
			set_val(&t->ns[i], MK_UNSET, NULL, NULL);
		/* Every container gets its own mount namespace. */
		set_val(&t->ns[MN_MOUNT], MK_SET, xstrdup(""), NULL);
		for (i = 0; i < ARRAY_SIZE(modes); i++) {
			const struct jt_member *m = jmem(hc, modes[i].key);
			const char *v = m && m->val && m->val->kind == JT_STR ?
						m->val->s : NULL;
			bool host = v && (!strcmp(v, "host") ||
					  !strncmp(v, "container:", 10));
			bool empty = !v || !*v;
			int k = modes[i].ns;

			if (host)
				set_val(&t->ns[k], MK_UNSET, NULL,
					jwhere(file, m));
			else if (empty && k == MN_USER)
				set_val(&t->ns[k], MK_UNKNOWN,
					xstrdup("docker inspect does not show "
						"dockerd's --userns-remap"),
					jwhere(file, m));
			else if (empty && k == MN_CGROUP)
				set_val(&t->ns[k], MK_UNKNOWN,
					xstrdup("docker inspect does not show "
						"dockerd's default cgroupns "
						"mode (private on cgroup v2, "
						"host on v1)"),
					jwhere(file, m));
			else
				set_val(&t->ns[k], MK_SET, xstrdup(""),
					jwhere(file, m));
		}
		/* oci-read.c read these: they win over the tree. */
		if (!c->has_netns)
			set_val(&t->ns[MN_NET], MK_UNSET, NULL,
				dup_or_null(t->ns[MN_NET].where));
		if (!c->has_pidns)
			set_val(&t->ns[MN_PID], MK_UNSET, NULL,
				dup_or_null(t->ns[MN_PID].where));
		if (!c->has_ipcns)
			set_val(&t->ns[MN_IPC], MK_UNSET, NULL,
				dup_or_null(t->ns[MN_IPC].where));
		return;
	}
	list = jmem(jget(jc, "linux"), "namespaces");
	for (i = 0; i < MN_COUNT; i++)
		set_val(&t->ns[i], MK_UNSET, NULL,
			list ? jwhere(file, list) : where_oci(file, c->ns_loc));
	if (list && list->val && list->val->kind == JT_ARR) {
		for (i = 0; i < list->val->items.n; i++) {
			const struct jt *e = list->val->items.v[i];
			const struct jt *type = jget(e, "type");
			int k = type && type->kind == JT_STR ?
					ns_by_name(type->s) : -1;

			if (k >= 0 && t->ns[k].known != MK_SET)
				set_val(&t->ns[k], MK_SET, xstrdup(""),
					jwhere_item(file, e));
		}
	} else {
		/* What oci-read.c found, without lines. */
		bool has[MN_COUNT] = {
			[MN_NET] = c->has_netns, [MN_PID] = c->has_pidns,
			[MN_IPC] = c->has_ipcns, [MN_UTS] = c->has_utsns,
			[MN_MOUNT] = c->has_mntns,
			[MN_CGROUP] = c->has_cgroupns,
			[MN_USER] = c->userns || c->uid_maps_root,
		};

		for (i = 0; i < MN_COUNT; i++)
			if (has[i])
				set_val(&t->ns[i], MK_SET, xstrdup(""),
					where_oci(file, c->ns_loc));
	}
	if (t->ns[MN_USER].known == MK_SET) {
		free(t->ns[MN_USER].text);
		t->ns[MN_USER].text = xstrdup(userns_text(c));
	}
}

/* docker inspect's HostConfig.Ulimits: [{"Name", "Soft", "Hard"}]. */
static void inspect_ulimits(struct model *t, const char *file,
			    const struct jt *jc)
{
	const struct jt_member *m = jmem(jget(jc, "HostConfig"), "Ulimits");
	const struct jt *v = m ? m->val : NULL;
	size_t i;
	int l;

	/* Those it does not name come from dockerd's --default-ulimit,
	 * which inspect does not show. */
	for (l = 0; l < FL_COUNT; l++)
		if (flat_limit_info((enum flat_limit)l)->resource >= 0)
			set_val(&t->limits[l], MK_UNKNOWN,
				xstrdup("docker inspect does not show "
					"dockerd's --default-ulimit"), NULL);
	for (i = 0; v && v->kind == JT_ARR && i < v->items.n; i++) {
		const struct jt *e = v->items.v[i], *name = jget(e, "Name");
		int64_t soft = 0, hard = 0;

		if (!name || name->kind != JT_STR)
			continue;
		l = flat_limit_by_name(name->s);
		if (l < 0 ||
		    flat_limit_info((enum flat_limit)l)->resource < 0 ||
		    !jint(jget(e, "Soft"), &soft) ||
		    !jint(jget(e, "Hard"), &hard))
			continue;
		/* Docker and podman write unlimited as -1. */
		set_limit(t, (enum flat_limit)l,
			  soft < 0 ? UINT64_MAX : (uint64_t)soft,
			  hard < 0 ? UINT64_MAX : (uint64_t)hard,
			  jwhere_item(file, e));
	}
}

static void container_limits(struct model *t, const char *file,
			     const struct oci_container *c,
			     const struct jt *jc)
{
	bool inspect = c->kind == OCI_KIND_INSPECT;
	const struct jt *res = jget(jget(jc, "linux"), "resources");
	const struct jt *hc = jget(jc, "HostConfig");
	const struct jt_member *cpu = inspect ? jmem(hc, "NanoCpus") :
						jmem(res, "cpu");
	int64_t nano = 0;
	size_t i;
	int l;

	for (l = 0; l < FL_COUNT; l++)
		set_val(&t->limits[l], MK_UNSET, NULL, NULL);
	if (c->memory > 0)
		set_limit(t, FL_MEMORY, (uint64_t)c->memory,
			  (uint64_t)c->memory, where_oci(file, c->memory_loc));
	if (c->pids > 0)
		set_limit(t, FL_PIDS, (uint64_t)c->pids, (uint64_t)c->pids,
			  where_oci(file, c->pids_loc));
	if (c->cpus > 0) {
		/* Rounded to the thousandth: leash has no finer cpus. */
		double m = c->cpus * 1000.0 + 0.5;
		uint64_t v = m >= 18446744073709551615.0 ? UINT64_MAX :
							    (uint64_t)m;

		/* dockerd takes NanoCpus, else CpuQuota / CpuPeriod. */
		if (inspect && !(cpu && jint(cpu->val, &nano) && nano > 0))
			cpu = jmem(hc, "CpuQuota");
		set_limit(t, FL_CPUS, v, v, jwhere(file, cpu));
	}
	t->memory_limit = c->memory > 0;
	t->pids_limit = c->pids > 0;
	if (inspect) {
		inspect_ulimits(t, file, jc);
		return;
	}
	for (i = 0; i < c->rlimits.n; i++) {
		const struct oci_rlimit *r = &c->rlimits.v[i];
		const struct jt *items = jget(jget(jc, "process"), "rlimits");

		for (l = 0; l < FL_COUNT; l++) {
			const char *oci = flat_limit_info((enum flat_limit)l)
						  ->oci_name;

			if (!oci || strcasecmp(oci, r->type))
				continue;
			set_limit(t, (enum flat_limit)l, r->soft, r->hard,
				  items && items->kind == JT_ARR &&
						  i < items->items.n ?
					  jwhere_item(file, items->items.v[i]) :
					  NULL);
		}
	}
}

static int load_container(struct model_file *f, struct model *t,
			  const char *file, const struct oci_container *c,
			  const struct jt *jc, const struct model_opts *o)
{
	bool inspect = c->kind == OCI_KIND_INSPECT;
	const struct jt *lx = jget(jc, "linux");
	size_t i;
	int rc;

	t->kind = inspect ? MODEL_INSPECT : MODEL_CONFIG;
	t->oc = c;
	t->name = c->name ? xasprintf("%s[%s]", file, c->name) :
			    xstrdup(file);
	t->has_caps = c->has_caps;
	t->caps = c->cap_bounding | c->cap_permitted | c->cap_effective;
	t->ambient = c->cap_ambient;
	t->caps_where = where_oci(file, c->caps_loc);
	t->has_settings = true;
	t->privileged = c->privileged;
	t->nonroot = c->has_user && c->uid != 0;
	t->nnp = c->no_new_privileges;
	t->nnp_where = where_oci(file, c->nnp_loc);
	t->readonly_root = c->readonly_root;
	t->root_where = where_oci(file, c->readonly_loc);
	t->userns = c->userns && !c->uid_maps_root;
	t->userns_unknown = inspect && !c->userns;
	t->apparmor = c->apparmor_profile && *c->apparmor_profile &&
		      strcmp(c->apparmor_profile, "unconfined") != 0;
	t->apparmor_where = where_oci(file, c->apparmor_loc);
	t->seccomp_where = where_oci(file, c->seccomp_loc);

	container_user(t, file, c, jc);
	set_val(&t->proc[MP_NNP], MK_SET, xstrdup(t->nnp ? "on" : "off"),
		where_oci(file, c->nnp_loc));
	if (inspect)
		set_val(&t->proc[MP_PRIVILEGED], MK_SET,
			xstrdup(c->privileged ? "on" : "off"),
			jwhere(file, jmem(jget(jc, "HostConfig"),
					  "Privileged")));
	container_ns(t, file, c, jc);
	container_limits(t, file, c, jc);
	if (c->apparmor_profile)
		set_val(&t->aa[MA_PROFILE], MK_SET,
			xstrdup(c->apparmor_profile),
			where_oci(file, c->apparmor_loc));
	else
		set_val(&t->aa[MA_PROFILE], MK_UNSET, NULL, NULL);

	for (i = 0; i < c->masked_paths.n; i++)
		add_stmt(&t->fs, xasprintf("mask \"%s\";",
					   c->masked_paths.v[i]),
			 inspect ? jwhere(file, jmem(jget(jc, "HostConfig"),
						     "MaskedPaths")) :
				   jwhere(file, jmem(lx, "maskedPaths")));
	for (i = 0; i < c->readonly_paths.n; i++)
		add_stmt(&t->fs, xasprintf("readonly \"%s\";",
					   c->readonly_paths.v[i]),
			 inspect ? jwhere(file, jmem(jget(jc, "HostConfig"),
						     "ReadonlyPaths")) :
				   jwhere(file, jmem(lx, "readonlyPaths")));
	if (c->readonly_root)
		add_stmt(&t->fs, xstrdup("read_only_root;"),
			 where_oci(file, c->readonly_loc));
	switch (c->seccomp_kind) {
	case OCI_SECCOMP_PROFILE:
		rc = compile_json(f, t, file, c->seccomp,
				  inspect ? SJ_DOCKER : SJ_RUNC, t->caps, o);
		/* 'docker inspect' holds the profile as a string: its line
		 * numbers would not point into this file. */
		if (inspect)
			t->sj = NULL;
		return rc;
	case OCI_SECCOMP_DEFAULT:
		t->seccomp = MODEL_SC_UNSEEN;
		return 0;
	case OCI_SECCOMP_NONE:
	default:
		t->seccomp = MODEL_SC_NONE;
		return 0;
	}
}

static int load_json(struct model_file *f, const char *file,
		     const struct model_opts *o)
{
	struct jt *tree = NULL;
	struct diag quiet;
	size_t i;
	int rc;

	switch (oci_detect(f->src)) {
	case OCI_KIND_SECCOMP:
		return load_seccomp(f, file, o);
	case OCI_KIND_CONFIG:
	case OCI_KIND_INSPECT:
		break;
	case OCI_KIND_UNKNOWN:
	default:
		/* oci_read() says what it is not, at the place. */
		oci_read(f->src, &f->doc, &f->diag);
		return -EINVAL;
	}
	if (oci_read(f->src, &f->doc, &f->diag) < 0)
		return -EINVAL;
	if (f->doc.n == 0) {
		diag_file_error(&f->diag, file, "no container in this input");
		return -EINVAL;
	}
	/* Where each field is (oci-read.c keeps values only); quiet, as
	 * oci_read() has said what is wrong with the input. */
	diag_init(&quiet, NULL);
	if (jt_parse(f->src, &tree, &quiet) < 0)
		tree = NULL;
	diag_fini(&quiet);
	f->t = xcalloc(f->doc.n, sizeof(*f->t));
	for (i = 0, rc = 0; i < f->doc.n && rc == 0; i++) {
		const struct jt *jc = tree;

		if (tree && tree->kind == JT_ARR)
			jc = i < tree->items.n ? tree->items.v[i] : NULL;
		f->n++;
		rc = load_container(f, &f->t[i], file, &f->doc.c[i], jc, o);
	}
	jt_free(tree);
	return rc;
}

/* ---- entry points -------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

int model_load(const char *path, const struct model_opts *o, struct model_file *out)
{
	_cleanup_free_ char *file = xstrdup(path), *buf = NULL;
	const char *policy = NULL;
	struct stat st;
	size_t len = 0, i;
	int rc;

	memset(out, 0, sizeof(*out));
	diag_init(&out->diag, stderr);
	out->label = xstrdup(path);
	if (stat(file, &st) < 0 && strrchr(file, ':')) {
		char *colon = strrchr(file, ':');

		*colon = 0;
		policy = colon + 1;
	}
	if (ends_with(file, ".bpf")) {
		struct sock_filter *prog = NULL;

		rc = bpf_read_raw(file, &prog, &len);
		if (rc < 0) {
			diag_file_error(&out->diag, file,
					"cannot read a raw filter: %s",
					strerror(-rc));
			return rc;
		}
		out->t = xcalloc(1, sizeof(*out->t));
		out->n = 1;
		out->t[0].kind = MODEL_BPF;
		out->t[0].name = xstrdup(file);
		return take_filter(&out->diag, &out->t[0], file, prog, len);
	}
	if (!policy && strcmp(file, "-") != 0) {
		rc = read_file(file, &buf, &len, MAX_INPUT);
		if (rc < 0) {
			diag_file_error(&out->diag, file, "cannot read: %s",
					strerror(-rc));
			return rc;
		}
		for (i = 0; i < len && isspace((unsigned char)buf[i]); i++)
			;
		if (i < len && (buf[i] == '{' || buf[i] == '[')) {
			out->src = src_file_new(file, file, TAKE_PTR(buf),
						len);
			return load_json(out, file, o);
		}
		/* YAML: a Security Profiles Operator SeccompProfile
		 * (scmp-json.c reads its spec). */
		if (ends_with(file, ".yaml") || ends_with(file, ".yml")) {
			out->src = src_file_new(file, file, TAKE_PTR(buf),
						len);
			return load_seccomp(out, file, o);
		}
	}
	return load_policy(out, file, policy, o);
}

static void stmts_free(struct model_stmt_vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].text);
		free(v->v[i].where);
	}
	VEC_FREE(v);
}

static void target_free(struct model *t)
{
	size_t i;

	free(t->name);
	free(t->bpf);
	ir_filter_free(t->ir);
	free(t->sj_file);
	free(t->seccomp_where);
	free(t->arch_where);
	sb_free(&t->lacking);
	free(t->caps_where);
	free(t->where);
	free(t->nnp_where);
	free(t->root_where);
	free(t->apparmor_where);
	stmts_free(&t->fs);
	stmts_free(&t->net);
	stmts_free(&t->aa_raw);
	for (i = 0; i < MP_COUNT; i++)
		set_val(&t->proc[i], MK_NONE, NULL, NULL);
	for (i = 0; i < MN_COUNT; i++)
		set_val(&t->ns[i], MK_NONE, NULL, NULL);
	for (i = 0; i < FL_COUNT; i++)
		set_val(&t->limits[i], MK_NONE, NULL, NULL);
	for (i = 0; i < MA_COUNT; i++)
		set_val(&t->aa[i], MK_NONE, NULL, NULL);
}

void model_file_free(struct model_file *f)
{
	for (size_t i = 0; i < f->n; i++)
		target_free(&f->t[i]);
	free(f->t);
	if (f->ctx) {
		leash_ctx_fini(f->ctx);
		free(f->ctx);
	}
	sj_profile_destroy(&f->sj);
	oci_doc_free(&f->doc);
	src_file_free(f->src);
	diag_fini(&f->diag);
	free(f->label);
	memset(f, 0, sizeof(*f));
}

static char *where_ir(const struct ir_filter *ir, enum leash_arch arch,
		      int64_t nr, const uint64_t args[6])
{
	for (size_t a = 0; a < ir->n_arches; a++) {
		const struct ir_arch *ia = &ir->arches[a];
		size_t lo = 0, hi = ia->n_sys;

		if (ia->arch != arch)
			continue;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (ia->sys[mid].nr < nr)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == ia->n_sys || ia->sys[lo].nr != nr)
			return NULL;
		for (size_t r = 0; r < ia->sys[lo].n_rules; r++) {
			const struct ir_rule *ru = &ia->sys[lo].rules[r];

			if (!ru->cond || ir_cond_eval(ru->cond, args))
				return ru->src ? where_loc(&ru->src->loc) :
				       ru->net_loc ? where_loc(ru->net_loc) :
						     NULL;
		}
	}
	return NULL;
}

char *model_where(const struct model *t, enum leash_arch arch, int64_t nr,
		const uint64_t args[6])
{
	const char *name = syscall_name(arch, nr);

	if (t->ir)
		return where_ir(t->ir, arch, nr, args);
	if (!t->sj || !name)
		return NULL;
	for (size_t i = 0; i < t->sj->n_sys; i++) {
		const struct sj_syscall *s = &t->sj->sys[i];

		if (s->name && !strcmp(s->name, name))
			return xasprintf("%s:%d", t->sj_file, s->line);
		for (size_t j = 0; j < s->names.n; j++)
			if (!strcmp(s->names.v[j], name))
				return xasprintf("%s:%d", t->sj_file,
						 s->names.loc ?
							 s->names.loc[j][0] :
							 s->line);
	}
	return NULL;
}

void model_json_str(struct strbuf *sb, const char *s)
{
	if (!s) {
		sb_puts(sb, "null");
		return;
	}
	sb_json_str(sb, s, strlen(s));
}

/* The last statement of @p or its bases that grants @cap. */
static const struct cap_stmt *cap_source(const struct ast_policy *p, int cap,
					 unsigned depth)
{
	const struct cap_stmt *hit = NULL;
	size_t i, j;

	if (depth > LEASH_MAX_NEST)
		return NULL;
	for (i = p->caps.n; i-- > 0 && !hit;) {
		const struct cap_stmt *c = &p->caps.v[i];
		uint64_t set;

		if (c->kind == CAPS_BASE && c->names.n &&
		    flat_caps_base(c->names.v[0].s, &set) &&
		    (set & FLAT_CAP_BIT(cap)))
			hit = c;
		for (j = 0; c->kind != CAPS_BASE && c->kind != CAPS_DROP &&
			    j < c->names.n; j++)
			if (cap_by_name(c->names.v[j].s) == cap)
				hit = c;
	}
	for (i = p->base_ptrs.n; i-- > 0 && !hit;)
		hit = cap_source(p->base_ptrs.v[i], cap, depth + 1);
	return hit;
}

char *model_cap_where(const struct model *t, int cap)
{
	const struct cap_stmt *c = t->policy ? cap_source(t->policy, cap, 0) :
					       NULL;

	if (c)
		return where_loc(&c->loc);
	return t->caps_where ? xstrdup(t->caps_where) : NULL;
}
