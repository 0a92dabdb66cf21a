#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-debug, before the guest: build the debug kernel (KASAN, KFENCE,
# UBSAN, lockdep, kmemleak, object and reference debugging) from Debian's
# linux-source and pmesh.ko against it.
#
# The kernel is built once and kept: OUTDIR/bzImage, its tree in OUTDIR/src,
# keyed by a hash of the config fragment's settings (not its comments), this
# script and the source package's version; a change to any of them rebuilds
# it from a fresh extraction. The module is built on every
# call, from a copy of kmod/ and uapi/ in OUTDIR/mod, so that the repository's
# own kmod/pmesh.ko (Debian's kernel, which other runs may be using) is left
# alone; unchanged sources keep their times and are not rebuilt.
#
# usage: debug-kernel.sh TARBALL OUTDIR
# leaves OUTDIR/bzImage and OUTDIR/pmesh.ko
set -euo pipefail

tarball=$1
out=$2
top=$(cd "$(dirname "$0")/.." && pwd)
fragment=$top/selftests/guest/debug.config
name=$(basename "$tarball" .tar.xz)
src=$out/src/$name
export ARCH=x86_64

# The builds share two CPUs with other engineers' test guests.
build() {
	nice -n 19 make -C "$src" -j"$(nproc)" "$@"
}

if [ ! -f "$tarball" ]; then
	echo "debug-kernel: $tarball is missing (apt-get install $name)" >&2
	exit 1
fi
version=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null) ||
	version=$(stat -c '%s %Y' "$tarball")
key=$({ grep -E '^(# )?CONFIG_' "$fragment"; cat "${BASH_SOURCE[0]}"; echo "$version"; } |
	sha256sum | cut -c1-16)

mkdir -p "$out"
out=$(cd "$out" && pwd)
src=$out/src/$name
log=$out/build.log

if [ "$(cat "$out/kernel.key" 2>/dev/null)" != "$key" ] || [ ! -f "$out/bzImage" ]; then
	echo "debug-kernel: building $name $version (key $key); log in $log"
	start=$(date +%s)
	rm -rf "$out/src" "$out/bzImage" "$out/kernel.key" "$out/mod"
	mkdir -p "$out/src"
	nice -n 19 tar -xJf "$tarball" -C "$out/src"

	# allnoconfig with the fragment on top; merge_config.sh names every
	# option asked for that Kconfig refused (a missing dependency).
	(cd "$src" && scripts/kconfig/merge_config.sh -n "$fragment") > "$log" 2>&1 || {
		tail -n 20 "$log" >&2
		exit 1
	}
	if grep -A3 '^Value requested for' "$log" >&2; then
		echo "debug-kernel: $fragment asks for options Kconfig did not take" >&2
		exit 1
	fi

	# Out-of-tree modules need the prepared tree and Module.symvers, which
	# "make modules" writes (nothing else is a module).
	if ! build bzImage modules >> "$log" 2>&1; then
		grep -E -B5 -A5 'error|Error' "$log" | tail -n 40 >&2
		echo "debug-kernel: the kernel build failed; log in $log" >&2
		exit 1
	fi
	cp "$src/arch/x86/boot/bzImage" "$out/bzImage"
	echo "$key" > "$out/kernel.key"
	echo "debug-kernel: built in $(($(date +%s) - start)) s"
fi

# The module, from a copy of the sources only (not kmod/'s objects).
mod=$out/mod
mkdir -p "$mod"
find "$mod" -type f \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) -delete
(cd "$top" && find Kbuild kmod uapi -type f \
	\( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) -print0 |
	xargs -0 cp -p --parents -t "$mod")
if ! build M="$mod" modules > "$out/module.log" 2>&1; then
	cat "$out/module.log" >&2
	echo "debug-kernel: pmesh.ko failed to build against the debug kernel" >&2
	exit 1
fi
cp "$mod/kmod/pmesh.ko" "$out/pmesh.ko"
echo "debug-kernel: $out/bzImage $(cat "$out/kernel.key"), $out/pmesh.ko"
