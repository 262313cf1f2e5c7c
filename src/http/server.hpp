// http::server: the Boost.Beast HTTP/1.1 server that carries Requests to a Router.
//
// The session owns transport concerns: body size limit and header limit set before parsing,
// read/write timeouts, keep-alive and pipelining, and graceful shutdown (stop accepting, let
// in-flight requests finish within a grace period). A malformed request gets a 400 (431 for an
// oversize header, 413 for an oversize body) and the connection is closed; it never crashes the
// server. A request target with malformed percent-encoding gets a 400 and the connection is
// kept. Pipelined requests are answered one at a time, in order. "Expect: 100-continue" is
// answered before the body is read. Responses carry Content-Length, Date and
// "Server: vntrace"; HEAD responses carry no body. Every request is logged at kDebug (method,
// path, status, duration_ms), start and stop at kInfo.
//
// Thread-safety: Listen() and Run() are called once each, from one thread. Run() blocks on the
// calling thread plus `threads - 1` workers; Stop() may be called from any thread, before or
// during Run(), and SIGINT/SIGTERM call it when `handle_signals` is set.
//
// Example:
//   http::Server server(router, {.host = "127.0.0.1", .port = 8080});
//   VNTRACE_RETURN_IF_ERROR(server.Listen());
//   server.Run();  // until SIGTERM/SIGINT or Stop()
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "http/router.hpp"

namespace vntrace::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: pick a free port (see Server::port())
  // I/O threads. Handlers run on them, so a handler that blocks (a database call) holds one.
  int threads = 2;
  std::size_t max_body_bytes = 32u << 20;
  std::size_t max_header_bytes = 16u << 10;
  // Limits the time to receive a request's header, each wait for more of its body, and the
  // writing of a response; a connection that exceeds it is closed. It also closes idle
  // keep-alive connections.
  int read_timeout_seconds = 30;
  // After Stop(), how long in-flight requests may take before their connections are closed.
  int shutdown_grace_seconds = 10;
  bool handle_signals = true;  // stop on SIGINT/SIGTERM
};

class Server {
 public:
  // `router` must outlive the server.
  Server(const Router& router, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. kUnavailable when the host does not resolve or the address is in use or
  // cannot be bound.
  core::Status Listen();
  // The bound port (useful with port 0); 0 before a successful Listen().
  std::uint16_t port() const;
  // Serves until Stop() or a signal; returns after in-flight requests finish (or the grace
  // period ends). Requires a successful Listen().
  void Run();
  // Stops accepting, closes idle connections, and lets requests in flight finish. Idempotent.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vntrace::http
