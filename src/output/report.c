/* report.c - see report.h.  Memory in GB (1e9 bytes), as devices are sold. */
#include <stdio.h>
#include <string.h>
#include "output/fields.h"
#include "output/figures.h"
#include "output/report.h"
#include "output/devices.h"
#include "base/units.h"
#include "core/core.h"
#include "core/lengths.h"
#include "scenario/spec.h"

/* mixed devices: the device the per-device memory figures describe (the one whose
 * total they show) */
static int rs_tight(const struct rt_resolved *rs, const struct rt_result *r)
{
    for (int i = 0; i < r->mix_n && i < rs->s.mix_n; i++)
        if (r->mix[i].total == r->per_device_bytes)
            return i;
    return 0;
}

void report_verdict(char *buf, size_t n, const struct rt_resolved *rs, const struct rt_result *r)
{
    const struct rt_scenario *s = &rs->s;
    char dev[RT_MIX_MAX * (RT_NAME_MAX + 8)], free_b[32], rate[32];
    if (s->mix_n > 1)
        devices_names(rs, dev, sizeof dev);
    else if (s->devices > 1)
        snprintf(dev, sizeof dev, "%lldx %s", (long long)s->devices, s->device->name);
    else
        snprintf(dev, sizeof dev, "%s", s->device->name);
    /* short: of the capacity when it does not fit, of the GPU's usable share when it pages */
    double spare = r->fits ? r->free_bytes : r->capacity_bytes - r->per_device_bytes;
    fmt_bytes(free_b, sizeof free_b, spare < 0 ? -spare : spare);
    snprintf(rate, sizeof rate, "%.*f", r->tok_s_seq >= 100 ? 0 : 1, r->tok_s_seq);
    char usable[32];
    fmt_bytes(usable, sizeof usable, r->usable_bytes);
    char what[96];
    if (!r->fits || spare >= 0)
        snprintf(what, sizeof what, "%s %s", free_b, spare >= 0 ? "free" : "short");
    else
        snprintf(what, sizeof what, "%s past the GPU's usable %s", free_b, usable);
    char per[96] = "per device";
    if (s->mix_n > 1) /* the per-device figures are the device that runs out first */
        snprintf(per, sizeof per, "on device %d (%s)", rs_tight(rs, r) + 1, s->mix[rs_tight(rs, r)]->id);
    snprintf(buf, n, "%s %s with %s %s; decode %s-bound at %s tok/s per sequence",
             !r->fits ? "DOES NOT FIT on" : r->warnings & RT_WARN_PAGES ? "loads but pages on" : "fits on", dev, what,
             per, bound_name(r->decode.bound), rate);
}

/* Under a rate the batch above is the static figures' only: what the serving run holds to, the
 * cap on running sequences and where it comes from, and the request lengths. */
static void serving_line(FILE *o, const struct rt_scenario *s)
{
    int64_t cap = rt_serve_cap(s);
    const char *from = s->max_seqs_given ? "--max-seqs" : s->batch > 1 ? "--batch" : "the engine's max_seqs";
    if (cap > 0)
        fprintf(o, "under load: at most %lld sequences running (%s)", (long long)cap, from);
    else
        fprintf(o, "under load: as many sequences running as the KV cache holds (the engine sets no cap)");
    if (s->prompt_dist.kind != RT_DIST_FIXED || s->output_dist.kind != RT_DIST_FIXED) {
        char p[32], q[32];
        rt_dist_format(&s->prompt_dist, p, sizeof p);
        rt_dist_format(&s->output_dist, q, sizeof q);
        fprintf(o, "; lengths vary around the means: prompt %s, output %s", p, q);
    }
    fputs("\n", o);
    /* the engine's KV cache under load (serve.h kv_grow), and where that comes from */
    const struct rt_engine *e = s->engine;
    fprintf(o, "KV cache under load: %s (%s)\n",
            e->kv_policy == RT_KVP_GROW ? "grown as sequences decode, the newest preempted and recomputed when it runs out"
                                        : "each sequence's cache for its final context reserved when it is admitted",
            e->src.kv_policy);
}

/* The table: the scenario's line, then every labelled figure the table shows,
 * section by section, each as "label  value (low .. high)  note". */
