/* record.c - see record.h. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/text.h"
#include "output/record.h"

static const char *keep_n(struct record *r, const char *s, size_t n)
{
    if (r->used + n > REC_POOL)
        return "";
    char *p = r->pool + r->used;
    memcpy(p, s, n);
    r->used += n;
    return p;
}

static const char *keep(struct record *r, const char *s) { return keep_n(r, s, strlen(s) + 1); }

static struct rec_field *add(struct sink *s, const char *key, char type)
{
    struct record *r = s->ctx;
    if (r->n >= REC_MAX_FIELDS)
        return NULL;
    struct rec_field *f = &r->f[r->n++];
    *f = (struct rec_field){ .key = keep(r, key), .type = type };
    return f;
}

/* The text a field keeps for v, and its length with the NUL: v itself, or, for a
 * file or device name that is not UTF-8, its bytes as \xNN in *esc (to free), so
 * that the JSON stays valid and keeps the field. */
static const char *field_text(const char *v, size_t *len, char **esc)
{
    *esc = NULL;
    v = v ? v : "";
    const unsigned char *a = (const unsigned char *)v;
    while (*a && *a < 0x80) /* plain ASCII is UTF-8 (most of our texts) */
        a++;
    if (!*a) {
        *len = (size_t)((const char *)a - v) + 1;
        return v;
    }
    if (!text_is_utf8(v)) {
        size_t n = 4 * strlen(v) + 1;
        *esc = malloc(n);
        v = *esc ? text_escape(*esc, n, v, false) : "";
    }
    *len = strlen(v) + 1;
    return v;
}

static void put_str(struct sink *s, const char *k, const char *v)
{
    struct rec_field *f = add(s, k, 's');
    if (!f)
        return;
    char *esc;
    size_t len;
    const char *t = field_text(v, &len, &esc);
    f->str = keep_n(s->ctx, t, len);
    free(esc);
}
static void put_num(struct sink *s, const char *k, double v)
{
    struct rec_field *f = add(s, k, 'n');
    if (f) f->num = v;
}
static void put_int(struct sink *s, const char *k, int64_t v)
{
    struct rec_field *f = add(s, k, 'i');
    if (f) f->i = v;
}
static void put_bool(struct sink *s, const char *k, bool v)
{
    struct rec_field *f = add(s, k, 'b');
    if (f) f->i = v;
}

void record_sink(struct sink *s, struct record *rec)
{
    rec->n = 0;
    rec->used = 0;
    *s = (struct sink){ put_str, put_num, put_int, put_bool, rec };
}

/* floor(log10(a)) for a > 0, by comparing with the powers of ten; where a lies
 * within 1e-9 of one (the rounding of log10 or of the table may decide) it is
 * log10's answer, so that every number prints as it did with log10 alone. */
static int exp10_of(double a)
{
    static const double p[] = { 1e-14, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3,
                                1e-2,  1e-1,  1e0,   1e1,   1e2,   1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,
                                1e10,  1e11,  1e12,  1e13,  1e14,  1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21,
                                1e22,  1e23,  1e24,  1e25,  1e26,  1e27, 1e28, 1e29, 1e30, 1e31, 1e32 };
    enum { N = sizeof p / sizeof p[0], E0 = -14 };
    if (!(a > p[0] * (1 + 1e-9) && a < p[N - 1] * (1 - 1e-9)))
        return (int)floor(log10(a));
    /* a's binary exponent times log10(2) (1233 / 4096) is within one of it */
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int e2 = (int)(bits >> 52) - 1023;
    int i = (e2 * 1233 >= 0 ? e2 * 1233 / 4096 : -((-e2 * 1233 + 4095) / 4096)) - E0;
    i = i < 0 ? 0 : i > N - 2 ? N - 2 : i;
    while (i < N - 2 && a >= p[i + 1])
        i++;
    while (i > 0 && a < p[i])
        i--;
    if (a < p[i] * (1 + 1e-9) || a > p[i + 1] * (1 - 1e-9))
        return (int)floor(log10(a));
    return i + E0;
}

