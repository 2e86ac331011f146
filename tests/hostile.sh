#!/bin/sh
# hostile.sh - the built program against hostile inputs (tests/data/hostile/
# and files made here): each is refused with a clear message, quickly, and
# never echoes an escape sequence; the program never hangs or dies of it.
. "$srcdir/tests/tap.sh"
R=${ROOFTOP:-./src/rooftop}
H="$srcdir/tests/data/hostile"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HOME="$T" XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data"
# run R with a 10 s limit; output (stdout and stderr) in $T/out, status in $rc
# (ROOFTOP_TIMEOUT: longer under valgrind, .ci/run)
run() { rc=0; timeout "${ROOFTOP_TIMEOUT:-10}" "$R" "$@" > "$T/out" 2>&1 || rc=$?; }
has() { grep -q -- "$1" "$T/out"; }
esc() { LC_ALL=C grep -q "$(printf '\033')" "$T/out"; }

mkfifo "$T/model.gguf" "$T/config.json"
run --print -m "$T/model.gguf"
[ $rc = 1 ] && has "not a regular file" && ok "a FIFO as the GGUF model path is refused at once" || not_ok "FIFO gguf" "rc $rc: $(cat "$T/out")"
run --print -m "$T/config.json"
[ $rc = 1 ] && has "not a regular file" && ok "a FIFO as config.json is refused at once" || not_ok "FIFO json" "rc $rc"
mkdir "$T/dir.gguf"
run --print -m "$T/dir.gguf"
[ $rc = 1 ] && has "Is a directory" && ok "a folder as the model path is refused" || not_ok "folder model" "rc $rc"

run --print -m "$H/moe-2-40.json"
[ $rc = 1 ] && has "over 67108864" && ok "MoE sizes of 2^40 are refused with the cap" || not_ok "moe 2^40" "$(cat "$T/out")"

mkdir -p "$T/config/rooftop"
cp "$H/include-dot.cfg" "$T/config/rooftop/models.cfg"
run --print --format csv
[ $rc = 0 ] && has "only files in the same folder" && ok "@include \".\" skips the user file, the program goes on" \
  || not_ok "include dot" "rc $rc: $(cat "$T/out")"
cp "$H/include-absolute.cfg" "$T/config/rooftop/models.cfg"
run --print --format csv
[ $rc = 0 ] && has "only files in the same folder" && ! has "root:" && ok "an absolute @include is refused, nothing echoed" \
  || not_ok "include absolute" "$(cat "$T/out")"
rm "$T/config/rooftop/models.cfg"

run --print -s "$H/session-escape.cfg"
[ $rc != 0 ] && has "PWNED" && ! esc && ok "an escape sequence in a session value is printed as '?'" \
  || not_ok "session escape" "rc $rc"
run --print -s "$H/session-unclosed-string.cfg"
[ $rc != 0 ] && has "session-unclosed-string.cfg:2: a string in double quotes is not closed" \
  && ok "an unclosed string names its line" || not_ok "unclosed string" "$(cat "$T/out")"
awk 'BEGIN { printf "format_version = 1;\nscenario = {"; for (i = 0; i < 100000; i++) printf "k%d=1;", i; print "};" }' > "$T/big.cfg"
run --print -s "$T/big.cfg"
[ $rc != 0 ] && has "larger than 64 KiB" && ok "a 1 MB session is refused by its size" || not_ok "1 MB session" "$(cat "$T/out")"

run --accuracy "$H/accuracy-12-columns.csv"
[ $rc = 0 ] && has "too few columns" && ok "a 12-column accuracy row is skipped" || not_ok "12 columns" "$(cat "$T/out")"
run --accuracy "$H/accuracy-infinite-value.csv"
[ $rc = 0 ] && has "no value" && ! has "nan" && ok "an infinite accuracy value is skipped" || not_ok "inf value" "$(cat "$T/out")"
{ head -1 "$H/accuracy-12-columns.csv"; awk 'BEGIN { for (i = 0; i < 100000; i++) printf ","; print "" }'; } > "$T/commas.csv"
run --accuracy "$T/commas.csv"
[ $rc = 0 ] && ok "a line of 100,000 commas is read without overrunning" || not_ok "commas" "rc $rc"

