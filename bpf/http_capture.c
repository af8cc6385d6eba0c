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
 * Shedding (docs/cost.md, "The kernel's share"): per socket the kernel recognises where HTTP/1
 * requests and responses start (16 bytes read at the first syscall of a phase) and decides once
 * per exchange, at the request's first bytes, whether its events go to userspace or the exchange
 * is shed: no payload copy, no event; it is counted in `shed_counts` instead, and the first
 * event of the socket after it carries EVENT_RESYNC.
 *
 * Build options (-D flags from the loader): CAPTURE_BYTES, CAPTURE_POW2 (a power of two
 * >= CAPTURE_BYTES), READ_CHUNKS, RINGBUF_PAGES, MAX_CONNECTIONS, MAX_THREADS, SELF_PID,
 * MAX_SHED_KEYS, and the optional filters FILTER_PIDS, FILTER_COMMS, FILTER_PORTS (maps
 * filled by userspace).
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
#ifndef MAX_SHED_KEYS
#define MAX_SHED_KEYS 4096
#endif
#define MAX_IOV 8
#define NS_PER_EXCHANGE 1000000000ULL /* a token of the rate bucket, in its fixed-point unit */

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
    __u8 http;      /* CALL_*: what sys_exit must do with the socket's HTTP state */
};

/* active_call.http: the exit looks the socket's state up only when one is set (rare but for
 * the first syscall of each phase, and for every syscall of a shed exchange). */
#define CALL_PHASE_START 1 /* the direction of transfer changed with this syscall */
#define CALL_STATE 2       /* the socket's exchange is shed, or a resync is pending */
#define CALL_HTTP 4        /* the socket is known to carry HTTP/1 */

/* Bytes a process moved on a socket, per direction, counted where the kernel moves them: every
 * event carries the position its data starts at, so userspace sees any gap in a connection's stream
 * (an event lost in a full ring buffer, a syscall the program gave up on or never ran for) and
 * knows exactly how many bytes it holds.  Per socket, removed when the process closes the fd and
 * reset when a connection is born (SYN_SENT/SYN_RECV: a new connection may reuse the struct sock's
 * address), not at TCP_CLOSE (see inet_sock_set_state); two processes doing I/O on one socket would
 * each see the other's bytes as a gap (rare: pre-fork servers do not share connections). */
struct stream_pos {
    __u64 pos[2]; /* DIR_INBOUND, DIR_OUTBOUND */
    /* Phases: +1 each time the direction of transfer changes.  Without pipelining one HTTP/1
     * exchange is two phases (request, then response), so a jump in phases counts the exchanges
     * that were lost entirely, and a response of phase n answers the request of phase n - 1. */
    __u32 turn;
    __u8 last_dir; /* direction + 1 of the last bytes moved; 0: none yet */
    /* HTTP/1 state, kept here so that the lookup for the positions serves it too. */
    __u8 http;     /* HTTP_UNKNOWN, HTTP_YES, HTTP_NOT (its first bytes were not HTTP/1: left alone) */
    __u8 shed;     /* the exchange in progress is shed (no events); `key` etc. describe it */
    __u8 resync;   /* exchanges were shed since the last event sent: the next one carries EVENT_RESYNC */
    __u8 req_dir;  /* direction of the shed exchange's request */
    /* The peer went away under a shed exchange (EOF, a connection error, TCP_CLOSE), which was
     * counted then; what the process still moves belongs to that exchange (on loopback the peer's
     * RST is processed inside the response's write, before that write's exit): no event, until a
     * new request. */
    __u8 after_shed;
    __u8 pad[6];
    __u64 start_ns; /* the shed exchange's start (server: exit of its first read; client: its write) */
    __u64 end_ns;   /* exit of its last response write/read so far; 0: no response yet */
    struct shed_key key;
    char comm[16];
    char path[SHED_PATH_BYTES];
};
#define HTTP_UNKNOWN 0
#define HTTP_YES 1
#define HTTP_NOT 2

