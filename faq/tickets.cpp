#include "faq/tickets.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

#include "notify/sms_outbox.hpp"
#include "redis/client.hpp"
#include "text/beijing_time.hpp"
#include "text/masks.hpp"
#include "text/number.hpp"
#include "text/personal_numbers.hpp"

namespace kayou::faq {
namespace asio = boost::asio;
namespace {

constexpr std::int64_t kPendingTtlSeconds = 30 * 86400;
// How long a driver's chat can find his latest ticket after its session expired.
constexpr std::int64_t kLatestTicketSeconds = 30 * 86400;

// KEYS: ticket, queue, stats, ttr, pending, notes. ARGV: now, answer, by, number, category key,
// pending text, pending ttl, kept notes. Returns {result, first}: result 1 answered, 0 no ticket,
// -1 closed. An earlier answer is kept in the ticket's notes, with who gave it and when (a second
// answer overwrote the first: the desk lost what it had told the driver).
constexpr const char* kAnswerLua = R"lua(
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {0, 0} end
if state == 'closed' then return {-1, 0} end
local earlier = redis.call('HMGET', KEYS[1], 'answer', 'answered_by', 'answered_at')
if earlier[1] then
  redis.call('RPUSH', KEYS[6], cjson.encode({at = tonumber(earlier[3]) or 0,
                                             by = earlier[2] or '', answer = earlier[1]}))
  redis.call('LTRIM', KEYS[6], -tonumber(ARGV[8]), -1)
end
local first = 0
-- A ticket the driver replied to is open again: only its first answer counts and sends an SMS.
if state == 'open' and not redis.call('HGET', KEYS[1], 'answered_at') then
  first = 1
  local created = tonumber(redis.call('HGET', KEYS[1], 'created_at')) or tonumber(ARGV[1])
  redis.call('HINCRBY', KEYS[3], ARGV[5] .. ':answered', 1)
  redis.call('ZADD', KEYS[4], math.max(0, tonumber(ARGV[1]) - created), ARGV[4])
end
redis.call('HSET', KEYS[1], 'state', 'answered', 'answer', ARGV[2], 'answered_by', ARGV[3],
           'answered_at', ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[4])
if KEYS[5] ~= '' and ARGV[6] ~= '' then
  redis.call('RPUSH', KEYS[5], ARGV[6])
  redis.call('EXPIRE', KEYS[5], ARGV[7])
end
return {1, first}
)lua";

// KEYS: ticket, queue, stats. ARGV: now, by, number, category key. 1 closed, 0 no ticket.
constexpr const char* kCloseLua = R"lua(
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 0 end
if state == 'closed' then return 1 end
redis.call('HSET', KEYS[1], 'state', 'closed', 'closed_at', ARGV[1], 'closed_by', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('HINCRBY', KEYS[3], ARGV[4] .. ':closed', 1)
return 1
)lua";

// KEYS: ticket, queue, notes. ARGV: now, note, number, kept notes, how many seconds after its
// answer a note still reopens it ("-1": any). Returns 1 added, 2 added and back in the queue,
// 0 no ticket, -1 closed, 3 answered and left.
constexpr const char* kNoteLua = R"lua(
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 0 end
if state == 'closed' then return -1 end
if state == 'answered' and tonumber(ARGV[5]) >= 0 then
  local answered = tonumber(redis.call('HGET', KEYS[1], 'answered_at')) or 0
  if tonumber(ARGV[1]) - answered > tonumber(ARGV[5]) then return 3 end
end
redis.call('RPUSH', KEYS[3], ARGV[2])
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[4]), -1)
redis.call('HSET', KEYS[1], 'noted_at', ARGV[1])
if state == 'answered' then
  redis.call('HSET', KEYS[1], 'state', 'open')
  redis.call('ZADD', KEYS[2], redis.call('HGET', KEYS[1], 'created_at') or ARGV[1], ARGV[3])
  return 2
end
return 1
)lua";

