/* split.c - mixed devices: llama.cpp's layer split over a list of devices
 * (--gpu rtx-4090:1,rtx-3090:2, --tensor-split; doc/method.md, "Mixed devices").
 *
 * Where the layers go (ggml-org/llama.cpp@a5410f0 src/llama-model.cpp,
 * llama_model::load_tensors): the split weights are each device's free memory
 * ("default split, by free memory") unless --tensor-split gives them; their
 * running sums, normalised, are split points; layer il of the n_layer + 1 (the
 * output layer counted last) goes to the first device whose split point is above
 * il / (n_layer + 1) (std::upper_bound, in float); the input layer (the token
 * embedding) stays on the CPU.  Each device keeps the KV cache of its own layers
 * and its own compute buffer.
 *
 * Speed: a micro-batch (llama.cpp's ubatch) passes the devices one after the other:
 * the sum of the stages, each its layers' share of the pass on that device (its
 * bandwidth, its compute), the output layer on its device, plus a hand-off of the
 * activations over the link between consecutive devices.  A pass of more tokens
 * than one ubatch is cut into ubatches that follow each other through the devices
 * (ggml-org/llama.cpp pull request #6017, "pipeline parallelism": llama_decode splits
 * its batch into n_ubatch pieces and runs them asynchronously, at most
 * GGML_SCHED_MAX_COPIES = 4 in flight, ggml/src/ggml-backend.cpp), so that the
 * slowest stage bounds a long prompt; a decode step of a few sequences is one ubatch
 * and runs the stages in turn.  Pure C, no I/O, no globals.
 */
#include <math.h>
#include <string.h>
#include "core/core.h"
#include "core/collective.h"

#define ACT_BYTES 2.0 /* activations travel in 16-bit */
#define N_BATCH 2048.0 /* tokens per llama_decode call: llama-server's n_batch (common/common.h); the
                        * pipeline drains at the end of each call */

/* The weight of device i: --tensor-split's, else its free memory (all of what a
 * runtime may use: the catalog has no figure for memory other programs hold). */
static double weight_of(const struct rt_scenario *s, int i, bool given)
{
    return given ? s->mix_split[i] : rt_usable_bytes(s->mix[i]);
}

int rt_mix_layers(const struct rt_scenario *s, int64_t layers[RT_MIX_MAX])
{
    int n = s->mix_n;
    bool given = false;
    for (int i = 0; i < n; i++)
        given = given || s->mix_split[i] != 0;
    float split[RT_MIX_MAX], sum = 0;
    for (int i = 0; i < n; i++) {
        sum += (float)weight_of(s, i, given);
        split[i] = sum;
        layers[i] = 0;
    }
    for (int i = 0; i < n; i++)
        split[i] /= sum;
    int64_t L = s->model->layers;
    int out = n - 1;
    for (int64_t il = 0; il <= L; il++) {
        float x = (float)il / (float)(L + 1);
        int d = 0;
        while (d < n && !(split[d] > x)) /* upper_bound: the first split point above x */
            d++;
        if (d >= n)
            d = n - 1;
        if (il < L)
            layers[d]++;
        else
            out = d;
    }
    return out;
}

/* Device i alone, with the whole model (its share is taken afterwards). */
static void sub_scenario(const struct rt_scenario *s, int i, struct rt_scenario *t)
{
    *t = *s;
    t->mix_n = 0;
    t->device = s->mix[i];
    t->devices = t->tp = t->pp = 1;
    t->ep = 0;
}

static double bits_or(double b, double fallback) { return b > 0 ? b : fallback; }

