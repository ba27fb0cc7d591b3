/* SPDX-License-Identifier: MIT */
/*
 * oci-read.c - OCI config.json and 'docker inspect' output to struct
 * oci_container (see oci-read.h).
 */
#include "interop/oci-read.h"
#include "front/flat.h"
#include "common/tables.h"
#include "common/yaml-rd.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

static struct oci_loc loc_of(const yaml_node_t *n)
{
	return (struct oci_loc){ (int)n->start_mark.line + 1,
				 (int)n->start_mark.column + 1 };
}

#define FOR_PAIRS(n, p)                                                        \
	for (yaml_node_pair_t *p = (n)->data.mapping.pairs.start;              \
	     p < (n)->data.mapping.pairs.top; p++)
#define FOR_ITEMS(n, it)                                                       \
	for (yaml_node_item_t *it = (n)->data.sequence.items.start;            \
	     it < (n)->data.sequence.items.top; it++)

/*
 * The value of field @key in mapping @n, or NULL (absent or null).  A
 * field given twice is refused: Go takes the last of two values, but
 * merges two objects into one, which no node here stands for.
 */
static yaml_node_t *field(struct rd *r, const yaml_node_t *n, const char *key)
{
	const yaml_node_t *seen = NULL;
	yaml_node_t *v = NULL;

	if (!n || n->type != YAML_MAPPING_NODE)
		return NULL;
	FOR_PAIRS(n, p) {
		const yaml_node_t *k = rd_node(r, p->key);

		if (!rd_key_eq(k, key))
			continue;
		if (seen) {
			rd_fail(r, k, "'%s' is given twice", key);
			return NULL;
		}
		seen = k;
		v = rd_node(r, p->value);
	}
	if (v && rd_is_null(v))
		return NULL;
	return v;
}

static bool need(struct rd *r, const yaml_node_t *n, yaml_node_type_t t,
		 const char *what)
{
	static const char *const names[] = {
		[YAML_SCALAR_NODE] = "a scalar",
		[YAML_SEQUENCE_NODE] = "a list",
		[YAML_MAPPING_NODE] = "an object",
	};

	if (n->type == t)
		return true;
	return rd_fail(r, n, "%s: expected %s", what, names[t]);
}

static bool rd_str(struct rd *r, const yaml_node_t *n, const char *what,
		   char **out)
{
	if (!n)
		return true;
	if (!need(r, n, YAML_SCALAR_NODE, what))
		return false;
	if (strlen(rd_scalar(n)) != n->data.scalar.length)
		return rd_fail(r, n, "%s: string contains a NUL", what);
	free(*out);
	*out = xstrdup(rd_scalar(n));
	return true;
}

static bool rd_bool(struct rd *r, const yaml_node_t *n, const char *what,
		    bool *out)
{
	if (!n)
		return true;
	if (n->type == YAML_SCALAR_NODE && !strcmp(rd_scalar(n), "true"))
		*out = true;
	else if (n->type == YAML_SCALAR_NODE && !strcmp(rd_scalar(n), "false"))
		*out = false;
	else
		return rd_fail(r, n, "%s: expected true or false", what);
	return true;
}

static bool rd_i64(struct rd *r, const yaml_node_t *n, const char *what,
		   int64_t *out)
{
	char *end;
	long long v;

	if (!n)
		return true;
	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return rd_fail(r, n, "%s: expected a number", what);
	errno = 0;
	v = strtoll(rd_scalar(n), &end, 10);
	if (errno || end == rd_scalar(n) || *end)
		return rd_fail(r, n, "%s: '%s' is not an integer", what,
			    rd_scalar(n));
	*out = v;
	return true;
}

static bool rd_u64(struct rd *r, const yaml_node_t *n, const char *what,
		   uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!n)
		return true;
	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    !isdigit((unsigned char)rd_scalar(n)[0]))
		return rd_fail(r, n, "%s: expected an unsigned number", what);
	errno = 0;
	v = strtoull(rd_scalar(n), &end, 10);
	if (errno || *end)
		return rd_fail(r, n, "%s: '%s' is not an unsigned integer", what,
			    rd_scalar(n));
	*out = v;
	return true;
}

