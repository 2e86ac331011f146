/* keys.c - the main screen's keys as one table: the codes that trigger a
 * row, its action, its line in the help overlay and its label on the status
 * bar (NULL: not on the bar).  The key handler, the help and the bar all
 * read this table. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tui/ui.h"
#include "tui/paint.h"
#include "tui/overlays.h"

struct key {
    int codes[5];                   /* 0-terminated */
    const char *name;               /* as shown in the help and on the bar */
    const char *help;
    const char *bar;                /* short label for the status bar, NULL: not shown */
    int (*act)(struct ui *u, int ch);
};

static int move_field(struct ui *u, int dir)
{
    u->sel = ((u->sel + form_fields() + dir) % form_fields());
    return KEEP;
}
static int act_up(struct ui *u, int ch) { (void)ch; return move_field(u, -1); }
static int act_down(struct ui *u, int ch) { (void)ch; return move_field(u, +1); }

static int step(struct ui *u, int dir, bool pow2)
{
    char why[160];
    if (field_locked(&u->spec, u->sel, why, sizeof why))
        ui_message(u, " %s", why);
    else if (field_step(u->cat, &u->spec, u->sel, dir, pow2))
        ui_changed(u);
    return KEEP;
}
static int act_left(struct ui *u, int ch) { (void)ch; return step(u, -1, false); }
static int act_right(struct ui *u, int ch) { (void)ch; return step(u, +1, false); }
static int act_halve(struct ui *u, int ch) { (void)ch; return step(u, -1, true); }
static int act_double(struct ui *u, int ch) { (void)ch; return step(u, +1, true); }

static int act_enter(struct ui *u, int ch)
{
    (void)ch;
    if (field_is_picker(u->sel) || !field_is_number(u->sel))
        ui_open_picker(u);
    return KEEP;
}

static int act_digit(struct ui *u, int ch)
{
    char why[160];
    if (field_locked(&u->spec, u->sel, why, sizeof why))
        ui_message(u, " %s", why);
    else if (field_is_number(u->sel) && !field_is_picker(u->sel)) {
        u->editing = true;
        u->edit[0] = (char)ch;
        u->edit[1] = 0;
    } else { /* a choice: its list, searched from the digit (4 on GPU: the 4090s, 2 on Disagg: 2:1 ...) */
        ui_open_picker(u);
        key_picker(u, ch);
    }
    return KEEP;
}

static int act_max_batch(struct ui *u, int ch)
{
    (void)ch;
    if (u->valid && u->res.max_batch > 0 && field_set_number(&u->spec, field_named("batch"), u->res.max_batch)) {
        u->sel = field_named("batch");
        ui_changed(u);
    }
    return KEEP;
}

/* The longest context that fits; the core stops at the model's trained
 * context, beyond which it needs rope scaling. */
static int act_max_context(struct ui *u, int ch)
{
    (void)ch;
    if (!u->valid || u->res.max_context <= u->spec.output) {
        ui_message(u, " no context longer than the output fits");
        return KEEP;
    }
    int64_t ctx = u->res.max_context;
    const struct rt_model *m = u->rs.s.model;
    if (field_set_number(&u->spec, field_named("prompt"), ctx - u->spec.output)) {
        u->sel = field_named("prompt");
        ui_changed(u);
    }
    char a[32];
    fmt_count(a, sizeof a, ctx);
    if (m->max_context > 0 && ctx >= m->max_context)
        ui_message(u, " context %s: the model's trained limit (longer needs rope scaling)", a);
    else
        ui_message(u, " context %s: the most that fits in memory", a);
    return KEEP;
}

/* The most layers the device holds, the rest in host memory; from zero, so
 * that it works from any state, even an invalid layer count. */
static int act_offload(struct ui *u, int ch)
{
    (void)ch;
    u->spec.gpu_layers = 0;
    ui_recompute_static(u);
    if (u->valid && u->res.max_gpu_layers >= 0) {
        const struct rt_model *m = u->rs.s.model;
        u->spec.gpu_layers = u->res.max_gpu_layers >= m->layers ? -1 : u->res.max_gpu_layers;
        u->sel = field_named("gpu_layers");
        if (u->spec.gpu_layers < 0)
            ui_message(u, " GPU layers: all %lld fit, nothing to offload", (long long)m->layers);
    } else {
        ui_message(u, " offload is not possible here: %s", u->valid ? "no host memory" : u->error);
        u->spec.gpu_layers = -1;
    }
    ui_changed(u);
    return KEEP;
}

