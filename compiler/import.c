/* SPDX-License-Identifier: MIT */
/*
 * import.c - 'leash import'.  NOT BUILT YET: the command says so and fails.
 */
#include "driver.h"

int cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "leash: 'import' is not available in this version of leash\n");
	return EXIT_USAGE;
}
