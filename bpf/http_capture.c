/* Capture of TCP socket payloads for HTTP/1.x, from raw tracepoints only.
 *
 * No kprobes and no fentry: they are not available on every kernel (and not on ours).  And, where
 * the kernel has sock_*_length (Linux 6.3+), no syscall tracepoint either: attaching any one of them
 * (raw_syscalls:* or syscalls:*) puts every thread of every process on the host on the kernel's slow
 * syscall path, observed or not (+190 ns a syscall measured here: docs/cost.md, "The syscall tax").
 * Older kernels get the syscall path instead (built with -DSYSCALL_PATH, "the syscall path" below),
 * which pays it.
 *
 *   sock:sock_{recv,send}_length  fires inside sock_recvmsg/sock_sendmsg, for sockets only, with
 *                                 the data already in (or still in) the user buffer.  The
 *                                 syscall's number and arguments are in the task's saved user
 *                                 registers (bpf_task_pt_regs): copy the first CAPTURE_BYTES
 *                                 of the payload and send one event through the ring buffer
 *                                 (without a wakeup: userspace drains in batches).
 *   sock:inet_sock_set_state      addresses and roles (SYN_SENT: connect(), a client; SYN_RECV:
 *                                 a listener's child, a server), per `struct sock *`; and the
 *                                 end of a connection when its process closes it (see
 *                                 closed_by_its_process).
 *   tcp:tcp_destroy_sock          the socket is gone: the end of any connection not seen above.
 *
 * Raw tracepoints, not the formatted (perf) ones: no trace record is built for them, and the
 * kernel skips a perf-event program whenever any other one, or a bpf() map syscall, runs on the
 * CPU (see bpf/tcp_flows.c); a raw one only when it would interrupt itself (counted).  Their
 * arguments are the kernel's own pointers: struct members are read at offsets that the loader
 * takes from the running kernel's BTF (SK_* -D flags, otel_ebpf/kernel/btf.py).
 *
 * Shedding (docs/cost.md, "The kernel's share"): per socket the kernel recognises where HTTP/1
 * requests and responses start (16 bytes read at the first call of a phase) and decides once
 * per exchange, at the request's first bytes, whether its events go to userspace or the exchange
 * is shed: no payload copy, no event; it is counted in `shed_counts` instead, and the first
 * event of the socket after it carries EVENT_RESYNC.
 *
 * Build options (-D flags from the loader): CAPTURE_BYTES, CAPTURE_POW2 (a power of two
 * >= CAPTURE_BYTES), READ_CHUNKS, RINGBUF_PAGES, MAX_CONNECTIONS, SELF_PID, MAX_SHED_KEYS, the
 * SK_* offsets, and the optional filters FILTER_PIDS, FILTER_COMMS, FILTER_PORTS (maps filled by
 * userspace); SYSCALL_PATH with its TASK_* ... SOCKET_SK offsets; NO_ATOMIC_FETCH (before 5.12).
 * Syscall numbers and registers come from arch.h: x86-64 is built and tested, arm64 written only.
 */
#include <uapi/linux/ptrace.h>
#include <linux/uio.h>
#include <linux/socket.h>
#include "http_events.h"
#include "arch.h"

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
#ifndef SELF_PID
#define SELF_PID 0
#endif
/* What an HTTP/2 connection's calls are captured up to (>= CAPTURE_BYTES, <= CAPTURE_POW2): its frames
 * of many streams share syscalls (a gRPC client writes its calls in flight at once, tens of iovecs),
 * and one header block not seen makes its HPACK table unknown for good. */
#ifndef H2_CAPTURE_BYTES
#define H2_CAPTURE_BYTES CAPTURE_BYTES
#endif
/* ... and in up to this many such pieces: 8 x 8 KiB holds an HTTP/2 server's whole write of 16 KiB DATA
 * frames up to 64 KiB (nghttpd writes a 48 KiB file at once); a later frame header would be lost, and
 * with it the streams then open. */
#define H2_CHUNKS 8
#ifndef READ_CHUNKS
#define READ_CHUNKS 4 /* a large read is shipped as up to this many CAPTURE_BYTES pieces */
#endif
#ifndef MAX_SHED_KEYS
#define MAX_SHED_KEYS 4096
#endif
#ifndef MAX_TLS_CALLS
#define MAX_TLS_CALLS 16384 /* threads inside a TLS library read or write at once */
#endif
/* Iovecs a call's first event is gathered from.  An HTTP/2 call on more iovecs (a gRPC client writes
 * its calls in flight at once: up to 260 iovecs a sendmsg) goes on in h2_iov_walk, WALK_IOVS iovecs
 * per tail call: walking them all in one program is one the verifier refuses ("argument list too
 * long" on 6.18 already with 64 iovecs, or with 32 and 8 per piece). */
#define MAX_IOV 32
#ifndef WALK_IOVS
#define WALK_IOVS 32
#endif
#define NS_PER_EXCHANGE 1000000000ULL /* a token of the rate bucket, in its fixed-point unit */

#define AF_INET_ 2
#define AF_INET6_ 10
#define IPPROTO_TCP_ 6
#define TCP_ESTABLISHED_ 1
#define TCP_SYN_SENT_ 2
#define TCP_SYN_RECV_ 3
#define TCP_FIN_WAIT1_ 4
#define TCP_CLOSE_ 7
#define TCP_CLOSE_WAIT_ 8
#define TCP_LAST_ACK_ 9
#define SHUTDOWN_MASK_ 3 /* RCV_SHUTDOWN | SEND_SHUTDOWN: set by close(2), before the state changes */
#define MSG_PEEK_ 2
#define S_IFMT_ 00170000
#define S_IFSOCK_ 0140000
/* Makes the compiler use `var` as computed here rather than an equal value it already holds. */
#define barrier_var(var) asm volatile("" : "+r"(var))

/* How the user buffer of a syscall is described. */
#define BUF_PLAIN 0  /* read/write/sendto/recvfrom: one buffer */
#define BUF_IOV 1    /* readv/writev: an iovec array */
#define BUF_MSG 2    /* sendmsg/recvmsg: a msghdr holding an iovec array */
#define BUF_NONE 3   /* sendfile: no payload, only the byte count (one event per socket call) */
#define BUF_UNFOLLOWED 4 /* recvmmsg, splice, io_uring, ...: the bytes count, no event */

/* One socket call, as the program sees it: the socket from the tracepoint, the rest from the
 * syscall's saved user registers. */
struct socket_call {
    struct pt_regs *regs; /* the syscall's saved user registers, if the program has them (0: the task's) */
    __u64 buf;      /* user pointer: buffer, iovec array or msghdr */
    __u64 ts_enter; /* now: the data was just moved (== the event's ts_exit) */
    __u64 sk;       /* the TCP socket */
    __u64 pos;      /* stream position of the socket in `direction` before this call */
    __u64 other_pos;
    __s32 fd;
    __u32 iovcnt;
    __u32 turn;     /* the socket's phase (see struct stream_pos) */
    __u8 kind;      /* BUF_* */
    __u8 direction;
    __u8 pos_valid;
    __u8 phase_start; /* the direction of transfer changed with this call */
};

struct addr_info {
    __u16 family;
    __u16 local_port;
    __u16 peer_port;
    __u8 role;      /* ROLE_*: from the state that created the connection */
    __u8 pad;
    __u8 local_addr[16];
    __u8 peer_addr[16];
};

/* Bytes a process moved on a socket, per direction, counted where the kernel moves them: every
 * event carries the position its data starts at, so userspace sees any gap in a connection's stream
 * (an event lost in a full ring buffer, a call the program gave up on) and knows exactly how many
 * bytes it holds.  Per socket, removed when the connection ends (send_close) and reset when a
 * connection is born (SYN_SENT/SYN_RECV: a new connection may reuse the struct sock's address);
 * two processes doing I/O on one socket would each see the other's bytes as a gap (rare: pre-fork
 * servers do not share connections). */
