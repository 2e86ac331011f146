/* ui.h - the dashboard's state, shared by the key actions (keys.c), the
 * event loop (app.c) and the panels, which only read it. */
#ifndef ROOFTOP_TUI_UI_H
#define ROOFTOP_TUI_UI_H

#include <stdbool.h>
#include <stdio.h>
#include "tui/form.h"
#include "tui/layout.h"
#include "catalog/theme.h"
#include "core/core.h"
#include "base/units.h"
#include "tui/prefs.h"
#include "machine/rank.h"
#include "scenario/solver.h"
#include "machine/local.h"

/* The overlays: views over the dashboard, one row each (as tmux's window modes and
 * htop's panel classes): id, name, how keys reach it, how it draws, the keys that
 * close it besides Esc and q (0: none), and how the mouse is handled (OVM_LIST: the
 * list takes it; OVM_CLICK: a click closes it; OVM_WHEEL: only the wheel, as Up and
 * Down).  The enum and the table of views (overlays.c) are generated from it. */
#define OVERLAYS(X)                                                                          \
    X(NONE,    "dashboard", NULL,            NULL,         0,   0,         OVM_WHEEL)        \
    X(PICKER,  "picker",    key_picker,      draw_picker,  0,   0,         OVM_LIST)         \
    X(HELP,    "help",      key_help,        draw_help,    0,   0,         OVM_CLICK)        \
    X(SAVE,    "save",      key_save_dialog, draw_save,    0,   0,         OVM_WHEEL)        \
    X(LOAD,    "open",      key_picker,      draw_picker,  0,   0,         OVM_LIST)         \
    X(QUIT,    "quit",      key_quit,        draw_quit,    0,   0,         OVM_WHEEL)        \
    X(NOTES,   "notes",     key_close,       draw_notes,   0,   0,         OVM_CLICK)        \
    X(COMPARE, "compare",   key_views,       view_compare, 'v', KEY_F(5),  OVM_WHEEL)        \
    X(EXPLAIN, "explain",   key_views,       view_explain, 'x', KEY_F(4),  OVM_WHEEL)        \
    X(SOLVE,   "solve",     key_solve,       view_solve,   'S', KEY_F(6),  OVM_WHEEL)        \
    X(RANK,    "rank",      key_rank,        view_rank,    'r', KEY_F(7),  OVM_LIST)         \
    X(LAUNCH,  "launch",    key_launch,      view_launch,  0,   0,         OVM_WHEEL)

#define OV_ENUM(id, name, key, draw, k1, k2, mouse) OV_##id,
enum overlay { OVERLAYS(OV_ENUM) OV_N };
#undef OV_ENUM

enum overlay_mouse { OVM_WHEEL, OVM_LIST, OVM_CLICK };
struct ui;
struct view {
    const char *name;
    int (*key)(struct ui *u, int ch);
    void (*draw)(const struct ui *u);
    enum overlay_mouse mouse;
};
extern const struct view views[OV_N];
/* Whether ch closes the open overlay's view: Esc, q, or one of its own keys (view_keys.c). */
bool view_closes(const struct ui *u, int ch);

#define PICK_MAX 512
#define UI_EGPU_MAX 192 /* eGPU rows in the GPU picker: each enclosable card over each link */
#define UI_HINTS 6

/* The views' own state, one struct per view, held by the dashboard's struct ui
 * (as htop's panels and tmux's window modes hold their data): a view keeps
 * nothing in its file, so two dashboards (or a test) never share it. */
struct rank_view {                  /* v_rank.c: what fits here */
    struct rank_table table;
    bool table_init;
    enum rank_sort sort_by;         /* RANK_BY_FIT (0) at the start */
    bool reversed;                  /* I: the sort's opposite order */
    char search[64];                /* /: only the rows whose model id or name holds it */
    bool typing;                    /* the filter is being typed */
    int *shown;                     /* the rows the filter keeps, in order */
    int n_shown, shown_cap;
    int cursor;                     /* into shown */
    double build_ms;
};
#define SOLVE_ROWS 50
struct solve_view {                 /* v_solve.c: the cheapest setups that meet the targets */
    struct rt_solution rows[SOLVE_ROWS];
    long nrows;
    int cursor;
    char why[256];
    double solve_ms;
    /* the search in progress: its space, the next setup to try, the scenario and options it runs on */
    struct rt_solution *space;
    long space_n, space_next;
    struct rt_resolved base;
    struct rt_solve_opts opts;
    bool running;
};