std::vector<std::string> strings_of(const redis::Reply& list) {
    std::vector<std::string> out;
    for (const auto& item : list.elements) out.push_back(item.str);
    return out;
}

std::string note_associated_data(std::string_view number) {
    return "ticket-note:" + std::string(number);
}

std::string phone_associated_data(std::string_view number) {
    return "ticket:" + std::string(number) + ":phone";
}

void throw_if_error(const redis::Reply& reply) {
    if (reply.is_error()) throw std::runtime_error("redis: " + reply.str);
}

}  // namespace

bool valid_ticket_category(std::string_view category, std::string_view subcategory) {
    if (category == "legal") return subcategory.empty();
    if (category == "staff")
        return subcategory.size() <= 32 &&
               std::all_of(subcategory.begin(), subcategory.end(), [](char c) {
                   return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
               });
    if (category == "grievance")
        return std::find(std::begin(kGrievanceSubcategories), std::end(kGrievanceSubcategories),
                         subcategory) != std::end(kGrievanceSubcategories);
    return false;
}

std::string desk_answer_text(std::string_view number, bool legal, std::string_view answer) {
    std::string text = "您的工单" + std::string(number);
    text += legal ? "律师已答复：\n" : "工作人员已答复：\n";
    return text + std::string(answer);
}

std::string ticket_category_key(std::string_view category, std::string_view subcategory) {
    return subcategory.empty() ? std::string(category)
                               : std::string(category) + ":" + std::string(subcategory);
}

std::optional<std::string> find_ticket_number(std::string_view text) {
    for (std::size_t i = 0; i + 14 <= text.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(text[i])) != 'F' ||
            std::toupper(static_cast<unsigned char>(text[i + 1])) != 'L')
            continue;
        if (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))) continue;
        std::size_t end = i + 2;
        while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
        const std::size_t digits = end - i - 2;
        if (digits >= 12 && digits <= 16) return "FL" + std::string(text.substr(i + 2, digits));
    }
    return std::nullopt;
}

std::string china_day(std::int64_t unix_seconds) {
    return text::format_beijing(std::chrono::sys_seconds(std::chrono::seconds(unix_seconds)),
                                "%Y%m%d");
}

std::string ticket_opened_text(std::string_view number, bool grievance) {
    return std::string(grievance ? "您的诉求已登记" : "已为您转律师值班") + "，工单号" +
           std::string(number) +
           "。律师答复后会在这里告诉您（入会时验证过手机号的，也会短信通知）。查询进度请回复工单号"
           "。";
}

std::string group_ticket_opened_text(std::string_view number, bool legal) {
    std::string text = legal ? "已为您转律师值班，工单号" : "已为您转给工会工作人员，工单号";
    text += std::string(number);
    text += legal ? "。律师的答复" : "。工作人员的答复";
    return text + "只发给您本人：稍后私聊我（发任意一句话）就能看到。群里别发身份证号和电话。";
}

namespace {

// "工作时间内" said with the hours ("你们几点上班 晚上有人不" had no answer; people helper,
// session 28): when the desk works, and that a message sent outside them waits until then.
std::string answered_within_hours(std::string_view office_hours) {
    if (office_hours.empty()) return "工作时间内会尽快在这里回复您";
    return "工作日" + std::string(office_hours) +
           "会尽快在这里回复您，晚上和节假日发来的，上班后回复";
}

}  // namespace

std::string handoff_opened_text(std::string_view number, bool legal, bool in_group,
                                std::string_view office_hours) {
    if (in_group) return group_ticket_opened_text(number, legal);
    if (legal) return ticket_opened_text(number);
    return "已为您转给工会工作人员，工单号" + std::string(number) + "。" +
           answered_within_hours(office_hours) +
           "（入会时验证过手机号的，也会短信通知）。"
           "查询进度请回复工单号。要办什么事、遇到什么问题，直接发在这里，会补充到这个工单。";
}

