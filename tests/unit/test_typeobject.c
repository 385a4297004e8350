/* The type system: classes made with type(name, bases, ns) from C, the C3
 * method resolution order, attribute lookup order, descriptors (property,
 * staticmethod, classmethod, bound methods), super, special methods
 * defined by classes, subclassing built-in types, exceptions as classes,
 * the attribute cache's invalidation, and threads sharing classes.
 *
 * Classes here get their methods as C functions: a method descriptor of
 * `object` for a TwMethodDef binds to any instance, so it behaves like a
 * Python function stored in the class namespace.  Expected strings are
 * what python3 prints for the same Python code. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support.h"
#include <twinpy/abstract.h>
#include "core/typeobject.h"

TestSuite(typeobject, .init = tw_test_setup, .fini = tw_test_teardown);

/* ---- helpers --------------------------------------------------------------------- */

static TwObject *str(const char *s)
{
    TwObject *o = tw_str_from_cstr(s);
    cr_assert_not_null(o);
    return o;
}

static TwObject *num(int64_t v)
{
    TwObject *o = tw_int_from_i64(v);
    cr_assert_not_null(o);
    return o;
}

static int64_t num_value(TwObject *o)
{
    cr_assert_not_null(o, "expected an int, got an error");
    int64_t v = tw_int_as_i64(o);
    cr_assert_null(tw_err_occurred());
    return v;
}

/* The current exception must be `type` with str() == msg; it is cleared. */
static void assert_error(TwType *type, const char *msg)
{
    TwType *t = tw_err_occurred();
    cr_assert_not_null(t, "expected %s(%s), no exception set", type->tp_name, msg);
    TwObject *exc = tw_err_fetch();
    cr_assert(tw_type_is_subtype(t, type), "expected %s, got %s", type->tp_name, t->tp_name);
    if (msg != NULL) {
        TwObject *s = tw_object_str(exc);
        cr_assert_not_null(s);
        cr_assert_str_eq(tw_str_utf8(s), msg);
        tw_decref(s);
    }
    tw_decref(exc);
}

static void assert_str(TwObject *o, const char *expected)
{
    cr_assert_not_null(o, "expected \"%s\", got an error", expected);
    TwObject *s = tw_object_str(o);
    cr_assert_not_null(s);
    cr_assert_str_eq(tw_str_utf8(s), expected);
    tw_decref(s);
}

static void assert_repr_prefix(TwObject *o, const char *prefix)
{
    TwObject *s = tw_object_repr(o);
    cr_assert_not_null(s);
    cr_assert(strncmp(tw_str_utf8(s), prefix, strlen(prefix)) == 0, "repr %s does not start with %s",
              tw_str_utf8(s), prefix);
    tw_decref(s);
}

/* A C function that binds like a Python function. */
static TwObject *meth(const TwMethodDef *def)
{
    TwObject *d = tw_method_descr_new(&tw_object_type, def);
    cr_assert_not_null(d);
    return d;
}

static void ns_set(TwObject *ns, const char *name, TwObject *value)
{
    cr_assert_eq(tw_dict_set_item_cstr(ns, name, value), 0);
    tw_decref(value);
}

/* type(name, bases, ns); bases given as a NULL-terminated list. */
static TwObject *make_class_ns(const char *name, TwObject *ns, TwObject *const *bases)
{
    intptr_t n = 0;
    while (bases != NULL && bases[n] != NULL)
        n++;
    TwObject *bt = tw_tuple_new(n);
    for (intptr_t i = 0; i < n; i++)
        tw_tuple_init_item(bt, i, tw_newref(bases[i]));
    TwObject *nm = str(name);
    TwObject *args[3] = {nm, bt, ns};
    TwObject *cls = tw_object_vectorcall((TwObject *)&tw_type_type, args, 3, NULL);
    tw_decref(nm);
    tw_decref(bt);
    return cls;
}

static TwObject *make_class(const char *name, TwObject *const *bases)
{
    TwObject *ns = tw_dict_new();
    TwObject *cls = make_class_ns(name, ns, bases);
    tw_decref(ns);
    cr_assert_not_null(cls);
    return cls;
}

static TwObject *call0(TwObject *callable) { return tw_object_call_noargs(callable); }

static TwObject *getattr(TwObject *o, const char *name)
{
    return tw_object_getattr(o, tw_str_intern_cstr(name));
}

static int setattr(TwObject *o, const char *name, TwObject *v)
{
    return tw_object_setattr(o, tw_str_intern_cstr(name), v);
}

/* The names of the classes of cls.__mro__, joined by spaces. */
static void assert_mro(TwObject *cls, const char *expected)
{
    TwObject *mro = getattr(cls, "__mro__");
    cr_assert_not_null(mro);
    char buf[256] = "";
    for (intptr_t i = 0; i < tw_tuple_size(mro); i++) {
        TwObject *n = tw_type_get_name((TwType *)tw_tuple_get_item_borrowed(mro, i));
        if (i)
            strcat(buf, " ");
        strcat(buf, tw_str_utf8(n));
        tw_decref(n);
    }
    cr_assert_str_eq(buf, expected);
    tw_decref(mro);
}

/* ---- the MRO ---------------------------------------------------------------------- */

Test(typeobject, single_inheritance_mro_runs_up_the_chain)
{
    TwObject *a = make_class("A", NULL);
    TwObject *b = make_class("B", (TwObject *[]){a, NULL});
    TwObject *c = make_class("C", (TwObject *[]){b, NULL});
    assert_mro(c, "C B A object");
    tw_decref(c);
    tw_decref(b);
    tw_decref(a);
}

Test(typeobject, diamond_mro_is_c3)
{
    /* class A; class B(A); class C(A); class D(B, C) -> D B C A object */
    TwObject *a = make_class("A", NULL);
    TwObject *b = make_class("B", (TwObject *[]){a, NULL});
    TwObject *c = make_class("C", (TwObject *[]){a, NULL});
    TwObject *d = make_class("D", (TwObject *[]){b, c, NULL});
    assert_mro(d, "D B C A object");
    tw_decref(d);
    tw_decref(c);
    tw_decref(b);
    tw_decref(a);
}

Test(typeobject, c3_merges_the_classic_example)
{
    /* O; F(O); E(O); D(O); C(D, F); B(D, E); A(B, C) -> A B C D E F O */
    TwObject *f = make_class("F", NULL);
    TwObject *e = make_class("E", NULL);
    TwObject *d = make_class("D", NULL);
    TwObject *c = make_class("C", (TwObject *[]){d, f, NULL});
    TwObject *b = make_class("B", (TwObject *[]){d, e, NULL});
    TwObject *a = make_class("A", (TwObject *[]){b, c, NULL});
    assert_mro(a, "A B C D E F object");
    TwObject *objs[] = {a, b, c, d, e, f};
    for (int i = 0; i < 6; i++)
        tw_decref(objs[i]);
}

