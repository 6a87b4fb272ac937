#include "faq/benefits.hpp"

#include <algorithm>
#include <set>

#include "faq/detail/yaml_check.hpp"
#include "text/number.hpp"

namespace kayou::faq {

using detail::line_of;

std::string_view eligibility_name(Eligibility eligibility) {
    switch (eligibility) {
        case Eligibility::member:
            return "member";
        case Eligibility::applicant:
            return "applicant";
        case Eligibility::anyone:
            return "anyone";
    }
    return "anyone";
}

bool Benefit::applies_to(std::string_view district) const {
    if (districts.empty()) return true;
    return std::find(districts.begin(), districts.end(), district) != districts.end();
}

bool Benefit::valid_on(std::string_view today) const {
    // ISO dates compare correctly as strings.
    if (!valid_from.empty() && today < valid_from) return false;
    if (!valid_until.empty() && today > valid_until) return false;
    return true;
}

bool Benefit::open_to(MemberStatus status) const {
    switch (eligibility) {
        case Eligibility::anyone:
            return true;
        case Eligibility::applicant:
            return status != MemberStatus::none;
        case Eligibility::member:
            return status == MemberStatus::member;
    }
    return false;
}

BenefitCatalog parse_benefits(std::string_view yaml_text, std::string_view source_name) {
    BenefitCatalog catalog;
    std::vector<ScriptProblem> problems;
    detail::YamlCheck check(problems);
    const YAML::Node root = check.load(yaml_text);
    if (!problems.empty()) throw ScriptError(std::string(source_name), std::move(problems));
    if (!root.IsMap()) {
        check.add(line_of(root), "a benefit catalog must be a map with version and benefits");
        throw ScriptError(std::string(source_name), std::move(problems));
    }
    check.only_keys(root, {"version", "demo", "benefits"}, "the catalog");
    catalog.version = check.text(root, "version", "catalog", true).value_or("");
    if (const auto demo = root["demo"]; demo && demo.IsScalar())
        catalog.demo = demo.as<bool>(false);

    const YAML::Node list = root["benefits"];
    if (!list || !list.IsSequence() || list.size() == 0) {
        check.add(line_of(list ? list : root), "benefits must be a non-empty list");
    } else {
        std::set<std::string> ids;
        for (const auto& node : list) {
            if (!node.IsMap()) {
                check.add(line_of(node), "a benefit must be a map");
                continue;
            }
            Benefit benefit;
            benefit.line = line_of(node);
            const std::string what = "benefit on line " + std::to_string(benefit.line);
            check.only_keys(node,
                            {"id", "name", "districts", "eligibility", "what", "how_to_claim",
                             "valid_from", "valid_until", "contact", "conditions"},
                            what);
            benefit.id = check.text(node, "id", what, true).value_or("");
            if (!benefit.id.empty() && !detail::valid_content_id(benefit.id))
                check.add(line_of(node["id"]), what + ": id must match [a-z0-9_-]{1,64}");
            if (!benefit.id.empty() && !ids.insert(benefit.id).second)
                check.add(line_of(node["id"]), what + ": duplicate id '" + benefit.id + "'");
            benefit.name = check.text(node, "name", what, true).value_or("");
            benefit.districts = check.texts(node, "districts", what);
            const auto eligibility = check.text(node, "eligibility", what, true).value_or("");
            if (eligibility == "member")
                benefit.eligibility = Eligibility::member;
            else if (eligibility == "applicant")
                benefit.eligibility = Eligibility::applicant;
            else if (eligibility == "anyone")
                benefit.eligibility = Eligibility::anyone;
            else if (!eligibility.empty())
                check.add(line_of(node["eligibility"]),
                          what + ": eligibility must be member, applicant or anyone");
            benefit.what = check.text(node, "what", what, true).value_or("");
            benefit.how_to_claim = check.text(node, "how_to_claim", what, true).value_or("");
            benefit.contact = check.text(node, "contact", what, false).value_or("");
            benefit.conditions = check.text(node, "conditions", what, false).value_or("");
            for (auto [key, out] : {std::pair{"valid_from", &benefit.valid_from},
                                    std::pair{"valid_until", &benefit.valid_until}}) {
                *out = check.text(node, key, what, false).value_or("");
                if (!out->empty() && !detail::valid_date(*out))
                    check.add(line_of(node[key]), what + ": " + key + " must be YYYY-MM-DD");
            }
            if (!benefit.valid_from.empty() && !benefit.valid_until.empty() &&
                benefit.valid_from > benefit.valid_until)
                check.add(line_of(node["valid_until"]),
                          what + ": valid_until is before valid_from");
            catalog.benefits.push_back(std::move(benefit));
        }
    }
    if (!problems.empty()) throw ScriptError(std::string(source_name), std::move(problems));
    return catalog;
}

std::vector<const Benefit*> benefits_for(const BenefitCatalog& catalog, std::string_view district,
                                         MemberStatus status, std::string_view today) {
    std::vector<const Benefit*> out;
    for (const auto& benefit : catalog.benefits)
        if (benefit.applies_to(district) && benefit.valid_on(today) && benefit.open_to(status))
            out.push_back(&benefit);
    return out;
}

std::vector<const Benefit*> member_only_benefits(const BenefitCatalog& catalog,
                                                 std::string_view district, MemberStatus status,
                                                 std::string_view today) {
    std::vector<const Benefit*> out;
    if (status == MemberStatus::member) return out;
    for (const auto& benefit : catalog.benefits)
        if (benefit.applies_to(district) && benefit.valid_on(today) && !benefit.open_to(status) &&
            benefit.open_to(MemberStatus::member))
            out.push_back(&benefit);
    return out;
}

bool benefit_of_kind(const Benefit& benefit, std::string_view kind) {
    if (kind.empty()) return false;
    std::string id(kind);
    std::replace(id.begin(), id.end(), '_', '-');
    return benefit.id.rfind(id, 0) == 0;
}

namespace {

// A driver who asks for one kind of benefit ("会员能免费体检吗") is told when that benefit is
// not open today, instead of finding it silently missing from the list.
std::string closed_kind_line(const BenefitCatalog& catalog, std::string_view district,
                             MemberStatus status, std::string_view today, std::string_view kind,
                             const std::vector<const Benefit*>& open_now) {
    if (kind.empty()) return {};
    const auto asked = [&](const Benefit* benefit) { return benefit_of_kind(*benefit, kind); };
    if (std::any_of(open_now.begin(), open_now.end(), asked)) return {};
    const auto members = member_only_benefits(catalog, district, status, today);
    if (std::any_of(members.begin(), members.end(), asked)) return {};
    for (const auto& benefit : catalog.benefits) {
        if (!benefit_of_kind(benefit, kind) || benefit.valid_on(today)) continue;
        if (district.empty() ? !benefit.districts.empty() : !benefit.applies_to(district)) continue;
        if (!benefit.valid_until.empty() && today > benefit.valid_until)
            return "您问的“" + benefit.name + "”本期已于" + benefit.valid_until +
                   "截止，新一期开放时会在公众号通知。\n\n";
        return "您问的“" + benefit.name + "”将于" + benefit.valid_from + "开放。\n\n";
    }
    return {};
}

// Without his district only the city-wide benefits: a district's own is not promised to a driver
// who may live in another.
std::vector<const Benefit*> shown_in(std::vector<const Benefit*> benefits,
                                     std::string_view district) {
    if (district.empty())
        std::erase_if(benefits, [](const Benefit* benefit) { return !benefit->districts.empty(); });
    return benefits;
}

constexpr const char* kOtherBenefits = "其他福利回复\"福利\"查看。";

// Whether the catalogue's benefit of `kind` is for members only.
bool for_members(const BenefitCatalog& catalog, std::string_view kind) {
    return std::any_of(catalog.benefits.begin(), catalog.benefits.end(), [&](const Benefit& b) {
        return benefit_of_kind(b, kind) && b.eligibility == Eligibility::member;
    });
}

std::string benefit_lines(const Benefit& benefit) {
    std::string text =
        benefit.name + "：" + benefit.what + "\n   领取方式：" + benefit.how_to_claim;
    if (!benefit.valid_until.empty()) text += "（截止" + benefit.valid_until + "）";
    if (!benefit.conditions.empty()) text += "\n   注意：" + benefit.conditions;
    if (!benefit.contact.empty()) text += "\n   咨询：" + benefit.contact;
    return text;
}

// Whether an asked benefit has conditions (Benefit::conditions).
template <typename Asked>
bool has_conditions(const std::vector<const Benefit*>& benefits, Asked asked) {
    return std::any_of(benefits.begin(), benefits.end(), [&](const Benefit* benefit) {
        return asked(benefit) && !benefit->conditions.empty();
    });
}

// What a member's benefit takes for one who is not a member yet. With conditions it is never
// "批下来就能领": that told a driver in hospital during review that his stay would be paid.
std::string member_benefit_line(MemberStatus status, bool conditional) {
    if (status == MemberStatus::applicant)
        return conditional
                   ? "\n这是会员福利：入会申请批下来后，按上面的条件申请；具体能不能领，以所在"
                     "区县工会审核为准。批准时会短信通知您。"
                   : "\n这是会员福利：您的入会申请批下来就能领，批准时会短信通知您。";
    const std::string joining = conditional ? "入会后按上面的条件申请" : "入会后就能领";
    return "\n这是会员福利：已经是会员的（在单位或线下入的也算），按上面的方式出示会员电子卡"
           "领取；还没入会的，" +
           joining + "，回复\"入会\"即可在线申请，1个工作日内办结。";
}

// The asked benefit alone ("加油卡优惠怎么领"): what it gives and how to claim it, whether he can
// claim it now (a member's benefit says what joining takes; a pending application that it comes
// with the approval), and the way to the whole list. Empty when the catalogue has no such benefit
// open in his district (the whole list then says what there is).
// What the catalogue says of one asked kind: its lines, or the line saying it is closed for now;
// empty when the catalogue has no such benefit open in his district. `joining` gets what joining
// or the approval takes for it (member_benefit_line), or stays as it was.
std::string asked_benefit_body(const BenefitCatalog& catalog, std::string_view district,
                               MemberStatus status, std::string_view today, std::string_view kind,
                               std::string& joining) {
    const auto asked = [&](const Benefit* benefit) { return benefit_of_kind(*benefit, kind); };
    const auto open_now = shown_in(benefits_for(catalog, district, status, today), district);
    const auto members_only =
        shown_in(member_only_benefits(catalog, district, status, today), district);
    std::string text;
    for (const Benefit* benefit : open_now)
        if (asked(benefit)) text += (text.empty() ? "" : "\n") + benefit_lines(*benefit);
    if (!text.empty()) return text;
    for (const Benefit* benefit : members_only)
        if (asked(benefit)) text += (text.empty() ? "" : "\n") + benefit_lines(*benefit);
    // Closed for now ("本期已于…截止"): that, not the list of everything else.
    std::string closed = closed_kind_line(catalog, district, status, today, kind, open_now);
    if (text.empty() && closed.empty()) return {};
    if (text.empty()) {
        while (closed.ends_with("\n")) closed.pop_back();
        text = std::move(closed);
        if (for_members(catalog, kind)) text += "这是会员福利，只有会员能领。";
    } else if (for_members(catalog, kind)) {
        joining = member_benefit_line(status, has_conditions(members_only, asked));
    }
    return text;
}

// The asked benefits alone ("加油卡优惠怎么领", "加油卡咋办 入会礼包有啥": kinds joined by ","):
// for each, what it gives and how to claim it and whether he can claim it now (a member's benefit
// says what joining takes; a pending application that it comes with the approval); then who to
// ask and the way to the whole list. Empty when none is in the catalogue for his district (the
// whole list then says what there is).
std::string asked_benefit_text(const BenefitCatalog& catalog, std::string_view district,
                               MemberStatus status, std::string_view today,
                               std::string_view kinds) {
    std::string text;
    std::vector<std::string> joining_lines;  // said once each, after the benefits
    for (std::size_t begin = 0; begin <= kinds.size();) {
        const std::size_t end = std::min(kinds.find(',', begin), kinds.size());
        std::string joining;
        const std::string body = asked_benefit_body(catalog, district, status, today,
                                                    kinds.substr(begin, end - begin), joining);
        if (!body.empty()) text += (text.empty() ? "" : "\n") + body;
        if (!joining.empty() &&
            std::find(joining_lines.begin(), joining_lines.end(), joining) == joining_lines.end())
            joining_lines.push_back(std::move(joining));
        begin = end + 1;
    }
    if (text.empty()) return {};
    for (const auto& line : joining_lines) text += line;
    text += "\n领不到或有疑问，可以找所在区县工会，或打职工服务热线12351。\n\n";
    // Without his district: what each district adds differs (the same line the list ends with).
    if (district.empty()) text += "各地工会的福利不尽相同，告诉我您在哪个区，我再帮您查本区的；";
    return text + kOtherBenefits;
}

}  // namespace

namespace {

// The benefits the whole list numbers: those he can claim now, the one asked about first, the
// rest in catalogue order.
std::vector<const Benefit*> numbered_benefits(const BenefitCatalog& catalog,
                                              std::string_view district, MemberStatus status,
                                              std::string_view today, std::string_view kind) {
    auto mine = shown_in(benefits_for(catalog, district, status, today), district);
    std::stable_partition(mine.begin(), mine.end(),
                          [&](const Benefit* benefit) { return benefit_of_kind(*benefit, kind); });
    return mine;
}

}  // namespace

std::vector<const Benefit*> listed_benefits(const BenefitCatalog& catalog,
                                            std::string_view district, MemberStatus status,
                                            std::string_view today, std::string_view kind) {
    if (!kind.empty() && !asked_benefit_text(catalog, district, status, today, kind).empty())
        return {};
    return numbered_benefits(catalog, district, status, today, kind);
}

std::optional<std::string> picked_benefit_text(const BenefitCatalog& catalog,
                                               const std::vector<std::string>& listed_ids,
                                               MemberStatus status, std::string_view text) {
    const std::size_t n = text::list_ordinal(text);
    if (n == 0 || n > listed_ids.size()) return std::nullopt;
    const auto found = std::find_if(catalog.benefits.begin(), catalog.benefits.end(),
                                    [&](const Benefit& b) { return b.id == listed_ids[n - 1]; });
    if (found == catalog.benefits.end()) return std::nullopt;
    std::string answer = (catalog.demo ? "（演示数据）" : "") + benefit_lines(*found);
    if (found->eligibility == Eligibility::member && status != MemberStatus::member)
        answer += member_benefit_line(status, !found->conditions.empty());
    return answer + "\n领不到或有疑问，可以找所在区县工会，或打职工服务热线12351。";
}

std::string benefits_text(const BenefitCatalog& catalog, std::string_view district,
                          MemberStatus status, std::string_view today, std::string_view kind) {
    if (!kind.empty()) {
        std::string asked = asked_benefit_text(catalog, district, status, today, kind);
        if (!asked.empty()) return (catalog.demo ? "（演示数据）" : "") + asked;
    }
    const auto mine = numbered_benefits(catalog, district, status, today, kind);
    const std::string where = district.empty() ? std::string("全市") : std::string(district);
    std::string text;
    if (mine.empty()) {
        text = where + "目前没有您可以直接申领的福利项目。";
    } else {
        text = where + (status == MemberStatus::member ? "会员" : "") + "可享受的福利：\n";
        int n = 0;
        for (const auto* benefit : mine)
            text += std::to_string(++n) + ". " + benefit_lines(*benefit) + "\n";
    }
    const auto extra = shown_in(member_only_benefits(catalog, district, status, today), district);
    if (!extra.empty()) {
        // An applicant applied already: "回复入会即可在线申请" read as a second application.
        const bool applied = status == MemberStatus::applicant;
        text += applied ? "\n入会申请批下来后还可享受：" : "\n入会后还可享受：";
        for (std::size_t i = 0; i < extra.size(); ++i) text += (i ? "、" : "") + extra[i]->name;
        text +=
            applied ? "。批准时会短信通知您。" : "。回复\"入会\"即可在线申请，1个工作日内办结。";
    }
    while (!text.empty() && text.back() == '\n') text.pop_back();
    if (district.empty())
        text +=
            "\n\n各地工会的福利不尽相同，各区还有本区的福利：告诉我您在哪个区（例如：武进、新北、溧"
            "阳），我再帮您查。";
    text = closed_kind_line(catalog, district, status, today, kind, mine) + text;
    if (catalog.demo) text = "（演示数据）" + text;
    return text;
}

}  // namespace kayou::faq
