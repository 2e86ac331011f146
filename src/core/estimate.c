/* estimate.c - validate a scenario and assemble every figure into one result. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "core/core.h"
#include "core/cost.h"
#include "core/serve.h"

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return RT_EINVAL; } while (0)
/* Counts beyond this make products such as vocab*hidden*tokens lose integer precision. */
#define RT_COUNT_MAX RT_TOKENS_MAX

static bool bad_count(int64_t v, int64_t min) { return v < min || v > RT_COUNT_MAX; }
static bool bad_real(double v) { return !isfinite(v) || v < 0; }

int rt_validate(const struct rt_scenario *s, char *err, size_t errlen)
{
    if (!s->model || !s->device || !s->weights || !s->kv || !s->engine)
        FAIL("incomplete scenario: model, device, formats and engine are all needed");
    if (rt_validate_model(s->model, err, errlen) != RT_OK)
        return RT_EINVAL;
    const struct rt_device *d = s->device;
    if (bad_real(d->memory_bytes) || d->memory_bytes <= 0) FAIL("%s: memory must be positive", d->id);
    if (bad_real(d->bandwidth) || d->bandwidth <= 0) FAIL("%s: bandwidth must be positive", d->id);
    for (int i = 0; i < RT_PREC_N; i++)
        if (bad_real(d->peak[i])) FAIL("%s: peak throughput must be a non-negative number", d->id);
    if (bad_real(d->usable_bytes)) FAIL("%s: usable memory must be a non-negative number", d->id);
    if (bad_real(d->link_bw)) FAIL("%s: interconnect bandwidth must be a non-negative number", d->id);
    if (!(s->weights->bits > 0 && s->weights->bits <= 64)) FAIL("weight format: bits out of range");
    if (!(s->kv->bits > 0 && s->kv->bits <= 64)) FAIL("KV format: bits out of range");
    const struct rt_engine *e = s->engine;
    if (!(e->mbu > 0 && e->mbu <= RT_EFFICIENCY_MAX) || !(e->mfu > 0 && e->mfu <= RT_EFFICIENCY_MAX))
        FAIL("%s: efficiencies must be in (0, 1]", e->id);
    if (!(e->mem_util > 0 && e->mem_util <= 1)) FAIL("%s: memory utilisation must be in (0, 1]", e->id);
    if (bad_real(e->step_overhead_s) || bad_real(e->layer_overhead_s) || bad_real(e->request_overhead_s) || bad_real(e->stage_overhead_s) ||
        bad_real(e->context_bytes))
        FAIL("%s: overheads must be non-negative numbers", e->id);
    if (bad_count(s->batch, 1)) FAIL("batch must be at least 1");
    if (bad_count(s->prompt, 0)) FAIL("prompt tokens must not be negative");
    if (bad_count(s->output, 0)) FAIL("output tokens must not be negative");
    if (bad_count(s->devices, 1) || s->devices > RT_DEVICES_MAX) FAIL("devices must be between 1 and %d", RT_DEVICES_MAX);
    if (bad_count(s->tp, 1) || bad_count(s->pp, 1)) FAIL("tp and pp must be at least 1");
    if (s->tp * s->pp != s->devices)
        FAIL("tp (%lld) x pp (%lld) must equal the device count (%lld)", (long long)s->tp,
             (long long)s->pp, (long long)s->devices);
    if (s->ep < 0 || s->ep > s->devices) FAIL("expert parallel degree must be between 1 and the device count");
    if (s->dp < 0 || s->dp > RT_DEVICES_MAX) FAIL("data-parallel replicas must be between 1 and %d", RT_DEVICES_MAX);
    if (s->disagg_p < 0 || s->disagg_d < 0 || s->disagg_p > RT_DEVICES_MAX || s->disagg_d > RT_DEVICES_MAX)
        FAIL("disaggregated prefill and decode devices must be between 1 and %d", RT_DEVICES_MAX);
    if (s->concurrency < 0 || s->concurrency > RT_REQUESTS_MAX) FAIL("concurrency must be between 0 and %lld",
                                                                     (long long)RT_REQUESTS_MAX);
    if (s->ep > 1 && (s->model->experts <= 0 || s->tp % s->ep != 0))
        FAIL("--ep %lld needs a mixture-of-experts model and a tensor-parallel degree it divides (tp %lld)",
             (long long)s->ep, (long long)s->tp);
    if (s->pp > s->model->layers) FAIL("pp (%lld) exceeds the number of layers", (long long)s->pp);
    if (!(s->assume.weight_cache_hit >= 0 && s->assume.weight_cache_hit < 1))
        FAIL("weight cache hit fraction must be in [0, 1)");
    if (bad_real(s->target_tok_s)) FAIL("target rate must be a non-negative number");
    if (bad_real(s->lifetime_years) || bad_real(s->kwh_usd)) FAIL("lifetime and electricity price must be non-negative");
    if ((double)s->batch * (double)(s->prompt + s->output) > 1e15)
        FAIL("batch x context too large");
    if (isnan(s->rate) || s->rate < 0) FAIL("request rate must be a number above 0, or inf");
    if (s->rate > 0 && (s->requests < 0 || s->requests > RT_REQUESTS_MAX))
        FAIL("requests must be between 1 and %lld", (long long)RT_REQUESTS_MAX);
    if (bad_real(s->ttft_max) || bad_real(s->itl_max)) FAIL("latency targets must be non-negative numbers");
    if (!(s->utilization >= 0 && s->utilization <= 1)) FAIL("utilization must be between 0 and 1");
    if (bad_real(s->load_factor) || s->load_factor > 1.5) FAIL("load factor must be between 0 and 1.5");
    if (bad_real(s->pue) || s->pue > 10) FAIL("PUE must be between 0 (1) and 10");
    if (bad_real(s->api_in_usd_mtok) || bad_real(s->api_out_usd_mtok)) FAIL("API prices must be non-negative");
    if (s->cached_prefix < 0 || s->cached_prefix > s->prompt)
        FAIL("cached prefix (%lld) must be between 0 and the prompt (%lld)", (long long)s->cached_prefix,
             (long long)s->prompt);
    if (s->host) {
        if (bad_real(s->host->bandwidth) || s->host->bandwidth <= 0)
            FAIL("%s: host bandwidth must be positive", s->host->id);
        if (s->gpu_layers < 0 || s->gpu_layers > s->model->layers)
            FAIL("GPU layers (%lld) must be between 0 and the model's %lld layers", (long long)s->gpu_layers,
                 (long long)s->model->layers);
    }
    if (s->draft) {
        if (rt_validate_model(s->draft, err, errlen) != RT_OK)
            return RT_EINVAL;
        if (s->spec_tokens < 1 || s->spec_tokens > RT_SPEC_TOKENS_MAX) FAIL("draft tokens per step must be between 1 and %d", RT_SPEC_TOKENS_MAX);
        if (!(s->spec_accept >= 0 && s->spec_accept <= 1)) FAIL("acceptance rate must be between 0 and 1");
    }
    return RT_OK;
}

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
                             .api_out_usd_mtok = s->api_out_usd_mtok };
    if (owned) {
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
        ci.capacity_rps = (double)s->batch / r->e2e_s;
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
    }
    if (!(r->e2e_s > 0))
        return;
    ci = cost_in(s, r, false, false);
    ci.utilization = 1;
    rt_cost(&ci, &c);
    r->energy_per_mtok_kwh = c.energy_per_mtok_kwh;
    if (d->price_hour > 0)
        r->cost_per_mtok = c.per_mtok_output_usd;
    if (owned) {
        ci = cost_in(s, r, true, false);
        ci.utilization = 1;
        rt_cost(&ci, &c);
        r->owned_cost_per_mtok = c.per_mtok_output_usd;
    }
}

