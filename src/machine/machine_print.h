/* machine_print.h - the machine's figures as tables, JSON and CSV:
 * --detect, --print --rank, --list-models --local and --launch. */
#ifndef ROOFTOP_MACHINE_PRINT_H
#define ROOFTOP_MACHINE_PRINT_H

#include <jansson.h>
#include <stdio.h>
#include "machine/detect.h"
#include "machine/launch.h"
#include "machine/local.h"
#include "machine/rank.h"
#include "output/fields.h"

/* The same order as the command line's output formats (table, json, csv). */
enum mp_format { MP_TABLE, MP_JSON, MP_CSV };

/* Fields of one entry, for any sink (JSON keys as in the command-line contract; a rank
 * row's: rank_fields, machine/rankcols.h). */
void mp_fields_device(struct sink *s, const struct md_device *d);
void mp_fields_local(struct sink *s, const struct lm_model *m);

/* Arrays of objects (the caller owns the reference). */
json_t *mp_detect_json(const struct md_list *l);
json_t *mp_rank_json(const struct rank_table *t);
json_t *mp_local_json(const struct lm_list *l);

/* Whole outputs.  A table of detected devices ends with the note when nothing
 * was found; a launch line's note follows it as a shell comment. */
void mp_print_detect(FILE *out, const struct md_list *l, enum mp_format f);
void mp_print_rank(FILE *out, const struct rank_table *t, enum mp_format f);
void mp_print_local(FILE *out, const struct lm_list *l, enum mp_format f);
void mp_print_launch(FILE *out, const char *line, const char *note, enum mp_format f);

#endif
