namespace Affinsy.Reference.Storage;

/// <summary>
/// The reference server's SQLite schema (version 3). Line items are keyed exactly as the contract's upsert is,
/// (dataset, order_id, product_name), but through integer keys: <c>orders</c>, <c>products</c> and <c>customers</c> map
/// each text id to an integer once, and <c>line_items</c> holds only integers and numbers, clustered by
/// (dataset, order, product), so a report reads a dataset's rows in one range scan, already grouped by order, without a
/// string per row. <c>created_by</c> records the import that inserted a row. <c>order_facts</c> holds one row per order
/// as a report resolves it from the order's line items (<see cref="OrderFactsBuilder"/>: the ordinal-smallest customer,
/// the latest date, the exact spend), kept in step by every upsert, so a report that needs no products (RFM, the
/// customer pass of a scoped MBA) steps one row per order instead of one per line item.
/// </summary>
internal static class Schema
{
    /// <summary>
    /// PRAGMA user_version of this schema. Version 1 (text keys in <c>order_rows</c>) and version 2 (no
    /// <c>order_facts</c>) are migrated at open.
    /// </summary>
    public const int Version = 3;

    // order_facts.spend has no declared type (no conversion): INTEGER units of 10^-spend_scale, TEXT the invariant
    // decimal once the total is past a long, NULL when the decimal sum overflowed.
    // cache_size (64 MiB, the writer connection only): order ids arrive in any order, so new orders land all over the
    // orders index; a cache that holds its hot pages spares a read syscall per order on large datasets.
    public const string Create = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA cache_size = -65536;
        PRAGMA temp_store = MEMORY;
        CREATE TABLE IF NOT EXISTS datasets (
            dataset_key INTEGER PRIMARY KEY,
            owner TEXT NOT NULL,
            dataset_id TEXT NOT NULL,
            line_items INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (owner, dataset_id));
        CREATE TABLE IF NOT EXISTS orders (
            order_key INTEGER PRIMARY KEY,
            dataset_key INTEGER NOT NULL,
            order_id TEXT NOT NULL,
            UNIQUE (dataset_key, order_id));
        CREATE TABLE IF NOT EXISTS products (
            product_key INTEGER PRIMARY KEY,
            dataset_key INTEGER NOT NULL,
            name TEXT NOT NULL,
            UNIQUE (dataset_key, name));
        CREATE TABLE IF NOT EXISTS customers (
            customer_key INTEGER PRIMARY KEY,
            dataset_key INTEGER NOT NULL,
            customer_id TEXT NOT NULL,
            UNIQUE (dataset_key, customer_id));
        CREATE TABLE IF NOT EXISTS line_items (
            dataset_key INTEGER NOT NULL,
            order_key INTEGER NOT NULL,
            product_key INTEGER NOT NULL,
            unit_price REAL NOT NULL,
            quantity REAL NOT NULL,
            customer_key INTEGER,
            order_date INTEGER,
            created_by INTEGER NOT NULL,
            PRIMARY KEY (dataset_key, order_key, product_key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS order_facts (
            dataset_key INTEGER NOT NULL,
            order_key INTEGER NOT NULL,
            customer_key INTEGER,
            order_date INTEGER,
            spend,
            spend_scale INTEGER,
            PRIMARY KEY (dataset_key, order_key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS imports (
            seq INTEGER PRIMARY KEY,
            import_id TEXT NOT NULL UNIQUE,
            owner TEXT NOT NULL,
            dataset_id TEXT NOT NULL,
            status TEXT NOT NULL,
            inserted INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS reports (
            report_id TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            key_hash TEXT NOT NULL,
            dataset_id TEXT NOT NULL,
            report_type TEXT NOT NULL,
            name TEXT NOT NULL,
            template TEXT,
            status TEXT NOT NULL,
            params TEXT NOT NULL,
            filters TEXT NOT NULL,
            webhook_url TEXT,
            created_at INTEGER NOT NULL,
            completed_at INTEGER,
            error TEXT,
            results TEXT);
        CREATE INDEX IF NOT EXISTS reports_by_owner ON reports (owner, dataset_id, created_at);
        CREATE TABLE IF NOT EXISTS webhook_deliveries (
            delivery_id TEXT PRIMARY KEY,
            report_id TEXT NOT NULL,
            url TEXT NOT NULL,
            body BLOB NOT NULL,
            signature TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL,
            last_error TEXT);
        """;

    /// <summary>
    /// Moves a version 1 database's text-keyed rows into the integer-keyed tables, in the transaction that sets the
    /// version. Order keys follow order_id order, so a migrated dataset scans in the order version 1 read it.
    /// </summary>
    public const string MigrateFromVersion1 = """
        INSERT OR IGNORE INTO orders (dataset_key, order_id) SELECT DISTINCT dataset_key, order_id FROM order_rows ORDER BY dataset_key, order_id;
        INSERT OR IGNORE INTO products (dataset_key, name) SELECT DISTINCT dataset_key, product_name FROM order_rows ORDER BY dataset_key, product_name;
        INSERT OR IGNORE INTO customers (dataset_key, customer_id)
            SELECT DISTINCT dataset_key, customer_id FROM order_rows WHERE customer_id IS NOT NULL ORDER BY dataset_key, customer_id;
        INSERT INTO line_items (dataset_key, order_key, product_key, unit_price, quantity, customer_key, order_date, created_by)
            SELECT r.dataset_key, o.order_key, p.product_key, r.unit_price, r.quantity, c.customer_key, r.order_date, r.created_by
            FROM order_rows r
            JOIN orders o ON o.dataset_key = r.dataset_key AND o.order_id = r.order_id
            JOIN products p ON p.dataset_key = r.dataset_key AND p.name = r.product_name
            LEFT JOIN customers c ON c.dataset_key = r.dataset_key AND c.customer_id = r.customer_id;
        DROP TABLE order_rows;
        """;
}
