import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { findAssetsRoot } from './assets';

export const SCHEMA_FILE_NAME = 'vmsnapshot-script-plugin-config.schema.json';

let cachedSchema: Record<string, unknown> | undefined;
let cachedValidator: ValidateFunction | undefined;

export function loadSchema(): Record<string, unknown> {
  cachedSchema ??= JSON.parse(fs.readFileSync(path.join(findAssetsRoot(), 'schemas', SCHEMA_FILE_NAME), 'utf8')) as Record<string, unknown>;
  return cachedSchema;
}

/** Compiled once per process: compiling costs far more than validating a small config. */
export function validateAgainstSchema(value: unknown): ErrorObject[] {
  if (!cachedValidator) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    // Editor-only annotations of the schema, which ajv has no reason to know.
    ajv.addVocabulary(['markdownDescription', 'defaultSnippets']);
    cachedValidator = ajv.compile(loadSchema());
  }
  return cachedValidator(value) ? [] : [...(cachedValidator.errors ?? [])];
}
