/* calsave.c - the calibrated profiles' file: written so that the catalog
 * reads it back as written (see calsave.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base/slurp.h"
#include "accuracy/calsave.h"
#include "catalog/catalog.h"
#include "base/files.h"
#include "core/core.h"
#include "base/text.h"

/* v held to [lo, hi]; a value under 1e-280 is 0 (the file's units, GB and
 * microseconds, would take it below the smallest double on the way) */
static double clamp(double v, double lo, double hi)
{
    if (fabs(v) < 1e-280)
        v = 0;
    return v < lo ? lo : v > hi ? hi : v;
}

bool calib_clamp(struct rt_engine *e, char *why, size_t n)
{
    double *reals[] = { &e->mbu, &e->mfu, &e->step_overhead_s, &e->layer_overhead_s, &e->request_overhead_s,
                        &e->stage_overhead_s, &e->first_pass_s, &e->context_bytes, &e->mem_util, &e->band_low,
                        &e->band_high };
    static const char *const names[] = { "mbu", "mfu", "step_overhead_us", "layer_overhead_us", "request_overhead_ms",
                                         "stage_overhead_us", "first_pass_ms", "context_gb", "mem_util", "band_low",
                                         "band_high" };
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
        if (!isfinite(*reals[i])) {
            snprintf(why, n, "%s is not a finite number", names[i]);
            return false;
        }
    for (int i = 0; i < 3; i++)
        if (!isfinite(e->mbu_class[i])) {
            snprintf(why, n, "mbu_class is not a finite number");
            return false;
        }
    for (int f = 0; f < RT_FAM_N; f++)
        if (!isfinite(e->mbu_family[f]) || !isfinite(e->mfu_family[f])) {
            snprintf(why, n, "a family factor is not a finite number");
            return false;
        }
    if (!file_string_ok(e->id)) {
        snprintf(why, n, "the id holds control characters or bytes that are not UTF-8");
        return false;
    }
    char name[sizeof e->name];
    text_safe(name, sizeof name, e->name);
    memcpy(e->name, name, sizeof name);
    e->mbu = clamp(e->mbu, ENG_EFF_MIN, RT_EFFICIENCY_MAX);
    e->mfu = clamp(e->mfu, ENG_EFF_MIN, RT_EFFICIENCY_MAX);
    for (int i = 0; i < 3; i++)
        e->mbu_class[i] = clamp(e->mbu_class[i], ENG_FACTOR_MIN, ENG_FACTOR_MAX);
    for (int f = 0; f < RT_FAM_N; f++) {
        e->mbu_family[f] = clamp(e->mbu_family[f], ENG_FACTOR_MIN, ENG_FACTOR_MAX);
        e->mfu_family[f] = clamp(e->mfu_family[f], ENG_FACTOR_MIN, ENG_FACTOR_MAX);
        e->band_runs[f] = e->band_runs[f] < 0 ? 0 : e->band_runs[f] > ENG_RUNS_MAX ? ENG_RUNS_MAX : e->band_runs[f];
        e->band_in[f] = e->band_in[f] < 0 ? 0 : e->band_in[f] > e->band_runs[f] ? e->band_runs[f] : e->band_in[f];
        e->band_moe[f] = e->band_moe[f] < 0 ? 0 : e->band_moe[f] > e->band_runs[f] ? e->band_runs[f] : e->band_moe[f];
    }
    e->step_overhead_s = clamp(e->step_overhead_s, 0, ENG_STEP_US_MAX * 1e-6);
    e->layer_overhead_s = clamp(e->layer_overhead_s, 0, ENG_LAYER_US_MAX * 1e-6);
    e->request_overhead_s = clamp(e->request_overhead_s, 0, ENG_REQUEST_MS_MAX * 1e-3);
    e->stage_overhead_s = clamp(e->stage_overhead_s, 0, ENG_STEP_US_MAX * 1e-6);
    e->first_pass_s = clamp(e->first_pass_s, 0, ENG_FIRST_PASS_MS_MAX * 1e-3);
    e->context_bytes = clamp(e->context_bytes, 0, ENG_CONTEXT_GB_MAX * 1e9);
    e->mem_util = clamp(e->mem_util, ENG_MEM_UTIL_MIN, 1.0);
    e->max_batched_tokens = e->max_batched_tokens < 0 ? 0 : e->max_batched_tokens > ENG_BATCHED_MAX ? ENG_BATCHED_MAX
                                                                                                 : e->max_batched_tokens;
    e->max_seqs = e->max_seqs < 0 ? 0 : e->max_seqs > ENG_SEQS_MAX ? ENG_SEQS_MAX : e->max_seqs;
    e->band_low = clamp(e->band_low, ENG_BAND_LOW_MIN, 1.0);
    e->band_high = clamp(e->band_high, 1.0, ENG_BAND_HIGH_MAX);
    return true;
}

