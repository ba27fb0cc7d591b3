/* SPDX-License-Identifier: MIT */
/*
 * emit-systemd.c - NAME.service.d/zz-leash.conf: a drop-in that
 * confines a systemd service (systemd 252) as the policy says, as far
 * as systemd's directives can say it.
 *
 * The drop-in is defence in depth (docs/language.md section 8): what
 * systemd says exactly becomes a directive; what it cannot say is a
 * fidelity note naming the rule (an error under --strict), and the
 * drop-in's comments show how to run the command under leash-exec with
 * NAME.bundle, which enforces all of it.  Rules beyond the one-to-one
 * settings:
 *
 *  - Named "zz-" so it sorts after the unit's other drop-ins, and every
 *    list directive it sets starts with an empty assignment: lists
 *    merge across the unit and its drop-ins, and a policy's list must
 *    not be widened by the unit's.
 *  - Directives are in two groups: resources (cgroup limits, rlimits),
 *    which stay right when the command runs under leash-exec, and the
 *    confinement systemd applies itself, which leash-exec replaces
 *    (it needs root and the capabilities it drops to set it up).
 *  - SystemCallFilter= (systemd-filter.c) lists whole calls, for
 *    every arch alike, with one action for what an allow-list denies
 *    (kill, or errno; trap and kill_thread become kill, with a note;
 *    log, trace and notify let the call run).  The rule when a call's
 *    action depends on its arguments (or on the arch) is: the drop-in
 *    is never NARROWER than the policy, and where it is wider it says
 *    so in a note at the rule.
 *      allow-list (default denies): such a call is listed, so allowed
 *        whatever its arguments;
 *      deny-list (default allows): such a call is not listed, so
 *        allowed whatever its arguments.
 *    Narrower would break the service, and most of all the exact
 *    filter leash-exec stacks under it; wider is what a note is for.
 *    systemd also always allows its own @default set under an
 *    allow-list (systemd_default[], systemd 252's list); a note
 *    names those the policy denies.  A call systemd denies with another
 *    errno than the policy (one SystemCallErrorNumber= for a whole
 *    allow-list) is noted too: not wider, but a program may react to
 *    the errno (ENOSYS for clone3 makes glibc fall back to clone).
 *  - read_only_root is ProtectSystem=strict plus ReadOnlyPaths=/, as
 *    leash-exec mounts it: everything read-only, then /proc, /dev/pts,
 *    /dev/shm and the fixed paths the policy's allow rules write
 *    writable again (ReadWritePaths=, "-": a missing path is skipped,
 *    as leash-exec skips it).  mask is InaccessiblePaths=, readonly is
 *    ReadOnlyPaths=; a deny with a fixed path is InaccessiblePaths= for
 *    'r', else ReadOnlyPaths= for 'w' and NoExecPaths= for 'x'.
 *  - The network families the section allows are
 *    RestrictAddressFamilies= (a deny-list of the families it denies
 *    when it allows none); TCP bind ports are SocketBindAllow= and
 *    SocketBindDeny=tcp; socket types and connect ports have no
 *    directive.
 *  - Namespaces: user, ipc, uts, net, mount are PrivateUsers=,
 *    PrivateIPC=, ProtectHostname=, PrivateNetwork=, PrivateMounts=;
 *    systemd 252 has nothing for pid, cgroup and time (a note).
 *  - Commands prefixed with '+' in the unit run without any of this:
 *    the comments say so (a drop-in cannot see the unit's commands).
 */
#include "targets/emit-systemd.h"
#include "targets/emit-apparmor.h"
#include "targets/systemd-filter.h"
#include "targets/landlock.h"
#include "common/tables.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct es {
	struct leash_ctx *ctx;
	const struct flat_policy *f;
	struct diag *d;
	int rc;
};

/* ---- small helpers ------------------------------------------------------- */

static bool eval(struct es *e, const struct expr *x, uint64_t *v)
{
	if (x && res_eval_const(e->ctx, x, v))
		return true;
	e->rc = -EINVAL;	/* check.c evaluated it: only a bug */
	return false;
}

/*
 * A path or name as one word of a directive: systemd splits values on
 * whitespace, reads quotes and backslashes, and expands %-specifiers;
 * refuse what it would read differently rather than guess its quoting.
 */
