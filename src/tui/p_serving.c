/* p_serving.c - serving under load: requests arriving at the Rate field's
 * rate, run through the core's continuous-batching simulation on every change
 * (at most TUI_SERVE_REQUESTS requests, said on the panel when the session
 * asks for more): TTFT mean and p99, inter-token latency, output throughput,
 * sequences running and the capacity line; with them, disaggregation and its KV
 * transfer, replicas, a closed loop and the host's time per step.  Values are formatted by the
 * output-figures table, as --print shows them. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tui/panels.h"
#include "core/serve.h"

/* "8 req/s [|||||.....] 38% of capacity": the load against what the setup sustains. */
static void load_bar(const struct ui *u, int y, int x, int w)
{
    const struct rt_serve_result *sv = &u->res.serving;
    char a[32], pct[24];
    if (!isfinite(u->rs.s.rate)) {
        if (u->rs.s.concurrency > 0)
            paint_textf(y, x, w, ROLE_LABEL, "%lld clients, each sends when its last request ends",
                        (long long)u->rs.s.concurrency);
        else
            paint_textf(y, x, w, ROLE_LABEL, "all %lld requests arrive at once", (long long)sv->requests);
        return;
    }
    ui_figure(u, "serving.rate_rps", a, sizeof a);
    double frac = sv->capacity_rps > 0 ? u->rs.s.rate / sv->capacity_rps : INFINITY;
    if (!isfinite(frac))
        snprintf(pct, sizeof pct, " no capacity");
    else if (frac >= 10) /* far past it: a multiple reads better than 2290570% */
        snprintf(pct, sizeof pct, " %.0fx capacity", frac);
    else
        snprintf(pct, sizeof pct, " %.0f%% of capacity", frac * 100);
    paint_text(y, x, w, ROLE_VALUE, a);
    int bx = x + (int)strlen(a) + 1, tail = (int)strlen(pct), bw = x + w - bx - tail;
    if (bw < 6) { /* no room for a bar: the share alone */
        paint_text(y, bx, x + w - bx, ROLE_DIM, pct + 1);
        return;
    }
    paint_bar(y, bx, bw, frac, frac >= 1 ? ROLE_BAD : frac > 0.8 ? ROLE_WARN : ROLE_GOOD, '|');
    paint_text(y, bx + bw, tail, frac >= 1 ? ROLE_BAD : ROLE_DIM, pct);
}

static void capacity_line(const struct ui *u, int y, int x, int w, bool cap_row)
{
    const struct rt_serve_result *sv = &u->res.serving;
    char c[32], line[96];
    ui_figure(u, "serving.capacity_rps", c, sizeof c);
    if (!isfinite(u->rs.s.rate)) {
        paint_textf(y, x, w, ROLE_LABEL, "capacity %s (%s)", c, u->rs.s.concurrency > 0 ? "closed loop" : "all at once");
        return;
    }
    if (sv->stable) {
        if (!u->rs.s.max_seqs_given && u->spec.batch > 1 && !cap_row &&
            snprintf(line, sizeof line, "capacity %s at Batch %lld: stable", c, (long long)u->spec.batch) <= w)
            paint_text(y, x, w, ROLE_GOOD, line);
        else
            paint_textf(y, x, w, ROLE_GOOD, "capacity %s: stable", c);
        return;
    }
    snprintf(line, sizeof line, "above capacity %s: the queue grows", c);
    if ((int)strlen(line) > w)
        snprintf(line, sizeof line, "above capacity %s: queue grows", c);
    /* a Batch above 1 with Max seqs unset caps the sequences running, and so the capacity: said
     * where the cap's own line has no row (80x24), as the capacity's condition */
    char by[32] = "";
    if (!u->rs.s.max_seqs_given && u->spec.batch > 1)
        snprintf(by, sizeof by, " at Batch %lld", (long long)u->spec.batch);
    if (*by && !cap_row) {
        char alt[96];
        snprintf(alt, sizeof alt, "above capacity %s%s", c, by); /* above it, the queue grows */
        if ((int)strlen(alt) <= w)
            snprintf(line, sizeof line, "%s", alt);
    }
    paint_text(y, x, w, ROLE_BAD, line);
}

