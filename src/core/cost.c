/* cost.c - rented, owned and API cost at a load.
 *
 * One setup costs a fixed amount per wall-clock hour (rent: price x devices;
 * owned: purchase x devices written off over the lifetime) plus, when owned,
 * electricity while it works: devices x TDP x load factor x PUE x price, times
 * the share of time it works (idle draw is not counted).  The energy per token
 * (devices x TDP x load factor x PUE while working) is given for rented setups too.  A load of R requests
 * per second needs ceil(R / capacity) setups, each working R / (setups x
 * capacity) of the time.  Per-token figures divide the cost by the tokens served.
 */
#include <math.h>
#include <string.h>
#include "core/cost.h"

static double per_m(double usd_per_hour, double tokens_per_hour)
{
    return tokens_per_hour > 0 ? usd_per_hour / tokens_per_hour * RT_PER_MTOK : INFINITY;
}

void rt_cost(const struct rt_cost_in *in, struct rt_cost *o)
{
    memset(o, 0, sizeof *o);
    double n = in->devices > 0 ? (double)in->devices : 1;
    double pue = in->pue > 0 ? in->pue : 1, lf = in->load_factor > 0 ? in->load_factor : 1;
    double out_tok = in->output > 0 ? (double)in->output : 1, in_tok = in->prompt > 0 ? (double)in->prompt : 0;
    double cap = in->capacity_rps > 0 ? in->capacity_rps : in->output_tok_s / out_tok;
    o->owned = in->purchase_usd > 0;

    /* fixed cost per setup-hour, and power cost per setup-hour at full use */
    double fixed = 0, power_full = 0;
    if (o->owned) {
        if (in->lifetime_years > 0)
            fixed = in->purchase_usd * n / (in->lifetime_years * RT_HOURS_PER_YEAR);
        power_full = n * in->tdp_w * lf * pue / 1000.0 * in->kwh_usd;
    } else {
        fixed = in->price_hour * n;
    }

    /* the load: setups needed and the share of time each works */
    double replicas = 1, util = in->utilization;
    if (in->rate_rps > 0 && cap > 0) {
        replicas = ceil(in->rate_rps / cap - 1e-12);
        if (replicas < 1)
            replicas = 1;
        util = in->rate_rps / (replicas * cap);
        o->replicas = replicas;
        o->devices_needed = replicas * n;
    }
    if (!(util >= 0))
        util = 0;
    if (util > 1)
        util = 1;
    o->utilization = util;
    o->per_hour_usd = fixed + power_full * util;

    /* work per hour of all setups together */
    double req_h = (in->rate_rps > 0 && cap > 0 ? in->rate_rps : util * cap) * RT_S_PER_HOUR;
    double cost_h = replicas * o->per_hour_usd;
    o->per_mtok_output_usd = per_m(cost_h, req_h * out_tok);
    o->per_mtok_input_usd = per_m(cost_h, req_h * in_tok);
    o->per_request_usd = req_h > 0 ? cost_h / req_h : INFINITY;
    if (in->tdp_w > 0) { /* energy is drawn whoever pays for it */
        double kw = replicas * n * in->tdp_w * lf * pue * util / 1000.0;
        o->energy_per_mtok_kwh = req_h > 0 ? kw / (req_h * out_tok) * RT_PER_MTOK : INFINITY;
    }
    if (in->rate_rps > 0)
        o->per_month_usd = cost_h * RT_HOURS_PER_MONTH;

    /* the API: cost per request, and where self-hosting becomes cheaper:
     * r a 3600 >= ceil(r / C) F + (r / C) P  first holds at r = F / (3600 a - P / C)
     * when that is within one setup's capacity (each further setup repeats the sum) */
    if (in->api_in_usd_mtok > 0 || in->api_out_usd_mtok > 0) {
        double a = (in_tok * in->api_in_usd_mtok + out_tok * in->api_out_usd_mtok) / RT_PER_MTOK;
        o->api_per_request_usd = a;
        o->api_ttft_s = in->api_ttft_s;
        o->api_output_tok_s = in->api_output_tok_s;
        /* one request's time at the published medians: the first token, then the rest of
         * the output at the published speed (a TTFT not published counts as 0) */
        if (in->api_output_tok_s > 0)
            o->api_request_s = in->api_ttft_s + out_tok / in->api_output_tok_s;
        if (in->rate_rps > 0)
            o->api_per_month_usd = in->rate_rps * RT_S_PER_HOUR * RT_HOURS_PER_MONTH * a;
        o->breakeven_rps = INFINITY;
        if (cap > 0) {
            double margin = RT_S_PER_HOUR * a - power_full / cap;
            if (margin > 0) {
                double r = fixed / margin;
                if (r <= cap * (1 + 1e-12))
                    o->breakeven_rps = r;
            }
        }
    }
}
