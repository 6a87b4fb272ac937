#pragma once
// WeChat's flat callback XML: <xml><A><![CDATA[..]]></A><B>123</B>...</xml>.
//
// Not a general XML parser. It reads exactly what WeChat/WeCom send, leniently where real traffic
// is untidy, and strictly where a broken document must not be half-understood:
// - CDATA sections are taken byte for byte (no trimming: user Content is significant).
// - Outside CDATA, text is entity-decoded (&lt; &gt; &amp; &quot; &apos; &#NN; &#xHH;) and
//   leading/trailing whitespace is trimmed (the "\n" between elements in V3/V4). An unknown or
//   malformed entity is kept literally rather than failing the whole message.
// - Control characters (e.g. 0x1D) and any non-UTF-8 bytes pass through unchanged; the
//   codecs clean text later with text::strip_control. A strict XML 1.0 parser would reject the
//   message and the user would see "service unavailable".
// - Nested elements (ScanCodeInfo, SendLocationInfo, SendPicsInfo/PicList/item) are flattened
//   into dotted names: "ScanCodeInfo.ScanType". The container itself gets no field.
// - Comments, <?xml ...?> declarations and a UTF-8 BOM are skipped; attributes are ignored.
// - Errors (bad_request): no <xml> root, unclosed or mismatched tags, an unterminated CDATA,
//   comment or tag, nesting deeper than kMaxXmlDepth, more than kMaxXmlFields fields, or
//   non-whitespace after </xml>. too_large: more than kMaxXmlBytes bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "net/decode_error.hpp"

namespace kayou::channels {

inline constexpr std::size_t kMaxXmlBytes = 64 * 1024;
inline constexpr std::size_t kMaxXmlDepth = 8;
inline constexpr std::size_t kMaxXmlFields = 256;

struct XmlField {
    std::string name;  // dotted path below <xml>: "Content", "ScanCodeInfo.ScanType"
    std::string value;
};

// The fields of one document in document order. A repeated name keeps every occurrence;
// find()/get() return the first.
class XmlFields {
public:
    const std::string* find(std::string_view name) const;
    std::string_view get(std::string_view name) const;  // "" when absent
    bool has(std::string_view name) const { return find(name) != nullptr; }

    const std::vector<XmlField>& fields() const { return fields_; }
    std::size_t size() const { return fields_.size(); }
    auto begin() const { return fields_.begin(); }
    auto end() const { return fields_.end(); }

    void add(std::string name, std::string value);

private:
    std::vector<XmlField> fields_;
};

Result<XmlFields> parse_wechat_xml(std::string_view xml);

// Builds <xml>...</xml> replies. Field names are trusted constants; values are not.
class XmlWriter {
public:
    XmlWriter();
    // <name><![CDATA[value]]></name>; "]]>" inside value is split as "]]]]><![CDATA[>"
    // so model or user text can never end the section early.
    XmlWriter& cdata(std::string_view name, std::string_view value);
    // <name>123</name>, no CDATA (CreateTime, TimeStamp).
    XmlWriter& number(std::string_view name, std::int64_t value);
    // For a numeric field whose text must be kept exactly (a timestamp echoed from the query, as
    // it was signed): written bare when it is all digits, otherwise as CDATA so the document
    // stays well formed.
    XmlWriter& digits(std::string_view name, std::string_view value);
    // Closes the root and returns the document; the writer is empty afterwards.
    std::string finish();

private:
    std::string out_;
};

// Appends value as CDATA content (without the <![CDATA[ ]]> wrapper), splitting "]]>".
void append_cdata_content(std::string& out, std::string_view value);

}  // namespace kayou::channels