struct ui {
    const struct catalog *cat;
    struct rt_spec spec;
    struct rt_spec last_spec;       /* as last estimated: what a change changed */
    struct rt_resolved rs;
    struct rt_result res;
    bool valid;
    struct model_cache *models;     /* the model file last read: not read again per key */
    struct rt_spec resolved_spec;   /* what rs was resolved from (spec_same_resolve: no resolve again) */
    bool resolved;
    char error[512];
    char message[256];
    char hints[UI_HINTS][160];      /* when it does not fit: what would, each checked */
    double hint_speed[UI_HINTS];    /* tokens/s per sequence the hint gives (0: not a setup, e.g. a smaller batch) */
    int n_hints;
    int sel;                        /* the selected field (form.h) */
    bool editing;                   /* typing a number into a number field */
    char edit[32];
    enum overlay overlay;
    int help_top;                   /* the help overlay's first line shown */
    char filter[64];                /* picker filter, or the save name being typed */
    int pick_cursor, pick_n, pick_top;
    bool searching;                 /* '/' typed or a filter being typed */
    const char *pick_ids[PICK_MAX], *pick_names[PICK_MAX];
    char egpu_ids[UI_EGPU_MAX][RT_ID_MAX];   /* the GPU picker's cards in a Thunderbolt enclosure (ID@LINK) */
    char egpu_names[UI_EGPU_MAX][RT_NAME_MAX];
    char load_names[PICK_MAX][64];
    const char *load_notes[PICK_MAX];
    char load_desc[PICK_MAX][128];  /* fit and scenario of each saved session */
    struct pick_info {              /* each choice tried through the core */
        bool valid, fits;
        bool pending;               /* a local file not worked out yet (picker_work) */
        double params, weights_bytes, per_device, capacity, bits, bandwidth;
    } pick_info[PICK_MAX];
    char dialog_msg[128];           /* the save dialog's complaint about a character */
    bool dirty;
    bool ask_open;                  /* the unsaved-changes question leads to the session list, not out */
    char session_name[64];
    char session_file[4096];
    bool example;                   /* opened from the examples shipped with rooftop */
    char exit_note[4200];           /* printed after the terminal is restored */
    struct prefs prefs;
    /* compare: the scenario pinned as A */
    bool pin_valid;
    struct rt_spec pin_spec;
    struct rt_resolved pin_rs;
    struct rt_result pin_res;
    int view_cursor;                /* the compare view's row */
    /* explain: the figure shown (index into figures[]) */
    int explain_fig, explain_scroll;
    bool explain_searching, explain_back;
    char explain_search[32];
    int explain_input;              /* which of the figure's inputs Enter opens */
    int explain_hist[16], explain_hist_n; /* figures opened through Enter, for Backspace */
    struct theme theme;
    bool color, utf8;
    struct layout lay;
    struct rank_view rank;
    struct solve_view solve;
    struct lm_list local;           /* the picker's models on this machine (v_machine.c) */
    bool local_found;               /* looked for, once a session: the walk is bounded, not free */
};

enum { KEEP, QUIT };

/* The estimate for the current spec (state.c). */
/* Resolve (through the model cache) and estimate a spec: false with the reason in err (state.c). */
bool ui_estimate_spec(const struct ui *u, const struct rt_spec *sp, struct rt_resolved *rs, struct rt_result *res,
                      char *err, size_t errlen);
