/* prefs.c - see prefs.h. */
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/slurp.h"
#include "tui/prefs.h"
#include "base/files.h"
#include "catalog/catalog.h"
#include "base/cfgread.h"
#include "core/core.h"
#include "base/text.h"

#define PREFS_FILE_MAX (64u << 10)

/* false when neither XDG_CONFIG_HOME nor HOME says where: then nothing is kept */
static bool config_dir(char *buf, size_t n)
{
    const char *x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");
    if (x && *x == '/')
        snprintf(buf, n, "%s/rooftop", x);
    else if (h && *h == '/')
        snprintf(buf, n, "%s/.config/rooftop", h);
    else
        return false;
    return true;
}

void prefs_path(char *buf, size_t n)
{
    char dir[4000];
    if (config_dir(dir, sizeof dir))
        snprintf(buf, n, "%s/prefs.cfg", dir);
    else
        snprintf(buf, n, "/dev/null");
}

void prefs_load(struct prefs *p)
{
    memset(p, 0, sizeof *p);
    char path[4096];
    prefs_path(path, sizeof path);
    /* read as every other libconfig file: a regular file of at most 64 KiB (no
     * waiting on a FIFO), @include expanded by rooftop, bounded parse time */
    char *text = slurp_file(path, NULL, PREFS_FILE_MAX);
    if (!text)
        return;
    char dir[4096];
    cfg_dirname(path, dir, sizeof dir);
    prefs_parse(text, path, dir, p);
    free(text);
}

void prefs_parse(const char *text, const char *path, const char *dir, struct prefs *p)
{
    memset(p, 0, sizeof *p);
    char err[512];
    config_t cfg;
    config_init(&cfg);
    struct cfg_src src;
    if (cfg_parse(&cfg, text, path, dir, PREFS_FILE_MAX, &src, err, sizeof err) == RT_OK) {
        const char *s;
        if (config_lookup_string(&cfg, "theme", &s) && strlen(s) < sizeof p->theme)
            text_safe(p->theme, sizeof p->theme, s);
        if (config_lookup_string(&cfg, "last_session", &s) && strlen(s) < sizeof p->last_session)
            text_safe(p->last_session, sizeof p->last_session, s);
    }
    config_destroy(&cfg);
    cfg_src_free(&src);
}

static int write_prefs(FILE *f, void *ctx)
{
    const struct prefs *p = ctx;
    fputs("# rooftop's dashboard preferences, written by rooftop (edits are kept\n"
          "# only until the next change of theme or session)\n", f);
    file_put_string(f, 0, "theme", p->theme);
    file_put_string(f, 0, "last_session", p->last_session);
    return 0;
}

char *prefs_text(const struct prefs *p)
{
    /* a name the reader would change is not written */
    if (!file_string_ok(p->theme) || !file_string_ok(p->last_session))
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f || write_prefs(f, (void *)p) != 0 || fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int write_text(FILE *f, void *ctx)
{
    fputs(ctx, f);
    return ferror(f) ? -1 : 0;
}

int prefs_save(const struct prefs *p)
{
    char dir[4000], path[4096], err[512];
    char *text = prefs_text(p);
    if (!text || !config_dir(dir, sizeof dir) || file_mkdirs(dir) != 0) {
        free(text);
        return -1;
    }
    prefs_path(path, sizeof path);
    int rc = file_save_atomic(path, path, write_text, text, err, sizeof err) == RT_OK ? 0 : -1;
    free(text);
    return rc;
}
