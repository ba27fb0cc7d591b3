/* SPDX-License-Identifier: MIT */
/*
 * import.h - 'leash import': a Docker/OCI/podman seccomp profile, or an
 * OCI config.json, as a readable policy (import.c, import-write.c).
 */
#ifndef LEASH_IMPORT_H
#define LEASH_IMPORT_H

#include "common/diag.h"

struct imp_opts {
	const char *name;	/* -p: the policy's name; NULL: the file's
				 * base name */
	const char *caps;	/* --caps docker|none|CAP,...; NULL: Docker's
				 * default set (a config's own replace it) */
	const char *kernel;	/* --kernel: decides minKernel; NULL: this
				 * machine's */
	const char *host;	/* --host: moby's name, or "all"; NULL: this
				 * machine's */
};

/*
 * Import @path ("-": standard input) into @out, a policy's text that
 * leash compiles (checked before returning).  What does not carry over is
 * a warning, what cannot be read an error, both to @d and located in the
 * input.  Returns 0, -EINVAL (the input) or -EDOM (@o).
 */
int imp_run(const char *path, const struct imp_opts *o, struct strbuf *out,
	    struct diag *d);

#endif
