#include "faq/script_edit.hpp"

#include <algorithm>
#include <cstdio>

namespace kayou::faq {
namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find('\n', start);
        if (end == std::string_view::npos) {
            if (start < text.size()) lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::size_t indent_of(std::string_view line) {
    std::size_t n = 0;
    while (n < line.size() && line[n] == ' ') ++n;
    return n;
}

std::string_view trimmed(std::string_view line) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = line.find_last_not_of(" \t\r");
    return line.substr(first, last - first + 1);
}

bool is_blank_or_comment(std::string_view line) {
    const auto text = trimmed(line);
    return text.empty() || text.front() == '#';
}

// "- id: wage_arrears", "- id: \"wage_arrears\"", "id: 'x'" -> the id, or "".
std::string id_on(std::string_view line) {
    auto text = trimmed(line);
    if (text.rfind("- ", 0) == 0) text = trimmed(text.substr(2));
    if (text.rfind("id:", 0) != 0) return {};
    auto value = trimmed(text.substr(3));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front())
        value = value.substr(1, value.size() - 2);
    return std::string(value);
}

std::string join(const std::vector<std::string_view>& lines, bool final_newline) {
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out += lines[i];
        if (i + 1 < lines.size() || final_newline) out += '\n';
    }
    return out;
}

}  // namespace

std::string yaml_quote(std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string add_question_variant(std::string_view script_text, std::string_view entry_id,
                                 std::string_view question) {
    auto lines = split_lines(script_text);
    const bool final_newline = !script_text.empty() && script_text.back() == '\n';
    std::size_t entry_line = lines.size();
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (id_on(lines[i]) == entry_id) {
            entry_line = i;
            break;
        }
    if (entry_line == lines.size())
        throw ScriptEditError("no entry '" + std::string(entry_id) + "'");
    // The entry's keys are indented like its "id:" (after the "- ").
    const std::size_t dash = indent_of(lines[entry_line]);
    const std::size_t key_indent = dash + 2;
    std::size_t questions_line = lines.size();
    for (std::size_t i = entry_line + 1; i < lines.size(); ++i) {
        if (is_blank_or_comment(lines[i])) continue;
        if (indent_of(lines[i]) <= dash) break;  // the next entry or top-level key
        if (indent_of(lines[i]) == key_indent && trimmed(lines[i]).rfind("questions:", 0) == 0) {
            questions_line = i;
            break;
        }
    }
    if (questions_line == lines.size())
        throw ScriptEditError("entry '" + std::string(entry_id) + "' has no questions list");
    if (trimmed(trimmed(lines[questions_line]).substr(10)).size() > 0)
        throw ScriptEditError("entry '" + std::string(entry_id) +
                              "' writes its questions inline; edit the file instead");
    std::size_t last_item = questions_line;
    std::size_t item_indent = key_indent + 2;
    for (std::size_t i = questions_line + 1; i < lines.size(); ++i) {
        if (is_blank_or_comment(lines[i])) continue;
        const auto text = trimmed(lines[i]);
        if (indent_of(lines[i]) <= key_indent &&
            !(indent_of(lines[i]) == key_indent && text.rfind("- ", 0) == 0))
            break;
        if (text.rfind("- ", 0) == 0) {
            last_item = i;
            item_indent = indent_of(lines[i]);
        }
    }
    const std::string item = std::string(item_indent, ' ') + "- " + yaml_quote(question);
    std::vector<std::string_view> out(lines.begin(), lines.begin() + last_item + 1);
    out.push_back(item);
    out.insert(out.end(), lines.begin() + last_item + 1, lines.end());
    return join(out, final_newline);
}

namespace {

// An id the parser reads back unchanged without quotes; anything else is quoted (and then
// rejected by parse_script with its message, rather than breaking the YAML).
bool plain_id(std::string_view id) {
    if (id.empty()) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    return true;
}

std::string flow_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + yaml_quote(items[i]);
    return out + "]";
}

// The entry's block, one string per line, with the field each line holds; `first_line` is the
// 1-based line the block will start on.
std::vector<std::string> entry_block(const Entry& entry, std::size_t dash, int first_line,
                                     std::vector<EntryLine>& fields) {
    const std::string pad(dash, ' ');
    const std::string key_pad(dash + 2, ' ');
    std::vector<std::string> out;
    auto add = [&](std::string line, const char* field, int index) {
        out.push_back(std::move(line));
        fields.push_back({first_line + static_cast<int>(out.size()) - 1, field, index});
    };
    add(pad + "- id: " + (plain_id(entry.id) ? entry.id : yaml_quote(entry.id)), "id", -1);
    add(key_pad + "questions:", "questions", -1);
    for (std::size_t i = 0; i < entry.questions.size(); ++i)
        add(key_pad + "  - " + yaml_quote(entry.questions[i]), "questions", static_cast<int>(i));
    add(key_pad + "answer: " + yaml_quote(entry.answer), "answer", -1);
    if (!entry.legal_basis.empty()) {
        add(key_pad + "legal_basis:", "legal_basis", -1);
        for (std::size_t i = 0; i < entry.legal_basis.size(); ++i) {
            const auto& basis = entry.legal_basis[i];
            std::string line = key_pad + "  - {law: " + yaml_quote(basis.law);
            if (!basis.article.empty()) line += ", article: " + yaml_quote(basis.article);
            add(line + "}", "legal_basis", static_cast<int>(i));
        }
    }
    if (!entry.tags.empty()) add(key_pad + "tags: " + flow_list(entry.tags), "tags", -1);
    if (!entry.districts.empty())
        add(key_pad + "districts: " + flow_list(entry.districts), "districts", -1);
    if (!entry.legal) add(key_pad + "legal: false", "legal", -1);
    if (entry.handoff) add(key_pad + "handoff: true", "handoff", -1);
    return out;
}

// The line of top-level `entries:`, or lines.size().
std::size_t entries_line_of(const std::vector<std::string_view>& lines) {
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (!is_blank_or_comment(lines[i]) && indent_of(lines[i]) == 0 &&
            trimmed(lines[i]).rfind("entries:", 0) == 0)
            return i;
    return lines.size();
}

// The indent of the dashes of `entries:` items (2 in the shipped script).
std::size_t entries_dash(const std::vector<std::string_view>& lines, std::size_t entries_line) {
    for (std::size_t i = entries_line + 1; i < lines.size(); ++i) {
        if (is_blank_or_comment(lines[i])) continue;
        if (indent_of(lines[i]) == 0 && trimmed(lines[i]).rfind("- ", 0) != 0) break;
        if (trimmed(lines[i]).rfind("- ", 0) == 0) return indent_of(lines[i]);
    }
    return 2;
}

struct Block {
    std::size_t first = 0;  // the item's "- " line
    std::size_t last = 0;   // its last line that is neither blank nor a comment
    std::size_t dash = 0;
};

// The block of the `entries:` item whose id is `id` (block-style items, as the shipped script
// writes them: "- id: x" or "- questions: …" with "id: x" among the item's keys).
Block find_entry(const std::vector<std::string_view>& lines, std::string_view id) {
    const std::size_t entries_line = entries_line_of(lines);
    if (entries_line == lines.size()) throw ScriptEditError("the script has no entries:");
    const std::size_t dash = entries_dash(lines, entries_line);
    std::size_t item = lines.size();
    for (std::size_t i = entries_line + 1; i < lines.size(); ++i) {
        if (is_blank_or_comment(lines[i])) continue;
        const std::size_t indent = indent_of(lines[i]);
        const bool starts_item = indent == dash && trimmed(lines[i]).rfind("- ", 0) == 0;
        if (!starts_item && indent <= dash) break;  // the next top-level key
        if (starts_item) item = i;
        if (item == lines.size() || (!starts_item && indent != dash + 2) || id_on(lines[i]) != id)
            continue;
        Block block{item, item, dash};
        for (std::size_t j = item + 1; j < lines.size(); ++j) {
            if (is_blank_or_comment(lines[j])) continue;
            if (indent_of(lines[j]) <= dash) break;
            block.last = j;
        }
        return block;
    }
    throw ScriptEditError("no entry '" + std::string(id) + "'");
}

}  // namespace

