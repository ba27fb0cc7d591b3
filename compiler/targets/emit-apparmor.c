/* SPDX-License-Identifier: MIT */
/*
 * emit-apparmor.c - NAME.apparmor: the AppArmor profile of one policy.
 *
 * The profile is written for AppArmor 3.0 (abi <abi/3.0>, the parser
 * Debian 12 ships) and, unless 'template none', starts from the
 * baseline of Docker's 'docker-default' profile (moby
 * profiles/apparmor/template.go): the signal and ptrace peer rules, no
 * writes to the kernel's knobs under /proc and /sys, no mount.  The
 * policy then decides the rest:
 *
 *   capabilities  one 'capability' rule per capability of the final set;
 *                 none at all for an empty set (AppArmor then denies
 *                 every capability)
 *   filesystem    'allow' rules make an allow-list; without one the
 *                 profile has a blanket 'file,'.  'deny', 'mask' and
 *                 'readonly' become deny rules.  AppArmor's deny always
 *                 wins over an allow, which is what the language means
 *                 by a deny inside an allowed tree.
 *   network       family/type rules; 'none' keeps unix sockets only;
 *                 no rule: a blanket 'network,'
 *   apparmor      name, template, flags, raw rules
 *
 * What AppArmor 3.0 cannot express becomes a fidelity note (TCP ports,
 * read_only_root) and what cannot be written safely an error: a quote in
 * a path or name, a raw rule that would close the profile, a flag this
 * parser refuses.  Every profile this file writes must pass
 * 'apparmor_parser -Q -K' (tests/run-apparmor.sh checks each one).
 */
#include "targets/emit-apparmor.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define INDENT "  "

struct aa {
	struct leash_ctx *ctx;
	const struct flat_policy *f;
	struct strbuf *out;
	struct diag *d;
};

/* ---- names -------------------------------------------------------------- */

char *emit_aa_profile_name(const struct flat_policy *f)
{
	if (f->aa_name && f->aa_name->values.n && f->aa_name->values.v[0].s)
		return xstrdup(f->aa_name->values.v[0].s);
	return xasprintf("leash-%s",
			 f->policy->name.s ? f->policy->name.s : "");
}

static const struct leash_loc *name_loc(const struct flat_policy *f)
{
	if (f->aa_name && f->aa_name->values.n)
		return &f->aa_name->values.v[0].loc;
	return &f->policy->name.loc;
}

/*
 * Why a profile name cannot be written, or NULL.  The name appears as
 * the profile's name and as the peer of the signal and ptrace rules,
 * where AppArmor reads it as a pattern: glob characters would widen the
 * peer, and backslash escapes would end up in the name itself.
 */
static const char *name_problem(const char *s)
{
	const unsigned char *p;

	if (!s[0])
		return "is empty";
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return "contains a control character";
		if (*p == '"')
			return "contains a double quote, which AppArmor cannot quote";
		if (*p == '\\')
			return "contains a backslash, which AppArmor reads as an escape";
		if (strchr("*?[]{}", *p))
			return "contains a glob character, which AppArmor reads as a pattern in the peer rules";
	}
	if (s[0] == ':')
		return "starts with ':', which AppArmor reads as a policy namespace";
	if (s[0] == '&')
		return "starts with '&', which AppArmor reads as a label stack";
	if (strstr(s, "//"))
		return "contains '//', which AppArmor reads as a child profile";
	if (strcmp(s, "unconfined") == 0)
		return "is AppArmor's name for no confinement";
	return NULL;
}

/* Characters that never need quotes in a name. */
static bool name_char_safe(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '_' || c == '-' || c == '+';
}

static void put_name(struct strbuf *sb, const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if (!name_char_safe((unsigned char)*p))
			break;
	if (*p)
		sb_printf(sb, "\"%s\"", s);
	else
		sb_puts(sb, s);
}

/* ---- paths -------------------------------------------------------------- */

