/* text.c - see text.h. */
#include <stdio.h>
#include <string.h>
#include "base/text.h"

/* The length of the well-formed UTF-8 sequence at s that is not a C1
 * control, or 0 (RFC 3629: no overlong forms, no surrogates, <= U+10FFFF). */
static size_t utf8_ok(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return c >= 0x20 && c != 0x7f;
    if (c == 0xc2)
        return s[1] >= 0xa0 && s[1] <= 0xbf ? 2 : 0; /* 0xc2 0x80..0x9f: C1 controls */
    if (c > 0xc2 && c <= 0xdf)
        return (s[1] & 0xc0) == 0x80 ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        unsigned char lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        unsigned char lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80 ? 4 : 0;
    }
    return 0;
}

char *text_safe(char *dst, size_t n, const char *src)
{
    if (!n)
        return dst;
    const unsigned char *s = (const unsigned char *)src;
    size_t k = 0;
    while (*s && k + 1 < n) {
        size_t l = utf8_ok(s);
        if (l == 0) {
            dst[k++] = '?';
            s++;
        } else if (k + l < n) {
            memmove(dst + k, s, l); /* dst may be src (in place): never ahead of it */
            k += l;
            s += l;
        } else {
            break; /* a whole character does not fit */
        }
    }
    dst[k] = 0;
    return dst;
}

char *text_safe_inplace(char *s) { return text_safe(s, strlen(s) + 1, s); }

char *text_escape(char *dst, size_t n, const char *src, bool controls)
{
    if (!n)
        return dst;
    const unsigned char *s = (const unsigned char *)src;
    size_t k = 0;
    while (*s) {
        size_t l = utf8_ok(s);
        char esc[8];
        const char *put = esc;
        size_t pl;
        if (l) {
            put = (const char *)s;
            pl = l;
        } else if (!controls && (*s < 0x20 || *s == 0x7f)) {
            put = (const char *)s; /* the JSON writer escapes these itself */
            pl = l = 1;
        } else if (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {
            /* a C1 control written as UTF-8: one character */
            pl = (size_t)snprintf(esc, sizeof esc, "\\x%02x", s[1]);
            l = 2;
        } else {
            pl = *s == '\n' ? (size_t)snprintf(esc, sizeof esc, "\\n")
               : *s == '\t' ? (size_t)snprintf(esc, sizeof esc, "\\t")
               : *s == '\r' ? (size_t)snprintf(esc, sizeof esc, "\\r")
                            : (size_t)snprintf(esc, sizeof esc, "\\x%02x", *s);
            l = 1;
        }
        if (k + pl >= n)
            break; /* the rest does not fit: cut at a whole character */
        memcpy(dst + k, put, pl);
        k += pl;
        s += l;
    }
    dst[k] = 0;
    return dst;
}

bool text_is_clean(const char *src)
{
    for (const unsigned char *s = (const unsigned char *)src; *s;) {
        size_t l = utf8_ok(s);
        if (!l)
            return false;
        s += l;
    }
    return true;
}

bool text_is_utf8(const char *src)
{
    for (const unsigned char *s = (const unsigned char *)src; *s;) {
        size_t l = utf8_ok(s);
        if (!l && (*s < 0x20 || *s == 0x7f))
            l = 1;
        else if (!l && *s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
            l = 2;
        if (!l)
            return false;
        s += l;
    }
    return true;
}

int text_choice(const char *const *names, const char *s, char *why, size_t n)
{
    for (int i = 0; s && names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    size_t len = (size_t)snprintf(why, n, "expected one of: ");
    for (int i = 0; names[i]; i++)
        len += (size_t)snprintf(why + (len < n ? len : n), len < n ? n - len : 0, "%s%s", i ? ", " : "", names[i]);
    return -1;
}

void text_seen_init(struct text_seen *s, int cap)
{
    s->n = 0;
    s->cap = cap < 0 ? 0 : cap > TEXT_SEEN_MAX ? TEXT_SEEN_MAX : cap;
}

bool text_seen_first(struct text_seen *s, const char *a, const char *b)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->a[i], a) == 0 && (!b || (s->b[i] && strcmp(s->b[i], b) == 0)))
            return false;
    if (s->n >= s->cap)
        return false;
    s->a[s->n] = a;
    s->b[s->n++] = b;
    return true;
}
