#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm.sh [options] KBUILD INITRD RESULTS
# Boot a lab kernel under QEMU TCG, run a guest job, and return its verdict.
#   -j JOB      guest job (/lab/jobs/JOB.sh), default check
#   -t SECS     hard timeout, default 900
#   -m MB       guest memory, default 2048
#   -H          share the host root read-only over 9p (tag hostroot)
#   -a ARGS     more kernel command line
#   -q ARGS     more QEMU arguments
# The console goes to RESULTS/console.log (and the terminal with VERBOSE=1).
# Exit status: the guest's verdict (0 pass, 1 fail), 124 on timeout,
# 125 when the guest left no verdict (crash, panic).
set -eu
. "$(dirname "$0")/lib.sh"

job=check timeout=900 mem=2048 hostroot=0 append="" qextra=""
while getopts "j:t:m:Ha:q:" o; do
	case $o in
	j) job=$OPTARG ;;
	t) timeout=$OPTARG ;;
	m) mem=$OPTARG ;;
	H) hostroot=1 ;;
	a) append=$OPTARG ;;
	q) qextra=$OPTARG ;;
	*) die "bad option" ;;
	esac
done
shift $((OPTIND - 1))
kb=${1:?KBUILD} initrd=${2:?INITRD} res=${3:?RESULTS}

mkdir -p "$res"
rm -f "$res/verdict" "$res/console.log"
args=(-accel tcg -cpu max -smp 2 -m "$mem" -nographic -no-reboot
	-kernel "$kb/arch/x86/boot/bzImage" -initrd "$initrd"
	-append "console=ttyS0 panic=-1 oops=panic panic_on_warn=0 lab.job=$job $append"
	-virtfs "local,path=$res,mount_tag=results,security_model=none"
	-device virtio-rng-pci -nic none)
# qboot, not SeaBIOS: SeaBIOS's MP table lists only the boot CPU, so a
# lab kernel (no ACPI) would run on one CPU and nothing in a test could
# race the worker; qboot lists every vCPU, and boots faster.
qboot=/usr/share/qemu/qboot.rom
[ -f "$qboot" ] && args+=(-bios "$qboot")
[ "$hostroot" = 1 ] &&
	args+=(-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on")
# shellcheck disable=SC2206
[ -n "$qextra" ] && args+=($qextra)

say "vm: booting $(basename "$kb") for job '$job' (timeout ${timeout}s)"
start=$(date +%s)
set +e
if [ "${VERBOSE:-0}" = 1 ]; then
	timeout -k 10 "$timeout" qemu-system-x86_64 "${args[@]}" </dev/null 2>&1 | tee "$res/console.log"
	rc=${PIPESTATUS[0]}
else
	timeout -k 10 "$timeout" qemu-system-x86_64 "${args[@]}" </dev/null >"$res/console.log" 2>&1
	rc=$?
fi
set -e
say "vm: exited after $(($(date +%s) - start))s"
[ "$rc" = 124 ] && { say "vm: TIMEOUT after ${timeout}s"; exit 124; }
[ -f "$res/verdict" ] || { say "vm: the guest left no verdict (qemu rc $rc)"; exit 125; }
exit "$(cat "$res/verdict")"
