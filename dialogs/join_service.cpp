#include "dialogs/join_service.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "crypto/random.hpp"
#include "dialogs/binding_dialog.hpp"
#include "dialogs/validators.hpp"
#include "members/application_store.hpp"
#include "members/calendar.hpp"
#include "members/chat_binding.hpp"
#include "members/join_link.hpp"
#include "members/phone_verification.hpp"
#include "members/promoters.hpp"
#include "notify/sms_outbox.hpp"
#include "redis/client.hpp"
#include "text/markup.hpp"

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

WebAnswer json_answer(int status, const json& body) {
    return {status, "application/json; charset=utf-8",
            body.dump(-1, ' ', false, json::error_handler_t::replace)};
}

WebAnswer field_error(std::string_view field, std::string_view error) {
    return json_answer(400, {{"ok", false}, {"field", field}, {"error", error}});
}

constexpr std::string_view kLinkExpired = "链接已过期，请在群里重新发送“入会”";
constexpr std::string_view kLinkUsed =
    "这个链接已经提交过一份申请，不能再用。请在群里重新发送“入会”获取新链接，或私聊卡友小助手办理"
    "。";

WebAnswer link_used() { return json_answer(409, {{"ok", false}, {"error", kLinkUsed}}); }

std::string text_field(const json& object, const char* key) {
    const auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// What the page hears about a code request (members/code_caps.hpp: web texts, no chat commands).
WebAnswer code_answer(const members::CodeSend& sent, std::chrono::seconds code_ttl) {
    using members::CodeVerdict;
    if (sent.verdict == CodeVerdict::prove)
        return json_answer(428, {{"ok", false},
                                 {"challenge", sent.challenge},
                                 {"bits", sent.bits},
                                 {"message", "正在进行安全验证，请稍候……"}});
    if (sent.verdict == CodeVerdict::refuse)
        return json_answer(429, {{"ok", false},
                                 {"field", "mobile"},
                                 {"cap", members::to_string(sent.cap)},
                                 {"error", members::web_refusal_text(sent.cap)}});
    if (sent.failed)
        return json_answer(503, {{"ok", false},
                                 {"field", "mobile"},
                                 {"error", "短信暂时发不出去，请稍后再点“获取验证码”。"}});
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(code_ttl).count();
    return json_answer(
        200,
        {{"ok", true}, {"message", "验证码已发送，" + std::to_string(minutes) + "分钟内有效。"}});
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
<form id="f" data-t="{{TOKEN}}">
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
<script src="/join/page.js"></script></body></html>
)html";

// The page's script, served from /join/page.js so that the page's Content-Security-Policy can
// forbid every inline script (bot/app.cpp, install_join_routes).
constexpr std::string_view kPageScript =
    R"js(var T=document.getElementById('f').getAttribute('data-t');
function data(){var o={t:T};new FormData(document.getElementById('f')).forEach(function(v,k){o[k]=v});return o}
function show(r){var m=document.getElementById('msg');m.className=r.ok?'':'err';m.textContent=r.message||r.error||''}
function post(u,o){return fetch(u,{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify(o)}).then(function(r){return r.json()})}
// Proof of work (members/code_caps.hpp): once a link or a network asked for several codes, the
// server sends a challenge; the smallest n with SHA-256(challenge+":"+n) starting with `bits`
// zero bits is found here (in slices, so the page stays responsive) and sent with the request.
var K=[1116352408,1899447441,3049323471,3921009573,961987163,1508970993,2453635748,2870763221,3624381080,310598401,607225278,1426881987,1925078388,2162078206,2614888103,3248222580,3835390401,4022224774,264347078,604807628,770255983,1249150122,1555081692,1996064986,2554220882,2821834349,2952996808,3210313671,3336571891,3584528711,113926993,338241895,666307205,773529912,1294757372,1396182291,1695183700,1986661051,2177026350,2456956037,2730485921,2820302411,3259730800,3345764771,3516065817,3600352804,4094571909,275423344,430227734,506948616,659060556,883997877,958139571,1322822218,1537002063,1747873779,1955562222,2024104815,2227730452,2361852424,2428436474,2756734187,3204031479,3329325298];
var W=new Int32Array(64);
function sha(m){var H=[1779033703,3144134277,1013904242,2773480762,1359893119,2600822924,528734635,1541459225],l=m.length,n=((l+8>>6)+1)*16,w=new Int32Array(n),i,j,a,b,c,d,e,f,g,h,x,y,t,u;
for(i=0;i<l;i++)w[i>>2]|=m.charCodeAt(i)<<24-(i&3)*8;w[l>>2]|=128<<24-(l&3)*8;w[n-1]=l*8;
for(i=0;i<n;i+=16){a=H[0];b=H[1];c=H[2];d=H[3];e=H[4];f=H[5];g=H[6];h=H[7];
for(j=0;j<64;j++){if(j<16)W[j]=w[i+j];else{x=W[j-15];y=W[j-2];W[j]=((x>>>7|x<<25)^(x>>>18|x<<14)^x>>>3)+((y>>>17|y<<15)^(y>>>19|y<<13)^y>>>10)+W[j-7]+W[j-16]|0}
t=h+((e>>>6|e<<26)^(e>>>11|e<<21)^(e>>>25|e<<7))+(e&f^~e&g)+K[j]+W[j]|0;u=((a>>>2|a<<30)^(a>>>13|a<<19)^(a>>>22|a<<10))+(a&b^a&c^b&c)|0;
h=g;g=f;f=e;e=d+t|0;d=c;c=b;b=a;a=t+u|0}
H[0]=H[0]+a|0;H[1]=H[1]+b|0;H[2]=H[2]+c|0;H[3]=H[3]+d|0;H[4]=H[4]+e|0;H[5]=H[5]+f|0;H[6]=H[6]+g|0;H[7]=H[7]+h|0}return H}
function zeros(H){var z=0,i;for(i=0;i<8;i++){if(H[i]===0){z+=32;continue}return z+Math.clz32(H[i])}return z}
function solve(c,bits){return new Promise(function(ok){var n=0;(function slice(){for(var end=n+20000;n<end;n++)if(zeros(sha(c+':'+n))>=bits)return ok(String(n));setTimeout(slice,0)})()})}
function code(extra,round){var o={t:T,mobile:data().mobile};for(var k in extra)o[k]=extra[k];
return post('/join/code',o).then(function(r){if(r.challenge&&round<3){show({ok:true,message:r.message});return solve(r.challenge,r.bits).then(function(n){return code({challenge:r.challenge,nonce:n},round+1)})}show(r)})}
document.getElementById('send').onclick=function(){code({},0)};
document.getElementById('f').onsubmit=function(e){e.preventDefault();post('/join/submit',data()).then(function(r){show(r);if(r.ok)document.getElementById('f').style.display='none'})};
)js";

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
    members::DistrictCatalog districts;
    members::WorkingCalendar calendar;
    std::shared_ptr<const faq::IntentModel> intents;
    ConversationStore conversations;
    members::ApplicationStore applications;
    members::PhoneVerification verification;
    members::ChatBinding binding;
    members::PromoterStore promoters;
    notify::SmsOutbox& sms;
    members::CodeDesk codes;
    std::string link_key;
    Log log;
    std::function<std::chrono::sys_seconds()> now;
    std::unique_ptr<RouterDialog> router;
    // "绑定 <code>" links a 1:1 chat to a web application before the router sees anything.
    std::unique_ptr<BindingDialog> dialog;
    std::shared_ptr<redis::Client> redis;

    Impl(std::shared_ptr<redis::Client> redis, crypto::SealedBox b, notify::SmsOutbox& s,
         JoinSetup js, Log l, std::function<std::chrono::sys_seconds()> n)
        : setup(std::move(js)),
          box(std::move(b)),
          script(FlowScript::load_file(resolve_data_path(setup.flow_file))),
          districts(members::DistrictCatalog::from_yaml(
              read_text(resolve_data_path(setup.districts_file)))),
          calendar(members::WorkingCalendar::load_directory(resolve_data_path(setup.calendar_dir))),
          intents(faq::IntentModel::build(faq::parse_intent_script(
              read_text(resolve_data_path(setup.intents_file)), setup.intents_file))),
          conversations(redis, box, setup.key_prefix, setup.timing),
          applications(redis, box, setup.key_prefix),
          verification(redis, box, setup.key_prefix,
                       members::VerificationLimits{setup.codes.code_ttl, 5}),
          binding(redis, box, setup.key_prefix),
          promoters(redis, box, setup.key_prefix),
          sms(s),
          codes(redis, box, verification, sms, code_options(setup), now_or_clock(n),
                setup.code_event),
          // A link key derived from the data key under its own label: one secret to manage,
          // and the encryption key itself is never used as a MAC key.
          link_key(box.lookup_hash("kayou-join-link-key-v1")),
          log(std::move(l)),
          now(now_or_clock(std::move(n))) {
        calendar.set_office_hours(setup.office_hours);
        RouterServices services;
        services.script = &script;
        services.districts = &districts;
        services.calendar = &calendar;
        services.conversations = &conversations;
        services.applications = &applications;
        services.codes = &codes;
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
        dialog = std::make_unique<BindingDialog>(*router, binding, applications, log);
    }

    static std::function<std::chrono::sys_seconds()> now_or_clock(
        std::function<std::chrono::sys_seconds()> given) {
        if (given) return given;
        return [] {
            return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        };
    }
    static members::CodeDeskOptions code_options(const JoinSetup& setup) {
        auto options = setup.codes;
        options.key_prefix = setup.key_prefix;
        return options;
    }

    std::optional<members::JoinLinkClaims> claims(const std::string& token) const {
        return members::verify_join_token(link_key, token, now().time_since_epoch().count());
    }

    std::string claim_key(const members::JoinLinkClaims& claims) const {
        return members::join_link_claim_key(setup.key_prefix, claims.nonce);
    }

    // Whether a submit already used the link (the submit script decides for good).
    asio::awaitable<bool> used(const members::JoinLinkClaims& claims) {
        std::vector<std::string> command{"EXISTS", claim_key(claims)};
        auto reply = co_await redis->exec(std::move(command));
        co_return reply.is_integer() && reply.integer == 1;
    }
};