struct stream_pos {
    __u64 pos[2]; /* DIR_INBOUND, DIR_OUTBOUND */
    /* Phases: +1 each time the direction of transfer changes.  Without pipelining one HTTP/1
     * exchange is two phases (request, then response), so a jump in phases counts the exchanges
     * that were lost entirely, and a response of phase n answers the request of phase n - 1. */
    __u32 turn;
    __u8 last_dir; /* direction + 1 of the last bytes moved; 0: none yet */
    /* HTTP/1 state, kept here so that the lookup for the positions serves it too. */
    __u8 http;     /* HTTP_UNKNOWN, HTTP_YES, HTTP_NOT (its first bytes were not HTTP/1: left alone),
                    * HTTP_H2 (its first bytes were the HTTP/2 preface: whole syscalls are shipped) */
    __u8 shed;     /* the exchange in progress is shed (no events); `key` etc. describe it */
    __u8 resync;   /* exchanges were shed since the last event sent: the next one carries EVENT_RESYNC */
    __u8 req_dir;  /* direction of the shed exchange's request */
    /* The peer went away under a shed exchange (EOF, a connection error, TCP_CLOSE), which was
     * counted then; what the process still moves belongs to that exchange (on loopback the peer's
     * RST is processed inside the response's write, before that write's sock_send_length): no
     * event, until a new request. */
    __u8 after_shed;
    __u8 ports;     /* FILTER_PORTS: PORTS_UNKNOWN, PORTS_WANTED or PORTS_NOT (decided once per socket) */
    __u8 observed;  /* an observed thread moved data on it: EVENT_CLOSE reports its end */
    __u32 tgid;     /* the process that last moved data on the socket, and its fd: whose the */
    __s32 fd;       /* EVENT_CLOSE is (it may come from softirq, in no process of its own) */
    __u8 tls;       /* its bytes are TLS records: the socket path sends no data event, the uprobes
                     * on the TLS library send the plaintext (tls_ciphertext) */
    __u8 pad[3];
    __u64 tls_ssl;  /* the TLS connection (SSL *, *tls.Conn) whose call last moved its ciphertext; 0: none */
    /* The process filter's decision for the last thread that moved data on the socket: its tid << 2
     * | THREAD_WANTED or THREAD_NOT, stored at once (two threads may decide on two CPUs).  Decided
     * once per thread of the socket, not per call (reading the thread's name and looking it up cost
     * ~110 ns a call: bench/bench_kernel_cost.py --executables).  A socket of a process not observed
     * gets an entry too, so that its next calls stop at one lookup. */
    __u64 thread;
    __u64 start_ns; /* the shed exchange's start (server: its first read; client: its write) */
    __u64 end_ns;   /* its last response write/read so far; 0: no response yet */
    struct shed_key key;
    char comm[16];  /* the name of the last observed thread that moved data on it */
    char path[SHED_PATH_BYTES];
    /* The socket's addresses and role, copied from sock_addrs when an observed thread first moves
     * data on it (one LRU lookup per socket instead of one per event); family 0: unknown (the
     * connection is older than the agent). */
    struct addr_info addr;
};
#define HTTP_UNKNOWN 0
#define HTTP_YES 1
#define HTTP_NOT 2
#define HTTP_H2 3
/* "PRI * HT", the first 8 bytes of the HTTP/2 client connection preface, as a little-endian u64. */
#define H2_PREFACE_W 0x5448202a20495250ULL
#define PORTS_UNKNOWN 0
#define PORTS_WANTED 1
#define PORTS_NOT 2
#define THREAD_UNKNOWN 0
#define THREAD_WANTED 1
#define THREAD_NOT 2

/* Per-CPU token bucket of exchanges sent to userspace (rate in shed_config[0]). */
struct rate_bucket {
    __u64 tokens; /* in 1e-9 exchanges */
    __u64 last;   /* bpf_ktime_get_ns() of the last refill */
};

struct scratch_event {
    struct event_header hdr;
    __u8 data[CAPTURE_POW2 * 2]; /* twice the size so the verifier can bound offset + length */
};

BPF_RINGBUF_OUTPUT(events, RINGBUF_PAGES);
/* bcc 0.26 has no events.ringbuf_query(): it names a map to a helper as bpf_pseudo_fd(1, -N), N being
 * the map's place among the declared tables; `events` is the first.  (Were it not, the verifier
 * would refuse the program: bpf_ringbuf_query takes only a ring buffer.) */
#define EVENTS_MAP ((void *)bpf_pseudo_fd(1, -1))
/* struct sock * -> addresses and role, from the handshake; removed when the socket is destroyed.
 * LRU: should that be missed, stale entries make room rather than fill the map. */
BPF_TABLE("lru_hash", __u64, struct addr_info, sock_addrs, MAX_CONNECTIONS);
/* struct sock * -> positions.  LRU: an entry evicted while its connection lives restarts at 0, and
 * userspace sees the position go back (a gap of unknown size). */
BPF_TABLE("lru_hash", __u64, struct stream_pos, stream_positions, MAX_CONNECTIONS);
BPF_PERCPU_ARRAY(stats, __u64, STAT_COUNT);
BPF_PERCPU_ARRAY(scratch, struct scratch_event, 1);
/* A zeroed entry of stream_positions (never written): what a new socket's entry starts from, not
 * built on the program's 512-byte stack. */
BPF_ARRAY(empty_pos, struct stream_pos, 1);
/* Shed exchanges, counted per key.  Entries are never removed by the kernel; userspace reads the
 * cumulative values once a second.  The overflow key (tgid SHED_OVERFLOW_TGID) is made by userspace
 * at load, so a full map loses nothing. */
BPF_TABLE("percpu_hash", struct shed_key, struct shed_value, shed_counts, MAX_SHED_KEYS);
BPF_PERCPU_ARRAY(shed_scratch, struct shed_value, 1);
/* Set by userspace.  [0]: exchanges per second each CPU may send to userspace (0: no limit);
 * [1]: shed when more than this many bytes of the ring buffer wait to be read (0: never). */
BPF_ARRAY(shed_config, __u64, 2);
BPF_PERCPU_ARRAY(rate_buckets, struct rate_bucket, 1);
/* An HTTP/2 call's iovec array, walked by h2_iov_walk: set by the socket call's program (start_walk),
 * read by the tail calls that follow it at once on the same CPU. */
struct iov_walk {
    __u64 vec;     /* user address of the iovec array */
    __u32 iovcnt;
    __u32 index;   /* the next iovec to read ... */
    __u32 skip;    /* ... and how many of its bytes were read already */
    __u32 offset;  /* where the piece being filled starts in the call's data */
    __u32 fill;    /* its bytes so far (in scratch.data) */
    __u32 end;     /* bytes of the call shipped in all: min(ret, H2_CHUNKS pieces) */
};
BPF_PERCPU_ARRAY(iov_walks, struct iov_walk, 1);
/* struct sock * of connections userspace found to be HTTP/2 from their frames (older than the agent:
 * no preface to see); their next phase makes them HTTP_H2, and the mark is removed.  LRU: a mark whose
 * socket closed first makes room. */
BPF_TABLE("lru_hash", __u64, __u8, h2_marks, 1024);
/* [0]: h2_iov_walk, set by userspace (a program array holds programs of its callers' type: these are
 * the raw tracepoints of the socket and syscall paths). */
BPF_PROG_ARRAY(walk_programs, 1);
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

/* ---- TLS: the calls into the TLS library in progress, and which socket each connection uses ---- */

/* An SSL_read/SSL_write (or _ex) between its entry and its return, per thread. */
struct tls_call {
    __u64 ssl;      /* the library's connection (SSL *) */
    __u64 buf;      /* the plaintext buffer */
    __u64 done_ptr; /* SSL_*_ex: where the library stores the bytes moved; 0: the return value is */
    __u64 sk;       /* the socket a syscall inside the call moved ciphertext on; 0: none did */
    __s32 fd;
    __u32 pad;
};
/* A TLS connection of a process: (SSL *, tgid); two processes may hold equal pointers. */
struct tls_key {
    __u64 ssl;
    __u32 tgid;
    __u32 pad;
};
struct tls_sock {
    __u64 sk;
    __s32 fd;
    __u32 pad;
    __u64 ts; /* tls_last_read: when */
};
/* pid_tgid -> the thread's call in progress (entry to return).  LRU: a call whose return never
 * comes (its process exited inside it) must not hold a place for ever; sched_process_exit removes
 * a thread's entry, so that a new process given the same pid finds none. */
BPF_TABLE("lru_hash", __u64, struct tls_call, tls_calls, MAX_TLS_CALLS);
/* Go's crypto/tls: a goroutine's call in progress, by (goroutine, process).  Not by thread: a
 * goroutine that blocks in Read is parked and may resume on another thread.  Its g is in R14
 * (Go's register ABI, Go >= 1.17), at the call, at its returns and at any syscall it makes. */
struct go_key {
    __u64 g;
    __u32 tgid;
    __u32 pad;
};
BPF_TABLE("lru_hash", struct go_key, struct tls_call, go_tls_calls, MAX_TLS_CALLS);
/* Processes that made a Go TLS call: their sockets not (yet) known as TLS are looked up by goroutine
 * too (a connection older than the agent, first seen mid-record, is not recognised by its bytes). */
BPF_TABLE("lru_hash", __u32, __u8, go_tls_processes, 4096);
/* The socket of each TLS connection, learnt from the syscall inside one of its calls: a read served
 * from the library's buffer makes none.  LRU: connections are not followed to their end here. */
BPF_TABLE("lru_hash", struct tls_key, struct tls_sock, tls_socks, MAX_CONNECTIONS);
/* pid_tgid -> the TLS socket the thread last read ciphertext from outside a TLS call.  A library
 * that reads the socket itself into a memory BIO (Node.js: libuv reads, then SSL_read decrypts
 * in the same callback) makes no syscall inside SSL_read: its first SSL_read of a connection is
 * tied to that socket when it comes within TLS_LAST_READ_NS of the read. */
BPF_TABLE("lru_hash", __u64, struct tls_sock, tls_last_read, MAX_TLS_CALLS);
#define TLS_LAST_READ_NS 10000000ULL

static __always_inline void count(int index) {
    __u64 *value = stats.lookup(&index);
    if (value)
        *value += 1;
}

static __always_inline __u16 read_u16(__u64 base, int offset) {
    __u16 value = 0;
    bpf_probe_read_kernel(&value, sizeof(value), (void *)(base + offset));
    return value;
}

/* Whether the calling thread, of process `tgid` and named `comm` (16 bytes, NUL-padded), is one the
 * user wants to observe. */
static __always_inline int process_wanted(__u32 tgid, char *comm) {
    if (tgid == SELF_PID)
        return 0;
#ifdef FILTER_PIDS
    if (!filter_pids.lookup(&tgid))
        return 0;
#endif
#ifdef FILTER_COMMS
    if (!filter_comms.lookup((struct comm_key *)comm))
        return 0;
#endif
    return 1;
}

/* The same for the thread moving data on the socket of entry `p`, decided once per thread.  An
 * observed thread's name is kept in p->comm (the events' `comm`, and a shed exchange's), and the
 * socket's addresses are copied into p->addr if they are not there yet.  A thread renamed (prctl, or
 * an exec keeping the socket open) keeps the decision made under its former name. */
