/* SPDX-License-Identifier: MIT */
/*
 * bench-seccomp.c - how good are the filters leash makes?  Run by
 * bench/run.sh, which also times the compilers as whole processes.
 *
 *   bench-seccomp [-s SRCDIR] [-H HISTOGRAM] [-n RUNS] [-c HYPERFINE.csv]
 *       Build every filter in memory and print one Markdown table:
 *       size, instructions executed on x86_64 (mean and max over the
 *       numbers 0..462 with zero arguments, and the mean weighted by a
 *       recorded syscall histogram), how many unconditionally allowed
 *       syscalls the kernel's seccomp action cache can serve, the median
 *       attach time, and (from hyperfine's CSV) the compile time; then
 *       the targets of the docker-default profile, PASS or FAIL.
 *
 *   bench-seccomp record SCRIPT EXPECTED.bpf
 *       Compile tests/data/docker-default.json as dockerd and runc do
 *       (scmp-json.c) and write down every libseccomp call it makes, for
 *       bench/scmp-build.c to replay with libseccomp alone; EXPECTED.bpf
 *       gets libseccomp's export (without runc's stub) to compare with.
 *
 *   bench-seccomp runc-json OUT.bpf
 *       The whole of runc's work on that profile, JSON included, as one
 *       process (informational compile time).
 *
 * Generators: leash's native backend (emit_bpf), leash's libseccomp
 * backend (emit_scmp, optimize level 2), and, for docker-default, plain
 * libseccomp on Docker's own JSON as runc loads it on an amd64 host with
 * Docker's default capabilities: libseccomp's default (optimize level 1)
 * and its binary tree (level 2, which runc picks for a profile of more
 * than 32 syscalls).  Level 1 is forced by wrapping seccomp_attr_set()
 * (-Wl,--wrap, Makefile.am): scmp-json.c has no option for it.
 *
 * The action cache: since Linux 5.11 seccomp_cache_prepare() runs every
 * new filter on every syscall number of the native (and compat) arch
 * with the arguments unknown (seccomp_is_const_allow()); a number whose
 * path only loads nr and arch and ends in RET ALLOW skips the filter
 * from then on.  tc_cache_allows() (tests/common) is that emulator,
 * instruction for instruction; the interpreter's trace of the words
 * loaded cross-checks it.  A syscall counts as eligible when the policy allows
 * it on x86_64 without looking at arguments (from the IR; for Docker's
 * JSON, from docker-default.leash's IR).
 */
#include "pipeline/driver.h"
#include "seccomp/bpf.h"
#include "seccomp/emit-bpf.h"
#include "seccomp/emit-scmp.h"
#include "seccomp/scmp-json.h"
#include "seccomp-common.h"
#include "tests/common/first-error.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef LEASH_SRC_DIR
#define LEASH_SRC_DIR "."
#endif

#define NR_LAST 462		/* x86_64 numbers measured: 0..NR_LAST */
#define N_NRS (NR_LAST + 1)
#define MAX_ROWS 16

/* The docker-default targets of the issue. */
#define MODEL_INSNS 250
#define MODEL_MEAN 10.0
#define MODEL_MAX 16
#define MODEL_ATTACH_RATIO (1.0 / 5)
#define MODEL_COMPILE_RATIO (1.0 / 3)

static void die(const char *fmt, ...) LEASH_PRINTF(1, 2) LEASH_NORETURN;
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench-seccomp: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* ---- libseccomp calls, wrapped (-Wl,--wrap=...) ------------------------------ */

int __real_seccomp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr,
			    uint32_t value);
int __wrap_seccomp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr,
			    uint32_t value);
scmp_filter_ctx __real_seccomp_init(uint32_t def_action);
scmp_filter_ctx __wrap_seccomp_init(uint32_t def_action);
int __real_seccomp_arch_add(scmp_filter_ctx ctx, uint32_t arch_token);
int __wrap_seccomp_arch_add(scmp_filter_ctx ctx, uint32_t arch_token);
int __real_seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t action,
				  int syscall, unsigned int arg_cnt,
				  const struct scmp_arg_cmp *arg_array);
int __wrap_seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t action,
				  int syscall, unsigned int arg_cnt,
				  const struct scmp_arg_cmp *arg_array);