JoinService::JoinService(std::shared_ptr<redis::Client> redis, crypto::SealedBox box,
                         notify::SmsOutbox& sms, JoinSetup setup, Log log,
                         std::function<std::chrono::sys_seconds()> now)
    : impl_(std::make_unique<Impl>(redis, std::move(box), sms, std::move(setup), std::move(log),
                                   std::move(now))) {
    impl_->redis = std::move(redis);
}

JoinService::~JoinService() = default;

Dialog& JoinService::dialog() { return *impl_->dialog; }
std::shared_ptr<const faq::IntentModel> JoinService::intents() const { return impl_->intents; }
const members::DistrictCatalog& JoinService::districts() const { return impl_->districts; }
const members::WorkingCalendar& JoinService::calendar() const { return impl_->calendar; }
members::ApplicationStore& JoinService::applications() { return impl_->applications; }
members::CodeDesk& JoinService::codes() { return impl_->codes; }
members::PromoterStore& JoinService::promoters() { return impl_->promoters; }

std::vector<int> JoinService::reload_calendar() {
    auto fresh =
        members::WorkingCalendar::load_directory(resolve_data_path(impl_->setup.calendar_dir));
    fresh.set_office_hours(impl_->calendar.office_hours());
    impl_->calendar = std::move(fresh);
    return impl_->calendar.covered_years();
}

