/* views.c - two full-screen views built on the output-figures table:
 *   compare: the scenario pinned as A beside the current one, B, with B - A
 *            for every figure the --print table shows (as --compare does);
 *   explain: one figure's value, formula, inputs and their sources, and the
 *            intermediate figures (the text of --explain KEY).
 * Both read the state; the keys that move in them are in views_key(). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tui/panels.h"
#include "tui/overlays.h"
#include "output/columns.h"
#include "output/explain.h"
#include "output/figures.h"

/* The figures a comparison lists: those with a label, past the scenario's echo. */
static bool compared(const struct figure *f, const struct fig_ctx *a, const struct fig_ctx *b)
{
    if (!f->label || f->section == SEC_SCENARIO)
        return false;
    return !f->shown || f->shown(a) || f->shown(b);
}

/* Rows of the compare view: a section title (-1 - section) or a figure index. */
static int compare_rows(const struct ui *u, int *rows, int max)
{
    struct fig_ctx a = { &u->pin_rs, &u->pin_res }, b = { &u->rs, &u->res };
    int n = 0;
    for (int sec = SEC_MODEL; sec < SEC_N; sec++) {
        bool titled = false;
        for (size_t i = 0; i < n_figures && n < max; i++) {
            if ((int)figures[i].section != sec || !compared(&figures[i], &a, &b))
                continue;
            if (!titled && n < max) {
                rows[n++] = -1 - sec;
                titled = true;
            }
            if (n < max)
                rows[n++] = (int)i;
        }
    }
    return n;
}

const char *ui_figure(const struct ui *u, const char *key, char *buf, size_t n)
{
    struct fig_ctx c = { &u->rs, &u->res };
    const struct figure *f = figure_by_key(key);
    if (f)
        figure_format(f, &c, buf, n);
    else
        snprintf(buf, n, "?");
    return buf;
}

double ui_value(const struct ui *u, const char *key)
{
    struct fig_ctx c = { &u->rs, &u->res };
    const struct figure *f = figure_by_key(key);
    return f && figure_present(f, &c) ? figure_value(f, &c) : 0;
}

const char *ui_text(const struct ui *u, const char *key)
{
    struct fig_ctx c = { &u->rs, &u->res };
    const struct figure *f = figure_by_key(key);
    return f && f->kind == FK_TEXT ? figure_text(f, &c) : "";
}

const char *ui_in_unit(const char *key, double v, char *buf, size_t n)
{
    const struct figure *f = figure_by_key(key);
    if (f)
        unit_format(f->unit, v, buf, n);
    else
        snprintf(buf, n, "?");
    return buf;
}

const char *ui_cell(const struct ui *u, const struct column *col, char *buf, size_t n)
{
    struct fig_ctx c = { &u->rs, &u->res };
    column_cell(col, figure_by_key(col->key), &c, buf, n);
    return buf;
}

static struct rect view_rect(void) { return (struct rect){ 1, 0, LINES - 2, COLS }; }

/* "A: qwen3-8b on 1 x h100-sxm, bf16, batch 1, prompt 1024, output 256", shorter where the box is
 * narrow, so that the output tokens (the last, and maybe what changed) are not the part cut off */
static void scenario_line(char *buf, size_t n, const char *tag, const struct rt_resolved *rs, int w)
{
    const struct rt_scenario *s = &rs->s;
    long long d = (long long)s->devices, b = (long long)s->batch, p = (long long)s->prompt, o = (long long)s->output;
    /* what shapes serving, as --compare's lines say it: A at a rate and B without read alike */
    char sv[96] = "";
    size_t k = 0;
    if (strcmp(rs->attn_weights, s->weights->id) != 0 && rs->attn_weights[0] && !rs->weights_native) /* --attn-weights */
        k += (size_t)snprintf(sv + k, sizeof sv - k, "; attention %s", rs->attn_weights);
    if (s->dp > 1 && k < sizeof sv)
        k += (size_t)snprintf(sv + k, sizeof sv - k, "; dp %lld", (long long)s->dp);
    if (s->disagg_p > 0 && k < sizeof sv)
        k += (size_t)snprintf(sv + k, sizeof sv - k, "; disagg %lld:%lld", (long long)s->disagg_p, (long long)s->disagg_d);
    if (isinf(s->rate) && k < sizeof sv)
        snprintf(sv + k, sizeof sv - k, s->concurrency > 0 ? "; %lld clients" : "; all at once", (long long)s->concurrency);
    else if (s->rate > 0 && k < sizeof sv)
        snprintf(sv + k, sizeof sv - k, "; %g req/s", s->rate);
    if (snprintf(buf, n, "%s: %s on %lld x %s, %s, batch %lld, prompt %lld, output %lld%s", tag, s->model->id, d,
                 s->device->id, s->weights->id, b, p, o, sv) <= w)
        return;
    if (snprintf(buf, n, "%s: %s %lldx %s %s batch %lld prompt %lld out %lld%s", tag, s->model->id, d, s->device->id,
                 s->weights->id, b, p, o, sv) <= w)
        return;
    snprintf(buf, n, "%s: %s %lldx%s %s b%lld p%lld o%lld%s", tag, s->model->id, d, s->device->id, s->weights->id, b, p,
             o, sv);
}

