/* overlays.c - the table of views over the dashboard, one row per overlay of
 * OVERLAYS (ui.h): the dashboard's keys and drawing dispatch through it.  The
 * close keys of the same rows are view_keys.c's (the views use them, and must not
 * call back up into this table). */
#include <curses.h>
#include "tui/overlays.h"

#define OV_ROW(id, nm, k, d, k1, k2, m) [OV_##id] = { nm, k, d, m },
const struct view views[OV_N] = { OVERLAYS(OV_ROW) };
#undef OV_ROW
