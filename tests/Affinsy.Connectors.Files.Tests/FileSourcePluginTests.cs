using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Connectors.Files.Tests;

public sealed class FileSourcePluginTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void AddFileSources_registers_csv_and_jsonl()
    {
        Assert.Equal(["csv", "jsonl"], new SourceRegistry().AddFileSources().Types);
    }

    [Fact]
    public async Task A_retail_pipeline_from_yaml_reads_its_file_relative_to_the_configuration()
    {
        _files.Write("retail.csv",
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
            + "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom\n"
            + "C536379,D,Discount,-1,12/1/2010 9:41,27.5,14527,United Kingdom\n");
        var config = Parse("""
            pipelines:
              - name: retail
                dataset_id: retail
                source: { type: csv, path: retail.csv, preset: retail }
            """);

        var source = config.Pipelines[0].CreateSource(TimeProvider.System, NullLoggerFactory.Instance);
        var batch = Assert.Single(await TempFiles.ReadAllAsync(source));

        Assert.Equal("536365", Assert.Single(batch.Orders).OrderId);
        Assert.Empty(batch.Refusals);
        Assert.Equal(1, batch.Skipped![SkipReason.Cancelled]);
    }

    [Fact]
    public async Task Columns_delimiter_and_date_format_are_bound_from_yaml()
    {
        _files.Write("export.tsv", "Order\tItem\tPrice\tQty\tWhen\n1\tTea\t2\t1\t15.03.2025 10:30\n");
        var config = Parse("""
            pipelines:
              - name: tsv
                dataset_id: tsv
                source:
                  type: csv
                  path: export.tsv
                  delimiter: tab
                  date_format: dd.MM.yyyy HH:mm
                  columns: { order_id: Order, product_name: Item, unit_price: Price, quantity: Qty, order_date: When }
            """);

        var batch = Assert.Single(await TempFiles.ReadAllAsync(config.Pipelines[0].CreateSource(TimeProvider.System, NullLoggerFactory.Instance)));

        var order = Assert.Single(batch.Orders);
        Assert.Equal(new DateTimeOffset(2025, 3, 15, 10, 30, 0, TimeSpan.Zero), order.OrderDate);
    }

    [Fact]
    public void Every_problem_in_a_file_source_section_is_reported_with_its_path()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("""
            pipelines:
              - name: a
                dataset_id: a
                source:
                  type: csv
                  path: samples/x.csv
                  delimiter: ";;"
                  preset: retial
                  columns: { order_idd: Id }
                  date_format: "%"
              - name: b
                dataset_id: b
                source: { type: jsonl }
            """));

        Assert.Equal(
            [
                "test.yaml:6 pipelines[0].source.path: file not found: samples/x.csv (relative paths resolve against the configuration file's directory)",
                "test.yaml:7 pipelines[0].source.delimiter",
                "test.yaml:8 pipelines[0].source.preset",
                "test.yaml:9 pipelines[0].source.columns.order_idd",
                "test.yaml:10 pipelines[0].source.date_format",
                "test.yaml:13 pipelines[1].source.path",
            ],
            e.Problems.Select(p => p.Message.StartsWith("file not found", StringComparison.Ordinal) ? WithoutDirectory(p.ToString()) : $"{p.File}:{p.Line} {p.Path}"));
        Assert.Contains("did you mean 'retail'?", e.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'order_id'?", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The problem without the directory it names, which is the test's temporary one.</summary>
    private static string WithoutDirectory(string problem) =>
        System.Text.RegularExpressions.Regex.Replace(problem, @"directory, [^)]*\)", "directory)");

    [Fact]
    public void A_column_map_that_does_not_match_the_header_is_a_validation_problem()
    {
        _files.Write("export.csv", "Order,Item,Price,Qty\n1,Tea,2,1\n");

        var e = Assert.Throws<ConfigurationException>(() => Parse("""
            pipelines:
              - name: a
                dataset_id: a
                source:
                  type: csv
                  path: export.csv
                  columns: { order_id: Order, product_name: Item, unit_price: Cost, quantity: Qty }
            """));

        var problem = Assert.Single(e.Problems);
        Assert.Equal(("pipelines[0].source.columns", 7), (problem.Path, problem.Line));
        Assert.Contains("'Cost' not found in the header", problem.Message, StringComparison.Ordinal);
    }

    private ConnectorsConfig Parse(string yaml) =>
        ConnectorsConfigLoader.Parse(yaml, "test.yaml", _files.Directory, new SourceRegistry().AddFileSources(), _ => null);
}
