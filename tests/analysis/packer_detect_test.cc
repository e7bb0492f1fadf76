// Tests for packer detection (src/analysis/packer_detect.h) over fingerprints written in C++.
#include "analysis/packer_detect.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace piaudit::analysis {
namespace {

std::vector<knowledge::Packer> Packers() {
  knowledge::Packer jiagu;
  jiagu.id = "360-jiagu";
  jiagu.zh = "360加固";
  jiagu.en = "360 Jiagu";
  jiagu.classes = {"com.stub", "com.qihoo.util"};
  jiagu.application_classes = {"com.stub.StubApp"};
  jiagu.native_libs = {"libjiagu*.so"};
  jiagu.assets = {"libjiagu*.so"};
  knowledge::Packer legu;
  legu.id = "tencent-legu";
  legu.en = "Tencent Legu";
  legu.classes = {"com.tencent.StubShell"};
  legu.native_libs = {"libshell*.so"};
  return {jiagu, legu};
}

TEST(PackerDetectTest, JiaguFromApplicationStubAndAssets) {
  std::vector<knowledge::Packer> packers = Packers();
  std::vector<std::string> classes = {"Lcom/stub/StubApp;", "Lcom/qihoo/util/a;"};
  PackerSignals s;
  s.application_class = "com.stub.StubApp";
  s.class_names = classes;
  s.assets = {"assets/libjiagu.so", "assets/libjiagu_x86.so"};
  std::optional<PackerFinding> f = DetectPacker(packers, s);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->id, "360-jiagu");
  EXPECT_EQ(f->name, "360加固 / 360 Jiagu");
  EXPECT_FALSE(f->code_visible);
  EXPECT_NE(f->note.find("dynamic"), std::string::npos);
  auto has = [&](std::string_view e) {
    for (const std::string& x : f->evidence)
      if (x == e) return true;
    return false;
  };
  EXPECT_TRUE(has("application class com.stub.StubApp"));
  EXPECT_TRUE(has("stub class com.stub.StubApp"));
  EXPECT_TRUE(has("asset assets/libjiagu.so"));
}

TEST(PackerDetectTest, NativeLibAloneIsEnough) {
  std::vector<knowledge::Packer> packers = Packers();
  PackerSignals s;
  s.native_libs = {"lib/armeabi-v7a/libshella-4.1.so"};
  std::optional<PackerFinding> f = DetectPacker(packers, s);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->id, "tencent-legu");
}

TEST(PackerDetectTest, GenericShapeWithoutFingerprint) {
  std::vector<knowledge::Packer> packers = Packers();
  std::vector<std::string> classes = {"Lcom/x/Loader;"};
  PackerSignals s;
  s.application_class = "com.example.MyApp";  // not defined in the dex
  s.class_names = classes;
  s.secondary_payloads = 1;
  std::optional<PackerFinding> f = DetectPacker(packers, s);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->id, "unknown");
  EXPECT_FALSE(f->code_visible);
}

TEST(PackerDetectTest, OrdinaryAppIsNotPacked) {
  std::vector<knowledge::Packer> packers = Packers();
  std::vector<std::string> classes = {"Lcom/example/MyApp;", "Lcom/example/Main;",
                                      "Lcom/stubborn/X;"};
  PackerSignals s;
  s.application_class = "com.example.MyApp";
  s.class_names = classes;
  s.native_libs = {"lib/arm64-v8a/libfoo.so"};
  EXPECT_FALSE(DetectPacker(packers, s).has_value());
}

}  // namespace
}  // namespace piaudit::analysis
