/* SPDX-License-Identifier: MIT */
/*
 * import-int.h - what import.c (reading a profile or config and deciding
 * what carries over) and import-write.c (writing the policy text) share.
 * Private to those two files.
 */
#ifndef LEASH_IMPORT_INT_H
#define LEASH_IMPORT_INT_H

#include "front/flat.h"
#include "pipeline/driver.h"
#include "interop/oci-read.h"
#include "seccomp/scmp-json.h"

#include <stdarg.h>

#define ALL_ARCHES ((1u << ARCH_COUNT) - 1)

/* ---- state ----------------------------------------------------------------- */

/* One profile entry as it will be written. */
struct rule {
	const struct sj_syscall *s;
	uint32_t act;		/* SECCOMP_RET_* with its data */
	char *when;		/* "" or the `when` condition */
	uint32_t mask;		/* arches it applies to */
	bool applies;		/* its `when cap` holds for these caps */
	bool skip;		/* nothing of it is written as a rule */
	char *why_skip;		/* the comment saying why */
	struct sj_strs names;	/* names written as targets */
	bool *dead;		/* per name: libseccomp ignores it here */
	struct strbuf notes;	/* comment lines written above it */
	bool done;		/* already written (merged into another) */
};

struct imp {
	const char *path;	/* for messages */
	const char *name;	/* policy name */
	const struct sj_profile *p;	/* NULL: a config without seccomp */
	uint64_t caps;
	uint64_t ambient;	/* config: process.capabilities.ambient */
	/* An OCI config.json: its other settings become the process,
	 * filesystem and limits sections; @buf is its text, to locate
	 * settings oci-read.c keeps no position for. */
	const struct oci_container *oci;
	const char *buf;
	size_t len;
	bool caps_docker;
	const char *kernel;
	enum leash_arch arch[ARCH_COUNT];
	size_t n_arch;
	uint32_t selected;	/* mask of arch[] */
	const char *host[ARCH_COUNT];	/* moby host whose ABI it is */
	uint32_t def;		/* default action */
	const char *for_host;	/* moby's name; NULL: every host */
	struct rule *r;
	size_t n_r;
	struct strbuf head;	/* comments at the top of the file */
	struct diag *d;		/* errors, warnings: located in @src */
	const struct src_file *src;	/* the input's text */
	unsigned errors;	/* d->n_errors when the import began */
	struct leash_loc at;	/* imp_at()'s answer */
};

/* Where LINE:COL of the input is, for diag_error() and diag_warning();
 * @line 0: the input as a whole.  Valid until the next call. */
const struct leash_loc *imp_at(struct imp *im, int line, int col);

/* Add a copy of @n to @s unless it is there. */
void imp_push_name(struct sj_strs *s, const char *n);
/* Whether @s compares one argument twice (runc then ORs them). */
bool imp_repeats_index(const struct sj_syscall *s);
/* Whether @r targets @n; its index into r->names in @at (may be NULL). */
bool imp_has_name(const struct rule *r, const char *n, size_t *at);

/* The seccomp and capabilities sections of the policy, into @sb. */
void imp_put_seccomp(struct imp *im, struct strbuf *sb);
void imp_put_caps(struct imp *im, struct strbuf *sb);
/* The process, filesystem and limits sections of im->oci, into @sb;
 * what cannot be written is a located error (to im->d). */
void imp_put_config(struct imp *im, struct strbuf *sb);

#endif
