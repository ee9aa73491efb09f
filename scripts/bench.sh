#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: our vhost_net against upstream's, in the same boot of the
# plain lab kernel under QEMU TCG. Per-packet cost with vhost-bench
# (tests/bench/), then iperf3 through a nested guest. Rewrites the
# generated part of Documentation/benchmarks.rst and
# Documentation/benchmarks.png.
#
#   scripts/bench.sh           the full run (about an hour warm)
#   scripts/bench.sh --smoke   a few seconds in the VM: both modules move
#                              frames both ways; asserts no speed
#   scripts/bench.sh --pps     per-packet cost only; the doc is not touched
#   scripts/bench.sh --iperf   nested iperf3 only; the doc is not touched
#   scripts/bench.sh --report  the report again from the last run's results
#   scripts/bench.sh --profile an instruction profile of TX and RX 64 B,
#                              ours and upstream's (make bench PROFILE=1)
#   scripts/bench.sh --stats   only what our counters cost (below); the
#                              doc is not touched
#   scripts/bench.sh --in-order only ours with VIRTIO_F_IN_ORDER against
#                              upstream's split ring (below); the doc is
#                              not touched
#
# BENCH_REPS (8) and BENCH_MS (800) change the repetitions and the time
# counted per point, BENCH_PAIRS (5) the pairs of nested boots, which run
# in a boot of their own under -icount (BENCH_IPERF_ICOUNT=0: on the
# wall clock; results in iperf/). A second boot measures the base points with
# -icount shift=0,sleep=off (BENCH_ICOUNT_REPS, 5; BENCH_ICOUNT=0 skips
# it), with ours on packed rings beside them, without and with
# VIRTIO_F_IN_ORDER (ours-packed, ours-packed-in-order). Results: ~/.cache/vhost-net-lab/bench/results/ (icount/ under it
# for the second boot, smoke/ for --smoke, profile/ for --profile).
# --profile boots under -icount with Debian's perf (linux-perf) in the
# VM; BENCH_PROFILE_REPS (2), BENCH_PROFILE_POINTS (tx:64,rx:64),
# BENCH_PROFILE_PERIOD (100000 ns), BENCH_PROFILE_SECS (2) and
# BENCH_PROFILE_TARGETS (upstream,ours,ours-packed,ours-packed-in-order:
# the targets of lab.bench.extra) tune it.
# A third boot, also under -icount, runs TX and RX of 64 B with our
# module built with its counters and tracepoints (STATS=y) and without
# (STATS=n), BENCH_STATS_REPS (5) times (BENCH_STATS=0 skips it;
# results in stats/; --stats runs only it, into stats-only/).
# A fourth, under -icount too, runs ours with VIRTIO_F_IN_ORDER
# (vhost-bench --in-order, "ours-in-order") against upstream's split ring,
# which has no in-order mode, at TX and RX of 64 and 1514 B,
# BENCH_INORDER_REPS (5) times (BENCH_INORDER=0 skips it; results in
# inorder/; --in-order runs only it, into inorder-only/).
set -eu
. "$(dirname "$0")/lab/lib.sh"
cd "$TOP_DIR"

mode=full
case ${1:-} in
"") ;;
--smoke) mode=smoke ;;
--pps) mode=pps ;;
--report) mode=report ;;
--profile) mode=profile ;;
--iperf) mode=iperf ;;
--stats) mode=stats ;;
--in-order) mode=inorder ;;
*) die "usage: scripts/bench.sh [--smoke|--pps|--iperf|--report|--profile|--stats|--in-order]" ;;
esac
reps=${BENCH_REPS:-8}
# The code measured is the code of now: HEAD may move during a long run.
# (A clean tree must not end the script under set -e: hence the if.)
commit="$(git rev-parse --short HEAD 2>/dev/null || echo none)$(if git status --porcelain -- drivers include 2>/dev/null | grep -q .; then echo ' with uncommitted changes'; fi)"
ms=${BENCH_MS:-800}
doc=Documentation/benchmarks.rst
png=Documentation/benchmarks.png
build=$LAB_CACHE/bench
res=$build/results
[ "$mode" = smoke ] && res=$build/smoke
[ "$mode" = profile ] && res=$build/profile
[ "$mode" = stats ] && res=$build/stats-only
[ "$mode" = inorder ] && res=$build/inorder-only
meta=$res/meta

# profile_pairs: perf and the shared libraries it needs, as SRC:DEST
# pairs for initramfs.sh (the library's file under the name ld.so asks for).
profile_pairs() {
	local perf lib
	perf=$(command -v perf) || return 1
	echo "$perf:lab/bin/perf"
	ldd "$perf" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
		while read -r lib; do
			echo "$(readlink -f "$lib"):${lib#/}"
		done
}