Test(typeobject, inconsistent_mro_is_a_type_error)
{
    TwObject *x = make_class("X", NULL);
    TwObject *y = make_class("Y", (TwObject *[]){x, NULL});
    TwObject *ns = tw_dict_new();
    TwObject *z = make_class_ns("Z", ns, (TwObject *[]){x, y, NULL});
    cr_assert_null(z);
    assert_error(&tw_exc_TypeError,
                 "Cannot create a consistent method resolution order (MRO) for bases X, Y");
    tw_decref(ns);
    tw_decref(y);
    tw_decref(x);
}

Test(typeobject, duplicate_and_unacceptable_bases_are_rejected)
{
    TwObject *a = make_class("A", NULL);
    TwObject *ns = tw_dict_new();
    cr_assert_null(make_class_ns("C", ns, (TwObject *[]){a, a, NULL}));
    assert_error(&tw_exc_TypeError, "duplicate base class A");
    cr_assert_null(make_class_ns("C", ns, (TwObject *[]){(TwObject *)&tw_bool_type, NULL}));
    assert_error(&tw_exc_TypeError, "type 'bool' is not an acceptable base type");
    cr_assert_null(make_class_ns("C", ns, (TwObject *[]){(TwObject *)&tw_list_type,
                                                         (TwObject *)&tw_dict_type, NULL}));
    assert_error(&tw_exc_TypeError, "multiple bases have instance lay-out conflict");
    tw_decref(ns);
    tw_decref(a);
}

Test(typeobject, isinstance_and_issubclass_follow_multiple_bases)
{
    TwObject *a = make_class("A", NULL);
    TwObject *b = make_class("B", NULL);
    TwObject *c = make_class("C", (TwObject *[]){a, b, NULL});
    TwObject *obj = call0(c);
    cr_assert_not_null(obj);
    cr_assert_eq(tw_object_isinstance(obj, b), 1);
    cr_assert_eq(tw_object_issubclass(c, b), 1);
    cr_assert_eq(tw_object_issubclass(b, c), 0);
    TwObject *t = tw_tuple_pack(2, (TwObject *)&tw_int_type, b);
    cr_assert_eq(tw_object_isinstance(obj, t), 1);
    tw_decref(t);
    cr_assert_eq(tw_object_isinstance(obj, (TwObject *)&tw_object_type), 1);
    tw_decref(obj);
    tw_decref(c);
    tw_decref(b);
    tw_decref(a);
}

/* ---- names and reprs ----------------------------------------------------------------- */

Test(typeobject, class_attributes_name_module_qualname_bases)
{
    TwObject *a = make_class("Animal", NULL);
    assert_str(getattr(a, "__name__"), "Animal");
    assert_str(getattr(a, "__qualname__"), "Animal");
    assert_str(getattr(a, "__module__"), "__main__");
    TwObject *r = tw_object_repr(a);
    cr_assert_str_eq(tw_str_utf8(r), "<class '__main__.Animal'>");
    tw_decref(r);
    TwObject *bases = getattr(a, "__bases__");
    cr_assert_eq(tw_tuple_size(bases), 1);
    cr_assert_eq(tw_tuple_get_item_borrowed(bases, 0), (TwObject *)&tw_object_type);
    tw_decref(bases);
    TwObject *base = getattr(a, "__base__");
    cr_assert_eq(base, (TwObject *)&tw_object_type);
    tw_decref(base);
    TwObject *obj = call0(a);
    TwObject *cls = getattr(obj, "__class__");
    cr_assert_eq(cls, a);
    tw_decref(cls);
    assert_repr_prefix(obj, "<__main__.Animal object at 0x");
    tw_decref(obj);
    tw_decref(a);
    r = tw_object_repr((TwObject *)&tw_int_type);
    cr_assert_str_eq(tw_str_utf8(r), "<class 'int'>");
    tw_decref(r);
}

Test(typeobject, class_dict_is_a_read_only_proxy)
{
    TwObject *ns = tw_dict_new();
    ns_set(ns, "x", num(5));
    TwObject *a = make_class_ns("A", ns, NULL);
    tw_decref(ns);
    TwObject *d = getattr(a, "__dict__");
    cr_assert_not_null(d);
    cr_assert_eq(TW_TYPE(d), &tw_mappingproxy_type);
    TwObject *v = tw_object_getitem(d, tw_str_intern_cstr("x"));
    cr_assert_eq(num_value(v), 5);
    tw_decref(v);
    cr_assert_eq(tw_object_setitem(d, tw_str_intern_cstr("y"), TW_NONE), -1);
    assert_error(&tw_exc_TypeError, "'mappingproxy' object does not support item assignment");
    tw_decref(d);
    tw_decref(a);
}

/* ---- attribute lookup order --------------------------------------------------------------- */

static TwObject *get_seven(TwObject *self, TwObject *u) { return num(7); }
static const TwMethodDef get_seven_def = {"getter", (void (*)(void))get_seven, TW_METH_NOARGS, NULL};

Test(typeobject, data_descriptor_beats_instance_dict)
{
    TwObject *ns = tw_dict_new();
    TwObject *fget = meth(&get_seven_def);
    ns_set(ns, "p", tw_property_new(fget, NULL, NULL, NULL));
    tw_decref(fget);
    TwObject *a = make_class_ns("A", ns, NULL);
    tw_decref(ns);
    TwObject *obj = call0(a);
    /* Put 'p' straight into the instance dict: the property still wins. */
    TwObject *dict = tw_object_get_dict(obj);
    cr_assert_eq(tw_dict_set_item_cstr(dict, "p", num(1)), 0);
    tw_decref(dict);
    cr_assert_eq(num_value(getattr(obj, "p")), 7);
    cr_assert_eq(setattr(obj, "p", num(3)), -1);
    assert_error(&tw_exc_AttributeError, "property 'p' of 'A' object has no setter");
    tw_decref(obj);
    tw_decref(a);
}

