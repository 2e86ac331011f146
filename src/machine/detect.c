/* detect.c - device detection: parsers of the tools' text, a runner that never
 * blocks, and the table that maps printed names to catalog ids. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strcasestr (also in the BSDs and macOS) */
#endif
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "machine/detect.h"
#include "scenario/spec.h"

#define GiB_ (1024.0 * 1024.0 * 1024.0)
#define MiB_ (1024.0 * 1024.0)

void md_list_init(struct md_list *l) { memset(l, 0, sizeof *l); }

/* ---- names to catalog ids ----
 *
 * One row per name pattern, first match wins, so a longer name ("RTX 4070 Ti")
 * comes before its prefix ("RTX 4070").  A pattern matches a run of the name
 * case-insensitively at word boundaries (so "A10" does not match "A100" and
 * "L4" not "L40S"); '?' stands for one letter or digit; a final '*' drops the
 * boundary after the match.  min/max_gib bound the device's memory where one
 * name covers several sizes (0: any); cores: Apple GPU cores that must match
 * (0 any, -1 only when the count is unknown).  alt: a catalog id standing in
 * when the catalog lacks `id` (same memory system, e.g. H200 NVL -> H200).
 *
 * Names are the ones the tools print: nvidia-smi's product names (for example
 * "NVIDIA H100 80GB HBM3", "NVIDIA A100-SXM4-40GB", "NVIDIA GeForce RTX 4090",
 * "NVIDIA GB10" on DGX Spark), rocm-smi's card series plus GFX version
 * ("AMD Instinct MI300X OAM gfx942", "Navi 31 ... gfx1100"), macOS's
 * machdep.cpu.brand_string ("Apple M2 Max") and /proc/cpuinfo's model name.
 */
struct md_rule {
    const char *pattern, *id, *alt;
    double min_gib, max_gib;
    int cores;
};