if [ "$mode" = profile ]; then
	say "bench profile 1/4: packages (linux-perf)"
	"$LAB_DIR/deps.sh"
	if ! command -v perf >/dev/null; then
		[ "$(id -u)" = 0 ] || die "perf is missing: apt-get install linux-perf"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			linux-perf >/dev/null || die "apt-get install linux-perf failed"
	fi
	say "bench profile 2/4: plain kernel, our module, vhost-bench"
	kb=$("$LAB_DIR/kernel.sh" plain)
	grep -qx 'CONFIG_PERF_EVENTS=y' "$kb/.config" || die "$kb has no CONFIG_PERF_EVENTS"
	mkdir -p "$build"
	mt=$(lab_modules "$kb")
	make -s -C tests O="$build/tests" bench
	mapfile -t pairs < <(profile_pairs) || die "cannot list perf's libraries"
	MODTREE=$mt "$LAB_DIR/initramfs.sh" "$kb" "$build/profile.cpio.gz" \
		"$build/tests/bin/vhost-bench:lab/bin/vhost-bench" "${pairs[@]}"
	say "bench profile 3/4: the VM under -icount shift=0,sleep=off"
	rm -rf "$res"
	set +e
	VERBOSE=${VERBOSE:-0} "$LAB_DIR/vm.sh" -j bench -q "-icount shift=0,sleep=off" \
		-a "lab.bench=profile lab.bench.reps=${BENCH_PROFILE_REPS:-2} lab.bench.profile=${BENCH_PROFILE_POINTS:-tx:64,rx:64} lab.bench.period=${BENCH_PROFILE_PERIOD:-100000} lab.bench.psecs=${BENCH_PROFILE_SECS:-2} lab.bench.ptargets=${BENCH_PROFILE_TARGETS:-upstream,ours,ours-packed,ours-packed-in-order}" \
		-t 1800 "$kb" "$build/profile.cpio.gz" "$res"
	rc=$?
	set -e
	grep -E '^not ok ' "$res/tap.txt" 2>/dev/null | sed 's/^/   /' || true
	if ! "$LAB_DIR/splats.sh" "$res/console.log" >"$res/splats.txt" 2>&1; then
		cat "$res/splats.txt"
		rc=1
	fi
	[ "$rc" = 0 ] || say "bench profile: the VM failed (status $rc); console in $res/console.log"
	say "bench profile 4/4: the table"
	python3 "$LAB_DIR/profile.py" --bench "$build/tests/bin/vhost-bench" \
		--commit "$commit" \
		--kbuild "$(basename "$kb")" "$res" >"$res/profile.rst" ||
		die "profile.py failed"
	cat "$res/profile.rst"
	if [ "$rc" = 0 ] && [ "${BENCH_PROFILE_DOC:-1}" = 1 ]; then
		python3 - "$doc" "$res/profile.rst" <<'PY'
import sys
doc, table = sys.argv[1:3]
text = open(doc).read()
b, e = ".. profile-table-begin", ".. profile-table-end"
i, j = text.index(b), text.index(e)
text = text[:i] + b + "\n\n" + open(table).read() + "\n" + text[j:]
open(doc, "w").write(text)
PY
		say "bench profile: wrote the table into $doc"
	fi
	say "bench profile: done in $(($(date +%s) - T0))s (VM status $rc)"
	exit "$rc"
fi

# stats_vm: the counters-in/out boot, under -icount, into $res/stats.
stats_vm() {
	local src
	say "bench 4/5: the VM under -icount, our counters compiled in and out"
	set +e
	VERBOSE=${VERBOSE:-0} "$LAB_DIR/vm.sh" -j bench -q "-icount shift=0,sleep=off" \
		-a "lab.bench=stats lab.bench.reps=${BENCH_STATS_REPS:-5} lab.bench.ms=$ms" \
		-t 900 "$kb" "$build/initramfs.cpio.gz" "$res/stats"
	src=$?
	set -e
	grep -E '^not ok ' "$res/stats/tap.txt" 2>/dev/null | sed 's/^/   stats: /' || true
	if ! "$LAB_DIR/splats.sh" "$res/stats/console.log" >"$res/stats/splats.txt" 2>&1; then
		cat "$res/stats/splats.txt"
		src=1
	fi
	[ "$src" = 0 ] || say "bench: the counters run failed (status $src)"
	return "$src"
}