static bool sd_word(struct es *e, const struct leash_loc *loc,
		    const char *what, const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("\"'\\%", *p) ||
		    *p == 0x7f)
			break;
	if (*p == '\0' && *s)
		return true;
	diag_error(e->d, loc,
		   "cannot write %s '%s' in a systemd unit: it holds a "
		   "character systemd would split, unquote or expand "
		   "(whitespace, quotes, '\\', '%%')",
		   what, s);
	e->rc = -EINVAL;
	return false;
}

/* ---- process: user, capabilities, no_new_privs, AppArmor ----------------- */

static void put_caps(struct strbuf *out, const char *key, uint64_t set)
{
	int c;

	sb_printf(out, "%s=\n", key);
	if (!set)
		return;
	sb_printf(out, "%s=", key);
	for (c = 0; c < CAP_COUNT; c++)
		if (set & FLAT_CAP_BIT(c))
			sb_printf(out, "%sCAP_%s",
				  (set & (FLAT_CAP_BIT(c) - 1)) ? " " : "",
				  cap_name(c));
	sb_putc(out, '\n');
}

/*
 * AppArmorProfile= takes the rest of the line as the name, with
 * %-specifiers expanded ("%%" is one '%'), surrounding whitespace
 * dropped, and a leading '-' read as "ignore errors".
 */
static void put_profile(struct es *e, struct strbuf *out,
			const struct leash_loc *loc, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = name; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			break;
	if (*p || !n || name[0] == '-' || name[0] == ' ' ||
	    name[n - 1] == ' ' || name[n - 1] == '\\') {
		diag_error(e->d, loc,
			   "cannot write the AppArmor profile name '%s' in a "
			   "systemd unit: systemd would read it differently "
			   "(a control character, a leading '-', surrounding "
			   "spaces or a final '\\')",
			   name);
		e->rc = -EINVAL;
		return;
	}
	sb_puts(out, "AppArmorProfile=");
	for (p = name; *p; p++)
		sb_puts(out, *p == '%' ? "%%" : (char[]){ *p, '\0' });
	sb_putc(out, '\n');
}

static void sd_process(struct es *e, struct strbuf *out)
{
	const struct flat_policy *f = e->f;
	uint64_t uid = 0, gid, g;
	size_t i;

	sb_printf(out, "NoNewPrivileges=%s\n", flat_nnp_on(f) ? "yes" : "no");
	/* An empty CapabilityBoundingSet= is the empty set, not a reset:
	 * with no capability the one line says all. */
	put_caps(out, "CapabilityBoundingSet", f->caps);
	put_caps(out, "AmbientCapabilities", f->ambient);
	if (f->user && eval(e, f->user->uid, &uid)) {
		gid = uid;
		if (f->user->gid)
			eval(e, f->user->gid, &gid);
		/* 'user UID' alone runs with GID = UID, as in the OCI
		 * target: systemd would take the passwd entry's group. */
		sb_printf(out, "User=%llu\nGroup=%llu\n",
			  (unsigned long long)uid, (unsigned long long)gid);
		/* leash-exec sets exactly the policy's groups (none
		 * without 'groups'); systemd runs initgroups() for a uid
		 * the user database knows. */
		diag_fidelity(e->d, &f->user->loc,
			      "systemd adds the groups the system's group "
			      "database gives user %llu to %s",
			      (unsigned long long)uid, f->groups ?
			      "the policy's groups" :
			      "the process (the policy lists none)");
		if (uid != 0 && (f->caps & ~f->ambient))
			diag_fidelity(e->d, &f->user->loc,
				      "systemd gives a service of user %llu "
				      "only its AmbientCapabilities= as "
				      "effective: the policy's other "
				      "capabilities stay in the bounding set "
				      "only",
				      (unsigned long long)uid);
	}
	if (f->groups) {
		sb_puts(out, "SupplementaryGroups=\nSupplementaryGroups=");
		for (i = 0; i < f->groups->groups.n; i++)
			if (eval(e, f->groups->groups.v[i], &g))
				sb_printf(out, "%s%llu", i ? " " : "",
					  (unsigned long long)g);
		sb_putc(out, '\n');
	}
	if (f->aa_name || f->aa_template || f->aa_flags || f->n_aa_raw) {
		_cleanup_free_ char *name = emit_aa_profile_name(f);
		const struct leash_loc *loc = f->aa_name ?
			&f->aa_name->loc : NULL;

		put_profile(e, out, loc, name);
	}
}

/* ---- filesystem ---------------------------------------------------------- */

