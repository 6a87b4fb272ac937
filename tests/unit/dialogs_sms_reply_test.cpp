// SMS replies understood like chat (issue 17): the pure decision over the shipped intent script.
// The same table runs through every provider's inbound route in sms_replies_test.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "dialogs/sms_reply.hpp"
#include "tests/support/sms_reply_cases.hpp"

namespace kayou::dialogs {
namespace {

std::shared_ptr<const faq::IntentModel> shipped_model() {
    static const auto model = [] {
        std::ifstream file(KAYOU_SOURCE_DIR "/faq/data/intents.yaml");
        std::stringstream text;
        text << file.rdbuf();
        return faq::IntentModel::build(faq::parse_intent_script(text.str(), "intents.yaml"));
    }();
    return model;
}

SmsReplyAction expected(test::SmsExpect expect) {
    switch (expect) {
        case test::SmsExpect::opt_out:
            return SmsReplyAction::opt_out;
        case test::SmsExpect::progress:
            return SmsReplyAction::progress;
        case test::SmsExpect::quiet:
            return SmsReplyAction::quiet;
        case test::SmsExpect::help:
            break;
    }
    return SmsReplyAction::help;
}

TEST(SmsReply, TheTableOfRepliesIsUnderstood) {
    const Understander understander(shipped_model(), nullptr);
    EXPECT_GE(std::size(test::kSmsReplyCases), 40u);
    for (const auto& c : test::kSmsReplyCases) {
        const auto reply = understand_sms_reply(understander, c.text);
        EXPECT_EQ(to_string(reply.action), to_string(expected(c.expect)))
            << "'" << c.text << "' understood as " << reply.intent;
    }
}

TEST(SmsReply, OptOutOnlyForTheOptOutIntentSaidWithConfidence) {
    struct Case {
        std::string intent;
        double confidence;
        SmsReplyAction action;
    };
    const Case cases[] = {
        {"opt_out", 1.0, SmsReplyAction::opt_out},   {"opt_out", 0.3, SmsReplyAction::help},
        {"progress", 0.9, SmsReplyAction::progress}, {"progress", 0.2, SmsReplyAction::help},
        {"thanks", 0.8, SmsReplyAction::quiet},      {"out_of_scope", 1.0, SmsReplyAction::help},
        {"join", 1.0, SmsReplyAction::help},         {"question", 0.9, SmsReplyAction::help},
    };
    for (const auto& c : cases) {
        Understanding understood;
        understood.intent = c.intent;
        understood.confidence = c.confidence;
        understood.text = "x";
        EXPECT_EQ(sms_reply_action(understood), c.action) << c.intent << " " << c.confidence;
    }
    const Understander understander(shipped_model(), nullptr);
    EXPECT_EQ(understand_sms_reply(understander, " \n").action, SmsReplyAction::quiet);
    EXPECT_EQ(understand_sms_reply(understander, "").action, SmsReplyAction::quiet);
}

}  // namespace
}  // namespace kayou::dialogs
