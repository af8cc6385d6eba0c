/* What the programs need to know of the CPU architecture, in one place: syscall numbers, where a
 * syscall's number and arguments lie in the saved user registers (struct pt_regs), the code segment
 * of a user frame, and the registers Go's ABI uses.  x86-64 is the one built and tested; the arm64
 * column is written from the kernel's tables (include/uapi/asm-generic/unistd.h,
 * arch/arm64/include/asm/ptrace.h) and has never run: docs/reference.md §2.10 says what remains.
 *
 * Userspace keeps its own per-architecture numbers (bpf() and perf_event_open(): otel_ebpf/kernel/bpf.py,
 * otel_ebpf/kernel/uprobes.py).
 */
#ifndef OTEL_EBPF_ARCH_H
#define OTEL_EBPF_ARCH_H

#ifndef __TARGET_ARCH_arm64 /* bcc defines __TARGET_ARCH_<arch> for the machine it runs on */

#define NR_READ 0
#define NR_WRITE 1
#define NR_CLOSE 3
#define NR_READV 19
#define NR_WRITEV 20
#define NR_DUP2 33
#define NR_SENDFILE 40
#define NR_SENDTO 44
#define NR_RECVFROM 45
#define NR_SENDMSG 46
#define NR_RECVMSG 47
#define NR_EXIT 60
#define NR_EXIT_GROUP 231
#define NR_SPLICE 275
#define NR_DUP3 292
#define NR_CLOSE_RANGE 436

/* A syscall as its saved user registers tell it: its number and first three arguments. */
struct syscall_frame {
    __u64 arg1, arg2, arg3;
    __u64 nr;
};

/* x86-64: rdx, rsi, rdi, orig_ax, ip, cs are adjacent in struct pt_regs: one read takes them.  Returns
 * 0 unless it is a 64-bit user frame (cs: a kernel thread's or io_uring worker's frame is zeroed;
 * a 32-bit task's is 0x23 and its syscall numbers are others). */
static __always_inline int load_syscall_frame(struct pt_regs *regs, struct syscall_frame *f) {
    struct { __u64 dx, si, di, orig_ax, ip, cs; } raw = {};
    bpf_probe_read_kernel(&raw, sizeof(raw), &regs->dx);
    f->arg1 = raw.di;
    f->arg2 = raw.si;
    f->arg3 = raw.dx;
    f->nr = raw.orig_ax;
    return raw.cs == 0x33; /* __USER_CS */
}
#define SYSCALL_NR_PTR(regs) (&(regs)->orig_ax)
#define SYSCALL_ARG4_PTR(regs) (&(regs)->r10) /* the syscall ABI's 4th argument (not rcx) */

/* The saved user registers of a task whose kernel stack ends at `top` (task_pt_regs()): right below
 * it, or 16 bytes lower on kernels built with FRED (6.9+, TOP_OF_KERNEL_STACK_PADDING), told apart
 * by the user frame's code segment. */
static __always_inline struct pt_regs *user_regs_below(__u64 top) {
    struct pt_regs *regs = (struct pt_regs *)top - 1;
    __u64 cs = 0;
    bpf_probe_read_kernel(&cs, sizeof(cs), &regs->cs);
    if (cs != 0x33)
        regs = (struct pt_regs *)(top - 16) - 1;
    return regs;
}
/* Go's register ABI (>= 1.17): the current goroutine, the receiver and first argument, result. */
#define GO_G(regs) ((regs)->r14)
#define GO_PARAM1(regs) ((regs)->ax)
#define GO_PARAM2(regs) ((regs)->bx)
#define GO_RET1(regs) ((regs)->ax)

#else /* arm64 */

#define NR_READ 63
#define NR_WRITE 64
#define NR_CLOSE 57
#define NR_READV 65
#define NR_WRITEV 66
#define NR_DUP2 (-1) /* none: dup3 only */
#define NR_SENDFILE 71
#define NR_SENDTO 206
#define NR_RECVFROM 207
#define NR_SENDMSG 211
#define NR_RECVMSG 212
#define NR_EXIT 93
#define NR_EXIT_GROUP 94
#define NR_SPLICE 76
#define NR_DUP3 24
#define NR_CLOSE_RANGE 436

struct syscall_frame {
    __u64 arg1, arg2, arg3;
    __u64 nr;
};

/* arm64's struct pt_regs: regs[31], sp, pc, pstate, orig_x0, syscallno.  x0 is overwritten by the
 * return value: the first argument is orig_x0.  A user frame runs at EL0 (pstate's mode bits 0). */
static __always_inline int load_syscall_frame(struct pt_regs *regs, struct syscall_frame *f) {
    struct user_pt_regs *u = (struct user_pt_regs *)regs;
    __u64 pstate = 0;
    bpf_probe_read_kernel(&f->arg2, 16, &u->regs[1]); /* arg2, arg3 */
    bpf_probe_read_kernel(&f->arg1, 8, &regs->orig_x0);
    bpf_probe_read_kernel(&f->nr, 8, &regs->syscallno);
    bpf_probe_read_kernel(&pstate, 8, &u->pstate);
    return (pstate & 0xf) == 0 && !(pstate & 0x10); /* EL0t, AArch64 */
}
#define SYSCALL_NR_PTR(regs) (&(regs)->syscallno)
#define SYSCALL_ARG4_PTR(regs) (&((struct user_pt_regs *)(regs))->regs[3])
static __always_inline struct pt_regs *user_regs_below(__u64 top) {
    return (struct pt_regs *)top - 1; /* no padding on arm64 */
}
/* Go's arm64 register ABI: g in R28, arguments and results from R0. */
#define GO_G(regs) (((struct user_pt_regs *)(regs))->regs[28])
#define GO_PARAM1(regs) (((struct user_pt_regs *)(regs))->regs[0])
#define GO_PARAM2(regs) (((struct user_pt_regs *)(regs))->regs[1])
#define GO_RET1(regs) (((struct user_pt_regs *)(regs))->regs[0])

#endif

#endif
