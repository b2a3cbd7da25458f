/**
 * Which pods a Service's selector matches, without testing every pod of the cluster against every Service
 * (issue 15, item 7: that was O(Services × pods) at set-up). An index of the pods' labels, built once per
 * pod list: for each `namespace` and `namespace + key=value`, the pods that have it, in pod order. A selector
 * is answered from its rarest pair, each candidate then tested against the whole selector, so the answer is
 * the same pods in the same order as a scan.
 */
import type { PodSpec } from '../spec.js';

type Postings = Map<string, number[]>;

const indexes = new WeakMap<readonly PodSpec[], Postings>();

function postingsOf(pods: readonly PodSpec[]): Postings {
  let index = indexes.get(pods);
  if (index !== undefined) return index;
  index = new Map();
  const post = (key: string, pod: number): void => {
    let list = index!.get(key);
    if (list === undefined) index!.set(key, (list = []));
    list.push(pod);
  };
  pods.forEach((p, i) => {
    post(p.namespace, i);
    for (const k of Object.keys(p.labels)) post(`${p.namespace}\0${k}=${p.labels[k]}`, i);
  });
  indexes.set(pods, index);
  return index;
}

const NONE: readonly number[] = [];

/**
 * Indices (ascending) of the pods of `namespace` whose labels include every `key=value` of `selector`; an
 * empty selector matches every pod of the namespace. The pod list must not change once asked about.
 */
export function podsMatching(pods: readonly PodSpec[], namespace: string, selector: Readonly<Record<string, string>>): readonly number[] {
  const index = postingsOf(pods);
  const keys = Object.keys(selector);
  let best = index.get(namespace) ?? NONE;
  // Stryker disable next-line BlockStatement: the rarest pair only shortens the candidate list; the filter below tests every pair
  for (const k of keys) {
    const list = index.get(`${namespace}\0${k}=${selector[k]}`) ?? NONE;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: every pair's list holds every match; which one is filtered changes only the time taken
    if (list.length < best.length) best = list;
  }
  if (keys.length === 0) return best;
  return best.filter((i) => {
    const labels = pods[i]!.labels;
    for (const k of keys) if (!Object.hasOwn(labels, k) || labels[k] !== selector[k]) return false;
    return true;
  });
}
