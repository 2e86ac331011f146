#!/bin/sh
# tui_ux.sh - what a user trips over on the dashboard (issue 23): the real
# dashboard in tmux, keys typed, the screen read.  Each wait polls the screen
# (no fixed sleeps to pass or fail on); TERM, LANG and HOME are pinned; a
# private tmux socket; everything cleaned up.
S="rooftop-ux-$$"
. "$srcdir/tests/tmux-harness.sh"

# --- the Answer panel of a MoE model too big for the GPU on llama.cpp (100x34: the full panel) ---
# gpt-oss-120b (mxfp4, 63.8 GB of weights) on one RTX 4090 (24 GB) does not fit.  llama.cpp's
# --n-cpu-moe keeps the routed experts of the first N layers in host memory; the core's fewest N
# that fits is the CLI's min_n_cpu_moe: the list of what to try offers it.
want=$($R --print -m gpt-oss-120b -g rtx-4090 -e llama.cpp --format csv | csvcol min_n_cpu_moe)
start 100 34 "-m gpt-oss-120b -g rtx-4090 -e llama.cpp"
wait_for "To fit, try"
[ -n "$want" ] && [ "$want" -gt 0 ] && screen | grep -q "CPU MoE $want: .* tok/s" \
  && ok "Answer: to fit, try CPU MoE $want (--n-cpu-moe) for a MoE model on llama.cpp" \
  || not_ok "Answer offers --n-cpu-moe" "want $want" "$(screen)"
# every item whole or not at all: the rows left say how many more w shows, never a cut sentence
# (the panel's last row with text, above the bottom bar, first 40 columns)
last=$(screen | sed -n '/─ Answer/,$p' | sed '$d' | cut -c1-40 | sed 's/ *$//' | grep -v '^$' | tail -1)
case $last in
  *"more: w shows"*|*"tok/s"*|*"fit"*|*")"*) ok "Answer: its last row is whole ($last)" ;;
  *) not_ok "Answer: last row cut" "$last" "$(screen)" ;;
esac
screen | grep -q "no units for the weight *$" && not_ok "a warning cut mid-sentence" "$(screen)" \
  || ok "Answer: no warning cut mid-sentence"
keys w
wait_for "Warnings and hints" && screen | grep -q "(--n-cpu-moe)" && ok "w: the --n-cpu-moe hint in full" \
  || not_ok "w shows the hint" "$(screen)"
stop

# --- GLM-4.5-Air (bf16, 214 GB) on one RTX 5090 (32 GB) with llama.cpp: no smaller format fits
# whole (Q4_K_M is 65 GB), so the list offers the download people take, Q4_K_M, with the routed
# experts of its fewest layers in host memory (the CLI's min_n_cpu_moe at q4_k_m), beside bf16's
want=$($R --print -m glm-4.5-air -g rtx-5090 -e llama.cpp -w q4_k_m --format csv | csvcol min_n_cpu_moe)
start 100 34 "-m glm-4.5-air -g rtx-5090 -e llama.cpp"
keys w
wait_for "Warnings and hints" && [ -n "$want" ] && [ "$want" -gt 0 ] \
  && screen | grep -q "weights q4_k_m + CPU MoE $want: .* tok/s (--n-cpu-moe)" \
  && ok "hints: Q4_K_M with CPU MoE $want for a MoE model no smaller format fits" \
  || not_ok "hint q4_k_m + CPU MoE" "want $want" "$(screen)"
stop

# --- the slider follows the selected field (default session, 100x30) ---
# Prompt: the longest prompt that fits is max_context - output (256 tokens), the wall
mc=$($R --print --format csv | csvcol max_context)
mb=$($R --print --format csv | csvcol max_batch)
wall=$((mc - 256))
fmtc() { printf "%d" "$1" | awk '{ s = $0; o = ""; while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) } print s o }'; }
start 100 30 ""
wait_for "max batch $mb" && ok "the slider starts on the batch (max batch $mb)" || not_ok "slider on the batch" "$(screen)"
to_field Prompt
wait_for "prompt 1,024  max $(fmtc $wall)" && ok "Down to Prompt: the slider's wall is the longest prompt that fits ($(fmtc $wall))" \
  || not_ok "slider follows Prompt" "want max $(fmtc $wall)" "$(screen | sed -n 20,23p)"
screen | grep -q ' 1 \[-*P-*|' && ok "... its cursor is P, left of the wall" || not_ok "slider glyph P" "$(screen | sed -n 20,23p)"
to_field Output
wait_for "output 256  max $(fmtc $((mc - 1024)))" && ok "Down to Output: its wall is max_context - prompt" \
  || not_ok "slider follows Output" "$(screen | sed -n 20,23p)"
