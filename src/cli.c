/* cli.c - the inputs table and the options table drive parsing, --help and the man page. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "base/text.h"
#include "machine/rank.h"

/* Options that choose what rooftop does; the scenario's inputs are in
 * scenario/inputs.c and parsed from the same command line. */
enum opt_id {
    O_SESSION, O_SAVE, O_FORMAT, O_PRINT, O_SWEEP, O_EXPLAIN, O_COMPARE, O_LMODELS, O_LGPUS, O_LFORMATS,
    O_LENGINES, O_LAPIS, O_SOLVE, O_ACCURACY, O_CALIBRATE, O_THEME, O_NOCOLOR, O_HELP, O_VERSION, O_MAN, O_MANFIG,
    O_DETECT, O_NODETECT, O_RANK, O_SORT, O_LAUNCH, O_LOCAL,
};

struct opt {
    enum opt_id id;
    const char *lng;
    char shrt;
    const char *arg;                /* NULL: a flag */
    const char *help;
    bool hidden;
};

static const struct opt opts[] = {
    { O_SESSION, "session", 's', "FILE", "load a saved session (a NAME looks in the sessions folder)", false },
    { O_SAVE, "save-session", 0, "FILE", "write the resulting scenario as a session file", false },
    { O_FORMAT, "format", 0, "FMT", "output format for --print and the lists: table, json or csv", false },
    { O_PRINT, "print", 0, NULL, "print the estimate for the scenario and exit", false },
    { O_SWEEP, "sweep", 0, "P=A:B[:S]", "with --print: one row per value of an input (S may be xK; or P=a,b,c)", false },
    { O_EXPLAIN, "explain", 0, "KEY", "with --print: a figure's value, formula and inputs (a JSON key)", false },
    { O_COMPARE, "compare", 0, "SESSION", "with --print: the session as A, the options' scenario as B", false },
    { O_RANK, "rank", 0, NULL, "with --print: every catalog model at each sensible weight format on the "
      "scenario's devices: fit, headroom, speed, TTFT, longest context", false },
    { O_SORT, "sort", 0, "KEY", "with --rank: fit (the largest model that fits first; the default), speed, "
      "size, context (the longest first), ttft, headroom, weights (the most bits first) or name", false },
    { O_LAUNCH, "launch", 0, NULL, "with --print: the command that runs the scenario on its engine "
      "(llama-server, vllm serve, SGLang, trtllm-serve)", false },
    { O_DETECT, "detect", 0, NULL, "list the devices found on this machine, and how (nvidia-smi, rocm-smi, "
      "sysctl, /proc)", false },
    { O_NODETECT, "no-detect", 0, NULL, "the dashboard starts on the default devices, not the detected ones", false },
    { O_LMODELS, "list-models", 0, NULL, "list the catalog's models", false },
    { O_LOCAL, "local", 0, NULL, "with --list-models: the GGUF files and Hugging Face snapshots on this machine "
      "(Ollama, LM Studio, the Hugging Face cache, llama.cpp's cache)", false },
    { O_LGPUS, "list-gpus", 0, NULL, "list the catalog's devices", false },
    { O_LFORMATS, "list-formats", 0, NULL, "list the number formats", false },
    { O_LENGINES, "list-engines", 0, NULL, "list the engine profiles", false },
    { O_LAPIS, "list-apis", 0, NULL, "list the priced API offerings, with the date and source of each price", false },
    { O_SOLVE, "solve", 0, NULL, "with --print and --rate: the cheapest setups that meet --ttft-max and --itl-max", false },
    { O_ACCURACY, "accuracy", 0, "FILE.csv", "replay measurements through the estimator, report its error", false },
    { O_CALIBRATE, "calibrate", 0, "FILE",
      "fit an engine profile to your own runs (llama-bench json/csv/md, vLLM or SGLang serving-benchmark "
      "JSON, rooftop's CSV; --gpu, --model, --engine, --bandwidth, --gpus name what the file does not), "
      "save it as local-ENGINE in your catalog folder, print the error before and after", false },
    { O_THEME, "theme", 0, "NAME", "dashboard theme: default, light, high-contrast, mono", false },
    { O_NOCOLOR, "no-color", 0, NULL, "no colours in the dashboard (NO_COLOR does the same)", false },
    { O_HELP, "help", 'h', NULL, "show this help and exit", false },
    { O_VERSION, "version", 'V', NULL, "show the version and exit", false },
    { O_MAN, "man-options", 0, NULL, "print the man page's OPTIONS section", true },
    { O_MANFIG, "man-figures", 0, NULL, "print the man page's OUTPUT section", true },
};
#define N_OPTS (sizeof opts / sizeof opts[0])

