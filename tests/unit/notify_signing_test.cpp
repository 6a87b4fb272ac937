// Provider request signing against the published vectors of docs/spec sms-providers.md:
// Tencent TC3 (§1.6), Aliyun RPC v1 (§3.2) and ACS3 (§3.3), Twilio (§4.3); plus the SendSms
// body builders, response parsers and retry classifiers (§1.3-1.4, §3.1, §3.4, §6.2).
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "crypto/hash.hpp"
#include "notify/signing/aliyun_rpc.hpp"
#include "notify/signing/tencent_tc3.hpp"
#include "notify/signing/twilio.hpp"

namespace {

using namespace kayou::notify;
using namespace std::chrono;
using signing::FailureClass;
using signing::Param;

// ---------------------------------------------------------------- Tencent TC3 (§1.5, §1.6)

constexpr std::string_view kTcSecretId = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
constexpr std::string_view kTcKeyExample = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
constexpr std::string_view kTcKeyMasked = "Gu5t9xGARNpq86cd98joQYCN3*******";
// The doc body: ASCII with literal \u escapes, 86 bytes.
constexpr std::string_view kCvmBody =
    R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";
constexpr std::int64_t kCvmTimestamp = 1551113065;

tencent::Tc3Input cvm_input(std::string_view key, tencent::SignedHeaderSet set) {
    return tencent::Tc3Input{
        .secret_id = kTcSecretId,
        .secret_key = key,
        .host = "cvm.tencentcloudapi.com",
        .action = "DescribeInstances",
        .content_type = "application/json; charset=utf-8",
        .payload = kCvmBody,
        .timestamp = kCvmTimestamp,
        .signed_headers = set,
    };
}

constexpr auto kCtHost = tencent::SignedHeaderSet::content_type_host;
constexpr auto kCtHostAction = tencent::SignedHeaderSet::content_type_host_action;

TEST(Tc3, DocBodyIs86BytesAndHashes) {
    EXPECT_EQ(kCvmBody.size(), 86u);
    const auto sig = tencent::sign_tc3(cvm_input(kTcKeyExample, kCtHost));
    EXPECT_EQ(sig.hashed_payload,
              "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    EXPECT_EQ(kayou::crypto::sha256_hex(""),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Tc3, DocCanonicalRequestByteForByte) {
    const auto sig = tencent::sign_tc3(cvm_input(kTcKeyExample, kCtHost));
    EXPECT_EQ(sig.canonical_request,
              "POST\n/\n\ncontent-type:application/json; charset=utf-8\n"
              "host:cvm.tencentcloudapi.com\n\ncontent-type;host\n"
              "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    EXPECT_EQ(sig.hashed_canonical_request,
              "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
    EXPECT_EQ(sig.string_to_sign,
              "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
              "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
}

TEST(Tc3, DocCanonicalRequestWithAction) {
    const auto sig = tencent::sign_tc3(cvm_input(kTcKeyExample, kCtHostAction));
    EXPECT_EQ(sig.signed_headers, "content-type;host;x-tc-action");
    EXPECT_NE(sig.canonical_request.find("\nx-tc-action:describeinstances\n\n"), std::string::npos);
    EXPECT_EQ(sig.hashed_canonical_request,
              "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84");
}

TEST(Tc3, DerivedKeys) {
    const auto keys = tencent::derive_keys(kTcKeyExample, "2019-02-25", "cvm");
    using kayou::crypto::hex_lower;
    EXPECT_EQ(hex_lower(keys.secret_date),
              "d1308c81fe71cfd4e06437bbc067b2b8a3d2d8c0e375d547f15c41d5214b395a");
    EXPECT_EQ(hex_lower(keys.secret_service),
              "3c7cb7c7795393edc14fd2e0e6434a518564b4504b88e94f5d11bf59ba3e7050");
    EXPECT_EQ(hex_lower(keys.secret_signing),
              "ac658d5dde49e9bfdd14e04e062f66b05d9f637d44b8a8d845327d4a77f666b1");
}

struct Tc3Row {
    std::string_view key;
    tencent::SignedHeaderSet set;
    std::string_view signature;
};

TEST(Tc3, AllFourDocSignatures) {
    const Tc3Row rows[] = {
        {kTcKeyExample, kCtHost,
         "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"},
        {kTcKeyMasked, kCtHost, "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"},
        {kTcKeyMasked, kCtHostAction,
         "be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3"},
        {kTcKeyExample, kCtHostAction,
         "644be983de9a8a3f00db8eadaba61467c3b429e2215758ba897b738ca469fd26"},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.signature);
        EXPECT_EQ(tencent::sign_tc3(cvm_input(row.key, row.set)).signature, row.signature);
    }
}

TEST(Tc3, DocAuthorizationHeader) {
    EXPECT_EQ(tencent::sign_tc3(cvm_input(kTcKeyExample, kCtHost)).authorization,
              "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
              "tc3_request, SignedHeaders=content-type;host, "
              "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
}

// Restores the process TZ after a test that changes it.
class ShanghaiTz : public ::testing::Test {
protected:
    void SetUp() override {
        if (const char* tz = std::getenv("TZ")) saved_ = tz;
        had_tz_ = std::getenv("TZ") != nullptr;
        setenv("TZ", "Asia/Shanghai", 1);
        tzset();
    }
    void TearDown() override {
        if (had_tz_) {
            setenv("TZ", saved_.c_str(), 1);
        } else {
            unsetenv("TZ");
        }
        tzset();
    }

private:
    std::string saved_;
    bool had_tz_ = false;
};

TEST_F(ShanghaiTz, CredentialDateIsUtcAtTheBeijingMorningEdge) {
    // 1551113065 is 2019-02-26 00:44:25 in Beijing but 2019-02-25 16:44:25 UTC.
    const std::time_t t = kCvmTimestamp;
    std::tm local{};
    ASSERT_NE(localtime_r(&t, &local), nullptr);
    ASSERT_EQ(local.tm_mday, 26) << "TZ=Asia/Shanghai did not take effect; the edge is untested";

    EXPECT_EQ(signing::utc_date(kCvmTimestamp), "2019-02-25");
    const auto sig = tencent::sign_tc3(cvm_input(kTcKeyExample, kCtHost));
    EXPECT_EQ(sig.credential_scope, "2019-02-25/cvm/tc3_request");
    EXPECT_EQ(sig.signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");

    // Both ends of the 00:00-08:00 Beijing window: 2023-11-14 00:00:00 and 07:59:59 in Beijing
    // are still 2023-11-13 in UTC; 08:00:00 Beijing is the first second of 2023-11-14 UTC.
    EXPECT_EQ(signing::utc_date(1699891200), "2023-11-13");
    EXPECT_EQ(signing::utc_date(1699919999), "2023-11-13");
    EXPECT_EQ(signing::utc_date(1699920000), "2023-11-14");
}

// §1.6 derived SMS vector with raw UTF-8 Chinese in the body.
constexpr std::string_view kSmsBody =
    R"({"PhoneNumberSet":["+8613800000000"],"SmsSdkAppId":"1400006666","SignName":"腾讯云","TemplateId":"1110","TemplateParamSet":["张三","京A12345"],"SessionContext":"appr-1"})";

tencent::SendSmsBody sms_body() {
    return tencent::SendSmsBody{
        .phone_numbers = {"+8613800000000"},
        .sms_sdk_app_id = "1400006666",
        .template_id = "1110",
        .sign_name = "腾讯云",
        .template_params = {"张三", "京A12345"},
        .session_context = "appr-1",
    };
}

tencent::Tc3Input sms_input(std::string_view body, tencent::SignedHeaderSet set) {
    return tencent::Tc3Input{
        .secret_id = kTcSecretId,
        .secret_key = kTcKeyExample,
        .host = "sms.tencentcloudapi.com",
        .action = "SendSms",
        .payload = body,
        .timestamp = 1700000000,
        .signed_headers = set,
    };
}

TEST(Tc3, SendSmsBodyBuilderProducesTheVectorBytes) {
    EXPECT_EQ(tencent::build_send_sms_body(sms_body()), kSmsBody);
}

TEST(Tc3, ChineseBodyVectorBothHeaderSets) {
    const auto a = tencent::sign_tc3(sms_input(kSmsBody, kCtHost));
    EXPECT_EQ(a.date, "2023-11-14");
    EXPECT_EQ(a.service, "sms");
    EXPECT_EQ(a.hashed_payload, "c2cd61b60ba76e02b5690b7cf9272aacd13510254f38d75fc6ade995a905a285");
    EXPECT_EQ(a.hashed_canonical_request,
              "4b88532c103834c8c2bf61b4f93bd18daf1646fb53bfd678dace989348e362ae");
    EXPECT_EQ(a.signature, "d2ba57b0175a36adec81f46990163087d3cc4b420ba80eb42410933a43edfed8");

    const auto b = tencent::sign_tc3(sms_input(kSmsBody, kCtHostAction));
    EXPECT_NE(b.canonical_request.find("x-tc-action:sendsms\n"), std::string::npos);
    EXPECT_EQ(b.hashed_canonical_request,
              "4a00e788a8131de71338d298fb1d49bb4654e7f691150a2feaecd42b2705343d");
    EXPECT_EQ(b.signature, "f4de55e4eb90b60b4f8cd283c575af2cbcb11429644a9417408f5a7472b5dd02");
}

TEST(Tc3, SendSmsHeaderSet) {
    const auto headers = tencent::send_sms_headers(tencent::SendSmsSigningInput{
        .secret_id = kTcSecretId,
        .secret_key = kTcKeyExample,
        .region = "ap-guangzhou",
        .body = kSmsBody,
        .timestamp = 1700000000,
        .signed_headers = kCtHostAction,
    });
    const std::vector<signing::HttpHeader> expected{
        {"Authorization",
         "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2023-11-14/sms/"
         "tc3_request, SignedHeaders=content-type;host;x-tc-action, "
         "Signature=f4de55e4eb90b60b4f8cd283c575af2cbcb11429644a9417408f5a7472b5dd02"},
        {"Content-Type", "application/json; charset=utf-8"},
        {"Host", "sms.tencentcloudapi.com"},
        {"X-TC-Action", "SendSms"},
        {"X-TC-Timestamp", "1700000000"},
        {"X-TC-Version", "2021-01-11"},
        {"X-TC-Region", "ap-guangzhou"},
    };
    EXPECT_EQ(headers, expected);
}

TEST(Tc3, OneChangedByteChangesTheSignature) {
    const std::string good = tencent::sign_tc3(sms_input(kSmsBody, kCtHost)).signature;
    std::string body(kSmsBody);
    body[body.find("appr-1") + 5] = '2';  // appr-1 -> appr-2
    EXPECT_NE(tencent::sign_tc3(sms_input(body, kCtHost)).signature, good);

    auto other_time = sms_input(kSmsBody, kCtHost);
    other_time.timestamp += 1;
    EXPECT_NE(tencent::sign_tc3(other_time).signature, good);

    auto other_type = sms_input(kSmsBody, kCtHost);
    other_type.content_type = "application/json";  // what the Node SDK sends: must differ
    EXPECT_NE(tencent::sign_tc3(other_type).signature, good);
}

TEST(Tc3, RejectsCredentialsWithWhitespaceAndMissingRegion) {
    auto in = sms_input(kSmsBody, kCtHost);
    const std::string padded = std::string(kTcKeyExample) + " ";
    in.secret_key = padded;
    EXPECT_THROW(tencent::sign_tc3(in), std::invalid_argument);
    in.secret_key = "";
    EXPECT_THROW(tencent::sign_tc3(in), std::invalid_argument);
    EXPECT_THROW(tencent::send_sms_headers(tencent::SendSmsSigningInput{
                     .secret_id = kTcSecretId, .secret_key = kTcKeyExample, .body = kSmsBody}),
                 std::invalid_argument);
}

TEST(Tc3, ServiceIsTheFirstHostLabel) {
    EXPECT_EQ(tencent::service_of_host("sms.tencentcloudapi.com"), "sms");
    EXPECT_EQ(tencent::service_of_host("sms.ap-guangzhou.tencentcloudapi.com"), "sms");
    EXPECT_EQ(tencent::service_of_host("localhost:18080"), "localhost:18080");
}

TEST(Tc3, BodyBuilderLimits) {
    auto body = sms_body();
    body.phone_numbers.clear();
    EXPECT_THROW(tencent::build_send_sms_body(body), std::invalid_argument);
    body.phone_numbers.assign(201, "+8613800000000");
    EXPECT_THROW(tencent::build_send_sms_body(body), std::invalid_argument);
    body = sms_body();
    body.session_context.assign(512, 'x');
    EXPECT_THROW(tencent::build_send_sms_body(body), std::invalid_argument);
    body.session_context.assign(511, 'x');
    EXPECT_NO_THROW(tencent::build_send_sms_body(body));
    body = sms_body();
    body.template_id.clear();
    EXPECT_THROW(tencent::build_send_sms_body(body), std::invalid_argument);
    // Optional fields are left out rather than sent empty.
    body = sms_body();
    body.sign_name.clear();
    body.template_params.clear();
    body.session_context.clear();
    EXPECT_EQ(
        tencent::build_send_sms_body(body),
        R"({"PhoneNumberSet":["+8613800000000"],"SmsSdkAppId":"1400006666","TemplateId":"1110"})");
    // Invalid UTF-8 in a value is refused, not sent mangled.
    body.template_params = {"\xff"};
    EXPECT_ANY_THROW(tencent::build_send_sms_body(body));
}

TEST(Tc3, ParsesAllOkResponse) {
    const auto r = tencent::parse_send_sms_response(R"({"Response":{"SendStatusSet":[
        {"SerialNo":"5000:1045710669157053657849499619","PhoneNumber":"+8613800000000","Fee":1,
         "SessionContext":"appr-1","Code":"Ok","Message":"send success","IsoCode":"CN"}],
        "RequestId":"a0aabda6-cf91-4f3e-a81f-9198114a2279"}})");
    ASSERT_FALSE(r.error);
    EXPECT_EQ(r.request_id, "a0aabda6-cf91-4f3e-a81f-9198114a2279");
    ASSERT_EQ(r.statuses.size(), 1u);
    EXPECT_TRUE(r.statuses[0].ok());
    EXPECT_EQ(r.statuses[0].serial_no, "5000:1045710669157053657849499619");
    EXPECT_EQ(r.statuses[0].fee, 1);
    EXPECT_EQ(r.statuses[0].session_context, "appr-1");
    EXPECT_EQ(r.statuses[0].iso_code, "CN");
}

TEST(Tc3, ParsesMixedResponse) {
    const auto r = tencent::parse_send_sms_response(R"({"Response":{"SendStatusSet":[
        {"SerialNo":"5000:1","PhoneNumber":"+8613800000000","Fee":1,"SessionContext":"a",
         "Code":"Ok","Message":"send success","IsoCode":"CN"},
        {"SerialNo":"","PhoneNumber":"+8613900000000","Fee":0,"SessionContext":"a",
         "Code":"LimitExceeded.PhoneNumberThirtySecondLimit","Message":"30s limit","IsoCode":"CN"}],
        "RequestId":"r"}})");
    ASSERT_EQ(r.statuses.size(), 2u);
    EXPECT_TRUE(r.statuses[0].ok());
    EXPECT_FALSE(r.statuses[1].ok());
    EXPECT_EQ(r.statuses[1].code, "LimitExceeded.PhoneNumberThirtySecondLimit");
    EXPECT_EQ(r.statuses[1].fee, 0);
}

