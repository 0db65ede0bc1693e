#!/usr/bin/env python3
"""Rebuilds a pair's deformable map from its flow_fields rows as a NIfTI displacement field, the same
file as the exported displacement.nii.gz: 5-D float32, dim [5, nx, ny, nz, 1, d], intent 1007
(vector), the fixed grid's geometry in sform and qform (RAS, as every NIfTI affine), the components in
LPS millimetres as ITK, elastix and ANTs read them (docs/CONVENTIONS.md). Standard library only.

The rows come as JSON lines, as `scripts/sql.sh --format json` prints them:

  scripts/sql.sh --tables DIR --format json --limit 100000 \\
    "SELECT * FROM flow_fields WHERE run_id = 'demo' AND pair_id = 'sample_3d'" \\
    | python3 scripts/python/flow_field_nifti.py displacement.nii.gz

A missing slice is an error naming it (raise --limit when a field has more slices than rows came).
"""
import gzip
import json
import math
import struct
import sys

INTENT_VECTOR = 1007
FLOAT32 = 16


def read_rows(lines):
    rows = [json.loads(line) for line in lines if line.strip()]
    if not rows:
        sys.exit("no flow_fields rows on the input")
    keys = {(r.get("run_id"), r["pair_id"], r["stage"]) for r in rows}
    if len(keys) > 1:
        sys.exit(f"rows of {len(keys)} fields on the input ({sorted(map(str, keys))[:3]}...): select one pair and stage")
    return sorted(rows, key=lambda r: r["slice"])


def check_slices(rows):
    size = rows[0]["size"]
    slices = size[2] if rows[0]["dim"] == 3 else 1
    have = [r["slice"] for r in rows]
    missing = sorted(set(range(slices)) - set(have))
    if missing or len(have) != slices:
        sys.exit(f"got {len(have)} of the field's {slices} slices (missing {missing[:5]}): "
                 "select every row of the pair (raise sql.sh --limit)")


def affine_ras(rows):
    """The 4x4 voxel-to-RAS matrix: LPS origin + direction * diag(spacing), x and y negated."""
    r = rows[0]
    d = r["dim"]
    spacing, origin, direction = r["spacing"], r["origin"], r["direction"]
    m = [[0.0] * 4 for _ in range(4)]
    for i in range(3):
        for j in range(3):
            m[i][j] = direction[i * d + j] * spacing[j] if i < d and j < d else float(i == j)
        m[i][3] = origin[i] if i < d else 0.0
    m[3][3] = 1.0
    for i in range(2):
        m[i] = [-v for v in m[i]]
    return m


def quaternion(m):
    """qform's (b, c, d, qfac) of the rotation in m's columns (spacing divided out), as nifti1_io computes it."""
    cols = [[m[i][j] for i in range(3)] for j in range(3)]
    cols = [[x / math.sqrt(sum(v * v for v in c)) for x in c] for c in cols]
    r = [[cols[j][i] for j in range(3)] for i in range(3)]
    det = (r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
           + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]))
    qfac = 1.0
    if det < 0:
        qfac = -1.0
        for i in range(3):
            r[i][2] = -r[i][2]
    a = r[0][0] + r[1][1] + r[2][2] + 1.0
    if a > 0.5:
        a = 0.5 * math.sqrt(a)
        b = 0.25 * (r[2][1] - r[1][2]) / a
        c = 0.25 * (r[0][2] - r[2][0]) / a
        d = 0.25 * (r[1][0] - r[0][1]) / a
    else:
        xd = 1.0 + r[0][0] - (r[1][1] + r[2][2])
        yd = 1.0 + r[1][1] - (r[0][0] + r[2][2])
        zd = 1.0 + r[2][2] - (r[0][0] + r[1][1])
        if xd > 1.0:
            b = 0.5 * math.sqrt(xd)
            c = 0.25 * (r[0][1] + r[1][0]) / b
            d = 0.25 * (r[0][2] + r[2][0]) / b
            a = 0.25 * (r[2][1] - r[1][2]) / b
        elif yd > 1.0:
            c = 0.5 * math.sqrt(yd)
            b = 0.25 * (r[0][1] + r[1][0]) / c
            d = 0.25 * (r[1][2] + r[2][1]) / c
            a = 0.25 * (r[0][2] - r[2][0]) / c
        else:
            d = 0.5 * math.sqrt(zd)
            b = 0.25 * (r[0][2] + r[2][0]) / d
            c = 0.25 * (r[1][2] + r[2][1]) / d
            a = 0.25 * (r[1][0] - r[0][1]) / d
        if a < 0:
            b, c, d = -b, -c, -d
    return b, c, d, qfac


def header(rows, m):
    r = rows[0]
    d = r["dim"]
    size = r["size"] + [1] * (3 - len(r["size"]))
    spacing = r["spacing"] + [1.0] * (3 - len(r["spacing"]))
    b, c, qd, qfac = quaternion(m)
    h = bytearray(348)
    struct.pack_into("<i", h, 0, 348)
    struct.pack_into("<8h", h, 40, 5, size[0], size[1], size[2], 1, d, 1, 1)
    struct.pack_into("<h", h, 68, INTENT_VECTOR)
    struct.pack_into("<hh", h, 70, FLOAT32, 32)
    struct.pack_into("<8f", h, 76, qfac, spacing[0], spacing[1], spacing[2], 1.0, 1.0, 1.0, 1.0)
    struct.pack_into("<f", h, 108, 352.0)
    struct.pack_into("<f", h, 112, 1.0)  # scl_slope
    struct.pack_into("<B", h, 123, 2)  # xyzt_units: millimetres
    struct.pack_into("<hh", h, 252, 1, 1)  # qform_code, sform_code: scanner
    struct.pack_into("<6f", h, 256, b, c, qd, m[0][3], m[1][3], m[2][3])
    for i in range(3):
        struct.pack_into("<4f", h, 280 + 16 * i, *m[i])
    h[344:348] = b"n+1\0"
    return bytes(h) + b"\0\0\0\0"


def voxels(rows):
    components = ["u_x", "u_y", "u_z"][: rows[0]["dim"]]
    out = bytearray()
    for name in components:  # one whole component volume after another
        for r in rows:
            out += struct.pack(f"<{len(r[name])}f", *[float(v) for v in r[name]])
    return bytes(out)


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(sys.argv) == 2 else 2)
    rows = read_rows(sys.stdin)
    check_slices(rows)
    data = header(rows, affine_ras(rows)) + voxels(rows)
    target = sys.argv[1]
    with (gzip.open(target, "wb") if target.endswith(".gz") else open(target, "wb")) as f:
        f.write(data)


if __name__ == "__main__":
    main()
