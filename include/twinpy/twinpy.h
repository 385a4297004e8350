/* twinpy's public C API: one header for both builds.
 *
 * TW_GIL_DISABLED (twinpy/config.h) says which build this is; extension
 * code rarely needs it: reference counting, critical sections and
 * TW_BEGIN_ALLOW_THREADS do the right thing in each. */
#ifndef TWINPY_H
#define TWINPY_H

#include <twinpy/config.h>
#include <twinpy/atomic.h>
#include <twinpy/object.h>
#include <twinpy/mutex.h>
#include <twinpy/critical_section.h>
#include <twinpy/thread.h>
#include <twinpy/alloc.h>
#include <twinpy/error.h>
#include <twinpy/none.h>
#include <twinpy/int.h>
#include <twinpy/float.h>
#include <twinpy/str.h>
#include <twinpy/bytes.h>
#include <twinpy/tuple.h>
#include <twinpy/list.h>
#include <twinpy/dict.h>
#include <twinpy/set.h>

#endif
