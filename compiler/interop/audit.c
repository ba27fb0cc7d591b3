/* SPDX-License-Identifier: MIT */
/*
 * audit.c - 'leash audit TARGET': findings against container hardening
 * practice and the known ways out of a container.
 *
 * The input is loaded as in 'leash diff' (model.h) and every seccomp
 * question is answered by running the filter (sim-bpf.c): a syscall is
 * "allowed" when the filter lets it through for some argument vector,
 * whatever the rules look like.  Each finding has a severity, an id that
 * scripts can match, one line of why, and where the input says so.
 */
#include "interop/audit.h"
#include "common/sigs.h"

#include <errno.h>
#include <linux/audit.h>
#include <stdlib.h>
#include <string.h>

/* audit_models() returns these as 0..3. */
enum sev { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH };

static const char *const sev_names[] = { "info", "low", "medium", "high" };

struct finding {
	enum sev sev;
	const char *id;
	char *msg;
	char *where;
};
VEC(finding_vec, struct finding);

struct audit {
	const struct model *t;
	struct finding_vec f;
	bool caps_known;	/* t->caps holds the set the process gets */
	bool caps_assumed;	/* ... assumed (a seccomp profile alone) */
	enum leash_arch primary;
	struct sim_vec_list vecs;
};

static void add(struct audit *a, enum sev sev, const char *id, char *where,
		const char *fmt, ...) LEASH_PRINTF(5, 6);
static void add(struct audit *a, enum sev sev, const char *id, char *where,
		const char *fmt, ...)
{
	struct finding f = { sev, id, NULL, where };
	struct strbuf sb = { 0 };
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	f.msg = sb_steal(&sb);
	for (i = 0; i < a->f.n; i++)
		if (!strcmp(a->f.v[i].id, id) && !strcmp(a->f.v[i].msg, f.msg))
			break;
	if (i < a->f.n) {
		free(f.msg);
		free(where);
		return;
	}
	VEC_PUSH(&a->f, f);
}

static bool has_cap(const struct audit *a, const char *name)
{
	int c = cap_by_name(name);

	return a->caps_known && c >= 0 && (a->t->caps & FLAT_CAP_BIT(c));
}