TEST(Tc3, ParsesApiLevelError) {
    const auto r = tencent::parse_send_sms_response(
        R"({"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"The provided credentials could not be validated."},"RequestId":"x1"}})");
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->code, "AuthFailure.SignatureFailure");
    EXPECT_EQ(r.request_id, "x1");
    EXPECT_TRUE(r.statuses.empty());
}

TEST(Tc3, MalformedResponsesThrowParseError) {
    EXPECT_THROW(tencent::parse_send_sms_response("<html><body>502 Bad Gateway</body></html>"),
                 signing::ParseError);
    EXPECT_THROW(tencent::parse_send_sms_response(""), signing::ParseError);
    EXPECT_THROW(tencent::parse_send_sms_response(R"({"Response":{}})"), signing::ParseError);
    EXPECT_THROW(tencent::parse_send_sms_response(R"({"Response":{"SendStatusSet":[{"Fee":1}]}})"),
                 signing::ParseError);
    EXPECT_THROW(tencent::parse_send_sms_response(
                     R"({"Response":{"SendStatusSet":[{"Code":"Ok","Fee":"1"}]}})"),
                 signing::ParseError);
    try {
        tencent::parse_send_sms_response(R"({"Response":{"SendStatusSet":[{"Code":"Ok"},{}]}})");
        FAIL() << "no exception";
    } catch (const signing::ParseError& e) {
        EXPECT_STREQ(e.what(), "Response.SendStatusSet[1].Code: missing");
    }
}

