/* Capture of TCP socket payloads for HTTP/1.x, from syscall and socket tracepoints only.
 *
 * No kprobes and no fentry: they are not available on every kernel (and not on ours).
 * How a syscall is followed:
 *
 *   sys_enter_<read|write|...>   remember the user buffer in `active_calls` (per thread)
 *   sock:sock_{recv,send}_length fires only when the fd is a socket: it hands us the
 *                                 `struct sock *`, so files, pipes and unix sockets are
 *                                 filtered out in the kernel without reading any kernel struct
 *   sys_exit_<...>               if a TCP socket was involved, copy the first CAPTURE_BYTES
 *                                 of the payload and send one event through the ring buffer
 *
 * Addresses come from sock:inet_sock_set_state (stable tracepoint fields), stored per
 * `struct sock *` when a connection is established.
 *
 * Build options (-D flags from the loader): CAPTURE_BYTES, CAPTURE_POW2 (a power of two
 * >= CAPTURE_BYTES), RINGBUF_PAGES, MAX_CONNECTIONS, MAX_THREADS, SELF_PID, and the optional
 * filters FILTER_PIDS, FILTER_COMMS, FILTER_PORTS (their maps are filled by userspace).
 */
#include <uapi/linux/ptrace.h>
#include <linux/uio.h>
#include <linux/socket.h>
#include "http_events.h"

#ifndef CAPTURE_BYTES
#define CAPTURE_BYTES 1024
#endif
#ifndef CAPTURE_POW2
#define CAPTURE_POW2 1024
#endif
#ifndef RINGBUF_PAGES
#define RINGBUF_PAGES 2048
#endif
#ifndef MAX_CONNECTIONS
#define MAX_CONNECTIONS 65536
#endif
#ifndef MAX_THREADS
#define MAX_THREADS 16384
#endif
#ifndef SELF_PID
#define SELF_PID 0
#endif
#ifndef READ_CHUNKS
#define READ_CHUNKS 4 /* a large read is shipped as up to this many CAPTURE_BYTES pieces */
#endif
#define MAX_IOV 8

#define AF_INET_ 2
#define AF_INET6_ 10
#define IPPROTO_TCP_ 6
#define TCP_ESTABLISHED_ 1
#define TCP_SYN_SENT_ 2
#define TCP_SYN_RECV_ 3
#define TCP_CLOSE_ 7

/* How the user buffer of a syscall is described. */
#define BUF_PLAIN 0  /* read/write/sendto/recvfrom: one buffer */
#define BUF_IOV 1    /* readv/writev: an iovec array */
#define BUF_MSG 2    /* sendmsg/recvmsg: a msghdr holding an iovec array */
#define BUF_NONE 3   /* sendfile: no payload, only the byte count */

struct active_call {
    __u64 buf;      /* user pointer: buffer, iovec array or msghdr */
    __u64 ts_enter;
    __u64 sk;       /* set by sock_*_length when the fd is a TCP socket */
    __s32 fd;
    __u32 iovcnt;
    __u8 kind;      /* BUF_* */
    __u8 direction;
    __u8 pad[6];
};

struct conn_info {
    __u64 sk;
    __u8 role;
    __u8 pad[7];
};

struct addr_info {
    __u16 family;
    __u16 local_port;
    __u16 peer_port;
    __u16 pad;
    __u8 local_addr[16];
    __u8 peer_addr[16];
};

struct scratch_event {
    struct event_header hdr;
    __u8 data[CAPTURE_POW2 * 2]; /* twice the size so the verifier can bound offset + length */
};