static bool lacks_cap(const struct audit *a, const char *name)
{
	int c = cap_by_name(name);

	return a->caps_known && c >= 0 && !(a->t->caps & FLAT_CAP_BIT(c));
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* ---- what the filter lets through ---------------------------------------- */

static bool passes(uint32_t action)
{
	return sim_rank(action) >= sim_rank(SECCOMP_RET_LOG);
}

struct reach {
	bool exists;		/* the arch has the syscall */
	bool any;		/* allowed for some argument vector */
	bool all;		/* allowed for every vector tried */
	bool args;		/* the answer depends on the arguments */
	uint64_t ex[6];		/* an allowed vector */
	int64_t nr;
};

static struct reach reach(struct audit *a, enum leash_arch arch,
			  const char *name)
{
	static const uint64_t zero[6];
	const struct sim_filter *ts[1] = { &a->t->sim };
	struct reach r = { 0 };
	uint32_t z;
	size_t i;

	r.nr = syscall_nr(arch, name, NULL);
	if (r.nr < 0)
		return r;
	r.exists = true;
	z = sim_action(&a->t->sim, arch, r.nr, zero, NULL);
	r.any = r.all = passes(z);
	sim_vectors(ts, 1, arch, r.nr, &a->vecs);
	for (i = 0; i < a->vecs.n; i++) {
		uint32_t act = sim_action(&a->t->sim, arch, r.nr, a->vecs.v[i].a,
					  NULL);

		if (act != z)
			r.args = true;
		if (passes(act) && !r.any)
			memcpy(r.ex, a->vecs.v[i].a, sizeof(r.ex));
		r.any |= passes(act);
		r.all &= passes(act);
	}
	return r;
}

static bool allowed_with(struct audit *a, enum leash_arch arch,
			 const char *name, const uint64_t args[6])
{
	int64_t nr = syscall_nr(arch, name, NULL);

	return nr >= 0 && passes(sim_action(&a->t->sim, arch, nr, args, NULL));
}

/* ---- dangerous syscalls -------------------------------------------------- */

struct danger {
	const char *name;
	enum sev sev;
	const char *cap;	/* without it the kernel refuses the call */
	const char *why;
};

static const struct danger dangers[] = {
	{ "mount", SEV_HIGH, "SYS_ADMIN",
	  "mounts filesystems: remounting or mounting host devices is the classic escape" },
	{ "umount2", SEV_MEDIUM, "SYS_ADMIN",
	  "unmounts what hides host paths (masked /proc entries)" },
	{ "move_mount", SEV_HIGH, "SYS_ADMIN",
	  "new mount API: same power as mount" },
	{ "fsopen", SEV_HIGH, "SYS_ADMIN",
	  "new mount API: same power as mount" },
	{ "fsmount", SEV_HIGH, "SYS_ADMIN",
	  "new mount API: same power as mount" },
	{ "open_tree", SEV_HIGH, "SYS_ADMIN", "new mount API: clones mounts" },
	{ "pivot_root", SEV_MEDIUM, "SYS_ADMIN", "changes the root mount" },
	{ "setns", SEV_HIGH, "SYS_ADMIN", "joins other namespaces" },
	{ "unshare", SEV_HIGH, NULL,
	  "new namespaces, user namespaces first, open kernel code meant for CAP_SYS_ADMIN" },
	{ "keyctl", SEV_HIGH, NULL,
	  "the kernel keyring is not namespaced: keys of the host and other containers" },
	{ "add_key", SEV_HIGH, NULL, "the kernel keyring is not namespaced" },
	{ "request_key", SEV_HIGH, NULL,
	  "the kernel keyring is not namespaced" },
	{ "bpf", SEV_HIGH, "BPF",
	  "eBPF programs: a large kernel attack surface that reads kernel memory" },
	{ "perf_event_open", SEV_MEDIUM, NULL,
	  "performance events leak kernel addresses and have had privilege escalations" },
	{ "userfaultfd", SEV_MEDIUM, NULL,
	  "stalls kernel copies at will: the tool of many kernel race exploits" },
	{ "io_uring_setup", SEV_MEDIUM, NULL,
	  "io_uring operations run without passing the seccomp filter" },
	{ "io_uring_enter", SEV_MEDIUM, NULL,
	  "io_uring operations run without passing the seccomp filter" },
	{ "io_uring_register", SEV_MEDIUM, NULL,
	  "io_uring operations run without passing the seccomp filter" },
	{ "ptrace", SEV_MEDIUM, NULL,
	  "bypasses seccomp before Linux 4.8 and inspects every process it may trace" },
	{ "kexec_load", SEV_HIGH, "SYS_BOOT", "replaces the running kernel" },
	{ "kexec_file_load", SEV_HIGH, "SYS_BOOT",
	  "replaces the running kernel" },
	{ "init_module", SEV_HIGH, "SYS_MODULE",
	  "loads code into the host kernel" },
	{ "finit_module", SEV_HIGH, "SYS_MODULE",
	  "loads code into the host kernel" },
	{ "delete_module", SEV_MEDIUM, "SYS_MODULE",
	  "unloads host kernel modules" },
	{ "open_by_handle_at", SEV_HIGH, "DAC_READ_SEARCH",
	  "opens host files by handle, past the container's root (the 'shocker' escape)" },
	{ "iopl", SEV_HIGH, "SYS_RAWIO", "raw I/O port access" },
	{ "ioperm", SEV_HIGH, "SYS_RAWIO", "raw I/O port access" },
	{ "reboot", SEV_MEDIUM, "SYS_BOOT", "reboots the host" },
	{ "swapon", SEV_MEDIUM, "SYS_ADMIN", "changes the host's swap" },
	{ "swapoff", SEV_MEDIUM, "SYS_ADMIN", "changes the host's swap" },
	{ "syslog", SEV_MEDIUM, "SYSLOG",
	  "reads the kernel log, which leaks kernel addresses" },
	{ "settimeofday", SEV_MEDIUM, "SYS_TIME",
	  "sets the host clock: time is not namespaced" },
	{ "clock_settime", SEV_MEDIUM, "SYS_TIME",
	  "sets the host clock: time is not namespaced" },
	{ "acct", SEV_LOW, "SYS_PACCT", "process accounting of the host" },
	{ "quotactl", SEV_LOW, "SYS_ADMIN", "host filesystem quotas" },
	{ "lookup_dcookie", SEV_LOW, "SYS_ADMIN",
	  "kernel profiling interface" },
};

static void check_dangers(struct audit *a)
{
	enum leash_arch arch = a->primary;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dangers); i++) {
		const struct danger *d = &dangers[i];
		struct reach r = reach(a, arch, d->name);
		enum sev sev = d->sev;
		bool lacks;

		if (!r.exists || !r.any)
			continue;
		/* Allowed by the filter but refused by the kernel for want
		 * of a capability: one layer left, not zero. */
		lacks = d->cap && lacks_cap(a, d->cap) &&
			!((!strcmp(d->cap, "BPF") ||
			   !strcmp(d->cap, "SYSLOG")) &&
			  has_cap(a, "SYS_ADMIN"));
		if (lacks)
			sev = SEV_LOW;
		add(a, sev, "syscall-allowed",
		    model_where(a->t, arch, r.nr, r.ex), "%s allowed%s: %s%s%s%s",
		    d->name, r.all ? "" : " for some arguments", d->why,
		    lacks ? " (the process lacks CAP_" : "",
		    lacks ? d->cap : "", lacks ? ")" : "");
	}
}