to_field "Prefix hit"
wait_for "max batch $mb" && ok "a field without a wall (Prefix hit) shows the batch's slider" || not_ok "slider back to batch" "$(screen | sed -n 20,23p)"
stop
# devices: Llama 3.1 70B (bf16, 141 GB) on H100s with vLLM needs 4 (two hold 80.0 GB of 80 once
# vLLM's full-step reserve is counted, test_core solve/max_context_and_min_devices; three do not
# divide the 64 heads): one to three devices are left of the wall
start 100 30 "-m llama-3.1-70b"
to_field Devices
wait_for "devices 1 < fewest 4" && ok "Devices: 1 < the fewest that fit (4)" || not_ok "slider devices" "$(screen | sed -n 20,23p)"
keys Right Right Right
wait_for "devices 4  fewest 4" && ok "... Right three times: 4, at the wall" || not_ok "slider devices 2" "$(screen | sed -n 20,23p)"
stop

# --- batch and max seqs under a rate (serving's rule: --max-seqs when set, else a batch above 1,
# else the engine's) and the TTFT / ITL target fields ---
start 100 37 "--rate 4 -b 16"
wait_for "Max seqs *= Batch, 16" && ok "Max seqs unset with Batch 16: the field says the batch caps" \
  || not_ok "Max seqs shows the batch's cap" "$(screen)"
wait_for "running at most 16 (Batch, Max seqs unset)" && ok "Serving: at most 16 running, from the batch" \
  || not_ok "serving cap from batch" "$(screen)"
to_field "Max seqs"; keys 4 Enter
wait_for "running at most 4 (Max seqs)" && ok "Max seqs 4 typed: the cap is 4, from Max seqs" \
  || not_ok "serving cap from max seqs" "$(screen)"
wait_for "Batch *16 static figures" && ok "... and Batch reads as the static figures only" \
  || not_ok "batch mark" "$(screen)"
