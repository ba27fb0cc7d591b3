/* SPDX-License-Identifier: MIT */
/*
 * die.c - the error path of leash-exec (die.h says why it fails closed).
 *
 * Nothing of the shim is used here, so a unit test can link a double of
 * these functions instead, and a malloc() that failed cannot keep the
 * message from being printed (a fixed buffer; stderr is unbuffered).
 */
#include "die.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void (*cleanup_hook)(void);

void die_set_cleanup(void (*fn)(void))
{
	cleanup_hook = fn;
}

static void vsay(const char *kind, const char *step, const char *fmt,
		 va_list ap, int err)
	__attribute__((format(printf, 3, 0)));

static void vsay(const char *kind, const char *step, const char *fmt,
		 va_list ap, int err)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (err)
		fprintf(stderr, "leash-exec: %s%s: %s: %s\n", kind, step, msg,
			strerror(err));
	else
		fprintf(stderr, "leash-exec: %s%s: %s\n", kind, step, msg);
}

/* _exit(), not exit(): a clone()d child holds a copy of the parent's
 * stdio buffers, which exit() would write a second time. */
static void __attribute__((noreturn)) fail(void)
{
	void (*fn)(void) = cleanup_hook;

	/* Once: a hook that dies in turn must end here, not loop. */
	cleanup_hook = NULL;
	if (fn)
		fn();
	_exit(SHIM_EXIT_FAIL);
}

void die(const char *step, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("", step, fmt, ap, 0);
	va_end(ap);
	fail();
}

void die_errno(const char *step, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vsay("", step, fmt, ap, err);
	va_end(ap);
	fail();
}

void warn(const char *step, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("warning: ", step, fmt, ap, 0);
	va_end(ap);
}