/* clone/unshare with namespace flags, personality without rules. */
static void check_args(struct audit *a)
{
	static const uint64_t ns_flags = 0x10000000 | 0x00020000;
	uint64_t v[6] = { 0 };
	enum leash_arch arch = a->primary;
	bool s390 = arch == ARCH_S390 || arch == ARCH_S390X;
	struct reach r;
	int64_t nr;

	v[s390 ? 1 : 0] = ns_flags;	/* CLONE_NEWUSER | CLONE_NEWNS */
	nr = syscall_nr(arch, "clone", NULL);
	if (nr >= 0 && allowed_with(a, arch, "clone", v) &&
	    !has_cap(a, "SYS_ADMIN"))
		add(a, SEV_HIGH, "clone-namespaces",
		    model_where(a->t, arch, nr, v),
		    "clone allowed with CLONE_NEWUSER|CLONE_NEWNS: new "
		    "namespaces open kernel code meant for CAP_SYS_ADMIN");
	/* clone3's flags are in memory: no rule can tell a thread from a
	 * new user namespace, so clone3 allowed at all allows both. */
	r = reach(a, arch, "clone3");
	if (r.exists && r.any && !has_cap(a, "SYS_ADMIN"))
		add(a, SEV_HIGH, "clone-namespaces",
		    model_where(a->t, arch, r.nr, r.ex),
		    "clone3 allowed: its flags are in memory, where the "
		    "filter cannot see them, so CLONE_NEWUSER|CLONE_NEWNS "
		    "pass too: new namespaces open kernel code meant for "
		    "CAP_SYS_ADMIN");
	memset(v, 0, sizeof(v));
	v[0] = 0x0040000;	/* ADDR_NO_RANDOMIZE */
	nr = syscall_nr(arch, "personality", NULL);
	if (nr >= 0 && allowed_with(a, arch, "personality", v))
		add(a, SEV_MEDIUM, "personality-unrestricted",
		    model_where(a->t, arch, nr, v),
		    "personality allowed without argument rules: "
		    "ADDR_NO_RANDOMIZE turns ASLR off, READ_IMPLIES_EXEC "
		    "makes data executable");
}

/* One call restricted, its twin open: the rule is walked around. */
struct pair {
	const char *closed, *open;
	enum sev sev;		/* a rule on @closed's arguments */
	enum sev blocked;	/* @closed blocked whole */
	const char *why;
};

/*
 * A rule on @closed's arguments that @open lacks is walked around
 * whatever else the filter does.  @closed blocked whole is a finding
 * only where the filter lets through what it does not name (a deny
 * list): there, blocking openat() while allowing openat2() only looks
 * like a rule.  In an allow-list @closed is blocked because nobody
 * listed it, and @open was listed on purpose (open() left out next to
 * openat() is what an allow-list for a modern libc looks like): what
 * @open itself can do is judged as any allowed call is (the dangers
 * above, clone3 in check_args()).
 */
