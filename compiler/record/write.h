/* SPDX-License-Identifier: MIT */
/*
 * write.h - the policy 'leash record' writes from its observations
 * (write.c): readable, and the same bytes for the same observations.
 */
#ifndef LEASH_RECORD_WRITE_H
#define LEASH_RECORD_WRITE_H

#include "record/obs.h"

struct rec_group {
	char *name;		/* "@basic-io" */
	struct str_vec_rg {
		char **v;
		size_t n, cap;
	} members;		/* syscall names, nested groups expanded */
};

struct rec_write_opts {
	const char *name;	/* the policy's name */
	const char *def;	/* the default action, "errno(EPERM)" */
	const char *command;	/* the command line, for the header */
	const char *runtime;	/* --for a container target: the group of
				 * the runtime's calls ("@runtime-nnp"), or
				 * NULL */
	const char *runtime_for;	/* the targets, for the comment */
	const char *runtime_calls;	/* --base: the runtime's calls as a
					 * list ("close, execve, ..."), since
					 * the base may not include
					 * groups.leash; or NULL */
	struct rec_group *groups;	/* groups.leash, in file order */
	size_t n_groups;
};

/* Load the groups of <groups.leash> (include path as 'leash check'
 * has it); 0, or -errno after a message on stderr. */
int rec_groups_load(struct rec_group **out, size_t *n);
void rec_groups_free(struct rec_group *g, size_t n);

/* The policy text for @o into @out. */
void rec_write(const struct rec_obs *o, const struct rec_write_opts *w,
	       struct strbuf *out);

/*
 * 'leash record --base': the sections that allow what @o saw denied
 * (calls with their argument conditions, paths generalized, socket
 * families the network section refused, TCP ports), one recorded block
 * to put first in the base policy's body, so that its rules match
 * before the policy's own.  No groups (the base may not include
 * groups.leash), no capabilities (the base's hold).
 */
void rec_write_additions(const struct rec_obs *o,
			 const struct rec_write_opts *w, struct strbuf *out);

#endif
