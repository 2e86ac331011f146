/* rank.c - every catalog model at each sensible weight format, on one setup. */
#include <stdlib.h>
#include <string.h>
#include "machine/rank.h"
#include "catalog/catalog.h"
#include "core/core.h"
#include "scenario/spec.h"

void rank_init(struct rank_table *t) { memset(t, 0, sizeof *t); }

void rank_free(struct rank_table *t)
{
    free(t->rows);
    free(t->native);
    rank_init(t);
}

static bool is_gguf_engine(const struct rt_scenario *s)
{
    const char *e = s->engine ? s->engine->id : "";
    return strcmp(e, "llama.cpp") == 0 || (s->device && s->device->family == RT_FAM_CPU);
}

bool rank_format_runs(const struct rt_scenario *s, const struct rt_format *f)
{
    /* 16/32-bit and MXFP4 are both GGUF types and the serving engines' formats */
    bool both = strcmp(f->id, "fp32") == 0 || strcmp(f->id, "fp16") == 0 || strcmp(f->id, "bf16") == 0 ||
                strcmp(f->id, "mxfp4") == 0;
    return both || format_is_gguf(f->id) == is_gguf_engine(s);
}

size_t rank_formats(const struct catalog *cat, const struct rt_scenario *base, const struct rt_format **out,
                    size_t max)
{
    /* llama.cpp: the GGUF types people download most (16-bit, Q8_0, Q6_K, Q5_K_M,
     * Q4_K_M); the serving engines: a 16-bit checkpoint, an 8-bit one (FP8 where
     * the device has FP8 compute, else INT8) and a 4-bit one (AWQ/GPTQ-style int4). */
    static const char *const gguf[] = { "fp16", "q8_0", "q6_k", "q5_k_m", "q4_k_m" };
    const char *serve[3];
    const struct rt_device *d = base->device;
    serve[0] = d && d->peak[RT_BF16] <= 0 && d->peak[RT_FP16] > 0 ? "fp16" : "bf16";
    serve[1] = d && d->peak[RT_FP8] > 0 ? "fp8" : "int8";
    serve[2] = "int4";
    const char *const *ids = is_gguf_engine(base) ? gguf : serve;
    size_t nid = is_gguf_engine(base) ? sizeof gguf / sizeof gguf[0] : 3, n = 0;
    for (size_t i = 0; i < nid && n < max; i++) {
        const struct rt_format *f = catalog_format(cat, ids[i]);
        if (f)
            out[n++] = f;
    }
    return n;
}

static int cmp_ids(const struct rank_row *a, const struct rank_row *b)
{
    int c = strcmp(a->model->id, b->model->id);
    if (c)
        return c;
    return a->weights->bits > b->weights->bits ? -1 : a->weights->bits < b->weights->bits;
}

#define DESC(x, y) do { if ((x) != (y)) return (x) > (y) ? -1 : 1; } while (0)
#define ASC(x, y) do { if ((x) != (y)) return (x) < (y) ? -1 : 1; } while (0)

/* fit: what fits first, the largest model (then the most bits, then the most
 * headroom) on top; of the rest, the nearest to fitting first. */
static int by_fit(const void *pa, const void *pb)
{
    const struct rank_row *a = pa, *b = pb;
    DESC(a->fits, b->fits);
    if (a->fits) {
        DESC(a->offload ? 0 : 1, b->offload ? 0 : 1);
        DESC(a->params_total, b->params_total);
        DESC(a->native, b->native); /* a model at the format it ships in first */
        DESC(a->weights->bits, b->weights->bits);
        DESC(a->headroom_bytes, b->headroom_bytes);
    } else {
        DESC(a->headroom_bytes, b->headroom_bytes);
    }
    return cmp_ids(a, b);
}

static int by_speed(const void *pa, const void *pb)
{
    const struct rank_row *a = pa, *b = pb;
    DESC(a->fits, b->fits);
    DESC(a->decode_tokens_per_s, b->decode_tokens_per_s);
    return cmp_ids(a, b);
}

static int by_size(const void *pa, const void *pb)
{
    const struct rank_row *a = pa, *b = pb;
    ASC(a->per_device_bytes, b->per_device_bytes);
    return cmp_ids(a, b);
}

static int by_context(const void *pa, const void *pb)
{
    const struct rank_row *a = pa, *b = pb;
    DESC(a->fits, b->fits);
    DESC(a->max_context, b->max_context);
    return cmp_ids(a, b);
}

