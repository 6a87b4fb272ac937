#pragma once
// Edits of an FAQ script's text that keep the editors' comments and layout: a new question
// variant for an entry, a new entry at the end. Used when a missed question becomes content
// (bot/admin/missed_api.cpp); the result goes through parse_script and the versioned upload like
// any other edit. Pure.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "faq/script.hpp"

namespace kayou::faq {

class ScriptEditError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// A YAML double-quoted scalar for any text (quotes, backslashes and control characters escaped).
std::string yaml_quote(std::string_view text);

// The script with `question` added as the last variant of entry `entry_id` (block-style
// `questions:` lists, as the shipped script writes them). Throws ScriptEditError when the entry
// is not found or its questions are not a block list.
std::string add_question_variant(std::string_view script_text, std::string_view entry_id,
                                 std::string_view question);

// The script with `entry` appended to `entries:` (which must be the last top-level key).
// Throws ScriptEditError otherwise.
std::string append_entry(std::string_view script_text, const Entry& entry);

}  // namespace kayou::faq
