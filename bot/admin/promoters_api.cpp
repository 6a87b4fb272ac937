#include "bot/admin/promoters_api.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "bot/admin/json_response.hpp"
#include "members/districts.hpp"
#include "members/promoters.hpp"
#include "net/query.hpp"
#include "text/qr.hpp"

namespace kayou::bot::admin {
namespace asio = boost::asio;
using nlohmann::json;

namespace {

constexpr std::string_view kPrefix = "/admin/api/promoters";
constexpr std::int64_t kDay = 86'400;

net::HttpResponse refuse(int status, std::string_view error, std::string_view message) {
    return json_response(status,
                         {{"error", std::string(error)}, {"message", std::string(message)}});
}

std::string district_name(const members::DistrictCatalog& districts, const std::string& id) {
    const auto* district = districts.find(id);
    return district ? district->name : id;
}

// Surrounding spaces (ASCII and the full-width one) are not part of a name.
std::string trimmed(std::string text) {
    auto strip_front = [&] {
        if (!text.empty() && text.front() == ' ') return text.erase(0, 1), true;
        if (text.rfind("\xE3\x80\x80", 0) == 0) return text.erase(0, 3), true;
        return false;
    };
    auto strip_back = [&] {
        if (!text.empty() && text.back() == ' ') return text.pop_back(), true;
        if (text.size() >= 3 && text.compare(text.size() - 3, 3, "\xE3\x80\x80") == 0)
            return text.erase(text.size() - 3), true;
        return false;
    };
    while (strip_front()) {
    }
    while (strip_back()) {
    }
    return text;
}

}  // namespace

PromotersApi::PromotersApi(const Authenticator& auth, AuditLog& audit,
                           members::PromoterStore& promoters,
                           const members::DistrictCatalog& districts, std::string public_base_url,
                           Clock now)
    : auth_(auth),
      audit_(audit),
      promoters_(promoters),
      districts_(districts),
      base_url_(std::move(public_base_url)),
      now_(now) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

void PromotersApi::install(net::HttpServer& server) {
    server.route_prefix(std::string(kPrefix), [this](net::HttpRequest& r) { return handle(r); });
}

asio::awaitable<net::HttpResponse> PromotersApi::handle(net::HttpRequest& request) {
    auto authorized = auth_.authorize(request, {Role::city_admin, Role::district_admin});
    if (auto* denied = std::get_if<net::HttpResponse>(&authorized)) co_return std::move(*denied);
    const Principal who = std::get<Principal>(authorized);
    const std::string_view rest = std::string_view(request.path).substr(kPrefix.size());
    if (rest.empty() || rest == "/") {
        if (request.method == "GET") co_return co_await list(who, request);
        if (request.method == "POST") co_return co_await create(who, request);
        co_return refuse(405, "method not allowed", "不支持这个操作");
    }
    if (rest.front() != '/' || request.method != "GET")
        co_return refuse(404, "not found", "找不到这个页面");
    const auto parts = split_path(rest.substr(1));
    if (parts.size() == 1) co_return co_await one(who, std::string(parts[0]), false);
    if (parts.size() == 2 && parts[1] == "qr.svg")
        co_return co_await one(who, std::string(parts[0]), true);
    co_return refuse(404, "not found", "找不到这个页面");
}

namespace {

json promoter_json(const members::Promoter& p, const members::PromoterStats& stats,
                   const std::string& link, std::int64_t now,
                   const members::DistrictCatalog& districts) {
    return {{"id", p.id},
            {"kind", p.kind},
            {"kind_name", p.kind == "event" ? "宣传活动" : "宣传员"},
            {"name", p.name},
            {"district", p.district},
            {"district_name", district_name(districts, p.district)},
            {"created_at", p.created_at},
            {"created_by", p.created_by},
            {"expires", p.expires},
            {"expired", p.expires <= now},
            {"link", link},
            {"qr_path", "/admin/api/promoters/" + p.id + "/qr.svg"},
            {"joins", stats.joins},
            {"received", stats.received},
            {"approved", stats.approved},
            {"rejected", stats.rejected}};
}

}  // namespace

asio::awaitable<net::HttpResponse> PromotersApi::list(const Principal& who,
                                                      const net::HttpRequest& request) {
    auto target = net::parse_target(request.target);
    const std::string wanted = target.ok() ? std::string(target->get("district")) : std::string();
    if (!wanted.empty() && !districts_.find(wanted))
        co_return refuse(400, "unknown district", "没有这个区县");
    if (!wanted.empty() && !who.may_act_on_district(wanted))
        co_return refuse(403, "not your district", "这不是您负责的区县，无权查看");
    const auto now = now_();
    auto all = co_await promoters_.list();
    json items = json::array();
    struct Totals {
        std::int64_t promoters = 0, events = 0, joins = 0, received = 0, approved = 0, rejected = 0;
    };
    std::map<std::string, Totals> totals;
    for (const auto& p : all) {
        if (!who.may_act_on_district(p.district)) continue;
        if (!wanted.empty() && p.district != wanted) continue;
        auto stats = co_await promoters_.stats(p.id);
        const std::string link =
            base_url_.empty() ? std::string() : base_url_ + "/join/p?t=" + promoters_.token(p);
        items.push_back(promoter_json(p, stats, link, now, districts_));
        auto& t = totals[p.district];
        (p.kind == "event" ? t.events : t.promoters) += 1;
        t.joins += stats.joins;
        t.received += stats.received;
        t.approved += stats.approved;
        t.rejected += stats.rejected;
    }
    json per_district = json::array();
    for (const auto& [district, t] : totals)
        per_district.push_back({{"district", district},
                                {"district_name", district_name(districts_, district)},
                                {"promoters", t.promoters},
                                {"events", t.events},
                                {"joins", t.joins},
                                {"received", t.received},
                                {"approved", t.approved},
                                {"rejected", t.rejected}});
    co_return json_response(
        200, {{"promoters", std::move(items)}, {"districts", std::move(per_district)}});
}

asio::awaitable<net::HttpResponse> PromotersApi::create(const Principal& who,
                                                        const net::HttpRequest& request) {
    const auto body = json::parse(request.body, nullptr, false);
    if (!body.is_object()) co_return refuse(400, "bad body", "请求格式不对");
    auto text = [&](const char* key) {
        return body.contains(key) && body[key].is_string() ? body[key].get<std::string>()
                                                           : std::string();
    };
    members::Promoter p;
    p.kind = text("kind");
    if (p.kind != "promoter" && p.kind != "event")
        co_return refuse(400, "bad kind", "请选择类型：宣传员或宣传活动");
    p.name = trimmed(text("name"));
    if (auto problem = members::promoter_name_problem(p.name))
        co_return refuse(400, "bad name", *problem);
    p.district = text("district");
    if (!districts_.find(p.district)) co_return refuse(400, "unknown district", "请选择所在区县");
    if (!who.may_act_on_district(p.district))
        co_return refuse(403, "not your district", "这不是您负责的区县，不能为它创建");
    std::int64_t days = 90;
    if (body.contains("days")) {
        if (!body["days"].is_number_integer())
            co_return refuse(400, "bad days", "有效天数要填1到366之间的整数");
        days = body["days"].get<std::int64_t>();
        if (days < 1 || days > 366)
            co_return refuse(400, "bad days", "有效天数要填1到366之间的整数");
    }
    if (base_url_.empty())
        co_return refuse(409, "no public base url",
                         "没有配置 members.public_base_url，无法生成入会链接和二维码");
    p.created_at = now_();
    p.expires = p.created_at + days * kDay;
    p.created_by = who.name;
    auto stored = co_await promoters_.create(std::move(p));
    // The id only: the name may be a person's.
    const bool audited = co_await audit_.record(who, "promoter.create", stored.id);
    (void)audited;  // the promoter exists either way; a failed audit write is logged by AuditLog
    const std::string link = base_url_ + "/join/p?t=" + promoters_.token(stored);
    co_return json_response(201, promoter_json(stored, {}, link, now_(), districts_));
}

asio::awaitable<net::HttpResponse> PromotersApi::one(const Principal& who, std::string id,
                                                     bool qr) {
    if (!members::is_promoter_id(id)) co_return refuse(404, "not found", "找不到这个宣传员或活动");
    auto p = co_await promoters_.get(id);
    if (!p) co_return refuse(404, "not found", "找不到这个宣传员或活动");
    if (!who.may_act_on_district(p->district))
        co_return refuse(403, "not your district", "这不是您负责的区县，无权查看");
    if (base_url_.empty() && qr)
        co_return refuse(409, "no public base url",
                         "没有配置 members.public_base_url，无法生成入会链接和二维码");
    const std::string link =
        base_url_.empty() ? std::string() : base_url_ + "/join/p?t=" + promoters_.token(*p);
    if (!qr) {
        auto stats = co_await promoters_.stats(id);
        co_return json_response(200, promoter_json(*p, stats, link, now_(), districts_));
    }
    auto code = text::qr_encode(link);
    if (!code)
        co_return refuse(409, "link too long",
                         "入会链接太长，无法生成二维码（请缩短 public_base_url）");
    if (!co_await audit_.record(who, "promoter.qr", id))
        co_return refuse(503, "audit unavailable", "暂时无法记录操作，请稍后再试");
    net::HttpResponse response{200, "image/svg+xml", text::qr_svg(*code, 8), {}};
    response.headers = {
        {"Content-Disposition", "inline; filename=\"" + id + ".svg\""},
        {"X-Content-Type-Options", "nosniff"},
        {"Cache-Control", "no-store"},
        {"Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"}};
    co_return response;
}

}  // namespace kayou::bot::admin