# inorder_vm: ours in order against upstream's split ring, under
# -icount, into $res/inorder.
inorder_vm() {
	local irc
	say "bench 4/5: the VM under -icount, ours with VIRTIO_F_IN_ORDER against upstream's split ring"
	set +e
	VERBOSE=${VERBOSE:-0} "$LAB_DIR/vm.sh" -j bench -q "-icount shift=0,sleep=off" \
		-a "lab.bench=inorder lab.bench.reps=${BENCH_INORDER_REPS:-5} lab.bench.ms=$ms" \
		-t 1200 "$kb" "$build/initramfs.cpio.gz" "$res/inorder"
	irc=$?
	set -e
	grep -E '^not ok ' "$res/inorder/tap.txt" 2>/dev/null | sed 's/^/   in order: /' || true
	if ! "$LAB_DIR/splats.sh" "$res/inorder/console.log" >"$res/inorder/splats.txt" 2>&1; then
		cat "$res/inorder/splats.txt"
		irc=1
	fi
	[ "$irc" = 0 ] || say "bench: the in-order run failed (status $irc)"
	return "$irc"
}

if [ "$mode" != report ]; then

say "bench 1/5: packages"
"$LAB_DIR/deps.sh"
if ! command -v gnuplot >/dev/null && [ "$mode" = full ]; then
	[ "$(id -u)" = 0 ] || die "gnuplot is missing: apt-get install gnuplot-nox"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		gnuplot-nox >/dev/null || die "apt-get install gnuplot-nox failed"
fi

say "bench 2/5: kernels (plain lab kernel, nested guest's kernel)"
kb=$("$LAB_DIR/kernel.sh" plain)
mkdir -p "$build"
extra=()
if [ "$mode" = full ] || [ "$mode" = iperf ]; then
	ik=$("$LAB_DIR/kernel.sh" inner)
	"$LAB_DIR/inner-initramfs.sh" "$build/inner.cpio"
	extra+=("$ik/arch/x86/boot/bzImage:lab/inner/bzImage"
		"$build/inner.cpio:lab/inner/initrd")
fi

say "bench 3/5: our module and vhost-bench against $(basename "$kb")"
mt=$(lab_modules "$kb")
if [ "$mode" = full ] || [ "$mode" = pps ] || [ "$mode" = stats ]; then
	mtn=$(LAB_MODTREE_TAG=nostats lab_modules "$kb" STATS=n)
	extra+=("$mtn/drivers/vhost/vhost_net.ko:lab/modules-nostats/vhost_net.ko")
fi
make -s -C tests O="$build/tests" bench
MODTREE=$mt "$LAB_DIR/initramfs.sh" "$kb" "$build/initramfs.cpio.gz" \
	"$build/tests/bin/vhost-bench:lab/bin/vhost-bench" ${extra[@]+"${extra[@]}"}

if [ "$mode" = inorder ]; then
	rm -rf "$res"
	rc=0
	inorder_vm || rc=1
	python3 - "$res/inorder/bench.raw" <<'PY' || rc=1
import statistics as st
import sys

pps = {}
for line in open(sys.argv[1]):
    d = dict(t.split("=", 1) for t in line.split() if "=" in t)
    if "dir" in d and "pps" in d:
        k = (d["dir"], d["size"])
        pps.setdefault(k, {}).setdefault(d["target"], {})[d["rep"]] = float(d["pps"])
for k in sorted(pps):
    i, u = pps[k].get("ours-in-order", {}), pps[k].get("upstream", {})
    r = [i[x] / u[x] for x in sorted(set(i) & set(u)) if u[x] > 0]
    if r:
        print("%s %s B: ours-split-in-order/upstream %.4f (%.4f-%.4f) of %d repetitions"
              % (k[0].upper(), k[1], st.median(r), min(r), max(r), len(r)))
    else:
        print("%s %s B: no pair measured" % (k[0].upper(), k[1]))
PY
	exit "$rc"
fi

if [ "$mode" = stats ]; then
	rm -rf "$res"
	rc=0
	stats_vm || rc=1
	python3 - "$res/stats/bench.raw" <<'PY' || rc=1
import statistics as st
import sys

pps = {}
for line in open(sys.argv[1]):
    d = dict(t.split("=", 1) for t in line.split() if "=" in t)
    if "dir" in d and "pps" in d:
        pps.setdefault((d["dir"], d["target"]), {})[d["rep"]] = float(d["pps"])
for dirn in ("tx", "rx"):
    i, o = pps.get((dirn, "ours"), {}), pps.get((dirn, "nostats"), {})
    r = [i[k] / o[k] for k in sorted(set(i) & set(o)) if o[k] > 0]
    if r:
        print("%s 64 B: counters in/out %.4f (%.4f-%.4f) of %d repetitions"
              % (dirn.upper(), st.median(r), min(r), max(r), len(r)))
    else:
        print("%s 64 B: no pair measured" % dirn.upper())
PY
	exit "$rc"
fi

npairs=${BENCH_PAIRS:-5}
iperf_icount=${BENCH_IPERF_ICOUNT:-1}
# The nested iperf3 boots, under -icount unless BENCH_IPERF_ICOUNT=0. A
# nested boot with its two iperf3 runs takes up to about 200 s on a
# loaded host, twice that under -icount (QEMU then runs both vCPUs on
# one host thread).
iperf_timeout=$((60 + (2 * npairs + 2) * 200))
iperf_vmopts=(-H)
if [ "$iperf_icount" = 1 ]; then
	iperf_timeout=$((2 * iperf_timeout))
	iperf_vmopts+=(-q "-icount shift=0,sleep=off")