void view_compare(const struct ui *u)
{
    struct rect r = view_rect();
    paint_box(r, "Compare: A (pinned) and B (now)");
    int x = r.x + 2, w = r.w - 4, y = r.y + 1;
    char line[512];
    if (!u->valid || !u->pin_valid) {
        paint_text(y, x, w, ROLE_BAD, !u->pin_valid ? "nothing pinned: a pins the scenario as A"
                                                    : "B has no estimate: fix the scenario first");
        return;
    }
    scenario_line(line, sizeof line, "A", &u->pin_rs, w);
    paint_text(y++, x, w, ROLE_LABEL, line);
    scenario_line(line, sizeof line, "B", &u->rs, w);
    paint_text(y++, x, w, ROLE_LABEL, line);
    /* columns: label, A, B, then B - A in what is left */
    int lw = w >= 110 ? 30 : w >= 76 ? 24 : 18, vw = w >= 76 ? 16 : 11;
    paint_textf(y++, x, w, ROLE_ACCENT, "%-*s %*s %*s  %s", lw, "", vw, "A", vw, "B", "B - A");
    struct fig_ctx a = { &u->pin_rs, &u->pin_res }, b = { &u->rs, &u->res };
    static int rows[512];
    int n = compare_rows(u, rows, 512), shown = r.y + r.h - 1 - y;
    int top = u->view_cursor >= shown ? u->view_cursor - shown + 1 : 0;
    for (int i = 0; i < shown && top + i < n; i++, y++) {
        int k = rows[top + i];
        bool cur = top + i == u->view_cursor;
        if (k < 0) {
            paint_text(y, x, w, ROLE_ACCENT, section_titles[-1 - k]);
            continue;
        }
        const struct figure *f = &figures[k];
        /* a figure one side lacks (serving without a rate): "-" there, no difference (as --compare) */
        bool ha = !f->shown || f->shown(&a), hb = !f->shown || f->shown(&b);
        char va[192] = "-", vb[192] = "-", d[64] = "";
        if (ha)
            figure_format(f, &a, va, sizeof va);
        if (hb)
            figure_format(f, &b, vb, sizeof vb);
        if (!ha || !hb)
            d[0] = 0;
        else if (f->kind == FK_NUM || f->kind == FK_INT)
            compare_delta(f, figure_value(f, &a), figure_value(f, &b), d, sizeof d);
        else if (strcmp(va, vb) != 0)
            snprintf(d, sizeof d, "changed");
        bool same = !strcmp(d, "=") || !*d;
        if ((int)strlen(va) > vw || (int)strlen(vb) > vw) {
            /* a sentence (the band's): once where A and B agree, else each after its letter; two
             * copies cut to the columns ran into each other */
            enum theme_role sr = cur ? ROLE_SELECTED : same ? ROLE_DIM : ROLE_VALUE;
            if (cur) {
                attrset(role_attr(ROLE_SELECTED));
                mvhline(y, r.x + 1, ' ', r.w - 2);
            }
            if (!strcmp(va, vb))
                paint_textf(y, x, w, sr, "  %-*.*s %s", lw - 2, lw - 2, f->label, va);
            else
                paint_textf(y, x, w, sr, "  %-*.*s A: %s  B: %s", lw - 2, lw - 2, f->label, va, vb);
            continue;
        }
        /* narrow: "+14.6 TFLOP (+100.0%)" would lose its end: the share alone, never a cut bracket */
        char *paren = strstr(d, " (");
        if (paren && 2 + (lw - 2) + 1 + vw + 1 + vw + 2 + (int)strlen(d) > w && d[strlen(d) - 1] == ')') {
            d[strlen(d) - 1] = 0;
            memmove(d, paren + 2, strlen(paren + 2) + 1);
        }
        enum theme_role role = cur ? ROLE_SELECTED : same ? ROLE_DIM : ROLE_VALUE;
        if (cur) {
            attrset(role_attr(ROLE_SELECTED));
            mvhline(y, r.x + 1, ' ', r.w - 2);
        }
        paint_textf(y, x, w, role, "  %-*.*s %*s %*s  %s", lw - 2, lw - 2, f->label, vw, va, vw, vb, d);
    }
    snprintf(line, sizeof line, r.w >= 80 ? " %d/%d  Up/Down move, x explains, a re-pins, Esc closes "
                                          : " %d/%d  x explains, Esc closes ",
             n ? u->view_cursor + 1 : 0, n);
    paint_text(r.y + r.h - 1, r.x + r.w - 2 - (int)strlen(line), (int)strlen(line), ROLE_ACCENT, line);
}

