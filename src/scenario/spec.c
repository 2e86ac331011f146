/* spec.c - resolve ids against the catalog, apply device overrides. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "scenario/spec.h"
#include "scenario/inputs.h"
#include "scenario/devlist.h"
#include "import/hfconfig.h"
#include "import/arch.h"
#include "import/gguf.h"
#include "core/core.h"
#include "core/kclass.h"
#include "core/serve.h"
#include "core/limits.h"
#include "core/lengths.h"
#include <math.h>

void spec_default(struct rt_spec *sp) { inputs_default(sp); }

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

bool spec_model_is_path(const char *s)
{
    return strchr(s, '/') || ends_with(s, ".json") || ends_with(s, ".gguf");
}

/* A GGUF file by its name or, without the suffix (Ollama's blobs/sha256-...), by its magic "GGUF". */
bool spec_model_is_gguf(const char *path)
{
    if (ends_with(path, ".gguf"))
        return true;
    if (ends_with(path, ".json") || !strchr(path, '/'))
        return false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char magic[4] = { 0 };
    bool gguf = fread(magic, 1, 4, f) == 4 && memcmp(magic, "GGUF", 4) == 0;
    fclose(f);
    return gguf;
}

int model_import(const char *path, struct rt_model *m, char *warn, size_t warnlen, char *err, size_t errlen)
{
    if (spec_model_is_gguf(path))
        return gguf_import(path, m, NULL, err, errlen);
    return hfconfig_import(path, m, warn, warnlen, err, errlen);
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return RT_EINVAL; } while (0)

static int unknown(const struct catalog *c, enum cat_kind k, const char *opt, const char *what,
                   const char *id, char *err, size_t errlen)
{
    char sug[160];
    catalog_suggest(c, k, id, sug, sizeof sug);
    if (sug[0])
        FAIL("%s: unknown %s '%s'; did you mean: %s?", opt, what, id, sug);
    FAIL("%s: unknown %s '%s' (see --list-%ss)", opt, what, id, k == CAT_DEVICES ? "gpu" : what);
}

/* Request lengths, closed loop and disaggregation. */
static int serving_inputs(const struct rt_spec *sp, struct rt_scenario *s, char *err, size_t errlen)
{
    if (!rt_dist_parse(sp->prompt_dist[0] ? sp->prompt_dist : "fixed", &s->prompt_dist))
        FAIL("--prompt-dist: '%s' is not fixed, uniform:R (0 <= R <= 1) or lognormal:S (0 < S <= 4)", sp->prompt_dist);
    if (!rt_dist_parse(sp->output_dist[0] ? sp->output_dist : "fixed", &s->output_dist))
        FAIL("--output-dist: '%s' is not fixed, uniform:R (0 <= R <= 1) or lognormal:S (0 < S <= 4)", sp->output_dist);
    s->concurrency = sp->concurrency;
    if (sp->concurrency > 0 && sp->rate > 0 && sp->rate < RT_RATE_INF)
        FAIL("--concurrency: a closed loop needs --rate inf (clients send as requests end, not at a rate)");
    if (sp->disagg[0]) {
        long long p = 0, d = 0;
        char tail;
        if (sscanf(sp->disagg, "%lld:%lld%c", &p, &d, &tail) != 2 || p < 1 || d < 1 || p > RT_DEVICES_MAX ||
            d > RT_DEVICES_MAX)
            FAIL("--disagg: '%s' is not P:D (prefill and decode devices, each at least 1)", sp->disagg);
        if (sp->dp > 1)
            FAIL("--disagg: not with --dp (replicate the prefill and decode groups instead)");
        s->disagg_p = p;
        s->disagg_d = d;
    }
    return RT_OK;
}

/* --weights native (the default): the format the model's publisher ships, as the catalog
 * entry's native_weights or the config.json's quantization_config / torch_dtype say; a
 * GGUF file's own types; 16-bit (bf16) where nothing says. */
const char *spec_native_weights(const struct rt_model *m)
{
    return m->native_weights[0] ? m->native_weights : "bf16";
}

/* The native format with the model's tensor classes applied (native_attn_weights,
 * native_dense_weights: gpt-oss keeps attention and router in bf16 beside its MXFP4
 * experts) into *buf; NULL when a format named is not in the catalog. */
