/**
 * A scenario file with no object in it (issue 15, item 6): empty, or only comments, `---` and empty
 * documents. It simulated nothing and exited 0; it is now an error at the file, since it is almost always
 * the wrong file or a failed export.
 */
import type { IgnoredResource, ScenarioFile } from '../documents.js';
import type { Problems } from '../problems.js';
import type { Resource } from '../resource.js';

export function checkEmptyFiles(files: readonly ScenarioFile[], resources: readonly Resource[], ignored: readonly IgnoredResource[], problems: Problems): void {
  if (problems.hasErrors) return; // a file that did not parse is reported as such
  const used = new Set<string>();
  for (const r of resources) used.add(r.source.file);
  for (const i of ignored) used.add(i.file);
  for (const f of files) {
    if (used.has(f.path)) continue;
    problems.add({
      severity: 'error',
      file: f.path,
      line: 1,
      col: 1,
      path: '',
      expected: 'at least one Kubernetes or netsim object',
      found: f.text.trim() === '' ? 'an empty file' : 'only comments and empty documents',
      message: `no objects: expected at least one Kubernetes or netsim object, found ${f.text.trim() === '' ? 'an empty file' : 'only comments and empty documents'}`,
    });
  }
}
