// Regenerates the body of faq/trad_simp_table.cpp from ICU's "Traditional-Simplified"
// transliterator. Not part of the build (the FAQ core must not need ICU at run time); run by hand:
//   g++ -O1 faq/tools/gen_trad_simp.cpp -licui18n -licuuc -o /tmp/gen && /tmp/gen > pairs.txt
// Output: one "TRAD SIMP" pair of hex code points per line, for single code point mappings only.
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <memory>

int main() {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> to_simplified(
        icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) {
        std::fprintf(stderr, "ICU: %s\n", u_errorName(status));
        return 1;
    }
    int pairs = 0;
    for (UChar32 c = 0x3400; c <= 0x9FFF; ++c) {
        icu::UnicodeString text(c);
        to_simplified->transliterate(text);
        // Multi-character outputs are phrase rules; a per-character fold cannot use them.
        if (text.countChar32() == 1 && text.char32At(0) != c) {
            std::printf("%X %X\n", static_cast<unsigned>(c),
                        static_cast<unsigned>(text.char32At(0)));
            ++pairs;
        }
    }
    std::fprintf(stderr, "%d pairs\n", pairs);
    return 0;
}