struct paths {
	struct str_vec ro, rw, hidden, noexec;
};

static void add_path(struct es *e, struct str_vec *v,
		     const struct leash_loc *loc, const char *p)
{
	size_t i;

	if (!sd_word(e, loc, "the path", p))
		return;
	/* systemd ignores such a path ("not normalized"), with only a
	 * warning: the restriction would be lost. */
	if (strstr(p, "/../") || (strlen(p) >= 3 &&
				 !strcmp(p + strlen(p) - 3, "/.."))) {
		diag_error(e->d, loc,
			   "cannot write the path '%s' in a systemd unit: "
			   "systemd ignores a path with a '..' component",
			   p);
		e->rc = -EINVAL;
		return;
	}
	for (i = 0; i < v->n; i++)
		if (!strcmp(v->v[i] + 1, p))
			return;
	/* "-": a path missing when the service starts is skipped, as
	 * leash-exec skips it, instead of failing the unit. */
	VEC_PUSH(v, xasprintf("-%s", p));
}

static void deny_paths(struct es *e, const struct fs_stmt *s,
		       struct paths *ps)
{
	const char *m = s->mode.s;
	size_t j;

	for (j = 0; j < s->paths.n; j++) {
		const struct ast_name *n = &s->paths.v[j];
		_cleanup_free_ char *p = ll_fixed_path(n->s);

		if (!p) {
			diag_fidelity(e->d, &n->loc,
				      "'deny %s \"%s\"' is not enforced: "
				      "systemd's path directives need a fixed "
				      "path, not a glob",
				      m, n->s);
			continue;
		}
		if (strchr(m, 'r')) {
			add_path(e, &ps->hidden, &n->loc, p);
			continue;
		}
		if (strchr(m, 'w'))
			add_path(e, &ps->ro, &n->loc, p);
		if (strchr(m, 'x'))
			add_path(e, &ps->noexec, &n->loc, p);
		if (strpbrk(m, "lkm") && !strchr(m, 'x'))
			diag_fidelity(e->d, &s->loc,
				      "'deny %s \"%s\"': systemd has no "
				      "directive that denies only links, locks "
				      "or mmap-exec of a path: those stay "
				      "allowed",
				      m, n->s);
	}
}

static void sd_filesystem(struct es *e, struct strbuf *out)
{
	const struct flat_policy *f = e->f;
	const struct fs_stmt *first_allow = NULL;
	struct paths ps = { { 0 }, { 0 }, { 0 }, { 0 } };
	size_t i, j, n_allow = 0;

	if (f->read_only_root) {
		static const char *const keep[] = {
			"/proc", "/dev/pts", "/dev/shm"
		};

		add_path(e, &ps.ro, NULL, "/");
		for (i = 0; i < ARRAY_SIZE(keep); i++)
			add_path(e, &ps.rw, NULL, keep[i]);
		/* leash-exec's /proc/sys keeps its own read-only mount. */
		add_path(e, &ps.ro, NULL, "/proc/sys");
	}
	for (i = 0; i < f->n_fs; i++) {
		const struct fs_stmt *s = f->fs[i];

		switch (s->kind) {
		case FS_MASK:
		case FS_READONLY:
			for (j = 0; j < s->paths.n; j++)
				add_path(e, s->kind == FS_MASK ? &ps.hidden :
					 &ps.ro, &s->paths.v[j].loc,
					 s->paths.v[j].s);
			break;
		case FS_DENY:
			deny_paths(e, s, &ps);
			break;
		case FS_ALLOW:
			first_allow = first_allow ? first_allow : s;
			n_allow++;
			if (!f->read_only_root || !strpbrk(s->mode.s, "wcd"))
				break;
			for (j = 0; j < s->paths.n; j++) {
				const struct ast_name *n = &s->paths.v[j];
				_cleanup_free_ char *p = ll_fixed_path(n->s);

				if (p)
					add_path(e, &ps.rw, &n->loc, p);
				else
					diag_fidelity(e->d, &n->loc,
						      "'allow %s \"%s\"' stays "
						      "read-only under "
						      "ProtectSystem=strict: "
						      "ReadWritePaths= needs a "
						      "fixed path",
						      s->mode.s, n->s);
			}
			break;
		case FS_READ_ONLY_ROOT:
		default:
			break;
		}
	}
	if (first_allow)
		diag_fidelity(e->d, &first_allow->loc,
			      "%zu filesystem allow rule%s not enforced: "
			      "systemd has no per-path allow-list; AppArmor "
			      "(AppArmorProfile=) and Landlock (leash-exec) "
			      "enforce them",
			      n_allow, n_allow == 1 ? " is" : "s are");
	if (f->read_only_root)
		sb_puts(out, "ProtectSystem=strict\n");
	if (ps.ro.n || ps.rw.n || ps.hidden.n || ps.noexec.n) {
		sb_puts(out, "ReadOnlyPaths=\nReadWritePaths=\n"
			     "InaccessiblePaths=\nNoExecPaths=\n");
		sd_put_words(out, "ReadOnlyPaths", "", &ps.ro);
		sd_put_words(out, "ReadWritePaths", "", &ps.rw);
		sd_put_words(out, "InaccessiblePaths", "", &ps.hidden);
		sd_put_words(out, "NoExecPaths", "", &ps.noexec);
	}
	sd_str_vec_free(&ps.ro);
	sd_str_vec_free(&ps.rw);
	sd_str_vec_free(&ps.hidden);
	sd_str_vec_free(&ps.noexec);
}

