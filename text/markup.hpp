// Escaping text for HTML and XML (the join page, TwiML): the five markup characters become
// references that both languages read the same way.
#pragma once

#include <string>
#include <string_view>

namespace kayou::text {

// < > & " ' -> &lt; &gt; &amp; &quot; &#39;; everything else, UTF-8 included, as it is.
std::string markup_escape(std::string_view text);

}  // namespace kayou::text