/* The end of the '[...]' class starting at @p (on its ']'). */
static const char *class_end(const char *p, const char *end)
{
	for (p++; p < end && *p != ']'; p++)
		if (*p == '\\' && p + 1 < end)
			p++;
	return p;
}

/* The '}' that closes the '{' at @p, and whether the set has a comma of
 * its own (an alternative).  check.c made sure braces balance. */
static const char *brace_end(const char *p, const char *end, bool *comma)
{
	unsigned depth = 0;

	*comma = false;
	for (; p < end; p++) {
		switch (*p) {
		case '\\':
			if (p + 1 < end)
				p++;
			break;
		case '[':
			p = class_end(p, end);
			break;
		case '{':
			depth++;
			break;
		case '}':
			if (--depth == 0)
				return p;
			break;
		case ',':
			if (depth == 1)
				*comma = true;
			break;
		default:
			break;
		}
	}
	return end;
}

/*
 * Copy the glob [@p, @end) into @sb in AppArmor's spelling.  Two things
 * differ from the language's globs:
 *  - AppArmor expands '@{NAME}' as a variable; leash has no variables,
 *    so every '@' is escaped ('\@' is a literal '@' to the parser).
 *  - apparmor_parser refuses a set with one alternative ('{a}': "Invalid
 *    number of items between {}"); it means its only member, so the
 *    braces are dropped.
 * Recursion follows brace nesting, which check.c bounds; @depth keeps it
 * bounded even for a path that never went through check.c.
 */
static void put_glob(struct strbuf *sb, const char *p, const char *end,
		     unsigned depth)
{
	const char *q;
	bool comma;

	if (depth > 64) {
		sb_putn(sb, p, (size_t)(end - p));
		return;
	}
	while (p < end) {
		switch (*p) {
		case '\\':
			sb_putn(sb, p, p + 1 < end ? 2 : 1);
			p += p + 1 < end ? 2 : 1;
			break;
		case '[':
			q = class_end(p, end);
			q = q < end ? q + 1 : end;
			sb_putn(sb, p, (size_t)(q - p));
			p = q;
			break;
		case '{':
			q = brace_end(p, end, &comma);
			if (comma)
				sb_putc(sb, '{');
			put_glob(sb, p + 1, q, depth + 1);
			if (comma && q < end)
				sb_putc(sb, '}');
			p = q < end ? q + 1 : end;
			break;
		case '@':
			sb_puts(sb, "\\@");
			p++;
			break;
		default:
			sb_putc(sb, *p++);
			break;
		}
	}
}

/*
 * Copy the plain path [@p, @end) of a mask or readonly rule: OCI takes
 * these as they are, so every character means itself.  A backslash or
 * glob character gets a backslash (check.c refuses the glob ones, but a
 * backslash is a plain character there), '@' too.
 */
static void put_literal(struct strbuf *sb, const char *p, const char *end)
{
	for (; p < end; p++) {
		if (strchr("\\*?[]{}@", *p))
			sb_putc(sb, '\\');
		sb_putc(sb, *p);
	}
}

char *emit_aa_glob(const char *path)
{
	struct strbuf t = { 0 };

	put_glob(&t, path, path + strlen(path), 0);
	sb_putc(&t, '\0');
	return sb_steal(&t);
}

/* Why a path cannot be written into a profile, or NULL. */
static const char *path_problem(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return "contains a control character";
		if (*p == '"')
			return "contains a double quote, which an AppArmor profile cannot quote";
	}
	return NULL;
}

/* Characters that never need quotes in a path (the glob ones included:
 * docker's own template writes them bare). */
static bool path_char_safe(unsigned char c)
{
	return isalnum(c) || (c && strchr("/._-+*?{}[]^@\\~", c));
}

/*
 * Write @path, then @suffix (nothing, or the "everything below" glob),
 * as an AppArmor path, quoted when it has a space or another character
 * the profile lexer would stop at.  A ',' is safe inside a word but not
 * at its end or doubled, where it would end the rule.
 */
