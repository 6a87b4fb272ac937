// Issue 17 end to end: a join link posted in a group belongs to nobody until someone completes
// it with a phone proven by SMS code, and it works once; 进度 shows only the asker's own
// application; each applicant finds his own by chat (after binding) and by SMS; station help fits
// the channel; robot replies never form markdown; Redis errors read 0 after a clean start. The
// real kayou binary over loopback HTTP, a real redis-server, requests built the way the bridge,
// the WeCom robot (Tencent's own @wecom/crypto), the OA and the SMS providers build them.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <thread>

#include "bot/channels/bridge.hpp"
#include "bot/channels/wechat_xml.hpp"
#include "crypto/hash.hpp"
#include "crypto/sealed_box.hpp"
#include "crypto/wx_msg_crypt.hpp"
#include "members/code_caps.hpp"
#include "tests/support/chat_client.hpp"
#include "tests/support/fake_sms_provider.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/reference.hpp"
#include "tests/support/sms_fixture.hpp"

namespace kayou::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kBridgeSecret = "bridge-secret-for-issue17-0123456";
constexpr const char* kOaToken = "issue17oatoken";
constexpr const char* kRobotToken = "QDG6eK";
constexpr const char* kRobotAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
constexpr const char* kDataKey = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
constexpr const char* kPublicBase = "https://kayou.test";

const crypto::SealedBox& box() {
    static const auto sealed = *crypto::SealedBox::from_base64_key(kDataKey);
    return sealed;
}

std::string config_yaml(const FakeSmsProvider& fake) {
    const auto& c = fake.credentials();
    return std::string("wechat:\n  official_account:\n    enabled: true\n    token: ") + kOaToken +
           "\n  wecom_bot:\n    enabled: true\n    token: " + kRobotToken +
           "\n    encoding_aes_key: " + kRobotAesKey + "\n    bot_name: 卡友小助手\n" +
           "bridge:\n  enabled: true\n  secret: " + kBridgeSecret +
           "\nprivacy:\n  data_key: " + kDataKey +
           "\nmembers:\n  flow_file: " KAYOU_SOURCE_DIR
           "/config/flows/join.yaml\n  districts_file: " KAYOU_SOURCE_DIR
           "/config/districts.yaml\n  calendar_dir: " KAYOU_SOURCE_DIR
           "/config/calendar\n  public_base_url: " +
           kPublicBase + "\ncontent:\n  seed_dir: " KAYOU_SOURCE_DIR "/faq/data\n" +
           "sms:\n  provider: tencent\n  callback_token: " + kSmsCallbackToken +
           "\n  templates_file: " + sms_templates_file() +
           "\n  tencent:\n    endpoint: " + fake.url() +
           "\n    sdk_app_id: \"1400000001\"\n    secret_id: " + c.tencent_secret_id +
           "\n    secret_key: " + c.tencent_secret_key + "\n";
}

struct Person {
    std::string name;
    std::string id_card;
    std::string mobile;
    std::string plate;
};

// ---- Redis, as an operator would read it ----

std::vector<std::string> cli(std::uint16_t port, const std::string& args) {
    return redis_cli(port, args);
}
std::string cli1(std::uint16_t port, const std::string& args) { return redis_cli1(port, args); }

// The newest verification code the outbox holds for `phone`, waiting (bounded) for `newer_than`
// to be replaced.
std::string latest_code(std::uint16_t port, const std::string& phone,
                        const std::string& newer_than = "") {
    const std::string pattern = "kayou:{sms}:idem:verify:" + box().lookup_hash(phone) + ":*";
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    for (;;) {
        std::string best_code;
        long long best_at = -1;
        for (const auto& idem : cli(port, "--scan --pattern '" + pattern + "'")) {
            const std::string id = cli1(port, "GET '" + idem + "'");
            auto record = redis_hgetall(port, "kayou:{sms}:msg:" + id);
            auto params = box().open(record["params"], "sms:" + id + ":params");
            if (!params) continue;
            const long long at = std::stoll(record["created_ms"]);
            if (at > best_at) {
                best_at = at;
                best_code = json::parse(*params).at(0).get<std::string>();
            }
        }
        if ((!best_code.empty() && best_code != newer_than) ||
            std::chrono::steady_clock::now() > deadline)
            return best_code;
        std::this_thread::sleep_for(20ms);  // polling Redis with a deadline, not synchronising
    }
}

