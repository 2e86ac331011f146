/* test_layout.c - the layout of the real panels table over many terminal
 * sizes: panels never overlap and stay inside the screen; below the minimum
 * the screen says it is too small; a panel left out is reported.  And what the
 * form's pickers offer. */
#include <criterion/criterion.h>
#include <string.h>
#include "tui/ui.h"
#include "tui/form.h"
#include "catalog/catalog.h"
#include "scenario/spec.h"

static bool overlap(struct rect a, struct rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static struct rect get(const struct layout *l, const char *name)
{
    int i = layout_find(panels, panel_count, name);
    cr_assert_geq(i, 0, "panel %s", name);
    return l->r[i];
}

Test(layout, no_overlap_inside_screen_all_sizes)
{
    for (int rows = 1; rows <= 120; rows++)
        for (int cols = 1; cols <= 320; cols += (cols < 100 ? 1 : 7)) {
            struct layout l;
            layout_compute(rows, cols, panels, panel_count, &l);
            if (rows < LAYOUT_MIN_ROWS || cols < LAYOUT_MIN_COLS) {
                cr_assert(l.too_small, "%dx%d", cols, rows);
                continue;
            }
            cr_assert(!l.too_small);
            struct rect r[LAYOUT_MAX_PANELS];
            int n = layout_rects(&l, r, LAYOUT_MAX_PANELS);
            cr_assert_geq(n, 4, "title, form, answer, status at %dx%d", cols, rows);
            for (int i = 0; i < n; i++) {
                cr_assert(r[i].x >= 0 && r[i].y >= 0 && r[i].x + r[i].w <= cols && r[i].y + r[i].h <= rows,
                          "panel %d outside %dx%d", i, cols, rows);
                for (int j = i + 1; j < n; j++)
                    cr_assert(!overlap(r[i], r[j]), "panels %d and %d overlap at %dx%d", i, j, cols, rows);
            }
            cr_assert_geq(get(&l, "Scenario").h, FORM_ROWS + 1, "ten fields, the slider and the limits at %dx%d", cols, rows);
            /* the answer (TTFT and tokens/s) is always on screen: heading and two lines */
            cr_assert_geq(get(&l, "Answer").h, 3, "answer visible at %dx%d", cols, rows);
        }
}

Test(layout, chart_where_there_is_room)
{
    struct layout l;
    int chart = layout_find(panels, panel_count, "Roofline");
    layout_compute(60, 200, panels, panel_count, &l);
    cr_assert_gt(get(&l, "Roofline").h, 20);
    layout_compute(24, 80, panels, panel_count, &l);
    cr_assert_eq(get(&l, "Roofline").h, 0, "80x24 gives the rows to the gauges");
    cr_assert(l.hidden[chart], "... and says the chart is hidden");
    /* title 1 + gauges 13 + serving 4 + cost 4 + chart 10 + status 1 */
    cr_assert_eq(l.need_rows[chart], 33);
    layout_compute(40, 120, panels, panel_count, &l);
    cr_assert_gt(get(&l, "Roofline").h, 8);
}

Test(layout, panels_grow_with_the_terminal)
{
    struct layout a, b;
    layout_compute(40, 120, panels, panel_count, &a);
    layout_compute(60, 200, panels, panel_count, &b);
    cr_assert_gt(get(&b, "Scenario").w, get(&a, "Scenario").w, "the form column widens");
    cr_assert_gt(get(&b, "Answer").h, get(&a, "Answer").h, "the answer takes the rows below the form");
    cr_assert_eq(get(&b, "Fit and speed").h, 58, "the gauges take the whole height at 200x60");
}

/* --- preferences: written whole, atomically, read back --- */
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tui/prefs.h"

Test(prefs, round_trip_in_the_config_folder)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/rooftop-prefs-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
    setenv("XDG_CONFIG_HOME", dir, 1);
    struct prefs p = { .theme = "light", .last_session = "my \"run\"" }, q;
    cr_assert_eq(prefs_save(&p), 0);
    prefs_load(&q);
    cr_assert_str_eq(q.theme, "light");
    cr_assert_str_eq(q.last_session, "my \"run\"", "quotes survive: %s", q.last_session);
    char path[4096];
    prefs_path(path, sizeof path);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "%s", path);
    unlink(path);
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/rooftop", dir);
    cr_assert_eq(rmdir(sub), 0, "no temporary file left beside prefs.cfg");
    rmdir(dir);
}

Test(prefs, missing_file_is_empty)
{
    setenv("XDG_CONFIG_HOME", "/nonexistent-rooftop-test", 1);
    struct prefs q;
    prefs_load(&q);
    cr_assert_str_eq(q.theme, "");
    cr_assert_str_eq(q.last_session, "");
}

/* The overlays are one table: each has a name, takes keys and draws itself; Esc and
 * q close any view, and a view's own key (x for explain) closes it and no other. */
Test(views, every_overlay_is_a_row_of_the_table)
{
    for (int i = 1; i < OV_N; i++) {
        cr_assert(views[i].name && views[i].key && views[i].draw, "overlay %d", i);
        for (int j = 0; j < i; j++)
            if (views[i].key != views[j].key || views[i].draw != views[j].draw)
                continue;
            else
                cr_assert(strcmp(views[j].name, "picker") == 0, "%s and %s share handlers", views[i].name,
                          views[j].name); /* the session list is the picker's list */
    }
    cr_assert_null(views[OV_NONE].key, "the dashboard itself is not an overlay");
    static struct ui u;
    u.overlay = OV_EXPLAIN;
    cr_assert(view_closes(&u, 27) && view_closes(&u, 'q') && view_closes(&u, 'x'));
    cr_assert_not(view_closes(&u, 'v'), "compare's key does not close explain");
    u.overlay = OV_COMPARE;
    cr_assert(view_closes(&u, 'v'));
    cr_assert_not(view_closes(&u, 0));
}

/* The Draft field's picker (issue 26): "none", the model's own MTP layers, then the EAGLE-3 heads
 * that fit the model (Llama 3.1 8B: 4096 wide, 128,256 tokens: eagle3-llama3.1-8b only), then the
 * other catalog models; the Model field's picker leaves the heads out. */
Test(pickers, draft_heads_that_fit_first_and_not_as_models)
{
    struct catalog c;
    char err[256];
    catalog_init(&c);
    cr_assert_eq(catalog_load_builtin(&c, err, sizeof err), RT_OK, "%s", err);
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "llama-3.1-8b");
    const char *ids[512], *names[512];
    int n = field_choices(&c, &sp, field_named("draft"), "", ids, names, 512);
    cr_assert_gt(n, 3);
    cr_assert_str_eq(ids[0], "none");
    cr_assert_str_eq(ids[1], "mtp");
    cr_assert_str_eq(ids[2], "eagle3-llama3.1-8b");
    for (int i = 3; i < n; i++)
        cr_assert(strncmp(ids[i], "eagle3-", 7) != 0, "%s: a head for another model", ids[i]);
    n = field_choices(&c, &sp, field_named("model"), "", ids, names, 512);
    for (int i = 0; i < n; i++)
        cr_assert(strncmp(ids[i], "eagle3-", 7) != 0, "%s offered as a model", ids[i]);
    catalog_free(&c);
}
