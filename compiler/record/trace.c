/* SPDX-License-Identifier: MIT */
/*
 * trace.c - the recorder of 'leash record': runs a command and sees
 * every system call of every thread, child and exec'd program, with its
 * arguments, on every ABI (trace.h).
 *
 * Why ptrace with a seccomp filter, not seccomp user notification:
 *
 * - One stop per call.  The child loads a filter that returns
 *   SECCOMP_RET_TRACE for every call, and with PTRACE_O_TRACESECCOMP the
 *   kernel stops the caller once, at entry (plain PTRACE_SYSCALL, as
 *   strace uses, stops twice).  User notification costs the same round
 *   trip to the recorder per call.
 * - Return values.  A path is recorded only when the open, mkdir or
 *   exec succeeded, and an open is recorded by the file the kernel
 *   actually opened (/proc/PID/fd/RET, with every symlink, dirfd and
 *   cwd resolved).  A notification never sees the result; for the calls
 *   that carry a path the recorder asks for the exit stop too
 *   (PTRACE_SYSCALL from the seccomp stop), and only for those.
 * - Stopped memory.  The tracee is stopped while its memory and /proc
 *   entries are read, so a pointer argument cannot change under the
 *   recorder's feet; under user notification the caller's other threads
 *   run on and /proc/PID/mem reads race with them.
 * - Every ABI: PTRACE_GET_SYSCALL_INFO gives the call's AUDIT_ARCH, so a
 *   32-bit x86 program and an x32 one are told from x86_64 (x32 by the
 *   0x40000000 bit of its numbers).
 *
 * The price: the program cannot be traced by another debugger while it
 * is recorded, and a set-user-ID program does not gain privilege (the
 * kernel ignores set-user-ID bits under ptrace; an unprivileged recorder
 * also sets no_new_privs, without which the kernel refuses a seccomp
 * filter to a process without CAP_SYS_ADMIN).  PTRACE_O_EXITKILL makes
 * the program die with the recorder: without its tracer a
 * SECCOMP_RET_TRACE filter fails every call with ENOSYS, which no
 * program survives sensibly.
 *
 * The recorder's own calls are never recorded: the filter is loaded in
 * the child, after the fork, right before it execs the command.
 */
#include "record/trace.h"
#include "record/keys.h"
#include "common/sigs.h"
#include "targets/landlock.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define X32_BIT 0x40000000ull

/* What the recorder does with a call beyond counting it. */
enum handler {
	H_UNSET = 0, H_NONE, H_OPEN, H_OPENAT2, H_CREAT, H_EXEC, H_WPATH,
	H_WPATH2, H_TRUNC, H_SOCKET, H_BIND, H_CONNECT, H_SETID, H_SETGROUPS,
	H_CHOWN, H_CAP,
};

struct hspec {
	const char *name;
	enum handler h;
	int dirfd, path;	/* argument indexes; dirfd -1: the cwd */
	int dirfd2, path2;	/* the second path (rename, link, symlink) */
	int cap;		/* H_CAP, H_SETID, ... */
};

/*
 * The calls that name a path or an address, or that need a capability
 * when root makes them.  symlink's target is text, not a path the
 * process uses: only the link it creates counts.
 */
static const struct hspec hspecs[] = {
	{ "open", H_OPEN, -1, 0, 0, 0, 0 },
	{ "openat", H_OPEN, 0, 1, 0, 0, 0 },
	{ "openat2", H_OPENAT2, 0, 1, 0, 0, 0 },
	{ "creat", H_CREAT, -1, 0, 0, 0, 0 },
	{ "execve", H_EXEC, -1, 0, 0, 0, 0 },
	{ "execveat", H_EXEC, 0, 1, 0, 0, 0 },
	{ "mkdir", H_WPATH, -1, 0, 0, 0, 0 },
	{ "mkdirat", H_WPATH, 0, 1, 0, 0, 0 },
	{ "unlink", H_WPATH, -1, 0, 0, 0, 0 },
	{ "unlinkat", H_WPATH, 0, 1, 0, 0, 0 },
	{ "rmdir", H_WPATH, -1, 0, 0, 0, 0 },
	{ "mknod", H_WPATH, -1, 0, 0, 0, 0 },
	{ "mknodat", H_WPATH, 0, 1, 0, 0, 0 },
	{ "symlink", H_WPATH, -1, 1, 0, 0, 0 },
	{ "symlinkat", H_WPATH, 1, 2, 0, 0, 0 },
	{ "rename", H_WPATH2, -1, 0, -1, 1, 0 },
	{ "renameat", H_WPATH2, 0, 1, 2, 3, 0 },
	{ "renameat2", H_WPATH2, 0, 1, 2, 3, 0 },
	{ "link", H_WPATH, -1, 1, 0, 0, 0 },
	{ "linkat", H_WPATH, 2, 3, 0, 0, 0 },
	{ "truncate", H_TRUNC, -1, 0, 0, 0, 0 },
	{ "truncate64", H_TRUNC, -1, 0, 0, 0, 0 },
	{ "socket", H_SOCKET, 0, 0, 0, 0, 0 },
	{ "socketpair", H_SOCKET, 0, 0, 0, 0, 0 },
	{ "bind", H_BIND, 0, 0, 0, 0, 0 },
	{ "connect", H_CONNECT, 0, 0, 0, 0, 0 },
	{ "setuid", H_SETID, 0, 0, 0, 0, 7 },
	{ "setuid32", H_SETID, 0, 0, 0, 0, 7 },
	{ "setreuid", H_SETID, 0, 0, 0, 0, 7 },
	{ "setreuid32", H_SETID, 0, 0, 0, 0, 7 },
	{ "setresuid", H_SETID, 0, 0, 0, 0, 7 },
	{ "setresuid32", H_SETID, 0, 0, 0, 0, 7 },
	{ "setfsuid", H_SETID, 0, 0, 0, 0, 7 },
	{ "setfsuid32", H_SETID, 0, 0, 0, 0, 7 },
	{ "setgid", H_SETID, 0, 0, 0, 0, 6 },
	{ "setgid32", H_SETID, 0, 0, 0, 0, 6 },
	{ "setregid", H_SETID, 0, 0, 0, 0, 6 },
	{ "setregid32", H_SETID, 0, 0, 0, 0, 6 },
	{ "setresgid", H_SETID, 0, 0, 0, 0, 6 },
	{ "setresgid32", H_SETID, 0, 0, 0, 0, 6 },
	{ "setfsgid", H_SETID, 0, 0, 0, 0, 6 },
	{ "setfsgid32", H_SETID, 0, 0, 0, 0, 6 },
	{ "setgroups", H_SETGROUPS, 0, 0, 0, 0, 6 },
	{ "setgroups32", H_SETGROUPS, 0, 0, 0, 0, 6 },
	{ "chown", H_CHOWN, 1, 2, 0, 0, 0 },
	{ "lchown", H_CHOWN, 1, 2, 0, 0, 0 },
	{ "fchown", H_CHOWN, 1, 2, 0, 0, 0 },
	{ "chown32", H_CHOWN, 1, 2, 0, 0, 0 },
	{ "lchown32", H_CHOWN, 1, 2, 0, 0, 0 },
	{ "fchown32", H_CHOWN, 1, 2, 0, 0, 0 },
	{ "fchownat", H_CHOWN, 2, 3, 0, 0, 0 },
	{ "chroot", H_CAP, 0, 0, 0, 0, 18 },		/* SYS_CHROOT */
	{ "mount", H_CAP, 0, 0, 0, 0, 21 },		/* SYS_ADMIN */
	{ "umount2", H_CAP, 0, 0, 0, 0, 21 },
	{ "pivot_root", H_CAP, 0, 0, 0, 0, 21 },
	{ "fsopen", H_CAP, 0, 0, 0, 0, 21 },
	{ "fsmount", H_CAP, 0, 0, 0, 0, 21 },
	{ "move_mount", H_CAP, 0, 0, 0, 0, 21 },
	{ "sethostname", H_CAP, 0, 0, 0, 0, 21 },
	{ "setdomainname", H_CAP, 0, 0, 0, 0, 21 },
	{ "settimeofday", H_CAP, 0, 0, 0, 0, 25 },	/* SYS_TIME */
	{ "clock_settime", H_CAP, 0, 0, 0, 0, 25 },
	{ "init_module", H_CAP, 0, 0, 0, 0, 16 },	/* SYS_MODULE */
	{ "finit_module", H_CAP, 0, 0, 0, 0, 16 },
};

