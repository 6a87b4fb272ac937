#include "notify/templates.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "text/utf8.hpp"

namespace kayou::notify {
namespace {

constexpr std::size_t kMinSignatureChars = 2;  // Tencent: 2-12 characters
constexpr std::size_t kMaxSignatureChars = 12;

// One piece of a template text: literal text, or placeholder {index} (1-based).
struct Piece {
    std::string literal;
    int placeholder = 0;
};

// Splits "a{1}b{2}" into pieces; nullopt-like failure is reported through `error`.
std::vector<Piece> split_placeholders(std::string_view text, std::string& error) {
    std::vector<Piece> pieces;
    std::string literal;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '}') {
            error = "'}' without '{'";
            return {};
        }
        if (c != '{') {
            literal += c;
            continue;
        }
        const auto close = text.find('}', i);
        int index = 0;
        const char* first = text.data() + i + 1;
        const char* last = close == std::string_view::npos ? first : text.data() + close;
        const auto [end, ec] = std::from_chars(first, last, index);
        if (close == std::string_view::npos || first == last || ec != std::errc{} || end != last ||
            index < 1) {
            error = "placeholders must look like {1}, {2}, ...";
            return {};
        }
        if (!literal.empty()) pieces.push_back({std::move(literal), 0});
        literal.clear();
        if (!pieces.empty() && pieces.back().placeholder != 0) {
            // Tencent's template rules forbid adjacent variables.
            error = "placeholders must not be adjacent";
            return {};
        }
        pieces.push_back({{}, index});
        i = close;
    }
    if (!literal.empty()) pieces.push_back({std::move(literal), 0});
    return pieces;
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
    const auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                                [](char a, char b) {
                                    return std::tolower(static_cast<unsigned char>(a)) ==
                                           std::tolower(static_cast<unsigned char>(b));
                                });
    return it != haystack.end();
}

bool has_brackets(std::string_view s) {
    return s.find("【") != std::string_view::npos || s.find("】") != std::string_view::npos;
}

// The checks render() documents, before any text is built.
void check_values(const SmsTemplate& t, const std::vector<std::string>& values) {
    if (values.size() != t.params.size()) {
        throw TemplateError("SMS template '" + t.name + "' takes " +
                            std::to_string(t.params.size()) + " values, got " +
                            std::to_string(values.size()));
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        const TemplateParam& p = t.params[i];
        const std::string& v = values[i];
        const std::string where = "SMS template '" + t.name + "' value '" + p.name + "'";
        if (v.empty()) throw TemplateError(where + " is empty");
        if (p.max_chars != 0 && text::code_point_count(v) > p.max_chars) {
            throw TemplateError(where + " is longer than " + std::to_string(p.max_chars) +
                                " characters");
        }
        if (p.digits_only &&
            !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            throw TemplateError(where + " must be digits only");
        }
        if (contains_ci(v, "://") || contains_ci(v, "www.")) {
            throw TemplateError(where + " contains a URL (providers reject URLs in variables)");
        }
        if (has_brackets(v)) throw TemplateError(where + " contains 【】");
    }
}

class Loader {
public:
    explicit Loader(const std::string& origin) : origin_(origin) {}

    [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const {
        const int line = node.IsDefined() ? node.Mark().line : -1;
        fail_at(line < 0 ? 0 : line + 1, message);
    }
    [[noreturn]] void fail_at(int line, const std::string& message) const {
        throw TemplateError(origin_ + ":" + std::to_string(line) + ": " + message);
    }

    void check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed) const {
        for (const auto& kv : map) {
            const std::string key = kv.first.Scalar();
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                fail(kv.first, "unknown key '" + key + "'");
            }
        }
    }

    std::string scalar(const YAML::Node& node, const std::string& what) const {
        if (!node.IsDefined() || !node.IsScalar() || node.Scalar().empty()) {
            fail(node, what + " must be a non-empty string");
        }
        return node.Scalar();
    }

    TemplateParam param(const YAML::Node& node, const std::string& where) const {
        TemplateParam p;
        if (node.IsScalar()) {
            p.name = node.Scalar();
        } else if (node.IsMap()) {
            check_keys(node, {"name", "max_chars", "digits_only"});
            p.name = scalar(node["name"], where + " name");
            if (const YAML::Node m = node["max_chars"]) {
                const std::string s = m.IsScalar() ? m.Scalar() : std::string();
                const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), p.max_chars);
                if (s.empty() || ec != std::errc{} || end != s.data() + s.size() ||
                    p.max_chars == 0) {
                    fail(m, where + " max_chars must be a positive integer");
                }
            }
            if (const YAML::Node d = node["digits_only"]) {
                if (!d.IsScalar() || (d.Scalar() != "true" && d.Scalar() != "false")) {
                    fail(d, where + " digits_only must be true or false");
                }
                p.digits_only = d.Scalar() == "true";
            }
        } else {
            fail(node, where + " must be a name or {name, max_chars, digits_only}");
        }
        // Aliyun variable names: ${name} with letters, digits and underscores.
        const bool valid = !p.name.empty() && std::all_of(p.name.begin(), p.name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
        });
        if (!valid) fail(node, where + " name must be letters, digits or '_'");
        return p;
    }

    SmsTemplate one(const std::string& name, const YAML::Node& node) const {
        if (!node.IsMap()) fail(node, "template '" + name + "' must be a mapping");
        check_keys(node, {"params", "text", "ids"});
        SmsTemplate t;
        t.name = name;
        t.text = scalar(node["text"], "template '" + name + "' text");

        const YAML::Node params = node["params"];
        if (params && !params.IsSequence())
            fail(params, "template '" + name + "' params must be a list");
        std::set<std::string> seen;
        if (params) {
            for (std::size_t i = 0; i < params.size(); ++i) {
                TemplateParam p =
                    param(params[i], "template '" + name + "' param " + std::to_string(i + 1));
                if (!seen.insert(p.name).second)
                    fail(params[i], "duplicate param '" + p.name + "'");
                t.params.push_back(std::move(p));
            }
        }

        if (has_brackets(t.text)) {
            fail(node["text"], "template '" + name +
                                   "' must not contain 【】 (the signature is added separately)");
        }
        std::string error;
        const std::vector<Piece> pieces = split_placeholders(t.text, error);
        if (!error.empty()) fail(node["text"], "template '" + name + "': " + error);
        std::set<int> used;
        for (const Piece& p : pieces) {
            if (p.placeholder != 0) used.insert(p.placeholder);
        }
        for (int i : used) {
            if (i > static_cast<int>(t.params.size())) {
                fail(node["text"], "template '" + name + "' uses {" + std::to_string(i) +
                                       "} but declares " + std::to_string(t.params.size()) +
                                       " params");
            }
        }
        if (used.size() != t.params.size()) {
            fail(node["text"], "template '" + name + "' does not use every declared param");
        }

        if (const YAML::Node ids = node["ids"]) {
            if (!ids.IsMap()) fail(ids, "template '" + name + "' ids must be a mapping");
            for (const auto& kv : ids) {
                const std::string provider = kv.first.Scalar();
                // A null or empty id means "not approved there yet".
                if (kv.second.IsNull() || (kv.second.IsScalar() && kv.second.Scalar().empty())) {
                    continue;
                }
                t.ids[provider] = scalar(kv.second, "template '" + name + "' id for " + provider);
            }
        }
        return t;
    }