// 2024-06-03 13:45:10 Beijing (Monday) = 05:45:10 UTC.
const sys_seconds kNow = sys_days{2024y / 6 / 3} + 5h + 45min + 10s;
sys_seconds beijing(year_month_day d, hours h, minutes m = 0min) {
    return sys_days{d} + h + m - 8h;
}

struct ClassRow {
    std::string_view code;
    FailureClass kind;
    std::optional<sys_seconds> retry;
    bool alert;
};

TEST(Tc3, ClassifierTable) {
    const ClassRow rows[] = {
        {"Ok", FailureClass::ok, {}, false},
        {"InternalError.Timeout", FailureClass::transient, {}, false},
        {"InternalError.SendAndRecvFail", FailureClass::transient, {}, false},
        {"InternalError.UnknownError", FailureClass::transient, {}, false},
        {"InternalError.OtherError", FailureClass::transient, {}, false},
        {"RequestLimitExceeded", FailureClass::transient, {}, false},
        {"RequestLimitExceeded.UinLimitExceeded", FailureClass::transient, {}, false},
        {"AuthFailure.SignatureExpire", FailureClass::clock, {}, true},
        {"InternalError.RequestTimeException", FailureClass::clock, {}, true},
        {"LimitExceeded.PhoneNumberThirtySecondLimit", FailureClass::window_limited, kNow + 30s,
         false},
        {"LimitExceeded.PhoneNumberOneHourLimit", FailureClass::window_limited, kNow + 1h, false},
        {"LimitExceeded.PhoneNumberDailyLimit", FailureClass::window_limited,
         beijing(2024y / 6 / 4, 0h), false},
        {"LimitExceeded.PhoneNumberSameContentDailyLimit", FailureClass::window_limited,
         beijing(2024y / 6 / 4, 0h), false},
        {"LimitExceeded.DeliveryFrequencyLimit", FailureClass::window_limited,
         beijing(2024y / 6 / 4, 0h), true},
        {"LimitExceeded.AppDailyLimit", FailureClass::window_limited, beijing(2024y / 6 / 4, 0h),
         true},
        {"LimitExceeded.DailyLimit", FailureClass::window_limited, beijing(2024y / 6 / 4, 0h),
         true},
        // 13:45 Beijing is after 08:00: tomorrow 08:00.
        {"FailedOperation.MarketingSendTimeConstraint", FailureClass::time_of_day,
         beijing(2024y / 6 / 4, 8h), false},
        {"FailedOperation.SignatureIncorrectOrUnapproved", FailureClass::permanent, {}, true},
        {"FailedOperation.TemplateIncorrectOrUnapproved", FailureClass::permanent, {}, true},
        {"FailedOperation.ContainSensitiveWord", FailureClass::permanent, {}, true},
        {"FailedOperation.JsonParseFail", FailureClass::permanent, {}, true},
        {"InternalError.JsonParseFail", FailureClass::permanent, {}, true},
        {"FailedOperation.FailResolvePacket", FailureClass::permanent, {}, true},
        {"InvalidParameterValue.TemplateParameterLengthLimit", FailureClass::permanent, {}, true},
        {"InvalidParameterValue.TemplateParameterFormatError", FailureClass::permanent, {}, true},
        {"InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
         FailureClass::permanent,
         {},
         true},
        {"InvalidParameterValue.ContentLengthLimit", FailureClass::permanent, {}, true},
        {"InvalidParameterValue.SdkAppIdNotExist", FailureClass::permanent, {}, true},
        {"UnauthorizedOperation.SmsSdkAppIdVerifyFail", FailureClass::permanent, {}, true},
        {"UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
         FailureClass::permanent,
         {},
         true},
        {"MissingParameter.EmptyPhoneNumberSet", FailureClass::permanent, {}, true},
        {"LimitExceeded.PhoneNumberCountLimit", FailureClass::permanent, {}, true},
        {"AuthFailure.SignatureFailure", FailureClass::permanent, {}, true},
        {"AuthFailure.SecretIdNotFound", FailureClass::permanent, {}, true},
        {"InvalidParameterValue.IncorrectPhoneNumber",
         FailureClass::permanent_recipient,
         {},
         false},
        {"FailedOperation.PhoneNumberInBlacklist", FailureClass::permanent_recipient, {}, false},
        {"FailedOperation.InsufficientBalanceInSmsPackage", FailureClass::billing, {}, true},
        {"UnauthorizedOperation.SerivceSuspendDueToArrears", FailureClass::billing, {}, true},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.code);
        const auto c = tencent::classify(row.code, kNow);
        EXPECT_EQ(c.kind, row.kind) << signing::to_string(c.kind);
        EXPECT_EQ(c.retry_not_before, row.retry);
        EXPECT_EQ(c.alert, row.alert);
        EXPECT_TRUE(c.recognized);
    }
}

