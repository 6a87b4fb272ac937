#pragma once
// Legal Q&A as a service the dialog engine calls: one question in, what to say out (answer with
// legal basis, numbered choices, silence, or a handoff with a ticket). The choice follow-up
// ("2") and the miss counter live in the dialog's session; this class is stateless apart from
// the live index.
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faq/decide.hpp"
#include "faq/index.hpp"

namespace kayou::faq {

// A message this short (code points) right after a legal answer, unsure on its own words, is also
// read with that answer's topic (faq::answer_from): "要补多少 会罚款吗" after the ETC answer.
inline constexpr std::size_t kShortAfterAnswerChars = 24;

class LiveContent;
class TicketDesk;

struct LegalQuestion {
    std::string text;
    std::string district;  // the driver's district if known (district-scoped entries)
    bool in_group = false;
    bool mentioned = true;  // @-mentioned in a group; always true for 1:1 and SMS
    // Earlier questions in this conversation that ended in a handoff offer; at kMissesForTicket
    // the next miss opens a ticket instead of asking again.
    int misses_before = 0;
    std::size_t max_bytes = kOneReplyBytes;  // the channel's limit for one text
    // The channel can send a second message after its reply (the Official Account's
    // customer-service API): two answers that do not fit one text then go whole in two
    // (faq::answer_messages), the second in LegalReply::follow_ups.
    bool follow_up = false;
    // A search of this message already made (understanding); used instead of searching again
    // when it ran on the same index with the same text and no district.
    PriorSearch searched;
    // Where a ticket's answer goes (see NewTicket).
    std::string channel;
    std::string chat_id;
    std::string sender_id;
    std::string phone;  // if the driver's phone is known (member record), for the SMS
    // The driver's previous question in this conversation, if any: when he only says "人工",
    // the ticket carries this so the desk sees what he asked.
    std::string previous_question;
    // His last legal question in a private chat, when the turn before this one was legal: a
    // follow-up ("那要多久", faq::leans_on_previous) is also searched after it (answer_from).
    std::string topic;
    // The entries answered on the turn before this one (private chats): a follow-up whose best
    // match is one of them gets the part it asks about (faq::answer_part), not the answer again.
    std::vector<std::string> answered_before;
    // His earlier messages in this private chat, joined: the figures they state ("干了3年 工资
    // 7000", then "被开除了能赔多少") are worked through with the answer (faq::sum_for_driver).
    std::string said_before;
    // The Beijing date, yyyymmdd: an age he gives ("我今年52了" → born 1974) is worked against its
    // year, the dates of his case ("前年八月") against it (faq::limitation_for_driver);
    // LegalService::dry_run (and so ask) sets it from the clock when 0.
    int today = 0;
};

inline constexpr int kMissesForTicket = 2;

struct LegalReply {
    Action action = Action::handoff;
    std::vector<std::string> texts;  // empty for silence
    // Sent as its own message after the reply (only when LegalQuestion::follow_up).
    std::vector<std::string> follow_ups;
    // choices: the entry ids offered as 1..n, for the session (answer_choice); answer: the id;
    // both: the two ids.
    std::vector<std::string> entry_ids;
    std::vector<Hit> hits;               // valid while `index` lives
    std::shared_ptr<const Index> index;  // the version this question was answered from
    int version = 0;
    bool asked_for_person = false;
    std::string ticket;  // the ticket number when one was opened
    // The question was read as a follow-up of LegalQuestion::topic and searched as this
    // (faq::with_topic); empty otherwise.
    std::string searched_text;
};

// Whether `reply` leaves a legal question on the table: anything but an answer of the union's own
// (`legal: false` entries: the card, mutual aid, a fuel station), after which "人工" is for the
// district's staff. Read from the reply's hits; choices or a miss whose best hit is the union's
// own are the union's too ("住院花了两万多 能报不 我是会员" got choices led by the mutual aid,
// then "人工" reached the lawyers; benefits helper, session 25).
bool leaves_legal_context(const LegalReply& reply);

// "人工", "转人工", "找律师", "律师", "要律师"...: the driver wants a person, whatever the scripts
// say.
bool asks_for_person(std::string_view text);
// "您问的可能是下面哪一种？\n1. …\n2. …\n3. 都不是 → 转人工\n回复数字即可". Each choice is
// the gist of the entry's answer (answer_gist), so a driver can tell which one fits; the last
// one hands him to the legal desk (dialogs::route, Do::pick).
std::string choices_text(const std::vector<Hit>& hits);
// The first sentence of an entry's answer, at most `max_chars` characters ("…" marks a cut).
std::string answer_gist(const Entry& entry, std::size_t max_chars);
// No script fits, no ticket yet: offer the desk.
std::string handoff_offer_text();

// The pure part of ask(): no ticket, no Redis. `index` may be null (nothing loaded yet).
LegalReply answer_from(std::shared_ptr<const Index> index, int version,
                       const LegalQuestion& question, const Thresholds& thresholds);

// Whether ask() opens a ticket for this reply: on "人工"/"找律师" when addressed (1:1, or
// @-mentioned in a group); on a miss (handoff) only in a private chat and only once the driver
// has missed kMissesForTicket - 1 times before — a group never gets an automatic ticket.
bool opens_ticket(const LegalQuestion& question, const LegalReply& reply);
// What the driver is told when his second miss in a row opened a ticket.
std::string missed_ticket_text(std::string_view number);

// The answer for choice `number` (1-based) among `entry_ids` offered earlier, from `index`;
// nullopt when the number is out of range or the entry is gone in a newer version. A group gets
// the short answer its questions get (format_group_answer): a "2" there got the whole private
// answer (benefits helper, session 24).
std::optional<std::string> answer_choice(const Index& index,
                                         const std::vector<std::string>& entry_ids, int number,
                                         std::size_t max_bytes = kOneReplyBytes,
                                         bool in_group = false);

class LegalService {
public:
    LegalService(LiveContent& content, TicketDesk& tickets, Thresholds thresholds = {});

    // Answers from the current published index; opens a ticket when the driver asks for a person,
    // or nothing fits in a private chat / an @-mention and he has missed kMissesForTicket times.
    boost::asio::awaitable<LegalReply> ask(LegalQuestion question);
    // The same without side effects (editors' "ask" endpoint, previews): never opens a ticket.
    LegalReply dry_run(const LegalQuestion& question) const;

    const Thresholds& thresholds() const { return thresholds_; }

private:
    LiveContent& content_;
    TicketDesk& tickets_;
    Thresholds thresholds_;
};

}  // namespace kayou::faq
