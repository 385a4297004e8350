/* The import system: sys.modules, the built-in module registry and the
 * script's sibling .py files (core/import.h).
 *
 * Running each module once.  An import that finds its module in
 * sys.modules returns it, unless that module is still being executed by
 * some thread (its code has not finished).  Every import in progress has an
 * Importing record on `importing`, a list guarded by import_lock (a
 * TwMutex, held only for short list operations).  The importing thread
 * owns the record and holds the record's `running` mutex for as long as
 * the module's code runs.  Another thread that wants the same module waits
 * by locking `running` (it parks detached, so in the GIL build the GIL is
 * released while it waits) and then looks again.  The owner itself (a
 * circular import) gets the partially executed module at once, as in
 * CPython.
 *
 * Cross-thread cycles (thread 1 runs a, which imports b; thread 2 runs b,
 * which imports a) would wait forever; before waiting, a thread follows
 * the chain "record owner waits for record ..." through the Waiting list
 * and, if the chain leads back to itself, takes the partial module instead
 * of waiting (CPython resolves this deadlock the same way).
 *
 * Fast path: `n_importing` counts the records.  A lookup that finds the
 * module in sys.modules and then reads n_importing == 0 returns at once:
 * the owner increments the count before it publishes the module in
 * sys.modules and decrements it only after the code has run, so a reader
 * that saw the module and a zero count saw a finished module. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "core/tstate.h"
#include "core/builtins.h"
#include "core/import.h"

typedef struct Importing {
    TwObject *name;         /* str; the record's reference */
    TwThreadState *owner;   /* immutable */
    TwMutex running;        /* held by the owner while the module's code runs */
    int waiters;            /* threads that may still touch the record; import_lock */
    int done;               /* import_lock */
    struct Importing *next; /* import_lock */
} Importing;

typedef struct Waiting {
    TwThreadState *thread; /* immutable */
    Importing *on;         /* immutable */
    struct Waiting *next;  /* import_lock */
} Waiting;

static TwMutex import_lock;          /* guards the two lists below */
static Importing *importing;         /* import_lock */
static Waiting *waiting;             /* import_lock */
static _Atomic intptr_t n_importing; /* atomic (seq_cst): the length of `importing` */

static Importing *find_importing(TwObject *name)
{
    for (Importing *r = importing; r != NULL; r = r->next)
        if (tw_str_compare(r->name, name) == 0)
            return r;
    return NULL;
}

/* With import_lock held: would waiting on r close a cycle back to `me`? */
static int would_deadlock(Importing *r, TwThreadState *me)
{
    for (int steps = 0; r != NULL && steps < 1000; steps++) {
        if (r->owner == me)
            return 1;
        Importing *next = NULL;
        for (Waiting *w = waiting; w != NULL; w = w->next)
            if (w->thread == r->owner) {
                next = w->on;
                break;
            }
        r = next;
    }
    return 0;
}

/* Drop one interest in a finished record (import_lock held). */
static void release_record(Importing *r)
{
    if (r->done && r->waiters == 0) {
        tw_decref(r->name);
        tw_mem_free(r);
    }
}

/* sys.modules[name] (new reference), NULL with no exception if absent. */
static TwObject *lookup_module(TwObject *name)
{
    TwObject *modules = tw_sys_get_modules();
    if (modules == NULL)
        return NULL;
    TwObject *m = NULL;
    int r = tw_dict_get_item_ref(modules, name, &m);
    tw_decref(modules);
    return r < 0 ? NULL : m;
}

static int publish_module(TwObject *name, TwObject *m)
{
    TwObject *modules = tw_sys_get_modules();
    if (modules == NULL)
        return -1;
    int r = tw_dict_set_item(modules, name, m);
    tw_decref(modules);
    return r;
}

/* Remove a module whose code failed, unless something replaced it. */
static void unpublish_module(TwObject *name, TwObject *m)
{
    TwObject *exc = tw_err_fetch();
    TwObject *modules = tw_sys_get_modules();
    if (modules != NULL) {
        TwObject *cur = NULL;
        if (tw_dict_get_item_ref(modules, name, &cur) > 0 && cur == m)
            tw_dict_del_item(modules, name);
        tw_xdecref(cur);
        tw_decref(modules);
    }
    tw_err_clear();
    tw_err_restore(exc);
}

