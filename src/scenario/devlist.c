/* devlist.c - a list of devices in --gpu (rtx-4090:1,rtx-3090:2) and --tensor-split,
 * resolved into the core's mixed-device scenario (core/split.c). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/devlist.h"
#include "core/core.h"

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return RT_EINVAL; } while (0)

bool devlist_is_list(const char *gpu) { return strchr(gpu, ',') || strchr(gpu, ':') || strchr(gpu, '@'); }

/* The link a listed device reaches the host over when it sits in an external
 * enclosure (ID@LINK): Thunderbolt tunnels PCIe, and its PCIe rate is the link's.
 * Thunderbolt 3 and 4: four lanes of PCIe 3.0, 32 Gb/s of PCIe data (Intel's
 * Thunderbolt 4 certification requires "32 Gbps PCIe", which Thunderbolt 3
 * supported without requiring it: VideoCardz, "Thunderbolt 5 revealed", from
 * Intel's briefing, 2023-09-12); Thunderbolt 5: PCIe 4.0 x4, "PCIe 64Gbps" (the
 * same).  Per direction, in bytes: 32e9 / 8 = 4.0 GB/s and 64e9 / 8 = 8.0 GB/s.
 * Thunderbolt's own latency is not published: the PCIe latency of a hand-off
 * (collective.c) stands for it. */
static const struct { const char *name, *text; double bw; } links[] = {
    { "tb3", "Thunderbolt 3", 4.0e9 },
    { "tb4", "Thunderbolt 4", 4.0e9 },
    { "tb5", "Thunderbolt 5", 8.0e9 },
};

/* Put device d (a catalog copy) behind link `name`: its PCIe link becomes the
 * tunnel's, no NVLink, and its id and name say so (ID@LINK, kept by sessions). */
static int behind(struct rt_device *d, const char *name, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        if (strcmp(name, links[i].name) == 0) {
            char id[RT_ID_MAX], full[RT_NAME_MAX];
            if (snprintf(id, sizeof id, "%s@%s", d->id, name) >= (int)sizeof id)
                FAIL("--gpu: '%s@%s' is too long", d->id, name);
            snprintf(full, sizeof full, "%.*s over %s", RT_NAME_MAX - 24, d->name, links[i].text);
            memcpy(d->id, id, sizeof id);
            memcpy(d->name, full, sizeof full);
            d->link_bw = d->link_bw > 0 && d->link_bw < links[i].bw && !d->nvlink ? d->link_bw : links[i].bw;
            d->nvlink = false;
            return RT_OK;
        }
    FAIL("--gpu: unknown link '@%s' (an external enclosure's link: tb3, tb4 or tb5)", name);
}

const char *devlist_link(size_t i, const char **text)
{
    if (i >= sizeof links / sizeof links[0])
        return NULL;
    if (text)
        *text = links[i].text;
    return links[i].name;
}

bool devlist_enclosable(const struct rt_device *d)
{
    bool unified = d->usable_bytes > 0 && d->usable_bytes < d->memory_bytes;
    return d->family != RT_FAM_CPU && d->family != RT_FAM_APPLE && d->link_bw > 0 && !d->nvlink && !unified;
}

int devlist_behind(const struct rt_device *d, const char *link, struct rt_device *out, char *err, size_t errlen)
{
    *out = *d;
    return behind(out, link, err, errlen);
}

int devlist_count(const char *gpu)
{
    if (!devlist_is_list(gpu))
        return 0;
    long n = 0;
    for (const char *p = gpu; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
        const char *comma = strchr(p, ','), *colon = strchr(p, ':');
        long k = 1;
        if (colon && (!comma || colon < comma)) {
            char *end;
            k = strtol(colon + 1, &end, 10);
            if (k < 1 || end == colon + 1)
                k = 1;
        }
        n += k < RT_MIX_MAX ? k : RT_MIX_MAX;
    }
    return n < RT_MIX_MAX ? (int)n : RT_MIX_MAX;
}

