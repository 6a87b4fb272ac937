// Numbered-choice picks and grievance requests as drivers type them.
#include <gtest/gtest.h>

#include <string>

#include "dialogs/chat_requests.hpp"

namespace kayou::dialogs {
namespace {

TEST(ChoiceNumber, AcceptsDigitsOrdinalsAndFullWidth) {
    EXPECT_EQ(choice_number("1"), 1);
    EXPECT_EQ(choice_number("2"), 2);
    EXPECT_EQ(choice_number(" 3 "), 3);
    EXPECT_EQ(choice_number("２"), 2);  // full-width digit
    EXPECT_EQ(choice_number("３。"), 3);
    EXPECT_EQ(choice_number("2."), 2);
    EXPECT_EQ(choice_number("第二个"), 2);
    EXPECT_EQ(choice_number("第2个"), 2);
    EXPECT_EQ(choice_number("第 3 条"), 3);
    EXPECT_EQ(choice_number("第一"), 1);
    EXPECT_EQ(choice_number("选2"), 2);
    EXPECT_EQ(choice_number("我选第三个"), 3);
    EXPECT_EQ(choice_number("二"), 2);
    EXPECT_EQ(choice_number("2号"), 2);
}

TEST(ChoiceNumber, RejectsQuestionsThatStartWithANumber) {
    EXPECT_EQ(choice_number(""), 0);
    EXPECT_EQ(choice_number("0"), 0);
    EXPECT_EQ(choice_number("12"), 0);
    EXPECT_EQ(choice_number("2个月"), 0);
    EXPECT_EQ(choice_number("二倍工资"), 0);
    EXPECT_EQ(choice_number("三个月没发工资"), 0);
    EXPECT_EQ(choice_number("第二个是什么意思"), 0);
    EXPECT_EQ(choice_number("你好"), 0);
}

TEST(GrievanceRequest, NamesTheCategoryFromTheDriversWords) {
    auto fines = grievance_request("我要投诉 乱罚款");
    ASSERT_TRUE(fines);
    EXPECT_EQ(fines->category, "fines");
    // Fines win over enforcement: the grievance is about the fine.
    auto traffic_police_fine = grievance_request("我要投诉交警乱罚款");
    ASSERT_TRUE(traffic_police_fine);
    EXPECT_EQ(traffic_police_fine->category, "fines");
    auto enforcement = grievance_request("我想举报，路政查车扣车不给手续");
    ASSERT_TRUE(enforcement);
    EXPECT_EQ(enforcement->category, "enforcement");
    auto services = grievance_request("投诉：服务区厕所太脏");
    ASSERT_TRUE(services);
    EXPECT_EQ(services->category, "services");
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
