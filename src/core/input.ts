/**
 * How much of a follower's message the agent reads. Every step that scales with the text (command
 * normalisation, the rules, understanding, search) reads only its head, so one very long message costs
 * what a normal one does and cannot stall the followers behind it (issue 10, item 5: a 63 KB pinyin
 * message held the event loop ~600 ms). Followers' real messages are far shorter.
 */

/** Characters of a message read by the agent, the rules and understanding (UTF-16 code units). */
export const MAX_INPUT_CHARS = 512;

/**
 * The part of a text the agent reads: at most `MAX_INPUT_CHARS`, never ending in half a surrogate pair.
 * @example headOf('连衣裙') // '连衣裙'; headOf('x'.repeat(60_000)).length // 512
 */
export function headOf(text: string, max = MAX_INPUT_CHARS): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  // A high surrogate at the cut would leave a lone half of an emoji: cut before it.
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
