#!/bin/sh
# fuzz-replay.sh - every fuzz target (make fuzz) replays its seed corpus
# (tests/fuzz/corpus/NAME/) and the crashes found so far (tests/fuzz/crashes/NAME/),
# built with the ordinary compiler (tests/fuzz/replay.c): a fixed crash that
# comes back fails make check, without clang or libFuzzer.
. "$srcdir/tests/tap.sh"
B=${builddir:-.}
for t in ${FUZZ_TARGETS:?}; do
  out=$("$B/tests/fuzz/replay_$t" "$srcdir/tests/fuzz/corpus/$t" "$srcdir/tests/fuzz/crashes/$t" 2>&1); rc=$?
  n=$(echo "$out" | sed -n 's/ inputs replayed$//p')
  if [ $rc = 0 ] && [ "${n:-0}" -gt 0 ]; then ok "fuzz_$t: $n inputs of the corpus and past crashes replayed"
  else not_ok "fuzz_$t replay" "rc=$rc $(echo "$out" | tail -5)"; fi
done
tap_done
