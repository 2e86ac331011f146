/* slurp.c - reading a whole file that a user named: only regular files, never
 * blocking on a FIFO, never more than a cap. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/slurp.h"

int open_regular(const char *path, int flags, struct stat *st)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | flags);
    if (fd < 0)
        return -1;
    if (fstat(fd, st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    if (!S_ISREG(st->st_mode)) {
        close(fd);
        errno = S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

const char *slurp_strerror(int e, size_t max)
{
    static char buf[96];
    if (e == EINVAL)
        return "not a regular file (a FIFO, socket or device)";
    if (e == ELOOP)
        return "a symbolic link (not followed here)";
    if (e == EFBIG) {
        snprintf(buf, sizeof buf, "larger than %zu KiB, the most read for this kind of file", max >> 10);
        return buf;
    }
    return strerror(e);
}

char *slurp_file(const char *path, size_t *len, size_t max) { return slurp_file_flags(path, len, max, 0); }

char *slurp_file_flags(const char *path, size_t *len, size_t max, int flags)
{
    struct stat st;
    int fd = open_regular(path, flags, &st);
    if (fd < 0)
        return NULL;
    if (st.st_size < 0 || (uint64_t)st.st_size > (uint64_t)max) {
        close(fd);
        errno = EFBIG;
        return NULL;
    }
    size_t want = (size_t)st.st_size;
    char *buf = malloc(want + 1);
    if (!buf) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    size_t n = 0;
    while (n < want) { /* never more than the size checked above, even if the file grows */
        ssize_t got = read(fd, buf + n, want - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            close(fd);
            free(buf);
            errno = e;
            return NULL;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}
