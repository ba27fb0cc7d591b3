/* SPDX-License-Identifier: MIT */
/*
 * vital.c - warnings for denied calls no program lives without
 * (vital.h).
 */
#include "seccomp/vital.h"
#include "common/tables.h"

#include <string.h>

/* A call that the program can still make: the filter lets it through,
 * or hands it to a tracer or supervisor that may. */
static bool lets_through(uint32_t action)
{
	switch (action & IR_RET_ACTION_MASK) {
	case IR_RET_ALLOW:
	case IR_RET_LOG:
	case IR_RET_TRACE:
	case IR_RET_NOTIFY:
		return true;
	default:
		return false;
	}
}

static const struct ir_syscall *find_sys(const struct ir_arch *a,
					 int64_t nr)
{
	size_t i;

	for (i = 0; i < a->n_sys; i++)
		if (a->sys[i].nr == nr)
			return &a->sys[i];
	return NULL;
}

/*
 * Whether @a denies @name whatever its arguments: no rule for it lets
 * it through, and neither does what follows them (the unconditional
 * rule that ends them, or the default).  *@where: the unconditional
 * rule that denies it, or NULL for the default.  A name the arch lacks
 * is not denied: there is nothing to call.  *@action: what it gets
 * where nothing conditional matched.
 */
static bool denied(const struct ir_arch *a, const char *name,
		   const struct sc_stmt **where, uint32_t *action)
{
	int64_t nr = syscall_nr(a->arch, name, NULL);
	const struct ir_syscall *s;
	size_t i;

	*where = NULL;
	*action = a->default_action;
	if (nr < 0)
		return false;
	s = find_sys(a, nr);
	if (!s)
		return !lets_through(a->default_action);
	for (i = 0; i < s->n_rules; i++) {
		if (lets_through(s->rules[i].action))
			return false;
		if (!s->rules[i].cond) {
			*where = s->rules[i].src;
			*action = s->rules[i].action;
			return true;
		}
	}
	return !lets_through(a->default_action);
}

static void warn_at(struct diag *d, const struct ast_policy *p,
		    const struct sc_stmt *where, const char *name,
		    const char *arch, const char *why)
{
	diag_warning(d, where ? &where->loc : &p->name.loc,
		     "the filter denies %s on %s (%s)%s", name, arch,
		     where ? "this rule" : "the default action", why);
}

static const struct ir_arch *native_arch(const struct ir_filter *f)
{
	size_t i;

	for (i = 0; i < f->n_arches; i++)
		if (f->arches[i].arch == arch_native())
			return &f->arches[i];
	return NULL;
}

void warn_vital_calls(struct diag *d, const struct ast_policy *p,
		      const struct ir_filter *f)
{
	static const char *const exits[] = { "exit_group", "exit" };
	static const char *const handlers[] = {
		"rt_sigaction", "sigaction", "signal",
	};
	const struct ir_arch *a = native_arch(f);
	const struct sc_stmt *where, *ignored;
	uint32_t act;
	const char *arch;
	bool can_handle = false;
	size_t i;

	if (!a)
		return;
	arch = arch_info(a->arch)->name;
	if (denied(a, "execve", &where, &act))
		warn_at(d, p, where, "execve", arch,
			": no program can be started under it by leash-exec, bubblewrap or a runtime; only a program that loads the .bpf itself can use it");
	for (i = 0; i < ARRAY_SIZE(exits); i++)
		/* Killed, the process ends; refused, glibc's _exit()
		 * tries exit_group, then exit, then loops forever. */
		if (denied(a, exits[i], &where, &act) &&
		    (act & IR_RET_ACTION_MASK) == IR_RET_ERRNO)
			warn_at(d, p, where, exits[i], arch, i == 0 ?
				": exit() and _exit() then end only the calling thread, or spin at 100% CPU where exit is refused too" :
				": a thread that ends (pthread_exit(), or _exit() after a refused exit_group) spins at 100% CPU instead");
	for (i = 0; i < ARRAY_SIZE(handlers); i++)
		if (syscall_nr(a->arch, handlers[i], NULL) >= 0 &&
		    !denied(a, handlers[i], &ignored, &act))
			can_handle = true;
	if (can_handle && denied(a, "rt_sigreturn", &where, &act))
		warn_at(d, p, where, "rt_sigreturn", arch,
			" but lets the program install signal handlers: a handler that returns crashes it");
}