fi

# iperf_vm DIR: the nested iperf3 pairs in a boot of their own.
iperf_vm() {
	local irc
	say "bench 4/5: nested iperf3 in a VM of its own$([ "$iperf_icount" = 1 ] && echo ' under -icount')"
	set +e
	VERBOSE=${VERBOSE:-0} "$LAB_DIR/vm.sh" -j bench "${iperf_vmopts[@]}" \
		-a "lab.bench=iperf lab.bench.pairs=$npairs lab.bench.icount=$iperf_icount" \
		-t "$iperf_timeout" "$kb" "$build/initramfs.cpio.gz" "$1"
	irc=$?
	set -e
	grep -E '^(not )?ok ' "$1/tap.txt" 2>/dev/null | sed 's/^/   iperf: /' || true
	if ! "$LAB_DIR/splats.sh" "$1/console.log" >"$1/splats.txt" 2>&1; then
		cat "$1/splats.txt"
		irc=1
	fi
	[ "$irc" = 0 ] || say "bench: the nested iperf3 run failed (status $irc)"
	return "$irc"
}

say "bench 4/5: the VM ($mode)"
vmmode=$mode
[ "$mode" = full ] && vmmode=pps
vmopts=(-j bench -a "lab.bench=$vmmode lab.bench.reps=$reps lab.bench.ms=$ms lab.bench.pairs=$npairs lab.bench.icount=$iperf_icount")
timeout=120
case $mode in
full | pps) timeout=600 ;;
iperf) vmopts+=("${iperf_vmopts[@]}"); timeout=$iperf_timeout ;;
esac
rm -rf "$res"
set +e
VERBOSE=${VERBOSE:-0} "$LAB_DIR/vm.sh" "${vmopts[@]}" -t "$timeout" \
	"$kb" "$build/initramfs.cpio.gz" "$res"
rc=$?
set -e
grep -E '^(not )?ok ' "$res/tap.txt" 2>/dev/null | sed 's/^/   /' || true
if ! "$LAB_DIR/splats.sh" "$res/console.log" >"$res/splats.txt" 2>&1; then
	say "bench: kernel splats in the console:"
	cat "$res/splats.txt"
	rc=1
fi
case $rc in
0) ;;
1) say "bench: some measurements failed (see above and $res/bench.raw)" ;;
*) say "bench: the VM ended badly (status $rc); console in $res/console.log"
	tail -n 40 "$res/console.log" ;;
esac
if [ "$mode" = smoke ]; then
	if [ "$rc" = 0 ]; then say "bench smoke: PASS"; else say "bench smoke: FAIL"; fi
	exit "$rc"
fi

# The same base points again with QEMU's instruction counter as the
# guest's clock: time then follows the work done, not the host's load,
# so the ratios are tight, but cache and memory effects are not in them.
if [ "${BENCH_ICOUNT:-1}" = 1 ] && [ "$mode" != iperf ]; then
	say "bench 4/5: the VM again with -icount shift=0,sleep=off (base points)"
	set +e
	VERBOSE=${VERBOSE:-0} "$LAB_DIR/vm.sh" -j bench -q "-icount shift=0,sleep=off" \
		-a "lab.bench=pps lab.bench.points=base lab.bench.reps=${BENCH_ICOUNT_REPS:-5} lab.bench.ms=$ms lab.bench.extra=ours-packed,ours-packed-in-order" \
		-t 2400 "$kb" "$build/initramfs.cpio.gz" "$res/icount"
	irc=$?
	set -e
	grep -E '^not ok ' "$res/icount/tap.txt" 2>/dev/null | sed 's/^/   icount: /' || true
	if ! "$LAB_DIR/splats.sh" "$res/icount/console.log" >"$res/icount/splats.txt" 2>&1; then
		cat "$res/icount/splats.txt"
		irc=1
	fi
	[ "$irc" = 0 ] || { say "bench: the icount run failed (status $irc)"; rc=1; }
fi
if [ "${BENCH_STATS:-1}" = 1 ] && [ "$mode" != iperf ]; then
	stats_vm || rc=1
fi
if [ "${BENCH_INORDER:-1}" = 1 ] && [ "$mode" != iperf ]; then
	inorder_vm || rc=1
fi
if [ "$mode" = full ]; then
	iperf_vm "$res/iperf" || rc=1
	# The report reads one file: the iperf lines join the others.
	grep '^iperf ' "$res/iperf/bench.raw" >>"$res/bench.raw" 2>/dev/null || true
fi