static const struct md_rule md_rules[] = {
    /* NVIDIA data centre, Grace and Jetson */
    { "GB300", "gb300", NULL, 0, 0, 0 },
    { "GB200", "gb200", NULL, 0, 0, 0 },
    { "GB10", "dgx-spark", NULL, 0, 0, 0 },          /* DGX Spark's GB10 superchip */
    { "B300", "b300", NULL, 0, 0, 0 },
    { "B200", "b200", NULL, 0, 0, 0 },
    { "GH200", "gh200", NULL, 0, 0, 0 },
    { "H200 NVL", "h200-nvl", "h200", 0, 0, 0 },     /* same 141 GB HBM3e at 4.8 TB/s */
    { "H200", "h200", NULL, 0, 0, 0 },
    { "H100 NVL", "h100-nvl", NULL, 0, 0, 0 },
    { "H100 PCIe", "h100-pcie", NULL, 0, 0, 0 },
    { "H100", "h100-sxm", NULL, 0, 0, 0 },           /* "H100 80GB HBM3" is the SXM5 part */
    { "A100-SXM4-80GB", "a100-sxm-80g", NULL, 0, 0, 0 },
    { "A100-SXM4-40GB", "a100-sxm-40g", NULL, 0, 0, 0 },
    { "A100 80GB PCIe", "a100-pcie-80g", NULL, 0, 0, 0 },
    { "A100-PCIE-80GB", "a100-pcie-80g", NULL, 0, 0, 0 },
    { "A100-PCIE-40GB", "a100-pcie-40g", NULL, 0, 0, 0 },
    { "A100", "a100-sxm-80g", NULL, 60, 0, 0 },
    { "A100", "a100-sxm-40g", NULL, 0, 0, 0 },
    { "A10G", "a10g", NULL, 0, 0, 0 },
    { "A10", "a10", NULL, 0, 0, 0 },
    { "L40S", "l40s", NULL, 0, 0, 0 },
    { "L4", "l4", NULL, 0, 0, 0 },
    { "T4", "t4", NULL, 0, 0, 0 },
    { "V100-SXM2", "v100-sxm", NULL, 24, 0, 0 },     /* the catalog's V100 is the 32 GB part */
    { "Thor", "jetson-thor", NULL, 0, 0, 0 },
    { "Orin", "jetson-agx-orin", NULL, 30, 0, 0 },   /* AGX Orin 32/64 GB; Orin NX and Nano are smaller */
    /* NVIDIA workstation */
    { "RTX PRO 6000", "rtx-pro-6000", NULL, 0, 0, 0 },
    { "RTX 6000 Ada", "rtx-6000-ada", NULL, 0, 0, 0 },
    { "RTX A6000", "rtx-a6000", NULL, 0, 0, 0 },
    /* GeForce: a few names cover two memory sizes */
    { "RTX 5090", "rtx-5090", NULL, 0, 0, 0 },
    { "RTX 5080", "rtx-5080", NULL, 0, 0, 0 },
    { "RTX 5070 Ti", "rtx-5070-ti", NULL, 0, 0, 0 },
    { "RTX 5070", "rtx-5070", NULL, 0, 0, 0 },
    { "RTX 5060 Ti", "rtx-5060-ti", NULL, 12, 0, 0 }, /* the 16 GB card, not the 8 GB one */
    { "RTX 4090", "rtx-4090", NULL, 0, 0, 0 },
    { "RTX 4080 SUPER", "rtx-4080-super", NULL, 0, 0, 0 },
    { "RTX 4080", "rtx-4080", NULL, 0, 0, 0 },
    { "RTX 4070 Ti", "rtx-4070-ti", NULL, 0, 0, 0 },
    { "RTX 4070 SUPER", "rtx-4070-super", NULL, 0, 0, 0 },
    { "RTX 4070", "rtx-4070", NULL, 0, 0, 0 },
    { "RTX 4060 Ti", "rtx-4060-ti", NULL, 12, 0, 0 }, /* the 16 GB card */
    { "RTX 3090 Ti", "rtx-3090-ti", NULL, 0, 0, 0 },
    { "RTX 3090", "rtx-3090", NULL, 0, 0, 0 },
    { "RTX 3080 Ti", "rtx-3080-ti", NULL, 0, 0, 0 },
    { "RTX 3080", "rtx-3080", NULL, 0, 11, 0 },       /* the 10 GB card (the 12 GB one is faster) */
    { "RTX 3070 Ti", "rtx-3070-ti", NULL, 0, 0, 0 },
    { "RTX 3070", "rtx-3070", NULL, 0, 0, 0 },
    { "RTX 3060 Ti", "rtx-3060-ti", NULL, 0, 0, 0 },
    { "RTX 3060", "rtx-3060", NULL, 10, 0, 0 },       /* the 12 GB card */
    /* Intel */
    { "Arc B580", "arc-b580", NULL, 0, 0, 0 },
    { "Pro B60", "arc-pro-b60", NULL, 0, 0, 0 },
    /* AMD: rocm-smi's card series, then the GFX version where the series is a code name */
    { "MI355X", "mi355x", NULL, 0, 0, 0 },
    { "gfx950", "mi355x", NULL, 250, 0, 0 },
    { "MI325X", "mi325x", NULL, 0, 0, 0 },
    { "MI300X", "mi300x", NULL, 0, 0, 0 },
    { "gfx942", "mi325x", NULL, 230, 0, 0 },
    { "gfx942", "mi300x", NULL, 180, 0, 0 },
    { "MI250X", "mi250x", NULL, 0, 0, 0 },
    { "RX 7900 XTX", "rx-7900-xtx", NULL, 0, 0, 0 },
    { "gfx1100", "rx-7900-xtx", NULL, 23, 25, 0 },    /* Navi 31 with 24 GB: the XTX */
    { "gfx1151", "strix-halo", NULL, 0, 0, 0 },
    { "8060S", "strix-halo", NULL, 0, 0, 0 },
    { "RYZEN AI MAX*", "strix-halo", NULL, 0, 0, 0 }, /* "AMD RYZEN AI MAX+ 395 w/ Radeon 8060S" */
    /* Apple (machdep.cpu.brand_string).  Binned Max chips have fewer GPU cores and a
     * narrower memory bus; without a core count the memory size tells them apart:
     * the 32-core M4 Max comes with 36 GB only, the 30-core M3 Max with 36 or 96 GB
     * (Apple's MacBook Pro and Mac Studio tech specs pages). */
    { "Apple M5 Max", "m5-max", NULL, 0, 0, 0 },
    { "Apple M5 Pro", "m5-pro", NULL, 0, 0, 0 },
    { "Apple M5", "m5", NULL, 0, 0, 0 },
    { "Apple M4 Max", "m4-max-32c", NULL, 0, 0, 32 },
    { "Apple M4 Max", "m4-max-32c", NULL, 0, 37, -1 },
    { "Apple M4 Max", "m4-max", NULL, 0, 0, 0 },
    { "Apple M4 Pro", "m4-pro", NULL, 0, 0, 0 },
    { "Apple M4", "m4", NULL, 0, 0, 0 },
    { "Apple M3 Ultra", "m3-ultra", NULL, 0, 0, 0 },
    { "Apple M3 Max", "m3-max-30c", NULL, 0, 0, 30 },
    { "Apple M3 Max", "m3-max-30c", NULL, 0, 37, -1 },
    { "Apple M3 Max", "m3-max-30c", NULL, 95, 97, -1 },
    { "Apple M3 Max", "m3-max", NULL, 0, 0, 0 },
    { "Apple M3 Pro", "m3-pro", NULL, 0, 0, 0 },
    { "Apple M3", "m3", NULL, 0, 0, 0 },
    { "Apple M2 Ultra", "m2-ultra", NULL, 0, 0, 0 },
    { "Apple M2 Max", "m2-max", NULL, 0, 0, 0 },
    { "Apple M2 Pro", "m2-pro", NULL, 0, 0, 0 },
    { "Apple M2", "m2", NULL, 0, 0, 0 },
    { "Apple M1 Ultra", "m1-ultra", NULL, 0, 0, 0 },
    { "Apple M1 Max", "m1-max", NULL, 0, 0, 0 },
    { "Apple M1 Pro", "m1-pro", NULL, 0, 0, 0 },
    { "Apple M1", "m1", NULL, 0, 0, 0 },
    /* Host processors (/proc/cpuinfo).  Only platforms with one memory type map:
     * EPYC 9004 (SP5, 12 channels of DDR5); Ryzen 7000/9000 desktop (AM5, DDR5
     * only); Ryzen 5000 desktop (AM4, DDR4).  Others stay custom. */
    { "EPYC 9??4*", "epyc-genoa", NULL, 0, 0, 0 },
    { "Ryzen ? 9??0X*", "cpu-ddr5-2ch", NULL, 0, 0, 0 },
    { "Ryzen ? 9??0", "cpu-ddr5-2ch", NULL, 0, 0, 0 },
    { "Ryzen ? 7??0X*", "cpu-ddr5-2ch", NULL, 0, 0, 0 },
    { "Ryzen ? 7??0", "cpu-ddr5-2ch", NULL, 0, 0, 0 },
    { "Ryzen ? 5??0X*", "cpu-ddr4-2ch", NULL, 0, 0, 0 },
    { "Ryzen ? 5??0", "cpu-ddr4-2ch", NULL, 0, 0, 0 },
};

