/* SPDX-License-Identifier: MIT */
/*
 * complain.c - complain mode (complain.h): the policy enforced by
 * leash-exec, except what it would deny, which is allowed and said.
 *
 * How, and why this way:
 *
 * - The seccomp filter.  The policy is compiled as for 'leash run',
 *   then a copy of its IR has every action other than allow and log
 *   turned into SECCOMP_RET_TRACE with data CD_DENY, and the program is
 *   built from that copy by the same generator.  leash-exec loads it
 *   like any other, so everything else the bundle says (capabilities,
 *   no_new_privs, user, namespaces, limits, the mount tree) applies as
 *   under 'leash run'.  The tracer (record/trace.c) is leash-exec's
 *   parent and ptrace()s it from before its exec, following every
 *   clone, fork and exec, so it sees each such stop and lets the call
 *   proceed.  Why TRACE and not LOG or USER_NOTIF: a LOG filter says
 *   nothing usable (bare numbers, rate-limited); a notification shows
 *   no result and races with the caller's other threads (trace.c says
 *   more), and the recorder already is a ptrace loop.  Unlike KILL or
 *   ERRNO, a TRACE stop lets the call run once the tracer continues it.
 *   Which rule would have denied the call is worked out on the
 *   policy's own IR (call_decider(), as 'leash explain' does), with the
 *   call's real arguments.
 * - Landlock has no permissive mode: a ruleset applied denies.  So the
 *   complain bundle carries none, and the tracer checks each path the
 *   program uses against the ruleset the bundle would have carried
 *   (ll_build(), as emit-bundle.c builds it, limited to the rights this
 *   kernel's Landlock handles, as leash-exec limits them): the calls
 *   that name a path or a TCP port stop too (data CD_WATCH) with their
 *   exit, and a path is judged once the call succeeded, by the file it
 *   really reached.  The rights each call needs are Landlock's
 *   (trace.c, dir_rights()).  That is a model of Landlock, not Landlock:
 *   the man page says complain mode is a learning aid, not a sandbox.
 */
#include "cli/complain.h"
#include "cli/call.h"
#include "common/sigs.h"
#include "seccomp/emit-bpf.h"
#include "targets/emit-bundle.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The data of the filter's SECCOMP_RET_TRACE. */
#define CD_DENY 1u	/* the policy would deny the call */
#define CD_WATCH 2u	/* allowed; its path or port is judged */

/* The calls whose paths and ports Landlock would judge (trace.c knows
 * what each means). */
static const char *const watched[] = {
	"open", "openat", "openat2", "creat", "execve", "execveat", "mkdir",
	"mkdirat", "unlink", "unlinkat", "rmdir", "mknod", "mknodat",
	"symlink", "symlinkat", "rename", "renameat", "renameat2", "link",
	"linkat", "truncate", "truncate64", "bind", "connect", "socketcall",
};

/* ---- the complain filter -------------------------------------------- */

static bool lets_through(uint32_t action)
{
	uint32_t a = action & IR_RET_ACTION_MASK;

	return a == IR_RET_ALLOW || a == IR_RET_LOG;
}

static uint32_t remap(uint32_t action, bool watch)
{
	if (!lets_through(action))
		return IR_RET_TRACE | CD_DENY;
	return watch ? IR_RET_TRACE | CD_WATCH : action;
}

static bool is_watched(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(watched); i++)
		if (!strcmp(name, watched[i]))
			return true;
	return false;
}

static int sys_cmp(const void *a, const void *b)
{
	const struct ir_syscall *x = a, *y = b;

	return (uint32_t)x->nr < (uint32_t)y->nr ? -1 :
	       (uint32_t)x->nr > (uint32_t)y->nr;
}

/* A copy of @f with the complain actions; its conditions are @f's
 * (trace_ir_free() leaves them). */
static struct ir_filter *trace_ir(const struct ir_filter *f, bool watch)
{
	struct ir_filter *c = xcalloc(1, sizeof(*c));
	size_t i, s, r, w;