static int force_optimize;	/* 0: as asked; else this level */
static FILE *rec;		/* recording libseccomp calls */

int __wrap_seccomp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr,
			    uint32_t value)
{
	if (attr == SCMP_FLTATR_CTL_OPTIMIZE && force_optimize)
		value = (uint32_t)force_optimize;
	if (rec)
		fprintf(rec, "attr %d %u\n", (int)attr, value);
	return __real_seccomp_attr_set(ctx, attr, value);
}

scmp_filter_ctx __wrap_seccomp_init(uint32_t def_action)
{
	scmp_filter_ctx ctx = __real_seccomp_init(def_action);

	if (rec)
		fprintf(rec, "init 0x%08x\n", def_action);
	if (ctx && force_optimize)
		__real_seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE,
					(uint32_t)force_optimize);
	return ctx;
}

int __wrap_seccomp_arch_add(scmp_filter_ctx ctx, uint32_t arch_token)
{
	if (rec)
		fprintf(rec, "arch 0x%08x\n", arch_token);
	return __real_seccomp_arch_add(ctx, arch_token);
}

int __wrap_seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t action,
				  int syscall, unsigned int arg_cnt,
				  const struct scmp_arg_cmp *arg_array)
{
	unsigned i;

	if (rec) {
		fprintf(rec, "rule 0x%08x %d %u", action, syscall, arg_cnt);
		for (i = 0; i < arg_cnt; i++)
			fprintf(rec, " %u %d 0x%llx 0x%llx", arg_array[i].arg,
				(int)arg_array[i].op,
				(unsigned long long)arg_array[i].datum_a,
				(unsigned long long)arg_array[i].datum_b);
		fputc('\n', rec);
	}
	return __real_seccomp_rule_add_array(ctx, action, syscall, arg_cnt,
					     arg_array);
}

/* ---- loading ------------------------------------------------------------------ */

static const char *srcdir = LEASH_SRC_DIR;

struct loaded {
	struct leash_ctx ctx;
	struct seccomp_out out;	/* out.ir, out.bpf: native */
	struct sock_filter *scmp;	/* emit_scmp(optimize 2) */
	size_t scmp_len;
};

static void load_policy(struct loaded *l, const char *rel, const char *name)
{
	struct front_opts o = { 0 };
	struct ast_policy *pol;
	_cleanup_free_ char *path = xasprintf("%s/%s", srcdir, rel);
	_cleanup_free_ char *pdir = xasprintf("%s/profiles", srcdir);

	memset(l, 0, sizeof(*l));
	leash_ctx_init(&l->ctx, stderr);
	l->ctx.profile_dir = pdir;
	VEC_PUSH(&o.include_dirs, pdir);
	if (front_run(&l->ctx, &o, path) < 0)
		die("%s: errors in the policy", path);
	VEC_FREE(&o.include_dirs);
	l->ctx.profile_dir = NULL;
	pol = res_find_policy(&l->ctx, name);
	if (!pol)
		die("%s: no policy '%s'", path, name);
	if (build_seccomp(&l->ctx, pol, BACKEND_NATIVE, 0, &l->out) < 0)
		die("%s: native backend failed", path);
	if (emit_scmp(l->out.ir, 2, &l->scmp, &l->scmp_len, &l->ctx.diag) < 0)
		die("%s: libseccomp backend failed", path);
}

static void loaded_free(struct loaded *l)
{
	free(l->scmp);
	build_seccomp_free(&l->out);
	leash_ctx_fini(&l->ctx);
}

/* Docker's JSON as dockerd and runc see it (tests/common). */
static struct tc_docker dk;

static void docker_load(void)
{
	struct strbuf err = { 0 };

	if (tc_docker_load(&dk, srcdir, &err) < 0)
		die("docker-default.json: %s", err.s ? err.s : "?");
	sb_free(&err);
}

/* runc on an amd64 host, dockerd with its default capabilities. */
static void docker_compile(int optimize, bool stub, struct sock_filter **prog,
			   size_t *len)
{
	struct sj_opts o;
	struct strbuf err = { 0 };

	tc_docker_opts(&dk, &o);
	o.no_enosys_stub = !stub;
	force_optimize = optimize;
	if (tc_sj_compile(dk.profile, &o, prog, len, &err) < 0 || !*prog)
		die("docker-default.json: %s", err.s ? err.s : "no filter");
	force_optimize = 0;
	sb_free(&err);
}

