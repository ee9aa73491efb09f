#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# coverage.sh MODTREE RESULTS_DIR
# Line and branch coverage of drivers/vhost/ from a lab run: the .gcno
# files of the module build in MODTREE (built against a kernel with
# CONFIG_GCOV_KERNEL) and the .gcda files the guest saved with
# gcov-save.sh in RESULTS_DIR/gcov/drivers/vhost/. Prints one line,
#   coverage: lines X% (a/b), branches Y% (c/d) of drivers/vhost/
# and writes it, a per-file table, the functions never entered and the
# lines never run to RESULTS_DIR/coverage.txt. Exits 1 if no counters came
# back or the build has no .gcno files. Needs only gcc's gcov and python3.
set -eu
. "$(dirname "$0")/lib.sh"

mt=$(cd "${1:?usage: coverage.sh MODTREE RESULTS_DIR}" && pwd)
res=$(cd "${2:?usage: coverage.sh MODTREE RESULTS_DIR}" && pwd)
src=$mt/drivers/vhost
data=$res/gcov/drivers/vhost

command -v gcov >/dev/null || die "coverage: gcov (from gcc) is not installed"
compgen -G "$src/*.gcno" >/dev/null ||
	die "coverage: no .gcno in $src: build the module against a kernel with CONFIG_GCOV_KERNEL"
compgen -G "$data/*.gcda" >/dev/null ||
	die "coverage: no .gcda in $data: the guest saved no counters"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# gcov wants the notes and the counters side by side. An object whose
# counters did not come back counts as never run.
cp "$src"/*.gcno "$tmp/"
cp "$data"/*.gcda "$tmp/"
for n in "$tmp"/*.gcno; do
	(cd "$tmp" && gcov --json-format --stdout --branch-probabilities \
		--object-directory "$tmp" "$(basename "$n" .gcno).gcda") \
		>"$n.json" 2>>"$tmp/gcov.log" || die "coverage: gcov failed on $n: $(tail -n 3 "$tmp/gcov.log")"
done

python3 - "$src" "$res/coverage.txt" "$tmp"/*.gcno.json <<'PY'
import json, os, sys

src, out, docs = sys.argv[1], sys.argv[2], sys.argv[3:]
prefix = os.path.realpath(src) + "/"
lines = {}      # (file, line) -> count, merged over objects
branches = {}   # (file, line, index) -> taken at least once
funcs = {}      # (file, name) -> [start line, calls]
for path in docs:
    doc = json.load(open(path))
    cwd = doc.get("current_working_directory", "")
    for f in doc["files"]:
        name = os.path.realpath(os.path.join(cwd, f["file"]))
        if not name.startswith(prefix):
            continue    # kernel headers inlined into our objects
        rel = name[len(prefix):]
        for ln in f["lines"]:
            key = (rel, ln["line_number"])
            lines[key] = lines.get(key, 0) + ln["count"]
            for i, b in enumerate(ln["branches"]):
                k = key + (i,)
                branches[k] = branches.get(k, False) or b["count"] > 0
        for fn in f["functions"]:
            k = (rel, fn["name"])
            e = funcs.setdefault(k, [fn["start_line"], 0])
            e[1] += fn["execution_count"]

def pct(a, b):
    return 100.0 * a / b if b else 0.0

lh = sum(1 for c in lines.values() if c)
bh = sum(1 for t in branches.values() if t)
head = ("coverage: lines %.1f%% (%d/%d), branches %.1f%% (%d/%d) of drivers/vhost/"
        % (pct(lh, len(lines)), lh, len(lines), pct(bh, len(branches)), bh,
           len(branches)))
print(head)

files = sorted({k[0] for k in lines})
with open(out, "w") as o:
    o.write(head + "\n\n")
    o.write("%-16s %17s %17s %11s\n" % ("file", "lines", "branches", "functions"))
    for fl in files:
        l = [c for k, c in lines.items() if k[0] == fl]
        b = [t for k, t in branches.items() if k[0] == fl]
        fs = [e for k, e in funcs.items() if k[0] == fl]
        lc, bc = sum(1 for c in l if c), sum(1 for t in b if t)
        o.write("%-16s %5.1f%% %4d/%-5d %5.1f%% %4d/%-5d %4d/%-5d\n"
                % (fl, pct(lc, len(l)), lc, len(l), pct(bc, len(b)), bc,
                   len(b), sum(1 for e in fs if e[1]), len(fs)))
    o.write("\nFunctions never entered:\n")
    for (fl, name), (start, calls) in sorted(funcs.items()):
        if not calls:
            o.write("  %s:%d %s\n" % (fl, start, name))
    o.write("\nLines never run:\n")
    for fl in files:
        try:
            text = open(os.path.join(src, fl)).read().split("\n")
        except OSError:
            text = []
        for (f2, n), c in sorted(lines.items()):
            if f2 == fl and not c:
                t = text[n - 1].strip() if n <= len(text) else ""
                o.write("  %s:%d: %s\n" % (fl, n, t))
PY
