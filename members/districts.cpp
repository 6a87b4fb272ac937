#include "members/districts.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <stdexcept>
#include <string>

#include <yaml-cpp/yaml.h>

#include "text/utf8.hpp"

namespace kayou::members {
namespace {

// Drivers write "武进 区", "（武进）", "Wujin"; only letters, digits and ideographs carry meaning.
std::u32string normalize(std::string_view input) {
    std::u32string out;
    for (char32_t cp : text::decode_utf8(text::strip_control(input))) {
        cp = text::fold_width(cp);
        if (cp >= U'A' && cp <= U'Z') cp = cp - U'A' + U'a';
        const bool keep = (cp >= U'a' && cp <= U'z') || (cp >= U'0' && cp <= U'9') || cp == U'_' ||
                          (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                          (cp >= 0x20000 && cp <= 0x323AF);
        if (keep) out.push_back(cp);
    }
    return out;
}

// "武进区" -> "武进", "湖塘镇" -> "湖塘", "南大街街道" -> "南大街"; empty when nothing to strip or
// the stem would be a single character ("城区" stays whole: "城" alone would hit everywhere).
std::u32string stem(std::u32string_view key) {
    static constexpr std::u32string_view kSuffixes[] = {U"街道", U"区", U"县", U"市", U"镇", U"乡"};
    for (auto suffix : kSuffixes) {
        if (key.size() >= suffix.size() + 2 && key.substr(key.size() - suffix.size()) == suffix) {
            return std::u32string(key.substr(0, key.size() - suffix.size()));
        }
    }
    return {};
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(first, last - first + 1));
}

// yaml-cpp counts lines from 0 and uses -1 when it has no position (an empty document).
std::string line_of(const YAML::Mark& mark) { return std::to_string(std::max(mark.line, 0) + 1); }

[[noreturn]] void fail_at(const YAML::Node& node, const std::string& what) {
    throw std::runtime_error("districts: line " + line_of(node.Mark()) + ": " + what);
}

std::string scalar(const YAML::Node& item, const char* field) {
    const YAML::Node node = item[field];
    if (!node || node.IsNull()) fail_at(item, std::string("missing ") + field);
    if (!node.IsScalar()) fail_at(node, std::string(field) + " must be a string");
    std::string value = trimmed(node.Scalar());
    if (value.empty()) fail_at(node, std::string("empty ") + field);
    return value;
}

// An optional string field: empty when absent.
std::string optional_scalar(const YAML::Node& item, const char* field) {
    const YAML::Node node = item[field];
    if (!node || node.IsNull()) return {};
    if (!node.IsScalar()) fail_at(node, std::string(field) + " must be a string");
    return trimmed(node.Scalar());
}

// An item's optional `aliases`: a list or one string, none empty.
std::vector<std::string> aliases_of(const YAML::Node& item) {
    std::vector<std::string> out;
    const YAML::Node aliases = item["aliases"];
    if (!aliases || aliases.IsNull()) return out;
    auto add_alias = [&out](const YAML::Node& node) {
        if (!node.IsScalar()) fail_at(node, "alias must be a string");
        std::string alias = trimmed(node.Scalar());
        if (alias.empty()) fail_at(node, "empty alias");
        out.push_back(std::move(alias));
    };
    if (aliases.IsSequence()) {
        for (const auto& alias : aliases) add_alias(alias);
    } else {
        add_alias(aliases);
    }
    return out;
}

}  // namespace

std::string short_name(std::string_view name) {
    const std::u32string stemmed = stem(text::decode_utf8(name));
    return stemmed.empty() ? std::string(name) : text::encode_utf8(stemmed);
}

DistrictCatalog::DistrictCatalog(std::vector<District> districts, City city)
    : districts_(std::move(districts)), city_(std::move(city)) {
    for (const std::string& key : city_.aliases) city_keys_.push_back(normalize(key));
    if (!city_.name.empty()) {
        city_keys_.push_back(normalize(city_.name));
        city_keys_.push_back(stem(normalize(city_.name)));
    }
    std::erase_if(city_keys_, [](const std::u32string& key) { return key.size() < 2; });
    std::set<std::string> ids;
    for (const auto& district : districts_) {
        if (district.id.empty()) throw std::runtime_error("districts: empty id");
        if (district.name.empty())
            throw std::runtime_error("districts: empty name for id " + district.id);
        if (!ids.insert(lower_ascii(district.id)).second) {
            throw std::runtime_error("districts: duplicate id " + district.id);
        }
        std::vector<Key> keys;
        auto add = [&keys](std::u32string key, bool is_name) {
            if (key.empty()) return;
            for (const auto& existing : keys) {
                if (existing.text == key) return;
            }
            keys.push_back({std::move(key), is_name});
        };
        const auto name = normalize(district.name);
        add(name, true);
        add(stem(name), true);
        for (const auto& alias : district.aliases) {
            const auto normalized = normalize(alias);
            add(normalized, false);
            add(stem(normalized), false);
        }
        keys_.push_back(std::move(keys));
    }
}

DistrictCatalog DistrictCatalog::from_yaml(std::string_view yaml_text) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::Exception& e) {
        throw std::runtime_error("districts: line " + line_of(e.mark) + ": " + e.msg);
    }
    // Not `list = root["districts"]` on a copy of root: a YAML::Node copy shares root's node, and
    // assigning to it would overwrite root (its `city` with it).
    const YAML::Node list = root.IsMap() ? root["districts"] : root;
    if (!list || !list.IsSequence() || list.size() == 0) {
        throw std::runtime_error("districts: line " + line_of(root.Mark()) +
                                 ": expected a non-empty list of districts");
    }

    std::vector<District> districts;
    std::set<std::string> ids;
    for (const auto& item : list) {
        if (!item.IsMap()) fail_at(item, "each district must be a map with id and name");
        District district;
        district.id = scalar(item, "id");
        district.name = scalar(item, "name");
        if (!ids.insert(lower_ascii(district.id)).second) {
            fail_at(item["id"], "duplicate id " + district.id);
        }
        district.aliases = aliases_of(item);
        if (const YAML::Node office = item["office"]; office && !office.IsNull()) {
            if (!office.IsMap()) fail_at(office, "office must be a map with a name");
            district.office.name = scalar(office, "name");
            district.office.address = optional_scalar(office, "address");
            district.office.phone = optional_scalar(office, "phone");
            district.office.hours = optional_scalar(office, "hours");
        }
        districts.push_back(std::move(district));
    }
    City city;
    if (root.IsMap())
        if (const YAML::Node node = root["city"]; node && !node.IsNull()) {
            if (!node.IsMap()) fail_at(node, "city must be a map with a name");
            city.name = scalar(node, "name");
            city.aliases = aliases_of(node);
        }
    return DistrictCatalog(std::move(districts), std::move(city));
}

