/* p_devices.c - a device list (--gpu ID:COUNT,...) in the Answer panel: each
 * device's layers and memory, and the device whose stage bounds decode. */
#include <stdio.h>
#include "tui/panels.h"

int answer_devices(const struct ui *u, int y, int end, int x, int w)
{
    const struct rt_result *r = &u->res;
    const struct rt_scenario *s = &u->rs.s;
    if (r->mix_n <= 1 || s->mix_n != r->mix_n)
        return y;
    for (int i = 0; i < r->mix_n && y < end; i++) {
        const struct rt_mix_dev *d = &r->mix[i];
        paint_textf(y++, x, w, d->fits ? ROLE_LABEL : ROLE_BAD, "%d %-9.9s %3lldL%s %.1f/%.0f GB%s", i + 1,
                    s->mix[i]->id, (long long)d->layers, d->output ? "+out" : "    ", d->total / 1e9, d->capacity / 1e9,
                    d->fits ? "" : " SHORT");
    }
    if (y < end) {
        int k = r->mix_decode_slowest;
        char t[24];
        ui_in_unit("decode.time_per_token_s", r->mix[k].decode_s, t, sizeof t);
        paint_textf(y++, x, w, ROLE_ACCENT, "Slowest     %d %s %s/token", k + 1, s->mix[k]->id, t);
    }
    return y;
}
