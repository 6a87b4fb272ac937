// The Redis-backed parts of issue 5 in-process against a real redis-server: the content store
// (reject without a trace, seed once), the driver stations in Redis GEO (a location → the nearest
// three), and tickets ("找律师" → ticket → the desk's answer reaches the driver by SMS outbox and
// as a pending chat message; stats). Every test runs under a hard deadline.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>

#include "crypto/sealed_box.hpp"
#include "faq/driver_services.hpp"
#include "faq/legal_service.hpp"
#include "faq/live_content.hpp"
#include "faq/station_geo.hpp"
#include "faq/store.hpp"
#include "faq/tickets.hpp"
#include "notify/sms_outbox.hpp"
#include "redis/client.hpp"
#include "tests/support/redis_server.hpp"

#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace kayou::faq {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::RedisServer;

#define CO_ASSERT_TRUE(cond)                             \
    do {                                                 \
        if (!(cond)) {                                   \
            ADD_FAILURE() << "assertion failed: " #cond; \
            co_return;                                   \
        }                                                \
    } while (0)

// A fresh redis-server per test (keys from one test must not leak into another's counts).
struct Fixture {
    RedisServer server;
    asio::io_context io{1};
    std::shared_ptr<redis::Client> redis;

    Fixture() {
        const redis::Config config = server.client_config();
        redis = redis::Client::create(io.get_executor(), config);
        redis->start();
    }
    ~Fixture() { redis->stop(); }

    void run(const std::function<asio::awaitable<void>()>& body,
             std::chrono::seconds deadline = 20s) {
        bool done = false;
        std::exception_ptr error;
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                co_await redis->wait_connected(5s);
                co_await body();
            },
            [&](std::exception_ptr e) {
                done = true;
                error = e;
                io.stop();  // the client's timers would keep run_for busy until the deadline
            });
        io.run_for(deadline);
        ASSERT_TRUE(done) << "the test coroutine did not finish before its deadline";
        if (error) {
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                FAIL() << "test coroutine threw: " << e.what();
            }
        }
    }
};