/* One entry "id", "id:count", "id@link" or "id@link:count" into out->mix from *n on. */
static int entry(const struct catalog *c, const char *text, size_t len, struct rt_resolved *out, int *n,
                 char *err, size_t errlen)
{
    char e[RT_ID_MAX * 2];
    if (len == 0 || len >= sizeof e)
        FAIL("--gpu: '%.*s' in the device list is not ID or ID:COUNT", (int)(len < 64 ? len : 64), text);
    memcpy(e, text, len);
    e[len] = 0;
    long count = 1;
    char *colon = strchr(e, ':');
    if (colon) {
        *colon = 0;
        char *end;
        const char *num = colon + 1;
        count = isdigit((unsigned char)*num) ? strtol(num, &end, 10) : -1;
        if (count < 1 || *end || count > RT_MIX_MAX)
            FAIL("--gpu: '%s:%s': the count of a listed device must be a whole number from 1 to %d", e, num,
                 RT_MIX_MAX);
    }
    char *at = strchr(e, '@');
    if (at)
        *at = 0;
    const struct rt_device *d = catalog_device(c, e);
    if (!d) {
        char sug[160];
        catalog_suggest(c, CAT_DEVICES, e, sug, sizeof sug);
        FAIL("--gpu: unknown gpu '%s' in the device list%s%s (see --list-gpus)", e, sug[0] ? "; did you mean: " : "",
             sug);
    }
    if (*n + count > RT_MIX_MAX)
        FAIL("--gpu: the device list names more than %d devices", RT_MIX_MAX);
    struct rt_device dev = *d;
    if (at && behind(&dev, at + 1, err, errlen) != RT_OK)
        return RT_EINVAL;
    for (long k = 0; k < count; k++)
        out->mix[(*n)++] = dev;
    return RT_OK;
}

/* --tensor-split W1,W2,...: one non-negative weight per device, in order. */
static int weights(const struct rt_spec *sp, int n, double w[RT_MIX_MAX], char *err, size_t errlen)
{
    const char *p = sp->tensor_split;
    int k = 0;
    double sum = 0;
    while (*p) {
        char *end;
        double v = strtod(p, &end);
        if (end == p || !isfinite(v) || v < 0 || (*end && *end != ','))
            FAIL("--tensor-split: '%s' is not a list of non-negative numbers (W1,W2,...)", sp->tensor_split);
        if (k >= RT_MIX_MAX)
            FAIL("--tensor-split: more than %d weights", RT_MIX_MAX);
        w[k++] = v;
        sum += v;
        p = *end ? end + 1 : end;
        if (*end && !*p)
            FAIL("--tensor-split: '%s' ends in a comma", sp->tensor_split);
    }
    if (k != n)
        FAIL("--tensor-split: %d weight%s for %d devices (--gpu %s counts each device: one weight each, in order)", k,
             k == 1 ? "" : "s", n, sp->gpu);
    if (!(sum > 0))
        FAIL("--tensor-split: the weights sum to 0 (leave it out to split by each device's memory)");
    return RT_OK;
}

/* Options the layer split does not combine with: each named. */
static int alone(const struct rt_spec *sp, int n, char *err, size_t errlen)
{
    if (sp->devices > 1 && sp->devices != n)
        FAIL("--gpus: %lld, but the device list in --gpu names %d devices", (long long)sp->devices, n);
    if (sp->tp > 1 || sp->pp > 1)
        FAIL("--%s: a device list is split by layers (llama.cpp's split mode layer), not by --tp or --pp",
             sp->tp > 1 ? "tp" : "pp");
    if (sp->ep > 1)
        FAIL("--ep: not with a device list (it is split by layers)");
    if (sp->dp > 1)
        FAIL("--dp: not with a device list (one copy of the model over the listed devices)");
    if (sp->disagg[0])
        FAIL("--disagg: not with a device list");
    if (sp->gpu_layers >= 0 || sp->n_cpu_moe > 0)
        FAIL("--%s: offload to host memory is not modelled with a device list", sp->gpu_layers >= 0 ? "gpu-layers"
                                                                                                   : "n-cpu-moe");
    if (sp->bandwidth_gbps > 0 || sp->tflops > 0 || sp->memory_gb > 0)
        FAIL("--%s: one device's override; with a device list each device is the catalog's",
             sp->bandwidth_gbps > 0 ? "bandwidth" : sp->tflops > 0 ? "tflops" : "memory");
    return RT_OK;
}

int devlist_resolve(const struct catalog *c, const struct rt_spec *sp, struct rt_resolved *out, char *err,
                    size_t errlen)
{
    struct rt_scenario *s = &out->s;
    int n = 0;
    for (const char *p = sp->gpu;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (entry(c, p, len, out, &n, err, errlen) != RT_OK)
            return RT_EINVAL;
        if (!comma)
            break;
        p = comma + 1;
    }
    double w[RT_MIX_MAX] = { 0 };
    if (sp->tensor_split[0] && weights(sp, n, w, err, errlen) != RT_OK)
        return RT_EINVAL;
    if (alone(sp, n, err, errlen) != RT_OK)
        return RT_EINVAL;
    for (int i = 0; i < n; i++) {
        if (sp->price_hour > 0)
            out->mix[i].price_hour = sp->price_hour;
        if (sp->purchase_usd > 0)
            out->mix[i].price_usd = sp->purchase_usd;
    }
    out->device = out->mix[0];
    if (n == 1) /* one device: the plain scenario */
        return RT_OK;
    s->mix_n = n;
    for (int i = 0; i < n; i++) {
        s->mix[i] = &out->mix[i];
        s->mix_split[i] = w[i];
    }
    return RT_OK;
}
