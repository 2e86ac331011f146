/* picker.c - the picker overlay: the choices of the selected field, each worked
 * out through the core (size, parameters, bits, fit), filtered as the user
 * types; the same list shows the saved sessions (sessions.c fills it).  Its
 * keys, its rows and its drawing.  Local model files are worked out a slice at
 * a time between frames (picker_work, called by the event loop). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tui/ui.h"
#include "tui/overlays.h"
#include "tui/paint.h"
#include "machine/local.h"
#include "scenario/devlist.h"

/* ---- cards in a Thunderbolt enclosure, in the GPU picker ---- */

static const char EGPU_HEADING[] = "-- in a Thunderbolt enclosure (eGPU) --";

static bool is_heading(const char *id) { return picker_is_heading(id) || id == EGPU_HEADING; }

/* After the catalog's devices: each card that can sit in an external enclosure, over each
 * Thunderbolt link (ID@tb3, ID@tb4, ID@tb5, as --gpu takes them), under their own heading,
 * named link first ("Thunderbolt 4: GeForce RTX 4090 24GB": a narrow list cuts the end);
 * the filter matches the id or that name ("4090", "tb4", "thunderbolt 5"). */
static int picker_add_egpu(struct ui *u, int n)
{
    if (field_input(u->sel)->choice != CH_DEVICE || u->overlay != OV_PICKER)
        return n;
    int k = 0;
    bool titled = false;
    for (size_t i = 0; i < u->cat->n_devices; i++)
        for (size_t l = 0; devlist_link(l, NULL) && k < UI_EGPU_MAX && n + 1 < PICK_MAX; l++) {
            const struct rt_device *c = &u->cat->devices[i];
            struct rt_device d;
            const char *text;
            char err[128];
            if (!devlist_enclosable(c) || devlist_behind(c, devlist_link(l, &text), &d, err, sizeof err) != RT_OK)
                continue;
            snprintf(u->egpu_names[k], sizeof u->egpu_names[k], "%s: %s", text, c->name);
            if (!field_filter_match(u->filter, d.id, u->egpu_names[k]))
                continue;
            if (!titled) {
                u->pick_ids[n] = EGPU_HEADING;
                u->pick_names[n++] = "";
                titled = true;
            }
            snprintf(u->egpu_ids[k], sizeof u->egpu_ids[k], "%s", d.id);
            u->pick_ids[n] = u->egpu_ids[k];
            u->pick_names[n++] = u->egpu_names[k++];
        }
    return n;
}

/* One choice worked out through the core. */
static void pick_one(struct ui *u, int i)
{
    static struct rt_resolved rs;
    static struct rt_result r;
    char err[256];
    struct pick_info *pi = &u->pick_info[i];
    memset(pi, 0, sizeof *pi);
    enum input_choice ch = field_input(u->sel)->choice;
    struct rt_spec sp = u->spec;
    sp.rate = 0; /* the static figures: no serving run per choice */
    field_set_choice(&sp, u->sel, u->pick_ids[i]);
    if (ch == CH_MODEL || ch == CH_DEVICE)
        sp.gpu_layers = -1; /* a new model or device: judged whole, as the re-derivation would */
    if (!ui_estimate_spec(u, &sp, &rs, &r, err, sizeof err))
        return;
    pi->valid = true;
    pi->fits = r.fits && r.free_bytes >= 0; /* unified memory: within the GPU's share */
    pi->params = r.params_total;
    pi->weights_bytes = r.weights_bytes;
    pi->per_device = r.per_device_bytes;
    pi->capacity = r.capacity_bytes;
    pi->bandwidth = rs.s.device->bandwidth;
    pi->bits = ch == CH_KV_FORMAT ? rs.s.kv->bits : ch == CH_ATTN_FORMAT ? rt_attn_bits(rs.s.weights) : rs.s.weights->bits;
}

