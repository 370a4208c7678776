import { DiagnosticCode } from '../codes';
import * as l10n from '@vscode/l10n';
import type { ConfigDocument } from '../parse/configDocument';
import type { StrictProblemKind } from '../parse/strictJson';
import { silentFailureNote } from './messages';
import type { DiagnosticSink } from './sink';

function describeProblem(kind: StrictProblemKind): string {
  switch (kind) {
    case 'bom':
      return l10n.t('The file starts with a UTF-8 byte order mark (BOM), which Python\'s json.load rejects.');
    case 'bomOnDisk':
      return l10n.t('The file on disk starts with a UTF-8 byte order mark (BOM), which the editor hides and Python\'s json.load rejects. Save it as UTF-8 without BOM (Change File Encoding → Save with Encoding → UTF-8).');
    case 'comment':
      return l10n.t('Comments are not allowed in strict JSON, and the agent parses the file with Python\'s json.load.');
    case 'trailingComma':
      return l10n.t('Trailing comma: strict JSON allows no comma before a closing bracket.');
    case 'singleQuote':
      return l10n.t('Single quotes are not JSON: strings and keys need double quotes.');
    case 'unquotedKey':
      return l10n.t('Unquoted key: JSON keys need double quotes.');
    case 'controlCharacter':
      return l10n.t('Control character inside a string: write it as an escape such as \\n or \\t.');
    case 'invalidEscape':
      return l10n.t('Invalid escape sequence in a string.');
    case 'unexpectedToken':
      return l10n.t('Unexpected text: this is not valid JSON here.');
    case 'unexpectedEnd':
      return l10n.t('The JSON text ends too early: a bracket, quote or value is missing.');
    case 'extraData':
      return l10n.t('Extra text after the end of the JSON value.');
    case 'empty':
      return l10n.t('The file is empty: the agent needs a JSON object with preScriptLocation and postScriptLocation.');
  }
}

/** Everything Python's json.load rejects becomes IncorrectJSONConfigFile: agent code 305. */
export function checkSyntax(document: ConfigDocument, sink: DiagnosticSink): boolean {
  for (const problem of document.strict.problems) {
    sink.atOffset(problem.offset, problem.length, {
      code: DiagnosticCode.incorrectJsonConfigFile,
      severity: 'error',
      message: `${describeProblem(problem.kind)} ${l10n.t('The agent cannot load the config (305).')} ${silentFailureNote()}`,
      agentCode: 305,
      data: { rule: problem.kind },
    });
  }
  return document.strict.problems.length === 0;
}
