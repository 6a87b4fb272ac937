#pragma once
// A short question that leans on the one before it ("那要多久", "要是单位不给报呢",
// "还有别的办法吗") says too little to be searched alone: searched alone, "要是单位不给报呢" after
// a work-injury question found a speeding-fine entry. In a private chat the legal service also
// searches it after the driver's last legal question (the topic) and keeps whichever search matches
// better (faq::answer_from). Pure functions, table-tested in tests/unit/faq_follow_up_test.cpp.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace kayou::faq {

// A message longer than this many characters (code points, punctuation and spaces excluded)
// stands on its own.
inline constexpr std::size_t kFollowUpMaxChars = 16;

// Whether `message` has the shape of a follow-up: short, and either opening with a word that
// points back (那, 那么, 还有, 还能, 要是, 如果, 万一, 另外, 然后, 这样, 这种 …) or ending in 呢
// ("单位不给报呢"). Punctuation and spaces around it do not count.
bool leans_on_previous(std::string_view message);

// The text searched for a follow-up: the topic, then the message, so that the long-story search
// (faq/focus.hpp) takes the message as the asking part and the topic as its background.
std::string with_topic(std::string_view topic, std::string_view message);

// The topic a follow-up leans on, from the driver's earlier messages (oldest first, the follow-up
// itself not included): the latest one that stands on its own, reached back through follow-ups
// only ("工伤认定要多久" ← "那要准备啥" ← "要是单位不给报呢"). Empty when there is none.
std::string topic_of(std::span<const std::string> earlier);

}  // namespace kayou::faq
