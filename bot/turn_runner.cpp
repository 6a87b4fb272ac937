#include "bot/turn_runner.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <optional>

#include "crypto/sealed_box.hpp"
#include "ops/metrics.hpp"
#include "redis/client.hpp"

namespace kayou::bot {

namespace asio = boost::asio;
namespace {
// Stored values: "P" while the first delivery runs, then the reply: "L" + length-prefixed
// strings (written since 2026-11-23; nlohmann's dump with its UTF-8 checks was ~4 % of a turn's
// CPU), or "R" + JSON as older processes wrote it, still read during a rolling upgrade. The
// length-prefixed form is texts, mentions and, when there are any, the private texts (a retry of
// a group message gets the same link 1:1 as the first delivery).
constexpr std::string_view kPending = "P";
constexpr char kLengthPrefixedTag = 'L';
constexpr char kJsonReplyTag = 'R';
// A reply sealed with the data key: "S" + SealedBox (crypto/sealed_box.hpp) of the encoded reply.
constexpr char kSealedReplyTag = 'S';

void append_length_prefixed(std::string& out, const std::vector<std::string>& strings) {
    out.append(std::to_string(strings.size())).push_back(':');
    for (const auto& s : strings) out.append(std::to_string(s.size())).append(":").append(s);
}

// Reads "<decimal>:" at `pos`; nullopt when absent or larger than the bytes that remain.
std::optional<std::size_t> read_length(std::string_view in, std::size_t& pos) {
    std::size_t value = 0;
    const std::size_t start = pos;
    while (pos < in.size() && in[pos] >= '0' && in[pos] <= '9' && pos - start < 9)
        value = value * 10 + static_cast<std::size_t>(in[pos++] - '0');
    if (pos == start || pos >= in.size() || in[pos] != ':') return std::nullopt;
    ++pos;
    if (value > in.size() - pos) return std::nullopt;
    return value;
}

bool read_length_prefixed(std::string_view in, std::size_t& pos, std::vector<std::string>& out) {
    const auto count = read_length(in, pos);
    if (!count) return false;
    for (std::size_t i = 0; i < *count; ++i) {
        const auto size = read_length(in, pos);
        if (!size) return false;
        out.emplace_back(in.substr(pos, *size));
        pos += *size;
    }
    return true;
}

// Builds the argument vector outside the co_await expression (docs/coroutines.md).
std::vector<std::string> command(std::initializer_list<std::string_view> args) {
    return {args.begin(), args.end()};
}

// Stores a turn's reply under its dedupe key, off the turn's critical path.
asio::awaitable<void> store_reply(std::shared_ptr<redis::Client> redis,
                                  std::vector<std::string> store) {
    try {
        co_await redis->exec(std::move(store));
    } catch (const std::exception&) {
        // Counted in the client's error stats. Retries then find the claim ("P") and, after
        // pending_wait, are acknowledged without a reply, as they were when an awaited store
        // failed and turned the first delivery into a 503; the first delivery now keeps its
        // reply.
    }
}
}  // namespace

TurnRunner::TurnRunner(std::shared_ptr<redis::Client> redis, dialogs::Dialog& dialog,
                       std::string key_prefix, std::chrono::seconds ttl, ops::Metrics& metrics,
                       const crypto::SealedBox* box)
    : redis_(std::move(redis)),
      dialog_(dialog),
      key_prefix_(std::move(key_prefix)),
      ttl_(ttl),
      turns_(metrics.counter("kayou_dialog_turns_total")),
      duplicates_(metrics.counter("kayou_dedupe_hits_total")),
      box_(box) {}

// The name echoed at the join form ("姓名用您刚才发的：王小明。") sat in clear under the dedupe key
// (tests/integration/privacy_at_rest_test.cpp, session 27): stored replies are sealed, bound to
// their key.
std::string TurnRunner::stored_reply(const dialogs::Reply& reply, const std::string& key) const {
    std::string encoded = encode_reply(reply);
    if (!box_) return encoded;
    return std::string(1, kSealedReplyTag) + box_->seal(encoded, key);
}

dialogs::Reply TurnRunner::reply_stored(std::string_view stored, const std::string& key) const {
    if (stored.empty() || stored.front() != kSealedReplyTag) return decode_reply(stored);
    if (!box_) return {};
    const auto opened = box_->open(stored.substr(1), key);
    if (!opened) return {};
    return decode_reply(*opened);
}

std::string TurnRunner::encode_reply(const dialogs::Reply& reply) {
    std::string out(1, kLengthPrefixedTag);
    append_length_prefixed(out, reply.texts);
    append_length_prefixed(out, reply.mentions);
    // Optional lists at the end, in this order; a later one present means every earlier one is
    // written too (empty or not), so replies stored before a list existed still read.
    if (!reply.private_texts.empty() || !reply.follow_ups.empty())
        append_length_prefixed(out, reply.private_texts);
    if (!reply.follow_ups.empty()) append_length_prefixed(out, reply.follow_ups);
    return out;
}

dialogs::Reply TurnRunner::decode_reply(std::string_view stored) {
    dialogs::Reply reply;
    if (!stored.empty() && stored.front() == kLengthPrefixedTag) {
        std::size_t pos = 1;
        if (!read_length_prefixed(stored, pos, reply.texts) ||
            !read_length_prefixed(stored, pos, reply.mentions))
            return {};
        for (auto* optional : {&reply.private_texts, &reply.follow_ups})
            if (pos != stored.size() && !read_length_prefixed(stored, pos, *optional)) return {};
        if (pos != stored.size()) return {};
        return reply;
    }
    if (stored.empty() || stored.front() != kJsonReplyTag) return reply;
    auto json = nlohmann::json::parse(stored.substr(1), nullptr, false);
    if (json.is_discarded()) return reply;
    reply.texts = json.value("t", std::vector<std::string>{});
    reply.mentions = json.value("m", std::vector<std::string>{});
    return reply;
}

asio::awaitable<TurnOutcome> TurnRunner::run(const dialogs::Message& message) {
    if (message.dedupe_key.empty()) {
        turns_.add();
        co_return TurnOutcome{co_await dialog_.handle(message), false};
    }
    // The hash tag keeps this key on the same Redis Cluster slot as the conversation's keys.
    const std::string key = key_prefix_ + "dedupe:{" + message.dedupe_key + "}";
    const std::string ttl_ms =
        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(ttl_).count());

