import { floatData, makeTensor, readModel, tensorDims, writeModel } from '@asrq/onnx';

/**
 * Writes a copy of a model in which one weight MatMul is made fragile: every output column j of
 * its weight gets a huge outlier at row j mod rows, and the exact float contribution of those
 * outliers is subtracted again with Gather/Mul/Sub (ops asrq never quantizes). The float outputs
 * barely change, but any int8 weight quantization (per tensor or per channel) rounds the rest of
 * the weight to zero and wipes the module out.
 */
export async function writeFragileModel(
  input: string,
  output: string,
  matmulName: string,
  outlier = 50,
): Promise<void> {
  const model = await readModel(input);
  const graph = model.proto.graph!;
  const node = graph.node!.find((n) => n.name === matmulName)!;
  const weight = graph.initializer!.find((t) => t.name === node.input![1])!;
  const [rows, cols] = tensorDims(weight) as [number, number];
  const w = new Float32Array(floatData(weight));
  const index = new BigInt64Array(cols);
  for (let j = 0; j < cols; j++) {
    const i = j % rows;
    w[i * cols + j]! += outlier;
    index[j] = BigInt(i);
  }
  const prefix = '/fragile_fix';
  graph.initializer = graph.initializer!.filter((t) => t !== weight);
  graph.initializer.push(
    makeTensor(weight.name!, w, [rows, cols]),
    makeTensor(`${prefix}/index`, index, [cols]),
    makeTensor(`${prefix}/outlier`, new Float32Array([outlier]), []),
  );
  const y = node.output![0]!;
  node.output = [`${y}_raw`];
  const at = graph.node!.indexOf(node) + 1;
  graph.node!.splice(
    at,
    0,
    {
      name: `${prefix}/Gather`,
      op_type: 'Gather',
      input: [node.input![0]!, `${prefix}/index`],
      output: [`${prefix}/cols`],
      attribute: [{ name: 'axis', type: 2, i: -1 }],
    },
    {
      name: `${prefix}/Mul`,
      op_type: 'Mul',
      input: [`${prefix}/cols`, `${prefix}/outlier`],
      output: [`${prefix}/correction`],
    },
    { name: `${prefix}/Sub`, op_type: 'Sub', input: [`${y}_raw`, `${prefix}/correction`], output: [y] },
  );
  await writeModel(model, output);
}
