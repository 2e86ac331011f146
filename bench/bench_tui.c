/* bench_tui.c - the dashboard in a pseudo-terminal: time to the first complete
 * frame; the CPU time and bytes written for one slider step and for a full
 * redraw at 120x40; the bytes written for each keystroke of a short journey
 * (every redraw should send only what changed); peak resident memory.
 * Medians of repeated runs. */
#include <errno.h>
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

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* CPU time of a process in seconds, from /proc/PID/schedstat (ns resolution). */
static double cpu_of(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
    FILE *f = fopen(path, "r");
    unsigned long long ns = 0;
    if (f) {
        if (fscanf(f, "%llu", &ns) != 1)
            ns = 0;
        fclose(f);
    }
    return (double)ns * 1e-9;
}

static long peak_rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

/* Read until `quiet_ms` pass with no output; returns the bytes read.  With a
 * marker, stop as soon as it has been seen (returns -1 on a 5 s timeout). */
static long drain(int fd, int quiet_ms, const char *marker)
{
    static char buf[1 << 16];
    static char tail[1 << 16];
    size_t tl = 0;
    long total = 0;
    double start = now();
    for (;;) {
        struct pollfd p = { fd, POLLIN, 0 };
        int r = poll(&p, 1, marker ? 50 : quiet_ms);
        if (r <= 0) {
            if (!marker)
                return total;
            if (now() - start > 5)
                return -1;
            continue;
        }
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            return total;
        total += n;
        if (marker) {
            if (tl + (size_t)n >= sizeof tail)
                tl = 0;
            memcpy(tail + tl, buf, (size_t)n);
            tl += (size_t)n;
            tail[tl] = 0;
            if (memmem(tail, tl, marker, strlen(marker)))
                return total;
        }
    }
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define RUNS 9

/* A short journey, each keystroke measured; it ends where it began. */
static const struct { const char *what, *keys; } journey[] = {
    { "next field (j)", "j" },
    { "previous field (k)", "k" },
    { "a digit typed (5)", "5" },
    { "typing cancelled (Esc)", "\x1b" },
    { "first field (Home)", "\x1b[H" },
    { "model picker opened (Enter)", "\r" },
    { "picker cursor down", "\x1b[B" },
    { "picker closed (Esc)", "\x1b" },
    { "last field (End)", "\x1b[F" },
};
#define NJ ((int)(sizeof journey / sizeof journey[0]))

/* Serving on (--rate 8): a batch step and a rate step each run the serving
 * simulation with its capacity search; their CPU time and bytes. */
static void serving_steps(const char *bin)
{
    static const struct { const char *what, *pre, *keys; } steps[] = {
        { "batch step, serving on (--rate 8)", "", "l" },
        { "rate step (8 -> 16 req/s)", "\x1b[B\x1b[B\x1b[B\x1b[B", "l" },
    };
    double c[2][RUNS], b[2][RUNS];
    for (int k = 0; k < 2; k++)
        for (int run = 0; run < RUNS; run++) {
            int fd;
            struct winsize ws = { .ws_row = 40, .ws_col = 120 };
            pid_t pid = forkpty(&fd, NULL, NULL, &ws);
            if (pid < 0)
                return;
            if (pid == 0) {
                setenv("TERM", "xterm-256color", 1);
                setenv("LANG", "C.UTF-8", 1);
                setenv("HOME", "/tmp", 1);
                unsetenv("LINES");
                unsetenv("COLUMNS");
                execl(bin, bin, "--rate", "8", (char *)NULL);
                _exit(127);
            }
            drain(fd, 0, "Quit");
            drain(fd, 100, NULL);
            size_t pl = strlen(steps[k].pre);
            if (pl && write(fd, steps[k].pre, pl) == (ssize_t)pl)
                drain(fd, 100, NULL);
            double c0 = cpu_of(pid);
            if (write(fd, steps[k].keys, 1) != 1)
                return;
            b[k][run] = (double)drain(fd, 150, NULL);
            c[k][run] = (cpu_of(pid) - c0) * 1e3;
            kill(pid, SIGTERM);
            drain(fd, 100, NULL);
            waitpid(pid, NULL, 0);
            close(fd);
        }
    printf("with serving on at 120x40 (medians): bytes written, CPU time\n");
    for (int k = 0; k < 2; k++) {
        qsort(b[k], RUNS, sizeof(double), cmp);
        qsort(c[k], RUNS, sizeof(double), cmp);
        printf("  %-42s %10.0f B   (%.0f .. %.0f)  %6.3f ms  target < 16 ms\n", steps[k].what, b[k][RUNS / 2], b[k][0],
               b[k][RUNS - 1], c[k][RUNS / 2]);
    }
}

/* Milliseconds from writing keys to the first byte of the screen's answer (the
 * key handled and the frame drawn), then wait for quiet. */
static double answer_ms(int fd, const char *keys)
{
    size_t len = strlen(keys);
    double t0 = now();
    if (write(fd, keys, len) != (ssize_t)len)
        return -1;
    struct pollfd p = { fd, POLLIN, 0 };
    double ms = poll(&p, 1, 5000) > 0 ? (now() - t0) * 1e3 : 5000;
    drain(fd, 150, NULL);
    return ms;
}

/* The worst key: the time from each key to its answer on the screen, for every
 * view that computes (the solver F6, what fits F7, the pickers, explain,
 * compare, the launch line), with serving on; each view closed again with Esc. */
static void worst_key(const char *bin)
{
    static const struct { const char *what, *keys; } k[] = {
        { "solver (F6)", "\x1b[17~" },          { "what fits here (F7)", "\x1b[18~" },
        { "model picker (Enter on Model)", "\x1b[H\r" }, { "session list (F3)", "\x1bOR" },
        { "explain (F4)", "\x1bOS" },            { "compare (F5)", "\x1b[15~" },
        { "launch line (F8)", "\x1b[19~" },      { "max batch (m)", "m" },
        { "max context (c)", "c" },             { "offload (g)", "g" },
        { "fewest devices (d)", "d" },          { "rate step (]) on Rate", "]" },
    };
    enum { NK = sizeof k / sizeof k[0] };
    static double t[NK][RUNS];
    for (int run = 0; run < RUNS; run++) {
        int fd;
        struct winsize ws = { .ws_row = 40, .ws_col = 120 };
        pid_t pid = forkpty(&fd, NULL, NULL, &ws);
        if (pid < 0)
            return;
        if (pid == 0) {
            setenv("TERM", "xterm-256color", 1);
            setenv("LANG", "C.UTF-8", 1);
            setenv("HOME", "/tmp", 1);
            unsetenv("LINES");
            unsetenv("COLUMNS");
            execl(bin, bin, "--rate", "8", (char *)NULL);
            _exit(127);
        }
        drain(fd, 0, "Quit");
        drain(fd, 100, NULL);
        for (int i = 0; i < NK; i++) {
            t[i][run] = answer_ms(fd, k[i].keys);
            answer_ms(fd, "\x1b"); /* close what opened (a view, a picker); harmless otherwise */
            answer_ms(fd, "\x1b[H"); /* back to the first field */
        }
        kill(pid, SIGTERM);
        drain(fd, 100, NULL);
        waitpid(pid, NULL, 0);
        close(fd);
    }
    printf("time from a key to its answer on screen at 120x40, serving on (medians)\n");
    int worst = 0;
    for (int i = 0; i < NK; i++) {
        qsort(t[i], RUNS, sizeof(double), cmp);
        if (t[i][RUNS / 2] > t[worst][RUNS / 2])
            worst = i;
        printf("  %-42s %10.3f ms  (%.3f .. %.3f)\n", k[i].what, t[i][RUNS / 2], t[i][0], t[i][RUNS - 1]);
    }
    printf("%-44s %10.3f %-3s (%s)  target < 16 ms\n", "worst key's time to its answer", t[worst][RUNS / 2], "ms",
           k[worst].what);
}

int main(int argc, char **argv)
{
    const char *bin = argc > 1 ? argv[1] : "./src/rooftop";
    double start_ms[RUNS], step_cpu[RUNS], step_bytes[RUNS], full_cpu[RUNS], full_bytes[RUNS], rss[RUNS];
    static double jb[NJ][RUNS], jc[NJ][RUNS];
    for (int run = 0; run < RUNS; run++) {
        int fd;
        struct winsize ws = { .ws_row = 40, .ws_col = 120 };
        double t0 = now();
        pid_t pid = forkpty(&fd, NULL, NULL, &ws);
        if (pid < 0) {
            perror("forkpty");
            return 1;
        }
        if (pid == 0) {
            setenv("TERM", "xterm-256color", 1);
            setenv("LANG", "C.UTF-8", 1);
            setenv("HOME", "/tmp", 1);
            unsetenv("LINES");
            unsetenv("COLUMNS");
            execl(bin, bin, (char *)NULL);
            _exit(127);
        }
        /* the status line is drawn last: its text ends the first complete frame */
        if (drain(fd, 0, "Quit") < 0) {
            fprintf(stderr, "no first frame\n");
            kill(pid, SIGKILL);
            return 1;
        }
        start_ms[run] = (now() - t0) * 1e3;
        drain(fd, 100, NULL);
        /* one slider step: 'l' (Right) on the batch field */
        double c0 = cpu_of(pid);
        if (write(fd, "l", 1) != 1)
            return 1;
        step_bytes[run] = (double)drain(fd, 100, NULL);
        step_cpu[run] = (cpu_of(pid) - c0) * 1e3;
        for (int j = 0; j < NJ; j++) {
            size_t len = strlen(journey[j].keys);
            double c1 = cpu_of(pid);
            if (write(fd, journey[j].keys, len) != (ssize_t)len)
                return 1;
            jb[j][run] = (double)drain(fd, 150, NULL);
            jc[j][run] = (cpu_of(pid) - c1) * 1e3;
        }
        /* a full redraw: Ctrl-L */
        c0 = cpu_of(pid);
        if (write(fd, "\x0c", 1) != 1)
            return 1;
        full_bytes[run] = (double)drain(fd, 100, NULL);
        full_cpu[run] = (cpu_of(pid) - c0) * 1e3;
        rss[run] = (double)peak_rss_kb(pid) / 1024.0;
        kill(pid, SIGTERM);
        drain(fd, 100, NULL);
        waitpid(pid, NULL, 0);
        close(fd);
    }
    struct { const char *what; double *v; const char *unit, *target; } rows[] = {
        { "start-up to the first complete frame", start_ms, "ms", "< 20 ms" },
        { "slider step at 120x40: CPU time", step_cpu, "ms", "< 1 ms" },
        { "slider step at 120x40: bytes written", step_bytes, "B", "< 1500 B" },
        { "full redraw at 120x40: CPU time", full_cpu, "ms", "-" },
        { "full redraw at 120x40: bytes written", full_bytes, "B", "-" },
        { "peak resident memory of the dashboard", rss, "MB", "< 10 MB" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        qsort(rows[i].v, RUNS, sizeof(double), cmp);
        printf("%-44s %10.3f %-3s (%.3f .. %.3f)  target %s\n", rows[i].what, rows[i].v[RUNS / 2], rows[i].unit,
               rows[i].v[0], rows[i].v[RUNS - 1], rows[i].target);
    }
    printf("each keystroke of a journey at 120x40 (medians): bytes written, CPU time\n");
    double total = 0;
    for (int j = 0; j < NJ; j++) {
        qsort(jb[j], RUNS, sizeof(double), cmp);
        qsort(jc[j], RUNS, sizeof(double), cmp);
        total += jb[j][RUNS / 2];
        printf("  %-42s %10.0f B   (%.0f .. %.0f)  %6.3f ms\n", journey[j].what, jb[j][RUNS / 2], jb[j][0],
               jb[j][RUNS - 1], jc[j][RUNS / 2]);
    }
    printf("  %-42s %10.0f B   target < 1500 B\n", "mean over the journey", total / NJ);
    serving_steps(bin);
    worst_key(bin);
    return 0;
}
