// Issue 13 item 4, end to end: a district admin creates a promoter (宣传员) or an event, gets its
// link and a printable QR code; every scan of the poster mints a fresh single-use join link
// carrying the attribution, capped per address; a join through it appears in that promoter's
// counts, and its approval too. The real kayou binary over loopback HTTP, a real redis-server,
// the fake SMS provider for the verification code.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "crypto/hash.hpp"
#include "crypto/sealed_box.hpp"
#include "members/code_caps.hpp"
#include "tests/support/chat_client.hpp"
#include "tests/support/fake_sms_provider.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sms_fixture.hpp"

namespace kayou::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kDataKey = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
constexpr const char* kPublicBase = "https://kayou.test";
constexpr const char* kCityToken = "promo-test-city";
constexpr const char* kWujinToken = "promo-test-wujin";
constexpr const char* kTianningToken = "promo-test-tianning";
constexpr const char* kEditorToken = "promo-test-editor";
constexpr int kPromoPerAddress = 6;

const crypto::SealedBox& box() {
    static const auto sealed = *crypto::SealedBox::from_base64_key(kDataKey);
    return sealed;
}

std::string token_yaml(const char* name, const char* token, const char* role,
                       const char* districts = "[]") {
    return std::string("    - name: ") + name +
           "\n      token_sha256: " + crypto::sha256_hex(token) + "\n      role: " + role +
           "\n      districts: " + districts + "\n";
}

std::string config_yaml(const FakeSmsProvider& fake) {
    const auto& c = fake.credentials();
    return std::string("privacy:\n  data_key: ") + kDataKey +
           "\nmembers:\n  flow_file: " KAYOU_SOURCE_DIR
           "/config/flows/join.yaml\n  districts_file: " KAYOU_SOURCE_DIR
           "/config/districts.yaml\n  calendar_dir: " KAYOU_SOURCE_DIR
           "/config/calendar\n  public_base_url: " +
           kPublicBase +
           "\n  join_link_caps:\n    promo_per_address_hour: " + std::to_string(kPromoPerAddress) +
           "\ncontent:\n  seed_dir: " KAYOU_SOURCE_DIR "/faq/data\n" +
           "sms:\n  provider: tencent\n  callback_token: " + kSmsCallbackToken +
           "\n  templates_file: " + sms_templates_file() +
           "\n  tencent:\n    endpoint: " + fake.url() +
           "\n    sdk_app_id: \"1400000001\"\n    secret_id: " + c.tencent_secret_id +
           "\n    secret_key: " + c.tencent_secret_key + "\n" + "admin:\n  tokens:\n" +
           token_yaml("city-li", kCityToken, "city_admin") +
           token_yaml("wujin-wang", kWujinToken, "district_admin", "[wujin]") +
           token_yaml("tianning-zhou", kTianningToken, "district_admin", "[tianning]") +
           token_yaml("editor-zhao", kEditorToken, "faq_editor");
}

struct Answer {
    int status = 0;
    json body;
    HttpResult raw;
};

Answer call(std::uint16_t port, const std::string& method, const std::string& target,
            const char* token, const std::string& body = {}) {
    Headers headers{{"Authorization", std::string("Bearer ") + token}};
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    auto result = http_request(port, method, target, body, headers, 10s);
    return {result.status, json::parse(result.body, nullptr, false), result};
}

// The newest verification code the outbox holds for `phone` (bounded wait).
std::string latest_code(std::uint16_t port, const std::string& phone) {
    const std::string pattern = "kayou:{sms}:idem:verify:" + box().lookup_hash(phone) + ":*";
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    for (;;) {
        for (const auto& idem : redis_cli(port, "--scan --pattern '" + pattern + "'")) {
            const std::string id = redis_cli1(port, "GET '" + idem + "'");
            auto record = redis_hgetall(port, "kayou:{sms}:msg:" + id);
            auto params = box().open(record["params"], "sms:" + id + ":params");
            if (params) return json::parse(*params).at(0).get<std::string>();
        }
        if (std::chrono::steady_clock::now() > deadline) return {};
        std::this_thread::sleep_for(20ms);  // polling Redis with a deadline, not synchronising
    }
}

