// The join step machine as a pure function: script + state + message -> state + texts + effect.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "dialogs/join_engine.hpp"
#include "dialogs/validators.hpp"

namespace kayou::dialogs {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

constexpr int kToday = 20261122;
// GB 11643 valid (check digit computed), born 1985: an adult of working age.
constexpr const char* kIdCard = "320412198501011233";
constexpr const char* kMobile = "13800138000";

bool any_contains(const std::vector<std::string>& texts, std::string_view needle) {
    for (const auto& text : texts)
        if (text.find(needle) != std::string::npos) return true;
    return false;
}

std::string all(const std::vector<std::string>& texts) {
    std::string out;
    for (const auto& text : texts) out += text + "\n";
    return out;
}

class EngineTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        script_ = new FlowScript(FlowScript::load_file(KAYOU_SOURCE_DIR "/config/flows/join.yaml"));
        districts_ = new members::DistrictCatalog(members::DistrictCatalog::from_yaml(
            read_file(KAYOU_SOURCE_DIR "/config/districts.yaml")));
    }
    static void TearDownTestSuite() {
        delete script_;
        delete districts_;
    }

    JoinEngine engine() const { return JoinEngine(*script_, *districts_); }

    // One 1:1 message; effects are answered by `results` in order (or fail the test).
    TurnOutput say(const std::string& text, std::vector<EffectResult> results = {}) {
        return say_in(text, "", std::move(results));
    }
    // `value` as the router hands it over, taken from the whole message `said`.
    TurnOutput say_in(const std::string& value, const std::string& said,
                      std::vector<EffectResult> results = {}) {
        const std::string& text = value;
        TurnInput input{text, false, false, kToday, said};
        auto out = engine().on_message(state_, input);
        std::vector<std::string> texts = out.texts;
        std::size_t next = 0;
        while (out.effect.kind != EffectKind::none) {
            last_effect_ = out.effect;
            EXPECT_LT(next, results.size()) << "unexpected effect for '" << text << "'";
            if (next >= results.size()) break;
            EXPECT_EQ(results[next].kind, out.effect.kind);
            auto more = engine().on_effect(out.state, results[next++], input);
            texts.insert(texts.end(), more.texts.begin(), more.texts.end());
            more.draft_deleted = more.draft_deleted || out.draft_deleted;
            out = std::move(more);
        }
        state_ = out.state;
        out.texts = texts;
        return out;
    }

    static EffectResult sent() { return {EffectKind::send_code, "ok"}; }
    static EffectResult checked(std::string outcome, int remaining = 0) {
        EffectResult r{EffectKind::check_code, std::move(outcome)};
        r.remaining = remaining;
        return r;
    }

    // Name, ID and phone given: the code step waits.
    void walk_to_code() {
        say("我要入会");
        say("张三");
        say(kIdCard);
        say(kMobile, {sent()});
        ASSERT_EQ(state_.draft->step, "verify");
    }
    // Name, ID, phone, code and plate given: the district step waits.
    void walk_to_district() {
        walk_to_code();
        say("123456", {checked("ok")});
        say("苏D12345");
        ASSERT_EQ(state_.draft->step, "district");
    }
    void walk_to_confirm() {
        walk_to_district();
        say("武进区");
        say("无");
        ASSERT_EQ(state_.draft->step, "confirm");
    }

    static FlowScript* script_;
    static members::DistrictCatalog* districts_;
    ConversationState state_;
    Effect last_effect_;
};
FlowScript* EngineTest::script_ = nullptr;
members::DistrictCatalog* EngineTest::districts_ = nullptr;

TEST_F(EngineTest, JoinKeywordStartsTheFlowAtTheFirstStep) {
    auto out = say("我要入会");
    EXPECT_EQ(state_.session.flow, "join");
    ASSERT_TRUE(state_.draft);
    EXPECT_EQ(state_.draft->step, "name");
    EXPECT_TRUE(any_contains(out.texts, "姓名"));
}

// Drivers type several fields in one message: each waits for its step instead of being asked
// again ("我叫李卫东 电话139…" lost the phone).
TEST_F(EngineTest, ValuesTypedBeforeTheirStepAreKeptForIt) {
    say("我要入会");
    say_in("李卫东", "我叫李卫东 电话13912345601");
    EXPECT_EQ(state_.draft->step, "id_card");
    auto out = say(kIdCard, {sent()});
    EXPECT_EQ(last_effect_.kind, EffectKind::send_code);
    EXPECT_EQ(state_.draft->step, "verify");
    EXPECT_EQ(state_.draft->slots.at("mobile"), "13912345601");
    EXPECT_TRUE(any_contains(out.texts, "用您刚才发的")) << all(out.texts);
    EXPECT_FALSE(any_contains(out.texts, "13912345601")) << "shown masked: " << all(out.texts);
    EXPECT_TRUE(state_.draft->waiting.empty());
}

