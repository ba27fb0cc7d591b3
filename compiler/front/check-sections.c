/* SPDX-License-Identifier: MIT */
/*
 * check-sections.c - the checks of the sections other than seccomp:
 * capabilities (docs/language.md 5), filesystem and network (6), apparmor,
 * process and limits (7), plus the "did you mean" helpers the whole
 * check pass shares (check-int.h).
 *
 * Each function judges one policy's own statements; what a policy
 * inherits was judged in the policy that wrote it, and the settings
 * themselves do not depend on the derived policy.  chk_root_writes() is
 * the exception: whether a root program may write root's files depends
 * on the whole flat view.  A setting given twice
 * in one policy is an error: with several sections of one kind allowed
 * (they concatenate), a silent "last one wins" would hide a mistake.
 */
#include "front/check-int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ID_MAX UINT64_C(4294967294)	/* (uid_t)-1 means "unchanged" */
#define MAX_GROUPS 65536		/* NGROUPS_MAX */

/* What every check here reads. */
struct chk {
	struct leash_ctx *ctx;
	struct diag *d;
	const struct ast_policy *p;
};

/* ---- helpers shared by the pass ------------------------------------------ */

const char *chk_nearest(const char *name, const char *const *words,
			size_t n)
{
	size_t i, d, best = 3;
	const char *found = NULL;

	for (i = 0; i < n; i++) {
		d = edit_distance(name, words[i], 2);
		if (d < best && !(d > 1 && strlen(name) <= 4)) {
			best = d;
			found = words[i];
		}
	}
	/* 'docker' for 'docker-default': a prefix is a good guess too. */
	for (i = 0; !found && i < n && strlen(name) >= 3; i++)
		if (strncmp(words[i], name, strlen(name)) == 0)
			found = words[i];
	return found;
}

bool chk_in_list(const char *name, const char *const *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, words[i]) == 0)
			return true;
	return false;
}

void chk_unknown(struct diag *d, const struct leash_loc *loc,
		 const char *what, const char *name, const char *hint,
		 const char *tail)
{
	if (hint)
		diag_error(d, loc, "unknown %s '%s' (did you mean '%s'?)%s%s",
			   what, name, hint, tail ? "; " : "", tail ? tail : "");
	else
		diag_error(d, loc, "unknown %s '%s'%s%s", what, name,
			   tail ? "; " : "", tail ? tail : "");
}

void chk_repeated(struct diag *d, const struct ast_policy *p,
		  const struct leash_loc *now, const struct leash_loc *before,
		  const char *what)
{
	diag_error(d, now, "'%s' is set twice in policy '%s'", what,
		   p->name.s);
	diag_note(d, before, "previous '%s' was here", what);
}

/* ---- capabilities -------------------------------------------------------- */

static void check_caps(struct chk *c)
{
	static const char *const bases[] = { "none", "docker", "all" };
	size_t i, j;

	for (i = 0; i < c->p->caps.n; i++) {
		const struct cap_stmt *s = &c->p->caps.v[i];
		uint64_t set;

		if (s->kind == CAPS_BASE) {
			const struct ast_name *n = s->names.n ? &s->names.v[0] :
								NULL;

			if (n && !flat_caps_base(n->s, &set))
				chk_unknown(c->d, &n->loc, "capability base", n->s,
					    CHK_NEAREST(n->s, bases),
					    "expected none, docker or all");
			continue;
		}
		if (s->all && s->kind != CAPS_DROP) {
			diag_error(c->d, &s->loc,
				   "'all' works with 'drop' only; start from 'base all' to have every capability");
			continue;
		}
		for (j = 0; j < s->names.n; j++) {
			const struct ast_name *n = &s->names.v[j];

			if (cap_by_name(n->s) >= 0)
				continue;
			if (strcasecmp(n->s, "all") == 0)
				diag_error(c->d, &n->loc,
					   "'all' works with 'drop' only; start from 'base all' to have every capability");
			else
				chk_unknown(c->d, &n->loc, "capability", n->s,
					    cap_suggest(n->s), NULL);
		}
	}
}

/* ---- filesystem ---------------------------------------------------------- */

