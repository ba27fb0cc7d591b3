/* SPDX-License-Identifier: MIT */
/*
 * test-vectors.c - the seccomp vector tests (STYLE.md section 9).
 *
 * Every tests/vectors/NAME.vectors goes with NAME.leash.  Each line is
 *
 *     arch  syscall  a0 a1 a2 a3 a4 a5  expect      # comment
 *
 * with N for an unused argument (0), numbers in any C base, the syscall
 * by name (resolved per arch with syscall_nr()) or as a number (the
 * arch's bias, x32's bit 30, is added unless the number carries it), and
 * the expected result as bpf_ret_str() spells it: ALLOW, ERRNO(13) or
 * ERRNO(EACCES), KILL_PROCESS (or KILL), KILL_THREAD, TRAP, TRACE(7),
 * LOG, NOTIFY.
 *
 * Header lines apply to the vector lines after them:
 *
 *     #=POLICY name        the policy the vectors are for (default: every
 *                          policy NAME.leash defines)
 *     #=TARGETS bpf,scmp   the targets that must give 'expect' (default:
 *                          all four)
 *
 * The four targets are the native BPF (emit-bpf.c), the libseccomp
 * backend (emit_scmp()), the JSON profile loaded the way runc loads it
 * (emit_json() -> scmp-json.c -> BPF) and the IR's reference semantics
 * (ir_eval()); the BPF programs run in bpf_run(), which refuses what the
 * kernel would refuse.  A target that cannot express a policy (JSON has
 * no 'unknown' action, no per-arch rules) is left out by a #=TARGETS
 * line in the vector file, next to a comment saying why; it is never
 * dropped here.  Where runc's result is known to differ, a section with
 * '#=TARGETS json' states what runc does instead.
 *
 * One test per vector file; a failure lists every failing vector with
 * its file:line.
 */
#include "pipeline/driver.h"
#include "seccomp/bpf.h"
#include "seccomp/emit-json.h"
#include "seccomp/emit-scmp.h"
#include "seccomp/scmp-json.h"
#include "tests/common/first-error.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define VEC_DIR LEASH_SRC_DIR "/tests/vectors"

enum target { T_BPF, T_SCMP, T_JSON, T_IR, T_COUNT };

static const char *const target_names[T_COUNT] = {
	[T_BPF] = "bpf", [T_SCMP] = "scmp", [T_JSON] = "json", [T_IR] = "ir",
};

#define T_ALL ((1u << T_COUNT) - 1)

/* The vector files, found at start-up: one test case each. */
static char **files;
static size_t n_files;

/* One policy of a .leash file, with every target built once. */
struct built {
	const char *name;		/* borrowed from the AST */
	struct seccomp_out sc;		/* native BPF and the IR */
	struct sock_filter *prog[T_COUNT];	/* T_BPF .. T_JSON */
	size_t len[T_COUNT];
	char *err[T_COUNT];		/* why a target could not be built */
	bool told[T_COUNT];		/* that was reported */
};

/* ---- building ------------------------------------------------------------- */

/* libseccomp backend; exact or an error, never a weaker filter. */
static void build_scmp(struct built *b)
{
	struct diag d;
	int rc;

	diag_init(&d, NULL);
	rc = emit_scmp(b->sc.ir, 2, &b->prog[T_SCMP], &b->len[T_SCMP], &d);
	if (rc < 0)
		b->err[T_SCMP] = xasprintf("emit_scmp: %s",
					   diag_first_error(&d));
	diag_fini(&d);
}

/* The JSON profile, then what runc builds from it. */
static void build_json(struct built *b)
{
	struct strbuf json = { 0 }, err = { 0 };
	struct sj_profile *p = NULL;
	struct diag d;
	int rc;

	diag_init(&d, NULL);
	rc = emit_json(b->sc.ir, &json, &d);
	if (rc < 0) {
		b->err[T_JSON] = xasprintf("emit_json: %s",
					   diag_first_error(&d));
		goto out;
	}
	rc = tc_sj_parse(json.s, json.len, &p, &err);
	if (rc == 0)
		rc = tc_sj_compile(p, NULL, &b->prog[T_JSON], &b->len[T_JSON],
				&err);
	if (rc == 0 && !b->prog[T_JSON])
		rc = -ENOENT;	/* runc would run without seccomp */
	if (rc < 0)
		b->err[T_JSON] = xasprintf("runc (scmp-json) refuses the "
					   "profile: %s",
					   err.s ? err.s : strerror(-rc));
out:
	diag_fini(&d);
	sj_profile_destroy(&p);
	sb_free(&json);
	sb_free(&err);
}

