#pragma once
// Edits of an FAQ script's text that keep the editors' comments and layout: a new question
// variant for an entry, a new entry at the end, one entry's block replaced or removed. Used when a
// missed question becomes content (bot/admin/missed_api.cpp) and when an editor saves one entry
// from the console's form (bot/admin/content_api.cpp); the result goes through parse_script and
// the versioned upload like any other edit. Pure.
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

// One line of an entry written by put_entry: which field of the editor's form it holds, so a
// parser message about that line (a 422) is shown next to the field it is about.
struct EntryLine {
    int line = 0;  // 1-based, in the edited text
    std::string
        field;       // id | questions | answer | legal_basis | tags | districts | legal | handoff
    int index = -1;  // the item of questions / legal_basis; -1 for the key's own line
};

struct EntryEdit {
    std::string text;    // the whole edited script
    int first_line = 0;  // the entry's block in `text` (1-based, inclusive)
    int last_line = 0;
    std::vector<EntryLine> lines;

    // The field written on `line`, or nullptr (outside the block).
    const EntryLine* at(int line) const;
};

// The script with the block of entry `original_id` replaced by `entry`, written out in the
// documented key order with every text double-quoted. Comments and blank lines around the block
// stay where they are (the section headings between entries); comments inside it are dropped.
// An empty `original_id` appends `entry` like append_entry. The entry's id may differ from
// `original_id` (a rename); whether the result is a valid script is for parse_script to say.
// Throws ScriptEditError when `original_id` is not an entry of the script.
EntryEdit put_entry(std::string_view script_text, std::string_view original_id, const Entry& entry);

// The script without the block of entry `entry_id` (the comments around it stay). Throws
// ScriptEditError when there is no such entry.
std::string remove_entry(std::string_view script_text, std::string_view entry_id);

}  // namespace kayou::faq
