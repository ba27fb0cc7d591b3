/* SPDX-License-Identifier: MIT */
/*
 * oci-merge.c - 'leash oci-merge CONFIG FRAGMENT...': lay NAME.oci.json
 * (and any further fragments, left to right) over an OCI config.json,
 * typically `runc spec`'s, and write the runnable result.
 *
 * Objects merge key by key, recursively, the fragment winning; arrays
 * and scalars are replaced whole, so the fragment's capability sets,
 * rlimits or masked paths are exactly the policy's and never a union
 * with what the config had.  Input must be JSON (jtree.h): a bad file
 * is reported as FILE:LINE:COL, and the output is written only when
 * every input was read, through write_atomic() with -o.
 */
#include "pipeline/driver.h"
#include "common/jtree.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

static int usage(const char *msg)
{
	fprintf(stderr, "leash oci-merge: %s\n"
		"Usage: leash oci-merge [-o FILE] CONFIG.json "
		"FRAGMENT.json...\n"
		"Try 'leash --help' for more information.\n", msg);
	return EXIT_USAGE;
}

/* Read and parse one file ("-": stdin); errors are printed. */
static struct jt *load(const char *path)
{
	const char *shown = strcmp(path, "-") ? path : "<stdin>";
	_cleanup_free_ char *buf = NULL;
	_cleanup_(sb_free) struct strbuf err = { 0 };
	struct jt *v = NULL;
	size_t len;
	int rc;

	rc = read_file(strcmp(path, "-") ? path : "/dev/stdin", &buf, &len,
		       LEASH_MAX_FILE_SIZE);
	if (rc < 0) {
		fprintf(stderr, "%s: error: %s\n", shown,
			rc == -EFBIG ? "file too large (more than 16 MiB)" :
			strerror(-rc));
		return NULL;
	}
	if (jt_parse(buf, len, &v, &err) < 0) {
		fprintf(stderr, "%s:%s\n", shown, err.s ? err.s : " error");
		return NULL;
	}
	if (v->kind != JT_OBJ) {
		fprintf(stderr, "%s:1:1: error: expected a JSON object at the "
			"top level\n", shown);
		jt_free(v);
		return NULL;
	}
	return v;
}

static int write_out(const char *path, const struct strbuf *text)
{
	_cleanup_free_ char *d = xstrdup(path), *b = xstrdup(path);
	const char *dir = dirname(d), *base = basename(b);
	int rc;

	if (!*base || !strcmp(base, "/") || !strcmp(base, ".") ||
	    !strcmp(base, "..")) {
		fprintf(stderr, "leash oci-merge: '%s' is not a file name\n",
			path);
		return EXIT_USAGE;
	}
	rc = write_atomic(dir, base, text->s, text->len);
	if (rc < 0) {
		fprintf(stderr, "leash oci-merge: writing '%s': %s\n", path,
			strerror(-rc));
		return EXIT_INPUT;
	}
	return 0;
}

int cmd_oci_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	_cleanup_(sb_free) struct strbuf text = { 0 };
	const char *output = NULL;
	struct jt *merged = NULL, *frag;
	int c, i, n_stdin = 0, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 'h':
			printf("Usage: leash oci-merge [-o FILE] CONFIG.json "
			       "FRAGMENT.json...\n"
			       "Merge each FRAGMENT (NAME.oci.json) over "
			       "CONFIG (e.g. from 'runc spec'):\nobjects "
			       "merge, the fragment wins, arrays are replaced, "
			       "null removes a key.\nWrites FILE, or stdout."
			       "\n");
			return 0;
		default:
			return usage("bad option");
		}
	}
	if (argc - optind < 2)
		return usage("expected a config and at least one fragment");
	for (i = optind; i < argc; i++)
		n_stdin += !strcmp(argv[i], "-");
	if (n_stdin > 1)
		return usage("only one input can be '-' (stdin)");

	/* Every input is read before anything is written. */
	for (i = optind; i < argc; i++) {
		frag = load(argv[i]);
		if (!frag) {
			jt_free(merged);
			return EXIT_INPUT;
		}
		merged = merged ? jt_merge(merged, frag) : frag;
	}
	jt_write(merged, &text);
	jt_free(merged);
	if (output)
		return write_out(output, &text);
	rc = fwrite(text.s, 1, text.len, stdout) == text.len &&
	     fflush(stdout) == 0 ? 0 : EXIT_INPUT;
	if (rc)
		fprintf(stderr, "leash oci-merge: writing stdout: %s\n",
			strerror(errno));
	return rc;
}
