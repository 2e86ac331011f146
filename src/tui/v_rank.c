/* v_rank.c - "what fits here": every catalog model at each sensible weight
 * format on the current devices (machine/rank.c, as --print --rank), at the
 * current batch and context.  As htop: < and > (F6, Left/Right) choose the
 * sort column, I inverts, a click on a header sorts by it (again: the other
 * way), / searches the model ids and names; f s z c sort by fit, speed, size
 * and context at once; [ and ] halve and double the batch and the ranking
 * follows; Enter loads the row's model and weights (and its GPU layers when it
 * fits only with offload). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tui/panels.h"
#include "tui/overlays.h"
#include "machine/rankcols.h"
#include "base/units.h"

/* The rows the filter keeps. */
static void refilter(struct rank_view *v)
{
    if ((int)v->table.n > v->shown_cap) {
        int *p = realloc(v->shown, v->table.n * sizeof *v->shown);
        if (!p) {
            v->n_shown = 0;
            return;
        }
        v->shown = p;
        v->shown_cap = (int)v->table.n;
    }
    v->n_shown = 0;
    for (size_t i = 0; i < v->table.n; i++)
        if (field_filter_match(v->search, v->table.rows[i].model->id, v->table.rows[i].model->name))
            v->shown[v->n_shown++] = (int)i;
    if (v->cursor >= v->n_shown)
        v->cursor = v->n_shown ? v->n_shown - 1 : 0;
}

static void resort(struct rank_view *v)
{
    rank_sort(&v->table, v->sort_by);
    if (v->reversed)
        rank_reverse(&v->table);
    refilter(v);
}

static void build(struct ui *u)
{
    struct rank_view *v = &u->rank;
    if (!v->table_init) {
        rank_init(&v->table);
        v->table_init = true;
    }
    if (!u->valid) {
        v->table.n = 0;
        refilter(v);
        return;
    }
    struct rt_scenario base = u->rs.s;
    base.rate = 0; /* the static figures: a serving run per row would not fit in a frame */
    double t0 = ui_now_ms();
    rank_build(u->cat, &base, v->sort_by, &v->table);
    if (v->reversed)
        rank_reverse(&v->table);
    v->build_ms = ui_now_ms() - t0;
    refilter(v);
}

void rank_open(struct ui *u)
{
    struct rank_view *v = &u->rank;
    if (!u->valid) {
        ui_message(u, " nothing to rank on: the scenario has no estimate");
        return;
    }
    v->cursor = 0;
    v->typing = false;
    build(u);
    u->overlay = OV_RANK;
}

/* The setup the rows are for: "2 x rtx-4090 (24.0 GB each)", or a device list's devices and
 * each one's capacity, "rtx-4090 + rtx-3090 (24.0 GB, 24.0 GB)" (rank_build ranks on the list);
 * brief: without the memory. */
static void setup_text(const struct ui *u, char *out, size_t n, bool brief)
{
    const struct rt_scenario *s = &u->rs.s;
    char cap[32];
    if (!rt_mixed(s) || u->res.mix_n != s->mix_n) {
        ui_in_unit("memory.capacity_per_device_bytes", u->res.capacity_bytes, cap, sizeof cap);
        if (brief)
            snprintf(out, n, "%lld x %s", (long long)s->devices, s->device->id);
        else
            snprintf(out, n, "%lld x %s (%s each)", (long long)s->devices, s->device->id, cap);
        return;
    }
    size_t len = 0;
    for (int i = 0; i < s->mix_n && len < n; i++)
        len += (size_t)snprintf(out + len, n - len, "%s%s", i ? " + " : "", s->mix[i]->id);
    for (int i = 0; i < s->mix_n && len < n && !brief; i++) {
        ui_in_unit("memory.capacity_per_device_bytes", u->res.mix[i].capacity, cap, sizeof cap);
        len += (size_t)snprintf(out + len, n - len, "%s%s", i ? ", " : " (", cap);
    }
    if (len < n && !brief)
        snprintf(out + len, n - len, ")");
}

