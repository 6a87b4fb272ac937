// Provider webhook bodies (docs/spec sms-providers.md §2, §3.5, §4.1-4.2) and the exact answers
// each provider expects.
#include <gtest/gtest.h>

#include "notify/signing/callbacks.hpp"
#include "notify/signing/twilio.hpp"

namespace {

using namespace kayou::notify;
using namespace std::chrono;
using callbacks::parse_aliyun_sms_reports;
using callbacks::parse_aliyun_sms_up;
using callbacks::parse_tencent_replies;
using callbacks::parse_tencent_status_reports;
using signing::ParseError;

sys_seconds beijing(year_month_day d, hours h, minutes m, seconds s) {
    return sys_days{d} + h + m + s - 8h;
}

// The message of the ParseError `f` throws, or "<no error>".
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const ParseError& e) {
        return e.what();
    }
    return "<no error>";
}

TEST(AnswerBodies, ExactBytes) {
    EXPECT_EQ(callbacks::kTencentOkBody, R"({"result":0,"errmsg":"OK"})");
    EXPECT_EQ(callbacks::kAliyunOkBody, R"({"code":0,"msg":"接收成功"})");
    EXPECT_EQ(callbacks::kAliyunProbeOkBody, R"({"code":0,"msg":"成功"})");
    EXPECT_EQ(callbacks::kTwilioEmptyTwiml, "<Response></Response>");
    EXPECT_EQ(callbacks::kTwilioContentType, "text/xml");
}

// A Twilio inbound reply is answered inside the TwiML of the same request (issue 17).
TEST(AnswerBodies, TwilioMessageTwimlIsEscaped) {
    EXPECT_EQ(callbacks::twilio_message_twiml("【卡友工会】进度：已受理"),
              "<Response><Message>【卡友工会】进度：已受理</Message></Response>");
    EXPECT_EQ(callbacks::twilio_message_twiml("a<b>&\"'"),
              "<Response><Message>a&lt;b&gt;&amp;&quot;&#39;</Message></Response>");
    EXPECT_EQ(callbacks::twilio_message_twiml(""), "<Response></Response>");
}

// ---------------------------------------------------------------- Tencent

constexpr std::string_view kTencentReceipts = R"([
  {"user_receive_time":"2015-10-17 08:03:04","nationcode":"86","mobile":"13800000000",
   "report_status":"SUCCESS","errmsg":"DELIVRD","description":"用户短信送达成功",
   "sid":"5000:1045710669157053657849499619","ext":"appr-1"},
  {"user_receive_time":"","nationcode":"86","mobile":"13900000000",
   "report_status":"FAIL","errmsg":"MK:0005","description":"用户短信接收失败",
   "sid":"5000:1045710669157053657849499620","unknown_new_field":42}
])";

TEST(TencentStatus, ParsesTwoReceipts) {
    const auto r = parse_tencent_status_reports(kTencentReceipts);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_TRUE(r[0].success);
    EXPECT_EQ(r[0].sid, "5000:1045710669157053657849499619");
    EXPECT_EQ(r[0].mobile, "13800000000");
    EXPECT_EQ(r[0].nationcode, "86");
    EXPECT_EQ(r[0].errmsg, "DELIVRD");
    EXPECT_EQ(r[0].description, "用户短信送达成功");
    EXPECT_EQ(r[0].ext, "appr-1");
    EXPECT_EQ(r[0].received_at, beijing(2015y / 10 / 17, 8h, 3min, 4s));

    EXPECT_FALSE(r[1].success);
    EXPECT_EQ(r[1].report_status, "FAIL");
    EXPECT_EQ(r[1].errmsg, "MK:0005");
    EXPECT_EQ(r[1].ext, "");  // ext only when Tencent enabled it
    EXPECT_EQ(r[1].received_at, std::nullopt);
}

TEST(TencentStatus, EmptyArrayIsValid) { EXPECT_TRUE(parse_tencent_status_reports("[]").empty()); }

TEST(TencentStatus, MalformedBodiesGiveClearErrors) {
    EXPECT_EQ(error_of([] { parse_tencent_status_reports("{not json"); }),
              "Tencent status callback: body is not valid JSON (9 bytes)");
    EXPECT_EQ(error_of([] { parse_tencent_status_reports(""); }),
              "Tencent status callback: body is not valid JSON (0 bytes)");
    EXPECT_EQ(error_of([] { parse_tencent_status_reports(R"({"sid":"1"})"); }),
              "Tencent status callback: body must be a JSON array");
    EXPECT_EQ(error_of([] { parse_tencent_status_reports("[1]"); }),
              "Tencent status callback[0]: must be an object");
    EXPECT_EQ(
        error_of([] {
            parse_tencent_status_reports(
                R"([{"sid":"1","mobile":"1","report_status":"SUCCESS"},{"mobile":"1","report_status":"FAIL"}])");
        }),
        "Tencent status callback[1].sid: missing");
    EXPECT_EQ(
        error_of([] {
            parse_tencent_status_reports(R"([{"sid":1,"mobile":"1","report_status":"FAIL"}])");
        }),
        "Tencent status callback[0].sid: must be a string");
    EXPECT_EQ(
        error_of([] {
            parse_tencent_status_reports(R"([{"sid":"1","mobile":"1","report_status":"MAYBE"}])");
        }),
        "Tencent status callback[0].report_status: must be SUCCESS or FAIL");
}