std::string ticket_waiting_text(const Ticket& ticket, std::string_view office_hours) {
    return "您的问题已经登记为工单" + ticket.number + "，正在等" +
           (ticket.category == "legal" ? "律师" : "工作人员") + "答复，不用再转一次。" +
           answered_within_hours(office_hours) +
           "（入会时验证过手机号的，也会短信通知）；"
           "想补充情况直接发在这里，发送工单号可随时查询进度。急事请拨打职工服务热线12351。";
}

std::string ticket_status_text(const Ticket& ticket, bool owner) {
    std::string text = "工单" + ticket.number + "：";
    // A staff or grievance ticket is not a lawyer's (the join help, a complaint).
    const std::string desk = ticket.category == "legal" ? "律师" : "工作人员";
    if (ticket.state == "open") return text + "已登记，正在等待" + desk + "答复。";
    // Withdrawn by the driver ("算了不用了"): "已办结" read as if the lawyer had dealt with it.
    if (ticket.state == "closed" && ticket.closed_by == kClosedByDriver)
        return text + "已由您撤销，" + desk + "不再处理。需要的话回复“找律师”可以重新转。";
    if (ticket.state == "closed" && ticket.answer.empty()) return text + "已办结。";
    text += ticket.state == "closed" ? "已办结。" : desk + "已答复。";
    if (owner && !ticket.answer.empty()) text += "\n答复：" + ticket.answer;
    return text;
}

std::string ticket_status_reply(const std::optional<Ticket>& ticket, std::string_view number,
                                std::string_view channel, std::string_view sender_id,
                                bool in_group) {
    const bool owner = ticket && !sender_id.empty() && ticket->sender_id == sender_id &&
                       ticket->channel == channel;
    // Numbers are sequential, so a stranger with one hears what he would of a number never issued
    // (as an application number does): not even whether it exists or waits.
    if (!owner)
        return "没有找到您的工单" + std::string(number) +
               "。工单只能由提问的本人、在提问的那个聊天里查询，请核对工单号。";
    // In a group the others read along: the owner gets the state there, the answer in private.
    std::string text = ticket_status_text(*ticket, !in_group);
    if (in_group && !ticket->answer.empty()) text += "请私聊我发送工单号查看答复。";
    return text;
}

TicketDesk::TicketDesk(std::shared_ptr<redis::Client> redis, std::string key_prefix,
                       std::optional<crypto::SealedBox> box, notify::SmsOutbox* outbox,
                       std::function<std::int64_t()> clock)
    : redis_(std::move(redis)),
      prefix_(std::move(key_prefix)),
      box_(std::move(box)),
      outbox_(outbox),
      clock_(std::move(clock)),
      answer_script_(kAnswerLua),
      close_script_(kCloseLua),
      note_script_(kNoteLua) {}

std::string TicketDesk::key(std::string_view suffix) const {
    return prefix_ + "{tickets}:" + std::string(suffix);
}

