import { OnnxGraphError } from './errors.js';
import type { OnnxGraph, OnnxInitializer, OnnxNode } from './onnx-model.js';

/** Where a value comes from: the node that outputs it or the initializer that holds it. */
export type OnnxProducer = { readonly node: OnnxNode } | { readonly initializer: OnnxInitializer };

/**
 * The producer of every value in `graph` and in the graphs nested in its nodes (If branches, Loop
 * bodies), by name. Exported models name values uniquely across scopes; a repeated name is refused.
 * @throws {OnnxGraphError} for a name produced twice
 */
export function producersIn(graph: OnnxGraph, producers = new Map<string, OnnxProducer>()): Map<string, OnnxProducer> {
  const add = (name: string, producer: OnnxProducer): void => {
    if (producers.has(name)) throw new OnnxGraphError(`the value "${name}" is produced twice`);
    producers.set(name, producer);
  };
  for (const initializer of graph.initializers) add(initializer.name, { initializer });
  for (const node of graph.nodes) {
    for (const output of node.outputs) if (output !== '') add(output, { node });
    for (const attribute of node.attributes) for (const nested of attribute.graphs) producersIn(nested, producers);
  }
  return producers;
}

/** The nodes and initializers of a cut, nodes in an order that runs. */
export interface GraphCut {
  readonly nodes: OnnxNode[];
  readonly initializers: OnnxInitializer[];
}

/**
 * What computes `targets`, stopping at the `boundary`: a boundary value is taken as given (a new
 * graph input, or a value the caller computes), and the copied nodes read it under the name the
 * boundary maps it to. Control flow (a node with nested graphs) is refused, since its branches may
 * read values the cut leaves out.
 * @throws {OnnxGraphError} when a needed value has no producer or comes from control flow
 */
export function cutGraph(producers: ReadonlyMap<string, OnnxProducer>, targets: readonly string[], boundary: ReadonlyMap<string, string>): GraphCut {
  const cut: GraphCut = { nodes: [], initializers: [] };
  const done = new Set<string>();
  const visit = (name: string): void => {
    if (name === '' || boundary.has(name) || done.has(name)) return;
    const producer = producers.get(name);
    if (producer === undefined) throw new OnnxGraphError(`nothing in the graph produces "${name}"`);
    if ('initializer' in producer) {
      done.add(name);
      cut.initializers.push(producer.initializer);
      return;
    }
    const { node } = producer;
    if (node.attributes.some((a) => a.graphs.length > 0)) throw new OnnxGraphError(`"${name}" comes from control flow (${node.opType} ${node.name})`);
    for (const output of node.outputs) done.add(output);
    node.inputs.forEach(visit);
    cut.nodes.push({ ...node, inputs: node.inputs.map((input) => boundary.get(input) ?? input) });
  };
  targets.forEach(visit);
  return cut;
}
