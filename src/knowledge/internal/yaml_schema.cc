// OpenYamlFile and CheckHeader; see yaml_schema.h.
#include "knowledge/internal/yaml_schema.h"

#include "base/mapped_file.h"

namespace piaudit::knowledge::internal {

bool OpenYamlFile(const std::string& path, Errors* errors, File* f) {
  f->path = path;
  f->errors = errors;
  auto text = ReadFileToString(f->path, kMaxDataFileBytes);
  if (!text.ok()) {
    errors->Add(text.status());
    return false;
  }
  int error_line = 0;
  auto doc = YamlDocument::Parse(*text, &error_line);
  if (!doc.ok()) {
    errors->Fail(f->path, error_line, "", std::string(doc.status().message()));
    return false;
  }
  f->doc = std::move(*doc);
  f->root = f->doc.root();
  if (!f->root.IsMap()) {
    errors->Fail(f->path, 1, "", "the file must be a mapping with a header (version, sources)");
    return false;
  }
  return true;
}

void CheckHeader(const Obj& header) {
  std::string version;
  header.Str("version", &version, true);
  if (!header.Has("source") && !header.Has("sources")) {
    header.Fail("missing 'source' or 'sources' in the header");
  }
}

}  // namespace piaudit::knowledge::internal
