/* p_gauges.c - fit and speed: VRAM per device stacked by component, the
 * bandwidth and compute the target rate needs, and what bounds each phase. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tui/panels.h"
#include "output/report.h"
#include "base/units.h"

/* A label with "need of peak unit pct%" on one line and its bar on the next. */
static int gauge(int y, int end, int x, int w, const char *label, double need, double peak, const char *unit,
                 double frac, enum theme_role role)
{
    char a[32], b[32];
    int lx = (int)strlen(label) + 1;
    if (y < end) {
        fmt_si(a, sizeof a, need);
        fmt_si(b, sizeof b, peak);
        paint_text(y, x, w, ROLE_LABEL, label);
        paint_textf(y, x + lx, w - lx, ROLE_VALUE, "%s%s of %s%s %.0f%%", a, unit, b, unit, frac * 100);
        y++;
    }
    if (y < end)
        paint_bar(y++, x, w, frac, role, '|');
    return y;
}

/* VRAM per device: stacked weights / KV / activations / overhead against capacity. */
static int vram(const struct ui *u, int y, int end, int x, int w)
{
    const struct rt_result *s = &u->res;
    char a[32], b[32], c[32];
    fmt_bytes(a, sizeof a, s->per_device_bytes);
    fmt_bytes(b, sizeof b, s->capacity_bytes);
    /* the one account: short of the capacity, or of the GPU's usable share (unified memory) */
    double spare = s->fits ? s->free_bytes : s->capacity_bytes - s->per_device_bytes;
    fmt_bytes(c, sizeof c, fabs(spare));
    bool narrow = w < 64;
    paint_text(y, x, w, ROLE_LABEL, narrow ? "VRAM" : "VRAM/device");
    paint_textf(y, x + (narrow ? 5 : 12), w - (narrow ? 5 : 12), ROLE_VALUE, narrow ? "%s/%s" : "%s of %s", a, b);
    /* the verdict word goes first when the line is short of room: "70.2 GB short" says it */
    char v[64];
    int vx = getcurx(stdscr) + 1;
    snprintf(v, sizeof v, "%s %s %s", !s->fits ? "NO FIT" : spare < 0 ? "PAGES" : "FITS", c,
             spare >= 0 ? "free" : "short");
    if (vx + (int)strlen(v) > x + w)
        snprintf(v, sizeof v, "%s %s", c, spare >= 0 ? "free" : "short");
    paint_text(y, vx, x + w - vx, !s->fits ? ROLE_BAD : spare < 0 ? ROLE_WARN : ROLE_GOOD, v);
    y++;
    if (y < end && w > 4) {
        int inner = w - 2;
        double cap = fmax(s->capacity_bytes, s->per_device_bytes);
        double parts[4] = { s->dev_weights, s->dev_kv, s->dev_act, s->dev_overhead };
        enum theme_role roles[4] = { ROLE_WEIGHTS, ROLE_KV, ROLE_ACT, ROLE_OVERHEAD };
        const chtype fills[4] = { '#', '=', '+', '~' }; /* distinct in monochrome */
        mvaddch(y, x, '[');
        int used = 0;
        double acc = 0;
        for (int i = 0; i < 4; i++) {
            acc += parts[i];
            int upto = (int)lround(acc / cap * inner);
            attrset(role_attr(roles[i]) | (u->color ? A_REVERSE : 0));
            for (; used < upto && used < inner; used++)
                addch(fills[i]);
        }
        int capx = (int)lround(s->capacity_bytes / cap * inner);
        attrset(role_attr(ROLE_FREE));
        for (; used < inner; used++)
            addch(used < capx ? '.' : ' ');
        /* unified memory: a | where the GPU's usable share ends (past it, the model pages) */
        if (s->usable_bytes < s->capacity_bytes) {
            int ux = (int)lround(s->usable_bytes / cap * inner);
            if (ux >= 0 && ux < inner) {
                attrset(role_attr(ROLE_WARN) | A_BOLD);
                mvaddch(y, x + 1 + ux, '|');
            }
            move(y, x + 1 + inner);
        }
        attrset(A_NORMAL);
        addch(s->fits ? ']' : '!');
        y++;
    }
    if (y < end) {
        char wb[16], kb[16], ab[16], ob[16];
        fmt_bytes(wb, sizeof wb, s->dev_weights);
        fmt_bytes(kb, sizeof kb, s->dev_kv);
        fmt_bytes(ab, sizeof ab, s->dev_act);
        fmt_bytes(ob, sizeof ob, s->dev_overhead);
        int cx = x;
        const char *lbl[4] = { "# weights ", "= KV ", "+ act ", "~ runtime " };
        if (narrow) {
            lbl[0] = "#wts ";
            lbl[1] = "=KV ";
            lbl[2] = "+act ";
            lbl[3] = "~rt ";
        }
        const char *val[4] = { wb, kb, ab, ob };
        enum theme_role roles[4] = { ROLE_WEIGHTS, ROLE_KV, ROLE_ACT, ROLE_OVERHEAD };
        for (int i = 0; i < 4 && cx + (int)(strlen(lbl[i]) + strlen(val[i])) <= x + w; i++) {
            paint_text(y, cx, x + w - cx, roles[i], lbl[i]);
            cx += (int)strlen(lbl[i]);
            paint_text(y, cx, x + w - cx, ROLE_NORMAL, val[i]);
            cx += (int)strlen(val[i]) + (narrow ? 1 : 2);
        }
        y++;
    }
    return y;
}

