/* test_serve.c - serving under load: the continuous-batching simulation against
 * hand-worked cases (synthetic step times) and queueing laws on real scenarios. */
#include "helpers.h"
#include "core/serve.h"

/* Synthetic step: a fixed cost per step plus per-token costs. */
struct lin { double a, per_prefill, per_decode; };
static double lin_step(void *ctx, double np, double pctx, double bd, double dctx)
{
    (void)pctx;
    (void)dctx;
    const struct lin *l = ctx;
    return l->a + l->per_prefill * np + l->per_decode * bd;
}

static struct rt_serve_config lin_config(struct lin *l, double rate, int64_t n, int64_t prompt, int64_t output)
{
    struct rt_serve_config c = { 0 };
    c.rate = rate;
    c.requests = n;
    c.prompt = prompt;
    c.output = output;
    c.step = lin_step;
    c.step_ctx = l;
    return c;
}

Test(serve, low_rate_ttft_is_one_prefill_and_itl_one_decode_step)
{
    /* alone in the system: TTFT = one step prefilling the whole prompt = a + 512 b;
     * every later token is a batch-1 decode step = a + c */
    struct lin l = { 0.002, 1e-5, 1e-4 };
    struct rt_serve_config c = lin_config(&l, 1e-4, 500, 512, 64);
    struct rt_serve_result r;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    assert_rel(r.ttft_mean_s, 0.002 + 512 * 1e-5, 1e-3, "TTFT %g", r.ttft_mean_s);
    assert_rel(r.itl_mean_s, 0.002 + 1e-4, 1e-3, "ITL %g", r.itl_mean_s);
    /* e2e = TTFT + 63 decode steps */
    assert_rel(r.e2e_mean_s, 0.00712 + 63 * 0.0021, 1e-3, "e2e %g", r.e2e_mean_s);
}

Test(serve, chunked_prefill_takes_prompt_over_budget_steps)
{
    /* a 3000-token prompt under a 1024-token budget: chunks of 1024, 1024, 952 */
    struct lin l = { 0.001, 1e-5, 0 };
    struct rt_serve_config c = lin_config(&l, 1e-4, 200, 3000, 8);
    c.max_tokens = 1024;
    struct rt_serve_result r;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    assert_rel(r.ttft_mean_s, 3 * 0.001 + 3000 * 1e-5, 1e-3, "TTFT %g", r.ttft_mean_s);
}

Test(serve, capacity_of_a_constant_step)
{
    /* every step costs 10 ms whatever it holds, 8 sequences at most, no token budget:
     * a request occupies a slot for 1 prefill step + 9 decode steps = 0.1 s, so 8 slots
     * sustain 8 / 0.1 = 80 requests/s */
    struct lin l = { 0.01, 0, 0 };
    struct rt_serve_config c = lin_config(&l, 10, 2000, 100, 10);
    c.max_running = 8;
    assert_rel(rt_serve_capacity(&c), 80.0, 0.03, "capacity %g", rt_serve_capacity(&c));
    struct rt_serve_result r;
    cr_assert_eq(rt_serve_run(&c, 0, 0, &r), RT_OK);
    cr_assert(r.stable, "10 requests/s under a capacity of 80");
    cr_assert_leq(r.max_running, 8);
}

Test(serve, kv_cache_limits_running_sequences)
{
    struct lin l = { 0.01, 0, 0 };
    struct rt_serve_config c = lin_config(&l, INFINITY, 100, 100, 10);
    c.kv_capacity = 5.5e9;
    c.kv_seq = 1e9; /* five sequences fit */
    struct rt_serve_result r;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    cr_assert_eq(r.slots, 5);
    cr_assert_eq(r.max_running, 5);
    c.kv_seq = 6e9;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    cr_assert(!r.fits, "a sequence larger than the cache does not fit");
}

Test(serve, above_capacity_unstable_and_ttft_grows_with_requests)
{
    /* 160 requests/s offered to a capacity of 80: the queue grows by 80 requests a
     * second, so waiting time grows linearly with the run: 4x the requests, about 4x TTFT */
    struct lin l = { 0.01, 0, 0 };
    struct rt_serve_config c = lin_config(&l, 160, 1000, 100, 10);
    c.max_running = 8;
    struct rt_serve_result a, b;
    cr_assert_eq(rt_serve_run(&c, 0, 0, &a), RT_OK);
    c.requests = 4000;
    cr_assert_eq(rt_serve_run(&c, 0, 0, &b), RT_OK);
    cr_assert(!a.stable && !b.stable, "above capacity");
    cr_assert_gt(b.ttft_mean_s, 3.0 * a.ttft_mean_s, "TTFT %g -> %g", a.ttft_mean_s, b.ttft_mean_s);
    /* the system still delivers its capacity: 80 requests/s x 10 tokens */
    assert_rel(b.output_tok_s, 800.0, 0.05, "throughput %g", b.output_tok_s);
}

Test(serve, same_seed_same_figures)
{
    struct rt_resolved *rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 512, 128, "vllm");
    struct rt_serve_opts o = { .rate = 8, .requests = 2000, .seed = 42 };
    struct rt_serve_result a, b, c;
    char err[256];
    cr_assert_eq(rt_serve(&rs->s, &o, &a, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(rt_serve(&rs->s, &o, &b, err, sizeof err), RT_OK, "%s", err);
    cr_assert(memcmp(&a, &b, sizeof a) == 0, "identical runs");
    o.seed = 43;
    cr_assert_eq(rt_serve(&rs->s, &o, &c, err, sizeof err), RT_OK, "%s", err);
    cr_assert(c.ttft_p99_s != a.ttft_p99_s, "another seed, other arrivals");
}

Test(serve, littles_law)
{
    /* L = lambda W: sequences in flight = arrival rate x time from admission to the
     * last token; below capacity the queue is short, so W is close to e2e */
    struct rt_resolved *rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 1024, 256, "vllm");
    struct rt_serve_opts o = { .rate = 8, .requests = 20000 };
    struct rt_serve_result r;
    char err[256];
    cr_assert_eq(rt_serve(&rs->s, &o, &r, err, sizeof err), RT_OK, "%s", err);
    cr_assert(r.stable);
    double w = r.e2e_mean_s - r.queue_mean_s - rs->s.engine->request_overhead_s;
    assert_rel(r.mean_running, 8.0 * w, 0.03, "L %g vs lambda W %g", r.mean_running, 8.0 * w);
}

Test(serve, low_rate_matches_the_static_batch_1_estimate)
{
    struct rt_resolved *rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 1024, 256, "vllm");
    struct rt_result e = estimate(&rs->s);
    struct rt_serve_opts o = { .rate = 0.01, .requests = 300, .no_capacity = true };
    struct rt_serve_result r;
    char err[256];
    cr_assert_eq(rt_serve(&rs->s, &o, &r, err, sizeof err), RT_OK, "%s", err);
    assert_rel(r.ttft_mean_s, e.ttft_s, 0.03, "TTFT %g vs static %g", r.ttft_mean_s, e.ttft_s);
    assert_rel(r.itl_mean_s, e.tpot_s, 0.03, "ITL %g vs static %g", r.itl_mean_s, e.tpot_s);
}

Test(serve, rate_inf_approaches_static_max_batch_throughput)
{
    /* long outputs, short prompts: the served throughput tends to the static decode
     * throughput at the largest batch the scheduler runs (here a cap of 256) */
    struct rt_resolved *rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 256, 64, 1024, "vllm");
    rs->engine.max_seqs = 256; /* as --max-seqs 256 (vllm serve's default on an H100 is 1024) */
    struct rt_result e = estimate(&rs->s);
    cr_assert_geq(e.max_batch, 256);
    struct rt_serve_opts o = { .rate = INFINITY, .requests = 4096, .no_capacity = true };
    struct rt_serve_result r;
    char err[256];
    cr_assert_eq(rt_serve(&rs->s, &o, &r, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(r.max_running, 256);
    double ratio = r.output_tok_s / e.tok_s_total;
    cr_assert(ratio > 0.9 && ratio < 1.02, "served %g vs static %g tok/s", r.output_tok_s, e.tok_s_total);
}

Test(serve, capacity_within_targets)
{
    struct lin l = { 0.01, 0, 0 };
    struct rt_serve_config c = lin_config(&l, 10, 2000, 100, 10);
    c.max_running = 8;
    /* ITL is one step (10 ms) at any load here; TTFT grows with queueing */
    struct rt_serve_result r;
    cr_assert_eq(rt_serve_run(&c, 0.05, 0.02, &r), RT_OK);
    cr_assert(r.capacity_sla_rps > 0 && r.capacity_sla_rps < r.capacity_rps, "within %g of %g",
              r.capacity_sla_rps, r.capacity_rps);
    c.rate = r.capacity_sla_rps;
    c.requests = 2000;
    struct rt_serve_result at;
    cr_assert_eq(rt_serve_sim(&c, &at), RT_OK);
    cr_assert_leq(at.ttft_mean_s, 0.05);
    /* an ITL target below one step cannot be met at any rate */
    cr_assert_eq(rt_serve_run(&c, 0, 0.005, &r), RT_OK);
    cr_assert_eq(r.capacity_sla_rps, 0);
}

Test(serve, bad_configuration)
{
    struct lin l = { 0.01, 0, 0 };
    struct rt_serve_config c = lin_config(&l, 10, 0, 100, 10);
    struct rt_serve_result r;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_EINVAL);
    c = lin_config(&l, 0, 10, 100, 10);
    cr_assert_eq(rt_serve_sim(&c, &r), RT_EINVAL);
    c = lin_config(&l, 1, 10, 100, 0);
    cr_assert_eq(rt_serve_sim(&c, &r), RT_EINVAL);
}