/* ModuleNotFoundError "No module named 'x'" (or, for a dotted name whose
 * first part is a module, "...; 'a' is not a package"), with .name set. */
static void module_not_found(TwObject *name, TwObject *parent)
{
    TwObject *msg = parent ? tw_str_from_format("No module named '%s'; '%s' is not a package",
                                                tw_str_utf8(name), tw_str_utf8(parent))
                           : tw_str_from_format("No module named '%s'", tw_str_utf8(name));
    if (msg == NULL)
        return;
    TwObject *args = tw_tuple_pack(1, msg);
    tw_decref(msg);
    if (args == NULL)
        return;
    TwObject *exc = tw_exception_new(&tw_exc_ModuleNotFoundError, args);
    tw_decref(args);
    if (exc == NULL)
        return;
    TwObject *key = tw_str_intern_cstr("name");
    if (key == NULL || tw_object_setattr(exc, key, name) < 0)
        tw_err_clear();
    tw_xdecref(key);
    tw_err_restore(exc);
}

/* The path of <dir>/<name>.py for the first dir of sys.path that holds
 * one (a new str), or NULL with no exception. */
static TwObject *find_source(TwObject *name)
{
    TwObject *path = tw_sys_get_path();
    if (path == NULL)
        return NULL;
    TwObject *dirs = tw_list_as_tuple(path);
    tw_decref(path);
    if (dirs == NULL)
        return NULL;
    TwObject *found = NULL;
    for (intptr_t i = 0; i < tw_tuple_size(dirs) && found == NULL; i++) {
        TwObject *dir = tw_tuple_get_item_borrowed(dirs, i);
        if (!tw_str_check(dir))
            continue;
        TwObject *file = tw_str_byte_size(dir) == 0
                             ? tw_str_from_format("%s.py", tw_str_utf8(name))
                             : tw_str_from_format("%s/%s.py", tw_str_utf8(dir), tw_str_utf8(name));
        if (file == NULL)
            break;
        struct stat st;
        if (stat(tw_str_utf8(file), &st) == 0 && S_ISREG(st.st_mode))
            found = file;
        else
            tw_decref(file);
    }
    tw_decref(dirs);
    return found;
}

/* Create and run the module `name` (the caller owns its Importing
 * record): a registered built-in module, else a source file on sys.path.
 * Returns the module as sys.modules holds it afterwards. */
static TwObject *load_module(TwObject *name)
{
    const char *cname = tw_str_utf8(name);
    tw_module_create_fn create = tw_module_find_builtin(cname);
    if (create != NULL) {
        TwObject *m = create();
        if (m == NULL)
            return NULL;
        if (publish_module(name, m) < 0) {
            tw_decref(m);
            return NULL;
        }
        return m;
    }
    if (strchr(cname, '.') != NULL) {
        /* Packages are not supported: say which part is missing. */
        TwObject *parent = tw_str_from_utf8(cname, (size_t)(strchr(cname, '.') - cname));
        if (parent == NULL)
            return NULL;
        TwObject *pm = tw_import_module(parent);
        if (pm != NULL)
            module_not_found(name, parent);
        tw_xdecref(pm);
        tw_decref(parent);
        return NULL;
    }
    TwObject *file = find_source(name);
    if (file == NULL) {
        if (!tw_err_occurred())
            module_not_found(name, NULL);
        return NULL;
    }
    TwObject *m = tw_module_new(name);
    if (m == NULL || tw_module_add_object(m, "__file__", file) < 0 || publish_module(name, m) < 0) {
        tw_xdecref(m);
        tw_decref(file);
        return NULL;
    }
    TwObject *r = tw_run_module_code(m, tw_str_utf8(file));
    tw_decref(file);
    if (r == NULL) {
        unpublish_module(name, m);
        tw_decref(m);
        return NULL;
    }
    tw_decref(r);
    /* A module may replace itself in sys.modules; the importer gets that. */
    TwObject *final = lookup_module(name);
    if (final == NULL && !tw_err_occurred())
        tw_err_format(&tw_exc_ImportError, "Loaded module %s not found in sys.modules", cname);
    tw_decref(m);
    return final;
}