ln -s /dev/null "$T/null.cfg"
run --print --save-session "$T/null.cfg"
[ $rc != 0 ] && has "not a regular file" && [ -c /dev/null ] && ok "saving over a link to a device is refused" \
  || not_ok "save over device" "rc $rc: $(cat "$T/out")"
# a llama-bench CSV whose n_prompt is 1e300 (found by fuzz_calibrate: the cast to a count was undefined)
run --calibrate "$H/llama-bench-huge-prompt.csv" --gpu rtx-3090 --bandwidth 1008
[ $rc = 1 ] && has "no run could be replayed" && ok "--calibrate with an absurd token count: the run is not replayed" \
  || not_ok "calibrate huge count" "rc $rc: $(cat "$T/out")"
# a llama-bench markdown table whose rows are shorter than the header (found by fuzz_calibrate:
# a missing cell's slot pointed into an earlier, freed row; ASan in CI's sanitizer pass)
run --calibrate "$H/llama-bench-md-short-rows.md" --gpu rtx-3090
[ $rc = 1 ] && has "no llama-bench table rows" && ok "--calibrate with short markdown rows: refused, nothing read out of bounds" \
  || not_ok "calibrate short md rows" "rc $rc: $(cat "$T/out")"

# Raw escape sequences from file names and tools: escaped in tables (a newline must not
# forge a row), and every JSON is valid UTF-8 that keeps the field
utf8() { iconv -f UTF-8 -t UTF-8 "$T/out" > /dev/null 2>&1; }
bel() { LC_ALL=C grep -q "$(printf '\007')" "$T/out"; }
hasf() { grep -qF -- "$1" "$T/out"; }
mkdir -p "$T/lc"
evil=$(printf 'ev\033]0;PWNED\007il\nFAKE ROW\377.gguf')
printf 'GGUF\003\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' > "$T/lc/$evil"
LLAMA_CACHE="$T/lc" run --list-models --local
rows=$(grep -c "^llama.cpp" "$T/out")
[ $rc = 0 ] && ! esc && ! bel && [ "$rows" = 1 ] && ! grep -q "^FAKE ROW" "$T/out" && has 'ev\\x1b]0;PWNED\\x07il\\nFAKE ROW\\xff.gguf' \
  && ok "--list-models --local: a file name's escapes and newline are escaped in the table" || not_ok "local table" "rc $rc rows $rows"
LLAMA_CACHE="$T/lc" run --list-models --local --format json
[ $rc = 0 ] && utf8 && hasf '"name": "ev\u001B]0;PWNED\u0007il\nFAKE ROW\\xff.gguf"' \
  && ok "--list-models --local --format json: a name that is not UTF-8 is kept, escaped" || not_ok "local json" "$(cat "$T/out")"
mkdir -p "$T/tools" "$T/proc"
printf '#!/bin/sh\nprintf "NVIDIA \\033[2J\\033]0;PWNED\\007H100\\377, 81559, 2619, 80000\\n"\n' > "$T/tools/nvidia-smi"
chmod +x "$T/tools/nvidia-smi"
printf 'processor\t: 0\nmodel name\t: Evil \033]0;PWNED\007CPU\377\n' > "$T/proc/cpuinfo"
printf 'MemTotal:       65536000 kB\n' > "$T/proc/meminfo"
PATH="$T/tools:$PATH" ROOFTOP_PROC="$T/proc" run --detect
[ $rc = 0 ] && ! esc && ! bel && hasf 'NVIDIA \x1b[2J\x1b]0;PWNED\x07H100\xff' && hasf 'Evil \x1b]0;PWNED\x07CPU\xff' \
  && ok "--detect: a device name's and a cpuinfo model name's escapes are escaped in the table" || not_ok "detect table" "rc $rc $(cat "$T/out")"
