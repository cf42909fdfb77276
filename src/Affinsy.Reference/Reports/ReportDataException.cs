namespace Affinsy.Reference.Reports;

/// <summary>
/// The dataset holds data a report cannot use (amounts too large to total, from rows stored before ingest
/// refused them). Its message is the report's <c>error</c>: it says what and what to do, and holds no secret.
/// </summary>
internal sealed class ReportDataException : Exception
{
    public ReportDataException()
    {
    }

    public ReportDataException(string message)
        : base(message)
    {
    }

    public ReportDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
