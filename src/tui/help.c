/* help.c - the help overlay (the keys table's lines, wrapped to the width and
 * scrolled) and the notes overlay (warnings and hints in full). */
#include <stdio.h>
#include <string.h>
#include "tui/ui.h"
#include "tui/overlays.h"
#include "tui/paint.h"


int key_help(struct ui *u, int ch)
{
    int n = help_lines(), max = n - help_rows() > 0 ? n - help_rows() : 0; /* wrapped to the width */
    if (ch == KEY_DOWN || ch == 'j' || ch == KEY_NPAGE || ch == KEY_END) {
        u->help_top += ch == KEY_DOWN || ch == 'j' ? 1 : ch == KEY_NPAGE ? help_rows() : n;
        if (u->help_top > max)
            u->help_top = max;
    } else if (ch == KEY_UP || ch == 'k' || ch == KEY_PPAGE || ch == KEY_HOME) {
        u->help_top -= ch == KEY_UP || ch == 'k' ? 1 : ch == KEY_PPAGE ? help_rows() : n;
        if (u->help_top < 0)
            u->help_top = 0;
    } else {
        u->overlay = OV_NONE;
    }
    return KEEP;
}

int key_close(struct ui *u, int ch)
{
    (void)ch;
    u->overlay = OV_NONE;
    return KEEP;
}

/* Rows of help that fit, and the first shown (the overlay scrolls). */
int help_rows(void)
{
    int rows = LINES - 4;
    return rows < 1 ? 1 : rows;
}

/* The help as display lines at this width: a text too long for its column
 * goes on under itself, broken between words (it never runs off the box). */
#define HELP_LINES 160

struct help_line { const char *keys, *text; int len; };

static int help_layout(struct help_line *out, int max, int textw)
{
    struct key_help k[64];
    int n = keys_help(k, 64), m = 0;
    if (textw < 8)
        textw = 8;
    for (int i = 0; i < n && m < max; i++) {
        const char *t = k[i].help;
        bool first = true;
        while (m < max) {
            int len = (int)strlen(t);
            if (len > textw) { /* the last space that fits, else a hard break */
                len = textw;
                while (len > 0 && t[len] != ' ')
                    len--;
                if (len == 0)
                    len = textw;
            }
            out[m++] = (struct help_line){ first ? k[i].keys : "", t, len };
            first = false;
            t += len;
            while (*t == ' ')
                t++;
            if (!*t)
                break;
        }
    }
    return m;
}

static int help_width(void) { return (COLS - 2 < 76 ? COLS - 2 : 76) - 18; }

int help_lines(void)
{
    struct help_line l[HELP_LINES];
    return help_layout(l, HELP_LINES, help_width());
}

void draw_help(const struct ui *u)
{
    struct help_line l[HELP_LINES];
    int n = help_layout(l, HELP_LINES, help_width()), rows = help_rows() < n ? help_rows() : n;
    struct rect r = paint_centered(rows + 2, 76);
    int top = u->help_top > n - rows ? n - rows : u->help_top;
    paint_box(r, "Keys");
    for (int i = 0; i < rows && top + i < n; i++) {
        paint_text(r.y + 1 + i, r.x + 2, 14, ROLE_ACCENT, l[top + i].keys);
        paint_textf(r.y + 1 + i, r.x + 16, r.w - 18, ROLE_NORMAL, "%.*s", l[top + i].len, l[top + i].text);
    }
    char pos[48];
    snprintf(pos, sizeof pos, rows < n ? " %d-%d of %d: Up/Down scroll, any key closes " : " any key closes ", top + 1,
             top + rows, n);
    paint_text(r.y + r.h - 1, r.x + r.w - 2 - (int)strlen(pos), (int)strlen(pos), ROLE_ACCENT, pos);
}

void draw_notes(const struct ui *u)
{
    char warn[12][200];
    int n = ui_warnings(u, warn, 12);
    /* the box is as tall as what it says (htop's dialogs), at most the screen */
    int bw = COLS - 2 < 72 ? COLS - 2 : 72, rows = 0;
    if (!u->valid)
        rows += paint_wrap_rows(bw - 4, 2, u->error);
    for (int i = 0; i < n; i++)
        rows += paint_wrap_rows(bw - 4, 2, warn[i]);
    if (u->n_hints)
        rows++;
    for (int i = 0; i < u->n_hints; i++)
        rows += paint_wrap_rows(bw - 6, 2, u->hints[i]);
    struct rect r = paint_centered((rows > 0 ? rows : 1) + 2, bw);
    paint_box(r, "Warnings and hints");
    int y = r.y + 1, end = r.y + r.h - 1, w = r.w - 4;
    if (!u->valid)
        y += paint_wrap(y, r.x + 2, w, end - y, 2, ROLE_BAD, u->error);
    for (int i = 0; i < n && y < end; i++)
        y += paint_wrap(y, r.x + 2, w, end - y, 2, ROLE_WARN, warn[i]);
    if (u->n_hints && y < end)
        paint_text(y++, r.x + 2, w, ROLE_LABEL, "To fit, try:");
    for (int i = 0; i < u->n_hints && y < end; i++)
        y += paint_wrap(y, r.x + 4, w - 2, end - y, 2, ROLE_WARN, u->hints[i]);
    if (!n && !u->n_hints && u->valid)
        paint_text(y, r.x + 2, w, ROLE_GOOD, "nothing to report: it fits and no warning stands");
}