#define RUNC (1u << 0)
#define CRUN (1u << 1)

/*
 * Measured with tools/trace-runtime.sh (every call either runtime's
 * init made under the filter in hundreds of runs, no_new_privileges on
 * and off), plus what Go's runtime can do on runc's init thread in the
 * same window, read from its source.  profiles/groups.leash says why
 * each call is here; this list and its @runtime must stay equal.
 */
static const struct {
	const char *name;
	unsigned who;
} runtime_calls[] = {
	/* Both: closing descriptors, telling the parent, exec. */
	{ "close", RUNC | CRUN },
	{ "execve", RUNC | CRUN },
	{ "write", RUNC | CRUN },
	/* no_new_privileges off: the filter comes before the switch to
	 * the container's user and capabilities. */
	{ "capset", RUNC | CRUN },
	{ "prctl", RUNC | CRUN },
	{ "capget", RUNC },
	{ "setgid", RUNC },
	{ "setgroups", RUNC },
	{ "setuid", RUNC },
	{ "setresgid", CRUN },
	{ "setresuid", CRUN },
	{ "rt_sigaction", CRUN },
	{ "rt_sigprocmask", CRUN },
	{ "chdir", RUNC },
	{ "getcwd", RUNC },
	{ "getppid", RUNC },
	{ "faccessat2", RUNC },
	{ "newfstatat", RUNC },
	{ "fstat", RUNC },
	{ "read", RUNC },
	{ "fcntl", RUNC },
	/* runc: the exec fifo, closing inherited descriptors through
	 * /proc/self/fd, the pid for the state. */
	{ "openat", RUNC },
	{ "fstatfs", RUNC },
	{ "getdents64", RUNC },
	{ "epoll_ctl", RUNC },
	{ "getpid", RUNC },
	/* Go's runtime on runc's init thread. */
	{ "futex", RUNC },
	{ "rt_sigreturn", RUNC },
	{ "nanosleep", RUNC },
	{ "sched_yield", RUNC },
	{ "tgkill", RUNC },
	{ "mmap", RUNC },
	{ "munmap", RUNC },
	{ "madvise", RUNC },
};

void check_runtime_calls(struct diag *d, const struct ast_policy *p,
			 const struct ir_filter *f, bool fatal)
{
	static const struct {
		const char *name;
		unsigned bit;
		const char *also;
	} runtimes[] = {
		{ "runc", RUNC, " (docker and podman run it too)" },
		{ "crun", CRUN, " (podman's default runtime)" },
	};
	const struct ir_arch *a = native_arch(f);
	const struct sc_stmt *where;
	uint32_t act;
	size_t r, i;

	if (!a)
		return;
	for (r = 0; r < ARRAY_SIZE(runtimes); r++) {
		_cleanup_(sb_free) struct strbuf names = { 0 };
		size_t n = 0;

		for (i = 0; i < ARRAY_SIZE(runtime_calls); i++) {
			if (!(runtime_calls[i].who & runtimes[r].bit) ||
			    !denied(a, runtime_calls[i].name, &where, &act))
				continue;
			sb_printf(&names, "%s%s", n++ ? ", " : "",
				  runtime_calls[i].name);
		}
		if (!n)
			continue;
		(fatal ? diag_error : diag_warning)(d, &p->name.loc,
			"%s calls %s after it loads the filter, which denies %s: no container starts under %s%s; allow @runtime of <groups.leash>",
			runtimes[r].name, names.s, n > 1 ? "them" : "it",
			runtimes[r].name, runtimes[r].also);
	}
}