static bool rd_strs(struct rd *r, const yaml_node_t *n, const char *what,
		    struct oci_str_vec *out)
{
	if (!n)
		return true;
	if (!need(r, n, YAML_SEQUENCE_NODE, what))
		return false;
	FOR_ITEMS(n, it) {
		char *s = NULL;

		if (!rd_str(r, rd_node(r, *it), what, &s))
			return false;
		VEC_PUSH(out, s ? s : xstrdup(""));
	}
	return true;
}

static void strs_free(struct oci_str_vec *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	VEC_FREE(v);
}

/* ---- capabilities -------------------------------------------------------- */

static uint64_t cap_set(const char *const *names, size_t n,
			struct oci_str_vec *unknown)
{
	uint64_t set = 0;

	for (size_t i = 0; i < n; i++) {
		int c = cap_by_name(names[i]);

		if (c >= 0)
			set |= FLAT_CAP_BIT(c);
		else if (unknown)
			VEC_PUSH(unknown, xstrdup(names[i]));
	}
	return set;
}

static bool has_all(const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(names[i], "ALL") ||
		    !strcasecmp(names[i], "CAP_ALL"))
			return true;
	return false;
}

uint64_t oci_docker_caps(bool privileged, const char *const *add,
			 size_t n_add, const char *const *drop, size_t n_drop,
			 struct oci_str_vec *unknown)
{
	uint64_t set;
	size_t i;

	if (privileged || has_all(add, n_add))
		return FLAT_ALL_CAPS;
	/* moby's caps.TweakCapabilities(): "ALL" in CapDrop starts from
	 * nothing; otherwise the defaults minus the drops, plus the adds. */
	set = has_all(drop, n_drop) ? 0 : caps_docker_default();
	for (i = 0; i < n_drop; i++) {
		int c = cap_by_name(drop[i]);

		if (c >= 0)
			set &= ~FLAT_CAP_BIT(c);
		else if (unknown && !has_all(&drop[i], 1))
			VEC_PUSH(unknown, xstrdup(drop[i]));
	}
	return set | cap_set(add, n_add, unknown);
}

static bool rd_capset(struct rd *r, const yaml_node_t *n, const char *what,
		      uint64_t *set, struct oci_container *c)
{
	struct oci_str_vec v = { 0 };
	bool ok = rd_strs(r, n, what, &v);

	if (ok)
		*set = cap_set((const char *const *)v.v, v.n,
			       &c->unknown_caps);
	strs_free(&v);
	return ok;
}

/* ---- OCI config.json ----------------------------------------------------- */

static bool rd_process(struct rd *r, const yaml_node_t *pr,
		       struct oci_container *c)
{
	const yaml_node_t *caps = field(r, pr, "capabilities");
	const yaml_node_t *user = field(r, pr, "user");
	const yaml_node_t *rl = field(r, pr, "rlimits");
	const yaml_node_t *v;