TEST(TencentStatus, ErrorsNeverEchoValues) {
    const std::string e = error_of([] {
        parse_tencent_status_reports(
            R"([{"sid":"1","mobile":13812345678,"report_status":"FAIL"}])");
    });
    EXPECT_EQ(e.find("13812345678"), std::string::npos) << e;
}

TEST(TencentReply, ParsesChineseTextObject) {
    const auto r = parse_tencent_replies(
        R"({"extend":"","mobile":"13800000000","nationcode":"86","sign":"卡友工会","text":"同意，谢谢","time":1700000000})");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].text, "同意，谢谢");
    EXPECT_EQ(r[0].sign, "卡友工会");
    EXPECT_EQ(r[0].extend, "");
    EXPECT_EQ(r[0].mobile, "13800000000");
    EXPECT_EQ(r[0].time, 1700000000);
}

TEST(TencentReply, AcceptsAnArrayToo) {
    const auto r = parse_tencent_replies(
        R"([{"mobile":"13800000000","text":"TD","time":1},{"mobile":"13900000000","text":"R","extend":"12"}])");
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[1].extend, "12");
    EXPECT_EQ(r[1].time, 0);
}

TEST(TencentReply, Malformed) {
    EXPECT_EQ(error_of([] { parse_tencent_replies(R"({"mobile":"1"})"); }),
              "Tencent reply callback.text: missing");
    EXPECT_EQ(error_of([] { parse_tencent_replies(R"({"mobile":"1","text":"x","time":"soon"})"); }),
              "Tencent reply callback.time: must be an integer");
    EXPECT_EQ(error_of([] { parse_tencent_replies(R"("text")"); }),
              "Tencent reply callback: body must be a JSON object or array");
    EXPECT_EQ(error_of([] { parse_tencent_replies("\xff\xfe"); }),
              "Tencent reply callback: body is not valid JSON (2 bytes)");
}

// ---------------------------------------------------------------- Aliyun

constexpr std::string_view kAliyunReports = R"([
  {"phone_number":"13800000000","send_time":"2024-06-03 13:45:10","report_time":"2024-06-03 13:45:12",
   "success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","sms_size":"1",
   "biz_id":"900619746936498440^0","out_id":"appr-1"},
  {"phone_number":"13900000000","send_time":"2024-06-03 13:45:10","report_time":"2024-06-03 13:46:00",
   "success":false,"err_code":"MK:0001","err_msg":"MK:0001","sms_size":"2",
   "biz_id":"900619746936498440^1","out_id":"appr-2","sign_name":"卡友工会","template_code":"SMS_1"}
])";

TEST(AliyunReport, ParsesArray) {
    const auto r = parse_aliyun_sms_reports(kAliyunReports);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_TRUE(r[0].success);
    EXPECT_EQ(r[0].err_code, "DELIVERED");
    EXPECT_EQ(r[0].biz_id, "900619746936498440^0");
    EXPECT_EQ(r[0].out_id, "appr-1");
    EXPECT_EQ(r[0].sms_size, 1);
    EXPECT_EQ(r[0].reported_at, beijing(2024y / 6 / 3, 13h, 45min, 12s));
    EXPECT_FALSE(r[1].success);
    EXPECT_EQ(r[1].sms_size, 2);
    EXPECT_EQ(r[1].phone_number, "13900000000");
}

TEST(AliyunReport, Malformed) {
    EXPECT_EQ(
        error_of([] {
            parse_aliyun_sms_reports(R"([{"phone_number":"1","success":"true","biz_id":"b"}])");
        }),
        "Aliyun SmsReport[0].success: must be true or false");
    EXPECT_EQ(
        error_of([] { parse_aliyun_sms_reports(R"([{"phone_number":"1","success":true}])"); }),
        "Aliyun SmsReport[0].biz_id: missing");
    EXPECT_EQ(error_of([] {
                  parse_aliyun_sms_reports(
                      R"([{"phone_number":"1","success":true,"biz_id":"b","sms_size":"two"}])");
              }),
              "Aliyun SmsReport[0].sms_size: must be a non-negative integer");
    EXPECT_EQ(error_of([] { parse_aliyun_sms_reports("[{]"); }),
              "Aliyun SmsReport: body is not valid JSON (3 bytes)");
}