TEST_F(EngineTest, AJoinRequestWithEveryValueGoesStraightToTheCode) {
    const std::string said =
        std::string("我要入会 我叫赵大海 身份证") + kIdCard + " 手机" + kMobile;
    auto out = say_in(said, said, {sent()});
    EXPECT_EQ(state_.draft->step, "verify");
    EXPECT_EQ(state_.draft->slots.at("name"), "赵大海");
    EXPECT_EQ(state_.draft->slots.at("id_card"), kIdCard);
    EXPECT_EQ(state_.draft->slots.at("mobile"), kMobile);
    EXPECT_EQ(last_effect_.kind, EffectKind::send_code);
}

// "…在金坛跑 挂靠金坛顺达物流" in the first message: district and employer were asked again at
// steps 5 and 6 (member helper, session 20). They now wait for their steps like the numbers.
TEST_F(EngineTest, DistrictAndEmployerInTheFirstMessageAreKept) {
    const std::string said = std::string("我要入会 我叫赵大海 身份证") + kIdCard + " 手机" +
                             kMobile + " 车牌苏D12345 在金坛跑 挂靠金坛顺达物流";
    say_in(said, said, {sent()});
    auto out = say("123456", {checked("ok")});
    EXPECT_EQ(state_.draft->step, "confirm") << all(out.texts);
    EXPECT_EQ(state_.draft->slots.at("district"), "jintan");
    EXPECT_EQ(state_.draft->slots.at("employer"), "金坛顺达物流");
    EXPECT_TRUE(any_contains(out.texts, "金坛区")) << all(out.texts);
}

// "手机号打错了 是138…": the change and its new value in one message.
TEST_F(EngineTest, AChangeRequestCarryingTheNewValueUsesIt) {
    say("我要入会");
    say("张三");
    say(kIdCard);
    say(kMobile, {sent()});
    ASSERT_EQ(state_.draft->step, "verify");
    auto out = say_in("修改手机", "不对 手机号打错了 是13812345679", {sent()});
    EXPECT_EQ(state_.draft->slots.at("mobile"), "13812345679");
    EXPECT_EQ(state_.draft->step, "verify");
    EXPECT_EQ(last_effect_.kind, EffectKind::send_code);
    // Without a value the change asks for it, as before.
    say_in("修改手机", "手机号打错了");
    EXPECT_EQ(state_.draft->step, "mobile");
}

// "修改姓名 李洪兵": the value after the field's name (session 27: it went unread).
TEST_F(EngineTest, AChangeNamingTheFieldThenTheValueUsesIt) {
    walk_to_confirm();
    auto out = say("修改姓名 李洪兵");
    EXPECT_EQ(state_.draft->slots.at("name"), "李洪兵");
    EXPECT_EQ(state_.draft->step, "confirm");
    EXPECT_TRUE(any_contains(out.texts, "请核对"));
}

// "我要入会 身份证… 手机…" with no name: the numbers wait for their steps, and he is told so
// (they seemed lost; join helper, session 28).
TEST_F(EngineTest, NumbersBeforeTheNameAreSaidToBeKept) {
    const std::string said = std::string("我要入会 身份证") + kIdCard + " 手机" + kMobile;
    auto out = say_in("我要入会", said);
    EXPECT_TRUE(any_contains(out.texts, "先记下了")) << all(out.texts);
    EXPECT_EQ(state_.draft->step, "name");
}

// An ID that fails its check among the first message's details was dropped without a word
// (join helper, session 28): what is wrong is said, and step 2 asks for it.
TEST_F(EngineTest, AWrongIdAmongTheFirstDetailsIsSaidToBeWrong) {
    auto out = say("我要入会 我叫赵大海 身份证320412199002142538");
    EXPECT_TRUE(any_contains(out.texts, "核对不上")) << all(out.texts);
    EXPECT_EQ(state_.draft->step, "id_card");
}

// Two corrections in one message: the second had been dropped (join helper, session 27). The
// field the edit is for takes its value, and another filled field the message names does too.
TEST_F(EngineTest, AnEditThatNamesAnotherFieldCorrectsBoth) {
    walk_to_confirm();
    auto out = say_in("修改区县", "车牌错了 是苏D54321 区也填错了 是新北");
    EXPECT_EQ(state_.draft->slots.at("plate"), "苏D54321") << all(out.texts);
    EXPECT_EQ(state_.draft->slots.at("district"), "xinbei") << all(out.texts);
    EXPECT_EQ(state_.draft->step, "confirm");
    // A phone among them is left for its own change (a new number needs its code).
    const std::string mobile = state_.draft->slots.at("mobile");
    out = say_in("修改车牌", "车牌错了 是苏D11111 电话13812340000");
    EXPECT_EQ(state_.draft->slots.at("plate"), "苏D11111");
    EXPECT_EQ(state_.draft->slots.at("mobile"), mobile);
    EXPECT_EQ(state_.draft->step, "confirm");
}

