#include "notify/segments.hpp"

#include <algorithm>
#include <iterator>

#include "text/utf8.hpp"

namespace kayou::notify {
namespace {

constexpr std::size_t kUcs2Single = 70;
constexpr std::size_t kUcs2Part = 67;
constexpr std::size_t kGsmSingle = 160;
constexpr std::size_t kGsmPart = 153;

// Non-ASCII members of the GSM 03.38 basic alphabet.
constexpr char32_t kGsmBasicNonAscii[] = {
    U'£', U'¥', U'è', U'é', U'ù', U'ì', U'ò', U'Ç', U'Ø', U'ø', U'Å', U'å', U'Δ',
    U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ', U'Σ', U'Θ', U'Ξ', U'Æ', U'æ', U'ß', U'É',
    U'¤', U'¡', U'Ä', U'Ö', U'Ñ', U'Ü', U'§', U'¿', U'ä', U'ö', U'ñ', U'ü', U'à'};

// Septets per character in GSM-7, or 0 when the character is not in the alphabet.
std::size_t gsm_septets(char32_t c) {
    if (c == U'\n' || c == U'\r') return 1;
    if (c == U'^' || c == U'{' || c == U'}' || c == U'\\' || c == U'[' || c == U']' || c == U'~' ||
        c == U'|' || c == U'€' || c == U'\f') {
        return 2;  // escape + extension table
    }
    if (c >= 0x20 && c < 0x7F) return c == U'`' ? 0 : 1;
    return std::find(std::begin(kGsmBasicNonAscii), std::end(kGsmBasicNonAscii), c) !=
                   std::end(kGsmBasicNonAscii)
               ? 1
               : 0;
}

std::size_t parts(std::size_t units, std::size_t single, std::size_t part) {
    if (units == 0) return 0;
    if (units <= single) return 1;
    return (units + part - 1) / part;
}

}  // namespace

SegmentCount count_segments(std::string_view utf8_text, SegmentRule rule) {
    const std::u32string chars = text::decode_utf8(utf8_text);
    SegmentCount out;
    if (rule == SegmentRule::china_domestic) {
        out.units = chars.size();
        out.segments = parts(out.units, kUcs2Single, kUcs2Part);
        return out;
    }
    std::size_t septets = 0;
    bool all_gsm = true;
    for (const char32_t c : chars) {
        const std::size_t n = gsm_septets(c);
        if (n == 0) {
            all_gsm = false;
            break;
        }
        septets += n;
    }
    if (all_gsm) {
        out.units = septets;
        out.gsm7 = true;
        out.segments = parts(septets, kGsmSingle, kGsmPart);
        return out;
    }
    for (const char32_t c : chars) out.units += c > 0xFFFF ? 2 : 1;  // surrogate pairs
    out.segments = parts(out.units, kUcs2Single, kUcs2Part);
    return out;
}

std::string with_signature(std::string_view signature, std::string_view body) {
    std::string out = "【";
    out += signature;
    out += "】";
    out += body;
    return out;
}

}  // namespace kayou::notify
