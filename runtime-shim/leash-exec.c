/* SPDX-License-Identifier: MIT */
/* leash-exec.c - NOT BUILT YET: refuses to run anything. */
#include <stdio.h>

int main(void)
{
	fputs("leash-exec: not available in this version\n", stderr);
	return 125;
}
