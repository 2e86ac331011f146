/* layout.c - see layout.h. */
#include <string.h>
#include "tui/layout.h"

static struct rect R(int y, int x, int h, int w)
{
    if (h <= 0 || w <= 0)
        return (struct rect){ y, x, 0, 0 };
    return (struct rect){ y, x, h, w };
}

void layout_compute(int rows, int cols, const struct panel *p, int n, struct layout *l)
{
    memset(l, 0, sizeof *l);
    if (n > LAYOUT_MAX_PANELS)
        n = LAYOUT_MAX_PANELS;
    l->n = n;
    l->panels = p;
    for (int i = 0; i < n; i++)
        l->col_of[i] = PLACE_NONE;
    if (rows < LAYOUT_MIN_ROWS || cols < LAYOUT_MIN_COLS) {
        l->too_small = true;
        return;
    }
    int shape = cols >= 150 && rows >= 24 ? SHAPE_WIDE : cols >= 80 ? SHAPE_NORMAL : SHAPE_NARROW;
    l->shape = shape;
    int colx[3] = { 0, 0, 0 }, colw[3] = { cols, 0, 0 };
    if (shape == SHAPE_NORMAL) {
        colw[0] = cols >= 100 ? 40 : 36;
        colx[1] = colw[0];
        colw[1] = cols - colw[0];
    } else if (shape == SHAPE_WIDE) {
        colw[0] = cols / 4 < 40 ? 40 : cols / 4 > 56 ? 56 : cols / 4;
        colw[1] = (cols - colw[0]) / 2;
        colx[1] = colw[0];
        colx[2] = colw[0] + colw[1];
        colw[2] = cols - colx[2];
    }
    /* bars across the top and the bottom */
    int top = 0, bottom = rows;
    for (int i = 0; i < n; i++) {
        int pl = p[i].place[shape];
        l->col_of[i] = pl;
        if (pl == PLACE_TOP) {
            l->r[i] = R(top, 0, p[i].min_h, cols);
            top += p[i].min_h;
        }
    }
    for (int i = n - 1; i >= 0; i--)
        if (p[i].place[shape] == PLACE_BOTTOM) {
            bottom -= p[i].min_h;
            l->r[i] = R(bottom, 0, p[i].min_h, cols);
        }
    int body = bottom - top, bars = rows - body;
    for (int c = 0; c <= shape; c++) {
        int idx[LAYOUT_MAX_PANELS], k = 0, sum = 0;
        for (int i = 0; i < n; i++) {
            if (p[i].place[shape] != c)
                continue;
            if (p[i].min_w > colw[c]) {
                l->hidden[i] = true;
                continue;
            }
            sum += p[i].min_h;
            if (sum > body) {
                l->hidden[i] = true;
                l->need_rows[i] = bars + sum;
                continue;
            }
            idx[k++] = i;
        }
        int h[LAYOUT_MAX_PANELS], extra = body, ngrow = 0;
        for (int j = 0; j < k; j++) {
            h[j] = p[idx[j]].min_h;
            extra -= h[j];
            ngrow += p[idx[j]].grow;
        }
        for (int j = 0; j < k && extra > 0; j++) {
            int d = (p[idx[j]].want ? p[idx[j]].want() : p[idx[j]].want_h) - h[j];
            /* on a tall screen a panel that scrolls (it wants its content's rows) leaves the
             * panels below it their own wish: the Answer under a long form keeps its lines */
            if (p[idx[j]].want && body >= TALL_ROWS) {
                int reserve = 0;
                for (int q = j + 1; q < k; q++)
                    if (!p[idx[q]].want && p[idx[q]].want_h > h[q])
                        reserve += p[idx[q]].want_h - h[q];
                if (d > extra - reserve) d = extra - reserve;
            }
            if (d > extra) d = extra;
            if (d > 0) { h[j] += d; extra -= d; }
        }
        for (int j = 0; j < k && ngrow > 0; j++)
            if (p[idx[j]].grow) {
                int d = extra / ngrow--;
                h[j] += d;
                extra -= d;
            }
        int y = top;
        for (int j = 0; j < k; j++) {
            l->r[idx[j]] = R(y, colx[c], h[j], colw[c]);
            y += h[j];
        }
    }
}

int layout_rects(const struct layout *l, struct rect *out, int max)
{
    int n = 0;
    for (int i = 0; i < l->n && n < max; i++)
        if (l->r[i].h > 0 && l->r[i].w > 0)
            out[n++] = l->r[i];
    return n;
}

int layout_find(const struct panel *p, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(p[i].name, name) == 0)
            return i;
    return -1;
}

struct rect layout_rect(const struct layout *l, const char *name)
{
    int i = l->panels ? layout_find(l->panels, l->n, name) : -1;
    return i >= 0 && !l->too_small ? l->r[i] : (struct rect){ 0, 0, 0, 0 };
}
