// The evidence model: stable enum names (they are the JSON contract), the ref builders, and the
// rule that incomplete or packed code is unknown.
#include "evidence/evidence.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace piaudit::evidence {
namespace {

TEST(EvidenceTest, EnumNamesAreStableAndDistinct) {
  std::set<std::string_view> kinds;
  for (int k = 0; k <= static_cast<int>(SourceKind::kNetwork); ++k) {
    kinds.insert(SourceKindName(static_cast<SourceKind>(k)));
  }
  EXPECT_EQ(kinds.size(), 10u);
  EXPECT_EQ(kinds.count("unknown"), 0u);
  EXPECT_EQ(SourceKindName(SourceKind::kPolicy), "policy");
  EXPECT_EQ(PolicySourceName(PolicySource::kBundledAsset), "bundled_asset");
  EXPECT_EQ(RightKindName(RightKind::kAccountCancellation), "account_cancellation");
  EXPECT_EQ(TimeUnitName(TimeUnit::kWorkingDays), "working_days");
  EXPECT_EQ(BeforeConsentName(BeforeConsent::kLikely), "likely");
  EXPECT_EQ(DetectionStrengthName(DetectionStrength::kWeak), "weak");
}

TEST(EvidenceTest, BuildersFillKindFileAndLocation) {
  EvidenceRef c = CodeRef("classes2.dex", "a.B.c", {"a.App.onCreate", "a.B.c"}, "getDeviceId");
  EXPECT_EQ(c.kind, SourceKind::kCode);
  EXPECT_EQ(c.file, "classes2.dex");
  EXPECT_EQ(c.chain.front(), "a.App.onCreate");
  EvidenceRef m = ManifestRef("manifest/uses-permission[@name=CAMERA]");
  EXPECT_EQ(m.kind, SourceKind::kManifest);
  EXPECT_EQ(m.file, "AndroidManifest.xml");
  EvidenceRef p = PolicyRef("policy.txt", PolicySpan{3, 9, "手机号码"});
  ASSERT_TRUE(p.span.has_value());
  EXPECT_EQ(p.span->end, 9u);
  EXPECT_EQ(AbsenceRef("res/layout", "none").kind, SourceKind::kAbsence);
}

TEST(EvidenceTest, CodeIsUnknownWhenPackedOrIncomplete) {
  AppEvidence ev;
  ev.code.dex_files = 2;
  ev.code.dex_files_read = 2;
  EXPECT_TRUE(ev.CodeKnown());
  EXPECT_EQ(CodeUnknownReason(ev), "");

  ev.code.failed_dex.push_back("classes2.dex: bad magic");
  EXPECT_FALSE(ev.CodeKnown());
  EXPECT_NE(CodeUnknownReason(ev).find("classes2.dex"), std::string::npos);

  AppEvidence packed;
  packed.packer = PackerFact{"jiagu360", "360加固", {}};
  EXPECT_FALSE(packed.CodeKnown());
  EXPECT_NE(CodeUnknownReason(packed).find("360加固"), std::string::npos);

  AppEvidence skipped;
  skipped.code.attempted = false;
  EXPECT_FALSE(skipped.CodeKnown());
}

}  // namespace
}  // namespace piaudit::evidence
