#!/bin/sh
# vg-rooftop.sh - src/rooftop under valgrind, for the shell tests in CI's
# valgrind pass (ROOFTOP=tests/vg-rooftop.sh): memcheck's report goes to
# $VG_LOGS/rooftop.PID.log (non-empty: an error or a definite leak of ours),
# never to the test's stdout or stderr, so the tests check the same output.
here=$(cd "$(dirname "$0")/.." && pwd)
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
  --suppressions="$here/tests/valgrind.supp" --log-file="${VG_LOGS:?}/rooftop.%p.log" \
  "${VG_ROOFTOP:-$here/src/rooftop}" "$@"
