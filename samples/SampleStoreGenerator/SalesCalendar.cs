namespace Affinsy.Samples.StoreGenerator;

/// <summary>
/// The shop's year, 2025: how busy each day is (season, weekday, a few retail events) and how busy each
/// hour is. Customers' order dates are drawn from it, so the weekly and seasonal shape is shared by all.
/// </summary>
internal sealed class SalesCalendar
{
    public static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public const int Days = 365;

    // January lull, a spring lift, a soft summer, then the gift season building to a December peak.
    private static readonly double[] MonthFactor = [0.75, 0.75, 0.85, 0.9, 0.95, 0.9, 0.85, 0.85, 0.95, 1.1, 1.5, 2.3];

    // An online gift shop: busiest on Monday and Thursday, quietest on Saturday.
    private static readonly double[] WeekdayFactor = [0.95, 1.1, 1.05, 1.0, 1.1, 0.9, 0.7]; // Sunday first

    // Orders by hour of day (UTC, the shop's customers being mostly in the UK): nothing overnight,
    // a late-morning peak and an evening one.
    private static readonly double[] HourWeights =
        [0, 0, 0, 0, 0, 0, 0.2, 0.8, 1.6, 2.4, 3.0, 3.0, 2.6, 2.4, 2.2, 2.0, 1.8, 1.6, 1.8, 2.4, 2.6, 2.0, 1.0, 0.3];

    private static readonly double[] ChristmasByMonth = [0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.15, 0.8, 2.6, 4.0];
    private static readonly double[] SummerByMonth = [0.2, 0.3, 0.8, 1.5, 2.0, 2.0, 2.0, 1.6, 0.7, 0.3, 0.2, 0.2];

    private readonly double[] _cumulativeDays = new double[Days];
    private readonly double[] _cumulativeHours = new double[24];

    public SalesCalendar()
    {
        var total = 0.0;
        for (var day = 0; day < Days; day++)
        {
            total += DayWeight(Start.AddDays(day));
            _cumulativeDays[day] = total;
        }

        total = 0;
        for (var hour = 0; hour < 24; hour++)
        {
            total += HourWeights[hour];
            _cumulativeHours[hour] = total;
        }
    }

    public static int MonthOf(int day) => Start.AddDays(day).Month - 1;

    /// <summary>How strongly products of a season sell in a month (0-based), relative to their all-year peers.</summary>
    public static double SeasonFactor(Season season, int month) => season switch
    {
        Season.Christmas => ChristmasByMonth[month],
        Season.Summer => SummerByMonth[month],
        _ => 1.0,
    };

    /// <summary>A day in [first, last] (0-based days of 2025), weighted by how busy the shop is.</summary>
    public int PickDay(SeededRandom random, int first, int last)
    {
        var below = first == 0 ? 0 : _cumulativeDays[first - 1];
        var target = below + (random.NextDouble() * (_cumulativeDays[last] - below));
        var day = Array.BinarySearch(_cumulativeDays, first, last - first + 1, target);
        day = day >= 0 ? day + 1 : ~day;
        return Math.Clamp(day, first, last);
    }

    /// <summary>Minute of the day an order is placed.</summary>
    public int PickMinute(SeededRandom random) => (random.PickCumulative(_cumulativeHours) * 60) + random.Next(60);

    private static double DayWeight(DateTime date)
    {
        // The shop closes for Christmas and Boxing Day; the week after is quiet.
        if (date.Month == 12 && date.Day is 25 or 26)
        {
            return 0;
        }

        var weight = MonthFactor[date.Month - 1] * WeekdayFactor[(int)date.DayOfWeek];
        if (date.Month == 12 && date.Day > 26)
        {
            weight *= 0.35;
        }
        else if (date.Month == 12 && date.Day > 20)
        {
            weight *= 0.7; // past the last posting day
        }

        if (date == new DateTime(2025, 11, 28, 0, 0, 0, DateTimeKind.Utc) || date == new DateTime(2025, 12, 1, 0, 0, 0, DateTimeKind.Utc))
        {
            weight *= 2.5; // Black Friday, Cyber Monday
        }

        if (date >= new DateTime(2025, 3, 20, 0, 0, 0, DateTimeKind.Utc) && date < new DateTime(2025, 3, 30, 0, 0, 0, DateTimeKind.Utc))
        {
            weight *= 1.3; // run-up to Mothering Sunday (30 March 2025 in the UK)
        }

        return weight;
    }
}
