// Capture over HTTP, end to end: the real server stack (http::Server, the EPCIS router with API
// key authentication, the JSON-LD decoder with CBV 2.0 hash IDs, the SQLite store with
// synchronous=FULL) started in this process on a free loopback port over a fresh database, fed
// distinct 1,000-event EPCIS 2.0 JSON documents from several keep-alive connections.
//
// The documents are generated before the clock starts: ObjectEvents (4 of 5) and
// AggregationEvents, without eventID (the server computes each event's hash ID), naming SGTINs,
// SSCCs and GLNs as GS1 Digital Links and as EPC URNs, with bizStep, disposition, readPoint,
// bizLocation, a bizTransaction and source/destination lists. Reported: events per second from
// the first byte sent to the last 202 received, the CPU time the whole process spent (server and
// clients), and the number of events stored afterwards (which must equal the number sent).
//
// Run (after a Release build with VNTRACE_BENCH=ON):
//   build/release/bench/http_capture_bench [--docs 60] [--events 1000] [--connections 2]
//                                          [--threads 2] [--dir /tmp]
// Exit status 1 when a request fails or the stored count is wrong.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "http/auth.hpp"
#include "http/epcis_api/epcis_api.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "store/store.hpp"

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using vntrace::store::Store;

struct Options {
  int docs = 60;
  int events = 1000;
  int connections = 2;
  int threads = 2;
  std::filesystem::path dir = std::filesystem::temp_directory_path();
};

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "http_capture_bench: %s\n", message.c_str());
  std::exit(1);
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) {
      Die("missing value after " + std::string(flag));
    }
    const char* value = argv[++i];
    if (flag == "--docs") {
      options.docs = std::atoi(value);
    } else if (flag == "--events") {
      options.events = std::atoi(value);
    } else if (flag == "--connections") {
      options.connections = std::atoi(value);
    } else if (flag == "--threads") {
      options.threads = std::atoi(value);
    } else if (flag == "--dir") {
      options.dir = value;
    } else {
      Die("unknown option " + std::string(flag));
    }
  }
  if (options.docs < 1 || options.events < 1 || options.connections < 1 || options.threads < 1) {
    Die("--docs, --events, --connections and --threads must be at least 1");
  }
  return options;
}

