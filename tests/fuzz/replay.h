/* SPDX-License-Identifier: MIT */
/*
 * replay.h - the replay mode the fuzz harnesses share when built with
 * $(CC) for make check: each FILE, or each regular file of a DIR (such
 * as libFuzzer's crash-* artifacts), through the harness's
 * LLVMFuzzerTestOneInput(), one TAP line per file.
 *
 * Included once, in a harness's replay section, after its
 * LLVMFuzzerTestOneInput() and its counters 'static unsigned n_run,
 * n_failed;', which these count into.
 */
#ifndef LEASH_TESTS_FUZZ_REPLAY_H
#define LEASH_TESTS_FUZZ_REPLAY_H

#include "common/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* One file of at most @limit bytes (longer is a failure). */
static void replay_file(const char *path, size_t limit)
{
	char *buf;
	size_t len;
	int rc;

	n_run++;
	fflush(stdout);
	rc = read_file(path, &buf, &len, limit);
	if (rc < 0) {
		n_failed++;
		printf("not ok %u - %s: %s\n", n_run, path, strerror(-rc));
		return;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	printf("ok %u - %s\n", n_run, path);
}

static void replay_path(const char *path, size_t limit)
{
	struct stat st;
	struct dirent *de;
	DIR *d;

	if (stat(path, &st) < 0) {
		n_failed++;
		printf("not ok %u - %s: %s\n", ++n_run, path, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		replay_file(path, limit);
		return;
	}
	d = opendir(path);
	if (!d) {
		n_failed++;
		printf("not ok %u - %s: %s\n", ++n_run, path, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", path, de->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			replay_file(p, limit);
		free(p);
	}
	closedir(d);
}

/*
 * The whole main() of a harness whose seeds(dir) makes its seeds: with
 * '--seeds DIR' it writes them to DIR as a corpus, with FILE|DIR
 * arguments it replays those, with none it runs its seeds as tests.
 */
static inline int replay_main(int argc, char **argv, size_t limit,
			      void (*seeds)(const char *dir))
{
	int i;

	if (argc == 3 && strcmp(argv[1], "--seeds") == 0) {
		seeds(argv[2]);
	} else if (argc > 1) {
		for (i = 1; i < argc; i++)
			replay_path(argv[i], limit);
	} else {
		seeds(NULL);
	}
	printf("1..%u\n", n_run);
	return n_failed ? 1 : 0;
}

#endif
