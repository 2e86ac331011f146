/* files.h - writing a user's file safely: one implementation for sessions,
 * dashboard preferences and calibrated engine profiles. */
#ifndef ROOFTOP_FILES_H
#define ROOFTOP_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Write `path` atomically: a temporary file in the same folder, the content
 * from write(f, ctx) (non-zero: failed), fsync, rename over the old file, fsync
 * of the folder.  A regular file keeps its mode; a symbolic link is followed and
 * its target replaced (the link stays) when the target reads as a libconfig
 * file of at most FILE_REPLACE_MAX bytes (a file rooftop wrote), else refused;
 * anything else (a folder, FIFO, socket, device) is refused; a new file gets
 * mode 0600.  No temporary file is left
 * behind on failure.  0, or -1 with a message naming `shown` (the values of
 * RT_OK and RT_EINVAL). */
#define FILE_REPLACE_MAX (4u << 20)
int file_save_atomic(const char *path, const char *shown, int (*write)(FILE *f, void *ctx), void *ctx,
                     char *err, size_t errlen);
/* Remove the temporary files of `path` (path.tmp.XXXXXX) that a save killed
 * before its rename left behind: those not modified for FILE_TEMP_STALE_S
 * seconds (a save takes milliseconds).  file_save_atomic calls it after each save. */
#define FILE_TEMP_STALE_S 60
void file_sweep_temps(const char *path);
/* mkdir -p with mode 0700; 0 or -1 with errno set. */
int file_mkdirs(const char *dir);
/* v reads back as it is written by file_put_string (no control characters, valid
 * UTF-8, under 1 KiB): the writers refuse a value that would not. */
bool file_string_ok(const char *v);
/* key = "value"; as a libconfig literal: quotes and backslashes escaped,
 * control characters dropped; `indent` spaces first. */
void file_put_string(FILE *f, int indent, const char *key, const char *v);

#endif
