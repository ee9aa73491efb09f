#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tabulate the instruction profile of `scripts/bench.sh --profile`.

profile.py [--bench VHOST_BENCH] [--top N] [--commit C] [--kbuild K] RESULTS

RESULTS holds bench.raw (one line per profiled run, with profile=TAG)
and profile/TAG.samples.gz (perf script: comm, tid, cpu, time, ip) and
profile/TAG.kallsyms.gz (the guest's text symbols, modules included,
taken while the module was loaded). Prints reStructuredText.

Under -icount shift=0 the guest's clock advances one nanosecond per
instruction executed by either vCPU, the two taking turns, and a halted
vCPU executes nothing. A cpu-clock sample on a CPU thus stands for one
sampling period of guest time: all of it that CPU's instructions when
the other CPU was halted, half when both ran. Each sample is weighted so
(0 when its CPU was halted, else 1 over the number of CPUs running at
that moment, judged from the other CPU's nearest sample), and a
function's instructions are its weighted samples times the period.
Divided by the frames counted in the sampled time (the run's rate times
the time sampled), that is instructions per frame.
"""
import argparse
import bisect
import collections
import gzip
import os
import re
import statistics as st
import subprocess
import sys

# Where a halted CPU sits: samples there are no instructions.
HALT = {"default_idle", "mwait_idle", "pv_native_safe_halt",
        "native_safe_halt", "arch_safe_halt", "acpi_safe_halt"}
VHOST_MODS = {"vhost_net", "vhost", "vhost_iotlb"}
TAP_MODS = {"tun", "tap"}
KERNEL_MIN = 0xffff800000000000
SAMPLE = re.compile(r"^\s*(.*?)\s+(\d+)\s+\[(\d+)\]\s+(\d+)\.(\d+):\s+([0-9a-f]+)")

BUCKETS = [
    ("vhost", "vhost device code (the vhost modules, any thread)"),
    ("tap", "tap (tun.ko, tap.ko, any thread)"),
    ("worker", "vhost worker thread, rest of the kernel (stack, copies, scheduling)"),
    ("guest", "guest-side program (vhost-bench: user and its system calls)"),
    ("inject", "RX injector (pktgen thread, rest of the kernel)"),
    ("rest", "rest (interrupts and softirqs on other threads, perf, other tasks)"),
]


def kv(line):
    return dict(t.split("=", 1) for t in line.split() if "=" in t)


class Symbols:
    """Address to (name, module) from a kallsyms dump and the program's nm."""

    def __init__(self, kallsyms, user):
        ents = []
        for line in kallsyms:
            f = line.split()
            if len(f) < 3:
                continue
            mod = f[3].strip("[]") if len(f) > 3 else ""
            ents.append((int(f[0], 16), f[2], mod))
        ents.sort()
        self.addr = [e[0] for e in ents]
        self.ents = ents
        self.user = user

    def kernel(self, ip):
        i = bisect.bisect_right(self.addr, ip) - 1
        if i < 0:
            return "?", ""
        return self.ents[i][1], self.ents[i][2]

    def resolve(self, ip, comm):
        if ip >= KERNEL_MIN:
            return self.kernel(ip)
        if comm == "vhost-bench" and self.user:
            i = bisect.bisect_right(self.user[0], ip) - 1
            if i >= 0:
                return self.user[1][i], "user"
        return "[user]", "user"


def load_user(path):
    if not path or not os.path.exists(path):
        return None
    out = subprocess.run(["nm", "-n", "--defined-only", path],
                         capture_output=True, text=True, check=True).stdout
    addr, name = [], []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "tTwW":
            addr.append(int(f[0], 16))
            name.append(f[2])
    return addr, name


def thread_class(comm):
    if comm.startswith("vhost-") and comm != "vhost-bench":
        return "worker"
    if comm == "vhost-bench":
        return "guest"
    if comm.startswith("kpktgend"):
        return "inject"
    return "other"


def bucket(cls, mod):
    if mod in VHOST_MODS:
        return "vhost"
    if mod in TAP_MODS:
        return "tap"
    if cls == "other":
        return "rest"
    return cls


def profile_run(tag, pdir, user, period):
    """Instructions per function in one run, and the time sampled (ns)."""
    with gzip.open(os.path.join(pdir, tag + ".kallsyms.gz"), "rt") as f:
        syms = Symbols(f, user)
    samples = []
    with gzip.open(os.path.join(pdir, tag + ".samples.gz"), "rt") as f:
        for line in f:
            m = SAMPLE.match(line)
            if not m:
                continue
            comm, cpu = m.group(1), int(m.group(3))
            t = int(m.group(4)) * 10**9 + int(m.group(5).ljust(9, "0")[:9])
            name, mod = syms.resolve(int(m.group(6), 16), comm)
            samples.append((t, cpu, comm, name, mod, name not in HALT))
    if not samples:
        return None, 0
    per_cpu = collections.defaultdict(list)
    for s in samples:
        per_cpu[s[1]].append((s[0], s[5]))
    for v in per_cpu.values():
        v.sort()
    times = {c: [x[0] for x in v] for c, v in per_cpu.items()}

    def busy_at(cpu, t):
        ts = times[cpu]
        i = bisect.bisect_left(ts, t)
        best = min((j for j in (i - 1, i) if 0 <= j < len(ts)),
                   key=lambda j: abs(ts[j] - t))
        return per_cpu[cpu][best][1]

    funcs = collections.Counter()
    for t, cpu, comm, name, mod, busy in samples:
        if not busy:
            continue
        running = 1 + sum(busy_at(c, t) for c in per_cpu if c != cpu)
        cls = thread_class(comm)
        funcs[(bucket(cls, mod), cls, name, mod)] += period / running
    span = max(s[0] for s in samples) - min(s[0] for s in samples) + period
    return funcs, span


def fmt_table(head, rows):
    w = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    rule = "  ".join("=" * x for x in w)

    def line(r):
        return "  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)).rstrip()
    return [rule, line(head), rule] + [line(r) for r in rows] + [rule]


def order_targets(by):
    """upstream first, then ours, then the other targets by name."""
    rank = {"upstream": 0, "ours": 1}
    return sorted(by, key=lambda t: (rank.get(t, 2), t))


def point_tables(name, by, top):
    """The two tables of one point: by where, and the busiest functions.

    Columns follow the targets profiled: upstream's, ours, then ours on
    other ring layouts; each non-upstream target also gets its difference
    to upstream in the first table.
    """
    targets = order_targets(by)

    def mean(runs, f):
        return st.mean(f(r) for r in runs) if runs else 0.0

    def bsum(per, b):
        return sum(v for k, v in per.items() if k[0] == b)

    others = [t for t in targets if t != "upstream"]
    up = by.get("upstream", [])
    rows = []
    for b, label in BUCKETS:
        v = [mean(by[t], lambda r: bsum(r[0], b)) for t in targets]
        u = mean(up, lambda r: bsum(r[0], b))
        rows.append([label] + ["%.0f" % x for x in v] +
                    ["%+.0f" % (mean(by[t], lambda r: bsum(r[0], b)) - u)
                     for t in others if up])
    tot = {t: mean(by[t], lambda r: r[2]) for t in targets}
    rate = {t: mean(by[t], lambda r: r[1]) for t in targets}
    for lab, d in (("total sampled", tot),
                   ("guest time per frame (ns = instructions)", rate)):
        rows.append([lab] + ["%.0f" % d[t] for t in targets] +
                    ["%+.0f" % (d[t] - d["upstream"]) for t in others if up])
    out = []
    for t in others:
        if not up:
            break
        ratio = " ".join("%.3f" % (o[3] / u[3]) for o, u in zip(by[t], up))
        out += ["%s: rate ratio %s/upstream per pair: %s." % (name, t, ratio)]
    nruns = max(len(by[t]) for t in targets)
    out = ["%s: instructions per frame by where they ran, mean of %d"
           " runs per target." % (name, nruns), ""] + \
        ["- " + x for x in out] + [""]
    out += fmt_table(["Where"] + targets +
                     ["%s-up" % t for t in others if up], rows)
    out += [""]

    funcs = collections.defaultdict(lambda: [0.0] * len(targets))
    for i, t in enumerate(targets):
        for r in by[t]:
            for k, v in r[0].items():
                funcs[(k[1], k[2], k[3])][i] += v / len(by[t])
    best = sorted(funcs.items(), key=lambda kv_: -max(kv_[1]))[:top]
    frows = []
    for (cls, fn, mod), v in best:
        where = mod if mod else "kernel"
        frows.append([fn, where, cls] +
                     ["%.0f" % x for x in v])
    out += ["%s: the %d functions with the most instructions per frame"
            " (thread: worker = the vhost worker, guest = vhost-bench,"
            " inject = pktgen), instructions per frame per target."
            % (name, len(frows)), ""]
    out += fmt_table(["Function", "Module", "Thread"] + targets, frows)
    out += [""]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", help="the vhost-bench binary, for its symbols")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--commit", default="?")
    ap.add_argument("--kbuild", default="?")
    ap.add_argument("results")
    a = ap.parse_args()

    user = load_user(a.bench)
    pdir = os.path.join(a.results, "profile")
    info, runs = {}, []
    for line in open(os.path.join(a.results, "bench.raw")):
        d = kv(line)
        if "profile" in d:
            runs.append(d)
        else:
            info.update(d)
    period = int(info.get("period", "100000"))
    # point -> target -> list of (funcs per frame, instructions per frame
    # from the rate, sampled total per frame)
    res = collections.defaultdict(lambda: collections.defaultdict(list))
    for d in runs:
        funcs, span = profile_run(d["profile"], pdir, user, period)
        if not funcs:
            continue
        # RXQ: perf sampled the counted drains only, so the frames of the
        # sampled time are the frames counted.
        if d["dir"] == "rxq":
            frames = float(d["frames"])
        else:
            frames = float(d["pps"]) * span / 1e9
        per = {k: v / frames for k, v in funcs.items()}
        key = (d["dir"].upper(), int(d["size"]))
        res[key][d["target"]].append((per, 1e9 / float(d["pps"]),
                                      sum(per.values()), float(d["pps"])))

    out = []
    nreps = max((len(v) for p in res.values() for v in p.values()), default=0)
    out += ["Profile of %s: plain lab kernel ``%s``, ours at commit %s;"
            " perf %s sampling ``cpu-clock`` system-wide every %d ns of"
            " guest time (``-icount shift=0,sleep=off``) for %s s inside"
            " the counted time of one vhost-bench run (ring 256, no busy"
            " poll) per module, point and repetition, %d repetitions."
            % (info.get("kernel", "?"), a.kbuild, a.commit,
               info.get("perf_version", "?").replace("_", " ").replace("perf version ", ""),
               period, info.get("psecs", "?"), nreps), ""]
    for key in sorted(res, key=lambda k: (k[0] != "TX", k[1])):
        out += point_tables("%s %d B" % key, res[key], a.top)
    print("\n".join(out).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
