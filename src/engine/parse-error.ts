/**
 * A problem in a user-written string (a duration, a rate, a distribution).
 *
 * `offset` and `length` point into the string that was parsed, so the scenario layer, which knows where
 * that string sits in a YAML file, can turn them into `file:line:col`. The engine itself knows no files.
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    /** What was wrong, phrased as "expected X, found Y". */
    message: string,
    /** Character offset of the problem within the parsed text. */
    readonly offset: number = 0,
    /** Length of the offending span (at least 1 for display). */
    readonly length: number = 1,
  ) {
    super(message);
  }
}
