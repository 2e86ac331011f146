/* panels.h - the panels' draw functions, one file each (p_*.c, chart.c). */
#ifndef ROOFTOP_PANELS_H
#define ROOFTOP_PANELS_H
#include "tui/ui.h"
#include "tui/paint.h"

void panel_title(const struct ui *u, struct rect r);
void panel_form(const struct ui *u, struct rect r);
int form_rows(void);             /* the Scenario panel's rows with every field shown */
void form_place_cursor(const struct ui *u); /* the terminal's cursor on the selected field */
void panel_answer(const struct ui *u, struct rect r);
void panel_gauges(const struct ui *u, struct rect r);
void panel_chart(const struct ui *u, struct rect r);
void panel_status(const struct ui *u, struct rect r);
void panel_serving(const struct ui *u, struct rect r);
void panel_cost(const struct ui *u, struct rect r);
#endif
