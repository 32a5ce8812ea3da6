/** Dates on screen are Beijing time, whatever the browser's own zone (a merchant travelling still sees shop time). */

const ZONE = 'Asia/Shanghai';
const timeFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/** 2026-11-01T16:00:00Z → 「2026/11/02 00:00」 */
export const beijingTime = (iso: string | number): string => timeFormat.format(new Date(iso));

/** An API day (2026-11-02, already a Beijing day) as 「11/02」. */
export const shortDay = (day: string): string => day.slice(5).replace('-', '/');

const dayKey = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Beijing day `daysAgo` days before now, as the API takes it: 2026-11-02. */
export const beijingDayBefore = (now: number, daysAgo: number): string => dayKey.format(new Date(now - daysAgo * 86_400_000));
