/* cli.h - the command line: the scenario inputs (scenario/inputs.h) plus the
 * options that choose what rooftop does, one table each. */
#ifndef ROOFTOP_CLI_H
#define ROOFTOP_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "scenario/inputs.h"
#include "scenario/session.h"

enum out_format { OUT_TABLE, OUT_JSON, OUT_CSV };
enum mode { MODE_TUI, MODE_PRINT, MODE_LIST, MODE_HELP, MODE_VERSION, MODE_MAN, MODE_MAN_FIGURES, MODE_ACCURACY,
            MODE_DETECT, MODE_CALIBRATE };

#define CLI_INPUTS_MAX 128

struct cli {
    enum mode mode;
    enum out_format format;
    struct rt_spec spec;            /* values given on the command line */
    bool given[CLI_INPUTS_MAX];     /* which inputs (index into inputs[]) */
    const char *session;            /* -s FILE */
    const char *save_session;
    const char *sweep;              /* P=A:B[:S] or P=v1,v2,... */
    const char *list;               /* models, gpus, formats, engines */
    const char *accuracy;           /* FILE.csv */
    const char *calibrate;          /* --calibrate FILE */
    const char *explain;            /* --explain KEY */
    const char *compare;            /* --compare SESSION */
    const char *theme;
    bool no_color;
    bool solve;                     /* --solve: the cheapest setups within the targets */
    bool no_detect;                 /* --no-detect: the dashboard starts on the session's devices */
    bool rank;                      /* --rank: with --print, every catalog model on these devices */
    const char *sort;               /* --sort fit|speed|size|context (with --rank) */
    bool launch;                    /* --launch: with --print, the engine's command line */
    bool local;                     /* --local: with --list-models, the models on this machine */
    char session_path[4096];        /* the session file read (-s), for errors in its values */
};

/* Parse argv.  Returns 0, or the exit status (1 bad value, 2 usage) after
 * printing the error to `err`. */
int cli_parse(int argc, char **argv, struct cli *out, FILE *err);
/* Apply the inputs the command line gave on top of a session's spec. */
void cli_apply(const struct cli *c, struct rt_spec *spec);
bool cli_given(const struct cli *c, const char *name);
/* The serving options the command line gave that mean nothing without a rate (--concurrency,
 * --disagg, --prompt-dist / --output-dist other than fixed, --requests) where the scenario `s`
 * (a session's, with the command line applied) has none: 2 after saying which, else 0.  A sweep,
 * a comparison or the solver sets or takes its own rate: not checked there. */
int cli_check_rate(const struct cli *c, const struct rt_spec *s, FILE *err);
/* Say a scenario's error: "rooftop: ERR".  An error about an input ("--NAME: ...") that the session
 * file set, not the command line, names the file, the line and the key there instead
 * ("FILE:LINE: KEY: ..."), since that is where the value is. */
void cli_error(const struct cli *c, const char *err, FILE *out);
/* A value from the command line as an error message shows it: control characters escaped (\x1b: no
 * escape sequence reaches the terminal), cut to 80 bytes with "..." (a 5,000-character id). */
#define CLI_SHOWN_SIZE 512
const char *cli_shown(const char *v, char *buf, size_t n);
void cli_help(FILE *out);
/* The man page's OPTIONS section in roff, from the same tables. */
void cli_man_options(FILE *out);

#endif