void serving_line(const struct ui *u, int y, int x, int w)
{
    const struct rt_serve_result *sv = &u->res.serving;
    char a[32], b[32], c[32];
    if (!sv->fits) {
        paint_text(y, x, w, ROLE_BAD, "serving: not one sequence fits in the KV cache");
        return;
    }
    if (isfinite(u->rs.s.rate))
        ui_figure(u, "serving.rate_rps", a, sizeof a);
    else if (u->rs.s.concurrency > 0) /* --concurrency's closed loop */
        snprintf(a, sizeof a, "%lld clients", (long long)u->rs.s.concurrency);
    else
        snprintf(a, sizeof a, "all at once");
    ui_figure(u, "serving.ttft_mean_s", b, sizeof b);
    ui_figure(u, "serving.capacity_rps", c, sizeof c);
    bool ok = sv->stable || !isfinite(u->rs.s.rate);
    /* "under load": not the static batch's TTFT above it; shortened where the line is narrow */
    const char *state = !isfinite(u->rs.s.rate) ? "" : sv->stable ? ": stable" : ": queue grows";
    char line[160];
    snprintf(line, sizeof line, "%s: TTFT under load %s, capacity %s%s", a, b, c, state);
    if ((int)strlen(line) > w)
        snprintf(line, sizeof line, "%s: load TTFT %s, capacity %s%s", a, b, c, state);
    if ((int)strlen(line) > w)
        snprintf(line, sizeof line, "%s: load TTFT %s, max %s%s", a, b, c, state); /* not "cap": Batch caps running */
    paint_text(y, x, w, ok ? ROLE_GOOD : ROLE_BAD, line);
}

/* The TTFT max and ITL max fields against the means under load: "TTFT 30.5 ms <= 100 ms met". */
static void targets_line(const struct ui *u, int y, int x, int w)
{
    const struct rt_serve_result *sv = &u->res.serving;
    const double tgt[2] = { u->spec.ttft_max, u->spec.itl_max }, got[2] = { sv->ttft_mean_s, sv->itl_mean_s };
    const char *name[2] = { "TTFT", "ITL" }, *key[2] = { "serving.ttft_mean_s", "serving.itl_mean_s" };
    char line[160] = "", shorter[160] = "";
    bool all = true;
    for (int i = 0; i < 2; i++) {
        if (tgt[i] <= 0)
            continue;
        char a[32], b[32];
        ui_figure(u, key[i], a, sizeof a);
        ui_in_unit(key[i], tgt[i], b, sizeof b); /* the target, in the figure's unit */
        bool met = got[i] <= tgt[i];
        all = all && met;
        size_t l = strlen(line), m = strlen(shorter);
        snprintf(line + l, sizeof line - l, "%s%s %s %s %s %s", l ? ", " : "", name[i], a, met ? "<=" : ">", b,
                 met ? "met" : "missed");
        snprintf(shorter + m, sizeof shorter - m, "%s%s %s %s", m ? " " : "", name[i], met ? "<=" : ">", b);
    }
    paint_text(y, x, w, all ? ROLE_GOOD : ROLE_BAD, (int)strlen(line) <= w ? line : shorter);
}

/* The cap on sequences running at once and where it comes from: Max seqs (--max-seqs) when
 * set, else a Batch above 1 (0.2's meaning, kept), else the engine profile's; then the KV
 * cache (the KV policy field): reserved, each sequence's final context held from admission,
 * it is the cap where it holds fewer (the run never runs more); grown, it admits more and
 * preempts: said where the run went past what reserving would hold.  "running at most 256 (engine's)" beside 8 running read as if the engine's cap held. */
static void cap_line(const struct ui *u, int y, int x, int w)
{
    const struct rt_scenario *s = &u->rs.s;
    const struct rt_serve_result *sv = &u->res.serving;
    long long cap = (long long)rt_serve_cap(s), dp = s->dp > 1 ? s->dp : 1;
    long long kv = sv->disagg_on ? 0 : (long long)sv->slots / dp; /* at final contexts, one replica */
    const char *from = s->max_seqs_given ? "Max seqs" : u->spec.batch > 1 ? "Batch, Max seqs unset" : "engine's";
    bool grow = s->engine->kv_policy == RT_KVP_GROW, kv_binds = kv > 0 && (cap <= 0 || kv < cap);
    if (grow && sv->max_running / dp <= kv)
        kv_binds = false; /* grown, but the run never went past what reserving would hold: nothing to say */
    char line[2][160];
    if (kv_binds && !grow) {
        snprintf(line[0], sizeof line[0], "running at most %lld: KV reserved for each final context (%s %lld)", kv,
                 from, cap);
        if (cap <= 0)
            snprintf(line[0], sizeof line[0], "running at most %lld: KV reserved for each final context", kv);
        snprintf(line[1], sizeof line[1], "running at most %lld (KV reserved)", kv);
    } else if (kv_binds) {
        if (cap <= 0)
            snprintf(line[0], sizeof line[0], "running: no cap but memory (%s), KV grown past %lld", from, kv);
        else
            snprintf(line[0], sizeof line[0], "running at most %lld (%s), KV grown past %lld", cap, from, kv);
        snprintf(line[1], sizeof line[1], "running at most %lld, KV grown", cap);
        if (cap <= 0)
            snprintf(line[1], sizeof line[1], "running: KV grown past %lld", kv);
    } else {
        if (cap <= 0)
            snprintf(line[0], sizeof line[0], "running: no cap but memory (%s)", from);
        else
            snprintf(line[0], sizeof line[0], "running at most %lld (%s)", cap, from);
        snprintf(line[1], sizeof line[1], "%s", line[0]);
    }
    paint_text(y, x, w, ROLE_DIM, line[(int)strlen(line[0]) > w]);
}

