/* SPDX-License-Identifier: MIT */
/*
 * emit-k8s.c - the k8s target (emit-k8s.h): NAME.spo.yaml for the
 * Kubernetes Security Profiles Operator (SPO) and NAME.pod.yaml, the
 * patch that makes a Pod's container use them.
 *
 * SeccompProfile (security-profiles-operator.x-k8s.io/v1, cluster
 * scoped).  SPO writes its spec to the node as
 * <kubelet seccomp root>/operator/NAME.json with Go's encoding/json
 * (api/seccompprofile/v1): the OCI seccomp fields, and nothing else.
 * The spec here is NAME.seccomp.json, read back, with only what the CRD
 * cannot hold handled, each exactly or refused:
 *
 *  - the CRD has no defaultErrnoRet, and the API server prunes unknown
 *    fields: a default errno(EPERM) is what SCMP_ACT_ERRNO means
 *    without it, so it goes; any other default errno is an error (the
 *    runtime would answer EPERM);
 *  - errnoRet is an int32 with omitempty: errno 0 (or trace data 0)
 *    would vanish, and runc then answers EPERM: an error;
 *  - value and valueTwo are int64 with minimum 0: a value of 2^63 or
 *    more cannot be written (a negative two's complement is refused by
 *    the schema, and a larger number is not an int64): an error naming
 *    the syscall.  0 is dropped by omitempty, which is what an absent
 *    value means in OCI;
 *  - Docker's "comment" is not a field: dropped (it means nothing).
 *
 * AppArmorProfile (v1): SPO turns its structured 'abstract' into a
 * profile from a fixed template (crd2armor.go): <abstractions/base>,
 * then per path 'ixr' (allowedExecutables), 'mr' (allowedLibraries),
 * 'r' plus 'deny wlk' (readOnlyPaths), 'wlk' plus 'deny r'
 * (writeOnlyPaths), 'rwlk' (readWritePaths); 'network tcp/udp',
 * '[deny] network raw'; 'capability X'; and its own deny rules for
 * /proc and /sys.  A policy rule goes in only when some union of those
 * says exactly what it says; every other rule is left out with a note
 * naming it (LANGUAGE.md section 8: defence in depth, an error under
 * --strict).
 *
 * The Pod patch ({spec: {securityContext, containers: [{name, ...}]}})
 * merges into a Pod by the container's name.
 */
#include "targets/emit-k8s.h"
#include "targets/emit-apparmor.h"
#include "targets/emit-oci.h"
#include "common/jtree.h"
#include "common/tables.h"
#include "common/yaml-wr.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SPO_API "security-profiles-operator.x-k8s.io/v1"

struct k8s {
	struct leash_ctx *ctx;
	const struct flat_policy *f;
	struct diag *d;
	int rc;
	const char *container;	/* the Pod patch's */
};

static void fail(struct k8s *k, int rc)
{
	if (k->rc == 0)
		k->rc = rc;
}

/* ---- Kubernetes names ----------------------------------------------------- */

/* Why @s is no DNS-1123 subdomain (a cluster object's name), or NULL:
 * dot-separated parts of a-z, 0-9 and '-', each starting and ending
 * with a letter or digit. */
static const char *object_name_problem(const char *s)
{
	size_t i, n = strlen(s);

	if (!n)
		return "is empty";
	if (n > 253)
		return "is longer than 253 characters";
	for (i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		bool edge = i == 0 || i + 1 == n || s[i - 1] == '.' ||
			    s[i + 1] == '.';

		if (!alnum && c != '-' && c != '.')
			return "has a character other than a-z, 0-9, '-' "
			       "and '.'";
		if (!alnum && edge)
			return "must start and end with a-z or 0-9, each "
			       "dot-separated part too";
	}
	return NULL;
}

const char *k8s_container_problem(const char *s)
{
	if (strlen(s) > 63)
		return "is longer than 63 characters";
	if (strchr(s, '.'))
		return "has a '.'";
	return object_name_problem(s);
}

static struct jt *object(const char *kind, const char *name)
{
	struct jt *o = jt_new(JT_OBJ), *m = jt_new(JT_OBJ);