	c->n_arches = f->n_arches;
	c->arches = xcalloc(f->n_arches ? f->n_arches : 1, sizeof(*c->arches));
	c->bad_arch_action = remap(f->bad_arch_action, false);
	for (i = 0; i < f->n_arches; i++) {
		const struct ir_arch *a = &f->arches[i];
		struct ir_arch *d = &c->arches[i];

		*d = *a;
		d->default_action = remap(a->default_action, false);
		d->unknown_action = remap(a->unknown_action, false);
		d->sys = xcalloc(a->n_sys + ARRAY_SIZE(watched) + 1,
				 sizeof(*d->sys));
		for (s = 0; s < a->n_sys; s++) {
			const struct ir_syscall *y = &a->sys[s];
			bool wy = watch && is_watched(y->name);

			d->sys[s] = *y;
			d->sys[s].rules = xcalloc(y->n_rules + 1,
						  sizeof(struct ir_rule));
			for (r = 0; r < y->n_rules; r++) {
				d->sys[s].rules[r] = y->rules[r];
				d->sys[s].rules[r].action =
					remap(y->rules[r].action, wy);
			}
		}
		/* A watched call the policy lets through by its default:
		 * a rule of its own, to stop it. */
		for (w = 0; watch && lets_through(a->default_action) &&
		     w < ARRAY_SIZE(watched); w++) {
			int64_t nr = syscall_nr(a->arch, watched[w], NULL);
			bool have = false;

			if (nr < 0)
				continue;
			for (s = 0; s < a->n_sys && !have; s++)
				have = (uint32_t)a->sys[s].nr == (uint32_t)nr;
			if (have)
				continue;
			d->sys[d->n_sys] = (struct ir_syscall){
				.nr = nr,
				.name = syscall_name(a->arch, nr),
				.rules = xcalloc(1, sizeof(struct ir_rule)),
				.n_rules = 1,
			};
			d->sys[d->n_sys].rules[0].action =
				IR_RET_TRACE | CD_WATCH;
			d->n_sys++;
		}
		qsort(d->sys, d->n_sys, sizeof(*d->sys), sys_cmp);
	}
	return c;
}

static void trace_ir_free(struct ir_filter *c)
{
	size_t i, s;

	if (!c)
		return;
	for (i = 0; i < c->n_arches; i++) {
		for (s = 0; s < c->arches[i].n_sys; s++)
			free(c->arches[i].sys[s].rules);
		free(c->arches[i].sys);
	}
	free(c->arches);
	free(c);
}

/* ---- building ------------------------------------------------------- */

/* The Landlock rights this kernel handles, as leash-exec limits the
 * bundle's to them (runtime-shim/shim-steps.c). */
static void kernel_rights(uint64_t *fs, uint64_t *net)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1u);

	if (abi < 1) {
		*fs = *net = 0;
		return;
	}
	*fs &= ((UINT64_C(1) << 13) - 1) | (abi >= 2 ? LL_FS_REFER : 0) |
	       (abi >= 3 ? LL_FS_TRUNCATE : 0) |
	       (abi >= 5 ? LL_FS_IOCTL_DEV : 0);
	if (abi < 4)
		*net = 0;
}

static int build(struct complain *c, const char *prog,
		 const struct cli_opts *o, const char *file, bool real);

int complain_build(struct complain *c, const char *prog,
		   const struct cli_opts *o, const char *file)
{
	return build(c, prog, o, file, false);
}

int complain_build_real(struct complain *c, const char *prog,
			const struct cli_opts *o, const char *file)
{
	return build(c, prog, o, file, true);
}

