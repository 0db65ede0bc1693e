#!/usr/bin/python3
"""Registration accuracy benchmark on real anatomy with a known fixed->moving map.

Images and labels come from Debian's mricron-data templates (human JHU T1 + NatBrainLab tracts, macaque
INIA19 T1 + NeuroMaps). Each pair is a fixed template and a moving image made by warping it through a
random affine and a random diffeomorphism, so the true map is known everywhere. Every method is scored
against that map (point error in mm, label Dice, folding, SDlogJ) and timed as whole commands.

Run with Debian's Python (numpy, scipy, nibabel, dipy):
  /usr/bin/python3 scripts/anatomy_bench.py --out DIR [--pairs N] [--seed S] [--sets human,macaque]
      [--kind deformable|linear] [--dims 3,2] [--modalities mono,multi[,rot10]]
      [--methods warpspark,warpspark-symmetric,elastix,dipy]
      [--warpspark-cmd CMD] [--warpspark-args "..."] [--threads T]
Defaults: 2 pairs per data set, modality mono (`--multimodal` = `--modalities mono,multi`), all cores.
Data (2 mm human 95x111x84, 1 mm macaque 100x119x80, each with an 8-voxel margin, and their central axial
slices) and pairs are generated once per seed and cached in DIR; results are appended to DIR/results.jsonl.
Scores are over the fixed brain mask (intensity > 10 % of the 99th percentile, filled, union labels > 0),
except folding, which counts the whole fixed grid.
`--methods truth` writes the true map in the on-disk layout warpspark uses, to check the scorer (error 0).

`job [--pairs N] [--sets ...] [--stages affine|affine,deformable] [--threads T] [--batch-sizes 1,3]` times
throughput instead: the batch job (scripts/run-job.sh on local[T], --exports, once per --batch-size) over all 3D
pairs of the sets against elastix (-threads T,
with transformix -def) run pair after pair on the same pairs, prints pairs per minute and the mean error of
both, and the job's mean seconds per part from registrations.timings. Affine work uses pairs whose true map is
an affine (model affine for both tools).

`--kind linear` benchmarks the affine stage alone (default `--dims 2`): pairs `<set>_<d>d_lin_p<k>` with a random
affine and no deformation (modalities mono, multi) and one pair `<set>_<d>d_rot10`, the fixed image rotated by
exactly 10 degrees about its centre (modality rot10, mono contrast). warpspark gets `--stages affine --model
affine` (rot10: `--model rigid`) ahead of `--warpspark-args` and its transform.tfm is scored; elastix runs the
affine parameter file only, dipy stops after its affine (rot10: rigid) stage. Rows add the rotation error of
an affine fitted to the result. `--methods truth-tfm` writes the true affine as an ITK transform file and
reads it back the way warpspark's is read (error 0). `--then-deform` runs each method's deformable stage after
its linear one (warpspark `--stages affine,deformable`, elastix the B-spline, dipy SyN): the rows show how far
each drifts from a map that needed no deformation.

Conventions (as ITK/elastix and docs/CONVENTIONS.md): physical space is LPS millimetres, lps =
diag(-1,-1,1) ras of the NIfTI affine; a method's result is fixedToMoving, a displacement field U on the
fixed grid with x -> x + U(x), stored as 5-D NIfTI (nx, ny, nz, 1, d), components in LPS.
"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time

import numpy as np
import nibabel as nib
from scipy import ndimage as ndi

TEMPLATES = '/usr/share/mricron/templates'
DATASETS = {
    # name: (image, labels, block factor to reach the benchmark resolution)
    'human': ('jhu189.nii.gz', 'natbrainlab.nii.gz', 2),      # 1 mm -> 2 mm
    'macaque': ('inia19-t1-brain.nii.gz', 'inia19-NeuroMaps.nii.gz', 2),  # 0.5 mm -> 1 mm
}
RAS2LPS = np.diag([-1.0, -1.0, 1.0, 1.0])
VEL_SIGMA, VEL_MAX = 8.0, 5.0  # velocity smoothness and amplitude, voxels
MARGIN = 8  # voxels added on every side at benchmark resolution
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def log(*a):
    print(*a, flush=True)


# ----------------------------------------------------------------------------- geometry

def lps_affine(ras4, dim):
    """(dim+1)x(dim+1) index->LPS matrix. A 2-D image keeps the in-plane block of its 4x4 (axial slice)."""
    m = RAS2LPS @ ras4
    if dim == 3:
        return m
    out = np.eye(3)
    out[:2, :2] = m[:2, :2]
    out[:2, 2] = m[:2, 3]
    return out


def grid_points(g, shape):
    """LPS points of every voxel centre, shape (d, *shape)."""
    idx = np.indices(shape, dtype=np.float64)
    d = len(shape)
    return np.tensordot(g[:d, :d], idx, axes=1) + g[:d, d].reshape((d,) + (1,) * d)


def to_index(g, pts):
    d = pts.shape[0]
    gi = np.linalg.inv(g)
    return np.tensordot(gi[:d, :d], pts, axes=1) + gi[:d, d].reshape((d,) + (1,) * (pts.ndim - 1))


def sample(img, g, pts, order=1, mode='constant', cval=0.0):
    """img (on grid g) at LPS points pts (d, ...)."""
    return ndi.map_coordinates(img, to_index(g, pts), order=order, mode=mode, cval=cval, prefilter=False)


def sample_field(u, g, pts):
    """Vector field u (d, *shape) at points, linear, edge-clamped (the field continues flat outside)."""
    return np.stack([sample(c, g, pts, 1, 'nearest') for c in u])


def sample_labels(lab, g, pts):
    idx = np.rint(to_index(g, pts)).astype(np.int64)
    inside = np.ones(idx.shape[1:], bool)
    for a in range(idx.shape[0]):
        inside &= (idx[a] >= 0) & (idx[a] < lab.shape[a])
        idx[a] = np.clip(idx[a], 0, lab.shape[a] - 1)
    return np.where(inside, lab[tuple(idx)], 0)


def exp_field(v, g, squarings=7):
    """exp(v) - id for a stationary velocity v (LPS mm on grid g) by scaling and squaring."""
    u = v / 2.0 ** squarings
    x = grid_points(g, v.shape[1:])
    for _ in range(squarings):
        u = u + sample_field(u, g, x + u)
    return u


def jacobian_det(t, g):
    """det(dT/dx) of a map given as LPS points t (d, *shape) on grid g, central differences
    (one-sided at borders), in physical units."""
    d = t.shape[0]
    dti = np.stack([np.stack(np.gradient(t[c], axis=tuple(range(d))), 0) for c in range(d)], 0)  # [c, i]
    jac = np.moveaxis(dti, (0, 1), (-2, -1))
    return np.linalg.det(jac) / np.linalg.det(g[:d, :d])


def random_affine(rng, g, shape, deg=10.0, shift_vox=5.0, scale=0.08):
    """Homogeneous LPS affine about the image centre."""
    d = len(shape)
    sp = np.linalg.norm(g[:d, :d], axis=0)
    c = g[:d, :d] @ ((np.array(shape) - 1) / 2.0) + g[:d, d]
    ang = np.deg2rad(rng.uniform(-deg, deg, 3 if d == 3 else 1))
    if d == 2:
        ca, sa = np.cos(ang[0]), np.sin(ang[0])
        r = np.array([[ca, -sa], [sa, ca]])
    else:
        r = np.eye(3)
        for ax, a in enumerate(ang):
            ca, sa = np.cos(a), np.sin(a)
            i, j = [k for k in range(3) if k != ax]
            rot = np.eye(3)
            rot[i, i], rot[i, j], rot[j, i], rot[j, j] = ca, -sa, sa, ca
            r = rot @ r
    m = r @ np.diag(1.0 + rng.uniform(-scale, scale, d))
    t = rng.uniform(-shift_vox, shift_vox, d) * sp
    a = np.eye(d + 1)
    a[:d, :d] = m
    a[:d, d] = c + t - m @ c
    return a


def apply_affine(a, pts):
    d = pts.shape[0]
    return np.tensordot(a[:d, :d], pts, axes=1) + a[:d, d].reshape((d,) + (1,) * (pts.ndim - 1))


def image_centre(g, shape):
    d = len(shape)
    return g[:d, :d] @ ((np.array(shape) - 1) / 2.0) + g[:d, d]


def rotation_about_centre(g, shape, deg):
    """Homogeneous LPS rotation by deg about the image centre, in the axial plane (about z in 3-D)."""
    d = len(shape)
    c = image_centre(g, shape)
    ca, sa = np.cos(np.deg2rad(deg)), np.sin(np.deg2rad(deg))
    m = np.eye(d)
    m[:2, :2] = [[ca, -sa], [sa, ca]]
    a = np.eye(d + 1)
    a[:d, :d] = m
    a[:d, d] = c - m @ c
    return a


def fit_affine(x, t, mask):
    """Least-squares homogeneous affine taking the points x to t over the mask."""
    d = x.shape[0]
    xs = np.concatenate([x[:, mask].T, np.ones((int(mask.sum()), 1))], 1)
    sol = np.linalg.lstsq(xs, t[:, mask].T, rcond=None)[0]
    a = np.eye(d + 1)
    a[:d, :] = sol.T
    return a


def rotation_angle_deg(a, b):
    """Angle of the rotation between the rotation parts (polar decomposition) of two affines."""
    d = a.shape[0] - 1

    def rot(m):
        u, _, vt = np.linalg.svd(m[:d, :d])
        return u @ vt
    r = rot(a) @ rot(b).T
    if d == 2:
        return float(abs(np.rad2deg(np.arctan2(r[1, 0], r[0, 0]))))
    return float(np.rad2deg(np.arccos(np.clip((np.trace(r) - 1.0) / 2.0, -1.0, 1.0))))


# ----------------------------------------------------------------------------- ITK transform files
# ITK's affine family stores y = M (x - c) + c + t: Parameters = M row-major then t, FixedParameters = c;
# fixed LPS points to moving LPS points (docs/CONVENTIONS.md).

def format_tfm(a, centre):
    """The ITK text of the homogeneous affine a (fixed -> moving, LPS) about centre, as ITK writes it."""
    d = a.shape[0] - 1
    m = a[:d, :d]
    c = np.asarray(centre, np.float64)
    t = a[:d, d] + m @ c - c
    nums = lambda v: ' '.join(repr(float(x)) for x in v)
    return ('#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_double_%d_%d\n'
            'Parameters: %s\nFixedParameters: %s\n' % (d, d, nums(list(m.ravel()) + list(t)), nums(c)))


def read_tfm(path, dim):
    """Homogeneous affine (fixed -> moving, LPS) from a single-transform ITK file of the affine family."""
    kinds, params, fixed = [], None, None
    with open(path) as fh:
        for line in fh:
            key, _, val = line.partition(':')
            key = key.strip()
            if key == 'Transform':
                kinds.append(val.strip())
            elif key == 'Parameters':
                params = np.array([float(v) for v in val.split()])
            elif key == 'FixedParameters':
                fixed = np.array([float(v) for v in val.split()])
    if len(kinds) != 1:
        raise ValueError('%s: expected one transform, found %s' % (path, kinds))
    base = kinds[0].split('_')[0]
    if base not in ('AffineTransform', 'MatrixOffsetTransformBase'):
        raise ValueError('%s: unsupported transform %s' % (path, kinds[0]))
    if params is None or fixed is None or params.size != dim * dim + dim or fixed.size != dim:
        raise ValueError('%s: %s does not hold a %d-D affine' % (path, kinds[0], dim))
    m, t = params[:dim * dim].reshape(dim, dim), params[dim * dim:]
    a = np.eye(dim + 1)
    a[:dim, :dim] = m
    a[:dim, dim] = fixed + t - m @ fixed
    return a


def tfm_to_displacement(tfm, out_path, ctx):
    """The affine of an ITK file as a displacement on the fixed grid, for the scorer."""
    g, shape, dim = ctx['g'], ctx['shape'], ctx['dim']
    x = grid_points(g, shape)
    write_displacement(out_path, apply_affine(read_tfm(tfm, dim), x) - x, ctx['ras'])
    return out_path


# ----------------------------------------------------------------------------- NIfTI i/o

def save(path, data, ras4, dtype=None):
    data = np.asarray(data if dtype is None else data.astype(dtype))
    img = nib.Nifti1Image(data, ras4)
    img.header.set_data_dtype(data.dtype)
    img.set_sform(ras4, 1)
    img.set_qform(ras4, 1)
    nib.save(img, path)


def write_displacement(path, u, ras4):
    """ITK layout: (nx, ny, nz, 1, d) float32, intent vector, components in LPS."""
    d = u.shape[0]
    comp = np.moveaxis(u, 0, -1).astype(np.float32)
    if d == 2:
        comp = comp[:, :, None, :]
    img = nib.Nifti1Image(comp[:, :, :, None, :], ras4)
    img.header.set_intent('vector')
    img.set_sform(ras4, 1)
    img.set_qform(ras4, 1)
    nib.save(img, path)


def read_displacement(path, dim, shape, ras4):
    img = nib.load(path)
    a = np.asanyarray(img.dataobj).astype(np.float64)
    if a.ndim == 5:
        a = a[:, :, :, 0, :]
    if dim == 2:
        a = a.reshape(a.shape[0], a.shape[1], -1)
    u = np.moveaxis(a, -1, 0)
    if u.shape[0] != dim or u.shape[1:] != tuple(shape):
        raise ValueError('%s: field shape %s, expected (%d, %s)' % (path, a.shape, dim, shape))
    g_file = lps_affine(img.affine, dim)
    g_ref = lps_affine(ras4, dim)
    if not np.allclose(g_file, g_ref, atol=1e-3):
        raise ValueError('%s: grid differs from the fixed image\n%s\n%s' % (path, g_file, g_ref))
    return u


# ----------------------------------------------------------------------------- data

def block_reduce(a, f, labels):
    pad = [(0, (-n) % f) for n in a.shape]
    a = np.pad(a, pad)
    sh = []
    for n in a.shape:
        sh += [n // f, f]
    b = a.reshape(sh).transpose(0, 2, 4, 1, 3, 5).reshape(a.shape[0] // f, a.shape[1] // f, a.shape[2] // f, -1)
    if not labels:
        return b.astype(np.float64).mean(-1)
    # majority label of each block: the first value that reaches the top count
    cnt = (b[..., :, None] == b[..., None, :]).sum(-1)
    return np.take_along_axis(b, cnt.argmax(-1)[..., None], -1)[..., 0]


def base_volumes(out, name):
    """The template at benchmark resolution, cached: (image, labels, ras4) for dims 3 and 2."""
    ddir = os.path.join(out, 'data')
    os.makedirs(ddir, exist_ok=True)
    res = {}
    paths = {dim: (os.path.join(ddir, '%s_%dd.nii.gz' % (name, dim)),
                   os.path.join(ddir, '%s_%dd_labels.nii.gz' % (name, dim))) for dim in (3, 2)}
    if not all(os.path.exists(p) for pp in paths.values() for p in pp):
        fi, fl, f = DATASETS[name]
        im = nib.load(os.path.join(TEMPLATES, fi))
        lb = nib.load(os.path.join(TEMPLATES, fl))
        a = np.asanyarray(im.dataobj)
        l = np.asanyarray(lb.dataobj)
        # block average: new voxel j covers old f*j .. f*j+f-1, so its centre is old index f*j + (f-1)/2
        img = block_reduce(a, f, False)
        img = np.rint(img).astype(a.dtype) if a.dtype.kind in 'iu' else img.astype(a.dtype)
        lab = block_reduce(l, f, True).astype(l.dtype)
        scale = np.eye(4)
        scale[:3, :3] *= f
        scale[:3, 3] = (f - 1) / 2.0
        ras = im.affine @ scale
        # the templates are cropped close to the brain: a margin keeps the brain inside the field of view
        # after the random affine (real scans have one too)
        img, lab = np.pad(img, MARGIN), np.pad(lab, MARGIN)
        shift = np.eye(4)
        shift[:3, 3] = -MARGIN
        ras = ras @ shift
        save(paths[3][0], img, ras)
        save(paths[3][1], lab, ras)
        # 2-D: the central axial slice as a true 2-D image; its affine keeps the slice's z position
        k = img.shape[2] // 2
        ras2 = ras.copy()
        ras2[:3, 3] = ras[:3, :3] @ np.array([0, 0, k]) + ras[:3, 3]
        save(paths[2][0], img[:, :, k], ras2)
        save(paths[2][1], lab[:, :, k], ras2)
    for dim, (pi, pl) in paths.items():
        im = nib.load(pi)
        res[dim] = (np.asanyarray(im.dataobj), np.asanyarray(nib.load(pl).dataobj), im.affine)
    return res


def brain_mask(img, lab):
    """Scoring mask: intensity above 10 % of the 99th percentile, holes filled, largest component, union
    labels > 0. (The human labels are white-matter tracts only, so labels alone do not cover the brain.)"""
    p = np.percentile(img[img > 0], 99)
    m = ndi.binary_fill_holes(ndi.binary_opening(img > 0.1 * p))
    cc, n = ndi.label(m)
    if n > 1:
        m = cc == (np.bincount(cc.ravel())[1:].argmax() + 1)
    return m | (lab > 0)


def multimodal_remap(x, p):
    """Non-monotonic map of a T1 (normalised by its 99th percentile p): background stays dark, CSF mid,
    grey matter brightest, white matter darker than grey (the grey/white order is swapped)."""
    n = x / p
    knots = [0.0, 0.1, 0.3, 0.55, 0.75, 1.0, 1.6]
    vals = [0.0, 0.05, 0.5, 1.0, 0.55, 0.35, 0.3]
    return p * np.interp(n, knots, vals)


def make_pair(out, name, dim, k, seed, base):
    """Generate (or load) pair k: fixed, moving (mono and multi), labels, true maps."""
    pdir = os.path.join(out, '%s_%dd_p%d' % (name, dim, k))
    meta_path = os.path.join(pdir, 'truth.npz')
    files = {'fixed': os.path.join(pdir, 'fixed.nii.gz'),
             'fixed_labels': os.path.join(pdir, 'fixed_labels.nii.gz'),
             'moving_mono': os.path.join(pdir, 'moving_mono.nii.gz'),
             'moving_multi': os.path.join(pdir, 'moving_multi.nii.gz'),
             'moving_labels': os.path.join(pdir, 'moving_labels.nii.gz')}
    img0, lab, ras = base[dim]
    if os.path.exists(meta_path) and all(os.path.exists(f) for f in files.values()):
        return pdir, files, dict(np.load(meta_path))
    os.makedirs(pdir, exist_ok=True)
    rng = np.random.default_rng([seed, list(DATASETS).index(name), dim, k])
    shape = img0.shape
    g = lps_affine(ras, dim)
    lin = g[:dim, :dim]
    f_clean = img0.astype(np.float64)

    # smooth stationary velocity (voxel units -> LPS mm); sigma 8 voxels and max |v| 5 voxels give
    # max |exp(v) - id| ~5 voxels with det J within ~0.6..1.7 (a larger ratio of amplitude to smoothness
    # folds or nearly folds)
    vv = np.stack([ndi.gaussian_filter(rng.standard_normal(shape), VEL_SIGMA, mode='reflect') for _ in range(dim)])
    vv *= VEL_MAX / np.sqrt((vv ** 2).sum(0)).max()
    v = np.tensordot(lin, vv, axes=1)
    u_pos = exp_field(v, g)       # D = exp(v)
    u_neg = exp_field(-v, g)      # D^-1 = exp(-v)
    a = random_affine(rng, g, shape)
    x = grid_points(g, shape)
    # S = D o A maps a moving-grid point to the fixed image; T = S^-1 = A^-1 o exp(-v)
    ay = apply_affine(a, x)
    s = ay + sample_field(u_pos, g, ay)
    t = apply_affine(np.linalg.inv(a), x + u_neg)

    m_clean = sample(f_clean, g, s)
    m_lab = sample_labels(lab, g, s)
    mask = brain_mask(f_clean, lab)

    # checks of the ground truth (noise-free): M o T should give back F; S o T should be the identity
    back = sample(m_clean, g, t)
    corr = np.corrcoef(back[mask], f_clean[mask])[0, 1]
    ic = np.sqrt(((sample_field(s - x, g, t) + t - x) ** 2).sum(0))[mask].mean()
    dvox = np.sqrt((np.tensordot(np.linalg.inv(lin), u_pos, axes=1) ** 2).sum(0))
    det_d = jacobian_det(x + u_pos, g)
    det_t = jacobian_det(t, g)
    stats = dict(disp_mean_vox=float(dvox.mean()), disp_max_vox=float(dvox.max()),
                 detD_min=float(det_d.min()), detD_max=float(det_d.max()),
                 detT_min=float(det_t.min()), detT_max=float(det_t.max()),
                 selfcheck_corr=float(corr), truth_inverse_mm=float(ic))
    log('  %s %dd pair %d: exp(v) |u| mean %.2f max %.2f vox, detJ(D) %.2f..%.2f, detJ(T) %.2f..%.2f; '
        'self-check corr(M o T, F) %.4f, |S(T(x))-x| %.4f mm' % (
            name, dim, k, stats['disp_mean_vox'], stats['disp_max_vox'], stats['detD_min'], stats['detD_max'],
            stats['detT_min'], stats['detT_max'], corr, ic))
    if corr < 0.98:
        log('  WARNING: self-check correlation below 0.98')

    for key, arr in acquire(rng, f_clean, m_clean, img0.dtype, True).items():
        save(files[key], arr, ras)
    save(files['fixed_labels'], lab, ras)
    save(files['moving_labels'], m_lab.astype(lab.dtype), ras)
    meta = dict(t=t.astype(np.float32), s=s.astype(np.float32), mask=mask, **stats)
    np.savez_compressed(meta_path, **meta)
    return pdir, files, dict(np.load(meta_path))


def acquire(rng, f_clean, m_clean, dt, multi):
    """Acquisition effects: noise on both, smooth multiplicative bias on the moving image. The draws keep
    their order (bias, fixed, mono, multi) so cached pairs stay reproducible."""
    shape = f_clean.shape
    p99 = np.percentile(f_clean[f_clean > 0], 99)
    bias = ndi.gaussian_filter(rng.standard_normal(shape), np.array(shape) / 4.0, mode='reflect')
    bias = 1.0 + 0.15 * bias / np.abs(bias).max()

    def finish(arr):
        arr = arr + rng.normal(0.0, 0.02 * p99, shape)
        arr = np.maximum(arr, 0.0)
        if dt.kind in 'iu':
            return np.clip(np.rint(arr), 0, np.iinfo(dt).max).astype(dt)
        return arr.astype(dt)

    res = {'fixed': finish(f_clean), 'moving_mono': finish(m_clean * bias)}
    if multi:
        res['moving_multi'] = finish(multimodal_remap(m_clean, p99) * bias)
    return res


def make_linear_pair(out, name, dim, k, seed, base, case):
    """Generate (or load) a pair whose true map is an affine: case 'lin' (pair k, random affine, mono and
    multi moving images) or 'rot10' (10 degrees about the image centre, mono only)."""
    pdir = os.path.join(out, '%s_%dd_lin_p%d' % (name, dim, k) if case == 'lin' else '%s_%dd_rot10' % (name, dim))
    meta_path = os.path.join(pdir, 'truth.npz')
    files = {f: os.path.join(pdir, f + '.nii.gz') for f in ('fixed', 'fixed_labels', 'moving_mono', 'moving_labels')}
    if case == 'lin':
        files['moving_multi'] = os.path.join(pdir, 'moving_multi.nii.gz')
    img0, lab, ras = base[dim]
    if os.path.exists(meta_path) and all(os.path.exists(f) for f in files.values()):
        return pdir, files, dict(np.load(meta_path))
    os.makedirs(pdir, exist_ok=True)
    # a stream of its own (5 entries) so these never share draws with the deformable pairs
    rng = np.random.default_rng([seed, list(DATASETS).index(name), dim, k, 1 if case == 'lin' else 2])
    shape = img0.shape
    g = lps_affine(ras, dim)
    f_clean = img0.astype(np.float64)
    # S = A maps a moving-grid point to the fixed image, so the true fixed->moving map is T = A^-1
    a = random_affine(rng, g, shape) if case == 'lin' else rotation_about_centre(g, shape, 10.0)
    ai = np.linalg.inv(a)
    x = grid_points(g, shape)
    s, t = apply_affine(a, x), apply_affine(ai, x)
    m_clean = sample(f_clean, g, s)
    m_lab = sample_labels(lab, g, s)
    mask = brain_mask(f_clean, lab)
    corr = np.corrcoef(sample(m_clean, g, t)[mask], f_clean[mask])[0, 1]
    log('  %s %dd %s: true map T = A^-1, rotation %.2f deg, self-check corr(M o T, F) %.4f' % (
        name, dim, 'pair %d' % k if case == 'lin' else 'rot10', rotation_angle_deg(ai, np.eye(dim + 1)), corr))
    if corr < 0.98:
        log('  WARNING: self-check correlation below 0.98')
    for key, arr in acquire(rng, f_clean, m_clean, img0.dtype, case == 'lin').items():
        save(files[key], arr, ras)
    save(files['fixed_labels'], lab, ras)
    save(files['moving_labels'], m_lab.astype(lab.dtype), ras)
    meta = dict(t=t.astype(np.float32), s=s.astype(np.float32), mask=mask, affine_t=ai, selfcheck_corr=float(corr))
    np.savez_compressed(meta_path, **meta)
    return pdir, files, dict(np.load(meta_path))


# ----------------------------------------------------------------------------- methods

def run_cmd(cmd, logf, env=None):
    log('    $ ' + ' '.join(shlex.quote(c) for c in cmd))
    with open(logf, 'w') as fh:
        r = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env)
    if r.returncode != 0:
        with open(logf) as fh:
            tail = fh.read()[-2000:]
        raise RuntimeError('exit %d: %s\n%s' % (r.returncode, cmd[0], tail))


def method_warpspark(args, fixed, moving, flab, mlab, mdir, ctx, extra=()):
    cmd = shlex.split(args.warpspark_cmd)
    if not os.path.exists(cmd[0]) and os.path.exists(os.path.join(REPO, cmd[0])):
        cmd[0] = os.path.join(REPO, cmd[0])
    cmd += ['--fixed', fixed, '--moving', moving, '--out', mdir, '--moving-labels', mlab, '--fixed-labels', flab]
    if ctx.get('model'):
        # before the user's arguments, so those can override them
        cmd += ['--stages', 'affine,deformable' if ctx.get('deform') else 'affine', '--model', ctx['model']]
    cmd += list(extra) + shlex.split(args.warpspark_args)
    run_cmd(cmd, os.path.join(mdir, 'log.txt'))
    disp = os.path.join(mdir, 'displacement.nii.gz')
    if ctx.get('model') and not ctx.get('deform') and not os.path.exists(disp):
        # an affine-only run leaves its map in transform.tfm alone
        return tfm_to_displacement(os.path.join(mdir, 'transform.tfm'), os.path.join(mdir, 'tfm_displacement.nii.gz'),
                                   ctx)
    return disp


def method_truth(args, fixed, moving, flab, mlab, mdir, ctx):
    """The true map in warpspark's layout: checks the reader and scorer (expect 0 error)."""
    g, shape, ras = ctx['g'], ctx['shape'], ctx['ras']
    x = grid_points(g, shape)
    write_displacement(os.path.join(mdir, 'displacement.nii.gz'), ctx['truth']['t'] - x, ras)
    write_displacement(os.path.join(mdir, 'inverse_displacement.nii.gz'), ctx['truth']['s'] - x, ras)
    return os.path.join(mdir, 'displacement.nii.gz')


