/* paint.c - see paint.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "tui/paint.h"
#include "base/text.h"

static bool utf8_mode;

void paint_set_utf8(bool utf8) { utf8_mode = utf8; }
bool paint_utf8(void) { return utf8_mode; }

/* Plain ASCII text within the row goes in as cells (waddchnstr), not through waddnstr's
 * multibyte conversion per byte: the same cells, attributes and cursor, at a fraction of the
 * cost (the text of the dashboard is nearly all ASCII). Anything else takes waddnstr. */
static bool put_ascii(int y, int x, int maxw, attr_t a, const char *s)
{
    chtype cells[512];
    int n = 0;
    for (; s[n] && n < maxw; n++) {
        unsigned char ch = (unsigned char)s[n];
        if (ch < 0x20 || ch > 0x7e || n >= (int)(sizeof cells / sizeof cells[0]))
            return false;
        cells[n] = ch | a;
    }
    if (y < 0 || x < 0 || y >= LINES || x + n >= COLS)
        return false; /* the last column or beyond: waddnstr's wrap and clipping */
    mvaddchnstr(y, x, cells, n);
    move(y, x + n);
    return true;
}

void paint_text(int y, int x, int maxw, enum theme_role r, const char *s)
{
    if (maxw <= 0)
        return;
    char safe[1024]; /* names and values from files: no control characters reach the terminal */
    attr_t a = role_attr(r);
    text_safe(safe, sizeof safe, s);
    if (!put_ascii(y, x, maxw, a, safe)) {
        attrset(a);
        mvaddnstr(y, x, safe, maxw);
    }
    attrset(A_NORMAL);
}

void paint_textf(int y, int x, int maxw, enum theme_role r, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    paint_text(y, x, maxw, r, buf);
}

/* Wrap text to width w (paint: draw it from row y); returns the rows used, at most lines. */
static int wrap(bool paint, int y, int x, int w, int lines, int indent, enum theme_role r, const char *text)
{
    char safe[2048];
    const char *s = text_safe(safe, sizeof safe, text);
    int used = 0;
    while (*s && used < lines) {
        int off = used ? indent : 0, room = w - off;
        if (room <= 0)
            break;
        size_t len = strlen(s);
        int take = (int)len;
        if (take > room) {
            /* break at the last space that fits, or cut a word too long for a line */
            take = room;
            for (int i = room; i > room / 2; i--)
                if (s[i] == ' ') {
                    take = i;
                    break;
                }
        }
        if (paint) {
            attrset(role_attr(r));
            mvaddnstr(y + used, x + off, s, take);
            attrset(A_NORMAL);
        }
        s += take;
        while (*s == ' ')
            s++;
        used++;
    }
    return used;
}

int paint_wrap(int y, int x, int w, int lines, int indent, enum theme_role r, const char *text)
{
    return wrap(true, y, x, w, lines, indent, r, text);
}

int paint_wrap_rows(int w, int indent, const char *text)
{
    return wrap(false, 0, 0, w, 1 << 20, indent, ROLE_NORMAL, text);
}

/* A box-drawing line in UTF-8 mode is one wide cell repeated by whline_set /
 * wvline_set, not one addstr per cell: the same cells on screen, without a
 * multibyte conversion per cell (the slider step's redraw spent a quarter of
 * its time here). The window's attributes apply as they do to addstr. */
static void wide_line(int y, int x, int n, wchar_t wc, bool vertical)
{
    wchar_t s[2] = { wc, 0 };
    cchar_t c;
    if (n <= 0 || setcchar(&c, s, A_NORMAL, 0, NULL) == ERR)
        return;
    if (vertical)
        mvvline_set(y, x, &c, n);
    else
        mvhline_set(y, x, &c, n);
}

void paint_hline(int y, int x, int n)
{
    if (!utf8_mode) {
        mvhline(y, x, ACS_HLINE, n);
        return;
    }
    wide_line(y, x, n, L'\u2500', false);
}

void paint_vline(int y, int x, int n)
{
    if (!utf8_mode) {
        mvvline(y, x, ACS_VLINE, n);
        return;
    }
    wide_line(y, x, n, L'\u2502', true);
}

void paint_heading(struct rect r, const char *title)
{
    attrset(role_attr(ROLE_DIM));
    paint_hline(r.y, r.x, r.w);
    attrset(A_NORMAL);
    paint_textf(r.y, r.x + 1, r.w - 2, ROLE_ACCENT, " %s ", title);
}

void paint_heading_note(struct rect r, enum theme_role role, const char *note)
{
    char buf[128];
    snprintf(buf, sizeof buf, " %s ", note);
    int len = (int)strlen(buf), x = r.x + r.w - len - 1;
    if (x > r.x + 16)
        paint_text(r.y, x, len, role, buf);
}

void paint_box(struct rect r, const char *title)
{
    attrset(role_attr(ROLE_NORMAL));
    for (int y = r.y; y < r.y + r.h; y++)
        mvhline(y, r.x, ' ', r.w);
    attrset(role_attr(ROLE_ACCENT));
    paint_hline(r.y, r.x, r.w);
    paint_hline(r.y + r.h - 1, r.x, r.w);
    paint_vline(r.y, r.x, r.h);
    paint_vline(r.y, r.x + r.w - 1, r.h);
    if (utf8_mode) {
        mvaddstr(r.y, r.x, "\u250c");
        mvaddstr(r.y, r.x + r.w - 1, "\u2510");
        mvaddstr(r.y + r.h - 1, r.x, "\u2514");
        mvaddstr(r.y + r.h - 1, r.x + r.w - 1, "\u2518");
    } else {
        mvaddch(r.y, r.x, ACS_ULCORNER);
        mvaddch(r.y, r.x + r.w - 1, ACS_URCORNER);
        mvaddch(r.y + r.h - 1, r.x, ACS_LLCORNER);
        mvaddch(r.y + r.h - 1, r.x + r.w - 1, ACS_LRCORNER);
    }
    attrset(A_NORMAL);
    paint_textf(r.y, r.x + 2, r.w - 4, ROLE_ACCENT, " %s ", title);
}

void paint_bar(int y, int x, int w, double frac, enum theme_role r, chtype fill)
{
    if (w <= 2)
        return;
    int inner = w - 2;
    int n = (int)lround(fmin(fmax(frac, 0), 1) * inner);
    mvaddch(y, x, '[');
    attrset(role_attr(r));
    for (int i = 0; i < n; i++)
        addch(fill);
    attrset(role_attr(ROLE_FREE));
    for (int i = n; i < inner; i++)
        addch('.');
    attrset(A_NORMAL);
    addch(']');
}

struct rect paint_centered(int h, int w)
{
    if (h > LINES - 2) h = LINES - 2;
    if (w > COLS - 2) w = COLS - 2;
    return (struct rect){ (LINES - h) / 2, (COLS - w) / 2, h, w };
}
