/* form.c - see form.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "tui/form.h"
#include "scenario/inputs.h"
#include "scenario/devlist.h"
#include "core/core.h"
#include "core/limits.h"
#include "base/units.h"

/* Field f is the f-th row of the inputs table with a FIELD. */
const struct input *field_input(int f)
{
    for (size_t i = 0; i < n_inputs; i++)
        if (inputs[i].field && f-- == 0)
            return &inputs[i];
    return NULL;
}

int form_fields(void)
{
    int n = 0;
    for (size_t i = 0; i < n_inputs; i++)
        n += inputs[i].field != NULL;
    return n;
}

int field_parse(const char *key)
{
    for (int f = 0, n = form_fields(); f < n; f++)
        if (strcmp(field_input(f)->session_key, key) == 0)
            return f;
    return -1;
}
int field_named(const char *key) { return field_parse(key); }
const char *field_label(int f) { return field_input(f)->field->label; }
const char *field_key(int f) { return field_input(f)->session_key; }
bool field_is_number(int f) { return field_input(f)->type != IN_ID; }
bool field_is_real(int f) { return field_input(f)->type == IN_REAL; }
bool field_is_picker(int f)
{
    enum input_choice ch = field_input(f)->choice;
    return ch == CH_MODEL || ch == CH_DEVICE;
}
static enum input_step step_of(int f) { return field_input(f)->field->step; }

void field_value(const struct rt_spec *sp, int f, char *buf, size_t n)
{
    const struct input *in = field_input(f);
    const char *none = in->field->none_text;
    if (in->type == IN_ID) {
        const char *v = input_text(in, sp);
        snprintf(buf, n, "%s", !v[0] && none ? none : v);
        return;
    }
    double x = input_number(in, sp);
    int64_t v = input_int(in, sp);
    switch (in->field->step) {
    case STEP_RATE:
        if (x <= 0)
            snprintf(buf, n, "%s", none);
        else if (x >= in->max) /* with Clients set: their closed loop */
            snprintf(buf, n, sp->concurrency > 0 ? "inf (closed loop)" : "inf (all at once)");
        else
            snprintf(buf, n, "%g %s", x, in->unit);
        break;
    case STEP_PRICE:
        if (x <= 0)
            snprintf(buf, n, "%s", none);
        else
            snprintf(buf, n, "$%.*f/h", x < 1 ? 3 : 2, x);
        break;
    case STEP_AMOUNT:
        if (x <= 0)
            snprintf(buf, n, "%s", none);
        else if (strcmp(in->unit, "USD") == 0)
            snprintf(buf, n, "$%.6g", x);
        else
            snprintf(buf, n, "%g %s", x, in->unit);
        break;
    case STEP_TIME:
        if (x <= 0)
            snprintf(buf, n, "%s", none);
        else
            fmt_time(buf, n, x);
        break;
    case STEP_LAYERS:
        if (v < 0)
            snprintf(buf, n, "%s", none);
        else
            snprintf(buf, n, "%lld, rest in host", (long long)v);
        break;
    case STEP_REPLICAS:
        snprintf(buf, n, "%lld", (long long)(v < 1 ? 1 : v)); /* 0: one replica */
        break;
    case STEP_DEVICES:
        if (devlist_is_list(sp->gpu)) { /* the list in the GPU field sets the count */
            snprintf(buf, n, "%d (list)", devlist_count(sp->gpu));
            break;
        }
        if (v <= 0) /* derived from the tensor and pipeline degrees */
            v = (sp->tp > 0 ? sp->tp : 1) * (sp->pp > 0 ? sp->pp : 1);
        snprintf(buf, n, "%lld", (long long)v);
        break;
    default:
        if (none && x <= 0 && in->type != IN_REAL)
            snprintf(buf, n, "%s", none); /* a count whose 0 means none: Clients "off" */
        else if (in->type == IN_REAL)
            snprintf(buf, n, "%g", x);
        else
            snprintf(buf, n, "%lld", (long long)v);
        break;
    }
}

