/* memory.c - weights, KV cache, activations and runtime overhead (doc/method.md). */
#include <math.h>
#include "core/core.h"

static double bits_or(double b, double fallback) { return b > 0 ? b : fallback; }

/* Bytes of all weights at the format, tensor class by class: the routed experts and a
 * vision tower at `bits`, the mixer projections at attn_bits, the rest of the FFN weights
 * (dense FFNs, shared experts, routers) and the norms at dense_bits, the embedding and
 * lm_head at theirs (each 0: `bits`). */
static double weight_bytes(const struct rt_format *f, const struct rt_params *p)
{
    double rest = p->ffn - p->routed + p->norms + p->final_norm;
    double body = p->total - p->embed - p->head - p->attn - rest;
    return (body * f->bits + p->attn * rt_attn_bits(f) + rest * rt_dense_bits(f) +
            p->embed * bits_or(f->embed_bits, f->bits) + p->head * bits_or(f->head_bits, f->bits)) / 8.0;
}

/* Peak transient of one forward pass on one device: inference keeps no
 * activations for backward, so this is one layer's working set, the logits,
 * and without FlashAttention the materialised score matrix. */
static double activation_bytes(const struct rt_scenario *s, const struct rt_params *p, int64_t batch,
                               int64_t prompt, int64_t context)
{
    const struct rt_model *m = s->model;
    double ba = 2.0; /* activations in 16-bit */
    double tokens = (double)batch * (double)(prompt > 0 ? prompt : 1);
    double chunk = (double)s->engine->max_batched_tokens;
    /* An engine with a token budget sizes its working memory for a full step of it before it
     * sizes the cache, whatever the batch in hand (vLLM's profiling run of max_num_batched_tokens,
     * TensorRT-LLM's max_num_tokens, SGLang's chunked-prefill size, llama.cpp's graph reserved at
     * n_ubatch): the static figures and the serving simulation hold the same reserve. */
    if (chunk > 0)
        tokens = chunk;
    if (tokens < (double)batch)
        tokens = (double)batch; /* a decode step carries one token per sequence */
    double tp = (double)s->tp;
    /* the widest intermediate of any layer: q, k and v, a recurrent in_proj, or the FFN */
    int n;
    const struct rt_group *g = rt_params_groups(p, m, &n);
    double widest = 0, heads = 0;
    for (int i = 0; i < n; i++) {
        double w = 0;
        if (g[i].mixer == RT_MIX_ATTENTION) {
            w = (double)g[i].heads * (double)g[i].head_dim + 2.0 * (double)g[i].kv_heads * (double)g[i].head_dim;
            if (g[i].heads > heads)
                heads = (double)g[i].heads;
        } else if (g[i].mixer != RT_MIX_NONE) {
            w = 2.0 * (double)g[i].lin_heads * (double)g[i].lin_v_dim +
                2.0 * (double)g[i].lin_k_heads * (double)g[i].lin_k_dim;
        }
        if (w > widest)
            widest = w;
        double ffn = (double)(g[i].experts > 0 ? g[i].expert_intermediate * g[i].experts_per_token : g[i].intermediate);
        if (g[i].ffn == RT_FFN_GATED)
            ffn *= 2;
        if (ffn > widest)
            widest = ffn;
    }
    double act = tokens * ba * (2.0 * (double)m->hidden + widest / tp);
    act += (double)batch * (double)m->vocab * 4.0; /* fp32 logits for the last positions */
    if (s->assume.no_flash_attention)
        act += heads / tp * tokens * (double)context * 4.0; /* fp32 scores */
    return act;
}

#define N_UBATCH 512.0 /* tokens per ubatch: llama.cpp's n_ubatch (common/common.h), where the engine gives none */

