/* launch.c - launch lines for the serving engines.
 *
 * Flag names, as each engine documents them:
 * - llama.cpp's llama-server (tools/server/README.md in ggml-org/llama.cpp; the
 *   llama-server(1) page of Debian's llama.cpp-tools): -m/--model FILE,
 *   -ngl/--n-gpu-layers N, -c/--ctx-size N (the whole KV cache: -np slots share it,
 *   each sequence gets ctx-size / parallel), -np/--parallel N,
 *   -ctk/--cache-type-k and -ctv/--cache-type-v (f32 f16 bf16 q8_0 q4_0 q4_1 iq4_nl
 *   q5_0 q5_1), -fa/--flash-attn on|off|auto (a quantized V cache needs it),
 *   -sm/--split-mode none|layer|row, -ts/--tensor-split N0,N1,... (the share of each
 *   GPU, in order), -ncmoe/--n-cpu-moe N (the routed experts of the first N layers in
 *   host memory).
 * - vLLM (docs.vllm.ai, "Engine Arguments"): vllm serve MODEL
 *   --tensor-parallel-size, --pipeline-parallel-size, --max-model-len,
 *   --max-num-seqs, --gpu-memory-utilization (fraction of all GPU memory),
 *   --kv-cache-dtype auto|fp8|fp8_e4m3|fp8_e5m2, --dtype, --quantization fp8
 *   (dynamic FP8 from a 16-bit checkpoint); expert parallel with attention data
 *   parallel (docs.vllm.ai v0.12.0 "Data Parallel Deployment", "Expert Parallel
 *   Deployment"): --data-parallel-size N --enable-expert-parallel, the experts over
 *   DP x TP devices.
 * - SGLang (docs.sglang.io, "Server Arguments"): python -m sglang.launch_server
 *   --model-path, --tp (--tp-size), --pp-size, --context-length,
 *   --max-running-requests, --mem-fraction-static, --kv-cache-dtype
 *   auto|fp8_e4m3|fp8_e5m2, --dtype, --quantization fp8; --dp N --enable-dp-attention
 *   (attention data parallel, tp / dp devices each) and --ep-size N (docs.sglang.io
 *   "Server Arguments", "DP, DPA and sgl-router").
 * - TensorRT-LLM (nvidia.github.io/TensorRT-LLM, "trtllm-serve"): trtllm-serve
 *   MODEL --tp_size, --pp_size, --max_batch_size, --max_seq_len (prompt plus
 *   output), --kv_cache_free_gpu_memory_fraction (of the memory left after the
 *   weights), --ep_size (1.0 "trtllm-serve" page); the KV cache's data type and
 *   attention data parallel are set in the YAML given to --extra_llm_api_options
 *   (kv_cache_config: dtype: fp8; enable_attention_dp: true).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "machine/launch.h"
#include "catalog/catalog.h"
#include "core/core.h"
#include "core/serve.h"

struct sb {
    char *buf;
    size_t n, len;
    bool cut;                       /* the line did not fit the buffer */
};

static void put(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sb *b, const char *fmt, ...)
{
    if (b->len >= b->n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->buf + b->len, b->n - b->len, fmt, ap);
    va_end(ap);
    if (k > 0)
        b->len += (size_t)k;
    if (b->len >= b->n) {
        b->len = b->n - 1;
        b->cut = true;
    }
}

/* A shell word: as is when it is plain, else in single quotes. */
static void put_word(struct sb *b, const char *w)
{
    bool plain = *w != 0;
    for (const char *p = w; *p; p++)
        if (!(isalnum((unsigned char)*p) || strchr("-_./:+=@%,", *p)))
            plain = false;
    if (plain) {
        put(b, " %s", w);
        return;
    }
    put(b, " '");
    for (const char *p = w; *p; p++) {
        if (*p == '\'')
            put(b, "'\\''");
        else
            put(b, "%c", *p);
    }
    put(b, "'");
}