// Application records in Redis.
std::vector<std::string> application_keys(std::uint16_t port) {
    return cli(port, "--scan --pattern 'kayou:app:{*}'");
}

// ---- channels ----

// A signed bridge message; the raw replies (private ones included).
json bridge(std::uint16_t port, const std::string& sender, const std::string& text,
            const std::string& room = "", bool mentioned = false, bool private_replies = false,
            std::optional<std::pair<double, double>> location = std::nullopt) {
    json body = bridge_message(sender, text, room, mentioned);
    if (private_replies) body["private_replies"] = true;
    if (location)
        body["location"] = {
            {"latitude", location->first}, {"longitude", location->second}, {"label", ""}};
    const std::string payload = body.dump();
    const auto ts = std::to_string(unix_now());
    auto response = http_request(
        port, "POST", "/bridge/message", payload,
        {{"Content-Type", "application/json"},
         {"X-Kayou-Timestamp", ts},
         {"X-Kayou-Signature", channels::bridge_signature(kBridgeSecret, ts, payload)}},
        20s);
    EXPECT_EQ(response.status, 200) << response.body;
    if (response.status != 200) return json{{"replies", json::array()}};
    return json::parse(response.body);
}

// The texts of the replies posted where the message came from (not the private ones).
std::string public_text(const json& answer) {
    std::string out;
    for (const auto& reply : answer.at("replies"))
        if (!reply.value("private", false)) out += reply.at("text").get<std::string>() + "\n";
    return out;
}

std::string private_text(const json& answer) {
    std::string out;
    for (const auto& reply : answer.at("replies"))
        if (reply.value("private", false)) out += reply.at("text").get<std::string>() + "\n";
    return out;
}

std::string say(std::uint16_t port, const std::string& sender, const std::string& text) {
    return public_text(bridge(port, sender, text));
}

// The WeCom smart robot: a message encrypted by Tencent's own implementation; the decrypted
// stream content of kayou's answer ("" when it said nothing).
std::string robot(std::uint16_t port, const std::string& user, const std::string& text,
                  const std::string& group = "") {
    static std::atomic<int> counter{0};
    json message{{"msgid", unique_id("robot") + std::to_string(++counter)},
                 {"aibotid", "bot17"},
                 {"chattype", group.empty() ? "single" : "group"},
                 {"from", {{"userid", user}}},
                 {"response_url", "https://example.invalid/r"},
                 {"msgtype", "text"},
                 {"text", {{"content", group.empty() ? text : "@卡友小助手 " + text}}}};
    if (!group.empty()) message["chatid"] = group;
    const auto ts = std::to_string(unix_now());
    auto sealed = reference_encrypt(kRobotAesKey, "", kRobotToken, ts, "17", message.dump());
    auto response = http_request(
        port, "POST",
        "/wx/wecom/bot?msg_signature=" + sealed.signature + "&timestamp=" + ts + "&nonce=17",
        json{{"encrypt", sealed.encrypt}}.dump(), {}, 20s);
    EXPECT_EQ(response.status, 200) << response.body;
    if (response.status != 200 || response.body.empty()) return {};
    auto envelope = json::parse(response.body);
    auto opened =
        reference_decrypt(kRobotAesKey, kRobotToken, envelope.at("timestamp"), envelope.at("nonce"),
                          envelope.at("msgsignature"), envelope.at("encrypt"));
    EXPECT_TRUE(opened.signature_ok);
    return json::parse(opened.message).at("stream").at("content").get<std::string>();
}