asio::awaitable<std::string> TicketDesk::open(NewTicket ticket) {
    if (!valid_ticket_category(ticket.category, ticket.subcategory))
        throw std::invalid_argument("unknown ticket category");
    if (ticket.question.empty()) throw std::invalid_argument("empty question");
    // Whoever opens it, a ticket keeps no ID number the driver typed (the desk never needs one).
    ticket.question = text::mask_id_numbers(ticket.question);
    for (auto& said : ticket.recent) said = text::mask_id_numbers(said);
    const std::int64_t now = clock_();
    const std::string day = china_day(now);
    const std::string seq_key = key("seq:" + day);
    std::vector<std::vector<std::string>> allocate{{"INCR", seq_key},
                                                   {"EXPIRE", seq_key, "259200"}};
    auto allocated = co_await redis_->pipeline(std::move(allocate));
    throw_if_error(allocated.at(0));
    char digits[24];
    std::snprintf(digits, sizeof digits, "%04lld", allocated[0].integer);
    const std::string number = "FL" + day + digits;

    std::string sealed_phone;
    if (box_ && !ticket.phone.empty())
        sealed_phone = box_->seal(ticket.phone, phone_associated_data(number));
    // What the driver typed is personal data: sealed at rest like his phone.
    std::string clear_question = ticket.question;
    std::string sealed_question;
    if (box_) {
        const nlohmann::json words{{"q", ticket.question}, {"recent", ticket.recent}};
        sealed_question =
            box_->seal(words.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                       "ticket-question:" + number);
        clear_question.clear();
    }
    const std::string category_key = ticket_category_key(ticket.category, ticket.subcategory);
    const std::string created = std::to_string(now);
    std::vector<std::vector<std::string>> write;
    write.push_back({"MULTI"});
    write.push_back({"HSET",         key("t:" + number), "number",
                     number,         "category",         ticket.category,
                     "subcategory",  ticket.subcategory, "question",
                     clear_question, "sealed_question",  sealed_question,
                     "channel",      ticket.channel,     "chat_id",
                     ticket.chat_id, "sender_id",        ticket.sender_id,
                     "phone",        sealed_phone,       "state",
                     "open",         "created_at",       created});
    write.push_back({"ZADD", key("all"), created, number});
    write.push_back({"ZADD", key("queue"), created, number});
    if (!ticket.sender_id.empty())
        write.push_back({"SET", key("by:" + ticket.channel + ":" + ticket.sender_id), number, "EX",
                         std::to_string(kLatestTicketSeconds)});
    write.push_back({"HINCRBY", key("stats"), category_key + ":opened", "1"});
    write.push_back({"EXEC"});
    auto replies = co_await redis_->pipeline(std::move(write));
    if (!replies.back().is_array()) throw std::runtime_error("redis: ticket write failed");
    for (const auto& reply : replies.back().elements) throw_if_error(reply);
    co_return number;
}

Ticket TicketDesk::to_ticket(const std::vector<std::string>& flat) const {
    Ticket t;
    std::string sealed_phone;
    std::string sealed_question;
    for (std::size_t i = 0; i + 1 < flat.size(); i += 2) {
        const auto& name = flat[i];
        const auto& value = flat[i + 1];
        if (name == "number")
            t.number = value;
        else if (name == "category")
            t.category = value;
        else if (name == "subcategory")
            t.subcategory = value;
        else if (name == "question")
            t.question = value;
        else if (name == "sealed_question")
            sealed_question = value;
        else if (name == "channel")
            t.channel = value;
        else if (name == "chat_id")
            t.chat_id = value;
        else if (name == "sender_id")
            t.sender_id = value;
        else if (name == "phone")
            sealed_phone = value;
        else if (name == "state")
            t.state = value;
        else if (name == "created_at")
            t.created_at = text::to_int64(value);
        else if (name == "answered_at")
            t.answered_at = text::to_int64(value);
        else if (name == "closed_at")
            t.closed_at = text::to_int64(value);
        else if (name == "answer")
            t.answer = value;
        else if (name == "answered_by")
            t.answered_by = value;
        else if (name == "closed_by")
            t.closed_by = value;
    }
    if (!sealed_question.empty() && box_) {
        if (auto opened = box_->open(sealed_question, "ticket-question:" + t.number)) {
            const auto words = nlohmann::json::parse(*opened, nullptr, false);
            if (words.is_object()) {
                t.question = words.value("q", std::string());
                t.recent = words.value("recent", std::vector<std::string>());
            }
        }
    }
    if (!sealed_phone.empty() && box_)
        if (auto phone = box_->open(sealed_phone, phone_associated_data(t.number)))
            t.phone_masked = text::mask_mobile(*phone);
    return t;
}

