/* SPDX-License-Identifier: MIT */
/*
 * oci-merge.c - 'leash oci-merge'.  NOT BUILT YET: the command says so and fails.
 */
#include "driver.h"

int cmd_oci_merge(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "leash: 'oci-merge' is not available in this version of leash\n");
	return EXIT_USAGE;
}
