"""Many damaged result files and checkpoints: raw bit flips, byte runs and truncations (as a disk
or a transfer damages a file), and attribute changes made with h5py then re-sealed (as a buggy
writer would). Every variant must be refused with exit 2 naming the file, or, if wedge accepts
it, equal the good file's statistics; never a crash or a hang.
Usage: damage_many.py WEDGE GOOD.h5 CHECKPOINT_OUT COUNT WORKDIR"""
import os, random, shutil, struct, subprocess, sys, zlib

import h5py
import numpy as np

wedge, good, count, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rng = random.Random(int(os.environ.get("SEED", "1")))
data = open(good, "rb").read()
base = subprocess.run([wedge, "info", good], capture_output=True, text=True).stdout.split("\n", 3)[-1]


def reseal(path):
    d = open(path, "rb").read()
    if d[-24:-16] == b"WEDGESUM":
        d = d[:-24]
    open(path, "wb").write(d + b"WEDGESUM" + struct.pack("<QQ", len(d), zlib.crc32(d)))


def attr_change(path):
    with h5py.File(path, "r+") as f:
        g = f if rng.random() < 0.6 else f["state"]
        keys = list(g.attrs.keys())
        k = rng.choice(keys)
        kind = rng.randrange(4)
        if kind == 0:
            del g.attrs[k]
        elif kind == 1:
            g.attrs[k] = "garbage"
        elif kind == 2:
            g.attrs[k] = np.uint64(rng.randrange(0, 1 << 63))
        else:
            g.attrs[k] = np.arange(rng.randrange(0, 5), dtype=np.int64)
    reseal(path)
    return "attr %s kind %d" % (k, kind)


crashes = wrong = refused = accepted = 0
for i in range(count):
    path = os.path.join(work, "d%d.h5" % i)
    mode = rng.randrange(4)
    if mode == 0:
        b = bytearray(data)
        for _ in range(rng.randrange(1, 4)):
            p = rng.randrange(len(b))
            b[p] ^= 1 << rng.randrange(8)
        open(path, "wb").write(bytes(b)); what = "bit flips"
    elif mode == 1:
        b = bytearray(data)
        p = rng.randrange(len(b))
        n = rng.randrange(1, 256)
        b[p:p + n] = bytes(rng.randrange(256) for _ in range(min(n, len(b) - p)))
        open(path, "wb").write(bytes(b)); what = "byte run"
    elif mode == 2:
        open(path, "wb").write(data[: rng.randrange(len(data))]); what = "truncated"
    else:
        shutil.copyfile(good, path); what = attr_change(path)
    try:
        r = subprocess.run([wedge, "info", path], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        crashes += 1; print("HANG", i, what); continue
    if r.returncode == 2 and path in r.stderr:
        refused += 1
    elif r.returncode == 0:
        accepted += 1
        if r.stdout.split("\n", 3)[-1] != base and "attr" not in what:
            wrong += 1; print("WRONG", i, what)
    else:
        crashes += 1; print("BAD EXIT", r.returncode, i, what, r.stderr[-300:])
    os.remove(path)
print("%d damaged files: %d refused (exit 2), %d accepted, %d wrong, %d crashes/hangs/other exits"
      % (count, refused, accepted, wrong, crashes))
sys.exit(1 if crashes or wrong else 0)
