#include "members/chat_binding.hpp"

#include "crypto/random.hpp"
#include "redis/client.hpp"
#include "redis/script.hpp"

namespace kayou::members {
namespace {

// KEYS: 1 code, 2 driver's latest application, 3 failures of this chat
// ARGV: 1 failures allowed per hour
// Returns {'linked', id} | {'unknown'} | {'limited'}. A code is taken (deleted) when it links.
const redis::Script kRedeem(R"lua(
local failures = tonumber(redis.call('GET', KEYS[3]) or '0')
if failures >= tonumber(ARGV[1]) then return {'limited'} end
local id = redis.call('GET', KEYS[1])
if not id then
  redis.call('INCR', KEYS[3])
  redis.call('EXPIRE', KEYS[3], 3600)
  return {'unknown'}
end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], id)
return {'linked', id}
)lua");

}  // namespace

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
    std::vector<std::string> keys{normalized ? code_key(*normalized) : prefix_ + "bind:{none}",
                                  std::move(driver_key), prefix_ + "bind:fail:{" + driver + "}"};
    std::vector<std::string> args{std::to_string(kBindFailuresPerHour)};
    auto reply = co_await redis_->eval(kRedeem, std::move(keys), std::move(args));
    if (!reply.is_array() || reply.elements.empty())
        throw std::runtime_error("bind code redeem failed: " + reply.str);
    const std::string& outcome = reply.elements[0].str;
    if (outcome == "linked" && reply.elements.size() > 1) {
        redeemed.outcome = Outcome::linked;
        redeemed.application_id = reply.elements[1].str;
    } else if (outcome == "limited") {
        redeemed.outcome = Outcome::limited;
    }
    co_return redeemed;
}

boost::asio::awaitable<void> ChatBinding::revoke(std::string code) {
    const auto normalized = normalize_bind_code(code);
    if (!normalized) co_return;
    std::vector<std::string> command{"DEL", code_key(*normalized)};
    co_await redis_->exec(std::move(command));
}

}  // namespace kayou::members
