// Regression: `piaudit info --format json` aborted (an uncaught nlohmann::json exception, invalid
// UTF-8 in a string being dumped) when a resources.arsc string that the manifest points to, the app
// label, held a 0xFF byte. aapt cannot write such a string, so the fixture APK is built with aapt
// and the bytes of its compiled resources.arsc (and manifest) string pools are patched, then put
// back into the zip; its classes.dex carries a string with invalid MUTF-8 as well. The real
// `piaudit` binary (launcher + CLI plugin, as a user runs it) is then run over every output: no
// command may die on a signal or exit 4 (internal error), and everything it writes must be valid
// UTF-8, and valid JSON where it is JSON.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/apk_fixture.h"
#include "support/dex_builder.h"

namespace piaudit::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kBinary[] = PIAUDIT_BINARY_DIR "/tools/piaudit/piaudit";
constexpr int kExitInternal = 4;  // src/app/commands.h

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. Returns the
// offset of the first bad byte, or npos.
size_t FirstInvalidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t b = static_cast<uint8_t>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    uint8_t lo = 0x80, hi = 0xbf;  // allowed range of the second byte
    if (b >= 0xc2 && b <= 0xdf) {
      n = 1;
    } else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      if (b == 0xe0) lo = 0xa0;
      if (b == 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      if (b == 0xf0) lo = 0x90;
      if (b == 0xf4) hi = 0x8f;
    } else {
      return i;
    }
    if (s.size() - i <= n) return i;
    for (size_t k = 1; k <= n; ++k) {
      const uint8_t c = static_cast<uint8_t>(s[i + k]);
      if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return std::string::npos;
}

// Replaces the first byte of `marker` in `bytes` by 0xFF (a UTF-8 string pool or dex string data:
// the length fields stay right). For a UTF-16 pool (the marker stored as UTF-16LE) the first unit
// becomes a lone low surrogate instead, the UTF-16 counterpart. Returns false when absent.
bool PlantBadByte(std::string* bytes, const std::string& marker) {
  if (size_t at = bytes->find(marker); at != std::string::npos) {
    (*bytes)[at] = '\xff';
    return true;
  }
  std::string utf16;
  for (char c : marker) {
    utf16.push_back(c);
    utf16.push_back('\0');
  }
  if (size_t at = bytes->find(utf16); at != std::string::npos) {
    (*bytes)[at] = '\x00';
    (*bytes)[at + 1] = '\xdc';
    return true;
  }
  return false;
}

// The runtime reports as the binary writes them: stdout, stderr and the exit code of one command.
struct CommandRun {
  int exit_code = -1;
  std::string out, err;
};

CommandRun RunPiaudit(const std::string& args, const std::string& dir) {
  const std::string out = dir + "/stdout", err = dir + "/stderr";
  // A subshell, so the command's own stderr is kept apart from RunCommand's 2>&1. A child killed
  // by a signal shows as 128 + signal (or -1 when the shell exec'd it and died with it).
  CommandResult r = RunCommand("( " + std::string(kBinary) + " " + args + " >" + ShellQuote(out) +
                               " 2>" + ShellQuote(err) + " )");
  CommandRun run;
  run.exit_code = r.exit_code;
  run.out = ReadFile(out).ok() ? *ReadFile(out) : "";
  run.err = ReadFile(err).ok() ? *ReadFile(err) : "";
  return run;
}

void ExpectNoCrash(const CommandRun& r, const std::string& what) {
  EXPECT_GE(r.exit_code, 0) << what << " died on a signal\n" << r.err;
  EXPECT_LT(r.exit_code, 128) << what << " died on signal " << r.exit_code - 128 << "\n" << r.err;
  EXPECT_NE(r.exit_code, kExitInternal) << what << " exited 4 (internal error)\n" << r.err;
  EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << what << "\n" << r.err;
}

void ExpectUtf8(const std::string& text, const std::string& what) {
  const size_t bad = FirstInvalidUtf8(text);
  EXPECT_EQ(bad, std::string::npos)
      << what << ": invalid UTF-8 at byte " << bad << ": "
      << text.substr(bad == std::string::npos ? 0 : (bad > 40 ? bad - 40 : 0), 80);
}

