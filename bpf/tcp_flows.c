/* TCP flow aggregates from tracepoints only (no kprobes, no fentry, no kernel struct reads).
 *
 * Every event is folded into `flows`, keyed by (local process, peer address, server port,
 * direction): the ephemeral port is never part of a key, so the map's size bounds the
 * cardinality whatever the connection rate.  Userspace reads the map periodically, so its
 * cost depends on the number of flows, not on the packet rate.
 *
 *   sock:inet_sock_set_state  CLOSE->SYN_SENT (in connect(), so the process is known),
 *                             LISTEN->SYN_RECV (accepted child: its owner is the listener's),
 *                             ->ESTABLISHED (connect latency), FIN states, ->CLOSE.
 *   tcp:tcp_retransmit_skb    retransmitted segments.
 *   tcp:tcp_send_reset / tcp:tcp_receive_reset   resets, and the reason of a close.
 *   tcp:tcp_probe             smoothed RTT and received segments (established sockets).
 *   sock:sock_{send,recv}_length   bytes per direction (the syscall's return value).
 *   tcp:tcp_destroy_sock      the socket is gone: count its close reason, drop its state.
 *
 * Tracepoint argument structs are spelled out below and checked against tracefs by the
 * loader (otel_ebpf/receivers/tcp/loader.py) before compiling: bcc's generated struct for
 * tcp_send_reset uses an enum the 6.1 headers do not know, and the check catches a kernel
 * whose format differs instead of reading the wrong bytes.
 *
 * Build options (-D flags): MAX_FLOWS, MAX_SOCKETS, MAX_LISTENERS, EPHEMERAL_MIN (first port of
 * ip_local_port_range), SKB_CB_OFFSET (offsetof(struct sk_buff, cb) from the kernel's BTF).
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

#define TCP_ESTABLISHED_ 1
#define TCP_SYN_SENT_ 2
#define TCP_SYN_RECV_ 3
#define TCP_FIN_WAIT1_ 4
#define TCP_CLOSE_ 7
#define TCP_CLOSE_WAIT_ 8
#define TCP_LISTEN_ 10

/* --- tracepoint formats (offsets after the 8-byte common header, see tracefs .../format) --- */

struct tp_inet_sock_set_state {
    __u64 common;
    __u64 skaddr;
    __s32 oldstate;
    __s32 newstate;
    __u16 sport;
    __u16 dport;
    __u16 family;
    __u16 protocol;
    __u8 saddr[4];
    __u8 daddr[4];
    __u8 saddr_v6[16];
    __u8 daddr_v6[16];
};

struct tp_tcp_retransmit_skb {
    __u64 common;
    __u64 skbaddr;
    __u64 skaddr;
    __s32 state;
    __u16 sport;
    __u16 dport;
    __u16 family;
    __u8 saddr[4];
    __u8 daddr[4];
    __u8 saddr_v6[16];
    __u8 daddr_v6[16];
    __u16 pad;
    __s32 err;
};

struct tp_tcp_send_reset {
    __u64 common;
    __u64 skbaddr;
    __u64 skaddr;
    __s32 state;
    __u32 reason;
    __u8 saddr[28]; /* sockaddr_in / sockaddr_in6 of the sender (this host) */
    __u8 daddr[28]; /* ... of the peer */
};

/* tcp_receive_reset and tcp_destroy_sock share this layout. */
struct tp_tcp_sock_event {
    __u64 common;
    __u64 skaddr;
    __u16 sport;
    __u16 dport;
    __u16 family;
    __u8 saddr[4];
    __u8 daddr[4];
    __u8 saddr_v6[16];
    __u8 daddr_v6[16];
    __u16 pad;
    __u64 sock_cookie;
};

struct tp_tcp_probe {
    __u64 common;
    __u8 saddr[28];
    __u8 daddr[28];
    __u16 sport;
    __u16 dport;
    __u16 family;
    __u16 pad;
    __u32 mark;
    __u16 data_len;
    __u16 pad2;
    __u32 snd_nxt;
    __u32 snd_una;
    __u32 snd_cwnd;
    __u32 ssthresh;
    __u32 snd_wnd;
    __u32 srtt;     /* microseconds (tp->srtt_us >> 3) */
    __u32 rcv_wnd;
    __u32 pad3;
    __u64 sock_cookie;
    __u64 skbaddr;
    __u64 skaddr;
};

struct tp_sock_length {
    __u64 common;
    __u64 sk;
    __u16 family;
    __u16 protocol;
    __s32 ret;
    __s32 flags;
};

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

