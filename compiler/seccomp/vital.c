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

/* Who makes a call, with no_new_privileges on (the filter is loaded
 * last) and off (loaded before the switch to the container's user and
 * capabilities, which are then made under it). */
#define RUNC_NNP (1u << 0)
#define RUNC (1u << 1)
#define CRUN_NNP (1u << 2)
#define CRUN (1u << 3)
#define RUNC_BOTH (RUNC_NNP | RUNC)

/*
 * Measured with tools/trace-runtime.sh (every call either runtime's
 * init made under the filter in hundreds of runs, no_new_privileges on
 * and off), plus what Go's runtime can do on runc's init thread in the
 * same window, read from its source.  profiles/groups.leash says why
 * each call is here; the calls with RUNC_NNP or CRUN_NNP are its
 * @runtime-nnp, all of them its @runtime, and tests/run-runtime-group.sh
 * checks that both stay equal.
 */
static const struct {
	const char *name;
	unsigned who;
} runtime_calls[] = {
	/* Both: closing descriptors, telling the parent, exec. */
	{ "close", RUNC_BOTH | CRUN_NNP | CRUN },
	{ "execve", RUNC_BOTH | CRUN_NNP | CRUN },
	{ "write", RUNC_BOTH | CRUN },
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
	{ "openat", RUNC_BOTH },
	{ "fstatfs", RUNC_BOTH },
	{ "getdents64", RUNC_BOTH },
	{ "epoll_ctl", RUNC_BOTH },
	{ "getpid", RUNC_BOTH },
	/* Go's runtime on runc's init thread. */
	{ "futex", RUNC_BOTH },
	{ "rt_sigreturn", RUNC_BOTH },
	{ "nanosleep", RUNC_BOTH },
	{ "sched_yield", RUNC_BOTH },
	{ "tgkill", RUNC_BOTH },
	{ "mmap", RUNC_BOTH },
	{ "munmap", RUNC_BOTH },
	{ "madvise", RUNC_BOTH },
};

void check_runtime_calls(struct diag *d, const struct ast_policy *p,
			 const struct ir_filter *f, bool nnp, bool fatal)
{
	static const struct {
		const char *name;
		unsigned bit, nnp_bit;
		const char *also;
	} runtimes[] = {
		{ "runc", RUNC, RUNC_NNP, " (docker and podman run it too)" },
		{ "crun", CRUN, CRUN_NNP, " (podman's default runtime)" },
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

		unsigned bit = nnp ? runtimes[r].nnp_bit : runtimes[r].bit;

		for (i = 0; i < ARRAY_SIZE(runtime_calls); i++) {
			if (!(runtime_calls[i].who & bit) ||
			    !denied(a, runtime_calls[i].name, &where, &act))
				continue;
			sb_printf(&names, "%s%s", n++ ? ", " : "",
				  runtime_calls[i].name);
		}
		if (!n)
			continue;
		(fatal ? diag_error : diag_warning)(d, &p->name.loc,
			"%s calls %s after it loads the filter%s, which denies %s: no container starts under %s%s; allow %s of <groups.leash>",
			runtimes[r].name, names.s,
			nnp ? " (with no_new_privileges on, as for this policy)" : "",
			n > 1 ? "them" : "it", runtimes[r].name,
			runtimes[r].also, nnp ? "@runtime-nnp" : "@runtime");
	}
}
