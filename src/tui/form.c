/* form.c - see form.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "tui/form.h"
#include "scenario/inputs.h"
#include "core/core.h"
#include "core/limits.h"

/* The fields are inputs of scenario/inputs.c; these are their session keys. */
static const char *const keys[F_N] = { "model", "gpu", "devices", "weights", "kv", "engine",
                                       "batch", "prompt", "output", "gpu_layers",
                                       "rate", "price_hour", "api" };

static const struct input *field_input(enum field f) { return input_by_session_key(keys[f]); }
const char *field_label(enum field f) { return field_input(f)->field; }
const char *field_key(enum field f) { return keys[f]; }
int field_parse(const char *key)
{
    for (int i = 0; i < F_N; i++)
        if (strcmp(keys[i], key) == 0)
            return i;
    return -1;
}
bool field_is_number(enum field f)
{
    return f == F_DEVICES || f == F_BATCH || f == F_PROMPT || f == F_OUTPUT || f == F_LAYERS || f == F_RATE ||
           f == F_PRICE;
}
bool field_is_real(enum field f) { return f == F_RATE || f == F_PRICE; }
bool field_is_picker(enum field f) { return f == F_MODEL || f == F_GPU; }

static int64_t *number(struct rt_spec *sp, enum field f)
{
    switch (f) {
    case F_DEVICES: return &sp->devices;
    case F_BATCH: return &sp->batch;
    case F_PROMPT: return &sp->prompt;
    case F_OUTPUT: return &sp->output;
    case F_LAYERS: return &sp->gpu_layers;
    default: return NULL;
    }
}

void field_value(const struct rt_spec *sp, enum field f, char *buf, size_t n)
{
    switch (f) {
    case F_MODEL: snprintf(buf, n, "%s", sp->model); break;
    case F_GPU: snprintf(buf, n, "%s", sp->gpu[0] ? sp->gpu : "custom"); break;
    case F_WEIGHTS: snprintf(buf, n, "%s", sp->weights); break;
    case F_KV: snprintf(buf, n, "%s", sp->kv[0] ? sp->kv : "auto (16-bit)"); break;
    case F_ENGINE: snprintf(buf, n, "%s", sp->engine); break;
    case F_API: snprintf(buf, n, "%s", sp->api[0] ? sp->api : "none"); break;
    case F_RATE:
        if (sp->rate <= 0)
            snprintf(buf, n, "off");
        else if (sp->rate >= RT_RATE_INF)
            snprintf(buf, n, "inf (all at once)");
        else
            snprintf(buf, n, "%g req/s", sp->rate);
        break;
    case F_PRICE:
        if (sp->price_hour <= 0)
            snprintf(buf, n, "catalog");
        else
            snprintf(buf, n, "$%.*f/h", sp->price_hour < 1 ? 3 : 2, sp->price_hour);
        break;
    case F_LAYERS:
        if (sp->gpu_layers < 0)
            snprintf(buf, n, "all");
        else
            snprintf(buf, n, "%lld, rest in host", (long long)sp->gpu_layers);
        break;
    default: {
        int64_t v = *number((struct rt_spec *)sp, f);
        if (f == F_DEVICES && sp->devices <= 0)
            v = (sp->tp > 0 ? sp->tp : 1) * (sp->pp > 0 ? sp->pp : 1);
        snprintf(buf, n, "%lld", (long long)v);
    }
    }
}

void field_limits(enum field f, int64_t *min, int64_t *max)
{
    const struct input *in = field_input(f);
    *min = (int64_t)in->min;
    *max = (int64_t)in->max;
    if (f == F_DEVICES && *min < 1)
        *min = 1; /* 0 (derived from tp x pp) is for sessions */
    if (f == F_LAYERS && *min < 0)
        *min = 0; /* -1 (all) is reached by stepping past the last layer */
}

/* The inputs table parses it (8k = 8192, 1m = 1048576, limits strict). */
int field_parse_typed(enum field f, const char *text, int64_t *out, char *err, size_t errlen)
{
    const struct input *in = field_input(f);
    static struct rt_spec scratch;
    char why[200];
    if (!input_parse(in, &scratch, text, why, sizeof why)) {
        size_t digits = strspn(text, "0123456789");
        int64_t min, max;
        field_limits(f, &min, &max);
        if (digits > 15) /* past what a double holds exactly: say so rather than "not a number" */
            snprintf(err, errlen, "%s: too large, the most is %lld", field_label(f), (long long)max);
        else
            snprintf(err, errlen, "%s: %s", field_label(f), why);
        return -1;
    }
    int64_t v = input_int(in, &scratch), min, max;
    field_limits(f, &min, &max);
    if (v < min) {
        snprintf(err, errlen, "%s: the least is %lld", field_label(f), (long long)min);
        return -1;
    }
    *out = v;
    return 0;
}