asio::awaitable<WebAnswer> JoinService::web_page(std::string token) {
    const auto claims = impl_->claims(token);
    if (!claims)
        co_return WebAnswer{403, "text/html; charset=utf-8",
                            "<!doctype html><meta charset=utf-8><meta name=viewport "
                            "content='width=device-width'><p>链接已过期或无效。请在群里重新发送"
                            "“入会”获取新链接，或私聊卡友小助手办理。</p>"};
    if (co_await impl_->used(*claims))
        co_return WebAnswer{409, "text/html; charset=utf-8",
                            "<!doctype html><meta charset=utf-8><meta name=viewport "
                            "content='width=device-width'><p>" +
                                std::string(kLinkUsed) + "</p>"};
    std::string options;
    for (const auto& district : impl_->districts.all())
        options += "<option value=\"" + text::markup_escape(district.id) + "\">" +
                   text::markup_escape(district.name) + "</option>";
    std::string page(kPage);
    page.replace(page.find("{{DISTRICTS}}"), 13, options);
    // The token is base64url + '.'; escaped anyway, as it sits in an attribute.
    page.replace(page.find("{{TOKEN}}"), 9, text::markup_escape(token));
    co_return WebAnswer{200, "text/html; charset=utf-8", std::move(page)};
}

namespace {
WebAnswer promo_page(int status, std::string_view text) {
    return WebAnswer{status, "text/html; charset=utf-8",
                     "<!doctype html><meta charset=utf-8><meta name=viewport "
                     "content='width=device-width'><p>" +
                         std::string(text) + "</p>"};
}
}  // namespace

