#pragma once
// SMS templates by name (config/sms-templates.yaml): ordered parameters, the approved Chinese
// text with {1}, {2} placeholders (Tencent's syntax), and each provider's template id.
//
// The text must be exactly what was approved in the provider consoles: the provider renders it
// from the id and the parameters; render() here produces the same text for the local sink, the
// logs' length checks and segment counting. The signature is not part of the template text
// (Tencent forbids 【】 in templates); it is sent separately and prepended by the handset.
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "notify/segments.hpp"
#include "notify/signing/wire.hpp"

namespace kayou::notify {

// The templates the services use; the shipped file must define all of them.
inline constexpr std::string_view kRequiredTemplates[] = {
    "approval", "rejection", "verification_code", "reminder", "escalation", "legal_answer_ready",
};

// Provider rule (Tencent and Aliyun): signature + rendered text at most 500 characters.
inline constexpr std::size_t kMaxSmsChars = 500;

// Bad template data or a render() call that does not fit the template. Messages name the
// template and parameter, never the parameter's value (it may be personal data).
class TemplateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct TemplateParam {
    std::string name;           // also the variable name in Aliyun's ${name} template syntax
    std::size_t max_chars = 0;  // 0 = no limit beyond the message total
    bool digits_only = false;   // verification codes: Tencent rejects anything else
};

struct SmsTemplate {
    std::string name;
    std::vector<TemplateParam> params;       // {1} is params[0]
    std::string text;                        // with {1}, {2}, ...
    std::map<std::string, std::string> ids;  // provider ("tencent", "aliyun") -> template id
};

struct RenderedSms {
    std::string body;       // template text with the values filled in
    std::string text;       // 【signature】 + body: what the handset shows
    SegmentCount segments;  // of `text`, China rule
};

class TemplateCatalog {
public:
    // Throws TemplateError naming the file (and line where known) on bad data.
    static TemplateCatalog load_file(const std::filesystem::path& file);
    static TemplateCatalog parse(std::string_view yaml_text, const std::string& origin);

    const std::string& signature() const { return signature_; }
    const SmsTemplate* find(std::string_view name) const;
    // Throws TemplateError for an unknown name.
    const SmsTemplate& at(std::string_view name) const;
    // Names from kRequiredTemplates that the catalog lacks.
    std::vector<std::string> missing_required() const;

    // nullopt when the template has no id for `provider` yet (not approved there): the sender
    // must refuse rather than send something else.
    std::optional<std::string> provider_template_id(std::string_view name,
                                                    std::string_view provider) const;

    // Fills the placeholders. Throws TemplateError on an unknown template, a wrong number of
    // values, an empty value, a value over its max_chars, a non-digit in a digits_only value,
    // a URL or 【】 in a value (providers reject both), or a result over kMaxSmsChars.
    RenderedSms render(std::string_view name, const std::vector<std::string>& values) const;

    // (name, value) pairs in template order, for Aliyun's TemplateParam JSON. Same checks as
    // render().
    std::vector<signing::Param> named_params(std::string_view name,
                                             const std::vector<std::string>& values) const;

private:
    std::string signature_;
    std::map<std::string, SmsTemplate, std::less<>> templates_;
};

}  // namespace kayou::notify