std::vector<TicketNote> TicketDesk::to_notes(const std::string& number,
                                             const std::vector<std::string>& stored_notes) const {
    std::vector<TicketNote> notes;
    for (const auto& item : stored_notes) {
        const auto stored = nlohmann::json::parse(item, nullptr, false);
        if (!stored.is_object()) continue;
        TicketNote note;
        note.at = stored.value("at", std::int64_t{0});
        if (stored.contains("answer")) {
            // An earlier answer of the desk's (kAnswerLua), stored as the ticket's answer was.
            note.text = stored.value("answer", std::string());
            note.answered_by = stored.value("by", std::string());
            note.earlier_answer = true;
        } else {
            note.text = stored.value("text", std::string());
            const std::string sealed = stored.value("sealed", std::string());
            if (!sealed.empty() && box_)
                note.text = box_->open(sealed, note_associated_data(number)).value_or("");
        }
        notes.push_back(std::move(note));
    }
    // An earlier answer is kept when the next one comes, after what the driver said in between:
    // in the order they were said.
    std::stable_sort(notes.begin(), notes.end(),
                     [](const TicketNote& a, const TicketNote& b) { return a.at < b.at; });
    return notes;
}

asio::awaitable<std::optional<Ticket>> TicketDesk::get(std::string number) {
    std::vector<std::vector<std::string>> commands{{"HGETALL", key("t:" + number)},
                                                   {"LRANGE", key("notes:" + number), "0", "-1"}};
    auto replies = co_await redis_->pipeline(std::move(commands));
    for (const auto& reply : replies) throw_if_error(reply);
    if (replies.size() < 2 || replies[0].elements.empty()) co_return std::nullopt;
    Ticket ticket = to_ticket(strings_of(replies[0]));
    ticket.notes = to_notes(number, strings_of(replies[1]));
    co_return ticket;
}

asio::awaitable<NoteResult> TicketDesk::add_note(std::string number, std::string text,
                                                 bool may_reopen) {
    const std::int64_t now = clock_();
    text = text::mask_id_numbers(text);  // as the question: no ID number
    nlohmann::json note{{"at", now}};
    if (box_)
        note["sealed"] = box_->seal(text, note_associated_data(number));
    else
        note["text"] = text;
    std::string reopen_window = "-1";
    if (!may_reopen) reopen_window = std::to_string(kReplyWindowSeconds);
    std::vector<std::string> keys{key("t:" + number), key("queue"), key("notes:" + number)};
    std::vector<std::string> args{
        std::to_string(now), note.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
        number, std::to_string(kMaxTicketNotes), reopen_window};
    auto reply = co_await redis_->eval(note_script_, std::move(keys), std::move(args));
    throw_if_error(reply);
    switch (reply.integer) {
        case 1:
            co_return NoteResult::added;
        case 2:
            co_return NoteResult::reopened;
        case -1:
            co_return NoteResult::closed;
        case 3:
            co_return NoteResult::answered;
        default:
            co_return NoteResult::not_found;
    }
}

asio::awaitable<std::optional<std::string>> TicketDesk::status_for(std::string text,
                                                                   std::string channel,
                                                                   std::string sender_id,
                                                                   bool in_group) {
    std::optional<std::string> reply;
    const auto number = find_ticket_number(text);
    if (!number) co_return reply;
    auto ticket = co_await get(*number);
    reply = ticket_status_reply(ticket, *number, channel, sender_id, in_group);
    co_return reply;
}

asio::awaitable<std::vector<Ticket>> TicketDesk::list(std::string state, std::size_t limit) {
    const std::string stop = std::to_string(static_cast<long long>(limit) - 1);
    // if/else rather than ?: (docs/coroutines.md).
    std::vector<std::string> range{"ZRANGE", key("all"), "0", stop, "REV"};
    if (state == "open") range = {"ZRANGE", key("queue"), "0", stop};
    auto numbers = co_await redis_->exec(std::move(range));
    throw_if_error(numbers);
    std::vector<std::vector<std::string>> gets;
    for (const auto& number : numbers.elements) {
        gets.push_back({"HGETALL", key("t:" + number.str)});
        gets.push_back({"LRANGE", key("notes:" + number.str), "0", "-1"});
    }
    std::vector<Ticket> out;
    if (gets.empty()) co_return out;
    auto replies = co_await redis_->pipeline(std::move(gets));
    for (std::size_t i = 0; i + 1 < replies.size(); i += 2) {
        if (replies[i].elements.empty()) continue;
        auto ticket = to_ticket(strings_of(replies[i]));
        ticket.notes = to_notes(ticket.number, strings_of(replies[i + 1]));
        if (!state.empty() && state != "open" && ticket.state != state) continue;
        out.push_back(std::move(ticket));
    }
    co_return out;
}

