/* units.c - see units.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/units.h"

bool parse_int(const char *s, int64_t *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s)
        return false;
    *out = v;
    return true;
}

bool parse_real(const char *s, double *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || end == s || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool parse_tokens(const char *s, int64_t *out)
{
    if (!s || !*s)
        return false;
    size_t n = strlen(s);
    double mult = 1;
    char buf[64];
    if (n >= sizeof buf)
        return false;
    memcpy(buf, s, n + 1);
    char last = buf[n - 1];
    if (last == 'k' || last == 'K') {
        mult = 1024;
        buf[--n] = 0;
    } else if (last == 'm' || last == 'M') {
        mult = 1024.0 * 1024;
        buf[--n] = 0;
    }
    double v;
    if (!parse_real(buf, &v) || v < 0)
        return false;
    v *= mult;
    if (v != floor(v) || v > 9e15)
        return false;
    *out = (int64_t)v;
    return true;
}

/* Each unit is chosen by the value as it will print (rounded), so that 999.7 MB
 * reads 1.0 GB, never 1000 MB. */
void fmt_bytes(char *buf, size_t n, double b)
{
    double a = fabs(b);
    if (a >= 999.95e9) snprintf(buf, n, "%.2f TB", b / 1e12);
    else if (a >= 999.5e6) snprintf(buf, n, "%.1f GB", b / 1e9);
    else if (a >= 999.5e3) snprintf(buf, n, "%.0f MB", b / 1e6);
    else if (a >= 999.5) snprintf(buf, n, "%.0f kB", b / 1e3);
    else snprintf(buf, n, "%.0f B", b);
}

void fmt_time(char *buf, size_t n, double s)
{
    if (s >= 99.995) snprintf(buf, n, "%.0f s", s);
    else if (s >= 0.9995) snprintf(buf, n, "%.2f s", s);
    else if (s >= 0.9995e-3) snprintf(buf, n, "%.*f ms", s >= 0.09995 ? 0 : s >= 0.009995 ? 1 : 2, s * 1e3);
    else snprintf(buf, n, "%.0f us", s * 1e6);
}

/* Digits after the point for a value below 1000: 3 significant, decided on the rounded value. */
static int sig3(double a) { return a >= 99.95 ? 0 : a >= 9.995 ? 1 : 2; }

void fmt_si(char *buf, size_t n, double v)
{
    static const char *pre[] = { "", " k", " M", " G", " T", " P", " E" };
    int i = 0;
    double a = fabs(v);
    while (a >= 999.5 && i < 6) {
        a /= 1000;
        v /= 1000;
        i++;
    }
    snprintf(buf, n, "%.*f%s", sig3(a), v, pre[i]);
}

void fmt_count(char *buf, size_t n, int64_t v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%lld", (long long)(v < 0 ? -v : v));
    size_t len = strlen(tmp), o = 0;
    if (v < 0 && o + 1 < n)
        buf[o++] = '-';
    for (size_t i = 0; i < len && o + 2 < n; i++) {
        buf[o++] = tmp[i];
        if ((len - i - 1) % 3 == 0 && i + 1 < len)
            buf[o++] = ',';
    }
    buf[o] = 0;
}

void fmt_params(char *buf, size_t n, double v)
{
    static const char *suffix[] = { "", " K", " M", " B", " T" }; /* parameters are counted in billions */
    int i = 0;
    while (v >= 999.5 && i < 4) {
        v /= 1000;
        i++;
    }
    snprintf(buf, n, "%.*f%s", sig3(v), v, suffix[i]);
}
