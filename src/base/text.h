/* text.h - text from files made safe to show on a terminal. */
#ifndef ROOFTOP_TEXT_H
#define ROOFTOP_TEXT_H
#include <stddef.h>

/* Copy src into dst (n bytes, NUL-terminated), replacing each C0 control
 * character (tab and newline included), DEL, C1 control (U+0080..U+009F, as
 * UTF-8 or as a raw byte) and every byte of malformed UTF-8 with '?', so that
 * no escape sequence reaches the terminal.  Returns dst. */
char *text_safe(char *dst, size_t n, const char *src);
/* The same in place (the result is never longer). */
char *text_safe_inplace(char *s);
#endif