void ui_recompute(struct ui *u);
/* The same without the serving run (rate 0): for limits that do not depend on the rate. */
void ui_recompute_static(struct ui *u);
/* A user change: marks the session modified and recomputes. */
void ui_changed(struct ui *u);
void ui_open_picker(struct ui *u);   /* picker.c */
void ui_open_load(struct ui *u);     /* sessions.c: the saved sessions, in the picker */
void ui_open_save(struct ui *u);
void ui_next_theme(struct ui *u);
void ui_message(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Keys (keys.c): the main screen's keys from one table. */
int keys_main(struct ui *u, int ch);
struct key_help { const char *keys, *help; };
/* The help overlay's lines, from the same table; returns the count. */
int keys_help(struct key_help *out, int max);
/* The KEYS section of the man page, in roff. */
void keys_man(FILE *o);
/* The status bar's entries: key name and short label, in order. */
int keys_bar(const char **keys, const char **labels, int *codes, int max);
/* The key of the bottom bar's entry at column x (a click), 0 if none. */
int status_key_at(const struct ui *u, int y, int x);

/* The compare and explain views (views.c). */
void view_compare(const struct ui *u);
void view_explain(const struct ui *u);
void views_pin(struct ui *u);
void views_open_compare(struct ui *u);
void views_open_explain(struct ui *u, const char *key); /* NULL: the selected field's figure */
void views_key(struct ui *u, int ch);
/* The cursor keys of a list view (compare, solve, rank): moves *c, true when ch is one (view_keys.c). */
bool view_list_key(int ch, int *c, int n);
/* A monotonic clock in milliseconds, for the views that time their own work. */
double ui_now_ms(void);
const char *answer_figure_at(const struct ui *u, int y, int x);
/* The figure key of the current result in buf, formatted as the --print table
 * does ("?" for a key the table lacks); returns buf. */
const char *ui_figure(const struct ui *u, const char *key, char *buf, size_t n);
/* A figure's value by its key (0 where the scenario has none). */
double ui_value(const struct ui *u, const char *key);
/* A text figure's text by its key ("" for a key the table lacks). */
const char *ui_text(const struct ui *u, const char *key);
/* A value in the unit of the figure KEY, formatted as that figure is (a magnitude, or a
 * difference of two figures); returns buf. */
const char *ui_in_unit(const char *key, double v, char *buf, size_t n);
/* A figure as a column names and formats it (output/columns.h); returns buf. */
struct column;
const char *ui_cell(const struct ui *u, const struct column *col, char *buf, size_t n);

/* Serving under load, cost, the solver and the machine (p_serving.c, p_cost.c,
 * v_solve.c, v_rank.c, v_machine.c). */
#define TUI_SERVE_REQUESTS 2000     /* the most requests the dashboard simulates per change */
/* One line of serving figures, for a short Answer panel. */
void serving_line(const struct ui *u, int y, int x, int w);
void view_solve(const struct ui *u);
void solve_open(struct ui *u);
void solve_key(struct ui *u, int ch);
/* The solver runs in slices between frames: whether work is left, and one slice of it. */
bool solve_busy(const struct ui *u);
void solve_work(struct ui *u);
void view_rank(const struct ui *u);
void rank_open(struct ui *u);
void rank_key(struct ui *u, int ch);
void view_launch(const struct ui *u);
void launch_open(struct ui *u);
/* The launch line of the current scenario: RT_OK, or RT_EINVAL with the reason in buf. */
int launch_text(const struct ui *u, char *buf, size_t n, char *note, size_t notelen);
/* Rows of the Answer panel from y on: the launch line at its foot when rows are left. */
void answer_launch_footer(const struct ui *u, struct rect r, int y);
/* A device list's devices (layers, memory, fit) and the slowest stage, from row y;
 * returns the next row (p_devices.c). */
int answer_devices(const struct ui *u, int y, int end, int x, int w);
/* Local models in the model picker: appended under their own heading after the
 * catalog's n choices; returns the new count. */
int picker_add_local(struct ui *u, int n);
bool picker_is_heading(const char *id);
/* Local rows are worked out between frames, a slice at a time (picker.c, called by app.c). */
#define PICK_SLICE_MS 5.0
bool picker_busy(const struct ui *u);
void picker_work(struct ui *u);
/* The picker's row k when it is a local model or their heading; false for others. */
bool picker_local_row(const struct ui *u, int k, char *buf, size_t n, int w);
/* The name of the local model at path (picked this session), or NULL. */
const char *local_model_name(const struct ui *u, const char *path);

/* The help overlay's rows on screen, and its display lines at this width (long texts wrap): help.c. */
int help_rows(void);
int help_lines(void);
/* Drawing (draw.c): every panel, then the overlay. */
void draw_all(const struct ui *u);
/* The panels (panels.c) and the rectangle of the one named NAME. */
extern const struct panel panels[];
extern const int panel_count;
static inline struct rect ui_panel_rect(const struct ui *u, const char *name) { return layout_rect(&u->lay, name); }
/* Which field is on screen row y (mouse), -1 if none. */
int form_field_at(const struct ui *u, int y, int x);
/* -1 or +1 when (y, x) is on the < or > of a choice field, else 0. */
int form_arrow_at(const struct ui *u, int y, int x);
/* The picker row under (y, x), -1 if none; whether (y, x) is inside the picker (picker.c). */
int picker_row_at(const struct ui *u, int y, int x);
bool picker_contains(const struct ui *u, int y, int x);
/* Warnings to show: the core's, worded for the dashboard, and the dashboard's own (state.c). */
int ui_warnings(const struct ui *u, char (*out)[200], int max);
/* The value a click on the slider asks for (of the field it shows: the selected one where it
 * has a memory wall, else the batch), -1 off the slider. */
int64_t slider_value_at(const struct ui *u, int y, int x, int *field); /* -1: not on it; *field: the field it shows */
#endif