	if (!need(r, pr, YAML_MAPPING_NODE, "process"))
		return false;
	if (caps) {
		if (!need(r, caps, YAML_MAPPING_NODE, "process.capabilities"))
			return false;
		c->has_caps = true;
		c->caps_loc = loc_of(caps);
		if (!rd_capset(r, field(r, caps, "bounding"), "bounding",
			       &c->cap_bounding, c) ||
		    !rd_capset(r, field(r, caps, "effective"), "effective",
			       &c->cap_effective, c) ||
		    !rd_capset(r, field(r, caps, "permitted"), "permitted",
			       &c->cap_permitted, c) ||
		    !rd_capset(r, field(r, caps, "inheritable"),
			       "inheritable", &c->cap_inheritable, c) ||
		    !rd_capset(r, field(r, caps, "ambient"), "ambient",
			       &c->cap_ambient, c))
			return false;
	}
	v = field(r, pr, "noNewPrivileges");
	if (v) {
		c->nnp_loc = loc_of(v);
		if (!rd_bool(r, v, "noNewPrivileges", &c->no_new_privileges))
			return false;
	}
	if (user) {
		uint64_t uid = 0, gid = 0;

		if (!need(r, user, YAML_MAPPING_NODE, "process.user") ||
		    !rd_u64(r, field(r, user, "uid"), "uid", &uid) ||
		    !rd_u64(r, field(r, user, "gid"), "gid", &gid))
			return false;
		if (uid > UINT32_MAX || gid > UINT32_MAX)
			return rd_fail(r, user, "process.user: id out of range");
		c->has_user = true;
		c->uid = (uint32_t)uid;
		c->gid = (uint32_t)gid;
		if (field(r, user, "additionalGids"))
			VEC_PUSH(&c->ignored,
				 xstrdup("process.user.additionalGids"));
	}
	if (rl) {
		if (!need(r, rl, YAML_SEQUENCE_NODE, "process.rlimits"))
			return false;
		FOR_ITEMS(rl, it) {
			const yaml_node_t *e = rd_node(r, *it);
			struct oci_rlimit l = { 0 };

			if (!need(r, e, YAML_MAPPING_NODE, "rlimit") ||
			    !rd_str(r, field(r, e, "type"), "type", &l.type) ||
			    !rd_u64(r, field(r, e, "soft"), "soft", &l.soft) ||
			    !rd_u64(r, field(r, e, "hard"), "hard", &l.hard)) {
				free(l.type);
				return false;
			}
			if (!l.type)
				return rd_fail(r, e, "rlimit without a type");
			VEC_PUSH(&c->rlimits, l);
		}
	}
	v = field(r, pr, "apparmorProfile");
	if (v) {
		c->apparmor_loc = loc_of(v);
		if (!rd_str(r, v, "apparmorProfile", &c->apparmor_profile))
			return false;
	}
	return true;
}

static bool rd_namespaces(struct rd *r, const yaml_node_t *lx,
			  struct oci_container *c)
{
	const yaml_node_t *ns = field(r, lx, "namespaces");
	const yaml_node_t *maps = field(r, lx, "uidMappings");
	bool user = false;

	if (ns) {
		if (!need(r, ns, YAML_SEQUENCE_NODE, "linux.namespaces"))
			return false;
		c->ns_loc = loc_of(ns);
		FOR_ITEMS(ns, it) {
			const yaml_node_t *e = rd_node(r, *it);
			_cleanup_free_ char *type = NULL;

			if (!need(r, e, YAML_MAPPING_NODE, "namespace") ||
			    !rd_str(r, field(r, e, "type"), "type", &type))
				return false;
			if (!type)
				return rd_fail(r, e, "namespace without a type");
			if (!strcmp(type, "user"))
				user = true;
			else if (!strcmp(type, "network"))
				c->has_netns = true;
			else if (!strcmp(type, "pid"))
				c->has_pidns = true;
			else if (!strcmp(type, "ipc"))
				c->has_ipcns = true;
			else if (!strcmp(type, "uts"))
				c->has_utsns = true;
			else if (!strcmp(type, "mount"))
				c->has_mntns = true;
			else if (!strcmp(type, "cgroup"))
				c->has_cgroupns = true;
			else
				VEC_PUSH(&c->ignored, xasprintf(
					"linux.namespaces: namespace '%s'",
					type));
		}
	}
	if (maps) {
		if (!need(r, maps, YAML_SEQUENCE_NODE, "linux.uidMappings"))
			return false;
		FOR_ITEMS(maps, it) {
			const yaml_node_t *e = rd_node(r, *it);
			uint64_t cid = 0, hid = 0, size = 0;

			if (!need(r, e, YAML_MAPPING_NODE, "uidMapping") ||
			    !rd_u64(r, field(r, e, "containerID"),
				    "containerID", &cid) ||
			    !rd_u64(r, field(r, e, "hostID"), "hostID", &hid) ||
			    !rd_u64(r, field(r, e, "size"), "size", &size))
				return false;
			if (cid == 0 && size > 0 && hid == 0)
				c->uid_maps_root = true;
		}
	}
	/* A user namespace without mappings is set up by the runtime as an
	 * identity of nothing; only mappings make it a remapping. */
	c->userns = user && maps && maps->data.sequence.items.top >
					     maps->data.sequence.items.start;
	return true;
}