void report_table(FILE *o, const struct rt_resolved *rs, const struct rt_result *r)
{
    const struct rt_scenario *s = &rs->s;
    struct fig_ctx c = { rs, r };
    char line[256];
    const struct rt_model *m = s->model;
    char classes[96] = "";
    bool attn_apart = strcmp(spec_attn_weights(rs), s->weights->id) != 0; /* --attn-weights, gpt-oss's bf16 */
    if (rs->weights_native && (attn_apart || m->native_dense[0])) /* gpt-oss: MXFP4 experts only */
        snprintf(classes, sizeof classes, "; attention %s, router/dense %s", spec_attn_weights(rs),
                 m->native_dense[0] ? m->native_dense : s->weights->id);
    else if (attn_apart)
        snprintf(classes, sizeof classes, " (attention %s)", spec_attn_weights(rs));
    char names[RT_MIX_MAX * (RT_NAME_MAX + 8)];
    if (s->mix_n > 1)
        devices_names(rs, names, sizeof names);
    else
        snprintf(names, sizeof names, "%lld x %s", (long long)s->devices, s->device->name);
    fprintf(o, "%s on %s, weights %s%s%s%s, KV %s, engine %s\n", m->name, names,
            s->weights->id, !rs->weights_native ? "" : m->native_weights[0] || strncmp(s->weights->id, "gguf:", 5) == 0 ? " (native" : " (native: bf16 assumed",
            classes, rs->weights_native ? ")" : "", s->kv->id, s->engine->name);
    fprintf(o, "batch %lld, prompt %lld, output %lld tokens", (long long)s->batch, (long long)s->prompt,
            (long long)s->output);
    if (s->cached_prefix > 0)
        fprintf(o, " (%lld of the prompt cached)", (long long)s->cached_prefix);
    if (s->mix_n > 1)
        fprintf(o, ", layer split over %d devices", s->mix_n);
    else if (s->devices > 1)
        fprintf(o, ", tensor parallel %lld x pipeline %lld", (long long)s->tp, (long long)s->pp);
    if (s->mix_n <= 1 && rt_ep(s) > 1)
        fprintf(o, ", expert parallel %lld (attention data parallel)", (long long)rt_ep(s));
    if (s->dp > 1)
        fprintf(o, "; %lld data-parallel replicas, each running this (%lld devices in all)", (long long)s->dp,
                (long long)(s->dp * s->devices));
    fputs("\n", o);
    if (r->serving_on)
        serving_line(o, s);
    devices_table(o, rs, r);
    for (int sec = SEC_MODEL; sec < SEC_N; sec++) {
        bool titled = false;
        for (size_t i = 0; i < n_figures; i++) {
            const struct figure *f = &figures[i];
            if ((int)f->section != sec || !f->label || (f->shown && !f->shown(&c)))
                continue;
            if (!titled) {
                fprintf(o, "\n%s\n", section_titles[sec]);
                titled = true;
            }
            char v[64], lo[32], hi[32], note[160] = "";
            figure_format(f, &c, v, sizeof v);
            if (f->note)
                f->note(&c, note, sizeof note);
            if (figure_has_band(f)) {
                double l, h;
                figure_band(f, &c, &l, &h);
                unit_format(f->unit, l, lo, sizeof lo);
                unit_format(f->unit, h, hi, sizeof hi);
                snprintf(line, sizeof line, "%-12s (%s .. %s)%s%s", v, lo, hi, note[0] ? "  " : "", note);
            } else {
                snprintf(line, sizeof line, "%s%s%s", v, note[0] ? " " : "", note);
            }
            fprintf(o, "  %-28s %s\n", f->label, line);
        }
    }
    char warn[1024]; /* every warning whole: a line's 256 bytes cut the third one short */
    figures_warnings(&c, warn, sizeof warn);
    if (warn[0]) {
        fputs("\nWarnings\n", o);
        /* one per line */
        for (char *p = warn, *e; p && *p; p = e ? e + 2 : NULL) {
            e = strstr(p, "; ");
            fprintf(o, "  %.*s\n", e ? (int)(e - p) : (int)strlen(p), p);
        }
    }
    report_verdict(line, sizeof line, rs, r);
    fprintf(o, "\n%s\n", line);
}
