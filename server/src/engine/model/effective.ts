/** What the agent will actually use, after its defaults, caps and conversions. */
export interface EffectiveValues {
  /** `min(value, host cap)`; null when it is NaN or -Infinity (no usable limit). */
  timeoutInSeconds: number | null;
  pollSeconds: number;
  /** The real limit: the agent counts whole poll intervals, so the timeout rounds up to one. */
  timeoutLimitSeconds: number | null;
  hostCapSeconds: number;
  /** Re-runs after a failure the agent really does: always 0, whatever the config says. */
  preScriptNoOfRetries: number;
  postScriptNoOfRetries: number;
  continueBackupOnFailure: boolean;
  fsFreezeEnabled: boolean;
  /** Exactly what the agent passes to `subprocess.Popen`, or null when building it crashes. */
  preScriptArgv: string[] | null;
  postScriptArgv: string[] | null;
}
