#!/bin/sh
# cli.sh - the command-line contract (options, exit statuses, JSON keys), run on the built binary.
. "$srcdir/tests/tap.sh"
R=${ROOFTOP:-./src/rooftop}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HOME="$T" XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data"

# Hand-worked figures (doc/method.md): Llama 3.1 70B GQA KV = 80 x 8 x 256 x 2 = 327,680 B/token;
# DeepSeek-V3 MLA = 61 x 576 x 2 = 70,272; Llama 3 8B bf16 weights = 2 x 8,030,261,248 bytes.
v=$($R --print -m llama-3.1-70b -k bf16 --format csv | csvcol kv_bytes_per_token)
[ "$v" = 327680 ] && ok "GQA KV bytes per token" || not_ok "GQA KV bytes per token" "got $v"
v=$($R --print -m deepseek-v3 -g h200 -n 8 -w fp8 -k bf16 --format csv | csvcol kv_bytes_per_token)
[ "$v" = 70272 ] && ok "MLA KV bytes per token" || not_ok "MLA KV bytes per token" "got $v"
v=$($R --print -m llama-3-8b -w bf16 --format csv | csvcol memory.weights_bytes)
[ "$v" = 16060522496 ] && ok "bf16 weight bytes" || not_ok "bf16 weight bytes" "got $v"
# B=1, S=4096 on H100 SXM at peak: (15.01 GB weights read + 0.537 GB KV) / 3.35 TB/s = 4.641 ms
v=$($R --print -m llama-3-8b -g h100-sxm -w bf16 -e ideal -b 1 -p 4k -o 1 --format csv | csvcol decode.time_per_token_s)
near "$v" 0.004641 0.005 && ok "decode step at the roofline" || not_ok "decode step at the roofline" "got $v"
# --tflops is the rate the device runs at: the H100 PCIe's measured matmul share (495.93 of
# 756, attainable_tflops) no longer applies, so an 8k prompt on the ideal engine, compute-bound,
# takes 495.93 / 756 of the time (to within the streaming term of each operation's 2-norm)
a=$($R --print -m llama-2-7b -g h100-pcie -w fp16 -e ideal -p 8k -o 1 --format csv | csvcol prefill.time_s)
b=$($R --print -m llama-2-7b -g h100-pcie --tflops 756 -w fp16 -e ideal -p 8k -o 1 --format csv | csvcol prefill.time_s)
v=$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')
near "$v" 0.656 0.01 && ok "--tflops replaces the measured matmul rate" || not_ok "--tflops and attainable_tflops" "got $a $b"
# JSON: nested keys, SI units, e2e = ttft + output x tpot
$R --print -m llama-3.1-8b -b 4 -p 8k -o 100 --format json > "$T/j"
grep -q '"prompt": 8192' "$T/j" && ok "8k is 8192 tokens" || not_ok "8k is 8192 tokens"
grep -q '"fits": true' "$T/j" && grep -q '"bound": "memory"' "$T/j" && ok "JSON nests memory.fits and decode.bound" \
  || not_ok "JSON nests memory.fits and decode.bound"
$R --print -m llama-3.1-8b -b 4 -p 8k -o 100 --format csv > "$T/c"
ttft=$(csvcol ttft_s < "$T/c"); tpot=$(csvcol decode.time_per_token_s < "$T/c"); e2e=$(csvcol e2e_latency_s < "$T/c")
near "$e2e" "$(awk -v a="$ttft" -v b="$tpot" 'BEGIN { printf "%.12g", a + 100 * b }')" 1e-6 \
  && ok "e2e = ttft + output x tpot" || not_ok "e2e = ttft + output x tpot" "$ttft $tpot $e2e"
# --prompt 0 is valid (llama-bench tg)
check "prompt 0 is valid" $R --print -p 0 -o 128 --format json
# a scenario that does not fit still prints, with fits false
v=$($R --print -m llama-3.1-405b -g rtx-4090 --format csv | csvcol memory.fits)
[ "$v" = false ] && ok "does-not-fit prints fits=false" || not_ok "does-not-fit prints fits=false" "got $v"

# sweeps
n=$($R --print --sweep batch=1:1024:x2 --format csv | wc -l)
[ "$n" = 12 ] && ok "geometric sweep: header + 11 rows" || not_ok "geometric sweep" "got $n lines"
n=$($R --print --sweep prompt=0:4k:1k --format json | grep -c '"parameter": "prompt"')
[ "$n" = 5 ] && ok "stepped sweep as a JSON array" || not_ok "stepped sweep" "got $n"
$R --print -m llama-3.1-70b -g h100-sxm --sweep gpus=1:4 > "$T/s"
grep -q ' NO ' "$T/s" && grep -q ' yes ' "$T/s" && ok "sweep marks rows that do not fit" || not_ok "sweep marks rows" "$(cat "$T/s")"

# sweeps over any input, lists of ids too
n=$($R --print -m llama-3.1-8b -g rtx-4090 --sweep weights=q4_k_m,q8_0,fp16 --format csv | wc -l)
[ "$n" = 4 ] && ok "sweep over a list of formats" || not_ok "sweep weights list" "got $n lines"
# q4_k_m at 4.89 bits (measured mix) weighs less than q8_0 at 8.5, less than fp16
$R --print -m llama-3.1-8b -g rtx-4090 --sweep weights=q4_k_m,q8_0,fp16 --format csv > "$T/w"
w1=$(sed -n 2p "$T/w" | cut -d, -f6); w3=$(sed -n 4p "$T/w" | cut -d, -f6)
[ "$w1" = q4_k_m ] && [ "$w3" = fp16 ] && ok "sweep rows in list order" || not_ok "sweep list order" "$w1 $w3"
$R --print --sweep bogus=1:2 > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q "unknown parameter 'bogus'" "$T/e" && ok "sweep names an unknown parameter" || not_ok "sweep unknown" "$(cat "$T/e")"

# --explain: the JSON value, its formula and inputs
j=$($R --print -m llama-3-8b -g h100-sxm -w bf16 -e ideal -b 1 -p 4k -o 1 --format csv | csvcol decode.time_per_token_s)
e=$($R --print -m llama-3-8b -g h100-sxm -w bf16 -e ideal -b 1 -p 4k -o 1 --explain decode.time_per_token_s --format json \
    | sed -n 's/^  "value": \(.*\),$/\1/p')
near "$e" "$j" 1e-9 && ok "--explain equals the JSON value" || not_ok "--explain value" "$e vs $j"
$R --print --explain decode.time_per_token_s | grep -q "engine.mbu" && ok "--explain lists the inputs" || not_ok "--explain inputs"
# a CPU's kernel class names its core class and rate: Ryzen 9 7950X, 16 x 5.0 GHz (all-core) x 32 FLOP/cycle = 2.56 TFLOP/s
x=$($R --print -m llama-2-7b -g ryzen-9-7950x -w q4_0 -e llama.cpp --explain prefill.kernel_class)
echo "$x" | grep -q "cpu-int8-dot" && echo "$x" | grep -q "16 cores x 5.00 GHz x 32 FLOP/cycle = 2.56 TFLOP/s" &&
    ok "--explain prefill.kernel_class: a CPU's core class and rate" || not_ok "cpu kernel class note" "$x"
# --backend (llama.cpp's compute backend): Vulkan's classes by name; a backend of another device family, or
# an unknown one, is bad input (exit 1) naming the option
k=$($R --print -m llama-2-7b -g rx-7900-xtx -w q4_0 -e llama.cpp -p 512 -o 128 --backend vulkan --format csv)
[ "$(echo "$k" | csvcol prefill.kernel_class)" = vulkan-coopmat ] && [ "$(echo "$k" | csvcol decode.kernel_class)" = vulkan-scalar ] &&
    ok "--backend vulkan: coopmat prompt GEMMs, scalar mat-vec" || not_ok "--backend vulkan classes" "$k"
$R --print -m llama-2-7b -g rx-7900-xtx -e llama.cpp --backend cuda >/dev/null 2>"$T/bk.err"; rc=$?
[ $rc = 1 ] && grep -q -- "--backend: cuda does not run on device 'rx-7900-xtx'" "$T/bk.err" &&
    ok "--backend cuda on an AMD device: exit 1" || not_ok "--backend family check" "$rc $(cat "$T/bk.err")"
$R --print -m llama-2-7b -g rx-7900-xtx -e llama.cpp --backend opencl >/dev/null 2>"$T/bk.err"; rc=$?
[ $rc = 1 ] && grep -q -- "--backend: 'opencl' is not" "$T/bk.err" && ok "--backend opencl: exit 1" || not_ok "--backend unknown" "$rc"
# under a rate, --max-seqs is the cap whatever --batch says, and --explain names where it came from
x=$($R --print -m llama-3-8b -g h100-sxm -b 8 --max-seqs 16 --rate inf --requests 200 --explain serving.max_running)
echo "$x" | grep -q "^serving.max_running = 16$" && echo "$x" | grep -q "engine.max_seqs .*--max-seqs" &&
    ok "--explain serving.max_running: the --max-seqs cap and its source" || not_ok "--max-seqs cap" "$x"
$R --print --explain decode.nope > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q "unknown key 'decode.nope'" "$T/e" && ok "--explain unknown key: exit 1" || not_ok "--explain unknown" "$(cat "$T/e")"

# --compare: B - A; A is the session, B the session with the options
d=$($R --print --compare default -b 4 --format json | sed -n '/"delta"/,$p' | grep -m1 '"batch"' | tr -dc '0-9')
[ "$d" = 3 ] && ok "--compare delta is B - A" || not_ok "--compare delta" "got $d"
$R --print --compare default -b 4 | grep -q "KV cache .*+300.0%" && ok "--compare table shows percentages" \
  || not_ok "--compare table" "$($R --print --compare default -b 4 | head -20)"

# more devices than one node holds: a warning, and GB200's NVL72 rack is one node
$R --print -m llama-3.1-405b -g h100-sxm -n 16 --format json 2>/dev/null | grep -q '"warnings": ".*more devices than one node' \
  && ok "16 H100s warn about more than one node" || not_ok "multi-node warning"
# (a negative check: the exit status first, so that a crash is not a pass)
$R --print -m llama-3.1-405b -g gb200 -n 16 --format json > "$T/nv" 2>/dev/null; rc=$?
[ $rc = 0 ] && grep -q '"fits"' "$T/nv" && ! grep -q 'more devices than one node' "$T/nv" \
  && ok "GB200 NVL72 is one node of 72" || not_ok "GB200 NVL72 is one node of 72" "rc=$rc"

# --accuracy replays max-load rows through the serving simulation beside the static batch
sed -n '1,3p' "$srcdir/accuracy/measurements.csv" > "$T/maxload.csv"
$R --accuracy "$T/maxload.csv" > "$T/acc" 2>&1
s=$(awk '/^static max batch/ { print $4 }' "$T/acc"); c=$(awk '/^continuous batching/ { print $3 }' "$T/acc")
[ "$s" = 2 ] && [ "$c" = 2 ] \
  && ok "--accuracy replays the max-load rows through serving mode" || not_ok "serving replay" "$(cat "$T/acc")"
sed -n 3p "$T/acc" | grep -q "in sample" && grep -q "^cross-validated" "$T/acc" \
  && ok "--accuracy labels its headline in sample and shows the cross-validated figures" \
  || not_ok "in-sample label" "$(head -5 "$T/acc")"

# the rows each left-out publication predicts worst: sorted by |error|, the error
# being predicted / measured - 1 of the same line (worked from the two columns)
sed -n '1,60p' "$srcdir/accuracy/measurements.csv" > "$T/two.csv"
$R --accuracy "$T/two.csv" > "$T/acc2" 2>&1
sed -n '/^  worst rows, each publication left out:/,/^$/p' "$T/acc2" | awk 'NR > 2 && NF > 3 {
    m = $(NF-2); p = $(NF-1); e = $NF; sub(/%/, "", e); a = e < 0 ? -e : e
    if (n++ && a > last + 0.5) bad = bad " unsorted at " $1
    w = (p / m - 1) * 100; if (w - e > 1 || e - w > 1) bad = bad " line " $1 ": " w " vs " e
    last = a } END { if (!n) print "no rows"; else if (bad) print bad }' > "$T/wr"
[ ! -s "$T/wr" ] && ok "--accuracy lists the worst rows with each publication left out, worst first" \
  || not_ok "worst rows left out" "$(cat "$T/wr")"

