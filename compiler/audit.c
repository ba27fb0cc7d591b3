/* SPDX-License-Identifier: MIT */
/*
 * audit.c - 'leash audit'.  NOT BUILT YET: the command says so and fails.
 */
#include "driver.h"

int cmd_audit(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "leash: 'audit' is not available in this version of leash\n");
	return EXIT_USAGE;
}