static bool rd_resources(struct rd *r, const yaml_node_t *lx,
			 struct oci_container *c)
{
	const yaml_node_t *res = field(r, lx, "resources");
	const yaml_node_t *mem, *pids, *cpu, *v;
	int64_t quota = 0, period = 0;

	if (!res)
		return true;
	if (!need(r, res, YAML_MAPPING_NODE, "linux.resources"))
		return false;
	mem = field(r, res, "memory");
	pids = field(r, res, "pids");
	cpu = field(r, res, "cpu");
	if (field(r, res, "devices"))
		VEC_PUSH(&c->ignored, xstrdup("linux.resources.devices"));
	if ((v = field(r, mem, "limit"))) {
		c->memory_loc = loc_of(v);
		if (!rd_i64(r, v, "memory.limit", &c->memory))
			return false;
	}
	if ((v = field(r, pids, "limit"))) {
		c->pids_loc = loc_of(v);
		if (!rd_i64(r, v, "pids.limit", &c->pids))
			return false;
	}
	if (!rd_i64(r, field(r, cpu, "quota"), "cpu.quota", &quota) ||
	    !rd_i64(r, field(r, cpu, "period"), "cpu.period", &period))
		return false;
	if (quota > 0 && period > 0)
		c->cpus = (double)quota / (double)period;
	if (c->memory < 0)
		c->memory = 0;
	if (c->pids < 0)
		c->pids = 0;
	return true;
}

static bool rd_mounts(struct rd *r, const yaml_node_t *m,
		      struct oci_container *c, bool docker)
{
	if (!m)
		return true;
	if (!need(r, m, YAML_SEQUENCE_NODE, "mounts"))
		return false;
	FOR_ITEMS(m, it) {
		const yaml_node_t *e = rd_node(r, *it);
		_cleanup_free_ char *type = NULL, *src = NULL;
		struct oci_str_vec opts = { 0 };
		bool bind;

		if (!need(r, e, YAML_MAPPING_NODE, "mount") ||
		    !rd_str(r, field(r, e, docker ? "Type" : "type"), "type",
			    &type) ||
		    !rd_str(r, field(r, e, "source"), "source", &src) ||
		    (!docker && !rd_strs(r, field(r, e, "options"), "options",
					 &opts))) {
			strs_free(&opts);
			return false;
		}
		bind = type && !strcmp(type, "bind");
		for (size_t i = 0; i < opts.n; i++)
			if (!strcmp(opts.v[i], "bind") ||
			    !strcmp(opts.v[i], "rbind"))
				bind = true;
		strs_free(&opts);
		if (bind && src)
			VEC_PUSH(&c->bind_sources, TAKE_PTR(src));
	}
	return true;
}

/*
 * crun loads the filter in the annotation run.oci.seccomp_bpf_data (raw
 * BPF, base64) instead of compiling linux.seccomp; runc ignores it.
 * What is read here is linux.seccomp, as runc loads it: say so where
 * the two may differ.  Annotations are a plain map to both runtimes:
 * the key matches exactly.
 */
static void warn_bpf_annotation(struct rd *r, const yaml_node_t *root)
{
	const yaml_node_t *a = field(r, root, "annotations");

	if (!a || a->type != YAML_MAPPING_NODE)
		return;
	FOR_PAIRS(a, p) {
		const yaml_node_t *k = rd_node(r, p->key);
		struct leash_loc l;

		if (k->type != YAML_SCALAR_NODE ||
		    strcmp(rd_scalar(k), "run.oci.seccomp_bpf_data"))
			continue;
		l = src_loc(r->src, (int)k->start_mark.line + 1,
			    (int)k->start_mark.column + 1);
		diag_warning(r->d, &l,
			     "crun loads the raw filter in the annotation "
			     "'run.oci.seccomp_bpf_data' instead of "
			     "linux.seccomp, which is what is read here (as "
			     "runc loads it): under crun the container's filter "
			     "may differ");
		return;
	}
}

