/* files.c - see files.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/files.h"

int file_save_atomic(const char *path, const char *shown, int (*write)(FILE *f, void *ctx), void *ctx,
                     char *err, size_t errlen)
{
    char real[PATH_MAX];
    struct stat st;
    bool exists = lstat(path, &st) == 0;
    if (!exists && errno != ENOENT) {
        snprintf(err, errlen, "%s: %s", shown, strerror(errno));
        return -1;
    }
    if (exists && S_ISLNK(st.st_mode)) {
        if (!realpath(path, real) || stat(real, &st) != 0) {
            snprintf(err, errlen, "%s: a symbolic link to a missing file: not saved", shown);
            return -1;
        }
        path = real;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file (a folder, FIFO, socket or device): not replaced", shown);
        return -1;
    }
    char tmp[PATH_MAX + 16];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path) >= (int)sizeof tmp) {
        snprintf(err, errlen, "%s: path too long", shown);
        return -1;
    }
    mode_t old = umask(077);
    int fd = mkstemp(tmp);
    umask(old);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create a temporary file: %s", shown, strerror(errno));
        return -1;
    }
    if (exists && fchmod(fd, st.st_mode & 07777) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        snprintf(err, errlen, "%s: cannot keep the file's mode: %s", shown, strerror(e));
        return -1;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(tmp);
        snprintf(err, errlen, "%s: %s", shown, strerror(e));
        return -1;
    }
    errno = 0;
    int bad = write(f, ctx) != 0;
    int saved = errno ? errno : EIO;
    if (!bad && (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)) {
        bad = 1;
        saved = errno;
    }
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    if (bad || rename(tmp, path) != 0) {
        if (!bad)
            saved = errno;
        unlink(tmp);
        snprintf(err, errlen, "%s: cannot save: %s", shown, strerror(saved));
        return -1;
    }
    /* make the rename itself durable */
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = 0;
        int dfd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    return 0;
}

int file_mkdirs(const char *dir)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(tmp, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

void file_put_string(FILE *f, int indent, const char *key, const char *v)
{
    fprintf(f, "%*s%s = \"", indent, "", key);
    for (; *v; v++) {
        if (*v == '"' || *v == '\\')
            fputc('\\', f);
        if ((unsigned char)*v >= 32)
            fputc(*v, f);
    }
    fputs("\";\n", f);
}
