/* TCP flow aggregates from raw tracepoints (no kprobes, no fentry).
 *
 * Every event is folded into `flows`, keyed by (local process, peer address, server port,
 * direction): the ephemeral port is never part of a key, so the map's size bounds the
 * cardinality whatever the connection rate.  Userspace reads the map periodically, so its
 * cost depends on the number of flows, not on the packet rate.
 *
 *   sock:inet_sock_set_state  CLOSE->SYN_SENT (in connect(), so the process is known),
 *                             LISTEN->SYN_RECV (accepted child: its owner is the listener's),
 *                             ->ESTABLISHED (connect latency), FIN states, ->CLOSE.
 *   tcp:tcp_retransmit_skb    retransmitted segments; tcp:tcp_retransmit_synack, SYN-ACKs.
 *   tcp:tcp_send_reset / tcp:tcp_receive_reset   resets, and the reason of a close.
 *   tcp:tcp_probe             smoothed RTT and received segments (established sockets).
 *   sock:sock_{send,recv}_length   bytes per direction (the syscall's return value).
 *   tcp:tcp_destroy_sock      the socket is gone: count its close reason, drop its state.
 *
 * Why raw tracepoints and not the formatted (perf) ones: the kernel runs a perf-event
 * tracepoint program only when no other such program, and no bpf() map syscall, is running on
 * that CPU (the global bpf_prog_active guard).  Most of these events fire in softirq, which
 * interrupts exactly those, and the skipped runs are lost: ~5% of retransmitted segments under
 * load (a TSO skb holds up to 45).  A raw tracepoint program is skipped only when it interrupts
 * itself; the kernel counts those skips (bpf_prog_info.recursion_misses) and the receiver
 * exports them.
 *
 * A raw tracepoint's arguments are the kernel's own pointers, so struct members are read at
 * offsets that the loader (otel_ebpf/receivers/tcp_flows/loader.py) takes from the running kernel's
 * BTF and passes as -D flags: SK_* (struct sock), TCP_SRTT_US (struct tcp_sock), SKB_*
 * (struct sk_buff).  Other build options: MAX_FLOWS, MAX_SOCKETS, MAX_LISTENERS,
 * EPHEMERAL_MIN (first port of ip_local_port_range), RETRANSMIT_HAS_ERR (tcp_retransmit_skb
 * has its `err` argument, Linux 6.12+).
 */
#include "tcp_flows.h"

#ifndef MAX_FLOWS
#define MAX_FLOWS 16384
#endif
#ifndef MAX_SOCKETS
#define MAX_SOCKETS 65536
#endif
#ifndef EPHEMERAL_MIN
#define EPHEMERAL_MIN 32768
#endif
#ifndef MAX_LISTENERS
#define MAX_LISTENERS 4096
#endif

#define AF_INET_ 2
#define AF_INET6_ 10
#define IPPROTO_TCP_ 6
#define MSG_PEEK_ 2
#define EEXIST_ 17
#define EBUSY_ 16
#define EAGAIN_ 11
#define ENOMEM_ 12
#define EINVAL_ 22
#define EHOSTUNREACH_ 113

#define TCP_ESTABLISHED_ 1
#define TCP_SYN_SENT_ 2
#define TCP_SYN_RECV_ 3
#define TCP_FIN_WAIT1_ 4
#define TCP_CLOSE_ 7
#define TCP_CLOSE_WAIT_ 8
#define TCP_LISTEN_ 10

/* --- kernel memory, at BTF offsets --- */

static __always_inline __u16 read_u16(__u64 base, int offset) {
    __u16 value = 0;
    bpf_probe_read_kernel(&value, sizeof(value), (void *)(base + offset));
    return value;
}

static __always_inline __u32 read_u32(__u64 base, int offset) {
    __u32 value = 0;
    bpf_probe_read_kernel(&value, sizeof(value), (void *)(base + offset));
    return value;
}

static __always_inline __u64 read_u64(__u64 base, int offset) {
    __u64 value = 0;
    bpf_probe_read_kernel(&value, sizeof(value), (void *)(base + offset));
    return value;
}

/* What the programs need to know of a socket, as the formatted tracepoints spell it: the
 * members of struct sock_common, which request socks (handshakes in progress) share. */
struct sock_ids {
    __u8 daddr_v6[16]; /* the peer: IPv6, or IPv4-mapped */
    __u16 sport;       /* local port, host order */
    __u16 dport;       /* peer port, host order */
    __u16 family;
};