int field_enter_typed(struct rt_spec *sp, enum field f, const char *text, bool *changed, char *err, size_t errlen)
{
    *changed = false;
    if (field_is_real(f)) {
        const struct input *in = field_input(f);
        static struct rt_spec scratch;
        char why[200];
        if (!input_parse(in, &scratch, text, why, sizeof why)) {
            snprintf(err, errlen, "%s: %s", field_label(f), why);
            return -1;
        }
        *changed = input_set_number(in, sp, input_number(in, &scratch));
        return 0;
    }
    int64_t v;
    if (field_parse_typed(f, text, &v, err, errlen) != 0)
        return -1;
    *changed = field_set_number(sp, f, v);
    return 0;
}

bool field_set_number(struct rt_spec *sp, enum field f, int64_t v)
{
    const struct input *in = field_input(f);
    if (!number(sp, f))
        return false;
    if (f == F_DEVICES && v < 1)
        v = 1; /* 0 (derived from tp x pp) is for sessions, not for the slider */
    if (!input_set_number(in, sp, (double)v))
        return false;
    if (f == F_DEVICES)
        sp->tp = sp->pp = 0; /* a device count alone means tensor parallel */
    return true;
}

static int64_t next_pow2(int64_t v, int dir)
{
    int64_t p = 1;
    if (dir > 0) {
        while (p <= v) p *= 2;
        return p;
    }
    while (p * 2 < v) p *= 2;
    return v <= 1 ? 0 : p;
}

/* GPU layers run from 0 to the model's layers; past the last, all (-1): no offload. */
static bool step_layers(const struct catalog *c, struct rt_spec *sp, int dir, bool pow2)
{
    const struct rt_model *m = catalog_model(c, sp->model);
    int64_t L = m ? m->layers : 1024, v = sp->gpu_layers < 0 ? L : sp->gpu_layers;
    int64_t nv = pow2 ? (dir > 0 ? (v ? v * 2 : 1) : v / 2) : v + dir;
    if (nv < 0)
        nv = 0;
    if (nv >= L)
        nv = -1;
    if (nv == sp->gpu_layers)
        return false;
    sp->gpu_layers = nv;
    return true;
}

/* The rate steps in powers of two, from 1/16 to 2^20 requests per second;
 * below 1/16 it is off (0). */
#define RATE_LOW (1.0 / 16)
#define RATE_HIGH 1048576.0
static bool step_rate(struct rt_spec *sp, int dir)
{
    double v = sp->rate, nv;
    if (v >= RT_RATE_INF)
        nv = dir > 0 ? v : RATE_HIGH;
    else if (dir > 0)
        nv = v <= 0 ? 1 : fmin(exp2(floor(log2(v) + 1e-9) + 1), RATE_HIGH);
    else if (v <= 0)
        nv = 0;
    else {
        nv = exp2(ceil(log2(v) - 1e-9) - 1);
        if (nv < RATE_LOW)
            nv = 0;
    }
    return input_set_number(field_input(F_RATE), sp, nv);
}

/* The price moves by about a tenth of itself, rounded to that step (from the
 * catalog's price when none is set); [ and ] halve and double it. */
static bool step_price(const struct catalog *c, struct rt_spec *sp, int dir, bool pow2)
{
    double v = sp->price_hour;
    if (v <= 0) {
        const struct rt_device *d = catalog_device(c, sp->gpu);
        v = d && d->price_hour > 0 ? d->price_hour : 1;
    }
    double st = pow(10, floor(log10(v)) - 1), nv;
    if (pow2)
        nv = dir > 0 ? v * 2 : v / 2;
    else
        nv = round(v / st) * st + dir * st;
    if (nv < 0.001)
        nv = 0.001;
    return input_set_number(field_input(F_PRICE), sp, nv);
}

