/* session.h - a scenario plus UI state, saved atomically as a libconfig file. */
#ifndef ROOFTOP_SESSION_H
#define ROOFTOP_SESSION_H

#include "scenario/spec.h"

#define SESSION_FORMAT_VERSION 1
/* The largest session file read (one written by rooftop is about 1 KB). */
#define SESSION_FILE_MAX (64u << 10)

struct session {
    struct rt_spec spec;
    char field[32];                 /* the selected form field */
    char theme[32];
};

void session_default(struct session *s);
/* On error *out is left untouched and err names file:line: field. */
int session_load(const char *path, struct session *out, char *err, size_t errlen);
/* Text with no @include allowed (session_parse) or includes from dir. */
int session_parse(const char *text, const char *name, struct session *out, char *err, size_t errlen);
int session_parse_in(const char *text, const char *name, const char *dir, struct session *out, char *err,
                     size_t errlen);
/* Temporary file in the same folder, fsync, rename; no temporary file is left
 * on failure.  An existing file keeps its mode (a new one is 0600); a symbolic
 * link is followed and its target replaced; a folder, FIFO, socket or device
 * is refused. */
int session_save(const char *path, const struct session *s, char *err, size_t errlen);
/* The text session_save writes (malloc'ed), NULL with err set when a text
 * value would not read back as it is (control characters, malformed UTF-8). */
char *session_text(const struct session *s, char *err, size_t errlen);
/* $XDG_DATA_HOME/rooftop/sessions, or ~/.local/share/rooftop/sessions (created
 * when create is true; session_save creates it for a session saved in it). */
int session_dir(char *buf, size_t n, bool create);
/* NAME or a path: a bare name becomes session_dir()/NAME.cfg. */
void session_path(const char *name, char *buf, size_t n);
/* Load NAME or a path; a bare name missing from the sessions folder falls back
 * to the example shipped with rooftop (presets/sessions/NAME.cfg). */
int session_open(const char *name, struct session *out, char *path, size_t pathlen, char *err, size_t errlen);
/* The sessions folder's file NAME.cfg, whatever NAME holds (a name listed from
 * the folder, such as "foo.cfg" for foo.cfg.cfg, is never taken for a path);
 * RT_EINVAL for an empty name or one with a '/'. */
int session_named_path(const char *name, char *buf, size_t n);
/* Load the sessions folder's NAME.cfg, or the shipped example NAME when the
 * folder has none. */
int session_open_named(const char *name, struct session *out, char *path, size_t pathlen, char *err,
                       size_t errlen);
/* The shipped examples' names, for pickers; returns the count. */
int session_examples(const char **names, char (*buf)[64], int max);

#endif