/* Memory: llama.cpp turns on its scheduler's pipeline parallelism when the model is split by
 * layer over more than one device, every layer offloaded, the KV cache too, and no tensor
 * overridden (--n-cpu-moe, -ot) (ggml-org/llama.cpp@001d906 src/llama-context.cpp, "enabling
 * pipeline parallelism in the scheduler increases memory usage").  The scheduler then keeps
 * GGML_SCHED_MAX_COPIES = 4 copies of every input of every split, allocated first and kept
 * (ggml-org/llama.cpp@0054c01 ggml/src/ggml-backend.cpp, ggml_backend_sched_split_graph: "add
 * input copies as leafs so that they are allocated first"), where a run without it holds one.
 * A device's split receives, per ubatch of n_ubatch tokens (the graph is reserved at that
 * size): the residual stream, hidden x 4 bytes a token (ggml's activations are F32), and the
 * attention mask, n_kv x 2 bytes a token with flash attention (F16), else 4 (F32)
 * (ggml-org/llama.cpp@00395eb src/llama-graph.cpp, build_attn_inp_kq_mask), n_kv being the KV
 * cells, reserved at their full number: llama-server's unified cache (its default) of all the
 * sequences' context, padded to 256 (llama-context.cpp: GGML_PAD(n_ctx, 256)).  So each
 * device holds 3 x n_ubatch x (4 hidden + mask bytes x n_kv) more.  Left out: the positions
 * and KV indices (a few bytes a token), a sliding-window model's second mask. */
double rt_pipeline_copies_bytes(const struct rt_scenario *s, int64_t batch, int64_t context)
{
    bool layer_split = s->engine->split_layers && (rt_mixed(s) || s->pp > 1);
    if (!layer_split || rt_gpu_fraction(s) < 1 || s->cpu_moe > 0)
        return 0;
    double ubatch = s->engine->max_batched_tokens > 0 ? (double)s->engine->max_batched_tokens : N_UBATCH;
    double cells = (double)(batch > 0 ? batch : 1) * (double)(context > 0 ? context : 1);
    double n_kv = ceil(cells / 256.0) * 256.0;
    double mask = s->assume.no_flash_attention ? 4.0 : 2.0;
    return (RT_GGML_SCHED_COPIES - 1) * ubatch * (4.0 * (double)s->model->hidden + mask * n_kv);
}

/* The cap with `batch` as the batch: the largest-batch search asks at each candidate. */
static int64_t serve_cap_at(const struct rt_scenario *s, int64_t batch)
{
    if (s->max_seqs_given)
        return s->engine->max_seqs;
    return batch > 1 ? batch : s->engine->max_seqs;
}

int64_t rt_serve_cap(const struct rt_scenario *s) { return serve_cap_at(s, s->batch); }

/* The sequences a serving engine's memory account reserves a full step for: the cap per
 * scheduler (one per pipeline stage), 256 where only the KV cache limits.  At a candidate
 * batch above 1 (no --max-seqs) the batch is the cap it would launch with, so the largest
 * batch found is also the largest with its own reserve (m lands on a fixed point). */
static int64_t reserve_seqs_at(const struct rt_scenario *s, int64_t batch)
{
    int64_t cap = serve_cap_at(s, batch);
    if (cap > 0 && s->pp > 1)
        cap *= s->pp;
    return cap > 0 ? cap : 256;
}

