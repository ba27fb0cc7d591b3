/* SPDX-License-Identifier: MIT */
/*
 * vital.h - the calls no program lives without (docs/language.md
 * section 4): a filter that denies them checks clean and compiles, and
 * then nothing runs under it, or a process spins instead of exiting.
 */
#ifndef LEASH_VITAL_H
#define LEASH_VITAL_H

#include "front/front.h"
#include "seccomp/ir.h"

/*
 * Warn, at the deciding rule (else at the policy's name), when @f on the
 * build host's arch denies execve whatever its arguments, refuses exit
 * or exit_group with an errno (a killed process ends; a refused one
 * spins), or denies rt_sigreturn while it lets the program install a
 * signal handler.  A filter that does not accept the host's arch is for
 * another machine and gets no warning.
 */
void warn_vital_calls(struct diag *d, const struct ast_policy *p,
		      const struct ir_filter *f);

/*
 * The calls runc 1.1 and crun 1.8 (Debian 12's) make after loading a
 * container's filter and before exec'ing its program (docs/language.md
 * section 4): with @nnp (the policy sets no_new_privileges, which its
 * OCI fragment and docker flags carry) those they make when they load it
 * last, else those they make with no_new_privileges on or off.  Each of
 * @f's denials among them, on the build host's arch, is reported once
 * per runtime that makes it, at the policy's name, as a warning, or as
 * an error when @fatal (the json, oci or docker target was asked for
 * with -t, or --strict).  The lists are profiles/groups.leash's
 * @runtime-nnp and @runtime: tests/run-runtime-group.sh checks that
 * they say the same.
 */
void check_runtime_calls(struct diag *d, const struct ast_policy *p,
			 const struct ir_filter *f, bool nnp, bool fatal);

#endif