// The Official Account in plaintext mode: a text or a location message; the reply's Content.
std::string oa(std::uint16_t port, const std::string& openid, const std::string& text,
               std::optional<std::pair<double, double>> location = std::nullopt) {
    static std::atomic<long long> msg_id{7100000};
    std::string body;
    if (location) {
        body = "<Location_X>" + std::to_string(location->first) + "</Location_X><Location_Y>" +
               std::to_string(location->second) +
               "</Location_Y><Scale>15</Scale><Label><![CDATA[]]></Label>";
    } else {
        std::string content;
        channels::append_cdata_content(content, text);
        body = "<Content><![CDATA[" + content + "]]></Content>";
    }
    const std::string xml =
        "<xml><ToUserName><![CDATA[gh_kayoutest17]]></ToUserName><FromUserName><![CDATA[" + openid +
        "]]></FromUserName><CreateTime>" + std::to_string(unix_now()) +
        "</CreateTime><MsgType><![CDATA[" + (location ? "location" : "text") + "]]></MsgType>" +
        body + "<MsgId>" + std::to_string(++msg_id) + std::to_string(::getpid()) + "</MsgId></xml>";
    const auto ts = std::to_string(unix_now());
    const auto signature = crypto::wx_plain_signature(kOaToken, ts, "1717");
    auto response = http_request(
        port, "POST",
        "/wx/oa?signature=" + signature + "&timestamp=" + ts + "&nonce=1717&openid=" + openid, xml,
        {{"Content-Type", "text/xml"}}, 20s);
    EXPECT_EQ(response.status, 200);
    auto reply = channels::parse_wechat_xml(response.body);
    return reply.ok() ? std::string(reply->get("Content")) : std::string();
}

// A Tencent SMS reply from `mobile`.
void sms_reply(std::uint16_t port, const std::string& mobile, const std::string& text) {
    const json reply{{"extend", ""},       {"mobile", mobile}, {"nationcode", "86"},
                     {"sign", "卡友工会"}, {"text", text},     {"time", unix_now()}};
    auto answer =
        http_request(port, "POST", std::string("/sms/tencent/") + kSmsCallbackToken + "/reply",
                     reply.dump(), {{"Content-Type", "application/json"}});
    EXPECT_EQ(answer.status, 200) << answer.body;
}

// The application ids the outbox holds "progress" SMS for, to `mobile` (bounded wait for one).
std::vector<std::string> progress_sms_ids(std::uint16_t port, const std::string& mobile) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    for (;;) {
        std::vector<std::string> ids;
        for (const auto& idem : cli(port, "--scan --pattern 'kayou:{sms}:idem:progress:*'")) {
            const std::string id = cli1(port, "GET '" + idem + "'");
            auto record = redis_hgetall(port, "kayou:{sms}:msg:" + id);
            if (record["phone_hash"] != box().lookup_hash(mobile)) continue;
            auto params = box().open(record["params"], "sms:" + id + ":params");
            if (params) ids.push_back(json::parse(*params).at(0).get<std::string>());
        }
        if (!ids.empty() || std::chrono::steady_clock::now() > deadline) return ids;
        std::this_thread::sleep_for(20ms);  // polling Redis with a deadline
    }
}

// ---- the web page a link opens ----

struct Page {
    std::uint16_t port;
    std::string token;

    std::pair<int, json> post(const std::string& target, json body) const {
        body["t"] = token;
        auto response =
            http_request(port, "POST", target, body.dump(), {{"Content-Type", "application/json"}});
        auto parsed = json::parse(response.body, nullptr, false);
        return {response.status, parsed.is_discarded() ? json{{"raw", response.body}} : parsed};
    }
    // The page's own behaviour: past a link's free code kayou asks for a proof of work (428,
    // docs/sms.md), which the page solves and posts again.
    std::pair<int, json> ask_code(const Person& p) const {
        json body{{"mobile", p.mobile}};
        auto answer = post("/join/code", body);
        if (answer.first != 428) return answer;
        const std::string challenge = answer.second.value("challenge", "");
        body["challenge"] = challenge;
        body["nonce"] = members::solve_proof(challenge, answer.second.value("bits", 0));
        return post("/join/code", body);
    }
    json form(const Person& p, const std::string& code) const {
        return {{"name", p.name},   {"id_card", p.id_card}, {"mobile", p.mobile},    {"code", code},
                {"plate", p.plate}, {"district", "wujin"},  {"employer", "常州货运"}};
    }
    std::pair<int, json> submit(const Person& p, const std::string& code) const {
        return post("/join/submit", form(p, code));
    }
};