// "不改了" after "修改车牌": the plate stays and the summary comes back (session 27).
TEST_F(EngineTest, KeepingAFieldReturnsWithItsValue) {
    walk_to_confirm();
    const std::string plate = state_.draft->slots.at("plate");
    say("修改车牌");
    ASSERT_EQ(state_.draft->step, "plate");
    auto out = say("不改了");
    EXPECT_EQ(state_.draft->step, "confirm");
    EXPECT_EQ(state_.draft->slots.at("plate"), plate);
    EXPECT_TRUE(any_contains(out.texts, "请核对"));
    out = say("就这样吧");  // at the summary: shown again, nothing submitted
    EXPECT_EQ(state_.draft->step, "confirm");
    EXPECT_NE(last_effect_.kind, EffectKind::submit);
}

// A value that fails its step's check is dropped and the step asks as usual.
TEST_F(EngineTest, AKeptValueThatFailsItsCheckIsAskedFor) {
    say("我要入会");
    state_.draft->waiting["id_card"] = "320412198501011234";  // wrong check digit
    say("张三");
    EXPECT_EQ(state_.draft->step, "id_card");
    EXPECT_FALSE(state_.draft->slots.count("id_card"));
    EXPECT_TRUE(state_.draft->waiting.empty());
}

TEST_F(EngineTest, CompleteWalkFillsEverySlotAndSubmits) {
    walk_to_confirm();
    const auto& slots = state_.draft->slots;
    EXPECT_EQ(slots.at("name"), "张三");
    EXPECT_EQ(slots.at("id_card"), kIdCard);
    EXPECT_EQ(slots.at("mobile"), kMobile);
    EXPECT_EQ(slots.at("plate"), "苏D12345");
    EXPECT_EQ(slots.at("district"), "wujin");
    EXPECT_EQ(slots.at("employer"), "");
    EXPECT_EQ(state_.draft->verified_mobile, kMobile);

    EffectResult submitted{EffectKind::submit, "new"};
    submitted.application_id = "RH20261122000001";
    submitted.deadline = "2026-11-23 10:00";
    auto out = say("确认", {submitted});
    EXPECT_EQ(last_effect_.kind, EffectKind::submit);
    EXPECT_TRUE(any_contains(out.texts, "RH20261122000001"));
    EXPECT_TRUE(any_contains(out.texts, "2026-11-23 10:00"));
    EXPECT_TRUE(out.draft_deleted);
    EXPECT_FALSE(state_.draft);
    EXPECT_EQ(state_.session.flow, "");
    EXPECT_EQ(out.events, std::vector<std::string>{"submitted"});
}

TEST_F(EngineTest, FunnelEventsNameStepsNeverText) {
    auto start = say("我要入会");
    EXPECT_EQ(start.events, std::vector<std::string>{"started"});
    auto name = say("张三");
    EXPECT_EQ(name.events, std::vector<std::string>{"done:name"});
    say("1");
    say("1");
    auto third = say("1");
    EXPECT_EQ(third.events, std::vector<std::string>{"help_offered:id_card"});
    auto cancel = say("取消");
    EXPECT_EQ(cancel.events, std::vector<std::string>{"cancelled"});
}

TEST_F(EngineTest, SummaryIsMaskedAndNeverShowsRawPersonalData) {
    say("我要入会");
    say("张三丰");
    say(kIdCard);
    say(kMobile, {sent()});
    say("123456", {checked("ok")});
    say("苏D12345");
    say("湖塘镇");
    auto out = say("常州顺丰速运");
    const std::string text = all(out.texts);
    EXPECT_EQ(text.find(kIdCard), std::string::npos);
    EXPECT_EQ(text.find(kMobile), std::string::npos);
    EXPECT_EQ(text.find("苏D12345"), std::string::npos);
    // The name in full: the driver checks it here (he typed it a minute ago, in his own chat).
    EXPECT_NE(text.find("姓名：张三丰"), std::string::npos) << text;
    EXPECT_NE(text.find("3204**********1233"), std::string::npos) << text;
    EXPECT_NE(text.find("138****8000"), std::string::npos);
    EXPECT_NE(text.find("武进区"), std::string::npos);
    EXPECT_NE(text.find("常州顺丰速运"), std::string::npos);
}

TEST_F(EngineTest, NoEmployerShowsTheTurnoverPool) {
    walk_to_confirm();
    EXPECT_NE(engine().summary(*state_.draft).find("周转池"), std::string::npos);
}

TEST_F(EngineTest, BadAnswersGetTheValidatorsMessageAndKeepTheStep) {
    say("入会");
    auto out = say("123");
    EXPECT_EQ(state_.draft->step, "name");
    ASSERT_FALSE(out.texts.empty());
    EXPECT_EQ(out.texts[0], validate_name("123").error);
    EXPECT_EQ(state_.draft->failures.at("name"), 1);
}

TEST_F(EngineTest, ThirdFailureOffersHumanHelpAndKeepsTheDraft) {
    say("入会");
    say("张三");
    auto first = say("1234");
    auto second = say("1234");
    EXPECT_FALSE(any_contains(first.texts, "人工"));
    EXPECT_FALSE(any_contains(second.texts, "人工"));
    auto third = say("1234");
    EXPECT_TRUE(any_contains(third.texts, "人工"));
    EXPECT_EQ(state_.draft->slots.at("name"), "张三");
    EXPECT_EQ(state_.draft->step, "id_card");
    auto human = say("人工");
    EXPECT_TRUE(any_contains(human.texts, "工作人员"));
    EXPECT_EQ(state_.draft->slots.at("name"), "张三");
}

