#!/bin/sh
# house.sh - doc/house.md is the map of src/: every folder is a room in its
# table and every room in the table is a folder; no #include goes up or across
# a floor (a room includes only itself and rooms on lower floors).
. "$srcdir/tests/tap.sh"
MAP="$srcdir/doc/house.md"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# rooms of the map: "| `name` | floor | ..." rows
sed -n 's/^| `\([a-z_]*\)` | \([0-9][0-9]*\) |.*/\1 \2/p' "$MAP" | sort > "$T/map"
[ -s "$T/map" ] && ok "doc/house.md has a table of rooms" || not_ok "no rooms in doc/house.md"
(cd "$srcdir/src" && for d in */; do [ -d "$d" ] && echo "${d%/}"; done) | sort > "$T/dirs"
missing=$(cut -d' ' -f1 "$T/map" | comm -13 - "$T/dirs" | tr '\n' ' ')
gone=$(cut -d' ' -f1 "$T/map" | comm -23 - "$T/dirs" | tr '\n' ' ')
[ -z "$missing" ] && ok "every folder under src/ is a room of the map" || not_ok "folders missing from doc/house.md" "$missing"
[ -z "$gone" ] && ok "every room of the map is a folder under src/" || not_ok "rooms of doc/house.md that are gone" "$gone"

# includes: room -> room, each must go down a floor
floor() { awk -v r="$1" '$1 == r { print $2 }' "$T/map"; }
bad=""
for d in $(cat "$T/dirs"); do
    f=$(floor "$d")
    [ -n "$f" ] || continue
    for t in $(cat "$srcdir"/src/"$d"/*.[ch] 2>/dev/null | sed -n 's/^#include "\([a-z_]*\)\/.*/\1/p' | sort -u); do
        [ "$t" = "$d" ] && continue
        g=$(floor "$t")
        [ -n "$g" ] || continue
        [ "$g" -lt "$f" ] || bad="$bad $d($f)->$t($g)"
    done
done
[ -z "$bad" ] && ok "no #include goes up or across a floor" || not_ok "includes up or across a floor" "$bad"
# the bottom floor in particular: core and base include nothing of ours outside themselves
for d in core base; do
    out=$(cat "$srcdir"/src/$d/*.[ch] | sed -n 's/^#include "\([a-z_]*\)\/.*/\1/p' | grep -v "^$d\$" | sort -u | tr '\n' ' ')
    [ -z "$out" ] && ok "src/$d includes nothing of ours outside itself" || not_ok "src/$d includes $out"
done
tap_done
