#!/bin/sh
# bench.sh BUILDDIR - print rooftop's speed and size figures (make bench).
# Medians of repeated runs with their spread; nothing here is a pass/fail test.
B=${1:-.}
R="$B/src/rooftop"
echo "rooftop benchmark, $(date -u +%Y-%m-%d), $(uname -m), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores"
printf '%-44s %10s %-3s %s\n' "figure" "median" "" "(min .. max)"
"$B/bench/bench_core" || exit 1
# a 100,000-row sweep through --print --sweep ... --format csv
times=""
for i in 1 2 3 4 5; do
  s=$(date +%s%N)
  "$R" --print --sweep batch=1:100000 --format csv > /dev/null || exit 1
  e=$(date +%s%N)
  times="$times $(( (e - s) / 1000000 ))"
done
echo $times | tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { printf "%-44s %10.3f %-3s (%.3f .. %.3f)  target < 1 s\n", "100,000-row sweep to CSV", v[int((NR + 1) / 2)] / 1000, "s", v[1] / 1000, v[NR] / 1000 }'
"$B/bench/bench_tui" "$R"
printf '%-44s %10s\n' "binary size (stripped)" "$(strip -o /tmp/rooftop.stripped.$$ "$R" && wc -c < /tmp/rooftop.stripped.$$ | awk '{printf "%.0f kB", $1/1024}'; rm -f /tmp/rooftop.stripped.$$)"
# instructions of one --print --format json (callgrind counts, exact and machine-independent)
if command -v valgrind >/dev/null 2>&1; then
  ir=$(cd /tmp && valgrind --tool=callgrind --callgrind-out-file=/dev/null "$R" --print --format json 2>&1 >/dev/null \
       | sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
  printf '%-44s %10s %-3s %s\n' "one-shot --print --format json" "$(echo "$ir" | awk '{printf "%.2f", $1/1e6}')" "M" "instructions, target < 1.5 M"
  # the SLA solver of bench_core's case, in instructions (the wall time follows the machine's load)
  ir=$(cd /tmp && valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect=rt_solve "$R" --print --solve \
       -m llama-3.1-70b --rate 4 --ttft-max 1 --itl-max 0.05 2>&1 >/dev/null | sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
  printf '%-44s %10s %-3s %s\n' "SLA solver (20 cheapest setups)" "$(echo "$ir" | awk '{printf "%.0f", $1/1e6}')" "M" "instructions"
fi