Test(serve, expert_parallel_spreads_experts_and_replicates_attention)
{
    /* Mixtral 8x7B on 4 H100s: with --ep 4 each device keeps all attention weights
     * (32 layers x 41.9 M params x 2 bytes) but the same share of the experts; the
     * weights per device grow by 3/4 of the attention */
    struct rt_resolved *rs = scen("mixtral-8x7b", "h100-sxm", "bf16", 4, 1, 512, 128, "vllm");
    struct rt_params p;
    rt_count_params(rs->s.model, &p);
    struct rt_memory tp, ep;
    rt_memory_at(&rs->s, &p, 8, 512, 640, &tp);
    rs->s.ep = 4;
    rt_memory_at(&rs->s, &p, 8, 512, 640, &ep);
    double attn = p.attn_layer * 32 * 2.0;
    assert_rel(ep.dev_weights - tp.dev_weights, attn * 3.0 / 4.0, 1e-9, "replicated attention");
    /* the KV heads (8) split over tp 4 -> 2 per device; with ep 4 each device holds
     * all 8 heads of a quarter of the sequences: the same bytes per device */
    assert_rel(ep.dev_kv, tp.dev_kv, 1e-9, "KV per device");
    struct rt_result r = estimate(&rs->s);
    cr_assert(r.decode.time_s > 0 && r.prefill.time_s > 0);
    /* a dense model refuses --ep */
    struct rt_resolved *d = scen("llama-3.1-8b", "h100-sxm", "bf16", 2, 1, 512, 128, "vllm");
    d->s.ep = 2;
    char err[256];
    struct rt_result rr;
    cr_assert_eq(rt_estimate(&d->s, &rr, err, sizeof err), RT_EINVAL);
}

/* ---- cost (hand-worked) ---- */
#include "core/cost.h"

static struct rt_cost_in rented(double price, double out_tok_s)
{
    struct rt_cost_in in = { 0 };
    in.devices = 1;
    in.price_hour = price;
    in.utilization = 1;
    in.output_tok_s = out_tok_s;
    in.prompt = 1024;
    in.output = 256;
    return in;
}

Test(cost, one_rented_device_per_million_tokens)
{
    /* $2/h serving 1000 output tokens/s: 2 / (1000 x 3600) x 1e6 = $0.5556 per million;
     * 4 input tokens per output token: a quarter of that per million input tokens;
     * a request (1000/256 requests/s): 2 x 256 / 3.6e6 = $1.422e-4 */
    struct rt_cost_in in = rented(2.0, 1000);
    struct rt_cost c;
    rt_cost(&in, &c);
    assert_rel(c.per_hour_usd, 2.0, 1e-12, "per hour");
    assert_rel(c.per_mtok_output_usd, 2.0 / (1000 * 3600.0) * 1e6, 1e-12, "per M output");
    assert_rel(c.per_mtok_input_usd, 2.0 / (4000 * 3600.0) * 1e6, 1e-12, "per M input");
    assert_rel(c.per_request_usd, 2.0 * 256 / 3.6e6, 1e-12, "per request");
    cr_assert_eq(c.energy_per_mtok_kwh, 0, "rent includes power");
}

Test(cost, purchase_written_off_over_its_lifetime)
{
    /* $30,000 over 3 years of 8766 h at full use, free electricity: $1.1408/h */
    struct rt_cost_in in = rented(0, 1000);
    in.purchase_usd = 30000;
    in.lifetime_years = 3;
    in.tdp_w = 700;
    struct rt_cost c;
    rt_cost(&in, &c);
    double h = 30000 / (3 * 8766.0);
    cr_assert(c.owned);
    assert_rel(c.per_hour_usd, h, 1e-12, "write-off %g", c.per_hour_usd);
    assert_rel(c.per_mtok_output_usd, h / (1000 * 3600.0) * 1e6, 1e-12, "per M output");
    /* with power: 700 W x 0.8 load x PUE 1.2 at $0.10/kWh = $0.0672/h more; energy per
     * million output tokens = 0.672 kW / 3.6 M tokens/h = 0.18667 kWh */
    in.load_factor = 0.8;
    in.pue = 1.2;
    in.kwh_usd = 0.10;
    rt_cost(&in, &c);
    assert_rel(c.per_hour_usd, h + 0.0672, 1e-12, "with power");
    assert_rel(c.energy_per_mtok_kwh, 0.672 / 3.6, 1e-12, "energy");
}

Test(cost, zero_utilisation_costs_the_write_off_and_serves_nothing)
{
    struct rt_cost_in in = rented(0, 1000);
    in.purchase_usd = 30000;
    in.lifetime_years = 3;
    in.tdp_w = 700;
    in.kwh_usd = 0.3;
    in.utilization = 0;
    struct rt_cost c;
    rt_cost(&in, &c);
    assert_rel(c.per_hour_usd, 30000 / (3 * 8766.0), 1e-12, "idle: write-off only");
    cr_assert(isinf(c.per_mtok_output_usd) && isinf(c.per_request_usd), "no tokens served");
}

Test(cost, a_load_needing_a_fraction_of_a_device)
{
    /* a quarter of the capacity: one device, busy 25% of the time, so each token
     * costs 4x the full-use figure; a month is 730.5 h of $2 */
    struct rt_cost_in in = rented(2.0, 1000);
    double cap = 1000 / 256.0;
    in.rate_rps = cap / 4;
    struct rt_cost c;
    rt_cost(&in, &c);
    cr_assert_eq(c.replicas, 1);
    cr_assert_eq(c.devices_needed, 1);
    assert_rel(c.utilization, 0.25, 1e-12, "utilisation");
    assert_rel(c.per_mtok_output_usd, 2.0 / (250 * 3600.0) * 1e6, 1e-12, "per M output");
    assert_rel(c.per_month_usd, 2.0 * 730.5, 1e-12, "per month");
    /* one and a half capacities need two setups of 4 devices */
    in.devices = 4;
    in.price_hour = 2.0;
    in.rate_rps = 1.5 * cap;
    rt_cost(&in, &c);
    cr_assert_eq(c.replicas, 2);
    cr_assert_eq(c.devices_needed, 8);
    assert_rel(c.per_month_usd, 2 * 8.0 * 730.5, 1e-12, "per month");
}

Test(cost, against_an_api)
{
    /* GPT-4 Turbo at $10 / $30 per million: a 1024 + 256 token request costs
     * (10240 + 7680) / 1e6 = $0.01792; one device at $2/h breaks even at
     * 2 / (3600 x 0.01792) = 0.0310 requests/s; at 1 request/s the API costs
     * 3600 x 730.5 x 0.01792 = $47,126 a month */
    struct rt_cost_in in = rented(2.0, 1000);
    in.api_in_usd_mtok = 10;
    in.api_out_usd_mtok = 30;
    in.rate_rps = 1;
    struct rt_cost c;
    rt_cost(&in, &c);
    assert_rel(c.breakeven_rps, 2.0 / (3600 * 0.01792), 1e-12, "break-even %g", c.breakeven_rps);
    assert_rel(c.api_per_month_usd, 3600 * 730.5 * 0.01792, 1e-12, "API per month");
    /* an API cheaper than the device at full use never breaks even */
    in.api_in_usd_mtok = 0.01;
    in.api_out_usd_mtok = 0.01;
    rt_cost(&in, &c);
    cr_assert(isinf(c.breakeven_rps));
}

Test(cost, one_api_request_takes_ttft_plus_output_over_speed)
{
    /* a 1024 + 256 token request to an API with a published 0.5 s TTFT and 64 tok/s:
     * 0.5 + 256 / 64 = 4.5 s; with no TTFT published, the output alone: 4.0 s; with no
     * speed published, no time at all (0), whatever the TTFT */
    struct rt_cost_in in = rented(2.0, 1000);
    in.api_in_usd_mtok = 10;
    in.api_out_usd_mtok = 30;
    in.api_ttft_s = 0.5;
    in.api_output_tok_s = 64;
    struct rt_cost c;
    rt_cost(&in, &c);
    assert_rel(c.api_request_s, 4.5, 1e-12, "TTFT + output / speed: %g", c.api_request_s);
    in.api_ttft_s = 0;
    rt_cost(&in, &c);
    assert_rel(c.api_request_s, 4.0, 1e-12, "output / speed: %g", c.api_request_s);
    in.api_ttft_s = 0.5;
    in.api_output_tok_s = 0;
    rt_cost(&in, &c);
    cr_assert_eq(c.api_request_s, 0);
}

/* ---- API offerings in the catalog ---- */

Test(apis, seed_prices_in_the_catalog)
{
    /* GPT-4 (8k): $0.03 / $0.06 per 1K tokens; GPT-4 Turbo (128k): $0.01 / $0.03 */
    const struct rt_api *a = catalog_api(cat(), "gpt-4");
    cr_assert_not_null(a);
    cr_assert_eq(a->input_usd_mtok, 30.0);
    cr_assert_eq(a->output_usd_mtok, 60.0);
    cr_assert_eq(a->context, 8192);
    a = catalog_api(cat(), "gpt-4-turbo");
    cr_assert_not_null(a);
    cr_assert_eq(a->input_usd_mtok, 10.0);
    cr_assert_eq(a->output_usd_mtok, 30.0);
    cr_assert_eq(a->context, 128000);
    for (size_t i = 0; i < cat()->n_apis; i++)
        cr_assert(cat()->apis[i].date[0] && cat()->apis[i].source[0], "%s: every price has a date and a source",
                  cat()->apis[i].id);
}