/* One option of either table. */
struct any_opt {
    const struct opt *o;
    const struct input *in;
};

static const char *any_long(struct any_opt a) { return a.o ? a.o->lng : a.in->name; }
static const char *any_arg(struct any_opt a) { return a.o ? a.o->arg : a.in->arg; }

static struct any_opt find_long(const char *name, size_t len)
{
    struct any_opt a = { NULL, NULL };
    char buf[64];
    if (len >= sizeof buf)
        return a;
    memcpy(buf, name, len);
    buf[len] = 0;
    a.in = input_by_name(buf);
    for (size_t i = 0; !a.in && i < N_OPTS; i++)
        if (strcmp(opts[i].lng, buf) == 0)
            a.o = &opts[i];
    return a;
}

static struct any_opt find_short(char c)
{
    struct any_opt a = { NULL, input_by_short(c) };
    for (size_t i = 0; !a.in && i < N_OPTS; i++)
        if (opts[i].shrt == c)
            a.o = &opts[i];
    return a;
}

const char *cli_shown(const char *v, char *buf, size_t n)
{
    enum { SHOWN_MAX = 80 };
    text_escape(buf, n, v ? v : "", true);
    size_t len = strlen(buf);
    if (len > SHOWN_MAX && n > SHOWN_MAX + 4) {
        size_t cut = SHOWN_MAX;
        while (cut > 0 && ((unsigned char)buf[cut] & 0xc0) == 0x80)
            cut--; /* not inside a UTF-8 character */
        snprintf(buf + cut, n - cut, "...");
    }
    return buf;
}

static int apply_input(struct cli *c, const struct input *in, const char *v, FILE *err)
{
    char why[128], shown[CLI_SHOWN_SIZE];
    if (!input_parse(in, &c->spec, v ? v : "true", why, sizeof why)) {
        fprintf(err, "rooftop: --%s: invalid value '%s': %s\n", in->name, cli_shown(v, shown, sizeof shown), why);
        return 1;
    }
    size_t i = (size_t)(in - inputs);
    if (i < CLI_INPUTS_MAX)
        c->given[i] = true;
    return 0;
}