def method_truth_tfm(args, fixed, moving, flab, mlab, mdir, ctx):
    """The true affine written as ITK would write transform.tfm and read back as warpspark's is (expect 0)."""
    if 'affine_t' not in ctx['truth']:
        raise RuntimeError('truth-tfm needs --kind linear (the deformable truth is not an affine)')
    tfm = os.path.join(mdir, 'transform.tfm')
    with open(tfm, 'w') as fh:
        fh.write(format_tfm(ctx['truth']['affine_t'], image_centre(ctx['g'], ctx['shape'])))
    return tfm_to_displacement(tfm, os.path.join(mdir, 'tfm_displacement.nii.gz'), ctx)


def elastix_params(dim, spacing, kind):
    common = {
        'FixedInternalImagePixelType': '"float"', 'MovingInternalImagePixelType': '"float"',
        'FixedImageDimension': dim, 'MovingImageDimension': dim,
        'UseDirectionCosines': '"true"',
        'Registration': '"MultiResolutionRegistration"', 'Interpolator': '"LinearInterpolator"',
        'ResampleInterpolator': '"FinalBSplineInterpolator"', 'FinalBSplineInterpolationOrder': 1,
        'Resampler': '"DefaultResampler"',
        'FixedImagePyramid': '"FixedSmoothingImagePyramid"', 'MovingImagePyramid': '"MovingSmoothingImagePyramid"',
        'Optimizer': '"AdaptiveStochasticGradientDescent"', 'Metric': '"AdvancedMattesMutualInformation"',
        'NumberOfHistogramBins': 32, 'NumberOfResolutions': 3, 'MaximumNumberOfIterations': 250,
        'ImageSampler': '"RandomCoordinate"', 'NumberOfSpatialSamples': 4096,
        'NewSamplesEveryIteration': '"true"', 'HowToCombineTransforms': '"Compose"',
        'WriteResultImage': '"false"', 'ResultImagePixelType': '"float"', 'ResultImageFormat': '"nii"',
        'DefaultPixelValue': 0, 'ErodeMask': '"false"',
    }
    if kind == 'affine':
        common.update({'Transform': '"AffineTransform"', 'AutomaticTransformInitialization': '"true"',
                       'AutomaticTransformInitializationMethod': '"CenterOfGravity"',
                       'AutomaticScalesEstimation': '"true"'})
    else:
        # final control spacing 4 voxels (8 mm at 2 mm data), coarser by 4 and 2 at the earlier levels
        common.update({'Transform': '"BSplineTransform"', 'FinalGridSpacingInPhysicalUnits': 4.0 * spacing,
                       'GridSpacingSchedule': ' '.join(['4'] * dim + ['2'] * dim + ['1'] * dim)})
    return ''.join('(%s %s)\n' % kv for kv in common.items())


