/* text.h - text from files made safe to show on a terminal. */
#ifndef ROOFTOP_TEXT_H
#define ROOFTOP_TEXT_H
#include <stdbool.h>
#include <stddef.h>

/* Copy src into dst (n bytes, NUL-terminated), replacing each C0 control
 * character (tab and newline included), DEL, C1 control (U+0080..U+009F, as
 * UTF-8 or as a raw byte) and every byte of malformed UTF-8 with '?', so that
 * no escape sequence reaches the terminal.  Returns dst. */
char *text_safe(char *dst, size_t n, const char *src);
/* The same in place (the result is never longer). */
char *text_safe_inplace(char *s);
/* Copy src into dst (n bytes, NUL-terminated, cut at a whole character) with
 * each byte of malformed UTF-8 written as \xNN, so that the text is valid
 * UTF-8 and keeps every byte's value; with controls, also each C0 control, DEL
 * and C1 control (\n, \t, \r, \xNN): text for a terminal, where a name can
 * then neither send an escape sequence nor start a new row.  Without, for
 * JSON, whose writer escapes controls itself. */
char *text_escape(char *dst, size_t n, const char *src, bool controls);
/* src has no controls and is valid UTF-8 (text_escape with controls copies it as is). */
bool text_is_clean(const char *src);
/* src is valid UTF-8 (controls allowed). */
bool text_is_utf8(const char *src);
/* The index of s among names (NULL-terminated); -1 when s is NULL or not one of
 * them, with "expected one of: a, b, c" in why (n bytes).  The one reader of a
 * named choice: preset files (cfg_enum) and model configs (arch.c) both use it. */
int text_choice(const char *const *names, const char *s, char *why, size_t n);

/* Distinct values met while walking a list: strings, or pairs of strings (b NULL for
 * one), kept by pointer (they must outlive the list), at most cap (up to TEXT_SEEN_MAX). */
#define TEXT_SEEN_MAX 64
struct text_seen {
    const char *a[TEXT_SEEN_MAX], *b[TEXT_SEEN_MAX];
    int n, cap;
};
void text_seen_init(struct text_seen *s, int cap);
/* True when (a, b) was not met before, and is now remembered; false when it was, or
 * when the list is full. */
bool text_seen_first(struct text_seen *s, const char *a, const char *b);
#endif
