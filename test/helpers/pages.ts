/**
 * A follower's browser on the mobile pages, over real HTTP without a browser: it arrives through a link carrying
 * their token (the page keeps it in a cookie), keeps the cookies it is given, and fills in forms.
 */
import { expect } from 'vitest';
import type { FollowerTokens } from '../../src/core/follower-token.ts';
import { accountId, userId } from '../../src/core/messages.ts';

export interface Answer {
  readonly status: number;
  readonly location: string | null;
  readonly body: string;
  readonly setCookies: string[];
}

/** The hidden form key of a page, or null. */
export const formKeyIn = (body: string): string | null => /name="key" value="([^"]+)"/.exec(body)?.[1] ?? null;

export class FollowerBrowser {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  private keep(res: Response): string[] {
    const set = res.headers.getSetCookie();
    for (const c of set) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return set;
  }

  /** One request, no redirect followed; a relative or absolute URL (on another host of the same server too). */
  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Answer> {
    const target = url.startsWith('http') ? url : `${this.base}${url}`;
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(target, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    const setCookies = this.keep(res);
    return { status: res.status, location: res.headers.get('location'), body: await res.text(), setCookies };
  }

  get = (url: string) => this.request(url);
  post = (url: string, form: Record<string, string>) => this.request(url, { form });

  /** Opens a link Guang sent this follower (`?t=`): the page keeps the token and drops it from the address. */
  async arrive(tokens: FollowerTokens, user: string, path: string, account = 'default'): Promise<void> {
    const sep = path.includes('?') ? '&' : '?';
    const r = await this.get(`${path}${sep}t=${tokens.sign(accountId(account), userId(user))}`);
    expect(r.status).toBe(302);
    expect(r.location).toBe(path);
    expect(this.cookies.has('guang_f')).toBe(true);
  }
}
