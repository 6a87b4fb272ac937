#pragma once
// A fake SMS provider for integration tests and the burst benchmark: a real HTTP/1.1 server on
// loopback (own thread and io_context) that checks each request the way the provider does —
// Tencent: recomputes the TC3-HMAC-SHA256 Authorization from the received Host, X-TC-Timestamp
// and body with the secret it was given; Aliyun: recomputes the RPC v1 Signature of the form —
// then answers as scripted and records every request it accepted.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kayou::test {

struct FakeSmsRequest {
    std::string provider;    // "tencent" | "aliyun"
    std::string message_id;  // SessionContext / OutId
    std::string phone;       // as sent
    std::string template_id;
    std::vector<std::string> params;  // Tencent TemplateParamSet (Aliyun: the raw JSON in [0])
    std::string serial;               // what we answered ("" unless ok)
    std::string outcome;              // the Behaviour applied
    std::chrono::steady_clock::time_point at;
};

class FakeSmsProvider {
public:
    struct Credentials {
        std::string tencent_secret_id = "AKIDfaketestid";
        std::string tencent_secret_key = "fake-tencent-secret-key";
        std::string aliyun_access_key_id = "LTAIfaketestid";
        std::string aliyun_access_key_secret = "fake-aliyun-secret";
    };

    // What the next request gets. Requests with a bad signature always get
    // AuthFailure.SignatureFailure / SignatureDoesNotMatch and are not recorded as accepted.
    struct Behaviour {
        enum class Kind {
            ok,            // success with a fresh SerialNo / BizId
            http_500,      // plain 500 page
            error_code,    // provider error `code` (Response.Error for Tencent, Code for Aliyun)
            hang_then_ok,  // wait `delay`, then answer ok (the client has long given up)
        };
        Kind kind = Kind::ok;
        std::string code;
        std::chrono::milliseconds delay{0};
    };

    FakeSmsProvider();
    explicit FakeSmsProvider(Credentials credentials);
    ~FakeSmsProvider();
    FakeSmsProvider(const FakeSmsProvider&) = delete;
    FakeSmsProvider& operator=(const FakeSmsProvider&) = delete;

    std::uint16_t port() const;
    std::string url() const;  // http://127.0.0.1:<port>/
    const Credentials& credentials() const;

    // Behaviours for the next requests, in order; afterwards `fallback` (ok unless set).
    void script(std::vector<Behaviour> next);
    void set_default(Behaviour fallback);
    // Requests per second above which Tencent answers RequestLimitExceeded (0 = no limit).
    void set_rate_limit(int per_second);

    std::vector<FakeSmsRequest> requests() const;  // every well-signed request, in order
    std::size_t bad_signatures() const;
    std::size_t count_for(const std::string& message_id) const;
    // Blocks until at least `n` well-signed requests arrived; false on deadline.
    bool wait_for_requests(std::size_t n, std::chrono::milliseconds deadline) const;
    // Blocks until a well-signed request matches `wanted` and returns it; nullopt on deadline.
    std::optional<FakeSmsRequest> wait_for(const std::function<bool(const FakeSmsRequest&)>& wanted,
                                           std::chrono::milliseconds deadline) const;

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace kayou::test
