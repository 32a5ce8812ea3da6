/**
 * What the admin API needs from the pipeline to let staff try the bot (routes/conversation.ts), injected by the
 * server (AdminApiOptions.dryRun and .chat): the dry run and the console's test follower live in src/app.
 */
import type { AnsweredBy } from '../core/answered-by.ts';
import type { Reply } from '../core/messages.ts';
import type { RuleCandidate } from '../merchant/rules/match.ts';

/** What a follower does, as the pipeline takes it (a location only in the chat: the dry run takes text and events). */
export type TryInput =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'follow'; readonly scene: string | null }
  | { readonly kind: 'scan'; readonly scene: string }
  | { readonly kind: 'menu_click'; readonly key: string };
export type ChatInput = Exclude<TryInput, { kind: 'scan' }> | { readonly kind: 'location'; readonly lat: number; readonly lng: number; readonly label: string };

/** The dry run (src/app/dry-run.ts) as the API needs it: `at` null is now; `chinese`: the explanation in Chinese. */
export type DryRunner = (request: { account: string; user: string; input: TryInput; at: number | null; chinese: boolean }) => Promise<{
  readonly answeredBy: AnsweredBy | null;
  readonly reply: Reply;
  readonly followUps: readonly Reply[];
  readonly intent: string | null;
  readonly candidates: readonly RuleCandidate[];
  readonly explanation: readonly string[];
}>;

/** The console's test follower talking to the live bot (src/app/console-chat.ts). */
export interface ConsoleChat {
  /** Every message the follower gets for one input: the passive reply, then a rule's further replies. */
  say(request: { account: string; user: string; input: ChatInput }): Promise<{ readonly answeredBy: AnsweredBy | null; readonly reply: Reply; readonly followUps: readonly Reply[] }>;
  /** Forgets the follower's conversation (what was asked and shown). */
  restart(request: { account: string; user: string }): Promise<void>;
}
