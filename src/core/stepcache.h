/* stepcache.h - what one scenario's step model computes once and reuses from step to
 * step of a serving run (perf.c): the rates a pass runs at, the layer groups'
 * constants, and the last results of the parts that depend on the step's token count,
 * each kept with the exact arguments it was computed for, so that a step timed through
 * the cache is the same number, to the bit, as one timed without it.  The caller owns
 * the cache (no globals) and empties it for another scenario. */
#ifndef ROOFTOP_STEPCACHE_H
#define ROOFTOP_STEPCACHE_H

#include <stdbool.h>
#include "core/core.h"

/* The efficiencies and peaks one phase runs at, per device. */
struct roof {
    double peak_lin, peak_attn, bw;
    double copy;                    /* bytes per weight of a dequantised copy written per pass (kclass.h), 0: none */
    double copy_wps;                /* weights/s at most that copy's kernel converts on one device (kclass.h), 0: none */
    int kclass;                     /* the weight GEMMs' kernel class (enum rt_kclass_id) */
    /* the engine's one-tile-per-CTA GEMM (kernels.c kernel_tiles), looked up once per
     * scenario: it runs the linear layers on this device (not a tile_except board), and
     * 8-bit weights are the checkpoint's own FP8 (block-scaled: the block-FP8 kernel);
     * FP4 weights multiplied in FP4 on the device's FP4 units (the W4A4 kernels: their tile
     * bound and activation quantisations) */
    bool tile_linear, tile_own_fp8, fp4_native;
    double mbu_w, mbu_kv, mfu;
    double tp, hit;
};

/* The kernels of a layer (kernels.c): per pass, the small kernels and MoE routing, and
 * the weight-GEMM latencies added to the projections and the FFN. */
struct kfix {
    double small;                   /* small kernels and routing, seconds per pass */
    double lat_attn, lat_ffn;       /* GEMM latencies of the mixer projections and the FFN, seconds per pass */
    double tile_attn, tile_ffn;     /* what one-tile-per-CTA GEMMs add over their streaming time, per pass */
};

/* One layer group's figures that no step changes. */
struct rt_group_const {
    double kv_token_bytes;          /* rt_group_kv_token_bytes */
    double tp_share;                /* rt_group_tp_share over the attention's tp devices */
    struct rt_group_params gp;
};

struct rt_step_cache {
    bool ready;                     /* base, group[] and attn filled */
    const struct rt_attn_curve *attn; /* the engine's decode-attention curve on the device (attn.h), NULL: none */
    struct roof base;               /* roof_init's */
    struct rt_group_const group[RT_GROUPS_MAX];
    bool roof_ok, kf_ok, comm_ok;
    double roof_at;                 /* the roof of a pass of this many tokens per weight pass */
    struct roof roof;
    int kf_klass;                   /* the kernels at this class, graphs and tokens */
    bool kf_graphs;
    double kf_tokens;
    struct kfix kf;
    double comm_tokens, comm;       /* a step's communication at this many tokens */
};

/* Empty the cache (before its first use, and for another scenario or parameters). */
static inline void rt_step_cache_clear(struct rt_step_cache *k) { k->ready = k->roof_ok = k->kf_ok = k->comm_ok = false; }

/* rt_step_one (one kind of device; split.c's mixed devices are not cached) without its
 * phase breakdown, through the cache k (filled on first use for s and p, which must stay
 * the same until it is cleared). */
double rt_step_cached(struct rt_step_cache *k, const struct rt_scenario *s, const struct rt_params *p,
                      double prefill_tokens, double prefill_ctx, double decode_seqs, double decode_ctx);

#endif
