/**
 * ModelSpec fixtures for model tests: the spec builders of `src/model/helpers/spec-builders.ts`, which
 * the benchmarks share.
 */
export * from '../../src/model/helpers/spec-builders.js';
