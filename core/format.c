/* Text formatting (core/format.h).  First step: format() with an empty
 * spec; the mini-language follows. */
#include "core/format.h"
#include "core/scalar.h"

TwObject *tw_format_value(TwObject *value, TwObject *spec)
{
    if (spec == NULL || tw_str_byte_size(spec) == 0)
        return tw_object_str(value);
    tw_err_set_string(&tw_exc_NotImplementedError, "format specs are not supported yet");
    return NULL;
}
