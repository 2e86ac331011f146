/* core.h - the estimator's entry points.  Pure functions over types.h. */
#ifndef ROOFTOP_CORE_H
#define ROOFTOP_CORE_H

#include <stddef.h>
#include "core/types.h"
#include "core/limits.h"

/* Return codes. */
#define RT_OK 0
#define RT_EINVAL (-1)

/* Layer groups (params.c).  The groups are the model: every reader (import/arch.c,
 * for the catalog, config.json and GGUF) builds them once when it reads a model, and
 * the plain fields are a view of them.  rt_plain_groups builds groups from the
 * plain fields alone (a uniform model, a dense prefix before MoE layers, Gemma 2's
 * alternation): for the readers, and for a model written by hand, which then sets
 * m->n_groups = rt_plain_groups(m, m->group).  Returns the number of groups. */
int rt_plain_groups(const struct rt_model *m, struct rt_group g[RT_GROUPS_MAX]);
/* A copy of the model's groups; returns their number. */
int rt_model_groups(const struct rt_model *m, struct rt_group g[RT_GROUPS_MAX]);
/* The model's groups without a copy; *n gets their number. */
const struct rt_group *rt_groups(const struct rt_model *m, int *n);
/* Parameters of one layer of a group. */
struct rt_group_params {
    double mixer;                   /* attention or recurrent mixer, indexer and sinks included */
    double ffn_total, ffn_active;   /* FFN: all experts / the routed ones a token uses */
    double expert;                  /* one routed expert */
    double norms;
};
void rt_group_params(const struct rt_model *m, const struct rt_group *g, struct rt_group_params *out);
/* Distinct routed experts of a group that `tokens` tokens touch (uniform routing). */
double rt_group_experts_touched(const struct rt_group *g, double tokens);

/* An EAGLE-3 draft head (draft_vocab_size in its config): a draft only, never a model to run. */
static inline bool rt_model_is_draft_head(const struct rt_model *m) { return m->draft_target_hidden > 0; }

/* Bits per weight of a tensor class under a format (rt_format: 0 falls back to bits). */
static inline double rt_attn_bits(const struct rt_format *f) { return f->attn_bits > 0 ? f->attn_bits : f->bits; }
static inline double rt_dense_bits(const struct rt_format *f) { return f->dense_bits > 0 ? f->dense_bits : f->bits; }

/* Parameters, by component (params.c).  The per-layer figures are means over
 * the layers of their kind; the sums are over every layer. */
struct rt_params {
    double attn_layer, ffn_dense_layer, ffn_moe_total_layer, ffn_moe_active_layer;
    double expert_params;           /* one routed expert (the first MoE group's) */
    double norm_layer, embed, head, final_norm;
    int64_t dense_layers, moe_layers;
    double total, active;
    double attn, ffn, ffn_active, norms; /* sums over all layers */
    double routed;                  /* every routed expert's weights (part of ffn) */
    double layer_weights;           /* every layer's weights: mixers, FFNs, norms */
    double extra;                   /* vision tower and projector */
    /* the model's layer groups as rt_groups gives them, kept here so that the
     * solvers' many memory evaluations need not rebuild them */
    int n_groups;
    struct rt_group groups[RT_GROUPS_MAX];
};
/* The groups of p when they were counted from m (n_groups > 0), else rt_groups(m). */
const struct rt_group *rt_params_groups(const struct rt_params *p, const struct rt_model *m, int *n);
void rt_count_params(const struct rt_model *m, struct rt_params *p);
/* The engine's sliding-window policy (swa.c) applied to n layer groups: the smallest
 * window it removed (sliding groups turned into full attention: the engine ignores
 * the window), 0 when it changed nothing. */
int64_t rt_engine_swa_groups(const struct rt_engine *e, struct rt_group *g, int n);
/* rt_count_params of the scenario's model, its groups as the scenario's engine runs
 * them (rt_engine_swa_groups); true when the engine ignores a window the scenario's
 * context (prompt + output) exceeds. */
