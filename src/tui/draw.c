/* draw.c - every panel from the panels table into its rectangle, a note where
 * a panel is hidden for lack of room, then the overlay.  Everything is drawn
 * into stdscr; curses sends the terminal only the cells that changed. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tui/panels.h"
#include "tui/overlays.h"
#include "output/fields.h"
#include "scenario/session.h"

struct rect ui_panel_rect(const struct ui *u, const char *name)
{
    int i = layout_find(panels, panel_count, name);
    return i >= 0 && !u->lay.too_small ? u->lay.r[i] : (struct rect){ 0, 0, 0, 0 };
}

static struct rect centered(int h, int w)
{
    if (h > LINES - 2) h = LINES - 2;
    if (w > COLS - 2) w = COLS - 2;
    return (struct rect){ (LINES - h) / 2, (COLS - w) / 2, h, w };
}

/* Rows of help that fit, and the first shown (the overlay scrolls). */
int help_rows(void)
{
    int rows = LINES - 4;
    return rows < 1 ? 1 : rows;
}

/* The help as display lines at this width: a text too long for its column
 * goes on under itself, broken between words (it never runs off the box). */
#define HELP_LINES 160
struct help_line { const char *keys, *text; int len; };

static int help_layout(struct help_line *out, int max, int textw)
{
    struct key_help k[64];
    int n = keys_help(k, 64), m = 0;
    if (textw < 8)
        textw = 8;
    for (int i = 0; i < n && m < max; i++) {
        const char *t = k[i].help;
        bool first = true;
        while (m < max) {
            int len = (int)strlen(t);
            if (len > textw) { /* the last space that fits, else a hard break */
                len = textw;
                while (len > 0 && t[len] != ' ')
                    len--;
                if (len == 0)
                    len = textw;
            }
            out[m++] = (struct help_line){ first ? k[i].keys : "", t, len };
            first = false;
            t += len;
            while (*t == ' ')
                t++;
            if (!*t)
                break;
        }
    }
    return m;
}

static int help_width(void) { return (COLS - 2 < 76 ? COLS - 2 : 76) - 18; }

int help_lines(void)
{
    struct help_line l[HELP_LINES];
    return help_layout(l, HELP_LINES, help_width());
}

void draw_help(const struct ui *u)
{
    struct help_line l[HELP_LINES];
    int n = help_layout(l, HELP_LINES, help_width()), rows = help_rows() < n ? help_rows() : n;
    struct rect r = centered(rows + 2, 76);
    int top = u->help_top > n - rows ? n - rows : u->help_top;
    paint_box(r, "Keys");
    for (int i = 0; i < rows && top + i < n; i++) {
        paint_text(r.y + 1 + i, r.x + 2, 14, ROLE_ACCENT, l[top + i].keys);
        paint_textf(r.y + 1 + i, r.x + 16, r.w - 18, ROLE_NORMAL, "%.*s", l[top + i].len, l[top + i].text);
    }
    char pos[48];
    snprintf(pos, sizeof pos, rows < n ? " %d-%d of %d: Up/Down scroll, any key closes " : " any key closes ", top + 1,
             top + rows, n);
    paint_text(r.y + r.h - 1, r.x + r.w - 2 - (int)strlen(pos), (int)strlen(pos), ROLE_ACCENT, pos);
}

static struct rect picker_rect(void)
{
    return centered(LINES - 4 > 22 ? 22 : LINES - 4, 78);
}

/* The first entry shown: the cursor stays on screen. */
static int picker_first(const struct ui *u, int rows)
{
    return u->pick_cursor >= rows ? u->pick_cursor - rows + 1 : 0;
}