std::string read_data(const std::string& name) {
    std::ifstream file(std::string(KAYOU_SOURCE_DIR) + "/faq/data/" + name);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

class RecordingOutbox : public notify::SmsOutbox {
public:
    std::vector<notify::SmsMessage> sent;
    asio::awaitable<void> enqueue(notify::SmsMessage message) override {
        sent.push_back(std::move(message));
        co_return;
    }
};

crypto::SealedBox test_box() { return *crypto::SealedBox::from_key(std::string(32, 'k')); }

TEST(FaqStore, RejectedUploadChangesNothingAndSeedHappensOnce) {
    Fixture f;
    ContentStore store(f.redis, "kayou:");
    f.run([&]() -> asio::awaitable<void> {
        auto rejected = co_await store.upload(ContentKind::stations, "version: x\nstations: 3\n",
                                              "editor", 1000);
        CO_ASSERT_TRUE(rejected.version == 0);
        CO_ASSERT_TRUE(!rejected.problems.empty());
        EXPECT_EQ(rejected.problems[0].line, 2);
        EXPECT_TRUE((co_await store.versions(ContentKind::stations)).empty());

        const auto text = read_data("stations.yaml");
        EXPECT_EQ(co_await store.seed(ContentKind::stations, text, 1000), 1);
        EXPECT_EQ(co_await store.seed(ContentKind::stations, text, 1001), 1);  // already seeded
        auto second = co_await store.upload(ContentKind::stations, text, "editor", 1002);
        EXPECT_EQ(second.version, 2);
        EXPECT_EQ(co_await store.published(ContentKind::stations), 1);
        EXPECT_FALSE(co_await store.publish(ContentKind::stations, 7, "editor", 1003));
        EXPECT_TRUE(co_await store.publish(ContentKind::stations, 2, "editor", 1003));
        const auto versions = co_await store.versions(ContentKind::stations);
        CO_ASSERT_TRUE(versions.size() == 2);
        EXPECT_EQ(versions[0].number, 2);
        EXPECT_TRUE(versions[0].published);
        EXPECT_EQ(versions[0].uploaded_by, "editor");
        EXPECT_EQ(versions[0].label, "2026.1-demo");
        EXPECT_EQ((co_await store.text(ContentKind::stations, 2)).value_or(""), text);
    });
}

TEST(FaqStations, LocationGivesTheNearestThreeFromRedisGeo) {
    Fixture f;
    StationGeo geo(f.redis, "kayou:");
    const auto catalog = parse_stations(read_data("stations.yaml"), "stations.yaml");
    f.run([&]() -> asio::awaitable<void> {
        co_await geo.load(catalog, 3);
        EXPECT_EQ(co_await geo.loaded_version(), 3);
        // A WeChat location message from Hutang town, Wujin.
        const double lat = 31.7150, lng = 119.9560;
        const auto nearby = co_await geo.nearest(lat, lng, 3);
        CO_ASSERT_TRUE(nearby.size() == 3);
        EXPECT_EQ(nearby[0].station.id, "wujin-hutang");
        EXPECT_EQ(nearby[0].station.name, "湖塘镇司机之家");
        EXPECT_FALSE(nearby[0].station.services.empty());
        EXPECT_LE(nearby[0].distance_km, nearby[1].distance_km);
        EXPECT_LE(nearby[1].distance_km, nearby[2].distance_km);
        // Redis' distances agree with the in-memory haversine (same Earth radius).
        const auto expected = nearest_in_memory(catalog, lat, lng, 3);
        for (std::size_t i = 0; i < 3; ++i) {
            EXPECT_EQ(nearby[i].station.id, expected[i].station->id);
            EXPECT_NEAR(nearby[i].distance_km, expected[i].distance_km, 0.05);
        }
        const auto text = nearest_text(nearby, {}, catalog.demo);
        EXPECT_NE(text.find("1. 湖塘镇司机之家"), std::string::npos) << text;

        // Republishing a smaller catalog replaces the set atomically: gone stations vanish.
        StationCatalog smaller = catalog;
        smaller.stations.erase(smaller.stations.begin() + 6);  // wujin-hutang
        co_await geo.load(smaller, 4);
        const auto after = co_await geo.nearest(lat, lng, 3);
        CO_ASSERT_TRUE(!after.empty());
        EXPECT_NE(after[0].station.id, "wujin-hutang");
        // Far from every station: nothing within the radius.
        EXPECT_TRUE((co_await geo.nearest(39.9, 116.4, 3, 200)).empty());
    });
}

TEST(FaqTickets, FindLawyerOpensATicketAndTheAnswerReachesTheDriver) {
    Fixture f;
    ContentStore store(f.redis, "kayou:");
    StationGeo geo(f.redis, "kayou:");
    LiveContent live(f.io.get_executor(), store, geo,
                     {.poll_interval = 500ms, .seed_dir = KAYOU_SOURCE_DIR "/faq/data"});
    RecordingOutbox outbox;
    std::int64_t now = 1795365000;
    TicketDesk desk(f.redis, "kayou:", test_box(), &outbox, [&] { return now; });
    LegalService legal(live, desk);
    f.run([&]() -> asio::awaitable<void> {
        co_await live.poll_once();  // seeds and loads version 1 of every kind
        CO_ASSERT_TRUE(live.faq() != nullptr);
        EXPECT_EQ(live.version(ContentKind::faq), 1);
        EXPECT_EQ(live.version(ContentKind::stations), 1);
        EXPECT_EQ(co_await geo.loaded_version(), 1);

        // What the dialog engine calls for a location message and for "附近的司机之家 湖塘".
        DriverServices services(live, geo);
        const auto near_location = co_await services.stations_near(31.7150, 119.9560);
        EXPECT_NE(near_location.text.find("1. 湖塘镇司机之家"), std::string::npos)
            << near_location.text;
        // The ids listed, in the text's order: "第二个…" next picks among them.
        CO_ASSERT_TRUE(near_location.listed.size() == 3);
        EXPECT_EQ(near_location.listed[0], "wujin-hutang");
        const std::string by_town = "附近的司机之家 湖塘";
        const auto near_town = co_await services.stations_near_place(by_town);
        CO_ASSERT_TRUE(near_town.has_value());
        EXPECT_NE(near_town->text.find("离湖塘镇最近的司机之家"), std::string::npos)
            << near_town->text;
        EXPECT_EQ(near_town->place, "湖塘镇");
        EXPECT_EQ(near_town->listed, near_location.listed);
        // A service asked for: only stations that offer it, the nearest first.
        const std::string shower_text = "湖塘有洗澡的吗";
        const auto shower = co_await services.stations_near_place(shower_text);
        CO_ASSERT_TRUE(shower.has_value());
        EXPECT_NE(shower->text.find("离湖塘镇最近、有淋浴的司机之家"), std::string::npos)
            << shower->text;
        EXPECT_EQ(shower->text.find("微波炉"), std::string::npos) << shower->text;
        const std::string nowhere = "附近的司机之家";
        EXPECT_FALSE((co_await services.stations_near_place(nowhere)).has_value());
        // Outside the area: said so, with the nearest covered station and 12351 (issue 17).
        const auto beijing = co_await services.stations_near(39.9042, 116.4074);
        EXPECT_NE(beijing.text.find("不在我们工会司机之家的服务范围（常州市）"), std::string::npos)
            << beijing.text;
        EXPECT_NE(beijing.text.find("12351"), std::string::npos) << beijing.text;
        EXPECT_EQ(beijing.text.find("发送您的位置"), std::string::npos) << beijing.text;
        EXPECT_EQ(beijing.listed.size(), 1u);  // the one nearest covered station
        const std::string nanjing_text = "附近的司机之家 南京";
        const auto nanjing = co_await services.stations_near_place(nanjing_text);
        CO_ASSERT_TRUE(nanjing.has_value());
        EXPECT_NE(nanjing->text.find("南京不在"), std::string::npos) << nanjing->text;
        EXPECT_NE(nanjing->text.find("直溪镇驿站"), std::string::npos) << nanjing->text;
        EXPECT_NE(nanjing->text.find("12351"), std::string::npos) << nanjing->text;
        EXPECT_TRUE(asks_for_stations(by_town));
        EXPECT_TRUE(asks_for_benefits("入会有什么福利"));
        EXPECT_NE(services.benefits("武进区", MemberStatus::none, "", "2026-05-01")
                      .find("入会后还可享受"),
                  std::string::npos);

        LegalQuestion question;
        question.text = "找律师";
        question.channel = "oa";
        question.chat_id = "o_driver1";
        question.sender_id = "o_driver1";
        question.phone = "13812345678";
        const auto reply = co_await legal.ask(question);
        CO_ASSERT_TRUE(!reply.ticket.empty());
        EXPECT_EQ(reply.ticket, "FL202611230001");
        EXPECT_EQ(reply.action, Action::handoff);
        CO_ASSERT_TRUE(reply.texts.size() == 1);
        EXPECT_NE(reply.texts[0].find(reply.ticket), std::string::npos);

        // The desk's queue shows it, phone masked; Redis holds no phone in clear text.
        const auto open = co_await desk.list("open");
        CO_ASSERT_TRUE(open.size() == 1);
        EXPECT_EQ(open[0].number, reply.ticket);
        EXPECT_EQ(open[0].phone_masked, "138****5678");
        std::vector<std::string> raw{"HGET", desk.key("t:" + reply.ticket), "phone"};
        const auto stored = co_await f.redis->exec(std::move(raw));
        EXPECT_EQ(stored.str.find("13812345678"), std::string::npos);
        EXPECT_FALSE(stored.str.empty());

        // The lawyer answers 90 minutes later.
        now += 5400;
        const auto outcome =
            co_await desk.answer(reply.ticket, "可以申请劳动仲裁，带上工资条。", "lawyer-wang");
        EXPECT_EQ(outcome.result, AnswerOutcome::Result::answered);
        EXPECT_TRUE(outcome.first_answer);
        EXPECT_TRUE(outcome.chat_queued);
        EXPECT_TRUE(outcome.sms_queued);
        CO_ASSERT_TRUE(outbox.sent.size() == 1);
        EXPECT_EQ(outbox.sent[0].phone, "13812345678");
        EXPECT_EQ(outbox.sent[0].template_name, "legal_answer_ready");
        EXPECT_EQ(outbox.sent[0].params, std::vector<std::string>{reply.ticket});
        EXPECT_EQ(outbox.sent[0].idempotency_key, "ticket-answered:" + reply.ticket);

        // The driver's next message on the same channel picks the answer up, once.
        const auto pending = co_await desk.take_pending("oa", "o_driver1");
        CO_ASSERT_TRUE(pending.size() == 1);
        EXPECT_NE(pending[0].find("可以申请劳动仲裁"), std::string::npos);
        EXPECT_NE(pending[0].find(reply.ticket), std::string::npos);
        EXPECT_TRUE((co_await desk.take_pending("oa", "o_driver1")).empty());
        EXPECT_TRUE((co_await desk.list("open")).empty());

        // Status by number; a second answer (a correction) sends no second SMS.
        const auto ticket = co_await desk.get(reply.ticket);
        CO_ASSERT_TRUE(ticket.has_value());
        EXPECT_EQ(ticket->state, "answered");
        EXPECT_NE(ticket_status_text(*ticket, true).find("可以申请劳动仲裁"), std::string::npos);
        const auto again =
            co_await desk.answer(reply.ticket, "补充：也可以找劳动监察。", "lawyer-wang");
        EXPECT_FALSE(again.first_answer);
        EXPECT_EQ(outbox.sent.size(), 1u);

        // What he adds afterwards. A day after the answer a question the scripts answered is no
        // reply (left); anything they could not answer reopens it, and within the day so does
        // an answered question. Sealed at rest; answering again is no first answer.
        now += kReplyWindowSeconds + 1;
        EXPECT_EQ(co_await desk.add_note(reply.ticket, "超速怎么罚", false), NoteResult::answered);
        EXPECT_EQ(co_await desk.add_note(reply.ticket, "仲裁委说要劳动合同 我没有 咋办"),
                  NoteResult::reopened);
        EXPECT_EQ(co_await desk.add_note(reply.ticket, "只有微信聊天记录", false),
                  NoteResult::added);
        const auto noted = co_await desk.get(reply.ticket);
        CO_ASSERT_TRUE(noted.has_value());
        EXPECT_EQ(noted->state, "open");
        // The first answer, replaced by the correction, comes first: the desk keeps what it said.
        CO_ASSERT_TRUE(noted->notes.size() == 3);
        EXPECT_TRUE(noted->notes[0].earlier_answer);
        EXPECT_EQ(noted->notes[0].answered_by, "lawyer-wang");
        EXPECT_NE(noted->notes[0].text.find("可以申请劳动仲裁"), std::string::npos);
        EXPECT_FALSE(noted->notes[1].earlier_answer);
        EXPECT_EQ(noted->notes[1].text, "仲裁委说要劳动合同 我没有 咋办");
        EXPECT_EQ(noted->notes[2].at, now);
        const auto queue = co_await desk.list("open");
        CO_ASSERT_TRUE(queue.size() == 1);
        EXPECT_EQ(queue[0].notes.size(), 3u);
        std::vector<std::string> raw_notes{"LRANGE", desk.key("notes:" + reply.ticket), "0", "-1"};
        const auto stored_notes = co_await f.redis->exec(std::move(raw_notes));
        CO_ASSERT_TRUE(stored_notes.elements.size() == 3);
        // What the driver typed is sealed at rest.
        EXPECT_EQ(stored_notes.elements[1].str.find("劳动合同"), std::string::npos);
        const auto third = co_await desk.answer(reply.ticket, "没有合同也能仲裁。", "lawyer-wang");
        EXPECT_FALSE(third.first_answer);
        EXPECT_EQ(outbox.sent.size(), 1u);
        EXPECT_EQ(co_await desk.add_note("FL209901010001", "x"), NoteResult::not_found);

        // A grievance, then stats per category.
        NewTicket grievance;
        grievance.category = "grievance";
        grievance.subcategory = "fines";
        grievance.question = "治超站罚款不给票据";
        grievance.channel = "bridge";
        grievance.sender_id = "wxid_2";
        const auto number = co_await desk.open(grievance);
        EXPECT_EQ(number, "FL202611240001");  // the clock moved on a day above
        EXPECT_TRUE(co_await desk.close(reply.ticket, "lawyer-wang"));
        EXPECT_EQ((co_await desk.answer(reply.ticket, "x", "y")).result,
                  AnswerOutcome::Result::closed);
        EXPECT_EQ(co_await desk.add_note(reply.ticket, "x"), NoteResult::closed);
        EXPECT_FALSE(co_await desk.close("FL209901010001", "y"));
        const auto stats = co_await desk.stats();
        CO_ASSERT_TRUE(stats.count("legal") == 1 && stats.count("grievance:fines") == 1);
        EXPECT_EQ(stats.at("legal").opened, 1);
        EXPECT_EQ(stats.at("legal").answered, 1);
        EXPECT_EQ(stats.at("legal").closed, 1);
        EXPECT_EQ(stats.at("legal").median_seconds_to_answer, 5400);
        EXPECT_EQ(stats.at("grievance:fines").opened, 1);
        EXPECT_EQ(stats.at("grievance:fines").median_seconds_to_answer, -1);
    });
}

TEST(FaqTickets, RepeatedMissesOpenATicketButGroupsStayQuiet) {
    Fixture f;
    ContentStore store(f.redis, "kayou:");
    StationGeo geo(f.redis, "kayou:");
    LiveContent live(f.io.get_executor(), store, geo,
                     {.poll_interval = 500ms, .seed_dir = KAYOU_SOURCE_DIR "/faq/data"});
    TicketDesk desk(f.redis, "kayou:", std::nullopt, nullptr,
                    [] { return std::int64_t{1795365000}; });
    LegalService legal(live, desk);
    f.run([&]() -> asio::awaitable<void> {
        co_await live.poll_once();
        LegalQuestion question;
        question.text = "火星上的停车费怎么算才合理呢";
        question.channel = "wecom_app";
        question.sender_id = "u1";
        auto first = co_await legal.ask(question);
        EXPECT_EQ(first.action, Action::handoff);
        EXPECT_TRUE(first.ticket.empty());  // offered, not opened
        question.misses_before = 1;
        auto second = co_await legal.ask(question);
        EXPECT_FALSE(second.ticket.empty());
        // In a group without an @-mention: silence, and never a ticket.
        question.in_group = true;
        question.mentioned = false;
        auto group = co_await legal.ask(question);
        EXPECT_EQ(group.action, Action::silence);
        EXPECT_TRUE(group.ticket.empty());
        EXPECT_EQ((co_await desk.list("")).size(), 1u);
    });
}

// A big script builds on the worker thread: the I/O thread keeps running handlers meanwhile.
TEST(FaqHotReload, BigIndexBuildsOffTheIoThread) {
    Fixture f;
    ContentStore store(f.redis, "kayou:");
    StationGeo geo(f.redis, "kayou:");
    LiveContent live(f.io.get_executor(), store, geo, {.poll_interval = 500ms, .seed_dir = ""});
    // 3,000 synthetic entries from a pool of common characters (deterministic).
    const std::u32string pool =
        U"工资老板拖欠合同辞退赔偿仲裁社保事故保险罚款超载驾驶证扣分运费货主平台挂靠押金加班"
        U"伤病假期证据欠条法院律师投诉交警路政车辆司机公司单位时间天数钱多少怎么办能不能可以";
    auto utf8 = [](char32_t c) {
        std::string out;
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
        return out;
    };
    std::uint32_t seed = 12345;
    auto next = [&] { return (seed = seed * 1103515245u + 12345u) >> 8; };
    std::string text = "version: big\nentries:\n";
    for (int i = 0; i < 3000; ++i) {
        text += "  - id: e" + std::to_string(i) + "\n    legal: false\n    questions:\n";
        for (int q = 0; q < 3; ++q) {
            text += "      - ";
            for (int c = 0; c < 10; ++c) text += utf8(pool[next() % pool.size()]);
            text += "\n";
        }
        text += "    answer: ";
        for (int c = 0; c < 30; ++c) text += utf8(pool[next() % pool.size()]);
        text += "\n";
    }
    f.run([&]() -> asio::awaitable<void> {
        int ticks = 0;
        bool building = true;
        asio::co_spawn(
            f.io,
            [&]() -> asio::awaitable<void> {
                asio::steady_timer timer(f.io);
                while (building) {
                    ++ticks;
                    timer.expires_after(5ms);
                    co_await timer.async_wait(asio::use_awaitable);
                }
            },
            asio::detached);
        const auto started = std::chrono::steady_clock::now();
        auto built = co_await live.build(ContentKind::faq, text, 9);
        const auto took = std::chrono::steady_clock::now() - started;
        building = false;
        CO_ASSERT_TRUE(built.faq != nullptr);
        EXPECT_EQ(built.faq->script().entries.size(), 3000u);
        // Had the build run on the I/O thread, the ticker would have run once or twice.
        const auto expected =
            std::chrono::duration_cast<std::chrono::milliseconds>(took).count() / 20;
        EXPECT_GE(ticks, std::max<long long>(3, expected))
            << "build took " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
            << " ms";
    });
}

}  // namespace
}  // namespace kayou::faq
