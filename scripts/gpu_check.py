# Runs warpspark's deformable TorchScript module (as written by DeformationModule) on CPU and CUDA with
# one iteration's inputs dumped from the JVM by scripts/gpu-check.sh, compares value and gradient with
# DJL's CPU result, and times forward+backward. Usage: python3 scripts/gpu_check.py DUMP_DIR
# (writes $OUT/gpu-check.json when OUT is set).
import glob, json, os, sys, time
import numpy as np
import torch
import zipfile
from torch import Tensor


def load(archive, dev):
    """The module's TorchScript source, scripted as an nn.Module (the archive's hand-written pickle is
    read by libtorch 2.7 but not by every Python torch)."""
    with zipfile.ZipFile(archive) as z:
        code = z.read("warpspark/code/__torch__.py").decode()
    lines = [l for l in code.splitlines() if l.strip() not in ("__parameters__ = []", "__buffers__ = []", "training : bool")]
    name = lines[0].split("(")[0].split()[1]
    lines[0] = "class %s(torch.nn.Module):" % name
    import importlib.util, tempfile
    path = os.path.join(tempfile.mkdtemp(), name + ".py")
    with open(path, "w") as f:
        f.write("import torch\nfrom torch import Tensor\n" + "\n".join(lines) + "\n")
    spec = importlib.util.spec_from_file_location(name, path)
    source = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(source)
    module = torch.jit.script(getattr(source, name)())
    module.train()
    return module

here = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".gpucheck")
print("torch", torch.__version__, "cuda", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")
results = {}
for path in sorted(glob.glob(os.path.join(here, "*.npz"))):
    tag = os.path.basename(path)[:-4]
    z = np.load(path)
    keys = sorted(z.files, key=lambda k: int("".join(c for c in k if c.isdigit()) or 0))
    arrays = [torch.from_numpy(np.array(z[k])) for k in keys]
    inputs, ref_value, ref_grad = arrays[:11], arrays[11].double(), arrays[12].double()
    archive = os.path.join(here, "warpspark-Deformable3dMse%s.pt" % ("Velocity" if tag.startswith("velocity") else ""))
    row = {"samples": int(inputs[0].shape[0])}
    for dev in ["cpu", "cuda"]:
        if dev == "cuda" and not torch.cuda.is_available():
            continue
        m = load(archive, dev)
        x = [t.to(dev) for t in inputs]
        leaf = x[1].clone().requires_grad_(True)
        x[1] = leaf
        v = m(*x)
        v[0].backward()
        row[dev + "_value_rel_err"] = float(((v.detach().double().cpu() - ref_value).norm() / ref_value.norm()).item())
        row[dev + "_grad_rel_err"] = float(((leaf.grad.double().cpu() - ref_grad).norm() / ref_grad.norm()).item())
        def step():
            leaf.grad = None
            out = m(*x)
            out[0].backward()
        for _ in range(5):
            step()
        if dev == "cuda":
            torch.cuda.synchronize()
        n = 200 if dev == "cuda" else 10
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        if dev == "cuda":
            torch.cuda.synchronize()
        row[dev + "_ms_per_iteration"] = 1000 * (time.perf_counter() - t0) / n
    results[tag] = row
    print(tag, json.dumps(row))
out = os.environ.get("OUT")
if out:
    with open(os.path.join(out, "gpu-check.json"), "w") as f:
        json.dump({"torch": torch.__version__, "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
                   "cpu_threads": torch.get_num_threads(), "results": results}, f, indent=1)