/* One traced thread. */
struct tracee {
	pid_t tid;
	bool started;		/* its first SIGSTOP was swallowed */
	enum handler pending;	/* waiting for the exit stop */
	unsigned modes;		/* H_OPEN: from the flags */
	bool creates;		/* H_OPEN: O_CREAT of a file not there */
	char *p1, *p2;		/* paths resolved at entry */
	const char *call;	/* the call's name (the tables') */
	char *key;		/* --verify: the call's key, until its exit */
	bool shim_known, shim;	/* --verify: whether it runs leash-exec or
				 * leash, not the program */
	enum leash_arch v_arch;	/* --verify: the call at its entry */
	int64_t v_nr;
	uint64_t v_args[6];
	uint64_t arg;		/* open: its flags; mknod: its mode;
				 * unlinkat: its flags */
};

struct rec {
	struct rec_obs *obs;
	const struct rec_judge *judge;	/* complain mode, else NULL */
	const struct rec_verify *v;	/* --verify, else NULL */
	struct tracee *t;
	size_t n, cap;
	uint8_t *hcache[ARCH_COUNT];	/* enum handler + 1, per number */
	const struct hspec *hspec[ARCH_COUNT][REC_MAX_NR];
};

static volatile sig_atomic_t tick_due, forward_sig;

static void on_alarm(int sig)
{
	(void)sig;
	tick_due = 1;
}

static void on_term(int sig)
{
	forward_sig = sig;
}

static struct tracee *find(struct rec *r, pid_t tid, bool add)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->t[i].tid == tid)
			return &r->t[i];
	if (!add)
		return NULL;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->t = xrealloc(r->t, r->cap * sizeof(*r->t));
	}
	r->t[r->n] = (struct tracee){ .tid = tid };
	return &r->t[r->n++];
}

static void clear_pending(struct tracee *t)
{
	t->creates = false;
	free(t->p1);
	free(t->p2);
	t->p1 = t->p2 = NULL;
	t->pending = H_NONE;
}

static void forget(struct rec *r, pid_t tid)
{
	struct tracee *t = find(r, tid, false);

	if (!t)
		return;
	clear_pending(t);
	free(t->key);
	*t = r->t[--r->n];
}

/* ---- reading the tracee ------------------------------------------------ */

static ssize_t peek(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };

	return process_vm_readv(tid, &local, 1, &remote, 1, 0);
}

size_t rec_peek_upto(pid_t tid, uint64_t addr, char *buf, size_t max)
{
	size_t got = 0;

	while (addr && got < max) {
		size_t chunk = 4096 - ((addr + got) & 4095);
		ssize_t k;

		if (chunk > max - got)
			chunk = max - got;
		k = peek(tid, addr + got, buf + got, chunk);
		if (k <= 0)
			break;
		got += (size_t)k;
		if (memchr(buf + got - (size_t)k, '\0', (size_t)k))
			break;
	}
	return got;
}

/* A NUL-terminated string of the tracee; NULL when unreadable or
 * longer than a path can be. */
static char *peek_str(pid_t tid, uint64_t addr)
{
	char *buf = xmalloc(PATH_MAX);
	size_t got = rec_peek_upto(tid, addr, buf, PATH_MAX);

	if (memchr(buf, '\0', got))
		return buf;
	free(buf);
	return NULL;
}

static char *read_link(const char *path)
{
	char buf[PATH_MAX];
	ssize_t k = readlink(path, buf, sizeof(buf) - 1);

	if (k <= 0)
		return NULL;
	buf[k] = '\0';
	return xstrdup(buf);
}

/* ---- --verify: a call's key ------------------------------------------ */

static const char *const path_args[] = {
	"filename", "pathname", "path", "oldname", "newname", "specialfile",
	"to_pathname",
};


/* "x86_64 openat /etc/passwd": the arch, the name and the first path
 * argument as passed (unresolved: the same in both runs). */
static char *call_key(pid_t tid, enum leash_arch arch, int64_t nr,
		      const uint64_t a[6])
{
	const char *name = arch < ARCH_COUNT ? syscall_name(arch, nr) : NULL;
	const struct syscall_sig *sig = name ? sig_lookup_arch(name, arch) :
					NULL;
	unsigned i, k;

	if (!name)
		return xasprintf("%d %lld", (int)arch, (long long)nr);
	for (i = 0; sig && i < sig->nargs && i < 6; i++)
		for (k = 0; k < ARRAY_SIZE(path_args); k++)
			if (sig->arg[i] && !strcmp(sig->arg[i], path_args[k])) {
				_cleanup_free_ char *p = peek_str(tid, a[i]);

				return xasprintf("%s %s %s",
						 arch_info(arch)->name, name,
						 p ? p : "?");
			}
	return xasprintf("%s %s", arch_info(arch)->name, name);
}

