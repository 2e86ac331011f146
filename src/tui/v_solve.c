/* v_solve.c - the SLA solver on the dashboard: the cheapest setups (device,
 * count, tensor/pipeline/expert parallel, weight and KV formats) that serve
 * the current model at the Rate within the targets (scenario/solver.c, as
 * --print --solve).  [ and ] halve and double the rate, t and i cycle the
 * TTFT and ITL targets, and the list is solved again; Enter loads a row into
 * the scenario. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tui/panels.h"
#include "tui/overlays.h"
#include "scenario/solver.h"

#include <stdlib.h>

#define SOLVE_SLICE_MS 5.0          /* the most solver work per frame: keys stay well under 16 ms */

static void solve_stop(struct solve_view *v)
{
    free(v->space);
    v->space = NULL;
    v->space_n = v->space_next = 0;
    v->running = false;
}

/* Set the search up (cheap: the space is listed and sorted, nothing is run);
 * solve_work runs it a slice at a time. */
static void solve(struct ui *u)
{
    struct solve_view *v = &u->solve;
    solve_stop(v);
    v->nrows = 0;
    v->why[0] = 0;
    v->solve_ms = 0;
    if (!u->valid) {
        snprintf(v->why, sizeof v->why, "no estimate: %s", u->error);
        return;
    }
    const struct rt_spec *sp = &u->spec;
    if (!(sp->rate > 0) || sp->rate >= RT_RATE_INF) {
        snprintf(v->why, sizeof v->why, "the solver needs a finite Rate: [ and ] here, or the Rate field");
        return;
    }
    /* a copy of the resolved scenario: its pointers into the original point into the copy */
    v->base = u->rs;
#define REBASE(f) \
    if ((const char *)v->base.s.f >= (const char *)&u->rs && (const char *)v->base.s.f < (const char *)(&u->rs + 1)) \
        v->base.s.f = (const void *)((const char *)&v->base + ((const char *)u->rs.s.f - (const char *)&u->rs))
    REBASE(model);
    REBASE(device);
    REBASE(weights);
    REBASE(kv);
    REBASE(engine);
    REBASE(draft);
    REBASE(host);
#undef REBASE
    v->opts = (struct rt_solve_opts){ .rate = sp->rate, .ttft_max = sp->ttft_max, .itl_max = sp->itl_max,
                                   .max_devices = sp->max_devices, .requests = u->rs.s.requests,
                                   .lifetime_years = sp->lifetime_years, .kwh_usd = sp->kwh_usd, .pue = sp->pue,
                                   .priced = v->base.s.device };
    double t0 = ui_now_ms();
    v->space_n = rt_solve_space(u->cat, &v->base, &v->opts, &v->space, v->why, sizeof v->why);
    v->solve_ms = ui_now_ms() - t0;
    if (v->space_n < 0) {
        v->space = NULL;
        v->space_n = 0;
        return;
    }
    if (v->space_n == 0) {
        solve_stop(v);
        snprintf(v->why, sizeof v->why, "no device in the catalog has a price (give --price-hour, or --lifetime-years for owned devices)");
        return;
    }
    v->running = true;
}

bool solve_busy(const struct ui *u) { return u->solve.running; }

/* One slice of the search: setups in price order until the time is up, the
 * list is full or the space is spent; cheapest first, as rt_solve gives them. */
void solve_work(struct ui *u)
{
    struct solve_view *v = &u->solve;
    if (!v->running)
        return;
    double t0 = ui_now_ms();
    while (v->space_next < v->space_n && v->nrows < SOLVE_ROWS && ui_now_ms() - t0 < SOLVE_SLICE_MS) {
        struct rt_solution *x = &v->space[v->space_next++];
        rt_solve_eval(&v->base, &v->opts, x);
        if (x->meets)
            v->rows[v->nrows++] = *x;
    }
    v->solve_ms += ui_now_ms() - t0;
    if (v->space_next < v->space_n && v->nrows < SOLVE_ROWS)
        return;
    solve_stop(v);
    if (v->nrows == 0)
        snprintf(v->why, sizeof v->why, "no setup of up to %lld devices meets the targets at this rate",
                 (long long)(u->spec.max_devices > 0 ? u->spec.max_devices : 8));
    if (v->cursor >= v->nrows)
        v->cursor = v->nrows > 0 ? (int)v->nrows - 1 : 0;
}

void solve_open(struct ui *u)
{
    struct solve_view *v = &u->solve;
    v->cursor = 0;
    solve(u);
    u->overlay = OV_SOLVE;
}

static void target_text(char *buf, size_t n, const char *name, double v)
{
    if (v > 0) {
        char t[32];
        ui_in_unit("serving.ttft_mean_s", v, t, sizeof t);
        snprintf(buf, n, "%s <= %s", name, t);
    } else {
        snprintf(buf, n, "%s any", name);
    }
}

