#include "faq/content.hpp"

namespace kayou::faq {
namespace {
std::string source_name(ContentKind kind) { return std::string(content_kind_name(kind)); }
}  // namespace

std::optional<ContentKind> parse_content_kind(std::string_view name) {
    for (auto kind : kContentKinds)
        if (content_kind_name(kind) == name) return kind;
    return std::nullopt;
}

std::string_view content_kind_name(ContentKind kind) {
    switch (kind) {
        case ContentKind::faq:
            return "faq";
        case ContentKind::benefits:
            return "benefits";
        case ContentKind::stations:
            return "stations";
        case ContentKind::intents:
            return "intents";
    }
    return "faq";
}

std::string_view content_seed_file(ContentKind kind) {
    switch (kind) {
        case ContentKind::faq:
            return "legal.yaml";
        case ContentKind::benefits:
            return "benefits.yaml";
        case ContentKind::stations:
            return "stations.yaml";
        case ContentKind::intents:
            return "intents.yaml";
    }
    return "legal.yaml";
}

std::vector<ScriptProblem> validate_content(ContentKind kind, std::string_view text) {
    try {
        switch (kind) {
            case ContentKind::faq:
                parse_script(text, source_name(kind));
                break;
            case ContentKind::benefits:
                parse_benefits(text, source_name(kind));
                break;
            case ContentKind::stations:
                parse_stations(text, source_name(kind));
                break;
            case ContentKind::intents:
                parse_intent_script(text, source_name(kind));
                break;
        }
    } catch (const ScriptError& error) {
        return error.problems();
    }
    return {};
}

std::string content_label(ContentKind kind, std::string_view text) {
    try {
        switch (kind) {
            case ContentKind::faq:
                return parse_script(text, source_name(kind)).version;
            case ContentKind::benefits:
                return parse_benefits(text, source_name(kind)).version;
            case ContentKind::stations:
                return parse_stations(text, source_name(kind)).version;
            case ContentKind::intents:
                return parse_intent_script(text, source_name(kind)).version;
        }
    } catch (const ScriptError&) {
    }
    return {};
}

BuiltContent build_content(ContentKind kind, std::string_view text, int version) {
    BuiltContent built;
    built.version = version;
    const std::string source = source_name(kind) + " v" + std::to_string(version);
    switch (kind) {
        case ContentKind::faq:
            built.faq = Index::build(parse_script(text, source));
            break;
        case ContentKind::benefits:
            built.benefits = std::make_shared<const BenefitCatalog>(parse_benefits(text, source));
            break;
        case ContentKind::stations:
            built.stations = std::make_shared<const StationCatalog>(parse_stations(text, source));
            break;
        case ContentKind::intents:
            built.intents = IntentModel::build(parse_intent_script(text, source));
            break;
    }
    return built;
}

}  // namespace kayou::faq