static __always_inline void read_sock(__u64 sk, struct sock_ids *ids) {
    ids->family = read_u16(sk, SK_FAMILY);
    ids->sport = read_u16(sk, SK_NUM);
    ids->dport = __builtin_bswap16(read_u16(sk, SK_DPORT));
    __builtin_memset(ids->daddr_v6, 0, 16);
    if (ids->family == AF_INET_) {
        ids->daddr_v6[10] = 0xff;
        ids->daddr_v6[11] = 0xff;
        bpf_probe_read_kernel(&ids->daddr_v6[12], 4, (void *)(sk + SK_DADDR));
    }
#ifdef SK_V6_DADDR
    else if (ids->family == AF_INET6_) {
        bpf_probe_read_kernel(ids->daddr_v6, 16, (void *)(sk + SK_V6_DADDR));
    }
#endif
}

/* --- maps --- */

BPF_TABLE("hash", struct flow_key, struct flow_stats, flows, MAX_FLOWS + 1); /* +1: the overflow flow */
BPF_TABLE("hash", __u64, struct sock_state, socks, MAX_SOCKETS);             /* struct sock * -> state */
BPF_TABLE("hash", __u16, __u32, listeners, MAX_LISTENERS);                   /* listening port -> tgid */
BPF_PERCPU_ARRAY(tcp_stats, __u64, STAT_COUNT);

static __always_inline void count(int index) {
    __u64 *value = tcp_stats.lookup(&index);
    if (value)
        *value += 1;
}

/* The flow's stats, created on first use.  When the map is full the overflow flow (created by
 * userspace before attaching) takes the counts instead, and *overflowed is set. */
static __always_inline struct flow_stats *get_flow(struct flow_key *key, __u64 now, int *overflowed) {
    struct flow_stats *stats = flows.lookup(key);
    if (stats)
        return stats;
    struct flow_stats fresh = {};
    fresh.first_ns = now;
    fresh.last_ns = now;
    int err = flows.insert(key, &fresh);
    if (err == 0 || err == -EEXIST_) { /* -EEXIST: another CPU created it meanwhile */
        stats = flows.lookup(key);
        if (stats)
            return stats;
    }
    __builtin_memset(key, 0, sizeof(*key));
    key->tgid = OVERFLOW_TGID;
    *overflowed = 1;
    return flows.lookup(key);
}

/* The flow of a tracked socket (recreated if userspace evicted it meanwhile). */
static __always_inline struct flow_stats *flow_of(struct sock_state *st, __u64 now) {
    int overflowed = 0;
    struct flow_stats *stats = get_flow(&st->key, now, &overflowed);
    if (overflowed)
        count(STAT_FLOW_OVERFLOW);
    if (stats)
        stats->last_ns = now;
    return stats;
}

static __always_inline int is_v4_mapped(const __u8 *a) {
    return a[10] == 0xff && a[11] == 0xff && !a[0] && !a[1] && !a[2] && !a[3] && !a[4] && !a[5] && !a[6] &&
           !a[7] && !a[8] && !a[9];
}

/* Connect latency bucket: upper bounds in ns, mirrored in userspace (CONNECT_BOUNDS_S). */
static __always_inline int connect_bucket(__u64 ns) {
    const __u64 bounds[CONNECT_BOUNDS] = {
        100000ULL,    250000ULL,    500000ULL,    1000000ULL,    2500000ULL,
        5000000ULL,   10000000ULL,  25000000ULL,  50000000ULL,   100000000ULL,
        250000000ULL, 500000000ULL, 1000000000ULL, 3000000000ULL, 10000000000ULL,
    };
    int index = CONNECT_BOUNDS;
#pragma unroll
    for (int i = CONNECT_BOUNDS - 1; i >= 0; i--) {
        if (ns <= bounds[i])
            index = i;
    }
    return index;
}

/* Adds the segments the socket sent and received since the last call to its flow.  The kernel's
 * own per-socket counters (tcp_sock.segs_in/segs_out) are read on every received segment
 * (tcp_probe) and when the socket is destroyed, so nothing per transmitted segment is traced. */
