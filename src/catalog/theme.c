/* theme.c - see theme.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/slurp.h"
#include "catalog/catalog.h"
#include "base/cfgread.h"
#include "catalog/embedded.h"
#include "catalog/theme.h"
#include "core/core.h"

#define THEME_NAME(id, name) name,
static const char *const role_names[] = { THEME_ROLES(THEME_NAME) };
#undef THEME_NAME

const char *theme_role_name(enum theme_role r) { return (unsigned)r < ROLE_N ? role_names[r] : "?"; }

static const char *const colors[] = { "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white" };

static int color(const char *s)
{
    if (strcmp(s, "default") == 0)
        return -1;
    int bright = strncmp(s, "bright-", 7) == 0 ? 8 : 0;
    const char *base = bright ? s + 7 : s;
    for (int i = 0; i < 8; i++)
        if (strcmp(colors[i], base) == 0)
            return i + bright;
    return -2;
}

int theme_parse(const char *text, const char *file, struct theme *t, char *err, size_t errlen)
{
    return theme_parse_in(text, file, NULL, t, err, errlen);
}

int theme_parse_in(const char *text, const char *file, const char *dir, struct theme *t, char *err, size_t errlen)
{
    config_t cfg;
    config_init(&cfg);
    struct cfg_src src;
    if (cfg_parse(&cfg, text, file, dir, THEME_FILE_MAX, &src, err, errlen) != RT_OK) {
        config_destroy(&cfg);
        cfg_src_free(&src);
        return RT_EINVAL;
    }
    struct cfgread r = { .file = file, .err = err, .errlen = errlen, .src = &src };
    struct theme tmp;
    memset(&tmp, 0, sizeof tmp);
    for (int i = 0; i < ROLE_N; i++)
        tmp.role[i] = (struct theme_role_style){ -1, -1, 0 };
    config_setting_t *root = config_root_setting(&cfg);
    cfg_str(&r, root, "name", tmp.name, sizeof tmp.name, NULL);
    config_setting_t *roles = config_setting_get_member(root, "roles");
    if (!r.failed && (!roles || !config_setting_is_group(roles)))
        cfg_fail(&r, roles ? roles : root, "roles", "a group roles = { normal = { fg = \"white\"; }; ... }; is required");
    for (unsigned i = 0; !r.failed && i < (unsigned)config_setting_length(roles); i++) {
        config_setting_t *g = config_setting_get_elem(roles, i);
        const char *rn = config_setting_name(g);
        int role = -1;
        for (int k = 0; k < ROLE_N; k++)
            if (strcmp(role_names[k], rn) == 0)
                role = k;
        if (role < 0 || !config_setting_is_group(g)) {
            cfg_fail(&r, g, rn, role < 0 ? "unknown colour role" : "expected { fg = ...; bg = ...; attr = ...; }");
            break;
        }
        char fg[24], bg[24], attr[64];
        cfg_str(&r, g, "fg", fg, sizeof fg, "default");
        cfg_str(&r, g, "bg", bg, sizeof bg, "default");
        cfg_str(&r, g, "attr", attr, sizeof attr, "");
        int f = color(fg), b = color(bg);
        if (!r.failed && (f < -1 || b < -1)) {
            cfg_fail(&r, config_setting_get_member(g, f < -1 ? "fg" : "bg"), rn,
                     "unknown colour '%s' (default, black, red, green, yellow, blue, magenta, cyan, white, bright-...)",
                     f < -1 ? fg : bg);
            break;
        }
        unsigned a = 0;
        if (strstr(attr, "bold")) a |= THEME_ATTR_BOLD;
        if (strstr(attr, "reverse")) a |= THEME_ATTR_REVERSE;
        if (strstr(attr, "underline")) a |= THEME_ATTR_UNDERLINE;
        if (strstr(attr, "dim")) a |= THEME_ATTR_DIM;
        tmp.role[role] = (struct theme_role_style){ (short)f, (short)b, a };
    }
    config_destroy(&cfg);
    cfg_src_free(&src);
    if (r.failed)
        return RT_EINVAL;
    *t = tmp;
    return RT_OK;
}

int theme_load(const char *name, struct theme *t, char *err, size_t errlen)
{
    if (!*name || strchr(name, '/') || strstr(name, "..")) {
        snprintf(err, errlen, "theme '%s': not a theme name", name);
        return RT_EINVAL;
    }
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char path[PATH_MAX] = "";
    if (xdg && *xdg)
        snprintf(path, sizeof path, "%s/rooftop/themes/%s.cfg", xdg, name);
    else if (home && *home)
        snprintf(path, sizeof path, "%s/.config/rooftop/themes/%s.cfg", home, name);
    char *text = path[0] ? slurp_file(path, NULL, THEME_FILE_MAX) : NULL;
    if (text) {
        char dir[PATH_MAX];
        cfg_dirname(path, dir, sizeof dir);
        int rc = theme_parse_in(text, path, dir, t, err, errlen);
        free(text);
        return rc;
    }
    if (path[0] && errno != ENOENT) { /* there, but a folder, a FIFO, too large... */
        snprintf(err, errlen, "%s: %s", path, slurp_strerror(errno, THEME_FILE_MAX));
        return RT_EINVAL;
    }
    char want[64];
    snprintf(want, sizeof want, "themes/%s.cfg", name);
    for (size_t i = 0; i < rt_embedded_count; i++)
        if (strcmp(rt_embedded[i].name, want) == 0)
            return theme_parse(rt_embedded[i].text, want, t, err, errlen);
    snprintf(err, errlen, "theme '%s' not found (default, light, high-contrast, mono)", name);
    return RT_EINVAL;
}
