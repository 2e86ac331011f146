/* crossval.h - cross-validate the fit: refit without a group of rows (a
 * publication, a device family) and predict that group from the rest. */
#ifndef ROOFTOP_CROSSVAL_H
#define ROOFTOP_CROSSVAL_H
#include <stdbool.h>
#include "accuracy/accuracy.h"

/* How rows are grouped for leave-one-group-out cross-validation, with each split's
 * name in the report: each publication; each device family (nvidia-dc,
 * nvidia-consumer, apple, ...); the bands' coverage: a publication, for an engine with
 * one publication a device, with one device a model. */
#define CV_SPLITS(X)                                                                                         \
    X(CV_SOURCE, "leave one publication out")                                                               \
    X(CV_FAMILY, "leave one device family out")                                                             \
    X(CV_BAND, "band coverage (leave one publication, device or model out)")
#define CV_SPLIT_ENUM(id, name) id,
enum cv_split { CV_SPLITS(CV_SPLIT_ENUM) CV_N };
#undef CV_SPLIT_ENUM
const char *cv_split_name(int s);

/* Out-of-fold predictions: for each group, every engine with rows in it is
 * refitted from fit_prior() on its rows outside the group (no rows left: the
 * prior itself) and predicts the group's rows.  pred/lo/hi per row (0: not
 * replayed).  group (may be NULL) receives each row's group number. */
int accuracy_cv(const struct catalog *c, const struct acc_set *set, enum cv_split split, unsigned knobs,
                double *pred, double *lo, double *hi, int *group);
/* The same for the groups that hold a row with want[i] true (want NULL: all);
 * the other rows are left at 0. */
int accuracy_cv_some(const struct catalog *c, const struct acc_set *set, enum cv_split split, unsigned knobs,
                     const bool *want, double *pred, double *lo, double *hi, int *group);
/* Whether a row's engine has rows from more than one publication (then its
 * band-coverage groups are its publication groups). */
bool accuracy_multi_source(const struct acc_set *set, size_t row);
#endif