[ -s "$res/bench.raw" ] || die "the VM left no measurements ($res/bench.raw)"
{
	echo "mode=$mode"
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "kbuild=$(basename "$kb")"
	echo "qemu=$(qemu-system-x86_64 --version | head -n 1)"
	echo "host=$(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
	echo "commit=$commit"
	echo "wall=$(($(date +%s) - T0))"
	echo "vm_status=$rc"
} >"$meta"
fi

say "bench 5/5: report"
[ -s "$meta" ] || die "no results of a run in $res"
mode=$(sed -n 's/^mode=//p' "$meta")
rc=$(sed -n 's/^vm_status=//p' "$meta")
python3 - "$res/bench.raw" "$meta" "$res" "$res/icount/bench.raw" "$res/stats/bench.raw" \
	"$res/inorder/bench.raw" <<'PY'
import os
import statistics as st
import sys

raw, metaf, out, iraw, sraw, oraw = sys.argv[1:7]
meta = dict(l.rstrip("\n").split("=", 1) for l in open(metaf) if "=" in l)
WHY = {"load": "did not load", "killed": "a run hung and was killed"}


def kv(line):
    return dict(t.split("=", 1) for t in line.split() if "=" in t)


def load(path):
    info, pps, fails, iperf, notes, gone = {}, {}, {}, [], [], {}
    for line in open(path):
        parse(line.strip(), info, pps, fails, iperf, notes, gone)
    return info, pps, fails, iperf, notes, gone


def parse(line, info, pps, fails, iperf, notes, gone):
    if not line:
        return
    d = kv(line)
    if line.startswith("iperf "):
        iperf.append(d)
    elif line.startswith("kernel="):
        info.update(d)
    elif line.startswith("pktgen="):
        info["pktgen"] = d["pktgen"]
    elif "dir" in d:
        key = (d["dir"], int(d["size"]), int(d["ring"]), int(d["busy"]))
        if d.get("status") == "failed":
            fails.setdefault((key, d["target"]), []).append(
                d.get("why", "?").replace("_", " "))
            return
        pps.setdefault(key, {}).setdefault(d["target"], {})[int(d["rep"])] = d
    elif d.get("status") in ("abandoned", "stuck"):
        gone.setdefault(d.get("target", "?"), WHY.get(d.get("why"), d.get("why", "stuck")))
        notes.append("%s: %s in repetition %s (%s)" %
                     (d.get("target", "?"), d["status"], d.get("rep", "?"),
                      d.get("why", "a module could not be unloaded")))


def med(vals):
    return st.median(vals) if vals else None


def spread(vals, fmt):
    if not vals:
        return "-"
    return (fmt + " (" + fmt + "-" + fmt + ")") % (st.median(vals), min(vals), max(vals))


def table(head, rows):
    w = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    rule = "  ".join("=" * x for x in w)
    fmt = lambda r: "  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)).rstrip()
    return [rule, fmt(head), rule] + [fmt(r) for r in rows] + [rule]


def point_rows(pps, fails, gone):
    """The per-point table rows, notification rows and plot rows."""
    keys = sorted(set(list(pps) + [k for k, _ in fails]),
                  key=lambda k: (k[2] != 256 or k[3] != 0, k[2], k[3], k[0] != "tx", k[1]))
    rows, nrows, plot = [], [], []
    for k in keys:
        dirn, size, ring, busy = k
        by = pps.get(k, {})
        up, ours = by.get("upstream", {}), by.get("ours", {})
        upv = [float(d["pps"]) / 1e3 for d in up.values()]
        ov = [float(d["pps"]) / 1e3 for d in ours.values()]
        ratios = [float(ours[r]["pps"]) / float(up[r]["pps"])
                  for r in sorted(set(up) & set(ours)) if float(up[r]["pps"]) > 0]
        label = "%s %d B" % (dirn.upper(), size)
        if ov:
            rc = spread(ratios, "%.2f") if ratios else "-"
            if fails.get((k, "ours")):
                rc += " [%d failed]" % len(fails[(k, "ours")])
        else:
            why = (fails.get((k, "ours")) or [gone.get("ours", "not run")])[0]
            rc = "ours failed: " + why[:60]
        mb = lambda v: "%.0f" % (med(v) * size * 8 / 1e3) if v else "-"
        slower = "%d/%d" % (sum(r < 1 for r in ratios), len(ratios)) if ratios else "-"
        rows.append([label, ring, busy, spread(upv, "%.1f"), spread(ov, "%.1f"), rc,
                     slower, mb(upv), mb(ov)])

        def per_k(vals, field):
            v = [1000.0 * int(d[field]) / max(1, int(d["frames"])) for d in vals.values()]
            return "%.1f" % med(v) if v else "-"
        nrows.append([label, ring, busy, per_k(up, "kicks"), per_k(ours, "kicks"),
                      per_k(up, "sleeps"), per_k(ours, "sleeps")])
        plot.append(["%s/%d/r%d/b%d" % (dirn.upper(), size, ring, busy)] +
                    ([med(upv), min(upv), max(upv)] if upv else [0, 0, 0]) +
                    ([med(ov), min(ov), max(ov)] if ov else [0, 0, 0]) +
                    ([med(ratios), min(ratios), max(ratios)] if ratios else [0, 0, 0]))
    return rows, nrows, plot