Test(typeobject, instance_dict_beats_class_attribute_and_method)
{
    TwObject *ns = tw_dict_new();
    ns_set(ns, "x", num(1));
    ns_set(ns, "m", meth(&get_seven_def));
    TwObject *a = make_class_ns("A", ns, NULL);
    tw_decref(ns);
    TwObject *obj = call0(a);
    cr_assert_eq(num_value(getattr(obj, "x")), 1);
    cr_assert_eq(setattr(obj, "x", num(2)), 0);
    cr_assert_eq(num_value(getattr(obj, "x")), 2);
    TwObject *cx = getattr(a, "x");
    cr_assert_eq(num_value(cx), 1);
    tw_decref(cx);
    /* A non-data descriptor (the method) is shadowed by the instance dict. */
    TwObject *m = getattr(obj, "m");
    TwObject *r = call0(m);
    cr_assert_eq(num_value(r), 7);
    tw_decref(m);
    cr_assert_eq(setattr(obj, "m", num(9)), 0);
    cr_assert_eq(num_value(getattr(obj, "m")), 9);
    int unbound;
    TwObject *gm = tw_object_get_method(obj, tw_str_intern_cstr("m"), &unbound);
    cr_assert_eq(unbound, 0);
    cr_assert_eq(num_value(gm), 9);
    /* Deleting the instance attribute uncovers the method again. */
    cr_assert_eq(setattr(obj, "m", NULL), 0);
    gm = tw_object_get_method(obj, tw_str_intern_cstr("m"), &unbound);
    cr_assert_eq(unbound, 1);
    tw_decref(gm);
    tw_decref(obj);
    tw_decref(a);
}

Test(typeobject, missing_attributes_raise_cpython_messages)
{
    TwObject *a = make_class("A", NULL);
    TwObject *obj = call0(a);
    cr_assert_null(getattr(obj, "x"));
    assert_error(&tw_exc_AttributeError, "'A' object has no attribute 'x'");
    cr_assert_null(getattr(a, "x"));
    assert_error(&tw_exc_AttributeError, "type object 'A' has no attribute 'x'");
    cr_assert_eq(setattr(obj, "x", NULL), -1);
    assert_error(&tw_exc_AttributeError, "'A' object has no attribute 'x'");
    TwObject *one = num(1);
    cr_assert_null(getattr(one, "x"));
    assert_error(&tw_exc_AttributeError, "'int' object has no attribute 'x'");
    cr_assert_eq(setattr(one, "x", one), -1);
    assert_error(&tw_exc_AttributeError, "'int' object has no attribute 'x'");
    cr_assert_eq(setattr((TwObject *)&tw_int_type, "x", one), -1);
    assert_error(&tw_exc_TypeError, "cannot set 'x' attribute of immutable type 'int'");
    cr_assert_eq(tw_object_hasattr(obj, tw_str_intern_cstr("x")), 0);
    cr_assert_null(tw_err_occurred());
    /* AttributeError carries name and obj. */
    cr_assert_null(getattr(obj, "zz"));
    TwObject *exc = tw_err_fetch();
    TwObject *name = getattr(exc, "name");
    assert_str(name, "zz");
    tw_decref(name);
    TwObject *o = getattr(exc, "obj");
    cr_assert_eq(o, obj);
    tw_decref(o);
    tw_decref(exc);
    tw_decref(obj);
    tw_decref(a);
}

Test(typeobject, class_attribute_change_reaches_subclasses_through_the_cache)
{
    TwObject *ns = tw_dict_new();
    ns_set(ns, "x", num(1));
    TwObject *a = make_class_ns("A", ns, NULL);
    tw_decref(ns);
    TwObject *b = make_class("B", (TwObject *[]){a, NULL});
    TwObject *obj = call0(b);
    for (int i = 0; i < 3; i++) /* warm the cache */
        cr_assert_eq(num_value(getattr(obj, "x")), 1);
    uint64_t vb = tw_type_version((TwType *)b);
    cr_assert_eq(setattr(a, "x", num(2)), 0);
    cr_assert_neq(tw_type_version((TwType *)b), vb);
    cr_assert_eq(num_value(getattr(obj, "x")), 2);
    cr_assert_eq(setattr(a, "x", NULL), 0);
    cr_assert_null(getattr(obj, "x"));
    assert_error(&tw_exc_AttributeError, "'B' object has no attribute 'x'");
    cr_assert_eq(setattr(a, "x", NULL), -1);
    assert_error(&tw_exc_AttributeError, "type object 'A' has no attribute 'x'");
    tw_decref(obj);
    tw_decref(b);
    tw_decref(a);
}

/* ---- methods, staticmethod, classmethod, property ------------------------------------------ */

static TwObject *return_self(TwObject *self, TwObject *u) { return tw_newref(self); }
static const TwMethodDef return_self_def = {"f", (void (*)(void))return_self, TW_METH_NOARGS, NULL};

Test(typeobject, bound_methods_bind_and_print_like_cpython)
{
    TwObject *ns = tw_dict_new();
    ns_set(ns, "f", meth(&return_self_def));
    TwObject *a = make_class_ns("A", ns, NULL);
    tw_decref(ns);
    TwObject *obj = call0(a);
    TwObject *m = getattr(obj, "f");
    cr_assert_not_null(m);
    TwObject *r = call0(m);
    cr_assert_eq(r, obj);
    tw_decref(r);
    tw_decref(m);
    /* A Python-level function bound to an instance: tw_method_new. */
    TwObject *f = getattr((TwObject *)&tw_object_type, "__dir__");
    TwObject *bm = tw_method_new(f, obj);
    assert_repr_prefix(bm, "<bound method object.__dir__ of <__main__.A object at 0x");
    TwObject *self = getattr(bm, "__self__");
    cr_assert_eq(self, obj);
    tw_decref(self);
    tw_decref(bm);
    tw_decref(f);
    tw_decref(obj);
    tw_decref(a);
}

Test(typeobject, staticmethod_and_classmethod)
{
    TwObject *ns = tw_dict_new();
    TwObject *f = meth(&return_self_def);
    ns_set(ns, "c", tw_classmethod_new(f));
    TwObject *id = getattr((TwObject *)&tw_object_type, "__dir__");
    tw_decref(f);
    TwObject *a = make_class_ns("A", ns, NULL);
    tw_decref(ns);
    TwObject *b = make_class("B", (TwObject *[]){a, NULL});
    TwObject *obj = call0(b);
    /* classmethod binds the class, from the class or from an instance. */
    TwObject *c = getattr(obj, "c");
    TwObject *r = call0(c);
    cr_assert_eq(r, b);
    tw_decref(r);
    tw_decref(c);
    c = getattr(a, "c");
    r = call0(c);
    cr_assert_eq(r, a);
    tw_decref(r);
    tw_decref(c);
    /* staticmethod returns the callable itself. */
    TwObject *sm = tw_staticmethod_new(id);
    cr_assert_eq(setattr(a, "s", sm), 0);
    TwObject *s = getattr(obj, "s");
    cr_assert_eq(s, id);
    tw_decref(s);
    assert_repr_prefix(sm, "<staticmethod(<method '__dir__' of 'object' objects>)>");
    tw_decref(sm);
    tw_decref(id);
    tw_decref(obj);
    tw_decref(b);
    tw_decref(a);
}

