#include "faq/follow_up.hpp"

#include <algorithm>
#include <array>

#include "text/utf8.hpp"

namespace kayou::faq {
namespace {

// The message without the spaces and punctuation around it (the chat's own edge cleaning,
// text::is_edge_punctuation).
std::u32string trimmed(std::string_view message) {
    std::u32string points = text::decode_utf8(message);
    std::size_t begin = 0, end = points.size();
    while (begin < end && text::is_edge_punctuation(points[begin])) ++begin;
    while (end > begin && text::is_edge_punctuation(points[end - 1])) --end;
    return points.substr(begin, end - begin);
}

std::size_t counted_chars(const std::u32string& points) {
    return static_cast<std::size_t>(std::count_if(
        points.begin(), points.end(), [](char32_t cp) { return !text::is_edge_punctuation(cp); }));
}

// Words that open a question about what was just said. Two-character words come before their
// first character's entry only for readability: any prefix match counts.
constexpr std::array<std::u32string_view, 16> kPointsBack = {
    U"那",   U"还有", U"还能", U"还要", U"还得", U"还可以", U"要是", U"如果",
    U"万一", U"另外", U"然后", U"这样", U"这种", U"那种",   U"假如", U"再",
};

}  // namespace

bool leans_on_previous(std::string_view message) {
    const std::u32string points = trimmed(message);
    const std::size_t chars = counted_chars(points);
    if (chars == 0 || chars > kFollowUpMaxChars) return false;
    for (const auto word : kPointsBack)
        if (points.starts_with(word)) return true;
    return points.back() == U'呢';
}

std::string with_topic(std::string_view topic, std::string_view message) {
    std::string text(topic);
    text += " ";
    text += message;
    return text;
}

std::string topic_of(std::span<const std::string> earlier) {
    for (auto message = earlier.rbegin(); message != earlier.rend(); ++message) {
        if (counted_chars(trimmed(*message)) == 0) return {};
        if (!leans_on_previous(*message)) return *message;
    }
    return {};
}

}  // namespace kayou::faq
