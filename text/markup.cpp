#include "text/markup.hpp"

namespace kayou::text {

std::string markup_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";  // &apos; is XML only; this reads the same in HTML and XML
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace kayou::text
