/* SPDX-License-Identifier: MIT */
/*
 * fuzz-parser.c - fuzz target for the front end: parse, resolve, check.
 *
 * One file, two builds (as crun's tests_libcrun_fuzzer.c):
 *
 *   clang -fsanitize=fuzzer,... -DLEASH_LIBFUZZER   (tests/fuzz/run-fuzz.sh)
 *       libFuzzer provides main() and calls LLVMFuzzerTestOneInput().
 *
 *   $(CC) [with --enable-sanitizers: ASan + UBSan]  (make check)
 *       our main() replays files: every file named on the command line
 *       (directories are walked for *.leash, *.inc and libFuzzer's
 *       crash-*, leak-*, timeout-* and oom-* artifacts), or, with no arguments,
 *       every such file under $abs_top_srcdir/tests and /profiles.  It
 *       prints TAP, one line per input; a crash kills the run, which the
 *       TAP driver reports as an error.
 *
 * FUZZING_MODE in the environment picks the target in both builds; the
 * default and only one so far is "parser".  Add the YAML front end and the
 * AppArmor emitter as further modes (STYLE.md section 10).
 */
#include "front/front.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Diagnostics are counted, never printed (NULL output). */
static void fuzz_parser(const uint8_t *data, size_t size)
{
	struct leash_ctx ctx;

	leash_ctx_init(&ctx, NULL);
	res_load_buffer(&ctx, "<fuzz>", (const char *)data, size);
	if (!diag_failed(&ctx.diag))
		res_names(&ctx);
	if (!diag_failed(&ctx.diag))
		chk_all(&ctx);
	leash_ctx_fini(&ctx);
}

struct fuzz_mode {
	const char *name;
	void (*fn)(const uint8_t *data, size_t size);
};

static const struct fuzz_mode fuzz_modes[] = {
	{ "parser", fuzz_parser },
};

static const struct fuzz_mode *fuzz_mode(void)
{
	static const struct fuzz_mode *mode;
	const char *want;
	size_t i;

	if (mode)
		return mode;
	want = getenv("FUZZING_MODE");
	if (want == NULL || *want == '\0')
		want = "parser";
	for (i = 0; i < ARRAY_SIZE(fuzz_modes); i++)
		if (strcmp(fuzz_modes[i].name, want) == 0)
			return mode = &fuzz_modes[i];
	fprintf(stderr, "fuzz-parser: unknown FUZZING_MODE '%s'\n", want);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_mode()->fn(data, size);
	return 0;
}

#ifndef LEASH_LIBFUZZER
/* ---- replay mode: a plain program for make check ------------------------- */

#include <dirent.h>
#include <sys/stat.h>

/* Under ASan, check for leaks after each input, so a leak is reported
 * against the file that caused it (they are reported again at exit). */
#if defined(__SANITIZE_ADDRESS__)
#define LEASH_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LEASH_LSAN 1
#endif
#endif
#ifdef LEASH_LSAN
#include <sanitizer/lsan_interface.h>
#define leaked() __lsan_do_recoverable_leak_check()
#else
#define leaked() 0
#endif

static unsigned n_run, n_failed;

/* Files worth replaying when found in a directory. */
static bool replayable(const char *name)
{
	static const char *const artifacts[] = {
		"crash-", "leak-", "timeout-", "oom-", "slow-unit-",
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	if (name[0] == '.')
		return false;
	for (i = 0; i < ARRAY_SIZE(artifacts); i++)
		if (strncmp(name, artifacts[i], strlen(artifacts[i])) == 0)
			return true;
	return dot && (strcmp(dot, ".leash") == 0 || strcmp(dot, ".inc") == 0);
}

static void replay_file(const char *path)
{
	char *buf;
	size_t len;
	int rc;

	n_run++;
	fflush(stdout);	/* the last "ok" line before a crash says where */
	rc = read_file(path, &buf, &len, LEASH_MAX_FILE_SIZE);
	if (rc < 0) {
		n_failed++;
		printf("not ok %u - %s: %s\n", n_run, path, strerror(-rc));
		return;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	if (leaked()) {
		n_failed++;
		printf("not ok %u - %s: memory leak (see the report above)\n",
		       n_run, path);
		return;
	}
	printf("ok %u - %s\n", n_run, path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replay @path: a file, or a directory walked in sorted order. */
static void replay_path(const char *path, bool named)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	char **names = NULL;
	size_t n = 0, cap = 0, i;

	if (lstat(path, &st) < 0) {
		if (named) {
			n_run++;
			n_failed++;
			printf("not ok %u - %s: %s\n", n_run, path,
			       strerror(errno));
		}
		return;
	}
	if (S_ISREG(st.st_mode)) {
		replay_file(path);
		return;
	}
	if (!S_ISDIR(st.st_mode))
		return;
	d = opendir(path);
	if (d == NULL) {
		n_run++;
		n_failed++;
		printf("not ok %u - %s: %s\n", n_run, path, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap)
			vec_grow((void **)&names, &cap, sizeof(*names));
		names[n++] = xasprintf("%s/%s", path, de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		const char *base = strrchr(names[i], '/') + 1;

		if (lstat(names[i], &st) == 0 &&
		    (S_ISDIR(st.st_mode) ? base[0] != '.' : replayable(base)))
			replay_path(names[i], false);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			replay_path(argv[i], true);
	} else {
		const char *src = getenv("abs_top_srcdir");
		char *p;

#ifdef LEASH_SRC_DIR
		if (src == NULL || *src == '\0')
			src = LEASH_SRC_DIR;
#endif
		if (src == NULL || *src == '\0') {
			fputs("usage: fuzz-parser FILE|DIR...\n", stderr);
			return 2;
		}
		p = xasprintf("%s/tests", src);
		replay_path(p, true);
		free(p);
		p = xasprintf("%s/profiles", src);
		replay_path(p, false);
		free(p);
	}
	printf("1..%u\n", n_run);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
#endif /* !LEASH_LIBFUZZER */