/* Per-CPU token bucket of exchanges sent to userspace (rate in shed_config[0]). */
struct rate_bucket {
    __u64 tokens; /* in 1e-9 exchanges */
    __u64 last;   /* bpf_ktime_get_ns() of the last refill */
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
/* bcc 0.26 has no events.ringbuf_query(): it names a map to a helper as bpf_pseudo_fd(1, -N), N being
 * the map's place among the declared tables; `events` is the first.  (Were it not, the verifier
 * would refuse the program: bpf_ringbuf_query takes only a ring buffer.) */
#define EVENTS_MAP ((void *)bpf_pseudo_fd(1, -1))
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
/* Shed exchanges, counted per key.  Entries are never removed by the kernel; userspace reads the
 * cumulative values once a second.  The overflow key (tgid SHED_OVERFLOW_TGID) is made by userspace
 * at load, so a full map loses nothing. */
BPF_TABLE("percpu_hash", struct shed_key, struct shed_value, shed_counts, MAX_SHED_KEYS);
BPF_PERCPU_ARRAY(shed_scratch, struct shed_value, 1);
/* Set by userspace.  [0]: exchanges per second each CPU may send to userspace (0: no limit);
 * [1]: shed when more than this many bytes of the ring buffer wait to be read (0: never). */
BPF_ARRAY(shed_config, __u64, 2);
BPF_PERCPU_ARRAY(rate_buckets, struct rate_bucket, 1);
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
                if (p->http != HTTP_NOT)
                    call.http = CALL_PHASE_START;
                if (p->http == HTTP_YES)
                    call.http |= CALL_HTTP;
            }
            if (p->shed | p->resync | p->after_shed)
                call.http |= CALL_STATE;
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


/* ---- HTTP/1 state and shedding ---- */

