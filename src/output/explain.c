/* explain.c - see explain.h. */
#include <math.h>
#include <string.h>
#include "output/explain.h"
#include "output/fields.h"
#include "output/record.h"
#include "scenario/spec.h"

/* Each name in a space-separated list, in turn. */
static const char *next_name(const char *p, char *buf, size_t n)
{
    while (*p == ' ')
        p++;
    if (!*p)
        return NULL;
    size_t len = strcspn(p, " ");
    snprintf(buf, n, "%.*s", (int)(len < n ? len : n - 1), p);
    return p + len;
}

static json_t *quantity_json(const struct quantity *q)
{
    return json_pack("{s:s,s:o,s:s,s:s}", "name", q->name, "value", q->text ? json_string(q->text) : json_real(q->value),
                     "unit", q->unit ? q->unit : "", "source", q->source);
}

static json_t *value_json(const struct figure *f, const struct fig_ctx *c)
{
    switch (f->kind) {
    case FK_TEXT: return json_string(figure_text(f, c));
    case FK_BOOL: return json_boolean(figure_value(f, c) != 0);
    case FK_INT: return json_integer((json_int_t)figure_value(f, c));
    default: return json_real(figure_value(f, c));
    }
}

json_t *explain_json(const char *key, const struct fig_ctx *c)
{
    const struct figure *f = figure_by_key(key);
    if (!f)
        return NULL;
    json_t *o = json_object();
    json_object_set_new(o, "key", json_string(f->key));
    json_object_set_new(o, "value", value_json(f, c));
    json_object_set_new(o, "unit", json_string(unit_name(f->unit)));
    json_object_set_new(o, "formula", json_string(f->formula ? f->formula : "an input of the scenario"));
    json_t *in = json_array(), *mid = json_array();
    char name[96];
    for (const char *p = f->inputs ? f->inputs : ""; (p = next_name(p, name, sizeof name));) {
        struct quantity q;
        if (!quantity_lookup(name, c, &q))
            continue;
        json_array_append_new(in, quantity_json(&q));
        const struct figure *g = figure_by_key(name);
        if (g && g->formula && g->section != SEC_SCENARIO)
            json_array_append_new(mid, json_pack("{s:s,s:o,s:s,s:s}", "name", g->key, "value", value_json(g, c),
                                                 "unit", unit_name(g->unit), "formula", g->formula));
    }
    json_object_set_new(o, "inputs", in);
    json_object_set_new(o, "intermediates", mid);
    return o;
}

bool explain_table(FILE *o, const char *key, const struct fig_ctx *c)
{
    const struct figure *f = figure_by_key(key);
    if (!f)
        return false;
    char v[96];
    figure_format(f, c, v, sizeof v);
    double x = f->kind == FK_NUM || f->kind == FK_INT ? figure_value(f, c) : 0;
    if ((f->kind == FK_NUM || f->kind == FK_INT) && !(f->unit == U_COUNT && x == floor(x)))
        fprintf(o, "%s = %s  (%.10g %s)\n", f->key, v, x, unit_name(f->unit));
    else /* a whole count is its own SI value: "max_batch = 288", not "288  (288 count)" */
        fprintf(o, "%s = %s\n", f->key, v);
    if (f->note) { /* the table's note after the value (a kernel class's rate and source) */
        char note[256] = "";
        f->note(c, note, sizeof note);
        if (note[0])
            fprintf(o, "  note: %s\n", note);
    }
    fprintf(o, "  formula: %s\n", f->formula ? f->formula : "an input of the scenario");
    char name[96];
    bool any = false;
    for (const char *p = f->inputs ? f->inputs : ""; (p = next_name(p, name, sizeof name));) {
        struct quantity q;
        if (!quantity_lookup(name, c, &q))
            continue;
        if (!any)
            fputs("  inputs:\n", o);
        any = true;
        char val[64];
        const struct figure *g = figure_by_key(name);
        if (q.text)
            snprintf(val, sizeof val, "%s", q.text);
        else if (g)
            figure_format(g, c, val, sizeof val);
        else
            snprintf(val, sizeof val, "%.6g %s", q.value, q.unit);
        fprintf(o, "    %-34s %-18s %s\n", name, val, q.source);
    }
    return true;
}

void explain_suggest(const char *key, char *buf, size_t n)
{
    size_t len = 0, want = strcspn(key, "._");
    buf[0] = 0;
    for (size_t i = 0; i < n_figures && len < n; i++)
        if (strncmp(figures[i].key, key, want ? want : 1) == 0)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "", figures[i].key);
}

static void fill(struct record *rec, const struct fig_ctx *c)
{
    struct sink s;
    record_sink(&s, rec);
    fields_result(&s, c->rs, c->r);
}

json_t *compare_json(const struct fig_ctx *a, const struct fig_ctx *b)
{
    static struct record ra, rb, rd;
    fill(&ra, a);
    fill(&rb, b);
    struct sink d;
    record_sink(&d, &rd);
    for (int i = 0; i < ra.n && i < rb.n; i++) {
        const struct rec_field *x = &ra.f[i], *y = &rb.f[i];
        if (strcmp(x->key, y->key) != 0 || x->type != y->type)
            continue;
        if (x->type == 'n')
            d.num(&d, x->key, y->num - x->num);
        else if (x->type == 'i')
            d.integer(&d, x->key, y->i - x->i);
    }
    /* nested as A and B are: delta.decode.tokens_per_s_total */
    return json_pack("{s:o,s:o,s:o}", "a", record_json(&ra), "b", record_json(&rb), "delta", record_json(&rd));
}

