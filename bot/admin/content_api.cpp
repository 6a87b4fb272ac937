#include "bot/admin/content_api.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "bot/admin/entry_json.hpp"
#include "bot/admin/json_response.hpp"

#include "faq/decide.hpp"
#include "faq/eval.hpp"
#include "faq/legal_service.hpp"
#include "faq/live_content.hpp"
#include "faq/script_edit.hpp"
#include "faq/station_geo.hpp"
#include "faq/store.hpp"
#include "faq/tickets.hpp"
#include "net/query.hpp"
#include "ops/log.hpp"

namespace kayou::bot::admin {
namespace asio = boost::asio;
using nlohmann::json;

namespace {

constexpr std::string_view kContentPrefix = "/admin/api/content/";

std::optional<int> parse_version(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
    return value;
}

std::optional<double> parse_double(const std::string* text) {
    if (!text || text->empty()) return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(text->c_str(), &end);
    if (*end != '\0') return std::nullopt;
    return value;
}

std::string_view action_label(faq::Action action) { return faq::action_name(action); }

json hits_json(const std::vector<faq::Hit>& hits) {
    json list = json::array();
    for (const auto& hit : hits)
        list.push_back({{"id", hit.entry->id},
                        {"question", hit.entry->questions.empty() ? "" : hit.entry->questions[0]},
                        {"score", hit.score}});
    return list;
}

json legal_reply_json(const std::string& question, const faq::LegalReply& reply) {
    return {{"question", question},     {"action", action_label(reply.action)},
            {"version", reply.version}, {"hits", hits_json(reply.hits)},
            {"texts", reply.texts},     {"follow_ups", reply.follow_ups}};
}

// The circumstances a preview or /ask answers under: the driver's district, a group chat, an
// @-mention, a channel that can send a second message (docs/admin-api.md).
faq::LegalQuestion question_circumstances(const json& body, bool follow_up_by_default) {
    faq::LegalQuestion question;
    question.district = body.value("district", "");
    question.in_group = body.value("in_group", false);
    question.mentioned = body.value("mentioned", true);
    question.follow_up = body.value("follow_up", follow_up_by_default);
    return question;
}

std::optional<faq::MemberStatus> parse_status(std::string_view text) {
    if (text.empty() || text == "none") return faq::MemberStatus::none;
    if (text == "member") return faq::MemberStatus::member;
    if (text == "applicant") return faq::MemberStatus::applicant;
    return std::nullopt;
}

}  // namespace

std::string china_date(std::int64_t unix_seconds) {
    const std::string day = faq::china_day(unix_seconds);
    return day.substr(0, 4) + "-" + day.substr(4, 2) + "-" + day.substr(6, 2);
}

ContentApi::ContentApi(const Authenticator& auth, AuditLog& audit, faq::ContentStore& store,
                       faq::StationGeo& geo, faq::LiveContent& live, faq::LegalService& legal,
                       std::function<std::int64_t()> clock)
    : auth_(auth),
      audit_(audit),
      store_(store),
      geo_(geo),
      live_(live),
      legal_(legal),
      clock_(std::move(clock)) {}

void ContentApi::install(net::HttpServer& server) {
    // Scripts are larger than webhook bodies (legal.yaml is ~80 KB; 5,000 entries are a few MB).
    // The limit applies before authentication, so it stays modest.
    constexpr std::size_t kUploadLimit = 4 * 1024 * 1024;
    server.route_prefix(
        std::string(kContentPrefix), [this](net::HttpRequest& r) { return content(r); },
        kUploadLimit);
    server.route("/admin/api/legal/ask", [this](net::HttpRequest& r) { return ask(r); });
    server.route("/admin/api/benefits", [this](net::HttpRequest& r) { return benefits(r); });
    server.route("/admin/api/stations/nearest", [this](net::HttpRequest& r) { return nearest(r); });
}

asio::awaitable<net::HttpResponse> ContentApi::content(net::HttpRequest& request) {
    const auto parts = split_path(std::string_view(request.path).substr(kContentPrefix.size()));
    if (parts.empty()) co_return net::HttpResponse::error(404, "not found");
    const auto kind = faq::parse_content_kind(parts[0]);
    if (!kind) co_return net::HttpResponse::error(404, "unknown content kind");
    const bool write = request.method == "POST";
    // if, not ?: (docs/coroutines.md).
    std::variant<Principal, net::HttpResponse> authorized = auth_.authorize(
        request, {Role::faq_editor, Role::city_admin, Role::district_admin, Role::legal_desk});
    if (write) authorized = auth_.authorize(request, {Role::faq_editor, Role::city_admin});
    if (auto* denied = std::get_if<net::HttpResponse>(&authorized)) co_return std::move(*denied);
    const Principal& who = std::get<Principal>(authorized);
    const std::string kind_name(faq::content_kind_name(*kind));

    if (parts.size() == 2 && parts[1] == "published" && request.method == "GET") {
        const int published = co_await store_.published(*kind);
        co_return json_response(
            200,
            {{"kind", kind_name}, {"published", published}, {"serving", live_.version(*kind)}});
    }
    if (parts.size() == 2 && parts[1] == "versions") {
        if (request.method == "POST") {
            if (request.body.empty()) co_return net::HttpResponse::error(400, "empty body");
            auto result = co_await store_.upload(*kind, request.body, who.name, clock_());
            if (!result.problems.empty())
                co_return json_response(422, {{"errors", problems_json(result.problems)}});
            co_await audit_.record(who, "content.upload",
                                   kind_name + ":" + std::to_string(result.version));
            co_return json_response(201, {{"kind", kind_name}, {"version", result.version}});
        }
        if (request.method == "GET") {
            json list = json::array();
            // A named variable, not a range-for over a co_await (docs/coroutines.md).
            const auto versions = co_await store_.versions(*kind);
            for (const auto& v : versions)
                list.push_back({{"version", v.number},
                                {"label", v.label},
                                {"sha256", v.sha256},
                                {"bytes", v.bytes},
                                {"uploaded_by", v.uploaded_by},
                                {"uploaded_at", v.uploaded_at},
                                {"published_at", v.published_at},
                                {"published_by", v.published_by},
                                {"published", v.published}});
            co_return json_response(200, {{"kind", kind_name}, {"versions", list}});
        }
        co_return net::HttpResponse::error(405, "method not allowed");
    }
    if (parts.size() == 2 && parts[1] == "entries" && write) {
        if (*kind != faq::ContentKind::faq) co_return net::HttpResponse::error(404, "not found");
        co_return co_await save_entry(request, who);
    }
    if (parts.size() >= 3 && parts[1] == "versions") {
        const auto version = parse_version(parts[2]);
        if (!version) co_return net::HttpResponse::error(404, "no such version");
        if (parts.size() == 3 && request.method == "GET") {
            auto text = co_await store_.text(*kind, *version);
            if (!text) co_return net::HttpResponse::error(404, "no such version");
            auto response = net::HttpResponse::text(200, std::move(*text));
            response.content_type = "application/yaml; charset=utf-8";
            co_return response;
        }
        if (parts.size() == 4 && parts[3] == "entries" && request.method == "GET" &&
            *kind == faq::ContentKind::faq)
            co_return co_await entries(*version);
        if (parts.size() == 4 && parts[3] == "preview" && write)
            co_return co_await preview(*kind, *version, request);
        if (parts.size() == 4 && parts[3] == "publish" && write)
            co_return co_await publish(*kind, *version, who);
    }
    co_return net::HttpResponse::error(404, "not found");
}

asio::awaitable<net::HttpResponse> ContentApi::preview(faq::ContentKind kind, int version,
                                                       const net::HttpRequest& request) {
    json body = json::object();
    if (!request.body.empty()) body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
        co_return net::HttpResponse::error(400, "body must be a JSON object");
    if (preview_cache_.version != version || preview_kind_ != kind) {
        auto text = co_await store_.text(kind, version);
        if (!text) co_return net::HttpResponse::error(404, "no such version");
        auto built = co_await live_.build(kind, std::move(*text), version);
        preview_cache_ = std::move(built);
        preview_kind_ = kind;
    }
    const auto built = preview_cache_;  // a copy: the cache may change while we run
    json out{{"kind", std::string(faq::content_kind_name(kind))}, {"version", version}};
    switch (kind) {
        case faq::ContentKind::faq: {
            json results = json::array();
            const auto questions = body.value("questions", std::vector<std::string>{});
            faq::LegalQuestion question =
                question_circumstances(body, official_account_follow_ups_);
            for (const auto& text : questions) {
                question.text = text;
                auto reply = faq::answer_from(built.faq, version, question, legal_.thresholds());
                results.push_back(legal_reply_json(text, reply));
            }
            out["results"] = results;
            out["follow_up"] = question.follow_up;
            const auto& thresholds = legal_.thresholds();
            out["thresholds"] = {{"answer", thresholds.answer},
                                 {"suggest", thresholds.suggest},
                                 {"margin", thresholds.margin}};
            break;
        }
        case faq::ContentKind::benefits: {
            auto status = parse_status(body.value("status", ""));
            if (!status)
                co_return net::HttpResponse::error(400, "status must be member, applicant or none");
            std::string date = body.value("date", "");
            if (date.empty()) date = china_date(clock_());
            const std::string district = body.value("district", "");
            json ids = json::array();
            for (const auto* b : faq::benefits_for(*built.benefits, district, *status, date))
                ids.push_back(b->id);
            out["benefits"] = ids;
            out["text"] = faq::benefits_text(*built.benefits, district, *status, date);
            break;
        }
        case faq::ContentKind::stations: {
            double lat = body.value("lat", 0.0), lng = body.value("lng", 0.0);
            std::string from;
            if (body.contains("place")) {
                const auto* place = built.stations->find_place(body.value("place", ""));
                if (!place) co_return net::HttpResponse::error(404, "unknown place");
                lat = place->lat, lng = place->lng, from = place->name;
            }
            const auto nearby = faq::nearest_in_memory(*built.stations, lat, lng, 3);
            json list = json::array();
            for (const auto& n : nearby)
                list.push_back({{"id", n.station->id}, {"distance_km", n.distance_km}});
            out["stations"] = list;
            out["text"] = faq::nearest_text(nearby, from, built.stations->demo);
            break;
        }
        case faq::ContentKind::intents: {
            // What the new script makes of each test message: the intents by score.
            json results = json::array();
            for (const auto& text : body.value("questions", std::vector<std::string>())) {
                json scores = json::array();
                for (const auto& score : built.intents->classify(text, 3))
                    scores.push_back({{"intent", score.intent}, {"score", score.score}});
                const auto command = built.intents->command(text);
                results.push_back(
                    {{"question", text}, {"command", command.value_or("")}, {"scores", scores}});
            }
            out["results"] = results;
            break;
        }
    }
    co_return json_response(200, out);
}

asio::awaitable<net::HttpResponse> ContentApi::entries(int version) {
    auto text = co_await store_.text(faq::ContentKind::faq, version);
    if (!text) co_return net::HttpResponse::error(404, "no such version");
    faq::Script script;
    try {
        script = faq::parse_script(*text, "faq:" + std::to_string(version));
    } catch (const faq::ScriptError& error) {
        // Stored versions were validated on upload; only a newer parser could refuse one.
        co_return json_response(422, {{"errors", problems_json(error.problems())}});
    }
    json list = json::array();
    for (const auto& entry : script.entries) list.push_back(entry_to_json(entry));
    co_return json_response(
        200, {{"kind", "faq"}, {"version", version}, {"label", script.version}, {"entries", list}});
}

asio::awaitable<net::HttpResponse> ContentApi::save_entry(const net::HttpRequest& request,
                                                          const Principal& who) {
    const auto body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("base") ||
        !body.at("base").is_number_integer() ||
        !(body.contains("entry") ? body.at("entry").is_object() : body.contains("remove")))
        co_return net::HttpResponse::error(
            400, "body must be {\"base\": n, \"entry\": {…}} or {\"base\": n, \"remove\": id}");
    const int base = body.at("base").get<int>();
    const auto current = co_await store_.text(faq::ContentKind::faq, base);
    if (!current) co_return net::HttpResponse::error(404, "no such version");
    faq::EntryEdit edit;
    std::string target;
    std::string edit_error;
    // How long the edited entry's whole reply is, so the form can warn before drivers get it cut.
    json reply_length = json::object();
    try {
        if (body.contains("entry")) {
            const faq::Entry entry = entry_from_json(body.at("entry"));
            edit = faq::put_entry(*current, body.value("original", ""), entry);
            target = entry.id;
            reply_length = {{"reply_bytes", faq::whole_reply_bytes(entry)},
                            {"reply_limit", faq::kOneReplyBytes}};
        } else {
            target = body.value("remove", "");
            edit.text = faq::remove_entry(*current, target);
        }
    } catch (const faq::ScriptEditError& error) {
        edit_error = error.what();
    }
    if (!edit_error.empty()) {
        json errors = json::array();
        errors.push_back({{"line", 0}, {"message", edit_error}});
        co_return json_response(422, {{"errors", errors}});
    }
    // 校验 (check) validates without storing anything.
    if (body.value("check", false)) {
        const auto problems = faq::validate_content(faq::ContentKind::faq, edit.text);
        if (!problems.empty())
            co_return json_response(422, {{"errors", problems_json(problems, edit)}});
        json valid = {{"valid", true}, {"base", base}};
        valid.update(reply_length);
        co_return json_response(200, valid);
    }
    auto uploaded =
        co_await store_.upload(faq::ContentKind::faq, std::move(edit.text), who.name, clock_());
    if (!uploaded.problems.empty())
        co_return json_response(422, {{"errors", problems_json(uploaded.problems, edit)}});
    const std::string version = "faq:" + std::to_string(uploaded.version);
    co_await audit_.record(who, "content.upload", version);
    co_await audit_.record(who,
                           body.contains("entry") ? "content.entry.save" : "content.entry.remove",
                           version + " " + target);
    bool live = false;
    if (body.value("publish", false)) {
        live = co_await store_.publish(faq::ContentKind::faq, uploaded.version, who.name, clock_());
        if (live) co_await audit_.record(who, "content.publish", version);
    }
    json saved = {
        {"kind", "faq"}, {"version", uploaded.version}, {"base", base}, {"published", live}};
    saved.update(reply_length);
    co_return json_response(201, saved);
}

