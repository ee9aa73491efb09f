#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# splats.sh CONSOLE_LOG: print every kernel splat in a console log and exit
# 1 if there is one. KASAN and UBSAN fail the running KUnit case on their
# own, but lockdep, sleep-in-atomic, list corruption, WARN and kmemleak
# only show up here.
set -u
pat='BUG: |WARNING: |UBSAN: |Oops|Kernel panic|kernel BUG at|general protection fault'
pat+='|list_(add|del) corruption|possible (recursive|circular) locking|inconsistent lock state'
pat+='|suspicious RCU usage|unreferenced object|INFO: task .* blocked|rcu_sched detected stall'
pat+='|RCU: detected stall|Call Trace:|bad: scheduling from the idle thread|leaked'
if grep -nE "$pat" "$1" >/dev/null; then
	grep -nE -A20 "$pat" "$1" | head -n 120
	exit 1
fi
exit 0