static void delta_text(const struct figure *f, double va, double vb, char *buf, size_t n)
{
    char d[48];
    double diff = vb - va;
    if (diff == 0) {
        snprintf(buf, n, "=");
        return;
    }
    unit_format(f->unit, fabs(diff), d, sizeof d);
    /* the sign from the difference, the digits from its size: never "-0.0%" */
    char sign = diff < 0 ? '-' : '+';
    double pct = va != 0 ? fabs(diff / va) * 100 : 0;
    if (va != 0 && pct < 0.05)
        snprintf(buf, n, "%c%s (<0.1%%)", sign, d);
    else if (va != 0)
        snprintf(buf, n, "%c%s (%c%.1f%%)", sign, d, sign, pct);
    else
        snprintf(buf, n, "%c%s", sign, d);
}

void compare_delta(const struct figure *f, double va, double vb, char *buf, size_t n)
{
    delta_text(f, va, vb, buf, n);
}

/* "A: llama-3.1-8b on 2 x h100-sxm, bf16, batch 1, prompt 1024, output 256; 2 replicas (dp); 2 req/s" */
static void compare_side(FILE *o, const char *name, const struct fig_ctx *c)
{
    const struct rt_scenario *s = &c->rs->s;
    const char *attn = spec_attn_weights(c->rs); /* NVIDIA's FP4 DeepSeek-R1: "nvfp4 (attention bf16)" */
    fprintf(o, "%s: %s on %lld x %s, %s%s%s%s, batch %lld, prompt %lld, output %lld", name, s->model->id,
            (long long)s->devices, s->device->id, s->weights->id, strcmp(attn, s->weights->id) ? " (attention " : "",
            strcmp(attn, s->weights->id) ? attn : "", strcmp(attn, s->weights->id) ? ")" : "", (long long)s->batch,
            (long long)s->prompt, (long long)s->output);
    if (s->dp > 1)
        fprintf(o, "; %lld replicas (dp), %lld devices in all", (long long)s->dp, (long long)(s->dp * s->devices));
    if (s->disagg_p > 0)
        fprintf(o, "; disaggregated %lld:%lld", (long long)s->disagg_p, (long long)s->disagg_d);
    if (isinf(s->rate))
        fprintf(o, s->concurrency > 0 ? "; a closed loop of %lld clients" : "; every request at once",
                (long long)s->concurrency);
    else if (s->rate > 0)
        fprintf(o, "; %g req/s", s->rate);
    fputc('\n', o);
}

void compare_table(FILE *o, const struct fig_ctx *a, const struct fig_ctx *b)
{
    compare_side(o, "A", a);
    compare_side(o, "B", b);
    fprintf(o, "\n  %-24s %16s %16s  %s\n", "", "A", "B", "B - A");
    for (int sec = SEC_MODEL; sec < SEC_N; sec++) {
        bool titled = false;
        for (size_t i = 0; i < n_figures; i++) {
            const struct figure *f = &figures[i];
            if ((int)f->section != sec || !f->label)
                continue;
            if (f->shown && !f->shown(a) && !f->shown(b))
                continue;
            if (!titled) {
                fprintf(o, "\n%s\n", section_titles[sec]);
                titled = true;
            }
            /* a figure one side does not have (serving without a rate, a cost without a price):
             * "-" there and no difference, not a 0 that reads as a result */
            bool ha = !f->shown || f->shown(a), hb = !f->shown || f->shown(b);
            char va[192] = "-", vb[192] = "-", d[64] = "";
            if (ha)
                figure_format(f, a, va, sizeof va);
            if (hb)
                figure_format(f, b, vb, sizeof vb);
            if (strlen(va) > 16 || strlen(vb) > 16) { /* a sentence: once where the same, else each on its line */
                if (strcmp(va, vb) == 0)
                    fprintf(o, "  %-24s %s  =\n", f->label, va);
                else
                    fprintf(o, "  %-24s A: %s\n  %-24s B: %s\n", f->label, va, "", vb);
                continue;
            }
            if (!ha || !hb)
                d[0] = 0;
            else if (f->kind == FK_NUM || f->kind == FK_INT)
                delta_text(f, figure_value(f, a), figure_value(f, b), d, sizeof d);
            else if (strcmp(va, vb) != 0)
                snprintf(d, sizeof d, "changed");
            fprintf(o, "  %-24s %16s %16s%s%s\n", f->label, va, vb, d[0] ? "  " : "", d);
        }
    }
}

void compare_csv(FILE *o, const struct fig_ctx *a, const struct fig_ctx *b)
{
    fputs("key,a,b,delta\n", o);
    char x[64], y[64], d[64];
    for (size_t i = 0; i < n_figures; i++) {
        const struct figure *f = &figures[i];
        csv_field(o, f->key);
        fputc(',', o);
        if (f->kind == FK_TEXT) {
            csv_field(o, figure_text(f, a));
            fputc(',', o);
            csv_field(o, figure_text(f, b));
            fputs(",\n", o);
            continue;
        }
        double va = figure_value(f, a), vb = figure_value(f, b);
        fmt_num(x, sizeof x, va);
        fmt_num(y, sizeof y, vb);
        fmt_num(d, sizeof d, vb - va);
        fprintf(o, "%s,%s,%s\n", x, y, d);
    }
}
