namespace Holdfast.Testing.Servers;

/// <summary>The authoritative servers from Debian that the push tests drive.</summary>
public enum ServerKind
{
    /// <summary>BIND 9 <c>named</c> (package bind9).</summary>
    Bind,

    /// <summary>Knot DNS <c>knotd</c> (package knot).</summary>
    Knot,

    /// <summary>PowerDNS Authoritative <c>pdns_server</c> with the SQLite backend (pdns-server, pdns-backend-sqlite3).</summary>
    PowerDns,
}
