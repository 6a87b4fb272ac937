#pragma once
// Whether a driver's message says a word, or any of several: the one scan behind every "does he
// say 挂靠 / 入会 / 洗澡" check in the dialogs and the FAQ. Byte-wise on UTF-8, which cannot
// match inside another character. Pure; tested in tests/unit/text_words_test.cpp.
#include <algorithm>
#include <initializer_list>
#include <span>
#include <string_view>

namespace kayou::text {

// An empty word is in no text.
inline bool contains(std::string_view text, std::string_view word) {
    return !word.empty() && text.find(word) != std::string_view::npos;
}

inline bool contains_any(std::string_view text, std::span<const std::string_view> words) {
    return std::any_of(words.begin(), words.end(),
                       [text](std::string_view word) { return contains(text, word); });
}

inline bool contains_any(std::string_view text, std::initializer_list<std::string_view> words) {
    return contains_any(text, std::span<const std::string_view>(words.begin(), words.size()));
}

}  // namespace kayou::text
