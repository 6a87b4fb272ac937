#pragma once
// Driver SMS replies and what kayou must do with each (issue 17): one table for the pure decision
// (tests/unit/dialogs_sms_reply_test.cpp) and for every provider's inbound route
// (tests/integration/sms_replies_test.cpp). Header-only: the unit test links no test support.
#include <string_view>

namespace kayou::test {

enum class SmsExpect { opt_out, progress, quiet, help };

struct SmsReplyCase {
    std::string_view text;
    SmsExpect expect;
};

inline constexpr SmsReplyCase kSmsReplyCases[] = {
    // Opt-out words: exact, full width, trailing punctuation, in the driver's own words.
    {"TD", SmsExpect::opt_out},
    {"td", SmsExpect::opt_out},
    {"Td", SmsExpect::opt_out},
    {"TD。", SmsExpect::opt_out},
    {"TD.", SmsExpect::opt_out},
    {"ＴＤ", SmsExpect::opt_out},
    {"ｔｄ", SmsExpect::opt_out},
    {" TD ", SmsExpect::opt_out},
    {"T", SmsExpect::opt_out},
    {"N", SmsExpect::opt_out},
    {"R", SmsExpect::opt_out},
    {"退订", SmsExpect::opt_out},
    {"退订。", SmsExpect::opt_out},
    {"退订！", SmsExpect::opt_out},
    {"退订!", SmsExpect::opt_out},
    {"我要退订", SmsExpect::opt_out},
    {"退订短信", SmsExpect::opt_out},
    {"不要再发了", SmsExpect::opt_out},
    {"别再发了", SmsExpect::opt_out},
    {"拒收", SmsExpect::opt_out},
    {"STOP", SmsExpect::opt_out},
    {"以后别给我发短信", SmsExpect::opt_out},
    // Progress.
    {"进度", SmsExpect::progress},
    {"进度？", SmsExpect::progress},
    {"进度?", SmsExpect::progress},
    {"进度。", SmsExpect::progress},
    {"进度！", SmsExpect::progress},
    {"查询", SmsExpect::progress},
    {"查进度", SmsExpect::progress},
    {"查询进度", SmsExpect::progress},
    {"我的进度", SmsExpect::progress},
    {"入会进度", SmsExpect::progress},
    {"审核结果", SmsExpect::progress},
    {"批了吗", SmsExpect::progress},
    {"我的申请", SmsExpect::progress},
    // Understood, nothing to send.
    {"谢谢", SmsExpect::quiet},
    {"谢谢。", SmsExpect::quiet},
    {"好的", SmsExpect::quiet},
    // Not understood (an opt-out word inside an unrelated sentence is not an opt-out): the list
    // of words kayou understands.
    {"T恤多少钱", SmsExpect::help},
    {"你好", SmsExpect::help},
    {"我要入会", SmsExpect::help},
    {"123456", SmsExpect::help},
    {"？", SmsExpect::help},
    {"明天下雨吗", SmsExpect::help},
    {"福利有哪些", SmsExpect::help},
    {"TDK轮胎多少钱", SmsExpect::help},
};

}  // namespace kayou::test
