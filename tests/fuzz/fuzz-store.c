/* SPDX-License-Identifier: MIT */
/*
 * fuzz-store.c - fuzz target for what 'leash record --merge' reads from
 * an earlier recorded policy (compiler/record/store.c): the observations
 * block, rec_obs_load(), and the splice of fresh recorded blocks into
 * the user's file, rec_splice().  The file is the user's, edited by
 * hand: no bytes in it may crash, hang or exhaust leash.
 *
 * One file, two builds, as fuzz-log.c:
 *
 *   clang -fsanitize=fuzzer,... -DLEASH_LIBFUZZER   (tests/fuzz/run-fuzz.sh)
 *       libFuzzer calls LLVMFuzzerTestOneInput().
 *
 *   $(CC) [with --enable-sanitizers: ASan + UBSan]  (make check)
 *       our main() builds a recorded policy's text from observations
 *       of every kind, checks that it reads back to the same text (a
 *       reader that read nothing would fail), then feeds the target
 *       every truncation of it and each byte set to 0x00, '\n', ' ',
 *       '#' and its own value + 1.  TAP.  With FILE|DIR arguments it
 *       replays those files instead (libFuzzer's crash-* artifacts);
 *       with '--seeds DIR' it writes its seeds to DIR as a corpus.
 *
 * An input is the old file, then optionally a NUL byte and the fresh
 * text to splice into it.  What --merge relies on: a load returns 0, or
 * -EINVAL with a message; what loaded saves to a text that loads again
 * and saves to the very same text; a splice returns 0 or -EINVAL with a
 * message, and splicing any text into itself succeeds and gives it back
 * unchanged.
 */
#include "record/store.h"
#include "common/util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define must(cond)                                                             \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz-store: %s:%d: %s\n", __FILE__,   \
				__LINE__, #cond);                              \
			abort();                                               \
		}                                                              \
	} while (0)

#define OPEN "# >>> leash record: observations\n"
#define CLOSE "# <<< leash record: observations\n"

/* @o saved inside its block markers, as the writer puts it in a policy. */
static char *saved(const struct rec_obs *o)
{
	struct strbuf sb = { 0 };

	sb_puts(&sb, OPEN);
	rec_obs_save(o, &sb);
	sb_puts(&sb, CLOSE);
	return sb_steal(&sb);
}

/* Load @text; on success, the saved form must be a fixed point. */
static int load_one(const char *text)
{
	struct rec_obs o, o2;
	char *err = NULL, *t1, *t2;
	int rc;

	obs_init(&o);
	rc = rec_obs_load(text, &o, &err);
	must(rc == 0 || rc == -EINVAL);
	if (rc < 0) {
		must(err && *err);
		free(err);
		obs_fini(&o);
		return rc;
	}
	must(!err);
	t1 = saved(&o);
	obs_init(&o2);
	must(rec_obs_load(t1, &o2, &err) == 0);
	t2 = saved(&o2);
	must(!strcmp(t1, t2));
	free(t1);
	free(t2);
	obs_fini(&o2);
	obs_fini(&o);
	return 0;
}

