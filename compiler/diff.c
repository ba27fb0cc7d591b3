/* SPDX-License-Identifier: MIT */
/*
 * diff.c - 'leash diff'.  NOT BUILT YET: the command says so and fails.
 */
#include "driver.h"

int cmd_diff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "leash: 'diff' is not available in this version of leash\n");
	return EXIT_USAGE;
}
