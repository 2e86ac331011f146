/* layout.h - where each panel goes: a pure function of the terminal size. */
#ifndef ROOFTOP_LAYOUT_H
#define ROOFTOP_LAYOUT_H
#include <stdbool.h>

struct rect { int y, x, h, w; };   /* h == 0 or w == 0: not shown */

struct layout {
    bool too_small;
    struct rect title, form, numbers, gauges, chart, status;
};

#define LAYOUT_MIN_COLS 60
#define LAYOUT_MIN_ROWS 18
#define FORM_ROWS 12               /* ten fields, the batch slider and the limits line */

void layout_compute(int rows, int cols, struct layout *l);
/* The panels in an array, for checks. */
int layout_rects(const struct layout *l, struct rect *out, int max);
#endif
