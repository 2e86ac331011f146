/* units.h - strict number parsing and human formatting of SI quantities. */
#ifndef ROOFTOP_UNITS_H
#define ROOFTOP_UNITS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "8k" = 8192, "1m" = 1048576, "1e6", "4096"; whole numbers only, no junk. */
bool parse_tokens(const char *s, int64_t *out);
/* A plain whole number. */
bool parse_int(const char *s, int64_t *out);
/* A finite real number. */
bool parse_real(const char *s, double *out);

/* "16.1 GB", "512 MB" (decimal units, as device memory is sold). */
void fmt_bytes(char *buf, size_t n, double bytes);
/* "1.23 s", "45.6 ms", "789 us". */
void fmt_time(char *buf, size_t n, double s);
/* "1.23 k", "4.56 M", "7.89 T" with 3 significant digits. */
void fmt_si(char *buf, size_t n, double v);
/* "6.74 B", "671 B": parameter counts */
void fmt_params(char *buf, size_t n, double v);
/* "12,345" */
void fmt_count(char *buf, size_t n, int64_t v);
#endif
