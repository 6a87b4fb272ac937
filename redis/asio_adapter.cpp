#include "redis/asio_adapter.hpp"

#include <hiredis/async.h>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

namespace kayou::redis::detail {

namespace asio = boost::asio;
using boost::system::error_code;

AdapterHandlers hiredis_handlers() { return {&redisAsyncHandleRead, &redisAsyncHandleWrite}; }

std::shared_ptr<AsioAdapter> AsioAdapter::attach(const asio::any_io_executor& executor,
                                                 redisAsyncContext* ac, AdapterHandlers handlers) {
    auto adapter = std::make_shared<AsioAdapter>(executor, ac, handlers);
    error_code ec;
    adapter->descriptor_.assign(ac->c.fd, ec);
    if (ec) {
        adapter->ac_ = nullptr;  // nothing installed: the destructor must not touch `ac`
        return nullptr;
    }
    ac->ev.data = adapter.get();
    ac->ev.addRead = &AsioAdapter::on_add_read;
    ac->ev.delRead = &AsioAdapter::on_del_read;
    ac->ev.addWrite = &AsioAdapter::on_add_write;
    ac->ev.delWrite = &AsioAdapter::on_del_write;
    ac->ev.cleanup = &AsioAdapter::on_cleanup;
    return adapter;
}

AsioAdapter::AsioAdapter(const asio::any_io_executor& executor, redisAsyncContext* ac,
                         AdapterHandlers handlers)
    : descriptor_(executor), ac_(ac), handlers_(handlers) {}

AsioAdapter::~AsioAdapter() {
    // Normally cleanup already ran. If not, unhook so hiredis cannot call into freed memory, and
    // never let the descriptor close hiredis' fd.
    detach();
    if (descriptor_.is_open()) {
        descriptor_.release();
    }
}

void AsioAdapter::detach() {
    if (ac_ == nullptr) {
        return;
    }
    // hiredis 0.14.1 does not null ev.cleanup after calling it and calls it again from
    // __redisAsyncFree: with every hook nulled, the second call (and any late addRead) is a no-op.
    ac_->ev.data = nullptr;
    ac_->ev.addRead = nullptr;
    ac_->ev.delRead = nullptr;
    ac_->ev.addWrite = nullptr;
    ac_->ev.delWrite = nullptr;
    ac_->ev.cleanup = nullptr;
    ac_ = nullptr;
    reading_ = false;
    writing_ = false;
    // release() deregisters the fd from the reactor and completes pending waits with
    // operation_aborted; hiredis closes the fd itself right after cleanup.
    if (descriptor_.is_open()) {
        descriptor_.release();
    }
}

void AsioAdapter::on_add_read(void* privdata) { static_cast<AsioAdapter*>(privdata)->add_read(); }

void AsioAdapter::on_del_read(void* privdata) {
    static_cast<AsioAdapter*>(privdata)->reading_ = false;
}

void AsioAdapter::on_add_write(void* privdata) { static_cast<AsioAdapter*>(privdata)->add_write(); }

void AsioAdapter::on_del_write(void* privdata) {
    static_cast<AsioAdapter*>(privdata)->writing_ = false;
}

void AsioAdapter::on_cleanup(void* privdata) { static_cast<AsioAdapter*>(privdata)->detach(); }

void AsioAdapter::add_read() {
    if (ac_ == nullptr) {
        return;
    }
    reading_ = true;
    if (!read_waiting_) {
        wait_readable();
    }
}

void AsioAdapter::add_write() {
    if (ac_ == nullptr) {
        return;
    }
    writing_ = true;
    if (write_waiting_ || flush_posted_) {
        return;
    }
    // Once connected, a socket with room in its send buffer is writable, so waiting for the reactor
    // to say so costs an epoll round trip per batch. Instead post one flush: every command issued
    // in the meantime is coalesced into a single write(). If hiredis cannot write everything it
    // calls addWrite from inside the write, and then we really wait for writability. Before the
    // connection is established the wait is required: its completion is how a non-blocking
    // connect() finishes.
    if (!in_write_ && (ac_->c.flags & REDIS_CONNECTED) != 0) {
        flush_posted_ = true;
        asio::post(descriptor_.get_executor(), [self = shared_from_this()] { self->flush(); });
    } else {
        wait_writable();
    }
}

void AsioAdapter::flush() {
    flush_posted_ = false;
    if (ac_ == nullptr || !writing_) {
        return;
    }
    ++write_events_;
    in_write_ = true;
    handlers_.handle_write(ac_);  // may run cleanup: `this` stays alive through the posted handler
    in_write_ = false;
}

void AsioAdapter::wait_readable() {
    read_waiting_ = true;
    descriptor_.async_wait(asio::posix::stream_descriptor::wait_read, [self = shared_from_this()](
                                                                          const error_code& ec) {
        self->read_waiting_ = false;
        if (ec == asio::error::operation_aborted || self->ac_ == nullptr || !self->reading_) {
            return;  // detached, or a stale wakeup after delRead
        }
        // One read per readiness event (hiredis reads at most 16 KiB); the
        // re-armed wait reports the fd again while data remains.
        ++self->read_events_;
        self->handlers_.handle_read(self->ac_);
        if (self->ac_ != nullptr && self->reading_ && !self->read_waiting_) {
            self->wait_readable();
        }
    });
}

void AsioAdapter::wait_writable() {
    write_waiting_ = true;
    descriptor_.async_wait(asio::posix::stream_descriptor::wait_write, [self = shared_from_this()](
                                                                           const error_code& ec) {
        self->write_waiting_ = false;
        if (ec == asio::error::operation_aborted || self->ac_ == nullptr || !self->writing_) {
            return;
        }
        ++self->write_events_;
        self->in_write_ = true;
        self->handlers_.handle_write(self->ac_);
        self->in_write_ = false;
    });
}

}  // namespace kayou::redis::detail