/*
 * @path as the tracee @tid named it, relative to @dirfd (-1: its cwd),
 * resolved through /proc: every directory resolved to where it really
 * is, the last component kept as named (it may not exist yet, or be
 * the symlink being removed).  NULL when that cannot be told.
 */
static char *resolve(pid_t tid, int64_t dirfd, const char *path)
{
	_cleanup_free_ char *full = NULL, *dir = NULL, *real = NULL;
	const char *base;
	char *slash;
	size_t len;

	if (!path || !*path)
		return NULL;
	if (path[0] == '/') {
		/* The tracee's /proc/self is not ours. */
		if (!strncmp(path, "/proc/self", 10) &&
		    (path[10] == '/' || !path[10]))
			full = xasprintf("/proc/%d%s", tid, path + 10);
		else if (!strncmp(path, "/proc/thread-self", 17) &&
			 (path[17] == '/' || !path[17]))
			full = xasprintf("/proc/%d/task/%d%s", tid, tid,
					 path + 17);
		else
			full = xstrdup(path);
	} else if (dirfd == AT_FDCWD || dirfd < 0) {
		full = xasprintf("/proc/%d/cwd/%s", tid, path);
	} else {
		full = xasprintf("/proc/%d/fd/%d/%s", tid, (int)dirfd, path);
	}
	len = strlen(full);
	while (len > 1 && full[len - 1] == '/')
		full[--len] = '\0';
	slash = strrchr(full, '/');
	base = slash + 1;
	dir = slash == full ? xstrdup("/") : xstrndup(full, (size_t)(slash - full));
	if (!strcmp(base, ".") || !strcmp(base, "..") || !*base) {
		real = realpath(full, NULL);
		return TAKE_PTR(real);
	}
	real = realpath(dir, NULL);
	if (!real)
		return NULL;
	return xasprintf("%s%s%s", real, strcmp(real, "/") ? "/" : "", base);
}

/* The file the tracee's descriptor @fd is, if it is a path. */
static char *fd_path(pid_t tid, int64_t fd, bool *is_dir)
{
	_cleanup_free_ char *link = xasprintf("/proc/%d/fd/%d", tid, (int)fd);
	struct stat st;
	char *p = read_link(link);
	size_t len;

	if (!p || p[0] != '/' || !strncmp(p, "/memfd:", 7)) {
		free(p);
		return NULL;
	}
	len = strlen(p);
	if (len > 10 && !strcmp(p + len - 10, " (deleted)")) {
		free(p);
		return NULL;
	}
	*is_dir = stat(link, &st) == 0 && S_ISDIR(st.st_mode);
	return p;
}

/*
 * The ELF interpreter (PT_INTERP) of the program @exe, resolved: the
 * kernel opens it for execution itself, without a system call the
 * recorder would see, and Landlock checks it like the program.
 */
static char *elf_interp(const char *exe)
{
	_cleanup_close_ int fd = open(exe, O_RDONLY | O_CLOEXEC);
	unsigned char h[64], ph[56];
	char buf[PATH_MAX];
	uint64_t phoff, off = 0, size = 0;
	unsigned phnum, phentsize, i;
	bool is64;

	if (fd < 0 || pread(fd, h, sizeof(h), 0) != sizeof(h) ||
	    memcmp(h, ELFMAG, SELFMAG) || h[EI_DATA] != ELFDATA2LSB)
		return NULL;
	is64 = h[EI_CLASS] == ELFCLASS64;
	if (is64) {
		Elf64_Ehdr e;

		memcpy(&e, h, sizeof(e));
		phoff = e.e_phoff;
		phnum = e.e_phnum;
		phentsize = e.e_phentsize;
	} else {
		Elf32_Ehdr e;

		memcpy(&e, h, sizeof(e));
		phoff = e.e_phoff;
		phnum = e.e_phnum;
		phentsize = e.e_phentsize;
	}
	if (phentsize > sizeof(ph) || phentsize < (is64 ? sizeof(Elf64_Phdr) :
						   sizeof(Elf32_Phdr)))
		return NULL;
	for (i = 0; i < phnum && i < 256; i++) {
		if (pread(fd, ph, phentsize, (off_t)(phoff + i * phentsize)) !=
		    (ssize_t)phentsize)
			return NULL;
		if (is64) {
			Elf64_Phdr p;

			memcpy(&p, ph, sizeof(p));
			if (p.p_type == PT_INTERP) {
				off = p.p_offset;
				size = p.p_filesz;
				break;
			}
		} else {
			Elf32_Phdr p;

			memcpy(&p, ph, sizeof(p));
			if (p.p_type == PT_INTERP) {
				off = p.p_offset;
				size = p.p_filesz;
				break;
			}
		}
	}
	if (!size || size >= sizeof(buf) ||
	    pread(fd, buf, (size_t)size, (off_t)off) != (ssize_t)size)
		return NULL;
	buf[size] = '\0';
	return realpath(buf, NULL);
}

/* ---- what each call means --------------------------------------------- */

/*
 * @path was used with @modes.  Recording, it is kept; in complain mode
 * only when the judge says the Landlock rights @access (the MAKE_,
 * REMOVE_ and REFER ones on its directory, the others on it) would be
 * denied.
 */
static void path_seen(struct rec *r, pid_t tid, const char *call,
		      const char *path, unsigned modes, uint64_t access)
{
	if (!r->judge)
		obs_path(r->obs, path, modes);
	else if (access && r->judge->path(r->judge->arg, tid, call, path,
					  access))
		obs_path(r->obs, path, modes);
}

/* The Landlock rights a call that makes or removes @what needs on its
 * directory (a rename's source: @remove). */
static uint64_t dir_rights(const char *call, uint64_t arg, bool remove,
			   bool is_dir)
{
	if (!strncmp(call, "mkdir", 5))
		return LL_FS_MAKE_DIR;
	if (!strcmp(call, "rmdir"))
		return LL_FS_REMOVE_DIR;
	if (!strcmp(call, "unlink"))
		return LL_FS_REMOVE_FILE;
	if (!strcmp(call, "unlinkat"))
		return arg & AT_REMOVEDIR ? LL_FS_REMOVE_DIR :
		       LL_FS_REMOVE_FILE;
	if (!strncmp(call, "symlink", 7))
		return LL_FS_MAKE_SYM;
	if (!strncmp(call, "mknod", 5)) {
		switch (arg & S_IFMT) {
		case S_IFIFO: return LL_FS_MAKE_FIFO;
		case S_IFCHR: return LL_FS_MAKE_CHAR;
		case S_IFBLK: return LL_FS_MAKE_BLOCK;
		case S_IFSOCK: return LL_FS_MAKE_SOCK;
		default: return LL_FS_MAKE_REG;
		}
	}
	if (!strncmp(call, "rename", 6))
		return remove ? (is_dir ? LL_FS_REMOVE_DIR : LL_FS_REMOVE_FILE) :
		       (is_dir ? LL_FS_MAKE_DIR : LL_FS_MAKE_REG);
	return LL_FS_MAKE_REG;	/* link, linkat */
}