info, pps, fails, iperf, notes, gone = load(raw)
rows, nrows, plot = point_rows(pps, fails, gone)

nreps = info.get("reps", "?")
lines = [
    "Run of %s: %s" % (meta.get("date"), "complete" if meta.get("vm_status") == "0"
                       else "INCOMPLETE (VM status %s)" % meta.get("vm_status")),
    "",
    "- Kernel: %s, the plain lab kernel (``%s``); the VM saw %s CPU(s)."
    % (info.get("kernel", "?"), meta.get("kbuild"), info.get("cpus", "?")),
    "- QEMU: %s, TCG; host: %s." % (meta.get("qemu"), meta.get("host")),
    "- Ours: commit %s." % meta.get("commit"),
    "- %s repetitions, %s ms counted per point after %s ms of warm-up;"
    " RX injected by %s." % (nreps, info.get("ms", "?"), info.get("warm", "?"),
                              "pktgen" if info.get("pktgen") == "yes" else "AF_PACKET"),
    "- ``make bench`` took %d min %02d s." % (int(meta["wall"]) // 60, int(meta["wall"]) % 60),
]
for n in notes:
    lines.append("- " + n + ".")
if rows:
    lines += ["", "Per-packet cost: kpps, median (min-max) of %s; the ratio is the"
              " median (min-max) of the per-repetition ratios ours/upstream;"
              " \"ours slower\" counts the repetitions where ours was slower."
              % nreps, ""]
    lines += table(["Test", "Ring", "Busy us", "upstream kpps", "ours kpps",
                    "ours/upstream", "ours slower", "up Mbit/s", "ours Mbit/s"], rows)
    lines += ["", "Notifications per 1000 frames (medians): kicks the guest wrote,"
              " and times it slept on the call eventfd.", ""]
    lines += table(["Test", "Ring", "Busy us", "up kicks", "ours kicks",
                    "up sleeps", "ours sleeps"], nrows)


def versus(pps, fails, gone, mine, base="upstream"):
    """point_rows() of target mine against target base, in the places of
    ours and upstream; None when mine has neither a rate nor a failure."""
    sub = {k: {"ours": by[mine], "upstream": by.get(base, {})}
           for k, by in pps.items() if mine in by}
    mfails = {(k, "ours"): v for (k, t), v in fails.items() if t == mine}
    if not (sub or mfails):
        return None
    rows, _, _ = point_rows(sub, mfails, {"ours": gone.get(mine, "not run")})
    return rows


icplot = []
if os.path.exists(iraw):
    iinfo, ipps, ifails, _, inotes, igone = load(iraw)
    # Failures of the extra targets go in their own tables below.
    irows, _, icplot = point_rows(
        ipps, {k: v for k, v in ifails.items() if k[1] in ("ours", "upstream")},
        igone)
    lines += ["", "The base points again in a second boot with ``-icount"
              " shift=0,sleep=off``: the guest's clock counts executed"
              " instructions, so a rate is frames per unit of work (the"
              " host's load and cache effects are not in it). Median"
              " (min-max) of %s repetitions, %s ms of guest time counted."
              % (iinfo.get("reps", "?"), iinfo.get("ms", "?")), ""]
    for n in inotes:
        lines += ["- icount run: " + n + ".", ""]
    lines += table(["Test", "Ring", "Busy us", "upstream kpps", "ours kpps",
                    "ours/upstream", "ours slower", "up Mbit/s", "ours Mbit/s"],
                   irows)
    # Ours on packed rings, and on packed rings in order, against
    # upstream's split ring, same boot and points: each in ours' place.
    for tgt, name, what in (
            ("ours-packed", "packed", "ours on packed rings (``vhost-bench --ring"
             " packed``, ``VIRTIO_F_RING_PACKED``)"),
            ("ours-packed-in-order", "packed-in-order", "ours on packed rings in"
             " order (``vhost-bench --ring packed --in-order``, with"
             " ``VIRTIO_F_IN_ORDER``: one used descriptor per TX batch)")):
        prows = versus(ipps, ifails, igone, tgt)
        if prows is None:
            continue
        lines += ["", "In the same boot, %s against upstream's split ring, which"
                  " is all upstream has:" % what, ""]
        lines += table(["Test", "Ring", "Busy us", "upstream kpps", name + " kpps",
                        name + "/upstream", name + " slower", "up Mbit/s",
                        name + " Mbit/s"], prows)
if os.path.exists(sraw):
    # Ours with counters and tracepoints (STATS=y) against ours without
    # (STATS=n): the same table, "nostats" in upstream's place.
    sinfo, spps, sfails, _, snotes, sgone = load(sraw)
    srows = versus(spps, sfails, sgone, "ours", "nostats") or []
    lines += ["", "What our counters and tracepoints (disabled) cost: a third boot"
              " under ``-icount shift=0,sleep=off`` runs our module built with"
              " them (``STATS=y``, the default) and without (``make"
              " STATS=n``), back to back per repetition. Median (min-max) of"
              " %s repetitions; the goal is a ratio of at least 0.99."
              % sinfo.get("reps", "?"), ""]
    for n in snotes:
        lines += ["- counters run: " + n + ".", ""]
    lines += table(["Test", "Ring", "Busy us", "counters out kpps",
                    "counters in kpps", "in/out", "in slower"],
                   [r[:7] for r in srows])
if os.path.exists(oraw):
    # Ours with VIRTIO_F_IN_ORDER ("ours-in-order") against upstream's
    # split ring without it: the same table, ours-in-order in ours' place.
    oinfo, opps, ofails, _, onotes, ogone = load(oraw)
    orows = versus(opps, ofails, ogone, "ours-in-order") or []
    lines += ["", "VIRTIO_F_IN_ORDER: a fourth boot under ``-icount"
              " shift=0,sleep=off`` runs ours with the split ring in order"
              " (``vhost-bench --in-order``: one used entry per TX batch,"
              " read the in-order way) against upstream's split ring, which"
              " has no in-order mode (6.12). Median (min-max) of %s"
              " repetitions; the issue's goal is 1.15 at 64 B."
              % oinfo.get("reps", "?"), ""]
    for n in onotes:
        lines += ["- in-order run: " + n + ".", ""]
    lines += table(["Test", "Ring", "Busy us", "upstream split kpps",
                    "ours-split-in-order kpps", "in-order/upstream",
                    "in-order slower"], [r[:7] for r in orows])
irows, iplot = [], []
NAMES = {"ours": "vhost=on, ours", "upstream": "vhost=on, upstream", "none": "vhost=off"}
WAYS = ("host_to_guest", "guest_to_host")


def mbps(d, x):
    try:
        return float(d.get(x, ""))
    except ValueError:
        return None


# Per pair and module (the warm-up boot apart): the two directions.
pairs, warm, off, ifail = {}, [], [], []
for d in iperf:
    if d.get("status") == "failed":
        ifail.append("%s (pair %s): %s" % (NAMES.get(d.get("target"), d.get("target", "?")),
                                           d.get("pair", "?"), d.get("why", "?")))
    elif d.get("target") == "none":
        off.append(d)
    elif d.get("pair", "1") == "warm":
        warm.append(d)
    else:
        pairs.setdefault(d.get("pair", "1"), {})[d["target"]] = d
npairs = sum(1 for p in pairs.values() if "ours" in p and "upstream" in p)
for t in ("ours", "upstream"):
    row = [NAMES[t]]
    for x in WAYS:
        v = [mbps(p[t], x) for p in pairs.values() if t in p]
        row.append(spread([y for y in v if y is not None], "%.3g"))
    irows.append(row)
    iplot.append(['"%s"' % NAMES[t]] + ["%.1f" % (med([y for y in (mbps(p[t], x) for p in pairs.values() if t in p) if y is not None]) or 0) for x in WAYS])
for d in off:
    irows.append([NAMES["none"]] + ["%s" % d.get(x, "-") for x in WAYS])
    iplot.append(['"%s"' % NAMES["none"]] + [d.get(x, "0").replace("failed", "0") for x in WAYS])
rrow, srow = ["ratio ours/upstream"], ["pairs where ours was slower"]
for x in WAYS:
    r = []
    for p in pairs.values():
        if "ours" in p and "upstream" in p:
            o, u = mbps(p["ours"], x), mbps(p["upstream"], x)
            if o is not None and u:
                r.append(o / u)
    rrow.append(spread(r, "%.2f"))
    srow.append("%d/%d" % (sum(v < 1 for v in r), len(r)) if r else "-")
if npairs:
    irows += [rrow, srow]


def irq_per_mb(d, x):
    """The guest's RX and TX queue interrupts in run WAY x, per MB moved."""
    try:
        i, o = (int(v) for v in d.get("irq_" + x, "").split("/"))
        mb = float(d.get(x, "")) * float(info.get("iperf_secs", "")) / 8
    except ValueError:
        return None
    return (i / mb, o / mb) if mb > 0 else None


# How often the guest was interrupted for the same bytes: the interrupts
# it took per MB on its RX and its TX queue, median over the pairs.
for t in ("ours", "upstream"):
    row = ["%s: guest interrupts per MB (RX/TX queue)" % NAMES[t]]
    for x in WAYS:
        v = [irq_per_mb(p[t], x) for p in pairs.values() if t in p]
        v = [y for y in v if y is not None]
        row.append("%.1f/%.1f" % (med([y[0] for y in v]), med([y[1] for y in v]))
                   if v else "-")
    if any(c != "-" for c in row[1:]):
        irows.append(row)
if irows:
    icount = any(d.get("clock") == "icount" for d in iperf)
    lines += ["", "Nested guest, iperf3 TCP for %s s each way (Mbit/s%s, as the"
              " outer VM's iperf3 client measured it): median"
              " (min-max) over %d pairs of boots, ours first in odd pairs and"
              " upstream's first in even ones, after a warm-up boot that is not"
              " counted; the ratio is the median (min-max) of the per-pair"
              " ratios. vhost=off once, for reference."
              % (info.get("iperf_secs", "?"),
                 " of guest time under -icount shift=0,sleep=off: bits per"
                 " 10^9 instructions of the outer VM, whatever the host's load"
                 if icount else "", npairs), ""]
    for f in ifail:
        lines += ["- failed: " + f + ".", ""]
    lines += table(["Mode", "host->guest", "guest->host"], irows)
lines += ["", ".. image:: benchmarks.png", "   :alt: kpps and ratio ours/upstream per point"]
open(out + "/table.rst", "w").write("\n".join(lines) + "\n")
with open(out + "/plot.dat", "w") as f:
    for p in plot:
        f.write(" ".join(str(x) for x in p) + "\n")
with open(out + "/iperf.dat", "w") as f:
    for p in iplot:
        f.write(" ".join(p) + "\n")
with open(out + "/icount.dat", "w") as f:
    for p in icplot:
        f.write(" ".join(str(x) for x in p) + "\n")
print("\n".join(lines))
PY
if [ "$mode" = full ]; then
	# Between the markers: the generated part; the rest is hand-written.
	python3 - "$doc" "$res/table.rst" <<'PY'
import sys
doc, table = sys.argv[1:3]
text = open(doc).read()
b, e = ".. bench-table-begin", ".. bench-table-end"
i, j = text.index(b), text.index(e)
text = text[:i] + b + "\n\n" + open(table).read() + "\n" + text[j:]
open(doc, "w").write(text)
PY
	[ -s "$res/iperf.dat" ] || echo "\"not run\" 0 0" >"$res/iperf.dat"
	np=$(wc -l <"$res/plot.dat") ni=$(wc -l <"$res/iperf.dat")
	nc=$(wc -l <"$res/icount.dat" 2>/dev/null || echo 0)
	# The instruction-count panel, when that boot ran.
	icount_panel=""
	[ "$nc" -gt 0 ] && icount_panel="set xrange [-0.6:$nc - 0.4]
set yrange [0.3:1.3]
set ylabel \"ours / upstream\"
set title \"Instruction count (-icount): ratio ours/upstream per repetition (median, min-max bars)\"
plot \"$res/icount.dat\" using 8:9:10:xtic(1) title \"ratio\" lc rgb \"#40a060\", 1 with lines lc rgb \"red\" notitle
set yrange [0:*]"
	rows=3 height=1000
	[ -n "$icount_panel" ] && rows=4 height=1300
	gnuplot <<EOF || say "bench: gnuplot failed; $png not updated"
set terminal pngcairo size 1100,$height font ",10" noenhanced
set output "$png"
set multiplot layout $rows,1 title "vhost-net: ours vs upstream's, same boot, $(sed -n 's/^date=//p' "$meta")"
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set xtics rotate by 25 right font ",8"
set grid ytics
set key top right
set xrange [-0.6:$np - 0.4]
set yrange [0:*]
set ylabel "kpps"
set title "Frames per second (median, min-max bars)"
plot "$res/plot.dat" using 2:3:4:xtic(1) title "upstream", "" using 5:6:7 title "ours"
set ylabel "ours / upstream"
set title "Ratio ours/upstream per repetition (median, min-max bars)"
plot "$res/plot.dat" using 8:9:10:xtic(1) title "ratio" lc rgb "#4060a0", 1 with lines lc rgb "red" notitle
$icount_panel
set style histogram clustered gap 1
set xrange [-0.6:$ni - 0.4]
set ylabel "Mbit/s"
set title "Nested guest, iperf3 TCP (median of the pairs)"
set xtics norotate font ",9"
plot "$res/iperf.dat" using 2:xtic(1) title "host->guest", "" using 3 title "guest->host"
unset multiplot
EOF
	say "bench: wrote $doc and $png"
fi
say "bench: done in $(($(date +%s) - T0))s (VM status $rc)"
exit "$rc"