const struct rt_format *spec_native_format(const struct catalog *c, const struct rt_model *m,
                                           struct rt_format *buf)
{
    const struct rt_format *f = catalog_format(c, spec_native_weights(m));
    if (!f || (!m->native_attn[0] && !m->native_dense[0]))
        return f;
    const struct rt_format *a = m->native_attn[0] ? catalog_format(c, m->native_attn) : NULL;
    const struct rt_format *d = m->native_dense[0] ? catalog_format(c, m->native_dense) : NULL;
    if ((m->native_attn[0] && !a) || (m->native_dense[0] && !d))
        return NULL;
    *buf = *f;
    if (a)
        buf->attn_bits = a->bits;
    if (d)
        buf->dense_bits = d->bits;
    return buf;
}

const char *spec_attn_weights(const struct rt_resolved *rs)
{
    return rs->attn_weights[0] ? rs->attn_weights : rs->s.weights->id;
}

/* The format the model ships its attention projections in: native_attn_weights, else the
 * native format's own. */
static const char *native_attn_id(const struct rt_model *m)
{
    return m->native_attn[0] ? m->native_attn : spec_native_weights(m);
}

/* --attn-weights: the format of the attention (mixer) projections.  auto (the default): as
 * --weights gives them, the checkpoint's own under --weights native (gpt-oss's and NVIDIA's
 * FP4 DeepSeek checkpoints' bf16), else --weights's format; native: as the checkpoint ships
 * them, whatever --weights says; a format id: that format, its bits and its GEMM precision
 * (rt_format attn_compute).  A GGUF file's own types stay. */
static int resolve_attn_weights(const struct catalog *c, const struct rt_spec *sp, struct rt_resolved *out,
                                bool from_gguf, char *err, size_t errlen)
{
    const char *v = sp->attn_weights[0] ? sp->attn_weights : "auto";
    bool native = strcmp(v, "native") == 0;
    const struct rt_format *w = out->s.weights;
    if (from_gguf || strcmp(v, "auto") == 0 || (native && out->weights_native)) {
        snprintf(out->attn_weights, sizeof out->attn_weights, "%s",
                 !from_gguf && out->weights_native ? native_attn_id(&out->model) : w->id);
        if (from_gguf && strcmp(v, "auto") != 0 && strcmp(v, "native") != 0) {
            size_t len = strlen(out->warning);
            snprintf(out->warning + len, sizeof out->warning - len, "%s--attn-weights is not used (a GGUF file "
                     "stores its own tensor types)", len ? "; " : "");
        }
        return RT_OK;
    }
    const char *id = native ? native_attn_id(&out->model) : v;
    const struct rt_format *a = catalog_format(c, id);
    if (!a && native)
        FAIL("--attn-weights native: model '%s' ships its attention as '%s', a format the formats catalog lacks",
             out->model.id, id);
    if (!a)
        return unknown(c, CAT_FORMATS, "--attn-weights", "format", v, err, errlen);
    if (w != &out->file_weights)
        out->file_weights = *w;
    out->file_weights.attn_bits = a->bits;
    out->file_weights.attn_compute = (int)a->compute + 1;
    out->s.weights = &out->file_weights;
    snprintf(out->attn_weights, sizeof out->attn_weights, "%s", a->id);
    return RT_OK;
}

static int resolve_weights(const struct catalog *c, const struct rt_spec *sp, struct rt_resolved *out,
                           bool from_gguf, char *err, size_t errlen)
{
    bool native = strcmp(sp->weights, "native") == 0;
    out->weights_native = native;
    if (from_gguf) {
        out->s.weights = &out->file_weights;
        out->weights_native = true;
        return resolve_attn_weights(c, sp, out, from_gguf, err, errlen);
    }
    const char *id = native ? spec_native_weights(&out->model) : sp->weights;
    out->s.weights = native ? spec_native_format(c, &out->model, &out->file_weights) : catalog_format(c, id);
    if (!out->s.weights && native)
        FAIL("--weights native: model '%s' ships as '%s' (attention '%s', other FFN weights '%s'), a format the "
             "formats catalog lacks", out->model.id, id, out->model.native_attn[0] ? out->model.native_attn : id,
             out->model.native_dense[0] ? out->model.native_dense : id);
    if (!out->s.weights)
        return unknown(c, CAT_FORMATS, "--weights", "format", sp->weights, err, errlen);
    return resolve_attn_weights(c, sp, out, from_gguf, err, errlen);
}

