#!/usr/bin/env node
// duckdb.js [--cwd DIR] [--json] SQL_FILE|-: runs the statements of SQL_FILE
// (or stdin) in order in an in-memory DuckDB and prints the result of the
// last one on stdout, so tests can cross-check opsbook against DuckDB.
//
// CSV (default): a header line, then one line per row, RFC 4180 quoting
// (fields holding , " CR or LF are quoted, quotes doubled), LF line ends as
// DuckDB's COPY writes them. NULL is an empty field; an empty string is "".
// --json: an array of objects, one per row, keyed by column name.
// Values: booleans true/false; integers exactly; DOUBLE/FLOAT as JS's
// String(number) (the shortest text that reads back to the same double; NaN,
// Infinity, -Infinity as those words, strings in JSON); DECIMAL exactly as
// DuckDB prints it; DATE YYYY-MM-DD; TIMESTAMP YYYY-MM-DDTHH:MM:SS[.ffffff]
// (TIMESTAMPTZ the same in UTC, with Z); other types as DuckDB prints them.
// --cwd DIR: relative paths in the SQL (read_csv('data/x.csv')) are read
// from DIR; SQL_FILE itself is relative to where the command was started.
//
// @duckdb/node-api is found in $DUCKDB_NODE (a node_modules folder), else
// in build/node/node_modules of this repository (tools/test-deps.sh puts it
// there), else through node's usual lookup (NODE_PATH).
// Errors: the message on stderr, exit 1 (2 for a wrong command line).
// SPDX-License-Identifier: MIT
'use strict';
const fs = require('fs');
const path = require('path');

const USAGE = 'usage: duckdb.js [--cwd DIR] [--json] SQL_FILE|-';

class UsageError extends Error {}

function loadDuckDB() {
  // DUCKDB_NODE, when set, is the only place looked at: a test run must use
  // the module it was given, not one that happens to lie around.
  const env = process.env.DUCKDB_NODE;
  const paths = env ? [env] : [path.join(__dirname, '..', '..', 'build', 'node', 'node_modules')];
  let where;
  try {
    where = require.resolve('@duckdb/node-api', { paths });
  } catch {
    try {
      if (env) throw new Error();
      where = require.resolve('@duckdb/node-api');
    } catch {
      throw new Error(`@duckdb/node-api missing${env ? ' in ' + env : ''}: run tools/test-deps.sh`);
    }
  }
  return require(where);
}

