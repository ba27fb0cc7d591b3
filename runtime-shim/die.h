/* SPDX-License-Identifier: MIT */
/*
 * die.h - how leash-exec fails: "leash-exec: STEP: REASON" on stderr,
 * then exit status 125, and the program never runs.
 *
 * leash-exec is a one-shot program that confines itself and then
 * becomes the program: a step that cannot be applied exactly must not
 * leave a process that runs with less confinement than the policy
 * asked for, so every failure before execve() ends the process (fail
 * closed; bubblewrap does the same).  Nothing is rolled back inside
 * the process, as it is about to be gone; only what outlives it, the
 * supervised child and the cgroup directories, is undone, by a hook
 * leash-exec.c registers.
 *
 * A leaf: die.c depends on nothing else of the shim, so the steps
 * (shim-steps.c) can be linked against a test double of these
 * functions (tests/unit/test-shim.c).
 */
#ifndef LEASH_DIE_H
#define LEASH_DIE_H

/* Exit status of any failure before execve(), as 'docker run' uses. */
#define SHIM_EXIT_FAIL 125

/* Print "leash-exec: STEP: MSG", run the cleanup hook, exit 125. */
__attribute__((noreturn, format(printf, 2, 3)))
void die(const char *step, const char *fmt, ...);
/* The same, with ": strerror(errno)" appended. */
__attribute__((noreturn, format(printf, 2, 3)))
void die_errno(const char *step, const char *fmt, ...);
/* "leash-exec: warning: STEP: MSG", and go on. */
__attribute__((format(printf, 2, 3)))
void warn(const char *step, const char *fmt, ...);

/*
 * Called by die() and die_errno() just before the exit (NULL: none).
 * It runs at most once, and also in any process that shares the
 * registering one's memory (a clone()d child): it must check who it
 * runs in.
 */
void die_set_cleanup(void (*fn)(void));

#endif
