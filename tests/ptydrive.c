/* ptydrive.c - run a program in a pseudo-terminal of COLSxROWS, wait for its
 * first frame (the text "Fit and speed"), send each argument after "--" as raw
 * bytes (C escapes \e and \r understood), each once the program has read the
 * one before and gone back to waiting (tests/ptyidle.h), then end it with
 * SIGTERM.  For what tmux cannot send: mouse reports.
 * Usage: ptydrive COLS ROWS PROGRAM -- INPUT...
 * The environment is passed through: the caller pins TERM, LANG and HOME. */
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "ptyidle.h"

static int fd, slave;
static pid_t pid;
static char seen[1 << 22]; /* the output, for the first frame's text */
static size_t n_seen;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* read what is there, waiting up to ms: 1 something came, 0 nothing */
static int pump(int ms)
{
    char buf[1 << 16];
    struct pollfd p = { fd, POLLIN, 0 };
    if (poll(&p, 1, ms) <= 0)
        return 0;
    ssize_t got = read(fd, buf, sizeof buf);
    if (got <= 0)
        return 0;
    size_t keep = (size_t)got < sizeof seen - n_seen ? (size_t)got : sizeof seen - n_seen;
    memcpy(seen + n_seen, buf, keep);
    n_seen += keep;
    return 1;
}

/* until the program has read its input, sleeps, and has written nothing for
 * three polls of 20 ms (without /proc: 300 ms of quiet); 60 s at most */
static void settle(void)
{
    double t0 = now();
    for (int calm = 0; now() - t0 < 60;) {
        if (pump(20)) {
            calm = 0;
            continue;
        }
        int idle = pty_idle(pid, slave);
        calm = idle ? calm + 1 : 0;
        if (calm >= (idle < 0 ? 15 : 3))
            return;
    }
}

static int shows(const char *text)
{
    size_t l = strlen(text);
    for (size_t i = 0; i + l <= n_seen; i++)
        if (memcmp(seen + i, text, l) == 0)
            return 1;
    return 0;
}

static size_t unescape(const char *s, char *out)
{
    size_t n = 0;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == 'e') { out[n++] = 27; s++; }
        else if (s[0] == '\\' && s[1] == 'r') { out[n++] = '\r'; s++; }
        else out[n++] = *s;
    }
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 5 || strcmp(argv[4], "--") != 0) {
        fprintf(stderr, "usage: ptydrive COLS ROWS PROGRAM -- INPUT...\n");
        return 2;
    }
    struct winsize ws = { .ws_row = (unsigned short)atoi(argv[2]), .ws_col = (unsigned short)atoi(argv[1]) };
    if (openpty(&fd, &slave, NULL, NULL, &ws) != 0)
        return 1;
    pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        setsid();
        ioctl(slave, TIOCSCTTY, 0);
        dup2(slave, 0);
        dup2(slave, 1);
        dup2(slave, 2);
        close(fd);
        if (slave > 2)
            close(slave);
        execl(argv[3], argv[3], (char *)NULL);
        _exit(127);
    }
    /* the slave stays open here: its input queue tells when the program has read */
    for (double t0 = now(); !shows("Fit and speed") && now() - t0 < 60;)
        pump(50);
    settle();
    for (int i = 5; i < argc; i++) {
        char buf[256];
        size_t n = unescape(argv[i], buf);
        if (write(fd, buf, n) != (ssize_t)n)
            return 1;
        settle();
    }
    kill(pid, SIGTERM);
    int st;
    while (waitpid(pid, &st, WNOHANG) == 0)
        pump(20);
    return 0;
}