std::string link_token(const std::string& text) {
    std::smatch match;
    if (!std::regex_search(text, match,
                           std::regex("https://kayou\\.test/join\\?t=([A-Za-z0-9_.-]+)")))
        return {};
    return match[1];
}

class JoinLinkTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        ASSERT_FALSE(reference_dir().empty())
            << "run scripts/test.sh: it installs the reference crypto (npm ci in tests/reference)";
        fake_ = new FakeSmsProvider();
        redis_ = new RedisServer();
        kayou_ = new KayouProcess({redis_->port(), config_yaml(*fake_)});
        ASSERT_TRUE(kayou_->wait_ready());
    }
    static void TearDownTestSuite() {
        delete kayou_;
        delete redis_;
        delete fake_;
        kayou_ = nullptr;
        redis_ = nullptr;
        fake_ = nullptr;
    }
    static std::uint16_t port() { return kayou_->port(); }
    static std::uint16_t redis_port() { return redis_->port(); }

    // `person` opens the page, asks for a code and submits.
    static std::pair<int, json> apply(const Page& page, const Person& person) {
        auto [code_status, code_answer] = page.ask_code(person);
        EXPECT_EQ(code_status, 200) << code_answer.dump();
        return page.submit(person, latest_code(redis_port(), person.mobile));
    }

    static FakeSmsProvider* fake_;
    static RedisServer* redis_;
    static KayouProcess* kayou_;
};
FakeSmsProvider* JoinLinkTest::fake_ = nullptr;
RedisServer* JoinLinkTest::redis_ = nullptr;
KayouProcess* JoinLinkTest::kayou_ = nullptr;

