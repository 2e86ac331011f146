/* p_form.c - the scenario's fields, the batch slider and the limits line. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tui/panels.h"
#include "base/units.h"
#include "scenario/spec.h"

/* The slider under the fields shows the selected field where it has a memory
 * wall, else the batch:
 *    batch, prompt, output   log2 from 1 to a power of two at least twice the wall;
 *                            what is at or below the wall fits
 *    devices                 log2 from 1; the fewest that fit is the wall, at or above fits
 *    GPU layers              0 .. the model's layers (with offload on); the most that fit
 *    CPU MoE                 0 .. the model's layers (a MoE model); the fewest that fit
 * the ends numbered:  1 [------B-----|xxxxxx] 1024
 * '-' fits, 'x' does not, '|' is the wall; the cursor is the field's letter (B P O D G C)
 * where the value fits and 'X' where it does not, '|' on the wall's own cell. */
struct slider {
    int y, x, w;
    int f;                          /* the field it shows */
    int64_t lo, hi, v, wall;        /* wall <= 0 (< 0 for layers): none */
    bool log, fits_up;              /* log2 scale; at or above the wall fits (else at or below) */
    double top;                     /* log2(hi) */
    char glyph;
};

/* Every field, the slider, the limits line and the heading. */
int form_rows(void) { return form_fields() + 3; }

/* Fields shown, and the first: a short panel keeps the slider and the limits
 * line and scrolls the fields so that the selected one is on screen. */
static int form_visible(struct rect r)
{
    int rows = r.h - 1;
    if (rows >= form_fields() + 2)
        return form_fields();
    return rows - 2 > 1 ? rows - 2 : 1;
}
static int form_first(const struct ui *u, struct rect r)
{
    int vis = form_visible(r);
    return (int)u->sel >= vis ? (int)u->sel - vis + 1 : 0;
}

static int digits(int64_t v)
{
    char b[24];
    return snprintf(b, sizeof b, "%lld", (long long)v);
}

/* What the slider shows: the selected field where it has a wall, else the batch. */
static void slider_field(const struct ui *u, struct slider *sl)
{
    const struct rt_result *s = &u->res;
    const struct rt_scenario *sc = &u->rs.s;
    const char *key = field_key(u->sel);
    int64_t layers = sc->model ? sc->model->layers : 0;
    *sl = (struct slider){ .log = true, .lo = 1, .glyph = 'B', .f = field_named("batch") };
    if (strcmp(key, "prompt") == 0 && s->max_context > sc->output) {
        *sl = (struct slider){ .log = true, .lo = 1, .glyph = 'P', .f = u->sel, .v = sc->prompt,
                               .wall = s->max_context - sc->output };
    } else if (strcmp(key, "output") == 0 && s->max_context > sc->prompt) {
        *sl = (struct slider){ .log = true, .lo = 1, .glyph = 'O', .f = u->sel, .v = sc->output,
                               .wall = s->max_context - sc->prompt };
    } else if (strcmp(key, "devices") == 0 && s->min_devices > 0) {
        *sl = (struct slider){ .log = true, .lo = 1, .glyph = 'D', .f = u->sel, .v = sc->devices,
                               .wall = s->min_devices, .fits_up = true };
    } else if (strcmp(key, "gpu_layers") == 0 && s->max_gpu_layers >= 0 && layers > 0) {
        *sl = (struct slider){ .lo = 0, .hi = layers, .glyph = 'G', .f = u->sel,
                               .v = u->spec.gpu_layers < 0 ? layers : u->spec.gpu_layers, .wall = s->max_gpu_layers };
    } else if (strcmp(key, "n_cpu_moe") == 0 && s->min_cpu_moe >= 0 && layers > 0) {
        *sl = (struct slider){ .lo = 0, .hi = layers, .glyph = 'C', .f = u->sel, .v = u->spec.n_cpu_moe,
                               .wall = s->min_cpu_moe, .fits_up = true };
    } else {
        sl->v = u->spec.batch;
        sl->wall = s->max_batch;
    }
    if (sl->log) {
        int64_t m = sl->wall > sl->v ? sl->wall : sl->v;
        sl->hi = 2;
        while (sl->hi < 2 * m && sl->hi < RT_TOKENS_MAX)
            sl->hi *= 2;
        sl->top = log2((double)sl->hi);
    }
}