asio::awaitable<AnswerOutcome> TicketDesk::answer(std::string number, std::string text,
                                                  std::string by) {
    AnswerOutcome outcome;
    // Read first: the pending-message key depends on the ticket's channel and sender, and a
    // Lua script must be told its keys.
    std::vector<std::string> read{"HMGET", key("t:" + number), "channel",    "sender_id",
                                  "phone", "category",         "subcategory"};
    auto fields = co_await redis_->exec(std::move(read));
    throw_if_error(fields);
    if (fields.elements.size() < 5 || fields.elements[0].is_nil()) co_return outcome;
    const std::string channel = fields.elements[0].str;
    const std::string sender = fields.elements[1].str;
    const std::string sealed_phone = fields.elements[2].str;
    const std::string category_key =
        ticket_category_key(fields.elements[3].str, fields.elements[4].str);
    std::string pending_key;  // if, not ?: (docs/coroutines.md)
    if (!sender.empty()) pending_key = key("pending:" + channel + ":" + sender);
    const bool legal = fields.elements[3].str == "legal";
    const std::string pending_text = desk_answer_text(number, legal, text);

    std::vector<std::string> keys{key("t:" + number),         key("queue"), key("stats"),
                                  key("ttr:" + category_key), pending_key,  key("notes:" + number)};
    std::vector<std::string> args{std::to_string(clock_()),
                                  std::move(text),
                                  std::move(by),
                                  number,
                                  category_key,
                                  pending_text,
                                  std::to_string(kPendingTtlSeconds),
                                  std::to_string(kMaxTicketNotes)};
    auto reply = co_await redis_->eval(answer_script_, std::move(keys), std::move(args));
    throw_if_error(reply);
    const auto result = reply.elements.size() == 2 ? reply.elements[0].integer : 0;
    if (result == 0) co_return outcome;
    if (result < 0) {
        outcome.result = AnswerOutcome::Result::closed;
        co_return outcome;
    }
    outcome.result = AnswerOutcome::Result::answered;
    outcome.first_answer = reply.elements[1].integer == 1;
    outcome.chat_queued = !pending_key.empty();
    // The answer is committed first; the SMS only says "your ticket was answered" (templates
    // cannot carry free text) and the idempotency key makes a retried call send it once.
    if (outcome.first_answer && outbox_ && box_ && !sealed_phone.empty()) {
        if (auto phone = box_->open(sealed_phone, phone_associated_data(number))) {
            notify::SmsMessage sms;
            sms.phone = *phone;
            // Staff and grievance answers are not a lawyer's: their own template says so.
            sms.template_name = "desk_answer_ready";
            if (legal) sms.template_name = "legal_answer_ready";
            sms.params = {number};
            sms.idempotency_key = "ticket-answered:" + number;
            sms.kind = notify::SmsMessage::Kind::notification;
            co_await outbox_->enqueue(std::move(sms));
            outcome.sms_queued = true;
        }
    }
    co_return outcome;
}

