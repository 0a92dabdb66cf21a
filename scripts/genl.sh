#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Generate the netlink code from Documentation/netlink/specs/pmesh.yaml with
# the kernel's YNL generator, or check that the committed files are current.
#
# usage: genl.sh KSRC [--check]
set -euo pipefail

ksrc=$1
mode=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
spec=Documentation/netlink/specs/pmesh.yaml
gen=$ksrc/tools/net/ynl/ynl-gen-c.py
py=/usr/bin/python3
[ -x "$py" ] || py=python3

# The generator validates the spec against the schema two directories above
# the spec, so run it on a copy inside the extracted kernel tree.
mkdir -p "$ksrc/Documentation/netlink/specs"
cp "$top/$spec" "$ksrc/$spec"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$py" "$gen" --mode uapi --header --spec "$ksrc/$spec" -o "$tmp/pmesh_netlink.h"
"$py" "$gen" --mode kernel --header --spec "$ksrc/$spec" -o "$tmp/pmesh_nl_gen.h"
"$py" "$gen" --mode kernel --source --spec "$ksrc/$spec" -o "$tmp/pmesh_nl_gen.c"

status=0
for f in uapi/linux/pmesh_netlink.h kmod/pmesh_nl_gen.h kmod/pmesh_nl_gen.c; do
	if [ "$mode" = --check ]; then
		if ! diff -u "$top/$f" "$tmp/$(basename "$f")"; then
			echo "genl: $f is not current; run 'make genl'" >&2
			status=1
		fi
	else
		cp "$tmp/$(basename "$f")" "$top/$f"
	fi
done
exit $status