/* The fewest devices that fit, at a tensor parallel degree that divides the heads. */
static int act_fewest_devices(struct ui *u, int ch)
{
    (void)ch;
    if (!u->valid || u->res.min_devices <= 0) {
        ui_message(u, " no device count up to the heads' count fits");
        return KEEP;
    }
    int64_t n = u->res.min_devices;
    if (field_set_number(&u->spec, field_named("devices"), n))
        ui_changed(u);
    u->sel = field_named("devices");
    if (n > rt_node_devices(&u->rs.device))
        ui_message(u, " devices %lld: more than one node of %lld; what crosses nodes goes over the network", (long long)n,
                   (long long)rt_node_devices(&u->rs.device));
    else
        ui_message(u, " devices %lld: the fewest that fit", (long long)n);
    return KEEP;
}

static int act_home(struct ui *u, int ch) { (void)ch; u->sel = 0; return KEEP; }
static int act_end(struct ui *u, int ch) { (void)ch; u->sel = (form_fields() - 1); return KEEP; }

static int act_notes(struct ui *u, int ch)
{
    (void)ch;
    u->overlay = OV_NOTES;
    return KEEP;
}

static int act_pin(struct ui *u, int ch) { (void)ch; views_pin(u); return KEEP; }
static int act_compare(struct ui *u, int ch) { (void)ch; views_open_compare(u); return KEEP; }
static int act_explain(struct ui *u, int ch) { (void)ch; views_open_explain(u, NULL); return KEEP; }

static int act_solve(struct ui *u, int ch) { (void)ch; solve_open(u); return KEEP; }
static int act_rank(struct ui *u, int ch) { (void)ch; rank_open(u); return KEEP; }
static int act_launch(struct ui *u, int ch) { (void)ch; launch_open(u); return KEEP; }

static int act_save(struct ui *u, int ch) { (void)ch; ui_open_save(u); return KEEP; }
/* Opening another session replaces this one: unsaved changes are asked about first, as on quit. */
static int act_open(struct ui *u, int ch)
{
    (void)ch;
    if (u->dirty) {
        u->ask_open = true;
        u->overlay = OV_QUIT;
        return KEEP;
    }
    ui_open_load(u);
    return KEEP;
}
static int act_theme(struct ui *u, int ch) { (void)ch; ui_next_theme(u); return KEEP; }
static int act_help(struct ui *u, int ch) { (void)ch; u->overlay = OV_HELP; u->help_top = 0; return KEEP; }
static int act_redraw(struct ui *u, int ch) { (void)u; (void)ch; clearok(curscr, TRUE); return KEEP; }

static int act_none(struct ui *u, int ch) { (void)u; (void)ch; return KEEP; }

static int act_quit(struct ui *u, int ch)
{
    (void)ch;
    if (u->dirty) {
        u->ask_open = false;
        u->overlay = OV_QUIT;
        return KEEP;
    }
    return QUIT;
}

