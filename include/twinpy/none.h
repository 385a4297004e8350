/* None, True and False: static immortal singletons. */
#ifndef TWINPY_NONE_H
#define TWINPY_NONE_H

#include <twinpy/object.h>

extern TwType tw_none_type;
extern TwType tw_bool_type;
extern TwObject tw_none_object;
/* bool instances are ints (bool subclasses int, as in Python). */
extern struct TwIntObject tw_true_object;
extern struct TwIntObject tw_false_object;

#define TW_NONE  (&tw_none_object)
#define TW_TRUE  ((TwObject *)&tw_true_object)
#define TW_FALSE ((TwObject *)&tw_false_object)

/* True or False (immortal: no reference to drop). */
static inline TwObject *tw_bool_from_long(long v) { return v ? TW_TRUE : TW_FALSE; }
/* Truth value: 1, 0, or -1 on error (None, bool, int, float, str, bytes,
 * tuple, list, dict, set; other objects are true). */
int tw_object_is_true(TwObject *op);

#endif
