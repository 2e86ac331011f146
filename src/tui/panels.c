/* panels.c - the dashboard's panels, one row each: name, where it goes in
 * each shape (narrow, normal, wide), minimum size, preferred height, whether
 * it takes a share of spare rows, and its draw function.  A new panel is one
 * file with its draw function and one row here. */
#include "tui/panels.h"

const struct panel panels[] = {
    /* name            narrow        normal        wide          min_h min_w want grow draw (want computed) */
    { "Title",       { PLACE_TOP,    PLACE_TOP,    PLACE_TOP },    1,  0,  0, false, panel_title, NULL },
    { "Scenario",    { 0,            0,            0 },           FORM_ROWS + 1, 0, 0, false, panel_form, form_rows },
    { "Answer",      { 0,            0,            0 },            3,  0,  9, true,  panel_answer, NULL },
    { "Fit and speed", { 0,          1,            1 },           13,  0, 14, true,  panel_gauges, NULL },
    { "Serving",     { 0,            1,            2 },            4,  0,  8, false, panel_serving, NULL },
    { "Cost",        { 0,            1,            2 },            4,  0,  9, false, panel_cost, NULL },
    { "Roofline",    { PLACE_NONE,   1,            2 },           10, 24,  0, true,  panel_chart, NULL },
    { "Status",      { PLACE_BOTTOM, PLACE_BOTTOM, PLACE_BOTTOM }, 1,  0,  0, false, panel_status, NULL },
};
const int panel_count = (int)(sizeof panels / sizeof panels[0]);