asio::awaitable<net::HttpResponse> ContentApi::publish(faq::ContentKind kind, int version,
                                                       const Principal& who) {
    if (kind == faq::ContentKind::stations) {
        // The GEO set must hold the new stations before any process announces the version.
        auto text = co_await store_.text(kind, version);
        if (!text) co_return net::HttpResponse::error(404, "no such version");
        auto built = co_await live_.build(kind, std::move(*text), version);
        co_await geo_.load(*built.stations, version);
    }
    if (!co_await store_.publish(kind, version, who.name, clock_()))
        co_return net::HttpResponse::error(404, "no such version");
    const std::string kind_name(faq::content_kind_name(kind));
    co_await audit_.record(who, "content.publish", kind_name + ":" + std::to_string(version));
    ops::log(ops::LogLevel::info, "content_published",
             {{"kind", kind_name}, {"version", version}, {"by", who.name}});
    co_return json_response(200, {{"kind", kind_name}, {"published", version}});
}

asio::awaitable<net::HttpResponse> ContentApi::ask(net::HttpRequest& request) {
    auto authorized = auth_.authorize(
        request, {Role::faq_editor, Role::city_admin, Role::district_admin, Role::legal_desk});
    if (auto* denied = std::get_if<net::HttpResponse>(&authorized)) co_return std::move(*denied);
    if (request.method != "POST") co_return net::HttpResponse::error(405, "method not allowed");
    const auto body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("question"))
        co_return net::HttpResponse::error(400, "body must be {\"question\": ...}");
    faq::LegalQuestion question = question_circumstances(body, official_account_follow_ups_);
    question.text = body.value("question", "");
    const auto reply = legal_.dry_run(question);
    if (!reply.index) co_return net::HttpResponse::error(503, "no FAQ version loaded yet");
    json out = legal_reply_json(question.text, reply);
    out["follow_up"] = question.follow_up;
    co_return json_response(200, out);
}

