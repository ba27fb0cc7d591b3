/* SPDX-License-Identifier: MIT */
/*
 * scmp-json.c - Docker/OCI seccomp profiles: a reader into plain data,
 * and a compiler that does what runc does with one.
 *
 * The reader follows the Go structs the runtimes unmarshal into
 * (runtime-spec specs.LinuxSeccomp, moby's profiles/seccomp types), with
 * Go's encoding/json habits: field names matched as Go folds them
 * (rd_key_eq()), unknown fields ignored, the last of a repeated field
 * wins (but "linux" and "seccomp", which Go would merge, are refused
 * twice).
 *
 * The compiler follows runc 1.1 (libcontainer/specconv SetupSeccomp(),
 * libcontainer/seccomp seccomp_linux.go InitSeccomp() and matchCall(),
 * patchbpf/enosys_linux.go), read for behaviour, not copied:
 *
 *  - seccomp_init(default), then every listed arch added to the host's
 *    own (which runc never removes); the optimizer (binary tree) when
 *    the profile names more than 32 syscalls;
 *  - per entry, per name: a rule whose action (errno included) equals
 *    the default's is skipped; a name libseccomp cannot resolve is
 *    skipped silently; the number comes from the host's table and
 *    libseccomp translates it per arch by name;
 *  - the rules are added with seccomp_rule_add_array(), not the exact
 *    variant, so libseccomp multiplexes socket/IPC calls on x86 & co;
 *  - the arguments of an entry are ANDed into one rule, except that an
 *    entry comparing one argument twice becomes one rule per comparison
 *    (an OR: runc's "old behaviour", since libseccomp refuses the AND);
 *  - SCMP_ACT_KILL is kill_thread; errno/trace without errnoRet is EPERM;
 *  - then a stub is put in front that returns ENOSYS for syscall numbers
 *    above the highest one among the profile's names (per arch; nr 0 too
 *    on s390), unless the default action is allow, log or trace.
 *
 * dockerd (SJ_DOCKER) first drops the entries whose includes/excludes do
 * not match the host, turns 'name' into 'names', picks archMap's arches
 * for the host, and (20.10, RUNTIMES.md) drops defaultErrnoRet.
 */
#include "seccomp/scmp-json.h"
#include "seccomp/emit-scmp.h"
#include "common/yaml-rd.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <yaml.h>

/* runc's stub (SCMP_ACT_ERRNO(ENOSYS)) and its "skip if" comparison. */
#define RET_ENOSYS (SCMP_ACT_ERRNO(ENOSYS))
/* runc: more syscalls than this turn libseccomp's binary tree on. */
#define RUNC_OPTIMIZE_OVER 32

/* ---- actions and names ---------------------------------------------------- */

