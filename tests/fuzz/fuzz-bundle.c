/* SPDX-License-Identifier: MIT */
/*
 * fuzz-bundle.c - fuzz target for the bundle reader, lb_parse().
 *
 * One file, two builds, as fuzz-parser.c:
 *
 *   clang -fsanitize=fuzzer,... -DLEASH_LIBFUZZER   (tests/fuzz/run-fuzz.sh)
 *       libFuzzer calls LLVMFuzzerTestOneInput().
 *
 *   $(CC) [with --enable-sanitizers: ASan + UBSan]  (make check)
 *       our main() compiles every policy of tests/valid and profiles to a
 *       bundle and feeds the target each bundle, every truncation of it
 *       and every byte of it set to 0x00, 0xff and its own value + 1
 *       (then the digest is fixed up, so the content checks run).  TAP,
 *       one line per bundle.  With FILE|DIR arguments it replays those
 *       files instead (libFuzzer's crash-* artifacts); with
 *       '--seeds DIR' it writes the bundles to DIR as a seed corpus.
 *
 * Each input is parsed twice: as it is, which stops at the digest for
 * nearly every mutation, and with magic, version, size and digest fixed
 * up, which lets the fuzzer reach every section parser.  A parsed bundle
 * must satisfy every limit of bundle.h; a refusal must give a reason.
 */
#include "runtime-shim/bundle.h"

#include <sodium/crypto_hash_sha256.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define must(cond)                                                             \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz-bundle: %s:%d: %s\n", __FILE__,  \
				__LINE__, #cond);                              \
			abort();                                               \
		}                                                              \
	} while (0)

static void check_string(const char *s)
{
	size_t n;

	must(s != NULL);
	n = strlen(s);
	must(n > 0 && n < LB_MAX_STRING);
}

/* What the shim relies on after a successful lb_parse(). */
static void check_bundle(const struct lb_bundle *b)
{
	size_t i;

	check_string(b->name);
	must(b->bpf && b->bpf_len > 0 && b->bpf_len <= LB_MAX_BPF);
	if (b->apparmor)
		check_string(b->apparmor);
	must(b->n_paths <= LB_MAX_PATHS && b->n_ports <= LB_MAX_PORTS);
	must(b->has_landlock || (!b->n_paths && !b->n_ports &&
				 !b->handled_fs && !b->handled_net));
	for (i = 0; i < b->n_paths; i++) {
		check_string(b->paths[i].path);
		must(b->paths[i].path[0] == '/');
		must(b->paths[i].access &&
		     !(b->paths[i].access & ~b->handled_fs));
	}
	for (i = 0; i < b->n_ports; i++)
		must(b->ports[i].port <= 65535 && b->ports[i].access &&
		     !(b->ports[i].access & ~b->handled_net));
	must(b->n_groups <= LB_MAX_GROUPS);
	must(!b->n_groups || (b->user_flags & LB_USER_GROUPS));
	for (i = 0; i < b->n_groups; i++)
		must(b->groups[i] != UINT32_MAX);
	must(b->n_rlimits <= LB_MAX_RLIMITS);
	for (i = 0; i < b->n_rlimits; i++)
		must(b->rlimits[i].resource < LB_MAX_RLIMITS &&
		     b->rlimits[i].soft <= b->rlimits[i].hard);
	must(!b->cpu_quota == !b->cpu_period);
}

static void parse_one(const uint8_t *d, size_t n)
{
	struct lb_bundle b;
	const char *why = NULL;

	if (lb_parse(d, n, &b, &why) == 0) {
		must(why == NULL);
		check_bundle(&b);
		lb_free(&b);
		must(b.name == NULL && b.bpf == NULL);
	} else {
		must(why != NULL && b.name == NULL && b.bpf == NULL &&
		     b.paths == NULL && b.groups == NULL);
	}
}

