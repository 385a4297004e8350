/* bytes: an immutable byte string (NUL-terminated for convenience). */
#ifndef TWINPY_BYTES_H
#define TWINPY_BYTES_H

#include <stddef.h>
#include <twinpy/object.h>

typedef struct TwBytesObject {
    TwVarObject ob_base; /* ob_size: number of bytes */
    _Atomic tw_hash_t hash;
    char data[];
} TwBytesObject;

extern TwType tw_bytes_type;
static inline int tw_bytes_check(TwObject *op) { return tw_type_is_subtype(TW_TYPE(op), &tw_bytes_type); }
TwObject *tw_bytes_from_data(const void *data, size_t n);
static inline const char *tw_bytes_data(TwObject *op) { return ((TwBytesObject *)op)->data; }
static inline intptr_t tw_bytes_size(TwObject *op) { return TW_SIZE(op); }
TwObject *tw_bytes_concat(TwObject *a, TwObject *b);

#endif
