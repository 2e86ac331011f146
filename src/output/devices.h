/* devices.h - a device list (--gpu ID:COUNT,...) in the outputs: its text, the
 * per-device lines of --print, the JSON `devices` array (core/split.c's figures). */
#ifndef ROOFTOP_DEVICES_H
#define ROOFTOP_DEVICES_H

#include <jansson.h>
#include <stdio.h>
#include "scenario/spec.h"

/* "rtx-4090:1,rtx-3090:2" (or the one device's id) */
const char *devices_text(const struct rt_resolved *rs, char *buf, size_t n);
/* "GeForce RTX 4090 24GB + 2x GeForce RTX 3090 24GB" */
const char *devices_names(const struct rt_resolved *rs, char *buf, size_t n);
/* layers per device in order: "17,15" */
const char *devices_layers(const struct rt_result *r, char *buf, size_t n);
/* --print: one line per device and the bottleneck (nothing without a list). */
void devices_table(FILE *out, const struct rt_resolved *rs, const struct rt_result *r);
/* JSON: one object per device. */
json_t *devices_json(const struct rt_resolved *rs, const struct rt_result *r);
/* With a device list: that array as o's split.devices (the key devices is the count). */
void devices_attach(json_t *o, const struct rt_resolved *rs, const struct rt_result *r);

#endif