static const struct key keys[] = {
    { { KEY_UP, 'k', KEY_BTAB }, "Up k S-Tab", "previous field", NULL, act_up },
    { { KEY_DOWN, 'j', '\t' }, "Down j Tab", "next field", NULL, act_down },
    { { KEY_LEFT, 'h', '-' }, "Left h -", "step the value down (choices cycle)", NULL, act_left },
    { { KEY_RIGHT, 'l', '+' }, "Right l +", "step the value up", NULL, act_right },
    { { KEY_HOME }, "Home", "first field", NULL, act_home },
    { { KEY_END }, "End", "last field", NULL, act_end },
    { { '[', KEY_NPAGE }, "[ PgDn", "halve, to a power of two", NULL, act_halve },
    { { ']', KEY_PPAGE }, "] PgUp", "double, to a power of two", NULL, act_double },
    { { '0', '1', '2', '3', '4' }, "0-9", "type a number (8k = 8192), Enter sets it; on a choice, search its list", NULL, act_digit },
    { { '5', '6', '7', '8', '9' }, NULL, NULL, NULL, act_digit },
    { { '\n', KEY_ENTER, ' ' }, "Enter Space", "open the list of choices", NULL, act_enter },
    { { 'm' }, "m", "batch = largest that fits", "Max batch", act_max_batch },
    { { 'c' }, "c", "prompt = longest context that fits", "Max ctx", act_max_context },
    { { 'g' }, "g", "GPU layers = most that fit, the rest offloaded", "Offload", act_offload },
    { { 'd' }, "d", "devices = fewest that fit", "Devices", act_fewest_devices },
    { { 'w' }, "w", "warnings and hints in full", NULL, act_notes },
    { { KEY_F(1), '?' }, "F1 ?", "this help", "Help", act_help },
    { { KEY_F(2), 's' }, "F2 s", "save the session (asks a name)", "Save", act_save },
    { { KEY_F(3), 'o' }, "F3 o", "open a saved session", "Open", act_open },
    { { KEY_F(4), 'x' }, "F4 x", "explain a figure: formula, inputs, sources", "Explain", act_explain },
    { { 'a' }, "a", "pin the scenario as A, to compare", NULL, act_pin },
    { { KEY_F(5), 'v' }, "F5 v", "compare A (pinned; pins first) with now", "Compare", act_compare },
    { { KEY_F(6), 'S' }, "F6 S", "solver: cheapest setups for the Rate and targets; Enter loads", "Solve", act_solve },
    { { KEY_F(7), 'r' }, "F7 r", "what fits here: every model on these devices; in it, / searches, < > (F6) choose "
      "the sort column, I inverts, a click on a header sorts by it", "Fits", act_rank },
    { { KEY_F(8), 'L' }, "F8 L", "launch line: the command that runs this scenario; in it, y copies the line (OSC 52: "
      "in tmux, set -g set-clipboard on)", "Launch", act_launch },
    { { 't' }, "t", "next colour theme", "Theme", act_theme },
    { { 12 }, "Ctrl-L", "redraw the screen", NULL, act_redraw },
    { { KEY_F(10), 'q', 'Q' }, "F10 q", "quit (asks when unsaved)", "Quit", act_quit },
    { { 27 }, "Esc", "cancel: closes any dialog, list or typing", NULL, act_none },
};
#define NKEYS ((int)(sizeof keys / sizeof keys[0]))

int keys_main(struct ui *u, int ch)
{
    for (int i = 0; i < NKEYS; i++)
        for (int j = 0; j < 5 && keys[i].codes[j]; j++)
            if (keys[i].codes[j] == ch)
                return keys[i].act(u, ch);
    return KEEP;
}

int keys_help(struct key_help *out, int max)
{
    int n = 0;
    for (int i = 0; i < NKEYS && n < max; i++)
        if (keys[i].help)
            out[n++] = (struct key_help){ keys[i].name, keys[i].help };
    if (n < max)
        out[n++] = (struct key_help){ "Mouse", "click fields, < >, slider, figures, bottom bar; wheel steps" };
    /* what the bars' glyphs mean (they read the same in monochrome) */
    if (n < max)
        out[n++] = (struct key_help){ "Memory bar", "# weights  = KV cache  + activations  ~ runtime  . free  "
                                                    "| the GPU's usable share (unified memory)" };
    if (n < max)
        out[n++] = (struct key_help){ "Slider", "the selected field against its memory wall: B batch, P prompt, O output, "
                                                "D devices, G GPU layers, C CPU MoE (other fields: the batch)  | the wall  "
                                                "x past it  X the value past it" };
    return n;
}

int keys_bar(const char **names, const char **labels, int *codes, int max)
{
    /* the F-keys first, as htop shows them ("F1Help"), then the letters ("m Max batch") */
    static char buf[NKEYS][8];
    int n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < NKEYS && n < max; i++) {
            int c = keys[i].codes[0];
            bool fkey = c >= KEY_F(1) && c <= KEY_F(12);
            if (!keys[i].bar || fkey != (pass == 0))
                continue;
            if (fkey)
                snprintf(buf[i], sizeof buf[i], "F%d", c - KEY_F0);
            else
                snprintf(buf[i], sizeof buf[i], "%c ", c);
            names[n] = buf[i];
            if (codes)
                codes[n] = c;
            labels[n++] = keys[i].bar;
        }
    return n;
}

static void roff(FILE *o, const char *s)
{
    for (; *s; s++) {
        if (*s == '-')
            fputs("\\-", o);
        else if (*s == '\\')
            fputs("\\e", o);
        else
            fputc(*s, o);
    }
}

void keys_man(FILE *o)
{
    struct key_help k[64];
    int n = keys_help(k, 64);
    for (int i = 0; i < n; i++) {
        fputs(".TP\n.B ", o);
        roff(o, k[i].keys);
        fputc('\n', o);
        roff(o, k[i].help);
        fputc('\n', o);
    }
}