static TwObject *prop_get(TwObject *self, TwObject *u)
{
    TwObject *d = tw_object_get_dict(self);
    TwObject *v = NULL;
    tw_dict_get_item_cstr_ref(d, "_v", &v);
    tw_decref(d);
    if (v == NULL)
        tw_err_set_string(&tw_exc_AttributeError, "_v");
    return v;
}
static TwObject *prop_set(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw)
{
    TwObject *d = tw_object_get_dict(self);
    TwObject *doubled = tw_number_add(args[0], args[0]);
    tw_dict_set_item_cstr(d, "_v", doubled);
    tw_decref(doubled);
    tw_decref(d);
    return tw_newref(TW_NONE);
}
static TwObject *prop_del(TwObject *self, TwObject *u)
{
    TwObject *d = tw_object_get_dict(self);
    tw_dict_clear(d);
    tw_decref(d);
    return tw_newref(TW_NONE);
}
static const TwMethodDef prop_get_def = {"v", (void (*)(void))prop_get, TW_METH_NOARGS, NULL};
static const TwMethodDef prop_set_def = {"v", (void (*)(void))prop_set, TW_METH_FASTCALL, NULL};
static const TwMethodDef prop_del_def = {"v", (void (*)(void))prop_del, TW_METH_NOARGS, NULL};

Test(typeobject, property_getter_setter_deleter)
{
    /* p = property(get); p = p.setter(set); p = p.deleter(del) */
    TwObject *g = meth(&prop_get_def), *s = meth(&prop_set_def), *d = meth(&prop_del_def);
    TwObject *p = tw_property_new(g, NULL, NULL, NULL);
    TwObject *p2 = tw_object_call_method(p, "setter", &s, 1);
    cr_assert_not_null(p2);
    TwObject *p3 = tw_object_call_method(p2, "deleter", &d, 1);
    cr_assert_not_null(p3);
    TwObject *ns = tw_dict_new();
    ns_set(ns, "v", p3);
    ns_set(ns, "ro", p);
    TwObject *a = make_class_ns("A", ns, NULL);
    tw_decref(ns);
    TwObject *obj = call0(a);
    cr_assert_eq(setattr(obj, "v", num(21)), 0);
    cr_assert_eq(num_value(getattr(obj, "v")), 42);
    cr_assert_eq(setattr(obj, "v", NULL), 0);
    cr_assert_null(getattr(obj, "v"));
    assert_error(&tw_exc_AttributeError, "_v");
    /* The property set by __set_name__ knows its name. */
    cr_assert_eq(setattr(obj, "ro", num(1)), -1);
    assert_error(&tw_exc_AttributeError, "property 'ro' of 'A' object has no setter");
    cr_assert_eq(setattr(obj, "ro", NULL), -1);
    assert_error(&tw_exc_AttributeError, "property 'ro' of 'A' object has no deleter");
    TwObject *noget = tw_property_new(NULL, NULL, NULL, NULL);
    cr_assert_eq(setattr(a, "ng", noget), 0);
    cr_assert_null(getattr(obj, "ng"));
    assert_error(&tw_exc_AttributeError, "property of 'A' object has no getter");
    /* From the class, the property itself. */
    TwObject *cp = getattr(a, "ng");
    cr_assert_eq(cp, noget);
    tw_decref(cp);
    tw_decref(noget);
    tw_decref(p2);
    tw_decref(g);
    tw_decref(s);
    tw_decref(d);
    tw_decref(obj);
    tw_decref(a);
}

/* ---- super ---------------------------------------------------------------------------------- */

static TwObject *who_a(TwObject *self, TwObject *u) { return tw_str_from_cstr("A"); }
static TwObject *who_b(TwObject *self, TwObject *u) { return tw_str_from_cstr("B"); }
static const TwMethodDef who_a_def = {"who", (void (*)(void))who_a, TW_METH_NOARGS, NULL};
static const TwMethodDef who_b_def = {"who", (void (*)(void))who_b, TW_METH_NOARGS, NULL};

Test(typeobject, super_skips_to_the_next_class_in_the_mro)
{
    TwObject *ns = tw_dict_new();
    ns_set(ns, "who", meth(&who_a_def));
    TwObject *a = make_class_ns("A", ns, NULL);
    tw_decref(ns);
    ns = tw_dict_new();
    ns_set(ns, "who", meth(&who_b_def));
    TwObject *b = make_class_ns("B", ns, (TwObject *[]){a, NULL});
    tw_decref(ns);
    TwObject *c = make_class("C", (TwObject *[]){b, NULL});
    TwObject *obj = call0(c);
    TwObject *m = getattr(obj, "who");
    assert_str(call0(m), "B");
    tw_decref(m);
    /* super(B, obj).who() is A's; zero-argument super passes (B, obj). */
    TwObject *sup = tw_super_new((TwType *)b, obj);
    cr_assert_not_null(sup);
    m = getattr(sup, "who");
    TwObject *r = call0(m);
    assert_str(r, "A");
    tw_decref(r);
    tw_decref(m);
    assert_str(sup, "<super: <class 'B'>, <C object>>");
    tw_decref(sup);
    /* super(C, obj) finds B's; the Python-level call form works too. */
    TwObject *args[2] = {c, obj};
    sup = tw_object_vectorcall((TwObject *)&tw_super_type, args, 2, NULL);
    m = getattr(sup, "who");
    r = call0(m);
    assert_str(r, "B");
    tw_decref(r);
    tw_decref(m);
    cr_assert_null(getattr(sup, "nothing"));
    assert_error(&tw_exc_AttributeError, "'super' object has no attribute 'nothing'");
    tw_decref(sup);
    /* Errors. */
    TwObject *one = num(1);
    args[0] = a;
    args[1] = one;
    cr_assert_null(tw_object_vectorcall((TwObject *)&tw_super_type, args, 2, NULL));
    assert_error(&tw_exc_TypeError, "super(type, obj): obj must be an instance or subtype of type");
    args[0] = one;
    cr_assert_null(tw_object_vectorcall((TwObject *)&tw_super_type, args, 2, NULL));
    assert_error(&tw_exc_TypeError, "super() argument 1 must be a type, not int");
    cr_assert_null(tw_object_vectorcall((TwObject *)&tw_super_type, args, 0, NULL));
    assert_error(&tw_exc_RuntimeError, "super(): no arguments");
    tw_decref(obj);
    tw_decref(c);
    tw_decref(b);
    tw_decref(a);
}

/* ---- special methods ---------------------------------------------------------------------------- */

