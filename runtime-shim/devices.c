/* SPDX-License-Identifier: MIT */
/*
 * devices.c - the device cgroup of a program that may be host root: it
 * may open only the devices of its minimal /dev (mounts.c), as runc
 * allows a container's.
 *
 * The mount tree already keeps every other device node out of reach: a
 * new /dev whose only nodes are binds of the host's allowed ones, and
 * nodev on every other mount, so a node the program finds or makes
 * (CAP_MKNOD) opens nothing.  Only a new mount without nodev, or a
 * remount, gets past that, and both need CAP_SYS_ADMIN: a program that
 * keeps it gets the kernel's second line, as runc gives every
 * container.  Not the others: on cgroup v1 the move into a new cgroup
 * waits for an RCU grace period (15 ms here), the whole cost of a start.
 * cgroup v1 has a devices controller whose lists we write; cgroup v2
 * has none, and checks a BPF program attached to the cgroup instead
 * (BPF_PROG_TYPE_CGROUP_DEVICE, Linux 4.15).
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Character devices only; minor -1: any. */
static const struct {
	unsigned major;
	int minor;
	const char *name;
} allowed[] = {
	{ 1, 3, "null" }, { 1, 5, "zero" }, { 1, 7, "full" },
	{ 1, 8, "random" }, { 1, 9, "urandom" }, { 5, 0, "tty" },
	{ 5, 2, "ptmx" }, { 136, -1, "pts" },
};

#define N_ALLOWED (sizeof(allowed) / sizeof(allowed[0]))

static void dev_write(const char *dir, const char *file, const char *text)
{
	char path[2200];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die_errno("devices", "writing '%s' to %s", text, path);
	close(fd);
}

/* cgroup v1: deny everything, then allow the list (read, write, mknod
 * of the nodes the new /dev binds). */
static void devices_v1(const char *dir)
{
	char rule[32];
	size_t i;

	dev_write(dir, "devices.deny", "a");
	for (i = 0; i < N_ALLOWED; i++) {
		if (allowed[i].minor < 0)
			snprintf(rule, sizeof(rule), "c %u:* rwm",
				 allowed[i].major);
		else
			snprintf(rule, sizeof(rule), "c %u:%d rwm",
				 allowed[i].major, allowed[i].minor);
		dev_write(dir, "devices.allow", rule);
	}
}

#define INSN(c, d, s, o, i) ((struct bpf_insn){ (c), (d), (s), (o), (i) })

/*
 * cgroup v2: a device program.  Its context is struct bpf_cgroup_dev_ctx
 * (access_type: type in the low 16 bits; major; minor); it returns 1 to
 * allow.  Built here, as a few compares, rather than shipped: the list
 * above is the one the mount tree binds.
 */
static int devices_prog(void)
{
	struct bpf_insn p[9 + 3 * N_ALLOWED];
	union bpf_attr attr;
	int n = 0, fd;
	size_t i;

	/* r2 = type, r3 = major, r4 = minor */
	p[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 2, 1, 0, 0);
	p[n++] = INSN(BPF_ALU64 | BPF_AND | BPF_K, 2, 0, 0, 0xffff);
	p[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 3, 1, 4, 0);
	p[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 4, 1, 8, 0);
	/* Not a character device: to the deny at the end. */
	p[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 2, 0,
		      (short)(3 * N_ALLOWED), BPF_DEVCG_DEV_CHAR);
	for (i = 0; i < N_ALLOWED; i++) {
		/* Past the rest of this rule when the major differs. */
		p[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 3, 0, 2,
			      (int)allowed[i].major);
		if (allowed[i].minor < 0)
			p[n++] = INSN(BPF_JMP | BPF_JA, 0, 0, 0, 0);
		else
			p[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 4, 0, 1,
				      allowed[i].minor);
		/* To the allow after the deny. */
		p[n++] = INSN(BPF_JMP | BPF_JA, 0, 0,
			      (short)(3 * (N_ALLOWED - 1 - i) + 2), 0);
	}
	p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	p[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
	p[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)p;
	attr.insn_cnt = (uint32_t)n;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	/* No verifier log: a program this small passes or the kernel
	 * lacks the program type, which errno says. */
	fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		die_errno("devices", "loading the device program");
	return fd;
}

static void devices_v2(const char *dir)
{
	union bpf_attr attr;
	int cg, prog;

	cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0)
		die_errno("devices", "%s", dir);
	prog = devices_prog();
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cg;
	attr.attach_bpf_fd = (uint32_t)prog;
	attr.attach_type = BPF_CGROUP_DEVICE;
	if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof(attr)) < 0)
		die_errno("devices", "attaching the device program to %s",
			  dir);
	close(prog);
	close(cg);
}

bool devices_needed(const struct plan *p)
{
	return p->host_root &&
	       (p->b->caps[LB_CAP_BOUNDING] & (1ULL << 21 /* SYS_ADMIN */));
}

void devices_apply(const struct cg_dir *d)
{
	if (d->v2)
		devices_v2(d->path);
	else
		devices_v1(d->path);
}
