// The admin API end to end through the real kayou binary and a real redis-server: stations
// nearest three from Redis GEO (coordinates and a town name), benefits by membership status,
// the legal desk's ticket lifecycle with roles, stats and a sealed phone, a stations publish
// reaching the GEO search, and the per-prefix body limit.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "faq/decide.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"

namespace kayou::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kEditorToken = "kayou-demo-editor";
constexpr const char* kDeskToken = "kayou-demo-legal-desk";

std::string config_yaml() {
    return std::string("admin:\n  tokens:\n") +
           "    - name: test-editor\n"
           "      token_sha256: 21bf565d871da6a4efa0b8ff0821ff61fcb71f17827c96dd0d8baf94c36cb259\n"
           "      role: faq_editor\n"
           "    - name: test-desk\n"
           "      token_sha256: abe5d0f905a4a23da5e1b928319d8de954089433edd3e99d6b0013c589bd8a6d\n"
           "      role: legal_desk\n"
           "content:\n  seed_dir: " KAYOU_SOURCE_DIR
           "/faq/data\n"
           "privacy:\n  data_key: 2JdUanKNbJG2AQTxNXEE06kt3EDf5Do1AeWsLqDDUGY=\n";
}

Headers bearer(const char* token) { return {{"Authorization", std::string("Bearer ") + token}}; }

std::string url_encode(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_') {
            out += static_cast<char>(c);
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            out += hex;
        }
    }
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

json get_json(const KayouProcess& kayou, const std::string& target, const char* token) {
    auto result = http_request(kayou.port(), "GET", target, {}, bearer(token), 5s);
    if (result.status != 200) return json{{"status", result.status}, {"body", result.body}};
    return json::parse(result.body);
}

bool wait_serving(const KayouProcess& kayou, const std::string& kind, int version,
                  std::chrono::milliseconds deadline) {
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < deadline)
        if (get_json(kayou, "/admin/api/content/" + kind + "/published", kEditorToken)
                .value("serving", 0) == version)
            return true;
    return false;
}

class AdminApi : public ::testing::Test {
protected:
    RedisServer redis;
    KayouProcess kayou{{.redis_port = redis.port(), .extra_yaml = config_yaml()}};

    void SetUp() override {
        ASSERT_TRUE(kayou.wait_ready());
        for (const char* kind : {"faq", "benefits", "stations"})
            ASSERT_TRUE(wait_serving(kayou, kind, 1, 10s)) << kind << "\n" << kayou.log();
    }
};

TEST_F(AdminApi, LocationAndTownNameGiveTheNearestThreeStations) {
    // A WeChat location message from Hutang town (Wujin).
    auto nearby =
        get_json(kayou, "/admin/api/stations/nearest?lat=31.7150&lng=119.9560", kDeskToken);
    ASSERT_EQ(nearby["stations"].size(), 3u) << nearby.dump();
    EXPECT_EQ(nearby["stations"][0]["id"], "wujin-hutang");
    EXPECT_LT(nearby["stations"][0]["distance_km"].get<double>(), 1.0);
    EXPECT_LE(nearby["stations"][0]["distance_km"].get<double>(),
              nearby["stations"][1]["distance_km"].get<double>());
    EXPECT_NE(nearby["text"].get<std::string>().find("湖塘镇司机之家"), std::string::npos);

    // "附近的司机之家 溧阳" → the alias table → Liyang's stations first.
    auto by_name =
        get_json(kayou, "/admin/api/stations/nearest?place=" + url_encode("附近的司机之家 溧阳"),
                 kDeskToken);
    ASSERT_EQ(by_name["stations"].size(), 3u) << by_name.dump();
    EXPECT_EQ(by_name["stations"][0]["district"], "溧阳市");
    EXPECT_NE(by_name["text"].get<std::string>().find("离溧阳市最近"), std::string::npos);
    EXPECT_EQ(
        http_request(kayou.port(), "GET", "/admin/api/stations/nearest?place=" + url_encode("火星"),
                     {}, bearer(kDeskToken))
            .status,
        404);
    EXPECT_EQ(http_request(kayou.port(), "GET", "/admin/api/stations/nearest?lat=31.7").status,
              401);

    // Publishing a stations version with a new station next to Hutang changes the GEO answer.
    std::string stations = read_file(KAYOU_SOURCE_DIR "/faq/data/stations.yaml");
    const std::string marker = "\nstations:\n";
    stations.insert(stations.find(marker) + marker.size(),
                    "  - id: wujin-hutang-new\n    name: 湖塘新站\n    district: 武进区\n"
                    "    lat: 31.7151\n    lng: 119.9561\n    address: 湖塘镇测试路1号\n");
    auto uploaded = http_request(kayou.port(), "POST", "/admin/api/content/stations/versions",
                                 stations, bearer(kEditorToken));
    ASSERT_EQ(uploaded.status, 201) << uploaded.body;
    const int version = json::parse(uploaded.body).value("version", 0);
    ASSERT_EQ(
        http_request(kayou.port(), "POST",
                     "/admin/api/content/stations/versions/" + std::to_string(version) + "/publish",
                     {}, bearer(kEditorToken))
            .status,
        200);
    // The GEO set is replaced before the publish returns.
    auto after =
        get_json(kayou, "/admin/api/stations/nearest?lat=31.7150&lng=119.9560", kDeskToken);
    ASSERT_FALSE(after["stations"].empty()) << after.dump();
    EXPECT_EQ(after["stations"][0]["id"], "wujin-hutang-new");
}

