/**
 * Op types a plan rule may name: the standard ONNX (ai.onnx) operators and the com.microsoft ones
 * onnxruntime's quantized graphs use. A rule naming anything else is almost certainly a typo
 * ("MatMull"), which would otherwise select nothing without a word.
 */
export const KNOWN_OP_TYPES: ReadonlySet<string> = new Set(
  (
    'Abs Acos Acosh Add AffineGrid And ArgMax ArgMin Asin Asinh Atan Atanh Attention AveragePool BatchNormalization ' +
    'Bernoulli BitShift BitwiseAnd BitwiseNot BitwiseOr BitwiseXor BlackmanWindow Cast CastLike Ceil Celu CenterCropPad ' +
    'Clip Col2Im Compress Concat ConcatFromSequence Constant ConstantOfShape Conv ConvInteger ConvTranspose Cos Cosh ' +
    'CumSum DFT DeformConv DepthToSpace DequantizeLinear Det Div Dropout DynamicQuantizeLinear Einsum Elu Equal Erf Exp ' +
    'Expand EyeLike Flatten Floor GRU Gather GatherElements GatherND Gelu Gemm GlobalAveragePool GlobalLpPool ' +
    'GlobalMaxPool Greater GreaterOrEqual GridSample GroupNormalization HammingWindow HannWindow HardSigmoid HardSwish ' +
    'Hardmax Identity If ImageDecoder InstanceNormalization IsInf IsNaN LRN LSTM LayerNormalization LeakyRelu Less ' +
    'LessOrEqual Log LogSoftmax Loop LpNormalization LpPool MatMul MatMulInteger Max MaxPool MaxRoiPool MaxUnpool Mean ' +
    'MeanVarianceNormalization MelWeightMatrix Min Mish Mod Mul Multinomial Neg NegativeLogLikelihoodLoss ' +
    'NonMaxSuppression NonZero Not OneHot Optional OptionalGetElement OptionalHasElement Or PRelu Pad Pow QLinearConv ' +
    'QLinearMatMul QuantizeLinear RMSNormalization RNN RandomNormal RandomNormalLike RandomUniform RandomUniformLike ' +
    'Range Reciprocal ReduceL1 ReduceL2 ReduceLogSum ReduceLogSumExp ReduceMax ReduceMean ReduceMin ReduceProd ReduceSum ' +
    'ReduceSumSquare RegexFullMatch Relu Reshape Resize ReverseSequence RoiAlign RotaryEmbedding Round STFT Scan Scatter ' +
    'ScatterElements ScatterND Selu SequenceAt SequenceConstruct SequenceEmpty SequenceErase SequenceInsert ' +
    'SequenceLength SequenceMap Shape Shrink Sigmoid Sign Sin Sinh Size Slice Softmax SoftmaxCrossEntropyLoss Softplus ' +
    'Softsign SpaceToDepth Split SplitToSequence Sqrt Squeeze StringConcat StringNormalizer StringSplit Sub Sum Swish ' +
    'Tan Tanh TensorScatter TfIdfVectorizer ThresholdedRelu Tile TopK Transpose Trilu Unique Unsqueeze Upsample Where Xor ' +
    // com.microsoft ops found in optimized or quantized onnxruntime graphs.
    'BiasAdd BiasGelu DynamicQuantizeMatMul EmbedLayerNormalization FastGelu FusedConv FusedGemm FusedMatMul ' +
    'GroupQueryAttention MatMulIntegerToFloat MatMulNBits MultiHeadAttention QAttention QGemm QLinearAdd QLinearMul ' +
    'QuickGelu SkipLayerNormalization SimplifiedLayerNormalization SkipSimplifiedLayerNormalization'
  ).split(/\s+/u),
);

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known op type closest to a misspelled one, for "did you mean" hints.
 * @param name - The unknown op type.
 * @returns The closest known op type (case-insensitive match first, else edit distance at most 3), or undefined.
 * @example
 * ```ts
 * closestOpType('MatMull'); // "MatMul"
 * ```
 */
export function closestOpType(name: string): string | undefined {
  if (name.length > 64) return undefined;
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = 4;
  for (const op of KNOWN_OP_TYPES) {
    if (op.toLowerCase() === lower) return op;
    const d = editDistance(lower, op.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = op;
    }
  }
  return best;
}