# what the CLI says for the same scenario: at most 4 running, and its mean TTFT against 100 ms
max=$($R --print --rate 4 -b 16 --max-seqs 4 --format csv | csvcol serving.max_running)
[ "${max:-99}" -le 4 ] && ok "--max-seqs 4 with -b 16: at most $max running (CLI)" || not_ok "cli max running" "$max"
ttft=$($R --print --rate 4 -b 16 --max-seqs 4 --format csv | csvcol serving.ttft_mean_s)
word=$(awk -v t="$ttft" 'BEGIN { print (t <= 0.1 ? "<= 100 ms met" : "> 100 ms missed") }')
to_field "TTFT max"; keys Right
wait_for "TTFT max *100 ms" && ok "TTFT max: Right from none is 100 ms" || not_ok "ttft max step" "$(screen)"
wait_for "TTFT .* $word" && ok "Serving: mean TTFT under load ($ttft s) $word" || not_ok "ttft target shown" "$word" "$(screen)"
wait_for "within the targets up to" && ok "... with the capacity within the targets" || not_ok "capacity within targets" "$(screen)"
to_field "ITL max"; keys 0 . 0 5 Enter
wait_for "ITL max *50.0 ms" && ok "ITL max typed as 0.05 (50 ms)" || not_ok "itl typed" "$(screen)"
keys F6
wait_for "TTFT <= 100 ms" && wait_for "ITL <= 50.0 ms" && ok "F6 solves for the form's targets" || not_ok "solver targets" "$(screen)"
keys Escape
wait_gone "Cheapest setups"
keys s; wait_for "Save session"; keys tgt Enter
f="$T/data/rooftop/sessions/tgt.cfg"
i=0; while [ ! -f "$f" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "max_seqs = 4" "$f" && grep -q "ttft_max = 0.1;" "$f" && grep -q "itl_max = 0.05;" "$f" \
  && ok "the session keeps max_seqs, ttft_max and itl_max" || not_ok "session keys" "$(cat "$f")"
stop

# --- F7, what fits here: htop's conventions (< > F6 choose the sort column, I inverts, / searches,
# a click on a header sorts by it) ---
$R --print --rank --sort size --format csv | tr -d '\r' | sed 1d > "$T/rank.csv"
first=$(head -1 "$T/rank.csv" | cut -d, -f1,2 | tr , ' ')
last=$(tail -1 "$T/rank.csv" | cut -d, -f1,2 | tr , ' ')
rows=$(wc -l < "$T/rank.csv")
nq=$(cut -d, -f1 "$T/rank.csv" | grep -c qwen3)
# the first data row of the list as "model weights" (the star of a shipped format dropped)
toprow() { screen | sed -n '5p' | sed 's/^[^a-z0-9]*//' | awk '{ w = $2; sub(/[*]$/, "", w); print $1, w }'; }
start 100 30 ""
keys F7
wait_for "sorted by fit" && screen | sed -n 4p | grep -q "fit^" && ok "F7: sorted by fit, its header marked fit^" \
  || not_ok "F7 opens sorted by fit" "$(screen | head -6)"
keys '>'
wait_for "sorted by size (" && ok "> moves the sort to the next column (mem/dev: size)" || not_ok "> sort" "$(screen | head -4)"
i=0; while [ "$(toprow)" != "$first" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(toprow)" = "$first" ] && ok "... the smallest first, as --rank --sort size ($first)" || not_ok "size order" "$(toprow) vs $first"
keys I
wait_for "sorted by size, reversed" && ok "I inverts the order" || not_ok "I invert" "$(screen | head -4)"
i=0; while [ "$(toprow)" != "$last" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(toprow)" = "$last" ] && ok "... the largest first ($last)" || not_ok "reversed order" "$(toprow) vs $last"
keys '<'
wait_for "sorted by fit (" && ok "< moves the sort back a column, in that column's own order" || not_ok "< sort" "$(screen | head -4)"
keys / q w e n 3
wait_for "/qwen3_  ($nq of $rows rows)" && ok "/ searches: qwen3 keeps $nq of $rows rows" || not_ok "/ search" "$(screen | head -4)"
keys Enter
wait_for "/qwen3  ($nq of $rows rows)" && ok "... Enter keeps the search" || not_ok "search kept" "$(screen | head -4)"
keys Escape
wait_gone "/qwen3" && screen | grep -q "What fits here" && ok "Esc clears the search first, the list stays open" \
  || not_ok "Esc clears" "$(screen | head -4)"
keys Escape
wait_gone "What fits here" && ok "... a second Esc closes it" || not_ok "Esc closes" "$(screen | head -4)"
keys F7
wait_for "sorted by fit ("
col=$(screen | sed -n 4p | awk '{ print index($0, "mem/dev") }')
stop
# a click on the mem/dev header sorts by size (xterm SGR mouse reports through a pseudo-terminal);
# Enter loads the top row, s saves it: the session names the smallest model of --rank --sort size
# (I before it: another column starts in its own order)
if [ -x "${PTYDRIVE:-}" ] && [ "${col:-0}" -gt 0 ]; then
  env -i HOME="$T" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" TERM=xterm-256color LANG=C.UTF-8 \
    "$PTYDRIVE" 100 30 "$R" -- r I "\\e[<0;$((col + 2));4M\\e[<0;$((col + 2));4m" '\r' s 'ranked\r'
  m=$(grep -o 'model = "[^"]*"' "$T/data/rooftop/sessions/ranked.cfg" 2>/dev/null)
  [ "$m" = "model = \"${first%% *}\"" ] && ok "a click on the mem/dev header sorts by size (${first%% *} on top)" \
    || not_ok "header click sorts" "$m vs ${first%% *}"
  env -i HOME="$T" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" TERM=xterm-256color LANG=C.UTF-8 \
    "$PTYDRIVE" 100 30 "$R" -- r "\\e[<0;$((col + 2));4M\\e[<0;$((col + 2));4m" "\\e[<0;$((col + 2));4M\\e[<0;$((col + 2));4m" \
    '\r' s 'ranked2\r'
  m=$(grep -o 'model = "[^"]*"' "$T/data/rooftop/sessions/ranked2.cfg" 2>/dev/null)
  [ "$m" = "model = \"${last%% *}\"" ] && ok "a second click on it reverses the order (${last%% *} on top)" \
    || not_ok "second header click" "$m vs ${last%% *}"
fi

# --- the launch box (F8): split before options, never inside a quoted word; y copies the line ---
# a checkpoint folder named "a --b" (a config.json inside): vllm serve '.../a --b' on one row
mkdir -p "$T/a --b" && cp "$srcdir/tests/data/configs/gemma-3-1b-it.json" "$T/a --b/config.json"
tm kill-server 2>/dev/null
tm -f /dev/null new-session -d -s t -x 160 -y 40 "exec $ENV $R -m '$T/a --b/config.json'"
wait_for "F10Quit"
keys F8
wait_for "Launch: vllm" && screen | grep -q "vllm serve '$T/a --b' \\\\" \
  && ok "F8: a quoted path with ' --' in it stays whole on its row" || not_ok "quoted split" "$(screen)"
screen | grep -q "^ *│ *--b' " && not_ok "split inside the quoted word" "$(screen)" || ok "... no row starts inside the quote"
stop
# y: the line onto the clipboard with OSC 52; tmux takes it into its buffer with set-clipboard on
want=$($R --print -e llama.cpp -w q4_k_m --launch --format csv | csvcol launch)
start 80 24 "-e llama.cpp -w q4_k_m"
tm set -g set-clipboard on
keys F8
wait_for "y copies (OSC 52)" && ok "F8: the foot offers y (OSC 52)" || not_ok "y offered" "$(screen)"
keys y
wait_for "copied with OSC 52 (tmux needs: set -g set-clipboard on)" && ok "y: the status line says it was copied, and what tmux needs" \
  || not_ok "copy message" "$(screen | tail -1)"
i=0; while [ "$(tm show-buffer 2>/dev/null)" != "$want" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(tm show-buffer 2>/dev/null)" = "$want" ] && ok "... and tmux's buffer holds the launch line, as --print --launch gives it" \
  || not_ok "OSC 52 buffer" "$(tm show-buffer 2>&1)" "want $want"
stop

# --- closing brackets at 80x24 and cut columns at 60x18 ---
# unbalanced ( ) on a row of the screen: the row's text was cut
unbalanced() { screen | awk '{ o = gsub(/\(/, "("); c = gsub(/\)/, ")"); if (o != c) print NR ": " $0 }'; }
start 80 24 ""
keys a Right v
wait_for "Compare: A (pinned)"
wait_for "+100.0%" && [ -z "$(unbalanced)" ] && ok "80x24 compare: B - A keeps its closing bracket (the share alone where narrow)" \
  || not_ok "compare brackets" "$(unbalanced)"
stop
start 60 18 ""
keys F7
wait_for "What fits here" && wait_for "ctx 1,280 *│" && wait_for "tok/s │" && screen | sed -n 4p | grep -q "tok/s │" \
  && ok "60x18 F7: the scenario line and the last column end whole (columns give way)" || not_ok "60x18 rank" "$(screen | head -6)"
keys Escape
wait_gone "What fits here"
keys L
wait_for "Launch: vllm" && [ -z "$(unbalanced)" ] && ok "60x18 launch box: no row cut mid-bracket" || not_ok "60x18 launch" "$(unbalanced)"
stop

# 80x24 with a rate: the decode compute and the serving lines end whole (shorter forms where narrow)
start 80 24 "--rate 4 -b 16"
wait_for "Decode FLOP" && screen | grep "Decode FLOP" | grep -Eq "% of peak *$" \
  && ok "80x24: Decode FLOP ends with its share of the peak, not a cut number" || not_ok "decode flop line" "$(screen | grep 'Decode FLOP')"
wait_for "ITL " && screen | grep -Eq " ITL .* run [0-9.]+ *$" && ok "80x24: the serving line ends with the sequences running, whole" \
  || not_ok "serving ITL line" "$(screen | grep ' ITL ')"
stop

# --- w: the warnings box is as tall as what it says (one warning: 3 rows of text at most, 80x24) ---
# gpt-oss-20b at its native MXFP4 on an RTX 4060 Ti (no FP4 tensor cores) with llama.cpp fits with
# one warning; the box filled the whole screen around one line before
start 80 24 "-m gpt-oss-20b -g rtx-4060-ti -e llama.cpp"
keys w
if wait_for "Warnings and hints"; then
  top=$(row_at "Warnings and hints")
  bot=$(row_at "└")
  [ -n "$bot" ] && [ $((bot - top)) -le 4 ] && ok "w: one warning, a box of $((bot - top + 1)) rows" \
    || not_ok "warnings box height" "top $top bottom $bot" "$(screen)"
else
  not_ok "w opens the warnings" "$(screen)"
fi
stop

# --- the hint a user would pick comes first: fastest setup first (60x18: room for one) ---
# Gemma 3 27B at bf16 (54 GB) does not fit an RTX 5090 (32 GB).  q8_0 holds it whole on the GPU
# (27.0 B x 8.5 / 8 = 28.7 GB of weights) and reads 28.7 GB a token at 1,792 GB/s; offloading 29
# of 62 bf16 layers reads ~25 GB a token from host memory at tens of GB/s: ten times slower.
# The offload hint came first before (the order of the checks, not of the speeds).
start 60 18 "-m gemma-3-27b -g rtx-5090 -e llama.cpp"
wait_for "Does not fit" && screen | grep -q "try weights q8_0: .* tok/s" \
  && ok "Answer at 60x18: the fastest fix first (weights q8_0, with its speed)" || not_ok "hint order" "$(screen)"
stop

# ... and what works on this machine comes before more devices: gpt-oss-120b on one RTX 4090 with
# llama.cpp lists --n-cpu-moe and offload before "d: 4 devices" (faster, but four GPUs)
start 100 34 "-m gpt-oss-120b -g rtx-4090 -e llama.cpp"
keys w
if wait_for "Warnings and hints"; then
  a=$(row_at "CPU MoE [0-9]*:")
  b=$(row_at "d: [0-9]* devices fit")
  [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] && ok "hints: this machine's fixes before more devices" \
    || not_ok "hint order: machine first" "$(screen)"
else
  not_ok "w opens the hints" "$(screen)"
fi
stop

# --- F7: the format's published perplexity cost as a last column where there is room (120x30),
# given up before a model id would be cut (100x30) ---
# q5_k_m's cost over 16-bit is +0.0569 (llama.cpp's Llama-3-8B table, formats.cfg): "+0.057"
start 120 30 "-m qwen3-8b -g rtx-4070 -e llama.cpp -w q4_k_m"
keys F7
wait_for "What fits here" && wait_for "ppl+" && screen | grep "deepseek-r1-distill-qwen-14b  *q5_k_m" | grep -q "+0.057" \
  && ok "F7 at 120 columns: the ppl+ column (+0.057 for q5_k_m)" || not_ok "F7 ppl column" "$(screen | head -8)"
stop
start 100 30 "-m qwen3-8b -g rtx-4070 -e llama.cpp -w q4_k_m"
keys F7
wait_for "What fits here" && wait_for "deepseek-r1-distill-qwen-14b " && ! screen | grep -q "ppl+" \
  && ok "F7 at 100 columns: the whole model id, the ppl+ column given up" || not_ok "F7 id cut" "$(screen | head -8)"
stop

# ... and a smaller format the engine loads: vLLM takes FP8, not a GGUF type.  Qwen3-Next-80B at
# bf16 (159 GB) does not fit two H100s (80 GB each); fp8 (8 bits, 79.7 GB) does; q8_0 (8.5 bits, a
# GGUF type llama.cpp loads) was offered before
start 80 24 "-m qwen3-next-80b-a3b -g h100-sxm -n 2 -e vllm"
wait_for "Does not fit" && screen | grep -q "try weights fp8: .* tok/s" \
  && ok "Answer: vLLM is offered fp8, not the GGUF type q8_0" || not_ok "format hint by engine" "$(screen | tail -4)"
stop

# --- F7 at 60 columns: a model id too long for its column keeps its start and its end either side
# of a '~', so ids that differ only at the end stay apart (deepseek-r1-distill-qwen-14b and -32b
# both read "deepseek-r1-distill-q" when cut at the end) ---
start 60 18 "-m phi-4 -g rtx-4060-ti"
keys F7
wait_for "What fits here" && keys -l "/distill-qwen" && keys Enter
wait_for "rows)" && screen | grep -q "~l-qwen-14b " && screen | grep -q "~l-qwen-32b " \
  && ok "F7 at 60 columns: -qwen-14b and -qwen-32b told apart" || not_ok "F7 narrow ids" "$(screen)"
stop

# 80x24: the memory legend under the bar gives all four parts, so that they add up to the VRAM line
# (the runtime's 2.9 GB was left off: 15.7 + 5.0 + 0.196 read as the 23.8 GB used)
start 80 24 "-m phi-4 -g rtx-4090 -w fp8"
keys m
wait_for "batch 19 = max" && screen | grep -q "#wts [0-9.]*GB =KV [0-9.]*[MG]B +act [0-9.]*[MG]B ~rt [0-9.]*[MG]B" \
  && ok "80x24: the memory legend has weights, KV, activations and runtime" || not_ok "80x24 legend" "$(screen | head -6)"
stop

# 60x18: the message after a save or an open names the file whole, the home folder as ~ (the
# full path, $T/data/rooftop/sessions/..., ran off the screen's edge)
start 60 18 "-m qwen3-8b"
keys F2 && wait_for "Save session" && keys -l "a-long-session-name" && keys Enter
wait_for "saved ~/data/rooftop/sessions/a-long-session-name.cfg" \
  && ok "60x18: saved ~/data/rooftop/sessions/a-long-session-name.cfg, whole" || not_ok "60x18 saved message" "$(screen | tail -3)"
stop

# F6 on a wide screen: the DP|P:D column of --print --solve, so a row of two replicas and one of a
# disaggregated 1:1 pair (both "rtx-5090 2 1 1 1 int4 bf16") no longer read as the same setup.  Each
# row's devices add up: N = DP x TP x PP, or (P + D) x TP x PP for a disaggregated pair
start 120 40 "-m qwen3-30b-a3b --rate 10 --ttft-max 2 --itl-max 0.05"
keys F6
wait_for "DP|P:D" && wait_for "found in"
rows=$(screen | awk '$2 ~ /^[0-9]+$/ && $(NF - 1) ~ /^[0-9:]+$/ { print $4, $5, $6, $(NF - 1) }')
bad=$(echo "$rows" | awk '{ n = split($4, pd, ":"); g = n == 2 ? pd[1] + pd[2] : $4; if ($1 != g * $2 * $3) print }')
echo "$rows" | awk '$4 ~ /:/ { p = 1 } $4 ~ /^[2-9]/ { d = 1 } END { exit !(p && d) }' && [ -z "$bad" ] \
  && ok "F6 at 120 columns: DP|P:D, replicas and disaggregated pairs, N = the devices they use" \
  || not_ok "F6 DP|P:D column" "bad: $bad" "$(screen | head -8)"
stop

# a terminal below 60x18 is told the size it needs, whole: at 30 columns the line was cut after
# "need" (the size it needs was the part left off)
start 30 8 "-m qwen3-8b" || true
wait_for "too small" && screen | tr '\n' ' ' | grep -q "terminal too small: 30x8, need *60x18" \
  && ok "30x8: 'need 60x18' wrapped, not cut" || not_ok "too-small message" "$(screen)"
stop

# F5 at 60x18: the A and B lines end with the output tokens (cut off before, "prompt 1024," the last
# shown), in a shorter form where the box is narrow: Output stepped up from 256 to 384
start 60 18 "-m qwen3-8b"
keys a && to_field Output && keys Right && wait_for "Output *384" && keys F5
wait_for "Compare: A" && screen | grep -q "A: qwen3-8b .* out 256 " && screen | grep -q "B: qwen3-8b .* out 384 " \
  && ok "60x18 F5: A and B lines end with out 256 / out 384" || not_ok "60x18 compare lines" "$(screen | head -5)"
stop

# 80x24, Answer panel 36 columns wide: the VRAM line ends with its free space, not cut mid-word
# ("VRAM 35.4 GB/180.0 GB, 144.6 GB fr" before); the free figure is the CLI's free per device
free=$($R --print -m nemotron-3-nano-30b-a3b -w fp8 -g b200 -n 2 --rate 4 --format csv | csvcol memory.free_per_device_bytes)
start 80 24 "-m nemotron-3-nano-30b-a3b -w fp8 -g b200 -n 2 --rate 4"
wait_for "─ Answer" && l=$(screen | sed -n '/─ Answer/,$p' | grep -o 'VRAM [^│]*' | cut -c1-36 | sed 's/ *$//' | head -1)
gb=$(awk -v b="$free" 'BEGIN { printf "%.1f GB free", b / 1e9 }')
case $l in
  *"$gb") ok "80x24 Answer: the VRAM line is whole ($l)" ;;
  *) not_ok "80x24 Answer VRAM line" "want ...$gb, got '$l'" "$(screen)" ;;
esac
stop

# 200x60: one ridge on the screen.  The roofline draws the roof the Fit panel judges each phase
# against (prefill.ridge_point: the measured matmul rate over 4.8 TB/s, 331 on an H200) and names the
# datasheet's apart (ridge_point: 1979 T FP8 / 4.8 TB/s = 412); it drew 412 while the Fit panel said 331.
# The Answer panel's critical batch is the datasheet ridge's (critical_batch), and says so
f=$($R --print -m minimax-m2.5 -g h200 -n 4 -e sglang --format csv)
want=$(echo "$f" | csvcol prefill.ridge_point | awk '{ printf "ridge %.0f", $1 }')
sheet=$(echo "$f" | csvcol ridge_point | awk '{ printf "(datasheet %.0f)", $1 }')
start 200 60 "-m minimax-m2.5 -g h200 -n 4 -e sglang"
wait_for "─ Roofline" && [ "$want $sheet" = "ridge 331 (datasheet 412)" ] && screen | grep -q "─ $want FLOP/B $sheet ─" \
  && screen | grep -q "Prefill .*FLOP/B vs $want" && screen | grep -q "Decode .*FLOP/B vs $want" \
  && screen | grep -q "Crit. batch [0-9]* sequences (datasheet peak)" \
  && ok "200x60: the roofline's ridge is the Fit panel's (331), the datasheet's named apart (412), as the critical batch's" \
  || not_ok "roofline title" "want $want $sheet" "$(screen | grep -E 'Roofline|ridge')"
stop
# 120x40: the chart's axis labels stand a column apart from the panel on their left (the top one sat on
# the Answer panel's heading, "─────1.98 P")
start 120 40 "-m gpt-oss-120b -g h100-sxm -e vllm --rate 8"
wait_for "─ Roofline" && wait_for " FLOP/B  " && ! screen | grep -q "─[0-9]" && ok "120x40: the roofline's labels apart from the Answer heading" \
  || not_ok "roofline labels" "$(screen | grep -- '─ Answer')"
stop

# 80x24: the memory legend keeps its fourth part where the values are wide (Qwen3-235B-A22B on 8 x H200
# in a closed loop: "#wts 58.8GB =KV 120MB +act 807MB ~rt 14.6GB" is 43 columns for 42; the runtime part
# was dropped, so the parts did not add up to the VRAM line); the runtime figure is the CLI's
ob=$($R --print -m qwen3-235b-a22b -g h200 -n 8 -e vllm --rate inf --concurrency 64 -p 2000 -o 500 --format csv \
  | csvcol memory.device_overhead_bytes)
start 80 24 "-m qwen3-235b-a22b -g h200 -n 8 -e vllm --rate inf --concurrency 64 -p 2000 -o 500"
rt=$(awk -v b="$ob" 'BEGIN { printf "~rt %.1fGB", b / 1e9 }')
wait_for "#wts" && screen | grep "#wts" | grep -q -- "$rt *$" && [ "$rt" = "~rt 14.6GB" ] \
  && ok "80x24 memory legend: all four parts ($rt)" || not_ok "80x24 legend" "want $rt" "$(screen | grep '#wts')"
# ... and the Cost panel of a closed loop (Rate inf: on, with no month) asks for a finite rate
screen | grep -q "a finite Rate gives per month" && ok "closed loop: the Cost panel asks for a finite Rate" \
  || not_ok "closed-loop cost note" "$(screen | grep -A3 Cost)"
stop

# resized to 20x5 mid-journey: keys wait (Right on Batch stepped it unseen behind the "too small"
# message), q asks about the unsaved change on the small screen, c goes back: Batch stays at 2
start 80 24 "-m qwen3-8b"
wait_for "Batch *1 " && keys Right && wait_for "Batch *2 " && tm resize-window -t t -x 20 -y 5
wait_for "too small" && keys Right && keys Right && keys q
wait_for "unsaved" && keys c && wait_for "keys wait" && tm resize-window -t t -x 80 -y 24
wait_for "Batch" && screen | grep -q "Batch *2 " && ok "20x5: keys wait, q asks on the small screen, c goes back; Batch still 2" \
  || not_ok "keys while too small" "$(screen | head -12)"
stop

# F3 on a broken session: the error names the file (by its name: the sessions folder's path ran the
# error off an 80-column line) with its line and key, whole, and the scenario loaded before stays
mkdir -p "$T/data/rooftop/sessions"
$R --print -m qwen3-8b -b 4 --save-session "$T/data/rooftop/sessions/broken.cfg" > /dev/null
sed -i 's/batch = 4L;/batch = -5L;/' "$T/data/rooftop/sessions/broken.cfg"
line=$(grep -n 'batch = -5L' "$T/data/rooftop/sessions/broken.cfg" | cut -d: -f1)
start 80 24 "-m llama-3.1-70b -b 8"
keys F3 && wait_for "broken .*err" && keys -l broken && keys Enter
wait_for "broken.cfg:$line: batch: -5 is out of range \[1, 1099511627776\]" && screen | grep -q "Batch *8 " \
  && screen | grep -q "llama-3.1-70b" && ok "F3 on a broken session: broken.cfg:$line: batch: ... whole; the scenario stays" \
  || not_ok "F3 broken session" "$(screen)"
stop

# F5 with A pinned at 4 req/s and B with the rate off: A's line names its rate, B's serving column is
# "-" (it read 0 req/s, 0 us), and the band's sentence, the same on both, is written once (two cut
# copies ran into each other at 120 columns)
start 120 40 "-m gpt-oss-120b --rate 4"
keys a && keys j j j j j && keys 0 Enter && wait_for "Rate *off" && keys F5
wait_for "Compare: A" && screen | grep -q "A: gpt-oss-120b on 1 x h100-sxm, .*output 256; 4 req/s" \
  && screen | grep -q "B: gpt-oss-120b on 1 x h100-sxm, .*output 256  " && screen | grep -q "│   band  *no published runs near this scenario (band x1.6 wider)  *│" \
  && ok "F5: A's rate named, the band's sentence once" || not_ok "F5 lines" "$(screen | head -8; screen | grep band)"
keys PageDown PageDown && wait_for "request rate" && screen | grep -q "request rate  *4 req/s  *-  *│" \
  && ok "F5: B without a rate shows '-' for the serving figures" || not_ok "F5 missing side" "$(screen | grep -A3 'request rate')"
stop

# "native" says one thing: the format the model ships in.  DeepSeek-V3 ships FP8 and an A100 has no
# FP8 units, so its native weights run emulated: the Weights field says so in the words it has room
# for (80x24: "(emula" was cut; the field had no mark at all for "native"), the warning and the
# picker say "emulated", and the picker's native row names what the model ships ("as shipped: fp8")
start 80 24 "-m deepseek-v3 -g a100-sxm-80g -n 16"
wait_for "Weights *< native (fp8) > emul\.$" && ! screen | grep -q "not native" \
  && ok "80x24: native FP8 weights on an A100 marked emul." || not_ok "80x24 emulated mark" "$(screen | grep Weights)"
keys w && wait_for "Warnings and hints" && screen | grep -q "math: emulated at a" \
  && ok "w: the fallback's warning says emulated" || not_ok "emulated warning" "$(screen)"
keys Escape && wait_gone "Warnings and hints" && to_field Weights && keys Enter && wait_for "as shipped: fp8" \
  && screen | grep -q "│ fp8  .* fits  emulated  *│" && ! screen | grep -q "│ int8  .*emulated" \
  && ok "Weights list: native is 'as shipped: fp8', fp8 is emulated, int8 is not" || not_ok "format list words" "$(screen)"
stop
start 60 18 "-m deepseek-v3 -g a100-sxm-80g -n 16 -k fp8"
wait_for "Weights *< native (fp8) > (emulated)" && wait_for "KV cache *< fp8 > (emulated)" \
  && ok "60x18: the whole word where there is room" || not_ok "60x18 emulated mark" "$(screen)"
stop

# The session list at 60 columns: a name longer than its column is cut with a ~ and the fit and
# scenario columns stay in line (a long name pushed its row's columns right); a serving session says
# its rate (two sessions may differ only in it)
mkdir -p "$T/data/rooftop/sessions"
$R --print -m llama-3.1-8b -g l4 --rate 5 --save-session "$T/data/rooftop/sessions/l4-at-5.cfg" > /dev/null
$R --print -m qwen3-8b -g l4 --save-session "$T/data/rooftop/sessions/qwen3-8b-on-one-l4-for-the-long-walk.cfg" > /dev/null
start 60 18 "-m qwen3-8b"
keys F3 && wait_for "Open session" && wait_for "qwen3-8b-on-one~ fits" \
  && [ "$(screen | grep -E '│ (name|l4-at-5|qwen3-8b-on-one~|default) ' | sed 's/ \(fit\|fits\)  .*//' | awk '{ print length($0) }' | sort -u | wc -l | tr -d ' ')" = 1 ] \
  && screen | grep -q "│ l4-at-5  *fits  llama-3.1-8b 1x l4 bf16 5 req/s │" \
  && ok "60x18 session list: one column for fit, a long name cut with ~, the rate shown" \
  || not_ok "60x18 session list" "$(screen)"
stop
rm -rf "$T/data/rooftop/sessions"

# 80x24 under a rate with Batch 8 and Max seqs unset: Batch is also the cap on sequences running (8,
# where the engine's would be 256), and so sets the capacity.  The Serving panel has no row for the
# cap's own line here, so the capacity says what it is taken at; the Batch row says it caps serving,
# while selected too (it said nothing on the first screen, where Batch is the selected field)
cap=$($R --print -m llama-3.1-8b -g l4 --rate 5 -b 8 | awk '$1 == "capacity" { print $2 }')
start 80 24 "-m llama-3.1-8b -g l4 --rate 5 -b 8"
wait_for "above capacity $cap req/s at Batch 8" && [ "$(selected)" = Batch ] && wait_for "Batch *8 static + serving cap" \
  && ok "80x24: capacity $cap req/s at Batch 8; Batch says it caps serving" || not_ok "batch cap at 80x24" "$(screen)"
stop

# At a batch above 1 the short Answer line says which speed is which: "25.5 tok/s" at batch 201 read as
# the whole batch's.  Each sequence's and the total, the total batch x each (60x18; 80x24 keeps the
# total, what a batch is for)
start 60 18 "-m llama-3.1-8b -g h100-sxm -b 16"
wait_for "tok/s each, [0-9.]* total" && l=$(screen | grep -o "[0-9.]* tok/s each, [0-9.]* total" | head -1) \
  && echo "$l" | awk '{ t = $1; tt = $4; exit !(tt > 0.99 * 16 * t && tt < 1.01 * 16 * t) }' \
  && ok "60x18 batch 16: $l (total = 16 x each)" || not_ok "60x18 each and total" "$(screen)"
stop
start 80 24 "-m llama-3.1-8b -g h100-sxm -b 16"
wait_for "─ Answer" && screen | grep -q "TTFT [0-9.]* m*s  [0-9.]* tok/s total" && ok "80x24 batch 16: the total, named" \
  || not_ok "80x24 total" "$(screen | sed -n '/─ Answer/,$p')"
stop

tap_done
