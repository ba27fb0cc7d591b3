/* SPDX-License-Identifier: MIT */
/*
 * die-double.h - a stand-in for runtime-shim/die.c in the shim's unit
 * tests (test-shim, test-mounts, test-trust): die() and die_errno()
 * record the step, the message and errno, then jump back to the test
 * that expected them (EXPECT_DIE) or fail it; warn() records and counts.
 * A step can then be tested without the process exiting.
 */
#ifndef LEASH_TESTS_DIE_DOUBLE_H
#define LEASH_TESTS_DIE_DOUBLE_H

#include <check.h>
#include <setjmp.h>
#include <string.h>

extern jmp_buf *die_jmp;		/* armed by EXPECT_DIE() */
extern char died_step[64], died_msg[1024];
extern int died_err;			/* errno of die_errno(); 0: die() */
extern char warned_step[64], warned_msg[1024];
extern int n_warned;

/* Run @stmt, which must die in @step. */
#define EXPECT_DIE(step, stmt)						\
	do {								\
		jmp_buf jb_;						\
									\
		died_step[0] = '\0';					\
		if (setjmp(jb_) == 0) {					\
			die_jmp = &jb_;					\
			stmt;						\
			die_jmp = NULL;					\
			ck_abort_msg("'%s' did not die", #stmt);	\
		}							\
		die_jmp = NULL;						\
		ck_assert_str_eq(died_step, step);			\
	} while (0)

/* The same, with @what in the message. */
#define EXPECT_DIE_MSG(step, what, stmt)				\
	do {								\
		EXPECT_DIE(step, stmt);					\
		ck_assert_msg(strstr(died_msg, what) != NULL,		\
			      "'%s' died with: %s", #stmt, died_msg);	\
	} while (0)

#endif
