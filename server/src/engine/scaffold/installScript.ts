import { shellQuote } from './compose';
import type { ScaffoldFile } from './types';

/**
 * The text of install.sh: copies each file to its place on the VM with root as owner and the
 * modes the agent demands (config 600, scripts 700), each in one rename. The config comes last,
 * so that the agent never reads a config whose scripts are not there yet.
 */
export function composeInstallScript(app: string, files: readonly ScaffoldFile[]): string {
  const ordered = [...files.filter((file) => file.role !== 'config'), ...files.filter((file) => file.role === 'config')];
  const lines = [
    '#!/bin/sh',
    `# Installs the vmsnapshot ${app} scaffold for Azure Backup: the pre/post scripts, the config`,
    '# and, when it is not there yet, the options file, owned by root with the modes the agent',
    '# demands (config 600, scripts 700).',
    '# Usage, as root, from any folder: sh install.sh [ROOT]',
    '# ROOT (default /) stands for the VM\'s /, to stage the files in an image or a test folder.',
    'set -eu',
    'umask 077',
    'here=$(cd "$(dirname "$0")" && pwd)',
    'root=${1:-/}',
    'root=${root%/}',
    'if [ "$(id -u)" -ne 0 ]; then',
    '  echo "install.sh: run it as root (sudo sh install.sh): the agent runs only files owned by root" >&2',
    '  exit 1',
    'fi',
    '',
    '# Puts one file in place with its final owner and mode in one rename, so that the agent never',
    '# sees a half-written file or a wrong mode. A different file already there is kept aside.',
    'put() {',
    '  src=$1',
    '  target=$root$2',
    '  mkdir -p "$(dirname "$target")"',
    '  if [ -f "$target" ] && ! cmp -s "$src" "$target"; then',
    '    kept="$target.bak-$(date +%Y%m%d%H%M%S)"',
    '    cp -p "$target" "$kept"',
    '    echo "kept the previous $2 as $kept"',
    '  fi',
    '  tmp="$target.vmsnapshot-tmp.$$"',
    '  cp "$src" "$tmp"',
    '  chown 0:0 "$tmp"',
    '  chmod "$3" "$tmp"',
    '  mv -f "$tmp" "$target"',
    '  echo "installed $2 (owner root, mode $3)"',
    '}',
    '',
    '# The options file holds the credentials once edited: never replaced.',
    'put_once() {',
    '  if [ -e "$root$2" ]; then',
    '    echo "kept the existing $2"',
    '  else',
    '    put "$@"',
    '    echo "  edit $2 to match this server"',
    '  fi',
    '}',
    '',
  ];
  for (const file of ordered) {
    if (!file.vmPath) continue;
    const command = file.keepExisting ? 'put_once' : 'put';
    lines.push(`${command} "$here/"${shellQuote(file.name)} ${shellQuote(file.vmPath)} ${file.mode.toString(8)}`);
  }
  const config = files.find((file) => file.role === 'config');
  lines.push('', `echo "Check it with: vmsnapshot check --root \${root:-/} \${root}${config?.vmPath ?? ''}"`, '');
  return lines.join('\n');
}
