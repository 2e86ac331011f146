# tap.sh - a tiny TAP producer for shell tests (sourced).
tap_n=0
tap_fail=0
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
not_ok() { tap_n=$((tap_n + 1)); tap_fail=$((tap_fail + 1)); echo "not ok $tap_n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
# check DESCRIPTION COMMAND...: ok when the command succeeds
check() { d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else not_ok "$d" "failed: $*"; fi; }
tap_done() { echo "1..$tap_n"; }
# the value of column NAME of the first data row of CSV on stdin
csvcol() { awk -v k="$1" -F, 'NR==1 { for (i = 1; i <= NF; i++) { gsub(/\r/, "", $i); if ($i == k) c = i } } NR==2 { v = $c; gsub(/\r/, "", v); print v; exit }'; }
# |a - b| <= rel * |b|
near() { awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; exit !(d <= r * m) }'; }
