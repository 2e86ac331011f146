/* devlist.h - a device list in --gpu (ID:COUNT,...) and --tensor-split, resolved
 * into the core's mixed-device scenario (core/split.c, llama.cpp's layer split). */
#ifndef ROOFTOP_DEVLIST_H
#define ROOFTOP_DEVLIST_H

#include <stdbool.h>
#include <stddef.h>
#include "scenario/spec_types.h"

/* Whether --gpu's text is a list (a ':' or a ','), not one catalog id. */
bool devlist_is_list(const char *gpu);
/* The links a device in an external enclosure reaches the host over (ID@LINK): the i-th
 * link's name ("tb3", "tb4", "tb5") and, where text is not NULL, its words ("Thunderbolt 3");
 * NULL past the last. */
const char *devlist_link(size_t i, const char **text);
/* Whether a catalog device can sit in such an enclosure: a card with a PCIe link to the host
 * and memory of its own (not an NVLink-class module, not unified memory, not a CPU or a Mac). */
bool devlist_enclosable(const struct rt_device *d);
/* Device d behind link (its id ID@LINK, its name "... over Thunderbolt 4", the tunnel's PCIe
 * rate, no NVLink), as --gpu ID@LINK makes it; an unknown link is refused, naming it. */
int devlist_behind(const struct rt_device *d, const char *link, struct rt_device *out, char *err, size_t errlen);
/* How many devices the list's text names (rtx-4090:1,rtx-3090:2 is 3), counts as written; 0 when
 * gpu is not a list.  No catalog: a count that is not a number counts 1 (devlist_resolve refuses it). */
int devlist_count(const char *gpu);
/* Parse the list into out->mix (each device counted one by one), out->device (the
 * first) and, for two or more devices, out->s.mix*; check --tensor-split and the
 * options a layer split does not combine with.  The error names the option. */
int devlist_resolve(const struct catalog *c, const struct rt_spec *sp, struct rt_resolved *out, char *err,
                    size_t errlen);

#endif
