/* SPDX-License-Identifier: MIT */
/*
 * emit-oci.c - NAME.oci.json, an OCI runtime-spec config fragment for
 * 'leash oci-merge' (runc, crun), and NAME.docker and NAME.podman, the
 * same settings as `docker run` / `podman run` flags, one per line.
 *
 * All read the flat policy (policy.h); the fragment's linux.seccomp is
 * NAME.seccomp.json turned into the runtime-spec form.  Rules that decide
 * what goes in, beyond the one-to-one settings:
 *
 *  - process.apparmorProfile and --security-opt=apparmor= appear only
 *    when the policy (or a base) has an 'apparmor' section: runc and
 *    crun refuse to start a container whose profile the kernel cannot
 *    load, so asking for AppArmor must be explicit.  The name is the
 *    section's 'name', else "leash-" + the policy name (docs/language.md 7).
 *  - noNewPrivileges is on unless 'no_new_privileges off'.
 *  - 'user UID' without a group runs with GID = UID in both (OCI needs
 *    a gid; group 0 would hand the process root's group).
 *  - root.readonly / --read-only only for read_only_root: a config's own
 *    readonly (runc spec sets it) is never turned off.
 *  - maskedPaths / readonlyPaths, when the policy names any, are the
 *    usual runtime defaults plus the policy's paths: the merge replaces
 *    arrays, and a policy's mask must not unmask /proc/kcore.
 *  - linux.namespaces, when the policy has 'namespaces' or 'network {
 *    none; }', lists what it unshares (or the runtime defaults pid, ipc,
 *    uts, mount when it only asks for 'none'), always with mount (a
 *    container root needs it) and network for 'none'.  'user' needs
 *    host-specific uid/gid mappings: left out, with a note.
 *    Without uts, "hostname": null drops the config's hostname (the
 *    merge is a JSON Merge Patch), which runtimes refuse to set then.
 *  - an rlimit without a hard value gets hard = soft; 'unlimited' is
 *    RLIM_INFINITY (-1 for docker).
 *  - leash's own filter, NAME.bpf byte for byte, rides along in base64
 *    as the annotation run.oci.seccomp_bpf_data (in the fragment's
 *    "annotations", and as podman's --annotation): crun writes those
 *    bytes to the kernel instead of compiling linux.seccomp, runc
 *    ignores the annotation and compiles linux.seccomp.  Docker 20.10
 *    has no --annotation, so NAME.docker has none.  A policy the JSON
 *    format cannot express gets a linux.seccomp (and, for podman, a
 *    NAME.seccomp.json) that kills the first process
 *    (SCMP_ACT_KILL_PROCESS, no rules): runc fails closed instead of
 *    running it unconfined or under a runtime's default, and a note
 *    says so.
 *
 * What a target cannot enforce (file and network rules, the user
 * namespace, ambient capabilities under docker, ...) becomes a fidelity
 * note; a flag that the shell would split or glob is a located error.
 */
#include "targets/emit-oci.h"
#include "targets/emit-apparmor.h"
#include "common/jtree.h"
#include "common/tables.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CPU_PERIOD 100000	/* microseconds: the CFS default */

/* runc spec's and Docker's defaults (moby oci/defaults.go). */
static const char *const default_masked[] = {
	"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug", "/proc/scsi", "/sys/firmware",
};
static const char *const default_readonly[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
	"/proc/sysrq-trigger",
};

#define BPF_ANNOTATION "run.oci.seccomp_bpf_data"

struct em {
	struct leash_ctx *ctx;
	const struct flat_policy *f;
	struct diag *d;
	bool docker;	/* the flags, not the fragment */
	bool podman;	/* the flags are NAME.podman's */
	int rc;
};

/* Whose command line the flags are for, as notes name it. */
static const char *run_cmd(const struct em *e)
{
	return e->podman ? "podman run" : "docker run";
}

/* @n bytes at @p in standard base64 with padding: what crun's decoder
 * reads back whole (it refuses trailing input it did not consume). */
