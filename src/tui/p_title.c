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
    char buf[256], v[64];
    snprintf(buf, sizeof buf, " rooftop %s  |  %s%s%s%s", PACKAGE_VERSION,
             u->session_name[0] ? u->session_name : "default session", u->example ? " (example)" : "",
             u->dirty ? " [modified]" : "", u->pin_valid ? " [A pinned]" : "");
    paint_text(r.y, r.x, r.w, ROLE_TITLE, text_safe_inplace(buf));
    if (!u->valid)
        return;
    /* the verdict: green only when it fits and nothing is to be said about it */
    char warn[12][200];
    int n = ui_warnings(u, warn, 12);
    enum theme_role role = !u->res.fits ? ROLE_BAD : n ? ROLE_WARN : ROLE_GOOD;
    if (!u->res.fits)
        snprintf(v, sizeof v, " DOES NOT FIT ");
    else if (n)
        snprintf(v, sizeof v, " %s, %d warning%s ", fit_verdict(&u->res), n, n == 1 ? "" : "s");
    else
        snprintf(v, sizeof v, " %s ", fit_verdict(&u->res));
    int len = (int)strlen(v);
    if ((int)strlen(buf) + len + 1 <= r.w)
        paint_text(r.y, r.x + r.w - len, len, role, v);
}
