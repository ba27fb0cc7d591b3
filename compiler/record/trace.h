/* SPDX-License-Identifier: MIT */
/*
 * trace.h - run a command and record every system call of it and of
 * every thread, child and program it starts (trace.c).
 */
#ifndef LEASH_RECORD_TRACE_H
#define LEASH_RECORD_TRACE_H

#include "record/obs.h"

/* Called with the observations when something new was seen, at most
 * every REC_FLUSH_MS, and once at the end. */
typedef void (*rec_flush_fn)(const struct rec_obs *obs, void *arg);
#define REC_FLUSH_MS 200

/*
 * Run @argv (argv[0] searched in PATH as a shell does) under the
 * recorder, filling @obs.  Returns the exit status a shell would give
 * (0..255; 128+N for a program killed by signal N; 127 for a command
 * not found, 126 for one that cannot be executed: then *ran is false),
 * or -1 when the recorder cannot run here, after one line on stderr
 * saying why.
 */
int rec_trace(char **argv, struct rec_obs *obs, rec_flush_fn flush,
	      void *arg, bool *ran);

#endif