# and the worst tenth of the decode rows (their p90 is a goal): ceil(n / 10) of the n decode
# rows predicted with their publication left out, all decode rows, worst first (llama.cpp
# PR #4766 and PR #5835: 8 decode rows, so 1)
sed -n '1p;1008,1017p;1164,1171p' "$srcdir/accuracy/measurements.csv" > "$T/dec.csv"
$R --accuracy "$T/dec.csv" > "$T/acc3" 2>&1
n=$(sed -n '/^cross-validated, leave one publication out/,/^$/p' "$T/acc3" | awk '/^single-stream decode/ { print $3 }')
sed -n '/^  worst single-stream decode rows, each publication left out (the worst tenth):/,/^$/p' "$T/acc3" |
  awk -v n="$n" 'NR > 2 && NF > 3 {
    e = $NF; sub(/%/, "", e); a = e < 0 ? -e : e
    if (k++ && a > last + 0.5) bad = bad " unsorted at " $1
    if ($(NF-3) != "tg_tok_s") bad = bad " line " $1 " is not a decode row"
    last = a } END { if (k != int((n + 9) / 10)) bad = bad " " k " rows of " n; if (bad) print bad }' > "$T/wd"
[ -n "$n" ] && [ "$n" -gt 0 ] && [ ! -s "$T/wd" ] \
  && ok "--accuracy lists the worst tenth of the decode rows left out, worst first" \
  || not_ok "worst decode rows left out" "n=$n $(cat "$T/wd")"

# exit statuses and messages
$R --print -m llama-9b > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--model: unknown model 'llama-9b'; did you mean" "$T/e" && ok "unknown id: exit 1 with suggestions" \
  || not_ok "unknown id" "rc=$rc $(cat "$T/e")"
$R --print -g h100 > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q "h100-sxm" "$T/e" && ok "unknown gpu suggests h100-sxm" || not_ok "unknown gpu" "rc=$rc $(cat "$T/e")"
$R --print --batch 12abc > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--batch: invalid value '12abc'" "$T/e" && ok "strict numbers name the option" \
  || not_ok "strict numbers" "rc=$rc $(cat "$T/e")"
$R --print --prompt -5 > /dev/null 2>&1; [ $? = 1 ] && ok "negative prompt: exit 1" || not_ok "negative prompt"
$R --bogus > /dev/null 2>&1; [ $? = 2 ] && ok "unknown option: exit 2" || not_ok "unknown option"
$R --print --batch > /dev/null 2>&1; [ $? = 2 ] && ok "missing value: exit 2" || not_ok "missing value"
printf 'format_version = 1;\nscenario = {\n  batch = "lots";\n};\n' > "$T/bad.cfg"
$R --print -s "$T/bad.cfg" > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q "bad.cfg:3: batch" "$T/e" && ok "bad session names file:line: field" || not_ok "bad session" "rc=$rc $(cat "$T/e")"
$R --print -m "$T/missing.json" > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q "missing.json" "$T/e" && ok "missing config.json names the file" || not_ok "missing config" "$(cat "$T/e")"

# prefix cache and speculative decoding
$R --print -p 8k --cached-prefix 9k > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q "cached prefix" "$T/e" && ok "cached prefix beyond the prompt: exit 1" || not_ok "cached prefix" "$(cat "$T/e")"
v=$($R --print -m llama-3.1-70b -n 2 --draft llama-3.1-8b --spec-tokens 4 --spec-accept 0.8 --format csv | csvcol speculative.tokens_per_step)
near "$v" 3.3616 1e-6 && ok "speculative decoding: 3.36 tokens per step" || not_ok "speculative decoding" "got $v"
# an EAGLE-3 head from the catalog at its published acceptance, 0.651: (1 - 0.651^5) / 0.349 = 2.5303
v=$($R --print -m llama-3.1-8b --draft eagle3-llama3.1-8b --format csv | csvcol speculative.tokens_per_step)
near "$v" 2.5303 1e-4 && ok "EAGLE-3 head: 2.53 tokens per step at a = 0.651" || not_ok "eagle3 draft" "got $v"
$R --print -m qwen3-8b --draft eagle3-llama3.1-8b > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--draft eagle3-llama3.1-8b: an EAGLE-3 head for a model of hidden size 4096 and 128256 tokens" "$T/e" \
  && ok "an EAGLE-3 head for another vocabulary: exit 1" || not_ok "eagle3 mismatch" "rc=$rc $(cat "$T/e")"
# a draft as its config.json says: SpecForge's published head for Llama 3.3 70B (2 x 1,403,027,456 B
# at bf16, worked in test_models); a file that is not there names --draft, exit 1
v=$($R --print -m llama-3.3-70b -g h200 -n 2 -w bf16 --draft "$srcdir/tests/data/configs/eagle3-llama3.3-70b.json" --format csv | csvcol memory.weights_bytes)
w=$($R --print -m llama-3.3-70b -g h200 -n 2 -w bf16 --format csv | csvcol memory.weights_bytes)
near "$(awk -v a="$v" -v b="$w" 'BEGIN { printf "%.12g", a - b }')" 2806054912 1e-9 && ok "--draft config.json: the EAGLE-3 head's 2.81 GB" \
  || not_ok "draft file" "$v - $w"
$R --print --draft "$T/no-such-draft.json" > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--draft: .*no-such-draft.json" "$T/e" && ok "a draft file that is not there: exit 1, named" || not_ok "draft missing" "rc=$rc $(cat "$T/e")"
$R --list-models --format json | tr -d ' \n' | grep -q '"id":"eagle3-llama3.1-8b",[^}]*"draft_head":true' \
  && ok "--list-models marks the EAGLE-3 heads" || not_ok "draft_head" "$($R --list-models --format json | grep -c draft_head)"

# partial offload: the harmonic mix of device and host bandwidth
v=$($R --print -m llama-3-70b -g rtx-4090 -w q4_k_m -e llama.cpp --gpu-layers 37 --format csv | csvcol memory.host_bytes)
near "$v" 22.5e9 0.01 && ok "offloaded layers live in host memory" || not_ok "offload" "got $v"
# more GPU layers than the model has: all of them, as llama.cpp reads -ngl 99, and said (issue 23)
$R --print -m llama-3-70b --gpu-layers 99 > "$T/e" 2>&1; rc=$?
[ $rc = 0 ] && grep -q "gpu-layers 99: the model has 80 layers, all of them on the device" "$T/e" \
  && grep -q "(80 of 80 layers on the device)" "$T/e" && ok "--gpu-layers 99 on 80 layers: all, with a note" \
  || not_ok "gpu layers clamp" "rc=$rc $(grep -i layers "$T/e")"
# MoE expert offload: Qwen3-30B-A3B q8_0, 20 layers x 8 active experts x 5,013,504 bytes from RAM per step
v=$($R --print -m qwen3-30b-a3b -g rtx-4090 -w q8_0 -e llama.cpp --n-cpu-moe 20 -b 1 --format csv | csvcol decode.host_bytes_per_step)
near "$v" 802160640 1e-9 && ok "--n-cpu-moe: decode bytes from RAM" || not_ok "--n-cpu-moe bytes" "got $v"
$R --print -m gpt-oss-120b -g rtx-4090 -w mxfp4 -e llama.cpp --n-cpu-moe 24 --launch | grep -q -- "--n-cpu-moe 24" \
  && ok "--n-cpu-moe in the llama-server line" || not_ok "--n-cpu-moe launch"
$R --print -m qwen3-30b-a3b -e vllm --n-cpu-moe 4 > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--n-cpu-moe" "$T/e" && ok "--n-cpu-moe outside llama.cpp: exit 1" || not_ok "--n-cpu-moe engine" "$(cat "$T/e")"
# Mixed devices: llama.cpp's layer split.  24 GB + 12 GB: split point 2/3 of 33 places (32 layers and
# the output): layers 0..21 on the 4090, 22..31 and the output on the 3060 (tests/test_mixed.c).
$R --print -m llama-3.1-8b -g rtx-4090:1,rtx-3060:1 -e llama.cpp --format json > "$T/j"
grep -q '"layers": "22,10"' "$T/j" && grep -q '"gpu": "rtx-4090:1,rtx-3060:1"' "$T/j" && grep -q '"devices": 2,' "$T/j" && grep -q '"devices": \[' "$T/j" \
  && [ "$(grep -c '"layers": 22,' "$T/j")" = 1 ] && [ "$(grep -c '"output_layer": true' "$T/j")" = 1 ] \
  && ok "--gpu list: split.devices, layers per device" || not_ok "--gpu list JSON" "$(head -c 300 "$T/j")"
$R --print -m llama-3.1-8b -g rtx-3090:2 --tensor-split 3,1 -e llama.cpp | grep -q "25 layers" \
  && ok "--tensor-split 3,1: 25 layers on the first (the output layer counted last)" || not_ok "--tensor-split 3,1"
for bad in "rtx-4090:1,nope:1" "rtx-4090:0,rtx-3090:1" "rtx-4090:1,rtx-3090:x"; do
  $R --print -g "$bad" > /dev/null 2> "$T/e"; rc=$?
  [ $rc = 1 ] && grep -q -- "--gpu" "$T/e" && ok "--gpu $bad: exit 1 naming --gpu" || not_ok "--gpu $bad" "$rc $(cat "$T/e")"
done
$R --print -g rtx-4090:1,rtx-3090:2 --tensor-split 1,1 > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--tensor-split: 2 weights for 3 devices" "$T/e" && ok "--tensor-split count: exit 1" \
  || not_ok "--tensor-split count" "$rc $(cat "$T/e")"
# a session keeps the list and its weights: 2,1,1 -> split points 0.5, 0.75, 1 -> 17, 8, 7 layers
$R --print -m llama-3.1-8b -g rtx-4090:1,rtx-3090:2 --tensor-split 2,1,1 -e llama.cpp --save-session "$T/mix.cfg" > /dev/null
$R --print -s "$T/mix.cfg" --format json | grep -q '"layers": "17,8,7"' && ok "a session saves and loads a device list" \
  || not_ok "device list session" "$(cat "$T/mix.cfg")"
# an eGPU behind Thunderbolt 4: the session keeps ID@LINK, an unknown link is refused by name
$R --print -m llama-3.1-8b -g rtx-4090:1,rtx-3090@tb4:1 -e llama.cpp --save-session "$T/egpu.cfg" > /dev/null
$R --print -s "$T/egpu.cfg" | grep -q "GeForce RTX 3090 24GB over Thunderbolt 4" && grep -q 'rtx-3090@tb4:1' "$T/egpu.cfg" \
  && ok "an eGPU in a device list: named, kept by a session" || not_ok "egpu session" "$(cat "$T/egpu.cfg")"
$R --print -g rtx-4090:1,rtx-3090@tb9:1 > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--gpu: unknown link '@tb9'" "$T/e" && ok "--gpu ID@tb9: exit 1, the link named" \
  || not_ok "unknown link" "$rc $(cat "$T/e")"
$R --print -g rtx-4090:1,rtx-3090:1 --sweep tensor-split=1,2 > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--tensor-split is not swept" "$T/e" && ok "--sweep tensor-split: refused, named" \
  || not_ok "sweep tensor-split" "$rc $(cat "$T/e")"
[ "$($R --print -g rtx-4090:1,rtx-3090:1 -m llama-3.1-8b -e llama.cpp --sweep batch=1:4:x2 --format csv | wc -l)" = 4 ] \
  && ok "a sweep over a device list" || not_ok "sweep with a device list"
$R --print -m llama-3.1-8b -g rtx-4090:1,rtx-3090:1 --tensor-split 3,1 -e llama.cpp --launch | grep -q -- "--split-mode layer --tensor-split 3,1" \
  && ok "--launch: llama-server's --tensor-split" || not_ok "launch tensor split"