static bool same_dir(const char *a, const char *b)
{
	const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');

	return sa && sb && sa - a == sb - b && !strncmp(a, b, (size_t)(sa - a));
}

static enum leash_arch arch_of(uint32_t audit, uint64_t nr)
{
	size_t a;

	if (audit == AUDIT_ARCH_X86_64 && (nr & X32_BIT))
		return ARCH_X32;
	for (a = 0; a < ARCH_COUNT; a++)
		if (a != ARCH_X32 && arch_info(a)->audit_arch == audit)
			return a;
	return ARCH_COUNT;
}

static const struct hspec *handler_of(struct rec *r, enum leash_arch arch,
				      uint64_t nr, const char *name)
{
	size_t i;

	if (!r->hcache[arch])
		r->hcache[arch] = xcalloc(REC_MAX_NR, 1);
	if (!r->hcache[arch][nr]) {
		r->hcache[arch][nr] = H_NONE;
		for (i = 0; name && i < ARRAY_SIZE(hspecs); i++)
			if (!strcmp(hspecs[i].name, name)) {
				r->hcache[arch][nr] = (uint8_t)hspecs[i].h;
				r->hspec[arch][nr] = &hspecs[i];
			}
	}
	return r->hcache[arch][nr] == H_NONE ? NULL : r->hspec[arch][nr];
}

static unsigned open_modes(uint64_t flags)
{
	unsigned m = 0;

	if (flags & O_PATH)
		return 0;	/* no access to the file: no right needed */
	switch (flags & O_ACCMODE) {
	case O_RDONLY: m = RP_READ; break;
	case O_WRONLY: m = RP_WRITE; break;
	default: m = RP_READ | RP_WRITE; break;
	}
	if (flags & (O_CREAT | O_TRUNC))
		m |= RP_WRITE;
	return m;
}

/* As root, opening someone else's file the mode bits do not grant
 * needs DAC_OVERRIDE (DAC_READ_SEARCH for reading). */
static void dac_check(struct rec_obs *o, const char *path, unsigned modes)
{
	struct stat st;
	unsigned need = 0, have;

	if (!o->root || stat(path, &st) < 0 || S_ISDIR(st.st_mode))
		return;
	if (modes & RP_READ)
		need |= 4;
	if (modes & RP_WRITE)
		need |= 2;
	if (st.st_uid == 0)
		return;
	have = st.st_mode & 7;
	if (st.st_gid == 0)
		have |= (st.st_mode >> 3) & 7;
	if ((need & have) == need)
		return;
	_cleanup_free_ char *why = xasprintf("opening %s (owner %u, mode %o)",
					     path, (unsigned)st.st_uid,
					     (unsigned)(st.st_mode & 07777));
	obs_cap(o, need & 2 ? 1 : 2, why);	/* DAC_OVERRIDE, DAC_READ_SEARCH */
}

/* Whether the tracee's descriptor @fd is a TCP socket: a copy of it
 * (pidfd_getfd) answers getsockopt.  When that cannot be told, it
 * counts as TCP: the policy then allows a port, never forbids one. */
static bool is_tcp(pid_t tid, int fd)
{
	_cleanup_free_ char *status = xasprintf("/proc/%d/status", tid);
	_cleanup_fclose_ FILE *f = fopen(status, "re");
	char line[256];
	int tgid = -1, type = 0, proto = 0;
	socklen_t sl = sizeof(int);
	bool tcp = true;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	if (tgid > 0) {
		_cleanup_close_ int pfd =
			(int)syscall(SYS_pidfd_open, tgid, 0);
		_cleanup_close_ int copy = pfd < 0 ? -1 :
			(int)syscall(SYS_pidfd_getfd, pfd, fd, 0);

		if (copy >= 0 &&
		    getsockopt(copy, SOL_SOCKET, SO_TYPE, &type, &sl) == 0 &&
		    getsockopt(copy, SOL_SOCKET, SO_PROTOCOL, &proto,
			       &sl) == 0)
			tcp = type == SOCK_STREAM &&
			      (proto == IPPROTO_TCP || proto == 0);
	}
	return tcp;
}

/* As root, creating or removing in a directory of another user that its
 * mode bits do not let root write needs DAC_OVERRIDE. */
static void dac_dir_check(struct rec_obs *o, const char *path)
{
	_cleanup_free_ char *dir = NULL;
	const char *slash = strrchr(path, '/');
	struct stat st;
	unsigned have;

	if (!o->root || !slash)
		return;
	dir = slash == path ? xstrdup("/") :
	      xstrndup(path, (size_t)(slash - path));
	if (stat(dir, &st) < 0 || st.st_uid == 0)
		return;
	have = st.st_mode & 7;
	if (st.st_gid == 0)
		have |= (st.st_mode >> 3) & 7;
	if ((have & 3) == 3)
		return;
	_cleanup_free_ char *why = xasprintf("writing in %s (owner %u, mode "
					     "%o)", dir, (unsigned)st.st_uid,
					     (unsigned)(st.st_mode & 07777));
	obs_cap(o, 1, why);	/* DAC_OVERRIDE */
}

