/* spec.h - a scenario named by ids (what users type and sessions store), and
 * its resolution against the catalog into the core's rt_scenario. */
#ifndef ROOFTOP_SPEC_H
#define ROOFTOP_SPEC_H

#include <limits.h>
#include "catalog/catalog.h"
#include "scenario/spec_types.h"    /* struct rt_spec, struct rt_resolved */

/* The last model file read (a config.json or a GGUF header), keyed by its path,
 * size, modification time and inode: resolving again with the same file, unchanged,
 * copies the model instead of reading and parsing the file again (the dashboard
 * resolves on every key).  Zero it to start; it owns nothing. */
struct model_cache {
    bool valid;
    char path[PATH_MAX];
    long long size, mtime_ns, ino;
    bool gguf;
    int rc;                         /* the import's result: RT_OK, or the error below */
    struct rt_model model;
    double weight_bytes;            /* GGUF: its tensor table's bytes and dominant type */
    char file_type[32];
    char warning[512];              /* config.json: the import's assumption */
    char err[RT_ERR_MAX * 2];
    long reads;                     /* files read through it (tests) */
};

void spec_default(struct rt_spec *sp);
/* The id of the format the attention projections are in (--attn-weights resolved; a
 * scenario built without it: the weight format's). */
const char *spec_attn_weights(const struct rt_resolved *rs);
/* The format a model ships in: its native_weights, else "bf16". */
const char *spec_native_weights(const struct rt_model *m);
/* That format from the catalog, with the tensor classes the model keeps in other formats
 * (native_attn_weights, native_dense_weights) applied into *buf; NULL when one is unknown. */
const struct rt_format *spec_native_format(const struct catalog *c, const struct rt_model *m,
                                           struct rt_format *buf);
/* Resolve; on error the message names the option's field ("--model", "--gpu", ...). */
int spec_resolve(const struct catalog *c, const struct rt_spec *sp, struct rt_resolved *out,
                 char *err, size_t errlen);
/* The same, reading a model file through the cache (NULL: no cache). */
int spec_resolve_cached(const struct catalog *c, const struct rt_spec *sp, struct model_cache *mc,
                        struct rt_resolved *out, char *err, size_t errlen);
/* Whether two specs resolve alike: they differ at most in inputs that the loop copies
 * plainly (inputs.c, TO).  Then spec_update brings a scenario resolved from one up to
 * the other without resolving again (the limits checked, then the rows copied). */
bool spec_same_resolve(const struct rt_spec *a, const struct rt_spec *b);
int spec_update(const struct rt_spec *sp, struct rt_resolved *out, char *err, size_t errlen);
/* Import a model from a path (config.json or GGUF); RT_OK or an error naming the file. */
int model_import(const char *path, struct rt_model *m, char *warn, size_t warnlen, char *err, size_t errlen);
bool spec_model_is_path(const char *s);
/* A GGUF file: by its .gguf suffix, or a file (a path with a '/') that starts with "GGUF". */
bool spec_model_is_gguf(const char *path);

#endif