static int apply(struct cli *c, const struct opt *o, const char *v, FILE *err)
{
    char shown[CLI_SHOWN_SIZE];
    switch (o->id) {
    case O_SESSION: c->session = v; return 0;
    case O_SAVE: c->save_session = v; return 0;
    case O_FORMAT:
        if (strcmp(v, "table") == 0) c->format = OUT_TABLE;
        else if (strcmp(v, "json") == 0) c->format = OUT_JSON;
        else if (strcmp(v, "csv") == 0) c->format = OUT_CSV;
        else {
            fprintf(err, "rooftop: --format: invalid value '%s': expected table, json or csv\n",
                    cli_shown(v, shown, sizeof shown));
            return 1;
        }
        return 0;
    case O_PRINT: if (c->mode == MODE_TUI) c->mode = MODE_PRINT; return 0;
    case O_SWEEP: c->sweep = v; return 0;
    case O_EXPLAIN: c->explain = v; return 0;
    case O_COMPARE: c->compare = v; return 0;
    case O_LMODELS: c->mode = MODE_LIST; c->list = "models"; return 0;
    case O_LGPUS: c->mode = MODE_LIST; c->list = "gpus"; return 0;
    case O_LFORMATS: c->mode = MODE_LIST; c->list = "formats"; return 0;
    case O_LENGINES: c->mode = MODE_LIST; c->list = "engines"; return 0;
    case O_LAPIS: c->mode = MODE_LIST; c->list = "apis"; return 0;
    case O_SOLVE: c->solve = true; return 0;
    case O_ACCURACY: c->mode = MODE_ACCURACY; c->accuracy = v; return 0;
    case O_CALIBRATE: c->mode = MODE_CALIBRATE; c->calibrate = v; return 0;
    case O_THEME: c->theme = v; return 0;
    case O_NOCOLOR: c->no_color = true; return 0;
    case O_HELP: c->mode = MODE_HELP; return 0;
    case O_VERSION: c->mode = MODE_VERSION; return 0;
    case O_MAN: c->mode = MODE_MAN; return 0;
    case O_MANFIG: c->mode = MODE_MAN_FIGURES; return 0;
    case O_DETECT: c->mode = MODE_DETECT; return 0;
    case O_NODETECT: c->no_detect = true; return 0;
    case O_RANK: c->rank = true; return 0;
    case O_SORT:
        {
            enum rank_sort by;
            if (!rank_sort_parse(v, &by)) {
                fprintf(err, "rooftop: --sort: invalid value '%s': expected fit, speed, size, context, ttft, headroom, "
                        "weights or name\n", cli_shown(v, shown, sizeof shown));
                return 1;
            }
        }
        c->sort = v;
        return 0;
    case O_LAUNCH: c->launch = true; return 0;
    case O_LOCAL: c->local = true; return 0;
    }
    return 0;
}

int cli_parse(int argc, char **argv, struct cli *c, FILE *err)
{
    memset(c, 0, sizeof *c);
    inputs_default(&c->spec);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        struct any_opt o;
        const char *v = NULL;
        if (a[0] == '-' && a[1] == '-' && a[2]) {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            o = find_long(a + 2, len);
            if (!o.o && !o.in) {
                char name[CLI_SHOWN_SIZE], shown[CLI_SHOWN_SIZE];
                snprintf(name, sizeof name, "%.*s", (int)(len + 2 < sizeof name ? len + 2 : sizeof name - 1), a);
                fprintf(err, "rooftop: unknown option '%s'\nTry 'rooftop --help'.\n", cli_shown(name, shown, sizeof shown));
                return 2;
            }
            if (eq) {
                if (!any_arg(o)) {
                    fprintf(err, "rooftop: --%s takes no value\n", any_long(o));
                    return 2;
                }
                v = eq + 1;
            }
        } else if (a[0] == '-' && a[1] && a[1] != '-') {
            o = find_short(a[1]);
            if (!o.o && !o.in) {
                fprintf(err, "rooftop: unknown option '-%c'\nTry 'rooftop --help'.\n", a[1]);
                return 2;
            }
            if (a[2]) {
                if (!any_arg(o)) {
                    fprintf(err, "rooftop: -%c takes no value\n", a[1]);
                    return 2;
                }
                v = a + 2;
            }
        } else {
            char shown[CLI_SHOWN_SIZE];
            fprintf(err, "rooftop: unexpected argument '%s'\nTry 'rooftop --help'.\n", cli_shown(a, shown, sizeof shown));
            return 2;
        }
        if (any_arg(o) && !v) {
            if (i + 1 >= argc) {
                fprintf(err, "rooftop: --%s needs a value (%s)\n", any_long(o), any_arg(o));
                return 2;
            }
            v = argv[++i];
        }
        int rc = o.in ? apply_input(c, o.in, v, err) : apply(c, o.o, v, err);
        if (rc)
            return rc;
    }
    if ((c->sweep || c->explain || c->compare || c->rank || c->launch || c->solve) && c->mode != MODE_PRINT) {
        fprintf(err, "rooftop: --%s needs --print\n", c->sweep ? "sweep" : c->explain ? "explain"
                                                    : c->compare ? "compare" : c->rank ? "rank"
                                                    : c->launch ? "launch" : "solve");
        return 2;
    }
    if (c->sort && !c->rank) {
        fprintf(err, "rooftop: --sort needs --rank\n");
        return 2;
    }
    if (c->local && !(c->mode == MODE_LIST && strcmp(c->list, "models") == 0)) {
        fprintf(err, "rooftop: --local needs --list-models\n");
        return 2;
    }
    if ((c->rank || c->launch) && (c->sweep || c->explain || c->compare)) {
        fprintf(err, "rooftop: --%s cannot be combined with --%s\n", c->rank ? "rank" : "launch",
                c->sweep ? "sweep" : c->explain ? "explain" : "compare");
        return 2;
    }
    return 0;
}

