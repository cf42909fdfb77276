using Affinsy.Connectors.WooCommerce.Mapping;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.WooCommerce.Tests;

public sealed class WooCommerceSourcePluginTests
{
    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal)
    {
        ["WOO_KEY"] = "ck_from_env",
        ["WOO_SECRET"] = "cs_from_env",
    };

    [Fact]
    public void AddWooCommerceSource_registers_woocommerce()
    {
        Assert.Equal(["woocommerce"], new SourceRegistry().AddWooCommerceSource().Types);
    }

    [Fact]
    public void A_minimal_section_gets_the_documented_defaults()
    {
        var options = Bind("""
            type: woocommerce
            url: https://shop.example.com
            consumer_key: ${WOO_KEY}
            consumer_secret: ${WOO_SECRET}
            """);

        Assert.Equal(new Uri("https://shop.example.com"), options.Url);
        Assert.Equal(("ck_from_env", "cs_from_env"), (options.ConsumerKey, options.ConsumerSecret));
        Assert.Equal(["processing", "completed", "on-hold"], options.Statuses);
        Assert.Equal(TimeSpan.FromMinutes(10), options.Lookback);
        Assert.Equal(100, options.PageSize);
        Assert.Null(options.RequestsPerSecond);
        Assert.Equal(new WooCommerceMapping(), options.Mapping);
    }

    [Fact]
    public void Every_key_is_bound()
    {
        var options = Bind("""
            type: woocommerce
            url: http://localhost:8080/shop
            allow_insecure_http: true
            consumer_key: ${WOO_KEY}
            consumer_secret: ${WOO_SECRET}
            statuses: [completed]
            lookback: 30m
            page_size: 50
            product_name: sku
            customer_id: email_hash
            requests_per_second: 0.5
            request_timeout: 2m
            auth: oauth1
            oauth_signature_method: HMAC-SHA1
            start_date: 2025-01-01
            """);

        Assert.Equal((Api.StoreAuth.OAuth1, Api.OAuthSignatureMethod.HmacSha1), (options.Auth, options.SignatureMethod));
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), options.StartDate);

        Assert.Equal(["completed"], options.Statuses);
        Assert.Equal((TimeSpan.FromMinutes(30), 50, 0.5, TimeSpan.FromMinutes(2)), (options.Lookback, options.PageSize, options.RequestsPerSecond, options.RequestTimeout));
        Assert.Equal(new WooCommerceMapping { ProductName = ProductNameField.Sku, CustomerId = CustomerIdField.EmailHash }, options.Mapping);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_path_and_secrets_are_never_quoted()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("""
            type: woocommerce
            url: http://shop.example.com
            consumer_key: ${WOO_KEY}
            statuses: [completed, cancelled, shipped]
            lookback: soon
            page_size: 250
            product_name: title
            requests_per_second: 0
            """));

        Assert.Equal(
            ["consumer_secret", "lookback", "page_size", "product_name", "requests_per_second", "statuses", "statuses", "url"],
            e.Problems.Select(p => p.Path["pipelines[0].source.".Length..]).Order(StringComparer.Ordinal));
        Assert.Contains("must use https", e.Message, StringComparison.Ordinal);
        Assert.Contains("allow_insecure_http: true", e.Message, StringComparison.Ordinal);
        Assert.Contains("'cancelled' orders are never sent", e.Message, StringComparison.Ordinal);
        Assert.Contains("'shipped' is not a WooCommerce order status", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ck_from_env", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Basic_or_query_auth_over_plain_http_and_an_unreadable_start_date_are_problems()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("""
            type: woocommerce
            url: http://localhost:8080
            allow_insecure_http: true
            consumer_key: ${WOO_KEY}
            consumer_secret: ${WOO_SECRET}
            auth: basic
            start_date: last year
            """));

        Assert.Equal(["auth", "start_date"], e.Problems.Select(p => p.Path["pipelines[0].source.".Length..]).Order(StringComparer.Ordinal));
        Assert.Contains("accepts only OAuth 1.0a: use auth: oauth1", e.Message, StringComparison.Ordinal);
        Assert.Contains("expected an ISO date such as 2025-01-01", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_start_date_with_a_time_and_offset_is_read_as_that_instant()
    {
        var options = Bind("""
            type: woocommerce
            url: https://shop.example.com
            consumer_key: ${WOO_KEY}
            consumer_secret: ${WOO_SECRET}
            start_date: 2025-01-01T00:00:00-05:00
            """);

        Assert.Equal(new DateTimeOffset(2025, 1, 1, 5, 0, 0, TimeSpan.Zero), options.StartDate);
        Assert.Equal(Api.StoreAuth.Auto, options.Auth);
    }

    private static WooCommerceSourceOptions Bind(string source)
    {
        var created = Parse(source).Pipelines[0].CreateSource(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        return Assert.IsType<Reading.WooCommerceOrderSource>(created).Options;
    }

    private static ConnectorsConfig Parse(string source)
    {
        var yaml = "pipelines:\n  - name: woo\n    dataset_id: woo\n    source:\n"
            + string.Join('\n', source.Split('\n').Select(l => "      " + l.TrimEnd('\r')));
        return ConnectorsConfigLoader.Parse(yaml, "test.yaml", Directory.GetCurrentDirectory(), new SourceRegistry().AddWooCommerceSource(), k => Environment.GetValueOrDefault(k));
    }
}
