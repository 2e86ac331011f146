/* cfgread.c - see cfgread.h. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/slurp.h"
#include "base/cfgread.h"
#include "base/text.h"

static void where(const struct cfg_src *src, int line, const char **file, int *fline);

int cfg_fail(struct cfgread *r, const config_setting_t *s, const char *field, const char *fmt, ...)
{
    if (r->failed)
        return -1;
    r->failed = true;
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = s ? (int)config_setting_source_line(s) : 0;
    const char *file = s && config_setting_source_file(s) ? config_setting_source_file(s) : r->file;
    if (line > 0)
        where(r->src, line, &file, &line);
    if (line > 0)
        snprintf(r->err, r->errlen, "%s:%d: %s: %s", file, line, field, msg);
    else
        snprintf(r->err, r->errlen, "%s: %s: %s", file, field, msg);
    text_safe_inplace(r->err);
    return -1;
}

/* The line to blame for a missing key: the group that lacks it. */
static config_setting_t *member(struct cfgread *r, config_setting_t *g, const char *key, bool required)
{
    config_setting_t *s = config_setting_get_member(g, key);
    if (!s && required) {
        char id[64] = "";
        const char *v;
        if (config_setting_lookup_string(g, "id", &v) == CONFIG_TRUE)
            snprintf(id, sizeof id, " (in '%s')", v);
        cfg_fail(r, g, key, "missing%s", id);
    }
    return s;
}

int64_t cfg_int(struct cfgread *r, config_setting_t *g, const char *key, int64_t def, int64_t min, int64_t max)
{
    config_setting_t *s = member(r, g, key, def < 0);
    if (!s)
        return def < 0 ? 0 : def;
    int t = config_setting_type(s);
    int64_t v;
    if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
        v = config_setting_get_int64(s);
    } else if (t == CONFIG_TYPE_FLOAT) {
        double d = config_setting_get_float(s);
        if (d != floor(d) || !isfinite(d) || fabs(d) > 9e15) {
            cfg_fail(r, s, key, "expected a whole number, got %g", d);
            return 0;
        }
        v = (int64_t)d;
    } else {
        cfg_fail(r, s, key, "expected a whole number");
        return 0;
    }
    if (v < min || v > max) {
        cfg_fail(r, s, key, "%lld is out of range [%lld, %lld]", (long long)v, (long long)min, (long long)max);
        return 0;
    }
    return v;
}

double cfg_real(struct cfgread *r, config_setting_t *g, const char *key, double def, double min, double max)
{
    config_setting_t *s = member(r, g, key, def < 0);
    if (!s)
        return def < 0 ? 0 : def;
    int t = config_setting_type(s);
    double v;
    if (t == CONFIG_TYPE_FLOAT)
        v = config_setting_get_float(s);
    else if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
        v = (double)config_setting_get_int64(s);
    else {
        cfg_fail(r, s, key, "expected a number");
        return 0;
    }
    if (!isfinite(v) || v < min || v > max) {
        cfg_fail(r, s, key, "%g is out of range [%g, %g]", v, min, max);
        return 0;
    }
    return v;
}

bool cfg_bool(struct cfgread *r, config_setting_t *g, const char *key, bool def)
{
    config_setting_t *s = config_setting_get_member(g, key);
    if (!s)
        return def;
    if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
        cfg_fail(r, s, key, "expected true or false");
        return def;
    }
    return config_setting_get_bool(s) != 0;
}

void cfg_str(struct cfgread *r, config_setting_t *g, const char *key, char *out, size_t n, const char *def)
{
    config_setting_t *s = member(r, g, key, def == NULL);
    if (!s) {
        /* def may be out itself (keep the current value): never an overlapping copy */
        if (!def)
            out[0] = 0;
        else if (def != out) {
            size_t l = strnlen(def, n - 1);
            memmove(out, def, l);
            out[l] = 0;
        }
        return;
    }
    const char *v = config_setting_get_string(s);
    if (!v) {
        cfg_fail(r, s, key, "expected a string in double quotes");
        out[0] = 0;
        return;
    }
    if (strlen(v) >= n) {
        cfg_fail(r, s, key, "longer than %zu characters", n - 1);
        out[0] = 0;
        return;
    }
    text_safe(out, n, v); /* no control characters or escape sequences from a file */
}

