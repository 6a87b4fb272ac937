#include "bot/admin/review_api.hpp"

#include <nlohmann/json.hpp>

#include "bot/admin/console_assets.hpp"
#include "bot/admin/json_response.hpp"
#include "bot/http_errors.hpp"
#include "members/calendar.hpp"
#include "members/districts.hpp"
#include "members/review_store.hpp"
#include "net/query.hpp"
#include "notify/redis_outbox.hpp"
#include "notify/templates.hpp"
#include "text/masks.hpp"

namespace kayou::bot::admin {
namespace asio = boost::asio;
using nlohmann::json;

namespace {

constexpr std::string_view kPrefix = "/admin/api/review/";
constexpr std::int64_t kMaxPage = 200;

// A district's name for the page ("武进区"); the id itself when the catalog no longer has it.
std::string district_name(const members::DistrictCatalog& districts, const std::string& id) {
    if (id.empty()) return {};
    const auto* district = districts.find(id);
    return district ? district->name : id;
}

// An error the console can show as it is: `error` for programs (English, stable), `message` for
// the reviewer (Chinese). Neither ever contains user text or personal data.
net::HttpResponse refuse(int status, std::string_view error, std::string_view message) {
    return json_response(status,
                         {{"error", std::string(error)}, {"message", std::string(message)}});
}

json masked_json(const members::Application& a, std::int64_t now,
                 const members::DistrictCatalog& districts) {
    return {{"id", a.id},
            {"status", a.status},
            {"district", a.district},
            {"district_name", district_name(districts, a.district)},
            {"moved_from", a.moved_from},
            {"moved_from_name", district_name(districts, a.moved_from)},
            {"channel", a.channel},
            {"submitted_at", a.submitted_at},
            {"deadline", a.deadline},
            {"deadline_text", a.deadline_text},
            {"overdue", a.status == "received" && a.deadline < now},
            {"seconds_left", a.deadline - now},
            {"name", text::mask_name(a.name)},
            {"id_card", text::mask_id_card(a.id_card)},
            {"mobile", text::mask_mobile(a.mobile)},
            {"plate", text::mask_plate(a.plate)},
            {"employer", a.employer},
            {"turnover_pool", a.turnover_pool},
            {"transferred_to", a.transferred_to},
            {"reminded", a.reminded_at != 0},
            {"escalated", a.escalated_at != 0}};
}

json full_json(const members::Application& a, std::int64_t now,
               const members::DistrictCatalog& districts) {
    json out = masked_json(a, now, districts);
    out["name"] = a.name;
    out["id_card"] = a.id_card;
    out["mobile"] = a.mobile;
    out["plate"] = a.plate;
    out["occupation"] = a.occupation;
    out["reason"] = a.reason;
    out["decided_at"] = a.decided_at;
    out["decided_by"] = a.decided_by;
    out["transferred_at"] = a.transferred_at;
    out["reminded_at"] = a.reminded_at;
    out["escalated_at"] = a.escalated_at;
    return out;
}

json sms_json(const std::optional<notify::SmsRecord>& sms) {
    if (!sms) return nullptr;
    return {{"template", sms->template_name}, {"state", sms->state},
            {"reason", sms->reason},          {"provider", sms->provider},
            {"attempts", sms->attempts},      {"updated_ms", sms->updated_ms}};
}

std::optional<json> body_object(const std::string& body) {
    auto parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
    return parsed;
}

std::string string_field(const json& body, const char* name) {
    if (!body.contains(name) || !body[name].is_string()) return {};
    return body[name].get<std::string>();
}

// offset/limit from the query: 0 <= offset, 1 <= limit <= kMaxPage (default 50).
bool read_page(const net::Target& target, std::int64_t& offset, std::int64_t& limit) {
    offset = 0;
    limit = 50;
    auto read = [](std::string_view text, std::int64_t& out, std::int64_t min, std::int64_t max) {
        if (text.empty()) return true;
        if (text.size() > 9 || text.find_first_not_of("0123456789") != std::string_view::npos)
            return false;
        out = std::stoll(std::string(text));
        return out >= min && out <= max;
    };
    return read(target.get("offset"), offset, 0, 100'000'000) &&
           read(target.get("limit"), limit, 1, kMaxPage);
}

// The rule the deadlines follow (members/calendar.hpp), in the reviewers' words.
std::string deadline_rule(const members::WorkingCalendar& calendar) {
    const std::string range = members::format_office_hours(calendar.office_hours());
    const std::string open = range.substr(0, 5);
    const std::string close = range.substr(6);
    return "办结时限按工作日办公时间（" + open + "–" + close +
           "，北京时间）计算：办公时间外提交的申请从下一个工作日" + open +
           "起算，须在起算当日之后的下一个工作日" + close +
           "前办结；提醒和督办短信只在办公时间发送。";
}

const char* outcome_error(members::ReviewOutcome outcome) {
    return outcome == members::ReviewOutcome::not_found ? "no such application"
                                                        : "not allowed in its current state";
}

const char* outcome_message(members::ReviewOutcome outcome) {
    return outcome == members::ReviewOutcome::not_found
               ? "找不到这份申请"
               : "这份申请的状态已经变了（可能别人刚处理过），请刷新后再看";
}

constexpr std::string_view kNotYourDistrict = "这不是您负责的区县，无权查看或处理";

}  // namespace

ReviewApi::ReviewApi(const Authenticator& auth, AuditLog& audit,
                     members::ApplicationStore& applications, members::ReviewStore& review,
                     notify::RedisSmsOutbox& outbox, const members::DistrictCatalog& districts,
                     const members::WorkingCalendar& calendar, Clock now)
    : auth_(auth),
      audit_(audit),
      applications_(applications),
      review_(review),
      outbox_(outbox),
      districts_(districts),
      calendar_(calendar),
      now_(now) {}

void ReviewApi::install(net::HttpServer& server) {
    server.route_prefix(std::string(kPrefix), [this](net::HttpRequest& r) { return handle(r); });
    // The console page carries no data (the API does, behind the token), so it is public; the
    // headers keep it from being framed or from loading anything but its own script.
    auto asset = [](std::string_view type, std::string_view body) {
        net::HttpResponse response{200, std::string(type), std::string(body), {}};
        response.headers = {
            {"Content-Security-Policy",
             "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; "
             "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"},
            {"X-Frame-Options", "DENY"},
            {"X-Content-Type-Options", "nosniff"},
            {"Referrer-Policy", "no-referrer"},
            {"Cache-Control", "no-cache"}};
        return response;
    };
    server.route("/admin", [asset](net::HttpRequest&) -> asio::awaitable<net::HttpResponse> {
        co_return asset("text/html; charset=utf-8", console_html());
    });
    server.route("/admin/console.js",
                 [asset](net::HttpRequest&) -> asio::awaitable<net::HttpResponse> {
                     co_return asset("text/javascript; charset=utf-8", console_js());
                 });
    server.route("/admin/console_content.js",
                 [asset](net::HttpRequest&) -> asio::awaitable<net::HttpResponse> {
                     co_return asset("text/javascript; charset=utf-8", console_content_js());
                 });
    server.route("/admin/console_accounts.js",
                 [asset](net::HttpRequest&) -> asio::awaitable<net::HttpResponse> {
                     co_return asset("text/javascript; charset=utf-8", console_accounts_js());
                 });
    // Who the token belongs to: the console shows the tabs of the caller's role.
    server.route(
        "/admin/api/me", [this](net::HttpRequest& request) -> asio::awaitable<net::HttpResponse> {
            auto authorized =
                auth_.authorize(request, {Role::city_admin, Role::district_admin, Role::faq_editor,
                                          Role::legal_desk, Role::staff});
            if (auto* denied = std::get_if<net::HttpResponse>(&authorized))
                co_return std::move(*denied);
            const Principal& who = std::get<Principal>(authorized);
            co_return json_response(200, {{"name", who.name},
                                          {"role", std::string(role_name(who.role))},
                                          {"districts", who.districts}});
        });
}

asio::awaitable<net::HttpResponse> ReviewApi::handle(net::HttpRequest& request) {
    auto authorized = auth_.authorize(request, {Role::city_admin, Role::district_admin});
    if (auto* denied = std::get_if<net::HttpResponse>(&authorized)) co_return std::move(*denied);
    const Principal who = std::get<Principal>(authorized);
    const std::string_view rest = std::string_view(request.path).substr(kPrefix.size());
    const bool get = request.method == "GET";
    if (rest == "districts" && get) co_return co_await districts(who);
    if (rest == "queue" && get) co_return co_await list(who, request, false);
    if (rest == "pool" && get) co_return co_await list(who, request, true);
    if (rest == "stats" && get) co_return co_await stats(who, request);
    if (rest == "sms-alerts" && get) co_return co_await sms_alerts(who);
    constexpr std::string_view kApplications = "applications/";
    if (rest.substr(0, kApplications.size()) == kApplications)
        co_return co_await application(who, request, rest.substr(kApplications.size()));
    co_return refuse(404, "not found", "找不到这个页面");
}

asio::awaitable<net::HttpResponse> ReviewApi::districts(const Principal& who) {
    const auto now = now_();
    json list = json::array();
    // Where an application may be moved: every district. A misrouted application is what a
    // district reviewer sees most, and the receiving district's queue shows it once moved.
    json all = json::array();
    for (const auto& district : districts_.all()) {
        all.push_back({{"id", district.id}, {"name", district.name}});
        if (!who.may_act_on_district(district.id)) continue;
        const auto counts = co_await review_.queue_counts(district.id, now);
        list.push_back({{"id", district.id},
                        {"name", district.name},
                        {"pending", counts.pending},
                        {"overdue", counts.overdue},
                        {"pool", counts.pool}});
    }
    co_return json_response(200, {{"districts", list}, {"all", all}});
}

asio::awaitable<net::HttpResponse> ReviewApi::list(const Principal& who,
                                                   const net::HttpRequest& request, bool pool) {
    auto target = net::parse_target(request.target);
    if (!target) co_return refuse(400, "bad query", "请求参数有误");
    const std::string district(target->get("district"));
    if (!districts_.find(district)) co_return refuse(404, "no such district", "没有这个区县");
    if (!who.may_act_on_district(district))
        co_return refuse(403, "not your district", kNotYourDistrict);
    std::int64_t offset = 0, limit = 0;
    if (!read_page(*target, offset, limit))
        co_return refuse(400, "offset must be >= 0, limit 1-200", "分页参数有误");
    members::QueuePage page;
    if (pool)
        page = co_await review_.pool(district, offset, limit);
    else
        page = co_await review_.queue(district, offset, limit);
    const auto now = now_();
    json items = json::array();
    for (const auto& a : page.items) {
        json item = masked_json(a, now, districts_);
        // When the deadline clock started: the submission, or the next opening after it.
        const auto start = calendar_.counting_start(
            std::chrono::sys_seconds(std::chrono::seconds(a.submitted_at)));
        item["counting_from"] = start.time_since_epoch().count();
        item["counting_from_text"] = members::beijing_minute_text(start);
        items.push_back(std::move(item));
    }
    json body = {{"district", district},
                 {"total", page.total},
                 {"offset", offset},
                 {"office_hours", members::format_office_hours(calendar_.office_hours())},
                 {"deadline_rule", deadline_rule(calendar_)},
                 {"applications", items}};
    co_return json_response(200, body);
}

asio::awaitable<net::HttpResponse> ReviewApi::stats(const Principal& who,
                                                    const net::HttpRequest& request) {
    auto target = net::parse_target(request.target);
    if (!target) co_return refuse(400, "bad query", "请求参数有误");
    std::string problem;
    const auto range =
        members::beijing_date_range(target->get("from"), target->get("to"), &problem);
    if (!range) co_return refuse(400, problem, "日期范围有误（最多366天，结束不早于开始）");
    const std::string only(target->get("district"));
    if (!only.empty()) {
        if (!districts_.find(only)) co_return refuse(404, "no such district", "没有这个区县");
        if (!who.may_act_on_district(only))
            co_return refuse(403, "not your district", kNotYourDistrict);
    }
    const auto now = now_();
    json list = json::array();
    for (const auto& district : districts_.all()) {
        if (!who.may_act_on_district(district.id)) continue;
        if (!only.empty() && district.id != only) continue;
        const auto s = co_await review_.stats(district.id, *range, now);
        json row = {
            {"district", district.id},  {"name", district.name},          {"received", s.received},
            {"approved", s.approved},   {"rejected", s.rejected},         {"pending", s.pending},
            {"overdue", s.overdue},     {"decided_late", s.decided_late}, {"reminded", s.reminded},
            {"escalated", s.escalated}, {"on_time_rate", nullptr}};
        if (s.on_time_rate) row["on_time_rate"] = *s.on_time_rate;
        list.push_back(std::move(row));
    }
    json body = {{"from", std::string(target->get("from"))},
                 {"to", std::string(target->get("to"))},
                 {"districts", list}};
    if (alerts_) {
        auto alerts = co_await alerts_();
        body["alerts"] = std::move(alerts);
    }
    co_return json_response(200, body);
}

void ReviewApi::set_templates(const notify::TemplateCatalog* templates) { templates_ = templates; }

void ReviewApi::set_alerts(std::function<asio::awaitable<json>()> read) {
    alerts_ = std::move(read);
}

asio::awaitable<net::HttpResponse> ReviewApi::sms_alerts(const Principal& who) {
    const auto alerts = co_await review_.sms_alerts(kMaxPage);
    json list = json::array();
    for (const auto& alert : alerts) {
        json row = {{"message_id", alert.message_id}, {"template", alert.template_name},
                    {"reason", alert.reason},         {"provider", alert.provider},
                    {"at_ms", alert.at_ms},           {"application", nullptr}};
        if (!alert.application_id.empty()) {
            auto application = co_await applications_.get(alert.application_id);
            if (!application && who.role != Role::city_admin) continue;
            if (application && !who.may_act_on_district(application->district)) continue;
            if (application)
                row["application"] = {{"id", application->id},
                                      {"district", application->district},
                                      {"status", application->status},
                                      {"mobile", text::mask_mobile(application->mobile)}};
        } else if (who.role != Role::city_admin) {
            continue;  // reminders and codes: not about a district's applicant
        }
        list.push_back(std::move(row));
    }
    co_return json_response(200, {{"alerts", list}});
}

std::optional<json> ReviewApi::rejection_sms(const members::Application& a,
                                             const std::string& reason,
                                             net::HttpResponse& refusal) const {
    const auto message = members::reject_reason_message(reason);
    if (!message.empty()) {
        refusal = refuse(400, members::reject_reason_problem(reason), message);
        return std::nullopt;
    }
    if (!templates_) return json{{"text", nullptr}, {"segments", nullptr}};
    try {
        // Exactly what the sender renders (notify/templates.hpp): the driver reads this.
        const std::vector<std::string> values{a.id, reason};
        const auto rendered = templates_->render("rejection", values);
        return json{{"text", rendered.text}, {"segments", rendered.segments.segments}};
    } catch (const notify::TemplateError&) {
        refusal = refuse(400, "reason does not fit the rejection SMS template",
                         "这个原因放不进短信（不能有【】或网址），请换个写法");
        return std::nullopt;
    }
}

net::HttpResponse ReviewApi::reject_preview(const members::Application& a, const std::string& id,
                                            const net::HttpRequest& request) const {
    const auto body = body_object(request.body);
    if (!body) return refuse(400, "body must be {\"reason\": ...}", "请填写不通过的原因");
    const std::string reason = string_field(*body, "reason");
    net::HttpResponse refusal;
    auto preview = rejection_sms(a, reason, refusal);
    if (!preview) return refusal;
    json out = std::move(*preview);
    out["id"] = id;
    out["reason"] = reason;
    return json_response(200, out);
}

asio::awaitable<net::HttpResponse> ReviewApi::application(const Principal& who,
                                                          net::HttpRequest& request,
                                                          std::string_view rest) {
    const auto slash = rest.find('/');
    const std::string id(rest.substr(0, slash));
    const std::string action(slash == std::string_view::npos ? std::string_view()
                                                             : rest.substr(slash + 1));
    if (!members::is_application_id(id))
        co_return refuse(404, "no such application", "找不到这份申请");
    auto found = co_await applications_.get(id);
    if (!found) co_return refuse(404, "no such application", "找不到这份申请");
    const members::Application a = std::move(*found);
    if (!who.may_act_on_district(a.district))
        co_return refuse(403, "not your district", kNotYourDistrict);
    const auto now = now_();

    if (action.empty() && request.method == "GET") {
        std::optional<notify::SmsRecord> sms;
        if (!a.sms_id.empty()) sms = co_await outbox_.find(a.sms_id);
        // Every look at the data in clear leaves a trace, or does not happen.
        const bool audited = co_await audit_.record(who, "application.view", id);
        if (!audited) co_return net::unavailable_response("audit log unavailable", 1);
        json out = full_json(a, now, districts_);
        out["sms"] = sms_json(sms);
        co_return json_response(200, out);
    }
    if (request.method != "POST") co_return refuse(405, "method not allowed", "不支持这种请求");

    // What the driver would read if rejected with this reason; changes nothing.
    if (action == "reject-preview") co_return reject_preview(a, id, request);

    if (action == "approve" || action == "reject") {
        const bool approve = action == "approve";
        std::string reason;
        if (!approve) {
            const auto body = body_object(request.body);
            if (!body)
                co_return refuse(400, "body must be {\"reason\": ...}", "请填写不通过的原因");
            reason = string_field(*body, "reason");
            // The same check as the preview: a reason the template cannot carry is refused here,
            // not found out by the sender after the status has changed.
            net::HttpResponse refusal;
            const auto checked = rejection_sms(a, reason, refusal);
            if (!checked) co_return refusal;
        }
        if (a.mobile.empty())
            co_return refuse(500, "the application's phone cannot be opened",
                             "这份申请的手机号无法解密，请联系市总工会技术人员");
        const auto result = co_await review_.decide(a, approve, reason, who.name, now);
        if (result.outcome == members::ReviewOutcome::not_found ||
            result.outcome == members::ReviewOutcome::conflict)
            co_return json_response(result.outcome == members::ReviewOutcome::not_found ? 404 : 409,
                                    {{"error", outcome_error(result.outcome)},
                                     {"message", outcome_message(result.outcome)},
                                     {"status", result.status}});
        if (result.outcome == members::ReviewOutcome::done) {
            std::string audit_action = "application.";  // named: docs/coroutines.md
            audit_action += action;
            co_await audit_.record(who, std::move(audit_action), id);
        }
        co_return json_response(200, {{"id", id},
                                      {"status", result.status},
                                      {"changed", result.outcome == members::ReviewOutcome::done},
                                      {"sms_id", result.sms_id}});
    }
    if (action == "move" || action == "transfer") {
        const auto body = body_object(request.body);
        if (!body) co_return refuse(400, "body must be a JSON object", "请求内容有误");
        members::ReviewOutcome outcome = members::ReviewOutcome::not_found;
        std::string audit_target = id;
        if (action == "move") {
            // To any district: the caller must be responsible for where it is now (checked
            // above), not for where it goes.
            const std::string to = string_field(*body, "district");
            if (!districts_.find(to))
                co_return refuse(400, "district: no such district", "请选择要转去的区县");
            outcome = co_await review_.move(a, to, who.name, now);
            audit_target += " " + a.district + "->" + to;
        } else {
            const std::string union_name = string_field(*body, "union");
            const auto problem = members::union_name_problem(union_name);
            if (!problem.empty())
                co_return refuse(400, problem, "请填写接收的基层工会名称（2–50个字，一行）");
            outcome = co_await review_.transfer(a, union_name, who.name, now);
        }
        if (outcome == members::ReviewOutcome::not_found ||
            outcome == members::ReviewOutcome::conflict)
            co_return json_response(outcome == members::ReviewOutcome::not_found ? 404 : 409,
                                    {{"error", outcome_error(outcome)},
                                     {"message", outcome_message(outcome)},
                                     {"status", a.status}});
        if (outcome == members::ReviewOutcome::done) {
            std::string audit_action = "application.";
            audit_action += action;
            co_await audit_.record(who, std::move(audit_action), std::move(audit_target));
        }
        auto updated = co_await applications_.get(id);
        json out = updated ? masked_json(*updated, now, districts_) : json::object();
        out["changed"] = outcome == members::ReviewOutcome::done;
        co_return json_response(200, out);
    }
    co_return refuse(404, "not found", "找不到这个页面");
}

}  // namespace kayou::bot::admin