static bool rd_config(struct rd *r, const yaml_node_t *root,
		      struct oci_container *c)
{
	const yaml_node_t *pr = field(r, root, "process");
	const yaml_node_t *rt = field(r, root, "root");
	const yaml_node_t *lx = field(r, root, "linux");
	const yaml_node_t *sc;

	c->kind = OCI_KIND_CONFIG;
	warn_bpf_annotation(r, root);
	if (pr && !rd_process(r, pr, c))
		return false;
	if (rt) {
		const yaml_node_t *ro = field(r, rt, "readonly");

		if (!need(r, rt, YAML_MAPPING_NODE, "root"))
			return false;
		if (ro)
			c->readonly_loc = loc_of(ro);
		if (!rd_bool(r, ro, "root.readonly", &c->readonly_root))
			return false;
	}
	if (!rd_mounts(r, field(r, root, "mounts"), c, false))
		return false;
	if (!lx)
		return true;
	if (!need(r, lx, YAML_MAPPING_NODE, "linux") ||
	    !rd_namespaces(r, lx, c) || !rd_resources(r, lx, c) ||
	    !rd_strs(r, field(r, lx, "maskedPaths"), "maskedPaths",
		     &c->masked_paths) ||
	    !rd_strs(r, field(r, lx, "readonlyPaths"), "readonlyPaths",
		     &c->readonly_paths))
		return false;
	sc = field(r, lx, "seccomp");
	if (sc) {
		c->seccomp_loc = loc_of(sc);
		if (sj_parse_node(r, sc, &c->seccomp) < 0)
			return false;
		c->seccomp_kind = OCI_SECCOMP_PROFILE;
	}
	return true;
}

/* ---- docker inspect ------------------------------------------------------ */

/* "seccomp=X", or the older "seccomp:X": the value, or NULL. */
static const char *opt_value(const char *opt, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(opt, name, n) || (opt[n] != '=' && opt[n] != ':'))
		return NULL;
	return opt + n + 1;
}

static bool rd_secopt(struct rd *r, const yaml_node_t *n,
		      struct oci_container *c)
{
	struct oci_str_vec v = { 0 };
	bool ok = rd_strs(r, n, "SecurityOpt", &v);

	for (size_t i = 0; ok && i < v.n; i++) {
		const char *o = v.v[i], *val;
		const yaml_node_t *at =
			rd_node(r, n->data.sequence.items.start[i]);

		if (!strcmp(o, "no-new-privileges")) {
			c->no_new_privileges = true;
			c->nnp_loc = loc_of(at);
		} else if ((val = opt_value(o, "no-new-privileges"))) {
			c->no_new_privileges = !strcmp(val, "true");
			c->nnp_loc = loc_of(at);
		} else if ((val = opt_value(o, "apparmor"))) {
			free(c->apparmor_profile);
			c->apparmor_profile = xstrdup(val);
			c->apparmor_loc = loc_of(at);
		} else if ((val = opt_value(o, "seccomp"))) {
			struct src_file *text;
			struct diag inner;

			c->seccomp_loc = loc_of(at);
			sj_profile_destroy(&c->seccomp);
			if (!strcmp(val, "unconfined")) {
				c->seccomp_kind = OCI_SECCOMP_NONE;
				continue;
			}
			/* The docker CLI puts the profile's text here: its
			 * errors are said at the option, in its own lines. */
			text = src_file_copy("SecurityOpt", val, strlen(val));
			diag_init(&inner, NULL);
			if (sj_parse(text, &c->seccomp, &inner) < 0)
				ok = rd_fail(r, at,
					     "SecurityOpt seccomp profile: %s",
					     diag_first_error(&inner));
			diag_fini(&inner);
			src_file_free(text);
			if (!ok)
				break;
			c->seccomp_kind = OCI_SECCOMP_PROFILE;
		}
	}
	strs_free(&v);
	return ok;
}