Test(apis, user_entries_override_and_bad_ones_name_the_line)
{
    struct catalog c;
    char err[512];
    catalog_init(&c);
    cr_assert_eq(catalog_load_builtin(&c, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(catalog_merge_text(&c, "apis = ( { id = \"gpt-4\"; input_usd_per_mtok = 1.0; output_usd_per_mtok = 2.0; } );",
                                    "user.cfg", NULL, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(catalog_api(&c, "gpt-4")->output_usd_mtok, 2.0);
    cr_assert_eq(catalog_merge_text(&c, "apis = ( { id = \"x\"; input_usd_per_mtok = 1.0; } );", "bad.cfg", NULL, err,
                                    sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "bad.cfg:1") && strstr(err, "output_usd_per_mtok"), "%s", err);
    catalog_free(&c);
}

/* ---- SLA solver ---- */
#include "scenario/solver.h"

/* Serve a setup at the rate, independently of the solver: does it meet the targets? */
static bool serves(const struct rt_resolved *base, const struct rt_device *d, const struct rt_format *w,
                   const struct rt_format *kv, int64_t n, int64_t dp, int64_t tp, int64_t pp, double rate,
                   double ttft_max, double itl_max, struct rt_serve_result *r)
{
    struct rt_scenario s = base->s;
    s.device = d;
    s.weights = w;
    s.kv = kv;
    s.dp = dp;
    s.devices = n / dp;
    s.tp = tp;
    s.pp = pp;
    s.ep = 1;
    if (dp < 0) { /* -dp: disaggregated, n - tp prefill devices, tp decode */
        s.dp = 1;
        s.devices = tp;
        s.disagg_p = n - tp;
        s.disagg_d = tp;
    }
    char err[256];
    if (rt_validate(&s, err, sizeof err) != RT_OK)
        return false;
    struct rt_serve_opts o = { .rate = rate, .requests = 1000 };
    if (rt_serve(&s, &o, r, err, sizeof err) != RT_OK)
        return false;
    return r->fits && r->stable && r->ttft_mean_s <= ttft_max && r->itl_mean_s <= itl_max;
}

Test(solver, cheapest_answer_meets_its_targets_and_nothing_cheaper_does)
{
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "llama-3.1-70b");
    static struct rt_resolved base;
    char err[512];
    cr_assert_eq(spec_resolve(cat(), &sp, &base, err, sizeof err), RT_OK, "%s", err);
    struct rt_solve_opts o = { .rate = 4, .ttft_max = 1.0, .itl_max = 0.05, .max_devices = 8 };
    struct rt_solution out[5];
    long n = rt_solve(cat(), &base, &o, out, 5, err, sizeof err);
    cr_assert_gt(n, 0, "%s", err);
    for (long i = 1; i < n; i++)
        cr_assert_geq(out[i].per_hour_usd, out[i - 1].per_hour_usd, "cheapest first");
    /* replayed on its own, the first answer meets the targets at the rate */
    struct rt_solution *a = &out[0];
    struct rt_serve_result r;
    cr_assert(serves(&base, a->device, a->weights, a->kv, a->devices, a->disagg_p > 0 ? -1 : a->dp, a->tp, a->pp, 4,
                     1.0, 0.05, &r),
              "%s x%lld: TTFT %g ITL %g stable %d", a->device->id, (long long)a->devices, r.ttft_mean_s,
              r.itl_mean_s, r.stable);
    assert_rel(a->per_hour_usd, a->device->price_hour * (double)a->devices, 1e-12, "price per hour");
    /* brute force: no setup of the search space priced below it serves the load */
    const char *const *wf = rt_solve_weight_formats(base.s.engine), *const *kf = rt_solve_kv_formats(base.s.engine);
    int cheaper = 0;
    for (size_t di = 0; di < cat()->n_devices; di++) {
        const struct rt_device *d = &cat()->devices[di];
        for (int64_t cnt = 1; cnt <= 8; cnt *= 2) {
            if (!(d->price_hour > 0) || d->price_hour * (double)cnt >= a->per_hour_usd - 1e-9)
                continue;
            for (int64_t pp = 1; pp <= cnt; pp *= 2)
                for (size_t w = 0; wf[w]; w++)
                    for (size_t k = 0; kf[k]; k++) {
                        cheaper++;
                        cr_assert(!serves(&base, d, catalog_format(cat(), wf[w]), catalog_format(cat(), kf[k]), cnt,
                                          1, cnt / pp, pp, 4, 1.0, 0.05, &r),
                                  "%s x%lld pp%lld %s/%s is cheaper and serves the load", d->id, (long long)cnt,
                                  (long long)pp, wf[w], kf[k]);
                    }
        }
    }
    cr_assert_gt(cheaper, 0, "the search space has cheaper setups to rule out");
}

Test(solver, searches_disaggregated_splits_priced_by_both_groups)
{
    /* --max-devices 4: prefill and decode groups of powers of two with P + D <= 4 are
     * 1:1, 1:2, 2:1 and 2:2 (P = 4 leaves no decode device); each priced as P + D
     * devices of the catalog's hourly price, one per weight x KV format; the decode
     * group's tensor parallel is D */
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "llama-3.1-8b");
    static struct rt_resolved base;
    char err[512];
    cr_assert_eq(spec_resolve(cat(), &sp, &base, err, sizeof err), RT_OK, "%s", err);
    struct rt_solve_opts o = { .rate = 1, .max_devices = 4 };
    struct rt_solution *v;
    long n = rt_solve_space(cat(), &base, &o, &v, err, sizeof err);
    cr_assert_gt(n, 0, "%s", err);
    const struct rt_device *h = catalog_device(cat(), "h100-sxm");
    cr_assert(h && h->price_hour > 0);
    int nw = 0, nk = 0, seen[3][3] = { { 0 } };
    for (const char *const *f = rt_solve_weight_formats(base.s.engine); *f; f++)
        nw++;
    for (const char *const *f = rt_solve_kv_formats(base.s.engine); *f; f++)
        nk++;
    for (long i = 0; i < n; i++) {
        if (v[i].device != h || v[i].disagg_p == 0)
            continue;
        int64_t P = v[i].disagg_p, D = v[i].disagg_d;
        cr_assert(P <= 2 && D <= 2, "split %lld:%lld", (long long)P, (long long)D);
        cr_assert_eq(v[i].devices, P + D);
        cr_assert_eq(v[i].tp, D);
        assert_rel(v[i].per_hour_usd, h->price_hour * (double)(P + D), 1e-12, "price");
        seen[P][D]++;
    }
    free(v);
    cr_assert_eq(seen[1][1], nw * nk);
    cr_assert_eq(seen[1][2], nw * nk);
    cr_assert_eq(seen[2][1], nw * nk);
    cr_assert_eq(seen[2][2], nw * nk);
}

Test(solver, needs_a_rate_and_names_the_binding_constraint)
{
    struct rt_spec sp;
    spec_default(&sp);
    static struct rt_resolved base;
    char err[512];
    cr_assert_eq(spec_resolve(cat(), &sp, &base, err, sizeof err), RT_OK, "%s", err);
    struct rt_solve_opts o = { .rate = 0 };
    struct rt_solution out[3];
    cr_assert_eq(rt_solve(cat(), &base, &o, out, 3, err, sizeof err), -1);
    cr_assert(strstr(err, "--rate"), "%s", err);
    cr_assert_str_eq(rt_binding_name(RT_BIND_TTFT), "ttft");
    cr_assert_str_eq(rt_binding_name(RT_BIND_RATE), "rate");
    /* an ITL target below any device's batch-1 step: nothing qualifies */
    o = (struct rt_solve_opts){ .rate = 1, .itl_max = 1e-6 };
    cr_assert_eq(rt_solve(cat(), &base, &o, out, 3, err, sizeof err), 0);
}

/* ---- collectives (collective.c): alpha-beta per link ---- */
#include "core/collective.h"

static struct rt_device link_dev(double link_bw, bool nvlink)
{
    struct rt_device d = { 0 };
    d.link_bw = link_bw;
    d.nvlink = nvlink;
    d.node_devices = 8;
    d.node_link_bw = 50e9;
    return d;
}

Test(collective, tiny_allreduce_costs_its_latency)
{
    /* 8 ranks on NVLink: a tree of 2 x log2 8 = 6 steps (fewer than a ring's 14) at
     * 2.78 us each = 16.68 us; the 2 bytes add 2 x 7/8 x 2 / (450e9 x 0.817) ~ 1e-11 s */
    struct rt_device d = link_dev(450e9, true);
    assert_rel(rt_allreduce_s(&d, 8, 2), 16.68e-6, 1e-3, "%g", rt_allreduce_s(&d, 8, 2));
    /* 2 ranks on PCIe: 2 steps of 9.03 us */
    d = link_dev(32e9, false);
    assert_rel(rt_allreduce_s(&d, 2, 2), 18.06e-6, 1e-3, "%g", rt_allreduce_s(&d, 2, 2));
    /* 16 ranks over 2 nodes of 8: 6 steps within the node (16.68 us) and 2 between
     * nodes at 15.45 us = 47.58 us (the source's 2 x 8 H20 run measured 47.6 us) */
    d = link_dev(450e9, true);
    assert_rel(rt_allreduce_s(&d, 16, 8), 47.58e-6, 1e-3, "%g", rt_allreduce_s(&d, 16, 8));
    /* one rank: nothing to do */
    cr_assert_eq(rt_allreduce_s(&d, 1, 1e9), 0);
}

Test(collective, huge_allreduce_costs_its_bytes_over_bandwidth)
{
    /* 1 GB over 8 NVLink ranks: 2 x 7/8 x 1e9 / (450e9 x 0.817) = 4.760 ms; the
     * 16.68 us of latency is 0.35% of it */
    struct rt_device d = link_dev(450e9, true);
    double bw_term = 1.75e9 / (450e9 * 0.817);
    assert_rel(rt_allreduce_s(&d, 8, 1e9), bw_term, 0.005, "%g vs %g", rt_allreduce_s(&d, 8, 1e9), bw_term);
    /* across nodes the network is the slower hop: 2 x 15/16 x 1e9 / (50e9 x 0.817) = 45.9 ms */
    double net = 1.875e9 / (50e9 * 0.817);
    assert_rel(rt_allreduce_s(&d, 16, 1e9), net, 0.005, "%g vs %g", rt_allreduce_s(&d, 16, 1e9), net);
}

Test(collective, pcie_allreduce_shares_the_host)
{
    /* over PCIe the bus bandwidth is what the host's root complex gives all flows (NVIDIA/nccl
     * issue #1639: 8 RTX 5090 on 63 GB/s links reached 28 GB/s, 4 of them 35 GB/s).  1 GB over
     * 8 L40S-like ranks (31 GB/s): 2 x 7/8 x 1e9 / (31e9 x 28/63) = 127.02 ms; over 4: 2 x 3/4
     * x 1e9 / (31e9 x 35/63) = 87.10 ms; the latency (6 and 4 steps of 9.03 us) is < 0.06% */
    struct rt_device d = link_dev(31e9, false);
    assert_rel(rt_allreduce_s(&d, 8, 1e9), 1.75e9 / (31e9 * 28 / 63), 0.001, "%g", rt_allreduce_s(&d, 8, 1e9));
    assert_rel(rt_allreduce_s(&d, 4, 1e9), 1.5e9 / (31e9 * 35 / 63), 0.001, "%g", rt_allreduce_s(&d, 4, 1e9));
    /* NVLink keeps its 0.817 */
    d = link_dev(31e9, true);
    assert_rel(rt_allreduce_s(&d, 4, 1e9), 1.5e9 / (31e9 * 0.817), 0.001, "%g", rt_allreduce_s(&d, 4, 1e9));
}

Test(collective, an_engines_own_kernel_runs_the_small_all_reduces)
{
    /* vLLM's and SGLang's one-shot kernel (custom_all_reduce.cuh: under 512 KiB on up to 4
     * ranks, under 256 KiB on up to 8, up to the 8 MiB buffer on 2) costs one kernel's
     * 5.72 us plus (n-1) x bytes over 450e9 x 0.817 = 367.65 GB/s on an NVLink node. */
    const double lim[3] = { 8192 * 1024.0, 512 * 1024.0, 256 * 1024.0 };
    struct rt_device d = link_dev(450e9, true); /* family 0: nvidia-dc */
    /* one token of a 7168-wide hidden state, 14,336 B, over 8 ranks: 5.72 + 7 x 14336 /
     * 367.65e9 = 5.72 + 0.273 = 5.993 us, where NCCL takes 16.68 + 1.75 x 14336 / 367.65e9
     * = 16.748 us */
    assert_rel(rt_custom_allreduce_s(&d, lim, 8, 14336), 5.993e-6, 1e-3, "%g", rt_custom_allreduce_s(&d, lim, 8, 14336));
    assert_rel(rt_allreduce_s(&d, 8, 14336), 16.748e-6, 1e-3, "%g", rt_allreduce_s(&d, 8, 14336));
    /* 300 KiB (307,200 B) over 4 ranks, under 512 KiB: 5.72 + 3 x 307200 / 367.65e9 = 8.227 us */
    assert_rel(rt_custom_allreduce_s(&d, lim, 4, 307200), 8.227e-6, 1e-3, "%g", rt_custom_allreduce_s(&d, lim, 4, 307200));
    /* 256 KiB over 8 ranks is the two-shot's, costed as NCCL's: 16.68 + 1.75 x 262144 /
     * 367.65e9 = 17.928 us; so is a huge one (its bytes over the bandwidth) */
    assert_rel(rt_custom_allreduce_s(&d, lim, 8, 262144), 17.928e-6, 1e-3, "%g", rt_custom_allreduce_s(&d, lim, 8, 262144));
    cr_assert_eq(rt_custom_allreduce_s(&d, lim, 8, 1e9), rt_allreduce_s(&d, 8, 1e9));
    /* NCCL where the kernel does not run: no limits (the engine has none), 3 or 16 ranks,
     * PCIe, another vendor */
    cr_assert_eq(rt_custom_allreduce_s(&d, NULL, 8, 14336), rt_allreduce_s(&d, 8, 14336));
    cr_assert_eq(rt_custom_allreduce_s(&d, lim, 3, 14336), rt_allreduce_s(&d, 3, 14336));
    /* a message of one fp32 (4 B) is not a whole 16-byte packet: NCCL's 16.68 us; four of
     * them (16 B) are: 5.72 us and 7 x 16 B over the link */
    assert_rel(rt_custom_allreduce_s(&d, lim, 8, 4), 16.68e-6, 1e-3, "4 B");
    assert_rel(rt_custom_allreduce_s(&d, lim, 8, 16), 5.72e-6, 1e-3, "16 B");
    assert_rel(rt_custom_allreduce_s(&d, lim, 16, 8), 47.58e-6, 1e-3, "two nodes");
    d = link_dev(32e9, false);
    assert_rel(rt_custom_allreduce_s(&d, lim, 8, 2), 54.18e-6, 1e-3, "PCIe: 6 x 9.03 us");
    d = link_dev(450e9, true);
    d.family = RT_FAM_AMD;
    assert_rel(rt_custom_allreduce_s(&d, lim, 8, 2), 16.68e-6, 1e-3, "xGMI: NCCL's (RCCL's) model");
}

Test(collective, alltoall_and_p2p)
{
    struct rt_link l = { RT_LINK_NVLINK, 2.78e-6, 160e9, 0.817, 0.97 };
    /* 8 ranks, each sending 1.6 GB evenly: 7/8 x 1.6e9 / (160e9 x 0.97) = 9.021 ms + 2.78 us;
     * twice as busy a rank takes twice the bandwidth term */
    assert_rel(rt_alltoall_link_s(&l, 8, 1.6e9, 1), 9.021e-3 + 2.78e-6, 1e-3, "a2a");
    assert_rel(rt_alltoall_link_s(&l, 8, 1.6e9, 2), 2 * 9.021e-3 + 2.78e-6, 1e-3, "a2a imbalanced");
    /* a send of 1 KB: latency; of 1.552 GB: 10 ms */
    assert_rel(rt_p2p_link_s(&l, 1024), 2.78e-6, 0.01, "p2p small");
    assert_rel(rt_p2p_link_s(&l, 1.552e9), 10e-3, 0.001, "p2p large");
}

Test(collective, routing_imbalance)
{
    /* no expert parallel: balanced by definition */
    cr_assert_eq(rt_route_imbalance(100, 8, 1), 1);
    /* one token, top-8 over 8 ranks: mean 1 per rank, busiest 1 + sqrt(2 ln 8) = 3.039 */
    assert_rel(rt_route_imbalance(1, 8, 8), 1 + sqrt(2 * log(8.0)), 1e-9, "one token");
    /* a million tokens: within 0.3% of the mean */
    cr_assert_lt(rt_route_imbalance(1e6, 8, 8), 1.003);
    /* never more than every choice on one rank */
    cr_assert_leq(rt_route_imbalance(1e-6, 1, 64), 64);
}

Test(collective, routing_skew_from_the_measurement)
{
    /* DeepSeek-R1, no load balancer: (max - mean) / mean = 1.564 of the ranks' routed tokens at
     * 32 ranks (TensorRT-LLM's EP blog, Table 1).  At 32 ranks that is the figure itself; at
     * 8 ranks the spread halves (sqrt(8 / 32)) and the busiest of 8 lies 1.4236 spreads above
     * the mean against 2.0697 for 32: 1 + 1.564 x 0.5 x 1.4236 / 2.0697 = 1.537882; at 2
     * ranks 1 + 1.564 x 0.25 x 0.5642 / 2.0697 = 1.106586 */
    const struct rt_model *r1 = catalog_model(cat(), "deepseek-r1");
    cr_assert_not_null(r1);
    assert_rel(rt_route_skew(r1, 32), 2.564, 1e-9, "the measurement itself");
    assert_rel(rt_route_skew(r1, 8), 1.537882, 1e-6, "8 ranks");
    assert_rel(rt_route_skew(r1, 2), 1.106586, 1e-6, "2 ranks");
    cr_assert_eq(rt_route_skew(r1, 1), 1, "no expert parallel");
    /* no measurement, no skew */
    cr_assert_eq(rt_route_skew(catalog_model(cat(), "deepseek-v3"), 8), 1);
    /* never more than every token on one rank */
    struct rt_model m = *r1;
    m.route_imbalance = 100;
    cr_assert_eq(rt_route_skew(&m, 2), 2);
}

Test(collective, routing_skew_in_the_step)
{
    /* DeepSeek-R1 nvfp4 on 8 B200, ep 8, ideal engine.  Dispatch of a million tokens keeps
     * the sampling spread only, 1 + sqrt(2 ln 8 / 1e6) = 1.002039 (the router's skew leaves
     * gathered and reduce-scattered bytes alone): 1.002039 x 7/8 of 1e6 / 8 x 8 x 7168 x 2
     * bytes over 900 GB/s x 0.97, plus 2.78 us */
    struct rt_resolved *rs = scen("deepseek-r1", "b200", "nvfp4", 8, 1, 128, 16, NULL);
    rs->s.ep = 8;
    double bytes = 1e6 / 8 * 8 * 7168 * 2;
    assert_rel(rt_ep_alltoall_s(&rs->s, 1e6), 2.78e-6 + 1.002039 * 7.0 / 8.0 * bytes / (900e9 * 0.97), 1e-5,
               "dispatch %g", rt_ep_alltoall_s(&rs->s, 1e6));
    /* the routed experts' FLOPs of a compute-bound pass (a prefill of 262,144 tokens) on the
     * busiest rank: per token and summed over the layers, routed 58 x 8 x 3 x 7168 x 2048 =
     * 20,434,649,088 of the 24,284,495,872 active FFN weights (58 shared experts 2,554,331,136,
     * 58 routers of 256 x 7168, 3 dense FFNs of 3 x 7168 x 18432); the FFN time grows by
     * (active + 0.537882 x routed) / active = 1.452611, against a copy without the
     * measurement (the memory term, the 2-norm's other side, is under 1% there) */
    struct rt_params p;
    rt_count_params(rs->s.model, &p);
    struct rt_phase skewed, even;
    rt_step_time(&rs->s, &p, 262144, 131072, 0, 0, &skewed);
    struct rt_model flat = *rs->s.model;
    flat.route_imbalance = 0;
    rs->s.model = &flat;
    rt_step_time(&rs->s, &p, 262144, 131072, 0, 0, &even);
    assert_rel(skewed.t_ffn / even.t_ffn, 1.452611, 0.01, "ffn %g / %g", skewed.t_ffn, even.t_ffn);
    cr_assert_float_eq(skewed.f_ffn, even.f_ffn, 1, "the work itself is the same");
}

Test(collective, tp_allreduce_per_layer_in_the_step)
{
    /* Llama 3 8B (32 layers, hidden 4096) over 8 H100 SXM (NVLink 450 GB/s), ideal
     * engine: one decoding sequence moves 4096 x 2 = 8192 bytes per all-reduce, two
     * per layer: 64 x (16.68 us + 1.75 x 8192 / (450e9 x 0.817) = 0.039 us) = 1.0700 ms */
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 8, 1, 128, 16, NULL);
    struct rt_params p;
    rt_count_params(rs->s.model, &p);
    struct rt_phase ph;
    rt_step_time(&rs->s, &p, 0, 0, 1, 128, &ph);
    assert_rel(ph.t_comm, 64 * (16.68e-6 + 1.75 * 8192 / (450e9 * 0.817)), 1e-3, "t_comm %g", ph.t_comm);
}

Test(serve, max_seqs_bounds_mean_running)
{
    /* --max-seqs 16 on a scenario whose KV cache holds hundreds: never more than 16 run,
     * so their time average is at most 16; without it the profile's 256 allow more */
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "llama-3-8b");
    snprintf(sp.gpu, sizeof sp.gpu, "h100-sxm");
    snprintf(sp.engine, sizeof sp.engine, "vllm");
    sp.prompt = 128;
    sp.output = 128;
    sp.rate = INFINITY;
    sp.requests = 600;
    sp.max_seqs = 16;
    static struct rt_resolved rs;
    char err[256];
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(rs.s.engine->max_seqs, 16);
    struct rt_serve_opts o = { .rate = INFINITY, .requests = 600, .no_capacity = true };
    struct rt_serve_result r;
    cr_assert_eq(rt_serve(&rs.s, &o, &r, err, sizeof err), RT_OK);
    cr_assert_leq(r.max_running, 16);
    cr_assert_leq(r.mean_running, 16.0 + 1e-9);
    cr_assert_gt(r.mean_running, 12.0, "an infinite rate keeps the cap nearly full: %g", r.mean_running);
    sp.max_seqs = 0;
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(rt_serve(&rs.s, &o, &r, err, sizeof err), RT_OK);
    cr_assert_gt(r.mean_running, 16.0, "the profile's cap of 256: %g", r.mean_running);
}

