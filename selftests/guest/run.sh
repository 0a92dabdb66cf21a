#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run a script as root inside the pmesh test guest: QEMU (TCG, the host's
# kernel has no module support), Debian's kernel, the host's root over 9p.
# The script runs in the current directory, which must be on the host root.
#
# usage: run.sh [-t TIMEOUT] [-o OUTDIR] [-k BZIMAGE -m MODULE] SCRIPT
#
# -k boots another kernel (the debug kernel of make check-debug) and -m names
# the pmesh.ko built for it: the tests load it from $PMESH_KO.
#
# Exits with the script's status. Fails, naming the console log, when the
# guest times out, dies before the script ends, or the kernel log shows an
# oops, a BUG, a WARNING, a leaked slab object or any report of the debug
# kernel's checkers (KASAN, KFENCE, UBSAN, lockdep and RCU, refcount and
# reference trackers, object debugging, list corruption, kmemleak). The
# console log and the guest's dmesg are kept in OUTDIR (build/guest/out by
# default).
set -uo pipefail

timeout=900
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/guest/out
# The kernel make exports; run by hand, Debian's, from the one line that
# names it.
kver=${KVER:-$(sed -n 's/^DEBIAN_KVER := //p' "$top/Makefile")}
[ -n "$kver" ] || { echo "guest: no DEBIAN_KVER in $top/Makefile" >&2; exit 2; }

usage="usage: run.sh [-t TIMEOUT] [-o OUTDIR] [-k BZIMAGE -m MODULE] SCRIPT"
kernel=/boot/vmlinuz-$kver
module=
# Debian's kernel prints only errors on the console, the rest is in dmesg.
# Another kernel prints warnings too (its checkers' reports are warnings),
# so that the console keeps them even if the guest dies, with room for
# many in the log buffer.
console_args="console=ttyS0 quiet"
while getopts "t:o:k:m:" opt; do
	case $opt in
	t) timeout=$OPTARG ;;
	o) out=$OPTARG ;;
	k) kernel=$OPTARG
	   console_args="console=ttyS0 loglevel=5 log_buf_len=16M" ;;
	m) module=$(realpath "$OPTARG") ;;
	*) echo "$usage" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "$usage" >&2; exit 2; }
script=$1

initrd=$top/build/guest/initrd-$kver.gz
if [ ! -f "$initrd" ] || [ "$initrd" -ot "$top/selftests/guest/init" ] ||
   [ "$initrd" -ot "$top/selftests/guest/mkinitrd.sh" ]; then
	"$top/selftests/guest/mkinitrd.sh" "$kver" "$initrd" || exit 1
fi
[ -r "$kernel" ] || { echo "guest: $kernel missing (make deps)" >&2; exit 1; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out/status" "$out/dmesg"
console=$out/console.log

append="$console_args panic=-1 pmtest_dir=$PWD pmtest_script=$script pmtest_out=$out"
[ -n "$module" ] && append="$append pmtest_ko=$module"

# One guest at a time on this machine: each takes both CPUs, and two
# side by side make every timed wait in the tests flaky.
exec 9>/tmp/pmesh-guest.lock
if ! flock -n 9; then
	echo "guest: waiting for the other guest on this machine to end" >&2
	flock 9
fi

# RDRAND seeds the kernel's random generator at boot. Without it, the
# generator became ready some 16 s in, mid-test, and the kernel patched
# its static branch then: once, TCG ran a CPU into the patch's int3 after
# the patch was done ("Oops: int3" in get_random_u16, a panic). This
# removes that one patch from the tests' time, not the cause: static keys
# the tests flip (udp_encap_needed_key, as meshes come and go) are patched
# the same way, and have not been seen to fail. PMESH_GUEST_CPU names
# another CPU model (Documentation/bench.md tried "max").
timeout --foreground -k 10 "$timeout" \
	qemu-system-x86_64 -machine q35 -accel tcg,thread=multi -smp 2 -m 2G \
	-cpu "${PMESH_GUEST_CPU:-qemu64,+rdrand}" \
	-display none -monitor none -serial stdio -nic none -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "$append" \
	-fsdev local,id=root,path=/,security_model=none,multidevs=remap \
	-device virtio-9p-pci,fsdev=root,mount_tag=hostroot \
	</dev/null 2>&1 | sed -u 's/\r//g' | tee "$console"
qemu_status=${PIPESTATUS[0]}

fail() {
	echo "guest: $*; console log: $console" >&2
	exit 1
}

# The kernel's complaints, wherever they were printed: the debug kernel's
# checkers print most under BUG: or WARNING:, the rest under their names.
bad='BUG:|WARNING:|Oops|general protection|Call Trace|Kernel panic|Slab cache still has objects'
bad="$bad|KASAN:|KFENCE:|UBSAN:|ODEBUG:|refcount_t:|ref_tracker:|list_(add|del) corruption"
bad="$bad|possible circular locking|suspicious RCU usage|sleeping function called from invalid context"
bad="$bad|unregister_netdevice: waiting|kmemleak:.*(unreferenced|suspected memory leak)"
logs=$console
[ -f "$out/dmesg" ] && logs="$logs $out/dmesg"
complaint=
if grep -E -h "$bad" $logs >/dev/null; then
	# From dmesg (every level) when it has it, else from the console.
	report=$console
	[ -f "$out/dmesg" ] && grep -E -q "$bad" "$out/dmesg" && report=$out/dmesg
	grep -E -B2 -A40 "$bad" "$report" | head -n 200 >&2
	complaint=1
fi

[ "$qemu_status" -eq 124 ] && fail "timed out after ${timeout}s"
[ -f "$out/status" ] || fail "died before the script ended (qemu status $qemu_status)"

[ -n "$complaint" ] && fail "the kernel log shows a bug or a warning"

exit "$(cat "$out/status")"