static bool rd_binds(struct rd *r, const yaml_node_t *n,
		     struct oci_container *c)
{
	struct oci_str_vec v = { 0 };
	bool ok = rd_strs(r, n, "Binds", &v);

	for (size_t i = 0; ok && i < v.n; i++) {
		const char *colon = strchr(v.v[i], ':');

		if (v.v[i][0] == '/')
			VEC_PUSH(&c->bind_sources,
				 colon ? xstrndup(v.v[i],
						  (size_t)(colon - v.v[i])) :
					 xstrdup(v.v[i]));
	}
	strs_free(&v);
	return ok;
}

/* AppArmorProfile, which docker leaves empty for none. */
static bool rd_inspect_apparmor(struct rd *r, const yaml_node_t *ct,
				struct oci_container *c)
{
	const yaml_node_t *v = field(r, ct, "AppArmorProfile");

	if (!v)
		return true;
	c->apparmor_loc = loc_of(v);
	if (!rd_str(r, v, "AppArmorProfile", &c->apparmor_profile))
		return false;
	if (!*c->apparmor_profile) {
		free(c->apparmor_profile);
		c->apparmor_profile = NULL;
	}
	return true;
}

/* Config.User as given, and the uid when it starts with a number. */
static bool rd_inspect_user(struct rd *r, const yaml_node_t *cfg,
			    struct oci_container *c)
{
	const yaml_node_t *v;
	char *end;
	unsigned long uid;

	if (!cfg || !(v = field(r, cfg, "User")))
		return true;
	if (!rd_str(r, v, "Config.User", &c->user))
		return false;
	errno = 0;
	uid = strtoul(c->user, &end, 10);
	if (*c->user && !errno && uid <= UINT32_MAX &&
	    (*end == 0 || *end == ':')) {
		c->has_user = true;
		c->uid = (uint32_t)uid;
	}
	return true;
}

static bool rd_inspect_caps(struct rd *r, const yaml_node_t *hc,
			    struct oci_container *c)
{
	const yaml_node_t *v = field(r, hc, "CapAdd");
	struct oci_str_vec add = { 0 }, drop = { 0 };
	bool ok;

	c->caps_loc = v ? loc_of(v) : loc_of(hc);
	ok = rd_strs(r, v, "CapAdd", &add) &&
	     rd_strs(r, field(r, hc, "CapDrop"), "CapDrop", &drop);
	if (ok) {
		uint64_t set = oci_docker_caps(
			c->privileged, (const char *const *)add.v, add.n,
			(const char *const *)drop.v, drop.n, &c->unknown_caps);

		c->cap_bounding = c->cap_effective = c->cap_permitted = set;
		c->cap_inheritable = set;	/* dockerd 20.10 sets it */
	}
	strs_free(&add);
	strs_free(&drop);
	return ok;
}

/* ReadonlyRootfs and the resource limits. */
static bool rd_inspect_limits(struct rd *r, const yaml_node_t *hc,
			      struct oci_container *c)
{
	const yaml_node_t *v;
	int64_t nano = 0, quota = 0, period = 0;

	if ((v = field(r, hc, "ReadonlyRootfs")))
		c->readonly_loc = loc_of(v);
	if ((v = field(r, hc, "Memory")))
		c->memory_loc = loc_of(v);
	if ((v = field(r, hc, "PidsLimit")))
		c->pids_loc = loc_of(v);
	if (!rd_bool(r, field(r, hc, "ReadonlyRootfs"), "ReadonlyRootfs",
		     &c->readonly_root) ||
	    !rd_i64(r, field(r, hc, "Memory"), "Memory", &c->memory) ||
	    !rd_i64(r, field(r, hc, "PidsLimit"), "PidsLimit", &c->pids) ||
	    !rd_i64(r, field(r, hc, "NanoCpus"), "NanoCpus", &nano) ||
	    !rd_i64(r, field(r, hc, "CpuQuota"), "CpuQuota", &quota) ||
	    !rd_i64(r, field(r, hc, "CpuPeriod"), "CpuPeriod", &period))
		return false;
	if (c->memory < 0)
		c->memory = 0;
	if (c->pids < 0)
		c->pids = 0;
	if (nano > 0)
		c->cpus = (double)nano / 1e9;
	else if (quota > 0 && period > 0)
		c->cpus = (double)quota / (double)period;
	return true;
}

