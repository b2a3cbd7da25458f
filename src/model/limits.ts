/**
 * Limits shared by the model and the layers above, in a module that imports nothing, so that checking a
 * scenario (`netsim validate`) does not load the simulator to learn a constant.
 */

/** The default event ceiling of a run (docs/reliability.md). */
export const DEFAULT_MAX_EVENTS = 1e10;
