/* cfgread.h - typed, range-checked reads of libconfig settings whose errors
 * name the file, the line and the field.  The first error sticks. */
#ifndef ROOFTOP_CFGREAD_H
#define ROOFTOP_CFGREAD_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cfgread {
    const char *file;
    char *err;
    size_t errlen;
    bool failed;
};

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
