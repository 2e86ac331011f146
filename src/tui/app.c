/* app.c - the dashboard's event loop.  It sleeps in poll() until a key, a
 * resize or a signal arrives; every change recomputes the estimate through
 * the core and redraws (curses sends only the cells that changed).  The
 * terminal is restored on every exit path: q, and every signal whose default
 * action ends the process (a clean exit for the termination signals, restore
 * then re-raise for the core-dumping ones); only SIGKILL cannot be caught. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tui/ui.h"
#include "tui/overlays.h"
#include "tui/paint.h"
#include "tui/prefs.h"
#include "tui/tui.h"
#include "machine/local.h"

static volatile sig_atomic_t quit_signal;
static int wake_pipe[2] = { -1, -1 };
static bool curses_on;

static void on_quit(int sig)
{
    quit_signal = sig;
    int saved = errno;
    if (wake_pipe[1] >= 0 && write(wake_pipe[1], "q", 1) < 0) {
        /* nothing to do: poll wakes on EINTR anyway */
    }
    errno = saved;
}

static void restore_terminal(void)
{
    if (curses_on) {
        curses_on = false;
        endwin();
    }
}

/* A crash: put the terminal back, then let the default action (core dump, ASan) run. */
static void on_crash(int sig)
{
    restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_quit; /* no SA_RESTART: poll returns EINTR */
    sigemptyset(&sa.sa_mask);
    /* signals whose default action is to end the process: leave the loop cleanly */
    static const int quit_sigs[] = {
        SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGVTALRM, SIGPROF,
#ifdef SIGIO
        SIGIO,
#endif
#ifdef SIGPWR
        SIGPWR,
#endif
#ifdef SIGSTKFLT
        SIGSTKFLT,
#endif
    };
    for (size_t i = 0; i < sizeof quit_sigs / sizeof quit_sigs[0]; i++)
        sigaction(quit_sigs[i], &sa, NULL);
#if defined(SIGRTMIN) && defined(SIGRTMAX)
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) /* real-time signals end a process too */
        sigaction(sig, &sa, NULL);
#endif
    /* faults and limits: restore, then the default action (a core dump, ASan's report) */
    static const int crash_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGILL, SIGTRAP, SIGSYS, SIGXCPU, SIGXFSZ };
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_RESETHAND;
    for (size_t i = 0; i < sizeof crash_sigs / sizeof crash_sigs[0]; i++)
        sigaction(crash_sigs[i], &sa, NULL);
}

static void apply_theme(struct ui *u, const char *name)
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
    pi->bits = ch == CH_KV_FORMAT ? rs.s.kv->bits : rs.s.weights->bits;
}

