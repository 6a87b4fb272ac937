#include "bot/channels/mention.hpp"

#include <cctype>

namespace kayou::channels {
namespace {

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000

// Length of the separator at text[pos] (U+2005, space, tab, newline, U+3000), 0 if none.
std::size_t separator_length(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return 0;
    const char c = text[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return 1;
    const std::string_view rest = text.substr(pos);
    if (rest.starts_with(kFourPerEmSpace) || rest.starts_with(kIdeographicSpace)) return 3;
    return 0;
}

// Whether text[pos] starts a new word: the beginning, right after a separator, or right after
// Chinese text or punctuation ("问下@卡友小助手 溧阳有司机之家吗": Chinese typing puts no space
// before the @, and such messages went unanswered; benefits helper, session 26). After a Latin
// letter or digit it is part of an address ("me@卡友小助手").
bool at_word_start(std::string_view text, std::size_t pos) {
    if (pos == 0) return true;
    if (separator_length(text, pos - 1) == 1) return true;
    if (pos >= 3 && separator_length(text, pos - 3) == 3) return true;
    const auto before = static_cast<unsigned char>(text[pos - 1]);
    // "2@卡友小助手": a pick typed before the mention (group helper, session 27).
    if (std::isdigit(before) &&
        (pos < 2 || !std::isalnum(static_cast<unsigned char>(text[pos - 2]))))
        return true;
    return before >= 0x80 || (!std::isalnum(before) && before != '_' && before != '.');
}

// Whether the name ends at text[pos]: the end, a separator, or Chinese text or punctuation right
// after it ("@卡友小助手怎么入会", "@卡友小助手，撞车了…": typed by hand, with no space, and
// silently ignored; group helper, session 27). A Latin letter, digit or '_' continues another
// name ("@卡友小助手2号").
bool at_word_end(std::string_view text, std::size_t pos) {
    if (pos >= text.size() || separator_length(text, pos) > 0) return true;
    const auto after = static_cast<unsigned char>(text[pos]);
    // "@卡友小助手2": a pick, the digits ending the message ("@卡友小助手2 你好" is a member
    // named 卡友小助手2).
    if (std::isdigit(after)) {
        std::size_t end = pos;
        while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
        return end == text.size();
    }
    return after >= 0x80 || (!std::isalnum(after) && after != '_');
}

}  // namespace

bool strip_mentions_of(std::string& text, std::string_view name) {
    if (name.empty()) return false;
    bool removed = false;
    std::size_t from = 0;
    while (from < text.size()) {
        const std::size_t at = text.find('@', from);
        if (at == std::string::npos) break;
        const std::size_t name_end = at + 1 + name.size();
        const bool name_matches = std::string_view(text).substr(at + 1, name.size()) == name;
        const bool ends_word = at_word_end(text, name_end);
        if (name_matches && ends_word && at_word_start(text, at)) {
            text.erase(at, name.size() + 1 + separator_length(text, name_end));
            removed = true;
            from = at;
        } else {
            from = at + 1;
        }
    }
    return removed;
}

bool strip_leading_mention(std::string& text) {
    if (text.empty() || text[0] != '@') return false;
    std::size_t end = 1;
    while (end < text.size() && separator_length(text, end) == 0) ++end;
    text.erase(0, end + separator_length(text, end));
    return true;
}

bool strip_leading_name(std::string& text, std::string_view name) {
    const std::string_view trimmed = trim_spaces(text);
    if (name.empty() || !trimmed.starts_with(name)) return false;
    std::size_t end = static_cast<std::size_t>(trimmed.data() - text.data()) + name.size();
    if (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) return false;
    for (std::string_view mark : {std::string_view("，"), std::string_view("："),
                                  std::string_view(","), std::string_view(":")})
        if (std::string_view(text).substr(end).starts_with(mark)) end += mark.size();
    end += separator_length(text, end);
    text.erase(0, end);
    return true;
}

std::string_view trim_spaces(std::string_view text) {
    while (!text.empty()) {
        const std::size_t length = separator_length(text, 0);
        if (length == 0) break;
        text.remove_prefix(length);
    }
    while (!text.empty()) {
        if (separator_length(text, text.size() - 1) == 1) {
            text.remove_suffix(1);
        } else if (text.size() >= 3 && separator_length(text, text.size() - 3) == 3) {
            text.remove_suffix(3);
        } else {
            break;
        }
    }
    return text;
}

}  // namespace kayou::channels