static const struct pair pairs[] = {
	{ "openat", "openat2", SEV_HIGH, SEV_MEDIUM, "opens the same files" },
	{ "open", "openat", SEV_HIGH, SEV_INFO, "opens the same files" },
	{ "clone", "clone3", SEV_HIGH, SEV_MEDIUM,
	  "creates the same processes and namespaces, with its flags in memory where the filter cannot see them" },
	{ "execve", "execveat", SEV_HIGH, SEV_MEDIUM,
	  "runs the same programs" },
	{ "socket", "socketcall", SEV_MEDIUM, SEV_LOW,
	  "multiplexes socket() with its arguments in memory, where the filter cannot see them" },
	{ "accept", "accept4", SEV_LOW, SEV_INFO, "does the same" },
	{ "renameat", "renameat2", SEV_LOW, SEV_INFO, "does the same" },
};

/* What the filter does with a syscall it does not name on @arch: the
 * input's default where it says one, else what a number past every
 * syscall gets (a raw filter). */
static bool default_passes(struct audit *a, enum leash_arch arch)
{
	static const uint64_t zero[6];

	if (a->t->has_default)
		return passes(a->t->default_action);
	return passes(sim_action(&a->t->sim, arch, syscall_max_nr(arch) + 64,
				 zero, NULL));
}

static void check_pairs(struct audit *a, enum leash_arch arch)
{
	bool deny_list = default_passes(a, arch);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		const struct pair *p = &pairs[i];
		struct reach c = reach(a, arch, p->closed);
		struct reach o = reach(a, arch, p->open);

		enum sev sev = p->sev;

		if (!c.exists || !o.exists || c.all || !o.all)
			continue;
		if (!c.any && !deny_list)
			continue;
		if (!c.any)
			sev = p->blocked;
		add(a, sev, "bypass-pair",
		    model_where(a->t, arch, o.nr, o.ex),
		    "%s: %s is %s but %s is allowed: it %s",
		    arch_info(arch)->name, p->closed,
		    c.any ? "restricted" : "blocked", p->open, p->why);
	}
}

/* The arches besides the primary: their syscalls are other doors. */
static void check_arches(struct audit *a)
{
	int arch;
	size_t i;

	for (arch = 0; arch < ARCH_COUNT; arch++) {
		if (arch == (int)a->primary ||
		    !(a->t->arches & FLAT_ARCH_BIT(arch)))
			continue;
		check_pairs(a, (enum leash_arch)arch);
		for (i = 0; i < ARRAY_SIZE(dangers); i++) {
			struct reach p = reach(a, a->primary, dangers[i].name);
			struct reach o = reach(a, (enum leash_arch)arch,
					       dangers[i].name);

			if (!p.exists || p.any || !o.exists || !o.any)
				continue;
			add(a, SEV_HIGH, "arch-bypass",
			    model_where(a->t, (enum leash_arch)arch, o.nr, o.ex),
			    "%s: blocked on %s but allowed on %s, which the "
			    "filter accepts", dangers[i].name,
			    arch_info(a->primary)->name,
			    arch_info((enum leash_arch)arch)->name);
		}
		if (arch_info((enum leash_arch)arch)->audit_arch ==
			    arch_info(a->primary)->audit_arch ||
		    !(arch_info((enum leash_arch)arch)->audit_arch &
		      __AUDIT_ARCH_64BIT))
			add(a, SEV_LOW, "compat-arch",
			    NULL, "%s calls are accepted next to %s: a second "
			    "syscall table and its compat code, for 32-bit "
			    "programs few containers run",
			    arch_info((enum leash_arch)arch)->name,
			    arch_info(a->primary)->name);
	}
}

/* A 32-bit argument compared on 64 bits: the upper half changes the
 * answer although the kernel never reads it. */