static bool is_word(int c) { return isalnum((unsigned char)c); }

/* Does `pat` match at s?  Returns the end of the match or NULL. */
static const char *match_at(const char *s, const char *pat, bool *open_end)
{
    *open_end = false;
    for (; *pat; pat++, s++) {
        if (*pat == '*' && pat[1] == 0) {
            *open_end = true;
            return s;
        }
        if (!*s)
            return NULL;
        if (*pat == '?') {
            if (!is_word(*s))
                return NULL;
        } else if (tolower((unsigned char)*pat) != tolower((unsigned char)*s)) {
            return NULL;
        }
    }
    return s;
}

static bool name_has(const char *name, const char *pat)
{
    for (const char *s = name; *s; s++) {
        if (s > name && is_word(s[-1]) && is_word(*pat))
            continue;
        bool open_end;
        const char *e = match_at(s, pat, &open_end);
        if (e && (open_end || !is_word(*e) || !is_word(e[-1])))
            return true;
    }
    return false;
}

/* Whether the pattern's leading literal (up to its first ? or *) is in the name,
 * ignoring case: where it is not, the pattern cannot match, and the rule costs one
 * strcasestr instead of a match attempt at every position of the name. */
static bool literal_in(const char *name, const char *pat)
{
    char lit[64];
    size_t k = strcspn(pat, "?*");
    if (k >= sizeof lit)
        k = sizeof lit - 1;
    memcpy(lit, pat, k);
    lit[k] = 0;
    return strcasestr(name, lit) != NULL;
}

const char *md_map_name(const char *name, double memory_bytes, int gpu_cores, const struct catalog *cat)
{
    double gib = memory_bytes / GiB_;
    for (size_t i = 0; i < sizeof md_rules / sizeof md_rules[0]; i++) {
        const struct md_rule *r = &md_rules[i];
        if (!literal_in(name, r->pattern) || !name_has(name, r->pattern))
            continue;
        if (r->min_gib > 0 && !(memory_bytes > 0 && gib >= r->min_gib))
            continue;
        if (r->max_gib > 0 && !(memory_bytes > 0 && gib <= r->max_gib))
            continue;
        if (r->cores > 0 && gpu_cores != r->cores)
            continue;
        if (r->cores < 0 && gpu_cores != 0)
            continue;
        if (!cat || catalog_device(cat, r->id))
            return r->id;
        if (r->alt && catalog_device(cat, r->alt))
            return r->alt;
        return "custom";
    }
    return "custom";
}

/* ---- helpers ---- */

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = 0;
    return s;
}

/* A number with an optional unit (MiB when none, as nvidia-smi's nounits
 * prints); 0 for "[N/A]", "[Not Supported]" and other text. */
static double mem_value(const char *s, double unit_none)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || v < 0 || v > 1e18)
        return 0;
    while (isspace((unsigned char)*end))
        end++;
    if (!*end) return v * unit_none;
    if (strncasecmp(end, "KiB", 3) == 0) return v * 1024.0;
    if (strncasecmp(end, "MiB", 3) == 0) return v * MiB_;
    if (strncasecmp(end, "GiB", 3) == 0) return v * GiB_;
    if (strncasecmp(end, "kB", 2) == 0) return v * 1024.0; /* /proc/meminfo's kB are KiB */
    if (strncasecmp(end, "MB", 2) == 0) return v * MiB_;   /* nvidia-smi's older "MB" are MiB */
    if (strncasecmp(end, "GB", 2) == 0) return v * GiB_;
    if (*end == 'B') return v;
    return 0;
}