int rt_estimate(const struct rt_scenario *s, struct rt_result *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    if (rt_validate(s, err, errlen) != RT_OK)
        return RT_EINVAL;
    const struct rt_model *m = s->model;
    const struct rt_device *d = s->device;
    struct rt_params p;
    rt_count_params(m, &p);
    r->params_total = p.total;
    r->params_active = p.active;
    r->p_attn = p.attn;
    r->p_ffn = p.ffn;
    r->p_embed = p.embed;
    r->p_head = p.head;
    r->p_norm = p.norms + p.final_norm;
    r->kv_bytes_per_token = rt_kv_bytes_per_token(m, s->kv, s->assume.kv_from_hidden);
    r->kv_state_bytes_per_sequence = rt_state_bytes_per_sequence(m, s->kv);

    int64_t ctx = s->prompt + s->output;
    struct rt_memory mem;
    rt_memory_at(s, &p, s->batch, s->prompt, ctx, &mem);
    r->weights_bytes = mem.weights;
    r->kv_cache_bytes = mem.kv;
    r->activation_bytes = mem.act;
    r->overhead_bytes = mem.overhead;
    r->total_bytes = mem.total;
    r->dev_weights = mem.dev_weights;
    r->dev_kv = mem.dev_kv;
    r->dev_act = mem.dev_act;
    r->dev_overhead = mem.dev_overhead;
    r->per_device_bytes = mem.dev_total;
    r->capacity_bytes = mem.capacity;
    r->fits = mem.dev_total <= mem.capacity;
    r->max_batch = rt_max_batch(s, &p, ctx);
    r->max_context = rt_max_context(s, &p, s->batch);
    r->min_devices = rt_min_devices(s, &p);
    r->max_gpu_layers = rt_max_gpu_layers(s, &p);
    r->host_bytes = mem.host;

    rt_prefill(s, &p, &r->prefill);
    rt_decode(s, &p, &r->decode, &r->experts_touched);
    if (rt_ep(s) > 1) { /* expert parallel: the step model's roofline, one step per phase */
        double B = (double)s->batch, P = (double)(s->prompt - s->cached_prefix);
        if (P > 0) {
            rt_step_time(s, &p, B * P, (double)s->cached_prefix + (P + 1) / 2, 0, 0, &r->prefill);
            r->prefill.t_overhead += s->engine->request_overhead_s;
            r->prefill.time_s += s->engine->request_overhead_s;
            r->prefill.time_low_s = r->prefill.time_s * s->engine->band_low;
            r->prefill.time_high_s = r->prefill.time_s * s->engine->band_high;
        }
        double O = (double)s->output;
        rt_step_time(s, &p, 0, 0, B, (double)s->prompt + (O > 1 ? (O - 1) / 2 : 0), &r->decode);
    }
    r->spec_tokens_per_step = 1;
    r->spec_speedup = 1;
    if (s->draft) {
        struct rt_scenario plain = *s;
        plain.draft = NULL;
        struct rt_phase base;
        double t;
        rt_decode(&plain, &p, &base, &t);
        r->spec_tokens_per_step = rt_spec_tokens_per_step(s->spec_accept, s->spec_tokens);
        r->spec_speedup = base.time_s / r->decode.time_s;
    }

    bool native;
    r->peak_flops = rt_compute_peak(d, s->weights->compute, &native);
    r->peak_bw = d->bandwidth;
    r->ridge_point = r->peak_flops / d->bandwidth;
    if (r->peak_flops <= 0)
        r->warnings |= RT_WARN_NO_COMPUTE;
    else if (!native)
        r->warnings |= RT_WARN_NOT_NATIVE;
    if (m->max_context > 0 && ctx > m->max_context) r->warnings |= RT_WARN_CONTEXT;
    if (!r->fits) r->warnings |= RT_WARN_NO_FIT;
    /* unified memory: past the share the GPU may use, the model loads but pages */
    r->usable_bytes = d->usable_bytes > 0 && d->usable_bytes < mem.capacity ? d->usable_bytes : mem.capacity;
    /* what the model really occupies: the engine's unused reserve is not resident */
    double resident = mem.dev_weights + mem.dev_kv + mem.dev_act + s->engine->context_bytes;
    if (r->fits && resident > r->usable_bytes) r->warnings |= RT_WARN_PAGES;
    if (s->devices > rt_node_devices(d)) r->warnings |= RT_WARN_MULTI_NODE;
    if (s->tp > 1 && !d->nvlink) r->warnings |= RT_WARN_TP_PCIE;
    if (s->tp > 1 && rt_kv_tp_share(m, s->tp, s->assume.kv_from_hidden) * (double)s->tp > 1.0 + 1e-9)
        r->warnings |= RT_WARN_TP_KV_REPLICA;
    if (s->tp > 1 && m->heads % s->tp != 0)
        r->warnings |= RT_WARN_TP_HEADS;
    if (s->host && mem.host > s->host->memory_bytes)
        r->warnings |= RT_WARN_HOST_RAM;
    if (s->assume.no_flash_attention || s->assume.weight_cache_hit > 0 || s->assume.kv_from_hidden)
        r->warnings |= RT_WARN_ASSUMPTION;

    /* Bytes per weight over 2 FLOPs per weight per token: tokens per step that
     * make the linear layers compute-bound; MoE spreads them over E/k experts. */
    r->critical_batch = r->ridge_point * (s->weights->bits / 8.0) / 2.0;
    struct rt_group gbuf[RT_GROUPS_MAX];
    int ng;
    const struct rt_group *g = rt_groups(m, gbuf, &ng);
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
    double B = (double)s->batch;
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
    /* Serving under load: continuous batching at the rate; --batch above 1 caps the
     * running sequences, else the engine's limit does. */
    if (s->rate > 0) {
        struct rt_serve_opts o = { .rate = s->rate, .requests = s->requests, .max_running = s->batch > 1 ? s->batch : 0,
                                   .concurrency = s->concurrency, .ttft_max = s->ttft_max, .itl_max = s->itl_max };
        if (rt_serve(s, &o, &r->serving, err, errlen) != RT_OK)
            return RT_EINVAL;
        r->serving_on = true;
    }
    costs(s, r);
    return RT_OK;
}