# under a rate the estimate serves with the engine's sequence limit: llama.cpp's 4 slots
# (presets/engines.cfg max_seqs = 4, llama-server's -np auto), or a batch above 1; the launch line
# starts those slots, with a device list as without: -np 4 -c 4 x (1024 + 256) = 5120; -b 8: -np 8 -c 10240
for g in rtx-4090 rtx-4090:1,rtx-3090:1; do
  l4=$($R --print -m llama-3.1-8b -g $g -w q4_k_m -e llama.cpp --rate 2 --launch | grep llama-server)
  l8=$($R --print -m llama-3.1-8b -g $g -w q4_k_m -e llama.cpp --rate 2 -b 8 --launch | grep llama-server)
  l1=$($R --print -m llama-3.1-8b -g $g -w q4_k_m -e llama.cpp --launch | grep llama-server)
  echo "$l4" | grep -q -- " -c 5120 -np 4 " && echo "$l8" | grep -q -- " -c 10240 -np 8 " && echo "$l1" | grep -q -- " -c 1280 -np 1 " \
    && ok "--launch under a rate starts the slots the estimate serves with ($g)" || not_ok "launch slots $g" "$l4 / $l8 / $l1"
done
# --rank ranks on the list: Llama 3.1 70B at q4_k_m is about 70.6 B x 4.8 bits / 8 = 42 GB of
# weights: more than a 4090 + 3060's 24 + 12 GB, less than a 4090 + 3090's 24 + 24 GB
r1=$($R --print --rank -g rtx-4090:1,rtx-3060:1 -e llama.cpp | awk '$1 == "llama-3.1-70b" && $2 == "q4_k_m" { print $3 }')
r2=$($R --print --rank -g rtx-4090:1,rtx-3090:1 -e llama.cpp | awk '$1 == "llama-3.1-70b" && $2 == "q4_k_m" { print $3 }')
[ "$r1" = NO ] && [ "$r2" = yes ] && ok "--rank on a device list ranks the list's devices" || not_ok "rank list" "$r1 / $r2"

# sessions from the command line
check "save a session" $R -m mixtral-8x7b -g a100-sxm-80g -n 2 -w fp16 -b 16 --save-session "$T/mix.cfg"
v=$($R --print -s "$T/mix.cfg" --format csv | csvcol batch)
[ "$v" = 16 ] && ok "session loads back" || not_ok "session loads back" "got $v"
v=$($R --print -s "$T/mix.cfg" -b 3 --format csv | csvcol batch)
[ "$v" = 3 ] && ok "options override the session" || not_ok "options override" "got $v"

# a custom device from --bandwidth/--memory with no --gpu
v=$($R --print -m llama-3.1-8b -w q4_k_m -e ideal --bandwidth 100 --memory 16 --tflops 10 --format csv | csvcol gpu)
[ "$v" = custom ] && ok "custom device" || not_ok "custom device" "got $v"

# lists
n=$($R --list-gpus --format csv | wc -l)
[ "$n" -ge 51 ] && ok "list-gpus csv" || not_ok "list-gpus csv" "got $n"
# the table's MEMORY column holds the memory, not the FP8 rate (H100 SXM: 80 GB, 1979 FP8 TFLOPS)
v=$($R --list-gpus | awk '$1 == "h100-sxm"')
case "$v" in *"80.0 GB"*"3350 GB/s"*"989.0"*"1979"*) ok "list-gpus memory column";;
  *) not_ok "list-gpus memory column" "got $v";; esac
# a bf16-only device shows its 16-bit rate: TPU v5e, 197 bf16 TFLOPS (Google's v5e page), no FP16 ("-")
v=$($R --list-gpus | awk '$1 == "tpu-v5e"')
case "$v" in *" - "*"197 "*) ok "list-gpus: TPU v5e's bf16 rate in its own column";;
  *) not_ok "list-gpus bf16 column" "got $v";; esac
# FP4: NVFP4 weights run at B200's dense FP4 peak (9 PFLOPS), at the 16-bit rate on H100 (989)
v=$($R --print -m llama-3-8b -g b200 -w nvfp4 --format csv | csvcol peak_flops)
near "$v" 9e15 1e-9 && ok "nvfp4 computes in FP4 on B200" || not_ok "nvfp4 computes in FP4 on B200" "got $v"
v=$($R --print -m llama-3-8b -g h100-sxm -w nvfp4 --format csv | csvcol peak_flops)
near "$v" 989e12 1e-9 && ok "nvfp4 falls back to 16-bit on H100" || not_ok "nvfp4 falls back to 16-bit on H100" "got $v"
# Unified memory: Llama 3.1 70B at Q6_K (70.6 B x 6.5633 / 8 = 57.9 GB) fits a 64 GB M1 Max but
# not the 75% (48 GB) Metal lets the GPU keep resident: loads but pages, memory.fits stays true
$R --print -m llama-3.1-70b -g m1-max -w q6_k -e llama.cpp --format json > "$T/p"
grep -q '"fits": true' "$T/p" && grep -q 'loads but pages' "$T/p" && grep -q '"usable_per_device_bytes": 48000000000' "$T/p" \
  && ok "unified memory: loads but pages" || not_ok "unified memory: loads but pages"
$R --print -m llama-3.1-70b -g m1-max -w q6_k -e llama.cpp | grep -q 'LOADS BUT PAGES' \
  && ok "table says LOADS BUT PAGES" || not_ok "table says LOADS BUT PAGES"
for id in llama-3.1-405b qwen3-235b-a22b gpt-j-6b; do
  $R --list-models | grep -q "^$id " || not_ok "list-models has $id"
done; ok "list-models table"
$R --list-engines --format json | grep -q '"id": "llama.cpp"' && ok "list-engines json" || not_ok "list-engines json"
# the table's MAX SEQ is vLLM's base cap (256); on a device of 70 GiB or more but not an A100 its
# scheduler defaults are 1024 sequences and 8192 tokens (presets/engines.cfg): the table says so
# below, and the serving run on an H100 (80 GB) holds to 1024, on an A100 80GB to 256
$R --list-engines > "$T/lt"
grep -q "^vllm: on a device of 70 GiB or more (but not an id with 'a100'): MAX SEQ 1024, TOKENS 8192$" "$T/lt" \
  && $R --print -g h100-sxm --rate 2 | grep -q "at most 1024 sequences" \
  && $R --print -g a100-sxm-80g --rate 2 | grep -q "at most 256 sequences" \
  && ok "--list-engines states vLLM's caps on large devices (1024 / 8192), as a run on an H100 uses" \
  || not_ok "--list-engines large-device caps" "$(tail -3 "$T/lt")"

# --calibrate: the recorded llama-bench markdown (llama.cpp's README, an RTX 3090 Ti:
# 1008 GB/s), saved as local-llama.cpp in $XDG_CONFIG_HOME/rooftop/calibrated-engines.cfg, then usable
# (tests/calibrate.sh tests every format, every option and the saved file)
$R --calibrate "$srcdir/tests/data/calibrate/llama-bench.md" --gpu rtx-3090 --bandwidth 1008 > "$T/cal" \
  && grep -q 'saved engine "local-llama.cpp"' "$T/cal" && [ -f "$T/config/rooftop/calibrated-engines.cfg" ] \
  && ok "--calibrate saves a local profile" || not_ok "--calibrate saves a local profile" "$(cat "$T/cal")"
v=$($R --print -m llama-2-7b -g rtx-3090 --bandwidth 1008 -w q4_0 -e local-llama.cpp -b 1 -p 0 -o 128 --format csv \
  | csvcol decode.tokens_per_s_per_sequence)
near "$v" 131.42 0.001 && ok "the calibrated profile reproduces the run (131.42 tok/s)" \
  || not_ok "the calibrated profile reproduces the run" "got $v"
# the profiles' file is rewritten atomically, keeping its mode
chmod 0644 "$XDG_CONFIG_HOME/rooftop/calibrated-engines.cfg"
$R --calibrate "$srcdir/tests/data/calibrate/llama-bench.md" --gpu rtx-3090 --bandwidth 1008 > /dev/null 2>&1
m=$(stat -c %a "$XDG_CONFIG_HOME/rooftop/calibrated-engines.cfg"); left=$(ls "$XDG_CONFIG_HOME/rooftop" | grep -c tmp)
[ "$m" = 644 ] && [ "$left" = 0 ] && ok "--calibrate keeps the file's mode, leaves no temporary" || not_ok "calibrate save" "mode $m, $left temporaries"
$R --calibrate "$srcdir/tests/data/calibrate/vllm-serving.json" > "$T/cal" 2>&1; rc=$?
[ $rc = 1 ] && grep -q "device not known" "$T/cal" && ok "--calibrate without a known device fails" \
  || not_ok "--calibrate without a known device fails" "rc=$rc $(cat "$T/cal")"
rm -rf "$T/config"

# serving under load (--rate), expert parallel, cost, APIs and the SLA solver
$R --print -m llama-3.1-8b --rate 8 --requests 2000 --format json > "$T/sv"
for k in rate_rps requests ttft_mean_s ttft_p50_s ttft_p99_s itl_mean_s e2e_mean_s output_tok_s total_tok_s \
         mean_running max_running capacity_rps stable; do
  grep -q "\"$k\":" "$T/sv" || not_ok "serving.$k in the JSON"
done; ok "--rate: the serving object has every contract key"
grep -q '"stable": true' "$T/sv" && ok "8 requests/s is stable on one H100" || not_ok "stable at 8 req/s"
# Little's law: sequences running = rate x time in the system (queue ~ 0 below capacity)
$R --print -m llama-3.1-8b --rate 8 --requests 2000 --format csv > "$T/svc"
near "$(csvcol serving.mean_running < "$T/svc")" "$(awk -v e="$(csvcol serving.e2e_mean_s < "$T/svc")" 'BEGIN { printf "%.9g", 8 * e }')" 0.05 \
  && ok "Little's law through --print" || not_ok "Little's law" "$(csvcol serving.mean_running < "$T/svc")"
# each figure in its own unit: sequences running are sequences, not a factor ("33.06 x" before), a
# perplexity difference is perplexity, a share of time is a percentage (--utilization 0.25: 25%)
x=$($R --print -m llama-3.1-8b --rate 8 --requests 2000 --explain serving.mean_running | head -1)
j=$($R --print -m llama-3.1-8b --rate 8 --requests 2000 --explain serving.mean_running --format json | grep '"unit"' | head -1)
case $x in "serving.mean_running = "*" sequences)") ;; *) x="" ;; esac
[ -n "$x" ] && echo "$j" | grep -q '"unit": "sequences"' \
  && [ "$($R --print -m llama-3.1-8b -w q4_k_m --explain weights_ppl_delta | head -1)" = "weights_ppl_delta = 0.18  (0.1754 perplexity)" ] \
  && [ "$($R --print -m llama-3.1-8b --price-hour 2 --utilization 0.25 --explain cost.utilization | head -1)" = "cost.utilization = 25%  (0.25 fraction of time)" ] \
  && ok "--explain: sequences running in sequences, perplexity in perplexity, utilisation in percent" \
  || not_ok "explain units" "$x / $j"
$R --print --format json > "$T/ns"; rc=$?
[ $rc = 0 ] && grep -q '"fits"' "$T/ns" && ! grep -q '"serving"' "$T/ns" && ok "no serving object without --rate" \
  || not_ok "no serving object without --rate" "rc=$rc"
v=$($R --print -m llama-3.1-8b --rate inf --requests 500 --format csv | csvcol serving.stable)
[ "$v" = false ] && ok "--rate inf is not a stable rate" || not_ok "--rate inf" "got $v"
# cost: one H100 at $2/h; per_month = 730.5 x 2 at a rate one device sustains
v=$($R --print -m llama-3.1-8b --price-hour 2 --rate 1 --requests 500 --format csv | csvcol cost.per_month_usd)
near "$v" 1461 1e-9 && ok "cost per month at a rate" || not_ok "cost per month" "got $v"
# owned: $30,000 over 3 years of 8766 h, free electricity: $1.1408/h
v=$($R --print -m llama-3.1-8b --purchase-usd 30000 --lifetime-years 3 --format csv | csvcol cost.per_hour_usd)
near "$v" 1.140771 1e-5 && ok "owned: purchase written off per hour" || not_ok "owned per hour" "got $v"
v=$($R --print -m llama-3.1-8b --price-hour 2 --rate 1 --requests 500 --api gpt-4-turbo --format csv | csvcol cost.breakeven_rps)
# 1024 + 256 tokens at $10 / $30 per million = $0.01792 a request: 2 / (3600 x 0.01792)
near "$v" 0.0310020 1e-5 && ok "break-even against GPT-4 Turbo" || not_ok "break-even" "got $v"
# --weights native (the default): gpt-oss-120b ships in MXFP4 and fits one 80 GB H100 (by hand
# 65,190,340,224 B of weights, attention and router bf16: see test_core native::); the JSON names
# the format used, never "native"
$R --print -m gpt-oss-120b -g h100-sxm --format csv > "$T/nat"
[ "$(csvcol weights < "$T/nat")" = mxfp4 ] && [ "$(csvcol weights_native < "$T/nat")" = true ] && [ "$(csvcol memory.fits < "$T/nat")" = true ] \
  && ok "gpt-oss-120b fits one H100 as shipped (mxfp4)" || not_ok "native gpt-oss" "$(cat "$T/nat")"
