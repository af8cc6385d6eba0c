/* Capture of TCP socket payloads for HTTP/1.x, from tracepoints only.
 *
 * No kprobes and no fentry: they are not available on every kernel (and not on ours).
 * How a syscall is followed:
 *
 *   sock:sock_{recv,send}_length  fires inside sock_recvmsg/sock_sendmsg, so only for
 *                                 sockets: files, pipes and unix sockets are filtered out in
 *                                 the kernel without reading any kernel struct. For TCP it
 *                                 remembers the `struct sock *` for this thread in `active_calls`.
 *   raw_syscalls:sys_exit         for a thread marked above: the syscall's arguments are
 *                                 still in the saved user registers; copy the first
 *                                 CAPTURE_BYTES of the payload and send one event through the
 *                                 ring buffer (without a wakeup: userspace drains in batches).
 *
 * Roles come from accept/connect (syscall tracepoints), addresses from
 * sock:inet_sock_set_state (stable tracepoint fields), stored per `struct sock *`.
 *
 * Build options (-D flags from the loader): CAPTURE_BYTES, CAPTURE_POW2 (a power of two
 * >= CAPTURE_BYTES), READ_CHUNKS, RINGBUF_PAGES, MAX_CONNECTIONS, MAX_THREADS, SELF_PID,
 * and the optional filters FILTER_PIDS, FILTER_COMMS, FILTER_PORTS (maps filled by userspace).
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
#define MSG_PEEK_ 2

/* How the user buffer of a syscall is described. */
#define BUF_PLAIN 0  /* read/write/sendto/recvfrom: one buffer */
#define BUF_IOV 1    /* readv/writev: an iovec array */
#define BUF_MSG 2    /* sendmsg/recvmsg: a msghdr holding an iovec array */
#define BUF_NONE 3   /* sendfile: no payload, only the byte count */

struct active_call {
    __u64 buf;      /* user pointer: buffer, iovec array or msghdr (read at sys_exit) */
    __u64 ts_enter; /* when sock_*_length fired: the data was just moved */
    __u64 sk;       /* the TCP socket the syscall used */
    __u64 pos;      /* stream position of the socket in `direction` before this syscall */
    __u64 other_pos;
    __u64 bytes;    /* bytes sock_*_length saw move under this mark (several for sendfile) */
    __s32 fd;
    __u32 iovcnt;
    __u32 turn;     /* the socket's phase (see struct stream_pos) */
    __u8 kind;      /* BUF_* */
    __u8 direction;
    __u8 pos_valid;
    __u8 pad;
};

/* Bytes a process moved on a socket, per direction, counted where the kernel moves them: every
 * event carries the position its data starts at, so userspace sees any gap in a connection's stream
 * (an event lost in a full ring buffer, a syscall the program gave up on or never ran for) and
 * knows exactly how many bytes it holds.  Per socket, removed when it reaches TCP_CLOSE (a new
 * connection may reuse the struct sock's address); two processes doing I/O on one socket would
 * each see the other's bytes as a gap (rare: pre-fork servers do not share connections). */