TEST_F(EngineTest, EmojiAndVoicePunctuationAreIgnored) {
    say("入会🙏");
    auto out = say("张三。");
    EXPECT_EQ(state_.draft->slots.at("name"), "张三");
    say(std::string(kIdCard) + "！");
    EXPECT_EQ(state_.draft->slots.at("id_card"), kIdCard);
    say("👍138 0013 8000，", {sent()});
    EXPECT_EQ(state_.draft->slots.at("mobile"), kMobile);
}

TEST_F(EngineTest, CleanInputTrimsEdgesButKeepsInnerMarks) {
    EXPECT_EQ(JoinEngine::clean_input("  “阿卜杜·热合曼”。 "), "阿卜杜·热合曼");
    EXPECT_EQ(JoinEngine::clean_input("👍🏻确认！！"), "确认");
    EXPECT_EQ(JoinEngine::clean_input("确\u200d认"), "确认");
    EXPECT_EQ(JoinEngine::clean_input(""), "");
    EXPECT_EQ(JoinEngine::clean_input("。。。"), "");
    EXPECT_LE(JoinEngine::clean_input(std::string(100000, 'a')).size(), 4096u);
}

TEST_F(EngineTest, VeryLongMessageIsRejectedWithoutEcho) {
    say("入会");
    const std::string long_text(20000, 'x');
    auto out = say(long_text);
    EXPECT_EQ(state_.draft->step, "name");
    for (const auto& text : out.texts) EXPECT_LT(text.size(), 2000u);
}

TEST_F(EngineTest, CodeStepSendsAndChecksAndCountsWrongTries) {
    say("入会");
    say("张三");
    say(kIdCard);
    auto out = say(kMobile, {sent()});
    EXPECT_EQ(last_effect_.kind, EffectKind::send_code);
    EXPECT_TRUE(any_contains(out.texts, "138****8000"));
    EXPECT_EQ(state_.draft->step, "verify");
    auto wrong = say("111111", {checked("wrong", 4)});
    EXPECT_EQ(last_effect_.code, "111111");
    EXPECT_TRUE(any_contains(wrong.texts, "4"));
    EXPECT_EQ(state_.draft->step, "verify");
    auto letters = say("abc");
    EXPECT_TRUE(any_contains(letters.texts, "6位"));
    auto expired = say("222222", {checked("expired")});
    EXPECT_TRUE(any_contains(expired.texts, "过期"));
    auto resend = say("重发", {{EffectKind::send_code, "rate_minute"}});
    EXPECT_TRUE(any_contains(resend.texts, "1分钟"));
    auto hour = say("重发", {{EffectKind::send_code, "rate_hour"}});
    EXPECT_TRUE(any_contains(hour.texts, "5次"));
    // The caps of members/code_caps.hpp: the phone's day, the sender, the union's budget.
    auto day = say("重发", {{EffectKind::send_code, "rate_day"}});
    EXPECT_TRUE(any_contains(day.texts, "明天"));
    auto sender = say("重发", {{EffectKind::send_code, "rate_sender"}});
    EXPECT_TRUE(any_contains(sender.texts, "次数太多"));
    auto busy = say("重发", {{EffectKind::send_code, "busy"}});
    EXPECT_TRUE(any_contains(busy.texts, "上限"));
    EXPECT_EQ(state_.draft->step, "verify");
    auto locked = say("333333", {checked("locked")});
    EXPECT_TRUE(any_contains(locked.texts, "重发"));
    auto ok = say("444 444", {checked("ok")});
    EXPECT_EQ(last_effect_.code, "444444");
    EXPECT_EQ(state_.draft->step, "plate");
    EXPECT_TRUE(any_contains(ok.texts, "车牌"));
}

TEST_F(EngineTest, EditFromTheSummaryReturnsToTheSummary) {
    walk_to_confirm();
    auto out = say("修改车牌");
    EXPECT_EQ(state_.draft->step, "plate");
    EXPECT_EQ(state_.draft->return_to, "confirm");
    out = say("苏D54321");
    EXPECT_EQ(state_.draft->step, "confirm");
    EXPECT_EQ(state_.draft->slots.at("plate"), "苏D54321");
    EXPECT_TRUE(any_contains(out.texts, "请核对"));
}

TEST_F(EngineTest, ChangingTheMobileAsksForANewCode) {
    walk_to_confirm();
    say("修改手机号");
    EXPECT_EQ(state_.draft->step, "mobile");
    auto out = say("13912345678", {sent()});
    EXPECT_EQ(state_.draft->step, "verify");
    EXPECT_TRUE(any_contains(out.texts, "139****5678"));
    out = say("654321", {checked("ok")});
    EXPECT_EQ(state_.draft->step, "confirm");
    EXPECT_EQ(state_.draft->verified_mobile, "13912345678");
}