TwObject *tw_import_module(TwObject *name)
{
    if (!tw_str_check(name)) {
        tw_err_format(&tw_exc_TypeError, "module name must be str, not %s", TW_TYPE(name)->tp_name);
        return NULL;
    }
    if (tw_str_byte_size(name) == 0) {
        tw_err_set_string(&tw_exc_ValueError, "Empty module name");
        return NULL;
    }
    TwThreadState *me = tw_thread_state_get();
    for (;;) {
        TwObject *m = lookup_module(name);
        if (m != NULL && tw_atomic_load_seq(&n_importing) == 0)
            return m;
        if (m == NULL && tw_err_occurred())
            return NULL;

        tw_mutex_lock(&import_lock);
        Importing *r = find_importing(name);
        if (r == NULL) {
            if (m != NULL) {
                /* Finished meanwhile (or never was in progress). */
                tw_mutex_unlock(&import_lock);
                return m;
            }
            break; /* ours to import; import_lock still held */
        }
        if (r->owner == me || would_deadlock(r, me)) {
            /* A circular import: the partial module, as CPython. */
            tw_mutex_unlock(&import_lock);
            if (m == NULL && !tw_err_occurred())
                tw_err_format(&tw_exc_ImportError,
                              "cannot import module '%s' while it is being initialized",
                              tw_str_utf8(name));
            return m;
        }
        tw_xdecref(m);
        Waiting w = {me, r, waiting};
        waiting = &w;
        r->waiters++;
        tw_mutex_unlock(&import_lock);

        tw_mutex_lock(&r->running); /* parks detached until the owner is done */
        tw_mutex_unlock(&r->running);

        tw_mutex_lock(&import_lock);
        for (Waiting **p = &waiting; *p != NULL; p = &(*p)->next)
            if (*p == &w) {
                *p = w.next;
                break;
            }
        r->waiters--;
        release_record(r);
        tw_mutex_unlock(&import_lock);
        /* Look again: the owner may have failed, leaving it to us. */
    }

    Importing *r = tw_mem_malloc(sizeof(Importing));
    if (r == NULL) {
        tw_mutex_unlock(&import_lock);
        return tw_err_no_memory();
    }
    r->name = tw_newref(name);
    r->owner = me;
    r->running = (TwMutex){0};
    r->waiters = 0;
    r->done = 0;
    tw_mutex_lock(&r->running); /* fresh: never contended */
    r->next = importing;
    importing = r;
    atomic_fetch_add(&n_importing, 1);
    tw_mutex_unlock(&import_lock);

    TwObject *m = load_module(name);

    tw_mutex_lock(&import_lock);
    for (Importing **p = &importing; *p != NULL; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            break;
        }
    atomic_fetch_sub(&n_importing, 1);
    r->done = 1;
    tw_mutex_unlock(&r->running);
    release_record(r);
    tw_mutex_unlock(&import_lock);
    return m;
}

TwObject *tw_import_module_cstr(const char *name)
{
    TwObject *s = tw_str_from_cstr(name);
    if (s == NULL)
        return NULL;
    TwObject *m = tw_import_module(s);
    tw_decref(s);
    return m;
}

/* 1 if the calling thread is still running the code of module `name`. */
static int is_partial(TwObject *name)
{
    if (tw_atomic_load_seq(&n_importing) == 0)
        return 0;
    TwThreadState *me = tw_thread_state_get();
    tw_mutex_lock(&import_lock);
    Importing *r = find_importing(name);
    int partial = r != NULL && r->owner == me;
    tw_mutex_unlock(&import_lock);
    return partial;
}