/* bind/connect: the TCP port, and the socket file of an AF_UNIX bind. */
static void sockaddr_seen(struct rec *r, pid_t tid, const uint64_t *a,
			  bool bind)
{
	unsigned char sa[sizeof(struct sockaddr_in6)] = { 0 };
	uint64_t len = a[2] < sizeof(sa) ? a[2] : sizeof(sa);
	sa_family_t fam;
	uint16_t port;

	if (len < 2 || peek(tid, a[1], sa, (size_t)len) != (ssize_t)len)
		return;
	memcpy(&fam, sa, sizeof(fam));
	if (fam == AF_UNIX && bind && len > 3 && sa[2]) {
		char path[sizeof(struct sockaddr_un) + 1] = { 0 };
		unsigned char full[sizeof(struct sockaddr_un)] = { 0 };
		uint64_t l2 = a[2] < sizeof(full) ? a[2] : sizeof(full);

		if (peek(tid, a[1], full, (size_t)l2) == (ssize_t)l2) {
			memcpy(path, full + 2, (size_t)l2 - 2);
			_cleanup_free_ char *p = resolve(tid, -1, path);
			if (p)
				path_seen(r, tid, "bind", p, RP_WRITE,
					  LL_FS_MAKE_SOCK);
		}
		return;
	}
	if ((fam != AF_INET && fam != AF_INET6) || len < 4)
		return;
	memcpy(&port, sa + 2, sizeof(port));
	port = ntohs(port);
	if (!is_tcp(tid, (int)a[0]))
		return;
	if (bind && port == 0)
		return;		/* any free port: nothing to allow */
	if (r->judge && !r->judge->port(r->judge->arg, tid, bind, port))
		return;
	obs_value(r->obs, bind ? &r->obs->bind_ports : &r->obs->connect_ports,
		  port);
	if (bind && port < 1024 && r->obs->root) {
		_cleanup_free_ char *why = xasprintf("bind to TCP port %u",
						     port);
		obs_cap(r->obs, 10, why);	/* NET_BIND_SERVICE */
	}
}

/* Whether a set*id argument asks for an id root does not already have
 * (-1 leaves one unchanged; at the argument's width). */
static bool new_id(uint64_t v, unsigned width)
{
	uint64_t all = width >= 64 ? ~0ull : (1ull << width) - 1;

	v &= all;
	return v != 0 && v != all;
}

static void cap_seen(struct rec *r, const struct hspec *h, const char *name,
		     const uint64_t *a, enum leash_arch arch)
{
	struct rec_obs *o = r->obs;
	char why[160];
	unsigned i, n = 1;

	if (!o->root)
		return;
	switch (h->h) {
	case H_SETID:
		if (strstr(name, "setre"))
			n = 2;
		else if (strstr(name, "setres"))
			n = 3;
		for (i = 0; i < n; i++)
			if (new_id(a[i], sig_arg_width_arch(name, arch, i))) {
				snprintf(why, sizeof(why), "%s(%lld)", name,
					 (long long)(int32_t)a[i]);
				obs_cap(o, h->cap, why);
			}
		return;
	case H_SETGROUPS:
		snprintf(why, sizeof(why), "%s", name);
		obs_cap(o, h->cap, why);
		return;
	case H_CHOWN:
		/* Giving a file to another owner or group: root owns
		 * nothing it would not need CAP_CHOWN to give. */
		if (new_id(a[h->dirfd], sig_arg_width_arch(name, arch,
							   (unsigned)h->dirfd)) ||
		    new_id(a[h->path], sig_arg_width_arch(name, arch,
							  (unsigned)h->path))) {
			snprintf(why, sizeof(why), "%s to %lld:%lld", name,
				 (long long)(int32_t)a[h->dirfd],
				 (long long)(int32_t)a[h->path]);
			obs_cap(o, 0, why);	/* CHOWN */
		}
		return;
	case H_CAP:
		snprintf(why, sizeof(why), "%s", name);
		obs_cap(o, h->cap, why);
		return;
	default:
		return;
	}
}

/* x86's socketcall(): the call's own arguments are 32-bit words in
 * memory; socket, socketpair, bind and connect are what matters. */
static void socketcall_seen(struct rec *r, pid_t tid, enum leash_arch arch,
			    const uint64_t *a, bool denied)
{
	uint32_t w[3];
	uint64_t args[3];

	if (arch != ARCH_X86 || a[0] < 1 || a[0] > 8 ||
	    peek(tid, a[1], w, sizeof(w)) != sizeof(w))
		return;
	args[0] = w[0];
	args[1] = w[1];
	args[2] = w[2];
	if ((a[0] == 1 || a[0] == 8) && denied)	/* SYS_SOCKET(PAIR) */
		obs_value(r->obs, &r->obs->sockets,
			  (args[0] & 0xffff) << 8 | (args[1] & 0xf));
	else if (a[0] == 2 || a[0] == 3)	/* SYS_BIND, SYS_CONNECT */
		sockaddr_seen(r, tid, args, a[0] == 2);
}

/* The seccomp stop: count the call, keep what its arguments say, and
 * say whether its exit stop is wanted. */