/* Add a device, merging it with an identical one (same name, memory and source). */
static void add_device(struct md_list *l, const char *name, double mem, double usable, const char *source,
                       bool unified, bool cpu, int cores)
{
    for (size_t i = 0; i < l->n; i++) {
        struct md_device *d = &l->d[i];
        if (strcmp(d->name, name) == 0 && d->memory_bytes == mem && strcmp(d->source, source) == 0) {
            d->count++;
            if (usable < d->usable_bytes) /* tensor parallel: the fullest device binds */
                d->usable_bytes = usable;
            return;
        }
    }
    if (l->n >= MD_MAX)
        return;
    struct md_device *d = &l->d[l->n++];
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "%s", name);
    snprintf(d->source, sizeof d->source, "%s", source);
    d->memory_bytes = mem;
    d->usable_bytes = usable;
    d->count = 1;
    d->unified = unified;
    d->cpu = cpu;
    d->gpu_cores = cores;
    snprintf(d->id, sizeof d->id, "%s", md_map_name(name, mem, cores, NULL));
}

static bool id_unified(const char *id)
{
    return strcmp(id, "dgx-spark") == 0 || strcmp(id, "strix-halo") == 0 || strcmp(id, "jetson-agx-orin") == 0 ||
           strcmp(id, "jetson-thor") == 0 || strcmp(id, "gb10") == 0;
}

/* ---- nvidia-smi ---- */

int md_parse_nvidia_smi(const char *text, struct md_list *out)
{
    if (!text)
        return 0;
    int added = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[512];
        if (len < sizeof line) {
            memcpy(line, p, len);
            line[len] = 0;
            char *f[4];
            int nf = 0;
            char *save = NULL;
            for (char *t = strtok_r(line, ",", &save); t && nf < 4; t = strtok_r(NULL, ",", &save))
                f[nf++] = trim(t);
            /* four fields, a name, and a total that is a number or [N/A]; the header starts "name" */
            if (nf == 4 && f[0][0] && strncasecmp(f[0], "name", 4) != 0 &&
                (isdigit((unsigned char)f[1][0]) || f[1][0] == '[')) {
                double total = mem_value(f[1], MiB_), free_b = mem_value(f[3], MiB_);
                char name[RT_NAME_MAX];
                snprintf(name, sizeof name, "%s", f[0]);
                const char *id = md_map_name(name, total, 0, NULL);
                add_device(out, name, total, free_b, "nvidia-smi", id_unified(id), false, 0);
                added++;
            }
        }
        p = nl ? nl + 1 : p + len;
    }
    return added;
}

/* ---- rocm-smi ---- */

static const char *obj_str(json_t *o, const char *const *keys)
{
    for (; *keys; keys++) {
        const char *k;
        json_t *v;
        json_object_foreach(o, k, v) {
            if (strcasecmp(k, *keys) == 0 && json_is_string(v) && json_string_value(v)[0] &&
                strcmp(json_string_value(v), "N/A") != 0)
                return json_string_value(v);
        }
    }
    return NULL;
}

static const char *const rocm_name_keys[] = { "Card Series", "Device Name", "Card Model", "Card SKU", NULL };
static const char *const rocm_gfx_keys[] = { "GFX Version", NULL };
static const char *const rocm_total_keys[] = { "VRAM Total Memory (B)", NULL };
static const char *const rocm_used_keys[] = { "VRAM Total Used Memory (B)", NULL };

static void rocm_add(struct md_list *out, const char *series, const char *gfx, const char *total_s,
                     const char *used_s, int *added)
{
    if (!series || !total_s)
        return;
    double total = mem_value(total_s, 1), used = used_s ? mem_value(used_s, 1) : 0;
    char name[RT_NAME_MAX], match[RT_NAME_MAX + 32];
    snprintf(name, sizeof name, "%s", series);
    snprintf(match, sizeof match, "%s %s", series, gfx ? gfx : "");
    add_device(out, name, total, total > used ? total - used : 0, "rocm-smi", false, false, 0);
    /* the id comes from the series and the GFX version together */
    for (size_t i = 0; i < out->n; i++)
        if (strcmp(out->d[i].name, name) == 0 && strcmp(out->d[i].source, "rocm-smi") == 0) {
            snprintf(out->d[i].gfx, sizeof out->d[i].gfx, "%s", gfx ? gfx : "");
            snprintf(out->d[i].id, sizeof out->d[i].id, "%s", md_map_name(match, total, 0, NULL));
            out->d[i].unified = id_unified(out->d[i].id);
        }
    (*added)++;
}