TEST(AliyunUp, ParsesArrayWithNumericSequenceId) {
    const auto r = parse_aliyun_sms_up(
        R"([{"phone_number":"13800000000","send_time":"2024-06-03 20:01:02","content":"同意 A123",
             "sign_name":"卡友工会","dest_code":"1234","sequence_id":1234567890123}])");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].content, "同意 A123");
    EXPECT_EQ(r[0].dest_code, "1234");
    EXPECT_EQ(r[0].sequence_id, 1234567890123);
    EXPECT_EQ(r[0].sent_at, beijing(2024y / 6 / 3, 20h, 1min, 2s));
}

TEST(AliyunUp, Malformed) {
    EXPECT_EQ(error_of([] {
                  parse_aliyun_sms_up(R"([{"phone_number":"1","content":"x","sequence_id":1.5}])");
              }),
              "Aliyun SmsUp[0].sequence_id: must be an integer");
    EXPECT_EQ(error_of([] { parse_aliyun_sms_up(R"([{"phone_number":"1"}])"); }),
              "Aliyun SmsUp[0].content: missing");
    EXPECT_EQ(error_of([] { parse_aliyun_sms_up("null"); }),
              "Aliyun SmsUp: body must be a JSON array");
}

// ---------------------------------------------------------------- Twilio

TEST(TwilioInbound, ParsesFormWithPlusPercentAndChinese) {
    const auto params = twilio::parse_form_urlencoded(
        "ToCountry=US&NumMedia=0&Body=1%2B1%3D2+%E5%90%8C%E6%84%8F+100%25&NumSegments=1"
        "&MessageSid=SM00000000000000000000000000000001&AccountSid="
        "AC00000000000000000000000000000001"
        "&From=%2B8613800000000&To=%2B15005550006&ApiVersion=2010-04-01");
    const auto m = callbacks::parse_twilio_inbound(params);
    EXPECT_EQ(m.body, "1+1=2 同意 100%");
    EXPECT_EQ(m.from, "+8613800000000");
    EXPECT_EQ(m.to, "+15005550006");
    EXPECT_EQ(m.message_sid, "SM00000000000000000000000000000001");
    EXPECT_EQ(m.num_media, 0);
    EXPECT_EQ(m.num_segments, 1);
}

TEST(TwilioInbound, MissingOrBadFields) {
    using P = std::vector<signing::Param>;
    EXPECT_EQ(
        error_of([] {
            callbacks::parse_twilio_inbound(P{{"AccountSid", "AC1"}, {"From", "+1"}, {"To", "+2"}});
        }),
        "Twilio inbound message: missing field MessageSid");
    EXPECT_EQ(error_of([] {
                  callbacks::parse_twilio_inbound(P{{"MessageSid", "SM1"},
                                                    {"AccountSid", "AC1"},
                                                    {"From", "+1"},
                                                    {"To", "+2"},
                                                    {"NumMedia", "x"}});
              }),
              "NumMedia: must be a non-negative integer");
}

TEST(TwilioStatus, ParsesAndOrdersStatuses) {
    const auto s = callbacks::parse_twilio_status(twilio::parse_form_urlencoded(
        "MessageSid=SM1&MessageStatus=undelivered&SmsSid=SM1&SmsStatus=undelivered&AccountSid=AC1"
        "&From=%2B15005550006&To=%2B8613800000000&ApiVersion=2010-04-01&ErrorCode=30003"
        "&RawDlrDoneDate=2406031345"));
    EXPECT_EQ(s.message_status, "undelivered");
    EXPECT_EQ(s.error_code, "30003");
    EXPECT_EQ(s.raw_dlr_done_date, "2406031345");

    // In order: sent -> delivered advances; out of order: delivered then a late sent is ignored.
    EXPECT_TRUE(callbacks::twilio_status_advances("", "queued"));
    EXPECT_TRUE(callbacks::twilio_status_advances("sent", "delivered"));
    EXPECT_FALSE(callbacks::twilio_status_advances("delivered", "sent"));
    EXPECT_FALSE(callbacks::twilio_status_advances("delivered", "delivered"));  // duplicate
    EXPECT_FALSE(callbacks::twilio_status_advances("delivered", "failed"));
    EXPECT_TRUE(callbacks::twilio_status_advances("delivered", "read"));
    EXPECT_FALSE(callbacks::twilio_status_advances("queued", "something_new"));
}

TEST(TwilioStatus, FallsBackToSmsStatusAndRequiresOne) {
    using P = std::vector<signing::Param>;
    EXPECT_EQ(callbacks::parse_twilio_status(P{{"MessageSid", "SM1"}, {"SmsStatus", "sent"}})
                  .message_status,
              "sent");
    EXPECT_EQ(error_of([] {
                  callbacks::parse_twilio_status(P{{"MessageSid", "SM1"}});
              }),
              "Twilio status callback: missing field MessageStatus");
}

}  // namespace
