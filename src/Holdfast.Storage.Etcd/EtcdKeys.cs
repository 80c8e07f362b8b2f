using System.Globalization;
using Google.Protobuf;

namespace Holdfast.Storage.Etcd;

/// <summary>
/// The key layout under one prefix (docs/design/etcd-store.md). Every key is UTF-8; numbers in keys are zero-padded to 19
/// digits so that etcd's byte order is numeric order. Endpoint names and zone apexes appear verbatim, so a name may not
/// contain '/' (the separator) — DNS names never do.
/// </summary>
/// <remarks>
/// <code>
/// {p}meta/head                     the head: store revision, last audit sequence, feed compacted through (every write txn puts it)
/// {p}meta/generation               the generation counter (decimal), CAS-incremented
/// {p}spec/{endpoint}               desired state with health checks (EndpointSpec JSON)
/// {p}applied/{endpoint}            what is live (AppliedState JSON)
/// {p}plan/{endpoint}/{generation}  a plan with its rejection and first apply (PlanEntry JSON)
/// {p}freeze/global                 the global freeze switch (FreezeSwitch JSON)
/// {p}freeze/endpoint/{endpoint}    an endpoint's freeze switch
/// {p}zone/{apex}                   a zone (ZoneSpec JSON)
/// {p}serving/{apex}                a zone's serving revision and zone-file digest (ServingDocument JSON)
/// {p}release/{zone}                a zone's last self-preservation release (DateTimeOffset JSON)
/// {p}audit/{sequence}              an audit entry (AuditEntry JSON)
/// {p}audit-by/{key}/{sequence}     the same entry, indexed by its endpoint or zone
/// {p}feed/{revision}               the changes of one revision (StoreChange[] JSON)
/// {p}op/{operation id}             an operation's outcome, written in its own txn: how an unknown outcome is read back
/// {p}node/{node id}                a running node (NodeDocument JSON), on the node's lease
/// {p}election/planner              the node that runs the planner (its node id), on that node's lease
/// </code>
/// </remarks>
internal sealed class EtcdKeys
{
    public EtcdKeys(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        Prefix = prefix;
        Head = prefix + "meta/head";
        Generation = prefix + "meta/generation";
        SpecPrefix = prefix + "spec/";
        AppliedPrefix = prefix + "applied/";
        PlanPrefix = prefix + "plan/";
        FreezePrefix = prefix + "freeze/";
        GlobalFreeze = prefix + "freeze/global";
        EndpointFreezePrefix = prefix + "freeze/endpoint/";
        ZonePrefix = prefix + "zone/";
        ServingPrefix = prefix + "serving/";
        ReleasePrefix = prefix + "release/";
        AuditPrefix = prefix + "audit/";
        AuditByPrefix = prefix + "audit-by/";
        FeedPrefix = prefix + "feed/";
        OperationPrefix = prefix + "op/";
        NodePrefix = prefix + "node/";
        Planner = prefix + "election/planner";
    }

    public string Prefix { get; }

    public string Head { get; }

    public string Generation { get; }

    public string SpecPrefix { get; }

    public string AppliedPrefix { get; }

    public string PlanPrefix { get; }

    public string FreezePrefix { get; }

    public string GlobalFreeze { get; }

    public string EndpointFreezePrefix { get; }

    public string ZonePrefix { get; }

    public string ServingPrefix { get; }

    public string ReleasePrefix { get; }

    public string AuditPrefix { get; }

    public string AuditByPrefix { get; }

    public string FeedPrefix { get; }

    public string OperationPrefix { get; }

    public string NodePrefix { get; }

    public string Planner { get; }

    public string Node(string id) => NodePrefix + Name(id);

    public string Spec(string endpoint) => SpecPrefix + Name(endpoint);

    public string Applied(string endpoint) => AppliedPrefix + Name(endpoint);

    public string Plans(string endpoint) => PlanPrefix + Name(endpoint) + "/";

    public string Plan(string endpoint, long generation) => Plans(endpoint) + Number(generation);

    public string EndpointFreeze(string endpoint) => EndpointFreezePrefix + Name(endpoint);

    public string Zone(string apex) => ZonePrefix + Name(apex);

    public string Serving(string apex) => ServingPrefix + Name(apex);

    public string Release(string zone) => ReleasePrefix + Name(zone);

    public string Audit(long sequence) => AuditPrefix + Number(sequence);

    public string AuditBy(string key) => AuditByPrefix + Name(key) + "/";

    public string Feed(long revision) => FeedPrefix + Number(revision);

    public string Operation(string id) => OperationPrefix + id;

    /// <summary>The number at the end of a key (a generation, sequence or revision).</summary>
    public static long NumberAtEnd(string key) => long.Parse(key.AsSpan(key.LastIndexOf('/') + 1), NumberStyles.None, CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The first key strictly after <paramref name="key"/> in etcd's byte order.</summary>
    public static string After(string key) => key + "\0";

    /// <summary>The end (exclusive) of the range of every key that starts with <paramref name="prefix"/>.</summary>
    public static ByteString RangeEnd(string prefix)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xFF)
            {
                bytes[i]++;
                return ByteString.CopyFrom(bytes, 0, i + 1);
            }
        }

        // Every byte was 0xFF: etcd reads "\0" as "to the end of the key space".
        return ByteString.CopyFrom(0);
    }

    private static string Name(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' contains '/', which the etcd key layout uses as its separator", nameof(name));
        }

        return name;
    }
}
