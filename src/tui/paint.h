/* paint.h - drawing primitives: text, wrapped text, lines, boxes and bars,
 * in the theme's roles.  Every panel draws with these. */
#ifndef ROOFTOP_PAINT_H
#define ROOFTOP_PAINT_H

#include <curses.h>
#include <stdbool.h>
#include "tui/layout.h"
#include "catalog/theme.h"

/* Colours (colors.c). */
void colors_init(const struct theme *t, bool use_color);
attr_t role_attr(enum theme_role r);

/* Unicode box drawing in a UTF-8 locale, the alternate charset otherwise. */
void paint_set_utf8(bool utf8);
bool paint_utf8(void);
void paint_text(int y, int x, int maxw, enum theme_role r, const char *s);
void paint_textf(int y, int x, int maxw, enum theme_role r, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Word-wrapped text from row y, at most `lines` rows of width w; the lines
 * after the first are indented by `indent`.  Returns the rows used. */
int paint_wrap(int y, int x, int w, int lines, int indent, enum theme_role r, const char *s);
/* The rows paint_wrap would take for the whole text. */
int paint_wrap_rows(int w, int indent, const char *s);
void paint_hline(int y, int x, int n);
void paint_vline(int y, int x, int n);
/* A panel's heading: a line across the top row with the title on it. */
void paint_heading(struct rect r, const char *title);
/* Right-aligned text on a panel's heading row. */
void paint_heading_note(struct rect r, enum theme_role role, const char *note);
/* A box of h rows and w columns centred on the screen (kept a cell inside its edges). */
struct rect paint_centered(int h, int w);
/* A framed, cleared box with a title. */
void paint_box(struct rect r, const char *title);
/* "[|||||.....]": w cells filled to frac (0..1). */
void paint_bar(int y, int x, int w, double frac, enum theme_role r, chtype fill);
#endif
