/**
 * Two controllers of one kind with the same namespace and name (issue 15, item 6): the API server keeps one
 * object per kind, namespace and name, so the second would replace the first (`kubectl apply`) or be
 * refused (`kubectl create`); simulating both would double the pods silently. Pods and Services are
 * checked where they are built (build-pods.ts, build-services.ts). The second is reported, naming the
 * first, and left out so that its pods do not add errors of their own.
 */
import type { Problems } from '../problems.js';
import type { Resource } from '../resource.js';
import type { Valid, ValidatedScenario } from '../validate.js';

function dropDuplicates<T extends { readonly metadata: { readonly name: string; readonly namespace?: string | undefined } }>(
  list: Valid<T>[],
  problems: Problems,
): void {
  const first = new Map<string, Resource>();
  const kept = list.filter(({ res, obj }) => {
    const key = `${res.kind}/${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, res);
      return true;
    }
    const at = earlier.locate([]);
    problems.error(
      res,
      ['metadata', 'name'],
      `${res.kind} "${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}" already exists (at ${at.file}:${at.line}:${at.col}): a namespace holds one ${res.kind} of a name; rename one, or remove one`,
    );
    return false;
  });
  if (kept.length === list.length) return;
  list.length = 0;
  for (const k of kept) list.push(k);
}

export function checkDuplicateControllers(v: ValidatedScenario, problems: Problems): void {
  dropDuplicates(v.controllers, problems);
  dropDuplicates(v.daemonSets, problems);
}
