/* devscale.h - device scaling in the accuracy replay (devscale.c). */
#ifndef ROOFTOP_DEVSCALE_H
#define ROOFTOP_DEVSCALE_H
#include <stdio.h>
#include "accuracy/accuracy.h"

/* Print the scaling error between devices over the scored rows (their `predicted`
 * set by accuracy_score): all pairs, pairs across device families, and per device
 * against an H200 in the same publication. */
void accuracy_device_scaling(const struct acc_set *set, FILE *out);
#endif
