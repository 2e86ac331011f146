/* calsave.h - calibrated engine profiles are saved in their own file,
 * CAT_CALIBRATED_FILE in the user's catalog folder, which the catalog reads
 * after engines.cfg: the user's engines.cfg (its comments, its @includes) is
 * never rewritten.  Every field is clamped to the range the catalog reads, and
 * the text is read back before it is written: a profile the catalog would
 * refuse is never saved. */
#ifndef ROOFTOP_CALSAVE_H
#define ROOFTOP_CALSAVE_H
#include <stdbool.h>
#include <stddef.h>
#include "core/types.h"

/* Clamp each field of e to the range the catalog's reader accepts, and make its
 * name printable; false (why says which field) when a field is not finite. */
bool calib_clamp(struct rt_engine *e, char *why, size_t n);
/* The file's text with profiles e[0..n) (malloc'ed; NULL: out of memory).
 * Reals are written with 17 digits, so that they read back as they were. */
char *calib_profiles_text(const struct rt_engine *e, size_t n);
/* Add (or replace by id) the profile in DIR/CAT_CALIBRATED_FILE atomically
 * (DIR NULL: the folder the catalog reads); the file written goes to path. */
int calibrate_save(const struct rt_engine *e, const char *dir, char *path, size_t pathlen, char *err, size_t errlen);
#endif
