#!/bin/sh
# sweep.sh - a sweep's CSV rows are, byte for byte, the rows of one-shot runs with the
# swept value given as an option (the sweep takes a fast path: no new resolve for plain
# numbers, rows written in large pieces), and its header is the one-shot header.
. "$srcdir/tests/tap.sh"
R=${ROOFTOP:-./src/rooftop}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HOME="$T" XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data"

# same NAME OPTIONS -- SWEEP OPTION VALUE...: the sweep's header and row i against
# `--print OPTIONS --OPTION VALUE_i --format csv`
same() {
  name=$1; shift
  opts=""
  while [ "$1" != -- ]; do opts="$opts $1"; shift; done
  shift
  sweep=$1 opt=$2; shift 2
  # shellcheck disable=SC2086
  $R --print $opts --sweep "$sweep" --format csv > "$T/sweep" 2> "$T/err" || { not_ok "$name" "sweep failed: $(cat "$T/err")"; return; }
  i=1 bad=""
  for v in "$@"; do
    i=$((i + 1))
    # shellcheck disable=SC2086
    $R --print $opts "--$opt" "$v" --format csv > "$T/one" 2>/dev/null || { bad="one-shot --$opt $v failed"; break; }
    if [ "$i" = 2 ]; then # the header is the first row's keys
      head -n 1 "$T/one" > "$T/a"
      head -n 1 "$T/sweep" > "$T/b"
      cmp -s "$T/a" "$T/b" || { bad="header differs"; break; }
    fi
    sed -n 2p "$T/one" > "$T/a"
    sed -n "${i}p" "$T/sweep" > "$T/b"
    cmp -s "$T/a" "$T/b" || { bad="row $v differs: $(cut -c1-200 "$T/b")"; break; }
  done
  [ -z "$bad" ] && [ "$(wc -l < "$T/sweep")" = $(( $# + 1 )) ] && ok "$name" || not_ok "$name" "$bad" "$(wc -l < "$T/sweep") lines"
}

same "batch sweep = one-shot runs" -- batch=1:4097:1024 batch 1 1025 2049 3073 4097
same "prompt sweep (70B, 4 GPUs) = one-shot runs" -m llama-3.1-70b --gpus 4 -- prompt=0:96k:32k prompt 0 32768 65536 98304
same "output sweep (MoE, llama.cpp) = one-shot runs" -m qwen3-30b-a3b -e llama.cpp -- output=1:1000:333 output 1 334 667 1000
same "geometric batch sweep (DeepSeek-V3, 8 x H200) = one-shot runs" -m deepseek-v3 -g h200 --gpus 8 -- batch=1:512:x8 batch 1 8 64 512
same "gpu list sweep = one-shot runs" -- gpu=h100-sxm,rtx-4090,l40s gpu h100-sxm rtx-4090 l40s
same "weights list sweep = one-shot runs" -g rtx-4090 -- weights=q4_k_m,q8_0 weights q4_k_m q8_0
same "rate sweep (serving) = one-shot runs" --requests 100 -- rate=1:9:4 rate 1 5 9
same "cached-prefix sweep = one-shot runs" --prompt 2000 -- cached-prefix=0:1500:500 cached-prefix 0 500 1000 1500
# every row under the header: rows that differ in what applies keep one set of columns, empty where a
# figure does not apply (a sweep from rate 0 wrote 128 header columns, then rows of 145 with the
# serving figures; a GPU list's RTX 4090 row had 6 fewer cells than the H100 header)
ncols() { awk -F, '{print NF}' "$1" | sort -u | wc -l; }
$R --print --requests 100 --sweep rate=0:20:10 --format csv > "$T/r"
k=$(head -n 1 "$T/r" | tr , '\n' | grep -n '^serving.ttft_mean_s$' | cut -d: -f1)
r0=$(sed -n 2p "$T/r" | cut -d, -f"${k:-1}"); r10=$(sed -n 3p "$T/r" | cut -d, -f"${k:-1}")
[ "$(ncols "$T/r")" = 1 ] && [ -n "$k" ] && [ -z "$r0" ] && [ -n "$r10" ] \
  && ok "rate sweep from 0: one set of columns; serving.ttft_mean_s empty at rate 0, $r10 s at 10 req/s" \
  || not_ok "rate sweep columns" "$(awk -F, '{print NF}' "$T/r" | tr '\n' ' ') k=$k r0=$r0 r10=$r10"
$R --print --sweep gpu=h100-sxm,rtx-4090 --format csv > "$T/g"
[ "$(ncols "$T/g")" = 1 ] && [ "$(wc -l < "$T/g")" = 3 ] && ok "gpu list sweep: every row under the header's columns" \
  || not_ok "gpu sweep columns" "$(awk -F, '{print NF}' "$T/g" | tr '\n' ' ')"
# the table of a sweep under a rate gives the serving run's figures: a --concurrency sweep printed the
# static figures, the same on every row.  A closed loop of one client has one request running at a
# time: RUNNING 1.0; four clients at most 4
$R --print --rate inf --requests 100 --sweep concurrency=1,4 > "$T/c"
head -n 1 "$T/c" | grep -q "TTFT LOAD" && [ "$(awk 'NR == 2 { print $(NF - 2) }' "$T/c")" = 1.0 ] \
  && awk 'NR == 3 { exit !($(NF - 2) > 1 && $(NF - 2) <= 4) }' "$T/c" \
  && ok "sweep table under a rate: serving columns (1 client: 1.0 running, 4: up to 4)" || not_ok "serving sweep table" "$(cat "$T/c")"
# ... and a row with serving off (rate 0) shows "-" there, not 0 s
$R --print --requests 100 --sweep rate=0:10:10 | awk 'NR == 2' | grep -q "^ *0  yes  *-  *-  *-" \
  && ok "sweep table: '-' where a row serves nothing" || not_ok "rate 0 row" "$($R --print --requests 100 --sweep rate=0:10:10)"
tap_done
[ "$tap_fail" = 0 ]
