/* files.h - writing a user's file safely: one implementation for sessions,
 * dashboard preferences and calibrated engine profiles. */
#ifndef ROOFTOP_FILES_H
#define ROOFTOP_FILES_H

#include <stddef.h>
#include <stdio.h>

/* Write `path` atomically: a temporary file in the same folder, the content
 * from write(f, ctx) (non-zero: failed), fsync, rename over the old file, fsync
 * of the folder.  A regular file keeps its mode; a symbolic link is followed and
 * its target replaced (the link stays); anything else (a folder, FIFO, socket,
 * device) is refused; a new file gets mode 0600.  No temporary file is left
 * behind on failure.  0, or -1 with a message naming `shown` (the values of
 * RT_OK and RT_EINVAL). */
int file_save_atomic(const char *path, const char *shown, int (*write)(FILE *f, void *ctx), void *ctx,
                     char *err, size_t errlen);
/* mkdir -p with mode 0700; 0 or -1 with errno set. */
int file_mkdirs(const char *dir);
/* key = "value"; as a libconfig literal: quotes and backslashes escaped,
 * control characters dropped; `indent` spaces first. */
void file_put_string(FILE *f, int indent, const char *key, const char *v);

#endif