asio::awaitable<WebAnswer> JoinService::web_promo(std::string token, std::string client_address) {
    const auto now = impl_->now().time_since_epoch().count();
    const auto promo = impl_->promoters.verify(token, now);
    if (!promo)
        co_return promo_page(403, "这个二维码或链接已过期或无效。请私聊卡友小助手发送“入会”办理。");
    const auto promoter = co_await impl_->promoters.get(promo->promoter);
    if (!promoter || promoter->expires <= now)
        co_return promo_page(404, "这个宣传活动已经结束。请私聊卡友小助手发送“入会”办理。");
    // Each scan is a new single-use link, so the poster is counted like a group handing out
    // links: per promoter and per network, before anything is signed.
    auto verdict = co_await impl_->codes.mint_promo_link(promoter->id, std::move(client_address));
    if (verdict != members::LinkMintVerdict::mint)
        co_return promo_page(429,
                             "扫码的人太多了，请过一会儿再扫，或私聊卡友小助手发送“入会”办理。");
    members::JoinLinkClaims claims;
    claims.expires = now + impl_->setup.link_ttl.count();
    claims.nonce = crypto::random_alnum(16);
    claims.promoter = promoter->id;
    WebAnswer answer = promo_page(303, "正在打开入会页面……");
    answer.location = "/join?t=" + members::sign_join_token(impl_->link_key, claims);
    co_return answer;
}

WebAnswer JoinService::web_script() {
    return WebAnswer{200, "text/javascript; charset=utf-8", std::string(kPageScript)};
}

asio::awaitable<WebAnswer> JoinService::web_code(std::string body, std::string client_address) {
    const auto request = json::parse(body, nullptr, false);
    if (!request.is_object()) co_return field_error("", "请求格式不对");
    const auto claims = impl_->claims(text_field(request, "t"));
    if (!claims) co_return json_answer(403, {{"ok", false}, {"error", kLinkExpired}});
    if (co_await impl_->used(*claims)) co_return link_used();
    const auto mobile = validate_mobile(text_field(request, "mobile"));
    if (!mobile.ok) co_return field_error("mobile", mobile.error);
    auto who =
        members::web_requester(*claims, std::move(client_address), text_field(request, "challenge"),
                               text_field(request, "nonce"));
    auto sent = co_await impl_->codes.send(mobile.value, std::move(who));
    co_return code_answer(sent, impl_->setup.codes.code_ttl);
}

