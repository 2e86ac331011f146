#!/bin/sh
# tui_egpu.sh - a card in a Thunderbolt enclosure picked from the dashboard's GPU picker, not only
# typed: the real dashboard in tmux, keys typed, the screen read (tests/tmux-harness.sh).
S="rooftop-egpu-$$"
. "$srcdir/tests/tmux-harness.sh"

start 120 40 "-m llama-3.1-8b -e llama.cpp"
to_field GPU; keys Enter
wait_for "to search" && tm send-keys -t t -l "4090"
# the RTX 4090 itself, then under its own heading the same card over each Thunderbolt link
wait_for "in a Thunderbolt enclosure (eGPU)" && wait_for "rtx-4090@tb3 .*Thunderbolt 3: GeForce RTX" \
  && wait_for "rtx-4090@tb4 .*Thunderbolt 4" && wait_for "rtx-4090@tb5 .*Thunderbolt 5" \
  && ok "GPU picker: the RTX 4090 in a Thunderbolt 3, 4 or 5 enclosure" || not_ok "eGPU rows" "$(screen)"
# the heading is stepped over: two rows down from the internal card is the Thunderbolt 4 one
keys Down Down Enter
wait_for "GPU *< rtx-4090@tb4 >" && wait_for "Devices *1 (list)" \
  && ok "picking it sets --gpu rtx-4090@tb4, as typed on the command line" || not_ok "eGPU picked" "$(screen | head -8)"
# a search by the link's name lists that link's rows only (the picker's rows: the GPU field
# itself still says rtx-4090@tb4)
keys Enter
wait_for "to search" && tm send-keys -t t -l "thunderbolt 5"
wait_for "a10@tb5 .*Thunderbolt 5: A10 24GB" && ! screen | grep -q "│ [^ ]*@tb[34] " \
  && ok "searching 'thunderbolt 5' lists the Thunderbolt 5 rows" || not_ok "link search" "$(screen)"
# NVLink-class modules, unified memory and Macs have no enclosure rows
keys Escape Escape
wait_gone "to search"
for dev in h100-sxm m4-max dgx-spark; do
  keys Enter
  { wait_for "to search" && tm send-keys -t t -l "$dev" && wait_for "search: ${dev}_" && wait_for "│ $dev "; } \
    || echo "$dev: not listed" >> "$T/bad"
  screen | grep -q "$dev@tb" && echo "$dev: an enclosure row" >> "$T/bad"
  keys Escape Escape
  wait_gone "to search"
done
[ ! -s "$T/bad" ] && ok "no enclosure rows for an SXM module, a Mac or a DGX Spark" || not_ok "bad eGPU rows" "$(cat "$T/bad")"
stop
tap_done