/* ---- network and namespaces ---------------------------------------------- */

/* "inet" -> "AF_INET" when the tables know it, else NULL. */
static char *af_name(const char *family)
{
	char *s = xasprintf("AF_%s", family);
	uint64_t v;
	char *p;

	for (p = s + 3; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	if (!const_lookup(arch_native(), s, &v)) {
		free(s);
		return NULL;
	}
	return s;
}

static bool push_unique(struct str_vec *v, char *s)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s)) {
			free(s);
			return false;
		}
	VEC_PUSH(v, s);
	return true;
}

static void remove_word(struct str_vec *v, const char *s)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s)) {
			free(v->v[i]);
			v->v[i] = v->v[--v->n];
			return;
		}
}

/*
 * RestrictAddressFamilies=: the families the section allows (or, with
 * only deny entries, a deny-list of the families it denies whole).
 * systemd checks socket()'s family only, never its type.
 */
static void sd_network(struct es *e, struct strbuf *out, bool *none)
{
	const struct flat_policy *f = e->f;
	struct str_vec allow = { 0 }, deny = { 0 };
	bool allow_mode = false, any_family = false;
	size_t i, j;

	*none = false;
	for (i = 0; i < f->n_net; i++) {
		const struct net_stmt *s = f->net[i];

		if (s->kind == NET_PORTS && (s->deny || !s->op.s ||
					     strcmp(s->op.s, "bind")))
			diag_fidelity(e->d, &s->loc,
				      "%s port rules are not enforced: "
				      "systemd has no directive for them; "
				      "Landlock (leash-exec) enforces them",
				      s->op.s ? s->op.s : "these");
		if (s->kind == NET_NONE) {
			*none = true;
			allow_mode = true;
			push_unique(&allow, xstrdup("AF_UNIX"));
		}
		if (s->kind != NET_RULE)
			continue;
		allow_mode |= !s->deny;
		for (j = 0; j < s->entries.n; j++) {
			const struct net_entry *en = &s->entries.v[j];
			char *af = af_name(en->first.s);

			if (!af) {
				/* A type alone: of every family. */
				if (!s->deny)
					any_family = true;
				diag_fidelity(e->d, &en->loc,
					      "'%s %s' is not enforced: "
					      "RestrictAddressFamilies= has "
					      "no socket types",
					      s->deny ? "deny" : "allow",
					      en->first.s);
				continue;
			}
			if (en->second.s)
				diag_fidelity(e->d, &en->loc,
					      "the type in '%s %s %s' is not "
					      "enforced: "
					      "RestrictAddressFamilies= %s "
					      "every type of %s",
					      s->deny ? "deny" : "allow",
					      en->first.s, en->second.s,
					      s->deny ? "leaves" : "allows",
					      af);
			if (s->deny && !en->second.s)
				push_unique(&deny, af);
			else if (!s->deny)
				push_unique(&allow, af);
			else
				free(af);
		}
	}
	/* A deny entry refuses its family wherever it stands. */
	for (i = 0; allow_mode && i < deny.n; i++)
		remove_word(&allow, deny.v[i]);
	if (allow_mode && !any_family) {
		sb_puts(out, "RestrictAddressFamilies=\n");
		if (allow.n)
			sd_put_words(out, "RestrictAddressFamilies", "",
				     &allow);
		else
			sb_puts(out, "RestrictAddressFamilies=none\n");
	} else if (!allow_mode && deny.n) {
		sb_puts(out, "RestrictAddressFamilies=\n");
		sd_put_words(out, "RestrictAddressFamilies", "~", &deny);
	}
	if ((f->arch_mask & FLAT_ARCH_BIT(ARCH_X86)) &&
	    ((allow_mode && !any_family) || deny.n))
		diag_fidelity(e->d, f->n_net ? &f->net[0]->loc : NULL,
			      "on x86, socketcall() is not checked by "
			      "RestrictAddressFamilies=");
	sd_str_vec_free(&allow);
	sd_str_vec_free(&deny);
}

