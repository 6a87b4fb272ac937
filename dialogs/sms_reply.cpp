#include "dialogs/sms_reply.hpp"

namespace kayou::dialogs {

SmsReplyAction sms_reply_action(const Understanding& understood) {
    const std::string& intent = understood.intent;
    // An opt-out stops messages for good: a guess is not enough (the help SMS says how to opt out).
    if (intent == "opt_out")
        return understood.confidence >= kConfidentIntent ? SmsReplyAction::opt_out
                                                         : SmsReplyAction::help;
    if (intent == "progress" && understood.confidence >= kConfidentIntent)
        return SmsReplyAction::progress;
    if (intent == "thanks") return SmsReplyAction::quiet;
    // Anything else, a lone "？" included: he wants something kayou did not understand.
    return SmsReplyAction::help;
}

SmsReply understand_sms_reply(const Understander& understander, std::string_view text) {
    // An empty message (a handset's blank reply) asks for nothing.
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return SmsReply{SmsReplyAction::quiet, "empty"};
    UnderstandContext context;
    context.channel = "sms";
    const Understanding understood = understander.understand(text, context);
    return SmsReply{sms_reply_action(understood), understood.intent};
}

std::string_view to_string(SmsReplyAction action) {
    switch (action) {
        case SmsReplyAction::opt_out:
            return "opt_out";
        case SmsReplyAction::progress:
            return "progress";
        case SmsReplyAction::quiet:
            return "quiet";
        case SmsReplyAction::help:
            return "help";
    }
    return "help";
}

}  // namespace kayou::dialogs
