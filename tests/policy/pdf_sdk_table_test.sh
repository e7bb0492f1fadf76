#!/bin/sh
# A policy published as PDF with its SDK list as a table: the HTML below is printed by Debian's
# Chromium (two table styles: Chromium's defaults, cells centred vertically; and bordered,
# padded, top-aligned cells), and `piaudit policy` must list every SDK row with its purpose,
# provider, link and catalogue id, read from the page geometry (src/policy/pdf_tables.h).
# Skips (77) without Chromium. Usage: pdf_sdk_table_test.sh PIAUDIT
set -eu
PIAUDIT=$1
CHROMIUM=${PIAUDIT_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "pdf_sdk_table_test: $CHROMIUM missing: skipped"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat > "$T/plain.html" <<'HTML'
<html><head><meta charset="utf-8"></head><body>
<h2>三、第三方SDK目录</h2>
<p>我们接入的第三方SDK如下：</p>
<table border="1">
<tr><th>SDK名称</th><th>使用目的</th><th>收集的个人信息</th><th>第三方公司名称</th><th>隐私政策链接</th></tr>
<tr><td>友盟SDK</td><td>统计分析</td><td>设备信息、IP地址</td><td>友盟同欣（北京）科技有限公司</td><td>https://www.umeng.com/policy</td></tr>
<tr><td>极光推送</td><td>推送消息</td><td>设备标识信息、网络信息</td><td>深圳市和讯华谷信息技术有限公司</td><td>https://www.jiguang.cn/license/privacy</td></tr>
<tr><td>新知文档SDK</td><td>文档预览</td><td>设备型号</td><td>新知科技有限公司</td><td>https://example.com/privacy</td></tr>
</table>
<p>四、我们如何保护您的个人信息</p>
</body></html>
HTML
cat > "$T/bordered.html" <<'HTML'
<html><head><meta charset="utf-8"><style>body{font-size:14px} table{border-collapse:collapse}
td,th{border:1px solid #000;padding:6px;vertical-align:top;text-align:left}</style></head><body>
<p>4.3 第三方SDK清单。我们的产品集成了以下第三方SDK，具体如下：</p>
<table>
<tr><th>序号</th><th>第三方SDK名称</th><th>合作方主体</th><th>使用目的</th><th>收集个人信息类型</th></tr>
<tr><td>1</td><td>高德定位SDK</td><td>高德软件有限公司</td><td>为用户提供定位服务，展示附近的门店</td><td>精确位置信息、设备信息、WiFi信息</td></tr>
<tr><td>2</td><td>个推推送SDK</td><td>每日互动股份有限公司</td><td>推送消息</td><td>设备标识符（IMEI、OAID、Android ID）、网络信息</td></tr>
<tr><td>3</td><td>腾讯Bugly</td><td>深圳市腾讯计算机系统有限公司</td><td>崩溃日志收集与分析</td><td>设备型号、系统版本、崩溃日志</td></tr>
</table>
<p>我们会对上述第三方进行严格的安全检测。</p>
</body></html>
HTML
for name in plain bordered; do
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --user-data-dir="$T/profile-$name" --print-to-pdf="$T/$name.pdf" "file://$T/$name.html" \
    > "$T/chromium-$name.log" 2>&1 || { cat "$T/chromium-$name.log"; exit 1; }
  "$PIAUDIT" policy "$T/$name.pdf" --format json > "$T/$name.json"
done
python3 - "$T" <<'PY'
import json, sys
t = sys.argv[1]
def rows(name):
    d = json.load(open(f"{t}/{name}.json"))
    assert d["format"] == "pdf", d["format"]
    return [(r["source"], r["name"], r["id"], r["purpose"], r["provider"], r["link"]) for r in d["sdk_list"]]
want = {
    "plain": [
        ("table", "友盟SDK", "umeng", "统计分析", "友盟同欣（北京）科技有限公司", "https://www.umeng.com/policy"),
        ("table", "极光推送", "jpush", "推送消息", "深圳市和讯华谷信息技术有限公司",
         "https://www.jiguang.cn/license/privacy"),
        ("table", "新知文档SDK", "", "文档预览", "新知科技有限公司", "https://example.com/privacy"),
    ],
    "bordered": [
        ("table", "高德定位SDK", "amap", "为用户提供定位服务，展示附近的门店", "高德软件有限公司", ""),
        ("table", "个推推送SDK", "getui", "推送消息", "每日互动股份有限公司", ""),
        ("table", "腾讯Bugly", "bugly", "崩溃日志收集与分析", "深圳市腾讯计算机系统有限公司", ""),
    ],
}
bad = 0
for name, expected in want.items():
    got = rows(name)
    if got != expected:
        bad += 1
        print(f"{name}: got {json.dumps(got, ensure_ascii=False)}\nwant {json.dumps(expected, ensure_ascii=False)}")
print("pdf_sdk_table_test: ok" if not bad else "pdf_sdk_table_test: FAILED")
sys.exit(1 if bad else 0)
PY
