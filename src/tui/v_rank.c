/* v_rank.c - "what fits here": every catalog model at each sensible weight
 * format on the current devices (machine/rank.c, as --print --rank), at the
 * current batch and context.  f s z c (or Left/Right) sort by fit, speed,
 * size and context; [ and ] halve and double the batch and the ranking
 * follows; Enter loads the row's model and weights (and its GPU layers when it
 * fits only with offload). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tui/panels.h"
#include "tui/overlays.h"
#include "machine/rank.h"
#include "base/units.h"

static void build(struct ui *u)
{
    struct rank_view *v = &u->rank;
    if (!v->table_init) {
        rank_init(&v->table);
        v->table_init = true;
    }
    if (!u->valid) {
        v->table.n = 0;
        return;
    }
    struct rt_scenario base = u->rs.s;
    base.rate = 0; /* the static figures: a serving run per row would not fit in a frame */
    double t0 = ui_now_ms();
    rank_build(u->cat, &base, v->sort_by, &v->table);
    v->build_ms = ui_now_ms() - t0;
    if (v->cursor >= (int)v->table.n)
        v->cursor = v->table.n ? (int)v->table.n - 1 : 0;
}

void rank_open(struct ui *u)
{
    struct rank_view *v = &u->rank;
    if (!u->valid) {
        ui_message(u, " nothing to rank on: the scenario has no estimate");
        return;
    }
    v->cursor = 0;
    build(u);
    u->overlay = OV_RANK;
}

static struct rect rank_rect(void) { return (struct rect){ 1, 0, LINES - 2, COLS }; }

/* The model column: as wide as the longest id, within what the others leave. */
static int id_width(const struct rank_view *v, int w, int rest)
{
    int idw = 14;
    for (size_t i = 0; i < v->table.n; i++) {
        int l = (int)strlen(v->table.rows[i].model->id);
        if (l > idw)
            idw = l;
    }
    if (idw > w - rest)
        idw = w - rest > 14 ? w - rest : 14;
    return idw;
}

static void row_text(const struct rank_view *v, const struct rank_row *r, char *buf, size_t n, int w)
{
    char fit[24], mem[32], head[32], tps[32], ttft[32], ctx[32];
    if (r->offload && r->cpu_moe > 0)
        snprintf(fit, sizeof fit, "ncmoe %lld", (long long)r->cpu_moe);
    else if (r->offload)
        snprintf(fit, sizeof fit, "ngl %lld", (long long)r->gpu_layers);
    else
        snprintf(fit, sizeof fit, "%s", r->fits ? "fits" : r->pages ? "pages" : "no");
    fmt_bytes(mem, sizeof mem, r->per_device_bytes);
    fmt_bytes(head, sizeof head, r->headroom_bytes); /* signed: "-1.2 GB" when short */
    snprintf(tps, sizeof tps, "%.*f", r->decode_tokens_per_s >= 100 ? 0 : 1, r->decode_tokens_per_s);
    fmt_time(ttft, sizeof ttft, r->ttft_s);
    if (r->max_context > 0)
        fmt_count(ctx, sizeof ctx, r->max_context);
    else
        snprintf(ctx, sizeof ctx, "-");
    char wid[40]; /* the format the model ships in is marked with a star */
    snprintf(wid, sizeof wid, "%s%s", r->weights->id, r->native ? "*" : "");
    if (w >= 86) {
        int idw = id_width(v, w, 65);
        snprintf(buf, n, "%-*.*s %-8s %-7s %9s %9s %7s %9s %9s", idw, idw, r->model->id, wid, fit, mem, head,
                 r->fits ? tps : "-", r->fits ? ttft : "-", ctx);
    } else {
        int idw = id_width(v, w, 42);
        snprintf(buf, n, "%-*.*s %-7s %-7s %8s %6s %7s", idw, idw, r->model->id, wid, fit, head,
                 r->fits ? tps : "-", ctx);
    }
}

