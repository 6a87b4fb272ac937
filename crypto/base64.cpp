#include "crypto/base64.hpp"

#include <array>
#include <cstdint>

namespace kayou::crypto {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 0x80 marks a byte outside the alphabet ('=' included, it is handled separately), so a group of
// four can be validated with one OR of the looked-up values instead of four branches.
constexpr std::uint8_t kInvalid = 0x80;

constexpr std::array<std::uint8_t, 256> make_decode_table() {
    std::array<std::uint8_t, 256> table{};
    for (auto& v : table) v = kInvalid;
    for (std::uint8_t i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
    return table;
}

constexpr std::array<std::uint8_t, 256> kDecode = make_decode_table();

std::uint8_t lookup(char c) { return kDecode[static_cast<unsigned char>(c)]; }

}  // namespace

std::string base64_encode(std::string_view in) {
    const std::size_t full = in.size() / 3;
    const std::size_t rest = in.size() % 3;
    std::string out((full + (rest != 0 ? 1 : 0)) * 4, '\0');
    const auto* src = reinterpret_cast<const unsigned char*>(in.data());
    char* dst = out.data();
    for (std::size_t i = 0; i < full; ++i, src += 3, dst += 4) {
        const std::uint32_t v =
            (std::uint32_t{src[0]} << 16) | (std::uint32_t{src[1]} << 8) | src[2];
        dst[0] = kAlphabet[v >> 18];
        dst[1] = kAlphabet[(v >> 12) & 0x3F];
        dst[2] = kAlphabet[(v >> 6) & 0x3F];
        dst[3] = kAlphabet[v & 0x3F];
    }
    if (rest == 1) {
        const std::uint32_t v = std::uint32_t{src[0]} << 16;
        dst[0] = kAlphabet[v >> 18];
        dst[1] = kAlphabet[(v >> 12) & 0x3F];
        dst[2] = '=';
        dst[3] = '=';
    } else if (rest == 2) {
        const std::uint32_t v = (std::uint32_t{src[0]} << 16) | (std::uint32_t{src[1]} << 8);
        dst[0] = kAlphabet[v >> 18];
        dst[1] = kAlphabet[(v >> 12) & 0x3F];
        dst[2] = kAlphabet[(v >> 6) & 0x3F];
        dst[3] = '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    if (text.empty()) return std::string();

    std::size_t pad = 0;
    if (text.back() == '=') pad = text[text.size() - 2] == '=' ? 2 : 1;
    const std::size_t groups = text.size() / 4;

    std::string out(groups * 3 - pad, '\0');
    char* dst = out.data();
    const char* src = text.data();
    // Every group but the last is four alphabet characters; '=' there hits kInvalid.
    for (std::size_t g = 0; g + 1 < groups; ++g, src += 4, dst += 3) {
        const std::uint8_t a = lookup(src[0]), b = lookup(src[1]), c = lookup(src[2]),
                           d = lookup(src[3]);
        if ((a | b | c | d) & kInvalid) return std::nullopt;
        const std::uint32_t v =
            (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) | (std::uint32_t{c} << 6) | d;
        dst[0] = static_cast<char>(v >> 16);
        dst[1] = static_cast<char>(v >> 8);
        dst[2] = static_cast<char>(v);
    }

    const std::uint8_t a = lookup(src[0]);
    const std::uint8_t b = lookup(src[1]);
    const std::uint8_t c = pad >= 2 ? 0 : lookup(src[2]);
    const std::uint8_t d = pad >= 1 ? 0 : lookup(src[3]);
    if ((a | b | c | d) & kInvalid) return std::nullopt;
    const std::uint32_t v =
        (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) | (std::uint32_t{c} << 6) | d;
    dst[0] = static_cast<char>(v >> 16);
    if (pad < 2) dst[1] = static_cast<char>(v >> 8);
    if (pad < 1) dst[2] = static_cast<char>(v);
    return out;
}

}  // namespace kayou::crypto
