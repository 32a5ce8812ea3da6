/**
 * The evaluation sets: the demo shop (data/) with its cases by area, and other kinds of shop, each with a
 * small catalogue of its own in test/eval/shops/<name>/ and cases written as its followers type.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES } from './cases.ts';
import { FOLLOWUPS_CASES } from './cases-followups.ts';
import { SERVICE_CASES } from './cases-service.ts';
import { TYPING_CASES } from './cases-typing.ts';
import type { EvalCase, EvalShop } from './runner.ts';
import { BABY_CASES } from './shops/baby/cases.ts';
import { COFFEE_CASES } from './shops/coffee/cases.ts';
import { COSMETICS_CASES } from './shops/cosmetics/cases.ts';
import { DIGITAL_CASES } from './shops/digital/cases.ts';
import { PETS_CASES } from './shops/pets/cases.ts';

export interface EvalSet {
  /** Short name, as `npm run eval -- <name>` takes it. */
  readonly name: string;
  /** What kind of shop, for the report. */
  readonly label: string;
  /** The shop's catalogue; omitted for the demo. */
  readonly shop?: EvalShop;
  readonly cases: readonly EvalCase[];
}

/** test/eval/shops/<name>/: the shop's catalogue files and cases. */
const shopDir = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), 'shops', name);

export const SETS: readonly EvalSet[] = [
  { name: 'demo', label: '演示商城 (clothes, shoes, food, phones, make-up; hotels; group-buy deals)', cases: [...CASES, ...SERVICE_CASES, ...FOLLOWUPS_CASES, ...TYPING_CASES] },
  { name: 'cosmetics', label: '美妆店 like 美肤汇 (护肤, 彩妆, gift sets; no hotels, no deals)', shop: { dir: shopDir('cosmetics') }, cases: COSMETICS_CASES },
  { name: 'coffee', label: '咖啡连锁 like 太平洋咖啡 (beans, drip bags, capsules, drinks as bottles and vouchers, cups, gift boxes; no hotels, no deals)', shop: { dir: shopDir('coffee') }, cases: COFFEE_CASES },
  { name: 'pets', label: '宠物用品 (cat and dog food, litter, treats, toys, deworming; no hotels, no deals)', shop: { dir: shopDir('pets') }, cases: PETS_CASES },
  { name: 'baby', label: '母婴店 (formula by stage, diapers as 尿不湿, bottles, strollers, baby care, toys; no hotels, no deals)', shop: { dir: shopDir('baby') }, cases: BABY_CASES },
  { name: 'digital', label: '数码配件 (cases and protectors per phone model, chargers, cables, earphones; no hotels, no deals)', shop: { dir: shopDir('digital') }, cases: DIGITAL_CASES },
];