void view_rank(const struct ui *u)
{
    const struct rank_view *v = &u->rank;
    struct rect r = rank_rect();
    char title[96];
    snprintf(title, sizeof title, "What fits here: sorted by %s (* as shipped)", rank_sort_name(v->sort_by));
    paint_box(r, title);
    int x = r.x + 2, w = r.w - 4, y = r.y + 1, end = r.y + r.h - 1;
    if (!u->valid) {
        paint_wrap(y, x, w, end - y, 2, ROLE_BAD, u->error);
        return;
    }
    const struct rt_scenario *s = &u->rs.s;
    char cap[32], ctx[32];
    fmt_bytes(cap, sizeof cap, u->res.capacity_bytes);
    fmt_count(ctx, sizeof ctx, s->prompt + s->output);
    paint_textf(y++, x, w, ROLE_LABEL, "%lld x %s (%s each), %s, batch %lld, context %s", (long long)s->devices,
                s->device->id, cap, s->engine->id, (long long)s->batch, ctx);
    if (w >= 86)
        paint_textf(y++, x, w, ROLE_ACCENT, "%-*s %-8s %-7s %9s %9s %7s %9s %9s", id_width(v, w, 65), "model", "weights",
                    "fit", "mem/dev", "headroom", "tok/s", "TTFT", "max ctx");
    else
        paint_textf(y++, x, w, ROLE_ACCENT, "%-*s %-7s %-7s %8s %6s %7s", id_width(v, w, 42), "model", "weights", "fit",
                    "headroom", "tok/s", "max ctx");
    int shown = end - y, n = (int)v->table.n;
    int top = v->cursor >= shown ? v->cursor - shown + 1 : 0;
    for (int i = 0; i < shown && top + i < n; i++, y++) {
        const struct rank_row *row = &v->table.rows[top + i];
        bool cur = top + i == v->cursor;
        char line[256];
        row_text(v, row, line, sizeof line, w);
        enum theme_role role = cur ? ROLE_SELECTED : !row->fits ? ROLE_DIM : row->offload ? ROLE_WARN : ROLE_NORMAL;
        if (cur) {
            attrset(role_attr(ROLE_SELECTED));
            mvhline(y, r.x + 1, ' ', r.w - 2);
        }
        paint_text(y, x, w, role, line);
    }
    if (n == 0)
        paint_text(y, x, w, ROLE_DIM, "(no model of the catalog can be split this way)");
    char foot[160];
    if (r.w >= 100) /* the time the ranking took, where there is room for it */
        snprintf(foot, sizeof foot, " %d/%d in %.1f ms  f s z c sort  [ ] batch  Enter loads  Esc closes ",
                 n ? v->cursor + 1 : 0, n, v->build_ms);
    else
        snprintf(foot, sizeof foot, " %d/%d  f s z c sort, [ ] batch, Enter, Esc ", n ? v->cursor + 1 : 0, n);
    paint_text(r.y + r.h - 1, r.x + r.w - 2 - (int)strlen(foot), (int)strlen(foot), ROLE_ACCENT, foot);
}

static void load_row(struct ui *u, const struct rank_row *row)
{
    field_set_choice(&u->spec, field_named("model"), row->model->id);
    field_set_choice(&u->spec, field_named("weights"), row->native ? "native" : row->weights->id);
    u->spec.gpu_layers = row->offload && row->cpu_moe <= 0 ? row->gpu_layers : -1;
    u->spec.n_cpu_moe = row->cpu_moe;
    u->sel = field_named("model");
    u->overlay = OV_NONE;
    ui_changed(u);
    ui_message(u, " loaded %s at %s%s", row->model->id, row->weights->id, row->cpu_moe > 0 ? ", experts offloaded (--n-cpu-moe)" : row->offload ? ", offloaded" : "");
}

void rank_key(struct ui *u, int ch)
{
    struct rank_view *v = &u->rank;
    int n = (int)v->table.n, c = v->cursor;
    enum rank_sort by = v->sort_by;
    if (view_list_key(ch, &c, n)) {
        /* moved: clamped below */
    } else if (ch == 'f')
        by = RANK_BY_FIT;
    else if (ch == 's')
        by = RANK_BY_SPEED;
    else if (ch == 'z')
        by = RANK_BY_SIZE;
    else if (ch == 'c')
        by = RANK_BY_CONTEXT;
    else if (ch == KEY_RIGHT || ch == 'l')
        by = (enum rank_sort)((v->sort_by + 1) % 4);
    else if (ch == KEY_LEFT || ch == 'h')
        by = (enum rank_sort)((v->sort_by + 3) % 4);
    else if (ch == '[' || ch == ']') {
        /* the batch, and the ranking follows it */
        if (field_step(u->cat, &u->spec, field_named("batch"), ch == ']' ? +1 : -1, true)) {
            ui_changed(u);
            build(u);
        }
    } else if ((ch == '\n' || ch == KEY_ENTER) && c >= 0 && c < n) {
        load_row(u, &v->table.rows[c]);
        return;
    } else if (view_closes(u, ch)) {
        u->overlay = OV_NONE;
        return;
    }
    if (by != v->sort_by) {
        v->sort_by = by;
        rank_sort(&v->table, by);
        c = 0;
    }
    if (c >= n) c = n - 1;
    if (c < 0) c = 0;
    v->cursor = c;
}

int key_rank(struct ui *u, int ch)
{
    rank_key(u, ch);
    return KEEP;
}
