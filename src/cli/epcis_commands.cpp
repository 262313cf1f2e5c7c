#include "cli/epcis_commands.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "epcis/document.hpp"
#include "epcis/event_hash.hpp"
#include "epcis/xml_document.hpp"

namespace vntrace::cli {
namespace {

constexpr int kExitInvalid = 2;

struct EpcisArgs {
  std::string document;
  bool prehash = false;
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "vntrace: %s\n", message.c_str());
  return kExitInvalid;
}

// The whole of `path`, or of stdin for "-".
core::Result<std::string> ReadDocument(const std::string& path) {
  std::FILE* file = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return core::NotFound("cannot open " + path + ": " + std::strerror(errno));
  }
  std::string text;
  char buffer[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    text.append(buffer, n);
  }
  const bool failed = std::ferror(file) != 0;
  if (file != stdin) std::fclose(file);
  if (failed) return core::Unavailable("cannot read " + path);
  return text;
}

int RunHash(const EpcisArgs& args) {
  auto text = ReadDocument(args.document);
  if (!text.ok()) return Fail(text.error().message);
  // The binding is told by the content: XML starts with '<'.
  const bool xml = epcis::LooksLikeXml(*text);
  auto lines = args.prehash ? (xml ? epcis::XmlDocumentEventPreHashStrings(*text)
                                   : epcis::DocumentEventPreHashStrings(*text))
                            : (xml ? epcis::XmlDocumentEventHashIds(*text)
                                   : epcis::DocumentEventHashIds(*text));
  if (!lines.ok()) {
    const std::string where = args.document == "-" ? "stdin" : args.document;
    return Fail(where + ": " + lines.error().message);
  }
  std::string out;
  for (const std::string& line : *lines) {
    out += line;
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

// Prints every problem of the document on stdout, one per line; exit 0 when valid (with a
// summary line), 2 otherwise.
int RunValidate(const EpcisArgs& args) {
  auto text = ReadDocument(args.document);
  if (!text.ok()) return Fail(text.error().message);
  epcis::DecodeOptions options;
  options.max_issues = 10000;
  epcis::DecodeResult result = epcis::LooksLikeXml(*text) ? epcis::DecodeXmlDocument(*text, options)
                                                          : epcis::DecodeDocument(*text, options);
  if (result.issues.empty()) {
    std::printf("valid: %zu events\n", result.events.size());
    return 0;
  }
  for (const epcis::ValidationIssue& issue : result.issues) {
    std::printf("%s\n", issue.ToString().c_str());
  }
  std::fprintf(stderr, "vntrace: %zu problems in %s\n", result.issues.size(),
               args.document == "-" ? "stdin" : args.document.c_str());
  return kExitInvalid;
}

}  // namespace

void AddEpcisCommands(CLI::App& app, int& exit_code) {
  // The option bindings and the callback share the parsed values; CLI11 keeps the callback (and
  // so the values) alive as long as `app`, which lets main register these commands in one call.
  auto args = std::make_shared<EpcisArgs>();

  CLI::App* epcis =
      app.add_subcommand("epcis", "EPCIS 2.0 documents: event hash IDs and validation");
  epcis->require_subcommand(1);

  CLI::App* hash = epcis->add_subcommand(
      "hash",
      "Print the CBV 2.0 event hash ID (ni:///sha-256;...?ver=CBV2.0) of every event of a "
      "EPCIS document (JSON-LD, or EPCIS 2.0/1.2 XML, told by its content), query document or "
      "single event, one per line in document order");
  hash->add_option("DOC", args->document, "the JSON-LD or XML file, or '-' for stdin")->required();
  hash->add_flag("--prehash", args->prehash,
                 "print the canonical pre-hash strings instead of the hash IDs");
  hash->callback([args, &exit_code] { exit_code = RunHash(*args); });

  CLI::App* validate = epcis->add_subcommand(
      "validate",
      "Check a JSON-LD or XML EPCIS document against the EPCIS 2.0 schema and semantic rules "
      "and print every problem (event index, field, what is wrong), one per line");
  validate->add_option("DOC", args->document, "the JSON-LD or XML file, or '-' for stdin")
      ->required();
  validate->callback([args, &exit_code] { exit_code = RunValidate(*args); });
}

}  // namespace vntrace::cli
