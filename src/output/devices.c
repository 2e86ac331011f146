/* devices.c - see devices.h. */
#include <stdio.h>
#include <string.h>
#include "output/devices.h"
#include "base/units.h"
#include "core/core.h"

/* The end of the run of identical devices that starts at i (a list keeps them together). */
static int run_end(const struct rt_scenario *s, int i)
{
    int k = i;
    while (k < s->mix_n && strcmp(s->mix[k]->id, s->mix[i]->id) == 0)
        k++;
    return k;
}

const char *devices_text(const struct rt_resolved *rs, char *buf, size_t n)
{
    const struct rt_scenario *s = &rs->s;
    if (s->mix_n <= 1) {
        snprintf(buf, n, "%s", s->device->id);
        return buf;
    }
    size_t at = 0;
    buf[0] = 0;
    for (int i = 0; i < s->mix_n;) {
        int k = run_end(s, i);
        int w = snprintf(buf + at, at < n ? n - at : 0, "%s%s:%d", i ? "," : "", s->mix[i]->id, k - i);
        at += w > 0 ? (size_t)w : 0;
        i = k;
    }
    return buf;
}

const char *devices_names(const struct rt_resolved *rs, char *buf, size_t n)
{
    const struct rt_scenario *s = &rs->s;
    size_t at = 0;
    buf[0] = 0;
    for (int i = 0; i < s->mix_n;) {
        int k = run_end(s, i);
        int w = k - i > 1 ? snprintf(buf + at, at < n ? n - at : 0, "%s%dx %s", i ? " + " : "", k - i, s->mix[i]->name)
                          : snprintf(buf + at, at < n ? n - at : 0, "%s%s", i ? " + " : "", s->mix[i]->name);
        at += w > 0 ? (size_t)w : 0;
        i = k;
    }
    return buf;
}

const char *devices_layers(const struct rt_result *r, char *buf, size_t n)
{
    size_t at = 0;
    buf[0] = 0;
    for (int i = 0; i < r->mix_n; i++) {
        int w = snprintf(buf + at, at < n ? n - at : 0, "%s%lld", i ? "," : "", (long long)r->mix[i].layers);
        at += w > 0 ? (size_t)w : 0;
    }
    return buf;
}

void devices_table(FILE *o, const struct rt_resolved *rs, const struct rt_result *r)
{
    const struct rt_scenario *s = &rs->s;
    if (r->mix_n <= 1)
        return;
    bool given = false;
    for (int i = 0; i < s->mix_n; i++)
        given = given || s->mix_split[i] > 0;
    fprintf(o, "\nDevices (layers split as llama.cpp does: %s, the output layer counted last)\n",
            given ? "in --tensor-split's proportions" : "in proportion to each device's memory");
    for (int i = 0; i < r->mix_n; i++) {
        const struct rt_mix_dev *d = &r->mix[i];
        char tot[32], cap[32], pf[32], dc[32];
        fmt_bytes(tot, sizeof tot, d->total);
        fmt_bytes(cap, sizeof cap, d->capacity);
        fmt_time(pf, sizeof pf, d->prefill_s);
        fmt_time(dc, sizeof dc, d->decode_s);
        fprintf(o, "  %2d %-14s %3lld layers%s  %8s of %-8s %-12s prefill %-9s decode %s%s\n", i + 1, s->mix[i]->id,
                (long long)d->layers, d->output ? " + output" : "         ", tot, cap,
                d->fits ? "fits" : "DOES NOT FIT", pf, dc,
                i == r->mix_decode_slowest ? "  <- slowest decode stage" : "");
    }
    int b = r->mix_decode_slowest;
    char st[32];
    fmt_time(st, sizeof st, r->mix[b].decode_s);
    fprintf(o, "  bottleneck: device %d (%s), its decode stage %s of each token", b + 1, s->mix[b]->id, st);
    if (r->mix_prefill_slowest != b)
        fprintf(o, "; prefill's slowest: device %d (%s)", r->mix_prefill_slowest + 1, s->mix[r->mix_prefill_slowest]->id);
    fputs("\n", o);
    if (r->mix_short >= 0)
        fprintf(o, "  short of memory: device %d (%s)\n", r->mix_short + 1, s->mix[r->mix_short]->id);
}

json_t *devices_json(const struct rt_resolved *rs, const struct rt_result *r)
{
    const struct rt_scenario *s = &rs->s;
    json_t *arr = json_array();
    for (int i = 0; i < r->mix_n; i++) {
        const struct rt_mix_dev *d = &r->mix[i];
        json_t *o = json_object();
        json_object_set_new(o, "index", json_integer(i + 1));
        json_object_set_new(o, "id", json_string(s->mix[i]->id));
        json_object_set_new(o, "layers", json_integer((json_int_t)d->layers));
        json_object_set_new(o, "output_layer", json_boolean(d->output));
        bool given = false;
        for (int k = 0; k < s->mix_n; k++)
            given = given || s->mix_split[k] > 0;
        /* the weight the split used: --tensor-split's, else the device's memory */
        json_object_set_new(o, "split_weight", json_real(given ? s->mix_split[i] : rt_usable_bytes(s->mix[i])));
        json_object_set_new(o, "weights_bytes", json_integer((json_int_t)d->weights));
        json_object_set_new(o, "kv_cache_bytes", json_integer((json_int_t)d->kv));
        json_object_set_new(o, "activation_bytes", json_integer((json_int_t)d->act));
        json_object_set_new(o, "overhead_bytes", json_integer((json_int_t)d->overhead));
        json_object_set_new(o, "memory_bytes", json_integer((json_int_t)d->total));
        json_object_set_new(o, "capacity_bytes", json_integer((json_int_t)d->capacity));
        json_object_set_new(o, "free_bytes", json_integer((json_int_t)d->free));
        json_object_set_new(o, "fits", json_boolean(d->fits));
        json_object_set_new(o, "prefill_stage_s", json_real(d->prefill_s));
        json_object_set_new(o, "decode_stage_s", json_real(d->decode_s));
        json_object_set_new(o, "bottleneck", json_boolean(i == r->mix_decode_slowest));
        json_array_append_new(arr, o);
    }
    return arr;
}

void devices_attach(json_t *o, const struct rt_resolved *rs, const struct rt_result *r)
{
    if (r->mix_n <= 1)
        return;
    json_t *split = json_object_get(o, "split");
    if (!split) {
        split = json_object();
        json_object_set_new(o, "split", split);
    }
    json_object_set_new(split, "devices", devices_json(rs, r));
}
