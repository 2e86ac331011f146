#!/bin/sh
# tui_serving.sh - the serving fields of the dashboard (issue 21): Prompt len, Output len, Clients,
# DP and Disagg are rows of the inputs table, so the form shows them, the Serving panel follows
# them as --print does for the same options, and sessions keep them.  The real dashboard in tmux;
# each wait polls the screen (no fixed sleeps to pass or fail on); TERM, LANG and HOME pinned; a
# private tmux socket; everything cleaned up.
S="rooftop-sv-$$"
. "$srcdir/tests/tmux-harness.sh"
# a figure of --print's text table ("TTFT p99 under load   56.5 ms" -> "56.5 ms")
fig() { $R --print "$@" | grep "^  $FIG  " | sed "s/^  $FIG *//"; }

# --- the fields, on a screen tall enough for the whole form (the dashboard starts on Batch) ---
start 100 52 "--rate 4"
for l in "Prompt len" "Output len" "Clients" "DP" "Disagg"; do
  wait_for "^ $l " && ok "the form has a $l field" || not_ok "field $l" "$(screen)"
done
wait_for "Prompt len < fixed >" && wait_for "Clients    off" && wait_for "DP         1" && wait_for "Disagg     < off >" \
  && ok "their defaults read fixed, off, 1 and off" || not_ok "defaults" "$(screen)"

# Prompt len: Right is the next choice, uniform:0.25 (lengths in [0.75, 1.25] x 1024); the Serving
# panel's p99 TTFT is --print's for --prompt-dist uniform:0.25 (the same 1000 requests, fixed seed)
FIG="TTFT p99 under load"
p99=$(fig --rate 4 --prompt-dist uniform:0.25)
p99fixed=$(fig --rate 4)
to_field "Prompt len" && keys Right
wait_for "Prompt len < uniform:0.25 >" && ok "Prompt len: Right steps to uniform:0.25" || not_ok "prompt len step" "$(screen)"
wait_for "Serving .* lengths vary" && ok "... the Serving heading says the lengths vary" || not_ok "lengths note" "$(screen)"
[ -n "$p99" ] && [ "$p99" != "$p99fixed" ] && wait_for "p99 $p99" \
  && ok "... and its p99 TTFT is --print's for --prompt-dist uniform:0.25 ($p99; fixed lengths: $p99fixed)" \
  || not_ok "serving follows prompt len" "want p99 $p99 (fixed $p99fixed)" "$(screen)"

# Output len from the picker, a value typed that is not on its list: lognormal:0.7
to_field "Output len" && keys Enter
wait_for "search, Enter picks" || wait_for "lognormal:1"
keys l o g n o r m a l : 0 . 7
wait_for "value (Enter): lognormal:0.7_" && ok "Output len's picker takes a typed distribution" || not_ok "typed dist" "$(screen)"
keys Enter
FIG="inter-token latency"
itl=$(fig --rate 4 --prompt-dist uniform:0.25 --output-dist lognormal:0.7)
wait_for "Output len < lognormal:0.7 >" && wait_for "ITL $itl " \
  && ok "... lognormal:0.7 set, and the ITL is --print's for it ($itl)" || not_ok "output dist typed" "want ITL $itl" "$(screen)"

# Clients: 8 typed.  A closed loop needs every request ready: the Rate field goes to inf, the panel
# says 8 clients, and at most 8 run at once (a client has one request out): mean running <= 8
to_field "Clients" && keys 8 Enter
wait_for "Clients    8" && wait_for "Rate       inf (closed loop)" \
  && ok "Clients 8: the Rate goes to inf (a closed loop)" || not_ok "clients sets rate" "$(screen)"
wait_for "Serving .*8 clients" && ok "... the Serving heading says 8 clients" || not_ok "clients note" "$(screen)"
run=$(screen | sed -n 's/.*running \([0-9.]*\).*/\1/p' | head -1)
awk -v r="${run:-99}" 'BEGIN { exit !(r > 0 && r <= 8) }' && ok "... mean running $run, at most the 8 clients" \
  || not_ok "closed loop bound" "running $run" "$(screen)"
keys 0 Enter
# back to an open loop at 4 req/s: Rate typed (Clients off first: a finite rate is an open loop)
to_field Rate && keys 4 Enter
wait_for "Rate       4 req/s" && wait_for "Clients    off" && ok "Rate 4 typed: Clients off" || not_ok "rate clears clients" "$(screen)"

