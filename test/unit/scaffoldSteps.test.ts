// The editor's scaffold wizard numbers its steps from the questions it asks (issue 16, item 7).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findApp } from '../../server/src/engine/scaffold';
import { settingsQuestions, wizardStepCount } from '../../client/src/scaffoldSteps';

function apps(...ids: string[]) {
  return ids.map((id) => {
    const app = findApp(id);
    assert.ok(app, id);
    return app;
  });
}

function asked(...ids: string[]): string[] {
  return settingsQuestions(apps(...ids)).map((question) => (question.kind === 'timeout' ? 'timeout' : `${question.kind}:${question.app.id}`));
}

describe('scaffold wizard steps', () => {
  it('asks one question per application need, then the time limit', () => {
    assert.deepEqual(asked('generic'), ['timeout']);
    assert.deepEqual(asked('oracle'), ['timeout']);
    assert.deepEqual(asked('postgresql'), ['credentials:postgresql', 'timeout']);
    assert.deepEqual(asked('mongodb'), ['credentials:mongodb', 'timeout']);
    assert.deepEqual(asked('docker'), ['names:docker', 'timeout']);
    // Names first (they have no default), then each database's credentials file, in the order checked.
    assert.deepEqual(asked('mysql', 'systemd', 'postgresql'), ['names:systemd', 'credentials:mysql', 'credentials:postgresql', 'timeout']);
  });

  it('counts the applications step, every question and the destination', () => {
    assert.equal(wizardStepCount(apps('generic')), 3);
    assert.equal(wizardStepCount(apps('mysql')), 4);
    assert.equal(wizardStepCount(apps('mysql', 'systemd')), 5);
    assert.equal(wizardStepCount(apps('systemd', 'docker', 'mysql', 'mongodb')), 7);
  });

  it('asks for the credentials file the template itself reads', () => {
    const [question] = settingsQuestions(apps('mysql'));
    assert.equal(question.kind === 'credentials' && question.setting.name, 'options_file');
    assert.equal(question.kind === 'credentials' && question.setting.defaultValue, '/etc/azure/vmsnapshot/mysql.cnf');
  });
});
