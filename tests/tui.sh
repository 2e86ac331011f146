#!/bin/sh
# tui.sh - drive the real dashboard in tmux: type keys, read the screen.
# TERM, LANG and HOME are pinned; a private tmux socket; everything cleaned up.
. "$srcdir/tests/tap.sh"
R=${ROOFTOP:-./src/rooftop}
case $R in /*) ;; *) R="$(pwd)/$R" ;; esac
if ! command -v tmux >/dev/null 2>&1; then echo "1..0 # SKIP tmux not installed"; exit 0; fi
T=$(mktemp -d)
# one tmux server per dashboard run, each on its own socket (fresh): no waiting for an old server to exit
S0="rooftop-test-$$"; S="$S0-0"; ns=0
trap 'for s in "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$S0"-*; do tmux -S "$s" kill-server 2>/dev/null; rm -f "$s"; done; rm -rf "$T"' EXIT
export HOME="$T" XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data"
# PATH without nvidia-smi or rocm-smi: the dashboard starts on the defaults, whatever the machine has
# Under AddressSanitizer the leak check is off for the dashboard in tmux: LeakSanitizer's
# stop-the-world tracer, run at exit, can hang on a process whose pty tmux had closed
# (left spinning, an orphan, after the test); ASan and UBSan themselves stay on.
ENV="env HOME=$T XDG_CONFIG_HOME=$T/config XDG_DATA_HOME=$T/data TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 PATH=$T/nobin ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

tm() { tmux -L "$S" "$@"; }
# end the current tmux server and move to a fresh socket for the next run
fresh() { tm kill-server 2>/dev/null; ns=$((ns + 1)); S="$S0-$ns"; }
screen() { tm capture-pane -p -t t; }
# Every wait polls: COMMAND is tried every 50 ms until it succeeds, for at most $TUI_WAIT seconds
# (30 unless set: generous, for loaded machines and sanitizers; a passing check returns at once).
# keys does not sleep: after keys, read the screen only through these waits.
TUI_WAIT=${TUI_WAIT:-30}
poll() { _pn=$((TUI_WAIT * 20)); until "$@"; do _pn=$((_pn - 1)); [ $_pn -gt 0 ] || return 1; sleep 0.05; done; }
shows() { screen | grep -q -- "$1"; }
shows_text() { screen | grep -qF -- "$1"; }
hides() { ! screen | grep -q -- "$1"; }
line_has() { screen | grep -- "$1" | grep -q -- "$2"; }
val_is() { [ "$(field "$1")" = "$2" ]; }
status_is() { [ "$(status)" = "$1" ]; }
# wait until the screen shows TEXT (a grep pattern)
wait_for() { poll shows "$1"; }
# wait until the screen shows TEXT (a fixed string)
wait_text() { poll shows_text "$1"; }
# wait until the screen no longer shows TEXT
wait_gone() { poll hides "$1"; }
# wait until a line matching PATTERN also matches TEXT
wait_line() { poll line_has "$1" "$2"; }
# wait until field NAME shows VALUE
wait_val() { poll val_is "$1" "$2"; }
# wait until the pane's shell has recorded rooftop's exit status CODE
wait_status() { poll status_is "$1"; }
# wait until FILE exists
wait_file() { poll test -f "$1"; }
keys() { tm send-keys -t t "$@"; }
field() { screen | grep -o "$1 *[0-9][0-9]*" | head -1 | awk '{print $NF}'; }
# to_field LABEL, selected, wait_selected: fields by their labels, not their places in the form
. "$srcdir/tests/fields.sh"
vram() { screen | grep -o 'VRAM[^ ]* [0-9.]* [GMT]B' | head -1; }

# a shell in the pane runs rooftop in the foreground and records its exit status
start() { rm -f "$T/rc"; tm -f /dev/null new-session -d -s t -x "$1" -y "$2" "$ENV $3 $R; echo \$? > $T/rc; sleep 30"; }
status() { cat "$T/rc" 2>/dev/null; }
# rooftop's pid: the child of the pane's shell (read from /proc, no procps needed)
rooftop_pid() {
  sh_pid=$(tm display -p -t t '#{pane_pid}')
  for st in /proc/[0-9]*/stat; do
    set -- $(cat "$st" 2>/dev/null)
    [ "${4:-}" = "$sh_pid" ] && case $2 in *rooftop*|*env*) echo "$1"; return ;; esac
  done
}
start 100 30 ""
wait_for "Fit and speed" && ok "dashboard opens on the default session" || not_ok "opens" "$(screen)"
wait_val Batch 1 && ok "batch starts at 1" || not_ok "batch starts at 1" "$(field Batch)"
vram_shown() { v1=$(vram); [ -n "$v1" ]; }
poll vram_shown
keys Right
wait_val Batch 2 && ok "Right steps the batch" || not_ok "Right steps the batch" "$(screen)"
vram_moved() { v2=$(vram); [ -n "$v2" ] && [ "$v2" != "$v1" ]; }
poll vram_moved
[ -n "$v1" ] && [ "$v1" != "$v2" ] && ok "VRAM follows the batch ($v1 -> $v2)" || not_ok "VRAM follows" "$v1 / $v2"
keys ']'
wait_val Batch 4 && ok "] doubles to the next power of two" || not_ok "] doubles" "$(field Batch)"
keys 3 7 Enter
wait_val Batch 37 && ok "digits type an exact value" || not_ok "digits" "$(field Batch)"

want=$($R --print --format csv | csvcol max_batch)
keys m
wait_val Batch "$want" && ok "m lands on the core's max batch ($want)" || not_ok "max batch" "$(field Batch) vs $want"

keys s
wait_for "Save session" || not_ok "save dialog"
keys mysess Enter
wait_file "$T/data/rooftop/sessions/mysess.cfg" && ok "s saves the session" || not_ok "s saves" "$(screen | tail -2)"
v=$($R --print -s mysess --format csv | csvcol batch)
[ "$v" = "$want" ] && ok "saved session loads back identically" || not_ok "loads back" "$v vs $want"
wait_line rooftop "mysess" && wait_gone "modified" && ok "title shows the session, unmodified" || not_ok "title"

keys Left
wait_for "modified" && ok "a change marks the session modified" || not_ok "modified marker"
keys o
wait_for "Save before opening another" && keys n # unsaved changes: asked first (issue 23)
wait_for "Open session" || not_ok "open dialog"
keys Enter
wait_val Batch "$want" && ok "o opens a saved session" || not_ok "o opens" "$(field Batch)"

printf 'format_version = 1;\nscenario = {\n  batch = "x";\n};\n' > "$T/data/rooftop/sessions/zbad.cfg"
keys Left
wait_for "modified"
before=$(field Batch)
keys o; wait_for "Save before opening another" && keys n
keys z b a d Enter
wait_for "zbad.cfg:3: batch" && ok "a broken session shows its error" || not_ok "broken session error" "$(screen | tail -1)"
wait_val Batch "$before" && ok "... and keeps the current scenario" || not_ok "keeps scenario"

to_field Model; keys Enter
wait_for "to search" && keys d e e p Enter
wait_for "Model *< deepseek-v3" && ok "picker filters and chooses a model" || not_ok "picker" "$(screen | head -5)"

keys '?'
wait_for "Keys" && ok "? shows the help" || not_ok "help"
keys x
wait_gone "Keys" && ok "any key closes the help" || not_ok "help closes"

tm resize-window -t t -x 20 -y 5
wait_for "too small" && ok "20x5 says the terminal is too small" || not_ok "too small" "$(screen)"
tm resize-window -t t -x 80 -y 24
wait_for "Fit and speed" && ok "back at 80x24 without a crash" || not_ok "resize back" "$(screen)"
tm resize-window -t t -x 200 -y 60
wait_for "Roofline" && ok "200x60 shows the roofline chart" || not_ok "chart at 200x60" "$(screen)"