	jt_set(o, "apiVersion", jt_str(SPO_API));
	jt_set(o, "kind", jt_str(kind));
	jt_set(m, "name", jt_str(name));
	jt_set(o, "metadata", m);
	return o;
}

/* ---- SeccompProfile -------------------------------------------------------- */

/* A JSON number as written by emit-json.c: an unsigned decimal. */
static bool num_u64(const struct jt *v, uint64_t *out)
{
	char *end;

	if (!v || v->kind != JT_NUM || !v->s[0] || !isdigit((unsigned char)v->s[0]))
		return false;
	errno = 0;
	*out = strtoull(v->s, &end, 10);
	return errno == 0 && *end == '\0';
}

static const char *first_name(const struct jt *call)
{
	const struct jt *names = jt_get(call, "names");

	if (names && names->kind == JT_ARR && names->items.n &&
	    names->items.v[0]->kind == JT_STR)
		return names->items.v[0]->s;
	return "?";
}

static const struct leash_loc *default_loc(const struct flat_policy *f)
{
	return f->default_stmt ? &f->default_stmt->loc : NULL;
}

/*
 * Where the policy gives syscall @name a rule with action @action (any
 * conditional rule for ANY_COND): the place to point at when the
 * profile's rules for it cannot be carried (the values in a profile
 * come from the disjoint boxes of all its rules, not from one of them).
 * NULL (the policy) when none is found.
 */
#define ANY_COND UINT32_MAX
static const struct leash_loc *rule_loc(const struct ir_filter *f,
					const char *name, uint32_t action)
{
	size_t a, i, r;

	for (a = 0; f && a < f->n_arches; a++) {
		const struct ir_arch *ar = &f->arches[a];

		for (i = 0; i < ar->n_sys; i++) {
			const struct ir_syscall *s = &ar->sys[i];
			const char *n = s->name ? s->name :
					syscall_name(ar->arch, s->nr);

			if (!n || strcmp(n, name))
				continue;
			for (r = 0; r < s->n_rules; r++) {
				const struct ir_rule *rule = &s->rules[r];

				if (action == ANY_COND ? !rule->cond :
				    rule->action != action)
					continue;
				if (rule->src)
					return &rule->src->loc;
				if (rule->net_loc)
					return rule->net_loc;
			}
		}
	}
	return NULL;
}

/* What the CRD cannot hold in one syscalls[] entry (see the top). */
static void check_call(struct k8s *k, const struct ir_filter *f,
		       struct jt *call)
{
	const struct jt *act = jt_get(call, "action");
	const struct jt *args = jt_get(call, "args");
	struct jt *ret = jt_get(call, "errnoRet");
	uint64_t v;
	size_t i;

	jt_del(call, "comment");
	if (ret && act && act->kind == JT_STR && num_u64(ret, &v) && v == 0) {
		diag_error(k->d, rule_loc(f, first_name(call),
					  strcmp(act->s, "SCMP_ACT_TRACE") ?
					  IR_RET_ERRNO : IR_RET_TRACE),
			   "'%s' gets %s with %s 0, which a SeccompProfile "
			   "cannot carry: SPO drops an errnoRet of 0, and "
			   "the runtime then uses EPERM (1)", first_name(call),
			   act->s,
			   strcmp(act->s, "SCMP_ACT_TRACE") ? "errno" :
							       "trace data");
		fail(k, -EINVAL);
	}
	for (i = 0; args && args->kind == JT_ARR && i < args->items.n; i++) {
		static const char *const keys[] = { "value", "valueTwo" };
		const struct jt *a = args->items.v[i];
		size_t j;

		for (j = 0; j < ARRAY_SIZE(keys); j++) {
			if (!num_u64(jt_get(a, keys[j]), &v) ||
			    v <= (uint64_t)INT64_MAX)
				continue;
			diag_error(k->d, rule_loc(f, first_name(call),
						  ANY_COND),
				   "a rule for '%s' compares an argument with "
				   "%llu (0x%llx), which a SeccompProfile "
				   "cannot carry: its %s is an int64 of at "
				   "least 0", first_name(call),
				   (unsigned long long)v,
				   (unsigned long long)v, keys[j]);
			fail(k, -EINVAL);
		}
	}
}

static struct jt *seccomp_spec(struct k8s *k, const struct seccomp_out *sc)
{
	struct jt *prof, *calls, *ret;
	uint64_t v;
	size_t i;