static void put_path(struct strbuf *sb, const char *path, size_t len,
		     bool literal, const char *suffix)
{
	struct strbuf t = { 0 };
	bool quote = false;
	size_t i;

	if (literal)
		put_literal(&t, path, path + len);
	else
		put_glob(&t, path, path + len, 0);
	sb_puts(&t, suffix);
	for (i = 0; i < t.len && !quote; i++) {
		unsigned char c = (unsigned char)t.s[i];

		if (c == ',')
			quote = i + 1 == t.len || t.s[i + 1] == ',';
		else
			quote = !path_char_safe(c);
	}
	if (quote)
		sb_putc(sb, '"');
	sb_putn(sb, t.s, t.len);
	if (quote)
		sb_putc(sb, '"');
	sb_free(&t);
}

/* ---- raw rules ---------------------------------------------------------- */

/*
 * Why a raw rule could escape the profile, or NULL.  The rule lands
 * verbatim between the profile's braces: a '}' it did not open would end
 * the profile early (and what follows would be a rule outside any
 * profile), an open quote or '{' would swallow the profile's own end.
 * A '#' comment is not skipped and a brace counts even after a
 * backslash: safe rather than clever.
 */
static const char *raw_problem(const char *s)
{
	bool quoted = false;
	long depth = 0;
	const char *p;

	for (p = s; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "contains a control character";
		if (*p == '\\') {
			if (!p[1])
				return "ends with a '\\', which would join the next line";
			/* An escaped quote does not open or close a
			 * string; an escaped brace is still counted. */
			if (quoted || p[1] == '"')
				p++;
			continue;
		}
		if (*p == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (*p == '{')
			depth++;
		else if (*p == '}' && --depth < 0)
			return "has a '}' without its '{', which would close the profile";
	}
	if (quoted)
		return "has an unterminated '\"'";
	if (depth > 0)
		return "leaves a '{' open, which would swallow the end of the profile";
	return NULL;
}

/* ---- sections ----------------------------------------------------------- */

/*
 * Docker's baseline, from moby's profiles/apparmor/template.go: the
 * rules that keep a container from the kernel's knobs.  @{PROC} comes
 * from tunables/global.  Docker's extra peer, the daemon's own profile,
 * has no fixed name and is left out: unconfined covers a daemon
 * without one.
 */
static const char *const docker_denies[] = {
	"deny @{PROC}/* w,   # no writes to files directly in /proc",
	"# no writes outside /proc/<pid>/** and /proc/sys/**",
	"deny @{PROC}/{[^1-9],[^1-9][^0-9],[^1-9s][^0-9y][^0-9s],[^1-9][^0-9][^0-9][^0-9/]*}/** w,",
	"deny @{PROC}/sys/[^k]** w,  # /proc/sys except /proc/sys/kernel",
	"deny @{PROC}/sys/kernel/{?,??,[^s][^h][^m]**} w,  # all but shm*",
	"deny @{PROC}/sysrq-trigger rwklx,",
	"deny @{PROC}/kcore rwklx,",
	"",
	"deny mount,",
	"",
	"deny /sys/[^f]*/** wklx,",
	"deny /sys/f[^s]*/** wklx,",
	"deny /sys/fs/[^c]*/** wklx,",
	"deny /sys/fs/c[^g]*/** wklx,",
	"deny /sys/fs/cg[^r]*/** wklx,",
	"deny /sys/firmware/** rwklx,",
	"deny /sys/kernel/security/** rwklx,",
};

static void emit_template(struct aa *a, const char *name)
{
	struct strbuf *o = a->out;
	size_t i;

	sb_puts(o, INDENT "# Baseline of Docker's docker-default profile.\n");
	sb_puts(o, INDENT "umount,\n");
	sb_puts(o, INDENT "# The host (unconfined) may signal the profile's processes;\n"
		   INDENT "# these may signal and trace each other.\n");
	sb_puts(o, INDENT "signal (receive) peer=unconfined,\n");
	sb_puts(o, INDENT "signal (send,receive) peer=");
	put_name(o, name);
	sb_puts(o, ",\n");
	sb_puts(o, INDENT "ptrace (trace,read,tracedby,readby) peer=");
	put_name(o, name);
	sb_puts(o, ",\n\n");
	for (i = 0; i < ARRAY_SIZE(docker_denies); i++) {
		if (docker_denies[i][0])
			sb_printf(o, INDENT "%s\n", docker_denies[i]);
		else
			sb_putc(o, '\n');
	}
}

static void emit_caps(struct aa *a)
{
	struct strbuf *o = a->out;
	int c;

	if (!a->f->caps) {
		sb_puts(o, INDENT "# No capability rule: every capability is denied.\n");
		return;
	}
	for (c = 0; c < CAP_COUNT; c++) {
		const char *n;

		if (!(a->f->caps & FLAT_CAP_BIT(c)))
			continue;
		sb_puts(o, INDENT "capability ");
		/* cap_name() says "SYS_ADMIN"; AppArmor wants "sys_admin". */
		for (n = cap_name(c); *n; n++)
			sb_putc(o, (char)tolower((unsigned char)*n));
		sb_puts(o, ",\n");
	}
}

static void emit_net_entries(struct aa *a, const struct net_stmt *s)
{
	size_t i;

	for (i = 0; i < s->entries.n; i++) {
		const struct net_entry *e = &s->entries.v[i];

		if (!e->first.s)
			continue;
		sb_printf(a->out, INDENT "%snetwork %s%s%s,\n",
			  s->deny ? "deny " : "", e->first.s,
			  e->second.s ? " " : "",
			  e->second.s ? e->second.s : "");
	}
}

static void emit_net(struct aa *a)
{
	const struct flat_policy *f = a->f;
	const struct net_stmt *none = NULL;
	bool allow_list = false;
	size_t i;

	for (i = 0; i < f->n_net; i++) {
		const struct net_stmt *s = f->net[i];

		if (s->kind == NET_NONE && !none)
			none = s;
		else if (s->kind == NET_RULE && !s->deny && s->entries.n)
			allow_list = true;
		else if (s->kind == NET_PORTS)
			diag_fidelity(a->d, &s->loc,
				      "AppArmor 3.0 has no port rules: '%s %s' "
				      "ports are enforced by Landlock under "
				      "leash-exec, not by the profile",
				      s->op.s ? s->op.s : "",
				      s->proto.s ? s->proto.s : "");
	}
	if (none) {
		/* 'none' forbids every socket but unix ones, whatever
		 * else is allowed; deny rules still add up. */
		sb_puts(a->out, INDENT "network unix,\n");
	} else if (!allow_list) {
		sb_puts(a->out, INDENT "network,\n");
	}
	for (i = 0; i < f->n_net; i++) {
		const struct net_stmt *s = f->net[i];

		if (s->kind != NET_RULE)
			continue;
		if (!s->deny && (none || !s->entries.n))
			continue;
		emit_net_entries(a, s);
	}
}

/*
 * The permissions of a mode, in a fixed order so that "xr" and "rx"
 * give the same profile.
 *
 * 'x' in an allow rule becomes 'ix': the child program runs under this
 * same profile.  That is what a container wants: 'px'/'cx' need another
 * (child) profile that leash does not write, so exec would fail, and
 * 'ux' would leave confinement altogether.  A deny rule takes a bare
 * 'x' (AppArmor refuses a qualifier there).
 */
static void put_perms(struct strbuf *sb, const char *mode, bool deny)
{
	static const char order[] = "rwmlkx";
	const char *c;

	for (c = order; *c; c++) {
		if (!strchr(mode, *c))
			continue;
		if (*c == 'x' && !deny)
			sb_putc(sb, 'i');
		sb_putc(sb, *c);
	}
}

static void put_rule(struct aa *a, bool deny, const char *path, size_t len,
		     bool literal, const char *suffix, const char *perms)
{
	sb_printf(a->out, INDENT "%s", deny ? "deny " : "");
	put_path(a->out, path, len, literal, suffix);
	sb_printf(a->out, " %s,\n", perms);
}

/*
 * mask and readonly name plain paths that may be a file or a directory
 * (the compiler cannot know which), so each gets a rule for the path
 * itself and one for everything below it.
 */
static void put_both(struct aa *a, const char *path, const char *perms)
{
	size_t len = strlen(path);

	put_rule(a, true, path, len, true, "", perms);
	while (len > 0 && path[len - 1] == '/')
		len--;
	put_rule(a, true, path, len, true, "/**", perms);
}

/* The first 'read_only_root', most derived policy first. */
static const struct leash_loc *read_only_root_loc(const struct flat_policy *f)
{
	size_t i, j;

	for (i = 0; i < f->n_chain; i++)
		for (j = 0; j < f->chain[i]->fs.n; j++)
			if (f->chain[i]->fs.v[j].kind == FS_READ_ONLY_ROOT)
				return &f->chain[i]->fs.v[j].loc;
	return &f->policy->name.loc;
}

static void emit_fs(struct aa *a, bool template)
{
	const struct flat_policy *f = a->f;
	bool allow_list = false;
	size_t i, j;

	for (i = 0; i < f->n_fs; i++)
		if (f->fs[i]->kind == FS_ALLOW && f->fs[i]->paths.n)
			allow_list = true;
	if (!allow_list)
		sb_puts(a->out, INDENT "file,\n");
	else if (template)
		diag_fidelity(a->d, &f->policy->name.loc,
			      "the docker-default template includes "
			      "<abstractions/base>, which also allows reading "
			      "shared libraries, locale data and a few devices "
			      "outside the filesystem allow-list; 'template "
			      "none' leaves it out");

	for (i = 0; i < f->n_fs; i++) {
		const struct fs_stmt *s = f->fs[i];
		struct strbuf perms = { 0 };

		if (s->kind == FS_ALLOW || s->kind == FS_DENY)
			put_perms(&perms, s->mode.s ? s->mode.s : "",
				  s->kind == FS_DENY);
		for (j = 0; j < s->paths.n; j++) {
			const struct ast_name *p = &s->paths.v[j];
			const char *why = path_problem(p->s);

			if (why) {
				diag_error(a->d, &p->loc,
					 "path '%s' %s", p->s, why);
				continue;
			}
			switch (s->kind) {
			case FS_ALLOW:
			case FS_DENY:
				if (!perms.len)
					break;
				put_rule(a, s->kind == FS_DENY, p->s,
					 strlen(p->s), false, "", perms.s);
				break;
			case FS_MASK:
				/* Docker's maskedPaths as rules: no access at
				 * all.  'm' needs an open file, which 'r'
				 * already denies. */
				put_both(a, p->s, "rwklx");
				break;
			case FS_READONLY:
				/* A read-only mount refuses writes and new
				 * links; reading, locking and exec work. */
				put_both(a, p->s, "wl");
				break;
			default:
				break;
			}
		}
		sb_free(&perms);
	}
	if (f->read_only_root) {
		/* AppArmor matches paths, not mounts: denying writes
		 * everywhere would also forbid the writable mounts a
		 * read-only root keeps (tmpfs /tmp, /dev, /proc). */
		diag_fidelity(a->d, read_only_root_loc(f),
			      "read_only_root has no AppArmor rule (AppArmor "
			      "matches paths, not mounts); the runtime's "
			      "read-only root mount enforces it");
	}
}

/* Flags apparmor_parser 3.0 refuses, though later parsers know them. */
static const char *flag_problem(const char *flag)
{
	static const char *const unknown[] = {
		"prompt", "interruptible", "default_allow",
	};
	size_t i;

	if (strcmp(flag, "debug") == 0)
		return "is no longer valid in AppArmor 3.0";
	for (i = 0; i < ARRAY_SIZE(unknown); i++)
		if (strcmp(flag, unknown[i]) == 0)
			return "is unknown to AppArmor 3.0 (apparmor_parser 3.0 refuses the profile)";
	return NULL;
}

static void put_flags(struct aa *a, bool template)
{
	const struct aa_stmt *s = a->f->aa_flags;
	size_t i, n = 0;

	if (!s) {
		/* Docker's flags: a container's paths are often
		 * disconnected from the host's root, and files may be
		 * deleted while open. */
		if (template)
			sb_puts(a->out,
				" flags=(attach_disconnected,mediate_deleted)");
		return;
	}
	for (i = 0; i < s->values.n; i++) {
		const struct ast_name *v = &s->values.v[i];
		const char *why = flag_problem(v->s);

		if (why) {
			diag_error(a->d, &v->loc, "apparmor flag '%s' %s", v->s,
				 why);
			continue;
		}
		sb_puts(a->out, n++ ? "," : " flags=(");
		sb_puts(a->out, v->s);
	}
	if (n)
		sb_putc(a->out, ')');
}

static void emit_raw(struct aa *a)
{
	const struct flat_policy *f = a->f;
	size_t i;

	if (!f->n_aa_raw)
		return;
	sb_puts(a->out, "\n" INDENT "# Raw rules, verbatim.\n");
	for (i = 0; i < f->n_aa_raw; i++) {
		const struct aa_stmt *s = f->aa_raw[i];
		const struct ast_name *v;
		const char *why;

		if (!s->values.n)
			continue;
		v = &s->values.v[0];
		why = raw_problem(v->s);
		if (why) {
			diag_error(a->d, &v->loc, "raw apparmor rule %s", why);
			continue;
		}
		sb_printf(a->out, INDENT "%s\n", v->s);
	}
}

int emit_apparmor(struct leash_ctx *ctx, const struct flat_policy *f,
		  struct strbuf *out)
{
	struct aa a = { .ctx = ctx, .f = f, .out = out, .d = &ctx->diag };
	unsigned errors = ctx->diag.n_errors;
	_cleanup_free_ char *name = emit_aa_profile_name(f);
	const char *why = name_problem(name);
	bool template = true;

	if (f->aa_template && f->aa_template->values.n &&
	    strcmp(f->aa_template->values.v[0].s, "none") == 0)
		template = false;
	if (why)
		diag_error(a.d, name_loc(f), "apparmor profile name '%s' %s",
			 name, why);

	sb_printf(out, "# AppArmor profile of the leash policy '%s'.\n",
		  f->policy->name.s);
	sb_puts(out, "# Written by leash; load it with 'apparmor_parser -r FILE'.\n");
	sb_puts(out, "abi <abi/3.0>,\n\n#include <tunables/global>\n\n");
	sb_puts(out, "profile ");
	put_name(out, name);
	put_flags(&a, template);
	sb_puts(out, " {\n");
	if (template) {
		sb_puts(out, INDENT "#include <abstractions/base>\n\n");
		emit_template(&a, name);
		sb_putc(out, '\n');
	}
	sb_puts(out, INDENT "# Capabilities: the final set.\n");
	emit_caps(&a);
	sb_puts(out, "\n" INDENT "# Network.\n");
	emit_net(&a);
	sb_puts(out, "\n" INDENT "# Filesystem.\n");
	emit_fs(&a, template);
	emit_raw(&a);
	sb_puts(out, "}\n");

	if (ctx->diag.n_errors != errors) {
		sb_free(out);
		return -EINVAL;
	}
	return 0;
}