$R --list-models --format json | tr -d ' \n' | grep -q '"id":"deepseek-r1",[^}]*"native_weights":"fp8"' \
  && ok "--list-models: DeepSeek-R1 ships in fp8" || not_ok "native_weights" "$($R --list-models --format json | grep -c native_weights)"
$R --print -m gpt-oss-120b -g h100-sxm | head -1 | grep -q "weights mxfp4 (native; attention bf16, router/dense bf16)" \
  && ok "--print says the format is native, and which tensor classes stay bf16" \
  || not_ok "native in the table" "$($R --print -m gpt-oss-120b -g h100-sxm | head -1)"
# --attn-weights: DeepSeek-R1 at nvfp4 with its MLA projections in bf16, as NVIDIA ships its FP4
# checkpoint.  By hand (test_core attn_weights::): 61 layers x 187,107,328 attention weights =
# 11,413,547,008, at 16 rather than 4.5 bits: 16,406,973,824 B more; the JSON names the format
a=$($R --print -m deepseek-r1 -g b200 -n 8 -w nvfp4 --format csv | csvcol memory.weights_bytes)
$R --print -m deepseek-r1 -g b200 -n 8 -w nvfp4 --attn-weights bf16 --format csv > "$T/aw"
b=$(csvcol memory.weights_bytes < "$T/aw")
[ "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.0f", b - a }')" = 16406973824 ] && [ "$(csvcol attn_weights < "$T/aw")" = bf16 ] \
  && [ "$(csvcol weights < "$T/aw")" = nvfp4 ] && ok "--attn-weights bf16: DeepSeek-R1's attention at 16 bits beside nvfp4" \
  || not_ok "--attn-weights bytes" "$a $b $(csvcol attn_weights < "$T/aw")"
$R --print -m deepseek-r1 -g b200 -n 8 -w nvfp4 --attn-weights bf16 | head -1 | grep -q "weights nvfp4 (attention bf16), KV" \
  && ok "--print names the attention format beside the weights'" || not_ok "attn in the table" "$($R --print -m deepseek-r1 -g b200 -n 8 -w nvfp4 --attn-weights bf16 | head -1)"
# the catalog's NVIDIA FP4 checkpoint ships that way: --weights native, attention bf16, the same bytes
$R --print -m deepseek-r1-fp4 -g b200 -n 8 --format csv > "$T/aw4"
[ "$(csvcol weights < "$T/aw4")" = nvfp4 ] && [ "$(csvcol attn_weights < "$T/aw4")" = bf16 ] \
  && [ "$(csvcol memory.weights_bytes < "$T/aw4")" = "$b" ] && ok "deepseek-r1-fp4 ships nvfp4 with bf16 attention" \
  || not_ok "deepseek-r1-fp4 native" "$(csvcol weights < "$T/aw4") $(csvcol attn_weights < "$T/aw4") $(csvcol memory.weights_bytes < "$T/aw4") $b"
$R --print -m deepseek-r1-fp4 -g b200 -n 8 --compare default | grep -q "^B: deepseek-r1-fp4 on 8 x b200, nvfp4 (attention bf16), batch 1," \
  && ok "--compare names the attention format beside the weights'" || not_ok "compare attn" "$($R --print -m deepseek-r1-fp4 -g b200 -n 8 --compare default | head -2)"
# gpt-oss: auto keeps its checkpoint's bf16 attention under --weights native; native keeps it under mxfp4
v=$($R --print -m gpt-oss-20b --format csv | csvcol attn_weights); w=$($R --print -m gpt-oss-20b -w mxfp4 --format csv | csvcol attn_weights)
x=$($R --print -m gpt-oss-20b -w mxfp4 --attn-weights native --format csv | csvcol attn_weights)
[ "$v $w $x" = "bf16 mxfp4 bf16" ] && ok "--attn-weights auto and native on gpt-oss" || not_ok "gpt-oss attention" "$v $w $x"
# a sweep varies it, a session keeps it, a bad one is named
$R --print -m deepseek-r1 -g b200 -n 8 -w nvfp4 --sweep attn-weights=nvfp4,bf16 --format csv > "$T/aws"
[ "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "attn_weights") c = i; next } { printf "%s ", $c }' "$T/aws")" = "nvfp4 bf16 " ] && ok "--sweep attn-weights=nvfp4,bf16" \
  || not_ok "--sweep attn-weights" "$(cat "$T/aws" | cut -c1-200)"
printf 'format_version = 1;\nscenario = { model = "deepseek-r1"; gpu = "b200"; devices = 8L; weights = "nvfp4"; attn_weights = "bf16"; };\n' > "$T/aw.cfg"
[ "$($R --print -s "$T/aw.cfg" --format csv | csvcol memory.weights_bytes)" = "$b" ] \
  && ok "a session's attn_weights is read" || not_ok "session attn_weights" "$($R --print -s "$T/aw.cfg" --format csv 2>&1 | head -3)"
$R --print -m deepseek-r1 --attn-weights fp9 > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--attn-weights: unknown format 'fp9'; did you mean: fp8" "$T/e" && ok "--attn-weights names a bad format" \
  || not_ok "--attn-weights bad" "$rc $(cat "$T/e")"
# a setup that does not fit serves nothing: no cost per million tokens (70B bf16 = 141 GB on one 80 GB H100)
$R --print -m llama-3.1-70b -g h100-sxm -w bf16 > "$T/nf"
grep -q "DOES NOT FIT" "$T/nf" && ! grep -Eq "per million|per request" "$T/nf" \
  && ok "no cost per million tokens for a scenario that does not fit" || not_ok "cost of a non-fit" "$(cat "$T/nf")"
# ... nor in JSON and CSV (JSON printed cost_per_million_tokens_usd 41.8 and a per-request cost beside
# "fits": false): the hourly price stays, what it would earn per token does not: the cost object's
# contract keys are null, the other per-token figures left out, and CSV has empty cells (it wrote 0
# for a figure with no value)
$R --print -m llama-3.1-70b -g h100-sxm -w bf16 --format json > "$T/nfj"
c=$($R --print -m llama-3.1-70b -g h100-sxm -w bf16 --format csv | csvcol cost.per_mtok_output_usd)
grep -q '"fits": false' "$T/nfj" && grep -q '"per_hour_usd"' "$T/nfj" \
  && grep -q '"per_mtok_output_usd": null' "$T/nfj" && grep -q '"per_request_usd": null' "$T/nfj" \
  && ! grep -Eq '"cost_per_million_tokens_usd"|"energy_per_mtok_kwh"' "$T/nfj" \
  && [ -z "$c" ] && ok "no per-token or per-request cost in JSON or CSV for a setup that does not fit" \
  || not_ok "JSON/CSV cost of a non-fit" "csv '$c'" "$(grep -A8 '"cost"' "$T/nfj")"
# one figure once: the Cost section says the rented cost per million output tokens one time
n=$($R --print -m llama-3.1-8b -g h100-sxm | grep -c "per million output tokens")
[ "$n" = 2 ] && ok "cost and energy per million output tokens, each once" || not_ok "Cost section repeats" "$n lines"
# an API request's cost by hand: 8,000 tokens in and 10 out at GPT-4o's $2.50 / $10 per million =
# 8000 x 2.5e-6 + 10 x 1e-5 = $0.0201; its published latency rides along (apis.cfg)
$R --print --api gpt-4o -p 8000 -o 10 --format csv > "$T/api"
near "$(csvcol cost.api_per_request_usd < "$T/api")" 0.0201 1e-9 && near "$(csvcol cost.api_ttft_s < "$T/api")" 0.679 1e-9 \
  && near "$(csvcol cost.api_output_tok_s < "$T/api")" 45 1e-9 && ok "API request cost (8000 in, 10 out) and latency" \
  || not_ok "API request" "$(cat "$T/api")"
# ... and one request's time at those medians: 0.679 s to the first token + 10 / 45 tok/s = 0.90122 s
near "$(csvcol cost.api_request_s < "$T/api")" 0.901222222 1e-6 && ok "API time per request: TTFT + output / speed" \
  || not_ok "API request time" "$(cat "$T/api")"
# hosted open weights beside the closed APIs: DeepSeek-V3.1 on DeepSeek's API from 2025-09-05,
# $0.56 / $1.68 per million: 8000 x 0.56e-6 + 1000 x 1.68e-6 = 0.00448 + 0.00168 = $0.00616; no
# latency published: its figures read 0 and the table says so
$R --print -m deepseek-v3.1 -g h200 -n 8 --api deepseek-v3.1 -p 8000 -o 1000 --format json > "$T/dsapi"
tr -d ' \n' < "$T/dsapi" | grep -q '"api_per_request_usd":0.00616' && tr -d ' \n' < "$T/dsapi" | grep -q '"api_ttft_s":0,' \
  && ok "DeepSeek-V3.1 API request: \$0.00616 for 8000 in, 1000 out, no latency published" || not_ok "deepseek api" "$(grep api_ "$T/dsapi")"
# at $0.00616 a request the 8 x H200 setup never breaks even: said, not printed as -9.2e18 req/s
$R --print -m deepseek-v3.1 -g h200 -n 8 --api deepseek-v3.1 -p 8000 -o 1000 | grep -q "break-even vs API *never, within one setup's capacity" \
  && ok "a break-even rate that never comes is said in words" || not_ok "break-even never" "$($R --print -m deepseek-v3.1 -g h200 -n 8 --api deepseek-v3.1 -p 8000 -o 1000 | grep break-even)"
$R --list-apis --format json | tr -d ' \n' | grep -q '"id":"gpt-oss-120b-groq",[^}]*"input_usd_per_mtok":0.15,"output_usd_per_mtok":0.6' \
  && ok "--list-apis: gpt-oss-120b on Groq at \$0.15 / \$0.60" || not_ok "groq api" "$($R --list-apis | grep groq)"
# Llama 3.3 70B on Groq (April 2026): $0.59 / $0.79 per million: 8000 x 0.59e-6 + 1000 x 0.79e-6 =
# 0.00472 + 0.00079 = $0.00551; TokenMix's April 2026 medians, 0.12 s TTFT and 330 tok/s: one
# request takes 0.12 + 1000 / 330 = 3.150303 s
$R --print -m llama-3.3-70b -g h100-sxm -n 2 --api llama-3.3-70b-groq -p 8000 -o 1000 --format csv > "$T/groqllama"
near "$(csvcol cost.api_per_request_usd < "$T/groqllama")" 0.00551 1e-9 && near "$(csvcol cost.api_ttft_s < "$T/groqllama")" 0.12 1e-9 \
  && near "$(csvcol cost.api_request_s < "$T/groqllama")" 3.150303 1e-6 \
  && ok "Llama 3.3 70B on Groq: \$0.00551 and 3.15 s for 8000 in, 1000 out" || not_ok "groq llama" "$(cat "$T/groqllama")"
# Qwen3-32B on Groq (June 2026): $0.29 / $0.59 per million: 8000 x 0.29e-6 + 1000 x 0.59e-6 =
# 0.00232 + 0.00059 = $0.00291; Groq lists 400 tok/s and no TTFT: 1000 / 400 = 2.5 s of output,
# said to leave the first token out
$R --print -m qwen3-32b -g h100-sxm --api qwen3-32b-groq -p 8000 -o 1000 --format csv > "$T/groqqwen"
near "$(csvcol cost.api_per_request_usd < "$T/groqqwen")" 0.00291 1e-9 && near "$(csvcol cost.api_request_s < "$T/groqqwen")" 2.5 1e-9 \
  && [ "$(csvcol cost.api_ttft_s < "$T/groqqwen")" = 0 ] \
  && $R --print -m qwen3-32b -g h100-sxm --api qwen3-32b-groq -p 8000 -o 1000 | grep -q "API time per request *2.50 s *(output only: no TTFT published)" \
  && ok "Qwen3-32B on Groq: \$0.00291 and 2.5 s of output for 8000 in, 1000 out" || not_ok "groq qwen" "$(cat "$T/groqqwen")"