static struct rect rank_rect(void) { return (struct rect){ 1, 0, LINES - 2, COLS }; }

/* The columns: a header, a width (the model's: as wide as the longest id, within what the
 * others leave), left or right aligned, the sort a click on its header (or < >) picks, and
 * whether a narrow screen (under 86 columns) shows it. */
/* c: heading, key, width, format; spare: the column gives way before a model id would be cut */
struct col { struct rank_column c; bool left; enum rank_sort by; bool narrow; bool spare; };
static const struct col cols[] = {
    { { .head = "model", .key = "model", .prec = COL_UNIT }, true, RANK_BY_NAME, true, false },
    { { .head = "weights", .key = "weights_starred", .width = 8, .prec = COL_UNIT }, true, RANK_BY_WEIGHTS, true, false },
    { { .head = "fit", .key = "fit", .width = 7, .prec = COL_UNIT, .words = { "fits", "pages", "no" } }, true,
      RANK_BY_FIT, true, false },
    { { .head = "mem/dev", .key = "per_device_bytes", .width = 9, .prec = COL_UNIT }, false, RANK_BY_SIZE, false, false },
    { { .head = "headroom", .key = "headroom_bytes", .width = 9, .prec = COL_UNIT }, false, RANK_BY_HEADROOM, true, false },
    { { .head = "tok/s", .key = "decode_tokens_per_s", .width = 7, .prec = COL_SHORT, .when = RW_FITS, .none = "-" },
      false, RANK_BY_SPEED, true, false },
    { { .head = "TTFT", .key = "ttft_s", .width = 9, .prec = COL_UNIT, .when = RW_FITS, .none = "-" }, false,
      RANK_BY_TTFT, false, false },
    { { .head = "max ctx", .key = "max_context", .width = 9, .prec = COL_UNIT, .when = RW_POSITIVE, .none = "-" },
      false, RANK_BY_CONTEXT, true, false },
    /* the format's published perplexity cost over 16-bit (llama.cpp, Llama-3-8B; "-": none published);
     * its header sorts by bits per weight, the order of that cost where it is published */
    { { .head = "ppl+", .key = "ppl_delta", .width = 7, .prec = 3, .sign = true, .when = RW_POSITIVE, .none = "-" },
      false, RANK_BY_WEIGHTS, false, true },
};
#define NCOLS ((int)(sizeof cols / sizeof cols[0]))

static bool col_shown(int c, int w) { return w >= 86 || cols[c].narrow; }

/* Each shown column's x offset and width (the model's from the rest), -1 where hidden; where
 * even a 12-column model id leaves too little room, the last columns give way (never a cut
 * number). */
static void col_layout(const struct rank_view *v, int w, int *cx, int *cw)
{
    int rest = 0;
    bool on[NCOLS];
    for (int c = 0; c < NCOLS; c++) {
        on[c] = col_shown(c, w);
        if (c && on[c])
            rest += cols[c].c.width + 1;
    }
    for (int c = NCOLS - 1; c > 2 && rest + 12 > w; c--)
        if (on[c]) {
            on[c] = false;
            rest -= cols[c].c.width + 1;
        }
    int idw = 14;
    for (size_t i = 0; i < v->table.n; i++) {
        int l = (int)strlen(v->table.rows[i].model->id);
        if (l > idw)
            idw = l;
    }
    for (int c = NCOLS - 1; c > 0 && idw > w - rest; c--)
        if (on[c] && cols[c].spare) {
            on[c] = false;
            rest -= cols[c].c.width + 1;
        }
    if (idw > w - rest)
        idw = w - rest > 12 ? w - rest : 12;
    for (int c = 0, x = 0; c < NCOLS; c++) {
        cx[c] = -1;
        cw[c] = c ? cols[c].c.width : idw;
        if (!on[c])
            continue;
        cx[c] = x;
        x += cw[c] + 1;
    }
}

