#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the test guest's initramfs: static busybox, the 9p modules of the
# guest kernel (decompressed: busybox insmod cannot read .ko.xz) and init.
#
# usage: mkinitrd.sh KVER OUTFILE
set -euo pipefail

kver=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
mods=/lib/modules/$kver/kernel

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,dev,proc,sys,host,lib/modules}
cp /bin/busybox "$root/bin/busybox"
for app in sh mount umount insmod chroot poweroff cat echo mkdir sleep switch_root; do
	ln -s busybox "$root/bin/$app"
done
for m in fs/netfs/netfs net/9p/9pnet net/9p/9pnet_virtio fs/9p/9p; do
	xz -dc "$mods/$m.ko.xz" > "$root/lib/modules/$(basename "$m").ko"
done
install -m 0755 "$here/init" "$root/init"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$out.tmp"
mv "$out.tmp" "$out"
