// SMS templates (config/sms-templates.yaml) and segment counting (docs/spec sms-providers.md §5).
#include <gtest/gtest.h>

#include "notify/segments.hpp"
#include "notify/templates.hpp"

namespace {

using namespace kayou::notify;

const std::string kTemplatesFile = std::string(KAYOU_SOURCE_DIR) + "/config/sms-templates.yaml";

const TemplateCatalog& shipped() {
    static const TemplateCatalog catalog = TemplateCatalog::load_file(kTemplatesFile);
    return catalog;
}

// `n` copies of a character (UTF-8).
std::string repeat(std::string_view ch, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += ch;
    return out;
}

// ---- segments

TEST(Segments, ChinaRuleBoundaries) {
    struct Row {
        std::size_t chars;
        std::size_t segments;
    };
    const Row rows[] = {{0, 0},   {1, 1},   {70, 1},  {71, 2}, {134, 2},
                        {135, 3}, {160, 3}, {201, 3}, {202, 4}};
    for (const auto& row : rows) {
        SCOPED_TRACE(row.chars);
        const auto chinese = count_segments(repeat("卡", row.chars));
        EXPECT_EQ(chinese.units, row.chars);
        EXPECT_EQ(chinese.segments, row.segments);
        // Half-width characters count the same in mainland China.
        EXPECT_EQ(count_segments(repeat("a", row.chars)).segments, row.segments);
    }
}

TEST(Segments, SignatureIsCounted) {
    const std::string sig = with_signature("卡友工会", "");
    EXPECT_EQ(sig, "【卡友工会】");
    EXPECT_EQ(count_segments(sig).units, 6u);
    // 64 characters of body + 6 of signature = 70: one message; one more character: two.
    EXPECT_EQ(count_segments(with_signature("卡友工会", repeat("好", 64))).segments, 1u);
    EXPECT_EQ(count_segments(with_signature("卡友工会", repeat("好", 65))).segments, 2u);
    // 128 + 6 = 134: two parts; 129 + 6 = 135: three.
    EXPECT_EQ(count_segments(with_signature("卡友工会", repeat("好", 128))).segments, 2u);
    EXPECT_EQ(count_segments(with_signature("卡友工会", repeat("好", 129))).segments, 3u);
    // Full-width and half-width digits both count one.
    EXPECT_EQ(count_segments("１2").units, 2u);
}

TEST(Segments, GsmAndUcs2Rule) {
    const auto rule = SegmentRule::gsm_ucs2;
    EXPECT_EQ(count_segments(repeat("a", 160), rule).segments, 1u);
    EXPECT_TRUE(count_segments(repeat("a", 160), rule).gsm7);
    EXPECT_EQ(count_segments(repeat("a", 161), rule).segments, 2u);
    EXPECT_EQ(count_segments(repeat("a", 306), rule).segments, 2u);
    EXPECT_EQ(count_segments(repeat("a", 307), rule).segments, 3u);
    // Extension characters take two septets: 80 x '{' = 160 septets.
    EXPECT_EQ(count_segments(repeat("{", 80), rule).units, 160u);
    EXPECT_EQ(count_segments(repeat("{", 81), rule).segments, 2u);
    EXPECT_EQ(count_segments("é£Ω€", rule).units, 5u);
    // One Chinese character switches everything to UCS-2.
    const auto mixed = count_segments(repeat("a", 69) + "好", rule);
    EXPECT_FALSE(mixed.gsm7);
    EXPECT_EQ(mixed.units, 70u);
    EXPECT_EQ(mixed.segments, 1u);
    EXPECT_EQ(count_segments(repeat("a", 70) + "好", rule).segments, 2u);
    EXPECT_FALSE(count_segments("`", rule).gsm7);
    // Outside the BMP: two UTF-16 units.
    EXPECT_EQ(count_segments("😀", rule).units, 2u);
}

// ---- shipped templates

TEST(ShippedTemplates, AllRequiredPresent) {
    EXPECT_EQ(shipped().missing_required(), std::vector<std::string>{});
    EXPECT_EQ(shipped().signature(), "卡友工会");
}

TEST(ShippedTemplates, ApprovalRendersWithSignature) {
    const auto sms = shipped().render("approval", {"A20250601001"});
    EXPECT_EQ(sms.body,
              "您的入会申请A20250601001已通过审核，欢迎加入工会！私聊小助手或在工会公众号发“福利”，"
              "查看权益和领取方式。");
    EXPECT_EQ(sms.text, "【卡友工会】" + sms.body);
    EXPECT_EQ(sms.segments.units, 6u + 59u);
    EXPECT_EQ(sms.segments.segments, 1u);
}

TEST(ShippedTemplates, EveryTemplateRendersInOneSegmentWithTypicalValues) {
    const std::pair<std::string_view, std::vector<std::string>> cases[] = {
        {"approval", {"A20250601001"}},
        {"rejection", {"A20250601001", "身份证号与姓名不一致"}},
        {"verification_code", {"012345", "5"}},
        {"reminder", {"A20250601001", "6月16日18:00"}},
        {"escalation", {"浦东新区", "12"}},
        {"legal_answer_ready", {"L20250601007"}},
    };
    for (const auto& [name, values] : cases) {
        SCOPED_TRACE(name);
        const auto sms = shipped().render(name, values);
        EXPECT_TRUE(sms.text.starts_with("【卡友工会】"));
        EXPECT_EQ(sms.body.find('{'), std::string::npos);
        EXPECT_LE(sms.segments.segments, 1u) << sms.segments.units << " chars: " << sms.text;
    }
}

TEST(ShippedTemplates, WrongParameterCount) {
    try {
        shipped().render("rejection", {"A1"});
        FAIL() << "no exception";
    } catch (const TemplateError& e) {
        EXPECT_STREQ(e.what(), "SMS template 'rejection' takes 2 values, got 1");
    }
    EXPECT_THROW(shipped().render("approval", {}), TemplateError);
    EXPECT_THROW(shipped().render("approval", {"A1", "extra"}), TemplateError);
    EXPECT_THROW(shipped().render("no_such_template", {}), TemplateError);
}

TEST(ShippedTemplates, ValueChecks) {
    const auto& c = shipped();
    EXPECT_THROW(c.render("verification_code", {"12a456", "5"}), TemplateError);   // digits
    EXPECT_THROW(c.render("verification_code", {"1234567", "5"}), TemplateError);  // > 6
    EXPECT_THROW(c.render("approval", {""}), TemplateError);
    EXPECT_THROW(c.render("rejection", {"A1", "详见 https://x.cn"}), TemplateError);
    EXPECT_THROW(c.render("rejection", {"A1", "见WWW.x.cn"}), TemplateError);
    EXPECT_THROW(c.render("rejection", {"A1", "【假签名】"}), TemplateError);
    EXPECT_THROW(c.render("rejection", {"A1", repeat("长", 31)}), TemplateError);
    EXPECT_NO_THROW(c.render("rejection", {"A1", repeat("长", 30)}));
    // The message names the parameter, never the value.
    try {
        c.render("verification_code", {"12a456", "5"});
    } catch (const TemplateError& e) {
        EXPECT_EQ(std::string(e.what()).find("12a456"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("'code'"), std::string::npos);
    }
}

TEST(ShippedTemplates, NamedParamsForAliyunAndIds) {
    const auto params = shipped().named_params("rejection", {"A1", "资料不全"});
    EXPECT_EQ(params, (std::vector<kayou::notify::signing::Param>{{"application_no", "A1"},
                                                                  {"reason", "资料不全"}}));
    // No template has been approved in a console yet: the sender must refuse, not improvise.
    EXPECT_EQ(shipped().provider_template_id("approval", "tencent"), std::nullopt);
}

// ---- catalog validation

constexpr std::string_view kSmall = R"(signature: 卡友工会
templates:
  t:
    params: [a, {name: b, max_chars: 3}]
    text: "x{1}y{2}z"
    ids: {tencent: "123", aliyun: "SMS_9", local: null}
)";

TEST(Catalog, ParsesIdsAndRenders) {
    const auto c = TemplateCatalog::parse(kSmall, "mem.yaml");
    EXPECT_EQ(c.provider_template_id("t", "tencent"), "123");
    EXPECT_EQ(c.provider_template_id("t", "aliyun"), "SMS_9");
    EXPECT_EQ(c.provider_template_id("t", "local"), std::nullopt);
    EXPECT_EQ(c.render("t", {"1", "22"}).body, "x1y22z");
    EXPECT_EQ(c.missing_required().size(), std::size(kRequiredTemplates));
}

TEST(Catalog, LongRenderIsCountedAndCapped) {
    const auto c = TemplateCatalog::parse(
        "signature: 卡友工会\ntemplates:\n  long:\n    params: [v]\n    text: \"开头{1}\"\n",
        "mem.yaml");
    // 6 (signature) + 2 + 126 = 134 -> 2 parts; one more -> 3.
    EXPECT_EQ(c.render("long", {repeat("字", 126)}).segments.segments, 2u);
    EXPECT_EQ(c.render("long", {repeat("字", 127)}).segments.segments, 3u);
    EXPECT_EQ(c.render("long", {repeat("字", 492)}).segments.units, 500u);
    EXPECT_THROW(c.render("long", {repeat("字", 493)}), TemplateError);
}

TEST(Catalog, RejectsBadTemplates) {
    const std::string head = "signature: 卡友工会\ntemplates:\n  t:\n";
    const std::pair<std::string, std::string> cases[] = {
        {head + "    params: [a, b]\n    text: \"x{1}{2}\"\n",
         "mem.yaml:5: template 't': placeholders must not be adjacent"},
        {head + "    params: [a]\n    text: \"x{1}y{2}\"\n",
         "mem.yaml:5: template 't' uses {2} but declares 1 params"},
        {head + "    params: [a, b]\n    text: \"x{1}y\"\n",
         "mem.yaml:5: template 't' does not use every declared param"},
        {head + "    params: [a]\n    text: \"【卡友】x{1}\"\n",
         "mem.yaml:5: template 't' must not contain 【】 (the signature is added separately)"},
        {head + "    params: [a]\n    text: \"x{one}\"\n",
         "mem.yaml:5: template 't': placeholders must look like {1}, {2}, ..."},
        {head + "    params: [a]\n    text: \"x{1\"\n",
         "mem.yaml:5: template 't': placeholders must look like {1}, {2}, ..."},
        {head + "    params: [a, a]\n    text: \"x{1}y{2}\"\n", "mem.yaml:4: duplicate param 'a'"},
        {head + "    params: [a-b]\n    text: \"x{1}\"\n",
         "mem.yaml:4: template 't' param 1 name must be letters, digits or '_'"},
        {head + "    params: [a]\n    text: \"x{1}\"\n    note: y\n",
         "mem.yaml:6: unknown key 'note'"},
        {"signature: 卡\ntemplates:\n  t:\n    text: x\n",
         "mem.yaml:1: signature must be 2-12 characters without 【】"},
        {"signature: 卡友工会\ntemplates: {}\n",
         "mem.yaml:2: templates must be a non-empty mapping"},
        {"signature: 卡友工会\ntemplates:\n  t: [\n",
         "mem.yaml:4: YAML syntax: end of sequence flow not found"},
    };
    for (const auto& [yaml, message] : cases) {
        SCOPED_TRACE(yaml);
        try {
            TemplateCatalog::parse(yaml, "mem.yaml");
            ADD_FAILURE() << "no exception";
        } catch (const TemplateError& e) {
            EXPECT_EQ(std::string(e.what()), message);
        }
    }
}

TEST(Catalog, MissingFileNamesIt) {
    try {
        TemplateCatalog::load_file("/nonexistent/sms-templates.yaml");
        FAIL() << "no exception";
    } catch (const TemplateError& e) {
        EXPECT_STREQ(e.what(), "/nonexistent/sms-templates.yaml:0: cannot open file");
    }
}

}  // namespace
