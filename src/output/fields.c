/* fields.c - see fields.h.  Keys are the command-line contract's (man rooftop, OUTPUT), SI units. */
#include <math.h>
#include <stdio.h>
#include "catalog/catalog.h"
#include "output/fields.h"
#include "output/figures.h"
#include "scenario/spec.h"
#include "core/core.h"

#define S(k, v) s->str(s, k, v)
#define N(k, v) s->num(s, k, v)
#define I(k, v) s->integer(s, k, (int64_t)(v))
#define B(k, v) s->boolean(s, k, v)

/* A banded figure's KEY_low and KEY_high, built when first needed and kept for the rows after
 * it (sweeps print many rows). */
static void band_key_names(const struct figure *f, size_t i, char (*band_keys)[2][64])
{
    if (!band_keys[i][0][0]) {
        snprintf(band_keys[i][0], sizeof band_keys[i][0], "%s_low", f->key);
        snprintf(band_keys[i][1], sizeof band_keys[i][1], "%s_high", f->key);
    }
}

/* One figure that applies, as its kind writes it; a band adds KEY_low and KEY_high. */
static void figure_field(struct sink *s, const struct figure *f, size_t i, const struct fig_ctx *c,
                         char (*band_keys)[2][64])
{
    switch (f->kind) {
    case FK_TEXT: S(f->key, figure_text(f, c)); break;
    case FK_INT: I(f->key, figure_value(f, c)); break;
    case FK_BOOL: B(f->key, figure_value(f, c) != 0); break;
    case FK_NUM:
        if (f->section == SEC_COST && !figure_priced(f, c)) {
            N(f->key, NAN); /* JSON null, an empty CSV cell */
            break;
        }
        N(f->key, figure_value(f, c));
        if (figure_has_band(f) && i < 256) {
            double lo, hi;
            figure_band(f, c, &lo, &hi);
            band_key_names(f, i, band_keys);
            N(band_keys[i][0], lo);
            N(band_keys[i][1], hi);
        }
        break;
    }
}

/* Every figure of the table in order; a band adds KEY_low and KEY_high. */
static void result_figures(struct sink *s, const struct rt_resolved *rs, const struct rt_result *r, bool every);

void fields_result(struct sink *s, const struct rt_resolved *rs, const struct rt_result *r)
{
    result_figures(s, rs, r, false);
}

void fields_result_every(struct sink *s, const struct rt_resolved *rs, const struct rt_result *r)
{
    result_figures(s, rs, r, true);
}

/* every: a figure that does not apply is an empty field (and so are its band's), so rows of
 * different scenarios share one set of keys in one order (CSV: a sweep from rate 0 into
 * serving, a GPU list whose devices differ in what they report). */
static void result_figures(struct sink *s, const struct rt_resolved *rs, const struct rt_result *r, bool every)
{
    static char band_keys[256][2][64];
    struct fig_ctx c = { rs, r };
    for (size_t i = 0; i < n_figures; i++) {
        const struct figure *f = &figures[i];
        if (figure_present(f, &c))
            figure_field(s, f, i, &c, band_keys);
        else if (every) {
            S(f->key, "");
            if (figure_has_band(f) && i < 256) {
                band_key_names(f, i, band_keys);
                S(band_keys[i][0], "");
                S(band_keys[i][1], "");
            }
        }
    }
}

void fields_model(struct sink *s, const struct rt_model *m)
{
    struct rt_params p;
    rt_count_params(m, &p);
    struct rt_format bf = { .bits = 16 };
    S("id", m->id);
    S("name", m->name);
    /* a draft head's input projection (EAGLE-3 fc and wider q, k, v) is held and used per token */
    N("params_total", p.total + m->draft_proj_params);
    N("params_active", p.active + m->draft_proj_params);
    I("layers", m->layers);
    I("hidden_size", m->hidden);
    I("heads", m->heads);
    I("kv_heads", rt_model_mla(m) ? 1 : m->kv_heads);
    I("head_dim", m->head_dim);
    I("experts", m->experts);
    I("max_context", m->max_context);
    N("kv_bytes_per_token_16bit", rt_kv_bytes_per_token(m, &bf, false));
    S("attention", attention_kind(m));
    S("native_weights", spec_native_weights(m));
    S("native_source", m->native_weights[0] ? m->native_source : "not read: 16-bit (bf16) assumed");
    B("draft_head", rt_model_is_draft_head(m)); /* an EAGLE-3 head: --draft only */
    /* tensor classes the checkpoint keeps in another format (gpt-oss: bf16 attention, router) */
    S("native_attn_weights", m->native_attn[0] ? m->native_attn : spec_native_weights(m));
    S("native_dense_weights", m->native_dense[0] ? m->native_dense : spec_native_weights(m));
}