static void built_free(struct built *b)
{
	int t;

	build_seccomp_free(&b->sc);
	for (t = 0; t < T_COUNT; t++) {
		free(b->prog[t]);
		free(b->err[t]);
	}
}

/* The BPF of @t, or NULL (T_BPF lives in sc). */
static const struct sock_filter *prog_of(const struct built *b, int t,
					 size_t *len)
{
	if (t == T_BPF) {
		*len = b->sc.bpf_len;
		return b->sc.bpf;
	}
	*len = b->len[t];
	return b->prog[t];
}

/* ---- parsing a vector line -------------------------------------------------- */

struct vec {
	const struct arch_info *arch;
	int64_t nr;
	uint64_t args[6];
	uint32_t expect;
};

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!strcmp(s, "N")) {
		*out = 0;
		return true;
	}
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno == 0 && end != s && *end == '\0';
}

/* "ERRNO(13)", "ERRNO(EACCES)", "TRACE(7)", "ALLOW", ... */
static bool parse_action(enum leash_arch arch, const char *s, uint32_t *out)
{
	static const struct {
		const char *name;
		uint32_t ret;
	} plain[] = {
		{ "ALLOW", IR_RET_ALLOW }, { "KILL", IR_RET_KILL_PROCESS },
		{ "KILL_PROCESS", IR_RET_KILL_PROCESS },
		{ "KILL_THREAD", IR_RET_KILL_THREAD }, { "TRAP", IR_RET_TRAP },
		{ "LOG", IR_RET_LOG }, { "NOTIFY", IR_RET_NOTIFY },
	};
	const char *open = strchr(s, '(');
	char data[64];
	uint64_t v;
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(plain); i++)
		if (!strcmp(s, plain[i].name)) {
			*out = plain[i].ret;
			return true;
		}
	n = open ? strlen(open + 1) : 0;
	if (!open || n < 2 || n > sizeof(data) || open[n] != ')')
		return false;
	memcpy(data, open + 1, n - 1);
	data[n - 1] = '\0';
	if (!parse_u64(data, &v) && !errno_lookup(arch, data, &v))
		return false;
	if (!strncmp(s, "ERRNO(", 6) && v <= 4095)
		*out = IR_RET_ERRNO | (uint32_t)v;
	else if (!strncmp(s, "TRACE(", 6) && v <= 0xffff)
		*out = IR_RET_TRACE | (uint32_t)v;
	else
		return false;
	return true;
}

/* Split @line into at most @max whitespace-separated words. */
static size_t split(char *line, char **w, size_t max)
{
	size_t n = 0;
	char *save = NULL, *tok;

	for (tok = strtok_r(line, " \t\r\n", &save); tok && n < max;
	     tok = strtok_r(NULL, " \t\r\n", &save))
		w[n++] = tok;
	return tok ? max + 1 : n;
}

/* Returns NULL or why the line is malformed. */
static const char *parse_vec(char *line, struct vec *v)
{
	char *w[10];
	int i;

	if (split(line, w, 9) != 9)
		return "expected: arch syscall a0 a1 a2 a3 a4 a5 expect";
	v->arch = arch_by_name(w[0]);
	if (!v->arch)
		return "unknown arch";
	if (w[1][0] >= '0' && w[1][0] <= '9') {
		uint64_t nr;

		if (!parse_u64(w[1], &nr) || nr > 0xffffffffu)
			return "bad syscall number";
		/* x32's numbers carry bit 30: add it unless written. */
		if (!(nr & v->arch->nr_bias))
			nr += v->arch->nr_bias;
		v->nr = (int64_t)nr;
	} else {
		v->nr = syscall_nr(v->arch->id, w[1], NULL);
		if (v->nr < 0)
			return "no such syscall on this arch";
	}
	for (i = 0; i < 6; i++)
		if (!parse_u64(w[2 + i], &v->args[i]))
			return "bad argument";
	if (!parse_action(v->arch->id, w[8], &v->expect))
		return "bad expected action";
	return NULL;
}

