/* sessions.c - sessions and themes on the dashboard: the list of saved sessions
 * and the examples (opened in the picker overlay), opening one, the save dialog,
 * the unsaved-changes question, and the theme key. */
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tui/ui.h"
#include "tui/overlays.h"
#include "tui/paint.h"
#include "tui/prefs.h"
#include "scenario/session.h"

void ui_apply_theme(struct ui *u, const char *name)
{
    char err[256];
    struct theme t;
    if (theme_load(name, &t, err, sizeof err) != RT_OK) {
        ui_message(u, " %s", err);
        if (theme_load("default", &t, err, sizeof err) != RT_OK)
            return;
    }
    u->theme = t;
    colors_init(&u->theme, u->color);
}

static int cmp_str(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

static const char NOTE_EXAMPLE[] = " (example)";

static const char NOTE_COPY[] = " (your copy)";

/* A saved session in the list: whether it fits, and its scenario in brief. */
static void describe_session(struct ui *u, int i)
{
    static struct session s;
    static struct rt_resolved rs;
    static struct rt_result r;
    char path[4096], err[256];
    const char *note = u->load_notes[i];
    if (session_open(u->load_names[i], &s, path, sizeof path, err, sizeof err) != RT_OK ||
        !ui_estimate_spec(u, &s.spec, &rs, &r, err, sizeof err)) {
        snprintf(u->load_desc[i], sizeof u->load_desc[i], "err  (does not load)%s", note);
    } else {
        char rate[32] = ""; /* a serving session says its rate: two sessions may differ only there */
        if (isinf(s.spec.rate))
            snprintf(rate, sizeof rate, " rate inf");
        else if (s.spec.rate > 0)
            snprintf(rate, sizeof rate, " %g req/s", s.spec.rate);
        snprintf(u->load_desc[i], sizeof u->load_desc[i], "%-5s %s %lldx %s %s%s%s",
                 !r.fits ? "no" : r.free_bytes < 0 ? "pages" : "fits",
                 rs.s.model->id, (long long)rs.s.devices, rs.s.device->id, rs.s.weights->id, rate, note);
    }
    u->load_notes[i] = u->load_desc[i];
}

void ui_open_load(struct ui *u)
{
    char dir[4096];
    session_dir(dir, sizeof dir, false);
    DIR *d = opendir(dir);
    int n = 0;
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) && n < PICK_MAX) {
            size_t l = strlen(e->d_name);
            if (l > 4 && l < 64 && strcmp(e->d_name + l - 4, ".cfg") == 0) {
                memcpy(u->load_names[n], e->d_name, l - 4);
                u->load_names[n][l - 4] = 0;
                n++;
            }
        }
        closedir(d);
    }
    qsort(u->load_names, (size_t)n, sizeof u->load_names[0], cmp_str);
    for (int i = 0; i < n; i++)
        u->load_notes[i] = "";
    /* then the examples shipped with rooftop; a user file of the same name is a copy */
    const char *ex[16];
    char exbuf[16][64];
    int ne = session_examples(ex, exbuf, 16);
    for (int i = 0; i < ne && n < PICK_MAX; i++) {
        bool shadowed = false;
        for (int j = 0; j < n; j++)
            if (strcmp(u->load_names[j], ex[i]) == 0) {
                shadowed = true;
                u->load_notes[j] = NOTE_COPY;
            }
        if (!shadowed) {
            snprintf(u->load_names[n], sizeof u->load_names[0], "%s", ex[i]);
            u->load_notes[n++] = NOTE_EXAMPLE;
        }
    }
    if (n < PICK_MAX)
        u->load_names[n][0] = 0;
    u->pick_cursor = 0;
    for (int i = 0; i < n; i++) {
        describe_session(u, i);
        u->pick_ids[i] = u->load_names[i];
        u->pick_names[i] = u->load_notes[i];
        if (strcmp(u->load_names[i], u->prefs.last_session) == 0)
            u->pick_cursor = i; /* where the user was last */
    }
    u->pick_n = n;
    u->filter[0] = 0;
    u->searching = false;
    u->overlay = OV_LOAD;
}

