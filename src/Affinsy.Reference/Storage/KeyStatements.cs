using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Affinsy.Reference.Storage;

/// <summary>Which text id an integer key stands for: each has its own table of (key, dataset, text).</summary>
internal enum KeyKind
{
    Order,
    Product,
    Customer,
}

/// <summary>
/// Finds and creates the integer keys of order ids, product names and customer ids, through statements prepared once
/// on the writer connection and bound by position into a reused UTF-8 buffer. The dataset is bound once per request
/// (<see cref="Use"/>; SQLite keeps a binding until it is replaced), the text on each call. Finalized when the connection
/// closes.
/// </summary>
internal sealed class KeyStatements
{
    private static readonly (string Table, string Key, string Text)[] Tables =
    [
        ("orders", "order_key", "order_id"),
        ("products", "product_key", "name"),
        ("customers", "customer_key", "customer_id"),
    ];

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt[] _find = new sqlite3_stmt[Tables.Length];
    private readonly sqlite3_stmt[] _insert = new sqlite3_stmt[Tables.Length];
    private byte[] _text = new byte[1024];

    public KeyStatements(SqliteConnection connection)
    {
        _connection = connection;
        var db = connection.Handle!;
        for (var i = 0; i < Tables.Length; i++)
        {
            var (table, key, text) = Tables[i];
            Check(db, raw.sqlite3_prepare_v2(db, $"SELECT {key} FROM {table} WHERE dataset_key = ?1 AND {text} = ?2", out _find[i]));
            Check(db, raw.sqlite3_prepare_v2(db, $"INSERT INTO {table} (dataset_key, {text}) VALUES (?1, ?2)", out _insert[i]));
        }

        SqliteRaw.FinalizeOnClose(connection, [.. _find, .. _insert]);
    }

    /// <summary>Binds the dataset that <see cref="Find"/> and <see cref="Create"/> work in until the next call.</summary>
    public void Use(long datasetKey)
    {
        var db = _connection.Handle!;
        foreach (var stmt in (ReadOnlySpan<sqlite3_stmt>)[.. _find, .. _insert])
        {
            Check(db, raw.sqlite3_bind_int64(stmt, 1, datasetKey));
        }
    }

    /// <summary>The key of the text in the dataset of <see cref="Use"/>, or null when it has none yet.</summary>
    public long? Find(KeyKind kind, string text)
    {
        var db = _connection.Handle!;
        var stmt = _find[(int)kind];
        Bind(db, stmt, text);
        var rc = raw.sqlite3_step(stmt);
        long? key = rc == raw.SQLITE_ROW ? raw.sqlite3_column_int64(stmt, 0) : null;
        raw.sqlite3_reset(stmt);
        if (rc is not (raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            Check(db, rc);
        }

        return key;
    }

    /// <summary>Gives the text a new key; call only after <see cref="Find"/> found none.</summary>
    public long Create(KeyKind kind, string text)
    {
        var db = _connection.Handle!;
        var stmt = _insert[(int)kind];
        Bind(db, stmt, text);
        var rc = raw.sqlite3_step(stmt);
        raw.sqlite3_reset(stmt);
        if (rc != raw.SQLITE_DONE)
        {
            Check(db, rc);
        }

        return raw.sqlite3_last_insert_rowid(db);
    }

    private void Bind(sqlite3 db, sqlite3_stmt stmt, string text)
    {
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_text.Length < max)
        {
            _text = new byte[Math.Max(max, _text.Length * 2)];
        }

        var length = System.Text.Encoding.UTF8.GetBytes(text, _text);
        Check(db, raw.sqlite3_bind_text(stmt, 2, _text.AsSpan(0, length)));
    }

    private static void Check(sqlite3 db, int rc) => SqliteRaw.Check(db, rc, "storing a row's keys");
}
