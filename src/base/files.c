/* files.c - see files.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "base/cfgread.h"
#include "base/files.h"
#include "base/slurp.h"
#include "base/text.h"

/* A file rooftop may replace: one that reads as a libconfig file without
 * @include (every file rooftop writes is one); never a shell profile, a key
 * or anything else a symbolic link may point at. */
static bool rooftop_file(const char *path)
{
    char *text = slurp_file(path, NULL, FILE_REPLACE_MAX);
    if (!text)
        return false;
    config_t cfg;
    config_init(&cfg);
    struct cfg_src src;
    char err[256];
    bool ok = cfg_parse(&cfg, text, path, NULL, FILE_REPLACE_MAX, &src, err, sizeof err) == 0;
    config_destroy(&cfg);
    cfg_src_free(&src);
    free(text);
    return ok;
}

void file_sweep_temps(const char *path)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : path;
    if (slash)
        *slash = 0;
    size_t bl = strlen(base);
    DIR *d = opendir(slash ? (dir[0] ? dir : "/") : ".");
    if (!d)
        return;
    time_t now = time(NULL);
    struct dirent *de;
    while ((de = readdir(d))) {
        /* BASE.tmp.XXXXXX, mkstemp's six characters */
        const char *n = de->d_name;
        if (strncmp(n, base, bl) != 0 || strncmp(n + bl, ".tmp.", 5) != 0 || strlen(n + bl + 5) != 6)
            continue;
        struct stat st;
        if (fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            now - st.st_mtime > FILE_TEMP_STALE_S)
            unlinkat(dirfd(d), n, 0);
    }
    closedir(d);
}

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
        if (S_ISREG(st.st_mode) && !rooftop_file(real)) {
            snprintf(err, errlen, "%s: a symbolic link to a file that is not rooftop's (not a libconfig file): "
                     "not replaced", shown);
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
    file_sweep_temps(path);
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

bool file_string_ok(const char *v)
{
    size_t n = strlen(v);
    char *safe = malloc(n + 1);
    bool ok = safe && strcmp(text_safe(safe, n + 1, v), v) == 0;
    free(safe);
    return ok;
}

