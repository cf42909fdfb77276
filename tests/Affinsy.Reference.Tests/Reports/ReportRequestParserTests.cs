using System.Text.Json;
using Affinsy.Reference.Reports;
using Xunit;

namespace Affinsy.Reference.Tests.Reports;

public sealed class ReportRequestParserTests
{
    private const string MbaDefaults =
        """{"min_support":0.01,"min_confidence":0.1,"scope":"order","customer_scope":"all","max_len":4,"max_rules":1000,"min_lift":0,"max_consequent":1}""";

    public static TheoryData<string, string, string> Templates => new()
    {
        { "standard_mba", "MBA", MbaDefaults },
        { "first_order", "MBA", MbaDefaults.Replace("\"customer_scope\":\"all\"", "\"customer_scope\":\"first_order\"", StringComparison.Ordinal) },
        { "repeat_purchase", "MBA", MbaDefaults.Replace("\"customer_scope\":\"all\"", "\"customer_scope\":\"repeat\"", StringComparison.Ordinal) },
        { "high_value_baskets", "MBA", MbaDefaults.Replace("\"customer_scope\":\"all\"", "\"customer_scope\":\"high_value\"", StringComparison.Ordinal) },
        { "churning_analysis", "MBA", MbaDefaults.Replace("\"customer_scope\":\"all\"", "\"customer_scope\":\"churning\"", StringComparison.Ordinal) },
        { "standard_rfm", "RFM", """{"customer_scope":"all","bins":5}""" },
        { "new_customer_cohort", "RFM", """{"customer_scope":"new_90d","bins":5}""" },
    };

    [Theory]
    [MemberData(nameof(Templates))]
    public void A_template_fills_the_report_type_the_name_and_every_param(string template, string type, string paramsJson)
    {
        var spec = Valid($$"""{"dataset_id":"shop-1","template":"{{template}}"}""");

        Assert.Equal(type, WireNames.Of(spec.ReportType));
        Assert.Equal(template, spec.Template);
        Assert.Equal(template, spec.Name);
        Assert.Equal(paramsJson, spec.ParamsJson);
        Assert.Equal(type == "MBA", spec.Mba is not null);
        Assert.Equal(type == "RFM", spec.Rfm is not null);
        Assert.Equal("{}", spec.FiltersJson);
        Assert.Null(spec.WebhookUrl);
    }

    [Fact]
    public void A_report_type_alone_takes_the_contract_defaults_and_a_generic_name()
    {
        var mba = Valid("""{"dataset_id":"d","report_type":"MBA"}""");
        var rfm = Valid("""{"dataset_id":"d","report_type":"RFM"}""");

        Assert.Equal(MbaParams.Default, mba.Mba);
        Assert.Null(mba.Template);
        Assert.Equal("MBA report", mba.Name);
        Assert.Equal(RfmParams.Default, rfm.Rfm);
        Assert.Equal("RFM report", rfm.Name);
    }

    [Fact]
    public void Explicit_params_override_single_template_defaults()
    {
        var spec = Valid("""
            {"dataset_id":"d","template":"first_order","name":"Gateways","report_type":"MBA",
             "params":{"min_support":0.05,"max_len":5,"max_consequent":2,"scope":"customer"}}
            """);

        Assert.Equal("Gateways", spec.Name);
        Assert.Equal(
            MbaParams.Default with
            {
                MinSupport = 0.05m, MaxLen = 5, MaxConsequent = 2, Scope = BasketScope.Customer,
                CustomerScope = CustomerScope.FirstOrder,
            },
            spec.Mba);
        Assert.Equal(
            """{"min_support":0.05,"min_confidence":0.1,"scope":"customer","customer_scope":"first_order","max_len":5,"max_rules":1000,"min_lift":0,"max_consequent":2}""",
            spec.ParamsJson);
    }