# Qwen3-235B-A22B-2507 on Together (2026-01-27): $0.20 / $0.60: 8000 x 0.2e-6 + 1000 x 0.6e-6 =
# 0.0016 + 0.0006 = $0.0022; no latency published, and no request time made up
$R --print -m qwen3-235b-a22b-2507 -g h200 -n 8 --api qwen3-235b-2507-together -p 8000 -o 1000 > "$T/tgqwen"
grep -q 'API per request *\$0.00220 (no latency published for this API)' "$T/tgqwen" && ! grep -q "API time per request" "$T/tgqwen" \
  && ok "Qwen3-235B on Together: \$0.0022 for 8000 in, 1000 out, no latency published" || not_ok "together qwen" "$(grep API "$T/tgqwen")"
# gpt-oss-120b on Cerebras: $0.35 / $0.75: 8000 x 0.35e-6 + 1000 x 0.75e-6 = 0.0028 + 0.00075 =
# $0.00355; ~3000 tok/s and no TTFT published: 1000 / 3000 = 0.3333 s of output
$R --print -m gpt-oss-120b -g h100-sxm --api gpt-oss-120b-cerebras -p 8000 -o 1000 --format csv > "$T/cbapi"
near "$(csvcol cost.api_per_request_usd < "$T/cbapi")" 0.00355 1e-9 && near "$(csvcol cost.api_request_s < "$T/cbapi")" 0.333333333 1e-6 \
  && ok "gpt-oss-120b on Cerebras: \$0.00355 and 0.33 s of output for 8000 in, 1000 out" || not_ok "cerebras gpt-oss" "$(cat "$T/cbapi")"
# the API list has hosted open weights of each family beside the closed APIs, each with its own date
$R --list-apis --format json | tr -d ' \n' > "$T/apis.json"
for id in qwen3-32b-groq qwen3-235b-2507-together qwen3-235b-2507-bedrock qwen3-235b-alibaba llama-3.1-8b-groq \
          deepseek-v3.1-bedrock gpt-oss-120b-fireworks gpt-oss-120b-cerebras; do
  grep -q "\"id\":\"$id\",[^}]*\"date\":\"20[0-9-]*\",\"source\":\"[^\"]" "$T/apis.json" || echo "$id" >> "$T/apis.miss"
done
[ ! -s "$T/apis.miss" ] && ok "--list-apis: hosted Qwen, Llama, DeepSeek and gpt-oss offerings, each dated and sourced" \
  || not_ok "hosted open weights" "$(cat "$T/apis.miss")"
$R --print --api gpt-4 -p 8000 -o 500 | grep -q "longer than the compared API's context" \
  && ok "a request longer than the API's 8,192-token context is warned of" || not_ok "API context warning" ""
$R --print --api gpt-4 -p 7000 -o 500 | grep -q "longer than the compared API's context" \
  && not_ok "API context warning within the context" "" || ok "... and not within it (7,500 tokens)"
$R --list-apis --format json | tr -d ' \n' | grep -q '"id":"gpt-4o",[^}]*"context":128000,[^}]*"ttft_s":0.679,"output_tok_s":45,"latency_date":"2026-12-07"' \
  && ok "--list-apis JSON: context, ttft_s, output_tok_s and their date" || not_ok "--list-apis JSON latency" "$($R --list-apis --format json | head -c 600)"
# a format's quality cost next to its size: llama.cpp's quantize table gives Q4_K_M +0.1754
# perplexity over 16-bit on Llama-3-8B; FP8 has no published figure (null)
$R --list-formats --format json | tr -d ' \n' | grep -q '"id":"q4_k_m",[^}]*"ppl_delta":0.1754' \
  && $R --list-formats --format json | tr -d ' \n' | grep -q '"id":"fp8",[^}]*"ppl_delta":null' \
  && ok "--list-formats: ppl_delta 0.1754 for q4_k_m, null for fp8" || not_ok "ppl_delta" "$($R --list-formats --format json | head -c 400)"
v=$($R --print -w q4_k_m -e llama.cpp -g rtx-4090 --format csv | csvcol weights_ppl_delta)
near "$v" 0.1754 1e-9 && ok "--print: the weights' quality cost" || not_ok "weights_ppl_delta" "got $v"
$R --print --api nope > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q "unknown API offering 'nope'" "$T/e" && ok "--api: unknown id, exit 1" || not_ok "--api unknown" "$(cat "$T/e")"
$R --list-apis --format json > "$T/a"
grep -q '"id": "gpt-4"' "$T/a" && grep -q '"input_usd_per_mtok": 30' "$T/a" && grep -q '"date"' "$T/a" \
  && ok "--list-apis: GPT-4 at \$30 in, with dates" || not_ok "--list-apis"
# expert parallel: a MoE model on 4 devices; a dense model refuses it
check "--ep on a MoE model" $R --print -m mixtral-8x7b -n 4 --ep 4 --format json
# expert parallel runs attention data parallel on the same devices: each holds its own
# sequences' whole latent cache, so DeepSeek's one latent head is not replicated (it is at tp 8)
$R --print -m deepseek-r1 -g b200 -n 8 --ep 8 > "$T/ep" 2>&1
$R --print -m deepseek-r1 -g b200 -n 8 > "$T/tp" 2>&1
grep -q "expert parallel 8 (attention data parallel)" "$T/ep" && ! grep -q "KV cache replicated" "$T/ep" \
  && grep -q "KV cache replicated" "$T/tp" && ok "--ep 8: attention data parallel named, no KV replication warning" \
  || not_ok "--ep 8 header and warning" "$(head -3 "$T/ep")"
# the launch lines of expert parallel with attention data parallel, as each engine's documentation
# names the flags: vLLM's attention TP x DP with --enable-expert-parallel, SGLang's DP attention and
# EP size, TensorRT-LLM's --ep_size with a note for enable_attention_dp
$R --print --launch -m deepseek-r1 -g h200 -n 8 --ep 8 -e vllm > "$T/lv" 2>&1
$R --print --launch -m deepseek-r1 -g h200 -n 8 --ep 8 -e sglang > "$T/ls" 2>&1
$R --print --launch -m deepseek-r1 -g h200 -n 8 --ep 8 -e trtllm-pytorch > "$T/lt" 2>&1
grep -q -- "--tensor-parallel-size 1 --data-parallel-size 8 --enable-expert-parallel" "$T/lv" \
  && grep -q -- "--tp 8 --dp 8 --enable-dp-attention --ep-size 8" "$T/ls" \
  && grep -q -- "--ep_size 8" "$T/lt" && grep -q "enable_attention_dp: true" "$T/lt" \
  && ok "--launch with --ep 8: each engine's expert-parallel flags" \
  || not_ok "--launch --ep" "$(grep -h "serve\|launch_server" "$T/lv" "$T/ls" "$T/lt")"
$R --print -m llama-3.1-8b -n 2 --ep 2 > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q "mixture-of-experts" "$T/e" && ok "--ep on a dense model: exit 1" || not_ok "--ep dense" "$(cat "$T/e")"
# the solver: cheapest first, each with its binding constraint, within the targets
$R --print --solve -m llama-3.1-70b --rate 4 --ttft-max 1 --itl-max 0.05 --format csv > "$T/so"
awk -F, '{ sub(/\r$/, "") } NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { h = $c["cost.per_hour_usd"]; if (h + 0 < last) bad = 1; last = h + 0
    if ($c["serving.ttft_mean_s"] > 1 || $c["serving.itl_mean_s"] > 0.05 || $c["serving.stable"] != "true") bad = 1
    if ($c["binding"] !~ /^(ttft|itl|memory|rate)$/) bad = 1; n++ }
  END { exit bad || n == 0 }' "$T/so" && ok "--solve: sorted by cost, within the targets, binding named" \
  || not_ok "--solve" "$(head -c 300 "$T/so")"
v=$($R --print --solve -m llama-3.1-70b --rate 4 --ttft-max 1 --itl-max 0.05 -g h100-sxm --price-hour 0.5 --format csv \
    | csvcol gpu)
[ "$v" = h100-sxm ] && ok "--solve: --price-hour applies to --gpu's device" || not_ok "--solve price override" "got $v"
$R --print --solve > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--rate" "$T/e" && ok "--solve needs --rate" || not_ok "--solve without --rate" "$(cat "$T/e")"
# Know the machine: detection from fake tools and a fake /proc, never an error
mkdir -p "$T/bin" "$T/noproc"
printf '#!/bin/sh\nexec /bin/cat "%s/tests/data/machine/nvidia-smi-8gpu-units.txt"\n' "$srcdir" > "$T/bin/nvidia-smi"
chmod +x "$T/bin/nvidia-smi"
PATH="$T/bin" ROOFTOP_PROC="$srcdir/tests/data/machine/proc-epyc" $R --detect --format json > "$T/d"; rc=$?
[ $rc = 0 ] && grep -q '"id": "h100-sxm"' "$T/d" && grep -q '"count": 8' "$T/d" && grep -q '"source": "nvidia-smi"' "$T/d" \
  && grep -q '"id": "epyc-genoa"' "$T/d" && grep -q '"source": "proc"' "$T/d" \
  && ok "--detect: 8 x H100 via nvidia-smi, EPYC via /proc" || not_ok "--detect" "rc=$rc $(cat "$T/d")"
PATH="$T/noproc" ROOFTOP_PROC="$T/noproc" $R --detect > "$T/d" 2>&1; rc=$?
[ $rc = 0 ] && grep -q "no devices detected" "$T/d" && ok "--detect with nothing found: a note, exit 0" \
  || not_ok "--detect with nothing" "rc=$rc $(cat "$T/d")"
# what fits on an 8 GB card: llama-3.1-8b at 16 bits (16,060,522,496 B) only offloaded, at Q4_K_M whole
$R --print --rank -g rtx-3070 -e llama.cpp --format csv > "$T/r"; rc=$?
row=$(grep '^llama-3.1-8b,fp16,' "$T/r")
case $row in *",true,false,true,"*",16060522496,"*) ok "--rank: 16-bit 8B on 8 GB needs offload";;
  *) not_ok "--rank 16-bit 8B" "rc=$rc $row";; esac
row=$(grep '^llama-3.1-8b,q4_k_m,' "$T/r")
case $row in *",true,false,false,-1,"*) ok "--rank: Q4_K_M 8B fits an 8 GB card";; *) not_ok "--rank q4_k_m" "$row";; esac
$R --print --rank -g h100-sxm --sort speed --format json | grep -q '"decode_tokens_per_s"' \
  && ok "--rank --sort speed as JSON" || not_ok "--rank json"
$R --print --rank --sort fastest > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--sort: invalid value 'fastest'" "$T/e" && ok "--sort checks its value" || not_ok "--sort" "rc=$rc"
$R --rank > /dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "--rank needs --print" || not_ok "--rank needs --print" "rc=$rc"
$R --local > /dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "--local needs --list-models" || not_ok "--local needs --list-models" "rc=$rc"
# local models under the home folder
mkdir -p "$T/.cache/llama.cpp" && head -c 64 /dev/zero > "$T/.cache/llama.cpp/tiny-Q4_K_M.gguf"
v=$(LLAMA_CACHE= HF_HOME= HF_HUB_CACHE= OLLAMA_MODELS= XDG_CACHE_HOME= $R --list-models --local --format csv | tr -d "\r" | grep tiny-Q4_K_M)
case $v in "tiny-Q4_K_M.gguf,$T/.cache/llama.cpp/tiny-Q4_K_M.gguf,gguf,64,llama.cpp") ok "--list-models --local";;
  *) not_ok "--list-models --local" "got $v";; esac
# the walk stops at 10,000 models (LM_MODELS_MAX) and says so on stderr: 10,001 files, 10,000 rows
mkdir -p "$T/lim/.cache/llama.cpp" && (cd "$T/lim/.cache/llama.cpp" && seq 0 10000 | sed 's/^/m/; s/$/.gguf/' | xargs touch)
HOME="$T/lim" LLAMA_CACHE= HF_HOME= HF_HUB_CACHE= OLLAMA_MODELS= XDG_CACHE_HOME= $R --list-models --local --format csv \
  > "$T/lim.out" 2> "$T/lim.err"; rc=$?
