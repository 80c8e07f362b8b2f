using System.ComponentModel.DataAnnotations;
using Grpc.Core.Interceptors;

namespace Holdfast.Storage.Etcd;

/// <summary>How to reach the etcd cluster and how patient to be with it.</summary>
public sealed class EtcdControlStoreOptions
{
    /// <summary>Client URLs of the etcd members (<c>http://127.0.0.1:2379</c>); at least one. Calls go round-robin over them.</summary>
    public IReadOnlyList<Uri> Endpoints { get; set; } = [];

    /// <summary>Every key of this store starts with it (default <c>/holdfast/</c>); it must end with '/'. Several stores may share a cluster under different prefixes.</summary>
    public string Prefix { get; set; } = "/holdfast/";

    /// <summary>Deadline of one gRPC call (default 3 s). The client library's own retries run inside it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long one operation keeps trying through unavailable members, conflicts with other nodes and unknown outcomes
    /// (default 20 s, enough for a leader election); then it fails with <see cref="Holdfast.ControlPlane.Store.ControlStoreException"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How many of the newest revisions the change feed keeps (default 200,000, as the SQLite store).</summary>
    [Range(1, long.MaxValue)]
    public long ChangeRetention { get; set; } = 200_000;

    /// <summary>etcd's <c>--max-txn-ops</c> (default 128): batches are split so that no txn has more operations.</summary>
    [Range(16, 100_000)]
    public int MaxOperationsPerTransaction { get; set; } = 128;

    /// <summary>etcd's <c>--max-request-bytes</c> (default 1.5 MiB): batches are split so that no txn is larger.</summary>
    [Range(256 * 1024, int.MaxValue)]
    public int MaxRequestBytes { get; set; } = 1536 * 1024;

    /// <summary>gRPC interceptors on every call (tests inject lost answers and duplicated commits with them).</summary>
    public IReadOnlyList<Interceptor> Interceptors { get; set; } = [];

    /// <summary>Throws with a message naming the bad setting.</summary>
    public void Validate()
    {
        if (Endpoints.Count == 0)
        {
            throw new ArgumentException("store.endpoints: at least one etcd client URL is needed (http://host:2379)");
        }

        foreach (var endpoint in Endpoints)
        {
            if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps) || endpoint.AbsolutePath != "/")
            {
                throw new ArgumentException($"store.endpoints: '{endpoint}' is not an etcd client URL (http://host:port or https://host:port, no path)");
            }
        }

        if (string.IsNullOrEmpty(Prefix) || !Prefix.EndsWith('/') || !Prefix.StartsWith('/'))
        {
            throw new ArgumentException($"store.prefix: '{Prefix}' must start and end with '/' (for example /holdfast/)");
        }

        var context = new ValidationContext(this);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, context, results, validateAllProperties: true))
        {
            throw new ArgumentException("store: " + string.Join("; ", results.Select(r => r.ErrorMessage)));
        }
    }
}
