// Driver SMS replies through every provider's inbound route (issue 17): the table of
// tests/support/sms_reply_cases.hpp (full width, punctuation, inside sentences, unknown) sent as
// Tencent, Aliyun and Twilio deliver it to the real kayou binary. Opt-outs are recorded exactly
// for the opt-out intent; 进度 gets the status; what is not understood gets one short SMS listing
// the words kayou understands (rate-limited, never after an opt-out); Twilio is answered in
// TwiML.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "crypto/sealed_box.hpp"
#include "notify/signing/aliyun_rpc.hpp"
#include "notify/signing/twilio.hpp"
#include "tests/support/chat_client.hpp"
#include "tests/support/fake_sms_provider.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sms_fixture.hpp"
#include "tests/support/sms_reply_cases.hpp"

namespace kayou::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kTwilioToken = "twilio-auth-token-for-issue17";
constexpr const char* kTwilioBase = "https://kayou.test";

const crypto::SealedBox& box() {
    static const auto sealed = *crypto::SealedBox::from_base64_key(kSmsDataKey);
    return sealed;
}

enum class Provider { tencent, aliyun, twilio };

const char* name(Provider provider) {
    switch (provider) {
        case Provider::tencent:
            return "tencent";
        case Provider::aliyun:
            return "aliyun";
        case Provider::twilio:
            return "twilio";
    }
    return "";
}

class SmsRepliesTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        fake_ = new FakeSmsProvider();
        setup_ = new SmsSetup();
        KayouProcess::Options options;
        options.redis_port = RedisServer::shared().port();
        options.extra_yaml = sms_yaml(*fake_, *setup_) +
                             "  twilio:\n    auth_token: " + kTwilioToken +
                             "\n    public_base_url: " + kTwilioBase + "\n";
        kayou_ = new KayouProcess(options);
        ASSERT_TRUE(kayou_->wait_ready());
    }
    static void TearDownTestSuite() {
        delete kayou_;
        delete setup_;
        delete fake_;
    }

public:
    static std::uint16_t port() { return kayou_->port(); }
    static std::uint16_t redis_port() { return RedisServer::shared().port(); }
    static const std::string& prefix() { return setup_->prefix; }

    // Sends `text` from `mobile` through `provider`'s inbound route; the HTTP answer's body.
    static std::string send(Provider provider, const std::string& mobile, std::string_view text) {
        const std::string token = kSmsCallbackToken;
        HttpResult answer;
        switch (provider) {
            case Provider::tencent: {
                const json reply{{"extend", ""},       {"mobile", mobile}, {"nationcode", "86"},
                                 {"sign", "卡友工会"}, {"text", text},     {"time", unix_now()}};
                answer = http_request(port(), "POST", "/sms/tencent/" + token + "/reply",
                                      reply.dump(), {{"Content-Type", "application/json"}});
                break;
            }
            case Provider::aliyun: {
                const json up = json::array({{{"phone_number", mobile},
                                              {"content", text},
                                              {"sign_name", "卡友工会"},
                                              {"dest_code", "1234"},
                                              {"send_time", "2026-06-01 10:00:00"},
                                              {"sequence_id", 1}}});
                answer = http_request(port(), "POST", "/sms/aliyun/" + token + "/up", up.dump(),
                                      {{"Content-Type", "application/json"}});
                break;
            }
            case Provider::twilio: {
                const std::vector<notify::signing::Param> form{
                    {"MessageSid", "SM" + unique_id("x")},
                    {"AccountSid", "AC17"},
                    {"From", "+86" + mobile},
                    {"To", "+15005550006"},
                    {"Body", std::string(text)},
                    {"NumMedia", "0"}};
                std::string body;
                for (const auto& [key, value] : form)
                    body += (body.empty() ? "" : "&") + notify::aliyun::percent_encode(key) + "=" +
                            notify::aliyun::percent_encode(value);
                const auto signature = notify::twilio::expected_signature(
                    kTwilioToken, std::string(kTwilioBase) + "/sms/twilio/inbound", form);
                answer = http_request(port(), "POST", "/sms/twilio/inbound", body,
                                      {{"Content-Type", "application/x-www-form-urlencoded"},
                                       {"X-Twilio-Signature", signature}});
                break;
            }
        }
        EXPECT_EQ(answer.status, 200) << name(provider) << " '" << text << "': " << answer.body;
        return answer.body;
    }

    static bool opted_out(const std::string& mobile) {
        return redis_cli1(redis_port(), "EXISTS '" + prefix() + "{sms}:optout:" +
                                            box().lookup_hash(mobile) + "'") == "1";
    }
    // Outbox messages (idempotency keys) of `kind` for `mobile`: "progress_none", "reply_help".
    static std::size_t queued(const std::string& kind, const std::string& mobile) {
        return redis_cli(redis_port(), "--scan --pattern '" + prefix() + "{sms}:idem:" + kind +
                                           ":" + box().lookup_hash(mobile) + ":*'")
            .size();
    }

