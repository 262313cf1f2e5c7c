#include "cli/gs1_commands.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "gs1/digital_link.hpp"
#include "gs1/dl_compression.hpp"
#include "gs1/element_string.hpp"
#include "gs1/epc_urn.hpp"
#include "gs1/keys.hpp"

namespace vntrace::cli {
namespace {

constexpr int kExitInvalid = 2;

struct ParseFlags {
  bool zero_suppressed_gtin = false;
  bool convenience_alphas = false;
};

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if ((s[i] | 0x20) != (prefix[i] | 0x20)) return false;
  }
  return true;
}

// Reads any GS1 syntax: Digital Link URI (plain or compressed), EPC URN, bracketed or raw
// element string. On the command line '^' may stand for FNC1 (ASCII 29) in a raw string.
core::Result<gs1::AiElements> ParseAny(std::string input, const ParseFlags& flags) {
  if (StartsWithNoCase(input, "urn:epc:")) {
    VNTRACE_ASSIGN_OR_RETURN(gs1::DigitalLink dl, gs1::EpcUrnToDigitalLink(input));
    return dl.AllElements();
  }
  if (StartsWithNoCase(input, "http://") || StartsWithNoCase(input, "https://")) {
    gs1::DigitalLinkOptions options;
    options.permit_zero_suppressed_gtin = flags.zero_suppressed_gtin;
    options.permit_convenience_alphas = flags.convenience_alphas;
    VNTRACE_ASSIGN_OR_RETURN(gs1::DigitalLink dl, gs1::ParseDigitalLink(input, options));
    return dl.AllElements();
  }
  if (!input.empty() && input.front() != '(' &&
      input.find(gs1::kGroupSeparator) == std::string::npos) {
    for (char& c : input) {
      if (c == '^') c = gs1::kGroupSeparator;
    }
  }
  return gs1::ParseElementString(input);
}

int Fail(const core::Error& error) {
  std::fprintf(stderr, "vntrace: %s\n", error.message.c_str());
  return kExitInvalid;
}

int RunParse(const std::string& input, const ParseFlags& flags) {
  auto elements = ParseAny(input, flags);
  if (!elements.ok()) return Fail(elements.error());
  boost::json::object out;
  for (const gs1::AiElement& e : *elements) {
    out[e.code()] = e.value;
  }
  std::printf("%s\n", boost::json::serialize(out).c_str());
  return 0;
}

int RunCheck(const std::string& key) {
  auto checked = gs1::CheckKey(key);
  if (!checked.ok()) return Fail(checked.error());
  std::printf("valid %s %s\n", std::string(gs1::KeyTypeName(checked->type)).c_str(),
              checked->normalised.c_str());
  return 0;
}

// Builds elements from "AI=VALUE" arguments or one element string.
core::Result<gs1::AiElements> ElementsFromArgs(const std::vector<std::string>& args) {
  if (args.size() == 1 && args[0].find('=') == std::string::npos) {
    return ParseAny(args[0], ParseFlags{});
  }
  std::string bracketed;
  for (const std::string& arg : args) {
    std::size_t eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) {
      return core::InvalidArgument("expected AI=VALUE, got '" + arg + "'");
    }
    bracketed += "(" + arg.substr(0, eq) + ")";
    for (char c : arg.substr(eq + 1)) {
      if (c == '(') bracketed += '\\';
      bracketed += c;
    }
  }
  return gs1::ParseBracketedElementString(bracketed);
}

int RunDl(const std::vector<std::string>& args, const std::string& stem, bool compress) {
  auto elements = ElementsFromArgs(args);
  if (!elements.ok()) return Fail(elements.error());
  auto dl = gs1::DigitalLinkFromElements(*elements, stem);
  if (!dl.ok()) return Fail(dl.error());
  std::string uri = compress ? gs1::CompressDigitalLink(*dl) : gs1::BuildDigitalLink(*dl);
  std::printf("%s\n", uri.c_str());
  return 0;
}

}  // namespace

void AddGs1Commands(CLI::App& app, Gs1Args& args, int& exit_code) {
  CLI::App* gs1 = app.add_subcommand("gs1", "GS1 identifiers: parse, check, build Digital Links");
  gs1->require_subcommand(1);

  CLI::App* parse = gs1->add_subcommand(
      "parse",
      "Parse a Digital Link URI (plain or compressed), an EPC URN, or an element string "
      "(bracketed '(01)...(10)...' or raw, '^' standing for FNC1) and print its AIs as JSON");
  parse->add_option("INPUT", args.input, "the identifier to parse")->required();
  parse->add_flag("--zero-suppressed-gtin", args.zero_suppressed_gtin,
                  "accept GTIN-8/12/13 in a Digital Link (padded to 14 digits)");
  parse->add_flag("--convenience-alphas", args.convenience_alphas,
                  "accept legacy names such as /gtin/ and /ser/ in a Digital Link");
  parse->callback([&args, &exit_code] {
    exit_code =
        RunParse(args.input, ParseFlags{args.zero_suppressed_gtin, args.convenience_alphas});
  });

  CLI::App* check = gs1->add_subcommand(
      "check", "Validate a GS1 key: digits (GTIN-8/12/13/14, GSIN, SSCC) or TYPE:VALUE");
  check->add_option("KEY", args.input, "e.g. 8935001200014 or gln:8935001200014")->required();
  check->callback([&args, &exit_code] { exit_code = RunCheck(args.input); });

  args.stem = std::string(gs1::kCanonicalStem);
  CLI::App* dl = gs1->add_subcommand(
      "dl", "Build a GS1 Digital Link from AI=VALUE pairs or an element string");
  dl->add_option("AI=VALUE", args.dl_args, "e.g. 01=08935001200014 10=L01 17=261231")->required();
  dl->add_option("--stem", args.stem, "URI stem (scheme, domain, optional path)")
      ->capture_default_str();
  dl->add_flag("--compress", args.compress, "emit the compressed form");
  dl->callback([&args, &exit_code] { exit_code = RunDl(args.dl_args, args.stem, args.compress); });
}

}  // namespace vntrace::cli