Test(serve, max_seqs_is_the_cap_under_a_rate_whatever_the_batch)
{
    /* --batch 8 --max-seqs 16 --rate inf: --batch is the static figure, --max-seqs the cap.
     * 600 requests of 128 + 128 tokens all at once on an H100 (KV room for hundreds): 16
     * run at a time (time average at most 16, near 16 while the queue lasts); before the
     * fix --batch 8 was the cap and the average was at most 8.  Without --max-seqs,
     * --batch 8 stays the cap (its meaning with --rate since 0.2). */
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "llama-3-8b");
    snprintf(sp.gpu, sizeof sp.gpu, "h100-sxm");
    snprintf(sp.engine, sizeof sp.engine, "vllm");
    sp.batch = 8;
    sp.prompt = 128;
    sp.output = 128;
    sp.rate = INFINITY;
    sp.requests = 600;
    sp.max_seqs = 16;
    static struct rt_resolved rs;
    static struct rt_result r;
    char err[256];
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(rt_estimate(&rs.s, &r, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(rs.s.batch, 8, "the static figure keeps --batch");
    cr_assert_leq(r.serving.max_running, 16);
    cr_assert_gt(r.serving.mean_running, 12.0, "--max-seqs 16 is the cap, not --batch 8: %g", r.serving.mean_running);
    sp.max_seqs = 0;
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(rt_estimate(&rs.s, &r, err, sizeof err), RT_OK, "%s", err);
    cr_assert_leq(r.serving.max_running, 8, "no --max-seqs: --batch 8 caps");
    cr_assert_gt(r.serving.mean_running, 6.0, "%g", r.serving.mean_running);
}

Test(serve, host_time_per_sequence_follows_the_host_class)
{
    /* trtllm-pytorch's published host time (engines.cfg): 45.11 ms a step at 1536 running
     * sequences on a GB200 (Grace) = 29.37 us a sequence; an x86 host at the Grace/Xeon
     * 8480C ratio of PyTorch CPU time, 37.08 / 13.48 = 2.751, is 10.68 us.  The Grace
     * figure goes to a GB200 (host_cpu grace), the x86 one to a B200. */
    struct rt_serve_step st;
    struct rt_serve_config c;
    struct rt_serve_opts o = { .rate = INFINITY, .requests = 10 };
    struct rt_resolved *rs = scen("llama-3.1-8b", "gb200", "bf16", 1, 1, 1024, 1024, "trtllm-pytorch");
    rt_serve_config_of(&rs->s, &o, &st, &c);
    assert_rel(c.host_seq_s, 45.11e-3 / 1536, 0.01, "Grace %g", c.host_seq_s);
    cr_assert(c.host_overlap);
    rs = scen("llama-3.1-8b", "b200", "bf16", 1, 1, 1024, 1024, "trtllm-pytorch");
    rt_serve_config_of(&rs->s, &o, &st, &c);
    assert_rel(c.host_seq_s, 45.11e-3 / 1536 / (37.08 / 13.48), 0.01, "x86 %g", c.host_seq_s);
}

/* Attention data parallel (ep > 1): a request's prompt runs on one rank and the step waits
 * for the slowest rank (TensorRT-LLM's ADP balance post).  With P = 1000-token prompts on 8
 * ranks: a step that prefills 8 x 1000 tokens holds one whole prompt on every rank, so it is
 * the lumped step; one that prefills 1000 holds them all on one rank, so its attention side
 * costs what 8 x 1000 tokens spread evenly would (every rank as busy as that one): the lumped
 * step + t_attn(8000) - t_attn(1000), the experts unchanged.  A decode-only step and a run
 * without ep are the lumped step. */
Test(serve, attention_dp_step_waits_for_the_rank_holding_the_prompt)
{
    struct rt_resolved *rs = scen("deepseek-r1", "b200", "nvfp4", 8, 1, 1000, 500, "trtllm-pytorch");
    struct rt_scenario s = rs->s;
    s.tp = 8;
    s.ep = 8;
    struct rt_serve_opts o = { .rate = INFINITY, .requests = 10 };
    struct rt_serve_step st;
    struct rt_serve_config c;
    rt_serve_config_of(&s, &o, &st, &c);
    struct rt_params p;
    rt_scenario_params(&s, &p);
    struct rt_phase one, all;
    double lumped_one = rt_step_one(&s, &p, 1000, 500, 800, 1500, &one);
    double lumped_all = rt_step_one(&s, &p, 8000, 500, 800, 1500, &all);
    assert_rel(rt_serve_step_time(&st, 8000, 500, 800, 1500), lumped_all, 1e-12, "balanced");
    double t = rt_serve_step_time(&st, 1000, 500, 800, 1500);
    assert_rel(t, lumped_one + all.t_attn - one.t_attn, 1e-12, "slowest rank %g", t);
    cr_assert_gt(t, lumped_one * 1.001, "the busy rank costs more: %g vs %g", t, lumped_one);
    assert_rel(rt_serve_step_time(&st, 0, 0, 800, 1500), rt_step_one(&s, &p, 0, 0, 800, 1500, NULL), 1e-12,
               "decode only");
    s.ep = 1;
    rt_serve_config_of(&s, &o, &st, &c);
    rt_scenario_params(&s, &p);
    assert_rel(rt_serve_step_time(&st, 1000, 500, 800, 1500), rt_step_one(&s, &p, 1000, 500, 800, 1500, NULL), 1e-12,
               "no attention DP without ep");
}

/* The synchronous vllm profile's host time (engines.cfg) is the one measured part of a V1
 * step, a lower bound: vllm PR #46112 timed update_from_output() at 0.287 ms with 256
 * running sequences, 0.287e-3 / 256 = 1.121 us each (x86, rounded to 1.1 in the profile);
 * Grace at the Grace/Xeon ratio 37.08 / 13.48 = 2.751: 1.121 x 2.751 = 3.08 us (3.1).  The
 * engine does not overlap, so a step takes the device's time plus 1.1 us per running
 * sequence: a request alone on a device taking 10 ms a step decodes at 10.0011 ms a token. */
Test(serve, sync_vllm_adds_its_per_sequence_host_time)
{
    struct rt_serve_step st;
    struct rt_serve_config c;
    struct rt_serve_opts o = { .rate = INFINITY, .requests = 10 };
    struct rt_resolved *rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 1024, 1024, "vllm");
    rt_serve_config_of(&rs->s, &o, &st, &c);
    assert_rel(c.host_seq_s, 0.287e-3 / 256, 0.02, "x86 %g", c.host_seq_s);
    cr_assert_eq(c.host_step_s, 0.0, "no per-step figure");
    cr_assert(!c.host_overlap, "synchronous");
    rs = scen("llama-3.1-8b", "gb200", "bf16", 1, 1, 1024, 1024, "vllm");
    rt_serve_config_of(&rs->s, &o, &st, &c);
    assert_rel(c.host_seq_s, 0.287e-3 / 256 * (37.08 / 13.48), 0.02, "Grace %g", c.host_seq_s);
    /* the x86 profile's figures on a 10 ms device step, one request at a time: the sum */
    rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 1024, 1024, "vllm");
    struct rt_serve_config p;
    rt_serve_config_of(&rs->s, &o, &st, &p);
    struct lin l = { 0.010, 0, 0 };
    c = lin_config(&l, 1e-4, 50, 100, 20);
    c.host_step_s = p.host_step_s;
    c.host_seq_s = p.host_seq_s;
    c.host_overlap = p.host_overlap;
    struct rt_serve_result r;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    assert_rel(r.itl_mean_s - 0.010, 1.1e-6, 0.01, "host share of the ITL %g", r.itl_mean_s - 0.010);
}