void ui_open_save(struct ui *u)
{
    u->overlay = OV_SAVE;
    u->filter[0] = 0; /* typed fresh; Enter alone keeps the current name */
    u->dialog_msg[0] = 0;
}

static void current_session(const struct ui *u, struct session *s)
{
    session_default(s);
    s->spec = u->spec;
    snprintf(s->field, sizeof s->field, "%s", field_key(u->sel));
    snprintf(s->theme, sizeof s->theme, "%s", u->theme.name);
}

static void remember(struct ui *u, const char *name)
{
    snprintf(u->prefs.last_session, sizeof u->prefs.last_session, "%s", name);
    prefs_save(&u->prefs);
}

/* A session's path for the one-line message after `what` (" saved ", " opened "): the home
 * folder as ~, and where the line would still be wider than the screen, the file's name alone. */
static const char *shown_path(const char *path, const char *what, char *buf, size_t n)
{
    const char *home = getenv("HOME");
    size_t h = home ? strlen(home) : 0;
    if (h > 1 && strncmp(path, home, h) == 0 && path[h] == '/')
        snprintf(buf, n, "~%s", path + h);
    else
        snprintf(buf, n, "%s", path);
    const char *base = strrchr(buf, '/');
    if (base && (int)(strlen(what) + strlen(buf)) > COLS - 1)
        memmove(buf, base + 1, strlen(base + 1) + 1);
    return buf;
}

static bool save_as(struct ui *u, const char *name)
{
    char path[4096], err[512];
    /* a name in the sessions folder, never a path: "foo.cfg" saves foo.cfg.cfg there */
    if (session_named_path(name, path, sizeof path) != RT_OK) {
        snprintf(u->message, sizeof u->message, " save failed: '%s' is not a session name", name);
        return false;
    }
    struct session s;
    current_session(u, &s);
    if (session_save(path, &s, err, sizeof err) != RT_OK) {
        ui_message(u, " save failed: %s", err);
        return false;
    }
    bool copy = u->example && strcmp(u->session_name, name) == 0;
    snprintf(u->session_name, sizeof u->session_name, "%s", name);
    snprintf(u->session_file, sizeof u->session_file, "%s", path);
    char shown[4096];
    if (copy)
        ui_message(u, " saved your copy of the example to %s",
                   shown_path(path, " saved your copy of the example to ", shown, sizeof shown));
    else
        ui_message(u, " saved %s", shown_path(path, " saved ", shown, sizeof shown));
    u->example = false;
    u->dirty = false;
    remember(u, name);
    return true;
}

void ui_load_session(struct ui *u, const char *name)
{
    char path[4096] = "", err[512];
    struct session s;
    if (session_open_named(name, &s, path, sizeof path, err, sizeof err) != RT_OK) {
        /* a broken file shows its error and keeps the current scenario; the file's path, in
         * the sessions folder the list shows, by its name (the error's end ran off the line) */
        size_t pl = strlen(path);
        const char *base = strrchr(path, '/');
        if (pl > 0 && base && strncmp(err, path, pl) == 0)
            ui_message(u, " %s%s", base + 1, err + pl);
        else
            ui_message(u, " %s", err);
        return;
    }
    u->spec = s.spec;
    int f = field_parse(s.field);
    if (f >= 0)
        u->sel = f;
    if (strcmp(s.theme, u->theme.name) && u->color)
        ui_apply_theme(u, s.theme);
    snprintf(u->session_name, sizeof u->session_name, "%s", name);
    snprintf(u->session_file, sizeof u->session_file, "%s", path);
    u->example = strstr(path, "(built in)") != NULL;
    u->dirty = false;
    ui_recompute(u);
    char shown[4096];
    ui_message(u, " opened %s%s", u->example ? path : shown_path(path, " opened ", shown, sizeof shown),
               u->example ? ": saving makes your own copy" : "");
    remember(u, name);
}