# DP: Right makes 2 replicas; each keeps its one device, so Devices reads 2 (1 x 2), and the capacity
# is --print's for --dp 2 -n 2: twice one replica's (requests spread over both)
FIG="capacity"
cap2=$(fig --rate 4 --prompt-dist uniform:0.25 --output-dist lognormal:0.7 --dp 2 -n 2)
to_field DP && keys Right
wait_for "DP         2" && wait_for "Devices    2" && ok "DP 2: Devices follows to 2 (a device per replica)" \
  || not_ok "dp devices" "$(screen)"
wait_for "Serving .*dp 2" && wait_for "capacity $cap2" && ok "... capacity $cap2, as --print --dp 2 -n 2" \
  || not_ok "dp capacity" "want $cap2" "$(screen)"

# Disagg: Right is 1:1 (one prefill device, one decode); it is one group of each, so DP goes back
# to 1 and Devices to 1; the panel names the split and the KV transfer
FIG="KV transfer"
kv=$(fig --rate 4 --prompt-dist uniform:0.25 --output-dist lognormal:0.7 --disagg 1:1)
to_field Disagg && keys Right
wait_for "Disagg     < 1:1 >" && wait_for "DP         1" && wait_for "Devices    1" \
  && ok "Disagg 1:1: DP back to 1, Devices to 1" || not_ok "disagg step" "$(screen)"
wait_for "Serving .*disagg 1:1" && wait_for "disaggregated: 1 prefill + 1 decode, KV moved in $kv" \
  && ok "... the Serving panel: 1 prefill + 1 decode, KV moved in $kv (as --print)" || not_ok "disagg panel" "want $kv" "$(screen)"
keys Enter
wait_for "value (Enter)" || wait_for "4:2"
keys 2 : 1
wait_for "value (Enter): 2:1_" && keys Enter
wait_for "Disagg     < 2:1 >" && wait_for "disaggregated: 2 prefill + 1 decode" && ok "Disagg 2:1 typed in its picker" \
  || not_ok "typed split" "$(screen)"