bool rt_scenario_params(const struct rt_scenario *s, struct rt_params *p);

/* KV cache (kvcache.c). */
double rt_kv_layer_bytes(const struct rt_model *m, const struct rt_format *kv, bool from_hidden);
double rt_kv_bytes_per_token(const struct rt_model *m, const struct rt_format *kv, bool from_hidden);
int64_t rt_local_layers(const struct rt_model *m);
/* Bytes of KV one sequence holds at `context` tokens, sliding windows applied. */
double rt_kv_seq_bytes(const struct rt_model *m, const struct rt_format *kv, bool from_hidden,
                       int64_t context);
/* Share of the KV cache each device holds under tensor parallel degree tp
 * (the main attention layers'). */
double rt_kv_tp_share(const struct rt_model *m, int64_t tp, bool from_hidden);
/* Per group: bytes one layer caches per token (0: no per-token cache), tokens
 * it keeps at `context`, bytes of its fixed-size state per sequence, and the
 * share of those a device holds under tensor parallel degree tp. */
double rt_group_kv_token_bytes(const struct rt_model *m, const struct rt_group *g, const struct rt_format *kv,
                               bool from_hidden);
double rt_group_kv_kept(const struct rt_group *g, double context);
double rt_group_state_bytes(const struct rt_group *g, const struct rt_format *kv);
double rt_group_tp_share(const struct rt_group *g, int64_t tp, bool from_hidden);
/* Bytes of fixed-size recurrent state one sequence holds (Mamba2, DeltaNet). */
double rt_state_bytes_per_sequence(const struct rt_model *m, const struct rt_format *kv);
/* Bytes of cache (KV and states) one sequence keeps on one device at `context`
 * under tensor parallel degree tp. */
double rt_kv_seq_dev_bytes(const struct rt_model *m, const struct rt_format *kv, bool from_hidden,
                           int64_t context, int64_t tp);
/* The same over given groups of m. */
double rt_kv_groups_dev_bytes(const struct rt_model *m, const struct rt_group *g, int n, const struct rt_format *kv,
                              bool from_hidden, int64_t context, int64_t tp);

/* Memory (memory.c): per-device and whole-system breakdown at a batch and context. */
struct rt_memory {
    double weights, kv, act, overhead, total;          /* whole system */
    double host;                                       /* offloaded weights in host memory */
    double dev_weights, dev_kv, dev_act, dev_overhead, dev_total, capacity;
    int dev_index;                                     /* mixed devices: the one dev_* describe */
};
void rt_memory_at(const struct rt_scenario *s, const struct rt_params *p, int64_t batch,
                  int64_t prompt, int64_t context, struct rt_memory *out);
/* The cap on running sequences under a rate: the user's --max-seqs (s->max_seqs_given),
 * else a batch above 1 (--batch's meaning with --rate since 0.2; it also stays the static
 * batch), else the engine's limit (0: only the KV cache limits). */
int64_t rt_serve_cap(const struct rt_scenario *s);

/* The one memory account every limit uses: per device, what is left of the
 * capacity once everything is counted, and on unified memory of the share the
 * GPU may use once what is resident is counted (the engine's unused reserve is
 * not resident); the smaller.  >= 0: fits without paging. */
double rt_memory_room(const struct rt_scenario *s, const struct rt_memory *m);
/* The share of one device's memory a runtime may use (unified memory), else all of it. */
double rt_usable_bytes(const struct rt_device *d);

/* Devices one node holds (the catalog's, or RT_NODE_DEVICES). */
static inline int64_t rt_node_devices(const struct rt_device *d)
{
    return d->node_devices > 0 ? d->node_devices : RT_NODE_DEVICES;
}
/* Bandwidth between devices: the catalog's, or RT_LINK_BW_UNKNOWN. */
static inline double rt_link_bw(const struct rt_device *d)
{
    return d->link_bw > 0 ? d->link_bw : RT_LINK_BW_UNKNOWN;
}

