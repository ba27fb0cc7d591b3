/* SPDX-License-Identifier: MIT */
/*
 * first-error.h - the readers and libseccomp models as the tests call
 * them: from a buffer, with the first error's text ("LINE:COL: what")
 * in a strbuf to compare or show.  The compiler itself reports through
 * a struct diag (common/diag.h); these only collect what it reported.
 * Header-only, so the fuzz harnesses that run-fuzz.sh builds from the
 * compiler's sources alone can use it too.
 */
#ifndef LEASH_TESTS_FIRST_ERROR_H
#define LEASH_TESTS_FIRST_ERROR_H

#include "common/diag.h"
#include "common/jtree.h"
#include "interop/oci-read.h"
#include "seccomp/scmp-json.h"

/* Runs @call with a quiet diag named d and a src_file named src made
 * from @buf/@len, then puts the first error into @err (may be NULL). */
#define TC_WITH_TEXT(buf, len, err, call)				\
	({								\
		struct src_file *src = src_file_copy("<test>", (buf),	\
						     (len));		\
		struct diag d;						\
		int rc_;						\
									\
		diag_init(&d, NULL);					\
		rc_ = (call);						\
		if ((err) && diag_first_error(&d))			\
			sb_puts((err), diag_first_error(&d));		\
		diag_fini(&d);						\
		src_file_free(src);					\
		rc_;							\
	})

static inline int tc_sj_parse(const char *buf, size_t len,
			      struct sj_profile **out, struct strbuf *err)
{
	return TC_WITH_TEXT(buf, len, err, sj_parse(src, out, &d));
}

static inline int tc_oci_read(const char *buf, size_t len,
			      struct oci_doc *out, struct strbuf *err)
{
	return TC_WITH_TEXT(buf, len, err, oci_read(src, out, &d));
}

static inline int tc_jt_parse(const char *buf, size_t len, struct jt **out,
			      struct strbuf *err)
{
	return TC_WITH_TEXT(buf, len, err, jt_parse(src, out, &d));
}

static inline enum oci_kind tc_oci_detect(const char *buf, size_t len)
{
	struct src_file *src = src_file_copy("<test>", buf, len);
	enum oci_kind k = oci_detect(src);

	src_file_free(src);
	return k;
}

static inline int tc_sj_compile(const struct sj_profile *p,
				const struct sj_opts *o,
				struct sock_filter **prog, size_t *len,
				struct strbuf *err)
{
	struct diag d;
	int rc;

	diag_init(&d, NULL);
	rc = sj_compile(p, o, prog, len, &d);
	if (err && diag_first_error(&d))
		sb_puts(err, diag_first_error(&d));
	diag_fini(&d);
	return rc;
}

#endif