static void check_mode(struct chk *c, const struct ast_name *m)
{
	static const char letters[] = "rwxmlk";
	unsigned seen = 0;
	const char *p, *at;

	if (!m->s || !m->s[0]) {
		diag_error(c->d, &m->loc,
			   "empty access mode; expected letters from r w x m l k");
		return;
	}
	for (p = m->s; *p; p++) {
		at = strchr(letters, *p);
		if (!at) {
			diag_error(c->d, &m->loc,
				   "unknown access mode '%c' in '%s'; expected letters from r w x m l k",
				   *p, m->s);
			return;
		}
		if (seen & (1u << (at - letters))) {
			diag_error(c->d, &m->loc,
				   "access mode '%c' given twice in '%s'", *p,
				   m->s);
			return;
		}
		seen |= 1u << (at - letters);
	}
}

/*
 * AppArmor glob syntax: '*', '**', '?', '{a,b}' (may nest, and '{,a}'
 * has an empty alternative on purpose), '[abc]', '\' escapes.  Returns
 * an error text, or NULL when @s is a valid glob.
 */
static const char *glob_error(const char *s)
{
	enum { MAX_BRACE = 16 };
	size_t depth = 0;
	const char *p;

	for (p = s; *p; p++) {
		switch (*p) {
		case '\\':
			if (!p[1])
				return "ends with a lone '\\'";
			p++;
			break;
		case '[':
			if (p[1] == ']')
				return "has an empty character class '[]'";
			for (p++; *p && *p != ']'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return "has a '[' without its ']'";
			break;
		case ']':
			return "has a ']' without its '['";
		case '{':
			if (p[1] == '}')
				return "has an empty alternative set '{}'";
			if (++depth > MAX_BRACE)
				return "nests '{' too deeply";
			break;
		case '}':
			if (depth == 0)
				return "has a '}' without its '{'";
			depth--;
			break;
		default:
			break;
		}
	}
	return depth ? "has a '{' without its '}'" : NULL;
}

static bool has_dotdot(const char *s)
{
	const char *p;

	for (p = strstr(s, "/.."); p; p = strstr(p + 1, "/.."))
		if (p[3] == '/' || p[3] == '\0')
			return true;
	return false;
}

static void check_path(struct chk *c, const struct ast_name *n,
		       bool literal)
{
	const char *err;
	const unsigned char *p;

	if (!n->s || n->s[0] != '/') {
		diag_error(c->d, &n->loc,
			   "path must be absolute (start with '/'): '%s'",
			   n->s ? n->s : "");
		return;
	}
	for (p = (const unsigned char *)n->s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			diag_error(c->d, &n->loc,
				   "path contains a control character");
			return;
		}
	}
	if (has_dotdot(n->s)) {
		diag_error(c->d, &n->loc,
			   "path '%s' has a '..' component; write the path it means",
			   n->s);
		return;
	}
	if (literal) {
		/* OCI maskedPaths/readonlyPaths are plain paths. */
		if (strpbrk(n->s, "*?[]{}"))
			diag_error(c->d, &n->loc,
				   "'%s' must be a plain path, without glob characters (it becomes an OCI masked or read-only path)",
				   n->s);
		return;
	}
	err = glob_error(n->s);
	if (err)
		diag_error(c->d, &n->loc, "path '%s' %s", n->s, err);
}

static void check_fs(struct chk *c)
{
	size_t i, j;
	bool literal;

	for (i = 0; i < c->p->fs.n; i++) {
		const struct fs_stmt *s = &c->p->fs.v[i];

		switch (s->kind) {
		case FS_READ_ONLY_ROOT:
			if (s->mode.s || s->paths.n)
				diag_error(c->d, &s->loc,
					   "'read_only_root' takes no mode or path");
			continue;
		case FS_ALLOW:
		case FS_DENY:
			check_mode(c, &s->mode);
			break;
		default:
			break;
		}
		literal = s->kind == FS_MASK || s->kind == FS_READONLY;
		for (j = 0; j < s->paths.n; j++)
			check_path(c, &s->paths.v[j], literal);
	}
}

/* ---- network ------------------------------------------------------------- */