static __always_inline void add_segments(__u64 sk, struct sock_state *st, struct flow_stats *stats, int at_end) {
    __u32 in = read_u32(sk, TCP_SEGS_IN);
    __u32 out = read_u32(sk, TCP_SEGS_OUT);
    __u32 received = in - st->segs_in_seen;
    __u32 sent = out - st->segs_out_seen;
    st->segs_in_seen = in;
    st->segs_out_seen = out;
    if (received)
        __sync_fetch_and_add(&stats->segs_received, received);
    if (sent)
        __sync_fetch_and_add(&stats->segs_sent, sent);
#ifdef BYTES_FROM_TCP_SOCK
    /* No sock_*_length on this kernel (before 6.3): the bytes are the kernel's per-socket counters'
     * deltas, taken at the same moments.  Sent: payload transmitted once (bytes_sent counts no SYN
     * or FIN, and retransmissions apart in bytes_retrans).  Received: bytes_received is the advance
     * of rcv_nxt, which the peer's FIN moves by one too: at the end, when a FIN came (SOCK_DONE,
     * set by tcp_fin), that one is not a byte.  (It is always seen here, at the end: tcp_probe
     * fires only for segments of an established socket, and the FIN ends that.) */
    __u64 bytes_in = read_u64(sk, TCP_BYTES_RECEIVED);
    __u64 bytes_out = read_u64(sk, TCP_BYTES_SENT) - read_u64(sk, TCP_BYTES_RETRANS);
    if (at_end && bytes_in > st->bytes_in_seen && (read_u64(sk, SK_FLAGS) & (1ULL << SOCK_DONE_BIT)))
        bytes_in -= 1;
    if (bytes_in > st->bytes_in_seen)
        __sync_fetch_and_add(&stats->bytes_received, bytes_in - st->bytes_in_seen);
    if (bytes_out > st->bytes_out_seen)
        __sync_fetch_and_add(&stats->bytes_sent, bytes_out - st->bytes_out_seen);
    st->bytes_in_seen = bytes_in;
    st->bytes_out_seen = bytes_out;
#endif
}

/* The server's side of a handshake, read from an accepted socket as it becomes established.
 * The request socket that answered the SYN is gone by then (no tracepoint sees it), but the
 * kernel left its measurements in the child: the first RTT sample (first SYN-ACK sent -> final
 * ACK received), or, when SYN-ACKs had to be retransmitted, the time since the first one
 * (total_rto_time, ms, Linux 6.7+).  Returns 0 when there is no trustworthy figure. */
static __always_inline __u64 server_handshake_ns(__u64 sk) {
#ifdef TCP_TOTAL_RTO
    if (read_u16(sk, TCP_TOTAL_RTO))
        return (__u64)read_u32(sk, TCP_TOTAL_RTO_TIME) * 1000000ULL;
#else
    if (read_u32(sk, TCP_TOTAL_RETRANS))
        return 0; /* SYN-ACK retransmitted and this kernel does not say since when */
#endif
    return (__u64)(read_u32(sk, TCP_SRTT_US) >> 3) * 1000ULL;
}

/* Creates the state of a socket entering SYN_SENT or accepted from a listener. */
static __always_inline void track(__u64 sk, struct sock_ids *args, __u8 direction, __u32 tgid,
                                  __u64 now) {
    struct sock_state st = {};
    __builtin_memcpy(st.key.peer, args->daddr_v6, 16);
    st.key.tgid = tgid;
    st.key.direction = direction;
    st.key.family = args->family;
    st.key.server_port = direction == FLOW_CLIENT ? args->dport : args->sport;
    st.start_ns = now;
    int overflowed = 0;
    struct flow_stats *stats = get_flow(&st.key, now, &overflowed);
    if (overflowed)
        count(STAT_FLOW_OVERFLOW);
    if (socks.update(&sk, &st) != 0) {
        count(STAT_SOCK_MAP_FULL);
        return;
    }
    if (stats) {
        stats->last_ns = now;
        __sync_fetch_and_add(&stats->active, 1);
    }
}

/* --- programs --- */

