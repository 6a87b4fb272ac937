// Tickets as the chat shows them: who sees a ticket's answer when he sends its number, and when
// a legal question opens a ticket by itself.
#include <gtest/gtest.h>

#include <string>

#include "faq/legal_service.hpp"
#include "faq/tickets.hpp"

namespace kayou::faq {
namespace {

Ticket answered_ticket() {
    return Ticket{.number = "FL202611220012",
                  .question = "老板不给运费",
                  .channel = "bridge",
                  .sender_id = "wxid_owner",
                  .state = "answered",
                  .answer = "可以向法院起诉（测试答复）"};
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(TicketStatusReply, OwnerInPrivateSeesTheAnswer) {
    const auto text =
        ticket_status_reply(answered_ticket(), "FL202611220012", "bridge", "wxid_owner", false);
    EXPECT_TRUE(has(text, "FL202611220012")) << text;
    EXPECT_TRUE(has(text, "测试答复")) << text;
}

TEST(TicketStatusReply, OthersHearWhatANumberNeverIssuedGets) {
    const auto unknown = ticket_status_reply(std::nullopt, "FL202611220012", "bridge", "x", false);
    for (const auto& [channel, sender] :
         {std::pair<std::string, std::string>{"bridge", "wxid_other"},
          {"oa", "wxid_owner"},
          {"bridge", ""}}) {
        for (const bool in_group : {false, true}) {
            const auto text =
                ticket_status_reply(answered_ticket(), "FL202611220012", channel, sender, in_group);
            EXPECT_EQ(text, unknown) << channel << ":" << sender;
            EXPECT_FALSE(has(text, "已答复")) << text;
        }
    }
}

TEST(TicketStatusReply, OwnerInAGroupIsSentToThePrivateChat) {
    const auto text =
        ticket_status_reply(answered_ticket(), "FL202611220012", "bridge", "wxid_owner", true);
    EXPECT_FALSE(has(text, "测试答复")) << text;
    EXPECT_TRUE(has(text, "私聊")) << text;
}

TEST(TicketStatusReply, UnknownNumber) {
    const auto text = ticket_status_reply(std::nullopt, "FL202611229999", "bridge", "x", false);
    EXPECT_TRUE(has(text, "没有找到您的工单FL202611229999")) << text;
}

LegalQuestion question(bool in_group, bool mentioned, int misses_before) {
    LegalQuestion q;
    q.text = "问题";
    q.in_group = in_group;
    q.mentioned = mentioned;
    q.misses_before = misses_before;
    return q;
}

LegalReply reply(Action action, bool asked_for_person = false) {
    LegalReply r;
    r.action = action;
    r.asked_for_person = asked_for_person;
    return r;
}

TEST(OpensTicket, SecondPrivateMissInARow) {
    EXPECT_FALSE(opens_ticket(question(false, true, 0), reply(Action::handoff)));
    EXPECT_TRUE(opens_ticket(question(false, true, 1), reply(Action::handoff)));
    EXPECT_TRUE(opens_ticket(question(false, true, 5), reply(Action::handoff)));
    // A hit never opens one, whatever came before.
    EXPECT_FALSE(opens_ticket(question(false, true, 1), reply(Action::answer)));
    EXPECT_FALSE(opens_ticket(question(false, true, 1), reply(Action::choices)));
}

TEST(OpensTicket, NeverAutomaticallyInAGroup) {
    EXPECT_FALSE(opens_ticket(question(true, true, 1), reply(Action::handoff)));
    EXPECT_FALSE(opens_ticket(question(true, false, 3), reply(Action::silence)));
    EXPECT_FALSE(opens_ticket(question(true, false, 3), reply(Action::handoff)));
}

TEST(OpensTicket, AskingForAPersonWhenAddressed) {
    EXPECT_TRUE(opens_ticket(question(false, true, 0), reply(Action::handoff, true)));
    EXPECT_TRUE(opens_ticket(question(true, true, 0), reply(Action::handoff, true)));
    EXPECT_FALSE(opens_ticket(question(true, false, 0), reply(Action::handoff, true)));
}

TEST(MissedTicketText, GivesTheNumberAndWhatHappensNext) {
    const auto text = missed_ticket_text("FL202611220013");
    EXPECT_TRUE(has(text, "FL202611220013"));
    EXPECT_TRUE(has(text, "律师"));
    EXPECT_TRUE(has(text, "查询"));
    // Drivers should not read how kayou works inside.
    EXPECT_FALSE(has(text, "脚本")) << text;
}

TEST(AnswerGist, ABareYesTakesTheSentenceAfterIt) {
    Entry entry;
    entry.answer = "能。平台扣的押金，订单完成后应当退还；不退的可以向12315投诉。";
    EXPECT_EQ(answer_gist(entry, 40), "能。平台扣的押金，订单完成后应当退还");
    entry.answer = "不能乱扣工资：每月最多扣20%。其余不行。";
    EXPECT_EQ(answer_gist(entry, 40), "不能乱扣工资：每月最多扣20%");
    EXPECT_EQ(answer_gist(entry, 6), "不能乱扣工…");
}

}  // namespace
}  // namespace kayou::faq