static void splice_one(const char *old, const char *fresh)
{
	struct strbuf sb = { 0 };
	char *err = NULL;
	int rc = rec_splice(old, fresh, &sb, &err);

	must(rc == 0 || rc == -EINVAL);
	if (rc < 0)
		must(err && *err);
	free(err);
	free(sb_steal(&sb));
	/* A text spliced into itself: every block replaced by itself,
	 * whatever the text, repeated block names included. */
	err = NULL;
	sb = (struct strbuf){ 0 };
	must(rec_splice(old, old, &sb, &err) == 0);
	{
		char *same = sb_steal(&sb);

		must(!strcmp(same, old));
		free(same);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* NUL-terminated copies of exactly their bytes: ASan sees any read
	 * past the end. */
	const uint8_t *nul = memchr(data, 0, size);
	size_t n_old = nul ? (size_t)(nul - data) : size;
	size_t n_fresh = nul ? size - n_old - 1 : 0;
	char *old = malloc(n_old + 1), *fresh = malloc(n_fresh + 1);

	must(old && fresh);
	memcpy(old, data, n_old);
	old[n_old] = '\0';
	if (n_fresh)
		memcpy(fresh, nul + 1, n_fresh);
	fresh[n_fresh] = '\0';
	load_one(old);
	splice_one(old, fresh);
	free(old);
	free(fresh);
	return 0;
}

#ifndef LEASH_LIBFUZZER
/* ---- replay mode: a plain program for make check ------------------------- */

#include "pipeline/driver.h"

static unsigned n_run, n_failed;

#include "tests/fuzz/replay.h"

static const char *seed_dir;
static unsigned n_seeds;

static void seed(const char *text, size_t len)
{
	char *name;

	if (!seed_dir) {
		LLVMFuzzerTestOneInput((const uint8_t *)text, len);
		return;
	}
	name = xasprintf("seed-%u", ++n_seeds);
	if (write_atomic(seed_dir, name, text, len) < 0) {
		n_failed++;
		printf("not ok %u - cannot write %s/%s\n", n_run, seed_dir,
		       name);
	}
	free(name);
}

/* Every truncation and five changes of each byte. */
static void mutate(const char *text, size_t len)
{
	static const int how[] = { 0x00, '\n', ' ', '#', -1 };
	char *m = malloc(len ? len : 1);
	size_t i, k;

	must(m);
	for (i = 0; i <= len; i++)
		LLVMFuzzerTestOneInput((const uint8_t *)text, i);
	for (i = 0; i < len; i++) {
		for (k = 0; k < ARRAY_SIZE(how); k++) {
			memcpy(m, text, len);
			m[i] = how[k] < 0 ? (char)(text[i] + 1) : (char)how[k];
			LLVMFuzzerTestOneInput((const uint8_t *)m, len);
		}
	}
	free(m);
}

/* A recorded policy's text with observations of every kind, and a
 * second recorded block to splice. */
static char *example(struct rec_obs *o)
{
	struct strbuf sb = { 0 };
	struct rec_call *c;
	char *obs;
	unsigned i;

	obs_init(o);
	o->root = true;
	c = obs_call(o, ARCH_X86_64, 41);
	must(c);
	obs_value(o, &c->vals[0], 10);
	obs_value(o, &c->vals[1], 3);
	c = obs_call(o, ARCH_X86, 5);
	must(c);
	for (i = 0; i < 100; i++)	/* past the set's limit: overflow */
		obs_value(o, &c->vals[0], i);
	obs_value(o, &o->sockets, 2u << 8 | 1);
	obs_value(o, &o->bind_ports, 8080);
	obs_value(o, &o->connect_ports, 443);
	obs_cap(o, 12, "bind tcp 80");
	obs_path(o, "/etc/hosts", 1);
	obs_path(o, "/tmp/a b", 3);
	obs_path(o, "/usr/bin/tar", 4);
	obs_path(o, "/var", 8);
	obs_cap(o, 0, "");
	obs = saved(o);
	sb_puts(&sb, "# written by hand\npolicy p {\n"
		"    # >>> leash record: syscalls\n    allow read;\n"
		"    # <<< leash record: syscalls\n}\n");
	sb_puts(&sb, obs);
	free(obs);
	return sb_steal(&sb);
}

static const char dup[] =
	"# >>> leash record: B\nx\n# <<< leash record: B\n"
	"# >>> leash record: A\n# <<< leash record: A\n"
	"  # >>> leash record: B\ny\n# <<< leash record: B\n";

static void seeds(const char *dir)
{
	struct rec_obs o;
	char *text = example(&o), *both;
	size_t len = strlen(text);

	seed_dir = dir;
	n_run++;
	/* Known answer: the example reads back to what it was made of. */
	{
		struct rec_obs back;
		char *err = NULL, *t1 = saved(&o), *t2;

		obs_init(&back);
		if (rec_obs_load(text, &back, &err) != 0 ||
		    strcmp(t1, t2 = saved(&back)) != 0 ||
		    !strstr(t1, "# val0-overflow\n") ||
		    !strstr(t1, "# path 3 /tmp/a b\n")) {
			n_failed++;
			printf("not ok %u - the example does not read back: "
			       "%s\n", n_run, err ? err : t1);
			return;
		}
		free(t1);
		free(t2);
		free(err);
		obs_fini(&back);
	}
	both = xasprintf("%s%c%s", text, 0, text);
	seed(text, len);
	seed(both, 2 * len + 1);
	/* A name twice (a hand-edited file): rec_splice() once read the
	 * fresh text from its start for each name, paired the second B
	 * with the first and refused the text spliced into itself. */
	seed(dup, sizeof(dup) - 1);
	if (!seed_dir) {
		mutate(text, len);
		mutate(both, 2 * len + 1);
	}
	printf("ok %u - a recorded policy: %s\n", n_run,
	       seed_dir ? "seeds written" : "reads back; every truncation "
	       "and 5 changes per byte of it alone and spliced");
	free(both);
	free(text);
	obs_fini(&o);
}

int main(int argc, char **argv)
{
	return replay_main(argc, argv, 1u << 20, seeds);
}
#endif