/* Make @d pass the header checks, so the body is what is tested. */
static void fix_header(uint8_t *d, size_t n)
{
	uint64_t size = n;
	int i;

	memcpy(d, LB_MAGIC, 8);
	for (i = 0; i < 4; i++)
		d[8 + i] = (uint8_t)(LB_VERSION >> (8 * i));
	for (i = 0; i < 8; i++)
		d[16 + i] = (uint8_t)(size >> (8 * i));
	memset(d + 24, 0, 8);
	crypto_hash_sha256(d + 32, d + LB_HEADER_SIZE, n - LB_HEADER_SIZE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	parse_one(data, size);
	if (size < LB_HEADER_SIZE || size > LB_MAX_FILE)
		return 0;
	copy = malloc(size);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	fix_header(copy, size);
	parse_one(copy, size);
	free(copy);
	return 0;
}

#ifndef LEASH_LIBFUZZER
/* ---- replay mode: a plain program for make check ------------------------- */

#include "pipeline/driver.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

static unsigned n_run, n_failed;

#include "tests/fuzz/replay.h"

/* Every truncation and many one-byte changes of a valid bundle. */
static void mutate(const uint8_t *b, size_t len)
{
	static const int how[] = { 0x00, 0xff, -1 };
	uint8_t *m = malloc(len);
	size_t i, k;

	if (!m)
		abort();
	for (i = 0; i <= len; i++)
		parse_one(b, i);
	for (i = 0; i < len; i++) {
		for (k = 0; k < ARRAY_SIZE(how); k++) {
			memcpy(m, b, len);
			m[i] = how[k] < 0 ? (uint8_t)(b[i] + 1) :
					     (uint8_t)how[k];
			parse_one(m, len);
			if (i >= LB_HEADER_SIZE) {
				fix_header(m, len);
				parse_one(m, len);
			}
		}
	}
	free(m);
}

static const char *seed_dir;
static unsigned n_seeds;

static void bundles_of(const char *path)
{
	struct leash_ctx ctx;
	struct front_opts o = { 0 };
	size_t i;

	leash_ctx_init(&ctx, NULL);
	ctx.profile_dir = LEASH_SRC_PROFILE_DIR;
	VEC_PUSH(&o.include_dirs, (char *)LEASH_SRC_PROFILE_DIR);
	if (front_run(&ctx, &o, path) < 0) {
		n_failed++;
		printf("not ok %u - %s: front end errors\n", ++n_run, path);
	}
	for (i = 0; !diag_failed(&ctx.diag) && i < ctx.policies.n; i++) {
		const struct ast_policy *p = ctx.policies.v[i];
		struct artifacts a;
		struct lb_bundle b;
		const char *why;

		n_run++;
		if (build_artifacts(&ctx, p, BACKEND_NATIVE, TARGET_BUNDLE,
				    ".", &a) < 0) {
			n_failed++;
			printf("not ok %u - %s: %s: no bundle\n", n_run, path,
			       p->name.s);
		} else if (lb_parse(a.bundle.s, a.bundle.len, &b, &why) < 0) {
			n_failed++;
			printf("not ok %u - %s: %s: refused: %s\n", n_run,
			       path, p->name.s, why);
		} else {
			lb_free(&b);
			if (seed_dir) {
				char *name = xasprintf("seed-%u", ++n_seeds);

				if (write_atomic(seed_dir, name, a.bundle.s,
						 a.bundle.len) < 0) {
					n_failed++;
					printf("not ok %u - cannot write %s/%s\n",
					       n_run, seed_dir, name);
					free(name);
					artifacts_free(&a);
					continue;
				}
				free(name);
			} else {
				mutate((const uint8_t *)a.bundle.s,
				       a.bundle.len);
			}
			printf("ok %u - %s: %s: %zu bytes%s\n", n_run, path,
			       p->name.s, a.bundle.len,
			       seed_dir ? " written" :
			       ", every truncation and 3 changes per byte");
		}
		artifacts_free(&a);
	}
	VEC_FREE(&o.include_dirs);
	leash_ctx_fini(&ctx);
}

static void bundles_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		n_failed++;
		printf("not ok %u - %s: %s\n", ++n_run, dir, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		char *p;

		if (n < 7 || strcmp(de->d_name + n - 6, ".leash") != 0)
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		bundles_of(p);
		free(p);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	int i;

	if (argc > 1 && strcmp(argv[1], "--seeds") != 0) {
		for (i = 1; i < argc; i++)
			replay_path(argv[i], LB_MAX_FILE + 1);
	} else {
		const char *src = getenv("abs_top_srcdir");
		char *p;

		if (argc > 1) {
			if (argc != 3) {
				fputs("usage: fuzz-bundle [--seeds DIR | FILE|DIR...]\n",
				      stderr);
				return 2;
			}
			seed_dir = argv[2];
		}
		if (!src || !*src)
			src = LEASH_SRC_DIR;
		p = xasprintf("%s/tests/valid", src);
		bundles_in(p);
		free(p);
		p = xasprintf("%s/profiles", src);
		bundles_in(p);
		free(p);
	}
	printf("1..%u\n", n_run);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
#endif /* !LEASH_LIBFUZZER */
