/* ptysig.c - run a program in a pseudo-terminal, wait for its first frame,
 * send it one signal, wait for it to end, then report the terminal's state
 * as the next program would find it: the line discipline (read from the pty
 * after the exit, like `stty -a`) and whether the output ends with the
 * alternate screen left and the cursor shown (rmcup, cnorm).
 * Usage: ptysig SIGNAL-NUMBER WAIT-FOR-TEXT PROGRAM [ARGS...]
 * Prints: exit=N|signal=N icanon=0|1 echo=0|1 isig=0|1 alt_off=0|1 cursor_on=0|1 bytes=N
 * and, with ABSENT set in the environment, absent=0|1: whether those bytes
 * (C escapes \e and \a understood) never appeared in the output. */
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "ptyidle.h"

static char out[1 << 22];
static size_t n_out;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* read what is there, waiting up to ms milliseconds: 1 read, -1 nothing came, 0 EOF */
static int pump(int fd, int ms)
{
    struct pollfd p = { fd, POLLIN, 0 };
    if (poll(&p, 1, ms) <= 0)
        return -1;
    ssize_t got = read(fd, out + n_out, sizeof out - 1 - n_out);
    if (got <= 0)
        return 0;
    n_out += (size_t)got;
    out[n_out] = 0;
    return 1;
}

/* the offset just after the last occurrence of s, or 0 */
static size_t last(const char *s)
{
    size_t l = strlen(s), at = 0;
    for (size_t i = 0; i + l <= n_out; i++)
        if (memcmp(out + i, s, l) == 0)
            at = i + l;
    return at;
}

static size_t unescape(const char *s, char *o)
{
    size_t n = 0;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == 'e') { o[n++] = 27; s++; }
        else if (s[0] == '\\' && s[1] == 'a') { o[n++] = 7; s++; }
        else o[n++] = *s;
    }
    o[n] = 0;
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: ptysig SIGNAL WAIT-FOR-TEXT PROGRAM [ARGS...]\n");
        return 2;
    }
    int sig = atoi(argv[1]);
    int master, slave;
    struct winsize ws = { .ws_row = 30, .ws_col = 100 };
    if (openpty(&master, &slave, NULL, NULL, &ws) != 0)
        return 1;
    /* a cooked line discipline to start from, as a shell leaves it */
    struct termios t;
    tcgetattr(slave, &t);
    t.c_lflag |= ICANON | ECHO | ISIG;
    tcsetattr(slave, TCSANOW, &t);
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        struct rlimit none = { 0, 0 };
        setrlimit(RLIMIT_CORE, &none); /* the fault signals dump core otherwise */
        /* as a shell starts a foreground job: every signal at its default and none
         * blocked.  A background job (make check under .ci/run's `&`) inherits SIGINT
         * and SIGQUIT ignored, and the program would never see the signal sent here. */
        for (int s = 1; s < NSIG; s++)
            if (s != SIGKILL && s != SIGSTOP)
                signal(s, SIG_DFL);
        sigset_t all;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        setsid();
        ioctl(slave, TIOCSCTTY, 0);
        dup2(slave, 0);
        dup2(slave, 1);
        dup2(slave, 2);
        close(master);
        if (slave > 2)
            close(slave);
        execv(argv[3], argv + 3);
        _exit(127);
    }
    /* the slave stays open here: its settings can be read after the exit */
    double t0 = now();
    while (now() - t0 < 60 && !strstr(out, argv[2]))
        pump(master, 100);
    /* until the frame settles: the program has written nothing for three polls of 20 ms
     * and sleeps (tests/ptyidle.h; without /proc, 300 ms of quiet) */
    for (int calm = 0, idle = 1; now() - t0 < 60 && calm < (idle < 0 ? 15 : 3);) {
        if (pump(master, 20) > 0) {
            calm = 0;
            continue;
        }
        idle = pty_idle(pid, slave);
        calm = idle ? calm + 1 : 0;
    }
    kill(pid, sig);
    int st = 0;
    t0 = now();
    while (waitpid(pid, &st, WNOHANG) == 0) {
        if (now() - t0 > 5) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            printf("hung ");
            break;
        }
        pump(master, 50);
    }
    while (pump(master, 100) > 0 && now() - t0 < 8) {
    }
    struct termios after;
    tcgetattr(slave, &after);
    if (WIFEXITED(st))
        printf("exit=%d", WEXITSTATUS(st));
    else
        printf("signal=%d", WTERMSIG(st));
    printf(" icanon=%d echo=%d isig=%d", !!(after.c_lflag & ICANON), !!(after.c_lflag & ECHO),
           !!(after.c_lflag & ISIG));
    /* xterm's smcup/rmcup and civis/cnorm */
    printf(" alt_off=%d cursor_on=%d bytes=%zu", last("\033[?1049l") > last("\033[?1049h"),
           last("\033[?25h") > last("\033[?25l"), n_out);
    const char *absent = getenv("ABSENT");
    if (absent && *absent) {
        char want[256];
        size_t l = unescape(absent, want);
        bool found = false;
        for (size_t i = 0; i + l <= n_out && !found; i++)
            found = memcmp(out + i, want, l) == 0;
        printf(" absent=%d", !found);
    }
    printf("\n");
    return 0;
}