/* The namespace modes, and from them the namespaces the container has. */
static bool rd_inspect_modes(struct rd *r, const yaml_node_t *hc,
			     struct oci_container *c)
{
	if (!rd_str(r, field(r, hc, "NetworkMode"), "NetworkMode",
		    &c->network_mode) ||
	    !rd_str(r, field(r, hc, "PidMode"), "PidMode", &c->pid_mode) ||
	    !rd_str(r, field(r, hc, "IpcMode"), "IpcMode", &c->ipc_mode) ||
	    !rd_str(r, field(r, hc, "UsernsMode"), "UsernsMode",
		    &c->userns_mode))
		return false;
	/* dockerd's --userns-remap does not show in inspect output: only
	 * an explicit mode is known here ("host" opts out of it). */
	c->userns = c->userns_mode && *c->userns_mode &&
		    strcmp(c->userns_mode, "host") != 0;
	c->has_netns = !c->network_mode || strcmp(c->network_mode, "host");
	c->has_pidns = !c->pid_mode || strcmp(c->pid_mode, "host");
	c->has_ipcns = !c->ipc_mode || strcmp(c->ipc_mode, "host");
	c->has_utsns = c->has_mntns = true;
	return true;
}

static bool rd_inspect_one(struct rd *r, const yaml_node_t *ct,
			   struct oci_container *c)
{
	const yaml_node_t *hc, *cfg;

	c->kind = OCI_KIND_INSPECT;
	c->has_caps = true;
	c->seccomp_kind = OCI_SECCOMP_DEFAULT;
	if (!need(r, ct, YAML_MAPPING_NODE, "container"))
		return false;
	hc = field(r, ct, "HostConfig");
	cfg = field(r, ct, "Config");
	if (!hc)
		return rd_fail(r, ct, "container without a HostConfig");
	if (!need(r, hc, YAML_MAPPING_NODE, "HostConfig") ||
	    !rd_str(r, field(r, ct, "Name"), "Name", &c->name) ||
	    !rd_bool(r, field(r, hc, "Privileged"), "Privileged",
		     &c->privileged) ||
	    !rd_inspect_apparmor(r, ct, c) || !rd_inspect_user(r, cfg, c) ||
	    !rd_inspect_caps(r, hc, c) ||
	    !rd_secopt(r, field(r, hc, "SecurityOpt"), c))
		return false;
	if (c->privileged) {
		/* dockerd drops seccomp and AppArmor for --privileged. */
		c->seccomp_kind = OCI_SECCOMP_NONE;
		sj_profile_destroy(&c->seccomp);
		free(c->apparmor_profile);
		c->apparmor_profile = xstrdup("unconfined");
	}
	return rd_inspect_limits(r, hc, c) && rd_inspect_modes(r, hc, c) &&
	       rd_strs(r, field(r, hc, "MaskedPaths"), "MaskedPaths",
		       &c->masked_paths) &&
	       rd_strs(r, field(r, hc, "ReadonlyPaths"), "ReadonlyPaths",
		       &c->readonly_paths) &&
	       rd_binds(r, field(r, hc, "Binds"), c) &&
	       rd_mounts(r, field(r, ct, "Mounts"), c, true);
}

/* ---- entry points -------------------------------------------------------- */

static enum oci_kind kind_of(struct rd *r, const yaml_node_t *root)
{
	const yaml_node_t *first;