static int by_name(const void *pa, const void *pb) { return cmp_ids(pa, pb); }

static int by_weights(const void *pa, const void *pb)
{
    const struct rank_row *a = pa, *b = pb;
    DESC(a->weights->bits, b->weights->bits);
    return cmp_ids(a, b);
}

static int by_headroom(const void *pa, const void *pb)
{
    const struct rank_row *a = pa, *b = pb;
    DESC(a->headroom_bytes, b->headroom_bytes);
    return cmp_ids(a, b);
}

static int by_ttft(const void *pa, const void *pb)
{
    const struct rank_row *a = pa, *b = pb;
    DESC(a->fits, b->fits);
    ASC(a->ttft_s, b->ttft_s);
    return cmp_ids(a, b);
}

void rank_sort(struct rank_table *t, enum rank_sort by)
{
    static int (*const cmp[RANK_SORTS])(const void *, const void *) = {
        [RANK_BY_FIT] = by_fit, [RANK_BY_SPEED] = by_speed, [RANK_BY_SIZE] = by_size,
        [RANK_BY_CONTEXT] = by_context, [RANK_BY_NAME] = by_name, [RANK_BY_WEIGHTS] = by_weights,
        [RANK_BY_HEADROOM] = by_headroom, [RANK_BY_TTFT] = by_ttft,
    };
    if (t->n > 1)
        qsort(t->rows, t->n, sizeof *t->rows, cmp[(unsigned)by < RANK_SORTS ? by : RANK_BY_FIT]);
}

void rank_reverse(struct rank_table *t)
{
    for (size_t i = 0, j = t->n ? t->n - 1 : 0; i < j; i++, j--) {
        struct rank_row tmp = t->rows[i];
        t->rows[i] = t->rows[j];
        t->rows[j] = tmp;
    }
}

static const char *const sort_names[RANK_SORTS] = { "fit", "speed", "size", "context", "name", "weights", "headroom",
                                                    "ttft" };

bool rank_sort_parse(const char *s, enum rank_sort *out)
{
    for (int i = 0; i < RANK_SORTS; i++)
        if (strcmp(s, sort_names[i]) == 0) {
            *out = (enum rank_sort)i;
            return true;
        }
    return false;
}

const char *rank_sort_name(enum rank_sort by) { return (unsigned)by < RANK_SORTS ? sort_names[by] : "fit"; }

static void fill(struct rank_row *row, const struct rt_result *r)
{
    const struct rt_model *m = row->model;
    row->params_total = r->params_total;
    /* unified memory: a model past the GPU's usable share loads but pages: not a fit */
    row->fits = r->fits && r->free_bytes >= 0;
    row->pages = r->fits && r->free_bytes < 0;
    row->per_device_bytes = r->per_device_bytes;
    row->capacity_bytes = r->capacity_bytes;
    row->headroom_bytes = r->fits ? r->free_bytes : r->capacity_bytes - r->per_device_bytes;
    row->weights_bytes = r->weights_bytes;
    row->decode_tokens_per_s = r->tok_s_seq;
    row->decode_tokens_per_s_total = r->tok_s_total;
    row->ttft_s = r->ttft_s;
    row->max_context = r->max_context > 0 ? r->max_context : 0;
    /* a sliding window caps the cache, not the context: the trained context is the limit */
    if (m && m->max_context > 0 && row->max_context > m->max_context)
        row->max_context = m->max_context;
}

/* The model's native format joins the ranked ones: a row of its own, or the ranked row of the
 * same format (a 16-bit checkpoint is the GGUF engines' fp16 row: the same bytes).  The GGUF
 * engines take it only where GGUF has the type (16-bit, MXFP4); -1: no native row. */
static int native_row(const struct catalog *cat, const struct rt_scenario *base, const struct rt_model *m,
                      const struct rt_format **fmts, size_t nf, const struct rt_format **extra,
                      struct rt_format *buf)
{
    const char *id = spec_native_weights(m);
    bool sixteen = strcmp(id, "bf16") == 0 || strcmp(id, "fp16") == 0;
    *extra = NULL;
    bool classes = m->native_attn[0] || m->native_dense[0]; /* not the catalog's row of that id */
    for (size_t k = 0; k < nf && !classes; k++)
        if (strcmp(fmts[k]->id, id) == 0 || (sixteen && fmts[k]->bits == 16))
            return (int)k;
    if (is_gguf_engine(base) && strcmp(id, "mxfp4") != 0)
        return -1;
    *extra = spec_native_format(cat, m, buf);
    return *extra ? (int)nf : -1;
}