	prof = oci_profile_tree(k->d, sc);
	if (!prof) {
		fail(k, -EINVAL);
		return NULL;
	}
	ret = jt_get(prof, "defaultErrnoRet");
	if (ret && num_u64(ret, &v) && v == 1) {
		jt_del(prof, "defaultErrnoRet");
	} else if (ret) {
		diag_error(k->d, default_loc(k->f),
			   "the default errno %s cannot be carried: a "
			   "SeccompProfile has no defaultErrnoRet (the API "
			   "server drops it and the runtime answers EPERM); "
			   "make the default errno(EPERM), or use the json "
			   "or oci target", ret->s);
		fail(k, -EINVAL);
	}
	calls = jt_get(prof, "syscalls");
	for (i = 0; calls && calls->kind == JT_ARR && i < calls->items.n; i++)
		if (calls->items.v[i]->kind == JT_OBJ)
			check_call(k, sc->ir, calls->items.v[i]);
	return prof;
}

/* ---- AppArmorProfile ------------------------------------------------------- */

struct abstract {
	struct jt *exe, *lib, *ro, *wo, *rw;	/* arrays, NULL when empty */
	bool tcp, udp, raw_denied;
};

static void add_path(struct jt **list, const char *path)
{
	if (!*list)
		*list = jt_new(JT_ARR);
	jt_push(*list, jt_str(path));
}

/* The part of a glob before its first special character. */
static size_t literal_prefix(const char *s)
{
	return strcspn(s, "*?[{\\");
}

/* Whether globs @a and @b may match a common path: when neither's
 * literal prefix departs from the other's.  Errs towards "yes". */
static bool may_overlap(const char *a, const char *b)
{
	size_t la = literal_prefix(a), lb = literal_prefix(b);

	return !strncmp(a, b, la < lb ? la : lb);
}

/* Whether an allow rule other than @self grants one of @perms on a path
 * that @path may match. */
static bool other_allow_grants(const struct flat_policy *f,
			       const struct fs_stmt *self, const char *path,
			       const char *perms)
{
	size_t i, j;

	for (i = 0; i < f->n_fs; i++) {
		const struct fs_stmt *s = f->fs[i];

		if (s == self || s->kind != FS_ALLOW || !s->mode.s ||
		    !s->mode.s[strcspn(s->mode.s, perms)])
			continue;
		for (j = 0; j < s->paths.n; j++)
			if (may_overlap(path, s->paths.v[j].s))
				return true;
	}
	return false;
}

/* The AppArmor spelling of @path when SPO's template (which writes it
 * bare, unquoted) reproduces it exactly; NULL otherwise. */
static char *spo_path(const char *path)
{
	char *t = emit_aa_glob(path);
	size_t i, n = strlen(t);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];

		if (!(isalnum(c) || strchr("/._-+*?{}[]^~,", c)) ||
		    (c == ',' && (i + 1 == n || t[i + 1] == ',')))
			break;
	}
	if (!n || i < n || t[0] != '/') {
		free(t);
		return NULL;
	}
	return t;
}

/*
 * One allow rule: which of SPO's path lists say its mode exactly.  SPO
 * gives r with every list but writeOnlyPaths, l and k only with w, and
 * readOnlyPaths / writeOnlyPaths add deny rules, which must not take
 * away what another allow rule grants.
 */
