/* prefs.h - the dashboard's preferences, kept between runs in
 * $XDG_CONFIG_HOME/rooftop/prefs.cfg (~/.config/rooftop/prefs.cfg): the theme
 * chosen last and the session opened or saved last.  Machine state, written
 * whole and atomically; the user's own files are never rewritten. */
#ifndef ROOFTOP_PREFS_H
#define ROOFTOP_PREFS_H
#include <stddef.h>

struct prefs {
    char theme[32];
    char last_session[64];
};

/* Missing or unreadable: empty preferences. */
void prefs_load(struct prefs *p);
/* The file's text read into p (path names it in errors; dir: its folder, for @include). */
void prefs_parse(const char *text, const char *path, const char *dir, struct prefs *p);
/* The text prefs_save writes (malloc'ed); NULL when a name would not read back as it is. */
char *prefs_text(const struct prefs *p);
/* Temporary file, fsync, rename; 0 or -1. */
int prefs_save(const struct prefs *p);
/* The file's path. */
void prefs_path(char *buf, size_t n);
#endif
