/* SPDX-License-Identifier: MIT */
/*
 * seclog.h - the kernel's seccomp audit records, as dmesg, journalctl -k
 * and auditd print them: what 'leash explain --log' reads.
 */
#ifndef LEASH_SECLOG_H
#define LEASH_SECLOG_H

#include "common/tables.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One record as the kernel writes it (kernel/auditsc.c audit_seccomp()):
 * "... pid=%d comm=%s exe=%s sig=%ld arch=%x syscall=%ld compat=%d
 * ip=0x%lx code=0x%x", after "type=1326" in dmesg and journalctl -k, or
 * "type=SECCOMP" in auditd's log (which may append the same fields in
 * capitals, decoded, after a 0x1d byte: those are not read).  It has no
 * arguments.
 */
struct seclog_rec {
	char comm[64];
	long pid;
	uint32_t audit_arch, code;
	int64_t nr;
	size_t call_off, call_len;	/* "syscall=N" in the line */
};

/*
 * Whether @line (@len bytes, not NUL-terminated, any bytes) holds a
 * record: 1 and @r filled, 0 not one, -1 one that lacks a field or has
 * a malformed one (*@why names the field).
 */
int seclog_parse(const char *line, size_t len, struct seclog_rec *r,
		 const char **why);

/* The arch of @r's audit arch number; x86_64 and x32 share one, and
 * bit 30 of the call's number tells them apart.  False for an arch
 * leash does not know. */
bool seclog_arch(const struct seclog_rec *r, enum leash_arch *out);

#endif