BPF_RINGBUF_OUTPUT(events, RINGBUF_PAGES);
BPF_HASH(active_calls, __u64, struct active_call, MAX_THREADS);
BPF_HASH(conns, __u64, struct conn_info, MAX_CONNECTIONS);       /* (tgid << 32 | fd) -> role */
BPF_HASH(sock_addrs, __u64, struct addr_info, MAX_CONNECTIONS);  /* struct sock * -> addresses */
BPF_HASH(pending_connect, __u64, __s32, MAX_THREADS);            /* pid_tgid -> fd */
BPF_PERCPU_ARRAY(stats, __u64, STAT_COUNT);
BPF_PERCPU_ARRAY(scratch, struct scratch_event, 1);
#ifdef FILTER_PIDS
BPF_HASH(filter_pids, __u32, __u8, 1024);
#endif
#ifdef FILTER_COMMS
struct comm_key { char comm[16]; };
BPF_HASH(filter_comms, struct comm_key, __u8, 64);
#endif
#ifdef FILTER_PORTS
BPF_HASH(filter_ports, __u16, __u8, 256);
#endif

static __always_inline void count(int index) {
    __u64 *value = stats.lookup(&index);
    if (value)
        *value += 1;
}

/* Whether this process is one the user wants to observe. */
static __always_inline int process_wanted(__u32 tgid) {
    if (tgid == SELF_PID)
        return 0;
#ifdef FILTER_PIDS
    if (!filter_pids.lookup(&tgid))
        return 0;
#endif
#ifdef FILTER_COMMS
    struct comm_key key = {};
    bpf_get_current_comm(&key.comm, sizeof(key.comm));
    if (!filter_comms.lookup(&key))
        return 0;
#endif
    return 1;
}

static __always_inline void enter_call(__s32 fd, __u64 buf, __u32 iovcnt, __u8 kind, __u8 direction) {
    __u64 id = bpf_get_current_pid_tgid();
    if (!process_wanted(id >> 32))
        return;
    struct active_call call = {};
    call.buf = buf;
    call.ts_enter = bpf_ktime_get_ns();
    call.fd = fd;
    call.iovcnt = iovcnt;
    call.kind = kind;
    call.direction = direction;
    if (active_calls.update(&id, &call) != 0)
        count(STAT_ACTIVE_MAP_FULL);
}

/* sock:sock_{send,recv}_length: the fd of the current call is a socket. Keep TCP only. */
static __always_inline void mark_socket(__u64 sk, __u16 family, __u16 protocol) {
    if (protocol != IPPROTO_TCP_ || (family != AF_INET_ && family != AF_INET6_))
        return;
    __u64 id = bpf_get_current_pid_tgid();
    struct active_call *call = active_calls.lookup(&id);
    if (call)
        call->sk = sk;
}

/* Copies up to `want` bytes described by the call into s->data; returns the bytes copied. */
static __always_inline __u32 copy_payload(struct scratch_event *s, struct active_call *call, __u32 want) {
    if (call->kind == BUF_PLAIN) {
        if (want > CAPTURE_POW2)
            want = CAPTURE_POW2;
        bpf_probe_read_user(s->data, want, (void *)call->buf);
        return want;
    }
    if (call->kind == BUF_NONE)
        return 0;

    struct iovec *vec = (struct iovec *)call->buf;
    __u32 iovcnt = call->iovcnt;
    if (call->kind == BUF_MSG) {
        struct user_msghdr msg = {};
        bpf_probe_read_user(&msg, sizeof(msg), (void *)call->buf);
        vec = msg.msg_iov;
        iovcnt = msg.msg_iovlen;
    }
    __u32 copied = 0;
#pragma unroll
    for (int i = 0; i < MAX_IOV; i++) {
        if (i >= iovcnt || copied >= want)
            break;
        struct iovec iov = {};
        bpf_probe_read_user(&iov, sizeof(iov), &vec[i]);
        __u64 n = iov.iov_len;
        if (n > want - copied)
            n = want - copied;
        if (n > CAPTURE_POW2)
            n = CAPTURE_POW2;
        __u32 offset = copied & (CAPTURE_POW2 - 1);
        bpf_probe_read_user(&s->data[offset], n, iov.iov_base);
        copied += n;
    }
    return copied;
}

static __always_inline void fill_addresses(struct event_header *hdr, __u64 sk) {
    struct addr_info *addr = sock_addrs.lookup(&sk);
    if (!addr) {
        hdr->family = 0; /* userspace resolves it from /proc (connections older than the agent) */
        return;
    }
    hdr->family = addr->family;
    hdr->local_port = addr->local_port;
    hdr->peer_port = addr->peer_port;
    __builtin_memcpy(hdr->local_addr, addr->local_addr, 16);
    __builtin_memcpy(hdr->peer_addr, addr->peer_addr, 16);
}