# sessions keep them
keys s; wait_for "Save session"; keys sv Enter
f="$T/data/rooftop/sessions/sv.cfg"
i=0; while [ ! -f "$f" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q 'prompt_dist = "uniform:0.25"' "$f" && grep -q 'output_dist = "lognormal:0.7"' "$f" && grep -q 'disagg = "2:1"' "$f" \
  && ok "the session keeps prompt_dist, output_dist and disagg" || not_ok "session keys" "$(cat "$f")"
stop

# --- KV policy (--kv-policy): how the engine holds each sequence's KV cache under load ---
# Llama 3.1 8B on one RTX 4090 with vLLM, 2048 tokens in and 2048 out, 400 requests at once.  A
# sequence's cache at its final context is 32 layers x 8 KV heads x 128 x 2 (K, V) x 2 bytes = 131,072
# bytes a token x 4096 tokens = 537 MB.  reserve holds that from admission, so the KV room holds R
# sequences and never more run: the panel's "running at most R (KV reserved)" and a mean of R.00
# while the 400 wait.  grow admits a sequence on its 2048-token prompt, half that cache, so it starts
# at least 2R (floor(2x) >= 2 floor(x)) and preempts as they grow: more run at the same room.
K="-m llama-3.1-8b -g rtx-4090 -e vllm -p 2048 -o 2048 --rate inf --requests 400"
csv() { $R --print $K "$@" --format csv; }
res=$(csv --kv-policy reserve | csvcol serving.max_running)
gro=$(csv --kv-policy grow | csvcol serving.max_running)
[ "${res:-0}" -ge 1 ] && [ "${gro:-0}" -ge $((2 * res)) ] \
  && ok "--kv-policy: grow starts at least twice as many as reserve holds ($gro >= 2 x $res)" \
  || not_ok "grow admits twice reserve's" "reserve $res, grow $gro"
start 100 52 "$K"
to_field "KV policy"
wait_for "KV policy  < engine's: grow >" && ok "the KV policy field: unset, the engine's (vLLM grows)" \
  || not_ok "KV policy default" "$(screen)"
keys Right
wait_for "KV policy  < reserve >" && wait_for "running at most $res (KV reserved)" && wait_for "running $res.00" \
  && ok "Right: reserve; $res sequences run, all the KV room holds at final contexts" || not_ok "reserve" "$(screen)"
keys Right
wait_for "KV policy  < grow >" && wait_for "KV grown past $res" && ok "Right: grow, past the $res reserve holds" \
  || not_ok "grow" "$(screen)"
mean_grows() { m=$(screen | sed -n 's/.*running \([0-9.]*\)$/\1/p' | head -1); awk -v m="${m:-0}" -v r="$res" 'BEGIN { exit !(m > r) }'; }
_fpoll mean_grows && ok "... more run on average than reserve's $res ($m)" || not_ok "grow mean running" "$m" "$(screen)"
keys Right
wait_for "KV policy  < engine's: grow >" && ok "Right again: back to the engine's (the choices cycle)" \
  || not_ok "KV policy cycles" "$(screen)"
# reserve (Left twice: grow, then reserve) saved, against vLLM's own grow
keys Left Left
wait_for "KV policy  < reserve >" && keys s && wait_for "Save session" && keys kvp Enter
f="$T/data/rooftop/sessions/kvp.cfg"
i=0; while [ ! -f "$f" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q 'kv_policy = "reserve";' "$f" && ok "the session keeps kv_policy" || not_ok "session kv_policy" "$(cat "$f")"
$R --print -s "$f" | grep -q "^KV cache under load: each sequence's cache for its final context reserved .*(--kv-policy)" \
  && ok "... and --print -s reads it back" || not_ok "session kv_policy read" "$($R --print -s "$f" | grep 'KV cache under')"
stop
# grown but never past what reserving holds (0.05 req/s of 2048-token outputs at ~22 ms a token: about 2
# running): no "KV grown past" (it read so beside 33 running, DeepSeek-V3 on SGLang), the engine's cap
start 100 52 "$K --kv-policy grow --rate 0.05"
wait_for "running at most 256 (engine's)" && ! screen | grep -q "grown past" \
  && ok "grow below what reserve holds: the engine's cap alone" || not_ok "grow below reserve" "$(screen)"
stop
start 100 52 "-s $f"
wait_for "KV policy  < reserve >" && wait_for "running at most $res (KV reserved)" && ok "... and the dashboard opens on it" \
  || not_ok "session kv_policy opened" "$(screen)"
stop

# --- small screens: the form scrolls to the new fields, the slider and its line stay ---
for size in "80 24" "60 18"; do
  start $size "--rate 4"
  to_field Disagg
  wait_for "^ Disagg     < off >" && wait_for " 1 \[" && wait_for "max batch" \
    && ok "${size% *}x${size#* }: the form scrolls to Disagg, the slider and limits line stay" || not_ok "$size scroll" "$(screen)"
  stop
done
# 100x30: the Answer panel keeps its rows under the longer form (TTFT .. End to end)
start 100 30 ""
wait_for "End to end" && wait_for "Tok/s total" && ok "100x30: the Answer panel keeps its rows" || not_ok "100x30 answer" "$(screen)"
stop

# --concurrency's closed loop is no "all at once": the Rate field, the capacity line and (60x18) the
# Answer's serving line say the clients; the Answer read "never, within one setup's capacity: TTFT
# under load ..." (the break-even rate's words for an infinite rate) before
start 80 24 "-m qwen3-32b -g h100-sxm --rate inf --concurrency 16 -p 2k -o 512"
wait_for "capacity .* (closed loop)" && screen | grep -q "Rate  *inf (closed loop)" && ! screen | grep -q "all at once" \
  && ok "80x24 closed loop: Rate inf (closed loop), capacity (closed loop)" || not_ok "80x24 closed loop" "$(screen)"
stop
start 60 18 "-m qwen3-32b -g h100-sxm --rate inf --concurrency 16 -p 2k -o 512"
wait_for "TTFT under load" && screen | grep -q "^ 16 clients: TTFT under load" && ! screen | grep -q "never" \
  && ok "60x18 closed loop: '16 clients: TTFT under load'" || not_ok "60x18 closed loop" "$(screen)"
stop

# Rate typed 0 (off) ends the closed loop too: Clients kept 8 beside "Rate off", doing nothing
start 80 24 "-m qwen3-8b -g h100-sxm --rate inf --concurrency 8"
to_field Clients && wait_for "Clients    8" && to_field Rate && keys 0 Enter
wait_for "Rate       off" && to_field Clients && wait_for "Clients    off" && ok "Rate 0 typed: Clients off" || not_ok "rate off clears clients" "$(screen)"
stop

tap_done