	if (!root)
		return OCI_KIND_UNKNOWN;
	if (root->type == YAML_SEQUENCE_NODE) {
		if (root->data.sequence.items.top ==
		    root->data.sequence.items.start)
			return OCI_KIND_UNKNOWN;
		first = rd_node(r, root->data.sequence.items.start[0]);
		return field(r, first, "HostConfig") ? OCI_KIND_INSPECT :
						       OCI_KIND_UNKNOWN;
	}
	if (root->type != YAML_MAPPING_NODE)
		return OCI_KIND_UNKNOWN;
	if (field(r, root, "HostConfig"))
		return OCI_KIND_INSPECT;
	if (field(r, root, "defaultAction") || field(r, root, "syscalls"))
		return OCI_KIND_SECCOMP;
	if (field(r, root, "ociVersion") || field(r, root, "process") ||
	    field(r, root, "linux") || field(r, root, "root"))
		return OCI_KIND_CONFIG;
	return OCI_KIND_UNKNOWN;
}

enum oci_kind oci_detect(const struct src_file *src)
{
	yaml_document_t doc;
	struct diag quiet;	/* the reader that follows says why */
	struct rd r = { &doc, &quiet, src, 0 };
	enum oci_kind k = OCI_KIND_UNKNOWN;

	diag_init(&quiet, NULL);
	if (rd_load(src, &doc, &quiet) == 0) {
		k = kind_of(&r, yaml_document_get_root_node(&doc));
		yaml_document_delete(&doc);
	}
	diag_fini(&quiet);
	return k;
}

static void container_free(struct oci_container *c)
{
	free(c->name);
	strs_free(&c->unknown_caps);
	free(c->user);
	for (size_t i = 0; i < c->rlimits.n; i++)
		free(c->rlimits.v[i].type);
	VEC_FREE(&c->rlimits);
	free(c->apparmor_profile);
	strs_free(&c->masked_paths);
	strs_free(&c->readonly_paths);
	sj_profile_destroy(&c->seccomp);
	free(c->network_mode);
	free(c->pid_mode);
	free(c->ipc_mode);
	free(c->userns_mode);
	strs_free(&c->bind_sources);
	strs_free(&c->ignored);
}

void oci_doc_free(struct oci_doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		container_free(&d->c[i]);
	free(d->c);
	d->c = NULL;
	d->n = 0;
}

int oci_read(const struct src_file *src, struct oci_doc *out, struct diag *d)
{
	yaml_document_t doc;
	struct rd r = { &doc, d, src, 0 };
	const yaml_node_t *root;

	memset(out, 0, sizeof(*out));
	if (rd_load(src, &doc, d) < 0)
		return -EINVAL;
	root = yaml_document_get_root_node(&doc);
	out->kind = kind_of(&r, root);
	switch (out->kind) {
	case OCI_KIND_CONFIG:
		out->c = xcalloc(1, sizeof(*out->c));
		out->n = 1;
		rd_config(&r, root, &out->c[0]);
		break;
	case OCI_KIND_INSPECT:
		if (root->type == YAML_MAPPING_NODE) {
			out->c = xcalloc(1, sizeof(*out->c));
			out->n = 1;
			rd_inspect_one(&r, root, &out->c[0]);
			break;
		}
		out->c = xcalloc((size_t)(root->data.sequence.items.top -
					  root->data.sequence.items.start),
				 sizeof(*out->c));
		FOR_ITEMS(root, it) {
			if (!rd_inspect_one(&r, rd_node(&r, *it),
					    &out->c[out->n++]))
				break;
		}
		break;
	case OCI_KIND_SECCOMP:
		rd_fail(&r, root, "a seccomp profile, not a container "
			       "configuration");
		break;
	case OCI_KIND_UNKNOWN:
	default:
		rd_fail(&r, root, "neither an OCI config.json nor 'docker "
			       "inspect' output");
		break;
	}
	yaml_document_delete(&doc);
	if (r.rc < 0)
		oci_doc_free(out);
	return r.rc;
}
