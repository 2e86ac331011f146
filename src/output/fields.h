/* fields.h - every printable figure as (key, value) pairs, written once and
 * fed to the JSON, CSV and table writers, so that they never disagree. */
#ifndef ROOFTOP_FIELDS_H
#define ROOFTOP_FIELDS_H

#include <stdbool.h>
#include <stdint.h>
#include "scenario/spec.h"
#include "output/words.h" /* the words of a result, once declared here */

struct sink {
    void (*str)(struct sink *s, const char *key, const char *v);
    void (*num)(struct sink *s, const char *key, double v);
    void (*integer)(struct sink *s, const char *key, int64_t v);
    void (*boolean)(struct sink *s, const char *key, bool v);
    void *ctx;
};

void fields_result(struct sink *s, const struct rt_resolved *rs, const struct rt_result *r);
/* The same with every figure of the table, empty where it does not apply (CSV: one set of
 * columns whatever the scenario, so a sweep's rows stay under its header). */
void fields_result_every(struct sink *s, const struct rt_resolved *rs, const struct rt_result *r);
void fields_model(struct sink *s, const struct rt_model *m);
void fields_device(struct sink *s, const struct rt_device *d);
void fields_format(struct sink *s, const struct rt_format *f);
void fields_engine(struct sink *s, const struct rt_engine *e);
void fields_api(struct sink *s, const struct rt_api *a);

#endif
