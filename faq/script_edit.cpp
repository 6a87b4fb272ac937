#include "faq/script_edit.hpp"

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
        if (indent_of(lines[i]) <= key_indent && !(indent_of(lines[i]) == key_indent &&
                                                   text.rfind("- ", 0) == 0))
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

std::string append_entry(std::string_view script_text, const Entry& entry) {
    const auto lines = split_lines(script_text);
    std::size_t entries_line = lines.size();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (is_blank_or_comment(lines[i]) || indent_of(lines[i]) > 0) continue;
        if (trimmed(lines[i]).rfind("entries:", 0) == 0)
            entries_line = i;
        else if (entries_line != lines.size())
            throw ScriptEditError("entries: must be the last top-level key to append an entry");
    }
    if (entries_line == lines.size()) throw ScriptEditError("the script has no entries:");
    std::size_t dash = 2;
    for (std::size_t i = entries_line + 1; i < lines.size(); ++i)
        if (!is_blank_or_comment(lines[i]) && trimmed(lines[i]).rfind("- ", 0) == 0) {
            dash = indent_of(lines[i]);
            break;
        }
    const std::string pad(dash, ' ');
    const std::string key_pad(dash + 2, ' ');
    std::string out(script_text);
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += "\n" + pad + "- id: " + entry.id + "\n" + key_pad + "questions:\n";
    for (const auto& question : entry.questions)
        out += key_pad + "  - " + yaml_quote(question) + "\n";
    out += key_pad + "answer: " + yaml_quote(entry.answer) + "\n";
    if (!entry.legal_basis.empty()) {
        out += key_pad + "legal_basis:\n";
        for (const auto& basis : entry.legal_basis) {
            out += key_pad + "  - {law: " + yaml_quote(basis.law);
            if (!basis.article.empty()) out += ", article: " + yaml_quote(basis.article);
            out += "}\n";
        }
    }
    if (!entry.tags.empty()) {
        out += key_pad + "tags: [";
        for (std::size_t i = 0; i < entry.tags.size(); ++i)
            out += (i ? ", " : "") + yaml_quote(entry.tags[i]);
        out += "]\n";
    }
    if (!entry.legal) out += key_pad + "legal: false\n";
    if (entry.handoff) out += key_pad + "handoff: true\n";
    return out;
}

}  // namespace kayou::faq
