/* p_answer.c - the headline numbers with their uncertainty bands, costs and warnings. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tui/panels.h"
#include "output/columns.h"
#include "output/fields.h"

/* The headline lines: each a figure by its key, with its band; a click on one
 * opens its explanation (answer_figure_at). */
static const struct column headline[] = {
    { "TTFT", "ttft_s", 0, COL_UNIT, NULL },
    { "Per token", "decode.time_per_token_s", 0, COL_UNIT, NULL },
    { "Tok/s seq", "decode.tokens_per_s_per_sequence", 0, COL_SHORT, NULL },
    { "Tok/s total", "decode.tokens_per_s_total", 0, COL_SHORT, NULL },
    { "End to end", "e2e_latency_s", 0, COL_UNIT, NULL },
};
enum { HL_TTFT, HL_TPOT, HL_SEQ, HL_TOTAL, HL_E2E, HL_N };

/* A band's ends as the column formats them, the unit once where both share it:
 * "20.0-31.3 ms", "800 us-1.2 ms", "76.1-302". */
static void band_text(char *out, size_t n, const struct column *col, enum fig_unit unit, double lo, double hi)
{
    char b[24], c[24];
    column_number(col->prec, false, unit, lo, b, sizeof b);
    column_number(col->prec, false, unit, hi, c, sizeof c);
    const char *ub = strchr(b, ' '), *uc = strchr(c, ' ');
    if (ub && uc && strcmp(ub, uc) == 0)
        snprintf(out, n, "%.*s-%s", (int)(ub - b), b, c);
    else
        snprintf(out, n, "%s-%s", b, c);
}

static void band_line(const struct ui *u, int y, int x, int w, const struct column *col, const char *label)
{
    struct fig_ctx c = { &u->rs, &u->res };
    const struct figure *f = figure_by_key(col->key);
    char a[24], b[48] = "?";
    column_cell(col, f, &c, a, sizeof a);
    if (f) {
        double lo, hi;
        figure_band(f, &c, &lo, &hi);
        band_text(b, sizeof b, col, f->unit, lo, hi);
    }
    paint_text(y, x, 12, ROLE_LABEL, label);
    paint_text(y, x + 12, w - 12, ROLE_VALUE, a);
    if (w > 26)
        paint_textf(y, x + 12 + (int)strlen(a) + 1, w - 13 - (int)strlen(a), ROLE_DIM, "(%s)", b);
}

const char *answer_figure_at(const struct ui *u, int y, int x)
{
    struct rect r = ui_panel_rect(u, "Answer");
    if (!u->valid || !u->res.fits || r.h <= 4 || x < r.x || x >= r.x + r.w)
        return NULL;
    int i = y - r.y - 1;
    return i >= 0 && i < HL_N ? headline[i].key : NULL;
}

