#!/usr/bin/env bash
# End-to-end checks of the am335x-vp command line (issue "Platform foundation", Checked by):
# every board file loads and runs; malformed configs and scripts give file:line errors and exit
# status 2, never a signal; register scripts pass or fail with 0 / 1.
# Usage: cli_test.sh BUILD_BIN_DIR SOURCE_DIR
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

# expect_exit CODE DESCRIPTION -- command...
expect_exit() {
  local code=$1 what=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$code" ]; then ok; else
    bad "$what: exit $got, expected $code"; sed 's/^/    /' "$tmp/err" | head -5
  fi
}

# Every board: loads, prints its memory map, runs 1 ms of simulated time.
for board in configs/boards/*.yaml; do
  expect_exit 0 "board $board memory map" -- "$bin" --board "$board" --print-memory-map
  expect_exit 0 "board $board runs" -- "$bin" --board "$board" --time-limit 1ms
  grep -q "simulated time" "$tmp/out" || bad "board $board: no summary"
done

# Every malformed config: exit 2 with "file:line" of the expected line in the message.
for f in tests/data/bad_configs/*.yaml; do
  line=$(sed -n 's/^# expect-line: *\([0-9]*\).*/\1/p' "$f" | head -1)
  expect_exit 2 "bad config $f" -- "$bin" --board "$f" --time-limit 1us
  if [ -n "$line" ] && [ "$line" != "0" ] && ! grep -q ":$line:" "$tmp/err"; then
    bad "bad config $f: message lacks :$line:"; sed 's/^/    /' "$tmp/err" | head -3
  fi
done

# Every malformed script: exit 2 with file:line.
for f in tests/data/bad_scripts/*.yaml; do
  [ -e "$f" ] || continue
  line=$(sed -n 's/^# expect-line: *\([0-9]*\).*/\1/p' "$f" | head -1)
  expect_exit 2 "bad script $f" -- "$bin" --script "$f"
  if [ -n "$line" ] && [ "$line" != "0" ] && ! grep -q ":$line:" "$tmp/err"; then
    bad "bad script $f: message lacks :$line:"; sed 's/^/    /' "$tmp/err" | head -3
  fi
done

# Bad command-line use: exit 2.
expect_exit 2 "unknown option" -- "$bin" --no-such-option
expect_exit 2 "unknown --set key" -- "$bin" --set cpu.clock_mhzz=600
expect_exit 2 "missing board file" -- "$bin" --board /nonexistent/board.yaml
expect_exit 0 "--help" -- "$bin" --help
expect_exit 0 "--list-boards" -- "$bin" --list-boards
grep -q beaglebone-black "$tmp/out" || bad "--list-boards lacks beaglebone-black"
expect_exit 0 "--list-workloads" -- "$bin" --list-workloads
for w in boot tlb-scan pointer-chase alloc-stress none; do
  grep -q "^$w " "$tmp/out" || bad "--list-workloads lacks $w"
done
expect_exit 2 "unknown workload" -- "$bin" --workload no-such-workload
grep -q "workload.name" "$tmp/err" || bad "unknown workload: message lacks the key path"
expect_exit 2 "--script with --workload" -- "$bin" --workload boot --script tests/scripts/memories.yaml
# sim.realtime: 300 ms of simulated time take at least 300 ms of host time.
t0=$(date +%s%N)
expect_exit 0 "sim.realtime" -- "$bin" -q --workload none -t 300ms --set sim.realtime=true
t1=$(date +%s%N)
[ $(( (t1 - t0) / 1000000 )) -ge 300 ] || bad "sim.realtime: 300 ms simulated in $(( (t1 - t0) / 1000000 )) ms"
expect_exit 0 "--print-config" -- "$bin" --print-config --set cpu.clock_mhz=600
grep -q "command line" "$tmp/out" || bad "--print-config does not show where --set values came from"

# Register scripts shipped with the project: each must pass on the BeagleBone Black.
for s in tests/scripts/*.yaml configs/scripts/*.yaml; do
  [ -e "$s" ] || continue
  expect_exit 0 "script $s" -- "$bin" --script "$s" --quiet
done

# A failing expectation: exit 1, and the failure names the script line.
cat >"$tmp/failing.yaml" <<'YAML'
- comment: the boot ROM cannot be written, but this script says it can
- write: {addr: 0x40000000, value: 1}
YAML
expect_exit 1 "failing script" -- "$bin" --script "$tmp/failing.yaml"
grep -q "line 2" "$tmp/out" || bad "failing script: the failure does not name line 2"

# Statistics, trace and VCD files are written.
expect_exit 0 "stats/trace/vcd" -- "$bin" --time-limit 1ms --stats "$tmp/s.json" \
  --trace "$tmp/t.txt" --vcd "$tmp/w.vcd" --script tests/scripts/memories.yaml
[ -s "$tmp/s.json" ] && grep -q '"interconnect.transactions"' "$tmp/s.json" || bad "stats JSON missing"
[ -s "$tmp/t.txt" ] && grep -q "script -> ocmc0" "$tmp/t.txt" || bad "trace missing ocmc0 accesses"
grep -q '\$enddefinitions' "$tmp/w.vcd" || bad "VCD header missing"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
