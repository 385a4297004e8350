/* The random module: CPython's Mersenne Twister with CPython's seeding, so
 * that a seed gives the same numbers as CPython's random module.
 *
 * The generator is MT19937 (Matsumoto and Nishimura).  Seeding follows
 * CPython 3.11: an int seeds with the 32-bit words of its absolute value,
 * least significant first (init_by_array); a str, bytes or bytearray with
 * the big-endian int of its bytes followed by their SHA-512 digest
 * ("version 2" seeding; version=1 keeps the old string hash); a float with
 * its hash; None with 624 words from the operating system's random source.
 * random() builds a double from 27 + 26 bits of two words; getrandbits(k)
 * fills k bits word by word from the least significant end; _randbelow(n)
 * draws getrandbits(n.bit_length()) until the value is below n.  The
 * higher-level methods (randrange, choice, choices, shuffle, sample,
 * uniform, gauss, ...) are CPython 3.11's algorithms over those
 * primitives, drawing the same words in the same order.
 *
 * Random is a class: each instance has its own state, and Python classes
 * may subclass it.  A subclass that overrides random() sees its override
 * used by the methods that draw floats (choices, uniform, gauss, ...);
 * integer draws always come from the instance's own generator.
 *
 * Thread safety: an instance's state (mt, index, gauss_next) is protected
 * by its critical section, taken around each primitive draw and never held
 * while Python code runs; the module-level functions are the bound methods
 * of one shared instance.  A method that draws several times (shuffle,
 * sample) is not atomic as a whole, as in CPython. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "core/intgmp.h"
#include "core/scalar.h"
#include "core/tstate.h"
#include "core/builtins.h"

#define FN(f) ((void (*)(void))(f))

/* ---- SHA-512 (FIPS 180-4), for version 2 seeding of str and bytes ------------------- */

/* First 64 bits of the fractional parts of the cube roots of the first 80
 * primes. */
static const uint64_t sha512_k[80] = {
    UINT64_C(0x428a2f98d728ae22), UINT64_C(0x7137449123ef65cd), UINT64_C(0xb5c0fbcfec4d3b2f),
    UINT64_C(0xe9b5dba58189dbbc), UINT64_C(0x3956c25bf348b538), UINT64_C(0x59f111f1b605d019),
    UINT64_C(0x923f82a4af194f9b), UINT64_C(0xab1c5ed5da6d8118), UINT64_C(0xd807aa98a3030242),
    UINT64_C(0x12835b0145706fbe), UINT64_C(0x243185be4ee4b28c), UINT64_C(0x550c7dc3d5ffb4e2),
    UINT64_C(0x72be5d74f27b896f), UINT64_C(0x80deb1fe3b1696b1), UINT64_C(0x9bdc06a725c71235),
    UINT64_C(0xc19bf174cf692694), UINT64_C(0xe49b69c19ef14ad2), UINT64_C(0xefbe4786384f25e3),
    UINT64_C(0x0fc19dc68b8cd5b5), UINT64_C(0x240ca1cc77ac9c65), UINT64_C(0x2de92c6f592b0275),
    UINT64_C(0x4a7484aa6ea6e483), UINT64_C(0x5cb0a9dcbd41fbd4), UINT64_C(0x76f988da831153b5),
    UINT64_C(0x983e5152ee66dfab), UINT64_C(0xa831c66d2db43210), UINT64_C(0xb00327c898fb213f),
    UINT64_C(0xbf597fc7beef0ee4), UINT64_C(0xc6e00bf33da88fc2), UINT64_C(0xd5a79147930aa725),
    UINT64_C(0x06ca6351e003826f), UINT64_C(0x142929670a0e6e70), UINT64_C(0x27b70a8546d22ffc),
    UINT64_C(0x2e1b21385c26c926), UINT64_C(0x4d2c6dfc5ac42aed), UINT64_C(0x53380d139d95b3df),
    UINT64_C(0x650a73548baf63de), UINT64_C(0x766a0abb3c77b2a8), UINT64_C(0x81c2c92e47edaee6),
    UINT64_C(0x92722c851482353b), UINT64_C(0xa2bfe8a14cf10364), UINT64_C(0xa81a664bbc423001),
    UINT64_C(0xc24b8b70d0f89791), UINT64_C(0xc76c51a30654be30), UINT64_C(0xd192e819d6ef5218),
    UINT64_C(0xd69906245565a910), UINT64_C(0xf40e35855771202a), UINT64_C(0x106aa07032bbd1b8),
    UINT64_C(0x19a4c116b8d2d0c8), UINT64_C(0x1e376c085141ab53), UINT64_C(0x2748774cdf8eeb99),
    UINT64_C(0x34b0bcb5e19b48a8), UINT64_C(0x391c0cb3c5c95a63), UINT64_C(0x4ed8aa4ae3418acb),
    UINT64_C(0x5b9cca4f7763e373), UINT64_C(0x682e6ff3d6b2b8a3), UINT64_C(0x748f82ee5defb2fc),
    UINT64_C(0x78a5636f43172f60), UINT64_C(0x84c87814a1f0ab72), UINT64_C(0x8cc702081a6439ec),
    UINT64_C(0x90befffa23631e28), UINT64_C(0xa4506cebde82bde9), UINT64_C(0xbef9a3f7b2c67915),
    UINT64_C(0xc67178f2e372532b), UINT64_C(0xca273eceea26619c), UINT64_C(0xd186b8c721c0c207),
    UINT64_C(0xeada7dd6cde0eb1e), UINT64_C(0xf57d4f7fee6ed178), UINT64_C(0x06f067aa72176fba),
    UINT64_C(0x0a637dc5a2c898a6), UINT64_C(0x113f9804bef90dae), UINT64_C(0x1b710b35131c471b),
    UINT64_C(0x28db77f523047d84), UINT64_C(0x32caab7b40c72493), UINT64_C(0x3c9ebe0a15c9bebc),
    UINT64_C(0x431d67c49c100d4c), UINT64_C(0x4cc5d4becb3e42b6), UINT64_C(0x597f299cfc657e2a),
    UINT64_C(0x5fcb6fab3ad6faec), UINT64_C(0x6c44198c4a475817),
};

static inline uint64_t ror64(uint64_t x, int n)
{
    return (x >> n) | (x << (64 - n));
}

