/**
 * Simulated time. The engine's unit is the second, as a double: at 1 h of simulated time a double still
 * resolves ~0.5 ns, far below any latency the model represents.
 *
 * These are aliases, not brands: arithmetic on times must stay free in the hot path. The names document
 * intent at API boundaries.
 */
export type Seconds = number;
/** Events per second (arrival rates, service rates). */
export type PerSecond = number;
/** Byte counts (request and response sizes, cross-zone traffic). */
export type Bytes = number;
