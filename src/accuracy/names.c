/* names.c - read accuracy/names.cfg (see names.h). */
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "accuracy/names.h"
#include "catalog/catalog.h"
#include "core/kclass.h"
#include "base/cfgread.h"
#include "catalog/embedded.h"
#include "core/core.h"

static const char *const list_keys[NAMES_N] = { "devices", "models", "engines", "formats", "kv" };

void acc_names_free(struct acc_names *n)
{
    for (int l = 0; l < NAMES_N; l++)
        free(n->list[l]);
    memset(n, 0, sizeof *n);
}

int acc_names_parse(const char *text, const char *name, struct acc_names *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    config_t cfg;
    config_init(&cfg);
    if (config_read_string(&cfg, text) != CONFIG_TRUE) {
        snprintf(err, errlen, "%s:%d: %s", name, config_error_line(&cfg), config_error_text(&cfg));
        config_destroy(&cfg);
        return RT_EINVAL;
    }
    struct cfgread r = { .file = name, .err = err, .errlen = errlen };
    for (int l = 0; l < NAMES_N && !r.failed; l++) {
        config_setting_t *list = config_lookup(&cfg, list_keys[l]);
        int n = list ? config_setting_length(list) : 0;
        out->list[l] = calloc(n ? (size_t)n : 1, sizeof *out->list[l]);
        if (!out->list[l]) {
            snprintf(err, errlen, "%s: out of memory", name);
            r.failed = true;
            break;
        }
        for (int i = 0; i < n && !r.failed; i++) {
            config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
            struct acc_name *e = &out->list[l][i];
            cfg_str(&r, g, "match", e->match, sizeof e->match, NULL);
            cfg_str(&r, g, "id", e->id, sizeof e->id, "");
            e->gpu_cores = (int)cfg_int(&r, g, "gpu_cores", 0, 0, 100000);
            e->bits = cfg_real(&r, g, "bits", 0, 0, 64);
            e->klass = (int)cfg_int(&r, g, "class", 0, 0, 2);
            e->bits_after = cfg_bool(&r, g, "bits_after", false);
            e->head_bits = cfg_real(&r, g, "head_bits", 0, 0, 64);
            e->attn_bits = cfg_real(&r, g, "attn_bits", 0, 0, 64);
            /* engines: a build whose quantised GEMMs differ from the profile's (kclass.h) */
            char q[24];
            cfg_str(&r, g, "qgemm", q, sizeof q, "");
            e->qgemm = -1;
            for (int k = 0; q[0] && k < RT_QGEMM_N; k++)
                if (strcmp(q, qgemm_name(k)) == 0)
                    e->qgemm = k;
            if (q[0] && e->qgemm < 0 && !r.failed)
                cfg_fail(&r, g, "qgemm", "expected weight-only, dequant or mmq");
            /* engines: a build whose decode-attention kernel differs from the profile's (attn.c) */
            cfg_str(&r, g, "attn", q, sizeof q, "");
            e->attn = -1;
            for (int k = 0; q[0] && k < RT_AK_N; k++)
                if (strcmp(q, attn_kernel_name(k)) == 0)
                    e->attn = k;
            if (q[0] && e->attn < 0 && !r.failed)
                cfg_fail(&r, g, "attn", "expected a decode-attention kernel of engines.cfg (attn_kernel)");
            /* engines: the compute backend the build ran on (llama.cpp: Vulkan, ROCm, ...) */
            cfg_str(&r, g, "backend", q, sizeof q, "auto");
            e->backend = backend_parse(q);
            if (e->backend < 0 && !r.failed)
                cfg_fail(&r, g, "backend", "expected auto, cuda, rocm, vulkan, vulkan-scalar, metal or cpu");
            /* engines: how the build spreads a model over several GPUs */
            cfg_str(&r, g, "split", q, sizeof q, "layer");
            e->row_split = strcmp(q, "row") == 0;
            if (!e->row_split && strcmp(q, "layer") && !r.failed)
                cfg_fail(&r, g, "split", "expected layer or row");
            /* engines: a build whose Metal kernels ran at their own rates */
            e->metal_alu_share = cfg_real(&r, g, "metal_alu_share", 0, 0, 1);
            e->metal_f16_bw_share = cfg_real(&r, g, "metal_f16_bw_share", 0, 0, 1);
            /* engines: a build whose FP8 multiplies a MoE model's routed experts in 16-bit */
            cfg_str(&r, g, "moe_experts", q, sizeof q, "");
            e->moe_experts = 0;
            if (q[0] && (!strcmp(q, prec_name(RT_FP16)) || !strcmp(q, prec_name(RT_BF16))))
                e->moe_experts = (!strcmp(q, prec_name(RT_FP16)) ? RT_FP16 : RT_BF16) + 1;
            else if (q[0] && !r.failed)
                cfg_fail(&r, g, "moe_experts", "expected fp16 or bf16");
            /* engines: the prompt length of the build's runs, from their logs */
            e->prompt = (int)cfg_int(&r, g, "prompt", 0, 0, 10000000);
            e->first_pass = cfg_bool(&r, g, "first_pass", false);
            e->vk_row_matvec = cfg_bool(&r, g, "vk_row_matvec", false);
            e->deq_twice = cfg_bool(&r, g, "deq_twice", false);
            e->moe_pad_block = (int)cfg_int(&r, g, "moe_pad_block", 0, 0, ENG_PAD_BLOCK_MAX);
            if (!e->match[0] && !r.failed)
                cfg_fail(&r, g, "match", "must not be empty");
        }
        out->n[l] = (size_t)n;
    }
    config_destroy(&cfg);
    if (r.failed) {
        acc_names_free(out);
        return RT_EINVAL;
    }
    return RT_OK;
}

const struct acc_names *acc_names_builtin(char *err, size_t errlen)
{
    static struct acc_names names;
    static int state; /* 0 not read, 1 read, -1 failed */
    static char saved[256];
    if (state == 0) {
        const char *text = NULL;
        for (size_t i = 0; i < rt_embedded_count && !text; i++)
            if (strcmp(rt_embedded[i].name, "accuracy/names.cfg") == 0)
                text = rt_embedded[i].text;
        if (!text)
            snprintf(saved, sizeof saved, "accuracy/names.cfg is not built in");
        state = text && acc_names_parse(text, "accuracy/names.cfg (built in)", &names, saved, sizeof saved) == RT_OK
                    ? 1 : -1;
    }
    if (state < 0) {
        snprintf(err, errlen, "%s", saved);
        return NULL;
    }
    return &names;
}

const struct acc_name *acc_names_find(const struct acc_names *n, enum acc_list l, const char *name)
{
    for (size_t i = 0; i < n->n[l]; i++)
        if (strstr(name, n->list[l][i].match))
            return &n->list[l][i];
    return NULL;
}