bool cli_given(const struct cli *c, const char *name)
{
    const struct input *in = input_by_name(name);
    return in && c->given[in - inputs];
}

/* The line of `key = ...` in a session file (its scenario group's keys are unique), 0: not found. */
static int key_line(const char *path, const char *key)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char buf[1024];
    size_t k = strlen(key);
    int line = 0, at = 0;
    while (!at && fgets(buf, sizeof buf, f)) {
        line++;
        const char *p = buf + strspn(buf, " \t");
        if (strncmp(p, key, k) == 0 && (p[k] == ' ' || p[k] == '\t' || p[k] == '=' || p[k] == ':'))
            at = line;
        while (!strchr(buf, '\n') && fgets(buf, sizeof buf, f)) /* the rest of a long line */
            ;
    }
    fclose(f);
    return at;
}

void cli_error(const struct cli *c, const char *raw, FILE *out)
{
    char err[4096]; /* names from files and the command line: no escape sequence reaches the terminal */
    text_escape(err, sizeof err, raw, true);
    size_t n = err[0] == '-' && err[1] == '-' ? strcspn(err + 2, ": ") : 0;
    if (c->session_path[0] && n > 0 && n < 64 && err[2 + n] == ':') {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)n, err + 2);
        const struct input *in = input_by_name(name);
        int line = in && !cli_given(c, name) ? key_line(c->session_path, in->session_key) : 0;
        if (line > 0) {
            fprintf(out, "rooftop: %s:%d: %s:%s\n", c->session_path, line, in->session_key, err + 2 + n + 1);
            return;
        }
    }
    fprintf(out, "rooftop: %s\n", err);
}

int cli_check_rate(const struct cli *c, const struct rt_spec *s, FILE *err)
{
    if (s->rate > 0 || c->sweep || c->compare || c->solve)
        return 0;
    const char *name = cli_given(c, "concurrency") && s->concurrency > 0 ? "concurrency"
                       : cli_given(c, "disagg") && s->disagg[0]      ? "disagg"
                       : cli_given(c, "prompt-dist") && strcmp(s->prompt_dist, "fixed") && s->prompt_dist[0] ? "prompt-dist"
                       : cli_given(c, "output-dist") && strcmp(s->output_dist, "fixed") && s->output_dist[0] ? "output-dist"
                       : cli_given(c, "requests")                    ? "requests"
                                                                     : NULL;
    if (!name)
        return 0;
    fprintf(err, "rooftop: --%s needs --rate%s: it sets up serving under load, which is off without a rate\n", name,
            strcmp(name, "concurrency") == 0 ? " inf (a closed loop)" : "");
    return 2;
}

void cli_apply(const struct cli *c, struct rt_spec *s)
{
    for (size_t i = 0; i < n_inputs && i < CLI_INPUTS_MAX; i++)
        if (c->given[i])
            input_copy(&inputs[i], s, &c->spec);
    /* Inputs that depend on each other: */
    if (!cli_given(c, "gpu") && cli_given(c, "bandwidth") && cli_given(c, "memory"))
        s->gpu[0] = 0; /* --bandwidth and --memory with no --gpu define a device */
    if (cli_given(c, "gpus") || cli_given(c, "tp") || cli_given(c, "pp")) {
        /* a device count alone means tensor parallel; the session's split no longer holds */
        s->devices = cli_given(c, "gpus") ? c->spec.devices : 0;
        s->tp = cli_given(c, "tp") ? c->spec.tp : 0;
        s->pp = cli_given(c, "pp") ? c->spec.pp : 0;
    }
    if (cli_given(c, "weights") && !cli_given(c, "kv"))
        s->kv[0] = 0; /* back to the default for the new weights */
}

