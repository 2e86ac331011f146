/* summary.h - the --accuracy report. */
#ifndef ROOFTOP_ACC_SUMMARY_H
#define ROOFTOP_ACC_SUMMARY_H
#include <stdio.h>
#include "catalog/catalog.h"

/* Replay csv_path and print the report to out; 0, or 1 with err set. */
int accuracy_run(const struct catalog *c, const char *csv_path, FILE *out, char *err, size_t errlen);
#endif
