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
    int prec;                       /* >= 0: the bare number with this many decimals; COL_UNIT: as the
                                     * figure formats itself ("16.1 GB", "4.6 ms", "yes"); COL_SHORT:
                                     * one decimal below 100, none from 100 ("27.3", "349") */
    const char *no;                 /* a yes/no figure's word for no, NULL: "no" */
};

#define COL_UNIT (-1)
#define COL_SHORT (-2)

/* A number as a column with this precision shows it (a sign always where sign
 * is set), its unit formatting it for COL_UNIT: the one formatter of numbers
 * in tables, for the figures' columns and the rank rows' (machine/rankcols.c). */
void column_number(int prec, bool sign, enum fig_unit unit, double v, char *buf, size_t len);
/* A text table's column width (negative: left-aligned; 0: the open last column) widened to hold
 * a cell of len characters: every table that fits its columns to their values uses this. */
static inline int column_widen(int width, size_t len)
{
    int w = width < 0 ? -width : width;
    if (width == 0 || (int)len <= w)
        return width;
    return width < 0 ? -(int)len : (int)len;
}

/* The figures of the columns, looked up once (NULL where a key is unknown). */
void columns_bind(const struct column *c, size_t n, const struct figure **figs);
void columns_head(FILE *o, const struct column *c, size_t n);
/* One cell's text. */
void column_cell(const struct column *col, const struct figure *f, const struct fig_ctx *ctx, char *buf, size_t len);
void columns_row(FILE *o, const struct column *c, size_t n, const struct figure **figs, const struct fig_ctx *ctx);

#endif
