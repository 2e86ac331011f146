/* p_gauges.c - fit and speed: VRAM per device stacked by component, the
 * bandwidth and compute the target rate needs, and what bounds each phase.
 * Every number is a figure named by its key and formatted by the figures table
 * (ui_figure, ui_value); the bars' geometry alone reads the result's parts. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tui/panels.h"
#include "output/report.h"
#include "base/units.h"

/* A label with "need of peak pct%" on one line and its bar on the next: three figures
 * by their keys (what is needed, the peak, the share of it). */
static int gauge(const struct ui *u, int y, int end, int x, int w, const char *label, const char *need,
                 const char *peak, const char *util, enum theme_role role)
{
    char a[32], b[32];
    int lx = (int)strlen(label) + 1;
    double frac = ui_value(u, util);
    if (y < end) {
        paint_text(y, x, w, ROLE_LABEL, label);
        paint_textf(y, x + lx, w - lx, ROLE_VALUE, "%s of %s %.0f%%", ui_figure(u, need, a, sizeof a),
                    ui_figure(u, peak, b, sizeof b), frac * 100);
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
    ui_figure(u, "memory.per_device_bytes", a, sizeof a);
    ui_figure(u, "memory.capacity_per_device_bytes", b, sizeof b);
    /* the one account: short of the capacity, or of the GPU's usable share (unified memory) */
    double spare = s->fits ? ui_value(u, "memory.free_per_device_bytes")
                           : ui_value(u, "memory.capacity_per_device_bytes") - ui_value(u, "memory.per_device_bytes");
    ui_in_unit("memory.free_per_device_bytes", fabs(spare), c, sizeof c);
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
        ui_figure(u, "memory.device_weights_bytes", wb, sizeof wb);
        ui_figure(u, "memory.device_kv_cache_bytes", kb, sizeof kb);
        ui_figure(u, "memory.device_activation_bytes", ab, sizeof ab);
        ui_figure(u, "memory.device_overhead_bytes", ob, sizeof ob);
        int cx = x;
        const char *lbl[4] = { "# weights ", "= KV ", "+ act ", "~ runtime " };
        if (narrow) {
            lbl[0] = "#wts ";
            lbl[1] = "=KV ";
            lbl[2] = "+act ";
            lbl[3] = "~rt ";
        }
        char *val[4] = { wb, kb, ab, ob };
        int need = -(narrow ? 1 : 2);
        for (int i = 0; i < 4; i++)
            need += (int)(strlen(lbl[i]) + strlen(val[i])) + (narrow ? 1 : 2);
        int sep = narrow ? 1 : 2;
        for (int i = 0; narrow && need > w && i < 4; i++) { /* "15.7GB": room for all four, so they add up */
            char *sp = strchr(val[i], ' ');
            if (sp) {
                memmove(sp, sp + 1, strlen(sp));
                need--;
            }
        }
        if (narrow && need > w) /* still too wide (a 14.6GB runtime): each label's symbol separates */
            sep = 0;
        enum theme_role roles[4] = { ROLE_WEIGHTS, ROLE_KV, ROLE_ACT, ROLE_OVERHEAD };
        for (int i = 0; i < 4 && cx + (int)(strlen(lbl[i]) + strlen(val[i])) <= x + w; i++) {
            paint_text(y, cx, x + w - cx, roles[i], lbl[i]);
            cx += (int)strlen(lbl[i]);
            paint_text(y, cx, x + w - cx, ROLE_NORMAL, val[i]);
            cx += (int)strlen(val[i]) + sep;
        }
        y++;
    }
    return y;
}

/* A phase's time by component, each a bar against the phase's total: the figures
 * PHASE.time_key and PHASE.attention_s, .ffn_s, ... by their keys; where the panel has
 * room, the component's FLOPs beside its time (PHASE.attention_flops, .ffn_flops,
 * .lm_head_flops: the split of the work as well as of the time). */