/* The role the process plays on this connection; tracks the fd -> socket binding. */
static __always_inline __u8 connection_role(__u64 pid_tgid, __s32 fd, __u64 sk) {
    __u64 key = (pid_tgid & 0xffffffff00000000ULL) | (__u32)fd;
    struct conn_info *conn = conns.lookup(&key);
    if (conn) {
        if (conn->sk == sk)
            return conn->role;
        if (conn->sk == 0) { /* accept/connect saw the fd before any data */
            conn->sk = sk;
            return conn->role;
        }
        /* The fd now names another socket (its close was not seen): start over. */
        conn->sk = sk;
        conn->role = ROLE_UNKNOWN;
        return ROLE_UNKNOWN;
    }
    struct conn_info fresh = {};
    fresh.sk = sk;
    fresh.role = ROLE_UNKNOWN;
    if (conns.update(&key, &fresh) != 0)
        count(STAT_CONN_MAP_FULL);
    return ROLE_UNKNOWN;
}

static __always_inline int send_event(struct scratch_event *s, __u32 captured) {
    count(STAT_EVENTS);
    __u32 size = sizeof(struct event_header) + (captured & (CAPTURE_POW2 * 2 - 1));
    if (events.ringbuf_output(s, size, BPF_RB_NO_WAKEUP) != 0) {
        count(STAT_RINGBUF_FULL);
        return -1;
    }
    return 0;
}

static __always_inline void exit_call(long ret) {
    __u64 id = bpf_get_current_pid_tgid();
    struct active_call *call = active_calls.lookup(&id);
    if (!call)
        return;
    __u64 sk = call->sk;
    if (sk == 0) { /* not a TCP socket */
        active_calls.delete(&id);
        return;
    }
    __u8 type;
    if (ret > 0)
        type = EVENT_DATA;
    else if (ret == 0 && call->direction == DIR_INBOUND && call->kind != BUF_NONE)
        type = EVENT_EOF;
    else if (ret == -104 || ret == -32 || ret == -110 || ret == -103) /* ECONNRESET EPIPE ETIMEDOUT ECONNABORTED */
        type = EVENT_ERROR;
    else {
        active_calls.delete(&id);
        return;
    }

    int zero = 0;
    struct scratch_event *s = scratch.lookup(&zero);
    if (!s) {
        active_calls.delete(&id);
        return;
    }
    struct event_header *hdr = &s->hdr;
    __builtin_memset(hdr, 0, sizeof(*hdr));
    hdr->type = type;
    hdr->direction = call->direction;
    hdr->pid = id >> 32;
    hdr->tid = (__u32)id;
    hdr->fd = call->fd;
    hdr->sk = sk;
    hdr->ts_enter = call->ts_enter;
    hdr->ts_exit = bpf_ktime_get_ns();
    hdr->ret = ret;
    bpf_get_current_comm(hdr->comm, sizeof(hdr->comm));
    fill_addresses(hdr, sk);
#ifdef FILTER_PORTS
    __u16 local_port = hdr->local_port, peer_port = hdr->peer_port;
    if (hdr->family != 0 && !filter_ports.lookup(&local_port) && !filter_ports.lookup(&peer_port)) {
        active_calls.delete(&id);
        return;
    }
#endif
    hdr->role = connection_role(id, call->fd, sk);

    __u32 captured = 0;
    __u16 more = 0;
    if (type == EVENT_DATA) {
        __u32 want = ret;
        if (ret > CAPTURE_BYTES) {
            want = CAPTURE_BYTES;
            count(STAT_TRUNCATED);
            /* Reads into one buffer get the next pieces too: a read can hold a batch of
             * pipelined requests or a header block larger than CAPTURE_BYTES. */
            if (call->direction == DIR_INBOUND && call->kind == BUF_PLAIN) {
                long pieces = (ret - 1) / CAPTURE_BYTES;
                more = pieces < READ_CHUNKS - 1 ? pieces : READ_CHUNKS - 1;
            }
        }
        captured = copy_payload(s, call, want);
    }
    hdr->captured = captured;
    hdr->more = more;
    __u64 buf = call->buf;
    active_calls.delete(&id);
    send_event(s, captured);

    /* A bounded loop (kernel >= 5.3 verifies it): no unrolling needed. */
    for (int k = 1; k < READ_CHUNKS; k++) {
        if (k > more)
            break;
        __u32 offset = k * CAPTURE_BYTES;
        __u64 n = (__u64)ret - offset; /* > 0: k <= more */
        if (n > CAPTURE_BYTES)
            n = CAPTURE_BYTES;
        hdr->type = EVENT_DATA_MORE;
        hdr->offset = offset;
        hdr->more = 0;
        hdr->captured = n;
        bpf_probe_read_user(s->data, n, (void *)(buf + offset));
        send_event(s, n);
    }
}