/* AppArmor's network families (apparmor.d(5)), which docs/language.md uses. */
static const char *const families[] = {
	"unix", "inet", "inet6", "netlink", "packet", "ax25", "ipx",
	"appletalk", "netrom", "bridge", "atmpvc", "x25", "rose", "netbeui",
	"security", "key", "ash", "econet", "atmsvc", "rds", "sna", "irda",
	"pppox", "wanpipe", "llc", "ib", "mpls", "can", "tipc", "bluetooth",
	"iucv", "rxrpc", "isdn", "phonet", "ieee802154", "caif", "alg", "nfc",
	"vsock", "kcm", "qipcrtr", "smc", "xdp", "mctp",
};
static const char *const sock_types[] = {
	"stream", "dgram", "raw", "seqpacket", "rdm", "packet",
};

static const char *family_or_type_suggest(const char *s)
{
	const char *h = CHK_NEAREST(s, families);

	return h ? h : CHK_NEAREST(s, sock_types);
}

static void check_net_entry(struct chk *c, const struct net_entry *e)
{
	const struct ast_name *f = &e->first, *t = &e->second;
	bool f_fam = chk_in_list(f->s, families, ARRAY_SIZE(families));
	bool f_type = chk_in_list(f->s, sock_types, ARRAY_SIZE(sock_types));

	if (!t->s) {
		/* A lone word: a family, or a type of any family. */
		if (!f_fam && !f_type)
			chk_unknown(c->d, &f->loc, "network family or socket type", f->s,
				    family_or_type_suggest(f->s), NULL);
		return;
	}
	if (!f_fam) {
		if (f_type)
			diag_error(c->d, &f->loc,
				   "'%s' is a socket type; expected a network family before '%s'",
				   f->s, t->s);
		else
			chk_unknown(c->d, &f->loc, "network family", f->s,
				    CHK_NEAREST(f->s, families),
				    NULL);
	}
	if (chk_in_list(t->s, sock_types, ARRAY_SIZE(sock_types)))
		return;
	if (chk_in_list(t->s, families, ARRAY_SIZE(families)))
		diag_error(c->d, &t->loc,
			   "'%s' is a network family; expected a socket type (stream, dgram, raw, seqpacket, rdm or packet)",
			   t->s);
	else
		chk_unknown(c->d, &t->loc, "socket type", t->s,
			    CHK_NEAREST(t->s, sock_types),
			    NULL);
}

static void check_ports(struct chk *c, const struct net_stmt *s)
{
	static const char *const ops[] = { "bind", "connect" };
	size_t i;

	if (s->deny)
		diag_error(c->d, &s->loc,
			   "ports can only be allowed: Landlock restricts TCP ports by an allow-list");
	if (s->op.s && !chk_in_list(s->op.s, ops, ARRAY_SIZE(ops)))
		chk_unknown(c->d, &s->op.loc, "port operation", s->op.s,
			    CHK_NEAREST(s->op.s, ops),
			    "expected 'bind' or 'connect'");
	if (s->proto.s && strcmp(s->proto.s, "tcp") != 0)
		diag_error(c->d, &s->proto.loc,
			   "unsupported protocol '%s': Landlock restricts TCP ports only; expected 'tcp'",
			   s->proto.s);
	for (i = 0; i < s->ports.n; i++) {
		const struct net_port *pt = &s->ports.v[i];
		uint64_t v;

		if (pt->value && res_eval_const(c->ctx, pt->value, &v) &&
		    v > 65535)
			diag_error(c->d, &pt->value->loc,
				   "port %llu out of range 0..65535",
				   (unsigned long long)v);
	}
}

static void check_net(struct chk *c)
{
	size_t i, j;

	for (i = 0; i < c->p->net.n; i++) {
		const struct net_stmt *s = &c->p->net.v[i];

		if (s->kind == NET_RULE)
			for (j = 0; j < s->entries.n; j++)
				check_net_entry(c, &s->entries.v[j]);
		else if (s->kind == NET_PORTS)
			check_ports(c, s);
	}
}

/* ---- apparmor ------------------------------------------------------------ */