/* Host time under attention DP is one rank's: each of the ep ranks schedules and samples its
 * own sequences at the same time (TensorRT-LLM PR #10273: 45.11 ms a step for the 1536 running
 * on one rank of attention DP 2).  trtllm-pytorch on an x86 B200 host: 10.7 us a running
 * sequence; with ep = 8 and 7168 running the step's host time is 7168 / 8 x 10.7 us = 9.59 ms,
 * not 7168 x 10.7 us = 76.7 ms; without ep the whole 10.7 us counts. */
Test(serve, attention_dp_host_time_is_one_ranks_share)
{
    struct rt_resolved *rs = scen("deepseek-r1", "b200", "nvfp4", 8, 1, 1000, 500, "trtllm-pytorch");
    struct rt_scenario s = rs->s;
    struct rt_serve_opts o = { .rate = INFINITY, .requests = 10 };
    struct rt_serve_step st;
    struct rt_serve_config c;
    s.tp = 8;
    s.ep = 0;
    rt_serve_config_of(&s, &o, &st, &c);
    assert_rel(c.host_seq_s, 10.7e-6, 1e-9, "without ep: %g", c.host_seq_s);
    s.ep = 8;
    rt_serve_config_of(&s, &o, &st, &c);
    assert_rel(c.host_seq_s * 7168, 7168.0 / 8 * 10.7e-6, 1e-9, "ep 8, 7168 running: %g s", c.host_seq_s * 7168);
    cr_assert_eq(c.host_step_s, 0.0, "the per-step part is each rank's, unchanged");
}