static char *base64(const void *p, size_t n)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				"abcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *b = p;
	char *out = xmalloc((n + 2) / 3 * 4 + 1), *o = out;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		*o++ = a[b[i] >> 2];
		*o++ = a[((b[i] & 3) << 4) | (b[i + 1] >> 4)];
		*o++ = a[((b[i + 1] & 15) << 2) | (b[i + 2] >> 6)];
		*o++ = a[b[i + 2] & 63];
	}
	if (i < n) {
		*o++ = a[b[i] >> 2];
		if (i + 1 < n) {
			*o++ = a[((b[i] & 3) << 4) | (b[i + 1] >> 4)];
			*o++ = a[(b[i + 1] & 15) << 2];
		} else {
			*o++ = a[(b[i] & 3) << 4];
			*o++ = '=';
		}
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

/* NAME.bpf's bytes, as the annotation's value. */
static char *bpf_base64(const struct seccomp_out *sc)
{
	return base64(sc->bpf, sc->bpf_len * sizeof(*sc->bpf));
}

/* ---- reading the flat policy --------------------------------------------- */

static bool eval(struct em *e, const struct expr *x, uint64_t *v)
{
	if (x && res_eval_const(e->ctx, x, v))
		return true;
	/* check.c evaluated it already: only a bug gets here. */
	e->rc = -EINVAL;
	return false;
}

/* One limit value (flat_limit_value()); 0 and e->rc set if unreadable. */
static uint64_t limit_value(struct em *e, const struct limit_value *lv,
			    enum flat_limit l)
{
	uint64_t v = 0;

	if (!flat_limit_value(e->ctx, lv, l, &v))
		e->rc = -EINVAL;
	return v;
}

static bool get_limit(struct em *e, enum flat_limit l, uint64_t *soft,
		      uint64_t *hard)
{
	const struct limit_stmt *s = e->f->limits[l];

	if (!s)
		return false;
	*soft = limit_value(e, &s->soft, l);
	*hard = s->has_hard ? limit_value(e, &s->hard, l) : *soft;
	return true;
}

static bool wants_apparmor(const struct flat_policy *f)
{
	return f->aa_name || f->aa_template || f->aa_flags || f->n_aa_raw;
}

/* The profile name (the AppArmor target's), and where it was asked for. */
static char *apparmor_name(const struct flat_policy *f,
			   const struct leash_loc **loc)
{
	*loc = f->aa_name ? &f->aa_name->loc :
	       f->aa_template ? &f->aa_template->loc :
	       f->aa_flags ? &f->aa_flags->loc :
	       f->n_aa_raw ? &f->aa_raw[0]->loc : NULL;
	if (f->aa_name && f->aa_name->values.n)
		*loc = &f->aa_name->values.v[0].loc;
	return emit_aa_profile_name(f);
}

static bool has_namespace(const struct flat_policy *f, const char *ns)
{
	size_t i;

	for (i = 0; f->namespaces && i < f->namespaces->namespaces.n; i++)
		if (!strcmp(f->namespaces->namespaces.v[i].s, ns))
			return true;
	return false;
}

static const struct net_stmt *net_none(const struct flat_policy *f)
{
	size_t i;

	for (i = 0; i < f->n_net; i++)
		if (f->net[i]->kind == NET_NONE)
			return f->net[i];
	return NULL;
}

static bool user_ids(struct em *e, uint64_t *uid, uint64_t *gid)
{
	const struct proc_stmt *u = e->f->user;

	if (!u || !eval(e, u->uid, uid))
		return false;
	*gid = *uid;
	return !u->gid || eval(e, u->gid, gid);
}

/*
 * Notes that both targets share: what neither an OCI config nor docker
 * flags can say about files and the network.
 */
static void common_notes(struct em *e)
{
	const struct fs_stmt *fs_rule = NULL;
	const struct net_stmt *ports = NULL;
	size_t i, n_fs = 0;

	for (i = 0; i < e->f->n_fs; i++) {
		if (e->f->fs[i]->kind != FS_ALLOW &&
		    e->f->fs[i]->kind != FS_DENY)
			continue;
		fs_rule = fs_rule ? fs_rule : e->f->fs[i];
		n_fs++;
	}
	if (fs_rule)
		diag_fidelity(e->d, &fs_rule->loc,
			      "%zu filesystem allow/deny rule%s not enforced: "
			      "%s has no file rules; only AppArmor "
			      "(NAME.apparmor) and Landlock (leash-exec) "
			      "enforce them",
			      n_fs, n_fs == 1 ? " is" : "s are",
			      e->docker ? run_cmd(e) : "an OCI config");
	/* Families and types hold in the embedded seccomp profile
	 * (seccomp/net-gate.c); ports have no place but Landlock. */
	for (i = 0; i < e->f->n_net; i++)
		if (e->f->net[i]->kind == NET_PORTS && !ports)
			ports = e->f->net[i];
	if (ports)
		diag_fidelity(e->d, &ports->loc,
			      "bind/connect port rules are not enforced here: "
			      "only Landlock (leash-exec) enforces them");
}

/* ---- the fragment -------------------------------------------------------- */

static struct jt *caps_array(uint64_t set)
{
	struct jt *a = jt_new(JT_ARR);
	int c;

	for (c = 0; c < CAP_COUNT; c++) {
		_cleanup_free_ char *n = NULL;

		if (!(set & FLAT_CAP_BIT(c)))
			continue;
		n = xasprintf("CAP_%s", cap_name(c));
		jt_push(a, jt_str(n));
	}
	return a;
}

static struct jt *oci_capabilities(const struct flat_policy *f)
{
	struct jt *o = jt_new(JT_OBJ);

	jt_set(o, "bounding", caps_array(f->caps));
	jt_set(o, "effective", caps_array(f->caps));
	jt_set(o, "permitted", caps_array(f->caps));
	jt_set(o, "inheritable", caps_array(f->ambient));
	jt_set(o, "ambient", caps_array(f->ambient));
	return o;
}

static struct jt *oci_rlimits(struct em *e)
{
	struct jt *a = NULL;
	int l;

	for (l = 0; l < FL_COUNT; l++) {
		const struct flat_limit_info *li = flat_limit_info(l);
		uint64_t soft, hard;
		struct jt *r;

		if (li->resource < 0 || !get_limit(e, l, &soft, &hard))
			continue;
		r = jt_new(JT_OBJ);
		jt_set(r, "type", jt_str(li->oci_name));
		jt_set(r, "hard", jt_u64(hard));
		jt_set(r, "soft", jt_u64(soft));
		if (!a)
			a = jt_new(JT_ARR);
		jt_push(a, r);
	}
	return a;
}

static void oci_process(struct em *e, struct jt *root)
{
	const struct flat_policy *f = e->f;
	struct jt *p = jt_new(JT_OBJ), *v;
	uint64_t uid = 0, gid = 0, g;
	size_t i;

	jt_set(root, "process", p);
	jt_set(p, "noNewPrivileges", jt_bool(flat_nnp_on(f)));
	jt_set(p, "capabilities", oci_capabilities(f));
	if (user_ids(e, &uid, &gid) || f->groups) {
		v = jt_new(JT_OBJ);
		jt_set(p, "user", v);
		if (f->user) {
			jt_set(v, "uid", jt_u64(uid));
			jt_set(v, "gid", jt_u64(gid));
		}
		if (f->groups) {
			struct jt *a = jt_new(JT_ARR);

			for (i = 0; i < f->groups->groups.n; i++)
				if (eval(e, f->groups->groups.v[i], &g))
					jt_push(a, jt_u64(g));
			jt_set(v, "additionalGids", a);
		}
	}
	v = oci_rlimits(e);
	if (v)
		jt_set(p, "rlimits", v);
	if (wants_apparmor(f)) {
		const struct leash_loc *loc;
		_cleanup_free_ char *name = apparmor_name(f, &loc);

		jt_set(p, "apparmorProfile", jt_str(name));
		diag_fidelity(e->d, loc,
			      "process.apparmorProfile is '%s' because the "
			      "policy has an apparmor section: runc and crun "
			      "refuse to start the container unless the kernel "
			      "has AppArmor and the profile is loaded "
			      "(apparmor_parser -r NAME.apparmor)",
			      name);
	}
}

static void push_unique(struct jt *a, const char *s)
{
	size_t i;

	for (i = 0; i < a->items.n; i++)
		if (!strcmp(a->items.v[i]->s, s))
			return;
	jt_push(a, jt_str(s));
}

static struct jt *oci_paths(struct em *e, enum fs_kind kind,
			    const char *const *defaults, size_t n_defaults)
{
	struct jt *a = NULL;
	size_t i, k;

	for (i = 0; i < e->f->n_fs; i++) {
		const struct fs_stmt *s = e->f->fs[i];

		if (s->kind != kind)
			continue;
		if (!a) {
			a = jt_new(JT_ARR);
			for (k = 0; k < n_defaults; k++)
				jt_push(a, jt_str(defaults[k]));
		}
		/* check.c refuses globs here: these are literal paths. */
		for (k = 0; k < s->paths.n; k++)
			push_unique(a, s->paths.v[k].s);
	}
	return a;
}

static struct jt *ns_entry(const char *type)
{
	struct jt *o = jt_new(JT_OBJ);

	jt_set(o, "type", jt_str(type));
	return o;
}

static bool has_ns_entry(const struct jt *a, const char *type)
{
	size_t i;

	for (i = 0; i < a->items.n; i++)
		if (!strcmp(jt_get(a->items.v[i], "type")->s, type))
			return true;
	return false;
}

static struct jt *oci_namespaces(struct em *e)
{
	static const char *const defaults[] = { "pid", "ipc", "uts", "mount" };
	const struct flat_policy *f = e->f;
	const struct proc_stmt *ns = f->namespaces;
	bool none = net_none(f) != NULL;
	struct jt *a;
	size_t i;

	if (!ns && !none)
		return NULL;
	a = jt_new(JT_ARR);
	if (!ns)
		for (i = 0; i < ARRAY_SIZE(defaults); i++)
			jt_push(a, ns_entry(defaults[i]));
	for (i = 0; ns && i < ns->namespaces.n; i++) {
		const struct ast_name *n = &ns->namespaces.v[i];

		if (!strcmp(n->s, "user")) {
			diag_fidelity(e->d, &n->loc,
				      "namespace 'user' is left out of "
				      "linux.namespaces: it needs uidMappings "
				      "and gidMappings, which depend on the "
				      "host; add them with leash oci-merge");
			continue;
		}
		jt_push(a, ns_entry(!strcmp(n->s, "net") ? "network" : n->s));
	}
	if (!has_ns_entry(a, "mount"))
		jt_push(a, ns_entry("mount"));
	if (none && !has_ns_entry(a, "network"))
		jt_push(a, ns_entry("network"));
	return a;
}

static struct jt *oci_resources(struct em *e)
{
	struct jt *r = jt_new(JT_OBJ), *o;
	uint64_t v, h;

	if (get_limit(e, FL_MEMORY, &v, &h)) {
		o = jt_new(JT_OBJ);
		jt_set(o, "limit", jt_u64(v));
		jt_set(r, "memory", o);
	}
	if (get_limit(e, FL_CPUS, &v, &h)) {
		o = jt_new(JT_OBJ);
		/* check.c bounds cpus to UINT64_MAX / 1000 thousandths. */
		if (v > UINT64_MAX / (CPU_PERIOD / 1000))
			v = UINT64_MAX / (CPU_PERIOD / 1000);
		jt_set(o, "quota", jt_u64(v * (CPU_PERIOD / 1000)));
		jt_set(o, "period", jt_u64(CPU_PERIOD));
		jt_set(r, "cpu", o);
	}
	if (get_limit(e, FL_PIDS, &v, &h)) {
		o = jt_new(JT_OBJ);
		jt_set(o, "limit", jt_u64(v));
		jt_set(r, "pids", o);
	}
	if (!r->members.n)
		jt_freep(&r);
	return r;
}

/*
 * The profile of a policy the JSON format cannot express: every call
 * kills the process.  runc, which ignores the annotation, loads this
 * and its own init dies at its next call, so the container never
 * starts; crun loads the annotation and never looks at the rules.
 * "syscalls" and "architectures" are written, empty, because the merge
 * replaces arrays whole: a config's own rules must not survive under
 * this default.
 */
static struct jt *closed_profile(void)
{
	struct jt *out = jt_new(JT_OBJ);

	jt_set(out, "defaultAction", jt_str("SCMP_ACT_KILL_PROCESS"));
	jt_set(out, "architectures", jt_new(JT_ARR));
	jt_set(out, "flags", jt_new(JT_ARR));
	jt_set(out, "syscalls", jt_new(JT_ARR));
	return out;
}

static struct jt *oci_seccomp_closed(struct em *e, const char *why)
{
	diag_fidelity(e->d, NULL,
		      "runc cannot take this filter: the JSON profile it "
		      "compiles cannot express it (%s); linux.seccomp kills "
		      "the container's first process instead "
		      "(SCMP_ACT_KILL_PROCESS, no rules), so under runc it "
		      "never starts, and only crun, which loads NAME.bpf from "
		      "the annotation " BPF_ANNOTATION ", runs it",
		      why);
	return closed_profile();
}

/*
 * NAME.seccomp.json in the runtime-spec form: the same fields without
 * Docker's "comment", and an explicit empty "flags" (no logging, no
 * speculation opt-out).
 */
struct jt *oci_profile_tree(struct diag *d, const struct seccomp_out *sc)
{
	struct jt *prof = NULL;
	struct src_file *src;
	struct diag inner;	/* only a bug gets an error here */
	int rc = -EINVAL;

	diag_init(&inner, NULL);
	src = sc->json.s ? src_file_copy("<profile>", sc->json.s,
					 sc->json.len) : NULL;
	if (src)
		rc = jt_parse(src, &prof, &inner);
	if (rc < 0 || prof->kind != JT_OBJ) {
		diag_error(d, NULL, "cannot read the seccomp profile: %s",
			   diag_first_error(&inner) ?
			   diag_first_error(&inner) : "no profile");
		jt_freep(&prof);
	}
	diag_fini(&inner);
	src_file_free(src);
	return prof;
}

static struct jt *oci_seccomp(struct em *e, const struct seccomp_out *sc)
{
	_cleanup_jt_ struct jt *prof = NULL;
	struct jt *out, *calls;
	size_t i;

	if (!sc->json.s && sc->json_refused)
		return oci_seccomp_closed(e, sc->json_refused);
	prof = oci_profile_tree(e->d, sc);
	if (!prof) {
		e->rc = -EINVAL;
		return NULL;
	}
	calls = jt_get(prof, "syscalls");
	for (i = 0; calls && calls->kind == JT_ARR && i < calls->items.n; i++)
		if (calls->items.v[i]->kind == JT_OBJ)
			jt_del(calls->items.v[i], "comment");
	out = jt_new(JT_OBJ);
	for (i = 0; i < prof->members.n; i++) {
		struct jt_member *m = &prof->members.v[i];

		jt_set(out, m->key, TAKE_PTR(m->val));
		if (!strcmp(m->key, "architectures"))
			jt_set(out, "flags", jt_new(JT_ARR));
	}
	return out;
}

int emit_oci(struct leash_ctx *ctx, const struct flat_policy *f,
	     const struct seccomp_out *sc, struct strbuf *out)
{
	struct em e = { ctx, f, &ctx->diag, false, false, 0 };
	_cleanup_jt_ struct jt *root = jt_new(JT_OBJ);
	struct jt *lx = jt_new(JT_OBJ), *v;

	oci_process(&e, root);
	if (f->read_only_root) {
		v = jt_new(JT_OBJ);
		jt_set(v, "readonly", jt_bool(true));
		jt_set(root, "root", v);
	}
	jt_set(root, "linux", lx);
	if ((v = oci_namespaces(&e))) {
		jt_set(lx, "namespaces", v);
		/* runc and crun refuse a hostname (runc spec sets one)
		 * without a UTS namespace: null removes it in the merge. */
		if (!has_ns_entry(v, "uts"))
			jt_set(root, "hostname", jt_new(JT_NULL));
	}
	if ((v = oci_paths(&e, FS_MASK, default_masked,
			   ARRAY_SIZE(default_masked))))
		jt_set(lx, "maskedPaths", v);
	if ((v = oci_paths(&e, FS_READONLY, default_readonly,
			   ARRAY_SIZE(default_readonly))))
		jt_set(lx, "readonlyPaths", v);
	if ((v = oci_resources(&e)))
		jt_set(lx, "resources", v);
	if ((v = oci_seccomp(&e, sc)))
		jt_set(lx, "seccomp", v);
	if (sc->bpf) {
		_cleanup_free_ char *b64 = bpf_base64(sc);

		v = jt_new(JT_OBJ);
		jt_set(v, BPF_ANNOTATION, jt_str(b64));
		jt_set(root, "annotations", v);
	}
	common_notes(&e);
	if (e.rc < 0)
		return e.rc;
	jt_write(root, out);
	return 0;
}

/* ---- docker / podman flags ----------------------------------------------- */

/*
 * `docker run $(cat NAME.docker)` splits on whitespace and globs each
 * word: a flag may hold nothing the shell would split, glob or that a
 * reader would take for quoting.
 */
static bool shell_safe(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._/:=,+@%-", *s)))
			return false;
	return true;
}

static void flag(struct em *e, struct strbuf *out,
		 const struct leash_loc *loc, const char *what,
		 const char *fmt, ...) LEASH_PRINTF(5, 6);
static void flag(struct em *e, struct strbuf *out,
		 const struct leash_loc *loc, const char *what,
		 const char *fmt, ...)
{
	_cleanup_free_ char *f = NULL;
	va_list ap;

	va_start(ap, fmt);
	f = xvasprintf(fmt, ap);
	va_end(ap);
	if (!shell_safe(f)) {
		diag_error(e->d, loc,
			   "cannot write %s as one word of `%s $(cat "
			   "NAME.%s)`: '%s' holds a character the shell "
			   "would split, glob or quote (use letters, digits "
			   "and ._/:=,+@%%-)",
			   what, run_cmd(e), e->podman ? "podman" : "docker",
			   f);
		e->rc = -EINVAL;
		return;
	}
	sb_puts(out, f);
	sb_putc(out, '\n');
}

static bool in_list(const char *s, const char *const *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, l[i]))
			return true;
	return false;
}

