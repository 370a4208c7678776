import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { AgentFileCode, DiagnosticCode, ScriptCode } from '../../server/src/engine/codes';

const README = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

it('every diagnostic code has the README section its codeDescription links to', () => {
  const headings = new Set([...README.matchAll(/^### (\S+)$/gm)].map((match) => match[1]));
  const missing = [...Object.values(DiagnosticCode), ...Object.values(ScriptCode), ...Object.values(AgentFileCode)].filter((code) => !headings.has(code));
  assert.deepEqual(missing, []);
});