void field_limits(int f, int64_t *min, int64_t *max)
{
    const struct input *in = field_input(f);
    *min = (int64_t)in->min;
    *max = (int64_t)in->max;
    if ((in->field->step == STEP_DEVICES || in->field->step == STEP_REPLICAS) && *min < 1)
        *min = 1; /* 0 (derived from tp x pp) is for sessions */
    if (in->field->step == STEP_LAYERS && *min < 0)
        *min = 0; /* -1 (all) is reached by stepping past the last layer */
}

static bool set_number(struct rt_spec *sp, int f, int64_t v);
static void settle(struct rt_spec *sp, int f, const struct rt_spec *was);
static void set_choice(struct rt_spec *sp, int f, const char *id);

/* The inputs table parses it (8k = 8192, 1m = 1048576, limits strict). */
int field_parse_typed(int f, const char *text, int64_t *out, char *err, size_t errlen)
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

bool field_locked(const struct rt_spec *sp, int f, char *why, size_t n)
{
    if (step_of(f) != STEP_DEVICES || !devlist_is_list(sp->gpu))
        return false;
    snprintf(why, n, "%s: %d, set by the device list in the GPU field (edit the list to change it)", field_label(f),
             devlist_count(sp->gpu));
    return true;
}

int field_enter_typed(struct rt_spec *sp, int f, const char *text, bool *changed, char *err, size_t errlen)
{
    *changed = false;
    if (field_locked(sp, f, err, errlen))
        return -1;
    if (field_is_real(f)) {
        const struct input *in = field_input(f);
        static struct rt_spec scratch;
        char why[200];
        if (!input_parse(in, &scratch, text, why, sizeof why)) {
            snprintf(err, errlen, "%s: %s", field_label(f), why);
            return -1;
        }
        struct rt_spec was = *sp;
        *changed = input_set_number(in, sp, input_number(in, &scratch));
        if (*changed)
            settle(sp, f, &was);
        return 0;
    }
    int64_t v;
    if (field_parse_typed(f, text, &v, err, errlen) != 0)
        return -1;
    *changed = field_set_number(sp, f, v);
    return 0;
}

/* Fields that go together on the dashboard (the spec refuses the other combinations); the one
 * just set wins, and what it reads is the spec before the change (was):
 *   DP       each replica keeps its devices: Devices (all of them) follows; not with Disagg
 *   Clients  a closed loop runs with every request ready: Rate inf (Disagg may stay: its
 *            groups run the loop side by side)
 *   Rate     a finite rate is an open loop, and off serves nothing: Clients off
 *   Disagg   one prefill and one decode group: DP 1 */
static void settle(struct rt_spec *sp, int f, const struct rt_spec *was)
{
    const char *key = field_key(f);
    if (strcmp(key, "dp") == 0) {
        int64_t from = was->dp > 1 ? was->dp : 1, to = sp->dp > 1 ? sp->dp : 1;
        if (was->devices > 0 && !devlist_is_list(sp->gpu))
            sp->devices = (was->devices / from > 0 ? was->devices / from : 1) * to;
        if (to > 1)
            sp->disagg[0] = 0;
    } else if (strcmp(key, "concurrency") == 0 && sp->concurrency > 0) {
        sp->rate = RT_RATE_INF;
    } else if (strcmp(key, "rate") == 0 && sp->rate < RT_RATE_INF) { /* a rate, or off: no closed loop */
        sp->concurrency = 0;
    } else if (strcmp(key, "disagg") == 0 && sp->disagg[0]) {
        if (sp->dp > 1 && sp->devices > 0)
            sp->devices = sp->devices / sp->dp > 0 ? sp->devices / sp->dp : 1;
        sp->dp = 0;
    }
}

bool field_set_number(struct rt_spec *sp, int f, int64_t v)
{
    struct rt_spec was = *sp;
    bool changed = set_number(sp, f, v);
    if (changed)
        settle(sp, f, &was);
    return changed;
}