static bool slider_geometry(const struct ui *u, struct slider *sl)
{
    struct rect r = ui_panel_rect(u, "Scenario");
    int vis = form_visible(r);
    if (!u->valid || r.w < 20 || r.h <= vis + 1)
        return false;
    slider_field(u, sl);
    sl->y = r.y + 1 + vis;
    sl->x = r.x + 1 + 1 + digits(sl->lo) + 2;       /* " 1 [" */
    sl->w = r.x + r.w - 1 - sl->x - 2 - digits(sl->hi); /* "] hi" */
    return sl->w >= 8;
}

/* The value at a cell, and the cell of a value. */
static int64_t slider_value(const struct slider *sl, int i)
{
    if (!sl->log)
        return sl->lo + (int64_t)llround((double)i / (sl->w - 1) * (double)(sl->hi - sl->lo));
    double v = pow(2, (double)i / (sl->w - 1) * sl->top);
    return v < 1 ? 1 : (int64_t)llround(v);
}
static int slider_cell(const struct slider *sl, int64_t v)
{
    if (!sl->log)
        return (int)lround((double)(v - sl->lo) / (double)(sl->hi - sl->lo) * (sl->w - 1));
    return (int)lround(log2((double)(v < 1 ? 1 : v)) / sl->top * (sl->w - 1));
}

int64_t slider_value_at(const struct ui *u, int y, int x, int *field)
{
    struct slider sl;
    if (!slider_geometry(u, &sl) || y != sl.y || x < sl.x || x >= sl.x + sl.w)
        return -1;
    *field = sl.f;
    int64_t v = slider_value(&sl, x - sl.x);
    return sl.glyph == 'G' && v >= sl.hi ? -1 : v; /* every layer: -1, "all" */
}

static void draw_slider(const struct ui *u)
{
    struct slider sl;
    if (!slider_geometry(u, &sl))
        return;
    int64_t wall = sl.wall, v = sl.v;
    bool has_wall = sl.log ? wall > 0 : wall >= 0;
    bool fits = has_wall ? (sl.fits_up ? v >= wall : v <= wall) && u->res.fits : u->res.fits;
    paint_textf(sl.y, sl.x - 2 - digits(sl.lo) - 1, digits(sl.lo) + 3, ROLE_DIM, " %lld [", (long long)sl.lo);
    int pos = slider_cell(&sl, v);
    int wpos = has_wall ? slider_cell(&sl, wall) : -1;
    /* a value next to the wall that rounds onto its cell is drawn on the side it is on */
    if (wpos >= 0 && v > wall && pos <= wpos && wpos + 1 < sl.w)
        pos = wpos + 1;
    if (wpos > 0 && v < wall && pos >= wpos)
        pos = wpos - 1;
    for (int i = 0; i < sl.w; i++) {
        bool beyond = !has_wall || (sl.fits_up ? i < wpos : i > wpos);
        attrset(role_attr(beyond ? ROLE_BAD : ROLE_GOOD));
        chtype ch = beyond ? 'x' : '-';
        if (i == wpos)
            ch = '|';
        if (i == pos) {
            attrset(role_attr(fits ? ROLE_GOOD : ROLE_BAD) | A_REVERSE | A_BOLD);
            ch = i == wpos ? '|' : fits ? (chtype)sl.glyph : 'X';
        }
        mvaddch(sl.y, sl.x + i, ch);
    }
    attrset(A_NORMAL);
    paint_textf(sl.y, sl.x + sl.w, digits(sl.hi) + 2, ROLE_DIM, "] %lld", (long long)sl.hi);
}

