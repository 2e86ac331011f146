/* slurp.h - reading a whole file that a user named. */
#ifndef ROOFTOP_SLURP_H
#define ROOFTOP_SLURP_H

#include <stddef.h>

/* Read a whole regular file of at most max bytes (NUL-terminated); NULL with
 * errno set on failure: EISDIR for a folder, EINVAL for a FIFO, socket or
 * device (never waited on), EFBIG over max. */
char *slurp_file(const char *path, size_t *len, size_t max);
/* The same with extra open() flags (O_NOFOLLOW: ELOOP on a symbolic link). */
char *slurp_file_flags(const char *path, size_t *len, size_t max, int flags);
/* strerror() with plain words for slurp_file's EINVAL and EFBIG. */
const char *slurp_strerror(int e, size_t max);
/* open() for reading, with extra flags, that refuses anything but a regular
 * file (errno as slurp_file) without blocking on a FIFO; fills *st.  Returns
 * the fd or -1. */
struct stat;
int open_regular(const char *path, int flags, struct stat *st);

#endif