nlohmann::json ExpectJson(const std::string& text, const std::string& what) {
  ExpectUtf8(text, what);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << what << " is not valid JSON:\n" << text.substr(0, 2000);
  return j;
}

// A dex whose const-string holds invalid MUTF-8 (ART's verifier would reject it; we analyse it).
Result<std::string> HostileDex(const std::string& dir) {
  DexBuilder b;
  ClassBuilder& main =
      b.AddClass("Lcom/example/hostile/Main;", "Landroid/app/Activity;", kAccPublic);
  main.AddConstructor("()V", 1).InvokeDirect("Landroid/app/Activity;-><init>()V", {0}).ReturnVoid();
  main.AddMethod("onCreate", "(Landroid/os/Bundle;)V", kAccPublic, 4)
      .ConstString(0, "https://hostile.example/DEXMARKER/collect")
      .ConstString(1, "DEXMARKER tag")
      .InvokeStatic("Landroid/util/Log;->i(Ljava/lang/String;Ljava/lang/String;)I", {1, 0})
      .ReturnVoid();
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, WriteAndVerifyDex(b, dir + "/classes.dex"));
  std::string dex(bytes.begin(), bytes.end());
  // Both strings: the marker in each becomes 0xFF.
  if (!PlantBadByte(&dex, "DEXMARKER") || !PlantBadByte(&dex, "DEXMARKER")) {
    return InternalError("marker not found in the built dex");
  }
  return dex;
}

// The fixture: label (default and zh-CN) and a meta-data value from resources.arsc, an activity
// name and a meta-data literal in the manifest, each with a bad byte planted after aapt built it.
Result<std::string> BuildHostileApk() {
  const std::string dir = MakeTempDir("hostile-text");
  ApkSpec spec;
  spec.manifest_xml = R"(<manifest xmlns:android="http://schemas.android.com/apk/res/android"
      package="com.example.hostile" android:versionCode="1" android:versionName="1.0">
    <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="30" />
    <uses-permission android:name="android.permission.INTERNET" />
    <application android:label="@string/app_name">
      <meta-data android:name="UMENG_CHANNEL" android:value="@string/channel" />
      <meta-data android:name="JPUSH_CHANNEL" android:value="MANIFESTMARKER-literal" />
      <activity android:name="com.example.hostile.Main" android:label="MANIFESTMARKER2">
        <intent-filter>
          <action android:name="android.intent.action.MAIN" />
          <category android:name="android.intent.category.LAUNCHER" />
        </intent-filter>
      </activity>
    </application>
  </manifest>)";
  spec.resources["values/strings.xml"] =
      R"(<resources><string name="app_name">LABELMARKER app</string>)"
      R"(<string name="channel">CHANNELMARKER</string></resources>)";
  spec.resources["values-zh-rCN/strings.xml"] =
      "<resources><string name=\"app_name\">LABELMARKERZH \xe5\xba\x94\xe7\x94\xa8</string>"
      "</resources>";
  ASSIGN_OR_RETURN(std::string dex, HostileDex(dir));
  spec.extra_files["classes.dex"] = dex;
  spec.sign = false;
  ASSIGN_OR_RETURN(std::string apk, BuildApk(spec, "hostile_text"));

  // Take the two compiled files out, plant the bytes, put them back (same names, so zip replaces
  // the entries).
  const std::string work = dir + "/patch";
  CommandResult r =
      RunCommand("mkdir -p " + ShellQuote(work) + " && unzip -q -o " + ShellQuote(apk) +
                 " AndroidManifest.xml resources.arsc -d " + ShellQuote(work));
  if (r.exit_code != 0) return InternalError("unzip failed: " + r.out);
  ASSIGN_OR_RETURN(std::string arsc, ReadFile(work + "/resources.arsc"));
  for (const char* marker : {"LABELMARKER app", "LABELMARKERZH", "CHANNELMARKER"}) {
    if (!PlantBadByte(&arsc, marker)) {
      return InternalError(std::string("marker not found in resources.arsc: ") + marker);
    }
  }
  RETURN_IF_ERROR(WriteFile(work + "/resources.arsc", arsc));
  ASSIGN_OR_RETURN(std::string manifest, ReadFile(work + "/AndroidManifest.xml"));
  for (const char* marker : {"MANIFESTMARKER-literal", "MANIFESTMARKER2"}) {
    if (!PlantBadByte(&manifest, marker)) {
      return InternalError(std::string("marker not found in the manifest: ") + marker);
    }
  }
  RETURN_IF_ERROR(WriteFile(work + "/AndroidManifest.xml", manifest));
  r = RunCommand("cd " + ShellQuote(work) + " && zip -q -0 " + ShellQuote(apk) +
                 " resources.arsc AndroidManifest.xml");
  if (r.exit_code != 0) return InternalError("zip failed: " + r.out);
  return apk;
}

