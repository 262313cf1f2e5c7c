#include "cli/trace_commands.hpp"

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "core/time.hpp"
#include "store/store.hpp"
#include "trace/graph.hpp"
#include "trace/recall.hpp"

namespace vntrace::cli {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitInvalid = 2;

struct TraceArgs {
  std::string id;
  std::string db = "vntrace.db";
  bool forward = false;
  bool backward = false;
  int depth = -1;
  bool json = false;
  std::string format = "csv";
  std::string lang = "vi";
};

int Fail(int code, const core::Error& error) {
  std::fprintf(stderr, "vntrace: %s\n", error.message.c_str());
  return code;
}

// Prints the walk as a tree: each node under the node it was first reached from.
void PrintTree(const trace::TraceResult& result) {
  std::map<std::string, const trace::Node*> nodes;
  for (const trace::Node& node : result.nodes) nodes.emplace(node.id, &node);
  struct Child {
    const trace::Edge* edge;
    std::string id;
  };
  std::map<std::string, std::vector<Child>> children;
  std::set<std::string> placed = {result.root};
  // Edges are by time: a node hangs under the earliest edge from a node one level nearer.
  for (int depth = 1; depth < static_cast<int>(result.nodes.size()) + 1; ++depth) {
    bool any = false;
    for (const trace::Edge& edge : result.edges) {
      for (int side = 0; side < 2; ++side) {
        const std::string& near = side == 0 ? edge.from : edge.to;
        const std::string& far = side == 0 ? edge.to : edge.from;
        if (placed.contains(far) || !placed.contains(near)) continue;
        if (nodes.at(far)->depth != depth || nodes.at(near)->depth != depth - 1) continue;
        children[near].push_back({&edge, far});
        placed.insert(far);
        any = true;
      }
    }
    if (!any) break;
  }
  auto describe = [&](const std::string& id) {
    const trace::Node* node = nodes.at(id);
    std::string text = id + "  [" + std::string(trace::NodeKindName(node->kind)) + "]";
    if (node->label != id) text += "  " + node->label;
    return text;
  };
  std::printf("%s\n", describe(result.root).c_str());
  // Depth-first, children in edge-time order.
  auto print = [&](auto&& self, const std::string& id, const std::string& prefix) -> void {
    const std::vector<Child>& list = children[id];
    for (std::size_t i = 0; i < list.size(); ++i) {
      const bool last = i + 1 == list.size();
      const Child& child = list[i];
      const bool outgoing = child.edge->from == id;
      std::printf("%s%s %s %s %s  (%s)\n", prefix.c_str(), last ? "└─" : "├─",
                  std::string(trace::EdgeKindName(child.edge->kind)).c_str(), outgoing ? "→" : "←",
                  describe(child.id).c_str(), core::FormatRfc3339(child.edge->time, 0).c_str());
      self(self, child.id, prefix + (last ? "   " : "│  "));
    }
  };
  print(print, result.root, "");
  std::printf("%zu nodes, %zu edges, %zu events%s\n", result.nodes.size(), result.edges.size(),
              result.events_examined, result.truncated ? " (truncated)" : "");
}

int RunTrace(const TraceArgs& args) {
  if (args.forward && args.backward) {
    return Fail(kExitInvalid, core::InvalidArgument("--forward and --backward exclude each other "
                                                    "(give neither for both directions)"));
  }
  auto db = store::OpenStore({.location = args.db, .create_if_missing = false});
  if (!db.ok()) return Fail(kExitFailure, db.error());
  trace::TraceOptions options;
  options.direction = args.forward    ? trace::Direction::kForward
                      : args.backward ? trace::Direction::kBackward
                                      : trace::Direction::kBoth;
  if (args.depth >= 0) options.depth = args.depth;
  core::Result<trace::TraceResult> result = trace::Trace(**db, args.id, options);
  if (!result.ok()) {
    return Fail(
        result.error().code == core::ErrorCode::kInvalidArgument ? kExitInvalid : kExitFailure,
        result.error());
  }
  if (args.json) {
    std::printf("%s\n",
                boost::json::serialize(trace::TraceToJson(*result, options.direction)).c_str());
  } else {
    PrintTree(*result);
  }
  return 0;
}

int RunRecall(const TraceArgs& args) {
  auto db = store::OpenStore({.location = args.db, .create_if_missing = false});
  if (!db.ok()) return Fail(kExitFailure, db.error());
  core::SystemClock clock;
  core::Result<trace::RecallReport> report = trace::BuildRecall(**db, args.id, clock.Now());
  if (!report.ok()) return Fail(kExitFailure, report.error());
  std::string out;
  if (args.format == "json") {
    out = boost::json::serialize(trace::RecallToJson(*report)) + "\n";
  } else if (args.format == "html") {
    out = trace::RecallHtml(
        *report, args.lang == "en" ? trace::Language::kEnglish : trace::Language::kVietnamese);
  } else {
    out = trace::RecallCsv(*report);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void AddTraceCommands(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<TraceArgs>();
  CLI::App* trace = app.add_subcommand(
      "trace", "Trace an identifier backward and forward through the stored events");
  trace->add_option("id", args->id, "URI of a lot, item, container or location")->required();
  trace->add_option("--db", args->db, "SQLite database file")->capture_default_str();
  trace->add_flag("--forward", args->forward, "Only where it went");
  trace->add_flag("--backward", args->backward, "Only where it came from");
  trace->add_option("--depth", args->depth, "Stop this many steps from the identifier")
      ->check(CLI::Range(0, 1000));
  trace->add_flag("--json", args->json, "Print the JSON of GET /api/v1/trace");
  trace->callback([args, &exit_code] { exit_code = RunTrace(*args); });

  CLI::App* recall =
      app.add_subcommand("recall", "Print the recall report of a lot (FSMA 204 sortable CSV)");
  recall->add_option("lot", args->id, "URI of the lot")->required();
  recall->add_option("--db", args->db, "SQLite database file")->capture_default_str();
  recall->add_option("--format", args->format, "csv, json or html")
      ->check(CLI::IsMember({"csv", "json", "html"}))
      ->capture_default_str();
  recall->add_option("--lang", args->lang, "vi or en (html)")
      ->check(CLI::IsMember({"vi", "en"}))
      ->capture_default_str();
  recall->callback([args, &exit_code] { exit_code = RunRecall(*args); });
}

}  // namespace vntrace::cli
