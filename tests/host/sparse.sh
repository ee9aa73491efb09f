#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sparse (C=2) must report nothing on our modules.
set -eu
kb=${1:?KBUILD}
cd "$(dirname "$0")/../.."
out=$(make -s KDIR="$kb" C=2 modules 2>&1 | grep -E 'warning:|error:' || true)
[ -z "$out" ] || { echo "$out"; exit 1; }
echo "sparse: clean"