/* A phase's time by component, each a bar against the phase's total. */
static int breakdown(int y, int end, int x, int w, const char *title, const struct rt_phase *ph, enum theme_role role)
{
    const char *names[5] = { "attention", "feed-forward", "output head", "communication", "overheads" };
    double t[5] = { ph->t_attn, ph->t_ffn, ph->t_head, ph->t_comm, ph->t_overhead };
    char a[24];
    fmt_time(a, sizeof a, ph->time_s);
    paint_textf(y++, x, w, ROLE_ACCENT, "%s: %s", title, a);
    for (int i = 0; i < 5 && y < end; i++) {
        if (t[i] <= 0)
            continue;
        fmt_time(a, sizeof a, t[i]);
        paint_textf(y, x, 24, ROLE_LABEL, "%-13s %9s", names[i], a);
        if (w > 36)
            paint_bar(y, x + 24, w - 24, ph->time_s > 0 ? t[i] / ph->time_s : 0, role, '|');
        y++;
    }
    return y;
}

void panel_gauges(const struct ui *u, struct rect r)
{
    paint_heading(r, "Fit and speed");
    int x = r.x + 1, w = r.w - 2, y = r.y + 1, end = r.y + r.h;
    if (!u->valid) {
        paint_text(y, x, w, ROLE_DIM, "(waiting for a valid scenario)");
        return;
    }
    const struct rt_result *s = &u->res;
    bool narrow = w < 64;
    y = vram(u, y, end, x, w);
    y++;
    /* what decode needs of the bandwidth, and prefill of the compute, against the peaks */
    y = gauge(y, end, x, w, narrow ? "Decode BW" : "Decode bandwidth", s->need_bw, s->peak_bw, "B/s", s->bw_util,
              s->bw_util > 1 ? ROLE_BAD : ROLE_DECODE);
    /* decode's compute at that rate (the figures table's target.decode_flops_needed and
     * target.decode_compute_utilization): one line, no bar, as it is a sliver of the peak */
    if (y < end) {
        char a[32], b[32];
        const char *label = narrow ? "Decode FLOP" : "Decode compute";
        int lx = (int)strlen(label) + 1;
        double util = ui_value(u, "target.decode_compute_utilization");
        fmt_si(a, sizeof a, ui_value(u, "target.decode_flops_needed"));
        fmt_si(b, sizeof b, s->peak_flops);
        paint_text(y, x, w, ROLE_LABEL, label);
        char line[96];
        int k = snprintf(line, sizeof line, "%sFLOP/s of %sFLOP/s %.*f%%", a, b, util < 0.1 ? 2 : 0, util * 100);
        if (k > w - lx) /* narrow: the need and its share of the peak, no number cut */
            snprintf(line, sizeof line, "%sFLOP/s, %.*f%% of peak", a, util < 0.1 ? 2 : 0, util * 100);
        paint_text(y++, x + lx, w - lx, ROLE_VALUE, line);
    }
    y = gauge(y, end, x, w, narrow ? "Prefill" : "Prefill compute", s->need_flops_prefill, s->peak_flops,
              "FLOP/s", s->compute_util, ROLE_PREFILL);
    y++;
    const struct rt_phase *ph[2] = { &s->prefill, &s->decode };
    const char *names[2] = { "Prefill", "Decode" };
    for (int i = 0; i < 2 && y < end; i++, y++) {
        bool cb = ph[i]->bound == RT_COMPUTE_BOUND;
        paint_text(y, x, w, ROLE_LABEL, names[i]);
        paint_text(y, x + 8, w - 8, cb ? ROLE_PREFILL : ROLE_DECODE, cb ? "COMPUTE-BOUND" : "MEMORY-BOUND");
        paint_textf(y, x + 22, w - 22, ROLE_DIM, narrow ? "AI %.4g / ridge %.0f" : "AI %.4g FLOP/B vs ridge %.0f",
                    ph[i]->ai, ph[i]->ridge);
    }
    if (y < end) {
        char v[256];
        report_verdict(v, sizeof v, &u->rs, s);
        if ((int)strlen(v) <= w)
            paint_text(y, x, w, s->fits ? ROLE_GOOD : ROLE_BAD, v);
        y++;
    }
    /* with rows to spare: where each phase's time goes */
    if (end - y >= 8 && s->fits)
        y = breakdown(y + 1, end, x, w, "Time per output token", &s->decode, ROLE_DECODE);
    if (end - y >= 8 && s->fits)
        breakdown(y + 1, end, x, w, "Time to first token (prefill)", &s->prefill, ROLE_PREFILL);
}