struct stream_pos {
    __u64 pos[2]; /* DIR_INBOUND, DIR_OUTBOUND */
    /* Phases: +1 each time the direction of transfer changes.  Without pipelining one HTTP/1
     * exchange is two phases (request, then response), so a jump in phases counts the exchanges
     * that were lost entirely, and a response of phase n answers the request of phase n - 1. */
    __u32 turn;
    __u8 last_dir; /* direction + 1 of the last bytes moved; 0: none yet */
    __u8 pad[3];
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
/* LRU: a mark is removed at syscall exit, but kernel threads and io_uring workers do socket
 * I/O without ever returning from a syscall; their stale marks must age out, not fill the map. */
BPF_TABLE("lru_hash", __u64, struct active_call, active_calls, MAX_THREADS);
/* (tgid << 32 | fd) -> role. LRU: a process that exits closes its fds without close(2), so
 * its entries would stay forever; the least recently used (stale) ones make room. A live
 * connection evicted here only loses its role, which userspace then infers from the traffic. */
BPF_TABLE("lru_hash", __u64, struct conn_info, conns, MAX_CONNECTIONS);
BPF_HASH(sock_addrs, __u64, struct addr_info, MAX_CONNECTIONS);  /* struct sock * -> addresses */
BPF_HASH(pending_connect, __u64, __s32, MAX_THREADS);            /* pid_tgid -> fd */
/* struct sock * -> positions.  LRU: an entry evicted while its connection lives restarts at 0, and
 * userspace sees the position go back (a gap of unknown size). */
BPF_TABLE("lru_hash", __u64, struct stream_pos, stream_positions, MAX_CONNECTIONS);
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

/* sock:sock_{send,recv}_length fire inside sock_sendmsg/sock_recvmsg, for sockets only:
 * remember the TCP socket for this thread until the syscall returns (raw sys_exit). */
static __always_inline void mark_socket(__u64 sk, __u16 family, __u16 protocol, int ret, int flags, __u8 direction) {
    if (protocol != IPPROTO_TCP_ || (family != AF_INET_ && family != AF_INET6_))
        return;
    if (flags & MSG_PEEK_) /* the bytes stay in the socket: the read that takes them is the one to see */
        return;
    /* Would-block and other non-events: nothing to tell (connection-level errors are kept). */
    if (ret < 0 && ret != -104 && ret != -32 && ret != -110 && ret != -103)
        return;
    __u64 id = bpf_get_current_pid_tgid();
    if (!process_wanted(id >> 32))
        return;
    struct active_call call = {};
    call.sk = sk;
    call.ts_enter = bpf_ktime_get_ns();
    call.direction = direction;
    if (ret > 0) {
        /* Counted before anything can fail: whatever happens to this syscall's event, the
         * next event of the socket starts `ret` bytes further. */
        struct stream_pos *p = stream_positions.lookup(&sk);
        if (!p) {
            struct stream_pos zero = {};
            stream_positions.insert(&sk, &zero);
            p = stream_positions.lookup(&sk);
        }
        if (p) {
            if (p->last_dir != direction + 1) {
                p->last_dir = direction + 1;
                p->turn += 1;
            }
            call.turn = p->turn;
            call.pos = __sync_fetch_and_add(&p->pos[direction & 1], (__u64)ret);
            call.other_pos = p->pos[(direction ^ 1) & 1];
            call.pos_valid = 1;
        } else {
            count(STAT_POS_MAP_FULL);
        }
        call.bytes = ret;
    }
    /* BPF_NOEXIST: sendfile calls sock_sendmsg once per batch of pages; keep the first. */
    int err = active_calls.insert(&id, &call);
    if (err == -17 /* EEXIST */) {
        struct active_call *first = active_calls.lookup(&id);
        if (first && ret > 0)
            first->bytes += ret; /* checked against the syscall's result at exit */
    } else if (err != 0) {
        count(STAT_ACTIVE_MAP_FULL);
    }
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

/* The per-CPU scratch event with its header zeroed and the fields every event has. */
static __always_inline struct scratch_event *new_event(__u8 type, __u64 pid_tgid, __s32 fd, __u64 sk) {
    int zero = 0;
    struct scratch_event *s = scratch.lookup(&zero);
    if (!s)
        return 0;
    struct event_header *hdr = &s->hdr;
    __builtin_memset(hdr, 0, sizeof(*hdr));
    hdr->type = type;
    hdr->pid = pid_tgid >> 32;
    hdr->tid = (__u32)pid_tgid;
    hdr->fd = fd;
    hdr->sk = sk;
    return s;
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

static __always_inline void exit_call(__u64 id, struct active_call *call, long ret) {
    __u64 sk = call->sk;
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

    struct scratch_event *s = new_event(type, id, call->fd, sk);
    if (!s) {
        active_calls.delete(&id);
        return;
    }
    struct event_header *hdr = &s->hdr;
    hdr->direction = call->direction;
    hdr->ts_enter = call->ts_enter;
    hdr->ts_exit = bpf_ktime_get_ns();
    hdr->ret = ret;
    if (type == EVENT_DATA && call->pos_valid) {
        if (call->bytes == (__u64)ret) {
            hdr->stream_pos = call->pos;
            hdr->other_pos = call->other_pos;
            hdr->turn = call->turn;
            hdr->flags = EVENT_POS_VALID;
        } else {
            /* The mark is older than this syscall (its exit was never seen): where this data
             * starts is not known, and the event says so (userspace treats it as a gap). */
            count(STAT_STALE_MARK);
        }
    }
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

/* ---- payload syscalls: one raw tracepoint at syscall exit ----
 *
 * Cheaper than a pair of syscall tracepoints per syscall (which also copy every argument
 * into a trace record): the syscall's arguments are still in the saved user registers
 * (x86-64 ABI: rdi, rsi, rdx; orig_ax holds the syscall number), and the ring-buffer
 * work happens only for threads that sock_*_length just marked. */

TRACEPOINT_PROBE(sock, sock_recv_length) {
    mark_socket((__u64)args->sk, args->family, args->protocol, args->ret, args->flags, DIR_INBOUND);
    return 0;
}
TRACEPOINT_PROBE(sock, sock_send_length) {
    mark_socket((__u64)args->sk, args->family, args->protocol, args->ret, 0, DIR_OUTBOUND);
    return 0;
}

RAW_TRACEPOINT_PROBE(sys_exit) {
    __u64 id = bpf_get_current_pid_tgid();
    struct active_call *call = active_calls.lookup(&id);
    if (!call)
        return 0;
    struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
    long ret = ctx->args[1];
    unsigned long nr = 0, arg0 = 0, arg1 = 0, arg2 = 0;
    bpf_probe_read_kernel(&nr, sizeof(nr), &regs->orig_ax);
    bpf_probe_read_kernel(&arg0, sizeof(arg0), &regs->di);
    bpf_probe_read_kernel(&arg1, sizeof(arg1), &regs->si);
    bpf_probe_read_kernel(&arg2, sizeof(arg2), &regs->dx);
    call->fd = arg0;
    call->buf = arg1;
    switch (nr) {
    case 0:  /* read */
    case 1:  /* write */
    case 44: /* sendto */
    case 45: /* recvfrom */
        call->kind = BUF_PLAIN;
        break;
    case 19: /* readv */
    case 20: /* writev */
        call->kind = BUF_IOV;
        call->iovcnt = arg2;
        break;
    case 46: /* sendmsg */
    case 47: /* recvmsg */
        call->kind = BUF_MSG;
        break;
    case 40: /* sendfile: bytes and timing, no payload */
        call->kind = BUF_NONE;
        break;
    default: /* recvmmsg, splice, io_uring, ...: not followed */
        active_calls.delete(&id);
        return 0;
    }
    exit_call(id, call, ret);
    return 0;
}

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
        struct scratch_event *s = new_event(EVENT_CLOSE, id, args->fd, conn->sk);
        if (s) {
            struct event_header *hdr = &s->hdr;
            hdr->role = conn->role;
            __u64 sk = conn->sk;
            struct stream_pos *p = stream_positions.lookup(&sk);
            if (p)
                hdr->turn = p->turn; /* the last phase: tells whether a lost request was answered */
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
        stream_positions.delete(&sk);
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
