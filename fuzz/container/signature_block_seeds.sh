#!/bin/sh
# Seeds for pkcs7_fuzzer: the JAR signature blocks (META-INF/*.RSA, *.DSA, *.EC) of the shared
# corpus APKs, one folder per APK. Absent corpus or blocks: nothing to add, not an error.
# usage: signature_block_seeds.sh FUZZER_CORPUS_DIR SHARED_CORPUS_DIR
out=$1
corpus=$2
for apk in "$corpus"/apks/*.apk; do
  [ -f "$apk" ] || continue
  unzip -o -qq -d "$out/seed-$(basename "$apk")" "$apk" \
    'META-INF/*.RSA' 'META-INF/*.DSA' 'META-INF/*.EC' 2>/dev/null || true
done
exit 0