def method_elastix(args, fixed, moving, flab, mlab, mdir, ctx):
    sp = float(np.linalg.norm(ctx['g'][:, 0][:ctx['dim']]))
    pa, pb = os.path.join(mdir, 'affine.txt'), os.path.join(mdir, 'bspline.txt')
    with open(pa, 'w') as fh:
        fh.write(elastix_params(ctx['dim'], sp, 'affine'))
    with open(pb, 'w') as fh:
        fh.write(elastix_params(ctx['dim'], sp, 'bspline'))
    th = str(args.threads)
    linear = bool(ctx.get('model')) and not ctx.get('deform')
    run_cmd(['elastix', '-f', fixed, '-m', moving, '-p', pa] + ([] if linear else ['-p', pb]) +
            ['-out', mdir, '-threads', th], os.path.join(mdir, 'elastix_log.txt'))
    tdir = os.path.join(mdir, 'def')
    os.makedirs(tdir, exist_ok=True)
    tp = os.path.join(mdir, 'TransformParameters.%d.txt' % (0 if linear else 1))
    run_cmd(['transformix', '-def', 'all', '-tp', tp, '-out', tdir, '-threads', th],
            os.path.join(mdir, 'transformix_log.txt'))
    for f in ('deformationField.nii', 'deformationField.nii.gz'):
        if os.path.exists(os.path.join(tdir, f)):
            return os.path.join(tdir, f)
    raise RuntimeError('transformix wrote no deformationField.nii in ' + tdir)