/* The row with the fewest --n-cpu-moe blocks that fit; false when none does. */
static bool offload_experts(struct rt_scenario *s, const struct rt_params *p, struct rank_row *row,
                            const struct rt_result *whole)
{
    char err[RT_ERR_MAX];
    int64_t n = rt_min_cpu_moe(s, p);
    if (n <= 0)
        return false;
    s->cpu_moe = n;
    struct rt_result ro;
    bool ok = rt_estimate(s, &ro, err, sizeof err) == RT_OK && ro.fits && ro.free_bytes >= 0 &&
              !(ro.warnings & RT_WARN_HOST_RAM);
    if (ok) {
        fill(row, &ro);
        row->weights_bytes = whole->weights_bytes; /* ro counts the device's share */
        row->offload = true;
        row->cpu_moe = n;
    }
    s->cpu_moe = 0;
    return ok;
}

int rank_build(const struct catalog *cat, const struct rt_scenario *base, enum rank_sort by,
               struct rank_table *t)
{
    const struct rt_format *fmts[17];
    size_t nf = rank_formats(cat, base, fmts, 16);
    size_t need = cat->n_models * (nf + 1);
    if (need > t->cap) {
        struct rank_row *r = realloc(t->rows, need * sizeof *r);
        if (!r)
            return RT_EINVAL;
        t->rows = r;
        t->cap = need;
    }
    if (cat->n_models > t->native_cap) {
        struct rt_format *f = realloc(t->native, cat->n_models * sizeof *f);
        if (!f)
            return RT_EINVAL;
        t->native = f;
        t->native_cap = cat->n_models;
    }
    t->n = 0;
    /* llama.cpp offloads weights to host memory when a model does not fit: a MoE
     * model's routed experts (--n-cpu-moe), else whole layers (-ngl) */
    bool offload = base->engine && strcmp(base->engine->id, "llama.cpp") == 0 && base->device &&
                   base->device->family != RT_FAM_CPU;
    const struct rt_device *host = base->host ? base->host : catalog_device(cat, "cpu-ddr5-2ch");
    char err[RT_ERR_MAX];
    for (size_t i = 0; i < cat->n_models; i++) {
        if (rt_model_is_draft_head(&cat->models[i]))
            continue; /* an EAGLE-3 head runs only beside its target */
        const struct rt_format *extra;
        int nat = native_row(cat, base, &cat->models[i], fmts, nf, &extra, &t->native[i]);
        fmts[nf] = extra;
        for (size_t k = 0; k < nf + (extra ? 1 : 0); k++) {
            struct rt_scenario s = *base;
            s.model = &cat->models[i];
            s.weights = fmts[k];
            s.draft = NULL;
            s.host = NULL;
            s.gpu_layers = -1;
            s.cpu_moe = 0;
            if (s.pp > s.model->layers)
                continue;
            struct rt_result r;
            if (rt_estimate(&s, &r, err, sizeof err) != RT_OK)
                continue;
            struct rank_row *row = &t->rows[t->n++];
            memset(row, 0, sizeof *row);
            row->model = s.model;
            row->weights = s.weights;
            row->native = (int)k == nat;
            row->gpu_layers = -1;
            fill(row, &r);
            if (!row->fits && offload && host) {
                struct rt_params p;
                rt_scenario_params(&s, &p);
                s.host = host;
                s.gpu_layers = s.model->layers;
                /* a MoE model keeps the routed experts of its first layers in host
                 * memory (--n-cpu-moe), attention and the KV cache on the device */
                if (p.moe_layers > 0 && offload_experts(&s, &p, row, &r))
                    continue;
                int64_t layers = rt_max_gpu_layers(&s, &p);
                if (layers >= 0) {
                    s.gpu_layers = layers;
                    struct rt_result ro;
                    if (rt_estimate(&s, &ro, err, sizeof err) == RT_OK && ro.fits && ro.free_bytes >= 0 &&
                        !(ro.warnings & RT_WARN_HOST_RAM)) {
                        double all_weights = row->weights_bytes; /* ro counts the device's share */
                        fill(row, &ro);
                        row->weights_bytes = all_weights;
                        row->offload = true;
                        row->gpu_layers = layers;
                    }
                }
            }
        }
    }
    rank_sort(t, by);
    return RT_OK;
}
