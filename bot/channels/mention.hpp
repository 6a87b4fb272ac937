#pragma once
// @-mention handling shared by the WeCom robot and the bridge. Clients write "@name" followed by
// U+2005 (FOUR-PER-EM SPACE, mobile) or U+0020 (PC/Mac); both seen in real group messages.
#include <string>
#include <string_view>

namespace kayou::channels {

inline constexpr std::string_view kFourPerEmSpace = "\xE2\x80\x85";  // U+2005

// Removes every "@<name>" that starts the text or follows whitespace and is followed by U+2005, a
// space, a newline or the end of the text, together with that one separator. Returns whether it
// removed any. "@卡友小助手2" is not a mention of "卡友小助手".
bool strip_mentions_of(std::string& text, std::string_view name);

// Removes a leading "@token" (up to the first U+2005 / space / newline, or the whole text) plus
// that separator. Used when a platform guarantees the text starts with the bot's mention but we
// do not know the bot's display name. Returns whether it removed one.
bool strip_leading_mention(std::string& text);

// "卡友小助手 福利有哪些", "小助手在吗": a group message that starts with the bot's name without
// the "@" (voice input and older drivers write it so) is addressed to it. Removes the name and
// the separator or "，" / "：" after it; returns whether it removed one. "小助手2" is no mention.
bool strip_leading_name(std::string& text, std::string_view name);

// Trims ASCII whitespace, U+2005 and U+3000 (ideographic space) at both ends.
std::string_view trim_spaces(std::string_view text);

}  // namespace kayou::channels