/* Docker's ulimit names (go-units): every rlimit but 'as'. */
static bool docker_ulimit(const char *name)
{
	return strcmp(name, "as") != 0;
}

static void docker_paths_notes(struct em *e)
{
	size_t i, k;

	for (i = 0; i < e->f->n_fs; i++) {
		const struct fs_stmt *s = e->f->fs[i];
		bool mask = s->kind == FS_MASK;

		if (!mask && s->kind != FS_READONLY)
			continue;
		for (k = 0; k < s->paths.n; k++) {
			const char *p = s->paths.v[k].s;

			if (mask ? in_list(p, default_masked,
					   ARRAY_SIZE(default_masked)) :
				   in_list(p, default_readonly,
					   ARRAY_SIZE(default_readonly)))
				continue;
			diag_fidelity(e->d, &s->paths.v[k].loc,
				      "no flag %s '%s': docker and podman "
				      "apply only their default list (only "
				      "NAME.oci.json and AppArmor enforce it)",
				      mask ? "masks" : "makes read-only", p);
		}
	}
}

static void docker_ns_notes(struct em *e)
{
	const struct proc_stmt *ns = e->f->namespaces;
	size_t i;

	for (i = 0; ns && i < ns->namespaces.n; i++) {
		const struct ast_name *n = &ns->namespaces.v[i];

		/* Docker and podman unshare these by default. */
		if (in_list(n->s, (const char *const[]){ "pid", "ipc", "uts",
			    "mount", "net" }, 5))
			continue;
		if (e->podman)
			diag_fidelity(e->d, &n->loc,
				      "namespace '%s' is not expressed: it "
				      "depends on podman's settings "
				      "(containers.conf userns, cgroupns) and "
				      "its --userns and --cgroupns flags, which "
				      "leash does not write",
				      n->s);
		else
			diag_fidelity(e->d, &n->loc,
				      "namespace '%s' has no docker run flag "
				      "that unshares it: it depends on the "
				      "daemon's settings (userns-remap, "
				      "default-cgroupns-mode) and is not "
				      "expressed",
				      n->s);
	}
}