/* What a local model's row depends on besides the file: the scenario (FNV-1a). */
static unsigned long long pick_key(const struct ui *u)
{
    const struct rt_spec *s = &u->spec;
    char buf[512];
    snprintf(buf, sizeof buf, "%s|%lld|%lld|%lld|%lld|%s|%s|%s|%lld|%lld|%lld|%.17g|%.17g|%.17g|%lld", s->gpu,
             (long long)s->devices, (long long)s->tp, (long long)s->pp, (long long)s->ep, s->weights, s->kv, s->engine,
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
        if (picker_is_heading(u->pick_ids[i]) || ch == CH_API)
            continue;
        if (ch == CH_MODEL && local_model_name(u->pick_ids[i])) {
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
        pick_fill_info(u);
    } else { /* saved sessions: by substring of the name */
        u->pick_n = 0;
        for (int i = 0; i < PICK_MAX && u->load_names[i][0]; i++)
            if (strstr(u->load_names[i], u->filter)) {
                u->pick_ids[u->pick_n] = u->load_names[i];
                u->pick_names[u->pick_n++] = u->load_notes[i];
            }
    }
    u->pick_cursor = u->pick_n > 1 && picker_is_heading(u->pick_ids[0]) ? 1 : 0;
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
        snprintf(u->load_desc[i], sizeof u->load_desc[i], "%-5s %s %lldx %s %s%s",
                 !r.fits ? "no" : r.free_bytes < 0 ? "pages" : "fits",
                 rs.s.model->id, (long long)rs.s.devices, rs.s.device->id, rs.s.weights->id, note);
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
    if (copy)
        ui_message(u, " saved your copy of the example to %s", path);
    else
        ui_message(u, " saved %s", path);
    u->example = false;
    u->dirty = false;
    remember(u, name);
    return true;
}

static void load_session(struct ui *u, const char *name)
{
    char path[4096], err[512];
    struct session s;
    if (session_open_named(name, &s, path, sizeof path, err, sizeof err) != RT_OK) {
        /* a broken file shows its error and keeps the current scenario */
        ui_message(u, " %s", err);
        return;
    }
    u->spec = s.spec;
    int f = field_parse(s.field);
    if (f >= 0)
        u->sel = f;
    if (strcmp(s.theme, u->theme.name) && u->color)
        apply_theme(u, s.theme);
    snprintf(u->session_name, sizeof u->session_name, "%s", name);
    snprintf(u->session_file, sizeof u->session_file, "%s", path);
    u->example = strstr(path, "(built in)") != NULL;
    u->dirty = false;
    ui_recompute(u);
    ui_message(u, " opened %s%s", path, u->example ? ": saving makes your own copy" : "");
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
    apply_theme(u, names[(at + 1) % 4]);
    /* a matter of the screen, not of the scenario: remembered in prefs, not a change to ask about */
    snprintf(u->prefs.theme, sizeof u->prefs.theme, "%s", u->theme.name);
    prefs_save(&u->prefs);
    ui_message(u, " theme: %s", u->theme.name);
}

static bool is_back(int ch) { return ch == KEY_BACKSPACE || ch == 127 || ch == 8; }

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
    } else if (is_back(ch) && l) {
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

static void pick_move(struct ui *u, int to)
{
    if (to >= 0 && to < u->pick_n && picker_is_heading(u->pick_ids[to])) /* a heading is stepped over */
        to += to < u->pick_cursor ? -1 : 1;
    if (to >= u->pick_n)
        to = u->pick_n - 1;
    if (to < 0)
        to = 0;
    u->pick_cursor = to;
}

static void pick_choose(struct ui *u)
{
    if (u->pick_n <= 0 || picker_is_heading(u->pick_ids[u->pick_cursor]))
        return;
    const char *id = u->pick_ids[u->pick_cursor];
    enum overlay was = u->overlay;
    u->overlay = OV_NONE;
    if (was == OV_LOAD) {
        char name[64];
        snprintf(name, sizeof name, "%s", id);
        load_session(u, name);
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
    } else if (is_back(ch) && l) {
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

int key_help(struct ui *u, int ch)
{
    int n = help_lines(), max = n - help_rows() > 0 ? n - help_rows() : 0; /* wrapped to the width */
    if (ch == KEY_DOWN || ch == 'j' || ch == KEY_NPAGE || ch == KEY_END) {
        u->help_top += ch == KEY_DOWN || ch == 'j' ? 1 : ch == KEY_NPAGE ? help_rows() : n;
        if (u->help_top > max)
            u->help_top = max;
    } else if (ch == KEY_UP || ch == 'k' || ch == KEY_PPAGE || ch == KEY_HOME) {
        u->help_top -= ch == KEY_UP || ch == 'k' ? 1 : ch == KEY_PPAGE ? help_rows() : n;
        if (u->help_top < 0)
            u->help_top = 0;
    } else {
        u->overlay = OV_NONE;
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

int key_close(struct ui *u, int ch)
{
    (void)ch;
    u->overlay = OV_NONE;
    return KEEP;
}

/* The open overlay's view takes the key (the table of views, overlays.c). */
static int key_overlay(struct ui *u, int ch)
{
    const struct view *v = &views[u->overlay];
    /* outside the lists, the wheel scrolls as Up and Down do; a click closes a note */
    if (ch == KEY_MOUSE && v->mouse != OVM_LIST) {
        MEVENT ev;
        if (getmouse(&ev) != OK)
            return KEEP;
        if (ev.bstate & BUTTON4_PRESSED)
            ch = KEY_UP;
        else if (ev.bstate & BUTTON5_PRESSED)
            ch = KEY_DOWN;
        else if (v->mouse == OVM_CLICK)
            ch = 27;
        else
            return KEEP;
    }
    return v->key ? v->key(u, ch) : KEEP;
}

/* Typing a number into the selected field: digits and a k or m suffix;
 * a value out of range is refused with a message, never clamped. */
static int key_edit(struct ui *u, int ch)
{
    size_t l = strlen(u->edit);
    if (((ch >= '0' && ch <= '9') || strchr(field_is_real(u->sel) ? "." : "kKmM", ch)) && ch < 128 && ch > 0) {
        if (l + 1 < 21) {
            u->edit[l] = (char)ch;
            u->edit[l + 1] = 0;
        } else {
            ui_message(u, " %s: too many digits", field_label(u->sel));
        }
    } else if (is_back(ch) && l) {
        u->edit[l - 1] = 0;
    } else if (ch == '\n' || ch == KEY_ENTER) {
        if (!l) {
            u->editing = false;
            return KEEP;
        }
        char err[160];
        bool changed;
        if (field_enter_typed(&u->spec, u->sel, u->edit, &changed, err, sizeof err) != 0) {
            ui_message(u, " %s", err); /* keep editing: the user fixes it or presses Esc */
            return KEEP;
        }
        u->editing = false;
        if (changed)
            ui_changed(u);
    } else if (ch == 27) {
        u->editing = false;
    }
    return KEEP;
}

static int key_mouse(struct ui *u)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return KEEP;
    int f = form_field_at(u, ev.y, ev.x);
    if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
        /* the wheel over a field steps it; elsewhere it moves between fields */
        int dir = ev.bstate & BUTTON4_PRESSED ? +1 : -1;
        if (f >= 0) {
            u->sel = f;
            if (field_step(u->cat, &u->spec, u->sel, dir, false))
                ui_changed(u);
        } else {
            u->sel = ((u->sel + form_fields() - dir) % form_fields());
        }
        return KEEP;
    }
    if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
        return KEEP;
    int sf = -1;
    int64_t b = slider_value_at(u, ev.y, ev.x, &sf);
    int key = status_key_at(u, ev.y, ev.x); /* a click on the bottom bar, as in htop */
    if (key)
        return keys_main(u, key);
    const char *fig = answer_figure_at(u, ev.y, ev.x);
    if (fig) {
        views_open_explain(u, fig);
        return KEEP;
    }
    if (f >= 0) {
        u->sel = f;
        int arrow = form_arrow_at(u, ev.y, ev.x); /* the < and > around a choice */
        if (arrow && field_step(u->cat, &u->spec, u->sel, arrow, false))
            ui_changed(u);
    } else if (b >= 0 && sf >= 0) { /* the slider: the field it shows */
        u->sel = sf;
        if (field_set_number(&u->spec, sf, b))
            ui_changed(u);
    }
    return KEEP;
}

static void relayout(struct ui *u) { layout_compute(LINES, COLS, panels, panel_count, &u->lay); }

static bool is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static char start_message[256];

void tui_start_message(const char *msg) { snprintf(start_message, sizeof start_message, " %s", msg ? msg : ""); }
/* Cursor and editing keys in both encodings: terminals in normal cursor mode
 * send ESC [ A where the terminfo entry (application mode) says ESC O A. */
static void define_keys(void)
{
    static const struct { const char *seq; int key; } k[] = {
        { "\033[A", KEY_UP }, { "\033[B", KEY_DOWN }, { "\033[C", KEY_RIGHT }, { "\033[D", KEY_LEFT },
        { "\033OA", KEY_UP }, { "\033OB", KEY_DOWN }, { "\033OC", KEY_RIGHT }, { "\033OD", KEY_LEFT },
        { "\033[H", KEY_HOME }, { "\033[F", KEY_END }, { "\033OH", KEY_HOME }, { "\033OF", KEY_END },
        { "\033[1~", KEY_HOME }, { "\033[4~", KEY_END }, { "\033[7~", KEY_HOME }, { "\033[8~", KEY_END },
        { "\033[5~", KEY_PPAGE }, { "\033[6~", KEY_NPAGE }, { "\033[Z", KEY_BTAB },
        { "\033OP", KEY_F(1) }, { "\033OQ", KEY_F(2) }, { "\033OR", KEY_F(3) }, { "\033OS", KEY_F(4) },
        { "\033[15~", KEY_F(5) }, { "\033[17~", KEY_F(6) }, { "\033[18~", KEY_F(7) }, { "\033[19~", KEY_F(8) },
        { "\033[21~", KEY_F(10) },
        { "\033[11~", KEY_F(1) }, { "\033[12~", KEY_F(2) }, { "\033[13~", KEY_F(3) }, { "\033[14~", KEY_F(4) },
        /* the Linux console's F1-F5 */
        { "\033[[A", KEY_F(1) }, { "\033[[B", KEY_F(2) }, { "\033[[C", KEY_F(3) }, { "\033[[D", KEY_F(4) },
        { "\033[[E", KEY_F(5) },
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (key_defined(k[i].seq) <= 0)
            define_key(k[i].seq, k[i].key);
}

/* After an ESC: the rest of a control sequence curses did not recognise (it
 * hands those over byte by byte), read and dropped whole: CSI (ESC [ params
 * intermediates final, and the Linux console's ESC [ [ X) and SS3 (ESC O X).
 * True when one was dropped; anything else is put back and ESC is Esc. */
static bool swallow_escape(void)
{
    int c = getch();
    if (c == ERR)
        return false;
    if (c == 'O') {
        if (getch() == ERR)
            ungetch('O'); /* Esc, then O typed */
        else
            return true;
        return false;
    }
    if (c != '[') {
        ungetch(c);
        return false;
    }
    c = getch();
    if (c == '[') { /* the Linux console's F1-F5: ESC [ [ A..E */
        getch();
        return true;
    }
    /* parameter bytes 0x30-0x3f, intermediate bytes 0x20-0x2f, then one final byte 0x40-0x7e */
    for (int i = 0; c != ERR && i < 64; i++, c = getch()) {
        if (c >= 0x40 && c <= 0x7e)
            return true;
        if (c < 0x20 || c > 0x3f) { /* not part of a sequence: a key of its own */
            ungetch(c);
            return true;
        }
    }
    return true;
}

int tui_run(const struct catalog *cat, struct session *ses, const char *session_file, bool no_color)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "rooftop: the dashboard needs a terminal (use --print for scripts)\n");
        return 2;
    }
    static struct ui u;
    static struct model_cache models;
    memset(&u, 0, sizeof u);
    u.cat = cat;
    u.models = &models;
    u.spec = ses->spec;
    int f = field_parse(ses->field);
    u.sel = f >= 0 ? f : field_named("batch");
    prefs_load(&u.prefs);
    const char *theme = ses->theme[0] ? ses->theme : "default";
    if (session_file) {
        snprintf(u.session_file, sizeof u.session_file, "%s", session_file);
        const char *base = strrchr(session_file, '/');
        snprintf(u.session_name, sizeof u.session_name, "%s", base ? base + 1 : session_file);
        size_t l = strlen(u.session_name); /* only the last ".cfg": foo.cfg.cfg is session foo.cfg */
        if (l > 4 && strcmp(u.session_name + l - 4, ".cfg") == 0)
            u.session_name[l - 4] = 0;
        u.example = strstr(session_file, "(built in)") != NULL;
    } else if (strcmp(theme, "default") == 0 && u.prefs.theme[0]) {
        theme = u.prefs.theme; /* the default session takes the theme chosen last */
    }
    const char *nc = getenv("NO_COLOR");
    u.color = !no_color && !(nc && *nc);
    u.utf8 = is_utf8();

    if (pipe(wake_pipe) == 0) {
        fcntl(wake_pipe[0], F_SETFL, O_NONBLOCK);
        fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK);
    }
    install_signals();
    atexit(restore_terminal);
    if (!initscr()) {
        fprintf(stderr, "rooftop: cannot initialise the terminal\n");
        return 1;
    }
    curses_on = true;
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    define_keys();
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    mouseinterval(0);
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    u.theme.name[0] = 0;
    apply_theme(&u, theme);
    relayout(&u);
    ui_recompute(&u);
    if (start_message[1])
        snprintf(u.message, sizeof u.message, "%s", start_message);

    int rc = 0;
    bool redraw = true;
    for (;;) {
        if (quit_signal == SIGINT && u.dirty && u.overlay != OV_QUIT) {
            /* Ctrl-C with unsaved changes asks, as q does; a second Ctrl-C quits */
            quit_signal = 0;
            u.ask_open = false;
            u.editing = false;
            u.overlay = OV_QUIT;
            ui_message(&u, " Ctrl-C again quits without saving");
            redraw = true;
        }
        if (quit_signal)
            break;
        if (redraw) {
            draw_all(&u);
            wnoutrefresh(stdscr);
            doupdate();
            redraw = false;
        }
        struct pollfd pf[2] = { { STDIN_FILENO, POLLIN, 0 }, { wake_pipe[0], POLLIN, 0 } };
        /* work left between frames (the solver's slices): look for keys, do not wait for them */
        int n = poll(pf, wake_pipe[0] >= 0 ? 2 : 1, solve_busy() || picker_busy(&u) ? 0 : -1);
        if (n < 0 && errno != EINTR)
            break; /* EINTR: a signal, looked at above; SIGWINCH comes back from getch as KEY_RESIZE */
        if (pf[0].revents & (POLLHUP | POLLERR)) /* the terminal went away */
            break;
        int ch;
        while ((ch = getch()) != ERR) {
            redraw = true;
            if (ch == KEY_RESIZE) {
                relayout(&u);
                continue;
            }
            if (ch == '\r')
                ch = '\n';
            if (ch == 27 && swallow_escape())
                continue; /* a sequence curses does not know: not a key, and not Esc then text */
            u.message[0] = 0;
            int r = u.overlay != OV_NONE ? key_overlay(&u, ch)
                    : u.editing         ? key_edit(&u, ch)
                    : ch == KEY_MOUSE   ? key_mouse(&u)
                                        : keys_main(&u, ch);
            if (r == QUIT)
                goto out;
        }
        if (solve_busy() && u.overlay == OV_SOLVE && !redraw) { /* the frame first, then a slice */
            solve_work(&u);
            redraw = true;
        }
        if (picker_busy(&u) && !redraw) {
            picker_work(&u);
            redraw = true;
        }
    }
out:
    restore_terminal();
    if (u.exit_note[0])
        fputs(u.exit_note, stdout); /* after endwin, where the user can read it */
    if (quit_signal == SIGINT)
        rc = 130;
    else if (quit_signal)
        rc = 128 + quit_signal;
    return rc;
}