/* The inputs of a figure that are figures themselves (those Enter can open). */
static int figure_inputs(const struct figure *f, int *out, int max)
{
    int n = 0;
    const char *p = f->inputs;
    while (p && *p && n < max) {
        p += strspn(p, " ");
        size_t len = strcspn(p, " ");
        char key[96];
        if (len && len < sizeof key) {
            memcpy(key, p, len);
            key[len] = 0;
            const struct figure *g = figure_by_key(key);
            if (g && g != f)
                out[n++] = (int)(g - figures);
        }
        p += len;
    }
    return n;
}

void view_explain(const struct ui *u)
{
    struct rect r = view_rect();
    const struct figure *f = &figures[u->explain_fig];
    char title[128];
    snprintf(title, sizeof title, "Explain: %s", f->label ? f->label : f->key);
    paint_box(r, title);
    int x = r.x + 2, w = r.w - 4, y = r.y + 1, end = r.y + r.h - 1;
    if (!u->valid) {
        paint_wrap(y, x, w, end - y, 2, ROLE_BAD, u->error);
        return;
    }
    /* the same text as rooftop --print --explain KEY */
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return;
    struct fig_ctx c = { &u->rs, &u->res };
    explain_table(m, f->key, &c);
    fclose(m);
    int skip = u->explain_scroll;
    for (char *line = text, *nl; line && *line && y < end; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        if (skip > 0) {
            skip--;
            continue;
        }
        size_t ind = strspn(line, " ");
        y += paint_wrap(y, x + (int)ind, w - (int)ind, end - y, 4, line == text ? ROLE_VALUE : ROLE_NORMAL,
                        line + ind);
    }
    free(text);
    /* the footer in the longest form that ends whole inside the box's border: the keys, then
     * fewer of them, then the input Enter opens without Tab's, then the figure alone */
    char foot[256] = "";
    int in[32], nin = figure_inputs(f, in, 32);
    const char *next = nin ? figures[in[u->explain_input % nin]].key : NULL;
    const char *what = u->explain_searching ? "search: " : "", *key = u->explain_searching ? u->explain_search : f->key;
    for (int form = 0; form < 6; form++) {
        char into[128] = "";
        if (next && form < 3)
            snprintf(into, sizeof into, "Enter opens %s%s  ", next, form < 2 ? " (Tab: next input)" : "");
        else if (next && form == 3)
            snprintf(into, sizeof into, "Enter: %s  ", next);
        else if (next && form == 4)
            snprintf(into, sizeof into, "Tab, Enter: its inputs  ");
        snprintf(foot, sizeof foot, " %s%s  %s%s", what, key, into,
                 form == 0 ? "Up/Down other figures, / search, Esc closes " : form < 5 ? "Esc " : "");
        if ((int)strlen(foot) <= r.w - 4)
            break;
    }
    paint_text(r.y + r.h - 1, r.x + 2, r.w - 4, ROLE_ACCENT, foot);
}

static int figure_index(const char *key)
{
    const struct figure *f = figure_by_key(key);
    return f ? (int)(f - figures) : 0;
}

void views_open_explain(struct ui *u, const char *key)
{
    u->explain_fig = figure_index(key ? key : field_input(u->sel)->field->figure);
    u->explain_scroll = 0;
    u->explain_searching = false;
    u->explain_search[0] = 0;
    u->explain_input = 0;
    u->explain_hist_n = 0;
    u->explain_back = u->overlay == OV_COMPARE;
    u->overlay = OV_EXPLAIN;
}

void views_pin(struct ui *u)
{
    if (!u->valid) {
        ui_message(u, " nothing to pin: the scenario has no estimate");
        return;
    }
    /* resolved afresh: a resolved scenario points into itself, a plain copy would not */
    char err[256];
    u->pin_spec = u->spec;
    u->pin_valid = false;
    struct rt_spec sp = u->spec;
    if (sp.requests > TUI_SERVE_REQUESTS)
        sp.requests = TUI_SERVE_REQUESTS; /* as the current scenario is simulated */
    if (spec_resolve(u->cat, &sp, &u->pin_rs, err, sizeof err) != RT_OK ||
        rt_estimate(&u->pin_rs.s, &u->pin_res, err, sizeof err) != RT_OK) {
        ui_message(u, " cannot pin: %s", err);
        return;
    }
    u->pin_valid = true;
    ui_message(u, " pinned as A: change things, then v (F5) compares");
}

