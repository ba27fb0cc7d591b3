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
#include "cli/cli.h"
#include "common/jtree.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_cmd merge_cmd = {
	.name = "oci-merge",
	.opts = CLI_OUTPUT,
	.synopsis = "[-o FILE] CONFIG.json FRAGMENT.json...",
	.min_args = 2,
	.max_args = -1,
	.help = "Merge each FRAGMENT (NAME.oci.json) over CONFIG (e.g. from "
		"'runc spec'):\n"
		"objects merge, the fragment wins, arrays are replaced, null "
		"removes a key.\n"
		"Writes FILE, or stdout.\n",
};

/* Read and parse one file ("-": stdin); errors go to @d. */
static struct jt *load(struct diag *d, const char *path)
{
	const char *shown = strcmp(path, "-") ? path : "<stdin>";
	struct src_file *src;
	struct jt *v = NULL;
	char *buf = NULL;
	size_t len;
	int rc;

	rc = read_file(strcmp(path, "-") ? path : "/dev/stdin", &buf, &len,
		       LEASH_MAX_FILE_SIZE);
	if (rc < 0) {
		diag_file_error(d, shown, "%s", rc == -EFBIG ?
				"file too large (more than 16 MiB)" :
				strerror(-rc));
		return NULL;
	}
	src = src_file_new(path, shown, buf, len);
	if (jt_parse(src, &v, d) == 0 && v->kind != JT_OBJ) {
		struct leash_loc top = src_loc(src, 1, 1);

		diag_error(d, &top, "expected a JSON object at the top level");
		jt_free(v);
		v = NULL;
	}
	src_file_free(src);
	return v;
}

static int write_out(struct diag *dg, const char *path,
		     const struct strbuf *text)
{
	_cleanup_free_ char *d = xstrdup(path), *b = xstrdup(path);
	const char *dir = dirname(d), *base = basename(b);
	int rc;

	if (!*base || !strcmp(base, "/") || !strcmp(base, ".") ||
	    !strcmp(base, "..")) {
		diag_plain_error(dg, "'%s' is not a file name", path);
		return EXIT_USAGE;
	}
	rc = write_atomic(dir, base, text->s, text->len);
	if (rc < 0) {
		diag_plain_error(dg, "writing '%s': %s", path, strerror(-rc));
		return EXIT_INPUT;
	}
	return 0;
}

int cmd_oci_merge(int argc, char **argv)
{
	_cleanup_(sb_free) struct strbuf text = { 0 };
	struct jt *merged = NULL, *frag;
	struct cli_opts o;
	struct diag d;
	int i, n_stdin = 0, rc = cli_parse(&merge_cmd, argc, argv, &o);

	if (rc >= 0)
		goto done;
	for (i = 0; i < o.n_args; i++)
		n_stdin += !strcmp(o.args[i], "-");
	if (n_stdin > 1) {
		rc = cli_usage(&merge_cmd, "only one input can be '-' (stdin)");
		goto done;
	}

	diag_init(&d, stderr);
	d.prog = "leash oci-merge";
	/* Every input is read before anything is written. */
	for (i = 0; i < o.n_args; i++) {
		frag = load(&d, o.args[i]);
		if (!frag) {
			jt_free(merged);
			diag_fini(&d);
			rc = EXIT_INPUT;
			goto done;
		}
		merged = merged ? jt_merge(merged, frag) : frag;
	}
	jt_write(merged, &text);
	jt_free(merged);
	if (o.output) {
		rc = write_out(&d, o.output, &text);
	} else {
		rc = fwrite(text.s, 1, text.len, stdout) == text.len &&
		     fflush(stdout) == 0 ? 0 : EXIT_INPUT;
		if (rc)
			diag_plain_error(&d, "writing stdout: %s",
					 strerror(errno));
	}
	diag_fini(&d);
done:
	cli_opts_free(&o);
	return rc;
}
