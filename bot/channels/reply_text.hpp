#pragma once
// Fitting dialog replies into a channel's byte limit (limits are UTF-8 bytes; Chinese is
// 3 bytes a character, emoji 4). Two strategies, chosen per channel:
// - one message only (OA / WeCom app passive reply, WeCom robot stream): join the texts with a
//   blank line and, if too long, cut at a code point boundary and end with "…" so the driver sees
//   the answer was shortened rather than a sentence that silently stops;
// - several messages (bridge): split every text with text::split_utf8.
// Outgoing text is cleaned with text::strip_control first: C0/C1 controls are invalid in XML 1.0
// and malformed UTF-8 would make the JSON writers fail.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kayou::channels {

inline constexpr std::string_view kTruncationMarker = "\xE2\x80\xA6";  // "…", 3 bytes

// Joins the non-empty texts with "\n\n" and fits the result into max_bytes (>= 4) as described
// above. Returns "" when there is nothing to say.
std::string join_for_one_message(const std::vector<std::string>& texts, std::size_t max_bytes);

// Cuts `text` to at most max_bytes (>= 4) at a code point boundary, ending with "…" when it cut.
std::string truncate_with_marker(std::string_view text, std::size_t max_bytes);

// Plain text for a channel that renders markdown (the WeCom robot's stream.content): every ASCII
// '*' becomes U+FF0A '＊', which looks the same and is no markup, so masked values such as
// "137****5342" or "张*" never turn into bold or italic markers. Other characters are left alone
// ('_' occurs in join links, whose tokens are base64url).
std::string markdown_literal(std::string_view text);

// Splits every non-empty text into chunks of at most max_bytes, never inside a code point.
std::vector<std::string> split_for_messages(const std::vector<std::string>& texts,
                                            std::size_t max_bytes);

}  // namespace kayou::channels