const District* DistrictCatalog::find(std::string_view id) const {
    const std::string wanted = lower_ascii(trimmed(id));
    for (const auto& district : districts_) {
        if (lower_ascii(district.id) == wanted) return &district;
    }
    return nullptr;
}

DistrictCatalog::Match DistrictCatalog::match(std::string_view free_text) const {
    Match result;
    const std::u32string text = normalize(free_text);
    if (text.empty()) return result;

    auto finish = [this, &result](const std::vector<bool>& chosen) {
        for (std::size_t i = 0; i < districts_.size(); ++i) {
            if (chosen[i]) result.candidates.push_back(&districts_[i]);
        }
        if (result.candidates.size() == 1) result.kind = Match::Kind::unique;
        if (result.candidates.size() > 1) result.kind = Match::Kind::ambiguous;
        return result;
    };

    const std::u32string text_stem = stem(text);
    auto whole_text_is = [&](const Key& key) {
        return key.text == text || (!text_stem.empty() && key.text == text_stem);
    };

    // 1. The whole answer is an id or a name.
    std::vector<bool> chosen(districts_.size(), false);
    bool any = false;
    const std::string lowered = lower_ascii(trimmed(free_text));
    for (std::size_t i = 0; i < districts_.size(); ++i) {
        bool hit = lower_ascii(districts_[i].id) == lowered;
        for (const auto& key : keys_[i]) hit = hit || (key.is_name && whole_text_is(key));
        chosen[i] = hit;
        any = any || hit;
    }
    if (any) return finish(chosen);

    // 2. The whole answer is an alias.
    for (std::size_t i = 0; i < districts_.size(); ++i) {
        for (const auto& key : keys_[i]) chosen[i] = chosen[i] || whole_text_is(key);
        any = any || chosen[i];
    }
    if (any) return finish(chosen);

    // 3. Names and aliases inside a longer answer.
    struct Hit {
        std::size_t district, start;
        const Key* key;
        std::size_t end() const { return start + key->text.size(); }
    };
    std::vector<Hit> hits;
    for (std::size_t i = 0; i < districts_.size(); ++i) {
        for (const auto& key : keys_[i]) {
            for (auto pos = text.find(key.text); pos != std::u32string::npos;
                 pos = text.find(key.text, pos + 1)) {
                hits.push_back({i, pos, &key});
            }
        }
    }
    for (const auto& hit : hits) {
        const bool shadowed = std::any_of(hits.begin(), hits.end(), [&hit](const Hit& other) {
            if (other.district == hit.district) return false;
            if (other.start > hit.start || other.end() < hit.end()) return false;
            // "牛塘镇" under one district and "牛塘" under another name the same place: a longer
            // hit that only adds an administrative suffix does not settle it.
            const bool only_suffix =
                other.start == hit.start && stem(other.key->text) == hit.key->text;
            if (other.key->text.size() > hit.key->text.size()) return !only_suffix;
            return other.key->text.size() == hit.key->text.size() && other.key->is_name &&
                   !hit.key->is_name;
        });
        if (!shadowed) chosen[hit.district] = true;
    }
    finish(chosen);
    if (result.kind != Match::Kind::none) return result;
    const bool names_city = std::any_of(
        city_keys_.begin(), city_keys_.end(),
        [&text](const std::u32string& key) { return text.find(key) != std::u32string::npos; });
    if (names_city) {
        result.kind = Match::Kind::city;
        for (const District& district : districts_) result.candidates.push_back(&district);
    }
    return result;
}

}  // namespace kayou::members
