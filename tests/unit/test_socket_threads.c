/* The socket module used from several threads at once: an echo server
 * with concurrent accepts and clients, one socket shared by senders and a
 * receiver, and a shutdown from one thread waking a recv blocked in
 * another.  Every blocking call runs detached, so these also check that
 * the threads make progress together (a call that kept the GIL would
 * deadlock the echo).  Run in both builds, with the GIL's io policy too,
 * and under ThreadSanitizer. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include "support.h"
#include "core/compile.h"
#include "core/eval.h"
#include "core/builtins.h"
#include <twinpy/abstract.h>

static void setup_default(void)
{
    unsetenv("TWINPY_GIL_POLICY");
    tw_test_setup();
}

/* The GIL build, or the free-threaded build with its GIL on, under the
 * io policy. */
static void setup_gil_io(void)
{
    setenv("TWINPY_GIL", "1", 1);
    setenv("TWINPY_GIL_POLICY", "io", 1);
    tw_test_setup();
}

TestSuite(socket_threads, .init = setup_default, .fini = tw_test_teardown);
TestSuite(socket_threads_io, .init = setup_gil_io, .fini = tw_test_teardown);

static const char module_src[] =
    "import socket, time\n"
    "srv = socket.socket()\n"
    "srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
    "srv.bind(('127.0.0.1', 0))\n"
    "srv.listen(16)\n"
    "port = srv.getsockname()[1]\n"
    "results = []\n"
    "ROUNDS = 200\n"
    "def message(i, k):\n"
    "    return ('%d:%d;' % (i, k)).encode() * (1 + k % 5)\n"
    "def expected_bytes(clients):\n"
    "    return sum(len(message(i, k)) for i in clients for k in range(ROUNDS))\n"
    "def echo_server(i):\n"
    "    conn, addr = srv.accept()\n"
    "    total = 0\n"
    "    while True:\n"
    "        data = conn.recv(4096)\n"
    "        if not data:\n"
    "            break\n"
    "        conn.sendall(data)\n"
    "        total += len(data)\n"
    "    conn.close()\n"
    "    results.append(total)\n"
    "def echo_client(i):\n"
    "    c = socket.create_connection(('127.0.0.1', port))\n"
    "    ok = 0\n"
    "    for k in range(ROUNDS):\n"
    "        msg = message(i, k)\n"
    "        c.sendall(msg)\n"
    "        got = b''\n"
    "        while len(got) < len(msg):\n"
    "            got += c.recv(len(msg) - len(got))\n"
    "        ok += got == msg\n"
    "    c.close()\n"
    "    results.append(-ok)\n"
    "pair = []\n"
    "def make_pair():\n"
    "    a = socket.create_connection(('127.0.0.1', port))\n"
    "    b, _ = srv.accept()\n"
    "    pair[:] = [a, b]\n"
    "CHUNKS = 500\n"
    "def shared_sender(i):\n"
    "    for k in range(CHUNKS):\n"
    "        pair[0].sendall(b'x' * 100)\n"
    "def shared_receiver(total):\n"
    "    got = 0\n"
    "    while got < total:\n"
    "        got += len(pair[1].recv(65536))\n"
    "    results.append(got)\n"
    "def shared_fiddler(rounds):\n"
    "    for k in range(rounds):\n"
    "        pair[0].getsockname()\n"
    "        pair[1].gettimeout()\n"
    "        repr(pair[0])\n"
    "        pair[0].fileno()\n"
    "def blocked_recv():\n"
    "    results.append(pair[1].recv(10))\n"
    "    while pair[1].fileno() != -1:\n"
    "        time.sleep(0.001)\n"
    "    try:\n"
    "        pair[1].recv(10)\n"
    "    except OSError as e:\n"
    "        results.append(e.errno)\n"
    "def shut_down_later():\n"
    "    time.sleep(0.05)\n"
    "    pair[1].shutdown(socket.SHUT_RDWR)\n"
    "    time.sleep(0.05)\n"
    "    pair[1].close()\n";

static TwObject *globals;

static void load_module(void)
{
    TwObject *co = tw_compile_source(module_src, strlen(module_src), "<socket_threads>");
    cr_assert_not_null(co, "the test module does not compile");
    globals = tw_dict_new();
    tw_dict_set_item_cstr(globals, "__name__", tw_str_intern_cstr("__socket_threads__"));
    TwObject *r = tw_eval_code(co, globals, globals);
    tw_decref(co);
    if (r == NULL) {
        TwObject *exc = tw_err_fetch();
        TwObject *s = exc ? tw_object_str(exc) : NULL;
        cr_assert_fail("the test module failed: %s: %s", exc ? TW_TYPE(exc)->tp_name : "?",
                       s ? tw_str_utf8(s) : "?");
    }
    tw_decref(r);
    tw_eval_threads_starting();
}

static TwObject *global(const char *name)
{
    TwObject *v = NULL;
    cr_assert_eq(tw_dict_get_item_cstr_ref(globals, name, &v), 1, "no global %s", name);
    return v;
}

/* Call global function `name` with one int argument (or none when arg < 0)
 * and report a failure as a flag, since threads must not assert. */
static _Atomic int failures;

static void call(const char *name, int64_t arg)
{
    TwObject *f = global(name);
    TwObject *a = arg >= 0 ? tw_int_from_i64(arg) : NULL;
    TwObject *r = a ? tw_object_call_one(f, a) : tw_object_call_noargs(f);
    if (r == NULL) {
        tw_err_clear();
        atomic_fetch_add(&failures, 1);
    }
    tw_xdecref(r);
    tw_xdecref(a);
    tw_decref(f);
}