/* A model id in w columns: whole where it fits, else its start and its end either side of a '~',
 * so that ids that differ only at the end (deepseek-r1-distill-qwen-14b, -32b) stay apart. */
static void id_fit(char *cell, size_t n, int w)
{
    int l = (int)strlen(cell);
    if (l <= w || w < 5 || (size_t)w >= n)
        return;
    int tail = (w - 1) / 2, head = w - 1 - tail;
    memmove(cell + head + 1, cell + l - tail, (size_t)tail + 1);
    cell[head] = '~';
}

/* One line of the shown columns: a row's cells, or the headers (row NULL). */
static void line_text(const struct rank_view *v, const struct rank_row *r, char *buf, size_t n, int w)
{
    int cx[NCOLS], cw[NCOLS];
    col_layout(v, w, cx, cw);
    size_t len = 0;
    buf[0] = 0;
    for (int c = 0; c < NCOLS && len < n; c++) {
        if (cx[c] < 0)
            continue;
        char cell[64];
        if (r) {
            rank_cell(&cols[c].c, r, cell, sizeof cell);
            if (c == 0)
                id_fit(cell, sizeof cell, cw[c]);
        } else /* the sorted column's header marked, for monochrome too: ^ its own order, v reversed */
            snprintf(cell, sizeof cell, cols[c].by != v->sort_by ? "%s" : cols[c].left ? "%s%c" : "%2$c%1$s", cols[c].c.head,
                     v->reversed ? 'v' : '^');
        int k = snprintf(buf + len, n - len, cols[c].left ? "%s%-*.*s" : "%s%*.*s", len ? " " : "", cw[c], cw[c],
                         cell);
        if (k > 0)
            len += (size_t)k;
    }
}

/* The sort a click at column x of the header asks for; -1 off the headers. */
static int header_sort_at(const struct rank_view *v, int x, int w)
{
    int cx[NCOLS], cw[NCOLS];
    col_layout(v, w, cx, cw);
    for (int c = 0; c < NCOLS; c++)
        if (cx[c] >= 0 && x >= cx[c] && x < cx[c] + cw[c] + 1)
            return (int)cols[c].by;
    return -1;
}