/* How the run is set up, on the heading where every size shows it: "disagg 1:2", "dp 2",
 * "8 clients", "lengths vary" (the Prompt len and Output len fields), "prefix 819 tok cached". */
static void mode_note(const struct ui *u, struct rect r)
{
    const struct rt_scenario *s = &u->rs.s;
    char note[96] = "";
    size_t l = 0;
    if (s->disagg_p > 0)
        l += (size_t)snprintf(note + l, sizeof note - l, "disagg %lld:%lld", (long long)s->disagg_p, (long long)s->disagg_d);
    if (s->dp > 1 && l < sizeof note)
        l += (size_t)snprintf(note + l, sizeof note - l, "%sdp %lld", l ? ", " : "", (long long)s->dp);
    if (s->concurrency > 0 && !isfinite(s->rate) && l < sizeof note)
        l += (size_t)snprintf(note + l, sizeof note - l, "%s%lld clients", l ? ", " : "", (long long)s->concurrency);
    if ((s->prompt_dist.kind != RT_DIST_FIXED || s->output_dist.kind != RT_DIST_FIXED) && l < sizeof note)
        l += (size_t)snprintf(note + l, sizeof note - l, "%slengths vary", l ? ", " : "");
    if (s->prefix_hit > 0 && l < sizeof note) { /* --prefix-hit: the prompt tokens each request finds cached */
        char part[48]; /* in full, else short, and only where the note still fits the heading */
        double cached = ui_value(u, "serving.prefix_cached_tokens");
        for (int shorter = 0; shorter < 2; shorter++) {
            snprintf(part, sizeof part, "prefix %.0f%s", cached, shorter ? "" : " tok cached");
            if ((int)(l + strlen(part)) + (l ? 2 : 0) + 19 < r.w) {
                l += (size_t)snprintf(note + l, sizeof note - l, "%s%s", l ? ", " : "", part);
                break;
            }
        }
    }
    if (l)
        paint_heading_note(r, ROLE_LABEL, note);
}

