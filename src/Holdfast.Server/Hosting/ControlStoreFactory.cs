using Holdfast.ControlPlane.Store;
using Holdfast.Server.Configuration;
using Holdfast.Storage.Etcd;
using Holdfast.Storage.Sqlite;

namespace Holdfast.Server.Hosting;

/// <summary>
/// Opens the control store the configuration names (<c>store.kind</c>). The host and the API depend on
/// <see cref="IControlStore"/> only: a new kind of store is a new case here and nothing else.
/// </summary>
public static class ControlStoreFactory
{
    /// <summary>Throws <see cref="ControlStoreException"/> with an operator-facing message when the store cannot be opened.</summary>
    public static IControlStore Open(HoldfastOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Store.Kind switch
        {
            StoreKind.Sqlite => SqliteControlStore.Open(options.DataDirectory, time, options.Store.ChangeRetention),
            StoreKind.Etcd => EtcdControlStore.Open(
                new EtcdControlStoreOptions { Endpoints = options.Store.Endpoints, Prefix = options.Store.Prefix, ChangeRetention = options.Store.ChangeRetention },
                time),
            _ => throw new ControlStoreException(ControlStoreFailure.Io, $"store.kind {options.Store.Kind} is not known to this Holdfast"),
        };
    }

    /// <summary>Where the store keeps its data, for the start-up line and <c>/api/v1/status</c>.</summary>
    public static string Describe(IControlStore store) => store switch
    {
        SqliteControlStore sqlite => "sqlite " + sqlite.DatabasePath,
        EtcdControlStore etcd => "etcd " + etcd.Describe(),
        _ => store.GetType().Name,
    };
}