static bool on_entry(struct rec *r, struct tracee *t,
		     const struct __ptrace_syscall_info *si)
{
	enum leash_arch arch = arch_of(si->arch, si->seccomp.nr);
	const uint64_t *a = si->seccomp.args;
	const struct rec_argspec *sp = NULL;
	const struct hspec *h;
	struct rec_call *c = NULL;
	const char *name;
	uint64_t nr;
	unsigned n = 0, i;
	bool denied = true;

	if (arch == ARCH_COUNT) {
		/* Complain mode: a call of an arch the policy does not
		 * list is said, though it cannot be recorded. */
		if (r->judge)
			r->judge->call(r->judge->arg, t->tid, arch,
				       (int64_t)si->seccomp.nr, a,
				       si->seccomp.ret_data);
		return false;
	}
	nr = si->seccomp.nr & ~(uint64_t)arch_info(arch)->nr_bias;
	/* Complain mode: only what the policy would deny is counted; a
	 * call stopped for its path or port is judged at its exit. */
	if (r->judge)
		denied = r->judge->call(r->judge->arg, t->tid, arch,
					(int64_t)si->seccomp.nr, a,
					si->seccomp.ret_data);
	if (denied) {
		c = obs_call(r->obs, arch, nr);
		if (!c)
			return false;
	}
	name = syscall_name(arch, (int64_t)si->seccomp.nr);
	if (!name)
		return false;
	if (c)
		sp = rec_argspecs(name, &n);
	for (i = 0; i < n; i++) {
		unsigned w = sig_arg_width_arch(name, arch, sp[i].idx);
		uint64_t v = a[sp[i].idx] & sp[i].mask;

		if (w < 64)
			v &= (1ull << w) - 1;
		obs_value(r->obs, &c->vals[i], v);
	}
	if (!strcmp(name, "socketcall")) {
		socketcall_seen(r, t->tid, arch, a, denied && !r->judge);
		return false;
	}
	h = handler_of(r, arch, nr, name);
	if (!h)
		return false;
	clear_pending(t);
	t->call = name;
	switch (h->h) {
	case H_OPEN:
		t->modes = open_modes(a[h->path + 1]);
		t->arg = a[h->path + 1];
		if ((a[h->path + 1] & O_CREAT) && (r->obs->root || r->judge)) {
			_cleanup_free_ char *p = peek_str(t->tid, a[h->path]);
			_cleanup_free_ char *full = p ? resolve(t->tid,
				h->dirfd < 0 ? -1 :
				(int64_t)(int32_t)a[h->dirfd], p) : NULL;
			struct stat st;

			t->creates = full && lstat(full, &st) < 0;
		}
		break;
	case H_OPENAT2: {
		uint64_t flags = 0;

		if (peek(t->tid, a[2], &flags, sizeof(flags)) !=
		    sizeof(flags))
			return false;
		t->modes = open_modes(flags);
		t->arg = flags;
		break;
	}
	case H_CREAT:
		t->modes = RP_WRITE;
		t->arg = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case H_EXEC: {
		_cleanup_free_ char *p = peek_str(t->tid, a[h->path]);

		if (p && *p)
			t->p1 = resolve(t->tid, h->dirfd < 0 ? -1 :
					(int64_t)(int32_t)a[h->dirfd], p);
		else if (h->dirfd >= 0) {	/* AT_EMPTY_PATH: the fd */
			_cleanup_free_ char *l = xasprintf("/proc/%d/fd/%d",
							   t->tid,
							   (int)a[h->dirfd]);
			t->p1 = read_link(l);
		}
		break;
	}
	case H_WPATH:
	case H_WPATH2:
	case H_TRUNC: {
		_cleanup_free_ char *p = peek_str(t->tid, a[h->path]);

		if (!strncmp(name, "mknod", 5))
			t->arg = a[h->path + 1];
		else if (!strcmp(name, "unlinkat"))
			t->arg = a[2];

		t->p1 = resolve(t->tid, h->dirfd < 0 ? -1 :
				(int64_t)(int32_t)a[h->dirfd], p);
		if (h->h == H_WPATH2) {
			_cleanup_free_ char *q = peek_str(t->tid, a[h->path2]);

			t->p2 = resolve(t->tid, h->dirfd2 < 0 ? -1 :
					(int64_t)(int32_t)a[h->dirfd2], q);
		}
		break;
	}
	case H_SOCKET:
		/* Complain mode: the judge keeps the families the network
		 * section refuses; a seccomp rule's denial is the call's. */
		if (denied && !r->judge)
			obs_value(r->obs, &r->obs->sockets,
				  (a[0] & 0xffff) << 8 | (a[1] & 0xf));
		if (r->obs->root && ((a[1] & 0xf) == SOCK_RAW ||
				     (a[0] & 0xffff) == AF_PACKET)) {
			char why[64];

			snprintf(why, sizeof(why), "%s(%d, %d)", name,
				 (int)a[0], (int)a[1]);
			obs_cap(r->obs, 13, why);	/* NET_RAW */
		}
		return false;
	case H_BIND:
	case H_CONNECT:
		sockaddr_seen(r, t->tid, a, h->h == H_BIND);
		return false;
	default:
		cap_seen(r, h, name, a, arch);
		return false;
	}
	t->pending = h->h;
	return true;
}

/* The exit stop of a call on_entry() asked for: the paths it used, if
 * it succeeded. */
static void on_exit_stop(struct rec *r, struct tracee *t,
			 const struct __ptrace_syscall_info *si)
{
	bool ok = si->op == PTRACE_SYSCALL_INFO_EXIT && !si->exit.is_error;
	bool dir = false;
	char *p;

	if (ok) {
		switch (t->pending) {
		case H_OPEN:
		case H_OPENAT2:
		case H_CREAT:
			if (!t->modes)
				break;
			p = fd_path(t->tid, si->exit.rval, &dir);
			if (p) {
				uint64_t acc = 0;

				if (t->modes & RP_READ)
					acc |= dir ? LL_FS_READ_DIR :
					       LL_FS_READ_FILE;
				if ((t->arg & O_ACCMODE) != O_RDONLY)
					acc |= LL_FS_WRITE_FILE;
				if (t->arg & O_TRUNC)
					acc |= LL_FS_TRUNCATE;
				if (t->creates)
					acc |= LL_FS_MAKE_REG;
				path_seen(r, t->tid, t->call, p,
					  t->modes | (dir ? RP_DIR : 0), acc);
				dac_check(r->obs, p, t->modes);
				if (t->creates)
					dac_dir_check(r->obs, p);
			}
			free(p);
			break;
		case H_EXEC:
			if (t->p1)
				path_seen(r, t->tid, t->call, t->p1, RP_EXEC,
					  LL_FS_EXECUTE);
			break;
		case H_WPATH:
		case H_WPATH2:
		case H_TRUNC: {
			struct stat st;
			bool isdir = t->p2 && lstat(t->p2, &st) == 0 &&
				     S_ISDIR(st.st_mode);
			uint64_t refer = t->p2 && t->p1 &&
					 !same_dir(t->p1, t->p2) ?
					 LL_FS_REFER : 0;

			if (t->p1) {
				path_seen(r, t->tid, t->call, t->p1, RP_WRITE,
					  t->pending == H_TRUNC ?
					  LL_FS_TRUNCATE :
					  dir_rights(t->call, t->arg, true,
						     isdir) | refer);
				if (t->pending != H_TRUNC)
					dac_dir_check(r->obs, t->p1);
			}
			if (t->p2) {
				path_seen(r, t->tid, t->call, t->p2, RP_WRITE,
					  dir_rights(t->call, t->arg, false,
						     isdir) | refer);
				dac_dir_check(r->obs, t->p2);
			}
			break;
		}
		default:
			break;
		}
	}
	clear_pending(t);
}

/* ---- running the command ------------------------------------------------ */

/* The command as a shell finds it: a name with a slash as it is, else
 * the first executable regular file of that name in PATH. */
static char *find_command(const char *cmd)
{
	const char *path = getenv("PATH");
	_cleanup_free_ char *copy = NULL;
	char *dir, *save = NULL;

	if (strchr(cmd, '/'))
		return xstrdup(cmd);
	copy = xstrdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
	for (dir = strtok_r(copy, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		char *full = xasprintf("%s/%s", *dir ? dir : ".", cmd);
		struct stat st;

		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(full, X_OK) == 0)
			return full;
		free(full);
	}
	return NULL;
}

/* What the child reports through the pipe when it cannot exec. */
struct child_err {
	int stage;	/* 0 exec, 1 ptrace, 2 seccomp */
	int err;
};

