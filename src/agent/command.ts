/**
 * Normalises what a follower typed for matching commands such as 「帮助」 or 「TD」: full-width to
 * half-width (NFKC), case, surrounding spaces and trailing punctuation. The search normaliser (later)
 * goes further; commands need only this.
 */
export function normalizeCommand(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[\s.,!~。，！～、]+|[\s.,!~。，！～、]+$/gu, '')
    .replace(/(?<=.)\?+$/u, '');
}