/* A double as libconfig reads it back exactly (at most 17 digits), always a float. */
static const char *real_text(char b[64], double v)
{
    int k = 0;
    for (int digits = 15; digits <= 17; digits++) /* the shortest that reads back the same */
        if ((k = snprintf(b, 64, "%.*g", digits, v)) > 0 && strtod(b, NULL) == v)
            break;
    if (!strpbrk(b, ".e") && k < 60)
        memcpy(b + k, ".0", 3);
    return b;
}

static void put_real(FILE *f, const char *key, double v)
{
    char b[64];
    fprintf(f, " %s = %s;", key, real_text(b, v));
}

/* kernels = { ... }: the kernel counts and times of a layer (catalog.c read_kernels) */
static void put_kernels(FILE *f, const struct rt_engine *e)
{
    if (e->k_attn + e->k_ffn + e->k_moe + e->g_attn + e->g_ffn + e->g_moe + e->k_mla + e->g_mla == 0)
        return;
    fprintf(f, "\n    kernels = { attn = %d; gemms_attn = %d; mla = %d; gemms_mla = %d; ffn = %d; gemms_ffn = %d;"
               " moe = %d; gemms_moe = %d;\n               ",
            e->k_attn, e->g_attn, e->k_mla, e->g_mla, e->k_ffn, e->g_ffn, e->k_moe, e->g_moe);
    put_real(f, "kernel_us", e->kernel_s * 1e6);
    put_real(f, "launch_us", e->launch_s * 1e6);
    put_real(f, "route_us", e->route_s * 1e6);
    fputs(" gemm_latency_us = [", f);
    for (int i = 0; i < 3; i++)
        fprintf(f, "%s%s", i ? ", " : " ", real_text((char[64]){ 0 }, e->gemm_latency_s[i] * 1e6));
    fputs(" ];", f);
    if (e->moe_untuned_s[0] > 0 || e->moe_untuned_s[1] > 0)
        fprintf(f, " moe_untuned_us = [ %s, %s ]; moe_untuned_tokens = [ %s, %s ];",
                real_text((char[64]){ 0 }, e->moe_untuned_s[0] * 1e6), real_text((char[64]){ 0 }, e->moe_untuned_s[1] * 1e6),
                real_text((char[64]){ 0 }, e->moe_untuned_tok[0]), real_text((char[64]){ 0 }, e->moe_untuned_tok[1]));
    if (e->k_qk_tp + e->r_qk_tp > 0)
        fprintf(f, " qk_norm_tp = %d; qk_norm_tp_reduces = %d;", e->k_qk_tp, e->r_qk_tp);
    if (e->moe_pad_block > 0)
        fprintf(f, " moe_pad_block = %d;", (int)e->moe_pad_block);
    if (e->k_q8[0] + e->k_q8[1] + e->k_q8[2] + e->k_q8[3] > 0) {
        fputs(" quant8 = [", f);
        for (int i = 0; i < 4; i++)
            fprintf(f, "%s%s", i ? ", " : " ", real_text((char[64]){ 0 }, e->k_q8[i]));
        fputs(" ];", f);
    }
    if (e->k_q4[0] + e->k_q4[1] + e->k_q4[2] + e->k_q4[3] > 0) {
        fputs(" quant4 = [", f);
        for (int i = 0; i < 4; i++)
            fprintf(f, "%s%s", i ? ", " : " ", real_text((char[64]){ 0 }, e->k_q4[i]));
        fputs(" ];", f);
    }
    if (e->tile_n > 0) {
        put_real(f, "tile_n", e->tile_n);
        fputs(" tile_gbps = [", f);
        for (int i = 0; i < 3; i++)
            fprintf(f, "%s%s", i ? ", " : " ", real_text((char[64]){ 0 }, e->tile_bw[i] * 1e-9));
        fputs(" ];", f);
        if (e->tile_except[0])
            fprintf(f, " tile_except = \"%s\";", e->tile_except);
        if (e->tile_dense_only)
            fputs(" tile_experts = false;", f);
    }
    fputs(" };", f);
}