void view_rank(const struct ui *u)
{
    const struct rank_view *v = &u->rank;
    struct rect r = rank_rect();
    char title[160];
    snprintf(title, sizeof title, "What fits here: sorted by %s%s (* as shipped)", rank_sort_name(v->sort_by),
             v->reversed ? ", reversed" : "");
    paint_box(r, title);
    int x = r.x + 2, w = r.w - 4, y = r.y + 1, end = r.y + r.h - 1;
    if (!u->valid) {
        paint_wrap(y, x, w, end - y, 2, ROLE_BAD, u->error);
        return;
    }
    const struct rt_scenario *s = &u->rs.s;
    char setup[RT_MIX_MAX * 48], ctx[32];
    setup_text(u, setup, sizeof setup, false);
    fmt_count(ctx, sizeof ctx, s->prompt + s->output);
    if (v->typing || v->search[0])
        paint_textf(y++, x, w, v->typing ? ROLE_VALUE : ROLE_LABEL, "/%s%s  (%d of %zu rows)", v->search, v->typing ? "_" : "",
                    v->n_shown, v->table.n);
    else {
        char head[RT_MIX_MAX * 48 + 128];
        int k = snprintf(head, sizeof head, "%s, %s, batch %lld, context %s", setup, s->engine->id,
                         (long long)s->batch, ctx);
        if (k > w) { /* narrow: shorter words, nothing cut */
            setup_text(u, setup, sizeof setup, true);
            snprintf(head, sizeof head, "%s, %s, batch %lld, ctx %s", setup, s->engine->id, (long long)s->batch, ctx);
        }
        paint_text(y++, x, w, ROLE_LABEL, head);
    }
    char line[512];
    line_text(v, NULL, line, sizeof line, w);
    paint_text(y, x, w, ROLE_ACCENT, line);
    int cx[NCOLS], cw[NCOLS]; /* the sorted column's header stands out, as htop's */
    col_layout(v, w, cx, cw);
    for (int c = 0; c < NCOLS; c++)
        if (cx[c] >= 0 && cols[c].by == v->sort_by && cx[c] < w) {
            char head[64];
            char name[24];
            snprintf(name, sizeof name, cols[c].left ? "%s%c" : "%2$c%1$s", cols[c].c.head, v->reversed ? 'v' : '^');
            snprintf(head, sizeof head, cols[c].left ? "%-*s" : "%*s", cw[c], name);
            paint_text(y, x + cx[c], w - cx[c], ROLE_SELECTED, head);
        }
    y++;
    int shown_rows = end - y;
    int top = v->cursor >= shown_rows ? v->cursor - shown_rows + 1 : 0;
    for (int i = 0; i < shown_rows && top + i < v->n_shown; i++, y++) {
        const struct rank_row *row = &v->table.rows[v->shown[top + i]];
        bool cur = top + i == v->cursor;
        line_text(v, row, line, sizeof line, w);
        enum theme_role role = cur ? ROLE_SELECTED : !row->fits ? ROLE_DIM : row->offload ? ROLE_WARN : ROLE_NORMAL;
        if (cur) {
            attrset(role_attr(ROLE_SELECTED));
            mvhline(y, r.x + 1, ' ', r.w - 2);
        }
        paint_text(y, x, w, role, line);
    }
    if (v->n_shown == 0)
        paint_text(y, x, w, ROLE_DIM, v->table.n ? "(no model matches the search: Backspace, or Esc clears it)"
                                              : "(no model of the catalog can be split this way)");
    char foot[200];
    if (v->typing)
        snprintf(foot, sizeof foot, " type to search, Enter keeps it, Esc clears ");
    else if (r.w >= 100) /* the time the ranking took, where there is room for it */
        snprintf(foot, sizeof foot, " %d/%d in %.1f ms  / search  < > F6 sort  I invert  [ ] batch  Enter loads  Esc ",
                 v->n_shown ? v->cursor + 1 : 0, v->n_shown, v->build_ms);
    else
        snprintf(foot, sizeof foot, " %d/%d  / < > I [ ] Enter Esc ", v->n_shown ? v->cursor + 1 : 0, v->n_shown);
    int fl = (int)strlen(foot) < r.w - 4 ? (int)strlen(foot) : r.w - 4;
    paint_text(r.y + r.h - 1, r.x + r.w - 2 - fl, fl, ROLE_ACCENT, foot);
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

/* The next or the previous shown column's sort (< and >, F6 the next, as htop's). */
static enum rank_sort next_sort(const struct rank_view *v, int dir)
{
    int cx[NCOLS], cw[NCOLS], at = 0;
    col_layout(v, rank_rect().w - 4, cx, cw);
    for (int c = 0; c < NCOLS; c++)
        if (cols[c].by == v->sort_by)
            at = c;
    for (int k = 1; k <= NCOLS; k++) {
        int c = ((at + dir * k) % NCOLS + NCOLS) % NCOLS;
        if (cx[c] >= 0)
            return cols[c].by;
    }
    return v->sort_by;
}

/* Typing the search: printable keys add, Backspace removes, Enter keeps it, Esc clears it. */
static void filter_key(struct rank_view *v, int ch)
{
    size_t l = strlen(v->search);
    if (ch == 27) {
        v->search[0] = 0;
        v->typing = false;
    } else if (ch == '\n' || ch == KEY_ENTER) {
        v->typing = false;
    } else if (key_is_back(ch)) {
        if (l)
            v->search[l - 1] = 0;
    } else if (ch >= 32 && ch < 127 && l + 1 < sizeof v->search) {
        v->search[l] = (char)ch;
        v->search[l + 1] = 0;
    }
    v->cursor = 0;
    refilter(v);
}

/* The mouse: the wheel moves, a click on a header sorts by its column (again: the other
 * way), a click on a row moves the cursor there. */
static int mouse_key(struct rank_view *v, int *c)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return 0;
    if (ev.bstate & BUTTON4_PRESSED)
        return KEY_UP;
    if (ev.bstate & BUTTON5_PRESSED)
        return KEY_DOWN;
    if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
        return 0;
    struct rect r = rank_rect();
    int head = r.y + 2, x = ev.x - (r.x + 2);
    if (ev.y == head) {
        int by = header_sort_at(v, x, r.w - 4);
        if (by < 0)
            return 0;
        if ((enum rank_sort)by == v->sort_by) {
            v->reversed = !v->reversed;
        } else {
            v->sort_by = (enum rank_sort)by;
            v->reversed = false; /* another column: its own order first, as htop */
        }
        *c = 0;
        resort(v);
        return 0;
    }
    int rows = r.y + r.h - 1 - (head + 1), top = v->cursor >= rows ? v->cursor - rows + 1 : 0;
    if (ev.y > head && ev.y < r.y + r.h - 1 && top + ev.y - head - 1 < v->n_shown)
        *c = top + ev.y - head - 1;
    return 0;
}

