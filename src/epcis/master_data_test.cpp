#include "epcis/master_data.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace vntrace::epcis {
namespace {

namespace json = boost::json;

constexpr std::string_view kSite = "https://id.gs1.org/414/4012345000115";
constexpr std::string_view kDock = "https://id.gs1.org/414/4012345000115/254/1";
constexpr std::string_view kDoor = "https://id.gs1.org/414/4012345000115/254/2";

MasterDataAttribute Attr(std::string id, json::value value) {
  return {.id = std::move(id), .value = std::move(value)};
}

TEST(MasterData, CanonicalAttributeNames) {
  EXPECT_EQ(CanonicalAttributeName("urn:epcglobal:cbv:mda#sst"), "urn:epcglobal:cbv:mda:sst");
  EXPECT_EQ(CanonicalAttributeName("urn:epcglobal:cbv:mda:sst"), "urn:epcglobal:cbv:mda:sst");
  EXPECT_EQ(CanonicalAttributeName("https://example.com/md#grade"), "https://example.com/md#grade");
}

TEST(MasterData, LaterAttributesReplaceThoseOfTheirIdAndKeepTheOthers) {
  VocabularyElement stored{.type = std::string(kBusinessLocationVocabulary),
                           .id = std::string(kSite),
                           .attributes = {Attr("urn:epcglobal:cbv:mda:name", "Kho Hà Nội"),
                                          Attr("https://example.com/md#tag", "a"),
                                          Attr("https://example.com/md#tag", "b"),
                                          Attr("urn:epcglobal:cbv:mda:sst", "201")},
                           .children = {std::string(kDock)},
                           .has_children = true};
  const VocabularyElement update{.type = stored.type,
                                 .id = stored.id,
                                 .attributes = {Attr("https://example.com/md#tag", "c"),
                                                Attr("urn:epcglobal:cbv:mda:city", "Hà Nội")},
                                 .children = {},
                                 .has_children = false};
  MergeVocabularyElement(stored, update);
  const std::vector<MasterDataAttribute> expected = {
      Attr("urn:epcglobal:cbv:mda:name", "Kho Hà Nội"), Attr("urn:epcglobal:cbv:mda:sst", "201"),
      Attr("https://example.com/md#tag", "c"), Attr("urn:epcglobal:cbv:mda:city", "Hà Nội")};
  EXPECT_EQ(stored.attributes, expected);
  // Without a children member the children stay.
  EXPECT_EQ(stored.children, std::vector<std::string>{std::string(kDock)});
  EXPECT_TRUE(stored.has_children);

  VocabularyElement new_children = update;
  new_children.attributes.clear();
  new_children.children = {std::string(kDoor)};
  new_children.has_children = true;
  MergeVocabularyElement(stored, new_children);
  EXPECT_EQ(stored.children, std::vector<std::string>{std::string(kDoor)});
  EXPECT_EQ(stored.attributes, expected);

  VocabularyElement no_children = update;
  no_children.attributes.clear();
  no_children.has_children = true;  // "children": []
  MergeVocabularyElement(stored, no_children);
  EXPECT_TRUE(stored.children.empty());
  EXPECT_TRUE(stored.has_children);
}

TEST(MasterData, JsonRoundTrip) {
  const VocabularyElement element{
      .type = std::string(kBusinessLocationVocabulary),
      .id = std::string(kSite),
      .attributes = {Attr("urn:epcglobal:cbv:mda:name", "Kho Hà Nội"),
                     Attr("https://example.com/md#address",
                          json::parse(R"({"street": "1 Tràng Tiền", "floors": 3})")),
                     Attr("https://example.com/md#capacity", 1250.5),
                     Attr("https://example.com/md#note", nullptr)},
      .children = {std::string(kDock), std::string(kDoor)},
      .has_children = true};
  const json::object o = VocabularyElementJson(element);
  EXPECT_EQ(
      json::serialize(o),
      R"({"id":"https://id.gs1.org/414/4012345000115","attributes":[)"
      R"({"id":"urn:epcglobal:cbv:mda:name","attribute":"Kho Hà Nội"},)"
      R"({"id":"https://example.com/md#address","attribute":{"street":"1 Tràng Tiền","floors":3}},)"
      R"({"id":"https://example.com/md#capacity","attribute":1.2505E3},)"
      R"({"id":"https://example.com/md#note"}],)"
      R"("children":["https://id.gs1.org/414/4012345000115/254/1",)"
      R"("https://id.gs1.org/414/4012345000115/254/2"]})");
  core::Result<VocabularyElement> back = VocabularyElementFromJson(kBusinessLocationVocabulary, o);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(*back, element);

  const VocabularyElement bare{.type = std::string(kEpcClassVocabulary),
                               .id = "https://id.gs1.org/01/09521141012345",
                               .attributes = {},
                               .children = {},
                               .has_children = false};
  EXPECT_EQ(json::serialize(VocabularyElementJson(bare)),
            R"({"id":"https://id.gs1.org/01/09521141012345"})");
  core::Result<VocabularyElement> bare_back =
      VocabularyElementFromJson(kEpcClassVocabulary, VocabularyElementJson(bare));
  ASSERT_TRUE(bare_back.ok());
  EXPECT_EQ(*bare_back, bare);
}

TEST(MasterData, DamagedJsonIsAnInternalError) {
  for (std::string_view text :
       {R"({"attributes": []})", R"({"id": 1})", R"({"id": "x", "attributes": {}})",
        R"({"id": "x", "attributes": [{"attribute": 1}]})", R"({"id": "x", "children": "y"})",
        R"({"id": "x", "children": [1]})"}) {
    core::Result<VocabularyElement> e =
        VocabularyElementFromJson(kReadPointVocabulary, json::parse(text).as_object());
    ASSERT_FALSE(e.ok()) << text;
    EXPECT_EQ(e.error().code, core::ErrorCode::kInternal) << text;
  }
}

TEST(MasterData, AttributeValueEquals) {
  EXPECT_TRUE(AttributeValueEquals("Kho 1", "Kho 1"));
  EXPECT_FALSE(AttributeValueEquals("Kho 1", "kho 1"));
  EXPECT_TRUE(AttributeValueEquals(3, "3"));
  EXPECT_TRUE(AttributeValueEquals(3, "3.0"));
  EXPECT_TRUE(AttributeValueEquals(2.5, "+2.5"));
  EXPECT_TRUE(AttributeValueEquals(-1, "-1e0"));
  EXPECT_FALSE(AttributeValueEquals(3, "three"));
  EXPECT_FALSE(AttributeValueEquals(3, "inf"));
  EXPECT_FALSE(AttributeValueEquals("3", "3.0"));  // a string compares as text
  EXPECT_TRUE(AttributeValueEquals(true, "true"));
  EXPECT_FALSE(AttributeValueEquals(true, "1"));
  EXPECT_FALSE(AttributeValueEquals(json::parse(R"({"a": 1})"), R"({"a": 1})"));
  EXPECT_FALSE(AttributeValueEquals(nullptr, "null"));
}

}  // namespace
}  // namespace vntrace::epcis
