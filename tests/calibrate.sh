#!/bin/sh
# calibrate.sh - rooftop --calibrate from every supported format with every
# option, and what it writes: a profile the next start reads back, in its own
# file (the user's engines.cfg is never rewritten), no temporary file left.
. "$srcdir/tests/tap.sh"
R=${ROOFTOP:-./src/rooftop}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HOME="$T" XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data"
D="$srcdir/tests/data/calibrate"
C="$T/config/rooftop"
CAL="$C/calibrated-engines.cfg"

# the next start reads every saved profile: no "skipped user file" warning, and the id is listed
reads_back() { # ID
  $R --list-engines --format json > "$T/le" 2> "$T/lw"
  grep -q "\"id\": \"$1\"" "$T/le" && ! grep -q skipped "$T/lw"
}

# llama.cpp's README example (RTX 3090 Ti, 1008 GB/s) plus one run at 0.5 tok/s: the
# fitted band's top was 13.17, above the catalog's 10, and the whole file was skipped
{ cat "$D/llama-bench.md"; echo "| llama 7B mostly Q4_0           |   3.56 GiB |     6.74 B | CUDA       |  99 | tg 128     |    0.50 ± 0.01 |"; } > "$T/slow.md"
$R --calibrate "$T/slow.md" -g rtx-3090 --bandwidth 1008 > "$T/o" 2>&1; rc=$?
hi=$(sed -n 's/.*band_high = \([0-9.e+-]*\);.*/\1/p' "$CAL" 2>/dev/null)
[ $rc = 0 ] && awk -v h="$hi" 'BEGIN { exit !(h >= 1 && h <= 10) }' && grep -q "held to the widest band" "$T/o" \
  && reads_back local-llama.cpp && ok "a 0.5 tok/s run: the band is held to x10 and the profile reads back" \
  || not_ok "slow run" "rc=$rc band_high=$hi $(cat "$T/o" "$T/lw")"

# extreme but finite timings: saved and read back, or refused; never a file the next start skips
i=0
for rows in "1e308" "1e-308" "1e-308 1e308" "1e308 1e-308 131 1e-300"; do
  i=$((i + 1)); rm -rf "$C"
  { head -2 "$D/llama-bench.md"; for v in $rows; do
      echo "| llama 7B mostly Q4_0 | 3.56 GiB | 6.74 B | CUDA | 99 | tg 128 | $v ± 0 |"
      echo "| llama 7B mostly Q4_0 | 3.56 GiB | 6.74 B | CUDA | 99 | pp 512 | $v ± 0 |"; done; } > "$T/x$i.md"
  $R --calibrate "$T/x$i.md" -g rtx-3090 > "$T/o" 2>&1; rc=$?
  if [ $rc = 0 ]; then reads_back local-llama.cpp || not_ok "extreme timings $rows: saved but not read back" "$(cat "$T/lw" "$CAL")"
  elif [ $rc = 1 ] && [ ! -e "$CAL" ]; then :; else not_ok "extreme timings $rows" "rc=$rc $(cat "$T/o")"; fi
done; ok "extreme timings (1e308, 1e-308, mixed): saved and read back, or refused"

# the user's engines.cfg, with its comments, is left byte for byte; the profile goes to its own file
rm -rf "$C"; mkdir -p "$C"
printf '# my own profiles\nengines = (\n  # a hand-written one\n  { id = "mine"; mbu = 0.5; mfu = 0.4; }\n);\n' > "$C/engines.cfg"
cp "$C/engines.cfg" "$T/eng"
touch -d '2 hours ago' "$C/calibrated-engines.cfg.tmp.AbC123" "$C/engines.cfg.tmp.XyZ789"
$R --calibrate "$D/llama-bench.md" -g rtx-3090 --bandwidth 1008 > "$T/o" 2>&1 && cmp -s "$T/eng" "$C/engines.cfg" \
  && grep -q 'id = "local-llama.cpp"' "$CAL" && reads_back mine && reads_back local-llama.cpp \
  && ok "--calibrate keeps engines.cfg and its comments; the profile is in calibrated-engines.cfg" \
  || not_ok "engines.cfg kept" "$(cat "$T/o" "$T/lw")"
