// What the CPU can do, asked once per process: the code paths written for AVX2 (span decoder,
// feature hashes, classifier sums) are chosen at run time, since the build targets baseline
// x86-64 and other machines may lack it. Every such path has a portable twin giving the same
// results.
#ifndef PIAUDIT_BASE_CPU_FEATURES_H_
#define PIAUDIT_BASE_CPU_FEATURES_H_

namespace piaudit {

inline bool CpuHasAvx2() {
#if defined(__x86_64__) || defined(__i386__)
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
#else
  return false;
#endif
}

}  // namespace piaudit

#endif  // PIAUDIT_BASE_CPU_FEATURES_H_
