/* embedded.h - preset files compiled into the binary (generated embedded.c). */
#ifndef ROOFTOP_EMBEDDED_H
#define ROOFTOP_EMBEDDED_H
#include <stddef.h>
struct rt_embedded_file { const char *name; const char *text; };
extern const struct rt_embedded_file rt_embedded[];
extern const size_t rt_embedded_count;
#endif
