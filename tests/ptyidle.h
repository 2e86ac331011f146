/* ptyidle.h - for the pseudo-terminal drivers (ptydrive, ptysig): whether
 * the program under test has taken in all its input and gone back to waiting
 * for more, read from the kernel instead of guessed from a quiet spell: the
 * slave's input queue is empty (FIONREAD) and the process sleeps (state S in
 * /proc/PID/stat: blocked in its poll for keys, not runnable).  A loaded
 * machine makes this slower, never wrong, so the tests need no timing. */
#ifndef PTYIDLE_H
#define PTYIDLE_H
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>

/* 1 idle, 0 busy, -1 not known (no /proc: the caller falls back on a quiet spell) */
static int pty_idle(pid_t pid, int slave)
{
    int queued = 0;
    if (ioctl(slave, FIONREAD, &queued) == 0 && queued > 0)
        return 0;
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
    if (!p || p[1] != ' ')
        return -1;
    return p[2] == 'S';
}

#endif
