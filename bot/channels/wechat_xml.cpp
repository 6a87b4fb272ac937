#include "bot/channels/wechat_xml.hpp"

#include <charconv>

#include "text/utf8.hpp"

namespace kayou::channels {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A tag name ends at whitespace, '>', '/'; anything else is part of it (WeChat names are ASCII,
// but there is no reason to fail on others).
bool is_name_end(char c) { return is_space(c) || c == '>' || c == '/'; }

// Decodes one entity starting at text[0] == '&'. On success appends the character(s) and returns
// the number of bytes consumed; 0 means "not an entity we know": the caller keeps '&' literally.
std::size_t decode_entity(std::string_view text, std::string& out) {
    // The longest reference we know is "&#x010FFFF;" (11 bytes): look no further, so a text full
    // of '&' without ';' stays linear.
    const std::size_t semi = text.substr(0, 12).find(';');
    if (semi == std::string_view::npos) return 0;
    const std::string_view body = text.substr(1, semi - 1);
    if (body == "lt") {
        out.push_back('<');
    } else if (body == "gt") {
        out.push_back('>');
    } else if (body == "amp") {
        out.push_back('&');
    } else if (body == "quot") {
        out.push_back('"');
    } else if (body == "apos") {
        out.push_back('\'');
    } else if (body.size() >= 2 && body[0] == '#') {
        std::string_view digits = body.substr(1);
        int base = 10;
        if (digits[0] == 'x' || digits[0] == 'X') {
            digits.remove_prefix(1);
            base = 16;
        }
        if (digits.empty()) return 0;
        std::uint32_t value = 0;
        const auto [end, ec] =
            std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
        if (ec != std::errc() || end != digits.data() + digits.size()) return 0;
        if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
        text::append_utf8(out, static_cast<char32_t>(value));
    } else {
        return 0;
    }
    return semi + 1;
}

class Parser {
public:
    explicit Parser(std::string_view input) : in_(input) {}

    Result<XmlFields> run() {
        skip_prolog();
        if (!error_.empty()) return bad_request(error_);
        if (!starts_with("<xml") || pos_ + 4 >= in_.size() || !is_name_end(in_[pos_ + 4])) {
            return bad_request("xml: missing <xml> root");
        }
        pos_ += 4;
        bool self_closing = false;
        if (!skip_tag_rest(self_closing)) return bad_request(error_);
        if (!self_closing && !parse_children("xml", "", 0)) return bad_request(error_);
        skip_misc();
        if (!error_.empty()) return bad_request(error_);
        if (pos_ != in_.size()) return bad_request("xml: content after </xml>");
        return std::move(fields_);
    }

private:
    bool starts_with(std::string_view prefix) const {
        return in_.substr(pos_, prefix.size()) == prefix;
    }

    void skip_space() {
        while (pos_ < in_.size() && is_space(in_[pos_])) ++pos_;
    }

    bool fail(const char* reason) {
        if (error_.empty()) error_ = reason;
        return false;
    }

    // Skips "<!--...-->" at pos_. Precondition: starts_with("<!--").
    bool skip_comment() {
        const std::size_t end = in_.find("-->", pos_ + 4);
        if (end == std::string_view::npos) return fail("xml: unterminated comment");
        pos_ = end + 3;
        return true;
    }

    // Skips "<?...?>" at pos_. Precondition: starts_with("<?").
    bool skip_processing_instruction() {
        const std::size_t end = in_.find("?>", pos_ + 2);
        if (end == std::string_view::npos) return fail("xml: unterminated declaration");
        pos_ = end + 2;
        return true;
    }

    // Whitespace, comments and processing instructions between top-level constructs.
    void skip_misc() {
        while (true) {
            skip_space();
            if (starts_with("<!--")) {
                if (!skip_comment()) return;
            } else if (starts_with("<?")) {
                if (!skip_processing_instruction()) return;
            } else {
                return;
            }
        }
    }

    void skip_prolog() {
        if (starts_with("\xEF\xBB\xBF")) pos_ += 3;
        skip_misc();
    }

    // After "<name": skips attributes up to '>' (honouring quotes); sets self_closing for "/>".
    bool skip_tag_rest(bool& self_closing) {
        char quote = 0;
        for (; pos_ < in_.size(); ++pos_) {
            const char c = in_[pos_];
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                self_closing = pos_ > 0 && in_[pos_ - 1] == '/';
                ++pos_;
                return true;
            } else if (c == '<') {
                return fail("xml: '<' inside a tag");
            }
        }
        return fail("xml: unterminated tag");
    }

    // Parses the content of element `name` (whose start tag has been consumed) up to and
    // including its end tag. `path` is the dotted prefix for child fields.
    // `depth` is the element's own depth (<xml> is 0); its children are at depth + 1.
    bool parse_children(std::string_view name, std::string_view path, std::size_t depth) {
        while (true) {
            const std::size_t lt = in_.find('<', pos_);
            if (lt == std::string_view::npos) return fail("xml: unclosed element");
            // Text directly inside a container (only whitespace in real traffic) is ignored.
            pos_ = lt;
            if (starts_with("</")) return parse_end_tag(name);
            if (starts_with("<!--")) {
                if (!skip_comment()) return false;
                continue;
            }
            if (starts_with("<?")) {
                if (!skip_processing_instruction()) return false;
                continue;
            }
            if (starts_with("<![CDATA[")) {
                // Stray CDATA in a container: skip it like other container text.
                const std::size_t end = in_.find("]]>", pos_ + 9);
                if (end == std::string_view::npos) return fail("xml: unterminated CDATA");
                pos_ = end + 3;
                continue;
            }
            if (!parse_element(path, depth + 1)) return false;
        }
    }

    bool parse_end_tag(std::string_view name) {
        pos_ += 2;
        const std::size_t start = pos_;
        while (pos_ < in_.size() && !is_name_end(in_[pos_])) ++pos_;
        if (in_.substr(start, pos_ - start) != name) return fail("xml: mismatched end tag");
        skip_space();
        if (pos_ >= in_.size() || in_[pos_] != '>') return fail("xml: unterminated end tag");
        ++pos_;
        return true;
    }

    // Parses one child element at pos_ ('<' of its start tag), adding a field for a leaf or
    // recursing for a container.
    bool parse_element(std::string_view parent_path, std::size_t depth) {
        // Checked before anything else so "<a><a><a>..." cannot recurse deeper than this.
        if (depth > kMaxXmlDepth) return fail("xml: nesting too deep");
        ++pos_;  // '<'
        const std::size_t start = pos_;
        while (pos_ < in_.size() && !is_name_end(in_[pos_]) && in_[pos_] != '<') ++pos_;
        const std::string_view name = in_.substr(start, pos_ - start);
        if (name.empty() || name[0] == '!') return fail("xml: malformed tag");
        bool self_closing = false;
        if (!skip_tag_rest(self_closing)) return false;

        std::string path;
        path.reserve(parent_path.size() + 1 + name.size());
        if (!parent_path.empty()) {
            path.append(parent_path);
            path.push_back('.');
        }
        path.append(name);

        if (self_closing) return add_field(std::move(path), std::string());

        // Leaf content: text, entities and CDATA up to the end tag. Whitespace is trimmed only
        // outside CDATA: protect_begin/protect_end mark the span of `value` that came from CDATA.
        std::string value;
        std::size_t protect_begin = std::string::npos;
        std::size_t protect_end = 0;
        while (true) {
            if (pos_ >= in_.size()) return fail("xml: unclosed element");
            const char c = in_[pos_];
            if (c == '<') {
                if (starts_with("<![CDATA[")) {
                    const std::size_t end = in_.find("]]>", pos_ + 9);
                    if (end == std::string_view::npos) return fail("xml: unterminated CDATA");
                    if (protect_begin == std::string::npos) protect_begin = value.size();
                    value.append(in_.substr(pos_ + 9, end - pos_ - 9));
                    protect_end = value.size();
                    pos_ = end + 3;
                } else if (starts_with("<!--")) {
                    if (!skip_comment()) return false;
                } else if (starts_with("</")) {
                    if (!parse_end_tag(name)) return false;
                    trim_outside(value, protect_begin, protect_end);
                    return add_field(std::move(path), std::move(value));
                } else if (starts_with("<?")) {
                    if (!skip_processing_instruction()) return false;
                } else {
                    // A child element: this element is a container. Its own text (whitespace
                    // in practice) is dropped, and its children become dotted fields.
                    if (!parse_element(path, depth + 1)) return false;
                    return parse_children(name, path, depth);
                }
            } else if (c == '&') {
                const std::size_t used = decode_entity(in_.substr(pos_), value);
                if (used == 0) {
                    value.push_back('&');
                    ++pos_;
                } else {
                    pos_ += used;
                }
            } else {
                // Copy the run of plain text up to the next markup character in one go.
                std::size_t end = pos_;
                while (end < in_.size() && in_[end] != '<' && in_[end] != '&') ++end;
                value.append(in_.substr(pos_, end - pos_));
                pos_ = end;
            }
        }
    }

    static void trim_outside(std::string& value, std::size_t protect_begin,
                             std::size_t protect_end) {
        std::size_t begin = 0;
        const std::size_t begin_limit =
            protect_begin == std::string::npos ? value.size() : protect_begin;
        while (begin < begin_limit && is_space(value[begin])) ++begin;
        std::size_t end = value.size();
        const std::size_t end_limit = protect_begin == std::string::npos ? begin : protect_end;
        while (end > end_limit && is_space(value[end - 1])) --end;
        if (begin == 0 && end == value.size()) return;
        value = value.substr(begin, end - begin);
    }

    bool add_field(std::string path, std::string value) {
        if (fields_.size() >= kMaxXmlFields) return fail("xml: too many fields");
        fields_.add(std::move(path), std::move(value));
        return true;
    }

    std::string_view in_;
    std::size_t pos_ = 0;
    XmlFields fields_;
    std::string error_;
};

}  // namespace

