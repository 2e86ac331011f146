/* chart.c - the roofline on log-log axes: the bandwidth slope and the compute
 * roof of the device at the chosen precision, with the prefill (P) and decode
 * (D) operating points.  Braille cells (2x4 dots) in UTF-8, ASCII otherwise. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tui/panels.h"
#include "base/units.h"

#define DOTS_MAX (512 * 256)

struct canvas { int w, h; unsigned char dot[DOTS_MAX]; }; /* w x h dots */

static void plot(struct canvas *c, int x, int y)
{
    if (x >= 0 && y >= 0 && x < c->w && y < c->h)
        c->dot[y * c->w + x] = 1;
}

/* Braille dot bit for (column 0/1, row 0..3) of a cell, U+2800 block. */
static const int bits[4][2] = { { 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 } };

void panel_chart(const struct ui *u, struct rect r)
{
    paint_heading(r, "Roofline");
    if (!u->valid || r.h < 6 || r.w < 24)
        return;
    const struct rt_result *s = &u->res;
    double peak = s->peak_flops > 0 ? s->peak_flops : s->peak_bw * 1000, bw = s->peak_bw;
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
    for (int px = 0; px < c->w; px++) {
        double ai = pow(10, x0 + (x1 - x0) * (px + 0.5) / c->w);
        double perf = fmin(peak, ai * bw);
        double fy = (log10(perf) - y0) / (y1 - y0);
        int py = c->h - 1 - (int)floor(fy * c->h);
        plot(c, px, py);
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
                mvaddch(r.y + 1 + cy, r.x + lw + 1 + cx, ai * bw < peak ? '/' : '-');
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
        double perf = fmin(peak, ai * bw);
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
    /* the roof drawn is the nominal peak's; each phase's own ridge (its kernel
     * class, a measured matmul rate) is the Fit panel's */
    snprintf(buf, sizeof buf, " peak ridge %.0f FLOP/B ", s->ridge_point);
    int rx = r.x + r.w - (int)strlen(buf) - 1;
    if (rx > r.x + 12)
        mvaddstr(r.y, rx, buf);
    attrset(A_NORMAL);
}
