/* overlays.h - the overlays' key handlers and draw functions, which the table of
 * views (overlays.c, from OVERLAYS in ui.h) names.  Key handlers return KEEP or QUIT. */
#ifndef ROOFTOP_OVERLAYS_H
#define ROOFTOP_OVERLAYS_H
#include "tui/ui.h"

int key_picker(struct ui *u, int ch);       /* app.c: the picker and the session list */
int key_help(struct ui *u, int ch);
int key_save_dialog(struct ui *u, int ch);
int key_quit(struct ui *u, int ch);
int key_close(struct ui *u, int ch);        /* any key closes it */
int key_views(struct ui *u, int ch);        /* views.c: compare and explain */
int key_solve(struct ui *u, int ch);        /* v_solve.c */
int key_rank(struct ui *u, int ch);         /* v_rank.c */
void draw_picker(const struct ui *u);       /* draw.c */
void draw_help(const struct ui *u);
void draw_save(const struct ui *u);
void draw_quit(const struct ui *u);
void draw_notes(const struct ui *u);
#endif