/* A class "V" holding an int in its dict under "v": __add__ adds ints and
 * V's, __radd__ handles int + V, __eq__ compares v, __repr__ prints V(v). */
static int64_t v_of(TwObject *self)
{
    TwObject *x = getattr(self, "v");
    int64_t r = num_value(x);
    tw_decref(x);
    return r;
}

static TwObject *V_class;

static TwObject *make_v(int64_t v)
{
    TwObject *obj = call0(V_class);
    cr_assert_not_null(obj);
    cr_assert_eq(setattr(obj, "v", num(v)), 0);
    return obj;
}

static TwObject *v_add(TwObject *self, TwObject *other)
{
    if (tw_int_check(other))
        return make_v(v_of(self) + tw_int_as_i64(other));
    if (tw_object_isinstance(other, V_class) == 1)
        return make_v(v_of(self) + v_of(other));
    return tw_newref(TW_NOTIMPLEMENTED);
}

static TwObject *v_radd(TwObject *self, TwObject *other)
{
    if (tw_int_check(other))
        return make_v(tw_int_as_i64(other) * 100 + v_of(self));
    return tw_newref(TW_NOTIMPLEMENTED);
}

static TwObject *v_eq(TwObject *self, TwObject *other)
{
    if (tw_object_isinstance(other, V_class) != 1)
        return tw_newref(TW_NOTIMPLEMENTED);
    return tw_newref(tw_bool_from_long(v_of(self) == v_of(other)));
}

static TwObject *v_lt(TwObject *self, TwObject *other)
{
    if (tw_object_isinstance(other, V_class) != 1)
        return tw_newref(TW_NOTIMPLEMENTED);
    return tw_newref(tw_bool_from_long(v_of(self) < v_of(other)));
}

static TwObject *v_repr(TwObject *self, TwObject *u) { return tw_str_from_format("V(%lld)", (long long)v_of(self)); }
static TwObject *v_neg(TwObject *self, TwObject *u) { return make_v(-v_of(self)); }
static TwObject *v_len(TwObject *self, TwObject *u) { return num(v_of(self)); }
static TwObject *v_bool(TwObject *self, TwObject *u) { return tw_newref(tw_bool_from_long(v_of(self) > 0)); }
static TwObject *v_getitem(TwObject *self, TwObject *k) { return tw_number_multiply(k, k); }
static TwObject *v_call(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw)
{
    return num((int64_t)nargs * 10 + (int64_t)(kw ? tw_tuple_size(kw) : 0));
}

static const TwMethodDef v_defs[] = {
    {"__add__", (void (*)(void))v_add, TW_METH_O, NULL},
    {"__radd__", (void (*)(void))v_radd, TW_METH_O, NULL},
    {"__eq__", (void (*)(void))v_eq, TW_METH_O, NULL},
    {"__lt__", (void (*)(void))v_lt, TW_METH_O, NULL},
    {"__repr__", (void (*)(void))v_repr, TW_METH_NOARGS, NULL},
    {"__neg__", (void (*)(void))v_neg, TW_METH_NOARGS, NULL},
    {"__len__", (void (*)(void))v_len, TW_METH_NOARGS, NULL},
    {"__bool__", (void (*)(void))v_bool, TW_METH_NOARGS, NULL},
    {"__getitem__", (void (*)(void))v_getitem, TW_METH_O, NULL},
    {"__call__", (void (*)(void))v_call, TW_METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL},
};

static void make_v_class(void)
{
    TwObject *ns = tw_dict_new();
    for (const TwMethodDef *d = v_defs; d->name; d++)
        ns_set(ns, d->name, meth(d));
    V_class = make_class_ns("V", ns, NULL);
    tw_decref(ns);
    cr_assert_not_null(V_class);
}

Test(typeobject, binary_operators_call_dunder_methods_and_reflected_ones)
{
    make_v_class();
    TwObject *a = make_v(2), *b = make_v(3), *one = num(1);
    TwObject *r = tw_number_add(a, b);
    assert_str(r, "V(5)");
    tw_decref(r);
    r = tw_number_add(a, one);
    assert_str(r, "V(3)");
    tw_decref(r);
    /* int + V: int declines, V.__radd__ answers. */
    r = tw_number_add(one, a);
    assert_str(r, "V(102)");
    tw_decref(r);
    /* No __sub__: CPython's message. */
    cr_assert_null(tw_number_subtract(a, one));
    assert_error(&tw_exc_TypeError, "unsupported operand type(s) for -: 'V' and 'int'");
    /* a += b without __iadd__ falls back to __add__. */
    r = tw_number_binop(0 /* TW_OP_ADD */, a, b, 1);
    assert_str(r, "V(5)");
    tw_decref(r);
    r = tw_number_negative(a);
    assert_str(r, "V(-2)");
    tw_decref(r);
    cr_assert_null(tw_number_invert(a));
    assert_error(&tw_exc_TypeError, "bad operand type for unary ~: 'V'");
    TwObject *objs[] = {a, b, one};
    for (int i = 0; i < 3; i++)
        tw_decref(objs[i]);
    tw_decref(V_class);
}

/* A subclass of V whose __radd__ must run first for V + W. */
static TwObject *w_radd(TwObject *self, TwObject *other) { return tw_str_from_cstr("W.__radd__"); }
static const TwMethodDef w_radd_def = {"__radd__", (void (*)(void))w_radd, TW_METH_O, NULL};

Test(typeobject, subclass_reflected_method_runs_first)
{
    make_v_class();
    TwObject *ns = tw_dict_new();
    ns_set(ns, "__radd__", meth(&w_radd_def));
    TwObject *w_class = make_class_ns("W", ns, (TwObject *[]){V_class, NULL});
    tw_decref(ns);
    TwObject *v = make_v(1);
    TwObject *w = call0(w_class);
    setattr(w, "v", num(5));
    TwObject *r = tw_number_add(v, w);
    assert_str(r, "W.__radd__");
    tw_decref(r);
    /* W + V: W's own __add__ (inherited from V). */
    r = tw_number_add(w, v);
    assert_str(r, "V(6)");
    tw_decref(r);
    tw_decref(v);
    tw_decref(w);
    tw_decref(w_class);
    tw_decref(V_class);
}

