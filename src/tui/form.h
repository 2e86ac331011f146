/* form.h - the dashboard's fields and how keys change them (no drawing).
 *
 * The fields are the rows of the inputs table (scenario/inputs.c) that have a
 * FIELD, in table order: field f is the f-th such row.  Its label, step, the
 * text shown for "none", its choices and the figure explain opens on all come
 * from the row, so a new field is a row and nothing here. */
#ifndef ROOFTOP_FORM_H
#define ROOFTOP_FORM_H
#include <stdbool.h>
#include "scenario/spec.h"
#include "scenario/inputs.h"

int form_fields(void);                          /* how many fields */
const struct input *field_input(int f);         /* the field's row */
int field_named(const char *key);               /* by session key ("batch"); -1 if none */
const char *field_label(int f);
const char *field_key(int f);                   /* stored in sessions: "batch" */
int field_parse(const char *key);               /* -1 if unknown */
bool field_is_number(int f);
bool field_is_picker(int f);                    /* model and gpu: Enter opens a filtered list */
bool field_is_real(int f);                      /* rate and price: typed with a decimal point */
/* The field's value as text. */
void field_value(const struct rt_spec *sp, int f, char *buf, size_t n);
/* Step: dir -1/+1; pow2: jump to the next power of two.  Returns true if changed. */
bool field_step(const struct catalog *c, struct rt_spec *sp, int f, int dir, bool pow2);
bool field_set_number(struct rt_spec *sp, int f, int64_t v);
/* A field the scenario sets otherwise (Devices with a device list in GPU): true and why, for the
 * status line; stepping, typing and the slider leave it as it is. */
bool field_locked(const struct rt_spec *sp, int f, char *why, size_t n);
/* The least and most a number field takes. */
void field_limits(int f, int64_t *min, int64_t *max);
/* What the user typed ("8192", "8k", "1m"): 0 and *out, or -1 and a message
 * (out of range is refused, never clamped). */
int field_parse_typed(int f, const char *text, int64_t *out, char *err, size_t errlen);
/* Set what the user typed into the field (numbers, reals with a decimal point):
 * 0 (*changed says whether the value moved), or -1 and a message. */
int field_enter_typed(struct rt_spec *sp, int f, const char *text, bool *changed, char *err, size_t errlen);
/* The picker's filter: a case-insensitive substring of a or of b (either may be
 * NULL); an empty filter matches everything. */
bool field_filter_match(const char *filter, const char *a, const char *b);
/* Candidate ids for a choice field, filtered by a substring; returns the count. */
int field_choices(const struct catalog *c, const struct rt_spec *sp, int f, const char *filter,
                  const char **ids, const char **names, int max);
void field_set_choice(struct rt_spec *sp, int f, const char *id);
/* Formats a device cannot run natively are marked. */
bool format_native(const struct catalog *c, const struct rt_spec *sp, const char *fmt_id);
#endif
