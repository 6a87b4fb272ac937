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

Entry form_entry(const std::string& id) {
    Entry entry;
    entry.id = id;
    entry.questions = {"司机的工资被拖欠了找谁", "工资三个月没发 咋整"};
    entry.answer = "先保存证据，再去劳动监察投诉或申请仲裁。";
    entry.legal_basis = {{"劳动合同法", "第30条"}, {"保障农民工工资支付条例", ""}};
    entry.tags = {"工资", "欠薪"};
    return entry;
}

TEST(ScriptEdit, AnEntryIsReplacedInPlaceAndTheCommentsAroundItStay) {
    const EntryEdit edit = put_entry(kScript, "wage", form_entry("wage"));
    const Script script = parse_script(edit.text, "edited");
    ASSERT_EQ(script.entries.size(), 2u);
    EXPECT_EQ(script.entries[0].id, "wage");  // still first
    EXPECT_EQ(script.entries[0].questions.at(1), "工资三个月没发 咋整");
    EXPECT_EQ(script.entries[0].answer, "先保存证据，再去劳动监察投诉或申请仲裁。");
    ASSERT_EQ(script.entries[0].legal_basis.size(), 2u);
    EXPECT_EQ(script.entries[0].legal_basis[1].law, "保障农民工工资支付条例");
    EXPECT_EQ(script.entries[0].legal_basis[1].article, "");
    EXPECT_EQ(script.entries[0].tags, (std::vector<std::string>{"工资", "欠薪"}));
    EXPECT_EQ(script.entries[1].id, "freight");
    EXPECT_EQ(script.entries[1].answer, "运费是合同债务。");
    EXPECT_NE(edit.text.find("# 注释要保留"), std::string::npos);
    EXPECT_NE(edit.text.find("  # 工资\n  - id: wage\n"), std::string::npos) << edit.text;
    EXPECT_EQ(edit.text.find("先收集证据"), std::string::npos);  // the old answer is gone
    EXPECT_EQ(edit.first_line, 5);
    EXPECT_EQ(script.entries[0].line, edit.first_line);
}

TEST(ScriptEdit, TheLayoutNamesTheFieldOfEveryWrittenLine) {
    Entry entry = form_entry("wage");
    entry.districts = {"武进区"};
    entry.handoff = true;
    const EntryEdit edit = put_entry(kScript, "wage", entry);
    const auto lines = [&] {
        std::vector<std::string> out;
        std::istringstream in(edit.text);
        for (std::string line; std::getline(in, line);) out.push_back(line);
        return out;
    }();
    ASSERT_EQ(edit.lines.size(), 11u);
    EXPECT_EQ(edit.last_line, edit.first_line + 10);
    for (const auto& written : edit.lines) {
        const std::string& line = lines.at(written.line - 1);
        if (written.field == "questions" && written.index >= 0)
            EXPECT_NE(line.find(entry.questions.at(written.index)), std::string::npos) << line;
        else if (written.field == "legal_basis" && written.index >= 0)
            EXPECT_NE(line.find(entry.legal_basis.at(written.index).law), std::string::npos);
        else
            EXPECT_NE(line.find(written.field + ":"), std::string::npos) << line;
    }
    ASSERT_NE(edit.at(edit.first_line + 3), nullptr);
    EXPECT_EQ(edit.at(edit.first_line + 3)->field, "questions");
    EXPECT_EQ(edit.at(edit.first_line + 3)->index, 1);
    EXPECT_EQ(edit.at(edit.first_line - 1), nullptr);
    EXPECT_EQ(edit.at(edit.last_line + 1), nullptr);
    const Script script = parse_script(edit.text, "edited");
    EXPECT_TRUE(script.find("wage")->handoff);
    EXPECT_EQ(script.find("wage")->districts, std::vector<std::string>{"武进区"});
}

TEST(ScriptEdit, AParserMessageAboutAnEditedFieldPointsIntoTheBlock) {
    Entry entry = form_entry("wage");
    entry.answer = "";
    entry.legal_basis = {{"", "第30条"}};
    const EntryEdit edit = put_entry(kScript, "wage", entry);
    try {
        parse_script(edit.text, "edited");
        FAIL() << "a blank answer and a basis without its law must not parse";
    } catch (const ScriptError& error) {
        std::vector<std::string> fields;
        for (const auto& problem : error.problems()) {
            const EntryLine* line = edit.at(problem.line);
            ASSERT_NE(line, nullptr) << problem.line << " " << problem.message;
            fields.push_back(line->field + "#" + std::to_string(line->index));
        }
        // "without legal_basis" is said on the entry's first line (the console places it by its
        // message); the others on the lines of their fields.
        EXPECT_EQ(fields, (std::vector<std::string>{"id#-1", "answer#-1", "legal_basis#0"}));
    }
}

