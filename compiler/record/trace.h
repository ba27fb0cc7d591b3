/* SPDX-License-Identifier: MIT */
/*
 * trace.h - run a command and record every system call of it and of
 * every thread, child and program it starts (trace.c).
 */
#ifndef LEASH_RECORD_TRACE_H
#define LEASH_RECORD_TRACE_H

#include "record/obs.h"

#include <stdint.h>
#include <sys/types.h>

/* Up to @max bytes of the stopped tracee @tid's string at @addr into
 * @buf, page by page (a string may end right before an unmapped page),
 * stopping after its NUL; the number of bytes read (0: unreadable). */
size_t rec_peek_upto(pid_t tid, uint64_t addr, char *buf, size_t max);

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

/*
 * Complain mode ('leash run --complain', 'leash record --base'): the
 * tracer runs @exec (leash-exec with a bundle whose filter returns
 * SECCOMP_RET_TRACE for what the policy would deny, and for the calls
 * whose paths and ports it checks) and loads no filter of its own; it
 * lets every call proceed, and asks the judge about each.  Only what
 * the judge says would be denied goes into the observations.
 */
struct rec_judge {
	/* A seccomp stop with the filter's @data: true when the policy
	 * would deny the call (reported by the judge). */
	bool (*call)(void *arg, pid_t tid, enum leash_arch arch, int64_t nr,
		     const uint64_t args[6], unsigned data);
	/* @path (resolved) was used by @call and needed the Landlock
	 * rights @access (LL_FS_*) on it: true when they would be denied. */
	bool (*path)(void *arg, pid_t tid, const char *call, const char *path,
		     uint64_t access);
	/* A TCP bind or connect to @port: true when it would be denied. */
	bool (*port)(void *arg, pid_t tid, bool bind, unsigned port);
	void *arg;
	char **exec;	/* what the child execs: leash-exec ... -- CMD */
};

int rec_trace_judged(char **argv, const struct rec_judge *judge,
		     struct rec_obs *obs, rec_flush_fn flush, void *arg,
		     bool *ran);

/*
 * 'leash record --verify'.  The calls are known by a key: the arch,
 * the name and the first path argument as the program passed it
 * ("x86_64 openat /etc/shadow").  The recording run (verifying false)
 * stops at the exit of every call too, and adds the key of each that
 * succeeded to @ok.  The second run (verifying true) execs @exec
 * (leash-exec with the recorded policy's own bundle), stops at the
 * entry and exit of every call (PTRACE_SYSCALL: there is no filter of
 * the tracer's), and calls @failed for each call of the program (not
 * of leash-exec nor leash) that failed with EPERM or EACCES while its
 * key is in @ok.
 */
struct rec_keys;
struct rec_keys *rec_keys_new(void);
void rec_keys_free(struct rec_keys *k);

struct rec_verify {
	struct rec_keys *ok;
	bool verifying;
	char **exec;		/* verifying: leash-exec ... -- CMD */
	const char *shim;	/* verifying: leash-exec's resolved path */
	void (*failed)(void *arg, pid_t tid, enum leash_arch arch,
		       int64_t nr, const uint64_t args[6], const char *key,
		       int err);
	void *arg;
};

int rec_trace_verify(char **argv, const struct rec_verify *v,
		     struct rec_obs *obs, rec_flush_fn flush, void *arg,
		     bool *ran);

#endif
