#include "bot/admin/tickets_api.hpp"

#include <nlohmann/json.hpp>

#include "bot/admin/json_response.hpp"

#include "faq/tickets.hpp"
#include "net/query.hpp"

namespace kayou::bot::admin {
namespace asio = boost::asio;
using nlohmann::json;

namespace {

constexpr std::string_view kItemPrefix = "/admin/api/tickets/";

json ticket_json(const faq::Ticket& t) {
    json notes = json::array();
    for (const auto& note : t.notes) {
        json item{{"at", note.at}, {"text", note.text}};
        if (note.earlier_answer) item["answered_by"] = note.answered_by;
        notes.push_back(std::move(item));
    }
    return {
        {"number", t.number},       {"category", t.category},     {"subcategory", t.subcategory},
        {"question", t.question},   {"channel", t.channel},       {"phone", t.phone_masked},
        {"state", t.state},         {"created_at", t.created_at}, {"answered_at", t.answered_at},
        {"closed_at", t.closed_at}, {"answer", t.answer},         {"answered_by", t.answered_by},
        {"recent", t.recent},       {"notes", std::move(notes)}};
}

// {"error": English for programs, "message": Chinese for the console}, as the review API does.
net::HttpResponse desk_error(int status, std::string_view error, std::string_view message) {
    return json_response(status, {{"error", error}, {"message", message}});
}

bool valid_phone(const std::string& phone) {
    return phone.size() == 11 && phone[0] == '1' &&
           phone.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

bool may_work_ticket(const Principal& who, std::string_view category,
                     std::string_view subcategory) {
    switch (who.role) {
        case Role::city_admin:
            return true;
        case Role::legal_desk:
            return category == "legal" || category == "grievance";
        case Role::staff:
            return category == "staff" &&
                   (subcategory.empty() || who.may_act_on_district(subcategory));
        default:
            return false;
    }
}

bool may_read_stats(const Principal& who, std::string_view category_key) {
    const auto colon = category_key.find(':');
    const std::string_view category = category_key.substr(0, colon);
    std::string_view sub;
    if (colon != std::string_view::npos) sub = category_key.substr(colon + 1);
    return may_work_ticket(who, category, sub);
}

TicketsApi::TicketsApi(const Authenticator& auth, AuditLog& audit, faq::TicketDesk& desk)
    : auth_(auth), audit_(audit), desk_(desk) {}

void TicketsApi::install(net::HttpServer& server) {
    server.route("/admin/api/tickets", [this](net::HttpRequest& r) { return collection(r); });
    server.route_prefix(std::string(kItemPrefix), [this](net::HttpRequest& r) { return item(r); });
}

asio::awaitable<net::HttpResponse> TicketsApi::collection(net::HttpRequest& request) {
    auto authorized = auth_.authorize(request, {Role::legal_desk, Role::staff, Role::city_admin});
    if (auto* denied = std::get_if<net::HttpResponse>(&authorized)) co_return std::move(*denied);
    const Principal& who = std::get<Principal>(authorized);
    if (request.method == "GET") {
        auto target = net::parse_target(request.target);
        if (!target) co_return net::HttpResponse::error(400, "bad query");
        std::string state(target->get("state"));
        if (state.empty()) state = "open";
        if (state != "open" && state != "answered" && state != "closed" && state != "all")
            co_return net::HttpResponse::error(400, "state must be open, answered, closed or all");
        json list = json::array();
        // A named variable, not a range-for over a co_await (docs/coroutines.md).
        if (state == "all") state.clear();
        const auto tickets = co_await desk_.list(state, 200);
        std::string shown;  // the numbers whose words this view decrypts, for the audit log
        for (const auto& t : tickets) {
            if (!may_work_ticket(who, t.category, t.subcategory)) continue;
            list.push_back(ticket_json(t));
            if (!shown.empty()) shown += ',';
            shown += t.number;
        }
        // The list carries the drivers' questions and recent turns: audited before it is served.
        if (!shown.empty() && !co_await audit_.record(who, "ticket.list", shown))
            co_return desk_error(503, "audit log unavailable", "审计日志暂不可用，请稍后再试");
        co_return json_response(200, {{"tickets", list}});
    }
    if (request.method == "POST") {
        const auto body = json::parse(request.body, nullptr, false);
        if (body.is_discarded() || !body.is_object())
            co_return net::HttpResponse::error(400, "body must be a JSON object");
        faq::NewTicket ticket;
        ticket.category = body.value("category", "legal");
        ticket.subcategory = body.value("subcategory", "");
        ticket.question = body.value("question", "");
        ticket.phone = body.value("phone", "");
        ticket.channel = "desk";
        if (!faq::valid_ticket_category(ticket.category, ticket.subcategory))
            co_return net::HttpResponse::error(
                400,
                "category must be legal, staff with a district id, or grievance with "
                "subcategory fines, enforcement or services");
        if (!may_work_ticket(who, ticket.category, ticket.subcategory))
            co_return desk_error(403, "not your desk", "这类工单不归您处理");
        if (ticket.question.empty())
            co_return net::HttpResponse::error(400, "question is required");
        if (!ticket.phone.empty() && !valid_phone(ticket.phone))
            co_return net::HttpResponse::error(400, "phone must be an 11-digit mainland mobile");
        const auto number = co_await desk_.open(std::move(ticket));
        co_await audit_.record(who, "ticket.open", number);
        co_return json_response(201, {{"number", number}});
    }
    co_return net::HttpResponse::error(405, "method not allowed");
}

asio::awaitable<net::HttpResponse> TicketsApi::item(net::HttpRequest& request) {
    auto authorized = auth_.authorize(request, {Role::legal_desk, Role::staff, Role::city_admin});
    if (auto* denied = std::get_if<net::HttpResponse>(&authorized)) co_return std::move(*denied);
    const Principal& who = std::get<Principal>(authorized);
    std::string_view rest = std::string_view(request.path).substr(kItemPrefix.size());
    const auto slash = rest.find('/');
    const std::string number(rest.substr(0, slash));
    const std::string_view action =
        slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);

    if (number == "stats" && action.empty() && request.method == "GET") {
        json out = json::object();
        const auto stats = co_await desk_.stats();  // named: see list above
        for (const auto& [category, s] : stats) {
            if (!may_read_stats(who, category)) continue;
            out[category] = {{"opened", s.opened},
                             {"answered", s.answered},
                             {"closed", s.closed},
                             {"median_seconds_to_answer", s.median_seconds_to_answer}};
        }
        co_return json_response(200, {{"categories", out}});
    }
    if (faq::find_ticket_number(number) != number)
        co_return net::HttpResponse::error(404, "no such ticket");
    // Every action on one ticket first checks that it is this desk's: another district's
    // handoff answers 403 and shows nothing of it.
    auto ticket = co_await desk_.get(number);
    if (!ticket) co_return desk_error(404, "no such ticket", "没有这个工单");
    if (!may_work_ticket(who, ticket->category, ticket->subcategory))
        co_return desk_error(403, "not your desk", "这个工单不归您处理，无权查看或答复");
    if (action.empty() && request.method == "GET") {
        if (!co_await audit_.record(who, "ticket.view", number))
            co_return desk_error(503, "audit log unavailable", "审计日志暂不可用，请稍后再试");
        co_return json_response(200, ticket_json(*ticket));
    }
    if (action == "answer" && request.method == "POST") {
        const auto body = json::parse(request.body, nullptr, false);
        std::string text;  // if, not ?: (docs/coroutines.md)
        if (body.is_object() && body.contains("text") && body["text"].is_string())
            text = body["text"].get<std::string>();
        if (text.empty())
            co_return desk_error(400, "body must be {\"text\": ...}", "请先写答复内容");
        const auto outcome = co_await desk_.answer(number, text, who.name);
        if (outcome.result == faq::AnswerOutcome::Result::not_found)
            co_return net::HttpResponse::error(404, "no such ticket");
        if (outcome.result == faq::AnswerOutcome::Result::closed)
            co_return desk_error(409, "ticket is closed", "工单已办结，不能再答复");
        co_await audit_.record(who, "ticket.answer", number);
        co_return json_response(200, {{"number", number},
                                      {"state", "answered"},
                                      {"first_answer", outcome.first_answer},
                                      {"chat_queued", outcome.chat_queued},
                                      {"sms_queued", outcome.sms_queued}});
    }
    if (action == "close" && request.method == "POST") {
        if (!co_await desk_.close(number, who.name))
            co_return net::HttpResponse::error(404, "no such ticket");
        co_await audit_.record(who, "ticket.close", number);
        co_return json_response(200, {{"number", number}, {"state", "closed"}});
    }
    co_return net::HttpResponse::error(404, "not found");
}

}  // namespace kayou::bot::admin
