/* roundtrip.h - what rooftop writes, it reads back: the calibrated profiles'
 * file, sessions and the dashboard's preferences, each filled from arbitrary
 * bytes (any double, NaN and infinities included; any text), written, read
 * and compared.  Shared by tests/test_roundtrip.c and the libFuzzer targets
 * fuzz_calsave and fuzz_writers.  Each check returns NULL, or what differs. */
#ifndef ROOFTOP_ROUNDTRIP_H
#define ROOFTOP_ROUNDTRIP_H
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "accuracy/calsave.h"
#include "catalog/catalog.h"
#include "scenario/inputs.h"
#include "scenario/session.h"
#include "tui/prefs.h"
#include "core/core.h"

struct bytes {
    const uint8_t *p;
    size_t n;
};

static inline uint8_t take8(struct bytes *b)
{
    if (!b->n)
        return 0;
    b->n--;
    return *b->p++;
}

static inline double take_double(struct bytes *b)
{
    uint8_t kind = take8(b);
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u = u << 8 | take8(b);
    double d;
    memcpy(&d, &u, sizeof d);
    switch (kind % 4) {
    case 0: return d;                                    /* any bit pattern: NaN, inf, subnormal */
    case 1: return (double)(u % 100000) / 1000.0;        /* an ordinary value */
    case 2: return ldexp((double)(u % 1000) + 1, (int)(kind % 64) - 40);
    default: return -(double)(u % 1000);
    }
}

/* Text of up to max-1 bytes: any bytes when raw, else from an id's alphabet. */
static inline void take_text(struct bytes *b, char *out, size_t max, int raw)
{
    static const char id_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789-._";
    size_t n = take8(b) % max;
    size_t k = 0;
    for (size_t i = 0; i < n && b->n; i++) {
        uint8_t c = take8(b);
        if (raw) {
            if (c)
                out[k++] = (char)c;
        } else {
            out[k++] = id_chars[c % (sizeof id_chars - 1)];
        }
    }
    out[k] = 0;
}

static inline int rt_near(double a, double b)
{
    /* a few ulps: the file's units (x1e6 on the way out, x1e-6 on the way in) round twice */
    return a == b || fabs(a - b) <= 1e-15 * fmax(fabs(a), fabs(b));
}

/* ---- the calibrated profiles' file ---- */

static inline void engine_from_bytes(struct bytes *b, struct rt_engine *e)
{
    memset(e, 0, sizeof *e);
    take_text(b, e->id, sizeof e->id, take8(b) == 0xff);
    take_text(b, e->name, sizeof e->name, 1);
    e->mbu = take_double(b);
    e->mfu = take_double(b);
    for (int i = 0; i < 3; i++)
        e->mbu_class[i] = take_double(b);
    for (int f = 0; f < RT_FAM_N; f++) {
        e->mbu_family[f] = take8(b) & 1 ? take_double(b) : 1.0;
        e->mfu_family[f] = take8(b) & 1 ? take_double(b) : 1.0;
        e->band_runs[f] = (int)((int8_t)take8(b)) * 100000;
        e->band_in[f] = (int)((int8_t)take8(b)) * 1000;
    }
    e->step_overhead_s = take_double(b);
    e->layer_overhead_s = take_double(b);
    e->request_overhead_s = take_double(b);
    e->stage_overhead_s = take_double(b);
    e->half_accumulate = take8(b) & 1;
    e->context_bytes = take_double(b);
    e->mem_util = take_double(b);
    e->mem_util_of_free = take8(b) & 1;
    double mbt = take_double(b) * (take8(b) & 1 ? 1 : 100000);
    e->max_batched_tokens = isfinite(mbt) && fabs(mbt) < 9e18 ? (int64_t)mbt : 0;
    e->max_seqs = (int64_t)(take8(b)) << (take8(b) % 40);
    e->band_low = take_double(b);
    e->band_high = take_double(b);
    e->moe_pad_block = take8(b) & 1 ? take_double(b) : (double)take8(b) * 16; /* the kernels group's only field */
}

