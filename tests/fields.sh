# fields.sh - sourced by the dashboard's tmux tests (tui.sh, tmux-harness.sh): go to a field of the
# form by its label, not by its place in the form, so that a new field moves no test.  The dashboard
# leaves the terminal's (hidden) cursor on the selected field's label (tui/p_form.c,
# form_place_cursor) and tmux says where that is.  Every wait polls the pane (15 s at most; a wait
# that is met returns at once).  The caller defines tm (tmux on its socket), screen (the pane's
# text) and keys.

_fcy() { tm display -p -t t '#{cursor_y}'; }
# the label of the selected field (another row's text while a dialog or list is open)
selected() {
  _fy=$(_fcy); _fx=$(tm display -p -t t '#{cursor_x}')
  screen | sed -n "$((_fy + 1))p" | cut -c$((_fx + 1))-$((_fx + 10)) | sed 's/ *$//'
}
_fpoll() { _fn=300; until "$@"; do _fn=$((_fn - 1)); [ $_fn -gt 0 ] || return 1; sleep 0.05; done; }
_fis() { [ "$(selected)" = "$1" ]; }
_fnot() { [ "$(selected)" != "$1" ]; }
_fat() { [ "$(_fcy)" = "$1" ]; }
_fnotat() { [ "$(_fcy)" != "$1" ]; }
# the screen row (1-based) of the field labelled LABEL; empty where it is scrolled out of sight
field_row() { screen | grep -n "^ $(printf '%-10s' "$1") " | head -1 | cut -d: -f1; }
# with both the selected field and LABEL on screen, as many Down (or Up) as rows lie between them
_fjump() {
  _fa=$(field_row "$(selected)"); _fb=$(field_row "$1")
  [ -n "$_fa" ] && [ -n "$_fb" ] || return 1
  _fk=Down; _fm=$((_fb - _fa))
  [ $_fm -lt 0 ] && { _fk=Up; _fm=$((-_fm)); }
  while [ $_fm -gt 0 ]; do keys $_fk; _fm=$((_fm - 1)); done
  _fpoll _fis "$1"
}
# to_field LABEL: select the field labelled LABEL (Model, GPU, ... Split).  A short screen scrolls
# the form, the selected field on its last row: LABEL is looked for where it is, then at the top
# (Home) and at the end (End) of the form, then a screen at a time down from the top (the field on
# the last row goes to the first: the wait for that is a wait for every key sent).  False if no
# field has that label.
to_field() {
  _fjump "$1" && return 0
  _ftop=$(screen | grep -n "^─ Scenario" | head -1 | cut -d: -f1) # the first field's row, from 0
  [ -n "$_ftop" ] || return 1
  keys Home; _fpoll _fat "$_ftop" || return 1
  _fjump "$1" && return 0
  keys End; _fpoll _fnotat "$_ftop" || return 1
  _fbot=$(_fcy)
  _fjump "$1" && return 0
  keys Home; _fpoll _fat "$_ftop" || return 1
  _fpage=$((_fbot - _ftop))
  _fm=$_fpage; while [ $_fm -gt 0 ]; do keys Down; _fm=$((_fm - 1)); done
  _fpoll _fat "$_fbot" || return 1
  while _fwas=$(selected) && [ -n "$_fwas" ]; do
    _fjump "$1" && return 0
    _fm=$_fpage; while [ $_fm -gt 0 ]; do keys Down; _fm=$((_fm - 1)); done
    _fpoll _fnot "$_fwas" && _fpoll _fworow "$_fwas" $((_ftop + 1)) || return 1
  done
  return 1
}
_fworow() { [ "$(field_row "$1")" = "$2" ]; }
# wait until the field labelled LABEL is the selected one (after a key that selects it: m, g, d)
wait_selected() { _fpoll _fis "$1"; }
