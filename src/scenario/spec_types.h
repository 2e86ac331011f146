/* spec_types.h - a scenario as the user names it, struct rt_spec (ids, paths and
 * plain numbers: what options, sessions and the dashboard fill), and as it is
 * resolved, struct rt_resolved.  The inputs table (inputs.c) describes rt_spec's
 * fields, spec.c and devlist.c resolve it; they all include this, so none
 * includes another's way back. */
#ifndef ROOFTOP_SPEC_TYPES_H
#define ROOFTOP_SPEC_TYPES_H

#include <limits.h>
#include <stdint.h>
#include "catalog/catalog.h"

struct rt_spec {
    char model[PATH_MAX];           /* catalog id, config.json or .gguf path */
    char gpu[RT_ID_MAX * 4];        /* catalog id, or a list ID:COUNT,... (devlist.c); empty: a custom
                                     * device from the overrides */
    char tensor_split[RT_ID_MAX * 2]; /* with a list: layer split weights W1,W2,... (empty: by memory) */
    char weights[RT_ID_MAX], kv[RT_ID_MAX], engine[RT_ID_MAX];
    char attn_weights[RT_ID_MAX];   /* the attention projections' format: auto (as --weights gives
                                     * them), native (as the checkpoint ships them) or a format id */
    int64_t devices, tp, pp;        /* 0: derived from the others */
    int64_t ep;                     /* expert parallel degree (MoE), 0/1: off */
    int64_t batch, prompt, output;
    double bandwidth_gbps, tflops, memory_gb; /* device overrides, 0: none */
    double price_hour;              /* USD per device-hour override, 0: the catalog's */
    struct rt_assume assume;
    double target_tok_s;
    int64_t cached_prefix;          /* prompt tokens served from a prefix cache */
    double prefix_hit;              /* serving: share of each prompt served from the prefix cache */
    char draft[PATH_MAX];           /* speculative decoding's draft: a catalog id, mtp, or a draft's
                                     * config.json (an EAGLE-3 head's); empty: off */
    int64_t spec_tokens;            /* draft tokens per verification (0: 4) */
    double spec_accept;             /* acceptance rate (0: 0.8, a common example) */
    int64_t gpu_layers;             /* partial offload: layers on the device, -1: all */
    char host[RT_ID_MAX];           /* the host memory system for offloaded layers */
    int64_t n_cpu_moe;              /* MoE expert offload: blocks whose routed experts stay in host memory */
    double lifetime_years, kwh_usd; /* owning the hardware: write-off period, electricity price */
    double purchase_usd;            /* price of one device override, 0: the catalog's */
    double utilization, load_factor, pue; /* cost: share of time at work, power at a share of TDP, PUE */
    char api[RT_ID_MAX];            /* API offering to compare with, empty: none */
    double rate;                    /* serving: requests per second, 0: off, inf: all at once */
    int64_t requests;               /* serving: requests in the run */
    double ttft_max, itl_max;       /* latency targets (mean TTFT, mean ITL), 0: none */
    int64_t max_devices;            /* --solve: the most devices a setup may use */
    int64_t max_seqs;               /* serving: the engine's cap on running sequences, 0: the profile's */
    int64_t max_batched_tokens;     /* the engine's token budget per step, 0: the profile's */
    char swa_kv[RT_ID_MAX];         /* the engine's sliding-window KV policy, "": the profile's */
    char kv_policy[RT_ID_MAX];      /* the engine's KV cache under load, reserve or grow, "": the profile's */
    char backend[RT_ID_MAX];        /* ggml's compute backend (-e llama.cpp), "": auto (the device family's) */
    char prompt_dist[RT_ID_MAX], output_dist[RT_ID_MAX]; /* "fixed", "uniform:R", "lognormal:S" */
    int64_t concurrency;            /* closed loop of N clients with --rate inf, 0: off */
    int64_t dp;                     /* data-parallel replicas, 0/1: one */
    char disagg[RT_ID_MAX];         /* "P:D" disaggregated prefill and decode devices, empty: off */
};

/* A resolved scenario owns copies of the model and device it points to. */
struct rt_resolved {
    struct rt_scenario s;
    struct rt_model model;
    struct rt_model draft;
    struct rt_device device;
    struct rt_device mix[RT_MIX_MAX]; /* a device list's devices, one by one (devlist.c) */
    struct rt_device host;
    struct rt_engine engine;        /* the profile, with --max-seqs / --max-batched-tokens applied */
    struct rt_format kv;
    struct rt_format file_weights;   /* a GGUF file's exact bits per weight, or the native format
                                      * with the model's tensor classes (spec_native_format) */
    bool weights_native;            /* --weights native: the format the model ships in */
    char attn_weights[RT_ID_MAX];   /* the format the attention projections are in (--attn-weights) */
    char warning[512];              /* an import's assumption, shown to the user */
};

#endif
