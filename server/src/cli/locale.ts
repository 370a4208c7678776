/** The CLI's language: --locale, else the POSIX locale variables (pt_BR.UTF-8 → pt-br). */
export function localeFromEnvironment(env: NodeJS.ProcessEnv): string {
  const raw = env.LC_ALL || env.LC_MESSAGES || env.LANG || 'en';
  const base = raw.split('.')[0].replace('_', '-').toLowerCase();
  return base === 'c' || base === 'posix' ? 'en' : base;
}