static const char *const action_names[] = {
	[SJ_ACT_KILL] = "SCMP_ACT_KILL",
	[SJ_ACT_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
	[SJ_ACT_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
	[SJ_ACT_TRAP] = "SCMP_ACT_TRAP",
	[SJ_ACT_ERRNO] = "SCMP_ACT_ERRNO",
	[SJ_ACT_TRACE] = "SCMP_ACT_TRACE",
	[SJ_ACT_ALLOW] = "SCMP_ACT_ALLOW",
	[SJ_ACT_LOG] = "SCMP_ACT_LOG",
	[SJ_ACT_NOTIFY] = "SCMP_ACT_NOTIFY",
};

enum sj_action sj_action_by_name(const char *s)
{
	size_t i;

	if (!s || !*s)
		return SJ_ACT_NONE;
	for (i = 0; i < ARRAY_SIZE(action_names); i++)
		if (action_names[i] && !strcmp(action_names[i], s))
			return (enum sj_action)i;
	return SJ_ACT_INVALID;
}

const char *sj_action_name(enum sj_action a)
{
	if ((size_t)a < ARRAY_SIZE(action_names) && action_names[a])
		return action_names[a];
	return a == SJ_ACT_NONE ? "" : "(invalid)";
}

uint32_t sj_action_value(enum sj_action a, bool has_ret, uint64_t ret)
{
	/* Go: int16(*errnoRet), then libseccomp keeps the low 16 bits. */
	uint16_t data = has_ret ? (uint16_t)(int16_t)ret : EPERM;

	switch (a) {
	case SJ_ACT_KILL:
	case SJ_ACT_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
	case SJ_ACT_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
	case SJ_ACT_TRAP: return SCMP_ACT_TRAP;
	case SJ_ACT_ERRNO: return SCMP_ACT_ERRNO(data);
	case SJ_ACT_TRACE: return SCMP_ACT_TRACE(data);
	case SJ_ACT_ALLOW: return SCMP_ACT_ALLOW;
	case SJ_ACT_LOG: return SCMP_ACT_LOG;
	case SJ_ACT_NOTIFY: return SCMP_ACT_NOTIFY;
	default: return 0xffffffffu;	/* never a valid action */
	}
}

static const struct {
	const char *name;
	enum scmp_compare op;
} ops[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE },
	{ "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE },
	{ "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE },
	{ "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

/*
 * runc's arch table (seccomp/config.go) and the libseccomp token each
 * becomes; 0 where this libseccomp lacks the arch (runc then fails).
 */
#ifndef SCMP_ARCH_LOONGARCH64
#define SCMP_ARCH_LOONGARCH64 0
#endif
static const struct {
	const char *docker;
	uint32_t token;
} arch_tokens[] = {
	{ "SCMP_ARCH_X86", SCMP_ARCH_X86 },
	{ "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64 },
	{ "SCMP_ARCH_X32", SCMP_ARCH_X32 },
	{ "SCMP_ARCH_ARM", SCMP_ARCH_ARM },
	{ "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64 },
	{ "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS },
	{ "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64 },
	{ "SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32 },
	{ "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL },
	{ "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64 },
	{ "SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32 },
	{ "SCMP_ARCH_PPC", SCMP_ARCH_PPC },
	{ "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64 },
	{ "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE },
	{ "SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64 },
	{ "SCMP_ARCH_S390", SCMP_ARCH_S390 },
	{ "SCMP_ARCH_S390X", SCMP_ARCH_S390X },
	{ "SCMP_ARCH_LOONGARCH64", SCMP_ARCH_LOONGARCH64 },
};

/* ---- the reader ----------------------------------------------------------- */

static bool rd_str(struct rd *r, const yaml_node_t *n, const char *what,
		   char **out)
{
	free(*out);
	*out = NULL;
	if (rd_is_null(n))
		return true;
	if (n->type != YAML_SCALAR_NODE)
		return rd_fail(r, n, "%s: expected a string", what);
	if (strlen(rd_scalar(n)) != n->data.scalar.length)
		return rd_fail(r, n, "%s: string contains a NUL", what);
	*out = xstrdup(rd_scalar(n));
	return true;
}

static bool rd_u64(struct rd *r, const yaml_node_t *n, const char *what,
		   uint64_t *out)
{
	const char *s;
	uint64_t v = 0;

	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return rd_fail(r, n, "%s: expected a number", what);
	s = rd_scalar(n);
	if (!*s || (s[0] == '0' && s[1]))
		return rd_fail(r, n, "%s: '%s' is not a JSON unsigned integer",
			       what, s);
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return rd_fail(r, n, "%s: '%s' is not an unsigned "
				       "integer", what, rd_scalar(n));
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return rd_fail(r, n, "%s: %s is out of range", what,
				       rd_scalar(n));
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

static void strs_free(struct sj_strs *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	free(s->loc);
	s->v = NULL;
	s->loc = NULL;
	s->n = 0;
}

static bool rd_strs(struct rd *r, const yaml_node_t *n, const char *what,
		    struct sj_strs *out)
{
	yaml_node_item_t *it;

	strs_free(out);
	if (rd_is_null(n))
		return true;
	if (n->type != YAML_SEQUENCE_NODE)
		return rd_fail(r, n, "%s: expected a list of strings", what);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		const yaml_node_t *e = rd_node(r, *it);
		char *s = NULL;

		if (!rd_str(r, e, what, &s))
			return false;
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		out->loc = xrealloc(out->loc, (out->n + 1) * sizeof(*out->loc));
		out->loc[out->n][0] = (int)e->start_mark.line + 1;
		out->loc[out->n][1] = (int)e->start_mark.column + 1;
		out->v[out->n++] = s ? s : xstrdup("");
	}
	return true;
}

/* Iterate a mapping; keys compared case-insensitively, like Go. */
#define FOR_PAIRS(r, n, p)                                                     \
	for (yaml_node_pair_t *p = (n)->data.mapping.pairs.start;              \
	     p < (n)->data.mapping.pairs.top; p++)

static bool need_map(struct rd *r, const yaml_node_t *n, const char *what)
{
	if (n->type != YAML_MAPPING_NODE)
		return rd_fail(r, n, "%s: expected an object", what);
	return true;
}

static bool rd_filter(struct rd *r, const yaml_node_t *n, const char *what,
		      struct sj_filter *f)
{
	if (rd_is_null(n))
		return true;
	if (!need_map(r, n, what))
		return false;
	FOR_PAIRS(r, n, p) {
		yaml_node_t *v = rd_node(r, p->value);

		if (rd_key_is(r, p, "arches") &&
		    !rd_strs(r, v, "arches", &f->arches))
			return false;
		if (rd_key_is(r, p, "caps") && !rd_strs(r, v, "caps", &f->caps))
			return false;
		if (rd_key_is(r, p, "minKernel") &&
		    !rd_str(r, v, "minKernel", &f->min_kernel))
			return false;
	}
	return true;
}

static bool rd_arg(struct rd *r, const yaml_node_t *n, struct sj_arg *a)
{
	a->line = (int)n->start_mark.line + 1;
	a->col = (int)n->start_mark.column + 1;
	a->op = _SCMP_CMP_MIN;
	if (!need_map(r, n, "args"))
		return false;
	FOR_PAIRS(r, n, p) {
		yaml_node_t *v = rd_node(r, p->value);
		uint64_t u;
		char *op = NULL;
		size_t i;

		if (rd_key_is(r, p, "index")) {
			if (!rd_u64(r, v, "index", &u))
				return false;
			/* Go's uint: anything over 5 fails later, in runc */
			a->index = u > 0xffff ? 0xffff : (unsigned)u;
		} else if (rd_key_is(r, p, "value")) {
			if (!rd_u64(r, v, "value", &a->value))
				return false;
		} else if (rd_key_is(r, p, "valueTwo")) {
			if (!rd_u64(r, v, "valueTwo", &a->value_two))
				return false;
		} else if (rd_key_is(r, p, "op")) {
			if (!rd_str(r, v, "op", &op))
				return false;
			a->op = _SCMP_CMP_MIN;
			a->op_line = (int)v->start_mark.line + 1;
			a->op_col = (int)v->start_mark.column + 1;
			for (i = 0; op && i < ARRAY_SIZE(ops); i++)
				if (!strcmp(ops[i].name, op))
					a->op = ops[i].op;
			free(a->op_str);
			a->op_str = op;
		}
	}
	return true;
}

static bool rd_syscall(struct rd *r, const yaml_node_t *n, struct sj_syscall *s)
{
	s->line = (int)n->start_mark.line + 1;
	s->col = (int)n->start_mark.column + 1;
	if (!need_map(r, n, "syscalls"))
		return false;
	FOR_PAIRS(r, n, p) {
		yaml_node_t *v = rd_node(r, p->value);

		if (rd_key_is(r, p, "names")) {
			if (!rd_strs(r, v, "names", &s->names))
				return false;
		} else if (rd_key_is(r, p, "name")) {
			if (!rd_str(r, v, "name", &s->name))
				return false;
		} else if (rd_key_is(r, p, "action")) {
			if (!rd_str(r, v, "action", &s->action_str))
				return false;
			s->action = sj_action_by_name(s->action_str);
			s->action_line = (int)v->start_mark.line + 1;
			s->action_col = (int)v->start_mark.column + 1;
		} else if (rd_key_is(r, p, "errno")) {
			if (!rd_str(r, v, "errno", &s->errno_name))
				return false;
		} else if (rd_key_is(r, p, "errnoRet")) {
			s->has_errno_ret = !rd_is_null(v);
			if (s->has_errno_ret &&
			    !rd_u64(r, v, "errnoRet", &s->errno_ret))
				return false;
		} else if (rd_key_is(r, p, "args")) {
			yaml_node_item_t *it;
			size_t j;

			/* A repeated key replaces the list, as Go's
			 * decoder does: its strings go too. */
			for (j = 0; j < s->n_args; j++)
				free(s->args[j].op_str);
			free(s->args);
			s->args = NULL;
			s->n_args = 0;
			if (rd_is_null(v))
				continue;
			if (v->type != YAML_SEQUENCE_NODE)
				return rd_fail(r, v, "args: expected a list");
			for (it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++) {
				s->args = xrealloc(s->args, (s->n_args + 1) *
							    sizeof(*s->args));
				memset(&s->args[s->n_args], 0,
				       sizeof(*s->args));
				if (!rd_arg(r, rd_node(r, *it),
					    &s->args[s->n_args++]))
					return false;
			}
		} else if (rd_key_is(r, p, "includes")) {
			if (!rd_filter(r, v, "includes", &s->includes))
				return false;
		} else if (rd_key_is(r, p, "excludes")) {
			if (!rd_filter(r, v, "excludes", &s->excludes))
				return false;
		} else if (rd_key_is(r, p, "comment")) {
			if (!rd_str(r, v, "comment", &s->comment))
				return false;
		}
	}
	return true;
}

static bool rd_arch_map(struct rd *r, const yaml_node_t *n,
			struct sj_profile *pr)
{
	yaml_node_item_t *it;

	if (rd_is_null(n))
		return true;
	if (n->type != YAML_SEQUENCE_NODE)
		return rd_fail(r, n, "archMap: expected a list");
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *m = rd_node(r, *it);
		struct sj_arch_map *am;

		pr->arch_map = xrealloc(pr->arch_map, (pr->n_arch_map + 1) *
							      sizeof(*am));
		am = &pr->arch_map[pr->n_arch_map++];
		memset(am, 0, sizeof(*am));
		if (!need_map(r, m, "archMap"))
			return false;
		FOR_PAIRS(r, m, p) {
			yaml_node_t *v = rd_node(r, p->value);

			if (rd_key_is(r, p, "architecture") &&
			    !rd_str(r, v, "architecture", &am->arch))
				return false;
			if (rd_key_is(r, p, "subArchitectures") &&
			    !rd_strs(r, v, "subArchitectures", &am->sub))
				return false;
		}
	}
	return true;
}

static bool rd_profile(struct rd *r, const yaml_node_t *n,
		       struct sj_profile *pr)
{
	if (!need_map(r, n, "profile"))
		return false;
	FOR_PAIRS(r, n, p) {
		yaml_node_t *v = rd_node(r, p->value);

		if (rd_key_is(r, p, "defaultAction")) {
			if (!rd_str(r, v, "defaultAction",
				    &pr->default_action_str))
				return false;
			pr->default_action =
				sj_action_by_name(pr->default_action_str);
			pr->default_line = (int)v->start_mark.line + 1;
			pr->default_col = (int)v->start_mark.column + 1;
		} else if (rd_key_is(r, p, "defaultErrno")) {
			if (!rd_str(r, v, "defaultErrno",
				    &pr->default_errno_name))
				return false;
		} else if (rd_key_is(r, p, "defaultErrnoRet")) {
			pr->has_default_errno_ret = !rd_is_null(v);
			if (pr->has_default_errno_ret &&
			    !rd_u64(r, v, "defaultErrnoRet",
				    &pr->default_errno_ret))
				return false;
		} else if (rd_key_is(r, p, "architectures")) {
			if (!rd_strs(r, v, "architectures", &pr->arches))
				return false;
		} else if (rd_key_is(r, p, "archMap")) {
			if (!rd_arch_map(r, v, pr))
				return false;
		} else if (rd_key_is(r, p, "flags")) {
			if (!rd_strs(r, v, "flags", &pr->flags))
				return false;
		} else if (rd_key_is(r, p, "listenerPath")) {
			if (!rd_str(r, v, "listenerPath", &pr->listener_path))
				return false;
		} else if (rd_key_is(r, p, "syscalls")) {
			yaml_node_item_t *it;

			if (rd_is_null(v))
				continue;
			if (v->type != YAML_SEQUENCE_NODE)
				return rd_fail(r, v, "syscalls: expected a "
					       "list");
			for (it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++) {
				pr->sys = xrealloc(pr->sys, (pr->n_sys + 1) *
								    sizeof(*pr->sys));
				memset(&pr->sys[pr->n_sys], 0,
				       sizeof(*pr->sys));
				if (!rd_syscall(r, rd_node(r, *it),
						&pr->sys[pr->n_sys++]))
					return false;
			}
		}
	}
	return true;
}

/*
 * The profile in a whole OCI config.json is its linux.seccomp; a file
 * without "linux" is the profile itself.  Keys match as in Go, and a
 * "linux" or "seccomp" given twice is refused: Go merges two objects,
 * which no node here stands for, and reading either alone could show a
 * profile the runtime does not load.
 */
static const yaml_node_t *profile_root(struct rd *r, const yaml_node_t *n)
{
	const yaml_node_t *lx = NULL, *sc = NULL;

	if (n->type != YAML_MAPPING_NODE)
		return n;
	FOR_PAIRS(r, n, p) {
		if (!rd_key_is(r, p, "linux"))
			continue;
		if (lx) {
			rd_fail(r, rd_node(r, p->key), "'linux' is given twice");
			return NULL;
		}
		lx = rd_node(r, p->value);
	}
	if (!lx || lx->type != YAML_MAPPING_NODE)
		return n;
	FOR_PAIRS(r, lx, p) {
		if (!rd_key_is(r, p, "seccomp"))
			continue;
		if (sc) {
			rd_fail(r, rd_node(r, p->key), "'seccomp' is given "
				"twice");
			return NULL;
		}
		sc = rd_node(r, p->value);
	}
	return sc ? sc : n;
}

/*
 * The spec of a Security Profiles Operator SeccompProfile (what
 * 'leash compile -t k8s' writes): the profile SPO writes to the node.
 * Keys are the API server's, case-sensitive.
 */
static const yaml_node_t *spo_spec(struct rd *r, const yaml_node_t *n)
{
	const yaml_node_t *api = NULL, *spec = NULL;

	FOR_PAIRS(r, n, p) {
		const char *k = rd_key(r, p);

		if (!strcmp(k, "apiVersion"))
			api = rd_node(r, p->value);
		else if (!strcmp(k, "spec"))
			spec = rd_node(r, p->value);
	}
	if (!api || api->type != YAML_SCALAR_NODE ||
	    strncmp(rd_scalar(api), "security-profiles-operator.x-k8s.io/",
		    strlen("security-profiles-operator.x-k8s.io/"))) {
		rd_fail(r, api ? api : n, "a SeccompProfile of apiVersion "
			"security-profiles-operator.x-k8s.io/v1 was expected");
		return NULL;
	}
	if (!spec || spec->type != YAML_MAPPING_NODE) {
		rd_fail(r, spec ? spec : n, "the SeccompProfile has no spec "
			"object");
		return NULL;
	}
	return spec;
}

int sj_parse_node(struct rd *r, const yaml_node_t *n,
		  struct sj_profile **out)
{
	struct sj_profile *pr = xcalloc(1, sizeof(*pr));

	*out = NULL;
	rd_profile(r, n, pr);
	if (r->rc < 0) {
		sj_profile_destroy(&pr);
		return r->rc;
	}
	*out = pr;
	return 0;
}

int sj_parse(const struct src_file *src, struct sj_profile **out,
	     struct diag *d)
{
	yaml_document_t doc;
	struct rd r = { &doc, d, src, 0 };
	const yaml_node_t *root;

	*out = NULL;
	if (rd_load_kind(src, &doc, d, "SeccompProfile") < 0)
		return -EINVAL;
	root = yaml_document_get_root_node(&doc);
	if (rd_doc_kind_is(&doc, "SeccompProfile"))
		root = spo_spec(&r, root);
	else
		root = profile_root(&r, root);
	if (root)
		sj_parse_node(&r, root, out);
	yaml_document_delete(&doc);
	return r.rc;
}

static void filter_free(struct sj_filter *f)
{
	strs_free(&f->arches);
	strs_free(&f->caps);
	free(f->min_kernel);
}

void sj_profile_destroy(struct sj_profile **pp)
{
	struct sj_profile *p = *pp;
	size_t i, j;

	if (!p)
		return;
	for (i = 0; i < p->n_sys; i++) {
		struct sj_syscall *s = &p->sys[i];

		strs_free(&s->names);
		free(s->name);
		free(s->action_str);
		free(s->errno_name);
		for (j = 0; j < s->n_args; j++)
			free(s->args[j].op_str);
		free(s->args);
		filter_free(&s->includes);
		filter_free(&s->excludes);
		free(s->comment);
	}
	free(p->sys);
	for (i = 0; i < p->n_arch_map; i++) {
		free(p->arch_map[i].arch);
		strs_free(&p->arch_map[i].sub);
	}
	free(p->arch_map);
	free(p->default_action_str);
	free(p->default_errno_name);
	strs_free(&p->arches);
	strs_free(&p->flags);
	free(p->listener_path);
	free(p);
	*pp = NULL;
}

/* ---- dockerd's part ------------------------------------------------------- */

/*
 * moby's names for a host (goToNative[runtime.GOARCH], what "includes":
 * {"arches"} lists) and the profile arch archMap picks for it
 * (nativeToSeccomp).
 */
static const struct {
	enum leash_arch arch;
	const char *moby;
	const char *docker;
} moby_arches[] = {
	{ ARCH_X86_64, "amd64", "SCMP_ARCH_X86_64" },
	{ ARCH_X86, "x86", "SCMP_ARCH_X86" },
	{ ARCH_AARCH64, "arm64", "SCMP_ARCH_AARCH64" },
	{ ARCH_ARM, "arm", "SCMP_ARCH_ARM" },
	{ ARCH_PPC64LE, "ppc64le", "SCMP_ARCH_PPC64LE" },
	{ ARCH_PPC64, "ppc64", "SCMP_ARCH_PPC64" },
	{ ARCH_PPC, "ppc", "SCMP_ARCH_PPC" },
	{ ARCH_S390X, "s390x", "SCMP_ARCH_S390X" },
	{ ARCH_S390, "s390", "SCMP_ARCH_S390" },
	{ ARCH_MIPS64, "mips64", "SCMP_ARCH_MIPS64" },
	{ ARCH_MIPS64EL, "mipsel64", "SCMP_ARCH_MIPSEL64" },
	{ ARCH_MIPSEL, "mipsel", "SCMP_ARCH_MIPSEL" },
	{ ARCH_RISCV64, "riscv64", "SCMP_ARCH_RISCV64" },
};

static const char *moby_host(const struct sj_opts *o)
{
	size_t i;

	if (o->host_arch)
		return o->host_arch;
	for (i = 0; i < ARRAY_SIZE(moby_arches); i++)
		if (moby_arches[i].arch == arch_native())
			return moby_arches[i].moby;
	return "";
}

static const char *moby_docker_arch(const char *host)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(moby_arches); i++)
		if (!strcmp(moby_arches[i].moby, host))
			return moby_arches[i].docker;
	return NULL;
}

bool sj_strs_has(const struct sj_strs *s, const char *x)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], x))
			return true;
	return false;
}

static bool has_cap(const struct sj_opts *o, const char *cap)
{
	size_t i;

	for (i = 0; i < o->n_caps; i++)
		if (!strcmp(o->caps[i], cap))
			return true;
	return false;
}

/* "5.10.0-8-amd64" -> 5, 10, 0: moby compares kernel, major, minor. */
static void kver(const char *s, long v[3])
{
	int i;

	for (i = 0; i < 3; i++) {
		v[i] = 0;
		if (s && isdigit((unsigned char)*s))
			v[i] = strtol(s, (char **)&s, 10);
		if (s && *s == '.')
			s++;
		else
			s = NULL;
	}
}

bool sj_kernel_ge(const char *kernel, const char *min)
{
	struct utsname u;
	long cur[3], want[3];
	int i;

	if (!kernel && uname(&u) == 0)
		kver(u.release, cur);
	else
		kver(kernel, cur);
	kver(min, want);
	for (i = 0; i < 3; i++)
		if (cur[i] != want[i])
			return cur[i] > want[i];
	return true;
}

static bool moby_keep(const struct sj_syscall *s, const struct sj_opts *o,
		      const char *host)
{
	size_t i;

	if (s->excludes.arches.n && sj_strs_has(&s->excludes.arches, host))
		return false;
	for (i = 0; i < s->excludes.caps.n; i++)
		if (has_cap(o, s->excludes.caps.v[i]))
			return false;
	if (s->excludes.min_kernel && *s->excludes.min_kernel &&
	    sj_kernel_ge(o->kernel, s->excludes.min_kernel))
		return false;
	if (s->includes.arches.n && !sj_strs_has(&s->includes.arches, host))
		return false;
	for (i = 0; i < s->includes.caps.n; i++)
		if (!has_cap(o, s->includes.caps.v[i]))
			return false;
	if (s->includes.min_kernel && *s->includes.min_kernel &&
	    !sj_kernel_ge(o->kernel, s->includes.min_kernel))
		return false;
	return true;
}

/* ---- runc's part ---------------------------------------------------------- */

/* A whole-call rule for a name this libseccomp lacks (leash_names). */
struct tok_eq {
	uint32_t token;
	struct scmp_stub_eq eq;
};

struct cc {
	const struct sj_profile *p;
	const struct sj_opts *o;
	struct diag *d;
	scmp_filter_ctx ctx;
	uint32_t def;
	VEC(tok_vec, uint32_t) tokens;	/* listed arches, in order */
	VEC(tok_eq_vec, struct tok_eq) extra;
};

static bool docker(const struct cc *c)
{
	return c->o->mode == SJ_DOCKER || c->o->mode == SJ_PODMAN;
}

/* The entry's names, as the runtime sees them. */
static int entry_names(struct cc *c, const struct sj_syscall *s,
		       const char *const **names, size_t *n)
{
	if (docker(c) && s->name && *s->name) {
		if (s->names.n)
			return diag_fail(c->d, NULL, -EINVAL,
					 "%d: 'name' and 'names' were both "
					 "given",
					 s->line);
		*names = (const char *const *)&s->name;
		*n = 1;
		return 0;
	}
	*names = (const char *const *)s->names.v;
	*n = s->names.n;
	return 0;
}

static bool entry_kept(const struct cc *c, const struct sj_syscall *s)
{
	return !docker(c) || moby_keep(s, c->o, moby_host(c->o));
}

static int add_arches(struct cc *c)
{
	const struct sj_profile *p = c->p;
	struct sj_strs picked = { 0 };
	const struct sj_strs *list = &p->arches;
	size_t i, k;
	int rc;

	if (docker(c) && p->n_arch_map) {
		const char *want = moby_docker_arch(moby_host(c->o));

		if (p->arches.n)
			return diag_fail(c->d, NULL, -EINVAL,
					 "'architectures' and 'archMap' were "
					 "both given");
		for (i = 0; want && i < p->n_arch_map; i++) {
			const struct sj_arch_map *am = &p->arch_map[i];

			if (!am->arch || strcmp(am->arch, want))
				continue;
			picked.v = xcalloc(am->sub.n + 1, sizeof(char *));
			picked.v[picked.n++] = am->arch;
			for (k = 0; k < am->sub.n; k++)
				picked.v[picked.n++] = am->sub.v[k];
			break;
		}
		list = &picked;
	}
	for (i = 0, rc = 0; i < list->n && rc == 0; i++) {
		uint32_t token = 0;
		bool found = false;

		for (k = 0; k < ARRAY_SIZE(arch_tokens); k++)
			if (!strcmp(arch_tokens[k].docker, list->v[i])) {
				token = arch_tokens[k].token;
				found = true;
			}
		if (!found)
			rc = diag_fail(c->d, NULL, -EINVAL,
				       "string %s is not a valid arch for "
				       "seccomp",
				       list->v[i]);
		else if (!token)
			rc = diag_fail(c->d, NULL, -EOPNOTSUPP,
				       "libseccomp %u.%u.%u lacks %s",
				       seccomp_version()->major,
				       seccomp_version()->minor,
				       seccomp_version()->micro, list->v[i]);
		if (rc)
			break;
		/* libseccomp-golang ignores EEXIST (the native arch). */
		rc = seccomp_arch_add(c->ctx, token);
		if (rc == -EEXIST)
			rc = 0;
		if (rc < 0)
			rc = diag_fail(c->d, NULL, rc,
				       "error adding architecture %s to "
				       "seccomp filter: %s",
				       list->v[i], strerror(-rc));
		else
			VEC_PUSH(&c->tokens, token);
	}
	free(picked.v);
	return rc;
}

/* One libseccomp condition from a profile argument (MakeCondition()). */
static int make_cond(struct cc *c, const struct sj_syscall *s,
		     const struct sj_arg *a, struct scmp_arg_cmp *out)
{
	if (a->op == _SCMP_CMP_MIN)
		return diag_fail(c->d, NULL, -EINVAL,
				 "%d: invalid operator, cannot use in rule",
				 a->line);
	if (a->index > 5)
		return diag_fail(c->d, NULL, -EINVAL,
				 "%d: syscalls only have up to 6 arguments (%u "
				 "given)",
				 a->line, a->index);
	(void)s;
	out->arg = a->index;
	out->op = a->op;
	out->datum_a = a->value;
	out->datum_b = a->value_two;
	return 0;
}

static int add_rule(struct cc *c, const char *name, int num, uint32_t act,
		    unsigned n, const struct scmp_arg_cmp *cmp)
{
	int rc = seccomp_rule_add_array(c->ctx, act, num, n, cmp);

	if (rc < 0)
		return diag_fail(c->d, NULL, rc,
				 "error adding seccomp rule for syscall %s: %s",
				 name, strerror(-rc));
	return 0;
}

/*
 * The entry's action.  SJ_PODMAN: a symbolic "errno" stands in for a
 * missing errnoRet (containers/common carries both); podman resolves it
 * with the numbers of the arch it was built for, the host's.
 */
static uint32_t entry_action(const struct cc *c, const struct sj_syscall *s)
{
	uint64_t v;

	if (c->o->mode == SJ_PODMAN && !s->has_errno_ret && s->errno_name &&
	    errno_lookup(arch_native(), s->errno_name, &v))
		return sj_action_value(s->action, true, v);
	return sj_action_value(s->action, s->has_errno_ret, s->errno_ret);
}

static void note_lacking(struct cc *c, const char *name)
{
	struct strbuf *l = c->o->lacking;
	size_t n = strlen(name);
	const char *at;

	if (!l)
		return;
	for (at = l->s; at && (at = strstr(at, name)); at += n)
		if ((at == l->s || at[-1] == ' ') &&
		    (at[n] == ',' || at[n] == '\0'))
			return;
	sb_printf(l, "%s%s", l->len ? ", " : "", name);
}

/*
 * @name is not in this libseccomp's tables.  runc ignores it ("unknown
 * seccomp syscall ignored"); with leash_names its rule is kept for the
 * prologue, on every listed arch where leash knows the name.  libseccomp
 * lets the first whole-call rule of a syscall win, and so does the
 * prologue, which tests its numbers in order.
 */
static int lacking_call(struct cc *c, const struct sj_syscall *s,
			const char *name, uint32_t act)
{
	size_t t;

	note_lacking(c, name);
	if (!c->o->leash_names)
		return 0;
	if (s->n_args)
		return diag_fail(c->d, NULL, -EOPNOTSUPP,
				 "%d: libseccomp %u.%u.%u lacks %s, and this "
				 "rule compares its arguments",
				 s->line, seccomp_version()->major,
				 seccomp_version()->minor,
				 seccomp_version()->micro, name);
	for (t = 0; t < c->tokens.n; t++) {
		const struct arch_info *ai = NULL;
		bool muxed = false;
		int64_t nr;
		int a;

		for (a = 0; a < ARCH_COUNT && !ai; a++)
			if (arch_info((enum leash_arch)a)->scmp_token ==
			    c->tokens.v[t])
				ai = arch_info((enum leash_arch)a);
		if (!ai || (nr = syscall_nr(ai->id, name, &muxed)) < 0)
			continue;
		VEC_PUSH(&c->extra, ((struct tok_eq){
			c->tokens.v[t], { (uint32_t)nr, act } }));
	}
	return 0;
}

/* runc's matchCall() for one name of entry @s. */
static int match_call(struct cc *c, const struct sj_syscall *s,
		      const char *name)
{
	struct scmp_arg_cmp cmp[64];
	unsigned count[6] = { 0 };
	uint32_t act;
	size_t i;
	bool twice = false;
	int num, rc;

	if (!name || !*name)
		return diag_fail(c->d, NULL, -EINVAL,
				 "%d: empty string is not a valid syscall",
				 s->line);
	if (s->action == SJ_ACT_NONE || s->action == SJ_ACT_INVALID)
		return diag_fail(c->d, NULL, -EINVAL,
				 "%d: string %s is not a valid action for "
				 "seccomp",
				 s->line, s->action_str ? s->action_str : "");
	act = entry_action(c, s);
	if (act == c->def)
		return 0;	/* redundant: runc skips it */
	num = seccomp_syscall_resolve_name(name);
	if (num == __NR_SCMP_ERROR)
		return lacking_call(c, s, name, act);
	if (s->n_args == 0)
		return add_rule(c, name, num, act, 0, NULL);
	if (s->n_args > ARRAY_SIZE(cmp))
		return diag_fail(c->d, NULL, -E2BIG, "%d: too many arguments",
				 s->line);
	for (i = 0; i < s->n_args; i++) {
		rc = make_cond(c, s, &s->args[i], &cmp[i]);
		if (rc < 0)
			return rc;
		twice |= ++count[s->args[i].index] > 1;
	}
	if (!twice)
		return add_rule(c, name, num, act, (unsigned)s->n_args, cmp);
	/* One argument compared twice: one rule per comparison (an OR). */
	for (i = 0; i < s->n_args; i++) {
		rc = add_rule(c, name, num, act, 1, &cmp[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * Whether runc adds its -ENOSYS stub (patchbpf generateEnosysStub()):
 * per listed arch, numbers above the highest the profile names there get
 * ENOSYS.
 */
static bool stub_applies(const struct cc *c)
{
	const struct sj_profile *p = c->p;

	if (c->o->no_enosys_stub)
		return false;
	/*
	 * runc compares defaultErrnoRet with SCMP_ACT_ERRNO(ENOSYS), the
	 * whole action, so this never holds for a real errno; kept to
	 * behave the same.
	 */
	if (p->has_default_errno_ret && c->o->mode != SJ_DOCKER &&
	    p->default_errno_ret == RET_ENOSYS)
		return false;
	return p->default_action != SJ_ACT_ALLOW &&
	       p->default_action != SJ_ACT_LOG &&
	       p->default_action != SJ_ACT_TRACE;
}

/* The highest number the kept entries name on @token (runc's stub). */
static int stub_largest(struct cc *c, uint32_t token)
{
	const struct sj_profile *p = c->p;
	int largest = 0;
	size_t i, j;

	for (i = 0; i < p->n_sys; i++) {
		const struct sj_syscall *s = &p->sys[i];
		const char *const *names;
		size_t n;

		if (!entry_kept(c, s) || entry_names(c, s, &names, &n) < 0)
			continue;
		for (j = 0; j < n; j++) {
			int nr = seccomp_syscall_resolve_name_arch(token,
								   names[j]);

			if (nr > largest)
				largest = nr;
		}
	}
	return largest;
}

/*
 * What goes before libseccomp's filter, per listed arch: the rules for
 * names libseccomp lacks (leash_names), then runc's stub.
 */
static int prologue(struct cc *c, struct sock_filter **prog, size_t *len)
{
	VEC(part_vec, struct scmp_stub_part) parts = { 0 };
	const struct scmp_stub_eq s390_zero = { 0, RET_ENOSYS };
	bool stub = stub_applies(c);
	size_t t, i, k;
	int rc = 0;

	for (t = 0; t < c->tokens.n; t++) {
		uint32_t token = c->tokens.v[t];
		struct scmp_stub_part part = { 0 };
		VEC(eq_vec, struct scmp_stub_eq) eqs = { 0 };
		int largest = stub ? stub_largest(c, token) : 0;

		for (k = 0; k < t; k++)
			if (c->tokens.v[k] == token)
				break;
		if (k < t)
			continue;	/* listed twice */
		/* s390's multiplexer for large numbers: nr 0 */
		if (largest > 0 &&
		    (token == SCMP_ARCH_S390 || token == SCMP_ARCH_S390X))
			VEC_PUSH(&eqs, s390_zero);
		for (i = 0; i < c->extra.n; i++)
			if (c->extra.v[i].token == token)
				VEC_PUSH(&eqs, c->extra.v[i].eq);
		/* runc: "could not find any syscalls" -- no stub there */
		if (largest == 0 && eqs.n == 0)
			continue;
		/* Tokens are AUDIT_ARCH_* values, but for x32's made-up one. */
		part.audit_arch = token == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 :
							   token;
		part.sel = token == SCMP_ARCH_X86_64 ? SCMP_STUB_NOT_X32 :
			   token == SCMP_ARCH_X32    ? SCMP_STUB_X32 :
						       SCMP_STUB_ANY;
		part.eqs = eqs.v;
		part.n_eqs = eqs.n;
		part.has_above = largest > 0;
		part.above = (uint32_t)largest;
		part.above_action = RET_ENOSYS;
		VEC_PUSH(&parts, part);
	}
	if (parts.n)
		rc = emit_scmp_stub_prepend(parts.v, parts.n, prog, len);
	for (i = 0; i < parts.n; i++)
		free(parts.v[i].eqs);
	VEC_FREE(&parts);
	return rc;
}

static void ctx_release(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

/* ---- a budget before the whole ------------------------------------------- */

/*
 * libseccomp's export time grows much faster than the program it writes:
 * on a 27-line policy whose JSON profile has 1,700 rules it spends 16 s
 * before failing with E2BIG, while each syscall's rules alone export in
 * milliseconds (0.2 s for the worst, fcntl's 1,025).  The whole program
 * holds each syscall's code, so a syscall that alone goes over the
 * kernel's limit settles the matter, and so do parts that together are
 * many times the limit.  Only then is the whole built.
 */
#define PARTS_OVER (2 * BPF_MAXINSNS)

/* One syscall's rules with no others: instructions, or -1 when
 * libseccomp refused (the whole build will say why), or -E2BIG. */
static long part_size(struct cc *c, size_t n_names, const char *name)
{
	struct diag quiet;
	struct cc pc = { .p = c->p, .o = c->o, .d = &quiet, .def = c->def };
	struct sock_filter *prog = NULL;
	size_t i, j, len = 0;
	long out = -1;
	int rc;

	diag_init(&quiet, NULL);
	pc.ctx = seccomp_init(c->def);
	rc = pc.ctx ? add_arches(&pc) : -EINVAL;
	if (rc == 0 && n_names > RUNC_OPTIMIZE_OVER)
		(void)seccomp_attr_set(pc.ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (i = 0; rc == 0 && name && i < c->p->n_sys; i++) {
		const struct sj_syscall *s = &c->p->sys[i];
		const char *const *names;
		size_t n;

		if (!entry_kept(c, s) || entry_names(&pc, s, &names, &n) < 0)
			continue;
		for (j = 0; rc == 0 && j < n; j++)
			if (names[j] && !strcmp(names[j], name))
				rc = match_call(&pc, s, name);
	}
	if (rc == 0)
		rc = emit_scmp_export(pc.ctx, &prog, &len);
	if (rc == 0)
		out = (long)len;
	else if (rc == -E2BIG)
		out = -E2BIG;
	free(prog);
	if (pc.ctx)
		seccomp_release(pc.ctx);
	VEC_FREE(&pc.tokens);
	VEC_FREE(&pc.extra);
	diag_fini(&quiet);
	return out;
}

/* The entries that name @name, as a key: names with the same entries
 * have the same code, which libseccomp may share. */
static char *entries_key(const struct cc *c, const char *name)
{
	struct strbuf key = { 0 };
	size_t i, j;

	for (i = 0; i < c->p->n_sys; i++) {
		const struct sj_syscall *s = &c->p->sys[i];

		if (!entry_kept(c, s))
			continue;
		for (j = 0; j < s->names.n; j++)
			if (s->names.v[j] && !strcmp(s->names.v[j], name))
				sb_printf(&key, "%zu,", i);
		if (s->name && !strcmp(s->name, name))
			sb_printf(&key, "%zu;", i);
	}
	return key.s ? key.s : xstrdup("");
}

/* The names of entries with argument rules, once each, in @v. */
static void arg_names(struct cc *c, struct sj_strs *v)
{
	size_t i, j, k, n;

	for (i = 0; i < c->p->n_sys; i++) {
		const struct sj_syscall *s = &c->p->sys[i];
		const char *const *names;

		if (!s->n_args || !entry_kept(c, s) ||
		    entry_names(c, s, &names, &n) < 0)
			continue;
		for (j = 0; j < n; j++) {
			if (!names[j])
				continue;
			for (k = 0; k < v->n && strcmp(v->v[k], names[j]); k++)
				;
			if (k == v->n) {
				v->v = xrealloc(v->v, (v->n + 1) * sizeof(char *));
				v->v[v->n++] = (char *)names[j];
			}
		}
	}
}

static int budget_check(struct cc *c, size_t n_names)
{
	struct sj_strs names = { 0 };
	char **keys;
	long base = part_size(c, n_names, NULL), part, total = 0;
	size_t i;
	int rc = 0;

	if (base < 0)
		return 0;	/* the whole build says why */
	arg_names(c, &names);
	keys = xcalloc(names.n + 1, sizeof(char *));
	for (i = 0; i < names.n; i++)
		keys[i] = entries_key(c, names.v[i]);
	for (i = 0; i < names.n && rc == 0; i++) {
		bool seen = false;
		size_t k;

		for (k = 0; k < i && !seen; k++)
			seen = !strcmp(keys[k], keys[i]);
		if (seen)
			continue;
		part = part_size(c, n_names, names.v[i]);
		if (part == -E2BIG || part > BPF_MAXINSNS)
			rc = diag_fail(c->d, NULL, -E2BIG, "the rules for '%s' "
				       "alone make more than the kernel's %d "
				       "BPF instructions", names.v[i],
				       BPF_MAXINSNS);
		else if (part > base)
			total += part - base;
	}
	if (rc == 0 && total > PARTS_OVER)
		rc = diag_fail(c->d, NULL, -E2BIG, "the rules of its syscalls "
			       "make %ld BPF instructions one syscall at a "
			       "time, over twice the kernel's %d: refused "
			       "before libseccomp builds the whole, which "
			       "takes it minutes on such rules", total,
			       BPF_MAXINSNS);
	for (i = 0; i < names.n; i++)
		free(keys[i]);
	free(keys);
	free(names.v);
	return rc;
}

int sj_compile(const struct sj_profile *p, const struct sj_opts *o,
	       struct sock_filter **prog, size_t *len, struct diag *d)
{
	static const struct sj_opts runc_opts = { .mode = SJ_RUNC };
	_cleanup_(ctx_release) scmp_filter_ctx ctx = NULL;
	struct cc c = { .p = p, .o = o ? o : &runc_opts, .d = d };
	unsigned before = d->n_errors;
	bool has_def_ret;
	size_t i, j, n_names = 0;
	int rc = 0;

	*prog = NULL;
	*len = 0;
	if (p->default_action == SJ_ACT_NONE && p->n_sys == 0)
		return 0;	/* runc: seccomp disabled */
	for (i = 0; i < p->flags.n; i++)
		if (strcmp(p->flags.v[i], "SECCOMP_FILTER_FLAG_TSYNC") &&
		    strcmp(p->flags.v[i], "SECCOMP_FILTER_FLAG_LOG") &&
		    strcmp(p->flags.v[i], "SECCOMP_FILTER_FLAG_SPEC_ALLOW"))
			return diag_fail(c.d, NULL, -EINVAL,
					 "seccomp flag %s is not known to runc",
					 p->flags.v[i]);
	if (p->default_action == SJ_ACT_NONE ||
	    p->default_action == SJ_ACT_INVALID)
		return diag_fail(c.d, NULL, -EINVAL,
				 "string %s is not a valid action for seccomp",
				 p->default_action_str ? p->default_action_str
						       : "");
	/* dockerd 20.10 does not pass defaultErrnoRet on; podman does. */
	has_def_ret = p->has_default_errno_ret && c.o->mode != SJ_DOCKER;
	c.def = sj_action_value(p->default_action, has_def_ret,
				p->default_errno_ret);
	if (c.o->mode == SJ_PODMAN && !has_def_ret && p->default_errno_name) {
		uint64_t v;

		if (errno_lookup(arch_native(), p->default_errno_name, &v))
			c.def = sj_action_value(p->default_action, true, v);
	}
	if (p->default_action == SJ_ACT_NOTIFY)
		return diag_fail(c.d, NULL, -EINVAL,
				 "SCMP_ACT_NOTIFY cannot be used as default "
				 "action");

	for (i = 0; i < p->n_sys; i++) {
		const char *const *names;
		size_t n;

		if (!entry_kept(&c, &p->sys[i]))
			continue;
		if ((rc = entry_names(&c, &p->sys[i], &names, &n)) < 0)
			return rc;
		n_names += n;
		for (j = 0; j < n; j++)
			if (p->sys[i].action == SJ_ACT_NOTIFY && names[j] &&
			    !strcmp(names[j], "write"))
				return diag_fail(c.d, NULL, -EINVAL,
						 "SCMP_ACT_NOTIFY cannot be "
						 "used for the write syscall");
	}

	rc = budget_check(&c, n_names);
	if (rc < 0)
		return rc;
	ctx = seccomp_init(c.def);
	if (!ctx)
		return diag_fail(c.d, NULL, -EINVAL, "error creating filter");
	c.ctx = ctx;
	rc = add_arches(&c);
	if (rc == 0 && n_names > RUNC_OPTIMIZE_OVER)
		(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (rc == 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	for (i = 0; rc == 0 && i < p->n_sys; i++) {
		const char *const *names;
		size_t n;

		if (!entry_kept(&c, &p->sys[i]))
			continue;
		entry_names(&c, &p->sys[i], &names, &n);
		for (j = 0; rc == 0 && j < n; j++)
			rc = match_call(&c, &p->sys[i], names[j]);
	}
	if (rc == 0)
		rc = emit_scmp_export(ctx, prog, len);
	if (rc == 0)
		rc = prologue(&c, prog, len);
	if (rc < 0) {
		if (d->n_errors == before)	/* libseccomp's own refusal */
			diag_error(d, NULL, "%s", strerror(-rc));
		free(*prog);
		*prog = NULL;
		*len = 0;
	}
	VEC_FREE(&c.tokens);
	VEC_FREE(&c.extra);
	return rc;
}
