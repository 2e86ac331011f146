/* fuzz.h - shared by the libFuzzer targets (make fuzz): the built-in catalog,
 * a base scenario, and the check that an accepted input gives finite,
 * non-negative figures.  A failed check aborts: libFuzzer keeps the input. */
#ifndef ROOFTOP_FUZZ_H
#define ROOFTOP_FUZZ_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "catalog/catalog.h"
#include "scenario/spec.h"
#include "core/core.h"
#include "../sane.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct catalog *fuzz_catalog(void)
{
    static struct catalog c;
    static int loaded;
    if (!loaded) {
        char err[512];
        catalog_init(&c);
        if (catalog_load_builtin(&c, err, sizeof err) != RT_OK) {
            fprintf(stderr, "built-in catalog: %s\n", err);
            abort();
        }
        loaded = 1;
    }
    return &c;
}

/* The default scenario (Llama 3.1 8B on one H100), resolved once. */
static const struct rt_resolved *fuzz_base(void)
{
    static struct rt_resolved rs;
    static int done;
    if (!done) {
        struct rt_spec sp;
        char err[512];
        spec_default(&sp);
        if (spec_resolve(fuzz_catalog(), &sp, &rs, err, sizeof err) != RT_OK) {
            fprintf(stderr, "base scenario: %s\n", err);
            abort();
        }
        done = 1;
    }
    return &rs;
}

/* Estimate s; when the core accepts it, every figure must be finite and >= 0. */
static void fuzz_check_scenario(const struct rt_scenario *s, const char *what)
{
    struct rt_result r;
    char err[512];
    if (rt_estimate(s, &r, err, sizeof err) != RT_OK)
        return;
    const char *bad = result_insane(s, &r);
    if (bad) {
        fprintf(stderr, "%s: accepted, but %s is not a finite non-negative number\n", what, bad);
        abort();
    }
}

/* An accepted model on the base scenario, and at batch 64 over 32k tokens on 8 devices. */
static inline void fuzz_check_model(const struct rt_model *m)
{
    struct rt_scenario s = fuzz_base()->s;
    s.model = m;
    fuzz_check_scenario(&s, m->id);
    s.batch = 64;
    s.prompt = 32768;
    s.devices = s.tp = 8;
    fuzz_check_scenario(&s, m->id);
}

/* The input as a NUL-terminated string (freed by the caller). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *t = malloc(size + 1);
    if (t) {
        memcpy(t, data, size);
        t[size] = 0;
    }
    return t;
}
#endif
