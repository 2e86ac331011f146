/* hfconfig.c - Hugging Face config.json -> rt_model, through the shared key
 * interpreter (arch.c). */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "base/slurp.h"
#include "import/arch.h"
#include "import/hfconfig.h"
#include "core/core.h"
#include "base/text.h"

/* The largest config.json read: real ones are a few KB. */
#define HFCONFIG_MAX (4u << 20)

/* ---- jansson behind the interpreter's accessor ---- */

static const void *j_member(const void *g, const char *key)
{
    return json_is_object((const json_t *)g) ? json_object_get((const json_t *)g, key) : NULL;
}

static enum av_type j_type(const void *v)
{
    switch (json_typeof((const json_t *)v)) {
    case JSON_OBJECT: return AV_GROUP;
    case JSON_ARRAY: return AV_LIST;
    case JSON_STRING: return AV_STRING;
    case JSON_INTEGER: return AV_INT;
    case JSON_REAL: return AV_REAL;
    case JSON_TRUE:
    case JSON_FALSE: return AV_BOOL;
    default: return AV_NULL;
    }
}

static double j_number(const void *v)
{
    const json_t *j = v;
    if (json_is_integer(j))
        return (double)json_integer_value(j);
    if (json_is_real(j))
        return json_real_value(j);
    return json_is_true(j) ? 1 : 0;
}

static const char *j_string(const void *v) { return json_string_value((const json_t *)v); }

static size_t j_size(const void *v)
{
    const json_t *j = v;
    return json_is_array(j) ? json_array_size(j) : json_is_object(j) ? json_object_size(j) : 0;
}

/* The i-th member of an object, in the file's order (jansson keeps it).
 * Members are read in order, so the last position is kept: walking an object
 * costs its size, not its size squared (a config.json of 100,000 keys took
 * 18 s).  The cache is cleared around every parse (iter_reset). */
static struct { const json_t *j; size_t i; void *it; } iter_cache;
static void iter_reset(void) { memset(&iter_cache, 0, sizeof iter_cache); }

static void *j_iter_at(const json_t *j, size_t i)
{
    void *it;
    size_t at;
    if (iter_cache.j == j && iter_cache.it && iter_cache.i <= i) {
        it = iter_cache.it;
        at = iter_cache.i;
    } else {
        it = json_object_iter((json_t *)j);
        at = 0;
    }
    while (it && at < i) {
        it = json_object_iter_next((json_t *)j, it);
        at++;
    }
    iter_cache.j = j;
    iter_cache.i = at;
    iter_cache.it = it;
    return it;
}

static const void *j_elem(const void *v, size_t i)
{
    const json_t *j = v;
    if (json_is_array(j))
        return json_array_get(j, i);
    void *it = json_is_object(j) ? j_iter_at(j, i) : NULL;
    return it ? json_object_iter_value(it) : NULL;
}

static const char *j_key(const void *g, size_t i)
{
    void *it = json_is_object((const json_t *)g) ? j_iter_at(g, i) : NULL;
    return it ? json_object_iter_key(it) : NULL;
}

static int j_line(const void *v)
{
    (void)v;
    return 0;
}

static const struct av_ops json_ops = { j_member, j_type, j_number, j_string, j_size, j_elem, j_key, j_line, NULL };

/* Python's json module writes NaN, Infinity and -Infinity (real configs carry
 * them, e.g. Mamba's time_step_limit); JSON does not allow them and jansson
 * refuses them.  Outside strings, each becomes null: no size depends on them. */
