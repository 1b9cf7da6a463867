#!/usr/bin/env python3
"""Independent check of protocol/src/test/resources/org/allium/protocol/golden-v1.txt
against PROTOCOL.md, written from the spec alone (no Java, no protobuf library):
frame lengths, a minimal protobuf decoder, the transcript layout, and both ed25519
signatures (Python 'cryptography'). Prints OK or raises.
Run:  python3 protocol/tools/check_golden.py
"""
import hashlib, struct, sys, os
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives import serialization

path = os.path.join(os.path.dirname(__file__), '..', 'src/test/resources/org/allium/protocol/golden-v1.txt')

def varint(b, i):
    shift = v = 0
    while True:
        c = b[i]; i += 1
        v |= (c & 0x7f) << shift; shift += 7
        if not c & 0x80: return v, i

def fields(b):
    """{field number: [values]} of one protobuf message (varint and length-delimited only)."""
    out, i = {}, 0
    while i < len(b):
        key, i = varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0: v, i = varint(b, i)
        elif wt == 2:
            n, i = varint(b, i); v = b[i:i + n]; i += n
        else: raise ValueError('unexpected wire type %d' % wt)
        out.setdefault(num, []).append(v)
    return out

def pub(seed):
    return ed25519.Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)

vals, frames = {}, {}
for line in open(path):
    line = line.strip()
    if not line or line.startswith('#'): continue
    p = line.split(' ')
    if p[0] == 'frame': frames[p[1]] = bytes.fromhex(p[2])
    else: vals[p[0]] = p[1]

alice, bob = pub(bytes.fromhex(vals['alice.seed'])), pub(bytes.fromhex(vals['bob.seed']))
for n in ('1', '2'):
    env = {}
    for name, f in frames.items():
        if not name.startswith(n + '.'): continue
        (length,) = struct.unpack('>I', f[:4])
        assert length == len(f) - 4 and 0 < length <= 4096, name
        top = fields(f[4:])
        assert len(top) == 1, 'exactly one body: ' + name
        env[name.split('.')[2]] = (list(top)[0], fields(top[list(top)[0]][0]))
    num, hello = env['hello']; assert num == 1
    num, chal = env['challenge']; assert num == 2
    versions = hello[1]  # proto3 packs repeated uint32: one length-delimited value
    vlist = []
    i = 0
    while i < len(versions[0]):
        v, i = varint(versions[0], i); vlist.append(v)
    version = chal[1][0]
    assert version == max(set(vlist) & {1})
    purpose = hello[4][0]
    t = struct.pack('>I', version) + bytes([len(vlist)]) + b''.join(struct.pack('>I', v) for v in vlist)
    t += struct.pack('>I', purpose) + hello[3][0] + chal[3][0] + hello[5][0] + hello[2][0] + chal[2][0]
    assert hello[3][0] == alice and chal[3][0] == bob
    assert t.hex() == vals[n + '.transcript'], 'transcript ' + n
    h = hashlib.sha256(t).digest()
    assert h.hex() == vals[n + '.transcript_hash']
    client_sig = env['auth'][1][1][0]; server_sig = env['auth_ok'][1][1][0]
    ed25519.Ed25519PublicKey.from_public_bytes(alice).verify(client_sig, b'allium/v1/handshake/client' + h)
    ed25519.Ed25519PublicKey.from_public_bytes(bob).verify(server_sig, b'allium/v1/handshake/server' + h)
print('OK')