TEST_F(AdminApi, BenefitsFollowMembershipStatus) {
    const std::string base =
        "/admin/api/benefits?district=" + url_encode("武进区") + "&date=2026-05-01";
    auto none = get_json(kayou, base + "&status=none", kEditorToken);
    auto member = get_json(kayou, base + "&status=member", kEditorToken);
    auto has = [](const json& reply, const std::string& id) {
        for (const auto& b : reply["benefits"])
            if (b == id) return true;
        return false;
    };
    EXPECT_TRUE(has(none, "job-fair")) << none.dump();
    EXPECT_FALSE(has(none, "fuel-card"));
    EXPECT_NE(none["text"].get<std::string>().find("入会后还可享受"), std::string::npos);
    EXPECT_TRUE(has(member, "fuel-card")) << member.dump();
    EXPECT_TRUE(has(member, "wujin-tire-discount"));
    EXPECT_FALSE(has(get_json(kayou,
                              "/admin/api/benefits?district=" + url_encode("溧阳市") +
                                  "&date=2026-05-01&status=member",
                              kEditorToken),
                     "wujin-tire-discount"));
    EXPECT_EQ(
        http_request(kayou.port(), "GET", base + "&status=vip", {}, bearer(kEditorToken)).status,
        400);
}

TEST_F(AdminApi, DeskTicketLifecycleWithRolesAndStats) {
    const json open{{"category", "grievance"},
                    {"subcategory", "fines"},
                    {"question", "治超站罚款不开票据怎么办"},
                    {"phone", "13812345678"}};
    EXPECT_EQ(
        http_request(kayou.port(), "POST", "/admin/api/tickets", open.dump(), bearer(kEditorToken))
            .status,
        403);
    const json bad{{"category", "grievance"}, {"question", "x"}};
    EXPECT_EQ(
        http_request(kayou.port(), "POST", "/admin/api/tickets", bad.dump(), bearer(kDeskToken))
            .status,
        400);
    auto created =
        http_request(kayou.port(), "POST", "/admin/api/tickets", open.dump(), bearer(kDeskToken));
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string number = json::parse(created.body).value("number", "");
    ASSERT_EQ(number.rfind("FL", 0), 0u) << number;
    ASSERT_EQ(number.size(), 14u);

    auto queue = get_json(kayou, "/admin/api/tickets?state=open", kDeskToken);
    ASSERT_EQ(queue["tickets"].size(), 1u) << queue.dump() << kayou.log();
    EXPECT_EQ(queue["tickets"][0]["number"], number);
    EXPECT_EQ(queue["tickets"][0]["phone"], "138****5678");
    // At rest the phone is sealed, never in clear text.
    const auto raw = redis.command("HGET kayou:{tickets}:t:" + number + " phone");
    EXPECT_EQ(raw.find("13812345678"), std::string::npos);
    EXPECT_GT(raw.size(), 20u) << raw;

    const json answer{{"text", "罚款须出具法定票据，可向上级路政部门投诉。"}};
    auto answered = http_request(kayou.port(), "POST", "/admin/api/tickets/" + number + "/answer",
                                 answer.dump(), bearer(kDeskToken));
    ASSERT_EQ(answered.status, 200) << answered.body;
    EXPECT_TRUE(json::parse(answered.body).value("first_answer", false));
    auto ticket = get_json(kayou, "/admin/api/tickets/" + number, kDeskToken);
    EXPECT_EQ(ticket["state"], "answered");
    EXPECT_EQ(ticket["answered_by"], "test-desk");
    EXPECT_TRUE(get_json(kayou, "/admin/api/tickets?state=open", kDeskToken)["tickets"].empty());
    // A second answer replaces the first as the ticket's answer; the first stays in its notes
    // with who gave it (it was overwritten and lost).
    const json again{{"text", "补充：票据不合规的罚款可以拒缴。"}};
    ASSERT_EQ(http_request(kayou.port(), "POST", "/admin/api/tickets/" + number + "/answer",
                           again.dump(), bearer(kDeskToken))
                  .status,
              200);
    ticket = get_json(kayou, "/admin/api/tickets/" + number, kDeskToken);
    EXPECT_EQ(ticket["answer"], again["text"]);
    ASSERT_EQ(ticket["notes"].size(), 1u) << ticket.dump();
    EXPECT_EQ(ticket["notes"][0]["text"], answer["text"]);
    EXPECT_EQ(ticket["notes"][0]["answered_by"], "test-desk");

    ASSERT_EQ(http_request(kayou.port(), "POST", "/admin/api/tickets/" + number + "/close", {},
                           bearer(kDeskToken))
                  .status,
              200);
    EXPECT_EQ(http_request(kayou.port(), "POST", "/admin/api/tickets/" + number + "/answer",
                           answer.dump(), bearer(kDeskToken))
                  .status,
              409);
    EXPECT_EQ(http_request(kayou.port(), "GET", "/admin/api/tickets/FL209901010001", {},
                           bearer(kDeskToken))
                  .status,
              404);
    auto stats = get_json(kayou, "/admin/api/tickets/stats", kDeskToken);
    const auto& fines = stats["categories"]["grievance:fines"];
    EXPECT_EQ(fines["opened"], 1) << stats.dump();
    EXPECT_EQ(fines["answered"], 1);
    EXPECT_EQ(fines["closed"], 1);
    EXPECT_GE(fines["median_seconds_to_answer"].get<int>(), 0);
    // Audit: open, answer, close by the desk; no phone, no text.
    const auto audit = redis.command("XRANGE kayou:audit - +");
    EXPECT_NE(audit.find("ticket.close"), std::string::npos);
    EXPECT_EQ(audit.find("13812345678"), std::string::npos);
}

