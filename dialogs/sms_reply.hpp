#pragma once
// What a driver's SMS reply asks for, understood like a chat message: understand() on channel
// "sms" (width folding, trailing punctuation, opt-out words that count on SMS only, the intent
// script's words and examples), then one of four actions. Pure; bot/sms_webhooks.cpp does the I/O.
#include <string>
#include <string_view>

#include "dialogs/understand.hpp"

namespace kayou::dialogs {

enum class SmsReplyAction {
    opt_out,   // record the opt-out (exactly the opt_out intent, said with confidence)
    progress,  // answer with the status of this number's latest application
    quiet,     // understood, nothing to send ("谢谢", "好的", a blank message)
    help,      // not understood: one short SMS listing the words kayou understands
};

struct SmsReply {
    SmsReplyAction action = SmsReplyAction::help;
    std::string intent;  // what understand() said (for logs: an intent id, never the text)
};

// The decision for an understood reply (pure table, tested in dialogs_sms_reply_test).
SmsReplyAction sms_reply_action(const Understanding& understood);

// understand(text, {channel: "sms"}) and the decision.
SmsReply understand_sms_reply(const Understander& understander, std::string_view text);

std::string_view to_string(SmsReplyAction action);

}  // namespace kayou::dialogs