/* AppArmor profile flags (apparmor.d(5)) that take no value. */
static const char *const aa_flags[] = {
	"enforce", "complain", "kill", "unconfined", "prompt", "audit",
	"mediate_deleted", "delegate_deleted", "attach_disconnected",
	"no_attach_disconnected", "chroot_relative", "namespace_relative",
	"chroot_attach", "chroot_no_attach", "debug", "interruptible",
	"default_allow",
};

/* Flags of which a profile can have one. */
static const char *const aa_exclusive[][5] = {
	{ "enforce", "complain", "kill", "unconfined", "prompt" },
	{ "mediate_deleted", "delegate_deleted" },
	{ "attach_disconnected", "no_attach_disconnected" },
	{ "chroot_relative", "namespace_relative" },
	{ "chroot_attach", "chroot_no_attach" },
};

static int exclusive_set(const char *flag)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(aa_exclusive); i++)
		for (j = 0; j < ARRAY_SIZE(aa_exclusive[i]); j++)
			if (aa_exclusive[i][j] &&
			    strcmp(aa_exclusive[i][j], flag) == 0)
				return (int)i;
	return -1;
}

static void check_aa_flags(struct chk *c, const struct aa_stmt *s)
{
	const struct ast_name *set_by[ARRAY_SIZE(aa_exclusive)] = { NULL };
	size_t i, j;

	for (i = 0; i < s->values.n; i++) {
		const struct ast_name *n = &s->values.v[i];
		int x;

		if (!chk_in_list(n->s, aa_flags, ARRAY_SIZE(aa_flags))) {
			chk_unknown(c->d, &n->loc, "apparmor flag", n->s,
				    CHK_NEAREST(n->s, aa_flags),
				    NULL);
			continue;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(s->values.v[j].s, n->s) == 0) {
				diag_error(c->d, &n->loc,
					   "apparmor flag '%s' is listed twice",
					   n->s);
				break;
			}
		}
		x = exclusive_set(n->s);
		if (x < 0 || j < i)
			continue;
		if (set_by[x])
			diag_error(c->d, &n->loc,
				   "apparmor flags '%s' and '%s' exclude each other",
				   set_by[x]->s, n->s);
		else
			set_by[x] = n;
	}
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static void check_aa(struct chk *c)
{
	static const char *const templates[] = { "docker-default", "none" };
	const struct aa_stmt *first[AA_RAW + 1] = { NULL };
	static const char *const names[] = {
		[AA_NAME] = "name", [AA_TEMPLATE] = "template",
		[AA_FLAGS] = "flags", [AA_RAW] = "raw",
	};
	size_t i;

	for (i = 0; i < c->p->apparmor.n; i++) {
		const struct aa_stmt *s = &c->p->apparmor.v[i];
		const struct ast_name *v = s->values.n ? &s->values.v[0] : NULL;
		size_t len;

		if (s->kind != AA_RAW && first[s->kind])
			chk_repeated(c->d, c->p, &s->loc,
				     &first[s->kind]->loc, names[s->kind]);
		else if (s->kind != AA_RAW)
			first[s->kind] = s;
		switch (s->kind) {
		case AA_NAME:
			if (!v || !v->s[0])
				diag_error(c->d, v ? &v->loc : &s->loc,
					   "empty apparmor profile name");
			else if (has_control(v->s))
				diag_error(c->d, &v->loc,
					   "apparmor profile name contains a newline or control character");
			break;
		case AA_TEMPLATE:
			if (v && !chk_in_list(v->s, templates,
					      ARRAY_SIZE(templates)))
				chk_unknown(c->d, &v->loc, "apparmor template", v->s,
					    chk_nearest(v->s, templates,
							ARRAY_SIZE(templates)),
					    "expected docker-default or none");
			break;
		case AA_FLAGS:
			check_aa_flags(c, s);
			break;
		case AA_RAW:
			if (!v || !v->s[0]) {
				diag_error(c->d, v ? &v->loc : &s->loc,
					   "empty raw apparmor rule");
				break;
			}
			if (has_control(v->s)) {
				diag_error(c->d, &v->loc,
					   "raw apparmor rule contains a newline or control character; write one rule per 'raw'");
				break;
			}
			len = strlen(v->s);
			while (len && v->s[len - 1] == ' ')
				len--;
			if (len && v->s[len - 1] != ',' && v->s[len - 1] != '}')
				diag_warning(c->d, &v->loc,
					     "raw apparmor rule does not end with ','");
			break;
		default:
			break;
		}
	}
}

