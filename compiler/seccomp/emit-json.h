/* SPDX-License-Identifier: MIT */
/*
 * emit-json.h - the Docker/OCI seccomp profile backend.
 */
#ifndef LEASH_EMIT_JSON_H
#define LEASH_EMIT_JSON_H

#include "common/diag.h"
#include "seccomp/ir.h"

/*
 * Write @f as a Docker/OCI seccomp profile (NAME.seccomp.json, and the
 * linux.seccomp object of NAME.oci.json) to @out.
 *
 * The profile is exact for runc with libseccomp (the loader the tests
 * check it with is scmp-json.c): where a profile cannot say what the
 * policy says (rules that differ between arches, a 64-bit comparison on
 * an arch that libseccomp reads as 32-bit, more than DJ_BUDGET rules for
 * one syscall, more than the kernel's BPF_MAXINSNS instructions) it fails
 * with -EINVAL or -E2BIG and an error to @d naming the syscall (the
 * caller's diag scope names the policy and the target).
 *
 * What depends on the runtime rather than on the profile -- runc's
 * -ENOSYS stub for numbers beyond its libseccomp's table, the policy's
 * 'unknown' action, syscalls the runtime's libseccomp does not know,
 * Docker 20.10 ignoring defaultErrnoRet, libseccomp also applying
 * socket rules to socketcall() on x86 & co. without their argument
 * checks -- is a fidelity note to @d, one per fact.  Returns 0 or -errno.
 */
int emit_json(const struct ir_filter *f, struct strbuf *out,
	      struct diag *d);

/* Append @s to @sb as a JSON string literal. */
void emit_json_put_str(struct strbuf *sb, const char *s);

#endif