int cfg_enum(struct cfgread *r, config_setting_t *g, const char *key, const char *const *names, int def)
{
    config_setting_t *s = config_setting_get_member(g, key);
    if (!s)
        return def;
    char why[160];
    int i = text_choice(names, config_setting_get_string(s), why, sizeof why);
    if (i >= 0)
        return i;
    cfg_fail(r, s, key, "%s", why);
    return def;
}

void cfg_real_array(struct cfgread *r, config_setting_t *g, const char *key, double *out, int n,
                    double min, double max)
{
    config_setting_t *s = config_setting_get_member(g, key);
    if (!s)
        return;
    if (!config_setting_is_array(s) || config_setting_length(s) != n) {
        cfg_fail(r, s, key, "expected an array of %d numbers", n);
        return;
    }
    for (int i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        double v = config_setting_type(e) == CONFIG_TYPE_FLOAT ? config_setting_get_float(e)
                                                               : (double)config_setting_get_int64(e);
        if (!isfinite(v) || v < min || v > max) {
            cfg_fail(r, e, key, "element %d: %g is out of range [%g, %g]", i, v, min, max);
            return;
        }
        out[i] = v;
    }
}

/* ---- @include, expanded here ---- */

struct expander {
    /* settings per open group, to bound libconfig's linear duplicate-name search */
    int keys[CFG_NEST_MAX + 1];
    bool group[CFG_NEST_MAX + 1];
    int depth;
    struct cfg_src *src;
    char *out;
    size_t len, cap, max;
    const char *dir;
    int includes;
    char *err;
    size_t errlen;
};

static int x_fail(struct expander *x, int file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int x_fail(struct expander *x, int file, int line, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(x->err, x->errlen, "%s:%d: %s", x->src->files[file], line, msg);
    text_safe_inplace(x->err);
    return -1;
}

static int emit(struct expander *x, const char *s, size_t n)
{
    if (n > x->max - x->len)
        return -2; /* over the cap */
    if (x->len + n + 1 > x->cap) {
        size_t nc = x->cap ? x->cap : 4096;
        while (nc < x->len + n + 1)
            nc *= 2;
        char *o = realloc(x->out, nc);
        if (!o)
            return -1;
        x->out = o;
        x->cap = nc;
    }
    memcpy(x->out + x->len, s, n);
    x->len += n;
    x->out[x->len] = 0;
    return 0;
}

static int add_line(struct cfg_src *src, int file, int line)
{
    if (src->n_lines == src->cap_lines) {
        size_t nc = src->cap_lines ? src->cap_lines * 2 : 256;
        int *f = realloc(src->file_of, nc * sizeof *f);
        if (!f)
            return -1;
        src->file_of = f;
        int *l = realloc(src->line_of, nc * sizeof *l);
        if (!l)
            return -1;
        src->line_of = l;
        src->cap_lines = nc;
    }
    src->file_of[src->n_lines] = file;
    src->line_of[src->n_lines] = line;
    src->n_lines++;
    return 0;
}

static int add_file(struct cfg_src *src, const char *name)
{
    char **f = realloc(src->files, (size_t)(src->n_files + 1) * sizeof *f);
    if (!f)
        return -1;
    src->files = f;
    if (!(f[src->n_files] = strdup(name)))
        return -1;
    return src->n_files++;
}

/* libconfig's include_open: ^[ \t]*@include[ \t]+"  Returns the name's start. */
static const char *include_line(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncmp(p, "@include", 8) != 0)
        return NULL;
    p += 8;
    if (*p != ' ' && *p != '\t')
        return NULL;
    while (*p == ' ' || *p == '\t')
        p++;
    return *p == '"' ? p + 1 : NULL;
}

enum lex { LX_NORMAL, LX_STRING, LX_COMMENT };

/* An integer literal at q (libconfig 1.5's scanner: [-+]?[0-9]+ or 0x[0-9a-f]+,
 * a trailing L for 64 bits) that libconfig 1.5 would wrap to 32 bits: an
 * integer without the L beyond [-2^31, 2^31-1] (hex: beyond 2^32-1).  *end is
 * set past the number (a float's digits included). */