void fields_device(struct sink *s, const struct rt_device *d)
{
    S("id", d->id);
    S("name", d->name);
    S("family", family_name(d->family));
    N("memory_bytes", d->memory_bytes);
    N("usable_bytes", d->usable_bytes > 0 ? d->usable_bytes : d->memory_bytes);
    N("bandwidth", d->bandwidth);
    for (int p = 0; p < RT_PREC_N; p++) {
        char k[32];
        snprintf(k, sizeof k, "peak_%s", prec_name((enum rt_prec)p));
        N(k, d->peak[p]);
    }
    N("link_bandwidth", d->link_bw);
    B("nvlink", d->nvlink);
    N("tdp_w", d->tdp_w);
    N("price_usd", d->price_usd);
    N("price_per_hour_usd", d->price_hour);
}

void fields_format(struct sink *s, const struct rt_format *f)
{
    S("id", f->id);
    N("bits", f->bits);
    N("embed_bits", f->embed_bits > 0 ? f->embed_bits : f->bits);
    N("head_bits", f->head_bits > 0 ? f->head_bits : f->bits);
    N("attn_bits", rt_attn_bits(f));
    N("dense_bits", rt_dense_bits(f));
    S("compute", prec_name(f->compute));
    B("kv", f->kv_ok);
    N("ppl_delta", f->ppl_delta); /* null: none published */
}

void fields_api(struct sink *s, const struct rt_api *a)
{
    S("id", a->id);
    S("name", a->name);
    N("input_usd_per_mtok", a->input_usd_mtok);
    N("output_usd_per_mtok", a->output_usd_mtok);
    I("context", a->context);
    S("date", a->date);
    S("source", a->source);
    N("ttft_s", a->ttft_s);
    N("output_tok_s", a->output_tok_s);
    S("latency_date", a->latency_date);
    S("latency_source", a->latency_source[0] ? a->latency_source : "none published");
}

void fields_engine(struct sink *s, const struct rt_engine *e)
{
    I("max_seqs", e->max_seqs);
    I("max_batched_tokens", e->max_batched_tokens);
    S("id", e->id);
    S("name", e->name);
    S("version", e->version);
    S("aliases", e->aliases);
    I("cuda_graph_max_bs", e->cuda_graph_max_bs);
    N("large_device_gib", e->large_gib);
    I("large_device_max_seqs", e->large_max_seqs);
    I("large_device_max_batched_tokens", e->large_max_batched_tokens);
    N("host_s_per_step", e->host_step_s[RT_HOST_X86]);
    N("host_s_per_seq", e->host_seq_s[RT_HOST_X86]);
    N("host_s_per_step_grace", e->host_step_s[RT_HOST_GRACE]);
    N("host_s_per_seq_grace", e->host_seq_s[RT_HOST_GRACE]);
    B("host_overlap", e->host_overlap);
    S("swa_kv", swa_kv_name(e->swa_kv));
    S("kv_policy", kv_policy_name(e->kv_policy));
    S("attn_kernel", attn_kernel_name(e->attn_kernel));
    S("ssm_kernel", ssm_kernel_name(e->ssm_kernel));
    B("kv_of_free_memory", e->mem_util_of_free);
    S("source.max_seqs", e->src.max_seqs);
    S("source.max_batched_tokens", e->src.max_batched_tokens);
    S("source.kv", e->src.kv);
    S("source.cuda_graph", e->src.cuda_graph);
    S("source.host", e->src.host);
    S("source.swa", e->src.swa);
    S("source.kv_policy", e->src.kv_policy);
    S("source.attn", e->src.attn);
    N("custom_ar_bytes_2", e->custom_ar_max[0]);
    N("custom_ar_bytes_4", e->custom_ar_max[1]);
    N("custom_ar_bytes_8", e->custom_ar_max[2]);
    S("source.allreduce", e->src.allreduce);
    N("mbu", e->mbu);
    N("mfu", e->mfu);
    N("step_overhead_s", e->step_overhead_s);
    N("layer_overhead_s", e->layer_overhead_s);
    N("mem_util", e->mem_util);
    N("band_low", e->band_low);
    N("band_high", e->band_high);
}