/* inet_sock_set_state(const struct sock *sk, const int oldstate, const int newstate) */
int on_inet_sock_set_state(struct bpf_raw_tracepoint_args *ctx) {
    __u64 sk = ctx->args[0];
    int oldstate = (int)ctx->args[1];
    int newstate = (int)ctx->args[2];
    if (read_u16(sk, SK_PROTOCOL) != IPPROTO_TCP_) /* struct sock, not sock_common */
        return 0;
    struct sock_ids ids = {};
    read_sock(sk, &ids);
    struct sock_ids *args = &ids;
    __u64 now = bpf_ktime_get_ns();
    __u32 tgid = bpf_get_current_pid_tgid() >> 32;

    if (newstate == TCP_LISTEN_) { /* in listen(): the process is the current one */
        __u16 port = args->sport;
        if (listeners.update(&port, &tgid) != 0)
            count(STAT_LISTEN_MAP_FULL);
        return 0;
    }
    if (oldstate == TCP_LISTEN_) {
        if (newstate == TCP_SYN_RECV_) { /* the child of a listener, on the handshake's last ACK */
            __u16 port = args->sport;
            __u32 *owner = listeners.lookup(&port);
            track(sk, args, FLOW_SERVER, owner ? *owner : 0, now);
        } else if (newstate == TCP_CLOSE_) {
            __u16 port = args->sport;
            __u32 *owner = listeners.lookup(&port);
            if (owner && *owner == tgid)
                listeners.delete(&port);
        }
        return 0;
    }
    if (newstate == TCP_SYN_SENT_) { /* in connect(): the process is the current one */
        track(sk, args, FLOW_CLIENT, tgid, now);
        return 0;
    }

    struct sock_state *st = socks.lookup(&sk);
    if (!st) {
        count(STAT_UNTRACKED);
        return 0;
    }
    struct flow_stats *stats = flow_of(st, now);
    if (!stats)
        return 0;
    if (newstate == TCP_ESTABLISHED_) {
        st->flags |= SK_ESTABLISHED;
        __sync_fetch_and_add(&stats->connects, 1);
        __u64 elapsed = 0;
        if (oldstate == TCP_SYN_SENT_)
            elapsed = now - st->start_ns;
        else if (oldstate == TCP_SYN_RECV_)
            elapsed = server_handshake_ns(sk);
        if (elapsed) {
            __sync_fetch_and_add(&stats->connect_ns_sum, elapsed);
            int bucket = connect_bucket(elapsed);
            if (bucket >= 0 && bucket < CONNECT_BUCKETS)
                __sync_fetch_and_add(&stats->connect_buckets[bucket], 1);
        }
        return 0;
    }
    if (newstate == TCP_FIN_WAIT1_ || newstate == TCP_CLOSE_WAIT_) {
        st->flags |= SK_FIN;
        return 0;
    }
    if (newstate == TCP_CLOSE_) {
        st->flags |= SK_CLOSED;
        /* Timers (SYN or retransmission timeouts) run in softirq, not in the owner's syscall. */
        if (tgid != st->key.tgid)
            st->flags |= SK_TIMER_CLOSE;
        if (oldstate == TCP_SYN_SENT_) {
            int reason = CLOSE_ABORTED;
            if (st->flags & SK_RST_RECEIVED)
                reason = CLOSE_RESET_RECEIVED; /* refused */
            else if (st->flags & SK_TIMER_CLOSE)
                reason = CLOSE_TIMEOUT;
            __sync_fetch_and_add(&stats->connect_failures[reason], 1);
        }
    }
    return 0;
}

/* The close reason is counted here, not at CLOSE: an abortive close moves to CLOSE first and
 * sends its reset afterwards. */
/* tcp_destroy_sock(struct sock *sk) */
int on_tcp_destroy_sock(struct bpf_raw_tracepoint_args *ctx) {
    __u64 sk = ctx->args[0];
    struct sock_state *st = socks.lookup(&sk);
    if (!st)
        return 0;
    __u64 now = bpf_ktime_get_ns();
    struct flow_stats *stats = flow_of(st, now);
    if (stats) {
        add_segments(sk, st, stats, 1);
        if (st->flags & SK_ESTABLISHED) {
            int reason = CLOSE_TIMEOUT;
            if (st->flags & SK_RST_RECEIVED)
                reason = CLOSE_RESET_RECEIVED;
            else if (st->flags & SK_RST_SENT)
                reason = CLOSE_RESET_SENT;
            else if (st->flags & SK_FIN)
                reason = CLOSE_FIN;
            __sync_fetch_and_add(&stats->closes[reason], 1);
        }
        __sync_fetch_and_add(&stats->active, -1);
    }
    socks.delete(&sk);
    return 0;
}

/* tcp_retransmit_skb(const struct sock *sk, const struct sk_buff *skb, int err); before 6.12
 * without `err`, and only called for successful retransmissions. */
