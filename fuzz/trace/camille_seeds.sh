#!/bin/sh
# Writes a small Camille-style xlsx into the fuzzer's corpus directory ($1) with the zip tool
# (nothing binary is committed). Missing zip just leaves the directory as it is.
set -e
out="$1"
mkdir -p "$out"
[ -f "$out/camille_seed.xlsx" ] && exit 0
command -v zip >/dev/null || exit 0
tmp=$(mktemp -d)
mkdir -p "$tmp/xl/worksheets"
printf '<?xml version="1.0"?><Types/>' > "$tmp/[Content_Types].xml"
printf '<sst><si><t>隐私政策状态</t></si><si><t>时间点</t></si><si><t>调用堆栈</t></si></sst>' > "$tmp/xl/sharedStrings.xml"
printf '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="G1" t="s"><v>2</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>同意隐私政策前</t></is></c><c r="B2" t="inlineStr"><is><t>2026-10-6 16:1:2</t></is></c><c r="G2" t="inlineStr"><is><t>at android.telephony.TelephonyManager.getDeviceId(Native Method)</t></is></c></row></sheetData></worksheet>' > "$tmp/xl/worksheets/sheet1.xml"
(cd "$tmp" && zip -q -X -r camille_seed.xlsx '[Content_Types].xml' xl)
cp "$tmp/camille_seed.xlsx" "$out/"
rm -rf "$tmp"