static void sha512_block(uint64_t h[8], const unsigned char *p)
{
    uint64_t w[80];
    for (int t = 0; t < 16; t++) {
        w[t] = 0;
        for (int i = 0; i < 8; i++)
            w[t] = (w[t] << 8) | p[8 * t + i];
    }
    for (int t = 16; t < 80; t++) {
        uint64_t s0 = ror64(w[t - 15], 1) ^ ror64(w[t - 15], 8) ^ (w[t - 15] >> 7);
        uint64_t s1 = ror64(w[t - 2], 19) ^ ror64(w[t - 2], 61) ^ (w[t - 2] >> 6);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 80; t++) {
        uint64_t t1 = hh + (ror64(e, 14) ^ ror64(e, 18) ^ ror64(e, 41)) + ((e & f) ^ (~e & g)) +
                      sha512_k[t] + w[t];
        uint64_t t2 = (ror64(a, 28) ^ ror64(a, 34) ^ ror64(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

/* The 64-byte SHA-512 digest of n bytes. */
static void sha512(const unsigned char *data, size_t n, unsigned char out[64])
{
    /* First 64 bits of the fractional parts of the square roots of the
     * first 8 primes. */
    uint64_t h[8] = {UINT64_C(0x6a09e667f3bcc908), UINT64_C(0xbb67ae8584caa73b),
                     UINT64_C(0x3c6ef372fe94f82b), UINT64_C(0xa54ff53a5f1d36f1),
                     UINT64_C(0x510e527fade682d1), UINT64_C(0x9b05688c2b3e6c1f),
                     UINT64_C(0x1f83d9abfb41bd6b), UINT64_C(0x5be0cd19137e2179)};
    size_t done = 0;
    for (; n - done >= 128; done += 128)
        sha512_block(h, data + done);
    unsigned char last[256] = {0};
    size_t rest = n - done;
    memcpy(last, data + done, rest);
    last[rest] = 0x80;
    size_t blocks = rest + 1 + 16 > 128 ? 2 : 1;
    uint64_t bits = (uint64_t)n * 8; /* the high 64 bits of the 128-bit length stay 0 */
    for (int i = 0; i < 8; i++)
        last[blocks * 128 - 1 - i] = (unsigned char)(bits >> (8 * i));
    for (size_t b = 0; b < blocks; b++)
        sha512_block(h, last + 128 * b);
    for (int i = 0; i < 64; i++)
        out[i] = (unsigned char)(h[i / 8] >> (56 - 8 * (i % 8)));
}

/* ---- the generator ------------------------------------------------------------------ */

#define MT_N 624
#define MT_M 397

typedef struct {
    TwObject ob_base;
    /* All protected by the instance's critical section. */
    uint32_t mt[MT_N];
    int index;        /* next word of mt to temper; MT_N: regenerate first */
    int has_gauss;    /* gauss() keeps its second value for the next call */
    double gauss_next;
} RandomObject;

static TwType random_type;

#define RND(op) ((RandomObject *)(op))

static void init_genrand(RandomObject *r, uint32_t s)
{
    r->mt[0] = s;
    for (uint32_t i = 1; i < MT_N; i++)
        r->mt[i] = 1812433253U * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + i;
    r->index = MT_N;
}

static void init_by_array(RandomObject *r, const uint32_t *key, size_t len)
{
    init_genrand(r, 19650218U);
    size_t i = 1, j = 0;
    for (size_t k = MT_N > len ? MT_N : len; k > 0; k--) {
        r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) * 1664525U)) + key[j] +
                   (uint32_t)j;
        i++, j++;
        if (i >= MT_N) {
            r->mt[0] = r->mt[MT_N - 1];
            i = 1;
        }
        if (j >= len)
            j = 0;
    }
    for (size_t k = MT_N - 1; k > 0; k--) {
        r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) * 1566083941U)) -
                   (uint32_t)i;
        i++;
        if (i >= MT_N) {
            r->mt[0] = r->mt[MT_N - 1];
            i = 1;
        }
    }
    r->mt[0] = 0x80000000U;
    r->has_gauss = 0;
}

/* The next 32-bit word (critical section held). */
static uint32_t genrand(RandomObject *r)
{
    static const uint32_t mag01[2] = {0, 0x9908b0dfU};
    if (r->index >= MT_N) {
        uint32_t *mt = r->mt, y;
        int kk;
        for (kk = 0; kk < MT_N - MT_M; kk++) {
            y = (mt[kk] & 0x80000000U) | (mt[kk + 1] & 0x7fffffffU);
            mt[kk] = mt[kk + MT_M] ^ (y >> 1) ^ mag01[y & 1];
        }
        for (; kk < MT_N - 1; kk++) {
            y = (mt[kk] & 0x80000000U) | (mt[kk + 1] & 0x7fffffffU);
            mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 1];
        }
        y = (mt[MT_N - 1] & 0x80000000U) | (mt[0] & 0x7fffffffU);
        mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 1];
        r->index = 0;
    }
    uint32_t y = r->mt[r->index++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= y >> 18;
    return y;
}