static LEASH_NORETURN void child(int fd, const char *path, char **argv,
				  bool filter)
{
	struct sock_filter insn[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
	};
	struct sock_fprog prog = { ARRAY_SIZE(insn), insn };
	struct child_err e = { 1, 0 };
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
		goto fail;
	raise(SIGSTOP);		/* the recorder sets its options */
	e.stage = 2;
	if (filter && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		/* Without CAP_SYS_ADMIN the kernel takes a filter only
		 * under no_new_privs. */
		if (errno != EACCES ||
		    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
			    &prog) < 0)
			goto fail;
	}
	execve(path, argv, environ);
	e.stage = 0;
fail:
	e.err = errno;
	if (write(fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

static int shell_status(int st)
{
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

/* --verify's second run: every call stops at its entry and exit. */
static bool step_all;

static void cont(pid_t tid, enum __ptrace_request how, int sig)
{
	if (step_all && how == PTRACE_CONT)
		how = PTRACE_SYSCALL;
	/* ESRCH: it died meanwhile (killed); its exit is reported next. */
	ptrace(how, tid, 0, (void *)(uintptr_t)sig);
}

static void tick(struct rec_obs *obs, rec_flush_fn flush, void *arg)
{
	tick_due = 0;
	if (obs->dirty && flush) {
		obs->dirty = false;
		flush(obs, arg);
	}
}

static void handlers(bool on)
{
	struct sigaction sa = { 0 };
	struct itimerval it = { 0 };
	static const int fwd[] = { SIGTERM, SIGHUP };
	size_t i;

	sigemptyset(&sa.sa_mask);
	/* SIGINT and SIGQUIT come from the terminal to the whole process
	 * group, the program included: like a shell waiting for its
	 * foreground job, the recorder outlives them and writes what the
	 * program did until it died.  SIGTERM and SIGHUP sent to the
	 * recorder alone go on to the program. */
	sa.sa_handler = on ? SIG_IGN : SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sa.sa_handler = on ? on_term : SIG_DFL;
	for (i = 0; i < ARRAY_SIZE(fwd); i++)
		sigaction(fwd[i], &sa, NULL);
	/* No SA_RESTART: the alarm interrupts waitpid() to write. */
	sa.sa_handler = on ? on_alarm : SIG_DFL;
	sigaction(SIGALRM, &sa, NULL);
	if (on) {
		it.it_interval.tv_usec = REC_FLUSH_MS * 1000;
		it.it_value = it.it_interval;
	}
	setitimer(ITIMER_REAL, &it, NULL);
}

/* Whether @t runs leash-exec or leash, not the program (--verify). */
static bool is_shim(const struct rec *r, struct tracee *t)
{
	if (!t->shim_known) {
		_cleanup_free_ char *l = xasprintf("/proc/%d/exe", t->tid);
		_cleanup_free_ char *exe = read_link(l);
		_cleanup_free_ char *self = read_link("/proc/self/exe");

		t->shim = !exe || (r->v->shim && !strcmp(exe, r->v->shim)) ||
			  (self && !strcmp(exe, self));
		t->shim_known = true;
	}
	return t->shim;
}

/* --verify's second run, a call's entry: its key, if the program's. */
static void verify_entry(struct rec *r, struct tracee *t,
			 const struct __ptrace_syscall_info *si)
{
	free(t->key);
	t->key = NULL;
	if (!r->v || !r->v->verifying || is_shim(r, t))
		return;
	t->v_arch = arch_of(si->arch, si->entry.nr);
	t->v_nr = (int64_t)si->entry.nr;
	memcpy(t->v_args, si->entry.args, sizeof(t->v_args));
	t->key = call_key(t->tid, t->v_arch, t->v_nr, t->v_args);
}

/* A call's exit: recording, keep what succeeded; verifying, report
 * what fails now with EPERM or EACCES and succeeded then. */
static void verify_exit(struct rec *r, struct tracee *t,
			const struct __ptrace_syscall_info *si)
{
	if (!r->v->verifying) {
		if (si->op == PTRACE_SYSCALL_INFO_EXIT && !si->exit.is_error)
			keys_add(r->v->ok, t->key);
	} else if (si->op == PTRACE_SYSCALL_INFO_EXIT && si->exit.is_error &&
		   (si->exit.rval == -EPERM || si->exit.rval == -EACCES) &&
		   keys_has(r->v->ok, t->key)) {
		r->v->failed(r->v->arg, t->tid, t->v_arch, t->v_nr, t->v_args,
			     t->key, (int)-si->exit.rval);
	}
	free(t->key);
	t->key = NULL;
}

static int trace_loop(struct rec *r, pid_t main_pid, rec_flush_fn flush,
		      void *arg, int *main_status)
{
	struct __ptrace_syscall_info si;
	bool main_done = false;
	int st;

	for (;;) {
		pid_t pid;
		struct tracee *t;
		int sig, ev;

		if (forward_sig && !main_done) {
			kill(main_pid, forward_sig);
			forward_sig = 0;
		}
		if (tick_due)
			tick(r->obs, flush, arg);
		pid = waitpid(-1, &st, __WALL);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;	/* ECHILD: every tracee is gone */
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (pid == main_pid) {
				*main_status = st;
				main_done = true;
			}
			forget(r, pid);
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		t = find(r, pid, true);
		sig = WSTOPSIG(st);
		ev = st >> 16;
		if (ev == PTRACE_EVENT_SECCOMP) {
			bool want;

			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(si),
				   &si) <= 0) {
				if (errno == EIO || errno == EINVAL)
					return -ENOSYS;
				cont(pid, PTRACE_CONT, 0);
				continue;
			}
			want = on_entry(r, t, &si);
			/* --verify's recording: which calls succeed. */
			if (r->v) {
				free(t->key);
				t->key = call_key(pid, arch_of(si.arch,
							       si.seccomp.nr),
						  (int64_t)si.seccomp.nr,
						  si.seccomp.args);
				want = true;
			}
			cont(pid, want ? PTRACE_SYSCALL : PTRACE_CONT, 0);
		} else if (sig == (SIGTRAP | 0x80)) {
			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(si),
				   &si) <= 0) {
				clear_pending(t);
			} else if (si.op == PTRACE_SYSCALL_INFO_ENTRY) {
				verify_entry(r, t, &si);
			} else {
				if (r->v && t->key)
					verify_exit(r, t, &si);
				on_exit_stop(r, t, &si);
			}
			cont(pid, PTRACE_CONT, 0);
		} else if (ev == PTRACE_EVENT_EXEC) {
			unsigned long former = 0;
			struct tracee *old;
			_cleanup_free_ char *lnk =
				xasprintf("/proc/%d/exe", pid);
			_cleanup_free_ char *exe = read_link(lnk);

			/* A thread other than the leader exec'd: the
			 * process goes on under the leader's id. */
			ptrace(PTRACE_GETEVENTMSG, pid, 0, &former);
			old = (pid_t)former != pid ?
			      find(r, (pid_t)former, false) : NULL;
			if (old) {
				clear_pending(t);
				t->pending = old->pending;
				t->p1 = TAKE_PTR(old->p1);
				t->p2 = TAKE_PTR(old->p2);
				old->pending = H_NONE;
				forget(r, (pid_t)former);
				t = find(r, pid, true);
			}
			t->shim_known = false;	/* --verify: a new image */
			/* The interpreter of a script is executed too.
			 * Complain mode judges only the execs it saw
			 * start (not leash-exec's own). */
			if (exe && r->judge) {
				_cleanup_free_ char *in = elf_interp(exe);

				if (t->pending == H_EXEC) {
					path_seen(r, pid, "execve", exe,
						  RP_EXEC, LL_FS_EXECUTE);
					if (in)
						path_seen(r, pid, "execve", in,
							  RP_EXEC,
							  LL_FS_EXECUTE);
				}
			} else if (exe) {
				_cleanup_free_ char *in = elf_interp(exe);

				obs_path(r->obs, exe, RP_EXEC);
				if (in)
					obs_path(r->obs, in, RP_EXEC);
			}
			cont(pid, t->pending ? PTRACE_SYSCALL : PTRACE_CONT, 0);
		} else if (ev == PTRACE_EVENT_CLONE || ev == PTRACE_EVENT_FORK ||
			   ev == PTRACE_EVENT_VFORK) {
			cont(pid, PTRACE_CONT, 0);
		} else if (sig == SIGSTOP && !t->started) {
			/* A new tracee's first stop, from the kernel. */
			t->started = true;
			cont(pid, PTRACE_CONT, 0);
		} else {
			siginfo_t info;

			t->started = true;
			/* A group-stop (EINVAL) is not a signal to pass on. */
			if (ptrace(PTRACE_GETSIGINFO, pid, 0, &info) < 0)
				sig = 0;
			/* Keep the exit stop of a call the signal broke
			 * into (an open of a FIFO). */
			cont(pid, t->pending ? PTRACE_SYSCALL : PTRACE_CONT,
			     sig);
		}
	}
	return main_done ? 0 : -ECHILD;
}

