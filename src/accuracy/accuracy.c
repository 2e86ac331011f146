/* accuracy.c - replay published measurements through the estimator.
 *
 * Each row of a CSV in accuracy/measurements.csv's format is mapped to a
 * scenario through the name maps of accuracy/names.cfg: its hardware to a
 * catalog device (a stated bandwidth and a binned Apple GPU's core count adjust
 * it), its model to a catalog model with the same tensor shapes, its software
 * to an engine profile, and its batch and token counts as the row states them.
 * Rows that cannot be mapped are skipped and counted with the reason.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/slurp.h"
#include "accuracy/accuracy.h"
#include "accuracy/loops.h"
#include "accuracy/names.h"
#include "core/core.h"
#include "base/text.h"

#define CLASS_NAME(id, name, median, p90) name,
static const char *const class_names[ACC_CLASS_N] = { ACC_CLASSES(CLASS_NAME) };
#undef CLASS_NAME
const char *accuracy_class_name(int c) { return c >= 0 && c < ACC_CLASS_N ? class_names[c] : "?"; }

/* ---- CSV (RFC 4180: quoted fields, doubled quotes, newlines inside quotes) ---- */

int accuracy_csv_record(const char **p, char **fields, int max, char *buf, size_t buflen)
{
    int n = 0;
    size_t k = 0;
    const char *s = *p;
    if (!*s)
        return -1;
    fields[n++] = buf;
    bool quoted = false;
    for (; *s; s++) {
        char c = *s;
        if (quoted) {
            if (c == '"' && s[1] == '"') { if (k + 1 < buflen) buf[k++] = '"'; s++; }
            else if (c == '"') quoted = false;
            else if (k + 1 < buflen) buf[k++] = c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            /* invariant: k <= buflen - 1, so buf[k] is always inside buf */
            if (k + 1 < buflen)
                buf[k++] = 0;
            if (n < max)
                fields[n++] = buf + k;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && s[1] == '\n')
                s++;
            s++;
            break;
        } else if (k + 1 < buflen) {
            buf[k++] = c;
        }
    }
    buf[k < buflen ? k : buflen - 1] = 0;
    *p = s;
    return n;
}

static int64_t leading_int(const char *s, int64_t def)
{
    while (*s && !isdigit((unsigned char)*s))
        s++;
    return *s ? strtoll(s, NULL, 10) : def;
}

/* "static batch=64; TP4" -> 64; "max load ..." -> 0 (as many as fit). */
static int64_t batch_of(const char *s)
{
    if (strstr(s, "max load"))
        return 0;
    const char *b = strstr(s, "batch=");
    return b ? leading_int(b, 1) : leading_int(s, 1);
}

