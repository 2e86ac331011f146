/* inputs.h - every scenario input, described once.
 *
 * One row per input (as tmux's options-table.c): its option names, session
 * key, dashboard field (label and step), sweep name, type, unit, limits,
 * default, help text, where it lands in struct rt_spec and, for a plain number,
 * in struct rt_scenario, and what a change of it affects.  Option parsing,
 * --help, the man page, session reading and writing, --sweep, spec_resolve's
 * copy into the scenario, the range checks and the dashboard's fields all loop
 * over this table.  A new input is one row here plus its use in the core; see
 * the row macros AT and TO in inputs.c.
 */
#ifndef ROOFTOP_INPUTS_H
#define ROOFTOP_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "scenario/spec_types.h"

enum input_type {
    IN_ID,                          /* a catalog id (or a path for the model): text */
    IN_COUNT,                       /* a whole number */
    IN_TOKENS,                      /* a whole number that accepts 8k, 1m, 1e6 */
    IN_REAL,                        /* a real number */
    IN_FLAG,                        /* a switch: given means true */
};

/* What a choice input picks from (for pickers, suggestions and choice sweeps). */
enum input_choice { CH_NONE, CH_MODEL, CH_DEVICE, CH_FORMAT, CH_KV_FORMAT,
                    CH_ATTN_FORMAT /* the attention projections' format: auto, native, or a format */,
                    CH_ENGINE, CH_API,
                    CH_DRAFT /* none, mtp (the model's own layers), or a catalog model */,
                    CH_DIST /* a length distribution: fixed, uniform:R, lognormal:S */,
                    CH_SPLIT /* a disaggregated split P:D, or none */,
                    CH_TSPLIT /* a device list's layer weights W1,W2,..., or by memory */,
                    CH_KV_POLICY /* the engine's KV cache under load: reserve, grow, or the profile's */ };

/* What a change of the input affects (flags): RESOLVE, the resolved scenario
 * must be built again (a catalog id, a device override, a derived count);
 * RECOMPUTE, the estimate changes; SOLVER, --solve reads it. */
enum input_affects { AFF_RESOLVE = 1 << 0, AFF_RECOMPUTE = 1 << 1, AFF_SOLVER = 1 << 2 };

/* How the dashboard steps and shows a field (arrows step, [ and ] halve and double). */
enum input_step {
    STEP_CHOICE,                    /* an id: the next of its choices */
    STEP_ONE,                       /* a whole number, by 1 */
    STEP_REPLICAS,                  /* a count from 1 (0 reads as 1), by 1 */
    STEP_DEVICES,                   /* a device count from 1, by 1; 0 shows tp x pp, a step clears them */
    STEP_GRID,                      /* a token count, on a grid of 128 */
    STEP_LAYERS,                    /* 0 .. the model's layers, then all (-1) */
    STEP_RATE,                      /* powers of two from 1/16 to 2^20 (off below), the most is inf */
    STEP_PRICE,                     /* about a tenth of itself (from the catalog's), shown as $/h */
    STEP_AMOUNT,                    /* about a tenth of itself from a starting value, shown with its unit */
    STEP_TENTH,                     /* a share from 0 to 1, by 0.1 */
    STEP_TIME,                      /* seconds on a 1-2-5 ladder from 1 ms (off below), shown as a time */
};

/* A dashboard field: its label, how it steps, what it shows for the value
 * meaning "none" (0, -1 or empty; NULL: the value itself), and the output figure
 * (a key of the figures table) the explain view opens on from it. */
struct input_field {
    const char *label;
    enum input_step step;
    const char *none_text;
    const char *figure;
};

struct input {
    const char *name;               /* long option, and the sweep name where sweepable */
    char shrt;                      /* short option, 0: none */
    const char *arg;                /* the value's placeholder in --help */
    const char *session_key;        /* key under scenario = { } in sessions */
    const struct input_field *field; /* the dashboard field, NULL: none (FIELD() in inputs.c) */
    bool sweep;                     /* --sweep NAME=... accepts it */
    enum input_type type;
    enum input_choice choice;
    const char *unit;               /* shown after numbers; "" for none */
    double min, max;                /* limits of numbers (inclusive) */
    double def;                     /* default of a number or flag */
    const char *def_text;           /* default of an id ("" for none) */
    size_t offset, size;            /* where it lands in struct rt_spec */
    size_t s_offset, s_size;        /* where spec_resolve copies it in struct rt_scenario, s_size 0:
                                     * resolve reads it by hand (an id, an override, a derived count) */
    unsigned affects;               /* enum input_affects */
    const char *help;
};

extern const struct input inputs[];
extern const size_t n_inputs;

const struct input *input_by_name(const char *name);     /* long option / sweep name */
const struct input *input_by_short(char c);
const struct input *input_by_session_key(const char *key);
const struct input *input_by_field(const char *label);

/* The value inside a spec. */
int64_t input_int(const struct input *in, const struct rt_spec *sp);
double input_number(const struct input *in, const struct rt_spec *sp); /* counts, tokens, reals, flags */
const char *input_text(const struct input *in, const struct rt_spec *sp); /* ids only */
/* The value as the user would type it ("8192", "0.8", "q4_k_m", "true"). */
void input_format(const struct input *in, const struct rt_spec *sp, char *buf, size_t n);

/* Set from text, strictly (the limits hold); false with a reason in why. */
bool input_parse(const struct input *in, struct rt_spec *sp, const char *text, char *why, size_t whylen);
/* Set a number (clamped to the limits: for sweeps and the dashboard); true if it changed. */
bool input_set_number(const struct input *in, struct rt_spec *sp, double v);
/* Copy the input's value from one spec to another. */
void input_copy(const struct input *in, struct rt_spec *dst, const struct rt_spec *src);

/* Every input at its default. */
void inputs_default(struct rt_spec *sp);

/* Each number within its row's limits; false with a message naming the option. */
bool inputs_check(const struct rt_spec *sp, char *err, size_t errlen);
/* Copy the input into its scenario slot (s_size > 0), the way spec_resolve does. */
void input_to_scenario(const struct input *in, struct rt_scenario *s, const struct rt_spec *sp);
/* Every row with a scenario slot copied into it. */
void inputs_to_scenario(struct rt_scenario *s, const struct rt_spec *sp);

#endif
