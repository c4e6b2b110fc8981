"""Regenerate the NPZ / safetensors / MAT v5 fixtures (numpy, scipy, safetensors).

W = [[0, 1, 2], [3, 4, 5], [6, 7, 8]] / 8 in every file (exact in f16/bf16 too), so
the Rust tests can assert every entry. Run: python make_fixtures.py
"""
import numpy as np
import scipy.io
from safetensors.numpy import save_file

w = (np.arange(9, dtype=np.float64).reshape(3, 3)) / 8.0
b = np.array([0.5, -0.25], dtype=np.float64)

np.save("w.npy", w)
np.savez("w.npz", W=w, b=b)
np.savez_compressed("w_compressed.npz", W=w.astype(np.float32), b=b)
np.savez("single.npz", w)  # one unnamed array: arr_0
np.savez("w_fortran.npz", W=np.asfortranarray(w))

save_file({"weight_hh_l0": w.astype(np.float32), "bias_hh_l0": b.astype(np.float32)}, "rnn_f32.safetensors")
save_file({"weight_hh_l0": w.astype(np.float16)}, "rnn_f16.safetensors")
save_file({"weight_hh_l0": w}, "rnn_f64.safetensors")

scipy.io.savemat("w.mat", {"W": w, "b": b, "label": "hello"})
scipy.io.savemat("w_single.mat", {"W": w.astype(np.float32)})
scipy.io.savemat("w_int.mat", {"A": (w * 8).astype(np.int32), "L": (w > 0.4)})
scipy.io.savemat("w_compressed.mat", {"W": w, "C": w * 2}, do_compression=True)

# bf16 (numpy has no bf16 dtype): the top 16 bits of each f32, written by hand.
import json, struct
w32 = w.astype(np.float32)
raw = (w32.view(np.uint32) >> 16).astype("<u2").tobytes()
hdr = json.dumps({"weight_hh_l0": {"dtype": "BF16", "shape": [3, 3], "data_offsets": [0, len(raw)]}}).encode()
hdr += b" " * ((8 - len(hdr) % 8) % 8)
open("rnn_bf16.safetensors", "wb").write(struct.pack("<Q", len(hdr)) + hdr + raw)
