/* columns.h - a text table whose columns name output figures: each column is a
 * key of the figures table (figures.c), read and formatted through it, so a table
 * of results never reads struct rt_result by hand. */
#ifndef ROOFTOP_COLUMNS_H
#define ROOFTOP_COLUMNS_H

#include <stdio.h>
#include "output/figures.h"

struct column {
    const char *head;               /* the heading */
    const char *key;                /* a figures-table key */
    int width;                      /* negative: left-aligned */
    int prec;                       /* >= 0: the bare number with this many decimals; -1: as the
                                     * figure formats itself ("16.1 GB", "4.6 ms", "yes") */
    const char *no;                 /* a yes/no figure's word for no, NULL: "no" */
};

/* The figures of the columns, looked up once (NULL where a key is unknown). */
void columns_bind(const struct column *c, size_t n, const struct figure **figs);
void columns_head(FILE *o, const struct column *c, size_t n);
/* One cell's text. */
void column_cell(const struct column *col, const struct figure *f, const struct fig_ctx *ctx, char *buf, size_t len);
void columns_row(FILE *o, const struct column *c, size_t n, const struct figure **figs, const struct fig_ctx *ctx);

#endif
