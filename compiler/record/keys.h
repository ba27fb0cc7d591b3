/* SPDX-License-Identifier: MIT */
/*
 * keys.h - a set of strings, the keys of the calls that succeeded while
 * 'leash record --verify' recorded (keys.c; trace.h has the type and
 * its constructor).  Open addressing, grown at half full.
 */
#ifndef LEASH_RECORD_KEYS_H
#define LEASH_RECORD_KEYS_H

#include "common/util.h"

struct rec_keys;

bool keys_has(const struct rec_keys *k, const char *s);
/* Add a copy of @s, if not there. */
void keys_add(struct rec_keys *k, const char *s);

#endif
