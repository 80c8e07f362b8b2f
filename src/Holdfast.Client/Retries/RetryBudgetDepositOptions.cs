using Polly;

namespace Holdfast.Client.Retries;

internal sealed class RetryBudgetDepositOptions : ResilienceStrategyOptions
{
    public RetryBudgetDepositOptions() => Name = "HoldfastRetryBudget";
}