private:
    const std::string& origin_;
};

}  // namespace

TemplateCatalog TemplateCatalog::load_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw TemplateError(file.string() + ":0: cannot open file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), file.string());
}

TemplateCatalog TemplateCatalog::parse(std::string_view yaml_text, const std::string& origin) {
    Loader loader(origin);
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::ParserException& e) {
        loader.fail_at(e.mark.line < 0 ? 0 : e.mark.line + 1, "YAML syntax: " + e.msg);
    }
    if (!root.IsMap()) loader.fail_at(0, "expected a mapping with signature and templates");
    loader.check_keys(root, {"signature", "templates"});

    TemplateCatalog catalog;
    catalog.signature_ = loader.scalar(root["signature"], "signature");
    const std::size_t sig_chars = text::code_point_count(catalog.signature_);
    if (sig_chars < kMinSignatureChars || sig_chars > kMaxSignatureChars ||
        has_brackets(catalog.signature_)) {
        loader.fail(root["signature"], "signature must be 2-12 characters without 【】");
    }
    const YAML::Node templates = root["templates"];
    if (!templates || !templates.IsMap() || templates.size() == 0) {
        loader.fail(templates, "templates must be a non-empty mapping");
    }
    for (const auto& kv : templates) {
        const std::string name = kv.first.Scalar();
        catalog.templates_.emplace(name, loader.one(name, kv.second));
    }
    return catalog;
}

const SmsTemplate* TemplateCatalog::find(std::string_view name) const {
    const auto it = templates_.find(name);
    return it == templates_.end() ? nullptr : &it->second;
}

const SmsTemplate& TemplateCatalog::at(std::string_view name) const {
    const SmsTemplate* t = find(name);
    if (t == nullptr) throw TemplateError("unknown SMS template '" + std::string(name) + "'");
    return *t;
}

std::vector<std::string> TemplateCatalog::missing_required() const {
    std::vector<std::string> out;
    for (std::string_view name : kRequiredTemplates) {
        if (find(name) == nullptr) out.emplace_back(name);
    }
    return out;
}

std::optional<std::string> TemplateCatalog::provider_template_id(std::string_view name,
                                                                 std::string_view provider) const {
    const SmsTemplate& t = at(name);
    const auto it = t.ids.find(std::string(provider));
    if (it == t.ids.end()) return std::nullopt;
    return it->second;
}

RenderedSms TemplateCatalog::render(std::string_view name,
                                    const std::vector<std::string>& values) const {
    const SmsTemplate& t = at(name);
    check_values(t, values);
    std::string error;
    RenderedSms out;
    for (const Piece& piece : split_placeholders(t.text, error)) {
        out.body += piece.placeholder == 0 ? piece.literal : values[piece.placeholder - 1];
    }
    out.text = with_signature(signature_, out.body);
    out.segments = count_segments(out.text);
    if (out.segments.units > kMaxSmsChars) {
        throw TemplateError("SMS template '" + t.name + "' renders to " +
                            std::to_string(out.segments.units) + " characters (max " +
                            std::to_string(kMaxSmsChars) + ")");
    }
    return out;
}

std::vector<signing::Param> TemplateCatalog::named_params(
    std::string_view name, const std::vector<std::string>& values) const {
    const SmsTemplate& t = at(name);
    check_values(t, values);
    std::vector<signing::Param> out;
    for (std::size_t i = 0; i < values.size(); ++i) out.emplace_back(t.params[i].name, values[i]);
    return out;
}

}  // namespace kayou::notify
