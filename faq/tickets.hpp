#pragma once
// The legal-aid desk's tickets (工单): a driver's question the scripts could not answer, a request
// for a person ("人工", "找律师"), or a grievance (诉求: fines, enforcement, services). Every
// ticket gets a number the driver can ask about; the desk lists, answers and closes them; the
// answer goes back by SMS when a phone is known and, always, as a pending chat message the driver
// receives with his next message on the channel he used (chat platforms only allow replies to a
// driver's message, so a push would need a template message per platform — later).
//
// Keys (one hash tag, {tickets}: the ticket, the queue and the stats change in one MULTI/Lua):
//   <prefix>{tickets}:t:<number>        hash: number, category, subcategory, sealed_question
//                                       (the question and recent turns, AES-GCM; "question" in
//                                       clear only without a data key), channel,
//                                       chat_id, sender_id, phone (sealed), state, created_at,
//                                       answered_at, closed_at, answer, answered_by, closed_by
//   <prefix>{tickets}:all               sorted set: every ticket by created_at
//   <prefix>{tickets}:queue             sorted set: open tickets (not yet answered), oldest first
//   <prefix>{tickets}:seq:<yyyymmdd>    daily counter behind the number (expires after 3 days)
//   <prefix>{tickets}:stats             hash: "<category>:opened|answered|closed" counters
//   <prefix>{tickets}:ttr:<category>    sorted set: ticket -> seconds from opening to first answer
//   <prefix>{tickets}:pending:<channel>:<sender_id>   list of texts for the driver's next message
//   <prefix>{tickets}:by:<channel>:<sender_id>   string: his latest ticket's number (30 days), so
//                                       a chat whose session expired finds it again
//   <prefix>{tickets}:notes:<number>    list: what the driver added after opening it, JSON
//                                       {"at", "sealed"} (AES-GCM; "text" in clear only without a
//                                       data key), the last kMaxTicketNotes
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sealed_box.hpp"
#include "redis/script.hpp"

namespace kayou::redis {
class Client;
}
namespace kayou::notify {
class SmsOutbox;
}

namespace kayou::faq {

// legal, or grievance with a subcategory.
inline constexpr std::string_view kGrievanceSubcategories[] = {"fines", "enforcement", "services"};
bool valid_ticket_category(std::string_view category, std::string_view subcategory);
// "legal", "grievance:fines", ...: the stats key.
std::string ticket_category_key(std::string_view category, std::string_view subcategory);

struct NewTicket {
    std::string category = "legal";
    // grievance: fines | enforcement | services; staff (join help): the district id or "".
    std::string subcategory;
    std::string question;
    std::vector<std::string> recent;  // the driver's last messages, for whoever takes over
    std::string channel;  // dialogs::channel_name(): oa, wecom_app, wecom_bot, bridge, sms, desk
    std::string chat_id;
    std::string sender_id;  // who gets the pending chat message
    std::string phone;      // 11 digits if known; sealed at rest, never listed in full
};

// A message the driver sent after the ticket was opened ("补充"), for the desk; or an earlier
// answer of the desk's (a later answer replaced it as the ticket's answer).
struct TicketNote {
    std::int64_t at = 0;
    std::string text;
    bool earlier_answer = false;
    std::string answered_by;  // earlier_answer: who gave it
};

inline constexpr int kMaxTicketNotes = 30;
inline constexpr std::int64_t kReplyWindowSeconds = 86400;

// Who closed a ticket the driver withdrew himself.
inline constexpr std::string_view kClosedByDriver = "driver";

struct Ticket {
    std::string number;
    std::string category;
    std::string subcategory;
    std::string question;
    std::vector<std::string> recent;
    std::string channel;
    std::string chat_id;
    std::string sender_id;
    std::string phone_masked;  // "138****5678", empty when none
    std::string state;         // open | answered | closed
    std::int64_t created_at = 0;
    std::int64_t answered_at = 0;
    std::int64_t closed_at = 0;
    std::string answer;
    std::string answered_by;
    std::string closed_by;          // a desk account's name, or kClosedByDriver
    std::vector<TicketNote> notes;  // oldest first
};

// What add_note did: the ticket was open (still waiting), or answered and now back in the desk's
// queue (the driver replied to the answer); or nothing (no such ticket, or closed).
// Or nothing, because it was answered too long ago for this to be a reply (add_note).
enum class NoteResult { added, reopened, not_found, closed, answered };

struct TicketCategoryStats {
    std::int64_t opened = 0;
    std::int64_t answered = 0;
    std::int64_t closed = 0;
    std::int64_t median_seconds_to_answer = -1;  // -1: nothing answered yet
};

struct AnswerOutcome {
    enum class Result { answered, not_found, closed } result = Result::not_found;
    bool first_answer = false;  // stats and SMS only count the first answer
    bool chat_queued = false;   // a pending chat message waits for the driver
    bool sms_queued = false;    // an SMS notification is in the outbox
};

// "FL" + yyyymmdd (China time) + at least 4 digits; found anywhere in a text, case-insensitive.
std::optional<std::string> find_ticket_number(std::string_view text);
// yyyymmdd of a Unix time in China Standard Time (UTC+8, no daylight saving).
std::string china_day(std::int64_t unix_seconds);

// The driver's answer to "FL2026... 进度": the state, and the lawyer's answer only to the driver
// who opened the ticket (`owner`), since ticket numbers are guessable.
std::string ticket_status_text(const Ticket& ticket, bool owner);
// The chat answer to a message carrying a ticket number, asked by `sender_id` on `channel`:
// the owner (the ticket's own channel and sender) sees the lawyer's answer in a private chat and
// the state in a group; anyone else is told what a number never issued gets, since numbers are
// sequential. `ticket` nullopt: no such ticket.
std::string ticket_status_reply(const std::optional<Ticket>& ticket, std::string_view number,
                                std::string_view channel, std::string_view sender_id,
                                bool in_group);
// The chat message that carries a desk's answer to the driver: a lawyer's (legal) or a staff
// member's (join help, grievances).
std::string desk_answer_text(std::string_view number, bool legal, std::string_view answer);
// What the driver is told when a ticket is opened.
std::string ticket_opened_text(std::string_view number, bool grievance = false);
// The same, said in a group: the answer goes to him alone, in the private chat (the group hears
// nothing of it), and no personal numbers belong in the group.
std::string group_ticket_opened_text(std::string_view number, bool legal = true);
// What the driver is told when he is handed to a person: the legal desk or his district's staff;
// in a group, that the answer goes to him alone (a "4" picked in a group was told "在这里").
// `office_hours` ("08:30-17:30", members.office_hours) is said where the staff answer; empty says
// "工作时间内".
std::string handoff_opened_text(std::string_view number, bool legal, bool in_group = false,
                                std::string_view office_hours = {});
// What he is told when he asks for a person again while `ticket` still waits for the desk.
std::string ticket_waiting_text(const Ticket& ticket, std::string_view office_hours = {});

class TicketDesk {
public:
    // box: for the phone at rest; without it no phone is stored (and no SMS can be sent).
    // outbox: may be null (no SMS sender configured): answers then go by chat only.
    TicketDesk(std::shared_ptr<redis::Client> redis, std::string key_prefix,
               std::optional<crypto::SealedBox> box, notify::SmsOutbox* outbox,
               std::function<std::int64_t()> clock);

