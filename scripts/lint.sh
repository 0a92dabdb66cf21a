#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make lint: checkpatch --strict on the kernel sources and uapi headers,
# then a full rebuild of the module with sparse (C=2) and W=1, where any
# warning is an error (-Werror in kmod/Kbuild; sparse's output is checked).
#
# usage: lint.sh KDIR      (KSRC in the environment)
set -uo pipefail

kdir=$1
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
status=0

echo "lint: checkpatch --strict"
# The generated netlink files are the kernel generator's output, not ours.
files=$(ls kmod/*.[ch] kmod/core/*.[ch] uapi/linux/*.h |
	grep -v -e '\.mod\.c$' -e '_gen\.[ch]$' -e 'pmesh_netlink\.h$')
# shellcheck disable=SC2086
if ! perl "$KSRC/scripts/checkpatch.pl" --no-tree --strict --terse \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $files; then
	status=1
fi

echo "lint: sparse (C=2) and W=1"
log=$(mktemp)
make -s -C "$kdir" M="$top" C=2 W=1 modules >"$log" 2>&1
build=$?
# Kbuild prints its own progress lines; anything else is a complaint.
if [ $build -ne 0 ] || grep -v -E '^(make|  [A-Z]+ |  BTF)' "$log" | grep -q .; then
	cat "$log"
	status=1
fi
rm -f "$log"

[ $status -eq 0 ] && echo "lint: clean"
exit $status