// A new number changed back while its code waits: the confirmed one again, no code, and the
// summary (it asked steps 3–6 again; join helper, session 31).
TEST_F(EngineTest, ThePhoneChangedBackAtTheCodeStepReturnsToTheSummary) {
    walk_to_confirm();
    say("修改手机号");
    say("13912345678", {sent()});
    EXPECT_EQ(state_.draft->step, "verify");
    auto out = say("算了还是用刚才那个号吧");
    EXPECT_EQ(state_.draft->step, "confirm");
    EXPECT_EQ(state_.draft->slots.at("mobile"), kMobile);
    EXPECT_TRUE(any_contains(out.texts, "不用再收验证码"));
    // Or by "修改手机号" again at the code step, and the confirmed number typed.
    say("修改手机号");
    say("13912345678", {sent()});
    say("修改手机号");
    EXPECT_EQ(state_.draft->step, "mobile");
    out = say(kMobile);
    EXPECT_EQ(state_.draft->step, "confirm");
    EXPECT_TRUE(any_contains(out.texts, "请核对"));
}

TEST_F(EngineTest, SameVerifiedMobileIsNotCheckedTwice) {
    walk_to_confirm();
    say("修改手机号");
    auto out = say(kMobile);  // no effect expected: already verified
    EXPECT_EQ(state_.draft->step, "confirm");
}

TEST_F(EngineTest, EditBeforeReachingAFieldContinuesTheWalk) {
    say("入会");
    say("张三");
    say(kIdCard);
    say("修改姓名");
    EXPECT_EQ(state_.draft->step, "name");
    EXPECT_EQ(state_.draft->return_to, "mobile");
    say("李四");
    EXPECT_EQ(state_.draft->step, "mobile");
    EXPECT_EQ(state_.draft->slots.at("name"), "李四");
}

// A field the walk has not reached ("不对 公司名写错了 是常州顺发物流" at the code step) went
// straight to the summary past the code, the plate and the district (benefits helper, session
// 29). It is kept for its step, and the form stays where it was.
TEST_F(EngineTest, AnEditOfAFieldNotReachedYetKeepsItForItsStep) {
    walk_to_code();
    auto out = say_in("修改单位", "不对 公司名写错了 是常州顺发物流");
    EXPECT_EQ(state_.draft->step, "verify") << all(out.texts);
    EXPECT_TRUE(any_contains(out.texts, "单位/平台先记下了")) << all(out.texts);
    EXPECT_FALSE(any_contains(out.texts, "请核对")) << all(out.texts);
    EXPECT_EQ(state_.draft->slots.count("employer"), 0u);
    // Without a value: it is asked at its step.
    out = say_in("修改车牌", "车牌写错了");
    EXPECT_EQ(state_.draft->step, "verify") << all(out.texts);
    EXPECT_TRUE(any_contains(out.texts, "还没填到")) << all(out.texts);
    say("123456", {checked("ok")});
    say("苏D12345");
    out = say("武进");
    EXPECT_EQ(state_.draft->step, "confirm") << all(out.texts);
    EXPECT_EQ(state_.draft->slots.at("employer"), "常州顺发物流");
}

// "挂靠在常州顺达物流有限公司" at the district step got 常州's districts, and the company seemed
// lost (benefits helper, session 29): it is kept for its step, and the district asked again.
TEST_F(EngineTest, ACompanyAtTheDistrictStepIsKeptNotReadAsThePlace) {
    walk_to_district();
    auto out = say("挂靠在常州顺达物流有限公司");
    EXPECT_EQ(state_.draft->step, "district") << all(out.texts);
    EXPECT_TRUE(any_contains(out.texts, "单位/平台先记下了")) << all(out.texts);
    EXPECT_FALSE(any_contains(out.texts, "下面分这几个区县")) << all(out.texts);
    out = say("武进");
    EXPECT_EQ(state_.draft->step, "confirm") << all(out.texts);
    EXPECT_EQ(state_.draft->slots.at("employer"), "常州顺达物流有限公司");
}

// "名字是张大海 没错吧" at the summary: the summary again, where he sees the name (session 29).
TEST_F(EngineTest, AFieldCheckedAtTheSummaryShowsItAgain) {
    walk_to_confirm();
    auto out = say_in("名字是张三", "名字是张三 没错吧");
    EXPECT_EQ(state_.draft->step, "confirm");
    EXPECT_TRUE(any_contains(out.texts, "请核对")) << all(out.texts);
    EXPECT_NE(last_effect_.kind, EffectKind::submit);
}

// "我刚才填到哪了" got "手机号只能是数字" (join helper, session 30): what is filled, masked, and
// the step again; nothing changes.
TEST_F(EngineTest, WhereHeIsSaysWhatIsFilledAndAsksTheStepAgain) {
    say("入会");
    auto empty = say("填到哪了");
    EXPECT_TRUE(any_contains(empty.texts, "还没有填好的项")) << all(empty.texts);
    say("张三");
    auto out = say("填到哪了");
    EXPECT_TRUE(any_contains(out.texts, "已经填好的：姓名 张三")) << all(out.texts);
    EXPECT_TRUE(any_contains(out.texts, "第2步")) << all(out.texts);
    EXPECT_EQ(state_.draft->step, "id_card");
}