static void fs_allow(struct k8s *k, struct abstract *ab,
		     const struct fs_stmt *s)
{
	const char *mode = s->mode.s ? s->mode.s : "";
	bool r = strchr(mode, 'r'), w = strchr(mode, 'w');
	bool x = strchr(mode, 'x'), m = strchr(mode, 'm');
	bool l = strchr(mode, 'l'), kk = strchr(mode, 'k');
	size_t j;

	for (j = 0; j < s->paths.n; j++) {
		const struct ast_name *p = &s->paths.v[j];
		_cleanup_free_ char *t = spo_path(p->s);
		const char *why = NULL;

		if (!t)
			why = "SPO writes paths unquoted, and this one needs "
			      "quotes or escapes";
		else if ((w || l || kk) && !(w && l && kk))
			why = "SPO grants w only with l and k (rwlk or wlk)";
		else if ((x || m) && !r)
			why = "SPO grants x and m only with r (ixr, mr)";
		else if (w && !r && other_allow_grants(k->f, s, p->s, "r"))
			why = "writeOnlyPaths also denies r, which another "
			      "allow rule grants on paths it may match";
		else if (r && !w && !x && !m &&
			 other_allow_grants(k->f, s, p->s, "wlk"))
			why = "readOnlyPaths also denies w, l and k, which "
			      "another allow rule grants on paths it may "
			      "match";
		if (why) {
			diag_fidelity(k->d, &p->loc,
				      "'allow %s \"%s\"' is left out of the "
				      "AppArmorProfile: %s", mode, p->s, why);
			continue;
		}
		if (w)
			add_path(r ? &ab->rw : &ab->wo, t);
		if (x)
			add_path(&ab->exe, t);
		if (m)
			add_path(&ab->lib, t);
		if (r && !w && !x && !m)
			add_path(&ab->ro, t);
	}
}

static void aa_fs(struct k8s *k, struct abstract *ab)
{
	const struct flat_policy *f = k->f;
	bool allow_list = false;
	size_t i;

	for (i = 0; i < f->n_fs; i++) {
		const struct fs_stmt *s = f->fs[i];

		switch (s->kind) {
		case FS_ALLOW:
			allow_list = allow_list || s->paths.n;
			fs_allow(k, ab, s);
			break;
		case FS_DENY:
		case FS_MASK:
		case FS_READONLY:
			diag_fidelity(k->d, &s->loc,
				      "this %s rule is left out of the "
				      "AppArmorProfile: SPO's abstract form "
				      "has no deny rules",
				      s->kind == FS_DENY ? "deny" :
				      s->kind == FS_MASK ? "mask" :
							   "readonly");
			break;
		default:
			break;
		}
	}
	if (!allow_list)
		diag_fidelity(k->d, &f->policy->name.loc,
			      "the policy has no filesystem allow-list, so "
			      "NAME.apparmor allows every file ('file,'); "
			      "SPO's abstract form cannot say that, and the "
			      "AppArmorProfile allows only what "
			      "<abstractions/base> does");
}

static bool entry_is(const struct net_entry *e, const char *first,
		     const char *second)
{
	return e->first.s && !strcmp(e->first.s, first) &&
	       (second ? e->second.s && !strcmp(e->second.s, second) :
			 !e->second.s);
}

/* Whether some allow entry of the policy is exactly FAMILY TYPE. */
static bool allows(const struct flat_policy *f, const char *family,
		   const char *type)
{
	size_t i, j;

	for (i = 0; i < f->n_net; i++)
		for (j = 0; f->net[i]->kind == NET_RULE && !f->net[i]->deny &&
			    j < f->net[i]->entries.n; j++)
			if (entry_is(&f->net[i]->entries.v[j], family, type))
				return true;
	return false;
}

/*
 * 'network tcp' is inet and inet6 stream sockets, 'network udp' their
 * dgram ones (AppArmor mediates a socket's family and type: the parser
 * turns the protocol into its type), 'deny network raw' every raw
 * socket: an allow entry maps
 * when the policy allows both families of its type, 'deny raw' maps
 * as it is; nothing else does.
 */
