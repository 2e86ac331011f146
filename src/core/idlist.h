/* idlist.h - whether a device id is one of a space-separated list of ids (a table's "the
 * boards this measurement serves").  A string match: look it up once per scenario (the step
 * cache keeps attn.c's), not per call. */
#ifndef ROOFTOP_IDLIST_H
#define ROOFTOP_IDLIST_H

#include <stdbool.h>
#include <string.h>

static inline bool rt_id_listed(const char *list, const char *id)
{
    size_t n = id ? strlen(id) : 0;
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, " ");
        if (k == n && n > 0 && strncmp(p, id, n) == 0)
            return true;
        p += k;
        p += strspn(p, " ");
    }
    return false;
}

#endif