static void put_engine(FILE *f, const struct rt_engine *e, bool last)
{
    fputs("  {\n", f);
    file_put_string(f, 4, "id", e->id);
    file_put_string(f, 4, "name", e->name);
    fputs("   ", f);
    put_real(f, "mbu", e->mbu);
    put_real(f, "mfu", e->mfu);
    fputs("\n    mbu_class = [", f);
    for (int i = 0; i < 3; i++)
        fprintf(f, "%s%s", i ? ", " : " ", real_text((char[64]){ 0 }, e->mbu_class[i]));
    fputs(" ];\n", f);
    const char *grp[] = { "mbu_family", "mfu_family" };
    const double *val[] = { e->mbu_family, e->mfu_family };
    for (int k = 0; k < 2; k++) {
        fprintf(f, "    %s = {", grp[k]);
        for (int i = 0; i < RT_FAM_N; i++)
            if (val[k][i] != 1.0)
                put_real(f, family_name((enum rt_family)i), val[k][i]);
        fputs(" };\n", f);
    }
    fputs("    coverage = {", f);
    for (int i = 0; i < RT_FAM_N; i++)
        if (e->band_runs[i] > 0)
        {
            if (e->band_classes)
                fprintf(f, " %s = [ %d, %d, %d ];", family_name((enum rt_family)i), e->band_in[i], e->band_runs[i], e->band_moe[i]);
            else
                fprintf(f, " %s = [ %d, %d ];", family_name((enum rt_family)i), e->band_in[i], e->band_runs[i]);
        }
    fputs(" };\n   ", f);
    put_real(f, "step_overhead_us", e->step_overhead_s * 1e6);
    put_real(f, "layer_overhead_us", e->layer_overhead_s * 1e6);
    if (e->layer_clock_hz > 0)
        put_real(f, "layer_clock_mhz", e->layer_clock_hz * 1e-6);
    put_real(f, "stage_overhead_us", e->stage_overhead_s * 1e6);
    put_real(f, "request_overhead_ms", e->request_overhead_s * 1e3);
    put_real(f, "first_pass_ms", e->first_pass_s * 1e3);
    fprintf(f, "\n    half_accumulate = %s;", e->half_accumulate ? "true" : "false");
    fprintf(f, " qgemm = \"%s\"; swa_kv = \"%s\";", qgemm_name(e->qgemm), swa_kv_name(e->swa_kv));
    fprintf(f, " attn_kernel = \"%s\"; kv_policy = \"%s\";", attn_kernel_name(e->attn_kernel),
            kv_policy_name(e->kv_policy));
    fprintf(f, " ssm_kernel = \"%s\";", ssm_kernel_name(e->ssm_kernel));
    if (e->custom_ar_max[0] + e->custom_ar_max[1] + e->custom_ar_max[2] > 0)
        fprintf(f, " custom_ar_bytes = [ %s, %s, %s ];", real_text((char[64]){ 0 }, e->custom_ar_max[0]),
                real_text((char[64]){ 0 }, e->custom_ar_max[1]), real_text((char[64]){ 0 }, e->custom_ar_max[2]));
    put_real(f, "context_gb", e->context_bytes / 1e9);
    put_real(f, "mem_util", e->mem_util);
    fprintf(f, " mem_util_of_free = %s;\n", e->mem_util_of_free ? "true" : "false");
    fprintf(f, "    max_batched_tokens = %lldL; max_seqs = %lldL; cuda_graph_max_bs = %lldL;",
            (long long)e->max_batched_tokens, (long long)e->max_seqs, (long long)e->cuda_graph_max_bs);
    put_real(f, "band_low", e->band_low);
    put_real(f, "band_high", e->band_high);
    put_kernels(f, e);
    fprintf(f, "\n  }%s\n", last ? "" : ",");
}