/* --draft: a catalog model, or `mtp`, the model's own multi-token-prediction layers.
 * --spec-tokens and --spec-accept at their defaults stand for "not given": an MTP
 * draft proposes as many tokens as it has layers, and a draft whose acceptance rate
 * is published (draft_acceptance in the catalog) is accepted at that rate. */
static int resolve_draft(const struct catalog *c, const struct rt_spec *sp, struct rt_resolved *out, char *err,
                         size_t errlen)
{
    struct rt_scenario *s = &out->s;
    bool mtp = strcmp(sp->draft, "mtp") == 0;
    if (mtp) {
        if (!rt_mtp_draft(&out->model, &out->draft))
            FAIL("--draft mtp: model '%s' ships no multi-token-prediction layers (num_nextn_predict_layers)",
                 out->model.id);
    } else {
        const struct rt_model *d = catalog_model(c, sp->draft);
        if (!d && spec_model_is_path(sp->draft)) { /* a draft's config.json, an EAGLE-3 head's as published */
            if (spec_model_is_gguf(sp->draft))
                FAIL("--draft %s: a GGUF draft is not read; give the draft's config.json", sp->draft);
            char warn[RT_ERR_MAX], why[RT_ERR_MAX * 2];
            if (hfconfig_import(sp->draft, &out->draft, warn, sizeof warn, why, sizeof why) != RT_OK)
                FAIL("--draft: %s", why);
            d = &out->draft;
        }
        if (!d)
            return unknown(c, CAT_MODELS, "--draft", "model", sp->draft, err, errlen);
        if (d != &out->draft)
            out->draft = *d;
        /* an EAGLE-3 head reads the target's hidden states: it fits only a target of that width */
        if (d->draft_target_hidden > 0 && (d->draft_target_hidden != out->model.hidden ||
                                           d->draft_target_vocab != out->model.vocab))
            FAIL("--draft %s: an EAGLE-3 head for a model of hidden size %lld and %lld tokens; model '%s' has "
                 "%lld and %lld", d->id, (long long)d->draft_target_hidden, (long long)d->draft_target_vocab,
                 out->model.id, (long long)out->model.hidden, (long long)out->model.vocab);
    }
    s->draft = &out->draft;
    const struct input *tok = input_by_name("spec-tokens"), *acc = input_by_name("spec-accept");
    bool tok_given = sp->spec_tokens > 0 && (!tok || (double)sp->spec_tokens != tok->def);
    bool acc_given = sp->spec_accept > 0 && (!acc || sp->spec_accept != acc->def);
    s->spec_tokens = tok_given ? sp->spec_tokens : mtp ? out->model.mtp_layers : 4;
    s->spec_accept = acc_given ? sp->spec_accept : out->draft.draft_accept > 0 ? out->draft.draft_accept : 0.8;
    return RT_OK;
}

