// Which desk works which ticket (bot/admin/tickets_api.hpp may_work_ticket): the legal desk the
// legal tickets and grievances, staff the join handoffs of their own districts, the city all.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bot/admin/tickets_api.hpp"
#include "faq/tickets.hpp"

namespace kayou::bot::admin {
namespace {

Principal principal(Role role, std::vector<std::string> districts = {}) {
    return Principal{"someone", role, std::move(districts)};
}

struct ScopeCase {
    const char* name;
    Principal who;
    const char* category;
    const char* subcategory;
    bool may;
};

TEST(TicketScope, EachDeskWorksItsOwnTickets) {
    const Principal city = principal(Role::city_admin);
    const Principal desk = principal(Role::legal_desk);
    const Principal wujin = principal(Role::staff, {"wujin"});
    const Principal two = principal(Role::staff, {"wujin", "xinbei"});
    const Principal reviewer = principal(Role::district_admin, {"wujin"});
    const Principal editor = principal(Role::faq_editor);
    const std::vector<ScopeCase> cases = {
        {"city legal", city, "legal", "", true},
        {"city staff", city, "staff", "wujin", true},
        {"city grievance", city, "grievance", "fines", true},
        {"desk legal", desk, "legal", "", true},
        {"desk grievance", desk, "grievance", "services", true},
        {"desk not staff", desk, "staff", "wujin", false},
        {"staff own district", wujin, "staff", "wujin", true},
        {"staff other district", wujin, "staff", "xinbei", false},
        {"staff no district yet", wujin, "staff", "", true},
        {"staff second district", two, "staff", "xinbei", true},
        {"staff not legal", wujin, "legal", "", false},
        {"staff not grievance", wujin, "grievance", "fines", false},
        {"reviewer not tickets", reviewer, "staff", "wujin", false},
        {"editor not tickets", editor, "legal", "", false},
        {"staff unknown category", wujin, "other", "wujin", false},
    };
    for (const auto& c : cases)
        EXPECT_EQ(may_work_ticket(c.who, c.category, c.subcategory), c.may) << c.name;
}

TEST(TicketScope, StatsFollowTheSameScope) {
    const Principal wujin = principal(Role::staff, {"wujin"});
    EXPECT_TRUE(may_read_stats(wujin, "staff:wujin"));
    EXPECT_TRUE(may_read_stats(wujin, "staff"));
    EXPECT_FALSE(may_read_stats(wujin, "staff:xinbei"));
    EXPECT_FALSE(may_read_stats(wujin, "legal"));
    EXPECT_TRUE(may_read_stats(principal(Role::legal_desk), "grievance:fines"));
    EXPECT_FALSE(may_read_stats(principal(Role::legal_desk), "staff:wujin"));
}

TEST(TicketScope, StaffIsARoleOfTheConfig) {
    ASSERT_TRUE(parse_role("staff"));
    EXPECT_EQ(*parse_role("staff"), Role::staff);
    EXPECT_EQ(role_name(Role::staff), "staff");
    EXPECT_FALSE(parse_role("Staff"));
}

TEST(DeskAnswerText, SaysWhoAnswered) {
    const auto legal = faq::desk_answer_text("FL202612030001", true, "可以申请劳动仲裁");
    EXPECT_NE(legal.find("律师已答复"), std::string::npos) << legal;
    EXPECT_NE(legal.find("FL202612030001"), std::string::npos) << legal;
    EXPECT_NE(legal.find("可以申请劳动仲裁"), std::string::npos) << legal;
    const auto staff = faq::desk_answer_text("FL202612030002", false, "请带身份证到工会");
    EXPECT_NE(staff.find("工作人员已答复"), std::string::npos) << staff;
    EXPECT_EQ(staff.find("律师"), std::string::npos) << staff;
}

}  // namespace
}  // namespace kayou::bot::admin
