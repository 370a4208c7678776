import type { ErrorObject } from 'ajv';
import { findNodeAtLocation, getNodeValue } from 'jsonc-parser';
import { DiagnosticCode } from '../codes';
import * as l10n from '@vscode/l10n';
import type { ConfigDocument } from '../parse/configDocument';
import { validateAgainstSchema } from '../schema';
import type { DiagnosticSink } from './sink';

/** Keywords whose findings the agent-specific checks already state more precisely. */
const COVERED_ELSEWHERE = new Set(['additionalProperties', 'required']);

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return l10n.t('Expected a value of type {0}.', String(params.type));
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return l10n.t('The value must be {0} {1}.', String(params.comparison), String(params.limit));
    case 'pattern':
      return l10n.t('The value does not match the expected form {0}.', String(params.pattern));
    default:
      return error.message ?? error.keyword;
  }
}

/**
 * Types and ranges from the schema, for what the agent-specific rules do not already explain
 * (those know what the agent then does; the schema only knows what is allowed).
 */
export function checkSchema(document: ConfigDocument, sink: DiagnosticSink, explainedKeys: ReadonlySet<string>): void {
  const root = document.root;
  if (root?.type !== 'object') return;
  for (const error of validateAgainstSchema(getNodeValue(root))) {
    if (COVERED_ELSEWHERE.has(error.keyword)) continue;
    const segments = error.instancePath
      .split('/')
      .slice(1)
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
    const topKey = segments[0];
    if (typeof topKey === 'string' && explainedKeys.has(topKey)) continue;
    const node = findNodeAtLocation(root, segments);
    if (!node) continue;
    sink.atNode(node, {
      code: DiagnosticCode.invalidValue,
      severity: 'warning',
      message: typeof topKey === 'string' ? `${topKey}: ${describe(error)}` : describe(error),
      data: { rule: `schema.${error.keyword}` },
    });
  }
}