bool picker_contains(const struct ui *u, int y, int x)
{
    (void)u;
    struct rect r = picker_rect();
    return y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

int picker_row_at(const struct ui *u, int y, int x)
{
    struct rect r = picker_rect();
    int rows = r.h - 4, first = picker_first(u, rows), k = first + (y - r.y - 3);
    if (x <= r.x || x >= r.x + r.w - 1 || y < r.y + 3 || y >= r.y + 3 + rows || k >= u->pick_n)
        return -1;
    return k;
}

/* One choice: its id, then what it gives in the current scenario. */
static void pick_row(const struct ui *u, int k, char *buf, size_t n, int w)
{
    const struct pick_info *pi = &u->pick_info[k];
    const char *id = u->pick_ids[k], *name = u->pick_names[k];
    if (u->overlay == OV_LOAD) {
        snprintf(buf, n, "%-20s %s", id, name ? name : "");
        return;
    }
    enum input_choice ch = field_input(u->sel)->choice;
    if (ch == CH_MODEL && picker_local_row(u, k, buf, n, w))
        return;
    char a[32] = "", b[32] = "";
    const char *fit = !pi->valid ? "  n/a" : pi->fits ? " fits" : "  no";
    switch (ch) {
    case CH_MODEL:
        fmt_params(a, sizeof a, pi->params);
        fmt_bytes(b, sizeof b, pi->weights_bytes);
        snprintf(buf, n, "%-18s %8s %9s %5s  %s", id, a, b, fit, w > 60 && name ? name : "");
        break;
    case CH_DEVICE:
        fmt_bytes(a, sizeof a, pi->capacity);
        fmt_si(b, sizeof b, pi->bandwidth);
        snprintf(buf, n, "%-16s %9s %7sB/s %5s  %s", id, a, b, fit, w > 60 && name ? name : "");
        break;
    case CH_API: {
        const struct rt_api *api = catalog_api(u->cat, id);
        if (api)
            snprintf(buf, n, "%-17s %7.3g %8.3g  %s", id, api->input_usd_mtok, api->output_usd_mtok,
                     w > 60 ? api->name : "");
        else
            snprintf(buf, n, "%-17s %s", id, name ? name : "");
        break;
    }
    case CH_FORMAT:
    case CH_KV_FORMAT:
    {
        fmt_bytes(b, sizeof b, pi->per_device);
        const struct rt_format *f = catalog_format(u->cat, id); /* its published quality cost, if any */
        char q[24] = "";
        if (f && isfinite(f->ppl_delta) && f->ppl_delta > 0)
            snprintf(q, sizeof q, "  +%.3f ppl", f->ppl_delta);
        snprintf(buf, n, "%-14s %5.2f bits/weight  %9s/device %5s%s", id, pi->bits, b, fit, q);
        break;
    }
    default:
        fmt_bytes(b, sizeof b, pi->per_device);
        snprintf(buf, n, "%-14s %-22s %9s/device %5s", id, name ? name : "", b, fit);
        break;
    }
}

void draw_picker(const struct ui *u)
{
    struct rect r = picker_rect();
    enum input_choice ch = field_input(u->sel)->choice;
    paint_box(r, u->overlay == OV_LOAD ? "Open session" : field_label(u->sel));
    if (u->searching || u->filter[0])
        paint_textf(r.y + 1, r.x + 2, r.w - 4, ROLE_VALUE, "search: %s_", u->filter);
    else
        paint_text(r.y + 1, r.x + 2, r.w - 4, ROLE_DIM, "type or / to search, Enter picks, Esc cancels");
    if (u->overlay == OV_LOAD)
        paint_text(r.y + 2, r.x + 2, r.w - 4, ROLE_DIM, "name                 fit  scenario");
    else if (ch == CH_MODEL && u->valid)
        paint_textf(r.y + 2, r.x + 2, r.w - 4, ROLE_DIM, "id                   params   weights   fit  (%s, %.2f bits/weight)",
                    u->rs.s.weights->id, u->rs.s.weights->bits);
    else
        paint_text(r.y + 2, r.x + 2, r.w - 4, ROLE_DIM,
                   ch == CH_MODEL ? "id                   params   weights   fit"
                   : ch == CH_DEVICE ? "id                  memory  bandwidth   fit"
                   : ch == CH_FORMAT || ch == CH_KV_FORMAT ? "format                          memory per device   fit"
                   : ch == CH_API ? "id                 $/M in  $/M out  (published prices, --list-apis)"
                                                          : "");
    int rows = r.h - 4, first = picker_first(u, rows);
    for (int i = 0; i < rows && first + i < u->pick_n; i++) {
        int k = first + i;
        bool cur = k == u->pick_cursor;
        const struct pick_info *pi = &u->pick_info[k];
        enum theme_role role = cur ? ROLE_SELECTED
                               : u->overlay == OV_PICKER && pi->valid && !pi->fits ? ROLE_DIM : ROLE_NORMAL;
        char line[256];
        pick_row(u, k, line, sizeof line, r.w - 4);
        attrset(role_attr(role));
        mvhline(r.y + 3 + i, r.x + 1, ' ', r.w - 2);
        paint_text(r.y + 3 + i, r.x + 2, r.w - 4, role, line);
    }
    if (u->pick_n == 0)
        paint_text(r.y + 3, r.x + 2, r.w - 4, ROLE_DIM, "(nothing matches)");
    /* the scroll position on the bottom border, as "7/19" */
    char pos[32];
    snprintf(pos, sizeof pos, " %d/%d ", u->pick_n ? u->pick_cursor + 1 : 0, u->pick_n);
    paint_text(r.y + r.h - 1, r.x + r.w - 2 - (int)strlen(pos), (int)strlen(pos), ROLE_ACCENT, pos);
}

void draw_notes(const struct ui *u)
{
    char warn[12][200];
    int n = ui_warnings(u, warn, 12);
    struct rect r = centered(LINES - 2, 72);
    paint_box(r, "Warnings and hints");
    int y = r.y + 1, end = r.y + r.h - 1, w = r.w - 4;
    if (!u->valid)
        y += paint_wrap(y, r.x + 2, w, end - y, 2, ROLE_BAD, u->error);
    for (int i = 0; i < n && y < end; i++)
        y += paint_wrap(y, r.x + 2, w, end - y, 2, ROLE_WARN, warn[i]);
    if (u->n_hints && y < end)
        paint_text(y++, r.x + 2, w, ROLE_LABEL, "To fit, try:");
    for (int i = 0; i < u->n_hints && y < end; i++)
        y += paint_wrap(y, r.x + 4, w - 2, end - y, 2, ROLE_WARN, u->hints[i]);
    if (!n && !u->n_hints && u->valid)
        paint_text(y, r.x + 2, w, ROLE_GOOD, "nothing to report: it fits and no warning stands");
}

void draw_save(const struct ui *u)
{
    struct rect r = centered(7, 58);
    paint_box(r, "Save session");
    paint_textf(r.y + 2, r.x + 2, r.w - 4, ROLE_VALUE, "name: %s_", u->filter);
    if (u->dialog_msg[0])
        paint_text(r.y + 4, r.x + 2, r.w - 4, ROLE_BAD, u->dialog_msg);
    else if (u->session_name[0] && !u->filter[0])
        paint_textf(r.y + 4, r.x + 2, r.w - 4, ROLE_DIM, "Enter alone saves as '%s'%s; Esc cancels",
                    u->session_name, u->example ? " (your copy)" : "");
    else
        paint_text(r.y + 4, r.x + 2, r.w - 4, ROLE_DIM, "letters, digits, - _ . ; Enter saves, Esc cancels");
}

void draw_quit(const struct ui *u)
{
    struct rect r = centered(7, 64);
    char path[4096];
    session_named_path(u->session_name[0] ? u->session_name : "last", path, sizeof path);
    paint_box(r, "Unsaved changes");
    paint_text(r.y + 2, r.x + 2, r.w - 4, ROLE_NORMAL,
               u->ask_open ? "Save before opening another?  (y)es  (n)o  (c)ancel"
                           : "Save before quitting?  (y)es  (n)o  (c)ancel");
    paint_textf(r.y + 4, r.x + 2, r.w - 4, ROLE_DIM, "y saves to %s", path);
}

/* The open overlay's view draws itself (the table of views, overlays.c). */
static void draw_overlay(const struct ui *u)
{
    if (views[u->overlay].draw)
        views[u->overlay].draw(u);
}

int ui_warnings(const struct ui *u, char (*out)[200], int max)
{
    if (!u->valid)
        return 0;
    const struct rt_result *s = &u->res;
    const struct rt_model *m = u->rs.s.model;
    const char *w[12];
    int nw = warning_texts(s->warnings & ~(unsigned)(RT_WARN_NO_FIT | RT_WARN_CONTEXT), w, 12), n = 0;
    if ((s->warnings & RT_WARN_CONTEXT) && n < max) {
        char a[32], b[32];
        fmt_count(a, sizeof a, u->rs.s.prompt + u->rs.s.output);
        fmt_count(b, sizeof b, m->max_context);
        snprintf(out[n++], 200, "context %s is beyond the model's trained %s: it needs rope scaling", a, b);
    }
    for (int i = 0; i < nw && n < max; i++)
        snprintf(out[n++], 200, "%s", w[i]);
    if (u->rs.warning[0] && n < max)
        snprintf(out[n++], 200, "%s", u->rs.warning);
    return n;
}

void draw_all(const struct ui *u)
{
    paint_set_utf8(u->utf8);
    erase();
    if (u->lay.too_small) {
        char buf[80];
        snprintf(buf, sizeof buf, "terminal too small: %dx%d, need %dx%d", COLS, LINES, LAYOUT_MIN_COLS,
                 LAYOUT_MIN_ROWS);
        mvaddnstr(0, 0, buf, COLS);
        return;
    }
    for (int i = 0; i < panel_count; i++)
        if (u->lay.r[i].h > 0)
            panels[i].draw(u, u->lay.r[i]);
    /* a panel left out for lack of rows says so on its column's first heading;
     * where several are, the first is named and the others counted */
    for (int i = 0; i < panel_count; i++) {
        if (!u->lay.hidden[i] || !u->lay.need_rows[i])
            continue;
        bool before = false;
        int more = 0;
        for (int j = 0; j < panel_count; j++)
            if (j != i && u->lay.hidden[j] && u->lay.need_rows[j] && u->lay.col_of[j] == u->lay.col_of[i]) {
                before |= j < i;
                more += j > i;
            }
        if (before)
            continue;
        for (int j = 0; j < panel_count; j++)
            if (u->lay.col_of[j] == u->lay.col_of[i] && u->lay.r[j].h > 0) {
                char note[96];
                if (more)
                    snprintf(note, sizeof note, "%s (+%d) at %d+ rows", panels[i].name, more, u->lay.need_rows[i]);
                else
                    snprintf(note, sizeof note, "%s at %d+ rows", panels[i].name, u->lay.need_rows[i]);
                paint_heading_note(u->lay.r[j], ROLE_DIM, note);
                break;
            }
    }
    draw_overlay(u);
}
