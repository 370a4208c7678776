// Placeholder until the scaffolding module lands; keeps the CLI compiling.
export async function runScaffoldCommand(_args: string[]): Promise<number> {
  process.stderr.write('vmsnapshot: scaffold is not available in this build\n');
  return 2;
}
