#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Our uapi headers must match the lab kernel's, item for item.
set -eu
kb=${1:?KBUILD}
exec bash "$(dirname "$0")/../abi/check.sh" "$kb/source"
