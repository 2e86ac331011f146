#!/bin/sh
# sandbox.sh - run one test with HOME, every XDG folder, TMPDIR and tmux's
# socket folder inside a fresh temporary folder, then fail the test (exit 1:
# the TAP driver reports ERROR) if it left anything there, and remove it.
# Usage: sandbox.sh COMMAND [ARGS...]
d=$(mktemp -d "${TMPDIR:-/tmp}/rt-XXXXXX") || exit 1  # short: paths on a 100-column screen
mkdir -p "$d/h" "$d/t" "$d/r"
chmod 700 "$d/r"
HOME="$d/h" XDG_CONFIG_HOME="$d/h/.config" XDG_DATA_HOME="$d/h/.local/share" \
XDG_CACHE_HOME="$d/h/.cache" XDG_STATE_HOME="$d/h/.local/state" XDG_RUNTIME_DIR="$d/r" \
TMPDIR="$d/t" TMUX_TMPDIR="$d/r"
export HOME XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_STATE_HOME XDG_RUNTIME_DIR TMPDIR TMUX_TMPDIR
"$@"
rc=$?
left=$(cd "$d" && find h t r -mindepth 1 ! -name 'tmux-*' 2>/dev/null | head -5)
# tmux's own folder (tmux-UID) may stay; a socket in it may not
sock=$(find "$d/r" -type s 2>/dev/null | head -3)
rm -rf "$d"
if [ -n "$left$sock" ]; then
  echo "sandbox.sh: the test left behind: $left $sock" >&2
  exit 1
fi
exit $rc
