using System.Text.Json;

namespace Affinsy.Reference.Reports;

/// <summary>The contract's seven templates, in the contract's order, and the body of <c>GET /templates</c>.</summary>
internal static class ReportTemplates
{
    internal static IReadOnlyList<ReportTemplate> All { get; } =
    [
        ReportTemplate.ForMba(
            "standard_mba", "All orders: full cross-sell and bundling insights.", MbaParams.Default),
        ReportTemplate.ForMba(
            "first_order", "Each customer's first order: the gateway products that win new customers.",
            MbaParams.Default with { CustomerScope = CustomerScope.FirstOrder }),
        ReportTemplate.ForMba(
            "repeat_purchase", "Orders after each customer's first: what keeps customers coming back.",
            MbaParams.Default with { CustomerScope = CustomerScope.Repeat }),
        ReportTemplate.ForMba(
            "high_value_baskets", "Orders of the top 20% of customers by spend: what they buy together.",
            MbaParams.Default with { CustomerScope = CustomerScope.HighValue }),
        ReportTemplate.ForMba(
            "churning_analysis",
            "Orders of customers with no order in the last 180 days: history for win-back campaigns.",
            MbaParams.Default with { CustomerScope = CustomerScope.Churning }),
        ReportTemplate.ForRfm(
            "standard_rfm", "All customers by recency, frequency and monetary value.", RfmParams.Default),
        ReportTemplate.ForRfm(
            "new_customer_cohort", "Customers acquired in the last 90 days.",
            RfmParams.Default with { CustomerScope = CustomerScope.New90d }),
    ];

    /// <summary>The template with this exact (case-sensitive) name, or null.</summary>
    internal static ReportTemplate? Find(string name)
    {
        foreach (var template in All)
        {
            if (string.Equals(template.Name, name, StringComparison.Ordinal))
            {
                return template;
            }
        }

        return null;
    }

    /// <summary>The body of <c>GET /templates</c>: <c>{"templates":[{"template","report_type","customer_scope","description","params"}]}</c>.</summary>
    internal static string TemplatesJson()
    {
        var entries = new List<TemplateEntry>(All.Count);
        foreach (var template in All)
        {
            entries.Add(new TemplateEntry(
                template.Name,
                template.Type,
                template.CustomerScope,
                template.Description,
                ParamsElement(template.Mba, template.Rfm)));
        }

        return JsonSerializer.Serialize(new TemplateList(entries), ReportJsonContext.Default.TemplateList);
    }

    internal static JsonElement ParamsElement(MbaParams? mba, RfmParams? rfm) =>
        mba is not null
            ? JsonSerializer.SerializeToElement(mba, ReportJsonContext.Default.MbaParams)
            : JsonSerializer.SerializeToElement(rfm!, ReportJsonContext.Default.RfmParams);
}
