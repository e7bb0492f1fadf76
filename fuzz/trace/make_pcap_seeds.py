#!/usr/bin/env python3
"""Writes the pcap/pcapng seeds of pcap_reader_fuzzer into DIR (no binary is committed).

Each seed is a tiny capture of one thing the reader decodes: an HTTP request split over two TCP
segments out of order, DNS query and response with compression pointers, a TLS ClientHello with
SNI, the same on Linux cooked v2 and raw IP links, and a pcapng file.
"""
import os
import struct
import sys


def ipv4(src, dst, proto, payload, frag=0):
    return struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, frag, 64, proto, 0,
                       bytes(src), bytes(dst)) + payload


def tcp(sport, dport, seq, flags, payload=b""):
    return struct.pack(">HHIIBBHHH", sport, dport, seq, 0, 0x50, flags, 65535, 0, 0) + payload


def udp(sport, dport, payload):
    return struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload


def ether(packet, ethertype=0x0800):
    return b"\x02" * 12 + struct.pack(">H", ethertype) + packet


def pcap(frames, link=1):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, link)
    for i, f in enumerate(frames):
        out += struct.pack("<IIII", 1796544000, i * 1000, len(f), len(f)) + f
    return out


def dns_name(name):
    return b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"


def client_hello(sni):
    name = struct.pack(">HBH", len(sni) + 3, 0, len(sni)) + sni.encode()
    ext = struct.pack(">HH", 0, len(name)) + name
    body = b"\x03\x03" + b"\x11" * 32 + b"\x00" + b"\x00\x02\x13\x01" + b"\x01\x00"
    body += struct.pack(">H", len(ext)) + ext
    hs = b"\x01" + struct.pack(">I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack(">H", len(hs)) + hs


C, S, R = [10, 0, 0, 2], [127, 0, 0, 1], [8, 8, 8, 8]
req = (b"POST /v3?imei=861234567890123 HTTP/1.1\r\nHost: data.mistat.xiaomi.com\r\n"
       b"Content-Length: 5\r\n\r\nmac=1GET /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
       b"3\r\nabc\r\n0\r\n\r\n")
http = [ether(ipv4(C, S, 6, tcp(4000, 80, 99, 0x02))),
        ether(ipv4(C, S, 6, tcp(4000, 80, 140, 0x18, req[40:]))),
        ether(ipv4(C, S, 6, tcp(4000, 80, 100, 0x18, req[:40]))),
        ether(ipv4(C, S, 6, tcp(4000, 80, 100 + len(req), 0x11)))]
query = struct.pack(">HHHHHH", 1, 0x0100, 1, 0, 0, 0) + dns_name("android.bugly.qq.com") + b"\0\1\0\1"
answer = (struct.pack(">HHHHHH", 1, 0x8180, 1, 2, 0, 0) + dns_name("android.bugly.qq.com") +
          b"\0\1\0\1" + b"\xc0\x0c\x00\x05\x00\x01\0\0\0\x3c\x00\x06\x03cdn\xc0\x0c" +
          b"\xc0\x2e\x00\x01\x00\x01\0\0\0\x3c\x00\x04\x01\x02\x03\x04")
dns = [ether(ipv4(C, R, 17, udp(5353, 53, query))), ether(ipv4(R, C, 17, udp(53, 5353, answer)))]
hello = client_hello("alog.umeng.com")
tls = [ether(ipv4(C, S, 6, tcp(4001, 443, 1, 0x18, hello[:20]))),
       ether(ipv4(C, S, 6, tcp(4001, 443, 21, 0x18, hello[20:])))]
sll2 = struct.pack(">HHIHBB8s", 0x0800, 0, 1, 1, 0, 6, b"\0" * 8)

frame = http[2]
epb_len = 32 + (len(frame) + 3) // 4 * 4
ng = struct.pack("<IIIHHqI", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1, 28)
ng += struct.pack("<IIHHII", 1, 20, 1, 0, 65535, 20)
ng += struct.pack("<IIIIIII", 6, epb_len, 0, 0, 1000, len(frame), len(frame))
ng += frame + b"\0" * ((4 - len(frame) % 4) % 4) + struct.pack("<I", epb_len)

seeds = {
    "http.pcap": pcap(http),
    "dns.pcap": pcap(dns),
    "tls.pcap": pcap(tls),
    "sll2.pcap": pcap([sll2 + ipv4(C, R, 17, udp(5353, 53, query))], link=276),
    "raw.pcap": pcap([ipv4(C, S, 6, tcp(4002, 80, 1, 0x18, req[:60]))], link=101),
    "frag.pcap": pcap([ether(ipv4(C, R, 17, udp(5353, 53, query), frag=0x2000))]),
    "http.pcapng": ng,
}
os.makedirs(sys.argv[1], exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(sys.argv[1], name), "wb") as f:
        f.write(data)
