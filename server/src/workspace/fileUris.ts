import { pathToFileURL } from 'url';

/** Beyond this many paths the memory starts over: configs name a handful of files. */
const MAX_REMEMBERED = 256;

/**
 * `file:` URIs of local paths, each made once. Every keystroke in a config publishes at its
 * scripts and the agent's other files by URI, and pathToFileURL was a tenth of that work.
 */
export class FileUris {
  private readonly uris = new Map<string, string>();

  of(path: string): string {
    let uri = this.uris.get(path);
    if (uri === undefined) {
      if (this.uris.size >= MAX_REMEMBERED) this.uris.clear();
      this.uris.set(path, (uri = pathToFileURL(path).toString()));
    }
    return uri;
  }
}