/* vllm-async's host time (engines.cfg) is vLLM's published host-bound run: Qwen3-0.6B on one
 * GB200 gave 16,000 output tok/s, so 1 / 16,000 s = 62.5 us of Grace time per running
 * sequence per step; x86 at the Grace/Xeon ratio 2.751: 22.7 us.  With the overlap a step
 * takes max(device, N x 62.5 us): once the host binds, each step of N sequences yields at
 * most N tokens in N x 62.5 us, so at most 16,000 tok/s whatever N is, and the replay of
 * that setup lands just under it (prefill steps and the last, small batches give back a
 * little).  On a B200 (x86 host) the same bound is 1 / 22.7 us = 44,053 tok/s. */
Test(serve, vllm_async_host_bound_small_model_reproduces_its_source)
{
    struct rt_serve_opts o = { .rate = INFINITY, .requests = 2000, .no_capacity = true };
    struct rt_serve_result r;
    char err[256];
    /* the cache reserved at the final context: the profile's growing cache admits 1,024 of
     * the 2,000 requests on their prompts, more than the cache holds at 2,000 tokens each, and
     * the preempted ones' recompute costs throughput (15.1K); the source states no lengths,
     * and the ceiling under test is the host's */
    struct rt_resolved *rs = scen("qwen3-0.6b", "gb200", "bf16", 1, 1, 1000, 1000, "vllm-async");
    rs->engine.kv_policy = RT_KVP_RESERVE;
    cr_assert_eq(rt_serve(&rs->s, &o, &r, err, sizeof err), RT_OK, "%s", err);
    cr_assert(r.output_tok_s <= 16000.0 * (1 + 1e-9), "host-bound ceiling: %g", r.output_tok_s);
    cr_assert(r.output_tok_s >= 16000.0 * 0.95, "close to the published 16K: %g", r.output_tok_s);
    rs = scen("qwen3-0.6b", "b200", "bf16", 1, 1, 1000, 1000, "vllm-async");
    rs->engine.kv_policy = RT_KVP_RESERVE;
    cr_assert_eq(rt_serve(&rs->s, &o, &r, err, sizeof err), RT_OK, "%s", err);
    cr_assert(r.output_tok_s <= 1.0 / 22.7e-6 * (1 + 1e-9), "x86 ceiling: %g", r.output_tok_s);
    cr_assert(r.output_tok_s > 16000.0 * 1.5, "the x86 host binds later: %g", r.output_tok_s);
}

/* ---- request lengths, host time, closed loop, pipeline stages, replicas, disaggregation ---- */
#include "core/lengths.h"

Test(lengths, mean_of_each_distribution_is_the_given_mean)
{
    /* 200,000 draws of mean 1024: fixed is exact; uniform:0.5 (sd 1024 x 0.5/sqrt 3 = 296)
     * has a standard error of 0.66 tokens; lognormal:1 (sd = mean x sqrt(e - 1) = 1.31 mean)
     * 0.29% of the mean: 1.5% is five of those */
    enum { N = 200000 };
    static int64_t v[N];
    const char *names[] = { "fixed", "uniform:0.5", "lognormal:1" };
    const double tol[] = { 0, 0.002, 0.015 };
    for (int k = 0; k < 3; k++) {
        struct rt_dist d;
        cr_assert(rt_dist_parse(names[k], &d), "%s parses", names[k]);
        uint64_t seed = 42;
        rt_dist_sample(&d, 1024, 0, N, &seed, v);
        double sum = 0;
        int64_t lo = INT64_MAX, hi = 0;
        for (int i = 0; i < N; i++) {
            sum += (double)v[i];
            lo = v[i] < lo ? v[i] : lo;
            hi = v[i] > hi ? v[i] : hi;
        }
        cr_assert(fabs(sum / N - 1024) <= tol[k] * 1024 + 1e-9, "%s: mean %g", names[k], sum / N);
        if (k == 1) /* uniform:0.5 stays in [512, 1536] */
            cr_assert(lo >= 512 && hi <= 1536, "uniform range %lld..%lld", (long long)lo, (long long)hi);
    }
    struct rt_dist d;
    cr_assert_not(rt_dist_parse("uniform:1.5", &d));
    cr_assert_not(rt_dist_parse("lognormal:0", &d));
    cr_assert_not(rt_dist_parse("normal:1", &d));
}

Test(serve, lengths_drawn_keep_the_mean_work)
{
    /* a constant 1 ms step, no limits, every request at once: with lognormal outputs of
     * mean 64 the run makes 2000 x 64 tokens (within the sampling error, 2%) */
    struct lin l = { 0.001, 0, 0 };
    struct rt_serve_config c = lin_config(&l, INFINITY, 2000, 100, 64);
    c.output_dist = (struct rt_dist){ RT_DIST_LOGNORMAL, 1.0 };
    struct rt_serve_result r;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    assert_rel(r.output_tok_s * r.duration_s, 2000.0 * 64, 0.02, "tokens %g", r.output_tok_s * r.duration_s);
}

Test(serve, host_time_adds_or_overlaps)
{
    /* every step 10 ms on the device; the host 1 ms per step + 0.5 ms per running sequence.
     * One request alone: each decode step has 1 sequence, host 1.5 ms: ITL 11.5 ms without
     * overlap; with overlap max(10, 1.5) = 10 ms */
    struct lin l = { 0.010, 0, 0 };
    struct rt_serve_config c = lin_config(&l, 1e-4, 50, 100, 20);
    c.host_step_s = 0.001;
    c.host_seq_s = 0.0005;
    struct rt_serve_result r;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    assert_rel(r.itl_mean_s, 0.0115, 1e-6, "ITL %g", r.itl_mean_s);
    assert_rel(r.host_s_per_step, 0.0015, 1e-6, "host per step %g", r.host_s_per_step);
    c.host_overlap = true;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    assert_rel(r.itl_mean_s, 0.010, 1e-6, "ITL overlapped %g", r.itl_mean_s);
    /* a host slower than the device sets the pace: 20 ms per sequence */
    c.host_seq_s = 0.020;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    assert_rel(r.itl_mean_s, 0.021, 1e-6, "ITL host-bound %g", r.itl_mean_s);
}

Test(serve, closed_loop_of_one_is_batch_one_latency)
{
    /* one client: each request runs alone, so TTFT is the batch-1 prefill and ITL the
     * batch-1 decode step of the static estimate (decode averaged over the contexts) */
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 512, 64, "vllm");
    struct rt_result e = estimate(&rs->s);
    struct rt_serve_opts o = { .rate = INFINITY, .requests = 40, .concurrency = 1, .no_capacity = true };
    struct rt_serve_result r;
    char err[256];
    cr_assert_eq(rt_serve(&rs->s, &o, &r, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(r.max_running, 1);
    assert_rel(r.ttft_mean_s, e.ttft_s, 0.01, "TTFT %g vs %g", r.ttft_mean_s, e.ttft_s);
    assert_rel(r.itl_mean_s, e.tpot_s, 0.01, "ITL %g vs %g", r.itl_mean_s, e.tpot_s);
}

static struct rt_serve_result serve_pp(int64_t pp, double rate, int64_t conc)
{
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", pp, 1, 512, 128, "vllm");
    /* each sequence's cache reserved at its end: admitted on their prompts (vLLM's growing
     * cache), 1,024 of the 1,500 overfill one H100's cache and preempt each other; the
     * stages, not memory, are under test */
    rs->engine.kv_policy = RT_KVP_RESERVE;
    struct rt_scenario s = rs->s;
    s.tp = 1;
    s.pp = pp;
    struct rt_serve_opts o = { .rate = rate, .requests = 1500, .concurrency = conc, .no_capacity = true };
    struct rt_serve_result r;
    char err[256];
    cr_assert_eq(rt_serve(&s, &o, &r, err, sizeof err), RT_OK, "%s", err);
    return r;
}

Test(serve, pipeline_stages_in_flight)
{
    /* Llama 3 8B over 1, 2 and 4 H100s in pipeline stages, every request at once (each
     * reserving its cache, serve_pp; the stages, not memory, make the difference):
     * throughput with k stages lies between one stage's and k times it */
    double one = serve_pp(1, INFINITY, 0).output_tok_s;
    for (int64_t k = 2; k <= 4; k *= 2) {
        double t = serve_pp(k, INFINITY, 0).output_tok_s;
        cr_assert(t > one && t <= (double)k * one * (1 + 1e-9), "%lld stages: %g vs one stage %g", (long long)k, t, one);
    }
    /* alone, a request passes every stage in turn: its ITL shows the pipeline's depth
     * (the hand-offs come on top) */
    cr_assert_gt(serve_pp(2, INFINITY, 1).itl_mean_s, serve_pp(1, INFINITY, 1).itl_mean_s);
}

Test(serve, replicas_count_every_replica)
{
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 512, 128, "vllm");
    struct rt_scenario s = rs->s;
    struct rt_serve_opts o = { .rate = 4, .requests = 1000 };
    struct rt_serve_result one, two;
    char err[256];
    cr_assert_eq(rt_serve(&s, &o, &one, err, sizeof err), RT_OK, "%s", err);
    s.dp = 2;
    o.rate = 8; /* twice the load on twice the replicas: each sees 4 requests/s */
    o.requests = 2000;
    cr_assert_eq(rt_serve(&s, &o, &two, err, sizeof err), RT_OK, "%s", err);
    assert_rel(two.capacity_rps, 2 * one.capacity_rps, 1e-9, "capacity");
    assert_rel(two.output_tok_s, 2 * one.output_tok_s, 1e-9, "throughput");
    assert_rel(two.ttft_mean_s, one.ttft_mean_s, 1e-9, "each replica runs the same");
}

