/**
 * `netsim merge DIR... --out DIR`: joins sweep outputs (shards, typically) into one, as if the sweep had
 * run in one go: same results, same summary.json bytes.
 *
 * Refused, with the reason, when the outputs come from different experiments (their manifests' hashes
 * differ: another experiment file, other scenario files, another tool version), when a run is in two
 * outputs, or when runs are missing (a shard not collected, or one that did not finish: `--resume` it).
 * The plan is read from the manifests, so neither the experiment nor the scenario files are needed.
 *
 * Shards come back from a cluster: every byte of them is untrusted. Manifests, result lines and result files
 * are validated (docs/reliability.md); a line's `result` must be `runs/<run>.json` inside its shard's
 * directory (no `..`, no absolute path, no symbolic link), and what is copied is read, validated against
 * the result schema, and written atomically into --out. Anything else refuses the merge.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { studentT } from '../engine/stats/index.js';
import type { Summary } from './aggregate.js';
import { expandPoints, inShard, parseRunId, pendingReplications, replicationCap, runRef } from './plan.js';
import { readResultFile } from './result-file.js';
import { ensureDir, readStoredFile, resolveInside, writeAtomic } from './safe-io.js';
import { readManifest, readResults, RESULTS_FILE, rewriteResults, runFileName, writeManifest, type Manifest, type ReadResults, type ResultLine } from './store.js';
import { writeSummaryFiles } from './sweep.js';

export type MergeOutcome =
  | { readonly kind: 'refused'; readonly problems: readonly string[] }
  | {
      readonly kind: 'done';
      readonly out: string;
      readonly runs: number;
      readonly failed: number;
      readonly failures: readonly { readonly run: string; readonly error: string }[];
      readonly summary: Summary;
      readonly warnings: readonly string[];
    };

const SHOW = 10;

function list(items: readonly string[]): string {
  return items.length <= SHOW ? items.join(', ') : `${items.slice(0, SHOW).join(', ')} and ${items.length - SHOW} more`;
}

export function mergeSweeps(dirs: readonly string[], out: string): MergeOutcome {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (dirs.length === 0) return { kind: 'refused', problems: ['nothing to merge: give the sweep output directories'] };
  const outAbs = resolve(out);
  const seenDirs = new Map<string, string>();
  for (const d of dirs) {
    const abs = resolve(d);
    if (abs === outAbs) problems.push(`${d}: the output directory cannot also be an input`);
    const before = seenDirs.get(abs);
    if (before !== undefined) problems.push(`${d}: given twice (also as ${before})`);
    seenDirs.set(abs, d);
  }
  try {
    if (existsSync(out) && readResults(out).lines.length > 0) problems.push(`${out} already holds sweep results: choose an empty --out`);
  } catch (e) {
    problems.push((e as Error).message);
  }

  const manifests: { dir: string; m: Manifest }[] = [];
  for (const d of dirs) {
    try {
      manifests.push({ dir: d, m: readManifest(d, { noLinks: true }) });
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length > 0) return { kind: 'refused', problems };

  // One experiment.
  const byHash = new Map<string, string[]>();
  for (const { dir, m } of manifests) {
    const g = byHash.get(m.experiment.hash) ?? [];
    g.push(dir);
    byHash.set(m.experiment.hash, g);
  }
  if (byHash.size > 1) {
    const groups = [...byHash.entries()].map(([hash, ds]) => {
      const m = manifests.find((x) => x.dir === ds[0])!.m;
      return `${list(ds)}: experiment ${m.experiment.name}, hash ${hash.slice(0, 12)}, ${m.tool.name} ${m.tool.version}`;
    });
    return { kind: 'refused', problems: [`the outputs come from different experiments (or scenario files, or tool versions):\n  ${groups.join('\n  ')}`] };
  }
  const first = manifests[0]!.m;
  const plan = first.plan;
  const points = expandPoints(plan);
  const cap = replicationCap(plan);

  // Runs, each from exactly one output.
  const owner = new Map<string, { dir: string; line: ResultLine }>();
  const duplicates = new Map<string, string[]>();
  for (const { dir } of manifests) {
    let read: ReadResults;
    try {
      read = readResults(dir, RESULTS_FILE, { noLinks: true });
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    if (read.cut) warnings.push(`${dir}: the last line of results.jsonl is cut short (a killed sweep); that run counts as missing`);
    if (read.bad.length > 0) warnings.push(`${dir}: results.jsonl lines ${list(read.bad.map(String))} are not result lines and were skipped`);
    const mine = new Map<string, ResultLine>();
    for (const l of read.lines) {
      const id = parseRunId(l.run);
      if (!id || id.point !== l.point || id.replication !== l.replication || l.point >= points.length || l.replication >= cap) {
        problems.push(`${dir}: run ${JSON.stringify(l.run)} is not part of the experiment's plan`);
        continue;
      }
      if (l.result !== null && l.result !== runFileName(l.run)) {
        // Only the file the sweep writes for this run: never a path chosen by the shard.
        try {
          resolveInside(dir, l.result, `run ${l.run}: result`);
          problems.push(`${dir}: run ${l.run}: result ${JSON.stringify(l.result)} is not ${runFileName(l.run)}: refused`);
        } catch (e) {
          problems.push((e as Error).message);
        }
        continue;
      }
      const have = mine.get(l.run);
      if (!have || (have.status === 'failed' && l.status === 'ok')) mine.set(l.run, l);
    }
    for (const [run, line] of mine) {
      const before = owner.get(run);
      if (before) {
        const g = duplicates.get(run) ?? [before.dir];
        g.push(dir);
        duplicates.set(run, g);
      } else owner.set(run, { dir, line });
    }
  }
  if (duplicates.size > 0) {
    // In plan order (point, replication), not the order the runs happened to finish in.
    const planOrder = (run: string): number => {
      const id = parseRunId(run)!;
      return id.point * cap + id.replication;
    };
    const pairs = [...duplicates.entries()]
      .sort(([a], [b]) => planOrder(a) - planOrder(b))
      .map(([run, ds]) => `${run} (in ${ds.join(' and ')})`);
    problems.push(`${duplicates.size} run${duplicates.size === 1 ? ' is' : 's are'} in more than one output: ${list(pairs)}; merge each shard once`);
  }

  // Every run the plan needs.
  const progress = points.map(() => new Map<number, number | null>());
  const metric = plan.precision?.metric;
  for (const { line } of owner.values()) progress[line.point]!.set(line.replication, line.status === 'ok' && metric ? (line.metrics[metric] ?? null) : null);
  const missing: string[] = [];
  const missingShards = new Set<string>();
  const counts = new Set(manifests.map((x) => x.m.shard?.count ?? 1));
  const shardCount = counts.size === 1 ? [...counts][0]! : 0;
  for (const p of points) {
    for (const r of pendingReplications(plan, progress[p.index]!, (v, level) => {
      const ci = studentT(v, level);
      return { mean: ci.mean, halfWidth: ci.halfWidth };
    })) {
      const ref = runRef(plan, p.index, r);
      missing.push(ref.id);
      if (shardCount > 1) {
        for (let k = 1; k <= shardCount; k++) {
          if (inShard(plan, ref, { index: k, count: shardCount })) {
            const provided = manifests.find((x) => x.m.shard?.index === k);
            missingShards.add(provided ? `shard ${k}/${shardCount} (${provided.dir}) is incomplete: finish it with --resume` : `no output of shard ${k}/${shardCount} was given`);
          }
        }
      }
    }
  }
  if (missing.length > 0) {
    const why = missingShards.size > 0 ? ` — ${[...missingShards].sort().join('; ')}` : '';
    problems.push(`${missing.length} run${missing.length === 1 ? ' is' : 's are'} missing: ${list(missing)}${why}`);
  }
  if (problems.length > 0) return { kind: 'refused', problems };

  // What is copied: each run's result file, inside its shard, read and validated before anything is written.
  const sorted = [...owner.values()].sort((a, b) => a.line.index - b.line.index);
  const sources = new Map<string, string | null>();
  for (const { dir, line } of sorted) {
    if (line.result === null) continue;
    try {
      const rel = resolveInside(dir, line.result, `run ${line.run}: result`);
      const src = join(dir, rel);
      if (!existsSync(src)) {
        warnings.push(`${dir}: ${rel} is missing; the merged line has no result file`);
        sources.set(line.run, null);
        continue;
      }
      readResultFile(src, { noLinks: true });
      sources.set(line.run, src);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length > 0) return { kind: 'refused', problems };

  // Write the merged output.
  let lines: ResultLine[];
  try {
    ensureDir(out);
    lines = [];
    for (const { line } of sorted) {
      let result = line.result;
      if (result !== null) {
        const src = sources.get(line.run) ?? null;
        if (src === null) result = null;
        else {
          result = runFileName(line.run);
          writeAtomic(join(out, result), readStoredFile(src, { noLinks: true }));
        }
      }
      lines.push({ ...line, result });
    }
  } catch (e) {
    return { kind: 'refused', problems: [(e as Error).message] };
  }
  writeManifest(out, {
    ...first,
    shard: null,
    mergedFrom: manifests.map(({ dir, m }) => ({ dir, shard: m.shard })),
  });
  rewriteResults(out, lines);
  const summary = writeSummaryFiles(out, plan, first.experiment.hash, lines);
  const failures = lines.filter((l) => l.status === 'failed').map((l) => ({ run: l.run, error: l.error ?? '' }));
  if (manifests.every((x) => x.m.shard === null) && manifests.length > 1) warnings.push('none of the outputs is a shard: merged anyway (no run is in two of them)');
  return { kind: 'done', out, runs: lines.length, failed: failures.length, failures, summary, warnings };
}