void rt_mix_memory(const struct rt_scenario *s, const struct rt_params *p, int64_t batch, int64_t prompt,
                   int64_t context, struct rt_memory *out, struct rt_mix_dev *per)
{
    int64_t layers[RT_MIX_MAX];
    int o = rt_mix_layers(s, layers);
    double L = (double)s->model->layers, h = (double)s->model->hidden, V = (double)s->model->vocab;
    const struct rt_format *f = s->weights;
    double embed = p->embed * bits_or(f->embed_bits, f->bits) / 8.0;
    /* the output layer: its own matrix, or a copy of the tied embedding (llama.cpp
     * loads token_embd again on the output device), and the final norm */
    double head_b = bits_or(f->head_bits, f->bits) / 8.0, head = (p->head > 0 ? p->head : V * h) * head_b;
    memset(out, 0, sizeof *out);
    out->host = embed;
    double worst = INFINITY;
    int first = 1;
    for (int i = 0; i < s->mix_n; i++) {
        struct rt_scenario t;
        sub_scenario(s, i, &t);
        struct rt_memory m;
        rt_memory_one(&t, p, batch, prompt, context, &m);
        double fr = (double)layers[i] / L;
        struct rt_mix_dev d = { .layers = layers[i], .output = i == o, .capacity = m.capacity };
        if (layers[i] > 0 || i == o) {
            double body = m.weights - embed - p->head * head_b; /* the repeating layers (and the final norm) */
            d.weights = fr * body + (i == o ? head : 0);
            d.kv = fr * m.dev_kv;
            d.act = m.dev_act + rt_pipeline_copies_bytes(s, batch, context);
            d.overhead = m.dev_overhead;
        }
        d.total = d.weights + d.kv + d.act + d.overhead;
        struct rt_memory one = m;
        one.dev_weights = d.weights;
        one.dev_kv = d.kv;
        one.dev_act = d.act;
        one.dev_overhead = d.overhead;
        one.dev_total = d.total;
        d.free = rt_memory_room(&t, &one);
        d.fits = d.total <= d.capacity;
        if (per)
            per[i] = d;
        out->weights += d.weights;
        out->kv += d.kv;
        out->act += d.act;
        out->overhead += d.overhead;
        /* the device that runs out first as sequences are added (all fit iff it fits):
         * the most sequences its room holds */
        double seq = batch > 0 ? d.kv / (double)batch : 0;
        double holds = seq > 0 ? (d.free + d.kv) / seq : d.free >= 0 ? INFINITY : -INFINITY;
        if (first || holds < worst) {
            worst = holds;
            first = 0;
            out->dev_index = i;
            out->dev_weights = d.weights;
            out->dev_kv = d.kv;
            out->dev_act = d.act;
            out->dev_overhead = d.overhead;
            out->dev_total = d.total;
            out->capacity = d.capacity;
        }
    }
    out->total = out->weights + out->kv + out->act + out->overhead;
}

/* A device's PCIe link: the catalog's link where that is PCIe; an NVLink device's
 * PCIe rate is not in the catalog, so PCIe 4.0 x16 (16 GT/s x 16 lanes x 128/130
 * / 8 = 31.5 GB/s per direction, PCI-SIG's base specification; the catalog's
 * PCIe cards say 31) stands for it. */
#define PCIE4_X16_BW 31.0e9
static double pcie_bw(const struct rt_device *d) { return d->nvlink ? PCIE4_X16_BW : rt_link_bw(d); }

/* The hand-off of `bytes` from device a to device b: over NVLink only between two
 * of the same NVLink device, else over the slower of their PCIe links
 * (collective.c's PCIe latency per message). */
static double send_s(const struct rt_device *a, const struct rt_device *b, double bytes)
{
    struct rt_link l;
    if (a->nvlink && b->nvlink && strcmp(a->id, b->id) == 0) {
        rt_link_node(a, &l);
    } else {
        struct rt_device slow = pcie_bw(a) <= pcie_bw(b) ? *a : *b;
        slow.link_bw = pcie_bw(&slow);
        slow.nvlink = false;
        rt_link_node(&slow, &l);
    }
    return rt_p2p_link_s(&l, bytes);
}

enum mix_kind { MIX_PREFILL, MIX_DECODE, MIX_STEP };

/* One pass of the kind over the devices in turn: the phase (times are the
 * stages' sums) and each stage's time. */
