#include "bot/channels/reply_text.hpp"

#include <algorithm>

#include "text/utf8.hpp"

namespace kayou::channels {

std::string truncate_with_marker(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return std::string(text);
    if (max_bytes < kTruncationMarker.size() + 1) max_bytes = kTruncationMarker.size() + 1;
    std::string out(
        text.substr(0, text::utf8_prefix_length(text, max_bytes - kTruncationMarker.size())));
    out.append(kTruncationMarker);
    return out;
}

std::string join_for_one_message(const std::vector<std::string>& texts, std::size_t max_bytes) {
    std::string joined;
    for (const auto& text : texts) {
        // Cleaning first also guarantees valid UTF-8, which utf8_prefix_length relies on to find
        // a boundary (it only skips continuation bytes).
        const std::size_t separator = joined.empty() ? 0 : 2;
        const std::size_t room = max_bytes - std::min(max_bytes, joined.size() + separator);
        // Only what can still fit is cleaned: cleaning what the limit cuts off was ~3 % of a turn.
        std::string clean = text::strip_control_prefix(text, room);
        if (clean.empty()) continue;
        if (!joined.empty()) joined.append("\n\n");
        joined.append(clean);
        if (joined.size() > max_bytes) break;  // the rest would be cut off anyway
    }
    return truncate_with_marker(joined, max_bytes);
}

std::string markdown_literal(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '*')
            out.append("\xEF\xBC\x8A");  // U+FF0A FULLWIDTH ASTERISK
        else
            out.push_back(c);
    }
    return out;
}

std::vector<std::string> split_for_messages(const std::vector<std::string>& texts,
                                            std::size_t max_bytes) {
    std::vector<std::string> out;
    for (const auto& text : texts) {
        // strip_control drops malformed bytes, so split_utf8 always finds a boundary.
        const std::string clean = text::strip_control(text);
        if (clean.empty()) continue;
        for (auto& chunk : text::split_utf8(clean, max_bytes)) out.push_back(std::move(chunk));
    }
    return out;
}

}  // namespace kayou::channels