asio::awaitable<WebAnswer> JoinService::web_submit(std::string body) {
    const auto request = json::parse(body, nullptr, false);
    if (!request.is_object()) co_return field_error("", "请求格式不对");
    const auto claims = impl_->claims(request.value("t", std::string()));
    if (!claims) co_return json_answer(403, {{"ok", false}, {"error", kLinkExpired}});
    // Answered before anything is checked or consumed (the code stays valid): a used link
    // stores nothing, whoever sends it.
    if (co_await impl_->used(*claims)) co_return link_used();
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
    const members::District* district = impl_->districts.find(field("district"));
    if (!district) {
        const auto match = impl_->districts.match(field("district"));
        if (match.kind == members::DistrictCatalog::Match::Kind::unique)
            district = match.candidates.front();
    }
    if (!district) co_return field_error("district", "请选择所在区县");
    const auto employer = validate_employer(field("employer"));
    if (!employer.ok) co_return field_error("employer", employer.error);
    const auto code = field("code");
    if (code.size() != 6) co_return field_error("code", members::web_check_text("format", 0));
    // Only the code this link asked for (members/code_desk.hpp); web texts, not chat commands.
    auto checked =
        co_await impl_->codes.check(mobile.value, members::web_requester(*claims, {}), code);
    if (checked.outcome != "ok")
        co_return field_error("code", members::web_check_text(checked.outcome, checked.remaining));
    members::NewApplication application;
    application.name = name.value;
    application.id_card = id_card.value;
    application.mobile = mobile.value;
    application.plate = plate.value;
    application.district = district->id;
    application.employer = employer.value;
    application.channel = "web";
    // No chat owns it: the link may have been opened by anyone in a group. Its applicant is who
    // proved this phone; he links his chat with the bind code below (members/chat_binding.hpp).
    application.driver.clear();
    application.link_claim_key = impl_->claim_key(*claims);
    // Kept until the token has expired anyway, so the claim outlives every use of the link.
    application.link_claim_ttl = std::chrono::seconds(std::max<std::int64_t>(
                                     claims->expires - now.time_since_epoch().count(), 0)) +
                                 std::chrono::hours(1);
    // The attribution is in the signed link: the page cannot choose or change it.
    application.promoter = claims->promoter;
    application.submitted = now;
    const auto deadline = impl_->calendar.deadline_for(now);
    if (!deadline.fully_covered() && impl_->log)
        impl_->log("deadline_calendar_gap", deadline.warning());
    application.deadline = deadline.at;
    auto submitted = co_await impl_->applications.submit(std::move(application));
    if (submitted.link_used) co_return link_used();
    if (!submitted.created && !submitted.same_applicant) {
        // An ID number someone else applied with: whoever typed it learns nothing about that
        // application (its number and status belong to the phone that applied).
        co_return json_answer(
            200,
            {{"ok", true}, {"created", false}, {"message", impl_->script.text("existing_other")}});
    }
    const std::map<std::string, std::string> values{
        {"application_id", submitted.application.id},
        {"deadline", submitted.application.deadline_text},
        {"status", members::status_text(submitted.application.status)}};
    std::string message =
        fill_text(impl_->script.text(submitted.created ? "submitted" : "existing"), values);
    json answer{{"ok", true},
                {"created", submitted.created},
                {"application_id", submitted.application.id},
                {"deadline", submitted.application.deadline_text}};
    // The bind code: how the applicant, and only he, links his own 1:1 chat to this application.
    std::string bind_code;
    try {
        bind_code = co_await impl_->binding.issue(submitted.application.id);
    } catch (const std::exception&) {
        if (impl_->log) impl_->log("bind_code_issue_failed", "");
    }
    if (!bind_code.empty()) {
        message +=
            "\n想在微信里查进度：私聊卡友小助手发送“绑定 " + bind_code +
            "”（7天内有效，只能用一次，不要发到群里）。也可以用申请手机号回复短信“进度”查询。";
        answer["bind_code"] = bind_code;
    }
    answer["message"] = std::move(message);
    co_return json_answer(200, answer);
}

}  // namespace kayou::dialogs
