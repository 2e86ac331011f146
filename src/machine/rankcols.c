/* rankcols.c - see rankcols.h. */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include "machine/rankcols.h"

static const char *t_model(const struct rank_row *r, const char *const *words, char *buf, size_t n)
{
    (void)words, (void)buf, (void)n;
    return r->model->id;
}
static const char *t_weights(const struct rank_row *r, const char *const *words, char *buf, size_t n)
{
    (void)words, (void)buf, (void)n;
    return r->weights->id;
}
/* the format the model ships in is marked with a star */
static const char *t_weights_starred(const struct rank_row *r, const char *const *words, char *buf, size_t n)
{
    (void)words;
    snprintf(buf, n, "%s%s", r->weights->id, r->native ? "*" : "");
    return buf;
}
/* how it fits: llama.cpp's offload option where weights go to the host, else the column's word */
static const char *t_fit(const struct rank_row *r, const char *const *words, char *buf, size_t n)
{
    static const char *const plain[3] = { "yes", "pages", "no" };
    const char *const *w = words && words[0] ? words : plain;
    if (r->offload && r->cpu_moe > 0)
        snprintf(buf, n, "ncmoe %lld", (long long)r->cpu_moe);
    else if (r->offload)
        snprintf(buf, n, "ngl %lld", (long long)r->gpu_layers);
    else
        snprintf(buf, n, "%s", r->fits ? w[0] : r->pages ? w[1] : w[2]);
    return buf;
}
static double g_ppl_delta(const struct rank_row *r) { return r->weights->ppl_delta; } /* NaN: none published */

#define O(f) offsetof(struct rank_row, f)
const struct rank_fig rank_figs[] = {
    { "model", FK_TEXT, U_NONE, 0, NULL, t_model, false },
    { "weights", FK_TEXT, U_NONE, 0, NULL, t_weights, false },
    { "params_total", FK_NUM, U_PARAMS, O(params_total), NULL, NULL, false },
    { "fits", FK_BOOL, U_NONE, O(fits), NULL, NULL, false },
    { "pages", FK_BOOL, U_NONE, O(pages), NULL, NULL, false },
    { "offload", FK_BOOL, U_NONE, O(offload), NULL, NULL, false },
    { "gpu_layers", FK_INT, U_COUNT, O(gpu_layers), NULL, NULL, false },
    { "n_cpu_moe", FK_INT, U_COUNT, O(cpu_moe), NULL, NULL, false },
    { "weights_bytes", FK_NUM, U_BYTES, O(weights_bytes), NULL, NULL, false },
    { "per_device_bytes", FK_NUM, U_BYTES, O(per_device_bytes), NULL, NULL, false },
    { "capacity_per_device_bytes", FK_NUM, U_BYTES, O(capacity_bytes), NULL, NULL, false },
    { "headroom_bytes", FK_NUM, U_BYTES, O(headroom_bytes), NULL, NULL, false }, /* < 0: short */
    { "decode_tokens_per_s", FK_NUM, U_TOK_S, O(decode_tokens_per_s), NULL, NULL, false },
    { "decode_tokens_per_s_total", FK_NUM, U_TOK_S, O(decode_tokens_per_s_total), NULL, NULL, false },
    { "ttft_s", FK_NUM, U_SECONDS, O(ttft_s), NULL, NULL, false },
    { "max_context", FK_INT, U_COUNT, O(max_context), NULL, NULL, false },
    { "native", FK_BOOL, U_NONE, O(native), NULL, NULL, false },
    { "ppl_delta", FK_NUM, U_NONE, 0, g_ppl_delta, NULL, false },
    { "weights_starred", FK_TEXT, U_NONE, 0, NULL, t_weights_starred, true },
    { "fit", FK_TEXT, U_NONE, 0, NULL, t_fit, true },
};
#undef O
const size_t n_rank_figs = sizeof rank_figs / sizeof rank_figs[0];

const struct rank_fig *rank_fig_by_key(const char *key)
{
    for (size_t i = 0; i < n_rank_figs; i++)
        if (strcmp(rank_figs[i].key, key) == 0)
            return &rank_figs[i];
    return NULL;
}

static double value(const struct rank_fig *f, const struct rank_row *r)
{
    if (f->get)
        return f->get(r);
    const char *p = (const char *)r + f->off;
    switch (f->kind) {
    case FK_NUM: return *(const double *)p;
    case FK_INT: return (double)*(const int64_t *)p;
    case FK_BOOL: return *(const bool *)p ? 1 : 0;
    default: return 0;
    }
}

void rank_fields(struct sink *s, const struct rank_row *r)
{
    char buf[64];
    for (size_t i = 0; i < n_rank_figs; i++) {
        const struct rank_fig *f = &rank_figs[i];
        if (f->table_only)
            continue;
        switch (f->kind) {
        case FK_TEXT: s->str(s, f->key, f->text(r, NULL, buf, sizeof buf)); break;
        case FK_BOOL: s->boolean(s, f->key, value(f, r) != 0); break;
        case FK_INT: s->integer(s, f->key, *(const int64_t *)((const char *)r + f->off)); break;
        default: s->num(s, f->key, value(f, r)); break;
        }
    }
}

void rank_cell(const struct rank_column *c, const struct rank_row *r, char *buf, size_t n)
{
    const struct rank_fig *f = rank_fig_by_key(c->key);
    if (!f) {
        snprintf(buf, n, "?");
        return;
    }
    if (f->kind == FK_TEXT) {
        char t[64];
        snprintf(buf, n, "%s", f->text(r, c->words, t, sizeof t));
        return;
    }
    double v = value(f, r);
    if ((c->when == RW_FITS && !r->fits) || (c->when == RW_POSITIVE && !(v > 0 && isfinite(v))))
        snprintf(buf, n, "%s", c->none ? c->none : "");
    else if (f->kind == FK_BOOL)
        snprintf(buf, n, "%s", v != 0 ? "yes" : "no");
    else
        column_number(c->prec, c->sign, f->unit, v, buf, n);
}

static void put(FILE *o, const struct rank_column *c, size_t i, const char *text)
{
    if (c->width == 0 && !text[0])
        return;
    fprintf(o, "%s%*s", i ? " " : "", c->width, text);
}

void rank_columns_head(FILE *o, const struct rank_column *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put(o, &c[i], i, c[i].head);
    fputc('\n', o);
}

void rank_columns_fit(struct rank_column *c, size_t n, const struct rank_row *r)
{
    char buf[128];
    for (size_t i = 0; i < n; i++) {
        rank_cell(&c[i], r, buf, sizeof buf);
        c[i].width = column_widen(c[i].width, strlen(buf));
    }
}

void rank_columns_row(FILE *o, const struct rank_column *c, size_t n, const struct rank_row *r)
{
    char buf[128];
    for (size_t i = 0; i < n; i++) {
        rank_cell(&c[i], r, buf, sizeof buf);
        put(o, &c[i], i, buf);
    }
    fputc('\n', o);
}
