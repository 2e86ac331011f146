/* session.c - see session.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/slurp.h"
#include "base/cfgread.h"
#include "catalog/embedded.h"
#include "scenario/session.h"
#include "base/files.h"
#include "scenario/inputs.h"
#include "core/core.h"

void session_default(struct session *s)
{
    memset(s, 0, sizeof *s);
    spec_default(&s->spec);
    snprintf(s->field, sizeof s->field, "batch");
    snprintf(s->theme, sizeof s->theme, "default");
}

/* rooftop 0.1 (format 1) wrote spec_tokens = 0 and spec_accept = 0 for "the default". */
static bool format1_default(int64_t version, const struct input *in, const config_setting_t *m)
{
    int t = config_setting_type(m);
    return version == 1 && (strcmp(in->session_key, "spec_tokens") == 0 || strcmp(in->session_key, "spec_accept") == 0) &&
           (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT) && config_setting_get_float(m) == 0 &&
           config_setting_get_int64(m) == 0;
}

/* Every input with a session key; an absent key keeps its default. */
static void read_inputs(struct cfgread *r, config_setting_t *g, int64_t version, struct rt_spec *sp)
{
    for (size_t i = 0; i < n_inputs && !r->failed; i++) {
        const struct input *in = &inputs[i];
        config_setting_t *m = config_setting_get_member(g, in->session_key);
        if (!m)
            continue;
        char text[PATH_MAX];
        double v = 0;
        switch (in->type) {
        case IN_ID:
            cfg_str(r, g, in->session_key, text, sizeof text < in->size ? sizeof text : in->size, "");
            if (!r->failed)
                memcpy((char *)sp + in->offset, text, strlen(text) + 1);
            continue;
        case IN_FLAG: v = cfg_bool(r, g, in->session_key, false); break;
        case IN_COUNT:
        case IN_TOKENS:
            if (format1_default(version, in, m))
                continue;
            v = (double)cfg_int(r, g, in->session_key, 0, (int64_t)in->min, (int64_t)in->max);
            break;
        case IN_REAL:
            if (format1_default(version, in, m))
                continue;
            v = cfg_real(r, g, in->session_key, 0, in->min, in->max);
            break;
        }
        if (!r->failed)
            input_set_number(in, sp, v);
    }
}

int session_parse(const char *text, const char *name, struct session *out, char *err, size_t errlen)
{
    return session_parse_in(text, name, NULL, out, err, errlen);
}

int session_parse_in(const char *text, const char *name, const char *dir, struct session *out, char *err,
                     size_t errlen)
{
    config_t cfg;
    config_init(&cfg);
    config_set_auto_convert(&cfg, 1);
    struct cfg_src src;
    if (cfg_parse(&cfg, text, name, dir, SESSION_FILE_MAX, &src, err, errlen) != RT_OK) {
        config_destroy(&cfg);
        cfg_src_free(&src);
        return RT_EINVAL;
    }
    struct cfgread r = { .file = name, .err = err, .errlen = errlen, .src = &src };
    config_setting_t *root = config_root_setting(&cfg);
    int64_t ver = cfg_int(&r, root, "format_version", -1, 1, 1 << 20);
    if (!r.failed && ver > SESSION_FORMAT_VERSION)
        cfg_fail(&r, config_setting_get_member(root, "format_version"), "format_version",
                 "written by a newer rooftop (format %lld; this one reads up to %d)", (long long)ver,
                 SESSION_FORMAT_VERSION);
    struct session s;
    session_default(&s);
    config_setting_t *g = config_setting_get_member(root, "scenario");
    if (!r.failed && (!g || !config_setting_is_group(g)))
        cfg_fail(&r, g ? g : root, "scenario", "a group scenario = { ... }; is required");
    if (!r.failed)
        read_inputs(&r, g, ver, &s.spec);
    config_setting_t *ui = config_setting_get_member(root, "ui");
    if (!r.failed && ui) {
        cfg_str(&r, ui, "field", s.field, sizeof s.field, s.field);
        cfg_str(&r, ui, "theme", s.theme, sizeof s.theme, s.theme);
    }
    config_destroy(&cfg);
    cfg_src_free(&src);
    if (r.failed)
        return RT_EINVAL;
    *out = s;
    return RT_OK;
}

int session_load(const char *path, struct session *out, char *err, size_t errlen)
{
    char *text = slurp_file(path, NULL, SESSION_FILE_MAX);
    if (!text) {
        snprintf(err, errlen, "%s: %s", path, slurp_strerror(errno, SESSION_FILE_MAX));
        return RT_EINVAL;
    }
    char dir[PATH_MAX];
    cfg_dirname(path, dir, sizeof dir);
    int rc = session_parse_in(text, path, dir, out, err, errlen);
    free(text);
    return rc;
}