const EntryLine* EntryEdit::at(int line) const {
    for (const auto& written : lines)
        if (written.line == line) return &written;
    return nullptr;
}

EntryEdit put_entry(std::string_view script_text, std::string_view original_id,
                    const Entry& entry) {
    EntryEdit edit;
    if (original_id.empty()) {
        const auto lines = split_lines(script_text);
        const std::size_t entries_line = entries_line_of(lines);
        if (entries_line == lines.size()) throw ScriptEditError("the script has no entries:");
        for (std::size_t i = entries_line + 1; i < lines.size(); ++i)
            if (!is_blank_or_comment(lines[i]) && indent_of(lines[i]) == 0 &&
                trimmed(lines[i]).rfind("- ", 0) != 0)
                throw ScriptEditError("entries: must be the last top-level key to append an entry");
        const std::size_t dash = entries_dash(lines, entries_line);
        edit.text = std::string(script_text);
        if (!edit.text.empty() && edit.text.back() != '\n') edit.text += '\n';
        const auto before = std::count(edit.text.begin(), edit.text.end(), '\n');
        edit.text += '\n';
        edit.first_line = static_cast<int>(before) + 2;
        for (const auto& line : entry_block(entry, dash, edit.first_line, edit.lines))
            edit.text += line + "\n";
        edit.last_line = edit.lines.back().line;
        return edit;
    }
    const auto lines = split_lines(script_text);
    const bool final_newline = !script_text.empty() && script_text.back() == '\n';
    const Block block = find_entry(lines, original_id);
    edit.first_line = static_cast<int>(block.first) + 1;
    const auto written = entry_block(entry, block.dash, edit.first_line, edit.lines);
    edit.last_line = edit.lines.back().line;
    std::vector<std::string_view> out(lines.begin(), lines.begin() + block.first);
    out.insert(out.end(), written.begin(), written.end());
    out.insert(out.end(), lines.begin() + block.last + 1, lines.end());
    edit.text = join(out, final_newline || block.last + 1 == lines.size());
    return edit;
}

std::string append_entry(std::string_view script_text, const Entry& entry) {
    return put_entry(script_text, "", entry).text;
}

std::string remove_entry(std::string_view script_text, std::string_view entry_id) {
    const auto lines = split_lines(script_text);
    const bool final_newline = !script_text.empty() && script_text.back() == '\n';
    const Block block = find_entry(lines, entry_id);
    std::size_t end = block.last + 1;
    // One of the two blank lines that surrounded the block goes with it.
    if (block.first > 0 && trimmed(lines[block.first - 1]).empty() && end < lines.size() &&
        trimmed(lines[end]).empty())
        ++end;
    std::vector<std::string_view> out(lines.begin(), lines.begin() + block.first);
    out.insert(out.end(), lines.begin() + end, lines.end());
    return join(out, final_newline);
}

}  // namespace kayou::faq
