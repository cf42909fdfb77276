namespace Affinsy.Reference.Reports.Streaming;

/// <summary>The date filter as day numbers: with a bound, an order needs a date inside it (inclusive).</summary>
internal readonly record struct DateWindow(int? Start, int? End)
{
    public static DateWindow Of(ReportSpec spec) => new(spec.DateStart?.DayNumber, spec.DateEnd?.DayNumber);

    public bool Admits(in OrderFacts order)
    {
        if (Start is null && End is null)
        {
            return true;
        }

        return order.Day is { } day && !(day < Start) && !(day > End);
    }
}