/* Under a slider other than the batch's: the value against its wall, then the memory
 * free or short where the width allows. */
static void limits_of(const struct ui *u, const struct slider *sl, int y, int x, int w)
{
    const struct rt_result *s = &u->res;
    char a[32], b[32], c[32], line[160];
    ui_in_unit("memory.free_per_device_bytes", fabs(s->fits ? s->free_bytes : s->capacity_bytes - s->per_device_bytes), a,
               sizeof a);
    fmt_count(b, sizeof b, sl->v);
    fmt_count(c, sizeof c, sl->wall);
    bool past = sl->fits_up ? sl->v < sl->wall : sl->v > sl->wall;
    const char *what = sl->glyph == 'P' ? "prompt" : sl->glyph == 'O' ? "output" : sl->glyph == 'D' ? "devices"
                     : sl->glyph == 'G' ? "layers on GPU" : "CPU MoE";
    int k = snprintf(line, sizeof line, "%s %s %s %s %s", what, b, past ? (sl->fits_up ? "<" : ">") : "",
                     sl->fits_up ? "fewest" : "max", c);
    if (!past) /* "prompt 1,024  max 130,816" */
        k = snprintf(line, sizeof line, "%s %s  %s %s", what, b, sl->fits_up ? "fewest" : "max", c);
    if (k > 0 && k < (int)sizeof line)
        snprintf(line + k, sizeof line - (size_t)k, ", %s %s", a, s->fits ? "free" : "short");
    if ((int)strlen(line) > w && k > 0 && k < (int)sizeof line)
        line[k] = 0; /* narrow: the value and its wall */
    paint_text(y, x, w, s->fits && !past ? ROLE_DIM : ROLE_BAD, line);
}

/* Under the slider: where the wall is, and at or past it how much is left. */
static void draw_limits(const struct ui *u, int y, int x, int w)
{
    const struct rt_result *s = &u->res;
    char a[32], b[32];
    ui_in_unit("memory.free_per_device_bytes", fabs(s->fits ? s->free_bytes : s->capacity_bytes - s->per_device_bytes), a,
               sizeof a);
    struct slider sl;
    if (slider_geometry(u, &sl) && sl.glyph != 'B') {
        limits_of(u, &sl, y, x, w);
        return;
    }
    if (!s->fits && s->max_batch <= 0) {
        paint_textf(y, x, w, ROLE_BAD, "no batch fits: %s short", a);
        return;
    }
    if (!s->fits) {
        paint_textf(y, x, w, ROLE_BAD, "batch %lld > max %lld: %s short", (long long)u->spec.batch,
                    (long long)s->max_batch, a);
        return;
    }
    if (s->free_bytes < 0) { /* unified memory: it loads, past the GPU's share */
        paint_textf(y, x, w, ROLE_WARN, "batch %lld > max %lld: pages, %s past usable", (long long)u->spec.batch,
                    (long long)s->max_batch, a);
        return;
    }
    if (u->spec.batch == s->max_batch) {
        paint_textf(y, x, w, ROLE_GOOD, "batch %lld = max, %s free", (long long)u->spec.batch, a);
        return;
    }
    fmt_count(b, sizeof b, s->max_context);
    const struct rt_model *m = u->rs.s.model;
    bool trained = m && m->max_context > 0 && s->max_context >= m->max_context;
    paint_textf(y, x, w, ROLE_DIM, "max batch %lld  max ctx %s%s", (long long)s->max_batch, b,
                trained && w >= 38 ? " (trained)" : "");
}

/* Max seqs left unset: the cap that holds instead (with a rate, the Batch above 1, else the
 * engine profile's). */
static void max_seqs_text(const struct ui *u, char *val, size_t n)
{
    int64_t e = u->rs.s.engine ? u->rs.s.engine->max_seqs : 0;
    if (u->spec.batch > 1)
        snprintf(val, n, "= Batch, %lld", (long long)u->spec.batch);
    else if (e > 0)
        snprintf(val, n, "engine's, %lld", (long long)e);
    else
        snprintf(val, n, "engine's: memory only");
}