TEST_F(EngineTest, EditWithoutAFieldAsksWhich) {
    say("入会");
    auto out = say("修改");
    EXPECT_TRUE(any_contains(out.texts, "手机号"));
    EXPECT_EQ(state_.draft->step, "name");
}

TEST_F(EngineTest, CancelDeletesTheDraft) {
    say("入会");
    say("张三");
    auto out = say("取消");
    EXPECT_TRUE(out.draft_deleted);
    EXPECT_FALSE(state_.draft);
    EXPECT_EQ(state_.session.flow, "");
    EXPECT_TRUE(any_contains(out.texts, "已取消"));
    auto again = say("取消");
    EXPECT_TRUE(any_contains(again.texts, "没有正在办理"));
}

TEST_F(EngineTest, RestartClearsSlotsAndAsksTheFirstQuestion) {
    say("入会");
    say("张三");
    say(kIdCard);
    auto out = say("重新填写");
    EXPECT_EQ(state_.draft->step, "name");
    EXPECT_TRUE(state_.draft->slots.empty());
}

TEST_F(EngineTest, ProgressInTheMiddleAnswersAndKeepsThePlace) {
    say("入会");
    say("张三");
    EffectResult none{EffectKind::progress, "none"};
    auto out = say("进度", {none});
    // Not "没有查到": he is filling it in, and nothing counts until 确认 (session 24).
    EXPECT_FALSE(any_contains(out.texts, "没有查到"));
    EXPECT_TRUE(any_contains(out.texts, "还没提交"));
    EXPECT_TRUE(any_contains(out.texts, "确认"));
    EXPECT_TRUE(any_contains(out.texts, "身份证"));
    EXPECT_EQ(state_.draft->step, "id_card");
}

TEST_F(EngineTest, ProgressAnswersFromTheRecord) {
    EffectResult received{EffectKind::progress, "received"};
    received.application_id = "RH20261122000007";
    received.deadline = "2026-11-23 18:00";
    auto out = say("进度", {received});
    EXPECT_TRUE(any_contains(out.texts, "RH20261122000007"));
    EXPECT_TRUE(any_contains(out.texts, "2026-11-23 18:00"));
    EffectResult rejected{EffectKind::progress, "rejected"};
    rejected.application_id = "RH1";
    rejected.reason = "身份证照片不清楚";
    out = say("查询进度", {rejected});
    EXPECT_TRUE(any_contains(out.texts, "身份证照片不清楚"));
    EffectResult approved{EffectKind::progress, "approved"};
    out = say("进度", {approved});
    EXPECT_TRUE(any_contains(out.texts, "通过"));
}

TEST_F(EngineTest, OtherServiceInTheMiddleIsAnsweredAndTheStepIsKept) {
    say("入会");
    say("张三");
    auto out = say("我想咨询欠运费的法律问题");
    EXPECT_TRUE(any_contains(out.texts, "法律"));
    EXPECT_TRUE(any_contains(out.texts, "身份证"));
    EXPECT_EQ(state_.draft->step, "id_card");
    EXPECT_EQ(state_.draft->failures.count("id_card"), 0u);
}

TEST_F(EngineTest, AmbiguousDistrictAsksAndAcceptsANumber) {
    walk_to_district();
    auto out = say("遥观");
    EXPECT_EQ(state_.draft->step, "district");
    ASSERT_EQ(state_.draft->choices.size(), 2u);
    EXPECT_TRUE(any_contains(out.texts, "1. "));
    say("2");
    EXPECT_EQ(state_.draft->slots.at("district"), "jingkai");
    EXPECT_EQ(state_.draft->step, "employer");
}

// Two places and the one he settles on (join helper, session 23: both were listed back, quoted
// from a text cut mid-word).
TEST_F(EngineTest, TwoPlacesAndTheOneHeSettlesOn) {
    walk_to_district();
    say("住在金坛 不过平时武进跑的多 算武进吧");
    EXPECT_EQ(state_.draft->slots.at("district"), "wujin");
    EXPECT_EQ(state_.draft->step, "employer");
}

// "常州" is the union's own city: he is asked which district, not told to join elsewhere (join
// helper, session 24), and no failure is counted.
TEST_F(EngineTest, OnlyTheCityAsksWhichDistrict) {
    walk_to_district();
    auto out = say("常州");
    EXPECT_EQ(state_.draft->step, "district");
    EXPECT_TRUE(any_contains(out.texts, "常州市下面分这几个区县"));
    EXPECT_FALSE(any_contains(out.texts, "当地工会入会"));
    EXPECT_EQ(state_.draft->failures.count("district"), 0u);
    ASSERT_EQ(state_.draft->choices.size(), 7u);
    say("4");
    EXPECT_EQ(state_.draft->slots.at("district"), "wujin");
    EXPECT_EQ(state_.draft->step, "employer");
}

