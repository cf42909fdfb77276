namespace Affinsy.Reference.Storage;

/// <summary>
/// The reference server's SQLite schema. Rows are keyed exactly as the contract's upsert is:
/// (dataset, order_id, product_name). <c>created_by</c> records the import that inserted a row, so an
/// upsert's RETURNING clause tells an insert from an update without a second lookup.
/// </summary>
internal static class Schema
{
    // cache_size (64 MiB, the writer connection only): the row table's key is order id text, so new orders land
    // all over the B-tree; a cache that holds its hot pages spares a read syscall per row on large datasets.
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
        CREATE TABLE IF NOT EXISTS order_rows (
            dataset_key INTEGER NOT NULL,
            order_id TEXT NOT NULL,
            product_name TEXT NOT NULL,
            unit_price REAL NOT NULL,
            quantity REAL NOT NULL,
            customer_id TEXT,
            order_date INTEGER,
            created_by INTEGER NOT NULL,
            PRIMARY KEY (dataset_key, order_id, product_name)) WITHOUT ROWID;
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
}
