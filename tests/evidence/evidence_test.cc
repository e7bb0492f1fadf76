// The evidence model: stable enum names (they are the JSON contract) and their parsers, the ref
// builders, and the rule that incomplete or packed code is unknown.
#include "evidence/evidence.h"

#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <string_view>

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

// Each enum's names are defined once and read both ways: every value's name parses back to it,
// names are distinct, and nothing else parses (not "", not another case, not the "unknown" that
// out-of-range values print, except where "unknown" is a real value).
template <typename E>
void ExpectNamesRoundTrip(std::string_view (*name)(E), std::optional<E> (*parse)(std::string_view),
                          E last, bool unknown_is_a_value = false) {
  std::set<std::string_view> seen;
  for (int v = 0; v <= static_cast<int>(last); ++v) {
    const E e = static_cast<E>(v);
    const std::string_view n = name(e);
    EXPECT_TRUE(seen.insert(n).second) << n;
    EXPECT_EQ(parse(n), std::optional<E>(e)) << n;
    std::string upper(n);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(parse(upper), std::nullopt) << upper;
  }
  const E out_of_range = static_cast<E>(static_cast<int>(last) + 1);
  EXPECT_EQ(name(out_of_range), "unknown");
  EXPECT_EQ(name(static_cast<E>(255)), "unknown");
  EXPECT_EQ(parse("unknown").has_value(), unknown_is_a_value);
  EXPECT_EQ(parse(""), std::nullopt);
  EXPECT_EQ(parse(std::string_view("likely\0", 7)), std::nullopt);
}

TEST(EvidenceTest, EnumNamesParseBack) {
  ExpectNamesRoundTrip(SourceKindName, ParseSourceKind, SourceKind::kNetwork);
  ExpectNamesRoundTrip(DetectionStrengthName, ParseDetectionStrength, DetectionStrength::kWeak);
  ExpectNamesRoundTrip(BeforeConsentName, ParseBeforeConsent, BeforeConsent::kUnknown, true);
  ExpectNamesRoundTrip(PolicySourceName, ParsePolicySource, PolicySource::kUrlFound);
  ExpectNamesRoundTrip(RightKindName, ParseRightKind, RightKind::kComplaint);
  ExpectNamesRoundTrip(TimeUnitName, ParseTimeUnit, TimeUnit::kMonths);
  ExpectNamesRoundTrip(SeverityName, ParseSeverity, Severity::kError);
  EXPECT_EQ(SeverityName(Severity::kWarning), "warning");
  EXPECT_EQ(ParseBeforeConsent("unknown"), BeforeConsent::kUnknown);
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
