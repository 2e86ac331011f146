/* reccols.h - a text table over a record's keys: the --list-* tables name the
 * fields a catalog entry is written as (fields.c: the same keys as their JSON
 * and CSV), and each column says how its value is shown, so no list reads the
 * catalog's structs by hand. */
#ifndef ROOFTOP_RECCOLS_H
#define ROOFTOP_RECCOLS_H

#include <stdio.h>
#include "output/record.h"

enum rc_kind {
    RC_TEXT,                        /* a string field */
    RC_INT,                         /* a whole number */
    RC_NUM,                         /* a number: value x scale, "%.{prec}{conv}" then the suffix */
    RC_PARAMS,                      /* a parameter count: "8.0B" */
    RC_BYTES,                       /* bytes: "80.0 GB" */
    RC_YESNO,                       /* a switch: "yes" or "no" */
};
enum rc_dash { RC_NO_DASH, RC_DASH_NOT_POSITIVE, RC_DASH_NOT_FINITE }; /* "-": none published */

struct rec_column {
    const char *head;
    const char *key;                /* a key of the record */
    int width;                      /* negative: left-aligned; 0: as long as it is (the last column) */
    enum rc_kind kind;
    char conv;                      /* RC_NUM: 'f' or 'g' ('F': 'f' with a sign) */
    int prec;
    const char *suffix;             /* RC_NUM: after the number (" GB/s", "%"), NULL: none */
    double scale, div;              /* RC_NUM: value x scale / div (0 stands for 1) */
    enum rc_dash dash;
    int gap;                        /* extra spaces before the column */
};

void rec_columns_head(FILE *o, const struct rec_column *c, size_t n);
/* Widen c's columns (not the last, open one) to hold this record's cells: called for every
 * record before the table is printed, no value pushes the columns after it out of line. */
void rec_columns_fit(struct rec_column *c, size_t n, const struct record *rec);
void rec_columns_row(FILE *o, const struct rec_column *c, size_t n, const struct record *rec);

#endif