    [Fact]
    public void An_explicit_customer_scope_overrides_the_templates()
    {
        Assert.Equal(CustomerScope.All, Valid("""{"dataset_id":"d","template":"churning_analysis","params":{"customer_scope":"all"}}""").CustomerScope);
        Assert.Equal(CustomerScope.New90d, Valid("""{"dataset_id":"d","template":"standard_rfm","params":{"customer_scope":"new_90d","bins":3}}""").CustomerScope);
    }

    [Fact]
    public void Thresholds_are_read_exactly_as_decimals()
    {
        var spec = Valid("""{"dataset_id":"d","report_type":"MBA","params":{"min_support":0.07,"min_confidence":0.300,"min_lift":1.5e0}}""");

        Assert.Equal(0.07m, spec.Mba!.MinSupport);
        Assert.Equal(0.3m, spec.Mba.MinConfidence);
        Assert.Equal(1.5m, spec.Mba.MinLift);
        Assert.Contains("\"min_confidence\":0.3,", spec.ParamsJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Boundary_values_of_the_ranges_are_accepted()
    {
        var mba = Valid("""{"dataset_id":"d","report_type":"MBA","params":{"min_support":1,"min_confidence":0,"max_len":10,"max_rules":100000,"max_consequent":9,"min_lift":0}}""");
        var smallest = Valid("""{"dataset_id":"d","report_type":"MBA","params":{"max_len":2,"max_rules":1,"max_consequent":1,"min_confidence":1}}""");
        var rfm = Valid("""{"dataset_id":"d","report_type":"RFM","params":{"bins":10}}""");

        Assert.Equal(9, mba.Mba!.MaxConsequent);
        Assert.Equal(2, smallest.Mba!.MaxLen);
        Assert.Equal(10, rfm.Rfm!.Bins);
        Assert.Equal(2, Valid("""{"dataset_id":"d","report_type":"RFM","params":{"bins":2.0}}""").Rfm!.Bins);
    }

    [Fact]
    public void Filters_and_webhook_are_kept_and_filters_normalized()
    {
        var spec = Valid("""
            {"dataset_id":"a.b_c-1","report_type":"RFM","webhook_url":"https://hooks.example.com/affinsy?x=1",
             "filters":{"dateRange":{"end":"2025-01-31","start":"2025-01-01"}}}
            """);

        Assert.Equal(new DateOnly(2025, 1, 1), spec.DateStart);
        Assert.Equal(new DateOnly(2025, 1, 31), spec.DateEnd);
        Assert.Equal("""{"dateRange":{"start":"2025-01-01","end":"2025-01-31"}}""", spec.FiltersJson);
        Assert.Equal(new Uri("https://hooks.example.com/affinsy?x=1"), spec.WebhookUrl);
        Assert.Equal("""{"dateRange":{"start":"2025-02-01"}}""", Valid("""{"dataset_id":"d","report_type":"RFM","filters":{"dateRange":{"start":"2025-02-01"}}}""").FiltersJson);
        Assert.Equal("{}", Valid("""{"dataset_id":"d","report_type":"RFM","filters":{}}""").FiltersJson);
        Assert.True(Valid("""{"dataset_id":"d","report_type":"RFM","filters":{"dateRange":{"start":"2025-02-01","end":"2025-02-01"}}}""").HasDateFilter);
    }

    [Fact]
    public void Null_optional_fields_count_as_absent()
    {
        var spec = Valid("""{"dataset_id":"d","template":"standard_mba","report_type":null,"name":null,"webhook_url":null,"filters":null,"params":null}""");

        Assert.Equal("standard_mba", spec.Name);
        Assert.Equal(MbaParams.Default, spec.Mba);
    }

    public static TheoryData<string, string> InvalidRequests => new()
    {
        { """{"template":"standard_mba"}""", "dataset_id" },
        { """{"dataset_id":null,"template":"standard_mba"}""", "dataset_id" },
        { """{"dataset_id":"","template":"standard_mba"}""", "dataset_id" },
        { """{"dataset_id":"my store","template":"standard_mba"}""", "dataset_id" },
        { $$"""{"dataset_id":"{{new string('a', 129)}}","template":"standard_mba"}""", "dataset_id" },
        { """{"dataset_id":7,"template":"standard_mba"}""", "dataset_id" },
        { """{"dataset_id":"d"}""", "template" },
        { """{"dataset_id":"d","template":"standard_xyz"}""", "template" },
        { """{"dataset_id":"d","template":["standard_mba"]}""", "template" },
        { """{"dataset_id":"d","report_type":"CLV"}""", "report_type" },
        { """{"dataset_id":"d","report_type":"mba"}""", "report_type" },
        { """{"dataset_id":"d","template":"standard_rfm","report_type":"MBA"}""", "report_type" },
        { """{"dataset_id":"d","template":"standard_mba","report_type":"RFM"}""", "report_type" },
        { """{"dataset_id":"d","report_type":"MBA","name":""}""", "name" },
        { """{"dataset_id":"d","report_type":"MBA","name":"   "}""", "name" },
        { """{"dataset_id":"d","report_type":"MBA","name":5}""", "name" },
        { """{"dataset_id":"d","report_type":"MBA","webhook_url":"ftp://example.com/x"}""", "webhook_url" },
        { """{"dataset_id":"d","report_type":"MBA","webhook_url":"/hooks/affinsy"}""", "webhook_url" },
        { """{"dataset_id":"d","report_type":"MBA","webhook_url":"not a url"}""", "webhook_url" },
        { """{"dataset_id":"d","report_type":"MBA","webhook_url":true}""", "webhook_url" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"min_support":0}}""", "params.min_support" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"min_support":1.0001}}""", "params.min_support" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"min_support":"0.1"}}""", "params.min_support" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"min_support":1e400}}""", "params.min_support" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"min_confidence":-0.1}}""", "params.min_confidence" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"min_confidence":1.01}}""", "params.min_confidence" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"scope":"basket"}}""", "params.scope" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"customer_scope":"new_90d"}}""", "params.customer_scope" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"customer_scope":"All"}}""", "params.customer_scope" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"max_len":1}}""", "params.max_len" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"max_len":11}}""", "params.max_len" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"max_len":3.5}}""", "params.max_len" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"max_rules":0}}""", "params.max_rules" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"max_rules":100001}}""", "params.max_rules" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"min_lift":-1}}""", "params.min_lift" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"max_consequent":0}}""", "params.max_consequent" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"max_consequent":4}}""", "params.max_consequent" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"max_consequent":3,"max_len":3}}""", "params.max_consequent" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"bins":5}}""", "params.bins" },
        { """{"dataset_id":"d","report_type":"MBA","params":{"minSupport":0.1}}""", "params.minSupport" },
        { """{"dataset_id":"d","report_type":"MBA","params":[]}""", "params" },
        { """{"dataset_id":"d","report_type":"RFM","params":{"customer_scope":"first_order"}}""", "params.customer_scope" },
        { """{"dataset_id":"d","report_type":"RFM","params":{"bins":1}}""", "params.bins" },
        { """{"dataset_id":"d","report_type":"RFM","params":{"bins":11}}""", "params.bins" },
        { """{"dataset_id":"d","report_type":"RFM","params":{"min_support":0.1}}""", "params.min_support" },
        { """{"dataset_id":"d","report_type":"RFM","filters":{"dateRange":{"start":"2025-13-01"}}}""", "filters.dateRange.start" },
        { """{"dataset_id":"d","report_type":"RFM","filters":{"dateRange":{"start":"2025/01/01"}}}""", "filters.dateRange.start" },
        { """{"dataset_id":"d","report_type":"RFM","filters":{"dateRange":{"end":"2025-01-01T00:00:00Z"}}}""", "filters.dateRange.end" },
        { """{"dataset_id":"d","report_type":"RFM","filters":{"dateRange":{"end":"2025-02-30"}}}""", "filters.dateRange.end" },
        { """{"dataset_id":"d","report_type":"RFM","filters":{"dateRange":{"end":20250101}}}""", "filters.dateRange.end" },
        { """{"dataset_id":"d","report_type":"RFM","filters":{"dateRange":{"start":"2025-02-01","end":"2025-01-31"}}}""", "filters.dateRange" },
        { """{"dataset_id":"d","report_type":"RFM","filters":{"dateRange":{"from":"2025-02-01"}}}""", "filters.dateRange.from" },
        { """{"dataset_id":"d","report_type":"RFM","filters":{"dateRange":"2025"}}""", "filters.dateRange" },
        { """{"dataset_id":"d","report_type":"RFM","filters":{"customer":"c1"}}""", "filters.customer" },
        { """{"dataset_id":"d","report_type":"RFM","filters":[]}""", "filters" },
        { """{"dataset_id":"d","report_type":"RFM","type":"RFM"}""", "type" },
        { """["not","an","object"]""", "$" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public void Each_invalid_field_is_reported_at_its_path(string body, string path)
    {
        var errors = Invalid(body);

        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Every_problem_is_reported_together()
    {
        var errors = Invalid("""
            {"dataset_id":"bad id","template":"standard_mba","webhook_url":"mailto:x@example.com",
             "filters":{"dateRange":{"start":"2025-01-32"}},
             "params":{"min_support":0,"max_len":12,"scope":"x","colour":"red"}}
            """);

        Assert.Equal(
            ["dataset_id", "webhook_url", "filters.dateRange.start", "params.min_support", "params.max_len", "params.scope", "params.colour"],
            errors.Select(e => e.Path));
    }

    [Fact]
    public void Messages_say_what_is_allowed()
    {
        Assert.Equal("must be greater than 0 and at most 1", Invalid("""{"dataset_id":"d","report_type":"MBA","params":{"min_support":2}}""")[0].Message);
        Assert.Contains("standard_mba", Invalid("""{"dataset_id":"d","template":"nope"}""")[0].Message, StringComparison.Ordinal);
        Assert.Contains("order, customer", Invalid("""{"dataset_id":"d","report_type":"MBA","params":{"scope":"x"}}""")[0].Message, StringComparison.Ordinal);
        Assert.Contains("max_len - 1 (2)", Invalid("""{"dataset_id":"d","report_type":"MBA","params":{"max_len":3,"max_consequent":3}}""")[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Max_len_2_with_the_default_consequent_is_valid()
    {
        // max_len 2 with the default max_consequent 1 is fine: 1 <= 2 - 1.
        Assert.Equal(2, Valid("""{"dataset_id":"d","report_type":"MBA","params":{"max_len":2}}""").Mba!.MaxLen);
    }

    [Fact]
    public void Wire_names_agree_with_the_json_spelling_of_each_enum()
    {
        foreach (var (name, scope) in WireNames.CustomerScopes)
        {
            var json = JsonSerializer.Serialize(new RfmParams(scope, 5), ReportJsonContext.Default.RfmParams);
            Assert.Equal($$"""{"customer_scope":"{{name}}","bins":5}""", json);
        }

        foreach (var (name, scope) in WireNames.BasketScopes)
        {
            var json = JsonSerializer.Serialize(MbaParams.Default with { Scope = scope }, ReportJsonContext.Default.MbaParams);
            Assert.Contains($"\"scope\":\"{name}\"", json, StringComparison.Ordinal);
        }
    }

    private static ReportSpec Valid(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = ReportRequestParser.Parse(document.RootElement);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Empty(result.Errors);
        return result.Spec;
    }

    private static IReadOnlyList<ErrorDetail> Invalid(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = ReportRequestParser.Parse(document.RootElement);
        Assert.False(result.IsValid);
        Assert.Null(result.Spec);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }
}
