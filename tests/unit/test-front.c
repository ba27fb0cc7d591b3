/* SPDX-License-Identifier: MIT */
/*
 * test-front.c - unit tests for the front end: diagnostics rendering,
 * edit distance, constant evaluation, includes, the namespace and the
 * semantic checks, driven through in-memory policies.
 */
#include "front/front.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Run the whole front end on @text; return the diagnostics printed. */
static char *front(const char *text, unsigned *errors, unsigned *warnings)
{
	struct leash_ctx ctx;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	ck_assert_ptr_nonnull(f);
	leash_ctx_init(&ctx, f);
	res_load_buffer(&ctx, "t.leash", text, strlen(text));
	if (!diag_failed(&ctx.diag))
		res_names(&ctx);
	if (!diag_failed(&ctx.diag))
		chk_all(&ctx);
	diag_summary(&ctx.diag);
	if (errors)
		*errors = ctx.diag.n_errors;
	if (warnings)
		*warnings = ctx.diag.n_warnings;
	leash_ctx_fini(&ctx);
	fclose(f);
	return out;
}

static void expect_ok(const char *text)
{
	unsigned e, w;
	char *out = front(text, &e, &w);

	ck_assert_msg(e == 0 && w == 0, "unexpected diagnostics for:\n%s\n%s",
		      text, out);
	free(out);
}

/* Expect at least one error whose text contains @needle. */
static void expect_error(const char *text, const char *needle)
{
	unsigned e;
	char *out = front(text, &e, NULL);

	ck_assert_msg(e > 0, "no error for:\n%s", text);
	ck_assert_msg(strstr(out, needle) != NULL,
		      "expected '%s' in:\n%s", needle, out);
	free(out);
}

START_TEST(test_edit_distance)
{
	ck_assert_uint_eq(edit_distance("socket", "socket", 2), 0);
	ck_assert_uint_eq(edit_distance("sokcet", "socket", 2), 1);
	ck_assert_uint_eq(edit_distance("scoekt", "socket", 2), 2);
	ck_assert_uint_eq(edit_distance("read", "reads", 2), 1);
	ck_assert_uint_eq(edit_distance("", "ab", 2), 2);
	ck_assert_uint_eq(edit_distance("abcdef", "uvwxyz", 2), SIZE_MAX);
}
END_TEST

START_TEST(test_caret_rendering)
{
	char *out = front("policy web {\n"
			  "    seccomp {\n"
			  "\tallow sokcet(domain) if domain == AF_UNIX;\n"
			  "    }\n    process { user 1; }\n}\n", NULL, NULL);

	ck_assert_str_eq(out,
		"t.leash:3:8: error: unknown syscall 'sokcet' (did you mean 'socket'?)\n"
		"    3 | \tallow sokcet(domain) if domain == AF_UNIX;\n"
		"      | \t      ^~~~~~\n"
		"1 error generated.\n");
	free(out);
}
END_TEST

START_TEST(test_error_limit)
{
	char buf[4096];
	unsigned e;
	char *out;
	int i;

	strcpy(buf, "policy p { seccomp {");
	for (i = 0; i < 40; i++)
		strcat(buf, " allow nosuchcall;");
	strcat(buf, " } }\n");
	out = front(buf, &e, NULL);
	/* One message: the deduplication folds identical locations only. */
	ck_assert_uint_ge(e, 1);
	free(out);
	memset(buf, '$', 100);
	buf[100] = '\0';
	out = front(buf, &e, NULL);
	/* The parse stops once the limit is reached: no flood of errors. */
	ck_assert_uint_gt(e, 20);
	ck_assert_uint_lt(e, 100);
	ck_assert_ptr_nonnull(strstr(out, "too many errors"));
	free(out);
}
END_TEST

