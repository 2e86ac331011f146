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
#include <locale.h>
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
    } else if (key_is_back(ch) && l) {
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
        char why[160];
        if (f >= 0) {
            u->sel = f;
            if (field_locked(&u->spec, u->sel, why, sizeof why))
                ui_message(u, " %s", why);
            else if (field_step(u->cat, &u->spec, u->sel, dir, false))
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
    setlocale(LC_CTYPE, ""); /* the terminal's UTF-8 for curses; numbers stay in the C locale.  Only
                              * here: the other modes print bytes and pay nothing for it */
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
    ui_apply_theme(&u, theme);
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
        int n = poll(pf, wake_pipe[0] >= 0 ? 2 : 1, solve_busy(&u) || picker_busy(&u) ? 0 : -1);
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
            /* too small to show the dashboard: no edit happens unseen; q and F10 quit (asking
             * first, which the too-small screen shows) */
            if (u.lay.too_small && u.overlay != OV_QUIT && ch != 'q' && ch != KEY_F(10))
                continue;
            u.message[0] = 0;
            int r = u.overlay != OV_NONE ? key_overlay(&u, ch)
                    : u.editing         ? key_edit(&u, ch)
                    : ch == KEY_MOUSE   ? key_mouse(&u)
                                        : keys_main(&u, ch);
            if (r == QUIT)
                goto out;
        }
        if (solve_busy(&u) && u.overlay == OV_SOLVE && !redraw) { /* the frame first, then a slice */
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
