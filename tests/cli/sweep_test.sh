#!/usr/bin/env bash
# tools/sweep and tools/plot end to end on a two-point study over keys every build has
# (cpu.clock_mhz, a short time limit): the commands, one JSON per run, the merged CSV, the
# figures (PNG + SVG), failed runs reported without stopping the sweep, bad study files
# refused with exit status 2, --sshloginfile passed through to GNU parallel (":" = this host).
# Usage: sweep_test.sh BUILD_BIN_DIR SOURCE_DIR        (docs/studies.md)
set -u
bin="$1/am335x-vp"
src="$2"
cd "$src"
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() {  # check DESCRIPTION -- command...  (passes when the command succeeds)
  local what=$1; shift 2
  if "$@" >/dev/null 2>&1; then ok; else bad "$what"; fi
}
# expect_exit CODE DESCRIPTION -- command...
expect_exit() {
  local code=$1 what=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$code" ]; then ok; else
    bad "$what: exit $got, expected $code"; sed 's/^/    /' "$tmp/err" | tail -5
  fi
}

for tool in parallel gnuplot /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "sweep_test: $tool is missing (tools/setup)"; exit 1; }
done

# ---- a two-point study ---------------------------------------------------------------------------
cat >"$tmp/two.yaml" <<'YAML'
name: two-point
description: two MPU clocks, 100 us each
board: beaglebone-black
time_limit: 100us
set:
  sim.log.default: error
grid:
  cpu.clock_mhz: [600, 1000]
plots:
  - name: simulated
    title: simulated time per run
    x: cpu.clock_mhz
    y: sim.seconds
  - name: host
    x: cpu.clock_mhz
    y: [host.seconds, sim.seconds]
    logscale: y
YAML

expect_exit 0 "--dry-run" -- tools/sweep "$tmp/two.yaml" --dry-run --bin "$bin" --out "$tmp/two"
[ "$(grep -c . "$tmp/out")" -eq 2 ] || bad "--dry-run: expected 2 commands, got $(grep -c . "$tmp/out")"
grep -q -- "-q --no-progress --board beaglebone-black --time-limit 100us" "$tmp/out" ||
  bad "--dry-run: the command lacks the fixed options"
grep -q -- "--set cpu.clock_mhz=600 --stats .*runs/000_600.json" "$tmp/out" ||
  bad "--dry-run: no --set cpu.clock_mhz=600 … --stats runs/000_600.json"
grep -q -- "--set sim.log.default=error" "$tmp/out" || bad "--dry-run: set: keys missing"
[ ! -e "$tmp/two" ] || bad "--dry-run created the output folder"

expect_exit 0 "two-point sweep" -- tools/sweep "$tmp/two.yaml" -j 2 --bin "$bin" --out "$tmp/two"
for f in runs/000_600.json runs/001_1000.json runs/000_600.log results.csv jobs.txt joblog.txt \
         study.yaml runs.tsv failed.txt; do
  [ -e "$tmp/two/$f" ] || bad "sweep did not write $f"
done
check "run JSON is a stats object" -- /usr/bin/python3 -c \
  "import json,sys; d=json.load(open(sys.argv[1])); assert d['sim.seconds'] == 1e-4" \
  "$tmp/two/runs/001_1000.json"
csv="$tmp/two/results.csv"
[ "$(wc -l <"$csv")" -eq 3 ] || bad "results.csv: expected a header and 2 rows"
head -1 "$csv" | grep -q '^run,cpu.clock_mhz,status,' || bad "results.csv header: $(head -c 80 "$csv")"
grep -q '^000_600,600,ok,' "$csv" || bad "results.csv: no ok row for 600 MHz"
grep -q '^001_1000,1000,ok,' "$csv" || bad "results.csv: no ok row for 1000 MHz"
check "results.csv has sim.seconds = 1e-4 in every row" -- /usr/bin/python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 2 and all(float(r['sim.seconds']) == 1e-4 for r in rows)
assert 'host.seconds' in rows[0]" "$csv"
[ ! -s "$tmp/two/failed.txt" ] || bad "failed.txt is not empty"

expect_exit 0 "plot" -- tools/plot "$tmp/two"
for f in simulated.png simulated.svg host.png host.svg simulated.gp; do
  [ -s "$tmp/two/plots/$f" ] || bad "plot did not write plots/$f"
done
head -c 8 "$tmp/two/plots/simulated.png" | grep -q PNG || bad "simulated.png is not a PNG"
grep -q "<svg" "$tmp/two/plots/simulated.svg" || bad "simulated.svg is not an SVG"

