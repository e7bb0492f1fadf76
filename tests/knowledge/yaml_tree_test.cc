#include "knowledge/yaml_tree.h"

#include <gtest/gtest.h>

#include <string>

namespace piaudit::knowledge {
namespace {

YamlDocument MustParse(const std::string& text) {
  auto doc = YamlDocument::Parse(text);
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  return doc.ok() ? std::move(*doc) : YamlDocument();
}

TEST(YamlTreeTest, MappingsSequencesAndScalars) {
  YamlDocument doc = MustParse(
      "version: 1\n"
      "list:\n"
      "  - a\n"
      "  - {prefix: com.x, quality: shared}\n"
      "quoted: \"null\"\n"
      "block: |\n"
      "  two\n"
      "  lines\n");
  const YamlNode root = doc.root();
  ASSERT_TRUE(root.IsMap());
  EXPECT_EQ(root.size(), 4u);
  EXPECT_EQ(root.KeyAt(1).Scalar(), "list");
  EXPECT_EQ(root["version"].Scalar(), "1");
  EXPECT_EQ(root["version"].line(), 1);
  const YamlNode list = root["list"];
  ASSERT_TRUE(list.IsSequence());
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].Scalar(), "a");
  EXPECT_EQ(list[1]["quality"].Scalar(), "shared");
  EXPECT_EQ(list[1].line(), 4);
  int seen = 0;
  for (const YamlNode& e : list) seen += e.IsDefined();
  EXPECT_EQ(seen, 2);
  EXPECT_TRUE(root["quoted"].IsScalar());  // a quoted "null" is text
  EXPECT_EQ(root["quoted"].Scalar(), "null");
  EXPECT_EQ(root["block"].Scalar(), "two\nlines\n");
}

TEST(YamlTreeTest, MissingAndNullAreDistinct) {
  YamlDocument doc = MustParse("a:\nb: ~\nc: null\nd: x\n");
  const YamlNode root = doc.root();
  for (const char* k : {"a", "b", "c"}) {
    EXPECT_TRUE(root[k].IsDefined()) << k;
    EXPECT_TRUE(root[k].IsNull()) << k;
    EXPECT_FALSE(root[k].IsScalar()) << k;
    EXPECT_EQ(root[k].Scalar(), "") << k;
  }
  EXPECT_FALSE(root["zz"].IsDefined());
  EXPECT_FALSE(root["zz"]["deeper"].IsDefined());
  EXPECT_FALSE(root["d"][0].IsDefined());  // index into a scalar
  EXPECT_FALSE(root.ValueAt(9).IsDefined());
  EXPECT_EQ(root["d"].size(), 0u);
}

TEST(YamlTreeTest, AliasesShareTheirNode) {
  // A "billion laughs" shape: each level refers to the previous one nine times. Shared nodes
  // keep it small; nothing is expanded.
  std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 12; ++i) {
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 9; ++j) text += (j ? ", *l" : "*l") + std::to_string(i - 1);
    text += "]\n";
  }
  YamlDocument doc = MustParse(text);
  const YamlNode top = doc.root()["l11"];
  ASSERT_EQ(top.size(), 9u);
  EXPECT_EQ(top[8][0][0][0][0][0][0][0][0][0][0][8].Scalar(), "x");
}

TEST(YamlTreeTest, SyntaxErrorsNameTheLine) {
  int line = 0;
  auto doc = YamlDocument::Parse("a: 1\nb: [unclosed\nc: 2\n", &line);
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().ToString().find("YAML syntax error"), std::string::npos);
  EXPECT_GE(line, 2);
  auto tabs = YamlDocument::Parse("a:\n\t- b\n", &line);
  EXPECT_FALSE(tabs.ok());
}

TEST(YamlTreeTest, EmptyInputHasNoRoot) {
  auto doc = YamlDocument::Parse("");
  ASSERT_TRUE(doc.ok());
  EXPECT_FALSE(doc->root().IsDefined());
  EXPECT_FALSE(doc->root().IsMap());
}

}  // namespace
}  // namespace piaudit::knowledge
