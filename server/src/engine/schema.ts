import type { ErrorObject } from 'ajv';
import validateConfig from './generated/validateConfig';

interface StandaloneValidator {
  (value: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/**
 * The schema's validator, compiled once at build time by scripts/generate-validator.mjs with
 * ajv's standalone code: nothing to compile when the server starts, and no ajv to ship.
 */
export function validateAgainstSchema(value: unknown): ErrorObject[] {
  const validate = validateConfig as StandaloneValidator;
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