static inline const char *engine_diff(const struct rt_engine *a, const struct rt_engine *b)
{
    if (strcmp(a->id, b->id) || strcmp(a->name, b->name))
        return "id or name";
    if (!rt_near(a->mbu, b->mbu) || !rt_near(a->mfu, b->mfu))
        return "mbu or mfu";
    for (int i = 0; i < 3; i++)
        if (!rt_near(a->mbu_class[i], b->mbu_class[i]))
            return "mbu_class";
    for (int f = 0; f < RT_FAM_N; f++)
        if (!rt_near(a->mbu_family[f], b->mbu_family[f]) || !rt_near(a->mfu_family[f], b->mfu_family[f]) ||
            a->band_in[f] != b->band_in[f] || a->band_runs[f] != b->band_runs[f])
            return "a family factor or coverage";
    if (!rt_near(a->step_overhead_s, b->step_overhead_s) || !rt_near(a->layer_overhead_s, b->layer_overhead_s) ||
        !rt_near(a->request_overhead_s, b->request_overhead_s) || !rt_near(a->stage_overhead_s, b->stage_overhead_s))
        return "an overhead";
    if (a->half_accumulate != b->half_accumulate || a->mem_util_of_free != b->mem_util_of_free)
        return "a switch";
    if (!rt_near(a->context_bytes, b->context_bytes) || !rt_near(a->mem_util, b->mem_util))
        return "context_gb or mem_util";
    if (a->max_batched_tokens != b->max_batched_tokens || a->max_seqs != b->max_seqs)
        return "max_batched_tokens or max_seqs";
    if (!rt_near(a->band_low, b->band_low) || !rt_near(a->band_high, b->band_high))
        return "the band";
    if (a->moe_pad_block != b->moe_pad_block)
        return "kernels.moe_pad_block";
    return NULL;
}

/* Clamped, written and read back: equal; or refused (a non-finite field, an id
 * the catalog would refuse) -- never a text the catalog would not read. */
static inline const char *check_engine_roundtrip(const struct rt_engine *in, char *why, size_t n)
{
    struct rt_engine e = *in;
    char w[128];
    if (!calib_clamp(&e, w, sizeof w))
        return NULL; /* refused: nothing written */
    char *text = calib_profiles_text(&e, 1);
    if (!text)
        return "out of memory";
    struct catalog c;
    catalog_init(&c);
    char err[CAT_ERR_MAX];
    int rc = catalog_merge_text(&c, text, "calibrated-engines.cfg", NULL, err, sizeof err);
    const char *bad = NULL;
    if (rc != RT_OK) {
        /* only an id the catalog refuses may fail, and calibrate_save refuses it first */
        if (!strstr(err, "not a valid id") && !strstr(err, "id: missing")) {
            snprintf(why, n, "written, then refused: %s", err);
            bad = why;
        }
    } else if (c.n_engines != 1) {
        bad = "not one profile read back";
    } else if ((bad = engine_diff(&e, &c.engines[0]))) {
        snprintf(why, n, "%s changed on the way", bad);
        bad = why;
    }
    catalog_free(&c);
    free(text);
    return bad;
}

/* ---- sessions: every input set from text as the command line sets it ---- */

static inline const char *check_session_roundtrip(struct bytes *b, char *why, size_t n)
{
    struct session s;
    session_default(&s);
    for (size_t i = 0; i < n_inputs; i++) {
        char text[96], w[128];
        if (!(take8(b) & 1))
            continue;
        if (inputs[i].type == IN_ID) {
            take_text(b, text, sizeof text, take8(b) & 1);
        } else {
            double d = take_double(b);
            snprintf(text, sizeof text, take8(b) & 1 ? "%.17g" : "%.3g", d);
        }
        input_parse(&inputs[i], &s.spec, text, w, sizeof w);
    }
    take_text(b, s.field, sizeof s.field, take8(b) & 1);
    take_text(b, s.theme, sizeof s.theme, take8(b) & 1);
    char err[512];
    char *text = session_text(&s, err, sizeof err);
    if (!text)
        return NULL; /* refused: nothing written */
    struct session back;
    const char *bad = NULL;
    if (session_parse(text, "s.cfg", &back, err, sizeof err) != RT_OK) {
        snprintf(why, n, "written, then refused: %s", err);
        bad = why;
    } else {
        for (size_t i = 0; i < n_inputs && !bad; i++) {
            char x[4200], y[4200];
            input_format(&inputs[i], &s.spec, x, sizeof x);
            input_format(&inputs[i], &back.spec, y, sizeof y);
            if (strcmp(x, y)) {
                snprintf(why, n, "%s: %s became %s", inputs[i].session_key, x, y);
                bad = why;
            }
        }
        if (!bad && (strcmp(s.field, back.field) || strcmp(s.theme, back.theme)))
            bad = "the ui group changed";
    }
    free(text);
    return bad;
}

/* ---- the dashboard's preferences ---- */

static inline const char *check_prefs_roundtrip(struct bytes *b, char *why, size_t n)
{
    struct prefs p, back;
    memset(&p, 0, sizeof p);
    take_text(b, p.theme, sizeof p.theme, take8(b) & 1);
    take_text(b, p.last_session, sizeof p.last_session, take8(b) & 1);
    char *text = prefs_text(&p);
    if (!text)
        return NULL;
    prefs_parse(text, "prefs.cfg", NULL, &back);
    free(text);
    if (strcmp(p.theme, back.theme) || strcmp(p.last_session, back.last_session)) {
        snprintf(why, n, "prefs: '%s' '%s' became '%s' '%s'", p.theme, p.last_session, back.theme, back.last_session);
        return why;
    }
    return NULL;
}
#endif
