// Numbered schema migrations of the journal, applied in order, each in its own transaction and
// recorded in schema_version. Kept as TypeScript strings so the compiled build (dist/) carries
// them. Never edit a released migration: add the next number.
//
// Units: *_ms epoch milliseconds; prices integer price cents (signed as IB signs them); money
// integer cents; quantities whole contracts; avg_fill_price IB's decimal.

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/**
 * Outside the numbered migrations and frozen forever: every version of ironvix reads them to take
 * the writer lock and to learn the schema version before it touches anything else.
 */
export const BOOTSTRAP_SQL = `
CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER PRIMARY KEY,
  description TEXT NOT NULL,
  applied_at_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS journal_writer (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  process_start TEXT,
  acquired_at_ms INTEGER NOT NULL
);
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'initial: events, plans, orders, executions, commissions, cycles, positions, state',
    sql: `
CREATE TABLE events (
  event_id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  plan_id TEXT,
  at_ms INTEGER NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX events_plan ON events (plan_id, event_id);

CREATE TABLE plans (
  plan_id TEXT PRIMARY KEY,
  cycle_date TEXT NOT NULL,
  started_at_ms INTEGER NOT NULL,
  result TEXT CHECK (result IN ('COMPLETE', 'PARTIAL', 'ABORTED')),
  reason TEXT,
  ended_at_ms INTEGER,
  plan_json TEXT NOT NULL
);
CREATE INDEX plans_started ON plans (started_at_ms);

CREATE TABLE orders (
  order_ref TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (plan_id),
  order_key TEXT NOT NULL,
  attempt INTEGER NOT NULL CHECK (attempt >= 1),
  order_id INTEGER NOT NULL UNIQUE,
  account TEXT NOT NULL,
  contract_json TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('BUY', 'SELL')),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  limit_price INTEGER NOT NULL,
  order_kind TEXT NOT NULL,
  layer_id TEXT,
  template_id TEXT,
  cycle_date TEXT NOT NULL,
  intended_at_ms INTEGER NOT NULL,
  submit_json TEXT NOT NULL,
  perm_id INTEGER,
  status TEXT,
  filled INTEGER,
  remaining INTEGER,
  avg_fill_price REAL,
  last_update_ms INTEGER,
  resolution_json TEXT,
  cancel_requested_at_ms INTEGER
);
CREATE INDEX orders_plan ON orders (plan_id, intended_at_ms);
CREATE INDEX orders_perm ON orders (perm_id);
CREATE INDEX orders_layer ON orders (layer_id);

CREATE TABLE executions (
  exec_id TEXT PRIMARY KEY,
  order_ref TEXT NOT NULL REFERENCES orders (order_ref),
  order_id INTEGER NOT NULL,
  perm_id INTEGER NOT NULL,
  client_id INTEGER NOT NULL,
  account TEXT NOT NULL,
  contract_json TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('BOT', 'SLD')),
  quantity INTEGER NOT NULL,
  price INTEGER NOT NULL,
  cum_quantity INTEGER NOT NULL,
  time_ms INTEGER NOT NULL
);
CREATE INDEX executions_order ON executions (order_ref);

CREATE TABLE commissions (
  exec_id TEXT PRIMARY KEY REFERENCES executions (exec_id),
  order_ref TEXT NOT NULL,
  commission INTEGER NOT NULL,
  realized_pnl INTEGER,
  at_ms INTEGER NOT NULL
);

CREATE TABLE cycles (
  cycle_date TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('running', 'done', 'skipped', 'failed')),
  plan_id TEXT,
  outcome TEXT NOT NULL,
  claimed_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);

CREATE TABLE positions_snapshots (
  snapshot_id INTEGER PRIMARY KEY AUTOINCREMENT,
  account TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  positions_json TEXT NOT NULL
);

CREATE TABLE state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  halted INTEGER NOT NULL DEFAULT 0,
  halt_reason TEXT,
  halt_source TEXT,
  halt_at_ms INTEGER,
  order_id_floor INTEGER NOT NULL DEFAULT 0
);
INSERT INTO state (id) VALUES (1);
`,
  },
  {
    version: 2,
    description:
      'reconcile scope: orders.final, executions.expiry (a reconcile reads only what IB can still report)',
    sql: `
ALTER TABLE orders ADD COLUMN final INTEGER NOT NULL DEFAULT 0 CHECK (final IN (0, 1));
UPDATE orders SET final = 1
  WHERE resolution_json IS NOT NULL
     OR json_extract(submit_json, '$.kind') = 'refused'
     OR status IN ('Filled', 'Cancelled', 'ApiCancelled', 'Inactive');
CREATE INDEX orders_scope ON orders (cycle_date, final);
CREATE INDEX orders_open ON orders (final);
ALTER TABLE executions ADD COLUMN expiry TEXT;
UPDATE executions SET expiry = json_extract(contract_json, '$.contract.expiry')
  WHERE json_extract(contract_json, '$.kind') = 'option';
CREATE INDEX executions_expiry ON executions (expiry);
`,
  },
];

export const LATEST_VERSION: number = MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);
