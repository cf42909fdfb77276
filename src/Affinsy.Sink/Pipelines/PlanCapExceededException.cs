namespace Affinsy.Sink.Pipelines;

/// <summary>Affinsy skipped inserts because the user's plan row cap is reached and the pipeline says on_plan_cap: fail.</summary>
internal sealed class PlanCapExceededException : Exception
{
    public PlanCapExceededException()
    {
    }

    public PlanCapExceededException(string message)
        : base(message)
    {
    }

    public PlanCapExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