keys q
wait_for "Unsaved changes" && ok "q with unsaved changes asks first" || not_ok "quit asks" "$(screen)"
keys n
wait_status 0 && ok "n quits with status 0" || not_ok "quit status" "$(status)"
tm kill-session -t t 2>/dev/null

# SIGTERM and SIGHUP: leave cleanly
has_pid() { pid=$(rooftop_pid); [ -n "$pid" ]; }
for sig in TERM HUP; do
  fresh
  start 80 24 ""
  wait_for "Fit and speed"
  poll has_pid
  kill -$sig "$pid"
  case $sig in TERM) want=143 ;; HUP) want=129 ;; esac
  wait_status $want && ok "SIG$sig exits cleanly ($want)" || not_ok "SIG$sig" "$(status)"
done
fresh

# g: as many layers on the device as fit, the rest offloaded (the core's solver)
want=$($R --print -m llama-3-70b -g rtx-4090 -w q4_k_m -e llama.cpp --gpu-layers 0 --format csv | csvcol max_gpu_layers)
tm -f /dev/null new-session -d -s t -x 100 -y 30 "exec $ENV $R -m llama-3-70b -g rtx-4090 -w q4_k_m -e llama.cpp"
wait_for "Fit and speed"
keys g
layers_are() { got=$(screen | grep -o 'GPU layers *[0-9]*' | awk '{print $NF}'); [ "$got" = "$1" ]; }
poll layers_are "$want" && ok "g puts the most layers that fit on the device ($want)" || not_ok "g offload" "$got vs $want"
wait_for "FITS" && ok "... and the scenario fits" || not_ok "offload fits"
fresh

