/* None, True, False and the truth value of objects. */
#include <criterion/criterion.h>
#include <math.h>

#include "support.h"
#include <twinpy/abstract.h>

TestSuite(none, .init = tw_test_setup, .fini = tw_test_teardown);

/* tw_object_is_true on a new reference, which is then dropped. */
static int truth(TwObject *o)
{
    cr_assert_not_null(o);
    int t = tw_object_is_true(o);
    tw_decref(o);
    return t;
}

Test(none, singletons_are_immortal_and_refcount_inert)
{
    TwObject *objs[] = {TW_NONE, TW_TRUE, TW_FALSE};
    for (size_t i = 0; i < 3; i++) {
        cr_assert(tw_is_immortal(objs[i]));
        intptr_t before = tw_refcount(objs[i]);
        for (int k = 0; k < 100; k++)
            tw_decref(objs[i]);
        tw_incref(objs[i]);
        cr_assert_eq(tw_refcount(objs[i]), before);
    }
}

Test(none, types_and_names)
{
    cr_assert_eq(TW_TYPE(TW_NONE), &tw_none_type);
    cr_assert_str_eq(tw_none_type.tp_name, "NoneType");
    cr_assert_eq(TW_TYPE(TW_TRUE), &tw_bool_type);
    cr_assert_eq(TW_TYPE(TW_FALSE), &tw_bool_type);
    cr_assert_str_eq(tw_bool_type.tp_name, "bool");
    cr_assert_eq(tw_bool_type.tp_base, &tw_int_type, "bool subclasses int");
}

Test(none, bool_from_long_maps_nonzero_to_true)
{
    cr_assert_eq(tw_bool_from_long(0), TW_FALSE);
    cr_assert_eq(tw_bool_from_long(1), TW_TRUE);
    cr_assert_eq(tw_bool_from_long(-7), TW_TRUE);
}

Test(none, reprs)
{
    tw_test_assert_repr(TW_NONE, "None");
    tw_test_assert_repr(TW_TRUE, "True");
    tw_test_assert_repr(TW_FALSE, "False");
    TwObject *s = tw_object_str(TW_NONE);
    cr_assert_str_eq(tw_str_utf8(s), "None");
    tw_decref(s);
}

Test(none, none_hash_is_the_cpython_3_12_constant)
{
    cr_assert_eq(tw_object_hash(TW_NONE), 0xFCA86420); /* python3.12: hash(None) */
}

Test(none, none_equals_only_itself)
{
    cr_assert_eq(tw_object_eq(TW_NONE, TW_NONE), 1);
    cr_assert_eq(tw_object_eq(TW_NONE, TW_FALSE), 0);
    TwObject *r = tw_object_richcompare(TW_NONE, TW_NONE, TW_NE);
    cr_assert_eq(r, TW_FALSE);
}

Test(none, none_has_no_order)
{
    cr_assert_null(tw_object_richcompare(TW_NONE, TW_NONE, TW_LT));
    tw_test_assert_error(&tw_exc_TypeError,
                         "'<' not supported between instances of 'NoneType' and 'NoneType'");
}

Test(none, true_and_false_equal_one_and_zero)
{
    TwObject *one = tw_int_from_i64(1), *zero = tw_int_from_i64(0);
    cr_assert_eq(tw_object_eq(TW_TRUE, one), 1);
    cr_assert_eq(tw_object_eq(TW_FALSE, zero), 1);
    cr_assert_eq(tw_object_eq(TW_TRUE, zero), 0);
    cr_assert_eq(tw_object_richcompare(TW_FALSE, TW_TRUE, TW_LT), TW_TRUE);
    cr_assert_eq(tw_object_hash(TW_TRUE), tw_object_hash(one));
}

Test(none, truth_of_singletons)
{
    cr_assert_eq(tw_object_is_true(TW_NONE), 0);
    cr_assert_eq(tw_object_is_true(TW_TRUE), 1);
    cr_assert_eq(tw_object_is_true(TW_FALSE), 0);
}

