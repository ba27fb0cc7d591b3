/* SPDX-License-Identifier: MIT */
/*
 * fuzz-log.c - fuzz target for the reader of the kernel's seccomp audit
 * records, seclog_parse() and seclog_arch() ('leash explain --log').
 *
 * One file, two builds, as fuzz-bundle.c:
 *
 *   clang -fsanitize=fuzzer,... -DLEASH_LIBFUZZER   (tests/fuzz/run-fuzz.sh)
 *       libFuzzer calls LLVMFuzzerTestOneInput().
 *
 *   $(CC) [with --enable-sanitizers: ASan + UBSan]  (make check)
 *       our main() checks the first record of tests/explain's
 *       seccomp.audit against what it says (a reader that read nothing
 *       would fail), then feeds the target every line of seccomp.audit
 *       and foreign.audit, every truncation of each line and each byte
 *       of it set to 0x00, 0x1d, ' ', '"' and its own value + 1.
 *       TAP, one line per file.  With FILE|DIR arguments it replays
 *       those files instead (libFuzzer's crash-* artifacts);
 *       with '--seeds DIR' it writes the lines to DIR as a seed corpus.
 *
 * The input is split into lines as explain_log() reads a log.  What
 * explain relies on after a parse: the return is -1, 0 or 1; a refusal
 * names its field; a record's "syscall=N" span lies inside the line and
 * starts with "syscall="; its comm is a string; its arch, when known, is
 * one of leash's.
 */
#include "interop/seclog.h"
#include "common/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define must(cond)                                                             \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz-log: %s:%d: %s\n", __FILE__,     \
				__LINE__, #cond);                              \
			abort();                                               \
		}                                                              \
	} while (0)

/* One line through the reader; its answer. */
static int parse_one(const char *line, size_t len)
{
	struct seclog_rec r;
	const char *why = NULL;
	enum leash_arch arch;
	int rc;

	/* A copy of exactly @len bytes: ASan sees any read past the end. */
	char *copy = malloc(len ? len : 1);

	must(copy);
	memcpy(copy, line, len);
	rc = seclog_parse(copy, len, &r, &why);
	must(rc >= -1 && rc <= 1);
	if (rc < 0)
		must(why && *why);
	if (rc == 1) {
		must(r.call_off <= len && r.call_len <= len - r.call_off);
		must(r.call_len > 8 && !memcmp(copy + r.call_off, "syscall=", 8));
		must(memchr(r.comm, '\0', sizeof(r.comm)));
		if (seclog_arch(&r, &arch))
			must((unsigned)arch < ARCH_COUNT);
	}
	free(copy);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		parse_one(p, (size_t)((nl ? nl : end) - p));
		p = nl ? nl + 1 : end;
	}
	return 0;
}

#ifndef LEASH_LIBFUZZER
/* ---- replay mode: a plain program for make check ------------------------- */

#include "pipeline/driver.h"

static unsigned n_run, n_failed;

#include "tests/fuzz/replay.h"

/* Every truncation and many one-byte changes of a line. */
static void mutate(const char *line, size_t len)
{
	static const int how[] = { 0x00, 0x1d, ' ', '"', -1 };
	char *m = malloc(len ? len : 1);
	size_t i, k;

	must(m);
	for (i = 0; i <= len; i++)
		parse_one(line, i);
	for (i = 0; i < len; i++) {
		for (k = 0; k < ARRAY_SIZE(how); k++) {
			memcpy(m, line, len);
			m[i] = how[k] < 0 ? (char)(line[i] + 1) : (char)how[k];
			parse_one(m, len);
		}
	}
	free(m);
}

/* Known answers: the first record of the dmesg fixture, as the kernel
 * wrote it (getppid from sh, x86_64, a 'log' rule). */
static bool known_answers(const char *buf, size_t len, const char **what)
{
	static const char rec[] = "type=1326 audit(";
	const char *p = memmem(buf, len, rec, sizeof(rec) - 1), *bol, *nl;
	struct seclog_rec r;
	enum leash_arch arch;
	const char *why;

	*what = "no type=1326 record";
	if (!p)
		return false;
	for (bol = p; bol > buf && bol[-1] != '\n'; bol--)
		;
	nl = memchr(p, '\n', (size_t)(buf + len - p));
	*what = "the first record does not parse";
	if (seclog_parse(bol, (size_t)((nl ? nl : buf + len) - bol), &r,
			 &why) != 1)
		return false;
	*what = "the first record is not sh's getppid (110) on x86_64 "
		"with log (0x7ffc0000)";
	return !strcmp(r.comm, "sh") && r.nr == 110 &&
	       r.code == 0x7ffc0000 && seclog_arch(&r, &arch) &&
	       arch == ARCH_X86_64;
}

static const char *seed_dir;
static unsigned n_seeds;

static void lines_of(const char *path, bool first)
{
	const char *p, *end, *nl, *what;
	char *buf;
	size_t len, n = 0;
	int rc;

	n_run++;
	rc = read_file(path, &buf, &len, 1u << 20);
	if (rc < 0) {
		n_failed++;
		printf("not ok %u - %s: %s\n", n_run, path, strerror(-rc));
		return;
	}
	if (first && !known_answers(buf, len, &what)) {
		n_failed++;
		printf("not ok %u - %s: %s\n", n_run, path, what);
		free(buf);
		return;
	}
	for (p = buf, end = buf + len; p < end; p = nl ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (seed_dir) {
			char *name = xasprintf("seed-%u", ++n_seeds);

			if (write_atomic(seed_dir, name, p,
					 (size_t)((nl ? nl : end) - p)) < 0) {
				n_failed++;
				printf("not ok %u - cannot write %s/%s\n",
				       n_run, seed_dir, name);
				free(name);
				free(buf);
				return;
			}
			free(name);
		} else {
			mutate(p, (size_t)((nl ? nl : end) - p));
		}
		n++;
	}
	printf("ok %u - %s: %zu lines%s\n", n_run, path, n,
	       seed_dir ? " written" : ", every truncation and 5 changes "
	       "per byte");
	free(buf);
}

int main(int argc, char **argv)
{
	static const char *const fixtures[] = {
		"tests/explain/seccomp.audit", "tests/explain/foreign.audit",
	};
	const char *src = getenv("abs_top_srcdir");
	size_t k;
	int i;

	if (argc > 1 && strcmp(argv[1], "--seeds") != 0) {
		for (i = 1; i < argc; i++)
			replay_path(argv[i], 1u << 20);
	} else {
		if (argc > 1) {
			if (argc != 3) {
				fputs("usage: fuzz-log [--seeds DIR | FILE|DIR...]\n",
				      stderr);
				return 2;
			}
			seed_dir = argv[2];
		}
		if (!src || !*src)
			src = LEASH_SRC_DIR;
		for (k = 0; k < ARRAY_SIZE(fixtures); k++) {
			char *p = xasprintf("%s/%s", src, fixtures[k]);

			lines_of(p, k == 0);
			free(p);
		}
	}
	printf("1..%u\n", n_run);
	return n_failed ? 1 : 0;
}
#endif
