using System.Globalization;
using Affinsy.Connectors.Files.Reading;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Files.Csv;

/// <summary>
/// <c>type: csv</c>. Keys: <c>path</c> (required; relative to connectors.yaml; <c>.gz</c> decompressed),
/// <c>preset</c> (<c>retail</c>), <c>delimiter</c> (one character or <c>tab</c>, default <c>,</c>),
/// <c>columns</c> (order_id, product_name, unit_price, quantity, customer_id, order_date, currency: header names),
/// <c>date_format</c> (.NET custom format; default ISO 8601; no offset means UTC), <c>currency</c>,
/// <c>batch_max_orders</c> (default 2,000), <c>batch_max_line_items</c> (default 10,000), <c>encoding</c>
/// (utf-8, latin1, windows-1252, utf-16), <c>max_field_bytes</c> (1 MiB), <c>max_record_bytes</c> (8 MiB).
/// </summary>
internal sealed class CsvSourcePlugin : ISourcePlugin
{
    private static readonly string[] ColumnKeys = ["order_id", "product_name", "unit_price", "quantity", "customer_id", "order_date", "currency"];
    private static readonly string[] Keys = ["type", "path", "preset", "delimiter", "columns", "date_format", "currency", .. FileSourceBinding.SharedKeys];

    public string Type => CsvOrderSource.Type;

    public BoundSource? Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        section.RejectUnknownKeys(Keys);
        var path = section.GetFilePath("path", required: true, mustExist: true);
        var retail = section.GetChoice("preset", "none", "none", RetailPreset.Name) == RetailPreset.Name;
        var columns = ReadColumns(section, retail ? RetailPreset.Columns : new CsvColumns());
        var dateFormat = section.GetString("date_format") ?? (retail ? RetailPreset.DateFormat : null);
        if (dateFormat is not null && !IsUsableDateFormat(dateFormat))
        {
            section.Report("date_format", $"{section.Describe("date_format")} is not a usable .NET date format (for example M/d/yyyy H:mm or yyyy-MM-dd HH:mm:ss)");
        }

        var options = new CsvSourceOptions
        {
            Path = path ?? string.Empty,
            Delimiter = ReadDelimiter(section),
            Columns = columns,
            DateFormat = dateFormat,
            RetailRules = retail,
            Currency = section.GetString("currency"),
            BatchMaxOrders = FileSourceBinding.MaxOrders(section),
            BatchMaxLineItems = FileSourceBinding.MaxLineItems(section),
            Encoding = FileSourceBinding.Encoding(section),
            Limits = FileSourceBinding.Limits(section),
        };
        CheckHeader(section, options);
        return new BoundSource(context => new CsvOrderSource(options, context.LoggerFactory.CreateLogger<CsvOrderSource>()))
        {
            Replayer = _ => new CsvRecordReplayer(options),
        };
    }

    // Reading one header row is cheap and turns a wrong column map into a validation problem
    // instead of a failed sync.
    private static void CheckHeader(ConfigSection section, CsvSourceOptions options)
    {
        if (options.Path.Length == 0 || !File.Exists(options.Path))
        {
            return;
        }

        try
        {
            var file = SourceFile.IdentifyAsync(options.Path, options.Encoding, CancellationToken.None, verify: false).GetAwaiter().GetResult();
            CsvOrderSource.ReadHeaderAsync(file, options, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (InvalidDataException e)
        {
            section.Report(section.Has("columns") ? "columns" : "path", e.Message);
        }
        catch (IOException e)
        {
            section.Report("path", $"cannot read the file: {e.Message}");
        }
    }

    private static CsvColumns ReadColumns(ConfigSection section, CsvColumns defaults)
    {
        var columns = section.GetSection("columns");
        if (columns is null)
        {
            return defaults;
        }

        columns.RejectUnknownKeys(ColumnKeys);
        var named = columns.Keys.ToHashSet(StringComparer.Ordinal);
        return defaults with
        {
            OrderId = columns.GetString("order_id") ?? defaults.OrderId,
            ProductName = columns.GetString("product_name") ?? defaults.ProductName,
            UnitPrice = columns.GetString("unit_price") ?? defaults.UnitPrice,
            Quantity = columns.GetString("quantity") ?? defaults.Quantity,
            CustomerId = columns.GetString("customer_id") ?? defaults.CustomerId,
            OrderDate = columns.GetString("order_date") ?? defaults.OrderDate,
            Currency = columns.GetString("currency") ?? defaults.Currency,
            Required = named,
        };
    }

    private static byte ReadDelimiter(ConfigSection section)
    {
        var text = section.GetString("delimiter");
        if (text is null)
        {
            return (byte)',';
        }

        if (text is "tab" or "\t")
        {
            return (byte)'\t';
        }

        if (text.Length != 1 || text[0] > 127 || text[0] is '"' or '\r' or '\n')
        {
            section.Report("delimiter", $"{section.Describe("delimiter")} cannot be a delimiter: use one ASCII character other than a quote or line break, or 'tab'");
            return (byte)',';
        }

        return (byte)text[0];
    }

    private static bool IsUsableDateFormat(string format)
    {
        try
        {
            var sample = new DateTimeOffset(2025, 3, 15, 10, 30, 0, TimeSpan.Zero);
            var text = sample.ToString(format, CultureInfo.InvariantCulture);
            return DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
