#pragma once
// The dialog kayou runs for every message: intent routing, the scripted join flow, progress,
// and the group-chat privacy rules. It is the I/O shell around JoinEngine (pure): it takes the
// conversation's lease lock (1:1 only: group turns store nothing), loads the session and the
// draft, runs the engine, executes the effect the engine asks for (send or check an SMS code,
// submit, look up progress, sign a join link), feeds the result back, saves the state under the
// lock's fencing check, and answers. Commit first, then send: the reply leaves only after the
// state it describes is saved.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dialogs/conversation_store.hpp"
#include "dialogs/dialog.hpp"
#include "dialogs/join_engine.hpp"
#include "dialogs/route.hpp"
#include "dialogs/understand.hpp"
#include "faq/driver_services.hpp"

namespace kayou::members {
class ApplicationStore;
class JoinDesk;
}  // namespace kayou::members

namespace kayou::dialogs {

// What a driver who asks for a driver station without naming a place is told (legal_eval scores
// it too).
inline constexpr const char* kAskTown =
    "司机之家大多设在高速服务区、物流园区和大型加油站，可以休息歇脚、洗澡洗衣、热饭，"
    "货车司机都能用。请告诉我您在哪个镇或哪个区，例如：湖塘、奔牛、武进区，"
    "我帮您找最近的司机之家。";

// A legal question as the router hands it to the Q&A service (faq::LegalService in the app).
struct LegalAsk {
    std::string text;
    bool in_group = false;
    bool mentioned = true;
    std::string district;
    std::string channel;
    std::string chat_id;
    std::string sender_id;
    // Legal questions in a row this driver asked privately that the scripts missed; the service
    // opens a ticket on the next miss (faq::kMissesForTicket). Always 0 in groups.
    int misses_before = 0;
    // His last missed question (private chats), for the ticket when he now says "人工".
    std::string previous_question;
    // The question a short follow-up leans on (faq::LegalQuestion::topic): in a private chat whose
    // last turn was legal, his latest earlier message that stands on its own (faq::topic_of).
    std::string topic;
    // The entries the turn before answered (faq::LegalQuestion::answered_before).
    std::vector<std::string> answered_before;
    // His earlier messages in a private chat (faq::LegalQuestion::said_before).
    std::string said_before;
    // The search the understanding step already made (faq::PriorSearch), reused when it fits.
    faq::PriorSearch searched;
    bool follow_up = false;        // Message::follow_ups (faq::LegalQuestion::follow_up)
    std::size_t max_bytes = 2048;  // Message::answer_bytes (faq::LegalQuestion::max_bytes)
};

struct LegalAnswer {
    std::vector<std::string> texts;       // empty: silence, or nothing confident to say
    std::vector<std::string> follow_ups;  // Reply::follow_ups
    std::vector<std::string> entry_ids;   // set when choices or two answers were sent (for "2")
    bool confident = false;               // an answer, choices or a ticket (not a handoff offer)
    bool missed = false;                  // nothing fits and no ticket was opened: a miss
    std::string outcome;                  // answer | both | choices | silence | handoff
    // Set when the service searched the question with its topic (faq::LegalReply::searched_text).
    std::string asked_as;
    std::string ticket;                 // the ticket it opened, if any
    std::vector<std::string> answered;  // the entries sent as answers (answer or both)
    // Not only the union's own (service) entries were answered: "人工" next is for the lawyers.
    bool legal = true;
};

// What became of a message added to the driver's ticket: kept with it while it waits, kept and
// the ticket back in the desk's queue (he replied to its answer), or nothing (no such ticket any
// more, or closed).
// left: not added, the ticket is answered and the message was no reply to it.
enum class TicketNoteResult { added, reopened, gone, left };

// A grievance (诉求) as the router hands it to the ticket desk.
struct GrievanceTicket {
    std::string category;  // dialogs::kGrievanceCategories
    std::string question;
    std::string channel;
    std::string chat_id;
    std::string sender_id;
};

// A driver handed to a person: the join help of his district (staff) or the legal desk, with
// what he said last (sealed at rest by the ticket desk).
struct Handoff {
    std::string desk;  // staff | legal
    std::string question;
    std::vector<std::string> recent;  // the driver's last messages, oldest first
    std::string district;             // staff: the district id from the draft or application
    std::string phone;  // the mobile an SMS code confirmed, if any: the answer is announced by SMS
    std::string channel;
    std::string chat_id;
    std::string sender_id;
    bool in_group = false;  // asked in a group: the answer goes to him alone, in private
};

// What the driver is told when a ticket for a person is opened, and its number.
struct HandoffOpened {
    std::string text;
    std::string ticket;
};

// Legal Q&A, tickets, stations and benefits (faq/), bound by bot/app.cpp. Any may be empty (not
// configured); then the join flow's fixed texts answer as before.
struct ChatServices {
    std::function<boost::asio::awaitable<LegalAnswer>(LegalAsk)> ask;
    // The answer for choice `number` (1-based) among ids offered earlier, short in a group;
    // nullopt = ask again.
    std::function<std::optional<std::string>(const std::vector<std::string>& entry_ids, int number,
                                             bool in_group)>
        answer_choice;
    // Lawyers' answers waiting for this driver on this channel (removed when taken).
    std::function<boost::asio::awaitable<std::vector<std::string>>(std::string channel,
                                                                   std::string sender_id)>
        take_pending;
    // A Redis command counting those answers, sent with the conversation lock so that the look
    // (nearly always 0) costs no round trip of its own; take_pending runs only when it is not 0.
    // Empty: take_pending is asked every turn.
    std::function<std::vector<std::string>(const std::string& channel,
                                           const std::string& sender_id)>
        pending_count_query;
    std::function<boost::asio::awaitable<faq::PlaceStations>(double lat, double lng)> stations_near;
    // nullopt when the text names no known place.
    std::function<boost::asio::awaitable<std::optional<faq::PlaceStations>>(std::string text)>
        stations_near_place;
    std::string ask_for_location_text;
    // A message about the stations just listed ("第二个能停半挂不", "几点关门"): the answer and
    // the station picked; nullopt when it is not about them.
    std::function<std::optional<faq::StationFollowUp>(const std::vector<std::string>& listed,
                                                      int picked_before, const std::string& text)>
        about_listed_stations;
    // district (official name, "" = not known), status (member | applicant | none), today
    // (YYYY-MM-DD), kind (a benefit kind of the intent script, asked about first; "" = all).
    std::function<std::string(std::string district, std::string status, std::string today,
                              std::string kind)>
        benefits;
    // The ids of the benefits that list numbers (same arguments), and the one "第二个咋领" picks
    // among them with its status (member | applicant | none); nullopt when it picks none.
    std::function<std::vector<std::string>(std::string district, std::string status,
                                           std::string today, std::string kind)>
        listed_benefits;
    std::function<std::optional<std::string>(const std::vector<std::string>& listed,
                                             const std::string& status, const std::string& text)>
        picked_benefit;
    // The live FAQ index (its best score tells a legal question from chit-chat) and the live
    // intent script; either may be empty or return null: the one loaded at start is used.
    std::function<std::shared_ptr<const faq::Index>()> legal_index;
    std::function<std::shared_ptr<const faq::IntentModel>()> intents;
    // Opens a ticket for a person; returns what the driver is told (with the ticket number).
    std::function<boost::asio::awaitable<HandoffOpened>(Handoff)> open_handoff;
    // The status of `number` while it still waits for the desk (what the driver is told when he
    // asks for a person again); nullopt once it is answered or closed, or unknown.
    std::function<boost::asio::awaitable<std::optional<std::string>>(std::string number)>
        ticket_waiting;
    // How a question was answered (answered | choices | handoff | not_understood), with the
    // driver's words for the missed-questions inbox (scrubbed there before anything is stored).
    std::function<boost::asio::awaitable<void>(std::string outcome, std::string question)>
        record_outcome;
    // The status of the ticket `text` names, as this sender may see it; nullopt when the text
    // names no ticket number (faq::TicketDesk::status_for).
    std::function<boost::asio::awaitable<std::optional<std::string>>(
        std::string text, std::string channel, std::string sender_id, bool in_group)>
        ticket_status;
    // Opens a grievance ticket; returns what the driver is told (with the ticket number).
    std::function<boost::asio::awaitable<std::string>(GrievanceTicket)> open_grievance;
    // The latest ticket this sender opened on this channel, when the chat's session no longer
    // knows it (faq::TicketDesk::latest_for).
    std::function<boost::asio::awaitable<std::optional<std::string>>(std::string channel,
                                                                     std::string sender)>
        latest_ticket;
    // Adds what the driver sent to ticket `number` (faq::TicketDesk::add_note; an answered one
    // only when `may_reopen`).
    std::function<boost::asio::awaitable<TicketNoteResult>(std::string number, std::string text,
                                                           bool may_reopen)>
        add_to_ticket;
    // The driver withdraws ticket `number` (his words kept as its last note, then closed by him);
    // false when it could not be closed.
    std::function<boost::asio::awaitable<bool>(std::string number, std::string text)>
        withdraw_ticket;
};

struct RouterServices {
    const FlowScript* script = nullptr;
    const members::DistrictCatalog* districts = nullptr;
    ConversationStore* conversations = nullptr;
    members::ApplicationStore* applications = nullptr;  // progress look-ups
    // Codes, submits and join links: what the chat shares with the web page.
    members::JoinDesk* desk = nullptr;
    // "https://kayou.example.org" (no trailing slash); empty = no join links in groups.
    std::string public_base_url;
    // The intent script loaded at start (faq/data/intents.yaml); ChatServices::intents may
    // replace it with a published version.
    std::shared_ptr<const faq::IntentModel> intents;
    std::function<std::chrono::sys_seconds()> now;
    // Operational events without personal data ("deadline_calendar_gap", "lock_timeout", ...).
    std::function<void(std::string_view event, std::string_view detail)> log;
    // Join funnel events (TurnOutput::events), e.g. for a Prometheus counter per event.
    std::function<void(std::string_view event)> count;
    ChatServices chat;
};

class RouterDialog : public Dialog {
public:
    explicit RouterDialog(RouterServices services);
    boost::asio::awaitable<Reply> handle(const Message& message) override;
    // 1:1 turns send the dedupe claim with the conversation lock: one round trip less.
    bool claims_inline(const Message& message) const override;
    boost::asio::awaitable<std::optional<Reply>> handle_claiming(const Message& message,
                                                                 DedupeClaim& claim) override;

private:
    // What chat_services decided: answered here, or the flow engine runs on `flow_text`.
    struct Handled {
        std::vector<std::string> texts;
        std::vector<std::string> follow_ups;   // Reply::follow_ups
        std::optional<std::string> flow_text;  // set: run the engine with this text
        std::optional<std::string> reject;     // set: the step's answer was wrong, this says why
        bool resume = false;  // a detour in the join flow: repeat where it stands afterwards
        // With `resume`: the step's prompt alone, without "我们继续" (after a pause).
        bool resume_quietly = false;
        // The legal question as it was searched, when that is not the message itself (a
        // follow-up read with its topic): what the missed-questions inbox keeps.
        std::string asked_as;
    };
    boost::asio::awaitable<EffectResult> run_effect(const Effect& effect,
                                                    const ConversationState& state,
                                                    const Message& message);
    // nullopt only when `claim` turned out to be another delivery's.
    boost::asio::awaitable<std::optional<Reply>> private_turn(const Message& message,
                                                              const TurnInput& input,
                                                              DedupeClaim* claim);
    TurnInput turn_input(const Message& message) const;
    // A group message: the sender's own group conversation keeps only numbered choices offered
    // to him (no draft, nothing personal); it is locked and saved only when they change.
    boost::asio::awaitable<Handled> group_chat_services(const Message& message,
                                                        const TurnInput& input);
    void count(const std::vector<std::string>& events) const;
    // understand() -> route() -> the action: everything before the join flow's own step
    // machine. Updates the session's choices, miss counter, awaiting and recent turns.
    // `answer_delivered`: a desk's answer goes before this turn's reply.
    boost::asio::awaitable<Handled> chat_services(const Message& message, const TurnInput& input,
                                                  ConversationState& state,
                                                  bool answer_delivered = false);
    boost::asio::awaitable<std::optional<Handled>> warned_and_answered(const Message& message,
                                                                       const TurnInput& input,
                                                                       ConversationState& state,
                                                                       bool answer_delivered);
    // What chat_services takes out of the session for this message only.
    struct ChatTurn {
        std::vector<std::string> offered;  // the numbered choices offered last time
        bool grievance_pending = false;
        int misses = 0;
        std::string last_question;
        std::string awaiting;
        std::string awaiting_benefit;  // SessionState::awaiting_benefit
        std::string office_district;   // SessionState::office_district
        bool legal_context = false;
        std::vector<std::string> legal_answered;  // SessionState::legal_answered
        std::string text;                         // JoinEngine::clean_input of the message
        bool in_group = false;
        bool asked = false;             // 1:1, or @-mentioned in a group
        bool answer_delivered = false;  // a desk's answer goes before this turn's reply
    };
    static ChatTurn take_turn(const Message& message, const TurnInput& input,
                              ConversationState& state);
    bool answered_with_labour_law(const std::vector<std::string>& answered) const;
    boost::asio::awaitable<std::optional<Handled>> answer_when_answered(const Message& message,
                                                                        const TurnInput& input,
                                                                        ConversationState& state,
                                                                        const std::string& about);
    boost::asio::awaitable<std::optional<Handled>> answer_before_understanding(
        const Message& message, const TurnInput& input, ConversationState& state,
        const ChatTurn& turn, int number);
    // His ticket's status said: a number or a call asked for in the same message goes to the
    // ticket too ("律师啥时候回我 我电话139… 直接打给我").
    boost::asio::awaitable<void> note_call_with_status(const Message& message,
                                                       const TurnInput& input,
                                                       ConversationState& state, Handled& handled);
    boost::asio::awaitable<std::optional<std::string>> latest_ticket_of(const Message& message);
    boost::asio::awaitable<std::optional<std::string>> group_ticket_status(const Message& message,
                                                                           const ChatTurn& turn);
    void take_benefits_district(const ChatTurn& turn, Understanding& understood) const;
    bool answer_office_follow_up(const ChatTurn& turn, const Understanding& understood,
                                 ConversationState& state, Handled& handled) const;
    bool answer_listed_stations(const ChatTurn& turn, const Understanding& understood,
                                ConversationState& state, Handled& handled) const;
    bool answer_picked_benefit(const ChatTurn& turn, ConversationState& state,
                               Handled& handled) const;
    bool answer_what_was_left_open(const ChatTurn& turn, const Understanding& understood,
                                   ConversationState& state, Handled& handled) const;
    bool names_papers(const ChatTurn& turn) const;
    // The FAQ entry of the benefit just answered from the catalogue, as the answer a follow-up
    // leans on ("困难帮扶咋申请" then "要准备啥材料").
    void remember_benefit_entry(const ChatTurn& turn, const Understanding& understood,
                                ConversationState& state) const;
    boost::asio::awaitable<void> answer_stations(const Message& message, ConversationState& state,
                                                 const ChatTurn& turn, Handled& handled);
    boost::asio::awaitable<void> answer_status(const Message& message, ConversationState& state,
                                               const ChatTurn& turn,
                                               const Understanding& understood, Handled& handled);
    bool ask_before_cancelling(const ChatTurn& turn, ConversationState& state, const Route& decided,
                               bool mid_flow, Handled& handled) const;
    boost::asio::awaitable<std::string> answer_route(const Message& message, const TurnInput& input,
                                                     ConversationState& state, const ChatTurn& turn,
                                                     const Understanding& understood,
                                                     const Route& decided, int choices,
                                                     bool mid_flow, Handled& handled);
    boost::asio::awaitable<std::string> answer_legal(const Message& message,
                                                     ConversationState& state, const ChatTurn& turn,
                                                     const Understanding& understood,
                                                     const Route& decided, Handled& handled);
    // "…一趟八百到现在都没给钱 你说这个怎么弄啊 还有就是我想入个会": the other question beside a
    // join request, answered short before the form starts; "024707 对了入会要交会费吗" (a
    // question beside a step's answer, understood's slot "beside"), before the form goes on.
    // What is not answered waits for after the form (kQuestionAfterJoin, before it starts;
    // kQuestionAfterStep, inside it).
    boost::asio::awaitable<std::vector<std::string>> answer_aside(const Message& message,
                                                                  const ChatTurn& turn,
                                                                  std::string question,
                                                                  bool before_form);
    static bool says_how_to_join(const Handled& handled);
    boost::asio::awaitable<std::optional<faq::PlaceStations>> stations_near_place_or_district(
        const std::string& text);
    std::string reply_text(Do action, ConversationState& state, const Understanding& understood,
                           bool mid_flow, bool in_group) const;
    static void keep_with_ticket(std::optional<std::string> noted, const std::string& outcome,
                                 const std::string& text, SessionState& session, Handled& handled);
    // What he sent, added to the private chat's open ticket: what he is told, or nullopt when the
    // ticket is gone or closed (then forgotten).
    boost::asio::awaitable<std::optional<std::string>> note_for_ticket(const Message& message,
                                                                       const TurnInput& input,
                                                                       ConversationState& state,
                                                                       bool may_reopen);
    // Fills SessionState::open_ticket from ChatServices::latest_ticket when the session lost it
    // (it expires after half an hour idle; a desk answers hours later).
    boost::asio::awaitable<void> recall_ticket(const Message& message, ConversationState& state);
    boost::asio::awaitable<std::optional<std::string>> withdraw_ticket(const Message& message,
                                                                       ConversationState& state,
                                                                       const ChatTurn& turn);
    // At the start of a private session (none of his messages kept) with no ticket known: his
    // latest ticket when it still waits (opened in a group, or before the session expired),
    // remembered, and one line that says so; nullopt otherwise.
    boost::asio::awaitable<std::optional<std::string>> waiting_ticket_line(
        const Message& message, ConversationState& state);
    // The status of the private chat's open ticket while it waits for the desk, else nullopt;
    // recalls the ticket first (recall_ticket).
    boost::asio::awaitable<std::optional<std::string>> ticket_still_waiting(
        const Message& message, ConversationState& state);
    // "@卡友小助手 找律师 <story>" again in a group while his ticket waits: the story added to it
    // (what he is told), not a second ticket; nullopt when none waits.
    boost::asio::awaitable<std::optional<std::string>> note_to_group_ticket(const Message& message);
    boost::asio::awaitable<std::vector<std::string>> answer_person(const Message& message,
                                                                   const TurnInput& input,
                                                                   ConversationState& state,
                                                                   const ChatTurn& turn,
                                                                   const Route& decided);
    boost::asio::awaitable<std::vector<std::string>> answer_pick(const Message& message,
                                                                 ConversationState& state,
                                                                 const ChatTurn& turn,
                                                                 const Understanding& understood,
                                                                 int choices);
    boost::asio::awaitable<std::string> application_status(const Message& message);
    // Opens a ticket for a person; its number goes to *opened_ticket when given.
    boost::asio::awaitable<std::vector<std::string>> hand_off(const Message& message,
                                                              const ConversationState& state,
                                                              std::string desk,
                                                              std::string* opened_ticket = nullptr);
    std::string menu_text(ConversationState& state) const;
    // The validator of the join step waiting for an answer ("sms_code", "confirm" for those
    // steps), "" when no flow runs.
    std::string step_kind(const ConversationState& state) const;
    Understanding understand(const Message& message, const TurnInput& input,
                             const ConversationState& state, int offered) const;
    boost::asio::awaitable<std::vector<std::string>> grievance(const Message& message,
                                                               std::string category,
                                                               std::string question);
    boost::asio::awaitable<std::string> benefits_text(const Message& message,
                                                      const TurnInput& input,
                                                      const Understanding& understood,
                                                      ConversationState& state);

    RouterServices services_;
    JoinEngine engine_;
};

}  // namespace kayou::dialogs
