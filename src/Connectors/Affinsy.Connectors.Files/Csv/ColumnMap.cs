namespace Affinsy.Connectors.Files.Csv;

/// <summary>Field indexes of the mapped columns in one file's header; -1 for an absent optional column.</summary>
internal sealed record ColumnMap(int OrderId, int ProductName, int UnitPrice, int Quantity, int CustomerId, int OrderDate, int Currency)
{
    /// <summary>Fields in the header row: every row must have exactly as many.</summary>
    public int HeaderFields { get; init; }

    /// <summary>The header row as written (without its line ending): every CSV dead letter starts with it.</summary>
    public string? HeaderLine { get; init; }

    public static ColumnMap From(IReadOnlyList<string> headers, CsvColumns columns, string path)
    {
        var missing = new List<string>();
        int Find(string name, bool required)
        {
            for (var i = 0; i < headers.Count; i++)
            {
                if (string.Equals(headers[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            if (required)
            {
                missing.Add(name);
            }

            return -1;
        }

        var map = new ColumnMap(
            Find(columns.OrderId, true),
            Find(columns.ProductName, true),
            Find(columns.UnitPrice, true),
            Find(columns.Quantity, true),
            Find(columns.CustomerId, columns.Required.Contains("customer_id")),
            Find(columns.OrderDate, columns.Required.Contains("order_date")),
            Find(columns.Currency, columns.Required.Contains("currency")));
        if (missing.Count > 0)
        {
            throw new InvalidDataException(
                $"{path}: column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} not found in the header (line 1: {string.Join(", ", headers)}); map them under source.columns or check source.delimiter");
        }

        return map;
    }
}