static int breakdown(const struct ui *u, int y, int end, int x, int w, const char *title, const char *phase,
                     const char *time_key, enum theme_role role)
{
    static const char *const names[5] = { "attention", "feed-forward", "output head", "communication", "overheads" };
    static const char *const parts[5] = { "attention_s", "ffn_s", "lm_head_s", "communication_s", "overhead_s" };
    static const char *const work[5] = { "attention_flops", "ffn_flops", "lm_head_flops", NULL, NULL };
    char a[24], f[24], key[64];
    bool flops = w >= 60; /* 24 columns of name and time, 12 of FLOPs, a bar of 24 or more */
    int bar_x = flops ? 37 : 24;
    snprintf(key, sizeof key, "%s.%s", phase, time_key);
    double total = ui_value(u, key);
    paint_textf(y++, x, w, ROLE_ACCENT, "%s: %s", title, ui_figure(u, key, a, sizeof a));
    for (int i = 0; i < 5 && y < end; i++) {
        snprintf(key, sizeof key, "%s.%s", phase, parts[i]);
        double t = ui_value(u, key);
        if (t <= 0)
            continue;
        paint_textf(y, x, 24, ROLE_LABEL, "%-13s %9s", names[i], ui_figure(u, key, a, sizeof a));
        if (flops && work[i]) {
            snprintf(key, sizeof key, "%s.%s", phase, work[i]);
            paint_textf(y, x + 24, 12, ROLE_VALUE, " %11s", ui_figure(u, key, f, sizeof f));
        }
        if (w > bar_x + 12)
            paint_bar(y, x + bar_x, w - bar_x, total > 0 ? t / total : 0, role, '|');
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
    y = gauge(u, y, end, x, w, narrow ? "Decode BW" : "Decode bandwidth", "target.bandwidth_needed", "peak_bandwidth",
              "target.bandwidth_utilization", ui_value(u, "target.bandwidth_utilization") > 1 ? ROLE_BAD : ROLE_DECODE);
    /* decode's compute at that rate (the figures table's target.decode_flops_needed and
     * target.decode_compute_utilization): one line, no bar, as it is a sliver of the peak */
    if (y < end) {
        char a[32], b[32];
        const char *label = narrow ? "Decode FLOP" : "Decode compute";
        int lx = (int)strlen(label) + 1;
        double util = ui_value(u, "target.decode_compute_utilization");
        ui_figure(u, "target.decode_flops_needed", a, sizeof a);
        ui_figure(u, "peak_flops", b, sizeof b);
        paint_text(y, x, w, ROLE_LABEL, label);
        char line[96];
        int k = snprintf(line, sizeof line, "%s of %s %.*f%%", a, b, util < 0.1 ? 2 : 0, util * 100);
        if (k > w - lx) /* narrow: the need and its share of the peak, no number cut */
            snprintf(line, sizeof line, "%s, %.*f%% of peak", a, util < 0.1 ? 2 : 0, util * 100);
        paint_text(y++, x + lx, w - lx, ROLE_VALUE, line);
    }
    y = gauge(u, y, end, x, w, narrow ? "Prefill" : "Prefill compute", "target.prefill_flops_needed", "peak_flops",
              "target.compute_utilization", ROLE_PREFILL);
    y++;
    /* each phase's bound, its arithmetic intensity and ridge point (PHASE.bound, ...) */
    static const char *const phases[2] = { "prefill", "decode" }, *const names[2] = { "Prefill", "Decode" };
    for (int i = 0; i < 2 && y < end; i++, y++) {
        char key[64];
        snprintf(key, sizeof key, "%s.bound", phases[i]);
        bool cb = strcmp(ui_text(u, key), "compute") == 0;
        paint_text(y, x, w, ROLE_LABEL, names[i]);
        paint_text(y, x + 8, w - 8, cb ? ROLE_PREFILL : ROLE_DECODE, cb ? "COMPUTE-BOUND" : "MEMORY-BOUND");
        snprintf(key, sizeof key, "%s.arithmetic_intensity", phases[i]);
        double ai = ui_value(u, key);
        snprintf(key, sizeof key, "%s.ridge_point", phases[i]);
        paint_textf(y, x + 22, w - 22, ROLE_DIM, narrow ? "AI %.4g / ridge %.0f" : "AI %.4g FLOP/B vs ridge %.0f", ai,
                    ui_value(u, key));
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
        y = breakdown(u, y + 1, end, x, w, "Time per output token", "decode", "time_per_token_s", ROLE_DECODE);
    if (end - y >= 8 && s->fits)
        breakdown(u, y + 1, end, x, w, "Time to first token (prefill)", "prefill", "time_s", ROLE_PREFILL);
}