TEST(ScriptEdit, ARenamedIdAndAnIdThatIsNotPlainTextStayOneScalar) {
    const EntryEdit renamed = put_entry(kScript, "freight", form_entry("freight_debt"));
    EXPECT_NE(parse_script(renamed.text, "edited").find("freight_debt"), nullptr);
    EXPECT_EQ(parse_script(renamed.text, "edited").find("freight"), nullptr);
    const EntryEdit odd = put_entry(kScript, "freight", form_entry("Bad: id # x"));
    try {
        parse_script(odd.text, "edited");
        FAIL();
    } catch (const ScriptError& error) {
        ASSERT_EQ(error.problems().size(), 1u);
        EXPECT_EQ(odd.at(error.problems()[0].line)->field, "id");
        EXPECT_NE(error.problems()[0].message.find("Bad: id # x"), std::string::npos);
    }
}

TEST(ScriptEdit, AnEntryWhoseIdIsNotItsFirstKeyIsFoundToo) {
    const std::string script =
        "version: \"1\"\nentries:\n- questions: [甲]\n  id: first\n  answer: 一\n  legal: false\n"
        "- id: second\n  questions: [乙]\n  answer: 二\n  legal: false\n";
    Entry entry = form_entry("first");
    const EntryEdit edit = put_entry(script, "first", entry);
    const Script parsed = parse_script(edit.text, "edited");
    ASSERT_EQ(parsed.entries.size(), 2u);
    EXPECT_EQ(parsed.entries[0].questions, entry.questions);
    EXPECT_EQ(parsed.entries[1].answer, "二");
    EXPECT_EQ(edit.first_line, 3);
}

TEST(ScriptEdit, ANewEntryFromTheFormIsAppendedWithItsLayout) {
    const EntryEdit edit = put_entry(kScript, "", form_entry("wage_new"));
    const Script script = parse_script(edit.text, "edited");
    ASSERT_EQ(script.entries.size(), 3u);
    EXPECT_EQ(script.entries[2].id, "wage_new");
    EXPECT_EQ(script.entries[2].line, edit.first_line);
    // The same variant as entry "wage": the parser names both, on the new entry's line.
    try {
        Entry copy = form_entry("wage_copy");
        copy.questions = {"工资不发咋办"};
        const EntryEdit clash = put_entry(kScript, "", copy);
        parse_script(clash.text, "edited");
        FAIL();
    } catch (const ScriptError& error) {
        ASSERT_EQ(error.problems().size(), 1u);
        EXPECT_NE(error.problems()[0].message.find("is also in 'wage'"), std::string::npos);
    }
}

TEST(ScriptEdit, UnknownEntriesAreRefused) {
    EXPECT_THROW(put_entry(kScript, "nope", form_entry("nope")), ScriptEditError);
    EXPECT_THROW(remove_entry(kScript, "nope"), ScriptEditError);
    // "id:" inside an answer's text is not an entry.
    EXPECT_THROW(remove_entry("version: 1\nentries:\n  - id: a\n    answer: |\n      id: b\n", "b"),
                 ScriptEditError);
}

TEST(ScriptEdit, AnEntryIsRemovedWithItsBlockOnly) {
    const std::string removed = remove_entry(kScript, "wage");
    const Script script = parse_script(removed, "edited");
    ASSERT_EQ(script.entries.size(), 1u);
    EXPECT_EQ(script.entries[0].id, "freight");
    EXPECT_NE(removed.find("  # 工资\n  - id: freight"), std::string::npos) << removed;
    EXPECT_EQ(parse_script(remove_entry(kScript, "freight"), "edited").entries.size(), 1u);
}

TEST(ScriptEdit, EveryEntryOfTheShippedScriptCanBeRewrittenFromItsParsedForm) {
    std::ifstream in(KAYOU_SOURCE_DIR "/faq/data/legal.yaml");
    std::ostringstream text;
    text << in.rdbuf();
    const Script before = parse_script(text.str(), "legal.yaml");
    std::string edited = text.str();
    for (const auto& entry : before.entries) edited = put_entry(edited, entry.id, entry).text;
    const Script after = parse_script(edited, "edited");
    ASSERT_EQ(after.entries.size(), before.entries.size());
    for (std::size_t i = 0; i < before.entries.size(); ++i) {
        const auto& a = before.entries[i];
        const auto& b = after.entries[i];
        EXPECT_EQ(a.id, b.id);
        EXPECT_EQ(a.questions, b.questions) << a.id;
        EXPECT_EQ(a.answer, b.answer) << a.id;
        EXPECT_EQ(a.tags, b.tags) << a.id;
        EXPECT_EQ(a.districts, b.districts) << a.id;
        EXPECT_EQ(a.handoff, b.handoff) << a.id;
        EXPECT_EQ(a.legal, b.legal) << a.id;
        ASSERT_EQ(a.legal_basis.size(), b.legal_basis.size()) << a.id;
        for (std::size_t k = 0; k < a.legal_basis.size(); ++k) {
            EXPECT_EQ(a.legal_basis[k].law, b.legal_basis[k].law);
            EXPECT_EQ(a.legal_basis[k].article, b.legal_basis[k].article);
        }
    }
    EXPECT_EQ(after.synonyms, before.synonyms);
    // The section headings between entries are all still there.
    const auto headings = [](const std::string& s) {
        std::size_t n = 0;
        for (auto pos = s.find("# ───"); pos != std::string::npos; pos = s.find("# ───", pos + 1))
            ++n;
        return n;
    };
    EXPECT_EQ(headings(edited), headings(text.str()));
}

}  // namespace
}  // namespace kayou::faq