static int build(struct complain *c, const char *prog,
		 const struct cli_opts *o, const char *file, bool real)
{
	struct policy_vec pols = { 0 };
	struct ir_filter *tir = NULL;
	struct strbuf bundle = { 0 };
	size_t i;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->prog = prog;
	leash_ctx_init(&c->ctx, stderr);
	c->ctx.diag.prog = prog;
	if (front_run(&c->ctx, &o->front, file) < 0 ||
	    cli_policies(&c->ctx, o->policy, 1, &pols) < 0)
		goto out;
	c->policy = pols.v[0];
	if (build_seccomp(&c->ctx, c->policy, BACKEND_NATIVE, 0, &c->sc) < 0)
		goto out;
	if (flat_build(&c->ctx, c->policy, &c->fp) < 0)
		goto out;
	c->have_fp = true;
	if (ll_build(&c->ctx, &c->fp, &c->ll) < 0)
		goto out;
	kernel_rights(&c->ll.handled_fs, &c->ll.handled_net);
	/* leash-exec opens each rule's path, following symlinks: the
	 * tracer compares resolved paths. */
	for (i = 0; i < c->ll.paths.n; i++) {
		char *resolved = realpath(c->ll.paths.v[i].path, NULL);

		if (resolved) {
			free(c->ll.paths.v[i].path);
			c->ll.paths.v[i].path = resolved;
		}
	}
	{
		struct seccomp_out tsc = { 0 };

		tir = real ? NULL : trace_ir(c->sc.ir, c->ll.handled_fs ||
					     c->ll.handled_net);
		tsc.ir = real ? c->sc.ir : tir;
		if (emit_bpf(tsc.ir, &tsc.bpf, &tsc.bpf_len) < 0) {
			diag_plain_error(&c->ctx.diag, "the complain filter "
					 "of policy '%s' is too large",
					 c->policy->name.s);
			goto out;
		}
		c->ctx.bundle_no_landlock = !real;
		emit_bundle(&c->ctx, &c->fp, &tsc, &bundle);
		free(tsc.bpf);
	}
	/* --verify's policy was just written and checked: its notes are
	 * 'leash check's to say. */
	diag_flush_notes(&c->ctx.diag, !real);
	if (!diag_failed(&c->ctx.diag)) {
		c->fd = bundle_fd(bundle.s, bundle.len);
		if (c->fd < 0)
			diag_plain_error(&c->ctx.diag, "bundle in memory: %s",
					 strerror(-c->fd));
	}
out:
	diag_summary(&c->ctx.diag);
	trace_ir_free(tir);
	sb_free(&bundle);
	VEC_FREE(&pols);
	return diag_failed(&c->ctx.diag) || c->fd < 0 ? EXIT_INPUT : 0;
}

void complain_fini(struct complain *c)
{
	size_t i;

	if (c->fd >= 0)
		close(c->fd);
	for (i = 0; i < c->said.n; i++)
		free(c->said.v[i]);
	VEC_FREE(&c->said);
	ll_ruleset_free(&c->ll);
	if (c->have_fp)
		flat_free(&c->fp);
	build_seccomp_free(&c->sc);
	leash_ctx_fini(&c->ctx);
}

/* ---- saying it ------------------------------------------------------ */

static void put_loc(struct strbuf *sb, const struct leash_loc *l)
{
	sb_printf(sb, "%s:%d:%d", l->file ? l->file->name : "?",
		  l->first_line, l->first_column);
}

/* Once per distinct text: a program that opens one file a thousand
 * times is told once; every one is counted. */
static void say(struct complain *c, pid_t tid, struct strbuf *what)
{
	size_t i;

	c->n_denials++;
	for (i = 0; i < c->said.n; i++)
		if (!strcmp(c->said.v[i], what->s))
			return;
	fprintf(stderr, "%s: pid %d: %s\n", c->prog, (int)tid, what->s);
	VEC_PUSH(&c->said, sb_steal(what));
}

