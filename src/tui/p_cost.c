/* p_cost.c - what the setup costs: per hour, per million output tokens, per
 * request and, with a rate, per month and the devices the load needs; against
 * the API of the API field, its monthly cost and the break-even rate.  The
 * price is the Price field's, else the catalog's.  Values are formatted by the
 * output-figures table, as --print shows them. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tui/panels.h"

/* The API line(s): its cost per month at the rate and the break-even rate. */
static int api_lines(const struct ui *u, int y, int end, int x, int w, bool tall)
{
    const struct rt_cost *k = &u->res.cost;
    char a[32], b[32];
    bool rate = u->res.serving_on && k->replicas > 0;
    ui_figure(u, "cost.breakeven_rps", b, sizeof b);
    const char *be = isfinite(k->breakeven_rps) ? b : "never (within one setup)";
    if (tall && rate && y + 1 < end) {
        bool cheaper = k->per_month_usd < k->api_per_month_usd;
        paint_textf(y++, x, w, cheaper ? ROLE_GOOD : ROLE_WARN, "API %-10s %s/month: %s", u->spec.api,
                    ui_figure(u, "cost.api_per_month_usd", a, sizeof a),
                    cheaper ? "self-hosting is cheaper" : "the API is cheaper");
        paint_textf(y++, x, w, ROLE_LABEL, "break-even   %s", be);
    } else if (rate) {
        paint_textf(y++, x, w, ROLE_LABEL, "API %s/month, break-even %s",
                    ui_figure(u, "cost.api_per_month_usd", a, sizeof a), be);
    } else {
        paint_textf(y++, x, w, ROLE_LABEL, "API %s: break-even %s", u->spec.api, be);
    }
    /* the API's own request price and published latency, where a row is left */
    if (y < end) {
        char lat[96] = "no latency published";
        if (k->api_output_tok_s > 0) { /* one request's time first (a narrow panel cuts the end), then its parts */
            char t[32] = "no TTFT", s[32], q[32];
            if (k->api_ttft_s > 0)
                ui_figure(u, "cost.api_ttft_s", t, sizeof t);
            snprintf(lat, sizeof lat, "%s (TTFT %s, %s)", ui_figure(u, "cost.api_request_s", q, sizeof q),
                     k->api_ttft_s > 0 ? t : "-", ui_figure(u, "cost.api_output_tok_s", s, sizeof s));
        } else if (k->api_ttft_s > 0) {
            char t[32];
            snprintf(lat, sizeof lat, "TTFT %s", ui_figure(u, "cost.api_ttft_s", t, sizeof t));
        }
        paint_textf(y++, x, w, ROLE_LABEL, "API request  %s, %s", ui_figure(u, "cost.api_per_request_usd", a, sizeof a),
                    lat);
    }
    if (y < end && (u->res.warnings & RT_WARN_API_CONTEXT))
        paint_text(y++, x, w, ROLE_WARN, "request longer than the API's context");
    return y;
}

void panel_cost(const struct ui *u, struct rect r)
{
    paint_heading(r, "Cost");
    int x = r.x + 1, w = r.w - 2, y = r.y + 1, end = r.y + r.h, rows = r.h - 1;
    if (!u->valid) {
        paint_text(y, x, w, ROLE_DIM, "(waiting for a valid scenario)");
        return;
    }
    if (!u->res.fits) {
        paint_text(y, x, w, ROLE_DIM, "does not fit: nothing to cost");
        return;
    }
    if (u->res.serving_on && !u->res.serving.fits) {
        paint_wrap(y, x, w, end - y, 0, ROLE_DIM, "nothing is served (no room for a sequence's KV cache): nothing to cost");
        return;
    }
    if (!u->res.cost_on) {
        char line[200];
        snprintf(line, sizeof line, "no price for %s: type one in the Price field ($ per device-hour)",
                 u->rs.s.device->id);
        paint_wrap(y, x, w, end - y, 0, ROLE_WARN, line);
        return;
    }
    const struct rt_cost *k = &u->res.cost;
    bool rate = u->res.serving_on && k->replicas > 0, api = u->spec.api[0] != 0;
    char note[64];
    if (k->owned)
        snprintf(note, sizeof note, "owned, %.3g years", u->spec.lifetime_years);
    else
        snprintf(note, sizeof note, "$%.*f/device-h%s", u->rs.s.device->price_hour < 1 ? 3 : 2,
                 u->rs.s.device->price_hour, u->spec.price_hour > 0 ? "" : " (catalog)");
    paint_heading_note(r, ROLE_DIM, note);
    char a[32], b[32], c[32];
    /* an unbounded rate (a closed loop) is on but has no month: a finite one gives it */
    const char *full = u->res.serving_on ? "at full use; a finite Rate gives per month" : "at full use; a Rate gives per month";
    ui_figure(u, "cost.per_hour_usd", a, sizeof a);
    ui_figure(u, "cost.per_mtok_output_usd", b, sizeof b);
    ui_figure(u, "cost.per_request_usd", c, sizeof c);
    int need = 3 + (rate ? 2 : 1) + (api ? (rate ? 2 : 1) : 0);
    if (rows >= need) { /* one figure a line */
        paint_textf(y++, x, w, ROLE_VALUE, "per hour     %s", a);
        paint_textf(y++, x, w, ROLE_VALUE, "per M output %s", b);
        paint_textf(y++, x, w, ROLE_VALUE, "per request  %s", c);
        if (rate) {
            paint_textf(y++, x, w, ROLE_VALUE, "per month    %s", ui_figure(u, "cost.per_month_usd", a, sizeof a));
            paint_textf(y++, x, w, ROLE_VALUE, "devices      %s needed for the rate",
                        ui_figure(u, "cost.devices_needed", a, sizeof a));
        } else {
            paint_text(y++, x, w, ROLE_DIM, full);
        }
        if (api)
            api_lines(u, y, end, x, w, true);
        return;
    }
    /* short: the figures side by side */
    paint_textf(y++, x, w, ROLE_VALUE, "%s/h  %s/M out  %s/req", a, b, c);
    if (y < end && rate)
        paint_textf(y++, x, w, ROLE_VALUE, "%s/month  %s device%s needed",
                    ui_figure(u, "cost.per_month_usd", a, sizeof a), ui_figure(u, "cost.devices_needed", b, sizeof b),
                    k->devices_needed == 1 ? "" : "s");
    else if (y < end && !api)
        paint_text(y++, x, w, ROLE_DIM, full);
    if (y < end && api)
        api_lines(u, y, end, x, w, false);
}