static bool has(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

/* The count written before " prompts" ("80 prompts", "400 prompts at this concurrency"), 0: none. */
static int64_t prompts_count(const char *s)
{
    for (const char *p = strstr(s, " prompts"); p; p = strstr(p + 1, " prompts")) {
        const char *b = p;
        while (b > s && isdigit((unsigned char)b[-1]))
            b--;
        if (b < p && (b == s || !isalnum((unsigned char)b[-1])))
            return strtoll(b, NULL, 10);
    }
    return 0;
}

/* The number right after TAG where TAG starts a word ("EP8" in "TP8 EP8", "concurrency 3072");
 * def where none is. */
static int64_t tagged_int(const char *s, const char *tag, int64_t def)
{
    size_t n = strlen(tag);
    for (const char *p = strstr(s, tag); p; p = strstr(p + 1, tag))
        if ((p == s || !isalnum((unsigned char)p[-1])) && isdigit((unsigned char)p[n]))
            return strtoll(p + n, NULL, 10);
    return def;
}

static bool map_format(const struct catalog *c, const struct acc_names *nm, const char *w, struct rt_format *out,
                       const char **why)
{
    memset(out, 0, sizeof *out);
    const struct acc_name *e = acc_names_find(nm, NAMES_FORMATS, w);
    *why = "weight format not mapped";
    if (!e)
        return false;
    if (e->id[0]) {
        const struct rt_format *f = catalog_format(c, e->id);
        if (!f)
            return false;
        *out = *f;
        return true;
    }
    /* a format the catalog lacks: its bits per weight, stated or in the name */
    snprintf(out->id, sizeof out->id, "%.*s", (int)sizeof out->id - 1, e->match);
    for (char *p = out->id; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    out->bits = e->bits;
    if (e->bits_after) {
        const char *p = strstr(w, e->match) + strlen(e->match);
        out->bits = strtod(p, NULL);
    }
    out->head_bits = e->head_bits;
    out->compute = RT_FP16;
    out->klass = e->klass;
    return out->bits > 0;
}

/* The publication a row comes from: the first column up to '@' or " (". */
static void source_of(const char *s, char *out, size_t n)
{
    size_t k = strcspn(s, "@");
    const char *paren = strstr(s, " (");
    if (paren && (size_t)(paren - s) < k)
        k = (size_t)(paren - s);
    snprintf(out, n, "%.*s", (int)(k < n ? k : n - 1), s);
}

void accuracy_free(struct acc_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        free(set->rows[i].rs);
    free(set->rows);
    memset(set, 0, sizeof *set);
}

/* A build that multiplies a MoE model's routed experts in 16-bit under FP8 weights
 * (names.cfg moe_experts: TensorRT-LLM 0.9, whose release notes add FP8 for Mixtral only in
 * 0.10.0): the experts keep their 8-bit storage and run at the 16-bit tensor rate, the mixer
 * projections and the other FFN weights stay FP8 GEMMs (rt_format expert_compute). */
static void build_experts(const struct rt_model *m, int prec, struct rt_format *f)
{
    int n;
    const struct rt_group *g = m ? rt_groups(m, &n) : NULL;
    bool moe = false;
    for (int i = 0; g && i < n; i++)
        moe |= g[i].experts > 0;
    if (!prec || !moe || f->compute != RT_FP8)
        return;
    f->expert_compute = prec;
}

static const char *map_row(const struct catalog *c, char **f, int nf, struct acc_row *r)
{
    if (nf < 13) /* f[12], the software, is read below */
        return "too few columns";
    const char *hw = f[1], *model = f[4], *w = f[5], *kv = f[6], *batch = f[7], *metric = f[10], *sw = f[12];
    text_safe(r->hardware, sizeof r->hardware, hw); /* shown in the report */
    text_safe(r->model_name, sizeof r->model_name, model);
    text_safe(r->metric_name, sizeof r->metric_name, metric);
    r->value = atof(f[11]);
    if (!ACC_VALUE_OK(r->value)) /* "8e672..." reads as infinity; 1e-308 overflows the error */
        return "no value";
    /* metric */
    if (strcmp(metric, "tg_tok_s") == 0) r->metric = ACC_TG;
    else if (strcmp(metric, "pp_tok_s") == 0) r->metric = ACC_PP;
    else if (strncmp(metric, "ttft_ms", 7) == 0) r->metric = ACC_TTFT;
    else if (strcmp(metric, "output_throughput_tok_s_total") == 0) r->metric = ACC_TPUT_TOTAL;
    else if (strcmp(metric, "output_throughput_tok_s_per_gpu") == 0) r->metric = ACC_TPUT_GPU;
    else if (strcmp(metric, "itl_ms") == 0) r->metric = ACC_ITL;
    else return "metric not replayed";
    char err[256];
    const struct acc_names *nm = acc_names_builtin(err, sizeof err);
    if (!nm)
        return "the name maps (accuracy/names.cfg) did not load";
    source_of(f[0], r->source, sizeof r->source);
    /* hardware */
    const struct acc_name *dn = acc_names_find(nm, NAMES_DEVICES, hw);
    if (!dn || !dn->id[0] || !catalog_device(c, dn->id))
        return "device not in the catalog";
    snprintf(r->device, sizeof r->device, "%s", dn->id);
    r->core_scale = 1;
    if (dn->gpu_cores) {
        const char *cores = strstr(hw, "-core GPU");
        if (cores) {
            const char *p = cores;
            while (p > hw && isdigit((unsigned char)p[-1]))
                p--;
            int n = atoi(p);
            if (n > 0 && n <= dn->gpu_cores)
                r->core_scale = (double)n / dn->gpu_cores;
        }
    }
    /* a CPU run on fewer cores than the chip has: "(16 threads)" */
    const char *th = strstr(hw, " threads)");
    if (!th)
        th = strstr(hw, " thread)");
    if (th) {
        const char *p = th;
        while (p > hw && isdigit((unsigned char)p[-1]))
            p--;
        r->threads = p > hw && p[-1] == '(' ? atoi(p) : 0;
    }
    r->bandwidth = atof(f[3]) * 1e9;
    /* model */
    const struct acc_name *mn = acc_names_find(nm, NAMES_MODELS, model);
    if (!mn || !mn->id[0] || !catalog_model(c, mn->id))
        return "model not in the catalog";
    snprintf(r->model, sizeof r->model, "%s", mn->id);
    /* software */
    const struct acc_name *en = acc_names_find(nm, NAMES_ENGINES, sw);
    if (!en || !catalog_engine(c, en->id))
        return "no engine profile for the software";
    const char *eid = catalog_engine(c, en->id)->id; /* the profile's own id, not an alias */
    snprintf(r->engine, sizeof r->engine, "%s", eid);
    r->qgemm_build = en->qgemm + 1;
    r->attn_build = en->attn + 1;
    r->backend_build = en->backend > 0 ? en->backend : 0;
    r->metal_alu_share = en->metal_alu_share;
    r->metal_f16_bw_share = en->metal_f16_bw_share;
    r->first_pass = en->first_pass;
    r->vk_row_matvec = en->vk_row_matvec;
    r->deq_twice = en->deq_twice;
    r->moe_pad_block = en->moe_pad_block;
    r->moe_experts = en->moe_experts;
    const char *why = NULL;
    if (!map_format(c, nm, w, &r->weights, &why))
        return why;
    if (mn->attn_bits > 0) /* a checkpoint that keeps its attention projections apart (names.cfg) */
        r->weights.attn_bits = mn->attn_bits;
    build_experts(catalog_model(c, r->model), r->moe_experts, &r->weights);
    const struct acc_name *kn = acc_names_find(nm, NAMES_KV, kv);
    snprintf(r->kv, sizeof r->kv, "%s", kn && kn->id[0] ? kn->id : "fp16");
    /* parallelism and counts; llama-bench's defaults where the row leaves them out */
    r->devices = leading_int(f[2], 1);
    /* llama.cpp splits layers over devices (pipeline), the others shard tensors */
    r->pipeline = strcmp(eid, "llama.cpp") == 0 && r->devices > 1;
    /* a build that split every matrix by rows hands activations between the GPUs at
     * each mat-mul, which rooftop does not model (it models the layer split) */
    if (r->pipeline && en->row_split)
        return "multi-GPU rows of a llama.cpp build that split each matrix by rows (its copies at each mat-mul are not modelled)";
    if (r->pipeline && r->metric == ACC_PP && nf > 13 && (has(f[13], "collapse") || has(f[13], "poor multi-GPU PP")))
        return "multi-GPU prompt rows of an old llama.cpp build (the source notes they collapse)";
    r->batch = batch_of(batch);
    r->ep = tagged_int(batch, "EP", 0);
    r->concurrency = tagged_int(batch, "concurrency ", 0);
    /* how many requests a closed-loop run sent, from its setup or, failing that, its notes */
    r->prompts = prompts_count(batch);
    if (r->prompts == 0 && nf > 13)
        r->prompts = prompts_count(f[13]);
    r->max_seqs = tagged_int(batch, "max_batch_size ", 0);
    if (r->max_seqs > 0 && r->ep > 1 && has(batch, "per rank")) /* TensorRT-LLM's limit is per rank */
        r->max_seqs *= r->ep;
    r->max_tokens = tagged_int(batch, "max_num_tokens ", 0);
    /* under attention DP each rank schedules on its own, its token budget too: the published
     * setups size it for one rank's batch plus one prompt (TensorRT-LLM's DeepSeek-R1 guide,
     * H200: max_num_tokens 1151 = 1024 prompt tokens + 127 decodes beside max_batch_size 128;
     * read as one budget for all ranks, 1151 tokens could not even hold the 1024 decodes that
     * its concurrency keeps running) */
    if (r->max_tokens > 0 && r->ep > 1 && has(batch, "per rank") && has(batch, "attention DP"))
        r->max_tokens *= r->ep;
    if (has(f[8], "ShareGPT") || has(f[9], "ShareGPT"))
        return "token counts not stated (a ShareGPT mix)";
    /* a prefill row without its prompt length: the build's runs' (names.cfg), else
     * llama-bench's pp 512 */
    r->prompt = leading_int(f[8], r->metric == ACC_PP ? (en->prompt > 0 ? en->prompt : 512) : 0);
    r->output = leading_int(f[9], r->metric == ACC_PP ? 0 : 128);
    if (r->metric == ACC_PP && r->prompt == 0)
        return "prefill row without a prompt";
    if (r->metric == ACC_TG)
        r->klass = ACC_DECODE;
    else if (r->metric == ACC_PP || (r->metric == ACC_TTFT && r->batch <= 1))
        r->klass = ACC_PREFILL;
    else if (r->metric == ACC_TTFT)
        r->klass = ACC_BATCH_TTFT;
    else
        r->klass = ACC_THROUGHPUT;
    return NULL;
}

struct acc_row *accuracy_add_row(struct acc_set *set)
{
    /* capacity: the next power of two at or above n (grown on the way up) */
    size_t cap = 256;
    while (cap < set->n)
        cap *= 2;
    if (set->n == 0 || set->n == cap) {
        size_t nc = set->n == 0 ? 256 : cap * 2;
        struct acc_row *nr = realloc(set->rows, nc * sizeof *nr);
        if (!nr)
            return NULL;
        set->rows = nr;
    }
    struct acc_row *r = &set->rows[set->n++];
    memset(r, 0, sizeof *r);
    return r;
}

/* "Apple M3 Max 40-core GPU 48GB" -> 48; 0 if no size is stated. */
static double stated_gb(const char *hw)
{
    for (const char *p = strstr(hw, "GB"); p; p = strstr(p + 2, "GB")) {
        const char *q = p;
        while (q > hw && (isdigit((unsigned char)q[-1]) || q[-1] == '.'))
            q--;
        if (q < p && (q == hw || q[-1] == ' ' || q[-1] == '('))
            return atof(q);
    }
    return 0;
}

void accuracy_row_resolve(const struct catalog *c, struct acc_row *row)
{
    if (row->skip)
        return;
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "%s", row->model);
    snprintf(sp.gpu, sizeof sp.gpu, "%s", row->device);
    snprintf(sp.weights, sizeof sp.weights, "%s", "fp16");
    snprintf(sp.kv, sizeof sp.kv, "%s", row->kv[0] ? row->kv : "fp16");
    snprintf(sp.engine, sizeof sp.engine, "%s", row->engine);
    if (row->devices < 1)
        row->devices = 1;
    sp.devices = row->devices;
    sp.tp = row->pipeline ? 1 : row->devices;
    sp.pp = row->pipeline ? row->devices : 1;
    sp.ep = row->ep > 1 ? row->ep : 0;
    sp.max_seqs = row->max_seqs;              /* the engine's limits as the run set them */
    sp.max_batched_tokens = row->max_tokens;
    sp.batch = row->batch > 0 ? row->batch : 1;
    sp.prompt = row->prompt;
    sp.output = row->output > 0 ? row->output : 1;
    struct rt_resolved *rs = malloc(sizeof *rs);
    char err[512];
    if (!rs || spec_resolve(c, &sp, rs, err, sizeof err) != RT_OK) {
        free(rs);
        row->skip = "the estimator rejected the scenario";
        return;
    }
    /* a row in the model's own shipped format keeps the model's tensor classes, as
     * --weights native does (gpt-oss: MXFP4 experts, attention and router in bf16) */
    struct rt_format nat;
    const struct rt_format *nf =
        strcmp(row->weights.id, rs->model.native_weights) == 0 ? spec_native_format(c, &rs->model, &nat) : NULL;
    if (nf)
        row->weights = *nf;
    rs->s.weights = &row->weights;
    if (row->bandwidth > 0)
        rs->device.bandwidth = row->bandwidth;
    if (row->core_scale > 0 && row->core_scale < 1)
        for (int p = 0; p < RT_PREC_N; p++)
            rs->device.peak[p] *= row->core_scale;
    /* a CPU run's threads, one per core (llama-bench -t): that many cores compute */
    if (row->threads > 0 && rs->device.cpu_cores > row->threads) {
        for (int p = 0; p < RT_PREC_N; p++)
            rs->device.peak[p] *= row->threads / rs->device.cpu_cores;
        rs->device.cpu_cores = row->threads;
    }
    /* measurements are what ran: the memory check must not stop them */
    rs->device.memory_bytes = fmax(rs->device.memory_bytes, 1.0);
    row->family = (int)rs->device.family;
    /* unified memory comes in several sizes per chip: a stated size ("48GB")
     * replaces the catalog's, with the catalog's share for the GPU; a run whose
     * model does not fit that share pages, which rooftop does not model */
    double stated = stated_gb(row->hardware) * 1e9;
    if (stated > 0 && rs->device.usable_bytes > 0 && rs->device.memory_bytes > 0) {
        rs->device.usable_bytes *= stated / rs->device.memory_bytes;
        rs->device.memory_bytes = stated;
        struct rt_scenario s = rs->s;
        s.weights = &row->weights;
        struct rt_result r;
        if (rt_estimate(&s, &r, err, sizeof err) == RT_OK && (!r.fits || (r.warnings & RT_WARN_PAGES))) {
            free(rs);
            row->skip = "the model does not fit the GPU's share of the stated unified memory (it pages)";
            return;
        }
    }
    free(row->rs);
    row->rs = rs;
    if (row->metric == ACC_ITL) /* resolved for the serving replay, kept out of the static classes */
        row->skip = ACC_SKIP_SERVING;
    else if (row->metric == ACC_TTFT && row->batch > 1 && acc_loop_find(row->source, row->engine, row->model, NULL))
        /* a closed loop's first tokens: ttftloop.c replays them */
        row->skip = ACC_SKIP_LOOP;
}

int accuracy_parse(const struct catalog *c, const char *text, const char *path, struct acc_set *set, char *err,
                   size_t errlen)
{
    memset(set, 0, sizeof *set);
    const char *p = text;
    static char buf[1 << 16];
    char *f[32];
    int line = 1;
    int nf = accuracy_csv_record(&p, f, 32, buf, sizeof buf);
    if (nf < 12 || strcmp(f[1], "hardware") != 0 || strcmp(f[10], "metric") != 0) {
        snprintf(err, errlen, "%s:1: header: expected the measurement columns (hardware, ..., metric, value, software)", path);
        return RT_EINVAL;
    }
    while (*p) {
        const char *start = p;
        nf = accuracy_csv_record(&p, f, 32, buf, sizeof buf);
        line++;
        for (const char *q = start; q < p - 1; q++)
            if (*q == '\n')
                line++; /* quoted newlines */
        if (nf <= 1)
            continue;
        if (set->n >= ACC_MAX_ROWS) {
            accuracy_free(set);
            snprintf(err, errlen, "%s:%d: more than %d rows (the most --accuracy reads)", path, line, ACC_MAX_ROWS);
            return RT_EINVAL;
        }
        struct acc_row *r = accuracy_add_row(set);
        if (!r) {
            accuracy_free(set);
            snprintf(err, errlen, "%s: out of memory", path);
            return RT_EINVAL;
        }
        r->line = line;
        r->skip = map_row(c, f, nf, r);
        accuracy_row_resolve(c, r);
    }
    return RT_OK;
}

int accuracy_load(const struct catalog *c, const char *path, struct acc_set *set, char *err, size_t errlen)
{
    memset(set, 0, sizeof *set);
    char *text = slurp_file(path, NULL, ACC_MAX_BYTES);
    if (!text) {
        snprintf(err, errlen, "%s: %s", path, slurp_strerror(errno, ACC_MAX_BYTES));
        return RT_EINVAL;
    }
    int rc = accuracy_parse(c, text, path, set, err, errlen);
    free(text);
    return rc;
}

/* Scheduler cap on concurrent sequences for "max load" rows: TensorRT-LLM's
 * default max_batch_size (assumption, 2048; the KV memory usually binds first). */
#define MAX_LOAD_BATCH_CAP 2048

double accuracy_ratio(const struct acc_row *r, double predicted)
{
    bool time = r->metric == ACC_TTFT || r->metric == ACC_TPOT || r->metric == ACC_ITL;
    return time ? r->value / predicted : predicted / r->value;
}

/* The engine as the row's build ran: its own quantised-GEMM path, compute backend (and ggml-vulkan's
 * mat-vec shader of 2024, the CUDA dequantise kernel of 2023 that converted each value twice) and
 * decode-attention kernel, and on an Apple GPU
 * its own Metal kernels (names.cfg): a prompt pass at metal_alu_share of the ALU
 * rate in place of the profile's compute efficiency, 16-bit weights streamed at
 * metal_f16_bw_share of the attainable bandwidth.  The profile itself where the row
 * names nothing of its build. */
static const struct rt_engine *row_build(const struct acc_row *row, const struct rt_scenario *s,
                                         struct rt_engine *built)
{
    bool q = row->qgemm_build > 0 && row->qgemm_build - 1 != s->engine->qgemm;
    bool apple = s->device->family == RT_FAM_APPLE;
    bool alu = apple && row->metal_alu_share > 0, f16 = apple && row->metal_f16_bw_share > 0;
    bool at = row->attn_build > 0 && row->attn_build - 1 != s->engine->attn_kernel;
    bool bk = row->backend_build > 0 && row->backend_build != s->engine->backend;
    bool vk = row->vk_row_matvec && !s->engine->vk_row_matvec;
    bool dt = row->deq_twice && !s->engine->deq_twice;
    bool pad = row->moe_pad_block > 0 && s->engine->moe_pad_block != row->moe_pad_block;
    if (!q && !alu && !f16 && !at && !bk && !vk && !dt && !pad)
        return s->engine;
    *built = *s->engine;
    if (q)
        built->qgemm = row->qgemm_build - 1;
    if (at)
        built->attn_kernel = row->attn_build - 1;
    if (bk) /* the backend the run used (names.cfg backend: Vulkan, ROCm, ...) */
        built->backend = row->backend_build;
    if (vk) /* ggml-vulkan's mat-vec shader of 2024 (names.cfg vk_row_matvec) */
        built->vk_row_matvec = true;
    if (dt) /* ggml-cuda's dequantise kernel before PR #4809 (names.cfg deq_twice) */
        built->deq_twice = true;
    if (pad) /* vLLM 0.12's DeepGEMM MoE, its padded blocks computed (names.cfg moe_pad_block) */
        built->moe_pad_block = row->moe_pad_block;
    if (alu) {
        built->mfu = row->metal_alu_share;
        built->mfu_family[RT_FAM_APPLE] = 1.0;
    }
    if (f16) { /* mbu_w = mbu x family x class (perf.c roof_init): the class term takes the share */
        double fam = built->mbu_family[RT_FAM_APPLE] > 0 ? built->mbu_family[RT_FAM_APPLE] : 1.0;
        built->mbu_class[0] = row->metal_f16_bw_share / (built->mbu * fam);
    }
    return built;
}

int accuracy_predict(const struct catalog *c, const struct acc_row *row, const struct rt_engine *engine,
                     double *pred, double *lo, double *hi)
{
    (void)c;
    if (!row->rs)
        return RT_EINVAL;
    struct rt_scenario s = row->rs->s;
    s.weights = &row->weights; /* the row array may have moved since it was resolved */
    if (engine)
        s.engine = engine;
    struct rt_engine built;
    s.engine = row_build(row, &s, &built);
    char err[512];
    struct rt_result r;
    if (row->batch == 0) { /* max load: as many sequences as fit */
        if (rt_estimate(&s, &r, err, sizeof err) != RT_OK)
            return RT_EINVAL;
        int64_t b = r.max_batch > 0 ? r.max_batch : 1, cap = row->max_seqs > 0 ? row->max_seqs : MAX_LOAD_BATCH_CAP;
        s.batch = b < cap ? b : cap; /* the run's own cap where it states one */
    }
    if (rt_estimate(&s, &r, err, sizeof err) != RT_OK)
        return RT_EINVAL;
    double B = (double)s.batch, O = (double)s.output, n = (double)s.devices;
    /* the replay measures the engine's own band: undo the widening of a scenario
     * with no published runs near it (estimate.c, RT_FAR_BAND) */
    if (r.far_band) {
        r.tok_s_seq_low *= RT_FAR_BAND;
        r.tok_s_seq_high /= RT_FAR_BAND;
        r.ttft_low_s *= RT_FAR_BAND;
        r.ttft_high_s /= RT_FAR_BAND;
        r.tpot_low_s *= RT_FAR_BAND;
        r.tpot_high_s /= RT_FAR_BAND;
        r.e2e_low_s *= RT_FAR_BAND;
        r.e2e_high_s /= RT_FAR_BAND;
    }
    switch (row->metric) {
    case ACC_TG: *pred = r.tok_s_seq; *lo = r.tok_s_seq_low; *hi = r.tok_s_seq_high; break;
    case ACC_PP: {
        /* a fresh process's first large batch also pays the engine's one-off first-pass
         * cost (names.cfg first_pass), scaled with the band like the rest of the time */
        double f = row->first_pass ? s.engine->first_pass_s / r.prefill.time_s : 0;
        *pred = (double)row->prompt / (r.prefill.time_s * (1 + f));
        *lo = (double)row->prompt / (r.prefill.time_high_s * (1 + f));
        *hi = (double)row->prompt / (r.prefill.time_low_s * (1 + f));
        break;
    }
    case ACC_TTFT: *pred = r.ttft_s * 1e3; *lo = r.ttft_low_s * 1e3; *hi = r.ttft_high_s * 1e3; break;
    case ACC_TPOT: *pred = r.tpot_s * 1e3; *lo = r.tpot_low_s * 1e3; *hi = r.tpot_high_s * 1e3; break;
    default: {
        /* every sequence is prefilled, then decoded for O steps at batch B */
        double per = row->metric == ACC_TPUT_GPU ? n : 1;
        *pred = B * O / r.e2e_s / per;
        *lo = B * O / r.e2e_high_s / per;
        *hi = B * O / r.e2e_low_s / per;
    }
    }
    return isfinite(*pred) && *pred > 0 ? RT_OK : RT_EINVAL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double accuracy_quantile(double *v, size_t n, double q)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    double frac = pos - (double)i;
    return i + 1 < n ? v[i] * (1 - frac) + v[i + 1] * frac : v[i];
}

void accuracy_score(const struct catalog *c, struct acc_set *set, const char *only_engine,
                    const struct rt_engine *engine, struct acc_score *out)
{
    memset(out, 0, sizeof *out);
    static double errs[ACC_CLASS_N][4096];
    for (size_t i = 0; i < set->n; i++) {
        struct acc_row *r = &set->rows[i];
        r->predicted = 0;
        if (r->skip || (only_engine && strcmp(r->engine, only_engine) != 0))
            continue;
        double p, lo, hi;
        if (accuracy_predict(c, r, engine, &p, &lo, &hi) != RT_OK) {
            r->skip = "the estimator rejected the scenario";
            continue;
        }
        r->predicted = p;
        r->err = (p - r->value) / r->value;
        r->in_band = r->value >= lo * 0.9999 && r->value <= hi * 1.0001;
        struct acc_stat *k = &out->k[r->klass];
        if (k->n < 4096)
            errs[r->klass][k->n] = fabs(r->err);
        k->n++;
        k->in_band += r->in_band;
        k->sum_log += log(p / r->value);
    }
    for (int k = 0; k < ACC_CLASS_N; k++) {
        size_t n = out->k[k].n < 4096 ? out->k[k].n : 4096;
        out->k[k].median = accuracy_quantile(errs[k], n, 0.5);
        out->k[k].p90 = accuracy_quantile(errs[k], n, 0.9);
    }
}
