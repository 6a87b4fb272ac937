// The status queries that settle unknown outcomes: Tencent PullSmsSendStatusByPhoneNumber
// (TC3-signed like SendSms) and Aliyun QuerySendDetails (RPC v1 like SendSms), byte for byte
// against vectors computed independently (Python hashlib/hmac from the published algorithms), their
// parsers, and which record is ours.
#include <gtest/gtest.h>

#include <map>

#include "notify/providers/provider.hpp"
#include "notify/signing/aliyun_rpc.hpp"
#include "notify/signing/tencent_tc3.hpp"

namespace kayou::notify {
namespace {

using namespace std::chrono;

constexpr const char* kSecretId = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
constexpr const char* kSecretKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

std::string header(const std::vector<signing::HttpHeader>& headers, std::string_view name) {
    for (const auto& h : headers)
        if (h.name == name) return h.value;
    return "<none>";
}

TEST(TencentStatusQuery, BodyBytes) {
    tencent::PullSendStatusByPhoneBody body;
    body.begin_time = 1699999700;
    body.end_time = 1700000060;
    body.phone_number = "+8613800000000";
    body.sms_sdk_app_id = "1400006666";
    EXPECT_EQ(tencent::build_pull_send_status_by_phone_body(body),
              R"({"BeginTime":1699999700,"Offset":0,"Limit":100,"PhoneNumber":"+8613800000000",)"
              R"("SmsSdkAppId":"1400006666","EndTime":1700000060})");
    body.limit = 101;
    EXPECT_THROW(tencent::build_pull_send_status_by_phone_body(body), std::invalid_argument);
    body.limit = 100;
    body.end_time = body.begin_time - 1;
    EXPECT_THROW(tencent::build_pull_send_status_by_phone_body(body), std::invalid_argument);
    body.end_time = 1700000060;
    body.sms_sdk_app_id.clear();
    EXPECT_THROW(tencent::build_pull_send_status_by_phone_body(body), std::invalid_argument);
}

TEST(TencentStatusQuery, SignedLikeSendSmsWithItsOwnAction) {
    const std::string body =
        R"({"BeginTime":1699999700,"Offset":0,"Limit":100,"PhoneNumber":"+8613800000000",)"
        R"("SmsSdkAppId":"1400006666","EndTime":1700000060})";
    tencent::SendSmsSigningInput in;
    in.secret_id = kSecretId;
    in.secret_key = kSecretKey;
    in.region = "ap-guangzhou";
    in.body = body;
    in.timestamp = 1700000000;
    const auto headers = tencent::sms_api_headers(in, tencent::kPullSendStatusByPhoneAction);
    EXPECT_EQ(header(headers, "X-TC-Action"), "PullSmsSendStatusByPhoneNumber");
    EXPECT_EQ(header(headers, "X-TC-Version"), "2021-01-11");
    EXPECT_EQ(header(headers, "X-TC-Region"), "ap-guangzhou");
    EXPECT_EQ(header(headers, "X-TC-Timestamp"), "1700000000");
    EXPECT_EQ(header(headers, "Authorization"),
              "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2023-11-14/sms/"
              "tc3_request, SignedHeaders=content-type;host, "
              "Signature=b837e9ac249d865cc71aad792041e6928cd727f8681a87f448f54ea8364c4887");

    in.signed_headers = tencent::SignedHeaderSet::content_type_host_action;
    const auto signed_action = tencent::sign_tc3(tencent::Tc3Input{
        .secret_id = kSecretId,
        .secret_key = kSecretKey,
        .host = tencent::kSmsHost,
        .action = tencent::kPullSendStatusByPhoneAction,
        .payload = body,
        .timestamp = 1700000000,
        .signed_headers = tencent::SignedHeaderSet::content_type_host_action,
    });
    EXPECT_EQ(signed_action.hashed_payload,
              "6a4bae9056e19d65780adee8cf235e23b64b4264d35e928818c20e0db5d7886b");
    EXPECT_EQ(signed_action.hashed_canonical_request,
              "426429bc0ff94618b26e005566a1113c9c081852e7fb5a2588a0099946972d0e");
    EXPECT_EQ(signed_action.signature,
              "da019868228f81c8b0504c67457a144974ad5f8a27ee5d912477c386d44700cb");
    EXPECT_EQ(header(tencent::sms_api_headers(in, tencent::kPullSendStatusByPhoneAction),
                     "Authorization"),
              signed_action.authorization);
    // SendSms keeps its own action (and so its own signature) through the shared builder.
    EXPECT_EQ(header(tencent::send_sms_headers(in), "X-TC-Action"), "SendSms");
}

TEST(TencentStatusQuery, ParsesReceiptsErrorsAndEmptyRanges) {
    const auto parsed = tencent::parse_pull_send_status_response(
        R"({"Response":{"PullSmsSendStatusSet":[{"Description":"DELIVRD","CountryCode":"86",)"
        R"("SubscriberNumber":"15291996666","ReportStatus":"SUCCESS","PhoneNumber":"+8615291996666",)"
        R"("SerialNo":"14:19325917feb3914eb78b50d6182d7e452e","UserReceiveTime":1620734188,)"
        R"("SessionContext":"m1"},{"Description":"MK:0001","CountryCode":"86",)"
        R"("SubscriberNumber":"15291996666","ReportStatus":"FAIL","PhoneNumber":"+8615291996666",)"
        R"("SerialNo":"14:2","UserReceiveTime":1620734189,"SessionContext":""}],)"
        R"("RequestId":"8979fc1e"}})");
    ASSERT_EQ(parsed.statuses.size(), 2u);
    EXPECT_FALSE(parsed.error);
    EXPECT_TRUE(parsed.statuses[0].delivered());
    EXPECT_EQ(parsed.statuses[0].session_context, "m1");
    EXPECT_EQ(parsed.statuses[0].user_receive_time, 1620734188);
    EXPECT_FALSE(parsed.statuses[1].delivered());
    EXPECT_EQ(parsed.statuses[1].serial_no, "14:2");

    const auto error = tencent::parse_pull_send_status_response(
        R"({"Response":{"Error":{"Code":"InternalError.Timeout","Message":"x"},"RequestId":"r"}})");
    ASSERT_TRUE(error.error);
    EXPECT_EQ(error.error->code, "InternalError.Timeout");

    EXPECT_TRUE(tencent::parse_pull_send_status_response(
                    R"({"Response":{"PullSmsSendStatusSet":[],"RequestId":"r"}})")
                    .statuses.empty());
    EXPECT_TRUE(tencent::parse_pull_send_status_response(
                    R"({"Response":{"PullSmsSendStatusSet":null,"RequestId":"r"}})")
                    .statuses.empty());
    EXPECT_THROW(tencent::parse_pull_send_status_response("<html>502</html>"), signing::ParseError);
    EXPECT_THROW(tencent::parse_pull_send_status_response(
                     R"({"Response":{"PullSmsSendStatusSet":[{"ReportStatus":"SUCCESS"}]}})"),
                 signing::ParseError);
}

TEST(AliyunStatusQuery, SignedQueryVector) {
    aliyun::QuerySendDetailsRequest ask;
    ask.access_key_id = "testid";
    ask.phone_number = "13800000000";
    ask.send_date = "20231115";
    ask.signature_nonce = "45e25e9b-0a6f-4070-8c85-2956eda1b466";
    ask.timestamp = sys_seconds(seconds(1700000000));
    const std::string canonical =
        "AccessKeyId=testid&Action=QuerySendDetails&CurrentPage=1&Format=JSON&PageSize=50&"
        "PhoneNumber=13800000000&RegionId=cn-hangzhou&SendDate=20231115&"
        "SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&"
        "SignatureVersion=1.0&Timestamp=2023-11-14T22%3A13%3A20Z&Version=2017-05-25";
    EXPECT_EQ(aliyun::canonical_query(aliyun::query_send_details_params(ask)), canonical);
    EXPECT_EQ(aliyun::signed_query_send_details_query(ask, "testsecret", "POST"),
              canonical + "&Signature=mfQVQZrW1L8UjhTNi%2Fn0xcMuodA%3D");
    EXPECT_EQ(aliyun::signed_query_send_details_query(ask, "testsecret", "GET"),
              canonical + "&Signature=Jd6cuqI2qg492wq7WxPdFgQDQjU%3D");
    ask.send_date = "2023-11-15";
    EXPECT_THROW(aliyun::query_send_details_params(ask), std::invalid_argument);
    ask.send_date = "20231115";
    ask.page_size = 51;
    EXPECT_THROW(aliyun::query_send_details_params(ask), std::invalid_argument);
}

TEST(AliyunStatusQuery, SendDateIsTheBeijingDay) {
    // 2023-11-14 15:59:59 UTC is 23:59:59 in Beijing; one second later it is the 15th there.
    EXPECT_EQ(aliyun::beijing_send_date(sys_seconds(seconds(1699977599))), "20231114");
    EXPECT_EQ(aliyun::beijing_send_date(sys_seconds(seconds(1699977600))), "20231115");
}

TEST(AliyunStatusQuery, ParsesDetails) {
    const auto parsed = aliyun::parse_query_send_details_response(
        R"({"TotalCount":"2","Message":"OK","RequestId":"819BE656","Code":"OK",)"
        R"("SmsSendDetailDTOs":{"SmsSendDetailDTO":[{"TemplateCode":"SMS_1","ReceiveDate":)"
        R"("2019-01-08 16:44:13","PhoneNum":"13800000000","Content":"【卡友】…","SendStatus":3,)"
        R"("SendDate":"2019-01-08 16:44:10","ErrCode":"DELIVERED","OutId":"m1"},)"
        R"({"PhoneNum":"13800000000","SendStatus":1,"OutId":"m2"}]}})");
    EXPECT_TRUE(parsed.ok());
    EXPECT_EQ(parsed.total_count, 2);
    ASSERT_EQ(parsed.details.size(), 2u);
    EXPECT_EQ(parsed.details[0].send_status, 3);
    EXPECT_EQ(parsed.details[0].out_id, "m1");
    EXPECT_EQ(parsed.details[1].send_status, 1);
    EXPECT_EQ(parsed.details[1].err_code, "");

    const auto none = aliyun::parse_query_send_details_response(
        R"({"TotalCount":0,"Message":"OK","RequestId":"r","Code":"OK","SmsSendDetailDTOs":)"
        R"({"SmsSendDetailDTO":[]}})");
    EXPECT_TRUE(none.ok());
    EXPECT_TRUE(none.details.empty());
    const auto error = aliyun::parse_query_send_details_response(
        R"({"Message":"x","RequestId":"r","Code":"isp.SYSTEM_ERROR"})");
    EXPECT_FALSE(error.ok());
    EXPECT_THROW(aliyun::parse_query_send_details_response("<html/>"), signing::ParseError);
    EXPECT_THROW(aliyun::parse_query_send_details_response(
                     R"({"Code":"OK","SmsSendDetailDTOs":{"SmsSendDetailDTO":[{"OutId":"m"}]}})"),
                 signing::ParseError);
}

TEST(StatusMatch, WhichRecordIsOurs) {
    using F = StatusFinding;
    const std::map<std::string, std::string> owners{{"s-other", "m-other"}, {"s-mine", "m1"}};
    auto owner = [&owners](const std::string& serial) {
        const auto found = owners.find(serial);
        return found == owners.end() ? std::string() : found->second;
    };
    struct Row {
        const char* what;
        std::vector<StatusRecord> records;
        F finding;
        const char* serial;
    };
    const std::vector<Row> rows{
        {"nothing listed: absent", {}, F::absent, ""},
        {"echoed id: ours", {{"s1", "m1", F::delivered}}, F::delivered, "s1"},
        {"another id echoed: not ours", {{"s1", "m2", F::delivered}}, F::absent, ""},
        {"no echo, serial unknown to us: ours", {{"s9", "", F::accepted}}, F::accepted, "s9"},
        {"no echo, serial of another message: not ours",
         {{"s-other", "", F::delivered}},
         F::absent,
         ""},
        {"no echo, serial already ours", {{"s-mine", "", F::delivered}}, F::delivered, "s-mine"},
        {"no echo and no serial: never ours", {{"", "", F::delivered}}, F::absent, ""},
        {"delivered wins over failed",
         {{"s1", "m1", F::failed}, {"s2", "m1", F::delivered}},
         F::delivered,
         "s2"},
        {"failed beats accepted",
         {{"s1", "m1", F::accepted}, {"s2", "m1", F::failed}},
         F::failed,
         "s2"},
    };
    for (const auto& r : rows) {
        const auto match = match_status(r.records, "m1", owner);
        EXPECT_EQ(match.finding, r.finding) << r.what;
        EXPECT_EQ(match.serial, r.serial) << r.what;
    }
}

}  // namespace
}  // namespace kayou::notify
