/**
 * How deeply a parsed YAML document nests mappings and lists, counted through aliases (an alias nests what
 * its anchor nests where the alias stands), without recursion: what reads a document afterwards (toJS,
 * the source map, validation) recurses once per level, so a document nested deeper than the limit is
 * refused before any of it runs out of stack.
 */
import { isAlias, isCollection, isDocument, isPair, type Document, type Node as YamlNode } from 'yaml';

/** Levels of mappings and lists a scenario document may nest: real manifests nest a few dozen at most. */
export const MAX_NESTING_DEPTH = 256;

interface Frame {
  readonly node: YamlNode;
  /** The node's children still to visit (keys and values of its pairs, its items). */
  readonly children: (YamlNode | null | undefined)[];
  next: number;
  /** Levels nested below this node seen so far. */
  below: number;
}

export interface TooDeep {
  /** Levels the document nests (each mapping and list on the deepest path, through aliases). */
  readonly depth: number;
  /** The node (or alias) that stands one level past the limit: where the error points. */
  readonly at: YamlNode;
}

function childrenOf(node: YamlNode): (YamlNode | null | undefined)[] {
  if (!isCollection(node)) return [];
  const out: (YamlNode | null | undefined)[] = [];
  for (const item of node.items as unknown[]) {
    if (isPair(item)) out.push(item.key as YamlNode | null, item.value as YamlNode | null);
    else out.push(item as YamlNode);
  }
  return out;
}

/**
 * Levels below and at each node (a scalar 0, a collection 1 + its deepest child, an alias its anchor's), in
 * one pass after the node's children (an explicit stack, not recursion). Only anchored nodes are kept, for
 * the aliases that name them.
 */
function heights(doc: Document.Parsed | Document, root: YamlNode, onNode?: (node: YamlNode, height: number) => void): number {
  const anchored = new Map<YamlNode, number>();
  const heightOfLeaf = (node: YamlNode): number => {
    if (!isAlias(node)) return 0;
    const target = node.resolve(doc as Document);
    return target === undefined ? 0 : (anchored.get(target as YamlNode) ?? 0);
  };
  const stack: Frame[] = [];
  let result = 0;
  const finish = (node: YamlNode, height: number): void => {
    if (node.anchor !== undefined && node.anchor !== null) anchored.set(node, height);
    onNode?.(node, height);
    const parent = stack[stack.length - 1];
    if (parent === undefined) result = height;
    else if (height > parent.below) parent.below = height;
  };
  const enter = (node: YamlNode): void => {
    if (isCollection(node)) stack.push({ node, children: childrenOf(node), next: 0, below: 0 });
    else finish(node, heightOfLeaf(node));
  };
  enter(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.children.length) {
      const child = top.children[top.next++];
      if (child !== null && child !== undefined) enter(child);
    } else {
      stack.pop();
      finish(top.node, top.below + 1);
    }
  }
  return result;
}

/** Whether `doc` nests deeper than `limit`, and if so where the limit is crossed; undefined when it does not. */
export function tooDeep(doc: Document.Parsed | Document, limit: number = MAX_NESTING_DEPTH): TooDeep | undefined {
  const root = isDocument(doc) ? (doc.contents as YamlNode | null) : null;
  if (root === null || root === undefined) return undefined;
  const depth = heights(doc, root);
  if (depth <= limit) return undefined;
  // Rare: a second pass keeps every collection's height, to find the way down.
  const height = new Map<YamlNode, number>();
  heights(doc, root, (node, h) => {
    if (isCollection(node) || isAlias(node)) height.set(node, h);
  });
  // Down the deepest path, `limit` levels: the node there is the first one past the limit.
  let node = root;
  for (let level = 1; level <= limit; level++) {
    if (isAlias(node)) break; // the limit is crossed inside what the alias brings in: point at the alias
    const want = (height.get(node) ?? 0) - 1;
    const next = childrenOf(node).find((c): c is YamlNode => c !== null && c !== undefined && (height.get(c) ?? 0) === want);
    if (next === undefined) break;
    node = next;
  }
  return { depth, at: node };
}
