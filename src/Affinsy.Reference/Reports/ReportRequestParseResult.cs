using System.Diagnostics.CodeAnalysis;

namespace Affinsy.Reference.Reports;

/// <summary>
/// The outcome of reading a <c>POST /reports</c> body: a <see cref="Spec"/>, or every problem found
/// (never just the first) for a <c>400</c> with <c>details</c>.
/// </summary>
internal sealed class ReportRequestParseResult
{
    private ReportRequestParseResult(ReportSpec? spec, IReadOnlyList<ErrorDetail> errors)
    {
        Spec = spec;
        Errors = errors;
    }

    /// <summary>The request, with template and defaults applied; null when <see cref="Errors"/> is non-empty.</summary>
    internal ReportSpec? Spec { get; }

    /// <summary>Every problem, each with its path (<c>params.min_support</c>); empty when valid.</summary>
    internal IReadOnlyList<ErrorDetail> Errors { get; }

    [MemberNotNullWhen(true, nameof(Spec))]
    internal bool IsValid => Spec is not null;

    internal static ReportRequestParseResult Valid(ReportSpec spec) => new(spec, []);

    internal static ReportRequestParseResult Invalid(IReadOnlyList<ErrorDetail> errors)
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("An invalid request needs at least one detail.", nameof(errors));
        }

        return new(null, errors);
    }
}