static void opt_name(char *buf, size_t n, char shrt, const char *lng, const char *arg, bool roff)
{
    char plain[96];
    if (shrt)
        snprintf(plain, sizeof plain, "-%c, --%s%s%s", shrt, lng, arg ? " " : "", arg ? arg : "");
    else
        snprintf(plain, sizeof plain, "--%s%s%s", lng, arg ? " " : "", arg ? arg : "");
    size_t k = 0;
    for (const char *p = plain; *p && k + 3 < n; p++) {
        if (roff && *p == '-')
            buf[k++] = '\\'; /* roff: a real minus sign, as in option names */
        buf[k++] = *p;
    }
    buf[k] = 0;
}

static void print_opt(FILE *out, char shrt, const char *lng, const char *arg, const char *help, bool roff)
{
    char name[64];
    opt_name(name, sizeof name, shrt, lng, arg, roff);
    if (roff) {
        fprintf(out, ".TP\n.B %s\n", name);
        /* hyphens are minus signs in option names; backslashes escaped */
        for (const char *p = help; *p; p++) {
            if (*p == '-')
                fputs("\\-", out);
            else if (*p == '\\')
                fputs("\\e", out);
            else
                fputc(*p, out);
        }
        fputc('\n', out);
    } else {
        /* name in a 31-column margin, help wrapped within 80 columns */
        int col = fprintf(out, "%s%s", shrt ? "  " : "      ", name);
        if (col > 30) {
            fputc('\n', out);
            col = 0;
        }
        const char *p = help;
        do {
            fprintf(out, "%*s", 31 - col, "");
            size_t len = strlen(p), cut = len;
            if (len > 49) {
                cut = 49;
                while (cut > 0 && p[cut] != ' ')
                    cut--;
                if (cut == 0)
                    cut = 49;
            }
            fprintf(out, "%.*s\n", (int)cut, p);
            p += cut;
            while (*p == ' ')
                p++;
            col = 0;
        } while (*p);
    }
}

static void print_all(FILE *out, bool roff)
{
    if (!roff)
        fputs("Scenario:\n", out);
    for (size_t i = 0; i < n_inputs; i++)
        print_opt(out, inputs[i].shrt, inputs[i].name, inputs[i].arg, inputs[i].help, roff);
    if (!roff)
        fputs("\nWhat to do:\n", out);
    for (size_t i = 0; i < N_OPTS; i++)
        if (!opts[i].hidden)
            print_opt(out, opts[i].shrt, opts[i].lng, opts[i].arg, opts[i].help, roff);
}

void cli_help(FILE *out)
{
    fputs("Usage: rooftop [OPTIONS]                 the interactive dashboard\n"
          "       rooftop --print [OPTIONS]         print the estimate and exit\n"
          "       rooftop --print --sweep P=A:B[:S] one row per value of P\n"
          "       rooftop --print --rank [--sort fit|speed|size|context]   what fits here\n"
          "       rooftop --detect                  the devices on this machine\n"
          "       rooftop --list-models [--local] | --list-gpus | --list-formats |\n"
          "               --list-engines\n"
          "       rooftop --list-apis\n"
          "       rooftop --print --solve --rate R [--ttft-max S] [--itl-max S]\n"
          "Estimate whether a large language model fits on a set of devices, how fast it\n"
          "answers, and whether it is memory- or compute-bound.\n\n", out);
    print_all(out, false);
    fputs("\nExit status: 0 success, 1 bad input, 2 usage error.\n"
          "Report bugs to the project's issue tracker, with the output of\n"
          "'rooftop --version'.\n", out);
}

void cli_man_options(FILE *out) { print_all(out, true); }
