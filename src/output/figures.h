/* figures.h - every output figure, described once.
 *
 * One row per figure: its JSON key (also the CSV column), its label and
 * section in the --print table, its unit, how to read it from the result,
 * when the table shows it, and the formula and inputs behind it.  JSON, CSV,
 * the table, --explain, --compare, the man page's OUTPUT section and the
 * dashboard all loop over this table, so a new figure is one row here.
 */
#ifndef ROOFTOP_FIGURES_H
#define ROOFTOP_FIGURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "scenario/spec.h"

enum fig_kind { FK_NUM, FK_INT, FK_TEXT, FK_BOOL };

/* The units: the enum and each one's SI name in JSON (--explain), kept in step by being one list. */
#define FIG_UNITS(X)                                                                                         \
    X(U_NONE, "") X(U_BYTES, "bytes") X(U_SECONDS, "s") X(U_TOK_S, "tokens/s") X(U_FLOPS, "FLOP")            \
    X(U_FLOP_S, "FLOP/s") X(U_BYTES_S, "bytes/s") X(U_FLOP_PER_BYTE, "FLOP/byte") X(U_PARAMS, "parameters")  \
    X(U_USD, "USD") X(U_KWH, "kWh") X(U_RATIO, "fraction") X(U_TOKENS, "tokens") X(U_COUNT, "count")         \
    X(U_FACTOR, "x") X(U_REQ_S, "requests/s") X(U_SEQS, "sequences") X(U_TOK_STEP, "tokens/step")            \
    X(U_PPL, "perplexity") X(U_SHARE, "fraction of time")
#define FIG_UNIT_ENUM(id, name) id,
enum fig_unit { FIG_UNITS(FIG_UNIT_ENUM) U_N };
#undef FIG_UNIT_ENUM

/* The --print table's sections, in order, with their titles. */
#define FIG_SECTIONS(X)                                                                                      \
    X(SEC_SCENARIO, "Scenario") X(SEC_MODEL, "Model") X(SEC_MEMORY, "Memory per device (GB = 1e9 bytes)")     \
    X(SEC_PREFILL, "Prefill") X(SEC_DECODE, "Decode (averaged over the generated tokens)")                   \
    X(SEC_LIMITS, "Limits") X(SEC_SERVING, "Serving under load") X(SEC_COST, "Cost and energy")              \
    X(SEC_DETAIL, "Details")
#define FIG_SECTION_ENUM(id, title) id,
enum fig_section { FIG_SECTIONS(FIG_SECTION_ENUM) SEC_N };
#undef FIG_SECTION_ENUM

/* What a figure is read from. */
struct fig_ctx {
    const struct rt_resolved *rs;
    const struct rt_result *r;
};

struct figure {
    const char *key;                /* JSON key, CSV column */
    const char *label;              /* in the table; NULL: JSON and CSV only */
    enum fig_kind kind;
    enum fig_unit unit;
    enum fig_section section;
    /* Read: a double (FK_NUM), int64_t (FK_INT) or bool (FK_BOOL) at `off` in
     * struct rt_result, unless `get` (numbers) or `text` (FK_TEXT) is set. */
    size_t off;
    double (*get)(const struct fig_ctx *c);
    const char *(*text)(const struct fig_ctx *c);
    size_t lo, hi;                  /* the band's offsets in rt_result (0: no band) */
    bool (*shown)(const struct fig_ctx *c); /* in the table; NULL: always */
    /* A note after the value in the table ("of 80 GB", "memory-bound"). */
    void (*note)(const struct fig_ctx *c, char *buf, size_t n);
    const char *formula;            /* for --explain; NULL for scenario echoes */
    const char *inputs;             /* space-separated: figure keys or quantities (figures.c) */
    /* A price of work served (per token, per request): present, with no value (JSON null, an
     * empty CSV cell), where the setup does not fit, since it serves nothing.  Rows leave it
     * out (false) unless they name it. */
    bool served_only;
    const char *unbounded;          /* the value's words where it is infinite (the table); NULL: the unit's */
};

extern const struct figure figures[];
extern const size_t n_figures;
extern const char *const section_titles[SEC_N];

const struct figure *figure_by_key(const char *key);
/* Whether the figure exists for this scenario at all (serving needs --rate, cost a price). */
bool figure_present(const struct figure *f, const struct fig_ctx *c);
/* False where a present figure has no value (a served_only price of a setup that does not fit,
 * or that serves nothing under its rate). */
bool figure_priced(const struct figure *f, const struct fig_ctx *c);
/* The setup fits and, under a rate, runs at least one sequence. */
bool figures_served(const struct fig_ctx *c);
double figure_value(const struct figure *f, const struct fig_ctx *c);   /* numbers, ints, bools */
const char *figure_text(const struct figure *f, const struct fig_ctx *c); /* FK_TEXT */
bool figure_has_band(const struct figure *f);
void figure_band(const struct figure *f, const struct fig_ctx *c, double *lo, double *hi);
/* The value for people: "16.1 GB", "4.64 ms", "154.7 tok/s", "yes". */
void figure_format(const struct figure *f, const struct fig_ctx *c, char *buf, size_t n);
void unit_format(enum fig_unit u, double v, char *buf, size_t n);
const char *unit_name(enum fig_unit u);  /* SI unit of the JSON value: "bytes", "s" */

/* A named quantity an explanation cites: a figure, or an input of the scenario. */
struct quantity {
    const char *name;
    double value;
    const char *text;               /* non-NULL for ids */
    const char *unit;
    char source[160];
};
/* Look a name up among the figures and the scenario's quantities; false if unknown. */
bool quantity_lookup(const char *name, const struct fig_ctx *c, struct quantity *q);

/* The warnings' texts, "; "-joined, the import's first. */
void figures_warnings(const struct fig_ctx *c, char *buf, size_t n);
/* The man page's OUTPUT section in roff: every figure with its unit and formula. */
void figures_man(FILE *o);

#endif
