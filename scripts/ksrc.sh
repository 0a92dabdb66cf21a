#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Extract from Debian's linux-source tarball the few pieces pmesh builds with:
# the kselftest harness, checkpatch and the YNL code generator with its
# schemas. One pass over the tarball (about 10 s).
#
# usage: ksrc.sh TARBALL OUTDIR
set -euo pipefail

tarball=$1
out=$2
top=$(basename "$tarball" .tar.xz)

if [ ! -f "$tarball" ]; then
	echo "ksrc: $tarball is missing (apt-get install ${top})" >&2
	exit 1
fi

mkdir -p "$out"
rm -rf "${out:?}/$top"
tar -xJf "$tarball" -C "$out" --wildcards \
	"$top/MAINTAINERS" \
	"$top/tools/testing/selftests/kselftest.h" \
	"$top/tools/testing/selftests/kselftest_harness.h" \
	"$top/scripts/checkpatch.pl" \
	"$top/scripts/spelling.txt" \
	"$top/scripts/const_structs.checkpatch" \
	"$top/tools/net/ynl/*" \
	"$top/Documentation/netlink/*.yaml"

# The 6.12 schema for "genetlink" families lists only "admin-perm" among the
# operation flags, though the generator emits any GENL_* flag it is given and
# genetlink-legacy.yaml of the same release already lists "uns-admin-perm".
# pmesh needs that flag (CAP_NET_ADMIN in the namespace's user namespace).
sed -i 's/enum: \[ admin-perm \]/enum: [ admin-perm, uns-admin-perm ]/' \
	"$out/$top/Documentation/netlink/genetlink.yaml"
grep -q 'uns-admin-perm' "$out/$top/Documentation/netlink/genetlink.yaml"

touch "$out/$top/.stamp"