rows=$(($(wc -l < "$T/lim.out") - 1))
[ $rc = 0 ] && [ $rows = 10000 ] && grep -q "^rooftop: --local: stopped at 10000 models; the list is not complete$" "$T/lim.err" \
  && ok "--list-models --local: the 10,000-model limit is said on stderr" || not_ok "--local limit" "rc=$rc rows=$rows $(cat "$T/lim.err")"
rm -rf "$T/lim" "$T/lim.out" "$T/lim.err"
# launch lines
v=$($R --print -m llama-3.1-70b -g h100-sxm -n 4 -w bf16 -e vllm -b 64 -p 2048 -o 512 --launch --format csv | csvcol launch)
[ "$v" = "vllm serve meta-llama/Llama-3.1-70B-Instruct --tensor-parallel-size 4 --max-model-len 2560 --max-num-seqs 64 --gpu-memory-utilization 0.90 --kv-cache-dtype auto --dtype bfloat16" ] \
  && ok "--launch: vllm serve" || not_ok "--launch vllm" "got $v"
$R --print -m llama-3.1-8b -e ideal --launch --format json > "$T/l"
grep -q '"launch": ""' "$T/l" && grep -q "no launch line for engine 'ideal'" "$T/l" && ok "--launch on the ideal roofline: a note" \
  || not_ok "--launch ideal" "$(grep launch "$T/l")"
$R --print -m mistral-7b -g rtx-4090 -w q4_k_m -e llama.cpp --launch | grep -q '^  llama-server -m mistral-7b-Q4_K_M.gguf -ngl 33 ' \
  && ok "--launch in the table" || not_ok "--launch table"
# --max-seqs is the engine's cap on running sequences: vllm's --max-num-seqs (whatever --batch says)
$R --print -b 8 --max-seqs 64 --rate 4 --launch | grep -q -- "--max-num-seqs 64 " && ok "--launch: --max-seqs 64 is vllm's --max-num-seqs" \
  || not_ok "launch max-seqs" "$($R --print -b 8 --max-seqs 64 --rate 4 --launch | grep serve)"
# a model with a published GGUF repository (the catalog's gguf_repo): llama-server -hf REPO:QUANT
$R --print -m llama-3.1-8b -g rtx-4090 -w q4_k_m -e llama.cpp --launch > "$T/l"
grep -q '^  llama-server -hf bartowski/Meta-Llama-3.1-8B-Instruct-GGUF:Q4_K_M -ngl 33 ' "$T/l" && ! grep -q placeholder "$T/l" \
  && grep -q "must publish that type" "$T/l" && ok "--launch: llama-server -hf REPO:QUANT where a GGUF repository is known" \
  || not_ok "launch -hf" "$(cat "$T/l")"

# one options table: --help and the man page list the same options, and the contract's
for o in model gpu gpus tp pp weights kv batch prompt output engine bandwidth tflops memory session \
         save-session format print sweep list-models list-gpus list-formats list-engines help version \
         rate requests ep price-hour purchase-usd lifetime-years utilization kwh-usd pue api list-apis solve \
         ttft-max itl-max max-devices detect no-detect rank sort launch local \
         max-seqs max-batched-tokens prompt-dist output-dist dp disagg concurrency n-cpu-moe draft prefix-hit \
         tensor-split; do
  $R --help | grep -q -- "--$o" || not_ok "--help lists --$o"
