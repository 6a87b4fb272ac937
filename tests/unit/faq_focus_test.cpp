#include <gtest/gtest.h>

#include <string>

#include "faq/focus.hpp"

namespace kayou::faq {
namespace {

struct FocusCase {
    const char* message;
    const char* focus;  // "" = the whole message is the question
};

struct SplitCase {
    const char* message;
    const char* first;  // "" with second "": one question
    const char* second;
};

template <std::size_t N>
void expect_splits(TwoQuestions (*split)(std::string_view), const SplitCase (&cases)[N]) {
    for (const auto& c : cases) {
        const TwoQuestions parts = split(c.message);
        EXPECT_EQ(parts.first, c.first) << c.message;
        EXPECT_EQ(parts.second, c.second) << c.message;
    }
}

TEST(FaqFocus, TheAskingPartOfAStoryIsItsLastAskingClauseAndTheOneBefore) {
    const FocusCase cases[] = {
        // A story, then the question: the two last clauses.
        {"兄弟们帮我看看 我在常州一家物流公司开半挂 上个月在仓库倒车被叉车撞了 "
         "老板来看了一次就没影了 "
         "工伤认定到底谁去报 有没有时间限制",
         "工伤认定到底谁去报 有没有时间限制"},
        // The question is not the last clause: it still starts the focus's end.
        {"跑了三年车 合同一直没签 上个月老板把我开了 这种情况能要赔偿吗 急 在线等",
         "上个月老板把我开了 这种情况能要赔偿吗 急 在线等"},
        // Chinese punctuation splits clauses too.
        {"昨晚在312国道上被追尾，车尾灯和大梁都撞坏了，人没事，交警判对方全责，这几天停运的损失找谁"
         "要？",
         "交警判对方全责，这几天停运的损失找谁要？"},
        // Short messages and few clauses: the whole message.
        {"工伤认定多久能下来", ""},
        {"欠运费找谁要", ""},
        {"老板拖了三个月工资不给 我该怎么办才好呢 在线等", ""},
        // The only asking clause is the first two: nothing shorter to search.
        {"老板欠钱不给咋办 我在常州开车 跑了三年了 一直跟着他干", ""},
        // Voice input without punctuation: clauses start at the words it strings them with.
        {"那个我问一下啊就是我现在这个公司呢押了我一万块钱押金说是怕我把车开跑了然后我现在不想干了"
         "他说押金要扣五千说我没干满一年违约这个他能扣吗",
         "他说押金要扣五千说我没干满一年违约这个他能扣吗"},
        // Two short clauses say too little to search by ("不管" matches every "管不管"): the
        // clause before them joins.
        {"俺在满帮上拉的货 货主到现在不给运费 平台说他们只是信息中介 不管 真这样吗",
         "平台说他们只是信息中介 不管 真这样吗"},
        // No asking clause at all: the whole message.
        {"我在常州开车 跑了三年了 一直跟着他干 现在他不给钱了 烦死了", ""},
        {"", ""},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.message);
        EXPECT_EQ(std::string(question_focus(c.message)), c.focus);
    }
}

// Two things asked, the second opened by 还有 / 另外 …: split after the first asking clause. A
// later asking clause without such a word asks the same question on.
TEST(FaqFocus, TwoQuestionsSplitAtTheWordThatOpensTheSecond) {
    const SplitCase cases[] = {
        {"我昨天高速上被追尾了 对方全责 停运损失能要吗 还有我腰也伤了 算工伤不",
         "我昨天高速上被追尾了 对方全责 停运损失能要吗", "还有我腰也伤了 算工伤不"},
        {"公司扣了我三千块钱工资 合法吗 还有公司不给交社保", "公司扣了我三千块钱工资 合法吗",
         "还有公司不给交社保"},
        {"超载罚款多少钱 扣几分？另外超速百分之二十扣几分", "超载罚款多少钱 扣几分？",
         "另外超速百分之二十扣几分"},
        // Voice input: the clauses found at spoken openings and endings.
        {"超载扣几分啊还有超速扣几分", "超载扣几分啊", "还有超速扣几分"},
        // One question asked on, or a story with one ask.
        {"开车的时候自己受伤了 这种伤能找老板赔吗 按啥比例赔", "", ""},
        {"法律援助是所有人都能申请吗还是要开什么证明", "", ""},
        {"老板欠我三个月工资 还有两个月的加班费 咋办", "", ""},
        {"还有别的办法吗", "", ""},
        {"老板欠我工资能要回来吗 第二天他就把我开了", "", ""},
        {"", "", ""},
    };
    expect_splits(&two_questions, cases);
}

// Two asking clauses with no word that opens the second: split after the first asking clause,
// the story between them going with the second (decide.hpp says when both are answered).
TEST(FaqFocus, TwoAskingClausesSplitAfterTheFirst) {
    const SplitCase cases[] = {
        {"会员证丢了咋办 换了个省跑车会籍咋转", "会员证丢了咋办", "换了个省跑车会籍咋转"},
        {"跟公司闹劳动纠纷了能直接去法院起诉吗仲裁结果不满意又咋办",
         "跟公司闹劳动纠纷了能直接去法院起诉吗", "仲裁结果不满意又咋办"},
        {"开车的时候自己受伤了 这种伤能找老板赔吗 按啥比例赔",
         "开车的时候自己受伤了 这种伤能找老板赔吗", "按啥比例赔"},
        // One asking clause, or too short for two questions.
        {"老板欠我三个月工资 一直拖着不给", "", ""},
        {"能不能要 怎么要", "", ""},
        {"", "", ""},
    };
    expect_splits(&two_asking_clauses, cases);
}

TEST(FaqFocus, TheFocusIsASuffixOfTheMessage) {
    const std::string message =
        "上个月拉货去杭州 路上车坏了 修了两天 货主说晚到了要扣一半运费 合同里根本没写 这样扣合理吗";
    const auto focus = question_focus(message);
    ASSERT_FALSE(focus.empty());
    EXPECT_EQ(focus.data() + focus.size(), message.data() + message.size());
}

TEST(FaqFocus, TheDisownedPartIsLeftOutOfTheSearch) {
    struct Case {
        const char* message;
        const char* searched;
    };
    const Case cases[] = {
        {"我不是问加油 我是问跑平台被扣钱怎么办", "我是问跑平台被扣钱怎么办"},
        {"不是问工伤认定，是问伤残补助多少钱", "是问伤残补助多少钱"},
        {"我问的不是交强险 三者险赔不赔", "三者险赔不赔"},
        {"我不是想问入会而是问会费", "而是问会费"},
        // Nothing disowned, or nothing left: the message as it is.
        {"老板不是说好了给钱吗", "老板不是说好了给钱吗"},
        {"我不是问这个", "我不是问这个"},
        {"", ""},
    };
    for (const Case& c : cases)
        EXPECT_EQ(without_disowned_part(c.message), c.searched) << c.message;
}

}  // namespace
}  // namespace kayou::faq
