// The lists an app store must show for an app (draft MIIT Interim Provisions, 2021, art. 9(2)):
// the permissions it requests and the personal information it collects, derived from the
// evidence of one scan. JSON schema "piaudit.disclose/1" (docs/schemas/report.md) and HTML.
//
// Sources of each PI entry are named ("code", "permission", "sdk:<id>", "policy") so a store can
// tell what the app's own statement says from what the scan found.
#ifndef PIAUDIT_REPORT_DISCLOSE_H_
#define PIAUDIT_REPORT_DISCLOSE_H_

#include <string>

#include "evidence/evidence.h"
#include "knowledge/knowledge_base.h"
#include "knowledge/messages.h"

namespace piaudit::report {

// `kb` may be null (ids are then shown without names). The JSON is pretty-printed (2 spaces, keys
// in byte order) and ends with a newline.
std::string RenderDiscloseJson(const evidence::AppEvidence& ev, const knowledge::KnowledgeBase* kb);
// The page for people in `lang`: every heading and label from data/messages.yaml (disclose.*).
std::string RenderDiscloseHtml(const evidence::AppEvidence& ev, const knowledge::KnowledgeBase* kb,
                               knowledge::Lang lang = knowledge::Lang::kZh);

}  // namespace piaudit::report

#endif  // PIAUDIT_REPORT_DISCLOSE_H_
