#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install, from Debian's archive, whatever the build and the test guest need
# and the machine lacks. Does nothing (and needs no root) when all is there.
#
# usage: deps.sh KVER KMAJ
set -euo pipefail

kver=$1
kmaj=$2
pkgs=(
	"linux-headers-$kver"	# Kbuild tree; pulls the guest kernel image
	"linux-image-$kver"	# /boot/vmlinuz for the guest, 9p modules
	"linux-source-$kmaj"	# kselftest harness, checkpatch, YNL generator
	qemu-system-x86		# the test guest
	busybox-static		# the guest's initramfs
	libnl-genl-3-dev	# the pmesh tool
	pkg-config
	python3 python3-yaml python3-jsonschema	# the YNL generator
	sparse			# make lint
	clang			# make fuzz, and its short pass in make check
	iproute2 kmod util-linux	# ip netns, insmod, setpriv/unshare
	cpio xz-utils gzip
	# the debug kernel of make check-debug, built from linux-source
	flex bison bc libelf-dev libssl-dev
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