/* Two lines when the terminal is short: the headline numbers side by side. */
static void compact(const struct ui *u, int y, int end, int x, int w)
{
    const struct rt_result *s = &u->res;
    char a[24], b[24], c[32];
    if (!s->fits) {
        ui_in_unit("memory.per_device_bytes", s->per_device_bytes - s->capacity_bytes, a, sizeof a);
        paint_textf(y++, x, w, ROLE_BAD, "Does not fit: %s short", a);
        if (y < end && u->n_hints) {
            char hint[240];
            snprintf(hint, sizeof hint, "try %s", u->hints[0]);
            char *aside = strstr(hint, " (");
            if ((int)strlen(hint) > w && aside && aside - hint <= w)
                *aside = 0; /* the fix and its speed without the aside: whole clauses only */
            if ((int)strlen(hint) > w) /* a cut hint misleads: point to the list in full */
                snprintf(hint, sizeof hint, "%d way%s to fit: w shows %s", u->n_hints, u->n_hints == 1 ? "" : "s",
                         u->n_hints == 1 ? "it" : "them");
            paint_text(y, x, w, ROLE_WARN, hint);
        }
        return;
    }
    char warn[12][200];
    int n = ui_warnings(u, warn, 12);
    char t[24];
    ui_cell(u, &headline[HL_TTFT], a, sizeof a);
    ui_cell(u, &headline[HL_E2E], b, sizeof b);
    ui_cell(u, &headline[HL_SEQ], t, sizeof t);
    char line[160];
    const char *st = s->serving_on ? " static" : "";
    if (u->rs.s.batch > 1) { /* a batch: each sequence's speed and the batch's, said which is which */
        char tt[24];
        ui_cell(u, &headline[HL_TOTAL], tt, sizeof tt);
        snprintf(line, sizeof line, "TTFT%s %s  %s tok/s each, %s total  end to end %s", st, a, t, tt, b);
        if ((int)strlen(line) > w)
            snprintf(line, sizeof line, "TTFT%s %s  %s tok/s each, %s total  e2e %s", st, a, t, tt, b);
        if ((int)strlen(line) > w)
            snprintf(line, sizeof line, "TTFT%s %s  %s each, %s tok/s total", st, a, t, tt);
        if ((int)strlen(line) > w) /* narrowest: the batch's, which a batch is for */
            snprintf(line, sizeof line, "TTFT%s %s  %s tok/s total", st, a, tt);
        if ((int)strlen(line) > w)
            snprintf(line, sizeof line, "TTFT%s %s %s tok/s total", st, a, tt);
        if ((int)strlen(line) > w)
            snprintf(line, sizeof line, "TTFT%s %s %s tok/s", st, a, tt);
    } else {
        snprintf(line, sizeof line, "TTFT%s %s  %s tok/s  end to end %s", st, a, t, b);
        if ((int)strlen(line) > w) /* narrow: shorter words, nothing cut */
            snprintf(line, sizeof line, "TTFT%s %s  %s tok/s  e2e %s", st, a, t, b);
        if ((int)strlen(line) > w) /* narrower: the two figures that answer "how fast" */
            snprintf(line, sizeof line, "TTFT%s %s  %s tok/s", st, a, t);
    }
    paint_text(y++, x, w, ROLE_VALUE, line);
    if (y < end && s->serving_on && ui_panel_rect(u, "Serving").h == 0) {
        serving_line(u, y, x, w); /* the Serving panel is hidden: its gist (the title counts the warnings) */
    } else if (y < end && n) {
        paint_textf(y, x, w, ROLE_WARN, "! %d warning%s: w shows %s", n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
    } else if (y < end) {
        ui_figure(u, "memory.per_device_bytes", a, sizeof a);
        ui_figure(u, "memory.capacity_per_device_bytes", b, sizeof b);
        double spare = ui_value(u, "memory.free_per_device_bytes");
        ui_in_unit("memory.free_per_device_bytes", fabs(spare), c, sizeof c);
        const char *left = spare >= 0 ? "free" : "past usable";
        snprintf(line, sizeof line, "VRAM %s of %s, %s %s  total %s tok/s", a, b, c, left,
                 ui_cell(u, &headline[HL_TOTAL], t, sizeof t));
        if ((int)strlen(line) > w) /* narrow: drop the total, which the line above implies */
            snprintf(line, sizeof line, "VRAM %s of %s, %s %s", a, b, c, left);
        if ((int)strlen(line) > w)
            snprintf(line, sizeof line, "VRAM %s/%s, %s %s", a, b, c, left);
        if ((int)strlen(line) > w) /* narrowest: the capacity is in the Fit panel */
            snprintf(line, sizeof line, "VRAM %s, %s %s", a, c, left);
        paint_text(y, x, w, spare >= 0 ? ROLE_GOOD : ROLE_WARN, line);
    }
}

/* Figures for a tall panel, below the headline ones: named by their keys in the
 * figures table and formatted by it, as --print shows them. */
static int more(const struct ui *u, int y, int end, int x, int w)
{
    char a[32], b[32];
    if (y + 1 >= end)
        return y;
    y++;
    ui_figure(u, "params_total", a, sizeof a);
    ui_figure(u, "params_active", b, sizeof b);
    if (y < end && ui_value(u, "params_active") < ui_value(u, "params_total"))
        paint_textf(y++, x, w, ROLE_LABEL, "Parameters  %s, %s active", a, b);
    else if (y < end)
        paint_textf(y++, x, w, ROLE_LABEL, "Parameters  %s", a);
    if (y < end) paint_textf(y++, x, w, ROLE_LABEL, "KV/token    %s", ui_figure(u, "kv_bytes_per_token", a, sizeof a));
    if (y < end) paint_textf(y++, x, w, ROLE_LABEL, "Memory      %s on %lld device%s", ui_figure(u, "memory.total_bytes", a, sizeof a),
                             (long long)u->rs.s.devices, u->rs.s.devices == 1 ? "" : "s");
    if (y < end && ui_value(u, "memory.host_bytes") > 0)
        paint_textf(y++, x, w, ROLE_LABEL, "Host memory %s of offloaded weights", ui_figure(u, "memory.host_bytes", a, sizeof a));
    if (y < end) paint_textf(y++, x, w, ROLE_LABEL, "Fewest dev. %.0f", ui_value(u, "min_devices"));
    if (y < end) { /* critical_batch is the datasheet ridge's: said where the roof drawn is another */
        double rp = ui_value(u, "ridge_point"), dr = ui_value(u, "decode.ridge_point");
        bool sheet = fabs(rp - dr) > 0.01 * dr;
        char line[96];
        snprintf(line, sizeof line, "Crit. batch %.0f sequences%s", ui_value(u, "critical_batch"),
                 sheet ? " (datasheet peak)" : "");
        if ((int)strlen(line) > w)
            snprintf(line, sizeof line, "Crit. batch %.0f%s", ui_value(u, "critical_batch"), sheet ? " (datasheet)" : "");
        paint_text(y++, x, w, ROLE_LABEL, line);
    }
    if (y < end && ui_value(u, "energy_per_million_tokens_kwh") > 0)
        paint_textf(y++, x, w, ROLE_LABEL, "Energy      %s/M tokens (TDP)", ui_figure(u, "energy_per_million_tokens_kwh", a, sizeof a));
    return y;
}

/* The hints (when it does not fit) and the warnings, each whole or not at all: where
 * the rest does not fit, one row says how many more w shows (never a line cut off). */
static int hints_and_warnings(const struct ui *u, int y, int end, int x, int w)
{
    char warn[12][200];
    int nw = ui_warnings(u, warn, 12), nh = u->res.fits ? 0 : u->n_hints, n = nh + nw;
    for (int i = 0; i < n && y < end; i++) {
        const char *t = i < nh ? u->hints[i] : warn[i - nh];
        int need = i < nh ? paint_wrap_rows(w - 2, 2, t) : paint_wrap_rows(w - 2, 0, t);
        if (y + need + (i + 1 < n) > end) {
            paint_textf(y++, x, w, ROLE_WARN, "+ %d more: w shows %s", n - i, n - i == 1 ? "it" : "them");
            break;
        }
        if (i >= nh)
            paint_text(y, x, 2, ROLE_WARN, "!");
        y += paint_wrap(y, x + 2, w - 2, end - y, i < nh ? 2 : 0, ROLE_WARN, t);
    }
    return y;
}

void panel_answer(const struct ui *u, struct rect r)
{
    paint_heading(r, "Answer");
    int y = r.y + 1, x = r.x + 1, w = r.w - 2, end = r.y + r.h;
    if (!u->valid) {
        paint_text(y, x, w, ROLE_BAD, "No estimate:");
        paint_wrap(y + 1, x, w, end - y - 1, 0, ROLE_BAD, u->error);
        return;
    }
    const struct rt_result *s = &u->res;
    if (r.h <= 4) {
        compact(u, y, end, x, w);
        return;
    }
    if (!s->fits) {
        /* nothing ran: no speeds or costs, but what would make it fit */
        char a[24];
        ui_in_unit("memory.per_device_bytes", s->per_device_bytes - s->capacity_bytes, a, sizeof a);
        paint_textf(y++, x, w, ROLE_BAD, "Does not fit: %s short", a);
        y = answer_devices(u, y, end, x, w); /* a device list: which device is short */
        if (y < end)
            paint_text(y++, x, w, ROLE_LABEL, "To fit, try (w: all in full):");
    } else {
        char a[32], b[32];
        /* with serving on, the Serving panel has a TTFT too: this one is the static batch's */
        for (int i = 0; i < HL_N && y < end; i++)
            band_line(u, y++, x, w, &headline[i], i == HL_TTFT && s->serving_on ? "TTFT static" : headline[i].head);
        if (y < end && s->far_band) { /* the longest form that ends whole in the panel */
            static const char *const far[3] = { "No published runs near this scenario: band x1.6 wider",
                                                "No published runs near: band x1.6 wider",
                                                "No runs near: band x1.6 wider" };
            int k = 0;
            while (k < 2 && (int)strlen(far[k]) > w)
                k++;
            paint_text(y++, x, w, ROLE_DIM, far[k]);
        }
        if (y < end && u->rs.s.draft)
            paint_textf(y++, x, w, ROLE_ACCENT, "Speculative %sx (%s tok/step)", ui_figure(u, "speculative.speedup", a,
                        sizeof a), ui_figure(u, "speculative.tokens_per_step", b, sizeof b));
        y = answer_devices(u, y, end, x, w); /* a device list: each device and the slowest stage */
        bool cost_panel = ui_panel_rect(u, "Cost").h > 0; /* it shows the cost in full */
        static const struct column cost = { "Cost", "cost_per_million_tokens_usd", 0, 3, NULL },
                                   owned = { "Owned", "owned_cost_per_million_tokens_usd", 0, 3, NULL };
        if (y < end && ui_value(u, cost.key) > 0 && !cost_panel)
            paint_textf(y++, x, w, ROLE_LABEL, "%-11s $%s per M tokens", cost.head, ui_cell(u, &cost, a, sizeof a));
        if (y < end && ui_value(u, owned.key) > 0 && !cost_panel)
            paint_textf(y++, x, w, ROLE_LABEL, "%-11s $%s per M tokens", owned.head, ui_cell(u, &owned, a, sizeof a));
    }
    y = hints_and_warnings(u, y, end, x, w);
    if (s->fits && end - y > 8)
        y = more(u, y, end, x, w);
    answer_launch_footer(u, r, y);
}
