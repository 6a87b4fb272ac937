#pragma once
// Traditional -> simplified character folding table (generated data, see trad_simp_table.cpp).
#include <array>
#include <cstdint>

namespace kayou::faq::detail {

struct TradSimpPair {
    std::uint16_t traditional;
    std::uint16_t simplified;
};

extern const std::array<TradSimpPair, 2853> kTradSimpPairs;

}  // namespace kayou::faq::detail
