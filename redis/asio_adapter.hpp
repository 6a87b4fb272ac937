// Drives one hiredis async context from an Asio executor (internal to kayou_redis; included by
// redis/client.cpp and the adapter's unit test, not by users of the client).
//
// hiredis tells the event loop what it wants through five hooks in redisAsyncContext::ev and the
// loop calls redisAsyncHandleRead/Write when the fd is ready. The mapping:
//   addRead/addWrite -> one outstanding stream_descriptor::async_wait per direction
//   delRead/delWrite -> clear the wish; a wakeup that arrives afterwards is ignored
//   cleanup          -> detach: null every hook, cancel the waits, release() the fd (hiredis owns
//                       and closes it). Idempotent because hiredis 0.14.1 calls it twice.
// Lifetime: the adapter lives in a shared_ptr; every pending wait holds a shared_ptr to it, so a
// handler never runs on a destroyed adapter, and a handler that runs after cleanup sees detached
// state and does nothing. ev.data is a non-owning pointer that is nulled by cleanup.
//
// Threading: every hook and handler runs on the executor's single thread (the process runs one
// io_context thread); nothing here is synchronised.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <memory>

struct redisAsyncContext;

namespace kayou::redis::detail {

// What to call when the fd is ready. Production uses redisAsyncHandleRead/Write; the unit test
// substitutes recorders so that the hook logic can be driven on a pipe without Redis.
struct AdapterHandlers {
    void (*handle_read)(redisAsyncContext*);
    void (*handle_write)(redisAsyncContext*);
};
AdapterHandlers hiredis_handlers();

class AsioAdapter : public std::enable_shared_from_this<AsioAdapter> {
public:
    // Registers ac->c.fd with the executor's reactor and installs the hooks (ev.data = adapter).
    // Must run before anything that calls a hook (redisAsyncSetConnectCallback calls addWrite).
    // Returns nullptr, leaving `ac` untouched, if the fd cannot be registered.
    static std::shared_ptr<AsioAdapter> attach(const boost::asio::any_io_executor& executor,
                                               redisAsyncContext* ac,
                                               AdapterHandlers handlers = hiredis_handlers());

    AsioAdapter(const boost::asio::any_io_executor& executor, redisAsyncContext* ac,
                AdapterHandlers handlers);
    ~AsioAdapter();
    AsioAdapter(const AsioAdapter&) = delete;
    AsioAdapter& operator=(const AsioAdapter&) = delete;

    // The cleanup hook; also safe to call directly. Idempotent.
    void detach();

    bool attached() const { return ac_ != nullptr; }
    bool reading() const { return reading_; }
    bool writing() const { return writing_; }
    bool read_wait_pending() const { return read_waiting_; }
    bool write_wait_pending() const { return write_waiting_ || flush_posted_; }
    // Number of handle_read / handle_write calls made so far (tests and diagnostics).
    unsigned long long read_events() const { return read_events_; }
    unsigned long long write_events() const { return write_events_; }

private:
    static void on_add_read(void* privdata);
    static void on_del_read(void* privdata);
    static void on_add_write(void* privdata);
    static void on_del_write(void* privdata);
    static void on_cleanup(void* privdata);

    void add_read();
    void add_write();
    void wait_readable();
    void wait_writable();
    void flush();

    boost::asio::posix::stream_descriptor descriptor_;
    redisAsyncContext* ac_;
    AdapterHandlers handlers_;
    bool reading_ = false;
    bool writing_ = false;
    bool read_waiting_ = false;
    bool write_waiting_ = false;
    bool flush_posted_ = false;
    bool in_write_ = false;
    unsigned long long read_events_ = 0;
    unsigned long long write_events_ = 0;
};

}  // namespace kayou::redis::detail