TEST_F(EngineTest, UnknownDistrictListsTheDistricts) {
    walk_to_district();
    auto out = say("火星");
    EXPECT_TRUE(any_contains(out.texts, "溧阳市"));
    EXPECT_EQ(state_.draft->failures.at("district"), 1);
}

TEST_F(EngineTest, ExpiredSessionResumesFromTheDraft) {
    say("入会");
    say("张三");
    say(kIdCard);
    state_.session = {};  // the chat session expired; the draft did not
    auto out = say(kMobile, {sent()});
    EXPECT_TRUE(any_contains(out.texts, "欢迎回来"));
    EXPECT_EQ(state_.draft->step, "verify");
    EXPECT_EQ(state_.draft->slots.at("name"), "张三");
    EXPECT_EQ(state_.session.flow, "join");
}

TEST_F(EngineTest, ExistingApplicationIsReportedNotDuplicated) {
    walk_to_confirm();
    EffectResult existing{EffectKind::submit, "existing"};
    existing.application_id = "RH20261121000003";
    existing.status_text = "已受理，审核中";
    auto out = say("确认", {existing});
    EXPECT_TRUE(any_contains(out.texts, "RH20261121000003"));
    EXPECT_TRUE(any_contains(out.texts, "不用重复"));
    EXPECT_FALSE(state_.draft);
}

// Another phone's application with this ID number may be his typing error: the form stays at the
// summary and "修改身份证" mends it (join helper, session 23: it was deleted).
TEST_F(EngineTest, AnIdAnotherPhoneAppliedWithKeepsTheFormForItsFix) {
    walk_to_confirm();
    auto out = say("确认", {{EffectKind::submit, "existing_other"}});
    EXPECT_TRUE(any_contains(out.texts, "已经有一份入会申请"));
    EXPECT_TRUE(any_contains(out.texts, "修改身份证"));
    EXPECT_FALSE(any_contains(out.texts, "RH"));
    ASSERT_TRUE(state_.draft);
    EXPECT_EQ(state_.draft->step, "confirm");
    EXPECT_FALSE(out.draft_deleted);
}

TEST_F(EngineTest, SubmitFailureKeepsTheDraft) {
    walk_to_confirm();
    auto out = say("确认", {{EffectKind::submit, "failed"}});
    ASSERT_TRUE(state_.draft);
    EXPECT_EQ(state_.draft->step, "confirm");
}

TEST_F(EngineTest, ConfirmStepAcceptsOnlyConfirmWords) {
    walk_to_confirm();
    last_effect_ = {};
    auto out = say("嗯嗯嗯嗯嗯嗯嗯");
    EXPECT_EQ(last_effect_.kind, EffectKind::none);  // no submit asked
    EXPECT_TRUE(any_contains(out.texts, "确认"));
    EXPECT_EQ(state_.draft->step, "confirm");
}

TEST_F(EngineTest, IdleUnknownTextIsAcknowledgedMaskedWithHelp) {
    auto out = say("今天高速堵死了 13800138000");
    EXPECT_FALSE(state_.draft);
    EXPECT_FALSE(any_contains(out.texts, "13800138000"));
    EXPECT_TRUE(any_contains(out.texts, "今天高速堵死了 138****8000"));  // heard, masked
    EXPECT_TRUE(any_contains(out.texts, "入会"));
    auto long_text = say(std::string(5000, 'z'));
    EXPECT_LT(long_text.texts.at(0).size(), 1000u);
}

TEST_F(EngineTest, QueryAboutBenefitsIsNotProgress) {
    auto out = say("查询加油卡优惠");
    EXPECT_EQ(out.effect.kind, EffectKind::none);
    EXPECT_TRUE(any_contains(out.texts, "加油卡"));
    out = say("入会进度怎么样了", {{EffectKind::progress, "none"}});
    EXPECT_TRUE(any_contains(out.texts, "没有查到"));
    out = say("查询", {{EffectKind::progress, "none"}});
    EXPECT_TRUE(any_contains(out.texts, "没有查到"));
    out = say("我想咨询一下怎么入会");
    EXPECT_EQ(state_.session.flow, "join");
}

TEST_F(EngineTest, MessagesOfAnotherFlowMidStepDoNotBreakTheSession) {
    say("入会");
    say("张三");
    say("我要入会");  // join again mid-flow: keep the place
    EXPECT_EQ(state_.draft->step, "id_card");
    EXPECT_EQ(state_.draft->slots.at("name"), "张三");
    auto out = say("福利有哪些");
    EXPECT_TRUE(any_contains(out.texts, "福利"));
    EXPECT_EQ(state_.draft->step, "id_card");
}

// ---- groups ----

TurnOutput group(const JoinEngine& engine, const std::string& text, bool mentioned) {
    return engine.on_message({}, TurnInput{text, true, mentioned, kToday});
}