static void aa_net(struct k8s *k, struct abstract *ab)
{
	const struct flat_policy *f = k->f;
	bool allow_list = false, none = false;
	size_t i, j;

	ab->tcp = allows(f, "inet", "stream") && allows(f, "inet6", "stream");
	ab->udp = allows(f, "inet", "dgram") && allows(f, "inet6", "dgram");
	for (i = 0; i < f->n_net; i++) {
		const struct net_stmt *s = f->net[i];

		if (s->kind == NET_NONE) {
			none = true;
			diag_fidelity(k->d, &s->loc,
				      "'none' is left out of the "
				      "AppArmorProfile: SPO's abstract form "
				      "cannot allow unix sockets only");
			continue;
		}
		if (s->kind != NET_RULE)
			continue;	/* ports: the Pod patch notes them */
		for (j = 0; j < s->entries.n; j++) {
			const struct net_entry *e = &s->entries.v[j];
			bool mapped;

			if (s->deny) {
				mapped = entry_is(e, "raw", NULL);
				ab->raw_denied |= mapped;
			} else {
				allow_list = true;
				mapped = (ab->tcp &&
					  (entry_is(e, "inet", "stream") ||
					   entry_is(e, "inet6", "stream"))) ||
					 (ab->udp &&
					  (entry_is(e, "inet", "dgram") ||
					   entry_is(e, "inet6", "dgram")));
			}
			if (!mapped)
				diag_fidelity(k->d, &e->loc,
					      "'%s %s%s%s' is left out of the "
					      "AppArmorProfile: SPO's abstract "
					      "form has only tcp, udp (inet "
					      "and inet6 together) and raw",
					      s->deny ? "deny" : "allow",
					      e->first.s ? e->first.s : "",
					      e->second.s ? " " : "",
					      e->second.s ? e->second.s : "");
		}
	}
	if (!allow_list && !none)
		diag_fidelity(k->d, &f->policy->name.loc,
			      "the policy allows every socket ('network,' in "
			      "NAME.apparmor); SPO's abstract form cannot say "
			      "that, and the AppArmorProfile allows only the "
			      "sockets <abstractions/base> does and those "
			      "above");
}

static void aa_settings(struct k8s *k, struct jt *spec)
{
	const struct flat_policy *f = k->f;
	bool complain = false;
	size_t i;

	if (f->aa_template && f->aa_template->values.n &&
	    !strcmp(f->aa_template->values.v[0].s, "none"))
		diag_fidelity(k->d, &f->aa_template->loc,
			      "'template none' does not hold in the "
			      "AppArmorProfile: SPO's template always "
			      "includes <abstractions/base>");
	else
		diag_fidelity(k->d, &f->policy->name.loc,
			      "SPO's template is not docker-default: it has "
			      "no signal and ptrace rules, and its own deny "
			      "rules for /proc and /sys");
	for (i = 0; f->aa_flags && i < f->aa_flags->values.n; i++) {
		const struct ast_name *v = &f->aa_flags->values.v[i];

		if (!strcmp(v->s, "complain"))
			complain = true;
		else if (strcmp(v->s, "attach_disconnected") &&
			 strcmp(v->s, "mediate_deleted"))
			diag_fidelity(k->d, &v->loc,
				      "apparmor flag '%s' is left out: SPO "
				      "sets only enforce or complain mode",
				      v->s);
	}
	for (i = 0; i < f->n_aa_raw; i++)
		diag_fidelity(k->d, &f->aa_raw[i]->loc,
			      "raw apparmor rules are left out: SPO's v1 "
			      "AppArmorProfile has no raw rules");
	jt_set(spec, "mode", jt_str(complain ? "Complain" : "Enforce"));
}

static struct jt *apparmor_spec(struct k8s *k)
{
	struct abstract ab = { 0 };
	struct jt *spec = jt_new(JT_OBJ), *abs = jt_new(JT_OBJ), *o, *a;
	int c;

	aa_fs(k, &ab);
	aa_net(k, &ab);
	if (ab.exe || ab.lib) {
		o = jt_new(JT_OBJ);
		if (ab.exe)
			jt_set(o, "allowedExecutables", ab.exe);
		if (ab.lib)
			jt_set(o, "allowedLibraries", ab.lib);
		jt_set(abs, "executable", o);
	}
	if (ab.ro || ab.wo || ab.rw) {
		o = jt_new(JT_OBJ);
		if (ab.ro)
			jt_set(o, "readOnlyPaths", ab.ro);
		if (ab.wo)
			jt_set(o, "writeOnlyPaths", ab.wo);
		if (ab.rw)
			jt_set(o, "readWritePaths", ab.rw);
		jt_set(abs, "filesystem", o);
	}
	if (ab.tcp || ab.udp || ab.raw_denied) {
		o = jt_new(JT_OBJ);
		if (ab.raw_denied)
			jt_set(o, "allowRaw", jt_bool(false));
		if (ab.tcp || ab.udp) {
			a = jt_new(JT_OBJ);
			if (ab.tcp)
				jt_set(a, "allowTcp", jt_bool(true));
			if (ab.udp)
				jt_set(a, "allowUdp", jt_bool(true));
			jt_set(o, "allowedProtocols", a);
		}
		jt_set(abs, "network", o);
	}
	/* No capability rule at all denies every capability, as in
	 * NAME.apparmor. */
	if (k->f->caps) {
		a = jt_new(JT_ARR);
		for (c = 0; c < CAP_COUNT; c++) {
			_cleanup_free_ char *n = NULL;
			char *q;

			if (!(k->f->caps & FLAT_CAP_BIT(c)))
				continue;
			n = xstrdup(cap_name(c));
			for (q = n; *q; q++)
				*q = (char)tolower((unsigned char)*q);
			jt_push(a, jt_str(n));
		}
		o = jt_new(JT_OBJ);
		jt_set(o, "allowedCapabilities", a);
		jt_set(abs, "capability", o);
	}
	jt_set(spec, "abstract", abs);
	aa_settings(k, spec);
	return spec;
}