def method_dipy(args, fixed, moving, flab, mlab, mdir, ctx):
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    run_cmd([sys.executable, os.path.abspath(__file__), 'dipy-pair', '--fixed', fixed, '--moving', moving,
             '--out', mdir, '--stages', 'syn' if ctx.get('deform') else ctx.get('model') or 'syn'],
            os.path.join(mdir, 'log.txt'), env=env)
    return os.path.join(mdir, 'displacement.nii.gz')


def method_warpspark_symmetric(args, fixed, moving, flab, mlab, mdir, ctx):
    """warpspark with the symmetric (midpoint) deformable model."""
    return method_warpspark(args, fixed, moving, flab, mlab, mdir, ctx, ['--deformable-model', 'symmetric'])


METHODS = {'warpspark': method_warpspark, 'warpspark-symmetric': method_warpspark_symmetric, 'elastix': method_elastix,
           'dipy': method_dipy, 'truth': method_truth, 'truth-tfm': method_truth_tfm}


def dipy_pair(argv):
    """Affine (MI) then SyN (CC) with dipy; writes the fixed->moving map as an ITK displacement field.
    --stages affine or rigid stops after that linear stage."""
    ap = argparse.ArgumentParser(prog='anatomy_bench.py dipy-pair')
    ap.add_argument('--fixed', required=True)
    ap.add_argument('--moving', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--stages', choices=('syn', 'affine', 'rigid'), default='syn')
    a = ap.parse_args(argv)
    from dipy.align.imaffine import (transform_centers_of_mass, AffineRegistration, MutualInformationMetric)
    from dipy.align import transforms as tr
    from dipy.align.imwarp import SymmetricDiffeomorphicRegistration
    from dipy.align.metrics import CCMetric
    fi, mi = nib.load(a.fixed), nib.load(a.moving)
    dim = len(fi.shape)
    # dipy works in the NIfTI world (RAS); its grid2world for a 2-D image is the in-plane 3x3
    def g2w(img):
        if dim == 3:
            return img.affine
        m = np.eye(3)
        m[:2, :2], m[:2, 2] = img.affine[:2, :2], img.affine[:2, 3]
        return m
    fa, ma = g2w(fi), g2w(mi)
    f = np.asanyarray(fi.dataobj).astype(np.float64)
    m = np.asanyarray(mi.dataobj).astype(np.float64)
    t0 = time.time()
    com = transform_centers_of_mass(f, fa, m, ma)
    reg = AffineRegistration(metric=MutualInformationMetric(32, None), level_iters=[10000, 1000, 100],
                             sigmas=[3.0, 1.0, 0.0], factors=[4, 2, 1], verbosity=0)
    kinds = ([tr.TranslationTransform3D(), tr.RigidTransform3D(), tr.AffineTransform3D()] if dim == 3 else
             [tr.TranslationTransform2D(), tr.RigidTransform2D(), tr.AffineTransform2D()])
    if a.stages == 'rigid':
        kinds = kinds[:2]
    cur = com.affine
    for k in kinds:
        cur = reg.optimize(f, m, k, None, fa, ma, starting_affine=cur).affine
    t1 = time.time()
    flps = np.array([-1.0, -1.0, 1.0][:dim]).reshape((dim,) + (1,) * dim)
    x_ras = grid_points(fa, f.shape)
    if a.stages != 'syn':
        # dipy's affine maps static (fixed) world points to moving world points: the map itself
        write_displacement(os.path.join(a.out, 'displacement.nii.gz'), flps * (apply_affine(cur, x_ras) - x_ras),
                           fi.affine)
        with open(os.path.join(a.out, 'summary.json'), 'w') as fh:
            json.dump({'affine_seconds': t1 - t0}, fh)
        return
    sdr = SymmetricDiffeomorphicRegistration(CCMetric(dim, sigma_diff=2.0, radius=4), [100, 100, 25])
    mapping = sdr.optimize(f, m, fa, ma, cur)
    t2 = time.time()
    # mapping.transform warps a moving-space image onto the fixed grid; warping images of the moving
    # world coordinates gives, at each fixed voxel, the moving point it maps to (linear interpolation of a
    # linear function is exact). The coordinate grid is padded so points just outside the moving
    # image still read a coordinate.
    pad = 24
    shp = tuple(n + 2 * pad for n in m.shape)
    pg = ma.copy()
    pg[:dim, dim] = ma[:dim, :dim] @ np.full(dim, -pad) + ma[:dim, dim]
    coords = grid_points(pg, shp)
    w2g = np.linalg.inv(pg)
    ras_pts = np.stack([mapping.transform(c.astype(np.float32), 'linear', image_world2grid=w2g) for c in coords])
    write_displacement(os.path.join(a.out, 'displacement.nii.gz'), flps * (ras_pts - x_ras), fi.affine)
    with open(os.path.join(a.out, 'summary.json'), 'w') as fh:
        json.dump({'affine_seconds': t1 - t0, 'syn_seconds': t2 - t1}, fh)


# ----------------------------------------------------------------------------- scoring

def mean_dice(fl, wl, min_vox=10):
    n = int(max(fl.max(), wl.max())) + 1
    cf = np.bincount(fl.ravel(), minlength=n)
    cw = np.bincount(wl.ravel(), minlength=n)
    inter = np.bincount(fl[fl == wl].ravel(), minlength=n)
    labs = [l for l in range(1, n) if cf[l] >= min_vox]
    if not labs:
        return float('nan')
    return float(np.mean([2.0 * inter[l] / (cf[l] + cw[l]) for l in labs]))


def score(ctx, disp_path, mdir):
    g, shape, ras, dim, truth = ctx['g'], ctx['shape'], ctx['ras'], ctx['dim'], ctx['truth']
    x = grid_points(g, shape)
    t = x + read_displacement(disp_path, dim, shape, ras)
    mask = truth['mask'].astype(bool)
    err = np.sqrt(((t - truth['t']) ** 2).sum(0))[mask]
    det = jacobian_det(t, g)
    pos = (det > 0) & mask
    r = dict(mean_mm=float(err.mean()), p95_mm=float(np.percentile(err, 95)), max_mm=float(err.max()),
             dice=mean_dice(ctx['flab'], sample_labels(ctx['mlab'], g, t)),
             folding_pct=float(100.0 * (det <= 0).mean()), min_detj=float(det.min()),
             sdlogj=float(np.log(det[pos]).std()) if pos.any() else float('nan'))
    if 'affine_t' in truth:
        # linear truth: the rotation left over between the affine fitted to the result and the true one
        r['rot_err_deg'] = rotation_angle_deg(fit_affine(x, t, mask), truth['affine_t'])
    inv = os.path.join(mdir, 'inverse_displacement.nii.gz')
    if os.path.exists(inv):
        # the inverse lives on the moving grid, which here is the fixed grid
        ui = read_displacement(inv, dim, shape, ras)
        back = t + sample_field(ui, g, t)
        r['inverse_consistency_mm'] = float(np.sqrt(((back - x) ** 2).sum(0))[mask].mean())
        mmask = sample_labels(mask.astype(np.uint8), g, truth['s']) > 0
        r['inverse_mean_mm'] = float(np.sqrt(((x + ui - truth['s']) ** 2).sum(0))[mmask].mean())
    summ = os.path.join(mdir, 'summary.json')
    if os.path.exists(summ):
        try:
            with open(summ) as fh:
                js = json.load(fh)
            secs = {}

            def walk(o, pre=''):
                if isinstance(o, dict):
                    for k2, v2 in o.items():
                        walk(v2, pre + k2 + '.')
                elif isinstance(o, (int, float)) and 'second' in pre.lower():
                    secs[pre[:-1]] = o
            walk(js)
            if secs:
                r['stage_seconds'] = secs
        except (ValueError, OSError):
            pass
    return r


# ----------------------------------------------------------------------------- main

def fmt(v, f='%.2f'):
    return 'n/a' if v is None or (isinstance(v, float) and np.isnan(v)) else f % v


def sql_rows(args, tables, query):
    """Rows of a query over a run's tables, through scripts/sql.sh (cells split on ' | ')."""
    out = subprocess.run([os.path.join(REPO, 'scripts', 'sql.sh'), '--tables', tables, query],
                         check=True, capture_output=True, text=True).stdout.splitlines()
    head = out.index(next(l for l in out if ' | ' in l or l.strip() == 'part'))
    return [l.split(' | ') for l in out[head + 1:] if not l.startswith('(')]


def job_run(args, out, manifest, pairs, deform, batch, warm_up=False):
    """One run of the batch job over the pairs: its row, and its mean seconds per part of a pair."""
    tables = os.path.join(out, 'job_tables')
    shutil.rmtree(tables, ignore_errors=True)
    cmd = [os.path.join(REPO, 'scripts', 'run-job.sh'), '--master', 'local[%d]' % args.threads, '--manifest',
           manifest, '--out', tables, '--run-id', 'bench', '--exports', '--set', 'stages=' + args.stages,
           '--batch-size', str(batch)]
    if not deform:
        cmd += ['--set', 'model=affine']
    t0 = time.time()
    run_cmd(cmd, os.path.join(out, 'job_log.txt'))
    wall = time.time() - t0
    if warm_up:
        return None
    errors = []
    for pid, files, ctx in pairs:
        exp = os.path.join(tables, 'exports', 'run_id=bench', pid)
        path = os.path.join(exp, 'displacement.nii.gz')
        if not deform:
            path = tfm_to_displacement(os.path.join(exp, 'transform.tfm'), os.path.join(exp, 'tfm_disp.nii.gz'),
                                       ctx)
        errors.append(score(ctx, path, exp)['mean_mm'])
    parts = sql_rows(args, tables, "SELECT stage, t.key AS part, round(avg(t.value), 3) AS mean_s FROM registrations "
                     "LATERAL VIEW explode(timings) t AS key, value WHERE status = 'ok' GROUP BY stage, t.key "
                     "ORDER BY stage, mean_s DESC")
    stage_s = sql_rows(args, tables, "SELECT stage, round(avg(seconds), 3) FROM registrations WHERE status = 'ok' "
                       "GROUP BY stage ORDER BY stage")
    log('--batch-size %d: per pair, mean seconds by part (registrations.timings):' % batch)
    for st, part, sec in parts:
        log('  %-10s %-9s %s' % (st, part, sec))
    for st, sec in stage_s:
        log('  %-10s seconds  %s (the row\'s stage time)' % (st, sec))
    return ('warpspark job (local[%d], --exports, --batch-size %d)' % (args.threads, batch), wall,
            float(np.mean(errors)))


def job_bench(argv):
    """The batch job over a set of brain pairs against elastix, pair after pair, on the same pairs."""
    ap = argparse.ArgumentParser(prog='anatomy_bench.py job')
    ap.add_argument('--out', required=True)
    ap.add_argument('--pairs', type=int, default=3, help='pairs per data set')
    ap.add_argument('--sets', default='human,macaque')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--stages', default='affine,deformable', choices=('affine', 'affine,deformable'))
    ap.add_argument('--threads', type=int, default=os.cpu_count())
    ap.add_argument('--methods', default='warpspark-job,elastix')
    ap.add_argument('--batch-sizes', default='1', help='a job run per value of --batch-size, e.g. 1,3')
    args = ap.parse_args(argv)
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    deform = args.stages != 'affine'
    pairs = []  # (pair id, files, ctx)
    for name in args.sets.split(','):
        base = base_volumes(out, name)
        img0, lab, ras = base[3]
        g = lps_affine(ras, 3)
        for k in range(args.pairs):
            # affine work gets pairs whose true map is an affine, so the errors mean something
            pdir, files, truth = make_pair(out, name, 3, k, args.seed, base) if deform \
                else make_linear_pair(out, name, 3, k, args.seed, base, 'lin')
            ctx = dict(g=g, shape=img0.shape, ras=ras, dim=3, truth=truth, flab=lab.astype(np.int64),
                       mlab=np.asanyarray(nib.load(files['moving_labels']).dataobj).astype(np.int64),
                       model=None if deform else 'affine', deform=False)
            pairs.append(('%s_3d_p%d' % (name, k), files, ctx))
    rows = []
    if 'warpspark-job' in args.methods:
        manifest = os.path.join(out, 'job_manifest.csv')
        with open(manifest, 'w') as fh:
            fh.write('pair_id,fixed,moving,fixed_labels,moving_labels\n')
            for pid, files, _ in pairs:
                fh.write('%s,%s,%s,%s,%s\n' % (pid, files['fixed'], files['moving_mono'], files['fixed_labels'],
                                                files['moving_labels']))
        # untimed: the first run of a build records the JVM's class data archive (scripts/env.sh)
        warm = os.path.join(out, 'job_manifest_warm.csv')
        with open(manifest) as fh, open(warm, 'w') as wh:
            wh.writelines(fh.readlines()[:2])
        job_run(args, out, warm, pairs[:1], deform, 1, warm_up=True)
        for batch in [int(b) for b in args.batch_sizes.split(',')]:
            rows.append(job_run(args, out, manifest, pairs, deform, batch))
    if 'elastix' in args.methods:
        t0 = time.time()
        errors = []
        for pid, files, ctx in pairs:
            mdir = os.path.join(out, 'job_elastix', pid)
            shutil.rmtree(mdir, ignore_errors=True)
            os.makedirs(mdir)
            path = method_elastix(args, files['fixed'], files['moving_mono'], files['fixed_labels'],
                                  files['moving_labels'], mdir, ctx)
            errors.append(score(ctx, path, mdir)['mean_mm'])
        rows.append(('elastix -threads %d, pair after pair (with transformix -def)' % args.threads, time.time() - t0,
                     float(np.mean(errors))))
    print('\n| %s, %d pairs (3D, %s) | whole run s | pairs/min | mean error mm |' % (args.stages, len(pairs),
                                                                                   args.sets))
    print('|---|---|---|---|')
    for what, wall, err in rows:
        print('| %s | %.1f | %.2f | %.3f |' % (what, wall, 60 * len(pairs) / wall, err))
    if 'elastix' in args.methods:
        for what, wall, _ in rows[:-1]:
            print('\npairs per minute, %s / elastix: %.2f' % (what, rows[-1][1] / wall))


def main(argv):
    if argv and argv[0] == 'dipy-pair':
        return dipy_pair(argv[1:])
    if argv and argv[0] == 'job':
        return job_bench(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True)
    ap.add_argument('--kind', choices=('deformable', 'linear'), default='deformable',
                    help='linear: pairs whose true map is an affine (random, cases mono and multi) or a '
                         '10-degree rotation (case rot10); methods run their affine (rot10: rigid) stage only')
    ap.add_argument('--then-deform', action='store_true',
                    help='with --kind linear: every method runs its deformable stage after the linear one, to show '
                         'how far it drifts from a map that needs no deformation')
    ap.add_argument('--pairs', type=int, default=2)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--sets', default='human,macaque')
    ap.add_argument('--dims', default=None, help='default 3,2 (deformable) or 2 (linear)')
    ap.add_argument('--modalities', default=None,
                    help='default mono (deformable) or mono,multi,rot10 (linear; rot10 is one pair per set and dim)')
    ap.add_argument('--multimodal', action='store_true', help='same as --modalities mono,multi')
    ap.add_argument('--methods', default='warpspark,elastix,dipy')
    ap.add_argument('--warpspark-cmd', default='scripts/register-pair.sh')
    ap.add_argument('--warpspark-args', default='')
    ap.add_argument('--threads', type=int, default=os.cpu_count())
    args = ap.parse_args(argv)
    linear = args.kind == 'linear'
    if args.dims is None:
        args.dims = '2' if linear else '3,2'
    if args.modalities is None:
        args.modalities = 'mono,multi,rot10' if linear else 'mono'
    mods = ['mono', 'multi'] if args.multimodal else args.modalities.split(',')
    for mod in mods:
        if mod not in (('mono', 'multi', 'rot10') if linear else ('mono', 'multi')):
            ap.error('unknown modality %s for --kind %s' % (mod, args.kind))
    methods = args.methods.split(',')
    for mth in methods:
        if mth not in METHODS:
            ap.error('unknown method ' + mth)
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    results = []
    started = time.strftime('%Y-%m-%dT%H:%M:%S')
    # appended, so runs over different subsets accumulate; each row names its run
    resf = open(os.path.join(out, 'results.jsonl'), 'a')
    for name in args.sets.split(','):
        base = base_volumes(out, name)
        for dim in [int(d) for d in args.dims.split(',')]:
            img0, lab, ras = base[dim]
            g = lps_affine(ras, dim)
            # (pair generator, linear model, [(row modality, pair label, moving image)])
            cases = []
            if not linear:
                for k in range(args.pairs):
                    cases.append((lambda k=k: make_pair(out, name, dim, k, args.seed, base), None,
                                  [(mod, '%s_%dd_p%d_%s' % (name, dim, k, mod), mod) for mod in mods]))
            else:
                lin_mods = [mod for mod in mods if mod != 'rot10']
                if lin_mods:
                    for k in range(args.pairs):
                        cases.append((lambda k=k: make_linear_pair(out, name, dim, k, args.seed, base, 'lin'), 'affine',
                                      [(mod, '%s_%dd_lin_p%d_%s' % (name, dim, k, mod), mod) for mod in lin_mods]))
                if 'rot10' in mods:
                    cases.append((lambda: make_linear_pair(out, name, dim, 0, args.seed, base, 'rot10'), 'rigid',
                                  [('rot10', '%s_%dd_rot10_mono' % (name, dim), 'mono')]))
            for gen, model, runs in cases:
                pdir, files, truth = gen()
                mlab = np.asanyarray(nib.load(files['moving_labels']).dataobj).astype(np.int64)
                flab = lab.astype(np.int64)
                x = grid_points(g, img0.shape)
                ctx = dict(g=g, shape=img0.shape, ras=ras, dim=dim, truth=truth, flab=flab, mlab=mlab, model=model,
                           deform=args.then_deform)
                dice_before = mean_dice(flab, sample_labels(mlab, g, x))
                dice_true = mean_dice(flab, sample_labels(mlab, g, truth['t']))
                for mod, pair, mov in runs:
                    for mth in methods:
                        mdir = os.path.join(out, pair, mth)
                        if os.path.isdir(mdir):
                            shutil.rmtree(mdir)
                        os.makedirs(mdir)
                        row = dict(pair=pair, set=name, dim=dim, modality=mod, method=mth, seed=args.seed, run=started,
                                   kind=args.kind + ("+deform" if args.then_deform else ""),
                                   dice_before=dice_before, dice_true=dice_true)
                        log('[%s] %s' % (pair, mth))
                        t0 = time.time()
                        try:
                            path = METHODS[mth](args, files['fixed'], files['moving_' + mov], files['fixed_labels'],
                                                files['moving_labels'], mdir, ctx)
                            row['seconds'] = time.time() - t0
                            row.update(score(ctx, path, mdir))
                            log('    %.1f s, error mean %.3f p95 %.3f max %.3f mm, Dice %.3f (before %.3f, true %.3f), '
                                'folding %.4f %%, min detJ %.3f%s' % (
                                    row['seconds'], row['mean_mm'], row['p95_mm'], row['max_mm'], row['dice'],
                                    dice_before, dice_true, row['folding_pct'], row['min_detj'],
                                    ', inverse consistency %.3f mm, inverse error %.3f mm' % (
                                        row['inverse_consistency_mm'], row['inverse_mean_mm'])
                                    if 'inverse_mean_mm' in row else '') +
                                (', rotation error %.3f deg' % row['rot_err_deg'] if 'rot_err_deg' in row else ''))
                            if 'stage_seconds' in row:
                                log('    stages: ' + json.dumps(row['stage_seconds']))
                        except Exception as e:  # one failing method must not stop the others
                            row['seconds'] = time.time() - t0
                            row['error'] = str(e)[-1000:]
                            log('    FAILED: %s' % e)
                        results.append(row)
                        resf.write(json.dumps(row) + '\n')
                        resf.flush()
    resf.close()
    report(results, linear)


def report(results, linear=False):
    groups = {}
    for r in results:
        groups.setdefault((r['set'], r['dim'], r['modality'], r['method']), []).append(r)
    # linear runs add the rotation error column
    log('\n| data set | dim | modality | method | mean mm | p95 mm | max mm | Dice (before/after/true) | '
        'folding % | min detJ | SDlogJ | ' + ('rot err deg | ' if linear else '') + 's/pair |')
    log('|---|---|---|---|---|---|---|---|---|---|---|---|' + ('---|' if linear else ''))
    summary = {}
    for key, rows in groups.items():
        ok = [r for r in rows if 'error' not in r]

        def m(f):
            vals = [r[f] for r in ok if f in r]
            return float(np.mean(vals)) if vals else float('nan')
        s = {f: m(f) for f in ('mean_mm', 'p95_mm', 'max_mm', 'dice', 'folding_pct', 'min_detj', 'sdlogj',
                               'rot_err_deg', 'seconds', 'dice_before', 'dice_true')}
        # the references and the time do not depend on the method succeeding
        for f in ('seconds', 'dice_before', 'dice_true'):
            s[f] = float(np.mean([r[f] for r in rows]))
        summary[key] = s
        fail = '' if len(ok) == len(rows) else ' (%d/%d failed)' % (len(rows) - len(ok), len(rows))
        log('| %s | %dD | %s | %s%s | %s | %s | %s | %s/%s/%s | %s | %s | %s | %s%s |' % (
            key[0], key[1], key[2], key[3], fail, fmt(s['mean_mm'], '%.3f'), fmt(s['p95_mm']), fmt(s['max_mm']),
            fmt(s['dice_before'], '%.3f'), fmt(s['dice'], '%.3f'), fmt(s['dice_true'], '%.3f'),
            fmt(s['folding_pct'], '%.4f'), fmt(s['min_detj'], '%.3f'), fmt(s['sdlogj'], '%.3f'),
            fmt(s['rot_err_deg'], '%.3f') + ' | ' if linear else '', fmt(s['seconds'], '%.1f')))
    lines = []
    for key, s in summary.items():
        if not key[3].startswith('warpspark'):
            continue
        e = summary.get(key[:3] + ('elastix',))
        d = summary.get(key[:3] + ('dipy',))
        parts = []
        for peer, p in (('elastix', e), ('dipy', d)):
            if p:
                parts.append('time %s/%s %s' % (key[3], peer, fmt(s['seconds'] / p['seconds'])))
                parts.append('mean error %s/%s %s' % (key[3], peer, fmt(s['mean_mm'] / p['mean_mm'])))
        if parts:
            lines.append('%s %dD %s: %s' % (key[0], key[1], key[2], ', '.join(parts)))
    if lines:
        log('\n' + '\n'.join(lines))


if __name__ == '__main__':
    main(sys.argv[1:])