bool field_step(const struct catalog *c, struct rt_spec *sp, enum field f, int dir, bool pow2)
{
    if (f == F_LAYERS)
        return step_layers(c, sp, dir, pow2);
    if (f == F_RATE)
        return step_rate(sp, dir);
    if (f == F_PRICE)
        return step_price(c, sp, dir, pow2);
    int64_t *p = number(sp, f);
    if (p) {
        int64_t v = *p;
        if (f == F_DEVICES && v <= 0)
            v = 1;
        int64_t step = f == F_PROMPT || f == F_OUTPUT ? 128 : 1;
        int64_t nv = pow2 ? next_pow2(v, dir) : v + dir * step;
        if (!pow2 && step > 1 && dir < 0 && v % step)
            nv = v - v % step; /* land on the grid */
        return field_set_number(sp, f, nv);
    }
    const char *ids[512], *names[512];
    int n = field_choices(c, sp, f, "", ids, names, 512);
    if (n == 0)
        return false;
    char cur[RT_ID_MAX * 4];
    field_value(sp, f, cur, sizeof cur);
    int at = -1;
    for (int i = 0; i < n; i++)
        if (strcmp(ids[i], cur) == 0)
            at = i;
    int next = at < 0 ? 0 : (at + dir + n) % n;
    field_set_choice(sp, f, ids[next]);
    return true;
}

bool field_filter_match(const char *filter, const char *a, const char *b)
{
    if (!*filter)
        return true;
    const char *hay[2] = { a, b };
    size_t fl = strlen(filter);
    for (int k = 0; k < 2; k++) {
        if (!hay[k])
            continue;
        for (const char *p = hay[k]; *p; p++) {
            size_t i = 0;
            while (i < fl && p[i] && (p[i] | 32) == (filter[i] | 32))
                i++;
            if (i == fl)
                return true;
        }
    }
    return false;
}

int field_choices(const struct catalog *c, const struct rt_spec *sp, enum field f, const char *filter,
                  const char **ids, const char **names, int max)
{
    int n = 0;
    (void)sp;
    switch (f) {
    case F_MODEL:
        for (size_t i = 0; i < c->n_models && n < max; i++)
            if (field_filter_match(filter, c->models[i].id, c->models[i].name)) {
                ids[n] = c->models[i].id;
                names[n++] = c->models[i].name;
            }
        break;
    case F_GPU:
        for (size_t i = 0; i < c->n_devices && n < max; i++)
            if (field_filter_match(filter, c->devices[i].id, c->devices[i].name)) {
                ids[n] = c->devices[i].id;
                names[n++] = c->devices[i].name;
            }
        break;
    case F_WEIGHTS:
    case F_KV:
        if (f == F_WEIGHTS && n < max && field_filter_match(filter, "native", "the format the model ships in")) {
            ids[n] = "native";
            names[n++] = "native";
        }
        for (size_t i = 0; i < c->n_formats && n < max; i++)
            if ((f == F_WEIGHTS || c->formats[i].kv_ok) && field_filter_match(filter, c->formats[i].id, NULL)) {
                ids[n] = c->formats[i].id;
                names[n++] = c->formats[i].id;
            }
        break;
    case F_API:
        if (field_filter_match(filter, "none", "no API comparison") && n < max) {
            ids[n] = "none";
            names[n++] = "no API comparison";
        }
        for (size_t i = 0; i < c->n_apis && n < max; i++)
            if (field_filter_match(filter, c->apis[i].id, c->apis[i].name)) {
                ids[n] = c->apis[i].id;
                names[n++] = c->apis[i].name;
            }
        break;
    case F_ENGINE:
        for (size_t i = 0; i < c->n_engines && n < max; i++)
            if (field_filter_match(filter, c->engines[i].id, c->engines[i].name)) {
                ids[n] = c->engines[i].id;
                names[n++] = c->engines[i].name;
            }
        break;
    default: break;
    }
    return n;
}

void field_set_choice(struct rt_spec *sp, enum field f, const char *id)
{
    switch (f) {
    case F_MODEL: snprintf(sp->model, sizeof sp->model, "%s", id); break;
    case F_GPU: snprintf(sp->gpu, sizeof sp->gpu, "%s", id); break;
    case F_WEIGHTS: snprintf(sp->weights, sizeof sp->weights, "%s", id); break;
    case F_KV: snprintf(sp->kv, sizeof sp->kv, "%s", id); break;
    case F_ENGINE: snprintf(sp->engine, sizeof sp->engine, "%s", id); break;
    case F_API: snprintf(sp->api, sizeof sp->api, "%s", strcmp(id, "none") ? id : ""); break;
    default: break;
    }
}

bool format_native(const struct catalog *c, const struct rt_spec *sp, const char *fmt_id)
{
    const struct rt_device *d = catalog_device(c, sp->gpu);
    const struct rt_format *f = catalog_format(c, fmt_id);
    bool native = true;
    if (d && f)
        rt_compute_peak(d, f->compute, &native); /* the core decides what runs natively */
    return native;
}
