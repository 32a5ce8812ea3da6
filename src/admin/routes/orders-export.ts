/**
 * `GET /api/orders/export`: the orders (one row per item) and the sales summary, under the list's filters, as
 * an XLSX workbook (sheets 订单 and 销售汇总) or CSV (one table per file: `sheet=orders|summary`). Store staff
 * export their own store's orders only.
 */
import { z } from 'zod';
import { accountId } from '../../core/messages.ts';
import { say } from '../../core/localised.ts';
import { EXPORT_FORMATS, EXPORT_SHEETS, orderExport, XLSX_TYPE } from '../../orders/export/order-export.ts';
import type { AdminApiOptions } from '../options.ts';
import { scopedStore } from '../permissions.ts';
import { download, route, type Route } from '../http.ts';
import { filtersOf, orderFilterQuery, periodOf } from './order-query.ts';

const exportQuery = orderFilterQuery.extend({
  format: z.enum(EXPORT_FORMATS, { error: say({ en: 'format: csv or xlsx', zh: '导出格式只能是 csv 或 xlsx' }) }).default('xlsx')
    .describe('xlsx (default): one workbook with the sheets 订单 and 销售汇总; csv: one table per file (see sheet)'),
  sheet: z.enum(EXPORT_SHEETS, { error: say({ en: 'sheet: orders or summary', zh: '只能导出订单（orders）或销售汇总（summary）' }) }).default('orders')
    .describe('with format=csv: orders (one row per item) or summary (by day, product, store and referrer; cancelled orders left out)'),
});

export function orderExportRoute(deps: AdminApiOptions): Route {
  return route({
    method: 'get', path: '/orders/export', id: 'exportOrders', tag: 'orders', query: exportQuery,
    summary: 'Export orders and the sales summary as XLSX or CSV (UTF-8 with BOM, formula cells neutralised), under the list\'s filters; the file is named with the period',
    produces: XLSX_TYPE, response: z.string(),
    returns: 'a file: the XLSX workbook, or with format=csv a CSV table (text/csv; charset=utf-8), as an attachment named with the period, e.g. 订单-2026-12-01_2026-12-03.xlsx',
    handler: async ({ account, query, caller, lang }) => {
      const p = periodOf(query, lang);
      const file = await orderExport(deps.sql, {
        account: accountId(account), ...filtersOf(query), storeId: scopedStore(caller, query.store), from: p.from, to: p.to,
      }, query.format, query.sheet);
      return download(file.body, file.type, file.name);
    },
  });
}
