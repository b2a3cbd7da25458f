/**
 * Measurement helpers for benchmarks: wall time, and the number of garbage collections during a run (zero
 * minor GCs over millions of events is the evidence that the hot path does not allocate).
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';

export interface Measured<T> {
  readonly value: T;
  /** Wall-clock seconds. */
  readonly seconds: number;
  /**
   * CPU seconds of the whole process (user + system) over the same span: it leaves out time the VM's
   * hypervisor gave to others, and counts V8's background threads (GC, compilation).
   */
  readonly cpuSeconds: number;
  readonly minorGCs: number;
  readonly majorGCs: number;
}

export async function measure<T>(fn: () => T): Promise<Measured<T>> {
  let minor = 0;
  let major = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      // NODE_PERFORMANCE_GC_MINOR = 1 (scavenge); anything else is a full or incremental collection.
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === 1) minor++;
      else major++;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // GC entries are delivered asynchronously.
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  return { value, seconds, cpuSeconds, minorGCs: minor, majorGCs: major };
}

export function fmtRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k`;
  return perSecond.toFixed(0);
}

export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
