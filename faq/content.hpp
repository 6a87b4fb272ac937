#pragma once
// The kinds of editor-maintained content that share one versioned store and one
// validate → preview → publish → roll back flow: FAQ scripts, the benefit catalog and the
// driver stations. Pure: validation and building only.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faq/benefits.hpp"
#include "faq/index.hpp"
#include "faq/intents.hpp"
#include "faq/script.hpp"
#include "faq/stations.hpp"

namespace kayou::faq {

enum class ContentKind { faq, benefits, stations, intents };
inline constexpr ContentKind kContentKinds[] = {ContentKind::faq, ContentKind::benefits,
                                                ContentKind::stations, ContentKind::intents};

std::optional<ContentKind> parse_content_kind(std::string_view name);
std::string_view content_kind_name(ContentKind kind);
// The seed file of a kind in the seed directory: legal.yaml, benefits.yaml, stations.yaml,
// intents.yaml.
std::string_view content_seed_file(ContentKind kind);

// Every problem of the text as that kind, with lines; empty when it would be accepted. Cheap
// (parsing only, no index build).
std::vector<ScriptProblem> validate_content(ContentKind kind, std::string_view text);

// The `version:` label of an accepted text ("2025.1"), for version lists.
std::string content_label(ContentKind kind, std::string_view text);

// One built version: exactly one pointer is set, according to the kind. Building an FAQ index
// takes seconds for thousands of entries: call this off the I/O thread.
struct BuiltContent {
    int version = 0;  // the store's version number
    std::shared_ptr<const Index> faq;
    std::shared_ptr<const BenefitCatalog> benefits;
    std::shared_ptr<const StationCatalog> stations;
    std::shared_ptr<const IntentModel> intents;
};

// Throws ScriptError for a text validate_content would reject.
BuiltContent build_content(ContentKind kind, std::string_view text, int version);

}  // namespace kayou::faq
