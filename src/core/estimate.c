/* estimate.c - assemble every figure of a valid scenario into one result. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "core/core.h"
#include "core/kclass.h"
#include "core/cost.h"
#include "core/serve.h"

static double inv(double t) { return t > 0 ? 1.0 / t : 0; }

/* The cost model's inputs for this scenario (core/cost.c is the one cost model: every
 * cost and energy figure comes from it).  Without a rate, one setup serves its static
 * batch: B requests every end-to-end latency (prefill and decode both charged). */
static struct rt_cost_in cost_in(const struct rt_scenario *s, const struct rt_result *r, bool owned, bool load)
{
    const struct rt_device *d = s->device;
    struct rt_cost_in ci = { .devices = s->devices, .utilization = s->utilization > 0 ? s->utilization : 1,
                             .load_factor = s->load_factor, .pue = s->pue, .prompt = s->prompt, .output = s->output,
                             .tdp_w = d->tdp_w, .api_in_usd_mtok = s->api_in_usd_mtok,
                             .api_out_usd_mtok = s->api_out_usd_mtok, .api_ttft_s = s->api_ttft_s,
                             .api_output_tok_s = s->api_output_tok_s };
    if (rt_mixed(s)) { /* mixed devices: the list's prices and power together, as one setup */
        double ph = 0, pu = 0, tdp = 0;
        bool all_ph = true, all_pu = true;
        for (int i = 0; i < s->mix_n; i++) {
            ph += s->mix[i]->price_hour;
            pu += s->mix[i]->price_usd;
            tdp += s->mix[i]->tdp_w;
            all_ph = all_ph && s->mix[i]->price_hour > 0;
            all_pu = all_pu && s->mix[i]->price_usd > 0;
        }
        ci.devices = 1;
        ci.tdp_w = tdp;
        if (owned) {
            ci.purchase_usd = all_pu ? pu : 0;
            ci.lifetime_years = s->lifetime_years;
            ci.kwh_usd = s->kwh_usd;
        } else {
            ci.price_hour = all_ph ? ph : 0;
        }
    } else if (owned) {
        ci.purchase_usd = d->price_usd;
        ci.lifetime_years = s->lifetime_years;
        ci.kwh_usd = s->kwh_usd;
    } else {
        ci.price_hour = d->price_hour;
    }
    double out = s->output > 0 ? (double)s->output : 1;
    if (load && r->serving_on && r->serving.capacity_rps > 0) {
        /* every device serving: dp replicas, or the prefill and decode groups */
        if (s->disagg_p > 0 && s->disagg_d > 0)
            ci.devices = s->disagg_p + s->disagg_d;
        else if (s->dp > 1)
            ci.devices = s->devices * s->dp;
        ci.capacity_rps = r->serving.capacity_rps;
        ci.output_tok_s = r->serving.capacity_rps * out;
        ci.rate_rps = isfinite(s->rate) ? s->rate : 0;
    } else if (r->e2e_s > 0) {
        /* the static batch on each of the dp replicas (--dp: cost counts every replica) */
        double dp = s->dp > 1 && !(s->disagg_p > 0) ? (double)s->dp : 1;
        ci.devices = (int64_t)((double)ci.devices * dp);
        ci.capacity_rps = dp * (double)s->batch / r->e2e_s;
        ci.output_tok_s = ci.capacity_rps * out;
    }
    return ci;
}

/* Cost at the load (or at the utilisation): owned when a purchase price and a lifetime
 * are known, else rented when a price per hour is.  The flat figures are the same model
 * at full use of the static batch: rented, owned, and the energy at TDP x load factor x PUE. */
