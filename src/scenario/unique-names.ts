/**
 * One object per kind and name (namespace/name, or the name of a cluster-scoped kind): the API server keeps
 * one, so the second of a name is reported, naming where the first stands, and left out by the caller.
 * (Controllers are checked before building, in checks/duplicates.ts.)
 */
import type { Problems } from './problems.js';
import type { Resource } from './resource.js';

export class UniqueNames {
  private readonly first = new Map<string, Resource>();

  /** `kind` as the messages name it ("Service", "Ingress"...). */
  constructor(
    private readonly kind: string,
    private readonly problems: Problems,
  ) {}

  /** Whether `res` is the first of `key`; a later one gets an error at its `metadata.name`. */
  claim(res: Resource, key: string): boolean {
    const first = this.first.get(key);
    if (first === undefined) {
      this.first.set(key, res);
      return true;
    }
    const at = first.locate([]);
    this.problems.error(res, ['metadata', 'name'], `${this.kind} "${key}" already exists (at ${at.file}:${at.line})`);
    return false;
  }
}