TEST(Tc3, UnknownCodeIsPermanentUnrecognizedAndAlerts) {
    const auto c = tencent::classify("FailedOperation.SomethingNew", kNow);
    EXPECT_EQ(c.kind, FailureClass::permanent);
    EXPECT_FALSE(c.recognized);
    EXPECT_TRUE(c.alert);
}

TEST(Tc3, MarketingWindowBeforeEightIsSameDay) {
    const auto c = tencent::classify("FailedOperation.MarketingSendTimeConstraint",
                                     beijing(2024y / 6 / 3, 6h, 30min));
    EXPECT_EQ(c.retry_not_before, beijing(2024y / 6 / 3, 8h));
}

TEST(Outcome, TransportAndHttpStatus) {
    using signing::TransportFailure;
    EXPECT_EQ(signing::classify_transport(TransportFailure::not_sent).kind,
              FailureClass::transient);
    EXPECT_EQ(signing::classify_transport(TransportFailure::sent_no_response).kind,
              FailureClass::unknown_outcome);
    EXPECT_EQ(signing::classify_http_status(200).kind, FailureClass::ok);
    EXPECT_EQ(signing::classify_http_status(502).kind, FailureClass::transient);
    EXPECT_EQ(signing::classify_http_status(503).kind, FailureClass::transient);
    EXPECT_EQ(signing::classify_http_status(504).kind, FailureClass::unknown_outcome);
    EXPECT_EQ(signing::classify_http_status(429).kind, FailureClass::transient);
    const auto bad = signing::classify_http_status(400);
    EXPECT_EQ(bad.kind, FailureClass::permanent);
    EXPECT_TRUE(bad.alert);
}

// ---------------------------------------------------------------- Aliyun RPC v1 (§3.2)

