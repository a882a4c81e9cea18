"""Peer: onnxruntime's transformers optimizer (BERT fusions: attention, LayerNorm, GELU, bias) and then
quantize_dynamic(MatMul), as onnxruntime's docs suggest for transformer models.

    /tmp/ortpy/bin/python bench/ort-transformers-peer.py <float.onnx> <optimized-float.onnx> <out-int8.onnx> [num_heads hidden_size]

num_heads / hidden_size default to 0 (the optimizer detects them from the graph).
"""
import sys

from onnx import TensorProto
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.transformers.optimizer import optimize_model

src, optimized, out = sys.argv[1:4]
heads = int(sys.argv[4]) if len(sys.argv) > 4 else 0
hidden = int(sys.argv[5]) if len(sys.argv) > 5 else 0
model = optimize_model(src, model_type="bert", num_heads=heads, hidden_size=hidden)
print("fused operators:", model.get_fused_operator_statistics())
model.save_model_to_file(optimized)
# The fused com.microsoft ops defeat ONNX shape inference; the quantizer then needs the default type.
quantize_dynamic(optimized, out, op_types_to_quantize=["MatMul"], weight_type=QuantType.QInt8, extra_options={"DefaultTensorType": TensorProto.FLOAT})