/* Read the model file (or take it from the cache when the file is unchanged). */
static int read_model_file(const char *path, struct model_cache *mc)
{
    struct stat st;
    bool known = stat(path, &st) == 0;
    long long mt = known ? (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec : -1;
    if (mc->valid && known && strcmp(mc->path, path) == 0 && mc->size == (long long)st.st_size &&
        mc->mtime_ns == mt && mc->ino == (long long)st.st_ino)
        return mc->rc;
    long reads = mc->reads;
    memset(mc, 0, sizeof *mc);
    mc->reads = reads;
    snprintf(mc->path, sizeof mc->path, "%s", path);
    mc->valid = known; /* a file that is not there is looked for again next time */
    mc->size = known ? (long long)st.st_size : -1;
    mc->mtime_ns = mt;
    mc->ino = known ? (long long)st.st_ino : -1;
    mc->reads++;
    mc->gguf = spec_model_is_gguf(path);
    if (mc->gguf) {
        struct gguf_info gi;
        memset(&gi, 0, sizeof gi); /* a refused file fills nothing (valgrind, through hostile.sh) */
        mc->rc = gguf_import(path, &mc->model, &gi, mc->err, sizeof mc->err);
        mc->weight_bytes = gi.weight_bytes;
        snprintf(mc->file_type, sizeof mc->file_type, "%s", gi.file_type);
    } else {
        mc->rc = hfconfig_import(path, &mc->model, mc->warning, sizeof mc->warning, mc->err, sizeof mc->err);
    }
    return mc->rc;
}

/* A GGUF file says how its weights are stored: use its exact size. */
static void gguf_weights(const struct rt_spec *sp, const struct model_cache *mc, struct rt_resolved *out)
{
    struct rt_params p;
    rt_count_params(&out->model, &p);
    struct rt_format *f = &out->file_weights;
    snprintf(f->id, sizeof f->id, "gguf:%s", mc->file_type);
    f->bits = p.total > 0 ? mc->weight_bytes * 8.0 / p.total : 16;
    f->compute = RT_FP16;
    f->klass = f->bits > 15 ? 0 : f->bits > 8 ? 1 : 2;
    snprintf(out->warning, sizeof out->warning, "%s: weights as the file stores them (mostly %s, %.3f bits per weight)%s",
             sp->model, mc->file_type, f->bits, strcmp(sp->weights, "native") != 0 ? "; --weights is not used" : "");
    const char *arch = strncmp(out->model.id, "gguf-", 5) == 0 ? out->model.id + 5 : "";
    if (!arch_family_gguf(arch)) {
        size_t len = strlen(out->warning);
        snprintf(out->warning + len, sizeof out->warning - len,
                 "; architecture '%s' is not in the family table: Llama-style defaults where the header "
                 "does not say", arch);
    }
}

/* The model: a file (through the cache) or a catalog id. */
static int resolve_model(const struct catalog *c, const struct rt_spec *sp, struct model_cache *mc,
                         struct rt_resolved *out, bool *from_gguf, char *err, size_t errlen)
{
    *from_gguf = false;
    if (!spec_model_is_path(sp->model)) {
        const struct rt_model *m = catalog_model(c, sp->model);
        if (!m)
            return unknown(c, CAT_MODELS, "--model", "model", sp->model, err, errlen);
        out->model = *m;
        return RT_OK;
    }
    struct model_cache own;
    if (!mc) {
        memset(&own, 0, sizeof own);
        mc = &own;
    }
    if (read_model_file(sp->model, mc) != RT_OK) {
        snprintf(err, errlen, "%s", mc->err);
        return RT_EINVAL;
    }
    out->model = mc->model;
    if (mc->gguf) {
        *from_gguf = true;
        gguf_weights(sp, mc, out);
    } else {
        snprintf(out->warning, sizeof out->warning, "%s", mc->warning);
    }
    return RT_OK;
}

int spec_resolve(const struct catalog *c, const struct rt_spec *sp, struct rt_resolved *out,
                 char *err, size_t errlen)
{
    return spec_resolve_cached(c, sp, NULL, out, err, errlen);
}

bool spec_same_resolve(const struct rt_spec *a, const struct rt_spec *b)
{
    static struct rt_spec t; /* PATH_MAX and more: not on the stack of every key */
    t = *b;
    for (size_t i = 0; i < n_inputs; i++)
        if (inputs[i].s_size && !(inputs[i].affects & AFF_RESOLVE))
            input_copy(&inputs[i], &t, a);
    return memcmp(a, &t, sizeof t) == 0;
}

int spec_update(const struct rt_spec *sp, struct rt_resolved *out, char *err, size_t errlen)
{
    if (!inputs_check(sp, err, errlen))
        return RT_EINVAL;
    inputs_to_scenario(&out->s, sp);
    return rt_validate(&out->s, err, errlen);
}

/* the device: one from the catalog, a list of them (devlist.c) or one made of
 * --bandwidth and --memory */
static int resolve_device(const struct catalog *c, const struct rt_spec *sp, struct rt_resolved *out, char *err,
                          size_t errlen)
{
    if (sp->tensor_split[0] && !devlist_is_list(sp->gpu))
        FAIL("--tensor-split: weights for a device list; give the devices as --gpu ID:COUNT,ID:COUNT "
             "(e.g. rtx-4090:1,rtx-3090:1)");
    if (devlist_is_list(sp->gpu)) {
        if (devlist_resolve(c, sp, out, err, errlen) != RT_OK)
            return RT_EINVAL;
    } else if (sp->gpu[0]) {
        const struct rt_device *d = catalog_device(c, sp->gpu);
        if (!d)
            return unknown(c, CAT_DEVICES, "--gpu", "gpu", sp->gpu, err, errlen);
        out->device = *d;
    } else {
        if (sp->bandwidth_gbps <= 0 || sp->memory_gb <= 0)
            FAIL("--gpu: no device given; define one with --bandwidth and --memory (and --tflops)");
        snprintf(out->device.id, sizeof out->device.id, "custom");
        snprintf(out->device.name, sizeof out->device.name, "custom device");
        out->device.family = RT_FAM_NVIDIA_DC;
    }
    out->s.device = &out->device;
    return RT_OK;
}

/* the KV cache format: --kv, or 16-bit (bf16 when the weights are bf16) */
static int resolve_kv(const struct catalog *c, const struct rt_spec *sp, struct rt_resolved *out, char *err,
                      size_t errlen)
{
    const char *kvid = sp->kv;
    if (!kvid[0])
        kvid = strcmp(out->s.weights->id, "bf16") == 0 ? "bf16" : "fp16";
    const struct rt_format *kv = catalog_format(c, kvid);
    if (!kv)
        return unknown(c, CAT_FORMATS, "--kv", "format", kvid, err, errlen);
    if (!kv->kv_ok)
        FAIL("--kv: '%s' is not a KV cache format (fp32 fp16 bf16 fp8 int8 q8_0 q4_0)", kvid);
    out->kv = *kv;
    out->s.kv = &out->kv;
    return RT_OK;
}

/* the engine, with its defaults for a large device and the limits given */
/* --backend: ggml's compute backend, for an engine that runs ggml's kernels (qgemm not
 * weight-only), on a device of the family the backend serves (types.h RT_BACKENDS) */
static int resolve_backend(const struct rt_spec *sp, struct rt_resolved *out, char *err, size_t errlen)
{
    if (!sp->backend[0])
        return RT_OK;
    int b = backend_parse(sp->backend);
    if (b < 0)
        FAIL("--backend: '%s' is not auto, cuda, rocm, vulkan, vulkan-scalar, metal or cpu", sp->backend);
    if (b != RT_BK_AUTO && out->engine.qgemm == RT_QGEMM_WEIGHT_ONLY)
        FAIL("--backend: engine '%s' does not run llama.cpp's (ggml's) kernels; the backend is for -e llama.cpp",
             out->engine.id);
    enum rt_family f = out->device.family;
    bool nv = f == RT_FAM_NVIDIA_DC || f == RT_FAM_NVIDIA_CONSUMER, vk = b == RT_BK_VULKAN || b == RT_BK_VULKAN_SCALAR;
    bool ok = b == RT_BK_AUTO || (b == RT_BK_CUDA && nv) || (b == RT_BK_ROCM && f == RT_FAM_AMD) ||
              (b == RT_BK_METAL && f == RT_FAM_APPLE) || (b == RT_BK_CPU && f == RT_FAM_CPU) ||
              (vk && (nv || f == RT_FAM_AMD || f == RT_FAM_INTEL));
    if (!ok)
        FAIL("--backend: %s does not run on device '%s' (family %s)", sp->backend, out->device.id, family_name(f));
    out->engine.backend = b;
    return RT_OK;
}

static int resolve_engine(const struct catalog *c, const struct rt_spec *sp, struct rt_resolved *out, char *err,
                          size_t errlen)
{
    const struct rt_engine *eng = catalog_engine(c, sp->engine);
    if (!eng)
        return unknown(c, CAT_ENGINES, "--engine", "engine", sp->engine, err, errlen);
    out->engine = *eng;
    /* the engine's defaults for a large device (vLLM: 70 GiB and more, A100s aside) */
    rt_engine_on_device(&out->engine, &out->device);
    /* --max-seqs is the cap on running sequences under a rate whatever --batch is (the
     * core's rt_serve_cap; without it --batch above 1 caps, as since 0.2) */
    if (sp->max_seqs > 0) {
        out->engine.max_seqs = sp->max_seqs;
        out->s.max_seqs_given = true;
        snprintf(out->engine.src.max_seqs, sizeof out->engine.src.max_seqs, "--max-seqs");
    }
    if (sp->max_batched_tokens > 0) {
        out->engine.max_batched_tokens = sp->max_batched_tokens;
        snprintf(out->engine.src.max_batched_tokens, sizeof out->engine.src.max_batched_tokens,
                 "--max-batched-tokens");
    }
    if (sp->swa_kv[0]) {
        int k = swa_kv_parse(sp->swa_kv);
        if (k < 0)
            FAIL("--swa-kv: '%s' is not window, full or hybrid", sp->swa_kv);
        out->engine.swa_kv = k;
        snprintf(out->engine.src.swa, sizeof out->engine.src.swa, "--swa-kv");
    }
    if (sp->kv_policy[0]) {
        int k = kv_policy_parse(sp->kv_policy);
        if (k < 0)
            FAIL("--kv-policy: '%s' is not reserve or grow", sp->kv_policy);
        out->engine.kv_policy = k;
        snprintf(out->engine.src.kv_policy, sizeof out->engine.src.kv_policy, "--kv-policy");
    }
    if (resolve_backend(sp, out, err, errlen) != RT_OK)
        return RT_EINVAL;
    out->s.engine = &out->engine;
    return RT_OK;
}

/* the device's figures the options override */
static void device_overrides(const struct rt_spec *sp, struct rt_resolved *out)
{
    if (sp->bandwidth_gbps > 0)
        out->device.bandwidth = sp->bandwidth_gbps * 1e9;
    if (sp->memory_gb > 0) {
        /* the usable share (unified memory) stays the same fraction of the new size */
        if (out->device.memory_bytes > 0)
            out->device.usable_bytes *= sp->memory_gb * 1e9 / out->device.memory_bytes;
        out->device.memory_bytes = sp->memory_gb * 1e9;
    }
    if (sp->tflops > 0) { /* the user's rate replaces a CPU's core-class rates */
        out->device.peak[out->s.weights->compute] = sp->tflops * 1e12;
        out->device.cpu_class = 0;
        out->device.attainable_flops = 0; /* the user's rate is the one to run at */
        out->device.attainable_fp8_flops = 0;
        out->device.rocblas_flops = 0;
    }
    if (sp->price_hour > 0)
        out->device.price_hour = sp->price_hour;
    if (sp->purchase_usd > 0)
        out->device.price_usd = sp->purchase_usd;
}

/* parallelism: --gpus N alone means tensor parallel over N (pipeline stages for an
 * engine that splits layers by default, llama.cpp); with --dp, N counts every replica */
static int resolve_parallel(const struct rt_spec *sp, struct rt_scenario *s, char *err, size_t errlen)
{
    int64_t dp = sp->dp > 1 ? sp->dp : 1;
    if (sp->devices > 0 && sp->devices % dp != 0)
        FAIL("--dp: %lld replicas need a device count that is a multiple of %lld (--gpus counts every replica's "
             "devices; it is %lld)", (long long)dp, (long long)dp, (long long)sp->devices);
    int64_t n = sp->devices / dp, tp = sp->tp, pp = sp->pp;
    if (tp <= 0 && pp <= 0 && s->engine && s->engine->split_layers) { /* llama.cpp: -sm layer */
        pp = n > 0 ? n : 1;
        tp = 1;
    } else if (tp <= 0 && pp <= 0) {
        tp = n > 0 ? n : 1;
        pp = 1;
    } else if (tp <= 0) {
        tp = n > 0 && n % pp == 0 ? n / pp : 1;
    } else if (pp <= 0) {
        pp = n > 0 && n % tp == 0 ? n / tp : 1;
    }
    if (n <= 0)
        n = tp * pp;
    if (tp * pp != n)
        FAIL("--gpus: %lld devices cannot be split as --tp %lld x --pp %lld", (long long)n, (long long)tp,
             (long long)pp);
    if (sp->ep > n && s->mix_n <= 1)
        FAIL("--ep: %lld is more than the device count (%lld) it spreads the experts over", (long long)sp->ep, (long long)n);
    s->devices = n;
    s->tp = tp;
    s->pp = pp;
    if (s->mix_n > 1) { /* a device list: one stage per device (devlist.c) */
        s->devices = s->mix_n;
        s->tp = s->pp = 1;
    }
    return RT_OK;
}

/* an API offering's prices and speeds (--api) */
static int resolve_api(const struct catalog *c, const struct rt_spec *sp, struct rt_scenario *s, char *err,
                       size_t errlen)
{
    if (!sp->api[0])
        return RT_OK;
    const struct rt_api *a = catalog_api(c, sp->api);
    if (!a) {
        char sug[160];
        catalog_suggest(c, CAT_APIS, sp->api, sug, sizeof sug);
        FAIL("--api: unknown API offering '%s'%s%s (see --list-apis)", sp->api, *sug ? "; did you mean: " : "",
             sug);
    }
    s->api_in_usd_mtok = a->input_usd_mtok;
    s->api_out_usd_mtok = a->output_usd_mtok;
    s->api_ttft_s = a->ttft_s;
    s->api_output_tok_s = a->output_tok_s;
    s->api_context = a->context;
    return RT_OK;
}

/* layers or experts on the host: --gpu-layers, --n-cpu-moe (llama.cpp), --host */
static int resolve_offload(const struct catalog *c, const struct rt_spec *sp, struct rt_resolved *out, char *err,
                           size_t errlen)
{
    struct rt_scenario *s = &out->s;
    if (sp->n_cpu_moe > 0) {
        if (strcmp(s->engine->id, "llama.cpp") != 0)
            FAIL("--n-cpu-moe: llama.cpp's option; use it with -e llama.cpp (engine is '%s')", s->engine->id);
        if (sp->n_cpu_moe > out->model.layers)
            FAIL("--n-cpu-moe: %lld is more than the model's %lld layers", (long long)sp->n_cpu_moe,
                 (long long)out->model.layers);
        struct rt_params mp;
        rt_count_params(&out->model, &mp);
        if (mp.moe_layers <= 0)
            FAIL("--n-cpu-moe: model '%s' has no routed experts", out->model.id);
    }
    if (sp->gpu_layers < 0 && sp->n_cpu_moe <= 0)
        return RT_OK;
    const struct rt_device *h = catalog_device(c, sp->host[0] ? sp->host : "cpu-ddr5-2ch");
    if (!h)
        return unknown(c, CAT_DEVICES, "--host", "gpu", sp->host, err, errlen);
    out->host = *h;
    s->host = &out->host;
    s->gpu_layers = sp->gpu_layers >= 0 ? sp->gpu_layers : out->model.layers;
    if (s->gpu_layers > out->model.layers) {
        /* llama.cpp users write -ngl 99 for "all": clamped, and said */
        size_t len = strlen(out->warning);
        snprintf(out->warning + len, sizeof out->warning - len,
                 "%s--gpu-layers %lld: the model has %lld layers, all of them on the device (as llama.cpp "
                 "reads -ngl %lld)", len ? "; " : "", (long long)s->gpu_layers, (long long)out->model.layers,
                 (long long)s->gpu_layers);
        s->gpu_layers = out->model.layers;
    }
    s->cpu_moe = sp->n_cpu_moe;
    return RT_OK;
}

int spec_resolve_cached(const struct catalog *c, const struct rt_spec *sp, struct model_cache *mc,
                        struct rt_resolved *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct rt_scenario *s = &out->s;
    if (!inputs_check(sp, err, errlen))
        return RT_EINVAL;
    bool from_gguf = false;
    if (resolve_model(c, sp, mc, out, &from_gguf, err, errlen) != RT_OK)
        return RT_EINVAL;
    s->model = &out->model;
    if (resolve_device(c, sp, out, err, errlen) != RT_OK ||
        resolve_weights(c, sp, out, from_gguf, err, errlen) != RT_OK || resolve_kv(c, sp, out, err, errlen) != RT_OK ||
        resolve_engine(c, sp, out, err, errlen) != RT_OK)
        return RT_EINVAL;
    device_overrides(sp, out);
    if (resolve_parallel(sp, s, err, errlen) != RT_OK)
        return RT_EINVAL;
    /* every plain number lands where its row says (inputs.c, TO) */
    inputs_to_scenario(s, sp);
    /* the replay's clock: below RT_RATE_MIN, arrivals lie so far apart that a
     * double no longer holds the latencies added to them (1e-14 gave 0 us) */
    if (sp->rate > 0 && sp->rate < RT_RATE_MIN)
        FAIL("--rate: %.3g req/s is below %g (one request every %.0f minutes), where the replay's times lose their "
             "precision; 0 turns serving off", sp->rate, RT_RATE_MIN, 1 / RT_RATE_MIN / 60);
    if (sp->prefix_hit > 0 && !(sp->rate > 0))
        FAIL("--prefix-hit: a share of the prompts served under load; give --rate (one request: --cached-prefix)");
    if (serving_inputs(sp, s, err, errlen) != RT_OK)
        return RT_EINVAL;
    s->dp = sp->dp > 1 ? sp->dp : 1;
    if (resolve_api(c, sp, s, err, errlen) != RT_OK || resolve_offload(c, sp, out, err, errlen) != RT_OK)
        return RT_EINVAL;
    if (sp->draft[0] && resolve_draft(c, sp, out, err, errlen) != RT_OK)
        return RT_EINVAL;
    return rt_validate(s, err, errlen);
}
