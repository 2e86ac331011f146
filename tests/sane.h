/* sane.h - sanity bounds on every output figure, generated from the figures table
 * (output/figures.c), so a new figure is bounded the day it is added: each number the
 * scenario has (figure_present) must be a number, finite and not negative.  The
 * exceptions are the figures whose own rows say otherwise, each with its reason.
 * Shared by the hostile-input tests and the fuzz targets.  Returns the key of the
 * first bad figure, or NULL. */
#ifndef ROOFTOP_TEST_SANE_H
#define ROOFTOP_TEST_SANE_H
#include <math.h>
#include <stddef.h>
#include <string.h>
#include "core/core.h"
#include "output/figures.h"

/* Figures that may be infinite: a price per token when no token is made (the row's
 * comment in types.h: "INFINITY when no work is done"), a break-even that is never
 * reached, a request rate of "inf" (every request at once) and what is derived from it. */
static inline bool sane_may_be_infinite(const struct figure *f)
{
    static const char *const keys[] = { "cost.per_mtok_output_usd", "cost.per_mtok_input_usd",
                                        "cost.per_request_usd", "cost.breakeven_rps", "serving.rate_rps" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(f->key, keys[i]) == 0)
            return true;
    return false;
}

/* Figures that may be negative: a whole-number figure's -1, "none" (max_gpu_layers without
 * offload, min_n_cpu_moe without routed experts: types.h), and the free memory per device,
 * which its row defines as negative when the scenario is short of memory. */
static inline bool sane_may_be_negative(const struct figure *f, double v)
{
    return (f->kind == FK_INT && v == -1) || strcmp(f->key, "memory.free_per_device_bytes") == 0;
}

static inline const char *result_insane_ctx(const struct rt_resolved *rs, const struct rt_result *r)
{
    struct fig_ctx c = { rs, r };
    for (size_t i = 0; i < n_figures; i++) {
        const struct figure *f = &figures[i];
        if (f->kind == FK_TEXT || !figure_present(f, &c))
            continue;
        double v = figure_value(f, &c);
        if (isnan(v) && strcmp(f->key, "weights_ppl_delta") == 0)
            continue; /* null by design: no quality figure published for the format */
        if (isnan(v) || (isinf(v) && !sane_may_be_infinite(f)) || (v < 0 && !sane_may_be_negative(f, v)))
            return f->key;
        if (figure_has_band(f)) {
            double lo, hi;
            figure_band(f, &c, &lo, &hi);
            if (isnan(lo) || isnan(hi) || lo < 0 || hi < 0 || (isinf(hi) && !isinf(v)))
                return f->key;
        }
    }
    return NULL;
}

/* From a scenario alone (the fuzz targets have no resolved copy): the figures read the
 * scenario through it. */
static inline const char *result_insane(const struct rt_scenario *s, const struct rt_result *r)
{
    static struct rt_resolved rs;
    memset(&rs, 0, sizeof rs);
    rs.s = *s;
    return result_insane_ctx(&rs, r);
}
#endif