static int write_docs(struct k8s *k, const struct jt *const *docs, size_t n,
		      struct strbuf *out)
{
	const char *bad;

	if (yaml_wr_docs(docs, n, out, &bad) < 0)
		return diag_fail(k->d, NULL, -EILSEQ,
				 "'%s' cannot be written in YAML: it is not "
				 "valid UTF-8 text", bad ? bad : "?");
	return 0;
}

int emit_spo(struct leash_ctx *ctx, const struct flat_policy *f,
	     const struct seccomp_out *sc, struct strbuf *out)
{
	struct k8s k = { ctx, f, &ctx->diag, 0, NULL };
	const char *name = f->policy->name.s;
	_cleanup_free_ char *aa_name = emit_aa_profile_name(f);
	_cleanup_jt_ struct jt *sp = NULL, *ap = NULL;
	const char *why;
	struct jt *spec;

	if ((why = object_name_problem(name))) {
		diag_error(k.d, &f->policy->name.loc,
			   "policy name '%s' cannot name a SeccompProfile: "
			   "it %s (a Kubernetes object name)", name, why);
		fail(&k, -EINVAL);
	}
	if ((why = object_name_problem(aa_name))) {
		diag_error(k.d, f->aa_name && f->aa_name->values.n ?
			   &f->aa_name->values.v[0].loc : &f->policy->name.loc,
			   "apparmor profile name '%s' cannot name an "
			   "AppArmorProfile: it %s (a Kubernetes object name)",
			   aa_name, why);
		fail(&k, -EINVAL);
	}
	sp = object("SeccompProfile", name);
	spec = seccomp_spec(&k, sc);
	if (spec)
		jt_set(sp, "spec", spec);
	ap = object("AppArmorProfile", aa_name);
	jt_set(ap, "spec", apparmor_spec(&k));
	if (k.rc < 0)
		return k.rc;
	return write_docs(&k, (const struct jt *const[]){ sp, ap }, 2, out);
}

/* ---- the Pod patch ---------------------------------------------------------- */

static bool eval(struct k8s *k, const struct expr *x, uint64_t *v)
{
	if (x && res_eval_const(k->ctx, x, v))
		return true;
	fail(k, -EINVAL);	/* check.c evaluated it already */
	return false;
}

/* A limit's soft value: bytes, a count, thousandths of a CPU, or
 * UINT64_MAX for 'unlimited'. */
static bool limit(struct k8s *k, enum flat_limit l, uint64_t *out)
{
	const struct limit_stmt *s = k->f->limits[l];

	if (!s)
		return false;
	return flat_limit_value(k->ctx, &s->soft, l, out);
}

static struct jt *resources(struct k8s *k)
{
	struct jt *lim = jt_new(JT_OBJ), *r;
	_cleanup_free_ char *s = NULL;
	uint64_t v;

	/* Quantities are strings: "67108864" bytes, "1500m" CPUs. */
	if (limit(k, FL_MEMORY, &v) && v != UINT64_MAX) {
		s = xasprintf("%llu", (unsigned long long)v);
		jt_set(lim, "memory", jt_str(s));
	}
	if (limit(k, FL_CPUS, &v) && v != UINT64_MAX) {
		free(s);
		s = xasprintf("%llum", (unsigned long long)v);
		jt_set(lim, "cpu", jt_str(s));
	}
	if (!lim->members.n) {
		jt_free(lim);
		return NULL;
	}
	r = jt_new(JT_OBJ);
	jt_set(r, "limits", lim);
	return r;
}