char *hfconfig_relax(const char *text)
{
    size_t n = strlen(text);
    char *out = malloc(n + n / 3 + 2); /* "NaN" (3 bytes) becomes "null" (4) */
    if (!out)
        return NULL;
    size_t o = 0;
    bool str = false;
    for (size_t i = 0; i < n;) {
        char c = text[i];
        if (str) {
            out[o++] = c;
            if (c == '\\' && i + 1 < n)
                out[o++] = text[++i];
            else if (c == '"')
                str = false;
            i++;
            continue;
        }
        if (c == '"') {
            str = true;
            out[o++] = c;
            i++;
            continue;
        }
        static const char *const words[] = { "-Infinity", "Infinity", "NaN", NULL };
        bool done = false;
        bool start = i == 0 || !(isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_' || text[i - 1] == '.');
        for (int w = 0; words[w] && start; w++) {
            size_t l = strlen(words[w]);
            if (strncmp(text + i, words[w], l) == 0 &&
                !(isalnum((unsigned char)text[i + l]) || text[i + l] == '_')) {
                memcpy(out + o, "null", 4); /* one byte longer than "NaN": room made above */
                o += 4;
                i += l;
                done = true;
                break;
            }
        }
        if (!done)
            out[o++] = text[i++];
    }
    out[o] = 0;
    return out;
}

/* A ModelOpt checkpoint's format (quant_method "modelopt"): its quant_algo, NVFP4 or one of
 * the FP8 ones, and the modules it left out (ignore; exclude_modules in the older nested
 * {"quantization": {...}} form), as vLLM's ModelOptQuantConfigBase.from_config reads them
 * (vllm-project/vllm vllm/model_executor/layers/quantization/modelopt.py@00155cd).  NULL:
 * an algorithm without a catalog format (weight-only NVFP4, mixed precision). */
static const char *modelopt_of(const json_t *q, const json_t **kept)
{
    const json_t *nested = json_object_get(q, "quantization");
    const json_t *c = json_is_object(nested) ? nested : q;
    const char *algo = json_string_value(json_object_get(c, "quant_algo"));
    *kept = json_object_get(c, json_is_object(nested) ? "exclude_modules" : "ignore");
    if (!algo)
        return NULL;
    if (strcasecmp(algo, "NVFP4") == 0)
        return "nvfp4";
    return strncasecmp(algo, "FP8", 3) == 0 ? "fp8" : NULL;
}

/* The format the checkpoint ships in, as its config.json says: quantization_config's
 * quant_method (mxfp4, fp8; gptq and awq by their bits; a ModelOpt checkpoint's quant_algo),
 * else torch_dtype (or dtype); the attention and router the quantization left out
 * (modules_to_not_convert; ModelOpt's ignore) at 16 bits. */
static void native_of(const json_t *root, struct rt_model *m)
{
    const json_t *q = json_object_get(root, "quantization_config");
    const char *qm = json_string_value(json_object_get(q, "quant_method"));
    const char *id = NULL;
    const json_t *keep = json_object_get(q, "modules_to_not_convert");
    if (qm) {
        json_int_t bits = json_integer_value(json_object_get(q, "bits"));
        if (strcmp(qm, "mxfp4") == 0 || strcmp(qm, "fp8") == 0)
            id = qm;
        else if ((strcmp(qm, "gptq") == 0 || strcmp(qm, "awq") == 0) && (bits == 4 || bits == 8))
            id = bits == 4 ? "int4" : "int8";
        else if (strncasecmp(qm, "modelopt", 8) == 0)
            id = modelopt_of(q, &keep);
    } else {
        const char *dt = json_string_value(json_object_get(root, "torch_dtype"));
        if (!dt)
            dt = json_string_value(json_object_get(root, "dtype"));
        static const char *const map[][2] = { { "bfloat16", "bf16" }, { "float16", "fp16" }, { "float32", "fp32" } };
        for (size_t i = 0; dt && i < sizeof map / sizeof map[0]; i++)
            if (strcmp(dt, map[i][0]) == 0)
                id = map[i][1];
    }
    if (!id)
        return;
    /* tensor classes left unconverted (modules_to_not_convert: gpt-oss lists its
     * self_attn and mlp.router; NVIDIA's FP4 DeepSeek checkpoints ignore self_attn) stay in
     * the file's torch_dtype */
    const char *dt = json_string_value(json_object_get(root, "torch_dtype"));
    const char *kept = dt && strcmp(dt, "float16") == 0 ? "fp16" : "bf16";
    for (size_t i = 0; qm && i < json_array_size(keep); i++) {
        const char *mod = json_string_value(json_array_get(keep, i));
        if (mod && strstr(mod, "self_attn"))
            snprintf(m->native_attn, sizeof m->native_attn, "%s", kept);
        if (mod && strstr(mod, "router"))
            snprintf(m->native_dense, sizeof m->native_dense, "%s", kept);
    }
    snprintf(m->native_weights, sizeof m->native_weights, "%s", id);
    snprintf(m->native_source, sizeof m->native_source, "the file's %s", qm ? "quantization_config" : "torch_dtype");
}

int hfconfig_parse(const char *text, const char *name, struct rt_model *m, char *warn, size_t warnlen,
                   char *err, size_t errlen)
{
    if (warn && warnlen)
        warn[0] = 0;
    char *relaxed = hfconfig_relax(text);
    if (!relaxed) {
        snprintf(err, errlen, "%s: out of memory", name);
        return RT_EINVAL;
    }
    json_error_t je;
    json_t *root = json_loads(relaxed, JSON_REJECT_DUPLICATES, &je);
    free(relaxed);
    if (!root) {
        snprintf(err, errlen, "%s:%d: %s", name, je.line, je.text); /* je.text may quote the file */
        text_safe_inplace(err);
        return RT_EINVAL;
    }
    if (!json_is_object(root)) {
        snprintf(err, errlen, "%s: expected a JSON object", name);
        json_decref(root);
        return RT_EINVAL;
    }
    struct av_source src = { &json_ops, root, name, false, NULL, NULL };
    iter_reset();
    int rc = arch_read(&src, m, warn, warnlen, err, errlen);
    iter_reset(); /* root is freed below: no iterator into it may stay */
    if (rc == RT_OK) {
        const json_t *tc = json_object_get(root, "text_config");
        const json_t *mt = json_object_get(json_is_object(tc) ? tc : root, "model_type");
        if (!json_is_string(mt))
            mt = json_object_get(root, "model_type");
        const char *type = json_is_string(mt) ? json_string_value(mt) : "";
        const char *base = strrchr(name, '/');
        snprintf(m->id, sizeof m->id, "%.*s", (int)sizeof m->id - 1, base ? base + 1 : name);
        snprintf(m->name, sizeof m->name, "%.30s (%.60s)", type[0] ? type : "model", name);
        text_safe_inplace(m->id);
        text_safe_inplace(m->name);
        native_of(root, m);
    } else {
        text_safe_inplace(err);
    }
    if (warn && warnlen)
        text_safe_inplace(warn);
    json_decref(root);
    return rc;
}

/* A ModelOpt checkpoint whose config.json has no quantization_config keeps it in
 * hf_quant_config.json beside it ({"quantization": {"quant_algo", "exclude_modules"}}: the
 * file vLLM's modelopt.py names in get_config_filenames, and ModelOpt's DeepSeek recipe,
 * examples/deepseek/ptq.py@1030a22, writes).  Read when there; a file there that cannot be
 * read is said in warn. */
static void modelopt_file(const char *path, struct rt_model *m, char *warn, size_t warnlen)
{
    if (strncmp(m->native_source, "the file's quantization_config", 30) == 0)
        return;
    const char *slash = strrchr(path, '/');
    char qpath[4096];
    if ((size_t)snprintf(qpath, sizeof qpath, "%.*shf_quant_config.json", slash ? (int)(slash - path + 1) : 0, path) >=
        sizeof qpath)
        return;
    char *text = slurp_file(qpath, NULL, HFCONFIG_MAX);
    if (!text) {
        size_t len = warn ? strlen(warn) : 0;
        if (errno != ENOENT && warn && warnlen > len)
            snprintf(warn + len, warnlen - len, "%shf_quant_config.json beside it not read: %s", len ? "; " : "",
                     slurp_strerror(errno, HFCONFIG_MAX));
        return;
    }
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    free(text);
    const json_t *keep = NULL;
    const char *id = json_is_object(root) ? modelopt_of(root, &keep) : NULL;
    if (id) {
        const char *kept = strcmp(m->native_weights, "fp16") == 0 ? "fp16" : "bf16"; /* the torch_dtype read */
        m->native_attn[0] = m->native_dense[0] = 0;
        for (size_t i = 0; i < json_array_size(keep); i++) {
            const char *mod = json_string_value(json_array_get(keep, i));
            if (mod && strstr(mod, "self_attn"))
                snprintf(m->native_attn, sizeof m->native_attn, "%s", kept);
        }
        snprintf(m->native_weights, sizeof m->native_weights, "%s", id);
        snprintf(m->native_source, sizeof m->native_source, "the hf_quant_config.json beside it");
    }
    json_decref(root);
}

int hfconfig_import(const char *path, struct rt_model *m, char *warn, size_t warnlen, char *err, size_t errlen)
{
    char *text = slurp_file(path, NULL, HFCONFIG_MAX);
    if (!text) {
        snprintf(err, errlen, "%s: %s", path, slurp_strerror(errno, HFCONFIG_MAX));
        return RT_EINVAL;
    }
    int rc = hfconfig_parse(text, path, m, warn, warnlen, err, errlen);
    free(text);
    if (rc == RT_OK)
        modelopt_file(path, m, warn, warnlen);
    return rc;
}