Test(serve, disaggregated_ttft_includes_the_kv_transfer)
{
    /* Llama 3 8B, 1024-token prompts: 32 layers x 8 KV heads x 128 x 2 (K and V) x 2 bytes =
     * 131,072 bytes per token, 134.2 MB per prompt, moved between two H100s of a node over
     * NVLink: 2.78 us + 134,217,728 / (450e9 x 0.97) = 310.26 us.  At a low rate nothing
     * queues: TTFT = the prefill (as without disaggregation, one H100 prefilling) + that */
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 1024, 32, "ideal");
    struct rt_scenario s = rs->s;
    struct rt_serve_opts o = { .rate = 0.05, .requests = 60, .no_capacity = true };
    struct rt_serve_result plain, dis;
    char err[256];
    cr_assert_eq(rt_serve(&s, &o, &plain, err, sizeof err), RT_OK, "%s", err);
    s.disagg_p = s.disagg_d = 1;
    cr_assert_eq(rt_serve(&s, &o, &dis, err, sizeof err), RT_OK, "%s", err);
    cr_assert(dis.disagg_on);
    cr_assert_eq(dis.prefill_devices, 1);
    cr_assert_eq(dis.decode_devices, 1);
    double xfer = 2.78e-6 + 134217728.0 / (450e9 * 0.97);
    assert_rel(dis.kv_transfer_s, xfer, 1e-3, "transfer %g", dis.kv_transfer_s);
    assert_rel(dis.ttft_mean_s - plain.ttft_mean_s, xfer, 0.01, "TTFT %g vs %g", dis.ttft_mean_s, plain.ttft_mean_s);
}

/* The closed loop (serve_pair.c) on the same 1:1 split.  One client: each request is
 * alone, so its TTFT is one H100's prefill of 1,024 tokens, as in the plain closed loop of
 * one client, plus the 310.26 us transfer worked out above, and its later tokens are the
 * decode H100's batch-1 steps, the plain loop's.  Eight clients: the decode group never
 * runs more than the eight requests there are, and since a client always has one request
 * out (no think time), requests per second x mean latency = 8 (Little's law; the last
 * requests draining shift it a little). */
Test(serve, disaggregated_closed_loop_ttft_includes_the_kv_transfer)
{
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 1024, 32, "ideal");
    struct rt_scenario s = rs->s;
    struct rt_serve_opts o = { .rate = INFINITY, .concurrency = 1, .requests = 60, .no_capacity = true };
    struct rt_serve_result plain, dis;
    char err[256];
    cr_assert_eq(rt_serve(&s, &o, &plain, err, sizeof err), RT_OK, "%s", err);
    s.disagg_p = s.disagg_d = 1;
    cr_assert_eq(rt_serve(&s, &o, &dis, err, sizeof err), RT_OK, "%s", err);
    cr_assert(dis.disagg_on && dis.fits);
    double xfer = 2.78e-6 + 134217728.0 / (450e9 * 0.97);
    assert_rel(dis.kv_transfer_s, xfer, 1e-3, "transfer %g", dis.kv_transfer_s);
    assert_rel(dis.ttft_mean_s - plain.ttft_mean_s, xfer, 1e-3, "TTFT %g vs %g", dis.ttft_mean_s, plain.ttft_mean_s);
    assert_rel(dis.ttft_p99_s - plain.ttft_p99_s, xfer, 1e-3, "p99 %g vs %g", dis.ttft_p99_s, plain.ttft_p99_s);
    assert_rel(dis.itl_mean_s, plain.itl_mean_s, 1e-9, "ITL %g vs %g", dis.itl_mean_s, plain.itl_mean_s);
    cr_assert_eq(dis.max_running, 1);
    o.concurrency = 8;
    o.requests = 400;
    cr_assert_eq(rt_serve(&s, &o, &dis, err, sizeof err), RT_OK, "%s", err);
    cr_assert_leq(dis.max_running, 8);
    double x = dis.output_tok_s / 32.0; /* requests per second */
    assert_rel(x * dis.e2e_mean_s, 8.0, 0.02, "Little: %g req/s x %g s", x, dis.e2e_mean_s);
    cr_assert_gt(dis.ttft_mean_s, plain.ttft_mean_s + xfer, "eight prompts queue for the prefill group");
}

Test(serve, disaggregated_capacity_within_targets)
{
    /* The same 1:1 split as above.  The first token costs at least the prefill plus the
     * 310 us transfer at any rate: a TTFT target of half the unloaded plain TTFT is met at
     * no rate (0); targets of 1,000 s are met up to the capacity itself; a target of 3x
     * the unloaded TTFT is met at the rate found (a run of the same requests there). */
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 1024, 32, "ideal");
    struct rt_scenario s = rs->s;
    struct rt_serve_opts o = { .rate = 0.05, .requests = 300, .no_capacity = true };
    struct rt_serve_result plain, r;
    char err[256];
    cr_assert_eq(rt_serve(&s, &o, &plain, err, sizeof err), RT_OK, "%s", err);
    s.disagg_p = s.disagg_d = 1;
    o.no_capacity = false;
    o.ttft_max = 0.5 * plain.ttft_mean_s;
    cr_assert_eq(rt_serve(&s, &o, &r, err, sizeof err), RT_OK, "%s", err);
    cr_assert_gt(r.capacity_rps, 0);
    cr_assert_eq(r.capacity_sla_rps, 0, "%g", r.capacity_sla_rps);
    o.ttft_max = o.itl_max = 1e3;
    cr_assert_eq(rt_serve(&s, &o, &r, err, sizeof err), RT_OK, "%s", err);
    assert_rel(r.capacity_sla_rps, r.capacity_rps, 1e-12, "%g vs %g", r.capacity_sla_rps, r.capacity_rps);
    o.ttft_max = 3 * plain.ttft_mean_s;
    o.itl_max = 0;
    cr_assert_eq(rt_serve(&s, &o, &r, err, sizeof err), RT_OK, "%s", err);
    double sla = r.capacity_sla_rps;
    cr_assert(sla > 0 && sla <= r.capacity_rps, "%g of %g", sla, r.capacity_rps);
    struct rt_serve_opts at = { .rate = sla, .requests = 300, .no_capacity = true };
    cr_assert_eq(rt_serve(&s, &at, &r, err, sizeof err), RT_OK, "%s", err);
    cr_assert_leq(r.ttft_mean_s, o.ttft_max, "%g at %g r/s", r.ttft_mean_s, sla);
}

Test(serve, vllm_defaults_follow_the_device)
{
    /* vllm serve (vllm/engine/arg_utils.py get_batch_defaults): 1024 sequences and 8192
     * tokens on a GPU of 70 GiB or more (an H100 SXM: 80 GB = 74.5 GiB), A100s aside; 256
     * and 2048 below (an L40S: 48 GB) and on an A100 80GB */
    struct rt_resolved *rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 512, 128, "vllm");
    cr_assert_eq(rs->s.engine->max_seqs, 1024);
    cr_assert_eq(rs->s.engine->max_batched_tokens, 8192);
    rs = scen("llama-3.1-8b", "l40s", "bf16", 1, 1, 512, 128, "vllm");
    cr_assert_eq(rs->s.engine->max_seqs, 256);
    cr_assert_eq(rs->s.engine->max_batched_tokens, 2048);
    rs = scen("llama-3.1-8b", "a100-sxm-80g", "bf16", 1, 1, 512, 128, "vllm");
    cr_assert_eq(rs->s.engine->max_seqs, 256);
}

Test(serve, ttft_percentiles_are_nearest_rank_of_unsorted_waits)
{
    /* One sequence at a time, 1 s per prompt token, one output token each: a request's
     * TTFT is its wait plus its prompt.  Arrivals 0, 1, 6, 9, 18 s with prompts 5, 1, 3, 9, 1:
     * served 0-5, 5-6, 6-9, 9-18, 18-19, so TTFTs 5, 5, 3, 9, 1 s (not in order).
     * Sorted 1, 3, 5, 5, 9: p50 = rank ceil(0.5 x 5) = 3rd = 5 s; p99 = rank ceil(4.95)
     * = 5th = 9 s; mean 23 / 5 = 4.6 s. */
    struct lin l = { 0, 1.0, 0 };
    struct rt_serve_config c = lin_config(&l, 1, 5, 3, 1);
    static const double arr[] = { 0, 1, 6, 9, 18 };
    static const int64_t P[] = { 5, 1, 3, 9, 1 }, O[] = { 1, 1, 1, 1, 1 };
    c.arrivals = arr;
    c.prompts = P;
    c.outputs = O;
    c.max_running = 1;
    struct rt_serve_result r;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    assert_rel(r.ttft_mean_s, 4.6, 1e-12, "mean TTFT");
    assert_rel(r.ttft_p50_s, 5.0, 1e-12, "p50 TTFT");
    assert_rel(r.ttft_p99_s, 9.0, 1e-12, "p99 TTFT");
}

/* The solver's runs give up once the mean TTFT or ITL must miss its target (the sums of
 * the first tokens, the waits so far and the completed gaps only grow): such a run says
 * INFINITY, having taken fewer steps; a run that meets the target, even exactly, runs to
 * the end with the same figures as without the target. */
struct counted { struct lin l; long calls; };
static double counted_step(void *ctx, double np, double pctx, double bd, double dctx)
{
    struct counted *k = ctx;
    k->calls++;
    return lin_step(&k->l, np, pctx, bd, dctx);
}

Test(serve, a_run_that_must_miss_its_target_gives_up_early)
{
    /* 160 requests/s offered to a capacity of 80 (8 running, 10 ms a step, 10 tokens each):
     * the queue grows by 80 a second, so the waits run to seconds; a 100 ms target is missed */
    struct counted k = { { 0.01, 0, 0 }, 0 };
    struct rt_serve_config c = lin_config(&k.l, 160, 1000, 100, 10);
    c.max_running = 8;
    c.step = counted_step;
    c.step_ctx = &k;
    struct rt_serve_result full, r;
    cr_assert_eq(rt_serve_sim(&c, &full), RT_OK);
    long all = k.calls;
    cr_assert_gt(full.ttft_mean_s, 1.0, "overloaded: TTFT %g s", full.ttft_mean_s);
    k.calls = 0;
    c.give_up_ttft = 0.1;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    cr_assert(isinf(r.ttft_mean_s), "gave up: %g", r.ttft_mean_s);
    cr_assert_lt(k.calls, all / 2, "stopped early: %ld of %ld steps", k.calls, all);
    /* the ITL: each request's 9 gaps take a 10 ms step each, 10 ms; a 5 ms target is missed */
    k.calls = 0;
    c.give_up_ttft = 0;
    c.give_up_itl = 0.005;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    cr_assert(isinf(r.itl_mean_s) && k.calls < all, "ITL gave up after %ld of %ld steps", k.calls, all);
    /* targets met exactly: the whole run, the same figures */
    c.give_up_ttft = full.ttft_mean_s;
    c.give_up_itl = full.itl_mean_s;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    cr_assert_eq(memcmp(&r, &full, sizeof r), 0, "TTFT %g vs %g, ITL %g vs %g", r.ttft_mean_s, full.ttft_mean_s,
                 r.itl_mean_s, full.itl_mean_s);
}

