#include "bot/admin/missed_api.hpp"

#include <algorithm>
#include <charconv>
#include <variant>

#include "bot/admin/entry_json.hpp"
#include "bot/admin/json_response.hpp"
#include "faq/content.hpp"
#include "faq/missed.hpp"
#include "faq/script_edit.hpp"
#include "faq/store.hpp"
#include "net/query.hpp"

namespace kayou::bot::admin {
namespace {

namespace asio = boost::asio;
using json = nlohmann::json;

constexpr std::string_view kPrefix = "/admin/api/missed";

json question_json(const faq::MissedQuestion& question) {
    return {
        {"id", question.id},       {"text", question.text},         {"outcome", question.outcome},
        {"count", question.count}, {"first_at", question.first_at}, {"last_at", question.last_at}};
}

std::size_t limit_from(const net::HttpRequest& request) {
    std::size_t limit = 200;
    if (auto target = net::parse_target(request.target)) {
        const auto text = target->get("limit");
        std::from_chars(text.data(), text.data() + text.size(), limit);
    }
    return std::clamp<std::size_t>(limit, 1, 2000);
}

}  // namespace

MissedApi::MissedApi(const Authenticator& auth, AuditLog& audit, faq::MissedInbox& inbox,
                     faq::ContentStore& store, std::function<std::int64_t()> clock)
    : auth_(auth), audit_(audit), inbox_(inbox), store_(store), clock_(std::move(clock)) {}

void MissedApi::install(net::HttpServer& server) {
    server.route_prefix(std::string(kPrefix), [this](net::HttpRequest& r) { return handle(r); });
}

asio::awaitable<net::HttpResponse> MissedApi::handle(net::HttpRequest& request) {
    std::variant<Principal, net::HttpResponse> authorized =
        auth_.authorize(request, {Role::faq_editor, Role::city_admin});
    if (auto* denied = std::get_if<net::HttpResponse>(&authorized)) co_return std::move(*denied);
    const Principal who = std::get<Principal>(authorized);
    std::string_view rest = std::string_view(request.path).substr(kPrefix.size());
    if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
    const auto parts = split_path(rest);

    if (parts.empty() && request.method == "GET") {
        const auto groups = co_await inbox_.groups(limit_from(request));
        json list = json::array();
        for (const auto& group : groups) {
            json members = json::array();
            for (const auto& member : group.members) members.push_back(question_json(member));
            list.push_back({{"id", group.lead.id},
                            {"text", group.lead.text},
                            {"count", group.count},
                            {"outcome", group.lead.outcome},
                            {"last_at", group.lead.last_at},
                            {"members", members}});
        }
        co_return json_response(200, {{"groups", list}});
    }
    if (parts.size() == 2 && request.method == "POST") {
        const std::string id(parts[0]);
        if (parts[1] == "dismiss") {
            if (!co_await inbox_.dismiss(id))
                co_return net::HttpResponse::error(404, "no such question");
            co_await audit_.record(who, "missed.dismiss", id);
            co_return json_response(200, {{"dismissed", id}});
        }
        if (parts[1] == "promote") co_return co_await promote(id, request, who);
    }
    co_return net::HttpResponse::error(404, "not found");
}

asio::awaitable<net::HttpResponse> MissedApi::promote(std::string id,
                                                      const net::HttpRequest& request,
                                                      const Principal& who) {
    const auto body = json::parse(request.body, nullptr, false);
    if (!body.is_object()) co_return net::HttpResponse::error(400, "body must be a JSON object");
    const auto missed = co_await inbox_.get(id);
    if (!missed) co_return net::HttpResponse::error(404, "no such question");
    const std::string question = body.value("question", missed->text);
    if (question.empty()) co_return net::HttpResponse::error(400, "question is empty");

    // The edit builds on "base" (the console's working version: the editor's unpublished changes
    // stay) or on the published version.
    int base = body.value("base", 0);
    if (base <= 0) base = co_await store_.published(faq::ContentKind::faq);
    const auto current = co_await store_.text(faq::ContentKind::faq, base);
    if (!current) co_return net::HttpResponse::error(409, "no published FAQ to edit");
    if (!body.contains("entry") && !(body.contains("new") && body["new"].is_object()))
        co_return net::HttpResponse::error(400,
                                           "give \"entry\" (an entry id) or \"new\" (an entry)");
    faq::EntryEdit edit;
    std::string edit_error;
    try {
        if (body.contains("entry")) {
            edit.text = faq::add_question_variant(*current, body.value("entry", ""), question);
        } else {
            faq::Entry entry = entry_from_json(body["new"]);
            if (entry.questions.empty()) entry.questions.push_back(question);
            edit = faq::put_entry(*current, "", entry);
        }
    } catch (const faq::ScriptEditError& error) {
        edit_error = error.what();
    }
    if (!edit_error.empty()) {
        json errors = json::array();
        errors.push_back({{"line", 0}, {"message", edit_error}});
        co_return json_response(422, {{"errors", errors}});
    }
    std::string edited = std::move(edit.text);
    auto uploaded = co_await store_.upload(faq::ContentKind::faq, edited, who.name, clock_());
    if (!uploaded.problems.empty())
        co_return json_response(422, {{"errors", problems_json(uploaded.problems, edit)}});
    co_await audit_.record(who, "content.upload", "faq:" + std::to_string(uploaded.version));
    bool live = false;
    if (body.value("publish", false)) {
        live = co_await store_.publish(faq::ContentKind::faq, uploaded.version, who.name, clock_());
        if (live)
            co_await audit_.record(who, "content.publish",
                                   "faq:" + std::to_string(uploaded.version));
    }
    co_await inbox_.dismiss(id);
    co_await audit_.record(who, "missed.promote", id);
    co_return json_response(200, {{"version", uploaded.version}, {"published", live}});
}

}  // namespace kayou::bot::admin
