#include "faq/missed.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "crypto/hash.hpp"
#include "faq/analyzer.hpp"
#include "faq/scrub.hpp"
#include "redis/client.hpp"
#include "text/number.hpp"
#include "text/utf8.hpp"

namespace kayou::faq {
namespace {

namespace asio = boost::asio;

// KEYS: question hash, by_last. ARGV: id, text, outcome, now, ttl seconds, max entries.
constexpr const char* kRecordLua = R"(
redis.call('HSETNX', KEYS[1], 'text', ARGV[2])
redis.call('HSETNX', KEYS[1], 'first_at', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'count', 1)
redis.call('HSET', KEYS[1], 'last_at', ARGV[4], 'outcome', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[4]) - tonumber(ARGV[5]))
local size = redis.call('ZCARD', KEYS[2])
if size > tonumber(ARGV[6]) then
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, size - tonumber(ARGV[6]) - 1)
end
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 1
)";

void throw_if_error(const redis::Reply& reply) {
    if (reply.is_error()) throw std::runtime_error("redis: " + reply.str);
}

MissedQuestion from_fields(std::string id, const std::vector<redis::Reply>& fields) {
    MissedQuestion question;
    question.id = std::move(id);
    for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
        const auto& name = fields[i].str;
        const auto& value = fields[i + 1].str;
        if (name == "text") question.text = value;
        if (name == "outcome") question.outcome = value;
        if (name == "count") question.count = text::to_int64(value);
        if (name == "first_at") question.first_at = text::to_int64(value);
        if (name == "last_at") question.last_at = text::to_int64(value);
    }
    return question;
}

std::set<std::u32string> bigrams(const std::string& key_text) {
    const std::u32string s = text::decode_utf8(key_text);
    std::set<std::u32string> out;
    for (std::size_t i = 0; i + 1 < s.size(); ++i) out.insert(s.substr(i, 2));
    if (s.size() == 1) out.insert(s);
    return out;
}

double jaccard(const std::set<std::u32string>& a, const std::set<std::u32string>& b) {
    if (a.empty() || b.empty()) return 0;
    std::size_t shared = 0;
    for (const auto& item : a) shared += b.count(item);
    return static_cast<double>(shared) / static_cast<double>(a.size() + b.size() - shared);
}

}  // namespace

std::string missed_key_text(std::string_view scrubbed) {
    static const Analyzer analyzer;
    std::u32string folded = analyzer.fold(scrubbed);
    std::erase_if(folded, [](char32_t c) { return c == U' '; });
    return text::encode_utf8(folded);
}

std::vector<MissedGroup> group_missed(std::vector<MissedQuestion> questions, double threshold) {
    std::stable_sort(questions.begin(), questions.end(),
                     [](const auto& a, const auto& b) { return a.count > b.count; });
    std::vector<MissedGroup> groups;
    std::vector<std::set<std::u32string>> lead_bigrams;
    for (auto& question : questions) {
        const auto grams = bigrams(missed_key_text(question.text));
        std::size_t found = groups.size();
        for (std::size_t g = 0; g < groups.size(); ++g)
            if (jaccard(grams, lead_bigrams[g]) >= threshold) {
                found = g;
                break;
            }
        if (found == groups.size()) {
            MissedGroup group;
            group.lead = question;
            groups.push_back(std::move(group));
            lead_bigrams.push_back(grams);
        }
        groups[found].count += question.count;
        groups[found].members.push_back(std::move(question));
    }
    std::stable_sort(groups.begin(), groups.end(),
                     [](const auto& a, const auto& b) { return a.count > b.count; });
    return groups;
}

MissedInbox::MissedInbox(std::shared_ptr<redis::Client> redis, MissedOptions options,
                         std::function<std::int64_t()> clock)
    : redis_(std::move(redis)),
      options_(std::move(options)),
      clock_(std::move(clock)),
      record_script_(kRecordLua) {}

std::string MissedInbox::key(std::string_view suffix) const {
    return options_.key_prefix + "{missed}:" + std::string(suffix);
}

asio::awaitable<std::string> MissedInbox::record(std::string text, std::string outcome) {
    std::string scrubbed = scrub_personal_data(text);
    scrubbed = scrubbed.substr(0, text::utf8_prefix_length(scrubbed, options_.max_text_bytes));
    const std::string normalized = missed_key_text(scrubbed);
    if (normalized.empty()) co_return std::string();
    const std::string id = crypto::sha256_hex(normalized).substr(0, 16);
    std::vector<std::string> keys{key("q:" + id), key("by_last")};
    std::vector<std::string> args{id,
                                  scrubbed,
                                  outcome,
                                  std::to_string(clock_()),
                                  std::to_string(options_.retention.count()),
                                  std::to_string(options_.max_entries)};
    auto reply = co_await redis_->eval(record_script_, std::move(keys), std::move(args));
    throw_if_error(reply);
    co_return id;
}

asio::awaitable<std::optional<MissedQuestion>> MissedInbox::get(std::string id) {
    std::vector<std::string> command{"HGETALL", key("q:" + id)};
    auto reply = co_await redis_->exec(std::move(command));
    throw_if_error(reply);
    if (reply.elements.empty()) co_return std::nullopt;
    co_return from_fields(std::move(id), reply.elements);
}

asio::awaitable<std::vector<MissedGroup>> MissedInbox::groups(std::size_t limit) {
    std::vector<std::string> range{"ZREVRANGE", key("by_last"), "0",
                                   std::to_string(limit == 0 ? 0 : limit - 1)};
    auto ids = co_await redis_->exec(std::move(range));
    throw_if_error(ids);
    std::vector<std::vector<std::string>> reads;
    for (const auto& element : ids.elements) reads.push_back({"HGETALL", key("q:" + element.str)});
    std::vector<MissedQuestion> questions;
    if (!reads.empty()) {
        auto replies = co_await redis_->pipeline(std::move(reads));
        for (std::size_t i = 0; i < replies.size() && i < ids.elements.size(); ++i) {
            const auto& reply = replies[i];
            if (!reply.is_array() || reply.elements.empty()) continue;  // expired meanwhile
            questions.push_back(from_fields(ids.elements[i].str, reply.elements));
        }
    }
    co_return group_missed(std::move(questions));
}

asio::awaitable<bool> MissedInbox::dismiss(std::string id) {
    std::vector<std::vector<std::string>> commands{{"DEL", key("q:" + id)},
                                                   {"ZREM", key("by_last"), id}};
    auto replies = co_await redis_->pipeline(std::move(commands));
    for (const auto& reply : replies) throw_if_error(reply);
    co_return replies.at(0).integer > 0;
}

}  // namespace kayou::faq
