/**
 * One-shot analyses for tests and scripts: each call makes a fresh engine, so nothing is cached
 * between calls. Front ends keep one engine (`createEngine`) instead.
 */
import { AnalysisResult, AnalyzeOptions, FileAnalysis, isUnreadable } from './analyze';
import { createEngine } from './service/engine';

export function analyzeConfigText(text: string, options: AnalyzeOptions = {}): AnalysisResult {
  return createEngine({ fileSystem: options.fileSystem }).analyzeText(text, options);
}

/** As `Engine.analyzeFile`, for configs this user can read (throws otherwise, saying so). */
export function analyzeConfigFile(configPath: string, options: AnalyzeOptions = {}): FileAnalysis {
  const analysis = createEngine({ fileSystem: options.fileSystem }).analyzeFile(configPath, options);
  if (isUnreadable(analysis)) throw new Error(`${configPath} cannot be read as this user: use Engine.analyzeFile, which reports it`);
  return analysis;
}
