using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Affinsy.Core.Orders;
using Affinsy.Sink.Api;
using Affinsy.Sink.Tests.Fakes;

namespace Affinsy.Sink.Tests;

public sealed class AffinsyClientTests
{
    [Fact]
    public async Task Orders_are_written_in_snake_case_with_exact_decimals_and_utc_dates()
    {
        using var harness = new SyncHarness();
        var order = new Order("1001", "cust-9", new DateTimeOffset(2025, 3, 15, 12, 30, 0, TimeSpan.FromHours(2)), "EUR",
            [new LineItem("Café crème", 19.990m, 0.125m), new LineItem("Mug", 0m, 3m)]);

        var result = await harness.Sender.Client.PushOrdersAsync("my-store", [order], TestContext.Current.CancellationToken);

        Assert.Equal(2, result.Inserted);
        var request = Assert.Single(harness.Remote.Requests);
        Assert.Equal("/api/v1/data/orders", request.Path);
        using var json = JsonDocument.Parse(request.Body);
        var sent = json.RootElement.GetProperty("orders")[0];
        Assert.Equal("my-store", json.RootElement.GetProperty("dataset_id").GetString());
        Assert.Equal("1001", sent.GetProperty("order_id").GetString());
        Assert.Equal("cust-9", sent.GetProperty("customer_id").GetString());
        Assert.Equal("2025-03-15T10:30:00Z", sent.GetProperty("order_date").GetString());
        Assert.False(sent.TryGetProperty("currency", out _));
        var line = sent.GetProperty("line_items")[0];
        Assert.Equal("Café crème", line.GetProperty("product_name").GetString());
        Assert.Equal("19.990", line.GetProperty("unit_price").GetRawText());
        Assert.Equal("0.125", line.GetProperty("quantity").GetRawText());
    }

