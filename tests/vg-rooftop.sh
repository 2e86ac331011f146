#!/bin/sh
# vg-rooftop.sh - src/rooftop under valgrind, for the shell tests in CI's
# valgrind pass (ROOFTOP=tests/vg-rooftop.sh; --vgdb=no: no gdbserver FIFOs left in
# the test sandbox by a killed process): memcheck's report goes to
# $VG_LOGS/rooftop.PID.log (non-empty: an error or a definite leak of ours),
# never to the test's stdout or stderr, so the tests check the same output.
# Some tests run rooftop with a PATH that holds only fake tools (--detect): nothing
# here may need PATH, so no dirname and valgrind by its full name ($VALGRIND, set by
# .ci/run, or Debian's /usr/bin/valgrind).
here=$(cd "${0%/*}/.." && pwd)
exec "${VALGRIND:-/usr/bin/valgrind}" -q --vgdb=no --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
  --suppressions="$here/tests/valgrind.supp" --log-file="${VG_LOGS:?}/rooftop.%p.log" \
  "${VG_ROOFTOP:-$here/src/rooftop}" "$@"
