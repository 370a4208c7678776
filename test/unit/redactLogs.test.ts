/**
 * Redaction of every sensitive template of agent-logs.md §6: the secret goes, every other byte
 * of the line stays. Each case is a real template line and the exact line expected back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainLogs } from '../../server/src/engine/logs/explain';
import { redactText } from '../../server/src/engine/logs/redact';
import { DB_PASSWORD, DD_TOKEN, MACHINE_ID, SNAPSHOT_TOKEN, spec, statusJson, STORAGE_ACCOUNT, TASK_A, writeRun } from './agentLogTemplates';

const P = '2026-12-02 14:26:43.161816 [Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0]';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9abc123';
const THUMBPRINT = '3A1B2C3D4E5F60718293A4B5C6D7E8F901234567';

const CASES: [string, string, string][] = [
  ['snapshotTaskToken line', `${P}snapshotTaskToken : ${TOKEN}`, `${P}snapshotTaskToken : REDACTED`],
  ['Host Request body', `${P}Host Request body : {"taskId": "${TASK_A}", "snapshotTaskToken": "${TOKEN}", "snapshotMode": "host"}`, `${P}Host Request body : {"taskId": "REDACTED-guid-1", "snapshotTaskToken": "REDACTED", "snapshotMode": "host"}`],
  ['DirectDrive token from host', `${P}ddSnapshotIdentifier Information from Host- creationTime : 2026-12-02T14:26:52Z, id : 42, token : ${TOKEN}, instantAccessDurationMinutes : 60`, `${P}ddSnapshotIdentifier Information from Host- creationTime : 2026-12-02T14:26:52Z, id : 42, token : REDACTED, instantAccessDurationMinutes : 60`],
  ['DirectDrive token to CRP', `${P}DDSnapshotIdentifier Information to CRP- creationTime : 2026-12-02T14:26:52Z, id : 42, token : short-tok`, `${P}DDSnapshotIdentifier Information to CRP- creationTime : 2026-12-02T14:26:52Z, id : 42, token : REDACTED`],
  ['token in the status JSON', '{"directDriveSnapshotIdentifier": {"id": "42", "token": "abc"}}', '{"directDriveSnapshotIdentifier": {"id": "42", "token": "REDACTED"}}'],
  ['token in the nested status JSON string', '"name": "[{\\"token\\": \\"abc def\\", \\"id\\": 1}]"', '"name": "[{\\"token\\": \\"REDACTED\\", \\"id\\": 1}]"'],
  ['SAS signature (Python 2 curl fallback)', `${P}curl error is: > PUT /vhds/disk0.vhd?comp=snapshot&sv=2019&sig=AbC%2Fdef%3D HTTP/1.1`, `${P}curl error is: > PUT /vhds/disk0.vhd?comp=snapshot&sv=2019&sig=REDACTED HTTP/1.1`],
  ['SAS URI of a blob', `${P}statusBlobUri https://${STORAGE_ACCOUNT}.blob.core.windows.net/status/vm.status?sv=2019&sig=xyz`, `${P}statusBlobUri https://REDACTED.blob.core.windows.net/REDACTED?REDACTED`],
  ['account and path of the sas uri object', `${P}Details of sas uri object  hostname: ${STORAGE_ACCOUNT}.blob.core.windows.net path: vhds/disk0.vhd`, `${P}Details of sas uri object  hostname: REDACTED.blob.core.windows.net path: REDACTED`],
  ['guest path blobUri', `${P}index: 0 blobUri: https://${STORAGE_ACCOUNT}.z12.blob.storage.azure.net/vhds/disk0.vhd`, `${P}index: 0 blobUri: https://REDACTED.z12.blob.storage.azure.net/REDACTED`],
  ['machine id', `${P}Unique Machine Id  : ${MACHINE_ID}`, `${P}Unique Machine Id  : REDACTED-guid-1`],
  ['thumbprint in settings', `{"protectedSettingsCertThumbprint": "${THUMBPRINT}", "publicSettings": {}}`, '{"protectedSettingsCertThumbprint": "REDACTED", "publicSettings": {}}'],
  ['protected settings and objectStr', '{"protectedSettings": "MIIB+base64==", "publicSettings": {"objectStr": "eyJ0b2tlbiI6ICJ4In0="}}', '{"protectedSettings": "REDACTED", "publicSettings": {"objectStr": "REDACTED"}}'],
  ['MySQL credentials (pre)', `${P}WorkloadPatch: command to execute: sudo mysql -uroot -p${DB_PASSWORD} -e"set @timeout=60"`, `${P}WorkloadPatch: command to execute: sudo mysql -uREDACTED -pREDACTED -e"set @timeout=60"`],
  ['MySQL defaults file (post-slave)', `${P}WorkloadPatch: command to execute: mysql --defaults-extra-file=/root/.my.cnf -e"start slave"`, `${P}WorkloadPatch: command to execute: mysql --defaults-extra-file=REDACTED -e"start slave"`],
  ['Oracle user', `${P}WorkloadPatch: argument passed for pre script:su - oracle -c 'sqlplus /nolog'`, `${P}WorkloadPatch: argument passed for pre script:su - REDACTED -c 'sqlplus /nolog'`],
  ['Oracle SID and home', `${P}WorkloadPatch: Pre- Inside oracle pre for instance with SID: ORCL HOME: /u01/app/oracle`, `${P}WorkloadPatch: Pre- Inside oracle pre for instance with SID: REDACTED HOME: REDACTED`],
  ['backup metadata headers', `${P}{'x-ms-meta-vmname': 'prod-db-01', 'x-ms-version': '2019-02-02'}`, `${P}{'x-ms-meta-vmname': 'REDACTED', 'x-ms-version': '2019-02-02'}`],
  ['resource ids', `${P}/subscriptions/${MACHINE_ID}/resourceGroups/prod-rg/providers/Microsoft.Compute/virtualMachines/prod-db-01`, `${P}/subscriptions/REDACTED-guid-1/resourceGroups/REDACTED/providers/Microsoft.Compute/virtualMachines/REDACTED`],
];

describe('redaction: every sensitive template, nothing else changed', () => {
  for (const [name, line, expected] of CASES) {
    it(name, () => {
      const redacted = redactText(line);
      assert.equal(redacted.text, expected);
      assert.ok(redacted.count > 0);
    });
  }

  it('a whole run: the secrets are gone, lines without them are byte for byte the same, and it explains the same', () => {
    const text = writeRun(spec({ disks: 2, workloadCredentials: true })).text;
    const redacted = redactText(text).text;
    for (const secret of [SNAPSHOT_TOKEN, DD_TOKEN, MACHINE_ID, STORAGE_ACCOUNT, DB_PASSWORD, TASK_A]) assert.ok(!redacted.includes(secret), secret);
    const before = text.split('\n');
    const after = redacted.split('\n');
    assert.equal(after.length, before.length);
    const changed = before.filter((line, index) => line !== after[index]);
    for (const line of changed) assert.match(line, /snapshotTaskToken|token : |Unique Machine Id|taskId|blob\.core\.windows\.net|command to execute|status report message|customSettings/);
    assert.ok(before.filter((line, index) => line === after[index]).length > 70);
    const original = explainLogs([{ path: 'extension.log', text }]).runs[0];
    const fromRedacted = explainLogs([{ path: 'extension.log', text: redacted }]).runs[0];
    for (const field of ['pre', 'post', 'freeze', 'snapshot', 'consistency', 'finalCode', 'healthCode'] as const) assert.deepEqual(fromRedacted[field], original[field], field);
  });

  it('a status file stays valid JSON with every token, id and account gone', () => {
    const status = statusJson({ code: 1, taskId: TASK_A, healthCode: 301, snapshotConsistency: 0, disks: [true, false], word: 'success', terminal: true });
    const redacted = redactText(status).text;
    const parsed = JSON.parse(redacted) as { status: { substatus: { name: string }[] } }[];
    JSON.parse(parsed[0].status.substatus[0].name);
    for (const secret of [DD_TOKEN, MACHINE_ID, STORAGE_ACCOUNT, TASK_A]) assert.ok(!redacted.includes(secret), secret);
    assert.equal(explainLogs([{ path: '12.status', text: redacted }]).runs[0].healthCode, 301);
  });

  it('the same GUID gets the same name, so a task can still be followed', () => {
    const { text } = redactText(`taskId: ${TASK_A}\n"taskId": "${TASK_A.toUpperCase()}"\nUnique Machine Id  : ${MACHINE_ID}`);
    assert.equal(text, 'taskId: REDACTED-guid-1\n"taskId": "REDACTED-guid-1"\nUnique Machine Id  : REDACTED-guid-2');
  });
});
