/* cfgread.h - typed, range-checked reads of libconfig settings whose errors
 * name the file, the line and the field.  The first error sticks. */
#ifndef ROOFTOP_CFGREAD_H
#define ROOFTOP_CFGREAD_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where each line of a parsed text came from, once @include lines have been
 * replaced by the files they name (see cfg_parse). */
struct cfg_src {
    char **files;                   /* files[0] is the text's own name */
    int n_files;
    int *file_of, *line_of;         /* per line of the expanded text (1-based lines) */
    size_t n_lines, cap_lines;
};

struct cfgread {
    const char *file;
    char *err;
    size_t errlen;
    bool failed;
    const struct cfg_src *src;      /* maps lines back to files (may be NULL) */
};

/* Bounds on what cfg_parse reads, so that libconfig's work stays linear. */
#define CFG_INCLUDE_DEPTH 10        /* nested @include levels (libconfig's own limit) */
#define CFG_INCLUDE_MAX 64          /* @include lines in all, nested ones counted */
#define CFG_GROUP_KEYS_MAX 128      /* settings in one group (a model entry has about 35) */
#define CFG_NEST_MAX 32             /* groups, lists and arrays inside each other */

/* Parse text into cfg (config_init'ed by the caller), named name in errors.
 * @include lines are expanded here, never by libconfig: each must name a
 * plain file in dir (the including file's folder: no '/', no "." or "..",
 * not a symbolic link) that is a regular file; with dir NULL any @include is
 * refused.  The text with its includes may be at most max bytes.  On error err
 * names file:line and the text is not echoed.  src (freed with cfg_src_free)
 * maps lines back for later errors.  0, or -1 (the values of RT_OK and
 * RT_EINVAL). */
int cfg_parse(config_t *cfg, const char *text, const char *name, const char *dir, size_t max,
              struct cfg_src *src, char *err, size_t errlen);
void cfg_src_free(struct cfg_src *src);
/* The folder of a path ("." when it has no '/'). */
void cfg_dirname(const char *path, char *dir, size_t n);

int cfg_fail(struct cfgread *r, const config_setting_t *s, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A negative default marks the field as required. */
int64_t cfg_int(struct cfgread *r, config_setting_t *g, const char *key, int64_t def, int64_t min, int64_t max);
double cfg_real(struct cfgread *r, config_setting_t *g, const char *key, double def, double min, double max);
bool cfg_bool(struct cfgread *r, config_setting_t *g, const char *key, bool def);
/* def NULL: required. */
void cfg_str(struct cfgread *r, config_setting_t *g, const char *key, char *out, size_t n, const char *def);
int cfg_enum(struct cfgread *r, config_setting_t *g, const char *key, const char *const *names, int def);
void cfg_real_array(struct cfgread *r, config_setting_t *g, const char *key, double *out, int n,
                    double min, double max);

#endif
