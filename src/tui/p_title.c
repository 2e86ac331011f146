/* p_title.c - the title bar: version, session, modified mark, verdict. */
#include <stdio.h>
#include <string.h>
#include "tui/panels.h"
#include "output/fields.h"
#include "base/text.h"

void panel_title(const struct ui *u, struct rect r)
{
    attrset(role_attr(ROLE_TITLE));
    mvhline(r.y, r.x, ' ', r.w);
    attrset(A_NORMAL);
    char buf[256], v[64] = "";
    /* the verdict: green only when it fits and nothing is to be said about it */
    char warn[12][200];
    int n = u->valid ? ui_warnings(u, warn, 12) : 0;
    enum theme_role role = !u->res.fits ? ROLE_BAD : n ? ROLE_WARN : ROLE_GOOD;
    if (!u->valid)
        v[0] = 0;
    else if (!u->res.fits)
        snprintf(v, sizeof v, " DOES NOT FIT ");
    else if (n)
        snprintf(v, sizeof v, " %s, %d warning%s ", fit_verdict(&u->res), n, n == 1 ? "" : "s");
    else
        snprintf(v, sizeof v, " %s ", fit_verdict(&u->res));
    int len = (int)strlen(v);
    if (len + 1 > r.w)
        len = 0, v[0] = 0;
    /* the verdict is what the title is for: on a narrow screen the version goes first, then
     * "rooftop |", then the session's text is cut (at 60 columns "[modified]" pushed "FITS" off) */
    const char *name = u->session_name[0] ? u->session_name : "default session";
    const char *marks[3] = { u->example ? " (example)" : "", u->dirty ? " [modified]" : "",
                             u->pin_valid ? " [A pinned]" : "" };
    for (int form = 0; form < 3; form++) {
        if (form == 0)
            snprintf(buf, sizeof buf, " rooftop %s  |  %s%s%s%s", PACKAGE_VERSION, name, marks[0], marks[1], marks[2]);
        else if (form == 1)
            snprintf(buf, sizeof buf, " rooftop  |  %s%s%s%s", name, marks[0], marks[1], marks[2]);
        else
            snprintf(buf, sizeof buf, " %s%s%s%s", name, marks[0], marks[1], marks[2]);
        if ((int)strlen(buf) + len + 1 <= r.w)
            break;
    }
    paint_text(r.y, r.x, r.w - len - (len ? 1 : 0), ROLE_TITLE, text_safe_inplace(buf));
    if (len)
        paint_text(r.y, r.x + r.w - len, len, role, v);
}
