import type { ModelDescription } from '../describe-models.ts';

/** Every node name in a model description's tree, depth first, in order. */
export function modelNodeNames(description: ModelDescription): string[] {
  const names: string[] = [];
  const walk = (nodes: ModelDescription['roots']) => nodes.forEach((node) => (names.push(node.name), walk(node.children)));
  walk(description.roots);
  return names;
}
