/* accuracy.h - replay measured results (calibration.csv format) through the
 * estimator and report the error per metric class. */
#ifndef ROOFTOP_ACCURACY_H
#define ROOFTOP_ACCURACY_H
#include <stdio.h>
#include "catalog.h"
int accuracy_run(const struct catalog *c, const char *csv_path, FILE *out, char *err, size_t errlen);
#endif