/* ---- static measures ------------------------------------------------------------ */

struct hist {
	int64_t nr[512];
	uint64_t count[512];
	size_t n;
	uint64_t total, skipped;
};

static void load_hist(const char *path, struct hist *h)
{
	_cleanup_fclose_ FILE *f = fopen(path, "r");
	char line[256], name[128];
	unsigned long long c;

	memset(h, 0, sizeof(*h));
	if (!f)
		die("cannot open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		int64_t nr;

		if (line[0] == '#' || sscanf(line, "%127s %llu", name, &c) != 2)
			continue;
		nr = syscall_nr(ARCH_X86_64, name, NULL);
		if (nr < 0 || nr > NR_LAST || h->n == ARRAY_SIZE(h->nr)) {
			h->skipped += c;
			continue;
		}
		h->nr[h->n] = nr;
		h->count[h->n++] = c;
		h->total += c;
	}
}

/* Does the IR allow @nr on x86_64 whatever the arguments say? */
static bool ir_plain_allow(const struct ir_filter *f, int64_t nr)
{
	const struct ir_arch *a = NULL;
	const struct ir_rule *r;
	size_t i;

	for (i = 0; i < f->n_arches; i++)
		if (f->arches[i].arch == ARCH_X86_64)
			a = &f->arches[i];
	if (!a)
		return false;
	if (nr > a->max_nr)
		return a->unknown_action == IR_RET_ALLOW;
	for (i = 0; i < a->n_sys; i++)
		if (a->sys[i].nr == nr)
			break;
	if (i == a->n_sys || a->sys[i].n_rules == 0)
		return a->default_action == IR_RET_ALLOW;
	r = &a->sys[i].rules[0];
	return r->action == IR_RET_ALLOW &&
	       (!r->cond || r->cond->kind == IRC_TRUE);
}

struct row {
	const char *policy, *gen;
	const char *compile_key;	/* hyperfine command name, or NULL */
	struct sock_filter *prog;
	size_t len;
	const struct ir_filter *ir;	/* this filter's own IR, or NULL */
	const struct ir_filter *elig_ir;	/* eligibility */
	/* results */
	double mean, wmean;
	unsigned max;
	unsigned cacheable, eligible, cache_disagree, ir_mismatch;
	double attach_us;
	int attach_err;
	double compile_ms;
	bool floor;	/* attach only: the 1-instruction filter */
};

static void measure_static(struct row *r, const struct hist *h)
{
	static const uint64_t zero[6];
	unsigned steps[N_NRS];
	uint64_t sum = 0, wsum = 0;
	uint32_t nr;
	size_t i;

	if (bpf_check(r->prog, r->len) < 0)
		die("%s/%s: the kernel would refuse the filter", r->policy,
		    r->gen);
	r->max = 0;
	for (nr = 0; nr <= NR_LAST; nr++) {
		struct seccomp_data d = { 0 };
		struct bpf_trace tr = { 0 };
		uint32_t ret = 0;
		bool plain, cached;

		d.nr = (int)nr;
		d.arch = AUDIT_ARCH_X86_64;
		if (bpf_exec(r->prog, r->len, &d, &ret, &tr) < 0)
			die("%s/%s: the filter failed on nr %u", r->policy,
			    r->gen, nr);
		steps[nr] = tr.steps;
		sum += tr.steps;
		if (tr.steps > r->max)
			r->max = tr.steps;
		if (r->ir && ret != ir_eval(r->ir, AUDIT_ARCH_X86_64, nr, zero))
			r->ir_mismatch++;
		/* Only nr and arch read, and the answer is ALLOW. */
		plain = ret == SECCOMP_RET_ALLOW && !(tr.loaded & ~3u);
		cached = tc_cache_allows(r->prog, r->len, AUDIT_ARCH_X86_64,
					   nr);
		if (plain != cached)
			r->cache_disagree++;
		if (ir_plain_allow(r->elig_ir, nr)) {
			r->eligible++;
			r->cacheable += cached;
		}
	}
	r->mean = (double)sum / N_NRS;
	for (i = 0; i < h->n; i++)
		wsum += h->count[i] * steps[h->nr[i]];
	r->wmean = h->total ? (double)wsum / (double)h->total : 0;
}

