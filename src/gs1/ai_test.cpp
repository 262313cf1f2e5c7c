#include "gs1/ai.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <vector>

#include "core/test_support.hpp"

namespace vntrace::gs1 {
namespace {

std::string CharSetLetter(CharSet cs) {
  switch (cs) {
    case CharSet::kNumeric:
      return "N";
    case CharSet::kCset82:
      return "X";
    case CharSet::kCset39:
      return "Y";
    case CharSet::kCset64:
      return "Z";
  }
  return "?";
}

// Renders a compiled component in the dictionary's own notation, e.g. "[N..12],csum".
std::string Render(const AiComponent& c) {
  std::string out = CharSetLetter(c.charset);
  if (c.min_length != c.max_length) out += "..";
  out += std::to_string(c.max_length);
  if (c.optional) out = "[" + out + "]";
  for (Linter l : c.linters) {
    if (l != Linter::kNone) out += "," + std::string(LinterName(l));
  }
  return out;
}

struct DictionaryEntry {
  std::vector<std::string> codes;
  std::string flags;
  std::vector<std::string> components;
  std::vector<std::string> req;
  std::vector<std::string> ex;
  bool dlpkey = false;
  std::string dlpkey_value;
  std::string title;
};

// An independent reading of GS1's Barcode Syntax Dictionary line format.
std::vector<DictionaryEntry> ReadDictionary(const std::string& text) {
  std::vector<DictionaryEntry> entries;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    DictionaryEntry e;
    if (std::size_t hash = line.find('#'); hash != std::string::npos) {
      e.title = line.substr(hash + 1);
      e.title.erase(0, e.title.find_first_not_of(' '));
      e.title.erase(e.title.find_last_not_of(" \t") + 1);
      line = line.substr(0, hash);
    }
    std::istringstream tokens(line);
    std::string ais;
    tokens >> ais;
    if (std::size_t dash = ais.find('-'); dash != std::string::npos) {
      int lo = std::stoi(ais.substr(0, dash));
      int hi = std::stoi(ais.substr(dash + 1));
      for (int i = lo; i <= hi; ++i) {
        std::string code = std::to_string(i);
        code.insert(0, dash - code.size(), '0');
        e.codes.push_back(code);
      }
    } else {
      e.codes.push_back(ais);
    }
    std::string tok;
    while (tokens >> tok) {
      if (tok.find_first_not_of("*?") == std::string::npos) {
        e.flags = tok;
      } else if (tok.rfind("req=", 0) == 0) {
        e.req.push_back(tok.substr(4));
      } else if (tok.rfind("ex=", 0) == 0) {
        e.ex.push_back(tok.substr(3));
      } else if (tok == "dlpkey") {
        e.dlpkey = true;
      } else if (tok.rfind("dlpkey=", 0) == 0) {
        e.dlpkey = true;
        e.dlpkey_value = tok.substr(7);
      } else {
        e.components.push_back(tok);
      }
    }
    entries.push_back(e);
  }
  return entries;
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

// The dictionary writes an optional component's linters outside the bracket: "[N3],iso3166".
std::string NormaliseComponent(std::string spec) {
  if (spec.front() == '[') {
    std::size_t close = spec.find(']');
    std::string inner = spec.substr(1, close - 1);
    std::string rest = spec.substr(close + 1);
    std::size_t comma = inner.find(',');
    std::string fmt = inner.substr(0, comma);
    std::string inner_lints = comma == std::string::npos ? "" : inner.substr(comma);
    return "[" + fmt + "]" + inner_lints + rest;
  }
  return spec;
}

TEST(AiTable, MatchesGs1SyntaxDictionary) {
  VNTRACE_SHARED_OR_SKIP(conformance);
  std::string text = testing::ReadFileOrEmpty(conformance / "gs1/gs1-syntax-dictionary.txt");
  ASSERT_FALSE(text.empty());
  std::set<std::string> dictionary_codes;
  for (const DictionaryEntry& e : ReadDictionary(text)) {
    for (const std::string& code : e.codes) {
      SCOPED_TRACE("AI " + code);
      dictionary_codes.insert(code);
      const AiDefinition* ai = FindAi(code);
      ASSERT_NE(ai, nullptr);
      EXPECT_EQ(ai->title, e.title);
      EXPECT_EQ(ai->predefined_length, e.flags.find('*') != std::string::npos);
      EXPECT_EQ(ai->dl_data_attribute, e.flags.find('?') != std::string::npos);
      EXPECT_EQ(ai->dl_primary_key, e.dlpkey);
      EXPECT_EQ(ai->dl_qualifiers, e.dlpkey_value);
      EXPECT_EQ(ai->requires_all, Join(e.req, " "));
      EXPECT_EQ(ai->excludes, Join(e.ex, ","));
      ASSERT_EQ(ai->component_count, e.components.size());
      for (std::size_t i = 0; i < e.components.size(); ++i) {
        EXPECT_EQ(Render(ai->components[i]), NormaliseComponent(e.components[i]));
      }
    }
  }
  std::set<std::string> table_codes;
  for (const AiDefinition& ai : AllAis()) table_codes.insert(std::string(ai.code));
  EXPECT_EQ(table_codes, dictionary_codes);
  EXPECT_GT(table_codes.size(), 500u);
}

TEST(AiTable, LookupAndPrefixes) {
  ASSERT_NE(FindAi("01"), nullptr);
  EXPECT_EQ(FindAi("01")->title, "GTIN");
  EXPECT_EQ(FindAi("3103")->decimal_places, 3);
  EXPECT_EQ(FindAi("3922")->decimal_places, 2);
  EXPECT_EQ(FindAi("10")->decimal_places, -1);
  EXPECT_EQ(FindAi("89"), nullptr);
  EXPECT_EQ(FindAi("0"), nullptr);
  EXPECT_EQ(FindAi("01x"), nullptr);
  EXPECT_EQ(FindAi("12345"), nullptr);
  EXPECT_EQ(AiLengthForPrefix("01"), 2);
  EXPECT_EQ(AiLengthForPrefix("25"), 3);
  EXPECT_EQ(AiLengthForPrefix("31"), 4);
  EXPECT_EQ(AiLengthForPrefix("80"), 4);
  EXPECT_EQ(AiLengthForPrefix("x1"), 0);
  EXPECT_EQ(MatchAiPrefix("3103000195")->code, "3103");
  EXPECT_EQ(MatchAiPrefix("2"), nullptr);
  for (std::size_t i = 1; i < AllAis().size(); ++i) {
    EXPECT_LT(AllAis()[i - 1].code, AllAis()[i].code);
  }
}

struct ValueCase {
  const char* ai;
  const char* value;
  const char* error;  // nullptr when valid, else a fragment of the message
};

TEST(AiTable, ValidateValueTable) {
  const ValueCase cases[] = {
      {"01", "08935001200017", nullptr},
      {"01", "08935001200018", "check digit"},
      {"01", "0893500120001", "must be 14 characters"},
      {"01", "0893500120001A", "invalid character 'A' at position 14"},
      {"10", "ABC-123/x", nullptr},
      {"10", "ABC 123", "invalid character byte 0x20 at position 4"},
      {"10", "", "empty"},
      {"10", "123456789012345678901", "1 to 20 characters"},
      {"17", "261231", nullptr},
      {"17", "261200", nullptr},
      {"17", "261332", "position"},
      {"7007", "240101", nullptr},
      {"7007", "240101240131", nullptr},
      {"7007", "2401012401", "too short"},
      {"253", "1231231231232", nullptr},
      {"253", "1231231231232TEST5678901234567", nullptr},
      {"253", "1231231231232TEST56789012345678", "13 to 30"},
      {"8003", "01231231231232ABC", nullptr},
      {"8010", "0200", nullptr},
      {"8010", "02a0", "invalid character 'a'"},
      {"3103", "000195", nullptr},
  };
  for (const ValueCase& c : cases) {
    SCOPED_TRACE(std::string(c.ai) + " " + c.value);
    const AiDefinition* ai = FindAi(c.ai);
    ASSERT_NE(ai, nullptr);
    core::Status status = ValidateAiValue(*ai, c.value);
    if (c.error == nullptr) {
      EXPECT_TRUE(status.ok()) << status.error().message;
    } else {
      ASSERT_FALSE(status.ok());
      EXPECT_NE(status.error().message.find(c.error), std::string::npos) << status.error().message;
      EXPECT_NE(status.error().message.find(std::string("AI (") + c.ai + ")"), std::string::npos);
    }
  }
}

TEST(AiTable, CharSets) {
  EXPECT_TRUE(InCharSet(CharSet::kCset82, "!\"%&'()*+,-./09:;<=>?AZ_az"));
  EXPECT_FALSE(InCharSet(CharSet::kCset82, "#"));
  EXPECT_FALSE(InCharSet(CharSet::kCset82, "$"));
  EXPECT_FALSE(InCharSet(CharSet::kCset82, "\xC3\xB4"));
  EXPECT_TRUE(InCharSet(CharSet::kCset39, "#-/09AZ"));
  EXPECT_FALSE(InCharSet(CharSet::kCset39, "a"));
  EXPECT_TRUE(InCharSet(CharSet::kCset64, "AZaz09-_=="));
  EXPECT_FALSE(InCharSet(CharSet::kCset64, "A=B"));
  EXPECT_EQ(FirstOutsideCharSet(CharSet::kNumeric, "12a4"), 2u);
}

}  // namespace
}  // namespace vntrace::gs1