TEST_F(AdminApi, UploadPrefixAcceptsLargeBodiesOtherRoutesKeepTheLimit) {
    const std::string big(100 * 1024, 'a');
    // 100 KiB of nonsense: accepted by the server (within the 4 MiB upload limit), rejected by
    // validation with a line number.
    auto upload = http_request(kayou.port(), "POST", "/admin/api/content/benefits/versions", big,
                               bearer(kEditorToken));
    EXPECT_EQ(upload.status, 422) << upload.body;
    // The same body on an exact route keeps the server's 64 KiB limit.
    EXPECT_EQ(http_request(kayou.port(), "POST", "/admin/api/legal/ask", big, bearer(kEditorToken))
                  .status,
              413);
}

// The console's entry form over HTTP: the parsed entries of a version, one entry saved as a new
// version on a base (replaced, appended, removed), "check" storing nothing, a 422 that names the
// form field of each line, publish in the same request, and who may do what.
TEST_F(AdminApi, OneEntryIsSavedFromTheFormAsANewVersion) {
    auto post = [&](const json& body, const char* token = kEditorToken) {
        return http_request(kayou.port(), "POST", "/admin/api/content/faq/entries", body.dump(),
                            bearer(token), 10s);
    };
    auto entries_of = [&](int version) {
        return get_json(kayou,
                        "/admin/api/content/faq/versions/" + std::to_string(version) + "/entries",
                        kDeskToken);  // reading is for every role
    };
    const json v1 = entries_of(1);
    ASSERT_TRUE(v1.contains("entries")) << v1.dump();
    ASSERT_GE(v1["entries"].size(), 300u);
    json wage;
    for (const auto& e : v1["entries"])
        if (e["id"] == "wage_arrears") wage = e;
    ASSERT_FALSE(wage.is_null());
    EXPECT_GE(wage["questions"].size(), 4u);
    EXPECT_EQ(wage["legal_basis"][0]["law"], "劳动合同法");
    EXPECT_GT(wage["line"].get<int>(), 0);

    // Replaced in place: a new version; version 1 and what is served stay as they were.
    json edited = wage;
    edited["answer"] = "新的回答：先保存证据，再打12333投诉。";
    edited["questions"].push_back("老板欠我三个月工钱咋弄");
    auto saved = post({{"base", 1}, {"original", "wage_arrears"}, {"entry", edited}});
    ASSERT_EQ(saved.status, 201) << saved.body;
    const int v2 = json::parse(saved.body)["version"];
    EXPECT_FALSE(json::parse(saved.body)["published"].get<bool>());
    const json after = entries_of(v2);
    ASSERT_EQ(after["entries"].size(), v1["entries"].size());
    EXPECT_EQ(after["entries"][0]["id"], v1["entries"][0]["id"]);
    for (const auto& e : after["entries"])
        if (e["id"] == "wage_arrears") {
            EXPECT_EQ(e["answer"], "新的回答：先保存证据，再打12333投诉。");
            EXPECT_EQ(e["questions"].back(), "老板欠我三个月工钱咋弄");
        }
    const auto text =
        http_request(kayou.port(), "GET", "/admin/api/content/faq/versions/" + std::to_string(v2),
                     {}, bearer(kEditorToken));
    EXPECT_NE(text.body.find("# ───────────── 工资 ─────────────"), std::string::npos)
        << "the script's comments stay";
    EXPECT_EQ(get_json(kayou, "/admin/api/content/faq/published", kEditorToken)["published"], 1);

    // A broken entry: 422 with each message on its field; "check" and saving agree; nothing new.
    json broken = edited;
    broken["answer"] = "";
    broken["legal_basis"] = json::array({{{"law", ""}, {"article", "第30条"}}});
    for (const bool check : {true, false}) {
        auto refused =
            post({{"base", v2}, {"original", "wage_arrears"}, {"entry", broken}, {"check", check}});
        ASSERT_EQ(refused.status, 422) << refused.body;
        std::set<std::string> fields;
        const json problems = json::parse(refused.body);  // named: a temporary's member dangles
        for (const auto& problem : problems["errors"]) {
            EXPECT_GT(problem["line"].get<int>(), 0);
            if (problem.contains("field"))
                fields.insert(problem["field"].get<std::string>() +
                              std::to_string(problem.value("index", -1)));
        }
        EXPECT_TRUE(fields.count("answer-1")) << refused.body;
        EXPECT_TRUE(fields.count("legal_basis0")) << refused.body;
    }
    auto valid =
        post({{"base", v2}, {"original", "wage_arrears"}, {"entry", edited}, {"check", true}});
    EXPECT_EQ(valid.status, 200) << valid.body;
    // The whole reply's length comes back, so the form can warn before drivers get it cut; an
    // answer too long for one reply is still valid (it is shortened, not refused).
    const json checked = json::parse(valid.body);
    EXPECT_EQ(checked["reply_limit"], 2048) << valid.body;
    EXPECT_GT(checked["reply_bytes"].get<std::size_t>(),
              edited["answer"].get<std::string>().size() + 100)
        << "the legal basis and the closing line count: " << valid.body;
    json long_answer = edited;
    std::string long_text;
    for (int i = 0; i < 120; ++i) long_text += "先保存好证据。";
    long_answer["answer"] = long_text;
    auto too_long =
        post({{"base", v2}, {"original", "wage_arrears"}, {"entry", long_answer}, {"check", true}});
    EXPECT_EQ(too_long.status, 200) << too_long.body;
    EXPECT_GT(json::parse(too_long.body)["reply_bytes"].get<std::size_t>(), 2048u) << too_long.body;
    const json versions = get_json(kayou, "/admin/api/content/faq/versions", kEditorToken);
    EXPECT_EQ(versions["versions"].size(), 2u) << "check and refused edits store nothing";

    // A new entry (appended) and published in the same request; then one removed.
    const json fresh = {{"id", "form_new_entry"},
                        {"questions", {"表单新建的条目测试问题"}},
                        {"answer", "表单新建的回答。"},
                        {"legal", false},
                        {"tags", {"测试"}}};
    auto appended = post({{"base", v2}, {"entry", fresh}, {"publish", true}});
    ASSERT_EQ(appended.status, 201) << appended.body;
    const int v3 = json::parse(appended.body)["version"];
    EXPECT_TRUE(json::parse(appended.body)["published"].get<bool>());
    EXPECT_EQ(entries_of(v3)["entries"].size(), v1["entries"].size() + 1);
    EXPECT_EQ(entries_of(v3)["entries"].back()["id"], "form_new_entry");
    ASSERT_TRUE(wait_serving(kayou, "faq", v3, 10s));
    auto asked =
        http_request(kayou.port(), "POST", "/admin/api/legal/ask",
                     json{{"question", "表单新建的条目测试问题"}}.dump(), bearer(kEditorToken));
    EXPECT_NE(asked.body.find("表单新建的回答"), std::string::npos) << asked.body;
    auto duplicate = post({{"base", v3}, {"entry", fresh}});
    ASSERT_EQ(duplicate.status, 422);
    EXPECT_NE(duplicate.body.find("duplicate id"), std::string::npos) << duplicate.body;
    auto removed = post({{"base", v3}, {"remove", "form_new_entry"}});
    ASSERT_EQ(removed.status, 201) << removed.body;
    EXPECT_EQ(entries_of(json::parse(removed.body)["version"])["entries"].size(),
              v1["entries"].size());
    EXPECT_EQ(post({{"base", v3}, {"remove", "no_such_entry"}}).status, 422);

    // Who published, in the version list; the thresholds in the preview.
    const json listed = get_json(kayou, "/admin/api/content/faq/versions", kEditorToken);
    for (const auto& v : listed["versions"]) {
        if (v["version"] == v3) EXPECT_EQ(v["published_by"], "test-editor");
        if (v["version"] == 1) EXPECT_EQ(v["published_by"], "seed");
    }
    auto preview = http_request(
        kayou.port(), "POST", "/admin/api/content/faq/versions/" + std::to_string(v2) + "/preview",
        json{{"questions", {"老板欠我三个月工钱咋弄"}}}.dump(), bearer(kEditorToken));
    ASSERT_EQ(preview.status, 200) << preview.body;
    const json previewed = json::parse(preview.body);
    EXPECT_EQ(previewed["results"][0]["action"], "answer");
    EXPECT_EQ(previewed["results"][0]["hits"][0]["id"], "wage_arrears");
    EXPECT_DOUBLE_EQ(previewed["thresholds"]["answer"].get<double>(), faq::Thresholds{}.answer);
    // No customer-service API configured here: the preview answers with one message, as the
    // Official Account would.
    EXPECT_EQ(previewed["follow_up"], false);

    // Roles and bad requests.
    EXPECT_EQ(post({{"base", 1}, {"entry", fresh}}, kDeskToken).status, 403);
    EXPECT_EQ(post({{"base", 999}, {"entry", fresh}}).status, 404);
    EXPECT_EQ(post({{"entry", fresh}}).status, 400);
    EXPECT_EQ(
        get_json(kayou, "/admin/api/content/faq/versions/999/entries", kEditorToken)["status"],
        404);
    EXPECT_EQ(
        get_json(kayou, "/admin/api/content/benefits/versions/1/entries", kEditorToken)["status"],
        404);
    const json me = get_json(kayou, "/admin/api/me", kDeskToken);
    EXPECT_EQ(me["name"], "test-desk");
    EXPECT_EQ(me["role"], "legal_desk");
    EXPECT_EQ(http_request(kayou.port(), "GET", "/admin/api/me").status, 401);
}

}  // namespace
}  // namespace kayou::test
