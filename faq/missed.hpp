#pragma once
// The missed-questions inbox (漏答收件箱): every question kayou did not answer directly (not
// understood, numbered choices, the desk offered) is kept for content editors, scrubbed of
// personal data before it is stored (faq/scrub.hpp), counted per normalized text and grouped by
// similarity when listed. Editors turn one into a new FAQ entry or variant (faq/script_edit.hpp,
// through the versioned publish) or dismiss it.
//
// Keys (one hash tag, {missed}):
//   <prefix>{missed}:q:<id>     hash: text (scrubbed), outcome, count, first_at, last_at;
//                               expires `retention` after its last occurrence
//   <prefix>{missed}:by_last    sorted set: id -> last_at (trimmed to `max_entries`)
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis/script.hpp"

namespace kayou::redis {
class Client;
}

namespace kayou::faq {

struct MissedQuestion {
    std::string id;
    std::string text;     // scrubbed
    std::string outcome;  // not_understood | two_answers | choices | handoff
    std::int64_t count = 0;
    std::int64_t first_at = 0;
    std::int64_t last_at = 0;
};

struct MissedGroup {
    MissedQuestion lead;                  // the most asked of the group
    std::int64_t count = 0;               // all members together
    std::vector<MissedQuestion> members;  // lead first, then by count
};

// Normalized form used as the identity of a question: width and case folded, traditional to
// simplified, punctuation, spaces and particles removed ("老板欠工资咋办？" == "老板 欠工资 咋办").
std::string missed_key_text(std::string_view scrubbed);
// Greedy grouping by character-bigram Jaccard similarity >= `threshold`, biggest counts first.
std::vector<MissedGroup> group_missed(std::vector<MissedQuestion> questions,
                                      double threshold = 0.5);

struct MissedOptions {
    std::string key_prefix = "kayou:";
    std::chrono::seconds retention{std::chrono::hours(24 * 30)};
    std::size_t max_entries = 5000;
    std::size_t max_text_bytes = 600;
};

class MissedInbox {
public:
    MissedInbox(std::shared_ptr<redis::Client> redis, MissedOptions options,
                std::function<std::int64_t()> clock);

    // Scrubs and stores one miss; returns its id ("" for an empty text). Throws redis::Error.
    boost::asio::awaitable<std::string> record(std::string text, std::string outcome);
    // The most recent `limit` questions, grouped.
    boost::asio::awaitable<std::vector<MissedGroup>> groups(std::size_t limit = 500);
    boost::asio::awaitable<std::optional<MissedQuestion>> get(std::string id);
    // False when no such question.
    boost::asio::awaitable<bool> dismiss(std::string id);

private:
    std::string key(std::string_view suffix) const;

    std::shared_ptr<redis::Client> redis_;
    MissedOptions options_;
    std::function<std::int64_t()> clock_;
    redis::Script record_script_;
};

}  // namespace kayou::faq
