#include "redis/stream_entries.hpp"

namespace kayou::redis {

const std::string& StreamEntry::field(std::string_view name) const {
    static const std::string kNone;
    const auto found = fields.find(name);
    return found == fields.end() ? kNone : found->second;
}

std::vector<StreamEntry> stream_entries(const Reply& reply) {
    std::vector<StreamEntry> entries;
    for (const auto& element : reply.elements) {
        if (element.elements.size() < 2) continue;
        StreamEntry entry;
        entry.id = element.elements[0].str;
        const auto& fields = element.elements[1].elements;
        for (std::size_t i = 0; i + 1 < fields.size(); i += 2)
            entry.fields.insert_or_assign(fields[i].str, fields[i + 1].str);
        entries.push_back(std::move(entry));
    }
    return entries;
}

}  // namespace kayou::redis
