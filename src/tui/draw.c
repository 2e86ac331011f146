/* draw.c - every panel from the panels table into its rectangle, a note where
 * a panel is hidden for lack of room, then the overlay.  Everything is drawn
 * into stdscr; curses sends the terminal only the cells that changed. */
#include <stdio.h>
#include "tui/panels.h"
#include "tui/overlays.h"

/* The open overlay's view draws itself (the table of views, overlays.c). */
static void draw_overlay(const struct ui *u)
{
    if (views[u->overlay].draw)
        views[u->overlay].draw(u);
}

void draw_all(const struct ui *u)
{
    paint_set_utf8(u->utf8);
    erase();
    if (u->lay.too_small) {
        char buf[160];
        snprintf(buf, sizeof buf, "terminal too small: %dx%d, need %dx%d; %s", COLS, LINES, LAYOUT_MIN_COLS,
                 LAYOUT_MIN_ROWS, u->overlay == OV_QUIT ? "unsaved changes: y saves, n quits without, c goes back"
                                                        : "keys wait for it, q quits");
        paint_wrap(0, 0, COLS, LINES, 0, ROLE_NORMAL, buf); /* whole on a narrow one: wrapped */
        return;
    }
    for (int i = 0; i < panel_count; i++)
        if (u->lay.r[i].h > 0)
            panels[i].draw(u, u->lay.r[i]);
    /* a panel left out for lack of rows says so on its column's first heading;
     * where several are, the first is named and the others counted */
    for (int i = 0; i < panel_count; i++) {
        if (!u->lay.hidden[i] || !u->lay.need_rows[i])
            continue;
        bool before = false;
        int more = 0;
        for (int j = 0; j < panel_count; j++)
            if (j != i && u->lay.hidden[j] && u->lay.need_rows[j] && u->lay.col_of[j] == u->lay.col_of[i]) {
                before |= j < i;
                more += j > i;
            }
        if (before)
            continue;
        for (int j = 0; j < panel_count; j++)
            if (u->lay.col_of[j] == u->lay.col_of[i] && u->lay.r[j].h > 0) {
                char note[96];
                if (more)
                    snprintf(note, sizeof note, "%s (+%d) at %d+ rows", panels[i].name, more, u->lay.need_rows[i]);
                else
                    snprintf(note, sizeof note, "%s at %d+ rows", panels[i].name, u->lay.need_rows[i]);
                paint_heading_note(u->lay.r[j], ROLE_DIM, note);
                break;
            }
    }
    draw_overlay(u);
    form_place_cursor(u);
}