const char *launch_repo(const struct rt_model *m) { return m->hf_repo[0] ? m->hf_repo : m->id; }

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static void note_add(char *note, size_t notelen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note_add(char *note, size_t notelen, const char *fmt, ...)
{
    if (!note || notelen == 0)
        return;
    size_t len = strlen(note);
    if (len && len + 2 < notelen) {
        snprintf(note + len, notelen - len, "; ");
        len += 2;
    }
    if (len >= notelen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(note + len, notelen - len, fmt, ap);
    va_end(ap);
}

/* The model as a server loads it: a file or folder given on the command line,
 * else the catalog model's Hugging Face repository. */
static void model_ref(const struct rt_resolved *rs, const char *arg, char *out, size_t n)
{
    if (arg && spec_model_is_gguf(arg)) {
        snprintf(out, n, "%s", arg);
    } else if (arg && spec_model_is_path(arg)) {
        const char *slash = strrchr(arg, '/');
        if (ends_with(arg, ".json") && slash)
            snprintf(out, n, "%.*s", (int)(slash - arg), arg); /* the checkpoint's folder */
        else if (ends_with(arg, ".json"))
            snprintf(out, n, ".");
        else
            snprintf(out, n, "%s", arg);
    } else {
        snprintf(out, n, "%s", launch_repo(&rs->model));
    }
    if (out[0] == '-' && strlen(out) + 3 <= n) { /* a path read as an option otherwise */
        memmove(out + 2, out, strlen(out) + 1);
        memcpy(out, "./", 2);
    }
}

/* llama.cpp's name for a KV format, NULL when it has none. */
static const char *llama_cache_type(const char *kv)
{
    static const char *const map[][2] = { { "fp32", "f32" }, { "fp16", "f16" }, { "bf16", "bf16" },
                                          { "q8_0", "q8_0" }, { "int8", "q8_0" }, { "q4_0", "q4_0" },
                                          { "q4_1", "q4_1" }, { "q5_0", "q5_0" }, { "iq4_nl", "iq4_nl" } };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(kv, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

static const char *torch_dtype(const char *w)
{
    if (strcmp(w, "bf16") == 0) return "bfloat16";
    if (strcmp(w, "fp16") == 0) return "float16";
    if (strcmp(w, "fp32") == 0) return "float32";
    return NULL;
}

static void upper(char *dst, size_t n, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        dst[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
    dst[i] = 0;
}

/* vLLM and SGLang take the same settings under their own option names. */
struct py_server {
    const char *name;                   /* for the notes */
    const char *cmd;                    /* the command, up to the model */
    const char *tp, *pp, *len, *seqs;   /* tensor and pipeline parallel, context length, most sequences */
    const char *mem;                    /* the share of device memory */
    const char *fp8_kv;                 /* --kv-cache-dtype's value for an fp8 cache */
    bool kv_auto_in_weights_type;       /* a KV cache in the weights' own type needs no note */
    const char *kv_auto;                /* what its auto KV cache is, after "auto" */
    const char *quantized;              /* where it finds a checkpoint's quantization, after the note */
    bool ep_sglang;                     /* expert parallel in SGLang's flags, not vLLM's */
};

static void put_py_server(struct sb *b, const struct py_server *e, const char *model, const struct rt_scenario *s,
                          long long ctx, long long batch, char *note, size_t notelen)
{
    const char *w = s->weights ? s->weights->id : "";
    const char *kv = s->kv ? s->kv->id : "fp16";
    put(b, "%s", e->cmd);
    put_word(b, model);
    long long ep = (long long)rt_ep(s);
    if (ep > 1 && e->ep_sglang) /* attention data parallel over ep groups of tp / ep, experts over ep */
        put(b, " %s %lld --dp %lld --enable-dp-attention --ep-size %lld", e->tp, (long long)s->tp, ep, ep);
    else if (ep > 1) /* vLLM: attention's tensor parallel x data parallel; experts over both */
        put(b, " %s %lld --data-parallel-size %lld --enable-expert-parallel", e->tp, (long long)s->tp / ep, ep);
    else
        put(b, " %s %lld", e->tp, (long long)s->tp);
    if (s->pp > 1)
        put(b, " %s %lld", e->pp, (long long)s->pp);
    put(b, " %s %lld", e->len, ctx);
    if (batch > 0) /* 0: no cap of the estimate's, the engine's own default */
        put(b, " %s %lld", e->seqs, batch);
    put(b, " %s %.2f", e->mem, s->engine->mem_util);
    const char *kd = "auto";
    if (strcmp(kv, "fp8") == 0)
        kd = e->fp8_kv;
    else if (strcmp(kv, "fp16") != 0 && strcmp(kv, "bf16") != 0 && !(e->kv_auto_in_weights_type && strcmp(kv, w) == 0))
        note_add(note, notelen, "%s has no %s KV cache; auto%s used", e->name, kv, e->kv_auto);
    put(b, " --kv-cache-dtype %s", kd);
    if (torch_dtype(w))
        put(b, " --dtype %s", torch_dtype(w));
    else if (strcmp(w, "fp8") == 0)
        put(b, " --quantization fp8");
    else
        note_add(note, notelen, "load a checkpoint already quantized to %s%s", w, e->quantized);
}

/* A line cut short is no command at all: refused, with the reason in its place. */
static int finish(struct sb *b)
{
    if (!b->cut)
        return RT_OK;
    snprintf(b->buf, b->n, "the launch line is longer than %zu bytes (a very long model path?): not shown cut short",
             b->n - 1);
    return RT_EINVAL;
}

int launch_line(const struct rt_resolved *rs, const char *model_arg, char *buf, size_t n, char *note,
                size_t notelen)
{
    if (note && notelen)
        note[0] = 0;
    if (!buf || n == 0)
        return RT_EINVAL;
    buf[0] = 0;
    const struct rt_scenario *s = &rs->s;
    const char *eng = s->engine ? s->engine->id : "";
    struct sb b = { buf, n, 0, false };
    char model[4096 + 64];
    model_ref(rs, model_arg, model, sizeof model);
    long long ctx = (long long)(s->prompt + s->output), batch = (long long)(s->batch > 0 ? s->batch : 1);
    /* --max-seqs: the engine's cap on running sequences; under a rate the estimate serves with
     * the engine's sequence limit (rt_serve_cap: a batch above 1, else the engine's default), so
     * the line starts that many slots */
    if (s->max_seqs_given && s->engine->max_seqs > 0)
        batch = (long long)s->engine->max_seqs;
    else if (s->rate > 0 && s->engine && rt_serve_cap(s) > 0)
        batch = (long long)rt_serve_cap(s);
    else if (s->rate > 0 && s->engine && strcmp(eng, "llama.cpp") != 0)
        batch = 0; /* the estimate serves with no cap but memory: the line sets none (it set the static batch,
                    * "--max-running-requests 1", a server that runs one request at a time) */
    const char *w = s->weights ? s->weights->id : "";
    const char *kv = s->kv ? s->kv->id : "fp16";
    bool w16 = torch_dtype(w) != NULL;

    if (s->mix_n > 1 && strcmp(eng, "llama.cpp") != 0) {
        snprintf(buf, n, "no launch line for a device list with engine '%s': the layer split over different "
                 "devices is llama.cpp's (-e llama.cpp)", eng);
        return RT_EINVAL;
    }
    if (strcmp(eng, "llama.cpp") == 0) {
        bool file = model_arg && spec_model_is_gguf(model_arg);
        char up[RT_ID_MAX];
        upper(up, sizeof up, strcmp(w, "fp16") == 0 ? "f16" : w);
        if (file) {
            put(&b, "llama-server -m");
            put_word(&b, model);
        } else if (rs->model.gguf_repo[0] && !spec_model_is_path(model_arg ? model_arg : "")) {
            /* a published GGUF repository: llama.cpp downloads the file of that type from it */
            char ref[RT_NAME_MAX + RT_ID_MAX + 2];
            snprintf(ref, sizeof ref, "%s:%s", rs->model.gguf_repo, up);
            put(&b, "llama-server -hf");
            put_word(&b, ref);
            note_add(note, notelen, "-hf downloads the %s file of %s (the repository must publish that type)", up,
                     rs->model.gguf_repo);
        } else {
            put(&b, "llama-server -m");
            /* a catalog model: the GGUF file the user downloads, named by model and type */
            char gguf[512];
            snprintf(gguf, sizeof gguf, "%s-%s.gguf", rs->model.id, up);
            put_word(&b, gguf);
            /* the name is made up: said, so that no one looks for that file */
            note_add(note, notelen, "%s is a placeholder: give the path of your %s GGUF file of this model", gguf, up);
        }
        if (!file && !w16 && !format_is_gguf(w))
            note_add(note, notelen, "llama.cpp runs GGUF files: %s weights have no GGUF type of that name", w);
        long long ngl;
        if (s->gpu_layers >= 0 && s->gpu_layers < rs->model.layers && s->host)
            ngl = (long long)s->gpu_layers;
        else if (s->device && s->device->family == RT_FAM_CPU)
            ngl = 0;
        else
            ngl = (long long)rs->model.layers + 1; /* every layer and the output layer */
        put(&b, " -ngl %lld -c %lld -np %lld", ngl, ctx * batch, batch);
        if (s->cpu_moe > 0)
            put(&b, " --n-cpu-moe %lld", (long long)s->cpu_moe);
        const char *ct = llama_cache_type(kv);
        if (!ct) {
            note_add(note, notelen, "llama.cpp has no %s KV cache; f16 used", kv);
            ct = "f16";
        }
        put(&b, " --cache-type-k %s --cache-type-v %s", ct, ct);
        if (strcmp(ct, "f16") != 0 && strcmp(ct, "bf16") != 0 && strcmp(ct, "f32") != 0)
            put(&b, " -fa on"); /* a quantized V cache needs flash attention */
        if (s->tp > 1)
            put(&b, " --split-mode row");
        else if (s->pp > 1 && s->mix_n <= 1)
            put(&b, " --split-mode layer"); /* the default, said: the estimate is of it */
        if (s->mix_n > 1) { /* a device list: llama.cpp's layer split, its weights as given */
            put(&b, " --split-mode layer");
            bool given = false;
            for (int i = 0; i < s->mix_n; i++)
                given = given || s->mix_split[i] > 0;
            for (int i = 0; given && i < s->mix_n; i++)
                put(&b, "%s%g", i ? "," : " --tensor-split ", s->mix_split[i]);
            note_add(note, notelen, "llama.cpp numbers the GPUs its own way: order them as listed (CUDA_VISIBLE_DEVICES)");
        }
        return finish(&b);
    }
    if (strncmp(eng, "vllm", 4) == 0 || strncmp(eng, "sglang", 6) == 0) { /* sglang, sglang-0.4.1 */
        static const struct py_server vllm = {
            .name = "vLLM", .cmd = "vllm serve", .tp = "--tensor-parallel-size", .pp = "--pipeline-parallel-size",
            .len = "--max-model-len", .seqs = "--max-num-seqs", .mem = "--gpu-memory-utilization", .fp8_kv = "fp8",
            .kv_auto_in_weights_type = true, .kv_auto = " (the model's 16-bit type)",
            .quantized = " (vLLM reads its quantization_config)"
        };
        static const struct py_server sglang = {
            .name = "SGLang", .cmd = "python -m sglang.launch_server --model-path", .tp = "--tp", .pp = "--pp-size",
            .len = "--context-length", .seqs = "--max-running-requests", .mem = "--mem-fraction-static",
            .fp8_kv = "fp8_e4m3", .kv_auto_in_weights_type = false, .kv_auto = "", .quantized = "", .ep_sglang = true
        };
        put_py_server(&b, strncmp(eng, "vllm", 4) == 0 ? &vllm : &sglang, model, s, ctx, batch, note, notelen);
        return finish(&b);
    }
    if (strncmp(eng, "trtllm", 6) == 0) {
        put(&b, "trtllm-serve");
        put_word(&b, model);
        put(&b, " --tp_size %lld --pp_size %lld", (long long)s->tp, (long long)s->pp);
        if (rt_ep(s) > 1) {
            put(&b, " --ep_size %lld", (long long)rt_ep(s));
            note_add(note, notelen, "attention data parallel: enable_attention_dp: true in the --extra_llm_api_options YAML%s",
                     rt_ep(s) < s->tp ? " (it runs attention on one device a rank, not tp / ep)" : "");
        }
        if (batch > 0)
            put(&b, " --max_batch_size %lld", batch);
        put(&b, " --max_seq_len %lld", ctx);
        put(&b, " --kv_cache_free_gpu_memory_fraction %.2f", s->engine->mem_util);
        if (strcmp(kv, "fp8") == 0)
            note_add(note, notelen, "FP8 KV cache: kv_cache_config: dtype: fp8 in the --extra_llm_api_options YAML");
        else if (strcmp(kv, "fp16") != 0 && strcmp(kv, "bf16") != 0)
            note_add(note, notelen, "TensorRT-LLM has no %s KV cache; the model's type is used", kv);
        if (!w16)
            note_add(note, notelen, "load a checkpoint already quantized to %s (TensorRT Model Optimizer)", w);
        return finish(&b);
    }
    snprintf(buf, n, "no launch line for engine '%s' (llama.cpp, vllm, sglang and trtllm have one)", eng);
    return RT_EINVAL;
}