static bool parse_targets(const char *list, unsigned *out)
{
	_cleanup_free_ char *copy = xstrdup(list);
	char *save = NULL, *tok;
	int t;

	*out = 0;
	if (!strcmp(list, "all")) {
		*out = T_ALL;
		return true;
	}
	for (tok = strtok_r(copy, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		for (t = 0; t < T_COUNT; t++)
			if (!strcmp(tok, target_names[t]))
				break;
		if (t == T_COUNT)
			return false;
		*out |= 1u << t;
	}
	return *out != 0;
}

/* ---- running ---------------------------------------------------------------- */

/* What target @t of @b answers for @v; false if it cannot run. */
static bool run_target(const struct built *b, int t, const struct vec *v,
		       uint32_t *ret)
{
	struct seccomp_data d = { 0 };
	const struct sock_filter *prog;
	size_t len;

	if (t == T_IR) {
		*ret = ir_eval(b->sc.ir, v->arch->audit_arch, v->nr, v->args);
		return true;
	}
	prog = prog_of(b, t, &len);
	if (!prog)
		return false;
	d.nr = (int)(uint32_t)v->nr;
	d.arch = v->arch->audit_arch;
	memcpy(d.args, v->args, sizeof(d.args));
	return bpf_run(prog, len, &d, ret, NULL) == 0;
}

struct file_state {
	const char *file;		/* "NAME.vectors", for messages */
	struct built *b;
	size_t n_b;
	struct strbuf fail;		/* one line per failure */
	unsigned n_fail, n_vectors, n_checks;
};

static void fail_line(struct file_state *fs, int line, const char *fmt, ...)
	LEASH_PRINTF(3, 4);
static void fail_line(struct file_state *fs, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		die_oom();
	va_end(ap);
	/* Enough to find every problem; not a flood if all go wrong. */
	if (fs->n_fail++ < 60)
		sb_printf(&fs->fail, "%s:%d: %s\n", fs->file, line, msg);
	free(msg);
}

static void check_vec(struct file_state *fs, int line, const char *text,
		      const struct vec *v, const char *policy,
		      unsigned targets)
{
	char want[32], got[32];
	size_t i;
	int t;
	bool any = false;

	fs->n_vectors++;
	for (i = 0; i < fs->n_b; i++) {
		struct built *b = &fs->b[i];

		if (policy && strcmp(policy, b->name))
			continue;
		any = true;
		for (t = 0; t < T_COUNT; t++) {
			uint32_t ret;

			if (!(targets & (1u << t)))
				continue;
			fs->n_checks++;
			if (b->err[t]) {
				/* Once: it is the same for every vector. */
				if (!b->told[t])
					fail_line(fs, line, "policy '%s', "
						  "target %s not built: %s",
						  b->name, target_names[t],
						  b->err[t]);
				b->told[t] = true;
				continue;
			}
			if (!run_target(b, t, v, &ret)) {
				fail_line(fs, line, "policy '%s', target %s: "
					  "the filter does not run", b->name,
					  target_names[t]);
				continue;
			}
			if (ret == v->expect)
				continue;
			fail_line(fs, line, "%s [policy '%s', target %s]: "
				  "expected %s, got %s", text, b->name,
				  target_names[t],
				  bpf_ret_str(v->expect, want, sizeof(want)),
				  bpf_ret_str(ret, got, sizeof(got)));
		}
	}
	if (!any)
		fail_line(fs, line, "no policy '%s' in the .leash file",
			  policy);
}

/* Compile every policy of @leash into fs->b; false with the reason. */
static bool compile_file(struct file_state *fs, const char *leash,
			 struct leash_ctx *ctx)
{
	struct front_opts o = { 0 };
	struct ast_file *root;
	size_t i;
	int t;

	VEC_PUSH(&o.include_dirs, (char *)LEASH_SRC_PROFILE_DIR);
	ctx->profile_dir = LEASH_SRC_PROFILE_DIR;
	front_run(ctx, &o, leash);
	VEC_FREE(&o.include_dirs);
	if (diag_failed(&ctx->diag))
		return false;
	root = ctx->files.v[0];
	fs->b = xcalloc(root->policies.n + 1, sizeof(*fs->b));
	for (i = 0; i < root->policies.n; i++) {
		struct built *b = &fs->b[fs->n_b++];
		int rc;

		b->name = root->policies.v[i]->name.s;
		rc = build_seccomp(ctx, root->policies.v[i], BACKEND_NATIVE, 0,
				   &b->sc);
		if (rc < 0) {
			for (t = 0; t < T_COUNT; t++)
				b->err[t] = xasprintf("build_seccomp: %s",
						      strerror(-rc));
			continue;
		}
		build_scmp(b);
		build_json(b);
	}
	return !diag_failed(&ctx->diag);
}

static char *read_text(const char *path)
{
	char *buf = NULL;
	size_t len;

	if (read_file(path, &buf, &len, 1u << 20) < 0)
		return NULL;
	return buf;
}

START_TEST(test_vector_file)
{
	const char *name = files[_i];
	_cleanup_free_ char *vpath = xasprintf("%s/%s.vectors", VEC_DIR,
					       name);
	_cleanup_free_ char *lpath = xasprintf("%s/%s.leash", VEC_DIR, name);
	_cleanup_free_ char *text = read_text(vpath);
	_cleanup_free_ char *vname = xasprintf("tests/vectors/%s.vectors",
					       name);
	_cleanup_free_ char *policy = NULL;
	struct file_state fs = { .file = vname };
	unsigned targets = T_ALL;
	struct leash_ctx ctx;
	char *diag_out = NULL, *line, *save = NULL;
	size_t diag_len = 0, i;
	FILE *df;
	int lineno = 0;
	bool ok;

	ck_assert_msg(text != NULL, "cannot read %s", vpath);
	df = open_memstream(&diag_out, &diag_len);
	ck_assert_ptr_nonnull(df);
	leash_ctx_init(&ctx, df);
	ok = compile_file(&fs, lpath, &ctx);
	diag_summary(&ctx.diag);
	fflush(df);
	ck_assert_msg(ok, "%s.leash does not compile:\n%s", name, diag_out);

	/* strtok_r() would skip empty lines and lose the count. */
	for (line = text; line; line = save) {
		char *hash, *copy, *trim;
		struct vec v;
		const char *why;

		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		lineno++;
		if (!strncmp(line, "#=POLICY", 8)) {
			char *w[3];

			copy = xstrdup(line + 8);
			if (split(copy, w, 2) != 1)
				fail_line(&fs, lineno, "#=POLICY takes a name");
			else {
				free(policy);
				policy = xstrdup(w[0]);
			}
			free(copy);
			continue;
		}
		if (!strncmp(line, "#=TARGETS", 9)) {
			char *w[3];

			copy = xstrdup(line + 9);
			if (split(copy, w, 2) != 1 ||
			    !parse_targets(w[0], &targets))
				fail_line(&fs, lineno, "#=TARGETS takes a list "
					  "of bpf,scmp,json,ir or 'all'");
			free(copy);
			continue;
		}
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		for (trim = line; *trim == ' ' || *trim == '\t'; trim++)
			;
		if (!*trim)
			continue;
		copy = xstrdup(trim);
		why = parse_vec(copy, &v);
		free(copy);
		if (why) {
			fail_line(&fs, lineno, "%s: '%s'", why, trim);
			continue;
		}
		check_vec(&fs, lineno, trim, &v, policy, targets);
	}

	printf("# %s: %u vectors, %u checks\n", vname, fs.n_vectors,
	       fs.n_checks);
	fflush(stdout);	/* a failing test exits without flushing */
	if (fs.n_vectors == 0)
		fail_line(&fs, lineno, "no vectors");
	for (i = 0; i < fs.n_b; i++)
		built_free(&fs.b[i]);
	free(fs.b);
	leash_ctx_fini(&ctx);
	fclose(df);
	free(diag_out);
	if (fs.n_fail) {
		_cleanup_free_ char *msg = sb_steal(&fs.fail);

		/* The whole list to the log; libcheck's message is short. */
		fprintf(stderr, "%s", msg);
		if (strlen(msg) > 2000)
			strcpy(msg + 1980, "...(see stderr)\n");
		ck_abort_msg("%u failing checks:\n%s", fs.n_fail, msg);
	}
}
END_TEST

/* ---- discovery -------------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every NAME of tests/vectors/NAME.vectors, sorted. */
static void find_files(void)
{
	DIR *d = opendir(VEC_DIR);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (n <= 8 || strcmp(e->d_name + n - 8, ".vectors"))
			continue;
		files = xrealloc(files, (n_files + 1) * sizeof(*files));
		files[n_files++] = xstrndup(e->d_name, n - 8);
	}
	closedir(d);
	if (n_files)
		qsort(files, n_files, sizeof(*files), by_name);
}

START_TEST(test_found_files)
{
	/* A missing directory must not pass as "no vector failed". */
	ck_assert_msg(n_files >= 10, "only %zu vector files in %s", n_files,
		      VEC_DIR);
}
END_TEST

static Suite *vectors_suite(void)
{
	Suite *s = suite_create("vectors");
	TCase *tc = tcase_create("files");

	tcase_add_test(tc, test_found_files);
	tcase_add_loop_test(tc, test_vector_file, 0, (int)n_files);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;
	size_t i;

	find_files();
	sr = srunner_create(vectors_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	for (i = 0; i < n_files; i++)
		free(files[i]);
	free(files);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