static void costs(const struct rt_scenario *s, struct rt_result *r)
{
    const struct rt_device *d = s->device;
    bool owned = s->lifetime_years > 0 && d->price_usd > 0;
    struct rt_cost c;
    struct rt_cost_in ci = cost_in(s, r, owned, true);
    if (ci.purchase_usd > 0 || ci.price_hour > 0) {
        rt_cost(&ci, &r->cost);
        r->cost_on = true;
    } else if (s->api_in_usd_mtok > 0 || s->api_out_usd_mtok > 0) {
        struct rt_cost api; /* no price for this setup: the API's own figures still stand */
        rt_cost(&ci, &api);
        r->cost.api_per_request_usd = api.api_per_request_usd;
        r->cost.api_ttft_s = api.api_ttft_s;
        r->cost.api_output_tok_s = api.api_output_tok_s;
        r->cost.api_request_s = api.api_request_s;
    }
    if (s->api_context > 0 && s->prompt + s->output > s->api_context)
        r->warnings |= RT_WARN_API_CONTEXT;
    if (!(r->e2e_s > 0))
        return;
    ci = cost_in(s, r, false, false);
    ci.utilization = 1;
    rt_cost(&ci, &c);
    r->energy_per_mtok_kwh = c.energy_per_mtok_kwh;
    if (ci.price_hour > 0)
        r->cost_per_mtok = c.per_mtok_output_usd;
    if (owned) {
        ci = cost_in(s, r, true, false);
        ci.utilization = 1;
        rt_cost(&ci, &c);
        r->owned_cost_per_mtok = c.per_mtok_output_usd;
    }
}

/* Parameters and memory at the scenario's batch and context. */
static void sizes(const struct rt_scenario *s, const struct rt_params *p, struct rt_result *r, struct rt_memory *mem)
{
    const struct rt_model *m = s->model;
    r->params_total = p->total;
    r->params_active = p->active;
    r->p_attn = p->attn;
    r->p_ffn = p->ffn;
    r->p_embed = p->embed;
    r->p_head = p->head;
    r->p_norm = p->norms + p->final_norm;
    r->kv_bytes_per_token = rt_kv_bytes_per_token(m, s->kv, s->assume.kv_from_hidden);
    r->kv_state_bytes_per_sequence = rt_state_bytes_per_sequence(m, s->kv);

    int64_t ctx = s->prompt + s->output;
    rt_memory_at(s, p, s->batch, s->prompt, ctx, mem);
    r->weights_bytes = mem->weights;
    r->kv_cache_bytes = mem->kv;
    r->activation_bytes = mem->act;
    r->overhead_bytes = mem->overhead;
    r->total_bytes = mem->total;
    r->dev_weights = mem->dev_weights;
    r->dev_kv = mem->dev_kv;
    r->dev_act = mem->dev_act;
    r->dev_overhead = mem->dev_overhead;
    r->per_device_bytes = mem->dev_total;
    r->capacity_bytes = mem->capacity;
    r->fits = mem->dev_total <= mem->capacity;
    r->max_batch = rt_max_batch(s, p, ctx);
    r->max_context = rt_max_context(s, p, s->batch);
    r->host_bytes = mem->host;
    if (rt_mixed(s)) { /* mixed devices: the list is the setup; each device's share */
        r->min_devices = r->fits ? s->devices : 0;
        r->max_gpu_layers = r->min_cpu_moe = -1;
        rt_mix_result(s, p, r);
        return;
    }
    r->min_devices = rt_min_devices(s, p);
    r->max_gpu_layers = rt_max_gpu_layers(s, p);
    r->min_cpu_moe = rt_min_cpu_moe(s, p);
}

/* Prefill and decode: the roofline per phase (the step model's under expert
 * parallel) and a draft's speed-up. */
static void phases(const struct rt_scenario *s, const struct rt_params *p, struct rt_result *r)
{
    rt_prefill(s, p, &r->prefill);
    rt_decode(s, p, &r->decode, &r->experts_touched);
    if (rt_ep(s) > 1) { /* expert parallel: the step model's roofline, one step per phase */
        double B = (double)s->batch, P = (double)(s->prompt - s->cached_prefix);
        if (P > 0) {
            rt_step_time(s, p, B * P, (double)s->cached_prefix + (P + 1) / 2, 0, 0, &r->prefill);
            r->prefill.t_overhead += s->engine->request_overhead_s;
            r->prefill.time_s += s->engine->request_overhead_s;
            r->prefill.time_low_s = r->prefill.time_s * s->engine->band_low;
            r->prefill.time_high_s = r->prefill.time_s * s->engine->band_high;
        }
        double O = (double)s->output;
        rt_step_time(s, p, 0, 0, B, (double)s->prompt + (O > 1 ? (O - 1) / 2 : 0), &r->decode);
    }
    r->spec_tokens_per_step = 1;
    r->spec_speedup = 1;
    if (s->draft) {
        struct rt_scenario plain = *s;
        plain.draft = NULL;
        struct rt_phase base;
        double t;
        rt_decode(&plain, p, &base, &t);
        r->spec_tokens_per_step = rt_spec_tokens_per_step(s->spec_accept, s->spec_tokens);
        r->spec_speedup = base.time_s / r->decode.time_s;
    }
}