    // Returns the new ticket's number. Throws std::invalid_argument for a bad category or an
    // empty question, redis::Error when Redis fails.
    boost::asio::awaitable<std::string> open(NewTicket ticket);
    boost::asio::awaitable<std::optional<Ticket>> get(std::string number);
    // The status answer when `text` names a ticket number (find_ticket_number), else nullopt.
    boost::asio::awaitable<std::optional<std::string>> status_for(std::string text,
                                                                  std::string channel,
                                                                  std::string sender_id,
                                                                  bool in_group);
    // state "open" (the desk's queue, oldest first) or "" (all, newest first).
    boost::asio::awaitable<std::vector<Ticket>> list(std::string state, std::size_t limit = 100);
    // Stores the answer and delivers it (pending chat message; SMS on the first answer when a
    // phone is known and an outbox is configured).
    boost::asio::awaitable<AnswerOutcome> answer(std::string number, std::string text,
                                                 std::string by);
    // Adds what the driver sent after opening the ticket (sealed like the question); an answered
    // ticket goes back to the queue, since the driver replied. A phone number typed in it stays
    // in the note for the desk to call; it never becomes the ticket's SMS number (a typed number
    // may be anybody's).
    // With `may_reopen` false an answered ticket takes the note only within kReplyWindowSeconds
    // of its answer, else it is left as it is (NoteResult::answered): a question the scripts
    // answered days later is no reply to the desk.
    boost::asio::awaitable<NoteResult> add_note(std::string number, std::string text,
                                                bool may_reopen = true);
    // False when there is no such ticket. Closing twice is fine.
    boost::asio::awaitable<bool> close(std::string number, std::string by);
    // The number of the latest ticket this driver opened on this channel (kept 30 days), or
    // nullopt.
    boost::asio::awaitable<std::optional<std::string>> latest_for(std::string channel,
                                                                  std::string sender_id);
    // The messages waiting for this driver on this channel, oldest first; removes them.
    boost::asio::awaitable<std::vector<std::string>> take_pending(std::string channel,
                                                                  std::string sender_id);
    // The command that counts those messages (LLEN), for a caller to pipeline with its own.
    std::vector<std::string> pending_count_query(const std::string& channel,
                                                 const std::string& sender_id) const;
    boost::asio::awaitable<std::map<std::string, TicketCategoryStats>> stats();

    std::string key(std::string_view suffix) const;

private:
    Ticket to_ticket(const std::vector<std::string>& flat) const;
    std::vector<TicketNote> to_notes(const std::string& number,
                                     const std::vector<std::string>& stored) const;

    std::shared_ptr<redis::Client> redis_;
    std::string prefix_;
    std::optional<crypto::SealedBox> box_;
    notify::SmsOutbox* outbox_;
    std::function<std::int64_t()> clock_;
    redis::Script answer_script_;
    redis::Script close_script_;
    redis::Script note_script_;
};

}  // namespace kayou::faq
