#!/usr/bin/env bash
# Runs every test case of a Boost.Test executable in its own process (sanitizer builds).
#
# SystemC runs its processes on user-space coroutines (QuickThreads). AddressSanitizer cannot
# follow those stack switches, and stale stack poisoning left by one test case's simulation
# can produce false reports in a later case of the same process. One case per process keeps
# every report meaningful. Prints "N passed, N failed" at the end.
set -u
exe="$1"
shift
mapfile -t cases < <("$exe" --list_content 2>&1 | awk '
  { match($0, /^ */); depth = RLENGTH / 4; name = $0; sub(/^ */, "", name); sub(/\*$/, "", name);
    path[depth] = name; full = path[0]; for (i = 1; i <= depth; i++) full = full "/" path[i];
    leaf[NR] = full; d[NR] = depth }
  END { for (i = 1; i <= NR; i++) if (i == NR || d[i + 1] <= d[i]) print leaf[i] }')
pass=0
fail=0
for c in "${cases[@]}"; do
  if "$exe" --run_test="$c" "$@" >/tmp/each_case.$$ 2>&1; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "---- $c failed:"
    tail -40 /tmp/each_case.$$
  fi
done
rm -f /tmp/each_case.$$
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