static void check_widths(struct audit *a, enum leash_arch arch)
{
	const struct sim_filter *ts[1] = { &a->t->sim };
	_cleanup_free_ int64_t *nrs = NULL;
	size_t n, i, k;
	unsigned arg;

	if (!(arch_info(arch)->audit_arch & __AUDIT_ARCH_64BIT))
		return;
	n = sim_numbers(arch, &nrs);
	for (i = 0; i < n && !sim_over_budget(); i++) {
		const char *name = syscall_name(arch, nrs[i]);
		bool done[6][2] = { { false } };

		if (!name)
			continue;
		sim_vectors(ts, 1, arch, nrs[i], &a->vecs);
		for (k = 0; k < a->vecs.n; k++) {
			for (arg = 0; arg < 6; arg++) {
				uint64_t v[6], w[6];
				uint32_t base, up;
				int dir;

				if (sig_arg_width_arch(name, arch, arg) != 32)
					continue;
				memcpy(v, a->vecs.v[k].a, sizeof(v));
				v[arg] &= 0xffffffffull;
				memcpy(w, v, sizeof(w));
				w[arg] |= 0x100000000ull;
				base = sim_action(&a->t->sim, arch, nrs[i], v, NULL);
				up = sim_action(&a->t->sim, arch, nrs[i], w, NULL);
				if (sim_rank(up) == sim_rank(base))
					continue;
				dir = sim_rank(up) > sim_rank(base);
				if (done[arg][dir])
					continue;
				done[arg][dir] = true;
				{
					_cleanup_free_ char *call =
						sim_call_str(name, w);
					char b1[48], b2[48];

					add(a, dir ? SEV_HIGH : SEV_LOW,
					    dir ? "arg32-bypass" :
						  "arg32-garbage",
					    model_where(a->t, arch, nrs[i], w),
					    "%s: %s argument %u is 32-bit but "
					    "compared on 64 bits: %s gets %s "
					    "instead of %s",
					    arch_info(arch)->name, name, arg,
					    call,
					    sim_action_str(arch, up, b1, sizeof(b1)),
					    sim_action_str(arch, base, b2,
							   sizeof(b2)));
				}
			}
		}
	}
}

