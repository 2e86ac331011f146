/* v_machine.c - the machine on the dashboard: the launch line of the
 * scenario (L or F8 shows it in full, one option a line with shell
 * continuations so that it pastes into a shell; the Answer panel's foot shows
 * it when there is room) and the models already on this machine in the model
 * picker, under their own heading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tui/panels.h"
#include "tui/overlays.h"
#include "machine/launch.h"
#include "machine/local.h"
#include "base/units.h"

int launch_text(const struct ui *u, char *buf, size_t n, char *note, size_t notelen)
{
    note[0] = 0;
    if (!u->valid) {
        snprintf(buf, n, "no estimate: fix the scenario first");
        return RT_EINVAL;
    }
    return launch_line(&u->rs, u->spec.model, buf, n, note, notelen);
}

void launch_open(struct ui *u)
{
    u->overlay = OV_LAUNCH;
}

/* The command split before each option ("cmd \\", "  --opt value \\", ...): at a space
 * followed by a dash and a letter, never inside a quoted word (a path with " --" in it). */
static int split_options(char *line, char **parts, int max)
{
    int n = 0;
    char quote = 0;
    parts[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            else if (*p == '\\' && quote == '"' && p[1])
                p++;
            continue;
        }
        if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '\\' && p[1]) {
            p++;
        } else if (*p == ' ' && p[1] == '-' && (p[2] == '-' || (p[2] >= 'a' && p[2] <= 'z') || (p[2] >= 'A' && p[2] <= 'Z'))) {
            *p = 0;
            parts[n++] = p + 1;
        }
    }
    return n;
}

/* ---- copying the line: OSC 52 ---- */

static void base64(const char *in, size_t n, char *out, size_t outlen)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < outlen; i += 3) {
        unsigned v = (unsigned char)in[i] << 16 | (i + 1 < n ? (unsigned char)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? (unsigned char)in[i + 2] : 0);
        out[o++] = t[v >> 18 & 63];
        out[o++] = t[v >> 12 & 63];
        out[o++] = i + 1 < n ? t[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? t[v & 63] : '=';
    }
    out[o] = 0;
}

/* The launch line onto the clipboard with OSC 52 (ESC ] 52 ; c ; base64 BEL), the sequence
 * xterm, kitty, foot, WezTerm, iTerm2 and tmux (set-clipboard on) take; a terminal that does
 * not simply ignores it.  Said on the status line, with what tmux and screen need. */
static void launch_copy(struct ui *u)
{
    char line[2048], note[512], b64[2048 * 4 / 3 + 8];
    if (launch_text(u, line, sizeof line, note, sizeof note) != RT_OK) {
        ui_message(u, " nothing to copy: %s", line);
        return;
    }
    base64(line, strlen(line), b64, sizeof b64);
    printf("\033]52;c;%s\a", b64);
    fflush(stdout);
    const char *term = getenv("TERM");
    if (getenv("TMUX"))
        ui_message(u, " copied with OSC 52 (tmux needs: set -g set-clipboard on)");
    else if (term && strncmp(term, "screen", 6) == 0)
        ui_message(u, " OSC 52 sent, but GNU screen drops it: rooftop --print --launch");
    else
        ui_message(u, " copied with OSC 52, where the terminal allows it");
}

/* y (or c) copies the line and keeps the box open; any other key closes it. */
int key_launch(struct ui *u, int ch)
{
    if (ch == 'y' || ch == 'c') {
        launch_copy(u);
        return KEEP;
    }
    u->overlay = OV_NONE;
    return KEEP;
}

void view_launch(const struct ui *u)
{
    char line[2048], note[512];
    int rc = launch_text(u, line, sizeof line, note, sizeof note);
    char *parts[64];
    int n = rc == RT_OK ? split_options(line, parts, 64) : 0;
    int w = 20;
    for (int i = 0; i < n; i++)
        if ((int)strlen(parts[i]) + 8 > w)
            w = (int)strlen(parts[i]) + 8;
    if (w < 64)
        w = 64;
    if (w > COLS - 2)
        w = COLS - 2;
    int tw = w - 4, nrows = note[0] ? paint_wrap_rows(tw, 2, note) + 1 : 0;
    int h = n + 5 + nrows;
    if (h > LINES - 2)
        h = LINES - 2;
    struct rect r = { (LINES - h) / 2, (COLS - w) / 2, h, w };
    char title[96];
    snprintf(title, sizeof title, "Launch: %s", u->valid ? u->rs.s.engine->id : "-");
    paint_box(r, title);
    int x = r.x + 2, y = r.y + 1, end = r.y + r.h - 1;
    if (rc != RT_OK) {
        paint_wrap(y, x, tw, end - y, 2, ROLE_WARN, line);
        return;
    }
    paint_text(y++, x, tw, ROLE_DIM, tw >= 58 ? "the command that runs this scenario (pastes into a shell):"
                                               : "this scenario's command, for a shell:");
    y++;
    bool cut = false;
    for (int i = 0; i < n && y < end; i++, y++) {
        char text[2100];
        int k = snprintf(text, sizeof text, "%s%s%s", i ? "  " : "", parts[i], i + 1 < n ? " \\" : "");
        if (i + 1 < n && y + 1 == end) { /* no row for the rest: said, never a line that looks whole */
            paint_text(y, x, tw, ROLE_WARN, "... (more: y copies the whole line)");
            cut = true;
            break;
        }
        paint_text(y, x, tw, ROLE_VALUE, text);
        if (k > tw) { /* wider than the box (a long path): marked, and y copies it whole */
            paint_text(y, x + tw - 1, 1, ROLE_WARN, ">");
            cut = true;
        }
    }
    if (note[0] && y + 1 < end)
        paint_wrap(y + 1, x, tw, end - y - 1, 2, ROLE_WARN, note);
    const char *foot = " y copies (OSC 52)  also: rooftop --print --launch  any key closes ";
    if ((int)strlen(foot) > r.w - 4 || cut)
        foot = cut ? " cut: y copies it whole (OSC 52)  any key closes " : " y copies (OSC 52)  any key closes ";
    int fl = (int)strlen(foot) < r.w - 4 ? (int)strlen(foot) : r.w - 4;
    paint_text(r.y + r.h - 1, r.x + r.w - 2 - fl, fl, ROLE_ACCENT, foot);
}

