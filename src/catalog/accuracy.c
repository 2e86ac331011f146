/* accuracy.c - placeholder, replaced by the calibration work. */
#include <stdio.h>
#include "accuracy.h"
#include "../core/core.h"
int accuracy_run(const struct catalog *c, const char *csv_path, FILE *out, char *err, size_t errlen)
{
    (void)c; (void)out;
    snprintf(err, errlen, "%s: accuracy replay not implemented yet", csv_path);
    return 1;
}
