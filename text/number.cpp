#include "text/number.hpp"

#include <stdexcept>
#include <string>

#include "text/utf8.hpp"

namespace kayou::text {

std::int64_t to_int64(std::string_view text) {
    try {
        return std::stoll(std::string(text));
    } catch (const std::exception&) {  // std::invalid_argument, std::out_of_range
        return 0;
    }
}

std::size_t list_ordinal(std::string_view text) {
    static constexpr std::u32string_view kNumerals = U"一二三四五";
    static constexpr std::u32string_view kCounters = U"个家站处号条";
    const std::u32string points = decode_utf8(text);
    for (std::size_t at = points.find(U'第'); at != std::u32string::npos;
         at = points.find(U'第', at + 1)) {
        if (at + 1 >= points.size()) break;
        const char32_t next = points[at + 1];
        std::size_t n = 0;
        if (const auto numeral = kNumerals.find(next); numeral != std::u32string_view::npos)
            n = numeral + 1;
        else if (next >= U'1' && next <= U'9')
            n = static_cast<std::size_t>(next - U'0');
        const bool counted =
            at + 2 >= points.size() || kCounters.find(points[at + 2]) != std::u32string_view::npos;
        if (n > 0 && counted) return n;
    }
    return 0;
}

}  // namespace kayou::text
