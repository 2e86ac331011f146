/* chart.c - the roofline on log-log axes: the bandwidth slope and the compute
 * roof the weight GEMMs reach (each phase's ridge point, the figure the Fit panel
 * judges its bound against), the datasheet peak dotted above or below it where it
 * differs, with the prefill (P) and decode (D) operating points.  Braille cells
 * (2x4 dots) in UTF-8, ASCII otherwise. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tui/panels.h"
#include "base/units.h"

#define DOTS_MAX (512 * 256)

struct canvas { int w, h; unsigned char dot[DOTS_MAX]; }; /* w x h dots */

static void plot(struct canvas *c, int x, int y, unsigned char v)
{
    if (x >= 0 && y >= 0 && x < c->w && y < c->h && !c->dot[y * c->w + x])
        c->dot[y * c->w + x] = v;
}

/* The dot row of a performance on the log axis y0 .. y1 (log10 FLOP/s), h rows. */
static int row_of(double perf, double y0, double y1, int h)
{
    return h - 1 - (int)floor((log10(perf) - y0) / (y1 - y0) * h);
}

/* Braille dot bit for (column 0/1, row 0..3) of a cell, U+2800 block. */
static const int bits[4][2] = { { 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 } };

void panel_chart(const struct ui *u, struct rect r)
{
    paint_heading(r, "Roofline");
    if (!u->valid || r.h < 6 || r.w < 24)
        return;
    const struct rt_result *s = &u->res;
    double bw = s->peak_bw, sheet = s->peak_flops > 0 ? s->peak_flops : s->peak_bw * 1000;
    /* the roof: the ridge point the phases are judged against (prefill.ridge_point: its kernel
     * class's peak, a measured matmul rate where the catalog has one) x the bandwidth */
    double ridge[2] = { ui_value(u, "prefill.ridge_point"), ui_value(u, "decode.ridge_point") };
    double roof = ridge[0] > 0 && bw > 0 ? ridge[0] * bw : sheet;
    bool two = lround(ridge[0]) != lround(ridge[1]); /* the phases' kernels reach different peaks */
    bool dotted = fabs(sheet - roof) > 0.01 * roof;
    double peak = fmax(sheet, roof);
    /* axes: intensity 10^-1 .. 10^5 FLOP/byte; performance peak/1e5 .. peak*2 */
    double x0 = -1, x1 = 5, y1 = log10(peak * 2), y0 = y1 - 5.3;
    int lw = 8; /* left axis labels */
    int cw = r.w - lw - 1, chh = r.h - 3;
    int sx = u->utf8 ? 2 : 1, sy = u->utf8 ? 4 : 1;
    static struct canvas cv; /* 128 KiB: kept off the stack */
    struct canvas *c = &cv;
    c->w = cw * sx;
    c->h = chh * sy;
    if (c->w * c->h > DOTS_MAX || c->w <= 0 || c->h <= 0)
        return;
    memset(c->dot, 0, (size_t)(c->w * c->h));
    /* the datasheet's line only where it stands two rows clear of the roof (a line a dot or two
     * off the roof reads as a smudge on it); the title names its figure either way */
    bool apart = abs(row_of(sheet, y0, y1, c->h) - row_of(roof, y0, y1, c->h)) >= 2 * sy;
    for (int px = 0; px < c->w; px++) {
        double ai = pow(10, x0 + (x1 - x0) * (px + 0.5) / c->w);
        /* dots: 1 the roof (prefill's: the phase its compute peak matters to; decode's differs only
         * where its kernels stream at another bandwidth, Metal's measured one), 2 the datasheet
         * peak's flat part, every third dot */
        plot(c, px, row_of(fmin(roof, ai * bw), y0, y1, c->h), 1);
        if (dotted && apart && ai * bw >= sheet && px % 3 == 0)
            plot(c, px, row_of(sheet, y0, y1, c->h), 2);
    }
    attrset(role_attr(ROLE_ROOF));
    for (int cy = 0; cy < chh; cy++) {
        move(r.y + 1 + cy, r.x + lw + 1);
        for (int cx = 0; cx < cw; cx++) {
            if (u->utf8) {
                int v = 0;
                for (int dy = 0; dy < 4; dy++)
                    for (int dx = 0; dx < 2; dx++)
                        if (c->dot[(cy * 4 + dy) * c->w + cx * 2 + dx])
                            v |= bits[dy][dx];
                if (v) {
                    /* U+2800 + v in UTF-8: E2 A0|(v>>6) 80|(v&63) */
                    char ch[4] = { (char)0xE2, (char)(0xA0 | (v >> 6)), (char)(0x80 | (v & 0x3F)), 0 };
                    mvaddstr(r.y + 1 + cy, r.x + lw + 1 + cx, ch);
                }
            } else if (c->dot[cy * c->w + cx]) {
                double ai = pow(10, x0 + (x1 - x0) * (cx + 0.5) / c->w);
                mvaddch(r.y + 1 + cy, r.x + lw + 1 + cx,
                        c->dot[cy * c->w + cx] == 2 ? '.' : ai * bw < roof ? '/' : '-');
            }
        }
    }
    attrset(A_NORMAL);
    /* axes and labels */
    attrset(role_attr(ROLE_DIM));
    paint_vline(r.y + 1, r.x + lw, chh);
    paint_hline(r.y + 1 + chh, r.x + lw, cw + 1);
    char buf[32];
    for (int k = 0; k < 3; k++) {
        double ly = y1 - (y1 - y0) * k / 2.0;
        fmt_si(buf, sizeof buf, pow(10, ly));
        mvaddnstr(r.y + 1 + (chh - 1) * k / 2, r.x + 1, buf, lw - 2); /* a column apart from the panel left of it */
    }
    static const char *const xl[] = { "0.1", "1", "10", "100", "1k", "10k", "100k" };
    int free_from = r.x + lw + 1;
    for (int e = (int)x0; e <= (int)x1; e++) {
        const char *t = xl[e + 1];
        int len = (int)strlen(t);
        int cx = r.x + lw + 1 + (int)lround((e - x0) / (x1 - x0) * (cw - 1)) - len / 2;
        if (cx + len > r.x + r.w)
            cx = r.x + r.w - len;
        if (cx < free_from)
            continue; /* would overlap the previous label */
        mvaddstr(r.y + 2 + chh, cx, t);
        free_from = cx + len + 1;
    }
    mvaddnstr(r.y + 2 + chh, r.x + 1, "FLOP/B", lw - 2);
    attrset(A_NORMAL);
    /* operating points on the roof, at each phase's arithmetic intensity */
    const struct rt_phase *ph[2] = { &s->prefill, &s->decode };
    const char marks[2] = { 'P', 'D' };
    enum theme_role roles[2] = { ROLE_PREFILL, ROLE_DECODE };
    for (int i = 0; i < 2; i++) {
        double ai = ph[i]->ai;
        if (ai <= 0)
            continue;
        double lx = fmin(fmax(log10(ai), x0), x1);
        double perf = fmin(roof, ai * bw); /* on the roof drawn */
        int cx = (int)floor((lx - x0) / (x1 - x0) * cw);
        int cy = chh - 1 - (int)floor((log10(perf) - y0) / (y1 - y0) * chh);
        if (cx >= cw) cx = cw - 1;
        if (cy < 0) cy = 0;
        if (cy >= chh) cy = chh - 1;
        attrset(role_attr(roles[i]) | A_BOLD);
        mvaddch(r.y + 1 + cy, r.x + lw + 1 + cx, (chtype)marks[i]);
        attrset(A_NORMAL);
    }
    attrset(role_attr(ROLE_DIM));
    /* the title names the roof drawn, the ridge the Fit panel judges each phase against, and the
     * datasheet's (ridge_point: the device's peak at the format's precision) where it is dotted */
    char title[96], r0[40];
    if (two)
        snprintf(r0, sizeof r0, " ridge P %.0f, D %.0f FLOP/B", ridge[0], ridge[1]);
    else
        snprintf(r0, sizeof r0, " ridge %.0f FLOP/B", ridge[0]);
    snprintf(title, sizeof title, "%s (datasheet %.0f) ", r0, s->ridge_point);
    if (!dotted || (int)strlen(title) > r.w - 14)
        snprintf(title, sizeof title, "%s ", r0);
    int rx = r.x + r.w - (int)strlen(title) - 1;
    if (rx > r.x + 12)
        mvaddstr(r.y, rx, title);
    attrset(A_NORMAL);
}
