/* overlays.c - the table of views over the dashboard, one row per overlay of
 * OVERLAYS (ui.h): the dashboard's keys and drawing dispatch through it. */
#include <curses.h>
#include "tui/overlays.h"

#define OV_ROW(id, nm, k, d, k1, k2, m) [OV_##id] = { nm, k, d, { k1, k2 }, m },
const struct view views[OV_N] = { OVERLAYS(OV_ROW) };
#undef OV_ROW

bool view_closes(const struct ui *u, int ch)
{
    const struct view *v = &views[u->overlay];
    return ch == 27 || ch == 'q' || (ch && (ch == v->close_keys[0] || ch == v->close_keys[1]));
}
