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
    bool went_out = false;            // the provider took it: the driver's phone gets it
    std::chrono::steady_clock::time_point at;
    std::int64_t at_unix_ms = 0;
};

// A status query (Tencent PullSmsSendStatusByPhoneNumber, Aliyun QuerySendDetails).
struct FakeStatusQuery {
    std::string provider;
    std::string phone;      // as asked
    std::string outcome;    // "ok" | "http_500" | "invalid"
    std::size_t found = 0;  // records answered
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
            ok,              // success with a fresh SerialNo / BizId
            http_500,        // plain 500 page
            error_code,      // provider error `code` (Response.Error for Tencent, Code for Aliyun)
            hang_then_ok,    // wait `delay`, then answer ok (the client has long given up)
            read_then_drop,  // read the request, send the SMS, close without answering
            drop_unsent,     // read the request, close without answering; nothing went out
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
    // Refuse connections (the listening socket is closed; the port stays ours) or take them again.
    void set_refusing(bool refusing);
    // Status queries answer normally (false) or with a 500 page (true).
    void set_queries_failing(bool failing);
    // Tencent echoes SessionContext in status records only when the account has it enabled.
    void set_echo_session_context(bool echo);

    std::vector<FakeSmsRequest> requests() const;  // every well-signed send request, in order
    std::vector<FakeStatusQuery> queries() const;  // every well-signed status query, in order
    std::size_t bad_signatures() const;
    std::size_t count_for(const std::string& message_id) const;     // send requests for the id
    std::size_t went_out_for(const std::string& message_id) const;  // SMS the driver got
    // Blocks until at least `n` well-signed requests arrived; false on deadline.
    bool wait_for_requests(std::size_t n, std::chrono::milliseconds deadline) const;
    // Blocks until a well-signed request matches `wanted` and returns it; nullopt on deadline.
    std::optional<FakeSmsRequest> wait_for(const std::function<bool(const FakeSmsRequest&)>& wanted,
                                           std::chrono::milliseconds deadline) const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace kayou::test
