#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run a script as root inside the pmesh test guest: QEMU (TCG, the host's
# kernel has no module support), Debian's kernel, the host's root over 9p.
# The script runs in the current directory, which must be on the host root.
#
# usage: run.sh [-t TIMEOUT] [-o OUTDIR] SCRIPT
#
# Exits with the script's status. Fails, naming the console log, when the
# guest times out, dies before the script ends, or the kernel log shows an
# oops, a BUG, a WARNING or a leaked slab object. The console log and the
# guest's dmesg are kept in OUTDIR (build/guest/out by default).
set -uo pipefail

timeout=900
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/guest/out
# The kernel make exports; run by hand, Debian's, from the one line that
# names it.
kver=${KVER:-$(sed -n 's/^DEBIAN_KVER := //p' "$top/Makefile")}
[ -n "$kver" ] || { echo "guest: no DEBIAN_KVER in $top/Makefile" >&2; exit 2; }

while getopts "t:o:" opt; do
	case $opt in
	t) timeout=$OPTARG ;;
	o) out=$OPTARG ;;
	*) echo "usage: run.sh [-t TIMEOUT] [-o OUTDIR] SCRIPT" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "usage: run.sh [-t TIMEOUT] [-o OUTDIR] SCRIPT" >&2; exit 2; }
script=$1

kernel=/boot/vmlinuz-$kver
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

# One guest at a time on this machine: each takes both CPUs, and two
# side by side make every timed wait in the tests flaky.
exec 9>/tmp/pmesh-guest.lock
if ! flock -n 9; then
	echo "guest: waiting for the other guest on this machine to end" >&2
	flock 9
fi

timeout --foreground -k 10 "$timeout" \
	qemu-system-x86_64 -machine q35 -accel tcg,thread=multi -smp 2 -m 2G \
	-display none -monitor none -serial stdio -nic none -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 quiet panic=-1 pmtest_dir=$PWD pmtest_script=$script pmtest_out=$out" \
	-fsdev local,id=root,path=/,security_model=none,multidevs=remap \
	-device virtio-9p-pci,fsdev=root,mount_tag=hostroot \
	</dev/null 2>&1 | sed -u 's/\r//g' | tee "$console"
qemu_status=${PIPESTATUS[0]}

fail() {
	echo "guest: $*; console log: $console" >&2
	exit 1
}

[ "$qemu_status" -eq 124 ] && fail "timed out after ${timeout}s"
[ -f "$out/status" ] || fail "died before the script ended (qemu status $qemu_status)"

# The kernel's complaints, wherever they were printed.
bad='BUG:|WARNING:|Oops|general protection|Call Trace|Kernel panic|Slab cache still has objects|UBSAN:|refcount_t:|kmemleak:.*unreferenced'
logs=$console
[ -f "$out/dmesg" ] && logs="$logs $out/dmesg"
if grep -E -h "$bad" $logs >/dev/null; then
	grep -E -h -B2 -A20 "$bad" $logs | head -60 >&2
	fail "the kernel log shows a bug or a warning"
fi

exit "$(cat "$out/status")"
