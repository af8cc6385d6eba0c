#!/bin/bash
# run-in-vm.sh KERNEL_VERSION 'command'
#   Boots a Debian kernel (e.g. 6.1.0-57-amd64, or a short form 6.1 / 5.10) in qemu with the
#   HOST's root filesystem shared read-only over 9p, writable /tmp, /var/tmp, /root (tmpfs overlays),
#   the guest kernel's modules + headers at /lib/modules/$(uname -r){,/build}, debugfs/tracefs/bpffs
#   mounted, and runs 'command' (as root, via /bin/sh, in the caller's cwd).
#   Prints the command's output on stdout and exits with the command's exit status
#   (124 = VM timed out, 125 = VM/boot failure).
# Env: VM_ACCEL=auto|kvm|tcg  VM_MEM=2G  VM_SMP=2  VM_TIMEOUT=900 (s)  VM_VERBOSE=1 (show kernel console)
#      VMTEST_DIR=/tmp/vmtest (cache of kernels)  VM_KEEP=1 (keep the per-run dir)  VM_REFRESH=1 (re-resolve 6.1/5.10 via apt)
# Vendored from the workplace's shared run-in-vm tool (README there: boot times, limits) so that the
# repository's VM test tier (tests/test_vm_kernels.py) needs nothing outside it; changed here: the
# host's apt sources are read when /etc/apt/sources.list is missing (deb822 only).
set -euo pipefail
[[ $# -ge 2 ]] || { sed -n '2,10p' "$0" >&2; exit 2; }
VT=${VMTEST_DIR:-/tmp/vmtest}
LIB=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)/lib
REQ=$1; CMD=$2
log() { echo "[run-in-vm] $*" >&2; }
T0=$(date +%s.%N)
el() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

# ---- private apt configuration: never touches the host's sources/lists/cache ----
APTD=$VT/apt
aptx() {
  apt-get -q -o Dir::Etc::sourcelist="$APTD/sources.list" -o Dir::Etc::sourceparts=- \
    -o Dir::State::Lists="$APTD/lists" -o Dir::Cache="$APTD/cache" \
    -o Debug::NoLocking=1 -o APT::Sandbox::User=root "$@"
}
aptc() {
  apt-cache -o Dir::Etc::sourcelist="$APTD/sources.list" -o Dir::Etc::sourceparts=- \
    -o Dir::State::Lists="$APTD/lists" -o Dir::Cache="$APTD/cache" "$@"
}
apt_setup() {
  [[ -n ${VM_REFRESH:-} ]] && rm -f "$APTD/lists/.updated"
  [[ -f $APTD/lists/.updated ]] && return
  mkdir -p "$APTD/lists/partial" "$APTD/cache/archives/partial"
  # the archive the host's own apt already uses (deb822 .sources or one-line sources.list)
  local main sec
  # (either file may be missing: grep's status must not end the script under pipefail)
  local uris
  uris=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
         | grep -oE '^(URIs:|deb) +[^ ]+' | awk '{print $2}' || true)
  main=$(printf '%s\n' "$uris" | grep -v -- '-security' | head -n1 || true)
  sec=$(printf '%s\n' "$uris" | grep -- '-security' | head -n1 || true)
  [[ -n $main ]] || { log "cannot find the host's Debian archive in /etc/apt"; exit 125; }
  [[ -n $sec ]] || sec=${main%/debian}/debian-security
  local key="signed-by=/usr/share/keyrings/debian-archive-keyring.gpg"
  {
    echo "deb [$key] $main bookworm main"
    echo "deb [$key] $sec bookworm-security main"
    echo "deb [$key] $main bullseye main"
    echo "deb [$key] $sec bullseye-security main"
  } > "$APTD/sources.list"
  log "apt-get update (private lists in $APTD)"
  aptx update >/dev/null
  touch "$APTD/lists/.updated"
}

# ---- resolve short versions (6.1 -> newest 6.1.0-N-amd64) ----
KVER=$REQ
if [[ $KVER != *-amd64 ]]; then
  if ls -d "$VT"/k/"$KVER".0-*-amd64/boot >/dev/null 2>&1 && [[ -z ${VM_REFRESH:-} ]]; then
    KVER=$(ls -d "$VT"/k/"$KVER".0-*-amd64 | sed 's|.*/||' | sort -V | tail -1)
  else
    apt_setup
    KVER=$(aptc pkgnames "linux-image-$KVER.0-" | grep -E "^linux-image-${KVER//./\\.}\.0-[0-9]+-amd64(-unsigned)?\$" \
           | sed 's|^linux-image-||; s|-unsigned$||' | sort -V | tail -1)
    [[ -n $KVER ]] || { log "no linux-image-$REQ.0-*-amd64 package found"; exit 125; }
  fi
fi
K=$VT/k/$KVER

