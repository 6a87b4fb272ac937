#include "members/phone_verification.hpp"

#include <cstdint>
#include <cstring>

#include "crypto/random.hpp"
#include "redis/client.hpp"
#include "redis/script.hpp"

namespace kayou::members {
namespace {

// KEYS: code. ARGV: code hash, code ttl ms.
const redis::Script kIssue(R"lua(
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'h', ARGV[1], 'tries', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 'ok'
)lua");

// KEYS: code. ARGV: code hash, max tries.
const redis::Script kCheck(R"lua(
local h = redis.call('HGET', KEYS[1], 'h')
if not h then return {'expired', 0} end
local max = tonumber(ARGV[2])
local tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
if h == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {'ok', 0}
end
if tries >= max then
  redis.call('DEL', KEYS[1])
  return {'locked', 0}
end
return {'wrong', max - tries}
)lua");

std::string ms(std::chrono::milliseconds d) { return std::to_string(d.count()); }

}  // namespace

std::string random_code() {
    // Rejection sampling: 4294000000 is the largest multiple of 10^6 below 2^32, so every
    // code is equally likely.
    for (;;) {
        const std::string bytes = crypto::random_bytes(4);
        std::uint32_t value = 0;
        std::memcpy(&value, bytes.data(), 4);
        if (value >= 4294000000u) continue;
        std::string code = std::to_string(value % 1000000);
        return std::string(6 - code.size(), '0') + code;
    }
}

PhoneVerification::PhoneVerification(std::shared_ptr<redis::Client> redis,
                                     const crypto::SealedBox& box, std::string key_prefix,
                                     VerificationLimits limits)
    : redis_(std::move(redis)), box_(box), prefix_(std::move(key_prefix)), limits_(limits) {}

std::string PhoneVerification::code_key(const std::string& phone, const std::string& owner) const {
    // 128 bits of the owner's keyed hash: unique enough, and half the bytes in every key.
    return prefix_ + "phone:{" + box_.lookup_hash(phone) +
           "}:code:" + box_.lookup_hash("code-owner|" + owner).substr(0, 32);
}

boost::asio::awaitable<std::string> PhoneVerification::issue(std::string phone, std::string owner,
                                                             std::string code) {
    if (code.empty()) code = random_code();
    std::vector<std::string> keys{code_key(phone, owner)};
    std::vector<std::string> args{box_.lookup_hash(phone + ":" + code), ms(limits_.code_ttl)};
    auto reply = co_await redis_->eval(kIssue, std::move(keys), std::move(args));
    if (reply.is_error()) throw std::runtime_error("verification issue failed: " + reply.str);
    co_return code;
}

boost::asio::awaitable<CodeCheck> PhoneVerification::check(std::string phone, std::string owner,
                                                           std::string code) {
    std::vector<std::string> keys{code_key(phone, owner)};
    std::vector<std::string> args{box_.lookup_hash(phone + ":" + code),
                                  std::to_string(limits_.max_tries)};
    auto reply = co_await redis_->eval(kCheck, std::move(keys), std::move(args));
    if (!reply.is_array() || reply.elements.size() < 2)
        throw std::runtime_error("verification check failed: " + reply.str);
    co_return CodeCheck{reply.elements[0].str, static_cast<int>(reply.elements[1].integer)};
}

}  // namespace kayou::members