TEST(AliyunV1, PercentEncoderTable) {
    EXPECT_EQ(aliyun::percent_encode("a b"), "a%20b");
    EXPECT_EQ(aliyun::percent_encode("*"), "%2A");
    EXPECT_EQ(aliyun::percent_encode("~"), "~");
    EXPECT_EQ(aliyun::percent_encode("!'()"), "%21%27%28%29");
    EXPECT_EQ(aliyun::percent_encode("/=&+"), "%2F%3D%26%2B");
    EXPECT_EQ(aliyun::percent_encode("派"), "%E6%B4%BE");
    EXPECT_EQ(aliyun::percent_encode("2016-02-23T12:46:24Z"), "2016-02-23T12%3A46%3A24Z");
    EXPECT_EQ(aliyun::percent_encode("AZaz09-_."), "AZaz09-_.");
}

std::vector<Param> generic_params() {
    return {
        {"Version", "2014-05-26"},  // deliberately unsorted: the signer sorts
        {"AccessKeyId", "testid"},
        {"Action", "DescribeRegions"},
        {"Format", "XML"},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
        {"SignatureVersion", "1.0"},
        {"Timestamp", "2016-02-23T12:46:24Z"},
    };
}

TEST(AliyunV1, GenericDocVector) {
    EXPECT_EQ(aliyun::rpc_string_to_sign("GET", aliyun::canonical_query(generic_params())),
              "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26"
              "SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-"
              "4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%"
              "26Version%3D2014-05-26");
    EXPECT_EQ(aliyun::rpc_signature("GET", generic_params(), "testsecret"),
              "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    EXPECT_EQ(aliyun::rpc_signature("POST", generic_params(), "testsecret"),
              "MxbnVAM4w6sft9xjVpe/GCKueuk=");
}

