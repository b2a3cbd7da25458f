/** Probability distributions for the engine: the interface, the families and the string parser. */
export type { Distribution } from './distribution.js';
export type { ValueDimension } from './dimension.js';
export { Constant } from './constant.js';
export { Uniform } from './uniform.js';
export { Exponential } from './exponential.js';
export { Erlang } from './erlang.js';
export { Gamma } from './gamma.js';
export { TruncatedNormal } from './normal.js';
export { LogNormal } from './lognormal.js';
export { Pareto } from './pareto.js';
export { Weibull } from './weibull.js';
export { Mixture, WEIGHT_TOLERANCE, type MixtureComponent } from './mixture.js';
export { Empirical, readSamples, SampleFileError, type SampleFile } from './empirical.js';
export { FAMILY_NAMES } from './families.js';
export { parseDistribution, type ParseDistributionOptions } from './parse.js';
export { gammaFunction, normalCdf, normalPdf, normalQuantile } from './special.js';