/* What a local model's row depends on besides the file: the scenario (FNV-1a). */
static unsigned long long pick_key(const struct ui *u)
{
    const struct rt_spec *s = &u->spec;
    char buf[512];
    snprintf(buf, sizeof buf, "%s|%lld|%lld|%lld|%lld|%s|%s|%s|%s|%lld|%lld|%lld|%.17g|%.17g|%.17g|%lld", s->gpu,
             (long long)s->devices, (long long)s->tp, (long long)s->pp, (long long)s->ep, s->weights, s->attn_weights, s->kv, s->engine,
             (long long)s->batch, (long long)s->prompt, (long long)s->output, s->memory_gb, s->bandwidth_gbps,
             s->tflops, (long long)s->cached_prefix);
    unsigned long long h = 1469598103934665603ULL;
    for (const char *p = buf; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h;
}

static void pick_to_values(const struct pick_info *pi, double *v)
{
    double k[8] = { pi->valid, pi->fits, pi->params, pi->weights_bytes, pi->per_device, pi->capacity, pi->bits,
                    pi->bandwidth };
    memcpy(v, k, sizeof k);
}

static void pick_from_values(struct pick_info *pi, const double *v)
{
    *pi = (struct pick_info){ .valid = v[0] != 0, .fits = v[1] != 0, .params = v[2], .weights_bytes = v[3],
                              .per_device = v[4], .capacity = v[5], .bits = v[6], .bandwidth = v[7] };
}

/* What each choice in the picker would give: size, parameters, bits, fit.  A
 * local file is read (its header parsed) once per version of the file and
 * scenario, and not here: picker_work does it a few at a time between frames. */
static void pick_fill_info(struct ui *u)
{
    unsigned long long key = pick_key(u);
    enum input_choice ch = field_input(u->sel)->choice;
    for (int i = 0; i < u->pick_n; i++) {
        struct pick_info *pi = &u->pick_info[i];
        memset(pi, 0, sizeof *pi);
        if (is_heading(u->pick_ids[i]) || ch == CH_API || ch == CH_DIST || ch == CH_SPLIT || ch == CH_KV_POLICY) /* serving only */
            continue;
        if (ch == CH_MODEL && local_model_name(u, u->pick_ids[i])) {
            double v[8];
            if (lm_cache_get(u->pick_ids[i], key, v, 8))
                pick_from_values(pi, v);
            else
                pi->pending = true;
            continue;
        }
        pick_one(u, i);
    }
}

bool picker_busy(const struct ui *u)
{
    if (u->overlay != OV_PICKER)
        return false;
    for (int i = 0; i < u->pick_n; i++)
        if (u->pick_info[i].pending)
            return true;
    return false;
}

/* One slice of the local rows left to work out: the visible ones first. */
void picker_work(struct ui *u)
{
    double t0 = ui_now_ms();
    unsigned long long key = pick_key(u);
    int from = u->pick_cursor > LINES ? u->pick_cursor - LINES : 0; /* about what the list shows */
    for (int pass = 0; pass < 2; pass++)
        for (int i = pass ? 0 : from; i < u->pick_n && ui_now_ms() - t0 < PICK_SLICE_MS; i++) {
            if (!u->pick_info[i].pending || (pass == 0 && i >= from + 2 * LINES))
                continue;
            pick_one(u, i);
            double v[8];
            pick_to_values(&u->pick_info[i], v);
            lm_cache_put(u->pick_ids[i], key, v, 8);
        }
}

void ui_open_picker(struct ui *u)
{
    u->overlay = OV_PICKER;
    u->filter[0] = 0;
    u->searching = false;
    u->pick_n = field_choices(u->cat, &u->spec, u->sel, "", u->pick_ids, u->pick_names, PICK_MAX);
    u->pick_n = picker_add_local(u, u->pick_n);
    u->pick_n = picker_add_egpu(u, u->pick_n);
    pick_fill_info(u);
    u->pick_cursor = 0;
    char cur[RT_ID_MAX * 4];
    field_value(&u->spec, u->sel, cur, sizeof cur);
    for (int i = 0; i < u->pick_n; i++)
        if (strcmp(u->pick_ids[i], cur) == 0)
            u->pick_cursor = i;
}

static void refilter(struct ui *u)
{
    if (u->overlay == OV_PICKER) {
        u->pick_n = field_choices(u->cat, &u->spec, u->sel, u->filter, u->pick_ids, u->pick_names, PICK_MAX);
        u->pick_n = picker_add_local(u, u->pick_n);
        u->pick_n = picker_add_egpu(u, u->pick_n);
        pick_fill_info(u);
    } else { /* saved sessions: by substring of the name */
        u->pick_n = 0;
        for (int i = 0; i < PICK_MAX && u->load_names[i][0]; i++)
            if (strstr(u->load_names[i], u->filter)) {
                u->pick_ids[u->pick_n] = u->load_names[i];
                u->pick_names[u->pick_n++] = u->load_notes[i];
            }
    }
    u->pick_cursor = u->pick_n > 1 && is_heading(u->pick_ids[0]) ? 1 : 0;
}

static void pick_move(struct ui *u, int to)
{
    if (to >= 0 && to < u->pick_n && is_heading(u->pick_ids[to])) /* a heading is stepped over */
        to += to < u->pick_cursor ? -1 : 1;
    if (to >= u->pick_n)
        to = u->pick_n - 1;
    if (to < 0)
        to = 0;
    u->pick_cursor = to;
}

/* The GPU picker takes a typed device list (ID:COUNT,ID:COUNT) as the value; the length and
 * split pickers a typed uniform:R, lognormal:S or P:D (the scenario checks it). */
static bool device_list_typed(const struct ui *u)
{
    if (u->overlay != OV_PICKER)
        return false;
    enum input_choice ch = field_input(u->sel)->choice;
    if (ch == CH_DIST || ch == CH_SPLIT)
        return strchr(u->filter, ':') != NULL;
    return ch == CH_DEVICE && (strchr(u->filter, ':') || strchr(u->filter, ','));
}

static void pick_choose(struct ui *u)
{
    if (device_list_typed(u)) {
        u->overlay = OV_NONE;
        field_set_choice(&u->spec, u->sel, u->filter);
        ui_changed(u);
        return;
    }
    if (u->pick_n <= 0 || is_heading(u->pick_ids[u->pick_cursor]))
        return;
    const char *id = u->pick_ids[u->pick_cursor];
    enum overlay was = u->overlay;
    u->overlay = OV_NONE;
    if (was == OV_LOAD) {
        char name[64];
        snprintf(name, sizeof name, "%s", id);
        ui_load_session(u, name);
    } else {
        field_set_choice(&u->spec, u->sel, id);
        ui_changed(u);
    }
}

/* Pickers: type to filter (or '/' first, as in htop and less), arrows, Home/End, wheel. */
int key_picker(struct ui *u, int ch)
{
    size_t l = strlen(u->filter);
    int page = LINES - 8 > 4 ? LINES - 8 : 4;
    if (ch == 27) {
        if (u->searching || l) { /* Esc first leaves the search, then the list */
            u->searching = false;
            u->filter[0] = 0;
            refilter(u);
        } else {
            u->overlay = OV_NONE;
        }
    } else if (ch == KEY_UP) {
        pick_move(u, u->pick_cursor - 1);
    } else if (ch == KEY_DOWN) {
        pick_move(u, u->pick_cursor + 1);
    } else if (ch == KEY_PPAGE) {
        pick_move(u, u->pick_cursor - page);
    } else if (ch == KEY_NPAGE) {
        pick_move(u, u->pick_cursor + page);
    } else if (ch == KEY_HOME) {
        pick_move(u, 0);
    } else if (ch == KEY_END) {
        pick_move(u, u->pick_n - 1);
    } else if (ch == '\n' || ch == KEY_ENTER) {
        pick_choose(u);
    } else if (ch == KEY_MOUSE) {
        MEVENT ev;
        if (getmouse(&ev) == OK) {
            if (ev.bstate & BUTTON4_PRESSED)
                pick_move(u, u->pick_cursor - 3);
            else if (ev.bstate & BUTTON5_PRESSED)
                pick_move(u, u->pick_cursor + 3);
            else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED)) {
                int k = picker_row_at(u, ev.y, ev.x);
                if (k >= 0) {
                    bool again = k == u->pick_cursor;
                    u->pick_cursor = k;
                    if (again || (ev.bstate & BUTTON1_DOUBLE_CLICKED))
                        pick_choose(u);
                } else if (!picker_contains(u, ev.y, ev.x)) {
                    u->overlay = OV_NONE; /* a click outside the list closes it */
                }
            }
        }
    } else if (key_is_back(ch) && l) {
        u->filter[l - 1] = 0;
        refilter(u);
    } else if (ch == '/' && !u->searching && !l) {
        u->searching = true;
    } else if (ch >= 32 && ch < 127 && l + 1 < sizeof u->filter) {
        u->searching = true;
        u->filter[l] = (char)ch;
        u->filter[l + 1] = 0;
        refilter(u);
    }
    return KEEP;
}

