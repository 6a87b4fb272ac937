#pragma once
// A node script (tests/reference) run as a child with pipes both ways, for tests where the script
// and the test take turns: the browser test of the admin console prints one JSON line per step
// ("the inbox is open"), the test acts (a driver's message through the bridge) and answers with one
// JSON line, and the script goes on. stderr goes to a file, shown on failure.
#include <sys/types.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace kayou::test {

class NodeScript {
public:
    // Runs `node <reference_dir()>/<script> <args…>` with the reference directory as its working
    // directory. Throws when the reference tools are missing or the process cannot start.
    NodeScript(const std::string& script, const std::vector<std::string>& args);
    ~NodeScript();  // SIGKILLs the script's process group if it is still running
    NodeScript(const NodeScript&) = delete;
    NodeScript& operator=(const NodeScript&) = delete;

    // The next line the script prints that parses as JSON (other lines are kept in `output()`), or
    // nullopt at the deadline or when the script has exited.
    std::optional<nlohmann::json> read(std::chrono::milliseconds deadline);
    void write(const nlohmann::json& line);
    // The exit status (-1 when killed at the deadline).
    int wait(std::chrono::milliseconds deadline);

    std::string output() const { return output_; }  // every stdout line seen so far
    std::string errors() const;                     // the script's stderr

private:
    pid_t pid_ = -1;
    int in_ = -1;   // the script's stdin
    int out_ = -1;  // the script's stdout
    std::string stderr_path_;
    std::string buffer_;
    std::string output_;
    int status_ = -1;
};

}  // namespace kayou::test