    [Fact]
    public async Task Every_request_carries_the_bearer_key()
    {
        var handler = new ScriptedHandler(_ => FakeAffinsy.Answer(HttpStatusCode.OK, """{"templates":[]}"""));
        var client = NewClient(handler);

        await client.ListTemplatesAsync(TestContext.Current.CancellationToken);

        Assert.Equal($"Bearer {FakeAffinsy.Key}", handler.Last!.Headers.Authorization!.ToString());
        Assert.Equal("https://affinsy.test/api/v1/templates", handler.Last.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public async Task A_server_error_surfaces_status_error_and_request_id_but_never_the_key()
    {
        var handler = new ScriptedHandler(_ => FakeAffinsy.Answer(HttpStatusCode.InternalServerError,
            """{"error":"Something broke.","request_id":"6f1c1b1e-0000-4000-8000-000000000001"}"""));
        var client = NewClient(handler);

        var error = await Assert.ThrowsAsync<AffinsyApiException>(() => client.GetReportAsync("rep_1", TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.InternalServerError, error.Status);
        Assert.Equal("Something broke.", error.ServerError);
        Assert.Equal("6f1c1b1e-0000-4000-8000-000000000001", error.RequestId);
        Assert.Contains("6f1c1b1e", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeAffinsy.Key, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_details_are_kept_on_the_error()
    {
        var handler = new ScriptedHandler(_ => FakeAffinsy.Answer(HttpStatusCode.BadRequest,
            """{"error":"Invalid report request.","details":[{"path":"params.min_support","message":"must be in (0, 1]"}]}"""));
        var client = NewClient(handler);

        var error = await Assert.ThrowsAsync<AffinsyApiException>(() =>
            client.CreateReportAsync(new ReportRequest("my-store") { Template = "standard_mba" }, TestContext.Current.CancellationToken));

        var detail = Assert.Single(error.Details);
        Assert.Equal("params.min_support", detail.Path);
        Assert.Contains("params.min_support: must be in (0, 1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_request_is_sent_in_the_documented_shape()
    {
        var handler = new ScriptedHandler(_ => FakeAffinsy.Answer(HttpStatusCode.Accepted, """{"report_id":"rep_7","status":"Processing"}"""));
        var client = NewClient(handler);

        var accepted = await client.CreateReportAsync(new ReportRequest("my-store")
        {
            Template = "first_order",
            WebhookUrl = new Uri("https://hooks.example/affinsy"),
            Filters = new ReportFilters(new DateRange(new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31))),
            Params = new JsonObject { ["min_support"] = 0.02 },
        }, TestContext.Current.CancellationToken);

        Assert.Equal("rep_7", accepted.ReportId);
        using var json = JsonDocument.Parse(handler.Bodies.Single());
        var root = json.RootElement;
        Assert.Equal("my-store", root.GetProperty("dataset_id").GetString());
        Assert.Equal("first_order", root.GetProperty("template").GetString());
        Assert.Equal("https://hooks.example/affinsy", root.GetProperty("webhook_url").GetString());
        Assert.Equal("2025-01-01", root.GetProperty("filters").GetProperty("dateRange").GetProperty("start").GetString());
        Assert.Equal(0.02, root.GetProperty("params").GetProperty("min_support").GetDouble());
        Assert.False(root.TryGetProperty("report_type", out _));
    }

    [Fact]
    public async Task Reports_datasets_and_imports_are_read_and_a_404_is_null()
    {
        var handler = new ScriptedHandler(r => r.RequestUri!.PathAndQuery switch
        {
            "/api/v1/reports/rep_1" => FakeAffinsy.Answer(HttpStatusCode.OK, """
                {"report_id":"rep_1","report_type":"MBA","name":null,"template":"standard_mba","dataset_id":"my-store","status":"Completed",
                 "params":{"min_support":0.01},"filters":null,"created_at":"2025-03-15T10:30:00Z","completed_at":"2025-03-15T10:30:05Z",
                 "error":null,"results":{"baskets":10,"rules":[]}}
                """),
            "/api/v1/reports?dataset_id=my-store&status=Completed" => FakeAffinsy.Answer(HttpStatusCode.OK, """{"reports":[]}"""),
            "/api/v1/datasets" => FakeAffinsy.Answer(HttpStatusCode.OK, """
                {"datasets":[{"dataset_id":"my-store","orders":2,"line_items":5,"customers":2,"first_order_date":"2025-01-01T00:00:00Z","last_order_date":"2025-03-01T00:00:00Z","updated_at":"2025-03-15T10:30:00Z"}]}
                """),
            "/api/v1/data/imports/imp_1" => FakeAffinsy.Answer(HttpStatusCode.OK, """
                {"import_id":"imp_1","dataset_id":"my-store","status":"completed","inserted":4,"updated":1,"rejected":0,"created_at":"2025-03-15T10:30:00Z"}
                """),
            "/api/v1/datasets/my-store" when r.Method == HttpMethod.Delete => new HttpResponseMessage(HttpStatusCode.NoContent),
            _ => FakeAffinsy.Answer(HttpStatusCode.NotFound, """{"error":"Not found."}"""),
        });
        var client = NewClient(handler);
        var token = TestContext.Current.CancellationToken;

        var report = await client.GetReportAsync("rep_1", token);
        Assert.True(report!.IsFinished);
        Assert.Equal(10, report.Results!.Value.GetProperty("baskets").GetInt32());
        Assert.Empty(await client.ListReportsAsync("my-store", Report.Completed, token));
        Assert.Equal(5, Assert.Single(await client.ListDatasetsAsync(token)).LineItems);
        Assert.Equal(4, (await client.GetImportAsync("imp_1", token))!.Inserted);
        Assert.True(await client.DeleteDatasetAsync("my-store", token));
        Assert.Null(await client.GetDatasetAsync("unknown", token));
        Assert.Null(await client.GetReportAsync("rep_404", token));
    }

    [Fact]
    public async Task Waiting_for_a_report_polls_until_it_is_finished()
    {
        var polls = 0;
        var handler = new ScriptedHandler(_ => FakeAffinsy.Answer(HttpStatusCode.OK, $$"""
            {"report_id":"rep_1","report_type":"RFM","dataset_id":"d","status":"{{(++polls < 3 ? "Processing" : "Completed")}}","created_at":"2025-03-15T10:30:00Z"}
            """));
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var options = new SinkOptions { BaseUrl = new Uri("https://affinsy.test/api/v1/"), ApiKey = FakeAffinsy.Key };
        var client = new AffinsyClient(new HttpClient(handler), options, new Sending.RateGate(1000, options.Window, time), time);

        var started = time.GetUtcNow();
        var wait = client.WaitForReportAsync("rep_1", TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.False(wait.IsCompleted);
        for (var steps = 0; !wait.IsCompleted && steps < 10_000; steps++)
        {
            await Task.Yield();
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        var report = await wait;

        Assert.True(time.GetUtcNow() - started >= TimeSpan.FromSeconds(10));
        Assert.Equal(Report.Completed, report.Status);
        Assert.Equal(3, polls);
    }

    private static AffinsyClient NewClient(ScriptedHandler handler)
    {
        var options = new SinkOptions { BaseUrl = new Uri("https://affinsy.test/api/v1/"), ApiKey = FakeAffinsy.Key };
        var time = TimeProvider.System;
        return new AffinsyClient(new HttpClient(handler), options, new Sending.RateGate(1000, options.Window, time), time);
    }

    private sealed class ScriptedHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public HttpRequestMessage? Last { get; private set; }

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Last = request;
            if (request.Content is not null)
            {
                Bodies.Add(Encoding.UTF8.GetString(await request.Content.ReadAsByteArrayAsync(cancellationToken)));
            }

            return answer(request);
        }
    }
}
