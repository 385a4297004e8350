/* Internal: the import system (core/import.c), called by the VM for
 * `import m`, `import m as n` and `from m import a, b`.
 *
 * A module name is looked up, in order, in sys.modules, in the registry of
 * built-in modules (include/twinpy/module.h), and as <dir>/<name>.py for
 * each dir of sys.path (the script's directory first).  A module is created
 * and executed once: the first importer publishes it in sys.modules before
 * running its code (so circular imports see the partial module) and
 * removes it again if the code raises.
 *
 * Thread safety: each module's code runs once even when several threads
 * import it at the same moment.  The first importer owns a per-module
 * record and holds its mutex (a TwMutex: waiters park detached) while the
 * code runs; other threads wait on it and then return the finished module.
 * A module already in sys.modules with no import in progress costs one
 * dict lookup and no lock.  core/import.c explains circular imports and
 * cross-thread cycles. */
#ifndef TWINPY_CORE_IMPORT_H
#define TWINPY_CORE_IMPORT_H

#include <twinpy/twinpy.h>

/* import name: the module (new reference).  ModuleNotFoundError
 * "No module named 'x'" when nothing provides it. */
TwObject *tw_import_module(TwObject *name);
TwObject *tw_import_module_cstr(const char *name);
/* from module import name: getattr(module, name) (new reference), or
 * ImportError "cannot import name 'x' from 'm' (path)" / "(unknown
 * location)" for built-in modules. */
TwObject *tw_import_from(TwObject *module, TwObject *name);

/* from module import *: bind module.__all__, or every public name of its
 * dict, in ns (a dict).  0 or -1. */
int tw_import_star(TwObject *module, TwObject *ns);

/* In the child after fork(): forget the imports of threads that did not
 * survive the fork (call with tw_sys_reinit_after_fork). */
void tw_import_reinit_after_fork(void);

/* Provided by the VM (core/pythonrun.c): compile the file at `path` and
 * run it with the module's dict as its globals.  Returns a new reference
 * (the value of the module code, normally None) or NULL with an exception
 * (SyntaxError, or whatever the code raised). */
TwObject *tw_run_module_code(TwObject *module, const char *path);

#endif