Test(typeobject, comparisons_use_dunders_and_reflection)
{
    make_v_class();
    TwObject *a = make_v(2), *b = make_v(3), *a2 = make_v(2), *one = num(1);
    cr_assert_eq(tw_object_richcompare_bool(a, a2, TW_EQ), 1);
    /* != without __ne__: object.__ne__ inverts __eq__. */
    cr_assert_eq(tw_object_richcompare_bool(a, b, TW_NE), 1);
    cr_assert_eq(tw_object_richcompare_bool(a, a2, TW_NE), 0);
    cr_assert_eq(tw_object_richcompare_bool(a, b, TW_LT), 1);
    /* b > a has no __gt__: the reflected a < b answers. */
    cr_assert_eq(tw_object_richcompare_bool(b, a, TW_GT), 1);
    /* Against an int: == falls back to identity, < fails. */
    cr_assert_eq(tw_object_richcompare_bool(a, one, TW_EQ), 0);
    cr_assert_eq(tw_object_richcompare_bool(one, a, TW_NE), 1);
    cr_assert_eq(tw_object_richcompare_bool(a, one, TW_LT), -1);
    assert_error(&tw_exc_TypeError, "'<' not supported between instances of 'V' and 'int'");
    cr_assert_eq(tw_object_richcompare_bool(one, a, TW_LE), -1);
    assert_error(&tw_exc_TypeError, "'<=' not supported between instances of 'int' and 'V'");
    /* __eq__ without __hash__: unhashable. */
    cr_assert_eq(tw_object_hash(a), -1);
    assert_error(&tw_exc_TypeError, "unhashable type: 'V'");
    TwObject *objs[] = {a, b, a2, one};
    for (int i = 0; i < 4; i++)
        tw_decref(objs[i]);
    tw_decref(V_class);
}

Test(typeobject, container_call_repr_and_truth_dunders)
{
    make_v_class();
    TwObject *a = make_v(4), *z = make_v(0);
    cr_assert_eq(tw_object_len(a), 4);
    cr_assert_eq(tw_object_is_true(a), 1);
    cr_assert_eq(tw_object_is_true(z), 0);
    TwObject *k = num(6);
    TwObject *r = tw_object_getitem(a, k);
    cr_assert_eq(num_value(r), 36);
    tw_decref(r);
    cr_assert_eq(tw_object_setitem(a, k, k), -1);
    assert_error(&tw_exc_TypeError, "'V' object does not support item assignment");
    TwObject *args[3] = {k, k, k};
    TwObject *kw = tw_tuple_pack(1, tw_str_intern_cstr("x"));
    r = tw_object_vectorcall(a, args, 2, kw);
    cr_assert_eq(num_value(r), 21);
    tw_decref(r);
    tw_decref(kw);
    TwObject *s = tw_object_repr(a);
    cr_assert_str_eq(tw_str_utf8(s), "V(4)");
    tw_decref(s);
    s = tw_object_str(a); /* __str__ defaults to __repr__ */
    cr_assert_str_eq(tw_str_utf8(s), "V(4)");
    tw_decref(s);
    /* make_v(-1) has a negative __len__. */
    TwObject *neg = make_v(-1);
    cr_assert_eq(tw_object_len(neg), -1);
    assert_error(&tw_exc_ValueError, "__len__() should return >= 0");
    tw_decref(neg);
    tw_decref(k);
    tw_decref(a);
    tw_decref(z);
    tw_decref(V_class);
}