/* Peaks and the warnings. */
static void warnings(const struct rt_scenario *s, const struct rt_memory *mem, struct rt_result *r)
{
    const struct rt_model *m = s->model;
    const struct rt_device *d = s->device;
    int64_t ctx = s->prompt + s->output;
    bool native;
    r->peak_flops = rt_compute_peak(d, s->weights->compute, &native);
    if (rt_cpu_kernel_peak(s) > 0) { /* llama.cpp on a CPU: its vector FMA units (cpuclass.c) */
        r->peak_flops = rt_cpu_kernel_peak(s);
        native = true;
    }
    r->peak_bw = d->bandwidth;
    r->ridge_point = r->peak_flops / d->bandwidth;
    if (r->peak_flops <= 0)
        r->warnings |= RT_WARN_NO_COMPUTE;
    else if (!native)
        r->warnings |= RT_WARN_NOT_NATIVE;
    if (m->max_context > 0 && ctx > m->max_context) r->warnings |= RT_WARN_CONTEXT;
    if (!r->fits) r->warnings |= RT_WARN_NO_FIT;
    /* unified memory: past the share the GPU may use, the model loads but pages */
    r->usable_bytes = rt_usable_bytes(d) < mem->capacity ? rt_usable_bytes(d) : mem->capacity;
    r->free_bytes = rt_memory_room(s, mem);
    if (r->fits && r->free_bytes < 0) r->warnings |= RT_WARN_PAGES;
    if (s->devices > rt_node_devices(d)) r->warnings |= RT_WARN_MULTI_NODE;
    if (s->tp > 1 && !d->nvlink) r->warnings |= RT_WARN_TP_PCIE;
    /* attention splits over tp / ep devices: expert parallel runs attention data parallel
     * across the same devices (memory.c), each holding its own sequences' whole cache */
    int64_t atp = s->tp / rt_ep(s);
    if (atp > 1 && rt_kv_tp_share(m, atp, s->assume.kv_from_hidden) * (double)atp > 1.0 + 1e-9)
        r->warnings |= RT_WARN_TP_KV_REPLICA;
    if (atp > 1 && rt_tp_heads(m) % atp != 0)
        r->warnings |= RT_WARN_TP_HEADS;
    if (s->host && mem->host > s->host->memory_bytes)
        r->warnings |= RT_WARN_HOST_RAM;
    if (s->assume.no_flash_attention || s->assume.weight_cache_hit > 0 || s->assume.kv_from_hidden)
        r->warnings |= RT_WARN_ASSUMPTION;
}