START_TEST(test_constants)
{
	expect_ok("define A = 1 << 4 | 3;\n"
		  "define B = A * 2 - 1 + ~0 + -1;\n"
		  "define C = 0x10 ^ 0o20 ^ 020 ^ 0b10000;\n"
		  "policy p { seccomp { errno(A) read; errno(C) write; }\n"
		  "  process { user 1; } }\n");
	expect_error("define A = 1 << 64;\n", "shift count 64");
	expect_error("define A = B;\ndefine B = A;\n", "refers to itself");
	expect_error("define A = NOPE;\n", "unknown constant 'NOPE'");
	expect_error("define A = EPRM;\n", "did you mean 'EPERM'");
	expect_error("define EPERM = 2;\n", "built-in constant 'EPERM'");
	expect_error("define A = 1;\ndefine A = 1;\n", "redefinition");
	expect_error("define A = 18446744073709551616;\n", "out of range");
	expect_error("define A = 1 == 1;\n", "not a constant");
}
END_TEST

START_TEST(test_groups_and_policies)
{
	expect_ok("group @a { read, @b }\ngroup @b { write, }\n"
		  "policy p { seccomp { allow @a; } process { user 1; } }\n");
	expect_error("group @a { @b }\ngroup @b { @a }\n", "group cycle");
	expect_error("group @a { @nope }\n", "unknown group '@nope'");
	expect_error("policy a extends b { }\npolicy b extends a { }\n",
		     "inheritance cycle");
	expect_error("policy a { }\npolicy b extends c { }\n",
		     "unknown policy 'c'");
	expect_error("policy a { }\npolicy \"a\" { }\n",
		     "redefinition of policy 'a'");
}
END_TEST

START_TEST(test_seccomp_checks)
{
	expect_ok("policy p { seccomp { arch x86_64, x86, x32;\n"
		  " allow socket(domain, type) if domain == AF_UNIX ||"
		  " (domain == AF_INET && (type & 0xf) == SOCK_STREAM);\n"
		  " kill kill; errno(ENOSYS) clone3; }\n"
		  " process { user 1; } }\n");
	expect_error("policy p { seccomp { allow sokcet; } }\n",
		     "did you mean 'socket'");
	expect_error("policy p { seccomp { arch x86_46; } }\n",
		     "did you mean 'x86_64'");
	expect_error("policy p { seccomp { errno(5000) read; } }\n",
		     "out of range");
	expect_error("policy p { seccomp { errno(EPREM) read; } }\n",
		     "did you mean 'EPERM'");
	expect_error("policy p { seccomp {\n"
		     " allow socket(a, b) if a == b; } }\n",
		     "two arguments");
	expect_error("policy p { seccomp {\n"
		     " allow socket(a) if b == 1; } }\n", "'b'");
	expect_error("policy p { seccomp { when cap SYS_ADMN { allow mount; } } }\n",
		     "did you mean");
	expect_error("policy p { capabilities { add NET_RWA; } }\n",
		     "did you mean");
}
END_TEST

/* docs/language.md section 4: declarations judged per arch. */
START_TEST(test_argument_decls)
{
	expect_ok("policy p { seccomp { arch x86_64, aarch64;\n"
		  " allow mmap(addr, len, prot) if (prot & PROT_EXEC) == 0;\n"
		  " allow socket(family, kind) if kind == 1; }\n"
		  " process { user 1; } }\n");
	expect_error("policy p { seccomp { arch x86_64;\n"
		     " allow mmap(prot) if (prot & PROT_EXEC) == 0; } }\n",
		     "'prot' is argument 2 of 'mmap' on arch x86_64, not argument 0: write 'mmap(addr, len, prot)' or use 'arg2'");
	/* s390x passes newsp first: right there, wrong on aarch64. */
	expect_ok("policy p { seccomp { arch s390x;\n"
		  " allow clone(newsp) if newsp == 0; }\n"
		  " process { user 1; } }\n");
	expect_error("policy p { seccomp { arch s390x, aarch64;\n"
		     " allow clone(newsp) if newsp == 0; } }\n",
		     "on arch aarch64, not argument 0");
	expect_error("policy p { seccomp { arch x86_64, arm;\n"
		     " allow read(fd:64) if fd == 0; } }\n",
		     "'fd:64' on arch arm: every argument of a 32-bit ABI");
	expect_ok("policy p { seccomp { arch x86_64, x32;\n"
		  " allow read(fd:64) if fd == 0; }\n"
		  " process { user 1; } }\n");
	expect_error("policy p { seccomp { when cap SYS_ADMIN {\n"
		     " when arch x86_64 { default allow; } } } }\n",
		     "'default' cannot be used inside 'when'");
	expect_error("policy p { seccomp { when arch x86_64 {\n"
		     " arch x86_64, x32; } } }\n",
		     "'arch' cannot be used inside 'when'");
	/* The mask after '&': a name, a number or in parentheses. */
	expect_ok("policy p { seccomp {\n"
		  " allow clone(f) if (f & (CLONE_NEWUSER | CLONE_NEWNS)) == 0;\n"
		  " allow clone(f) if (f & ~CLONE_NEWNS) == 0; }\n"
		  " process { user 1; } }\n");
	expect_error("policy p { seccomp {\n"
		     " allow clone(f) if (f & CLONE_NEWUSER | CLONE_NEWNS) == 0; } }\n",
		     "write '(f & (CLONE_NEWUSER | CLONE_NEWNS))'");
	expect_error("policy p { seccomp {\n"
		     " allow clone(f) if (f & 1 + 2) == 0; } }\n",
		     "write '(f & (1 + 2))'");
}
END_TEST