static TwObject *it_iter(TwObject *self, TwObject *u) { return tw_newref(self); }
static TwObject *it_next(TwObject *self, TwObject *u)
{
    int64_t v = v_of(self);
    if (v >= 3) {
        tw_err_set_object(&tw_exc_StopIteration, TW_NONE);
        return NULL;
    }
    setattr(self, "v", num(v + 1));
    return num(v);
}
static const TwMethodDef it_defs[] = {
    {"__iter__", (void (*)(void))it_iter, TW_METH_NOARGS, NULL},
    {"__next__", (void (*)(void))it_next, TW_METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

Test(typeobject, iteration_protocol_through_iter_and_next)
{
    TwObject *ns = tw_dict_new();
    for (const TwMethodDef *d = it_defs; d->name; d++)
        ns_set(ns, d->name, meth(d));
    V_class = make_class_ns("Counter", ns, NULL);
    tw_decref(ns);
    TwObject *c = make_v(0);
    TwObject *list = tw_sequence_list(c);
    assert_str(list, "[0, 1, 2]");
    tw_decref(list);
    /* in: no __contains__, so iteration decides. */
    setattr(c, "v", num(0));
    TwObject *two = num(2);
    cr_assert_eq(tw_sequence_contains(c, two), 1);
    tw_decref(two);
    tw_decref(c);
    tw_decref(V_class);
}

static TwObject *init_store(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw)
{
    if (nargs != 1) {
        tw_err_format(&tw_exc_TypeError, "__init__ wants 1 argument, got %zu", nargs);
        return NULL;
    }
    setattr(self, "v", args[0]);
    return tw_newref(TW_NONE);
}
static TwObject *init_bad(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw)
{
    return num(1);
}
static const TwMethodDef init_store_def = {"__init__", (void (*)(void))init_store, TW_METH_FASTCALL, NULL};
static const TwMethodDef init_bad_def = {"__init__", (void (*)(void))init_bad, TW_METH_FASTCALL, NULL};

Test(typeobject, instantiation_runs_init_and_checks_arguments)
{
    TwObject *ns = tw_dict_new();
    ns_set(ns, "__init__", meth(&init_store_def));
    TwObject *a = make_class_ns("A", ns, NULL);
    tw_decref(ns);
    TwObject *x = num(8);
    TwObject *obj = tw_object_call_one(a, x);
    cr_assert_eq(num_value(getattr(obj, "v")), 8);
    tw_decref(obj);
    cr_assert_null(call0(a));
    assert_error(&tw_exc_TypeError, "__init__ wants 1 argument, got 0");
    /* No __init__: object() takes no arguments. */
    TwObject *b = make_class("B", NULL);
    cr_assert_null(tw_object_call_one(b, x));
    assert_error(&tw_exc_TypeError, "B() takes no arguments");
    ns = tw_dict_new();
    ns_set(ns, "__init__", meth(&init_bad_def));
    TwObject *c = make_class_ns("C", ns, NULL);
    tw_decref(ns);
    cr_assert_null(call0(c));
    assert_error(&tw_exc_TypeError, "__init__() should return None, not 'int'");
    tw_decref(x);
    tw_decref(c);
    tw_decref(b);
    tw_decref(a);
}

/* ---- subclassing built-in types ------------------------------------------------------------ */

Test(typeobject, list_subclass_keeps_list_behaviour_and_gets_a_dict)
{
    TwObject *ml = make_class("MyList", (TwObject *[]){(TwObject *)&tw_list_type, NULL});
    TwObject *obj = call0(ml);
    cr_assert_not_null(obj);
    cr_assert(tw_list_check(obj));
    TwObject *one = num(1);
    TwObject *r = tw_object_call_method(obj, "append", &one, 1);
    tw_decref(r);
    cr_assert_eq(tw_object_len(obj), 1);
    assert_str(obj, "[1]");
    cr_assert_eq(setattr(obj, "tag", one), 0);
    cr_assert_eq(num_value(getattr(obj, "tag")), 1);
    TwObject *t = tw_tuple_pack(2, one, one);
    TwObject *obj2 = tw_object_call_one(ml, t);
    assert_str(obj2, "[1, 1]");
    tw_decref(obj2);
    tw_decref(t);
    tw_decref(one);
    tw_decref(obj);
    tw_decref(ml);
}

static TwObject *missing(TwObject *self, TwObject *key) { return tw_number_add(key, key); }
static const TwMethodDef missing_def = {"__missing__", (void (*)(void))missing, TW_METH_O, NULL};

Test(typeobject, dict_subclass_missing_supplies_absent_keys)
{
    TwObject *ns = tw_dict_new();
    ns_set(ns, "__missing__", meth(&missing_def));
    TwObject *md = make_class_ns("D", ns, (TwObject *[]){(TwObject *)&tw_dict_type, NULL});
    tw_decref(ns);
    TwObject *d = call0(md);
    TwObject *k = num(21);
    TwObject *r = tw_object_getitem(d, k);
    cr_assert_eq(num_value(r), 42);
    tw_decref(r);
    tw_decref(k);
    tw_decref(d);
    tw_decref(md);
}

Test(typeobject, int_and_tuple_subclasses)
{
    TwObject *mi = make_class("MyInt", (TwObject *[]){(TwObject *)&tw_int_type, NULL});
    TwObject *seven = num(7);
    TwObject *obj = tw_object_call_one(mi, seven);
    cr_assert_not_null(obj);
    cr_assert_eq(TW_TYPE(obj), (TwType *)mi);
    cr_assert_eq(setattr(obj, "unit", seven), 0);
    TwObject *r = tw_number_add(obj, seven);
    cr_assert_eq(num_value(r), 14);
    tw_decref(r);
    assert_str(obj, "7");
    tw_decref(obj);
    TwObject *mt = make_class("Pair", (TwObject *[]){(TwObject *)&tw_tuple_type, NULL});
    TwObject *l = tw_list_new(0);
    tw_list_append(l, seven);
    tw_list_append(l, seven);
    obj = tw_object_call_one(mt, l);
    cr_assert_not_null(obj);
    cr_assert_eq(tw_object_len(obj), 2);
    assert_str(obj, "(7, 7)");
    cr_assert_eq(setattr(obj, "name", seven), 0);
    tw_decref(obj);
    tw_decref(l);
    tw_decref(seven);
    tw_decref(mt);
    tw_decref(mi);
}

/* ---- exceptions ----------------------------------------------------------------------------- */

Test(typeobject, exception_subclass_is_raisable_and_prints_like_cpython)
{
    TwObject *my = make_class("MyError", (TwObject *[]){(TwObject *)&tw_exc_ValueError, NULL});
    TwObject *msg = str("bad thing");
    TwObject *e = tw_object_call_one(my, msg);
    cr_assert_not_null(e);
    cr_assert(tw_exception_check(e));
    cr_assert_eq(tw_object_isinstance(e, (TwObject *)&tw_exc_Exception), 1);
    assert_str(e, "bad thing");
    TwObject *r = tw_object_repr(e);
    cr_assert_str_eq(tw_str_utf8(r), "MyError('bad thing')");
    tw_decref(r);
    TwObject *args = getattr(e, "args");
    assert_str(args, "('bad thing',)");
    tw_decref(args);
    cr_assert_eq(setattr(e, "code", msg), 0);
    assert_str(getattr(e, "code"), "bad thing");
    tw_err_restore(tw_newref(e));
    cr_assert(tw_err_matches(&tw_exc_ValueError));
    tw_err_clear();
    tw_decref(e);
    tw_decref(msg);
    tw_decref(my);
}

Test(typeobject, exception_str_and_repr_for_argument_counts)
{
    TwObject *a = num(1), *b = str("x");
    TwObject *args = tw_tuple_pack(2, a, b);
    TwObject *e = tw_exception_new(&tw_exc_ValueError, args);
    assert_str(e, "(1, 'x')");
    TwObject *r = tw_object_repr(e);
    cr_assert_str_eq(tw_str_utf8(r), "ValueError(1, 'x')");
    tw_decref(r);
    tw_decref(e);
    e = tw_exception_new(&tw_exc_KeyError, NULL);
    assert_str(e, "");
    r = tw_object_repr(e);
    cr_assert_str_eq(tw_str_utf8(r), "KeyError()");
    tw_decref(r);
    tw_decref(e);
    tw_err_set_object(&tw_exc_KeyError, b);
    e = tw_err_fetch();
    assert_str(e, "'x'");
    tw_decref(e);
    tw_decref(args);
    tw_decref(a);
    tw_decref(b);
}

Test(typeobject, exception_chaining_attributes)
{
    TwObject *e = tw_exception_new(&tw_exc_RuntimeError, NULL);
    TwObject *cause = tw_exception_new(&tw_exc_KeyError, NULL);
    TwObject *v = getattr(e, "__cause__");
    cr_assert_eq(v, TW_NONE);
    v = getattr(e, "__suppress_context__");
    cr_assert_eq(v, TW_FALSE);
    cr_assert_eq(setattr(e, "__cause__", cause), 0);
    v = getattr(e, "__suppress_context__");
    cr_assert_eq(v, TW_TRUE);
    v = getattr(e, "__cause__");
    cr_assert_eq(v, cause);
    tw_decref(v);
    TwObject *one = num(1);
    cr_assert_eq(setattr(e, "__context__", one), -1);
    assert_error(&tw_exc_TypeError, "exception context must be None or derive from BaseException");
    tw_exception_set_context(e, cause);
    v = tw_exception_get_context(e);
    cr_assert_eq(v, cause);
    tw_decref(v);
    v = getattr(e, "__traceback__");
    cr_assert_eq(v, TW_NONE);
    tw_decref(one);
    tw_decref(cause);
    tw_decref(e);
}

Test(typeobject, exception_families_parse_their_arguments)
{
    TwObject *two = num(2), *msg = str("No such file"), *fn = str("x.txt");
    TwObject *args = tw_tuple_pack(3, two, msg, fn);
    TwObject *e = tw_exception_new(&tw_exc_OSError, args);
    cr_assert_eq(TW_TYPE(e), &tw_exc_FileNotFoundError);
    assert_str(e, "[Errno 2] No such file: 'x.txt'");
    TwObject *r = tw_object_repr(e);
    cr_assert_str_eq(tw_str_utf8(r), "FileNotFoundError(2, 'No such file')");
    tw_decref(r);
    cr_assert_eq(num_value(getattr(e, "errno")), 2);
    tw_decref(e);
    tw_decref(args);
    args = tw_tuple_pack(1, two);
    e = tw_exception_new(&tw_exc_StopIteration, args);
    cr_assert_eq(num_value(getattr(e, "value")), 2);
    tw_decref(e);
    e = tw_exception_new(&tw_exc_SystemExit, args);
    cr_assert_eq(num_value(getattr(e, "code")), 2);
    tw_decref(e);
    e = tw_exception_new(&tw_exc_SystemExit, NULL);
    cr_assert_eq(getattr(e, "code"), TW_NONE);
    tw_decref(e);
    TwObject *nm = str("undefined");
    tw_err_name_error(&tw_exc_NameError, "name 'undefined' is not defined", nm);
    e = tw_err_fetch();
    assert_str(e, "name 'undefined' is not defined");
    TwObject *got = getattr(e, "name");
    cr_assert_eq(got, nm);
    tw_decref(got);
    tw_decref(e);
    tw_decref(nm);
    cr_assert(tw_type_is_subtype(&tw_exc_UnboundLocalError, &tw_exc_NameError));
    cr_assert(tw_type_is_subtype(&tw_exc_ConnectionResetError, &tw_exc_ConnectionError));
    cr_assert(tw_type_is_subtype(&tw_exc_ModuleNotFoundError, &tw_exc_ImportError));
    tw_decref(args);
    tw_decref(two);
    tw_decref(msg);
    tw_decref(fn);
}

/* ---- C methods --------------------------------------------------------------------------------- */

Test(typeobject, c_method_argument_errors_match_cpython)
{
    TwObject *l = tw_list_new(0);
    TwObject *append = getattr(l, "append");
    cr_assert_null(call0(append));
    assert_error(&tw_exc_TypeError, "list.append() takes exactly one argument (0 given)");
    TwObject *one = num(1);
    TwObject *clear = getattr(l, "clear");
    cr_assert_null(tw_object_call_one(clear, one));
    assert_error(&tw_exc_TypeError, "list.clear() takes no arguments (1 given)");
    TwObject *descr = getattr((TwObject *)&tw_list_type, "append");
    cr_assert_null(call0(descr));
    assert_error(&tw_exc_TypeError, "unbound method list.append() needs an argument");
    TwObject *args[2] = {one, one};
    cr_assert_null(tw_object_vectorcall(descr, args, 2, NULL));
    assert_error(&tw_exc_TypeError, "descriptor 'append' for 'list' objects doesn't apply to a 'int' object");
    assert_str(descr, "<method 'append' of 'list' objects>");
    TwObject *w = getattr((TwObject *)&tw_list_type, "__len__");
    assert_str(w, "<slot wrapper '__len__' of 'list' objects>");
    TwObject *n = tw_object_call_one(w, l);
    cr_assert_eq(num_value(n), 0);
    tw_decref(n);
    tw_decref(w);
    tw_decref(descr);
    tw_decref(clear);
    tw_decref(append);
    tw_decref(one);
    tw_decref(l);
}

/* ---- threads ------------------------------------------------------------------------------------- */

static TwObject *shared_class;
static TwObject *shared_obj;

/* Readers look up a class attribute and a method while writers rebind a
 * class attribute: every read sees an int (never freed memory). */
static void lookup_worker(int index, void *arg)
{
    TwObject *xname = tw_str_intern_cstr("x");
    for (int i = 0; i < 2000; i++) {
        if (index == 0) {
            TwObject *v = tw_int_from_i64(1000000 + i); /* not a cached small int */
            cr_assert_eq(tw_object_setattr(shared_class, xname, v), 0);
            tw_decref(v);
        } else {
            TwObject *v = tw_object_getattr(shared_obj, xname);
            cr_assert_not_null(v);
            cr_assert(tw_int_check(v));
            tw_decref(v);
            TwObject *m = tw_object_getattr(shared_obj, tw_str_intern_cstr("f"));
            cr_assert_not_null(m);
            tw_decref(m);
        }
    }
}

Test(typeobject, threads_share_a_class_while_it_changes)
{
    TwObject *ns = tw_dict_new();
    ns_set(ns, "x", num(1));
    ns_set(ns, "f", meth(&return_self_def));
    shared_class = make_class_ns("Shared", ns, NULL);
    tw_decref(ns);
    shared_obj = call0(shared_class);
    tw_test_run_threads(4, lookup_worker, NULL);
    TwObject *v = getattr(shared_obj, "x");
    cr_assert_eq(num_value(v), 1000000 + 1999);
    tw_decref(v);
    tw_decref(shared_obj);
    tw_decref(shared_class);
}

/* Many threads set attributes on the same fresh instances: the lazily
 * created __dict__ is one dict, and no attribute is lost. */
static TwObject *fresh_objs[64];

static void dict_race_worker(int index, void *arg)
{
    char name[16];
    snprintf(name, sizeof name, "a%d", index);
    TwObject *key = tw_str_intern_cstr(name);
    TwObject *v = tw_int_from_i64(index);
    for (int i = 0; i < 64; i++)
        cr_assert_eq(tw_object_setattr(fresh_objs[i], key, v), 0);
    tw_decref(v);
}

Test(typeobject, concurrent_first_attribute_stores_share_one_dict)
{
    TwObject *a = make_class("A", NULL);
    for (int i = 0; i < 64; i++)
        fresh_objs[i] = call0(a);
    tw_test_run_threads(4, dict_race_worker, NULL);
    for (int i = 0; i < 64; i++) {
        TwObject *d = tw_object_get_dict(fresh_objs[i]);
        cr_assert_eq(tw_dict_size(d), 4);
        tw_decref(d);
        tw_decref(fresh_objs[i]);
    }
    tw_decref(a);
}

/* ---- lifetime ------------------------------------------------------------------------------------- */

Test(typeobject, instances_and_classes_are_freed)
{
    int64_t base = tw_test_live();
    TwObject *ns = tw_dict_new();
    ns_set(ns, "x", num(1000000));
    TwObject *a = make_class_ns("A", ns, NULL);
    tw_decref(ns);
    TwObject *b = make_class("B", (TwObject *[]){a, NULL});
    TwObject *obj = call0(b);
    cr_assert_eq(setattr(obj, "y", obj), 0); /* a cycle through the instance dict... */
    cr_assert_eq(setattr(obj, "y", NULL), 0); /* ...broken again */
    TwObject *v = num(123456789);
    setattr(obj, "z", v);
    tw_decref(v);
    tw_decref(obj);
    tw_decref(b);
    tw_decref(a);
    tw_test_assert_no_leak(base);
}
