#include "bot/process_stats.hpp"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace kayou::bot {
namespace {

std::optional<double> to_number(std::string_view field) {
    long long value = 0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (error != std::errc() || end != field.data() + field.size()) return std::nullopt;
    return static_cast<double>(value);
}

std::string read_file(const char* path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

}  // namespace

std::optional<ProcessStats> parse_proc_stat(std::string_view text, long ticks_per_second,
                                            long page_size) {
    const auto close = text.rfind(')');
    if (close == std::string_view::npos || ticks_per_second <= 0 || page_size <= 0)
        return std::nullopt;
    // After ")": field 3 (state) onwards, so utime (14) is index 11, stime 12, starttime 19,
    // rss 21.
    std::vector<std::string_view> fields;
    std::string_view rest = text.substr(close + 1);
    while (!rest.empty()) {
        const auto start = rest.find_first_not_of(" \n");
        if (start == std::string_view::npos) break;
        rest.remove_prefix(start);
        const auto end = rest.find_first_of(" \n");
        fields.push_back(rest.substr(0, end));
        if (end == std::string_view::npos) break;
        rest.remove_prefix(end);
    }
    if (fields.size() < 22) return std::nullopt;
    const auto user = to_number(fields[11]);
    const auto system = to_number(fields[12]);
    const auto start = to_number(fields[19]);
    const auto rss = to_number(fields[21]);
    if (!user || !system || !start || !rss) return std::nullopt;
    const double ticks = static_cast<double>(ticks_per_second);
    return ProcessStats{(*user + *system) / ticks, *rss * static_cast<double>(page_size),
                        *start / ticks};
}

std::optional<ProcessStats> read_process_stats() {
    return parse_proc_stat(read_file("/proc/self/stat"), ::sysconf(_SC_CLK_TCK),
                           ::sysconf(_SC_PAGESIZE));
}

std::optional<double> read_boot_time() {
    std::istringstream lines(read_file("/proc/stat"));
    std::string line;
    while (std::getline(lines, line))
        if (line.rfind("btime ", 0) == 0) return to_number(std::string_view(line).substr(6));
    return std::nullopt;
}

std::optional<double> count_open_fds() {
    std::error_code error;
    std::filesystem::directory_iterator entries("/proc/self/fd", error);
    if (error) return std::nullopt;
    double count = 0;
    for (const auto& entry : entries) {
        (void)entry;
        ++count;
    }
    return count - 1;  // the directory stream's own descriptor, open while it was read
}

}  // namespace kayou::bot
