"""The peer to beat: onnxruntime's own dynamic quantizer with the sherpa-onnx / icefall recipe.

Run by bench/run.ts when /tmp/ortpy (a venv with onnxruntime 1.30 from the local wheels) exists:
    /tmp/ortpy/bin/python bench/ort-python-peer.py <float.onnx> <out.onnx>
"""
import sys

from onnxruntime.quantization import QuantType, quantize_dynamic

quantize_dynamic(sys.argv[1], sys.argv[2], op_types_to_quantize=["MatMul"], weight_type=QuantType.QInt8)