void views_open_compare(struct ui *u)
{
    if (!u->pin_valid) {
        views_pin(u);
        return;
    }
    u->overlay = OV_COMPARE;
    if (u->view_cursor < 1)
        u->view_cursor = 1; /* the first figure, under its section's title */
}

/* Keys in the two views; returns false when the view closed. */
static void explain_step(struct ui *u, int dir)
{
    int i = u->explain_fig;
    for (size_t k = 0; k < n_figures; k++) {
        i = (i + dir + (int)n_figures) % (int)n_figures;
        if (figures[i].formula || figures[i].label)
            break;
    }
    u->explain_fig = i;
    u->explain_scroll = 0;
    u->explain_input = 0;
}

static void explain_search_apply(struct ui *u)
{
    for (size_t i = 0; i < n_figures; i++)
        if (strstr(figures[i].key, u->explain_search) ||
            (figures[i].label && strstr(figures[i].label, u->explain_search))) {
            u->explain_fig = (int)i;
            u->explain_scroll = 0;
            return;
        }
}

double ui_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

void views_key(struct ui *u, int ch)
{
    if (u->overlay == OV_EXPLAIN) {
        size_t l = strlen(u->explain_search);
        if (u->explain_searching) {
            if (ch == 27 || ch == '\n' || ch == KEY_ENTER)
                u->explain_searching = false;
            else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && l)
                u->explain_search[l - 1] = 0;
            else if (ch >= 32 && ch < 127 && l + 1 < sizeof u->explain_search) {
                u->explain_search[l] = (char)ch;
                u->explain_search[l + 1] = 0;
                explain_search_apply(u);
            }
            return;
        }
        int in[32], nin = figure_inputs(&figures[u->explain_fig], in, 32);
        if (ch == '\t' && nin)
            u->explain_input = (u->explain_input + 1) % nin;
        else if ((ch == '\n' || ch == KEY_ENTER) && nin) {
            if (u->explain_hist_n < 16)
                u->explain_hist[u->explain_hist_n++] = u->explain_fig;
            u->explain_fig = in[u->explain_input % nin];
            u->explain_input = 0;
            u->explain_scroll = 0;
        } else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && u->explain_hist_n > 0) {
            u->explain_fig = u->explain_hist[--u->explain_hist_n];
            u->explain_input = 0;
            u->explain_scroll = 0;
        } else if (ch == KEY_DOWN || ch == 'j')
            explain_step(u, +1);
        else if (ch == KEY_UP || ch == 'k')
            explain_step(u, -1);
        else if (ch == KEY_NPAGE)
            u->explain_scroll += 5;
        else if (ch == KEY_PPAGE)
            u->explain_scroll = u->explain_scroll > 5 ? u->explain_scroll - 5 : 0;
        else if (ch == '/') {
            u->explain_searching = true;
            u->explain_search[0] = 0;
        } else if (view_closes(u, ch))
            u->overlay = u->explain_back ? OV_COMPARE : OV_NONE;
        return;
    }
    /* compare */
    static int rows[512];
    int n = compare_rows(u, rows, 512), c = u->view_cursor;
    if (view_list_key(ch, &c, n)) {
        /* moved: onto a figure below */
    } else if ((ch == 'x' || ch == '\n' || ch == KEY_ENTER || ch == KEY_F(4)) && c >= 0 && c < n && rows[c] >= 0)
        views_open_explain(u, figures[rows[c]].key);
    else if (ch == 'a')
        views_pin(u);
    else if (view_closes(u, ch))
        u->overlay = OV_NONE;
    /* the cursor rests on figures, not on the sections' titles */
    int dir = c < u->view_cursor ? -1 : 1;
    if (c >= n) c = n - 1;
    if (c < 0) c = 0;
    while (c >= 0 && c < n && rows[c] < 0)
        c += dir;
    if (c < 0 || c >= n)
        for (c = c < 0 ? 0 : n - 1; c >= 0 && c < n && rows[c] < 0; c -= dir)
            ;
    u->view_cursor = c < 0 ? 0 : c;
}

/* The Answer panel's figure under (y, x), for a click that explains it. */
int key_views(struct ui *u, int ch)
{
    views_key(u, ch);
    return KEEP;
}
