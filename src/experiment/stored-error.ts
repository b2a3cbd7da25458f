/** The error of a stored file that does not validate; in its own module so that catching it loads no schema tooling. */

/** A stored file that is not what it should be: exit 2 with `path: field: problem`. */
export class StoredFileError extends Error {
  override name = 'StoredFileError';
  constructor(
    readonly path: string,
    readonly field: string,
    reason: string,
  ) {
    super(`${path}: ${field === '' ? '' : `${field}: `}${reason}`);
  }
}
