/* SPDX-License-Identifier: MIT */
/*
 * die-double.c - runtime-shim/die.c's stand-in for the shim's unit
 * tests (die-double.h).
 */
#include "die.h"
#include "tests/unit/die-double.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

jmp_buf *die_jmp;
char died_step[64], died_msg[1024];
int died_err;
char warned_step[64], warned_msg[1024];
int n_warned;

static void __attribute__((noreturn)) died(const char *step, int err)
{
	snprintf(died_step, sizeof(died_step), "%s", step);
	died_err = err;
	if (!die_jmp)
		ck_abort_msg("unexpected die: %s: %s%s%s", step, died_msg,
			     err ? ": " : "", err ? strerror(err) : "");
	longjmp(*die_jmp, 1);
}

void die(const char *step, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(died_msg, sizeof(died_msg), fmt, ap);
	va_end(ap);
	died(step, 0);
}

void die_errno(const char *step, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(died_msg, sizeof(died_msg), fmt, ap);
	va_end(ap);
	died(step, err);
}

void warn(const char *step, const char *fmt, ...)
{
	va_list ap;

	snprintf(warned_step, sizeof(warned_step), "%s", step);
	va_start(ap, fmt);
	vsnprintf(warned_msg, sizeof(warned_msg), fmt, ap);
	va_end(ap);
	n_warned++;
}