/* ---- payload syscalls ---- */

TRACEPOINT_PROBE(syscalls, sys_enter_read) { enter_call(args->fd, (__u64)args->buf, 0, BUF_PLAIN, DIR_INBOUND); return 0; }
TRACEPOINT_PROBE(syscalls, sys_exit_read) { exit_call(args->ret); return 0; }
TRACEPOINT_PROBE(syscalls, sys_enter_write) { enter_call(args->fd, (__u64)args->buf, 0, BUF_PLAIN, DIR_OUTBOUND); return 0; }
TRACEPOINT_PROBE(syscalls, sys_exit_write) { exit_call(args->ret); return 0; }
TRACEPOINT_PROBE(syscalls, sys_enter_readv) { enter_call(args->fd, (__u64)args->vec, args->vlen, BUF_IOV, DIR_INBOUND); return 0; }
TRACEPOINT_PROBE(syscalls, sys_exit_readv) { exit_call(args->ret); return 0; }
TRACEPOINT_PROBE(syscalls, sys_enter_writev) { enter_call(args->fd, (__u64)args->vec, args->vlen, BUF_IOV, DIR_OUTBOUND); return 0; }
TRACEPOINT_PROBE(syscalls, sys_exit_writev) { exit_call(args->ret); return 0; }
TRACEPOINT_PROBE(syscalls, sys_enter_recvfrom) { enter_call(args->fd, (__u64)args->ubuf, 0, BUF_PLAIN, DIR_INBOUND); return 0; }
TRACEPOINT_PROBE(syscalls, sys_exit_recvfrom) { exit_call(args->ret); return 0; }
TRACEPOINT_PROBE(syscalls, sys_enter_sendto) { enter_call(args->fd, (__u64)args->buff, 0, BUF_PLAIN, DIR_OUTBOUND); return 0; }
TRACEPOINT_PROBE(syscalls, sys_exit_sendto) { exit_call(args->ret); return 0; }
TRACEPOINT_PROBE(syscalls, sys_enter_recvmsg) { enter_call(args->fd, (__u64)args->msg, 0, BUF_MSG, DIR_INBOUND); return 0; }
TRACEPOINT_PROBE(syscalls, sys_exit_recvmsg) { exit_call(args->ret); return 0; }
TRACEPOINT_PROBE(syscalls, sys_enter_sendmsg) { enter_call(args->fd, (__u64)args->msg, 0, BUF_MSG, DIR_OUTBOUND); return 0; }
TRACEPOINT_PROBE(syscalls, sys_exit_sendmsg) { exit_call(args->ret); return 0; }
TRACEPOINT_PROBE(syscalls, sys_enter_sendfile64) { enter_call(args->out_fd, 0, 0, BUF_NONE, DIR_OUTBOUND); return 0; }
TRACEPOINT_PROBE(syscalls, sys_exit_sendfile64) { exit_call(args->ret); return 0; }

/* ---- which fd is a TCP socket, and its struct sock ---- */