char *calib_profiles_text(const struct rt_engine *e, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fputs("# Engine profiles fitted by rooftop --calibrate (rooftop reads this file\n"
          "# after engines.cfg).  rooftop rewrites it at each calibration: comments\n"
          "# and other settings here are not kept; write your own profiles in engines.cfg.\n"
          "engines = (\n", f);
    for (size_t i = 0; i < n; i++)
        put_engine(f, &e[i], i + 1 == n);
    fputs(");\n", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int write_text(FILE *f, void *ctx)
{
    fputs(ctx, f);
    return ferror(f) ? -1 : 0;
}

/* The folder the catalog reads: dir, else $XDG_CONFIG_HOME/rooftop or ~/.config/rooftop. */
static int catalog_dir(const char *dir, char *d, size_t n, char *err, size_t errlen)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (dir && *dir)
        snprintf(d, n, "%s", dir);
    else if (xdg && *xdg)
        snprintf(d, n, "%s/rooftop", xdg);
    else if (home && *home)
        snprintf(d, n, "%s/.config/rooftop", home);
    else {
        snprintf(err, errlen, "no catalog folder: set XDG_CONFIG_HOME or HOME");
        return RT_EINVAL;
    }
    return RT_OK;
}

/* The profiles already in the file (none if it does not exist). */
static int read_profiles(const char *path, struct catalog *old, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? RT_OK : (snprintf(err, errlen, "%s: %s", path, strerror(errno)), RT_EINVAL);
    char *text = slurp_file(path, NULL, CAT_FILE_MAX);
    if (!text) {
        snprintf(err, errlen, "%s: %s (left as it is)", path, slurp_strerror(errno, CAT_FILE_MAX));
        return RT_EINVAL;
    }
    char e2[CAT_ERR_MAX];
    int rc = catalog_merge_text(old, text, path, NULL, e2, sizeof e2);
    free(text);
    if (rc != RT_OK) {
        snprintf(err, errlen, "%s (left as it is)", e2);
        return RT_EINVAL;
    }
    if (old->n_models || old->n_devices || old->n_formats || old->n_apis) {
        snprintf(err, errlen, "%s: holds more than engine profiles, which a rewrite would lose (left as it is)", path);
        return RT_EINVAL;
    }
    return RT_OK;
}

int calibrate_save(const struct rt_engine *e, const char *dir, char *path, size_t pathlen, char *err, size_t errlen)
{
    char d[PATH_MAX], why[128];
    if (catalog_dir(dir, d, sizeof d, err, errlen) != RT_OK)
        return RT_EINVAL;
    struct rt_engine ce = *e;
    if (!calib_clamp(&ce, why, sizeof why)) {
        snprintf(err, errlen, "profile '%s' not saved: %s", e->id, why);
        return RT_EINVAL;
    }
    if (file_mkdirs(d) != 0) {
        snprintf(err, errlen, "%s: %s", d, strerror(errno));
        return RT_EINVAL;
    }
    snprintf(path, pathlen, "%s/%s", d, CAT_CALIBRATED_FILE);
    struct catalog old;
    catalog_init(&old);
    if (read_profiles(path, &old, err, errlen) != RT_OK) {
        catalog_free(&old);
        return RT_EINVAL;
    }
    /* the earlier profiles, less one of the same id, then this one */
    struct rt_engine *all = malloc((old.n_engines + 1) * sizeof *all);
    size_t n = 0;
    for (size_t i = 0; all && i < old.n_engines; i++)
        if (strcmp(old.engines[i].id, ce.id) != 0)
            all[n++] = old.engines[i];
    catalog_free(&old);
    if (all)
        all[n++] = ce;
    char *text = all ? calib_profiles_text(all, n) : NULL;
    free(all);
    if (!text) {
        snprintf(err, errlen, "%s: out of memory", path);
        return RT_EINVAL;
    }
    /* never write what the catalog would refuse at the next start */
    struct catalog chk;
    catalog_init(&chk);
    char e2[CAT_ERR_MAX];
    int rc = catalog_merge_text(&chk, text, path, NULL, e2, sizeof e2);
    size_t got = rc == RT_OK && catalog_engine(&chk, ce.id) ? chk.n_engines : 0;
    catalog_free(&chk);
    if (rc != RT_OK || got != n) {
        snprintf(err, errlen, "profile not saved: the catalog would not read it back (%s)", rc != RT_OK ? e2 : "count");
        free(text);
        return RT_EINVAL;
    }
    rc = file_save_atomic(path, path, write_text, text, err, errlen);
    free(text);
    /* rooftop 0.2 rewrote engines.cfg itself: its temporaries of a killed save */
    char old_path[PATH_MAX + 16];
    snprintf(old_path, sizeof old_path, "%s/engines.cfg", d);
    file_sweep_temps(old_path);
    return rc;
}
