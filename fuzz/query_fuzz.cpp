// Fuzzes request-target parsing: keys must come out unique and decoding must never read past
// the input (ASan) or accept a malformed escape.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "net/query.hpp"

using namespace kayou::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    auto target = parse_target(input);
    if (target.ok()) {
        FUZZ_CHECK(target->params.size() <= kMaxQueryParams);
        for (std::size_t i = 0; i < target->params.size(); ++i) {
            for (std::size_t j = i + 1; j < target->params.size(); ++j) {
                FUZZ_CHECK(target->params[i].first != target->params[j].first);
            }
            FUZZ_CHECK(target->find(target->params[i].first) == &target->params[i].second);
        }
        FUZZ_CHECK(input.starts_with(target->path));
    }
    const auto decoded = percent_decode(input);
    if (decoded) FUZZ_CHECK(decoded->size() <= input.size());
    return 0;
}
