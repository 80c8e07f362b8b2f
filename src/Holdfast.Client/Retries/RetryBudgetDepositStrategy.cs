using Polly;

namespace Holdfast.Client.Retries;

/// <summary>Sits in front of the retry and counts each execution once, as one request, in the budget.</summary>
internal sealed class RetryBudgetDepositStrategy<TResult>(RetryBudget budget) : ResilienceStrategy<TResult>
{
    protected override ValueTask<Outcome<TResult>> ExecuteCore<TState>(Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        budget.RecordRequest();
        return callback(context, state);
    }
}