/* The session's text: every input of the inputs table, then the dashboard's state. */
static int write_session(FILE *f, void *ctx)
{
    const struct session *s = ctx;
    fprintf(f, "# rooftop session: written by rooftop " "%s" ", edited at your own risk\n", PACKAGE_VERSION);
    fprintf(f, "format_version = %d;\n\nscenario = {\n", SESSION_FORMAT_VERSION);
    for (size_t i = 0; i < n_inputs; i++) {
        const struct input *in = &inputs[i];
        char v[64];
        if (in->type == IN_ID) {
            file_put_string(f, 2, in->session_key, input_text(in, &s->spec));
            continue;
        }
        input_format(in, &s->spec, v, sizeof v);
        fprintf(f, "  %s = %s%s;\n", in->session_key, v, in->type == IN_COUNT || in->type == IN_TOKENS ? "L" : "");
    }
    fputs("};\n\nui = {\n", f);
    file_put_string(f, 2, "field", s->field);
    file_put_string(f, 2, "theme", s->theme);
    fputs("};\n", f);
    return 0;
}

char *session_text(const struct session *s, char *err, size_t errlen)
{
    /* text the reader would change (control characters, bytes that are not
     * UTF-8) is not written: what is saved reads back as it is */
    for (size_t i = 0; i < n_inputs; i++)
        if (inputs[i].type == IN_ID && !file_string_ok(input_text(&inputs[i], &s->spec))) {
            snprintf(err, errlen, "%s holds control characters or bytes that are not UTF-8: not saved",
                     inputs[i].session_key);
            return NULL;
        }
    if (!file_string_ok(s->field) || !file_string_ok(s->theme)) {
        snprintf(err, errlen, "the field or theme name holds control characters: not saved");
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f || write_session(f, (void *)s) != 0 || fclose(f) != 0) {
        snprintf(err, errlen, "out of memory");
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

int session_save(const char *shown, const struct session *s, char *err, size_t errlen)
{
    char *text = session_text(s, err, errlen);
    if (!text)
        return RT_EINVAL;
    /* the sessions folder is made when the first session is saved in it */
    char dir[PATH_MAX], parent[PATH_MAX];
    session_dir(dir, sizeof dir, false);
    cfg_dirname(shown, parent, sizeof parent);
    if (strcmp(dir, parent) == 0 && file_mkdirs(dir) != 0) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        free(text);
        return RT_EINVAL;
    }
    int rc = file_save_atomic(shown, shown, write_text, text, err, errlen);
    free(text);
    return rc;
}

int session_dir(char *buf, size_t n, bool create)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(buf, n, "%s/rooftop/sessions", xdg);
    else if (home && *home)
        snprintf(buf, n, "%s/.local/share/rooftop/sessions", home);
    else
        snprintf(buf, n, "./rooftop-sessions");
    return create ? file_mkdirs(buf) : 0;
}

void session_path(const char *name, char *buf, size_t n)
{
    if (strchr(name, '/') || strstr(name, ".cfg")) {
        snprintf(buf, n, "%s", name);
        return;
    }
    char dir[PATH_MAX];
    session_dir(dir, sizeof dir, false);
    snprintf(buf, n, "%s/%s.cfg", dir, name);
}

int session_named_path(const char *name, char *buf, size_t n)
{
    if (!*name || strchr(name, '/')) {
        snprintf(buf, n, "%s", name);
        return RT_EINVAL;
    }
    char dir[PATH_MAX];
    session_dir(dir, sizeof dir, false);
    return snprintf(buf, n, "%s/%s.cfg", dir, name) < (int)n ? RT_OK : RT_EINVAL;
}

static const char *example_text(const char *name)
{
    char want[96];
    snprintf(want, sizeof want, "sessions/%s.cfg", name);
    for (size_t i = 0; i < rt_embedded_count; i++)
        if (strcmp(rt_embedded[i].name, want) == 0)
            return rt_embedded[i].text;
    return NULL;
}

int session_open(const char *name, struct session *out, char *path, size_t pathlen, char *err, size_t errlen)
{
    session_path(name, path, pathlen);
    int rc = session_load(path, out, err, errlen);
    bool bare = !strchr(name, '/') && !strstr(name, ".cfg");
    if (rc != RT_OK && bare && access(path, F_OK) != 0) {
        const char *text = example_text(name);
        if (text) {
            snprintf(path, pathlen, "presets/sessions/%s.cfg (built in)", name);
            return session_parse(text, path, out, err, errlen);
        }
    }
    return rc;
}

int session_open_named(const char *name, struct session *out, char *path, size_t pathlen, char *err,
                       size_t errlen)
{
    if (session_named_path(name, path, pathlen) != RT_OK) {
        snprintf(err, errlen, "'%s': not a session name", name);
        return RT_EINVAL;
    }
    int rc = session_load(path, out, err, errlen);
    if (rc != RT_OK && access(path, F_OK) != 0) {
        const char *text = example_text(name);
        if (text) {
            snprintf(path, pathlen, "presets/sessions/%s.cfg (built in)", name);
            return session_parse(text, path, out, err, errlen);
        }
    }
    return rc;
}

int session_examples(const char **names, char (*buf)[64], int max)
{
    int n = 0;
    for (size_t i = 0; i < rt_embedded_count && n < max; i++) {
        const char *e = rt_embedded[i].name;
        if (strncmp(e, "sessions/", 9) != 0)
            continue;
        snprintf(buf[n], 64, "%.*s", (int)(strlen(e) - 9 - 4), e + 9);
        names[n] = buf[n];
        n++;
    }
    return n;
}
