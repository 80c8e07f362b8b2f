using System.CommandLine;
using Holdfast.ControlPlane.Store;
using Holdfast.Storage.Etcd;
using Holdfast.Storage.Sqlite;

namespace Holdfast.Cli.Commands;

/// <summary>
/// <c>holdfast store copy --from sqlite:DIR --to etcd:URL[,URL…] [--prefix /holdfast/]</c>: the upgrade path from one
/// machine to a cluster (docs/operations.md, "Running a cluster"). Offline: the SQLite store's lock refuses while a
/// <c>holdfast up</c> holds it. The target must be empty. Everything is read back and compared before it says done;
/// exit 0 copied and verified, 1 refused or a difference found, 2 bad arguments.
/// </summary>
internal static class StoreCommand
{
    public static Command Create(CliServices services)
    {
        var from = new Option<string>("--from") { Description = "the store to copy: sqlite:DATA_DIRECTORY or etcd:URL[,URL…]", Required = true };
        var to = new Option<string>("--to") { Description = "the empty store to copy into: etcd:URL[,URL…] or sqlite:DATA_DIRECTORY", Required = true };
        var prefix = new Option<string>("--prefix") { Description = "key prefix of the etcd store(s) (store.prefix in holdfast.yaml)", DefaultValueFactory = _ => "/holdfast/" };
        var copy = new Command("copy", "Copy every zone, endpoint, plan, applied state, freeze and audit entry into an empty store, then verify by reading back") { from, to, prefix };
        copy.SetLocalAction(services, async (parseResult, cancellationToken) =>
        {
            var (fromText, toText, keyPrefix) = (parseResult.GetValue(from)!, parseResult.GetValue(to)!, parseResult.GetValue(prefix)!);
            using var source = Open(fromText, keyPrefix, "--from");
            using var target = Open(toText, keyPrefix, "--to");
            var output = services.Console.Out;
            await output.WriteLineAsync($"copying {fromText} into {toText}");
            StoreCopyReport report;
            try
            {
                report = await StoreCopy.CopyAsync((IControlStore)source, (IControlStore)target, fromText, TimeProvider.System, cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ControlStoreException)
            {
                throw new CommandException("store copy: " + ex.Message, ExitCodes.Failure);
            }

            await output.WriteLineAsync($"copied {report.Zones} zones, {report.Endpoints} endpoints, {report.Plans} plans, {report.Applied} applied states, {report.Freezes} freezes, {report.AuditEntries} audit entries");
            var differences = await StoreCopy.VerifyAsync((IControlStore)source, (IControlStore)target, cancellationToken);
            if (differences.Count > 0)
            {
                foreach (var difference in differences.Take(20))
                {
                    await services.Console.Error.WriteLineAsync("  " + difference);
                }

                throw new CommandException($"store copy: {differences.Count} differences after the copy (first 20 above): the target is not a faithful copy; drop its prefix before trying again", ExitCodes.Failure);
            }

            await output.WriteLineAsync("verified: the target holds what the source holds. Point store: in holdfast.yaml at it and start the nodes.");
            return ExitCodes.Ok;
        });
        return new Command("store", "Work with control stores offline") { copy };
    }

    private static IDisposable Open(string text, string prefix, string option)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var (kind, rest) = colon < 0 ? (text, "") : (text[..colon], text[(colon + 1)..]);
        try
        {
            switch (kind)
            {
                case "sqlite" when rest.Length > 0:
                    if (!File.Exists(Path.Combine(rest, SqliteControlStore.DatabaseFileName)) && option == "--from")
                    {
                        throw new CommandException($"{option}: {rest} holds no Holdfast store (holdfast.db)", ExitCodes.Usage);
                    }

                    return SqliteControlStore.Open(rest, TimeProvider.System);
                case "etcd" when rest.Length > 0:
                    var urls = new List<Uri>();
                    foreach (var url in rest.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        urls.Add(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                            ? uri
                            : throw new CommandException($"{option}: '{url}' is not an etcd client URL such as http://127.0.0.1:2379", ExitCodes.Usage));
                    }

                    return EtcdControlStore.Open(new EtcdControlStoreOptions { Endpoints = urls, Prefix = prefix }, TimeProvider.System);
                default:
                    throw new CommandException($"{option}: expected sqlite:DATA_DIRECTORY or etcd:URL[,URL…], got '{text}'", ExitCodes.Usage);
            }
        }
        catch (ControlStoreException ex)
        {
            throw new CommandException($"{option}: {ex.Message}", ExitCodes.Failure);
        }
    }
}