# Re-merging without running; a --resume run has nothing left to do.
expect_exit 0 "--merge-only" -- tools/sweep "$tmp/two.yaml" --merge-only --out "$tmp/two"
expect_exit 0 "--resume" -- tools/sweep "$tmp/two.yaml" --resume --bin "$bin" --out "$tmp/two"
grep -q "0 runs of 2" "$tmp/err" || bad "--resume re-ran finished runs"

# --sshloginfile goes to GNU parallel (":" is this host), commands run in the checkout.
echo ":" >"$tmp/hosts"
expect_exit 0 "--sshloginfile" -- tools/sweep "$tmp/two.yaml" --sshloginfile "$tmp/hosts" \
  --bin "$bin" --out "$tmp/ssh"
[ -s "$tmp/ssh/runs/001_1000.json" ] || bad "--sshloginfile run wrote no JSON"

# ---- a failing run does not stop the sweep ---------------------------------------------------------
sed 's/\[600, 1000\]/[600, 5000]/; s/name: two-point/name: one-bad/' "$tmp/two.yaml" >"$tmp/bad.yaml"
expect_exit 1 "sweep with a failing run" -- tools/sweep "$tmp/bad.yaml" --bin "$bin" --out "$tmp/bad"
grep -q "1 of 2 runs ok" "$tmp/err" || bad "failing sweep: no '1 of 2 runs ok'"
grep -q "001_5000: exit status 2" "$tmp/err" || bad "failing sweep: run 001_5000 not reported"
grep -q "cpu.clock_mhz" "$tmp/err" || bad "failing sweep: the run's error line is not shown"
grep -q '^001_5000,5000,failed' "$tmp/bad/results.csv" || bad "failing sweep: no failed row"
grep -q '^000_600,600,ok,' "$tmp/bad/results.csv" || bad "failing sweep: the good run is missing"
grep -q '^001_5000' "$tmp/bad/failed.txt" || bad "failing sweep: failed.txt"

# ---- bad study files: exit 2, one clear line ---------------------------------------------------------
printf 'name: x\ngird:\n  cpu.clock_mhz: [600]\n' >"$tmp/typo.yaml"
expect_exit 2 "unknown study key" -- tools/sweep "$tmp/typo.yaml" --dry-run
grep -q "did you mean 'grid'" "$tmp/err" || bad "unknown study key: no suggestion"
printf 'zip:\n  cpu.clock_mhz: [600, 1000]\n  cpu.dtlb.entries: [32]\n' >"$tmp/zip.yaml"
expect_exit 2 "zip lists of different lengths" -- tools/sweep "$tmp/zip.yaml" --dry-run
printf 'grid:\n  cpu.clock_mhz: 600\n' >"$tmp/scalar.yaml"
expect_exit 2 "grid value that is not a list" -- tools/sweep "$tmp/scalar.yaml" --dry-run
printf 'grid: [\n' >"$tmp/broken.yaml"
expect_exit 2 "malformed YAML" -- tools/sweep "$tmp/broken.yaml" --dry-run
expect_exit 2 "missing study" -- tools/sweep "$tmp/none.yaml" --dry-run
printf 'grid:\n  cpu.clock_mhz: [600]\nplots:\n  - {x: cpu.clock_mhz, y: no.such.stat}\n' \
  >"$tmp/plotbad.yaml"
expect_exit 1 "plot of a missing column" -- tools/plot "$tmp/plotbad.yaml" --csv "$csv" \
  --out "$tmp/plotbad"
grep -q "no column 'no.such.stat'" "$tmp/err" || bad "plot: missing column not named"

expect_exit 2 "--check of a study with a bad value" -- tools/sweep "$tmp/bad.yaml" --check --bin "$bin"
grep -q "001_5000: .*cpu.clock_mhz" "$tmp/err" || bad "--check: the bad run is not named"
expect_exit 0 "--check of a good study" -- tools/sweep "$tmp/two.yaml" --check --bin "$bin"

# ---- the shipped studies expand; with the workloads built, every run's configuration is valid ----
for s in configs/studies/*.yaml; do
  expect_exit 0 "study $s expands" -- tools/sweep "$s" --dry-run --bin "$bin"
done
if "$bin" --list-workloads 2>/dev/null | grep -q 'tlb-scan'; then
  for s in configs/studies/*.yaml; do
    expect_exit 0 "study $s: every run's configuration is valid" -- tools/sweep "$s" --check --bin "$bin"
  done
else
  echo "sweep_test: note: no tlb-scan workload in this build; shipped studies not validated"
fi

echo "sweep_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