/* A double in [0, 1) from 53 random bits (critical section held). */
static double genrand_double(RandomObject *r)
{
    uint32_t a = genrand(r) >> 5, b = genrand(r) >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

/* k random bits (k <= 64) as CPython assembles them (critical section held). */
static uint64_t genrand_bits64(RandomObject *r, int k)
{
    if (k <= 32)
        return k == 0 ? 0 : genrand(r) >> (32 - k);
    uint64_t lo = genrand(r);
    uint64_t hi = genrand(r) >> (64 - k);
    return hi << 32 | lo;
}

/* k random bits into z: 32-bit words from the least significant end, the
 * last one keeping its top bits (critical section held).  words: scratch of
 * (k + 31) / 32 entries. */
static void genrand_bits_mpz(RandomObject *r, uint64_t k, uint32_t *words, mpz_ptr z)
{
    size_t n = (size_t)((k + 31) / 32);
    for (size_t i = 0; i < n; i++, k -= 32) {
        uint32_t w = genrand(r);
        if (k < 32)
            w >>= 32 - k;
        words[i] = w;
    }
    mpz_import(z, n, -1, sizeof(uint32_t), 0, 0, words);
}

/* ---- seeding ---------------------------------------------------------------------- */

/* Seed from the big-endian bytes followed by their SHA-512 digest. */
static void seed_from_bytes(RandomObject *r, const unsigned char *data, size_t n)
{
    unsigned char *buf = tw_mem_malloc(n + 64);
    mpz_t z;
    mpz_init(z);
    if (buf != NULL) {
        memcpy(buf, data, n);
        sha512(data, n, buf + n);
        mpz_import(z, n + 64, 1, 1, 0, 0, buf);
        tw_mem_free(buf);
    }
    size_t count = (mpz_sizeinbase(z, 2) + 31) / 32;
    uint32_t *key = tw_mem_malloc((count ? count : 1) * sizeof(uint32_t));
    if (key != NULL) {
        mpz_export(key, &count, -1, sizeof(uint32_t), 0, 0, z);
        if (count == 0)
            key[count++] = 0;
        TW_BEGIN_CRITICAL_SECTION(r);
        init_by_array(r, key, count);
        TW_END_CRITICAL_SECTION();
        tw_mem_free(key);
    }
    mpz_clear(z);
}

/* Seed from |z|: its 32-bit words, least significant first. */
static int seed_from_mpz(RandomObject *r, mpz_ptr z)
{
    mpz_abs(z, z);
    size_t count = (mpz_sizeinbase(z, 2) + 31) / 32;
    uint32_t *key = tw_mem_malloc((count ? count : 1) * sizeof(uint32_t));
    if (key == NULL) {
        tw_err_no_memory();
        return -1;
    }
    mpz_export(key, &count, -1, sizeof(uint32_t), 0, 0, z);
    if (count == 0)
        key[count++] = 0;
    TW_BEGIN_CRITICAL_SECTION(r);
    init_by_array(r, key, count);
    TW_END_CRITICAL_SECTION();
    tw_mem_free(key);
    return 0;
}

/* 624 words from the system's random source (the time and pid if it
 * fails). */
static void seed_from_os(RandomObject *r)
{
    uint32_t key[MT_N];
    size_t got = 0;
    while (got < sizeof(key)) {
        ssize_t n = getrandom((char *)key + got, sizeof(key) - got, GRND_NONBLOCK);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (got < sizeof(key)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        key[0] = (uint32_t)ts.tv_sec;
        key[1] = (uint32_t)ts.tv_nsec;
        key[2] = (uint32_t)getpid();
        clock_gettime(CLOCK_MONOTONIC, &ts);
        key[3] = (uint32_t)ts.tv_nsec;
        got = 4 * sizeof(uint32_t);
    }
    TW_BEGIN_CRITICAL_SECTION(r);
    init_by_array(r, key, got / sizeof(uint32_t));
    TW_END_CRITICAL_SECTION();
}

static int seed_from_int(RandomObject *r, TwObject *i)
{
    mpz_t z;
    mpz_init(z);
    tw_int_get_mpz(i, z);
    int rc = seed_from_mpz(r, z);
    mpz_clear(z);
    return rc;
}

/* CPython's version 1 hash of a str or bytes seed. */
static int seed_version1(RandomObject *r, TwObject *a)
{
    int64_t n = tw_str_check(a) ? tw_str_length(a) : tw_bytes_size(a);
    uint64_t x = 0;
    for (int64_t i = 0; i < n; i++) {
        uint32_t c = tw_str_check(a) ? tw_str_char_at(a, (intptr_t)i)
                                     : (unsigned char)tw_bytes_data(a)[i];
        if (i == 0)
            x = (uint64_t)c << 7;
        x = (1000003 * x) ^ c;
    }
    x ^= (uint64_t)n;
    mpz_t z;
    mpz_init(z);
    mpz_import(z, 1, 1, sizeof(x), 0, 0, &x);
    int rc = seed_from_mpz(r, z);
    mpz_clear(z);
    return rc;
}

/* seed(a=None, version=2) */
static TwObject *rnd_seed(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"a", "version", NULL};
    static const TwArgSpec spec = {"seed", names, 0, 0, 2};
    TwObject *got[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    RandomObject *r = RND(self);
    TwObject *a = got[0] ? got[0] : TW_NONE;
    int64_t version = 2;
    if (got[1] != NULL) {
        version = tw_int_check(got[1]) ? tw_int_as_i64(got[1]) : 2;
        if (version == -1 && tw_err_occurred())
            tw_err_clear();
    }
    int rc = 0;
    if (a == TW_NONE) {
        seed_from_os(r);
    } else if (version == 1 && (tw_str_check(a) || tw_bytes_check(a))) {
        rc = seed_version1(r, a);
    } else if (version == 2 && (tw_str_check(a) || tw_bytes_check(a))) {
        if (tw_str_check(a))
            seed_from_bytes(r, (const unsigned char *)tw_str_utf8(a),
                            (size_t)tw_str_byte_size(a));
        else
            seed_from_bytes(r, (const unsigned char *)tw_bytes_data(a),
                            (size_t)tw_bytes_size(a));
    } else if (version == 2 && tw_type_is_subtype(TW_TYPE(a), &tw_bytearray_type)) {
        /* A snapshot: another thread may be resizing the bytearray. */
        TwObject *b = tw_object_call_one((TwObject *)&tw_bytes_type, a);
        if (b == NULL)
            return NULL;
        seed_from_bytes(r, (const unsigned char *)tw_bytes_data(b), (size_t)tw_bytes_size(b));
        tw_decref(b);
    } else if (tw_int_check(a)) {
        rc = seed_from_int(r, a);
    } else if (tw_float_check(a) || tw_str_check(a) || tw_bytes_check(a) ||
               tw_type_is_subtype(TW_TYPE(a), &tw_bytearray_type)) {
        tw_hash_t h = tw_object_hash(a);
        if (h == -1)
            return NULL;
        TwObject *i = tw_int_from_u64((uint64_t)h); /* the hash as an unsigned word */
        if (i == NULL)
            return NULL;
        rc = seed_from_int(r, i);
        tw_decref(i);
    } else {
        tw_err_set_string(&tw_exc_TypeError, "The only supported seed types are: None,\n"
                                             "int, float, str, bytes, and bytearray.");
        return NULL;
    }
    return rc < 0 ? NULL : tw_newref(TW_NONE);
}

/* ---- primitive draws ---------------------------------------------------------------- */

static TwObject *rnd_random(TwObject *self, TwObject *unused)
{
    double d;
    TW_BEGIN_CRITICAL_SECTION(self);
    d = genrand_double(RND(self));
    TW_END_CRITICAL_SECTION();
    return tw_float_from_double(d);
}

/* self.random() as a double: the generator directly, unless a subclass
 * overrides random().  -1 with an exception on failure. */
static double draw_double(TwObject *self)
{
    if (TW_TYPE(self) != &random_type) {
        TwObject *key = tw_str_intern_cstr("random");
        TwObject *f = key ? tw_type_lookup_ref(TW_TYPE(self), key) : NULL;
        tw_xdecref(key);
        int overridden = f != NULL && TW_TYPE(f) != &tw_method_descr_type;
        tw_xdecref(f);
        if (overridden) {
            TwObject *r = tw_object_call_method(self, "random", NULL, 0);
            if (r == NULL)
                return -1;
            double d = tw_float_as_double(r);
            tw_decref(r);
            return d;
        }
    }
    double d;
    TW_BEGIN_CRITICAL_SECTION(self);
    d = genrand_double(RND(self));
    TW_END_CRITICAL_SECTION();
    return d;
}

static TwObject *bits_to_int(RandomObject *r, uint64_t k)
{
    if (k <= 64) {
        uint64_t v;
        TW_BEGIN_CRITICAL_SECTION(r);
        v = genrand_bits64(r, (int)k);
        TW_END_CRITICAL_SECTION();
        return tw_int_from_u64(v);
    }
    if (k > TW_INT_MAX_RESULT_BITS)
        return tw_err_no_memory();
    uint32_t *words = tw_mem_malloc((size_t)((k + 31) / 32) * sizeof(uint32_t));
    if (words == NULL)
        return tw_err_no_memory();
    mpz_t z;
    mpz_init(z);
    TW_BEGIN_CRITICAL_SECTION(r);
    genrand_bits_mpz(r, k, words, z);
    TW_END_CRITICAL_SECTION();
    tw_mem_free(words);
    TwObject *res = tw_int_from_mpz(z);
    mpz_clear(z);
    return res;
}

/* A bit count argument: a non-negative int. */
static int64_t bit_count_arg(TwObject *arg)
{
    TwObject *i = tw_number_index(arg);
    if (i == NULL)
        return -1;
    int overflow;
    int64_t k = tw_int_as_i64_overflow(i, &overflow);
    tw_decref(i);
    if (overflow < 0 || (!overflow && k < 0)) {
        tw_err_set_string(&tw_exc_ValueError, "number of bits must be non-negative");
        return -1;
    }
    if (overflow) {
        tw_err_set_string(&tw_exc_OverflowError, "Python int too large to convert to C int");
        return -1;
    }
    return k;
}

static TwObject *rnd_getrandbits(TwObject *self, TwObject *arg)
{
    int64_t k = bit_count_arg(arg);
    return k < 0 ? NULL : bits_to_int(RND(self), (uint64_t)k);
}

/* randbytes(n): getrandbits(n * 8) in little-endian order. */
static TwObject *rnd_randbytes(TwObject *self, TwObject *arg)
{
    TwObject *i = tw_number_index(arg);
    if (i == NULL)
        return NULL;
    int64_t n = tw_int_as_i64(i);
    tw_decref(i);
    if (n == -1 && tw_err_occurred())
        return NULL;
    if (n < 0) {
        tw_err_set_string(&tw_exc_ValueError, "number of bits must be non-negative");
        return NULL;
    }
    if ((uint64_t)n * 8 > TW_INT_MAX_RESULT_BITS)
        return tw_err_no_memory();
    unsigned char *buf = tw_mem_malloc((size_t)n + 4);
    if (buf == NULL)
        return tw_err_no_memory();
    int64_t bits = n * 8;
    TW_BEGIN_CRITICAL_SECTION(self);
    if (bits <= 32) {
        uint32_t w = genrand_bits64(RND(self), (int)bits);
        for (int b = 0; b < 4; b++)
            buf[b] = (unsigned char)(w >> (8 * b));
    } else {
        for (int64_t at = 0; bits > 0; at += 4, bits -= 32) {
            uint32_t w = genrand(RND(self));
            if (bits < 32)
                w >>= 32 - bits;
            for (int b = 0; b < 4; b++)
                buf[at + b] = (unsigned char)(w >> (8 * b));
        }
    }
    TW_END_CRITICAL_SECTION();
    TwObject *res = tw_bytes_from_data(buf, (size_t)n);
    tw_mem_free(buf);
    return res;
}

/* _randbelow(n) for n > 0: getrandbits(n.bit_length()) until below n. */
static TwObject *randbelow(RandomObject *r, TwObject *n)
{
    int overflow;
    int64_t small = tw_int_as_i64_overflow(n, &overflow);
    if (!overflow) {
        uint64_t limit = (uint64_t)small, v;
        int k = 64 - __builtin_clzll(limit);
        TW_BEGIN_CRITICAL_SECTION(r);
        do
            v = genrand_bits64(r, k);
        while (v >= limit);
        TW_END_CRITICAL_SECTION();
        return tw_int_from_u64(v);
    }
    mpz_t limit, v;
    mpz_init(limit);
    mpz_init(v);
    tw_int_get_mpz(n, limit);
    uint64_t k = mpz_sizeinbase(limit, 2);
    uint32_t *words = tw_mem_malloc((size_t)((k + 31) / 32) * sizeof(uint32_t));
    TwObject *res = NULL;
    if (words == NULL) {
        tw_err_no_memory();
    } else {
        TW_BEGIN_CRITICAL_SECTION(r);
        do
            genrand_bits_mpz(r, k, words, v);
        while (mpz_cmp(v, limit) >= 0);
        TW_END_CRITICAL_SECTION();
        res = tw_int_from_mpz(v);
        tw_mem_free(words);
    }
    mpz_clear(limit);
    mpz_clear(v);
    return res;
}

/* _randbelow for a machine-sized n > 0. */
static intptr_t randbelow_index(RandomObject *r, intptr_t n)
{
    uint64_t limit = (uint64_t)n, v;
    int k = 64 - __builtin_clzll(limit);
    TW_BEGIN_CRITICAL_SECTION(r);
    do
        v = genrand_bits64(r, k);
    while (v >= limit);
    TW_END_CRITICAL_SECTION();
    return (intptr_t)v;
}

static TwObject *rnd_randbelow(TwObject *self, TwObject *arg)
{
    TwObject *n = tw_number_index(arg);
    if (n == NULL)
        return NULL;
    TwObject *res = tw_int_sign(n) > 0 ? randbelow(RND(self), n) : tw_int_from_i64(0);
    tw_decref(n);
    return res;
}

/* ---- state ----------------------------------------------------------------------- */

/* getstate(): (3, (624 words..., index), gauss_next or None) */
static TwObject *rnd_getstate(TwObject *self, TwObject *unused)
{
    RandomObject *r = RND(self);
    uint32_t mt[MT_N];
    int index, has_gauss;
    double gauss_next;
    TW_BEGIN_CRITICAL_SECTION(r);
    memcpy(mt, r->mt, sizeof(mt));
    index = r->index;
    has_gauss = r->has_gauss;
    gauss_next = r->gauss_next;
    TW_END_CRITICAL_SECTION();
    TwObject *words = tw_tuple_new(MT_N + 1);
    if (words == NULL)
        return NULL;
    for (int i = 0; i <= MT_N; i++) {
        TwObject *v = tw_int_from_i64(i < MT_N ? (int64_t)mt[i] : index);
        if (v == NULL) {
            for (int j = i; j <= MT_N; j++)
                tw_tuple_init_item(words, j, tw_newref(TW_NONE));
            tw_decref(words);
            return NULL;
        }
        tw_tuple_init_item(words, i, v);
    }
    TwObject *version = tw_int_from_i64(3);
    TwObject *g = has_gauss ? tw_float_from_double(gauss_next) : tw_newref(TW_NONE);
    TwObject *res = g ? tw_tuple_pack(3, version, words, g) : NULL;
    tw_decref(words);
    tw_xdecref(g);
    return res;
}

static TwObject *set_words(TwObject *self, int v, TwObject *words, TwObject *gauss);

/* setstate(state) for the states of getstate (version 3) and of Python 2
 * (version 2, whose words may be negative: taken modulo 2**32). */
static TwObject *rnd_setstate(TwObject *self, TwObject *arg)
{
    TwObject *key = tw_int_from_i64(0);
    TwObject *version = tw_object_getitem(arg, key);
    if (version == NULL)
        return NULL;
    TwObject *three = tw_int_from_i64(3), *two = tw_int_from_i64(2);
    int is3 = tw_object_eq(version, three);
    int is2 = is3 == 0 ? tw_object_eq(version, two) : 0;
    int v = is3 > 0 ? 3 : 2;
    if (is3 < 0 || is2 < 0) {
        tw_decref(version);
        return NULL;
    }
    if (!is3 && !is2) {
        TwObject *vs = tw_object_str(version);
        tw_decref(version);
        if (vs == NULL)
            return NULL;
        tw_err_format(&tw_exc_ValueError,
                      "state with version %s passed to Random.setstate() of version 3",
                      tw_str_utf8(vs));
        tw_decref(vs);
        return NULL;
    }
    tw_decref(version);
    TwObject *state = tw_sequence_tuple(arg);
    if (state == NULL)
        return NULL;
    if (tw_tuple_size(state) != 3) {
        tw_err_format(&tw_exc_ValueError, "%s unpack (expected 3, got %zd)",
                      tw_tuple_size(state) > 3 ? "too many values to" : "not enough values to",
                      (ssize_t)tw_tuple_size(state));
        tw_decref(state);
        return NULL;
    }
    TwObject *res = set_words(self, v, tw_tuple_get_item_borrowed(state, 1),
                              tw_tuple_get_item_borrowed(state, 2));
    tw_decref(state);
    return res;
}

/* The words and gauss_next of a state tuple. */
static TwObject *set_words(TwObject *self, int v, TwObject *words, TwObject *gauss)
{
    if (!tw_tuple_check(words)) {
        tw_err_set_string(&tw_exc_TypeError, "state vector must be a tuple");
        return NULL;
    }
    if (tw_tuple_size(words) != MT_N + 1) {
        tw_err_set_string(&tw_exc_ValueError, "state vector is the wrong size");
        return NULL;
    }
    uint32_t mt[MT_N];
    mpz_t z;
    mpz_init(z);
    for (int i = 0; i < MT_N; i++) {
        TwObject *w = tw_tuple_get_item_borrowed(words, i);
        if (!tw_int_check(w)) {
            mpz_clear(z);
            tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                          TW_TYPE(w)->tp_name);
            return NULL;
        }
        tw_int_get_mpz(w, z);
        if (v == 3 && mpz_sgn(z) < 0) {
            mpz_clear(z);
            tw_err_set_string(&tw_exc_OverflowError, "can't convert negative int to unsigned");
            return NULL;
        }
        mpz_fdiv_r_2exp(z, z, 32);
        mt[i] = (uint32_t)mpz_get_ui(z);
    }
    mpz_clear(z);
    TwObject *iobj = tw_tuple_get_item_borrowed(words, MT_N);
    int64_t index = tw_int_check(iobj) ? tw_int_as_i64(iobj) : -1;
    if (index == -1 && tw_err_occurred())
        return NULL;
    if (index < 0 || index > MT_N) {
        tw_err_set_string(&tw_exc_ValueError, "invalid state");
        return NULL;
    }
    double g = 0;
    if (gauss != TW_NONE) {
        g = tw_float_as_double(gauss);
        if (g == -1.0 && tw_err_occurred())
            return NULL;
    }
    RandomObject *r = RND(self);
    TW_BEGIN_CRITICAL_SECTION(r);
    memcpy(r->mt, mt, sizeof(mt));
    r->index = (int)index;
    r->has_gauss = gauss != TW_NONE;
    r->gauss_next = g;
    TW_END_CRITICAL_SECTION();
    return tw_newref(TW_NONE);
}

/* ---- integers in ranges ----------------------------------------------------------- */

/* An integral randrange argument: an int through __index__, or a number
 * equal to an int (10.0), else ValueError "non-integer <what> for
 * randrange()". */
static TwObject *range_arg(TwObject *x, const char *what)
{
    TwObject *i = tw_number_index(x);
    if (i != NULL || !tw_err_matches(&tw_exc_TypeError))
        return i;
    tw_err_clear();
    i = tw_object_call_one((TwObject *)&tw_int_type, x);
    if (i == NULL)
        return NULL;
    int ne = tw_object_richcompare_bool(i, x, TW_NE);
    if (ne != 0) {
        tw_decref(i);
        if (ne > 0)
            tw_err_format(&tw_exc_ValueError, "non-integer %s for randrange()", what);
        return NULL;
    }
    return i;
}

static TwObject *randrange(TwObject *self, TwObject *start, TwObject *stop, TwObject *step)
{
    TwObject *istart = range_arg(start, "arg 1"), *istop = NULL, *width = NULL, *istep = NULL;
    TwObject *n = NULL, *res = NULL;
    if (istart == NULL)
        return NULL;
    if (stop == NULL || stop == TW_NONE) {
        if (step != NULL && !(tw_int_check(step) && tw_int_is_small(step) &&
                              ((TwIntObject *)step)->value == 1)) {
            tw_err_set_string(&tw_exc_TypeError, "Missing a non-None stop argument");
        } else if (tw_int_sign(istart) > 0) {
            res = randbelow(RND(self), istart);
        } else {
            tw_err_set_string(&tw_exc_ValueError, "empty range for randrange()");
        }
        goto done;
    }
    istop = range_arg(stop, "stop");
    if (istop == NULL || (width = tw_int_sub(istop, istart)) == NULL)
        goto done;
    if (step == NULL) {
        istep = tw_int_from_i64(1);
    } else if ((istep = range_arg(step, "step")) == NULL) {
        goto done;
    }
    int overflow;
    int64_t st = tw_int_as_i64_overflow(istep, &overflow);
    if (!overflow && st == 1) {
        if (tw_int_sign(width) > 0) {
            TwObject *off = randbelow(RND(self), width);
            if (off != NULL) {
                res = tw_int_add(istart, off);
                tw_decref(off);
            }
        } else {
            TwObject *a = tw_object_str(istart), *b = tw_object_str(istop), *c = tw_object_str(width);
            if (a && b && c)
                tw_err_format(&tw_exc_ValueError, "empty range for randrange() (%s, %s, %s)",
                              tw_str_utf8(a), tw_str_utf8(b), tw_str_utf8(c));
            tw_xdecref(a);
            tw_xdecref(b);
            tw_xdecref(c);
        }
        goto done;
    }
    int sign = tw_int_sign(istep);
    if (sign == 0) {
        tw_err_set_string(&tw_exc_ValueError, "zero step for randrange()");
        goto done;
    }
    /* n = (width + step - 1) // step, or (width + step + 1) // step for a
     * negative step. */
    TwObject *one = tw_int_from_i64(sign > 0 ? -1 : 1);
    TwObject *t1 = tw_int_add(width, istep);
    TwObject *t2 = t1 ? tw_int_add(t1, one) : NULL;
    n = t2 ? tw_int_floordiv(t2, istep) : NULL;
    tw_xdecref(t1);
    tw_xdecref(t2);
    if (n == NULL)
        goto done;
    if (tw_int_sign(n) <= 0) {
        tw_err_set_string(&tw_exc_ValueError, "empty range for randrange()");
        goto done;
    }
    TwObject *off = randbelow(RND(self), n);
    TwObject *scaled = off ? tw_int_mul(istep, off) : NULL;
    if (scaled != NULL)
        res = tw_int_add(istart, scaled);
    tw_xdecref(off);
    tw_xdecref(scaled);
done:
    tw_xdecref(istart);
    tw_xdecref(istop);
    tw_xdecref(width);
    tw_xdecref(istep);
    tw_xdecref(n);
    return res;
}

/* randrange(start, stop=None, step=1) */
static TwObject *rnd_randrange(TwObject *self, TwObject *const *args, size_t nargs,
                               TwObject *kwnames)
{
    static const char *const names[] = {"start", "stop", "step", NULL};
    static const TwArgSpec spec = {"randrange", names, 0, 1, 3};
    TwObject *got[3];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    return randrange(self, got[0], got[1], got[2]);
}

/* randint(a, b): randrange(a, b + 1) */
static TwObject *rnd_randint(TwObject *self, TwObject *const *args, size_t nargs,
                             TwObject *kwnames)
{
    static const char *const names[] = {"a", "b", NULL};
    static const TwArgSpec spec = {"randint", names, 0, 2, 2};
    TwObject *got[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    TwObject *one = tw_int_from_i64(1);
    TwObject *stop = tw_number_add(got[1], one);
    if (stop == NULL)
        return NULL;
    TwObject *res = randrange(self, got[0], stop, NULL);
    tw_decref(stop);
    return res;
}

/* ---- sequences -------------------------------------------------------------------- */

static TwObject *rnd_choice(TwObject *self, TwObject *seq)
{
    intptr_t n = tw_object_len(seq);
    if (n < 0)
        return NULL;
    if (n == 0) {
        tw_err_set_string(&tw_exc_IndexError, "Cannot choose from an empty sequence");
        return NULL;
    }
    TwObject *i = tw_int_from_i64(randbelow_index(RND(self), n));
    if (i == NULL)
        return NULL;
    TwObject *res = tw_object_getitem(seq, i);
    tw_decref(i);
    return res;
}

static TwObject *item_at(TwObject *seq, intptr_t i)
{
    TwObject *key = tw_int_from_i64(i);
    if (key == NULL)
        return NULL;
    TwObject *res = tw_object_getitem(seq, key);
    tw_decref(key);
    return res;
}

static int set_item_at(TwObject *seq, intptr_t i, TwObject *v)
{
    TwObject *key = tw_int_from_i64(i);
    if (key == NULL)
        return -1;
    int rc = tw_object_setitem(seq, key, v);
    tw_decref(key);
    return rc;
}

/* shuffle(x): Fisher-Yates from the end, x[i], x[j] = x[j], x[i]. */
static TwObject *rnd_shuffle(TwObject *self, TwObject *x)
{
    intptr_t n = tw_object_len(x);
    if (n < 0)
        return NULL;
    for (intptr_t i = n - 1; i >= 1; i--) {
        intptr_t j = randbelow_index(RND(self), i + 1);
        TwObject *a = item_at(x, j);
        TwObject *b = a ? item_at(x, i) : NULL;
        int rc = b ? set_item_at(x, i, a) : -1;
        if (rc == 0)
            rc = set_item_at(x, j, b);
        tw_xdecref(a);
        tw_xdecref(b);
        if (rc < 0)
            return NULL;
    }
    return tw_newref(TW_NONE);
}

/* Index of the first item of the list `cum` (first `hi` entries) greater
 * than x: bisect.bisect_right(cum, x, 0, hi).  -1 with an exception. */
static intptr_t bisect_right(TwObject *cum, TwObject *x, intptr_t hi)
{
    intptr_t lo = 0;
    while (lo < hi) {
        intptr_t mid = (lo + hi) / 2;
        TwObject *v = tw_list_get_item(cum, mid);
        if (v == NULL)
            return -1;
        int lt = tw_object_richcompare_bool(x, v, TW_LT);
        tw_decref(v);
        if (lt < 0)
            return -1;
        if (lt)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* itertools.accumulate(iterable) as a list. */
static TwObject *accumulate(TwObject *iterable)
{
    TwObject *it = tw_object_iter(iterable);
    if (it == NULL)
        return NULL;
    TwObject *out = tw_list_new(0), *total = NULL;
    while (out != NULL) {
        TwObject *item = tw_iter_next(it);
        if (item == NULL) {
            if (tw_err_occurred())
                TW_CLEAR(out);
            break;
        }
        TwObject *next = total ? tw_number_add(total, item) : tw_newref(item);
        tw_decref(item);
        tw_xdecref(total);
        total = next;
        if (total == NULL || tw_list_append(out, total) < 0)
            TW_CLEAR(out);
    }
    tw_xdecref(total);
    tw_decref(it);
    return out;
}

/* choices(population, weights=None, *, cum_weights=None, k=1) */
static TwObject *rnd_choices(TwObject *self, TwObject *const *args, size_t nargs,
                             TwObject *kwnames)
{
    static const char *const names[] = {"population", "weights", "cum_weights", "k", NULL};
    static const TwArgSpec spec = {"choices", names, 0, 1, 2};
    TwObject *got[4];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    TwObject *pop = got[0], *weights = got[1] == TW_NONE ? NULL : got[1];
    TwObject *cum = got[2] == TW_NONE ? NULL : got[2];
    int64_t k = 1;
    if (got[3] != NULL) {
        TwObject *ki = tw_number_index(got[3]);
        if (ki == NULL)
            return NULL;
        k = tw_int_as_i64(ki);
        tw_decref(ki);
        if (k == -1 && tw_err_occurred())
            return NULL;
    }
    intptr_t n = tw_object_len(pop);
    if (n < 0)
        return NULL;
    TwObject *out = tw_list_new(0), *cumlist = NULL;
    if (out == NULL)
        return NULL;
    if (cum == NULL && weights == NULL) {
        for (int64_t i = 0; i < k; i++) {
            double d = draw_double(self);
            if (d == -1 && tw_err_occurred())
                goto fail;
            TwObject *item = item_at(pop, (intptr_t)floor(d * (double)n));
            int rc = item ? tw_list_append(out, item) : -1;
            tw_xdecref(item);
            if (rc < 0)
                goto fail;
        }
        return out;
    }
    if (cum == NULL) {
        cumlist = accumulate(weights);
        if (cumlist == NULL) {
            if (tw_err_matches(&tw_exc_TypeError) && tw_int_check(weights)) {
                tw_err_clear();
                TwObject *s = tw_object_repr(weights);
                if (s != NULL)
                    tw_err_format(&tw_exc_TypeError,
                                  "The number of choices must be a keyword argument: k=%s",
                                  tw_str_utf8(s));
                tw_xdecref(s);
            }
            goto fail;
        }
    } else if (weights != NULL) {
        tw_err_set_string(&tw_exc_TypeError, "Cannot specify both weights and cumulative weights");
        goto fail;
    } else if ((cumlist = tw_sequence_list(cum)) == NULL) {
        goto fail;
    }
    if (tw_list_size(cumlist) != n) {
        tw_err_set_string(&tw_exc_ValueError, "The number of weights does not match the population");
        goto fail;
    }
    TwObject *last = tw_list_get_item(cumlist, -1);
    if (last == NULL)
        goto fail;
    TwObject *zero = tw_float_from_double(0.0);
    TwObject *tobj = zero ? tw_number_add(last, zero) : NULL;
    tw_decref(last);
    tw_xdecref(zero);
    if (tobj == NULL)
        goto fail;
    double total = tw_float_as_double(tobj);
    tw_decref(tobj);
    if (total == -1.0 && tw_err_occurred())
        goto fail;
    if (total <= 0.0) {
        tw_err_set_string(&tw_exc_ValueError, "Total of weights must be greater than zero");
        goto fail;
    }
    if (!isfinite(total)) {
        tw_err_set_string(&tw_exc_ValueError, "Total of weights must be finite");
        goto fail;
    }
    for (int64_t i = 0; i < k; i++) {
        double d = draw_double(self);
        if (d == -1 && tw_err_occurred())
            goto fail;
        TwObject *x = tw_float_from_double(d * total);
        intptr_t at = x ? bisect_right(cumlist, x, n - 1) : -1;
        tw_xdecref(x);
        TwObject *item = at >= 0 ? item_at(pop, at) : NULL;
        int rc = item ? tw_list_append(out, item) : -1;
        tw_xdecref(item);
        if (rc < 0)
            goto fail;
    }
    tw_decref(cumlist);
    return out;
fail:
    tw_xdecref(cumlist);
    tw_decref(out);
    return NULL;
}

/* A small open-addressing set of indexes for sample(). */
typedef struct {
    int64_t *slots; /* -1: empty */
    size_t mask;
} IndexSet;

static int index_set_add(IndexSet *s, int64_t v)
{
    size_t h = (size_t)(v * UINT64_C(0x9e3779b97f4a7c15)) & s->mask;
    while (s->slots[h] != -1) {
        if (s->slots[h] == v)
            return 0;
        h = (h + 1) & s->mask;
    }
    s->slots[h] = v;
    return 1;
}

static int is_sequence(TwObject *x)
{
    TwType *t = TW_TYPE(x);
    return tw_list_check(x) || tw_tuple_check(x) || tw_str_check(x) || tw_bytes_check(x) ||
           t == &tw_range_type || tw_type_is_subtype(t, &tw_bytearray_type);
}

static TwObject *sample(TwObject *self, TwObject *pop, TwObject *kobj, TwObject *counts);

/* sample with counts: sample(range(total), k) mapped through the cumulative
 * counts. */
static TwObject *sample_counts(TwObject *self, TwObject *pop, intptr_t n, TwObject *kobj,
                               TwObject *counts)
{
    TwObject *cum = accumulate(counts), *res = NULL, *range = NULL, *picks = NULL;
    if (cum == NULL)
        return NULL;
    if (tw_list_size(cum) != n) {
        tw_err_set_string(&tw_exc_ValueError, "The number of counts does not match the population");
        goto done;
    }
    TwObject *total = n > 0 ? tw_list_pop(cum, -1) : NULL;
    if (total == NULL) {
        if (n == 0)
            tw_err_set_string(&tw_exc_IndexError, "pop from empty list");
        goto done;
    }
    int isint = tw_int_check(total);
    int64_t t = isint ? tw_int_as_i64(total) : 0;
    tw_decref(total);
    if (!isint) {
        tw_err_set_string(&tw_exc_TypeError, "Counts must be integers");
        goto done;
    }
    if (t == -1 && tw_err_occurred())
        goto done;
    if (t <= 0) {
        tw_err_set_string(&tw_exc_ValueError, "Total of counts must be greater than zero");
        goto done;
    }
    range = tw_range_new(0, t, 1);
    picks = range ? sample(self, range, kobj, NULL) : NULL;
    if (picks == NULL)
        goto done;
    intptr_t m = tw_list_size(picks);
    res = tw_list_new(0);
    for (intptr_t i = 0; res != NULL && i < m; i++) {
        TwObject *s = tw_list_get_item(picks, i);
        intptr_t at = s ? bisect_right(cum, s, tw_list_size(cum)) : -1;
        tw_xdecref(s);
        TwObject *item = at >= 0 ? item_at(pop, at) : NULL;
        if (item == NULL || tw_list_append(res, item) < 0)
            TW_CLEAR(res);
        tw_xdecref(item);
    }
done:
    tw_decref(cum);
    tw_xdecref(range);
    tw_xdecref(picks);
    return res;
}

static TwObject *sample(TwObject *self, TwObject *pop, TwObject *kobj, TwObject *counts)
{
    if (!is_sequence(pop)) {
        tw_err_set_string(&tw_exc_TypeError,
                          "Population must be a sequence.  For dicts or sets, use sorted(d).");
        return NULL;
    }
    intptr_t n = tw_object_len(pop);
    if (n < 0)
        return NULL;
    if (counts != NULL && counts != TW_NONE)
        return sample_counts(self, pop, n, kobj, counts);
    TwObject *ki = tw_number_index(kobj);
    if (ki == NULL)
        return NULL;
    int overflow;
    int64_t k = tw_int_as_i64_overflow(ki, &overflow);
    tw_decref(ki);
    if (overflow || k < 0 || k > n) {
        tw_err_set_string(&tw_exc_ValueError, "Sample larger than population or is negative");
        return NULL;
    }
    TwObject *result = tw_list_new(0);
    if (result == NULL)
        return NULL;
    /* The cheaper of a copy of the population and a set of chosen indexes. */
    double setsize = 21;
    if (k > 5)
        setsize += pow(4.0, ceil(log((double)(k * 3)) / log(4.0)));
    if ((double)n <= setsize) {
        TwObject *pool = tw_sequence_list(pop);
        if (pool == NULL)
            goto fail;
        for (int64_t i = 0; i < k; i++) {
            intptr_t j = randbelow_index(RND(self), n - (intptr_t)i);
            TwObject *a = tw_list_get_item(pool, j);
            TwObject *last = a ? tw_list_get_item(pool, n - (intptr_t)i - 1) : NULL;
            int rc = last ? tw_list_append(result, a) : -1;
            if (rc == 0)
                rc = tw_list_set_item(pool, j, last);
            tw_xdecref(a);
            tw_xdecref(last);
            if (rc < 0) {
                tw_decref(pool);
                goto fail;
            }
        }
        tw_decref(pool);
        return result;
    }
    size_t cap = 16;
    while (cap < (size_t)k * 2)
        cap *= 2;
    IndexSet set = {tw_mem_malloc(cap * sizeof(int64_t)), cap - 1};
    if (set.slots == NULL) {
        tw_err_no_memory();
        goto fail;
    }
    memset(set.slots, 0xff, cap * sizeof(int64_t));
    for (int64_t i = 0; i < k; i++) {
        intptr_t j;
        do
            j = randbelow_index(RND(self), n);
        while (!index_set_add(&set, j));
        TwObject *item = item_at(pop, j);
        int rc = item ? tw_list_append(result, item) : -1;
        tw_xdecref(item);
        if (rc < 0) {
            tw_mem_free(set.slots);
            goto fail;
        }
    }
    tw_mem_free(set.slots);
    return result;
fail:
    tw_decref(result);
    return NULL;
}

/* sample(population, k, *, counts=None) */
static TwObject *rnd_sample(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"population", "k", "counts", NULL};
    static const TwArgSpec spec = {"sample", names, 0, 2, 2};
    TwObject *got[3];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    return sample(self, got[0], got[1], got[2]);
}

/* ---- real distributions ----------------------------------------------------------- */

/* Optional float arguments with defaults; -1 with an exception. */
static int float_args(const TwArgSpec *spec, TwObject *const *args, size_t nargs,
                      TwObject *kwnames, double *out, int n)
{
    TwObject *got[4];
    if (tw_arg_parse(spec, args, nargs, kwnames, got) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        if (got[i] == NULL)
            continue;
        out[i] = tw_float_as_double(got[i]);
        if (out[i] == -1.0 && tw_err_occurred())
            return -1;
    }
    return 0;
}

/* uniform(a, b): a + (b - a) * random(), with the operands' arithmetic. */
static TwObject *rnd_uniform(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"a", "b", NULL};
    static const TwArgSpec spec = {"uniform", names, 0, 2, 2};
    TwObject *got[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    double d = draw_double(self);
    if (d == -1 && tw_err_occurred())
        return NULL;
    TwObject *diff = tw_number_subtract(got[1], got[0]);
    TwObject *u = diff ? tw_float_from_double(d) : NULL;
    TwObject *scaled = u ? tw_number_multiply(diff, u) : NULL;
    TwObject *res = scaled ? tw_number_add(got[0], scaled) : NULL;
    tw_xdecref(diff);
    tw_xdecref(u);
    tw_xdecref(scaled);
    return res;
}

/* triangular(low=0.0, high=1.0, mode=None) */
static TwObject *rnd_triangular(TwObject *self, TwObject *const *args, size_t nargs,
                                TwObject *kwnames)
{
    static const char *const names[] = {"low", "high", "mode", NULL};
    static const TwArgSpec spec = {"triangular", names, 0, 0, 3};
    TwObject *got[3];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    double low = 0.0, high = 1.0, mode = 0.0;
    if ((got[0] && (low = tw_float_as_double(got[0])) == -1.0 && tw_err_occurred()) ||
        (got[1] && (high = tw_float_as_double(got[1])) == -1.0 && tw_err_occurred()) ||
        (got[2] && got[2] != TW_NONE && (mode = tw_float_as_double(got[2])) == -1.0 &&
         tw_err_occurred()))
        return NULL;
    double u = draw_double(self);
    if (u == -1 && tw_err_occurred())
        return NULL;
    if (high - low == 0.0 && got[2] != NULL && got[2] != TW_NONE)
        return tw_float_from_double(low);
    double c = got[2] == NULL || got[2] == TW_NONE ? 0.5 : (mode - low) / (high - low);
    if (u > c) {
        u = 1.0 - u;
        c = 1.0 - c;
        double t = low;
        low = high;
        high = t;
    }
    return tw_float_from_double(low + (high - low) * sqrt(u * c));
}

/* gauss(mu=0.0, sigma=1.0): Box-Muller, keeping the second value. */
static TwObject *rnd_gauss(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"mu", "sigma", NULL};
    static const TwArgSpec spec = {"gauss", names, 0, 0, 2};
    double p[2] = {0.0, 1.0};
    if (float_args(&spec, args, nargs, kwnames, p, 2) < 0)
        return NULL;
    RandomObject *r = RND(self);
    int have;
    double z;
    TW_BEGIN_CRITICAL_SECTION(r);
    have = r->has_gauss;
    z = r->gauss_next;
    r->has_gauss = 0;
    TW_END_CRITICAL_SECTION();
    if (!have) {
        double u1 = draw_double(self);
        double u2 = u1 == -1 && tw_err_occurred() ? -1 : draw_double(self);
        if (u2 == -1 && tw_err_occurred())
            return NULL;
        double x2pi = u1 * (2 * M_PI);
        double g2rad = sqrt(-2.0 * log(1.0 - u2));
        z = cos(x2pi) * g2rad;
        TW_BEGIN_CRITICAL_SECTION(r);
        r->gauss_next = sin(x2pi) * g2rad;
        r->has_gauss = 1;
        TW_END_CRITICAL_SECTION();
    }
    return tw_float_from_double(p[0] + z * p[1]);
}

/* A standard normal deviate by Kinderman and Monahan's ratio method. */
static int normal(TwObject *self, double *out)
{
    const double magic = 4 * exp(-0.5) / sqrt(2.0);
    for (;;) {
        double u1 = draw_double(self);
        if (u1 == -1 && tw_err_occurred())
            return -1;
        double u2 = draw_double(self);
        if (u2 == -1 && tw_err_occurred())
            return -1;
        u2 = 1.0 - u2;
        double z = magic * (u1 - 0.5) / u2;
        if (z * z / 4.0 <= -log(u2)) {
            *out = z;
            return 0;
        }
    }
}

static TwObject *rnd_normalvariate(TwObject *self, TwObject *const *args, size_t nargs,
                                   TwObject *kwnames)
{
    static const char *const names[] = {"mu", "sigma", NULL};
    static const TwArgSpec spec = {"normalvariate", names, 0, 0, 2};
    double p[2] = {0.0, 1.0}, z;
    if (float_args(&spec, args, nargs, kwnames, p, 2) < 0 || normal(self, &z) < 0)
        return NULL;
    return tw_float_from_double(p[0] + z * p[1]);
}

static TwObject *rnd_lognormvariate(TwObject *self, TwObject *const *args, size_t nargs,
                                    TwObject *kwnames)
{
    static const char *const names[] = {"mu", "sigma", NULL};
    static const TwArgSpec spec = {"lognormvariate", names, 0, 2, 2};
    double p[2] = {0.0, 1.0}, z;
    if (float_args(&spec, args, nargs, kwnames, p, 2) < 0 || normal(self, &z) < 0)
        return NULL;
    double r = exp(p[0] + z * p[1]);
    if (isinf(r)) {
        tw_err_set_string(&tw_exc_OverflowError, "math range error");
        return NULL;
    }
    return tw_float_from_double(r);
}

/* expovariate(lambd): -log(1 - random()) / lambd */
static TwObject *rnd_expovariate(TwObject *self, TwObject *arg)
{
    double lambd = tw_float_as_double(arg);
    if (lambd == -1.0 && tw_err_occurred())
        return NULL;
    double u = draw_double(self);
    if (u == -1 && tw_err_occurred())
        return NULL;
    if (lambd == 0) {
        tw_err_set_string(&tw_exc_ZeroDivisionError, "float division by zero");
        return NULL;
    }
    return tw_float_from_double(-log(1.0 - u) / lambd);
}

/* paretovariate(alpha): (1 - random()) ** (-1 / alpha) */
static TwObject *rnd_paretovariate(TwObject *self, TwObject *arg)
{
    double alpha = tw_float_as_double(arg);
    if (alpha == -1.0 && tw_err_occurred())
        return NULL;
    double u = draw_double(self);
    if (u == -1 && tw_err_occurred())
        return NULL;
    if (alpha == 0) {
        tw_err_set_string(&tw_exc_ZeroDivisionError, "float division by zero");
        return NULL;
    }
    return tw_float_power_double(1.0 - u, -1.0 / alpha);
}

/* weibullvariate(alpha, beta): alpha * (-log(1 - random())) ** (1 / beta) */
static TwObject *rnd_weibullvariate(TwObject *self, TwObject *const *args, size_t nargs,
                                    TwObject *kwnames)
{
    static const char *const names[] = {"alpha", "beta", NULL};
    static const TwArgSpec spec = {"weibullvariate", names, 0, 2, 2};
    double p[2] = {0.0, 0.0};
    if (float_args(&spec, args, nargs, kwnames, p, 2) < 0)
        return NULL;
    double u = draw_double(self);
    if (u == -1 && tw_err_occurred())
        return NULL;
    if (p[1] == 0) {
        tw_err_set_string(&tw_exc_ZeroDivisionError, "float division by zero");
        return NULL;
    }
    TwObject *pw = tw_float_power_double(-log(1.0 - u), 1.0 / p[1]);
    if (pw == NULL)
        return NULL;
    double v = tw_float_as_double(pw);
    tw_decref(pw);
    return tw_float_from_double(p[0] * v);
}

/* ---- the Random class --------------------------------------------------------------- */

/* Random(x=None): a fresh generator, seeded from the system, then by
 * __init__ through self.seed(x). */
static TwObject *random_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    TwObject *self = tw_object_new(type, 0);
    if (self != NULL)
        seed_from_os(RND(self));
    return self;
}

static int random_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (TW_TYPE(self) == &random_type && tw_arg_no_kwargs("Random", kwnames) < 0)
        return -1;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError,
                      "Random.__init__() takes from 1 to 2 positional arguments but %zu were given",
                      nargs + 1);
        return -1;
    }
    TwObject *x = nargs == 1 ? args[0] : TW_NONE;
    TwObject *r = tw_object_call_method(self, "seed", &x, 1);
    if (r == NULL)
        return -1;
    tw_decref(r);
    return 0;
}

