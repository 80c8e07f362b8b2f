namespace Holdfast.Dns.Records;

/// <summary>What a record breaks of the rule that a CNAME stands alone at its name (<see cref="CnameRule"/>).</summary>
public enum CnameConflict
{
    /// <summary>The record may join the name.</summary>
    None,

    /// <summary>A CNAME at a name that already has a different one (RFC 2181 §10.1: at most one).</summary>
    SecondCname,

    /// <summary>A CNAME at a name with other data, or other data at a name with a CNAME (RFC 1034 §3.6.2).</summary>
    BesideOtherData,
}