static void mix_pass(const struct rt_scenario *s, const struct rt_params *p, enum mix_kind kind, const double a[4],
                     struct rt_phase *out, double stage[RT_MIX_MAX], double *experts_touched)
{
    int64_t layers[RT_MIX_MAX];
    int o = rt_mix_layers(s, layers);
    double L = (double)s->model->layers, h = (double)s->model->hidden;
    double tokens;
    if (kind == MIX_PREFILL)
        tokens = (double)s->batch * (double)(s->prompt - s->cached_prefix);
    else if (kind == MIX_DECODE)
        tokens = (double)s->batch;
    else
        tokens = (a[0] > 0 ? a[0] : 0) + (a[2] > 0 ? a[2] : 0);
    double C = (double)s->engine->max_batched_tokens; /* the ubatch: each crosses every boundary */
    double rounds = C > 0 && tokens > C ? ceil(tokens / C) : 1;
    *out = (struct rt_phase){ 0 };
    int prev = -1;
    for (int i = 0; i < s->mix_n; i++) {
        stage[i] = 0;
        if (layers[i] <= 0 && i != o)
            continue;
        struct rt_scenario t;
        sub_scenario(s, i, &t);
        struct rt_phase ph;
        double et = 0;
        if (kind == MIX_PREFILL)
            rt_prefill_one(&t, p, &ph);
        else if (kind == MIX_DECODE)
            rt_decode_one(&t, p, &ph, &et);
        else
            rt_step_one(&t, p, a[0], a[1], a[2], a[3], &ph);
        if (prev < 0) { /* the work is the same on every device: count it once */
            out->flops = ph.flops;
            out->bytes = ph.bytes;
            out->f_attn = ph.f_attn;
            out->f_ffn = ph.f_ffn;
            out->f_head = ph.f_head;
            if (experts_touched)
                *experts_touched = et;
        }
        double fr = (double)layers[i] / L;
        out->t_attn += fr * ph.t_attn;
        out->t_kv += fr * ph.t_kv;
        out->t_ffn += fr * ph.t_ffn;
        out->t_overhead += fr * ph.t_overhead;
        stage[i] = fr * (ph.t_attn + ph.t_ffn + ph.t_overhead);
        if (i == o) {
            out->t_head = ph.t_head;
            stage[i] += ph.t_head;
        }
        if (prev >= 0 && tokens > 0) {
            double hand = rounds * (send_s(s->mix[prev], s->mix[i], tokens / rounds * h * ACT_BYTES) +
                                    s->engine->stage_overhead_s);
            out->t_comm += hand;
            stage[i] += hand;
        }
        prev = i;
    }
    /* ubatches through the stages: the first passes them all, each further one
     * adds the period of the pipeline (the slowest stage, or the sum of the stages
     * over the copies in flight); the pipeline drains at the end of each call */
    double U = (double)s->engine->max_batched_tokens, sum = 0, slow = 0;
    for (int i = 0; i < s->mix_n; i++) {
        sum += stage[i];
        slow = stage[i] > slow ? stage[i] : slow;
    }
    double u = U > 0 && tokens > U ? ceil(tokens / U) : 1;
    if (u > 1 && sum > 0) {
        double calls = ceil(tokens / (N_BATCH > U ? N_BATCH : U));
        double period = slow > sum / RT_GGML_SCHED_COPIES ? slow : sum / RT_GGML_SCHED_COPIES;
        double k = (calls * sum + (u - calls) * period) / u / sum; /* the overlap, as a share of the sum */
        out->t_attn *= k;
        out->t_kv *= k;
        out->t_ffn *= k;
        out->t_head *= k;
        out->t_comm *= k;
        out->t_overhead *= k;
    }
    out->ai = out->bytes > 0 ? out->flops / out->bytes : 0;
    bool native;
    double ridge = rt_compute_peak(s->device, s->weights->compute, &native) / s->device->bandwidth;
    out->ridge = ridge;
    out->bound = out->ai >= ridge && ridge > 0 ? RT_COMPUTE_BOUND : RT_MEMORY_BOUND;
    out->time_s = out->t_attn + out->t_ffn + out->t_head + out->t_comm + out->t_overhead;
    out->time_low_s = out->time_s * s->engine->band_low;
    out->time_high_s = out->time_s * s->engine->band_high;
}

void rt_mix_prefill(const struct rt_scenario *s, const struct rt_params *p, struct rt_phase *out,
                    double stage[RT_MIX_MAX])
{
    double st[RT_MIX_MAX], a[4] = { 0 };
    if (s->prompt - s->cached_prefix <= 0) {
        *out = (struct rt_phase){ .bound = RT_MEMORY_BOUND };
        if (stage)
            memset(stage, 0, sizeof(double) * RT_MIX_MAX);
        return;
    }
    mix_pass(s, p, MIX_PREFILL, a, out, stage ? stage : st, NULL);
}