# mouse (xterm's SGR reports, sent through a pseudo-terminal): a click on the GPU row
# selects that field; a click on the right of the batch slider raises the batch.  The rows (1-based)
# of the GPU field and of the slider on the default session at 100 x 30, read off the screen in tmux:
# ptydrive sends bytes and reads no screen
if [ -x "${PTYDRIVE:-}" ]; then
  start 100 30 ""
  wait_for "Fit and speed"
  wait_for '\[B-'
  srow=$(screen | grep -n '\[B-' | head -1 | cut -d: -f1)
  gpurow=$(field_row GPU)
  fresh
  rm -f "$T/data/rooftop/sessions/clicked.cfg"
  env -i HOME="$T" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" TERM=xterm-256color LANG=C.UTF-8 \
    "$PTYDRIVE" 100 30 "$R" -- "\\e[<0;5;${gpurow:-4}M\\e[<0;5;${gpurow:-4}m" s 'clicked\r'
  grep -q 'field = "gpu"' "$T/data/rooftop/sessions/clicked.cfg" 2>/dev/null && ok "a click selects a field" \
    || not_ok "mouse selects a field" "$(cat "$T/data/rooftop/sessions/clicked.cfg" 2>/dev/null)"
  env -i HOME="$T" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" TERM=xterm-256color LANG=C.UTF-8 \
    "$PTYDRIVE" 100 30 "$R" -- "\\e[<0;30;${srow:-16}M\\e[<0;30;${srow:-16}m" s 'clicked\r'
  b=$(grep -o 'batch = [0-9]*' "$T/data/rooftop/sessions/clicked.cfg" | awk '{print $3}')
  [ "${b:-0}" -gt 1 ] && ok "a click on the slider sets the batch ($b)" || not_ok "mouse slider" "batch ${b:-none}"
fi

# a sessions-folder file named foo.cfg.cfg is session "foo.cfg": o opens that file (not ./foo.cfg
# of the current folder) and s saves back to it
if [ -x "${PTYDRIVE:-}" ]; then
  mkdir -p "$T/cwd"
  printf 'format_version = 1;\nscenario = { batch = 99; };\n' > "$T/cwd/foo.cfg"
  printf 'format_version = 1;\nscenario = { batch = 5; };\nui = { field = "batch"; };\n' \
    > "$T/data/rooftop/sessions/foo.cfg.cfg"
  (cd "$T/cwd" && env -i HOME="$T" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" TERM=xterm-256color \
    LANG=C.UTF-8 "$PTYDRIVE" 100 30 "$R" -- o foo.cfg '\r' ']' s '\r')
  b=$(grep -o 'batch = [0-9]*' "$T/data/rooftop/sessions/foo.cfg.cfg" | awk '{print $3}')
  [ "$b" = 8 ] && grep -q 'batch = 99;' "$T/cwd/foo.cfg" && ok "foo.cfg.cfg opens and saves as itself, ./foo.cfg untouched" \
    || not_ok "foo.cfg.cfg" "sessions/foo.cfg.cfg batch ${b:-none}; ./foo.cfg: $(cat "$T/cwd/foo.cfg")"
fi

# monochrome: NO_COLOR still shows distinct gauge fills
tm -f /dev/null new-session -d -s t -x 100 -y 30 "exec $ENV NO_COLOR=1 $R -b 64"
wait_for "Fit and speed"
wait_for '\[#*=' && ok "monochrome gauges use distinct fills" || not_ok "mono fills" "$(screen | grep VRAM -A1)"
# --- issue 16: each defect a first-time user hit, driven through the real binary ---
# run ARGS at COLSxROWS in a fresh server (a shell records the exit status and keeps the pane)
run_at() { fresh; rm -f "$T/rc"; c=$1; r=$2; shift 2
  tm -f /dev/null new-session -d -s t -x "$c" -y "$r" "$ENV $R $*; echo \$? > $T/rc; sleep 30"; wait_for "Answer"; }
line() { screen | grep -- "$1" | head -1; }

# a scenario change re-derives the GPU layers (offload on, then another model)
G="-g rtx-4090 -w q4_k_m -e llama.cpp"
mix=$($R --print -m mixtral-8x7b $G --gpu-layers 0 --format csv | csvcol max_gpu_layers)
run_at 100 30 -m llama-3-70b $G
keys g; wait_selected "GPU layers"; to_field Model; keys Enter
wait_for "to search"; keys m i x t r a l - 8 x 7 Enter
layers_now() { got=$(screen | grep -o 'GPU layers *[0-9a-z]*' | head -1 | awk '{print $NF}'); [ "$got" = "$1" ]; }
wait_for "Model *< mixtral-8x7b"
poll layers_now "$mix" && ok "offload follows a new model: Mixtral gets its own most layers ($mix)" \
  || not_ok "stale GPU layers after a model change" "$got vs $mix" "$(screen)"
screen | grep -q "waiting for a valid" && not_ok "the screen stays valid" || ok "... and the screen stays valid"
keys Enter; wait_for "to search"; keys g e m m a - 2 - 2 7 Enter
wait_line 'GPU layers' all && ok "Gemma 2 27B, which fits whole, goes back to all layers" \
  || not_ok "gemma keeps stale layers" "$(line 'GPU layers')"

# arrows in both encodings: ESC [ C (normal cursor mode) and ESC O C (application mode)
if [ -x "${PTYDRIVE:-}" ]; then
  rm -f "$T/data/rooftop/sessions/arrows.cfg"
  env -i HOME="$T" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" TERM=xterm-256color LANG=C.UTF-8 \
    "$PTYDRIVE" 100 30 "$R" -- '\e[C' '\e[C' '\eOC' '\e[A' s 'arrows\r'
  f="$T/data/rooftop/sessions/arrows.cfg"
  grep -q 'batch = 4L*;' "$f" 2>/dev/null && ok "ESC [ C and ESC O C both step the batch (1 -> 4)" \
    || not_ok "CSI arrows" "$(cat "$f" 2>/dev/null)"
  grep -q 'field = "engine"' "$f" 2>/dev/null && ok "ESC [ A moves up a field" || not_ok "CSI up" "$(grep field "$f")"
fi

# the slider at the memory wall: fits and does not fit read differently; the wall and the ends are marked
want=$($R --print --format csv | csvcol max_batch)
run_at 100 30
keys m
wait_line '1 \[' "|.*\] [0-9]" && ok "the slider keeps the wall marker under the cursor and numbers its ends" \
  || not_ok "slider marks" "$(line '1 \[')"
wait_line "batch $want = max" "free" && ok "at the wall ($want) the line says it fits and what is free" \
  || not_ok "slider at the wall" "$(screen | sed -n 13,15p)"
keys Right
wait_line "batch $((want + 1)) > max $want" "short" && ok "one past the wall says how much is short" \
  || not_ok "slider past the wall" "$(screen | sed -n 13,15p)"
wait_line '1 \[' "X" && ok "... and the cursor turns to X" || not_ok "cursor past the wall" "$(line '1 \[')"

# warnings in full, and no green FITS while they stand (TP 3 does not divide 32 heads); 44 rows
# leave the Answer panel room for a three-line warning below the 29 scenario fields
run_at 100 44 -n 3
wait_for "refuse it)" && ok "a warning is shown to its last word" || not_ok "warning cut" "$(screen)"
wait_line "rooftop" "FITS, [0-9] warning" && ok "the title says FITS with the count of warnings" \
  || not_ok "title FITS with warnings" "$(line rooftop)"

# a scenario that does not fit shows no speed or cost, and what would fit (70B bf16 on one H100:
# the weights alone are 141 GB; with vLLM's reserves four devices hold it, see tests/test_core.c
# solve/max_context_and_min_devices; 33 rows: the hints below the scenario fields)
run_at 100 33 -m llama-3.1-70b
wait_for "DOES NOT FIT" && ! screen | grep -q "Tok/s seq" && ! screen | grep -q "per M tokens" \
  && ok "no tokens/s or cost for a scenario that does not fit" || not_ok "speeds shown without a fit" "$(screen)"
wait_for "d: 4 devices fit" && ok "... and a hint: 4 devices fit" || not_ok "hints" "$(screen)"
keys d
wait_val Devices 4 && ok "d sets the fewest devices that fit" || not_ok "d" "$(field Devices)"

# the longest context stops at the trained limit: Llama 3.1 8B's max_position_embeddings is 131072
# (44 rows: the warning's lines below the 29 scenario fields)
run_at 100 44
keys c
wait_val Prompt $((131072 - 256)) && ok "c stops at the trained context (131072 - 256 output)" \
  || not_ok "c past the trained context" "$(field Prompt)"
wait_for "rope scaling" && ok "... and says longer needs rope scaling" || not_ok "rope note" "$(screen | tail -1)"
keys 2 0 0 k Enter
wait_for "is beyond the" && ok "a longer prompt warns about the trained context" \
  || not_ok "trained context warning" "$(screen)"

# fewest devices: 405B has 128 heads; 12 devices would hold it, 16 is the fewest that divides them
run_at 100 30 -m llama-3.1-405b
keys d
wait_val Devices 16 && ok "fewest devices for 405B is 16 (TP divides the heads)" || not_ok "405B devices" "$(field Devices)"
wait_for "more than one node" && ok "... and 16 devices warn about more than one node" \
  || not_ok "multi-node warning" "$(screen)"

# typed numbers: 8k is 8192; too many digits are refused with a message
run_at 100 30
to_field Prompt; keys 8 k Enter
wait_val Prompt 8192 && ok "8k in Prompt gives 8192" || not_ok "8k" "$(field Prompt)"
keys 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 Enter
wait_for "too" && ok "23 nines are refused with a message" || not_ok "too many digits" "$(screen | tail -1)"
keys Escape
wait_val Prompt 8192 && ok "... and the prompt is unchanged" || not_ok "nines clamped" "$(field Prompt)"
# a digit on a choice field searches its list (it did nothing): 4090 on GPU, Enter picks the RTX 4090
to_field GPU; keys 4 0 9 0
wait_for "search: 4090_" && keys Enter && wait_for "GPU *< rtx-4090 >" && ok "digits on GPU search its list: 4090" \
  || not_ok "digits on a choice" "$(screen)"

# q then y on the default session says where it saved
run_at 100 30
keys Right q
wait_for "y saves to" && ok "the quit dialog says where y saves" || not_ok "quit dialog path" "$(screen)"
keys y
wait_for "saved the session to $T/data/rooftop/sessions/last.cfg" && ok "after q y the terminal says where it saved" \
  || not_ok "q y message" "$(screen)"

# a shipped example: saving makes a user copy, marked in o; the save dialog is empty; bad characters refused
run_at 100 30
keys o
wait_for "Open session"; keys l l a m a 7 0 b Enter
wait_for "(example)" && ok "an example is marked in the title" || not_ok "example title" "$(line rooftop)"
keys Right s
wait_for "name: _" && ok "the save dialog starts empty" || not_ok "save dialog pre-filled" "$(screen | grep name:)"
keys a Space
wait_for "' ' is not allowed" && ok "a space is refused with a message" || not_ok "space refused" "$(screen)"
keys /
wait_for "'/' is not allowed" && ok "a / is refused with a message" || not_ok "slash refused" "$(screen)"
keys BSpace BSpace Enter
wait_for "saved your copy of the example" && ok "Enter alone saves a user copy of the example" \
  || not_ok "example copy" "$(screen | tail -1)"
[ -f "$T/data/rooftop/sessions/llama70b-2xh100.cfg" ] && ok "... in the sessions folder" || not_ok "copy file"
keys o
wait_for "Open session"
wait_line "llama70b-2xh100" "(your copy)" && ok "o marks the user copy" \
  || not_ok "o marks copies" "$(screen)"
wait_line "llama70b-2xh100" "fits *llama-3.1-70b 2x h100-sxm fp8" \
  && ok "o shows each session's fit and scenario" || not_ok "o details" "$(screen | grep llama70b)"
keys Escape

# sizes: 60x18 shows TTFT and tokens/s; 80x24 says where the chart went; 200x60 grows the panels
run_at 60 18
wait_for "TTFT" && wait_for "tok/s" && ok "60x18 shows TTFT and tokens/s" || not_ok "60x18" "$(screen)"
run_at 60 18 -n 3
wait_for "1 warning: w shows it" && ok "60x18 says a warning stands" || not_ok "60x18 warning" "$(screen)"
keys w
wait_for "refuse it)" && ok "w shows it in full" || not_ok "w overlay" "$(screen)"
# the title keeps its verdict at 60 columns: "[modified]" pushed "FITS" off, the version goes instead
keys Escape Right
wait_line "default session \[modified\]" "FITS, 1 warning" && ok "60x18: a modified session's title keeps FITS, 1 warning" \
  || not_ok "60x18 title verdict" "$(screen | head -1)"
# with a rate, the short Answer panel gives serving's gist over the warning line (the title counts it)
run_at 60 18 -n 3 --rate 4
wait_for "4 req/s: .*TTFT" && wait_line rooftop "1 warning" && ok "60x18 with a warning and a rate: the serving line stays" \
  || not_ok "60x18 serving over warning" "$(screen)"
run_at 80 24
# title 1 + gauges 13 + serving 4 + cost 4 + roofline 10 + status 1
wait_for "Roofline at 33+ rows" && ok "80x24 says the roofline needs 33 rows" || not_ok "80x24 chart note" "$(screen)"
run_at 200 60
wait_for "Parameters" && wait_for "Time per output token" && ok "200x60: the panels show more" \
  || not_ok "200x60 growth" "$(screen)"

# themes: a change persists (in the config folder, not as a change to the scenario); --no-color says themes are off
run_at 100 30
keys t
wait_for "theme: light"
line rooftop | grep -q "modified" && not_ok "a theme change is not a change to the session" "$(line rooftop)" \
  || ok "a theme change does not mark the session modified"
poll grep -q 'theme = "light"' "$T/config/rooftop/prefs.cfg" 2>/dev/null && ok "the theme is kept in the config folder" \
  || not_ok "prefs theme" "$(cat "$T/config/rooftop/prefs.cfg" 2>/dev/null)"
run_at 100 30 --no-color
keys t
wait_for "themes are off" && ok "under --no-color, t says themes are off" || not_ok "no-color theme" "$(screen | tail -1)"
run_at 100 30
keys t
wait_for "theme: high-contrast" && ok "the next run starts on the kept theme (light, so t goes on to high-contrast)" \
  || not_ok "theme kept across runs" "$(screen | tail -1)"
# --- htop conventions ---
run_at 100 30
wait_line F1Help "F10Quit" && ok "an F-key bar: F1 help ... F10 quit" || not_ok "F-key bar" "$(screen | tail -1)"
keys F1
wait_for "devices = fewest that fit" && keys End && wait_for "F10 q" && ok "F1 shows every key of the table" \
  || not_ok "F1 help" "$(screen)"
keys Escape F2
wait_for "Save session" && ok "F2 opens the save dialog" || not_ok "F2" "$(screen)"
keys Escape
wait_gone "Save session" && ok "Esc closes the save dialog" || not_ok "Esc closes the save dialog" "$(screen)"
# the picker holds the models, not the EAGLE-3 draft heads (those are in the Draft field's)
nm=$($R --list-models --format json | tr -d ' 
' | grep -o '"draft_head":false' | wc -l | tr -d ' ')
to_field Model; keys Enter
wait_for "to search"
wait_for "fits" && wait_for "params" && ok "the model picker shows size, parameters and fit" \
  || not_ok "picker details" "$(screen)"
keys End
wait_for " $nm/$nm " && ok "End goes to the last of $nm models, with the position shown" || not_ok "End" "$(screen)"
keys Home
wait_for " 1/$nm " && ok "Home goes to the first" || not_ok "Home" "$(screen)"
keys / l l a m a
wait_for "search: llama_" && ok "/ searches in a picker" || not_ok "/ search" "$(screen)"
keys Escape Escape
wait_gone "to search" && ok "Esc leaves the search, then the list" || not_ok "Esc leaves the search, then the list" "$(screen)"
keys F3
wait_for "Open session" && ok "F3 opens a session" || not_ok "F3"
keys Escape
rm -f "$T/rc"; keys F10
wait_status 0 && ok "F10 quits" || not_ok "F10 quits" "$(status)"
grep -q 'last_session = "llama70b-2xh100"' "$T/config/rooftop/prefs.cfg" && ok "the last session is kept in the config folder" \
  || not_ok "prefs last session" "$(cat "$T/config/rooftop/prefs.cfg")"
[ "$(ls -A "$T/config/rooftop" | grep -vc '^prefs.cfg$')" = 0 ] && ok "preferences are written with no temporary left" \
  || not_ok "prefs leftovers" "$(ls -A "$T/config/rooftop")"

if [ -x "${PTYDRIVE:-}" ]; then
  # the wheel in a list: two notches down from llama-3.1-8b (the 6th model) land on the 12th
  twelfth=$($R --list-models | awk 'NR == 13 { print $1 }')
  env -i HOME="$T" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" TERM=xterm-256color LANG=C.UTF-8 \
    "$PTYDRIVE" 100 30 "$R" -- '\e[H' '\r' '\e[<65;50;10M' '\e[<65;50;10M' '\r' s 'wheel\r'
  grep -q "model = \"$twelfth\"" "$T/data/rooftop/sessions/wheel.cfg" 2>/dev/null \
    && ok "the mouse wheel scrolls a list ($twelfth)" || not_ok "wheel" "$(grep model "$T/data/rooftop/sessions/wheel.cfg")"
  # a click on F2Save in the bottom bar opens the save dialog, as htop's bar does
  rm -f "$T/data/rooftop/sessions/barclick.cfg"
  env -i HOME="$T" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" TERM=xterm-256color LANG=C.UTF-8 \
    "$PTYDRIVE" 100 30 "$R" -- '\e[<0;9;30M\e[<0;9;30m' 'barclick\r'
  [ -f "$T/data/rooftop/sessions/barclick.cfg" ] && ok "a click on F2Save in the bottom bar saves" || not_ok "bar click"
  # a click on the < of the GPU row steps back one device
  before=$($R --list-gpus | awk '$1 == "h100-sxm" { print prev } { prev = $1 }')
  env -i HOME="$T" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" TERM=xterm-256color LANG=C.UTF-8 \
    "$PTYDRIVE" 100 30 "$R" -- "\\e[<0;13;${gpurow:-4}M\\e[<0;13;${gpurow:-4}m" s 'arrow\r'
  grep -q "gpu = \"$before\"" "$T/data/rooftop/sessions/arrow.cfg" 2>/dev/null \
    && ok "a click on < steps the choice back ($before)" || not_ok "click <" "$(grep gpu "$T/data/rooftop/sessions/arrow.cfg")"
  # the > of a choice is where the form draws it, after the value as shown: KV policy unset reads
  # "< engine's: grow >" (vLLM's), its > at column 1 + 11 + 2 + 14 + 1 = 29 from 0; the click went by
  # the bare "engine's" (column 23, inside the text) and did nothing.  Its row read in tmux at 100x52
  run_at 100 52
  kvrow=$(field_row "KV policy")
  fresh
  rm -f "$T/data/rooftop/sessions/kvarrow.cfg"
  env -i HOME="$T" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" TERM=xterm-256color LANG=C.UTF-8 \
    "$PTYDRIVE" 100 52 "$R" -- "\\e[<0;30;${kvrow:-16}M\\e[<0;30;${kvrow:-16}m" s 'kvarrow\r'
  grep -q 'kv_policy = "reserve"' "$T/data/rooftop/sessions/kvarrow.cfg" 2>/dev/null \
    && ok "a click on the > of a value shown longer than it is (engine's: grow) steps it (reserve)" \
    || not_ok "click > of KV policy" "$(grep kv_policy "$T/data/rooftop/sessions/kvarrow.cfg" 2>/dev/null)"
fi
# --- the figures table on the dashboard: explain and compare ---
run_at 100 30
keys x
want=$($R --print --explain max_batch | head -1)
wait_text "$want" && ok "x explains the selected field's figure, as --explain does ($want)" \
  || not_ok "explain" "$want" "$(screen | head -4)"
wait_for "formula:" && ok "... with its formula and inputs" || not_ok "explain formula"
keys Tab Enter
wait_for "Explain: KV cache per token" && ok "Tab and Enter open the figure's second input" || not_ok "explain input" "$(screen | head -3)"
keys BSpace
wait_for "Explain: max batch" && ok "Backspace goes back" || not_ok "explain back" "$(screen | head -3)"
keys Down
wait_for "Explain: max context" && ok "Down moves to the next figure" || not_ok "explain next" "$(screen | head -2)"
keys Escape
$R --save-session pinA >/dev/null 2>&1
keys a Right Right v
norm() { LC_ALL=C tr -d '\200-\377' | tr -s ' ' | sed 's/^ *//; s/ *$//'; }
want=$($R --print -b 3 --compare pinA | grep "tokens/s total" | norm)
compared() { got=$(screen | grep "tokens/s total" | norm); [ -n "$want" ] && [ "$got" = "$want" ]; }
poll compared && ok "a pins A, v compares: B - A as --compare gives ($want)" \
  || not_ok "compare" "got:  $got" "want: $want"
wait_line rooftop "A pinned" && ok "the title says A is pinned" || not_ok "pinned mark" "$(line rooftop)"
keys Down Enter
wait_for "Explain: KV cache per token" && ok "Enter on a compared figure explains it" || not_ok "compare -> explain" "$(screen | head -3)"
keys Escape
wait_for "Compare: A" && ok "Esc goes back to the comparison" || not_ok "explain -> compare" "$(screen | head -3)"
keys Escape
wait_gone "Compare: A" && ok "Esc closes the comparison" || not_ok "Esc closes the comparison" "$(screen)"
# the man page's KEYS come from the same table as the help
man=$(dirname "$R")/../man/rooftop.1
if [ -f "$man" ]; then
  grep -q 'devices = fewest that fit' "$man" && grep -q 'explain a figure' "$man" && grep -q '^\.B F10 q' "$man" \
    && ok "the man page lists the keys table" || not_ok "man KEYS" "$(sed -n '/SH KEYS/,/SH FILES/p' "$man" | head -20)"
fi
# --- serving under load, cost, the solver, what fits here, launch lines, local models ---
num() { grep -o -- "$1" | head -1 | grep -o '[0-9][0-9.]*' | head -1; }
run_at 100 30
to_field Rate
wait_for "Rate *off" && ok "the Rate field starts off" || not_ok "Rate off" "$(screen)"
wait_for "Serving" && wait_for "off: the Rate field" && ok "... and the Serving panel says how to turn it on" \
  || not_ok "serving off" "$(screen)"
keys Right Right Right
wait_for "Rate *4 req/s" && ok "Right steps the rate in powers of two: 1, 2, 4 req/s" || not_ok "rate steps" "$(line 'Rate ')"
# the capacity the panel shows is --print's (20.6 req/s on one H100 when written)
cap=$($R --print --rate 4 | awk '$1 == "capacity" { print $2 }')
# at 4 req/s on one H100 (capacity about 20 req/s): stable, every request's 256 tokens come out,
# 4 x 256 = 1024 tokens/s, and Little's law: sequences running = rate x mean latency
load_read() { sc=$(screen); out=$(echo "$sc" | num 'out [0-9.]* tok/s'); run=$(echo "$sc" | num 'running [0-9.]*')
  lat=$(echo "$sc" | num 'latency [0-9.]* s'); awk -v o="$out" 'BEGIN { exit !(o > 0.95 * 1024 && o < 1.05 * 1024) }'; }
poll load_read && ok "output throughput $out tok/s is 4 x 256 within 5%" \
  || not_ok "throughput at 4 req/s" "$out" "$(screen)"
awk -v n="$run" -v l="$lat" 'BEGIN { exit !(n > 0 && n > 0.9 * 4 * l && n < 1.1 * 4 * l) }' \
  && ok "Little's law on the panel: running $run = 4 x latency $lat s within 10%" || not_ok "Little" "$run vs 4 x $lat"
want=$($R --print --rate 4 | awk '/TTFT mean under load/ { a = $5 " " $6 } /TTFT p50 under load/ { m = $5 " " $6 }
  /TTFT p99 under load/ { b = $5 " " $6 } END { print a ", p50 " m ", p99 " b }')
wait_text "Under load: TTFT $want" && ok "TTFT mean, p50 and p99 under load as --print --rate 4 gives ($want)" \
  || not_ok "TTFT" "$want" "$(screen)"
# the Answer panel's TTFT is the static batch's, and says so beside the Serving panel's
line "TTFT static" | grep -q "TTFT static" && ok "the Answer panel labels its TTFT the static batch's" \
  || not_ok "TTFT static label" "$(screen)"
wait_for "capacity $cap req/s: stable" && ok "the capacity line: $cap req/s, stable" || not_ok "stable" "$(screen)"
keys 6 4 Enter
wait_for "above capacity $cap req/s: the queue grows" && ok "64 req/s is above capacity: the queue grows" \
  || not_ok "above capacity" "$(screen)"
keys 0 . 5 Enter
wait_for "Rate *0.5 req/s" && ok "a rate typed with a decimal point (0.5)" || not_ok "0.5" "$(line 'Rate ')"
keys Left Left Left Left Left
wait_for "Rate *off" && ok "Left steps down to 1/16 req/s, then off" || not_ok "rate off" "$(line 'Rate ')"
# cost at $2 per device-hour and 4 req/s: 2 / (4 x 3600) = $0.000139 a request, 2 / (4 x 256 x 3600) x 1e6
# = $0.543 per M output, 2 x 730.5 h = $1461 a month on one device; gpt-4o (2.5 and 10 $/M) at 1024 + 256
# tokens a request: 4 x 3600 x 730.5 x (1024 x 2.5 + 256 x 10) / 1e6 = $53858 a month
run_at 100 40 --rate 4
wait_for "Price *\$2.49/h (catalog)" && ok "the Price field shows the catalog's price" || not_ok "price" "$(line 'Price ')"
to_field Price; keys 2 Enter
wait_for "Price *\$2.00/h" && ok "a price typed in the Price field" || not_ok "price typed" "$(line 'Price ')"
wait_for "per request  \$0.000139" && wait_for "per M output \$0.543" \
  && ok "cost per request and per M output tokens worked by hand" || not_ok "cost" "$(screen)"
wait_for "per month    \$1461" && wait_for "devices      1 needed" \
  && ok "per month \$1461 on the 1 device needed" || not_ok "per month" "$(screen)"
to_field API; keys Enter
wait_for "(dated: --list-apis)"; keys g p t - 4 o Enter
wait_for "API *< gpt-4o >" && wait_for "\$53858/month" && ok "API gpt-4o: \$53858 a month at 4 req/s" \
  || not_ok "API" "$(screen)"
wait_for "break-even" && ok "... with the break-even rate" || not_ok "break-even" "$(screen)"
# 64 req/s needs ceil(64 / 20.6) = 4 devices: 4 x 2 x 730.5 = $5844 a month
to_field Rate; keys 6 4 Enter
wait_for "5844" && wait_for "4 \(devices \)\{0,1\}needed" && ok "64 req/s: 4 devices needed, \$5844 a month" || not_ok "64 req/s cost" "$(screen)"
# owned hardware from the form (issue 23): Lifetime one step up from off is 1 year; the H100's
# catalog purchase price, $30,000, over 1 year of 8766 h = $3.42 an hour (no electricity price)
run_at 100 40 --rate 4
to_field Lifetime; keys Right
wait_for "Lifetime *1 years" && wait_for "owned, 1 years" && wait_for "per hour     \$3.42" \
  && ok "the Lifetime field owns the hardware: \$30000 / 8766 h = \$3.42 an hour" || not_ok "lifetime field" "$(screen)"
to_field Purchase; keys Right Right
wait_for "Purchase *\$31000" && wait_for "per hour     \$3.54" \
  && ok "the Purchase field starts at the catalog's \$30000 and steps by \$1000: \$31000 / 8766 h = \$3.54 an hour" \
  || not_ok "purchase field" "$(screen)"
# the Weights field names the native format with the tensor classes kept apart: gpt-oss's MXFP4
# experts beside its bf16 attention and router (config.json modules_to_not_convert)
run_at 100 30 -m gpt-oss-120b
screen | grep -q "Weights *< native (mxfp4+bf16) >" && ok "the Weights field: native (mxfp4+bf16) for gpt-oss" \
  || not_ok "native classes field" "$(line 'Weights')"
# the compute a target decode rate needs, on the dashboard (issue 26): Llama 3.1 8B at batch 1, the
# first token with no prompt, reads 8,030,261,248 - 525,336,576 embedding weights: 2 x that =
# 15,009,849,344 FLOPs a step, x 50 tok/s = 750.5 GFLOP/s, 0.0759% of an H100's 989 TFLOP/s
run_at 120 30 -w bf16 -p 0 -o 1 --target 50
screen | grep -q "Decode compute 750 GFLOP/s of 989 TFLOP/s 0.08%" && ok "Decode compute: 750 GFLOP/s needed at 50 tok/s" \
  || not_ok "decode compute line" "$(line 'Decode compute')"
# ... and the target is a field of the form (above Split, the last): 50 typed there gives the
# same 750 GFLOP/s; it was reachable only with --target on the command line
run_at 120 30 -w bf16 -p 0 -o 1
to_field Target; wait_for "Target *off" && keys 5 0 Enter
wait_for "Target *50 tok/s" && wait_for "Decode compute 750 GFLOP/s of 989 TFLOP/s 0.08%" \
  && ok "the Target field: 50 tok/s typed gives the compute it needs" || not_ok "Target field" "$(line 'Target') / $(line 'Decode compute')"
# the split of the work as well as of the time (issue 26's seed): Llama 3.1 8B decoding at batch 1.
# feed-forward: 32 layers x 3 x 4096 x 14336 = 5,637,144,576 weights, 2 FLOPs each = 11.27 GFLOP a
# token; attention: 32 x (2 x 4096^2 + 2 x 4096 x 1024) = 1,342,177,280 weights x 2 = 2.684 GFLOP,
# plus scores and the weighted sum, 2 x 2 x 32 layers x 32 heads x 128 x 1152.5 tokens (the mean
# attended while tokens 1025..1280 are made) = 0.604 GFLOP: 3.29 GFLOP
run_at 200 60
wait_line "feed-forward  *[0-9.]* ms" "11.3 GFLOP" && wait_line "attention  *[0-9.]* ms" "3.29 GFLOP" \
  && ok "the time split gives each part's FLOPs: feed-forward 11.3 GFLOP, attention 3.29 GFLOP a token" \
  || not_ok "FLOPs split" "$(line 'feed-forward') / $(line 'attention')"
# the Answer panel's band note ends whole where the panel is 38 columns wide (100x30, 120x40): it read
# "band x1.6 wide" there, the last two letters cut (LMDeploy on a GeForce card: no published runs near)
run_at 100 30 -e lmdeploy -g rtx-4090
wait_for "band x1.6 wider" && ok "100x30: the band note ends whole (x1.6 wider)" || not_ok "band note at 100x30" "$(line 'published')"
run_at 120 40 --rate 4 -e lmdeploy -g rtx-4090
wait_for "band x1.6 wider" && ok "120x40: the band note ends whole" || not_ok "band note at 120x40" "$(line 'published')"
# the Serving panel's heading says the prefix cache is on: --prefix-hit 0.8 of a 1024-token prompt is
# 819 tokens cached (0.8 x 1024 = 819.2, whole tokens; --print's "prefix cache hit 819 tokens"); with
# dp 2 at 80x24 the short form keeps both in the heading
run_at 100 30 --rate 4 --prefix-hit 0.8
wait_line "Serving" "prefix 819 tok cached" && ok "Serving heading: prefix 819 tok cached" || not_ok "prefix heading" "$(line 'Serving')"
run_at 80 24 --rate 4 --prefix-hit 0.8 --dp 2 -n 2
wait_line "Serving" "dp 2, prefix 819 " && ok "80x24: dp 2, prefix 819" || not_ok "prefix heading 80x24" "$(line 'Serving')"
# explain's footer ends whole inside the box at 60x18 (it ran into the corner, cut after the input's
# key: "Enter opens memory.capacity_per_device_bytes─┘"): a shorter form, Esc still named
run_at 60 18 -m gpt-oss-120b
keys F4
wait_line "└─ max_batch" "Esc \(─\)*┘" && ok "60x18: explain's footer ends whole (Esc named, the border kept)" \
  || not_ok "explain footer 60x18" "$(line '└─ max_batch')"
# the solver (F6) ends its columns whole: at 80x24 the capacity column read "capaci" over "7.52 r" (78
# columns of table in 76); at 60x18 the heading lost its lengths mid-word ("; pro") and the device
# ids their last letter ("a100-sxm-80" for a100-sxm-80g)
run_at 80 24 --rate 4 --ttft-max 0.2
keys F6
wait_for "ITL  *cap r/s │" && ok "80x24 F6: the capacity column's header ends whole" || not_ok "F6 80x24 header" "$(line 'device')"
run_at 60 18 --rate 4 --ttft-max 0.2
keys F6
wait_for "a100-sxm-80g " && wait_line "rate 4 req/s" "ITL any  *│" && ok "60x18 F6: whole device ids, the heading without a cut word" \
  || not_ok "F6 60x18" "$(screen)"
# a session asking for more requests than the dashboard simulates says so
run_at 100 30 --rate 4 --requests 30000
wait_for "first 2000 of 30000 requests" && ok "30,000 requests: the panel says it simulates the first 2000" \
  || not_ok "requests cap" "$(screen)"
# sizes: at 60x18 the panels are hidden and counted; at 200x60 all show, with the launch line
run_at 60 18 --rate 4
wait_for "Fit and speed (+2) at" && ok "60x18: the hidden panels are named and counted" || not_ok "60x18 note" "$(screen)"
run_at 60 18 --rate 32
# (the narrowest form says "max" for the capacity: "cap" read as the cap on sequences running)
wait_for "32 req/s: load TTFT .* \(capacity\|max\) $cap req/s: queue grows" && ok "60x18: the answer gives the gist of serving" \
  || not_ok "60x18 serving line" "$(screen)"
run_at 200 60 --rate 4 --api gpt-4o
wait_for "capacity $cap req/s: stable" && wait_for "API gpt-4o" && wait_for "Roofline" \
  && ok "200x60: serving, cost with the API and the roofline" || not_ok "200x60 panels" "$(screen)"
# 1024 in, 256 out at $2.50 / $10 per million: $0.00256 + $0.00256 = $0.00512 a request, at GPT-4o's published 679 ms
# and 45 tok/s: 0.679 + 256 / 45 = 6.37 s
wait_for "API request  \$0.00512, 6.37 s (TTFT 679 ms, 45.0 tok/s)" && ok "the Cost panel: the API's request price, time and latency" \
  || not_ok "API request line" "$(screen)"
wait_for '^ \$ vllm serve meta-llama/Llama-3.1-8B-Instruct' && ok "... and the launch line under the answer" \
  || not_ok "launch footer" "$(screen)"

# the solver: its first answer is --print --solve's, and Enter loads it
first=$($R --print --solve --rate 8 | awk 'NR == 2 { print $2, $7, $8 }')
run_at 120 30 --rate 8
keys S
wait_for "Cheapest setups"
wait_for "found in" # the search runs in slices between frames: wait for its end
solver_first() { got=$(screen | awk '$2 == "1" { print $3, $8, $9; exit }'); [ -n "$first" ] && [ "$got" = "$first" ]; }
poll solver_first && ok "S lists the cheapest setups, first as --print --solve ($first)" \
  || not_ok "solver" "got $got, want $first" "$(screen)"
keys Enter
set -- $first
wait_for "GPU *< $1 >" && wait_for "Weights *< $2 >" && wait_for "KV cache *< $3 >" \
  && ok "Enter loads the setup into the scenario" || not_ok "solver load" "$(screen)"
keys S
wait_for "Cheapest setups"; keys t
wait_for "TTFT <= 100 ms" && ok "t sets a TTFT target in the solver" || not_ok "solver target" "$(screen | head -3)"
keys Escape

# what fits here: as --print --rank, sortable, following the batch; Enter loads the model and weights
first=$($R --print --rank | awk 'NR == 2 { print $1, $2 }')
fast=$($R --print --rank --sort speed | awk 'NR == 2 { print $1, $2 }')
run_at 120 30
keys r
wait_for "What fits here"
wait_for "${first%% *}" && ok "r ranks the catalog on these devices ($first first)" || not_ok "rank" "$(screen)"
rank_first() { got=$(screen | awk '/model  *weights/ { getline; print $2, $3; exit }'); [ "$got" = "$1" ]; }
poll rank_first "$first" && ok "... sorted by fit as --print --rank" || not_ok "rank first" "got $got want $first"
keys s
wait_for "sorted by speed" && poll rank_first "$fast" && ok "s sorts by speed ($fast first)" || not_ok "rank speed" "got $got want $fast"
nr=$($R --print --rank | tail -n +2 | grep -v '^ranked for ' | grep -cv '^\* the format the model ships in')
keys End
wait_for " $nr/$nr " && ok "End goes to the last of the $nr rows --print --rank lists" || not_ok "rank End" "$(screen | tail -2)"
keys PPage Home
wait_for " 1/$nr " && ok "... and Home back to the first" || not_ok "rank Home" "$(screen | tail -2)"
keys ']'
wait_for "batch 2," && ok "] doubles the batch and the ranking follows" || not_ok "rank batch" "$(screen | head -3)"
keys '[' Enter
set -- $fast
wait_for "Model *< $1 >" && wait_for "Weights *< $2 >" && ok "Enter loads the model and its weights" \
  || not_ok "rank load" "$(screen)"

# the launch line in full, one option a line with shell continuations: the same as --launch
A="-m llama-3.1-70b -g h100-sxm -n 4 -w bf16 -e vllm -b 64 -p 2048 -o 512"
want=$($R --print $A --launch --format csv | csvcol launch)
run_at 100 30 $A
keys L
launch_shown() { got=$(screen | sed -n 's/.*│ *\(vllm serve[^│]*\)│.*/\1/p; s/.*│ *\(--[^│]*\)│.*/\1/p' | sed 's/ *$//; s/ *\\$//' \
  | tr '\n' ' ' | sed 's/ $//'); [ -n "$want" ] && [ "$got" = "$want" ]; }
poll launch_shown && ok "L shows the launch line as --launch gives it" || not_ok "launch" "got:  $got" "want: $want"
keys x
wait_gone "Launch:" && ok "any key closes the launch line" || not_ok "any key closes the launch line" "$(screen)"

# local models: a Hugging Face snapshot in the home folder shows under its own heading in the model picker;
# Llama 3.2 1B's config.json (hidden 2048, 16 layers, 32 heads, 8 KV heads, FFN 8192, vocab 128256, tied
# embeddings) counts 128256 x 2048 + 16 x (2 x 2048^2 + 2 x 2048 x 512 + 3 x 2048 x 8192 + 2 x 2048) + 2048
# = 1.236e9 parameters: 1.24 B, 2.5 GB at 16 bits
H="$T/.cache/huggingface/hub/models--meta-llama--Llama-3.2-1B/snapshots/abc"
mkdir -p "$H"
printf '{"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":2048,"intermediate_size":8192,"num_hidden_layers":16,"num_attention_heads":32,"num_key_value_heads":8,"head_dim":64,"vocab_size":128256,"max_position_embeddings":131072,"tie_word_embeddings":true,"torch_dtype":"bfloat16","rms_norm_eps":1e-05,"rope_theta":500000.0}\n' > "$H/config.json"
fresh
tm -f /dev/null new-session -d -s t -x 100 -y 30 "exec $ENV HF_HOME= HF_HUB_CACHE= XDG_CACHE_HOME= LLAMA_CACHE= OLLAMA_MODELS= $R"
wait_for "Answer"
to_field Model; keys Enter
wait_for "to search"; keys l l a m a - 3 . 2
wait_line "meta-llama/Llama-3.2-1B" "fits" # local files are read between frames
wait_for "-- on this machine" && wait_line "meta-llama/Llama-3.2-1B" "1.24 B" \
  && ok "the model picker lists the local snapshot under its own heading (1.24 B)" || not_ok "local picker" "$(screen)"
# a snapshot with only its config.json shows the weights' estimated size (2.5 GB at 16 bits), not the
# config.json's few hundred bytes
wait_line "meta-llama/Llama-3.2-1B" "~2.5 GB" && ok "... with the weights' size, not the config.json's" \
  || not_ok "local size" "$(screen | grep Llama-3.2-1B)"
keys End Enter
wait_for "Model *< meta-llama/Llama-3.2-1B" && wait_for "wts 2.5 GB" \
  && ok "picking it sets the model path: 2.5 GB of weights" || not_ok "local model set" "$(screen)"
rm -rf "$T/.cache"

# --- issue 23 ---
# unsaved changes: F3 asks before another session replaces them, as q does; n goes on to the list
run_at 100 30
keys Right F3
wait_for "Save before opening another" && ok "F3 with unsaved changes asks first" || not_ok "F3 asks" "$(screen)"
keys c
wait_gone "Save before opening" && ok "c cancels: the changes stay" || not_ok "c cancels the question" "$(screen)"
wait_line rooftop modified && ok "... and the session is still modified" || not_ok "still modified" "$(line rooftop)"
keys F3; wait_for "Save before opening another"; keys n
wait_for "Open session" && ok "n goes on to the session list" || not_ok "F3 then n" "$(screen)"
# Ctrl-C with unsaved changes asks too; a second Ctrl-C quits (130, as a SIGINT)
run_at 100 30
keys Right C-c
wait_for "Unsaved changes" && ok "Ctrl-C with unsaved changes asks first" || not_ok "Ctrl-C asks" "$(screen)"
keys C-c
wait_status 130 && ok "a second Ctrl-C quits (130)" || not_ok "second Ctrl-C" "$(status)"
run_at 100 30
keys C-c
wait_status 130 && ok "Ctrl-C with nothing unsaved quits at once (130)" || not_ok "Ctrl-C unmodified" "$(status)"

# escape sequences: PuTTY's F4 (ESC [ 14 ~) is F4; sequences curses does not know are dropped whole,
# not read as Esc, [ (halve) and digits
run_at 100 30
tm send-keys -t t -l "$(printf '\033[14~')"
wait_for "Explain" && ok "ESC [ 14 ~ is F4 (explain)" || not_ok "[14~" "$(screen | head -3)"
if [ -x "${PTYDRIVE:-}" ]; then
  rm -f "$T/data/rooftop/sessions/esc.cfg"
  env -i HOME="$T" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" TERM=xterm-256color LANG=C.UTF-8 \
    "$PTYDRIVE" 100 30 "$R" -- ']' ']' '\e[99~' '\e[1;5Q' '\eOx' '\e[200;3u' s 'esc\r'
  f="$T/data/rooftop/sessions/esc.cfg"
  grep -q 'batch = 4L*;' "$f" 2>/dev/null && grep -q 'field = "batch"' "$f" \
    && ok "unknown CSI and SS3 sequences change nothing (batch stays 4)" || not_ok "unknown escapes" "$(cat "$f" 2>/dev/null)"
fi
# unified memory: m stops at the GPU's usable share (an M4 Max's 96 of 128 GB), the screen still says
# FITS, and the memory bar marks the usable line with a |
U="-m gpt-oss-120b -g m4-max -w mxfp4 -e llama.cpp"
want=$($R --print $U --format csv | csvcol max_batch)
run_at 100 30 $U
keys m
wait_val Batch "$want" && ok "m on unified memory lands on the usable share's max batch ($want)" \
  || not_ok "m on unified memory" "$(field Batch) vs $want"
wait_line VRAM "FITS" && ok "... and it fits, not pages" || not_ok "m pages" "$(line VRAM)"
wait_for '\[#[^]]*|' && ok "the memory bar marks the usable share" || not_ok "usable mark" "$(screen | grep -A1 VRAM)"
keys Right
wait_line VRAM "PAGES" && ok "one more sequence pages" || not_ok "one past pages" "$(line VRAM)"
# one memory account: Llama 3.1 70B bf16 on 2x H100 with vLLM under a rate read "FITS" above a Serving
# panel with no KV room; the static figures now hold the engine's reserve (a full 8,192-token step,
# logits for its 1,024 sequences), so the title and the Serving panel agree: nothing fits, nothing served
run_at 120 40 -m llama-3.1-70b -g h100-sxm -n 2 --rate 1
wait_line rooftop "DOES NOT FIT" && wait_for "does not fit: nothing is served" \
  && ok "one memory account: the title and the Serving panel agree (does not fit, nothing served)" \
  || not_ok "no KV room" "$(screen)"
# far past capacity the load bar gives a multiple (100,000 / 20.6 = 4854x), not 473934%
run_at 120 40 --rate 100000
wait_for "x capacity" && ! screen | grep -q "[0-9]\{5,\}% of capacity" && ok "far past capacity: a multiple of it" \
  || not_ok "capacity multiple" "$(screen | grep capacity)"
# the help explains the bars' glyphs and fits a 60-column screen: long texts wrap inside the box
run_at 60 18
keys '?'; wait_for "Keys"; keys End
wait_for "Memory bar" && wait_for "usable" && ok "the help explains the memory bar's glyphs" \
  || not_ok "help glyphs" "$(screen)"
screen | grep "^ *│" | grep -v "│ *$" | grep -q . && not_ok "help fits 60 columns" "$(screen)" \
  || ok "every help line stays inside its box at 60x18"
# 80x24 with serving on: the Answer panel's short line is whole (not "... en" cut off)
run_at 80 24 -m gpt-oss-120b -g m4-max -e llama.cpp --rate 2
wait_line "TTFT static" "tok/s" && line "TTFT static" | grep -q 'tok/s  \(end to end\|e2e\) [0-9.]* m*s\|tok/s   ' \
  && ok "80x24: the Answer line ends whole" || not_ok "answer line cut" "$(line 'TTFT static')"
# 80x24: the Answer panel's second line ends whole: "VRAM 31.8 GB of 32.0 GB, 164 MB fr" was cut at
# its 34 columns (Qwen3 32B at q4_k_m on a 32 GB RTX 5090 at its max batch); a hint too long for
# the line points to w rather than being cut
run_at 80 24 -m qwen3-32b -g rtx-5090 -w q4_k_m -e llama.cpp
keys m
wait_for "= max" && screen | grep "^ VRAM" | grep -q 'VRAM.*, [0-9.]* [kMG]B free *$\|VRAM.*, [0-9.]* [kMG]B free  total' \
  && ok "80x24: the VRAM line ends whole" || not_ok "VRAM line cut" "$(screen | grep 'VRAM')"
# (gpt-oss-120b on an RTX 4090: the first fix on this machine is --n-cpu-moe, whose clause is longer
# than the panel's 36 columns even without its aside)
run_at 80 24 -m gpt-oss-120b -g rtx-4090 -e llama.cpp
wait_for "Does not fit" && wait_for "ways* to fit: w shows" && ok "80x24: a hint too long says w shows it" \
  || not_ok "hint cut" "$(screen | grep -A1 'Does not fit')"
# mixed devices: the GPU picker takes a typed device list; the Answer panel lists each device's
# layers and memory (17 + 15 and the output layer: tests/test_mixed.c) and the slowest stage
run_at 120 40 -m llama-3.1-8b -e llama.cpp
to_field GPU; keys Enter
wait_for "to search" && tm send-keys -t t -l "rtx-4090:1,rtx-3090:1" && sleep 0.2
wait_for "device list (Enter)" && keys Enter
wait_for "Slowest" && screen | grep -q "1 rtx-4090 *17L" && screen | grep -q "2 rtx-3090 *15L+out" \
  && screen | grep -q "GPU *< rtx-4090:1,rtx-3090:1 >" && ok "a typed device list: each device's layers, the slowest stage" \
  || not_ok "device list in the dashboard" "$(screen)"
# --tensor-split is a field (Split, the form's last): by memory the list splits 17 + 15 and the output;
# Right steps through weights the list can take (1,1  2,1  3,1 ...); 3,1 gives 25 and 7 and the output
# layer (tests/test_mixed.c: 33 layers x 3/4 = 24.75, layer i goes to device 1 while i < 24.75)
run_at 120 40 -m llama-3.1-8b -e llama.cpp --gpu rtx-4090:1,rtx-3090:1
to_field Split
wait_line "^ Split" "by memory" && keys Right Right Right
wait_line "^ Split" "3,1" && wait_for "1 rtx-4090 *25L" && wait_for "2 rtx-3090 *7L+out" \
  && ok "the Split field: 3,1 puts 25 layers on the 4090, 7 and the output on the 3090" || not_ok "Split field" "$(screen)"
# one device again: the split is dropped with the list (no --tensor-split error)
to_field GPU; keys Enter
wait_for "to search" && keys r t x - 4 0 9 0 Enter
wait_for "GPU *< rtx-4090 >" && ! screen | grep -q "tensor-split" && to_field Split && wait_line "^ Split" "by memory" \
  && ok "... a single device clears it" || not_ok "Split cleared" "$(screen)"
# a device list sets the device count: Devices shows the list's 2 and stepping it (Right twice, from
# the 1 --gpus has) says the list sets it rather than ending on the --gpus error
run_at 100 30 -m llama-3.1-70b -w q4_k_m -e llama.cpp --gpu rtx-4090:1,rtx-3090:1
wait_line "^ Devices" "2 (list)" && ok "Devices shows a device list's count" || not_ok "Devices with a list" "$(line 'Devices')"
to_field Devices; keys Right Right
wait_text "set by the device list" && line "^ Devices" | grep -q "2 (list)" && ! screen | grep -q -- "--gpus" \
  && ok "stepping Devices with a list says the list sets it" || not_ok "Devices step with a list" "$(screen)"
# F7 names the list's devices and each one's memory (24 GB each, the catalog's), not 2 x the first
keys F7
wait_text "rtx-4090 + rtx-3090 (24.0 GB, 24.0 GB), llama.cpp" && ! screen | grep -q "2 x rtx-4090" \
  && ok "F7 names the device list" || not_ok "F7 with a list" "$(screen | head -4)"
# 100x30: the long form (29 fields) scrolls rather than squeezing the Answer panel to its two-line
# form: Qwen3 30B-A3B at q4_k_m does not fit a 12 GB RTX 4070, and the panel lists what to try
run_at 100 30 -m qwen3-30b-a3b -g rtx-4070 -e llama.cpp -w q4_k_m
wait_for "To fit, try" && ok "100x30: the Answer panel keeps room for what to try" \
  || not_ok "100x30 answer squeezed" "$(screen | sed -n '/Answer/,$p')"
tm kill-server 2>/dev/null
tap_done