static bool int_wraps(const char *q, const char *eol, bool negative, const char **end)
{
    const char *p = q;
    bool hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && p + 2 < eol && isxdigit((unsigned char)p[2]);
    unsigned long long v = 0, lim = hex ? 0xffffffffull : negative ? 2147483648ull : 2147483647ull;
    bool over = false;
    if (hex)
        for (p += 2; p < eol && isxdigit((unsigned char)*p); p++) {
            over |= v > (lim >> 4);
            v = v * 16 + (unsigned long long)(isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10));
        }
    else
        for (; p < eol && isdigit((unsigned char)*p); p++) {
            over |= v > lim / 10;
            v = v * 10 + (unsigned long long)(*p - '0');
        }
    over |= v > lim;
    *end = p;
    if (!hex && p < eol && (*p == '.' || *p == 'e' || *p == 'E')) { /* a float */
        while (*end < eol && (isdigit((unsigned char)**end) || **end == '.' || **end == 'e' || **end == 'E' ||
                              ((**end == '-' || **end == '+') && ((*end)[-1] == 'e' || (*end)[-1] == 'E'))))
            (*end)++;
        return false;
    }
    return over && !(p < eol && *p == 'L');
}

static int expand(struct expander *x, const char *text, int file, int depth);

static int include_file(struct expander *x, const char *a, const char *eol, int file, int line, int depth)
{
    const char *b = a;
    while (b < eol && *b != '"' && *b != '\\')
        b++;
    if (b >= eol || *b != '"')
        return x_fail(x, file, line, "@include: expected a file name in double quotes (no backslashes)");
    for (const char *t = b + 1; t < eol; t++) {
        if (*t == '#' || (t[0] == '/' && t[1] == '/'))
            break;
        if (*t != ' ' && *t != '\t' && *t != '\r' && *t != '\n')
            return x_fail(x, file, line, "@include: only a comment may follow the file name");
    }
    char name[256];
    size_t nl = (size_t)(b - a);
    if (nl == 0 || nl >= sizeof name)
        return x_fail(x, file, line, "@include: the file name must have 1 to 255 characters");
    memcpy(name, a, nl);
    name[nl] = 0;
    bool plain = strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
    for (size_t i = 0; i < nl; i++)
        if (name[i] == '/' || (unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            plain = false;
    if (!plain)
        return x_fail(x, file, line, "@include: only files in the same folder may be included (no '/', '.' or '..')");
    if (!x->dir)
        return x_fail(x, file, line, "@include is not allowed in this file");
    if (depth >= CFG_INCLUDE_DEPTH)
        return x_fail(x, file, line, "@include: nested more than %d deep", CFG_INCLUDE_DEPTH);
    if (++x->includes > CFG_INCLUDE_MAX)
        return x_fail(x, file, line, "@include: more than %d includes", CFG_INCLUDE_MAX);
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", x->dir, name) >= (int)sizeof path)
        return x_fail(x, file, line, "@include: path too long");
    size_t room = x->max - x->len, got = 0;
    char *body = slurp_file_flags(path, &got, room, O_NOFOLLOW);
    if (!body) {
        int e = errno;
        return x_fail(x, file, line, "@include \"%s\": %s", name,
                      e == EFBIG ? "the files together exceed the size cap" : slurp_strerror(e, room));
    }
    int fi = add_file(x->src, path);
    int rc = fi < 0 ? x_fail(x, file, line, "out of memory") : expand(x, body, fi, depth + 1);
    free(body);
    return rc;
}

/* Copy text to x->out line by line, replacing @include lines (outside strings
 * and comments, as libconfig's scanner sees them) by their files. */
static int expand(struct expander *x, const char *text, int file, int depth)
{
    enum lex st = LX_NORMAL;
    int line = 1, opened = 0; /* the line where the open string or comment began */
    for (const char *p = text; *p; line++) {
        const char *nlp = strchr(p, '\n');
        const char *eol = nlp ? nlp + 1 : p + strlen(p);
        const char *inc = st == LX_NORMAL ? include_line(p) : NULL;
        if (inc) {
            if (include_file(x, inc, eol, file, line, depth) != 0)
                return -1;
            p = eol;
            continue;
        }
        if (add_line(x->src, file, line) != 0)
            return x_fail(x, file, line, "out of memory");
        int rc = emit(x, p, (size_t)(eol - p));
        if (rc == 0 && eol[-1] != '\n')
            rc = emit(x, "\n", 1);
        if (rc != 0)
            return x_fail(x, file, line, rc == -2 ? "the text with its includes exceeds %zu KiB" : "out of memory",
                          x->max >> 10);
        for (const char *q = p; q < eol; q++) {
            if (st == LX_NORMAL) {
                if (*q == '{' || *q == '(' || *q == '[') {
                    if (x->depth >= CFG_NEST_MAX)
                        return x_fail(x, file, line, "nested more than %d deep", CFG_NEST_MAX);
                    x->depth++;
                    x->keys[x->depth] = 0;
                    x->group[x->depth] = *q == '{';
                } else if (*q == '}' || *q == ')' || *q == ']') {
                    if (x->depth > 0)
                        x->depth--; /* a stray one is libconfig's syntax error */
                } else if ((*q == '=' || *q == ':') && x->group[x->depth] &&
                           ++x->keys[x->depth] > CFG_GROUP_KEYS_MAX) {
                    return x_fail(x, file, line, "more than %d settings in one group", CFG_GROUP_KEYS_MAX);
                } else if (isalpha((unsigned char)*q) || *q == '*') { /* a setting's name: [A-Za-z*][-A-Za-z0-9_*]* */
                    while (q + 1 < eol && (isalnum((unsigned char)q[1]) || q[1] == '-' || q[1] == '_' || q[1] == '*'))
                        q++;
                } else if (isdigit((unsigned char)*q)) {
                    const char *end;
                    bool neg = q > p && q[-1] == '-';
                    if (int_wraps(q, eol, neg, &end))
                        return x_fail(x, file, line, "%s%.*s does not fit in 32 bits (libconfig would wrap it): "
                                      "write %s%.*sL for a 64-bit integer", neg ? "-" : "", (int)(end - q), q,
                                      neg ? "-" : "", (int)(end - q), q);
                    q = end - 1;
                } else if (*q == '"')
                    st = LX_STRING, opened = line;
                else if (*q == '#' || (q[0] == '/' && q[1] == '/'))
                    break; /* a comment to the end of the line */
                else if (q[0] == '/' && q[1] == '*')
                    st = LX_COMMENT, opened = line, q++;
            } else if (st == LX_STRING) {
                if (q[0] == '\\' && (q[1] == '"' || q[1] == '\\'))
                    q++;
                else if (*q == '"')
                    st = LX_NORMAL;
            } else if (q[0] == '*' && q[1] == '/') {
                st = LX_NORMAL, q++;
            }
        }
        p = eol;
    }
    /* libconfig 1.5 leaks the buffer of a string left open at the end: caught here */
    if (st == LX_STRING)
        return x_fail(x, file, opened, "a string in double quotes is not closed");
    if (depth > 0 && st != LX_NORMAL)
        return x_fail(x, file, opened, "an included file must not end inside a comment");
    return 0;
}

void cfg_src_free(struct cfg_src *src)
{
    for (int i = 0; i < src->n_files; i++)
        free(src->files[i]);
    free(src->files);
    free(src->file_of);
    free(src->line_of);
    memset(src, 0, sizeof *src);
}

void cfg_dirname(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, n, ".");
    else if (slash == path)
        snprintf(dir, n, "/");
    else
        snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

/* file:line of a line of the expanded text */
static void where(const struct cfg_src *src, int line, const char **file, int *fline)
{
    if (src && line >= 1 && (size_t)line <= src->n_lines) {
        *file = src->files[src->file_of[line - 1]];
        *fline = src->line_of[line - 1];
    } else if (src && src->n_files) {
        *file = src->files[0];
        *fline = line;
    }
}

int cfg_parse(config_t *cfg, const char *text, const char *name, const char *dir, size_t max,
              struct cfg_src *src, char *err, size_t errlen)
{
    memset(src, 0, sizeof *src);
    err[0] = 0;
    struct expander x = { .src = src, .max = max, .dir = dir, .err = err, .errlen = errlen };
    x.group[0] = true; /* the root */
    if (add_file(src, name) != 0) {
        snprintf(err, errlen, "%s: out of memory", name);
        return -1;
    }
    if (expand(&x, text, 0, 0) != 0 || (!x.out && emit(&x, "", 0) != 0)) {
        if (!err[0])
            snprintf(err, errlen, "%s: out of memory", name);
        free(x.out);
        return -1;
    }
    /* every @include was expanded above; should one remain, libconfig finds nothing to open */
    config_set_include_dir(cfg, "/nonexistent-rooftop-includes-are-expanded-by-rooftop");
    int ok = config_read_string(cfg, x.out);
    free(x.out);
    if (ok != CONFIG_TRUE) {
        const char *file = name;
        int line = config_error_line(cfg);
        where(src, line, &file, &line);
        snprintf(err, errlen, "%s:%d: %s", file, line, config_error_text(cfg));
        text_safe_inplace(err);
        return -1;
    }
    return 0;
}