static bool set_number(struct rt_spec *sp, int f, int64_t v)
{
    const struct input *in = field_input(f);
    if (in->type != IN_COUNT && in->type != IN_TOKENS)
        return false;
    bool devices = in->field->step == STEP_DEVICES;
    if (devices && devlist_is_list(sp->gpu))
        return false; /* the list sets the count (field_locked) */
    if (devices && v < 1)
        v = 1; /* 0 (derived from tp x pp) is for sessions, not for the slider */
    if (!input_set_number(in, sp, (double)v))
        return false;
    if (devices)
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
static bool step_layers(const struct catalog *c, const struct input *in, struct rt_spec *sp, int dir, bool pow2)
{
    const struct rt_model *m = catalog_model(c, sp->model);
    int64_t cur = input_int(in, sp), L = m ? m->layers : 1024, v = cur < 0 ? L : cur;
    int64_t nv = pow2 ? (dir > 0 ? (v ? v * 2 : 1) : v / 2) : v + dir;
    if (nv < 0)
        nv = 0;
    if (nv >= L)
        nv = -1;
    if (nv == cur)
        return false;
    return input_set_number(in, sp, (double)nv);
}

/* The rate steps in powers of two, from 1/16 to 2^20 requests per second;
 * below 1/16 it is off (0). */
#define RATE_LOW (1.0 / 16)
#define RATE_HIGH 1048576.0
static bool step_rate(const struct input *in, struct rt_spec *sp, int dir)
{
    double v = input_number(in, sp), nv;
    if (v >= in->max)
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
    return input_set_number(in, sp, nv);
}

/* The price moves by about a tenth of itself, rounded to that step (from the
 * catalog's price when none is set); [ and ] halve and double it. */
static bool step_price(const struct catalog *c, const struct input *in, struct rt_spec *sp, int dir, bool pow2)
{
    double v = input_number(in, sp);
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
    return input_set_number(in, sp, nv);
}

/* An amount: about a tenth of itself a step (x2 or /2 with pow2); from none, the catalog's
 * purchase price for a price, else 1 of the unit. */
static bool step_amount(const struct catalog *c, const struct input *in, struct rt_spec *sp, int dir, bool pow2)
{
    double v = input_number(in, sp);
    if (v <= 0) {
        const struct rt_device *d = strcmp(in->unit, "USD") == 0 ? catalog_device(c, sp->gpu) : NULL;
        return input_set_number(in, sp, d && d->price_usd > 0 ? d->price_usd : 1);
    }
    double st = pow(10, floor(log10(v)) - 1), nv;
    if (pow2)
        nv = dir > 0 ? v * 2 : v / 2;
    else
        nv = round(v / st) * st + dir * st;
    if (nv < in->min || nv <= 0)
        nv = 0; /* down past the least: none (the catalog's price; rented) */
    return input_set_number(in, sp, nv);
}

/* A time target: 1, 2, 5 x 10^k seconds from 1 ms to 1000 s (pow2: two rungs at a time); from
 * none, 100 ms; down past 1 ms, none. */
static bool step_time(const struct input *in, struct rt_spec *sp, int dir, bool pow2)
{
    static const double rung[] = { 1, 2, 5 };
    double v = input_number(in, sp), nv;
    if (v <= 0) {
        if (dir < 0)
            return false;
        return input_set_number(in, sp, 0.1);
    }
    /* the rungs as a list, the next one past v in the direction asked */
    double ladder[19];
    int n = 0;
    for (int e = -3; e <= 2; e++)
        for (int i = 0; i < 3; i++)
            ladder[n++] = rung[i] * pow(10, e);
    ladder[n++] = 1000;
    int at = -1; /* the last rung at or below v (-1: below the first) */
    for (int i = 0; i < n; i++)
        if (ladder[i] <= v * (1 + 1e-9))
            at = i;
    bool on = at >= 0 && fabs(ladder[at] - v) <= v * 1e-9;
    int moves = pow2 ? 2 : 1, i = dir > 0 ? at + moves : (on ? at - moves : at - moves + 1);
    if (i >= n)
        i = n - 1;
    nv = i < 0 ? 0 : ladder[i];
    return input_set_number(in, sp, nv);
}

static bool step_count(struct rt_spec *sp, int f, int dir, bool pow2)
{
    int64_t v = input_int(field_input(f), sp);
    enum input_step st = step_of(f);
    if ((st == STEP_DEVICES || st == STEP_REPLICAS) && v <= 0)
        v = 1;
    int64_t step = st == STEP_GRID ? 128 : st == STEP_DEVICES && sp->dp > 1 ? sp->dp : 1; /* whole replicas */
    int64_t nv = pow2 ? next_pow2(v, dir) : v + dir * step;
    if (!pow2 && step > 1 && dir < 0 && v % step)
        nv = v - v % step; /* land on the grid */
    return set_number(sp, f, nv);
}

static bool step_choice(const struct catalog *c, struct rt_spec *sp, int f, int dir)
{
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
    set_choice(sp, f, ids[next]);
    return true;
}

static bool step_field(const struct catalog *c, struct rt_spec *sp, int f, int dir, bool pow2)
{
    const struct input *in = field_input(f);
    switch (in->field->step) {
    case STEP_CHOICE: return step_choice(c, sp, f, dir);
    case STEP_LAYERS: return step_layers(c, in, sp, dir, pow2);
    case STEP_RATE: return step_rate(in, sp, dir);
    case STEP_PRICE: return step_price(c, in, sp, dir, pow2);
    case STEP_AMOUNT: return step_amount(c, in, sp, dir, pow2);
    case STEP_TENTH: return input_set_number(in, sp, round(input_number(in, sp) * 10 + dir) / 10);
    case STEP_TIME: return step_time(in, sp, dir, pow2);
    default: return step_count(sp, f, dir, pow2);
    }
}

bool field_step(const struct catalog *c, struct rt_spec *sp, int f, int dir, bool pow2)
{
    struct rt_spec was = *sp;
    bool changed = step_field(c, sp, f, dir, pow2);
    if (changed)
        settle(sp, f, &was);
    return changed;
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

/* An EAGLE-3 head fits the scenario's model: its hidden size and vocabulary (a model that is
 * not a catalog id, a file, takes every head; the resolution says whether it fits). */
static bool head_fits(const struct catalog *c, const struct rt_spec *sp, const struct rt_model *head)
{
    const struct rt_model *m = sp ? catalog_model(c, sp->model) : NULL;
    return !m || (m->hidden == head->draft_target_hidden && m->vocab == head->draft_target_vocab);
}

/* Request lengths offered by the Prompt len and Output len fields (the picker takes others typed). */
static const char *const dists[][2] = {
    { "fixed", "every request the mean (-p, -o)" },
    { "uniform:0.25", "uniform in [0.75, 1.25] x the mean" },
    { "uniform:0.5", "uniform in [0.5, 1.5] x the mean" },
    { "uniform:1", "uniform in [0, 2] x the mean" },
    { "lognormal:0.5", "lognormal, the mean as given, sigma 0.5" },
    { "lognormal:1", "lognormal, the mean as given, sigma 1" },
};
/* Disaggregated splits offered by the Disagg field, fewest devices first (the picker takes others
 * typed). */
static const char *const splits[][2] = {
    { "off", "prefill and decode on the same devices" },
    { "1:1", "1 prefill device, 1 decode" },   { "1:2", "1 prefill device, 2 decode" },
    { "2:1", "2 prefill devices, 1 decode" },  { "2:2", "2 prefill devices, 2 decode" },
    { "1:4", "1 prefill device, 4 decode" },   { "4:1", "4 prefill devices, 1 decode" },
    { "2:4", "2 prefill devices, 4 decode" },  { "4:2", "4 prefill devices, 2 decode" },
    { "4:4", "4 prefill devices, 4 decode" },  { "2:8", "2 prefill devices, 8 decode" },
    { "8:2", "8 prefill devices, 2 decode" },  { "4:8", "4 prefill devices, 8 decode" },
    { "8:4", "8 prefill devices, 4 decode" },  { "8:8", "8 prefill devices, 8 decode" },
};

/* What the KV policy field offers: the engine profile's (its none text), then each policy by the
 * catalog's name for it (engines.cfg kv_policy); each line whole in a 60-column picker. */
static const char *const kv_policy_about[RT_KVP_N] = {
    [RT_KVP_RESERVE] = "held whole from admission (TensorRT-LLM)",
    [RT_KVP_GROW] = "grown, newest preempted (vLLM, SGLang)",
};
static int kv_policy_choices(const struct input *in, const char *filter, const char **ids, const char **names, int max)
{
    int n = 0;
    if (n < max && field_filter_match(filter, in->field->none_text, "the engine profile's (--list-engines)")) {
        ids[n] = in->field->none_text;
        names[n++] = "the engine profile's (--list-engines)";
    }
    for (int k = 0; k < RT_KVP_N && n < max; k++)
        if (field_filter_match(filter, kv_policy_name(k), kv_policy_about[k])) {
            ids[n] = kv_policy_name(k);
            names[n++] = kv_policy_about[k];
        }
    return n;
}

/* The Split field's choices for the device list in the GPU field: by each device's memory (llama.cpp's
 * default), then for two devices 1,1 2,1 3,1 1,2 1,3, for more an equal split and each device given
 * twice the others' share; other weights are typed as --tensor-split or kept in a session. */
static int tsplit_choices(const struct rt_spec *sp, const char *filter, const char **ids, const char **names, int max)
{
    static char id[2 + RT_MIX_MAX + 1][4 * RT_MIX_MAX], name[2 + RT_MIX_MAX + 1][64];
    static const int two[5][2] = { { 1, 1 }, { 2, 1 }, { 3, 1 }, { 1, 2 }, { 1, 3 } };
    int nd = devlist_count(sp->gpu), k = 0, n = 0;
    snprintf(id[k], sizeof id[k], "by memory");
    snprintf(name[k++], sizeof name[0], "each device's memory");
    if (nd == 2)
        for (int i = 0; i < 5; i++)
            snprintf(id[k++], sizeof id[0], "%d,%d", two[i][0], two[i][1]);
    else if (nd > 2 && nd <= RT_MIX_MAX)
        for (int big = -1; big < nd; big++) { /* -1: all equal */
            size_t l = 0;
            for (int d = 0; d < nd; d++)
                l += (size_t)snprintf(id[k] + l, sizeof id[0] - l, "%s%d", d ? "," : "", d == big ? 2 : 1);
            k++;
        }
    for (int i = 1; i < k; i++)
        snprintf(name[i], sizeof name[0], "layers in ratio %s", id[i]);
    for (int i = 0; i < k && n < max; i++)
        if (field_filter_match(filter, id[i], name[i])) {
            ids[n] = id[i];
            names[n++] = name[i];
        }
    return n;
}

int field_choices(const struct catalog *c, const struct rt_spec *sp, int f, const char *filter,
                  const char **ids, const char **names, int max)
{
    int n = 0;
    enum input_choice ch = field_input(f)->choice;
    switch (ch) {
    case CH_MODEL: /* EAGLE-3 heads are drafts, offered in the Draft field */
        for (size_t i = 0; i < c->n_models && n < max; i++)
            if (!rt_model_is_draft_head(&c->models[i]) && field_filter_match(filter, c->models[i].id, c->models[i].name)) {
                ids[n] = c->models[i].id;
                names[n++] = c->models[i].name;
            }
        break;
    case CH_DEVICE:
        for (size_t i = 0; i < c->n_devices && n < max; i++)
            if (field_filter_match(filter, c->devices[i].id, c->devices[i].name)) {
                ids[n] = c->devices[i].id;
                names[n++] = c->devices[i].name;
            }
        break;
    case CH_FORMAT:
    case CH_KV_FORMAT:
    case CH_ATTN_FORMAT: /* attention: as --weights gives them, as the checkpoint ships them, or a format */
        if (ch == CH_ATTN_FORMAT && n < max && field_filter_match(filter, "auto", "as --weights gives them")) {
            ids[n] = "auto";
            names[n++] = "auto";
        }
        if (ch != CH_KV_FORMAT && n < max &&
            field_filter_match(filter, "native", ch == CH_FORMAT ? "the format the model ships in" : "as the checkpoint ships them")) {
            ids[n] = "native";
            names[n++] = "native";
        }
        for (size_t i = 0; i < c->n_formats && n < max; i++)
            if ((ch != CH_KV_FORMAT || c->formats[i].kv_ok) && field_filter_match(filter, c->formats[i].id, NULL)) {
                ids[n] = c->formats[i].id;
                names[n++] = c->formats[i].id;
            }
        break;
    case CH_API:
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
    case CH_ENGINE:
        for (size_t i = 0; i < c->n_engines && n < max; i++)
            if (field_filter_match(filter, c->engines[i].id, c->engines[i].name)) {
                ids[n] = c->engines[i].id;
                names[n++] = c->engines[i].name;
            }
        break;
    case CH_DRAFT: /* off, the model's own MTP layers, or a catalog model */
        if (n < max && field_filter_match(filter, "none", "no speculative decoding")) {
            ids[n] = "none";
            names[n++] = "no speculative decoding";
        }
        if (n < max && field_filter_match(filter, "mtp", "the model's own multi-token-prediction layers")) {
            ids[n] = "mtp";
            names[n++] = "the model's own multi-token-prediction layers";
        }
        /* the EAGLE-3 heads that fit the model (its hidden size and vocabulary) first, then the
         * other models */
        for (int heads = 1; heads >= 0; heads--)
            for (size_t i = 0; i < c->n_models && n < max; i++)
                if (rt_model_is_draft_head(&c->models[i]) == (heads == 1) && (heads == 0 || head_fits(c, sp, &c->models[i])) &&
                    field_filter_match(filter, c->models[i].id, c->models[i].name)) {
                    ids[n] = c->models[i].id;
                    names[n++] = c->models[i].name;
                }
        break;
    case CH_DIST: /* typed in the picker: any R or S the option takes */
        for (size_t i = 0; i < sizeof dists / sizeof dists[0] && n < max; i++)
            if (field_filter_match(filter, dists[i][0], dists[i][1])) {
                ids[n] = dists[i][0];
                names[n++] = dists[i][1];
            }
        break;
    case CH_SPLIT:
        for (size_t i = 0; i < sizeof splits / sizeof splits[0] && n < max; i++)
            if (field_filter_match(filter, splits[i][0], splits[i][1])) {
                ids[n] = splits[i][0];
                names[n++] = splits[i][1];
            }
        break;
    case CH_TSPLIT:
        n = tsplit_choices(sp, filter, ids, names, max);
        break;
    case CH_KV_POLICY:
        n = kv_policy_choices(field_input(f), filter, ids, names, max);
        break;
    case CH_NONE: break;
    }
    return n;
}

/* An id; the field's "none" text (the API's "none") clears it. */
void field_set_choice(struct rt_spec *sp, int f, const char *id)
{
    struct rt_spec was = *sp;
    set_choice(sp, f, id);
    settle(sp, f, &was);
}

static void set_choice(struct rt_spec *sp, int f, const char *id)
{
    const struct input *in = field_input(f);
    if (in->type != IN_ID)
        return;
    const char *none = in->field->none_text;
    char *slot = (char *)sp + in->offset;
    snprintf(slot, in->size, "%s", none && strcmp(id, none) == 0 ? "" : id);
    if (in->choice == CH_DEVICE && sp->tensor_split[0]) {
        int weights = 1; /* one weight per device: another count of devices drops them */
        for (const char *p = sp->tensor_split; *p; p++)
            weights += *p == ',';
        if (!strchr(id, ',') && !strchr(id, ':'))
            sp->tensor_split[0] = 0; /* one device: a list's split weights no longer apply */
        else if (devlist_count(sp->gpu) != weights)
            sp->tensor_split[0] = 0;
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