static __always_inline int thread_wanted(struct stream_pos *p, __u64 sk, __u64 id) {
    __u64 thread = p->thread;
    if ((thread >> 2) == (__u32)id && (thread & 3) != THREAD_UNKNOWN)
        return (thread & 3) == THREAD_WANTED;
    char comm[16] = {};
    bpf_get_current_comm(comm, sizeof(comm));
    int wanted = process_wanted(id >> 32, comm);
    p->thread = ((__u64)(__u32)id << 2) | (wanted ? THREAD_WANTED : THREAD_NOT);
    if (!wanted)
        return 0;
    __builtin_memcpy(p->comm, comm, sizeof(p->comm));
    p->observed = 1;
    if (p->addr.family == 0) {
        struct addr_info *addr = sock_addrs.lookup(&sk);
        if (addr)
            __builtin_memcpy(&p->addr, addr, sizeof(p->addr));
    }
    return 1;
}

/* Copies up to `want` bytes described by the call into s->data; returns the bytes copied. */
static __always_inline __u32 copy_payload(struct scratch_event *s, struct socket_call *call, __u32 want) {
    if (call->kind == BUF_PLAIN) {
        /* 64 bits, and opaque to the compiler: it would otherwise pass the caller's `ret` register as
         * the (32-bit) size, whose upper half the verifier sees unbounded. */
        __u64 n = want;
        barrier_var(n);
        if (n > CAPTURE_POW2)
            n = CAPTURE_POW2;
        bpf_probe_read_user(s->data, n, (void *)call->buf);
        return n;
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

/* The event's addresses, from the socket's entry (`addr`), or from sock_addrs when it has none. */
static __always_inline void fill_addresses(struct event_header *hdr, __u64 sk, struct addr_info *addr) {
    if (!addr)
        addr = sock_addrs.lookup(&sk);
    if (!addr || addr->family == 0) {
        hdr->family = 0; /* userspace resolves it from /proc (connections older than the agent) */
        return;
    }
    hdr->family = addr->family;
    hdr->role = addr->role;
    hdr->local_port = addr->local_port;
    hdr->peer_port = addr->peer_port;
    __builtin_memcpy(hdr->local_addr, addr->local_addr, 16);
    __builtin_memcpy(hdr->peer_addr, addr->peer_addr, 16);
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


/* ---- HTTP/1 state and shedding ---- */

/* The user address and length of the first buffer of the call's data (0 if none). */
static __always_inline __u64 first_segment(struct socket_call *call, __u64 *len) {
    if (call->kind == BUF_PLAIN)
        return call->buf;
    if (call->kind == BUF_NONE)
        return 0;
    struct iovec *vec = (struct iovec *)call->buf;
    if (call->kind == BUF_MSG) {
        struct user_msghdr msg = {};
        bpf_probe_read_user(&msg, sizeof(msg), (void *)call->buf);
        vec = msg.msg_iov;
        if (msg.msg_iovlen == 0)
            return 0;
    } else if (call->iovcnt == 0) {
        return 0;
    }
    struct iovec iov = {};
    bpf_probe_read_user(&iov, sizeof(iov), vec);
    if (iov.iov_len < *len)
        *len = iov.iov_len;
    return (__u64)iov.iov_base;
}

/* HTTP_* of a request line's method token, and its length with the space; 0 if none. */
static __always_inline __u8 method_of(__u64 w, __u32 *len) {
    __u32 w4 = (__u32)w;
    if (w4 == 0x20544547) { *len = 4; return HTTP_GET; }      /* "GET " */
    if (w4 == 0x54534f50 && (__u8)(w >> 32) == ' ') { *len = 5; return HTTP_POST; }
    if (w4 == 0x20545550) { *len = 4; return HTTP_PUT; }      /* "PUT " */
    if (w4 == 0x44414548 && (__u8)(w >> 32) == ' ') { *len = 5; return HTTP_HEAD; }
    __u64 w6 = w & 0xffffffffffffULL;
    if ((w & 0xffffffffffffffULL) == 0x204554454c4544ULL) { *len = 7; return HTTP_DELETE; }  /* "DELETE " */
    if (w == 0x20534e4f4954504fULL) { *len = 8; return HTTP_OPTIONS; }                    /* "OPTIONS " */
    if (w6 == 0x204843544150ULL) { *len = 6; return HTTP_PATCH; }                         /* "PATCH " */
    if (w == 0x205443454e4e4f43ULL) { *len = 8; return HTTP_CONNECT; }                    /* "CONNECT " */
    if (w6 == 0x204543415254ULL) { *len = 6; return HTTP_TRACE; }                         /* "TRACE " */
    return 0;
}

/* The duration bucket of `ns`: the number of bounds below it (bisect_left, as HttpMetrics). */
static __always_inline __u32 duration_bucket(__u64 ns) {
    const __u64 bounds[SHED_BOUNDS] = {
        5000000ULL, 10000000ULL, 25000000ULL, 50000000ULL, 75000000ULL, 100000000ULL, 250000000ULL,
        500000000ULL, 750000000ULL, 1000000000ULL, 2500000000ULL, 5000000000ULL, 7500000000ULL, 10000000000ULL,
    };
    __u32 index = 0;
#pragma unroll
    for (int i = 0; i < SHED_BOUNDS; i++) {
        if (ns > bounds[i])
            index = i + 1;
    }
    return index;
}

/* Counts the socket's shed exchange in `shed_counts` (if one is in progress) and forgets it. */
static __always_inline void finalize_shed(struct stream_pos *p, __u64 now) {
    if (!p->shed)
        return;
    p->shed = 0;
    __u64 end = p->end_ns ? p->end_ns : now;
    __u64 ns = end > p->start_ns ? end - p->start_ns : 0;
    struct shed_value *v = shed_counts.lookup(&p->key);
    if (!v) {
        int zero = 0;
        struct shed_value *fresh = shed_scratch.lookup(&zero);
        if (!fresh)
            return;
        __builtin_memset(fresh, 0, sizeof(*fresh));
        fresh->min_ns = ~0ULL;
        __builtin_memcpy(fresh->comm, p->comm, sizeof(fresh->comm));
        __builtin_memcpy(fresh->path, p->path, sizeof(fresh->path));
        shed_counts.insert(&p->key, fresh);
        v = shed_counts.lookup(&p->key);
        if (!v) {
            count(STAT_SHED_OVERFLOW);
            struct shed_key overflow = {};
            overflow.tgid = SHED_OVERFLOW_TGID;
            v = shed_counts.lookup(&overflow);
            if (!v)
                return;
        }
    }
    v->count += 1;
    v->sum_ns += ns;
    if (ns < v->min_ns)
        v->min_ns = ns;
    if (ns > v->max_ns)
        v->max_ns = ns;
    __u32 b = duration_bucket(ns);
    if (b < SHED_BUCKETS)
        v->buckets[b] += 1;
}

/* Counts the shed exchange now, before its answer may be complete: the peer is gone (EOF, a
 * connection error, TCP_CLOSE).  What the process still writes belongs to it: no event. */
static __always_inline void end_shed_early(struct stream_pos *p, __u64 now) {
    if (!p->shed)
        return;
    finalize_shed(p, now);
    p->after_shed = 1;
}

/* Whether this CPU's token bucket lets one more exchange through to userspace (taking its token
 * if `take`). */
static __always_inline int rate_allows(__u64 now, int take) {
    int zero = 0;
    __u64 *rate = shed_config.lookup(&zero);
    if (!rate || *rate == 0)
        return 1;
    struct rate_bucket *b = rate_buckets.lookup(&zero);
    if (!b)
        return 1;
    __u64 r = *rate;
    __u64 elapsed = now - b->last;
    if (elapsed > NS_PER_EXCHANGE)
        elapsed = NS_PER_EXCHANGE; /* a full bucket is at most 1 s of tokens: no overflow below */
    b->last = now;
    __u64 cap = r * NS_PER_EXCHANGE; /* bursts of up to 1 s of the rate */
    __u64 tokens = b->tokens + elapsed * r;
    if (tokens > cap)
        tokens = cap;
    if (tokens < NS_PER_EXCHANGE) {
        b->tokens = tokens;
        return 0;
    }
    b->tokens = take ? tokens - NS_PER_EXCHANGE : tokens;
    return 1;
}

/* Whether an exchange starting now would be shed (nothing taken). */
static __always_inline int would_shed(__u64 now) {
    int one = 1;
    __u64 *pressure = shed_config.lookup(&one);
    if (pressure && *pressure && bpf_ringbuf_query(EVENTS_MAP, BPF_RB_AVAIL_DATA) > *pressure)
        return 1;
    return !rate_allows(now, 0);
}

/* Starts counting a shed exchange whose request line begins at user address `head`. */
static __always_inline void start_shed(struct stream_pos *p, __u64 id, struct socket_call *call, __u8 method,
                                       __u64 head, __u32 mlen, __u64 seglen, __u16 port, __u8 role, __u64 ts_exit,
                                       __u8 tls) {
    p->shed = 1;
    p->resync = 1;
    p->req_dir = call->direction;
    p->end_ns = 0;
    p->start_ns = role == ROLE_CLIENT ? call->ts_enter : ts_exit;
    __builtin_memset(&p->key, 0, sizeof(p->key));
    p->key.tgid = id >> 32;
    p->key.role = role;
    p->key.method = method;
    p->key.port = port;
    p->key.minor = 1; /* p->comm is the calling thread's (thread_wanted) */
    p->key.tls = tls;
    /* The path: read once, hashed up to '?' or ' ' (FNV-1a), kept for userspace's http.route. */
    __u64 n = seglen > mlen ? seglen - mlen : 0;
    __builtin_memset(p->path, 0, sizeof(p->path));
    if (n >= SHED_PATH_BYTES)
        bpf_probe_read_user(p->path, SHED_PATH_BYTES, (void *)(head + mlen));
    else if (n > 0) /* (the mask: a bound the verifier sees; SHED_PATH_BYTES is a power of two) */
        bpf_probe_read_user(p->path, n & (SHED_PATH_BYTES - 1), (void *)(head + mlen));
    __u64 hash = 0xcbf29ce484222325ULL;
    int end = 0;
    for (int i = 0; i < SHED_PATH_BYTES; i++) {
        char c = p->path[i];
        if (end || c == '?' || c == ' ' || c == 0 || c == '\r' || c == '#') {
            end = 1;
            p->path[i] = 0;
            continue;
        }
        hash = (hash ^ (__u8)c) * 0x100000001b3ULL;
    }
    p->key.path_hash = hash;
}

/* The first bytes a direction of a socket left as not HTTP/1 moved: the HTTP/2 preface makes it HTTP_H2.
 * An HTTP/2 server (gRPC's, nghttpd) may send its SETTINGS before it reads the client's preface. */
static __always_inline void h2_preface(struct stream_pos *p, struct socket_call *call, long ret) {
    __u64 seglen = (__u64)ret;
    __u64 head = first_segment(call, &seglen);
    if (!head || seglen < 8)
        return;
    __u64 w = 0;
    bpf_probe_read_user(&w, sizeof(w), (void *)head);
    if (w == H2_PREFACE_W)
        p->http = HTTP_H2;
}

/* Reads the socket's HTTP/1 state for a call that moved data.  Returns 1 if the call belongs to
 * a shed exchange (no event), else 0; sets EVENT_RESYNC in *flags when due. */
static __always_inline int http_state(struct stream_pos *p, __u64 id, struct socket_call *call, long ret,
                                      __u64 now, __u16 *flags) {
    if (call->phase_start && p->http <= HTTP_YES) {
        __u64 seglen = (__u64)ret;
        __u64 head = first_segment(call, &seglen);
        if (head && seglen >= 12) {
            __u8 first[16] = {};
            bpf_probe_read_user(first, seglen >= 16 ? 16 : 12, (void *)head);
            __u64 w = *(__u64 *)first;
            __u32 mlen = 0;
            __u8 method = method_of(w, &mlen);
            if (method) {
                p->http = HTTP_YES;
                finalize_shed(p, now);
                p->after_shed = 0;
                int reason = -1;
                int one = 1;
                __u64 *pressure = shed_config.lookup(&one);
                if (pressure && *pressure && bpf_ringbuf_query(EVENTS_MAP, BPF_RB_AVAIL_DATA) > *pressure)
                    reason = STAT_SHED_RING_PRESSURE;
                else if (!rate_allows(now, 1))
                    reason = STAT_SHED_RATE;
                if (reason >= 0) {
                    __u8 role = ROLE_UNKNOWN;
                    __u16 port = 0;
                    struct addr_info *addr = p->addr.family ? &p->addr : 0;
                    if (addr)
                        role = addr->role;
                    if (role == ROLE_UNKNOWN)
                        role = call->direction == DIR_INBOUND ? ROLE_SERVER : ROLE_CLIENT;
                    if (addr)
                        port = role == ROLE_SERVER ? addr->local_port : addr->peer_port;
#ifdef FILTER_PORTS
                    if (addr) {
                        __u16 lp = addr->local_port, pp = addr->peer_port;
                        if (!filter_ports.lookup(&lp) && !filter_ports.lookup(&pp)) {
                            p->http = HTTP_NOT; /* never reported: not counted either */
                            return 0;
                        }
                    }
#endif
                    count(reason);
                    start_shed(p, id, call, method, head, mlen, seglen, port, role, now, (*flags & EVENT_TLS) != 0);
                    return 1;
                }
            } else if ((w & 0xffffffffffffffULL) == 0x2e312f50545448ULL /* "HTTP/1." */) {
                p->http = HTTP_YES;
                if (p->after_shed)
                    return 1; /* the answer of an exchange counted when its peer went away */
                if (p->shed) {
                    __u16 status = (first[9] - '0') * 100 + (first[10] - '0') * 10 + (first[11] - '0');
                    p->key.status = status;
                    p->key.minor = first[7] - '0';
                    p->end_ns = now;
                    return 1;
                }
            } else if (p->http == HTTP_UNKNOWN && call->pos == 0 && call->other_pos == 0 && w == H2_PREFACE_W) {
                p->http = HTTP_H2; /* the connection's first bytes are HTTP/2's preface */
            } else if (p->http == HTTP_UNKNOWN && call->pos == 0 && call->other_pos == 0) {
                /* The connection's first bytes are not HTTP/1 (nor HTTP/2's preface, above: h2c with
                 * prior knowledge, or h2 plaintext from the TLS uprobes, whose calls are shipped whole;
                 * a server that spoke first gets it from h2_preface; one upgraded after a 101, at
                 * its preface, in on_transfer). */
                p->http = HTTP_NOT;
            }
        }
    }
    if (p->shed) {
        if (call->direction != p->req_dir)
            p->end_ns = now; /* the response goes on */
        return 1;
    }
    if (p->after_shed)
        return 1;
    if (p->resync)
        *flags |= EVENT_RESYNC;
    return 0;
}

/* The current task's saved user registers.  The socket path runs inside sock_sendmsg/sock_recvmsg
 * (Linux 6.3+) and has bpf_task_pt_regs (5.15+); the syscall path runs on older kernels too, where
 * they are found as the kernel's task_pt_regs() finds them: at the top of the task's kernel stack,
 * `task->stack` read at its BTF offset, plus THREAD_SIZE (16 KiB on x86-64 and arm64; the compile
 * headers' value, which a KASAN kernel would double). */
static __always_inline struct pt_regs *current_user_regs(void) {
#ifdef SYSCALL_PATH
    __u64 stack = 0;
    bpf_probe_read_kernel(&stack, sizeof(stack), (void *)(bpf_get_current_task() + TASK_STACK));
    return user_regs_below(stack + THREAD_SIZE);
#else
    return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
#endif
}

/* Fills the call from the syscall's saved user registers (`regs`; 0: the current task's).  Returns 0
 * for a call made by no user syscall (a kernel thread or an io_uring worker). */
static __always_inline int read_syscall(struct socket_call *call, struct pt_regs *regs, __u8 direction) {
    struct syscall_frame r;
    if (!load_syscall_frame(regs ? regs : current_user_regs(), &r))
        return 0;
    call->fd = (__s32)r.arg1;
    call->buf = r.arg2;
    switch (r.nr) {
    case NR_READ:
    case NR_WRITE:
    case NR_SENDTO:
    case NR_RECVFROM:
        call->kind = BUF_PLAIN;
        break;
    case NR_READV:
    case NR_WRITEV:
        call->kind = BUF_IOV;
        call->iovcnt = r.arg3;
        break;
    case NR_SENDMSG:
    case NR_RECVMSG:
        call->kind = BUF_MSG;
        break;
    case NR_SENDFILE: /* bytes and timing, no payload; one event per socket call */
        call->kind = BUF_NONE;
        break;
    case NR_SPLICE: /* splice(fd_in, off_in, fd_out, ...): counted, never copied */
        call->kind = BUF_UNFOLLOWED;
        if (direction == DIR_OUTBOUND)
            call->fd = (__s32)r.arg3; /* the socket is fd_out */
        break;
    default:
        call->kind = BUF_UNFOLLOWED;
    }
    return 1;
}

/* Whether a socket call of the thread `id` moved TLS ciphertext: it runs inside one of the thread's
 * SSL_read/SSL_write calls (whose socket it then tells: tls_return), or the socket's first bytes
 * seen here were a TLS record (a handshake, or the records of a connection older than the agent).
 * Its bytes make no event and move no stream position: the positions count plaintext, sent by
 * the uprobes.  EOF and errors are the connection's own: still reported (returns 0). */
/* Whether the call's data starts with a TLS record header: content type 20-23 (change_cipher_spec,
 * alert, handshake, application_data), then the version's major byte 3 (SSL 3.0 to TLS 1.3). */
static __always_inline int tls_record(struct socket_call *call, long ret) {
    __u64 len = (__u64)ret;
    __u64 head = first_segment(call, &len);
    if (!head || len < 3)
        return 0;
    __u8 record[3] = {};
    bpf_probe_read_user(record, sizeof(record), (void *)head);
    return record[0] >= 20 && record[0] <= 23 && record[1] == 3 && record[2] <= 4;
}

static __always_inline int tls_ciphertext(struct stream_pos *p, __u64 id, __u64 sk, struct socket_call *call,
                                          __u8 type, long ret, __u8 direction) {
    struct tls_call *c = tls_calls.lookup(&id);
    if (!c && (p->tls || p->last_dir == 0 || p->http == HTTP_NOT)) {
        /* A Go program's TLS call: its goroutine is in the syscall's saved R14.  Looked up for the
         * sockets known as TLS, and, in a process that made Go TLS calls, for new sockets and those
         * whose first bytes were not HTTP (a connection older than the agent, seen mid-record). */
        __u32 tgid = id >> 32;
        if (p->tls || go_tls_processes.lookup(&tgid)) {
            struct pt_regs *regs = call->regs ? call->regs : current_user_regs();
            struct go_key key = {};
            bpf_probe_read_kernel(&key.g, sizeof(key.g), &GO_G(regs));
            key.tgid = tgid;
            c = go_tls_calls.lookup(&key);
        }
    }
    /* A socket that carried plaintext HTTP is not taken for TLS by a call alone (a stale call must
     * not silence it), only when these bytes are TLS records too (TLS after a CONNECT to a proxy). */
    if (c && (p->tls || p->last_dir == 0 || p->http == HTTP_NOT
              || (type == EVENT_DATA && tls_record(call, ret)))) {
        c->sk = sk;
        c->fd = call->fd;
        p->tls = 1;
        p->tls_ssl = c->ssl;
        return type == EVENT_DATA;
    }
    if (p->tls) {
        if (type == EVENT_DATA && direction == DIR_INBOUND) {
            struct tls_sock last = {};
            last.sk = sk;
            last.fd = call->fd;
            last.ts = bpf_ktime_get_ns();
            tls_last_read.update(&id, &last);
        }
        return type == EVENT_DATA;
    }
    if (type != EVENT_DATA || p->last_dir != 0)
        return 0;
    if (tls_record(call, ret)) {
        p->tls = 1;
        return 1;
    }
    return 0;
}

/* A readv/writev/recvmsg/sendmsg with one iovec is a call on one buffer: made BUF_PLAIN, so that an
 * HTTP/2 connection gets the pieces of its large calls (gRPC reads into one buffer; its writes have
 * tens of iovecs, of which the first CAPTURE_BYTES only are read: see MAX_IOV). */
static __always_inline void single_buffer(struct socket_call *call) {
    if (call->kind == BUF_MSG) {
        /* Its msghdr read once: from here on the call is its iovec array (start_walk's too). */
        struct user_msghdr msg = {};
        bpf_probe_read_user(&msg, sizeof(msg), (void *)call->buf);
        call->buf = (__u64)msg.msg_iov;
        call->iovcnt = msg.msg_iovlen;
        call->kind = BUF_IOV;
    }
    if (call->iovcnt != 1)
        return;
    struct iovec iov = {};
    bpf_probe_read_user(&iov, sizeof(iov), (void *)call->buf);
    call->buf = (__u64)iov.iov_base;
    call->kind = BUF_PLAIN;
}

/* Prepares h2_iov_walk for an HTTP/2 call on an iovec array (BUF_IOV, as single_buffer left it; the
 * event's header is in `s`): it ships min(ret, H2_CHUNKS pieces) bytes, in pieces of
 * H2_CAPTURE_BYTES but the last.  1: tail-call it. */
static __always_inline int start_walk(struct scratch_event *s, struct socket_call *call, long ret) {
    int zero = 0;
    struct iov_walk *w = iov_walks.lookup(&zero);
    if (!w)
        return 0;
    __u64 end = (__u64)ret < H2_CHUNKS * H2_CAPTURE_BYTES ? (__u64)ret : H2_CHUNKS * H2_CAPTURE_BYTES;
    if ((__u64)ret > H2_CAPTURE_BYTES)
        count(STAT_TRUNCATED);
    w->vec = call->buf;
    w->iovcnt = call->iovcnt;
    w->index = 0;
    w->skip = 0;
    w->offset = 0;
    w->fill = 0;
    w->end = end;
    s->hdr.more = (end - 1) / H2_CAPTURE_BYTES; /* the pieces after the first */
    return 1;
}

/* Data, EOF or an error on socket `sk`: from the socket call the thread is in (`tls_buf` 0), or
 * the plaintext a TLS library call of the thread moved (`tls_buf`: its buffer, `tls_fd` its
 * socket's fd): the event, the stream positions and the HTTP/1 state, from there on the same. */
static __always_inline int on_transfer(__u64 sk, long ret, __u8 type, __u8 direction, __u64 tls_buf, __s32 tls_fd,
                                        __u64 tls_ssl, struct pt_regs *regs) {
    /* A socket with positions is TCP over IPv4/IPv6 (only those get some): its struct sock is read
     * only the first time.  (bench/bench_kernel_cost.py, with the port filter decided once per
     * socket below: sock_recv_length 684 -> 596-616 ns a call, sock_send_length 879 -> 791-821.)
     * The process filter comes after the protocol: a UNIX or UDP socket costs no comm read. */
    struct stream_pos *p = stream_positions.lookup(&sk);
    __u64 id = bpf_get_current_pid_tgid();
    char comm[16] = {}; /* the thread's name when the socket has no entry */
    if (!p) {
        if (read_u16(sk, SK_PROTOCOL) != IPPROTO_TCP_)
            return 0;
        __u16 family = read_u16(sk, SK_FAMILY);
        if (family != AF_INET_ && family != AF_INET6_)
            return 0;
        int zero = 0;
        struct stream_pos *empty = empty_pos.lookup(&zero);
        if (empty)
            stream_positions.insert(&sk, empty);
        p = stream_positions.lookup(&sk);
        if (!p) {
            bpf_get_current_comm(comm, sizeof(comm));
            if (!process_wanted(id >> 32, comm))
                return 0;
            count(STAT_POS_MAP_FULL);
        }
    }
    if (p && !thread_wanted(p, sk, id))
        return 0;
    struct socket_call call = {};
    call.regs = regs;
    if (tls_buf) {
        call.buf = tls_buf;
        call.fd = tls_fd;
        call.kind = BUF_PLAIN;
    } else if (!read_syscall(&call, regs, direction)) {
        return 0;
    }
    if (p) {
        p->tgid = id >> 32;
        p->fd = call.fd;
        if (tls_buf) {
            /* (An entry made for this plaintext, after an eviction, must know the socket is TLS.) */
            p->tls = 1;
            p->tls_ssl = tls_ssl;
        } else if (tls_ciphertext(p, id, sk, &call, type, ret, direction)) {
            return 0;
        }
    } else if (!tls_buf) {
        struct tls_call *c = tls_calls.lookup(&id); /* no positions for it (the map is full) */
        if (c) {
            c->sk = sk;
            c->fd = call.fd;
            return 0;
        }
    }
    __u64 now = bpf_ktime_get_ns();
    call.sk = sk;
    call.ts_enter = now;
    call.direction = direction;
    if (type == EVENT_DATA && p) {
        /* Counted before anything can fail (and for calls not followed): whatever happens to this
         * call's event, the next event of the socket starts `ret` bytes further. */
        if (p->last_dir != direction + 1) {
            p->last_dir = direction + 1;
            p->turn += 1;
            call.phase_start = 1;
        }
        call.turn = p->turn;
#ifndef NO_ATOMIC_FETCH
        call.pos = __sync_fetch_and_add(&p->pos[direction & 1], (__u64)ret);
#else
        /* No fetching atomics before Linux 5.12: two threads moving data on one socket at the same
         * instant may get one position (their bytes are still all counted: the add is atomic). */
        call.pos = p->pos[direction & 1];
        __sync_fetch_and_add(&p->pos[direction & 1], (__u64)ret);
#endif
        call.other_pos = p->pos[(direction ^ 1) & 1];
        call.pos_valid = 1;
    }
    if (call.kind == BUF_UNFOLLOWED)
        return 0;
#ifdef FILTER_PORTS
    if (p && p->ports == PORTS_NOT)
        return 0; /* its positions are kept (cheap), nothing else */
#endif

    __u16 flags = tls_buf ? EVENT_TLS : 0;
    /* The common case reads nothing more: a new phase of a socket known to be HTTP, nothing shed
     * on it, and an exchange starting now would not be shed.  Whether it starts one (and takes a
     * token) is then read from the payload copied for the event. */
    int classify_copy = 0;
    if (p) {
        if (type == EVENT_DATA) {
            if (call.phase_start && (p->http == HTTP_NOT || p->http == HTTP_UNKNOWN) && (call.pos | call.other_pos)
                && h2_marks.lookup(&sk)) {
                p->http = HTTP_H2; /* userspace found HTTP/2 frames on it (older than the agent) */
                h2_marks.delete(&sk);
            }
            /* A response starts no exchange: nothing to decide (a server's writes, a client's reads). */
            __u8 role = p->addr.role;
            int response = (role == ROLE_SERVER && direction == DIR_OUTBOUND) || (role == ROLE_CLIENT && direction == DIR_INBOUND);
            if (call.phase_start && p->http == HTTP_YES && !(p->shed | p->resync | p->after_shed)
                && (response || !would_shed(now))) {
                classify_copy = !response;
                /* The first request after the first answer: after a 101 to `Upgrade: h2c` it is the
                 * HTTP/2 preface (the client writes it, the server reads it), and the socket is HTTP/2
                 * from this call on.  One 8-byte read per keep-alive connection. */
                if (!response && call.turn == 3)
                    h2_preface(p, &call, ret);
            }
            else if ((call.phase_start && p->http <= HTTP_YES) || (p->shed | p->resync | p->after_shed)) {
                if (http_state(p, id, &call, ret, now, &flags))
                    return 0; /* shed: no copy, no event */
            } else if (p->http == HTTP_NOT && call.pos == 0 && call.pos_valid)
                h2_preface(p, &call, ret); /* a server that spoke first (HTTP/2 SETTINGS) reads it now */
        } else {
            end_shed_early(p, now); /* EOF or error: the exchange ends here */
            if (p->resync)
                flags = EVENT_RESYNC;
        }
    }

    struct scratch_event *s = new_event(type, id, call.fd, sk);
    if (!s)
        return 0;
    struct event_header *hdr = &s->hdr;
    hdr->direction = direction;
    hdr->ts_enter = now;
    hdr->ts_exit = now;
    hdr->ret = ret;
    if (type == EVENT_DATA && call.pos_valid) {
        hdr->stream_pos = call.pos;
        hdr->other_pos = call.other_pos;
        hdr->turn = call.turn;
        hdr->flags = EVENT_POS_VALID;
    }
    if (flags) {
        hdr->flags |= flags;
        if (type != EVENT_DATA && p)
            hdr->turn = p->turn;
    }
    __builtin_memcpy(hdr->comm, p ? p->comm : comm, sizeof(hdr->comm));
    fill_addresses(hdr, sk, p ? &p->addr : 0);
#ifdef FILTER_PORTS
    /* Decided once per socket whose addresses are known (the others are filtered in userspace). */
    if (hdr->family != 0 && !(p && p->ports == PORTS_WANTED)) {
        __u16 local_port = hdr->local_port, peer_port = hdr->peer_port;
        __u8 wanted = filter_ports.lookup(&local_port) || filter_ports.lookup(&peer_port);
        if (p)
            p->ports = wanted ? PORTS_WANTED : PORTS_NOT;
        if (!wanted)
            return 0;
    }
#endif

    __u32 captured = 0;
    __u16 more = 0;
    int h2 = p && p->http == HTTP_H2;
    if (type == EVENT_DATA && h2 && (call.kind == BUF_IOV || call.kind == BUF_MSG))
        single_buffer(&call); /* gRPC reads into one iovec: then its pieces follow as a plain read's;
                               * more iovecs (a msghdr's too) are BUF_IOV from here on */
    if (type == EVENT_DATA && h2 && call.kind != BUF_PLAIN) {
        /* An HTTP/2 call on many iovecs (a gRPC client's batch of calls): its events are all
         * h2_iov_walk's, which the caller tail-calls.  Decided before the copy: code after it is
         * verified once per state the copy's loop leaves, and that made the program too complex. */
        if (flags && p)
            p->resync = 0;
        return start_walk(s, &call, ret);
    }
    __u32 piece = h2 ? H2_CAPTURE_BYTES : CAPTURE_BYTES;
    if (type == EVENT_DATA) {
        __u32 want = ret;
        if (ret > piece) {
            want = piece;
            count(STAT_TRUNCATED);
            /* Reads into one buffer get the next pieces too: a read can hold a batch of
             * pipelined requests or a header block larger than CAPTURE_BYTES.  So does every
             * syscall of an HTTP/2 connection, whatever its buffers: its frames of many streams
             * share syscalls, and one header block lost makes the HPACK table unknown for good. */
            if ((direction == DIR_INBOUND || h2) && call.kind == BUF_PLAIN) {
                __u64 pieces = ((__u64)ret - 1) / piece; /* ret > piece here */
                __u64 most = h2 ? H2_CHUNKS - 1 : READ_CHUNKS - 1;
                more = pieces < most ? pieces : most;
            }
        }
        captured = copy_payload(s, &call, want);
        __u32 mlen = 0;
        if (classify_copy && captured >= 8 && method_of(*(__u64 *)s->data, &mlen))
            rate_allows(now, 1); /* a request: its token */
    }
    hdr->captured = captured;
    hdr->more = more;
    if (send_event(s, captured) == 0 && flags && p)
        p->resync = 0; /* userspace has been told */

    /* A bounded loop (kernel >= 5.3 verifies it).  `k` is made opaque to clang: it would otherwise
     * count the loop by offset and end it on offset != more * CAPTURE_BYTES, which the verifiers
     * before 6.x cannot bound ("the sequence of 8193 jumps is too complex" on 6.1), and it declines
     * to unroll it. */
    for (int k = 1; k < (READ_CHUNKS > H2_CHUNKS ? READ_CHUNKS : H2_CHUNKS); k++) {
        barrier_var(k);
        if (k > more)
            break;
        __u32 offset = k * piece;
        __u64 n = (__u64)ret - offset; /* > 0: k <= more */
        if (n > piece)
            n = piece;
        if (n > CAPTURE_POW2)
            n = CAPTURE_POW2;
        hdr->type = EVENT_DATA_MORE;
        hdr->offset = offset;
        hdr->more = 0;
        hdr->captured = n;
        bpf_probe_read_user(s->data, n, (void *)(call.buf + offset));
        send_event(s, n);
    }
    return 0;
}

/* The events of an HTTP/2 call on many iovecs (iov_walks, set by start_walk): pieces filled to
 * H2_CAPTURE_BYTES but the last, the first an EVENT_DATA, the others EVENT_DATA_MORE: WALK_IOVS iovecs
 * per run, then it tail-calls itself (at most 33 times in all: 1,000 iovecs, more than a gRPC
 * sendmsg's 260).  A walk cut short (the kernel's tail-call limit) is counted: the pieces missing
 * are a gap in what userspace reads of that call. */
int h2_iov_walk(struct bpf_raw_tracepoint_args *ctx) {
    int zero = 0;
    struct iov_walk *w = iov_walks.lookup(&zero);
    struct scratch_event *s = scratch.lookup(&zero);
    if (!w || !s)
        return 0;
    __u32 fill = w->fill;
    __u32 index = w->index;
    __u32 skip = w->skip;
    __u32 iovcnt = w->iovcnt;
    __u32 room = H2_CAPTURE_BYTES - fill;
    __u32 left = w->end - w->offset - fill;
    if (room > left)
        room = left;
    struct iovec *vec = (struct iovec *)w->vec;
    /* One branch per iovec besides the clamps: each branch multiplies the states the verifier
     * walks (16 iovecs with one more went past its million instructions). */
    __u64 used = 0, len = 0; /* of the last iovec read: how much of it is shipped, of how much */
#pragma unroll
    for (int i = 0; i < WALK_IOVS; i++) {
        if (room == 0 || index >= iovcnt)
            break;
        struct iovec iov = {};
        bpf_probe_read_user(&iov, sizeof(iov), &vec[index]);
        __u64 n = iov.iov_len - skip; /* skip < iov_len: see below */
        if (n > room)
            n = room;
        if (n > CAPTURE_POW2)
            n = CAPTURE_POW2;
        bpf_probe_read_user(&s->data[fill & (CAPTURE_POW2 - 1)], n, iov.iov_base + skip);
        fill += n;
        room -= n;
        used = skip + n;
        len = iov.iov_len;
        index++;
        skip = 0;
    }
    if (used < len) { /* the piece filled up inside the last iovec read: the rest of it is next */
        index--;
        skip = used;
    }
    int done = room == 0 ? w->offset + fill >= w->end : index >= iovcnt;
    if (room == 0 || done) {
        struct event_header *hdr = &s->hdr;
        if (w->offset) { /* the first piece is the call's EVENT_DATA (its `more` set by start_walk) */
            hdr->type = EVENT_DATA_MORE;
            hdr->offset = w->offset;
            hdr->more = 0;
        }
        hdr->captured = fill;
        send_event(s, fill);
        w->offset += fill;
        fill = 0;
    }
    if (done)
        return 0;
    w->fill = fill;
    w->index = index;
    w->skip = skip;
    walk_programs.call(ctx, 0);
    count(STAT_WALK_CUT); /* the tail call failed: the call's last pieces are not shipped */
    return 0;
}

/* sock_{send,recv}_length(struct sock *sk, int ret, int flags): inside sock_sendmsg/sock_recvmsg. */
static __always_inline void on_socket_call(struct bpf_raw_tracepoint_args *ctx, __u8 direction) {
    __u64 sk = ctx->args[0];
    long ret = (int)ctx->args[1];
    if (direction == DIR_INBOUND && ((int)ctx->args[2] & MSG_PEEK_))
        return; /* the bytes stay in the socket: the read that takes them is the one to see */
    __u8 type;
    if (ret > 0)
        type = EVENT_DATA;
    else if (ret == 0 && direction == DIR_INBOUND)
        type = EVENT_EOF;
    else if (ret == -104 || ret == -32 || ret == -110 || ret == -103) /* ECONNRESET EPIPE ETIMEDOUT ECONNABORTED */
        type = EVENT_ERROR;
    else
        return; /* would-block and other non-events */
    if (on_transfer(sk, ret, type, direction, 0, 0, 0, 0))
        walk_programs.call(ctx, 0);
}

#ifndef SYSCALL_PATH
RAW_TRACEPOINT_PROBE(sock_recv_length) {
    on_socket_call(ctx, DIR_INBOUND);
    return 0;
}
RAW_TRACEPOINT_PROBE(sock_send_length) {
    on_socket_call(ctx, DIR_OUTBOUND);
    return 0;
}
#else
/* ---- the syscall path: kernels without sock_{send,recv}_length (before Linux 6.3) ----
 *
 * raw_syscalls:sys_exit runs at the end of every syscall of every thread, with the syscall's saved
 * user registers and its return value: the number says whether it is a payload syscall (and its
 * direction), the first argument is the fd, and the data is still in the user buffer, as at
 * sock_*_length.  Only the exit is needed: a syscall leaves its argument registers as it found them.
 * The fd becomes the `struct sock *` the rest of the program keys on through the task's file table,
 * read at BTF offsets (TASK_FILES ... SOCKET_SK): no kprobe, no map of fds to keep right across
 * dup2, fork and SCM_RIGHTS.  From there on the call is the socket path's (on_transfer).
 *
 * Costs (docs/cost.md, "The syscall path"): every syscall of the host runs this program up to the
 * switch on its number, and every read/write also walks the file table (a pipe's or a file's
 * stops at the inode's mode). */

/* The TCP-or-other socket behind the calling task's `fd` (its `struct sock *`), 0 if the fd is no
 * socket.  fd < max_fds is checked: the table may have been replaced since, not shrunk under us. */
static __always_inline __u64 socket_of_fd(__u64 fd) {
    __u64 files = 0, fdt = 0, array = 0, file = 0, inode = 0, socket = 0, sk = 0;
    __u32 max_fds = 0;
    __u16 mode = 0;
    if (fd >= (1U << 30))
        return 0; /* negative, or beyond any fd table */
    bpf_probe_read_kernel(&files, sizeof(files), (void *)(bpf_get_current_task() + TASK_FILES));
    if (!files)
        return 0;
    bpf_probe_read_kernel(&fdt, sizeof(fdt), (void *)(files + FILES_FDT));
    bpf_probe_read_kernel(&max_fds, sizeof(max_fds), (void *)(fdt + FDT_MAX_FDS));
    if (fd >= max_fds)
        return 0;
    bpf_probe_read_kernel(&array, sizeof(array), (void *)(fdt + FDT_FD));
    bpf_probe_read_kernel(&file, sizeof(file), (void *)(array + fd * sizeof(__u64)));
    if (!file)
        return 0;
    bpf_probe_read_kernel(&inode, sizeof(inode), (void *)(file + FILE_INODE));
    bpf_probe_read_kernel(&mode, sizeof(mode), (void *)(inode + INODE_MODE));
    if ((mode & S_IFMT_) != S_IFSOCK_)
        return 0;
    bpf_probe_read_kernel(&socket, sizeof(socket), (void *)(file + FILE_PRIVATE_DATA));
    bpf_probe_read_kernel(&sk, sizeof(sk), (void *)(socket + SOCKET_SK));
    return sk;
}

RAW_TRACEPOINT_PROBE(sys_exit) {
    struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
    long ret = ctx->args[1];
    __u64 nr = 0;
    bpf_probe_read_kernel(&nr, sizeof(nr), SYSCALL_NR_PTR(regs));
    __u8 direction;
    switch (nr) {
    case NR_READ:
    case NR_READV:
    case NR_RECVFROM:
    case NR_RECVMSG:
        direction = DIR_INBOUND;
        break;
    case NR_WRITE:
    case NR_WRITEV:
    case NR_SENDTO:
    case NR_SENDMSG:
    case NR_SENDFILE:
    case NR_SPLICE:
        direction = DIR_OUTBOUND;
        break;
    default:
        return 0;
    }
    __u8 type;
    if (ret > 0)
        type = EVENT_DATA;
    else if (ret == 0 && direction == DIR_INBOUND)
        type = EVENT_EOF; /* (a zero-length read is told apart below) */
    else if (ret == -104 || ret == -32 || ret == -110 || ret == -103) /* ECONNRESET EPIPE ETIMEDOUT ECONNABORTED */
        type = EVENT_ERROR;
    else
        return 0; /* would-block and other non-events */
#ifdef FILTER_PIDS
    __u32 tgid = bpf_get_current_pid_tgid() >> 32;
    if (!filter_pids.lookup(&tgid))
        return 0; /* before the file table's walk: the cheapest "no" */
#endif
    struct syscall_frame f;
    if (!load_syscall_frame(regs, &f))
        return 0;
    __u32 fd = (__u32)f.arg1; /* an int: the upper half of the register is not the fd's */
    __u64 sk;
    if (nr == NR_SPLICE) {
        /* splice(fd_in, off_in, fd_out, ...): bytes into or out of a socket, counted, never copied. */
        if (type != EVENT_DATA)
            return 0;
        sk = socket_of_fd((__u32)f.arg3);
        if (!sk) {
            sk = socket_of_fd(fd);
            direction = DIR_INBOUND;
        }
    } else {
        if (type == EVENT_EOF && (nr == NR_READ || nr == NR_RECVFROM || nr == NR_READV) && f.arg3 == 0)
            return 0; /* read(fd, buf, 0), readv(fd, iov, 0): no EOF (the sock path never sees them) */
        if (direction == DIR_INBOUND && (nr == NR_RECVFROM || nr == NR_RECVMSG)) {
            __u64 flags = f.arg3; /* recvmsg(fd, msg, flags) */
            if (nr == NR_RECVFROM)
                bpf_probe_read_kernel(&flags, sizeof(flags), SYSCALL_ARG4_PTR(regs));
            if (flags & MSG_PEEK_)
                return 0; /* the bytes stay in the socket: the read that takes them is the one to see */
        }
        sk = socket_of_fd(fd);
    }
    /* One call site: on_transfer is inlined once (half the program, half the verifier's work). */
    if (sk && on_transfer(sk, ret, type, direction, 0, 0, 0, regs))
        walk_programs.call(ctx, 0); /* the iovecs of an HTTP/2 call past its first event */
    return 0;
}
#endif

/* ---- TLS plaintext: uprobes on the TLS library's SSL_read, SSL_write, SSL_read_ex, SSL_write_ex ----
 *
 * Attached by userspace (otel_ebpf/receivers/ebpf/tls.py) to each libssl file and to executables
 * that link OpenSSL statically: at entry the thread's call is remembered (tls_calls); the syscall
 * the library makes inside it moves ciphertext on the socket, which tls_ciphertext names and keeps
 * from becoming an event; at return the plaintext is sent as that socket's data, flagged EVENT_TLS.
 * (OpenSSL 1.1 and 3: int SSL_read(SSL *, void *, int), int SSL_read_ex(SSL *, void *, size_t,
 * size_t *readbytes), the same for writes; BoringSSL has the first two.) */

/* Whether the calling process's TLS calls are followed: not the agent's, nor those the filters
 * leave out (the uprobes are on the file: every process that maps it hits them). */
static __always_inline int tls_process_wanted(__u64 id) {
#if defined(FILTER_PIDS) || defined(FILTER_COMMS)
    char comm[16] = {};
    bpf_get_current_comm(comm, sizeof(comm));
    return process_wanted(id >> 32, comm);
#else
    return (id >> 32) != SELF_PID;
#endif
}

static __always_inline int tls_enter(struct pt_regs *ctx, __u64 done_ptr) {
    __u64 id = bpf_get_current_pid_tgid();
    if (!tls_process_wanted(id))
        return 0;
    struct tls_call c = {};
    c.ssl = PT_REGS_PARM1(ctx);
    c.buf = PT_REGS_PARM2(ctx);
    c.done_ptr = done_ptr;
    c.fd = -1;
    if (tls_calls.update(&id, &c) != 0)
        count(STAT_TLS_CALLS_FULL);
    return 0;
}

/* The socket of a TLS call that made no syscall (its data was already decrypted in the library's
 * buffer): the connection's last known socket, if that socket is still open, this process's, and
 * last moved ciphertext for this connection (an SSL * freed and allocated again for a new
 * connection must not inherit the old one's socket).  Else, for a read, the TLS socket the thread
 * has just read outside any TLS call, unless another connection owns it (a memory BIO: Node.js
 * reads the socket with libuv, then decrypts with SSL_read in the same callback).  0: none. */
static __always_inline int tls_link(struct tls_key *key, __u64 id, __u8 direction, struct tls_call *c) {
    struct tls_sock *link = tls_socks.lookup(key);
    if (link) {
        __u64 sk = link->sk;
        struct stream_pos *p = stream_positions.lookup(&sk);
        if (p && p->tls && p->tls_ssl == key->ssl && p->fd == link->fd && p->tgid == key->tgid) {
            c->sk = sk;
            c->fd = link->fd;
            return 1;
        }
    }
    if (direction != DIR_INBOUND)
        return 0;
    link = tls_last_read.lookup(&id);
    if (!link || bpf_ktime_get_ns() - link->ts > TLS_LAST_READ_NS)
        return 0;
    __u64 sk = link->sk;
    __s32 fd = link->fd;
    tls_last_read.delete(&id); /* one connection's read: not a later call's */
    struct stream_pos *p = stream_positions.lookup(&sk);
    if (!p || !p->tls || p->fd != fd || p->tgid != key->tgid || (p->tls_ssl && p->tls_ssl != key->ssl))
        return 0;
    p->tls_ssl = key->ssl;
    struct tls_sock fresh = {};
    fresh.sk = sk;
    fresh.fd = fd;
    tls_socks.update(key, &fresh);
    c->sk = sk;
    c->fd = fd;
    return 1;
}

/* The plaintext of a TLS call that moved `ret` > 0 bytes: sent as the data of its socket. */
static __always_inline void tls_deliver(struct tls_call *c, long ret, __u8 direction, __u64 id) {
    struct tls_key key = {};
    key.ssl = c->ssl;
    key.tgid = id >> 32;
    if (c->sk) {
        struct tls_sock link = {};
        link.sk = c->sk;
        link.fd = c->fd;
        tls_socks.update(&key, &link);
    } else if (!tls_link(&key, id, direction, c)) {
        count(STAT_TLS_UNLINKED); /* no syscall of this connection seen yet (a memory BIO's first write) */
        return;
    }
    on_transfer(c->sk, ret, EVENT_DATA, direction, c->buf, c->fd, c->ssl, 0);
}

static __always_inline int tls_return(struct pt_regs *ctx, __u8 direction) {
    __u64 id = bpf_get_current_pid_tgid();
    struct tls_call *found = tls_calls.lookup(&id);
    if (!found)
        return 0;
    struct tls_call c = *found;
    tls_calls.delete(&id);
    long ret = (int)PT_REGS_RC(ctx);
    if (c.done_ptr) {
        if (ret != 1)
            return 0;
        __u64 done = 0;
        bpf_probe_read_user(&done, sizeof(done), (void *)c.done_ptr);
        ret = (long)done;
    }
    if (ret > 0) /* else: would block, close_notify, an error: the socket path reports the connection's end */
        tls_deliver(&c, ret, direction, id);
    return 0;
}

int tls_read_enter(struct pt_regs *ctx) { return tls_enter(ctx, 0); }
int tls_read_ex_enter(struct pt_regs *ctx) { return tls_enter(ctx, PT_REGS_PARM4(ctx)); }
int tls_write_enter(struct pt_regs *ctx) { return tls_enter(ctx, 0); }
int tls_write_ex_enter(struct pt_regs *ctx) { return tls_enter(ctx, PT_REGS_PARM4(ctx)); }
int tls_read_return(struct pt_regs *ctx) { return tls_return(ctx, DIR_INBOUND); }
int tls_write_return(struct pt_regs *ctx) { return tls_return(ctx, DIR_OUTBOUND); }

/* Go: func (c *tls.Conn) Read(b []byte) (int, error) and Write, register ABI: c in RAX, b's pointer
 * in RBX; n returned in RAX.  No uretprobe (it would rewrite the return address on a goroutine
 * stack the runtime moves): userspace puts go_tls_*_return on each RET instruction. */
static __always_inline int go_tls_enter(struct pt_regs *ctx) {
    __u64 id = bpf_get_current_pid_tgid();
    if (!tls_process_wanted(id))
        return 0;
    struct go_key key = {};
    key.g = GO_G(ctx);
    key.tgid = id >> 32;
    struct tls_call c = {};
    c.ssl = GO_PARAM1(ctx);
    c.buf = GO_PARAM2(ctx);
    c.fd = -1;
    if (go_tls_calls.update(&key, &c) != 0)
        count(STAT_TLS_CALLS_FULL);
    if (!go_tls_processes.lookup(&key.tgid)) {
        __u8 one = 1;
        go_tls_processes.update(&key.tgid, &one);
    }
    return 0;
}

static __always_inline int go_tls_return(struct pt_regs *ctx, __u8 direction) {
    __u64 id = bpf_get_current_pid_tgid();
    struct go_key key = {};
    key.g = GO_G(ctx);
    key.tgid = id >> 32;
    struct tls_call *found = go_tls_calls.lookup(&key);
    if (!found)
        return 0;
    struct tls_call c = *found;
    go_tls_calls.delete(&key);
    long ret = (long)GO_RET1(ctx);
    if (ret > 0)
        tls_deliver(&c, ret, direction, id);
    return 0;
}

int go_tls_read_enter(struct pt_regs *ctx) { return go_tls_enter(ctx); }
int go_tls_write_enter(struct pt_regs *ctx) { return go_tls_enter(ctx); }
int go_tls_read_return(struct pt_regs *ctx) { return go_tls_return(ctx, DIR_INBOUND); }
int go_tls_write_return(struct pt_regs *ctx) { return go_tls_return(ctx, DIR_OUTBOUND); }

/* sched_process_exit(struct task_struct *p, ...): a thread ends; a TLS call it was in never returns. */
RAW_TRACEPOINT_PROBE(sched_process_exit) {
    __u64 id = bpf_get_current_pid_tgid();
    tls_calls.delete(&id);
    tls_last_read.delete(&id);
    __u32 tgid = id >> 32;
    if (tgid == (__u32)id)
        go_tls_processes.delete(&tgid); /* the main thread: the process ends */
    return 0;
}

/* ---- the end of a connection ---- */

/* EVENT_CLOSE for a socket that carried data here (it has positions), once: the process is done
 * with it.  Whose it is comes from its positions (the caller may be softirq). */
static __always_inline void send_close(__u64 sk, __u64 now) {
    struct stream_pos *p = stream_positions.lookup(&sk);
    if (!p)
        return;
    if (p->ports == PORTS_NOT || !p->observed) { /* never reported (filtered out) */
        stream_positions.delete(&sk);
        return;
    }
    __u64 id = bpf_get_current_pid_tgid();
    __u64 owner = (__u64)p->tgid << 32;
    if ((id >> 32) == p->tgid)
        owner = id; /* in the process itself (close(2), its exit): its thread too */
    struct scratch_event *s = new_event(EVENT_CLOSE, owner, p->fd, sk);
    if (s) {
        struct event_header *hdr = &s->hdr;
        hdr->role = p->addr.role;
        hdr->ts_enter = now;
        hdr->ts_exit = now;
        hdr->turn = p->turn; /* the last phase: tells whether a lost request was answered */
        finalize_shed(p, now);
        if (p->resync)
            hdr->flags = EVENT_RESYNC;
        send_event(s, 0);
    }
    stream_positions.delete(&sk); /* the process is done with the connection */
}

/* ---- addresses and roles, from the TCP state machine ---- */

/* Whether this state change is the socket's process closing it: close(2) (or dup2/dup3/close_range
 * over its fd, or the process's exit) shuts both directions, then moves ESTABLISHED to FIN_WAIT1,
 * CLOSE_WAIT to LAST_ACK, or either to CLOSE (an abortive close).  Everything else waits for
 * tcp_destroy_sock: shutdown(2) (the process may still read), a reset or a FIN received (softirq:
 * on loopback it runs inside the peer's syscall, even the peer's close(2); the process may still
 * read what was queued), and a process killed by a signal (its registers name no closing syscall). */
static __always_inline int closed_by_its_process(__u64 sk, struct stream_pos *p, int oldstate, int newstate) {
    if (newstate == TCP_CLOSE_ && oldstate != TCP_ESTABLISHED_ && oldstate != TCP_CLOSE_WAIT_)
        return 0;
    if ((bpf_get_current_pid_tgid() >> 32) != p->tgid)
        return 0;
    __u8 shut = 0;
    bpf_probe_read_kernel(&shut, 1, (void *)(sk + SK_SHUTDOWN));
    if (shut != SHUTDOWN_MASK_)
        return 0;
    struct syscall_frame r;
    if (!load_syscall_frame(current_user_regs(), &r))
        return 0;
    __u64 nr = r.nr;
    return nr == NR_CLOSE || nr == NR_EXIT_GROUP || nr == NR_EXIT || nr == NR_DUP2 || nr == NR_DUP3
        || nr == NR_CLOSE_RANGE;
}

/* inet_sock_set_state(const struct sock *sk, const int oldstate, const int newstate) */
RAW_TRACEPOINT_PROBE(inet_sock_set_state) {
    __u64 sk = ctx->args[0];
    int oldstate = (int)ctx->args[1];
    int newstate = (int)ctx->args[2];
    if (read_u16(sk, SK_PROTOCOL) != IPPROTO_TCP_)
        return 0;
    if (newstate == TCP_CLOSE_ || newstate == TCP_FIN_WAIT1_ || newstate == TCP_LAST_ACK_) {
        __u64 now = bpf_ktime_get_ns();
        struct stream_pos *p = stream_positions.lookup(&sk);
        if (!p)
            return 0;
        if (newstate == TCP_CLOSE_)
            end_shed_early(p, now); /* the last exchange of a connection not closed by its process */
        if (closed_by_its_process(sk, p, oldstate, newstate))
            send_close(sk, now);
        return 0;
    }
    if (newstate != TCP_ESTABLISHED_ && newstate != TCP_SYN_SENT_ && newstate != TCP_SYN_RECV_)
        return 0;
    /* Each socket's addresses are read and stored once, at ESTABLISHED (every TCP connection of the
     * host passes here: bench/bench_kernel_cost.py --close).  Not before: a client's local port is
     * chosen after SYN_SENT, and a listener's child gets its addresses after SYN_RECV (until Linux
     * 6.15, "inet: better inet_sock_set_state() for passive flows"). */
    struct addr_info addr = {};
    if (newstate == TCP_SYN_SENT_) {
        stream_positions.delete(&sk); /* in connect(): a new connection (whatever a freed socket here left) */
        return 0;
    }
    if (newstate == TCP_SYN_RECV_) {
        stream_positions.delete(&sk); /* a new connection */
        if (oldstate != TCP_SYN_SENT_)
            return 0; /* a listener's child: a SERVER, told at ESTABLISHED */
        addr.role = ROLE_CLIENT; /* a simultaneous open: its role kept until ESTABLISHED */
        if (sock_addrs.update(&sk, &addr) != 0)
            count(STAT_ADDR_MAP_FULL);
        return 0;
    }
    if (oldstate == TCP_SYN_SENT_) {
        addr.role = ROLE_CLIENT; /* out of connect() */
    } else {
        struct addr_info *known = sock_addrs.lookup(&sk);
        if (known)
            addr.role = known->role; /* a simultaneous open, or addresses read before (TCP repair) */
        else if (oldstate == TCP_SYN_RECV_)
            addr.role = ROLE_SERVER; /* a listener's child */
    }
    addr.family = read_u16(sk, SK_FAMILY);
    addr.local_port = read_u16(sk, SK_NUM);
    addr.peer_port = __builtin_bswap16(read_u16(sk, SK_DPORT));
    if (addr.family == AF_INET_) {
        bpf_probe_read_kernel(addr.local_addr, 4, (void *)(sk + SK_RCV_SADDR));
        bpf_probe_read_kernel(addr.peer_addr, 4, (void *)(sk + SK_DADDR));
    }
#ifdef SK_V6_DADDR
    else if (addr.family == AF_INET6_) {
        bpf_probe_read_kernel(addr.local_addr, 16, (void *)(sk + SK_V6_RCV_SADDR));
        bpf_probe_read_kernel(addr.peer_addr, 16, (void *)(sk + SK_V6_DADDR));
    }
#endif
    if (sock_addrs.update(&sk, &addr) != 0)
        count(STAT_ADDR_MAP_FULL);
    return 0;
}

/* tcp_destroy_sock(struct sock *sk): closed by its process and by TCP, the socket is freed. */
RAW_TRACEPOINT_PROBE(tcp_destroy_sock) {
    __u64 sk = ctx->args[0];
    send_close(sk, bpf_ktime_get_ns()); /* if not already sent (a reset while the process held it) */
    sock_addrs.delete(&sk);
    return 0;
}