done; ok "--help lists every contract option"
man=$(dirname "$R")/../man/rooftop.1
missing=""
for o in $($R --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
  grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$man" || missing="$missing $o"
done
[ -z "$missing" ] && ok "man page lists every --help option" || not_ok "man page lists every option" "missing:$missing"
$R --version | head -1 | grep -q '^rooftop [0-9]' && ok "--version" || not_ok "--version"
long=$($R --help | awk 'length > 80' | wc -l)
[ "$long" -eq 0 ] && ok "--help fits 80 columns" || not_ok "--help fits 80 columns" "$($R --help | awk 'length > 80')"
$R --help | tail -2 | grep -q "issue tracker" && ! $R --help | grep -q "example.invalid" \
  && ok "--help ends with a real way to report bugs" || not_ok "--help bug address" "$($R --help | tail -2)"
# --- issue 23: unified memory is measured against the GPU's usable share ---
# gpt-oss-120b mxfp4 with llama.cpp on an M4 Max 128 GB, 75% usable = 96 GB (Metal's working set):
# max batch stops where the usable share does, and one past it pages ("past the GPU's usable 96.0 GB")
U="-m gpt-oss-120b -g m4-max -w mxfp4 -e llama.cpp"
mb=$($R --print $U --format csv | csvcol max_batch)
$R --print $U -b "$mb" | tail -1 | grep -q "^fits on" && ok "max batch ($mb) fits without paging" \
  || not_ok "max batch on unified memory" "$($R --print $U -b "$mb" | tail -1)"
$R --print $U -b $((mb + 1)) | tail -1 | grep -q "loads but pages on .* past the GPU's usable 96.0 GB" \
  && ok "one more sequence pages, said against the usable share" || not_ok "pages verdict" "$($R --print $U -b $((mb + 1)) | tail -1)"
free=$($R --print $U --format csv | csvcol memory.free_per_device_bytes)
per=$($R --print $U --format csv | csvcol memory.per_device_bytes)
near "$free" "$(awk -v p="$per" 'BEGIN { printf "%.12g", 96e9 - p }')" 1e-6 && ok "free = usable 96 GB - use" \
  || not_ok "free against usable" "$free, use $per"
# what fits here (--rank) calls a model past the usable share PAGES, not a fit (vLLM: no offload)
$R --print -g m4-max -e vllm --rank > "$T/rk" 2>/dev/null
grep -q " PAGES " "$T/rk" && ok "--rank marks models that page" || not_ok "--rank pages" "$(head -5 "$T/rk")"
grep " yes " "$T/rk" | grep -q -- " -[0-9.]* [GM]B " && not_ok "--rank: no fit is short of the usable share" \
  "$(grep " yes " "$T/rk" | grep -- " -[0-9.]* [GM]B ")" || ok "--rank: every fit is within the usable share"
# a DGX Spark keeps the OS's share: 108.8 GB usable (measured; presets/devices.cfg)
v=$($R --print -g dgx-spark --format csv | csvcol memory.usable_per_device_bytes)
[ "$v" = 108800000000 ] && ok "DGX Spark: 108.8 GB usable" || not_ok "DGX Spark usable" "$v"

# serving as the engines run it: lengths, closed loop, replicas, disaggregation, engine profiles
$R --print -m llama-3.1-8b --rate inf --prompt-dist bogus > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--prompt-dist: 'bogus'" "$T/e" && ok "--prompt-dist bogus: exit 1 naming the option" \
  || not_ok "--prompt-dist bogus" "$rc $(cat "$T/e")"
$R --print -m llama-3.1-8b --rate inf --disagg 0:1 > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--disagg: '0:1'" "$T/e" && ok "--disagg 0:1: exit 1 naming the option" \
  || not_ok "--disagg 0:1" "$rc $(cat "$T/e")"
# ... and without a rate there is no serving run: --concurrency, --disagg, a length distribution and
# --requests were dropped without a word (exit 0, the static figures); now a usage error naming them,
# while a session that has a rate, or a sweep of the rate, still takes them
for o in "--concurrency 8" "--disagg 1:1" "--prompt-dist lognormal:1" "--output-dist uniform:0.5" "--requests 50"; do
  $R --print -m llama-3.1-8b -n 2 $o > /dev/null 2> "$T/e"; rc=$?
  [ $rc = 2 ] && grep -q -- "^rooftop: ${o%% *} needs --rate" "$T/e" || { not_ok "$o without --rate" "$rc $(cat "$T/e")"; break; }
done && ok "serving options without --rate: exit 2 naming the option"
$R --print -m llama-3.1-8b --rate inf --save-session "$T/rs.session" > /dev/null \
  && $R --print -s "$T/rs.session" --concurrency 4 --requests 50 > /dev/null \
  && $R --print -m llama-3.1-8b -n 2 --disagg 1:1 --requests 50 --sweep rate=1:2 > /dev/null \
  && ok "a session's rate or a rate sweep: the serving options are taken" || not_ok "rate from a session or a sweep"
$R --print -m llama-3.1-8b --rate 4 --concurrency 8 > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--concurrency" "$T/e" && ok "--concurrency with a finite rate: exit 1" \
  || not_ok "--concurrency with a rate" "$rc $(cat "$T/e")"
$R --print -m llama-3.1-8b --rate inf --requests 400 --disagg 1:1 --format json > "$T/dj"
for k in prefill_devices decode_devices kv_transfer_s; do
  grep -q "\"$k\"" "$T/dj" || not_ok "--disagg JSON has serving.disagg.$k"
done; ok "--disagg: serving.disagg has its contract keys"
# a --disagg group that cannot hold the model serves nothing: Llama 3.1 70B bf16 is 141 GB of weights,
# 70.6 GB per device on a 2-device prefill group, + 8.5 GB runtime + activations > 80 GB. The 8-device
# static figures fit, but no cost per token or request stands (it used to fall back on the static
# tok/s: $65/M; the hour stays 8 x $2.49 = $19.92), and --print gives the whole warning (a 256-byte
# line cut it to "few")
$R --print -m llama-3.1-70b -g h100-sxm -n 8 -e vllm --rate 4 --disagg 2:4 --format json > "$T/dn"
grep -q '"per_mtok_output_usd": null' "$T/dn" && grep -q '"per_request_usd": null' "$T/dn" \
  && ! grep -q '"energy_per_mtok_kwh"' "$T/dn" && grep -q '"per_hour_usd": 19.92' "$T/dn" \
  && ok "a disaggregated group that cannot hold the model: no cost per token" || not_ok "disagg no room: cost" "$(cat "$T/dn")"
$R --print -m llama-3.1-70b -g h100-sxm -n 8 -e vllm --rate 4 --disagg 2:4 > "$T/dp"
grep -q "smaller weights make room)$" "$T/dp" && ! grep -q "per million output" "$T/dp" \
  && ok "--print: the no-room warning whole, no cost per token" || not_ok "disagg no room: print" "$(cat "$T/dp")"
$R --print -m llama-3.1-8b --rate inf --requests 400 --format json | grep -q '"host_s_per_step"' \
  && ok "serving.host_s_per_step in JSON" || not_ok "serving.host_s_per_step in JSON"
$R --list-engines --format json > "$T/le"
for k in '"id": "trtllm-cpp"' '"id": "trtllm-pytorch"' '"version"' '"max_seqs"' '"max_batched_tokens"' \
  '"host_s_per_step"' '"host_s_per_seq"' '"source"'; do
  grep -q "$k" "$T/le" || not_ok "--list-engines JSON has $k"
done; ok "--list-engines JSON: id, version, limits, host costs, sources"
$R --print -m llama-3.1-8b -e trtllm --format json | grep -q '"engine": "trtllm-cpp"' \
  && ok "the old id trtllm names trtllm-cpp" || not_ok "the old id trtllm still resolves"
# one memory account for the static figures and serving (Llama 3.1 70B bf16 on 2x H100 with vLLM):
# vLLM profiles a full step of its 8,192-token budget before it sizes the cache, so the static batch
# holds the same reserve as the simulation: 70.55 + 8.0 + 0.5 + 0.21 KV + 0.74 activations = 80.0 GB
# of 80 does not fit (it read "fits, 644 MB free" beside a serving run with no KV room)
$R --print -m llama-3.1-70b -g h100-sxm -n 2 --rate 1 --format json > "$T/kv"
grep -q '"fits": false' "$T/kv" && grep -q '"min_devices": 4' "$T/kv" \
  && ok "one memory account: 70B bf16 on 2x H100 with vLLM does not fit, static or served" \
  || not_ok "one memory account" "$(grep -E '"fits"|min_devices' "$T/kv")"
# ... and the text table prints no times or rates of a run that served nothing (it printed "TTFT mean
# under load inf s" and "inter-token latency 0 us"): the rate, capacity 0 and "stable no" stay
$R --print -m llama-3.1-70b -g h100-sxm -n 2 --rate 1 > "$T/kvt"
sed -n '/^Serving under load/,/^$/p' "$T/kvt" > "$T/kvs"
! grep -q "inf s\| 0 us\|TTFT\|inter-token\|output throughput" "$T/kvs" && grep -q "capacity  *0 req/s" "$T/kvs" \
  && grep -q "stable  *no" "$T/kvs" && ok "serving with no KV room: no inf or 0 us times in the table, capacity 0" \
  || not_ok "no KV room table" "$(cat "$T/kvs")"
$R --print -m llama-3.1-70b -g h100-sxm -n 4 --rate 1 --format json | grep -q "no room for one sequence" \
  && not_ok "4 devices leave room" || ok "... and not said where there is room (4x H100)"
# the man page's footer names the version, not a placeholder (issue 23: it read @VERSION@)
head -1 "$man" | grep -q "\"rooftop [0-9][0-9.]*\"" && ! grep -q "@[A-Z]*@" "$man" && ok "man page footer has the version" \
  || not_ok "man footer" "$(head -1 "$man")"
# issue 26: the man page and README name the config families read outside the Llama shape and the
# devices beyond GPUs, by ids the catalog has (each a row of --list-gpus)
miss=""
for w in GPT-2 124,439,808 OPT BLOOM Falcon GPT-NeoX Phi-2 mm_vision_tower; do
  sed 's/\\-/-/g' "$man" | grep -q -- "$w" || miss="$miss man:$w"
  grep -q -- "$w" "${srcdir:-.}/README.md" || miss="$miss README:$w"
done
for g in tpu-v5e tpu-v5p tpu-v6e tpu-v7 trn2 gaudi3 cpu-ddr5-8ch cpu-ddr5-12ch; do
  sed 's/\\-/-/g; s/\\f[BIR]//g' "$man" | grep -q -- "$g" || miss="$miss man:$g"
  $R --list-gpus | grep -q "^$g " || miss="$miss catalog:$g"
done
[ -z "$miss" ] && ok "man page and README: the config families and the devices beyond GPUs" || not_ok "docs of #26" "$miss"
# decode.bytes_per_step is the whole system's (Llama 3.1 70B bf16 on 2 devices reads all 141 GB of weights a step):
# the man page says so, not "per device"
v=$($R --print -m llama-3.1-70b -g h100-sxm -n 2 --format csv | csvcol decode.bytes_per_step)
awk -v v="$v" 'BEGIN { exit !(v > 139e9) }' && grep -A1 "^\.B decode.bytes_per_step" "$man" | grep -q "all devices together" \
  && ok "decode.bytes_per_step: a total, and the man page says so" || not_ok "bytes per step wording" "$v"
# a rate far past capacity reads 100,000 req/s, not 1e+05 req/s
$R --print --rate 100000 | grep -q "request rate  *100,000 req/s" && ok "rates in full: 100,000 req/s" \
  || not_ok "rate format" "$($R --print --rate 100000 | grep 'request rate')"
# launch lines: a model path that starts with '-' is written ./-odd (not read as an option); a made-up GGUF name
# says it is a placeholder; MXFP4 is a GGUF type (gpt-oss ships in it)
mkdir -p "$T/dash/-odd" && cp "$srcdir/tests/data/configs/bloom-560m.json" "$T/dash/-odd/config.json"
RA="$(cd "$(dirname "$R")" && pwd)/$(basename "$R")"
(cd "$T/dash" && $RA --print -m -odd/config.json --launch) | grep -q "vllm serve ./-odd " \
  && ok "a path starting with - launches as ./-odd" \
  || not_ok "dash path" "$(cd "$T/dash" && $RA --print -m -odd/config.json --launch 2>&1 | tail -2)"
$R --print -m gpt-oss-20b -g rtx-4090 -w mxfp4 -e llama.cpp --launch > "$T/l"
grep -q -- "-hf bartowski/openai_gpt-oss-20b-GGUF:MXFP4 " "$T/l" && ! grep -q "no GGUF type" "$T/l" \
  && ok "llama.cpp: gpt-oss-20b from its GGUF repository at MXFP4, a GGUF type" || not_ok "gguf mxfp4" "$(tail -3 "$T/l")"
$R --print -m mistral-7b -g rtx-4090 -w q4_k_m -e llama.cpp --launch > "$T/l"
grep -q "mistral-7b-Q4_K_M.gguf is a placeholder" "$T/l" && ok "llama.cpp: without a known GGUF repository, the file name says it is a placeholder" \
  || not_ok "gguf placeholder" "$(tail -3 "$T/l")"
# A phase's ridge is its kernel class's: llama.cpp's q4_k_m prompt batch runs int8 MMQ on an RTX 4070,
# its 233.2 INT8 TOPS capped by MMQ's int-to-float conversions at 4 x its 29.15 FP32 TFLOPS = 116.6
# (kclass.c: 16 conversions per SM-clock, 128 FP32 lanes), 116.6 T / 504 GB/s = 231.3 FLOP/byte
# (not the 16-bit 58.3 T / 504 = 115.7, beside which an intensity of 154 read "memory-bound"
# against "ridge 116")
$R --print -m qwen3-30b-a3b -g rtx-4070 -e llama.cpp -w q4_k_m --format csv > "$T/rc.csv"
v=$(csvcol prefill.ridge_point < "$T/rc.csv")
awk -v v="$v" 'BEGIN { exit !(v > 231.2 && v < 231.4) }' && ok "prefill's ridge is int8 MMQ's: 116.6 T / 504 GB/s = 231.3" \
  || not_ok "prefill ridge" "$v"
$R --print -m qwen3-30b-a3b -g rtx-4070 -e llama.cpp -w q4_k_m | grep "arithmetic intensity" | head -1 \
  | grep -q "(ridge 231): memory-bound" && ok "... and the table's verdict reads against it" || not_ok "ridge note" \
  "$($R --print -m qwen3-30b-a3b -g rtx-4070 -e llama.cpp -w q4_k_m | grep 'arithmetic intensity')"
# Each phase's kernel class line says which phase it is: llama.cpp's q4_k_m prompt batch runs int8 MMQ,
# its one-token decode the dequantising GEMV (two lines that read "kernel class" twice before)
$R --print -m qwen3-30b-a3b -g rtx-4070 -e llama.cpp -w q4_k_m > "$T/kc"
grep -q "^  prefill kernel class  *int8-mmq" "$T/kc" && grep -q "^  decode kernel class " "$T/kc" \
  && ! grep -q "^  kernel class" "$T/kc" && ok "the kernel class lines name their phase" || not_ok "kernel class labels" "$(grep 'kernel class' "$T/kc")"
# INT8 tensor rates where the kernel uses them: an RTX 3060 (GA106, 12.74 FP32 TFLOPS x 8 = 101.9 INT8
# TOPS, the GA10x ratio) and an RTX 5090 (INT8 at its FP8 838.4) run llama.cpp's q4_k_m prompt batch in
# MMQ; without an INT8 rate they fell back to the dequantising GEMM.  MMQ's rate: 101.9 capped at
# 4 x 12.74 = 50.96 by its int-to-float conversions (kclass.c).  Ridge: 50.96e12 / 360e9 = 141.6
$R --print -m qwen3-8b -g rtx-3060 -e llama.cpp -w q4_k_m --format csv > "$T/k3.csv"
[ "$(csvcol prefill.kernel_class < "$T/k3.csv")" = int8-mmq ] && v=$(csvcol prefill.ridge_point < "$T/k3.csv") \
  && awk -v v="$v" 'BEGIN { exit !(v > 141.5 && v < 141.7) }' && ok "RTX 3060: q4_k_m prompt batch in int8 MMQ, ridge 50.96 T / 360 GB/s = 141.6" \
  || not_ok "rtx-3060 mmq" "$(cat "$T/k3.csv" | head -3)"
[ "$($R --print -m qwen3-8b -g rtx-5090 -e llama.cpp -w q4_k_m --format csv | csvcol prefill.kernel_class)" = int8-mmq ] \
  && ok "RTX 5090: q4_k_m prompt batch in int8 MMQ" || not_ok "rtx-5090 mmq"
# The band names the runs it looked for and found none of: the vLLM profile has no published run on
# data-centre NVIDIA cards (its coverage is 0 of 0), and Qwen3-30B-A3B is a MoE model
$R --print -m qwen3-30b-a3b -g l40s -w fp8 -e vllm > "$T/bc"
grep -q "no published runs near this scenario" "$T/bc" && grep -q "^  runs looked for  *MoE models on nvidia-dc with vllm$" "$T/bc" \
  && ok "the band names the class with no published run: MoE models on nvidia-dc with vllm" || not_ok "band class" "$(grep band "$T/bc")"
$R --print -m llama-3.1-8b -g h100-sxm -e trtllm-cpp | grep -q "runs looked for" && not_ok "band class shown with runs near" \
  || ok "... and says nothing of it where runs lie near"
# --swa-kv: what the engine keeps of a sliding window (Mistral 7B v0.1: W = 4,096; bf16 K and V,
# 32 layers x 8 heads x 128 x 2 x 2 = 131,072 B a token).  vLLM keeps the window: 4,096 x 131,072 =
# 536,870,912 B at 20,000 + 2,000 tokens; --swa-kv full keeps 22,000 x 131,072 = 2,883,584,000 B;
# TensorRT-LLM's C++ runtime keeps everything unless told to keep the window
a=$($R --print -m mistral-7b -g h100-sxm -w bf16 -k bf16 -e vllm -p 20000 -o 2000 --format csv | csvcol memory.kv_cache_bytes)
b=$($R --print -m mistral-7b -g h100-sxm -w bf16 -k bf16 -e vllm -p 20000 -o 2000 --swa-kv full --format csv | csvcol memory.kv_cache_bytes)
c=$($R --print -m mistral-7b -g h100-sxm -w bf16 -k bf16 -e trtllm -p 20000 -o 2000 --format csv | csvcol memory.kv_cache_bytes)
d=$($R --print -m mistral-7b -g h100-sxm -w bf16 -k bf16 -e trtllm -p 20000 -o 2000 --swa-kv window --format csv | csvcol memory.kv_cache_bytes)
near "$a" 536870912 1e-9 && near "$b" 2883584000 1e-9 && near "$c" 2883584000 1e-9 && near "$d" 536870912 1e-9 \
  && ok "--swa-kv: the window kept or not, over the engine profile's" || not_ok "--swa-kv" "$a $b $c $d"
$R --print -m mistral-7b --swa-kv rolling > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--swa-kv: 'rolling' is not window, full or hybrid" "$T/e" && ok "--swa-kv names a bad policy" \
  || not_ok "--swa-kv bad" "$rc $(cat "$T/e")"
# --kv-policy: Mixtral 8x7B on 2 devices cut to 54 GB, 1,024 + 4,096 tokens, 8 clients.  The static
# figures fit 2 sequences at their final 5,120 tokens (max_batch 2), so the cache holds at least
# 10,240 tokens.  Reserving each final context, at most those 2 run at once; growing, all 8 clients'
# prompts (8 x 1,025 = 8,200 tokens with their first tokens) are admitted, the newest preempted later.
# The default is the profile's (vLLM grows, TensorRT-LLM reserves), shown under the rate with its source.
K="-m mixtral-8x7b -n 2 --memory 54 -p 1024 -o 4096 --rate inf --concurrency 8 --requests 16"
a=$($R --print $K --kv-policy reserve --format csv | csvcol serving.max_running)
mb=$($R --print $K --kv-policy reserve --format csv | csvcol max_batch)
b=$($R --print $K --kv-policy grow --format csv | csvcol serving.max_running)
c=$($R --print $K --format csv | csvcol serving.max_running)
[ "$mb" = 2 ] && [ "$a" -le 2 ] && [ "$b" = 8 ] && [ "$c" = 8 ] \
  && ok "--kv-policy: a reserved cache runs what fits at the end, a growing one admits on the prompt" \
  || not_ok "--kv-policy" "$mb $a $b $c"
$R --print $K -e trtllm-pytorch > "$T/kp" && grep -q "^KV cache under load: each sequence's cache for its final context reserved when it is admitted (reserve: TensorRT-LLM docs" "$T/kp" \
  && $R --print $K --kv-policy grow -e trtllm-pytorch | grep -q "^KV cache under load: grown as sequences decode, the newest preempted and recomputed when it runs out (--kv-policy)$" \
  && ok "--print names the KV policy under a rate and its source" || not_ok "--kv-policy print" "$(sed -n 4p "$T/kp")"
$R --print -m mistral-7b --kv-policy swap > /dev/null 2> "$T/e"; rc=$?
[ $rc = 1 ] && grep -q -- "--kv-policy: 'swap' is not reserve or grow" "$T/e" && ok "--kv-policy names a bad policy" \
  || not_ok "--kv-policy bad" "$rc $(cat "$T/e")"
# llama.cpp splits layers over several GPUs unless told otherwise (-sm layer is its default):
# -n 2 alone is two pipeline stages (tp 1, pp 2) and the launch line says --split-mode layer;
# --tp 2 asks for its row split
$R --print -m qwen3-32b -g rtx-5090 -n 2 -e llama.cpp --format csv > "$T/sm.csv"
[ "$(csvcol tp < "$T/sm.csv")" = 1 ] && [ "$(csvcol pp < "$T/sm.csv")" = 2 ] \
  && $R --print -m qwen3-32b -g rtx-5090 -n 2 -e llama.cpp --launch | grep -q -- "--split-mode layer" \
  && ok "llama.cpp: -n 2 is its default layer split (pp 2), and the launch line says so" || not_ok "llama.cpp layer split" "$(head -2 "$T/sm.csv")"
$R --print -m qwen3-32b -g rtx-5090 -n 2 --tp 2 -e llama.cpp --launch | grep -q -- "--split-mode row" \
  && ok "llama.cpp: --tp 2 is its row split" || not_ok "llama.cpp row split"
[ "$($R --print -m qwen3-32b -g h100-sxm -n 2 -e vllm --format csv | csvcol tp)" = 2 ] \
  && ok "vLLM: -n 2 alone is still tensor parallel" || not_ok "vllm tp default"
# --list-* tables: a value longer than its column widens the column (deepseek-v3.1-reasoner, 22
# characters, pushed its row's NAME and every figure after it two columns right of the header)
$R --list-apis > "$T/apis"
awk 'NR == 1 { h = index($0, "NAME") } $1 == "deepseek-v3.1-reasoner" { n = index($0, "DeepSeek API") }
     END { exit !(h > 0 && n == h) }' "$T/apis" && ok "--list-apis: a long id keeps its row under the header" \
  || not_ok "list columns" "$(head -1 "$T/apis")" "$(grep reasoner "$T/apis")"
# --print --rank: the last column has a header (PPL+), and a model id longer than 20 characters
# keeps its row under the headers (deepseek-r1-distill-qwen-14b, 28)
$R --print --rank -g rtx-4070 -e llama.cpp > "$T/rank"
awk 'NR == 1 { h = index($0, "WEIGHTS"); p = index($0, "PPL+") } $1 == "deepseek-r1-distill-qwen-14b" && !n { n = index($0, $2) }
     END { exit !(h > 0 && n == h && p > 0) }' "$T/rank" && ok "--rank: a long id keeps its row in line; the PPL+ header" \
  || not_ok "rank columns" "$(head -3 "$T/rank")"
# --dp without a rate: the static batch on each replica, so every replica is priced: 2 x the
# H100's catalog $2.49/h = $4.98 an hour, and the cost per million output tokens is one
# replica's (twice the devices, twice the tokens)
ph=$($R --print --dp 2 -n 2 --format csv | csvcol cost.per_hour_usd)
m1=$($R --print --format csv | csvcol cost.per_mtok_output_usd)
m2=$($R --print --dp 2 -n 2 --format csv | csvcol cost.per_mtok_output_usd)
[ "$ph" = "4.98" ] && near "$m2" "$m1" 1e-9 && ok "--dp 2 without a rate: \$$ph an hour (2 x \$2.49), \$$m2 per M output as one replica" \
  || not_ok "dp cost without a rate" "per hour $ph, per M $m2 vs $m1"
# --dp without a rate counts every replica's tokens too: each of the 4 replicas runs the static
# batch of 8, so tokens/s total = 4 x 8 / time per output token (4 x one replica's), and the
# heading says how many replicas and devices there are
$R --print -m llama-3.1-8b -n 4 --dp 4 -b 8 --format csv > "$T/dp4"
$R --print -m llama-3.1-8b -b 8 --format csv > "$T/dp1"
tpot=$(csvcol decode.time_per_token_s < "$T/dp4")
tot=$(csvcol decode.tokens_per_s_total < "$T/dp4")
one=$(csvcol decode.tokens_per_s_total < "$T/dp1")
near "$tot" "$(awk -v t="$tpot" 'BEGIN { printf "%.12g", 4 * 8 / t }')" 1e-9 && near "$tot" "$(awk -v o="$one" 'BEGIN { printf "%.12g", 4 * o }')" 1e-9 \
  && [ "$(csvcol dp < "$T/dp4")" = 4 ] \
  && $R --print -m llama-3.1-8b -n 4 --dp 4 -b 8 | grep -q "4 data-parallel replicas, each running this (4 devices in all)" \
  && ok "--dp 4 without a rate: $tot tok/s total = 4 x 8 / $tpot s (4 x $one)" \
  || not_ok "dp throughput without a rate" "total $tot, tpot $tpot, one replica $one"
# --disagg in a closed loop (it was refused before): 4 clients, at most 4 running in the decode group
v=$($R --print -m llama-3.1-8b --disagg 1:1 --rate inf --concurrency 4 --requests 200 --format csv | csvcol serving.max_running)
[ "$v" = 4 ] && ok "--disagg 1:1 --concurrency 4: a closed loop through both groups ($v running)" \
  || not_ok "disagg closed loop" "max_running $v"
# --rate inf is no break-even: the table read "request rate  never, within one setup's capacity"
# (the break-even rate's words for infinity) and, for --concurrency's closed loop, "stable  no",
# which a closed loop never is nor is not (it runs no faster than its clients)
$R --print -m llama-3.1-8b -g h100-sxm --rate inf --concurrency 4 --requests 100 > "$T/cl"
grep -q "request rate  *unbounded (a closed loop of 4 clients" "$T/cl" && ! grep -q "never, within" "$T/cl" \
  && ! grep -q "^  stable " "$T/cl" && ok "--concurrency 4: the rate line says closed loop of 4 clients, no 'stable'" \
  || not_ok "closed-loop rate line" "$(sed -n '/Serving/,/^$/p' "$T/cl")"
$R --print -m llama-3.1-8b -g h100-sxm --rate inf --requests 100 | grep -q "request rate  *unbounded (every request arrives at once)" \
  && ok "--rate inf: every request at once" || not_ok "rate inf line" "$($R --print -m llama-3.1-8b -g h100-sxm --rate inf --requests 100 | grep 'request rate')"
# under a rate the scenario line's batch is the static figures'; a second line says what the run holds
# to (the cap and where it comes from) and the request lengths
$R --print -m llama-3.1-8b -g h100-sxm --rate 2 --requests 100 --max-seqs 64 --prompt-dist lognormal:0.8 --output-dist uniform:0.5 > "$T/ul"
grep -q "^under load: at most 64 sequences running (--max-seqs); lengths vary around the means: prompt lognormal:0.8, output uniform:0.5$" "$T/ul" \
  && $R --print -m llama-3.1-8b -g h100-sxm --rate 2 --requests 100 -b 8 | grep -q "^under load: at most 8 sequences running (--batch)$" \
  && ! $R --print -m llama-3.1-8b -g h100-sxm | grep -q "^under load" \
  && ok "--print under a rate: the cap on running sequences, its source, the lengths" || not_ok "under-load line" "$(head -4 "$T/ul")"
# a limit is written as the whole number it is: --batch's read "between 1 and 1.099511628e+12"
$R --print -b 0 2>&1 | grep -q "^rooftop: --batch: invalid value '0': must be between 1 and 1099511627776$" \
  && ok "-b 0: the limit 2^40 written whole" || not_ok "batch limit text" "$($R --print -b 0 2>&1)"
# --requests' help said "(with --rate, --max-seqs, else --batch above 1, caps the running sequences)",
# --max-seqs' text run into it
$R --help | grep -A1 -- "--requests N" | grep -q "caps the running" && not_ok "--requests help" "$($R --help | grep -A1 -- --requests)" \
  || ok "--requests' help is about requests"
# --list-engines: an engine with no cap of its own on running sequences (JSON max_seqs 0: the KV
# cache alone limits) shows "-", not a cap of 0 sequences
j=$($R --list-engines --format json | tr -d ' \n' | grep -o '"max_seqs":[0-9]*,"max_batched_tokens":[0-9]*,"id":"trtllm-cpp"' | cut -d, -f1)
row=$($R --list-engines | awk '$1 == "trtllm-cpp"')
[ "$j" = '"max_seqs":0' ] && echo "$row" | grep -q "95%  *-  *8192 " && ok "--list-engines: no cap reads -" \
  || not_ok "list-engines max seq" "$j / $row"
# --explain of a whole count gives it once: "max_batch = 325  (325 count)" repeated it as its "SI value"
mb=$($R --print -m llama-3.1-8b --format csv | csvcol max_batch)
[ -n "$mb" ] && [ "$($R --print -m llama-3.1-8b --explain max_batch | head -1)" = "max_batch = $mb" ] \
  && $R --print -m llama-3.1-8b --explain params_total | head -1 | grep -q "^params_total = 8.03 B  (8030261248 parameters)$" \
  && ok "--explain: a count once, a rounded figure with its exact value" || not_ok "explain count" "$($R --print -m llama-3.1-8b --explain max_batch | head -1)"
# --compare: the scenario lines say replicas and the rate (B read "1 x h100-sxm" for --dp 2), and a
# sentence figure is written once where A and B agree (the band's sentence, cut at 47 characters, ran
# into B's copy of it)
$R --print -m llama-3.1-8b --rate 2 --requests 200 --save-session "$T/cmpa.session" > /dev/null
$R --print --compare "$T/cmpa.session" --dp 2 -n 2 > "$T/cmp"
grep -q "^B: llama-3.1-8b on 1 x h100-sxm, .*; 2 replicas (dp), 2 devices in all; 2 req/s$" "$T/cmp" \
  && ! grep "^  band " "$T/cmp" | grep -qv "  =$" \
  && ok "--compare: replicas and rate named, the band's sentence once" || not_ok "compare text" "$(head -3 "$T/cmp"; grep band "$T/cmp")"
# --launch under a rate for an engine with no cap of its own (SGLang, TensorRT-LLM's C++ runtime: the
# estimate serves as many as memory holds) sets no cap: it wrote the static batch, a server that runs one
# request at a time ("--max-running-requests 1", "--max_batch_size 1"); without a rate the batch stays
ls=$($R --print -m llama-3.1-8b -e sglang --rate 2 --requests 50 --launch | grep launch_server)
lt=$($R --print -m llama-3.1-8b -e trtllm-cpp --rate 2 --requests 50 --launch | grep trtllm-serve)
l1=$($R --print -m llama-3.1-8b -e sglang -b 4 --launch | grep launch_server)
[ -n "$ls" ] && ! echo "$ls" | grep -q -- "--max-running-requests" && [ -n "$lt" ] && ! echo "$lt" | grep -q -- "--max_batch_size" \
  && echo "$l1" | grep -q -- "--max-running-requests 4 " \
  && ok "--launch under a rate with no engine cap sets none (SGLang, trtllm-cpp)" || not_ok "launch no cap" "$ls / $lt / $l1"
# --compare of a scenario without a rate (A, the default session) and one at 4 req/s (B): A has no
# serving figures, so its column says "-" with no difference (it read "0 req/s", "0 us", "stable no")
$R --print --compare default --rate 4 > "$T/cmpr"
grep -q "^  request rate  *- *4 req/s$" "$T/cmpr" && grep -q "^  TTFT mean under load  *- " "$T/cmpr" \
  && ! grep -q " 0 us " "$T/cmpr" && ok "--compare: a figure one side lacks is '-', no difference" \
  || not_ok "compare missing side" "$(grep -A4 'Serving under load' "$T/cmpr")"
# --rank's table ends with the setup it ranked for: an RTX 4060 Ti given --memory 8 (the 8 GB card),
# vLLM, batch 1, 1024 + 256 = 1,280 tokens of context
$R --print --rank -g rtx-4060-ti --memory 8 -e vllm | tail -1 | grep -qx "ranked for 1 x rtx-4060-ti (8.0 GB each), engine vllm, batch 1, context 1,280 tokens" \
  && ok "--rank: the last line names the setup ranked for" || not_ok "rank footer" "$($R --print --rank -g rtx-4060-ti --memory 8 | tail -1)"
tap_done
