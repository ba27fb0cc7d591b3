/* SPDX-License-Identifier: MIT */
/*
 * seclog.c - reading the kernel's seccomp audit records (seclog.h).
 * Moved out of 'leash explain' so the fuzzer reaches it alone
 * (tests/fuzz/fuzz-log.c).
 */
#include "common/util.h"	/* first: _GNU_SOURCE, for memmem() */
#include "interop/seclog.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The value of " KEY=" in @line (@len bytes), into @val/@vlen; a quoted
 * value without its quotes. */
static bool rec_field(const char *line, size_t len, const char *key,
			 const char **val, size_t *vlen)
{
	size_t k = strlen(key), i, j;

	for (i = 0; i + k + 1 < len; i++) {
		if ((i && line[i - 1] != ' ') || strncmp(line + i, key, k) ||
		    line[i + k] != '=')
			continue;
		i += k + 1;
		if (i < len && line[i] == '"') {
			for (j = ++i; j < len && line[j] != '"'; j++)
				;
		} else {
			for (j = i; j < len && line[j] != ' ' &&
			     line[j] != '\x1d'; j++)
				;
		}
		*val = line + i;
		*vlen = j - i;
		return true;
	}
	return false;
}

/* The number " KEY=" holds, at most @max; its text into @v/@n. */
static bool rec_num(const char *line, size_t len, const char *key,
		       int base, unsigned long long max,
		       unsigned long long *out, const char **v, size_t *n)
{
	char buf[32], *end;

	if (!rec_field(line, len, key, v, n) || !*n || *n >= sizeof(buf))
		return false;
	memcpy(buf, *v, *n);
	buf[*n] = '\0';
	errno = 0;
	*out = strtoull(buf, &end, base);
	/* All of it a number: a NUL byte inside would end it early. */
	return end == buf + *n && !errno && *out <= max && buf[0] != '-';
}

int seclog_parse(const char *line, size_t len, struct seclog_rec *r,
		 const char **why)
{
	unsigned long long v;
	const char *c;
	size_t n;

	if (!memmem(line, len, "type=1326 audit(", 16) &&
	    !memmem(line, len, "type=SECCOMP msg=audit(", 23))
		return 0;
	memset(r, 0, sizeof(*r));
	r->pid = -1;
	if (rec_num(line, len, "pid", 10, LONG_MAX, &v, &c, &n))
		r->pid = (long)v;
	if (rec_field(line, len, "comm", &c, &n)) {
		n = n < sizeof(r->comm) ? n : sizeof(r->comm) - 1;
		memcpy(r->comm, c, n);
		r->comm[n] = '\0';
	}
	*why = "arch";
	if (!rec_num(line, len, "arch", 16, UINT32_MAX, &v, &c, &n))
		return -1;
	r->audit_arch = (uint32_t)v;
	*why = "syscall";
	if (!rec_num(line, len, "syscall", 10, UINT32_MAX, &v, &c, &n))
		return -1;
	r->nr = (int64_t)v;
	r->call_off = (size_t)(c - line) - strlen("syscall=");
	r->call_len = n + strlen("syscall=");
	*why = "code";
	if (!rec_num(line, len, "code", 16, UINT32_MAX, &v, &c, &n))
		return -1;
	r->code = (uint32_t)v;
	return 1;
}

bool seclog_arch(const struct seclog_rec *r, enum leash_arch *out)
{
	uint32_t x32_bit = arch_info(ARCH_X32)->nr_bias;
	int a;

	for (a = 0; a < ARCH_COUNT; a++) {
		if (arch_info((enum leash_arch)a)->audit_arch != r->audit_arch)
			continue;
		if ((a == ARCH_X32 || a == ARCH_X86_64) &&
		    (a == ARCH_X32) != (((uint32_t)r->nr & x32_bit) != 0))
			continue;
		*out = (enum leash_arch)a;
		return true;
	}
	return false;
}
