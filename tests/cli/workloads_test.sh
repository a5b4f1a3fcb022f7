#!/usr/bin/env bash
# Every workload runs in a small configuration on every board file (issue 6 item 7), and the
# boot log carries the facts of its board:
#   - the board-ID EEPROM name of the board file, read over I2C (U-Boot's ti_am_eeprom);
#   - the DDR size in the "Memory: …K/<total>K available" line (arch/arm/mm/init.c);
#   - the lowmem line of the layout block: lowmem ends at PAGE_OFFSET + RAM, at most at
#     the lowmem limit VMALLOC_END - 240 MiB - 8 MiB = 0xF0000000 (linux-mm.md §2.1), and
#     VMALLOC_START is 8 MiB above it; the 1 GiB EVM has highmem (256 MiB);
#   - the SoC revision from DEVICE_ID (ES2.1 for silicon_rev 2, arch/arm/mach-omap2/id.c).
# Usage: workloads_test.sh BUILD_BIN_DIR SOURCE_DIR
set -u
bin="$1/am335x-vp"
cd "$2"
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

run() {  # run DESCRIPTION args...
  local what=$1; shift
  if "$bin" "$@" >"$tmp/out" 2>"$tmp/err"; then ok; else
    bad "$what: exit $?"; sed 's/^/    /' "$tmp/err" | tail -8
  fi
}
expect_line() {  # expect_line DESCRIPTION PATTERN (fixed string, in stdout)
  if grep -qF -- "$2" "$tmp/out"; then ok; else bad "$1: no line with '$2'"; fi
}

for board in configs/boards/*.yaml; do
  name=$(basename "$board" .yaml)
  eeprom=$(sed -n '/^  eeprom:/,/^  [a-z]/s/^ *name: *\([A-Z0-9_]*\).*/\1/p' "$board" | head -1)
  mib=$(sed -n 's/^  size: *\([0-9]*\)\(MiB\|GiB\).*/\1 \2/p' "$board" | head -1)
  set -- $mib
  [ "$2" = GiB ] && mib=$(($1 * 1024)) || mib=$1
  ram=$((mib << 20))
  limit=$((0xF0000000 - 0xC0000000))
  low=$((ram < limit ? ram : limit))
  lowmem_end=$(printf '0x%08x' $((0xC0000000 + low)))
  vmalloc_start=$(printf '0x%08x' $((0xC0000000 + low + (8 << 20))))

  run "$name boot" --board "$board" --set workload.boot.heartbeat=20ms
  expect_line "$name boot" "at24 0-0050: board $eeprom"
  expect_line "$name boot" "K/$((mib * 1024))K available"
  expect_line "$name boot" "lowmem  : 0xc0000000 - $lowmem_end"
  expect_line "$name boot" "vmalloc : $vmalloc_start - 0xff800000"
  expect_line "$name boot" "AM335X ES2.1"
  expect_line "$name boot" "edma: memcpy 4096 bytes"
  expect_line "$name boot" "boot: done"
  if [ "$ram" -gt "$limit" ]; then
    expect_line "$name boot" "$(( (ram - limit) >> 10 ))K highmem"
  fi

  for alloc in kmalloc vmalloc user; do
    run "$name tlb-scan $alloc" -q --board "$board" --workload tlb-scan \
      --set workload.tlb_scan.alloc=$alloc --set workload.tlb_scan.size=64KiB \
      --set workload.tlb_scan.repeat=2
    run "$name pointer-chase $alloc" -q --board "$board" --workload pointer-chase \
      --set workload.pointer_chase.alloc=$alloc --set workload.pointer_chase.size=64KiB \
      --set workload.pointer_chase.steps=10000
  done
  run "$name alloc-stress" -q --board "$board" --workload alloc-stress \
    --set workload.alloc_stress.ops=2000
  run "$name none" -q --board "$board" --workload none --time-limit 1ms
done

# The console shell: commands from the scripted UART0 input, answered through the console.
run "shell" -q --set workload.boot.shell=true --set workload.boot.heartbeat=10ms \
  --set uart.uart0.backend=scripted --set uart.uart0.echo=true \
  --set 'uart.uart0.input=[{at: 1s, text: "cat /proc/buddyinfo\ncat /proc/iomem\nnope\nhalt\n"}]'
expect_line "shell" "Node 0, zone   Normal"         # mm/vmstat.c buddyinfo format
expect_line "shell" "80000000-9fffffff : System RAM" # /proc/iomem: the BBB's 512 MiB
expect_line "shell" "-sh: nope: not found"
expect_line "shell" "reboot: System halted"

# A workload's statistics: the measured phase only (tlb-scan of 256 KiB of 4 KiB pages,
# strided by a page, two passes: 64 x 2 lookups, all misses beyond the 32-entry D-TLB).
run "tlb-scan stats" -q --workload tlb-scan --set workload.tlb_scan.size=256KiB \
  --set workload.tlb_scan.repeat=2 --stats "$tmp/s.json"
grep -q '"cpu.dtlb.lookups": 128' "$tmp/s.json" && ok || bad "tlb-scan: lookups != 128"
grep -q '"cpu.dtlb.misses": 128' "$tmp/s.json" && ok || bad "tlb-scan: misses != 128"
grep -q '"workload.accesses": 128' "$tmp/s.json" && ok || bad "tlb-scan: workload.accesses"

echo "workloads_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