left=$(ls -a "$C" | grep -c '\.tmp\.')
[ "$left" = 0 ] && ok "temporary files a killed save left behind are removed at the next save" \
  || not_ok "stale temporaries" "$(ls -a "$C")"
# a second calibration of another id keeps the first
$R --calibrate "$D/vllm-serving.json" -g l40s -m llama-3.2-3b > /dev/null 2>&1 \
  && reads_back local-vllm && reads_back local-llama.cpp && ok "a second profile is added beside the first" \
  || not_ok "second profile" "$(cat "$CAL")"
# a calibrated file that does not read is left as it is
echo 'engines = ( { id = "bad"; mbu = 7.0; } );' > "$CAL"; cp "$CAL" "$T/bad"
$R --calibrate "$D/llama-bench.md" -g rtx-3090 > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q "left as it is" "$T/e" && cmp -s "$T/bad" "$CAL" && ok "an unreadable calibrated file is left as it is" \
  || not_ok "unreadable calibrated file" "rc=$rc $(cat "$T/e")"

# every supported format, each option: the runs are replayed and the profile reads back
rm -rf "$C"
for f in llama-bench.json llama-bench.csv llama-bench.md; do
  $R --calibrate "$D/$f" -g rtx-3090 --bandwidth 1008 > "$T/o" 2>&1 && grep -q "2 replayed on rtx-3090 with llama.cpp" "$T/o" \
    && reads_back local-llama.cpp && ok "--calibrate $f" || not_ok "--calibrate $f" "$(cat "$T/o")"
done
# vLLM's benchmark_serving result (4 L40S replicas of Llama 3.2 3B): rows get the 16-bit format
$R --calibrate "$D/vllm-serving.json" -g l40s -m llama-3.2-3b > "$T/o" 2>&1 && grep -q "3 replayed on l40s with vllm" "$T/o" \
  && grep -q "llama-3.2-3b *bf16 *mean_tpot_ms" "$T/o" && reads_back local-vllm \
  && ok "--calibrate a vLLM serving result (bf16 by default)" || not_ok "--calibrate vllm" "$(cat "$T/o")"
# -w names the weights, -e the profile to start from, -n the devices per run
$R --calibrate "$D/vllm-serving.json" -g l40s -m llama-3.2-3b -w fp8 -e sglang -n 2 > "$T/o" 2>&1 \
  && grep -q "with sglang" "$T/o" && grep -q "llama-3.2-3b *fp8 *mean_tpot_ms" "$T/o" && reads_back local-sglang \
  && ok "--calibrate -w fp8 -e sglang -n 2: the options are honoured" || not_ok "--calibrate options" "$(cat "$T/o")"
$R --calibrate "$D/vllm-serving.json" -g l40s -m llama-3.2-3b -w no-such > "$T/o" 2>&1; rc=$?
[ $rc = 1 ] && grep -q "weight format not known" "$T/o" && ok "--calibrate -w with an unknown format names it" \
  || not_ok "--calibrate -w unknown" "rc=$rc $(cat "$T/o")"
# SGLang's bench_serving JSONL (Llama 3.1 8B on an H100)
$R --calibrate "$D/sglang-serving.jsonl" -g h100-sxm -m llama-3.1-8b > "$T/o" 2>&1 && grep -q "replayed on h100-sxm with sglang" "$T/o" \
  && grep -q "bf16" "$T/o" && reads_back local-sglang && ok "--calibrate an SGLang serving result" \
  || not_ok "--calibrate sglang" "$(cat "$T/o")"
# rooftop's own measurement CSV
$R --calibrate "$D/rooftop.csv" -g rtx-4090 > "$T/o" 2>&1 && grep -q "replayed on rtx-4090" "$T/o" \
  && ok "--calibrate rooftop's CSV" || not_ok "--calibrate rooftop csv" "$(cat "$T/o")"
tap_done
