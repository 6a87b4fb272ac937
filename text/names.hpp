#pragma once
// Chinese personal names: whether a text starts like one. Shared by the join step's name
// extractor (dialogs/extract.hpp) and the scrubber that keeps names out of stored questions
// (faq/scrub.hpp). Pure.
#include <string_view>

namespace kayou::text {

// Starts with one of the ~500 most common surnames, single (王, 李) or compound (欧阳, 司马).
bool starts_with_surname(std::u32string_view name);

}  // namespace kayou::text
