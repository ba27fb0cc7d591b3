/* SPDX-License-Identifier: MIT */
/*
 * target.c - load a policy, a seccomp profile, a raw filter, an OCI
 * config or 'docker inspect' output into struct model (target.h).
 */
#include "interop/model.h"
#include "seccomp/bpf.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_INPUT (16u << 20)

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

/* A statement's source text up to its ';', whitespace collapsed and
 * comments cut. */
static char *stmt_text(const struct leash_loc *l)
{
	const struct src_file *f = l->file;
	struct strbuf sb = { 0 };
	size_t off = 0;
	int line = 1;
	bool space = false, comment = false, quoted = false;

	if (!f || !f->buf)
		return xstrdup("?");
	while (off < f->len && line < l->first_line)
		if (f->buf[off++] == '\n')
			line++;
	off += (size_t)(l->first_column > 0 ? l->first_column - 1 : 0);
	for (; off < f->len && line <= l->last_line; off++) {
		char c = f->buf[off];

		if (c == '\n') {
			line++;
			comment = false;
		}
		if (c == '#' && !quoted)
			comment = true;
		if (comment)
			continue;
		if (isspace((unsigned char)c) && !quoted) {
			space = sb.len > 0;
			continue;
		}
		if (space)
			sb_putc(&sb, ' ');
		space = false;
		sb_putc(&sb, c);
		if (c == '"')
			quoted = !quoted;
		if (c == ';' && !quoted)
			break;
	}
	if (!sb.s)
		return xstrdup("?");
	return sb_steal(&sb);
}

static void add_stmt(struct model_stmt_vec *v, char *text, char *where)
{
	struct model_stmt s = { text, where };

	VEC_PUSH(v, s);
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

static bool limited(const struct limit_stmt *l)
{
	return l && l->soft.kind != LV_UNLIMITED;
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
	t->nnp = !fp.nnp || !fp.nnp->nnp_value.s ||
		 strcmp(fp.nnp->nnp_value.s, "off") != 0;
	t->nnp_where = where_loc(fp.nnp ? &fp.nnp->loc : &p->name.loc);
	t->readonly_root = fp.read_only_root;
	t->root_where = where_loc(&p->name.loc);
	t->memory_limit = limited(fp.limits[FL_MEMORY]);
	t->pids_limit = limited(fp.limits[FL_PIDS]);
	t->limits_where = where_loc(&p->name.loc);
	/* leash compiles an AppArmor profile for every policy. */
	t->apparmor = true;
	if (fp.user && fp.user->uid) {
		uint64_t uid = 0;

		t->nonroot = res_eval_const(f->ctx, fp.user->uid, &uid) &&
			     uid != 0;
	}
	for (i = 0; fp.namespaces && i < fp.namespaces->namespaces.n; i++)
		if (!strcmp(fp.namespaces->namespaces.v[i].s, "user"))
			t->userns = true;
	if (fp.read_only_root)
		add_stmt(&t->fs, xstrdup("read_only_root;"), NULL);
	for (i = 0; i < fp.n_fs; i++)
		add_stmt(&t->fs, stmt_text(&fp.fs[i]->loc),
			 where_loc(&fp.fs[i]->loc));
	for (i = 0; i < fp.n_net; i++)
		add_stmt(&t->net, stmt_text(&fp.net[i]->loc),
			 where_loc(&fp.net[i]->loc));
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
	return compile_json(f, t, file, f->sj, SJ_DOCKER, t->caps, o);
}

static int load_container(struct model_file *f, struct model *t,
			  const char *file, const struct oci_container *c,
			  const struct model_opts *o)
{
	size_t i;
	int rc;

	t->kind = c->kind == OCI_KIND_INSPECT ? MODEL_INSPECT : MODEL_CONFIG;
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
	t->memory_limit = c->memory > 0;
	t->pids_limit = c->pids > 0;
	t->limits_where = where_oci(file, c->memory_loc);
	t->userns = c->userns && !c->uid_maps_root;
	t->userns_unknown = c->kind == OCI_KIND_INSPECT && !c->userns;
	t->apparmor = c->apparmor_profile && *c->apparmor_profile &&
		      strcmp(c->apparmor_profile, "unconfined") != 0;
	t->apparmor_where = where_oci(file, c->apparmor_loc);
	for (i = 0; i < c->masked_paths.n; i++)
		add_stmt(&t->fs, xasprintf("mask \"%s\";",
					   c->masked_paths.v[i]), NULL);
	for (i = 0; i < c->readonly_paths.n; i++)
		add_stmt(&t->fs, xasprintf("readonly \"%s\";",
					   c->readonly_paths.v[i]), NULL);
	if (c->readonly_root)
		add_stmt(&t->fs, xstrdup("read_only_root;"), NULL);
	if (!c->has_netns)
		add_stmt(&t->net, xstrdup("host network namespace"), NULL);
	switch (c->seccomp_kind) {
	case OCI_SECCOMP_PROFILE:
		rc = compile_json(f, t, file, c->seccomp,
				  c->kind == OCI_KIND_INSPECT ? SJ_DOCKER :
								SJ_RUNC,
				  t->caps, o);
		/* 'docker inspect' holds the profile as a string: its line
		 * numbers would not point into this file. */
		if (c->kind == OCI_KIND_INSPECT)
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
	f->t = xcalloc(f->doc.n, sizeof(*f->t));
	for (i = 0; i < f->doc.n; i++) {
		f->n++;
		rc = load_container(f, &f->t[i], file, &f->doc.c[i], o);
		if (rc < 0)
			return rc;
	}
	return 0;
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
	}
	return load_policy(out, file, policy, o);
}

static void target_free(struct model *t)
{
	size_t i;

	free(t->name);
	free(t->bpf);
	ir_filter_free(t->ir);
	free(t->sj_file);
	sb_free(&t->lacking);
	free(t->caps_where);
	free(t->nnp_where);
	free(t->root_where);
	free(t->limits_where);
	free(t->apparmor_where);
	for (i = 0; i < t->fs.n; i++) {
		free(t->fs.v[i].text);
		free(t->fs.v[i].where);
	}
	for (i = 0; i < t->net.n; i++) {
		free(t->net.v[i].text);
		free(t->net.v[i].where);
	}
	VEC_FREE(&t->fs);
	VEC_FREE(&t->net);
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
