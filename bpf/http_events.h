/* Events shipped from the kernel to userspace: the single definition of their layout.
 *
 * otel_ebpf/kernel/records.py declares it for Python (with the constants below), and
 * tests/test_kernel_records.py checks both agree member by member.  Padding is spelled
 * out: never let the compiler insert any.
 */
#ifndef OTEL_EBPF_HTTP_EVENTS_H
#define OTEL_EBPF_HTTP_EVENTS_H

/* event_header.type */
#define EVENT_DATA 1   /* a socket call moved `ret` bytes; `captured` of them follow */
#define EVENT_EOF 2    /* a read returned 0: the peer closed its side */
#define EVENT_ERROR 3  /* a socket call failed with a connection-level errno (ret = -errno) */
#define EVENT_CLOSE 4  /* the process is done with a tracked connection (closed it, or TCP freed it) */
#define EVENT_DATA_MORE 5 /* the next CAPTURE_BYTES of a large read (pipelined requests, big headers) */

/* event_header.flags */
#define EVENT_POS_VALID 1 /* stream_pos and other_pos are known (the positions map had room) */
#define EVENT_RESYNC 2    /* the first event of the socket after exchanges the kernel shed (counted in
                           * `shed_counts`, no event sent): the gap in the stream before it is intentional.
                           * `turn` is its phase (also on EVENT_EOF/EVENT_ERROR/EVENT_CLOSE) */
#define EVENT_TLS 4       /* EVENT_DATA(_MORE): TLS plaintext, read by a uprobe on the TLS library's
                           * read/write functions (the socket itself only carries ciphertext) */

/* event_header.direction */
#define DIR_INBOUND 0  /* read by the process */
#define DIR_OUTBOUND 1 /* written by the process */

/* event_header.role (same numbers as otel_ebpf.model.Role) */
#define ROLE_UNKNOWN 0 /* existed before the agent started */
#define ROLE_SERVER 1  /* a listener's child (SYN_RECV) */
#define ROLE_CLIENT 2  /* connect()ed (SYN_SENT) */

struct event_header {
    __u8 type;
    __u8 direction;
    __u8 role;
    __u8 family;        /* AF_INET, AF_INET6, or 0 when the addresses are unknown */
    __u32 pid;          /* thread group id: the process */
    __u32 tid;
    __s32 fd;
    __u64 sk;           /* kernel socket address: tells apart connections reusing an fd */
    __u64 ts_enter;     /* bpf_ktime_get_ns() (CLOCK_MONOTONIC) when sock_*_length saw the data move */
    __u64 ts_exit;      /* the same (the event is sent then); two fields so that a later hook may tell them apart */
    __s64 ret;          /* bytes moved, or -errno */
    __u64 stream_pos;   /* EVENT_DATA(_MORE): bytes this process moved on the socket in this direction
                         * before this syscall (EVENT_POS_VALID): a jump shows events that were lost */
    __u64 other_pos;    /* ... and in the other direction, when this syscall began */
    __u32 turn;         /* EVENT_DATA(_MORE), EVENT_CLOSE: how many times the socket's direction of
                         * transfer changed (1 for the first bytes): a phase number, 0 if unknown */
    __u32 pad;
    __u32 captured;     /* bytes of payload after this header */
    __u32 offset;       /* where the payload starts in the syscall's data (EVENT_DATA_MORE) */
    __u16 more;         /* EVENT_DATA: how many EVENT_DATA_MORE events follow for this read */
    __u16 flags;        /* EVENT_POS_* */
    __u16 local_port;
    __u16 peer_port;
    __u8 local_addr[16]; /* IPv4 in the first 4 bytes */
    __u8 peer_addr[16];
    char comm[16];       /* the process's name: short-lived clients are gone from /proc by the time we look */
};

/* Indexes of the per-CPU counters in the `stats` map, named in otel_ebpf/kernel/records.py. */
#define STAT_EVENTS 0          /* events the kernel tried to send */
#define STAT_RINGBUF_FULL 1    /* ... and could not: the ring buffer was full */
#define STAT_ADDR_MAP_FULL 2   /* addresses of a new socket could not be stored */
#define STAT_TRUNCATED 3       /* payloads larger than the capture size (informational) */
#define STAT_POS_MAP_FULL 4    /* a socket's stream positions could not be stored: its gaps are not marked */
#define STAT_SHED_RING_PRESSURE 5 /* exchanges shed: the ring buffer was fuller than RING_PRESSURE_BYTES */
#define STAT_SHED_RATE 6       /* exchanges shed: the per-CPU token bucket (max_spans_per_second) was empty */
#define STAT_SHED_OVERFLOW 7   /* shed exchanges counted in the overflow entry: `shed_counts` was full */
#define STAT_TLS_UNLINKED 8    /* TLS plaintext of a connection whose socket is unknown: no event */
#define STAT_TLS_CALLS_FULL 9  /* a TLS read/write could not be remembered between entry and return */
#define STAT_WALK_CUT 10       /* an HTTP/2 call's iovec walk was cut short (tail-call limit): its last pieces are lost */
#define STAT_COUNT 11

/* ---- Exchanges the kernel shed: counted per (process, role, method, status, path) ---- */

/* shed_key.method: the request's method token (0: none of these: counted as _OTHER) */
#define HTTP_GET 1
#define HTTP_POST 2
#define HTTP_PUT 3
#define HTTP_DELETE 4
#define HTTP_HEAD 5
#define HTTP_OPTIONS 6
#define HTTP_PATCH 7
#define HTTP_CONNECT 8
#define HTTP_TRACE 9

#define SHED_BOUNDS 14          /* upper bounds of the duration buckets: the semconv ones (0.005 .. 10 s) */
#define SHED_BUCKETS 15         /* ... and one more for everything above 10 s */
#define SHED_PATH_BYTES 64      /* the path's first bytes, kept with a new entry (for http.route) */
#define SHED_OVERFLOW_TGID 0xFFFFFFFF /* shed_key.tgid of the entry that takes what no longer fits */

struct shed_key {
    __u64 path_hash;  /* FNV-1a of the path up to '?', ' ' or SHED_PATH_BYTES bytes */
    __u32 tgid;
    __u16 status;     /* the last response status line's code; 0: no response seen */
    __u16 port;       /* ROLE_SERVER: the local port; ROLE_CLIENT: the peer's */
    __u8 role;        /* ROLE_SERVER or ROLE_CLIENT (from the direction of the request if unknown) */
    __u8 method;      /* HTTP_* */
    __u8 minor;       /* HTTP/1.<minor> of the response (of 1 when there was none) */
    __u8 tls;         /* 1: over TLS (plaintext from the uprobes): url.scheme https */
    __u8 pad[4];
};

/* Per CPU; userspace sums the CPUs.  comm and path are set by the CPU that made the entry. */
struct shed_value {
    __u64 count;
    __u64 sum_ns;               /* end = exit of the last response write; start as for spans
                                 * (server: exit of the first request read; client: its write) */
    __u64 buckets[SHED_BUCKETS];
    __u64 min_ns;               /* ~0 while count is 0 */
    __u64 max_ns;
    char comm[16];
    char path[SHED_PATH_BYTES]; /* NUL-terminated unless it fills the array */
};

#endif
