"""The BTF reader the TCP flow loader takes kernel struct offsets from, against the running kernel.

uapi structs have a fixed layout, so their offsets cross-check the reader; kernel-internal
ones are checked for what the program relies on (e.g. skc_daddr first in struct sock).
"""

from __future__ import annotations

import os

import pytest

from otel_ebpf.kernel import bpf
from otel_ebpf.kernel.btf import BTF_VMLINUX, Btf, BtfError
from otel_ebpf.receivers.tcp_flows.loader import KERNEL_OFFSETS, TRACEPOINTS, kernel_flags
from tests.harness import IN_CI


@pytest.fixture(scope="module")
def btf() -> Btf:
    if not os.path.exists(BTF_VMLINUX) and not IN_CI:  # under CI, Btf() fails the test instead
        pytest.skip("this kernel has no BTF")
    return Btf()


def test_uapi_offsets_match_the_fixed_layout(btf):
    # The layout kernel/bpf.py hard-codes for bpf_prog_info, and the link info's prog_id.
    assert btf.offset("bpf_prog_info", "recursion_misses") == bpf._PROG_INFO_RECURSION_MISSES
    assert btf.offset("bpf_prog_info", "name") == 64
    assert btf.size("bpf_prog_info", "name") == 16
    assert btf.offset("bpf_link_info", "prog_id") == 8
    # struct iphdr: saddr at 12, as the socketless reset path reads it.
    assert btf.offset("iphdr", "saddr") == 12
    assert btf.offset("ipv6hdr", "saddr") == 8


def test_members_nested_in_anonymous_unions_are_found(btf):
    # skc_daddr/skc_dport live in unnamed unions of struct sock_common; `sock` starts with it.
    assert btf.offset("sock", "__sk_common") == 0
    assert btf.offset("sock", "__sk_common.skc_daddr") == btf.offset("sock_common", "skc_daddr")
    assert btf.offset("sock_common", "skc_num") == btf.offset("sock_common", "skc_dport") + 2
    assert btf.size("sock", "__sk_common.skc_v6_daddr") == 16
    assert btf.size("sk_buff", "cb") == 48  # char cb[48]: an array's size is count x element


def test_tracepoint_arities(btf):
    assert btf.tracepoint_arity("inet_sock_set_state") == 3
    assert btf.tracepoint_arity("tcp_destroy_sock") == 1
    for tracepoint, needed in TRACEPOINTS.values():
        assert btf.tracepoint_arity(tracepoint) >= needed


def test_missing_types_and_members_raise(btf, tmp_path):
    with pytest.raises(BtfError, match="no struct"):
        btf.offset("no_such_struct_here", "x")
    with pytest.raises(BtfError, match="no member"):
        btf.offset("sock", "__sk_common.no_such_member")
    with pytest.raises(BtfError, match="no tracepoint"):
        btf.tracepoint_arity("no_such_tracepoint")
    bogus = tmp_path / "vmlinux"
    bogus.write_bytes(b"\0" * 64)
    with pytest.raises(BtfError, match="not BTF"):
        Btf(str(bogus))
    with pytest.raises(BtfError, match="cannot read"):
        Btf(str(tmp_path / "absent"))


def test_bitfields_are_refused(btf):
    # struct sock's sk_gso_disabled is a 1-bit field: reading it at a byte offset would be wrong.
    with pytest.raises(BtfError, match="bitfield"):
        btf.offset("sock", "sk_gso_disabled")


def test_kernel_flags_define_every_offset(btf):
    flags = kernel_flags()
    defined = {f.split("=")[0][2:] for f in flags}
    assert set(KERNEL_OFFSETS) <= defined
    # tcp_retransmit_skb has its `err` argument since Linux 6.12 (this machine runs 6.18).
    assert ("RETRANSMIT_HAS_ERR" in defined) == (btf.tracepoint_arity("tcp_retransmit_skb") >= 3)
