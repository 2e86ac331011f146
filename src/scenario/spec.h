/* spec.h - a scenario named by ids (what users type and sessions store), and
 * its resolution against the catalog into the core's rt_scenario. */
#ifndef ROOFTOP_SPEC_H
#define ROOFTOP_SPEC_H

#include <limits.h>
#include "catalog/catalog.h"

struct rt_spec {
    char model[PATH_MAX];           /* catalog id, config.json or .gguf path */
    char gpu[RT_ID_MAX * 4];        /* catalog id, or a list ID:COUNT,... (devlist.c); empty: a custom
                                     * device from the overrides */
    char tensor_split[RT_ID_MAX * 2]; /* with a list: layer split weights W1,W2,... (empty: by memory) */
    char weights[RT_ID_MAX], kv[RT_ID_MAX], engine[RT_ID_MAX];
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
    char warning[512];              /* an import's assumption, shown to the user */
};

/* The last model file read (a config.json or a GGUF header), keyed by its path,
 * size, modification time and inode: resolving again with the same file, unchanged,
 * copies the model instead of reading and parsing the file again (the dashboard
 * resolves on every key).  Zero it to start; it owns nothing. */
struct model_cache {
    bool valid;
    char path[PATH_MAX];
    long long size, mtime_ns, ino;
    bool gguf;
    int rc;                         /* the import's result: RT_OK, or the error below */
    struct rt_model model;
    double weight_bytes;            /* GGUF: its tensor table's bytes and dominant type */
    char file_type[32];
    char warning[512];              /* config.json: the import's assumption */
    char err[RT_ERR_MAX * 2];
    long reads;                     /* files read through it (tests) */
};

void spec_default(struct rt_spec *sp);
/* The format a model ships in: its native_weights, else "bf16". */
const char *spec_native_weights(const struct rt_model *m);
/* That format from the catalog, with the tensor classes the model keeps in other formats
 * (native_attn_weights, native_dense_weights) applied into *buf; NULL when one is unknown. */
const struct rt_format *spec_native_format(const struct catalog *c, const struct rt_model *m,
                                           struct rt_format *buf);
/* Resolve; on error the message names the option's field ("--model", "--gpu", ...). */
int spec_resolve(const struct catalog *c, const struct rt_spec *sp, struct rt_resolved *out,
                 char *err, size_t errlen);
/* The same, reading a model file through the cache (NULL: no cache). */
int spec_resolve_cached(const struct catalog *c, const struct rt_spec *sp, struct model_cache *mc,
                        struct rt_resolved *out, char *err, size_t errlen);
/* Whether two specs resolve alike: they differ at most in inputs that the loop copies
 * plainly (inputs.c, TO).  Then spec_update brings a scenario resolved from one up to
 * the other without resolving again (the limits checked, then the rows copied). */
bool spec_same_resolve(const struct rt_spec *a, const struct rt_spec *b);
int spec_update(const struct rt_spec *sp, struct rt_resolved *out, char *err, size_t errlen);
/* Import a model from a path (config.json or GGUF); RT_OK or an error naming the file. */
int model_import(const char *path, struct rt_model *m, char *warn, size_t warnlen, char *err, size_t errlen);
bool spec_model_is_path(const char *s);
/* A GGUF file: by its .gguf suffix, or a file (a path with a '/') that starts with "GGUF". */
bool spec_model_is_gguf(const char *path);

#endif
