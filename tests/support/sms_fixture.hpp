#pragma once
// What SMS integration tests share: a kayou config pointing at a FakeSmsProvider (Tencent primary,
// Aliyun fallback, the shipped templates with provider ids filled in), and the test process' own
// view of the outbox in Redis (enqueue and read records the way kayou's code does).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/random.hpp"
#include "crypto/sealed_box.hpp"
#include "notify/redis_outbox.hpp"
#include "redis/client.hpp"
#include "tests/support/fake_sms_provider.hpp"

namespace kayou::test {

// base64 of "0123456789abcdef0123456789abcdef": a test-only personal-data key.
inline constexpr const char* kSmsDataKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
inline constexpr const char* kSmsCallbackToken = "cb-token-0123456789abcdef";

// The shipped templates with provider ids filled in (the shipped file has none approved yet):
// every template is "100001" at Tencent and "SMS_100001" at Aliyun.
std::string sms_templates_file();

struct SmsSetup {
    std::string prefix = "t" + crypto::random_alnum(8) + ":";
    std::string fallback;
    std::string sender_extra;  // more keys under sms.sender (indented 4 spaces)
};

// key_prefix, privacy.data_key and the sms: section for `fake`.
std::string sms_yaml(const FakeSmsProvider& fake, const SmsSetup& setup);

// The test's own Redis connection (on RedisServer::shared()) and outbox with kayou's key.
class Outbox {
public:
    // On RedisServer::shared(), or on the Redis at `redis_port` (e.g. kayou's embedded one).
    explicit Outbox(const std::string& prefix, std::uint16_t redis_port = 0);
    ~Outbox();

    // Runs `work` on this connection's io_context; throws after 5 s.
    template <typename T>
    T run(boost::asio::awaitable<T> work) {
        using namespace std::chrono_literals;
        auto future = boost::asio::co_spawn(io_, std::move(work), boost::asio::use_future);
        io_.restart();
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (future.wait_for(0ms) != std::future_status::ready &&
               std::chrono::steady_clock::now() < deadline)
            io_.run_for(5ms);
        if (future.wait_for(0ms) != std::future_status::ready)
            throw std::runtime_error("redis operation did not finish in 5 s");
        return future.get();
    }

    std::string enqueue(const std::string& phone, const std::string& key,
                        notify::SmsMessage::Kind kind = notify::SmsMessage::Kind::notification,
                        const std::string& template_name = "approval",
                        std::vector<std::string> params = {"A20250001"});
    std::string state(const std::string& id);
    // Waits (bounded) for the record to reach `wanted`; returns the last state seen.
    std::string wait_state(const std::string& id, const std::string& wanted,
                           std::chrono::milliseconds deadline = std::chrono::seconds(10));

    notify::RedisSmsOutbox& outbox() { return *outbox_; }
    const std::shared_ptr<redis::Client>& client() const { return client_; }
    const crypto::SealedBox& box() const { return outbox_->box(); }

private:
    boost::asio::io_context io_;
    std::shared_ptr<redis::Client> client_;
    std::unique_ptr<notify::RedisSmsOutbox> outbox_;
};

}  // namespace kayou::test
