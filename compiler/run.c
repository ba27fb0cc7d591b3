/* SPDX-License-Identifier: MIT */
/*
 * run.c - 'leash run'.  NOT BUILT YET: the command says so and fails.
 */
#include "driver.h"

int cmd_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "leash: 'run' is not available in this version of leash\n");
	return EXIT_USAGE;
}
