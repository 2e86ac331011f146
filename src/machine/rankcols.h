/* rankcols.h - the figures of a "what fits here" row, described once.
 *
 * A rank row is not one scenario's result (each row swaps another model and
 * weight format into the scenario), so its figures have a small key table of
 * their own, in the figures table's style: a key, its kind and unit, where the
 * row holds it.  --rank's JSON and CSV write the keys in table order; the
 * --rank table and the dashboard's view (v_rank.c) are columns that name keys,
 * and every cell is formatted here, numbers through the tables' one number
 * formatter (output/columns.c, the figures' units), so no table formats a
 * rank row by hand. */
#ifndef ROOFTOP_RANKCOLS_H
#define ROOFTOP_RANKCOLS_H

#include <stdio.h>
#include "machine/rank.h"
#include "output/columns.h"
#include "output/fields.h"

/* Where a column shows its value: always, only where the model fits, only
 * above 0 (and finite); elsewhere the column's `none` stands instead. */
enum rank_when { RW_ALWAYS, RW_FITS, RW_POSITIVE };

struct rank_column {
    const char *head;
    const char *key;                /* a key of the rank table (rankcols.c) */
    int width;                      /* negative: left-aligned; 0: as long as it is, and where it is
                                     * empty not even the space before it */
    int prec;                       /* as struct column's (COL_UNIT, COL_SHORT or decimals) */
    bool sign;                      /* a number's sign always: "+0.175" */
    enum rank_when when;
    const char *none;               /* where the value is not shown ("-"); NULL: "" */
    const char *words[3];           /* "fit": the words for fits, pages (unified memory), does not fit */
};

struct rank_fig {
    const char *key;                /* JSON key, CSV column */
    enum fig_kind kind;
    enum fig_unit unit;
    size_t off;                     /* a double, int64_t or bool in struct rank_row, unless get or text */
    double (*get)(const struct rank_row *r);
    /* FK_TEXT: the text, built in buf where it is not held (words: the column's, or NULL) */
    const char *(*text)(const struct rank_row *r, const char *const *words, char *buf, size_t n);
    bool table_only;                /* shown in the text tables, not written to JSON and CSV */
};

extern const struct rank_fig rank_figs[];
extern const size_t n_rank_figs;

const struct rank_fig *rank_fig_by_key(const char *key);
/* A row's fields for any sink: the keys not table_only, in table order. */
void rank_fields(struct sink *s, const struct rank_row *r);
/* One cell's text ("?" for a key the table lacks). */
void rank_cell(const struct rank_column *c, const struct rank_row *r, char *buf, size_t n);
/* A text table: the headings, and one row. */
void rank_columns_head(FILE *o, const struct rank_column *c, size_t n);
void rank_columns_row(FILE *o, const struct rank_column *c, size_t n, const struct rank_row *r);
/* Widen c's columns (not the last, open one) to hold r's cells: called for every row before the
 * table is printed, a long model id no longer pushes its row out of line. */
void rank_columns_fit(struct rank_column *c, size_t n, const struct rank_row *r);

#endif
