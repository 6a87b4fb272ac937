#include "members/chat_binding.hpp"

#include "crypto/random.hpp"
#include "redis/client.hpp"

namespace kayou::members {

std::string random_bind_code() {
    const std::string bytes = crypto::random_bytes(8);
    std::string code;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        // 256 is not a multiple of 31: rejection sampling keeps every character equally likely.
        unsigned char b = static_cast<unsigned char>(bytes[i]);
        while (b >= 248) b = static_cast<unsigned char>(crypto::random_bytes(1)[0]);
        code += kBindCodeAlphabet[b % kBindCodeAlphabet.size()];
        if (i == 3) code += '-';
    }
    return code;
}

std::optional<std::string> normalize_bind_code(std::string_view text) {
    std::string code;
    for (char c : text) {
        if (c == ' ' || c == '-' || c == '\t') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (kBindCodeAlphabet.find(c) == std::string_view::npos) return std::nullopt;
        code += c;
        if (code.size() > 8) return std::nullopt;
    }
    if (code.size() != 8) return std::nullopt;
    return code;
}

ChatBinding::ChatBinding(std::shared_ptr<redis::Client> redis, const crypto::SealedBox& box,
                         std::string key_prefix)
    : redis_(std::move(redis)), box_(box), prefix_(std::move(key_prefix)) {}

std::string ChatBinding::code_key(const std::string& normalized) const {
    return prefix_ + "bind:{" + box_.lookup_hash("bind-code:" + normalized) + "}";
}

boost::asio::awaitable<std::string> ChatBinding::issue(std::string application_id) {
    const std::string code = random_bind_code();
    std::vector<std::string> command{"SET", code_key(*normalize_bind_code(code)),
                                     std::move(application_id), "EX",
                                     std::to_string(kBindCodeTtl.count())};
    auto reply = co_await redis_->exec(std::move(command));
    if (!reply.ok()) throw std::runtime_error("bind code store failed");
    co_return code;
}

boost::asio::awaitable<ChatBinding::Redeemed> ChatBinding::redeem(std::string code,
                                                                  std::string driver_key,
                                                                  std::string driver) {
    Redeemed redeemed;
    const auto normalized = normalize_bind_code(code);
    // Steps on two hash tags (docs/DESIGN.md "Keys and hash tags"): the chat's failures and link
    // ({<driver>}), the code ({<code hash>}). The code is taken (GETDEL) before the link is
    // written, so it links once; a process dying between the two leaves the chat unlinked and the
    // code spent, and the staff issue a new one.
    const std::string failures_key = prefix_ + "bind:fail:{" + driver + "}";
    std::vector<std::string> failures{"GET", failures_key};
    const auto failed = co_await redis_->exec(std::move(failures));
    if (failed.as_int() >= kBindFailuresPerHour) {
        redeemed.outcome = Outcome::limited;
        co_return redeemed;
    }
    std::string taken_id;
    if (normalized) {
        std::vector<std::string> take{"GETDEL", code_key(*normalized)};
        const auto taken = co_await redis_->exec(std::move(take));
        if (taken.is_error()) throw std::runtime_error("bind code redeem failed: " + taken.str);
        if (taken.is_string()) taken_id = taken.str;
    }
    if (taken_id.empty()) {
        std::vector<std::vector<std::string>> count{{"INCR", failures_key},
                                                    {"EXPIRE", failures_key, "3600"}};
        co_await redis_->pipeline(std::move(count));
        co_return redeemed;
    }
    std::vector<std::string> link{"SET", std::move(driver_key), taken_id};
    const auto linked = co_await redis_->exec(std::move(link));
    if (linked.is_error()) throw std::runtime_error("bind code redeem failed: " + linked.str);
    redeemed.outcome = Outcome::linked;
    redeemed.application_id = std::move(taken_id);
    co_return redeemed;
}

boost::asio::awaitable<void> ChatBinding::revoke(std::string code) {
    const auto normalized = normalize_bind_code(code);
    if (!normalized) co_return;
    std::vector<std::string> command{"DEL", code_key(*normalized)};
    co_await redis_->exec(std::move(command));
}

}  // namespace kayou::members