/* The step cache (stepcache.h) keeps what a scenario's step model computes once; a step
 * timed through it must be the very number rt_step_time gives, to the bit, whatever came
 * before it: the same token count again (a kept result), another (recomputed), prefill
 * and decode mixed, on a dense model, an MoE one under expert parallel, a GGUF format
 * (llama.cpp's kernel classes change with the tokens) and pipeline stages.  A sequence
 * that returns to an earlier count after others checks that nothing stale is kept; SGLang on
 * an A100 times decode attention by FlashInfer's measured curve (attn.c), which the cache
 * looks up once. */
Test(serve, step_cache_gives_the_same_step_times_to_the_bit)
{
    static const struct { const char *model, *gpu, *w, *engine; int64_t n, ep, pp; } cases[] = {
        { "llama-3.1-70b", "h100-sxm", "fp8", "vllm", 2, 0, 1 },
        { "qwen3-30b-a3b", "h100-sxm", "bf16", "trtllm-pytorch", 4, 4, 1 },
        { "llama-3.1-8b", "rtx-4090", "q4_k_m", "llama.cpp", 1, 0, 1 },
        { "llama-3.1-70b", "h100-sxm", "bf16", "sglang", 4, 0, 2 },
        { "llama-2-7b", "a100-pcie-80g", "bf16", "sglang", 1, 0, 1 },
    };
    static const double steps[][4] = {
        { 0, 0, 1, 1024 }, { 0, 0, 1, 1024 }, { 512, 256, 7, 900 }, { 0, 0, 7, 901 },
        { 4096, 2048, 0, 0 }, { 0, 0, 64, 2000 }, { 512, 256, 7, 900 }, { 3, 1500, 61, 1200 },
        { 0, 0, 1, 1024 }, { 8192, 4096.5, 255, 3000 }, { 0, 0, 255, 3000 }, { 0, 0, 1, 5 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct rt_resolved *rs = scen(cases[k].model, cases[k].gpu, cases[k].w, cases[k].n, 1, 1024, 256,
                                      cases[k].engine);
        struct rt_scenario s = rs->s;
        s.ep = cases[k].ep;
        s.pp = cases[k].pp;
        s.tp = s.devices / s.pp;
        char err[256];
        cr_assert_eq(rt_validate(&s, err, sizeof err), RT_OK, "%s: %s", cases[k].model, err);
        struct rt_serve_step st;
        struct rt_serve_config c;
        struct rt_serve_opts o = { .rate = 1 };
        rt_serve_config_of(&s, &o, &st, &c);
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
            const double *a = steps[i];
            double want = rt_step_time(&s, &st.p, a[0], a[1], a[2], a[3], NULL);
            double got = rt_step_cached(&st.cache, &s, &st.p, a[0], a[1], a[2], a[3]);
            cr_assert(want > 0 && memcmp(&want, &got, sizeof want) == 0, "%s step %zu: %.17g cached, %.17g computed",
                      cases[k].model, i, got, want);
        }
    }
}

/* The engine profile's kv_policy (engines.cfg) is how a run holds each sequence's cache:
 * vLLM's paged blocks (preempted and recomputed when they run out: its optimization.md,
 * "Preemption"), SGLang's token pool (retract_decode) and TurboMind 2's blocks grow with
 * the sequence; TensorRT-LLM's default capacity policy, GUARANTEED_NO_EVICT, admits a
 * request only with the cache to finish it (useful-runtime-flags.md), and the engines
 * without a stated policy reserve too.  --kv-policy overrides the profile, and says so in
 * the source.  (The growing cache itself is worked by hand in the next test.) */
Test(serve, the_profile_kv_policy_decides_whether_the_cache_grows)
{
    const char *grow[] = { "vllm", "vllm-async", "sglang", "sglang-0.4.1", "lmdeploy" };
    const char *reserve[] = { "trtllm-cpp", "trtllm-pytorch", "llama.cpp", "ideal" };
    struct rt_serve_opts o = { .rate = INFINITY, .requests = 10 };
    struct rt_serve_step st;
    struct rt_serve_config c;
    for (size_t i = 0; i < sizeof grow / sizeof grow[0] + sizeof reserve / sizeof reserve[0]; i++) {
        bool g = i < sizeof grow / sizeof grow[0];
        const char *id = g ? grow[i] : reserve[i - sizeof grow / sizeof grow[0]];
        struct rt_resolved *rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 1024, 256, id);
        rt_serve_config_of(&rs->s, &o, &st, &c);
        cr_assert_eq(c.kv_grow, g, "%s", id);
        cr_assert_eq(rs->s.engine->kv_policy, g ? RT_KVP_GROW : RT_KVP_RESERVE, "%s", id);
        if (strcmp(id, "ideal") && strcmp(id, "llama.cpp"))
            cr_assert(strncmp(rs->s.engine->src.kv_policy, g ? "grow: " : "reserve: ", g ? 6 : 9) == 0, "%s: %s", id,
                      rs->s.engine->src.kv_policy);
    }
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.engine, sizeof sp.engine, "vllm");
    snprintf(sp.kv_policy, sizeof sp.kv_policy, "reserve");
    static struct rt_resolved rs;
    char err[256];
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK, "%s", err);
    rt_serve_config_of(&rs.s, &o, &st, &c);
    cr_assert_not(c.kv_grow);
    cr_assert_str_eq(rs.s.engine->src.kv_policy, "--kv-policy");
    snprintf(sp.kv_policy, sizeof sp.kv_policy, "swap");
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "--kv-policy: 'swap' is not reserve or grow"), "%s", err);
}

/* The cache as sequences grow (kv_grow, TurboMind 2's paged blocks), worked by hand.  Every
 * step 1 ms; a cache of 30 tokens; 3 requests at time 0 of 10 prompt and 6 output tokens
 * (16 at the end).  Reserving the final context, one runs at a time (30 / 16): first tokens
 * at 1, 7 and 13 ms (each prefill 1 ms after the previous one ends at 6 and 12): mean 7 ms.
 * Growing: r0 and r1 are admitted on their prompts and first tokens (11 + 11 = 22 <= 30; r2
 * would make 33) and make their first tokens at 1 ms, holding 22.  Four decode steps fill
 * the cache (22 + 2 x 4 = 30, t = 5); the next needs 32, so r1, the newer, is preempted
 * with 5 tokens made (r0 now holds 15).  r0's last step ends it at 6 ms.  At 6 r1, older
 * than r2, resumes first (it recomputes 10 + 5 = 15 tokens), then r2 fits (15 + 11 = 26): one
 * 1 ms step recomputes r1 and prefills r2, whose first token comes at 7 ms.  r1 has 1 token
 * left: done at 8; r2 its 5: done at 12.  TTFT (1 + 1 + 7) / 3 = 3 ms; end to end (6 + 8 +
 * 12) / 3 = 26/3 ms. */
Test(serve, growing_cache_admits_on_the_prompt_and_preempts_the_newest)
{
    struct lin l = { 0.001, 0, 0 };
    struct rt_serve_config c = lin_config(&l, INFINITY, 3, 10, 6);
    c.kv_capacity = 30;
    c.kv_seq = 16;
    struct rt_serve_result r;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    cr_assert_eq(r.max_running, 1);
    assert_rel(r.ttft_mean_s, 0.007, 1e-9, "reserving: TTFT %g", r.ttft_mean_s);
    c.kv_grow = true;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    cr_assert_eq(r.max_running, 2);
    assert_rel(r.ttft_mean_s, 0.003, 1e-9, "growing: TTFT %g", r.ttft_mean_s);
    assert_rel(r.e2e_mean_s, 0.026 / 3, 1e-9, "growing: end to end %g", r.e2e_mean_s);
    assert_rel(r.duration_s, 0.012, 1e-9, "growing: duration %g", r.duration_s);
}

/* The capacity's runs stop at their third quartile: the rate is (b - a) / (t_b - t_a) over
 * the completion times of the a = n/4-th and b = 3n/4-th requests to complete, and requests
 * complete in time order, so no later step can change it.  The constant 10 ms step of 8
 * sequences of 10 tokens (capacity_of_a_constant_step): capacity takes n = max(400, 8 x 8) =
 * 400 requests; all at once they complete in waves of 8 every 0.1 s, request 100 in the 13th
 * wave (1.3 s), request 300 in the 38th (3.8 s): 200 / 2.5 = 80 requests/s; at 1.5 x 80 the
 * queue never empties and the waves are the same.  Each run stops after 38 of its 50 waves:
 * the capacity steps fewer than 80% of what the same two runs to their end take. */
Test(serve, capacity_runs_stop_at_their_third_quartile)
{
    struct counted k = { { 0.01, 0, 0 }, 0 };
    struct rt_serve_config c = lin_config(&k.l, 10, 2000, 100, 10);
    c.max_running = 8;
    c.step = counted_step;
    c.step_ctx = &k;
    double cap = rt_serve_capacity(&c);
    assert_rel(cap, 80.0, 1e-9, "capacity %g", cap);
    long stopped = k.calls;
    struct rt_serve_config full = c;
    full.requests = 400;
    struct rt_serve_result r;
    k.calls = 0;
    full.rate = INFINITY;
    cr_assert_eq(rt_serve_sim(&full, &r), RT_OK);
    full.rate = 1.5 * 80.0;
    cr_assert_eq(rt_serve_sim(&full, &r), RT_OK);
    cr_assert(stopped > 0 && stopped < 0.8 * (double)k.calls, "%ld steps against %ld to the end", stopped, k.calls);
}
