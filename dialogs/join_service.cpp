#include "dialogs/join_service.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "crypto/random.hpp"
#include "dialogs/validators.hpp"
#include "members/application_store.hpp"
#include "members/join_link.hpp"
#include "members/phone_verification.hpp"
#include "notify/calendar.hpp"
#include "notify/sms_outbox.hpp"

#ifndef KAYOU_DATA_SOURCE_DIR
#define KAYOU_DATA_SOURCE_DIR ""
#endif

namespace kayou::dialogs {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

std::string read_text(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw std::runtime_error(path + ": cannot open");
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

std::string html_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

WebAnswer json_answer(int status, const json& body) {
    return {status, "application/json; charset=utf-8",
            body.dump(-1, ' ', false, json::error_handler_t::replace)};
}

WebAnswer field_error(std::string_view field, std::string_view error) {
    return json_answer(400, {{"ok", false}, {"field", field}, {"error", error}});
}

// The page is deliberately plain: one form, big inputs, works on any phone browser, no
// third-party script. It posts JSON to /join/code and /join/submit, which use the same
// validators and submit as the chat flow.
constexpr std::string_view kPage = R"html(<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>卡友工会 · 入会申请</title>
<style>
body{font-family:sans-serif;margin:0;padding:16px;background:#f5f5f5;font-size:17px}
h1{font-size:20px}label{display:block;margin-top:12px}
input,select,button{width:100%;box-sizing:border-box;font-size:17px;padding:10px;margin-top:4px}
button{background:#c0392b;color:#fff;border:0;border-radius:6px;margin-top:16px}
.row{display:flex;gap:8px}.row input{flex:2}.row button{flex:1;margin-top:4px}
#msg{margin-top:16px;white-space:pre-wrap}.err{color:#c0392b}
</style></head><body>
<h1>加入工会 · 入会申请</h1>
<p>信息仅用于入会登记，加密保存。1个工作日内办结，结果短信通知。</p>
<form id="f">
<label>姓名<input name="name" required autocomplete="name"></label>
<label>身份证号<input name="id_card" required maxlength="22"></label>
<label>手机号<div class="row"><input name="mobile" required inputmode="tel">
<button type="button" id="send">获取验证码</button></div></label>
<label>短信验证码<input name="code" required inputmode="numeric" maxlength="6"></label>
<label>车牌号<input name="plate" required placeholder="苏D12345"></label>
<label>所在区县<select name="district">{{DISTRICTS}}</select></label>
<label>挂靠单位/接单平台（没有可不填）<input name="employer"></label>
<button type="submit">提交申请</button>
</form>
<div id="msg"></div>
<script>
var T={{TOKEN}};
function data(){var o={t:T};new FormData(document.getElementById('f')).forEach(function(v,k){o[k]=v});return o}
function show(r){var m=document.getElementById('msg');m.className=r.ok?'':'err';m.textContent=r.message||r.error||''}
function post(u,o){return fetch(u,{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify(o)}).then(function(r){return r.json()})}
document.getElementById('send').onclick=function(){post('/join/code',{t:T,mobile:data().mobile}).then(show)};
document.getElementById('f').onsubmit=function(e){e.preventDefault();post('/join/submit',data()).then(function(r){show(r);if(r.ok)document.getElementById('f').style.display='none'})};
</script></body></html>
)html";

}  // namespace

std::string resolve_data_path(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ignored;
    if (fs::path(path).is_absolute() || fs::exists(path, ignored)) return path;
    const std::string source(KAYOU_DATA_SOURCE_DIR);
    if (!source.empty() && fs::exists(fs::path(source) / path, ignored))
        return (fs::path(source) / path).string();
    return path;
}

struct JoinService::Impl {
    JoinSetup setup;
    crypto::SealedBox box;
    FlowScript script;
    DistrictCatalog districts;
    notify::WorkingCalendar calendar;
    std::shared_ptr<const faq::IntentModel> intents;
    ConversationStore conversations;
    members::ApplicationStore applications;
    members::PhoneVerification verification;
    notify::SmsOutbox& sms;
    std::string link_key;
    Log log;
    std::function<std::chrono::sys_seconds()> now;
    std::unique_ptr<RouterDialog> router;

    Impl(std::shared_ptr<redis::Client> redis, crypto::SealedBox b, notify::SmsOutbox& s,
         JoinSetup js, Log l, std::function<std::chrono::sys_seconds()> n)
        : setup(std::move(js)),
          box(std::move(b)),
          script(FlowScript::load_file(resolve_data_path(setup.flow_file))),
          districts(DistrictCatalog::from_yaml(read_text(resolve_data_path(setup.districts_file)))),
          calendar(notify::WorkingCalendar::load_directory(resolve_data_path(setup.calendar_dir))),
          intents(faq::IntentModel::build(faq::parse_intent_script(
              read_text(resolve_data_path(setup.intents_file)), setup.intents_file))),
          conversations(redis, box, setup.key_prefix, setup.timing),
          applications(redis, box, setup.key_prefix),
          verification(redis, box, setup.key_prefix),
          sms(s),
          // A link key derived from the data key under its own label: one secret to manage,
          // and the encryption key itself is never used as a MAC key.
          link_key(box.lookup_hash("kayou-join-link-key-v1")),
          log(std::move(l)),
          now(n ? std::move(n) : [] {
              return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
          }) {
        calendar.set_office_hours(setup.office_hours);
        RouterServices services;
        services.script = &script;
        services.districts = &districts;
        services.calendar = &calendar;
        services.conversations = &conversations;
        services.applications = &applications;
        services.verification = &verification;
        services.sms = &sms;
        services.public_base_url = setup.public_base_url;
        services.link_key = link_key;
        services.link_ttl = setup.link_ttl;
        services.now = now;
        services.log = log;
        services.count = setup.count;
        services.chat = setup.chat;
        services.intents = intents;
        router = std::make_unique<RouterDialog>(std::move(services));
    }

    std::optional<members::JoinLinkClaims> claims(const std::string& token) const {
        return members::verify_join_token(link_key, token, now().time_since_epoch().count());
    }
};

JoinService::JoinService(std::shared_ptr<redis::Client> redis, crypto::SealedBox box,
                         notify::SmsOutbox& sms, JoinSetup setup, Log log,
                         std::function<std::chrono::sys_seconds()> now)
    : impl_(std::make_unique<Impl>(std::move(redis), std::move(box), sms, std::move(setup),
                                   std::move(log), std::move(now))) {}

JoinService::~JoinService() = default;

Dialog& JoinService::dialog() { return *impl_->router; }
const DistrictCatalog& JoinService::districts() const { return impl_->districts; }
const notify::WorkingCalendar& JoinService::calendar() const { return impl_->calendar; }
members::ApplicationStore& JoinService::applications() { return impl_->applications; }

std::vector<int> JoinService::reload_calendar() {
    auto fresh =
        notify::WorkingCalendar::load_directory(resolve_data_path(impl_->setup.calendar_dir));
    fresh.set_office_hours(impl_->calendar.office_hours());
    impl_->calendar = std::move(fresh);
    return impl_->calendar.covered_years();
}

asio::awaitable<WebAnswer> JoinService::web_page(std::string token) {
    if (!impl_->claims(token))
        co_return WebAnswer{403, "text/html; charset=utf-8",
                            "<!doctype html><meta charset=utf-8><meta name=viewport "
                            "content='width=device-width'><p>链接已过期或无效。请在群里重新发送"
                            "“入会”获取新链接，或私聊卡友小助手办理。</p>"};
    std::string options;
    for (const auto& district : impl_->districts.all())
        options += "<option value=\"" + html_escape(district.id) + "\">" +
                   html_escape(district.name) + "</option>";
    std::string page(kPage);
    page.replace(page.find("{{DISTRICTS}}"), 13, options);
    // The token is base64url + '.', safe inside a JSON string literal in a script.
    page.replace(page.find("{{TOKEN}}"), 9, json(token).dump());
    co_return WebAnswer{200, "text/html; charset=utf-8", std::move(page)};
}

asio::awaitable<WebAnswer> JoinService::web_code(std::string body) {
    const auto request = json::parse(body, nullptr, false);
    if (!request.is_object()) co_return field_error("", "请求格式不对");
    if (!impl_->claims(request.value("t", std::string())))
        co_return json_answer(403,
                              {{"ok", false}, {"error", "链接已过期，请在群里重新发送“入会”"}});
    const auto mobile = validate_mobile(request.value("mobile", std::string()));
    if (!mobile.ok) co_return field_error("mobile", mobile.error);
    auto issued = co_await impl_->verification.issue(mobile.value);
    if (issued.outcome == "rate_minute")
        co_return field_error("mobile", impl_->script.text("code_rate_minute"));
    if (issued.outcome == "rate_hour")
        co_return field_error("mobile", impl_->script.text("code_rate_hour"));
    notify::SmsMessage sms;
    sms.phone = mobile.value;
    sms.template_name = "verification_code";
    sms.params = {issued.code, "5"};
    sms.idempotency_key =
        "verify:" + impl_->verification.phone_hash(mobile.value) + ":" + crypto::random_alnum(10);
    sms.kind = notify::SmsMessage::Kind::verification;
    co_await impl_->sms.enqueue(std::move(sms));
    co_return json_answer(200, {{"ok", true}, {"message", "验证码已发送，5分钟内有效。"}});
}

asio::awaitable<WebAnswer> JoinService::web_submit(std::string body) {
    const auto request = json::parse(body, nullptr, false);
    if (!request.is_object()) co_return field_error("", "请求格式不对");
    const auto claims = impl_->claims(request.value("t", std::string()));
    if (!claims)
        co_return json_answer(403,
                              {{"ok", false}, {"error", "链接已过期，请在群里重新发送“入会”"}});
    auto field = [&](const char* key) {
        const auto found = request.find(key);
        return found != request.end() && found->is_string() ? found->get<std::string>()
                                                            : std::string();
    };
    const auto now = impl_->now();
    const auto name = validate_name(field("name"));
    if (!name.ok) co_return field_error("name", name.error);
    const auto id_card = validate_id_card(field("id_card"), RouterDialog::beijing_yyyymmdd(now));
    if (!id_card.ok) co_return field_error("id_card", id_card.error);
    const auto mobile = validate_mobile(field("mobile"));
    if (!mobile.ok) co_return field_error("mobile", mobile.error);
    const auto plate = validate_plate(field("plate"));
    if (!plate.ok) co_return field_error("plate", plate.error);
    const District* district = impl_->districts.find(field("district"));
    if (!district) {
        const auto match = impl_->districts.match(field("district"));
        if (match.kind == DistrictCatalog::Match::Kind::unique) district = match.candidates.front();
    }
    if (!district) co_return field_error("district", "请选择所在区县");
    const auto employer = validate_employer(field("employer"));
    if (!employer.ok) co_return field_error("employer", employer.error);
    const auto code = field("code");
    if (code.size() != 6) co_return field_error("code", impl_->script.text("code_format"));
    auto checked = co_await impl_->verification.check(mobile.value, code);
    if (checked.outcome != "ok") {
        std::string error = checked.outcome == "wrong"
                                ? fill_text(impl_->script.text("code_wrong"),
                                            {{"remaining", std::to_string(checked.remaining)}})
                            : checked.outcome == "locked" ? impl_->script.text("code_locked")
                                                          : impl_->script.text("code_expired");
        co_return field_error("code", error);
    }
    members::NewApplication application;
    application.name = name.value;
    application.id_card = id_card.value;
    application.mobile = mobile.value;
    application.plate = plate.value;
    application.district = district->id;
    application.employer = employer.value;
    application.channel = "web";
    application.driver = claims->driver();  // the group member the link was made for
    application.submitted = now;
    const auto deadline = impl_->calendar.deadline_for(now);
    if (!deadline.fully_covered() && impl_->log)
        impl_->log("deadline_calendar_gap", deadline.warning());
    application.deadline = deadline.at;
    auto submitted = co_await impl_->applications.submit(std::move(application));
    const std::map<std::string, std::string> values{
        {"application_id", submitted.application.id},
        {"deadline", submitted.application.deadline_text},
        {"status", members::status_text(submitted.application.status)}};
    co_return json_answer(
        200,
        {{"ok", true},
         {"created", submitted.created},
         {"application_id", submitted.application.id},
         {"deadline", submitted.application.deadline_text},
         {"message",
          fill_text(impl_->script.text(submitted.created ? "submitted" : "existing"), values)}});
}

}  // namespace kayou::dialogs