/* Two decimal digits of each number below 100. */
static const char d2[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                         "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                         "8081828384858687888990919293949596979899";

/* x < 100000 as five digits. */
static void digits5(char *d, uint32_t x)
{
    d[0] = (char)('0' + x / 10000);
    x %= 10000;
    memcpy(d + 1, d2 + 2 * (x / 100), 2);
    memcpy(d + 3, d2 + 2 * (x % 100), 2);
}

/* fmt_num's text and its length. */
static size_t fmt_len(char *buf, size_t n, double v)
{
    if (!isfinite(v)) { /* no value: an empty cell; an unbounded one (TTFT past capacity): inf */
        snprintf(buf, n, "%s", isnan(v) ? "" : v > 0 ? "inf" : "-inf");
        return n ? strlen(buf) : 0;
    }
    if (fabs(v) < 1e15 && v == (double)(long long)v && n >= 24) {
        /* whole numbers (bytes, counts) by hand, two digits at a time: sweeps print millions of them */
        char tmp[24];
        int k = 24;
        unsigned long long u = (unsigned long long)(v < 0 ? -v : v);
        for (; u >= 100; u /= 100)
            memcpy(tmp + (k -= 2), d2 + 2 * (u % 100), 2);
        if (u >= 10)
            memcpy(tmp + (k -= 2), d2 + 2 * u, 2);
        else
            tmp[--k] = (char)('0' + u);
        size_t o = 0;
        if (v < 0)
            buf[o++] = '-';
        memcpy(buf + o, tmp + k, (size_t)(24 - k));
        o += (size_t)(24 - k);
        buf[o] = 0;
        return o;
    }
    static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
                                  1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
    double a = fabs(v);
    int e = exp10_of(a);
    int sh = 9 - e; /* scale so that the mantissa has 10 digits */
    if (sh > 22 || sh < -22 || n < 32) {
        int w = snprintf(buf, n, "%.10g", v);
        return w < 0 ? 0 : (size_t)w < n ? (size_t)w : n ? n - 1 : 0;
    }
    double scaled = sh >= 0 ? a * p10[sh] : a / p10[-sh];
    /* llround for these (0.5 <= scaled < 2^51): adding 0.5 is exact there */
    long long m = (long long)(scaled + 0.5);
    if (m >= 10000000000LL) { /* rounding carried into an 11th digit */
        m /= 10;
        e++;
    }
    char dig[16];
    digits5(dig, (uint32_t)(m / 100000));
    digits5(dig + 5, (uint32_t)(m % 100000));
    int last = 9;
    while (last > 0 && dig[last] == '0')
        last--;
    size_t k = 0;
    if (v < 0)
        buf[k++] = '-';
    if (e >= -5 && e < 10) {
        if (e < 0) {
            buf[k++] = '0';
            buf[k++] = '.';
            for (int z = -1; z > e; z--)
                buf[k++] = '0';
            for (int d = 0; d <= last; d++)
                buf[k++] = dig[d];
        } else {
            for (int d = 0; d <= e; d++)
                buf[k++] = dig[d];
            if (last > e) {
                buf[k++] = '.';
                for (int d = e + 1; d <= last; d++)
                    buf[k++] = dig[d];
            }
        }
        buf[k] = 0;
        return k;
    }
    buf[k++] = dig[0];
    if (last > 0) {
        buf[k++] = '.';
        for (int d = 1; d <= last; d++)
            buf[k++] = dig[d];
    }
    /* "e%+03d": a sign and at least two digits */
    int x = e < 0 ? -e : e;
    buf[k++] = 'e';
    buf[k++] = e < 0 ? '-' : '+';
    if (x >= 100)
        buf[k++] = (char)('0' + x / 100);
    buf[k++] = (char)('0' + x / 10 % 10);
    buf[k++] = (char)('0' + x % 10);
    buf[k] = 0;
    return k;
}

/* Ten significant digits, trailing zeros dropped, like "%.10g" but without
 * printf's cost: sweeps format millions of numbers. */
void fmt_num(char *buf, size_t n, double v) { fmt_len(buf, n, v); }

json_t *record_json(const struct record *rec)
{
    json_t *root = json_object();
    for (int i = 0; i < rec->n; i++) {
        const struct rec_field *f = &rec->f[i];
        json_t *obj = root;
        char key[128];
        snprintf(key, sizeof key, "%s", f->key);
        char *part = key, *dot;
        while ((dot = strchr(part, '.'))) { /* "memory.fits" nests under "memory" */
            *dot = 0;
            json_t *sub = json_object_get(obj, part);
            if (!sub) {
                sub = json_object();
                json_object_set_new(obj, part, sub);
            }
            obj = sub;
            part = dot + 1;
        }
        json_t *v;
        switch (f->type) {
        case 's': v = json_string(f->str); break;
        case 'i': v = json_integer(f->i); break;
        case 'b': v = json_boolean(f->i); break;
        default:
            /* integral figures (bytes, parameters) print exactly as integers */
            if (isfinite(f->num) && f->num == floor(f->num) && fabs(f->num) < 9e15)
                v = json_integer((json_int_t)f->num);
            else
                v = isfinite(f->num) ? json_real(f->num) : json_null();
            break;
        }
        json_object_set_new(obj, part, v);
    }
    return root;
}

void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void csv_header(FILE *out, const struct record *rec)
{
    for (int i = 0; i < rec->n; i++) {
        if (i)
            fputc(',', out);
        csv_field(out, rec->f[i].key);
    }
    fputs("\r\n", out);
}

/* A row's text gathered in memory and written in large pieces: stdio's
 * cost per call (fputs per field, fputc per comma) was most of a sweep. */
static void rb_flush(struct csv_stream *rb)
{
    if (rb->len)
        fwrite(rb->buf, 1, rb->len, rb->out);
    rb->len = 0;
}

/* Room for k more bytes (k at most the buffer's size). */
static char *rb_room(struct csv_stream *rb, size_t k)
{
    if (rb->len + k > sizeof rb->buf)
        rb_flush(rb);
    return rb->buf + rb->len;
}

static void rb_put(struct csv_stream *rb, const char *s, size_t k)
{
    if (k > sizeof rb->buf / 2) {
        rb_flush(rb);
        fwrite(s, 1, k, rb->out);
        return;
    }
    memcpy(rb_room(rb, k), s, k);
    rb->len += k;
}

static void rb_comma(struct csv_stream *rb)
{
    *rb_room(rb, 1) = ',';
    rb->len++;
}

/* csv_field's text into the row. */
static void rb_field(struct csv_stream *rb, const char *s)
{
    size_t k = strcspn(s, ",\"\r\n");
    if (!s[k]) {
        rb_put(rb, s, k);
        return;
    }
    rb_put(rb, "\"", 1);
    for (const char *q; (q = strchr(s, '"')); s = q + 1) {
        rb_put(rb, s, (size_t)(q - s) + 1);
        rb_put(rb, "\"", 1); /* a quote doubled */
    }
    rb_put(rb, s, strlen(s));
    rb_put(rb, "\"", 1);
}

static void rb_num(struct csv_stream *rb, double v) { rb->len += fmt_len(rb_room(rb, 64), 63, v); }

void csv_row(FILE *out, const struct record *rec)
{
    static struct csv_stream rb;
    rb.out = out;
    rb.len = 0;
    for (int i = 0; i < rec->n; i++) {
        const struct rec_field *f = &rec->f[i];
        if (i)
            rb_comma(&rb);
        switch (f->type) {
        case 's': rb_field(&rb, f->str); break;
        case 'i': rb_num(&rb, (double)f->i); break;
        case 'b': rb_put(&rb, f->i ? "true" : "false", f->i ? 4 : 5); break;
        default: rb_num(&rb, f->num); break;
        }
    }
    rb_put(&rb, "\r\n", 2);
    rb_flush(&rb);
}

/* A field of the row the stream writes: NULL where the record would drop it; the
 * key counted into the record's pool as keep() would. */
static struct csv_stream *cs_field(struct sink *s, const char *key)
{
    struct csv_stream *cs = s->ctx;
    if (cs->n >= REC_MAX_FIELDS)
        return NULL;
    size_t k = strlen(key) + 1;
    if (cs->used + k <= REC_POOL)
        cs->used += k;
    if (cs->n++)
        rb_comma(cs);
    return cs;
}

static void cs_str(struct sink *s, const char *k, const char *v)
{
    struct csv_stream *cs = cs_field(s, k);
    if (!cs)
        return;
    char *esc;
    size_t len;
    const char *t = field_text(v, &len, &esc);
    if (cs->used + len <= REC_POOL) { /* else the record keeps "" */
        cs->used += len;
        rb_field(cs, t);
    }
    free(esc);
}

static void cs_num(struct sink *s, const char *k, double v)
{
    struct csv_stream *cs = cs_field(s, k);
    if (cs)
        rb_num(cs, v);
}

static void cs_int(struct sink *s, const char *k, int64_t v)
{
    struct csv_stream *cs = cs_field(s, k);
    if (cs)
        rb_num(cs, (double)v);
}

static void cs_bool(struct sink *s, const char *k, bool v)
{
    struct csv_stream *cs = cs_field(s, k);
    if (cs)
        rb_put(cs, v ? "true" : "false", v ? 4 : 5);
}

void csv_stream_sink(struct sink *s, struct csv_stream *cs, FILE *out)
{
    cs->out = out;
    cs->len = 0;
    cs->n = 0;
    cs->used = 0;
    *s = (struct sink){ cs_str, cs_num, cs_int, cs_bool, cs };
}

void csv_stream_end(struct csv_stream *cs)
{
    rb_put(cs, "\r\n", 2);
    rb_flush(cs);
}

bool csv_keys_keep(struct csv_keys *k, const struct record *rec)
{
    size_t used = 0;
    k->n = 0;
    for (int i = 0; i < rec->n; i++) {
        size_t len = strlen(rec->f[i].key) + 1;
        if (used + len > sizeof k->pool)
            return false;
        memcpy(k->pool + used, rec->f[i].key, len);
        k->key[k->n++] = k->pool + used;
        used += len;
    }
    return true;
}

void csv_row_under(FILE *out, const struct record *rec, const struct csv_keys *k)
{
    struct record one = { .n = 0 };
    int j = 0; /* the rows keep the header's order: search on from the last match */
    for (int i = 0; i < k->n; i++) {
        int f = -1;
        for (int t = 0; t < rec->n && f < 0; t++) {
            int c = (j + t) % rec->n;
            if (strcmp(rec->f[c].key, k->key[i]) == 0)
                f = c;
        }
        one.f[one.n] = f >= 0 ? rec->f[f] : (struct rec_field){ .key = k->key[i], .type = 's', .str = "" };
        one.n++;
        if (f >= 0)
            j = f + 1;
    }
    csv_row(out, &one);
}

/* The JSON text is built in memory and written once: a one-shot --print is
 * mostly this, and stdio's cost per call (fprintf per key, fputc per byte)
 * was most of it. */
struct jout {
    char *p;
    size_t n, cap;
    bool bad;                       /* out of memory: nothing is written */
};

static void jput(struct jout *j, const char *s, size_t n)
{
    if (j->bad)
        return;
    if (j->n + n > j->cap) {
        size_t cap = j->cap ? 2 * j->cap : 8192;
        while (cap < j->n + n)
            cap *= 2;
        char *p = realloc(j->p, cap);
        if (!p) {
            j->bad = true;
            return;
        }
        j->p = p;
        j->cap = cap;
    }
    memcpy(j->p + j->n, s, n);
    j->n += n;
}

static void jputs(struct jout *j, const char *s) { jput(j, s, strlen(s)); }

/* A new line indented by k spaces. */
static void jindent(struct jout *j, int k)
{
    static const char sp[] = "\n                                                                ";
    jput(j, sp, 1);
    for (; k > 0; k -= 64)
        jput(j, sp + 1, k < 64 ? (size_t)k : 64);
}

static void jint(struct jout *j, long long v)
{
    char tmp[24];
    int k = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        tmp[23 - k++] = (char)('0' + u % 10);
    while ((u /= 10) && k < 23);
    if (v < 0)
        tmp[23 - k++] = '-';
    jput(j, tmp + 24 - k, (size_t)k);
}

/* A JSON string: '"' and '\' escaped, a newline as \n, other controls as \u00XX. */
static void jstr(struct jout *j, const char *s)
{
    jput(j, "\"", 1);
    for (;;) {
        const char *run = s;
        while (*s && *s != '"' && *s != '\\' && (unsigned char)*s >= 0x20 && *s != 0x7f)
            s++;
        jput(j, run, (size_t)(s - run));
        if (!*s)
            break;
        unsigned char c = (unsigned char)*s++;
        char e[8];
        if (c == '"' || c == '\\')
            e[0] = '\\', e[1] = (char)c, e[2] = 0;
        else if (c == '\n')
            memcpy(e, "\\n", 3);
        else
            snprintf(e, sizeof e, "\\u%04x", c);
        jputs(j, e);
    }
    jput(j, "\"", 1);
}

/* Length of the common object path of two dotted keys, in segments, and the
 * byte offset where it ends in a. */
static int common_depth(const char *a, const char *b, size_t *end)
{
    int depth = 0;
    size_t last = 0;
    for (;;) {
        const char *da = strchr(a + last, '.'), *db = strchr(b + last, '.');
        if (!da || !db)
            break;
        size_t la = (size_t)(da - a), lb = (size_t)(db - b);
        if (la != lb || strncmp(a + last, b + last, la - last) != 0)
            break;
        depth++;
        last = la + 1;
    }
    *end = last;
    return depth;
}

static void jvalue(struct jout *j, const struct rec_field *f)
{
    char buf[40];
    switch (f->type) {
    case 's': jstr(j, f->str); break;
    case 'i': jint(j, (long long)f->i); break;
    case 'b': jputs(j, f->i ? "true" : "false"); break;
    default:
        if (!isfinite(f->num))
            jputs(j, "null");
        else if (f->num == floor(f->num) && fabs(f->num) < 9e15)
            jint(j, (long long)f->num);
        else {
            snprintf(buf, sizeof buf, "%.15g", f->num);
            jputs(j, buf);
            if (!strpbrk(buf, ".en"))
                jputs(j, ".0");
        }
        break;
    }
}

/* The objects closed so far (a key and the length of its prefix that names
 * one): keys sharing a prefix must be contiguous, so none may open again. */
struct closed {
    const char *key[REC_MAX_FIELDS];
    size_t len[REC_MAX_FIELDS];
    int n;
};

static bool was_closed(const struct closed *c, const char *key, size_t len)
{
    for (int i = 0; i < c->n; i++)
        if (c->len[i] == len && memcmp(c->key[i], key, len) == 0)
            return true;
    return false;
}

/* The byte offset of the end of a's first `depth` segments (the dot after them). */
static size_t path_len(const char *a, int depth)
{
    const char *p = a;
    for (int k = 0; k < depth; k++)
        p = strchr(p, '.') + 1;
    return (size_t)(p - a) - 1;
}

/* The record as indented JSON, written straight from its fields (no object
 * tree): dotted keys nest ("memory.fits" under "memory").  Keys sharing a
 * prefix must be contiguous; returns false (writing nothing) when they are not,
 * and the caller falls back to record_json. */
static bool json_text(struct jout *j, const struct record *rec, struct closed *cl)
{
    jput(j, "{", 1);
    const char *prev = "";
    int open = 0; /* objects open below the root */
    for (int i = 0; i < rec->n; i++) {
        const struct rec_field *f = &rec->f[i];
        size_t end = 0;
        int d = i ? common_depth(prev, f->key, &end) : 0;
        for (; open > d; open--) {
            if (cl->n < REC_MAX_FIELDS) {
                cl->key[cl->n] = prev;
                cl->len[cl->n++] = path_len(prev, open);
            }
            jindent(j, 2 * open);
            jput(j, "}", 1);
        }
        if (i)
            jput(j, ",", 1);
        /* open the objects of this key's path beyond the common part */
        const char *p = f->key + end, *dot;
        while ((dot = strchr(p, '.'))) {
            if (was_closed(cl, f->key, (size_t)(dot - f->key)))
                return false;
            jindent(j, 2 * (open + 1));
            jput(j, "\"", 1); /* an object's name as it is (our keys: letters, digits, _) */
            jput(j, p, (size_t)(dot - p));
            jput(j, "\": {", 4);
            open++;
            p = dot + 1;
        }
        jindent(j, 2 * (open + 1));
        jstr(j, p);
        jput(j, ": ", 2);
        jvalue(j, f);
        prev = f->key;
    }
    for (; open > 0; open--) {
        jindent(j, 2 * open);
        jput(j, "}", 1);
    }
    jput(j, "\n}\n", 3);
    return true;
}

bool record_write_json(FILE *out, const struct record *rec)
{
    struct jout j = { 0 };
    struct closed *cl = malloc(sizeof *cl);
    bool ok = cl && (cl->n = 0, json_text(&j, rec, cl)) && !j.bad;
    if (ok)
        fwrite(j.p, 1, j.n, out);
    free(cl);
    free(j.p);
    return ok;
}
