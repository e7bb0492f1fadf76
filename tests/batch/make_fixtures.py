#!/usr/bin/env python3
"""Builds the batch tests' APKs at test time from the sample app the build made.

Usage: make_fixtures.py SAMPLE_APK DIR [--variants N] [--hostile]
  DIR/good/variant_K.apk   the sample with one extra asset each (a different SHA-256, same app)
  DIR/good/sample.apk and DIR/good/same as sample.apk   one APK under two names (one job)
  --hostile adds, under DIR/bad/: a truncated zip, a text file, a zip bomb (a 1 GiB entry of zeros
  deflated to about 1 MB), and under DIR/good/ a file whose name is shell and path syntax.
"""
import argparse
import os
import shutil
import zipfile


def variant(sample, out, k):
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("assets/batch_variant.txt", f"variant {k}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sample")
    ap.add_argument("dir")
    ap.add_argument("--variants", type=int, default=4)
    ap.add_argument("--hostile", action="store_true")
    args = ap.parse_args()
    good = os.path.join(args.dir, "good")
    os.makedirs(good, exist_ok=True)
    shutil.copy(args.sample, os.path.join(good, "sample.apk"))
    shutil.copy(args.sample, os.path.join(good, "same as sample.apk"))
    for k in range(args.variants):
        variant(args.sample, os.path.join(good, f"variant_{k}.apk"), k)
    if not args.hostile:
        return
    # A name is data: written nowhere, run nowhere.
    shutil.copy(args.sample, os.path.join(good, "--help $(touch PWNED) ..%2f;x.apk"))
    bad = os.path.join(args.dir, "bad")
    os.makedirs(bad, exist_ok=True)
    data = open(args.sample, "rb").read()
    open(os.path.join(bad, "truncated.apk"), "wb").write(data[: len(data) // 2])
    open(os.path.join(bad, "not_a_zip.apk"), "wb").write(b"this is not a zip file\n" * 10)
    with zipfile.ZipFile(os.path.join(bad, "bomb.apk"), "w", zipfile.ZIP_DEFLATED) as z:
        for info in zipfile.ZipFile(args.sample).infolist():
            z.writestr(info, zipfile.ZipFile(args.sample).read(info.filename))
        bomb = zipfile.ZipInfo("assets/bomb.bin")
        bomb.compress_type = zipfile.ZIP_DEFLATED
        with z.open(bomb, "w", force_zip64=True) as f:
            chunk = bytes(1 << 20)
            for _ in range(1024):
                f.write(chunk)


if __name__ == "__main__":
    main()