/* KV policy left unset: the engine profile's, named ("engine's: grow"). */
static void kv_policy_text(const struct ui *u, const struct input *in, char *val, size_t n)
{
    snprintf(val, n, "%s: %s", in->field->none_text, kv_policy_name(u->rs.s.engine->kv_policy));
}

/* A field's text as the form shows it (without the "< >" of a choice): the value being typed,
 * else the field's value, with what an unset value stands for where the scenario knows it. */
static void shown_value(const struct ui *u, int f, char *val, size_t n)
{
    const struct input *in = field_input(f);
    bool sel = u->sel == f && u->overlay == OV_NONE;
    if (sel && u->editing)
        snprintf(val, n, "%s_", u->edit);
    else
        field_value(&u->spec, f, val, n);
    const char *lname = in->choice == CH_MODEL ? local_model_name(u, u->spec.model) : NULL;
    if (lname && !(sel && u->editing))
        snprintf(val, n, "%s (local)", lname);
    if (in->field->step == STEP_PRICE && !(sel && u->editing) && input_number(in, &u->spec) <= 0 && u->valid) {
        double ph = u->rs.s.device->price_hour; /* the catalog's, per device-hour */
        if (ph > 0)
            snprintf(val, n, "$%.*f/h (catalog)", ph < 1 ? 3 : 2, ph);
        else
            snprintf(val, n, "none: type $/device-h");
    }
    if (strcmp(in->session_key, "max_seqs") == 0 && !(sel && u->editing) && u->spec.max_seqs <= 0 && u->valid)
        max_seqs_text(u, val, n);
    if (in->choice == CH_KV_POLICY && !input_text(in, &u->spec)[0] && u->valid)
        kv_policy_text(u, in, val, n);
    if (in->choice == CH_ATTN_FORMAT && !(sel && u->editing) && u->valid &&
        (strcmp(input_text(in, &u->spec), "auto") == 0 || strcmp(input_text(in, &u->spec), "native") == 0))
        /* what auto or native gave: "auto (bf16)" beside gpt-oss's MXFP4 experts */
        snprintf(val, n, "%s (%s)", input_text(in, &u->spec), spec_attn_weights(&u->rs));
    if (in->choice == CH_FORMAT && !(sel && u->editing) && u->valid && strcmp(input_text(in, &u->spec), "native") == 0)
        /* gpt-oss: MXFP4 experts beside bf16 attention and router, "native (mxfp4+bf16)" */
        snprintf(val, n, "native (%s%s%s)", u->rs.s.weights->id,
                 u->rs.model.native_attn[0] ? "+" : u->rs.model.native_dense[0] ? "+" : "",
                 u->rs.model.native_attn[0] ? u->rs.model.native_attn : u->rs.model.native_dense);
}

