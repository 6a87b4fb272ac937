#pragma once
// A fake of the WeChat Official Account API and the WeCom app message API for integration tests: a
// real HTTP/1.1 server on loopback (own thread and io_context) that checks requests the way WeChat
// does and records them.
//   POST /cgi-bin/stable_token         grant_type client_credential, the right appid and secret
//                                      (else 40002 / 40013 / 40125); the current token with its
//                                      remaining expires_in, or a new one (force_refresh: always
//                                      new, and the old one stops working).
//   POST /cgi-bin/message/custom/send  ?access_token= the current, unexpired token (else 41001 /
//                                      40001 / 42001); JSON with touser, msgtype "text",
//                                      text.content non-empty and <= 2048 bytes (else 47001 /
//                                      40003 / 40008 / 44004 / 45002). Accepted texts are recorded.
// And the WeCom app's side (企业微信应用):
//   GET  /cgi-bin/gettoken             ?corpid= & corpsecret= the right ones (else 41002 / 40013 /
//                                      41004 / 40001); the current token or a new one.
//   POST /cgi-bin/message/send         ?access_token= the current token (else 41001 / 40014 /
//                                      42001); touser, msgtype "text", agentid the app's (else
//                                      40056), text.content as above; a member outside the app's
//                                      visible range: 81013. Accepted texts are recorded too.
// Misbehaviour is scripted per request kind (sends, token fetches), for the next requests in
// order.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kayou::test {

// A text WeChat took: the follower got it.
struct FakeWechatMessage {
    std::string touser;
    std::string content;
    std::chrono::steady_clock::time_point at;
};

// Every request, accepted or not, in arrival order.
struct FakeWechatCall {
    enum class Api { stable_token, custom_send, wecom_token, wecom_send, other };
    Api api = Api::other;
    std::string outcome;         // "ok", "errcode", "http_500", "hang", "read_then_drop"
    std::int64_t errcode = 0;    // what was answered (0 = ok or no JSON answer)
    bool force_refresh = false;  // stable_token only
    std::chrono::steady_clock::time_point at;
};

class FakeWechatApi {
public:
    struct Credentials {
        std::string app_id = "wx5f3c9a7e2b1d4c68";
        std::string app_secret = "fake-wechat-app-secret-0123456789";
        std::string corp_id = "ww1a2b3c4d5e6f7a8b";
        std::string corp_secret = "fake-wecom-app-secret-0123456789abcdefABCD";
        std::int64_t agent_id = 1000002;
        std::string outsider = "outsider";  // a member outside the app's visible range
    };

    struct Behaviour {
        enum class Kind {
            ok,                // checked and answered as WeChat would
            http_500,          // a plain 500 page; nothing happens
            errcode,           // {"errcode":errcode,...}; nothing happens (e.g. -1, 45015)
            invalidate_token,  // the current token stops working, then checked as usual (40001)
            hang,              // read the request, never answer until the fake is destroyed
            read_then_drop,    // read the request, do what it asks, close without answering
        };
        Kind kind = Kind::ok;
        std::int64_t errcode = 0;
    };

    FakeWechatApi();
    explicit FakeWechatApi(Credentials credentials);
    ~FakeWechatApi();
    FakeWechatApi(const FakeWechatApi&) = delete;
    FakeWechatApi& operator=(const FakeWechatApi&) = delete;

    std::uint16_t port() const;
    std::string api_base() const;  // http://127.0.0.1:<port>
    const Credentials& credentials() const;

    // Behaviours for the next custom/send or message/send (script_sends) and stable_token or
    // gettoken (script_tokens) requests, in order; afterwards ok.
    void script_sends(std::vector<Behaviour> next);
    void script_tokens(std::vector<Behaviour> next);
    // expires_in of tokens issued from now on (WeChat: 7200 s).
    void set_token_lifetime(std::chrono::seconds lifetime);

    std::vector<FakeWechatMessage> messages() const;
    std::vector<FakeWechatCall> calls() const;
    std::size_t calls_to(FakeWechatCall::Api api) const;
    std::size_t tokens_issued() const;     // distinct tokens handed out
    std::size_t forced_refreshes() const;  // stable_token requests with force_refresh true

    // Block until at least `n` messages were accepted / `n` calls arrived; false on deadline.
    bool wait_for_messages(std::size_t n, std::chrono::milliseconds deadline) const;
    bool wait_for_calls(std::size_t n, std::chrono::milliseconds deadline) const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace kayou::test