const std::string* XmlFields::find(std::string_view name) const {
    for (const auto& field : fields_) {
        if (field.name == name) return &field.value;
    }
    return nullptr;
}

std::string_view XmlFields::get(std::string_view name) const {
    const std::string* value = find(name);
    return value ? std::string_view(*value) : std::string_view();
}

void XmlFields::add(std::string name, std::string value) {
    if (fields_.empty()) fields_.reserve(12);  // a typical message has 6-10 fields
    fields_.push_back({std::move(name), std::move(value)});
}

Result<XmlFields> parse_wechat_xml(std::string_view xml) {
    if (xml.size() > kMaxXmlBytes) return too_large("xml: document over 64 KiB");
    return Parser(xml).run();
}

void append_cdata_content(std::string& out, std::string_view value) {
    while (true) {
        const std::size_t found = value.find("]]>");
        if (found == std::string_view::npos) break;
        // "]]" ends this section, ">" starts the next: the reader joins them back into "]]>".
        out.append(value.substr(0, found + 2));
        out.append("]]><![CDATA[");
        value.remove_prefix(found + 2);
    }
    out.append(value);
}

XmlWriter::XmlWriter() {
    out_.reserve(256);
    out_.append("<xml>");
}

XmlWriter& XmlWriter::cdata(std::string_view name, std::string_view value) {
    out_.reserve(out_.size() + 2 * name.size() + value.size() + 17);
    out_.push_back('<');
    out_.append(name);
    out_.append("><![CDATA[");
    append_cdata_content(out_, value);
    out_.append("]]></");
    out_.append(name);
    out_.push_back('>');
    return *this;
}

XmlWriter& XmlWriter::number(std::string_view name, std::int64_t value) {
    char buffer[24];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    (void)ec;  // 24 bytes always fit an int64
    out_.push_back('<');
    out_.append(name);
    out_.push_back('>');
    out_.append(buffer, end);
    out_.append("</");
    out_.append(name);
    out_.push_back('>');
    return *this;
}

XmlWriter& XmlWriter::digits(std::string_view name, std::string_view value) {
    bool all_digits = !value.empty();
    for (char c : value) all_digits = all_digits && c >= '0' && c <= '9';
    if (!all_digits) return cdata(name, value);
    out_.push_back('<');
    out_.append(name);
    out_.push_back('>');
    out_.append(value);
    out_.append("</");
    out_.append(name);
    out_.push_back('>');
    return *this;
}

std::string XmlWriter::finish() {
    out_.append("</xml>");
    std::string done = std::move(out_);
    out_.clear();
    return done;
}

}  // namespace kayou::channels