void rt_mix_decode(const struct rt_scenario *s, const struct rt_params *p, struct rt_phase *out,
                   double *experts_touched, double stage[RT_MIX_MAX])
{
    double st[RT_MIX_MAX], a[4] = { 0 };
    mix_pass(s, p, MIX_DECODE, a, out, stage ? stage : st, experts_touched);
}

double rt_mix_step(const struct rt_scenario *s, const struct rt_params *p, double prefill_tokens, double prefill_ctx,
                   double decode_seqs, double decode_ctx, struct rt_phase *ph, double stage[RT_MIX_MAX])
{
    double st[RT_MIX_MAX], a[4] = { prefill_tokens, prefill_ctx, decode_seqs, decode_ctx };
    struct rt_phase local;
    if (!ph)
        ph = &local;
    if (!((prefill_tokens > 0 ? prefill_tokens : 0) + (decode_seqs > 0 ? decode_seqs : 0) > 0)) {
        *ph = (struct rt_phase){ 0 };
        if (stage)
            memset(stage, 0, sizeof(double) * RT_MIX_MAX);
        return 0;
    }
    mix_pass(s, p, MIX_STEP, a, ph, stage ? stage : st, NULL);
    return ph->time_s;
}

/* The per-device figures of the result, and which stage is slowest. */
void rt_mix_result(const struct rt_scenario *s, const struct rt_params *p, struct rt_result *r)
{
    int64_t ctx = s->prompt + s->output;
    struct rt_memory mem;
    rt_mix_memory(s, p, s->batch, s->prompt, ctx, &mem, r->mix);
    r->mix_n = s->mix_n;
    double pf[RT_MIX_MAX], dc[RT_MIX_MAX];
    struct rt_phase ph;
    rt_mix_prefill(s, p, &ph, pf);
    double et;
    rt_mix_decode(s, p, &ph, &et, dc);
    r->mix_short = -1;
    r->mix_decode_slowest = r->mix_prefill_slowest = 0;
    for (int i = 0; i < s->mix_n; i++) {
        r->mix[i].prefill_s = pf[i];
        r->mix[i].decode_s = dc[i];
        if (dc[i] > dc[r->mix_decode_slowest])
            r->mix_decode_slowest = i;
        if (pf[i] > pf[r->mix_prefill_slowest])
            r->mix_prefill_slowest = i;
        if (r->mix_short < 0 && !r->mix[i].fits)
            r->mix_short = i;
    }
}

/* The core's entry points: a mixed scenario over its devices in turn, any other
 * on its one kind of device (memory.c, perf.c). */
void rt_memory_at(const struct rt_scenario *s, const struct rt_params *p, int64_t batch, int64_t prompt,
                  int64_t context, struct rt_memory *out)
{
    if (rt_mixed(s))
        rt_mix_memory(s, p, batch, prompt, context, out, NULL);
    else
        rt_memory_one(s, p, batch, prompt, context, out);
}

void rt_prefill(const struct rt_scenario *s, const struct rt_params *p, struct rt_phase *out)
{
    if (rt_mixed(s))
        rt_mix_prefill(s, p, out, NULL);
    else
        rt_prefill_one(s, p, out);
}

void rt_decode(const struct rt_scenario *s, const struct rt_params *p, struct rt_phase *out, double *experts_touched)
{
    if (rt_mixed(s))
        rt_mix_decode(s, p, out, experts_touched, NULL);
    else
        rt_decode_one(s, p, out, experts_touched);
}

double rt_step_time(const struct rt_scenario *s, const struct rt_params *p, double prefill_tokens, double prefill_ctx,
                    double decode_seqs, double decode_ctx, struct rt_phase *ph)
{
    if (rt_mixed(s))
        return rt_mix_step(s, p, prefill_tokens, prefill_ctx, decode_seqs, decode_ctx, ph, NULL);
    return rt_step_one(s, p, prefill_tokens, prefill_ctx, decode_seqs, decode_ctx, ph);
}
