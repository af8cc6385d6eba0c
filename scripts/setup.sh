#!/bin/sh
# Installs everything otel-ebpf needs on a fresh Debian/Ubuntu machine, as root.
# Idempotent: run it as often as you like.
#
#   sh scripts/setup.sh          # the agent: bcc, kernel headers, tracefs, a venv in .venv
#   sh scripts/setup.sh --test   # the above plus what the tests use: nginx, Node.js, Go, curl, wrk, gcc, rotel, pytest
#   sh scripts/setup.sh --bench  # --test plus what bench/bench_flask.py runs: Flask, gunicorn, the OpenTelemetry SDK
#                                # and its Flask instrumentation (pyproject's `bench` extra); perf (linux-perf)
#
# Why each step exists:
#   - bcc compiles the BPF C at load time, so it needs kernel headers. When the running
#     kernel's own headers are missing (no /lib/modules/$(uname -r)/build, as on many VMs),
#     the distribution's headers package is installed and linked there.
#   - tracepoints are attached through tracefs, which some machines do not mount at boot.
#   - bcc's Python module comes from Debian's python3-bpfcc (the PyPI package named "bcc"
#     is unrelated), so the venv is built from /usr/bin/python3 with system site packages.
set -eu

WITH_TESTS=0
WITH_BENCH=0
for arg in "$@"; do
    case "$arg" in
        --test) WITH_TESTS=1 ;;
        # The benches drive what the tests use (nginx, wrk, rotel, tests/harness.py): --bench implies --test.
        --bench) WITH_TESTS=1; WITH_BENCH=1 ;;
        *) echo "usage: sh scripts/setup.sh [--test] [--bench]" >&2; exit 2 ;;
    esac
done

if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh: run as root (it installs packages and mounts tracefs)" >&2
    exit 1
fi

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KREL=$(uname -r)

# Some tests run the agent as user nobody (its privilege errors): the clone must be readable by other
# users.  Said now, not as failures after the suite has run.
if [ "$WITH_TESTS" = 1 ] && ! setpriv --reuid nobody --regid nogroup --clear-groups test -r "$ROOT/pyproject.toml"; then
    echo "setup.sh: user nobody cannot read $ROOT, and some tests run the agent as nobody:" >&2
    echo "          clone the repository where other users can read it (e.g. /opt/otel-ebpf, not under /root)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive

need_pkgs="python3 python3-venv python3-pip python3-bpfcc bpfcc-tools libbpfcc ca-certificates"
[ -e "/lib/modules/$KREL/build/include" ] || need_pkgs="$need_pkgs linux-headers-amd64"
if [ "$WITH_TESTS" = 1 ]; then
    # libpython3.11: the tests' OTLP receiver (PyPI's rotel) ships a binary linked against
    # the interpreter's shared library, which Debian's python3 does not pull in.
    # openssl and capsh (libcap2-bin): the TLS and dropped-capability tests.
    # gcc and binutils (objcopy): tests/test_kernel_records.py compiles the bpf/*.h headers with
    # `gcc -gbtf` and reads their BTF, to check the Python records against the C structs.
    # golang-go: tests/test_tls_e2e.py builds a Go HTTPS server (crypto/tls uprobes); libc6-dev: test_tls_discovery.py
    # builds a small C program that exports OpenSSL's names (as Node.js does), bench_uprobe_cost.py a C loop.
    # prometheus: a real Prometheus scrapes the prometheus exporter (and promtool lints it).
    need_pkgs="$need_pkgs nginx nodejs curl wrk iproute2 nftables procps libpython3.11 openssl libcap2-bin gcc libc6-dev binutils golang-go"
    need_pkgs="$need_pkgs prometheus"
    # nghttp2-server and nghttp2-client: nghttpd, nghttp and h2load, the h2c tests' server and clients.
    need_pkgs="$need_pkgs nghttp2-server nghttp2-client"
    # The VM test tier (tests/test_vm_kernels.py, tests/vm/run-in-vm.sh) boots Debian's 6.1 and 5.10
    # kernels in qemu: qemu-system-x86, depmod (kmod), xz/zstd for their modules, busybox-static
    # fetched by the script itself.
    need_pkgs="$need_pkgs qemu-system-x86 kmod xz-utils zstd"
fi
# perf: bench/bench_syscall_tax.py (perf bench syscall basic) and profiling the observed service.
if [ "$WITH_BENCH" = 1 ]; then need_pkgs="$need_pkgs linux-perf"; fi

missing=""
for p in $need_pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup.sh: installing$missing"
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# Kernel headers for bcc: link the distribution's headers where bcc looks for them.
if [ ! -e "/lib/modules/$KREL/build/include" ]; then
    build=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
    common=$(ls -d /usr/src/linux-headers-*-common 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$build" ] || [ -z "$common" ]; then
        echo "setup.sh: no kernel headers found under /usr/src" >&2
        exit 1
    fi
    mkdir -p "/lib/modules/$KREL"
    ln -sfn "$build" "/lib/modules/$KREL/build"
    ln -sfn "$common" "/lib/modules/$KREL/source"
    echo "setup.sh: linked $build as the headers of kernel $KREL"
fi

# tracefs: tracepoints are attached through it.
if [ ! -e /sys/kernel/tracing/events ]; then
    mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
fi

# The virtual environment: Debian's python with its bcc module visible.
if [ ! -x "$ROOT/.venv/bin/python" ]; then
    /usr/bin/python3 -m venv --system-site-packages "$ROOT/.venv"
fi
extra=""
if [ "$WITH_BENCH" = 1 ]; then extra="[test,bench]"; elif [ "$WITH_TESTS" = 1 ]; then extra="[test]"; fi
stamp="$ROOT/.venv/.installed$extra"
if [ ! -e "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
    "$ROOT/.venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    "$ROOT/.venv/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT$extra"
    touch "$stamp"
fi
"$ROOT/.venv/bin/python" -c "import bcc" || { echo "setup.sh: bcc is not importable from .venv" >&2; exit 1; }
echo "setup.sh: ready ($ROOT/.venv)"