/* ---- process ------------------------------------------------------------- */

static void check_id(struct chk *c, const struct expr *e, const char *what)
{
	uint64_t v;

	if (e && res_eval_const(c->ctx, e, &v) && v > ID_MAX)
		diag_error(c->d, &e->loc, "%s %llu out of range 0..%llu", what,
			   (unsigned long long)v, (unsigned long long)ID_MAX);
}

static void check_namespaces(struct chk *c, const struct proc_stmt *s)
{
	static const char *const ns[] = {
		"user", "pid", "ipc", "uts", "mount", "net", "cgroup", "time",
	};
	const struct ast_name *seen[ARRAY_SIZE(ns)] = { NULL };
	size_t i, k;

	for (i = 0; i < s->namespaces.n; i++) {
		const struct ast_name *n = &s->namespaces.v[i];

		for (k = 0; k < ARRAY_SIZE(ns); k++)
			if (strcmp(n->s, ns[k]) == 0)
				break;
		if (k == ARRAY_SIZE(ns)) {
			chk_unknown(c->d, &n->loc, "namespace", n->s,
				    CHK_NEAREST(n->s, ns), NULL);
			continue;
		}
		if (seen[k]) {
			diag_error(c->d, &n->loc,
				   "namespace '%s' is listed twice", n->s);
			diag_note(c->d, &seen[k]->loc,
				  "previous '%s' was here", n->s);
			continue;
		}
		seen[k] = n;
	}
}

/* A repeated scope is harmless, so a warning: the list is a set. */
static void check_unscoped(struct chk *c, const struct proc_stmt *s)
{
	static const char *const scopes[] = { "signal", "abstract_unix" };
	const struct ast_name *seen[ARRAY_SIZE(scopes)] = { NULL };
	size_t i, k;

	for (i = 0; i < s->scopes.n; i++) {
		const struct ast_name *n = &s->scopes.v[i];

		for (k = 0; k < ARRAY_SIZE(scopes); k++)
			if (strcmp(n->s, scopes[k]) == 0)
				break;
		if (k == ARRAY_SIZE(scopes)) {
			chk_unknown(c->d, &n->loc, "scope", n->s,
				    CHK_NEAREST(n->s, scopes),
				    "expected signal or abstract_unix");
			continue;
		}
		if (seen[k]) {
			diag_warning(c->d, &n->loc,
				     "scope '%s' is listed twice", n->s);
			diag_note(c->d, &seen[k]->loc,
				  "previous '%s' was here", n->s);
			continue;
		}
		seen[k] = n;
	}
}

static void check_process(struct chk *c)
{
	static const char *const names[] = {
		[PROC_NNP] = "no_new_privileges", [PROC_USER] = "user",
		[PROC_GROUPS] = "groups", [PROC_NAMESPACES] = "namespaces",
		[PROC_UNSCOPED] = "unscoped",
	};
	const struct proc_stmt *first[PROC_UNSCOPED + 1] = { NULL };
	size_t i, j;

	for (i = 0; i < c->p->process.n; i++) {
		const struct proc_stmt *s = &c->p->process.v[i];

		if (first[s->kind])
			chk_repeated(c->d, c->p, &s->loc, &first[s->kind]->loc,
				     names[s->kind]);
		else
			first[s->kind] = s;
		switch (s->kind) {
		case PROC_NNP:
			if (s->nnp_value.s && strcmp(s->nnp_value.s, "on") &&
			    strcmp(s->nnp_value.s, "off"))
				diag_error(c->d, &s->nnp_value.loc,
					   "expected 'on' or 'off' after 'no_new_privileges', not '%s'",
					   s->nnp_value.s);
			break;
		case PROC_USER:
			check_id(c, s->uid, "uid");
			check_id(c, s->gid, "gid");
			break;
		case PROC_GROUPS:
			if (s->groups.n > MAX_GROUPS)
				diag_error(c->d, &s->loc,
					   "too many groups (%zu); at most %d",
					   s->groups.n, MAX_GROUPS);
			for (j = 0; j < s->groups.n; j++)
				check_id(c, s->groups.v[j], "group id");
			break;
		case PROC_NAMESPACES:
			check_namespaces(c, s);
			break;
		case PROC_UNSCOPED:
			check_unscoped(c, s);
			break;
		default:
			break;
		}
	}
}