// Whether SQL holds nothing but blanks, semicolons and comments (DuckDB's
// statement splitter fails on that without a useful message).
function blankSql(sql) {
  return sql.replace(/\/\*[\s\S]*?\*\//g, '').replace(/--[^\n]*/g, '').replace(/[\s;]/g, '') === '';
}

function parseArgs(argv) {
  const opts = { cwd: null, json: false, file: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = true;
    else if (a === '--cwd') {
      if (i + 1 >= argv.length) throw new UsageError('--cwd needs a folder');
      opts.cwd = argv[++i];
    } else if (a.startsWith('--cwd=')) opts.cwd = a.slice(6);
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else if (a === '-' || !a.startsWith('-')) {
      if (opts.file !== null) throw new UsageError('one SQL file only');
      opts.file = a;
    } else throw new UsageError(`unknown option '${a}'`);
  }
  if (opts.file === null) throw new UsageError('no SQL file');
  return opts;
}

// Two-digit (or wider) zero padding.
function pad(n, width) {
  return String(n).padStart(width, '0');
}

function formatDouble(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (Object.is(x, -0)) return '-0';
  return String(x); // shortest round-trip text; Infinity, -Infinity
}

// micros since the epoch (bigint) -> YYYY-MM-DDTHH:MM:SS[.ffffff]
function formatMicros(api, micros) {
  const perDay = 86400000000n;
  let days = micros / perDay;
  let rest = micros % perDay;
  if (rest < 0n) {
    rest += perDay;
    days -= 1n;
  }
  const date = new api.DuckDBDateValue(Number(days)).toString();
  const secs = Number(rest / 1000000n);
  const frac = Number(rest % 1000000n);
  const time = `${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor(secs / 60) % 60, 2)}:${pad(secs % 60, 2)}`;
  // A BC date is printed "0044-03-15 (BC)": keep the marker at the end.
  const bc = date.endsWith(' (BC)');
  const day = bc ? date.slice(0, -5) : date;
  return `${day}T${time}${frac ? '.' + pad(frac, 6) : ''}${bc ? ' (BC)' : ''}`;
}

// One cell as text, and whether it is a JSON literal rather than a string.
function cell(api, typeId, v) {
  const T = api.DuckDBTypeId;
  if (v === null || v === undefined) return { text: null, literal: true };
  switch (typeId) {
    case T.BOOLEAN:
      return { text: v ? 'true' : 'false', literal: true };
    case T.FLOAT:
    case T.DOUBLE: {
      const text = formatDouble(v);
      return { text, literal: Number.isFinite(v) };
    }
    case T.TINYINT: case T.SMALLINT: case T.INTEGER: case T.BIGINT:
    case T.UTINYINT: case T.USMALLINT: case T.UINTEGER: case T.UBIGINT:
    case T.HUGEINT: case T.UHUGEINT: case T.DECIMAL:
      return { text: String(v), literal: true };
    case T.DATE:
      if (!v.isFinite) return { text: v.days > 0 ? 'infinity' : '-infinity', literal: false };
      return { text: v.toString(), literal: false };
    case T.TIMESTAMP:
    case T.TIMESTAMP_TZ:
      if (!v.isFinite) return { text: v.micros > 0n ? 'infinity' : '-infinity', literal: false };
      return {
        text: formatMicros(api, v.micros) + (typeId === T.TIMESTAMP_TZ ? 'Z' : ''),
        literal: false,
      };
    case T.VARCHAR:
      return { text: v, literal: false };
    default:
      return { text: String(v), literal: false };
  }
}

function csvField(text) {
  if (text === null) return '';
  if (text === '' || /[",\r\n]/.test(text)) return '"' + text.replace(/"/g, '""') + '"';
  return text;
}

function printCsv(api, reader, out) {
  const types = reader.columnTypes().map((t) => t.typeId);
  const lines = [reader.columnNames().map(csvField).join(',')];
  for (const row of reader.getRows()) {
    lines.push(row.map((v, i) => csvField(cell(api, types[i], v).text)).join(','));
  }
  out.push(lines.join('\n') + '\n');
}

function printJson(api, reader, out) {
  const T = api.DuckDBTypeId;
  const types = reader.columnTypes().map((t) => t.typeId);
  const names = reader.deduplicatedColumnNames().map((n) => JSON.stringify(n));
  const nested = new Set([T.LIST, T.STRUCT, T.MAP, T.ARRAY, T.UNION, T.INTERVAL, T.VARIANT]);
  const rows = reader.getRows();
  const json = types.some((t) => nested.has(t)) ? reader.getRowsJson() : null;
  const parts = rows.map((row, r) => {
    const fields = row.map((v, i) => {
      let text;
      if (v === null) text = 'null';
      else if (nested.has(types[i])) text = JSON.stringify(json[r][i]);
      else {
        const c = cell(api, types[i], v);
        text = c.literal ? c.text : JSON.stringify(c.text);
      }
      return `${names[i]}: ${text}`;
    });
    return '  {' + fields.join(', ') + '}';
  });
  out.push(parts.length ? '[\n' + parts.join(',\n') + '\n]\n' : '[]\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const sql = fs.readFileSync(opts.file === '-' ? 0 : path.resolve(opts.file), 'utf8');
  const api = loadDuckDB();
  if (opts.cwd !== null) process.chdir(opts.cwd);
  const db = await api.DuckDBInstance.create(':memory:');
  const con = await db.connect();
  if (blankSql(sql)) throw new Error(`no SQL statement in ${opts.file === '-' ? 'stdin' : opts.file}`);
  const statements = await con.extractStatements(sql);
  let reader = null;
  for (let i = 0; i < statements.count; i++) {
    const prepared = await statements.prepare(i);
    if (i + 1 < statements.count) await prepared.run();
    else reader = await prepared.runAndReadAll();
  }
  const out = [];
  (opts.json ? printJson : printCsv)(api, reader, out);
  await new Promise((resolve, reject) =>
    process.stdout.write(out.join(''), (err) => (err ? reject(err) : resolve())));
  con.closeSync();
}

main().catch((err) => {
  const msg = err && err.message ? err.message : String(err);
  process.stderr.write(`duckdb.js: ${msg.trimEnd()}\n`);
  if (err instanceof UsageError) process.stderr.write(USAGE + '\n');
  process.exitCode = err instanceof UsageError ? 2 : 1;
});