START_TEST(test_other_sections)
{
	expect_ok("policy p {\n"
		  " filesystem { read_only_root; allow rw \"/tmp/**\"; "
		  "mask \"/proc/kcore\"; }\n"
		  " network { allow unix, inet stream; allow bind tcp 80; }\n"
		  " apparmor { name \"leash-p\"; template none; }\n"
		  " process { user 1000:1000; groups 1, 2; namespaces pid, net; }\n"
		  " limits { memory 256M; cpus 1.5; pids 100; nofile 1024; }\n"
		  "}\n");
	expect_error("policy p { filesystem { allow r \"etc/**\"; } }\n",
		     "absolute");
	expect_error("policy p { filesystem { allow q \"/etc\"; } }\n",
		     "'q'");
	expect_error("policy p { network { allow bind udp 53; } }\n", "udp");
}
END_TEST

START_TEST(test_include_from_disk)
{
	char dir[] = "/tmp/leash-test-XXXXXX";
	char path[256], lib[256];
	struct leash_ctx ctx;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/main.leash", dir);
	snprintf(lib, sizeof(lib), "%s/lib.leash", dir);
	f = fopen(lib, "w");
	fputs("group @io { read, write }\n", f);
	fclose(f);
	f = fopen(path, "w");
	/* Twice: the second include is a no-op, not a redefinition. */
	fputs("include \"lib.leash\";\ninclude \"lib.leash\";\n"
	      "policy p { seccomp { allow @io; } }\n", f);
	fclose(f);

	leash_ctx_init(&ctx, NULL);
	ck_assert_int_eq(res_load(&ctx, path), 0);
	ck_assert_int_eq(res_names(&ctx), 0);
	ck_assert_int_eq(chk_all(&ctx), 0);
	ck_assert_uint_eq(ctx.files.n, 2);
	ck_assert_ptr_nonnull(res_find_group(&ctx, "@io"));
	leash_ctx_fini(&ctx);

	/* A file that includes itself is a cycle. */
	f = fopen(lib, "w");
	fputs("include \"main.leash\";\n", f);
	fclose(f);
	leash_ctx_init(&ctx, NULL);
	ck_assert_int_ne(res_load(&ctx, path), 0);
	leash_ctx_fini(&ctx);

	unlink(lib);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *front_suite(void)
{
	Suite *s = suite_create("front");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_edit_distance);
	tcase_add_test(tc, test_caret_rendering);
	tcase_add_test(tc, test_error_limit);
	tcase_add_test(tc, test_constants);
	tcase_add_test(tc, test_groups_and_policies);
	tcase_add_test(tc, test_seccomp_checks);
	tcase_add_test(tc, test_argument_decls);
	tcase_add_test(tc, test_other_sections);
	tcase_add_test(tc, test_include_from_disk);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(front_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