protected:
    static FakeSmsProvider* fake_;
    static SmsSetup* setup_;
    static KayouProcess* kayou_;
};
FakeSmsProvider* SmsRepliesTest::fake_ = nullptr;
SmsSetup* SmsRepliesTest::setup_ = nullptr;
KayouProcess* SmsRepliesTest::kayou_ = nullptr;

std::string mobile_for(Provider provider, std::size_t index) {
    char mobile[16];
    std::snprintf(mobile, sizeof mobile, "1390%d17%04zu", static_cast<int>(provider), index);
    return mobile;
}

// The whole table through one provider, each reply from its own number. Tencent and Aliyun
// answer through the outbox; Twilio inside the TwiML of the same request, and enqueues nothing.
void check_table(Provider provider) {
    std::size_t index = 0;
    for (const auto& c : kSmsReplyCases) {
        const std::string mobile = mobile_for(provider, ++index);
        const std::string body = SmsRepliesTest::send(provider, mobile, c.text);
        const std::string what = std::string(name(provider)) + " '" + std::string(c.text) + "'";
        EXPECT_EQ(SmsRepliesTest::opted_out(mobile), c.expect == SmsExpect::opt_out) << what;
        if (provider == Provider::twilio) {
            const bool progress = body.find("未查到本手机号") != std::string::npos;
            const bool help = body.find("可回复：进度") != std::string::npos;
            EXPECT_EQ(progress, c.expect == SmsExpect::progress) << what << ": " << body;
            EXPECT_EQ(help, c.expect == SmsExpect::help) << what << ": " << body;
            if (!progress && !help) EXPECT_EQ(body, "<Response></Response>") << what;
            EXPECT_EQ(SmsRepliesTest::queued("progress_none", mobile), 0u) << what;
            EXPECT_EQ(SmsRepliesTest::queued("reply_help", mobile), 0u) << what;
            continue;
        }
        EXPECT_EQ(SmsRepliesTest::queued("progress_none", mobile),
                  c.expect == SmsExpect::progress ? 1u : 0u)
            << what;
        EXPECT_EQ(SmsRepliesTest::queued("reply_help", mobile),
                  c.expect == SmsExpect::help ? 1u : 0u)
            << what;
    }
}

TEST_F(SmsRepliesTest, TencentRepliesAreUnderstood) { check_table(Provider::tencent); }
TEST_F(SmsRepliesTest, AliyunRepliesAreUnderstood) { check_table(Provider::aliyun); }
TEST_F(SmsRepliesTest, TwilioRepliesAreUnderstoodAndAnsweredInTwiml) {
    check_table(Provider::twilio);
}

TEST_F(SmsRepliesTest, TheListOfWordsGoesOutOnceADayAndNeverAfterAnOptOut) {
    const std::string mobile = "13901799991";
    send(Provider::tencent, mobile, "T恤多少钱");
    send(Provider::aliyun, mobile, "在吗");
    EXPECT_EQ(queued("reply_help", mobile), 1u);
    // Twilio too: the second unknown reply of the day gets an empty TwiML.
    const std::string twilio_mobile = "13901799992";
    EXPECT_NE(send(Provider::twilio, twilio_mobile, "T恤多少钱").find("可回复"), std::string::npos);
    EXPECT_EQ(send(Provider::twilio, twilio_mobile, "在吗"), "<Response></Response>");

    const std::string opted = "13901799993";
    send(Provider::tencent, opted, "TD。");
    ASSERT_TRUE(opted_out(opted));
    send(Provider::tencent, opted, "T恤多少钱");
    EXPECT_EQ(queued("reply_help", opted), 0u);
    const std::string twilio_opted = "13901799994";
    EXPECT_EQ(send(Provider::twilio, twilio_opted, "ＴＤ"), "<Response></Response>");
    EXPECT_EQ(send(Provider::twilio, twilio_opted, "明天下雨吗"), "<Response></Response>");
    // A progress request after an opt-out is his own question: still answered.
    EXPECT_NE(send(Provider::twilio, twilio_opted, "进度？").find("未查到本手机号"),
              std::string::npos);
}

}  // namespace
}  // namespace kayou::test
