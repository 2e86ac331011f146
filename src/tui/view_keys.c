/* view_keys.c - the keys every view over the dashboard shares: what closes the
 * open one (Esc, q, or its own keys from OVERLAYS in ui.h) and the cursor keys
 * of a list view.  Below the views and the table of views (overlays.c), which
 * use it. */
#include <curses.h>
#include "tui/ui.h"

#define OV_CLOSE(id, nm, k, d, k1, k2, m) [OV_##id] = { k1, k2 },
static const int close_keys[OV_N][2] = { OVERLAYS(OV_CLOSE) };
#undef OV_CLOSE

bool view_closes(const struct ui *u, int ch)
{
    const int *k = close_keys[u->overlay];
    return ch == 27 || ch == 'q' || (ch && (ch == k[0] || ch == k[1]));
}

/* The keys that move a list view's cursor *c over n rows: Down/j, Up/k, Page
 * Down/Up (LINES - 8 rows, about the list's height), Home and End.  True when
 * ch was one of them; *c may then be outside 0..n-1: the caller clamps it. */
bool view_list_key(int ch, int *c, int n)
{
    int page = LINES - 8 > 1 ? LINES - 8 : 1;
    if (ch == KEY_DOWN || ch == 'j')
        (*c)++;
    else if (ch == KEY_UP || ch == 'k')
        (*c)--;
    else if (ch == KEY_NPAGE)
        *c += page;
    else if (ch == KEY_PPAGE)
        *c -= page;
    else if (ch == KEY_HOME)
        *c = 0;
    else if (ch == KEY_END)
        *c = n - 1;
    else
        return false;
    return true;
}