int on_tcp_retransmit_skb(struct bpf_raw_tracepoint_args *ctx) {
#ifdef RETRANSMIT_HAS_ERR
    /* The kernel's TcpRetransSegs skips a segment that is not retransmitted yet (-EBUSY: still
     * queued) and the failures found before the segment is sent (the count comes after them). */
    int err = (int)ctx->args[2];
    if (err == -EBUSY_ || err == -EAGAIN_ || err == -ENOMEM_ || err == -EINVAL_ || err == -EHOSTUNREACH_)
        return 0;
#endif
    __u64 sk = ctx->args[0];
    __u64 skb = ctx->args[1];
    struct sock_state *st = socks.lookup(&sk);
    if (!st) {
        count(STAT_UNTRACKED);
        return 0;
    }
    /* One event per skb, and a TSO/GSO skb holds several segments: the kernel's count,
     * tcp_skb_pcount(), is TCP_SKB_CB(skb)->tcp_gso_segs (skb->cb holds a struct tcp_skb_cb). */
    __u32 segs = 1;
    __u16 gso_segs = read_u16(skb, SKB_CB + TCP_SKB_CB_GSO_SEGS);
    if (gso_segs > 1)
        segs = gso_segs;
    st->retransmits += segs;
    struct flow_stats *stats = flow_of(st, bpf_ktime_get_ns());
    if (stats)
        __sync_fetch_and_add(&stats->retransmits, segs);
    return 0;
}

/* tcp_retransmit_synack(const struct sock *sk, const struct request_sock *req): a listener
 * retransmitted the SYN-ACK of a handshake in progress (counted in TcpRetransSegs too).  No socket
 * exists yet for the connection: the flow is the listener's, the peer the request's.  A request
 * sock starts with the same struct sock_common as a socket, so the SK_* offsets apply to it. */
int on_tcp_retransmit_synack(struct bpf_raw_tracepoint_args *ctx) {
    __u64 req = ctx->args[1];
    struct sock_ids ids = {};
    read_sock(req, &ids);
    struct flow_key key = {};
    __builtin_memcpy(key.peer, ids.daddr_v6, 16);
    /* The accepted socket's family is the listener's (an IPv6 listener accepts IPv4 clients as
     * IPv4-mapped), and the flow must be the same. */
    key.family = read_u16(ctx->args[0], SK_FAMILY);
    key.direction = FLOW_SERVER;
    key.server_port = ids.sport;
    __u32 *owner = listeners.lookup(&key.server_port);
    key.tgid = owner ? *owner : 0;
    __u64 now = bpf_ktime_get_ns();
    int overflowed = 0;
    struct flow_stats *stats = get_flow(&key, now, &overflowed);
    if (overflowed)
        count(STAT_FLOW_OVERFLOW);
    if (stats) {
        stats->last_ns = now;
        __sync_fetch_and_add(&stats->retransmits, 1);
    }
    return 0;
}

/* tcp_receive_reset(struct sock *sk) */
int on_tcp_receive_reset(struct bpf_raw_tracepoint_args *ctx) {
    __u64 sk = ctx->args[0];
    struct sock_state *st = socks.lookup(&sk);
    if (!st) {
        count(STAT_UNTRACKED);
        return 0;
    }
    st->flags |= SK_RST_RECEIVED;
    struct flow_stats *stats = flow_of(st, bpf_ktime_get_ns());
    if (stats)
        __sync_fetch_and_add(&stats->resets_received, 1);
    return 0;
}

/* tcp_send_reset(const struct sock *sk, const struct sk_buff *skb, ...): `skb` is the segment
 * being answered (received), or NULL. */
