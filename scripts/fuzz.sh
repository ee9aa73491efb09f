#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make fuzz`: vhost-fuzz (tests/fuzz/) against our vhost_net, or
# upstream's, on the debug lab kernel under QEMU TCG, for a time budget.
# Then a kmemleak scan and rmmod in the guest, and the splat scan of the
# console here. Prints the operations run, the rate, and (for our module,
# where scripts/lab/coverage.sh exists) the coverage of drivers/vhost/.
# Ends with "N passed, N failed" and fails if anything failed.
#
#   scripts/fuzz.sh [--seconds N] [--seed S] [--target ours|upstream]
#
# Defaults: 300 s, a random seed (printed), ours. A failure prints the
# seed, the iteration and the operation; Documentation/tests.rst says
# how to run that iteration again. Results: ~/.cache/vhost-net-lab/fuzz/.
set -eu
. "$(dirname "$0")/lab/lib.sh"
cd "$TOP_DIR"

secs=300 seed="" target=ours
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) secs=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--target) target=$2; shift 2 ;;
	*) die "usage: scripts/fuzz.sh [--seconds N] [--seed S] [--target ours|upstream]" ;;
	esac
done
case $target in ours | upstream) ;; *) die "target must be ours or upstream" ;; esac
case $secs in '' | *[!0-9]*) die "--seconds wants a number" ;; esac
[ -n "$seed" ] || seed=$(($(od -An -N4 -tu4 /dev/urandom) % 1000000000))
case $seed in *[!0-9]*) die "--seed wants a number" ;; esac

pass=0 failed=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }

say "fuzz 1/4: packages and the debug lab kernel"
"$LAB_DIR/deps.sh"
kb=$("$LAB_DIR/kernel.sh" debug)

say "fuzz 2/4: our module and vhost-fuzz against $(basename "$kb")"
build=$LAB_CACHE/fuzz
res=$build/results
mkdir -p "$build"
mt=$(lab_modules "$kb")
make -s -C tests O="$build/tests" fuzz
MODTREE=$mt "$LAB_DIR/initramfs.sh" "$kb" "$build/initramfs.cpio.gz" \
	"$build/tests/bin/vhost-fuzz:lab/bin/vhost-fuzz" \
	"tests/suites/fuzz.sh:lab/suites/fuzz.sh"

# Boot and modules take about a minute under TCG, the kmemleak scan and
# the counters another; the fuzzer may run its budget plus a few deadlines.
say "fuzz 3/4: the VM: $target for $secs s, seed $seed"
rm -rf "$res"
rc=0
"$LAB_DIR/vm.sh" -j fuzz -t $((secs + 600)) \
	-a "lab.fuzz.seconds=$secs lab.fuzz.seed=$seed lab.fuzz.target=$target" \
	"$kb" "$build/initramfs.cpio.gz" "$res" || rc=$?

say "fuzz 4/4: results"
case $rc in
0 | 1) ;;
*) fail "VM run finished (status $rc)"; tail -n 40 "$res/console.log" ;;
esac
if [ -f "$res/tap.txt" ]; then
	while read -r line; do
		case "$line" in
		"ok "*) ok "${line#ok * }" ;;
		"not ok "*) fail "${line#not ok * }" ;;
		esac
	done <"$res/tap.txt"
else
	fail "the guest reported results"
fi
if "$LAB_DIR/splats.sh" "$res/console.log"; then
	ok "no kernel splat on the debug kernel"
else
	fail "no kernel splat on the debug kernel"
fi
log=$res/fuzz-$target.log
if [ -f "$log" ]; then
	grep -E 'HANG|FAILED|cannot be killed|   task ' "$log" | head -n 40 || true
	sed -n 's/^vhost-fuzz: \([0-9]* iterations, .*ops\/s\)$/fuzz: \1/p' "$log"
fi
if [ "$target" = ours ] && [ -f "$LAB_DIR/coverage.sh" ]; then
	if cov=$(bash "$LAB_DIR/coverage.sh" "$mt" "$res" 2>&1); then
		echo "fuzz: $cov (details in $res/coverage.txt)"
	else
		echo "$cov"
		fail "coverage of drivers/vhost/ measured"
	fi
fi
echo "fuzz: seed $seed, target $target, $secs s; log in $log"
echo "$pass passed, $failed failed"
[ "$failed" = 0 ]
