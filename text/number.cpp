#include "text/number.hpp"

#include <stdexcept>
#include <string>

namespace kayou::text {

std::int64_t to_int64(std::string_view text) {
    try {
        return std::stoll(std::string(text));
    } catch (const std::exception&) {  // std::invalid_argument, std::out_of_range
        return 0;
    }
}

}  // namespace kayou::text
