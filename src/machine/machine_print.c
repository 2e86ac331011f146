/* machine_print.c - printing detected devices, rankings, local models and launch lines. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/text.h"
#include "machine/machine_print.h"
#include "machine/rankcols.h"
#include "output/record.h"
#include "base/units.h"

/* Text from a file name or a tool, for a table on a terminal: controls and
 * bytes that are not UTF-8 escaped (a name can neither send an escape sequence
 * nor start a row of its own).  Four rotating buffers. */
static const char *esc(const char *s)
{
    static char buf[4][4 * 4096 + 1];
    static int k;
    k = (k + 1) % 4;
    return text_escape(buf[k], sizeof buf[k], s, true);
}

void mp_fields_device(struct sink *s, const struct md_device *d)
{
    s->str(s, "id", d->id);
    s->str(s, "name", d->name);
    s->num(s, "memory_bytes", d->memory_bytes);
    s->num(s, "usable_bytes", d->usable_bytes);
    s->integer(s, "count", d->count);
    s->str(s, "source", d->source);
    s->boolean(s, "unified", d->unified);
    s->boolean(s, "cpu", d->cpu);
}

void mp_fields_local(struct sink *s, const struct lm_model *m)
{
    s->str(s, "name", m->name);
    s->str(s, "path", m->path);
    s->str(s, "kind", lm_kind_name(m->kind));
    s->num(s, "size_bytes", m->size_bytes);
    s->str(s, "source", m->source);
}

static struct record rec;

#define ARRAY_JSON(fn, type, items, count, fields)        \
    json_t *fn(const type *l)                             \
    {                                                     \
        json_t *arr = json_array();                       \
        struct sink s;                                    \
        for (size_t i = 0; i < l->count; i++) {           \
            record_sink(&s, &rec);                        \
            fields(&s, &l->items[i]);                     \
            json_array_append_new(arr, record_json(&rec)); \
        }                                                 \
        return arr;                                       \
    }

ARRAY_JSON(mp_detect_json, struct md_list, d, n, mp_fields_device)
ARRAY_JSON(mp_rank_json, struct rank_table, rows, n, rank_fields)
ARRAY_JSON(mp_local_json, struct lm_list, m, n, mp_fields_local)

static void dump(FILE *out, json_t *j)
{
    json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    fputc('\n', out);
    json_decref(j);
}

#define CSV_ROWS(out, items, count, fields)        \
    do {                                           \
        struct sink s_;                            \
        for (size_t i_ = 0; i_ < (count); i_++) {  \
            record_sink(&s_, &rec);                \
            fields(&s_, &(items)[i_]);             \
            if (i_ == 0)                           \
                csv_header(out, &rec);             \
            csv_row(out, &rec);                    \
        }                                          \
    } while (0)

void mp_print_detect(FILE *out, const struct md_list *l, enum mp_format f)
{
    if (f == MP_JSON) {
        dump(out, mp_detect_json(l));
        return;
    }
    if (f == MP_CSV) {
        CSV_ROWS(out, l->d, l->n, mp_fields_device);
        return;
    }
    if (l->n == 0) {
        fprintf(out, "%s\n", l->note[0] ? esc(l->note) : "no devices detected");
        return;
    }
    fprintf(out, "%-16s %-40s %5s %10s %10s %s\n", "ID", "NAME", "COUNT", "MEMORY", "USABLE", "SOURCE");
    for (size_t i = 0; i < l->n; i++) {
        const struct md_device *d = &l->d[i];
        char a[32], b[32];
        if (d->memory_bytes > 0)
            fmt_bytes(a, sizeof a, d->memory_bytes);
        else
            snprintf(a, sizeof a, "-");
        if (d->usable_bytes > 0)
            fmt_bytes(b, sizeof b, d->usable_bytes);
        else
            snprintf(b, sizeof b, "-");
        fprintf(out, "%-16s %-40.40s %5d %10s %10s %s\n", esc(d->id), esc(d->name), d->count, a, b, esc(d->source));
    }
    const struct md_device *p = md_primary(l);
    if ((!p || p->cpu) && l->note[0]) /* no accelerator: say what was tried */
        fprintf(out, "%s\n", esc(l->note));
}