std::string id_card(const std::string& first17) {
    static const int weights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char checks[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * weights[i];
    return first17 + checks[sum % 11];
}

// The join token in a 303 from /join/p ("" when there is none).
std::string minted_token(const HttpResult& scan) {
    const std::string location = scan.header("location");
    const std::string prefix = "/join?t=";
    return location.rfind(prefix, 0) == 0 ? location.substr(prefix.size()) : std::string();
}

class PromoterTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        fake_ = new FakeSmsProvider();
        redis_ = new RedisServer();
        kayou_ = new KayouProcess({redis_->port(), config_yaml(*fake_)});
        ASSERT_TRUE(kayou_->wait_ready());
    }
    static void TearDownTestSuite() {
        delete kayou_;
        delete redis_;
        delete fake_;
    }
    static std::uint16_t port() { return kayou_->port(); }
    static std::uint16_t redis_port() { return redis_->port(); }

    static json create(const char* token, const json& body, int expected) {
        auto answer = call(port(), "POST", "/admin/api/promoters", token, body.dump());
        EXPECT_EQ(answer.status, expected) << answer.raw.body;
        return answer.body;
    }
    static json find(const json& list, const std::string& id) {
        for (const auto& p : list.at("promoters"))
            if (p.at("id") == id) return p;
        return nullptr;
    }

    static FakeSmsProvider* fake_;
    static RedisServer* redis_;
    static KayouProcess* kayou_;
};
FakeSmsProvider* PromoterTest::fake_ = nullptr;
RedisServer* PromoterTest::redis_ = nullptr;
KayouProcess* PromoterTest::kayou_ = nullptr;