static bool path_arg(const char *name)
{
	static const char *const names[] = {
		"filename", "pathname", "path", "oldname", "newname",
		"specialfile", "to_pathname",
	};
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* A string argument of the stopped tracee, quoted, at most 200 bytes. */
static bool put_str(struct strbuf *sb, pid_t tid, uint64_t addr)
{
	char buf[200];
	size_t n = rec_peek_upto(tid, addr, buf, sizeof(buf)), i;

	if (!n)
		return false;
	sb_putc(sb, '"');
	for (i = 0; i < n && buf[i]; i++) {
		unsigned char ch = (unsigned char)buf[i];

		if (ch == '"' || ch == '\\')
			sb_printf(sb, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			sb_printf(sb, "\\x%02x", ch);
		else
			sb_putc(sb, (char)ch);
	}
	sb_puts(sb, i == n ? "\"..." : "\"");
	return true;
}

static void put_args(struct strbuf *sb, pid_t tid, const char *name,
		     enum leash_arch arch, const uint64_t a[6])
{
	const struct syscall_sig *sig = sig_lookup_arch(name, arch);
	unsigned n = sig ? sig->nargs : 6, i;

	sb_putc(sb, '(');
	for (i = 0; i < n && i < 6; i++) {
		unsigned w = sig ? sig_arg_width_arch(name, arch, i) : 64;
		uint64_t v = w < 64 ? a[i] & ((UINT64_C(1) << w) - 1) : a[i];

		if (i)
			sb_puts(sb, ", ");
		if (sig && path_arg(sig->arg[i]) && put_str(sb, tid, v))
			continue;
		if (w == 32 && (int32_t)v < 0 && (int32_t)v > -4096)
			sb_printf(sb, "%d", (int)(int32_t)v);
		else if (w == 64 && (int64_t)v < 0 && (int64_t)v > -4096)
			sb_printf(sb, "%lld", (long long)(int64_t)v);
		else if (v < 0x10000)
			sb_printf(sb, "%llu", (unsigned long long)v);
		else
			sb_printf(sb, "0x%llx", (unsigned long long)v);
	}
	sb_putc(sb, ')');
}

/* ---- the judge ------------------------------------------------------ */

static bool judge_call(void *arg, pid_t tid, enum leash_arch arch,
		       int64_t nr, const uint64_t args[6], unsigned data)
{
	struct complain *c = arg;
	const struct sc_stmt *stmt = NULL;
	const struct leash_loc *net = NULL;
	const char *name;
	struct strbuf sb = { 0 };
	char act[48];
	uint32_t action;

	if (data != CD_DENY)
		return false;
	if (arch == ARCH_COUNT) {
		sb_printf(&sb, "would deny syscall %lld of an arch policy "
			  "'%s' does not know: %s", (long long)nr,
			  c->policy->name.s,
			  ir_action_str(c->sc.ir->bad_arch_action, act,
					sizeof(act)));
		say(c, tid, &sb);
		sb_free(&sb);
		return false;
	}
	name = syscall_name(arch, nr);
	action = ir_eval(c->sc.ir, arch_info(arch)->audit_arch, nr, args);
	sb_puts(&sb, "would deny ");
	if (name) {
		sb_puts(&sb, name);
		put_args(&sb, tid, name, arch, args);
	} else {
		sb_printf(&sb, "syscall %lld", (long long)nr);
	}
	sb_printf(&sb, " on %s: %s, ", arch_info(arch)->name,
		  call_action_str(arch, action, act, sizeof(act)));
	switch (call_decider(c->sc.ir, &c->fp, arch, nr, args, &stmt, &net)) {
	case CALL_BAD_ARCH:
		sb_printf(&sb, "arch %s is not in policy '%s' (",
			  arch_info(arch)->name, c->policy->name.s);
		put_loc(&sb, &c->policy->name.loc);
		sb_putc(&sb, ')');
		break;
	case CALL_RULE:
		sb_puts(&sb, "by the rule at ");
		put_loc(&sb, &stmt->loc);
		break;
	case CALL_NETWORK:
		sb_puts(&sb, "by the network section at ");
		put_loc(&sb, net ? net : &c->policy->name.loc);
		/* What to add is the family there, not a seccomp rule,
		 * which comes after it.  socketcall() hides its family. */
		if (name && (!strcmp(name, "socket") ||
			     !strcmp(name, "socketpair"))) {
			obs_value(c->obs, &c->obs->sockets,
				  (args[0] & 0xffff) << 8 | (args[1] & 0xf));
			say(c, tid, &sb);
			sb_free(&sb);
			return false;
		}
		break;
	case CALL_UNKNOWN:
	case CALL_DEFAULT:
	default:
		if (stmt) {
			sb_puts(&sb, "by the default at ");
			put_loc(&sb, &stmt->loc);
		} else {
			sb_printf(&sb, "by the default of policy '%s' (",
				  c->policy->name.s);
			put_loc(&sb, &c->policy->name.loc);
			sb_putc(&sb, ')');
		}
		break;
	}
	say(c, tid, &sb);
	sb_free(&sb);
	return true;
}

/* The rights the rules grant on @path: those of every rule on it or on
 * a directory above it, as Landlock adds them up. */
static uint64_t granted(const struct ll_ruleset *ll, const char *path)
{
	uint64_t g = 0;
	size_t i;

	for (i = 0; i < ll->paths.n; i++) {
		const char *r = ll->paths.v[i].path;
		size_t n = strlen(r);

		if (!strcmp(r, "/") ||
		    (!strncmp(path, r, n) && (!path[n] || path[n] == '/')))
			g |= ll->paths.v[i].access;
	}
	return g;
}

static const char *const right_names[] = {
	"execute", "write_file", "read_file", "read_dir", "remove_dir",
	"remove_file", "make_char", "make_dir", "make_reg", "make_sock",
	"make_fifo", "make_block", "make_sym", "refer", "truncate",
	"ioctl_dev",
};

#define DIR_RIGHTS (LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE | LL_FS_MAKE_CHAR | \
		    LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SOCK | \
		    LL_FS_MAKE_FIFO | LL_FS_MAKE_BLOCK | LL_FS_MAKE_SYM | \
		    LL_FS_REFER)

static void put_rights(struct strbuf *sb, uint64_t rights, const char *pre,
		       const char *post)
{
	bool first = true;
	size_t i;

	if (!rights)
		return;
	sb_printf(sb, "%s ", pre);
	for (i = 0; i < ARRAY_SIZE(right_names); i++)
		if (rights & (UINT64_C(1) << i)) {
			sb_printf(sb, "%s%s", first ? "" : ",", right_names[i]);
			first = false;
		}
	sb_puts(sb, post);
}

/* 'NAME' (FILE:LINE:COL of its first filesystem statement, else of its
 * name). */
static void put_policy(struct strbuf *sb, const struct complain *c)
{
	const struct leash_loc *l = c->fp.n_fs ? &c->fp.fs[0]->loc :
				    &c->policy->name.loc;

	sb_printf(sb, "'%s' (", c->policy->name.s);
	put_loc(sb, l);
	sb_putc(sb, ')');
}

static bool judge_path(void *arg, pid_t tid, const char *call,
		       const char *path, uint64_t access)
{
	struct complain *c = arg;
	uint64_t need = access & c->ll.handled_fs, missing;
	_cleanup_free_ char *dir = NULL;
	const char *slash = strrchr(path, '/');
	struct strbuf sb = { 0 };

	if (!need)
		return false;
	dir = !slash || slash == path ? xstrdup("/") :
	      xstrndup(path, (size_t)(slash - path));
	missing = (need & ~DIR_RIGHTS & ~granted(&c->ll, path)) |
		  (need & DIR_RIGHTS & ~granted(&c->ll, dir));
	if (!missing)
		return false;
	sb_printf(&sb, "would deny %s of %s: Landlock", call, path);
	put_rights(&sb, missing & ~DIR_RIGHTS, " needs", " on it");
	put_rights(&sb, missing & DIR_RIGHTS, missing & ~DIR_RIGHTS ?
		   " and" : " needs", " on its directory");
	sb_puts(&sb, ", which no filesystem rule of policy ");
	put_policy(&sb, c);
	sb_puts(&sb, " grants");
	say(c, tid, &sb);
	sb_free(&sb);
	return true;
}

static bool judge_port(void *arg, pid_t tid, bool bind, unsigned port)
{
	struct complain *c = arg;
	uint64_t bit = bind ? LL_NET_BIND_TCP : LL_NET_CONNECT_TCP;
	struct strbuf sb = { 0 };
	size_t i;

	if (!(c->ll.handled_net & bit))
		return false;
	for (i = 0; i < c->ll.ports.n; i++)
		if (c->ll.ports.v[i].port == port &&
		    (c->ll.ports.v[i].access & bit))
			return false;
	sb_printf(&sb, "would deny TCP %s to port %u: no network rule of "
		  "policy '%s' (", bind ? "bind" : "connect", port,
		  c->policy->name.s);
	put_loc(&sb, &c->policy->name.loc);
	sb_puts(&sb, ") allows it");
	say(c, tid, &sb);
	sb_free(&sb);
	return true;
}

/* leash-exec as find_shim() says, by path: the tracer execs it as
 * given, with no PATH search of its own. */
static char *shim_path(void)
{
	char *shim = find_shim(), *d, *save = NULL;
	_cleanup_free_ char *copy = NULL;

	if (strchr(shim, '/'))
		return shim;
	copy = xstrdup(getenv("PATH") ? getenv("PATH") :
		       "/usr/local/bin:/usr/bin:/bin");
	for (d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char *full = xasprintf("%s/%s", d, shim);

		if (access(full, X_OK) == 0) {
			free(shim);
			return full;
		}
		free(full);
	}
	return shim;
}

int complain_run(struct complain *c, const struct str_vec *shim_args,
		 char **cmd, int n_cmd, struct rec_obs *obs,
		 rec_flush_fn flush, void *arg, bool *ran)
{
	_cleanup_free_ char *shim = shim_path();
	char fdpath[32];
	char **args = shim_argv(shim, shim_args, c->fd, cmd, n_cmd, fdpath);
	struct rec_judge j = {
		.call = judge_call, .path = judge_path, .port = judge_port,
		.arg = c, .exec = args,
	};
	int rc;

	c->obs = obs;
	rc = rec_trace_judged(cmd, &j, obs, flush, arg, ran);
	if (*ran)
		fprintf(stderr, "%s: %zu denial%s allowed (%zu distinct)\n",
			c->prog, c->n_denials, c->n_denials == 1 ? "" : "s",
			c->said.n);
	free(args);
	return rc;
}

/* ---- --verify -------------------------------------------------------- */

static void verify_failed(void *arg, pid_t tid, enum leash_arch arch,
			  int64_t nr, const uint64_t args[6], const char *key,
			  int err)
{
	struct complain *c = arg;
	const struct sc_stmt *stmt = NULL;
	const struct leash_loc *net = NULL;
	const char *name = arch < ARCH_COUNT ? syscall_name(arch, nr) : NULL;
	struct strbuf sb = { 0 };
	uint32_t action;
	char act[48];

	(void)key;
	if (!name)
		return;
	sb_puts(&sb, name);
	put_args(&sb, tid, name, arch, args);
	sb_printf(&sb, " on %s failed with %s under the recorded policy, "
		  "and succeeded while recording: ", arch_info(arch)->name,
		  err == EACCES ? "EACCES" : "EPERM");
	action = ir_eval(c->sc.ir, arch_info(arch)->audit_arch, nr, args);
	if (!lets_through(action)) {
		call_decider(c->sc.ir, &c->fp, arch, nr, args, &stmt, &net);
		sb_printf(&sb, "its seccomp filter gives it %s",
			  call_action_str(arch, action, act, sizeof(act)));
		if (stmt || net) {
			sb_puts(&sb, " (");
			put_loc(&sb, stmt ? &stmt->loc : net);
			sb_putc(&sb, ')');
		}
	} else {
		sb_puts(&sb, "its filter allows it, so a capability the "
			"policy drops, Landlock or its user refused it");
	}
	say(c, tid, &sb);
	sb_free(&sb);
}

int complain_verify(struct complain *c, char **cmd, int n_cmd,
		    struct rec_keys *ok, bool *ran)
{
	_cleanup_free_ char *shim = shim_path(), *real = NULL;
	char fdpath[32];
	char **args = xcalloc((size_t)n_cmd + 4, sizeof(*args));
	struct rec_verify v = {
		.ok = ok, .verifying = true, .exec = args,
		.failed = verify_failed, .arg = c,
	};
	struct rec_obs obs;
	size_t k = 0, i;
	int rc;

	real = realpath(shim, NULL);
	v.shim = real;
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", c->fd);
	args[k++] = shim;
	args[k++] = fdpath;
	args[k++] = (char *)"--";
	for (i = 0; i < (size_t)n_cmd; i++)
		args[k++] = cmd[i];
	args[k] = NULL;
	obs_init(&obs);
	rc = rec_trace_verify(cmd, &v, &obs, NULL, NULL, ran);
	obs_fini(&obs);
	free(args);
	return rc;
}
