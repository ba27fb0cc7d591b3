/* SPDX-License-Identifier: MIT */
/*
 * cli.h - the commands, one file each; main.c dispatches.  Each parses
 * its options with cli_parse() (opts.h), builds through the driver or an
 * interop module, and prints; docs/language.md section 9 gives the exit
 * statuses.
 */
#ifndef LEASH_CLI_H
#define LEASH_CLI_H

#include "cli/opts.h"

int cmd_check(int argc, char **argv);		/* check.c */
int cmd_compile(int argc, char **argv);		/* compile.c */
int cmd_explain(int argc, char **argv);		/* explain.c */
int cmd_test(int argc, char **argv);		/* test.c */
int cmd_run(int argc, char **argv);		/* run.c */
int cmd_oci_merge(int argc, char **argv);	/* oci-merge.c */
int cmd_import(int argc, char **argv);		/* import.c */
int cmd_diff(int argc, char **argv);		/* diff.c */
int cmd_audit(int argc, char **argv);		/* audit.c */
int cmd_sign(int argc, char **argv);		/* sign.c */
int cmd_record(int argc, char **argv);		/* record.c */

/*
 * The policies a command works on, into @out: -p @only, else those the
 * root file itself defines; at most @max of them (0: any number).
 * Returns 0, or -ENOENT after saying why through ctx->diag.
 */
int cli_policies(struct leash_ctx *ctx, const char *only, size_t max,
		 struct policy_vec *out);

#endif