/* The results list as C ints, sorted. */
static int results_sorted(int64_t *out, int cap)
{
    TwObject *res = global("results");
    int n = (int)tw_list_size(res);
    cr_assert_leq(n, cap);
    for (int i = 0; i < n; i++) {
        TwObject *v = tw_list_get_item(res, i);
        out[i] = tw_int_as_i64(v);
        tw_decref(v);
    }
    tw_decref(res);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && out[j - 1] > out[j]; j--) {
            int64_t t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}

/* ---- echo: three servers accept on one listening socket, three clients ---- */

#define ECHO_PAIRS 3

static void echo_thread(int index, void *arg)
{
    if (index < ECHO_PAIRS)
        call("echo_server", index);
    else
        call("echo_client", index - ECHO_PAIRS);
}

static void echo_round_trips(void)
{
    load_module();
    tw_test_run_threads(2 * ECHO_PAIRS, echo_thread, NULL);
    cr_assert_eq(atomic_load(&failures), 0, "a thread raised");
    int64_t r[2 * ECHO_PAIRS];
    cr_assert_eq(results_sorted(r, 2 * ECHO_PAIRS), 2 * ECHO_PAIRS);
    /* Clients report -ok (every round trip intact); servers the bytes they echoed. */
    int64_t echoed = 0;
    for (int i = 0; i < ECHO_PAIRS; i++)
        cr_assert_eq(r[i], -200, "a client saw %lld good round trips", (long long)-r[i]);
    for (int i = ECHO_PAIRS; i < 2 * ECHO_PAIRS; i++)
        echoed += r[i];
    TwObject *f = global("expected_bytes"), *clients = tw_range_new(0, ECHO_PAIRS, 1);
    TwObject *want = tw_object_call_one(f, clients);
    cr_assert_eq(echoed, tw_int_as_i64(want));
    tw_decref(want);
    tw_decref(clients);
    tw_decref(f);
}

Test(socket_threads, echo_servers_and_clients_in_threads) { echo_round_trips(); }

Test(socket_threads_io, echo_servers_and_clients_under_the_io_policy)
{
    cr_assert_eq(tw_gil_get_policy(), TW_GIL_POLICY_IO);
    echo_round_trips();
}

/* ---- one socket shared: two senders, a receiver, a thread reading state --- */

static void shared_thread(int index, void *arg)
{
    if (index < 2)
        call("shared_sender", index);
    else if (index == 2)
        call("shared_receiver", 2 * 500 * 100);
    else
        call("shared_fiddler", 2000);
}

Test(socket_threads, one_socket_used_by_several_threads)
{
    load_module();
    call("make_pair", -1);
    tw_test_run_threads(4, shared_thread, NULL);
    cr_assert_eq(atomic_load(&failures), 0, "a thread raised");
    int64_t r[1];
    cr_assert_eq(results_sorted(r, 1), 1);
    cr_assert_eq(r[0], 2 * 500 * 100, "every byte of both senders arrives");
}

/* ---- shutdown in one thread ends a recv blocked in another --------------- */

static void shutdown_thread(int index, void *arg)
{
    call(index == 0 ? "blocked_recv" : "shut_down_later", -1);
}

Test(socket_threads, shutdown_wakes_a_blocked_recv)
{
    load_module();
    call("make_pair", -1);
    tw_test_run_threads(2, shutdown_thread, NULL);
    cr_assert_eq(atomic_load(&failures), 0, "a thread raised");
    TwObject *res = global("results");
    cr_assert_eq(tw_list_size(res), 2);
    TwObject *first = tw_list_get_item(res, 0), *second = tw_list_get_item(res, 1);
    tw_test_assert_repr(first, "b''");
    /* After the other thread closed it, the socket says EBADF. */
    cr_assert(tw_int_check(second));
    cr_assert_eq(tw_int_as_i64(second), 9, "EBADF after close");
    tw_decref(second);
    tw_decref(res);
}

/* ---- a signal interrupts a blocked call: EINTR serves the eval breaker ---- */

static void on_sigint(int sig) { tw_signal_trip(sig); }

static void *send_sigint_later(void *p)
{
    struct timespec t = {.tv_sec = 0, .tv_nsec = 100 * 1000000};
    nanosleep(&t, NULL);
    pthread_kill(*(pthread_t *)p, SIGINT);
    return NULL;
}

/* The handler is installed without SA_RESTART, as the twinpy command does,
 * so the blocked accept fails with EINTR and the check point that follows
 * raises KeyboardInterrupt. */
static void interrupt_blocked_call(const char *timeout_src)
{
    load_module();
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    char src[256];
    snprintf(src, sizeof(src), "srv.settimeout(%s)\nsrv.accept()\n", timeout_src);
    TwObject *co = tw_compile_source(src, strlen(src), "<interrupt>");
    cr_assert_not_null(co);
    pthread_t self = pthread_self(), t;
    pthread_create(&t, NULL, send_sigint_later, &self);
    TwObject *r = tw_eval_code(co, globals, globals);
    tw_decref(co);
    TW_BEGIN_ALLOW_THREADS
    pthread_join(t, NULL);
    TW_END_ALLOW_THREADS
    cr_assert_null(r, "accept returned without a connection");
    cr_assert_eq(tw_err_occurred(), &tw_exc_KeyboardInterrupt);
    tw_err_clear();
}

Test(socket_threads, signal_interrupts_a_blocking_accept) { interrupt_blocked_call("None"); }

Test(socket_threads, signal_interrupts_an_accept_with_a_timeout) { interrupt_blocked_call("30"); }
