/**
 * The getting-started walkthrough: five steps, each with a command link and its own page, in
 * English and Portuguese. That the built-in commands it links to exist is checked in the real
 * VS Code (test/e2e/suite/structure.test.ts).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as T;

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown: string };
  completionEvents: string[];
}

const manifest = read<{ contributes: { walkthroughs: Array<{ steps: Step[] }>; commands: Array<{ command: string }> } }>('package.json');
const steps = manifest.contributes.walkthroughs[0].steps;
const languages = { en: read<Record<string, string>>('package.nls.json'), 'pt-br': read<Record<string, string>>('package.nls.pt-br.json') };
const localized = (nls: Record<string, string>, value: string): string => value.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? `missing ${key}`);

/** The commands the walkthrough links to, in the order of its steps. */
export function walkthroughCommands(description: string): string[] {
  return [...description.matchAll(/\]\(command:([\w.-]+)/g)].map((match) => match[1]);
}

describe('walkthrough', () => {
  it('goes from the config to the VM: open, scaffold, read the result, deploy, check on the VM', () => {
    assert.deepEqual(steps.map((step) => step.id), ['config', 'scaffold', 'outcome', 'deploy', 'remote']);
  });

  for (const [language, nls] of Object.entries(languages)) {
    it(`${language}: every step has a command link on its own line and a page of its own`, () => {
      const pages = new Set<string>();
      for (const step of steps) {
        const description = localized(nls, step.description);
        assert.ok(walkthroughCommands(description).length > 0, `${step.id}: no command link in "${description}"`);
        assert.match(description, /\n\[[^\]]+\]\(command:/, `${step.id}: links render as buttons only on their own line`);
        const page = localized(nls, step.media.markdown);
        assert.ok(page.includes(`/${language}/`), `${step.id}: ${page} is not the ${language} page`);
        assert.ok(fs.statSync(path.join(ROOT, page)).size > 100, page);
        pages.add(fs.readFileSync(path.join(ROOT, page), 'utf8'));
      }
      assert.equal(pages.size, steps.length, 'each step has its own text');
    });
  }

  it('the scaffold step runs our own command, and the two languages link the same commands', () => {
    const ours = manifest.contributes.commands.map((command) => command.command);
    assert.ok(walkthroughCommands(localized(languages.en, steps[1].description)).every((command) => ours.includes(command)));
    for (const step of steps) assert.deepEqual(walkthroughCommands(localized(languages['pt-br'], step.description)), walkthroughCommands(localized(languages.en, step.description)), step.id);
  });
});
