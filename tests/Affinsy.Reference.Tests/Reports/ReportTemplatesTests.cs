using System.Text.Json;
using Affinsy.Reference.Reports;
using Xunit;

namespace Affinsy.Reference.Tests.Reports;

public sealed class ReportTemplatesTests
{
    [Fact]
    public void Templates_json_lists_the_contracts_seven_templates_with_type_scope_and_params()
    {
        using var document = JsonDocument.Parse(ReportTemplates.TemplatesJson());
        var templates = document.RootElement.GetProperty("templates").EnumerateArray().ToList();

        Assert.Equal(
            [
                "standard_mba:MBA:all", "first_order:MBA:first_order", "repeat_purchase:MBA:repeat",
                "high_value_baskets:MBA:high_value", "churning_analysis:MBA:churning", "standard_rfm:RFM:all",
                "new_customer_cohort:RFM:new_90d",
            ],
            templates.Select(t => $"{t.GetProperty("template").GetString()}:{t.GetProperty("report_type").GetString()}:{t.GetProperty("customer_scope").GetString()}"));
        foreach (var template in templates)
        {
            Assert.Equal(
                ["template", "report_type", "customer_scope", "description", "params"],
                template.EnumerateObject().Select(p => p.Name));
            Assert.False(string.IsNullOrWhiteSpace(template.GetProperty("description").GetString()));
            Assert.Equal(
                template.GetProperty("customer_scope").GetString(),
                template.GetProperty("params").GetProperty("customer_scope").GetString());
        }

        Assert.Equal(
            """{"min_support":0.01,"min_confidence":0.1,"scope":"order","customer_scope":"high_value","max_len":4,"max_rules":1000,"min_lift":0,"max_consequent":1}""",
            templates[3].GetProperty("params").GetRawText());
        Assert.Equal("""{"customer_scope":"new_90d","bins":5}""", templates[6].GetProperty("params").GetRawText());
    }

    [Fact]
    public void Template_names_are_matched_exactly()
    {
        Assert.NotNull(ReportTemplates.Find("standard_rfm"));
        Assert.Null(ReportTemplates.Find("Standard_RFM"));
    }
}