/* The security options: seccomp, no-new-privileges, AppArmor. */
static void docker_security(struct em *e, struct strbuf *out,
			    const char *seccomp_path)
{
	const struct flat_policy *f = e->f;
	const struct leash_loc *loc;

	flag(e, out, NULL, "the seccomp profile's path",
	     "--security-opt=seccomp=%s", seccomp_path);
	if (flat_nnp_on(f))
		flag(e, out, NULL, "", "--security-opt=no-new-privileges");
	if (wants_apparmor(f)) {
		_cleanup_free_ char *name = apparmor_name(f, &loc);

		flag(e, out, loc, "the AppArmor profile name",
		     "--security-opt=apparmor=%s", name);
		diag_fidelity(e->d, loc,
			      "Docker silently ignores "
			      "--security-opt=apparmor=%s when the kernel has "
			      "no AppArmor, and podman exits 125 ('Apparmor is "
			      "not enabled on this system'); load "
			      "NAME.apparmor first where AppArmor exists",
			      name);
	}
}

/* Capabilities, the user and its groups. */
static void docker_identity(struct em *e, struct strbuf *out)
{
	const struct flat_policy *f = e->f;
	uint64_t uid, gid, g;
	size_t i;
	int c;

	flag(e, out, NULL, "", "--cap-drop=ALL");
	for (c = 0; c < CAP_COUNT; c++)
		if (f->caps & FLAT_CAP_BIT(c))
			flag(e, out, NULL, "", "--cap-add=%s", cap_name(c));
	if (f->ambient && e->podman)
		diag_fidelity(e->d, NULL,
			      "no podman run flag sets ambient capabilities: "
			      "podman gives a root process none, and a non-root "
			      "--user every --cap-add capability");
	else if (f->ambient)
		diag_fidelity(e->d, NULL,
			      "no docker run flag sets ambient capabilities: "
			      "under Docker a process started as a non-root "
			      "--user gets none");
	if (f->read_only_root)
		flag(e, out, NULL, "", "--read-only");
	if (user_ids(e, &uid, &gid)) {
		flag(e, out, NULL, "", "--user=%llu:%llu",
		     (unsigned long long)uid, (unsigned long long)gid);
		/* Seen with podman 4.3: CapAmb and CapEff of user 1000 are
		 * the whole --cap-add set (tests/live/run-runtimes.sh). */
		if (uid != 0 && (f->caps & ~f->ambient))
			diag_fidelity(e->d, &f->user->loc,
				      "podman makes every --cap-add capability "
				      "ambient for a non-root --user, so user "
				      "%llu keeps all %d of them effective, "
				      "not only the policy's ambient set "
				      "(runc, crun and Docker keep only that)",
				      (unsigned long long)uid,
				      __builtin_popcountll(f->caps));
	}
	for (i = 0; f->groups && i < f->groups->groups.n; i++)
		if (eval(e, f->groups->groups.v[i], &g))
			flag(e, out, NULL, "", "--group-add=%llu",
			     (unsigned long long)g);
}