// Valid ID numbers for the tests' extra people: GB 11643 check digit computed here.
std::string id_card(const std::string& first17) {
    static const int weights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char checks[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * weights[i];
    return first17 + checks[sum % 11];
}

// Person n of the tests: a valid ID number and a phone no other test uses (one code a minute per
// phone, one application per ID number).
Person someone(int n, const std::string& name) {
    char birth[16];
    std::snprintf(birth, sizeof birth, "1980%02d%02d", 1 + n % 12, 1 + n % 28);
    char seq[8];
    std::snprintf(seq, sizeof seq, "%03d", 100 + n);
    char mobile[16];
    std::snprintf(mobile, sizeof mobile, "1360017%04d", n);
    return {name, id_card(std::string("320412") + birth + seq), mobile,
            "苏D" + std::to_string(20000 + n)};
}

// ---- 1. a group link used by a second person never files under the requester ----

TEST_F(JoinLinkTest, BridgeGroupLinkUsedByAnotherPersonNeverFilesUnderTheRequester) {
    const std::string room = unique_id("room");
    const std::string requester = unique_id("wxid_req");
    const Person b = someone(1, "钱七");

    auto asked = bridge(port(), requester, "我要入会", room, true);
    const std::string token = link_token(public_text(asked));
    ASSERT_FALSE(token.empty()) << asked.dump();
    // The link names nobody: nothing in it says who asked.
    const std::string payload = token.substr(0, token.find('.'));
    EXPECT_EQ(payload.find(requester), std::string::npos);

    auto [status, submitted] = apply({port(), token}, b);
    ASSERT_EQ(status, 200) << submitted.dump();
    ASSERT_TRUE(submitted.value("created", false));
    const std::string id = submitted.at("application_id");
    auto record = redis_hgetall(redis_port(), "kayou:app:{" + id + "}");
    EXPECT_EQ(record["channel"], "web");
    EXPECT_EQ(record["driver"], "");
    EXPECT_EQ(box().open(record["mobile"], "app:" + id + ":mobile").value_or(""), b.mobile);
    EXPECT_TRUE(
        cli1(redis_port(), "EXISTS 'kayou:driver:{bridge:" + requester + "}:application'") == "0");

    // The requester's 进度, in 1:1 and in the group: never the stranger's application.
    const std::string own = say(port(), requester, "进度");
    EXPECT_NE(own.find("没有查到"), std::string::npos) << own;
    EXPECT_EQ(own.find(id), std::string::npos) << own;
    const std::string in_group = public_text(bridge(port(), requester, "进度", room, true));
    EXPECT_NE(in_group.find("私聊我发“进度”"), std::string::npos) << in_group;
    EXPECT_EQ(in_group.find("已受理"), std::string::npos) << in_group;
}

TEST_F(JoinLinkTest, RobotGroupLinkUsedByAnotherPersonNeverFilesUnderTheRequester) {
    const std::string group = unique_id("wrgroup");
    const std::string requester = unique_id("zhaoliu");
    const Person b = someone(2, "李九");

    const std::string asked = robot(port(), requester, "我要入会", group);
    const std::string token = link_token(asked);
    ASSERT_FALSE(token.empty()) << asked;
    EXPECT_NE(asked.find("只能提交一次"), std::string::npos) << asked;

    auto [status, submitted] = apply({port(), token}, b);
    ASSERT_EQ(status, 200) << submitted.dump();
    const std::string id = submitted.at("application_id");
    EXPECT_EQ(redis_hgetall(redis_port(), "kayou:app:{" + id + "}")["driver"], "");

    const std::string own = robot(port(), requester, "进度");
    EXPECT_NE(own.find("没有查到"), std::string::npos) << own;
    EXPECT_EQ(own.find(id), std::string::npos) << own;
    const std::string in_group = robot(port(), requester, "进度", group);
    EXPECT_EQ(in_group.find("已受理"), std::string::npos) << in_group;
}

// ---- 2. a second submit with the same token -> 409, nothing stored ----

TEST_F(JoinLinkTest, SecondSubmitWithTheSameTokenIs409AndStoresNothing) {
    const std::string room = unique_id("room");
    const Person b = someone(3, "周十");
    const Person c = someone(4, "吴一");
    const std::string token =
        link_token(public_text(bridge(port(), unique_id("wxid_req"), "我要入会", room, true)));
    ASSERT_FALSE(token.empty());
    const Page page{port(), token};

    // Both open the page and get their codes while the link is unused.
    ASSERT_EQ(page.ask_code(b).first, 200);
    ASSERT_EQ(page.ask_code(c).first, 200);
    const std::string b_code = latest_code(redis_port(), b.mobile);
    const std::string c_code = latest_code(redis_port(), c.mobile);
    auto [first, done] = page.submit(b, b_code);
    ASSERT_EQ(first, 200) << done.dump();
    const auto apps_before = application_keys(redis_port()).size();

    auto [second, refused] = page.submit(c, c_code);
    EXPECT_EQ(second, 409) << refused.dump();
    EXPECT_FALSE(refused.value("ok", true));
    // Nothing stored for c: no record, no ID-number or phone index.
    EXPECT_EQ(application_keys(redis_port()).size(), apps_before);
    EXPECT_EQ(cli1(redis_port(), "EXISTS 'kayou:idcard:{" + box().lookup_hash(c.id_card) + "}'"),
              "0");
    EXPECT_EQ(cli1(redis_port(),
                   "EXISTS 'kayou:mobile:{" + box().lookup_hash(c.mobile) + "}:application'"),
              "0");
    // The same person again, and the page and a new code: all refused.
    EXPECT_EQ(page.submit(b, b_code).first, 409);
    EXPECT_EQ(page.ask_code(c).first, 409);
    EXPECT_EQ(http_request(port(), "GET", "/join?t=" + token).status, 409);
    EXPECT_EQ(application_keys(redis_port()).size(), apps_before);
}

TEST_F(JoinLinkTest, TwoSimultaneousSubmitsWithOneTokenStoreOneApplication) {
    const Person d = someone(5, "郑二");
    const Person e = someone(6, "王三");
    const std::string token = link_token(robot(port(), unique_id("u"), "我要入会", unique_id("g")));
    ASSERT_FALSE(token.empty());
    const Page page{port(), token};
    ASSERT_EQ(page.ask_code(d).first, 200);
    ASSERT_EQ(page.ask_code(e).first, 200);
    const json d_form = page.form(d, latest_code(redis_port(), d.mobile));
    const json e_form = page.form(e, latest_code(redis_port(), e.mobile));
    auto d_result =
        std::async(std::launch::async, [&] { return page.post("/join/submit", d_form); });
    auto e_result =
        std::async(std::launch::async, [&] { return page.post("/join/submit", e_form); });
    const int d_status = d_result.get().first;
    const int e_status = e_result.get().first;
    EXPECT_EQ((d_status == 200) + (e_status == 200), 1) << d_status << " " << e_status;
    EXPECT_EQ((d_status == 409) + (e_status == 409), 1) << d_status << " " << e_status;
    // One EXISTS per key: the two are on two hash tags (a Redis Cluster refuses them together).
    const int stored = std::stoi(cli1(redis_port(), "EXISTS 'kayou:idcard:{" +
                                                        box().lookup_hash(d.id_card) + "}'")) +
                       std::stoi(cli1(redis_port(), "EXISTS 'kayou:idcard:{" +
                                                        box().lookup_hash(e.id_card) + "}'"));
    EXPECT_EQ(stored, 1);
}

// ---- 3 & 4. 进度 shows only one's own; each applicant finds his own by chat and by SMS ----

TEST_F(JoinLinkTest, EachApplicantFindsHisOwnApplicationByChatAfterBindingAndBySms) {
    const std::string room = unique_id("room");
    const std::string requester = unique_id("wxid_req");
    const std::string b_chat = unique_id("wxid_b");
    const std::string c_chat = unique_id("wxid_c");
    const Person b = someone(7, "冯四");
    const Person c = someone(8, "陈五");

    // Two links from the same group request flow, one used by each stranger.
    const std::string first =
        link_token(public_text(bridge(port(), requester, "我要入会", room, true)));
    const std::string second =
        link_token(public_text(bridge(port(), requester, "入会", room, true)));
    ASSERT_FALSE(first.empty());
    ASSERT_FALSE(second.empty());
    auto [b_status, b_done] = apply({port(), first}, b);
    auto [c_status, c_done] = apply({port(), second}, c);
    ASSERT_EQ(b_status, 200) << b_done.dump();
    ASSERT_EQ(c_status, 200) << c_done.dump();
    const std::string b_id = b_done.at("application_id");
    const std::string c_id = c_done.at("application_id");
    const std::string b_code = b_done.value("bind_code", "");
    const std::string c_code = c_done.value("bind_code", "");
    ASSERT_FALSE(b_code.empty()) << b_done.dump();
    EXPECT_NE(b_done.at("message").get<std::string>().find("绑定 " + b_code), std::string::npos);

    // Before binding his chat knows nothing; the requester's neither.
    EXPECT_NE(say(port(), b_chat, "进度").find("没有查到"), std::string::npos);
    // His application number proves nothing: it shows no status, only how to bind.
    const std::string by_number = say(port(), b_chat, "申请编号" + b_id + " 批了没");
    EXPECT_NE(by_number.find("只凭编号不能查进度"), std::string::npos) << by_number;
    EXPECT_NE(by_number.find("绑定"), std::string::npos) << by_number;
    EXPECT_EQ(by_number.find("已受理"), std::string::npos) << by_number;
    // Binding: only from his own 1:1 chat, and the code works once.
    const std::string bound = say(port(), b_chat, "绑定 " + b_code);
    EXPECT_NE(bound.find("绑定成功"), std::string::npos) << bound;
    EXPECT_NE(bound.find(b_id), std::string::npos) << bound;
    const std::string b_progress = say(port(), b_chat, "进度");
    EXPECT_NE(b_progress.find(b_id), std::string::npos) << b_progress;
    const std::string b_by_number = say(port(), b_chat, b_id);
    EXPECT_NE(b_by_number.find(b_id), std::string::npos) << b_by_number;
    EXPECT_EQ(b_by_number.find("只凭编号"), std::string::npos) << b_by_number;
    EXPECT_EQ(b_progress.find(c_id), std::string::npos) << b_progress;
    const std::string reused = say(port(), requester, "绑定 " + b_code);
    EXPECT_NE(reused.find("不对或已经失效"), std::string::npos) << reused;
    EXPECT_NE(say(port(), requester, "进度").find("没有查到"), std::string::npos);

    // A code posted in a group is revoked, never redeemed.
    const std::string posted = public_text(bridge(port(), c_chat, "绑定 " + c_code, room, true));
    EXPECT_NE(posted.find("作废"), std::string::npos) << posted;
    EXPECT_NE(say(port(), c_chat, "绑定 " + c_code).find("不对或已经失效"), std::string::npos);
    EXPECT_NE(say(port(), c_chat, "进度").find("没有查到"), std::string::npos);

    // By SMS, from the proven phone: each gets his own application's status.
    sms_reply(port(), b.mobile, "进度？");
    sms_reply(port(), c.mobile, "进度。");
    EXPECT_EQ(progress_sms_ids(redis_port(), b.mobile), std::vector<std::string>{b_id});
    EXPECT_EQ(progress_sms_ids(redis_port(), c.mobile), std::vector<std::string>{c_id});
}

// ---- the bridge that can reach the driver 1:1 gets the link privately ----

TEST_F(JoinLinkTest, BridgeWithPrivateRepliesSendsTheLinkOnlyToTheRequester) {
    const std::string room = unique_id("room");
    const std::string requester = unique_id("wxid_req");
    auto answer = bridge(port(), requester, "我要入会", room, true, true);
    const std::string group = public_text(answer);
    EXPECT_TRUE(link_token(group).empty()) << group;
    EXPECT_NE(group.find("私聊发给您"), std::string::npos) << group;
    bool addressed = false;
    for (const auto& reply : answer.at("replies"))
        if (reply.value("private", false)) addressed = reply.at("to") == requester;
    EXPECT_TRUE(addressed) << answer.dump();
    const std::string token = link_token(private_text(answer));
    ASSERT_FALSE(token.empty()) << answer.dump();
    EXPECT_EQ(http_request(port(), "GET", "/join?t=" + token).status, 200);
}

// ---- item 6: personal data with 我要入会 in a group: the warning and the private path ----

TEST_F(JoinLinkTest, JoinWithPersonalDataInAGroupGetsTheWarningAndTheLink) {
    const Person p = someone(9, "褚六");
    const std::string room = unique_id("room");
    auto answer = bridge(port(), unique_id("wxid"), "我要入会 身份证" + p.id_card, room, false);
    const std::string text = public_text(answer);
    EXPECT_NE(text.find("不要在群里"), std::string::npos) << text;
    EXPECT_FALSE(link_token(text).empty()) << text;
    EXPECT_EQ(text.find(p.id_card.substr(6, 8)), std::string::npos) << text;
    // Addressed to the bot, the same: the warning and the link (a turn ending in the join flow).
    auto mentioned =
        bridge(port(), unique_id("wxid"), "@卡友小助手 我要入会 电话" + p.mobile, room, true);
    const std::string addressed = public_text(mentioned);
    EXPECT_NE(addressed.find("不要在群里"), std::string::npos) << addressed;
    EXPECT_FALSE(link_token(addressed).empty()) << addressed;
    // A code-shaped word in a group, not to the bot: nothing said.
    EXPECT_EQ(public_text(bridge(port(), unique_id("wxid"), "5R92-BA4R", room, false)), "");
}

// ---- item 4: masked values never form markdown on the robot ----

TEST_F(JoinLinkTest, RobotRepliesNeverTurnMaskedValuesIntoMarkdown) {
    const Person p = someone(10, "卫七");
    const std::string user = unique_id("robotuser");
    robot(port(), user, "我要入会");
    robot(port(), user, p.name);
    robot(port(), user, p.id_card);
    const std::string sent = robot(port(), user, p.mobile);
    EXPECT_EQ(sent.find('*'), std::string::npos) << sent;
    EXPECT_NE(sent.find(p.mobile.substr(0, 3) + "＊＊＊＊" + p.mobile.substr(7)), std::string::npos)
        << sent;
    EXPECT_EQ(sent.find(p.mobile), std::string::npos) << sent;
}

// ---- item 3: station help per channel ----

TEST_F(JoinLinkTest, StationHelpFitsTheChannelAndTheArea) {
    // The robot cannot receive a location: a town is asked for.
    const std::string robot_group = robot(port(), unique_id("u"), "附近的司机之家", unique_id("g"));
    EXPECT_NE(robot_group.find("哪个镇"), std::string::npos) << robot_group;
    EXPECT_EQ(robot_group.find("发送您的位置"), std::string::npos) << robot_group;
    // The bridge group neither.
    const std::string bridge_group =
        public_text(bridge(port(), unique_id("wxid"), "附近的司机之家", unique_id("room"), true));
    EXPECT_EQ(bridge_group.find("发送您的位置"), std::string::npos) << bridge_group;
    // The OA 1:1 can: a location is asked for, and one from Hutang gets the nearest stations.
    const std::string openid = unique_id("o_");
    const std::string asked = oa(port(), openid, "附近的司机之家");
    EXPECT_NE(asked.find("位置"), std::string::npos) << asked;
    const std::string near = oa(port(), openid, "", std::make_pair(31.7150, 119.9560));
    EXPECT_NE(near.find("1. 湖塘镇司机之家"), std::string::npos) << near;

    // Outside the area: said so, the nearest covered station and 12351, no new question.
    const std::string beijing = oa(port(), openid, "", std::make_pair(39.9042, 116.4074));
    EXPECT_NE(beijing.find("不在我们工会司机之家的服务范围"), std::string::npos) << beijing;
    EXPECT_NE(beijing.find("直溪镇驿站"), std::string::npos) << beijing;
    EXPECT_NE(beijing.find("12351"), std::string::npos) << beijing;
    EXPECT_EQ(beijing.find("发送您的位置"), std::string::npos) << beijing;
    const std::string nanjing = public_text(
        bridge(port(), unique_id("wxid"), "附近的司机之家 南京", unique_id("room"), true));
    EXPECT_NE(nanjing.find("南京不在"), std::string::npos) << nanjing;
    EXPECT_NE(nanjing.find("12351"), std::string::npos) << nanjing;
    const std::string robot_nanjing = robot(port(), unique_id("u"), "附近的司机之家 南京");
    EXPECT_NE(robot_nanjing.find("南京不在"), std::string::npos) << robot_nanjing;
    // In the driver's own words.
    const std::string yaoguan = say(port(), unique_id("wxid"), "遥观附近哪里有地方休息");
    EXPECT_NE(yaoguan.find("遥观镇司机驿站"), std::string::npos) << yaoguan;
}

// ---- item 5: honest counters at start ----

double metric(std::uint16_t port, const std::string& name) {
    auto response = http_request(port, "GET", "/metrics");
    std::smatch match;
    if (!std::regex_search(response.body, match, std::regex("(^|\n)" + name + " ([0-9.e+]+)")))
        return -1;
    return std::stod(match[2]);
}

TEST(CleanStart, RedisErrorsReadZeroWithTheEmbeddedRedisAndWithAnExternalOne) {
    KayouProcess embedded({0, ""});
    ASSERT_TRUE(embedded.wait_ready());
    EXPECT_EQ(metric(embedded.port(), "kayou_redis_errors_total"), 0) << embedded.log();
    RedisServer server;
    KayouProcess external({server.port(), ""});
    ASSERT_TRUE(external.wait_ready());
    EXPECT_EQ(metric(external.port(), "kayou_redis_errors_total"), 0) << external.log();
}

}  // namespace
}  // namespace kayou::test