TEST_F(PromoterTest, AJoinThroughAPromotersLinkAppearsInItsStatsAndItsApproval) {
    const json event =
        create(kWujinToken,
               {{"kind", "event"}, {"name", " 武进物流园入会宣传日 "}, {"district", "wujin"}}, 201);
    const std::string id = event.at("id");
    EXPECT_EQ(event.at("name"), "武进物流园入会宣传日");
    EXPECT_EQ(event.at("kind_name"), "宣传活动");
    EXPECT_EQ(event.at("joins"), 0);
    const std::string link = event.at("link");
    ASSERT_EQ(link.rfind(std::string(kPublicBase) + "/join/p?t=", 0), 0u) << link;
    EXPECT_LT(link.size(), 110u);  // a small QR code on a poster

    // The printable QR: an SVG made by kayou itself.
    auto qr = call(port(), "GET", "/admin/api/promoters/" + id + "/qr.svg", kWujinToken);
    ASSERT_EQ(qr.status, 200);
    EXPECT_EQ(qr.raw.header("content-type"), "image/svg+xml");
    EXPECT_NE(qr.raw.body.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
    EXPECT_NE(qr.raw.body.find("h1v1h-1z"), std::string::npos);

    // Two scans of the poster: two different single-use links, each carrying the attribution.
    const std::string poster = link.substr(std::string(kPublicBase).size());
    auto first = http_request(port(), "GET", poster);
    auto second = http_request(port(), "GET", poster);
    ASSERT_EQ(first.status, 303) << first.body;
    ASSERT_EQ(second.status, 303);
    const std::string token = minted_token(first);
    ASSERT_FALSE(token.empty());
    EXPECT_NE(token, minted_token(second));
    EXPECT_EQ(http_request(port(), "GET", "/join?t=" + token).status, 200);

    // A driver completes the page opened from the first scan.
    const std::string mobile = "13600271001";
    auto post = [&](const std::string& target, json body) {
        body["t"] = token;
        auto r = http_request(port(), "POST", target, body.dump(),
                              {{"Content-Type", "application/json"}});
        return std::pair{r.status, json::parse(r.body, nullptr, false)};
    };
    auto [code_status, code_answer] = post("/join/code", {{"mobile", mobile}});
    ASSERT_EQ(code_status, 200) << code_answer.dump();
    const json form{{"name", "周建国"},      {"id_card", id_card("32041219800402101")},
                    {"mobile", mobile},      {"code", latest_code(redis_port(), mobile)},
                    {"plate", "苏D27101"},   {"district", "wujin"},
                    {"employer", "常州货运"}};
    auto [status, submitted] = post("/join/submit", form);
    ASSERT_EQ(status, 200) << submitted.dump();
    ASSERT_TRUE(submitted.value("created", false)) << submitted.dump();
    const std::string app = submitted.at("application_id");
    // Stored on the application: the id only.
    EXPECT_EQ(redis_cli1(redis_port(), "HGET 'kayou:app:{" + app + "}' promoter"), id);
    // The link stays single-use: a second submit with it stores nothing.
    EXPECT_EQ(post("/join/submit", form).first, 409);

    auto listed = call(port(), "GET", "/admin/api/promoters", kWujinToken);
    ASSERT_EQ(listed.status, 200);
    json mine = find(listed.body, id);
    ASSERT_FALSE(mine.is_null());
    EXPECT_EQ(mine.at("joins"), 1);
    EXPECT_EQ(mine.at("received"), 1);
    EXPECT_EQ(mine.at("approved"), 0);

    auto approved =
        call(port(), "POST", "/admin/api/review/applications/" + app + "/approve", kWujinToken);
    ASSERT_EQ(approved.status, 200) << approved.raw.body;
    auto after = call(port(), "GET", "/admin/api/promoters/" + id, kWujinToken);
    ASSERT_EQ(after.status, 200);
    EXPECT_EQ(after.body.at("joins"), 1);
    EXPECT_EQ(after.body.at("approved"), 1);
    EXPECT_EQ(after.body.at("received"), 0);
    // The per-district totals the city admin sees.
    auto city = call(port(), "GET", "/admin/api/promoters?district=wujin", kCityToken);
    ASSERT_EQ(city.status, 200);
    bool seen = false;
    for (const auto& d : city.body.at("districts"))
        if (d.at("district") == "wujin") {
            seen = true;
            EXPECT_GE(d.at("joins").get<int>(), 1);
            EXPECT_GE(d.at("approved").get<int>(), 1);
            EXPECT_EQ(d.at("district_name"), "武进区");
        }
    EXPECT_TRUE(seen);

    // Audited, by id; the name is sealed at rest.
    const auto audit = redis_cli(redis_port(), "XRANGE kayou:audit - +");
    std::string all;
    for (const auto& line : audit) all += line + "\n";
    EXPECT_NE(all.find("promoter.create"), std::string::npos);
    EXPECT_NE(all.find("promoter.qr"), std::string::npos);
    EXPECT_EQ(all.find("武进物流园"), std::string::npos);
    const std::string stored_name =
        redis_cli1(redis_port(), "HGET 'kayou:promo:{" + id + "}' name");
    EXPECT_FALSE(stored_name.empty());
    EXPECT_EQ(stored_name.find("武进"), std::string::npos);
}

TEST_F(PromoterTest, DistrictAdminsActOnTheirOwnDistrictsOnly) {
    const json mine =
        create(kWujinToken, {{"kind", "promoter"}, {"name", "张师傅"}, {"district", "wujin"}}, 201);
    const std::string id = mine.at("id");
    EXPECT_EQ(create(kTianningToken,
                     {{"kind", "promoter"}, {"name", "李师傅"}, {"district", "wujin"}}, 403)
                  .at("message"),
              "这不是您负责的区县，不能为它创建");
    EXPECT_EQ(call(port(), "GET", "/admin/api/promoters/" + id, kTianningToken).status, 403);
    EXPECT_EQ(call(port(), "GET", "/admin/api/promoters/" + id + "/qr.svg", kTianningToken).status,
              403);
    auto theirs = call(port(), "GET", "/admin/api/promoters", kTianningToken);
    ASSERT_EQ(theirs.status, 200);
    EXPECT_TRUE(find(theirs.body, id).is_null());
    EXPECT_EQ(call(port(), "GET", "/admin/api/promoters?district=wujin", kTianningToken).status,
              403);
    EXPECT_EQ(call(port(), "GET", "/admin/api/promoters", kEditorToken).status, 403);
    EXPECT_EQ(http_request(port(), "GET", "/admin/api/promoters").status, 401);
    EXPECT_FALSE(find(call(port(), "GET", "/admin/api/promoters", kCityToken).body, id).is_null());
}

TEST_F(PromoterTest, BadInputGetsAChineseErrorAndStoresNothing) {
    const auto before = redis_cli1(redis_port(), "ZCARD kayou:promo:all");
    struct Case {
        json body;
        int status;
    };
    std::string long_name;
    for (int i = 0; i < 31; ++i) long_name += "宣";
    for (const auto& c : std::vector<Case>{
             {{{"kind", "poster"}, {"name", "张师傅"}, {"district", "wujin"}}, 400},
             {{{"kind", "promoter"}, {"name", "  "}, {"district", "wujin"}}, 400},
             {{{"kind", "promoter"}, {"name", long_name}, {"district", "wujin"}}, 400},
             {{{"kind", "promoter"}, {"name", "张\n师傅"}, {"district", "wujin"}}, 400},
             {{{"kind", "promoter"}, {"name", "张师傅"}, {"district", "mars"}}, 400},
             {{{"kind", "promoter"}, {"name", "张师傅"}, {"district", "wujin"}, {"days", 0}}, 400},
             {{{"kind", "promoter"}, {"name", "张师傅"}, {"district", "wujin"}, {"days", "9"}},
              400}}) {
        auto answer = create(kWujinToken, c.body, c.status);
        const std::string message = answer.value("message", "");
        EXPECT_FALSE(message.empty()) << c.body.dump();
        EXPECT_GE(static_cast<unsigned char>(message[0]), 0xE0u) << message;  // Chinese
    }
    EXPECT_EQ(call(port(), "POST", "/admin/api/promoters", kWujinToken, "not json").status, 400);
    EXPECT_EQ(redis_cli1(redis_port(), "ZCARD kayou:promo:all"), before);
    EXPECT_EQ(call(port(), "GET", "/admin/api/promoters/PZZZZZ", kWujinToken).status, 404);
    EXPECT_EQ(call(port(), "GET", "/admin/api/promoters/P0000O/qr.svg", kWujinToken).status, 404);
}

TEST_F(PromoterTest, APosterLinkIsCheckedAndCappedPerAddress) {
    const json p = create(
        kCityToken, {{"kind", "promoter"}, {"name", "王师傅"}, {"district", "tianning"}}, 201);
    const std::string link = p.at("link");
    const std::string poster = link.substr(std::string(kPublicBase).size());
    // A tampered or foreign link opens nothing. The last two characters are replaced by two that
    // differ from them (a signature that happened to end in "AA" once made the "forgery" genuine).
    const std::string tail = poster.substr(poster.size() - 2) == "AA" ? "BB" : "AA";
    auto forged = http_request(port(), "GET", poster.substr(0, poster.size() - 2) + tail);
    EXPECT_EQ(forged.status, 403);
    EXPECT_TRUE(forged.header("location").empty());
    EXPECT_NE(forged.body.find("二维码"), std::string::npos);
    EXPECT_EQ(http_request(port(), "GET", "/join/p?t=").status, 403);
    EXPECT_EQ(http_request(port(), "POST", poster).status, 405);
    // One address scanning again and again: the cap, then a Chinese page and no link. The other
    // tests scanned from this address too, so count until refused (bounded by the cap).
    int minted = 0;
    HttpResult last;
    for (int i = 0; i <= kPromoPerAddress; ++i) {
        last = http_request(port(), "GET", poster);
        if (last.status != 303) break;
        ++minted;
    }
    EXPECT_LE(minted, kPromoPerAddress);
    EXPECT_EQ(last.status, 429);
    EXPECT_TRUE(last.header("location").empty());
    EXPECT_NE(last.body.find("请过一会儿再扫"), std::string::npos);
}

}  // namespace
}  // namespace kayou::test