/*
 * 'allow bind tcp PORT, ...': SocketBindAllow= for each port and
 * SocketBindDeny=tcp for the rest, as Landlock allows TCP binds to the
 * listed ports only (of AF_INET and AF_INET6; other protocols are not
 * restricted either way).  systemd enforces it with a cgroup BPF
 * program (cgroup v2), where Landlock answers EACCES it answers EPERM.
 */
static void sd_bind_ports(struct es *e, struct strbuf *out)
{
	struct str_vec allow = { 0 };
	uint64_t port;
	size_t i, j;

	for (i = 0; i < e->f->n_net; i++) {
		const struct net_stmt *s = e->f->net[i];

		if (s->kind != NET_PORTS || s->deny || !s->op.s ||
		    strcmp(s->op.s, "bind"))
			continue;
		for (j = 0; j < s->ports.n; j++)
			if (eval(e, s->ports.v[j].value, &port))
				push_unique(&allow, xasprintf("tcp:%llu",
					    (unsigned long long)port));
	}
	if (!allow.n)
		return;
	sb_puts(out, "SocketBindAllow=\nSocketBindDeny=\n");
	for (i = 0; i < allow.n; i++)
		sb_printf(out, "SocketBindAllow=%s\n", allow.v[i]);
	sb_puts(out, "SocketBindDeny=tcp\n");
	sd_str_vec_free(&allow);
}

static void sd_namespaces(struct es *e, struct strbuf *out, bool net_none)
{
	static const struct {
		const char *ns, *directive;
	} map[] = {
		{ "user", "PrivateUsers" }, { "ipc", "PrivateIPC" },
		{ "uts", "ProtectHostname" }, { "net", "PrivateNetwork" },
		{ "mount", "PrivateMounts" },
	};
	const struct proc_stmt *ns = e->f->namespaces;
	bool net = net_none;
	size_t i, k;

	for (i = 0; ns && i < ns->namespaces.n; i++) {
		const struct ast_name *n = &ns->namespaces.v[i];

		for (k = 0; k < ARRAY_SIZE(map); k++)
			if (!strcmp(n->s, map[k].ns))
				break;
		if (k == ARRAY_SIZE(map)) {
			diag_fidelity(e->d, &n->loc,
				      "namespace '%s' is not unshared: systemd "
				      "252 has no directive for it",
				      n->s);
			continue;
		}
		if (!strcmp(n->s, "net")) {
			net = true;
			continue;
		}
		sb_printf(out, "%s=yes\n", map[k].directive);
	}
	if (net)
		sb_puts(out, "PrivateNetwork=yes\n");
}

/* ---- limits -------------------------------------------------------------- */

/* One limit value (flat_limit_value()); 0 and e->rc set if unreadable. */
static uint64_t limit_value(struct es *e, const struct limit_value *lv,
			    enum flat_limit l)
{
	uint64_t v = 0;

	if (!flat_limit_value(e->ctx, lv, l, &v))
		e->rc = -EINVAL;
	return v;
}

static void put_num(struct strbuf *out, uint64_t v)
{
	if (v == UINT64_MAX)
		sb_puts(out, "infinity");
	else
		sb_printf(out, "%llu", (unsigned long long)v);
}