/* Split one CSV line (double quotes allowed) into at most max fields, in place. */
static int csv_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++;
                *w++ = *p++;
            }
            if (*p == '"')
                p++;
            *w = 0;
            while (*p && *p != ',')
                p++;
        } else {
            f[n++] = p;
            while (*p && *p != ',')
                p++;
        }
        if (*p != ',')
            break;
        *p++ = 0;
    }
    for (int i = 0; i < n; i++)
        f[i] = trim(f[i]);
    return n;
}

static int col(char **h, int nh, const char *const *keys)
{
    for (; *keys; keys++)
        for (int i = 0; i < nh; i++)
            if (strcasecmp(h[i], *keys) == 0)
                return i;
    return -1;
}

static int rocm_csv(const char *text, struct md_list *out)
{
    int added = 0;
    char *copy = strdup(text);
    if (!copy)
        return 0;
    char *save = NULL, *h[64];
    int nh = 0;
    char hdr[4096];
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        line = trim(line);
        if (nh == 0) {
            if (strncasecmp(line, "device,", 7) == 0 && strlen(line) < sizeof hdr) {
                snprintf(hdr, sizeof hdr, "%s", line);
                nh = csv_split(hdr, h, 64);
            }
            continue;
        }
        if (strncasecmp(line, "card", 4) != 0)
            continue;
        char *f[64];
        int nf = csv_split(line, f, 64);
        int cs = col(h, nh, rocm_name_keys), cg = col(h, nh, rocm_gfx_keys), ct = col(h, nh, rocm_total_keys),
            cu = col(h, nh, rocm_used_keys);
        rocm_add(out, cs >= 0 && cs < nf ? f[cs] : NULL, cg >= 0 && cg < nf ? f[cg] : NULL,
                 ct >= 0 && ct < nf ? f[ct] : NULL, cu >= 0 && cu < nf ? f[cu] : NULL, &added);
    }
    free(copy);
    return added;
}

int md_parse_rocm_smi(const char *text, struct md_list *out)
{
    if (!text)
        return 0;
    const char *brace = strchr(text, '{');
    if (!brace)
        return rocm_csv(text, out);
    json_error_t e;
    json_t *root = json_loads(brace, JSON_DISABLE_EOF_CHECK, &e);
    if (!json_is_object(root)) {
        json_decref(root);
        return rocm_csv(text, out);
    }
    int added = 0;
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v) {
        if (strncasecmp(k, "card", 4) != 0 || !json_is_object(v))
            continue;
        rocm_add(out, obj_str(v, rocm_name_keys), obj_str(v, rocm_gfx_keys), obj_str(v, rocm_total_keys),
                 obj_str(v, rocm_used_keys), &added);
    }
    json_decref(root);
    return added;
}

/* ---- Apple: sysctl and system_profiler ---- */

/* macOS lets the GPU wire about 2/3 of unified memory on smaller machines and
 * 3/4 on larger ones: Metal's recommendedMaxWorkingSetSize as llama.cpp logs it
 * is 10922.67 MB on 16 GB (abetlen/llama-cpp-python#687), 21845.34 MB on 32 GB
 * (ggml-org/llama.cpp#2011, ollama/ollama#434), 49152 MiB on 64 GB
 * (ggml-org/llama.cpp#1870) and 73728 MB on 96 GB (ggml-org/llama.cpp#3213).
 * Sizes between 32 and 64 GB were not found measured: they take the smaller
 * share.  `sysctl iogpu.wired_limit_mb`, when set, replaces the default. */
double md_apple_working_set(double memory_bytes)
{
    return memory_bytes * (memory_bytes >= 64 * GiB_ ? 0.75 : 2.0 / 3.0);
}

int md_parse_sysctl(const char *text, double wired_mb, int gpu_cores, struct md_list *out)
{
    if (!text)
        return 0;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", text);
    char *save = NULL;
    char *brand = strtok_r(buf, "\n", &save);
    char *mem = strtok_r(NULL, "\n", &save);
    if (!brand || !mem)
        return 0;
    brand = trim(brand);
    mem = trim(mem);
    if (strncmp(brand, "Apple", 5) != 0) /* an Intel Mac: no unified memory GPU */
        return 0;
    char *end;
    double bytes = strtod(mem, &end);
    if (end == mem || !(bytes > 0) || bytes > 1e18) /* "6871447e736" reads as infinity */
        return 0;
    double usable = wired_mb > 0 && wired_mb < 1e12 ? wired_mb * MiB_ : md_apple_working_set(bytes);
    if (usable > bytes)
        usable = bytes;
    add_device(out, brand, bytes, usable, "sysctl", true, false, gpu_cores);
    return 1;
}

int md_parse_gpu_cores(const char *text)
{
    if (!text)
        return 0;
    const char *p = strstr(text, "Total Number of Cores:");
    if (!p)
        return 0;
    p += strlen("Total Number of Cores:");
    long v = strtol(p, NULL, 10);
    return v > 0 && v < 10000 ? (int)v : 0;
}

/* ---- /proc ---- */