void rt_memory_one(const struct rt_scenario *s, const struct rt_params *p, int64_t batch,
                   int64_t prompt, int64_t context, struct rt_memory *out)
{
    const struct rt_model *m = s->model;
    double n = (double)s->devices, tp = (double)s->tp, pp = (double)s->pp;
    bool fh = s->assume.kv_from_hidden;
    out->dev_index = 0;

    out->weights = weight_bytes(s->weights, p);
    /* per device: the TP share of each layer's cache (KV heads replicate past
     * n_kv) and of its recurrent state */
    int64_t ep = rt_ep(s), atp = s->tp / ep;
    int ng;
    const struct rt_group *g = rt_params_groups(p, m, &ng);
    double kv_seq = rt_kv_groups_dev_bytes(m, g, ng, s->kv, fh, context, atp);
    if (s->draft) { /* the draft model's weights and cache live beside the target's */
        struct rt_params dp;
        rt_count_params(s->draft, &dp);
        out->weights += weight_bytes(s->weights, &dp) + s->draft->draft_proj_params * s->weights->bits / 8.0;
        if (s->draft->shares_embed_head || s->draft->shares_embed) /* an MTP or EAGLE head reads the target's */
            out->weights -= dp.embed * bits_or(s->weights->embed_bits, s->weights->bits) / 8.0;
        if (s->draft->shares_embed_head) /* MTP: the target's output head too (EAGLE-3 has its own) */
            out->weights -= dp.head * bits_or(s->weights->head_bits, s->weights->bits) / 8.0;
        kv_seq += rt_kv_seq_dev_bytes(s->draft, s->kv, fh, context, atp);
    }
    out->dev_weights = out->weights / (tp * pp);
    out->host = 0;
    double fg = rt_gpu_fraction(s);
    if (fg < 1) { /* offload: the device keeps its layers, the embedding and the output layer */
        double head = (p->embed * (s->weights->embed_bits > 0 ? s->weights->embed_bits : s->weights->bits) +
                       p->head * (s->weights->head_bits > 0 ? s->weights->head_bits : s->weights->bits)) / 8.0;
        double layers = out->weights - head;
        out->host = layers * (1 - fg) + (s->gpu_layers == 0 ? head : 0);
        out->dev_weights = (out->weights - out->host) / (tp * pp);
        out->weights -= out->host;
    }
    /* expert offload: the routed experts of the first cpu_moe blocks in host memory */
    double exps = rt_cpu_moe_bytes(s, p);
    if (exps > 0) {
        out->host += exps;
        out->dev_weights -= exps / (tp * pp);
        out->weights -= exps;
    }

    /* Expert parallel: each of the ep data-parallel attention groups keeps its own
     * copy of the attention weights and the cache of its own sequences. */
    if (ep > 1) {
        double attn = p->attn * rt_attn_bits(s->weights) / 8.0;
        out->dev_weights += attn * (double)(ep - 1) / (tp * pp);
        out->weights += attn * (double)(ep - 1);
    }

    /* Per device: its TP share (KV heads replicate past n_kv) of its pipeline
     * stage, of its data-parallel group's sequences.  The system figure is what
     * all devices hold together, replicas included. */
    out->dev_kv = kv_seq * (double)batch / (double)ep / pp;
    out->kv = out->dev_kv * n;

    /* under a rate the engine is the one launched with its cap on running sequences: its
     * profiling step samples that many (the serving simulation's account, serve_scenario.c) */
    int64_t act_seqs = batch;
    if (s->rate > 0 && s->engine->max_batched_tokens > 0 && reserve_seqs_at(s, batch) > act_seqs)
        act_seqs = reserve_seqs_at(s, batch);
    out->dev_act = activation_bytes(s, p, act_seqs, prompt, context) + rt_pipeline_copies_bytes(s, batch, context);
    out->act = out->dev_act * n;

    out->capacity = s->device->memory_bytes;
    /* the share the engine leaves unused: of all memory (vLLM's gpu_memory_utilization)
     * or of what is free once the weights are loaded (TensorRT-LLM's
     * free_gpu_memory_fraction, doc/method.md) */
    double base = out->capacity;
    if (s->engine->mem_util_of_free) {
        base = out->capacity - out->dev_weights - s->engine->context_bytes;
        if (base < 0)
            base = 0;
    }
    out->dev_overhead = s->engine->context_bytes + (1.0 - s->engine->mem_util) * base;
    out->overhead = out->dev_overhead * n;

    out->total = out->weights + out->kv + out->act + out->overhead;
    out->dev_total = out->dev_weights + out->dev_kv + out->dev_act + out->dev_overhead;
}

double rt_usable_bytes(const struct rt_device *d)
{
    return d->usable_bytes > 0 && d->usable_bytes < d->memory_bytes ? d->usable_bytes : d->memory_bytes;
}

double rt_memory_room(const struct rt_scenario *s, const struct rt_memory *m)
{
    double room = m->capacity - m->dev_total;
    const struct rt_device *d = rt_mixed(s) ? s->mix[m->dev_index] : s->device;
    double usable = rt_usable_bytes(d);
    if (usable < m->capacity) {
        double resident = m->dev_weights + m->dev_kv + m->dev_act + s->engine->context_bytes;
        if (usable - resident < room)
            room = usable - resident;
    }
    return room;
}
