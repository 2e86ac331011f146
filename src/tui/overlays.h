/* overlays.h - the overlays' key handlers and draw functions, which the table of
 * views (overlays.c, from OVERLAYS in ui.h) names.  Key handlers return KEEP or QUIT. */
#ifndef ROOFTOP_OVERLAYS_H
#define ROOFTOP_OVERLAYS_H
#include <curses.h>
#include "tui/ui.h"

int key_picker(struct ui *u, int ch);       /* picker.c: the picker and the session list */
int key_help(struct ui *u, int ch);         /* help.c */
int key_close(struct ui *u, int ch);        /* help.c: any key closes it */
int key_save_dialog(struct ui *u, int ch);  /* sessions.c */
int key_quit(struct ui *u, int ch);
int key_views(struct ui *u, int ch);        /* views.c: compare and explain */
int key_solve(struct ui *u, int ch);        /* v_solve.c */
int key_rank(struct ui *u, int ch);         /* v_rank.c */
int key_launch(struct ui *u, int ch);       /* v_machine.c: y copies the line (OSC 52), other keys close */
void draw_picker(const struct ui *u);       /* picker.c */
void draw_help(const struct ui *u);         /* help.c */
void draw_notes(const struct ui *u);
void draw_save(const struct ui *u);         /* sessions.c */
void draw_quit(const struct ui *u);
/* Opening a saved session by name (the picker's choice on the session list), and a theme by name (sessions.c). */
void ui_load_session(struct ui *u, const char *name);
void ui_apply_theme(struct ui *u, const char *name);
/* Backspace in its three encodings. */
static inline bool key_is_back(int ch) { return ch == KEY_BACKSPACE || ch == 127 || ch == 8; }
#endif
