#!/usr/bin/env bash
# The shapes the TLB studies must show (issue 6 item 3; docs/studies.md), on a reduced grid run
# through tools/sweep with the tlb-scan workload — knee positions, not timings:
#  - 4 KiB pages (vmalloc): the D-TLB miss rate rises once the working set passes
#    32 entries x 4 KiB = 128 KiB (Cortex-A8 TRM §6.1, mmu-tlb.md §5.1: 32-entry fully
#    associative round-robin D-TLB);
#  - 1 MiB sections (kmalloc): it rises once the working set passes 32 x 1 MiB = 32 MiB;
#  - a page walk whose descriptors hit L2 costs about 24 cycles (A8 TRM cycle timing,
#    mmu-tlb.md §5.3), and more when the walk is not cacheable (descriptors from DDR).
# Every figure is a difference between two runs ("marginal": extra misses per extra lookup,
# extra walk cycles per extra walk), so whatever the boot does before the workload cancels out.
# Exit 77 (ctest SKIP) while am335x-vp does not list the tlb-scan workload.
# Usage: study_shapes_test.sh BUILD_BIN_DIR SOURCE_DIR
set -u
bin="$1/am335x-vp"
src="$2"
cd "$src"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! "$bin" --list-workloads 2>/dev/null | grep -q '^ *tlb-scan\b'; then
  echo "study_shapes_test: SKIP: am335x-vp --list-workloads does not list tlb-scan yet"
  exit 77
fi

cat >"$tmp/shapes.yaml" <<'YAML'
name: shapes
description: reduced grid of tlb-working-set and walk-cost
board: beaglebone-black
time_limit: 0
host_timeout: 1200
set:
  cpu.mode: approximate
  workload.name: tlb-scan
  workload.tlb_scan.pattern: strided
  workload.tlb_scan.stride: 4KiB
  workload.tlb_scan.repeat: 8
zip:
  workload.tlb_scan.alloc: [vmalloc, vmalloc, vmalloc, kmalloc, kmalloc, kmalloc, vmalloc]
  workload.tlb_scan.size: [64KiB, 128KiB, 256KiB, 16MiB, 32MiB, 64MiB, 256KiB]
  kernel.ttb_cacheable: [true, true, true, true, true, true, false]
YAML

if ! tools/sweep "$tmp/shapes.yaml" --bin "$bin" --out "$tmp/out" --no-bar; then
  echo "study_shapes_test: FAIL: the sweep had failed runs"
  exit 1
fi

/usr/bin/python3 - "$tmp/out/results.csv" <<'PY'
import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1])))
KiB, MiB = 1 << 10, 1 << 20


def run(alloc, size, cacheable="true"):
    for r in rows:
        if (r["workload.tlb_scan.alloc"] == alloc and int(r["workload.tlb_scan.size"]) == size
                and r["kernel.ttb_cacheable"] == cacheable):
            return r
    raise SystemExit(f"no run for {alloc} {size} {cacheable}")


def val(r, k):
    v = r.get(k, "")
    if v == "":
        raise SystemExit(f"run {r['run']}: no statistic {k}")
    return float(v)


def marginal(a, b, num, den):
    d = val(b, den) - val(a, den)
    if d <= 0:
        raise SystemExit(f"{b['run']} has no more {den} than {a['run']}")
    return (val(b, num) - val(a, num)) / d


passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


miss = lambda a, b: marginal(a, b, "cpu.dtlb.misses", "cpu.dtlb.lookups")
v64, v128, v256 = run("vmalloc", 64 * KiB), run("vmalloc", 128 * KiB), run("vmalloc", 256 * KiB)
below, above = miss(v64, v128), miss(v128, v256)
print(f"vmalloc: extra misses per extra lookup 64K->128K {below:.4f}, 128K->256K {above:.4f}")
check(below < 0.3, f"4 KiB pages: the miss rate already rises below 128 KiB ({below:.4f})")
check(above > 0.7, f"4 KiB pages: no knee past 128 KiB ({above:.4f})")

k16, k32, k64 = run("kmalloc", 16 * MiB), run("kmalloc", 32 * MiB), run("kmalloc", 64 * MiB)
below, above = miss(k16, k32), miss(k32, k64)
print(f"kmalloc: extra misses per extra lookup 16M->32M {below:.5f}, 32M->64M {above:.5f}")
# Past 32 MiB every section misses once per pass: 1 miss per 256 lookups of a 4 KiB stride.
check(below < 0.002, f"sections: the miss rate already rises below 32 MiB ({below:.5f})")
check(above > 0.004, f"sections: no knee past 32 MiB ({above:.5f})")
ds = val(k64, "cpu.walker.walks_section") - val(k32, "cpu.walker.walks_section")
dp = val(k64, "cpu.walker.walks_page") - val(k32, "cpu.walker.walks_page")
check(ds > 0 and dp < 0.05 * ds, f"sections: extra walks are not section walks ({ds}, {dp})")

walk = marginal(v128, v256, "cpu.walker.walk_cycles", "cpu.walker.walks")
print(f"page walk with descriptors in L2: {walk:.1f} cycles")
check(20 <= walk <= 30, f"a page walk hitting L2 is not about 24 cycles ({walk:.1f})")
dp = val(v256, "cpu.walker.walks_page") - val(v128, "cpu.walker.walks_page")
dw = val(v256, "cpu.walker.walks") - val(v128, "cpu.walker.walks")
check(dp > 0.9 * dw, f"4 KiB pages: extra walks are not page walks ({dp} of {dw})")
cached = val(v256, "cpu.walker.avg_walk_cycles")
uncached = val(run("vmalloc", 256 * KiB, "false"), "cpu.walker.avg_walk_cycles")
print(f"average walk: cacheable {cached:.1f}, not cacheable {uncached:.1f} cycles")
check(uncached > cached + 10, f"walks from DDR are not dearer ({uncached:.1f} vs {cached:.1f})")

print(f"study_shapes_test: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