static struct jt *profile_ref(const char *path)
{
	struct jt *o = jt_new(JT_OBJ);

	jt_set(o, "type", jt_str("Localhost"));
	jt_set(o, "localhostProfile", jt_str(path));
	return o;
}

static bool wants_apparmor(const struct flat_policy *f)
{
	return f->aa_name || f->aa_template || f->aa_flags || f->n_aa_raw;
}

static struct jt *capabilities(const struct flat_policy *f)
{
	struct jt *o = jt_new(JT_OBJ), *drop = jt_new(JT_ARR);
	struct jt *add = jt_new(JT_ARR);
	int c;

	jt_push(drop, jt_str("ALL"));
	jt_set(o, "drop", drop);
	for (c = 0; c < CAP_COUNT; c++)
		if (f->caps & FLAT_CAP_BIT(c))
			jt_push(add, jt_str(cap_name(c)));
	if (add->items.n)
		jt_set(o, "add", add);
	else
		jt_free(add);
	return o;
}

static struct jt *container_context(struct k8s *k)
{
	const struct flat_policy *f = k->f;
	struct jt *sc = jt_new(JT_OBJ);
	_cleanup_free_ char *path = xasprintf(K8S_SPO_SECCOMP_DIR "/%s.json",
					      f->policy->name.s);
	uint64_t uid, gid;

	jt_set(sc, "seccompProfile", profile_ref(path));
	if (wants_apparmor(f)) {
		_cleanup_free_ char *aa = emit_aa_profile_name(f);

		jt_set(sc, "appArmorProfile", profile_ref(aa));
		diag_fidelity(k->d, &f->policy->name.loc,
			      "appArmorProfile needs Kubernetes 1.30 or "
			      "later: an older API server drops it, and the "
			      "container runs without the profile (there, the "
			      "annotation container.apparmor.security.beta."
			      "kubernetes.io/%s: localhost/%s says it)",
			      k->container, aa);
	} else {
		diag_fidelity(k->d, &f->policy->name.loc,
			      "the Pod does not use the AppArmorProfile: the "
			      "policy has no apparmor section (as in "
			      "NAME.oci.json, AppArmor is asked for "
			      "explicitly)");
	}
	jt_set(sc, "capabilities", capabilities(f));
	jt_set(sc, "allowPrivilegeEscalation", jt_bool(!flat_nnp_on(f)));
	if (f->read_only_root)
		jt_set(sc, "readOnlyRootFilesystem", jt_bool(true));
	if (f->user && eval(k, f->user->uid, &uid)) {
		gid = uid;
		if (f->user->gid)
			eval(k, f->user->gid, &gid);
		jt_set(sc, "runAsUser", jt_u64(uid));
		jt_set(sc, "runAsGroup", jt_u64(gid));
		if (uid != 0)
			jt_set(sc, "runAsNonRoot", jt_bool(true));
		if (uid != 0 && f->caps)
			diag_fidelity(k->d, &f->user->loc,
				      "the container runs as uid %llu: "
				      "Kubernetes sets no ambient "
				      "capabilities, so the added ones are "
				      "in its bounding and permitted sets "
				      "but not effective",
				      (unsigned long long)uid);
	}
	return sc;
}

/*
 * The pod-level part: 'groups' as supplementalGroups, and for a policy
 * that sets the user or the groups, supplementalGroupsPolicy Strict: by
 * default (Merge) the kubelet adds the groups the image's /etc/group
 * gives the uid, which the policy does not (runc and crun, given
 * additionalGids, set exactly those).
 */
static struct jt *pod_context(struct k8s *k)
{
	const struct proc_stmt *g = k->f->groups, *u = k->f->user;
	struct jt *sc, *a;
	uint64_t v;
	size_t i;