static double meminfo_value(const char *meminfo, const char *key)
{
    if (!meminfo)
        return 0;
    size_t kl = strlen(key);
    for (const char *p = meminfo; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, key, kl) == 0 && p[kl] == ':') {
            char v[64];
            const char *e = strchr(p, '\n');
            size_t len = e ? (size_t)(e - p - kl - 1) : strlen(p + kl + 1);
            if (len >= sizeof v)
                len = sizeof v - 1;
            memcpy(v, p + kl + 1, len);
            v[len] = 0;
            return mem_value(trim(v), 1024.0);
        }
    }
    return 0;
}

int md_parse_proc(const char *cpuinfo, const char *meminfo, struct md_list *out)
{
    char model[RT_NAME_MAX] = "";
    int sockets = 0;
    int ids[64];
    if (cpuinfo) {
        for (const char *p = cpuinfo; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
            const char *colon = strchr(p, ':'), *nl = strchr(p, '\n');
            if (!colon || (nl && colon > nl))
                continue;
            char key[64], val[RT_NAME_MAX];
            size_t kl = (size_t)(colon - p), vl = nl ? (size_t)(nl - colon - 1) : strlen(colon + 1);
            if (kl >= sizeof key || vl >= sizeof val)
                continue;
            memcpy(key, p, kl);
            key[kl] = 0;
            memcpy(val, colon + 1, vl);
            val[vl] = 0;
            char *k = trim(key), *v = trim(val);
            if (!model[0] && strcmp(k, "model name") == 0)
                snprintf(model, sizeof model, "%s", v);
            else if (strcmp(k, "physical id") == 0) {
                int id = atoi(v), j;
                for (j = 0; j < sockets; j++)
                    if (ids[j] == id)
                        break;
                if (j == sockets && sockets < 64)
                    ids[sockets++] = id;
            }
        }
    }
    double total = meminfo_value(meminfo, "MemTotal"), avail = meminfo_value(meminfo, "MemAvailable");
    if (!model[0] && total <= 0)
        return 0;
    if (!model[0])
        snprintf(model, sizeof model, "CPU");
    const char *id = md_map_name(model, total, 0, NULL);
    bool apu = strcmp(id, "strix-halo") == 0;
    size_t before = out->n;
    add_device(out, model, total, avail, "proc", apu, !apu, 0);
    if (out->n > before)
        out->d[out->n - 1].count = sockets > 0 ? sockets : 1;
    return out->n > before ? 1 : 0;
}

/* ---- running the tools ---- */

bool md_on_path(const char *tool)
{
    if (strchr(tool, '/'))
        return access(tool, X_OK) == 0;
    const char *path = getenv("PATH");
    if (!path)
        return false;
    char buf[PATH_MAX];
    while (*path) {
        const char *c = strchr(path, ':');
        size_t len = c ? (size_t)(c - path) : strlen(path);
        if (len > 0 && len + strlen(tool) + 2 < sizeof buf) {
            memcpy(buf, path, len);
            snprintf(buf + len, sizeof buf - len, "/%s", tool);
            struct stat st;
            if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
                return true;
        }
        if (!c)
            break;
        path = c + 1;
    }
    return false;
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000L + (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

/* The tool's process group while md_run waits on it, for the signal handler. */
static volatile sig_atomic_t child_group;
static const int ending[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2 };
static struct sigaction before[sizeof ending / sizeof ending[0]];
static void (*wait_notice)(const char *tool, int timeout_ms);

void md_on_wait(void (*fn)(const char *tool, int timeout_ms)) { wait_notice = fn; }

/* A signal that ends rooftop while a tool runs: the tool's whole group goes
 * first, then the signal is handled as it was before (the dashboard restores
 * the terminal, or the default ends the process). */
static void end_child(int sig)
{
    int saved = errno;
    if (child_group > 0)
        kill(-(pid_t)child_group, SIGKILL);
    for (size_t i = 0; i < sizeof ending / sizeof ending[0]; i++)
        if (ending[i] == sig)
            sigaction(sig, &before[i], NULL);
    raise(sig); /* delivered, with the old disposition, when this handler returns */
    errno = saved;
}

static void guard(bool on)
{
    for (size_t i = 0; i < sizeof ending / sizeof ending[0]; i++) {
        if (!on) {
            sigaction(ending[i], &before[i], NULL);
            continue;
        }
        sigaction(ending[i], NULL, &before[i]);
        if (before[i].sa_handler == SIG_IGN)
            continue; /* ignored stays ignored (a background job's SIGINT) */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = end_child;
        sigemptyset(&sa.sa_mask);
        sigaction(ending[i], &sa, NULL);
    }
}

static long run_child(const char *const argv[], char *buf, size_t n, int timeout_ms);

long md_run(const char *const argv[], char *buf, size_t n, int timeout_ms)
{
    if (n == 0 || !md_on_path(argv[0]))
        return -1;
    guard(true);
    long got = run_child(argv, buf, n, timeout_ms);
    child_group = 0;
    guard(false);
    return got;
}

static long run_child(const char *const argv[], char *buf, size_t n, int timeout_ms)
{
    buf[0] = 0;
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    fflush(NULL);
    /* the signals that end rooftop wait until the child's group is known */
    sigset_t block, old;
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof ending / sizeof ending[0]; i++)
        sigaddset(&block, ending[i]);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t pid = fork();
    if (pid < 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        for (size_t i = 0; i < sizeof ending / sizeof ending[0]; i++)
            sigaction(ending[i], &before[i], NULL);
        sigprocmask(SIG_SETMASK, &old, NULL);
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* rooftop killed (-9): the tool goes too */
        if (getppid() == 1)
            _exit(127);
#endif
        setpgid(0, 0); /* its own group: a timeout kills whatever it started too */
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 2);
        }
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    setpgid(pid, pid);
    child_group = pid;
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(fd[1]);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t got = 0;
    bool timed_out = false, told = false;
    for (;;) {
        long left = timeout_ms - ms_since(&t0);
        if (left <= 0) {
            timed_out = true;
            break;
        }
        /* a tool slower than MD_NOTICE_MS: say what is being waited for */
        long slice = !told && wait_notice && left > MD_NOTICE_MS ? MD_NOTICE_MS : left;
        struct pollfd pf = { .fd = fd[0], .events = POLLIN };
        int r = poll(&pf, 1, (int)slice);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 && slice < left) {
            told = true;
            wait_notice(argv[0], timeout_ms);
            continue;
        }
        if (r <= 0) {
            timed_out = r == 0;
            break;
        }
        char scratch[4096];
        char *dst = got + 1 < n ? buf + got : scratch;
        size_t room = got + 1 < n ? n - 1 - got : sizeof scratch;
        ssize_t k = read(fd[0], dst, room);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        if (dst != scratch)
            got += (size_t)k;
    }
    close(fd[0]);
    int status = 0;
    if (timed_out) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        buf[0] = 0;
        return -1;
    }
    /* the pipe closed: the tool is exiting; give it the rest of the time, then kill it */
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (ms_since(&t0) > timeout_ms) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        struct timespec ts = { 0, 2000000 };
        nanosleep(&ts, NULL);
    }
    buf[got] = 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && got == 0)
        return -1;
    return (long)got;
}