void panel_serving(const struct ui *u, struct rect r)
{
    paint_heading(r, "Serving");
    int x = r.x + 1, w = r.w - 2, y = r.y + 1, end = r.y + r.h, rows = r.h - 1;
    if (!u->valid) {
        paint_text(y, x, w, ROLE_DIM, "(waiting for a valid scenario)");
        return;
    }
    if (!u->res.serving_on) {
        y += paint_wrap(y, x, w, end - y, 0, ROLE_DIM, "off: the Rate field sets requests per second arriving "
                        "(Right: 1 req/s), then TTFT and ITL under load");
        return;
    }
    const struct rt_serve_result *sv = &u->res.serving;
    bool capped = u->spec.requests > TUI_SERVE_REQUESTS;
    if (capped) {
        char note[64];
        snprintf(note, sizeof note, "first %d of %lld requests", TUI_SERVE_REQUESTS, (long long)u->spec.requests);
        paint_heading_note(r, ROLE_WARN, note);
    } else {
        mode_note(u, r);
    }
    if (!sv->fits || !u->res.fits) {
        char why[256] = "does not fit: nothing is served", a2[32], b2[32];
        if (u->res.fits) { /* the static batch fits; the engine's serving reservations leave no KV room */
            ui_in_unit("memory.device_kv_cache_bytes", sv->kv_room_bytes > 0 ? sv->kv_room_bytes : 0, a2, sizeof a2);
            ui_in_unit("memory.kv_cache_bytes", sv->kv_seq_bytes, b2, sizeof b2);
            snprintf(why, sizeof why, "no KV room: the engine's reservations (a full step's activations, its unused "
                     "memory) leave %s per device, one sequence needs %s; nothing is served", a2, b2);
        }
        paint_wrap(y, x, w, end - y, 0, ROLE_BAD, why);
        return;
    }
    char a[32], b[32], c[32];
    if (rows >= 4)
        load_bar(u, y++, x, w);
    /* the TTFT of requests arriving at the rate (queueing included), not the Answer panel's
     * static batch, whose prompts all start at once: said in words */
    char d[32];
    ui_figure(u, "serving.ttft_mean_s", a, sizeof a);
    ui_figure(u, "serving.ttft_p50_s", b, sizeof b);
    ui_figure(u, "serving.ttft_p99_s", c, sizeof c);
    if (y < end)
        paint_textf(y++, x, w, ROLE_VALUE, w >= 46 ? "Under load: TTFT %s, p50 %s, p99 %s" : "TTFT load %s p50 %s p99 %s", a,
                    b, c);
    if (y < end) {
        char line[160];
        ui_figure(u, "serving.itl_mean_s", a, sizeof a);
        ui_figure(u, "serving.output_tok_s", b, sizeof b);
        ui_figure(u, "serving.mean_running", d, sizeof d);
        if (snprintf(line, sizeof line, "ITL %s  out %s  running %s", a, b, d) > w) /* narrow: nothing cut */
            snprintf(line, sizeof line, "ITL %s  %s  run %s", a, b, d);
        paint_text(y++, x, w, ROLE_VALUE, line);
    }
    if (y < end) { /* whether the cap's own line below gets a row: the rows before it */
        bool tg = u->spec.ttft_max > 0 || u->spec.itl_max > 0;
        int before = 1 + (tg ? 2 : 0) + 1 + (sv->disagg_on ? 1 : 0) + (u->rs.s.dp > 1 ? 1 : 0) +
                     (u->rs.s.concurrency > 0 && !isfinite(u->rs.s.rate) ? 1 : 0);
        capacity_line(u, y, x, w, y + before < end);
        y++;
    }
    if (y < end && (u->spec.ttft_max > 0 || u->spec.itl_max > 0))
        targets_line(u, y++, x, w);
    if (y < end && (u->spec.ttft_max > 0 || u->spec.itl_max > 0))
        paint_textf(y++, x, w, ROLE_LABEL, "within the targets up to %s",
                    ui_figure(u, "serving.capacity_sla_rps", a, sizeof a));
    if (y < end)
        paint_textf(y++, x, w, ROLE_DIM, "latency %s mean, queued %s", ui_figure(u, "serving.e2e_mean_s", a, sizeof a),
                    ui_in_unit("serving.ttft_mean_s", sv->queue_mean_s, b, sizeof b)); /* a part of TTFT */
    if (y < end && sv->disagg_on)
        paint_textf(y++, x, w, ROLE_LABEL, "disaggregated: %s prefill + %s decode, KV moved in %s",
                    ui_figure(u, "serving.disagg.prefill_devices", b, sizeof b),
                    ui_figure(u, "serving.disagg.decode_devices", c, sizeof c),
                    ui_figure(u, "serving.disagg.kv_transfer_s", a, sizeof a));
    if (y < end && u->rs.s.dp > 1)
        paint_textf(y++, x, w, ROLE_LABEL, "%lld replicas share the load (--dp)", (long long)u->rs.s.dp);
    if (y < end && u->rs.s.concurrency > 0 && !isfinite(u->rs.s.rate))
        paint_textf(y++, x, w, ROLE_LABEL, "closed loop of %lld clients", (long long)u->rs.s.concurrency);
    if (y < end) /* the cap before the host line: every profile may carry a host time now */
        cap_line(u, y++, x, w);
    if (y < end && sv->host_s_per_step > 0)
        paint_textf(y++, x, w, ROLE_DIM, "host %s per step%s", ui_figure(u, "serving.host_s_per_step", a, sizeof a),
                    u->rs.s.engine && u->rs.s.engine->host_overlap ? ", overlapped" : "");
    if (y < end)
        paint_textf(y++, x, w, capped ? ROLE_WARN : ROLE_DIM, capped ? "%lld requests simulated of %lld (--print runs all)"
                                                                : "%lld requests simulated, fixed seed",
                    (long long)sv->requests, (long long)u->spec.requests);
}
