/* crossval.c - leave-one-group-out cross-validation of the fitted engine
 * profiles (crossval.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "accuracy/crossval.h"
#include "accuracy/fit.h"
#include "catalog/catalog.h"
#include "core/core.h"

#define SPLIT_NAME(id, name) name,
static const char *const split_names[CV_N] = { CV_SPLITS(SPLIT_NAME) };
#undef SPLIT_NAME
const char *cv_split_name(int s) { return s >= 0 && s < CV_N ? split_names[s] : "?"; }

/* Index of s in names[0..*n), appended if new. */
static int intern(const char **names, int *n, int max, const char *s)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    if (*n >= max)
        return max - 1;
    names[*n] = s;
    return (*n)++;
}

/* Two rows that report the same run with the same value. */
static bool same_run(const struct acc_row *a, const struct acc_row *b)
{
    return strcmp(a->engine, b->engine) == 0 && strcmp(a->device, b->device) == 0 &&
           strcmp(a->model, b->model) == 0 && strcmp(a->weights.id, b->weights.id) == 0 && a->metric == b->metric &&
           a->batch == b->batch && a->devices == b->devices && fabs(a->value - b->value) <= 1e-9 * fabs(b->value);
}

/* Group numbers per row; -1 for rows not replayed. */
static int make_groups(const struct acc_set *set, enum cv_split split, int *g)
{
    enum { MAXG = 4096 };
    static const char *names[MAXG];
    int ng = 0;
    for (size_t i = 0; i < set->n; i++) {
        const struct acc_row *r = &set->rows[i];
        g[i] = -1;
        if (r->skip || !r->rs)
            continue;
        /* the same measurement transcribed by two publications is one: both
         * copies go with the first publication, so neither predicts the other */
        const char *key = r->source;
        for (size_t j = 0; j < i; j++) {
            const struct acc_row *o = &set->rows[j];
            if (!o->skip && o->rs && same_run(o, r)) {
                key = o->source;
                break;
            }
        }
        if (split == CV_FAMILY) {
            key = family_name((enum rt_family)r->family); /* one name per family */
        } else if (split == CV_BAND) {
            /* how many publications, devices this row's engine has */
            const char *src0 = NULL, *dev0 = NULL;
            bool many_src = false, many_dev = false;
            for (size_t j = 0; j < set->n; j++) {
                const struct acc_row *o = &set->rows[j];
                if (o->skip || !o->rs || strcmp(o->engine, r->engine))
                    continue;
                if (!src0) src0 = o->source, dev0 = o->device;
                many_src |= strcmp(o->source, src0) != 0;
                many_dev |= strcmp(o->device, dev0) != 0;
            }
            key = many_src ? key : many_dev ? r->device : r->model;
        }
        /* groups are per key and engine: folds of different engines are independent */
        static char buf[4096][RT_ID_MAX * 2 + 160];
        size_t slot = i < 4096 ? i : 4095;
        snprintf(buf[slot], sizeof buf[slot], "%s|%s", r->engine, key);
        g[i] = intern(names, &ng, MAXG, buf[slot]);
    }
    return ng;
}

bool accuracy_multi_source(const struct acc_set *set, size_t row)
{
    const struct acc_row *r = &set->rows[row];
    for (size_t j = 0; j < set->n; j++) {
        const struct acc_row *o = &set->rows[j];
        if (!o->skip && o->rs && strcmp(o->engine, r->engine) == 0 && strcmp(o->source, r->source) != 0)
            return true;
    }
    return false;
}

int accuracy_cv(const struct catalog *c, const struct acc_set *set, enum cv_split split, unsigned mask,
                double *pred, double *lo, double *hi, int *group)
{
    return accuracy_cv_some(c, set, split, mask, NULL, pred, lo, hi, group);
}

int accuracy_cv_some(const struct catalog *c, const struct acc_set *set, enum cv_split split, unsigned mask,
                     const bool *want, double *pred, double *lo, double *hi, int *group)
{
    int *g = malloc((set->n ? set->n : 1) * sizeof *g);
    bool *use = malloc((set->n ? set->n : 1) * sizeof *use);
    if (!g || !use) {
        free(g);
        free(use);
        return RT_EINVAL;
    }
    int ng = make_groups(set, split, g);
    for (size_t i = 0; i < set->n; i++)
        pred[i] = lo[i] = hi[i] = 0;
    for (int k = 0; k < ng; k++) {
        /* the engine of this group (every row of a group has the same one) */
        const struct acc_row *first = NULL;
        bool wanted = !want;
        for (size_t i = 0; i < set->n; i++)
            if (g[i] == k) {
                if (!first)
                    first = &set->rows[i];
                wanted |= want && want[i];
            }
        if (!first || !wanted)
            continue;
        const struct rt_engine *base = catalog_engine(c, first->engine);
        if (!base)
            continue;
        /* train on the engine's rows outside the group: for a device-family
         * split, outside the family for every engine */
        for (size_t i = 0; i < set->n; i++)
            use[i] = g[i] >= 0 && g[i] != k;
        struct rt_engine e;
        fit_prior(base, &e);
        fit_engine(c, set, first->engine, use, mask, &e, NULL);
        for (size_t i = 0; i < set->n; i++) {
            if (g[i] != k)
                continue;
            double p, l, h;
            if (accuracy_predict(c, &set->rows[i], &e, &p, &l, &h) == RT_OK) {
                pred[i] = p;
                lo[i] = l;
                hi[i] = h;
            }
        }
    }
    if (group)
        memcpy(group, g, set->n * sizeof *g);
    free(g);
    free(use);
    return RT_OK;
}
