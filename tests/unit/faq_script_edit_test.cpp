// Text edits of an FAQ script that keep its comments (faq/script_edit.hpp).
#include "faq/script_edit.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace kayou::faq {
namespace {

constexpr const char* kScript = R"(# 注释要保留
version: "1"
entries:
  # 工资
  - id: wage
    questions:
      - 老板拖欠工资怎么办
      - 工资不发咋办
    answer: 先收集证据。
    legal_basis:
      - {law: 劳动合同法, article: 第30条}
  - id: freight
    questions:
      - 运费不给怎么办
    answer: 运费是合同债务。
    legal_basis:
      - {law: 民法典}
)";

TEST(ScriptEdit, AVariantIsAddedToItsEntryAndTheCommentsStay) {
    const std::string edited = add_question_variant(kScript, "wage", "老板欠薪\"三个月\"咋整");
    const Script script = parse_script(edited, "edited");
    EXPECT_EQ(script.find("wage")->questions.size(), 3u);
    EXPECT_EQ(script.find("wage")->questions.back(), "老板欠薪\"三个月\"咋整");
    EXPECT_EQ(script.find("freight")->questions.size(), 1u);
    EXPECT_NE(edited.find("# 注释要保留"), std::string::npos);
    EXPECT_NE(edited.find("  # 工资"), std::string::npos);
    const std::string second = add_question_variant(edited, "freight", "货主赖运费");
    EXPECT_EQ(parse_script(second, "edited").find("freight")->questions.back(), "货主赖运费");
}

TEST(ScriptEdit, AnUnknownEntryIsRefused) {
    EXPECT_THROW(add_question_variant(kScript, "nope", "x"), ScriptEditError);
}

TEST(ScriptEdit, ANewEntryIsAppendedAndParses) {
    Entry entry;
    entry.id = "platform_cancel";
    entry.questions = {"货拉拉取消订单扣钱合理吗", "line\nbreak: and # hash"};
    entry.answer = "平台的取消规则要事先公示；不合理的扣款可以申诉，也可以打12315。";
    entry.legal_basis = {{"电子商务法", "第34条"}};
    entry.tags = {"平台"};
    const Script script = parse_script(append_entry(kScript, entry), "edited");
    ASSERT_NE(script.find("platform_cancel"), nullptr);
    EXPECT_EQ(script.find("platform_cancel")->questions.at(1), "line\nbreak: and # hash");
    EXPECT_EQ(script.find("platform_cancel")->legal_basis.at(0).article, "第34条");
    EXPECT_EQ(script.entries.size(), 3u);
}

TEST(ScriptEdit, TheShippedScriptTakesBothEdits) {
    std::ifstream in(KAYOU_SOURCE_DIR "/faq/data/legal.yaml");
    std::ostringstream text;
    text << in.rdbuf();
    const Script before = parse_script(text.str(), "legal.yaml");
    const auto& first = before.entries.front();
    const std::string edited = add_question_variant(text.str(), first.id, "一个新的问法测试一下");
    const Script after = parse_script(edited, "edited");
    EXPECT_EQ(after.find(first.id)->questions.size(), first.questions.size() + 1);
    EXPECT_EQ(after.entries.size(), before.entries.size());
    Entry entry;
    entry.id = "brand_new_entry";
    entry.questions = {"全新的问题"};
    entry.answer = "回答。";
    entry.legal = false;
    EXPECT_EQ(parse_script(append_entry(edited, entry), "edited").entries.size(),
              before.entries.size() + 1);
}

}  // namespace
}  // namespace kayou::faq
