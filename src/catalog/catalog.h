/* catalog.h - models, devices, formats and engines, read from libconfig files.
 *
 * The built-in catalog is compiled into the binary from the presets folder; the
 * installed copy (if of a newer revision) and the user's files under
 * $XDG_CONFIG_HOME/rooftop/ add or override entries by id.
 */
#ifndef ROOFTOP_CATALOG_H
#define ROOFTOP_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include "core/types.h"

#define CAT_ERR_MAX 512
/* The largest catalog file read, its includes counted (the built-in devices.cfg is 16 KB). */
#define CAT_FILE_MAX (4u << 20)
/* The most entries of one kind (the built-in catalog has under 100 of each). */
#define CAT_ENTRIES_MAX 4096

/* The user's calibrated engine profiles (rooftop --calibrate writes them), read
 * after engines.cfg from the same folder. */
#define CAT_CALIBRATED_FILE "calibrated-engines.cfg"

/* The ranges the reader accepts for an engine's fields (what --calibrate writes
 * is clamped to them): efficiencies at least ENG_EFF_MIN (at most
 * RT_EFFICIENCY_MAX), class and family factors, overheads, memory, the band. */
#define ENG_EFF_MIN 0.01
#define ENG_FACTOR_MIN 0.05
#define ENG_FACTOR_MAX 2.0
#define ENG_STEP_US_MAX 1e7             /* step_overhead_us, stage_overhead_us */
#define ENG_LAYER_US_MAX 1e6
#define DEV_BOOST_MHZ_MIN 100.0         /* boost_mhz (devices), layer_clock_mhz (engines) */
#define DEV_BOOST_MHZ_MAX 5000.0
#define ENG_REQUEST_MS_MAX 1e6
#define ENG_FIRST_PASS_MS_MAX 1e3       /* first_pass_ms */
#define ENG_CONTEXT_GB_MAX 1e4
#define ENG_MEM_UTIL_MIN 0.05
#define ENG_BATCHED_MAX ((int64_t)1 << 30)
#define ENG_SEQS_MAX ((int64_t)1 << 24)
#define ENG_BAND_LOW_MIN 0.1
#define ENG_BAND_HIGH_MAX 10.0
#define ENG_RUNS_MAX 1000000            /* coverage = [inside, runs] */
#define ENG_PAD_BLOCK_MAX 4096          /* kernels.moe_pad_block: rows a padded block holds */

/* A priced API offering, to compare self-hosting with. */
struct rt_api {
    char id[RT_ID_MAX];
    char name[RT_NAME_MAX];
    double input_usd_mtok, output_usd_mtok; /* USD per million tokens */
    int64_t context;                /* context limit, tokens (0: unknown) */
    char date[16];                  /* date of the price, YYYY-MM-DD or YYYY-MM */
    char source[256];               /* where the price was published */
    double ttft_s, output_tok_s;    /* published median time to first token and output speed (0: none) */
    char latency_date[16];          /* when those were measured or read */
    char latency_source[256];       /* where they were published */
};

struct catalog {
    struct rt_model *models;
    size_t n_models, cap_models;
    struct rt_device *devices;
    size_t n_devices, cap_devices;
    struct rt_format *formats;
    size_t n_formats, cap_formats;
    struct rt_engine *engines;
    size_t n_engines, cap_engines;
    struct rt_api *apis;
    size_t n_apis, cap_apis;
    int revision[5];                /* per kind, of the built-in files */
    bool borrowed;                  /* the arrays are the built-in tables themselves: never freed or written */
};

enum cat_kind { CAT_MODELS, CAT_DEVICES, CAT_FORMATS, CAT_ENGINES, CAT_APIS, CAT_KIND_N };

/* Warnings about skipped user files go here (may be NULL: dropped). */
typedef void (*cat_warn_fn)(const char *msg, void *ctx);

void catalog_init(struct catalog *c);
void catalog_free(struct catalog *c);
/* Load the built-in catalog; RT_OK or an error (a broken build): builtin.c. */
int catalog_load_builtin(struct catalog *c, char *err, size_t errlen);
/* Parse the embedded preset texts (what catgen does, and the tests compare with). */
int catalog_parse_builtin(struct catalog *c, char *err, size_t errlen);
/* Merge one file (or text) into the catalog: all or nothing.  Errors name file:line: field.
 * @include may name a regular file in dir (the file's folder; NULL: none allowed). */
int catalog_merge_file(struct catalog *c, const char *path, char *err, size_t errlen);
int catalog_merge_text(struct catalog *c, const char *text, const char *name, const char *dir,
                       char *err, size_t errlen);
/* The installed copy (if newer) and the user's files; each bad file is skipped with a warning. */
void catalog_load_overlays(struct catalog *c, const char *pkgdatadir, cat_warn_fn warn, void *ctx);
/* Everything: built-in plus overlays. */
int catalog_load_all(struct catalog *c, const char *pkgdatadir, cat_warn_fn warn, void *ctx,
                     char *err, size_t errlen);

const struct rt_model *catalog_model(const struct catalog *c, const char *id);
const struct rt_device *catalog_device(const struct catalog *c, const char *id);
const struct rt_format *catalog_format(const struct catalog *c, const char *id);
const struct rt_engine *catalog_engine(const struct catalog *c, const char *id);
const struct rt_api *catalog_api(const struct catalog *c, const char *id);

/* "unknown model 'x'; did you mean: a, b, c?" for the nearest ids. */
void catalog_suggest(const struct catalog *c, enum cat_kind kind, const char *id, char *out, size_t n);

/* Names of enums as written in files and output. */
const char *prec_name(enum rt_prec p);
const char *family_name(enum rt_family f);
/* Whether a weight format id names a GGUF tensor type llama.cpp loads: the Q and IQ families,
 * F32, F16, BF16 and MXFP4 (gpt-oss's). */
bool format_is_gguf(const char *id);
/* An engine's `qgemm` name (enum rt_qgemm, core/kclass.h). */
const char *qgemm_name(int q);
const char *swa_kv_name(int k); /* engines.cfg swa_kv: "window", "full", "hybrid" */
int swa_kv_parse(const char *s); /* its index, -1: none of them */
const char *kv_policy_name(int k); /* engines.cfg kv_policy: "reserve", "grow" */
int kv_policy_parse(const char *s); /* its index, -1: none of them */
const char *backend_name(int b); /* ggml compute backends: "auto", "cuda", "rocm", "vulkan", ... */
int backend_parse(const char *s); /* its index, -1: none of them */
const char *attn_kernel_name(int k); /* engines.cfg attn_kernel: "unmeasured", "flashinfer", ... */
const char *ssm_kernel_name(int k);  /* engines.cfg ssm_kernel: "unmeasured", "triton-ssu" */
const char *host_cpu_name(int h);          /* "x86", "grace" */

#endif
