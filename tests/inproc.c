/* inproc.c - the main of every Criterion test program, with a second way to run
 * its tests, for CI's valgrind pass (.ci/run).
 *
 * Without ROOFTOP_TEST_INPROC in the environment this is Criterion's own main
 * (criterion_initialize, criterion_handle_args, criterion_run_all_tests), and the
 * functions below hand every call on to Criterion's (dlsym RTLD_NEXT).
 *
 * With ROOFTOP_TEST_INPROC=1, the program runs each test in a fork() of itself
 * and prints TAP.  Criterion's runner starts each test by exec()ing the program
 * again (BoxFort's "boxfort-worker"): under valgrind every exec is a new
 * valgrind, about 1.5 s of CPU before the test's first line, while a fork
 * carries valgrind's state over and costs next to nothing.  Each test still has
 * a process of its own (its globals, environment, working folder and exit are
 * its own, as with Criterion, and it leads its own session), runs its suite's
 * init, its own init, the test, its fini and the suite's fini, and fails on a
 * failed assertion (file:line and message on stderr), a crash, a non-zero exit
 * (valgrind's --error-exitcode) or its .timeout.  Disabled tests are skipped.
 * Nothing here changes what a test checks: only how its process is started.
 */
#include <criterion/criterion.h>
#include <criterion/internal/ordered-set.h>
#include <dlfcn.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int inproc; /* 1: running tests in forks of this process (set by main only) */
static const struct criterion_suite *cur_suite;
static const struct criterion_test *cur_test;
static jmp_buf on_abort; /* where a failed assertion goes */
static int failed;

static void *real(const char *name)
{
    void *f = dlsym(RTLD_NEXT, name);
    if (!f) {
        fprintf(stderr, "inproc: Criterion's %s not found\n", name);
        abort();
    }
    return f;
}

void criterion_send_assert(struct criterion_assert_stats *stats)
{
    if (!inproc) {
        ((void (*)(struct criterion_assert_stats *)) real("criterion_send_assert"))(stats);
        return;
    }
    if (!stats->passed)
        fprintf(stderr, "%s:%u: Assertion failed: %s\n", stats->file, stats->line,
                stats->message ? stats->message : "");
}

void criterion_abort_test(void)
{
    if (!inproc) {
        ((void (*)(void)) real("criterion_abort_test"))();
        abort(); /* not reached: Criterion's does not return */
    }
    failed = 1;
    longjmp(on_abort, 1);
}

static void run_fixture(void (*fn)(void))
{
    if (fn && !setjmp(on_abort))
        fn();
}

void criterion_internal_test_setup(void)
{
    if (!inproc) {
        ((void (*)(void)) real("criterion_internal_test_setup"))();
        return;
    }
    run_fixture(cur_suite->data ? cur_suite->data->init : NULL);
    if (!failed)
        run_fixture(cur_test->data->init);
    if (failed) /* as Criterion: a failed init is the test's failure, with no fini */
        exit(1);
}

void criterion_internal_test_main(void (*fn)(void))
{
    if (!inproc) {
        ((void (*)(void (*)(void))) real("criterion_internal_test_main"))(fn);
        return;
    }
    run_fixture(fn);
}

void criterion_internal_test_teardown(void)
{
    if (!inproc) {
        ((void (*)(void)) real("criterion_internal_test_teardown"))();
        return;
    }
    run_fixture(cur_test->data->fini);
    run_fixture(cur_suite->data ? cur_suite->data->fini : NULL);
}

static double timeout_of(const struct criterion_suite *s, const struct criterion_test *t)
{
    if (t->data->timeout > 0)
        return t->data->timeout;
    return s->data && s->data->timeout > 0 ? s->data->timeout : 0;
}

/* One test in a fork: 0 passed, 1 failed (the reason on stdout as a TAP comment). */
static int run_one(const struct criterion_suite *s, const struct criterion_test *t)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("inproc: fork");
        return 1;
    }
    if (pid == 0) {
        setsid();
        double limit = timeout_of(s, t);
        if (limit > 0)
            alarm((unsigned) ceil(limit));
        cur_suite = s;
        cur_test = t;
        t->test(); /* Criterion's trampoline: the three functions above */
        exit(failed);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        ;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    if (WIFSIGNALED(st))
        printf("# %s::%s: %s\n", s->name, t->name,
               WTERMSIG(st) == SIGALRM ? "timed out" : strsignal(WTERMSIG(st)));
    else
        printf("# %s::%s: exit status %d\n", s->name, t->name, WEXITSTATUS(st));
    return 1;
}

/* One row per test, copied out of Criterion's test set: criterion_initialize()
 * turns valgrind's error reporting off in the runner (BoxFort's workers are new
 * processes, where it is on) and only criterion_finalize() turns it back on, so
 * the tests must run after criterion_finalize(), which frees the set.  What a row
 * points to (names, functions, fixtures) is the program's own static data. */
struct row {
    struct criterion_suite suite;
    struct criterion_test test;
};

static struct row *rows_of(struct criterion_test_set *set, size_t *count)
{
    struct row *rows = calloc(set->tests ? set->tests : 1, sizeof *rows);
    size_t n = 0;

    if (!rows) {
        perror("inproc");
        exit(1);
    }
    for (struct criterion_ordered_set_node *sn = set->suites->first; sn; sn = sn->next) {
        struct criterion_suite_set *ss = (void *) (sn + 1); /* as Criterion's FOREACH_SET */
        for (struct criterion_ordered_set_node *tn = ss->tests ? ss->tests->first : NULL; tn && n < set->tests;
             tn = tn->next)
            rows[n++] = (struct row) { ss->suite, *(struct criterion_test *) (void *) (tn + 1) };
    }
    *count = n;
    return rows;
}

static int run_inproc(struct row *rows, size_t count)
{
    size_t bad = 0;

    printf("1..%zu\n", count);
    for (size_t i = 0; i < count; i++) {
        const struct criterion_suite *s = &rows[i].suite;
        const struct criterion_test *t = &rows[i].test;
        if (t->data->disabled || (s->data && s->data->disabled)) {
            printf("ok %zu - %s::%s # SKIP disabled\n", i + 1, s->name, t->name);
            continue;
        }
        int rc = run_one(s, t);
        bad += rc;
        printf("%sok %zu - %s::%s\n", rc ? "not " : "", i + 1, s->name, t->name);
    }
    fflush(stdout);
    return bad != 0;
}

int main(int argc, char *argv[])
{
    struct criterion_test_set *set = criterion_initialize();
    int result = 0;

    if (getenv("ROOFTOP_TEST_INPROC")) {
        size_t count;
        struct row *rows = rows_of(set, &count);
        criterion_finalize(set);
        inproc = 1;
        result = run_inproc(rows, count);
        free(rows);
        return result;
    }
    if (criterion_handle_args(argc, argv, true))
        result = !criterion_run_all_tests(set);
    criterion_finalize(set);
    return result;
}
