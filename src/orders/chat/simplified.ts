/**
 * A command in simplified characters: 「買第2個」 reads as 「买第2个」. Only a message with a traditional character
 * the order words use pays for the conversion (the search normaliser's, a few microseconds); others pass as they are.
 */
import { normalizeCommand } from '../../core/command.ts';
import { normalize } from '../../search/understand/normalize.ts';

/** Traditional forms of the characters the order words and the service questions use. */
const TRADITIONAL = /[買單購訂貨發郵運費遞退換嗎麼們個這條雙碼來兩號確認消還價錢寄須誰機優惠門營業時間開關點轉聯繫實體線樣氣溫說講話歲無訴評騙質壞寶貝]/;

/** @example simplifiedCommand('買第2個') // '买第2个' */
export function simplifiedCommand(command: string): string {
  return TRADITIONAL.test(command) ? normalizeCommand(normalize(command)) : command;
}
