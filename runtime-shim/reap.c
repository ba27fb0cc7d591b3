/* SPDX-License-Identifier: MIT */
/*
 * reap.c - nothing the program starts outlives it.
 *
 * leash-exec supervises the program when there is something to clean up
 * after it (a pid namespace, a cgroup, a user namespace root maps): it
 * is then the program's child subreaper, so every process the program
 * leaves behind (a daemon, 'sh -c "sleep 9 &"') is re-parented to it,
 * and when the program exits, whatever remains is killed before the
 * cgroups are removed.  A cgroup holds all of them even when a process
 * escaped the subreaper's tree (a pid namespace's members): cgroup.kill
 * on cgroup v2, a kill loop over cgroup.procs on v1, where a task that
 * forks in between is caught by the next round.
 *
 * A leash-exec that was itself killed leaves its cgroups behind, with
 * whatever the program started; the next run empties and removes them
 * (reap_stale_cgroups()), so no cgroup stays busy for good.
 */
#include "shim.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long a cgroup may take to empty after SIGKILL: the kernel needs
 * a moment to tear processes down, never this long. */
#define REAP_ROUNDS 500		/* of 10 ms: 5 s */

static void pause_10ms(void)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* SIGKILL every process listed in @dir/cgroup.procs; how many there
 * were (0: empty or gone). */
static unsigned kill_procs(const char *dir)
{
	char path[2200];
	unsigned n = 0;
	FILE *f;
	int pid;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fscanf(f, "%d", &pid) == 1) {
		if (pid > 0 && pid != getpid())
			kill(pid, SIGKILL);
		n++;
	}
	fclose(f);
	return n;
}

/* Empty the cgroup @dir: cgroup.kill where the kernel has it (5.14,
 * v2: atomic, no task can fork out of it), else kill rounds; then wait
 * until it holds nothing.  True when empty. */
static bool empty_cgroup(const char *dir, bool v2)
{
	char path[2200];
	unsigned round;
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.kill", dir);
	if (v2 && (fd = open(path, O_WRONLY | O_CLOEXEC)) >= 0) {
		(void)!write(fd, "1", 1);
		close(fd);
	}
	for (round = 0; round < REAP_ROUNDS; round++) {
		if (!kill_procs(dir))
			return true;
		/* Our own children among them are zombies until waited
		 * for, and a zombie stays in cgroup.procs. */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		pause_10ms();
	}
	return false;
}

/* Our children from /proc/self/task/TID/children (Linux 4.2 with
 * CONFIG_PROC_CHILDREN, which Debian's kernels have): one read instead
 * of a walk of every process; we have one thread.  -1: no such file. */
static int kill_listed_children(void)
{
	char path[64], buf[4096], *p, *end;
	unsigned n = 0;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children",
		 (int)getpid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	/* A list longer than the buffer: walk /proc after all. */
	if (len < 0 || len == (ssize_t)sizeof(buf) - 1)
		return -1;
	buf[len] = '\0';
	for (p = buf; *p; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid > 0) {
			kill((pid_t)pid, SIGKILL);
			n++;
		}
	}
	return (int)n;
}

/* Our children, by /proc: the subreaper's orphans too. */
static unsigned kill_children(void)
{
	char path[64], buf[512], *p;
	struct dirent *de;
	unsigned n = 0;
	pid_t self = getpid();
	int listed = kill_listed_children();
	DIR *d;
	FILE *f;

	if (listed >= 0)
		return (unsigned)listed;
	d = opendir("/proc");
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		int pid = atoi(de->d_name), ppid;

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		f = fopen(path, "re");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f);
		fclose(f);
		/* "pid (comm) state ppid ...": comm may hold spaces and
		 * parentheses, the last ')' ends it. */
		p = p ? strrchr(buf, ')') : NULL;
		if (p && sscanf(p + 1, " %*c %d", &ppid) == 1 &&
		    ppid == self) {
			kill(pid, SIGKILL);
			n++;
		}
	}
	closedir(d);
	return n;
}

void reap_leftovers(const struct plan *p)
{
	unsigned round;
	size_t i;

	/* Every process the program left is ours now (subreaper): kill
	 * and reap until none is left, a bounded number of rounds (a
	 * process killed mid-fork hands us its children). */
	for (round = 0; round < REAP_ROUNDS; round++) {
		bool any = kill_children() > 0;

		while (waitpid(-1, NULL, WNOHANG) > 0)
			any = true;
		if (!any)
			break;
		pause_10ms();
	}
	for (i = 0; i < p->n_cg; i++)
		if (!empty_cgroup(p->cg[i].path, p->cg[i].v2))
			warn("cgroup", "%s still holds processes after "
			     "SIGKILL", p->cg[i].path);
}

/*
 * A "leash-exec.*" cgroup whose leash-exec no longer runs: each run
 * holds an exclusive flock() on its cgroup directory for its whole life
 * (cgroup_create()), so a lock we can take has no live owner.  Not the
 * pid in the name: cgroups are shared across pid namespaces, where the
 * same number names another process or none.  Returns the locked
 * directory's descriptor, or -1.
 */
static int lock_stale(int parent, const char *name)
{
	int fd;

	if (strncmp(name, "leash-exec.", 11) != 0)
		return -1;
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		    O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

void reap_stale_cgroups(const struct plan *p)
{
	char parent[2100], path[2400];
	struct dirent *de;
	size_t i;
	DIR *d;

	for (i = 0; i < p->n_cg; i++) {
		const char *slash = strrchr(p->cg[i].path, '/');

		snprintf(parent, sizeof(parent), "%.*s",
			 (int)(slash - p->cg[i].path), p->cg[i].path);
		d = opendir(parent);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			int fd;

			if (de->d_type != DT_DIR ||
			    (fd = lock_stale(dirfd(d), de->d_name)) < 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", parent,
				 de->d_name);
			/* Left by a killed run: what it holds ran under a
			 * supervisor that is gone. */
			if (!empty_cgroup(path, p->cg[i].v2) ||
			    rmdir(path) < 0)
				warn("cgroup", "cannot clean up %s, left by a "
				     "leash-exec that was killed", path);
			close(fd);
		}
		closedir(d);
	}
}