/* ---- limits -------------------------------------------------------------- */

/*
 * A value with its top bit set is a negative number in two's complement
 * (docs/language.md section 1: '-1' is 0xffffffffffffffff), and no
 * limit takes one: written out, 'pids -1' would ask runc for 2^64 - 1
 * pids.  Whoever writes -1 means Docker's "no limit": say how leash
 * spells it.
 */
static bool limit_negative(struct chk *c, const struct limit_stmt *s,
			   const struct limit_value *v, bool rlimit,
			   uint64_t x)
{
	if (!(x >> 63))
		return false;
	if (rlimit)
		diag_error(c->d, &v->loc,
			   "'%s' cannot be negative (%lld); write 'unlimited' for no limit",
			   s->name.s, (long long)x);
	else
		diag_error(c->d, &v->loc,
			   "'%s' cannot be negative (%lld); leave '%s' out to have no limit",
			   s->name.s, (long long)x, s->name.s);
	return true;
}

/* The value in bytes/units; *unlimited for 'unlimited'.  False after
 * reporting. */
static bool limit_value(struct chk *c, const struct limit_stmt *s,
			const struct limit_value *v, enum flat_limit l,
			uint64_t *out, bool *unlimited)
{
	const char *name = s->name.s;
	bool rlimit = flat_limit_info(l)->resource >= 0, precise;

	*unlimited = false;
	switch (v->kind) {
	case LV_UNLIMITED:
		if (!rlimit) {
			diag_error(c->d, &v->loc,
				   "'unlimited' is for rlimits only; leave '%s' out to have no limit",
				   name);
			return false;
		}
		*unlimited = true;
		return true;
	case LV_DECIMAL:
		if (l != FL_CPUS) {
			diag_error(c->d, &v->loc,
				   "'%s' takes an integer, not '%s'", name,
				   v->text);
			return false;
		}
		if (!flat_limit_millis(v->text, out, &precise)) {
			diag_error(c->d, &v->loc, precise ?
				   "'cpus' takes at most 3 decimals, not '%s'" :
				   "'cpus' takes a number such as 1.5, not '%s'",
				   v->text);
			return false;
		}
		return true;
	case LV_SIZE:
		if (l == FL_CPUS || l == FL_PIDS) {
			diag_error(c->d, &v->loc,
				   "'%s' takes a number, not a size", name);
			return false;
		}
		*out = v->num;
		break;
	case LV_EXPR:
		if (!v->expr || !res_eval_const(c->ctx, v->expr, out) ||
		    limit_negative(c, s, v, rlimit, *out))
			return false;
		if (l == FL_CPUS) {
			if (*out > UINT64_MAX / 1000) {
				diag_error(c->d, &v->loc,
					   "'cpus' value %llu is too large",
					   (unsigned long long)*out);
				return false;
			}
			*out *= 1000;
		}
		break;
	default:
		return false;
	}
	return true;
}

/* A count of things a program needs at least one of: its own process,
 * the descriptors it is started with (docs/language.md section 7). */
static bool limit_is_count(enum flat_limit l)
{
	return l == FL_PIDS || l == FL_NOFILE || l == FL_NPROC;
}

static void check_limit(struct chk *c, const struct limit_stmt *s,
			enum flat_limit l)
{
	bool rlimit = flat_limit_info(l)->resource >= 0, su, hu;
	uint64_t sv = 0, hv = 0;
	bool sok, hok = false;

