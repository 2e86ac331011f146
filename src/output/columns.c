/* columns.c - see columns.h. */
#include <string.h>
#include "output/columns.h"

void columns_bind(const struct column *c, size_t n, const struct figure **figs)
{
    for (size_t i = 0; i < n; i++)
        figs[i] = figure_by_key(c[i].key);
}

void columns_head(FILE *o, const struct column *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(o, "%s%*s", i ? " " : "", c[i].width, c[i].head);
    fputc('\n', o);
}

void column_number(int prec, bool sign, enum fig_unit unit, double v, char *buf, size_t len)
{
    if (prec == COL_SHORT)
        prec = v >= 100 ? 0 : 1;
    if (prec >= 0)
        snprintf(buf, len, sign ? "%+.*f" : "%.*f", prec, v);
    else
        unit_format(unit, v, buf, len);
}

void column_cell(const struct column *col, const struct figure *f, const struct fig_ctx *ctx, char *buf, size_t len)
{
    if (!f)
        snprintf(buf, len, "?");
    else if (!figure_present(f, ctx)) /* a serving figure of a row with serving off */
        snprintf(buf, len, "-");
    else if (f->kind == FK_BOOL && col->no && !figure_value(f, ctx))
        snprintf(buf, len, "%s", col->no);
    else if (col->prec != COL_UNIT && (f->kind == FK_NUM || f->kind == FK_INT))
        column_number(col->prec, false, f->unit, figure_value(f, ctx), buf, len);
    else
        figure_format(f, ctx, buf, len);
}

void columns_row(FILE *o, const struct column *c, size_t n, const struct figure **figs, const struct fig_ctx *ctx)
{
    char cell[64];
    for (size_t i = 0; i < n; i++) {
        column_cell(&c[i], figs[i], ctx, cell, sizeof cell);
        fprintf(o, "%s%*s", i ? " " : "", c[i].width, cell);
    }
    fputc('\n', o);
}
