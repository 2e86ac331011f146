/* reccols.c - see reccols.h. */
#include <math.h>
#include <string.h>
#include "output/reccols.h"
#include "output/columns.h"
#include "base/units.h"

static const struct rec_field *field_of(const struct record *rec, const char *key)
{
    for (int i = 0; i < rec->n; i++)
        if (strcmp(rec->f[i].key, key) == 0)
            return &rec->f[i];
    return NULL;
}

static void put(FILE *o, const struct rec_column *c, size_t i, const char *text)
{
    fprintf(o, "%s%*s%*s", i ? " " : "", c->gap, "", c->width, text);
}

void rec_columns_head(FILE *o, const struct rec_column *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put(o, &c[i], i, c[i].head);
    fputc('\n', o);
}

static void cell(const struct rec_column *c, const struct rec_field *f, char *buf, size_t n)
{
    double v = !f ? NAN : f->type == 'n' ? f->num : (double)f->i;
    if (!f)
        snprintf(buf, n, "?");
    else if (c->kind == RC_TEXT)
        snprintf(buf, n, "%s", f->type == 's' ? f->str : "?");
    else if (c->kind == RC_INT)
        snprintf(buf, n, "%lld", f->type == 'n' ? (long long)f->num : (long long)f->i);
    else if (c->kind == RC_YESNO)
        snprintf(buf, n, "%s", v != 0 ? "yes" : "no");
    else if ((c->dash == RC_DASH_NOT_POSITIVE && !(v > 0)) || (c->dash == RC_DASH_NOT_FINITE && !isfinite(v)))
        snprintf(buf, n, "-");
    else if (c->kind == RC_PARAMS)
        fmt_params(buf, n, v);
    else if (c->kind == RC_BYTES)
        fmt_bytes(buf, n, v);
    else {
        v = v * (c->scale != 0 ? c->scale : 1) / (c->div != 0 ? c->div : 1);
        int k = c->conv == 'g' ? snprintf(buf, n, "%.*g", c->prec, v)
                : c->conv == 'F' ? snprintf(buf, n, "%+.*f", c->prec, v) : snprintf(buf, n, "%.*f", c->prec, v);
        if (c->suffix && k >= 0 && (size_t)k < n)
            snprintf(buf + k, n - (size_t)k, "%s", c->suffix);
    }
}

void rec_columns_fit(struct rec_column *c, size_t n, const struct record *rec)
{
    char buf[512];
    for (size_t i = 0; i < n; i++) {
        cell(&c[i], field_of(rec, c[i].key), buf, sizeof buf);
        c[i].width = column_widen(c[i].width, strlen(buf));
    }
}

void rec_columns_row(FILE *o, const struct rec_column *c, size_t n, const struct record *rec)
{
    char buf[512];
    for (size_t i = 0; i < n; i++) {
        cell(&c[i], field_of(rec, c[i].key), buf, sizeof buf);
        put(o, &c[i], i, buf);
    }
    fputc('\n', o);
}
