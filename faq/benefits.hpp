#pragma once
// The benefit catalog (普惠/福利): what the union offers in each district, who may claim it and
// until when (format: docs/admin-api.md "Benefit catalog"). Pure: parsing and selection only; the
// versions live in the content store like FAQ scripts.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faq/script.hpp"

namespace kayou::faq {

enum class Eligibility { member, applicant, anyone };
// The asker's membership: an applicant has a pending application; none = unknown or not a member.
enum class MemberStatus { member, applicant, none };

std::string_view eligibility_name(Eligibility eligibility);

struct Benefit {
    std::string id;
    std::string name;
    std::vector<std::string> districts;  // empty: every district (city-wide)
    Eligibility eligibility = Eligibility::anyone;
    std::string what;
    std::string how_to_claim;
    std::string valid_from;   // "YYYY-MM-DD", empty = always
    std::string valid_until;  // "YYYY-MM-DD" inclusive, empty = open-ended
    std::string contact;
    // What it does not cover or when it starts ("入会审核通过后发生的住院才能申请"): said with it,
    // so that a driver in hospital now is not promised what the rules do not give.
    std::string conditions;
    int line = 0;

    bool applies_to(std::string_view district) const;
    bool valid_on(std::string_view today) const;  // today: "YYYY-MM-DD"
    // member benefits: members; applicant benefits: applicants and members; anyone: everyone.
    bool open_to(MemberStatus status) const;
};

struct BenefitCatalog {
    std::string version;
    bool demo = false;  // demo data (the shipped file): answers are marked as such
    std::vector<Benefit> benefits;
};

// Throws ScriptError listing every problem with its line.
BenefitCatalog parse_benefits(std::string_view yaml_text, std::string_view source_name);

// Benefits of `district` (plus city-wide ones) valid on `today`, open to `status`, catalog order.
std::vector<const Benefit*> benefits_for(const BenefitCatalog& catalog, std::string_view district,
                                         MemberStatus status, std::string_view today);

// Valid in the district but only for members: what joining would add (shown to non-members).
std::vector<const Benefit*> member_only_benefits(const BenefitCatalog& catalog,
                                                 std::string_view district, MemberStatus status,
                                                 std::string_view today);

// The driver-facing answer: the benefits he can claim with how to claim them and until when,
// then (for non-members) a short list of what membership adds and how to join. `kind` (a benefit
// kind of the intent script, "fuel_card") puts the benefits of that kind first. Without a
// district: the city-wide benefits, then a question for his district.
std::string benefits_text(const BenefitCatalog& catalog, std::string_view district,
                          MemberStatus status, std::string_view today, std::string_view kind = {});

// The benefits benefits_text() numbers (1. 2. 3.), in its order; empty when it answered the asked
// kinds alone. What "第二个咋领" next picks among.
std::vector<const Benefit*> listed_benefits(const BenefitCatalog& catalog,
                                            std::string_view district, MemberStatus status,
                                            std::string_view today, std::string_view kind = {});

// "第二个咋领", "第3个是啥" right after that list: the benefit he picks among `listed_ids`, what
// it gives and how to claim it, and what joining takes for a member's benefit. nullopt when the
// message picks none of them (benefits helper, session 29: it got a drink-driving menu).
std::optional<std::string> picked_benefit_text(const BenefitCatalog& catalog,
                                               const std::vector<std::string>& listed_ids,
                                               MemberStatus status, std::string_view text);

// Whether a benefit is of an intent-script kind: its id starts with the kind, written with "-"
// ("fuel_card" -> "fuel-card", "fuel-card-2027").
bool benefit_of_kind(const Benefit& benefit, std::string_view kind);

}  // namespace kayou::faq