static void random_dealloc(TwObject *self)
{
    tw_object_free(self);
}

static const TwMethodDef random_methods[] = {
    {"seed", FN(rnd_seed), TW_METH_FASTCALL, "Initialize internal state from a seed."},
    {"random", FN(rnd_random), TW_METH_NOARGS, "random() -> x in the interval [0, 1)."},
    {"getrandbits", FN(rnd_getrandbits), TW_METH_O, "getrandbits(k) -> x.  Generates an int with k random bits."},
    {"randbytes", FN(rnd_randbytes), TW_METH_O, "Generate n random bytes."},
    {"_randbelow", FN(rnd_randbelow), TW_METH_O, "Return a random int in the range [0,n)."},
    {"getstate", FN(rnd_getstate), TW_METH_NOARGS, "Return internal state; can be passed to setstate() later."},
    {"setstate", FN(rnd_setstate), TW_METH_O, "Restore internal state from object returned by getstate()."},
    {"randrange", FN(rnd_randrange), TW_METH_FASTCALL, "Choose a random item from range(start, stop[, step])."},
    {"randint", FN(rnd_randint), TW_METH_FASTCALL, "Return random integer in range [a, b], including both end points."},
    {"choice", FN(rnd_choice), TW_METH_O, "Choose a random element from a non-empty sequence."},
    {"choices", FN(rnd_choices), TW_METH_FASTCALL, "Return a k sized list of population elements chosen with replacement."},
    {"shuffle", FN(rnd_shuffle), TW_METH_O, "Shuffle list x in place, and return None."},
    {"sample", FN(rnd_sample), TW_METH_FASTCALL, "Chooses k unique random elements from a population sequence."},
    {"uniform", FN(rnd_uniform), TW_METH_FASTCALL, "Get a random number in the range [a, b) or [a, b]."},
    {"triangular", FN(rnd_triangular), TW_METH_FASTCALL, "Triangular distribution."},
    {"gauss", FN(rnd_gauss), TW_METH_FASTCALL, "Gaussian distribution."},
    {"normalvariate", FN(rnd_normalvariate), TW_METH_FASTCALL, "Normal distribution."},
    {"lognormvariate", FN(rnd_lognormvariate), TW_METH_FASTCALL, "Log normal distribution."},
    {"expovariate", FN(rnd_expovariate), TW_METH_O, "Exponential distribution."},
    {"paretovariate", FN(rnd_paretovariate), TW_METH_O, "Pareto distribution."},
    {"weibullvariate", FN(rnd_weibullvariate), TW_METH_FASTCALL, "Weibull distribution."},
    {NULL, NULL, 0, NULL},
};

