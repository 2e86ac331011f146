/* p_form.c - the scenario's fields, the batch slider and the limits line. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tui/panels.h"
#include "base/units.h"

/* The batch slider: a log2 scale from 1 to a power of two at least twice the
 * memory wall (the largest batch that fits), the ends numbered:
 *    1 [------B-----|xxxxxx] 1024
 * '-' fits, 'x' does not, '|' is the wall; the cursor is 'B' where the batch
 * fits and 'X' where it does not, and shows as '|' on the wall's own cell. */
struct slider { int y, x, w; int64_t hi; double top; };

/* Every field, the batch slider, the limits line and the heading. */
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

static bool slider_geometry(const struct ui *u, struct slider *sl)
{
    struct rect r = ui_panel_rect(u, "Scenario");
    int vis = form_visible(r);
    if (!u->valid || r.w < 20 || r.h <= vis + 1)
        return false;
    int64_t wall = u->res.max_batch, b = u->spec.batch, m = wall > b ? wall : b;
    sl->hi = 2;
    while (sl->hi < 2 * m && sl->hi < RT_TOKENS_MAX)
        sl->hi *= 2;
    sl->top = log2((double)sl->hi);
    sl->y = r.y + 1 + vis;
    sl->x = r.x + 1 + 2 + 2;               /* " 1 [" */
    sl->w = r.w - 2 - 4 - 2 - digits(sl->hi); /* "] hi" */
    return sl->w >= 8;
}

int64_t slider_value_at(const struct ui *u, int y, int x)
{
    struct slider sl;
    if (!slider_geometry(u, &sl) || y != sl.y || x < sl.x || x >= sl.x + sl.w)
        return -1;
    double v = pow(2, (double)(x - sl.x) / (sl.w - 1) * sl.top);
    return v < 1 ? 1 : (int64_t)llround(v);
}

static int slider_cell(const struct slider *sl, int64_t v)
{
    return (int)lround(log2((double)(v < 1 ? 1 : v)) / sl->top * (sl->w - 1));
}

static void draw_slider(const struct ui *u)
{
    struct slider sl;
    if (!slider_geometry(u, &sl))
        return;
    int64_t wall = u->res.max_batch;
    bool fits = u->res.fits;
    paint_text(sl.y, sl.x - 4, 4, ROLE_DIM, " 1 [");
    int pos = slider_cell(&sl, u->spec.batch);
    int wpos = wall > 0 ? slider_cell(&sl, wall) : -1;
    /* a batch next to the wall that rounds onto its cell is drawn on the side it is on */
    if (wpos >= 0 && u->spec.batch > wall && pos <= wpos && wpos + 1 < sl.w)
        pos = wpos + 1;
    if (wpos > 0 && u->spec.batch < wall && pos >= wpos)
        pos = wpos - 1;
    for (int i = 0; i < sl.w; i++) {
        bool beyond = wall > 0 ? i > wpos : true;
        attrset(role_attr(beyond ? ROLE_BAD : ROLE_GOOD));
        chtype ch = beyond ? 'x' : '-';
        if (i == wpos)
            ch = '|';
        if (i == pos) {
            attrset(role_attr(fits ? ROLE_GOOD : ROLE_BAD) | A_REVERSE | A_BOLD);
            ch = i == wpos ? '|' : fits ? 'B' : 'X';
        }
        mvaddch(sl.y, sl.x + i, ch);
    }
    attrset(A_NORMAL);
    paint_textf(sl.y, sl.x + sl.w, digits(sl.hi) + 2, ROLE_DIM, "] %lld", (long long)sl.hi);
}

/* Under the slider: where the wall is, and at or past it how much is left. */
static void draw_limits(const struct ui *u, int y, int x, int w)
{
    const struct rt_result *s = &u->res;
    char a[32], b[32];
    fmt_bytes(a, sizeof a, fabs(s->fits ? s->free_bytes : s->capacity_bytes - s->per_device_bytes));
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

void panel_form(const struct ui *u, struct rect r)
{
    paint_heading(r, "Scenario");
    int lw = 11, vis = form_visible(r), first = form_first(u, r);
    for (int f = first, nf = form_fields(); f < nf && f - first < vis && f - first + 1 < r.h; f++) {
        int y = r.y + 1 + f - first;
        const struct input *in = field_input(f);
        bool sel = u->sel == f && u->overlay == OV_NONE;
        char val[300];
        if (sel && u->editing)
            snprintf(val, sizeof val, "%s_", u->edit);
        else
            field_value(&u->spec, f, val, sizeof val);
        const char *lname = in->choice == CH_MODEL ? local_model_name(u->spec.model) : NULL;
        if (lname && !(sel && u->editing))
            snprintf(val, sizeof val, "%s (local)", lname);
        if (in->field->step == STEP_PRICE && !(sel && u->editing) && input_number(in, &u->spec) <= 0 && u->valid) {
            double ph = u->rs.s.device->price_hour; /* the catalog's, per device-hour */
            if (ph > 0)
                snprintf(val, sizeof val, "$%.*f/h (catalog)", ph < 1 ? 3 : 2, ph);
            else
                snprintf(val, sizeof val, "none: type $/device-h");
        }
        if (in->choice == CH_FORMAT && !(sel && u->editing) && u->valid && strcmp(input_text(in, &u->spec), "native") == 0)
            snprintf(val, sizeof val, "native (%s)", u->rs.s.weights->id);
        const char *mark = "";
        bool tokens = in->type == IN_TOKENS;
        if ((in->choice == CH_FORMAT || in->choice == CH_KV_FORMAT) && input_text(in, &u->spec)[0] &&
            !format_native(u->cat, &u->spec, input_text(in, &u->spec)))
            mark = " (not native)";
        if (tokens)
            mark = " tok";
        bool choice = field_is_picker(f) || !field_is_number(f);
        attrset(role_attr(sel ? ROLE_SELECTED : ROLE_NORMAL));
        mvhline(y, r.x, ' ', r.w);
        attrset(A_NORMAL);
        paint_textf(y, r.x + 1, lw, sel ? ROLE_SELECTED : ROLE_LABEL, "%-*s", lw - 1, field_label(f));
        paint_textf(y, r.x + 1 + lw, r.w - lw - 2, sel ? ROLE_SELECTED : ROLE_VALUE, "%s%s%s", choice ? "< " : "",
                    val, choice ? " >" : "");
        if (*mark && !sel)
            paint_text(y, getcurx(stdscr), r.x + r.w - getcurx(stdscr) - 1,
                       tokens ? ROLE_DIM : ROLE_WARN, mark);
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

/* Choice fields are drawn "< value >" from column 1 + 11. */
int form_arrow_at(const struct ui *u, int y, int x)
{
    int f = form_field_at(u, y, x);
    if (f < 0 || (field_is_number(f) && !field_is_picker(f)))
        return 0;
    struct rect r = ui_panel_rect(u, "Scenario");
    char val[300];
    field_value(&u->spec, f, val, sizeof val);
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
