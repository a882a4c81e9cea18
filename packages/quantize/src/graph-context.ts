import {
  makeTensor,
  opsetVersion,
  type AttributeProto,
  type NodeProto,
  type OnnxModel,
  type TensorProto,
} from '@asrq/onnx';

/**
 * Bookkeeping for editing one graph: the ai.onnx opset every emitted node must be valid at,
 * initializers by name, producers of tensors, unique names. Rewrites append nodes and the graph
 * is topologically re-sorted at the end.
 */
export class GraphContext {
  readonly model: OnnxModel;
  /** The model's ai.onnx opset, read once: emitters write the form valid at this version (see emit/opset-forms.ts). */
  readonly opset: number;
  readonly initializers = new Map<string, TensorProto>();
  /** The node producing each tensor (as the graph was when the context was made). */
  readonly producers = new Map<string, NodeProto>();
  private readonly names = new Set<string>();

  constructor(model: OnnxModel) {
    this.model = model;
    this.opset = opsetVersion(model) ?? 1;
    const g = model.proto.graph!;
    g.initializer ??= [];
    g.node ??= [];
    for (const t of g.initializer) this.initializers.set(t.name ?? '', t);
    for (const n of g.node) {
      for (const o of n.output ?? []) {
        this.names.add(o);
        this.producers.set(o, n);
      }
      if (n.name) this.names.add(n.name);
    }
    for (const name of this.initializers.keys()) this.names.add(name);
    for (const v of g.input ?? []) this.names.add(v.name ?? '');
  }

  /** A name not used yet in the graph, derived from `base`. */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Adds an initializer under a fresh name derived from `base`; returns the name. */
  addInitializer(
    base: string,
    data: Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array,
    dims: number[],
  ): string {
    const name = this.unique(base);
    const t = makeTensor(name, data, dims);
    this.model.proto.graph!.initializer!.push(t);
    this.initializers.set(name, t);
    return name;
  }

  /** Appends a node (name made unique). */
  addNode(node: NodeProto): NodeProto {
    node.name = this.unique(node.name ?? node.op_type ?? 'node');
    this.model.proto.graph!.node!.push(node);
    return node;
  }

  /** Removes initializers no node reads any more (e.g. float weights replaced by int8 ones). */
  dropUnusedInitializers(): void {
    const g = this.model.proto.graph!;
    const used = new Set<string>();
    const visit = (nodes: NodeProto[]): void => {
      for (const n of nodes) {
        for (const i of n.input ?? []) used.add(i);
        for (const a of n.attribute ?? []) {
          if (a.g) visit(a.g.node ?? []);
          for (const sg of (a.graphs as { node?: NodeProto[] }[] | undefined) ?? []) visit(sg.node ?? []);
        }
      }
    };
    visit(g.node!);
    for (const o of g.output ?? []) used.add(o.name ?? '');
    const graphInputs = new Set((g.input ?? []).map((v) => v.name));
    g.initializer = g.initializer!.filter((t) => used.has(t.name ?? '') || graphInputs.has(t.name));
    const kept = new Set(g.initializer.map((t) => t.name ?? ''));
    for (const name of [...this.initializers.keys()]) if (!kept.has(name)) this.initializers.delete(name);
  }

  /** Ensures an opset import for `domain` exists (e.g. com.microsoft for DynamicQuantizeMatMul). */
  requireOpset(domain: string, version: number): void {
    this.model.proto.opset_import ??= [];
    const imports = this.model.proto.opset_import;
    if (!imports.some((o) => (o.domain ?? '') === domain)) imports.push({ domain, version });
  }

  /**
   * Re-sorts graph.node topologically (Kahn, stable), since rewrites append nodes at the end.
   * Node inputs produced by nothing (graph inputs, initializers, outer scope) count as ready.
   */
  sortTopologically(): void {
    const g = this.model.proto.graph!;
    const nodes = g.node!;
    const producer = new Map<string, number>();
    nodes.forEach((n, i) => (n.output ?? []).forEach((o) => producer.set(o, i)));
    const pending = nodes.map(
      (n) => new Set((n.input ?? []).filter((x) => x !== '' && producer.has(x)).map((x) => producer.get(x)!)),
    );
    const dependents = nodes.map(() => [] as number[]);
    pending.forEach((deps, i) => deps.forEach((d) => dependents[d]!.push(i)));
    const ready = new MinHeap();
    pending.forEach((deps, i) => deps.size === 0 && ready.push(i));
    const order: number[] = [];
    // Taking the smallest ready index keeps the original order wherever the dependencies allow it.
    while (ready.size > 0) {
      const i = ready.pop();
      order.push(i);
      for (const d of dependents[i]!) {
        const set = pending[d]!;
        set.delete(i);
        if (set.size === 0) ready.push(d);
      }
    }
    if (order.length === nodes.length) g.node = order.map((i) => nodes[i]!);
  }
}

/**
 * Reads an attribute as a number (INT or FLOAT), or `fallback`.
 * @param node - The node.
 * @param name - Attribute name.
 * @param fallback - Value when the attribute is absent.
 * @returns The value.
 */
export function attrNumber(node: NodeProto, name: string, fallback: number): number {
  const a = node.attribute?.find((x) => x.name === name);
  if (!a) return fallback;
  if (a.type === 1) return a.f ?? 0;
  const i = a.i;
  return i === undefined || i === null ? fallback : typeof i === 'number' ? i : i.toNumber();
}

/**
 * Builds an INT attribute.
 * @param name - Attribute name.
 * @param value - Its value.
 * @returns The AttributeProto.
 */
export function intAttr(name: string, value: number): AttributeProto {
  return { name, type: 2, i: value };
}

/** A binary min-heap of node indices (topological sort in O(n log n) for large graphs). */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= a[i]!) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }

  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}
