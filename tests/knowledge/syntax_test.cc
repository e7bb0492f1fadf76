// Grammar checks of knowledge identifiers (descriptors, prefixes, hosts, file patterns).
#include "knowledge/syntax.h"

#include <gtest/gtest.h>

namespace piaudit::knowledge {
namespace {

TEST(SyntaxTest, MethodAndFieldReferences) {
  JvmReference r;
  std::string why;
  ASSERT_TRUE(ParseJvmReference(
      "Landroid/telephony/TelephonyManager;->getImei(I)Ljava/lang/String;", &r, &why));
  EXPECT_EQ(r.class_descriptor, "Landroid/telephony/TelephonyManager;");
  EXPECT_EQ(r.name, "getImei");
  EXPECT_EQ(r.signature, "(I)Ljava/lang/String;");
  EXPECT_FALSE(r.is_field);
  ASSERT_TRUE(ParseJvmReference("Landroid/os/Build;->SERIAL:Ljava/lang/String;", &r, &why));
  EXPECT_TRUE(r.is_field);
  EXPECT_EQ(r.signature, "Ljava/lang/String;");
  EXPECT_TRUE(
      ParseJvmReference("Ljava/io/RandomAccessFile;-><init>(Ljava/lang/String;"
                        "Ljava/lang/String;)V",
                        nullptr, &why));
  EXPECT_TRUE(ParseJvmReference("La/b$C;->m([[I[Ljava/lang/Object;JD)[B", nullptr, &why));
  const char* bad[] = {
      "",
      "Landroid/os/Build;->",
      "Landroid/os/Build;->SERIAL",
      "Landroid/os/Build;->SERIAL:",
      "Landroid/os/Build;->getSerial(",
      "Landroid/os/Build;->getSerial()",
      "Landroid/os/Build;->getSerial()Ljava/lang/String",
      "Landroid/os/Build;->getSerial()Ljava/lang/String;x",
      "Landroid/os/Build;->getSerial(V)V",
      "Landroid//os/Build;->getSerial()V",
      "L;->x()V",
      "Landroid/os/Build;->1x()V",
      "Landroid/os/Build;.getSerial()V",
  };
  for (const char* b : bad) EXPECT_FALSE(ParseJvmReference(b, nullptr, &why)) << b;
}

TEST(SyntaxTest, PackagePrefixes) {
  std::string why;
  EXPECT_TRUE(IsValidPackagePrefix("cn.jpush.android", &why));
  EXPECT_TRUE(IsValidPackagePrefix("s.h.e.l.l", &why));
  EXPECT_TRUE(IsValidPackagePrefix("com.stub.StubApp", &why));
  for (const char* b : {"com", "", ".com.x", "com.x.", "com..x", "com.1x", "com/x", "com.x y"}) {
    EXPECT_FALSE(IsValidPackagePrefix(b, &why)) << b;
  }
}

TEST(SyntaxTest, HostsAndFilePatterns) {
  std::string why;
  EXPECT_TRUE(IsValidHostPattern("stats.jpush.cn", &why));
  EXPECT_TRUE(IsValidHostPattern("*.jpush.cn", &why));
  for (const char* b : {"jpush", "*.cn", "Stats.jpush.cn", "a..b", "a.b/c", "*jpush.cn"}) {
    EXPECT_FALSE(IsValidHostPattern(b, &why)) << b;
  }
  EXPECT_TRUE(IsValidFilePattern("libjcore*.so", &why));
  EXPECT_FALSE(IsValidFilePattern("lib*a*.so", &why));
  EXPECT_FALSE(IsValidFilePattern("lib/x.so", &why));
  EXPECT_FALSE(IsValidFilePattern("*", &why));
  EXPECT_TRUE(MatchFilePattern("libjcore*.so", "libjcore221.so"));
  EXPECT_TRUE(MatchFilePattern("libjcore*.so", "libjcore.so"));
  EXPECT_FALSE(MatchFilePattern("libjcore*.so", "libjcor.so"));
  EXPECT_TRUE(MatchFilePattern("libBugly.so", "libBugly.so"));
  EXPECT_FALSE(MatchFilePattern("libBugly.so", "libBugly.so.1"));
}

TEST(SyntaxTest, DotClassNames) {
  EXPECT_EQ(ToDotClassName("Lcom/foo/Bar$1;"), "com.foo.Bar$1");
  EXPECT_EQ(ToDotClassName("com/foo/Bar"), "com.foo.Bar");
  EXPECT_EQ(ToDotClassName("com.foo.Bar"), "com.foo.Bar");
}

}  // namespace
}  // namespace piaudit::knowledge