	sok = limit_value(c, s, &s->soft, l, &sv, &su);
	if (s->has_hard && !rlimit) {
		diag_error(c->d, &s->hard.loc,
			   "'%s' takes one value; soft:hard is for rlimits",
			   s->name.s);
		return;
	}
	if (s->has_hard)
		hok = limit_value(c, s, &s->hard, l, &hv, &hu);
	if (sok && !su && sv == 0 && (!rlimit || limit_is_count(l)))
		diag_error(c->d, &s->soft.loc, "'%s' must be more than 0",
			   s->name.s);
	if (hok && !hu && hv == 0 && limit_is_count(l)) {
		diag_error(c->d, &s->hard.loc, "'%s' must be more than 0",
			   s->name.s);
		hok = false;	/* any soft value is above it: said */
	}
	if (sok && hok && !hu && (su || sv > hv)) {
		if (su)
			diag_error(c->d, &s->soft.loc,
				   "soft limit 'unlimited' is above the hard limit %llu",
				   (unsigned long long)hv);
		else
			diag_error(c->d, &s->soft.loc,
				   "soft limit %llu is above the hard limit %llu",
				   (unsigned long long)sv,
				   (unsigned long long)hv);
	}
}

static void check_limits(struct chk *c)
{
	const struct limit_stmt *first[FL_COUNT] = { NULL };
	const char *names[FL_COUNT], *hint;
	size_t i;

	for (i = 0; i < FL_COUNT; i++)
		names[i] = flat_limit_info((enum flat_limit)i)->name;
	for (i = 0; i < c->p->limits.n; i++) {
		const struct limit_stmt *s = &c->p->limits.v[i];
		int l = flat_limit_by_name(s->name.s);

		if (l < 0) {
			hint = chk_nearest(s->name.s, names, FL_COUNT);
			chk_unknown(c->d, &s->name.loc, "limit", s->name.s,
				    hint, NULL);
			continue;
		}
		if (first[l])
			chk_repeated(c->d, c->p, &s->name.loc,
				     &first[l]->name.loc, s->name.s);
		else
			first[l] = s;
		check_limit(c, s, (enum flat_limit)l);
	}
}

/* ---- the policy as a whole ----------------------------------------------- */

/* Neither 'user' nor a user namespace: the program keeps the invoker's
 * uid, which for leash-exec, runc and docker is root. */
static bool runs_as_root(struct leash_ctx *ctx, const struct flat_policy *f)
{
	uint64_t uid;
	size_t i;

	for (i = 0; f->namespaces && i < f->namespaces->namespaces.n; i++)
		if (strcmp(f->namespaces->namespaces.v[i].s, "user") == 0)
			return false;
	if (!f->user || !f->user->uid)
		return true;
	/* A uid that does not evaluate was reported by check_id(). */
	return res_eval_const(ctx, f->user->uid, &uid) && uid == 0;
}

void chk_root_writes(struct leash_ctx *ctx, const struct flat_policy *f)
{
	size_t i;

	if (f->read_only_root || !runs_as_root(ctx, f))
		return;
	for (i = 0; i < f->n_fs; i++)
		if (f->fs[i]->kind == FS_ALLOW)
			return;
	diag_warning(&ctx->diag, &f->policy->name.loc,
		     "under leash-exec the program runs as uid 0 on the host with no filesystem allow-list and no read_only_root: it can write every file root owns (add 'user', a filesystem allow-list or read_only_root)");
}

/* ---- entry points -------------------------------------------------------- */

void chk_caps(struct leash_ctx *ctx, const struct ast_policy *p)
{
	struct chk c = { ctx, &ctx->diag, p };

	check_caps(&c);
}

void chk_fs(struct leash_ctx *ctx, const struct ast_policy *p)
{
	struct chk c = { ctx, &ctx->diag, p };

	check_fs(&c);
}

void chk_net(struct leash_ctx *ctx, const struct ast_policy *p)
{
	struct chk c = { ctx, &ctx->diag, p };

	check_net(&c);
}

void chk_apparmor(struct leash_ctx *ctx, const struct ast_policy *p)
{
	struct chk c = { ctx, &ctx->diag, p };

	check_aa(&c);
}

void chk_process(struct leash_ctx *ctx, const struct ast_policy *p)
{
	struct chk c = { ctx, &ctx->diag, p };

	check_process(&c);
}

void chk_limits(struct leash_ctx *ctx, const struct ast_policy *p)
{
	struct chk c = { ctx, &ctx->diag, p };

	check_limits(&c);
}