TRACEPOINT_PROBE(sock, sock_recv_length) { mark_socket((__u64)args->sk, args->family, args->protocol); return 0; }
TRACEPOINT_PROBE(sock, sock_send_length) { mark_socket((__u64)args->sk, args->family, args->protocol); return 0; }

/* ---- connection roles ---- */

static __always_inline void set_role(__u64 pid_tgid, __s32 fd, __u8 role) {
    __u64 key = (pid_tgid & 0xffffffff00000000ULL) | (__u32)fd;
    struct conn_info conn = {};
    conn.role = role;
    if (conns.update(&key, &conn) != 0)
        count(STAT_CONN_MAP_FULL);
}

TRACEPOINT_PROBE(syscalls, sys_exit_accept) {
    __u64 id = bpf_get_current_pid_tgid();
    if (args->ret >= 0 && process_wanted(id >> 32))
        set_role(id, args->ret, ROLE_SERVER);
    return 0;
}
TRACEPOINT_PROBE(syscalls, sys_exit_accept4) {
    __u64 id = bpf_get_current_pid_tgid();
    if (args->ret >= 0 && process_wanted(id >> 32))
        set_role(id, args->ret, ROLE_SERVER);
    return 0;
}
TRACEPOINT_PROBE(syscalls, sys_enter_connect) {
    __u64 id = bpf_get_current_pid_tgid();
    if (!process_wanted(id >> 32))
        return 0;
    __s32 fd = args->fd;
    pending_connect.update(&id, &fd);
    return 0;
}
TRACEPOINT_PROBE(syscalls, sys_exit_connect) {
    __u64 id = bpf_get_current_pid_tgid();
    __s32 *fd = pending_connect.lookup(&id);
    if (!fd)
        return 0;
    if (args->ret == 0 || args->ret == -115 /* EINPROGRESS: non-blocking connect */)
        set_role(id, *fd, ROLE_CLIENT);
    pending_connect.delete(&id);
    return 0;
}

TRACEPOINT_PROBE(syscalls, sys_enter_close) {
    __u64 id = bpf_get_current_pid_tgid();
    __u64 key = (id & 0xffffffff00000000ULL) | (__u32)args->fd;
    struct conn_info *conn = conns.lookup(&key);
    if (!conn)
        return 0;
    if (conn->sk != 0) { /* only connections that carried data are news to userspace */
        int zero = 0;
        struct scratch_event *s = scratch.lookup(&zero);
        if (s) {
            struct event_header *hdr = &s->hdr;
            __builtin_memset(hdr, 0, sizeof(*hdr));
            hdr->type = EVENT_CLOSE;
            hdr->role = conn->role;
            hdr->pid = id >> 32;
            hdr->tid = (__u32)id;
            hdr->fd = args->fd;
            hdr->sk = conn->sk;
            hdr->ts_enter = bpf_ktime_get_ns();
            hdr->ts_exit = hdr->ts_enter;
            send_event(s, 0);
        }
    }
    conns.delete(&key);
    return 0;
}

/* ---- addresses, from the TCP state machine ---- */

TRACEPOINT_PROBE(sock, inet_sock_set_state) {
    if (args->protocol != IPPROTO_TCP_)
        return 0;
    __u64 sk = (__u64)args->skaddr;
    int state = args->newstate;
    if (state == TCP_CLOSE_) {
        sock_addrs.delete(&sk);
        return 0;
    }
    if (state != TCP_ESTABLISHED_ && state != TCP_SYN_SENT_ && state != TCP_SYN_RECV_)
        return 0;
    struct addr_info addr = {};
    addr.family = args->family;
    addr.local_port = args->sport;
    addr.peer_port = args->dport;
    if (args->family == AF_INET_) {
        __builtin_memcpy(addr.local_addr, args->saddr, 4);
        __builtin_memcpy(addr.peer_addr, args->daddr, 4);
    } else {
        __builtin_memcpy(addr.local_addr, args->saddr_v6, 16);
        __builtin_memcpy(addr.peer_addr, args->daddr_v6, 16);
    }
    if (sock_addrs.update(&sk, &addr) != 0)
        count(STAT_ADDR_MAP_FULL);
    return 0;
}
