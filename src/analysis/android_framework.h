// The Android framework model the call graph uses now lives in the knowledge base
// (knowledge/android_framework.h): it is loaded once with KnowledgeBase::Load and reached through
// KnowledgeBase::android_framework(). These names keep the analysis code reading as before.
#ifndef PIAUDIT_ANALYSIS_ANDROID_FRAMEWORK_H_
#define PIAUDIT_ANALYSIS_ANDROID_FRAMEWORK_H_

#include "knowledge/android_framework.h"

namespace piaudit::analysis {

using knowledge::AndroidFramework;
using knowledge::FrameworkClass;
using knowledge::ImplicitRule;

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_ANDROID_FRAMEWORK_H_