void rank_key(struct ui *u, int ch)
{
    struct rank_view *v = &u->rank;
    int c = v->cursor;
    enum rank_sort by = v->sort_by;
    if (v->typing) {
        filter_key(v, ch);
        return;
    }
    if (ch == KEY_MOUSE) {
        ch = mouse_key(v, &c);
        if (!ch) {
            v->cursor = c < 0 ? 0 : c >= v->n_shown ? (v->n_shown ? v->n_shown - 1 : 0) : c;
            return;
        }
    }
    if (view_list_key(ch, &c, v->n_shown)) {
        /* moved: clamped below */
    } else if (ch == '/') {
        v->typing = true;
    } else if (ch == 'f')
        by = RANK_BY_FIT;
    else if (ch == 's')
        by = RANK_BY_SPEED;
    else if (ch == 'z')
        by = RANK_BY_SIZE;
    else if (ch == 'c')
        by = RANK_BY_CONTEXT;
    else if (ch == '>' || ch == '.' || ch == KEY_RIGHT || ch == 'l' || ch == KEY_F(6))
        by = next_sort(v, +1);
    else if (ch == '<' || ch == ',' || ch == KEY_LEFT || ch == 'h')
        by = next_sort(v, -1);
    else if (ch == 'I') {
        v->reversed = !v->reversed;
        rank_reverse(&v->table);
        refilter(v);
        c = 0;
    } else if (ch == '[' || ch == ']') {
        /* the batch, and the ranking follows it */
        if (field_step(u->cat, &u->spec, field_named("batch"), ch == ']' ? +1 : -1, true)) {
            ui_changed(u);
            build(u);
        }
    } else if ((ch == '\n' || ch == KEY_ENTER) && c >= 0 && c < v->n_shown) {
        load_row(u, &v->table.rows[v->shown[c]]);
        return;
    } else if (ch == 27 && v->search[0]) {
        v->search[0] = 0; /* Esc clears the search first, then closes */
        refilter(v);
    } else if (view_closes(u, ch)) {
        u->overlay = OV_NONE;
        return;
    }
    if (by != v->sort_by) {
        v->sort_by = by;
        v->reversed = false; /* another column: its own order first, as htop */
        resort(v);
        c = 0;
    }
    if (c >= v->n_shown) c = v->n_shown - 1;
    if (c < 0) c = 0;
    v->cursor = c;
}

int key_rank(struct ui *u, int ch)
{
    rank_key(u, ch);
    return KEEP;
}