void view_solve(const struct ui *u)
{
    const struct solve_view *v = &u->solve;
    struct rect r = { 1, 0, LINES - 2, COLS };
    paint_box(r, "Cheapest setups that meet the targets");
    int x = r.x + 2, w = r.w - 4, y = r.y + 1, end = r.y + r.h - 1;
    char rate[32] = "off", t1[48], t2[48];
    if (u->spec.rate > 0)
        snprintf(rate, sizeof rate, "%g req/s", u->spec.rate);
    target_text(t1, sizeof t1, "TTFT", u->spec.ttft_max);
    target_text(t2, sizeof t2, "ITL", u->spec.itl_max);
    char what[256]; /* the lengths only where the line keeps them whole */
    int k = snprintf(what, sizeof what, "%s, rate %s, %s, %s; prompt %lld, output %lld",
                     u->valid ? u->rs.s.model->id : "-", rate, t1, t2, (long long)u->spec.prompt,
                     (long long)u->spec.output);
    if (k > w)
        snprintf(what, sizeof what, "%s, rate %s, %s, %s", u->valid ? u->rs.s.model->id : "-", rate, t1, t2);
    paint_text(y++, x, w, ROLE_LABEL, what);
    int shape = w >= 116 ? 2 : w >= 76 ? 1 : 0;
    if (shape == 2) /* DP|P:D: replicas, or disaggregated prefill:decode devices (--print --solve's last column) */
        paint_textf(y++, x, w, ROLE_ACCENT, "%-3s %-16s %3s %3s %3s %3s %-7s %-5s %7s %8s %8s %11s %8s  %-7s %6s", "#",
                    "device", "N", "TP", "PP", "EP", "weights", "KV", "$/hour", "TTFT", "ITL", "capacity", "$/M out",
                    "binding", "DP|P:D");
    else if (shape == 1)
        paint_textf(y++, x, w, ROLE_ACCENT, "%-3s %-14s %2s %-5s %-7s %-5s %7s %8s %8s %8s", "#", "device", "N", "par",
                    "weights", "KV", "$/hour", "TTFT", "ITL", "cap r/s");
    else
        paint_textf(y++, x, w, ROLE_ACCENT, "%-13s %2s %-4s %-6s %-4s %6s %7s %7s", "device", "N", "par", "weight", "KV",
                    "$/h", "TTFT", "ITL");
    int shown = end - y, top = v->cursor >= shown ? v->cursor - shown + 1 : 0;
    for (int i = 0; i < shown && top + i < v->nrows; i++, y++) {
        const struct rt_solution *s = &v->rows[top + i];
        bool cur = top + i == v->cursor;
        char a[32], b[32], line[256], par[16];
        ui_in_unit("serving.ttft_mean_s", s->serving.ttft_mean_s, a, sizeof a);
        ui_in_unit("serving.itl_mean_s", s->serving.itl_mean_s, b, sizeof b);
        char split[24];
        if (s->disagg_p > 0) /* disaggregated prefill:decode devices */
            snprintf(split, sizeof split, "%lld:%lld", (long long)s->disagg_p, (long long)s->disagg_d);
        else
            snprintf(split, sizeof split, "%lld", (long long)(s->dp > 1 ? s->dp : 1));
        if (s->disagg_p > 0)
            snprintf(par, sizeof par, "%s", split);
        else if (s->dp > 1) /* replicas: N devices are dp copies of one tp x pp group */
            snprintf(par, sizeof par, "dp%lld", (long long)s->dp);
        else
            snprintf(par, sizeof par, "%s%lld", s->pp > 1 ? "pp" : s->ep > 1 ? "ep" : "tp",
                     (long long)(s->pp > 1 ? s->pp : s->ep > 1 ? s->ep : s->tp));
        if (shape == 2)
            snprintf(line, sizeof line,
                     "%-3d %-16s %3lld %3lld %3lld %3lld %-7s %-5s %7.2f %8s %8s %7.2f r/s %8.3f  %-7s %6s", top + i + 1,
                     s->device->id, (long long)s->devices, (long long)s->tp, (long long)s->pp, (long long)s->ep,
                     s->weights->id, s->kv->id, s->per_hour_usd, a, b, s->serving.capacity_rps,
                     s->cost.per_mtok_output_usd, rt_binding_name(s->binding), split);
        else if (shape == 1)
            snprintf(line, sizeof line, "%-3d %-14s %2lld %-5s %-7s %-5s %7.2f %8s %8s %8.2f", top + i + 1,
                     s->device->id, (long long)s->devices, par, s->weights->id, s->kv->id, s->per_hour_usd, a, b,
                     s->serving.capacity_rps);
        else
            snprintf(line, sizeof line, "%-13.13s %2lld %-4s %-6s %-4s %6.2f %7s %7s", s->device->id,
                     (long long)s->devices, par, s->weights->id, s->kv->id, s->per_hour_usd, a, b);
        if (cur) {
            attrset(role_attr(ROLE_SELECTED));
            mvhline(y, r.x + 1, ' ', r.w - 2);
        }
        paint_text(y, x, w, cur ? ROLE_SELECTED : ROLE_NORMAL, line);
    }
    if (v->running && y < end)
        paint_textf(y, x, w, ROLE_DIM, "searching: %ld of %ld setups tried, cheapest first ...", v->space_next, v->space_n);
    else if (v->nrows == 0 && y < end)
        paint_wrap(y, x, w, end - y, 2, ROLE_WARN, v->why);
    char foot[160];
    if (v->running)
        snprintf(foot, sizeof foot, " %ld found so far  Esc closes ", v->nrows);
    else if (r.w >= 100)
        snprintf(foot, sizeof foot, " %ld found in %.0f ms  [ ] rate  t i targets  Enter loads  Esc closes ", v->nrows,
                 v->solve_ms);
    else
        snprintf(foot, sizeof foot, " %d/%ld  [ ] rate, t i targets, Enter, Esc ", v->nrows ? v->cursor + 1 : 0, v->nrows);
    paint_text(r.y + r.h - 1, r.x + r.w - 2 - (int)strlen(foot), (int)strlen(foot), ROLE_ACCENT, foot);
}