    using ClaimState = dialogs::DedupeClaim::State;
    dialogs::DedupeClaim claim{command({"SET", key, kPending, "NX", "PX", ttl_ms})};
    std::optional<dialogs::Reply> handled;
    std::exception_ptr failure;
    if (dialog_.claims_inline(message)) {
        // The dialog sends the claim in its first pipeline (with the conversation lock), which
        // saves a round trip; it reports what Redis answered in claim.state.
        try {
            handled = co_await dialog_.handle_claiming(message, claim);
        } catch (...) {
            failure = std::current_exception();
        }
    } else {
        auto claim_command = claim.command;
        auto claimed = co_await redis_->exec(std::move(claim_command));
        if (claimed.ok() && !claimed.is_nil()) {
            claim.state = ClaimState::ours;
            try {
                handled = co_await dialog_.handle(message);
            } catch (...) {
                failure = std::current_exception();
            }
        }
    }
    if (failure) {
        // Release the claim so the platform's retry runs the turn instead of waiting on a
        // turn that will never answer; only our own: another delivery's is still running.
        if (claim.state == ClaimState::ours) {
            auto release = command({"DEL", key});
            try {
                co_await redis_->exec(std::move(release));
            } catch (...) {
            }
        }
        std::rethrow_exception(failure);
    }
    if (handled) {
        turns_.add();
        // The reply is stored without waiting for it: a retry can only see "P" or the reply,
        // never no key, so it cannot run the dialog again; one that comes before the store
        // lands polls until it does (the store goes out on the next turn of the event loop,
        // long before the platform has our answer and could retry).
        auto store = command({"SET", key, stored_reply(*handled, key), "PX", ttl_ms});
        auto executor = co_await asio::this_coro::executor;
        asio::co_spawn(executor, store_reply(redis_, std::move(store)), asio::detached);
        co_return TurnOutcome{std::move(*handled), false};
    }

    duplicates_.add();
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto give_up = std::chrono::steady_clock::now() + pending_wait_;
    for (;;) {
        auto get = command({"GET", key});
        auto stored = co_await redis_->exec(std::move(get));
        if (!stored.is_nil() && stored.str != kPending)
            co_return TurnOutcome{reply_stored(stored.str, key), true};
        if (stored.is_nil() || std::chrono::steady_clock::now() >= give_up)
            co_return TurnOutcome{{}, true};
        timer.expires_after(std::chrono::milliseconds(50));
        co_await timer.async_wait(asio::use_awaitable);
    }
}

}  // namespace kayou::bot