/* Compute precision actually used for the weight format on this device, and its peak. */
double rt_compute_peak(const struct rt_device *d, enum rt_prec want, bool *native);

/* Performance (perf.c). */
void rt_prefill(const struct rt_scenario *s, const struct rt_params *p, struct rt_phase *out);
/* One decode step averaged over the generated tokens (context prompt .. prompt+output). */
void rt_decode(const struct rt_scenario *s, const struct rt_params *p, struct rt_phase *out,
               double *experts_touched);
double rt_experts_touched(const struct rt_model *m, double tokens);
/* Efficiency by shape (shape.c): one kernel's time from its compute and streaming times. */
double rt_shape_gemm(double tc, double tm);
/* Expected tokens per verification step: (1 - a^(g+1)) / (1 - a) (Leviathan et al. 2023). */
double rt_spec_tokens_per_step(double accept, int64_t gamma);

/* One engine step of continuous batching: prefill_tokens prompt tokens
 * being prefilled this step, whose attention spans prefill_ctx tokens on
 * average, plus decode_seqs sequences generating one token each at mean
 * context decode_ctx.  Weights are read once for the whole step.  Returns
 * seconds; fills *ph (flops, bytes, time breakdown) when ph is not NULL. */
double rt_step_time(const struct rt_scenario *s, const struct rt_params *p,
                    double prefill_tokens, double prefill_ctx,
                    double decode_seqs, double decode_ctx, struct rt_phase *ph);
/* Expert-parallel degree in effect (1 when off) and the attention TP degree tp / ep. */
/* Multi-head latent attention (DeepSeek-V2/V3 MLA): a group property, decided
 * here once (the readers set kv_lora_rank only for MLA). */
static inline bool rt_group_mla(const struct rt_group *g) { return g->kv_lora_rank > 0; }
/* A model's facts read from its groups (params.c): its first attention group (the
 * main attention layer the plain fields show), its first group of routed experts;
 * NULL where it has none. */
const struct rt_group *rt_main_attention(const struct rt_model *m);
const struct rt_group *rt_moe_group(const struct rt_model *m);
/* The model's attention is latent (MLA): its main attention group's. */
bool rt_model_mla(const struct rt_model *m);
/* The heads tensor parallelism splits: the main attention group's, or for a model
 * without attention its first recurrent mixer's (Mamba2 heads); 0: none. */
int64_t rt_tp_heads(const struct rt_model *m);
static inline int64_t rt_ep(const struct rt_scenario *s)
{
    return s->ep <= 1 || s->model->experts <= 0 ? 1 : s->ep;
}

/* Solvers (solve.c). */
int64_t rt_max_batch(const struct rt_scenario *s, const struct rt_params *p, int64_t context);
int64_t rt_max_context(const struct rt_scenario *s, const struct rt_params *p, int64_t batch);
int64_t rt_min_devices(const struct rt_scenario *s, const struct rt_params *p);
int64_t rt_max_gpu_layers(const struct rt_scenario *s, const struct rt_params *p);
/* MoE expert offload (cpumoe.c): per group, the layers among the first `blocks`
 * blocks whose routed experts stay in host memory; the bytes they hold at the
 * scenario's format; the fewest blocks at which the scenario fits (-1: none). */
void rt_cpu_moe_layers(const struct rt_model *m, const struct rt_group *g, int n, int64_t blocks,
                       double off[RT_GROUPS_MAX]);
double rt_cpu_moe_bytes(const struct rt_scenario *s, const struct rt_params *p);
int64_t rt_min_cpu_moe(const struct rt_scenario *s, const struct rt_params *p);
/* Share of the transformer layers on the device (1 without offload). */
double rt_gpu_fraction(const struct rt_scenario *s);

