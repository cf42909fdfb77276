using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Affinsy.Reference.Storage;

/// <summary>
/// Reads a stepped statement's columns for the report scan, straight from the SQLite library that
/// Microsoft.Data.Sqlite loaded (<c>e_sqlite3</c>), without the provider's per-call SafeHandle reference counting and GC
/// transition. A report reads 2-6 columns of millions of rows: through SQLitePCL.raw those calls took about as long as
/// SQLite's own stepping (profile in benchmarks/README.md, <c>report</c>). The column functions only read the current
/// row's values, never block and never call back, which is what <see cref="SuppressGCTransitionAttribute"/> requires.
/// Falls back to SQLitePCL.raw when another SQLite provider is in use.
/// </summary>
internal static class SqliteColumns
{
    private const string Library = "e_sqlite3";

    /// <summary>Whether the direct calls reach the same library as SQLitePCL.raw (checked once).</summary>
    public static bool Direct { get; } = ProbeDirect();

    public static int Step(IntPtr stmt) => sqlite3_step(stmt);

    public static long Int64(IntPtr stmt, int column) => sqlite3_column_int64(stmt, column);

    public static double Double(IntPtr stmt, int column) => sqlite3_column_double(stmt, column);

    public static bool IsNull(IntPtr stmt, int column) => sqlite3_column_type(stmt, column) == raw.SQLITE_NULL;

    public static int Type(IntPtr stmt, int column) => sqlite3_column_type(stmt, column);

    private static bool ProbeDirect()
    {
        // Microsoft.Data.Sqlite chooses SQLitePCL.raw's provider when SqliteConnection is first used; this may run before.
        RuntimeHelpers.RunClassConstructor(typeof(SqliteConnection).TypeHandle);
        try
        {
            return raw.GetNativeLibraryName() == Library && sqlite3_libversion_number() == raw.sqlite3_libversion_number();
        }
#pragma warning disable CA1031 // Whatever stops the probe (no provider, another library), reports fall back to SQLitePCL.raw.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    [DllImport(Library)]
    private static extern int sqlite3_libversion_number();

    [DllImport(Library)]
    private static extern int sqlite3_step(IntPtr stmt);

    [DllImport(Library)]
    [SuppressGCTransition]
    private static extern long sqlite3_column_int64(IntPtr stmt, int column);

    [DllImport(Library)]
    [SuppressGCTransition]
    private static extern double sqlite3_column_double(IntPtr stmt, int column);

    [DllImport(Library)]
    [SuppressGCTransition]
    private static extern int sqlite3_column_type(IntPtr stmt, int column);
}
