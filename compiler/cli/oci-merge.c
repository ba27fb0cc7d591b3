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
 *
 * One array is merged by its entries instead: linux.namespaces.  A
 * policy lists the namespaces it asks for, not those the runtime may
 * keep: replacing the array whole would drop the config's pid or
 * network namespace and run the container in the host's.  So the
 * config's entries stay unless the fragment names their type (then the
 * fragment's entry, with its path, takes the place of the config's),
 * and the fragment's other types are added after them.  A fragment
 * that removes "hostname" (leash does, for runtimes refuse a hostname
 * without a uts namespace) keeps the config's when the config's uts
 * namespace stays.  Each namespace added, kept or replaced is a note on
 * stderr ("leash oci-merge: note: ..."): stdout and the file written
 * hold the config alone, so scripts can ignore stderr.
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
		"removes a key;\n"
		"linux.namespaces keeps the config's entries of the types the "
		"fragment does\n"
		"not name (a note on stderr says what changed).\n"
		"Writes FILE, or stdout.\n",
};

/* A file as messages name it. */
static const char *shown(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

/* Read and parse one file ("-": stdin); errors go to @d. */
static struct jt *load(struct diag *d, const char *path)
{
	const char *shown_as = shown(path);
	struct src_file *src;
	struct jt *v = NULL;
	char *buf = NULL;
	size_t len;
	int rc;

	rc = read_file(strcmp(path, "-") ? path : "/dev/stdin", &buf, &len,
		       LEASH_MAX_FILE_SIZE);
	if (rc < 0) {
		diag_file_error(d, shown_as, "%s", rc == -EFBIG ?
				"file too large (more than 16 MiB)" :
				strerror(-rc));
		return NULL;
	}
	src = src_file_new(path, shown_as, buf, len);
	if (jt_parse(src, &v, d) == 0 && v->kind != JT_OBJ) {
		struct leash_loc top = src_loc(src, 1, 1);

		diag_error(d, &top, "expected a JSON object at the top level");
		jt_free(v);
		v = NULL;
	}
	src_file_free(src);
	return v;
}

/* ---- linux.namespaces: merged by type ------------------------------------ */

/* The "type" of a namespace entry, or NULL. */
static const char *ns_type(const struct jt *e)
{
	const struct jt *t = jt_get(e, "type");

	return t && t->kind == JT_STR ? t->s : NULL;
}

static bool names_type(const struct jt *arr, const char *type)
{
	for (size_t i = 0; type && i < arr->items.n; i++) {
		const char *t = ns_type(arr->items.v[i]);

		if (t && !strcmp(t, type))
			return true;
	}
	return false;
}

static bool jt_same(const struct jt *a, const struct jt *b)
{
	_cleanup_(sb_free) struct strbuf x = { 0 }, y = { 0 };

	jt_write(a, &x);
	jt_write(b, &y);
	return x.len == y.len && !memcmp(x.s, y.s, x.len);
}

/*
 * Make @frag's linux.namespaces the merged list, so that the merge
 * patch that follows writes it: @dst's entries in their order, each
 * replaced by @frag's of its type where @frag names the type, then
 * @frag's other types.  @into names what @dst was read from, @from the
 * fragment, for the notes.  Returns whether @dst keeps a uts namespace
 * of its own.
 */
static bool merge_namespaces(struct diag *d, struct jt *dst, struct jt *frag,
			     const char *into, const char *from)
{
	struct jt *dlx = jt_get(dst, "linux"), *flx = jt_get(frag, "linux");
	struct jt *have = jt_get(dlx, "namespaces");
	struct jt *want = jt_get(flx, "namespaces");
	_cleanup_free_ bool *used = NULL;
	struct jt none = { .kind = JT_ARR };
	bool kept_uts = false;
	struct jt *out;
	size_t i, j;

	/* Absent from the fragment, the config's stay as they are; not a
	 * list in either, it is replaced as written (runtimes refuse it). */
	if (!want || (have && have->kind != JT_ARR && have->kind != JT_NULL))
		return false;
	if (!have || have->kind != JT_ARR)
		have = &none;
	if (want->kind == JT_NULL) {
		if (have->items.n)
			diag_note(d, NULL, "linux.namespaces: %s removes "
				  "every namespace of %s: the container "
				  "shares the host's", from, into);
		return false;
	}
	if (want->kind != JT_ARR)
		return false;
	used = xcalloc(want->items.n + 1, sizeof(*used));
	out = jt_new(JT_ARR);
	for (i = 0; i < have->items.n; i++) {
		struct jt *e = have->items.v[i];
		const char *type = ns_type(e);

		if (!type || !names_type(want, type)) {
			diag_note(d, NULL, "linux.namespaces: '%s' kept from "
				  "%s: %s does not name it",
				  type ? type : "?", into, from);
			kept_uts |= type && !strcmp(type, "uts");
			have->items.v[i] = NULL;
			jt_push(out, e);
			continue;
		}
		/* The fragment's entries of this type, here, once. */
		for (j = 0; j < want->items.n; j++) {
			const char *t = ns_type(want->items.v[j]);

			if (used[j] || !t || strcmp(t, type))
				continue;
			if (!jt_same(want->items.v[j], e))
				diag_note(d, NULL, "linux.namespaces: '%s' of "
					  "%s replaced by %s's", type, into,
					  from);
			used[j] = true;
			jt_push(out, want->items.v[j]);
			want->items.v[j] = NULL;
		}
	}
	for (j = 0; j < want->items.n; j++) {
		const char *t = ns_type(want->items.v[j]);

		if (used[j] || (t && names_type(have, t)))
			continue;
		diag_note(d, NULL, "linux.namespaces: '%s' added by %s",
			  t ? t : "?", from);
		jt_push(out, want->items.v[j]);
		want->items.v[j] = NULL;
	}
	jt_set(flx, "namespaces", out);
	return kept_uts;
}

/*
 * Merge @frag over @dst (both consumed), linux.namespaces by type.  A
 * null "hostname" in @frag is dropped when @dst's uts namespace stays:
 * it only removes what runtimes refuse without one.
 */
static struct jt *merge_one(struct diag *d, struct jt *dst, struct jt *frag,
			    const char *into, const char *from)
{
	const struct jt *host = jt_get(dst, "hostname"), *null;

	if (merge_namespaces(d, dst, frag, into, from) && host &&
	    (null = jt_get(frag, "hostname")) && null->kind == JT_NULL) {
		if (host->kind == JT_STR)
			diag_note(d, NULL, "hostname '%s' kept from %s: its "
				  "uts namespace is kept", host->s, into);
		jt_del(frag, "hostname");
	}
	return jt_merge(dst, frag);
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
	struct strbuf into = { 0 };
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
			sb_free(&into);
			diag_fini(&d);
			rc = EXIT_INPUT;
			goto done;
		}
		merged = merged ? merge_one(&d, merged, frag, into.s,
					    shown(o.args[i])) : frag;
		/* What the next fragment lands on: "config.json", then
		 * "config.json + web.oci.json", ... */
		sb_printf(&into, "%s%s", i ? " + " : "", shown(o.args[i]));
	}
	sb_free(&into);
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