	if (!g && !u)
		return NULL;
	sc = jt_new(JT_OBJ);
	if (g) {
		a = jt_new(JT_ARR);
		for (i = 0; i < g->groups.n; i++)
			if (eval(k, g->groups.v[i], &v))
				jt_push(a, jt_u64(v));
		jt_set(sc, "supplementalGroups", a);
		diag_fidelity(k->d, &g->loc,
			      "supplementalGroups is pod-level: every "
			      "container of the Pod gets these groups");
	}
	jt_set(sc, "supplementalGroupsPolicy", jt_str("Strict"));
	diag_fidelity(k->d, g ? &g->loc : &u->loc,
		      "supplementalGroupsPolicy Strict needs Kubernetes 1.31 "
		      "or later: an older API server drops it, and the "
		      "container also gets the groups the image's /etc/group "
		      "gives its user");
	return sc;
}

/* What a Pod's container cannot say. */
static void pod_notes(struct k8s *k)
{
	const struct flat_policy *f = k->f;
	size_t i;
	int l;

	if (f->limits[FL_PIDS])
		diag_fidelity(k->d, &f->limits[FL_PIDS]->loc,
			      "'pids' is left out: a Pod has no per-container "
			      "pids limit (the kubelet's podPidsLimit is set "
			      "per node)");
	for (l = 0; l < FL_COUNT; l++)
		if (f->limits[l] && flat_limit_info(l)->resource >= 0)
			diag_fidelity(k->d, &f->limits[l]->loc,
				      "rlimit '%s' is left out: a Pod cannot "
				      "set rlimits (the container runtime's "
				      "defaults apply)",
				      flat_limit_info(l)->name);
	for (i = 0; i < f->n_fs; i++)
		if (f->fs[i]->kind == FS_MASK || f->fs[i]->kind == FS_READONLY)
			diag_fidelity(k->d, &f->fs[i]->loc,
				      "'%s' paths are left out of the Pod: it "
				      "has only the runtime's masked and "
				      "read-only paths (procMount Default)",
				      f->fs[i]->kind == FS_MASK ? "mask" :
								  "readonly");
	if (f->namespaces)
		diag_fidelity(k->d, &f->namespaces->loc,
			      "'namespaces' is left out: a Pod's namespaces "
			      "are the kubelet's (hostNetwork, hostPID, "
			      "hostIPC and hostUsers say which are shared)");
	for (i = 0; i < f->n_net; i++) {
		if (f->net[i]->kind == NET_NONE)
			diag_fidelity(k->d, &f->net[i]->loc,
				      "network 'none' is left out of the Pod: "
				      "every Pod has a network namespace with "
				      "its cluster network (a NetworkPolicy "
				      "can isolate it)");
		else if (f->net[i]->kind == NET_PORTS)
			diag_fidelity(k->d, &f->net[i]->loc,
				      "bind/connect port rules are not "
				      "enforced here: only Landlock "
				      "(leash-exec) enforces them");
	}
	if (f->ambient)
		diag_fidelity(k->d, &f->policy->name.loc,
			      "ambient capabilities are left out: a Pod "
			      "cannot set them");
}

int emit_pod(struct leash_ctx *ctx, const struct flat_policy *f,
	     const char *container, struct strbuf *out)
{
	struct k8s k = { ctx, f, &ctx->diag, 0, NULL };
	_cleanup_jt_ struct jt *root = jt_new(JT_OBJ);
	struct jt *spec = jt_new(JT_OBJ), *c = jt_new(JT_OBJ), *list, *v;
	const char *name = container ? container : f->policy->name.s;
	const char *why = k8s_container_problem(name);

	k.container = name;

	/* 'leash compile' checks --container before anything is built. */
	if (why) {
		diag_error(k.d, container ? NULL : &f->policy->name.loc,
			   "%s '%s' cannot name the container: it %s; give "
			   "one with --container", container ? "--container" :
			   "policy name", name, why);
		fail(&k, -EINVAL);
	}
	jt_set(root, "spec", spec);
	if ((v = pod_context(&k)))
		jt_set(spec, "securityContext", v);
	jt_set(c, "name", jt_str(name));
	jt_set(c, "securityContext", container_context(&k));
	if ((v = resources(&k)))
		jt_set(c, "resources", v);
	list = jt_new(JT_ARR);
	jt_push(list, c);
	jt_set(spec, "containers", list);
	pod_notes(&k);
	if (k.rc < 0)
		return k.rc;
	return write_docs(&k, (const struct jt *const[]){ root }, 1, out);
}