TEST(AliyunV1, SignatureParameterIsNotSigned) {
    auto params = generic_params();
    params.emplace_back("Signature", "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    EXPECT_EQ(aliyun::rpc_signature("GET", params, "testsecret"), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
}

TEST(AliyunV1, OneChangedByteMismatches) {
    auto params = generic_params();
    params[1].second = "testie";
    EXPECT_NE(aliyun::rpc_signature("GET", params, "testsecret"), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    EXPECT_NE(aliyun::rpc_signature("GET", generic_params(), "testsecreT"),
              "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
}

aliyun::SendSmsRequest doc_sms_request() {
    return aliyun::SendSmsRequest{
        .access_key_id = "testId",
        .phone_numbers = {"15300000001"},
        .sign_name = "阿里云短信测试专用",
        .template_code = "SMS_71390007",
        .template_params = {{"customer", "test"}},
        .out_id = "123",
        .region_id = "cn-hangzhou",
        .signature_nonce = "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        .timestamp = sys_days{2017y / 7 / 12} + 2h + 42min + 19s,
        .format = "XML",
    };
}

TEST(AliyunV1, SmsDocVectorGetAndPost) {
    const auto params = aliyun::send_sms_params(doc_sms_request());
    const std::vector<Param> expected{
        {"AccessKeyId", "testId"},
        {"Action", "SendSms"},
        {"Format", "XML"},
        {"OutId", "123"},
        {"PhoneNumbers", "15300000001"},
        {"RegionId", "cn-hangzhou"},
        {"SignName", "阿里云短信测试专用"},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466"},
        {"SignatureVersion", "1.0"},
        {"TemplateCode", "SMS_71390007"},
        {"TemplateParam", R"({"customer":"test"})"},
        {"Timestamp", "2017-07-12T02:42:19Z"},
        {"Version", "2017-05-25"},
    };
    EXPECT_EQ(params, expected);
    EXPECT_EQ(aliyun::rpc_signature("GET", params, "testSecret"), "zJDF+Lrzhj/ThnlvIToysFRq6t4=");
    EXPECT_EQ(aliyun::rpc_signature("POST", params, "testSecret"), "Xvhv7fPXrPkLVSnlt0jIr08o8NQ=");
    // The lower-case secret some test suites use does not reproduce the doc value.
    EXPECT_NE(aliyun::rpc_signature("GET", params, "testsecret"), "zJDF+Lrzhj/ThnlvIToysFRq6t4=");
}

TEST(AliyunV1, SignedQueryCarriesEncodedValues) {
    const std::string query = aliyun::signed_send_sms_query(doc_sms_request(), "testSecret", "GET");
    EXPECT_NE(query.find("&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%"
                         "95%E4%B8%93%E7%94%A8&"),
              std::string::npos);
    EXPECT_NE(query.find("&TemplateParam=%7B%22customer%22%3A%22test%22%7D&"), std::string::npos);
    const std::string tail = "&Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D";
    ASSERT_GE(query.size(), tail.size());
    EXPECT_EQ(query.substr(query.size() - tail.size()), tail);
    EXPECT_TRUE(query.starts_with("AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&"));

    const std::string post = aliyun::signed_send_sms_query(doc_sms_request(), "testSecret");
    EXPECT_TRUE(post.ends_with("&Signature=Xvhv7fPXrPkLVSnlt0jIr08o8NQ%3D"));
}

TEST(AliyunV1, TemplateParamJsonKeepsOrderAndRawUtf8) {
    EXPECT_EQ(aliyun::template_param_json({{"name", "张三"}, {"plate", "京A12345"}}),
              R"({"name":"张三","plate":"京A12345"})");
    EXPECT_EQ(aliyun::template_param_json({{"code", "012345"}}), R"({"code":"012345"})");
    EXPECT_EQ(aliyun::template_param_json({}), "{}");
}

TEST(AliyunV1, DefaultsAndRequiredFields) {
    auto r = doc_sms_request();
    r.format = "JSON";
    r.out_id.clear();
    r.phone_numbers = {"13800000000", "13900000000"};
    const auto params = aliyun::send_sms_params(r);
    auto value = [&](std::string_view name) {
        for (const auto& [k, v] : params)
            if (k == name) return v;
        return std::string("<absent>");
    };
    EXPECT_EQ(value("Format"), "JSON");
    EXPECT_EQ(value("OutId"), "<absent>");
    EXPECT_EQ(value("PhoneNumbers"), "13800000000,13900000000");
    r.signature_nonce.clear();
    EXPECT_THROW(aliyun::send_sms_params(r), std::invalid_argument);
}

TEST(AliyunV1, ParsesResponses) {
    const auto ok = aliyun::parse_send_sms_response(
        R"({"Message":"OK","RequestId":"F655A8D5-B967-440B-8683-DAD6FF8DE990","BizId":"900619746936498440^0","Code":"OK"})");
    EXPECT_TRUE(ok.ok());
    EXPECT_EQ(ok.biz_id, "900619746936498440^0");
    EXPECT_EQ(ok.request_id, "F655A8D5-B967-440B-8683-DAD6FF8DE990");
    const auto limited = aliyun::parse_send_sms_response(
        R"({"Message":"触发分钟级流控Permits:1","RequestId":"r","Code":"isv.BUSINESS_LIMIT_CONTROL"})");
    EXPECT_FALSE(limited.ok());
    EXPECT_EQ(limited.code, "isv.BUSINESS_LIMIT_CONTROL");
    EXPECT_THROW(aliyun::parse_send_sms_response("Service Unavailable"), signing::ParseError);
    EXPECT_THROW(aliyun::parse_send_sms_response(R"({"Message":"no code"})"), signing::ParseError);
    EXPECT_THROW(aliyun::parse_send_sms_response("[]"), signing::ParseError);
}

TEST(AliyunV1, ClassifierTable) {
    struct Row {
        std::string_view code;
        std::string_view message;
        FailureClass kind;
        std::optional<sys_seconds> retry;
        bool alert;
    };
    const Row rows[] = {
        {"OK", "OK", FailureClass::ok, {}, false},
        {"isp.SYSTEM_ERROR", "", FailureClass::transient, {}, false},
        {"Throttling.User", "", FailureClass::transient, {}, false},
        {"InvalidTimeStamp.Expired", "", FailureClass::clock, {}, true},
        // 13:45:10 Beijing: next minute 13:46:00, next hour 14:00, rolling day +24 h.
        {"isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1", FailureClass::window_limited,
         beijing(2024y / 6 / 3, 13h, 46min), false},
        {"isv.BUSINESS_LIMIT_CONTROL", "触发小时级流控Permits:5", FailureClass::window_limited,
         beijing(2024y / 6 / 3, 14h), false},
        {"isv.BUSINESS_LIMIT_CONTROL", "触发天级流控Permits:10", FailureClass::window_limited,
         kNow + 24h, false},
        {"isv.BUSINESS_LIMIT_CONTROL", "", FailureClass::window_limited,
         beijing(2024y / 6 / 3, 13h, 46min), false},
        {"isv.DAY_LIMIT_CONTROL", "", FailureClass::window_limited, beijing(2024y / 6 / 4, 0h),
         true},
        {"isv.MONTH_LIMIT_CONTROL", "", FailureClass::window_limited, beijing(2024y / 7 / 1, 0h),
         true},
        {"isv.SMS_SIGNATURE_ILLEGAL", "", FailureClass::permanent, {}, true},
        {"isv.SMS_TEMPLATE_ILLEGAL", "", FailureClass::permanent, {}, true},
        {"isv.SMS_SIGNATURE_SCENE_ILLEGAL", "", FailureClass::permanent, {}, true},
        {"isv.SIGN_STATE_ILLEGAL", "", FailureClass::permanent, {}, true},
        {"isv.MOBILE_COUNT_OVER_LIMIT", "", FailureClass::permanent, {}, true},
        {"isv.TEMPLATE_MISSING_PARAMETERS", "", FailureClass::permanent, {}, true},
        {"isv.INVALID_JSON_PARAM", "", FailureClass::permanent, {}, true},
        {"isv.PARAM_LENGTH_LIMIT", "", FailureClass::permanent, {}, true},
        {"isv.PARAM_NOT_SUPPORT_URL", "", FailureClass::permanent, {}, true},
        {"isv.BLACK_KEY_CONTROL_LIMIT", "", FailureClass::permanent, {}, true},
        {"isv.SMS_CONTENT_ILLEGAL", "", FailureClass::permanent, {}, true},
        {"isv.DENY_IP_RANGE", "", FailureClass::permanent, {}, true},
        {"isp.RAM_PERMISSION_DENY", "", FailureClass::permanent, {}, true},
        {"SignatureDoesNotMatch", "", FailureClass::permanent, {}, true},
        {"isv.MOBILE_NUMBER_ILLEGAL", "", FailureClass::permanent_recipient, {}, false},
        {"isv.AMOUNT_NOT_ENOUGH", "", FailureClass::billing, {}, true},
        {"isv.OUT_OF_SERVICE", "", FailureClass::billing, {}, true},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(std::string(row.code) + " " + std::string(row.message));
        const auto c = aliyun::classify(row.code, row.message, kNow);
        EXPECT_EQ(c.kind, row.kind) << signing::to_string(c.kind);
        EXPECT_EQ(c.retry_not_before, row.retry);
        EXPECT_EQ(c.alert, row.alert);
        EXPECT_TRUE(c.recognized);
    }
    const auto unknown = aliyun::classify("isv.NEW_THING", "", kNow);
    EXPECT_EQ(unknown.kind, FailureClass::permanent);
    EXPECT_FALSE(unknown.recognized);
}

TEST(AliyunV1, MonthWindowRollsOverTheYear) {
    const auto c = aliyun::classify("isv.MONTH_LIMIT_CONTROL", "", beijing(2025y / 12 / 31, 23h));
    EXPECT_EQ(c.retry_not_before, beijing(2026y / 1 / 1, 0h));
}

// ---------------------------------------------------------------- Aliyun ACS3 (§3.3)

TEST(AliyunAcs3, DocVector) {
    const auto sig = aliyun::sign_acs3(aliyun::Acs3Request{
        .query = {{"RegionId", "cn-shanghai"},
                  {"ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"}},
        .host = "ecs.cn-shanghai.aliyuncs.com",
        .action = "RunInstances",
        .version = "2014-05-26",
        .date = sys_days{2023y / 10 / 26} + 10h + 22min + 32s,
        .nonce = "3156853299f313e23d1673dc12e1703d",
        .access_key_id = "YourAccessKeyId",
        .access_key_secret = "YourAccessKeySecret",
    });
    EXPECT_EQ(sig.canonical_query,
              "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai");
    EXPECT_EQ(sig.hashed_payload,
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sig.signed_headers,
              "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;"
              "x-acs-version");
    EXPECT_EQ(sig.hashed_canonical_request,
              "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
    EXPECT_EQ(sig.signature, "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    EXPECT_EQ(sig.authorization,
              "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;"
              "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature="
              "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    ASSERT_EQ(sig.headers.size(), 7u);
    EXPECT_EQ(sig.headers[0], (signing::HttpHeader{"Authorization", sig.authorization}));
    EXPECT_EQ(sig.headers[4], (signing::HttpHeader{"x-acs-date", "2023-10-26T10:22:32Z"}));
}

aliyun::Acs3Request acs3_sms() {
    return aliyun::Acs3Request{
        .query = {{"PhoneNumbers", "13800000000"},
                  {"SignName", "阿里云短信测试"},
                  {"TemplateCode", "SMS_154950909"},
                  {"TemplateParam",
                   aliyun::template_param_json({{"name", "张三"}, {"plate", "京A12345"}})},
                  {"OutId", "appr-1"}},
        .host = aliyun::kSmsHost,
        .action = "SendSms",
        .version = aliyun::kSmsVersion,
        .date = sys_days{2023y / 10 / 26} + 10h + 22min + 32s,
        .nonce = "3156853299f313e23d1673dc12e1703d",
        .access_key_id = "YourAccessKeyId",
        .access_key_secret = "YourAccessKeySecret",
    };
}

TEST(AliyunAcs3, DerivedSendSmsVector) {
    const auto sig = aliyun::sign_acs3(acs3_sms());
    EXPECT_EQ(sig.canonical_query,
              "OutId=appr-1&PhoneNumbers=13800000000&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%"
              "AD%E4%BF%A1%E6%B5%8B%E8%AF%95&TemplateCode=SMS_154950909&TemplateParam=%7B%22name%"
              "22%3A%22%E5%BC%A0%E4%B8%89%22%2C%22plate%22%3A%22%E4%BA%ACA12345%22%7D");
    EXPECT_EQ(sig.hashed_canonical_request,
              "021fd8d2968bd0b4c37b52a7e69e946d878f882e11d0929d1e62785f19eace48");
    EXPECT_EQ(sig.signature, "bb9a7333eed44bd3cbb1cdace124fe24a5016b229815473155f3ad907db75ad3");
}

TEST(AliyunAcs3, OneChangedByteMismatches) {
    auto r = acs3_sms();
    r.query[0].second = "13800000001";
    EXPECT_NE(aliyun::sign_acs3(r).signature,
              "bb9a7333eed44bd3cbb1cdace124fe24a5016b229815473155f3ad907db75ad3");
    r = acs3_sms();
    r.body = " ";
    EXPECT_NE(aliyun::sign_acs3(r).signature,
              "bb9a7333eed44bd3cbb1cdace124fe24a5016b229815473155f3ad907db75ad3");
    r = acs3_sms();
    r.content_type = "application/json";  // now signed: content-type;host;...
    const auto with_type = aliyun::sign_acs3(r);
    EXPECT_TRUE(with_type.signed_headers.starts_with("content-type;host;"));
    EXPECT_NE(with_type.signature,
              "bb9a7333eed44bd3cbb1cdace124fe24a5016b229815473155f3ad907db75ad3");
}

// ---------------------------------------------------------------- Twilio (§4.3)

constexpr std::string_view kTwToken = "12345";
constexpr std::string_view kTwUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";

std::vector<Param> twilio_params(std::string_view caller = "+14158675309") {
    return {
        {"CallSid", "CA1234567890ABCDE"}, {"Caller", std::string(caller)}, {"Digits", "1234"},
        {"From", std::string(caller)},    {"To", "+18005551212"},
    };
}

TEST(Twilio, DocVectors) {
    EXPECT_EQ(twilio::expected_signature(kTwToken, kTwUrl, twilio_params()),
              "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    EXPECT_EQ(twilio::expected_signature(kTwToken, kTwUrl, twilio_params("+12349013030")),
              "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    EXPECT_EQ(twilio::expected_signature(
                  kTwToken, "https://mycompany.com:443/myapp.php?foo=1&bar=2", twilio_params()),
              "kvajT1Ptam85bY51eRf/AJRuM3w=");
    EXPECT_EQ(twilio::expected_signature(kTwToken, "http://mycompany.com:80/myapp.php?foo=1&bar=2",
                                         twilio_params()),
              "0ZXoZLH/DfblKGATFgpif+LLRf4=");
}

TEST(Twilio, RepeatedParamsAreSortedAndDeduplicated) {
    const std::vector<Param> params{{"Sid", "CA123"},
                                    {"SidAccount", "AC123"},
                                    {"Digits", "5678"},
                                    {"Digits", "1234"},
                                    {"Digits", "1234"}};
    EXPECT_EQ(twilio::expected_signature(kTwToken, kTwUrl, params), "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
}

TEST(Twilio, JsonBodySha256) {
    constexpr std::string_view body = R"({"property": "value", "boolean": true})";
    const std::string hash = kayou::crypto::sha256_hex(body);
    EXPECT_EQ(hash, "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620");
    const std::string url = std::string(kTwUrl) + "&bodySHA256=" + hash;
    EXPECT_EQ(twilio::expected_signature(kTwToken, url, {}), "a9nBmqA0ju/hNViExpshrM61xv4=");
    EXPECT_TRUE(twilio::validate_json_body(kTwToken, "a9nBmqA0ju/hNViExpshrM61xv4=", url, body));
    // One changed body byte: the signature still matches the URL, the hash does not.
    std::string changed(body);
    changed[2] = 'P';
    EXPECT_FALSE(
        twilio::validate_json_body(kTwToken, "a9nBmqA0ju/hNViExpshrM61xv4=", url, changed));
    EXPECT_FALSE(
        twilio::validate_json_body(kTwToken, "a9nBmqA0ju/hNViExpshrM61xv4=", kTwUrl, body));
}

TEST(Twilio, ChineseFormBody) {
    // The form body as Twilio posts it; decoding must turn '+' into a space and %XX into bytes.
    const auto params = twilio::parse_form_urlencoded(
        "AccountSid=AC00000000000000000000000000000001&Body=%E5%90%8C%E6%84%8F+A123"
        "&From=%2B8613800000000&MessageSid=SM00000000000000000000000000000001&NumMedia=0"
        "&To=%2B15005550006");
    ASSERT_EQ(params.size(), 6u);
    EXPECT_EQ(params[1], (Param{"Body", "同意 A123"}));
    EXPECT_EQ(params[2], (Param{"From", "+8613800000000"}));
    EXPECT_EQ(twilio::expected_signature(kTwToken, "https://example.com/sms/inbound", params),
              "ShHWd7tHy2lZxejK0VPTLqU8dHI=");
    EXPECT_TRUE(twilio::validate_signature(
        kTwToken, "ShHWd7tHy2lZxejK0VPTLqU8dHI=", "https://example.com/sms/inbound", params));
}

TEST(Twilio, ValidateAcceptsDefaultPortEitherWay) {
    // Signed without the port, received with it, and the reverse.
    EXPECT_TRUE(twilio::validate_signature(
        kTwToken, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "https://mycompany.com:443/myapp.php?foo=1&bar=2",
        twilio_params()));
    EXPECT_TRUE(twilio::validate_signature(kTwToken, "kvajT1Ptam85bY51eRf/AJRuM3w=", kTwUrl,
                                           twilio_params()));
    EXPECT_TRUE(twilio::validate_signature(
        kTwToken, "0ZXoZLH/DfblKGATFgpif+LLRf4=", "http://mycompany.com/myapp.php?foo=1&bar=2",
        twilio_params()));
    // A non-default port is never dropped.
    EXPECT_FALSE(twilio::validate_signature(kTwToken, "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
                                            "https://mycompany.com:8443/myapp.php?foo=1&bar=2",
                                            twilio_params()));
    // http:// seen behind a TLS proxy is a different URL.
    EXPECT_FALSE(twilio::validate_signature(
        kTwToken, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "http://mycompany.com/myapp.php?foo=1&bar=2",
        twilio_params()));
}

TEST(Twilio, UrlVariants) {
    using V = std::vector<std::string>;
    EXPECT_EQ(twilio::url_variants("https://a.example/x?y=1"),
              (V{"https://a.example/x?y=1", "https://a.example:443/x?y=1"}));
    EXPECT_EQ(twilio::url_variants("http://a.example:80"),
              (V{"http://a.example:80", "http://a.example"}));
    EXPECT_EQ(twilio::url_variants("https://user:pw@a.example/x"),
              (V{"https://user:pw@a.example/x", "https://user:pw@a.example:443/x"}));
    EXPECT_EQ(twilio::url_variants("https://[::1]:443/x"),
              (V{"https://[::1]:443/x", "https://[::1]/x"}));
    EXPECT_EQ(twilio::url_variants("https://a.example:8443/x"), (V{"https://a.example:8443/x"}));
    EXPECT_EQ(twilio::url_variants("not a url"), (V{"not a url"}));
}

TEST(Twilio, RejectsTamperingAndEmptyInput) {
    const auto params = twilio_params();
    EXPECT_TRUE(
        twilio::validate_signature(kTwToken, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", kTwUrl, params));
    // One changed byte in the signature, the URL, a value, the token.
    EXPECT_FALSE(
        twilio::validate_signature(kTwToken, "RSOYDt4T1cUTdK1PDd93/VVr8B9=", kTwUrl, params));
    EXPECT_FALSE(twilio::validate_signature(kTwToken, "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
                                            "https://mycompany.com/myapp.php?foo=1&bar=3", params));
    auto changed = params;
    changed[2].second = "1235";
    EXPECT_FALSE(
        twilio::validate_signature(kTwToken, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", kTwUrl, changed));
    auto extra = params;
    extra.emplace_back("Extra", "");
    EXPECT_FALSE(
        twilio::validate_signature(kTwToken, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", kTwUrl, extra));
    EXPECT_FALSE(
        twilio::validate_signature("12346", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", kTwUrl, params));
    EXPECT_FALSE(twilio::validate_signature(kTwToken, "", kTwUrl, params));
    EXPECT_FALSE(twilio::validate_signature("", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", kTwUrl, params));
}

TEST(Twilio, FormDecoding) {
    using P = std::vector<Param>;
    EXPECT_EQ(twilio::parse_form_urlencoded(""), P{});
    EXPECT_EQ(twilio::parse_form_urlencoded("a=1&&b=&c"), (P{{"a", "1"}, {"b", ""}, {"c", ""}}));
    EXPECT_EQ(twilio::parse_form_urlencoded("Body=1%2B1%3D2+100%25"), (P{{"Body", "1+1=2 100%"}}));
    EXPECT_EQ(twilio::parse_form_urlencoded("a=1&a=2"), (P{{"a", "1"}, {"a", "2"}}));
    EXPECT_THROW(twilio::parse_form_urlencoded("a=%zz"), signing::ParseError);
    EXPECT_THROW(twilio::parse_form_urlencoded("a=%4"), signing::ParseError);
    EXPECT_THROW(twilio::parse_form_urlencoded("a=%"), signing::ParseError);
    EXPECT_EQ(twilio::query_value("https://x/y?a=1&bodySHA256=ab#frag", "bodySHA256"), "ab");
    EXPECT_EQ(twilio::query_value("https://x/y", "a"), std::nullopt);
}

}  // namespace