void panel_form(const struct ui *u, struct rect r)
{
    paint_heading(r, "Scenario");
    int lw = 11, vis = form_visible(r), first = form_first(u, r);
    for (int f = first, nf = form_fields(); f < nf && f - first < vis && f - first + 1 < r.h; f++) {
        int y = r.y + 1 + f - first;
        const struct input *in = field_input(f);
        bool sel = u->sel == f && u->overlay == OV_NONE;
        char val[300];
        shown_value(u, f, val, sizeof val);
        const char *mark = "";
        bool tokens = in->type == IN_TOKENS;
        /* a format the device has no units for (FP8 on an A100, BF16 on a T4) runs emulated, its
         * math at a slower precision; "native" weights are the model's own format, which may be
         * one of those (DeepSeek-V3's FP8 on an A100) */
        const char *fmt = input_text(in, &u->spec);
        if (in->choice == CH_FORMAT && strcmp(fmt, "native") == 0 && u->valid)
            fmt = u->rs.s.weights->id;
        if ((in->choice == CH_FORMAT || in->choice == CH_KV_FORMAT) && fmt[0] && !format_native(u->cat, &u->spec, fmt))
            mark = " (emulated)";
        if (tokens)
            mark = " tok";
        bool note = tokens;
        /* with a rate: what the batch means, the static figures' batch and, above 1 with Max seqs
         * unset, the cap on sequences running under load too (what the Max seqs row below echoes) */
        if (f == field_named("batch") && u->spec.rate > 0 && (note = true))
            mark = u->spec.max_seqs <= 0 && u->spec.batch > 1 ? " static + serving cap" : " static figures";
        bool choice = field_is_picker(f) || !field_is_number(f);
        attrset(role_attr(sel ? ROLE_SELECTED : ROLE_NORMAL));
        mvhline(y, r.x, ' ', r.w);
        attrset(A_NORMAL);
        paint_textf(y, r.x + 1, lw, sel ? ROLE_SELECTED : ROLE_LABEL, "%-*s", lw - 1, field_label(f));
        paint_textf(y, r.x + 1 + lw, r.w - lw - 2, sel ? ROLE_SELECTED : ROLE_VALUE, "%s%s%s", choice ? "< " : "",
                    val, choice ? " >" : "");
        int room = r.x + r.w - getcurx(stdscr) - 1;
        if (strcmp(mark, " (emulated)") == 0 && (int)strlen(mark) > room) /* narrow: "(emula" read as nothing */
            mark = " emul.";
        if (*mark && !(sel && u->editing)) /* selected too: the row a user is changing says what it means */
            paint_text(y, getcurx(stdscr), room, sel ? ROLE_SELECTED : note ? ROLE_DIM : ROLE_WARN, mark);
    }
    /* fields scrolled out of a short panel: a mark where more are */
    if (first > 0)
        paint_text(r.y + 1, r.x + r.w - 2, 1, ROLE_ACCENT, "^");
    if (first + vis < form_fields())
        paint_text(r.y + vis, r.x + r.w - 2, 1, ROLE_ACCENT, "v");
    if (r.h > vis + 1)
        draw_slider(u);
    if (r.h > vis + 2 && u->valid)
        draw_limits(u, r.y + 2 + vis, r.x + 2, r.w - 3);
}

/* The terminal's cursor (hidden) on the selected field's label, or after the text being typed:
 * where a screen reader or a braille display looks, and where a test finds the selected field
 * by its name (tmux's cursor_y) rather than by its position in the form. */
void form_place_cursor(const struct ui *u)
{
    struct rect r = ui_panel_rect(u, "Scenario");
    if (u->lay.too_small || u->overlay != OV_NONE || r.h < 2)
        return;
    int row = (int)u->sel - form_first(u, r);
    if (row < 0 || row >= form_visible(r) || row + 1 >= r.h)
        return;
    int x = r.x + 1 + (u->editing ? 11 + (int)strlen(u->edit) : 0);
    move(r.y + 1 + row, x < r.x + r.w - 1 ? x : r.x + r.w - 2);
}

/* Choice fields are drawn "< value >" from column 1 + 11. */
int form_arrow_at(const struct ui *u, int y, int x)
{
    int f = form_field_at(u, y, x);
    if (f < 0 || (field_is_number(f) && !field_is_picker(f)))
        return 0;
    struct rect r = ui_panel_rect(u, "Scenario");
    char val[300];
    shown_value(u, f, val, sizeof val); /* as drawn: "native (mxfp4+bf16)", "engine's: grow" */
    int lx = r.x + 1 + 11, rx = lx + 2 + (int)strlen(val) + 1;
    if (x == lx)
        return -1;
    if (x == rx)
        return +1;
    return 0;
}

int form_field_at(const struct ui *u, int y, int x)
{
    struct rect r = ui_panel_rect(u, "Scenario");
    if (u->lay.too_small || r.h == 0 || x < r.x || x >= r.x + r.w)
        return -1;
    int row = y - r.y - 1, f = row + form_first(u, r);
    return row >= 0 && row < form_visible(r) && f < form_fields() ? f : -1;
}