asio::awaitable<net::HttpResponse> ContentApi::benefits(net::HttpRequest& request) {
    auto authorized = auth_.authorize(
        request, {Role::faq_editor, Role::city_admin, Role::district_admin, Role::legal_desk});
    if (auto* denied = std::get_if<net::HttpResponse>(&authorized)) co_return std::move(*denied);
    auto target = net::parse_target(request.target);
    if (!target) co_return net::HttpResponse::error(400, "bad query");
    auto status = parse_status(target->get("status"));
    if (!status)
        co_return net::HttpResponse::error(400, "status must be member, applicant or none");
    auto catalog = live_.benefits();
    if (!catalog) co_return net::HttpResponse::error(503, "no benefit catalog loaded yet");
    std::string date(target->get("date"));  // if, not ?: (docs/coroutines.md)
    if (date.empty()) date = china_date(clock_());
    const std::string district(target->get("district"));
    json ids = json::array();
    for (const auto* b : faq::benefits_for(*catalog, district, *status, date)) ids.push_back(b->id);
    co_return json_response(200, {{"version", live_.version(faq::ContentKind::benefits)},
                                  {"benefits", ids},
                                  {"text", faq::benefits_text(*catalog, district, *status, date)}});
}

asio::awaitable<net::HttpResponse> ContentApi::nearest(net::HttpRequest& request) {
    auto authorized = auth_.authorize(
        request, {Role::faq_editor, Role::city_admin, Role::district_admin, Role::legal_desk});
    if (auto* denied = std::get_if<net::HttpResponse>(&authorized)) co_return std::move(*denied);
    auto target = net::parse_target(request.target);
    if (!target) co_return net::HttpResponse::error(400, "bad query");
    auto lat = parse_double(target->find("lat"));
    auto lng = parse_double(target->find("lng"));
    std::string from;
    auto catalog = live_.stations();
    if (target->has("place")) {
        const faq::Place* place = catalog ? catalog->find_place(target->get("place")) : nullptr;
        if (!place) co_return net::HttpResponse::error(404, "unknown place");
        lat = place->lat, lng = place->lng, from = place->name;
    }
    if (!lat || !lng || *lat < -85.05 || *lat > 85.05 || *lng < -180 || *lng > 180)
        co_return net::HttpResponse::error(400, "lat and lng (or place) are required");
    const auto nearby = co_await geo_.nearest(*lat, *lng, 3);
    json list = json::array();
    for (const auto& n : nearby)
        list.push_back({{"id", n.station.id},
                        {"name", n.station.name},
                        {"district", n.station.district},
                        {"distance_km", n.distance_km},
                        {"services", n.station.services}});
    co_return json_response(
        200,
        {{"stations", list}, {"text", faq::nearest_text(nearby, from, catalog && catalog->demo)}});
}

}  // namespace kayou::bot::admin
