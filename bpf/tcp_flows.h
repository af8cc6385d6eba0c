/* TCP flow aggregates shared by the kernel program (tcp_flows.c) and userspace.
 *
 * otel_ebpf/kernel/records.py declares these structs and constants for Python;
 * tests/test_kernel_records.py checks both agree member by member, and the loader checks the sizes
 * agree with what the kernel maps report.  Padding is spelled out: the compiler must never insert
 * any (every field is naturally aligned in the order given).
 */
#ifndef OTEL_EBPF_TCP_FLOWS_H
#define OTEL_EBPF_TCP_FLOWS_H

/* flow_key.direction: which side of the connection the local socket is. */
#define FLOW_CLIENT 1 /* it connect()ed */
#define FLOW_SERVER 2 /* it was accepted from a listener */

/* flow_key.tgid of the one flow that collects every socket whose own flow did not fit. */
#define OVERFLOW_TGID 0xffffffffu

/* Connect latency histogram: upper bounds in nanoseconds (userspace mirrors them in seconds).
 * 1 s and 3 s sit on bucket edges on purpose: a lost SYN is retransmitted after 1 s, then 3 s. */
#define CONNECT_BOUNDS 15
#define CONNECT_BUCKETS (CONNECT_BOUNDS + 1)

/* flow_stats.closes[] and .connect_failures[] indexes: why a connection ended. */
#define CLOSE_FIN 0            /* FIN handshake (either side first) */
#define CLOSE_RESET_RECEIVED 1 /* the peer (or a middlebox) reset it */
#define CLOSE_RESET_SENT 2     /* this side reset it (abortive close, unread data, ss -K) */
#define CLOSE_TIMEOUT 3        /* the kernel gave up: retransmission, keepalive or SYN timeout */
#define CLOSE_ABORTED 4        /* the owner closed it before it was established */
#define CLOSE_REASONS 5

/* Per-CPU counters in `tcp_stats` (names in otel_ebpf/kernel/records.py TCP_STAT_NAMES). */
#define STAT_FLOW_OVERFLOW 0    /* sockets counted in the overflow flow (their own did not fit) */
#define STAT_SOCK_MAP_FULL 1    /* sockets not tracked: the per-socket map was full */
#define STAT_UNTRACKED 2        /* events of TCP sockets not tracked (older than the program) */
#define STAT_LISTEN_MAP_FULL 3  /* listeners whose owner could not be remembered */
#define STAT_RESET_NO_SOCKET 4  /* resets sent for segments that matched no socket (refused) */
#define STAT_RESET_OVERFLOW 5   /* socketless resets counted in the overflow flow */
#define STAT_COUNT 6

struct flow_key {
    __u8 peer[16];      /* IPv6, or IPv4-mapped IPv6 (::ffff:a.b.c.d) */
    __u32 tgid;         /* local process, 0 when unknown, OVERFLOW_TGID for the overflow flow */
    __u16 server_port;  /* the port of the server side: never an ephemeral port */
    __u8 direction;     /* FLOW_CLIENT or FLOW_SERVER */
    __u8 family;        /* the socket's family: 2 (AF_INET) or 10 (AF_INET6) */
};

/* Cumulative since first_ns; only ever added to, so userspace exports it as it is. */
struct flow_stats {
    __u64 first_ns;     /* bpf_ktime_get_ns() when the flow was created: the series start time */
    __u64 last_ns;      /* last event: idle flows are evicted by userspace */
    __u64 bytes_sent;   /* sock_sendmsg return values */
    __u64 bytes_received;
    __u64 segs_received;   /* tcp_sock.segs_in deltas: every segment received (GRO aggregates count theirs) */
    __u64 retransmits;     /* segments retransmitted (tcp_retransmit_skb, GSO skbs count their segments) */
    __u64 resets_sent;
    __u64 resets_received;
    __u64 connects;        /* established: client SYN_SENT->ESTABLISHED, server accepted */
    __u64 connect_failures[CLOSE_REASONS]; /* client connects that never got established, by reason */
    __u64 closes[CLOSE_REASONS];           /* established connections that ended, by reason */
    __u64 connect_ns_sum;                  /* client connect latency: sum and histogram */
    __u64 connect_buckets[CONNECT_BUCKETS];
    __u64 srtt_us_sum;     /* smoothed RTT samples (tcp_probe) */
    __u64 srtt_samples;
    __u64 srtt_last_us;
    __s64 active;          /* sockets currently attached to this flow: never evicted while > 0 */
    __u64 segs_sent;       /* tcp_sock.segs_out deltas: every segment sent, retransmissions included */
};

/* Per-socket state, keyed by the kernel's `struct sock *`. */
#define SK_ESTABLISHED 1
#define SK_FIN 2          /* a FIN was exchanged */
#define SK_RST_RECEIVED 4
#define SK_RST_SENT 8
#define SK_TIMER_CLOSE 16 /* moved to CLOSE outside its owner's context (a kernel timer) */
#define SK_CLOSED 32      /* reached CLOSE: the close reason is counted at tcp_destroy_sock */

struct sock_state {
    struct flow_key key;
    __u64 start_ns;     /* client: when SYN_SENT was entered */
    __u32 retransmits;  /* so far, for span evidence */
    __u32 srtt_us;      /* latest smoothed RTT */
    __u32 segs_in_seen; /* tcp_sock.segs_in / segs_out when last added to the flow */
    __u32 segs_out_seen;
    __u8 flags;         /* SK_* */
    __u8 pad[7];
    /* Kernels without sock_*_length (before 6.3, BYTES_FROM_TCP_SOCK): tcp_sock.bytes_received and
     * bytes_sent - bytes_retrans when last added to the flow. */
    __u64 bytes_in_seen;
    __u64 bytes_out_seen;
};

#endif