/* The Answer panel's last rows, when free: the launch line, one option a
 * line where the rows allow, else shortened with a pointer to L. */
void answer_launch_footer(const struct ui *u, struct rect r, int y)
{
    int end = r.y + r.h, x = r.x + 1, w = r.w - 2;
    if (!u->valid || !u->res.fits || y >= end - 1 || w < 30)
        return;
    char line[2048], note[512];
    if (launch_text(u, line, sizeof line, note, sizeof note) != RT_OK)
        return;
    if ((int)strlen(line) + 2 <= w) {
        paint_textf(end - 1, x, w, ROLE_DIM, "$ %s", line);
        return;
    }
    char copy[2048], *parts[64];
    snprintf(copy, sizeof copy, "%s", line);
    int n = split_options(copy, parts, 64), widest = 0;
    for (int i = 0; i < n; i++) {
        int need = (int)strlen(parts[i]) + (i ? 4 : 2) + (i + 1 < n ? 2 : 0);
        if (need > widest)
            widest = need;
    }
    if (end - y - 1 >= n && widest <= w) { /* a blank row above it */
        for (int i = 0; i < n; i++)
            paint_textf(end - n + i, x, w, ROLE_DIM, "%s%s%s", i ? "    " : "$ ", parts[i], i + 1 < n ? " \\" : "");
        return;
    }
    const char *more = " ... (L)";
    int keep = w - 2 - (int)strlen(more);
    paint_textf(end - 1, x, w, ROLE_DIM, "$ %.*s%s", keep, line, more);
}

/* ---- local models in the model picker ---- */

static const char LOCAL_HEADING[] = "-- on this machine --";

bool picker_is_heading(const char *id) { return id == LOCAL_HEADING; }

/* The local model whose path is id (a picker row), or NULL. */
static const struct lm_model *local_of(const struct ui *u, const char *id)
{
    for (size_t i = 0; i < u->local.n; i++)
        if (u->local.m[i].path == id)
            return &u->local.m[i];
    return NULL;
}

int picker_add_local(struct ui *u, int n)
{
    if (u->sel != field_named("model") || u->overlay != OV_PICKER)
        return n;
    if (!u->local_found) { /* once a session: the walk is bounded, but not free */
        lm_init(&u->local);
        lm_discover(NULL, &u->local);
        u->local_found = true;
    }
    bool titled = false;
    for (size_t i = 0; i < u->local.n && n < PICK_MAX; i++) {
        const struct lm_model *m = &u->local.m[i];
        if (!field_filter_match(u->filter, m->name, m->source))
            continue;
        if (!titled && n + 1 < PICK_MAX) {
            u->pick_ids[n] = LOCAL_HEADING;
            u->pick_names[n++] = "";
            titled = true;
        }
        u->pick_ids[n] = m->path;
        u->pick_names[n++] = m->name;
    }
    return n;
}

const char *local_model_name(const struct ui *u, const char *path)
{
    for (size_t i = 0; i < u->local.n; i++)
        if (strcmp(u->local.m[i].path, path) == 0)
            return u->local.m[i].name;
    return NULL;
}

/* A picker row of the model list for a local model, or false for a catalog one. */
bool picker_local_row(const struct ui *u, int k, char *buf, size_t n, int w)
{
    const char *id = u->pick_ids[k];
    if (picker_is_heading(id)) {
        snprintf(buf, n, "-- on this machine (Ollama, LM Studio, Hugging Face, llama.cpp)%s --",
                 u->local.models_cut || u->local.entries_cut ? "; a limit was reached, not all are listed" : "");
        return true;
    }
    const struct lm_model *m = local_of(u, id);
    if (!m)
        return false;
    const struct pick_info *pi = &u->pick_info[k];
    char a[32] = "", b[32] = "-";
    if (pi->valid)
        fmt_params(a, sizeof a, pi->params);
    /* the weights' size: the files when downloaded, else (a config.json alone) the estimate */
    if (m->size_bytes > 0)
        fmt_bytes(b, sizeof b, m->size_bytes);
    else if (pi->valid && pi->weights_bytes > 0) {
        b[0] = '~';
        fmt_bytes(b + 1, sizeof b - 1, pi->weights_bytes);
    }
    const char *fit = pi->pending ? "  ..." : !pi->valid ? "  n/a" : pi->fits ? " fits" : "  no";
    if (w >= 70)
        snprintf(buf, n, "%-11s %8s %9s %5s  %s", m->source, a, b, fit, m->name);
    else /* narrow: the name first, it is what tells them apart */
        snprintf(buf, n, "%-*.*s %8s %5s", w - 16, w - 16, m->name, a, fit);
    return true;
}
