/* itlload.h - inter-token latency under load: the rows that publish it, replayed
 * through the serving simulation with each publication left out. */
#ifndef ROOFTOP_ACC_ITLLOAD_H
#define ROOFTOP_ACC_ITLLOAD_H
#include <stddef.h>
#include <stdio.h>
#include "accuracy/accuracy.h"
#include "catalog/catalog.h"

/* Each ACC_ITL row of set, its engine refitted (from the prior profile) on the rows of
 * the other publications, run as the row ran (a closed loop of its clients, its lengths
 * and limits): |replayed - measured| / measured into err[] (at most max), the count
 * returned.  With detail, one line per row (measured, replayed, running sequences). */
size_t accuracy_itl_left_out(const struct catalog *c, const struct acc_set *set, double *err, size_t max,
                             FILE *detail);
#endif