void mp_print_rank(FILE *out, const struct rank_table *t, enum mp_format f)
{
    if (f == MP_JSON) {
        dump(out, mp_rank_json(t));
        return;
    }
    if (f == MP_CSV) {
        CSV_ROWS(out, t->rows, t->n, rank_fields);
        return;
    }
    /* the last column: the format's published perplexity cost, where there is one */
    struct rank_column cols[] = {
        { .head = "MODEL", .key = "model", .width = -20, .prec = COL_UNIT },
        { .head = "WEIGHTS", .key = "weights_starred", .width = -8, .prec = COL_UNIT },
        { .head = "FITS", .key = "fit", .width = -9, .prec = COL_UNIT, .words = { "yes", "PAGES", "NO" } },
        { .head = "MEM/DEV", .key = "per_device_bytes", .width = 9, .prec = COL_UNIT },
        { .head = "HEADROOM", .key = "headroom_bytes", .width = 9, .prec = COL_UNIT }, /* "-1.2 GB" when short */
        { .head = "TOK/S", .key = "decode_tokens_per_s", .width = 9, .prec = 1 },
        { .head = "TTFT", .key = "ttft_s", .width = 10, .prec = COL_UNIT },
        { .head = "MAX CTX", .key = "max_context", .width = 9, .prec = 0, .when = RW_POSITIVE, .none = "-" },
        { .head = "PPL+", .key = "ppl_delta", .width = 0, .prec = 3, .sign = true, .when = RW_POSITIVE },
    };
    const size_t n = sizeof cols / sizeof cols[0];
    for (size_t i = 0; i < t->n; i++)
        rank_columns_fit(cols, n, &t->rows[i]);
    rank_columns_head(out, cols, n);
    for (size_t i = 0; i < t->n; i++)
        rank_columns_row(out, cols, n, &t->rows[i]);
    fprintf(out, "* the format the model ships in (--weights native); PPL+: the format's perplexity cost over "
                 "16-bit (llama.cpp, Llama-3-8B), blank where none is published\n");
}

void mp_print_local(FILE *out, const struct lm_list *l, enum mp_format f)
{
    if (f == MP_JSON) {
        dump(out, mp_local_json(l));
        return;
    }
    if (f == MP_CSV) {
        CSV_ROWS(out, l->m, l->n, mp_fields_local);
        return;
    }
    if (l->n == 0) {
        fprintf(out, "no local models found (Ollama, LM Studio, the Hugging Face cache, llama.cpp's cache)\n");
        return;
    }
    fprintf(out, "%-11s %-4s %9s  %s\n", "SOURCE", "KIND", "SIZE", "NAME / PATH (for --model)");
    for (size_t i = 0; i < l->n; i++) {
        const struct lm_model *m = &l->m[i];
        char a[32] = "-"; /* a snapshot with no weight files downloaded: no size to give */
        if (m->size_bytes > 0)
            fmt_bytes(a, sizeof a, m->size_bytes);
        fprintf(out, "%-11s %-4s %9s  %s\n%27s%s\n", esc(m->source), lm_kind_name(m->kind), a, esc(m->name), "",
                esc(m->path));
    }
}

void mp_print_launch(FILE *out, const char *line, const char *note, enum mp_format f)
{
    if (f == MP_JSON) {
        /* a path that is not UTF-8: its bytes as \xNN (json_string refuses it) */
        size_t n = 4 * (strlen(line) + (note ? strlen(note) : 0)) + 1;
        char *e = malloc(n);
        json_t *o = json_object();
        json_object_set_new(o, "launch", json_string(e ? text_escape(e, n, line, false) : ""));
        if (note && note[0])
            json_object_set_new(o, "launch_note", json_string(e ? text_escape(e, n, note, false) : ""));
        free(e);
        dump(out, o);
        return;
    }
    if (f == MP_CSV) {
        fprintf(out, "launch%s\n", note && note[0] ? ",launch_note" : "");
        csv_field(out, line);
        if (note && note[0]) {
            fputc(',', out);
            csv_field(out, note);
        }
        fputc('\n', out);
        return;
    }
    fprintf(out, "%s\n", esc(line));
    if (note && note[0])
        fprintf(out, "# %s\n", esc(note));
}
