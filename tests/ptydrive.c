/* ptydrive.c - run a program in a pseudo-terminal of COLSxROWS, wait for its
 * first frame, send each argument after "--" as raw bytes (C escapes \e and \r
 * understood), then end it with SIGTERM.  For what tmux cannot send: mouse
 * reports.  Usage: ptydrive COLS ROWS PROGRAM -- INPUT...
 * The environment is passed through: the caller pins TERM, LANG and HOME. */
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int fd;

static void settle(int quiet_ms)
{
    char buf[1 << 16];
    for (;;) {
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, quiet_ms) <= 0 || read(fd, buf, sizeof buf) <= 0)
            return;
    }
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
    pid_t pid = forkpty(&fd, NULL, NULL, &ws);
    if (pid < 0)
        return 1;
    if (pid == 0) {
        execl(argv[3], argv[3], (char *)NULL);
        _exit(127);
    }
    settle(500);
    for (int i = 5; i < argc; i++) {
        char buf[256];
        size_t n = unescape(argv[i], buf);
        if (write(fd, buf, n) != (ssize_t)n)
            return 1;
        settle(300);
    }
    kill(pid, SIGTERM);
    settle(100);
    int st;
    waitpid(pid, &st, 0);
    return 0;
}