asio::awaitable<bool> TicketDesk::close(std::string number, std::string by) {
    std::vector<std::string> read{"HMGET", key("t:" + number), "category", "subcategory"};
    auto fields = co_await redis_->exec(std::move(read));
    throw_if_error(fields);
    if (fields.elements.size() < 2 || fields.elements[0].is_nil()) co_return false;
    const std::string category_key =
        ticket_category_key(fields.elements[0].str, fields.elements[1].str);
    std::vector<std::string> keys{key("t:" + number), key("queue"), key("stats")};
    std::vector<std::string> args{std::to_string(clock_()), std::move(by), number, category_key};
    auto reply = co_await redis_->eval(close_script_, std::move(keys), std::move(args));
    throw_if_error(reply);
    co_return reply.integer == 1;
}

std::vector<std::string> TicketDesk::pending_count_query(const std::string& channel,
                                                         const std::string& sender_id) const {
    return {"LLEN", key("pending:" + channel + ":" + sender_id)};
}

asio::awaitable<std::optional<std::string>> TicketDesk::latest_for(std::string channel,
                                                                   std::string sender_id) {
    std::vector<std::string> command{"GET", key("by:" + channel + ":" + sender_id)};
    auto reply = co_await redis_->exec(std::move(command));
    throw_if_error(reply);
    std::optional<std::string> number;
    if (!reply.is_nil() && !reply.str.empty()) number = reply.str;
    co_return number;
}

asio::awaitable<std::vector<std::string>> TicketDesk::take_pending(std::string channel,
                                                                   std::string sender_id) {
    const std::string pending = key("pending:" + channel + ":" + sender_id);
    std::vector<std::string> out;
    // Nearly always there is nothing: one LLEN says so for ~1 us of Redis time (a Lua LRANGE +
    // DEL cost ~13 us per EVALSHA; MULTI/LRANGE/DEL/EXEC ~4 us and four commands). An answer
    // added after this look is handed out on the next turn.
    std::vector<std::string> look{"LLEN", pending};
    auto length = co_await redis_->exec(std::move(look));
    if (!length.is_integer() || length.integer == 0) co_return out;
    // LRANGE + DEL in one transaction: a message is handed out exactly once.
    std::vector<std::vector<std::string>> commands{
        {"MULTI"}, {"LRANGE", pending, "0", "-1"}, {"DEL", pending}, {"EXEC"}};
    auto replies = co_await redis_->pipeline(std::move(commands));
    const auto& exec = replies.back();
    if (!exec.is_array() || exec.elements.empty()) co_return out;
    for (const auto& item : exec.elements[0].elements) out.push_back(item.str);
    co_return out;
}

asio::awaitable<std::map<std::string, TicketCategoryStats>> TicketDesk::stats() {
    std::vector<std::string> all{"HGETALL", key("stats")};
    auto reply = co_await redis_->exec(std::move(all));
    throw_if_error(reply);
    std::map<std::string, TicketCategoryStats> out;
    for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
        const std::string& field = reply.elements[i].str;
        const auto colon = field.rfind(':');
        if (colon == std::string::npos) continue;
        auto& entry = out[field.substr(0, colon)];
        const auto what = field.substr(colon + 1);
        const auto value = text::to_int64(reply.elements[i + 1].str);
        if (what == "opened")
            entry.opened = value;
        else if (what == "answered")
            entry.answered = value;
        else if (what == "closed")
            entry.closed = value;
    }
    for (auto& [category, entry] : out) {
        if (entry.answered <= 0) continue;
        const std::string ttr = key("ttr:" + category);
        std::vector<std::string> count{"ZCARD", ttr};
        auto size = co_await redis_->exec(std::move(count));
        if (!size.is_integer() || size.integer == 0) continue;
        // Lower median for an even count: a whole number of seconds that some ticket took.
        const std::string middle = std::to_string((size.integer - 1) / 2);
        std::vector<std::string> pick{"ZRANGE", ttr, middle, middle, "WITHSCORES"};
        auto median = co_await redis_->exec(std::move(pick));
        if (median.elements.size() == 2)
            entry.median_seconds_to_answer = text::to_int64(median.elements[1].str);
    }
    co_return out;
}

}  // namespace kayou::faq
