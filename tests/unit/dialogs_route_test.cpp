// route(understanding, conversation) as a table: every intent in every state that matters.
#include "dialogs/route.hpp"

#include <gtest/gtest.h>

namespace kayou::dialogs {
namespace {

Understanding said(std::string intent, std::map<std::string, std::string> slots = {}) {
    Understanding understanding;
    understanding.intent = std::move(intent);
    understanding.text = "…";  // something was said; an empty text is a bare @-mention
    understanding.confidence = 1;
    understanding.slots = std::move(slots);
    return understanding;
}

RouteView idle(std::string application = "none") {
    RouteView view;
    view.application = std::move(application);
    return view;
}

RouteView at(std::string step) {
    RouteView view;
    view.step = std::move(step);
    view.application = "none";
    return view;
}

RouteView group(bool mentioned) {
    RouteView view;
    view.in_group = true;
    view.mentioned = mentioned;
    return view;
}

// An unaddressed group message that asks the group something (dialogs::asks_the_group).
RouteView asking_group() {
    RouteView view = group(false);
    view.asks_the_group = true;
    return view;
}

struct Row {
    const char* intent;
    RouteView view;
    Do action;
    bool resume;
    const char* flow_text = "";
};

TEST(Route, EveryIntentInEveryState) {
    RouteView submitted = idle("received");
    RouteView approved = idle("approved");
    RouteView rejected = idle("rejected");
    RouteView missed_once = idle();
    missed_once.misses_before = 1;
    RouteView missed_mid_flow = at("name");
    missed_mid_flow.misses_before = 1;
    RouteView after_legal = idle();
    after_legal.legal_context = true;
    RouteView with_choices = idle();
    with_choices.choices_offered = true;
    RouteView sms = idle();
    sms.sms = true;

    const Row rows[] = {
        // idle
        {"join", idle(), Do::start_join, false},
        {"join", submitted, Do::join_status, false},
        {"join", approved, Do::join_status, false},
        {"join", rejected, Do::start_join, false},
        {"restart", submitted, Do::join_status, false},
        {"progress", idle(), Do::status, false},
        {"progress", submitted, Do::status, false},
        {"benefits", idle(), Do::benefits, false},
        {"stations", idle(), Do::stations, false},
        {"question", idle(), Do::legal, false},
        {"person", idle(), Do::person, false},
        {"cancel", idle(), Do::flow, false, "取消"},
        {"greeting", idle(), Do::greet, false},
        {"thanks", idle(), Do::thanks, false},
        {"help", idle(), Do::menu, false},
        {"choice", idle(), Do::menu, false},
        {"choice", with_choices, Do::pick, false},
        {"resend", submitted, Do::status, false},
        // A submitted application is not the chat's to withdraw or change.
        {"cancel", submitted, Do::change_applied, false},
        {"edit", submitted, Do::change_applied, false},
        {"emergency", idle(), Do::emergency, false},
        {"out_of_scope", idle(), Do::not_understood, false},
        {"out_of_scope", missed_once, Do::person, false},
        {"opt_out", sms, Do::opt_out, false},
        {"opt_out", idle(), Do::not_understood, false},
        // inside the join flow: answers and commands go to the flow, the rest is a detour
        {"cancel", at("name"), Do::flow, false, "取消"},
        {"restart", at("plate"), Do::flow, false, "重新填写"},
        {"resend", at("sms_code"), Do::flow, false, "重发"},
        {"confirm", at("confirm"), Do::flow, false, "确认"},
        {"join", at("mobile"), Do::thanks, true},
        {"progress", at("id_card"), Do::status, true},
        {"benefits", at("name"), Do::benefits, true},
        {"stations", at("district"), Do::stations, true},
        {"question", at("name"), Do::legal, true},
        {"person", at("name"), Do::person, true},
        {"greeting", at("name"), Do::greet, true},
        {"thanks", at("plate"), Do::thanks, true},
        {"help", at("employer"), Do::menu, true},
        {"emergency", at("name"), Do::emergency, false},
        {"out_of_scope", at("name"), Do::not_understood, true},
        {"out_of_scope", missed_mid_flow, Do::person, true},
        {"choice", at("district"), Do::flow, false, "2"},
        // groups
        {"join", group(false), Do::group_join, false},
        {"join", group(true), Do::group_join, false},
        {"question", asking_group(), Do::legal, false},
        // Talk among members ("满帮扣钱太狠了"): theirs, not a question for the FAQ.
        {"question", group(false), Do::silence, false},
        {"question", group(true), Do::legal, false},
        {"benefits", group(false), Do::silence, false},
        {"benefits", group(true), Do::benefits, false},
        {"progress", group(true), Do::status, false},
        {"stations", group(true), Do::stations, false},
        {"greeting", group(true), Do::menu, false},
        {"greeting", group(false), Do::silence, false},
        {"out_of_scope", group(false), Do::silence, false},
        {"out_of_scope", group(true), Do::not_understood, false},
        {"emergency", group(false), Do::emergency, false},
    };
    for (const auto& row : rows) {
        std::map<std::string, std::string> slots;
        if (std::string(row.intent) == "choice") slots["number"] = "2";
        const Route got = route(said(row.intent, slots), row.view);
        EXPECT_EQ(got.action, row.action)
            << row.intent << " step=" << row.view.step << " app=" << row.view.application;
        EXPECT_EQ(got.resume, row.resume) << row.intent << " step=" << row.view.step;
        EXPECT_EQ(got.flow_text, row.flow_text) << row.intent;
    }
}

TEST(Route, AnAnswerGoesToTheFlowAsItsValueAndAWrongOneAsTyped) {
    EXPECT_EQ(route(said("answer", {{"value", "王建国"}}), at("name")).flow_text, "王建国");
    EXPECT_EQ(route(said("answer", {{"raw", "138123"}}), at("mobile")).flow_text, "138123");
}

TEST(Route, EditsNameTheirFieldForTheFlow) {
    EXPECT_EQ(route(said("edit", {{"field", "mobile"}}), at("confirm")).flow_text, "修改手机");
    EXPECT_EQ(route(said("edit"), at("confirm")).flow_text, "修改");
}

TEST(Route, PersonGoesToTheLegalDeskAfterALegalQuestionAndToStaffOtherwise) {
    RouteView after_legal = idle();
    after_legal.legal_context = true;
    EXPECT_EQ(route(said("person"), after_legal).desk, "legal");
    EXPECT_EQ(route(said("person"), idle()).desk, "staff");
    EXPECT_EQ(route(said("person"), at("name")).desk, "staff");
}

// "金坛区工会服务站在哪 电话多少" (person to the intent script), "溧阳工会在哪" (question): the
// district's service centre, in private and in a group (benefits helper, session 25).
TEST(Route, WhereTheDistrictsUnionIsGetsItsOffice) {
    Understanding office = said("person");
    office.text = "金坛区工会服务站在哪 电话多少";
    EXPECT_EQ(route(office, idle()).action, Do::union_office);
    office.intent = "question";
    office.text = "溧阳工会在哪 要带啥";
    EXPECT_EQ(route(office, idle()).action, Do::union_office);
    EXPECT_EQ(route(office, group(true)).action, Do::union_office);
    Understanding stations = said("question");
    stations.text = "附近的司机之家在哪";
    EXPECT_EQ(route(stations, idle()).action, Do::legal);
    // Mid-form, the office and then the step again (溧阳 had been kept for the district step;
    // benefits helper, session 26); read as out of scope too.
    Understanding aside = said("out_of_scope");
    aside.text = "我先问个别的 溧阳工会几点下班";
    const Route mid_form = route(aside, at("id_card"));
    EXPECT_EQ(mid_form.action, Do::union_office);
    EXPECT_TRUE(mid_form.resume);
    EXPECT_EQ(route(aside, idle()).action, Do::union_office);
    // "钟楼区工会在哪 周六有人吗" read as a greeting (有人吗) still gets the office.
    Understanding hello = said("greeting");
    hello.text = "钟楼区工会在哪 周六有人吗";
    EXPECT_EQ(route(hello, idle()).action, Do::union_office);
}

// "说错了 修了12天不是8天" right after a legal answer is the case corrected (it got "没看懂";
// legal helper, session 25); without a legal answer before it, it is no question.
TEST(Route, ACorrectedFigureAfterALegalAnswerGoesBackToIt) {
    Understanding correction = said("edit");
    correction.text = "说错了 修了12天不是8天";
    RouteView after_legal = idle();
    after_legal.legal_context = true;
    EXPECT_EQ(route(correction, after_legal).action, Do::legal);
    EXPECT_NE(route(correction, idle()).action, Do::legal);
    EXPECT_EQ(route(correction, at("plate")).action, Do::flow);
}

// "我是1974年的 男的" right after the pension answer asked for his birth: figures for that case
// (it got "帮不上忙"; legal helper, session 27); without figures, or before any legal answer,
// small talk stays small talk.
TEST(Route, FiguresRightAfterALegalAnswerAreForIt) {
    Understanding born = said("out_of_scope");
    born.text = "我是1974年的 男的";
    RouteView after_legal = idle();
    after_legal.legal_context = true;
    EXPECT_EQ(route(born, after_legal).action, Do::legal);
    EXPECT_NE(route(born, idle()).action, Do::legal);
    Understanding chatter = said("out_of_scope");
    chatter.text = "哈哈 今天天气不错";
    EXPECT_NE(route(chatter, after_legal).action, Do::legal);
}

// "申诉没通过还能咋办" (progress), "咋知道他是哪种" (thanks), "女的呢" (nothing) right after a
// legal answer ask about it; the union's own words, a plain thanks, a group, the form and a
// message before any legal answer keep their intent.
TEST(Route, AQuestionRightAfterALegalAnswerIsAboutIt) {
    RouteView asking_after_legal = idle();
    asking_after_legal.legal_context = true;
    asking_after_legal.asks = true;
    RouteView thanking_after_legal = asking_after_legal;
    thanking_after_legal.asks = false;
    RouteView asking = idle();
    asking.asks = true;
    RouteView asking_in_group = asking_after_legal;
    asking_in_group.in_group = true;
    asking_in_group.mentioned = true;
    RouteView asking_mid_form = asking_after_legal;
    asking_mid_form.step = "name";
    RouteView asking_with_ticket = asking_after_legal;
    asking_with_ticket.ticket_open = true;
    const auto with_text = [](std::string intent, std::string text) {
        Understanding understanding = said(std::move(intent));
        understanding.text = std::move(text);
        return understanding;
    };
    struct Case {
        Understanding understood;
        RouteView view;
        Do action;
    };
    const Case cases[] = {
        {with_text("progress", "申诉没通过还能咋办"), asking_after_legal, Do::legal},
        {with_text("thanks", "咋知道他是哪种"), asking_after_legal, Do::legal},
        {with_text("out_of_scope", "女的呢"), asking_after_legal, Do::legal},
        {with_text("progress", "我入会批了没"), asking_after_legal, Do::status},
        {with_text("progress", "会员证啥时候能到"), asking_after_legal, Do::status},
        {with_text("thanks", "好的 谢谢"), thanking_after_legal, Do::thanks},
        {with_text("progress", "多久能批下来"), asking, Do::status},
        {with_text("progress", "多久能批下来"), asking_in_group, Do::status},
        {said("out_of_scope", {{"chit_chat", "1"}}), asking_after_legal, Do::small_talk},
        {with_text("emergency", "撞人了 流了好多血 咋办"), asking_after_legal, Do::emergency},
    };
    for (const auto& [understood, view, action] : cases)
        EXPECT_EQ(route(understood, view).action, action) << understood.text;
    EXPECT_NE(route(with_text("thanks", "咋知道他是哪种"), asking_mid_form).action, Do::legal);
    const Route with_ticket = route(with_text("thanks", "咋知道他是哪种"), asking_with_ticket);
    EXPECT_EQ(with_ticket.action, Do::legal);
    EXPECT_TRUE(with_ticket.adds_to_ticket);
}

// "@卡友小助手 我的入会申请到哪了" got a new join link (group helper, session 22): where it
// stands is a progress question; "我入会填到哪了" is the form (router), "我要入会" a join.
TEST(Route, AGroupMemberAskingWhereHisApplicationStandsGetsItsStatus) {
    Understanding where = said("join");
    where.text = "我的入会申请到哪了";
    EXPECT_EQ(route(where, group(true)).action, Do::status);
    EXPECT_EQ(route(where, group(false)).action, Do::group_join);
    Understanding form = said("join");
    form.text = "我入会填到哪了";
    EXPECT_EQ(route(form, group(true)).action, Do::group_join);
    Understanding join = said("join");
    join.text = "我要入会";
    EXPECT_EQ(route(join, group(true)).action, Do::group_join);
}

TEST(Route, AskingForALawyerGoesToTheLegalDeskEvenFirst) {
    Understanding lawyer = said("person");
    lawyer.text = "找律师";
    EXPECT_EQ(route(lawyer, idle()).desk, "legal");
    EXPECT_EQ(route(lawyer, at("name")).desk, "legal");  // inside the join too
    Understanding person = said("person");
    person.text = "转人工";
    EXPECT_EQ(route(person, idle()).desk, "staff");
}

TEST(Route, SeriousQuestionsOfferTheDesk) {
    EXPECT_TRUE(route(said("question", {{"serious", "1"}}), idle()).offer_desk);
    EXPECT_FALSE(route(said("question"), idle()).offer_desk);
}

TEST(Route, NotUnderstoodCountsAMissAndTheSecondHandsOff) {
    EXPECT_TRUE(route(said("out_of_scope"), idle()).counts_miss);
    RouteView missed = idle();
    missed.misses_before = 1;
    const Route second = route(said("out_of_scope"), missed);
    EXPECT_EQ(second.action, Do::person);
    EXPECT_FALSE(second.counts_miss);
    // A name alone ("陈二狗") after a miss opened a staff ticket (join helper, session 28).
    missed.only_a_name = true;
    EXPECT_EQ(route(said("out_of_scope"), missed).action, Do::not_understood);
}

TEST(Route, APauseKeepsTheFormAndTheStepFollows) {
    EXPECT_EQ(route(said("wait"), at("mobile")).action, Do::wait);
    EXPECT_TRUE(route(said("wait"), at("mobile")).resume);
    EXPECT_EQ(route(said("wait"), idle()).action, Do::wait);
    EXPECT_FALSE(route(said("wait"), idle()).counts_miss);
}

TEST(Route, RecognisedSmallTalkIsNeverAMissAndNeverATicket) {
    const Understanding chit_chat = said("out_of_scope", {{"chit_chat", "1"}});
    RouteView missed = idle();
    missed.misses_before = 1;
    for (const RouteView& view : {idle(), missed}) {
        const Route got = route(chit_chat, view);
        EXPECT_EQ(got.action, Do::small_talk);
        EXPECT_FALSE(got.counts_miss);
    }
    EXPECT_EQ(route(chit_chat, at("name")).action, Do::small_talk);
    EXPECT_TRUE(route(chit_chat, at("plate")).resume);  // the step's prompt follows
    EXPECT_EQ(route(chit_chat, group(true)).action, Do::small_talk);
    EXPECT_EQ(route(chit_chat, group(false)).action, Do::silence);
    // What nothing recognised is still a miss, and the second hands off.
    EXPECT_EQ(route(said("out_of_scope"), missed).action, Do::person);
}

// "@卡友小助手" and nothing else asks whether anyone is there: the menu, not "没看懂".
TEST(Route, ABareMentionInAGroupGetsTheMenu) {
    Understanding bare = said("out_of_scope");
    bare.text.clear();
    EXPECT_EQ(route(bare, group(true)).action, Do::menu);
    EXPECT_EQ(route(bare, group(false)).action, Do::silence);
}

// Session 23's join helper: addressed in a group, the form he left in private, the join link
// asked for again, and a change to a submitted application; unaddressed, silence.
TEST(Route, AGroupAsksForTheFormTheLinkOrAChangeByName) {
    Understanding form = said("question");
    form.text = "我刚才私聊填到一半 进度呢";
    EXPECT_EQ(route(form, group(true)).action, Do::group_join);
    Understanding link = said("out_of_scope");
    link.text = "老李说的那个链接再发一个 我也弄";
    EXPECT_EQ(route(link, group(true)).action, Do::group_join);
    EXPECT_EQ(route(link, group(false)).action, Do::silence);
    // A change to an application says so; a correction of his story is a legal question
    // (session 31).
    const struct {
        const char* intent;
        const char* text;
        Do action;
    } changes[] = {{"cancel", "我入会申请想撤回 手机号换了", Do::change_applied},
                   {"edit", "改一下手机号", Do::change_applied},
                   {"edit", "不对 不是交警扣的 是车队老板扣着我的驾驶证和从业资格证", Do::legal}};
    for (const auto& change : changes) {
        Understanding said_it = said(change.intent);
        said_it.text = change.text;
        EXPECT_EQ(route(said_it, group(true)).action, change.action) << change.text;
    }
    EXPECT_EQ(route(said("cancel"), group(false)).action, Do::silence);
    EXPECT_EQ(route(said("choice"), group(true)).action, Do::menu);
}

// Session 24's benefits helper: "同问", "+1", "我也要 同上" got a labour-contract answer, choices
// or "没看懂". Addressed, they are pointed to the answer above; a longer message is his own case.
TEST(Route, SameHereInAGroupPointsToTheAnswerAbove) {
    for (const char* text : {"同问", "+1", "我也要 同上", "我也是这个情况", "同求"}) {
        for (const char* intent : {"question", "out_of_scope", "join"}) {
            Understanding same = said(intent);
            same.text = text;
            const Do expected = std::string(intent) == "join" ? Do::group_join : Do::same_here;
            EXPECT_EQ(route(same, group(true)).action, expected) << text << " " << intent;
        }
    }
    Understanding same = said("out_of_scope");
    same.text = "同问";
    EXPECT_EQ(route(same, group(false)).action, Do::silence);
    Understanding own = said("question");
    own.text = "我也是被扣了运费 货主说货湿了 能扣多少";
    EXPECT_EQ(route(own, group(true)).action, Do::legal);
}

// Session 24's benefits helper, after submitting: "今天礼拜天 有人审吗 啥时候能好" got choices,
// "我手机号要换了 审核结果短信能发新号不" the status alone. With an application they get its
// deadline and who can change it; without one, the answers' general rule.
TEST(Route, HisOwnApplicationAskedAboutAsAQuestion) {
    Understanding when = said("question");
    when.text = "今天礼拜天 有人审吗 啥时候能好";
    EXPECT_EQ(route(when, idle("received")).action, Do::status);
    EXPECT_EQ(route(when, idle("none")).action, Do::legal);
    Understanding phone = said("question");
    phone.text = "我手机号要换了 审核结果短信能发新号不";
    EXPECT_EQ(route(phone, idle("received")).action, Do::change_applied);
    EXPECT_EQ(route(phone, idle("approved")).action, Do::change_applied);
    EXPECT_EQ(route(phone, idle("none")).action, Do::legal);
    Understanding other = said("question");
    other.text = "老板欠我工资 啥时候能要回来";
    EXPECT_EQ(route(other, idle("received")).action, Do::legal);
}

}  // namespace
}  // namespace kayou::dialogs
