/* lengths.h - request lengths drawn from a distribution (doc/method.md, serving):
 * fixed, uniform in [(1-R) mean, (1+R) mean], or log-normal with the given mean and
 * log-space sigma S.  Seeded and deterministic.  Pure C, no I/O, no globals. */
#ifndef ROOFTOP_LENGTHS_H
#define ROOFTOP_LENGTHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/types.h"             /* struct rt_dist */

/* Parse "fixed", "uniform:R" (0 <= R <= 1) or "lognormal:S" (0 < S <= 4); false if
 * the text is none of them. */
bool rt_dist_parse(const char *text, struct rt_dist *d);
/* The text rt_dist_parse reads back ("fixed", "uniform:0.5", "lognormal:1"). */
void rt_dist_format(const struct rt_dist *d, char *buf, size_t n);
/* n lengths of mean `mean`, each at least `min`, rounded to whole tokens, drawn from
 * the seeded stream *state (splitmix64). */
void rt_dist_sample(const struct rt_dist *d, double mean, int64_t min, int64_t n, uint64_t *state, int64_t *out);
/* A uniform variate in [0, 1) from a splitmix64 stream. */
double rt_uniform01(uint64_t *state);

#endif
