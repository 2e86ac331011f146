/* state.c - the dashboard's scenario state: what a change recomputes (the estimate,
 * the hints when it does not fit, the settings derived from others), and the message
 * line, and the warnings in words.  The views, the keys and the event loop (app.c)
 * change the state through these; nothing here draws or reads keys. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "machine/rank.h"
#include "tui/ui.h"
#include "output/words.h"

bool ui_estimate_spec(const struct ui *u, const struct rt_spec *sp, struct rt_resolved *rs,
                          struct rt_result *res, char *err, size_t errlen)
{
    return spec_resolve_cached(u->cat, sp, u->models, rs, err, errlen) == RT_OK &&
           rt_estimate(&rs->s, res, err, errlen) == RT_OK;
}

/* A hint, with the speed of the setup it proposes on this machine (0: a change of the request, not
 * of the setup; HINT_MORE_HARDWARE: a setup that needs devices the user may not have). */
#define HINT_MORE_HARDWARE (-1.0)
static void add_hint(struct ui *u, double speed, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add_hint(struct ui *u, double speed, const char *fmt, ...)
{
    if (u->n_hints >= UI_HINTS)
        return;
    va_list ap;
    va_start(ap, fmt);
    u->hint_speed[u->n_hints] = speed;
    vsnprintf(u->hints[u->n_hints++], sizeof u->hints[0], fmt, ap);
    va_end(ap);
}

/* What works on this machine fastest first; a smaller batch or context (a change of the request)
 * ahead of them, more devices after them: the first hint the Answer panel has room for is the
 * one a user would pick.  Stable. */
static void sort_hints(struct ui *u)
{
    for (int i = 1; i < u->n_hints; i++)
        for (int j = i; j > 0 && u->hint_speed[j - 1] != 0 && u->hint_speed[j] > u->hint_speed[j - 1]; j--) {
            char t[sizeof u->hints[0]];
            double v = u->hint_speed[j];
            memcpy(t, u->hints[j], sizeof t);
            memcpy(u->hints[j], u->hints[j - 1], sizeof t);
            memcpy(u->hints[j - 1], t, sizeof t);
            u->hint_speed[j] = u->hint_speed[j - 1];
            u->hint_speed[j - 1] = v;
        }
}

/* A MoE model too large for the device at any smaller format, on llama.cpp: the download most
 * people take (Q4_K_M) with the routed experts of its first layers in host memory, as llama.cpp's
 * users run 100B-class MoE models on one GPU.  Offered only where Q4_K_M is smaller than the
 * format chosen; the fewest --n-cpu-moe layers are the core's for that format. */
static void hint_quant_and_cpu_moe(struct ui *u)
{
    static struct rt_resolved rs;
    static struct rt_result r;
    char err[256];
    const struct rt_format *q = catalog_format(u->cat, "q4_k_m");
    if (!q || q->bits >= u->rs.s.weights->bits)
        return;
    struct rt_spec sp = u->spec;
    sp.rate = 0;
    sp.gpu_layers = -1;
    sp.n_cpu_moe = 0;
    snprintf(sp.weights, sizeof sp.weights, "%s", q->id);
    if (!ui_estimate_spec(u, &sp, &rs, &r, err, sizeof err) || r.fits || r.min_cpu_moe <= 0)
        return;
    sp.n_cpu_moe = r.min_cpu_moe;
    if (ui_estimate_spec(u, &sp, &rs, &r, err, sizeof err) && r.fits)
        add_hint(u, r.tok_s_seq, "weights %s + CPU MoE %lld: %.1f tok/s (--n-cpu-moe)", q->id,
                 (long long)sp.n_cpu_moe, r.tok_s_seq);
}

/* A scenario that does not fit: what would make it fit, each tried through the core. */
static void find_hints(struct ui *u)
{
    static struct rt_resolved rs;
    static struct rt_result r;
    char err[256], a[32];
    const struct rt_result *now = &u->res;
    const struct rt_model *m = u->rs.s.model;
    u->n_hints = 0;
    int64_t ctx = u->spec.prompt + u->spec.output;
    if (now->max_batch > 0 && u->spec.batch > now->max_batch)
        add_hint(u, 0, "m: batch %lld fits", (long long)now->max_batch);
    if (now->max_context > 0 && ctx > now->max_context) {
        fmt_count(a, sizeof a, now->max_context);
        add_hint(u, 0, "c: a context of %s fits", a);
    }
    struct rt_spec sp = u->spec;
    /* a MoE model on llama.cpp: the routed experts of the first N layers in host memory
     * (--n-cpu-moe), the attention and shared weights on the GPU: llama.cpp's own advice */
    if (now->min_cpu_moe > 0 && u->spec.n_cpu_moe < now->min_cpu_moe && strcmp(u->rs.s.engine->id, "llama.cpp") == 0) {
        sp.rate = 0;
        sp.n_cpu_moe = now->min_cpu_moe;
        sp.gpu_layers = -1;
        if (ui_estimate_spec(u, &sp, &rs, &r, err, sizeof err) && r.fits)
            add_hint(u, r.tok_s_seq, "CPU MoE %lld: %.1f tok/s, the experts of %lld layers in host memory (--n-cpu-moe)",
                     (long long)now->min_cpu_moe, r.tok_s_seq, (long long)now->min_cpu_moe);
        sp = u->spec;
    }
    /* partial offload: the most layers the device holds, the rest in host memory */
    sp.rate = 0; /* the static figures decide what fits: no serving run per hint */
    sp.gpu_layers = 0;
    if (u->spec.gpu_layers < 0 && ui_estimate_spec(u, &sp, &rs, &r, err, sizeof err) && r.max_gpu_layers > 0) {
        sp.gpu_layers = r.max_gpu_layers >= m->layers ? -1 : r.max_gpu_layers;
        if (ui_estimate_spec(u, &sp, &rs, &r, err, sizeof err) && r.fits)
            add_hint(u, r.tok_s_seq, "g: offload, %lld of %lld layers on the GPU: %.1f tok/s", (long long)r.max_gpu_layers,
                     (long long)m->layers, r.tok_s_seq);
    }
    if (now->min_devices > 0 && now->min_devices != u->rs.s.devices) {
        sp = u->spec;
        sp.rate = 0;
        sp.devices = now->min_devices;
        sp.tp = sp.pp = 0;
        double v = ui_estimate_spec(u, &sp, &rs, &r, err, sizeof err) && r.fits ? r.tok_s_seq : 0;
        char at[32] = "";
        if (v > 0)
            snprintf(at, sizeof at, ": %.1f tok/s", v);
        add_hint(u, HINT_MORE_HARDWARE, "d: %lld devices fit%s%s", (long long)now->min_devices, at,
                 now->min_devices > rt_node_devices(&u->rs.device) ? " (more than one node)" : "");
    }
    /* a smaller weight format: the most bits per weight that fit */
    const struct rt_format *best = NULL;
    double best_speed = 0;
    for (size_t i = 0; i < u->cat->n_formats; i++) {
        const struct rt_format *f = &u->cat->formats[i];
        if (f->bits >= u->rs.s.weights->bits || (best && f->bits <= best->bits) || !rank_format_runs(&u->rs.s, f))
            continue; /* only what the engine loads: fp8 for vLLM, q8_0 for llama.cpp */
        sp = u->spec;
        sp.rate = 0;
        snprintf(sp.weights, sizeof sp.weights, "%s", f->id);
        if (ui_estimate_spec(u, &sp, &rs, &r, err, sizeof err) && r.fits) {
            best = f;
            best_speed = r.tok_s_seq;
        }
    }
    if (best)
        add_hint(u, best_speed, "weights %s: %.1f tok/s (%.2f bits/weight)", best->id, best_speed, best->bits);
    else if (now->min_cpu_moe > 0 && strcmp(u->rs.s.engine->id, "llama.cpp") == 0)
        hint_quant_and_cpu_moe(u);
    if (u->n_hints == 0)
        add_hint(u, 0, "nothing simple fits: a larger device, or a smaller model");
    sort_hints(u);
}

void ui_recompute(struct ui *u)
{
    u->valid = false;
    u->n_hints = 0;
    u->last_spec = u->spec;
    char err[512];
    struct rt_spec sp = u->spec;
    if (sp.requests > TUI_SERVE_REQUESTS)
        sp.requests = TUI_SERVE_REQUESTS; /* the serving panel says so */
    /* a change of plain numbers only (batch, prompt, rate ...): the resolved scenario
     * takes them, nothing is looked up or read again */
    bool ok = u->resolved && spec_same_resolve(&sp, &u->resolved_spec)
                  ? spec_update(&sp, &u->rs, err, sizeof err) == RT_OK &&
                        rt_estimate(&u->rs.s, &u->res, err, sizeof err) == RT_OK
                  : ui_estimate_spec(u, &sp, &u->rs, &u->res, err, sizeof err);
    u->resolved = ok;
    u->resolved_spec = sp;
    if (!ok) {
        snprintf(u->error, sizeof u->error, "%s", err);
        return;
    }
    u->valid = true;
    u->error[0] = 0;
    if (!u->res.fits)
        find_hints(u);
}

/* The static figures only (no serving run): for limits that do not depend on the rate. */
void ui_recompute_static(struct ui *u)
{
    double rate = u->spec.rate;
    u->spec.rate = 0;
    ui_recompute(u);
    u->spec.rate = rate;
}

/* Settings that depend on others are derived again when those change: with
 * offload on, the GPU layers follow the model, device and formats (a stale
 * count can exceed the new model's layers, or offload a model that fits). */
static void rederive(struct ui *u)
{
    const struct rt_spec *a = &u->last_spec;
    struct rt_spec *b = &u->spec;
    bool moved = strcmp(a->model, b->model) || strcmp(a->gpu, b->gpu) || a->devices != b->devices ||
                 strcmp(a->weights, b->weights) || strcmp(a->kv, b->kv) || strcmp(a->engine, b->engine);
    if (!moved || b->gpu_layers < 0)
        return;
    int64_t was = b->gpu_layers;
    b->gpu_layers = 0;
    ui_recompute_static(u);
    if (u->valid && u->res.max_gpu_layers >= 0)
        b->gpu_layers = u->res.max_gpu_layers >= u->rs.s.model->layers ? -1 : u->res.max_gpu_layers;
    else
        b->gpu_layers = -1;
    if (b->gpu_layers != was) {
        if (b->gpu_layers < 0)
            ui_message(u, " GPU layers %lld -> all: the model fits whole", (long long)was);
        else
            ui_message(u, " GPU layers %lld -> %lld: the most that fit now", (long long)was,
                       (long long)b->gpu_layers);
    }
}

void ui_changed(struct ui *u)
{
    u->dirty = true;
    rederive(u);
    ui_recompute(u);
}

void ui_message(struct ui *u, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->message, sizeof u->message, fmt, ap);
    va_end(ap);
}

int ui_warnings(const struct ui *u, char (*out)[200], int max)
{
    if (!u->valid)
        return 0;
    const struct rt_result *s = &u->res;
    const struct rt_model *m = u->rs.s.model;
    const char *w[12];
    int nw = warning_texts(s->warnings & ~(unsigned)(RT_WARN_NO_FIT | RT_WARN_CONTEXT), w, 12), n = 0;
    if ((s->warnings & RT_WARN_CONTEXT) && n < max) {
        char a[32], b[32];
        fmt_count(a, sizeof a, u->rs.s.prompt + u->rs.s.output);
        fmt_count(b, sizeof b, m->max_context);
        snprintf(out[n++], 200, "context %s is beyond the model's trained %s: it needs rope scaling", a, b);
    }
    for (int i = 0; i < nw && n < max; i++)
        snprintf(out[n++], 200, "%s", w[i]);
    if (u->rs.warning[0] && n < max)
        snprintf(out[n++], 200, "%s", u->rs.warning);
    return n;
}
