#include "bot/join_pages.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "dialogs/flow_script.hpp"
#include "dialogs/router_dialog.hpp"
#include "dialogs/validators.hpp"
#include "members/application_store.hpp"
#include "members/chat_binding.hpp"
#include "members/code_caps.hpp"
#include "members/districts.hpp"
#include "members/join_desk.hpp"
#include "members/promoters.hpp"
#include "net/query.hpp"
#include "text/beijing_time.hpp"
#include "text/markup.hpp"

namespace kayou::bot {

namespace asio = boost::asio;
using nlohmann::json;
using Answer = JoinPages::Answer;

namespace {

Answer json_answer(int status, const json& body) {
    return {status, "application/json; charset=utf-8",
            body.dump(-1, ' ', false, json::error_handler_t::replace)};
}

Answer field_error(std::string_view field, std::string_view error) {
    return json_answer(400, {{"ok", false}, {"field", field}, {"error", error}});
}

constexpr std::string_view kLinkExpired = "链接已过期，请在群里重新发送“入会”";
constexpr std::string_view kLinkUsed =
    "这个链接已经提交过一份申请，不能再用。请在群里重新发送“入会”获取新链接，或私聊卡友小助手办理"
    "。";

Answer link_used() { return json_answer(409, {{"ok", false}, {"error", kLinkUsed}}); }

std::string text_field(const json& object, const char* key) {
    const auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// What the page hears about a code request (members/code_caps.hpp: web texts, no chat commands).
Answer code_answer(const members::CodeSend& sent, std::chrono::seconds code_ttl) {
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
<label>车牌号<input name="plate" required placeholder="苏D12345（没有固定开的车填“无”）"></label>
<label>所在区县<select name="district">{{DISTRICTS}}</select></label>
<label>挂靠单位/接单平台（没有可不填）<input name="employer"></label>
<button type="submit">提交申请</button>
</form>
<div id="msg"></div>
<script src="/join/page.js"></script></body></html>
)html";

// The page's script, served from /join/page.js so that the page's Content-Security-Policy can
// forbid every inline script (join_response below).
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

Answer short_page(int status, std::string_view text) {
    return Answer{status, "text/html; charset=utf-8",
                  "<!doctype html><meta charset=utf-8><meta name=viewport "
                  "content='width=device-width'><p>" +
                      std::string(text) + "</p>"};
}

// The join and poster links carry their token as ?t=; "" when absent or the query is malformed.
std::string link_token(const net::HttpRequest& request) {
    auto query = net::parse_query(request.query);
    std::string token;
    if (query.ok())
        for (const auto& [key, value] : *query)
            if (key == "t") token = value;
    return token;
}

// Every join answer: never cached, never sniffed, no Referer (the link token is in the page's
// URL); pages run only their own script (/join/page.js) and are never framed.
net::HttpResponse join_response(Answer web) {
    const bool page = web.content_type.rfind("text/html", 0) == 0;
    net::HttpResponse response{web.status, web.content_type, std::move(web.body), {}};
    if (!web.location.empty()) response.headers.emplace_back("Location", web.location);
    response.headers.emplace_back("Cache-Control", "no-store");
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    response.headers.emplace_back("Referrer-Policy", "no-referrer");
    if (page) {
        response.headers.emplace_back(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            "form-action 'none'");
        response.headers.emplace_back("X-Frame-Options", "DENY");
    }
    return response;
}

}  // namespace

JoinPages::JoinPages(members::JoinDesk& desk, const members::DistrictCatalog& districts,
                     members::PromoterStore& promoters, members::ChatBinding& binding,
                     const dialogs::FlowScript& script, bool trust_forwarded_for, Log log)
    : desk_(desk),
      districts_(districts),
      promoters_(promoters),
      binding_(binding),
      script_(script),
      trust_forwarded_for_(trust_forwarded_for),
      log_(std::move(log)) {}

std::string JoinPages::client_address(const net::HttpRequest& request) const {
    return members::client_address(request.remote_address, request.header("x-forwarded-for"),
                                   trust_forwarded_for_);
}

asio::awaitable<net::HttpResponse> JoinPages::page(net::HttpRequest& request) {
    if (request.method != "GET") co_return net::HttpResponse::error(405, "method not allowed");
    auto answer = co_await page_for(link_token(request));
    co_return join_response(std::move(answer));
}

asio::awaitable<net::HttpResponse> JoinPages::promo(net::HttpRequest& request) {
    if (request.method != "GET") co_return net::HttpResponse::error(405, "method not allowed");
    auto answer = co_await promo_for(link_token(request), client_address(request));
    co_return join_response(std::move(answer));
}

asio::awaitable<net::HttpResponse> JoinPages::script(net::HttpRequest& request) {
    if (request.method != "GET") co_return net::HttpResponse::error(405, "method not allowed");
    co_return join_response(
        Answer{200, "text/javascript; charset=utf-8", std::string(kPageScript)});
}

asio::awaitable<net::HttpResponse> JoinPages::code(net::HttpRequest& request) {
    if (request.method != "POST") co_return net::HttpResponse::error(405, "method not allowed");
    // The client address counts against members.code_caps.address_per_hour.
    auto answer = co_await code_for(std::move(request.body), client_address(request));
    co_return join_response(std::move(answer));
}

asio::awaitable<net::HttpResponse> JoinPages::submit(net::HttpRequest& request) {
    if (request.method != "POST") co_return net::HttpResponse::error(405, "method not allowed");
    auto answer = co_await submit_for(std::move(request.body));
    co_return join_response(std::move(answer));
}

asio::awaitable<Answer> JoinPages::page_for(std::string token) {
    const auto claims = desk_.verify_link(token);
    if (!claims)
        co_return short_page(403,
                             "链接已过期或无效。请在群里重新发送“入会”获取新链接，或私聊卡友小助手"
                             "办理。");
    if (co_await desk_.link_used(*claims)) co_return short_page(409, kLinkUsed);
    std::string options;
    for (const auto& district : districts_.all())
        options += "<option value=\"" + text::markup_escape(district.id) + "\">" +
                   text::markup_escape(district.name) + "</option>";
    std::string page(kPage);
    page.replace(page.find("{{DISTRICTS}}"), 13, options);
    // The token is base64url + '.'; escaped anyway, as it sits in an attribute.
    page.replace(page.find("{{TOKEN}}"), 9, text::markup_escape(token));
    co_return Answer{200, "text/html; charset=utf-8", std::move(page)};
}

asio::awaitable<Answer> JoinPages::promo_for(std::string token, std::string client_address) {
    const auto now = desk_.now().time_since_epoch().count();
    const auto promo = promoters_.verify(token, now);
    if (!promo)
        co_return short_page(403, "这个二维码或链接已过期或无效。请私聊卡友小助手发送“入会”办理。");
    const auto promoter = co_await promoters_.get(promo->promoter);
    if (!promoter || promoter->expires <= now)
        co_return short_page(404, "这个宣传活动已经结束。请私聊卡友小助手发送“入会”办理。");
    // Each scan is a new single-use link, so the poster is counted like a group handing out
    // links: per promoter and per network, before anything is signed.
    auto link = co_await desk_.promo_link_token(promoter->id, std::move(client_address));
    if (!link)
        co_return short_page(429,
                             "扫码的人太多了，请过一会儿再扫，或私聊卡友小助手发送“入会”办理。");
    Answer answer = short_page(303, "正在打开入会页面……");
    answer.location = "/join?t=" + *link;
    co_return answer;
}

asio::awaitable<Answer> JoinPages::code_for(std::string body, std::string client_address) {
    const auto request = json::parse(body, nullptr, false);
    if (!request.is_object()) co_return field_error("", "请求格式不对");
    const auto claims = desk_.verify_link(text_field(request, "t"));
    if (!claims) co_return json_answer(403, {{"ok", false}, {"error", kLinkExpired}});
    if (co_await desk_.link_used(*claims)) co_return link_used();
    const auto mobile = dialogs::validate_mobile(text_field(request, "mobile"));
    if (!mobile.ok) co_return field_error("mobile", mobile.error);
    auto who =
        members::web_requester(*claims, std::move(client_address), text_field(request, "challenge"),
                               text_field(request, "nonce"));
    auto sent = co_await desk_.send_code(mobile.value, std::move(who));
    co_return code_answer(sent, desk_.code_ttl());
}

asio::awaitable<Answer> JoinPages::submit_for(std::string body) {
    const auto request = json::parse(body, nullptr, false);
    if (!request.is_object()) co_return field_error("", "请求格式不对");
    const auto claims = desk_.verify_link(request.value("t", std::string()));
    if (!claims) co_return json_answer(403, {{"ok", false}, {"error", kLinkExpired}});
    // Answered before anything is checked or consumed (the code stays valid): a used link
    // stores nothing, whoever sends it.
    if (co_await desk_.link_used(*claims)) co_return link_used();
    auto field = [&](const char* key) { return text_field(request, key); };
    const auto name = dialogs::validate_name(field("name"));
    if (!name.ok) co_return field_error("name", name.error);
    const auto today = text::beijing_yyyymmdd(desk_.now());
    const auto id_card = dialogs::validate_id_card(field("id_card"), today);
    if (!id_card.ok) co_return field_error("id_card", id_card.error);
    const auto mobile = dialogs::validate_mobile(field("mobile"));
    if (!mobile.ok) co_return field_error("mobile", mobile.error);
    const auto plate = dialogs::validate_plate(field("plate"));
    if (!plate.ok) co_return field_error("plate", plate.error);
    const members::District* district = districts_.find(field("district"));
    if (!district) {
        const auto match = districts_.match(field("district"));
        if (match.kind == members::DistrictCatalog::Match::Kind::unique)
            district = match.candidates.front();
    }
    if (!district) co_return field_error("district", "请选择所在区县");
    const auto employer = dialogs::validate_employer(field("employer"));
    if (!employer.ok) co_return field_error("employer", employer.error);
    const auto code = field("code");
    if (code.size() != 6) co_return field_error("code", members::web_check_text("format", 0));
    // Only the code this link asked for (members/code_desk.hpp); web texts, not chat commands.
    auto checked =
        co_await desk_.check_code(mobile.value, members::web_requester(*claims, {}), code);
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
    auto submitted = co_await desk_.submit_through_link(std::move(application), *claims);
    if (submitted.link_used) co_return link_used();
    if (!submitted.created && !submitted.same_applicant) {
        // An ID number someone else applied with: whoever typed it learns nothing about that
        // application (its number and status belong to the phone that applied).
        co_return json_answer(
            200, {{"ok", true}, {"created", false}, {"message", script_.text("existing_other")}});
    }
    const std::map<std::string, std::string> values{
        {"application_id", submitted.application.id},
        {"deadline", submitted.application.deadline_text},
        {"status", members::status_text(submitted.application.status)}};
    std::string message =
        dialogs::fill_text(script_.text(submitted.created ? "submitted" : "existing"), values);
    json answer{{"ok", true},
                {"created", submitted.created},
                {"application_id", submitted.application.id},
                {"deadline", submitted.application.deadline_text}};
    auto bind_code = co_await bind_code_for(submitted.application.id);
    if (!bind_code.empty()) {
        message +=
            "\n想在微信里查进度：私聊卡友小助手发送“绑定 " + bind_code +
            "”（7天内有效，只能用一次，不要发到群里）。也可以用申请手机号回复短信“进度”查询。";
        answer["bind_code"] = bind_code;
    }
    answer["message"] = std::move(message);
    co_return json_answer(200, answer);
}

// The bind code: how the applicant, and only he, links his own 1:1 chat to this application.
asio::awaitable<std::string> JoinPages::bind_code_for(std::string application_id) {
    std::string bind_code;
    try {
        bind_code = co_await binding_.issue(std::move(application_id));
    } catch (const std::exception&) {
        if (log_) log_("bind_code_issue_failed", "");
    }
    co_return bind_code;
}

}  // namespace kayou::bot
