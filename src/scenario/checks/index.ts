/**
 * Checks of a validated scenario that no one kind's schema can make (issue 15, item 6): they look across
 * objects, or at values schemas accept but the model would get silently wrong. Called from validate.ts.
 */
import type { Problems } from '../problems.js';
import type { Resource } from '../resource.js';
import type { ValidatedScenario } from '../validate.js';
import { checkDuplicateControllers } from './duplicates.js';
import { checkExternalNames } from './external-names.js';
import { checkHeavyTails } from './heavy-tails.js';
import { checkNames } from './names.js';
import { checkProtocols } from './protocols.js';

export { checkEmptyFiles } from './empty-files.js';

export function checkValidated(v: ValidatedScenario, resources: readonly Resource[], problems: Problems): void {
  checkDuplicateControllers(v, problems);
  checkNames(v, problems);
  checkExternalNames(v, problems);
  checkProtocols(v, problems);
  checkHeavyTails(resources, problems);
}