TEST(HostileTextTest, BadBytesInLabelManifestAndDexNeverAbortAnyOutput) {
  if (!fs::exists(kBinary)) GTEST_SKIP() << "piaudit not built at " << kBinary;
  if (RunCommand("aapt version").exit_code != 0) GTEST_SKIP() << "aapt not installed";
  Result<std::string> apk = BuildHostileApk();
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  const std::string dir = MakeTempDir("hostile-text-run");
  const std::string q = ShellQuote(*apk);

  CommandRun info_json = RunPiaudit("info --format json " + q, dir);
  ExpectNoCrash(info_json, "info --format json");
  EXPECT_EQ(info_json.exit_code, 0) << info_json.err;
  nlohmann::json info = ExpectJson(info_json.out, "info --format json");
  if (info.is_object()) {
    EXPECT_EQ(info.value("package", ""), "com.example.hostile");
    // The label is still there, its bad byte replaced (U+FFFD), not dropped.
    ASSERT_TRUE(info.contains("label")) << info_json.out;
    EXPECT_NE(info["label"].dump().find("ABELMARKER app"), std::string::npos) << info["label"];
    EXPECT_NE(info["label"].dump().find("ABELMARKERZH"), std::string::npos) << info["label"];
    EXPECT_NE(info["components"].dump().find("com.example.hostile.Main"), std::string::npos);
  }
  ExpectUtf8(info_json.err, "info --format json (stderr)");

  CommandRun info_text = RunPiaudit("info --format text " + q, dir);
  ExpectNoCrash(info_text, "info --format text");
  EXPECT_EQ(info_text.exit_code, 0) << info_text.err;
  ExpectUtf8(info_text.out, "info --format text");
  ExpectUtf8(info_text.err, "info --format text (stderr)");
  EXPECT_NE(info_text.out.find("com.example.hostile"), std::string::npos) << info_text.out;

  CommandRun code_json = RunPiaudit("code --format json " + q, dir);
  ExpectNoCrash(code_json, "code --format json");
  EXPECT_EQ(code_json.exit_code, 0) << code_json.err;
  nlohmann::json code = ExpectJson(code_json.out, "code --format json");
  ExpectUtf8(code_json.err, "code --format json (stderr)");
  // The dex with invalid MUTF-8 is still analysed: its class and its URL host are seen.
  if (code.is_object()) {
    EXPECT_NE(code.dump().find("hostile.example"), std::string::npos);
  }

  CommandRun code_text = RunPiaudit("code --format text " + q, dir);
  ExpectNoCrash(code_text, "code --format text");
  EXPECT_EQ(code_text.exit_code, 0) << code_text.err;
  ExpectUtf8(code_text.out, "code --format text");
  ExpectUtf8(code_text.err, "code --format text (stderr)");

  const std::string reports = dir + "/reports";
  CommandRun scan = RunPiaudit(
      "scan " + q + " -o " + ShellQuote(reports) + " --format json,sarif,html --fail-on never",
      dir);
  ExpectNoCrash(scan, "scan");
  EXPECT_EQ(scan.exit_code, 0) << scan.err;
  ExpectUtf8(scan.out, "scan (stdout)");
  ExpectUtf8(scan.err, "scan (stderr)");
  for (const char* name : {"report.json", "report.sarif", "report.html"}) {
    SCOPED_TRACE(name);
    Result<std::string> text = ReadFile(reports + "/" + name);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    if (std::string(name) == "report.html") {
      ExpectUtf8(*text, name);
      EXPECT_NE(text->find("</html>"), std::string::npos);
    } else {
      nlohmann::json j = ExpectJson(*text, name);
      if (std::string(name) == "report.json" && j.is_object()) {
        EXPECT_EQ(j["items"].size(), 31u);
      }
    }
  }
}

}  // namespace
}  // namespace piaudit::testing
