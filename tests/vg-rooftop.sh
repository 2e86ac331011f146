#!/bin/sh
# vg-rooftop.sh - src/rooftop under valgrind, for the shell tests in CI's
# valgrind pass (ROOFTOP=tests/vg-rooftop.sh; --vgdb=no: no gdbserver FIFOs left in
# the test sandbox by a killed process): memcheck's report goes to
# $VG_LOGS/rooftop.PID.log (non-empty: an error or a definite leak of ours),
# never to the test's stdout or stderr, so the tests check the same output.
# Some tests run rooftop with a PATH that holds only fake tools (--detect): nothing
# here may need PATH, so no dirname and valgrind by its full name ($VALGRIND, set by
# .ci/run, or Debian's /usr/bin/valgrind).
# With VG_ONCE set, each distinct call runs under valgrind once and its repeats run
# rooftop itself: a call is its option names and the names of the files it is given
# (so every input file is read under valgrind at least once); calls that differ only
# in numbers take the same code paths with other values (about 1 s of CPU each
# under valgrind, and cli.sh makes some 180 calls).
here=$(cd "${0%/*}/.." && pwd)
bin=${VG_ROOFTOP:-$here/src/rooftop}
if [ -n "${VG_ONCE:-}" ]; then
  sig=""
  for a in "$@"; do
    case $a in
      -*) sig="$sig ${a%%=*}" ;;
      *) [ -f "$a" ] && sig="$sig @${a##*/}" ;;
    esac
  done
  sig=${sig:-(none)}
  if [ -f "${VG_LOGS:?}/calls" ]; then
    while IFS= read -r seen; do [ "$seen" != "$sig" ] || exec "$bin" "$@"; done < "$VG_LOGS/calls"
  fi
  echo "$sig" >> "$VG_LOGS/calls" # shell built-ins only: see PATH above
fi
exec "${VALGRIND:-/usr/bin/valgrind}" -q --vgdb=no --read-inline-info=no --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
  --suppressions="$here/tests/valgrind.supp" --log-file="${VG_LOGS:?}/rooftop.%p.log" "$bin" "$@"
