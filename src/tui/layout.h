/* layout.h - where each panel goes: a pure function of the terminal size and
 * the panels' geometry rows (panels.c).  No curses here. */
#ifndef ROOFTOP_LAYOUT_H
#define ROOFTOP_LAYOUT_H
#include <stdbool.h>

struct rect { int y, x, h, w; };   /* h == 0 or w == 0: not shown */
struct ui;

/* Three shapes: narrow (one column), normal (form | gauges over chart) and
 * wide (form | gauges | chart). */
enum { SHAPE_NARROW, SHAPE_NORMAL, SHAPE_WIDE, LAYOUT_SHAPES };
/* Where a panel goes in a shape: a column 0..2, a bar across the top or the
 * bottom, or nowhere. */
enum { PLACE_NONE = -1, PLACE_TOP = 8, PLACE_BOTTOM = 9 };

/* A panel: its name, where it goes, its size and how it draws.  Drawing
 * reads the state, never changes it.  Panels of a column stack in table
 * order; when rows run short the last ones are hidden (and announced). */
struct panel {
    const char *name;
    signed char place[LAYOUT_SHAPES];
    int min_h, min_w;
    int want_h;                     /* grows to this first (0: no preference) */
    bool grow;                      /* then takes a share of the rows left */
    void (*draw)(const struct ui *u, struct rect r);
    int (*want)(void);              /* want_h where the content decides it (NULL: want_h) */
};

#define LAYOUT_MIN_COLS 60
#define LAYOUT_MIN_ROWS 18
#define LAYOUT_MAX_PANELS 16
#define TALL_ROWS 26                /* body rows from which a scrolling panel shares its wish (100x30 and up) */
#define FORM_ROWS 12               /* at the least: ten fields (the form scrolls to the others),
                                    * the batch slider and the limits line; every field wants
                                    * form_rows() (p_form.c: one row per field of the inputs table) */

struct layout {
    bool too_small;
    int shape;
    int n;                          /* panels laid out */
    struct rect r[LAYOUT_MAX_PANELS];
    bool hidden[LAYOUT_MAX_PANELS]; /* placed in this shape but left out for lack of room */
    int need_rows[LAYOUT_MAX_PANELS]; /* ... and the rows it would need */
    int col_of[LAYOUT_MAX_PANELS];
    const struct panel *panels;     /* the table laid out (for layout_rect) */
};

void layout_compute(int rows, int cols, const struct panel *p, int n, struct layout *l);
/* The panels shown, in an array, for checks. */
int layout_rects(const struct layout *l, struct rect *out, int max);
/* Index of the panel named NAME, -1 if none. */
int layout_find(const struct panel *p, int n, const char *name);
/* The rectangle of the panel named NAME in l (empty when hidden, absent or too small). */
struct rect layout_rect(const struct layout *l, const char *name);
#endif
