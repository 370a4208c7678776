/** The engine's public surface, shared by the language server, the CLI and the tests. */
export * from './analyze';
export * from './codes';
export * from './types';
export type { EffectiveValues } from './model/effective';
export type { AgentOutcome } from './outcome';
export { CONFIG_KEYS, findKeyInfo } from './model/keys';
export type { ConfigKeyInfo } from './model/keys';
export { setLocale, getLocale } from './l10n';
export { nodeFileSystem } from './fs/fileSystem';
export type { FileSystem, FileInfo } from './fs/fileSystem';
export { parseConfigDocument } from './parse/configDocument';
export type { ConfigDocument, ConfigProperty, JsonNode } from './parse/configDocument';
export { inferPathContext, resolveVmPath } from './paths/pathResolution';
export type { PathContext } from './paths/pathResolution';