TEST_F(EngineTest, GroupIdNumberGetsAWarningWithoutEcho) {
    auto out = group(engine(), std::string("我的身份证") + kIdCard + " 帮帮我", false);
    EXPECT_TRUE(out.mention);
    EXPECT_EQ(out.effect.kind, EffectKind::none);
    EXPECT_TRUE(any_contains(out.texts, "不要在群里"));
    EXPECT_FALSE(any_contains(out.texts, kIdCard));
    EXPECT_FALSE(any_contains(out.texts, "1233"));
    EXPECT_FALSE(out.state.draft);
}

// "身份证… 帮我看看入会了没" in a group: the warning and where to ask, never a join link
// (group and benefits helpers, session 21: a new link, or the question dropped).
TEST_F(EngineTest, GroupProgressWithAnIdGetsTheWarningAndWhereToAsk) {
    auto out = group(engine(), std::string("我身份证") + kIdCard + " 帮我看看入会了没", false);
    EXPECT_TRUE(any_contains(out.texts, "不要在群里"));
    EXPECT_TRUE(any_contains(out.texts, "私聊我发“进度”"));
    EXPECT_EQ(out.effect.kind, EffectKind::none);
    EXPECT_FALSE(any_contains(out.texts, kIdCard));
}

// Issue 17 item 6: the warning, and the private path the driver asked for.
TEST_F(EngineTest, GroupJoinWithPersonalDataGetsTheWarningAndThePrivatePath) {
    auto out = group(engine(), std::string("我的身份证") + kIdCard + " 帮我入会", false);
    EXPECT_TRUE(any_contains(out.texts, "不要在群里"));
    EXPECT_EQ(out.effect.kind, EffectKind::group_link);
    EXPECT_FALSE(any_contains(out.texts, kIdCard));
    EXPECT_FALSE(out.state.draft);
}

TEST_F(EngineTest, GroupPhoneNumberGetsAWarning) {
    auto out = group(engine(), "有事打我电话 138-0013-8000", false);
    EXPECT_TRUE(any_contains(out.texts, "不要在群里"));
    EXPECT_FALSE(any_contains(out.texts, "8000"));
}

TEST_F(EngineTest, GroupJoinMovesToPrivateWithALink) {
    auto out = group(engine(), "我要入会", false);
    EXPECT_EQ(out.effect.kind, EffectKind::group_link);
    EXPECT_FALSE(out.state.draft);
    EffectResult link{EffectKind::group_link, "ok"};
    link.link = "https://kayou.example/join?t=abc";
    auto next = engine().on_effect(out.state, link, TurnInput{"我要入会", true, false, kToday});
    EXPECT_TRUE(next.mention);
    EXPECT_TRUE(any_contains(next.texts, "https://kayou.example/join?t=abc"));
    EXPECT_TRUE(any_contains(next.texts, "私聊"));
    EXPECT_TRUE(any_contains(next.texts, "只能提交一次"));
    EXPECT_TRUE(next.private_texts.empty());
    auto off = engine().on_effect(out.state, {EffectKind::group_link, "off"},
                                  TurnInput{"我要入会", true, false, kToday});
    EXPECT_TRUE(any_contains(off.texts, "私聊"));
}

TEST_F(EngineTest, GroupJoinLinkGoesPrivatelyWhereTheChannelCan) {
    auto out = group(engine(), "我要入会", true);
    EffectResult link{EffectKind::group_link, "private"};
    link.link = "https://kayou.example/join?t=abc";
    auto next = engine().on_effect(out.state, link, TurnInput{"我要入会", true, true, kToday});
    EXPECT_TRUE(next.mention);
    EXPECT_FALSE(any_contains(next.texts, "https://"));
    EXPECT_TRUE(any_contains(next.texts, "私聊发给您"));
    EXPECT_TRUE(any_contains(next.private_texts, "https://kayou.example/join?t=abc"));
}

TEST_F(EngineTest, GroupChatterWithoutMentionIsSilent) {
    auto out = group(engine(), "今天高速堵死了", false);
    EXPECT_TRUE(out.texts.empty());
    EXPECT_EQ(out.effect.kind, EffectKind::none);
    EXPECT_FALSE(out.mention);
    auto plate = group(engine(), "苏D12345 在服务区", false);
    EXPECT_TRUE(plate.texts.empty());
}

TEST_F(EngineTest, GroupMentionOrHelpGetsHelp) {
    auto out = group(engine(), "帮助", false);
    EXPECT_TRUE(any_contains(out.texts, "入会"));
    EXPECT_TRUE(out.mention);
    auto mentioned = group(engine(), "在吗", true);
    EXPECT_TRUE(any_contains(mentioned.texts, "入会"));
}

TEST_F(EngineTest, GroupProgressSaysNothingOfTheApplication) {
    // "已受理" told the group he applied; "没有查到" that he did not.
    auto out = group(engine(), "进度", true);
    EXPECT_EQ(out.effect.kind, EffectKind::none);
    EXPECT_TRUE(any_contains(out.texts, "私聊我发“进度”"));
    EXPECT_FALSE(any_contains(out.texts, "已受理"));
    EXPECT_FALSE(any_contains(out.texts, "没有查到"));
}

}  // namespace
}  // namespace kayou::dialogs