TwObject *tw_import_from(TwObject *module, TwObject *name)
{
    TwObject *v = tw_object_getattr(module, name);
    if (v != NULL || !tw_err_matches(&tw_exc_AttributeError))
        return v;
    tw_err_clear();

    TwObject *modname = tw_object_getattr_cstr(module, "__name__");
    if (modname == NULL || !tw_str_check(modname)) {
        tw_err_clear();
        tw_xdecref(modname);
        modname = tw_str_from_cstr("<unknown module name>");
        if (modname == NULL)
            return NULL;
    }
    TwObject *file = tw_object_getattr_cstr(module, "__file__");
    if (file == NULL)
        tw_err_clear();
    const char *where = file != NULL && tw_str_check(file) ? tw_str_utf8(file) : "unknown location";
    TwObject *msg;
    if (is_partial(modname))
        msg = tw_str_from_format("cannot import name '%s' from partially initialized module '%s' "
                                 "(most likely due to a circular import) (%s)",
                                 tw_str_utf8(name), tw_str_utf8(modname), where);
    else
        msg = tw_str_from_format("cannot import name '%s' from '%s' (%s)", tw_str_utf8(name),
                                 tw_str_utf8(modname), where);
    TwObject *args = msg ? tw_tuple_pack(1, msg) : NULL;
    TwObject *exc = args ? tw_exception_new(&tw_exc_ImportError, args) : NULL;
    if (exc != NULL) {
        TwObject *key = tw_str_intern_cstr("name");
        if (key == NULL || tw_object_setattr(exc, key, modname) < 0)
            tw_err_clear();
        tw_xdecref(key);
        if (file != NULL) {
            key = tw_str_intern_cstr("path");
            if (key == NULL || tw_object_setattr(exc, key, file) < 0)
                tw_err_clear();
            tw_xdecref(key);
        }
        tw_err_restore(exc);
    }
    tw_xdecref(args);
    tw_xdecref(msg);
    tw_xdecref(file);
    tw_decref(modname);
    return NULL;
}

/* from module import *: the names in __all__, or every name of the
 * module's dict that does not start with an underscore. */
int tw_import_star(TwObject *module, TwObject *ns)
{
    TwObject *all = tw_object_getattr_cstr(module, "__all__");
    if (all != NULL) {
        TwObject *names = tw_sequence_tuple(all);
        tw_decref(all);
        if (names == NULL)
            return -1;
        for (intptr_t i = 0; i < tw_tuple_size(names); i++) {
            TwObject *n = tw_tuple_get_item_borrowed(names, i);
            TwObject *v = tw_object_getattr(module, n);
            int r = v ? tw_object_setitem(ns, n, v) : -1;
            tw_xdecref(v);
            if (r < 0) {
                tw_decref(names);
                return -1;
            }
        }
        tw_decref(names);
        return 0;
    }
    if (!tw_err_matches(&tw_exc_AttributeError))
        return -1;
    tw_err_clear();
    TwObject *dict = tw_object_getattr_cstr(module, "__dict__");
    if (dict == NULL)
        return -1;
    TwObject *items = tw_dict_check(dict) ? tw_dict_items(dict) : NULL;
    tw_decref(dict);
    if (items == NULL) {
        if (!tw_err_occurred())
            tw_err_set_string(&tw_exc_ImportError,
                              "from-import-* object has no __dict__ and no __all__");
        return -1;
    }
    int rc = 0;
    for (intptr_t i = 0; i < tw_list_size(items) && rc == 0; i++) {
        TwObject *kv = tw_list_get_item(items, i);
        if (kv == NULL) {
            rc = -1;
            break;
        }
        TwObject *k = tw_tuple_get_item_borrowed(kv, 0);
        if (!tw_str_check(k) || tw_str_utf8(k)[0] != '_')
            rc = tw_object_setitem(ns, k, tw_tuple_get_item_borrowed(kv, 1));
        tw_decref(kv);
    }
    tw_decref(items);
    return rc;
}

/* In the child of fork(): only the forking thread survives, so imports
 * other threads had in progress will never finish.  Forget them (their
 * records leak) and reset the lock another thread may have held. */
void tw_import_reinit_after_fork(void)
{
    import_lock = (TwMutex){0};
    importing = NULL;
    waiting = NULL;
    tw_atomic_store_seq(&n_importing, 0);
}