/* What syscalls newer than the policy get. */
static void check_default(struct audit *a)
{
	static const uint64_t zero[6];
	enum leash_arch arch = a->primary;
	int64_t nr = syscall_max_nr(arch) + 64;
	uint32_t act = sim_action(&a->t->sim, arch, nr, zero, NULL);
	/* A profile as written: runc's stub is the runtime's, not its. */
	bool profile = a->t->kind != MODEL_POLICY && a->t->kind != MODEL_BPF &&
		       a->t->model == MODEL_AS_PROFILE;
	char buf[48];

	sim_action_str(arch, act, buf, sizeof(buf));
	if (profile && (act & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO &&
	    (act & SECCOMP_RET_DATA) != 38 /* ENOSYS */)
		add(a, SEV_LOW, "errno-new-syscalls", NULL,
		    "syscalls newer than the profile get %s: libc falls back "
		    "to an older call only on ENOSYS; runc alone adds an "
		    "ENOSYS stub above the highest syscall the profile names "
		    "(see --as runtime), crun does not", buf);
	else if (passes(act))
		add(a, SEV_MEDIUM, "default-allow", NULL,
		    "syscalls the filter does not name get %s: every new "
		    "kernel interface is let through", buf);
	else if ((act & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO &&
		 (act & SECCOMP_RET_DATA) != 38 /* ENOSYS */)
		add(a, SEV_LOW, "errno-new-syscalls", NULL,
		    "syscalls newer than the filter get %s: libc falls back "
		    "to an older call only on ENOSYS (write 'unknown "
		    "errno(ENOSYS);')", buf);
	else if (sim_rank(act) <= sim_rank(SECCOMP_RET_TRAP))
		add(a, SEV_LOW, "kill-new-syscalls", NULL,
		    "syscalls newer than the filter get %s: a newer libc "
		    "dies instead of falling back (write 'unknown "
		    "errno(ENOSYS);')", buf);
}

static void check_seccomp(struct audit *a)
{
	const struct model *t = a->t;
	int arch;

	if (t->seccomp == MODEL_SC_NONE) {
		add(a, SEV_HIGH, "no-seccomp", NULL,
		    "no seccomp filter: every syscall of the host kernel is "
		    "reachable");
		return;
	}
	if (t->seccomp == MODEL_SC_UNSEEN) {
		add(a, SEV_INFO, "seccomp-not-shown", NULL,
		    "'docker inspect' does not show the seccomp profile: "
		    "dockerd's default is assumed and not audited here");
		return;
	}
	a->primary = arch_native();
	if (!(t->arches & FLAT_ARCH_BIT(a->primary))) {
		for (arch = 0; arch < ARCH_COUNT; arch++)
			if (t->arches & FLAT_ARCH_BIT(arch))
				break;
		if (arch == ARCH_COUNT) {
			add(a, SEV_INFO, "filter-kills-all", NULL,
			    "the filter accepts no architecture: every call "
			    "is killed");
			return;
		}
		a->primary = (enum leash_arch)arch;
	}
	check_dangers(a);
	check_args(a);
	check_pairs(a, a->primary);
	check_arches(a);
	for (arch = 0; arch < ARCH_COUNT; arch++)
		if (t->arches & FLAT_ARCH_BIT(arch))
			check_widths(a, (enum leash_arch)arch);
	check_default(a);
}

/* ---- capabilities and settings ------------------------------------------- */

struct cap_risk {
	const char *cap;
	enum sev sev;
	const char *why;
};

static const struct cap_risk cap_risks[] = {
	{ "SYS_ADMIN", SEV_HIGH,
	  "mount, namespaces, bpf and more: the usual way out of a container" },
	{ "SYS_MODULE", SEV_HIGH,
	  "loads kernel modules: code in the host kernel" },
	{ "SYS_PTRACE", SEV_HIGH,
	  "traces and injects into every process it can see" },
	{ "SYS_RAWIO", SEV_HIGH, "raw device and I/O port access" },
	{ "MAC_ADMIN", SEV_HIGH, "changes the LSM policy" },
	{ "MAC_OVERRIDE", SEV_HIGH, "overrides the LSM policy" },
	{ "NET_ADMIN", SEV_MEDIUM,
	  "reconfigures interfaces, routes and firewall (the host's with host networking)" },
	{ "SYS_BOOT", SEV_MEDIUM, "reboots the host, loads a new kernel" },
	{ "SYS_TIME", SEV_MEDIUM,
	  "sets the host clock: time is not namespaced" },
	{ "BPF", SEV_MEDIUM, "loads eBPF programs" },
	{ "PERFMON", SEV_MEDIUM, "performance monitoring of the host" },
	{ "SYSLOG", SEV_MEDIUM,
	  "reads the kernel log, which leaks kernel addresses" },
	{ "AUDIT_CONTROL", SEV_MEDIUM, "changes the host's audit rules" },
	{ "CHECKPOINT_RESTORE", SEV_MEDIUM,
	  "sets PIDs and reads other processes' state" },
	{ "SYS_RESOURCE", SEV_LOW, "overrides resource limits and quotas" },
	{ "NET_RAW", SEV_LOW,
	  "raw sockets: spoofing on the container network" },
	{ "LINUX_IMMUTABLE", SEV_LOW,
	  "changes immutable and append-only flags" },
	{ "IPC_LOCK", SEV_LOW, "locks memory past its limit" },
	{ "SYS_NICE", SEV_LOW,
	  "raises priorities and moves other processes' memory" },
	{ "WAKE_ALARM", SEV_LOW, "wakes the host from suspend" },
	{ "BLOCK_SUSPEND", SEV_LOW, "keeps the host from suspending" },
};

static void check_caps(struct audit *a)
{
	const struct model *t = a->t;
	const char *assumed = a->caps_assumed ?
		" (assumed: the profile alone does not say; Docker's "
		"default set with --cap-add/--cap-drop)" : "";
	size_t i;

	if ((t->caps & FLAT_ALL_CAPS) == FLAT_ALL_CAPS)
		add(a, SEV_HIGH, "all-capabilities", dup_or_null(t->caps_where),
		    "every capability: root in the container is root on the "
		    "host%s", assumed);
	for (i = 0; i < ARRAY_SIZE(cap_risks); i++) {
		const struct cap_risk *c = &cap_risks[i];
		enum sev sev = c->sev;

		if (!has_cap(a, c->cap))
			continue;
		add(a, sev, "capability",
		    model_cap_where(t, cap_by_name(c->cap)),
		    "CAP_%s: %s%s", c->cap, c->why, assumed);
	}
	if (has_cap(a, "DAC_READ_SEARCH")) {
		bool open = t->seccomp == MODEL_SC_NONE;

		if (t->seccomp == MODEL_SC_FILTER)
			open = reach(a, a->primary, "open_by_handle_at").any;
		add(a, open ? SEV_HIGH : SEV_MEDIUM, "capability",
		    model_cap_where(t, cap_by_name("DAC_READ_SEARCH")),
		    "CAP_DAC_READ_SEARCH: reads any file%s%s",
		    open ? "; with open_by_handle_at allowed, any host file "
			   "('shocker')" : "", assumed);
	}
	if (t->ambient)
		add(a, SEV_LOW, "ambient-capabilities",
		    dup_or_null(t->caps_where),
		    "ambient capabilities survive execve of every program");
}

/* The filter refuses fork, vfork, clone and clone3 for every argument
 * on every arch it accepts: no process nor thread can be made, and a
 * pids limit has nothing to bound. */
static bool no_new_tasks(struct audit *a)
{
	static const char *const calls[] = { "fork", "vfork", "clone",
					     "clone3" };
	int arch;
	size_t i;

	if (a->t->seccomp != MODEL_SC_FILTER)
		return false;
	for (arch = 0; arch < ARCH_COUNT; arch++) {
		if (!(a->t->arches & FLAT_ARCH_BIT(arch)))
			continue;
		for (i = 0; i < ARRAY_SIZE(calls); i++) {
			struct reach r = reach(a, (enum leash_arch)arch,
					       calls[i]);

			if (r.exists && r.any)
				return false;
		}
	}
	return true;
}

/* RLIMIT_NPROC bounds the processes of a uid other than 0, unless
 * CAP_SYS_RESOURCE or CAP_SYS_ADMIN lift it (kernel/fork.c). */
static bool nproc_bounds(const struct audit *a)
{
	const struct model_val *v = &a->t->limits[FL_NPROC];

	return v->known == MK_SET && v->num != UINT64_MAX && a->t->nonroot &&
	       a->caps_known && !has_cap(a, "SYS_RESOURCE") &&
	       !has_cap(a, "SYS_ADMIN");
}

static void check_settings(struct audit *a)
{
	const struct model *t = a->t;
	const struct oci_container *c = t->oc;
	size_t i;

	if (t->privileged)
		add(a, SEV_HIGH, "privileged", dup_or_null(t->caps_where),
		    "privileged: every capability and device, no seccomp, "
		    "no AppArmor");
	if (!t->nnp)
		add(a, SEV_MEDIUM, "no-new-privileges",
		    dup_or_null(t->nnp_where),
		    "no_new_privileges is off: setuid programs and file "
		    "capabilities raise privileges");
	/* A policy's filesystem allow-list keeps writes to the paths it
	 * lists (Landlock under leash-exec, AppArmor): the root is not
	 * writable as a whole, read-only or not. */
	if (!t->readonly_root && !t->fs_allowlist)
		add(a, SEV_LOW, "writable-root", dup_or_null(t->root_where),
		    "the root filesystem is writable: an intruder can "
		    "change the programs it runs");
	if (!t->memory_limit)
		add(a, SEV_LOW, "no-memory-limit",
		    dup_or_null(t->limits[FL_MEMORY].where ?
				t->limits[FL_MEMORY].where : t->where),
		    "no memory limit: one container can exhaust the host");
	if (!t->pids_limit && !no_new_tasks(a) && !nproc_bounds(a))
		add(a, SEV_LOW, "no-pids-limit",
		    dup_or_null(t->limits[FL_PIDS].where ?
				t->limits[FL_PIDS].where : t->where),
		    "no pids limit: a fork bomb takes the host down");
	if (t->userns_unknown)
		add(a, SEV_INFO, "userns-unknown", NULL,
		    "no user namespace set: dockerd's --userns-remap, if on, "
		    "does not show in 'docker inspect'");
	else if (!t->userns)
		add(a, t->nonroot ? SEV_INFO : SEV_LOW, "no-userns", NULL,
		    "no user namespace remapping: uid 0 inside is uid 0 on "
		    "the host%s", t->nonroot ? " (the process runs as "
		    "another uid)" : "");
	if (!t->apparmor)
		add(a, t->seccomp == MODEL_SC_NONE ? SEV_HIGH : SEV_LOW,
		    "no-apparmor", dup_or_null(t->apparmor_where),
		    t->seccomp == MODEL_SC_NONE ?
			    "neither seccomp nor AppArmor confines it" :
			    "no AppArmor profile");
	if (!c)
		return;
	if (!c->has_netns)
		add(a, SEV_MEDIUM, "host-network", NULL,
		    "host network namespace: the host's interfaces and "
		    "localhost services");
	if (!c->has_pidns)
		add(a, SEV_MEDIUM, "host-pid", NULL,
		    "host PID namespace: sees and signals host processes");
	if (!c->has_ipcns)
		add(a, SEV_MEDIUM, "host-ipc", NULL,
		    "host IPC namespace: the host's shared memory");
	for (i = 0; i < c->bind_sources.n; i++) {
		const char *s = c->bind_sources.v[i];

		if (strstr(s, "docker.sock") || strstr(s, "podman.sock") ||
		    strstr(s, "containerd.sock"))
			add(a, SEV_HIGH, "runtime-socket", NULL,
			    "%s is mounted: whoever talks to it starts "
			    "privileged containers", s);
		else if (!strcmp(s, "/"))
			add(a, SEV_HIGH, "host-root-mount", NULL,
			    "the host's / is mounted in");
	}
	for (i = 0; i < c->unknown_caps.n; i++)
		add(a, SEV_INFO, "unknown-capability", NULL,
		    "capability '%s' is unknown to leash",
		    c->unknown_caps.v[i]);
}

/* ---- the command --------------------------------------------------------- */

static int cmp_finding(const void *x, const void *y)
{
	const struct finding *a = x, *b = y;

	return (int)b->sev - (int)a->sev;
}

static enum sev audit_one(const struct model *t, struct strbuf *out,
			  bool json, bool first, bool *any)
{
	struct audit a = { 0 };
	enum sev worst = SEV_INFO;
	size_t i;

	a.t = t;
	a.caps_known = t->has_caps || t->kind == MODEL_SECCOMP;
	a.caps_assumed = t->kind == MODEL_SECCOMP;
	a.primary = arch_native();
	check_seccomp(&a);
	if (a.caps_known)
		check_caps(&a);
	if (t->has_settings)
		check_settings(&a);
	if (t->lacking.len) {
		_cleanup_free_ char *n = model_as_note(t);

		add(&a, SEV_INFO, "libseccomp-lacks", NULL, "%s", n);
	}
	if (!t->has_settings)
		add(&a, SEV_INFO, "seccomp-only", NULL,
		    "a %s holds only a seccomp filter: capabilities, process "
		    "settings and limits are not audited",
		    t->kind == MODEL_BPF ? "raw filter" : "seccomp profile");
	/* stable: highest first, in the order found */
	for (i = 1; i < a.f.n; i++)
		for (size_t j = i; j > 0 && cmp_finding(&a.f.v[j - 1],
							&a.f.v[j]) > 0; j--) {
			struct finding tmp = a.f.v[j];

			a.f.v[j] = a.f.v[j - 1];
			a.f.v[j - 1] = tmp;
		}
	if (json) {
		sb_puts(out, first ? "\n    {\"name\": " :
				     ",\n    {\"name\": ");
		model_json_str(out, t->name);
		sb_puts(out, ", \"findings\": [");
	} else {
		sb_printf(out, "%s:\n", t->name);
	}
	for (i = 0; i < a.f.n; i++) {
		const struct finding *f = &a.f.v[i];

		if (f->sev > worst)
			worst = f->sev;
		if (json) {
			sb_printf(out, "%s{\"severity\": \"%s\", \"id\": "
				  "\"%s\", \"message\": ",
				  i ? ",\n      " : "\n      ",
				  sev_names[f->sev], f->id);
			model_json_str(out, f->msg);
			sb_puts(out, ", \"where\": ");
			model_json_str(out, f->where);
			sb_putc(out, '}');
		} else {
			sb_printf(out, "  %-6s %s: %s", sev_names[f->sev],
				  f->id, f->msg);
			if (f->where)
				sb_printf(out, "  [%s]", f->where);
			sb_putc(out, '\n');
		}
	}
	if (json)
		sb_printf(out, "%s], \"worst\": \"%s\"}", a.f.n ? "\n    " : "",
			  a.f.n ? sev_names[worst] : "none");
	else if (!a.f.n)
		sb_puts(out, "  no findings\n");
	*any |= a.f.n > 0;
	for (i = 0; i < a.f.n; i++) {
		free(a.f.v[i].msg);
		free(a.f.v[i].where);
	}
	VEC_FREE(&a.f);
	VEC_FREE(&a.vecs);
	return worst;
}

int audit_models(const struct model_file *f, bool json, struct strbuf *out)
{
	enum sev worst = SEV_INFO;
	bool any = false;
	size_t i;

	if (json)
		sb_puts(out, "{\n  \"targets\": [");
	for (i = 0; i < f->n; i++) {
		enum sev w = audit_one(&f->t[i], out, json, i == 0, &any);

		if (w > worst)
			worst = w;
	}
	if (sim_over_budget())
		return -E2BIG;
	if (json)
		sb_printf(out, "\n  ],\n  \"worst\": \"%s\"\n}\n",
			  any ? sev_names[worst] : "none");
	return (int)worst;
}
