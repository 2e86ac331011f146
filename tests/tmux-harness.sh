# tmux-harness.sh - sourced by the dashboard's tmux tests (tui_ux.sh, tui_serving.sh): the real
# dashboard in a private tmux server, keys typed, the screen read.  Each wait polls the screen (no
# fixed sleeps to pass or fail on); TERM, LANG and HOME are pinned; everything is cleaned up on exit.
# The caller sets S (the socket's name) first; it gets T (a temporary folder that is HOME) and R.
. "$srcdir/tests/tap.sh"
R=${ROOFTOP:-./src/rooftop}
case $R in /*) ;; *) R="$(pwd)/$R" ;; esac
if ! command -v tmux >/dev/null 2>&1; then echo "1..0 # SKIP tmux not installed"; exit 0; fi
T=$(mktemp -d)
trap 'tmux -L "$S" kill-server 2>/dev/null; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$S"; rm -rf "$T"' EXIT
export HOME="$T" XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data"
ENV="env HOME=$T XDG_CONFIG_HOME=$T/config XDG_DATA_HOME=$T/data TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 PATH=$T/nobin ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

tm() { tmux -L "$S" "$@"; }
screen() { tm capture-pane -p -t t; }
# wait until the screen shows TEXT (up to 15 s: a loaded CI machine under the sanitizers; a wait
# that is met returns at once)
wait_for() { i=0; while [ $i -lt 150 ]; do screen | grep -q -- "$1" && return 0; sleep 0.1; i=$((i + 1)); done; return 1; }
# wait until the screen no longer shows TEXT (up to 15 s)
wait_gone() { i=0; while [ $i -lt 150 ]; do screen | grep -q -- "$1" || return 0; sleep 0.1; i=$((i + 1)); done; return 1; }
keys() { tm send-keys -t t "$@"; }
# start W H ARGS: the dashboard alone in a W x H pane, waited for.  A server just told to stop may
# still be going away (a new session then fails with "server exited unexpectedly"): wait it out.
start() {
  tm kill-server 2>/dev/null
  i=0; while [ $i -lt 50 ] && tm has-session 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
  i=0; until tm -f /dev/null new-session -d -s t -x "$1" -y "$2" "exec $ENV $R $3" 2>/dev/null; do
    i=$((i + 1)); [ $i -ge 20 ] && break; sleep 0.1
  done
  wait_for "F10Quit" || wait_for "F10"
}
stop() { tm kill-server 2>/dev/null; }
# the first screen row that matches PATTERN (empty: none)
row_at() { screen | grep -n -- "$1" | head -1 | cut -d: -f1; }
# to_field LABEL, selected, wait_selected: fields by their labels, not their places in the form
. "$srcdir/tests/fields.sh"