# ---- fetch + unpack kernel image, headers (cached) ----
if [[ ! -f $K/.ready ]]; then
  log "fetching kernel $KVER"
  apt_setup
  D=$VT/debs; mkdir -p "$D" "$K"
  abi=${KVER%-amd64}
  (cd "$D" && aptx download "linux-image-$KVER" "linux-headers-$KVER" "linux-headers-$abi-common" >/dev/null) \
    || (cd "$D" && aptx download "linux-image-$KVER-unsigned" "linux-headers-$KVER" "linux-headers-$abi-common" >/dev/null)
  for f in "$D"/linux-image-"$KVER"_*.deb "$D"/linux-image-"$KVER"-unsigned_*.deb \
           "$D"/linux-headers-"$KVER"_*.deb "$D"/linux-headers-"$abi"-common_*.deb; do
    [[ -f $f ]] && dpkg -x "$f" "$K"
  done
  [[ -f $K/boot/vmlinuz-$KVER ]] || { log "kernel image missing after download"; exit 125; }
  depmod -b "$K" "$KVER"
  /usr/bin/python3 "$LIB/extract-vmlinux.py" "$K/boot/vmlinuz-$KVER" "$K/vmlinux" >/dev/null || true
  touch "$K/.ready"
fi
if [[ ! -f $K/initramfs.gz || $LIB/init -nt $K/initramfs.gz ]]; then
  [[ -x $VT/bb/bin/busybox ]] || { mkdir -p "$VT/bb"; (cd "$VT" && aptx download busybox-static >/dev/null 2>&1 || apt-get download busybox-static) && dpkg -x "$VT"/busybox-static_*.deb "$VT/bb"; }
  BUSYBOX=$VT/bb/bin/busybox "$LIB/mkinitramfs.sh" "$K" "$KVER" "$K/initramfs.gz" >&2
fi

# ---- accelerator ----
ACCEL=${VM_ACCEL:-auto}
if [[ $ACCEL == auto ]]; then
  # real hardware-assisted KVM only (kvm_intel/kvm_amd). A PVM host (kvm_pvm) cannot run stock kernels usefully.
  if [[ -w /dev/kvm ]] && [[ -d /sys/module/kvm_intel || -d /sys/module/kvm_amd ]]; then ACCEL=kvm; else ACCEL=tcg; fi
fi
if [[ $ACCEL == kvm ]]; then
  QACCEL=(-accel kvm -cpu host); KIMG=$K/boot/vmlinuz-$KVER
else
  QACCEL=(-accel tcg,thread=multi -cpu max); KIMG=$K/boot/vmlinuz-$KVER
  # PVH direct boot of the uncompressed ELF skips the (slow under TCG) xz decompressor
  [[ -f $K/vmlinux && ${VM_PVH:-1} == 1 ]] && KIMG=$K/vmlinux
fi

# ---- per-run dir, shared writable as /run/vmrun ----
mkdir -p "$VT/runs"
RUN=$(mktemp -d "$VT/runs/run.XXXXXX")
cleanup() { [[ -n ${VM_KEEP:-} ]] || rm -rf "$RUN"; }
trap cleanup EXIT
printf '%s\n' "$CMD" > "$RUN/cmd.sh"
pwd > "$RUN/cwd"

log "booting $KVER (accel=$ACCEL, ${VM_SMP:-2} vCPU, ${VM_MEM:-2G}) t=$(el)s"
CONSOLE=file:$RUN/console.log
[[ -n ${VM_VERBOSE:-} ]] && CONSOLE=file:/dev/stderr
set +e
timeout --foreground -k 10 "${VM_TIMEOUT:-900}" qemu-system-x86_64 -nodefaults -no-reboot -display none -monitor none \
  -machine q35 "${QACCEL[@]}" -m "${VM_MEM:-2G}" -smp "${VM_SMP:-2}" \
  -kernel "$KIMG" -initrd "$K/initramfs.gz" \
  -append "console=ttyS0 quiet loglevel=4 panic=-1 rdinit=/init nokaslr mitigations=off" \
  -serial "$CONSOLE" -serial stdio \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs local,path="$RUN",mount_tag=vmrun,security_model=none \
  -virtfs local,path="$K",mount_tag=vmk,security_model=none,readonly=on </dev/null
qrc=$?
set -e
if [[ -f $RUN/rc ]]; then
  rc=$(cat "$RUN/rc")
else
  if [[ $qrc == 124 || $qrc == 137 ]]; then rc=124; log "VM timed out after ${VM_TIMEOUT:-900}s"; else rc=125; fi
  log "no exit status from guest (qemu rc=$qrc); last console lines:"; tail -n 30 "$RUN/console.log" >&2 2>/dev/null || true
fi
log "kernel $KVER: exit $rc, total $(el)s; $(grep -o 'booted .*running command' "$RUN/console.log" 2>/dev/null || true)"
exit "$rc"
