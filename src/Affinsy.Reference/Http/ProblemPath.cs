namespace Affinsy.Reference.Http;

/// <summary>
/// Where a value sits in an ingest request, spelled out (<c>orders[3].line_items[1].quantity</c>) only when a problem
/// is reported there: most values have none, and formatting a path for each would cost a string per value.
/// </summary>
internal readonly record struct ProblemPath(string? Text, int Order, int Line, string? Field)
{
    /// <summary>A path given as text (the body's own fields).</summary>
    public static ProblemPath FromString(string text) => new(text, -1, -1, null);

    /// <summary><c>orders[order].field</c>.</summary>
    public static ProblemPath InOrder(int order, string field) => new(null, order, -1, field);

    /// <summary><c>orders[order].line_items[line].field</c>.</summary>
    public static ProblemPath InLine(int order, int line, string field) => new(null, order, line, field);

    public static implicit operator ProblemPath(string text) => FromString(text);

    public override string ToString() =>
        Text ?? (Line < 0 ? $"orders[{Order}].{Field}" : $"orders[{Order}].line_items[{Line}].{Field}");
}
