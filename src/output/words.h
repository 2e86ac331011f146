/* words.h - the short words and texts of a result: the bound of a phase, the fit
 * verdict, the warnings in words, the kind of attention.  Below fields.c and
 * figures.c, which both use them (neither calls the other's way back). */
#ifndef ROOFTOP_WORDS_H
#define ROOFTOP_WORDS_H

#include "core/types.h"

/* Short texts of the warnings set in r->warnings, NULL-terminated into out. */
int warning_texts(unsigned warnings, const char **out, int max);
const char *bound_name(enum rt_bound b);
/* "FITS", "LOADS BUT PAGES" (past the usable share of unified memory) or "DOES NOT FIT" */
const char *fit_verdict(const struct rt_result *r);
/* "mha", "gqa", "mqa" or "mla". */
const char *attention_kind(const struct rt_model *m);

#endif
