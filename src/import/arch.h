/* arch.h - one interpreter of model architecture keys for every source.
 *
 * config.json (jansson) and the catalog's model entries (libconfig) both reach
 * it through an accessor, so a key means the same thing wherever it is written.
 * It recognises an architecture by its keys (layer_types, hybrid_override_pattern,
 * kv_lora_rank, n_routed_experts, ...), not only by model_type; per-family
 * defaults that the files leave out (tied embeddings, norms, biases, window
 * patterns) come from one table, which the GGUF reader uses too. */
#ifndef ROOFTOP_ARCH_H
#define ROOFTOP_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include "core/types.h"

enum av_type { AV_NONE, AV_NULL, AV_INT, AV_REAL, AV_BOOL, AV_STRING, AV_LIST, AV_GROUP };

/* How to read one kind of source.  Values are opaque handles. */
struct av_ops {
    const void *(*member)(const void *group, const char *key); /* NULL: absent */
    enum av_type (*type)(const void *v);
    double (*number)(const void *v);                /* AV_INT, AV_REAL, AV_BOOL */
    const char *(*string)(const void *v);
    size_t (*size)(const void *v);                  /* elements of a list, members of a group */
    const void *(*elem)(const void *v, size_t i);   /* i-th element or member */
    const char *(*key)(const void *group, size_t i);/* i-th member's name */
    int (*line)(const void *v);                     /* source line, 0 if unknown */
    const char *(*file)(const void *v);             /* the included file it came from; NULL: unknown */
};

struct av_source {
    const struct av_ops *ops;
    const void *root;
    const char *file;               /* named in every message */
    bool catalog;                   /* a catalog entry: rooftop's own keys, no unknown-key warning */
    /* Optional: writes an error about value v (NULL: the entry) and key into the
     * caller's buffer, the way the caller names files and lines. */
    void (*fail)(void *ctx, const void *v, const char *key, const char *msg);
    void *ctx;
};

/* A family's shape outside the Llama one (positions, biases, its own keys): private to arch.c. */
struct arch_shape;

/* Per-family defaults, keyed by config.json model_type and GGUF architecture. */
struct arch_family {
    const char *type, *gguf;
    bool tied;                      /* tie_word_embeddings when the file does not say */
    int norms;                      /* norm vectors per layer */
    enum rt_norm norm;
    enum rt_ffn ffn;
    bool qkv_bias;                  /* q/k/v biases without an attention_bias key (Qwen2) */
    bool o_bias;                    /* attention_bias also biases o_proj */
    bool qk_norm;                   /* per-head q/k RMSNorm */
    int sliding;                    /* 0: window on every layer; 2: even layers local; N: every Nth global */
    bool sliding_flag;              /* the window applies only with use_sliding_window (Qwen) */
    int64_t vocab, context;         /* vocab_size and max_position_embeddings defaults, 0: none */
    const struct arch_shape *shape; /* NULL: the Llama shape */
};
const struct arch_family *arch_family(const char *type);
const struct arch_family *arch_family_gguf(const char *arch);

/* Interpret a source into m (groups filled).  RT_OK or RT_EINVAL with err set;
 * warn (may be NULL) gets what was assumed or ignored, empty when nothing was. */
int arch_read(const struct av_source *src, struct rt_model *m, char *warn, size_t warnlen, char *err,
              size_t errlen);

/* Collapse per-layer descriptions (count 1 each) into groups of identical layers.
 * Returns the number of groups, or -1 if there are more than RT_GROUPS_MAX. */
int arch_collapse(const struct rt_group *layers, int64_t n, struct rt_group *out);

#endif