/* Creates the state of a socket entering SYN_SENT or accepted from a listener. */
static __always_inline void track(__u64 sk, struct tp_inet_sock_set_state *args, __u8 direction, __u32 tgid,
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

int on_inet_sock_set_state(struct tp_inet_sock_set_state *args) {
    if (args->protocol != IPPROTO_TCP_)
        return 0;
    __u64 sk = args->skaddr;
    int oldstate = args->oldstate;
    int newstate = args->newstate;
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
        if (oldstate == TCP_SYN_SENT_) {
            __u64 elapsed = now - st->start_ns;
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
int on_tcp_destroy_sock(struct tp_tcp_sock_event *args) {
    __u64 sk = args->skaddr;
    struct sock_state *st = socks.lookup(&sk);
    if (!st)
        return 0;
    __u64 now = bpf_ktime_get_ns();
    struct flow_stats *stats = flow_of(st, now);
    if (stats) {
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

int on_tcp_retransmit_skb(struct tp_tcp_retransmit_skb *args) {
    /* -EBUSY: not retransmitted yet (still queued); the kernel's TcpRetransSegs skips it too. */
    if (args->err == -EBUSY_)
        return 0;
    __u64 sk = args->skaddr;
    struct sock_state *st = socks.lookup(&sk);
    if (!st) {
        count(STAT_UNTRACKED);
        return 0;
    }
    /* One event per skb, and a TSO/GSO skb holds several segments: the kernel's count,
     * tcp_skb_pcount(), is TCP_SKB_CB(skb)->tcp_gso_segs, at offset 8 of skb->cb.  The loader
     * finds skb->cb in the running kernel's BTF; without it, count one per skb. */
    __u32 segs = 1;
#ifdef SKB_CB_OFFSET
    __u16 gso_segs = 0;
    bpf_probe_read_kernel(&gso_segs, sizeof(gso_segs), (void *)(args->skbaddr + SKB_CB_OFFSET + 8));
    if (gso_segs > 1)
        segs = gso_segs;
#endif
    st->retransmits += segs;
    struct flow_stats *stats = flow_of(st, bpf_ktime_get_ns());
    if (stats)
        __sync_fetch_and_add(&stats->retransmits, segs);
    return 0;
}

int on_tcp_receive_reset(struct tp_tcp_sock_event *args) {
    __u64 sk = args->skaddr;
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

int on_tcp_send_reset(struct tp_tcp_send_reset *args) {
    __u64 sk = args->skaddr;
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
     * connection this side already forgot.  Owner unknown.  The addresses are sockaddrs, the
     * reset's sender (this host) first.  Which port is the server's is guessed from the
     * ephemeral range so that a key never holds an ephemeral port. */
    count(STAT_RESET_NO_SOCKET);
    struct flow_key key = {};
    __u16 family = *(__u16 *)&args->saddr[0];
    __u16 local_port = __builtin_bswap16(*(__u16 *)&args->saddr[2]);
    __u16 peer_port = __builtin_bswap16(*(__u16 *)&args->daddr[2]);
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
        __builtin_memcpy(&key.peer[12], &args->daddr[4], 4);
    } else if (family == AF_INET6_) {
        __builtin_memcpy(key.peer, &args->daddr[8], 16);
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

int on_tcp_probe(struct tp_tcp_probe *args) {
    __u64 sk = args->skaddr;
    struct sock_state *st = socks.lookup(&sk);
    if (!st)
        return 0; /* not counted as untracked: one per segment would drown the useful counts */
    __u32 srtt = args->srtt;
    st->srtt_us = srtt;
    struct flow_stats *stats = flow_of(st, bpf_ktime_get_ns());
    if (!stats)
        return 0;
    __sync_fetch_and_add(&stats->segs_received, 1);
    if (srtt) {
        __sync_fetch_and_add(&stats->srtt_us_sum, srtt);
        __sync_fetch_and_add(&stats->srtt_samples, 1);
        stats->srtt_last_us = srtt;
    }
    return 0;
}

static __always_inline void add_bytes(struct tp_sock_length *args, int sent) {
    if (args->protocol != IPPROTO_TCP_ || args->ret <= 0)
        return;
    if (!sent && (args->flags & MSG_PEEK_))
        return; /* peeked bytes are read again later */
    __u64 sk = args->sk;
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
        __sync_fetch_and_add(&stats->bytes_sent, args->ret);
    else
        __sync_fetch_and_add(&stats->bytes_received, args->ret);
}

int on_sock_send_length(struct tp_sock_length *args) {
    add_bytes(args, 1);
    return 0;
}

int on_sock_recv_length(struct tp_sock_length *args) {
    add_bytes(args, 0);
    return 0;
}