/* ---- attach time ------------------------------------------------------------------ */

struct attach_slot {
	int done;
	int err;	/* errno of prctl() or seccomp() */
	int64_t ns;
};

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

/*
 * Fork; the child sets no_new_privs and loads the filter, timing the
 * seccomp() call alone.  The result comes back through shared memory:
 * the filter may forbid whatever the child would do next, so the parent
 * kills it rather than waiting for an exit the filter might refuse.
 */
static int64_t attach_once(const struct row *r, struct attach_slot *slot,
			   int *err)
{
	struct timespec t0, t1, start;
	pid_t pid;
	long spins = 0;

	__atomic_store_n(&slot->done, 0, __ATOMIC_SEQ_CST);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		struct sock_fprog fp = { (unsigned short)r->len, r->prog };
		volatile unsigned touch = 0;
		size_t i;
		long rc;

		for (i = 0; i < r->len; i++)	/* fault the program in */
			touch += r->prog[i].k;
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
			slot->err = errno;
			__atomic_store_n(&slot->done, 1, __ATOMIC_SEQ_CST);
			_exit(1);
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp);
		if (clock_gettime(CLOCK_MONOTONIC, &t1) < 0)
			slot->err = ENOSYS;	/* vDSO fell back to a syscall */
		else
			slot->err = rc < 0 ? errno : 0;
		slot->ns = ts_ns(&t1) - ts_ns(&t0);
		__atomic_store_n(&slot->done, 1, __ATOMIC_SEQ_CST);
		syscall(SYS_exit_group, 0);
		for (;;)
			;	/* killed by the parent */
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!__atomic_load_n(&slot->done, __ATOMIC_SEQ_CST)) {
		sched_yield();
		if (++spins % 1024 == 0) {
			struct timespec now;

			clock_gettime(CLOCK_MONOTONIC, &now);
			if (ts_ns(&now) - ts_ns(&start) > 10000000000ll)
				die("the attach child hangs");
		}
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	*err = slot->err;
	return slot->ns;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * N rounds; each round loads every filter once, in its own shuffled
 * order, so drift hits all of them alike.  Not a fixed rotation: there
 * each filter always follows the same one, whose teardown (the kernel
 * frees a filter's JIT image in deferred work) may overlap the next
 * attach, and two identical filters measured 4% apart.  The shuffle is
 * seeded: every run of the benchmark uses the same orders.
 */
static void measure_attach(struct row *rows, size_t n_rows, unsigned runs)
{
	struct attach_slot *slot;
	int64_t *t = xcalloc(n_rows * runs, sizeof(*t));
	size_t *order = xcalloc(n_rows, sizeof(*order));
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	unsigned k;
	size_t i;

	slot = mmap(NULL, sizeof(*slot), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (slot == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	for (k = 0; k < runs; k++) {
		for (i = 0; i < n_rows; i++)
			order[i] = i;
		for (i = n_rows; i > 1; i--) {	/* Fisher-Yates, xorshift64 */
			size_t r, tmp;

			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			r = (size_t)(rng % i);
			tmp = order[i - 1];
			order[i - 1] = order[r];
			order[r] = tmp;
		}
		for (i = 0; i < n_rows; i++) {
			size_t j = order[i];
			int err = 0;

			t[j * runs + k] = attach_once(&rows[j], slot, &err);
			if (err)
				rows[j].attach_err = err;
		}
	}
	for (i = 0; i < n_rows; i++) {
		qsort(t + i * runs, runs, sizeof(*t), cmp_i64);
		rows[i].attach_us = runs % 2 ? (double)t[i * runs + runs / 2] / 1e3 :
			(double)(t[i * runs + runs / 2 - 1] +
				 t[i * runs + runs / 2]) / 2e3;
	}
	munmap(slot, sizeof(*slot));
	free(order);
	free(t);
}

/* ---- hyperfine's CSV ---------------------------------------------------------------- */

struct timing {
	char name[64];
	double mean, median;	/* seconds */
};

static size_t load_csv(const char *path, struct timing *t, size_t max)
{
	_cleanup_fclose_ FILE *f = fopen(path, "r");
	char line[1024];
	size_t n = 0;

	if (!f)
		die("cannot open %s: %s", path, strerror(errno));
	/* command,mean,stddev,median,user,system,min,max */
	while (n < max && fgets(line, sizeof(line), f)) {
		char *comma = strchr(line, ',');
		double mean, sd, median;

		if (!comma || strncmp(line, "command,", 8) == 0)
			continue;
		*comma = '\0';
		if (sscanf(comma + 1, "%lf,%lf,%lf", &mean, &sd, &median) != 3)
			continue;
		snprintf(t[n].name, sizeof(t[n].name), "%.63s", line);
		t[n].mean = mean;
		t[n].median = median;
		n++;
	}
	return n;
}

static const struct timing *timing(const struct timing *t, size_t n,
				   const char *name)
{
	size_t i;

	for (i = 0; name && i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return &t[i];
	return NULL;
}

/* ---- subcommands ------------------------------------------------------------------- */

static int write_prog(const char *path, const struct sock_filter *p,
		      size_t len)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC |
				      O_CLOEXEC, 0644);

	if (fd < 0 || bpf_write_raw(fd, p, len) < 0)
		die("cannot write %s", path);
	return 0;
}

static int cmd_record(const char *script, const char *expected)
{
	struct sock_filter *prog = NULL;
	size_t len = 0;

	docker_load();
	rec = fopen(script, "w");
	if (!rec)
		die("cannot write %s: %s", script, strerror(errno));
	fprintf(rec, "# The libseccomp calls runc makes for Docker's "
		"docker-default.json\n# (tests/data) on an amd64 host with "
		"Docker's default capabilities,\n# recorded by 'bench-seccomp "
		"record' for bench/scmp-build.\n");
	docker_compile(0, false, &prog, &len);
	if (fclose(rec) != 0)
		die("cannot write %s", script);
	rec = NULL;
	write_prog(expected, prog, len);
	free(prog);
	tc_docker_free(&dk);
	return 0;
}

static int cmd_runc_json(const char *out)
{
	struct sock_filter *prog = NULL;
	size_t len = 0;

	docker_load();
	docker_compile(0, true, &prog, &len);
	write_prog(out, prog, len);
	free(prog);
	tc_docker_free(&dk);
	return 0;
}

static const char *pass(bool ok)
{
	return ok ? "PASS" : "FAIL";
}

static void print_table(const struct row *rows, size_t n)
{
	size_t i;

	printf("| policy | generator | insns | executed mean | executed max "
	       "| weighted mean | cacheable | attach µs (median) "
	       "| compile ms (median) |\n");
	printf("|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
	for (i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		char attach[32], comp[32];

		if (r->floor)
			continue;

		if (r->attach_err)
			snprintf(attach, sizeof(attach), "(%s)",
				 strerror(r->attach_err));
		else
			snprintf(attach, sizeof(attach), "%.1f", r->attach_us);
		if (r->compile_ms > 0)
			snprintf(comp, sizeof(comp), "%.2f", r->compile_ms);
		else
			snprintf(comp, sizeof(comp), "–");
		printf("| %s | %s | %zu | %.2f | %u | %.2f | %u/%u | %s | %s |\n",
		       r->policy, r->gen, r->len, r->mean, r->max, r->wmean,
		       r->cacheable, r->eligible, attach, comp);
	}
}

static void usage(void)
{
	fputs("usage: bench-seccomp [-s SRCDIR] [-H HISTOGRAM] [-n RUNS] "
	      "[-c HYPERFINE.csv]\n"
	      "       bench-seccomp record SCRIPT EXPECTED.bpf\n"
	      "       bench-seccomp runc-json OUT.bpf\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *hist_path = NULL, *csv = NULL;
	unsigned runs = 200;
	struct loaded pol[3];
	struct row rows[MAX_ROWS];
	struct timing tm[16];
	struct hist h;
	size_t n = 0, n_tm = 0, i;
	const struct row *nat, *o2, *o1, *lsc;
	const struct timing *tl, *ts, *tr;
	int opt;
	bool ok = true;

	while ((opt = getopt(argc, argv, "s:H:n:c:h")) != -1) {
		switch (opt) {
		case 's': srcdir = optarg; break;
		case 'H': hist_path = optarg; break;
		case 'n': runs = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'c': csv = optarg; break;
		default: usage();
		}
	}
	if (optind < argc) {
		if (!strcmp(argv[optind], "record") && argc - optind == 3)
			return cmd_record(argv[optind + 1], argv[optind + 2]);
		if (!strcmp(argv[optind], "runc-json") && argc - optind == 2)
			return cmd_runc_json(argv[optind + 1]);
		usage();
	}
	if (runs == 0)
		runs = 1;

	if (hist_path) {
		load_hist(hist_path, &h);
	} else {
		_cleanup_free_ char *p = xasprintf("%s/bench/histogram.txt",
						   srcdir);

		load_hist(p, &h);
	}
	load_policy(&pol[0], "profiles/docker-default.leash", "docker-default");
	load_policy(&pol[1], "tests/live/allowlist.leash", "live-allowlist");
	load_policy(&pol[2], "tests/vectors/negation.leash", "negation");
	docker_load();

	memset(rows, 0, sizeof(rows));
#define ROW(pl, g, key, p, l, ir_, elig)                                       \
	rows[n++] = (struct row){ .policy = pl, .gen = g, .compile_key = key, \
				  .prog = p, .len = l, .ir = ir_,              \
				  .elig_ir = elig }
	ROW("docker-default", "leash native", "leash-native", pol[0].out.bpf,
	    pol[0].out.bpf_len, pol[0].out.ir, pol[0].out.ir);
	ROW("docker-default", "leash via libseccomp -O2", "leash-libseccomp",
	    pol[0].scmp, pol[0].scmp_len, pol[0].out.ir, pol[0].out.ir);
	rows[n].policy = "docker-default";
	rows[n].gen = "Docker JSON, libseccomp -O1 (runc)";
	rows[n].compile_key = "libseccomp-O1";
	rows[n].elig_ir = pol[0].out.ir;
	docker_compile(1, true, &rows[n].prog, &rows[n].len);
	n++;
	rows[n].policy = "docker-default";
	rows[n].gen = "Docker JSON, libseccomp -O2 (runc)";
	rows[n].compile_key = "libseccomp-O2";
	rows[n].elig_ir = pol[0].out.ir;
	docker_compile(2, true, &rows[n].prog, &rows[n].len);
	n++;
	ROW("live-allowlist", "leash native", NULL, pol[1].out.bpf,
	    pol[1].out.bpf_len, pol[1].out.ir, pol[1].out.ir);
	ROW("live-allowlist", "leash via libseccomp -O2", NULL, pol[1].scmp,
	    pol[1].scmp_len, pol[1].out.ir, pol[1].out.ir);
	ROW("negation", "leash native", NULL, pol[2].out.bpf,
	    pol[2].out.bpf_len, pol[2].out.ir, pol[2].out.ir);
	ROW("negation", "leash via libseccomp -O2", NULL, pol[2].scmp,
	    pol[2].scmp_len, pol[2].out.ir, pol[2].out.ir);
#undef ROW
	/* What any filter costs to attach: one RET ALLOW. */
	rows[n].policy = "(floor)";
	rows[n].gen = "RET ALLOW";
	rows[n].prog = xmalloc(sizeof(*rows[n].prog));
	rows[n].prog[0] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
							SECCOMP_RET_ALLOW);
	rows[n].len = 1;
	rows[n].elig_ir = pol[0].out.ir;
	rows[n].floor = true;
	n++;

	for (i = 0; i < n; i++)
		measure_static(&rows[i], &h);
	measure_attach(rows, n, runs);
	if (csv)
		n_tm = load_csv(csv, tm, ARRAY_SIZE(tm));
	for (i = 0; i < n; i++) {
		const struct timing *t = timing(tm, n_tm, rows[i].compile_key);

		if (t)
			rows[i].compile_ms = t->median * 1e3;
	}

	print_table(rows, n);
	printf("\nExecuted: instructions run for the x86_64 numbers "
	       "0..%d, zero arguments; weighted: the same weighted by "
	       "bench/histogram.txt (%llu calls; %llu of syscalls outside "
	       "0..%d left out); cacheable: of the syscalls the policy "
	       "allows on x86_64 without argument rules, those the kernel's "
	       "seccomp action cache serves; "
	       "attach: median of %u seccomp(SET_MODE_FILTER) calls, each "
	       "in a fresh child, all filters interleaved; compile: "
	       "hyperfine median, whole process.\n",
	       NR_LAST, (unsigned long long)h.total,
	       (unsigned long long)h.skipped, NR_LAST, runs);
	for (i = 0; i < n; i++) {
		if (rows[i].floor && !rows[i].attach_err)
			printf("\nAttach floor: %.1f µs for a 1-instruction "
			       "filter (RET ALLOW), measured alike.\n",
			       rows[i].attach_us);
		if (rows[i].cache_disagree)
			printf("\nNOTE: %s/%s: the cache emulator and the "
			       "interpreter's trace disagree on %u numbers\n",
			       rows[i].policy, rows[i].gen,
			       rows[i].cache_disagree);
		if (rows[i].ir_mismatch) {
			printf("\nERROR: %s/%s differs from ir_eval() on %u "
			       "numbers\n", rows[i].policy, rows[i].gen,
			       rows[i].ir_mismatch);
			ok = false;
		}
	}

	nat = &rows[0];
	lsc = &rows[1];
	o1 = &rows[2];
	o2 = &rows[3];
	printf("\nTargets (docker-default, x86_64 + x86 + x32, leash native):\n\n");
	printf("- size %zu instructions (<= %d): %s\n", nat->len, MODEL_INSNS,
	       pass(nat->len <= MODEL_INSNS));
	printf("- executed on x86_64: mean %.2f (<= %.0f): %s; max %u (<= %d): %s\n",
	       nat->mean, MODEL_MEAN, pass(nat->mean <= MODEL_MEAN), nat->max,
	       MODEL_MAX, pass(nat->max <= MODEL_MAX));
	printf("- cacheable: %u of %u allowed syscalls without argument rules: %s\n",
	       nat->cacheable, nat->eligible,
	       pass(nat->cacheable == nat->eligible));
	ok &= nat->len <= MODEL_INSNS && nat->mean <= MODEL_MEAN &&
	      nat->max <= MODEL_MAX && nat->cacheable == nat->eligible;
	if (!nat->attach_err && !o2->attach_err) {
		double r = nat->attach_us / o2->attach_us;

		printf("- attach time: %.1f µs vs %.1f µs for libseccomp's "
		       "binary tree = %.3f (<= %.3f): %s  [vs -O1: %.3f; vs "
		       "leash via libseccomp: %.3f]\n", nat->attach_us,
		       o2->attach_us, r, MODEL_ATTACH_RATIO,
		       pass(r <= MODEL_ATTACH_RATIO),
		       o1->attach_err ? 0 : nat->attach_us / o1->attach_us,
		       lsc->attach_err ? 0 : nat->attach_us / lsc->attach_us);
		ok &= r <= MODEL_ATTACH_RATIO;
	} else {
		printf("- attach time: not measured (%s): FAIL\n",
		       strerror(nat->attach_err ? nat->attach_err :
				o2->attach_err));
		ok = false;
	}
	tl = timing(tm, n_tm, "leash-native");
	ts = timing(tm, n_tm, "libseccomp-O2");
	tr = timing(tm, n_tm, "runc-json");
	if (tl && ts) {
		double r = tl->median / ts->median;

		printf("- compile time: 'leash compile -t bpf' %.2f ms vs "
		       "libseccomp alone (scmp-build, -O2 as runc) %.2f ms = "
		       "%.3f (<= %.3f): %s  [means: %.3f",
		       tl->median * 1e3, ts->median * 1e3, r,
		       MODEL_COMPILE_RATIO, pass(r <= MODEL_COMPILE_RATIO),
		       tl->mean / ts->mean);
		if (tr)
			printf("; vs runc's whole JSON->BPF path %.2f ms: %.3f",
			       tr->median * 1e3, tl->median / tr->median);
		printf("]\n");
		ok &= r <= MODEL_COMPILE_RATIO;
	} else {
		printf("- compile time: not measured (no hyperfine CSV): FAIL\n");
		ok = false;
	}

	for (i = 0; i < n; i++)
		if (!rows[i].ir)
			free(rows[i].prog);
	tc_docker_free(&dk);
	for (i = 0; i < ARRAY_SIZE(pol); i++)
		loaded_free(&pol[i]);
	return ok ? 0 : 3;
}