void ui_next_theme(struct ui *u)
{
    if (!u->color) {
        ui_message(u, " themes are off: colour is disabled (--no-color or NO_COLOR)");
        return;
    }
    static const char *const names[] = { "default", "light", "high-contrast", "mono" };
    int at = 0;
    for (int i = 0; i < 4; i++)
        if (strcmp(names[i], u->theme.name) == 0)
            at = i;
    ui_apply_theme(u, names[(at + 1) % 4]);
    /* a matter of the screen, not of the scenario: remembered in prefs, not a change to ask about */
    snprintf(u->prefs.theme, sizeof u->prefs.theme, "%s", u->theme.name);
    prefs_save(&u->prefs);
    ui_message(u, " theme: %s", u->theme.name);
}

int key_save_dialog(struct ui *u, int ch)
{
    size_t l = strlen(u->filter);
    u->dialog_msg[0] = 0;
    if (ch == 27) {
        u->overlay = OV_NONE;
    } else if (ch == '\n' || ch == KEY_ENTER) {
        const char *name = l ? u->filter : u->session_name;
        if (*name) {
            char keep[64];
            snprintf(keep, sizeof keep, "%s", name);
            u->overlay = OV_NONE;
            save_as(u, keep);
        } else {
            snprintf(u->dialog_msg, sizeof u->dialog_msg, "type a name first");
        }
    } else if (key_is_back(ch) && l) {
        u->filter[l - 1] = 0;
    } else if (ch < 127 && (isalnum(ch) || ch == '-' || ch == '_' || ch == '.')) {
        if (l + 1 < 48) {
            u->filter[l] = (char)ch;
            u->filter[l + 1] = 0;
        } else {
            snprintf(u->dialog_msg, sizeof u->dialog_msg, "names are at most 47 characters");
        }
    } else if (ch >= 32 && ch < 127) {
        snprintf(u->dialog_msg, sizeof u->dialog_msg, "'%c' is not allowed: letters, digits, - _ . only", ch);
    }
    return KEEP;
}

int key_quit(struct ui *u, int ch)
{
    if (u->ask_open && (ch == 'y' || ch == 'Y' || ch == 'n' || ch == 'N')) {
        /* y saves first; n goes on to the list, where Esc still keeps the changes */
        if ((ch == 'y' || ch == 'Y') && !save_as(u, u->session_name[0] ? u->session_name : "last"))
            return KEEP;
        u->ask_open = false;
        ui_open_load(u);
        return KEEP;
    }
    if (ch == 'y' || ch == 'Y') {
        const char *name = u->session_name[0] ? u->session_name : "last";
        if (!save_as(u, name))
            return KEEP;
        snprintf(u->exit_note, sizeof u->exit_note, "rooftop: saved the session to %s (reopen: rooftop -s %s)\n",
                 u->session_file, name);
        return QUIT;
    }
    if (ch == 'n' || ch == 'N')
        return QUIT;
    if (ch == 'c' || ch == 'C' || ch == 27) {
        u->overlay = OV_NONE;
        u->ask_open = false;
    }
    return KEEP;
}

void draw_save(const struct ui *u)
{
    struct rect r = paint_centered(7, 58);
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
    struct rect r = paint_centered(7, 64);
    char path[4096];
    session_named_path(u->session_name[0] ? u->session_name : "last", path, sizeof path);
    paint_box(r, "Unsaved changes");
    paint_text(r.y + 2, r.x + 2, r.w - 4, ROLE_NORMAL,
               u->ask_open ? "Save before opening another?  (y)es  (n)o  (c)ancel"
                           : "Save before quitting?  (y)es  (n)o  (c)ancel");
    paint_textf(r.y + 4, r.x + 2, r.w - 4, ROLE_DIM, "y saves to %s", path);
}