static void sd_limits(struct es *e, struct strbuf *out)
{
	static const char *const cg[] = {
		[FL_MEMORY] = "MemoryMax", [FL_PIDS] = "TasksMax",
	};
	int l;

	for (l = 0; l < FL_COUNT; l++) {
		const struct limit_stmt *s = e->f->limits[l];
		const struct flat_limit_info *li = flat_limit_info(l);
		uint64_t soft, hard;
		const char *p;

		if (!s)
			continue;
		soft = limit_value(e, &s->soft, l);
		hard = s->has_hard ? limit_value(e, &s->hard, l) : soft;
		if (l == FL_CPUS) {
			/* Thousandths of a CPU are tenths of a percent. */
			sb_printf(out, "CPUQuota=%llu", (unsigned long long)
				  (soft / 10));
			if (soft % 10)
				sb_printf(out, ".%llu",
					  (unsigned long long)(soft % 10));
			sb_puts(out, "%\n");
			continue;
		}
		if (li->resource < 0) {
			sb_printf(out, "%s=", cg[l]);
			put_num(out, soft);
			sb_putc(out, '\n');
			continue;
		}
		sb_puts(out, "Limit");
		for (p = li->name; *p; p++)
			sb_putc(out, (char)toupper((unsigned char)*p));
		sb_putc(out, '=');
		put_num(out, soft);
		sb_putc(out, ':');
		put_num(out, hard);
		sb_putc(out, '\n');
	}
}

/* ---- the drop-in --------------------------------------------------------- */

static void header(const struct flat_policy *f, struct strbuf *out)
{
	const char *name = f->policy->name.s;
	const struct src_file *src = f->policy->loc.file;

	sb_printf(out,
		  "# %s" SYSTEMD_DIR_SUFFIX "/" SYSTEMD_DROPIN
		  ": policy '%s' of %s, written by leash.\n"
		  "#\n"
		  "# Install it as a drop-in of the service to confine:\n"
		  "#   cp -r %s" SYSTEMD_DIR_SUFFIX
		  " /etc/systemd/system/UNIT.service.d\n"
		  "#   systemctl daemon-reload && systemctl restart UNIT\n"
		  "# \"zz-\" sorts it after the unit's other drop-ins; each "
		  "list it sets starts\n"
		  "# empty, so the unit's own entries do not widen it.\n"
		  "#\n"
		  "# systemd cannot say all a policy says: argument "
		  "conditions, first-match\n"
		  "# order across allow and deny, per-call actions in an "
		  "allow-list, the\n"
		  "# calls systemd always allows (its @default set), socket "
		  "types, connect\n"
		  "# ports, file allow rules.  leash printed a note naming "
		  "each rule this\n"
		  "# drop-in does not enforce as written (an error with "
		  "--strict).  To\n"
		  "# enforce the whole policy, run the command under "
		  "leash-exec with\n"
		  "# %s.bundle: keep only the \"Resources\" lines below, "
		  "if any, and add\n"
		  "# these two (leash-exec starts as root and sets the user, "
		  "capabilities,\n"
		  "# filter, mounts and Landlock itself; the \"Confinement\" "
		  "lines would\n"
		  "# stop it):\n"
		  "#   ExecStart=\n"
		  "#   ExecStart=leash-exec /etc/leash/%s.bundle -- "
		  "COMMAND ARGS...\n"
		  "#\n"
		  "# Commands prefixed with \"+\" (ExecStartPre=+..., ...) "
		  "run without any of\n"
		  "# this confinement: do not use them in a confined unit.\n"
		  "\n[Service]\n",
		  name, name, src ? src->name : "?", name, name, name);
}

int emit_systemd(struct leash_ctx *ctx, const struct flat_policy *f,
		 const struct seccomp_out *sc, struct strbuf *out)
{
	struct es e = { ctx, f, &ctx->diag, 0 };
	struct strbuf res = { 0 }, conf = { 0 };
	bool none;

	if (!sc->ir || !sc->ir->n_arches)
		return diag_fail(e.d, NULL, -EINVAL,
				 "no seccomp filter to write");
	header(f, out);
	sd_limits(&e, &res);
	sd_process(&e, &conf);
	sd_filter(f, sc->ir, e.d, &conf);
	sd_filesystem(&e, &conf);
	sd_network(&e, &conf, &none);
	sd_bind_ports(&e, &conf);
	sd_namespaces(&e, &conf, none);
	if (res.len) {
		sb_puts(out, "# Resources: the same under leash-exec.\n");
		sb_putn(out, res.s, res.len);
		sb_putc(out, '\n');
	}
	sb_puts(out,
		"# Confinement systemd applies (leash-exec replaces it).\n");
	sb_putn(out, conf.s, conf.len);
	sb_free(&res);
	sb_free(&conf);
	return e.rc;
}