PATH="$T/tools:$PATH" ROOFTOP_PROC="$T/proc" run --detect --format json
[ $rc = 0 ] && utf8 && hasf '"name": "Evil \u001B]0;PWNED\u0007CPU\\xff"' && hasf '"name": "NVIDIA \u001B[2J' \
  && ok "--detect --format json: a name that is not UTF-8 is kept, escaped" || not_ok "detect json" "$(cat "$T/out")"
for f in "$srcdir"/tests/data/configs/*.json; do cp "$f" "$T/x.json"; break; done
mp=$(printf "$T/ev\033]0;PWNED\007il\nrm -rf ~\377.json")
cp "$T/x.json" "$mp"
run --print -m "$mp" -e vllm --launch
[ $rc = 0 ] && ! esc && ! bel && ! grep -q "^rm -rf" "$T/out" && ok "--launch in table mode: the model path's escapes and newline are escaped" \
  || not_ok "launch table" "rc $rc $(cat "$T/out")"
run --print -m "$mp" -e vllm --launch --format json
[ $rc = 0 ] && utf8 && grep -q '"launch": "vllm serve' "$T/out" && ok "--launch --format json: valid UTF-8, the line kept" \
  || not_ok "launch json" "rc $rc $(cat "$T/out")"

# A detection tool that hangs dies with rooftop, on every way rooftop ends (its own
# process group is killed), and the dashboard's start says what it waits for
mkdir -p "$T/hang"
printf '#!/bin/sh\necho $$ > "%s/hang/pid"\nexec sleep 60\n' "$T" > "$T/hang/nvidia-smi"
chmod +x "$T/hang/nvidia-smi"
gone() { p=$(cat "$T/hang/pid" 2>/dev/null) && { [ ! -e "/proc/$p" ] || grep -q '^[0-9]* ([^)]*) Z' "/proc/$p/stat"; }; }
# polls, 50 ms apart, for at most 30 s (generous: valgrind, a loaded machine)
started() { i=0; while [ ! -s "$T/hang/pid" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done; }
ended() { i=0; until gone || [ $i -ge 600 ]; do sleep 0.05; i=$((i + 1)); done; }
for sig in TERM HUP; do
  rm -f "$T/hang/pid"
  PATH="$T/hang:$PATH" "$R" --detect > /dev/null 2>&1 &
  p=$!; started; kill -$sig $p; wait $p 2>/dev/null; ended
  if gone; then ok "SIG$sig to --detect: the hanging tool is killed too"
  else not_ok "SIG$sig to --detect: the tool outlives rooftop"; kill -9 "$(cat "$T/hang/pid")" 2>/dev/null; fi
done
if [ -x "${PTYSIG:-}" ]; then
  rm -f "$T/hang/pid"
  r=$(PATH="$T/hang:$PATH" ABSENT='waiting for nvidia-smi' "$PTYSIG" 2 "waiting for nvidia-smi" "$R"); ended
  case $r in
    signal=2*absent=0*) gone && ok "SIGINT in the dashboard's start: it said what it waited for, the tool is killed ($r)" \
      || { not_ok "SIGINT in the dashboard's start: the tool outlives rooftop" "$r"; kill -9 "$(cat "$T/hang/pid")"; } ;;
    *) not_ok "the dashboard's start waiting for a tool" "$r" ;;
  esac
fi

# Bounded work: a sweep of replays has a total budget; --calibrate reads at most 16 MiB;
# rates too small for the replay's clock are refused; --requests 1e6 reads as -p 1e6 does
run --print -m llama-3.1-8b --rate 8 --requests 1e6 --sweep batch=1:10000000 --format csv
[ $rc = 1 ] && has "replay 1e+13 requests in all" && ok "--sweep x --rate: 1e7 rows of 1e6 requests are refused at once" \
  || not_ok "sweep replay budget" "rc $rc $(cat "$T/out")"
run --print -m llama-3.1-8b --rate 8 --requests 1e3 --format csv
v=$(csvcol serving.requests < "$T/out")
[ $rc = 0 ] && [ "$v" = 1000 ] && ok "--requests 1e3 is 1000 requests" || not_ok "--requests 1e3" "rc $rc got $v"
for r in 1e-14 1e-300; do
  run --print -m llama-3.1-8b --rate $r
  [ $rc = 1 ] && has "^rooftop: --rate: .* is below 0.001" && ok "--rate $r: refused (the replay's times would be 0)" \
    || not_ok "--rate $r" "rc $rc $(head -3 "$T/out")"
done
run --print --solve -m llama-3.1-70b --rate 1e9 --ttft-max 1
[ $rc = 1 ] && has "every request at once" && ok "--solve --rate 1e9 says why there is no setup" || not_ok "solve 1e9" "$(cat "$T/out")"
{ head -1 "$srcdir/tests/data/calibrate/rooftop.csv"; sed -n 2p "$srcdir/tests/data/calibrate/rooftop.csv" | sed 's/,tg_tok_s,149.37,/,tg_tok_s,1e-308,/'; } > "$T/tiny.csv"
run --accuracy "$T/tiny.csv"
[ $rc = 0 ] && has "no value" && ! has "inf%" && ! has "nan%" && ok "--accuracy: a measured 1e-308 is no value, not inf%" \
  || not_ok "accuracy 1e-308" "$(cat "$T/out")"
truncate -s 17M "$T/big.json"
run --calibrate "$T/big.json" -g rtx-3090
[ $rc = 1 ] && has "larger than 16384 KiB" && ok "--calibrate: a 17 MiB file is refused before it is read" || not_ok "calibrate 17 MiB" "rc $rc $(cat "$T/out")"

# a failed --print -s NAME writes nothing: the sessions folder is made by the first save
run --print -s no-such-session
[ $rc = 1 ] && [ ! -e "$T/data/rooftop" ] && ok "--print -s NAME that fails does not create the sessions folder" \
  || not_ok "-s NAME creates folders" "rc $rc $(ls -R "$T/data" 2>&1 | head -3)"
# a session's value that the scenario refuses is blamed on the session's line and key, not on an
# option the command line never gave (it read "rooftop: --disagg: '1:x' is not P:D"); a value the
# command line gives instead is taken
$R --print -m llama-3.1-8b --rate 2 --save-session "$T/v.session" > /dev/null 2>&1
sed 's/disagg = ""/disagg = "1:x"/' "$T/v.session" > "$T/bad.session"
line=$(grep -n 'disagg = ' "$T/bad.session" | cut -d: -f1)
run --print -s "$T/bad.session"
[ $rc = 1 ] && has "^rooftop: $T/bad.session:$line: disagg: '1:x' is not P:D" \
  && ok "a session's bad disagg: FILE:$line: disagg" || not_ok "session value blame" "rc $rc: $(cat "$T/out")"
run --print -s "$T/bad.session" --disagg 1:1 -n 2
[ $rc = 0 ] && ok "... --disagg on the command line replaces it" || not_ok "cli over bad session" "rc $rc: $(cat "$T/out")"
sed 's/ep = 0L/ep = 5L/' "$T/v.session" > "$T/bad.session"
line=$(grep -n '  ep = ' "$T/bad.session" | cut -d: -f1)
run --print -s "$T/bad.session"
[ $rc = 1 ] && has "^rooftop: $T/bad.session:$line: ep: 5 is more than the device count (1)" \
  && ok "a session's ep above its devices: FILE:$line: ep" || not_ok "session ep" "rc $rc: $(cat "$T/out")"
# ... and on the command line the same checks name the option (the EP one named none)
run --print -m mixtral-8x7b -n 2 --ep 4
[ $rc = 1 ] && has "^rooftop: --ep: 4 is more than the device count (2)" && ok "--ep 4 on 2 devices names --ep" \
  || not_ok "--ep message" "rc $rc: $(cat "$T/out")"
run --print -m llama-3.1-8b -n 4 --dp 3
[ $rc = 1 ] && has "^rooftop: --dp: 3 replicas need a device count that is a multiple of 3" && ok "--dp 3 on 4 devices names --dp" \
  || not_ok "--dp message" "rc $rc: $(cat "$T/out")"

# command-line values in error messages: an escape sequence is shown as \x1b, never sent to the
# terminal (a value that fails to parse, an unknown id, an unknown sweep parameter), and a
# 5,000-character id is cut to 80 characters and "..."
ESCV=$(printf '\033[2J5')
for a in "-b $ESCV" "-e $ESCV" "--sweep batch=$ESCV" "--sweep $ESCV=1:2" "--format $ESCV" "--explain $ESCV"; do
  run --print ${a%% *} "${a#* }"
  { [ $rc != 0 ] && ! esc && has '\\x1b\[2J5'; } || not_ok "escape in '${a%% *}' echoed" "rc $rc: $(cat -v "$T/out")"
done; ok "an escape sequence in a command-line value is shown as \\x1b[2J in each error"
run --print -m "$(awk 'BEGIN { for (i = 0; i < 5000; i++) printf "x" }')"
[ $rc = 1 ] && has "^rooftop: --model: invalid value 'x\{80\}\.\.\.': empty or too long$" \
  && ok "a 5,000-character --model is refused, shown as its first 80 characters" || not_ok "long id" "$(head -c 300 "$T/out")"

# --attn-weights on a model without attention layers (a Mamba-2 config.json): the format goes to
# its recurrent mixers' projections, and the warning says so; a ModelOpt checkpoint whose
# quant_algo has no catalog format is named, not read as 16-bit in silence
printf '{"model_type":"mamba2","hidden_size":2560,"num_hidden_layers":64,"vocab_size":50288,"expand":2,"head_dim":64,"num_heads":80,"n_groups":1,"state_size":128,"conv_kernel":4,"torch_dtype":"bfloat16"}' > "$T/mamba.json"
run --print -m "$T/mamba.json" -w bf16 --attn-weights fp8
[ $rc = 0 ] && has "also holds the mixer projections of the 64 recurrent layers of model 'mamba.json' (it has no attention layer)" \
  && ok "--attn-weights on a Mamba-2 model names the recurrent layers it reaches" || not_ok "attn-weights mamba" "rc $rc: $(cat "$T/out")"
printf '{"model_type":"llama","hidden_size":512,"num_hidden_layers":2,"num_attention_heads":8,"intermediate_size":1024,"vocab_size":1000,"torch_dtype":"bfloat16","quantization_config":{"quant_method":"modelopt","quant_algo":"MXFP8"}}' > "$T/mxfp8.json"
run --print -m "$T/mxfp8.json"
[ $rc = 0 ] && has "mxfp8.json: quantization_config quant_method 'modelopt' with quant_algo 'MXFP8': no format rooftop knows" \
  && ok "a ModelOpt quant_algo without a catalog format is named in a warning" || not_ok "modelopt mxfp8" "rc $rc: $(cat "$T/out")"

# a --calibrate file with no run to replay names the first run's line and why (it said only "first:")
printf 'model_filename,model_type,n_prompt,n_gen,avg_ts\n"x.gguf","llama 8B Q4_K",512,0,nan\n' > "$T/norate.csv"
run --calibrate "$T/norate.csv" -g rtx-4090
[ $rc = 1 ] && has "norate.csv:2: no run could be replayed (1 read; the first: no rate" \
  && ok "--calibrate: no replayable run names FILE:2 and why" || not_ok "calibrate no run line" "rc $rc: $(cat "$T/out")"

tap_done
