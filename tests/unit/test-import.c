/* SPDX-License-Identifier: MIT */
/*
 * test-import.c - 'leash import' against the profile it came from.
 *
 * Each profile is imported (cmd_import, as the command runs), the
 * policy compiled to BPF, and the original compiled the way dockerd or
 * podman and runc build it (scmp-json.c, libseccomp).  On every number
 * of x86_64, x86 and x32 and on argument vectors around every constant
 * of the profile -- with upper halves set on the 64-bit ABIs, which the
 * import's `:64` must honour -- both filters must give the same action.
 * The original is read as written (sj_opts.leash_names, no -ENOSYS
 * stub): names this libseccomp lacks resolved from leash's tables, as a
 * runtime with a current libseccomp resolves them.  No difference is
 * allowed.  (What runc 1.1 with libseccomp 2.5.4 makes of the profile
 * is 'leash diff --as runc', tests/run-diff.sh.)
 */
#include "cli/cli.h"
#include "seccomp/bpf.h"
#include "seccomp/scmp-json.h"
#include "tests/common/first-error.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOW32 0xffffffffull

VEC(u64_vec, uint64_t);

static void add_vals(struct u64_vec *v, uint64_t x, bool hi)
{
	uint64_t base[] = { x, x - 1, x + 1, ~x, 0, ~0ull, LOW32 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(base); i++) {
		VEC_PUSH(v, base[i] & LOW32);
		if (hi) {
			VEC_PUSH(v, base[i]);
			VEC_PUSH(v, (base[i] & LOW32) | 1ull << 32);
		}
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void uniq(struct u64_vec *v)
{
	size_t i, o = 0;

	qsort(v->v, v->n, sizeof(*v->v), cmp_u64);
	for (i = 0; i < v->n; i++)
		if (!o || v->v[o - 1] != v->v[i])
			v->v[o++] = v->v[i];
	v->n = o;
}

static uint32_t run(const struct sock_filter *f, size_t n, uint32_t audit,
		    uint32_t nr, const uint64_t a[6])
{
	struct seccomp_data d = { 0 };
	uint32_t ret = 0;

	d.nr = (int)nr;
	d.arch = audit;
	memcpy(d.args, a, sizeof(d.args));
	ck_assert_int_eq(bpf_exec(f, n, &d, &ret, NULL), 0);
	return ret;
}

struct cmp_state {
	const char *json;
	const struct sock_filter *imp, *orig;
	size_t imp_len, orig_len;
	unsigned long n_cmp, n_diff;
};

/* One call through both filters. */
static void compare(struct cmp_state *cs, enum leash_arch a, uint32_t nr,
		    const uint64_t v[6])
{
	const struct arch_info *ai = arch_info(a);
	const char *name = syscall_name(a, nr);
	uint32_t l = run(cs->imp, cs->imp_len, ai->audit_arch, nr, v);
	uint32_t d = run(cs->orig, cs->orig_len, ai->audit_arch, nr, v);

	cs->n_cmp++;
	if (l == d)
		return;
	if (cs->n_diff++ < 10)
		fprintf(stderr, "%s: %s nr %u (%s) args 0x%llx 0x%llx 0x%llx: "
			"import 0x%x, profile 0x%x\n", cs->json, ai->name, nr,
			name ? name : "?", (unsigned long long)v[0],
			(unsigned long long)v[1], (unsigned long long)v[2], l,
			d);
}

/*
 * Every position alone over its values and, with @pairs (the profile
 * compares arguments of this call), every pair of positions the profile
 * compares over the cross product of their values.  Upper halves only
 * on x86_64: a 32-bit ABI's registers have none.
 */
static void for_vectors(struct cmp_state *cs, enum leash_arch a, uint32_t nr,
			const struct u64_vec vals[6], const bool used[6],
			bool pairs)
{
	uint64_t keep = a == ARCH_X86_64 ? ~0ull : LOW32;
	size_t x, y;
	int p, q;

	for (p = 0; p < 6; p++)
		for (x = 0; x < vals[p].n; x++) {
			uint64_t v[6] = { 0 };

			v[p] = vals[p].v[x] & keep;
			compare(cs, a, nr, v);
		}
	if (!pairs)
		return;
	for (p = 0; p < 6; p++)
		for (q = p + 1; q < 6; q++) {
			if (!used[p] || !used[q])
				continue;
			for (x = 0; x < vals[p].n; x++)
				for (y = 0; y < vals[q].n; y++) {
					uint64_t v[6] = { 0 };

					v[p] = vals[p].v[x] & keep;
					v[q] = vals[q].v[y] & keep;
					compare(cs, a, nr, v);
				}
		}
}

/* Whether the profile compares arguments of @name anywhere. */
static bool has_args(const struct sj_profile *p, const char *name)
{
	size_t i, k;

	for (i = 0; name && i < p->n_sys; i++)
		for (k = 0; p->sys[i].n_args && k < p->sys[i].names.n; k++)
			if (!strcmp(p->sys[i].names.v[k], name))
				return true;
	return false;
}

static void check_profile(const char *json, enum sj_mode mode,
			  const char *caps_opt)
{
	static const enum leash_arch arches[] = { ARCH_X86_64, ARCH_X86,
						  ARCH_X32 };
	char out[] = "/tmp/leash-test-import-XXXXXX";
	char *argv[] = { "import", "--kernel", "6.12", "--host", "amd64",
			 "--caps", (char *)caps_opt, "-p", "imported", "-o",
			 out, (char *)json, NULL };
	struct leash_ctx ctx;
	struct front_opts fo = { 0 };
	struct seccomp_out sc = { 0 };
	struct ast_policy *pol;
	struct sj_profile *prof = NULL;
	struct sj_opts o = { 0 };
	struct strbuf err = { 0 };
	struct sock_filter *orig = NULL;
	size_t olen = 0, jlen, i, k, a;
	char *buf = NULL;
	char cap_names[CAP_COUNT][40];
	const char *caps[CAP_COUNT];
	size_t n_caps = 0;
	uint64_t capset = !strcmp(caps_opt, "docker") ? caps_docker_default() :
			  0;
	struct u64_vec vals[6] = { { 0 } };
	struct cmp_state cmp = { 0 };
	bool used[6];
	int fd, c, p;

	fd = mkstemp(out);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_msg(cmd_import(ARRAY_SIZE(argv) - 1, argv) == 0,
		      "leash import %s failed", json);

	leash_ctx_init(&ctx, stderr);
	ck_assert_int_eq(front_run(&ctx, &fo, out), 0);
	pol = res_find_policy(&ctx, "imported");
	ck_assert_ptr_nonnull(pol);
	ck_assert_int_eq(build_seccomp(&ctx, pol, BACKEND_NATIVE, 0, &sc), 0);
	ck_assert_int_eq(bpf_check(sc.bpf, sc.bpf_len), 0);

	ck_assert_int_eq(read_file(json, &buf, &jlen, 1u << 22), 0);
	ck_assert_msg(tc_sj_parse(buf, jlen, &prof, &err) == 0, "%s", err.s);
	for (c = 0; c < CAP_COUNT; c++)
		if (capset >> c & 1) {
			snprintf(cap_names[n_caps], 40, "CAP_%s", cap_name(c));
			caps[n_caps] = cap_names[n_caps];
			n_caps++;
		}
	o.mode = mode;
	o.host_arch = "amd64";
	o.caps = caps;
	o.n_caps = n_caps;
	o.kernel = "6.12";
	o.leash_names = true;
	o.no_enosys_stub = true;
	ck_assert_msg(tc_sj_compile(prof, &o, &orig, &olen, &err) == 0 && orig,
		      "%s: %s", json, err.s ? err.s : "");

	for (i = 0; i < prof->n_sys; i++)
		for (k = 0; k < prof->sys[i].n_args; k++) {
			const struct sj_arg *ar = &prof->sys[i].args[k];

			if (ar->index > 5)
				continue;
			add_vals(&vals[ar->index],
				 ar->op == SCMP_CMP_MASKED_EQ ? ar->value_two :
								ar->value,
				 true);
			if (ar->op == SCMP_CMP_MASKED_EQ)
				add_vals(&vals[ar->index], ar->value, true);
		}
	for (p = 0; p < 6; p++) {
		used[p] = vals[p].n > 0;
		add_vals(&vals[p], 0, true);
		uniq(&vals[p]);
	}

	cmp.json = json;
	cmp.imp = sc.bpf;
	cmp.imp_len = sc.bpf_len;
	cmp.orig = orig;
	cmp.orig_len = olen;
	for (a = 0; a < ARRAY_SIZE(arches); a++) {
		const struct arch_info *ai = arch_info(arches[a]);
		uint32_t max = (uint32_t)syscall_max_nr(arches[a]) + 16, nr;

		for (nr = ai->nr_bias; nr <= max; nr++)
			for_vectors(&cmp, arches[a], nr, vals, used,
				    has_args(prof, syscall_name(arches[a], nr)));
	}
	printf("# %s (%s): %lu comparisons, %lu differences\n", json,
	       caps_opt, cmp.n_cmp, cmp.n_diff);
	fflush(stdout);
	ck_assert_msg(cmp.n_diff == 0, "%s: %lu differences", json,
		      cmp.n_diff);

	for (p = 0; p < 6; p++)
		VEC_FREE(&vals[p]);
	free(orig);
	free(buf);
	sb_free(&err);
	sj_profile_destroy(&prof);
	build_seccomp_free(&sc);
	leash_ctx_fini(&ctx);
	unlink(out);
}

START_TEST(test_docker)
{
	check_profile(LEASH_SRC_DIR "/tests/data/docker-default.json",
		      SJ_DOCKER, "docker");
}
END_TEST

START_TEST(test_podman)
{
	check_profile(LEASH_SRC_DIR "/tests/data/podman-default.json",
		      SJ_PODMAN, "docker");
}
END_TEST

START_TEST(test_formats)
{
	check_profile(LEASH_SRC_DIR "/tests/import/formats.json", SJ_PODMAN,
		      "docker");
	check_profile(LEASH_SRC_DIR "/tests/import/formats.json", SJ_PODMAN,
		      "none");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_docker);
	tcase_add_test(tc, test_podman);
	tcase_add_test(tc, test_formats);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
