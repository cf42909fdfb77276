using System.Text;
using Affinsy.Connectors.Kafka.Formats;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Confluent.Kafka;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>The <c>affinsy</c> format's byte-level reader: what it accepts and how it refuses, without a broker.</summary>
public sealed class AffinsyMessageFormatTests
{
    [Fact]
    public void Numeric_ids_amounts_as_strings_and_unknown_properties_are_read()
    {
        var order = Assert.Single(Accept("""
            {"order_id": 42, "customer_id": "c\u0031", "extra": {"nested": [1, {"x": null}]}, "order_date": "2026-01-10T10:00:00+02:00",
             "currency": "EUR", "line_items": [{"product_name": " Tea ", "unit_price": "2.50", "quantity": 2, "sku": "T"},
             {"product_name": "Tea", "unit_price": 3.5, "quantity": "1"}]}
            """).Orders);

        Assert.Equal("42", order.OrderId);
        Assert.Equal("c1", order.CustomerId);
        Assert.Equal("EUR", order.Currency);
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 8, 0, 0, TimeSpan.Zero), order.OrderDate);
        var tea = Assert.Single(order.LineItems); // the same product twice merges: 3 at the weighted price
        Assert.Equal(("Tea", 3m), (tea.ProductName, tea.Quantity));
        Assert.Equal(Math.Round(8.5m / 3, 6), tea.UnitPrice);
    }

    [Theory]
    [InlineData("not json", "not a valid JSON message")]
    [InlineData("""{"order_id": "a", "line_items": "nope"}""", "line_items must be an array")]
    [InlineData("""{"order_id": "a", "line_items": [{"product_name": "Tea", "unit_price": "cheap", "quantity": 1}]}""", "unit_price must be a number")]
    [InlineData("""{"order_id": "a", "line_items": [{"product_name": "Tea", "unit_price": 1, "quantity": 1}]} trailing""", "not a valid JSON message")]
    [InlineData("""{"order_id": "a", "line_items": [{"product_name": "Tea", "unit_price": 1""", "not a valid JSON message")]
    [InlineData("""{"order_id": "a", "line_items": []}""", "no line_items in order 'a'")]
    [InlineData("""{"order_id": "a", "line_items": [null]}""", "line_items[0] is null")]
    [InlineData("""{"order_id": "a", "order_date": "soon", "line_items": [{"product_name": "Tea", "unit_price": 1, "quantity": 1}]}""", "order_date 'soon' is not a date")]
    [InlineData("null", "empty or null message")]
    public void A_message_that_is_not_an_order_is_a_problem_naming_what_is_wrong(string message, string reason)
    {
        var output = Accept(message);

        Assert.Empty(output.Orders);
        Assert.Contains(reason, Assert.Single(output.Problems), StringComparison.Ordinal);
    }

    private static Collected Accept(string message)
    {
        var output = new Collected();
        new AffinsyMessageFormat().Accept(new KafkaRecord(new TopicPartition("t", 0), 0, DateTimeOffset.UnixEpoch, null, Encoding.UTF8.GetBytes(message), null), output);
        return output;
    }

    private sealed class Collected : IFormatOutput
    {
        public List<Order> Orders { get; } = [];

        public List<string> Problems { get; } = [];

        /// <summary>Normalized as the pipeline would: a refused draft counts as a problem.</summary>
        public void Draft(OrderDraft draft)
        {
            var result = OrderNormalizer.Normalize(draft);
            if (result.Order is { } order)
            {
                Orders.Add(order);
            }
            else
            {
                Problems.Add(result.RefusalReason!);
            }
        }

        public void Problem(string reason, KafkaRecord record, string? orderId) => Problems.Add(reason);

        // The affinsy format has no statuses: nothing it reads is skipped by design.
        public void Skipped(SkipReason reason) => throw new InvalidOperationException($"the affinsy format skipped an order ({reason})");
    }
}