// The GS1 check digit of `digits` (the key without its check digit).
char CheckDigit(std::string_view digits) {
  int sum = 0;
  int weight = 3;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    sum += (*it - '0') * weight;
    weight = 4 - weight;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string Padded(long long value, int width) {
  std::string text = std::to_string(value);
  return std::string(
             static_cast<std::size_t>(std::max<int>(0, width - static_cast<int>(text.size()))),
             '0') +
         text;
}

// Company prefix 8935001 (7 digits) throughout.
std::string Gln(int location) {
  const std::string body = "8935001" + Padded(location, 5);
  return body + CheckDigit(body);
}

std::string Sgtin(long long serial, bool urn) {
  static const std::string kGtinBody = "0893500120001";
  static const std::string kGtin = kGtinBody + CheckDigit(kGtinBody);
  const std::string s = "S" + std::to_string(serial);
  return urn ? "urn:epc:id:sgtin:8935001.020001." + s
             : "https://id.gs1.org/01/" + kGtin + "/21/" + s;
}

std::string Sscc(long long serial, bool urn) {
  const std::string reference = Padded(serial % 1'000'000'000, 9);
  if (urn) {
    return "urn:epc:id:sscc:8935001.0" + reference;
  }
  const std::string body = "08935001" + reference;
  return "https://id.gs1.org/00/" + body + CheckDigit(body);
}

void AppendQuoted(std::string& out, std::string_view text) {
  out += '"';
  out += text;
  out += '"';
}

void AppendEpcList(std::string& out, std::string_view key, long long first, bool urn) {
  out += ",\"";
  out += key;
  out += "\":[";
  for (int j = 0; j < 4; ++j) {
    if (j > 0) {
      out += ',';
    }
    AppendQuoted(out, Sgtin(first + j, urn && j % 2 == 0));
  }
  out += ']';
}

// Event `n` (0-based, unique across documents).
void AppendEvent(std::string& out, long long n) {
  static const char* const kSteps[] = {"commissioning", "packing", "shipping", "receiving"};
  static const char* const kDispositions[] = {"active", "in_progress", "in_transit", "in_progress"};
  const int step = static_cast<int>(n % 4);
  const bool aggregation = n % 5 == 4;
  const bool urn = n % 2 == 1;
  const int location = static_cast<int>((n / 50) % 500);
  const vntrace::core::Timestamp time =
      vntrace::core::Timestamp::FromUnixNanos((1'790'000'000LL + n) * 1'000'000'000LL, 420);
  out += "{\"type\":";
  AppendQuoted(out, aggregation ? "AggregationEvent" : "ObjectEvent");
  out += ",\"eventTime\":";
  AppendQuoted(out, vntrace::core::FormatRfc3339(time));
  out += ",\"eventTimeZoneOffset\":\"+07:00\"";
  if (aggregation) {
    out += ",\"parentID\":";
    AppendQuoted(out, Sscc(n, urn));
    AppendEpcList(out, "childEPCs", n * 4, urn);
    out += ",\"action\":\"ADD\",\"bizStep\":\"packing\",\"disposition\":\"in_progress\"";
  } else {
    AppendEpcList(out, "epcList", n * 4, urn);
    out += ",\"action\":";
    AppendQuoted(out, step == 0 ? "ADD" : "OBSERVE");
    out += ",\"bizStep\":";
    AppendQuoted(out, kSteps[step]);
    out += ",\"disposition\":";
    AppendQuoted(out, kDispositions[step]);
  }
  out += ",\"readPoint\":{\"id\":";
  AppendQuoted(out, "https://id.gs1.org/414/" + Gln(location));
  out += "},\"bizLocation\":{\"id\":";
  AppendQuoted(out, "urn:epc:id:sgln:8935001." + Padded(location, 5) + ".0");
  out += "},\"bizTransactionList\":[{\"type\":\"po\",\"bizTransaction\":";
  AppendQuoted(out, "urn:epcglobal:cbv:bt:" + Gln(900) + ":PO" + std::to_string(n / 100));
  out += "}],\"sourceList\":[{\"type\":\"owning_party\",\"source\":";
  AppendQuoted(out, "https://id.gs1.org/417/" + Gln(location));
  out += "}],\"destinationList\":[{\"type\":\"owning_party\",\"destination\":";
  AppendQuoted(out, "https://id.gs1.org/417/" + Gln((location + 1) % 500));
  out += "}]}";
}

std::string MakeDocument(long long first_event, int events) {
  std::string out =
      "{\"@context\":[\"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\"],"
      "\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\","
      "\"creationDate\":\"2026-11-20T08:00:00.000+07:00\",\"epcisBody\":{\"eventList\":[";
  for (int i = 0; i < events; ++i) {
    if (i > 0) {
      out += ',';
    }
    AppendEvent(out, first_event + i);
  }
  out += "]}}";
  return out;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::size_t CountStored(Store& store) {
  std::size_t count = 0;
  vntrace::store::PageRequest page{.limit = 1000, .after = ""};
  while (true) {
    auto result = store.QueryEvents({}, page);
    if (!result.ok()) {
      Die("counting: " + result.error().ToString());
    }
    count += result->events.size();
    if (result->next.empty()) {
      return count;
    }
    page.after = result->next;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = ParseOptions(argc, argv);
  const std::filesystem::path db = options.dir / "vntrace-http-capture-bench.db";
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(db.string() + suffix);
  }
  auto opened = vntrace::store::OpenStore({.location = db.string()});
  if (!opened.ok()) {
    Die(opened.error().ToString());
  }
  std::unique_ptr<Store> store = std::move(opened).value();
  vntrace::core::SystemClock clock;
  vntrace::core::SystemRandom random;
  auto key = vntrace::http::CreateApiKey(*store, clock, random, "http_capture_bench");
  if (!key.ok()) {
    Die(key.error().ToString());
  }

  vntrace::http::Router router;
  vntrace::http::EpcisApiContext epcis{*store, clock, random};
  vntrace::http::RegisterEpcisApi(router, epcis);
  vntrace::http::Server server(
      router,
      {.host = "127.0.0.1", .port = 0, .threads = options.threads, .handle_signals = false});
  if (auto listening = server.Listen(); !listening.ok()) {
    Die(listening.error().ToString());
  }
  std::thread server_thread([&server] { server.Run(); });

  std::vector<std::string> documents;
  documents.reserve(static_cast<std::size_t>(options.docs));
  std::size_t bytes = 0;
  for (int d = 0; d < options.docs; ++d) {
    documents.push_back(MakeDocument(static_cast<long long>(d) * options.events, options.events));
    bytes += documents.back().size();
  }

  // Connect every client before the clock starts.
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<std::unique_ptr<beast::tcp_stream>> streams;
  for (int c = 0; c < options.connections; ++c) {
    contexts.push_back(std::make_unique<net::io_context>());
    streams.push_back(std::make_unique<beast::tcp_stream>(*contexts.back()));
    streams.back()->connect(
        net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
  }
  std::atomic<int> next_doc = 0;
  std::atomic<long long> acknowledged = 0;
  const std::string authorization = "Bearer " + *key;
  const double cpu_before = CpuSeconds();
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < options.connections; ++c) {
    clients.emplace_back([&, c] {
      beast::tcp_stream& stream = *streams[static_cast<std::size_t>(c)];
      beast::flat_buffer buffer;
      for (int d = next_doc++; d < options.docs; d = next_doc++) {
        bhttp::request<bhttp::string_body> request{bhttp::verb::post, "/epcis/capture", 11};
        request.set(bhttp::field::host, "127.0.0.1");
        request.set(bhttp::field::authorization, authorization);
        request.set(bhttp::field::content_type, "application/json");
        request.keep_alive(true);
        request.body() = documents[static_cast<std::size_t>(d)];
        request.prepare_payload();
        bhttp::write(stream, request);
        bhttp::response<bhttp::string_body> response;
        bhttp::read(stream, buffer, response);
        if (response.result_int() != 202) {
          Die("document " + std::to_string(d) + ": HTTP " + std::to_string(response.result_int()) +
              " " + response.body().substr(0, 2000));
        }
        acknowledged += std::atoll(std::string(response["GS1-Capture-Stored"]).c_str());
      }
    });
  }
  for (std::thread& client : clients) {
    client.join();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double cpu = CpuSeconds() - cpu_before;
  server.Stop();
  server_thread.join();

  const long long sent = static_cast<long long>(options.docs) * options.events;
  const std::size_t stored = CountStored(*store);
  std::printf(
      "http_capture_bench: %d documents x %d events (%.1f MB) over %d connections, %d server "
      "threads\n"
      "  %lld events in %.3f s: %.0f events/s (first send to last 202)\n"
      "  process CPU %.2f s: %.0f events per CPU-second\n"
      "  acknowledged as stored %lld, stored %zu\n",
      options.docs, options.events, static_cast<double>(bytes) / 1e6, options.connections,
      options.threads, sent, seconds, static_cast<double>(sent) / seconds, cpu,
      static_cast<double>(sent) / cpu, acknowledged.load(), stored);
  store.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(db.string() + suffix);
  }
  if (acknowledged.load() != sent || static_cast<long long>(stored) != sent) {
    Die("stored count does not match the events sent");
  }
  return 0;
}
