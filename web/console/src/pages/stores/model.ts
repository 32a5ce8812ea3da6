/** The 门店与二维码 screen's data: stores and their QR codes as the API shows them, the print sizes, the download addresses. */
import { currentAccount } from '../../api.ts';

export interface Store {
  id: string;
  name: string;
  city: string | null;
  /** Where it is and when it opens: 「门店在哪」 is answered with them. */
  address: string | null;
  hours: string | null;
  welcome: string | null;
  created_at: string;
  updated_at: string;
}

export interface QrCode {
  id: number;
  store: string;
  scene: string;
  permanent: boolean;
  url: string;
  show_url: string;
  expires_at: string | null;
  created_at: string;
}

/** What a store did over a period: /stats/stores and /reports/revenue (by store) side by side. */
export interface StoreNumbers {
  follows: number;
  scans: number;
  followers: number;
  active_followers: number;
  orders: number;
  revenue_fen: number;
}

export const NO_NUMBERS: StoreNumbers = { follows: 0, scans: 0, followers: 0, active_followers: 0, orders: 0, revenue_fen: 0 };

/** The API's print sizes, named as a merchant uses them. */
export const QR_SIZES = [
  { value: '8cm', label: '8 厘米（桌贴）' },
  { value: '12cm', label: '12 厘米（台卡）' },
  { value: '30cm', label: '30 厘米（海报/门贴）' },
] as const;
export type QrSize = (typeof QR_SIZES)[number]['value'];

const base = (store: string, qr: number) => `/api/stores/${encodeURIComponent(store)}/qrcodes/${qr}`;
const account = () => `account=${encodeURIComponent(currentAccount())}`;

/** The code's image as the server draws it (the session cookie goes with an ordinary GET). */
export const qrImageUrl = (qr: QrCode, format: 'png' | 'svg', size: QrSize): string => `${base(qr.store, qr.id)}/image?format=${format}&size=${size}&${account()}`;

/** The poster of the code: an A4 or A5 SVG page, with the call to scan the merchant wrote (or the server's). */
export function qrPosterUrl(qr: QrCode, paper: 'a4' | 'a5', text: string): string {
  const t = text.trim();
  return `${base(qr.store, qr.id)}/poster?paper=${paper}${t ? `&text=${encodeURIComponent(t)}` : ''}&${account()}`;
}

/** Fen as yuan: ¥1,234.50 */
export const yuan = (fen: number) => `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