/* /proc files report a size of 0: read until the end, at most max bytes. */
static char *read_small(const char *dir, const char *name, size_t max)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return NULL;
    }
    char *buf = malloc(max + 1);
    size_t got = 0;
    while (buf && got < max) {
        ssize_t k = read(fd, buf + got, max - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    if (buf)
        buf[got] = 0;
    return buf;
}

#define MD_TIMEOUT_MS 3000
#define MD_OUT_MAX 65536

void md_detect(struct md_list *out, const struct catalog *cat)
{
    md_list_init(out);
    char *buf = malloc(MD_OUT_MAX);
    if (!buf)
        return;
    char tried[128] = "";
    static const char *const nv[] = { "nvidia-smi", "--query-gpu=name,memory.total,memory.used,memory.free",
                                      "--format=csv,noheader,nounits", NULL };
    static const char *const rocm[] = { "rocm-smi", "--showproductname", "--showmeminfo", "vram", "--json", NULL };
    char why[200] = ""; /* a tool that ran but said nothing this reads: its first line, in its words */
    if (md_run(nv, buf, MD_OUT_MAX, MD_TIMEOUT_MS) > 0) {
        if (md_parse_nvidia_smi(buf, out) == 0) {
            char first[120];
            size_t k = 0;
            for (const char *p = buf; *p && *p != '\n' && k + 1 < sizeof first; p++)
                first[k++] = (*p >= 32 && *p < 127) ? *p : '?';
            first[k] = 0;
            snprintf(why, sizeof why, "; nvidia-smi ran but printed no GPU line: \"%s\"", first);
        }
    } else {
        strcat(tried, " nvidia-smi");
    }
    if (md_run(rocm, buf, MD_OUT_MAX, MD_TIMEOUT_MS) > 0)
        md_parse_rocm_smi(buf, out);
    else
        strcat(tried, " rocm-smi");
    struct utsname u;
    if (uname(&u) == 0 && strcmp(u.sysname, "Darwin") == 0) {
        static const char *const sc[] = { "sysctl", "-n", "machdep.cpu.brand_string", "hw.memsize", NULL };
        static const char *const wl[] = { "sysctl", "-n", "iogpu.wired_limit_mb", NULL };
        static const char *const sp[] = { "system_profiler", "SPDisplaysDataType", NULL };
        char small[256];
        double wired = 0;
        if (md_run(wl, small, sizeof small, MD_TIMEOUT_MS) > 0)
            wired = atof(small);
        int cores = 0;
        if (md_run(sp, buf, MD_OUT_MAX, 2 * MD_TIMEOUT_MS) > 0)
            cores = md_parse_gpu_cores(buf);
        if (md_run(sc, buf, MD_OUT_MAX, MD_TIMEOUT_MS) > 0)
            md_parse_sysctl(buf, wired, cores, out);
    }
    const char *env = getenv("ROOFTOP_PROC");
    const char *dir = env && env[0] ? env : "/proc";
    char *cpuinfo = read_small(dir, "cpuinfo", 1 << 22), *meminfo = read_small(dir, "meminfo", 1 << 20);
    struct md_list host;
    md_list_init(&host);
    md_parse_proc(cpuinfo, meminfo, &host);
    double mem_total = meminfo_value(meminfo, "MemTotal"), mem_avail = meminfo_value(meminfo, "MemAvailable");
    free(cpuinfo);
    free(meminfo);
    /* Unified memory parts (DGX Spark's GB10 reports no memory; Strix Halo's
     * VRAM is only the firmware's carve-out): the system's memory is theirs. */
    for (size_t i = 0; i < out->n; i++) {
        struct md_device *d = &out->d[i];
        if (d->unified && strcmp(d->source, "sysctl") != 0 && mem_total > d->memory_bytes) {
            d->memory_bytes = mem_total;
            d->usable_bytes = mem_avail;
        }
    }
    for (size_t i = 0; i < host.n && out->n < MD_MAX; i++) {
        bool dup = false;
        for (size_t j = 0; j < out->n; j++)
            if (strcmp(out->d[j].id, host.d[i].id) == 0 && strcmp(host.d[i].id, "custom") != 0)
                dup = true; /* a Strix Halo seen by rocm-smi too */
        if (!dup)
            out->d[out->n++] = host.d[i];
    }
    if (cat)
        for (size_t i = 0; i < out->n; i++) {
            struct md_device *d = &out->d[i];
            char match[RT_NAME_MAX + 32];
            snprintf(match, sizeof match, "%s %s", d->name, d->gfx);
            snprintf(d->id, sizeof d->id, "%s", md_map_name(match, d->memory_bytes, d->gpu_cores, cat));
        }
    /* the note: what was found and how */
    size_t len = 0;
    for (size_t i = 0; i < out->n && len < sizeof out->note - 1; i++) {
        const struct md_device *d = &out->d[i];
        len += (size_t)snprintf(out->note + len, sizeof out->note - len, "%s%d x %s (%s) via %s", i ? "; " : "found ",
                                d->count, d->name, d->id, d->source);
    }
    if (out->n == 0)
        snprintf(out->note, sizeof out->note, "no devices detected (tried%s%s, %s)%s", tried[0] ? "" : " ",
                 tried[0] ? tried : "nvidia-smi, rocm-smi", dir, why);
    else if (why[0] && len < sizeof out->note - 1)
        len += (size_t)snprintf(out->note + len, sizeof out->note - len, "%s", why);
    else if (!md_primary(out) || md_primary(out)->cpu)
        len += (size_t)snprintf(out->note + (len < sizeof out->note ? len : sizeof out->note - 1),
                                len < sizeof out->note ? sizeof out->note - len : 1,
                                "; no accelerator found (tried%s)", tried[0] ? tried : " nvidia-smi rocm-smi");
    free(buf);
}

const struct md_device *md_primary(const struct md_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (!l->d[i].cpu)
            return &l->d[i];
    return l->n ? &l->d[0] : NULL;
}

bool md_apply(const struct md_list *l, const struct catalog *cat, struct rt_spec *sp, char *note, size_t n)
{
    char dummy[8];
    if (!note || n == 0) {
        note = dummy;
        n = sizeof dummy;
    }
    snprintf(note, n, "%s", l->note[0] ? l->note : "no devices detected");
    for (size_t i = 0; i < l->n; i++) {
        const struct md_device *d = &l->d[i];
        if (d->cpu)
            continue;
        const struct rt_device *cd = catalog_device(cat, d->id);
        if (!cd) {
            snprintf(note, n, "found %d x %s via %s, not in the catalog: describe it with --bandwidth and --memory",
                     d->count, d->name, d->source);
            return false;
        }
        snprintf(sp->gpu, sizeof sp->gpu, "%s", d->id);
        sp->devices = d->count > 0 ? d->count : 1;
        sp->tp = sp->pp = 0;
        sp->memory_gb = 0;
        if (d->usable_bytes > 0 && d->usable_bytes < 0.95 * cd->memory_bytes)
            sp->memory_gb = d->usable_bytes / 1e9;
        if (sp->memory_gb > 0)
            snprintf(note, n, "detected %d x %s (%s) via %s, %.1f GB usable", d->count, d->name, d->id, d->source,
                     sp->memory_gb);
        else
            snprintf(note, n, "detected %d x %s (%s) via %s", d->count, d->name, d->id, d->source);
        return true;
    }
    return false;
}
