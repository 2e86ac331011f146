/* record.h - one row of (key, value) fields, and its JSON and CSV forms. */
#ifndef ROOFTOP_RECORD_H
#define ROOFTOP_RECORD_H

#include <jansson.h>
#include <stdio.h>
#include "output/fields.h"

#define REC_MAX_FIELDS 256
#define REC_POOL 16384

struct rec_field {
    const char *key;                /* into the record's pool */
    char type;                      /* 's', 'n', 'i', 'b' */
    double num;
    int64_t i;
    const char *str;
};

struct record {
    struct rec_field f[REC_MAX_FIELDS];
    int n;
    char pool[REC_POOL];
    size_t used;
};

/* A sink that fills rec (cleared first). */
void record_sink(struct sink *s, struct record *rec);
json_t *record_json(const struct record *rec);
/* The same object written as indented JSON without building it; false if the
 * record's nested keys are not contiguous (then nothing is written). */
bool record_write_json(FILE *out, const struct record *rec);
void csv_header(FILE *out, const struct record *rec);
void csv_row(FILE *out, const struct record *rec);
void csv_field(FILE *out, const char *s);
/* Rows written as the sink's calls come, with no record kept (a sweep's rows after
 * its header): the text is csv_row's of the record the same calls would fill, its
 * limits on fields and text included.  csv_stream_sink starts a row (cs cleared),
 * csv_stream_end ends it and writes it to out. */
struct csv_stream {
    FILE *out;
    size_t len;                     /* bytes in buf */
    int n;                          /* the record's fields so far */
    size_t used;                    /* the record's pool so far */
    char buf[8192];
};
void csv_stream_sink(struct sink *s, struct csv_stream *cs, FILE *out);
void csv_stream_end(struct csv_stream *cs);
/* Rows whose figures differ (a solver's disaggregated setups carry three more): the first
 * row's keys, kept (csv_keys_keep, false if they do not fit), and each row written under
 * them, empty where a row lacks one and without the keys the header lacks. */
struct csv_keys {
    const char *key[REC_MAX_FIELDS];
    int n;
    char pool[REC_POOL];
};
bool csv_keys_keep(struct csv_keys *k, const struct record *rec);
void csv_row_under(FILE *out, const struct record *rec, const struct csv_keys *k);
/* Numbers in JSON/CSV: shortest exact-enough form ("%.10g"). */
void fmt_num(char *buf, size_t n, double v);

#endif