Test(none, truth_of_numbers_is_nonzero)
{
    cr_assert_eq(truth(tw_int_from_i64(0)), 0);
    cr_assert_eq(truth(tw_int_from_i64(-1)), 1);
    cr_assert_eq(truth(tw_int_from_i64(1000000)), 1);
    cr_assert_eq(truth(tw_float_from_double(0.0)), 0);
    cr_assert_eq(truth(tw_float_from_double(-0.0)), 0);
    cr_assert_eq(truth(tw_float_from_double(0.25)), 1);
    cr_assert_eq(truth(tw_float_from_double(NAN)), 1);
}

Test(none, truth_of_strings_bytes_and_tuples_is_nonempty)
{
    cr_assert_eq(truth(tw_str_from_cstr("")), 0);
    cr_assert_eq(truth(tw_str_from_cstr("0")), 1);
    cr_assert_eq(truth(tw_bytes_from_data("", 0)), 0);
    cr_assert_eq(truth(tw_bytes_from_data("\0", 1)), 1);
    cr_assert_eq(truth(tw_tuple_new(0)), 0);
    cr_assert_eq(truth(tw_tuple_pack(1, TW_NONE)), 1);
}

Test(none, truth_of_containers_is_nonempty)
{
    TwObject *l = tw_list_new(0), *d = tw_dict_new(), *s = tw_set_new();
    cr_assert(l && d && s);
    cr_assert_eq(tw_object_is_true(l), 0);
    cr_assert_eq(tw_object_is_true(d), 0);
    cr_assert_eq(tw_object_is_true(s), 0);
    cr_assert_eq(tw_list_append(l, TW_NONE), 0);
    cr_assert_eq(tw_dict_set_item(d, TW_NONE, TW_NONE), 0);
    cr_assert_eq(tw_set_add(s, TW_NONE), 0);
    cr_assert_eq(tw_object_is_true(l), 1);
    cr_assert_eq(tw_object_is_true(d), 1);
    cr_assert_eq(tw_object_is_true(s), 1);
    tw_decref(l);
    tw_decref(d);
    tw_decref(s);
}

Test(none, other_objects_are_true)
{
    TwObject *o = tw_object_new(&tw_object_type, 0);
    cr_assert_eq(truth(o), 1);
    cr_assert_eq(tw_object_is_true((TwObject *)&tw_int_type), 1);
}

Test(none, bool_constructor_takes_the_truth_value)
{
    TwObject *zero = tw_int_from_i64(0), *s = tw_str_from_cstr("x");
    TwObject *args[1] = {zero};
    cr_assert_eq(tw_bool_type.tp_new(&tw_bool_type, args, 1, NULL), TW_FALSE); /* bool(0) */
    args[0] = s;
    cr_assert_eq(tw_bool_type.tp_new(&tw_bool_type, args, 1, NULL), TW_TRUE); /* bool('x') */
    cr_assert_eq(tw_bool_type.tp_new(&tw_bool_type, args, 0, NULL), TW_FALSE); /* bool() */
    tw_decref(s);
}

Test(none, nonetype_call_returns_none)
{
    cr_assert_eq(tw_none_type.tp_new(&tw_none_type, NULL, 0, NULL), TW_NONE); /* type(None)() */
}

Test(none, big_ints_are_true)
{
    TwObject *big = tw_int_from_string("100000000000000000000", 21, 10);
    cr_assert_eq(tw_object_is_true(big), 1);
    tw_decref(big);
}

Test(none, bool_number_slots_are_ints_except_bitwise)
{
    const TwNumberMethods *nb = tw_bool_type.tp_as_number;
    cr_assert_not_null(nb);
    TwObject *r = nb->nb_add(TW_TRUE, TW_TRUE); /* True + True == 2 */
    cr_assert_eq(TW_TYPE(r), &tw_int_type);
    cr_assert_eq(tw_int_as_i64(r), 2);
    tw_decref(r);
    cr_assert_eq(nb->nb_or(TW_FALSE, TW_TRUE), TW_TRUE); /* False | True is True */
}