static void load_row(struct ui *u, const struct rt_solution *s)
{
    struct rt_spec *sp = &u->spec;
    bool other = strcmp(sp->gpu, s->device->id) != 0;
    snprintf(sp->gpu, sizeof sp->gpu, "%s", s->device->id);
    sp->tensor_split[0] = 0; /* one kind of device: no list's weights */
    sp->devices = s->disagg_p > 0 ? s->tp : s->devices; /* disaggregated: the decode group's */
    sp->dp = s->dp > 1 ? s->dp : 0;
    if (s->disagg_p > 0)
        snprintf(sp->disagg, sizeof sp->disagg, "%lld:%lld", (long long)s->disagg_p, (long long)s->disagg_d);
    else
        sp->disagg[0] = 0;
    sp->tp = s->tp;
    sp->pp = s->pp;
    sp->ep = s->ep > 1 ? s->ep : 0;
    snprintf(sp->weights, sizeof sp->weights, "%s", s->weights->id);
    snprintf(sp->kv, sizeof sp->kv, "%s", s->kv->id);
    sp->gpu_layers = -1;
    if (other && sp->price_hour > 0)
        sp->price_hour = 0; /* a price typed for another device: the new one's is the catalog's */
    u->overlay = OV_NONE;
    u->sel = field_named("gpu");
    ui_changed(u);
    ui_message(u, " loaded %lld x %s, tp %lld pp %lld ep %lld, %s weights, %s KV: $%.2f/hour", (long long)s->devices,
               s->device->id, (long long)s->tp, (long long)s->pp, (long long)s->ep, s->weights->id, s->kv->id,
               s->per_hour_usd);
}

/* Targets the keys cycle through (seconds; 0: none). */
static double next_target(double v, const double *steps, int n)
{
    for (int i = 0; i < n; i++)
        if (steps[i] > v + 1e-12)
            return steps[i];
    return 0;
}

void solve_key(struct ui *u, int ch)
{
    struct solve_view *v = &u->solve;
    static const double ttft[] = { 0.1, 0.25, 0.5, 1, 2, 5 }, itl[] = { 0.01, 0.02, 0.05, 0.1, 0.2 };
    int n = (int)v->nrows, c = v->cursor;
    bool again = false;
    if (view_list_key(ch, &c, n)) {
        /* moved: clamped below */
    } else if (ch == '[' || ch == ']') {
        again = field_step(u->cat, &u->spec, field_named("rate"), ch == ']' ? +1 : -1, true);
        if (u->spec.rate <= 0) { /* the solver needs a rate: the lowest step, not off */
            u->spec.rate = 1.0 / 16;
            again = true;
        }
    } else if (ch == 't') {
        u->spec.ttft_max = next_target(u->spec.ttft_max, ttft, 6);
        again = true;
    } else if (ch == 'i') {
        u->spec.itl_max = next_target(u->spec.itl_max, itl, 5);
        again = true;
    } else if ((ch == '\n' || ch == KEY_ENTER) && c >= 0 && c < n) {
        load_row(u, &v->rows[c]);
        return;
    } else if (view_closes(u, ch)) {
        u->overlay = OV_NONE;
        solve_stop(v);
        return;
    }
    if (again) {
        ui_changed(u);
        solve(u);
        c = 0;
    }
    if (c >= n) c = n - 1;
    if (c < 0) c = 0;
    v->cursor = c;
}

int key_solve(struct ui *u, int ch)
{
    solve_key(u, ch);
    return KEEP;
}