/* The model's own multi-token-prediction layers as a draft model (draft.c): false
 * when the model has none. */
bool rt_mtp_draft(const struct rt_model *m, struct rt_model *out);

/* Ranges (validate.c, model.c) and everything (estimate.c).  Each returns
 * RT_OK or RT_EINVAL with a message in err. */
int rt_validate(const struct rt_scenario *s, char *err, size_t errlen);
int rt_validate_model(const struct rt_model *m, char *err, size_t errlen);
int rt_estimate(const struct rt_scenario *s, struct rt_result *r, char *err, size_t errlen);

/* Seed-compatible closed forms, for tests and the "assumptions" view (seeds.c). */
double rt_seed_prefill_flops(int64_t layers, int64_t batch, int64_t seq, int64_t hidden);
double rt_seed_kv_bytes(int64_t batch, int64_t seq, int64_t layers, int64_t hidden, double bytes);

/* Mixed devices (split.c): llama.cpp's layer split over s->mix.  rt_mixed: the
 * scenario has such a list.  rt_mix_layers: repeating layers per device; returns the
 * output layer's device.  The memory, a prefill, a decode step and an engine step
 * over the devices in turn, ubatches pipelined (stage: each device's busy time, NULL:
 * not wanted); the result's per-device figures.  rt_memory_at, rt_prefill, rt_decode and rt_step_time (defined
 * in split.c) call these for a mixed scenario. */
static inline bool rt_mixed(const struct rt_scenario *s) { return s->mix_n > 1; }
/* The same entry points on one kind of device (memory.c, perf.c): split.c's run
 * them per device. */
void rt_memory_one(const struct rt_scenario *s, const struct rt_params *p, int64_t batch, int64_t prompt,
                   int64_t context, struct rt_memory *out);
void rt_prefill_one(const struct rt_scenario *s, const struct rt_params *p, struct rt_phase *out);
void rt_decode_one(const struct rt_scenario *s, const struct rt_params *p, struct rt_phase *out,
                   double *experts_touched);
double rt_step_one(const struct rt_scenario *s, const struct rt_params *p, double prefill_tokens, double prefill_ctx,
                   double decode_seqs, double decode_ctx, struct rt_phase *ph);
int rt_mix_layers(const struct rt_scenario *s, int64_t layers[RT_MIX_MAX]);
/* ubatches llama.cpp's scheduler keeps in flight, and copies of each split's inputs, under its
 * pipeline parallelism: GGML_SCHED_MAX_COPIES (ggml/src/ggml-backend.cpp, default 4) */
#define RT_GGML_SCHED_COPIES 4.0
/* llama.cpp's pipeline parallelism (memory.c): the bytes each device holds for the scheduler's
 * extra copies of its inputs when the layers are split over devices (a list, or --pp with the
 * engine's layer split), all of them offloaded; 0 otherwise.  context: tokens per sequence. */
double rt_pipeline_copies_bytes(const struct rt_scenario *s, int64_t batch, int64_t context);
void rt_mix_memory(const struct rt_scenario *s, const struct rt_params *p, int64_t batch, int64_t prompt,
                   int64_t context, struct rt_memory *out, struct rt_mix_dev *per);
void rt_mix_prefill(const struct rt_scenario *s, const struct rt_params *p, struct rt_phase *out,
                    double stage[RT_MIX_MAX]);
void rt_mix_decode(const struct rt_scenario *s, const struct rt_params *p, struct rt_phase *out,
                   double *experts_touched, double stage[RT_MIX_MAX]);
double rt_mix_step(const struct rt_scenario *s, const struct rt_params *p, double prefill_tokens, double prefill_ctx,
                   double decode_seqs, double decode_ctx, struct rt_phase *ph, double stage[RT_MIX_MAX]);
void rt_mix_result(const struct rt_scenario *s, const struct rt_params *p, struct rt_result *r);

#endif