static TwType random_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "random.Random",
    .tp_basicsize = sizeof(RandomObject),
    .tp_flags = TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = random_dealloc,
    .tp_new = random_new,
    .tp_init = random_init,
    .tp_methods = random_methods,
};

/* The module-level functions are the bound methods of one instance. */
static const char *const module_functions[] = {
    "seed",    "random",       "getrandbits", "randbytes",     "getstate",       "setstate",
    "randrange", "randint",    "choice",      "choices",       "shuffle",        "sample",
    "uniform", "triangular",   "gauss",       "normalvariate", "lognormvariate", "expovariate",
    "paretovariate", "weibullvariate", NULL,
};

static TwObject *random_module_create(void)
{
    TwObject *m = tw_module_new_cstr("random");
    if (m == NULL)
        return NULL;
    TwObject *inst = tw_object_vectorcall((TwObject *)&random_type, NULL, 0, NULL);
    if (inst == NULL || tw_module_add_object(m, "Random", (TwObject *)&random_type) < 0 ||
        tw_module_add_object(m, "_inst", inst) < 0)
        goto fail;
    for (const char *const *name = module_functions; *name != NULL; name++) {
        TwObject *f = tw_object_getattr_cstr(inst, *name);
        int rc = f ? tw_module_add_object(m, *name, f) : -1;
        tw_xdecref(f);
        if (rc < 0)
            goto fail;
    }
    tw_decref(inst);
    return m;
fail:
    tw_xdecref(inst);
    tw_decref(m);
    return NULL;
}

int tw_random_init(void)
{
    if (tw_type_ready(&random_type) < 0)
        return -1;
    if (tw_module_register_builtin("random", random_module_create) < 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "too many built-in modules");
        return -1;
    }
    return 0;
}
