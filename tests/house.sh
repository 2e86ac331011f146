#!/bin/sh
# house.sh - doc/house.md is the map of src/: every folder is a room in its
# table and every room in the table is a folder; no #include goes up or across
# a floor (a room includes only itself and rooms on lower floors); no two files
# (a .c with its .h) include or call each other round a circle; no function in
# src/ is over 150 lines (tests/funlen.awk).
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

# circles between files: a file is a .c with its .h (src/x/name); x uses y when
# one of x's files includes one of y's headers (from the sources), or when x's
# object calls or reads a symbol y's object defines (nm on the built objects).
# Any circle of either kind fails (tests/circles.awk prints each one).
(cd "$srcdir/src" && for f in */*.[ch] *.[ch]; do
    [ -f "$f" ] || continue
    sed -n 's/^#include "\([a-z_/]*\)\.[ch]".*/\1/p' "$f" | sed "s|^|${f%.*} |"
done) > "$T/includes"
circ=$(awk -f "$srcdir/tests/circles.awk" "$T/includes" | tr '\n' ';')
[ -z "$circ" ] && ok "no include circle between files" || not_ok "include circles between files" "$circ"
B=${builddir:-.}
if command -v nm >/dev/null 2>&1 && [ -d "$B/src" ]; then
    : > "$T/syms"
    for o in $(cd "$B/src" && find . -name '*.o' | sed 's|^\./||' | sort); do
        f=${o%.o}
        d=$(dirname "$f"); b=$(basename "$f"); b=${b#*-}   # automake's TARGET-name.o
        [ "$d" = . ] && u=$b || u=$d/$b
        [ -f "$srcdir/src/$u.c" ] || [ -f "$B/src/$u.c" ] || continue  # an object left from a removed file
        nm -P "$B/src/$o" 2>/dev/null | awk -v u="$u" '$2 == "U" { print "U", u, $1; next } $2 ~ /^[TDBRCV]$/ { print "D", u, $1 }' >> "$T/syms"
    done
    awk '$1 == "D" { def[$3] = $2 } $1 == "U" { use[NR] = $2 " " $3 }
         END { for (i in use) { split(use[i], a, " "); if (a[2] in def) print a[1], def[a[2]] } }' "$T/syms" > "$T/calls"
    [ -s "$T/calls" ] && ok "the objects' calls between files are read (nm)" || not_ok "no calls read from the objects in $B/src"
    circ=$(awk -f "$srcdir/tests/circles.awk" "$T/calls" | tr '\n' ';')
    [ -z "$circ" ] && ok "no call circle between files" || not_ok "call circles between files" "$circ"
else
    ok "# SKIP no nm or no built objects: call circles not checked"
fi
# no function in src/ over 150 lines (generated files aside: they say so on
# their first line); tests/funlen.awk reads the house's layout of a function,
# and is first shown a planted function of 151 lines, so that a reader that
# finds nothing cannot pass
{ echo "static int planted(int a)"; echo "{"; i=0; while [ $i -lt 148 ]; do echo "    a++;"; i=$((i + 1)); done; echo "}"; } > "$T/planted.c"
long=$(awk -v max=150 -f "$srcdir/tests/funlen.awk" "$T/planted.c")
[ "$long" = "$T/planted.c:1 planted: 151 lines" ] && ok "tests/funlen.awk finds a planted function of 151 lines" || not_ok "tests/funlen.awk misses a planted function of 151 lines" "$long"
files=$(cd "$srcdir" && for f in src/*.c src/*/*.c; do [ -f "$f" ] && ! head -1 "$f" | grep -q '^/\* Generated' && echo "$f"; done)
long=$(cd "$srcdir" && awk -v max=150 -f tests/funlen.awk $files | tr '\n' ';')
[ -n "$files" ] && [ -z "$long" ] && ok "no function in src/ is over 150 lines" || not_ok "functions over 150 lines" "$long"
tap_done