/* The user address and length of the first buffer of the call's data (0 if none). */
static __always_inline __u64 first_segment(struct active_call *call, __u64 *len) {
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
static __always_inline void start_shed(struct stream_pos *p, __u64 id, struct active_call *call, __u8 method,
                                       __u64 head, __u32 mlen, __u64 seglen, __u16 port, __u8 role, __u64 ts_exit) {
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
    p->key.minor = 1;
    bpf_get_current_comm(p->comm, sizeof(p->comm));
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

/* Reads the socket's HTTP/1 state at the exit of a data syscall.  Returns 1 if the syscall
 * belongs to a shed exchange (no event), else 0; sets EVENT_RESYNC in *flags when due. */
static __always_inline int http_state(struct stream_pos *p, __u64 id, struct active_call *call, long ret,
                                      __u64 ts_exit, __u16 *flags, __u32 *turn) {
    if (call->http & CALL_PHASE_START && p->http != HTTP_NOT) {
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
                finalize_shed(p, call->ts_enter);
                p->after_shed = 0;
                __u8 role = 0;
                __u16 port = 0;
                int reason = -1;
                int one = 1;
                __u64 *pressure = shed_config.lookup(&one);
                if (pressure && *pressure && bpf_ringbuf_query(EVENTS_MAP, BPF_RB_AVAIL_DATA) > *pressure)
                    reason = STAT_SHED_RING_PRESSURE;
                else if (!rate_allows(ts_exit, 1))
                    reason = STAT_SHED_RATE;
                if (reason >= 0) {
                    struct conn_info *conn_role = 0;
                    __u64 key = (id & 0xffffffff00000000ULL) | (__u32)call->fd;
                    conn_role = conns.lookup(&key);
                    role = conn_role && conn_role->sk == call->sk ? conn_role->role : ROLE_UNKNOWN;
                    if (role == ROLE_UNKNOWN)
                        role = call->direction == DIR_INBOUND ? ROLE_SERVER : ROLE_CLIENT;
                    struct addr_info *addr = sock_addrs.lookup(&call->sk);
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
                    start_shed(p, id, call, method, head, mlen, seglen, port, role, ts_exit);
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
                    p->end_ns = ts_exit;
                    return 1;
                }
            } else if (p->http == HTTP_UNKNOWN && call->pos == 0 && call->other_pos == 0) {
                p->http = HTTP_NOT; /* the connection's first bytes are not HTTP/1 */
            }
        }
    }
    if (p->shed) {
        if (call->direction != p->req_dir)
            p->end_ns = ts_exit; /* the response goes on */
        return 1;
    }
    if (p->after_shed)
        return 1;
    if (p->resync) {
        *flags |= EVENT_RESYNC;
        *turn = p->turn;
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

    __u64 ts_exit = bpf_ktime_get_ns();
    __u16 flags = 0;
    __u32 resync_turn = 0;
    struct stream_pos *p = 0;
    /* The common case costs no lookup and no read of its own: a new phase of a socket known to be
     * HTTP, nothing shed on it, and an exchange starting now would not be shed.  Whether it starts
     * one (and takes a token) is then read from the payload copied for the event.  Measured with
     * bench/bench_kernel_cost.py: sys_exit 528-556 ns a call with the HTTP state, 540-552 without. */
    int classify_copy = 0;
    if (type == EVENT_DATA && (call->http & (CALL_STATE | CALL_HTTP | CALL_PHASE_START)) == (CALL_HTTP | CALL_PHASE_START)
        && call->pos_valid && !would_shed(ts_exit))
        classify_copy = 1;
    else if (type != EVENT_DATA || call->http) {
        p = stream_positions.lookup(&sk);
        if (p) {
            if (type == EVENT_DATA) {
                if (call->pos_valid && http_state(p, id, call, ret, ts_exit, &flags, &resync_turn)) {
                    active_calls.delete(&id); /* shed: no copy, no event */
                    return;
                }
            } else {
                end_shed_early(p, ts_exit); /* EOF or error: the exchange ends here */
                if (p->resync) {
                    flags = EVENT_RESYNC;
                    resync_turn = p->turn;
                }
            }
        }
    }

    struct scratch_event *s = new_event(type, id, call->fd, sk);
    if (!s) {
        active_calls.delete(&id);
        return;
    }
    struct event_header *hdr = &s->hdr;
    hdr->direction = call->direction;
    hdr->ts_enter = call->ts_enter;
    hdr->ts_exit = ts_exit;
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
    if (flags) {
        hdr->flags |= flags;
        if (type != EVENT_DATA)
            hdr->turn = resync_turn;
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
        __u32 mlen = 0;
        if (classify_copy && captured >= 8 && method_of(*(__u64 *)s->data, &mlen))
            rate_allows(ts_exit, 1); /* a request: its token */
    }
    hdr->captured = captured;
    hdr->more = more;
    __u64 buf = call->buf;
    active_calls.delete(&id);
    if (send_event(s, captured) == 0 && flags && p)
        p->resync = 0; /* userspace has been told */

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
            hdr->ts_enter = bpf_ktime_get_ns();
            hdr->ts_exit = hdr->ts_enter;
            struct stream_pos *p = stream_positions.lookup(&sk);
            if (p) {
                hdr->turn = p->turn; /* the last phase: tells whether a lost request was answered */
                finalize_shed(p, hdr->ts_exit);
                if (p->resync)
                    hdr->flags = EVENT_RESYNC;
            }
            if (send_event(s, 0) == 0 && p)
                p->resync = 0;
            stream_positions.delete(&sk); /* the process is done with the connection */
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
        struct stream_pos *p = stream_positions.lookup(&sk);
        if (p)
            end_shed_early(p, bpf_ktime_get_ns()); /* the last exchange of a connection not closed by its fd */
        /* Positions stay until the fd is closed: on loopback the peer's RST is processed inside the
         * write that provoked it, before sock_send_length fires for that write; deleting them here
         * restarted the count at 0 and userspace saw the stream go back (an unknown gap). */
        return 0;
    }
    if (state != TCP_ESTABLISHED_ && state != TCP_SYN_SENT_ && state != TCP_SYN_RECV_)
        return 0;
    if (state != TCP_ESTABLISHED_)
        stream_positions.delete(&sk); /* a new connection: whatever a freed socket at this address left */
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
