/* SPDX-License-Identifier: MIT */
/*
 * fake-landlock.c - an LD_PRELOAD library that makes an old kernel of
 * this one, as far as Landlock's version query goes.
 *
 * tests/live/run-escape.sh builds it itself ($CC -shared -fPIC, with
 * leash-exec's C library: musl's specs where configure chose musl) and
 * preloads it into leash-exec (dynamically linked, and neither
 * set-user-ID nor file-capable, so the loader honours LD_PRELOAD).  It
 * replaces the C library's syscall(3): landlock_create_ruleset(NULL, 0,
 * LANDLOCK_CREATE_RULESET_VERSION), the question "which Landlock ABI do
 * you have?", gets $LEASH_FAKE_LANDLOCK_ABI (default 2: no TRUNCATE,
 * which ABI 3 brought, no network rules, no scoping); every other call
 * goes to the real syscall(3).  The rulesets leash-exec then builds are
 * real ones, made of the rights that ABI has, which this kernel
 * accepts.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1	/* RTLD_NEXT */
#endif

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/syscall.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#define VERSION_FLAG 1L	/* LANDLOCK_CREATE_RULESET_VERSION */

long syscall(long nr, ...);

long syscall(long nr, ...)
{
	static long (*real)(long, ...);
	long a[6];
	va_list ap;
	int i;

	/* The six argument registers, as the C library's syscall() takes them
	 * whatever the caller passed. */
	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_landlock_create_ruleset && a[0] == 0 && a[1] == 0 &&
	    (a[2] & VERSION_FLAG)) {
		const char *env = getenv("LEASH_FAKE_LANDLOCK_ABI");

		return env && *env ? atol(env) : 2;
	}
	if (!real)
		real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
