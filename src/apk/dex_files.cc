#include "apk/dex_files.h"

#include <utility>

#include "container/file_type.h"

namespace piaudit::apk {
namespace {

// Opens one dex file. Returns its summary (with the error when it cannot be opened); an opened
// file is appended to `opened`, pointing back at the summary's future index `summary_index`.
DexFileSummary OpenDexFile(container::EntryData bytes, const std::string& name,
                           const std::string& origin, const Limits& limits, size_t summary_index,
                           Diagnostics* diags, std::deque<OpenedDex>* opened) {
  DexFileSummary summary;
  summary.name = name;
  summary.origin = origin;
  Result<dex::DexFile> file = dex::DexFile::Open(bytes.bytes(), name, limits, diags);
  if (!file.ok()) {
    Status s = file.status();
    if (s.file().empty()) s.InFile(name);
    diags->AddStatus("dex.open_failed", s);
    summary.error = s.ToString();
    return summary;
  }
  OpenedDex& d = opened->emplace_back();
  d.bytes = std::move(bytes);
  d.file.emplace(std::move(file).value());
  d.origin = origin;
  d.summary = summary_index;
  return summary;
}

// Opens one dex into `out`; true when it opened.
bool AddDex(container::EntryData bytes, const std::string& name, const std::string& origin,
            const Limits& limits, Diagnostics* diags, ApkDexFiles* out) {
  out->summaries.push_back(OpenDexFile(std::move(bytes), name, origin, limits,
                                       out->summaries.size(), diags, &out->opened));
  return out->summaries.back().error.empty();
}

}  // namespace

ApkDexFiles OpenDexFiles(const ApkFacts& facts, const Limits& limits, Diagnostics* diags) {
  ApkDexFiles out;
  const container::ZipArchive& zip = *facts.zip;
  if (facts.layout.primary_dex.size() > limits.max_dex_files) {
    diags->Add(Severity::kWarning, "dex.too_many", facts.path, "classes*.dex", 0,
               std::to_string(facts.layout.primary_dex.size()) + " dex files; only the first " +
                   std::to_string(limits.max_dex_files) + " are analysed");
  }
  for (size_t i = 0; i < facts.layout.primary_dex.size() && i < limits.max_dex_files; ++i) {
    const std::string& name = facts.layout.primary_dex[i];
    const container::ZipEntry* entry = zip.Find(name);
    if (!entry) continue;
    Result<container::EntryData> data = zip.Read(*entry);
    if (!data.ok()) {
      diags->AddStatus("dex.unreadable", data.status());
      out.summaries.push_back({name, "primary", 0, 0, 0, 0, 0, 1, data.status().ToString()});
      continue;
    }
    AddDex(std::move(data).value(), name, "primary", limits, diags, &out);
  }
  uint32_t secondary_dex = 0;
  for (const container::LayoutEntry& e : facts.layout.secondary_code) {
    SecondaryCode sc;
    sc.entry = e.name;
    sc.type = std::string(container::FileTypeName(e.type));
    sc.size = e.uncompressed_size;
    const bool is_dex = e.type == container::FileType::kDex;
    const bool is_zip = e.type == container::FileType::kZip;
    if (!is_dex && !is_zip) {
      sc.note = "not a dex or archive; listed only";
    } else if (secondary_dex >= limits.max_secondary_dex) {
      sc.note = "secondary dex limit reached; listed only";
    } else if (const container::ZipEntry* entry = zip.Find(e.name); entry == nullptr) {
      sc.note = "entry not found";
    } else if (Result<container::EntryData> data = zip.Read(*entry); !data.ok()) {
      sc.note = data.status().ToString();
      diags->AddStatus("code.secondary_unreadable", data.status());
    } else if (is_dex) {
      ++secondary_dex;
      sc.dex_files.push_back(e.name);
      sc.analysed = AddDex(std::move(data).value(), e.name, "secondary", limits, diags, &out);
      if (!sc.analysed) sc.note = out.summaries.back().error;
    } else {
      out.nested_storage.push_back(std::move(data).value());
      Result<container::ZipArchive> inner =
          container::ZipArchive::Open(out.nested_storage.back().bytes(), e.name, limits, diags);
      if (!inner.ok()) {
        sc.note = inner.status().ToString();
        diags->AddStatus("code.secondary_unreadable", inner.status());
      } else {
        for (const container::ZipEntry& ie : inner->entries()) {
          if (!(ie.name.starts_with("classes") && ie.name.ends_with(".dex"))) continue;
          if (secondary_dex >= limits.max_secondary_dex) break;
          Result<container::EntryData> idata = inner->Read(ie);
          std::string name = e.name + "!" + ie.name;
          if (!idata.ok()) {
            diags->AddStatus("code.secondary_unreadable", idata.status());
            continue;
          }
          ++secondary_dex;
          sc.dex_files.push_back(name);
          if (AddDex(std::move(idata).value(), name, "secondary", limits, diags, &out))
            sc.analysed = true;
        }
        if (sc.dex_files.empty()) sc.note = "archive holds no classes*.dex";
      }
    }
    out.secondary_code.push_back(std::move(sc));
  }
  return out;
}

}  // namespace piaudit::apk
