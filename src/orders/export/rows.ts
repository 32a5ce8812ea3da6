/**
 * Rows as the export's writers take them: in memory (the summary), or pages of rows as they are read from the
 * database (the orders). A page at a time, not a row at a time: an async iteration per row costs a few
 * microseconds, 100,000 rows a good part of a second.
 */
export type Rows<T> = Iterable<T> | AsyncIterable<readonly T[]>;

const paged = <T>(rows: Rows<T>): rows is AsyncIterable<readonly T[]> => Symbol.asyncIterator in rows;

/**
 * `write` for each row in order, yielding to the event loop every 2,000 rows so a large export does not hold up
 * the server's other requests (and a stream being written can drain).
 * @example await eachRow(exportPages(sql, filter), (line) => parts.push(csvRow(line)))
 */
export async function eachRow<T>(rows: Rows<T>, write: (row: T) => void): Promise<void> {
  let n = 0;
  for await (const page of paged(rows) ? rows : [rows]) {
    for (const row of page) {
      write(row);
      if (++n % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