int on_tcp_send_reset(struct bpf_raw_tracepoint_args *ctx) {
    __u64 sk = ctx->args[0];
    __u64 skb = ctx->args[1];
    __u64 now = bpf_ktime_get_ns();
    if (sk) {
        struct sock_state *st = socks.lookup(&sk);
        if (!st) {
            count(STAT_UNTRACKED);
            return 0;
        }
        st->flags |= SK_RST_SENT;
        struct flow_stats *stats = flow_of(st, now);
        if (stats)
            __sync_fetch_and_add(&stats->resets_sent, 1);
        return 0;
    }
    /* No socket matched the segment: a SYN to a closed port (refused), or a segment of a
     * connection this side already forgot.  Owner unknown.  The peer is the answered segment's
     * source.  Which port is the server's is guessed from the ephemeral range so that a key
     * never holds an ephemeral port. */
    count(STAT_RESET_NO_SOCKET);
    if (!skb)
        return 0;
    __u64 head = read_u64(skb, SKB_HEAD);
    __u16 network_header = read_u16(skb, SKB_NETWORK_HEADER);
    __u16 transport_header = read_u16(skb, SKB_TRANSPORT_HEADER);
    if (!head || network_header == 0xffff || transport_header == 0xffff)
        return 0;
    __u64 ip = head + network_header;
    __u32 ports = read_u32(head + transport_header, 0); /* th->source, th->dest (network order) */
    __u16 peer_port = __builtin_bswap16(ports & 0xffff);
    __u16 local_port = __builtin_bswap16(ports >> 16);
    __u8 version = (__u8)read_u16(ip, 0) >> 4;
    __u16 family = version == 4 ? AF_INET_ : version == 6 ? AF_INET6_ : 0;
    struct flow_key key = {};
    key.family = family;
    key.direction = FLOW_SERVER;
    if (local_port < EPHEMERAL_MIN) {
        key.server_port = local_port;
    } else if (peer_port < EPHEMERAL_MIN) {
        key.server_port = peer_port;
        key.direction = FLOW_CLIENT;
    } /* else both ephemeral: server_port 0 */
    if (family == AF_INET_) {
        key.peer[10] = 0xff;
        key.peer[11] = 0xff;
        bpf_probe_read_kernel(&key.peer[12], 4, (void *)(ip + 12)); /* iphdr.saddr */
    } else if (family == AF_INET6_) {
        bpf_probe_read_kernel(key.peer, 16, (void *)(ip + 8)); /* ipv6hdr.saddr */
    } else {
        return 0;
    }
    int overflowed = 0;
    struct flow_stats *stats = get_flow(&key, now, &overflowed);
    if (overflowed)
        count(STAT_RESET_OVERFLOW);
    if (stats) {
        stats->last_ns = now;
        __sync_fetch_and_add(&stats->resets_sent, 1);
    }
    return 0;
}

/* tcp_probe(struct sock *sk, const struct sk_buff *skb): a segment received when established */
int on_tcp_probe(struct bpf_raw_tracepoint_args *ctx) {
    __u64 sk = ctx->args[0];
    struct sock_state *st = socks.lookup(&sk);
    if (!st)
        return 0; /* not counted as untracked: one per segment would drown the useful counts */
    __u32 srtt = read_u32(sk, TCP_SRTT_US) >> 3; /* microseconds, as the formatted tracepoint shows it */
    st->srtt_us = srtt;
    struct flow_stats *stats = flow_of(st, bpf_ktime_get_ns());
    if (!stats)
        return 0;
    add_segments(sk, st, stats, 0);
    if (srtt) {
        __sync_fetch_and_add(&stats->srtt_us_sum, srtt);
        __sync_fetch_and_add(&stats->srtt_samples, 1);
        stats->srtt_last_us = srtt;
    }
    return 0;
}

/* sock_{send,recv}_length(struct sock *sk, int ret, int flags), in the owner's syscall */
static __always_inline void add_bytes(struct bpf_raw_tracepoint_args *ctx, int sent) {
    __u64 sk = ctx->args[0];
    int ret = (int)ctx->args[1];
    int flags = (int)ctx->args[2];
    if (ret <= 0)
        return;
    if (!sent && (flags & MSG_PEEK_))
        return; /* peeked bytes are read again later */
    /* Only TCP sockets are ever in `socks`: the lookup is the protocol check. */
    struct sock_state *st = socks.lookup(&sk);
    if (!st)
        return;
    if (st->key.direction == FLOW_SERVER && st->key.tgid == 0) {
        /* A listener older than the program: learn its owner for the next connections. */
        __u16 port = st->key.server_port;
        __u32 tgid = bpf_get_current_pid_tgid() >> 32;
        listeners.insert(&port, &tgid);
    }
    struct flow_stats *stats = flow_of(st, bpf_ktime_get_ns());
    if (!stats)
        return;
    if (sent)
        __sync_fetch_and_add(&stats->bytes_sent, ret);
    else
        __sync_fetch_and_add(&stats->bytes_received, ret);
}

int on_sock_send_length(struct bpf_raw_tracepoint_args *ctx) {
    add_bytes(ctx, 1);
    return 0;
}

int on_sock_recv_length(struct bpf_raw_tracepoint_args *ctx) {
    add_bytes(ctx, 0);
    return 0;
}