/* Headline times and rates, and what a target rate needs. */
static void headline(const struct rt_scenario *s, struct rt_result *r)
{
    const struct rt_model *m = s->model;
    const struct rt_device *d = s->device;
    /* Bytes per weight over 2 FLOPs per weight per token: tokens per step that
     * make the linear layers compute-bound; MoE spreads them over E/k experts. */
    r->critical_batch = r->ridge_point * (s->weights->bits / 8.0) / 2.0;
    int ng;
    const struct rt_group *g = rt_groups(m, &ng);
    for (int i = 0; i < ng; i++)
        if (g[i].experts > 0 && g[i].experts_per_token > 0) {
            r->critical_batch *= (double)g[i].experts / (double)g[i].experts_per_token;
            break;
        }
    if (s->tp > 1)
        r->allreduce_bytes_decode = (double)s->batch * (double)m->hidden * 2.0;

    /* Headline times.  With no prompt the first token comes from the first decode step. */
    const struct rt_phase *pf = &r->prefill, *dc = &r->decode;
    double req = s->engine->request_overhead_s;
    double lo = s->engine->band_low, hi = s->engine->band_high;
    int fam = (int)s->device->family;
    if (fam >= 0 && fam < RT_FAM_N) {
        r->band_in = s->engine->band_in[fam];
        r->band_runs = s->engine->band_runs[fam];
    }
    /* no published run of this engine on this family (the pure roofline, band 1..1,
     * is no estimate of an engine): the band widens (limits.h RT_FAR_BAND) */
    double far = 1;
    /* where the profile counts its MoE runs, a run of the other class (dense, MoE) is not near */
    if (s->engine->band_classes && fam >= 0 && fam < RT_FAM_N && r->band_runs > 0) {
        int moe = s->engine->band_moe[fam];
        r->far_class = rt_moe_group(m) ? moe <= 0 : moe >= r->band_runs;
    }
    if ((r->band_runs <= 0 || r->far_class) && (lo < 1 || hi > 1)) {
        r->far_band = true;
        far = RT_FAR_BAND;
        lo /= far;
        hi *= far;
        /* the phases' own bands too, so a time and the rate it gives agree */
        r->prefill.time_low_s /= far;
        r->prefill.time_high_s *= far;
        r->decode.time_low_s /= far;
        r->decode.time_high_s *= far;
    }
    r->tpot_s = dc->time_s;
    r->tpot_low_s = dc->time_low_s;
    r->tpot_high_s = dc->time_high_s;
    r->ttft_s = s->prompt > 0 ? pf->time_s : dc->time_s + req;
    r->ttft_low_s = r->ttft_s * lo;
    r->ttft_high_s = r->ttft_s * hi;
    double O = (double)s->output;
    r->e2e_s = r->ttft_s + O * r->tpot_s;
    r->e2e_low_s = r->e2e_s * lo;
    r->e2e_high_s = r->e2e_s * hi;
    r->tok_s_seq = inv(r->tpot_s);
    r->tok_s_seq_low = inv(r->tpot_high_s);
    r->tok_s_seq_high = inv(r->tpot_low_s);
    /* every data-parallel replica runs the static batch (--dp: throughput counts them all,
     * as the cost does) */
    double B = (double)s->batch * (s->dp > 1 && !(s->disagg_p > 0) ? (double)s->dp : 1);
    r->tok_s_total = B * r->tok_s_seq;
    r->tok_s_total_low = B * r->tok_s_seq_low;
    r->tok_s_total_high = B * r->tok_s_seq_high;

    /* Target-rate view: what a per-sequence rate needs from each device. */
    double rate = s->target_tok_s > 0 ? s->target_tok_s : r->tok_s_seq;
    double n = (double)s->devices;
    r->need_bw = dc->bytes / n * rate;
    r->need_flops_decode = dc->flops / n * rate;
    r->need_flops_prefill = pf->time_s > 0 ? pf->flops / n / pf->time_s : 0;
    r->bw_util = r->need_bw / d->bandwidth;
    r->compute_util = r->peak_flops > 0 ? r->need_flops_prefill / r->peak_flops : 0;
    r->decode_compute_util = r->peak_flops > 0 ? r->need_flops_decode / r->peak_flops : 0;
}

int rt_estimate(const struct rt_scenario *s, struct rt_result *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    if (rt_validate(s, err, errlen) != RT_OK)
        return RT_EINVAL;
    struct rt_params p;
    bool swa_full = rt_scenario_params(s, &p);
    struct rt_memory mem;
    sizes(s, &p, r, &mem);
    phases(s, &p, r);
    warnings(s, &mem, r);
    if (swa_full)
        r->warnings |= RT_WARN_SWA_FULL;
    headline(s, r);

    /* Serving under load: continuous batching at the rate, the running sequences capped
     * by --max-seqs, else --batch above 1, else the engine's limit (rt_serve_cap). */
    if (s->rate > 0) {
        struct rt_serve_opts o = { .rate = s->rate, .requests = s->requests, .max_running = rt_serve_cap(s),
                                   .concurrency = s->concurrency, .ttft_max = s->ttft_max, .itl_max = s->itl_max };
        if (rt_serve(s, &o, &r->serving, err, errlen) != RT_OK)
            return RT_EINVAL;
        r->serving_on = true;
        if (r->fits && !r->serving.fits)
            r->warnings |= RT_WARN_NO_KV_ROOM;
    }
    costs(s, r);
    return RT_OK;
}
