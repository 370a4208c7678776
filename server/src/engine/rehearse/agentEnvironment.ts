/**
 * The environment the agent's scripts get: the guest agent is a systemd service, whose children
 * inherit systemd's default PATH and nothing of a login shell (no HOME, TERM, LANG, no profile).
 */
export const AGENT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function agentEnvironment(): Record<string, string> {
  return { PATH: AGENT_PATH };
}