/* --memory, --cpus, --pids-limit and the --ulimit flags. */
static void docker_limits(struct em *e, struct strbuf *out)
{
	uint64_t soft, hard;
	int l;

	if (get_limit(e, FL_MEMORY, &soft, &hard))
		flag(e, out, NULL, "", "--memory=%llu",
		     (unsigned long long)soft);
	if (get_limit(e, FL_CPUS, &soft, &hard)) {
		char frac[8] = "";
		unsigned long long m = soft % 1000;

		/* 1500 thousandths: "1.5". */
		if (m) {
			snprintf(frac, sizeof(frac), ".%03llu", m);
			while (frac[strlen(frac) - 1] == '0')
				frac[strlen(frac) - 1] = '\0';
		}
		flag(e, out, NULL, "", "--cpus=%llu%s",
		     (unsigned long long)(soft / 1000), frac);
	}
	if (get_limit(e, FL_PIDS, &soft, &hard))
		flag(e, out, NULL, "", "--pids-limit=%llu",
		     (unsigned long long)soft);
	for (l = 0; l < FL_COUNT; l++) {
		const struct flat_limit_info *li = flat_limit_info(l);

		if (li->resource < 0 || !get_limit(e, l, &soft, &hard))
			continue;
		if (!docker_ulimit(li->name)) {
			diag_fidelity(e->d, &e->f->limits[l]->loc,
				      "no %s flag sets the '%s' rlimit "
				      "(--ulimit does not know it)",
				      run_cmd(e), li->name);
			continue;
		}
		/* Docker and podman read -1 as unlimited. */
		char sv[24] = "-1", hv[24] = "-1";

		if (soft != UINT64_MAX)
			snprintf(sv, sizeof(sv), "%llu",
				 (unsigned long long)soft);
		if (hard != UINT64_MAX)
			snprintf(hv, sizeof(hv), "%llu",
				 (unsigned long long)hard);
		flag(e, out, NULL, "", "--ulimit=%s=%s:%s", li->name, sv, hv);
	}
}

