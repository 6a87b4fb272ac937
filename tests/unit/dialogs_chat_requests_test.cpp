// Numbered-choice picks and grievance requests as drivers type them.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "dialogs/chat_requests.hpp"

namespace kayou::dialogs {
namespace {

struct Pick {
    const char* text;
    int number;
};

TEST(ChoiceNumber, AcceptsDigitsOrdinalsAndFullWidth) {
    const Pick picks[] = {{"1", 1},
                          {"2", 2},
                          {" 3 ", 3},
                          {"２", 2},
                          {"３。", 3},
                          {"2.", 2},
                          {"第二个", 2},
                          {"第2个", 2},
                          {"第 3 条", 3},
                          {"第一", 1},
                          {"选2", 2},
                          {"我选第三个", 3},
                          {"二", 2},
                          {"2号", 2},
                          // What one of them says (session 29: "第三个是啥" matched 第三人).
                          {"第三个是啥", 3},
                          {"第二个是什么意思", 2},
                          {"第一条呢", 1}};
    for (const auto& pick : picks) EXPECT_EQ(choice_number(pick.text), pick.number) << pick.text;
}

TEST(ChoiceNumber, RejectsQuestionsThatStartWithANumber) {
    for (const char* text :
         {"", "0", "12", "2个月", "二倍工资", "三个月没发工资", "第三人撞的算工伤吗", "你好"})
        EXPECT_EQ(choice_number(text), 0) << text;
}

// "那就弄吧" after "个体司机能入会" got "没看懂" (join helper, session 28).
TEST(GoesAhead, IsAGoAheadAndNothingMore) {
    for (const char* text :
         {"那就弄吧", "行 帮我办一下", "好 入吧", "那办吧", "帮我报名", "弄吧！"})
        EXPECT_TRUE(goes_ahead(text)) << text;
    for (const char* text : {"那就弄吧 工伤咋认定", "怎么弄", "好的谢谢", "办不了", "陈二狗"})
        EXPECT_FALSE(goes_ahead(text)) << text;
    EXPECT_TRUE(answered_about_the_union({"union_who_can_join"}));
    EXPECT_FALSE(answered_about_the_union({"wage_arrears"}));
    EXPECT_FALSE(answered_about_the_union({}));
    EXPECT_TRUE(says_only_a_name("陈二狗"));
    EXPECT_FALSE(says_only_a_name("人呢"));
    EXPECT_FALSE(says_only_a_name("老板欠我工资"));
}

TEST(GrievanceRequest, NamesTheCategoryFromTheDriversWords) {
    const std::pair<const char*, const char*> cases[] = {
        {"我要投诉 乱罚款", "fines"},
        // Fines win over enforcement: the grievance is about the fine.
        {"我要投诉交警乱罚款", "fines"},
        {"我想举报，路政查车扣车不给手续", "enforcement"},
        {"投诉：服务区厕所太脏", "services"},
    };
    for (const auto& [text, category] : cases) {
        const auto request = grievance_request(text);
        ASSERT_TRUE(request) << text;
        EXPECT_EQ(request->category, category) << text;
    }
}

TEST(GrievanceRequest, UnclearCategoryIsEmpty) {
    auto unclear = grievance_request("我要投诉");
    ASSERT_TRUE(unclear);
    EXPECT_EQ(unclear->category, "");
}

TEST(GrievanceRequest, QuestionsAboutComplainingAreNotGrievances) {
    EXPECT_FALSE(grievance_request("平台扣我运费，怎么投诉"));
    EXPECT_FALSE(grievance_request("举报超载车辆有奖吗"));
    EXPECT_FALSE(grievance_request("乱罚款怎么办"));
    EXPECT_FALSE(grievance_request("老板拖了三个月运费不给咋办"));
}

TEST(AsksAboutTicket, ShortMessagesAboutHisTicketOrTheLawyersReply) {
    for (const char* text : {"我的工单呢", "工单怎么样了？", "我的工单到哪一步了", "查工单",
                             "律师回了没", "律师咋还没联系我", "律师回复了吗", "律师怎么还没回"})
        EXPECT_TRUE(asks_about_ticket(text)) << text;
    for (const char* text : {"律师呢", "律师啥时候回", "律师什么时候联系我", "律师多久能回"})
        EXPECT_TRUE(asks_about_ticket(text)) << text;
    for (const char* text :
         {"律师费谁出", "找律师", "12345的工单号打了电话也没人管怎么办", "律师费多久付",
          "出了事故什么时候需要请律师", "交通事故多久要找律师", "律师回复让我去仲裁 去哪仲裁",
          "老板欠工资不给咋办", "律师说要签合同", "工资", ""})
        EXPECT_FALSE(asks_about_ticket(text)) << text;
}

TEST(AsksWhenAnswered, ShortMessagesAskingWhenSomeoneAnswers) {
    for (const char* text :
         {"要等多久", "还要等多久啊", "什么时候打给我", "怎么没人回我", "人呢",
          "律师几点上班 今天礼拜天有人吗", "都好几个小时了 律师呢", "都等了一下午了 还没人理"})
        EXPECT_TRUE(asks_when_answered(text)) << text;
    for (const char* text :
         {"工伤认定要等多久才有结果啊", "老板欠我工资", "仲裁多久出结果", "找律师", ""})
        EXPECT_FALSE(asks_when_answered(text)) << text;
}

// Unaddressed group talk: seven of ten messages between drivers drew 500–1,300 characters each
// (group helper, session 21). Only a question put to the group may be answered unasked.
TEST(AsksTheGroup, QuestionsToEveryoneNotTalkAmongMembers) {
    for (const char* text : {"谁知道高速超载罚多少", "挂靠公司不给退押金咋整",
                             "你们谁知道工伤认定要多久", "超载罚款扣分吗", "请问 欠运费找哪个部门",
                             "腰伤了算工伤不", "押金能退吗？", "满帮扣款怎么申诉"})
        EXPECT_TRUE(asks_the_group(text)) << text;
    for (const char* text :
         {"老李你那个工伤认定下来没", "还没呢 公司不给报",
          "公司不给报你自己去人社局报啊 一年内都行", "我上次被平台扣了两百 申诉也没用",
          "满帮扣钱太狠了", "疲劳驾驶是罚两百", "交警说我疲劳驾驶 罚了两百",
          "运费拖了半年了 货主说下个月给", "@老王 超载罚多少", "你问问律师怎么说", "不", ""})
        EXPECT_FALSE(asks_the_group(text)) << text;
}

TEST(AsksAboutSomeoneElse, ProgressForAnotherDriver) {
    for (const char* text : {"帮我查下老王的入会批了没 他叫王建国", "帮她查下进度",
                             "我老婆的申请通过没", "帮我老公查下入会申请通过没"})
        EXPECT_TRUE(asks_about_someone_else(text)) << text;
    for (const char* text : {"进度", "我的申请批了没", "帮我看看入会了没", "查一下我的入会申请"})
        EXPECT_FALSE(asks_about_someone_else(text)) << text;
}

TEST(AsksAboutFormInProgress, TheFormHeStartedNotANewOne) {
    for (const char* text : {"我入会填到哪了", "刚才填的入会表呢", "入会表填了一半 咋接着填"})
        EXPECT_TRUE(asks_about_form_in_progress(text)) << text;
    for (const char* text : {"我要入会", "入会要填啥", "入会批了没", ""})
        EXPECT_FALSE(asks_about_form_in_progress(text)) << text;
}

TEST(AfterNewQuestionLead, TheQuestionHeSaysIsNew) {
    const std::pair<const char*, const char*> cases[] = {
        {"那我先问个别的 交强险保险公司拒赔咋办", "交强险保险公司拒赔咋办"},
        {"顺便问一下，超载罚多少", "超载罚多少"},
        {"还有个问题：ETC没扣上算逃费吗", "ETC没扣上算逃费吗"},
        {"另外我想问下超载扣几分", "超载扣几分"},
        {"另外想问一下 挂靠车出事谁赔", "挂靠车出事谁赔"},
        {"交强险保险公司拒赔咋办", ""},
        {"先问个别的", ""},
        {"问题是老板不给钱", ""},
    };
    for (const auto& [text, question] : cases)
        EXPECT_EQ(after_new_question_lead(text), question) << text;
}

TEST(AsksMembershipById, AnIdNumberAndALookUp) {
    EXPECT_TRUE(asks_membership_by_id("我不记得以前入没入过 你帮我查查 身份证320412197906051239"));
    EXPECT_TRUE(asks_membership_by_id("320412197906051239 是不是会员"));
    EXPECT_FALSE(asks_membership_by_id("你帮我查查 我入没入过会"));  // no ID: progress as usual
    EXPECT_FALSE(asks_membership_by_id("身份证320412197906051239 老板欠我工资"));
}

TEST(WithdrawsTicket, HeNoLongerWantsTheLawyer) {
    for (const char* text :
         {"算了不用律师了 我自己去仲裁 取消吧", "问题解决了 工单撤了吧", "取消工单"})
        EXPECT_TRUE(withdraws_ticket(text)) << text;
    for (const char* text : {"找律师", "律师呢", "取消", "老板说不用律师 私了就行"})
        EXPECT_FALSE(withdraws_ticket(text)) << text;
}

TEST(WithdrawsTicket, ATicketHeDidNotMean) {
    EXPECT_TRUE(withdraws_ticket("我没要人工啊 取消"));
    EXPECT_TRUE(withdraws_ticket("我没要律师"));
    EXPECT_TRUE(withdraws_ticket("算了不用了"));
    EXPECT_TRUE(withdraws_ticket("不好意思按错了 取消吧"));
    EXPECT_FALSE(withdraws_ticket("工伤认定要是不用了 材料还要交吗"));
    // Thanks for an answer keeps the ticket (session 28).
    EXPECT_FALSE(withdraws_ticket("不用了 我看懂了 谢谢"));
}

// The matter settled or in other hands (session 29: the ticket stayed); not yet, or asked.
TEST(WithdrawsTicket, TheMatterIsSettled) {
    for (const char* text : {"算了不用了 钱他刚打过来了", "不用了 我自己找了律师", "工资发了 谢谢"})
        EXPECT_TRUE(withdraws_ticket(text)) << text;
    for (const char* text : {"钱打过来了吗", "钱还没到账", "说钱打过来了 可我没收到",
                             "他说钱到账了就不用找律师了 可钱根本没到账啊",
                             "我自己找了律师 他说可以告 你们律师也帮我看看呗"})
        EXPECT_FALSE(withdraws_ticket(text)) << text;
}

TEST(DeclinesAPerson, TheQuestionIsWhatIsLeft) {
    EXPECT_TRUE(declines_a_person("你先别转人工 我就问住院期间工资给不给"));
    EXPECT_TRUE(declines_a_person("不要转人工 我就想知道补交的话 他交多少我交多少"));
    EXPECT_FALSE(declines_a_person("转人工"));
    EXPECT_FALSE(declines_a_person("老板说不用律师 私了就行"));  // his story, not the bot's offer
    EXPECT_EQ(without_declined_person("你先别转人工 我就问住院期间工资给不给"),
              "你先  我就问住院期间工资给不给");
    EXPECT_EQ(without_declined_person("不要转人工 不用人工"), "   ");
    EXPECT_EQ(without_declined_person("停工留薪期工资给不给"), "停工留薪期工资给不给");
}

TEST(AsksForUnionOffice, WhereTheDistrictsUnionIs) {
    for (const char* text : {"金坛区工会服务站在哪 电话多少", "溧阳工会在哪 要带啥",
                             "武进区工会在哪里 我直接过去交材料", "新北区总工会电话多少",
                             "工会服务中心几点上班", "工会电话多少",
                             // When the union is there (session 28: stations and 帮不上忙).
                             "你们几点上班", "晚上有人不", "你们周末上班吗"})
        EXPECT_TRUE(asks_for_union_office(text)) << text;
    for (const char* text :
         {"12351是工会电话吗", "附近的司机之家在哪",
          "师傅介绍说你们这能入工会 我叫李强 电话13912345678 跑金坛的", "在哪入会",
          "工会能帮我找律师吗", "老板欠工资 工会管不管", "劳动仲裁在哪申请", "你们说在哪起诉",
          "司机之家晚上有人不", "律师晚上有人不"})
        EXPECT_FALSE(asks_for_union_office(text)) << text;
}

TEST(NamesBenefitsAtAll, BenefitsInGeneralNotAPlace) {
    EXPECT_TRUE(names_benefits_at_all("武进有啥福利"));
    EXPECT_TRUE(names_benefits_at_all("优惠呢"));
    EXPECT_FALSE(names_benefits_at_all("武进牛塘"));
    EXPECT_FALSE(names_benefits_at_all("找谁办 在哪里办"));
}

TEST(OfficeAsk, WhatAShortMessageAsksOfTheOfficeJustNamed) {
    struct Case {
        const char* text;
        OfficeAsk ask;
    };
    const Case cases[] = {
        {"周六有人吗", OfficeAsk::hours},
        {"几点下班", OfficeAsk::hours},
        {"中午休息不", OfficeAsk::hours},
        {"礼拜天呢", OfficeAsk::hours},
        {"电话打不通啊", OfficeAsk::unreachable},
        {"打了没人接", OfficeAsk::unreachable},
        {"要带啥", OfficeAsk::bring},
        {"多久能到账", OfficeAsk::payout},
        {"要准备啥材料 病历要不要", OfficeAsk::none},
        {"好的 谢谢", OfficeAsk::none},
    };
    for (const Case& c : cases) EXPECT_EQ(office_ask(c.text), c.ask) << c.text;
    // Hours asked of the union are where it is too.
    EXPECT_TRUE(asks_for_union_office("金坛工会周六有人吗 我平时要跑车"));
    EXPECT_TRUE(asks_for_union_office("武进工会在哪"));
}

TEST(ChoiceNumbers, SeveralChoicesAtOnce) {
    EXPECT_EQ(choice_numbers("1和2"), (std::vector<int>{1, 2}));
    EXPECT_EQ(choice_numbers("1和2都是我问的"), (std::vector<int>{1, 2}));
    EXPECT_EQ(choice_numbers("1、3都要"), (std::vector<int>{1, 3}));
    EXPECT_EQ(choice_numbers("二和三"), (std::vector<int>{2, 3}));
    for (const char* text : {"1", "12", "1和2块钱", "1和", "老板欠我1和2月工资"})
        EXPECT_TRUE(choice_numbers(text).empty()) << text;
}

TEST(SaysHeIsAMember, AMemberAskingIsNoJoinRequest) {
    for (const char* text : {"我是溧阳的 入会才半个月 算不算", "不是 我已经入了 问的是住院能不能报",
                             "我去年入过会 礼包还能领不"})
        EXPECT_TRUE(says_he_is_a_member(text)) << text;
    for (const char* text : {"我要入会", "入会要钱不", "我想入个会 咋入"})
        EXPECT_FALSE(says_he_is_a_member(text)) << text;
}

TEST(NamesALegalMatter, AnImpoundOrAFeeIsNoPlaceToStop) {
    for (const char* text : {"停车场一天收我80块停车费 合不合法 能去哪里告",
                             "我不是找停车的地方 我问车被交警扣了一个礼拜", "扣车停车费该谁出"})
        EXPECT_TRUE(names_a_legal_matter(text)) << text;
    for (const char* text : {"金坛晚上哪能停车", "附近有能停半挂的地方吗", "有停车的吗"})
        EXPECT_FALSE(names_a_legal_matter(text)) << text;
}

TEST(ComplainsAboutASeller, AComplaintIsNoDiscountClaim) {
    for (const char* text :
         {"加油站给我加的油不足量 投述打啥电话", "不是要优惠 是投诉", "加油站缺斤少两找谁"})
        EXPECT_TRUE(complains_about_a_seller(text)) << text;
    for (const char* text : {"加油卡优惠咋领", "加油打几折", "油卡怎么办"})
        EXPECT_FALSE(complains_about_a_seller(text)) << text;
}

TEST(AsksForACall, ACallBackInHisWords) {
    for (const char* text :
         {"找律师 被扣车了 麻烦回个电话", "让律师给我打电话", "电话联系我", "能不能打个电话给我"})
        EXPECT_TRUE(asks_for_a_call(text)) << text;
    for (const char* text : {"找律师 老板欠运费", "他电话打不通", "电话号码要填吗"})
        EXPECT_FALSE(asks_for_a_call(text)) << text;
}

TEST(ApplicationNumberIn, FindsTheNumberInsideASentence) {
    const std::pair<const char*, const char*> cases[] = {
        {"RH20261205000002", "RH20261205000002"},
        {"申请编号RH20261205000002", "RH20261205000002"},
        {"我的编号是 rh20261205000002 批了没", "RH20261205000002"},
        {"编号：ＲＨ２０２６１２０５０００００２", "RH20261205000002"},
        {"RH 2026 1205 000002", "RH20261205000002"},
        {"RH-20261205000002。", "RH20261205000002"},
        {"RH2026120500000", ""},    // 13 digits
        {"RH202612050000021", ""},  // 15 digits
        {"CRH20261205000002", ""},  // part of another code
        {"20261205000002", ""},
        {"我的编号忘了", ""},
        {"", ""},
    };
    for (const auto& [text, number] : cases) EXPECT_EQ(application_number_in(text), number) << text;
}

bool is_request(std::string_view text) { return text == "人工" || text == "找律师"; }

TEST(DeskQuestion, ARequestAloneTakesHisStory) {
    const std::string story =
        "我在无锡一个物流公司开厢车 卸货时从车厢上摔下来腰椎骨折 公司不给报工伤";
    const std::vector<std::string> recent = {story, "那医药费谁出", "去哪认定 要啥材料", "人工"};
    EXPECT_EQ(desk_question(recent, "人工", is_request), story + "（随后要求人工：人工）");
    // A request with his case in it is the question itself.
    EXPECT_EQ(desk_question(recent, "老板欠我运费三万八", is_request), "老板欠我运费三万八");
    // "3" (the desk among numbered choices) says nothing either.
    EXPECT_EQ(desk_question({"律师函要钱吗", "3"}, "3", is_request),
              "律师函要钱吗（随后要求人工：3）");
    EXPECT_EQ(desk_question({"找律师"}, "找律师", is_request), "找律师");  // nothing before
    // A form answer with an ID number is never the headline on the desk's card.
    EXPECT_EQ(desk_question({"我要入会", "320412198501011233", "人工"}, "人工", is_request),
              "我要入会（随后要求人工：人工）");
}

TEST(GrievanceChoices, NumbersMatchTheCategories) {
    const std::string text = grievance_choices_text();
    EXPECT_NE(text.find("1. 罚款"), std::string::npos);
    EXPECT_NE(text.find("2. 执法"), std::string::npos);
    EXPECT_NE(text.find("3. 服务"), std::string::npos);
    EXPECT_EQ(grievance_category(1), "fines");
    EXPECT_EQ(grievance_category(2), "enforcement");
    EXPECT_EQ(grievance_category(3), "services");
    EXPECT_EQ(grievance_category(0), "");
    EXPECT_EQ(grievance_category(4), "");
}

}  // namespace
}  // namespace kayou::dialogs
