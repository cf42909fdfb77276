using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Affinsy.Reference.Reports;

/// <summary>
/// Where a report's time goes, for profiling: with <c>AFFINSY_REPORT_TIMINGS=1</c> in the environment each report
/// prints one line to stderr with the seconds of each phase (keys, scan, mine or score, json, store). Off, every call is
/// a flag test. Reports run one at a time on one worker (<see cref="ReportRunner"/>), so one line is built at a time.
/// </summary>
internal static class ReportTimings
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("AFFINSY_REPORT_TIMINGS") == "1";
    private static StringBuilder? _line;
    private static long _start;
    private static long _last;

    public static void Start(string reportId)
    {
        if (Enabled)
        {
            _line = new StringBuilder("report ").Append(reportId).Append(':');
            _start = _last = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Ends a phase: the time since the previous mark is charged to it.</summary>
    public static void Mark(string phase)
    {
        if (Enabled && _line is not null)
        {
            var now = Stopwatch.GetTimestamp();
            _line.Append(CultureInfo.InvariantCulture, $" {phase} {Stopwatch.GetElapsedTime(_last, now).TotalSeconds:0.000}s");
            _last = now;
        }
    }

    public static void End()
    {
        if (Enabled && _line is not null)
        {
            _line.Append(CultureInfo.InvariantCulture, $" total {Stopwatch.GetElapsedTime(_start).TotalSeconds:0.000}s");
            Console.Error.WriteLine(_line.ToString());
            _line = null;
        }
    }
}
