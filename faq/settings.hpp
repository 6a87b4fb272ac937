#pragma once
// "--set name=value" for the evaluation tools (faq_eval, legal_eval): one table of the retrieval
// options and decision thresholds that can be compared without a rebuild, so both tools accept
// the same names and refuse the same mistakes.
#include <string>
#include <string_view>

#include "faq/decide.hpp"
#include "faq/index.hpp"

namespace kayou::faq {

// Applies one "name=value". Returns an empty string when applied; otherwise what was wrong (an
// unknown name, a value that is not a number), and nothing was changed.
std::string apply_setting(std::string_view setting, IndexOptions& options, Thresholds& thresholds);

// The accepted names, space-separated, for usage messages.
std::string setting_names();

}  // namespace kayou::faq