static int run(char **argv, const struct rec_judge *judge,
	       const struct rec_verify *v, struct rec_obs *obs,
	       rec_flush_fn flush, void *arg, bool *ran);

int rec_trace(char **argv, struct rec_obs *obs, rec_flush_fn flush,
	      void *arg, bool *ran)
{
	return run(argv, NULL, NULL, obs, flush, arg, ran);
}

int rec_trace_judged(char **argv, const struct rec_judge *judge,
		     struct rec_obs *obs, rec_flush_fn flush, void *arg,
		     bool *ran)
{
	return run(argv, judge, NULL, obs, flush, arg, ran);
}

int rec_trace_verify(char **argv, const struct rec_verify *v,
		     struct rec_obs *obs, rec_flush_fn flush, void *arg,
		     bool *ran)
{
	int rc;

	step_all = v->verifying;
	rc = run(argv, NULL, v, obs, flush, arg, ran);
	step_all = false;
	return rc;
}

static int run(char **argv, const struct rec_judge *judge,
	       const struct rec_verify *v, struct rec_obs *obs,
	       rec_flush_fn flush, void *arg, bool *ran)
{
	struct rec r = { .obs = obs, .judge = judge, .v = v };
	char **exec = judge ? judge->exec : v && v->verifying ? v->exec :
		      NULL;
	_cleanup_free_ char *path = exec ? xstrdup(exec[0]) :
					    find_command(argv[0]);
	struct child_err e;
	int fds[2], st = 0, rc;
	pid_t pid;
	size_t i;

	*ran = false;
	if (!path) {
		fprintf(stderr, "leash record: %s: command not found\n",
			argv[0]);
		return 127;
	}
	if (pipe2(fds, O_CLOEXEC) < 0) {
		fprintf(stderr, "leash record: pipe: %s\n", strerror(errno));
		return -1;
	}
	/* Complain mode infers no capability: the policy gives them. */
	obs->root = !exec && geteuid() == 0;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "leash record: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0)
		child(fds[1], path, exec ? exec : argv, !exec);
	close(fds[1]);
	r.t = NULL;
	find(&r, pid, true)->started = true;
	if (waitpid(pid, &st, __WALL) != pid || !WIFSTOPPED(st)) {
		rc = -1;
		goto child_err;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, 0,
		   PTRACE_O_TRACESECCOMP | PTRACE_O_TRACECLONE |
		   PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
		   PTRACE_O_TRACEEXEC | PTRACE_O_TRACESYSGOOD |
		   PTRACE_O_EXITKILL) < 0) {
		fprintf(stderr, "leash record: this kernel cannot trace "
			"seccomp stops (PTRACE_O_TRACESECCOMP, "
			"PTRACE_O_EXITKILL: Linux 3.8): %s\n",
			strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, &st, __WALL);
		rc = -1;
		goto out;
	}
	handlers(true);
	cont(pid, PTRACE_CONT, 0);
	rc = trace_loop(&r, pid, flush, arg, &st);
	handlers(false);
	if (rc == -ENOSYS) {
		fprintf(stderr, "leash record: this kernel has no "
			"PTRACE_GET_SYSCALL_INFO (Linux 5.3): cannot tell "
			"a call's arch and arguments\n");
		kill(pid, SIGKILL);
		while (waitpid(-1, &st, __WALL) > 0)
			;
		rc = -1;
		goto out;
	}
child_err:
	if (read(fds[0], &e, sizeof(e)) == sizeof(e)) {
		if (e.stage == 0) {
			fprintf(stderr, "leash record: %s: %s\n", path,
				strerror(e.err));
			rc = e.err == ENOENT ? 127 : 126;
		} else {
			fprintf(stderr, "leash record: %s: %s\n",
				e.stage == 1 ? "cannot trace the command "
				"(ptrace)" : "this kernel refuses a seccomp "
				"filter", strerror(e.err));
			rc = -1;
		}
		goto out;
	}
	if (rc < 0) {
		fprintf(stderr, "leash record: lost the command\n");
		goto out;
	}
	*ran = true;
	rc = shell_status(st);
out:
	close(fds[0]);
	for (i = 0; i < r.n; i++) {
		clear_pending(&r.t[i]);
		free(r.t[i].key);
	}
	free(r.t);
	for (i = 0; i < ARCH_COUNT; i++)
		free(r.hcache[i]);
	return rc;
}