static struct rect picker_rect(void)
{
    return paint_centered(LINES - 4 > 22 ? 22 : LINES - 4, 78);
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

/* The session list's name column in a box of width bw: as wide as the longest name, at least the
 * heading's, at most what leaves the fit and 40 columns of scenario but never under 16 (a longer
 * name is cut with a ~, the columns stay put: a long name pushed its row's out of line). */
static int load_name_width(const struct ui *u, int bw)
{
    int col = 8, most = bw - 4 - 46;
    if (most < 16)
        most = 16;
    for (int k = 0; k < u->pick_n; k++)
        if ((int)strlen(u->pick_ids[k]) > col)
            col = (int)strlen(u->pick_ids[k]);
    return col > most ? most : col;
}

/* One choice: its id, then what it gives in the current scenario. */
static void pick_row(const struct ui *u, int k, char *buf, size_t n, int w)
{
    const struct pick_info *pi = &u->pick_info[k];
    const char *id = u->pick_ids[k], *name = u->pick_names[k];
    if (u->overlay == OV_LOAD) { /* the name in its column, cut with a ~ past it; the scenario the same */
        int col = load_name_width(u, w + 4);
        char cut[80];
        snprintf(cut, sizeof cut, "%s", id);
        if ((int)strlen(cut) > col && col > 1)
            snprintf(cut + col - 1, sizeof cut - (size_t)(col - 1), "~");
        int k2 = snprintf(buf, n, "%-*s %s", col, cut, name ? name : "");
        if (k2 > w && w > 1 && (size_t)w < n)
            snprintf(buf + w - 1, n - (size_t)(w - 1), "~");
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
        if (id == EGPU_HEADING) {
            snprintf(buf, n, "%s", id);
            break;
        }
        fmt_bytes(a, sizeof a, pi->capacity);
        fmt_si(b, sizeof b, pi->bandwidth);
        snprintf(buf, n, "%-18s %9s %7sB/s %5s  %s", id, a, b, fit, w > 60 && name ? name : "");
        break;
    case CH_API: {
        const struct rt_api *api = catalog_api(u->cat, id);
        if (api) { /* the published output speed where there is one ("-": none published) */
            char v[16] = "-";
            if (api->output_tok_s > 0)
                snprintf(v, sizeof v, "%.0f", api->output_tok_s);
            snprintf(buf, n, "%-24s %7.3g %8.3g %6s  %s", id, api->input_usd_mtok, api->output_usd_mtok, v,
                     w > 60 ? api->name : "");
        }
        else
            snprintf(buf, n, "%-24s %s", id, name ? name : "");
        break;
    }
    case CH_FORMAT:
    case CH_KV_FORMAT:
    case CH_ATTN_FORMAT:
    {
        fmt_bytes(b, sizeof b, pi->per_device);
        const struct rt_format *f = catalog_format(u->cat, id); /* its published quality cost, if any */
        char q[48] = "";
        if (f && isfinite(f->ppl_delta) && f->ppl_delta > 0)
            snprintf(q, sizeof q, "  +%.3f ppl", f->ppl_delta);
        /* "native" is the format the model ships in; a format the device has no units for is
         * emulated (its math at a slower precision): two things, two words */
        if (strcmp(id, "native") == 0 && u->valid)
            snprintf(q, sizeof q, "  as shipped: %s", spec_native_weights(&u->rs.model));
        else if (f && !format_native(u->cat, &u->spec, id))
            snprintf(q, sizeof q, "  emulated");
        snprintf(buf, n, "%-14s %5.2f bits/weight  %9s/device %5s%s", id, pi->bits, b, fit, q);
        break;
    }
    case CH_DIST:
    case CH_SPLIT:
    case CH_KV_POLICY:
        snprintf(buf, n, "%-14s %s", id, name ? name : "");
        break;
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
        paint_textf(r.y + 1, r.x + 2, r.w - 4, ROLE_VALUE, "%s: %s_",
                    !device_list_typed(u) ? "search" : ch == CH_DEVICE ? "device list (Enter)" : "value (Enter)",
                    u->filter);
    else
        paint_text(r.y + 1, r.x + 2, r.w - 4, ROLE_DIM, "type or / to search, Enter picks, Esc cancels");
    if (u->overlay == OV_LOAD)
        paint_textf(r.y + 2, r.x + 2, r.w - 4, ROLE_DIM, "%-*s fit   scenario", load_name_width(u, r.w), "name");
    else if (ch == CH_MODEL && u->valid)
        paint_textf(r.y + 2, r.x + 2, r.w - 4, ROLE_DIM, "id                   params   weights   fit  (%s, %.2f bits/weight)",
                    u->rs.s.weights->id, u->rs.s.weights->bits);
    else
        paint_text(r.y + 2, r.x + 2, r.w - 4, ROLE_DIM,
                   ch == CH_MODEL ? "id                   params   weights   fit"
                   : ch == CH_DEVICE ? "id                    memory  bandwidth   fit"
                   : ch == CH_FORMAT || ch == CH_KV_FORMAT || ch == CH_ATTN_FORMAT ? "format                          memory per device   fit"
                   : ch == CH_API ? "id                        $/M in  $/M out  tok/s  (dated: --list-apis)"
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