static int emit_flags(struct em *e, const char *seccomp_path,
		      struct strbuf *out)
{
	const struct flat_policy *f = e->f;

	/* The order of the flags is the order of NAME.docker's lines. */
	docker_security(e, out, seccomp_path);
	docker_identity(e, out);
	if (net_none(f) || has_namespace(f, "net"))
		flag(e, out, NULL, "", "--network=none");
	docker_limits(e, out);
	docker_ns_notes(e);
	docker_paths_notes(e);
	common_notes(e);
	return e->rc;
}

int emit_docker(struct leash_ctx *ctx, const struct flat_policy *f,
		const char *seccomp_path, struct strbuf *out)
{
	struct em e = { ctx, f, &ctx->diag, true, false, 0 };

	return emit_flags(&e, seccomp_path, out);
}

int emit_podman(struct leash_ctx *ctx, const struct flat_policy *f,
		const struct seccomp_out *sc, const char *seccomp_path,
		struct strbuf *out, struct strbuf *closed)
{
	struct em e = { ctx, f, &ctx->diag, true, true, 0 };
	_cleanup_free_ char *b64 = NULL;

	if (!sc->json.s) {
		_cleanup_jt_ struct jt *prof = closed_profile();

		jt_write(prof, closed);
		diag_fidelity(e.d, NULL,
			      "podman with runc cannot take this filter: the "
			      "JSON profile it compiles cannot express it (%s); "
			      "NAME.seccomp.json, which the flags name, kills "
			      "the container's first process instead "
			      "(SCMP_ACT_KILL_PROCESS, no rules), so only podman "
			      "with crun, which loads NAME.bpf from the "
			      "annotation " BPF_ANNOTATION ", runs it",
			      sc->json_refused ? sc->json_refused : "not built");
	}
	emit_flags(&e, seccomp_path, out);
	/* Last: the longest line (4/3 of NAME.bpf), and a flag podman
	 * alone knows. */
	b64 = bpf_base64(sc);
	flag(&e, out, NULL, "the filter",
	     "--annotation=" BPF_ANNOTATION "=%s", b64);
	return e.rc;
}
